"""What the front-end modules share: decoding text, and places in a file outside any document."""
from __future__ import annotations

from specc import diagnostics as dg
from specc.diagnostics import Loc
from specc.source import SourceFile, Span


def file_loc(src: SourceFile, line: int | None = None, column: int | None = None,
             end_column: int | None = None) -> Loc:
    """A location in a file that has no document (syntax errors, unreadable files): the whole
    file, or one character of it (``end_column`` to widen it)."""
    span = None
    if line is not None:
        c = column or 1
        span = Span(line, c, line, end_column if end_column is not None else c + 1)
    return Loc.in_file(src, span)


def decode_utf8(data: bytes, src: SourceFile) -> tuple[str | None, list[dg.Diagnostic]]:
    """The text of a YAML or JSON file (kept on ``src``), or SPC005 at the first bad byte."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        src.text = data.decode("utf-8", "replace")  # for the report's snippet
        prefix = data[: e.start].decode("utf-8", "replace")
        line = prefix.count("\n") + 1
        col = len(prefix) - (prefix.rfind("\n") + 1) + 1
        return None, [dg.make("SPC005", file_loc(src, line, col), "load", offset=e.start)]
    if text.startswith("\ufeff"):
        text = text[1:]
    src.text = text
    return text, []
