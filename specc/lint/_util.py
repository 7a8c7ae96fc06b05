"""Helpers the lint rules share: walking a workflow's nodes and bindings, durations."""
from __future__ import annotations

import re
from typing import Iterator

from specc import ir
from specc.passes.resolve_references import branch_children, parse_var


def top_nodes(wf: ir.Workflow) -> list[ir.Node]:
    """The workflow's own nodes (without duplicates that resolve-references dropped)."""
    index = wf.node_index
    if not index:
        return [n for n in wf.nodes if n.id]
    return [n for n in wf.nodes if index.get(n.id) is n]


def all_nodes(wf: ir.Workflow) -> Iterator[ir.Node]:
    """Every node of the workflow: its nodes, branch children and array sub-nodes at any depth,
    and the failure node."""
    stack = list(reversed(top_nodes(wf)))
    if wf.failure_node is not None:
        stack.insert(0, wf.failure_node)
    while stack:
        n = stack.pop()
        yield n
        inner = list(branch_children(n))
        if n.sub_node is not None:
            inner.append(n.sub_node)
        stack.extend(reversed(inner))


def all_bindings(wf: ir.Workflow) -> Iterator[ir.Binding]:
    """Every binding of every node, and the workflow's output bindings."""
    for n in all_nodes(wf):
        yield from n.inputs
    yield from wf.outputs


def used_outputs(wf: ir.Workflow) -> set[tuple[str, str]]:
    """(node id, output name) of every promise in the workflow; workflow inputs are
    ('start-node', name)."""
    used: set[tuple[str, str]] = set()
    names: dict[str, str] = {}  # promise var -> output name ('' when it does not parse)
    for b in all_bindings(wf):
        stack = [b.data]
        while stack:
            d = stack.pop()
            if not isinstance(d, dict):
                continue
            p = d.get("promise")
            if isinstance(p, dict):
                v = p.get("var", "")
                name = names.get(v)
                if name is None:
                    parsed = parse_var(v) if isinstance(v, str) else None
                    name = names[v] = parsed[1] if parsed is not None else ""
                if name:
                    used.add((p.get("nodeId", "") or ir.START_NODE, name))
            elif isinstance(d.get("collection"), dict):
                stack.extend(d["collection"].get("bindings") or [])
            elif isinstance(d.get("map"), dict):
                stack.extend((d["map"].get("bindings") or {}).values())
    return used


def task_name(task: ir.Task) -> str:
    return task.id.name or "<unnamed>"


# -- durations -----------------------------------------------------------------------------------
_DURATION = re.compile(r"^(?:(\d+(?:\.\d+)?)d)?(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m)?"
                       r"(?:(\d+(?:\.\d+)?)s)?$")


def parse_duration(text: str) -> float | None:
    """Seconds in '90s', '15m', '2h', '1d', '1h30m' (or a protobuf duration '3600s'); None when the
    text is none of these."""
    if not isinstance(text, str):
        return None
    t = text.strip().lower()
    m = _DURATION.match(t)
    if not t or m is None or not any(m.groups()):
        return None
    d, h, mi, s = (float(g) if g else 0.0 for g in m.groups())
    return d * 86400 + h * 3600 + mi * 60 + s


def show_duration(seconds: float) -> str:
    """'2h', '1h30m', '45s', '1.5s': the shortest exact form."""
    if seconds != int(seconds):
        return f"{seconds:g}s"
    s = int(seconds)
    if s == 0:
        return "0s"
    out = ""
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        if s >= size:
            out += f"{s // size}{unit}"
            s %= size
    return out


def pod_containers(task: ir.Task) -> Iterator[tuple]:
    """(location, container, 'container <name> of task <task>') for every container and init
    container of a pod task's pod spec that is a mapping."""
    pod = task.raw.get("k8sPod")
    spec = pod.get("podSpec") if isinstance(pod, dict) else None
    if not isinstance(spec, dict):
        return
    for key in ("initContainers", "containers"):
        items = spec.get(key)
        if not isinstance(items, list):
            continue
        for i, pc in enumerate(items):
            if not isinstance(pc, dict):
                continue
            cname = pc.get("name") if isinstance(pc.get("name"), str) else str(i)
            yield (task.loc.child("k8sPod", "podSpec", key, i), pc,
                   f"container '{cname}' of task '{task_name(task)}'")
