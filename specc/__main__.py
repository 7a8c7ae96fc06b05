"""The console script: ``specc ...`` and ``python -m specc ...``.

Start-up is most of the time of a run on a small file, so this module does what it can before
the rest is imported: the cyclic garbage collector stays off (a run allocates many small, acyclic
objects and frees them all at exit), and the process ends with ``os._exit`` once its output is
flushed, skipping the interpreter's teardown and final collection.
"""
from __future__ import annotations

import contextlib
import gc
import os
import sys


def run() -> None:
    """Run the CLI; a bug gives exit 3 and a short message, never a bare traceback."""
    gc.disable()
    code = 0
    try:
        from specc.cli import main

        main(standalone_mode=True)
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
        if e.code is not None and not isinstance(e.code, int):
            print(e.code, file=sys.stderr)
    except KeyboardInterrupt:
        code = 130
    except Exception as e:  # a bug
        print(f"specc: internal error: {type(e).__name__}: {e}; this is a bug in specc",
              file=sys.stderr)
        code = 3
    except BaseException as e:  # a signal while files were written (specc.emit.Interrupted)
        signum = getattr(e, "signum", None)
        if not isinstance(signum, int):
            raise
        print("specc: interrupted; nothing was written", file=sys.stderr)
        code = 128 + signum
    for stream in (sys.stdout, sys.stderr):
        # closed, or a pipe nobody reads: nothing more to say
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(code)


if __name__ == "__main__":
    run()
