"""lint: the rules of ``specc/lint/`` (warnings beyond Flyte's verdict), on one walk.

Every rule gets its options from ``[lint.<rule name>]`` of the configuration, parsed and with
defaults filled in (the driver has refused invalid ones before any pass runs). The walk visits
each entity once and calls, for each, the callbacks of the rules that define them (actionlint's
visitor): tasks, launch plans, resolved workflows and every node of them, canonical documents;
then each rule's ``finish``.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from specc import ir
from specc.diagnostics import Report
from specc.lint import Rule, rules
from specc.lint.rule import Facts
from specc.source import CanonicalDocument


def lint(program: ir.Program, resolution: ir.Resolution,
         documents: Sequence[CanonicalDocument], entities: Sequence[ir.Entity],
         report_for: Callable[[Any], Report], lint_options: dict[str, Any] | None,
         shown: Callable[[str], bool] | None = None) -> None:
    """Run every rule on ``entities`` (and the documents among ``documents`` that hold them);
    with ``shown``, only the rules whose code it says the user may see (the policy's)."""
    facts = Facts(program, resolution)
    configured = lint_options or {}
    active = [info.cls(info.parse_options(configured.get(info.name)), facts)
              for info in rules() if shown is None or shown(info.cls.CODE)]

    def hooked(name: str) -> list[Rule]:
        return [r for r in active if getattr(type(r), name) is not getattr(Rule, name)]

    on_task, on_lp = hooked("task"), hooked("launch_plan")
    on_wf, on_node, on_doc = hooked("workflow"), hooked("node"), hooked("document")
    for e in entities:
        report = report_for(e)
        if isinstance(e, ir.Task):
            for r in on_task:
                r.task(e, report)
        elif isinstance(e, ir.LaunchPlan):
            for r in on_lp:
                r.launch_plan(e, report)
        elif isinstance(e, ir.Workflow) and e in resolution.index:
            for r in on_wf:
                r.workflow(e, report)
            if on_node:
                for n in resolution.nodes(e):
                    for r in on_node:
                        r.node(e, n, report)
    for doc in documents:
        report = report_for(doc)
        for r in on_doc:
            r.document(doc, report)
    for r in active:
        r.finish(report_for)
