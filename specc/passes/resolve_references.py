"""resolve-references: node ids, task / workflow / launch-plan references, and promises.

For every workflow (primaries and sub-workflows alike) this indexes the nodes, finds what each node
runs, computes each node's interface the way Flyte's compiler does (task interface, sub-workflow
interface, a launch plan's expected inputs, a branch's shared outputs, a gate's signal, an array's
sub-node), applies output aliases, and checks that every promise names an existing node and output
and every binding an existing input. The findings are returned as an ``ir.Resolution``.

A reference to an entity that has errors of its own (its document failed check-schema), or that
no file defines while a file that did not load may hold it, is not checked: the node's interface
stays unknown, nothing that needs it is reported, and the workflow is counted as not checked
fully (``Resolution.unchecked``).

A task or launch-plan reference (or a launch plan's workflow) with an explicit project, domain
and version that nothing given defines is *external*: an entity registered elsewhere (flytekit's
``reference_task``, ``reference_launch_plan``). Without a catalogue it is no error: it is counted
(``Resolution.external``) and nothing behind it is checked, except that a name one edit away from
a defined entity is a warning (SPC220), since a typo must not hide behind "registered elsewhere".
With a catalogue (``catalog``: registered entities given with ``--catalog``, loaded like context)
every reference must resolve: one that matches nothing is an error (SPC221, SPC222).
"""
from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from specc import ir
from specc import types as T
from specc.diagnostics import Loc, Report, Suggest, closest, replace, resolve


def resolve_references(program: ir.Program, entities: Sequence[ir.Entity],
                       report_for: Callable[[ir.Entity], Report],
                       catalog: bool = False) -> ir.Resolution:
    """The resolution of ``entities`` (workflows and launch plans; others are ignored).
    ``catalog``: a catalogue of registered entities was given, so every reference must resolve."""
    res = ir.Resolution()
    for e in entities:
        if isinstance(e, ir.LaunchPlan):
            _launch_plan(program, res, e, report_for(e), catalog)
        elif isinstance(e, ir.Workflow):
            _Resolver(program, res, e, report_for(e), catalog).workflow()
    return res


def is_explicit(ref: ir.Identifier) -> bool:
    """Whether ``ref`` names a registered entity completely: project, domain and version given,
    none of them a ``{{ registration.* }}`` placeholder (those read as empty)."""
    return bool(ref.project and ref.domain and ref.version)


def _one_edit(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` differ by exactly one insertion, deletion or substitution."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i + 1:] == b[i + 1:] if len(a) == len(b) else a[i:] == b[i + 1:]


def _external(program: ir.Program, res: ir.Resolution, entity: ir.Entity, ref: ir.Identifier,
              loc: Loc | None, what: str, table: Mapping[ir.Key, ir.Entity], catalog: bool,
              report: Report) -> bool:
    """Handle ``ref`` (of kind ``what``), which nothing given defines, as a reference to an entity
    registered elsewhere. True when it is one (counted, or reported against the catalogue);
    False when it is not explicit, and so an ordinary missing reference."""
    if not is_explicit(ref):
        return False
    if catalog:
        at, h, fixes = _ref_suggest(loc, ref, table)
        if what == "task":
            report("SPC221", at, what=what, ref=ref.display(), hint=h, fixes=fixes)
        else:
            report("SPC222", at, what=what, ref=ref.display(), hint=h, fixes=fixes)
        return True
    near = sorted({k[3] for k in table if _one_edit(ref.name, k[3])})
    if near:
        report("SPC220", loc, what=what, ref=ref.display(), name=near[0])
    res.external.append(ir.Unchecked(entity, ref.display(), "is registered elsewhere", what))
    return True


def hint(name: str, choices: Iterable[str]) -> str:
    """'; did you mean 'x'?' for the closest of ``choices``, or ''."""
    close = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def suggest(loc: Loc, name: str, choices: Iterable[str], key_first: bool = False
            ) -> dict[str, Any]:
    """The ``hint`` and ``fixes`` of a misspelt ``name`` at ``loc``: did you mean the closest
    of ``choices``, and the fix that writes it there (the caret goes on the name)."""
    close = closest(name, choices)
    if close is None:
        return {}
    return {"hint": f"; did you mean '{close}'?",
            "fixes": [replace(loc, name, close, key_first=key_first)]}


def _ref_suggest(loc: Loc | None, ref: ir.Identifier, table: Mapping[ir.Key, ir.Entity]
                 ) -> tuple[Loc | None, str, list[Suggest]]:
    """Where to report a reference that matches nothing in ``table``, its hint, and its fix:
    on the misspelt name (with the fix) when a defined name is close to it, else on the
    whole reference."""
    h = _hint_id(ref, table)
    close = closest(ref.name, {k[3] for k in table}) if h.startswith("; did you mean") else None
    if loc is None or close is None:
        return loc, h, []
    at = loc.child("name")
    return at, h, [replace(at, ref.name, close)]


def _launch_plan(program: ir.Program, res: ir.Resolution, lp: ir.LaunchPlan,
                 report: Report, catalog: bool) -> None:
    wf = program.workflows.get(lp.workflow_id.key)
    if wf is None:
        if program.maybe_lost(lp.workflow_id.name):
            res.unchecked.append(ir.Unchecked(lp, lp.workflow_id.display(),
                                              "may be in a file that did not load", "workflow"))
            return
        if _external(program, res, lp, lp.workflow_id, lp.loc.child("spec", "workflowId"),
                     "workflow", program.workflows, catalog, report):
            return
        at, h, fixes = _ref_suggest(lp.loc.child("spec", "workflowId"), lp.workflow_id,
                                    program.workflows)
        report("SPC216", at, ref=lp.id.display(), workflow=lp.workflow_id.display(), hint=h,
               fixes=fixes)
        return
    if wf.broken:
        res.unchecked.append(ir.Unchecked(lp, wf.id.display(), "has errors", "workflow"))
        return
    got = launch_plan_interface(wf, lp)
    res.launch_plans[lp] = got


def launch_plan_interface(wf: ir.Workflow | None, lp: ir.LaunchPlan
                          ) -> tuple[dict[str, Any], dict[str, Any]]:
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
    if wf is None:
        return {}, {}
    spec = lp.raw.get("spec", {})
    defaults = spec.get("defaultInputs", {}).get("parameters", {})
    fixed = spec.get("fixedInputs", {}).get("literals", {})
    params: dict[str, Any] = {}
    wf_iface = wf.raw.get("interface", {})
    for name, var in wf_iface.get("inputs", {}).get("variables", {}).items():
        if name in defaults:
            params[name] = defaults[name]
        elif name not in fixed:
            params[name] = {"var": var, "required": True}
    return params, wf_iface.get("outputs", {}).get("variables", {})


class _Resolver:
    """The resolution of one workflow."""

    def __init__(self, program: ir.Program, res: ir.Resolution, wf: ir.Workflow,
                 report: Report, catalog: bool = False) -> None:
        self.catalog = catalog
        self.program = program
        self.res = res
        self.wf = wf
        self.report = report
        self.index: dict[str, ir.Node] = {}
        self.resolving: set[ir.Node] = set()
        self.known: dict[ir.Node, bool] = {}  # a node's interface was computed (even as None)
        self.unknown: set[ir.Node] = set()  # nodes whose target could not be checked
        self.outside: set[ir.Node] = set()  # nodes running an entity registered elsewhere

    # -- the workflow ----------------------------------------------------------------------------
    def workflow(self) -> None:
        wf = self.wf
        if not wf.nodes:
            return  # check-graph reports it; Flyte looks no further into such a workflow
        if not self.requirements():
            return
        if wf.primary and self.recursion():
            return
        for which, vars_ in (("input", wf.interface.inputs if wf.interface else {}),
                             ("output", wf.interface.outputs if wf.interface else {})):
            for v in vars_.values():
                self.check_variable(v, which, f"workflow '{wf.id.name}'")
        assert wf.start is not None and wf.end is not None
        iface = wf.interface
        self.set(wf.start, ir.ResolvedInterface({}, iface.input_types() if iface else {}))
        self.set(wf.end, ir.ResolvedInterface(iface.output_types() if iface else {}, {}))
        index: dict[str, ir.Node] = {ir.START_NODE: wf.start, ir.END_NODE: wf.end}
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
                self.report("SPC206", n.loc.child("id"),
                            related=[(first.loc.child("id"), "first used here")],
                            node=n.id, workflow=wf.id.name)
                continue
            index[n.id] = n
        self.index = index
        self.res.index[wf] = index
        for n in wf.nodes:
            if index.get(n.id) is n:
                self.node(n)
        if wf.failure_node is not None:
            self.node(wf.failure_node)
        self.bindings(wf.end, check_params=True)

    def requirements(self) -> bool:
        """Flyte checks first that every task and launch plan the workflow's nodes reference is
        given, and looks no further into the workflow when one is missing."""
        ok = True
        for n in ir.walk.nodes(self.wf):
            if not isinstance(n, (ir.TaskNode, ir.LaunchPlanNode)) or n.ref is None:
                continue
            table: Mapping[ir.Key, ir.Entity] = self.program.tasks \
                if isinstance(n, ir.TaskNode) else self.program.launch_plans
            if n.ref.key in table or self.program.maybe_lost(n.ref.name):
                continue
            what = "task" if isinstance(n, ir.TaskNode) else "launch plan"
            if _external(self.program, self.res, self.wf, n.ref, n.ref_loc, what, table,
                         self.catalog, self.report):
                self.outside.add(n)
                ok = ok and not self.catalog
                continue
            at, h, fixes = _ref_suggest(n.ref_loc, n.ref, table)
            if isinstance(n, ir.TaskNode):
                self.report("SPC201", at, ref=n.ref.display(), hint=h, fixes=fixes)
            else:
                self.report("SPC203", at, ref=n.ref.display(), hint=h, fixes=fixes)
            ok = False
        return ok

    def recursion(self) -> bool:
        """Whether a sub-workflow reachable from this workflow references itself, directly or
        through others (reported). FlyteAdmin's requirement walk follows sub-workflow references
        with no memory of where it has been, so such a spec crashes it instead of registering."""
        on_path: list[ir.Workflow] = []
        done: set[ir.Workflow] = set()

        def visit(wf: ir.Workflow) -> bool:
            on_path.append(wf)
            for n in ir.walk.nodes(wf):
                if not isinstance(n, ir.WorkflowNode) or n.ref is None:
                    continue
                sub = wf.scope.get(n.ref.key) or self.program.workflows.get(n.ref.key)
                if sub is None or sub.broken or sub in done:
                    continue
                if sub in on_path:
                    loop = [*on_path[on_path.index(sub):], sub]
                    self.report("SPC231", n.ref_loc, ref=sub.id.name,
                                path=" → ".join(w.id.name for w in loop))
                    return True
                if visit(sub):
                    return True
            on_path.pop()
            done.add(wf)
            return False

        return visit(self.wf)

    def check_variable(self, v: ir.Variable, which: str, owner: str) -> None:
        if not v.name:
            self.report("SPC412", v.loc, what=f"an {which}", owner=owner, problem="has no name")
        elif v.type is None:
            self.report("SPC412", v.loc, what=f"{which} '{v.name}'", owner=owner,
                        problem="has no 'type'")

    def unchecked(self, n: ir.Node, ref: ir.Identifier, why: str, what: str) -> None:
        """``n`` runs ``ref``, which cannot be checked: its interface stays unknown."""
        self.unknown.add(n)
        self.res.unchecked.append(ir.Unchecked(self.wf, ref.display(), why, what))

    # -- nodes -----------------------------------------------------------------------------------
    def set(self, n: ir.Node, iface: ir.ResolvedInterface | None) -> None:
        self.known[n] = True
        if iface is not None:
            self.res.interfaces[n] = iface

    def node(self, n: ir.Node) -> None:
        """Resolve n's interface, then its bindings, then branch children (recursively)."""
        self.interface(n)
        for up, uloc in n.upstream_ids:
            if up not in self.index:
                self.report("SPC205", uloc, ref=up, node=n.id, workflow=self.wf.id.name,
                            **suggest(uloc, up, self.index))
        if isinstance(n, ir.BranchNode) and n.branch is not None:
            for child in n.children():
                self.node(child)
        check_params = not isinstance(n, (ir.BranchNode, ir.ApproveGateNode))
        self.bindings(n, check_params)

    def interface(self, n: ir.Node) -> ir.ResolvedInterface | None:
        if n in self.known or n in self.resolving:
            return self.res.interfaces.get(n)
        self.resolving.add(n)
        try:
            base = self._underlying(n)
        finally:
            self.resolving.discard(n)
        self.set(n, self._aliased(n, base) if base is not None else None)
        return self.res.interfaces.get(n)

    def _underlying(self, n: ir.Node) -> ir.ResolvedInterface | None:
        return _KINDS.get(type(n), _Resolver._unknown_kind)(self, n)

    def _task(self, n: ir.Node) -> ir.ResolvedInterface | None:
        assert isinstance(n, ir.TaskNode)
        if n.ref is None:
            self.report("SPC211", n.loc.child("taskNode"), what="'referenceId' of a task node")
            return None
        task = self.program.tasks.get(n.ref.key)
        if task is None:  # reported by requirements(), unless a file that did not load has it
            if n in self.outside:
                self.unknown.add(n)  # registered elsewhere: counted by requirements()
                return None
            self.unchecked(n, n.ref, "may be in a file that did not load", "task")
            return None
        if task.broken:
            self.unchecked(n, n.ref, "has errors", "task")
            return None
        self.res.targets[n] = task
        for which, vs in (("input", task.interface.inputs if task.interface else {}),
                          ("output", task.interface.outputs if task.interface else {})):
            for v in vs.values():
                self.check_variable(v, which, f"task '{task.id.name}'")
        return _from_interface(task.interface)

    def _sub_workflow(self, n: ir.Node) -> ir.ResolvedInterface | None:
        assert isinstance(n, ir.WorkflowNode)
        if n.ref is None:
            self.report("SPC230", n.loc.child("workflowNode"), node=n.id)
            return None
        sub = self.wf.scope.get(n.ref.key) or self.program.workflows.get(n.ref.key)
        if sub is None:
            if self.program.maybe_lost(n.ref.name):
                self.unchecked(n, n.ref, "may be in a file that did not load", "workflow")
                return None
            at, h, fixes = _ref_suggest(n.ref_loc, n.ref, self.program.workflows)
            self.report("SPC202", at, ref=n.ref.display(), hint=h, fixes=fixes)
            return None
        if sub.broken:
            self.unchecked(n, n.ref, "has errors", "workflow")
            return None
        self.res.targets[n] = sub
        if sub.interface is None:
            # Flyte types the node from the sub-workflow's interface before it compiles (and
            # so fills in) the sub-workflow: ValueRequired (WorkflowNode.Template.Interface)
            self.report("SPC211", n.ref_loc,
                        what=f"the 'interface' of sub-workflow '{sub.id.name}'",
                        hint=f"; Flyte needs it to type node '{n.id}', give the sub-workflow "
                             f"one, even if empty ('interface: {{}}')")
            return None
        return _from_interface(sub.interface)

    def _launch_plan(self, n: ir.Node) -> ir.ResolvedInterface | None:
        assert isinstance(n, ir.LaunchPlanNode) and n.ref is not None
        lp = self.program.launch_plans.get(n.ref.key)
        if lp is None:  # reported by requirements(), unless a file that did not load has it
            if n in self.outside:
                self.unknown.add(n)  # registered elsewhere: counted by requirements()
                return None
            self.unchecked(n, n.ref, "may be in a file that did not load", "launch plan")
            return None
        wf = self.program.workflows.get(lp.workflow_id.key)
        if lp.broken or (wf is not None and wf.broken):
            self.unchecked(n, n.ref, "has errors", "launch plan")
            return None
        closure = lp.raw.get("closure", {})
        if wf is None and not (closure.get("expectedInputs") or closure.get("expectedOutputs")):
            if is_explicit(lp.workflow_id) and not self.catalog:
                # the launch plan's workflow is registered elsewhere: counted at the plan
                self.unknown.add(n)
                self.res.external.append(ir.Unchecked(self.wf, lp.workflow_id.display(),
                                                      "is registered elsewhere", "workflow"))
            return None  # reported as SPC216 at the launch plan
        self.res.targets[n] = lp
        params, outputs = launch_plan_interface(wf, lp)
        bound = {b.var for b in n.inputs}
        inputs = {name: p.get("var", {}).get("type") for name, p in params.items()
                  if p.get("required") or name in bound}
        return ir.ResolvedInterface(inputs, {k: v.get("type") for k, v in outputs.items()})

    def _approve(self, n: ir.Node) -> ir.ResolvedInterface | None:
        types = self._binding_types(n)
        return ir.ResolvedInterface(types, dict(types))

    def _signal(self, n: ir.Node) -> ir.ResolvedInterface | None:
        assert isinstance(n, ir.SignalGateNode)
        sloc = n.loc.child("gateNode", "signal")
        if n.signal_type is None:
            self.report("SPC211", sloc, what="the 'type' of a gate's signal")
            return None
        if not n.output_var:
            self.report("SPC211", sloc, what="'outputVariableName' of a gate's signal")
            return None
        return ir.ResolvedInterface({}, {n.output_var: n.signal_type})

    def _sleep(self, n: ir.Node) -> ir.ResolvedInterface | None:
        return ir.ResolvedInterface({}, {})

    def _gate(self, n: ir.Node) -> ir.ResolvedInterface | None:
        self.report("SPC217", n.loc.child("gateNode"), node=n.id)
        return None

    def _array(self, n: ir.Node) -> ir.ResolvedInterface | None:
        assert isinstance(n, ir.ArrayNode)
        if n.sub_node is None:
            self.report("SPC211", n.loc.child("arrayNode"), what="the 'node' of an array node")
            return None
        sub = self.interface(n.sub_node)
        if n.sub_node in self.unknown:
            self.unknown.add(n)
        return ir.ResolvedInterface(dict(sub.inputs), dict(sub.outputs)) if sub else None

    def _unknown_kind(self, n: ir.Node) -> ir.ResolvedInterface | None:
        self.report("SPC218", n.loc, node=n.id)
        return None

    def _branch(self, n: ir.Node) -> ir.ResolvedInterface | None:
        assert isinstance(n, ir.BranchNode)
        br = n.branch
        if br is None:
            self.report("SPC211", n.loc.child("branchNode"), what="'ifElse' of a branch node")
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
            self.report("SPC211", br.case.loc, what="'thenNode' of the branch's case")
            return None
        for o in br.other:
            if o.then_node is None:
                self.report("SPC211", o.loc, what="'thenNode' of an else-if case")
        outputs: dict[str, ir.Type | None] | None = None
        unknown = False
        for child in n.children():
            ci = self.interface(child)
            if ci is None:
                unknown = unknown or child in self.unknown
                continue
            if outputs is None:
                outputs = dict(ci.outputs)
            else:
                outputs = {k: v for k, v in outputs.items() if k in ci.outputs}
        if unknown:
            self.unknown.add(n)  # the cases' shared outputs are not known
            return None
        if outputs is None:
            return None
        return ir.ResolvedInterface(self._binding_types(n), outputs)

    def _binding_types(self, n: ir.Node) -> dict[str, ir.Type | None]:
        """Input types of a node whose interface comes from its bindings (branch, approve)."""
        out: dict[str, ir.Type | None] = {}
        for b in n.inputs:
            if b.var in out or b.value is None:
                continue
            t = self.binding_type(b.value)
            if t is not None:
                out[b.var] = t
        return out

    def binding_type(self, v: ir.BindingValue) -> ir.Type | None:
        """The type a binding resolves to when no type is expected (branch and approve inputs)."""
        if isinstance(v, ir.PromiseValue):
            got = self.promise(v.promise, "", quiet=True)
            return got[1] if got else None
        if isinstance(v, ir.Scalar):
            return T.literal_type_for_scalar(v.raw)
        return {"simple": "NONE"}

    def _aliased(self, n: ir.Node, base: ir.ResolvedInterface) -> ir.ResolvedInterface:
        if not n.aliases:
            return base
        seen: dict[str, str] = {}
        for a in n.aliases:
            if a.var in seen:
                self.report("SPC213", a.loc, var=a.var, node=n.id)
                continue
            seen[a.var] = a.alias
        outputs = {}
        for name, t in base.outputs.items():
            if name in seen:
                outputs[seen.pop(name)] = t
            else:
                outputs[name] = t
        for a in n.aliases:
            if a.var in seen and seen[a.var] == a.alias:
                self.report("SPC214", a.loc.child("var"), alias=a.alias, node=n.id, var=a.var)
        return ir.ResolvedInterface(base.inputs, outputs)

    # -- bindings --------------------------------------------------------------------------------
    def bindings(self, n: ir.Node, check_params: bool) -> None:
        iface = self.res.interfaces.get(n)
        for b in n.inputs:
            if check_params and iface is not None and b.var not in iface.inputs:
                self.report("SPC210", b.loc.child("var"), node=n.id, var=b.var,
                            target=_target_name(n),
                            **suggest(b.loc.child("var"), b.var, iface.inputs, key_first=True))
            for p in b.promises():
                self.promise(p, b.var)

    def promise(self, p: ir.Promise, var: str, quiet: bool = False
                ) -> tuple[ir.Node, ir.Type | None] | None:
        """The upstream node and output type a promise names, or None (reported unless
        ``quiet``, or unknown)."""
        report: Report = self.report if not quiet else _silent
        up = self.index.get(p.source_id)
        if up is None:
            report("SPC204", p.loc.child("nodeId"), ref=p.source_id, var=var,
                   workflow=self.wf.id.name,
                   **_node_suggest(p.loc.child("nodeId"), p.source_id, self.index))
            return None
        if p.name is None:
            report("SPC215", p.loc.child("var"), var=p.var)
            return None
        ui = self.interface(up)
        if ui is None:
            return None
        if p.name not in ui.outputs:
            got = suggest(p.loc.child("var"), p.name, ui.outputs)
            if p.source_id == ir.START_NODE:
                got.setdefault("hint", "; declare it in the workflow's interface inputs")
                report("SPC219", p.loc.child("var"), workflow=self.wf.id.name, var=p.name,
                       **got)
            else:
                report("SPC209", p.loc.child("var"), ref=p.source_id, var=p.name, **got)
            return None
        return up, ui.outputs[p.name]


def _node_suggest(loc: Loc, node_id: str, index: Iterable[str]) -> dict[str, Any]:
    """``suggest`` for a promise's node id. A node id close to 'inputs' that is close to no node
    is a slip for the workflow's inputs: '${input.x}' in the dialect, where '${inputs.x}' is
    meant (fixed), or 'nodeId: inputs' in Flyte's form, where a workflow input is a promise
    without a node id."""
    index = list(index)
    if closest(node_id, index) is None and closest(node_id, ["inputs"], 0.8) is not None:
        source, span, _, _ = resolve(loc)
        written = source.text_at(span) if source is not None and span is not None else None
        if written is not None and "${" in written:  # the dialect's reference
            if node_id == "inputs":
                return {}
            return {"hint": "; did you mean 'inputs' ('${inputs.<name>}' is a workflow "
                            "input)?",
                    "fixes": [replace(loc, node_id, "inputs")]}
        return {"hint": "; a workflow input is a promise without 'nodeId' (or with 'nodeId: "
                        "start-node')"}
    return suggest(loc, node_id, index)


def _silent(code: str, loc: Loc | None, related: Iterable[tuple[Loc, str]] = (),
            **args: Any) -> None:
    """A report that drops what it is given (a promise looked at a second time)."""


_KINDS: dict[type, Callable[[_Resolver, ir.Node], ir.ResolvedInterface | None]] = {
    ir.TaskNode: _Resolver._task,
    ir.WorkflowNode: _Resolver._sub_workflow,
    ir.LaunchPlanNode: _Resolver._launch_plan,
    ir.BranchNode: _Resolver._branch,
    ir.ApproveGateNode: _Resolver._approve,
    ir.SignalGateNode: _Resolver._signal,
    ir.SleepGateNode: _Resolver._sleep,
    ir.GateNode: _Resolver._gate,
    ir.ArrayNode: _Resolver._array,
}


def _from_interface(iface: ir.Interface | None) -> ir.ResolvedInterface:
    if iface is None:
        return ir.ResolvedInterface({}, {})
    return ir.ResolvedInterface(iface.input_types(), iface.output_types())


def _target_name(n: ir.Node) -> str:
    if isinstance(n, (ir.TaskNode, ir.WorkflowNode, ir.LaunchPlanNode)) and n.ref:
        what = {"task": "task", "workflow": "workflow", "launchplan": "launch plan"}[n.KIND]
        return f"{what} '{n.ref.name}'"
    if isinstance(n, ir.EndNode):
        return "the workflow's outputs"
    return f"its {n.KIND} target" if n.KIND else "the node"


def _hint_id(ref: ir.Identifier, table: Mapping[ir.Key, ir.Entity]) -> str:
    names = {k[3] for k in table}
    same = [v for k, v in table.items() if k[3] == ref.name]
    if same:
        other = same[0].id
        differ = [f"{f} '{getattr(other, f) or ''}' instead of '{getattr(ref, f) or ''}'"
                  for f in ("resource_type", "project", "domain", "version", "org")
                  if getattr(other, f) != getattr(ref, f)]
        return f"; '{ref.name}' is defined with " + ", ".join(differ)
    close = difflib.get_close_matches(ref.name, list(names), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""
