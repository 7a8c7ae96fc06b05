"""A dialect document -> the flyteidl document its ``kind`` says (``KINDS``), with its
``flyte:`` overrides applied and its pointer map closed."""
from __future__ import annotations

import difflib
from collections.abc import Callable

from specc.dialect import API_VERSION
from specc.dialect import KINDS as KIND_NAMES
from specc.dialect.lower.base import (
    LAUNCH_PLAN_KEYS,
    TASK_KEYS,
    WORKFLOW_KEYS,
    Lowered,
    Lowering,
)
from specc.dialect.lower.launch_plan import lower_launch_plan
from specc.dialect.lower.names import identity
from specc.dialect.lower.overlay import close_map, overlay
from specc.dialect.lower.task import lower_task
from specc.dialect.lower.workflow import lower_workflow, sub_workflows


def lower(data: dict) -> Lowered:
    """Lower one dialect document (plain data, a mapping). The result has the flyteidl kind and
    data (None when ``apiVersion`` or ``kind`` is wrong), the pointer map and every issue."""
    lw = Lowering(data)
    d = data
    if not _header(lw, d):
        return lw.out
    style = d.get("style")
    if style is not None and style != "pyflyte":
        lw.issue("SPC033", "/style", field="style", expected="'pyflyte' (or no 'style')",
                 found=repr(style) if not isinstance(style, str) else f"'{style}'")
    lw.pyflyte = style == "pyflyte"
    lw.ident = identity(lw, d, "", required=True)
    out = KINDS[d["kind"]](lw, d)
    overlay(lw, out, d.get("flyte"), "/flyte", "")
    lw.out.data = out
    close_map(lw, out, "")
    return lw.out


def _header(lw: Lowering, d: dict) -> bool:
    """Whether ``apiVersion`` is the dialect's and ``kind`` one it has (else SPC030, SPC031)."""
    api = d.get("apiVersion")
    if api != API_VERSION:
        lw.issue("SPC030", "/apiVersion", found=api if isinstance(api, str) else repr(api))
        return False
    kind = d.get("kind")
    if kind not in KIND_NAMES:
        close = difflib.get_close_matches(str(kind), KIND_NAMES, n=1, cutoff=0.5)
        lw.issue("SPC031", "/kind" if "kind" in d else "",
                 found=kind if isinstance(kind, str) else repr(kind),
                 hint=f"; did you mean '{close[0]}'?" if close else "")
        return False
    return True


def _task_spec(lw: Lowering, d: dict) -> dict:
    lw.keys(d, TASK_KEYS, "", "a Task")
    lw.out.kind = "TaskSpec"
    data = {"template": lower_task(lw, d)}
    lw.map("/template", "")
    return data


def _workflow_spec(lw: Lowering, d: dict) -> dict:
    lw.keys(d, WORKFLOW_KEYS, "", "a Workflow")
    lw.out.kind = "WorkflowSpec"
    data: dict = {"template": lower_workflow(lw, d, "", "/template", lw.ident)}
    lw.map("/template", "")
    subs = sub_workflows(lw, d)
    if subs:
        data["subWorkflows"] = subs
    return data


def _launch_plan(lw: Lowering, d: dict) -> dict:
    lw.keys(d, LAUNCH_PLAN_KEYS, "", "a LaunchPlan")
    lw.out.kind = "LaunchPlan"
    return lower_launch_plan(lw, d)


KINDS: dict[str, Callable[[Lowering, dict], dict]] = {
    "Task": _task_spec,
    "Workflow": _workflow_spec,
    "LaunchPlan": _launch_plan,
}
