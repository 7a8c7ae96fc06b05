"""A secret requested without a group.

A task (or a launch plan, for all its tasks) requests secrets in ``securityContext.secrets``.
flyteidl marks a secret's ``group`` as required: it is the Kubernetes Secret's name, the Vault or
AWS Secrets Manager secret's name, the Confidant credential; ``key`` only picks an entry inside
it. Without a group Flyte's secret injection has nothing to look up, and the failure shows only
when the task first runs, long after the spec was registered. flytekit refuses such a secret when
it registers a task, unless a plugin for a secret manager without groups says otherwise; a
deployment with such a manager can turn the rule off (``ignore = ["secret-without-group"]``).
Name the group (flytekit: ``Secret(group=..., key=...)``).
"""
from __future__ import annotations

from specc.lint._util import task_name

CODE = "SPC607"


def _secrets(ctx, sc, loc, owner: str) -> None:
    if not isinstance(sc, dict) or not isinstance(sc.get("secrets"), list):
        return
    for i, s in enumerate(sc["secrets"]):
        if isinstance(s, dict) and not s.get("group"):
            key = s.get("key") or s.get("envVar")
            what = f"secret '{key}'" if key else f"secret {i}"
            ctx.report(CODE, loc.child("secrets", i), what=what, owner=owner)


def check(ctx, program, options) -> None:
    for task in program.tasks.values():
        _secrets(ctx, task.raw.get("securityContext"), task.loc.child("securityContext"),
                 f"task '{task_name(task)}'")
    for lp in program.launch_plans.values():
        spec = lp.raw.get("spec")
        if isinstance(spec, dict):
            _secrets(ctx, spec.get("securityContext"), lp.loc.child("spec", "securityContext"),
                     f"launch plan '{lp.id.name}'")
