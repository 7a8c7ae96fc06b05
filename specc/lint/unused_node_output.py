"""A node output that nothing uses.

A node's outputs are computed, serialized and uploaded on every run. An output that no other node
takes and that the workflow does not return is work thrown away, and often a mistake: the
result the workflow was written to produce is computed and then dropped, or a downstream node
reads another node's output by a similar name. Return it from the workflow, bind it where it is
needed, or drop it from the task. specc reports each node of the workflow (a branch node or
array node as a whole) once, listing its unused outputs; approve gates, whose outputs only pass
their inputs on, and failure nodes are not reported.
"""
from __future__ import annotations

from specc.lint._util import top_nodes, used_outputs

CODE = "SPC610"


def check(ctx, program, options) -> None:
    for wf in program.workflows.values():
        if not wf.node_index:
            continue  # not resolved: nothing known about its nodes' outputs
        used = used_outputs(wf)
        for n in top_nodes(wf):
            if n.interface is None or not n.interface.outputs:
                continue
            if n.kind == "gate" and isinstance(n.gate, dict) and "approve" in n.gate:
                continue
            unused = [o for o in n.interface.outputs if (n.id, o) not in used]
            if not unused:
                continue
            names = [f"'{o}'" for o in unused]
            listed = names[0] if len(names) == 1 else \
                ", ".join(names[:-1]) + " and " + names[-1]
            many = len(unused) > 1
            ctx.report(CODE, n.loc.child("id"),
                       what=f"output{'s' if many else ''} {listed}",
                       verb="are" if many else "is", them="them" if many else "it",
                       node=n.id, workflow=wf.id.name)
