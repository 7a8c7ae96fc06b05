"""Diagnostics: what a pass reports, and how a location becomes a line and column.

A pass never prints: it calls a ``Report`` with a catalogue code, a ``Loc`` and the template's
arguments. A ``Loc`` names a document and a JSON pointer into it (or a fixed span of a file);
the document's span index turns it into 1-based line and column (YAML and JSON) or leaves the
pointer alone (protobuf input). ``make`` is the one way a diagnostic is made: it renders the
message and resolves the location, once. A diagnostic keeps its ``SourceFile``, so reporters
print snippets from the text specc read and never go back to the disk.

A diagnostic may carry ``fixes``: each a ``Fix`` of text ``Edit``s at exact spans of the text specc
read, safe (``specc compile --fix`` applies it, the language server prefers it) or not. A pass
suggests one by place, with ``replace`` (or ``Change``s), and ``make`` places it: a suggestion
whose text is not where and what the pass expected is dropped, never guessed at.
"""
from __future__ import annotations

import difflib
import itertools
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from specc import codes
from specc.record import Record
from specc.source import Placed, SourceFile, Span


class Loc(Record):
    """A place: a JSON pointer into a document (the key itself when ``at_key``), or a fixed
    ``span`` of a file (``source``) outside any document's data, or both (a place inside a
    scalar, whose pointer is still reported). Never changed once made (passes make one per
    node and binding: a plain class, cheaper to create than a frozen dataclass)."""

    __slots__ = ("at_key", "doc", "pointer", "source", "span")
    doc: Placed | None
    pointer: str
    at_key: bool
    span: Span | None
    source: SourceFile | None

    def __init__(self, doc: Placed | None, pointer: str = "", at_key: bool = False,
                 span: Span | None = None, source: SourceFile | None = None) -> None:
        self.doc = doc
        self.pointer = pointer
        self.at_key = at_key
        self.span = span
        self.source = source

    def _key(self) -> tuple[Any, ...]:
        return (self.doc, self.pointer, self.at_key, self.span, self.source)

    def __eq__(self, other: object) -> bool:
        return type(other) is Loc and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

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
class Edit:
    """Replace the characters of ``span`` of ``source``'s text with ``new_text``. The span is
    specc's: 1-based line and column, the end column exclusive, in code points, lines counted as
    the file's front-end counts them (``SourceFile.offset``); an empty span inserts."""

    source: SourceFile
    span: Span
    new_text: str


@dataclass(frozen=True, slots=True)
class Fix:
    """What resolves a diagnostic: its ``edits`` (not overlapping each other), described by
    ``title`` ("rename 'retires' to 'retries'"). ``safe``: applying it changes nothing the file
    means beyond the diagnostic's subject, so ``--fix`` may apply it unasked."""

    title: str
    edits: tuple[Edit, ...]
    safe: bool = True


@dataclass(frozen=True, slots=True)
class Change:
    """An edit given by place, as a pass knows it: replace ``old`` (the scalar's value, found in
    the text at ``loc`` whether quoted or not, or a unique word inside it) with ``new`` (quoted as
    ``old`` was, or as the file's form needs). ``old`` None: replace the whole text at ``loc``
    with ``new`` verbatim. ``make`` turns it into an ``Edit``."""

    loc: Loc
    new: str
    old: str | None = None
    quote: bool = False  # put the text at ``loc``, a number as written, in quotes (``new`` unused)
    # try the key at ``loc`` first: a name that is a value in Flyte's form ('var: x') and a key
    # in the dialect ('inputs: {x: ...}'); the key counts only when it is ``old`` itself
    key_first: bool = False
    # the new text is this, with '<text>' standing for the text at ``loc`` (one line) as written
    template: str | None = None


@dataclass(frozen=True, slots=True)
class Suggest:
    """A fix not yet placed (see ``Change``); ``make`` drops it when a change cannot be placed.
    ``narrow``: when it is the diagnostic's first fix and its one edit lies inside the
    diagnostic's span, the diagnostic is placed at the edit (the caret on the misspelt name in
    '${prep.tabel}', not on the whole reference)."""

    title: str
    changes: tuple[Change, ...]
    safe: bool = True
    narrow: bool = False


def replace(loc: Loc, old: str, new: str, title: str | None = None, safe: bool | None = None,
            key_first: bool = False) -> Suggest:
    """The fix renaming ``old`` to ``new`` at ``loc`` (a key with ``loc.key()``, a value, or a
    word inside a scalar): a did-you-mean made concrete. The diagnostic narrows to it. It is
    safe when ``new`` is surely what was meant (``likely_typo``) unless ``safe`` says."""
    return Suggest(title or f"replace '{old}' with '{new}'",
                   (Change(loc, new, old, key_first=key_first),),
                   likely_typo(old, new) if safe is None else safe, narrow=True)


def likely_typo(old: str, new: str) -> bool:
    """Whether ``old`` is surely a slip for ``new``, so that ``--fix`` may write ``new``
    unasked: a letter or two off (a transposition counts once), other case, or a cut-off name
    ('INT' for 'INTEGER'). A did-you-mean further away ('stock.audit' for 'stock.nightly') is
    still offered, as a fix to choose (the language server's code actions), never applied."""
    if old.lower() == new.lower():
        return True
    short, long_ = sorted((old.lower(), new.lower()), key=len)
    if len(short) >= 3 and long_.startswith(short) and len(short) >= 0.4 * len(long_):
        return True
    d = _distance(old, new)
    return d <= 1 or (d == 2 and min(len(old), len(new)) >= 6)


def _distance(a: str, b: str) -> int:
    """Edits (insert, delete, substitute, swap two neighbours) between ``a`` and ``b``."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


def quote(loc: Loc, title: str = "quote it, to make it a string") -> Suggest:
    """The fix writing the number at ``loc`` as a string of the same characters ('1.10' stays
    '1.10', where reading it as a number first would give '1.1')."""
    return Suggest(title, (Change(loc, "", None, True),))


def closest(name: str, choices: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The one of ``choices`` closest to ``name`` (difflib's ratio at least ``cutoff``)."""
    close = difflib.get_close_matches(name, list(choices), n=1, cutoff=cutoff)
    return close[0] if close else None


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
    fixes: tuple[Fix, ...] = ()

    @property
    def file(self) -> str | None:
        """The file as reports name it (``archive!member`` for a bundle member)."""
        return self.source.display if self.source is not None else None

    @property
    def help(self) -> str | None:
        """What to do about it, as rustc's 'help:' line: the title of its first fix (a safe
        one first); None when it has none."""
        if not self.fixes:
            return None
        return next((f.title for f in self.fixes if f.safe), self.fixes[0].title)

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


_NUMBER = re.compile(r"^[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$")
_PLAIN = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-/@]*$")
# plain scalars YAML 1.1 or 1.2 reads as something other than a string
_NOT_STRINGS = re.compile(r"^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|"
                          r"on|On|ON|off|Off|OFF|null|Null|NULL|~)$")


def _quoted_like(written: str, value: str, form: str) -> str:
    """``value`` written as a scalar the way ``written`` was: in the same quotes, plain when
    that reads back as the same string, else in double quotes (JSON's, which YAML reads too)."""
    if written[:1] == "'" and form != "json":
        return "'" + value.replace("'", "''") + "'"
    if written[:1] == '"' or form == "json":
        return json.dumps(value, ensure_ascii=False)
    if _PLAIN.match(value) and not _NOT_STRINGS.match(value):
        return value
    return json.dumps(value, ensure_ascii=False)


def _place(change: Change) -> Edit | None:
    """The edit a change means, or None when its text is not where it was expected."""
    if change.key_first and change.old is not None:
        _, _, pointer, _ = resolve(change.loc.key())
        if pointer is not None and pointer.rsplit("/", 1)[-1] == _escape(change.old):
            got = _place(Change(change.loc.key(), change.new, change.old))
            if got is not None:
                return got
    source, span, _, _ = resolve(change.loc)
    if source is None or span is None or source.text is None:
        return None
    written = source.text_at(span)
    if written is None:
        return None
    if change.template is not None:
        if span.line != span.end_line:
            return None
        return Edit(source, span, change.template.replace("<text>", written))
    if change.quote:
        # only a number written plainly: its characters are the string the user meant
        if not _NUMBER.match(written):
            return None
        return Edit(source, span, f'"{written}"')
    if change.old is None:
        return Edit(source, span, change.new)
    form = source.form
    unquoted = written[1:-1] if len(written) >= 2 and written[0] == written[-1] and \
        written[0] in "'\"" else written
    if unquoted == change.old and ("\\" not in written and "''" not in written):
        return Edit(source, span, _quoted_like(written, change.new, form))
    # a word inside the scalar (a reference in '${...}', a name in 'name@version'): it must
    # appear once, not inside a longer word
    hits = [m.start() for m in re.finditer(
        r"(?<![\w])" + re.escape(change.old) + r"(?![\w])", written)]
    if len(hits) != 1 or span.end_line != span.line:
        return None
    col = span.column + hits[0]
    return Edit(source, Span(span.line, col, span.line, col + len(change.old)), change.new)


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def place(fix: Fix | Suggest) -> Fix | None:
    """A placed fix; None when one of its changes cannot be placed, or edits overlap."""
    if isinstance(fix, Fix):
        return fix
    edits = []
    for ch in fix.changes:
        e = _place(ch)
        if e is None:
            return None
        edits.append(e)
    keys = sorted((e.source.display, e.span.line, e.span.column, e.span.end_line,
                   e.span.end_column) for e in edits)
    for a, b in itertools.pairwise(keys):
        if a[0] == b[0] and (a[3], a[4]) > (b[1], b[2]):
            return None
    return Fix(fix.title, tuple(edits), fix.safe)


def _within(inner: Span, outer: Span) -> bool:
    return (outer.line, outer.column) <= (inner.line, inner.column) and \
        (inner.end_line, inner.end_column) <= (outer.end_line, outer.end_column)


def make(code: str, loc: Loc | None, pass_name: str,
         related: Iterable[tuple[Loc, str]] = (), fixes: Iterable[Fix | Suggest] = (),
         **args: object) -> Diagnostic:
    """The diagnostic ``code`` at ``loc``, its message rendered from ``args``, with the
    ``fixes`` that could be placed."""
    entry = codes.CODES[code]
    source, span, pointer, index = resolve(loc)
    rel = []
    for rloc, msg in related:
        rsource, rspan, rpointer, _ = resolve(rloc)
        rel.append(Related(rsource, rspan, rpointer, msg))
    given = list(fixes)
    tried = [place(f) for f in given]
    placed = tuple(f for f in tried if f is not None)
    first = tried[0] if tried else None
    if first is not None and isinstance(given[0], Suggest) and given[0].narrow and \
            len(first.edits) == 1 and span is not None:
        e = first.edits[0]
        if e.source is source and e.span.line == e.span.end_line and \
                e.span.column < e.span.end_column and _within(e.span, span):
            span = e.span
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
        fixes=placed,
    )


class Report(Protocol):
    """How a pass reports: ``report(code, loc, related=..., fixes=..., **template arguments)``
    (``fixes``, optional, as ``make`` takes them)."""

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
