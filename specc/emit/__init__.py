"""Artifacts: compiled closures and registration bundles, with deterministic bytes.

Writing is all or nothing. ``atomic_write`` writes one file; ``write_files`` writes several (the
closures of ``compile -o``, the files of ``convert``, a bundle with its closures) as one
transaction: every file is written into a temporary folder beside its target, and only when all
are written are they moved into place, each by a rename, the files they replace kept aside until
the last rename is done. A failure at any step (a full disk, a file-size limit, a name the file
system refuses) and SIGINT, SIGTERM or SIGHUP while it runs undo every step: the targets are as
they were, and no temporary file is left.
"""
from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from pathlib import Path
from types import FrameType
from typing import Any


def atomic_write(target: Path, data: bytes, mode: int | None = None) -> None:
    """Write ``data`` to ``target`` atomically: a new file beside it, renamed over it; nothing
    is left behind on failure. The file gets ``mode`` (a file rewritten in place keeps its own),
    or 0644 less the umask."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.parent / f".{target.name}.{os.getpid()}.{os.urandom(6).hex()}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0),
                 0o644 if mode is None else 0o600)  # never more open than ``mode``, meanwhile
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


class Interrupted(BaseException):
    """A signal ended the run while ``write_files`` wrote; what it wrote is removed. Not an
    ``Exception``: nothing may catch it on the way out (the console script exits 128 +
    ``signum``)."""

    def __init__(self, signum: int) -> None:
        super().__init__(f"interrupted by signal {signum}")
        self.signum = signum


def _write_file(path: Path, data: bytes) -> None:
    """Create ``path`` (it must not exist: on a file system that ignores case, two targets that
    are one file fail here, before anything is in place) and write ``data`` to it."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o644)
    with os.fdopen(fd, "wb") as f:
        f.write(data)


def write_files(files: Sequence[tuple[Path, bytes]]) -> list[Path]:
    """Write every ``(target, bytes)``, or none of them; the targets, in the order given.

    Needs: distinct targets (two that are one file on this file system raise ``OSError``
    EEXIST). Guarantees: on return every target holds its bytes; on ``OSError`` (or any other
    exception), and on ``Interrupted`` (SIGINT, SIGTERM, SIGHUP), every target is as it was
    before (a file it replaced is back, a file or folder it made is gone) and no temporary file
    is left. Only a SIGKILL or a power cut can leave a ``.specc-*.tmp`` folder behind."""
    targets = [Path(os.path.abspath(t)) for t, _ in files]
    if len(set(targets)) != len(targets):
        twice = next(t for t in targets if targets.count(t) > 1)
        raise OSError(errno.EEXIST, "two outputs of this run would be one file", str(twice))
    # (step, also after success): what undoes each step taken, newest last
    undo: list[tuple[Callable[[], object], bool]] = []
    with _signals_raise():
        try:
            staged = _stage(list(zip(targets, (d for _, d in files), strict=True)), undo)
            for target, new, old in staged:
                if os.path.lexists(target):
                    if os.path.isdir(target) and not os.path.islink(target):
                        raise IsADirectoryError(errno.EISDIR, "is a directory", str(target))
                    os.replace(target, old)
                    undo.append((partial(os.replace, old, target), False))
                else:
                    undo.append((partial(os.unlink, target), False))
                os.replace(new, target)
        except BaseException:
            _undo([step for step, _ in undo])
            raise
        _undo([step for step, after in undo if after])  # the temporary folders
    return targets


def _stage(files: list[tuple[Path, bytes]], undo: list[tuple[Callable[[], object], bool]]
           ) -> list[tuple[Path, Path, Path]]:
    """Write every file into a temporary folder in its target's folder (made, with its parents,
    when missing); (target, staged file, where the file it replaces goes) for each. Appends to
    ``undo`` what removes the folders again."""
    import shutil

    temp: dict[Path, Path] = {}
    out = []
    for target, data in files:
        folder = target.parent
        if folder not in temp:
            for made in _makedirs(folder):
                undo.append((partial(os.rmdir, made), False))
            t = folder / f".specc-{os.getpid()}-{os.urandom(6).hex()}.tmp"
            os.mkdir(t, 0o700)
            undo.append((partial(shutil.rmtree, t), True))
            os.mkdir(t / "new")
            os.mkdir(t / "old")
            temp[folder] = t
        new = temp[folder] / "new" / target.name
        try:
            _write_file(new, data)
        except FileExistsError:
            raise OSError(errno.EEXIST, "two outputs of this run would be one file on this file "
                                        "system (it ignores case)", str(target)) from None
        out.append((target, new, temp[folder] / "old" / target.name))
    return out


def _makedirs(folder: Path) -> list[Path]:
    """Make ``folder`` and its missing parents; those made, the outermost first."""
    missing = []
    p = folder
    while not p.exists():
        missing.append(p)
        if p.parent == p:
            break
        p = p.parent
    made = []
    for d in reversed(missing):
        os.mkdir(d)
        made.append(d)
    return made


def _undo(steps: list[Callable[[], object]]) -> None:
    """Run ``steps`` newest first, each whatever the others do, signals held off meanwhile."""
    with _signals_ignored():
        for step in reversed(steps):
            with contextlib.suppress(OSError):
                step()


def _stop_signals() -> tuple[int, ...]:
    """SIGINT, SIGTERM and SIGHUP, those the system has. (``signal`` and ``threading`` are
    imported only when files are written: most runs write none, and start-up counts.)"""
    import signal

    return tuple(getattr(signal, n) for n in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, n))


@contextlib.contextmanager
def _signals_raise() -> Iterator[None]:
    """While writing: SIGINT, SIGTERM and SIGHUP raise ``Interrupted`` (so that what was written
    is removed), and exceeding the file-size limit is an error (EFBIG), not SIGXFSZ's death.
    Only the main thread can handle signals; elsewhere this changes nothing."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: FrameType | None) -> None:
        raise Interrupted(signum)

    before: dict[int, Any] = {}
    try:
        for s in _stop_signals():
            before[s] = signal.signal(s, stop)
        if hasattr(signal, "SIGXFSZ"):
            before[signal.SIGXFSZ] = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        yield
    finally:
        for s, handler in before.items():
            signal.signal(s, handler)


@contextlib.contextmanager
def _signals_ignored() -> Iterator[None]:
    """While undoing: a second signal must not stop the undo half-way."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before = {s: signal.signal(s, signal.SIG_IGN) for s in _stop_signals()}
    try:
        yield
    finally:
        for s, handler in before.items():
            signal.signal(s, handler)
