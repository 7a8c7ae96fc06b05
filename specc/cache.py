"""The cache: what each file yields, stored by content, so a run touches only what changed.

A file's *yield* is what reading it and checking it against flyteidl's schema gives: its
documents in canonical form, the diagnostics of those two stages, and the identifiers it defines
and references. It depends only on the file's bytes, specc's code and the input limits, so it is
stored under a digest of those (``entries/ab/abcdef….json``) and can never make a run different
from one without the cache: a later stage sees exactly the documents and diagnostics it would
have computed (``tests/test_cache.py`` compiles every fixture cold and warm and compares the
output byte for byte).

An index per project (``index-<fingerprint>.json``: path → modification time, size, digest,
defined and referenced names) lets a warm run skip reading files that did not change, and lets
the driver pick the files a change can affect without reading the others at all.

Safe when runs share it: every file is written to a temporary name and renamed, a reader treats
an unreadable or malformed file as a miss, and the worst a race does is compute something twice.
Bounded: when the entries exceed ``MAX_BYTES``, the least recently used are removed. The folder
holds a ``.gitignore`` that ignores it.
"""
from __future__ import annotations

import contextlib
import json
import os
import time
from collections import OrderedDict
from collections.abc import Iterable
from pathlib import Path
from typing import Any, ClassVar, TypeVar

from specc import __version__
from specc.diagnostics import Diagnostic, Edit, Fix, Related
from specc.record import Record
from specc.source import CanonicalDocument, Document, Limits, SourceFile, Span

FORMAT = 2  # bump when the layout of an entry changes
MAX_BYTES = 256 * 1024 * 1024
PRUNE_EVERY = 600.0  # seconds between two scans of the entries' sizes
PRUNE_AFTER_WRITES = 1000  # a run that wrote this many entries scans them anyway
DIRNAME = ".specc_cache"
# the modules whose code decides a file's yield: a change to any of them is a new fingerprint
_YIELD_CODE = ("source.py", "diagnostics.py", "codes.py", "table.py", "frontends", "dialect",
               "passes/check_schema.py", "passes/build_ir.py", "ir", "data/flyteidl.json",
               "grammar")


class FileYield(Record):
    """What one file yields: documents (canonical where check-schema read them), the
    diagnostics of reading and schema-checking it, and the identifiers involved.

    ``canonical[i]`` is the canonical form of ``documents[i]``, or None for a document that is
    no spec (empty, not a mapping, of no kind specc reads, a dialect document that cannot be
    lowered). ``failed`` is True when reading the file gave an error. ``defines`` and ``uses``
    are ``"<kind>:<name>"`` strings (kind: task, workflow, launchplan)."""

    __slots__ = ("canonical", "defines", "diagnostics", "documents", "failed", "lost", "source",
                 "uses")
    source: SourceFile
    documents: list[Document]
    canonical: list[CanonicalDocument | None]
    diagnostics: list[Diagnostic]
    failed: bool
    defines: frozenset[str]
    uses: frozenset[str]
    lost: list[str | None]  # texts to search for lost names

    def __init__(self, source: SourceFile, documents: list[Document],
                 canonical: list[CanonicalDocument | None], diagnostics: list[Diagnostic],
                 failed: bool, defines: frozenset[str] = frozenset(),
                 uses: frozenset[str] = frozenset(), lost: list[str | None] | None = None) -> None:
        self.source = source
        self.documents = documents
        self.canonical = canonical
        self.diagnostics = diagnostics
        self.failed = failed
        self.defines = defines
        self.uses = uses
        self.lost = lost if lost is not None else []


def _hash(data: bytes = b"") -> Any:
    """A BLAKE2b hasher (32-byte digests). The builtin module, when there is one: importing
    hashlib loads OpenSSL, which costs more start-up than the hashing it would do."""
    try:
        from _blake2 import blake2b
    except ImportError:  # pragma: no cover - a Python built without its own BLAKE2
        from hashlib import blake2b
    return blake2b(data, digest_size=32)


def code_fingerprint() -> str:
    """A digest of specc's version and of the code that decides a file's yield: the files'
    names, sizes and modification times (reading them all would cost more than a small run)."""
    root = Path(__file__).resolve().parent
    h = _hash(f"{__version__}\0{FORMAT}".encode())
    for name in _YIELD_CODE:
        p = root / name
        files = sorted(p.rglob("*")) if p.is_dir() else [p]
        for f in files:
            if f.suffix in (".py", ".json", ".lark"):
                try:
                    st = f.stat()
                except OSError:
                    continue
                h.update(f"{f.relative_to(root)}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
    return str(h.hexdigest()[:24])


def _limits_key(limits: Limits) -> str:
    return ",".join(f"{k}={v}" for k, v in sorted(vars(limits).items()))


class Cache:
    """One cache folder, for one fingerprint (specc's code and the input limits).

    A process that compiles again and again (the language server) keeps what it read in
    memory too: the yields by digest (``remember``/``recall``) and the project's index."""

    # (folder, digest) -> yield, across the runs of one process, least recently used dropped
    _memory: ClassVar[OrderedDict[tuple[Path, str], FileYield]] = OrderedDict()
    _indexes: ClassVar[dict[Path, tuple[float, Index]]] = {}
    MEMORY_ENTRIES = 20_000

    def __init__(self, folder: Path, limits: Limits) -> None:
        self.folder = folder
        self.fingerprint = _hash(
            f"{code_fingerprint()}\0{_limits_key(limits)}".encode()).hexdigest()[:24]
        self.written = 0

    def recall(self, digest: str) -> FileYield | None:
        y = self._memory.get((self.folder, digest))
        if y is not None:
            self._memory.move_to_end((self.folder, digest))
        return y

    def remember(self, digest: str, y: FileYield) -> None:
        self._memory[(self.folder, digest)] = y
        self._memory.move_to_end((self.folder, digest))
        while len(self._memory) > self.MEMORY_ENTRIES:
            self._memory.popitem(last=False)

    # -- entries ---------------------------------------------------------------------------------
    def digest(self, data: bytes, form: str, display: str) -> str:
        """The key of a file's yield. The display name takes part because diagnostics hold it
        (a bundle's member is named after the archive)."""
        h = _hash(self.fingerprint.encode())
        h.update(f"\0{form}\0{display}\0".encode())
        h.update(data)
        return h.hexdigest()

    def _entry_path(self, digest: str) -> Path:
        return self.folder / "entries" / digest[:2] / f"{digest[2:]}.json"

    def load(self, digest: str) -> dict[str, Any] | None:
        try:
            with open(self._entry_path(digest), "rb") as f:
                entry = json.loads(f.read())
        except (OSError, ValueError):
            return None
        if not isinstance(entry, dict) or entry.get("format") != FORMAT:
            return None
        return entry

    def store(self, digest: str, entry: dict[str, Any]) -> None:
        try:
            _write(self._entry_path(digest), json.dumps(entry, separators=(",", ":")).encode())
            self.written += 1
        except OSError:
            pass  # a cache that cannot be written is only slower

    # -- the index of a project --------------------------------------------------------------------
    def index_path(self) -> Path:
        return self.folder / f"index-{self.fingerprint}.json"

    def read_index(self) -> Index:
        path = self.index_path()
        try:
            mtime = path.stat().st_mtime
        except OSError:
            mtime = -1.0
        kept = self._indexes.get(path)
        if kept is not None and kept[0] == mtime:
            return kept[1].copy()
        index = Index({}, 0.0)
        try:
            with open(path, "rb") as f:
                raw = json.loads(f.read())
            if isinstance(raw, dict) and isinstance(raw.get("files"), dict):
                index = Index(raw["files"], float(raw.get("written", 0)))
        except (OSError, ValueError, TypeError):
            pass
        self._indexes[path] = (mtime, index.copy())
        return index

    def write_index(self, index: Index) -> None:
        if not index.changed:
            return
        now = time.time()
        body = {"written": now, "files": index.rows}
        with contextlib.suppress(OSError):  # a cache that cannot be written is only slower
            _write(self.index_path(), json.dumps(body, separators=(",", ":")).encode())
            self._indexes[self.index_path()] = (self.index_path().stat().st_mtime,
                                                Index(dict(index.rows), now))

    # -- size ----------------------------------------------------------------------------------
    def maybe_prune(self) -> None:
        """``prune`` after a run that wrote entries, at most every ``PRUNE_EVERY`` seconds unless
        the run wrote many: a scan of every entry costs more than a small run itself, and the
        bound may be passed only by what runs add in between."""
        marker = self.folder / "pruned"
        try:
            age = time.time() - marker.stat().st_mtime
        except OSError:
            age = float("inf")
        if age < PRUNE_EVERY and self.written < PRUNE_AFTER_WRITES:
            return
        with contextlib.suppress(OSError):
            marker.touch()
        self.prune()

    def prune(self, max_bytes: int = MAX_BYTES) -> None:
        """Remove the least recently used entries until the cache holds at most ``max_bytes``;
        indexes of other fingerprints go first."""
        with contextlib.suppress(OSError):
            for p in self.folder.glob("index-*.json"):
                if p != self.index_path() and time.time() - p.stat().st_mtime > 3600:
                    p.unlink()
        entries = []
        total = 0
        for p in (self.folder / "entries").glob("*/*.json"):
            try:
                st = p.stat()
            except OSError:
                continue
            entries.append((st.st_atime, st.st_size, p))
            total += st.st_size
        if total <= max_bytes:
            return
        for _, size, p in sorted(entries):
            with contextlib.suppress(OSError):
                p.unlink()
            total -= size
            if total <= max_bytes * 0.8:
                break


class Index(Record):
    """path (as given to the driver) → [mtime_ns, size, digest, defines, uses]."""

    __slots__ = ("changed", "rows", "written")
    rows: dict[str, list[Any]]
    written: float
    changed: bool

    def __init__(self, rows: dict[str, list[Any]], written: float, changed: bool = False) -> None:
        self.rows = rows
        self.written = written
        self.changed = changed

    def lookup(self, key: str, st: os.stat_result) -> list[Any] | None:
        """The row of an unchanged file. A file modified within two seconds of the index being
        written may have changed again within the same timestamp: it is read again."""
        row = self.rows.get(key)
        if row is None or len(row) != 5:
            return None
        if row[0] != st.st_mtime_ns or row[1] != st.st_size:
            return None
        if st.st_mtime_ns / 1e9 >= self.written - 2:
            return None
        return row

    def copy(self) -> Index:
        return Index(dict(self.rows), self.written)

    def update(self, key: str, st: os.stat_result, digest: str, y: FileYield) -> None:
        row = [st.st_mtime_ns, st.st_size, digest, sorted(y.defines), sorted(y.uses)]
        if self.rows.get(key) != row:
            self.rows[key] = row
            self.changed = True


def _write(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.parent / f".{target.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    try:
        os.replace(tmp, target)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def open_cache(root: Path | None, explicit: Path | None, limits: Limits) -> Cache | None:
    """The cache of a project: ``explicit`` (``--cache-dir``), else ``<root>/.specc_cache``;
    None without either or when the folder cannot be made."""
    folder = explicit or (root / DIRNAME if root is not None else None)
    if folder is None:
        return None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        ignore = folder / ".gitignore"
        if not ignore.exists():
            _write(ignore, b"# specc's cache (specc compile --no-cache to bypass it)\n*\n")
    except OSError:
        return None
    return Cache(folder, limits)


# ---- a yield as JSON, and back -------------------------------------------------------------------

def _span(s: Span | None) -> list[int] | None:
    return [s.line, s.column, s.end_line, s.end_column] if s is not None else None


def _unspan(v: list[int] | None) -> Span | None:
    return Span(*v) if v else None


def _member(src: SourceFile | None) -> str | None:
    return src.member if src is not None else None


def to_entry(y: FileYield) -> dict[str, Any] | None:
    """The JSON form of a yield; None when it cannot be stored (a diagnostic about another
    file, which a yield never has, is taken as a sign not to trust it)."""
    docs = []
    for doc, c in zip(y.documents, y.canonical, strict=True):
        docs.append({"m": _member(doc.file), "i": doc.index, "k": c.kind if c else doc.kind,
                     "c": c.data if c else None, "pm": c.pointer_map if c else None,
                     "ok": c.ok if c else False, "f": doc.faulty})
    diags = []
    for d in y.diagnostics:
        if d.source is not None and (d.source.archive or d.source) is not y.source:
            return None
        related = []
        for r in d.related:
            if r.source is not None and (r.source.archive or r.source) is not y.source:
                return None
            related.append([_member(r.source), _span(r.span), r.pointer, r.message])
        fixes = []
        for f in d.fixes:
            if any(e.source is not y.source for e in f.edits):
                return None
            fixes.append([f.title, f.safe, [[_span(e.span), e.new_text] for e in f.edits]])
        diags.append([d.code, d.name, d.severity, d.message, _member(d.source),
                      d.source is None, _span(d.span), d.pointer, d.flyte_code, d.pass_name,
                      related, d.doc_index, fixes])
    return {"format": FORMAT, "docs": docs, "diags": diags, "failed": y.failed,
            "lost": [t is not None for t in y.lost], "defines": sorted(y.defines),
            "uses": sorted(y.uses)}


def from_entry(entry: dict[str, Any], source: SourceFile, spans: Any) -> FileYield:
    """A yield back from its JSON form, for ``source`` (whose text, for YAML and JSON, is set
    by the caller). ``spans(src, index)`` makes the lazy span index of a document."""
    members: dict[str | None, SourceFile] = {None: source}

    def src_of(member: str | None) -> SourceFile:
        got = members.get(member)
        if got is None:
            got = members[member] = SourceFile(None, f"{source.display}!{member}", "pb",
                                               archive=source, member=member)
        return got

    documents: list[Document] = []
    canonical: list[CanonicalDocument | None] = []
    for d in entry["docs"]:
        s = src_of(d["m"])
        doc = Document(s, d["i"], None, spans(s, d["i"]), kind=d["k"], faulty=d["f"])
        documents.append(doc)
        canonical.append(CanonicalDocument(doc, d["k"], d["c"], d["pm"], d["ok"])
                         if d["c"] is not None else None)
    diagnostics = []
    for (code, name, severity, message, member, no_source, span, pointer, flyte_code,
         pass_name, related, doc_index, fixes) in entry["diags"]:
        rel = tuple(Related(src_of(m), _unspan(rs), rp, rm) for m, rs, rp, rm in related)
        fx = tuple(Fix(title, tuple(Edit(source, Span(*es), text) for es, text in edits), safe)
                   for title, safe, edits in fixes)
        diagnostics.append(Diagnostic(code, name, severity, message,
                                      None if no_source else src_of(member), _unspan(span),
                                      pointer, flyte_code, pass_name, rel, doc_index, fx))
    text = source.text
    lost = [text if keep else None for keep in entry["lost"]]
    return FileYield(source, documents, canonical, diagnostics, entry["failed"],
                     frozenset(entry["defines"]), frozenset(entry["uses"]), lost)


F = TypeVar("F")


def names_closure(start: Iterable[str], defined_by: dict[str, list[F]],
                  uses_of: dict[F, frozenset[str]]) -> set[F]:
    """The files defining what ``start`` (names) uses, transitively: ``defined_by`` maps a
    name to the files defining it, ``uses_of`` a file to the names it uses."""
    out: set[F] = set()
    todo = list(start)
    seen: set[str] = set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for f in defined_by.get(name, ()):
            if f not in out:
                out.add(f)
                todo.extend(uses_of.get(f, ()))
    return out


__all__ = ["DIRNAME", "Cache", "FileYield", "Index", "code_fingerprint", "from_entry",
           "names_closure", "open_cache", "to_entry"]
