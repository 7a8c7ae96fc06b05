"""An interruptible task (or node) without retries.

Interruptible work runs on preemptible (spot) capacity and can be killed at any moment. Flyte
retries a preemption it recognises from its system retry budget, but how many such retries there
are, and when the last attempts move to on-demand nodes, is the deployment's setting
(``max-node-retries-system-failures``, ``interruptible-failure-threshold``), and an interruption
that surfaces as the task's own error (a lost connection, a half-written file) is a user failure:
with no retries of its own, the task then fails the execution. Anything worth running on spot
capacity is worth a retry or two (flytekit: ``retries=``). specc checks the task's metadata, and a
task node that makes its task interruptible while neither it nor the task has retries.
"""
from __future__ import annotations

from specc.lint._util import all_nodes, task_name

CODE = "SPC605"


def _retries(md) -> int | None:
    if not isinstance(md, dict) or not isinstance(md.get("retries"), dict):
        return None
    n = md["retries"].get("retries", 0)
    return n if isinstance(n, int) else 0


def check(ctx, program, options) -> None:
    flagged = set()
    for key, task in program.tasks.items():
        md = task.raw.get("metadata")
        if isinstance(md, dict) and md.get("interruptible") is True and not _retries(md):
            flagged.add(key)
            ctx.report(CODE, task.loc.child("metadata", "interruptible"),
                       owner=f"task '{task_name(task)}'")
    for wf in program.workflows.values():
        for n in all_nodes(wf):
            md = n.raw.get("metadata")
            if n.kind != "task" or not isinstance(md, dict) or md.get("interruptible") is not True:
                continue
            task = program.tasks.get(n.ref.key) if n.ref is not None else None
            if task is None or task.id.key in flagged:
                continue
            own = _retries(md)
            if own is None:
                own = _retries(task.raw.get("metadata")) or 0
            if not own:
                ctx.report(CODE, n.loc.child("metadata", "interruptible"),
                           owner=f"node '{n.display_id}' of workflow '{wf.id.name}'")
