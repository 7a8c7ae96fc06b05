"""resolve-references: node ids, task / workflow / launch-plan references, and promises.

For every workflow (primaries and sub-workflows alike) this indexes the nodes, finds what each node
runs, computes each node's interface the way Flyte's compiler does (task interface, sub-workflow
interface, a launch plan's expected inputs, a branch's shared outputs, a gate's signal, an array's
sub-node), applies output aliases, and checks that every promise names an existing node and output
and every binding an existing input. Results are stored on the IR for the later passes:
``Node.interface`` and ``Workflow.node_index``.
"""
from __future__ import annotations

import difflib
import re

from specc import ir
from specc.diagnostics import Loc

_VAR = re.compile(r"(\[(?P<index>\d+)\]\.)?(?P<var>\w+)", re.ASCII)


def parse_var(var: str) -> tuple[int | None, str] | None:
    """Flyte's promise variable syntax: ``name`` or ``[i].name``; None when it does not parse.

    Flyte finds all matches of its pattern anywhere in the string and requires exactly one, so
    'a.b' (two matches) is refused while 'o0!' reads as 'o0'.
    """
    ms = list(_VAR.finditer(var))
    if len(ms) != 1:
        return None
    m = ms[0]
    idx = m.group("index")
    return (int(idx) if idx is not None else None), m.group("var")


def _hint(name: str, choices) -> str:
    close = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def resolve_references(ctx) -> None:
    prog: ir.Program = ctx.program
    r = Resolver(ctx, prog)
    for lp in prog.launch_plans.values():
        if lp.workflow_id.key not in prog.workflows:
            ctx.report("SPC216", lp.loc.child("spec", "workflowId"), ref=lp.id.display(),
                       workflow=lp.workflow_id.display())
    for wf in prog.workflows.values():
        r.workflow(wf)


def launch_plan_interface(prog: ir.Program, lp: ir.LaunchPlan) -> tuple[dict, dict] | None:
    """(parameters, outputs) a launch plan exposes, as FlyteAdmin computes its closure.

    A launch plan that carries its closure's expected inputs/outputs uses them; otherwise they are
    derived from its workflow's interface: inputs with a default keep the default's parameter,
    fixed inputs disappear, the rest become required.
    """
    closure = lp.raw.get("closure", {})
    # pyflyte writes empty expected inputs/outputs; only a registered plan's closure is filled
    if closure.get("expectedInputs") or closure.get("expectedOutputs"):
        return (closure["expectedInputs"].get("parameters", {}),
                closure["expectedOutputs"].get("variables", {}))
    wf = prog.workflows.get(lp.workflow_id.key)
    if wf is None:
        return None
    spec = lp.raw.get("spec", {})
    defaults = spec.get("defaultInputs", {}).get("parameters", {})
    fixed = spec.get("fixedInputs", {}).get("literals", {})
    params: dict[str, dict] = {}
    wf_iface = wf.raw.get("interface", {})
    for name, var in wf_iface.get("inputs", {}).get("variables", {}).items():
        if name in defaults:
            params[name] = defaults[name]
        elif name not in fixed:
            params[name] = {"var": var, "required": True}
    return params, wf_iface.get("outputs", {}).get("variables", {})


class Resolver:
    def __init__(self, ctx, prog: ir.Program) -> None:
        self.ctx = ctx
        self.prog = prog

    def report(self, code: str, loc: Loc, **args) -> None:
        self.ctx.report(code, loc, **args)

    # -- workflows -----------------------------------------------------------------------------
    def workflow(self, wf: ir.Workflow) -> None:
        wname = wf.id.name
        if not wf.nodes:
            return  # check-graph reports it; Flyte looks no further into such a workflow
        if not self.requirements(wf):
            return
        for which, vars_ in (("input", wf.interface.inputs if wf.interface else {}),
                             ("output", wf.interface.outputs if wf.interface else {})):
            for v in vars_.values():
                self.check_variable(v, which, f"workflow '{wname}'")
        start = ir.Node(ir.START_NODE, "start", {}, wf.loc, [], [], [])
        start.interface = ir.ResolvedInterface(
            {}, {n: v.type for n, v in (wf.interface.inputs if wf.interface else {}).items()})
        end = ir.Node(ir.END_NODE, "end", {}, wf.loc.child("outputs"), wf.outputs, [], [])
        end.interface = ir.ResolvedInterface(
            {n: v.type for n, v in (wf.interface.outputs if wf.interface else {}).items()}, {})
        index: dict[str, ir.Node] = {ir.START_NODE: start, ir.END_NODE: end}
        for n in wf.nodes:
            if not n.id:
                self.report("SPC211", n.loc, what="a node id",
                            hint="; give every node a unique 'id'")
                continue
            if n.id in (ir.START_NODE, ir.END_NODE):
                self.report("SPC207", n.loc.child("id"), node=n.id)
                continue
            first = index.get(n.id)
            if first is not None:
                self.ctx.report("SPC206", n.loc.child("id"),
                                related=[(first.loc.child("id"), "first used here")],
                                node=n.id, workflow=wname)
                continue
            index[n.id] = n
        wf.node_index = index
        scope = _Scope(wf, index)
        for n in wf.nodes:
            if index.get(n.id) is n:
                self.node(scope, n)
        if wf.failure_node is not None:
            self.node(scope, wf.failure_node)
        self.bindings(scope, end, check_params=True)

    def requirements(self, wf: ir.Workflow) -> bool:
        """Flyte checks first that every task and launch plan the workflow's nodes reference is
        given, and looks no further into the workflow when one is missing."""
        ok = True
        stack = list(wf.nodes) + ([wf.failure_node] if wf.failure_node else [])
        while stack:
            n = stack.pop()
            stack.extend(branch_children(n))
            if n.sub_node is not None:
                stack.append(n.sub_node)
            if n.ref is None:
                continue
            if n.kind == "task" and n.ref.key not in self.prog.tasks:
                self.report("SPC201", n.ref_loc, ref=n.ref.display(),
                            hint=_hint_id(n.ref, self.prog.tasks))
                ok = False
            elif n.kind == "launchplan" and n.ref.key not in self.prog.launch_plans:
                self.report("SPC203", n.ref_loc, ref=n.ref.display(),
                            hint=_hint_id(n.ref, self.prog.launch_plans))
                ok = False
        return ok

    def check_variable(self, v: ir.Variable, which: str, owner: str) -> None:
        if not v.name:
            self.report("SPC412", v.loc, what=f"an {which}", owner=owner, problem="has no name")
        elif v.type is None:
            self.report("SPC412", v.loc, what=f"{which} '{v.name}'", owner=owner,
                        problem="has no 'type'")

    # -- nodes -----------------------------------------------------------------------------------
    def node(self, scope: "_Scope", n: ir.Node) -> None:
        """Resolve n's interface, then its bindings, then branch children (recursively)."""
        self.interface(scope, n)
        for up, uloc in n.upstream_ids:
            if up not in scope.index:
                self.report("SPC205", uloc, ref=up, node=n.id, workflow=scope.wf.id.name,
                            hint=_hint(up, scope.index))
        if n.kind == "branch" and n.branch is not None:
            for child in branch_children(n):
                self.node(scope, child)
        check_params = n.kind not in ("branch",) and not (n.kind == "gate" and n.gate
                                                            and "approve" in n.gate)
        self.bindings(scope, n, check_params)

    def interface(self, scope: "_Scope", n: ir.Node) -> ir.ResolvedInterface | None:
        if n.interface is not None or id(n) in scope.resolving:
            return n.interface
        scope.resolving.add(id(n))
        try:
            base = self._underlying(scope, n)
        finally:
            scope.resolving.discard(id(n))
        if base is None:
            return None
        n.interface = self._aliased(n, base)
        return n.interface

    def _underlying(self, scope: "_Scope", n: ir.Node) -> ir.ResolvedInterface | None:
        kind = n.kind
        if kind == "task":
            if n.ref is None:
                self.report("SPC211", n.loc.child("taskNode"), what="'referenceId' of a task node",
                            hint="")
                return None
            task = self.prog.tasks.get(n.ref.key)
            if task is None:
                return None  # reported by requirements()
            for which, vs in (("input", task.interface.inputs if task.interface else {}),
                              ("output", task.interface.outputs if task.interface else {})):
                for v in vs.values():
                    self.check_variable(v, which, f"task '{task.id.name}'")
            return _from_interface(task.interface)
        if kind == "workflow":
            if n.ref is None:
                self.report("SPC211", n.loc.child("workflowNode"),
                            what="'subWorkflowRef' or 'launchplanRef' of a workflow node", hint="")
                return None
            sub = self.prog.workflows.get(n.ref.key)
            if sub is None:
                self.report("SPC202", n.ref_loc, ref=n.ref.display(),
                            hint=_hint_id(n.ref, self.prog.workflows))
                return None
            return _from_interface(sub.interface)
        if kind == "launchplan":
            lp = self.prog.launch_plans.get(n.ref.key)
            if lp is None:
                return None  # reported by requirements()
            got = launch_plan_interface(self.prog, lp)
            if got is None:
                return None  # reported as SPC216 at the launch plan
            params, outputs = got
            bound = {b.var for b in n.inputs}
            inputs = {name: p.get("var", {}).get("type") for name, p in params.items()
                      if p.get("required") or name in bound}
            return ir.ResolvedInterface(inputs, {k: v.get("type") for k, v in outputs.items()})
        if kind == "branch":
            return self._branch(scope, n)
        if kind == "gate":
            g = n.gate or {}
            if "approve" in g:
                types = self._binding_types(scope, n)
                return ir.ResolvedInterface(types, dict(types))
            if "signal" in g:
                sig = g["signal"]
                sloc = n.loc.child("gateNode", "signal")
                if "type" not in sig:
                    self.report("SPC211", sloc, what="the 'type' of a gate's signal", hint="")
                    return None
                if not sig.get("outputVariableName"):
                    self.report("SPC211", sloc, what="'outputVariableName' of a gate's signal",
                                hint="")
                    return None
                return ir.ResolvedInterface({}, {sig["outputVariableName"]: sig["type"]})
            if "sleep" in g:
                return ir.ResolvedInterface({}, {})
            self.report("SPC217", n.loc.child("gateNode"), node=n.id)
            return None
        if kind == "array":
            if n.sub_node is None:
                self.report("SPC211", n.loc.child("arrayNode"), what="the 'node' of an array node",
                            hint="")
                return None
            sub = self.interface(scope, n.sub_node)
            return ir.ResolvedInterface(dict(sub.inputs), dict(sub.outputs)) if sub else None
        self.report("SPC218", n.loc, node=n.id)
        return None

    def _aliased(self, n: ir.Node, base: ir.ResolvedInterface) -> ir.ResolvedInterface:
        if not n.aliases:
            return base
        seen: dict[str, str] = {}
        for var, alias, aloc in n.aliases:
            if var in seen:
                self.report("SPC213", aloc, var=var, node=n.id)
                continue
            seen[var] = alias
        outputs = {}
        for name, t in base.outputs.items():
            if name in seen:
                outputs[seen.pop(name)] = t
            else:
                outputs[name] = t
        for var, alias, aloc in n.aliases:
            if var in seen and seen[var] == alias:
                self.report("SPC214", aloc.child("var"), alias=alias, node=n.id, var=var)
        return ir.ResolvedInterface(base.inputs, outputs)

    def _branch(self, scope: "_Scope", n: ir.Node) -> ir.ResolvedInterface | None:
        br = n.branch
        bloc = n.loc.child("branchNode")
        if br is None:
            self.report("SPC211", bloc, what="'ifElse' of a branch node", hint="")
            return None
        if br.case is None:
            # Flyte goes on to validate the branch itself: no condition, and maybe no default
            self.report("SPC211", br.loc, what="the 'case' of a branch node",
                        hint="; a branch needs an if-case")
            self.report("SPC417", br.loc, what="the if-case", node=n.display_id)
            if br.else_node is None and not br.has_error:
                self.report("SPC418", br.loc.key(), node=n.display_id)
            return None
        if br.case.then_node is None:
            self.report("SPC211", br.case.loc, what="'thenNode' of the branch's case", hint="")
            return None
        for o in br.other:
            if o.then_node is None:
                self.report("SPC211", o.loc, what="'thenNode' of an else-if case", hint="")
        outputs: dict[str, dict] | None = None
        for child in branch_children(n):
            child.display_id = f"{n.display_id}-{child.id}"
            ci = self.interface(scope, child)
            if ci is None:
                continue
            if outputs is None:
                outputs = dict(ci.outputs)
            else:
                outputs = {k: v for k, v in outputs.items() if k in ci.outputs}
        if outputs is None:
            return None
        return ir.ResolvedInterface(self._binding_types(scope, n), outputs)

    def _binding_types(self, scope: "_Scope", n: ir.Node) -> dict[str, dict]:
        """Input types of a node whose interface comes from its bindings (branch, approve)."""
        from specc import types as T

        out: dict[str, dict] = {}
        for b in n.inputs:
            if b.var in out or b.data is None:
                continue
            t = binding_type(self, scope, b.data, T)
            if t is not None:
                out[b.var] = t
        return out

    # -- bindings ------------------------------------------------------------------------------
    def bindings(self, scope: "_Scope", n: ir.Node, check_params: bool) -> None:
        iface = n.interface
        for b in n.inputs:
            if check_params and iface is not None and b.var not in iface.inputs:
                target = _target_name(n)
                self.report("SPC210", b.loc.child("var"), node=n.id, var=b.var, target=target,
                            hint=_hint(b.var, iface.inputs))
            if b.data is not None:
                for ploc, promise in promises(b.data, b.loc.child("binding")):
                    self.promise(scope, promise, ploc, b.var)

    def promise(self, scope: "_Scope", p: dict, ploc: Loc, var: str):
        """The upstream node and output type a promise names, or None (reported)."""
        up_id = p.get("nodeId", "") or ir.START_NODE
        up = scope.index.get(up_id)
        if up is None:
            self.report("SPC204", ploc.child("nodeId"), ref=up_id, var=var,
                        workflow=scope.wf.id.name, hint=_hint(up_id, scope.index))
            return None
        parsed = parse_var(p.get("var", ""))
        if parsed is None:
            self.report("SPC215", ploc.child("var"), var=p.get("var", ""))
            return None
        index, name = parsed
        ui = self.interface(scope, up)
        if ui is None:
            return None
        if name not in ui.outputs:
            hint = _hint(name, ui.outputs)
            if up_id == ir.START_NODE:
                self.report("SPC219", ploc.child("var"), workflow=scope.wf.id.name, var=name,
                            hint=hint or "; declare it in the workflow's interface inputs")
            else:
                self.report("SPC209", ploc.child("var"), ref=up_id, var=name, hint=hint)
            return None
        return up, index, name, ui.outputs[name]


class _Scope:
    def __init__(self, wf: ir.Workflow, index: dict[str, ir.Node]) -> None:
        self.wf = wf
        self.index = index
        self.resolving: set[int] = set()


def branch_children(n: ir.Node) -> list[ir.Node]:
    br = n.branch
    if br is None:
        return []
    out = []
    for blk in ([br.case] if br.case else []) + br.other:
        if blk.then_node is not None:
            out.append(blk.then_node)
    if br.else_node is not None:
        out.append(br.else_node)
    return out


def promises(data: dict, loc: Loc):
    """Every promise (OutputReference) inside a BindingData, with its location."""
    stack = [(data, loc)]
    while stack:
        d, l = stack.pop()
        if "promise" in d:
            yield l.child("promise"), d["promise"]
        elif "collection" in d:
            for i, b in enumerate(d["collection"].get("bindings", [])):
                stack.append((b, l.child("collection", "bindings", i)))
        elif "map" in d:
            for k, b in d["map"].get("bindings", {}).items():
                stack.append((b, l.child("map", "bindings", k)))


def binding_type(res: Resolver, scope: _Scope, data: dict, T) -> dict | None:
    """The type a binding resolves to when no type is expected (branch and approve inputs)."""
    if "promise" in data:
        got = res.promise(scope, data["promise"], Loc(None), "")
        return got[3] if got else None
    if "scalar" in data:
        return T.literal_type_for_scalar(data["scalar"])
    return {"simple": "NONE"}


def _from_interface(iface: ir.Interface | None) -> ir.ResolvedInterface:
    if iface is None:
        return ir.ResolvedInterface({}, {})
    return ir.ResolvedInterface({n: v.type for n, v in iface.inputs.items()},
                                {n: v.type for n, v in iface.outputs.items()})


def _target_name(n: ir.Node) -> str:
    if n.kind == "task" and n.ref:
        return f"task '{n.ref.name}'"
    if n.kind == "workflow" and n.ref:
        return f"workflow '{n.ref.name}'"
    if n.kind == "launchplan" and n.ref:
        return f"launch plan '{n.ref.name}'"
    if n.id == ir.END_NODE:
        return "the workflow's outputs"
    return f"its {n.kind} target" if n.kind else "the node"


def _hint_id(ref: ir.Identifier, table: dict) -> str:
    names = {k[3]: v for k, v in table.items()}
    same = [v for k, v in table.items() if k[3] == ref.name]
    if same:
        other = same[0].id
        differ = [f"{f} '{getattr(other, f) or ''}' instead of '{getattr(ref, f) or ''}'"
                  for f in ("resource_type", "project", "domain", "version", "org")
                  if getattr(other, f) != getattr(ref, f)]
        return f"; '{ref.name}' is defined with " + ", ".join(differ)
    close = difflib.get_close_matches(ref.name, list(names), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""
