"""The OLD side of ``specc diff --against REV``: spec files as they were at a git revision.

The files are read with ``git ls-tree`` and ``git cat-file --batch`` (read-only commands: the
work tree, the index and the refs are never touched) and copied into a temporary folder laid out
as the repository, so that the driver reads them like any other folder. Only files with a spec
suffix are copied. Reports name them in git's own notation, ``REV:path`` (the path from the
repository's root), never by the temporary folder; or, for the formats whose consumers need a
path in the repository (SARIF, GitHub annotations), by the path the file has in the work tree.

``REV`` is anything git resolves to a commit (``main``, ``HEAD~1``, a tag, a hash), or buf's
spelling ``.git#branch=main`` (also ``tag=``, ``ref=``, ``commit=``; the part before ``#`` is the
repository's ``.git`` folder).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from specc.frontends import display_path, form_of

_KEYS = ("branch", "tag", "ref", "commit")


class GitError(Exception):
    """The revision cannot be read (a usage error: exit 2), with the reason."""


@dataclass
class Revision:
    """What ``--against`` names: the repository (its work tree's root) and the revision."""

    root: Path
    rev: str
    label: str  # how reports name it: the branch, tag or revision as given


@dataclass
class Snapshot:
    """The spec files of the given paths at a revision, in a temporary folder."""

    folder: Path
    paths: list[Path]  # the given paths that exist at the revision, inside ``folder``
    label: str
    files: int = 0
    missing: list[str] = field(default_factory=list)  # given paths absent at the revision

    def display(self, path: Path, root: Path | None = None) -> str | None:
        """How reports name a file of the snapshot: ``REV:path`` (the path from the
        repository's root), or with ``root`` (the repository's work tree) the path the file has
        there, as the working directory sees it; None for a file not in the snapshot."""
        try:
            rel = path.resolve().relative_to(self.folder.resolve())
        except ValueError:
            return None
        if root is not None:
            return display_path(root / rel)
        return f"{self.label}:{rel.as_posix()}"


def parse(against: str, start: Path) -> Revision:
    """The repository and revision ``against`` names; the repository is the one around
    ``start`` unless ``against`` names its ``.git`` folder. Raises ``GitError``."""
    text = against.strip()
    git_dir: Path | None = None
    rev, label = text, text
    if "#" in text or text.endswith(".git"):
        repo, _, options = text.partition("#")
        if not repo.endswith(".git"):
            raise GitError(f"'{against}': write a revision (main, HEAD~1, a tag) or "
                           f"'.git#branch=NAME' (also tag=, ref=, commit=)")
        git_dir = Path(repo)
        rev, label = "HEAD", "HEAD"
        for item in filter(None, (o.strip() for o in options.split(","))):
            key, eq, value = item.partition("=")
            if not eq or key not in _KEYS or not value:
                raise GitError(f"'{against}': '{item}' is not one of "
                               f"{', '.join(k + '=NAME' for k in _KEYS)}")
            rev = f"refs/tags/{value}" if key == "tag" else value
            label = value
    if not rev or rev.startswith("-"):
        raise GitError(f"'{against}' is not a revision")
    if git_dir is not None:
        if not git_dir.is_dir():
            raise GitError(f"'{git_dir}' is not a git repository's .git folder")
        root = git_dir.resolve().parent
    else:
        where = start if start.is_dir() else start.parent
        if not where.exists():
            where = Path.cwd()
        top = _git(where, "rev-parse", "--show-toplevel")
        root = Path(top.decode().strip())
    return Revision(root, rev, label)


@contextmanager
def snapshot(revision: Revision, paths: list[Path]) -> Iterator[Snapshot]:
    """The spec files below ``paths`` (of the work tree of ``revision.root``) as they are at the
    revision, in a temporary folder removed afterwards. Raises ``GitError``."""
    commit = _git(revision.root, "rev-parse", "--verify", "--quiet", "--end-of-options",
                  f"{revision.rev}^{{commit}}", what=f"unknown revision '{revision.label}'")
    sha = commit.decode().strip()
    rels: list[str] = []
    for p in paths:
        try:
            inside = Path(os.path.abspath(p)).resolve().relative_to(revision.root.resolve())
        except ValueError:
            raise GitError(f"'{p}' is outside the repository at {revision.root}") from None
        rels.append(inside.as_posix() if inside.parts else ".")
    listing = _git(revision.root, "ls-tree", "-r", "-z", "--full-tree", sha, "--", *rels)
    blobs: list[tuple[str, str]] = []  # (object, path)
    for entry in filter(None, listing.split(b"\0")):
        meta, _, name = entry.partition(b"\t")
        mode, kind, obj = meta.decode().split(" ")
        path = name.decode("utf-8", "surrogateescape")
        # regular files only (no links, no submodules), and never outside the folder
        parts = Path(path).parts
        if kind == "blob" and mode in ("100644", "100755") and form_of(Path(path)) \
                and ".." not in parts and not Path(path).is_absolute():
            blobs.append((obj, path))
    folder = Path(tempfile.mkdtemp(prefix="specc-diff-"))
    try:
        _copy(revision.root, blobs, folder)
        present: list[Path] = []
        missing: list[str] = []
        for rel in rels:
            target = folder / rel if rel != "." else folder
            if target.exists():
                present.append(target)
            else:
                missing.append(rel)
        yield Snapshot(folder, present, revision.label, len(blobs), missing)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _copy(root: Path, blobs: list[tuple[str, str]], folder: Path) -> None:
    """Write each blob to ``folder/path``, streamed from one ``git cat-file --batch``."""
    if not blobs:
        return
    with subprocess.Popen(["git", "-C", str(root), "cat-file", "--batch"],
                          stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL) as proc:
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.write(b"".join(f"{obj}\n".encode() for obj, _ in blobs))
        proc.stdin.close()
        for _obj, path in blobs:
            header = proc.stdout.readline().split()
            if len(header) != 3:
                raise GitError(f"cannot read '{path}' from git")
            size = int(header[2])
            target = folder / path
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("wb") as f:
                left = size
                while left:
                    chunk = proc.stdout.read(min(left, 1 << 20))
                    if not chunk:
                        raise GitError(f"cannot read '{path}' from git")
                    f.write(chunk)
                    left -= len(chunk)
            proc.stdout.read(1)  # the newline after each object


def _git(cwd: Path, *args: str, what: str | None = None) -> bytes:
    try:
        done = subprocess.run(["git", "-C", str(cwd), *args], capture_output=True, check=False)
    except FileNotFoundError:
        raise GitError("--against needs git, which is not installed") from None
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(what or (reason[-1] if reason else f"git {args[0]} failed"))
    return done.stdout
