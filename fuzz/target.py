"""Run one fuzz target under atheris: ``python fuzz/target.py NAME [libFuzzer options] [CORPUS]``.

NAME is one of ``fuzz.harness.TARGETS`` (yaml, json, pb, bundle, convert). specc's own modules
are imported under atheris's instrumentation (coverage is what guides the fuzzer); the libraries
are not, which keeps every input fast. A crash (a ``fuzz.harness.Violation`` or any other
exception) is written by libFuzzer where ``-artifact_prefix`` says; ``fuzz/run.py`` runs every
target for a while and collects them.
"""
from __future__ import annotations

import importlib
import os
import pkgutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main() -> None:
    """Instrument specc, then hand the target to libFuzzer (it never returns)."""
    import atheris

    if len(sys.argv) < 2 or sys.argv[1].startswith("-"):
        sys.exit("usage: python fuzz/target.py NAME [libFuzzer options] [CORPUS...]")
    name = sys.argv.pop(1)
    sys.path.insert(0, str(REPO))
    # quiet: libFuzzer's own lines are the log; the harness never prints
    os.environ.setdefault("NO_COLOR", "1")
    with atheris.instrument_imports(include=["specc"]):
        import specc

        for mod in pkgutil.walk_packages(specc.__path__, "specc."):
            if mod.name.startswith(("specc.lsp", "specc.graph.graphviz")):
                continue  # the editor's and Graphviz's edges take no fuzzed input
            importlib.import_module(mod.name)
    from fuzz.harness import TARGETS

    target = TARGETS[name]
    atheris.Setup(sys.argv, target)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
