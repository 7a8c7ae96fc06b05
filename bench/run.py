"""Run specc's benchmark suite: python bench/run.py [--quick] [--json OUT.json] [--only NAME...]

Generates the inputs (deterministically, into a temporary folder unless ``--inputs DIR``), runs
every case of ``cases.CASES`` (or those named by ``--only``), prints a table and, with ``--json``,
writes one object per row. A case that cannot run here (a tool missing, a command failing) gives a
row saying why; the suite goes on. Timings on a shared machine are noisy: ratios are medians of
ratios taken round by round, and CPU times are given beside wall times.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import cases
import harness


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true",
                    help="fewer repetitions and smaller inputs (a smoke test, not figures)")
    ap.add_argument("--json", type=Path, metavar="OUT.json", help="also write the rows as JSON")
    ap.add_argument("--only", nargs="+", metavar="NAME", choices=list(cases.CASES),
                    help="run only these cases: " + ", ".join(cases.CASES))
    ap.add_argument("--inputs", type=Path, metavar="DIR",
                    help="generate the inputs here and keep them (default: a temporary folder)")
    ap.add_argument("--worker", nargs=2, metavar=("NAME", "ARGS"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        name, params = args.worker
        print(json.dumps(cases.WORKERS[name](**json.loads(params)), default=harness.plain))
        return 0

    inputs = args.inputs or Path(tempfile.mkdtemp(prefix="specc-bench-"))
    inputs.mkdir(parents=True, exist_ok=True)
    ctx = cases.Context(inputs.resolve(), args.quick, log=lambda s: print(s, file=sys.stderr,
                                                                           flush=True))
    rows: list[harness.Row] = []
    started = time.time()
    try:
        for name in args.only or list(cases.CASES):
            ctx.log(f"{name} ...")
            t = time.perf_counter()
            try:
                rows += cases.CASES[name](ctx)
            except Exception as e:  # a case that breaks is reported; the others still run
                detail = str(e) if isinstance(e, harness.Failed) else traceback.format_exc()
                ctx.log(detail)
                rows.append(harness.Row(name, "", note=f"failed: {detail.splitlines()[0]}"))
            ctx.log(f"{name}: {time.perf_counter() - t:.0f} s")
    finally:
        if args.inputs is None:
            shutil.rmtree(inputs, ignore_errors=True)
    print(harness.table(rows), end="")
    if args.json:
        harness.write_json(args.json, rows, _meta(args.quick, started))
    return 0


def _meta(quick: bool, started: float) -> dict[str, object]:
    """Where and when the figures were taken."""
    def git(*a: str) -> str:
        r = subprocess.run(["git", *a], cwd=cases.REPO, capture_output=True, text=True)
        return r.stdout.strip()

    from specc import __version__

    return {"quick": quick, "started": time.strftime("%Y-%m-%dT%H:%M:%S%z",
                                                     time.localtime(started)),
            "seconds": round(time.time() - started, 1), "specc": __version__,
            "commit": git("rev-parse", "HEAD"), "dirty": bool(git("status", "--porcelain")),
            "python": platform.python_version(), "machine": platform.machine(),
            "cpus": os.cpu_count(), "load_average": list(os.getloadavg()),
            "command": [Path(sys.argv[0]).name, *sys.argv[1:]]}


if __name__ == "__main__":
    sys.exit(main())
