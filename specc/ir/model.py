"""The IR: typed classes that mirror flyteidl core, built by build-ir from canonical documents.

Every object carries ``loc`` (its document and JSON pointer, which turns into a line and column
only when a diagnostic needs it) and, where a closure or bundle is emitted from it, ``raw``: its
canonical proto3-JSON dict. Types (LiteralType) stay canonical dicts: ``specc.types`` works on
them. The front-end a spec came from is invisible here. Nothing changes an IR object after
build-ir made it: passes return their findings (``specc.ir.results``) instead.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeAlias, TypeVar

from specc.diagnostics import Loc

START_NODE = "start-node"
END_NODE = "end-node"
RESOURCE_TYPES = ("UNSPECIFIED", "TASK", "WORKFLOW", "LAUNCH_PLAN", "DATASET")
Type = dict[str, Any]  # a canonical core.LiteralType
Key = tuple[str, str, str, str, str, str]


def is_placeholder(v: str) -> bool:
    """pyflyte's older bundles hold '{{ registration.project }}'-style placeholders that
    `flytectl register files` fills in; offline they mean "not yet known"."""
    return v.startswith("{{") and v.endswith("}}")


def _clean(v: str) -> str:
    return "" if is_placeholder(v) else v


@dataclass(frozen=True, slots=True)
class Identifier:
    resource_type: str
    project: str
    domain: str
    name: str
    version: str
    org: str = ""

    @classmethod
    def from_raw(cls, raw: dict[str, Any] | None,
                 default_type: str = "UNSPECIFIED") -> Identifier:
        raw = raw or {}
        return cls(raw.get("resourceType", default_type if not raw else "UNSPECIFIED"),
                   _clean(raw.get("project", "")), _clean(raw.get("domain", "")),
                   raw.get("name", ""), _clean(raw.get("version", "")), raw.get("org", ""))

    @property
    def key(self) -> Key:
        return (self.resource_type, self.project, self.domain, self.name, self.version, self.org)

    @property
    def sort_key(self) -> tuple[int, str, str, str, str]:
        # Flyte sorts requirements by (resource_type, project, domain, name, version)
        return (RESOURCE_TYPES.index(self.resource_type) if self.resource_type in RESOURCE_TYPES
                else 99, self.project, self.domain, self.name, self.version)

    def display(self) -> str:
        parts = [p for p in (self.project, self.domain) if p]
        s = "/".join([*parts, self.name])
        return f"{s}@{self.version}" if self.version else s

    def to_raw(self) -> dict[str, str]:
        out: dict[str, str] = {}
        if self.resource_type != "UNSPECIFIED":
            out["resourceType"] = self.resource_type
        for k, v in (("project", self.project), ("domain", self.domain), ("name", self.name),
                     ("version", self.version), ("org", self.org)):
            if v:
                out[k] = v
        return out


@dataclass(eq=False, slots=True)
class Variable:
    name: str
    type: Type | None
    loc: Loc


@dataclass(eq=False, slots=True)
class Interface:
    inputs: dict[str, Variable]
    outputs: dict[str, Variable]
    loc: Loc

    def input_types(self) -> dict[str, Type | None]:
        return {n: v.type for n, v in self.inputs.items()}

    def output_types(self) -> dict[str, Type | None]:
        return {n: v.type for n, v in self.outputs.items()}


# ---- bindings ----------------------------------------------------------------------------------

@dataclass(eq=False, slots=True)
class Promise:
    """An OutputReference: the output ``var`` of node ``node_id`` ('' is the workflow's inputs).

    ``index`` and ``name`` are ``var`` parsed as Flyte parses it (``name`` or ``[i].name``);
    ``name`` is None when it does not parse. ``loc`` is the promise message itself."""

    node_id: str
    var: str
    index: int | None
    name: str | None
    attr_path: list[dict[str, Any]]
    loc: Loc

    @property
    def source_id(self) -> str:
        """The node it names, with Flyte's '' read as start-node."""
        return self.node_id or START_NODE


@dataclass(eq=False, slots=True)
class Scalar:
    raw: dict[str, Any]  # canonical core.Scalar
    loc: Loc  # the BindingData holding it (the scalar is at loc.child('scalar'))


@dataclass(eq=False, slots=True)
class Collection:
    items: list[BindingValue]
    loc: Loc


@dataclass(eq=False, slots=True)
class MapValue:
    items: dict[str, BindingValue]
    loc: Loc


@dataclass(eq=False, slots=True)
class OtherValue:
    """Binding data that is neither a promise, a scalar, a collection nor a map."""

    form: str  # 'offloaded data' | 'an empty binding'
    loc: Loc


@dataclass(eq=False, slots=True)
class PromiseValue:
    promise: Promise
    loc: Loc  # the BindingData holding the promise


BindingValue: TypeAlias = PromiseValue | Scalar | Collection | MapValue | OtherValue


@dataclass(eq=False, slots=True)
class Binding:
    var: str
    value: BindingValue | None  # None: the Binding has no 'binding'
    loc: Loc  # the Binding message (its value is at loc.child('binding'))

    def promises(self) -> Iterator[Promise]:
        if self.value is not None:
            yield from value_promises(self.value)


def value_promises(value: BindingValue) -> Iterator[Promise]:
    """Every promise inside a binding value, depth first, in order."""
    stack: list[BindingValue] = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, PromiseValue):
            yield v.promise
        elif isinstance(v, Collection):
            stack.extend(reversed(v.items))
        elif isinstance(v, MapValue):
            stack.extend(reversed(list(v.items.values())))


# ---- metadata ----------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Retries:
    count: int
    loc: Loc


@dataclass(frozen=True, slots=True)
class Flag:
    """A boolean or string setting as written, with where it was written."""

    value: Any
    loc: Loc


@dataclass(frozen=True, slots=True)
class NodeMetadata:
    timeout: Flag | None = None  # a protobuf duration string, '600s'
    retries: Retries | None = None
    interruptible: Flag | None = None
    cacheable: Flag | None = None
    cache_version: str = ""
    cache_serializable: Flag | None = None


@dataclass(frozen=True, slots=True)
class TaskMetadata:
    cache: Flag | None = None  # 'discoverable'
    cache_version: str = ""  # 'discoveryVersion'
    cache_serializable: Flag | None = None
    retries: Retries | None = None
    timeout: Flag | None = None
    interruptible: Flag | None = None
    present: bool = False  # the template has a 'metadata' message at all


@dataclass(frozen=True, slots=True)
class Resource:
    name: str  # CPU, MEMORY, GPU, EPHEMERAL_STORAGE, ... (or a pod container's key)
    value: str
    loc: Loc  # the value


@dataclass(frozen=True, slots=True)
class Resources:
    requests: tuple[Resource, ...]
    limits: tuple[Resource, ...]
    loc: Loc


@dataclass(frozen=True, slots=True)
class Container:
    """A task's container, or one container of a pod task's pod spec."""

    name: str  # '' for a task's own container
    image: str
    command: tuple[str, ...]
    args: tuple[str, ...]
    env: tuple[tuple[str, Any, Loc], ...]  # (name, value, where)
    resources: Resources | None
    loc: Loc
    raw: Any
    init: bool = False  # an init container of a pod


@dataclass(frozen=True, slots=True)
class Secret:
    group: str
    key: str
    env_var: str
    loc: Loc


# ---- nodes -------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Alias:
    var: str
    alias: str
    loc: Loc


@dataclass(eq=False)
class Node:
    """A workflow node. Subclasses are the node kinds; ``KIND`` is the kind's name in messages.

    ``role`` says where the node sits: 'node' (a workflow's node), 'case' (a branch's then-node),
    'else' (a branch's else-node), 'item' (an array node's node) or 'failure' (the workflow's
    failure node); ``parent`` is the branch or array node holding it. ``display_id`` is the id
    Flyte gives it in the closure: a branch's children become '<branch>-<child>'."""

    KIND: ClassVar[str] = ""

    id: str
    loc: Loc
    raw: dict[str, Any]
    inputs: list[Binding]
    upstream_ids: list[tuple[str, Loc]]
    aliases: list[Alias]
    metadata: NodeMetadata
    role: str = "node"
    parent: Node | None = None
    display_id: str = ""

    def __post_init__(self) -> None:
        if not self.display_id:
            self.display_id = self.id

    def children(self) -> list[Node]:
        """The nodes directly inside this one (branch cases, an array's node)."""
        return []


@dataclass(eq=False)
class StartNode(Node):
    KIND: ClassVar[str] = "start"


@dataclass(eq=False)
class EndNode(Node):
    KIND: ClassVar[str] = "end"


@dataclass(eq=False)
class TaskNode(Node):
    KIND: ClassVar[str] = "task"
    ref: Identifier | None = None
    ref_loc: Loc | None = None


@dataclass(eq=False)
class WorkflowNode(Node):
    """A node running a sub-workflow (``workflowNode.subWorkflowRef``)."""

    KIND: ClassVar[str] = "workflow"
    ref: Identifier | None = None
    ref_loc: Loc | None = None


@dataclass(eq=False)
class LaunchPlanNode(Node):
    KIND: ClassVar[str] = "launchplan"
    ref: Identifier | None = None
    ref_loc: Loc | None = None


@dataclass(eq=False, slots=True)
class IfBlock:
    condition: dict[str, Any] | None  # canonical core.BooleanExpression
    then_node: Node | None
    loc: Loc


@dataclass(eq=False, slots=True)
class Branch:
    case: IfBlock | None
    other: list[IfBlock]
    else_node: Node | None
    has_error: bool
    loc: Loc

    def blocks(self) -> list[IfBlock]:
        return ([self.case] if self.case else []) + self.other


@dataclass(eq=False)
class BranchNode(Node):
    KIND: ClassVar[str] = "branch"
    branch: Branch | None = None

    def children(self) -> list[Node]:
        br = self.branch
        if br is None:
            return []
        out = [b.then_node for b in br.blocks() if b.then_node is not None]
        if br.else_node is not None:
            out.append(br.else_node)
        return out


@dataclass(eq=False)
class GateNode(Node):
    """A gate node with none of approve, signal or sleep."""

    KIND: ClassVar[str] = "gate"
    gate: dict[str, Any] = field(default_factory=dict)  # canonical core.GateNode


@dataclass(eq=False)
class ApproveGateNode(GateNode):
    """Waits for a yes/no; its interface is made of its bindings, passed through."""


@dataclass(eq=False)
class SignalGateNode(GateNode):
    signal_id: str = ""
    signal_type: Type | None = None
    output_var: str = ""


@dataclass(eq=False)
class SleepGateNode(GateNode):
    duration: str = ""


@dataclass(eq=False)
class ArrayNode(Node):
    KIND: ClassVar[str] = "array"
    sub_node: Node | None = None
    parallelism: int | None = None
    min_successes: int | None = None
    min_success_ratio: float | None = None

    def children(self) -> list[Node]:
        return [self.sub_node] if self.sub_node is not None else []


@dataclass(eq=False)
class UnknownNode(Node):
    """A node that says nothing about what it runs."""



# ---- entities ----------------------------------------------------------------------------------

@dataclass(eq=False)
class Entity:
    """A task, workflow or launch plan: what Flyte registers under an identifier.

    ``broken`` is True when its document did not pass check-schema: the entity is known by its
    identifier (so that what uses it is not told it does not exist) but checked no further."""

    WHAT: ClassVar[str] = ""

    id: Identifier
    raw: dict[str, Any]
    loc: Loc
    broken: bool = False

    @property
    def name(self) -> str:
        return self.id.name or "<unnamed>"

    def title(self) -> str:
        return f"{self.WHAT} '{self.name}'"


E = TypeVar("E", bound=Entity)


@dataclass(eq=False)
class Task(Entity):
    WHAT: ClassVar[str] = "task"
    interface: Interface | None = None
    type: str = ""
    metadata: TaskMetadata = field(default_factory=TaskMetadata)
    container: Container | None = None
    pod_containers: tuple[Container, ...] = ()
    secrets: tuple[Secret, ...] = ()


@dataclass(eq=False)
class Workflow(Entity):
    WHAT: ClassVar[str] = "workflow"
    interface: Interface | None = None
    nodes: list[Node] = field(default_factory=list)
    outputs: list[Binding] = field(default_factory=list)
    failure_node: Node | None = None
    start: StartNode | None = None
    end: EndNode | None = None
    # the sub-workflows of the WorkflowSpec this workflow came from, by identifier key (shared by
    # the spec's primary and its sub-workflows); references resolve here first, as Flyte
    # compiles a spec with its own sub-workflows
    scope: dict[Key, Workflow] = field(default_factory=dict)
    sub_workflows: list[Workflow] = field(default_factory=list)  # a primary's, in spec order
    tasks_in_doc: list[Key] = field(default_factory=list)  # a WorkflowClosure's own tasks
    primary: bool = False


@dataclass(eq=False)
class LaunchPlan(Entity):
    WHAT: ClassVar[str] = "launch plan"
    workflow_id: Identifier = field(default_factory=lambda: Identifier("", "", "", "", ""))
    secrets: tuple[Secret, ...] = ()


@dataclass(eq=False)
class Program:
    """Every entity of a run.

    The tables hold the first definition of each identifier (what references resolve to);
    ``entities`` holds every definition, in input order, including a second definition that
    differs from the first (each is checked on its own)."""

    tasks: dict[Key, Task] = field(default_factory=dict)
    workflows: dict[Key, Workflow] = field(default_factory=dict)
    launch_plans: dict[Key, LaunchPlan] = field(default_factory=dict)
    entities: list[Entity] = field(default_factory=list)
    # workflows a document defines as its primary (those get a closure), in input order
    primaries: list[Workflow] = field(default_factory=list)
    # the text of every file or document that could not be read as specs (a YAML syntax error,
    # an unknown kind): an identifier no entity has may still be defined there
    lost: tuple[str, ...] = ()
    lost_all: bool = False  # something was lost whose text is unknown (a corrupt bundle)

    def maybe_lost(self, name: str) -> bool:
        """Whether ``name`` may be defined in something that could not be read."""
        return self.lost_all or (bool(name) and any(name in text for text in self.lost))

    def of(self, cls: type[E]) -> Iterator[E]:
        """Every entity of one class, in input order."""
        for e in self.entities:
            if isinstance(e, cls):
                yield e

