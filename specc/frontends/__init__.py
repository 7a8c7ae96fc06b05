"""Front-ends: turn files into documents (plain data plus a span index), one module per form.

The table ``LOADERS`` maps a file suffix to the loader of that form. A loader gets the file's
bytes and returns documents and diagnostics; it checks nothing beyond what it needs to read the
file. Heavy imports (ruamel.yaml, protobuf) happen inside the loaders that need them.
"""
from __future__ import annotations

import bisect
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Protocol

from specc import diagnostics as dg
from specc.diagnostics import Loc, Span


@dataclass(frozen=True)
class Limits:
    """Bounds on hostile input; every refusal is a diagnostic (SPC007)."""

    max_file_bytes: int = 64 * 1024 * 1024
    max_depth: int = 128
    max_values: int = 2_000_000  # values per document after YAML alias expansion
    max_bundle_members: int = 10_000  # members of one .tgz bundle
    max_bundle_bytes: int = 512 * 1024 * 1024  # uncompressed, all members of one bundle
    max_member_bytes: int = 64 * 1024 * 1024  # uncompressed, one member of a bundle


@dataclass(eq=False)
class SourceFile:
    path: Path | None
    display: str
    form: str  # 'yaml' | 'json' | 'pb' | 'bundle'
    text: str | None = None
    _line_starts: list[int] | None = field(default=None, repr=False)
    _lines: list[str] | None = field(default=None, repr=False)

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column of a character offset into ``text``."""
        if self._line_starts is None:
            starts = [0]
            t = self.text or ""
            i = t.find("\n")
            while i != -1:
                starts.append(i + 1)
                i = t.find("\n", i + 1)
            self._line_starts = starts
        line = bisect.bisect_right(self._line_starts, offset) - 1
        return line + 1, offset - self._line_starts[line] + 1

    def line_text(self, line: int) -> str | None:
        if self.text is None:
            return None
        if self._lines is None:
            self._lines = self.text.splitlines()
        return self._lines[line - 1] if 0 < line <= len(self._lines) else None


class SpanIndex(Protocol):
    def lookup(self, pointer: str, at_key: bool = False) -> Span | None: ...


class DictSpans:
    """Spans recorded while a document was built: pointer -> value span, pointer -> key span."""

    __slots__ = ("values", "keys")

    def __init__(self) -> None:
        self.values: dict[str, Span] = {}
        self.keys: dict[str, Span] = {}

    def lookup(self, pointer: str, at_key: bool = False) -> Span | None:
        p = pointer
        if at_key and p in self.keys:
            return self.keys[p]
        while True:
            s = self.values.get(p)
            if s is not None:
                return s
            if not p:
                return None
            p = p[: p.rfind("/")]


@dataclass(eq=False)
class Document:
    file: SourceFile
    index: int
    data: Any
    spans: SpanIndex | None
    kind: str | None = None  # set from the file name (pb) or by check-schema
    canonical: Any = None  # proto3-JSON form, camelCase, defaults dropped (set by check-schema)
    # where a canonical pointer came from, when a spelling differs from the source
    pointer_map: dict[str, str] | None = None

    def loc(self, pointer: str = "") -> Loc:
        return Loc(self, pointer)


Loader = Callable[[bytes, SourceFile, Limits], tuple[list[Document], list[dg.Diagnostic]]]


def _load_yaml(data, src, limits):
    from specc.frontends import yaml as m

    return m.load(data, src, limits)


def _load_json(data, src, limits):
    from specc.frontends import json as m

    return m.load(data, src, limits)


def _load_pb(data, src, limits):
    from specc.frontends import proto as m

    return m.load(data, src, limits)


def _load_bundle(data, src, limits):
    from specc.frontends import bundle as m

    return m.load(data, src, limits)


LOADERS: dict[str, tuple[str, Loader]] = {
    ".yaml": ("yaml", _load_yaml),
    ".yml": ("yaml", _load_yaml),
    ".json": ("json", _load_json),
    ".pb": ("pb", _load_pb),
    ".tgz": ("bundle", _load_bundle),
    ".tar.gz": ("bundle", _load_bundle),
}


def suffix_of(path: Path) -> str:
    """The suffix ``LOADERS`` is keyed on: ``Path.suffix``, except ``.tar.gz`` as one."""
    name = path.name.lower()
    return ".tar.gz" if name.endswith(".tar.gz") else path.suffix.lower()


def form_of(path: Path) -> str | None:
    entry = LOADERS.get(suffix_of(path))
    return entry[0] if entry else None


def expand(paths: Iterable[Path]) -> tuple[list[Path], list[Path]]:
    """Files given and spec files below given directories, sorted; second list: missing paths."""
    out: list[Path] = []
    missing: list[Path] = []
    for p in paths:
        if p.is_dir():
            found = []
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for f in files:
                    fp = Path(root) / f
                    # pyflyte's fast-register code archive (fast<digest>.tar.gz) holds no specs
                    if f.startswith("fast") and f.endswith(".tar.gz"):
                        continue
                    if form_of(fp) is not None:
                        found.append(fp)
            out.extend(sorted(found))
        elif p.exists():
            out.append(p)
        else:
            missing.append(p)
    return out, missing


def display_path(p: Path) -> str:
    try:
        rel = os.path.relpath(p)
    except ValueError:
        return str(p)
    return str(p) if rel.startswith("..") and p.is_absolute() else rel


def load_file(path: Path, limits: Limits, data: bytes | None = None
              ) -> tuple[list[Document], list[dg.Diagnostic]]:
    """Documents of a file; ``data``, when given, is read instead of the file on disk (an
    editor's unsaved buffer, see ``driver.Options.overrides``)."""
    display = display_path(path)
    entry = LOADERS.get(suffix_of(path))
    src = SourceFile(path, display, entry[0] if entry else "unknown")
    loc = Loc(_FileDoc(src))
    if entry is None:
        return [], [dg.make("SPC006", loc, "load", path=display,
                            reason=f"unknown suffix '{path.suffix or '(none)'}'; use .yaml, .yml, "
                                   ".json, .pb or .tgz")]
    try:
        size = path.stat().st_size if data is None else len(data)
        if size > limits.max_file_bytes:
            return [], [dg.make("SPC007", loc, "load", what=f"the file size ({size} bytes)",
                                limit=f"{limits.max_file_bytes} bytes",
                                hint="split the file or raise the limit")]
        if data is None:
            data = path.read_bytes()
    except OSError as e:
        return [], [dg.make("SPC001", loc, "load", path=display, reason=e.strerror or str(e))]
    return entry[1](data, src, limits)


class _FileDoc:
    """A stand-in document for diagnostics about a whole file (no data, no spans)."""

    has_data = False

    def __init__(self, src: SourceFile, span: Span | None = None) -> None:
        self.file = src
        self.index = 0
        self.spans = _Fixed(span) if span else None


class _Fixed:
    def __init__(self, span: Span) -> None:
        self.span = span

    def lookup(self, pointer: str, at_key: bool = False) -> Span | None:
        return self.span


def file_loc(src: SourceFile, line: int | None = None, column: int | None = None,
             end_column: int | None = None) -> Loc:
    """A location in a file that has no document (syntax errors, unreadable files)."""
    span = None
    if line is not None:
        c = column or 1
        span = Span(line, c, line, end_column if end_column is not None else c + 1)
    return Loc(_FileDoc(src, span))  # type: ignore[arg-type]


def span_loc(src: SourceFile, span: Span) -> Loc:
    """A location at a fixed span of a file, outside any document (e.g. a dropped key)."""
    return Loc(_FileDoc(src, span))  # type: ignore[arg-type]


def decode_utf8(data: bytes, src: SourceFile) -> tuple[str | None, list[dg.Diagnostic]]:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        prefix = data[: e.start].decode("utf-8", "replace")
        line = prefix.count("\n") + 1
        col = len(prefix) - (prefix.rfind("\n") + 1) + 1
        return None, [dg.make("SPC005", file_loc(src, line, col), "load", offset=e.start)]
    if text.startswith("\ufeff"):
        text = text[1:]
    src.text = text
    return text, []


def span_entries(doc: Document) -> list[tuple[tuple[int, int], tuple[int, int], str]]:
    """Every (start, end, pointer) of a document's span index, keys' spans included (a key's
    pointer is its value's); empty for a document without positions (protobuf)."""
    spans = doc.spans
    table = getattr(spans, "table", None)
    if callable(table):  # JSON: positions are computed on first use
        spans = table()
    if not isinstance(spans, DictSpans):
        return []
    out = []
    for at_key, mapping in ((False, spans.values), (True, spans.keys)):
        for pointer, s in mapping.items():
            if "\0" in pointer:  # a duplicate key's value, not in the data
                continue
            if not isinstance(s, Span):  # an index that stores raw marks converts on lookup
                s = spans.lookup(pointer, at_key)
                if s is None:
                    continue
            out.append(((s.line, s.column), (s.end_line, s.end_column), pointer))
    return out


def pointer_at(doc: Document, line: int, column: int,
               entries: list[tuple[tuple[int, int], tuple[int, int], str]] | None = None
               ) -> str | None:
    """The reverse of the span index: the innermost JSON pointer (source spelling) whose key or
    value span holds the 1-based ``line`` and code-point ``column``; None outside the document.

    A position just after a span's last character still counts (a cursor at the end of a word),
    but one inside a span wins over it. ``entries`` (``span_entries(doc)``) saves recomputing
    them when asking often.
    """
    pos = (line, column)
    best: tuple | None = None
    best_pointer: str | None = None
    for start, end, pointer in (span_entries(doc) if entries is None else entries):
        if start <= pos <= end:
            # inside before at the end; then the latest start; then the earliest end
            rank = (pos < end, start, (-end[0], -end[1]))
            if best is None or rank > best:
                best, best_pointer = rank, pointer
    return best_pointer
