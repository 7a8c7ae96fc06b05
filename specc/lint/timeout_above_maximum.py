"""A timeout longer than the team's maximum (off unless configured).

A timeout is how long Flyte lets one attempt of a task (or a node) run before it fails it. A
platform team that wants no attempt to hold resources for more than, say, a day sets a maximum::

    [lint.timeout-above-maximum]
    max-timeout = "24h"   # or "90m", "1h30m", "2d", or a number of seconds

and specc reports every task timeout (``metadata.timeout``) and node timeout (a node's
``metadata.timeout``) above it. Without ``max-timeout`` the rule does nothing. A task without a
timeout is not reported: its limit is the deployment's.
"""
from __future__ import annotations

from specc.lint import Option, OptionError
from specc.lint._util import all_nodes, parse_duration, show_duration, task_name

CODE = "SPC606"


def _max(value) -> float | None:
    if value is None or value is False or value == 0 or value == "":
        return None  # off
    if isinstance(value, bool):
        raise OptionError("must be a duration such as \"24h\", \"90m\" or \"1h30m\", a number of "
                          "seconds, or false")
    if isinstance(value, (int, float)):
        if value < 0:
            raise OptionError("must not be negative")
        return float(value)
    got = parse_duration(value) if isinstance(value, str) else None
    if got is None:
        raise OptionError("must be a duration such as \"24h\", \"90m\" or \"1h30m\", a number of "
                          "seconds, or false")
    return got or None


OPTIONS = {"max-timeout": Option(_max, None, "the longest timeout allowed; off when unset")}


def check(ctx, program, options) -> None:
    limit = options.get("max-timeout")
    if not limit:
        return
    shown = show_duration(limit)

    def over(value) -> float | None:
        secs = parse_duration(value) if isinstance(value, str) else None
        return secs if secs is not None and secs > limit else None

    for task in program.tasks.values():
        md = task.raw.get("metadata")
        if isinstance(md, dict) and over(md.get("timeout")) is not None:
            ctx.report(CODE, task.loc.child("metadata", "timeout"),
                       value=show_duration(over(md["timeout"])),
                       owner=f"task '{task_name(task)}'", limit=shown)
    for wf in program.workflows.values():
        for n in all_nodes(wf):
            md = n.raw.get("metadata")
            if isinstance(md, dict) and over(md.get("timeout")) is not None:
                ctx.report(CODE, n.loc.child("metadata", "timeout"),
                           value=show_duration(over(md["timeout"])),
                           owner=f"node '{n.display_id}' of workflow '{wf.id.name}'",
                           limit=shown)
