"""Diagnostics: what a pass reports, and how a location becomes a line and column.

A pass never prints: it calls a ``Report`` with a catalogue code, a ``Loc`` and the template's
arguments. A ``Loc`` names a document and a JSON pointer into it (or a fixed span of a file);
the document's span index turns it into 1-based line and column (YAML and JSON) or leaves the
pointer alone (protobuf input). ``make`` is the one way a diagnostic is made: it renders the
message and resolves the location, once. A diagnostic keeps its ``SourceFile``, so reporters
print snippets from the text specc read and never go back to the disk.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from specc import codes
from specc.source import Placed, SourceFile, Span


@dataclass(frozen=True, slots=True)
class Loc:
    """A place: a JSON pointer into a document (the key itself when ``at_key``), or a fixed
    ``span`` of a file (``source``) outside any document's data, or both (a place inside a
    scalar, whose pointer is still reported)."""

    doc: Placed | None
    pointer: str = ""
    at_key: bool = False
    span: Span | None = None
    source: SourceFile | None = None

    @classmethod
    def in_file(cls, source: SourceFile, span: Span | None = None) -> Loc:
        """A place in a file that has no document (syntax errors, unreadable files)."""
        return cls(None, "", False, span, source)

    def child(self, *parts: object) -> Loc:
        p = self.pointer
        for part in parts:
            s = part if type(part) is str else str(part)
            if "~" in s or "/" in s:
                s = s.replace("~", "~0").replace("/", "~1")
            p = f"{p}/{s}"
        return Loc(self.doc, p, False, None, self.source)

    def key(self) -> Loc:
        return Loc(self.doc, self.pointer, True, self.span, self.source)

    def at(self, span: Span | None) -> Loc:
        """The same pointer, placed at ``span`` (e.g. characters inside a scalar)."""
        return Loc(self.doc, self.pointer, self.at_key, span, self.source)

    @property
    def file(self) -> SourceFile | None:
        return self.doc.file if self.doc is not None else self.source


@dataclass(frozen=True, slots=True)
class Related:
    source: SourceFile | None
    span: Span | None
    pointer: str | None
    message: str

    @property
    def file(self) -> str | None:
        return self.source.display if self.source is not None else None


@dataclass(frozen=True, slots=True)
class Diagnostic:
    code: str
    name: str
    severity: str
    message: str
    source: SourceFile | None
    span: Span | None
    pointer: str | None
    flyte_code: str | None
    pass_name: str
    related: tuple[Related, ...] = ()
    doc_index: int = 0

    @property
    def file(self) -> str | None:
        """The file as reports name it (``archive!member`` for a bundle member)."""
        return self.source.display if self.source is not None else None

    def sort_key(self) -> tuple[str, int, int, str, str, str]:
        s = self.span
        return (
            self.file or "",
            s.line if s else 0,
            s.column if s else 0,
            self.pointer or "",
            self.code,
            self.message,
        )


def json_kind(v: object) -> str:
    """What a JSON value is, for messages: 'a string', 'an integer', 'a mapping', ..."""
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "a boolean"
    if isinstance(v, int):
        return "an integer"
    if isinstance(v, float):
        return "a number"
    if isinstance(v, str):
        return "a string"
    if isinstance(v, list):
        return "a list"
    return "a mapping"


def resolve(loc: Loc | None) -> tuple[SourceFile | None, Span | None, str | None, int]:
    """(file, span, pointer in the document's own spelling, document index) of a place."""
    if loc is None:
        return None, None, None, 0
    doc = loc.doc
    if doc is None:
        return loc.source, loc.span, None, 0
    pointer = doc.source_pointer(loc.pointer) if loc.pointer else loc.pointer
    span = loc.span
    if span is None and doc.spans is not None:
        span = doc.spans.lookup(pointer or "", loc.at_key)
    return doc.file, span, pointer, doc.index


def make(code: str, loc: Loc | None, pass_name: str,
         related: Iterable[tuple[Loc, str]] = (), **args: object) -> Diagnostic:
    """The diagnostic ``code`` at ``loc``, its message rendered from ``args``."""
    entry = codes.CODES[code]
    source, span, pointer, index = resolve(loc)
    rel = []
    for rloc, msg in related:
        rsource, rspan, rpointer, _ = resolve(rloc)
        rel.append(Related(rsource, rspan, rpointer, msg))
    return Diagnostic(
        code=code,
        name=entry.name,
        severity=entry.severity,
        message=entry.render(args),
        source=source,
        span=span,
        pointer=pointer,
        flyte_code=entry.flyte_code,
        pass_name=pass_name,
        related=tuple(rel),
        doc_index=index,
    )


class Report(Protocol):
    """How a pass reports: ``report(code, loc, related=..., **template arguments)``."""

    def __call__(self, code: str, loc: Loc | None, related: Iterable[tuple[Loc, str]] = (),
                 **args: Any) -> None: ...


@dataclass
class Sink:
    """Collects diagnostics; sorted and de-duplicated on the way out."""

    items: list[Diagnostic] = field(default_factory=list)

    def add(self, d: Diagnostic) -> None:
        self.items.append(d)

    def extend(self, ds: Iterable[Diagnostic]) -> None:
        self.items.extend(ds)

    @property
    def error_count(self) -> int:
        return sum(1 for d in self.items if d.severity == "error")

    def reporter(self, pass_name: str) -> Reporter:
        return Reporter(self, pass_name)

    def sorted(self) -> list[Diagnostic]:
        seen = set()
        out = []
        for d in sorted(self.items, key=Diagnostic.sort_key):
            k = (d.code, d.file, d.span, d.pointer, d.message)
            if k in seen:
                continue
            seen.add(k)
            out.append(d)
        return out


class Reporter:
    """A ``Report`` into a sink for one pass, counting the errors it reported (the driver reads
    ``errors`` to know whether the entity it checked failed the pass).

    At most ``LIMIT`` diagnostics of one code are made; the next one is replaced by SPC007,
    saying so, and the rest are counted only. A list of a million wrong values would otherwise
    cost a diagnostic each (time and memory far beyond the input's), which nobody reads."""

    __slots__ = ("counts", "errors", "pass_name", "sink")

    LIMIT = 200

    def __init__(self, sink: Sink, pass_name: str) -> None:
        self.sink = sink
        self.pass_name = pass_name
        self.errors = 0
        self.counts: dict[str, int] = {}

    def __call__(self, code: str, loc: Loc | None, related: Iterable[tuple[Loc, str]] = (),
                 **args: Any) -> None:
        n = self.counts[code] = self.counts.get(code, 0) + 1
        if codes.CODES[code].severity == "error":
            self.errors += 1
        if n > self.LIMIT:
            if n == self.LIMIT + 1:
                self.sink.add(make("SPC007", loc, self.pass_name,
                                   what=f"the number of {code} diagnostics here",
                                   limit=str(self.LIMIT),
                                   hint="the others are not shown: fix these and run again"))
            return
        self.sink.add(make(code, loc, self.pass_name, related, **args))
