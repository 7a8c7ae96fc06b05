"""build-ir: lower canonical documents into the IR (``specc.ir.Program``).

Reads only canonical documents (check-schema's result) and so knows nothing of the input form.
Reports definitions that clash: the same identifier defined twice with different content (each
definition is still checked on its own), and a sub-workflow given twice in one spec. The
entities of a document that failed check-schema are built too, marked ``broken``: they are known
by name, so that what uses them is not told they do not exist, and checked no further.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from specc import ir
from specc.diagnostics import Loc, Report
from specc.source import CanonicalDocument

Raw = dict[str, Any]


def build_ir(documents: Sequence[CanonicalDocument], lost: Sequence[str | None],
             report: Report) -> ir.Program:
    """The program of every entity of ``documents``, in their order. ``lost``: the text of each
    file or document that could not be read as specs (None when its text is unknown too)."""
    prog = ir.Program(lost=tuple(t for t in lost if t is not None),
                      lost_all=any(t is None for t in lost))
    b = _Builder(report, prog)
    for doc in documents:
        b.broken = not doc.ok
        _KINDS[doc.kind](b, doc.data, Loc(doc))
    return prog


def _task_spec(b: _Builder, c: Raw, root: Loc) -> None:
    b.task(c.get("template"), root.child("template"))


def _task_template(b: _Builder, c: Raw, root: Loc) -> None:
    b.task(c, root)


def _admin_task(b: _Builder, c: Raw, root: Loc) -> None:
    b.task(c.get("closure", {}).get("compiledTask", {}).get("template"),
           root.child("closure", "compiledTask", "template"))


def _workflow_spec(b: _Builder, c: Raw, root: Loc) -> None:
    scope: dict[ir.Key, ir.Workflow] = {}
    subs = b.sub_workflows(c.get("subWorkflows", []), root.child("subWorkflows"), scope)
    b.primary(c.get("template"), root.child("template"), subs, scope)


def _workflow_template(b: _Builder, c: Raw, root: Loc) -> None:
    b.primary(c, root, [], {})


def _workflow_closure(b: _Builder, c: Raw, root: Loc) -> None:
    for i, t in enumerate(c.get("tasks", [])):  # TaskTemplates, not CompiledTasks
        b.task(t, root.child("tasks", i))
    wf = b.primary(c.get("workflow"), root.child("workflow"), [], {})
    if wf is not None:
        # Flyte's closure carries every task it was given, in the order given
        wf.tasks_in_doc = [ir.Identifier.from_raw(t.get("id")).key for t in c.get("tasks", [])]


def _admin_workflow(b: _Builder, c: Raw, root: Loc) -> None:
    cw = c.get("closure", {}).get("compiledWorkflow", {})
    base = root.child("closure", "compiledWorkflow")
    for i, t in enumerate(cw.get("tasks", [])):
        b.task(t.get("template"), base.child("tasks", i, "template"))
    scope: dict[ir.Key, ir.Workflow] = {}
    subs = []
    for i, s in enumerate(cw.get("subWorkflows", [])):
        wf = b.workflow(s.get("template"), base.child("subWorkflows", i, "template"), scope)
        if wf is not None:
            subs.append(wf)
    b.primary(cw.get("primary", {}).get("template"), base.child("primary", "template"), subs,
              scope)


def _launch_plan(b: _Builder, c: Raw, root: Loc) -> None:
    b.launch_plan(c, root)


_KINDS: dict[str, Callable[[_Builder, Raw, Loc], None]] = {
    "TaskSpec": _task_spec,
    "TaskTemplate": _task_template,
    "Task": _admin_task,
    "WorkflowSpec": _workflow_spec,
    "WorkflowTemplate": _workflow_template,
    "WorkflowClosure": _workflow_closure,
    "Workflow": _admin_workflow,
    "LaunchPlan": _launch_plan,
}


class _Builder:
    def __init__(self, report: Report, prog: ir.Program) -> None:
        self.report = report
        self.prog = prog
        self.broken = False  # the current document failed check-schema

    def _register(self, table: dict[ir.Key, Any], obj: ir.Entity) -> ir.Entity:
        """Add ``obj`` to the program; the entity that stands for its identifier afterwards
        (the first definition when ``obj`` repeats it identically)."""
        key = obj.id.key
        first = table.get(key)
        if first is None or (first.broken and not obj.broken):
            table[key] = obj
            self.prog.entities.append(obj)
            return obj
        if obj.broken or first.broken or first.raw == obj.raw:
            if obj.broken and not first.broken:
                return first  # a broken copy of a known entity adds nothing
            if first.raw == obj.raw:
                return first
            self.prog.entities.append(obj)
            return obj
        self.report("SPC208", obj.loc.child("id"),
                    related=[(first.loc.child("id"), "first defined here")],
                    kind=obj.WHAT, ref=obj.id.display())
        self.prog.entities.append(obj)  # checked on its own; references resolve to the first
        return obj

    def task(self, raw: Raw | None, loc: Loc) -> None:
        if raw is None:
            return
        md = raw.get("metadata")
        mloc = loc.child("metadata")
        t = ir.Task(ir.Identifier.from_raw(raw.get("id")), raw, loc, self.broken,
                    interface=interface(raw.get("interface"), loc.child("interface")),
                    type=raw.get("type", ""),
                    metadata=_task_metadata(md, mloc) if md is not None else ir.TaskMetadata(),
                    container=_container(raw.get("container"), loc.child("container")),
                    pod_containers=_pod_containers(raw.get("k8sPod"), loc.child("k8sPod")),
                    secrets=_secrets(raw.get("securityContext"), loc.child("securityContext")))
        self._register(self.prog.tasks, t)

    def primary(self, raw: Raw | None, loc: Loc, subs: list[ir.Workflow],
                scope: dict[ir.Key, ir.Workflow]) -> ir.Workflow | None:
        wf = self.workflow(raw, loc, scope)
        if wf is None:
            return None
        if wf.primary:
            return wf  # the same workflow given twice, identically: one closure
        wf.primary = True
        wf.sub_workflows = subs
        self.prog.primaries.append(wf)
        return wf

    def workflow(self, raw: Raw | None, loc: Loc,
                 scope: dict[ir.Key, ir.Workflow]) -> ir.Workflow | None:
        if raw is None:
            return None
        wf = workflow(raw, loc, scope, self.broken)
        got = self._register(self.prog.workflows, wf)
        assert isinstance(got, ir.Workflow)
        scope.setdefault(got.id.key, got)
        return got

    def sub_workflows(self, raws: list[Raw], loc: Loc,
                      scope: dict[ir.Key, ir.Workflow]) -> list[ir.Workflow]:
        subs: list[ir.Workflow] = []
        first: dict[ir.Key, Loc] = {}
        for i, raw in enumerate(raws):
            ident = ir.Identifier.from_raw(raw.get("id"))
            if ident.key in first:
                self.report("SPC212", loc.child(i, "id"),
                            related=[(first[ident.key], "first given here")],
                            ref=ident.display())
                continue
            first[ident.key] = loc.child(i, "id")
            wf = self.workflow(raw, loc.child(i), scope)
            if wf is not None:
                subs.append(wf)
        return subs

    def launch_plan(self, raw: Raw, loc: Loc) -> None:
        spec = raw.get("spec", {})
        lp = ir.LaunchPlan(ir.Identifier.from_raw(raw.get("id")), raw, loc, self.broken,
                           workflow_id=ir.Identifier.from_raw(spec.get("workflowId")),
                           secrets=_secrets(spec.get("securityContext"),
                                            loc.child("spec", "securityContext")))
        self._register(self.prog.launch_plans, lp)


def workflow(raw: Raw, loc: Loc, scope: dict[ir.Key, ir.Workflow],
             broken: bool = False) -> ir.Workflow:
    """A workflow template as IR (with its start-node and end-node)."""
    outputs = bindings(raw.get("outputs", []), loc.child("outputs"))
    return ir.Workflow(
        ir.Identifier.from_raw(raw.get("id")), raw, loc, broken,
        interface=interface(raw.get("interface"), loc.child("interface")),
        nodes=[node(n, loc.child("nodes", i)) for i, n in enumerate(raw.get("nodes", []))],
        outputs=outputs,
        failure_node=node(raw["failureNode"], loc.child("failureNode"), role="failure")
        if "failureNode" in raw else None,
        start=ir.StartNode(ir.START_NODE, loc, {}, [], [], [], ir.NodeMetadata()),
        end=ir.EndNode(ir.END_NODE, loc.child("outputs"), {}, outputs, [], [],
                       ir.NodeMetadata()),
        scope=scope,
    )


def interface(raw: Raw | None, loc: Loc) -> ir.Interface | None:
    if raw is None:
        return None

    def varmap(key: str) -> dict[str, ir.Variable]:
        vm = raw.get(key, {}).get("variables", {})
        vloc = loc.child(key, "variables")
        return {n: ir.Variable(n, v.get("type"), vloc.child(n)) for n, v in vm.items()}

    return ir.Interface(varmap("inputs"), varmap("outputs"), loc)


# ---- bindings ----------------------------------------------------------------------------------

def bindings(raw: list[Raw], loc: Loc) -> list[ir.Binding]:
    out = []
    for i, b in enumerate(raw):
        bloc = loc.child(i)
        data = b.get("binding")
        out.append(ir.Binding(b.get("var", ""),
                              value(data, bloc.child("binding")) if data is not None else None,
                              bloc))
    return out


def value(data: Raw, loc: Loc) -> ir.BindingValue:
    """A BindingData as IR, at any depth."""
    if "promise" in data:
        return ir.PromiseValue(promise(data["promise"], loc.child("promise")), loc)
    if "scalar" in data:
        return ir.Scalar(data["scalar"], loc)
    if "collection" in data:
        cloc = loc.child("collection", "bindings")
        return ir.Collection([value(b, cloc.child(i))
                              for i, b in enumerate(data["collection"].get("bindings", []))], loc)
    if "map" in data:
        mloc = loc.child("map", "bindings")
        return ir.MapValue({k: value(b, mloc.child(k))
                            for k, b in data["map"].get("bindings", {}).items()}, loc)
    return ir.OtherValue("offloaded data" if "offloadedMetadata" in data else "an empty binding",
                         loc)


def promise(p: Raw, loc: Loc) -> ir.Promise:
    var = p.get("var", "")
    parsed = parse_var(var)
    return ir.Promise(p.get("nodeId", ""), var, parsed[0] if parsed else None,
                      parsed[1] if parsed else None, p.get("attrPath", []), loc)


def parse_var(var: str) -> tuple[int | None, str] | None:
    """Flyte's promise variable syntax: ``name`` or ``[i].name``; None when it does not parse.

    Flyte finds all matches of its pattern anywhere in the string and requires exactly one, so
    'a.b' (two matches) is refused while 'o0!' reads as 'o0'.
    """
    ms = list(_VAR.finditer(var))
    if len(ms) != 1:
        return None
    m = ms[0]
    idx = m.group("index")
    return (int(idx) if idx is not None else None), m.group("var")


_VAR = re.compile(r"(\[(?P<index>\d+)\]\.)?(?P<var>\w+)", re.ASCII)


# ---- nodes -------------------------------------------------------------------------------------

def node(raw: Raw, loc: Loc, role: str = "node", parent: ir.Node | None = None) -> ir.Node:
    """A node as IR, with the nodes inside it; ``role`` and ``parent`` say where it sits."""
    display = raw.get("id", "")
    if parent is not None and isinstance(parent, ir.BranchNode):
        display = f"{parent.display_id}-{display}"
    common: dict[str, Any] = {
        "id": raw.get("id", ""), "loc": loc, "raw": raw,
        "inputs": bindings(raw.get("inputs", []), loc.child("inputs")),
        "upstream_ids": [(u, loc.child("upstreamNodeIds", i))
                         for i, u in enumerate(raw.get("upstreamNodeIds", []))],
        "aliases": [ir.Alias(a.get("var", ""), a.get("alias", ""),
                             loc.child("outputAliases", i))
                    for i, a in enumerate(raw.get("outputAliases", []))],
        "metadata": _node_metadata(raw.get("metadata"), loc.child("metadata")),
        "role": role, "parent": parent, "display_id": display,
    }
    for key, make in _NODE_KINDS:
        if key in raw:
            return make(raw[key], loc.child(key), common)
    return ir.UnknownNode(**common)


def _task_node(tn: Raw, loc: Loc, common: dict[str, Any]) -> ir.Node:
    if "referenceId" in tn:
        return ir.TaskNode(**common, ref=ir.Identifier.from_raw(tn["referenceId"]),
                           ref_loc=loc.child("referenceId"))
    return ir.TaskNode(**common)


def _workflow_node(wn: Raw, loc: Loc, common: dict[str, Any]) -> ir.Node:
    if "launchplanRef" in wn:
        return ir.LaunchPlanNode(**common, ref=ir.Identifier.from_raw(wn["launchplanRef"]),
                                 ref_loc=loc.child("launchplanRef"))
    if "subWorkflowRef" in wn:
        return ir.WorkflowNode(**common, ref=ir.Identifier.from_raw(wn["subWorkflowRef"]),
                               ref_loc=loc.child("subWorkflowRef"))
    return ir.WorkflowNode(**common)


def _branch_node(bn: Raw, loc: Loc, common: dict[str, Any]) -> ir.Node:
    n = ir.BranchNode(**common)
    ie = bn.get("ifElse")
    if ie is None:
        return n
    bl = loc.child("ifElse")

    def block(b: Raw, bloc: Loc) -> ir.IfBlock:
        then = node(b["thenNode"], bloc.child("thenNode"), "case", n) if "thenNode" in b else None
        return ir.IfBlock(b.get("condition"), then, bloc)

    n.branch = ir.Branch(
        case=block(ie["case"], bl.child("case")) if "case" in ie else None,
        other=[block(o, bl.child("other", i)) for i, o in enumerate(ie.get("other", []))],
        else_node=node(ie["elseNode"], bl.child("elseNode"), "else", n)
        if "elseNode" in ie else None,
        has_error="error" in ie,
        loc=bl,
    )
    return n


def _gate_node(g: Raw, loc: Loc, common: dict[str, Any]) -> ir.Node:
    if "approve" in g:
        return ir.ApproveGateNode(**common, gate=g)
    if "signal" in g:
        s = g["signal"]
        return ir.SignalGateNode(**common, gate=g, signal_id=s.get("signalId", ""),
                                 signal_type=s.get("type"),
                                 output_var=s.get("outputVariableName", ""))
    if "sleep" in g:
        return ir.SleepGateNode(**common, gate=g, duration=g["sleep"].get("duration", ""))
    return ir.GateNode(**common, gate=g)


def _array_node(an: Raw, loc: Loc, common: dict[str, Any]) -> ir.Node:
    n = ir.ArrayNode(**common, parallelism=an.get("parallelism"),
                     min_successes=an.get("minSuccesses"),
                     min_success_ratio=an.get("minSuccessRatio"))
    if "node" in an:
        n.sub_node = node(an["node"], loc.child("node"), "item", n)
    return n


_NODE_KINDS: tuple[tuple[str, Callable[[Raw, Loc, dict[str, Any]], ir.Node]], ...] = (
    ("taskNode", _task_node),
    ("workflowNode", _workflow_node),
    ("branchNode", _branch_node),
    ("gateNode", _gate_node),
    ("arrayNode", _array_node),
)


# ---- typed settings ----------------------------------------------------------------------------

def _flag(md: Raw, key: str, loc: Loc) -> ir.Flag | None:
    return ir.Flag(md[key], loc.child(key)) if key in md else None


def _retries(md: Raw, loc: Loc) -> ir.Retries | None:
    r = md.get("retries")
    if not isinstance(r, dict):
        return None
    n = r.get("retries", 0)
    return ir.Retries(n if isinstance(n, int) else 0, loc.child("retries"))


def _node_metadata(md: Raw | None, loc: Loc) -> ir.NodeMetadata:
    if not md:
        return ir.NodeMetadata()
    return ir.NodeMetadata(timeout=_flag(md, "timeout", loc), retries=_retries(md, loc),
                           interruptible=_flag(md, "interruptible", loc),
                           cacheable=_flag(md, "cacheable", loc),
                           cache_version=md.get("cacheVersion", ""),
                           cache_serializable=_flag(md, "cacheSerializable", loc))


def _task_metadata(md: Raw, loc: Loc) -> ir.TaskMetadata:
    return ir.TaskMetadata(cache=_flag(md, "discoverable", loc),
                           cache_version=md.get("discoveryVersion", ""),
                           cache_serializable=_flag(md, "cacheSerializable", loc),
                           retries=_retries(md, loc), timeout=_flag(md, "timeout", loc),
                           interruptible=_flag(md, "interruptible", loc), present=True)


def _container(c: Raw | None, loc: Loc) -> ir.Container | None:
    if c is None:
        return None
    res = c.get("resources")
    resources = None
    if res is not None:
        rloc = loc.child("resources")
        resources = ir.Resources(
            tuple(ir.Resource(e.get("name", "UNKNOWN"), e.get("value", ""),
                              rloc.child("requests", i, "value"))
                  for i, e in enumerate(res.get("requests", []))),
            tuple(ir.Resource(e.get("name", "UNKNOWN"), e.get("value", ""),
                              rloc.child("limits", i, "value"))
                  for i, e in enumerate(res.get("limits", []))), rloc)
    env = tuple((e.get("key", ""), e.get("value", ""), loc.child("env", i))
                for i, e in enumerate(c.get("env", [])))
    return ir.Container("", c.get("image", ""), tuple(c.get("command", [])),
                        tuple(c.get("args", [])), env, resources, loc, c)


def _pod_containers(pod: Raw | None, loc: Loc) -> tuple[ir.Container, ...]:
    """Every container and init container of a pod task's pod spec that is a mapping (the pod
    spec is a free-form Struct: nothing in it is guaranteed)."""
    spec = pod.get("podSpec") if isinstance(pod, dict) else None
    if not isinstance(spec, dict):
        return ()
    out = []
    for key in ("initContainers", "containers"):
        items = spec.get(key)
        if not isinstance(items, list):
            continue
        for i, pc in enumerate(items):
            if not isinstance(pc, dict):
                continue
            cloc = loc.child("podSpec", key, i)
            name = pc["name"] if isinstance(pc.get("name"), str) else str(i)
            res = pc.get("resources")
            resources = None
            if isinstance(res, dict):
                rloc = cloc.child("resources")
                requests, limits = (
                    tuple(ir.Resource(k, str(v), rloc.child(which, k))
                          for k, v in (res.get(which) or {}).items())
                    if isinstance(res.get(which) or {}, dict) else ()
                    for which in ("requests", "limits"))
                resources = ir.Resources(requests, limits, rloc)
            env_raw = pc.get("env")
            env = tuple((e.get("name", ""), e.get("value"), cloc.child("env", i))
                        for i, e in enumerate(env_raw if isinstance(env_raw, list) else [])
                        if isinstance(e, dict))
            out.append(ir.Container(name, pc.get("image", "") if isinstance(pc.get("image"), str)
                                    else "", (), (), env, resources, cloc, pc,
                                    init=key == "initContainers"))
    return tuple(out)


def _secrets(sc: Raw | None, loc: Loc) -> tuple[ir.Secret, ...]:
    if not sc:
        return ()
    return tuple(ir.Secret(s.get("group", ""), s.get("key", ""), s.get("envVar", ""),
                           loc.child("secrets", i))
                 for i, s in enumerate(sc.get("secrets", [])))
