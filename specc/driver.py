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

import gc
import json
import traceback
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from specc import diagnostics as dg
from specc import ir, policy
from specc.config import Config
from specc.emit import atomic_write
from specc.frontends import expand, load_file
from specc.passes import PASSES, SETTINGS, PassSpec
from specc.platform import Platform
from specc.policy import Policy
from specc.source import CanonicalDocument, Document, Limits, SourceFile

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
    bundle: Path | None = None  # write a registration bundle (specc.emit.bundle) here
    # identifier fields the bundle fills as `flytectl register files` does: project/domain/version
    registration: dict[str, str] = field(default_factory=dict)

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
    withheld: str | None = None  # why the artifacts that were asked for were not written

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


def canonicalize(paths: Sequence[Path], limits: Limits) -> Checked:
    """Load ``paths`` and run check-schema only; for ``specc convert``, which needs no reference
    to resolve. Raises ``UsageError`` for a path that does not exist."""
    files, missing = expand(paths)
    if missing:
        raise UsageError("no such file or directory: " + ", ".join(str(m) for m in missing))
    run = _Run(Options(paths=list(paths), limits=limits, use_config=False))
    run.load(files, [])
    run.execute(upto="check-schema")
    return Checked(files, run.documents, [c for c in run.canonical if c.ok], run.sink.sorted())


def canonical_of_text(text: str, name: str = "<text>") -> tuple[CanonicalDocument | None,
                                                                list[dg.Diagnostic]]:
    """The one canonical document of a YAML text (load and check-schema), or None with the
    diagnostics that say why."""
    run = _Run(Options(paths=[], use_config=False))
    src = SourceFile(None, name, "yaml")
    from specc.frontends import yaml as fy

    docs, diags = fy.load(text.encode(), src, Limits())
    run.sink.extend(diags)
    run.documents = docs
    run.execute(upto="check-schema")
    got = run.canonical
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
    extra: list[Path] = list(opts.context_paths or [])
    if opts.context and files and opts.bundle is None and opts.context_paths is None:
        from specc import project

        extra = project.context_files(opts.paths[0], files,
                                      cfg.root if cfg is not None else None,
                                      cfg.include if cfg is not None else None)
    run = _Run(opts)
    given = set(files)
    run.load(files, [f for f in extra if f not in given])
    run.execute()
    result = run.result(len(files))
    if result.internal_error or result.errors:
        return result
    partial = [n.entity for n in result.not_checked if isinstance(n.entity, ir.Workflow)]
    if (opts.want_closures or opts.bundle is not None) and partial:
        what = "closures" if opts.bundle is None else "the bundle"
        result.withheld = (f"{what} not written: {len(partial)} workflow"
                           f"{'s' if len(partial) != 1 else ''} could not be checked fully")
        return result
    bundle = None
    if opts.bundle is not None:
        from specc.emit import bundle as bundle_mod

        assert result.program is not None
        try:
            bundle, _ = bundle_mod.build(result.program, run.canonical, opts.registration)
        except bundle_mod.BundleError as e:
            raise UsageError(f"--bundle: {e}") from e
    if result.closures and opts.out is not None:
        try:
            result.written = write_closures(result.closures, opts.out, opts.emit)
        except OSError as e:
            raise UsageError(f"cannot write to '{opts.out}': {e.strerror or e}") from e
    if bundle is not None and opts.bundle is not None:
        from specc.emit import bundle as bundle_mod

        try:
            bundle_mod.write(opts.bundle, bundle)
        except OSError as e:
            raise UsageError(f"cannot write '{opts.bundle}': {e.strerror or e}") from e
        result.written.append(opts.bundle)
    return result


class _Run:
    """The state of one run: documents, results of the passes, and which entity failed what."""

    def __init__(self, opts: Options) -> None:
        self.opts = opts
        self.sink = dg.Sink()
        self.documents: list[Document] = []
        self.given: set[SourceFile] | None = None  # None: every file is reported on
        self.context_docs: set[Document] = set()
        self.lost: list[str | None] = []
        self.canonical: list[CanonicalDocument] = []
        self.results: dict[str, Any] = {"platform": opts.platform,
                                         "lint_options": opts.lint_options}
        self.failed: dict[tuple[Any, str], int] = {}  # (entity or document, pass) -> errors
        self.ran: dict[Any, set[str]] = {}  # entity -> passes it was given to
        self.internal = False

    # -- loading ---------------------------------------------------------------------------------
    def load(self, files: list[Path], context: list[Path]) -> None:
        overrides = self.opts.overrides or {}
        given_sources: set[SourceFile] = set()
        for f in files:
            docs, diags = load_file(f, self.opts.limits, overrides.get(f))
            self.sink.extend(diags)
            self.documents.extend(docs)
            src = docs[0].file if docs else next((d.source for d in diags if d.source), None)
            if src is not None:
                given_sources.add(src.archive or src)
            if any(d.severity == "error" for d in diags):
                self.lost.append(_text_of(src, docs) if src is not None else None)
        if context:
            self.given = given_sources
            from specc.passes.check_schema import detect_kind

            for f in context:
                docs, diags = load_file(f, self.opts.limits)
                if any(d.severity == "error" for d in diags):
                    continue  # a context file that does not load is no spec of the project
                for doc in docs:
                    if doc.canonical is not None or (isinstance(doc.data, dict) and doc.data
                                                     and detect_kind(doc.data)[0]):
                        self.documents.append(doc)
                        self.context_docs.add(doc)

    # -- the passes ------------------------------------------------------------------------------
    def execute(self, upto: str | None = None) -> None:
        for spec in PASSES:
            if self.internal:
                return
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
        if spec.per == "document":
            out = []
            for doc in self.documents:
                got = fn(doc, self._reporter(doc, spec))
                if got is not None:
                    out.append(got)
                elif doc not in self.context_docs:
                    self.lost.append(_text_of(doc.file, [doc]))
            self.results[spec.provides or spec.name] = out
            self.results["lost"] = self.lost
            self.canonical = out
        elif spec.per == "run":
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
        out: list[ir.Entity] = []
        for e in program.entities:
            if e.broken or not isinstance(e, spec.targets):
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
        if self.sink.error_count:
            return []
        wanted = [w for w in workflows if isinstance(w, ir.Workflow) and w.primary
                  and self._reported(w.loc.file)]
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
        return Result(diags, files, [], self.internal,
                      program=self.results.get("program"), resolution=res,
                      graph=self.results.get("graph"), documents=self.documents,
                      canonical=self.canonical, closures=self.results.get("closures") or [],
                      not_checked=not_checked)

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
                    digits -= {"2", "4", "6"}  # what needs its unchecked references was skipped
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
        from google.protobuf import json_format

        msg = json_format.ParseDict(closure, compiler_pb2.CompiledWorkflowClosure())
        return msg.SerializeToString(deterministic=True)  # type: ignore[no-any-return]
    if emit == "json":
        return (json.dumps(closure, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()
    if emit == "yaml":
        import io

        from ruamel.yaml import YAML

        y = YAML(typ="safe", pure=True)
        y.default_flow_style = False
        y.sort_base_mapping_type_on_output = True  # type: ignore[attr-defined]
        buf = io.StringIO()
        y.dump(_sorted(closure), buf)
        return buf.getvalue().encode()
    raise ValueError(emit)


def _sorted(v: Any) -> Any:
    if isinstance(v, dict):
        return {k: _sorted(v[k]) for k in sorted(v)}
    if isinstance(v, list):
        return [_sorted(x) for x in v]
    return v


def closure_filenames(closures: Sequence[tuple[ir.Workflow, Any]], emit: str) -> list[str]:
    names: list[str] = []
    used: dict[str, int] = {}
    for wf, _ in closures:
        base = wf.id.name or "workflow"
        base = base.replace("/", "_").replace("\\", "_")
        n = used.get(base, 0)
        used[base] = n + 1
        names.append(f"{base}.closure.{emit}" if n == 0 else f"{base}.{n + 1}.closure.{emit}")
    return names


def write_closures(closures: Sequence[tuple[ir.Workflow, dict[str, Any]]], out: Path,
                   emit: str) -> list[Path]:
    blobs = [serialize_closure(c, emit) for _, c in closures]
    names = closure_filenames(closures, emit)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, blob in zip(names, blobs, strict=True):
        target = out / name
        atomic_write(target, blob)
        written.append(target)
    return written

