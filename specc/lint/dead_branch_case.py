"""SPC611 dead-branch-case: a branch case that can never be true, is shadowed, or is always true."""
from __future__ import annotations

import math
from typing import Any, TypeVar

from specc import ir
from specc.diagnostics import Report
from specc.lint.rule import Rule
from specc.record import Record

_COMPLEMENT = {"EQ": "NEQ", "NEQ": "EQ", "GT": "LTE", "LTE": "GT", "GTE": "LT", "LT": "GTE"}
_MIRROR = {"EQ": "EQ", "NEQ": "NEQ", "GT": "LT", "LT": "GT", "GTE": "LTE", "LTE": "GTE"}
_SYMBOL = {"EQ": "==", "NEQ": "!=", "GT": ">", "GTE": ">=", "LT": "<", "LTE": "<="}
_SIMPLE = {"INTEGER": "int", "FLOAT": "float", "STRING": "str", "BOOLEAN": "bool"}
_INT64 = (-(2 ** 63), 2 ** 63 - 1)
_MAX_CONJUNCTS = 256


class _TooBig(Exception):
    pass


class Cmp(Record):
    """``var op value`` over one domain (int, float, str, bool). ``var`` says where the value
    comes from (so that a nested branch's input bound to the same output is the same variable);
    ``label`` is the name the branch gives it."""

    __slots__ = ("domain", "label", "op", "value", "var")
    var: str
    op: str
    value: Any
    domain: str
    label: str

    def __init__(self, var: str, op: str, value: Any, domain: str, label: str = '') -> None:
        self.var = var
        self.op = op
        self.value = value
        self.domain = domain
        self.label = label

    def negate(self) -> Cmp:
        return Cmp(self.var, _COMPLEMENT[self.op], self.value, self.domain, self.label)

    def show(self) -> str:
        return f"{self.label or self.var} {_SYMBOL[self.op]} {_show(self.value, self.domain)}"


class Const(Record):
    """A comparison decided by its literals alone."""

    __slots__ = ("text", "value")
    value: bool
    text: str

    def __init__(self, value: bool, text: str) -> None:
        self.value = value
        self.text = text

    def negate(self) -> Const:
        return Const(not self.value, self.text)


class Free(Record):
    """A comparison specc cannot decide."""

    __slots__ = ()

    def negate(self) -> Free:
        return self


class And(Record):
    __slots__ = ("left", "right")
    left: Expr
    right: Expr

    def __init__(self, left: Expr, right: Expr) -> None:
        self.left = left
        self.right = right


class Or(Record):
    __slots__ = ("left", "right")
    left: Expr
    right: Expr

    def __init__(self, left: Expr, right: Expr) -> None:
        self.left = left
        self.right = right


Atom = Cmp | Const | Free
Expr = Cmp | Const | Free | And | Or
_V = TypeVar("_V", bool, int, float, str)  # a literal's value, compared within its domain


def _show(value: bool | int | float | str, domain: str) -> str:
    if domain == "str":
        assert isinstance(value, str)  # the domain says so
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if domain == "bool":
        return "true" if value else "false"
    return repr(value) if domain == "float" else str(value)


# -- conditions to expressions -------------------------------------------------------------------
def _operand(op: object) -> tuple | None:
    """('var', name) or ('lit', domain, value); None when specc cannot evaluate it."""
    if not isinstance(op, dict):
        return None
    if isinstance(op.get("var"), str) and op["var"]:
        return ("var", op["var"])
    prim = op.get("primitive")
    if prim is None and isinstance(op.get("scalar"), dict):
        prim = op["scalar"].get("primitive")
    if not isinstance(prim, dict):
        return None
    try:
        if "integer" in prim:
            return ("lit", "int", int(prim["integer"]))
        if "floatValue" in prim:
            v = float(prim["floatValue"])
            return None if math.isnan(v) else ("lit", "float", v)
        if "stringValue" in prim and isinstance(prim["stringValue"], str):
            return ("lit", "str", prim["stringValue"])
        if "boolean" in prim and isinstance(prim["boolean"], bool):
            return ("lit", "bool", prim["boolean"])
    except (TypeError, ValueError):
        return None
    return None  # datetime, duration, malformed


def _evaluate(op: str, a: _V, b: _V) -> bool:
    return {"EQ": a == b, "NEQ": a != b, "GT": a > b, "GTE": a >= b, "LT": a < b,
            "LTE": a <= b}[op]


def expression(cond: object, domains: dict[str, str], sources: dict[str, str] | None = None
               ) -> Expr:
    """The condition as an expression tree; ``domains`` gives each input's domain, when known,
    ``sources`` the key of where each input's value comes from (default: its name)."""
    sources = sources or {}
    if not isinstance(cond, dict):
        return Free()
    if "comparison" in cond:
        cmp = cond["comparison"]
        if not isinstance(cmp, dict):
            return Free()
        op = cmp.get("operator", "EQ")  # EQ is the enum's zero value, dropped in proto3 JSON
        if op not in _SYMBOL:
            return Free()
        left, right = _operand(cmp.get("leftValue")), _operand(cmp.get("rightValue"))
        if left is None or right is None:
            return Free()
        if left[0] == "lit" and right[0] == "lit":
            if left[1] != right[1] or (left[1] == "bool" and op not in ("EQ", "NEQ")):
                return Free()  # mismatching types are SPC415
            text = f"{_show(left[2], left[1])} {_SYMBOL[op]} {_show(right[2], right[1])}"
            return Const(_evaluate(op, left[2], right[2]), text)
        if left[0] == "var" and right[0] == "var":
            return Free()
        if left[0] == "lit":
            left, right, op = right, left, _MIRROR[op]
        var, (_, domain, value) = left[1], right
        if domains.get(var, domain) != domain:
            return Free()  # mismatching types are SPC415
        if domain == "bool" and op not in ("EQ", "NEQ"):
            return Free()
        return Cmp(sources.get(var, var), op, value, domain, var)
    if "conjunction" in cond:
        conj = cond["conjunction"]
        if not isinstance(conj, dict):
            return Free()
        lexpr = expression(conj.get("leftExpression"), domains, sources)
        rexpr = expression(conj.get("rightExpression"), domains, sources)
        return Or(lexpr, rexpr) if conj.get("operator") == "OR" else And(lexpr, rexpr)
    return Free()


def negate(e: Expr) -> Expr:
    if isinstance(e, And):
        return Or(negate(e.left), negate(e.right))
    if isinstance(e, Or):
        return And(negate(e.left), negate(e.right))
    return e.negate()


def dnf(e: Expr) -> list[list[Atom]]:
    """Disjunctive normal form: a list of conjunctions (lists of Cmp, Const and Free)."""
    if isinstance(e, Or):
        out = dnf(e.left) + dnf(e.right)
    elif isinstance(e, And):
        left, right = dnf(e.left), dnf(e.right)
        if len(left) * len(right) > _MAX_CONJUNCTS:
            raise _TooBig
        out = [a + b for a in left for b in right]
    else:
        return [[e]]
    if len(out) > _MAX_CONJUNCTS:
        raise _TooBig
    return out


# -- satisfiability ------------------------------------------------------------------------------
def conflict(conj: list[Atom]) -> str | None:
    """Why a conjunction can never hold, or None when it can (or specc cannot tell)."""
    for a in conj:
        if isinstance(a, Const) and not a.value:
            return f"{a.text} compares two literals and is false"
    by_var: dict[str, list[Cmp]] = {}
    for a in conj:
        if isinstance(a, Cmp):
            by_var.setdefault(a.var, []).append(a)
    for var, atoms in by_var.items():
        if not _feasible(atoms):
            shown = list(dict.fromkeys(a.show() for a in atoms))
            return f"no value of '{atoms[0].label or var}' satisfies " + " and ".join(shown)
    return None


def _feasible(atoms: list[Cmp]) -> bool:
    domain = atoms[0].domain
    if domain == "bool":
        values = {True, False}
        for a in atoms:
            values &= {a.value} if a.op == "EQ" else {not a.value}
        return bool(values)
    if domain == "int":
        lo, hi, ne = _INT64[0], _INT64[1], set()
        for a in atoms:
            v = a.value
            if a.op == "EQ":
                lo, hi = max(lo, v), min(hi, v)
            elif a.op == "NEQ":
                ne.add(v)
            elif a.op == "GT":
                lo = max(lo, v + 1)
            elif a.op == "GTE":
                lo = max(lo, v)
            elif a.op == "LT":
                hi = min(hi, v - 1)
            else:
                hi = min(hi, v)
        if lo > hi:
            return False
        return hi - lo + 1 > len(ne) or any(v not in ne for v in range(lo, hi + 1))
    # float and str: ordered; bounds are (value, strict)
    low: tuple | None = None
    high: tuple | None = None
    ne = set()
    for a in atoms:
        v = a.value
        if a.op == "NEQ":
            ne.add(v)
            continue
        if a.op in ("EQ", "GT", "GTE"):
            b = (v, a.op == "GT")
            if low is None or b[0] > low[0] or (b[0] == low[0] and b[1]):
                low = b
        if a.op in ("EQ", "LT", "LTE"):
            b = (v, a.op == "LT")
            if high is None or b[0] < high[0] or (b[0] == high[0] and b[1]):
                high = b
    if domain == "str" and high is not None and high == ("", True):
        return False  # nothing is less than the empty string
    if low is None or high is None:
        return True
    if low[0] > high[0]:
        return False
    if low[0] == high[0]:
        return not (low[1] or high[1]) and low[0] not in ne
    return True


def _unsat(e: Expr) -> str | None:
    """Why an expression can never hold (None: it can, or specc cannot tell)."""
    try:
        conjs = dnf(e)
    except _TooBig:
        return None
    reasons = [conflict(c) for c in conjs]
    if any(r is None for r in reasons):
        return None
    return reasons[0] if len(reasons) == 1 else "none of its alternatives can hold (" + \
        "; ".join(r for r in reasons if r is not None) + ")"


# -- the rule ------------------------------------------------------------------------------------
def _inputs(n: ir.Node, iface: ir.ResolvedInterface | None) -> tuple[dict[str, str],
                                                                     dict[str, str]]:
    """The branch's input domains, and where each input's value comes from: an output (or a
    workflow input) it is bound to, or the branch itself."""
    domains, sources = {}, {}
    if iface is not None:
        for name, t in iface.inputs.items():
            simple = t.get("simple") if isinstance(t, dict) else None
            domains[name] = _SIMPLE.get(simple or "", "?")
    for b in n.inputs:
        p = b.value.promise if isinstance(b.value, ir.PromiseValue) else None
        if p is not None and p.name is not None and not p.attr_path and b.var not in sources:
            index = "" if p.index is None else f"[{p.index}]"
            sources[b.var] = f"{p.source_id}.{index}{p.name}"
        else:
            sources.setdefault(b.var, f"{n.display_id}:{b.var}")
    return domains, sources


def _all(exprs: list[Any]) -> Any:
    out = None
    for e in exprs:
        out = e if out is None else And(out, e)
    return out


class DeadBranchCase(Rule):
    CODE = "SPC611"

    def workflow(self, wf: ir.Workflow, report: Report) -> None:
        roots = list(wf.nodes) + ([wf.failure_node] if wf.failure_node is not None else [])
        stack: list[tuple[ir.Node, list[Any], str]] = [(n, [], "") for n in reversed(roots)]
        while stack:
            n, context, outer = stack.pop()
            if isinstance(n, ir.ArrayNode) and n.sub_node is not None:
                stack.append((n.sub_node, context, outer))
            if not isinstance(n, ir.BranchNode) or n.branch is None or n.branch.case is None:
                continue
            br = n.branch
            blocks = [("the if-case", n.branch.case)] + [
                (f"else-if case {i + 1}", o) for i, o in enumerate(br.other)]
            conditions = [b.condition for _, b in blocks]
            if any(c is None for c in conditions):
                continue  # SPC417
            domains, sources = _inputs(n, self.facts.resolution.interface(n))
            exprs = [expression(c, domains, sources) for c in conditions]
            children: list[tuple[ir.Node | None, list[Any]]] = []
            for k, ((what, blk), e) in enumerate(zip(blocks, exprs, strict=True)):
                earlier = [negate(x) for x in exprs[:k]]
                children.append((blk.then_node, context + earlier + [e]))
                problem = _problem(e, context, earlier, outer)
                if problem is None and _unsat(negate(e)) is not None:
                    rest = "the else is" if k == len(blocks) - 1 else \
                        "the cases after it and the else are"
                    self.report(report, blk.loc.child("condition"), what=what,
                                node=n.display_id,
                                problem=f"is always true, so {rest} never taken")
                    break
                if problem is not None:
                    self.report(report, blk.loc.child("condition"), what=what,
                                node=n.display_id, problem=problem)
            children.append((br.else_node, context + [negate(x) for x in exprs]))
            for child, cond in reversed(children):
                if child is None:
                    continue
                if cond and _unsat(_all(cond)) is not None:
                    continue  # never runs: reported above, nothing below it matters
                stack.append((child, cond, n.display_id))


def _problem(e: Expr, context: list[Expr], earlier: list[Expr], outer: str) -> str | None:
    why = _unsat(e)
    if why is not None:
        return f"can never be true: {why}; check the comparison"
    if context and _unsat(_all([*context, e])) is not None:
        return (f"is never taken: it contradicts the case of branch '{outer}' that leads to it; "
                f"check both conditions")
    if earlier and _unsat(_all(context + earlier + [e])) is not None:
        return ("is never taken: whenever it holds, an earlier case holds too and runs instead; "
                "reorder or fix the cases")
    return None
