"""SPC612 no-launch-plan-with-inputs: a workflow whose launch plans all leave an input required."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from specc import ir
from specc.diagnostics import Report
from specc.lint.rule import Rule


def _given(lp: ir.LaunchPlan) -> set[str]:
    """The workflow inputs a launch plan gives a value: fixed, defaulted, or the schedule's kickoff
    time input (the scheduler fills it)."""
    spec = lp.raw.get("spec", {})
    out = set(spec.get("fixedInputs", {}).get("literals", {}))
    params = spec.get("defaultInputs", {}).get("parameters", {})
    out |= {k for k, p in params.items() if "default" in p}
    schedule = spec.get("entityMetadata", {}).get("schedule", {})
    if schedule.get("kickoffTimeInputArg"):
        out.add(schedule["kickoffTimeInputArg"])
    return out


class NoLaunchPlanWithInputs(Rule):
    CODE = "SPC612"

    def __init__(self, options: dict[str, Any], facts: Any) -> None:
        super().__init__(options, facts)
        self.plans: dict[ir.Key, list[ir.LaunchPlan]] = {}
        self.called: set[ir.Key] = set()  # workflows run by other workflows
        self.workflows: list[ir.Workflow] = []

    def launch_plan(self, lp: ir.LaunchPlan, report: Report) -> None:
        self.plans.setdefault(lp.workflow_id.key, []).append(lp)

    def workflow(self, wf: ir.Workflow, report: Report) -> None:
        self.workflows.append(wf)

    def finish(self, report_for: Callable[[ir.Entity], Report]) -> None:
        program = self.facts.program
        for caller in program.of(ir.Workflow):  # with errors or not: its callees give no inputs
            for n in ir.walk.nodes(caller):
                if isinstance(n, ir.WorkflowNode) and n.ref is not None:
                    self.called.add(n.ref.key)
                elif isinstance(n, ir.LaunchPlanNode) and n.ref is not None:
                    lp = program.launch_plans.get(n.ref.key)
                    if lp is not None:
                        self.called.add(lp.workflow_id.key)
        for wf in self.workflows:
            key = wf.id.key
            lps = self.plans.get(key)
            if not lps or key in self.called or wf.interface is None or not wf.interface.inputs:
                continue
            inputs = set(wf.interface.inputs)
            if any(inputs <= _given(lp) for lp in lps):
                continue
            ordered = sorted(lps, key=lambda lp: lp.id.sort_key)
            left = {lp.id.key: [i for i in wf.interface.inputs if i not in _given(lp)]
                    for lp in ordered}
            if len(ordered) == 1:
                lp = ordered[0]
                detail = f"launch plan '{lp.id.name}' leaves {_listed(left[lp.id.key])} without one"
            else:
                detail = f"each of its {len(ordered)} launch plans leaves some without one"
            self.report(report_for(wf), wf.loc.child("id"),
                        related=[(lp.loc.child("id"), f"launch plan '{lp.id.name}' leaves "
                                  f"{_listed(left[lp.id.key])} without a value")
                                 for lp in ordered],
                        workflow=wf.id.name, detail=detail)


def _listed(names: list[str]) -> str:
    q = [f"'{n}'" for n in names]
    return q[0] if len(q) == 1 else ", ".join(q[:-1]) + " and " + q[-1]
