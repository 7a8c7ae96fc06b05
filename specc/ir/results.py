"""What passes return: the resolution of references and the graph of each workflow.

A pass never changes the IR; what it finds out is one of these objects, keyed by the IR objects
themselves (nodes and workflows hash by identity), and handed to the passes that need it.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any, TypeAlias

from specc.ir.model import END_NODE, Entity, LaunchPlan, Node, Task, Type, Workflow
from specc.ir.walk import nodes as walk_nodes
from specc.record import Record

Target: TypeAlias = Task | Workflow | LaunchPlan


class ResolvedInterface(Record):
    """A node's interface: the inputs it takes and the (effective, aliased) outputs it gives.
    A type is None where it is unknown (a variable without type)."""

    __slots__ = ("inputs", "outputs")
    inputs: dict[str, Type | None]
    outputs: dict[str, Type | None]

    def __init__(self, inputs: dict[str, Type | None], outputs: dict[str, Type | None]) -> None:
        self.inputs = inputs
        self.outputs = outputs


class Unchecked(Record):
    """A reference the resolver could not check: what it names, and why."""

    __slots__ = ("entity", "ref", "what", "why")
    entity: Entity  # the one that could not be checked fully
    ref: str  # display of the identifier referenced
    why: str  # 'has errors' | 'is in a file that did not load'
    what: str  # 'task' | 'workflow' | 'launch plan'

    def __init__(self, entity: Entity, ref: str, why: str, what: str) -> None:
        self.entity = entity
        self.ref = ref
        self.why = why
        self.what = what


class Resolution(Record):
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

    __slots__ = ("external", "index", "interfaces", "launch_plans", "targets", "unchecked")
    index: dict[Workflow, dict[str, Node]]
    interfaces: dict[Node, ResolvedInterface]
    targets: dict[Node, Target]
    launch_plans: dict[LaunchPlan, tuple[dict[str, Any], dict[str, Any]]]
    unchecked: list[Unchecked]
    external: list[Unchecked]

    def __init__(self, index: dict[Workflow, dict[str, Node]] | None = None,
                 interfaces: dict[Node, ResolvedInterface] | None = None,
                 targets: dict[Node, Target] | None = None,
                 launch_plans: dict[LaunchPlan, tuple[dict[str, Any], dict[str, Any]]] |
                 None = None,
                 unchecked: list[Unchecked] | None = None,
                 external: list[Unchecked] | None = None) -> None:
        self.index = index if index is not None else {}
        self.interfaces = interfaces if interfaces is not None else {}
        self.targets = targets if targets is not None else {}
        self.launch_plans = launch_plans if launch_plans is not None else {}
        self.unchecked = unchecked if unchecked is not None else []
        self.external = external if external is not None else []

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


class WorkflowGraph(Record):
    """A workflow's edges as Flyte's compiler records them (``connections`` of its closure)."""

    __slots__ = ("downstream", "upstream")
    upstream: dict[str, set[str]]
    downstream: dict[str, set[str]]

    def __init__(self, upstream: dict[str, set[str]], downstream: dict[str, set[str]]) -> None:
        self.upstream = upstream
        self.downstream = downstream


class Graph(Record):
    """check-graph's result: the edges of every workflow it could build them for."""

    __slots__ = ("workflows",)
    workflows: dict[Workflow, WorkflowGraph]

    def __init__(self, workflows: dict[Workflow, WorkflowGraph] | None = None) -> None:
        self.workflows = workflows if workflows is not None else {}

    def of(self, wf: Workflow) -> WorkflowGraph | None:
        return self.workflows.get(wf)
