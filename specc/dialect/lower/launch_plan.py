"""A ``LaunchPlan`` -> admin.LaunchPlan.

Its keys are constructs found through ``ENTITY_METADATA`` (``schedule``, ``notify``) and
``SPEC`` (``inputs``, ``fixed``, ``labels``, ``annotations``), applied in the tables' order,
which is the order the fields have in the produced data."""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from specc.dialect.lower.base import PHASES, RATE_UNITS, Lowering, esc
from specc.dialect.lower.names import identifier, reference
from specc.dialect.lower.types import is_raw_type, lower_type
from specc.dialect.lower.values import literal

# a construct: (the lowering, the launch plan document, the element it fills)
Construct = Callable[[Lowering, dict, dict], None]


def lower_launch_plan(lw: Lowering, d: dict) -> dict:
    """A LaunchPlan document -> admin.LaunchPlan (its ``workflow`` is required)."""
    lp: dict = {"id": identifier("LAUNCH_PLAN", lw.ident)}
    lw.map("/id", "/name" if "name" in d else "")
    spec: dict = {}
    lw.map("/spec", "")
    if "workflow" not in d:
        lw.issue("SPC041", "/kind", what="a LaunchPlan", field="workflow")
    else:
        spec["workflowId"] = reference(lw, d["workflow"], "/workflow", "WORKFLOW", "workflow")
        lw.map("/spec/workflowId", "/workflow")
    em: dict = {}
    for key, construct in ENTITY_METADATA.items():
        if key in d:
            construct(lw, d, em)
    if em or lw.pyflyte:
        spec["entityMetadata"] = em
    for key, construct in SPEC.items():
        if key in d:
            construct(lw, d, spec)
        elif lw.pyflyte:
            spec[PYFLYTE_SPEC[key]] = {}
    if lw.pyflyte:
        spec["rawOutputDataConfig"] = {}
    lp["spec"] = spec
    if lw.pyflyte:
        lp["closure"] = {"expectedInputs": {}, "expectedOutputs": {}}
    return lp


# ---- schedule and notifications ---------------------------------------------------------------

def _schedule(lw: Lowering, d: dict, em: dict) -> None:
    """``schedule: CRON`` or ``schedule: {cron | every, kickoffInput}``."""
    v = d["schedule"]
    if isinstance(v, str):
        lw.map("/spec/entityMetadata/schedule", "/schedule")
        em["schedule"] = {"cronSchedule": {"schedule": v}}
        return
    body = lw.mapping(v, "/schedule", "schedule")
    if body is None:
        return
    lw.keys(body, ("cron", "every", "kickoffInput"), "/schedule", "schedule")
    lw.map("/spec/entityMetadata/schedule", "/schedule")
    out: dict = {}
    if "cron" in body and "every" in body:
        lw.issue("SPC033", "/schedule/every", field="schedule", expected="'cron' or 'every'",
                 found="both")
    if "cron" in body:
        s = lw.string(body["cron"], "/schedule/cron", "cron")
        out["cronSchedule"] = {"schedule": s or ""}
        lw.map("/spec/entityMetadata/schedule/cronSchedule", "/schedule/cron")
    elif "every" in body:
        _rate(lw, body["every"], out)
    if "kickoffInput" in body:
        out["kickoffTimeInputArg"] = body["kickoffInput"]
        lw.map("/spec/entityMetadata/schedule/kickoffTimeInputArg", "/schedule/kickoffInput")
    em["schedule"] = out


def _rate(lw: Lowering, e: Any, out: dict) -> None:
    """``every: 10m`` (m, h or d; several parts such as ``1h30m`` add up) -> FixedRate."""
    rate = rate_of(e.strip()) if isinstance(e, str) else None
    if rate is None:
        lw.issue("SPC037", "/schedule/every", field="every",
                 value=e if isinstance(e, str) else repr(e),
                 hint="; a schedule's rate is whole minutes, hours or days, several in a row if "
                      "needed: 10m, 2h, 1h30m, 1d (Flyte's fixed rates have no seconds)")
        return
    out["rate"] = rate
    lw.map("/spec/entityMetadata/schedule/rate", "/schedule/every")


def rate_of(text: str) -> dict[str, Any] | None:
    """'10m', '2h', '1d' -> Flyte's FixedRate {value, unit}; several parts ('1h30m') add up in
    the smallest unit written (90 MINUTE). None when it is not whole minutes, hours or days."""
    parts = re.findall(r"(\d+)([mhd])", text)
    if not parts or "".join(n + u for n, u in parts) != text:
        return None
    if len(parts) == 1:
        return {"value": int(parts[0][0]), "unit": RATE_UNITS[parts[0][1]]}
    minutes = {"m": 1, "h": 60, "d": 1440}
    unit = min((u for _, u in parts), key=minutes.__getitem__)
    total = sum(int(n) * minutes[u] for n, u in parts) // minutes[unit]
    return {"value": total, "unit": RATE_UNITS[unit]}


def _notifications(lw: Lowering, d: dict, em: dict) -> None:
    v = d["notify"]
    if not isinstance(v, list):
        lw.wrong("/notify", "notify", "a list of notifications", v)
        return
    out: list[dict] = []
    for i, n in enumerate(v):
        note = _notification(lw, n, i, len(out))
        if note is not None:
            out.append(note)
    if out:
        em["notifications"] = out


def _notification(lw: Lowering, n: Any, i: int, index: int) -> dict | None:
    """Notification ``i``, ``{phases, email | slack | pagerDuty}`` -> Notification (produced
    at ``index``)."""
    src = f"/notify/{i}"
    body = lw.mapping(n, src, f"notify[{i}]")
    if body is None:
        return None
    lw.keys(body, ("phases", "email", "slack", "pagerDuty"), src, "a notification")
    canon = f"/spec/entityMetadata/notifications/{index}"
    lw.map(canon, src)
    note: dict = {"phases": _phases(lw, body, src, canon)}
    kinds = [k for k in ("email", "slack", "pagerDuty") if k in body]
    for k in kinds[:1]:
        r = body[k]
        note[k] = {"recipientsEmail": [r] if isinstance(r, str) else r}
        lw.map(f"{canon}/{k}", f"{src}/{k}")
    if len(kinds) > 1:
        lw.issue("SPC033", f"{src}/{kinds[1]}", field=kinds[1],
                 expected="one of email, slack or pagerDuty per notification",
                 found="more than one")
    return note


def _phases(lw: Lowering, body: dict, src: str, canon: str) -> list[str]:
    """``phases`` (names in any case; one alone may be a string) -> WorkflowExecution.Phase."""
    phases = body.get("phases", [])
    if isinstance(phases, str):
        phases = [phases]
    if not isinstance(phases, list):
        lw.wrong(f"{src}/phases", "phases", "a list of phases", phases)
        phases = []
    out: list[str] = []
    for j, ph in enumerate(phases):
        up = str(ph).upper()
        if up not in PHASES:
            lw.issue("SPC033", f"{src}/phases/{j}", field="phases",
                     expected="one of " + ", ".join(p.lower() for p in PHASES), found=repr(ph))
            continue
        lw.map(f"{canon}/phases/{len(out)}", f"{src}/phases/{j}")
        out.append(up)
    return out


ENTITY_METADATA: dict[str, Construct] = {
    "schedule": _schedule,
    "notify": _notifications,
}


# ---- inputs, fixed inputs, labels, annotations ------------------------------------------------

def _default_inputs(lw: Lowering, d: dict, spec: dict) -> None:
    body = lw.mapping(d["inputs"], "/inputs", "inputs")
    lw.map("/spec/defaultInputs", "/inputs")
    params = {name: _parameter(lw, name, p) for name, p in (body or {}).items()}
    spec["defaultInputs"] = {"parameters": params} if params else {}


def _parameter(lw: Lowering, name: str, spec: Any) -> dict:
    """A type, or ``{type, description, default, required}`` -> Parameter (required unless it
    has a default)."""
    psrc = f"/inputs/{esc(name)}"
    pcanon = f"/spec/defaultInputs/parameters/{esc(name)}"
    lw.map(pcanon, psrc)
    var: dict = {}
    p: dict = {}
    if isinstance(spec, dict) and not is_raw_type(spec):
        _parameter_fields(lw, name, spec, psrc, pcanon, var, p)
    else:
        t = lower_type(lw, spec, psrc, f"{pcanon}/var/type")
        if t is not None:
            var["type"] = t
        p["required"] = True
    if "description" not in var and lw.pyflyte:
        var["description"] = name
    return {"var": var, **p}


def _parameter_fields(lw: Lowering, name: str, spec: dict, psrc: str, pcanon: str, var: dict,
                      p: dict) -> None:
    lw.keys(spec, ("type", "description", "default", "required"), psrc,
            f"launch plan input '{name}'")
    if "type" in spec:
        t = lower_type(lw, spec["type"], f"{psrc}/type", f"{pcanon}/var/type")
        if t is not None:
            var["type"] = t
    else:
        lw.issue("SPC041", psrc, what=f"launch plan input '{name}'", field="type")
    if "description" in spec:
        var["description"] = lw.string(spec["description"], f"{psrc}/description",
                                       "description")
    if "default" in spec:
        lit = literal(lw, spec["default"], f"{psrc}/default", f"{pcanon}/default")
        if lit is not None:
            p["default"] = lit
    if "required" in spec:
        p["required"] = spec["required"]
        lw.map(f"{pcanon}/required", f"{psrc}/required")
    elif "default" not in spec:
        p["required"] = True


def _fixed_inputs(lw: Lowering, d: dict, spec: dict) -> None:
    body = lw.mapping(d["fixed"], "/fixed", "fixed")
    lits = {}
    for name, v in (body or {}).items():
        lit = literal(lw, v, f"/fixed/{esc(name)}", f"/spec/fixedInputs/literals/{esc(name)}")
        if lit is not None:
            lits[name] = lit
    spec["fixedInputs"] = {"literals": lits} if lits else {}


def _values(k: str) -> Construct:
    """``labels`` or ``annotations`` (string -> string) -> Labels or Annotations."""
    def construct(lw: Lowering, d: dict, spec: dict) -> None:
        body = lw.mapping(d[k], f"/{k}", k)
        if body is None:
            return
        spec[k] = {"values": {kk: lw.string(v, f"/{k}/{esc(kk)}", f"{k}.{kk}", allow_int=True)
                              or "" for kk, v in body.items()}} if body else {}
        lw.map(f"/spec/{k}", f"/{k}")
    return construct


SPEC: dict[str, Construct] = {
    "inputs": _default_inputs,
    "fixed": _fixed_inputs,
    "labels": _values("labels"),
    "annotations": _values("annotations"),
}
# the field each key fills, which pyflyte writes empty when the key is not given
PYFLYTE_SPEC = {"inputs": "defaultInputs", "fixed": "fixedInputs", "labels": "labels",
                "annotations": "annotations"}
