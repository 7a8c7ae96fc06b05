"""Compile-time benchmark: generated workflows of 100, 1,000 and 10,000 nodes, and cold start.

For each size and shape (a chain; a fan-out/fan-in: one source, N-2 parallel nodes, one sink) it
writes the workflow and its task as YAML and as JSON, compiles them in this process with
``specc.driver.compile_paths`` (closures built too), and prints the median of several runs. The
baseline, measured in the same process on the same file, is reading it alone (``json.loads`` for
JSON, the YAML composer specc uses for YAML), so the ratio shows what checking costs beyond
parsing. Cold
start is the median wall time of ``specc compile`` on one small file in a new process.

Usage: python bench/compile_bench.py [--runs N] [--sizes 100,1000,10000]
"""
from __future__ import annotations

import argparse
import io
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TASK = {
    "template": {
        "id": {"resourceType": "TASK", "name": "bench.step", "version": "1"},
        "type": "python-task",
        "metadata": {"runtime": {"type": "FLYTE_SDK", "version": "1.16.0"}},
        "interface": {
            "inputs": {"variables": {"x": {"type": {"collectionType": {"simple": "INTEGER"}}}}},
            "outputs": {"variables": {"o0": {"type": {"simple": "INTEGER"}}}},
        },
        "container": {"image": "ghcr.io/example/bench:1.0", "args": ["run"]},
    }
}
REF = {"resourceType": "TASK", "name": "bench.step", "version": "1"}


def _node(i: int, sources: list[str]) -> dict:
    bindings = [{"promise": {"nodeId": s, "var": "o0"}} if s else
                {"scalar": {"primitive": {"integer": str(i)}}} for s in sources]
    return {"id": f"n{i}", "taskNode": {"referenceId": REF},
            "inputs": [{"var": "x", "binding": {"collection": {"bindings": bindings}}}]}


def workflow(n: int, shape: str) -> dict:
    if shape == "chain":
        nodes = [_node(0, [""])] + [_node(i, [f"n{i - 1}"]) for i in range(1, n)]
    else:  # fan-out / fan-in
        nodes = [_node(0, [""])] + [_node(i, ["n0"]) for i in range(1, n - 1)]
        nodes.append(_node(n - 1, [f"n{i}" for i in range(1, n - 1)]))
    return {
        "template": {
            "id": {"resourceType": "WORKFLOW", "name": f"bench.{shape}{n}", "version": "1"},
            "interface": {"outputs": {"variables": {"o0": {"type": {"simple": "INTEGER"}}}}},
            "nodes": nodes,
            "outputs": [{"var": "o0", "binding": {"promise": {"nodeId": f"n{n - 1}",
                                                              "var": "o0"}}}],
        }
    }


def _median(fn, runs: int) -> float:
    """Median wall time; the cyclic GC is off, as specc's driver has it during a run."""
    import gc

    times = []
    for _ in range(runs):
        gc.collect()
        gc.disable()
        try:
            t = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t)
        finally:
            gc.enable()
    return statistics.median(times)


def _yaml_text(doc: dict) -> str:
    from ruamel.yaml import YAML

    y = YAML(typ="safe", pure=True)
    y.default_flow_style = False
    buf = io.StringIO()
    y.dump(doc, buf)
    return buf.getvalue()


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--sizes", default="100,1000,10000")
    args = ap.parse_args()
    from specc import driver

    sizes = [int(s) for s in args.sizes.split(",")]
    tmp = Path(tempfile.mkdtemp(prefix="specc-bench-"))
    (tmp / "task.json").write_text(json.dumps(TASK))
    print(f"{'input':<24}{'nodes':>7}{'parse (s)':>11}{'compile (s)':>13}{'ratio':>7}")
    for n in sizes:
        for shape in ("chain", "fan"):
            wf = workflow(n, shape)
            for fmt in ("json", "yaml"):
                path = tmp / f"{shape}{n}.{fmt}"
                path.write_text(json.dumps(wf) if fmt == "json" else _yaml_text(wf))
                runs = args.runs if n < 10000 or fmt == "json" else max(3, args.runs // 2)
                opts = driver.Options(paths=[tmp / "task.json", path], closures=True)
                result = driver.compile_paths(opts)
                assert result.errors == 0, [d.message for d in result.diagnostics][:3]
                assert len(result.closures) == 1
                if fmt == "json":
                    parse = _median(lambda path=path: json.loads(path.read_text()), runs)
                else:
                    from specc.frontends.yaml import _backend

                    compose_all = _backend()[0]  # the composer specc itself uses

                    def compose(compose_all=compose_all, path=path):
                        return list(compose_all(path.read_text()))

                    parse = _median(compose, runs)
                compile_t = _median(lambda opts=opts: driver.compile_paths(opts), runs)
                print(f"{shape + ' ' + fmt:<24}{n:>7}{parse:>11.3f}{compile_t:>13.3f}"
                      f"{compile_t / parse:>7.1f}")
    small = Path(__file__).resolve().parent.parent / "examples" / "flyteidl"
    cmd = [sys.executable, "-m", "specc.cli", "compile", str(small)]
    base_cmd = [sys.executable, "-c", "pass"]
    cold = _median(lambda: subprocess.run(cmd, capture_output=True, check=True), args.runs)
    python = _median(lambda: subprocess.run(base_cmd, capture_output=True, check=True), args.runs)
    print(f"\ncold start, specc compile examples/flyteidl: {cold * 1000:.0f} ms "
          f"(bare python start: {python * 1000:.0f} ms, "
          f"specc adds {(cold - python) * 1000:.0f} ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
