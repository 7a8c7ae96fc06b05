"""Long arrays: a multi-megabyte JSON spec with one long list, against ``json.loads`` of it.

Each case writes a task (admin.TaskSpec, JSON) whose image is tagged ``latest`` (a lint warning,
so that a position in the file is looked up) and that holds one long list: integers in
``custom``, strings in the container's ``args``, integers in ``args`` (every one of them an
error: a flood of diagnostics), or environment variables (a list of objects). Every measurement
runs in a fresh process, specc imported and the file's bytes read first: the wall time of
``specc.driver.compile_paths`` on the file, and the peak of the memory Python allocates meanwhile
(tracemalloc, in a run of its own), next to the same for ``json.loads`` of the bytes. The
ratios are what counts: time and memory proportional to the input, a small multiple of parsing
it.

Usage: python bench/long_arrays.py [--elements N] [--keep DIR]
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

TASK = {"template": {
    "id": {"resourceType": "TASK", "name": "bench.long", "version": "1"},
    "type": "python-task",
    "metadata": {"runtime": {"type": "FLYTE_SDK", "version": "1.16.0", "flavor": "python"},
                 "retries": {"retries": 1}},
    "interface": {"inputs": {"variables": {"x": {"type": {"simple": "INTEGER"}}}},
                  "outputs": {"variables": {"y": {"type": {"simple": "INTEGER"}}}}},
    "container": {"image": "ghcr.io/example/bench:latest", "args": ["pyflyte-execute"]}}}

# what one measurement runs, in a fresh process; prints {"seconds": ...} or {"mb": ...}: the
# time without tracemalloc (which slows Python down several times), the peak of what Python
# allocates during the operation with it
_PROBE = """
import json, sys, time, tracemalloc
from pathlib import Path
import specc.driver, specc.passes.check_schema, specc.frontends.json  # imports are not measured
what, path, how = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
data = path.read_bytes()

def run():
    if what == "json":
        return json.loads(data)
    r = specc.driver.compile_paths(specc.driver.Options(paths=[path], cache=False,
                                                        use_config=False))
    assert not r.internal_error
    return r

if how == "time":
    t = time.perf_counter()
    run()
    print(json.dumps({"seconds": time.perf_counter() - t}))
else:
    tracemalloc.start()
    kept = run()
    print(json.dumps({"mb": tracemalloc.get_traced_memory()[1] / 1e6}))
"""


def cases(n: int) -> dict[str, dict]:
    """The documents, by name; every list has ``n`` elements."""
    out = {}
    t = json.loads(json.dumps(TASK))
    t["template"]["custom"] = {"values": list(range(n))}
    out["integers in custom"] = t
    t = json.loads(json.dumps(TASK))
    t["template"]["container"]["args"] = [f"--flag{i}" for i in range(n)]
    out["strings in args"] = t
    t = json.loads(json.dumps(TASK))
    t["template"]["container"]["args"] = list(range(n))
    out["wrong type in args"] = t
    t = json.loads(json.dumps(TASK))
    t["template"]["container"]["env"] = [{"key": f"K{i}", "value": "v"} for i in range(n // 8)]
    out["objects in env"] = t
    return out


def measure(what: str, path: Path) -> tuple[float, float]:
    """(seconds, peak MB allocated) of one operation (``what``: json or specc), each measured
    in a fresh process."""
    got: dict[str, float] = {}
    for how in ("time", "memory"):
        proc = subprocess.run([sys.executable, "-c", _PROBE, what, str(path), how],
                              capture_output=True, text=True, check=True,
                              env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})
        got.update(json.loads(proc.stdout.strip().splitlines()[-1]))
    return got["seconds"], got["mb"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--elements", type=int, default=400_000)
    ap.add_argument("--keep", type=Path, help="write the generated files here")
    args = ap.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="specc-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"{'case':<20}{'MB':>6}{'json s':>9}{'specc s':>9}{'x':>6}"
          f"{'json MB':>9}{'specc MB':>10}{'x':>6}")
    for i, (name, doc) in enumerate(cases(args.elements).items()):
        path = folder / f"long{i}.json"
        path.write_text(json.dumps(doc, indent=1))
        size = path.stat().st_size / 1e6
        (js, jm), (ss, sm) = measure("json", path), measure("specc", path)
        print(f"{name:<20}{size:>6.1f}{js:>9.2f}{ss:>9.2f}{ss / max(js, 1e-3):>6.1f}"
              f"{jm:>9.0f}{sm:>10.0f}{sm / max(jm, 1):>6.1f}", flush=True)


if __name__ == "__main__":
    main()
