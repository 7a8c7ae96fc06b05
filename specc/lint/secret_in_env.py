"""A password, token or key written into a task's environment.

An environment variable named like a credential (``DB_PASSWORD``, ``GITHUB_TOKEN``,
``AWS_SECRET_ACCESS_KEY``, ``OPENAI_API_KEY``, ...) with a literal value puts the secret in the
spec: in the repository, in FlyteAdmin's database, in every execution's task template and in the
pod spec that anyone with read access to the namespace can see. Request it as a secret
(``securityContext.secrets``, flytekit: ``secret_requests=[Secret(...)]``) and read it at run time.
specc looks at the task container's ``env`` and at the ``env`` of every container of a pod task;
values that are placeholders (``{{...}}``, ``$(...)``, ``${...}``), file paths, booleans and
empty values are not reported, nor are ``valueFrom`` references. The message never repeats the
value.
"""
from __future__ import annotations

import re

from specc.lint._util import pod_containers, task_name

CODE = "SPC608"

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


def check(ctx, program, options) -> None:
    for task in program.tasks.values():
        raw = task.raw
        name = task_name(task)
        c = raw.get("container")
        if isinstance(c, dict) and isinstance(c.get("env"), list):
            for i, kv in enumerate(c["env"]):
                if isinstance(kv, dict) and looks_secret(kv.get("key"), kv.get("value")):
                    ctx.report(CODE, task.loc.child("container", "env", i, "value"),
                               var=kv["key"], owner=f"task '{name}'")
        for loc, pc, owner in pod_containers(task):
            for j, ev in enumerate(pc.get("env") if isinstance(pc.get("env"), list) else []):
                if isinstance(ev, dict) and looks_secret(ev.get("name"), ev.get("value")):
                    ctx.report(CODE, loc.child("env", j, "value"), var=ev["name"], owner=owner)
