"""A ``Workflow`` (or one of its ``subWorkflows``) -> WorkflowTemplate: identifier, interface,
nodes, output bindings, failure node and node defaults, in the order of the template's
fields."""
from __future__ import annotations

from specc.dialect.lower.base import (
    INNER_NODE_KEYS,
    NODE_KEYS,
    SUB_WORKFLOW_KEYS,
    Lowering,
    esc,
)
from specc.dialect.lower.names import identifier
from specc.dialect.lower.nodes import node
from specc.dialect.lower.overlay import overlay
from specc.dialect.lower.types import OutputValue, interface
from specc.dialect.lower.values import binding


def lower_workflow(lw: Lowering, d: dict, src: str, canon: str, ident: dict[str, str]) -> dict:
    """A workflow body at ``src`` -> WorkflowTemplate at ``canon``, named by ``ident``. A
    sub-workflow's ``flyte:`` overrides are applied here, the document's at its end."""
    wf: dict = {"id": identifier("WORKFLOW", ident)}
    lw.map(f"{canon}/id", f"{src}/name" if "name" in d else src)
    if lw.pyflyte:
        wf["metadata"] = {}
    wf["interface"], out_values = interface(lw, d, src, canon, workflow=True)
    nodes = _nodes(lw, d, src, canon)
    if nodes:
        wf["nodes"] = nodes
    outs = _outputs(lw, out_values, canon)
    if outs:
        wf["outputs"] = outs
    if "onFailure" in d:
        _failure_node(lw, d, src, canon, wf)
    if "interruptible" in d:
        wf["metadataDefaults"] = {"interruptible": d["interruptible"]}
        lw.map(f"{canon}/metadataDefaults", f"{src}/interruptible")
    elif lw.pyflyte:
        wf["metadataDefaults"] = {}
    if src:
        overlay(lw, wf, d.get("flyte"), f"{src}/flyte", canon)
    return wf


def _nodes(lw: Lowering, d: dict, src: str, canon: str) -> list[dict]:
    """``nodes`` (id -> node, in order) -> Nodes."""
    nodes_src = f"{src}/nodes"
    body = lw.mapping(d.get("nodes"), nodes_src, "nodes")
    nodes: list[dict] = []
    if body:
        lw.map(f"{canon}/nodes", nodes_src)
        for nid, nbody in body.items():
            n = node(lw, nbody, nid, f"{nodes_src}/{esc(nid)}", f"{canon}/nodes/{len(nodes)}",
                     NODE_KEYS)
            if n is not None:
                nodes.append(n)
    return nodes


def _outputs(lw: Lowering, out_values: list[OutputValue], canon: str) -> list[dict]:
    """The outputs' ``value``s -> the workflow's output Bindings."""
    outs: list[dict] = []
    for name, value, vsrc, _ in out_values:
        ocanon = f"{canon}/outputs/{len(outs)}"
        lw.map(ocanon, vsrc)
        b = binding(lw, value, vsrc, f"{ocanon}/binding")
        if b is not None:
            outs.append({"var": name, "binding": b})
    return outs


def _failure_node(lw: Lowering, d: dict, src: str, canon: str, wf: dict) -> None:
    """``onFailure`` -> failureNode (id ``fn0`` unless it has one)."""
    fsrc = f"{src}/onFailure"
    fbody = lw.mapping(d["onFailure"], fsrc, "onFailure")
    if fbody is None:
        return
    fid = fbody.get("id", "fn0")
    n = node(lw, fbody, fid if isinstance(fid, str) else "fn0", fsrc, f"{canon}/failureNode",
             INNER_NODE_KEYS)
    if n is not None:
        wf["failureNode"] = n


def sub_workflows(lw: Lowering, d: dict) -> list[dict]:
    """``subWorkflows`` (name -> workflow body) -> WorkflowTemplates; each inherits the
    document's identifier fields it does not set."""
    subs = lw.mapping(d.get("subWorkflows"), "/subWorkflows", "subWorkflows")
    out: list[dict] = []
    for name, body in (subs or {}).items():
        ssrc = f"/subWorkflows/{esc(name)}"
        body = lw.mapping(body, ssrc, f"subWorkflows.{name}")
        if body is None:
            continue
        lw.keys(body, SUB_WORKFLOW_KEYS, ssrc, f"sub-workflow '{name}'")
        ident = dict(lw.ident)
        ident["name"] = name
        for k in ("version", "project", "domain", "org"):
            if k in body:
                s = lw.string(body[k], f"{ssrc}/{k}", k)
                if s is not None:
                    ident[k] = s
        canon = f"/subWorkflows/{len(out)}"
        lw.map(canon, ssrc)
        out.append(lower_workflow(lw, body, ssrc, canon, ident))
    return out
