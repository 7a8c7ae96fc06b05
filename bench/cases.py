"""The benchmark cases (``CASES``, in the order they run) and the in-process workers they start.

A case generates its inputs (``generate``), measures specc and its baseline interleaved
(``harness.interleave``) and returns table rows. What runs in-process runs in a worker: a fresh
``python bench/run.py --worker NAME ARGS`` process per measurement set, so every set starts from
the same state and its peak RSS is its own. The commands are plain lists near the top of each case,
to be adjusted as specc grows (``--no-cache`` variants run when ``specc compile --help`` has it).
"""
from __future__ import annotations

import contextlib
import json
import os
import queue
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import generate
from harness import (
    Failed,
    Row,
    Sample,
    Stat,
    Target,
    call,
    figures,
    interleave,
    memory,
    peak_rss_kib,
    run_process,
)

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
RUN = BENCH / "run.py"
NOT_INSTALLED = "{} is not installed (pip install -e '.[bench]')"


@dataclass
class Context:
    inputs: Path  # generated inputs go here
    quick: bool
    log: Callable[[str], None] = print
    _repos: dict[int, generate.Repository] = field(default_factory=dict)

    def runs(self, full: int, quick: int = 2) -> int:
        return quick if self.quick else full

    @property
    def warmup(self) -> int:
        """Untimed rounds before the timed ones (none in a smoke test)."""
        return 0 if self.quick else 1

    def tool(self, name: str) -> list[str] | None:
        """A console script of this environment (else on PATH), or None."""
        here = Path(sys.executable).parent / name
        found = str(here) if here.exists() else shutil.which(name)
        return [found] if found else None

    @property
    def specc(self) -> list[str]:
        return self.tool("specc") or [sys.executable, "-m", "specc.cli"]

    def has_option(self, command: str, option: str) -> bool:
        r = subprocess.run([*self.specc, command, "--help"], capture_output=True, text=True)
        return option in r.stdout

    def repository(self, count: int) -> generate.Repository:
        if count not in self._repos:
            root = self.inputs / f"repo{count}"
            shutil.rmtree(root, ignore_errors=True)
            root.mkdir(parents=True)
            self.log(f"  generating a repository of {count} spec files")
            self._repos[count] = generate.repository(root, count, seed=count)
        return self._repos[count]

    def worker(self, name: str, **args: Any) -> dict[str, Any]:
        """Run ``WORKERS[name](**args)`` in a fresh process; what it returned."""
        r = subprocess.run([sys.executable, str(RUN), "--worker", name, json.dumps(args)],
                           capture_output=True, text=True, timeout=3600)
        if r.returncode != 0:
            raise Failed(f"worker {name} failed:\n{r.stderr[-3000:]}")
        out: dict[str, Any] = json.loads(r.stdout.splitlines()[-1])
        for k, v in out.items():
            if isinstance(v, list) and v and isinstance(v[0], list):
                out[k] = [Sample(*s) for s in v]
        return out


# ---- 1. cold start -----------------------------------------------------------------------------

def cold_start(ctx: Context) -> list[Row]:
    path, kind = generate.cold_start_spec(ctx.inputs)
    schema = REPO / "schemas" / "flyteidl" / f"{kind}.schema.json"
    # name: arguments before the file, the exit statuses that mean it ran, the target
    baselines = {
        "check-jsonschema": (["--schemafile", str(schema)], (0,),
                             Target("<= 0.35x check-jsonschema", "ratio", max=0.35)),
        "yamllint": ([], (0, 1), None),  # 1: it found problems (line length, document start)
    }
    tools = {name: cmd for name in baselines if (cmd := ctx.tool(name))}
    steps = [lambda: run_process([*ctx.specc, "compile", str(path)], cwd=ctx.inputs)]
    for name, cmd in tools.items():
        args, ok, _ = baselines[name]
        steps.append(lambda c=[*cmd, *args, str(path)], ok=ok: run_process(c, cwd=ctx.inputs,
                                                                          ok=ok))
    samples = dict(zip(["specc", *tools], interleave(steps, ctx.runs(21), ctx.warmup),
                       strict=True))
    what = f"specc compile FILE: one small YAML spec ({kind}), whole process"
    rows = []
    for name, (args, _, target) in baselines.items():
        row = f"cold-start/vs-{name}"
        if name not in tools:
            rows.append(Row(row, what, note=NOT_INSTALLED.format(name)))
            continue
        shown = " ".join([name, *args, "FILE"]).replace(f"{REPO}/", "")
        rows.append(Row.compare(row, what, samples["specc"], shown, samples[name], target))
    return rows


# ---- 2. many files -----------------------------------------------------------------------------

YAML_LOOP = """\
import sys, pathlib, yaml
for p in sorted(pathlib.Path(sys.argv[1]).rglob("*.yaml")):
    list(yaml.load_all(p.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader))
"""


def many_files(ctx: Context) -> list[Row]:
    rows = []
    for count in (20,) if ctx.quick else (500, 2000):
        root = ctx.inputs / f"many{count}"
        if not root.exists():
            generate.small_specs(root, count, seed=count)
        got = ctx.worker("compile-dir", path=str(root), runs=ctx.runs(7 if count < 1000 else 5),
                         warmup=ctx.warmup)
        rows.append(Row.compare(
            f"many-files/{count}/in-process",
            f"driver.compile_paths on {count} small YAML files (a task or two and a workflow "
            "each), GC off", got["specc"],
            "yaml.load_all(text, Loader=yaml.CSafeLoader) over the same files", got["baseline"],
            Target("<= 1.5x PyYAML's C loader", "ratio", max=1.5)))
        samples = interleave([lambda root=root: run_process([*ctx.specc, "compile", str(root)]),
                              lambda root=root: run_process([sys.executable, "-c", YAML_LOOP,
                                                             str(root)])],
                             ctx.runs(5), ctx.warmup)
        rows.append(Row.compare(f"many-files/{count}/process", f"specc compile DIR ({count} files)",
                                samples[0], "python: PyYAML's C loader over the same files",
                                samples[1]))
    return rows


def work_compile_dir(path: str, runs: int, warmup: int) -> dict[str, Any]:
    import yaml

    files = sorted(Path(path).rglob("*.yaml"))

    def parse() -> None:
        for p in files:
            list(yaml.load_all(p.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader))

    got = interleave([_compile([path]), lambda: call(parse)], runs, warmup)
    return {"specc": got[0], "baseline": got[1]}


def _compile(paths: list[str], out: str | None = None) -> Callable[[], Sample]:
    """A step: ``driver.compile_paths`` on ``paths`` (closures written to ``out``), without the
    configuration and without the cache (every run reads and checks everything, as the first run
    on a file); fails unless it is clean (and wrote something, with ``out``)."""
    from specc import driver

    def step() -> Sample:
        opts = driver.Options(paths=[Path(p) for p in paths], use_config=False, cache=False,
                              out=Path(out) if out else None)
        got: list[driver.Result] = []
        sample = call(lambda: got.append(driver.compile_paths(opts)))
        res = got[0]
        if res.errors or res.exit_code or (out and not res.written):
            first = [d.message for d in res.diagnostics if d.severity == "error"][:3]
            raise Failed(f"compiling {paths}: exit {res.exit_code}, {res.errors} errors {first}")
        return sample

    return step


# ---- 3. a big bundle ---------------------------------------------------------------------------

def big_bundle(ctx: Context) -> list[Row]:
    nodes = 200 if ctx.quick else 5000
    path = generate.bundle(ctx.inputs, nodes, seed=3)
    out = ctx.inputs / "bundle-out"
    got = ctx.worker("bundle", path=str(path), out=str(out), runs=ctx.runs(9),
                     warmup=ctx.warmup)
    decode = "tar read and ParseFromString of every member"
    return [
        Row.compare("big-bundle/compile", f"driver.compile_paths on a {nodes}-node pyflyte "
                    "bundle (20 tasks, 1 workflow, 1 launch plan)", got["specc"], decode,
                    got["decode"], Target("<= 3x decoding", "ratio", max=3)),
        Row.compare("big-bundle/compile -o", "the same, closures written as .pb (-o DIR)",
                    got["specc_out"], decode, got["decode"],
                    Target("<= 4x decoding", "ratio", max=4)),
    ]


def work_bundle(path: str, out: str, runs: int, warmup: int) -> dict[str, Any]:
    import tarfile

    from specc.frontends.proto import SUFFIX_KIND, message_class

    def decode() -> None:
        with tarfile.open(path, "r:gz") as tar:
            for m in tar:
                f = tar.extractfile(m)
                if f is not None and m.name.endswith(".pb"):
                    message_class(SUFFIX_KIND[m.name[-4]])().ParseFromString(f.read())

    got = interleave([_compile([path]), lambda: call(decode), _compile([path], out)], runs,
                     warmup)
    return {"specc": got[0], "decode": got[1], "specc_out": got[2]}


# ---- 4. big workflows --------------------------------------------------------------------------

def big_workflows(ctx: Context) -> list[Row]:
    sizes = (100, 300) if ctx.quick else (1000, 10_000, 50_000)
    rows = []
    for shape in ("chain", "fan"):
        for fmt in ("yaml", "json"):
            times: dict[int, dict[str, Stat]] = {}
            for n in sizes:
                path = generate.write_big_workflow(ctx.inputs, n, shape, fmt)
                small = generate.write_big_workflow(ctx.inputs, 10, shape, fmt)
                runs = ctx.runs(7 if n <= 1000 else 5 if n <= 10_000 else 3)
                ctx.log(f"  {shape} {fmt} {n}")
                got = ctx.worker("workflow", path=str(path), small=str(small), runs=runs)
                parser = "json.loads" if fmt == "json" else "yaml.load(Loader=CSafeLoader)"
                row = Row.compare(f"big-workflows/{shape}/{fmt}/{n}",
                                  f"driver.compile_paths on a {n}-node {shape} workflow "
                                  f"({fmt.upper()}, {path.stat().st_size >> 10} KiB), "
                                  "closures built", got["specc"], f"{parser} of the file",
                                  got["baseline"])
                row.figures["peak_rss"] = Stat.of([got["peak_rss"]], "KiB")
                row.figures["rss_added"] = Stat.of([got["rss_added"]], "KiB")
                rows.append(row)
                times[n] = row.figures
                if fmt == "yaml" and n == sizes[-1]:  # the figure: 50,000 nodes
                    rows.append(Row(f"big-workflows/{shape}/{fmt}/{n}/KiB-per-node",
                                    "memory the compile added above the warmed-up process, per "
                                    "node", {"KiB/node": Stat.of([got["rss_added"] / n],
                                                                 "KiB/node")},
                                    target=Target("<= 8 KiB/node", "KiB/node", max=8)))
            # from medians taken in different processes, minutes apart: on a busy machine CPU
            # time says more than wall time here, so the target is judged on it
            lo, hi = sizes[0], sizes[-1]
            linear = {f"linearity_{k}": Stat.of([times[hi][k].median / times[lo][k].median
                                                  / (hi / lo)], "x") for k in ("cpu", "wall")}
            rows.append(Row(f"big-workflows/{shape}/{fmt}/linearity",
                            f"(time at {hi} / time at {lo}) / {hi // lo}: 1 is linear", linear,
                            target=Target("~ 1 (0.5 to 1.5), CPU time", "linearity_cpu",
                                          min=0.5, max=1.5)))
    return rows


def work_workflow(path: str, small: str, runs: int) -> dict[str, Any]:
    """Rounds of compile and parse. The memory figures are the first compile's, in a process
    warmed up by a compile of ``small``: the process's peak RSS, and what the compile added."""
    import yaml

    def parse() -> None:
        text = Path(path).read_text(encoding="utf-8")
        json.loads(text) if path.endswith(".json") else yaml.load(text, Loader=yaml.CSafeLoader)

    _compile([small])()
    first = memory(_compile([path]))
    peak = peak_rss_kib()
    first_parse = call(parse)  # the first round's other half
    got = interleave([_compile([path]), lambda: call(parse)], runs - 1, warmup=0)
    return {"specc": [Sample(first.wall, first.cpu), *got[0]], "baseline": [first_parse, *got[1]],
            "peak_rss": peak, "rss_added": first.rss}


# ---- 5. a repository ---------------------------------------------------------------------------

CACHE_DIR = ".specc_cache"  # the cache specc is getting; removed before each first run


def repository_commands(specc: list[str], repo: generate.Repository, no_cache: bool
                        ) -> dict[str, list[str]]:
    """What the repository case runs (in the repository), by name; ``_prepare`` says what
    happens before each: a name starting with 'first' runs without a cache, 'workflow' and 'task'
    (and their --no-cache twins) after an edit of that file; '-alone' is the baseline."""
    wf, task = repo.workflow_file, repo.task_file
    cmds = {"first": ["."], "warm": ["."], "workflow": [wf],
            "workflow-alone": ["--no-context", *repo.closure(wf)],
            "task": [task], "task-alone": ["--no-context", *repo.closure(task)],
            "task-reach-alone": ["--no-context", *_reach(repo, task)]}
    if no_cache:  # the cache's own switch, once specc has it
        cmds.update({"first-no-cache": ["--no-cache", "."], "workflow-no-cache": [
            "--no-cache", wf], "task-no-cache": ["--no-cache", task]})
    return {k: [*specc, "compile", *v] for k, v in cmds.items()}


def _reach(repo: generate.Repository, rel: str) -> list[str]:
    """What a pre-commit run on ``rel`` checks and reports: ``rel``, the files using it, and
    every file defining what those use."""
    return sorted({f for d in [rel, *repo.dependents(rel)] for f in repo.closure(d)})


def repository(ctx: Context) -> list[Row]:
    rows = []
    no_cache = ctx.has_option("compile", "--no-cache")
    if not no_cache:
        ctx.log("  'specc compile --help' has no --no-cache yet: no cold-cache variants")
    for count in (50,) if ctx.quick else (2000, 10_000):
        repo = ctx.repository(count)
        root = repo.root
        wf, task = repo.workflow_file, repo.task_file
        cmds = repository_commands(ctx.specc, repo, no_cache)
        names = list(cmds)
        steps = [lambda c=c, root=root: run_process(c, cwd=root) for c in cmds.values()]
        ctx.log(f"  {count} files: {len(steps)} commands per round")
        try:
            got = dict(zip(cmds, interleave(steps, ctx.runs(5 if count <= 2000 else 3),
                                            warmup=0 if count > 2000 else ctx.warmup,
                                            before=lambda i, names=names, repo=repo: _prepare(
                                                repo, names[i])),
                           strict=True))
        finally:
            generate.restore(root)
        n_deps = len(repo.dependents(task))
        rows.append(Row(f"repository/{count}/first run", f"specc compile . ({count} files, "
                        f"no {CACHE_DIR}/)", figures(got["first"])))
        rows.append(Row(f"repository/{count}/warm re-run", "specc compile . again",
                        figures(got["warm"])))
        target = Target("<= 2.5x --no-context (warm)", "ratio", max=2.5)
        rows.append(Row.compare(
            f"repository/{count}/pre-commit workflow",
            f"specc compile {wf} after editing it (project context)", got["workflow"],
            f"specc compile --no-context on it and the {len(repo.closure(wf)) - 1} files "
            "defining what it uses", got["workflow-alone"], target))
        rows.append(Row.compare(
            f"repository/{count}/pre-commit task",
            f"specc compile {task} after editing it ({n_deps} files use it)", got["task"],
            f"specc compile --no-context on it and the {len(repo.closure(task)) - 1} files "
            "defining what it uses", got["task-alone"], target))
        reach = _reach(repo, task)
        rows.append(Row.compare(
            f"repository/{count}/pre-commit task, its dependents too",
            f"specc compile {task} after editing it ({n_deps} files use it)", got["task"],
            f"specc compile --no-context on the {len(reach)} files it reports on and needs (it, "
            "the files using it, what they use)", got["task-reach-alone"], target))
        for k in ("first", "workflow", "task"):
            if f"{k}-no-cache" in got:
                rows.append(Row(f"repository/{count}/{k} --no-cache", "specc compile " + " ".join(
                    cmds[f"{k}-no-cache"][-2:]), figures(got[f"{k}-no-cache"])))
    return rows


def _prepare(repo: generate.Repository, name: str) -> None:
    """Before a repository command: no cache for a first run, an edit for a pre-commit run."""
    if name.startswith("first"):
        shutil.rmtree(repo.root / CACHE_DIR, ignore_errors=True)
    elif name in ("workflow", "task", "workflow-no-cache", "task-no-cache"):
        repo.edit(repo.workflow_file if name.startswith("workflow") else repo.task_file)


# ---- 6. the language server --------------------------------------------------------------------

class LspClient:
    """A language server over stdio, driven as an editor would; every wait has a deadline."""

    def __init__(self, cmd: list[str], cwd: Path) -> None:
        self.proc = subprocess.Popen(cmd, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL)
        self.inbox: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self.next_id = 0
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        out = self.proc.stdout
        assert out is not None
        length: int | None = None
        while line := out.readline():  # headers, an empty line, the body
            name, _, value = line.decode("ascii").strip().partition(":")
            if name.lower() == "content-length":
                length = int(value)
            elif not name and length is not None:
                self.inbox.put(json.loads(out.read(length)))
                length = None
        self.inbox.put(None)  # the server closed its output

    def send(self, msg: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **msg}).encode("utf-8")
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def wait(self, match: Callable[[dict[str, Any]], bool], timeout: float) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            try:
                msg = self.inbox.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise Failed(f"the language server did not answer in {timeout} s") from None
            if msg is None:
                raise Failed("the language server closed its output")
            if "method" in msg and "id" in msg:  # a request from the server
                self.send({"id": msg["id"], "result": None})
            elif match(msg):
                return msg

    def request(self, method: str, params: Any, timeout: float = 60) -> Any:
        self.next_id += 1
        rid = self.next_id
        self.send({"id": rid, "method": method, "params": params})
        return self.wait(lambda m: m.get("id") == rid, timeout).get("result")

    def notify(self, method: str, params: Any) -> None:
        self.send({"method": method, "params": params})

    def diagnostics(self, uri: str, version: int, timeout: float) -> list[Any]:
        msg = self.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                        and m["params"]["uri"] == uri and m["params"].get("version") == version,
                        timeout)
        return list(msg["params"]["diagnostics"])

    def cpu(self) -> float:
        """The server's CPU time so far (Linux: /proc), seconds."""
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def peak_rss(self) -> int | None:
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
        return None

    def close(self) -> None:
        with contextlib.suppress(Failed, OSError):
            self.request("shutdown", None, timeout=10)
            self.notify("exit", None)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=10)
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


class Editor:
    """One open document in a server started on a workspace folder."""

    def __init__(self, cmd: list[str], folder: Path, rel: str, text: str) -> None:
        self.client = LspClient(cmd, folder)
        self.uri = (folder / rel).resolve().as_uri()
        self.version = 1
        root = folder.resolve().as_uri()
        self.client.request("initialize", {
            "processId": os.getpid(), "rootUri": root, "workspaceFolders": [
                {"uri": root, "name": folder.name}], "capabilities": {"textDocument": {
                    "publishDiagnostics": {"versionSupport": True}}}}, timeout=120)
        self.client.notify("initialized", {})
        self.client.notify("textDocument/didOpen", {"textDocument": {
            "uri": self.uri, "languageId": "yaml", "version": 1, "text": text}})
        self.client.diagnostics(self.uri, 1, timeout=600)

    def change(self, text: str) -> Sample:
        """Send the whole new text; the time until its diagnostics arrive."""
        self.version += 1
        cpu = self.client.cpu()
        t = time.perf_counter()
        self.client.notify("textDocument/didChange", {
            "textDocument": {"uri": self.uri, "version": self.version},
            "contentChanges": [{"text": text}]})
        diags = self.client.diagnostics(self.uri, self.version, timeout=600)
        wall = time.perf_counter() - t
        if any(d.get("severity") == 1 for d in diags):
            raise Failed(f"errors in the edited document: {diags[:3]}")
        return Sample(wall, self.client.cpu() - cpu, self.client.peak_rss())


def language_server(ctx: Context) -> list[Row]:
    count = 50 if ctx.quick else 2000
    try:
        import pygls  # noqa: F401 - only to know whether `specc lsp` can run
    except ImportError:
        return [Row(f"lsp/{count}/didChange", "", note=NOT_INSTALLED.format("pygls"))]
    repo = ctx.repository(count)
    rel = repo.workflow_file
    alone = ctx.inputs / f"lsp-alone{count}"
    shutil.rmtree(alone, ignore_errors=True)
    for f in repo.closure(rel):
        (alone / f).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(repo.root / f, alone / f)
    cmd = [*ctx.specc, "lsp"]
    text = repo.edit(rel, write=False)
    editors = [Editor(cmd, repo.root, rel, text), Editor(cmd, alone, rel, text)]
    try:
        samples = interleave([lambda e=e: e.change(repo.edit(rel, write=False))
                              for e in editors], ctx.runs(15), ctx.warmup)
    finally:
        for e in editors:
            e.client.close()
    row = Row.compare(f"lsp/{count}/didChange",
                      f"didChange to publishDiagnostics of {rel} in a workspace of {count} "
                      "spec files (includes the server's debounce)", samples[0],
                      f"the same in a workspace of only it and the "
                      f"{len(repo.closure(rel)) - 1} files defining what it uses", samples[1],
                      Target("<= 2x the lone workspace", "ratio", max=2))
    row.ratio_cpu = None  # the lone server's CPU per change is below /proc's 10 ms resolution
    return [row]


# ---- 7. long arrays ----------------------------------------------------------------------------

def long_arrays(ctx: Context) -> list[Row]:
    items = {"args": 2_000 if ctx.quick else 230_000,
             "collection": 1_000 if ctx.quick else 100_000}
    rows = []
    for kind, n in items.items():
        make = generate.long_args if kind == "args" else generate.long_collection
        path, small = make(ctx.inputs, n), make(ctx.inputs, 10)
        size = path.stat().st_size / 2**20
        got = ctx.worker("arrays-time", path=str(path), small=str(small), runs=ctx.runs(7),
                         warmup=ctx.warmup)
        holding = (f"a task with {n} container args" if kind == "args"
                   else f"a node binding a literal collection of {n} integers")
        what = f"driver.compile_paths on a {size:.1f} MB JSON spec: {holding}"
        rows.append(Row.compare(f"long-arrays/{kind}/time", what, got["specc"],
                                "json.loads of the file (read included)", got["json"],
                                Target("<= 10x json.loads", "ratio", max=10)))
        mem: dict[str, list[Sample]] = {"specc": [], "json": []}
        for _ in range(ctx.runs(3, 1)):  # one process per figure, interleaved
            for which in mem:
                mem[which] += ctx.worker("arrays-rss", path=str(path), small=str(small),
                                         which=which)["sample"]
        rows.append(Row.compare(f"long-arrays/{kind}/memory", "peak RSS the compile added above "
                                "the warmed-up process (one process per sample)", mem["specc"],
                                "the same for json.loads", mem["json"],
                                Target("<= 5x json.loads", "ratio", max=5), of="rss",
                                rss="rss_added"))
    return rows


def work_arrays_time(path: str, small: str, runs: int, warmup: int) -> dict[str, Any]:
    _compile([small])()
    got = interleave([_compile([path]), lambda: call(lambda: json.loads(Path(path).read_bytes()))],
                     runs, warmup)
    return {"specc": got[0], "json": got[1]}


def work_arrays_rss(path: str, small: str, which: str) -> dict[str, Any]:
    """What compiling (or json.loads of) ``path`` adds to the RSS of a process warmed up on
    ``small``, at its peak."""
    if which == "specc":
        _compile([small])()
        step = _compile([path])
    else:
        json.loads(Path(small).read_bytes())

        def step() -> Sample:
            return call(lambda: json.loads(Path(path).read_bytes()))
    return {"sample": [memory(step)]}


# ---- the tables --------------------------------------------------------------------------------

CASES: dict[str, Callable[[Context], list[Row]]] = {
    "cold-start": cold_start,
    "many-files": many_files,
    "big-bundle": big_bundle,
    "big-workflows": big_workflows,
    "repository": repository,
    "lsp": language_server,
    "long-arrays": long_arrays,
}

WORKERS: dict[str, Callable[..., dict[str, Any]]] = {
    "compile-dir": work_compile_dir,
    "bundle": work_bundle,
    "workflow": work_workflow,
    "arrays-time": work_arrays_time,
    "arrays-rss": work_arrays_rss,
}
