"""SPC607 secret-without-group: a requested secret without a group."""
from __future__ import annotations

from specc import ir
from specc.diagnostics import Report
from specc.lint.rule import Rule, task_name


class SecretWithoutGroup(Rule):
    CODE = "SPC607"

    def _secrets(self, secrets: tuple[ir.Secret, ...], owner: str, report: Report) -> None:
        for i, s in enumerate(secrets):
            if not s.group:
                key = s.key or s.env_var
                what = f"secret '{key}'" if key else f"secret {i}"
                self.report(report, s.loc, what=what, owner=owner)

    def task(self, task: ir.Task, report: Report) -> None:
        self._secrets(task.secrets, f"task '{task_name(task)}'", report)

    def launch_plan(self, lp: ir.LaunchPlan, report: Report) -> None:
        self._secrets(lp.secrets, f"launch plan '{lp.id.name}'", report)
