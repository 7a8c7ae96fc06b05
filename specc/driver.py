"""The driver: the only place that knows the order of stages, and the only orchestrator.

files -> front-ends -> passes (``specc.passes.PASSES``) -> policy -> artifacts. Each pass is given
the documents or entities whose needs are met: an entity whose document failed check-schema is
known by name and checked no further, one whose references did not resolve is given to no pass
that needs them, and everything else is checked fully, so one run reports every independent
error. The project's other specs (context) take part in resolution; what is reported on them is
dropped. Artifacts are serialized completely before the first byte is written, and each file is
written to a temporary name and renamed, so a run with errors, or one that fails half-way, leaves
nothing behind.

Project context, the language server, ``convert`` and the dialect emitter call this module
(``compile_paths``, ``canonicalize``, ``canonical_of_text``) instead of driving passes themselves.
"""
from __future__ import annotations

import contextlib
import difflib
import gc
import json
import os
import traceback
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from specc import diagnostics as dg
from specc import ir, policy
from specc.cache import Cache, FileYield, Index
from specc.config import Config
from specc.frontends import expand, parse, read_file
from specc.passes import PASSES, SETTINGS, PassSpec
from specc.platform import Platform
from specc.policy import Policy
from specc.source import CanonicalDocument, Document, Limits, SourceFile, Span

EXIT_OK, EXIT_ERRORS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


@dataclass
class Options:
    paths: list[Path]
    out: Path | None = None
    emit: str = "pb"  # closure encoding: pb | json | yaml
    limits: Limits = field(default_factory=Limits)
    closures: bool = False  # build closures even without --out (tests, library use)
    # build the closure of every workflow whose references and graph are sound, even when other
    # checks report errors (specc graph draws them); never written
    draft: bool = False
    platform: Platform | None = None  # deployment settings for check-registration
    use_config: bool = True  # look for specc.toml / [tool.specc] above the first path
    config_path: Path | None = None
    # select / ignore / severity / per-path (specc.policy); from the configuration when None
    policy: Policy | None = None
    lint_options: dict[str, Any] = field(default_factory=dict)  # [lint] of the configuration
    # also load the project's other specs for resolution, report only on the given files
    # (specc.project); the CLI turns it on unless --no-context
    context: bool = False
    # the context files, named by the caller (the language server: the workspace's other files)
    context_paths: list[Path] | None = None
    # text to read instead of a file's content on disk (the language server's unsaved buffers);
    # such a file need not exist yet
    overrides: dict[Path, bytes] | None = None
    cache: bool = True  # use the project's cache (specc.cache), when there is a project
    cache_dir: Path | None = None  # the cache's folder (default: <project root>/.specc_cache)
    bundle: Path | None = None  # write a registration bundle (specc.emit.bundle) here
    # identifier fields the bundle fills as `flytectl register files` does: project/domain/version
    registration: dict[str, str] = field(default_factory=dict)
    # told (files read, files to read, errors so far) while files are read; the CLI draws a
    # progress line on a terminal
    progress: Callable[[int, int, int], None] | None = None
    # registered entities (--catalog, or 'catalog' in the configuration): loaded like context,
    # never reported on; references with explicit project/domain/version must resolve in them
    catalog: list[Path] = field(default_factory=list)

    @property
    def want_closures(self) -> bool:
        return self.closures or self.out is not None


@dataclass(frozen=True)
class NotChecked:
    """An entity of a reported file that could not be checked fully, and why."""

    entity: ir.Entity
    reasons: tuple[ir.Unchecked, ...]


@dataclass
class Result:
    diagnostics: list[dg.Diagnostic]
    files: int
    written: list[Path]
    internal_error: bool = False
    program: ir.Program | None = None
    resolution: ir.Resolution | None = None
    graph: ir.Graph | None = None
    documents: list[Document] = field(default_factory=list)  # every document loaded
    canonical: list[CanonicalDocument] = field(default_factory=list)
    closures: list[tuple[ir.Workflow, dict[str, Any]]] = field(default_factory=list)
    not_checked: list[NotChecked] = field(default_factory=list)
    # references of reported entities to entities registered elsewhere (no catalogue given)
    external: list[ir.Unchecked] = field(default_factory=list)
    withheld: str | None = None  # why the artifacts that were asked for were not written
    # what each context file defines ("task:<name>", "workflow:...", "launchplan:..."), also
    # the files left out as not needed (the language server completes names from it)
    context_names: dict[str, frozenset[str]] = field(default_factory=dict)  # by path

    @property
    def errors(self) -> int:
        return sum(1 for d in self.diagnostics if d.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for d in self.diagnostics if d.severity == "warning")

    @property
    def exit_code(self) -> int:
        if self.internal_error:
            return EXIT_INTERNAL
        return EXIT_ERRORS if self.errors or self.withheld else EXIT_OK


class UsageError(Exception):
    """A problem with how specc was called (exit 2), not with the specs."""


# ---- the public entry points -------------------------------------------------------------------

def compile_paths(opts: Options) -> Result:
    """Check ``opts.paths`` (and the project around them, with ``opts.context``); write what
    ``opts`` asks for when there are no errors. Raises ``UsageError`` (exit 2)."""
    # The run allocates many small, acyclic objects; the cyclic collector would scan them over
    # and over for nothing (a third of the time on 10,000 nodes: bench/run.py --only big-workflows).
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _compile_paths(opts)
    finally:
        if was_enabled:
            gc.enable()


@dataclass
class Checked:
    """Files loaded and checked against flyteidl's schema, and nothing more."""

    files: list[Path]
    documents: list[Document]  # every document loaded
    canonical: list[CanonicalDocument]  # those that passed check-schema
    diagnostics: list[dg.Diagnostic]

    @property
    def errors(self) -> int:
        return sum(1 for d in self.diagnostics if d.severity == "error")


def canonicalize(paths: Sequence[Path], limits: Limits,
                 overrides: dict[Path, bytes] | None = None) -> Checked:
    """Load ``paths`` and run check-schema only; for ``specc convert``, which needs no reference
    to resolve. ``overrides`` as ``Options.overrides`` (a file need not exist). Raises
    ``UsageError`` for a path that does not exist."""
    files, missing = expand(paths)
    files += [m for m in missing if m in (overrides or {})]
    missing = [m for m in missing if m not in (overrides or {})]
    if missing:
        raise UsageError("no such file or directory: " + ", ".join(str(m) for m in missing))
    run = _Run(Options(paths=list(paths), limits=limits, use_config=False,
                       overrides=overrides), None)
    run.load(files, [])
    return Checked(files, run.documents, [c for c in run.canonical if c.ok], run.sink.sorted())


def canonical_of_data(kind: str, data: dict[str, Any]) -> tuple[dict[str, Any] | None,
                                                                list[dg.Diagnostic]]:
    """check-schema's canonical form of flyteidl data that is no file's document (the dialect
    emitter's lowered data), or None with the diagnostics that say why."""
    from specc.passes.check_schema import canonical_data

    sink = dg.Sink()
    got = canonical_data(kind, data, sink.reporter(PASSES[0].name))
    return (got if not sink.error_count else None), sink.sorted()


def canonical_of_text(text: str, name: str = "<text>") -> tuple[CanonicalDocument | None,
                                                                list[dg.Diagnostic]]:
    """The one canonical document of a YAML text (load and check-schema), or None with the
    diagnostics that say why."""
    run = _Run(Options(paths=[], use_config=False), None)
    src = SourceFile(None, name, "yaml")
    y = run.file_yield(src, text.encode())
    run.sink.extend(y.diagnostics)
    got = [c for c in y.canonical if c is not None]
    if len(got) != 1 or not got[0].ok:
        return None, run.sink.sorted()
    return got[0], run.sink.sorted()


# ---- one run -----------------------------------------------------------------------------------

def _compile_paths(opts: Options) -> Result:
    files, missing = expand(opts.paths)
    if opts.overrides and missing:
        files += [m for m in missing if m in opts.overrides]
        missing = [m for m in missing if m not in opts.overrides]
    if missing:
        raise UsageError("no such file or directory: " + ", ".join(str(m) for m in missing))
    cfg = configure(opts)
    _check_lint_options(opts, cfg)
    from specc import project

    extra: list[Path | str] = list(opts.context_paths or [])
    if opts.context and files and opts.bundle is None and opts.context_paths is None:
        extra = [*project.context_files(opts.paths[0], files,
                                        cfg.root if cfg is not None else None,
                                        cfg.include if cfg is not None else None)]
    catalog, missing = expand(opts.catalog)
    if missing:
        raise UsageError("--catalog: no such file or directory: "
                         + ", ".join(str(m) for m in missing))
    # a catalogue file is never reported on, even inside a given folder
    registered = {f.resolve() for f in catalog}
    if registered:
        files = [f for f in files if f.resolve() not in registered]
        extra = [f for f in extra if Path(f).resolve() not in registered]
    store = None
    if opts.cache and opts.paths:
        from specc import cache

        root = project.repository_root(opts.paths[0]) or (cfg.root if cfg is not None else None)
        store = cache.open_cache(root, opts.cache_dir, opts.limits)
    run = _Run(opts, store)
    given = {str(f) for f in files}
    run.load(files, [f for f in extra if str(f) not in given], catalog)
    run.execute()
    result = run.result(len(files))
    if store is not None:
        store.write_index(run.index)
        if store.written:
            store.maybe_prune()
    if result.internal_error or result.errors:
        return result
    outside = {u.entity for u in result.external if isinstance(u.entity, ir.Workflow)}
    if opts.want_closures and outside:
        result.withheld = (f"closures not written: {len(outside)} workflow"
                           f"{'s' if len(outside) != 1 else ''} use entities registered "
                           f"elsewhere; give their definitions with --catalog")
        return result
    partial = [n.entity for n in result.not_checked if isinstance(n.entity, ir.Workflow)]
    if (opts.want_closures or opts.bundle is not None) and partial:
        what = "closures" if opts.bundle is None else "the bundle"
        result.withheld = (f"{what} not written: {len(partial)} workflow"
                           f"{'s' if len(partial) != 1 else ''} could not be checked fully")
        return result
    # every artifact is encoded before anything is written, and everything is written as one
    # transaction (specc.emit.write_files): a run writes all it was asked for, or nothing
    out: list[tuple[Path, bytes]] = []
    refused: list[dg.Diagnostic] = []
    if result.closures and opts.out is not None:
        for name, (wf, closure) in zip(closure_filenames(result.closures, opts.emit),
                                       result.closures, strict=True):
            try:
                out.append((opts.out / name, serialize_closure(closure, opts.emit)))
            except Exception as e:  # what the encoder refuses is reported
                refused.append(dg.make("SPC026", wf.loc.key(), "emit-closure",
                                       what=f"closure of workflow '{wf.name}'",
                                       to=f"--emit {opts.emit}", reason=_reason(e)))
    if opts.bundle is not None:
        from specc.emit import bundle as bundle_mod

        assert result.program is not None
        try:
            bundle, _ = bundle_mod.build(result.program, run.canonical, opts.registration)
            out.append((opts.bundle, bundle))
        except bundle_mod.BundleError as e:
            raise UsageError(f"--bundle: {e}") from e
        except bundle_mod.EncodeError as e:
            loc = _entity_loc(result.program, e.entity)
            refused.append(dg.make("SPC026", loc, "emit-closure", what=e.what,
                                   to="a bundle member", reason=_reason(e.error)))
    if refused:
        result.diagnostics = sorted(result.diagnostics + refused, key=dg.Diagnostic.sort_key)
        return result
    if out:
        from specc.emit import write_files

        try:
            write_files(out)
        except OSError as e:
            where = e.filename or opts.out or opts.bundle
            raise UsageError(f"cannot write '{where}': {e.strerror or e}") from e
        result.written = [p for p, _ in out]
    return result


def _reason(e: BaseException) -> str:
    """An encoder's complaint, short enough for a message."""
    text = " ".join(str(e).split()) or type(e).__name__
    return text if len(text) <= 300 else text[:297] + "..."


def _entity_loc(program: ir.Program, key: tuple[str, ...]) -> dg.Loc | None:
    """Where the entity with identifier ``key`` (a default launch plan: its workflow) is
    defined."""
    for e in program.entities:
        if e.id.key == key or (key[0] == "LAUNCH_PLAN" and isinstance(e, ir.Workflow)
                               and e.id.key[1:] == key[1:]):
            return e.loc.key()
    return None


class _Run:
    """The state of one run: documents, results of the passes, and which entity failed what."""

    def __init__(self, opts: Options, store: Cache | None) -> None:
        self.opts = opts
        self.store = store
        self.index: Index = store.read_index() if store is not None else Index({}, 0.0)
        self.sink = dg.Sink()
        self.documents: list[Document] = []
        self.given: set[SourceFile] | None = None  # None: every file is reported on
        self.lost: list[str | None] = []
        self.canonical: list[CanonicalDocument] = []
        self.results: dict[str, Any] = {"platform": opts.platform,
                                         "lint_options": opts.lint_options,
                                         "shown": policy.shown(opts.policy),
                                         "catalog": bool(opts.catalog),
                                         # the suffix of the closure files written (their
                                         # names count), or None
                                         "closure_files": opts.emit if opts.out else None}
        self.failed: dict[tuple[Any, str], int] = {}  # (entity or document, pass) -> errors
        self.ran: dict[Any, set[str]] = {}  # entity -> passes it was given to
        self.internal = False
        self.context_names: dict[str, frozenset[str]] = {}
        # the names a file defines and uses are needed to keep a cache or pick context files
        self.want_names = store is not None or opts.context or bool(opts.context_paths)

    # -- reading files ---------------------------------------------------------------------------
    def file_yield(self, src: SourceFile, data: bytes) -> FileYield:
        """Read a file's bytes and check its documents against flyteidl's schema (the
        check-schema pass, per document), from the cache when it holds them."""
        from specc import cache

        digest = self.store.digest(data, src.form, src.display) if self.store else ""
        if self.store is not None:
            if src.form in ("yaml", "json"):  # as the front-end would have decoded it
                src.text = data.decode("utf-8", "replace").removeprefix("\ufeff")
            kept = self._cached(src, data, digest)
            if kept is not None:
                return kept
        docs, diags = parse(src, data, self.opts.limits)
        y = self._check(src, docs, diags)
        if self.store is not None:
            entry = cache.to_entry(y)
            if entry is not None:
                self.store.store(digest, entry)
                self.store.remember(digest, y)
        return y

    def _lazy_spans(self, src: SourceFile, index: int) -> Any:
        return _Reparse(src, index, self.opts.limits) if src.form in ("yaml", "json") else None

    def _check(self, src: SourceFile, docs: list[Document],
               diags: list[dg.Diagnostic]) -> FileYield:
        sink = dg.Sink()
        sink.extend(diags)
        check_schema = PASSES[0].function
        canonical: list[CanonicalDocument | None] = []
        for doc in docs:
            canonical.append(check_schema(doc, sink.reporter(PASSES[0].name)))
        failed = any(d.severity == "error" for d in diags)
        lost: list[str | None] = []
        if failed:
            lost.append(_text_of(src, docs))
        elif any(c is None for c in canonical):
            lost.append(_text_of(src, [d for d, c in zip(docs, canonical, strict=True)
                                       if c is None]))
        defines, uses = (_names([c for c in canonical if c is not None]) if self.want_names
                         else (frozenset(), frozenset()))
        return FileYield(src, docs, canonical, sink.items, failed, defines, uses, lost)

    def read(self, path: Path) -> tuple[FileYield, os.stat_result | None, str]:
        """The yield of a file on disk (or of its unsaved buffer), its stat and digest."""
        override = (self.opts.overrides or {}).get(path)
        st = None
        if override is None:
            with contextlib.suppress(OSError):
                st = path.stat()
        src, data, diags = read_file(path, self.opts.limits, override)
        if data is None:
            return FileYield(src, [], [], diags, True, lost=[None]), st, ""
        digest = self.store.digest(data, src.form, src.display) if self.store else ""
        return self.file_yield(src, data), st, digest

    def _read_many(self, files: list[Path]) -> list[FileYield]:
        """The yields of ``files``, in their order. What the cache does not hold is read on
        every core when there is much of it (the same yields as one core, in the same order)."""
        progress = self.opts.progress
        errors = 0
        out: list[FileYield | None] = []
        todo: list[tuple[int, SourceFile, bytes, str]] = []
        # the given files go into the project's index too (path, stat taken before the read,
        # digest, names), so that a pre-commit run after a full run finds every file there
        indexed: list[tuple[int, str, os.stat_result, str]] = []
        for f in files:
            override = (self.opts.overrides or {}).get(f)
            st = None
            if self.store is not None and override is None:
                with contextlib.suppress(OSError):
                    st = os.stat(f)
            src, data, diags = read_file(f, self.opts.limits, override)
            if data is None:
                out.append(FileYield(src, [], [], diags, True, lost=[None]))
                continue
            if src.form in ("yaml", "json"):  # as the front-end would have decoded it
                src.text = data.decode("utf-8", "replace").removeprefix("\ufeff")
            digest = self.store.digest(data, src.form, src.display) if self.store else ""
            kept = self._cached(src, data, digest)
            out.append(kept)
            if kept is None:
                todo.append((len(out) - 1, src, data, digest))
            if st is not None:
                indexed.append((len(out) - 1, os.path.abspath(f), st, digest))
        workers = _workers(len(todo))
        if workers > 1:
            from concurrent.futures import ProcessPoolExecutor

            with ProcessPoolExecutor(workers, mp_context=_fork()) as pool:
                entries = list(pool.map(_yield_entry, [(src, data, self.opts.limits,
                                                         self.want_names)
                                                        for _, src, data, _ in todo],
                                        chunksize=max(1, len(todo) // (workers * 8))))
        else:
            entries = [None] * len(todo)
        from specc import cache

        for (i, src, data, digest), entry in zip(todo, entries, strict=True):
            y = None
            if entry is not None:
                with contextlib.suppress(KeyError, TypeError, ValueError):
                    y = cache.from_entry(entry, src, self._lazy_spans)
            if y is None:
                y = self.file_yield(src, data)
            elif self.store is not None:
                self.store.store(digest, entry)  # type: ignore[arg-type]  # not None here
                self.store.remember(digest, y)
            out[i] = y
        for i, key, st, digest in indexed:
            y = out[i]
            if y is not None and not y.failed:
                self.index.update(key, st, digest, y)
        done: list[FileYield] = []
        for y in out:
            assert y is not None
            done.append(y)
            if progress is not None:
                errors += sum(1 for d in y.diagnostics if d.severity == "error")
                progress(len(done), len(files), errors)
        return done

    def _cached(self, src: SourceFile, data: bytes, digest: str) -> FileYield | None:
        """The yield of a file's bytes from the cache (memory, then disk), or None."""
        if self.store is None:
            return None
        from specc import cache

        kept = self.store.recall(digest)
        if kept is not None:
            return kept
        entry = self.store.load(digest)
        if entry is not None:
            with contextlib.suppress(KeyError, TypeError, ValueError):
                y = cache.from_entry(entry, src, self._lazy_spans)
                self.store.remember(digest, y)
                return y
        return None

    def load(self, files: list[Path], context: Sequence[Path | str],
             catalog: Sequence[Path] = ()) -> None:
        """Read the given files (reported on); with context, the project's files their check
        needs: those defining what they use (transitively), those using what they define
        (dependents, which are reported on too), and those defining the same names; and the
        catalogue files (registered entities, never reported on; one that does not load is a
        usage error). Raises ``UsageError``."""
        yields = self._read_many(files)
        for y in yields:
            self.lost.extend(y.lost)
        given = list(yields)
        if context:
            yields += self._context(given, context)
        if catalog:
            if self.given is None:
                self.given = {y.source for y in given}
            for f in catalog:
                y, _, _ = self.read(f)
                bad = next((d for d in y.diagnostics if d.severity == "error"
                            and d.pass_name == "load"), None)
                if bad is not None or y.failed:
                    why = bad.message if bad is not None else "it cannot be read"
                    raise UsageError(f"--catalog: {bad.file if bad and bad.file else f}: {why}")
                yields.append(_specs_only(y))
        for y in yields:
            self.sink.extend(y.diagnostics)
            for doc, c in zip(y.documents, y.canonical, strict=True):
                self.documents.append(doc)
                if c is not None:
                    self.canonical.append(c)
        self.results["canonical"] = self.canonical
        self.results["lost"] = self.lost

    def _context(self, given: list[FileYield], context: Sequence[Path | str]
                 ) -> list[FileYield]:
        from specc import cache

        # by path text: a repository's thousands of context files need no Path objects, only
        # the few that are read
        known: dict[str, tuple[frozenset[str], frozenset[str], str]] = {}
        fresh: dict[str, FileYield] = {}
        for f in context:
            key = f if isinstance(f, str) else str(f)
            try:
                st = os.stat(key)
            except OSError:
                continue  # listed by git, no longer in the work tree
            row = self.index.lookup(key, st)
            if row is not None:
                known[key] = (frozenset(row[3]), frozenset(row[4]), row[2])
                continue
            y, st2, digest = self.read(Path(f))
            if y.failed:
                continue  # a context file that does not load is no spec of the project
            if st2 is not None and digest:
                self.index.update(key, st2, digest, y)
            fresh[key] = y
            known[key] = (y.defines, y.uses, digest)
        self.context_names = {f: defines for f, (defines, _, _) in known.items()}
        defined_by: dict[str, list[str]] = {}
        for f, (defines, _, _) in known.items():
            for name in defines:
                defined_by.setdefault(name, []).append(f)
        given_defines = frozenset().union(*(y.defines for y in given))
        given_uses = frozenset().union(*(y.uses for y in given))
        dependents = [f for f, (_, uses, _) in known.items() if uses & given_defines]
        report_uses = set(given_uses).union(*(known[f][1] for f in dependents))
        wanted = set(dependents)
        wanted |= cache.names_closure(report_uses, defined_by,
                                      {f: v[1] for f, v in known.items()})
        for name in given_defines:  # another definition of the same name: SPC208
            wanted.update(defined_by.get(name, ()))
        # for did-you-mean on a name no file has (the given files' own names are had)
        for name in report_uses - set(defined_by) - given_defines:
            kind, _, bare = name.partition(":")
            same_kind = [n.partition(":")[2] for n in defined_by if n.startswith(kind + ":")]
            for close in difflib.get_close_matches(bare, same_kind, n=3, cutoff=0.6):
                wanted.update(defined_by[f"{kind}:{close}"])
        out: list[FileYield] = []
        reported = set(dependents)
        self.given = {y.source for y in given}
        for f in sorted(wanted, key=Path):
            got = fresh.get(f) or self._from_cache(Path(f), known[f][2])
            if got is None:
                continue
            y = got
            if f in reported:
                self.given.add(y.source)
            else:
                y = _specs_only(y)
            out.append(y)
        return out

    def _from_cache(self, path: Path, digest: str) -> FileYield | None:
        from specc import cache

        assert self.store is not None
        kept = self.store.recall(digest)
        if kept is not None:
            return kept
        entry = self.store.load(digest)
        src, data, _ = read_file(path, self.opts.limits)
        if entry is not None:
            if src.form in ("yaml", "json") and data is not None:
                src.text = data.decode("utf-8", "replace").removeprefix("\ufeff")
            with contextlib.suppress(KeyError, TypeError, ValueError):
                return cache.from_entry(entry, src, self._lazy_spans)
        if data is None:
            return None
        y = self.file_yield(src, data)
        return None if y.failed else y

    # -- the passes ------------------------------------------------------------------------------
    def execute(self, upto: str | None = None) -> None:
        for spec in PASSES:
            if self.internal:
                return
            if spec.per == "document":
                continue  # run per file as the files were read (see file_yield)
            try:
                self._run_pass(spec)
            except Exception as e:  # a pass that raises is a bug; report it, never a traceback
                where = traceback.extract_tb(e.__traceback__)[-1]
                self.sink.add(dg.make("SPC900", None, spec.name, stage=spec.name,
                                      error=f"{type(e).__name__}: {e} "
                                            f"({Path(where.filename).name}:{where.lineno})"))
                self.internal = True
                return
            if spec.name == upto:
                return

    def _reporter(self, key: Any, spec: PassSpec) -> dg.Reporter:
        r = self.sink.reporter(spec.name)
        self._reporters.append((key, r))
        return r

    def _run_pass(self, spec: PassSpec) -> None:
        self._reporters: list[tuple[Any, dg.Reporter]] = []
        fn = spec.function
        if spec.per == "run":
            args = [self.results[n] for n in spec.needs]
            got = fn(*args, self._reporter(None, spec))
            if spec.provides:
                self.results[spec.provides] = got
        else:
            targets = self._targets(spec)
            args = [self.results[n] for n in spec.needs]
            extra = [self.results[n] for n in SETTINGS.get(spec.name, ())]
            got = fn(*args, targets, lambda e: self._reporter(e, spec), *extra)
            if spec.provides:
                self.results[spec.provides] = got
            for e in targets:
                self.ran.setdefault(e, set()).add(spec.name)
        for key, r in self._reporters:
            if r.errors and key is not None:
                self.failed[(key, spec.name)] = self.failed.get((key, spec.name), 0) + r.errors

    def _targets(self, spec: PassSpec) -> list[Any]:
        """The entities ``spec`` is run on: those of its class whose needs are met."""
        program: ir.Program = self.results["program"]
        stopping = {p.provides: p.name for p in PASSES if p.stops and p.provides}
        blockers = [stopping[n] for n in spec.needs if n in stopping]
        # an entity of a file that is not reported on only lends its interface to those that
        # are: nothing found in it would be shown (closures still need every workflow checked)
        only_reported = self.given is not None and not self.opts.want_closures
        out: list[ir.Entity] = []
        for e in program.entities:
            if e.broken or not isinstance(e, spec.targets):
                continue
            if only_reported and not self._reported(e.loc.file):
                continue
            if any((e, b) in self.failed for b in blockers):
                continue
            out.append(e)
        if spec.name == "emit-closure":
            out = self._emittable(out)
        return out

    def _emittable(self, workflows: list[ir.Entity]) -> list[ir.Entity]:
        """The primaries to compile: only when closures are wanted and nothing has errors."""
        if not self.opts.want_closures and self.opts.bundle is None:
            return []
        res: ir.Resolution = self.results["resolution"]
        if self.opts.draft:
            return [w for w in workflows if isinstance(w, ir.Workflow) and w.primary
                    and self._reported(w.loc.file) and not res.is_partial(w)
                    and (w, "check-graph") not in self.failed]
        if any(d.severity == "error" and self._reported(d.source) for d in self.sink.items):
            return []  # (errors in context and catalogue files are not reported, and no bar)
        wanted: list[ir.Entity] = [w for w in workflows if isinstance(w, ir.Workflow)
                                   and w.primary and self._reported(w.loc.file)]
        if any(res.is_partial(w) for w in wanted):
            return []  # all or nothing: a closure of a workflow not checked fully is no closure
        return wanted

    # -- the outcome -----------------------------------------------------------------------------
    def _reported(self, src: SourceFile | None) -> bool:
        if self.given is None or src is None:
            return True
        return (src.archive or src) in self.given

    def result(self, files: int) -> Result:
        diags = [d for d in self.sink.sorted() if self._reported(d.source)]
        sources = {}
        for doc in self.documents:
            src = doc.file
            if src.form == "yaml" and self._reported(src):
                sources[src.display] = src
        diags = policy.apply(diags, self.opts.policy, sources, self._checked_digits())
        res: ir.Resolution | None = self.results.get("resolution")
        not_checked = []
        if res is not None:
            by_entity: dict[ir.Entity, list[ir.Unchecked]] = {}
            for u in res.unchecked:
                by_entity.setdefault(u.entity, []).append(u)
            not_checked = [NotChecked(e, tuple(us)) for e, us in by_entity.items()
                           if self._reported(e.loc.file)]
        external = [u for u in res.external if self._reported(u.entity.loc.file)] \
            if res is not None else []
        return Result(diags, files, [], self.internal,
                      program=self.results.get("program"), resolution=res,
                      graph=self.results.get("graph"), documents=self.documents,
                      canonical=self.canonical, closures=self.results.get("closures") or [],
                      not_checked=not_checked, external=external,
                      context_names=self.context_names)

    def _checked_digits(self) -> dict[str, str]:
        """Per reported YAML file where not every check ran, the hundreds digits of the codes
        whose checks ran on all of it (a suppression of another code is not called unused: its
        check never ran)."""
        if self.internal:
            return {}
        all_digits = "0" + "".join(p.digit for p in PASSES if p.digit)
        out: dict[str, str] = {}
        canonical_of = {c.source: c for c in self.canonical}
        program: ir.Program | None = self.results.get("program")
        by_doc: dict[Any, list[ir.Entity]] = {}
        if program is not None:
            for e in program.entities:
                doc = e.loc.doc
                by_doc.setdefault(doc.document if doc is not None else None, []).append(e)
        for doc in self.documents:
            src = doc.file
            if src.form != "yaml":
                continue
            digits = set(out.get(src.display, all_digits))
            c = canonical_of.get(doc)
            if c is None or not c.ok or (doc, "check-schema") in self.failed:
                digits &= {"0", "1"}
            res: ir.Resolution | None = self.results.get("resolution")
            for e in by_doc.get(doc, []):
                if res is not None and res.is_partial(e):
                    digits -= {"2", "4", "6", "7"}  # what needs its unchecked refs was skipped
                ran = self.ran.get(e, set())
                for p in PASSES:
                    if p.per == "entity" and p.digit and isinstance(e, p.targets) \
                            and p.name not in ran:
                        digits.discard(p.digit)
            out[src.display] = "".join(sorted(digits))
        out = {k: v for k, v in out.items() if set(v) != set(all_digits)}
        for d in self.sink.items:  # a file that did not load: nothing was judged
            if d.pass_name == "load" and d.severity == "error" and d.source is not None:
                out[d.source.display] = ""
        return out


_DEFINED: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    # document kind -> (entity kind, path to a list of identifiers or to one identifier)
    "TaskSpec": (("task", ("template", "id")),),
    "TaskTemplate": (("task", ("id",)),),
    "Task": (("task", ("closure", "compiledTask", "template", "id")),),
    "WorkflowSpec": (("workflow", ("template", "id")), ("workflow", ("subWorkflows", "*", "id"))),
    "WorkflowTemplate": (("workflow", ("id",)),),
    "WorkflowClosure": (("workflow", ("workflow", "id")), ("task", ("tasks", "*", "id"))),
    "Workflow": (("workflow", ("closure", "compiledWorkflow", "primary", "template", "id")),
                 ("workflow", ("closure", "compiledWorkflow", "subWorkflows", "*", "template",
                               "id")),
                 ("task", ("closure", "compiledWorkflow", "tasks", "*", "template", "id"))),
    "LaunchPlan": (("launchplan", ("id",)),),
}
_USES = {"referenceId": "task", "subWorkflowRef": "workflow", "launchplanRef": "launchplan",
         "workflowId": "workflow"}


def _names(docs: Iterable[CanonicalDocument]) -> tuple[frozenset[str], frozenset[str]]:
    """The ``"<kind>:<name>"`` of the entities ``docs`` define, and of those they reference (a
    quick scan of the canonical data, for picking files; resolution is build-ir's)."""
    defines: set[str] = set()
    uses: set[str] = set()
    for doc in docs:
        for what, path in _DEFINED.get(doc.kind, ()):
            for ident in _at(doc.data, path):
                if isinstance(ident, dict) and ident.get("name"):
                    defines.add(f"{what}:{ident['name']}")
        stack: list[Any] = [doc.data]
        while stack:
            v = stack.pop()
            if isinstance(v, dict):
                for k, x in v.items():
                    kind = _USES.get(k)
                    if kind is not None and isinstance(x, dict) and x.get("name"):
                        uses.add(f"{kind}:{x['name']}")
                    elif isinstance(x, (dict, list)):
                        stack.append(x)
            elif isinstance(v, list):
                stack.extend(x for x in v if isinstance(x, (dict, list)))
    return frozenset(defines), frozenset(uses)


def _at(data: Any, path: tuple[str, ...]) -> list[Any]:
    cur = [data]
    for step in path:
        nxt = []
        for v in cur:
            if step == "*" and isinstance(v, list):
                nxt.extend(v)
            elif isinstance(v, dict) and step in v:
                nxt.append(v[step])
        cur = nxt
    return cur


def _specs_only(y: FileYield) -> FileYield:
    """A context file's yield as the run uses it: its spec documents, none of its diagnostics
    (a context file is not reported on; a document that is no spec is left out)."""
    keep = [(d, c) for d, c in zip(y.documents, y.canonical, strict=True) if c is not None]
    return FileYield(y.source, [d for d, _ in keep], [c for _, c in keep], [], y.failed,
                     y.defines, y.uses, [])


class _Reparse:
    """The span index of a document read from the cache: the file is parsed again, with spans,
    the first time a position is needed (a diagnostic on it, the language server)."""

    __slots__ = ("index", "limits", "spans", "src")

    def __init__(self, src: SourceFile, index: int, limits: Limits) -> None:
        self.src, self.index, self.limits = src, index, limits
        self.spans: Any = None

    def table(self) -> Any:
        if self.spans is None:
            docs, _ = parse(self.src, (self.src.text or "").encode(), self.limits)
            got = next((d.spans for d in docs if d.index == self.index), None)
            self.spans = got if got is not None else _NoSpans()
        t = getattr(self.spans, "table", None)
        return t() if callable(t) else self.spans

    def lookup(self, pointer: str, at_key: bool = False) -> Span | None:
        self.table()
        got: Span | None = self.spans.lookup(pointer, at_key)
        return got


class _NoSpans:
    def lookup(self, pointer: str, at_key: bool = False) -> Span | None:
        return None


# files read on one core below this many; more are shared among the cores (forked processes)
PARALLEL_FROM = 48


def _workers(files: int) -> int:
    if files < PARALLEL_FROM or _fork() is None:
        return 1
    return max(1, min(os.cpu_count() or 1, files // (PARALLEL_FROM // 2), 8))


def _fork() -> Any:
    """The fork start method, where there is one (workers then start with specc imported)."""
    import multiprocessing

    try:
        return multiprocessing.get_context("fork")
    except ValueError:  # pragma: no cover - no fork on this platform
        return None


def _yield_entry(job: tuple[SourceFile, bytes, Limits, bool]) -> dict[str, Any] | None:
    """In a worker: the JSON form of a file's yield (None when it cannot be carried back)."""
    from specc import cache

    src, data, limits, want_names = job
    run = _Run(Options(paths=[], limits=limits, use_config=False, cache=False), None)
    run.want_names = want_names
    return cache.to_entry(run.file_yield(src, data))


def _text_of(src: SourceFile | None, docs: Iterable[Document]) -> str | None:
    """What can be searched for names in a file or document that could not be read."""
    if src is not None and src.text is not None:
        return src.text
    parts = []
    for d in docs:
        if d.data is not None:
            try:
                parts.append(json.dumps(d.data, default=str))
            except (TypeError, ValueError):  # pragma: no cover - data is JSON-like
                return None
    if parts:
        return "\n".join(parts)
    if src is not None and src.data is not None:
        return src.data.decode("utf-8", "replace")
    return None


def configure(opts: Options) -> Config | None:
    """Load the configuration (``--config``, or the nearest one above the first path) into the
    driver's options; what the caller set explicitly wins. The Config, or None.

    Raises ``UsageError`` for a configuration that cannot be used (exit 2)."""
    if not opts.use_config or not opts.paths:
        return None
    from specc import config

    try:
        found = opts.config_path or config.find(opts.paths[0])
        cfg = config.load(found) if found is not None else None
    except config.ConfigError as e:
        raise UsageError(str(e)) from e
    if cfg is None:
        return None
    if opts.platform is None:
        opts.platform = cfg.platform
    if opts.policy is None:
        opts.policy = cfg.policy
    if not opts.lint_options:
        opts.lint_options = cfg.lint_options
    if not opts.catalog and cfg.catalog:
        opts.catalog = list(cfg.catalog)
    if cfg.limits and opts.limits == Limits():
        opts.limits = replace(opts.limits, **cfg.limits)
    return cfg


def _check_lint_options(opts: Options, cfg: Config | None) -> None:
    """Refuse an unknown lint rule or an invalid rule option (``[lint.<rule>]``) before anything
    runs, saying where, as the configuration's other errors do."""
    from specc import lint

    problems = lint.option_problems(opts.lint_options)
    if not problems:
        return
    key, why = problems[0]
    where, prefix = "", ""
    if cfg is not None and opts.lint_options is cfg.lint_options and cfg.path is not None:
        where = f"{cfg.path}: "
        prefix = "tool.specc." if cfg.path.name == "pyproject.toml" else ""
    raise UsageError(f"{where}'{prefix}lint.{key}' {why}")


# ---- artifacts ---------------------------------------------------------------------------------

def serialize_closure(closure: dict[str, Any], emit: str) -> bytes:
    if emit == "pb":
        from flyteidl.core import compiler_pb2

        from specc.protojson import encode

        # json_format.ParseDict + SerializeToString(deterministic=True), byte for byte, faster
        return encode(closure, compiler_pb2.CompiledWorkflowClosure)
    if emit == "json":
        return (json.dumps(closure, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()
    if emit == "yaml":
        from specc.yamlwrite import dump

        return dump(_sorted(closure)).encode()
    raise ValueError(emit)


def _sorted(v: Any) -> Any:
    if isinstance(v, dict):
        return {k: _sorted(v[k]) for k in sorted(v)}
    if isinstance(v, list):
        return [_sorted(x) for x in v]
    return v


def closure_filenames(closures: Sequence[tuple[ir.Workflow, Any]], emit: str) -> list[str]:
    """``<stem>.closure.<emit>`` per workflow, the stem made of its name alone
    (``specc.emit.names.file_stem``): the same name on every run, whatever else is compiled. Two
    workflows with one stem (up to case) are reported by emit-closure (SPC024) when files are
    written."""
    from specc.emit.names import file_stem

    return [f"{file_stem(wf.id.name)}.closure.{emit}" for wf, _ in closures]


def write_closures(closures: Sequence[tuple[ir.Workflow, dict[str, Any]]], out: Path,
                   emit: str) -> list[Path]:
    """Write every closure into ``out``, all or none (``specc.emit.write_files``)."""
    from specc.emit import write_files

    files = [(out / name, serialize_closure(c, emit))
             for name, (_, c) in zip(closure_filenames(closures, emit), closures, strict=True)]
    write_files(files)
    return [p for p, _ in files]
