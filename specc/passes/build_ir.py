"""build-ir: lower canonical documents into the IR (``specc.ir.Program``).

Reads only ``doc.canonical`` (set by check-schema, or by the protobuf front-end) and so knows
nothing of the input form. Reports definitions that clash: the same identifier defined twice with
different content.
"""
from __future__ import annotations

from specc import ir
from specc.diagnostics import Loc


def build_ir(ctx) -> None:
    prog = ir.Program()
    ctx.program = prog
    b = _Builder(ctx, prog)
    for doc in ctx.documents:
        c = doc.canonical
        if not c:
            continue
        root = doc.loc()
        kind = doc.kind
        if kind == "TaskSpec":
            b.task(c.get("template"), root.child("template"))
        elif kind == "TaskTemplate":
            b.task(c, root)
        elif kind == "Task":
            b.task(c.get("closure", {}).get("compiledTask", {}).get("template"),
                   root.child("closure", "compiledTask", "template"))
        elif kind == "WorkflowSpec":
            subs = b.sub_workflows(c.get("subWorkflows", []), root.child("subWorkflows"))
            b.primary(c.get("template"), root.child("template"), [s for s in subs if s])
        elif kind == "WorkflowTemplate":
            b.primary(c, root, [])
        elif kind == "WorkflowClosure":
            for i, t in enumerate(c.get("tasks", [])):  # TaskTemplates, not CompiledTasks
                b.task(t, root.child("tasks", i))
            wf = b.primary(c.get("workflow"), root.child("workflow"), [])
            if wf is not None:
                # Flyte's closure carries every task it was given, in the order given
                wf.tasks_in_doc = [ir.Identifier.from_raw(t.get("id")).key
                                   for t in c.get("tasks", [])]
        elif kind == "Workflow":
            cw = c.get("closure", {}).get("compiledWorkflow", {})
            base = root.child("closure", "compiledWorkflow")
            for i, t in enumerate(cw.get("tasks", [])):
                b.task(t.get("template"), base.child("tasks", i, "template"))
            subs = [b.workflow(s.get("template"), base.child("subWorkflows", i, "template"),
                               sub=True)
                    for i, s in enumerate(cw.get("subWorkflows", []))]
            b.primary(cw.get("primary", {}).get("template"), base.child("primary", "template"),
                      [s for s in subs if s])
        elif kind == "LaunchPlan":
            b.launch_plan(c, root)


class _Builder:
    def __init__(self, ctx, prog: ir.Program) -> None:
        self.ctx = ctx
        self.prog = prog

    def _register(self, table: dict, obj, what: str) -> bool:
        key = obj.id.key
        first = table.get(key)
        if first is None:
            table[key] = obj
            return True
        if first.raw != obj.raw:
            self.ctx.report("SPC208", obj.loc.child("id"),
                            related=[(first.loc.child("id"), "first defined here")],
                            kind=what, ref=obj.id.display())
        return False

    def task(self, raw: dict | None, loc: Loc) -> None:
        if raw is None:
            return
        t = ir.Task(ir.Identifier.from_raw(raw.get("id")), interface(raw.get("interface"),
                                                                       loc.child("interface")),
                    raw, loc)
        self._register(self.prog.tasks, t, "task")

    def primary(self, raw: dict | None, loc: Loc, subs: list[ir.Workflow]) -> ir.Workflow | None:
        wf = self.workflow(raw, loc, sub=False)
        if wf is None:
            return None
        if any(p is wf for p in self.prog.primaries):
            return wf  # the same workflow given twice, identically: one closure
        wf.sub_workflows = subs
        self.prog.primaries.append(wf)
        return wf

    def workflow(self, raw: dict | None, loc: Loc, sub: bool) -> ir.Workflow | None:
        if raw is None:
            return None
        wf = ir.Workflow(
            id=ir.Identifier.from_raw(raw.get("id")),
            interface=interface(raw.get("interface"), loc.child("interface")),
            nodes=[node(n, loc.child("nodes", i)) for i, n in enumerate(raw.get("nodes", []))],
            outputs=bindings(raw.get("outputs", []), loc.child("outputs")),
            failure_node=node(raw["failureNode"], loc.child("failureNode"))
            if "failureNode" in raw else None,
            raw=raw,
            loc=loc,
        )
        if not self._register(self.prog.workflows, wf, "workflow"):
            # defined again: identical (the first definition serves both) or reported as SPC208
            return self.prog.workflows[wf.id.key]
        return wf

    def sub_workflows(self, raws: list, loc: Loc) -> list[ir.Workflow]:
        subs: list[ir.Workflow] = []
        first: dict[tuple, Loc] = {}
        for i, raw in enumerate(raws):
            key = ir.Identifier.from_raw(raw.get("id")).key
            if key in first:
                self.ctx.report("SPC212", loc.child(i, "id"),
                                related=[(first[key], "first given here")],
                                ref=ir.Identifier.from_raw(raw.get("id")).display())
                continue
            first[key] = loc.child(i, "id")
            wf = self.workflow(raw, loc.child(i), sub=True)
            if wf is not None:
                subs.append(wf)
        return subs

    def launch_plan(self, raw: dict, loc: Loc) -> None:
        lp = ir.LaunchPlan(ir.Identifier.from_raw(raw.get("id")),
                           ir.Identifier.from_raw(raw.get("spec", {}).get("workflowId")), raw, loc)
        self._register(self.prog.launch_plans, lp, "launch plan")


def interface(raw: dict | None, loc: Loc) -> ir.Interface | None:
    if raw is None:
        return None

    def varmap(key: str) -> dict[str, ir.Variable]:
        vm = raw.get(key, {}).get("variables", {})
        vloc = loc.child(key, "variables")
        return {n: ir.Variable(n, v.get("type"), vloc.child(n)) for n, v in vm.items()}

    return ir.Interface(varmap("inputs"), varmap("outputs"), loc)


def bindings(raw: list, loc: Loc) -> list[ir.Binding]:
    return [ir.Binding(b.get("var", ""), b.get("binding"), loc.child(i)) for i, b in enumerate(raw)]


def node(raw: dict, loc: Loc) -> ir.Node:
    n = ir.Node(
        id=raw.get("id", ""),
        kind="",
        raw=raw,
        loc=loc,
        inputs=bindings(raw.get("inputs", []), loc.child("inputs")),
        upstream_ids=[(u, loc.child("upstreamNodeIds", i))
                      for i, u in enumerate(raw.get("upstreamNodeIds", []))],
        aliases=[(a.get("var", ""), a.get("alias", ""), loc.child("outputAliases", i))
                 for i, a in enumerate(raw.get("outputAliases", []))],
    )
    if "taskNode" in raw:
        n.kind = "task"
        tn = raw["taskNode"]
        if "referenceId" in tn:
            n.ref = ir.Identifier.from_raw(tn["referenceId"])
            n.ref_loc = loc.child("taskNode", "referenceId")
    elif "workflowNode" in raw:
        wn = raw["workflowNode"]
        if "launchplanRef" in wn:
            n.kind = "launchplan"
            n.ref = ir.Identifier.from_raw(wn["launchplanRef"])
            n.ref_loc = loc.child("workflowNode", "launchplanRef")
        else:
            n.kind = "workflow"
            if "subWorkflowRef" in wn:
                n.ref = ir.Identifier.from_raw(wn["subWorkflowRef"])
                n.ref_loc = loc.child("workflowNode", "subWorkflowRef")
    elif "branchNode" in raw:
        n.kind = "branch"
        bl = loc.child("branchNode", "ifElse")
        ie = raw["branchNode"].get("ifElse")
        if ie is not None:
            def block(b: dict, bloc: Loc) -> ir.IfBlock:
                return ir.IfBlock(b.get("condition"),
                                  node(b["thenNode"], bloc.child("thenNode"))
                                  if "thenNode" in b else None, bloc)

            n.branch = ir.Branch(
                case=block(ie["case"], bl.child("case")) if "case" in ie else None,
                other=[block(o, bl.child("other", i)) for i, o in enumerate(ie.get("other", []))],
                else_node=node(ie["elseNode"], bl.child("elseNode")) if "elseNode" in ie else None,
                has_error="error" in ie,
                loc=bl,
            )
    elif "gateNode" in raw:
        n.kind = "gate"
        n.gate = raw["gateNode"]
    elif "arrayNode" in raw:
        n.kind = "array"
        an = raw["arrayNode"]
        if "node" in an:
            n.sub_node = node(an["node"], loc.child("arrayNode", "node"))
    return n
