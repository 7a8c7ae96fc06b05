"""check-types: every binding against the type it feeds, with Flyte's castability rules.

Follows Flyte's ``ValidateBindings``: a literal's type must cast to the input's type (and an enum
input takes only its values); a promise's output type (after an index and attribute path) must cast
to it; collections and maps bind element by element; a collection or map bound to a union must fit
exactly one variant. Required inputs and workflow outputs must be bound, once. Branches: the cases
must agree on the types of shared outputs, and condition operands must have one type.

A node whose interface is unknown (it runs something that could not be checked) is skipped, and
so is a binding whose promise names such a node: nothing is reported about what is not known.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from specc import ir
from specc import types as T
from specc.diagnostics import Loc, Report
from specc.passes.resolve_references import hint


def check_types(program: ir.Program, resolution: ir.Resolution,
                workflows: Sequence[ir.Entity],
                report_for: Callable[[ir.Entity], Report]) -> None:
    for wf in workflows:
        if not isinstance(wf, ir.Workflow) or wf not in resolution.index:
            continue
        c = _Checker(report_for(wf), wf, resolution)
        for n in resolution.top_nodes(wf):
            c.node(n)
        if wf.failure_node is not None:
            c.node(wf.failure_node)
        assert wf.end is not None
        c.bindings(wf.end, end=True)


class _Checker:
    def __init__(self, report: Report, wf: ir.Workflow, res: ir.Resolution) -> None:
        self.report = report
        self.wf = wf
        self.res = res
        self.index = res.index[wf]
        # are_types_castable of a simple literal type to an expected type, by (simple, id): a
        # long literal list asks the same for every item (the expected type is kept alive)
        self.castable: dict[tuple[str, int], tuple[ir.Type, bool]] = {}

    def node(self, n: ir.Node) -> None:
        if self.res.interface(n) is None:
            return
        if isinstance(n, ir.BranchNode):
            self.bound_once(n)
            self.branch(n)
            for child in n.children():
                self.node(child)
            return
        if isinstance(n, ir.ApproveGateNode):
            self.bound_once(n)  # its interface is made from its bindings
            return
        self.bindings(n)

    # -- bindings --------------------------------------------------------------------------------
    def bound_once(self, n: ir.Node) -> None:
        """A branch's or approve gate's bindings make its interface, and Flyte still refuses
        one input bound twice (ValidateBindings without parameter types)."""
        seen: set[str] = set()
        for b in n.inputs:
            if b.var in seen:
                self.report("SPC405", b.loc.child("var"), var=b.var, node=n.display_id)
            seen.add(b.var)

    def bindings(self, n: ir.Node, end: bool = False) -> None:
        iface = self.res.interface(n)
        assert iface is not None
        params = iface.inputs
        bound: set[str] = set()
        for b in n.inputs:
            if b.var not in params:
                continue  # reported by resolve-references
            if b.value is None:
                self.report("SPC211", b.loc, what=f"the 'binding' of input '{b.var}'")
                continue
            if b.var in bound:
                self.report("SPC405", b.loc.child("var"), var=b.var, node=n.display_id)
                continue
            bound.add(b.var)
            expected = params[b.var]
            if expected is None:
                continue  # reported as a variable without type
            self.binding(n, b.var, b.value, expected, self.report)
        for name, t in params.items():
            if name in bound or t is None:
                continue
            if T.is_optional_type(t):
                variants = t["unionType"].get("variants", [])
                if not end and not any(v.get("simple") == "NONE" for v in variants):
                    self.report("SPC419", n.loc, var=name, type=T.type_to_str(t),
                                node=n.display_id)
                continue
            if end:
                assert self.wf.interface is not None
                self.report("SPC404", self.wf.interface.outputs[name].loc, var=name,
                            type=T.type_to_str(t), workflow=self.wf.id.name)
            else:
                self.report("SPC403", n.loc, var=name, type=T.type_to_str(t),
                            node=n.display_id, hint=_unbound_hint(n))

    def binding(self, n: ir.Node, var: str, v: ir.BindingValue, expected: ir.Type,
                report: Report) -> ir.Type | None:
        """The resolved type of one binding value, or None after reporting through
        ``report`` (or when the type is unknown)."""
        node = n.display_id
        loc = v.loc
        # Flyte tries every variant for any binding that is not a scalar or a promise
        # (offloaded data and an empty binding too), and none fits those
        if "unionType" in expected and isinstance(v, (ir.Collection, ir.MapValue,
                                                      ir.OtherValue)):
            matches = []
            for variant in expected["unionType"].get("variants", []):
                errs: list[str] = []
                got = self.binding(n, var, v, variant, _Collect(errs))
                if got is not None and not errs:
                    matches.append(variant)
            if len(matches) == 1:
                return self.binding(n, var, v, matches[0], report)
            if matches:
                report("SPC408", loc, var=var, node=node, expected=T.type_to_str(expected),
                       first=T.type_to_str(matches[0]), second=T.type_to_str(matches[1]))
            else:
                report("SPC409", loc, var=var, node=node, expected=T.type_to_str(expected))
            return None
        if isinstance(v, (ir.Collection, ir.MapValue)):
            is_coll = isinstance(v, ir.Collection)
            want = "collectionType" if is_coll else "mapValueType"
            if want not in expected:
                hint = _map_hint(n, var, expected, {"collectionType": expected}) \
                    if is_coll else None
                report("SPC406", loc, var=var, node=node, expected=T.type_to_str(expected),
                       found="a list of bindings" if is_coll else "a map of bindings",
                       hint=hint or "")
                return None
            items = v.items if isinstance(v, ir.Collection) else list(v.items.values())
            sub = None
            ok = True
            for item in items:
                got = self.binding(n, var, item, expected[want], report)
                if got is None:
                    ok = False
                else:
                    sub = got
            if not ok:
                return None
            return {want: sub} if sub is not None else {want: {}}
        if isinstance(v, ir.PromiseValue):
            return self.promise(n, var, v.promise, expected, report)
        if isinstance(v, ir.Scalar):
            return self.scalar(n, var, v, expected, report)
        report("SPC406", loc, var=var, node=node, expected=T.type_to_str(expected),
               found=v.form)
        return None

    def scalar(self, n: ir.Node, var: str, v: ir.Scalar, expected: ir.Type,
               report: Report) -> ir.Type | None:
        lt = T.literal_type_for_scalar(v.raw)
        if lt is None:
            report("SPC413", v.loc, var=var, node=n.display_id,
                   reason="a blob needs 'metadata' with its type" if "blob" in v.raw
                   else "the scalar is empty")
            return None
        simple = lt.get("simple") if len(lt) == 1 else None
        if simple is None:
            castable = T.are_types_castable(lt, expected)
        else:
            kept = self.castable.get((simple, id(expected)))
            if kept is None:
                kept = self.castable[(simple, id(expected))] = (
                    expected, T.are_types_castable(lt, expected))
            castable = kept[1]
        if not castable:
            report("SPC402", v.loc.child("scalar"), target=self.target(n, var),
                   expected=T.type_to_str(expected), found=_literal_str(v.raw, lt))
            return None
        if "enumType" in expected:
            value = v.raw.get("primitive", {}).get("stringValue", "")
            values = expected["enumType"].get("values", [])
            if value not in values:
                report("SPC407", v.loc.child("scalar"), var=var, node=n.display_id, value=value,
                       choices=", ".join(f"'{x}'" for x in values))
                return None
        return lt

    def promise(self, n: ir.Node, var: str, p: ir.Promise, expected: ir.Type,
                report: Report) -> ir.Type | None:
        up = self.index.get(p.source_id)
        ui = self.res.interface(up) if up is not None else None
        if ui is None or p.name is None or p.name not in ui.outputs:
            return None  # reported by resolve-references, or not known
        full = ui.outputs[p.name]
        if full is None:
            return None  # an output without type: reported as such
        index, name = p.index, p.name
        source: dict[str, Any] | None = full

        def describe(suffix: str = "") -> str:
            if p.source_id == ir.START_NODE:
                return f"workflow input '{name}{suffix}'"
            return f"output '{p.source_id}.{name}{suffix}'"

        src_name = describe()
        if index is not None:
            if "collectionType" not in full:
                report("SPC411", p.loc.child("var"), source=src_name, index=index,
                       found=T.type_to_str(full))
                return None
            source = full["collectionType"]
        if p.attr_path:
            reached, missing = T.element_type_for_attr_path(source, p.attr_path)
            if reached is None:
                report("SPC410", p.loc.child("attrPath"), source=src_name,
                       found=T.type_to_str(full), field=missing)
                return None
            source = reached
        if not T.are_types_castable(source, expected):
            hint = _map_hint(n, var, expected, source) if source is not None else None
            report("SPC401", p.loc, target=self.target(n, var), expected=T.type_to_str(expected),
                   source=describe(_path_str(index, p.attr_path)), found=T.type_to_str(source),
                   hint=hint or "")
            return None
        return full

    def target(self, n: ir.Node, var: str) -> str:
        """What a binding feeds: a node's input, or (on end-node) the workflow's output."""
        if isinstance(n, ir.EndNode):
            return f"output '{var}' of workflow '{self.wf.id.name}'"
        return f"input '{var}' of node '{n.display_id}'"

    # -- branches --------------------------------------------------------------------------------
    def branch(self, n: ir.BranchNode) -> None:
        br = n.branch
        assert br is not None
        first: dict[str, ir.Type | None] | None = None
        for child in n.children():
            ci = self.res.interface(child)
            if ci is None:
                continue
            if first is None:
                first = ci.outputs
                continue
            for name in sorted(set(first) & set(ci.outputs)):
                a, b = first[name], ci.outputs[name]
                if a is not None and b is not None and not T.types_equal(a, b):
                    self.report("SPC414", child.loc, var=name, node=n.display_id,
                                found=T.type_to_str(b), expected=T.type_to_str(a))
        blocks = ([("the if-case", br.case)] if br.case else []) + [
            (f"else-if case {i + 1}", o) for i, o in enumerate(br.other)]
        for what, blk in blocks:
            if blk.condition is None:
                self.report("SPC417", blk.loc, what=what, node=n.display_id)
            else:
                self.condition(n, blk.condition, blk.loc.child("condition"), what)
        if br.else_node is None and not br.has_error:
            self.report("SPC418", br.loc.key(), node=n.display_id)

    def condition(self, n: ir.Node, expr: dict[str, Any], loc: Loc, what: str) -> None:
        iface = self.res.interface(n)
        assert iface is not None
        if "comparison" in expr:
            cmp = expr["comparison"]
            types: dict[str, ir.Type | None] = {}
            # Flyte's validateOperand: the right operand first, then the left
            for side in ("rightValue", "leftValue"):
                op = cmp.get(side)
                oloc = loc.child("comparison", side)
                types[side] = None
                if op is None:
                    self.report("SPC211", loc.child("comparison"),
                                what=f"the '{side}' of a comparison")
                elif "primitive" in op:
                    types[side] = T.literal_type_for_scalar({"primitive": op["primitive"]})
                elif op.get("var"):
                    t = iface.inputs.get(op["var"])
                    if t is None and op["var"] not in {b.var for b in n.inputs}:
                        self.report("SPC416", oloc.child("var"), node=n.display_id,
                                    var=op["var"], hint=hint(op["var"], iface.inputs))
                    types[side] = t
                elif "scalar" in op:
                    # flytekit's is_none() / == None writes a scalar operand, which Flyte's
                    # compiler does not read: ValueRequired, whatever the other side is
                    self.report("SPC420", oloc.child("scalar"), side=side, node=n.display_id,
                                found="a 'scalar'",
                                hint="; flytekit writes one for is_none() and == None, which "
                                     "Flyte 1.16 cannot register: compare against a variable, "
                                     "or test for none in a task")
                else:
                    self.report("SPC420", oloc.key() if "var" in op else oloc, side=side,
                                node=n.display_id,
                                found="an empty 'var'" if "var" in op else "nothing")
            lt, rt = types["leftValue"], types["rightValue"]
            if lt is not None and rt is not None and not T.types_equal(lt, rt):
                self.report("SPC415", loc.child("comparison", "rightValue"), node=n.display_id,
                            left=T.type_to_str(lt), right=T.type_to_str(rt))
        elif "conjunction" in expr:
            conj = expr["conjunction"]
            for side in ("leftExpression", "rightExpression"):
                sub = conj.get(side)
                if sub is None:
                    self.report("SPC417", loc.child("conjunction"), what=what,
                                node=n.display_id)
                else:
                    self.condition(n, sub, loc.child("conjunction", side), what)
        else:
            self.report("SPC211", loc, what="a comparison or conjunction in the condition")


def _map_hint(n: ir.Node, var: str, expected: ir.Type, found: ir.Type) -> str | None:
    """How map works, for a list bound to the scalar input of a map node's task: Flyte checks
    an array node's bindings against its task's own interface, so the mapped task is written
    with lists (as flytekit's map_task serializes it), not with the element types."""
    if not isinstance(n, ir.ArrayNode) or found.get("collectionType") is None or \
            not T.are_types_castable(found["collectionType"], expected):
        return None
    return (f"; a map node runs its task once per element, but Flyte checks the map node's "
            f"inputs against the task's own: declare the task's input '{var}' as "
            f"{T.type_to_str(found)}, as flytekit's map_task writes the task")


class _Collect:
    """A report that only notes the codes it is given (trying a union's variants)."""

    def __init__(self, into: list[str]) -> None:
        self.into = into

    def __call__(self, code: str, loc: Loc | None, related: Iterable[tuple[Loc, str]] = (),
                 **args: Any) -> None:
        self.into.append(code)


def _path_str(index: int | None, path: list[dict[str, Any]]) -> str:
    s = f"[{index}]" if index is not None else ""
    for a in path:
        if "stringValue" in a:
            s += f".{a['stringValue']}"
        else:
            s += f"[{a.get('intValue', 0)}]"
    return s


def _literal_str(scalar: dict[str, Any], lt: ir.Type) -> str:
    prim = scalar.get("primitive")
    if prim and len(prim) == 1:
        (k, v), = prim.items()
        if k == "stringValue":
            return f"{T.type_to_str(lt)} '{v}'"
        return f"{T.type_to_str(lt)} {v!r}"
    return T.type_to_str(lt)


def _unbound_hint(n: ir.Node) -> str:
    if isinstance(n, ir.LaunchPlanNode):
        return "; the launch plan has no default for it"
    return "; bind it under 'inputs'"
