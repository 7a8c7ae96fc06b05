"""A branch node's cases -> BranchNode; conditions -> BooleanExpression.

A case is found by its first key in ``CASES`` (``when``, ``else``, ``fail``); a condition's
parts by their kind in ``CONDITIONS`` and ``OPERANDS``. The references in conditions become the
branch node's inputs (``derived``), named as pyflyte names them."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

from specc.dialect.grammars import Cond, ExprError, Operand, Ref, parse_condition
from specc.dialect.lower.base import Lowering
from specc.dialect.lower.values import condition_var, promise

# a then- or else-node: (lowering, dialect body, its pointer, produced pointer, its index) -> Node
InnerNode = Callable[[Lowering, Any, str, str, int], dict | None]
# a derived branch input: name -> (binding, dialect pointer of the condition, node id or None)
Derived = dict[str, tuple[dict, str, str | None]]


@dataclass
class _Cases:
    """What the cases of one branch build up."""

    canon: str  # the BranchNode's pointer
    node_name: str  # the default failedNodeId
    inner: InnerNode
    ie: dict = field(default_factory=dict)  # the IfElseBlock
    others: list = field(default_factory=list)
    index: int = 0  # of the next then/else node (n0, n1, ...)
    derived: Derived = field(default_factory=dict)


def lower_branch(lw: Lowering, v: Any, nid: str, node_body: dict, src: str, canon: str,
                 inner: InnerNode) -> tuple[dict, list[tuple[str, dict, str]], list[str]]:
    """The cases of a branch node -> (BranchNode, derived inputs (name, binding, dialect
    pointer) sorted by name, the node ids they refer to)."""
    lw.map(canon, src)
    if not isinstance(v, list) or not v:
        lw.wrong(src, "branch", "a list of cases (when/then, else, fail)", v)
        return {"ifElse": {}}, [], []
    name = node_body.get("name")
    st = _Cases(canon, name if isinstance(name, str) else nid, inner)
    for i, case in enumerate(v):
        _case(lw, st, case, f"{src}/{i}", i, last=i == len(v) - 1)
    if st.others:
        st.ie["other"] = st.others
    derived = sorted(st.derived.items())
    inputs = [(name, b, bsrc) for name, (b, bsrc, _) in derived]
    refs: list[str] = []
    for _, (_, _, node) in derived:
        if node is not None and node not in refs:
            refs.append(node)
    return {"ifElse": st.ie}, inputs, refs


def _case(lw: Lowering, st: _Cases, case: Any, csrc: str, i: int, last: bool) -> None:
    if not isinstance(case, dict):
        lw.wrong(csrc, f"branch[{i}]", "a case (when/then, else or fail)", case)
        return
    kind = next((k for k in CASES if k in case), None)
    if kind is None:
        lw.issue("SPC033", csrc, field=f"branch[{i}]",
                 expected="a case with 'when' (and 'then'), 'else' or 'fail'",
                 found="a mapping without them")
        return
    if kind != "when" and not last:
        lw.issue("SPC033", csrc, field=f"branch[{i}]",
                 expected="the last case (else and fail end a branch)",
                 found="a case before others")
    CASES[kind](lw, st, case, csrc)


def _when(lw: Lowering, st: _Cases, case: dict, csrc: str) -> None:
    lw.keys(case, ("when", "then"), csrc, "a branch case")
    block: dict = {}
    first = "case" not in st.ie
    ccanon = f"{st.canon}/ifElse/case" if first else f"{st.canon}/ifElse/other/{len(st.others)}"
    lw.map(ccanon, csrc)
    cond = condition(lw, case["when"], f"{csrc}/when", f"{ccanon}/condition", st.derived)
    if cond is not None:
        block["condition"] = cond
    if "then" in case:
        tn = st.inner(lw, case["then"], f"{csrc}/then", f"{ccanon}/thenNode", st.index)
        st.index += 1
        if tn is not None:
            block["thenNode"] = tn
    if first:
        st.ie["case"] = block
    else:
        st.others.append(block)


def _else(lw: Lowering, st: _Cases, case: dict, csrc: str) -> None:
    lw.keys(case, ("else",), csrc, "the else case")
    en = st.inner(lw, case["else"], f"{csrc}/else", f"{st.canon}/ifElse/elseNode", st.index)
    st.index += 1
    if en is not None:
        st.ie["elseNode"] = en


def _fail(lw: Lowering, st: _Cases, case: dict, csrc: str) -> None:
    lw.keys(case, ("fail", "failedNodeId"), csrc, "the fail case")
    msg = lw.string(case["fail"], f"{csrc}/fail", "fail")
    err = {"failedNodeId": st.node_name, "message": msg or ""}
    if "failedNodeId" in case:
        err["failedNodeId"] = lw.string(case["failedNodeId"], f"{csrc}/failedNodeId",
                                        "failedNodeId") or ""
    st.ie["error"] = err
    lw.map(f"{st.canon}/ifElse/error", f"{csrc}/fail")


# the first of these keys a case has says what it is
CASES: dict[str, Callable[[Lowering, _Cases, dict, str], None]] = {
    "when": _when,
    "else": _else,
    "fail": _fail,
}


# ---- conditions -------------------------------------------------------------------------------

def condition(lw: Lowering, text: Any, src: str, canon: str, derived: Derived) -> dict | None:
    """A condition -> BooleanExpression, or None after reporting it (SPC036 at the character
    where it does not parse); its references are added to ``derived``."""
    lw.map(canon, src)
    if isinstance(text, bool):
        text = "true" if text else "false"
    if not isinstance(text, str):
        lw.wrong(src, "when", "a condition such as ${inputs.x} > 0", text)
        return None
    try:
        c = parse_condition(text)
    except ExprError as e:
        lw.issue("SPC036", src, offset=e.offset, length=e.length, problem=e.problem)
        return None
    return expression(c, _Operands(src, derived))


@dataclass
class _Operands:
    src: str  # the condition's dialect pointer: where derived inputs come from
    derived: Derived


def expression(x: Cond, ops: _Operands) -> dict:
    """A parsed condition -> BooleanExpression."""
    return CONDITIONS[x.op](x, ops)


def _comparison(x: Cond, ops: _Operands) -> dict:
    return {"comparison": {"operator": x.operator,
                           "leftValue": operand(cast(Operand, x.left), ops),
                           "rightValue": operand(cast(Operand, x.right), ops)}}


def _conjunction(x: Cond, ops: _Operands) -> dict:
    return {"conjunction": {"operator": x.op,
                            "leftExpression": expression(cast(Cond, x.left), ops),
                            "rightExpression": expression(cast(Cond, x.right), ops)}}


CONDITIONS: dict[str, Callable[[Cond, _Operands], dict]] = {
    "cmp": _comparison,
    "AND": _conjunction,
    "OR": _conjunction,
}


def operand(o: Operand, ops: _Operands) -> dict:
    """A literal, a branch input's name or a reference -> Operand."""
    return OPERANDS[o.kind](o, ops)


def _literal(o: Operand, ops: _Operands) -> dict:
    return {"primitive": o.value}


def _name(o: Operand, ops: _Operands) -> dict:
    return {"var": o.value}


def _reference(o: Operand, ops: _Operands) -> dict:
    r = cast(Ref, o.value)
    name = condition_var(r)
    if name not in ops.derived:
        ops.derived[name] = ({"promise": promise(r)}, ops.src, r.node)
    return {"var": name}


OPERANDS: dict[str, Callable[[Operand, _Operands], dict]] = {
    "lit": _literal,
    "name": _name,
    "ref": _reference,
}
