"""Values: a node input or workflow output -> BindingData, a launch plan value -> Literal.

A value's shape (a reference, a list, a typed value ``{$datetime: ...}``, a mapping, a scalar)
picks its construct from ``BINDINGS`` or ``LITERALS``; typed values from ``SPECIALS``."""
from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from specc.dialect.grammars import ExprError, Ref, parse_ref
from specc.dialect.lower.base import Lowering, esc


def shape(v: Any) -> str:
    """Which construct a value is: 'ref', 'list', 'special', 'map' or 'scalar'."""
    if isinstance(v, str) and v.startswith("${"):
        return "ref"
    if isinstance(v, list):
        return "list"
    if isinstance(v, dict):
        return "special" if v and next(iter(v)).startswith("$") else "map"
    return "scalar"


# ---- bindings ---------------------------------------------------------------------------------

def binding(lw: Lowering, v: Any, src: str, canon: str, refs: list[str] | None = None
            ) -> dict | None:
    """A node input or workflow output value -> BindingData, or None after reporting it; the
    nodes its references name are added to ``refs`` (in order, once)."""
    lw.map(canon, src)
    return BINDINGS[shape(v)](lw, v, src, canon, refs)


def _ref_binding(lw: Lowering, v: str, src: str, canon: str, refs: list[str] | None
                 ) -> dict | None:
    r = ref(lw, v, src)
    if r is None:
        return None
    if refs is not None and r.node is not None and r.node not in refs:
        refs.append(r.node)
    return {"promise": promise(r)}


def _list_binding(lw: Lowering, v: list, src: str, canon: str, refs: list[str] | None) -> dict:
    return {"collection": {"bindings": [
        b for i, x in enumerate(v)
        if (b := binding(lw, x, f"{src}/{i}", f"{canon}/collection/bindings/{i}",
                         refs)) is not None]}}


def _special_value(lw: Lowering, v: dict, src: str, canon: str, refs: list[str] | None = None
                   ) -> dict | None:
    return special(lw, v, src, canon)


def _map_binding(lw: Lowering, v: dict, src: str, canon: str, refs: list[str] | None) -> dict:
    out = {}
    for k, x in v.items():
        b = binding(lw, x, f"{src}/{esc(k)}", f"{canon}/map/bindings/{esc(k)}", refs)
        if b is not None:
            out[k] = b
    return {"map": {"bindings": out}}


def _scalar_value(lw: Lowering, v: Any, src: str, canon: str, refs: list[str] | None = None
                  ) -> dict | None:
    s = scalar(lw, v, src)
    return {"scalar": s} if s is not None else None


BINDINGS: dict[str, Callable[..., dict | None]] = {
    "ref": _ref_binding,
    "list": _list_binding,
    "special": _special_value,
    "map": _map_binding,
    "scalar": _scalar_value,
}


# ---- literals ---------------------------------------------------------------------------------

def literal(lw: Lowering, v: Any, src: str, canon: str) -> dict | None:
    """A launch plan value -> Literal (no references), or None after reporting it."""
    lw.map(canon, src)
    return LITERALS[shape(v)](lw, v, src, canon)


def _ref_literal(lw: Lowering, v: str, src: str, canon: str) -> None:
    lw.issue("SPC035", src, offset=0, length=len(v),
             problem="a launch plan input is a value; it cannot refer to a node or an input")


def _list_literal(lw: Lowering, v: list, src: str, canon: str) -> dict:
    return {"collection": {"literals": [
        x for i, item in enumerate(v)
        if (x := literal(lw, item, f"{src}/{i}", f"{canon}/collection/literals/{i}"))
        is not None]}}


def _map_literal(lw: Lowering, v: dict, src: str, canon: str) -> dict:
    out = {}
    for k, x in v.items():
        lit = literal(lw, x, f"{src}/{esc(k)}", f"{canon}/map/literals/{esc(k)}")
        if lit is not None:
            out[k] = lit
    return {"map": {"literals": out}}


LITERALS: dict[str, Callable[..., dict | None]] = {
    "ref": _ref_literal,
    "list": _list_literal,
    "special": _special_value,
    "map": _map_literal,
    "scalar": _scalar_value,
}


# ---- scalars and typed values -----------------------------------------------------------------

def scalar(lw: Lowering, v: Any, src: str) -> dict | None:
    """A YAML scalar -> Scalar, or None after reporting it (an int out of int64's range)."""
    if v is None:
        return {"noneType": {}}
    if isinstance(v, bool):
        return {"primitive": {"boolean": v}}
    if isinstance(v, int):
        if not -(2**63) <= v <= 2**63 - 1:
            lw.issue("SPC033", src, field="value", expected="an int64",
                     found="an integer out of range")
            return None
        return {"primitive": {"integer": str(v)}}
    if isinstance(v, float):
        return {"primitive": {"floatValue": v}}
    if isinstance(v, str):
        return {"primitive": {"stringValue": v}}
    lw.wrong(src, "value", "a value", v)  # pragma: no cover - YAML has nothing else
    return None


def special(lw: Lowering, v: dict, src: str, canon: str) -> dict | None:
    """``{$datetime: ...}``, ``{$duration: ...}``, ``{$struct: ...}``, ``{$flyte: ...}``, or
    None after reporting it."""
    key = next(iter(v))
    ksrc = f"{src}/{esc(key)}"
    if len(v) != 1:
        lw.issue("SPC033", src, field=key, expected=f"a mapping with '{key}' alone",
                 found=f"a mapping with {len(v)} keys")
        return None
    lw.map(canon, ksrc)
    construct = SPECIALS.get(key)
    if construct is None:
        lw.issue("SPC032", ksrc, at_key=True, field=key, where="a typed value",
                 hint="; use $datetime, $duration, $struct or $flyte")
        return None
    return construct(lw, v[key], ksrc, key)


def _datetime(lw: Lowering, x: Any, ksrc: str, key: str) -> dict | None:
    s = lw.string(x, ksrc, key)
    return {"scalar": {"primitive": {"datetime": s}}} if s is not None else None


def _duration(lw: Lowering, x: Any, ksrc: str, key: str) -> dict | None:
    d = lw.duration(x, ksrc, key)
    return {"scalar": {"primitive": {"duration": d}}} if d is not None else None


def _struct(lw: Lowering, x: Any, ksrc: str, key: str) -> dict | None:
    if not isinstance(x, dict):
        lw.wrong(ksrc, key, "a mapping", x)
        return None
    return {"scalar": {"generic": copy.deepcopy(x)}}


def _flyte(lw: Lowering, x: Any, ksrc: str, key: str) -> dict | None:
    if not isinstance(x, dict):
        lw.wrong(ksrc, key, "a mapping in flyteidl's form", x)
        return None
    return copy.deepcopy(x)


SPECIALS: dict[str, Callable[[Lowering, Any, str, str], dict | None]] = {
    "$datetime": _datetime,
    "$duration": _duration,
    "$struct": _struct,
    "$flyte": _flyte,
}


# ---- references -------------------------------------------------------------------------------

def ref(lw: Lowering, text: str, src: str) -> Ref | None:
    """``${...}`` parsed, or None after reporting where it does not parse (SPC035)."""
    try:
        return parse_ref(text)
    except ExprError as e:
        lw.issue("SPC035", src, offset=e.offset, length=e.length, problem=e.problem)
        return None


def promise(r: Ref) -> dict:
    """A reference as flyteidl's OutputReference."""
    p: dict = {}
    if r.node is not None:
        p["nodeId"] = r.node
    p["var"] = r.var
    if r.path:
        p["attrPath"] = r.attr_path
    return p


def condition_var(r: Ref) -> str:
    """The branch input a condition operand ``${...}`` becomes (pyflyte's naming): ``.x`` for a
    workflow input, ``node.var`` for a node output (attribute paths appended)."""
    inner = r.inner()
    return inner[len("inputs"):] if r.node is None else inner
