"""A WorkflowSpec as a ``Workflow`` document: the template's parts are constructs found through
``WORKFLOW_BODY`` (keyed by the dialect key each writes, in the document's order), the
sub-workflows under ``subWorkflows``."""
from __future__ import annotations

from collections.abc import Callable

from specc.dialect.emit.base import Builder
from specc.dialect.emit.nodes import node
from specc.dialect.emit.types import interface, variables
from specc.dialect.emit.values import value
from specc.yamlwrite import Commented, Compact


def workflow(b: Builder, spec: dict) -> Commented:
    """A WorkflowSpec -> Workflow document (sub-workflows by name, when their names are
    distinct and set)."""
    t = spec.get("template", {})
    d = b.header("Workflow", t.get("id", {}))
    workflow_body(b, t, d)
    subs = spec.get("subWorkflows") or []
    names = [s.get("id", {}).get("name", "") for s in subs]
    if subs and len(set(names)) == len(names) and all(names):
        d["subWorkflows"] = {s["id"]["name"]: _sub_workflow(b, s) for s in subs}
    return d


def _sub_workflow(b: Builder, s: dict) -> dict:
    """A sub-workflow's body: the identifier fields that differ from the document's, then the
    body of a workflow."""
    sid = s.get("id", {})
    sb = {k: sid.get(k, "") for k in ("version", "project", "domain", "org")
          if sid.get(k, "") != b.ident.get(k, "")}
    workflow_body(b, s, sb)
    return sb


def workflow_body(b: Builder, t: dict, d: dict) -> None:
    """A WorkflowTemplate's parts into ``d``."""
    for construct in WORKFLOW_BODY.values():
        construct(b, t, d)


def _inputs(b: Builder, t: dict, d: dict) -> None:
    iface = t.get("interface", {})
    interface(b, {k: v for k, v in iface.items() if k == "inputs"}, d)


def _outputs(b: Builder, t: dict, d: dict) -> None:
    """Each output with its type and, when bound, its ``value``, in the order of the bindings
    (the interface is a map: its order means nothing)."""
    iface = t.get("interface", {})
    bound: dict = {}
    for o in t.get("outputs", []):
        bound.setdefault(o.get("var", ""), o.get("binding"))
    if "outputs" not in iface or (b.pyflyte and iface["outputs"] == {}):
        return
    declared = variables(b, iface["outputs"])
    outs = {k: declared[k] for k in bound if k in declared}
    outs.update((k, v) for k, v in declared.items() if k not in outs)
    for name, spec in outs.items():
        if name in bound:
            if not isinstance(spec, dict) or isinstance(spec, Compact):
                spec = {"type": spec}
            spec["value"] = value(bound[name])
            outs[name] = spec
    d["outputs"] = outs


def _nodes(b: Builder, t: dict, d: dict) -> None:
    nodes = t.get("nodes", [])
    ids = [n.get("id", "") for n in nodes]
    if nodes and len(set(ids)) == len(ids) and all(ids):
        d["nodes"] = {n["id"]: node(b, n, inner=False) for n in nodes}


def _failure_node(b: Builder, t: dict, d: dict) -> None:
    if "failureNode" in t:
        fn = node(b, t["failureNode"], inner=True)
        if fn.get("id") == "fn0":
            del fn["id"]
        d["onFailure"] = fn


def _defaults(b: Builder, t: dict, d: dict) -> None:
    md = t.get("metadataDefaults") or {}
    if "interruptible" in md:
        d["interruptible"] = md["interruptible"]


WORKFLOW_BODY: dict[str, Callable[[Builder, dict, dict], None]] = {
    "inputs": _inputs,
    "outputs": _outputs,
    "nodes": _nodes,
    "onFailure": _failure_node,
    "interruptible": _defaults,
}
