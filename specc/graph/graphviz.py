"""Running Graphviz's ``dot`` to turn DOT into SVG or PNG."""
from __future__ import annotations

import shutil
import subprocess

INSTALL_HINT = ("install Graphviz: `apt-get install graphviz` (Debian, Ubuntu), "
                "`brew install graphviz` (macOS), or see https://graphviz.org/download/")
TIMEOUT = 60.0


class GraphvizNotFound(RuntimeError):
    """Graphviz's ``dot`` executable is not on PATH (or not where it was said to be)."""


class GraphvizError(RuntimeError):
    """``dot`` ran but failed, or did not finish within the timeout."""


def find_dot(executable: str = "dot") -> str:
    """The path of the ``dot`` executable, looked up on PATH (or ``executable`` if that is a
    path). Raises :class:`GraphvizNotFound`, saying how to install Graphviz, when there is
    none."""
    found = shutil.which(executable)
    if found is None:
        raise GraphvizNotFound(f"Graphviz's `{executable}` is not on PATH: {INSTALL_HINT}")
    return found


def run_dot(source: str, fmt: str, *, timeout: float = TIMEOUT, executable: str = "dot") -> bytes:
    """``source`` (DOT text) laid out by ``dot -T<fmt>``; returns what dot writes (SVG text as
    UTF-8 bytes, PNG bytes).

    Needs ``fmt`` to be an output format dot knows (``svg``, ``png``...). Raises
    :class:`GraphvizNotFound` when dot is missing, :class:`GraphvizError` with dot's own message
    when it fails, or when it runs longer than ``timeout`` seconds (it is killed then).
    """
    path = find_dot(executable)
    try:
        done = subprocess.run([path, f"-T{fmt}"], input=source.encode("utf-8"),
                              capture_output=True, timeout=timeout, check=False)
    except FileNotFoundError as exc:  # removed between the look-up and the run
        raise GraphvizNotFound(f"Graphviz's `{executable}` is not on PATH: {INSTALL_HINT}") \
            from exc
    except subprocess.TimeoutExpired as exc:
        raise GraphvizError(f"`dot -T{fmt}` did not finish within {timeout:g} seconds") from exc
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip() or f"exit {done.returncode}"
        raise GraphvizError(f"`dot -T{fmt}` failed: {message}")
    return done.stdout
