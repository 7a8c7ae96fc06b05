"""The passes, in order. Each is one module with one public function of the same name.

``PASSES`` is the order, and says for each pass what it needs and what it provides, which the
driver (the only orchestrator) uses to call it:

- ``per='document'``: called once per loaded document, ``fn(document, report)``;
- ``per='run'``: called once, ``fn(*needs, report)``;
- ``per='entity'``: called once with the entities it applies to (``targets``, a class) whose
  needs are met, ``fn(*needs, entities, report_for)``: an entity whose document failed
  check-schema is given to no pass after build-ir, and one with an error in a pass that
  ``stops`` is given to no pass that needs that pass's result.

A pass takes the results it needs and returns its own; it never changes another pass's result or
the IR. It reports through the report it is given, never prints, never raises for a user's
mistake (an exception is a bug, reported as SPC900).
"""
from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from specc import ir
from specc.record import Record


class PassSpec(Record):
    __slots__ = ("digit", "module", "name", "needs", "per", "provides", "stops", "targets")
    name: str  # kebab-case, shown in diagnostics
    module: str
    needs: tuple[str, ...]  # results (and settings) it takes, in its parameters' order
    provides: str | None  # the name of its result
    per: str  # 'document' | 'run' | 'entity'
    targets: type  # per='entity': the entities it applies to
    stops: bool  # an entity with errors here is not given to passes needing the result
    digit: str  # the hundreds digit of the codes it reports (for unused suppressions)

    def __init__(self, name: str, module: str, needs: tuple[str, ...], provides: str | None,
                 per: str, targets: type = ir.Entity, stops: bool = False,
                 digit: str = "") -> None:
        self.name = name
        self.module = module
        self.needs = needs
        self.provides = provides
        self.per = per
        self.targets = targets
        self.stops = stops
        self.digit = digit

    @property
    def function(self) -> Callable[..., Any]:
        mod = importlib.import_module(f"specc.passes.{self.module}")
        fn: Callable[..., Any] = getattr(mod, self.module)  # the module's function
        return fn


PASSES: tuple[PassSpec, ...] = (
    PassSpec("check-schema", "check_schema", ("document",), "canonical", "document", digit="1"),
    PassSpec("build-ir", "build_ir", ("canonical", "lost"), "program", "run", digit="2"),
    PassSpec("resolve-references", "resolve_references", ("program",), "resolution", "entity",
             targets=ir.Entity, stops=True, digit="2"),
    PassSpec("check-graph", "check_graph", ("program", "resolution"), "graph", "entity",
             targets=ir.Workflow, digit="3"),
    PassSpec("check-types", "check_types", ("program", "resolution"), None, "entity",
             targets=ir.Workflow, digit="4"),
    PassSpec("check-runtime", "check_runtime", ("program", "resolution"), None, "entity",
             digit="7"),
    PassSpec("check-registration", "check_registration", ("program",), None, "entity",
             digit="5"),
    PassSpec("lint", "lint", ("program", "resolution", "canonical"), None, "entity",
             digit="6"),
    PassSpec("emit-closure", "emit_closure", ("program", "graph"), "closures", "entity",
             targets=ir.Workflow),
)

# settings a pass takes after its entities and report (``fn(..., entities, report_for, *extra)``)
SETTINGS: dict[str, tuple[str, ...]] = {
    "resolve-references": ("catalog",),
    "check-registration": ("platform",),
    "lint": ("lint_options", "shown"),
    "emit-closure": ("closure_files",),
}
