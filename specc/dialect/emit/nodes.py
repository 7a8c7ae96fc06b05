"""A Node as a dialect node. What it runs is found through ``TARGETS`` (taskNode,
workflowNode), what else its kind says through ``NODE_KINDS`` (task overrides, gates by
``GATES``, array nodes); a branch's cases are written with its inputs, their conditions by
``conditions``. The keys are put in the dialect's order (``NODE_ORDER``) at the end."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from specc.dialect.emit.base import Builder, duration_text
from specc.dialect.emit.conditions import condition
from specc.dialect.emit.names import reference
from specc.dialect.emit.task import resources
from specc.dialect.emit.types import type_text
from specc.dialect.emit.values import node_refs, value
from specc.yamlwrite import Compact

NODE_ORDER = ["id", "task", "workflow", "launchPlan", "approve", "signal", "sleep", "name",
              "inputs", "branch", "map", "parallelism", "minSuccesses", "minSuccessRatio",
              "after", "aliases", "retries", "timeout", "interruptible", "requests", "limits",
              "flyte"]


@dataclass
class NodeParts:
    """One node being written: the Node ``n``, its metadata, what it runs (dialect key and
    reference), and the dialect mapping ``out`` being built."""

    n: dict
    md: dict
    target: str | None
    ref: Any
    out: dict = field(default_factory=dict)


def node(b: Builder, n: dict, inner: bool, default_id: str | None = None) -> dict:
    """A Node -> dialect node; ``inner`` (a branch's, an array's or the failure node) writes
    its ``id`` unless it is ``default_id``."""
    target, ref = _target(b, n)
    nd = NodeParts(n, n.get("metadata", {}), target, ref)
    if inner and n.get("id", "") != default_id:
        nd.out["id"] = n.get("id", "")
    _metadata(b, nd)
    derived_refs = _inputs(b, nd)
    _after(b, nd, derived_refs)
    aliases = n.get("outputAliases") or []
    if aliases and len({a.get("var") for a in aliases}) == len(aliases):
        nd.out["aliases"] = {a.get("var", ""): a.get("alias", "") for a in aliases}
    for key, construct in NODE_KINDS.items():
        if key in n:
            construct(b, nd)
    return {k: nd.out[k] for k in sorted(nd.out, key=NODE_ORDER.index)}


# ---- what the node runs -----------------------------------------------------------------------

def _task_target(b: Builder, n: dict) -> tuple[str, Any]:
    return "task", reference(b, n["taskNode"].get("referenceId"))


def _workflow_target(b: Builder, n: dict) -> tuple[str, Any]:
    wn = n["workflowNode"]
    if "launchplanRef" in wn:
        return "launchPlan", reference(b, wn["launchplanRef"])
    return "workflow", reference(b, wn.get("subWorkflowRef"))


TARGETS: dict[str, Callable[[Builder, dict], tuple[str, Any]]] = {
    "taskNode": _task_target,
    "workflowNode": _workflow_target,
}


def _target(b: Builder, n: dict) -> tuple[str | None, Any]:
    """The dialect key of what ``n`` runs and its reference (None, None for other kinds)."""
    for key, construct in TARGETS.items():
        if key in n:
            return construct(b, n)
    return None, None


# ---- metadata, inputs, upstream ids ----------------------------------------------------------

def _metadata(b: Builder, nd: NodeParts) -> None:
    """The name (unless it is pyflyte's default), the reference, retries, timeout,
    interruptible."""
    md, out = nd.md, nd.out
    if "name" in md and md["name"] != _default_name(b, nd):
        out["name"] = md["name"]
    if nd.target is not None:
        out[nd.target] = nd.ref
    r = md.get("retries")
    if isinstance(r, dict) and "retries" in r:
        out["retries"] = r["retries"]
    if "timeout" in md:
        out["timeout"] = duration_text(md["timeout"])
    if "interruptible" in md:
        out["interruptible"] = md["interruptible"]


def _default_name(b: Builder, nd: NodeParts) -> str | None:
    """The name lowering gives the node with style pyflyte: the last part of what it runs."""
    if not b.pyflyte or nd.target is None:
        return None
    ref = nd.ref if isinstance(nd.ref, str) else (nd.ref or {}).get("name", "")
    if not (isinstance(ref, str) and ref):
        return None
    n = nd.n
    full = n.get("taskNode", {}).get("referenceId") or \
        n.get("workflowNode", {}).get("launchplanRef") or \
        n.get("workflowNode", {}).get("subWorkflowRef") or {}
    return full.get("name", "").rsplit(".", 1)[-1]


def _inputs(b: Builder, nd: NodeParts) -> list[str]:
    """``inputs`` (a branch's when they are not the ones its conditions give it) and the
    branch's cases; the node ids lowering would take as upstream with style pyflyte."""
    n, out = nd.n, nd.out
    inputs = n.get("inputs", [])
    vars_ = [i.get("var", "") for i in inputs]
    if "branchNode" in n:
        cases, derived = _branch(b, n, nd.md)
        derived_inputs = [{"var": v, "binding": bd} for v, bd in sorted(derived.items())]
        if inputs != derived_inputs:
            out["inputs"] = {i["var"]: value(i.get("binding")) for i in inputs}
        out["branch"] = cases
        if "inputs" in out:
            return node_refs(inputs)
        refs: list[str] = []
        for _, bd in sorted(derived.items()):
            nid = bd["promise"].get("nodeId")
            if nid and nid not in refs:
                refs.append(nid)
        return refs
    if inputs and len(set(vars_)) == len(vars_):
        out["inputs"] = {i["var"]: value(i.get("binding")) for i in inputs}
        return node_refs(inputs)
    return []


def _after(b: Builder, nd: NodeParts, derived_refs: list[str]) -> None:
    """``after``: the upstream ids, unless (with style pyflyte) lowering derives them."""
    up = nd.n.get("upstreamNodeIds", [])
    if b.pyflyte:
        if up != derived_refs:
            nd.out["after"] = list(up)
    elif up:
        nd.out["after"] = list(up)


def _branch(b: Builder, n: dict, md: dict) -> tuple[list, dict]:
    """A BranchNode's cases (then- and else-nodes ``n0``, ``n1``, ... unless named otherwise)
    and the branch inputs its conditions give it (name -> binding)."""
    ie = n["branchNode"].get("ifElse", {})
    derived: dict = {}
    cases: list = []
    index = 0
    blocks = ([ie["case"]] if "case" in ie else []) + list(ie.get("other", []))
    for block in blocks:
        case: dict = {"when": condition(block.get("condition"), derived)}
        if "thenNode" in block:
            case["then"] = node(b, block["thenNode"], inner=True, default_id=f"n{index}")
            index += 1
        cases.append(case)
    if "elseNode" in ie:
        cases.append({"else": node(b, ie["elseNode"], inner=True, default_id=f"n{index}")})
    elif "error" in ie:
        err = ie["error"]
        case = {"fail": err.get("message", "")}
        if err.get("failedNodeId", "") != md.get("name", n.get("id", "")):
            case["failedNodeId"] = err.get("failedNodeId", "")
        cases.append(case)
    return cases, derived


# ---- what the node's kind says ---------------------------------------------------------------

def _task_node(b: Builder, nd: NodeParts) -> None:
    resources((nd.n["taskNode"].get("overrides") or {}).get("resources"), nd.out)


def _gate_node(b: Builder, nd: NodeParts) -> None:
    gn = nd.n["gateNode"]
    for key, construct in GATES.items():
        if key in gn:
            nd.out[key] = construct(b, gn[key])
            return


def _array_node(b: Builder, nd: NodeParts) -> None:
    """``map``: its node without the inputs it takes from the map node by default."""
    n, an = nd.n, nd.n["arrayNode"]
    inner_n = an.get("node")
    ib = node(b, inner_n, inner=True, default_id=n.get("id")) if inner_n else {}
    if inner_n is not None and "inputs" in ib and \
            inner_n.get("inputs", []) == n.get("inputs", []):
        del ib["inputs"]  # the sub-node takes the map node's inputs by default
        if ib.get("after") == [] and not inner_n.get("upstreamNodeIds"):
            del ib["after"]
    nd.out["map"] = ib
    for k in ("parallelism", "minSuccesses", "minSuccessRatio"):
        if k in an:
            nd.out[k] = an[k]


NODE_KINDS: dict[str, Callable[[Builder, NodeParts], None]] = {
    "taskNode": _task_node,
    "gateNode": _gate_node,
    "arrayNode": _array_node,
}


# ---- gates -----------------------------------------------------------------------------------

def _approve(b: Builder, g: dict) -> Any:
    return g.get("signalId", "")


def _sleep(b: Builder, g: dict) -> Any:
    return duration_text(g.get("duration", "0s"))


def _signal(b: Builder, sig: dict) -> Any:
    """``{id, type, output}`` (``output`` left out when it is pyflyte's ``o0``)."""
    s: dict = {}
    if "signalId" in sig:
        s["id"] = sig["signalId"]
    if "type" in sig:
        tt = type_text(b, sig["type"])
        s["type"] = tt if tt is not None else Compact(sig["type"])
    out = sig.get("outputVariableName")
    if out is not None and not (b.pyflyte and out == "o0"):
        s["output"] = out
    elif out is None and b.pyflyte:
        s["output"] = ""
    return s


# the first of these a GateNode has is what it is
GATES: dict[str, Callable[[Builder, dict], Any]] = {
    "approve": _approve,
    "sleep": _sleep,
    "signal": _signal,
}
