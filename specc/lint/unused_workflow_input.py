"""A workflow input that nothing uses.

Every input of a workflow is something its callers must give (or a launch plan must fix or
default), and something the UI and the CLI ask for. An input that no node binds and that no
workflow output returns is asked for and thrown away: often the sign of a refactoring that
stopped passing it on, so a setting the caller believes in has no effect. Bind it where it was
meant to go, or remove it. specc looks at every binding of the workflow: its nodes, the nodes in
its branches and array nodes, its failure node and its outputs.
"""
from __future__ import annotations

from specc import ir
from specc.lint._util import used_outputs

CODE = "SPC609"


def check(ctx, program, options) -> None:
    for wf in program.workflows.values():
        if wf.interface is None or not wf.interface.inputs or not wf.nodes:
            continue
        used = {name for node, name in used_outputs(wf) if node == ir.START_NODE}
        for name, var in wf.interface.inputs.items():
            if name not in used:
                ctx.report(CODE, var.loc.key(), var=name, workflow=wf.id.name)
