"""lint: the rules of ``specc/lint/`` (warnings beyond Flyte's verdict), in ``RULES`` order.

Runs after check-registration on whatever the earlier passes could build, errors or not. Each
rule gets its options from ``[lint.<rule name>]`` of the configuration (``options.lint_options``),
parsed and with defaults filled in; the driver has refused invalid ones before any pass runs.
"""
from __future__ import annotations

from specc.lint import rules


def lint(ctx) -> None:
    configured = getattr(ctx.options, "lint_options", {}) or {}
    program = ctx.program
    if program is None:
        return
    for rule in rules():
        rule.check(ctx, program, rule.parse_options(configured.get(rule.name)))
