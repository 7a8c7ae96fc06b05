"""A node -> flyteidl's Node.

What every node has (id, metadata, inputs, upstream ids, output aliases) is lowered by the
functions below in the order of the Node's fields; what the node does is its target key, found
in ``NODE_KINDS`` (task, workflow, launchPlan, branch, map, and the gates approve, signal and
sleep, which ``GATES`` lowers)."""
from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

from specc.dialect.lower.base import INNER_NODE_KEYS, NODE_KEYS, TARGETS, Lowering, esc
from specc.dialect.lower.branch import lower_branch
from specc.dialect.lower.names import reference
from specc.dialect.lower.overlay import overlay
from specc.dialect.lower.task import resources
from specc.dialect.lower.types import lower_type
from specc.dialect.lower.values import binding


@dataclass
class NodeParts:
    """One node being lowered: its dialect ``body`` at ``src``, the Node ``n`` being built at
    ``canon``, its target key, and what its inputs refer to."""

    body: dict
    nid: str
    src: str
    canon: str
    target: str | None
    n: dict
    refs: list[str] = field(default_factory=list)  # node ids the inputs refer to, in order
    branch: dict | None = None  # a branch node's BranchNode, lowered with its inputs


def node(lw: Lowering, body: Any, nid: str, src: str, canon: str, allowed: tuple) -> dict | None:
    """A node of id ``nid`` (the keys in ``allowed``) -> Node, or None when it is no mapping."""
    lw.map(canon, src)
    if not isinstance(body, dict):
        lw.wrong(src, f"node '{nid}'", "a mapping (the node)", body)
        return None
    lw.out.nodes[canon] = body
    lw.keys(body, allowed, src, f"node '{nid}'")
    nd = NodeParts(body, nid, src, canon, _target(lw, body, nid, src, allowed), {"id": nid})
    if "id" in body and allowed is INNER_NODE_KEYS:
        _inner_id(lw, nd)
    _metadata(lw, nd)
    _inputs(lw, nd)
    _after(lw, nd)
    if "aliases" in body:
        _aliases(lw, nd)
    if nd.target is not None:
        NODE_KINDS[nd.target](lw, nd)
    if nd.target != "task" and ("requests" in body or "limits" in body):
        k = "requests" if "requests" in body else "limits"
        lw.issue("SPC038", f"{src}/{k}", at_key=True, node=nid,
                 problem=f"sets '{k}', which only a task node can override")
    overlay(lw, nd.n, body.get("flyte"), f"{src}/flyte", canon)
    return nd.n


def inner_node(lw: Lowering, v: Any, src: str, canon: str, index: int) -> dict | None:
    """A branch's then- or else-node: id ``n<index>`` unless it has an ``id``."""
    nid = v.get("id", f"n{index}") if isinstance(v, dict) else f"n{index}"
    return node(lw, v, nid if isinstance(nid, str) else f"n{index}", src, canon, INNER_NODE_KEYS)


def _target(lw: Lowering, body: dict, nid: str, src: str, allowed: tuple) -> str | None:
    """The node's one target key (SPC038 for none, two, or a node named 'inputs')."""
    if nid == "inputs" and allowed is NODE_KEYS:
        lw.issue("SPC038", src, at_key=True, node=nid,
                 problem="is named 'inputs', which references use for the workflow's "
                         "inputs (${inputs.x}); rename it")
    targets = [k for k in TARGETS if k in body]
    if len(targets) > 1:
        lw.issue("SPC038", f"{src}/{esc(targets[1])}", at_key=True, node=nid,
                 problem=f"has both '{targets[0]}' and '{targets[1]}'; a node does one "
                         "thing, split it in two")
    elif not targets:
        lw.issue("SPC038", src, at_key=True, node=nid,
                 problem="does nothing; give it one of " + ", ".join(TARGETS))
    return targets[0] if targets else None


def _inner_id(lw: Lowering, nd: NodeParts) -> None:
    sid = lw.string(nd.body["id"], f"{nd.src}/id", "id")
    if sid is not None:
        nd.n["id"] = sid
    lw.map(f"{nd.canon}/id", f"{nd.src}/id")


# ---- metadata ---------------------------------------------------------------------------------

def _metadata(lw: Lowering, nd: NodeParts) -> None:
    md: dict = {}
    for key, construct in NODE_METADATA.items():
        if key in nd.body:
            construct(lw, nd, md)
        elif lw.pyflyte and key in PYFLYTE_NODE_METADATA:
            PYFLYTE_NODE_METADATA[key](nd, md)
    if md or lw.pyflyte:
        nd.n["metadata"] = md


def _name(lw: Lowering, nd: NodeParts, md: dict) -> None:
    md["name"] = lw.string(nd.body["name"], f"{nd.src}/name", "name") or ""
    lw.map(f"{nd.canon}/metadata/name", f"{nd.src}/name")


def _timeout(lw: Lowering, nd: NodeParts, md: dict) -> None:
    to = lw.duration(nd.body["timeout"], f"{nd.src}/timeout", "timeout")
    if to is not None:
        md["timeout"] = to
    lw.map(f"{nd.canon}/metadata/timeout", f"{nd.src}/timeout")


def _retries(lw: Lowering, nd: NodeParts, md: dict) -> None:
    md["retries"] = {"retries": nd.body["retries"]}
    lw.map(f"{nd.canon}/metadata/retries", f"{nd.src}/retries")


def _interruptible(lw: Lowering, nd: NodeParts, md: dict) -> None:
    md["interruptible"] = nd.body["interruptible"]
    lw.map(f"{nd.canon}/metadata/interruptible", f"{nd.src}/interruptible")


NODE_METADATA: dict[str, Callable[[Lowering, NodeParts, dict], None]] = {
    "name": _name,
    "timeout": _timeout,
    "retries": _retries,
    "interruptible": _interruptible,
}


def _pyflyte_name(nd: NodeParts, md: dict) -> None:
    """pyflyte names a node after the last part of what it runs."""
    if nd.target not in ("task", "workflow", "launchPlan"):
        return
    ref = nd.body[nd.target]
    name = ref if isinstance(ref, str) else (ref.get("name") if isinstance(ref, dict) else None)
    if isinstance(name, str):
        md["name"] = name.split("@")[0].split("/")[-1].rsplit(".", 1)[-1]


def _pyflyte_retries(nd: NodeParts, md: dict) -> None:
    md["retries"] = {}


# what pyflyte writes for a key that is not given
PYFLYTE_NODE_METADATA: dict[str, Callable[[NodeParts, dict], None]] = {
    "name": _pyflyte_name,
    "retries": _pyflyte_retries,
}


# ---- inputs, upstream ids, aliases ------------------------------------------------------------

def _inputs(lw: Lowering, nd: NodeParts) -> None:
    """The node's inputs -> Bindings; a branch without ``inputs`` takes those its conditions
    refer to (so the branch is lowered here, before the Node's other fields)."""
    inputs: list[dict] = []
    if "inputs" in nd.body:
        isrc = f"{nd.src}/inputs"
        ibody = lw.mapping(nd.body["inputs"], isrc, "inputs")
        lw.map(f"{nd.canon}/inputs", isrc)
        for var, value in (ibody or {}).items():
            vsrc = f"{isrc}/{esc(var)}"
            bcanon = f"{nd.canon}/inputs/{len(inputs)}"
            lw.map(bcanon, vsrc)
            b = binding(lw, value, vsrc, f"{bcanon}/binding", nd.refs)
            if b is not None:
                inputs.append({"var": var, "binding": b})
    if nd.target == "branch":
        nd.branch, derived, brefs = lower_branch(lw, nd.body["branch"], nd.nid, nd.body,
                                                 f"{nd.src}/branch", f"{nd.canon}/branchNode",
                                                 inner_node)
        if "inputs" not in nd.body:
            for i, (var, b, bsrc) in enumerate(derived):
                lw.map(f"{nd.canon}/inputs/{i}", bsrc)
                inputs.append({"var": var, "binding": b})
            nd.refs = brefs
    if inputs:
        nd.n["inputs"] = inputs


def _after(lw: Lowering, nd: NodeParts) -> None:
    """``after`` (or, with style pyflyte, the nodes the inputs refer to) -> upstreamNodeIds."""
    if "after" not in nd.body:
        if lw.pyflyte and nd.refs:
            nd.n["upstreamNodeIds"] = nd.refs
        return
    after = nd.body["after"]
    if isinstance(after, str):
        after = [after]
    if not isinstance(after, list) or not all(isinstance(a, str) for a in after):
        lw.wrong(f"{nd.src}/after", "after", "a list of node ids", nd.body["after"])
    elif after:
        nd.n["upstreamNodeIds"] = list(after)
        lw.map(f"{nd.canon}/upstreamNodeIds", f"{nd.src}/after")


def _aliases(lw: Lowering, nd: NodeParts) -> None:
    al = lw.mapping(nd.body["aliases"], f"{nd.src}/aliases", "aliases")
    if not al:
        return
    out: list[dict] = []
    nd.n["outputAliases"] = out
    for var, alias in al.items():
        lw.map(f"{nd.canon}/outputAliases/{len(out)}", f"{nd.src}/aliases/{esc(var)}")
        out.append({"var": var, "alias": alias})


# ---- what the node does -----------------------------------------------------------------------

def _task_node(lw: Lowering, nd: NodeParts) -> None:
    tn: dict = {"referenceId": reference(lw, nd.body["task"], f"{nd.src}/task", "TASK", "task")}
    lw.map(f"{nd.canon}/taskNode", f"{nd.src}/task")
    res = resources(lw, nd.body, nd.src, f"{nd.canon}/taskNode/overrides/resources")
    if res is not None:
        tn["overrides"] = {"resources": res}
    elif lw.pyflyte:
        tn["overrides"] = {}
    nd.n["taskNode"] = tn


def _workflow_node(lw: Lowering, nd: NodeParts) -> None:
    nd.n["workflowNode"] = {"subWorkflowRef": reference(
        lw, nd.body["workflow"], f"{nd.src}/workflow", "WORKFLOW", "workflow")}
    lw.map(f"{nd.canon}/workflowNode", f"{nd.src}/workflow")


def _launch_plan_node(lw: Lowering, nd: NodeParts) -> None:
    nd.n["workflowNode"] = {"launchplanRef": reference(
        lw, nd.body["launchPlan"], f"{nd.src}/launchPlan", "LAUNCH_PLAN", "launch plan")}
    lw.map(f"{nd.canon}/workflowNode", f"{nd.src}/launchPlan")


def _branch_node(lw: Lowering, nd: NodeParts) -> None:
    nd.n["branchNode"] = nd.branch  # lowered with the inputs


def _gate_node(lw: Lowering, nd: NodeParts) -> None:
    kind = cast(str, nd.target)
    src, canon = f"{nd.src}/{kind}", f"{nd.canon}/gateNode"
    lw.map(canon, src)
    nd.n["gateNode"] = GATES[kind](lw, nd.body[kind], src, canon)


def _array_node(lw: Lowering, nd: NodeParts) -> None:
    """``map`` -> ArrayNode: its node takes the map node's inputs unless it has its own, and
    the map node's id unless it has one."""
    msrc = f"{nd.src}/map"
    canon = f"{nd.canon}/arrayNode"
    inner_body = lw.mapping(nd.body["map"], msrc, "map")
    an: dict = {}
    lw.map(canon, msrc)
    if inner_body is not None:
        outer = nd.n
        iid = inner_body.get("id", outer["id"])
        inner = node(lw, inner_body, iid if isinstance(iid, str) else outer["id"], msrc,
                     f"{canon}/node", INNER_NODE_KEYS)
        if inner is not None:
            if "inputs" not in inner_body and "inputs" in outer:
                inner["inputs"] = copy.deepcopy(outer["inputs"])
                for i in range(len(outer["inputs"])):
                    lw.map(f"{canon}/node/inputs/{i}",
                           lw.pmap.get(f"{nd.canon}/inputs/{i}", nd.src))
            an["node"] = inner
    for k in ("parallelism", "minSuccesses", "minSuccessRatio"):
        if k in nd.body:
            an[k] = nd.body[k]
            lw.map(f"{canon}/{k}", f"{nd.src}/{k}")
    nd.n["arrayNode"] = an


NODE_KINDS: dict[str, Callable[[Lowering, NodeParts], None]] = {
    "task": _task_node,
    "workflow": _workflow_node,
    "launchPlan": _launch_plan_node,
    "branch": _branch_node,
    "map": _array_node,
    "approve": _gate_node,
    "signal": _gate_node,
    "sleep": _gate_node,
}


# ---- gates ------------------------------------------------------------------------------------

def _approve(lw: Lowering, v: Any, src: str, canon: str) -> dict:
    sid = lw.string(v, src, "approve")
    return {"approve": {"signalId": sid or ""}}


def _sleep(lw: Lowering, v: Any, src: str, canon: str) -> dict:
    return {"sleep": {"duration": lw.duration(v, src, "sleep")}}


def _signal(lw: Lowering, v: Any, src: str, canon: str) -> dict:
    """``signal: ID`` or ``signal: {id, type, output}``."""
    body = {"id": v} if isinstance(v, str) else lw.mapping(v, src, "signal")
    if body is None:
        return {"signal": {}}
    if isinstance(v, dict):
        lw.keys(body, ("id", "type", "output"), src, "a signal")
    sig: dict = {}
    if "id" in body:
        sig["signalId"] = lw.string(body["id"], f"{src}/id", "signal.id") or ""
    if "type" in body:
        t = lower_type(lw, body["type"], f"{src}/type", f"{canon}/signal/type")
        if t is not None:
            sig["type"] = t
    if "output" in body:
        sig["outputVariableName"] = lw.string(body["output"], f"{src}/output",
                                              "signal.output") or ""
    elif lw.pyflyte:
        sig["outputVariableName"] = "o0"
    return {"signal": sig}


GATES: dict[str, Callable[[Lowering, Any, str, str], dict]] = {
    "approve": _approve,
    "signal": _signal,
    "sleep": _sleep,
}
