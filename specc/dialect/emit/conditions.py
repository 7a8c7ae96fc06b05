"""A BooleanExpression as a condition (``${a.b} >= 0.5 and ${inputs.x} == 'y'``): its one key
picks the construct from ``CONDITIONS``, an operand's from ``OPERANDS`` and a primitive's from
``PRIMITIVE_OPERANDS``. What the notation cannot say is written ``true == true``, which a
``flyte:`` override then replaces."""
from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

from specc.dialect import grammars as g
from specc.dialect.emit.base import Fallback
from specc.dialect.lower import condition_var
from specc.dialect.lower.values import promise

_COND_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*")


def condition(c: Any, derived: dict) -> str:
    """``c`` as condition text; the references it makes are added to ``derived`` (branch input
    name -> binding) as lowering will derive them."""
    try:
        return g.condition_text(expression(c), lambda o: operand(o, derived))
    except (Fallback, KeyError, TypeError, ValueError):
        return "true == true"  # replaced by a 'flyte:' override of the condition


def expression(x: Any) -> g.Cond:
    """A BooleanExpression -> the condition AST (operands stay flyteidl's)."""
    if not isinstance(x, dict) or len(x) != 1:
        raise Fallback
    (key,) = x
    construct = CONDITIONS.get(key)
    if construct is None:
        raise Fallback
    return construct(x[key])


def _comparison(cmp: Any) -> g.Cond:
    if not set(cmp) <= {"operator", "leftValue", "rightValue"}:
        raise Fallback
    return g.Cond("cmp", cmp.get("operator", "EQ"), cmp.get("leftValue", {}),
                  cmp.get("rightValue", {}))


def _conjunction(cj: Any) -> g.Cond:
    if not set(cj) <= {"operator", "leftExpression", "rightExpression"}:
        raise Fallback
    return g.Cond(cj.get("operator", "AND"), "", expression(cj.get("leftExpression")),
                  expression(cj.get("rightExpression")))


CONDITIONS: dict[str, Callable[[Any], g.Cond]] = {
    "comparison": _comparison,
    "conjunction": _conjunction,
}


def operand(o: Any, derived: dict) -> str:
    """An Operand as condition text: a reference, a branch input's name or a literal."""
    keys = set(o)
    construct = OPERANDS.get(next(iter(keys))) if len(keys) == 1 else None
    if construct is None:
        raise Fallback
    return construct(o, derived)


def _var(o: Any, derived: dict) -> str:
    """A branch input: the reference it was derived from when lowering would derive it back
    under this name, else its name."""
    var = o["var"]
    cand = ("inputs" + var) if var.startswith(".") else var
    try:
        r: g.Ref | None = g.parse_ref("${" + cand + "}")
    except g.ExprError:
        r = None
    if r is not None and condition_var(r) == var:
        derived.setdefault(var, {"promise": promise(r)})
        return r.text()
    if _COND_NAME.fullmatch(var) and var not in ("true", "false", "and", "or"):
        return var
    raise Fallback


def _primitive(o: Any, derived: dict) -> str:
    if len(o["primitive"]) != 1:
        raise Fallback
    (k, v), = o["primitive"].items()
    construct = PRIMITIVE_OPERANDS.get(k)
    if construct is None:
        raise Fallback
    return construct(v)


OPERANDS: dict[str, Callable[[Any, dict], str]] = {
    "var": _var,
    "primitive": _primitive,
}


def _integer(v: Any) -> str:
    return str(int(v))


def _float(v: Any) -> str:
    if isinstance(v, str) or not math.isfinite(v):
        raise Fallback
    s = repr(float(v))
    return s if ("." in s or "e" in s) else s + ".0"


def _boolean(v: Any) -> str:
    return "true" if v else "false"


PRIMITIVE_OPERANDS: dict[str, Callable[[Any], str]] = {
    "integer": _integer,
    "floatValue": _float,
    "stringValue": g.quote,
    "boolean": _boolean,
}
