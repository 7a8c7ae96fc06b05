"""The passes, in order. Each is one module with one public function of the same name.

``PASSES`` is the order. ``stops`` marks passes whose errors make later passes meaningless (a
document that does not match the schema cannot be lowered; an unresolved reference has no type to
check); the others always run, so a user sees every error at once.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Callable, Iterable

from specc import diagnostics as dg
from specc.diagnostics import Loc


@dataclass(frozen=True)
class PassSpec:
    name: str  # kebab-case, shown in diagnostics
    module: str
    stops: bool  # errors here stop the chain

    @property
    def function(self) -> Callable[["Context"], None]:
        mod = importlib.import_module(f"specc.passes.{self.module}")
        return getattr(mod, self.module)


PASSES: tuple[PassSpec, ...] = (
    PassSpec("check-schema", "check_schema", stops=True),
    PassSpec("build-ir", "build_ir", stops=True),
    PassSpec("resolve-references", "resolve_references", stops=True),
    PassSpec("check-graph", "check_graph", stops=False),
    PassSpec("check-types", "check_types", stops=False),
    PassSpec("check-registration", "check_registration", stops=False),
    PassSpec("lint", "lint", stops=False),
    PassSpec("emit-closure", "emit_closure", stops=False),
)


@dataclass
class Context:
    """What passes share: the documents, the IR, options, and the diagnostic sink."""

    documents: list
    options: object = None
    sink: dg.Sink = field(default_factory=dg.Sink)
    program: object = None  # specc.ir.Program, set by build-ir
    current_pass: str = ""
    artifacts: list = field(default_factory=list)  # (workflow, closure dict), from emit-closure

    def report(self, code: str, loc: Loc | None, related: Iterable[tuple[Loc, str]] = (),
               **args: object) -> None:
        self.sink.add(dg.make(code, loc, self.current_pass, related, **args))
