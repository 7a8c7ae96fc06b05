"""A workflow with required inputs and no launch plan that gives them values.

Every registered workflow gets a default launch plan, named like the workflow, whose inputs are
the workflow's: those without a default stay required. Such a workflow can be started only by
someone who types every required input, in the UI or on the command line; it cannot be scheduled,
and a trigger or another team cannot start it without knowing what to pass. When the workflow is
meant to run in production, the spec usually carries a launch plan with defaults or fixed inputs
(the nightly run, the backfill); when none of the workflow's launch plans gives every input a
value, specc says so.

specc judges only when it sees the workflow's launch plans: a workflow given without any launch
plan for it is not reported (its launch plans may live elsewhere, or the default one is made at
registration), nor is a workflow that other workflows run as a sub-workflow or through a launch
plan node, since its callers give its inputs.
"""
from __future__ import annotations

from specc.lint._util import all_nodes

CODE = "SPC612"


def _given(lp) -> set[str]:
    """Inputs a launch plan gives a value: fixed inputs, defaults, and its schedule's kickoff
    time input (the scheduler fills it)."""
    spec = lp.raw.get("spec")
    if not isinstance(spec, dict):
        return set()
    fixed = (spec.get("fixedInputs") or {}).get("literals") or {}
    params = (spec.get("defaultInputs") or {}).get("parameters") or {}
    out = set(fixed) if isinstance(fixed, dict) else set()
    if isinstance(params, dict):
        out |= {k for k, p in params.items() if isinstance(p, dict) and "default" in p}
    schedule = (spec.get("entityMetadata") or {}).get("schedule") or {}
    if isinstance(schedule, dict) and schedule.get("kickoffTimeInputArg"):
        out.add(schedule["kickoffTimeInputArg"])
    return out


def check(ctx, program, options) -> None:
    plans: dict[tuple, list] = {}
    for lp in program.launch_plans.values():
        plans.setdefault(lp.workflow_id.key, []).append(lp)
    called: set[tuple] = set()  # workflows run by other workflows
    for wf in program.workflows.values():
        for n in all_nodes(wf):
            if n.ref is None:
                continue
            if n.kind == "workflow":
                called.add(n.ref.key)
            elif n.kind == "launchplan":
                lp = program.launch_plans.get(n.ref.key)
                if lp is not None:
                    called.add(lp.workflow_id.key)
    for key, wf in program.workflows.items():
        lps = plans.get(key)
        if not lps or key in called or wf.interface is None or not wf.interface.inputs:
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
        ctx.report(CODE, wf.loc.child("id"),
                   related=[(lp.loc.child("id"), f"launch plan '{lp.id.name}' leaves "
                             f"{_listed(left[lp.id.key])} without a value") for lp in ordered],
                   workflow=wf.id.name, detail=detail)


def _listed(names: list[str]) -> str:
    q = [f"'{n}'" for n in names]
    return q[0] if len(q) == 1 else ", ".join(q[:-1]) + " and " + q[-1]
