"""emit-closure: the compiled closure of every primary workflow it is given.

The driver gives it the primaries only when the run has no errors and closures were asked for
(``--out``, or a caller that wants them); the driver writes the files.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from specc import ir
from specc.diagnostics import Report
from specc.emit.closure import closure


def emit_closure(program: ir.Program, graph: ir.Graph, workflows: Sequence[ir.Entity],
                 report_for: Callable[[ir.Entity], Report]
                 ) -> list[tuple[ir.Workflow, dict[str, Any]]]:
    """(workflow, closure) for each primary workflow of ``workflows``, in input order."""
    return [(wf, closure(program, graph, wf)) for wf in workflows
            if isinstance(wf, ir.Workflow) and wf.primary]
