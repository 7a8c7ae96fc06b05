"""The driver: the only place that knows the order of stages.

files -> front-ends -> passes (``specc.passes.PASSES``) -> artifacts, diagnostics. Artifacts are
serialized completely before the first byte is written, and each file is written to a temporary
name and renamed, so a run with errors, or one that fails half-way, leaves nothing behind.
"""
from __future__ import annotations

import gc
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from specc import diagnostics as dg
from specc import policy, project
from specc.emit import atomic_write
from specc.frontends import Limits, expand
from specc.passes import PASSES, Context
from specc.platform import Platform
from specc.policy import Policy

EXIT_OK, EXIT_ERRORS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


@dataclass
class Options:
    paths: list[Path]
    out: Path | None = None
    emit: str = "pb"  # closure encoding: pb | json | yaml
    limits: Limits = field(default_factory=Limits)
    closures: bool = False  # build closures even without --out (tests, library use)
    platform: "Platform | None" = None  # deployment settings for check-registration
    use_config: bool = True  # look for specc.toml / [tool.specc] above the first path
    config_path: Path | None = None
    # select / ignore / severity / per-path (specc.policy); from the configuration when None
    policy: "Policy | None" = None
    lint_options: dict = field(default_factory=dict)  # [lint] of the configuration, by rule
    # also load the project's other specs for resolution, report only on the given files
    # (specc.project); the CLI turns it on unless --no-context
    context: bool = False
    # text to read instead of a file's content on disk (the language server's unsaved buffers);
    # such a file need not exist yet
    overrides: dict[Path, bytes] | None = None
    bundle: Path | None = None  # write a registration bundle (specc.emit.bundle) here
    # identifier fields the bundle fills as `flytectl register files` does: project/domain/version
    registration: dict[str, str] = field(default_factory=dict)

    @property
    def want_closures(self) -> bool:
        return self.closures or self.out is not None


@dataclass
class Result:
    diagnostics: list[dg.Diagnostic]
    files: int
    context: Context | None
    written: list[Path]
    internal_error: bool = False

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
        return EXIT_ERRORS if self.errors else EXIT_OK


class UsageError(Exception):
    """A problem with how specc was called (exit 2), not with the specs."""


def compile_paths(opts: Options) -> Result:
    # The run allocates many small, acyclic objects; the cyclic collector would scan them over
    # and over for nothing (a third of the time on 10,000 nodes, bench/compile_bench.py).
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _compile_paths(opts)
    finally:
        if was_enabled:
            gc.enable()


def _compile_paths(opts: Options) -> Result:
    files, missing = expand(opts.paths)
    if opts.overrides and missing:
        files += [m for m in missing if m in opts.overrides]
        missing = [m for m in missing if m not in opts.overrides]
    if missing:
        raise UsageError("no such file or directory: " + ", ".join(str(m) for m in missing))
    cfg = project.configure(opts)
    _check_lint_options(opts, cfg)
    ctx, internal, given = project.check(opts, files, cfg)
    sink = ctx.sink
    written: list[Path] = []
    bundle = None
    if opts.bundle is not None and not sink.error_count and not internal:
        from specc.emit import bundle as bundle_mod

        try:
            bundle, _ = bundle_mod.build(ctx, opts.registration)
        except bundle_mod.BundleError as e:
            raise UsageError(f"--bundle: {e}") from e
    if ctx.artifacts and not sink.error_count and not internal and opts.out is not None:
        try:
            written = write_closures(ctx.artifacts, opts.out, opts.emit)
        except OSError as e:
            raise UsageError(f"cannot write to '{opts.out}': {e.strerror or e}") from e
    if bundle is not None:
        from specc.emit import bundle as bundle_mod

        try:
            bundle_mod.write(opts.bundle, bundle)
        except OSError as e:
            raise UsageError(f"cannot write '{opts.bundle}': {e.strerror or e}") from e
        written.append(opts.bundle)
    return Result(policy.visible(sink, opts, ctx, given), len(files), ctx, written, internal)


def _check_lint_options(opts: Options, cfg) -> None:
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


def run_passes(ctx: Context) -> bool:
    """Run the pass chain; True when a pass raised (a bug, reported as SPC900)."""
    for spec in PASSES:
        ctx.current_pass = spec.name
        before = ctx.sink.error_count
        try:
            spec.function(ctx)
        except Exception as e:  # a pass that raises is a bug; report it, never a traceback
            where = traceback.extract_tb(e.__traceback__)[-1]
            ctx.report("SPC900", None, stage=spec.name,
                       error=f"{type(e).__name__}: {e} ({Path(where.filename).name}:"
                             f"{where.lineno})")
            return True
        if spec.stops and ctx.sink.error_count > before:
            break
    return False


def serialize_closure(closure: dict, emit: str) -> bytes:
    if emit == "pb":
        from flyteidl.core import compiler_pb2
        from google.protobuf import json_format

        msg = json_format.ParseDict(closure, compiler_pb2.CompiledWorkflowClosure())
        return msg.SerializeToString(deterministic=True)
    if emit == "json":
        import json

        return (json.dumps(closure, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()
    if emit == "yaml":
        from specc.yamlwrite import dump

        return dump(_sorted(closure)).encode()
    raise ValueError(emit)


def _sorted(v):
    if isinstance(v, dict):
        return {k: _sorted(v[k]) for k in sorted(v)}
    if isinstance(v, list):
        return [_sorted(x) for x in v]
    return v


def closure_filenames(artifacts: list, emit: str) -> list[str]:
    names: list[str] = []
    used: dict[str, int] = {}
    for wf, _ in artifacts:
        base = wf.id.name or "workflow"
        base = base.replace("/", "_").replace("\\", "_")
        n = used.get(base, 0)
        used[base] = n + 1
        names.append(f"{base}.closure.{emit}" if n == 0 else f"{base}.{n + 1}.closure.{emit}")
    return names


def write_closures(artifacts: list, out: Path, emit: str) -> list[Path]:
    blobs = [serialize_closure(c, emit) for _, c in artifacts]
    names = closure_filenames(artifacts, emit)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, blob in zip(names, blobs):
        target = out / name
        atomic_write(target, blob)
        written.append(target)
    return written
