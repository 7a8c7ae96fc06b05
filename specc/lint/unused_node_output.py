"""SPC610 unused-node-output: node outputs no node takes and the workflow does not return."""
from __future__ import annotations

from specc import ir
from specc.diagnostics import Report
from specc.lint.rule import Rule


class UnusedNodeOutput(Rule):
    CODE = "SPC610"

    def workflow(self, wf: ir.Workflow, report: Report) -> None:
        res = self.facts.resolution
        if wf not in res.index:
            return  # not resolved: nothing known about its nodes' outputs
        used = self.facts.used_outputs(wf)
        for n in res.top_nodes(wf):
            iface = res.interface(n)
            if iface is None or not iface.outputs or isinstance(n, ir.ApproveGateNode):
                continue
            unused = [o for o in iface.outputs if (n.id, o) not in used]
            if not unused:
                continue
            names = [f"'{o}'" for o in unused]
            listed = names[0] if len(names) == 1 else \
                ", ".join(names[:-1]) + " and " + names[-1]
            many = len(unused) > 1
            self.report(report, n.loc.child("id"),
                        what=f"output{'s' if many else ''} {listed}",
                        verb="are" if many else "is", them="them" if many else "it",
                        node=n.id, workflow=wf.id.name)
