"""SPC609 unused-workflow-input: a workflow input nothing uses."""
from __future__ import annotations

from specc import ir
from specc.diagnostics import Report
from specc.lint.rule import Rule


class UnusedWorkflowInput(Rule):
    CODE = "SPC609"

    def workflow(self, wf: ir.Workflow, report: Report) -> None:
        if wf.interface is None or not wf.interface.inputs or not wf.nodes:
            return
        used = {name for node, name in self.facts.used_outputs(wf) if node == ir.START_NODE}
        for name, var in wf.interface.inputs.items():
            if name not in used:
                self.report(report, var.loc.key(), var=name, workflow=wf.id.name)
