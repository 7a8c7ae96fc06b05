"""check-types: every binding against the type it feeds, with Flyte's castability rules.

Follows Flyte's ``ValidateBindings``: a literal's type must cast to the input's type (and an enum
input takes only its values); a promise's output type (after an index and attribute path) must cast
to it; collections and maps bind element by element; a collection or map bound to a union must fit
exactly one variant. Required inputs and workflow outputs must be bound, once. Branches: the cases
must agree on the types of shared outputs, and condition operands must have one type.
"""
from __future__ import annotations

from specc import ir
from specc import types as T
from specc.diagnostics import Loc
from specc.passes.resolve_references import branch_children, parse_var


def check_types(ctx) -> None:
    for wf in ctx.program.workflows.values():
        if not wf.node_index:
            continue
        c = _Checker(ctx, wf)
        for n in wf.nodes:
            if wf.node_index.get(n.id) is n:
                c.node(n)
        if wf.failure_node is not None:
            c.node(wf.failure_node)
        c.bindings(wf.node_index[ir.END_NODE], end=True)


class _Checker:
    def __init__(self, ctx, wf: ir.Workflow) -> None:
        self.ctx = ctx
        self.wf = wf

    def node(self, n: ir.Node) -> None:
        if n.interface is None:
            return
        if n.kind == "branch":
            self.branch(n)
            for child in branch_children(n):
                self.node(child)
            return
        if n.kind == "gate" and n.gate and "approve" in n.gate:
            return  # its interface is made from its bindings
        self.bindings(n)

    # -- bindings --------------------------------------------------------------------------------
    def bindings(self, n: ir.Node, end: bool = False) -> None:
        params = n.interface.inputs
        bound: set[str] = set()
        for b in n.inputs:
            if b.var not in params:
                continue  # reported by resolve-references
            if b.data is None:
                self.ctx.report("SPC211", b.loc, what=f"the 'binding' of input '{b.var}'",
                                hint="")
                continue
            if b.var in bound:
                self.ctx.report("SPC405", b.loc.child("var"), var=b.var, node=n.display_id)
                continue
            bound.add(b.var)
            expected = params[b.var]
            if expected is None:
                continue  # reported as a variable without type
            self.binding(n, b.var, b.data, expected, b.loc.child("binding"), self.ctx.report)
        for name, t in params.items():
            if name in bound or t is None:
                continue
            if T.is_optional_type(t):
                variants = t["unionType"].get("variants", [])
                if not end and not any(v.get("simple") == "NONE" for v in variants):
                    self.ctx.report("SPC419", n.loc, var=name, type=T.type_to_str(t),
                                    node=n.display_id)
                continue
            if end:
                self.ctx.report("SPC404", self.wf.interface.outputs[name].loc, var=name,
                                type=T.type_to_str(t), workflow=self.wf.id.name)
            else:
                self.ctx.report("SPC403", n.loc, var=name, type=T.type_to_str(t),
                                node=n.display_id, hint=_unbound_hint(n))

    def binding(self, n: ir.Node, var: str, data: dict, expected: dict, loc: Loc, report):
        """The resolved type of one BindingData, or None after reporting through ``report``."""
        node = n.display_id
        if "unionType" in expected and ("collection" in data or "map" in data or not data):
            matches = []
            for variant in expected["unionType"].get("variants", []):
                errs: list = []
                got = self.binding(n, var, data, variant,
                                   loc, lambda *a, **k: errs.append(a))
                if got is not None and not errs:
                    matches.append(variant)
            if len(matches) == 1:
                return self.binding(n, var, data, matches[0], loc, report)
            if matches:
                report("SPC408", loc, var=var, node=node, expected=T.type_to_str(expected),
                       first=T.type_to_str(matches[0]), second=T.type_to_str(matches[1]))
            else:
                report("SPC409", loc, var=var, node=node, expected=T.type_to_str(expected))
            return None
        if "collection" in data or "map" in data:
            is_coll = "collection" in data
            want = "collectionType" if is_coll else "mapValueType"
            if want not in expected:
                report("SPC406", loc, var=var, node=node, expected=T.type_to_str(expected),
                       found="a list of bindings" if is_coll else "a map of bindings")
                return None
            if is_coll:
                items = [(loc.child("collection", "bindings", i), b)
                         for i, b in enumerate(data["collection"].get("bindings", []))]
            else:
                items = [(loc.child("map", "bindings", k), b)
                         for k, b in data["map"].get("bindings", {}).items()]
            sub = None
            ok = True
            for iloc, item in items:
                got = self.binding(n, var, item, expected[want], iloc, report)
                if got is None:
                    ok = False
                else:
                    sub = got
            if not ok:
                return None
            return {want: sub} if sub is not None else {want: {}}
        if "promise" in data:
            return self.promise(n, var, data["promise"], expected, loc.child("promise"), report)
        if "scalar" in data:
            lt = T.literal_type_for_scalar(data["scalar"])
            if lt is None:
                report("SPC413", loc, var=var, node=node,
                       reason="a blob needs 'metadata' with its type" if "blob" in
                       data["scalar"] else "the scalar is empty")
                return None
            if not T.are_types_castable(lt, expected):
                report("SPC402", loc.child("scalar"), target=self.target(n, var),
                       expected=T.type_to_str(expected), found=_literal_str(data["scalar"], lt))
                return None
            if "enumType" in expected:
                value = data["scalar"].get("primitive", {}).get("stringValue", "")
                values = expected["enumType"].get("values", [])
                if value not in values:
                    report("SPC407", loc.child("scalar"), var=var, node=node, value=value,
                           choices=", ".join(f"'{v}'" for v in values))
                    return None
            return lt
        form = "offloaded data" if "offloadedMetadata" in data else "an empty binding"
        report("SPC406", loc, var=var, node=node, expected=T.type_to_str(expected), found=form)
        return None

    def promise(self, n: ir.Node, var: str, p: dict, expected: dict, loc: Loc, report):
        up_id = p.get("nodeId", "") or ir.START_NODE
        up = self.wf.node_index[up_id]
        index, name = parse_var(p.get("var", ""))
        full = up.interface.outputs[name]
        source = full
        def describe(suffix: str = "") -> str:
            if up_id == ir.START_NODE:
                return f"workflow input '{name}{suffix}'"
            return f"output '{up_id}.{name}{suffix}'"

        src_name = describe()
        if index is not None:
            if "collectionType" not in full:
                report("SPC411", loc.child("var"), source=src_name, index=index,
                       found=T.type_to_str(full))
                return None
            source = full["collectionType"]
        path = p.get("attrPath", [])
        if path:
            source, missing = T.element_type_for_attr_path(source, path)
            if source is None:
                report("SPC410", loc.child("attrPath"), source=src_name,
                       found=T.type_to_str(full), field=missing)
                return None
        if not T.are_types_castable(source, expected):
            report("SPC401", loc, target=self.target(n, var), expected=T.type_to_str(expected),
                   source=describe(_path_str(index, path)), found=T.type_to_str(source))
            return None
        return full

    def target(self, n: ir.Node, var: str) -> str:
        """What a binding feeds: a node's input, or (on end-node) the workflow's output."""
        if n.id == ir.END_NODE:
            return f"output '{var}' of workflow '{self.wf.id.name}'"
        return f"input '{var}' of node '{n.display_id}'"

    # -- branches ---------------------------------------------------------------------------------
    def branch(self, n: ir.Node) -> None:
        br = n.branch
        first: dict | None = None
        for child in branch_children(n):
            ci = child.interface
            if ci is None:
                continue
            if first is None:
                first = ci.outputs
                continue
            for name in sorted(set(first) & set(ci.outputs)):
                if not T.types_equal(first[name], ci.outputs[name]):
                    self.ctx.report("SPC414", child.loc, var=name, node=n.display_id,
                                    found=T.type_to_str(ci.outputs[name]),
                                    expected=T.type_to_str(first[name]))
        blocks = ([("the if-case", br.case)] if br.case else []) + [
            (f"else-if case {i + 1}", o) for i, o in enumerate(br.other)]
        for what, blk in blocks:
            if blk.condition is None:
                self.ctx.report("SPC417", blk.loc, what=what, node=n.display_id)
            else:
                self.condition(n, blk.condition, blk.loc.child("condition"), what)
        if br.else_node is None and not br.has_error:
            self.ctx.report("SPC418", br.loc.key(), node=n.display_id)

    def condition(self, n: ir.Node, expr: dict, loc: Loc, what: str) -> None:
        if "comparison" in expr:
            cmp = expr["comparison"]
            types = []
            for side in ("leftValue", "rightValue"):
                op = cmp.get(side)
                oloc = loc.child("comparison", side)
                if op is None:
                    self.ctx.report("SPC211", loc.child("comparison"),
                                    what=f"the '{side}' of a comparison", hint="")
                    types.append(None)
                elif "primitive" in op:
                    types.append(T.literal_type_for_scalar({"primitive": op["primitive"]}))
                elif op.get("var"):
                    t = n.interface.inputs.get(op["var"])
                    if t is None and op["var"] not in {b.var for b in n.inputs}:
                        from specc.passes.resolve_references import _hint

                        self.ctx.report("SPC416", oloc.child("var"), node=n.display_id,
                                        var=op["var"], hint=_hint(op["var"], n.interface.inputs))
                    types.append(t)
                elif "scalar" in op:
                    types.append(T.literal_type_for_scalar(op["scalar"]))
                else:
                    self.ctx.report("SPC211", oloc, what=f"a value for '{side}'", hint="")
                    types.append(None)
            lt, rt = types
            if lt is not None and rt is not None and not T.types_equal(lt, rt):
                self.ctx.report("SPC415", loc.child("comparison", "rightValue"), node=n.display_id,
                                left=T.type_to_str(lt), right=T.type_to_str(rt))
        elif "conjunction" in expr:
            conj = expr["conjunction"]
            for side in ("leftExpression", "rightExpression"):
                sub = conj.get(side)
                if sub is None:
                    self.ctx.report("SPC417", loc.child("conjunction"), what=what,
                                    node=n.display_id)
                else:
                    self.condition(n, sub, loc.child("conjunction", side), what)
        else:
            self.ctx.report("SPC211", loc, what="a comparison or conjunction in the condition",
                            hint="")


def _path_str(index, path) -> str:
    s = f"[{index}]" if index is not None else ""
    for a in path:
        if "stringValue" in a:
            s += f".{a['stringValue']}"
        else:
            s += f"[{a.get('intValue', 0)}]"
    return s


def _literal_str(scalar: dict, lt: dict) -> str:
    prim = scalar.get("primitive")
    if prim:
        (k, v), = prim.items() if len(prim) == 1 else (("", ""),)
        if k:
            return f"{T.type_to_str(lt)} {v!r}" if not isinstance(v, str) or k != "stringValue" \
                else f"{T.type_to_str(lt)} '{v}'"
    return T.type_to_str(lt)


def _unbound_hint(n: ir.Node) -> str:
    if n.kind == "launchplan":
        return "; the launch plan has no default for it"
    return "; bind it under 'inputs'"
