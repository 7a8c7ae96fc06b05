"""What specc reads: source files, the documents in them, and where each value sits.

A ``SourceFile`` is one file given to specc (or one member of a bundle, which knows its archive).
A front-end turns it into ``Document``s: plain data (dicts, lists, scalars) and a span index from
JSON pointer to line and column. check-schema turns a document into a ``CanonicalDocument``:
the proto3-JSON form every later stage reads, with the pointer map back to the document's own
spelling. Neither is changed after it is made.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol


@dataclass(frozen=True, slots=True)
class Span:
    """1-based, end-exclusive column; ``end_*`` may equal the start for a point."""

    line: int
    column: int
    end_line: int
    end_column: int


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
    """One file (or bundle member) as specc read it.

    ``display`` is the name reports show (relative to the working directory; a bundle member is
    ``<archive>!<member>``). ``text`` is the decoded text of a YAML or JSON file, kept so that
    reporters and the language server never read the disk again. A bundle member has ``archive``
    (the bundle's own SourceFile) and ``member`` (its path inside the archive) and no ``path``.
    """

    path: Path | None
    display: str
    form: str  # 'yaml' | 'json' | 'pb' | 'bundle' | 'unknown'
    text: str | None = None
    archive: SourceFile | None = None
    member: str | None = None
    data: bytes | None = field(default=None, repr=False)  # raw bytes of a protobuf file
    _line_starts: list[int] | None = field(default=None, repr=False)
    _lines: list[str] | None = field(default=None, repr=False)
    _table: tuple[list[int], list[int]] | None = field(default=None, repr=False)

    @property
    def disk_path(self) -> Path | None:
        """The file on disk this came from: the archive for a bundle member."""
        return self.archive.disk_path if self.archive is not None else self.path

    @property
    def disk_display(self) -> str:
        """``display`` of the file on disk (the archive's, for a member)."""
        return self.archive.disk_display if self.archive is not None else self.display

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

    def offset(self, line: int, column: int) -> int | None:
        """The offset into ``text`` of a 1-based (line, code-point column), lines counted as the
        front-end counted them (YAML: libyaml's line breaks, which include NEL, LS and PS;
        JSON: '\\n'); None for a file without text or a place past its end. A column may be one
        past the end of its line (the end of a span)."""
        if self.text is None or line < 1:
            return None
        if self._table is None:
            self._table = _line_table(self.text, self.form)
        starts, ends = self._table
        if line > len(starts):
            return None
        at = starts[line - 1] + column - 1
        return at if column >= 1 and at <= ends[line - 1] else None

    def text_at(self, span: Span) -> str | None:
        """The characters of ``span``; None when the span is not in the text."""
        a = self.offset(span.line, span.column)
        b = self.offset(span.end_line, span.end_column)
        if a is None or b is None or b < a or self.text is None:
            return None
        return self.text[a:b]

    def line_text(self, line: int) -> str | None:
        """Line ``line`` (1-based) of the text, without its line break; None past the end or
        for a file without text."""
        if self.text is None:
            return None
        if self._lines is None:
            self._lines = self.text.splitlines()
        return self._lines[line - 1] if 0 < line <= len(self._lines) else None


_BREAKS = {"yaml": re.compile("\r\n|[\r\n\x85\u2028\u2029]")}  # libyaml's; others: '\n'
_NEWLINE = re.compile("\n")


def _line_table(text: str, form: str) -> tuple[list[int], list[int]]:
    """(start, end) offsets of every line's content, the break left out."""
    starts, ends = [0], []
    for m in _BREAKS.get(form, _NEWLINE).finditer(text):
        ends.append(m.start())
        starts.append(m.end())
    ends.append(len(text))
    return starts, ends


class SpanIndex(Protocol):
    def lookup(self, pointer: str, at_key: bool = False) -> Span | None: ...


class DictSpans:
    """Spans recorded while a document was built: pointer -> value span, pointer -> key span."""

    __slots__ = ("keys", "values")

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}
        self.keys: dict[str, Any] = {}

    def lookup(self, pointer: str, at_key: bool = False) -> Span | None:
        span: Span | None = self.entry(pointer, at_key)
        return span

    def entry(self, pointer: str, at_key: bool = False) -> Any:
        """What is stored for ``pointer`` or its nearest ancestor: a Span, unless a subclass
        stores its own form (and converts it in ``lookup``)."""
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


class FixedSpan:
    """A span index that answers one span for every pointer (a place inside a scalar)."""

    __slots__ = ("span",)

    def __init__(self, span: Span | None) -> None:
        self.span = span

    def lookup(self, pointer: str, at_key: bool = False) -> Span | None:
        return self.span


@dataclass(eq=False)
class Document:
    """One document of a file, as its front-end read it.

    ``data`` is the document as written (any spelling, any dialect). A protobuf front-end also
    knows the ``kind`` (from pyflyte's file name, or by decoding) and gives the ``canonical``
    form at once. A ``faulty`` document was read, but not cleanly: which of two values of a
    duplicated key is meant is anyone's guess, so its entities are checked no further.
    """

    file: SourceFile
    index: int
    data: Any
    spans: SpanIndex | None
    kind: str | None = None
    canonical: Any = None
    faulty: bool = False  # the front-end reported an error in it (e.g. a duplicate key)

    def source_pointer(self, pointer: str) -> str:
        return pointer

    @property
    def document(self) -> Document:
        return self


@dataclass(eq=False)
class CanonicalDocument:
    """A document in flyteidl's canonical proto3-JSON form (check-schema's result).

    ``data`` has camelCase names, enum names, int64 as strings and default scalars dropped, as
    protobuf's own ``MessageToDict`` prints it. ``pointer_map`` maps canonical pointers to the
    pointers of the document as written (snake_case keys, the dialect's constructs). ``ok`` is
    False when check-schema reported an error: then ``data`` holds what could be read and the
    document's entities are known by name only (the rest of the chain leaves them out).
    """

    source: Document
    kind: str
    data: dict[str, Any]
    pointer_map: dict[str, str] | None = None
    ok: bool = True

    @property
    def file(self) -> SourceFile:
        return self.source.file

    @property
    def index(self) -> int:
        return self.source.index

    @property
    def spans(self) -> SpanIndex | None:
        return self.source.spans

    @property
    def document(self) -> Document:
        return self.source

    @property
    def canonical(self) -> dict[str, Any]:
        """``data``, under the name the dialect emitter reads it by."""
        return self.data

    def source_pointer(self, pointer: str) -> str:
        from specc.ir.pointer import to_source

        return to_source(pointer, self.pointer_map)


class Placed(Protocol):
    """What a location may point into: a document, canonical or as written."""

    @property
    def file(self) -> SourceFile: ...
    @property
    def index(self) -> int: ...
    @property
    def spans(self) -> SpanIndex | None: ...
    @property
    def document(self) -> Document: ...
    def source_pointer(self, pointer: str) -> str: ...
