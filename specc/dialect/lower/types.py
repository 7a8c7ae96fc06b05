"""Types, variables and interfaces: ``name: type`` or ``name: {type, description[, value]}`` to
flyteidl's TypedInterface (and, for a workflow's outputs, the values bound to them)."""
from __future__ import annotations

import copy
from typing import Any

from specc.dialect.grammars import ExprError, parse_type
from specc.dialect.lower.base import PYFLYTE_TAGS, Lowering, esc

# an output's value, to be bound once the nodes are lowered:
# (output name, the dialect value, its dialect pointer, the binding's pointer)
OutputValue = tuple[str, Any, str, str]

_TYPE_KEYS = frozenset(("simple", "schema", "collectionType", "mapValueType", "blob",
                        "enumType", "structuredDatasetType", "unionType", "metadata",
                        "annotation", "structure", "collection_type", "map_value_type",
                        "enum_type", "structured_dataset_type", "union_type"))


def is_raw_type(d: dict) -> bool:
    """A mapping in a type position that is flyteidl's LiteralType itself."""
    return bool(d) and all(k in _TYPE_KEYS for k in d)


def lower_type(lw: Lowering, v: Any, src: str, canon: str, field_: str = "type") -> dict | None:
    """A type expression (or flyteidl's LiteralType as a mapping) -> LiteralType, or None after
    reporting it."""
    lw.map(canon, src)
    if isinstance(v, str):
        try:
            t = parse_type(v)
        except ExprError as e:
            lw.issue("SPC034", src, offset=e.offset, length=e.length, problem=e.problem)
            return None
        if lw.pyflyte:
            tag_unions(t)
        return t
    if isinstance(v, dict):
        return copy.deepcopy(v)  # the flyteidl form itself (check-schema checks it)
    lw.wrong(src, field_, "a type such as int or list[str]", v)
    return None


def variables(lw: Lowering, v: Any, src: str, canon: str, outputs_with_values: bool = False
              ) -> tuple[dict | None, list[OutputValue]]:
    """``name: type`` or ``name: {type, description[, value]}`` -> VariableMap (and, for
    workflow outputs, the values to bind), or None after reporting a body of the wrong kind."""
    body = lw.mapping(v, src, src.rsplit("/", 1)[-1])
    bindings: list[OutputValue] = []
    if body is None:
        return None, bindings
    out: dict = {}
    lw.map(canon, src)
    for name, spec in body.items():
        out[name] = _variable(lw, name, spec, f"{src}/{esc(name)}",
                              f"{canon}/variables/{esc(name)}", outputs_with_values, bindings)
    return ({"variables": out} if out else {}), bindings


def _variable(lw: Lowering, name: str, spec: Any, vsrc: str, vcanon: str, with_value: bool,
              bindings: list[OutputValue]) -> dict:
    """One variable: a type, or a mapping with ``type``, ``description`` (and ``value``)."""
    lw.map(vcanon, vsrc)
    var: dict = {}
    desc = None
    if isinstance(spec, dict) and not is_raw_type(spec):
        allowed = ("type", "description", "value") if with_value else ("type", "description")
        lw.keys(spec, allowed, vsrc, f"variable '{name}'")
        if "type" not in spec:
            lw.issue("SPC041", vsrc, what=f"variable '{name}'", field="type")
        else:
            t = lower_type(lw, spec["type"], f"{vsrc}/type", f"{vcanon}/type")
            if t is not None:
                var["type"] = t
        if "description" in spec:
            desc = lw.string(spec["description"], f"{vsrc}/description", "description")
            lw.map(f"{vcanon}/description", f"{vsrc}/description")
        if with_value and "value" in spec:
            bindings.append((name, spec["value"], f"{vsrc}/value", f"/outputs/{len(bindings)}"))
    else:
        t = lower_type(lw, spec, vsrc, f"{vcanon}/type")
        if t is not None:
            var["type"] = t
    if desc is not None:
        var["description"] = desc
    elif lw.pyflyte:
        var["description"] = name
    return var


def interface(lw: Lowering, d: dict, src: str, canon: str, workflow: bool
              ) -> tuple[dict, list[OutputValue]]:
    """``inputs`` and ``outputs`` of a task or workflow -> TypedInterface (and, for a
    workflow, its outputs' values)."""
    iface: dict = {}
    bindings: list[OutputValue] = []
    lw.map(f"{canon}/interface", src)
    if "inputs" in d:
        vm, _ = variables(lw, d["inputs"], f"{src}/inputs", f"{canon}/interface/inputs")
        if vm is not None:
            iface["inputs"] = vm
    elif lw.pyflyte:
        iface["inputs"] = {}
    if "outputs" in d:
        vm, bindings = variables(lw, d["outputs"], f"{src}/outputs",
                                 f"{canon}/interface/outputs", workflow)
        if vm is not None:
            iface["outputs"] = vm
    elif lw.pyflyte:
        iface["outputs"] = {}
    return iface, bindings


def tag_unions(t: Any) -> None:
    """pyflyte's structure tags on the simple variants of every union."""
    if not isinstance(t, dict):
        return
    for k in ("collectionType", "mapValueType"):
        if k in t:
            tag_unions(t[k])
    if "unionType" in t:
        for v in t["unionType"].get("variants", []):
            if set(v) == {"simple"} and v["simple"] in PYFLYTE_TAGS:
                v["structure"] = {"tag": PYFLYTE_TAGS[v["simple"]]}
            else:
                tag_unions(v)
    for c in (t.get("structuredDatasetType") or {}).get("columns", []):
        tag_unions(c.get("literalType"))
    for v in ((t.get("structure") or {}).get("dataclassType") or {}).values():
        tag_unions(v)
