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

A context file is used only where it is a spec: the driver leaves out a file that does not load
and a document that is not a task, workflow or launch plan, so a repository's other YAML and JSON
files (CI configuration, JSON Schemas, ``package.json``) never cause a diagnostic.
"""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

from specc.frontends import spec_name
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
                  include: tuple[str, ...] | None) -> list[str]:
    """The project's spec files other than ``given``, sorted, as path text (a repository's
    thousands need no Path objects)."""
    if include is not None and not include:
        return []
    base: Path | None
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
    prefix = str(base).rstrip(os.sep) + os.sep
    for rel in candidates:
        name = rel.rsplit("/", 1)[-1]
        if not spec_name(name) or (name.startswith("fast") and name.endswith(".tar.gz")):
            continue
        if regexes is not None and not any(r.match(rel) for r in regexes):
            continue
        text = prefix + rel.replace("/", os.sep)
        if os.path.normcase(text) in skip:
            continue
        out.append(text)
    # a name git lists that is no longer a file (deleted, not yet staged) is skipped by the
    # reader, which stats every context file anyway
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
