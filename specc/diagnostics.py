"""Diagnostics: what a pass reports, and how a location becomes a line and column.

A pass never prints: it calls ``Context.report`` with a catalogue code, a ``Loc`` and the
template's arguments. A ``Loc`` names a document and a JSON pointer into it; the document's span
index turns that into 1-based line and column (YAML and JSON) or leaves the pointer alone
(protobuf input). Rendering the message and resolving the span happen once, here.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable

from specc import codes

if TYPE_CHECKING:  # pragma: no cover
    from specc.frontends import Document


@dataclass(frozen=True, slots=True)
class Span:
    """1-based, end-exclusive column; ``end_*`` may equal the start for a point."""

    line: int
    column: int
    end_line: int
    end_column: int


@dataclass(frozen=True, slots=True)
class Loc:
    """A place in a document: a JSON pointer, and whether the key (not the value) is meant."""

    doc: "Document | None"
    pointer: str = ""
    at_key: bool = False

    def child(self, *parts: object) -> "Loc":
        p = self.pointer
        for part in parts:
            s = part if type(part) is str else str(part)
            if "~" in s or "/" in s:
                s = s.replace("~", "~0").replace("/", "~1")
            p = f"{p}/{s}"
        return Loc(self.doc, p)

    def key(self) -> "Loc":
        return Loc(self.doc, self.pointer, True)

    @property
    def file(self) -> str | None:
        return self.doc.file.display if self.doc is not None else None


@dataclass(frozen=True, slots=True)
class Related:
    file: str | None
    span: Span | None
    pointer: str | None
    message: str


@dataclass(frozen=True, slots=True)
class Diagnostic:
    code: str
    name: str
    severity: str
    message: str
    file: str | None
    span: Span | None
    pointer: str | None
    flyte_code: str | None
    pass_name: str
    related: tuple[Related, ...] = ()
    doc_index: int = 0

    def sort_key(self) -> tuple:
        s = self.span
        return (
            self.file or "",
            s.line if s else 0,
            s.column if s else 0,
            self.pointer or "",
            self.code,
            self.message,
        )


def json_kind(v) -> str:
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


def resolve(loc: Loc | None) -> tuple[str | None, Span | None, str | None, int]:
    if loc is None or loc.doc is None:
        return None, None, None, 0
    doc = loc.doc
    pointer = loc.pointer if getattr(doc, "has_data", True) else None
    if pointer and getattr(doc, "pointer_map", None):
        pointer = source_pointer(pointer, doc.pointer_map)
    span = doc.spans.lookup(pointer or "", loc.at_key) if doc.spans is not None else None
    return doc.file.display, span, pointer, doc.index


def source_pointer(pointer: str, pointer_map: dict[str, str]) -> str:
    """A canonical pointer turned back into the document's own spelling (snake_case keys)."""
    p = pointer
    while p:
        src = pointer_map.get(p)
        if src is not None:
            return src + pointer[len(p):]
        p = p[: p.rfind("/")]
    return pointer


def make(code: str, loc: Loc | None, pass_name: str, related: Iterable[tuple[Loc, str]] = (),
         **args: object) -> Diagnostic:
    entry = codes.CODES[code]
    file, span, pointer, index = resolve(loc)
    rel = []
    for rloc, msg in related:
        rfile, rspan, rpointer, _ = resolve(rloc)
        rel.append(Related(rfile, rspan, rpointer, msg))
    return Diagnostic(
        code=code,
        name=entry.name,
        severity=entry.severity,
        message=entry.render(args),
        file=file,
        span=span,
        pointer=pointer,
        flyte_code=entry.flyte_code,
        pass_name=pass_name,
        related=tuple(rel),
        doc_index=index,
    )


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
