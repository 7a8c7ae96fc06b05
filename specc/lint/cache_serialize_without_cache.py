"""SPC602 cache-serialize-without-cache: ``cacheSerializable`` on a task that is not cached."""
from __future__ import annotations

from specc import ir
from specc.diagnostics import Report
from specc.lint.rule import Rule, node_owner, task_name


class CacheSerializeWithoutCache(Rule):
    CODE = "SPC602"

    def task(self, task: ir.Task, report: Report) -> None:
        md = task.metadata
        cached = md.cache is not None and md.cache.value is True
        if md.cache_serializable is not None and md.cache_serializable.value is True \
                and not cached:
            self.report(report, md.cache_serializable.loc, owner=f"task '{task_name(task)}'")

    def node(self, wf: ir.Workflow, n: ir.Node, report: Report) -> None:
        md = n.metadata
        if not isinstance(n, ir.TaskNode) or md.cache_serializable is None \
                or md.cache_serializable.value is not True:
            return
        task = self.facts.resolution.targets.get(n)
        if not isinstance(task, ir.Task):
            return
        if md.cacheable is not None and isinstance(md.cacheable.value, bool):
            cached = md.cacheable.value
        else:
            cached = task.metadata.cache is not None and task.metadata.cache.value is True
        if not cached:
            self.report(report, md.cache_serializable.loc, owner=node_owner(wf, n))
