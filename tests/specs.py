"""Small builders for canonical proto3-JSON (camelCase) Flyte documents, for table tests.

Every builder returns plain dicts shaped like Flyte's own messages: ``task`` an admin.TaskSpec,
``workflow`` an admin.WorkflowSpec, ``launch_plan`` an admin.LaunchPlan. Types, bindings and nodes
are core.LiteralType, core.BindingData and core.Node. ``compile_docs`` writes documents as JSON
files and compiles them in-process.
"""
from __future__ import annotations

import json
from pathlib import Path

# -- types (core.LiteralType) ----------------------------------------------------------------------
INT = {"simple": "INTEGER"}
FLOAT = {"simple": "FLOAT"}
STR = {"simple": "STRING"}
BOOL = {"simple": "BOOLEAN"}
NONE = {"simple": "NONE"}
STRUCT = {"simple": "STRUCT"}


def tagged(t: dict, tag: str) -> dict:
    """``t`` with ``structure.tag`` set (the tag Flyte's union checks compare)."""
    return {**t, "structure": {"tag": tag}}


def union(*variants: dict) -> dict:
    return {"unionType": {"variants": list(variants)}}


def list_of(t: dict) -> dict:
    return {"collectionType": t}


def map_of(t: dict) -> dict:
    return {"mapValueType": t}


def enum(*values: str) -> dict:
    return {"enumType": {"values": list(values)}}


def dataclass(**fields: dict) -> dict:
    """A generic STRUCT whose ``structure.dataclassType`` lists its fields' types."""
    return {**STRUCT, "structure": {"dataclassType": dict(fields)}}


# -- interfaces (core.TypedInterface) --------------------------------------------------------------
def variables(types: dict | None) -> dict:
    return {"variables": {name: {"type": t} for name, t in (types or {}).items()}}


def interface(inputs: dict | None = None, outputs: dict | None = None) -> dict:
    """A TypedInterface; a side given as None is left out (unset), ``{}`` gives an empty map."""
    out: dict = {}
    if inputs is not None:
        out["inputs"] = variables(inputs)
    if outputs is not None:
        out["outputs"] = variables(outputs)
    return out


_UNSET = object()


# -- identifiers -----------------------------------------------------------------------------------
def ident(resource_type: str | None, name: str, **parts: str) -> dict:
    out = {"resourceType": resource_type} if resource_type else {}
    out["name"] = name
    out.update(parts)
    return out


def task_id(name: str) -> dict:
    return ident("TASK", name)


def wf_id(name: str) -> dict:
    return ident("WORKFLOW", name)


def lp_id(name: str) -> dict:
    return ident("LAUNCH_PLAN", name)


# -- bindings (core.Binding / core.BindingData) ----------------------------------------------------
def bind(var: str, data: dict | None = None) -> dict:
    """A core.Binding; ``data=None`` leaves the binding data out entirely."""
    return {"var": var} if data is None else {"var": var, "binding": data}


def integer(v: int) -> dict:
    return {"scalar": {"primitive": {"integer": v}}}


def string(v: str) -> dict:
    return {"scalar": {"primitive": {"stringValue": v}}}


def union_scalar(value: dict, t: dict) -> dict:
    """A scalar core.Union: ``value`` (a scalar BindingData) stored with its variant type ``t``."""
    return {"scalar": {"union": {"value": {"scalar": value["scalar"]}, "type": t}}}


def collection(*items: dict) -> dict:
    return {"collection": {"bindings": list(items)}}


def bmap(**items: dict) -> dict:
    return {"map": {"bindings": dict(items)}}


def promise(var: str, node: str | None = None, attr_path: list | None = None) -> dict:
    """An OutputReference; no ``node`` means the workflow's inputs (start-node)."""
    p: dict = {"var": var}
    if node is not None:
        p["nodeId"] = node
    if attr_path:
        p["attrPath"] = [{"stringValue": a} if isinstance(a, str) else {"intValue": a}
                         for a in attr_path]
    return {"promise": p}


# -- nodes (core.Node) -----------------------------------------------------------------------------
def _node(id_: str | None, inputs, upstream, extra: dict) -> dict:
    n: dict = {} if id_ is None else {"id": id_}
    if inputs:
        n["inputs"] = list(inputs)
    if upstream:
        n["upstreamNodeIds"] = list(upstream)
    n.update(extra)
    return n


def task_node(id_: str | None, task: str | dict, inputs=(), upstream=(), **extra) -> dict:
    ref = task_id(task) if isinstance(task, str) else task
    return _node(id_, inputs, upstream, {"taskNode": {"referenceId": ref}, **extra})


def sub_workflow_node(id_: str | None, workflow: str | dict, inputs=(), upstream=()) -> dict:
    ref = wf_id(workflow) if isinstance(workflow, str) else workflow
    return _node(id_, inputs, upstream, {"workflowNode": {"subWorkflowRef": ref}})


def launch_plan_node(id_: str | None, lp: str | dict, inputs=(), upstream=()) -> dict:
    ref = lp_id(lp) if isinstance(lp, str) else lp
    return _node(id_, inputs, upstream, {"workflowNode": {"launchplanRef": ref}})


def bare_node(id_: str | None, inputs=(), upstream=()) -> dict:
    """A node with no target at all."""
    return _node(id_, inputs, upstream, {})


def gate_node(id_: str, condition: dict, inputs=()) -> dict:
    return _node(id_, inputs, (), {"gateNode": condition})


def array_node(id_: str, sub: dict, inputs=()) -> dict:
    return _node(id_, inputs, (), {"arrayNode": {"node": sub}})


def branch_node(id_: str | None, if_else: dict, inputs=(), upstream=()) -> dict:
    return _node(id_, inputs, upstream, {"branchNode": {"ifElse": if_else}})


def if_else(case: dict | None = None, other=(), else_node: dict | None = None,
            error: str | None = None) -> dict:
    """An IfElseBlock; ``error`` sets the default ``error`` (failing when no case holds)."""
    out: dict = {}
    if case is not None:
        out["case"] = case
    if other:
        out["other"] = list(other)
    if else_node is not None:
        out["elseNode"] = else_node
    if error is not None:
        out["error"] = {"failedNodeId": "", "message": error}
    return out


def if_block(condition: dict | None, then: dict | None) -> dict:
    out: dict = {}
    if condition is not None:
        out["condition"] = condition
    if then is not None:
        out["thenNode"] = then
    return out


def boolean(v: bool) -> dict:
    return {"primitive": {"boolean": v}}


def int_operand(v: int) -> dict:
    return {"primitive": {"integer": v}}


def str_operand(v: str) -> dict:
    return {"primitive": {"stringValue": v}}


def var_operand(name: str) -> dict:
    return {"var": name}


def compare(left: dict | None, right: dict | None, op: str = "EQ") -> dict:
    c: dict = {"operator": op}
    if left is not None:
        c["leftValue"] = left
    if right is not None:
        c["rightValue"] = right
    return {"comparison": c}


def conjunction(left: dict | None, right: dict | None, op: str = "AND") -> dict:
    c: dict = {"operator": op}
    if left is not None:
        c["leftExpression"] = left
    if right is not None:
        c["rightExpression"] = right
    return {"conjunction": c}


# -- documents -------------------------------------------------------------------------------------
def task(name: str | dict, inputs: dict | None = None, outputs: dict | None = None, *,
         iface=_UNSET, container: dict | None = None) -> dict:
    """An admin.TaskSpec for a python-task; ``iface=None`` leaves the interface out."""
    t: dict = {
        "id": task_id(name) if isinstance(name, str) else name,
        "type": "python-task",
        "metadata": {"runtime": {"type": "FLYTE_SDK", "version": "1.16.0", "flavor": "python"}},
    }
    if iface is _UNSET:
        t["interface"] = interface(inputs or {}, outputs or {})
    elif iface is not None:
        t["interface"] = iface
    t["container"] = container or {"image": "i", "args": ["a"]}
    return {"template": t}


def workflow_template(name: str | dict, nodes: list, inputs: dict | None = None,
                      outputs: dict | None = None, out_bindings=(), *, iface=_UNSET,
                      failure_node: dict | None = None) -> dict:
    """A core.WorkflowTemplate; ``iface=None`` leaves the interface out."""
    t: dict = {"id": wf_id(name) if isinstance(name, str) else name}
    if iface is _UNSET:
        t["interface"] = interface(inputs or {}, outputs or {})
    elif iface is not None:
        t["interface"] = iface
    t["nodes"] = list(nodes)
    if out_bindings:
        t["outputs"] = list(out_bindings)
    if failure_node is not None:
        t["failureNode"] = failure_node
    return t


def workflow(name: str | dict, nodes: list, inputs: dict | None = None,
             outputs: dict | None = None, out_bindings=(), *, iface=_UNSET,
             failure_node: dict | None = None, sub_workflows=()) -> dict:
    """An admin.WorkflowSpec; ``sub_workflows`` are core.WorkflowTemplates."""
    doc: dict = {"template": workflow_template(name, nodes, inputs, outputs, out_bindings,
                                               iface=iface, failure_node=failure_node)}
    if sub_workflows:
        doc["subWorkflows"] = list(sub_workflows)
    return doc


def launch_plan(name: str, workflow_name: str, defaults: dict | None = None) -> dict:
    """An admin.LaunchPlan; ``defaults`` maps input names to (type, default BindingData scalar)."""
    spec: dict = {"workflowId": wf_id(workflow_name)}
    if defaults:
        spec["defaultInputs"] = {"parameters": {
            k: {"var": {"type": t}, "default": {"scalar": d["scalar"]}}
            for k, (t, d) in defaults.items()}}
    return {"id": lp_id(name), "spec": spec}


# -- compiling -------------------------------------------------------------------------------------
def compile_docs(tmp_path: Path, docs: list[dict], closures: bool = True):
    """Write each document to its own JSON file and compile them all in-process."""
    from specc import driver

    paths = []
    for i, d in enumerate(docs):
        p = tmp_path / f"doc{i:02d}.json"
        p.write_text(json.dumps(d, indent=1))
        paths.append(p)
    return driver.compile_paths(driver.Options(paths=paths, closures=closures, use_config=False))
