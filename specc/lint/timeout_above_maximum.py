"""SPC606 timeout-above-maximum: a timeout above ``[lint.timeout-above-maximum] max-timeout``."""
from __future__ import annotations

from typing import Any, ClassVar

from specc import ir
from specc.diagnostics import Report
from specc.lint.durations import parse_duration, show_duration
from specc.lint.rule import Option, OptionError, Rule, node_owner, task_name


def _max(value: Any) -> float | None:
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


class TimeoutAboveMaximum(Rule):
    CODE = "SPC606"
    OPTIONS: ClassVar[dict[str, Option]] = {
        "max-timeout": Option(_max, None, "the longest timeout allowed; off when unset")}

    def _over(self, flag: ir.Flag | None, owner: str, report: Report) -> None:
        limit = self.options.get("max-timeout")
        if not limit or flag is None:
            return
        secs = parse_duration(flag.value)
        if secs is not None and secs > limit:
            self.report(report, flag.loc, value=show_duration(secs), owner=owner,
                        limit=show_duration(limit))

    def task(self, task: ir.Task, report: Report) -> None:
        self._over(task.metadata.timeout, f"task '{task_name(task)}'", report)

    def node(self, wf: ir.Workflow, n: ir.Node, report: Report) -> None:
        self._over(n.metadata.timeout, node_owner(wf, n), report)
