"""``specc diff``: what changed between two versions of the specs, and what the change breaks.

Each side is compiled by the driver (any input form specc reads: folders, YAML, JSON, ``.pb``,
bundles, the dialect), on its own (no project context: a side is exactly what it is given).
The OLD side is paths, or the given paths at a git revision (``specc.diff.git``). Then
``specc.diff.compare`` matches the entities of the two programs and reports, in the catalogue's
SPC8xx block (pass ``diff``): errors (SPC80x) for what breaks callers or what FlyteAdmin would
refuse, notes (SPC81x) for compatible changes. A side's own errors are shown too, their messages
starting with 'old side:' or 'new side:', since what could not be built is not compared.

The configuration (``--config``, or the one found from NEW's first path, as for ``compile``) is
used for both sides' compiles and its ``select`` / ``ignore`` / ``severity`` apply to the diff's
diagnostics, so ``ignore = ["SPC81"]`` keeps only breaking changes.

The result has what the reporters read (``diagnostics``, ``files``, ``errors``, ``warnings``,
``internal_error``, ``not_checked``), so every ``--format`` of ``compile`` prints it.
"""
from __future__ import annotations

import traceback
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from specc import driver, ir, policy
from specc.diagnostics import Diagnostic, make
from specc.diff import git
from specc.diff.compare import PASS, Differ, Side
from specc.source import SourceFile

__all__ = ["PASS", "DiffResult", "SideReport", "diff", "diff_against", "summary"]


@dataclass
class SideReport:
    """One side as compiled: ``where`` says how it was given (for messages)."""

    label: str  # 'old' | 'new'
    where: str
    result: driver.Result | None  # None: the side has no files (a path absent at a revision)
    missing: list[str] = field(default_factory=list)  # paths absent at the revision

    @property
    def files(self) -> int:
        return self.result.files if self.result is not None else 0

    @property
    def errors(self) -> int:
        return self.result.errors if self.result is not None else 0


@dataclass
class DiffResult:
    diagnostics: list[Diagnostic]
    old: SideReport
    new: SideReport
    compared: int = 0  # pairs of entities compared
    internal_error: bool = False
    not_checked: list[Any] = field(default_factory=list)  # the reporters' contract; always empty

    @property
    def files(self) -> int:
        return self.old.files + self.new.files

    @property
    def errors(self) -> int:
        return sum(1 for d in self.diagnostics if d.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for d in self.diagnostics if d.severity == "warning")

    @property
    def notes(self) -> int:
        return sum(1 for d in self.diagnostics if d.severity == "note")

    @property
    def exit_code(self) -> int:
        if self.internal_error:
            return driver.EXIT_INTERNAL
        return driver.EXIT_ERRORS if self.errors else driver.EXIT_OK


def diff(old_paths: list[Path], new_paths: list[Path], version: str | None = None,
         config_path: Path | None = None, use_config: bool = True) -> DiffResult:
    """Compare the specs of ``old_paths`` with those of ``new_paths``. ``version`` is the version
    that empty and placeholder versions take on both sides. Raises ``driver.UsageError``
    (exit 2) for a missing path or a bad configuration."""
    found, pol = _configuration(new_paths, config_path, use_config)
    old = SideReport("old", _where(old_paths), _compile(old_paths, found))
    new = SideReport("new", _where(new_paths), _compile(new_paths, found))
    return _compare(old, new, version, pol)


def diff_against(against: str, new_paths: list[Path], version: str | None = None,
                 config_path: Path | None = None, use_config: bool = True,
                 repository_paths: bool = False) -> DiffResult:
    """Compare ``new_paths`` (default: the current folder) as they are with the same paths at
    git revision ``against`` of their repository. The old files are named ``REV:path``, or
    with ``repository_paths`` by their path in the work tree (SARIF and GitHub annotations
    need paths of the repository; a ``REV:`` prefix would read as a URI scheme). Raises
    ``driver.UsageError`` (exit 2) for a revision git cannot read, a missing path or a bad
    configuration."""
    paths = new_paths or [Path(".")]
    found, pol = _configuration(paths, config_path, use_config)
    try:
        revision = git.parse(against, paths[0])
        with git.snapshot(revision, paths) as snap:
            result = _compile(snap.paths, found) if snap.paths else None
            if result is not None:
                _rename(result, snap, revision.root if repository_paths else None)
            old = SideReport("old", f"{snap.label}:" + ", ".join(_rel(p, revision.root)
                                                                for p in paths),
                             result, snap.missing)
    except git.GitError as e:
        raise driver.UsageError(f"--against: {e}") from e
    new = SideReport("new", _where(paths), _compile(paths, found))
    return _compare(old, new, version, pol)


def summary(result: DiffResult) -> list[str]:
    """Lines for stderr: each side that has errors or paths missing at the revision, then the
    counts."""
    lines = []
    for side in (result.old, result.new):
        for m in side.missing:
            lines.append(f"specc: note: '{m}' does not exist in the {side.label} specs "
                         f"({side.where}); what it holds now counts as added")
        if side.errors:
            n = side.errors
            lines.append(f"specc: the {side.label} specs ({side.where}) have {n} error"
                         f"{'s' if n != 1 else ''} (messages starting '{side.label} side:'); "
                         f"what could not be built is not compared")
    parts = []
    for n, what in ((result.errors, "error"), (result.warnings, "warning"),
                    (result.notes, "note")):
        if n:
            parts.append(f"{n} {what}{'s' if n != 1 else ''}")
    head = ", ".join(parts) if parts else "no changes"
    pairs = f"{result.compared} entit{'ies' if result.compared != 1 else 'y'} compared"
    lines.append(f"specc: {head}; {pairs} (old: {_files(result.old.files)}, new: "
                 f"{_files(result.new.files)})")
    return lines


# ---- the steps ---------------------------------------------------------------------------------

def _configuration(paths: list[Path], config_path: Path | None, use_config: bool
                   ) -> tuple[Path | None, policy.Policy | None]:
    """The configuration file both sides are compiled with, and its policy (what the diff's
    own diagnostics are filtered by)."""
    if not use_config:
        return None, None
    probe = driver.Options(paths=list(paths), config_path=config_path)
    cfg = driver.configure(probe)
    if cfg is None:
        return None, None
    return cfg.path, probe.policy


def _compile(paths: list[Path], config_path: Path | None) -> driver.Result:
    return driver.compile_paths(driver.Options(paths=list(paths), use_config=config_path
                                               is not None, config_path=config_path))


def _compare(old: SideReport, new: SideReport, version: str | None,
             pol: policy.Policy | None) -> DiffResult:
    internal = any(s.result is not None and s.result.internal_error for s in (old, new))
    out: list[Diagnostic] = []
    for side in (old, new):
        if side.result is not None:
            out += _labelled(side.result.diagnostics, side.label)
    differ = Differ(_side(old), _side(new), version)
    try:
        found = differ.run()
    except Exception as e:  # a bug in the rules: report it, never a traceback
        where = traceback.extract_tb(e.__traceback__)[-1]
        found = [make("SPC900", None, PASS, stage=PASS,
                      error=f"{type(e).__name__}: {e} ({Path(where.filename).name}:"
                            f"{where.lineno})")]
        internal = True
    out += policy.apply(found, pol)
    out.sort(key=Diagnostic.sort_key)
    return DiffResult(out, old, new, differ.compared, internal)


def _side(report: SideReport) -> Side:
    r = report.result
    if r is None or r.program is None:
        return Side(report.label, ir.Program())
    return Side(report.label, r.program, r.resolution)


def _labelled(diagnostics: Iterable[Diagnostic], label: str) -> list[Diagnostic]:
    """A side's errors, their messages saying which side they are from (its warnings and notes
    are for 'specc compile': they do not change what is compared)."""
    return [replace(d, message=f"{label} side: {d.message}") for d in diagnostics
            if d.severity == "error"]


def _rename(result: driver.Result, snap: git.Snapshot, root: Path | None) -> None:
    """Name the files of a revision's snapshot as git does (``REV:path``, bundle members
    ``REV:path!member``), or by their place in the work tree ``root``, instead of by the
    temporary folder they were read from. The files are this run's own objects, read by nothing
    else, so they are renamed in place."""
    sources: dict[int, SourceFile] = {}

    def add(src: SourceFile | None) -> None:
        while src is not None:
            sources[id(src)] = src
            src = src.archive

    for doc in result.documents:
        add(doc.file)
    for d in result.diagnostics:
        add(d.source)
        for rel in d.related:
            add(rel.source)
    renamed: dict[str, str] = {}
    for src in sources.values():
        if src.archive is None and src.path is not None:
            shown = snap.display(src.path, root)
            if shown is not None:
                renamed[src.display] = shown
                src.display = shown
    for src in sources.values():
        if src.archive is not None:
            head, bang, member = src.display.partition("!")
            if bang and head in renamed:
                src.display = f"{renamed[head]}!{member}"


def _where(paths: list[Path]) -> str:
    return ", ".join(str(p) for p in paths)


def _rel(path: Path, root: Path) -> str:
    try:
        rel = path.resolve().relative_to(root)
    except ValueError:
        return str(path)
    return rel.as_posix() if rel.parts else "."


def _files(n: int) -> str:
    return f"{n} file{'s' if n != 1 else ''}"
