"""What passes return: the resolution of references and the graph of each workflow.

A pass never changes the IR; what it finds out is one of these objects, keyed by the IR objects
themselves (nodes and workflows hash by identity), and handed to the passes that need it.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, TypeAlias

from specc.ir.model import END_NODE, Entity, LaunchPlan, Node, Task, Type, Workflow
from specc.ir.walk import nodes as walk_nodes

Target: TypeAlias = Task | Workflow | LaunchPlan


@dataclass(eq=False, slots=True)
class ResolvedInterface:
    """A node's interface: the inputs it takes and the (effective, aliased) outputs it gives.
    A type is None where it is unknown (a variable without type)."""

    inputs: dict[str, Type | None]
    outputs: dict[str, Type | None]


@dataclass(frozen=True, slots=True)
class Unchecked:
    """A reference the resolver could not check: what it names, and why."""

    entity: Entity  # the one that could not be checked fully
    ref: str  # display of the identifier referenced
    why: str  # 'has errors' | 'is in a file that did not load'
    what: str  # 'task' | 'workflow' | 'launch plan'


@dataclass(eq=False)
class Resolution:
    """resolve-references' result.

    ``index``: per workflow, node id -> node, with start-node and end-node (a duplicated id keeps
    its first node). ``interfaces``: per node, its resolved interface; a node whose target could
    not be checked (it has errors, or is in a file that did not load) has none, and every check
    that would need it is skipped. ``targets``: the task, workflow or launch plan a node runs.
    ``launch_plans``: a launch plan's (parameters, outputs) as FlyteAdmin computes them.
    ``unchecked``: references that could not be checked, by entity. ``external``: references
    to entities registered elsewhere (an identifier with explicit project, domain and version
    that nothing given defines, when no catalogue was given), which are not errors but leave the
    entity unchecked behind them."""

    index: dict[Workflow, dict[str, Node]] = field(default_factory=dict)
    interfaces: dict[Node, ResolvedInterface] = field(default_factory=dict)
    targets: dict[Node, Target] = field(default_factory=dict)
    launch_plans: dict[LaunchPlan, tuple[dict[str, Any], dict[str, Any]]] = field(
        default_factory=dict)
    unchecked: list[Unchecked] = field(default_factory=list)
    external: list[Unchecked] = field(default_factory=list)

    def interface(self, node: Node) -> ResolvedInterface | None:
        return self.interfaces.get(node)

    def top_nodes(self, wf: Workflow) -> list[Node]:
        """The workflow's own nodes, without the later nodes of a duplicated id."""
        index = self.index.get(wf)
        if not index:
            return [n for n in wf.nodes if n.id]
        return [n for n in wf.nodes if index.get(n.id) is n]

    def nodes(self, wf: Workflow) -> Iterator[Node]:
        """``specc.ir.walk.nodes`` over the workflow's own nodes (``top_nodes``)."""
        return walk_nodes(wf, self.top_nodes)

    def end(self, wf: Workflow) -> Node | None:
        return self.index.get(wf, {}).get(END_NODE)

    def is_partial(self, entity: Entity) -> bool:
        return any(u.entity is entity for u in self.unchecked) or \
            any(u.entity is entity for u in self.external)


@dataclass(eq=False, slots=True)
class WorkflowGraph:
    """A workflow's edges as Flyte's compiler records them (``connections`` of its closure)."""

    upstream: dict[str, set[str]]
    downstream: dict[str, set[str]]


@dataclass(eq=False)
class Graph:
    """check-graph's result: the edges of every workflow it could build them for."""

    workflows: dict[Workflow, WorkflowGraph] = field(default_factory=dict)

    def of(self, wf: Workflow) -> WorkflowGraph | None:
        return self.workflows.get(wf)
