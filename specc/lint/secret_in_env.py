"""SPC608 secret-in-env: a password, token or key written into a container's environment."""
from __future__ import annotations

import re

from specc import ir
from specc.diagnostics import Report
from specc.lint.mutable_image_tag import pod_owner
from specc.lint.rule import Rule, task_name

_SUFFIXES = ("PASSWORD", "PASSWD", "SECRET", "TOKEN", "API_KEY", "APIKEY", "ACCESS_KEY",
             "SECRET_KEY", "PRIVATE_KEY", "CLIENT_SECRET")
_HARMLESS = {"true", "false", "yes", "no", "on", "off", "none", "null", "0", "1"}


def looks_secret(name: object, value: object) -> bool:
    if not isinstance(name, str) or not isinstance(value, str):
        return False
    norm = "_".join(t for t in re.split(r"[^A-Za-z0-9]+", name.upper()) if t)
    if not any(norm == s or norm.endswith("_" + s) for s in _SUFFIXES):
        return False
    v = value.strip()
    if not v or v.lower() in _HARMLESS or v.startswith(("/", "./", "~/")):
        return False
    return not any(p in v for p in ("{{", "$(", "${"))


class SecretInEnv(Rule):
    CODE = "SPC608"

    def task(self, task: ir.Task, report: Report) -> None:
        containers = ([(task.container, f"task '{task_name(task)}'")]
                      if task.container is not None else [])
        containers += [(pc, pod_owner(task, pc)) for pc in task.pod_containers]
        for c, owner in containers:
            for name, value, loc in c.env:
                if looks_secret(name, value):
                    self.report(report, loc.child("value"), var=name, owner=owner)
