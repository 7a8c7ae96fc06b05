"""Benchmark inputs, generated deterministically (every generator takes a seed or none at all).

Specs are built as small models (``Task``, ``Workflow``, ``LaunchPlan``) that are type-correct by
construction: a node input is bound to an earlier node's output of the same type, a literal, or a
workflow input. Each model renders as Flyte's own proto3-JSON form (``flyte``) or as the specc
dialect (``dialect``); a file is YAML (any number of documents) or JSON (one document). What the
cases need beyond files (which file uses which, what to edit) is returned alongside.
"""
from __future__ import annotations

import io
import json
import random
import subprocess
import tarfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

VERSION = "v1"
RUNTIME = {"type": "FLYTE_SDK", "version": "1.16.0", "flavor": "python"}


@dataclass(frozen=True)
class Type:
    flyte: dict[str, Any]  # flyteidl LiteralType
    dialect: str  # the dialect's type expression
    value: Callable[[random.Random], Any] | None  # a literal of this type, when one can be written


TYPES: dict[str, Type] = {
    "int": Type({"simple": "INTEGER"}, "int", lambda r: r.randrange(1000)),
    "float": Type({"simple": "FLOAT"}, "float", lambda r: round(r.random() * 10, 2)),
    "str": Type({"simple": "STRING"}, "str", lambda r: r.choice(["eu", "us", "daily", "full"])),
    "bool": Type({"simple": "BOOLEAN"}, "bool", lambda r: r.random() < 0.5),
    "list[int]": Type({"collectionType": {"simple": "INTEGER"}}, "list[int]",
                      lambda r: [r.randrange(100) for _ in range(r.randrange(1, 4))]),
    "dict[str, float]": Type({"mapValueType": {"simple": "FLOAT"}}, "dict[str, float]",
                             lambda r: {k: round(r.random(), 2) for k in ("a", "b")}),
    "dataset": Type({"structuredDatasetType": {"format": "parquet"}}, "dataset[parquet]", None),
    "file": Type({"blob": {"format": "csv"}}, "file[csv]", None),
}
TYPE_NAMES = sorted(TYPES)


# ---- models --------------------------------------------------------------------------------------

@dataclass
class Task:
    name: str
    inputs: dict[str, str]  # variable -> key of TYPES
    outputs: dict[str, str]
    retries: int = 0
    timeout_s: int | None = None
    cache: str | None = None
    resources: tuple[str, str] | None = None  # (cpu, memory): requested and limited alike
    edits: int = 0  # bumped by an edit: changes the container's arguments only

    @property
    def kind(self) -> str:
        return "TASK"


@dataclass
class Node:
    id: str
    callee: Task | Workflow | LaunchPlan
    inputs: dict[str, tuple[Any, ...]]  # var -> ("in", name) | ("node", id, var) | ("lit", v)
    retries: int | None = None


@dataclass
class Workflow:
    name: str
    inputs: dict[str, str] = field(default_factory=dict)
    nodes: list[Node] = field(default_factory=list)
    outputs: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # name: node, var, type

    @property
    def kind(self) -> str:
        return "WORKFLOW"

    @property
    def output_types(self) -> dict[str, str]:
        return {k: t for k, (_, _, t) in self.outputs.items()}


@dataclass
class LaunchPlan:
    name: str
    workflow: Workflow
    defaults: dict[str, Any] = field(default_factory=dict)  # input -> value (None: required)
    fixed: dict[str, Any] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        return "LAUNCH_PLAN"


Entity = Task | Workflow | LaunchPlan


def interface(e: Entity) -> tuple[dict[str, str], dict[str, str]]:
    """What a node calling ``e`` binds, and what it provides."""
    if isinstance(e, Task):
        return e.inputs, e.outputs
    if isinstance(e, Workflow):
        return e.inputs, e.output_types
    wf = e.workflow
    return {k: t for k, t in wf.inputs.items() if k not in e.fixed}, wf.output_types


def make_task(rng: random.Random, name: str) -> Task:
    ins = {f"i{k}": rng.choice(TYPE_NAMES) for k in range(rng.randrange(1, 4))}
    outs = {f"o{k}": rng.choice(TYPE_NAMES) for k in range(rng.randrange(1, 3))}
    t = Task(name, ins, outs)
    if rng.random() < 0.5:
        t.retries = rng.randrange(1, 4)
    if rng.random() < 0.3:
        t.timeout_s = rng.choice([300, 600, 3600])
    if rng.random() < 0.3:
        t.cache = f"{rng.randrange(1, 9)}.0"
    if rng.random() < 0.5:
        t.resources = (rng.choice(["1", "2", "500m"]), rng.choice(["1Gi", "2Gi", "512Mi"]))
    return t


def make_workflow(rng: random.Random, name: str, callees: list[Entity], n_nodes: int) -> Workflow:
    """A workflow of ``n_nodes`` nodes calling ``callees``. Inputs prefer outputs nobody took yet,
    so few outputs are left over; those become the workflow's outputs."""
    wf = Workflow(name)
    free: dict[str, list[tuple[str, str]]] = {}  # type -> outputs nobody took yet
    taken: dict[str, list[tuple[str, str]]] = {}  # type -> outputs already taken
    for i in range(n_nodes):
        callee = rng.choice(callees)
        ins, outs = interface(callee)
        node = Node(f"n{i}", callee, {})
        for var, t in ins.items():
            node.inputs[var] = _source(rng, wf, t, var, free, taken)
        if rng.random() < 0.2:
            node.retries = rng.randrange(1, 3)
        wf.nodes.append(node)
        for var, t in outs.items():
            free.setdefault(t, []).append((node.id, var))
    for t, outs in sorted(free.items()):
        for node_id, var in outs:
            wf.outputs[f"{node_id}_{var}"] = (node_id, var, t)
    return wf


def _source(rng: random.Random, wf: Workflow, t: str, var: str,
            free: dict[str, list[tuple[str, str]]],
            taken: dict[str, list[tuple[str, str]]]) -> tuple[Any, ...]:
    if free.get(t) and rng.random() < 0.8:
        out = free[t].pop(rng.randrange(len(free[t])))
        taken.setdefault(t, []).append(out)
        return ("node", *out)
    if taken.get(t) and rng.random() < 0.3:
        return ("node", *rng.choice(taken[t]))
    value = TYPES[t].value
    if value is not None and rng.random() < 0.5:
        return ("lit", value(rng))
    same = [k for k, kt in wf.inputs.items() if kt == t]
    if same and rng.random() < 0.5:
        return ("in", rng.choice(same))
    name = f"{var}_{len(wf.inputs)}"
    wf.inputs[name] = t
    return ("in", name)


def make_launch_plan(rng: random.Random, name: str, wf: Workflow) -> LaunchPlan:
    lp = LaunchPlan(name, wf)
    for var, t in wf.inputs.items():
        value = TYPES[t].value
        if value is None:
            lp.defaults[var] = None
        elif rng.random() < 0.3:
            lp.fixed[var] = value(rng)
        else:
            lp.defaults[var] = value(rng)
    return lp


# ---- Flyte's own form ---------------------------------------------------------------------------

def ident(e: Entity) -> dict[str, Any]:
    return {"resourceType": e.kind, "name": e.name, "version": VERSION}


def _variables(vs: dict[str, str]) -> dict[str, Any]:
    return {"variables": {k: {"type": TYPES[t].flyte} for k, t in vs.items()}}


def literal(v: Any, binding: bool) -> dict[str, Any]:
    """A flyteidl Literal (or BindingData) of a Python value."""
    if isinstance(v, list):
        key = "bindings" if binding else "literals"
        return {"collection": {key: [literal(x, binding) for x in v]}}
    if isinstance(v, dict):
        key = "bindings" if binding else "literals"
        return {"map": {key: {k: literal(x, binding) for k, x in v.items()}}}
    if isinstance(v, bool):
        prim: dict[str, Any] = {"boolean": v}
    elif isinstance(v, int):
        prim = {"integer": str(v)}
    elif isinstance(v, float):
        prim = {"floatValue": v}
    else:
        prim = {"stringValue": v}
    return {"scalar": {"primitive": prim}}


def _binding(src: tuple[Any, ...]) -> dict[str, Any]:
    if src[0] == "in":
        return {"promise": {"var": src[1]}}
    if src[0] == "node":
        return {"promise": {"nodeId": src[1], "var": src[2]}}
    return literal(src[1], binding=True)


def flyte(e: Entity) -> dict[str, Any]:
    """``e`` as an admin.TaskSpec, admin.WorkflowSpec or admin.LaunchPlan (proto3 JSON)."""
    if isinstance(e, Task):
        meta: dict[str, Any] = {"runtime": RUNTIME}
        if e.retries:
            meta["retries"] = {"retries": e.retries}
        if e.timeout_s:
            meta["timeout"] = f"{e.timeout_s}s"
        if e.cache:
            meta.update(discoverable=True, discoveryVersion=e.cache)
        args = ["pyflyte-execute", "--inputs", "{{.input}}", "--output-prefix",
                "{{.outputPrefix}}", "--resolver", e.name]
        if e.edits:
            args.append(f"--edit={e.edits}")
        container: dict[str, Any] = {"image": "ghcr.io/example/pipeline:1.4.2", "args": args}
        if e.resources:
            res = [{"name": "CPU", "value": e.resources[0]},
                   {"name": "MEMORY", "value": e.resources[1]}]
            container["resources"] = {"requests": res, "limits": res}
        return {"template": {"id": ident(e), "type": "python-task", "metadata": meta,
                             "interface": {"inputs": _variables(e.inputs),
                                           "outputs": _variables(e.outputs)},
                             "container": container}}
    if isinstance(e, Workflow):
        nodes = []
        for n in e.nodes:
            c = n.callee
            node: dict[str, Any] = {"id": n.id}
            if n.retries is not None:
                node["metadata"] = {"name": n.id, "retries": {"retries": n.retries}}
            if isinstance(c, Task):
                node["taskNode"] = {"referenceId": ident(c)}
            elif isinstance(c, Workflow):
                node["workflowNode"] = {"subWorkflowRef": ident(c)}
            else:
                node["workflowNode"] = {"launchplanRef": ident(c)}
            node["inputs"] = [{"var": k, "binding": _binding(s)} for k, s in n.inputs.items()]
            nodes.append(node)
        return {"template": {
            "id": ident(e),
            "interface": {"inputs": _variables(e.inputs), "outputs": _variables(e.output_types)},
            "nodes": nodes,
            "outputs": [{"var": k, "binding": {"promise": {"nodeId": nid, "var": v}}}
                        for k, (nid, v, _) in e.outputs.items()]}}
    wf = e.workflow
    params: dict[str, Any] = {}
    for k, v in e.defaults.items():
        p: dict[str, Any] = {"var": {"type": TYPES[wf.inputs[k]].flyte}}
        if v is None:
            p["required"] = True
        else:
            p["default"] = literal(v, binding=False)
        params[k] = p
    spec: dict[str, Any] = {"workflowId": ident(wf), "defaultInputs": {"parameters": params}}
    if e.fixed:
        spec["fixedInputs"] = {"literals": {k: literal(v, binding=False)
                                            for k, v in e.fixed.items()}}
    return {"id": ident(e), "spec": spec}


# ---- the specc dialect -------------------------------------------------------------------------

def _value(src: tuple[Any, ...]) -> Any:
    if src[0] == "in":
        return f"${{inputs.{src[1]}}}"
    if src[0] == "node":
        return f"${{{src[1]}.{src[2]}}}"
    return src[1]


def dialect(e: Entity) -> dict[str, Any]:
    """``e`` in the specc dialect (it lowers to what ``flyte(e)`` is)."""
    head: dict[str, Any] = {"apiVersion": "specc/v1", "kind": type(e).__name__, "name": e.name,
                            "version": VERSION}
    if isinstance(e, Task):
        head.update(type="python-task", runtime=RUNTIME,
                    inputs={k: TYPES[t].dialect for k, t in e.inputs.items()},
                    outputs={k: TYPES[t].dialect for k, t in e.outputs.items()},
                    image="ghcr.io/example/pipeline:1.4.2",
                    args=flyte(e)["template"]["container"]["args"])
        if e.retries:
            head["retries"] = e.retries
        if e.timeout_s:
            head["timeout"] = f"{e.timeout_s // 60}m"
        if e.cache:
            head["cache"] = e.cache
        if e.resources:
            res = {"cpu": e.resources[0], "memory": e.resources[1]}
            head.update(requests=res, limits=dict(res))
        return head
    if isinstance(e, Workflow):
        nodes: dict[str, Any] = {}
        for n in e.nodes:
            key = {"TASK": "task", "WORKFLOW": "workflow", "LAUNCH_PLAN": "launchPlan"}
            node: dict[str, Any] = {key[n.callee.kind]: n.callee.name}
            if n.inputs:
                node["inputs"] = {k: _value(s) for k, s in n.inputs.items()}
            if n.retries is not None:
                node.update(name=n.id, retries=n.retries)
            nodes[n.id] = node
        if e.inputs:
            head["inputs"] = {k: TYPES[t].dialect for k, t in e.inputs.items()}
        head["outputs"] = {k: {"type": TYPES[t].dialect, "value": f"${{{nid}.{v}}}"}
                           for k, (nid, v, t) in e.outputs.items()}
        head["nodes"] = nodes
        return head
    wf = e.workflow
    head["workflow"] = wf.name
    if e.defaults:
        head["inputs"] = {k: TYPES[wf.inputs[k]].dialect if v is None
                          else {"type": TYPES[wf.inputs[k]].dialect, "default": v}
                          for k, v in e.defaults.items()}
    if e.fixed:
        head["fixed"] = dict(e.fixed)
    return head


# ---- files -------------------------------------------------------------------------------------

@dataclass
class SpecFile:
    """One generated file: what it defines, in which form, and how it is written."""

    rel: str
    entities: list[Entity]
    form: str = "flyte"  # flyte | dialect
    flow: bool = False  # YAML flow style for leaf collections

    def render(self) -> str:
        docs = [dialect(e) if self.form == "dialect" else flyte(e) for e in self.entities]
        if self.rel.endswith(".json"):
            assert len(docs) == 1, self.rel
            return json.dumps(docs[0], indent=2) + "\n"
        return dump_yaml(docs, flow=self.flow)

    def write(self, root: Path) -> Path:
        path = root / self.rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.render(), encoding="utf-8")
        return path


class _Dumper(yaml.CSafeDumper):
    """Writes shared objects (the type table's) out in full: no anchors, no aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def dump_yaml(docs: list[dict[str, Any]], flow: bool = False) -> str:
    return yaml.dump_all(docs, Dumper=_Dumper, sort_keys=False, width=100,
                         default_flow_style=None if flow else False)


def small_specs(root: Path, count: int, seed: int) -> list[Path]:
    """``count`` small YAML files, each a task or two and a workflow of one to six nodes using
    them, in about ``count / 25`` subfolders; a fifth in the dialect, a third in flow style."""
    rng = random.Random(seed)
    paths = []
    for i in range(count):
        team = f"team{i % max(1, count // 25):03d}"
        tasks = [make_task(rng, f"{team}.t{i}_{k}") for k in range(rng.choice([1, 1, 1, 2]))]
        wf = make_workflow(rng, f"{team}.wf{i}", list(tasks), rng.randrange(1, 7))
        f = SpecFile(f"{team}/spec{i:05d}.yaml", [*tasks, wf],
                     form="dialect" if rng.random() < 0.2 else "flyte", flow=rng.random() < 0.33)
        paths.append(f.write(root))
    return paths


def cold_start_spec(root: Path) -> tuple[Path, str]:
    """One small YAML document (a workflow with its tasks: core.WorkflowClosure) and its kind."""
    rng = random.Random(1)
    tasks = [make_task(rng, f"cold.t{k}") for k in range(2)]
    wf = make_workflow(rng, "cold.wf", list(tasks), 4)
    doc = {"workflow": flyte(wf)["template"], "tasks": [flyte(t)["template"] for t in tasks]}
    path = root / "cold_start.yaml"
    path.write_text(dump_yaml([doc]), encoding="utf-8")
    return path, "WorkflowClosure"


# ---- big workflows -----------------------------------------------------------------------------

BIG_TASK = Task("bench.step", {"x": "list[int]"}, {"o0": "int"})


def big_workflow(n: int, shape: str) -> dict[str, Any]:
    """A core.WorkflowClosure of ``n`` nodes of one task: a chain (each node takes the one before),
    or a fan-out/fan-in (one source, n - 2 parallel nodes, one sink taking all of them)."""
    def node(i: int, sources: list[str]) -> dict[str, Any]:
        items = [{"promise": {"nodeId": s, "var": "o0"}} if s else literal(i, binding=True)
                 for s in sources]
        return {"id": f"n{i}", "taskNode": {"referenceId": ident(BIG_TASK)},
                "inputs": [{"var": "x", "binding": {"collection": {"bindings": items}}}]}

    if shape == "chain":
        nodes = [node(0, [""])] + [node(i, [f"n{i - 1}"]) for i in range(1, n)]
    else:
        nodes = [node(0, [""])] + [node(i, ["n0"]) for i in range(1, n - 1)]
        nodes.append(node(n - 1, [f"n{i}" for i in range(1, n - 1)]))
    template = {
        "id": {"resourceType": "WORKFLOW", "name": f"bench.{shape}{n}", "version": VERSION},
        "interface": {"outputs": _variables({"o0": "int"})},
        "nodes": nodes,
        "outputs": [{"var": "o0", "binding": {"promise": {"nodeId": f"n{n - 1}", "var": "o0"}}}]}
    return {"workflow": template, "tasks": [flyte(BIG_TASK)["template"]]}


def write_big_workflow(root: Path, n: int, shape: str, fmt: str) -> Path:
    path = root / f"{shape}{n}.{fmt}"
    if not path.exists():
        doc = big_workflow(n, shape)
        path.write_text(json.dumps(doc) if fmt == "json" else dump_yaml([doc]), encoding="utf-8")
    return path


# ---- a pyflyte package bundle ------------------------------------------------------------------

def bundle(root: Path, n_nodes: int, seed: int) -> Path:
    """A ``pyflyte package`` bundle: 20 tasks (``_1.pb``), one workflow of ``n_nodes`` nodes
    (``_2.pb``) and its launch plan (``_3.pb``), serialized with flyteidl's classes."""
    from google.protobuf import json_format

    from specc.frontends.proto import message_class

    rng = random.Random(seed)
    tasks = [make_task(rng, f"pkg.t{k}") for k in range(20)]
    wf = make_workflow(rng, "pkg.big", list(tasks), n_nodes)
    lp = make_launch_plan(rng, "pkg.big", wf)
    ents: list[tuple[str, Entity]] = [("TaskSpec", t) for t in tasks]
    ents += [("WorkflowSpec", wf), ("LaunchPlan", lp)]
    width = len(str(len(ents) - 1))
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz", format=tarfile.PAX_FORMAT) as tar:
        for i, (kind, e) in enumerate(ents):
            msg = json_format.ParseDict(flyte(e), message_class(kind)())
            data = msg.SerializeToString(deterministic=True)
            suffix = {"TaskSpec": 1, "WorkflowSpec": 2, "LaunchPlan": 3}[kind]
            info = tarfile.TarInfo(f"{i:0{width}d}_{e.name}_{suffix}.pb")
            info.size, info.mode = len(data), 0o644
            tar.addfile(info, io.BytesIO(data))
    path = root / f"bundle{n_nodes}.tgz"
    path.write_bytes(buf.getvalue())
    return path


# ---- a repository ------------------------------------------------------------------------------

@dataclass
class Repository:
    root: Path
    files: dict[str, SpecFile]  # rel -> file
    uses: dict[str, set[str]]  # rel -> the files defining what it uses (directly)
    workflow_file: str  # a workflow file whose tasks live in other files (to edit)
    task_file: str  # a task file that workflows in other files use (to edit)

    def closure(self, rel: str) -> list[str]:
        """``rel`` and every file defining what it uses, transitively; sorted."""
        seen, todo = {rel}, [rel]
        while todo:
            for dep in self.uses.get(todo.pop(), ()):
                if dep not in seen:
                    seen.add(dep)
                    todo.append(dep)
        return sorted(seen)

    def dependents(self, rel: str) -> list[str]:
        return sorted(f for f, deps in self.uses.items() if rel in deps)

    def edit(self, rel: str, write: bool = True) -> str:
        """Change ``rel`` the way a commit would, keeping it valid and its interfaces as they are
        (a task's container arguments, a workflow's first node's retries); its new text, also
        written unless ``write`` is false."""
        f = self.files[rel]
        for e in f.entities:
            if isinstance(e, Task):
                e.edits += 1
            elif isinstance(e, Workflow):
                e.nodes[0].retries = ((e.nodes[0].retries or 0) % 3) + 1
        if write:
            f.write(self.root)
        return f.render()


GIT_ENV = {"GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.com",
           "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@example.com",
           "GIT_CONFIG_NOSYSTEM": "1"}


def repository(root: Path, count: int, seed: int) -> Repository:
    """A git repository of about ``count`` spec files in teams of about 100: task files (one to
    three tasks), workflow files (using tasks of their team's files and of a shared platform team,
    now and then another workflow or a launch plan; some with their launch plan) and launch plan
    files; a tenth JSON, a fifth of the YAML in the dialect. Also a README and CI configuration
    (not specs). Committed."""
    rng = random.Random(seed)
    files: dict[str, SpecFile] = {}
    uses: dict[str, set[str]] = {}
    where: dict[int, str] = {}  # id(entity) -> file
    platform: list[Entity] = []
    teams = max(1, count // 100)
    per_team = count // teams
    for t in range(teams):
        team = "platform" if t == 0 else f"team{t:03d}"
        tasks: list[Entity] = []
        workflows: list[Entity] = []
        plans: list[Entity] = []
        for i in range(per_team):
            roll = rng.random()
            json_file = rng.random() < 0.1
            ext = "json" if json_file else "yaml"
            form = "dialect" if not json_file and rng.random() < 0.2 else "flyte"
            if roll < 0.4 or len(tasks) < 3:
                n = 1 if json_file else rng.randrange(1, 4)
                ents: list[Entity] = [make_task(rng, f"{team}.task{i}_{k}") for k in range(n)]
                rel = f"{team}/tasks/task{i:04d}.{ext}"
                tasks += ents
            elif roll < 0.85 or not workflows:
                pool = rng.sample(tasks, min(len(tasks), 6)) + rng.sample(
                    platform, min(len(platform), 2))
                if workflows and rng.random() < 0.1:
                    pool.append(rng.choice(workflows))
                if plans and rng.random() < 0.1:
                    pool.append(rng.choice(plans))
                wf = make_workflow(rng, f"{team}.wf{i}", pool, rng.randrange(2, 9))
                ents = [wf]
                if not json_file and rng.random() < 0.5:
                    ents.append(make_launch_plan(rng, wf.name, wf))
                rel = f"{team}/workflows/wf{i:04d}.{ext}"
                workflows.append(wf)
            else:
                wf = rng.choice(workflows)
                assert isinstance(wf, Workflow)
                ents = [make_launch_plan(rng, f"{team}.lp{i}", wf)]
                rel = f"{team}/launchplans/lp{i:04d}.{ext}"
                plans += ents
            files[rel] = SpecFile(rel, ents, form=form, flow=rng.random() < 0.3)
            for e in ents:
                where[id(e)] = rel
            uses[rel] = {where[id(c)] for c in _callees(ents)} - {rel}
        if t == 0:
            platform = tasks
    for f in files.values():
        f.write(root)
    (root / "README.md").write_text("# flows\n\nGenerated by bench/generate.py.\n")
    ci = root / ".github" / "workflows" / "ci.yaml"
    ci.parent.mkdir(parents=True)
    ci.write_text("name: ci\non: [push]\njobs: {check: {runs-on: ubuntu-latest, "
                  "steps: [{run: specc compile .}]}}\n")
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "flows")
    wf_file = next(r for r in sorted(files) if "/workflows/" in r and r.endswith(".yaml")
                   and any("/tasks/" in d for d in uses[r]))
    used = sorted({d for r in files for d in uses[r] if "/tasks/" in d and d.endswith(".yaml")},
                  key=lambda d: (-sum(d in u for u in uses.values()), d))
    return Repository(root, files, uses, wf_file, used[0])


def restore(root: Path) -> None:
    """Put the repository's files back as committed (after edits)."""
    _git(root, "checkout", "-q", "--", ".")


def _callees(ents: list[Entity]) -> Iterator[Entity]:
    for e in ents:
        if isinstance(e, Workflow):
            for n in e.nodes:
                yield n.callee
        elif isinstance(e, LaunchPlan):
            yield e.workflow


def _git(root: Path, *args: str) -> None:
    import os

    subprocess.run(["git", "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", *args],
                   cwd=root, check=True, capture_output=True, env={**os.environ, **GIT_ENV})


# ---- long arrays -------------------------------------------------------------------------------

def long_args(root: Path, items: int) -> Path:
    """An admin.TaskSpec (JSON) whose container has ``items`` arguments (about 24 bytes each)."""
    t = Task("arrays.many_args", {"x": "int"}, {"o0": "int"})
    doc = flyte(t)
    doc["template"]["container"]["args"] += [f"--shard-{i:07d}=on" for i in range(items)]
    path = root / f"long_args{items}.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def long_collection(root: Path, items: int) -> Path:
    """A core.WorkflowClosure (JSON) whose one node binds a literal collection of ``items``
    integers (about 45 bytes each)."""
    wf = Workflow("arrays.sum")
    task = Task("arrays.total", {"xs": "list[int]"}, {"total": "int"})
    wf.nodes.append(Node("n0", task, {"xs": ("lit", list(range(items)))}))
    wf.outputs["total"] = ("n0", "total", "int")
    doc = {"workflow": flyte(wf)["template"], "tasks": [flyte(task)["template"]]}
    path = root / f"long_collection{items}.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path
