"""The project around the checked files: the other specs that references may resolve to.

pre-commit passes only the changed files, yet a changed workflow refers to tasks in files that did
not change. So the driver also loads the project's other spec files as *context*: they take part in
resolution, but what is reported on them is dropped; only the files given are reported on.

Which files: the configuration's ``include`` globs (relative to the configuration's folder), or by
default every spec file of the repository (the folder holding ``.git`` above the first path; the
configuration's folder when there is none; no context at all when there is neither). In a git
work tree the candidates are the files git tracks or would track (``git ls-files``), so ignored
folders (virtual environments, build output) are never read; elsewhere the tree is walked,
skipping hidden folders.

A context file is used only where it is a spec: a file that does not load cleanly, a document that
is not a task, workflow or launch plan, or one that fails ``check-schema``, is left out silently,
so a repository's other YAML and JSON files (CI configuration, JSON Schemas, ``package.json``)
never cause a diagnostic.
"""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

from specc.frontends import Limits, form_of, load_file
from specc.policy import glob_regex

_SKIP_DIRS = {"node_modules", "__pycache__", "site-packages"}


def repository_root(start: Path) -> Path | None:
    d = start.resolve()
    if not d.is_dir():
        d = d.parent
    for folder in (d, *d.parents):
        if (folder / ".git").exists():
            return folder
    return None


def context_files(first: Path, given: list[Path], config_root: Path | None,
                  include: tuple[str, ...] | None) -> list[Path]:
    """The project's spec files other than ``given``, sorted."""
    if include is not None and not include:
        return []
    if include is not None and config_root is not None:
        base = config_root
    else:
        base = repository_root(first) or config_root
    if base is None:
        return []
    candidates = _git_files(base)
    if candidates is None:
        candidates = _walk(base)
    regexes = [glob_regex(g) for g in include] if include else None
    skip = {os.path.normcase(os.path.abspath(p)) for p in given}
    out = []
    for rel in candidates:
        name = rel.rsplit("/", 1)[-1]
        if form_of(Path(name)) is None or (name.startswith("fast") and name.endswith(".tar.gz")):
            continue
        if regexes is not None and not any(r.match(rel) for r in regexes):
            continue
        path = base / rel
        if os.path.normcase(str(path)) in skip or not path.is_file():
            continue
        out.append(path)
    return sorted(out)


def _git_files(base: Path) -> list[str] | None:
    """Files under ``base`` that git tracks or would track ('/'-separated, relative to it);
    None when ``base`` is not in a git work tree or git is missing."""
    try:
        r = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard",
                            "--", "."], cwd=base, capture_output=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return None
    if r.returncode != 0:
        return None
    names = r.stdout.decode("utf-8", "surrogateescape").split("\0")
    return sorted({n for n in names if n})


def _walk(base: Path) -> list[str]:
    out = []
    for root, dirs, files in os.walk(base):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in _SKIP_DIRS
                         and not (Path(root) / d / "pyvenv.cfg").exists())
        rel_root = os.path.relpath(root, base).replace(os.sep, "/")
        for f in files:
            out.append(f if rel_root == "." else f"{rel_root}/{f}")
    return out


def load_context(paths: list[Path], limits: Limits, options=None) -> list:
    """The documents of the context files that are recognisably specs and pass check-schema."""
    from specc import diagnostics as dg
    from specc.passes import Context
    from specc.passes.check_schema import check_schema, detect_kind

    docs = []
    for path in paths:
        found, diags = load_file(path, limits)
        if any(d.severity == "error" for d in diags):
            continue
        for doc in found:
            if doc.canonical is not None:  # decoded protobuf
                docs.append(doc)
            elif isinstance(doc.data, dict) and doc.data and detect_kind(doc.data)[0]:
                docs.append(doc)
    # check-schema judges each document on its own: run it here, keep the clean ones (their
    # canonical form is set, so the real run does not check them again); a document it fails on
    # is left out too, so a stray file never breaks the check of the given ones
    kept = []
    for doc in docs:
        probe = Context(documents=[doc], options=options, sink=dg.Sink())
        probe.current_pass = "check-schema"
        try:
            check_schema(probe)
        except Exception:  # noqa: BLE001 - reported when the file itself is checked
            continue
        if doc.canonical is not None and not probe.sink.error_count:
            kept.append(doc)
    return kept


def is_reported(file: str | None, given: set[str]) -> bool:
    """Whether a diagnostic's file is one of the given files (or a member of a given archive)."""
    if file is None:
        return True
    return file in given or file.split("!", 1)[0] in given


def configure(opts):
    """Load the configuration (``--config``, or the nearest one above the first path) into the
    driver's options; what the caller set explicitly wins. The Config, or None.

    Raises ``driver.UsageError`` for a configuration that cannot be used (exit 2)."""
    if not opts.use_config or not opts.paths:
        return None
    from dataclasses import replace

    from specc import config
    from specc.driver import UsageError

    try:
        found = opts.config_path or config.find(opts.paths[0])
        cfg = config.load(found) if found is not None else None
    except config.ConfigError as e:
        raise UsageError(str(e)) from e
    if cfg is None:
        return None
    if opts.platform is None:
        opts.platform = cfg.platform
    if getattr(opts, "policy", None) is None:
        opts.policy = cfg.policy
    if not getattr(opts, "lint_options", None):
        opts.lint_options = cfg.lint_options
    if cfg.limits and opts.limits == Limits():
        opts.limits = replace(opts.limits, **cfg.limits)
    return cfg


def check(opts, files: list[Path], cfg) -> tuple:
    """Load the given files (and the project's other specs as context, when ``opts.context``)
    and run the passes. Returns the pass context, whether a pass raised, and the display names of
    the files reported on (None: every file)."""
    from specc import diagnostics as dg
    from specc.driver import run_passes
    from specc.frontends import display_path
    from specc.passes import PASSES, Context

    overrides = getattr(opts, "overrides", None)

    def load(paths: list[Path]) -> tuple[list, list]:
        documents, diags = [], []
        for f in paths:
            if overrides:
                docs, ds = load_file(f, opts.limits, overrides.get(f))
            else:
                docs, ds = load_file(f, opts.limits)
            documents.extend(docs)
            diags.extend(ds)
        return documents, diags

    extra_files: list[Path] = []
    if getattr(opts, "context", False) and files and getattr(opts, "bundle", None) is None:
        extra_files = context_files(opts.paths[0], files,
                                    cfg.root if cfg is not None else None,
                                    cfg.include if cfg is not None else None)
    given = {display_path(f) for f in files} if extra_files else None
    documents, diags = load(files)
    extra = load_context(extra_files, opts.limits, opts) if extra_files else []
    dropped: set[tuple[str, int]] = set()
    while True:
        sink = dg.Sink()
        sink.extend(diags)
        ctx = Context(documents=documents + extra, options=opts, sink=sink)
        internal = run_passes(ctx) if not sink.error_count else False
        if not extra or internal:
            break
        # errors in context documents must not stop the chain for the given files, nor keep
        # their closures from being built: leave those documents out and run again
        bad = {(d.file, d.doc_index) for d in sink.items
               if d.severity == "error" and not is_reported(d.file, given)}
        stopped = ctx.current_pass != PASSES[-1].name
        if not bad or not (stopped or opts.want_closures) or bad <= dropped:
            break
        dropped |= bad
        documents, diags = load(files)  # the passes changed the documents: read them again
        extra = [d for d in load_context(extra_files, opts.limits, opts)
                 if (d.file.display, d.index) not in dropped]
    if given is not None:
        ctx.artifacts = [(wf, c) for wf, c in ctx.artifacts if is_reported(wf.loc.file, given)]
    return ctx, internal, given
