"""check-registration: what FlyteAdmin checks when a task, workflow or launch plan is registered.

Beyond the workflow compiler: task templates (type, metadata, interface, container image and
command, resource quantities, requests against limits, GPU rules, pod specs), identifiers, and
launch plans (inputs against the workflow's interface, parameter shapes, schedules and their cron
syntax, notifications, labels). Checks that depend on a deployment (platform resource limits, the
node limit, domains, the task-type allow-list) run only when ``options.platform`` sets them.
Empty project, domain and version are normal before registration and never reported.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from specc import cron, ir, quantity
from specc import types as T
from specc.diagnostics import Loc, Report, json_kind
from specc.passes.resolve_references import hint
from specc.platform import Platform

_CHECKED = ("CPU", "MEMORY", "GPU", "EPHEMERAL_STORAGE")
_DNS1123_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
_LABEL_NAME = re.compile(r"^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")
_DNS1123_SUB = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
_TERMINAL = {"SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"}


def check_registration(program: ir.Program, entities: Sequence[ir.Entity],
                       report_for: Callable[[ir.Entity], Report],
                       platform: Platform | None) -> None:
    platform = platform or Platform()
    for e in entities:
        report = report_for(e)
        if isinstance(e, ir.Task):
            _task(report, e, platform)
        elif isinstance(e, ir.Workflow):
            _identifier(report, e.id, e.loc, "WORKFLOW", f"workflow '{e.id.name}'", platform)
            if platform.max_workflow_nodes and len(e.nodes) > platform.max_workflow_nodes:
                report("SPC517", e.loc.child("nodes"), workflow=e.id.name,
                       count=len(e.nodes), limit=platform.max_workflow_nodes)
        elif isinstance(e, ir.LaunchPlan):
            _launch_plan(report, program, e, platform)


def _identifier(report: Report, ident: ir.Identifier, loc: Loc, want: str, what: str,
                platform: Platform) -> None:
    iloc = loc.child("id")
    if not ident.name:
        report("SPC515", iloc, what=f"the identifier of {what}", problem="it has no 'name'")
    if ident.resource_type not in ("UNSPECIFIED", want):
        report("SPC515", iloc.child("resourceType"), what=f"the identifier of {what}",
                   problem=f"its resourceType is {ident.resource_type}, but FlyteAdmin expects "
                           f"{want}")
    if platform.domains and ident.domain and ident.domain not in platform.domains:
        report("SPC518", iloc.child("domain"), domain=ident.domain,
                   domains=", ".join(platform.domains))


# -- tasks ---------------------------------------------------------------------------------------
def _task(report: Report, task: ir.Task, platform: Platform) -> None:
    raw = task.raw
    name = task.id.name
    loc = task.loc
    _identifier(report, task.id, loc, "TASK", f"task '{name}'", platform)
    ttype = task.type
    if not ttype:
        report("SPC501", loc.key(), task=name)
    elif platform.task_type_allowlist and ttype in platform.task_type_allowlist:
        scopes = platform.task_type_allowlist[ttype]
        ok = any(not p or (p == task.id.project and (not d or d == task.id.domain))
                 for p, d in scopes)
        if not ok:
            report("SPC516", loc.child("type"), type=ttype,
                       scope=f" for {task.id.project or '<project>'}/"
                             f"{task.id.domain or '<domain>'}")
    if not task.metadata.present:
        report("SPC502", loc.key(), task=name)
    elif "runtime" in raw["metadata"] and not raw["metadata"]["runtime"].get("version"):
        report("SPC503", loc.child("metadata", "runtime"), task=name)
    if "interface" not in raw:
        report("SPC504", loc.key(), task=name)
    c = task.container
    if c is not None:
        if not c.image:
            report("SPC505", c.loc, task=name)
        has_vars = task.interface is not None and (task.interface.inputs
                                                   or task.interface.outputs)
        if has_vars and not c.command and not c.args:
            report("SPC506", c.loc, task=name)
        if c.resources is not None:
            _resources(report, name, c.resources, platform)
    if "k8sPod" in raw:
        pod = raw["k8sPod"]
        ploc = loc.child("k8sPod")
        spec = pod.get("podSpec")
        if spec is None:
            report("SPC513", ploc, task=name)
        else:
            _pod_spec(report, name, spec, ploc.child("podSpec"), platform)


def _resources(report: Report, task: str, res: ir.Resources, platform: Platform) -> None:
    values: dict[str, dict[str, tuple[Any, str, Loc]]] = {"requests": {}, "limits": {}}
    for which, entries in (("requests", res.requests), ("limits", res.limits)):
        for r in entries:
            q = quantity.parse(r.value)
            if q is None:
                report("SPC507", r.loc, value=r.value, resource=f"{which} {r.name}")
                continue
            if r.name not in _CHECKED:
                continue
            if r.name in values[which]:
                report("SPC508", _name_loc(r.loc), resource=r.name, which=which, task=task)
                continue
            values[which][r.name] = (q, r.value, r.loc)
    _compare(report, task, values["requests"], values["limits"], platform)


def _name_loc(value_loc: Loc) -> Loc:
    """The 'name' beside a resource entry's 'value'."""
    return Loc(value_loc.doc, value_loc.pointer.rsplit("/", 1)[0] + "/name")


def _compare(report: Report, task: str, requests: dict, limits: dict, platform: Platform) -> None:
    for rname in _CHECKED:
        req = requests.get(rname)
        lim = limits.get(rname)
        if rname == "GPU":
            for which, got in (("request", req), ("limit", lim)):
                if got is not None and (got[0] * 1000) % 1000 != 0:
                    report("SPC510", got[2], which=which, value=got[1], task=task)
            if req is not None and lim is not None and \
                    quantity.rounded(req[0]) != quantity.rounded(lim[0]):
                report("SPC511", req[2], request=req[1], limit=lim[1], task=task)
        elif req is not None and lim is not None and \
                quantity.rounded(lim[0]) < quantity.rounded(req[0]):
            report("SPC509", req[2], resource=rname, request=req[1], limit=lim[1], task=task)
        plat = platform.limits.get(rname)
        pq = quantity.parse(plat) if plat else None
        if pq is not None and pq != 0 and req is not None:
            # FlyteAdmin's validateResource loops over the requests only: a limit is compared
            # with the platform's only beside a request, and a GPU limit never
            for which, got in (("limit", lim if rname != "GPU" else None), ("request", req)):
                if got is not None and quantity.rounded(got[0]) > quantity.rounded(pq):
                    report("SPC512", got[2], resource=rname, which=which, value=got[1],
                               limit=plat, task=task)


def _pod_spec(report: Report, task: str, spec: object, loc: Loc, platform: Platform) -> None:
    if not isinstance(spec, dict):
        report("SPC514", loc, task=task, problem="it must be a mapping")
        return
    containers = spec.get("containers")
    if containers is None:
        return
    if not isinstance(containers, list):
        report("SPC514", loc.child("containers"), task=task,
                   problem="'containers' must be a list")
        return
    for where, value, expected in _shape_problems(spec, _POD_SPEC, ()):
        report("SPC514", loc.child(*where), task=task,
               problem=f"'{_path(where)}' must be {expected}, found {json_kind(value)}")
    for i, c in enumerate(containers):
        cl = loc.child("containers", i)
        if not isinstance(c, dict):
            report("SPC514", cl, task=task, problem=f"container {i} must be a mapping")
            continue
        cname = c.get("name", "")
        if not isinstance(cname, str) or len(cname) > 63 or not _DNS1123_LABEL.match(cname):
            report("SPC514", cl.child("name"), task=task,
                       problem=f"container name '{cname}' is not a DNS-1123 label (lowercase "
                               f"letters, digits and '-', at most 63 characters)")
        res = c.get("resources", {})
        if not isinstance(res, dict):
            continue
        values = {}
        for which in ("requests", "limits"):
            got = {}
            for key, value in (res.get(which) or {}).items():
                rname = {"cpu": "CPU", "memory": "MEMORY", "gpu": "GPU",
                         "ephemeral-storage": "EPHEMERAL_STORAGE"}.get(key.lower())
                if rname is None:
                    continue
                q = quantity.parse(str(value))
                vloc = cl.child("resources", which, key)
                if q is None:
                    report("SPC507", vloc, value=value, resource=f"{which} {key}")
                    continue
                got[rname] = (q, str(value), vloc)
            values[which] = got
        _compare(report, task, values["requests"], values["limits"], platform)


# The fields of a Kubernetes PodSpec whose JSON type is not a string, and the strings around them:
# FlyteAdmin refuses a pod spec that does not decode into corev1.PodSpec. A list holds one shape,
# a dict maps field names (or '*', any key) to shapes. Names, resources and the structure above
# containers are checked on their own.
_STR, _INT, _BOOL = "a string", "an integer", "a boolean"
_CONTAINER: dict[str, Any] = {
    "image": _STR, "command": [_STR], "args": [_STR], "workingDir": _STR,
    "imagePullPolicy": _STR,
    "env": [{"name": _STR, "value": _STR}],
    "ports": [{"containerPort": _INT, "hostPort": _INT, "name": _STR, "protocol": _STR}],
    "volumeMounts": [{"name": _STR, "mountPath": _STR, "readOnly": _BOOL, "subPath": _STR}],
}
_POD_SPEC: dict[str, Any] = {
    "containers": [_CONTAINER], "initContainers": [_CONTAINER],
    "nodeSelector": {"*": _STR}, "serviceAccountName": _STR, "restartPolicy": _STR,
    "hostNetwork": _BOOL, "terminationGracePeriodSeconds": _INT, "priorityClassName": _STR,
    "schedulerName": _STR, "volumes": [{"name": _STR}],
    "tolerations": [{"key": _STR, "operator": _STR, "value": _STR, "effect": _STR,
                     "tolerationSeconds": _INT}],
}


def _shape_problems(value: Any, shape: Any, where: tuple[Any, ...]
                    ) -> list[tuple[tuple[Any, ...], Any, str]]:
    """(path, value, what it must be) for every value in ``value`` that does not decode as
    ``shape`` the way Go's encoding/json decodes into Kubernetes' types (null is always fine)."""
    if value is None:
        return []
    if isinstance(shape, str):
        ok = {_STR: isinstance(value, str), _BOOL: isinstance(value, bool),
              _INT: (isinstance(value, int) and not isinstance(value, bool))
              or (isinstance(value, float) and value.is_integer())}[shape]
        return [] if ok else [(where, value, shape)]
    if isinstance(shape, list):
        if not isinstance(value, list):
            return [(where, value, "a list")]
        return [p for i, v in enumerate(value) for p in _shape_problems(v, shape[0], (*where, i))]
    if not isinstance(value, dict):
        return [(where, value, "a mapping")]
    out = []
    for k, v in value.items():
        sub = shape.get(k, shape.get("*"))
        if sub is not None:
            out += _shape_problems(v, sub, (*where, k))
    return out


def _path(where: tuple[Any, ...]) -> str:
    s = ""
    for p in where:
        s += f"[{p}]" if isinstance(p, int) else (f".{p}" if s else str(p))
    return s


# -- launch plans --------------------------------------------------------------------------------
def _launch_plan(report: Report, prog: ir.Program, lp: ir.LaunchPlan, platform: Platform) -> None:
    name = lp.id.name
    loc = lp.loc
    _identifier(report, lp.id, loc, "LAUNCH_PLAN", f"launch plan '{name}'", platform)
    spec = lp.raw.get("spec", {})
    sloc = loc.child("spec")
    if lp.workflow_id.resource_type not in ("UNSPECIFIED", "WORKFLOW"):
        report("SPC515", sloc.child("workflowId", "resourceType"),
                   what=f"the workflowId of launch plan '{name}'",
                   problem=f"its resourceType is {lp.workflow_id.resource_type}, but FlyteAdmin "
                           f"expects WORKFLOW")
    _labels(report, spec.get("labels", {}).get("values", {}), sloc.child("labels", "values"))
    fixed = spec.get("fixedInputs", {}).get("literals", {})
    floc = sloc.child("fixedInputs", "literals")
    for var, lit in fixed.items():
        if not any(k in lit for k in ("scalar", "collection", "map", "offloadedMetadata")):
            report("SPC533", floc.child(var), which="fixed", var=var, lp=name,
                       problem="has no value")
    params = spec.get("defaultInputs", {}).get("parameters", {})
    ploc = sloc.child("defaultInputs", "parameters")
    for var, p in params.items():
        vloc = ploc.child(var)
        vtype = p.get("var", {}).get("type")
        if vtype is None:
            report("SPC532", vloc, var=var, lp=name, problem="has no 'var' with a 'type'")
            continue
        if "artifactQuery" in p:
            report("SPC532", vloc.child("artifactQuery"), var=var, lp=name,
                       problem="uses an artifact query, which FlyteAdmin accepts only with "
                               "artifacts enabled")
            continue
        if "default" not in p and not p.get("required"):
            report("SPC532", vloc, var=var, lp=name,
                       problem="has neither a 'default' nor 'required: true'")
            continue
        if "default" in p:
            lt = T.literal_type_for_literal(p["default"])
            if lt is None:
                report("SPC533", vloc.child("default"), which="default", var=var, lp=name,
                           problem="has a default with no value")
            elif not T.are_types_castable(lt, vtype):
                report("SPC531", vloc.child("default"), which="default", var=var, lp=name,
                           found=T.type_to_str(lt), expected=T.type_to_str(vtype))
    wf = prog.workflows.get(lp.workflow_id.key)
    if wf is None or wf.broken:
        return  # reported by resolve-references (SPC216), or not known
    wf_inputs = {n: v.type for n, v in (wf.interface.inputs if wf.interface else {}).items()}
    for which, entries, eloc in (("default", params, ploc), ("fixed", fixed, floc)):
        for var, entry in entries.items():
            if var not in wf_inputs:
                h = hint(var, wf_inputs) if wf_inputs else "; the workflow takes no inputs"
                report("SPC530", eloc.child(var).key(), lp=name, which=which, var=var,
                           workflow=wf.id.name, hint=h)
                continue
            want = wf_inputs[var]
            if want is None:
                continue
            got = entry.get("var", {}).get("type") if which == "default" \
                else T.literal_type_for_literal(entry)
            if got is not None and not T.are_types_castable(got, want):
                report("SPC531", eloc.child(var), which=which, var=var, lp=name,
                           found=T.type_to_str(got), expected=T.type_to_str(want))
    meta = spec.get("entityMetadata", {})
    if meta:
        _schedule(report, lp, wf, meta, sloc.child("entityMetadata"), params, fixed)
        _notifications(report, name, meta.get("notifications", []),
                       sloc.child("entityMetadata", "notifications"))
        if "launchConditions" in meta:
            report("SPC539", sloc.child("entityMetadata", "launchConditions"), lp=name)


def _schedule(report: Report, lp: ir.LaunchPlan, wf: ir.Workflow, meta: dict[str, Any],
              mloc: Loc, params: dict[str, Any], fixed: dict[str, Any]) -> None:
    sched = meta.get("schedule")
    if not sched:
        return
    sloc = mloc.child("schedule")
    if not any(k in sched for k in ("cronExpression", "rate", "cronSchedule")):
        return
    name = lp.id.name
    kickoff = sched.get("kickoffTimeInputArg", "")
    # expected inputs as FlyteAdmin computes them: defaults as given, the rest required
    expected = {}
    for var, v in (wf.interface.inputs if wf.interface else {}).items():
        if var in params:
            expected[var] = (bool(params[var].get("required")) and "default" not in params[var],
                             params[var].get("var", {}).get("type"))
        elif var not in fixed:
            expected[var] = (True, v.type)
    for var in sorted(expected):
        required, _ = expected[var]
        if required and var != kickoff:
            report("SPC534", sloc, lp=name, var=var)
    if kickoff:
        kloc = sloc.child("kickoffTimeInputArg")
        if kickoff not in expected:
            report("SPC535", kloc, var=kickoff, lp=name,
                       problem="is not a free input of the workflow (it does not exist or has a "
                               "fixed value)")
        elif (expected[kickoff][1] or {}).get("simple") != "DATETIME":
            report("SPC535", kloc, var=kickoff, lp=name,
                       problem=f"must be a datetime, but it is "
                               f"{T.type_to_str(expected[kickoff][1])}")
    expr, eloc = None, None
    if sched.get("cronExpression"):
        expr, eloc = sched["cronExpression"], sloc.child("cronExpression")
    elif "cronSchedule" in sched:
        expr, eloc = sched["cronSchedule"].get("schedule", ""), \
            sloc.child("cronSchedule", "schedule")
    if expr:
        problem = cron.check(expr)
        if problem:
            report("SPC536", eloc, expr=expr, problem=problem)


def _notifications(report: Report, lp: str, notes: list[Any], loc: Loc) -> None:
    for i, n in enumerate(notes):
        nloc = loc.child(i)
        kinds = [k for k in ("email", "slack", "pagerDuty") if k in n]
        if not kinds:
            report("SPC537", nloc, index=i + 1, lp=lp,
                       problem="has none of 'email', 'slack' or 'pagerDuty'")
        else:
            recips = n[kinds[0]].get("recipientsEmail", [])
            if not recips:
                report("SPC537", nloc.child(kinds[0]), index=i + 1, lp=lp,
                           problem="has no 'recipientsEmail'")
            elif any(not r for r in recips):
                report("SPC537", nloc.child(kinds[0], "recipientsEmail"), index=i + 1,
                           lp=lp, problem="has an empty recipient")
        for j, phase in enumerate(n.get("phases", [])):
            if phase not in _TERMINAL:
                report("SPC537", nloc.child("phases", j), index=i + 1, lp=lp,
                           problem=f"names phase {phase}; notifications fire only on "
                                   f"{', '.join(sorted(_TERMINAL))}")


def _labels(report: Report, labels: dict[str, Any], loc: Loc) -> None:
    if len(labels) > 16:
        report("SPC538", loc, problem=f"{len(labels)} labels are given; at most 16 are "
                                          f"allowed")
    for key, value in labels.items():
        prefix, slash, lname = key.rpartition("/")
        ok = bool(lname) and len(lname) <= 63 and _LABEL_NAME.match(lname) and (
            not slash or (prefix and len(prefix) <= 253 and _DNS1123_SUB.match(prefix)))
        if not ok:
            report("SPC538", loc.child(key).key(),
                       problem=f"label key '{key}' is not a qualified name (an optional DNS "
                               f"subdomain and '/', then at most 63 of A-Z a-z 0-9 - _ .)")
        if value and (len(value) > 63 or not _LABEL_NAME.match(value)):
            report("SPC538", loc.child(key),
                       problem=f"label value '{value}' is not valid (at most 63 of A-Z a-z 0-9 "
                               f"- _ ., starting and ending alphanumeric)")
