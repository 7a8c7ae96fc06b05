"""Resources requested without a limit.

A request is what the scheduler reserves; a limit is what the task may use. When a task's
container requests CPU, memory or ephemeral storage without a limit, the spec leaves the limit to
the platform: Flyte fills a missing limit in from the request (capped by the deployment's task
resource limits), so the task cannot burst above its request, and in a pod task's other
containers Kubernetes leaves it unbounded (or applies the namespace's LimitRange). Either way the
spec does not say what the task may use, and it behaves differently from one deployment to the
next. State the limit (flytekit: ``limits=Resources(...)``). Limits below requests are an error
(SPC509); GPUs are not checked, since Kubernetes uses only their limit and Flyte copies the
request there.
"""
from __future__ import annotations

from specc.lint._util import pod_containers, task_name

CODE = "SPC604"

_FLYTE = ("CPU", "MEMORY", "EPHEMERAL_STORAGE")
_K8S = {"cpu": "CPU", "memory": "MEMORY", "ephemeral-storage": "EPHEMERAL_STORAGE"}


def _names(missing: list[str]) -> str:
    shown = [m.lower().replace("_", "-") for m in missing]
    return " and ".join(shown) if len(shown) <= 2 else ", ".join(shown[:-1]) + " and " + shown[-1]


def check(ctx, program, options) -> None:
    for task in program.tasks.values():
        raw = task.raw
        name = task_name(task)
        c = raw.get("container")
        res = c.get("resources") if isinstance(c, dict) else None
        if isinstance(res, dict) and isinstance(res.get("requests"), list):
            requested = [e.get("name") for e in res["requests"] if isinstance(e, dict)]
            limited = {e.get("name") for e in res.get("limits") or [] if isinstance(e, dict)}
            missing = [r for r in _FLYTE if r in requested and r not in limited]
            if missing:
                ctx.report(CODE, task.loc.child("container", "resources", "requests").key(),
                           owner=f"task '{name}'", resources=_names(missing))
        for loc, pc, owner in pod_containers(task):
            r = pc.get("resources")
            if not isinstance(r, dict) or not isinstance(r.get("requests"), dict):
                continue
            lim = r.get("limits") if isinstance(r.get("limits"), dict) else {}
            requested = {_K8S.get(str(k).lower()) for k in r["requests"]}
            limited = {_K8S.get(str(k).lower()) for k in lim}
            missing = [x for x in _FLYTE if x in requested and x not in limited]
            if missing:
                ctx.report(CODE, loc.child("resources", "requests").key(), owner=owner,
                           resources=_names(missing))
