"""Text: ``path:line:col: severity CODE message [pass]``, the source line and a caret, and as
rustc does a ``= help:`` line saying what fixes it (``specc compile --fix`` applies it).

Protobuf input has no lines: the field path stands in for line and column.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from specc.source import Span

if TYPE_CHECKING:
    from specc.reporters.common import Outcome


def where(file: str | None, span: Span | None, pointer: str | None) -> str:
    f = file or "<input>"
    if span is not None:
        return f"{f}:{span.line}:{span.column}"
    if pointer:
        return f"{f}:{pointer}"
    return f


_RESET = "\x1b[0m"
_BOLD = "\x1b[1m"
_SEVERITY = {"error": "\x1b[1;31m", "warning": "\x1b[1;33m", "note": "\x1b[1;36m"}


def _paint(text: str, style: str, color: bool) -> str:
    return f"{style}{text}{_RESET}" if color and style else text


def render(result: Outcome, snippets: bool = True, color: bool = False, **_: object) -> str:
    """``color``: ANSI colours on the severity, the code and the caret (the CLI decides)."""
    out: list[str] = []
    for d in result.diagnostics:
        sev = _SEVERITY.get(d.severity, _BOLD)
        out.append(f"{where(d.file, d.span, d.pointer)}: {_paint(d.severity, sev, color)} "
                   f"{_paint(d.code, _BOLD, color)} {d.message} [{d.pass_name}]")
        gutter = "    "  # under the snippet's gutter when there is one
        if snippets and d.span is not None and d.source is not None:
            text = d.source.line_text(d.span.line)
            if text is not None:
                num = str(d.span.line)
                end = d.span.end_column if d.span.end_line == d.span.line else len(text) + 1
                width = max(1, end - d.span.column)
                out.append(f" {num} | {text.expandtabs(1)}")
                out.append(f" {' ' * len(num)} | {' ' * (d.span.column - 1)}"
                           f"{_paint('^' * width, sev, color)}")
                gutter = f" {' ' * len(num)} = "
        help_ = d.help
        if help_ is not None:
            out.append(f"{gutter}{_paint('help', _BOLD, color)}: {help_}")
        for r in d.related:
            out.append(f"    {where(r.file, r.span, r.pointer)}: note: {r.message}")
    return "\n".join(out) + ("\n" if out else "")


def summary(result: Outcome) -> str:
    from specc.reporters.common import external_line, files_with_problems, not_checked_line

    e, w = result.errors, result.warnings
    files = f"{result.files} file{'s' if result.files != 1 else ''}"
    if not e and not w:
        line = f"specc: {files} checked, no problems"
    else:
        parts = [f"{e} error{'s' if e != 1 else ''}"]
        if w:
            parts.append(f"{w} warning{'s' if w != 1 else ''}")
        bad = files_with_problems(result)
        # "in 1 of 8 files": how many of the files checked have problems, not all of them
        if bad == 0 or bad == result.files:
            where = files
        elif bad < result.files:
            where = f"{bad} of {files}"
        else:  # files that depend on the given ones are reported on too
            where = f"{bad} files"
        line = f"specc: {', '.join(parts)} in {where}"
    for extra in (not_checked_line(result), external_line(result)):
        if extra is not None:
            line = f"{line}\n{extra}"
    return line
