"""Values: a BindingData or Literal as a dialect value. Its one key picks the construct from
``DATA`` (scalar, collection, map), a scalar's from ``SCALARS`` and a primitive's from
``PRIMITIVES``; whatever the dialect cannot say stays flyteidl's, as ``{$flyte: ...}``."""
from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

from specc.dialect import grammars as g
from specc.dialect.emit.base import NO, duration_text

_REF_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_-]*")

Each = Callable[[Any], Any]


def value(b: Any) -> Any:
    """A canonical BindingData -> dialect value."""
    if isinstance(b, dict) and len(b) == 1 and "promise" in b:
        r = ref(b["promise"])
        return r.text() if r is not None else {"$flyte": b}
    return _data(b, "bindings", value)


def literal(lit: Any) -> Any:
    """A canonical Literal -> dialect value."""
    return _data(lit, "literals", literal)


def _data(d: Any, items: str, each: Each) -> Any:
    """A scalar, collection or map (of ``items``: bindings or literals) -> dialect value."""
    if not isinstance(d, dict) or len(d) != 1:
        return {"$flyte": d}
    (k, v), = d.items()
    construct = DATA.get(k)
    x = construct(v, items, each) if construct is not None else NO
    return x if x is not NO else {"$flyte": d}


def _scalar_data(v: Any, items: str, each: Each) -> Any:
    return scalar(v)


def _collection(v: Any, items: str, each: Each) -> Any:
    if not set(v) <= {items}:
        return NO
    return [each(x) for x in v.get(items, [])]


def _map(v: Any, items: str, each: Each) -> Any:
    if not (set(v) <= {items} and v.get(items)) or any(key.startswith("$") for key in v[items]):
        return NO  # an empty map, or keys that read as typed values
    return {key: each(x) for key, x in v[items].items()}


DATA: dict[str, Callable[[Any, str, Each], Any]] = {
    "scalar": _scalar_data,
    "collection": _collection,
    "map": _map,
}


def scalar(s: Any) -> Any:
    """A canonical Scalar -> dialect value, or ``NO`` when the dialect cannot say it."""
    if not isinstance(s, dict) or len(s) != 1:
        return NO
    (k, v), = s.items()
    construct = SCALARS.get(k)
    return construct(v) if construct is not None else NO


def _none(v: Any) -> Any:
    return None if v == {} else NO


def _generic(v: Any) -> Any:
    return {"$struct": v} if isinstance(v, dict) else NO


def _primitive(v: Any) -> Any:
    if not isinstance(v, dict) or len(v) != 1:
        return NO
    (pk, pv), = v.items()
    construct = PRIMITIVES.get(pk)
    return construct(pv) if construct is not None else NO


SCALARS: dict[str, Callable[[Any], Any]] = {
    "noneType": _none,
    "generic": _generic,
    "primitive": _primitive,
}


def _float(pv: Any) -> Any:
    if isinstance(pv, str) or math.isnan(pv) or math.isinf(pv):
        return NO  # 'NaN', 'Infinity' as protobuf's JSON spells them
    return float(pv)


def _string(pv: Any) -> Any:
    return pv if not pv.startswith("${") else NO  # it would read as a reference


def _boolean(pv: Any) -> Any:
    return pv


def _datetime(pv: Any) -> Any:
    return {"$datetime": pv}


def _duration(pv: Any) -> Any:
    return {"$duration": duration_text(pv)}


PRIMITIVES: dict[str, Callable[[Any], Any]] = {
    "integer": int,
    "floatValue": _float,
    "stringValue": _string,
    "boolean": _boolean,
    "datetime": _datetime,
    "duration": _duration,
}


# ---- references -------------------------------------------------------------------------------

def ref(p: dict) -> g.Ref | None:
    """An OutputReference as a dialect reference, or None when ``${...}`` cannot say it."""
    if not set(p) <= {"nodeId", "var", "attrPath"}:
        return None
    node = p.get("nodeId") or None
    var = p.get("var", "")
    if node == "inputs" or (node is not None and not _REF_NAME.fullmatch(node)):
        return None
    if not _REF_NAME.fullmatch(var):
        return None
    path = []
    for a in p.get("attrPath", []):
        if set(a) == {"stringValue"}:
            path.append(("s", a["stringValue"]))
        elif set(a) == {"intValue"} and a["intValue"] >= 0:
            path.append(("i", a["intValue"]))
        else:
            return None
    return g.Ref(node, var, tuple(path))


def node_refs(inputs: list) -> list[str]:
    """The node ids the promises of ``inputs`` (Bindings) name, in order, once each."""
    out: list[str] = []

    def walk(b: Any) -> None:
        if not isinstance(b, dict):
            return
        if "promise" in b:
            nid = b["promise"].get("nodeId")
            if nid and nid not in out:
                out.append(nid)
        for x in (b.get("collection") or {}).get("bindings", []):
            walk(x)
        for x in ((b.get("map") or {}).get("bindings") or {}).values():
            walk(x)

    for i in inputs:
        walk(i.get("binding"))
    return out
