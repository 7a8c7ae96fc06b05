"""An admin.LaunchPlan as a ``LaunchPlan`` document: after its ``workflow``, the spec's parts
are constructs found through ``LAUNCH_PLAN`` (keyed by the dialect key each writes, in the
document's order)."""
from __future__ import annotations

from collections.abc import Callable

from specc.dialect.emit.base import RATE_KEYS, Builder
from specc.dialect.emit.names import reference
from specc.dialect.emit.types import type_value
from specc.dialect.emit.values import literal
from specc.dialect.lower import PHASES
from specc.yamlwrite import Commented


def launch_plan(b: Builder, lp: dict) -> Commented:
    """An admin.LaunchPlan -> LaunchPlan document."""
    d = b.header("LaunchPlan", lp.get("id", {}))
    spec = lp.get("spec", {})
    d["workflow"] = reference(b, spec.get("workflowId"))
    for construct in LAUNCH_PLAN.values():
        construct(b, spec, d)
    return d


def _inputs(b: Builder, spec: dict, d: dict) -> None:
    params = (spec.get("defaultInputs") or {}).get("parameters") or {}
    if params:
        d["inputs"] = {name: _parameter(b, name, p) for name, p in params.items()}


def _parameter(b: Builder, name: str, p: dict) -> object:
    """A Parameter: its type alone when it is required and has the default description, else
    ``{type, description, default | required}``."""
    var = p.get("var", {})
    typ = type_value(b, var.get("type"))
    desc = var.get("description")
    default_desc = name if b.pyflyte else None
    if set(p) <= {"var", "required"} and p.get("required") and desc == default_desc and \
            typ is not None:
        return typ
    e: dict = {}
    if typ is not None:
        e["type"] = typ
    if desc != default_desc and desc is not None:
        e["description"] = desc
    if "default" in p:
        e["default"] = literal(p["default"])
    elif "required" in p and not p["required"]:
        e["required"] = False  # (neither default nor required: a 'flyte:' fix)
    return e


def _fixed(b: Builder, spec: dict, d: dict) -> None:
    fixed = (spec.get("fixedInputs") or {}).get("literals") or {}
    if fixed:
        d["fixed"] = {k: literal(v) for k, v in fixed.items()}


def _schedule(b: Builder, spec: dict, d: dict) -> None:
    """``schedule: CRON`` alone, else ``{cron | every, kickoffInput}``."""
    sched = (spec.get("entityMetadata") or {}).get("schedule")
    if not sched:
        return
    s: dict = {}
    if "cronSchedule" in sched and set(sched["cronSchedule"]) == {"schedule"}:
        s["cron"] = sched["cronSchedule"]["schedule"]
    elif "rate" in sched and set(sched["rate"]) <= {"value", "unit"}:
        rate = sched["rate"]
        s["every"] = f"{rate.get('value', 0)}{RATE_KEYS.get(rate.get('unit', 'MINUTE'), 'm')}"
    if "kickoffTimeInputArg" in sched:
        s["kickoffInput"] = sched["kickoffTimeInputArg"]
    if set(s) == {"cron"}:
        d["schedule"] = s["cron"]
    elif s:
        d["schedule"] = s


def _notify(b: Builder, spec: dict, d: dict) -> None:
    notes = (spec.get("entityMetadata") or {}).get("notifications") or []
    if not notes:
        return
    out = []
    for note in notes:
        e = {"phases": [p.lower() for p in note.get("phases", []) if p in PHASES]}
        for k in ("email", "slack", "pagerDuty"):
            if k in note:
                e[k] = list(note[k].get("recipientsEmail", []))
                break
        out.append(e)
    d["notify"] = out


def _values(k: str) -> Callable[[Builder, dict, dict], None]:
    """``labels`` or ``annotations`` as a mapping."""
    def construct(b: Builder, spec: dict, d: dict) -> None:
        values = (spec.get(k) or {}).get("values")
        if values:
            d[k] = dict(values)
    return construct


LAUNCH_PLAN: dict[str, Callable[[Builder, dict, dict], None]] = {
    "inputs": _inputs,
    "fixed": _fixed,
    "schedule": _schedule,
    "notify": _notify,
    "labels": _values("labels"),
    "annotations": _values("annotations"),
}
