"""The compiled closure (``core.CompiledWorkflowClosure``) of a workflow, as Flyte builds it.

Works on canonical proto3-JSON dicts and mirrors what Flyte's compiler does to its output:
``start-node`` and ``end-node`` come first (``end-node`` takes the workflow's output bindings),
duplicate node ids keep their first node, ``upstreamNodeIds`` are sorted, promises to ``""`` name
``start-node``, branch children are renamed ``<branch>-<child>``, interfaces of the workflow and of
the tasks its nodes run gain empty ``inputs``/``outputs`` maps, and connections list every edge
sorted. Tasks follow in Flyte's requirement order (resource type, project, domain, name, version).
"""
from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from specc import ir
from specc.diagnostics import Loc
from specc.ir.pointer import resolve


def closure(prog: ir.Program, graph: ir.Graph, wf: ir.Workflow) -> dict[str, Any]:
    """The closure of a primary workflow. Needs: resolve-references and check-graph ran clean
    on it and on every workflow it uses."""
    subs: list[ir.Workflow] = list(wf.sub_workflows)
    referenced = _referenced_workflows(prog, wf)
    for sub in referenced:
        if all(s.id.key != sub.id.key for s in subs):
            subs.append(sub)
    ref_keys = {s.id.key for s in referenced}
    required = _required_tasks(prog, wf)
    # the tasks Flyte is given: a WorkflowClosure's own (in its order), else the required ones
    given = list(dict.fromkeys(wf.tasks_in_doc + required))
    used = set(required)
    out: dict[str, Any] = {"primary": compiled_workflow(wf, graph.of(wf))}
    tasks = [{"template": _task_template(prog.tasks[k]) if k in used else prog.tasks[k].raw}
             for k in given if k in prog.tasks]
    if tasks:
        out["tasks"] = tasks
    if subs:
        out["subWorkflows"] = [compiled_workflow(s, graph.of(s)) if s.id.key in ref_keys
                               else {"template": s.raw} for s in subs]
    return out


def compiled_workflow(wf: ir.Workflow, g: ir.WorkflowGraph | None) -> dict[str, Any]:
    t = json.loads(json.dumps(wf.raw))  # a deep copy; canonical dicts are plain JSON
    base = wf.loc.pointer

    def at(loc: Loc) -> Any:
        """The copy's value at an IR object's place (its pointer, relative to the template)."""
        return resolve(t, loc.pointer[len(base):])

    iface = t.setdefault("interface", {})
    iface.setdefault("inputs", {})
    iface.setdefault("outputs", {})
    _rewrite_promises(wf.outputs, at)
    outputs = t.get("outputs")
    end: dict[str, Any] = {"id": ir.END_NODE}
    if outputs:
        end["inputs"] = outputs
    nodes: list[dict[str, Any]] = [{"id": ir.START_NODE}, end]
    seen = {ir.START_NODE, ir.END_NODE}
    for n in wf.nodes:
        if n.id in seen:
            continue  # a duplicated id keeps its first node
        seen.add(n.id)
        _node(n, at)
        nodes.append(at(n.loc))
    if wf.failure_node is not None:
        _node(wf.failure_node, at)
    t["nodes"] = nodes
    conns = {}
    for key, table in (("downstream", g.downstream if g else {}),
                       ("upstream", g.upstream if g else {})):
        if table:
            conns[key] = {k: {"ids": sorted(v)} for k, v in sorted(table.items())}
    return {"template": t, "connections": conns}


def _node(n: ir.Node, at: Callable[[Loc], Any]) -> None:
    """Apply Flyte's output mutations to the copy of a node and of the branch cases in it: its
    id becomes its display id, its upstream ids are sorted, promises to '' name start-node."""
    raw = at(n.loc)
    raw["id"] = n.display_id
    if raw.get("upstreamNodeIds"):
        raw["upstreamNodeIds"] = sorted(raw["upstreamNodeIds"])
    _rewrite_promises(n.inputs, at)
    if isinstance(n, ir.BranchNode):  # Flyte leaves an array's node as it is
        for child in n.children():
            _node(child, at)


def _rewrite_promises(bindings: list[ir.Binding], at: Callable[[Loc], Any]) -> None:
    for b in bindings:
        for p in b.promises():
            if not p.node_id:
                at(p.loc)["nodeId"] = ir.START_NODE


def compiled_task(task: ir.Task) -> dict[str, Any]:
    """``core.CompiledTask`` of a task compiled on its own: Flyte leaves the template as it is."""
    return {"template": task.raw}


def _task_template(task: ir.Task) -> dict[str, Any]:
    t = task.raw
    if "interface" in t and ("inputs" not in t["interface"] or "outputs" not in t["interface"]):
        t = dict(t)
        t["interface"] = {"inputs": {}, "outputs": {}, **t["interface"]}
    return t


def _referenced_workflows(prog: ir.Program, wf: ir.Workflow) -> list[ir.Workflow]:
    """Sub-workflows reached from wf through workflow nodes, transitively, in first-seen order."""
    out: list[ir.Workflow] = []
    seen = {wf.id.key}
    todo = [wf]
    while todo:
        cur = todo.pop(0)
        for n in ir.walk.nodes(cur):
            if isinstance(n, ir.WorkflowNode) and n.ref is not None and n.ref.key not in seen:
                sub = cur.scope.get(n.ref.key) or prog.workflows.get(n.ref.key)
                if sub is not None:
                    seen.add(n.ref.key)
                    out.append(sub)
                    todo.append(sub)
    return out


def _required_tasks(prog: ir.Program, wf: ir.Workflow) -> list[ir.Key]:
    ids: dict[ir.Key, ir.Identifier] = {}
    for w in [wf, *_referenced_workflows(prog, wf)]:
        for n in ir.walk.nodes(w):
            if isinstance(n, ir.TaskNode) and n.ref is not None:
                ids.setdefault(n.ref.key, n.ref)
    return [i.key for i in sorted(ids.values(), key=lambda i: i.sort_key)]
