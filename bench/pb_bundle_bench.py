"""A 5,000-node ``pyflyte package`` bundle: compiling it against decoding its protobuf alone.

Writes a bundle as pyflyte lays one out (``0_bench.step_1.pb`` a task spec, ``1_bench.chain_2.pb``
a workflow spec whose N task nodes are chained with promises, ``2_bench.chain_3.pb`` its launch
plan; tar + gzip as ``specc.emit.bundle.archive`` writes them), then measures, in this process
with the cyclic GC off (as the driver runs), the median of several interleaved runs of:

- ``decode``: reading the bundle (gunzip, untar) and ``ParseFromString`` of each member;
- ``compile``: ``driver.compile_paths`` on the bundle (``specc compile --no-context``);
- ``compile -o``: the same, writing the closure as ``.pb`` (``specc compile --no-context -o``);

and, with ``--process``, the wall time of the same two ``specc compile`` commands in a new process
against that of a new Python process that only decodes the bundle (imports included).
With ``--json-format`` the two compiles also run (interleaved) with specc.protojson swapped for
protobuf's json_format (``MessageToDict`` to read, ``ParseDict`` + ``SerializeToString`` to
write), as specc did before: the before-and-after of that change in one process. Times are wall
clock and, in brackets, this process's CPU time (steadier on a shared machine).

``--parts`` times the two conversions alone, interleaved: the workflow message to its dict
(``protojson.to_dict`` against ``MessageToDict``) and the compiled closure to bytes
(``protojson.encode`` against ``ParseDict`` + ``SerializeToString``).

Usage: python bench/pb_bundle_bench.py [--nodes 5000] [--runs 7] [--process] [--json-format]
                                       [--parts] [--keep DIR]
"""
from __future__ import annotations

import argparse
import gc
import gzip
import io
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ARGS = ["pyflyte-execute", "--inputs", "{{.input}}", "--output-prefix", "{{.outputPrefix}}",
        "--raw-output-data-prefix", "{{.rawOutputDataPrefix}}", "--checkpoint-path",
        "{{.checkpointOutputPrefix}}", "--prev-checkpoint", "{{.prevCheckpointPrefix}}",
        "--resolver", "flytekit.core.python_auto_container.default_task_resolver", "--",
        "task-module", "bench", "task-name", "step"]
TASK_ID = {"resourceType": "TASK", "name": "bench.step", "version": "1"}
INT = {"simple": "INTEGER"}


def task_spec() -> dict:
    return {
        "template": {
            "id": TASK_ID,
            "type": "python-task",
            "metadata": {"runtime": {"type": "FLYTE_SDK", "version": "1.16.31", "flavor": "python"},
                         "retries": {}, "generatesDeck": False, "metadata": {}},
            "interface": {"inputs": {"variables": {"x": {"type": INT, "description": "x"}}},
                          "outputs": {"variables": {"o0": {"type": INT, "description": "o0"}}}},
            "container": {"image": "ghcr.io/flyteorg/flytekit:py3.11-1.16.31", "args": ARGS,
                          "resources": {}},
        },
        "description": {"longDescription": {"format": "DESCRIPTION_FORMAT_RST"}},
    }


def workflow_spec(n: int) -> dict:
    nodes = []
    for i in range(n):
        src = {"nodeId": f"n{i - 1}", "var": "o0"} if i else {"var": "x"}
        node = {"id": f"n{i}", "metadata": {"name": "step", "retries": {}},
                "inputs": [{"var": "x", "binding": {"promise": src}}],
                "taskNode": {"referenceId": TASK_ID, "overrides": {}}}
        if i:
            node["upstreamNodeIds"] = [f"n{i - 1}"]
        nodes.append(node)
    wf_id = {"resourceType": "WORKFLOW", "name": "bench.chain", "version": "1"}
    return {"template": {
        "id": wf_id,
        "metadata": {},
        "interface": {"inputs": {"variables": {"x": {"type": INT, "description": "x"}}},
                      "outputs": {"variables": {"o0": {"type": INT, "description": "o0"}}}},
        "nodes": nodes,
        "outputs": [{"var": "o0", "binding": {"promise": {"nodeId": f"n{n - 1}", "var": "o0"}}}],
        "metadataDefaults": {},
    }}


def launch_plan() -> dict:
    return {"id": {"resourceType": "LAUNCH_PLAN", "name": "bench.chain", "version": "1"},
            "spec": {"workflowId": {"resourceType": "WORKFLOW", "name": "bench.chain",
                                    "version": "1"},
                     "entityMetadata": {},
                     "defaultInputs": {"parameters": {"x": {"var": {"type": INT,
                                                                    "description": "x"},
                                                            "required": True}}},
                     "fixedInputs": {}, "labels": {}, "annotations": {},
                     "rawOutputDataConfig": {}},
            "closure": {"expectedInputs": {}, "expectedOutputs": {}}}


def make_bundle(n: int) -> bytes:
    from google.protobuf import json_format

    from specc.emit.bundle import archive
    from specc.frontends.proto import message_class

    def pb(kind: str, d: dict) -> bytes:
        return json_format.ParseDict(d, message_class(kind)()).SerializeToString()

    return archive([("0_bench.step_1.pb", pb("TaskSpec", task_spec())),
                    ("1_bench.chain_2.pb", pb("WorkflowSpec", workflow_spec(n))),
                    ("2_bench.chain_3.pb", pb("LaunchPlan", launch_plan()))])


def decode(path: Path) -> None:
    """Read the bundle and parse its members: flyteidl alone, no specc (in a new process the
    imports are flyteidl's and protobuf's only)."""
    from flyteidl.admin import launch_plan_pb2, task_pb2, workflow_pb2

    classes = {"1": task_pb2.TaskSpec, "2": workflow_pb2.WorkflowSpec,
               "3": launch_plan_pb2.LaunchPlan}
    with tarfile.open(fileobj=io.BytesIO(gzip.decompress(path.read_bytes()))) as tf:
        for m in tf.getmembers():
            msg = classes[m.name[-4]]()
            f = tf.extractfile(m)
            assert f is not None
            msg.ParseFromString(f.read())


def _time(fn: Callable[[], object]) -> tuple[float, float]:
    gc.collect()
    gc.disable()
    try:
        t, c = time.perf_counter(), time.process_time()
        fn()
        return time.perf_counter() - t, time.process_time() - c
    finally:
        gc.enable()


def interleaved(cases: dict[str, Callable[[], object]], runs: int
                ) -> dict[str, tuple[float, float]]:
    """Median (wall, CPU) seconds per case; the cases take turns so that load on the machine
    hits all of them alike."""
    times: dict[str, list[tuple[float, float]]] = {k: [] for k in cases}
    for fn in cases.values():  # warm up: imports, grammars, tables
        fn()
    for _ in range(runs):
        for k, fn in cases.items():
            times[k].append(_time(fn))
    return {k: (statistics.median(w for w, _ in v), statistics.median(c for _, c in v))
            for k, v in times.items()}


def with_json_format(fn: Callable[[], object]) -> Callable[[], object]:
    """``fn`` run with specc.protojson's to_dict / encode replaced by json_format's."""
    from google.protobuf import json_format

    from specc import protojson

    def old_encode(canonical: Any, message_class: Any) -> bytes:
        msg = json_format.ParseDict(canonical, message_class())
        data: bytes = msg.SerializeToString(deterministic=True)
        return data

    def run() -> object:
        saved = protojson.to_dict, protojson.encode
        protojson.to_dict, protojson.encode = json_format.MessageToDict, old_encode
        try:
            return fn()
        finally:
            protojson.to_dict, protojson.encode = saved
    return run


def parts(bundle: Path, runs: int) -> None:
    from flyteidl.admin import workflow_pb2
    from flyteidl.core import compiler_pb2
    from google.protobuf import json_format

    from specc import driver, protojson

    with tarfile.open(fileobj=io.BytesIO(gzip.decompress(bundle.read_bytes()))) as tf:
        member = next(m for m in tf.getmembers() if m.name.endswith("_2.pb"))
        f = tf.extractfile(member)
        assert f is not None
        wf = workflow_pb2.WorkflowSpec.FromString(f.read())
    r = driver.compile_paths(driver.Options(paths=[bundle], closures=True, use_config=False))
    closure = r.closures[0][1]
    cls = compiler_pb2.CompiledWorkflowClosure

    def parse_dict() -> bytes:
        data: bytes = json_format.ParseDict(closure, cls()).SerializeToString(deterministic=True)
        return data

    assert protojson.to_dict(wf) == json_format.MessageToDict(wf)
    assert protojson.encode(closure, cls) == parse_dict()
    got = interleaved({"MessageToDict": lambda: json_format.MessageToDict(wf),
                       "to_dict": lambda: protojson.to_dict(wf),
                       "ParseDict + serialize": parse_dict,
                       "encode": lambda: protojson.encode(closure, cls)}, runs)
    print(f"the conversions alone (workflow spec: {wf.ByteSize()} bytes; closure: "
          f"{len(parse_dict())} bytes), medians of {runs}, wall [CPU]:")
    for k, (w, c) in got.items():
        print(f"  {k:24s} {w * 1000:8.1f} ms   [{c * 1000:8.1f} ms]")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--nodes", type=int, default=5000)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--process", action="store_true", help="also time `specc compile` processes")
    ap.add_argument("--json-format", action="store_true",
                    help="also compile with json_format in place of specc.protojson")
    ap.add_argument("--parts", action="store_true",
                    help="also time to_dict / encode against json_format alone")
    ap.add_argument("--keep", type=Path, help="write the bundle here and keep it")
    a = ap.parse_args()

    from specc import driver

    work = Path(tempfile.mkdtemp(prefix="specc-pbbench-"))
    try:
        bundle = (a.keep or work) / f"chain{a.nodes}.tgz"
        bundle.parent.mkdir(parents=True, exist_ok=True)
        bundle.write_bytes(make_bundle(a.nodes))
        out = work / "out"

        def compile_(o: Path | None) -> Callable[[], object]:
            def run() -> object:
                r = driver.compile_paths(driver.Options(paths=[bundle], out=o, use_config=False))
                assert r.exit_code == 0, [d.message for d in r.diagnostics][:3]
                return r
            return run

        cases = {"decode": lambda: decode(bundle), "compile": compile_(None),
                 "compile -o": compile_(out)}
        if a.json_format:
            cases["compile, json_format"] = with_json_format(compile_(None))
            cases["compile -o, json_format"] = with_json_format(compile_(out))
        got = interleaved(cases, a.runs)
        base, cbase = got["decode"]
        print(f"{a.nodes}-node bundle ({bundle.stat().st_size} bytes), in-process medians of "
              f"{a.runs}, wall [CPU]:")
        for k, (w, c) in got.items():
            print(f"  {k:24s} {w * 1000:8.1f} ms {w / base:6.1f}x decode   "
                  f"[{c * 1000:8.1f} ms {c / cbase:6.1f}x]")
        if a.parts:
            parts(bundle, a.runs)
        if a.process:
            exe = str(Path(sys.executable).with_name("specc"))
            here = str(Path(__file__).resolve().parent)
            cmds = {"decode (python)": [sys.executable, "-c",
                                        f"import sys; sys.path.insert(0, {here!r}); "
                                        f"import pb_bundle_bench as b, pathlib; "
                                        f"b.decode(pathlib.Path({str(bundle)!r}))"],
                    "specc compile": [exe, "compile", "--no-context", str(bundle)],
                    "specc compile -o": [exe, "compile", "--no-context", "-o", str(out),
                                         str(bundle)]}
            wall: dict[str, list[float]] = {k: [] for k in cmds}
            for _ in range(a.runs):
                for k, cmd in cmds.items():
                    t = time.perf_counter()
                    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
                    wall[k].append(time.perf_counter() - t)
            pbase = statistics.median(wall["decode (python)"])
            print(f"whole process, wall medians of {a.runs}:")
            for k, v in wall.items():
                m = statistics.median(v)
                print(f"  {k:24s} {m * 1000:8.1f} ms {m / pbase:6.1f}x decode process")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
