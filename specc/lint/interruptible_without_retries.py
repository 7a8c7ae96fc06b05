"""SPC605 interruptible-without-retries: an interruptible task or node without retries."""
from __future__ import annotations

from specc import ir
from specc.diagnostics import Report
from specc.lint.rule import Rule, node_owner, task_name


class InterruptibleWithoutRetries(Rule):
    CODE = "SPC605"

    def task(self, task: ir.Task, report: Report) -> None:
        md = task.metadata
        if _flagged(task):
            assert md.interruptible is not None
            self.report(report, md.interruptible.loc, owner=f"task '{task_name(task)}'")

    def node(self, wf: ir.Workflow, n: ir.Node, report: Report) -> None:
        md = n.metadata
        if not isinstance(n, ir.TaskNode) or md.interruptible is None \
                or md.interruptible.value is not True:
            return
        task = self.facts.resolution.targets.get(n)
        if not isinstance(task, ir.Task) or _flagged(task):
            return  # the task itself is reported
        own = md.retries.count if md.retries is not None else (
            task.metadata.retries.count if task.metadata.retries is not None else 0)
        if not own:
            self.report(report, md.interruptible.loc, owner=node_owner(wf, n))


def _flagged(task: ir.Task) -> bool:
    md = task.metadata
    return md.interruptible is not None and md.interruptible.value is True and not (
        md.retries is not None and md.retries.count)
