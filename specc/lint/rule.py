"""What a lint rule is: a visitor with no-op callbacks, called by the lint pass's one walk.

A rule is a class deriving from ``Rule`` with

- ``CODE``: its catalogue code (``specc.codes``, the 6xx block), whose ``name`` is the rule's name
  and whose ``summary`` is the one-line rationale;
- its rationale written once, in ``specc/data/explain/<CODE>.md`` (``Rule.rationale`` reads it,
  ``specc explain`` shows it);
- ``OPTIONS`` (optional): ``{option name: Option}``, set in the configuration as
  ``[lint.<rule name>]``, e.g. ``[lint.timeout-above-maximum] max-timeout = "12h"``;
- the callbacks it needs: ``task``, ``launch_plan``, ``workflow`` (a workflow whose references
  resolved), ``node`` (every node of such a workflow: branch cases, array sub-nodes and the
  failure node included), ``document`` (every canonical document) and ``finish`` (after the
  walk, for rules that look across entities).

Rules read the IR and the resolution; they run only on entities that passed check-schema (and,
for workflows, resolve-references), so what they read is well formed.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, ClassVar

from specc import ir
from specc.diagnostics import Report
from specc.record import Record
from specc.source import CanonicalDocument


class OptionError(ValueError):
    """A rule option's value is not valid; the message says what is expected."""


class Option(Record):
    __slots__ = ("default", "help", "parse")
    parse: Callable[[Any], Any]  # raises OptionError
    default: Any
    help: str

    def __init__(self, parse: Callable[[Any], Any], default: Any = None, help: str = "") -> None:
        self.parse = parse
        self.default = default
        self.help = help


class Facts:
    """What several rules need about a workflow, computed once per run."""

    def __init__(self, program: ir.Program, resolution: ir.Resolution) -> None:
        self.program = program
        self.resolution = resolution
        self._used: dict[ir.Workflow, set[tuple[str, str]]] = {}

    def used_outputs(self, wf: ir.Workflow) -> set[tuple[str, str]]:
        """(node id, output name) of every promise in the workflow; workflow inputs are
        ('start-node', name)."""
        got = self._used.get(wf)
        if got is None:
            got = self._used[wf] = {(p.source_id, p.name) for _, _, p in ir.walk.promises(wf)
                                    if p.name}
        return got


class Rule:
    """A lint rule; the callbacks do nothing unless a rule overrides them."""

    CODE: ClassVar[str] = ""
    OPTIONS: ClassVar[dict[str, Option]] = {}

    def __init__(self, options: dict[str, Any], facts: Facts) -> None:
        self.options = options
        self.facts = facts

    def task(self, task: ir.Task, report: Report) -> None:
        """Called for every task."""

    def launch_plan(self, lp: ir.LaunchPlan, report: Report) -> None:
        """Called for every launch plan."""

    def workflow(self, wf: ir.Workflow, report: Report) -> None:
        """Called for every workflow whose references resolved, before its nodes."""

    def node(self, wf: ir.Workflow, node: ir.Node, report: Report) -> None:
        """Called for every node of such a workflow, in ``ir.walk.nodes`` order."""

    def document(self, doc: CanonicalDocument, report: Report) -> None:
        """Called for every canonical document."""

    def finish(self, report_for: Callable[[ir.Entity], Report]) -> None:
        """Called once after the walk."""

    def report(self, report: Report, loc: Any, related: Iterable[tuple[Any, str]] = (),
               **args: Any) -> None:
        """``report`` this rule's code."""
        report(self.CODE, loc, related, **args)


def task_name(task: ir.Task) -> str:
    return task.id.name or "<unnamed>"


def node_owner(wf: ir.Workflow, n: ir.Node) -> str:
    return f"node '{n.display_id}' of workflow '{wf.id.name}'"
