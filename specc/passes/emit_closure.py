"""emit-closure: the compiled closure of every primary workflow it is given.

The driver gives it the primaries only when the run has no errors and closures were asked for
(``--out``, or a caller that wants them); the driver writes the files. When they are written
(``closure_files``: their suffix, ``pb``, ``json`` or ``yaml``), it also makes sure that no two
closures need one file: each is named after its workflow alone (``specc.emit.names.file_stem``),
so two workflows of one name (another version, project or domain), or of names that differ only
in case, would overwrite each other on some file system; that is an error (SPC024) and nothing
is written.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from specc import ir
from specc.diagnostics import Report
from specc.emit.closure import closure
from specc.emit.names import file_stem, fold


def emit_closure(program: ir.Program, graph: ir.Graph, workflows: Sequence[ir.Entity],
                 report_for: Callable[[ir.Entity], Report], closure_files: str | None = None
                 ) -> list[tuple[ir.Workflow, dict[str, Any]]]:
    """(workflow, closure) for each primary workflow of ``workflows``, in input order."""
    primaries = [wf for wf in workflows if isinstance(wf, ir.Workflow) and wf.primary]
    if closure_files is not None:
        first: dict[str, ir.Workflow] = {}
        for wf in primaries:
            stem = file_stem(wf.id.name)
            other = first.setdefault(fold(stem), wf)
            if other is not wf:
                report_for(wf)("SPC024", wf.loc.child("id", "name"),
                               related=[(other.loc.child("id", "name"),
                                         "the other workflow of that file")],
                               workflow=wf.id.display(), other=other.id.display(),
                               file=f"{stem}.closure.{closure_files}")
    return [(wf, closure(program, graph, wf)) for wf in primaries]
