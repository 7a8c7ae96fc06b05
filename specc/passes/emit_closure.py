"""emit-closure: the compiled closure of every primary workflow, into ``ctx.artifacts``.

Runs only when there are no errors and something asked for closures (``--out``, or a caller that
sets ``options.want_closures``); the driver writes the files.
"""
from __future__ import annotations

from specc.emit.closure import closure


def emit_closure(ctx) -> None:
    if ctx.sink.error_count or not getattr(ctx.options, "want_closures", False):
        return
    for wf in ctx.program.primaries:
        ctx.artifacts.append((wf, closure(ctx.program, wf)))
