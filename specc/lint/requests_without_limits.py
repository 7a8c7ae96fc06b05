"""SPC604 requests-without-limits: CPU, memory or ephemeral storage requested without a limit."""
from __future__ import annotations

from specc import ir
from specc.diagnostics import Report
from specc.lint.mutable_image_tag import pod_owner
from specc.lint.rule import Rule, task_name

_FLYTE = ("CPU", "MEMORY", "EPHEMERAL_STORAGE")
_K8S = {"cpu": "CPU", "memory": "MEMORY", "ephemeral-storage": "EPHEMERAL_STORAGE"}


def _names(missing: list[str]) -> str:
    shown = [m.lower().replace("_", "-") for m in missing]
    return " and ".join(shown) if len(shown) <= 2 else ", ".join(shown[:-1]) + " and " + shown[-1]


class RequestsWithoutLimits(Rule):
    CODE = "SPC604"

    def task(self, task: ir.Task, report: Report) -> None:
        c = task.container
        res = c.resources if c is not None else None
        if res is not None and res.requests:
            requested = [r.name for r in res.requests]
            limited = {r.name for r in res.limits}
            missing = [r for r in _FLYTE if r in requested and r not in limited]
            if missing:
                self.report(report, res.loc.child("requests").key(),
                            owner=f"task '{task_name(task)}'", resources=_names(missing))
        for pc in task.pod_containers:
            r = pc.raw.get("resources")
            if pc.resources is None or not isinstance(r, dict) \
                    or not isinstance(r.get("requests"), dict):
                continue
            requested_k = {_K8S.get(x.name.lower()) for x in pc.resources.requests}
            limited_k = {_K8S.get(x.name.lower()) for x in pc.resources.limits}
            missing = [x for x in _FLYTE if x in requested_k and x not in limited_k]
            if missing:
                self.report(report, pc.resources.loc.child("requests").key(),
                            owner=pod_owner(task, pc), resources=_names(missing))
