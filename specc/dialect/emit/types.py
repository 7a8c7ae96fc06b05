"""Types and variables: a LiteralType as a type expression (or as is, ``Compact``), a
VariableMap as ``name: type`` or ``name: {type, description}``."""
from __future__ import annotations

from typing import Any

from specc.dialect import grammars as g
from specc.dialect.emit.base import Builder
from specc.dialect.lower import PYFLYTE_TAGS
from specc.yamlwrite import Compact


def type_text(b: Builder, t: Any) -> str | None:
    """``t`` as a type expression, or None when the notation cannot say it (with style pyflyte,
    unions must carry exactly the tags lowering adds)."""
    if b.pyflyte:
        t = untag(t)
        if t is None:
            return None
    return g.type_text(t)


def type_value(b: Builder, t: Any) -> str | Compact | None:
    """``t`` as a type expression, else flyteidl's LiteralType as is; None for no type."""
    if t is None:
        return None
    text = type_text(b, t)
    return text if text is not None else Compact(t)


def interface(b: Builder, iface: dict, d: dict) -> None:
    """``inputs`` and ``outputs`` of a TypedInterface into ``d`` (not the empty ones pyflyte
    writes)."""
    for k in ("inputs", "outputs"):
        if k in iface and not (b.pyflyte and iface[k] == {}):
            d[k] = variables(b, iface[k])


def variables(b: Builder, vm: dict | None) -> dict:
    """A VariableMap: ``name: type``, or ``name: {type, description}`` when the description is
    not the default (none; the name, with style pyflyte)."""
    out: dict = {}
    for name, var in ((vm or {}).get("variables") or {}).items():
        t = var.get("type")
        typ = type_value(b, t)
        desc = var.get("description")
        default_desc = name if b.pyflyte else None
        if desc == default_desc and typ is not None and t != {}:
            out[name] = typ
            continue
        entry: dict = {}
        if typ is not None:
            entry["type"] = typ
        if desc is not None:
            entry["description"] = desc
        out[name] = entry
    return out


def untag(t: Any) -> Any:
    """A type without pyflyte's union tags (None when a tag is not the one pyflyte gives)."""
    if not isinstance(t, dict):
        return t
    out = dict(t)
    for k in ("collectionType", "mapValueType"):
        if k in out:
            inner = untag(out[k])
            if inner is None:
                return None
            out[k] = inner
    if "unionType" in out and set(out["unionType"]) == {"variants"}:
        vs = []
        for v in out["unionType"]["variants"]:
            variant = _untag_variant(v)
            if variant is None:
                return None
            vs.append(variant)
        out["unionType"] = {"variants": vs}
    return out


def _untag_variant(v: Any) -> Any:
    if set(v) == {"simple", "structure"} and \
            v["structure"] == {"tag": PYFLYTE_TAGS.get(v["simple"])}:
        return {"simple": v["simple"]}
    if set(v) == {"simple"} and v["simple"] in PYFLYTE_TAGS:
        return None  # lowering would tag it
    return untag(v)
