"""SPC601 cache-without-version: a cached task (or node) without a cache version."""
from __future__ import annotations

from specc import ir
from specc.diagnostics import Report
from specc.lint.rule import Rule, node_owner, task_name


class CacheWithoutVersion(Rule):
    CODE = "SPC601"

    def task(self, task: ir.Task, report: Report) -> None:
        md = task.metadata
        if md.cache is not None and md.cache.value is True and not md.cache_version:
            self.report(report, md.cache.loc, owner=f"task '{task_name(task)}'",
                        field="metadata.discoveryVersion")

    def node(self, wf: ir.Workflow, n: ir.Node, report: Report) -> None:
        md = n.metadata
        if not isinstance(n, ir.TaskNode) or md.cacheable is None or md.cacheable.value is not True:
            return
        task = self.facts.resolution.targets.get(n)
        if not isinstance(task, ir.Task):
            return
        if not md.cache_version and not task.metadata.cache_version:
            self.report(report, md.cacheable.loc, owner=node_owner(wf, n),
                        field="metadata.cacheVersion")
