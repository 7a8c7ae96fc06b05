"""The IR: typed classes that mirror flyteidl core, built by build-ir from canonical documents.

Every object carries ``loc`` (its document and JSON pointer, which turns into a line and column
only when a diagnostic needs it) and, where a closure or bundle is emitted from it, ``raw``: its
canonical proto3-JSON dict. Types (LiteralType) stay canonical dicts: ``specc.types`` works on
them. The front-end a spec came from is invisible here. Nothing changes an IR object after
build-ir made it: passes return their findings (``specc.ir.results``) instead.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar, TypeAlias, TypeVar

from specc.diagnostics import Loc
from specc.record import Record

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


class Identifier(Record):
    __slots__ = ("domain", "name", "org", "project", "resource_type", "version")
    resource_type: str
    project: str
    domain: str
    name: str
    version: str
    org: str

    def __init__(self, resource_type: str, project: str, domain: str, name: str, version: str,
                 org: str = "") -> None:
        self.resource_type = resource_type
        self.project = project
        self.domain = domain
        self.name = name
        self.version = version
        self.org = org

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Identifier) and self.key == other.key

    def __hash__(self) -> int:
        return hash(self.key)

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


class Variable(Record):
    __slots__ = ("loc", "name", "type")
    name: str
    type: Type | None
    loc: Loc

    def __init__(self, name: str, type: Type | None, loc: Loc) -> None:
        self.name = name
        self.type = type
        self.loc = loc


class Interface(Record):
    __slots__ = ("inputs", "loc", "outputs")
    inputs: dict[str, Variable]
    outputs: dict[str, Variable]
    loc: Loc

    def __init__(self, inputs: dict[str, Variable], outputs: dict[str, Variable], loc: Loc) -> None:
        self.inputs = inputs
        self.outputs = outputs
        self.loc = loc

    def input_types(self) -> dict[str, Type | None]:
        return {n: v.type for n, v in self.inputs.items()}

    def output_types(self) -> dict[str, Type | None]:
        return {n: v.type for n, v in self.outputs.items()}


# ---- bindings ----------------------------------------------------------------------------------

class Promise(Record):
    """An OutputReference: the output ``var`` of node ``node_id`` ('' is the workflow's inputs).

    ``index`` and ``name`` are ``var`` parsed as Flyte parses it (``name`` or ``[i].name``);
    ``name`` is None when it does not parse. ``loc`` is the promise message itself."""

    __slots__ = ("attr_path", "index", "loc", "name", "node_id", "var")
    node_id: str
    var: str
    index: int | None
    name: str | None
    attr_path: list[dict[str, Any]]
    loc: Loc

    def __init__(self, node_id: str, var: str, index: int | None, name: str | None,
                 attr_path: list[dict[str, Any]], loc: Loc) -> None:
        self.node_id = node_id
        self.var = var
        self.index = index
        self.name = name
        self.attr_path = attr_path
        self.loc = loc

    @property
    def source_id(self) -> str:
        """The node it names, with Flyte's '' read as start-node."""
        return self.node_id or START_NODE


class Scalar(Record):
    __slots__ = ("loc", "raw")
    raw: dict[str, Any]  # canonical core.Scalar
    loc: Loc  # the BindingData holding it (the scalar is at loc.child('scalar'))

    def __init__(self, raw: dict[str, Any], loc: Loc) -> None:
        self.raw = raw
        self.loc = loc


class Collection(Record):
    __slots__ = ("items", "loc")
    items: list[BindingValue]
    loc: Loc

    def __init__(self, items: list[BindingValue], loc: Loc) -> None:
        self.items = items
        self.loc = loc


class MapValue(Record):
    __slots__ = ("items", "loc")
    items: dict[str, BindingValue]
    loc: Loc

    def __init__(self, items: dict[str, BindingValue], loc: Loc) -> None:
        self.items = items
        self.loc = loc


class OtherValue(Record):
    """Binding data that is neither a promise, a scalar, a collection nor a map."""

    __slots__ = ("form", "loc")
    form: str  # 'offloaded data' | 'an empty binding'
    loc: Loc

    def __init__(self, form: str, loc: Loc) -> None:
        self.form = form
        self.loc = loc


class PromiseValue(Record):
    __slots__ = ("loc", "promise")
    promise: Promise
    loc: Loc  # the BindingData holding the promise

    def __init__(self, promise: Promise, loc: Loc) -> None:
        self.promise = promise
        self.loc = loc


BindingValue: TypeAlias = PromiseValue | Scalar | Collection | MapValue | OtherValue


class Binding(Record):
    __slots__ = ("_promises", "loc", "value", "var")
    var: str
    value: BindingValue | None  # None: the Binding has no 'binding'
    loc: Loc  # the Binding message (its value is at loc.child('binding'))

    def __init__(self, var: str, value: BindingValue | None, loc: Loc) -> None:
        self.var = var
        self.value = value
        self.loc = loc
        self._promises: tuple[Promise, ...] | None = None

    def promises(self) -> tuple[Promise, ...]:
        """Every promise of the binding's value, in order (most values are one promise or
        none; every pass asks). Found once: the IR is not changed after it is built."""
        v = self.value
        if v is None:
            return ()
        if isinstance(v, PromiseValue):
            return (v.promise,)
        if isinstance(v, (Scalar, OtherValue)):
            return ()
        if self._promises is None:
            self._promises = tuple(value_promises(v))
        return self._promises


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

class Retries(Record):
    __slots__ = ("count", "loc")
    count: int
    loc: Loc

    def __init__(self, count: int, loc: Loc) -> None:
        self.count = count
        self.loc = loc


class Flag(Record):
    """A boolean or string setting as written, with where it was written."""

    __slots__ = ("loc", "value")
    value: Any
    loc: Loc

    def __init__(self, value: Any, loc: Loc) -> None:
        self.value = value
        self.loc = loc


class NodeMetadata(Record):
    __slots__ = ("cache_serializable", "cache_version", "cacheable", "interruptible", "retries",
                 "timeout")
    timeout: Flag | None  # a protobuf duration string, '600s'
    retries: Retries | None
    interruptible: Flag | None
    cacheable: Flag | None
    cache_version: str
    cache_serializable: Flag | None

    def __init__(self, timeout: Flag | None = None, retries: Retries | None = None,
                 interruptible: Flag | None = None, cacheable: Flag | None = None,
                 cache_version: str = "", cache_serializable: Flag | None = None) -> None:
        self.timeout = timeout
        self.retries = retries
        self.interruptible = interruptible
        self.cacheable = cacheable
        self.cache_version = cache_version
        self.cache_serializable = cache_serializable


class TaskMetadata(Record):
    __slots__ = ("cache", "cache_serializable", "cache_version", "interruptible", "present",
                 "retries", "timeout")
    cache: Flag | None  # 'discoverable'
    cache_version: str  # 'discoveryVersion'
    cache_serializable: Flag | None
    retries: Retries | None
    timeout: Flag | None
    interruptible: Flag | None
    present: bool  # the template has a 'metadata' message at all

    def __init__(self, cache: Flag | None = None, cache_version: str = "",
                 cache_serializable: Flag | None = None, retries: Retries | None = None,
                 timeout: Flag | None = None, interruptible: Flag | None = None,
                 present: bool = False) -> None:
        self.cache = cache
        self.cache_version = cache_version
        self.cache_serializable = cache_serializable
        self.retries = retries
        self.timeout = timeout
        self.interruptible = interruptible
        self.present = present


class Resource(Record):
    __slots__ = ("loc", "name", "value")
    name: str  # CPU, MEMORY, GPU, EPHEMERAL_STORAGE, ... (or a pod container's key)
    value: str
    loc: Loc  # the value

    def __init__(self, name: str, value: str, loc: Loc) -> None:
        self.name = name
        self.value = value
        self.loc = loc


class Resources(Record):
    __slots__ = ("limits", "loc", "requests")
    requests: tuple[Resource, ...]
    limits: tuple[Resource, ...]
    loc: Loc

    def __init__(self, requests: tuple[Resource, ...], limits: tuple[Resource, ...],
                 loc: Loc) -> None:
        self.requests = requests
        self.limits = limits
        self.loc = loc


class Container(Record):
    """A task's container, or one container of a pod task's pod spec."""

    __slots__ = ("args", "command", "env", "image", "init", "loc", "name", "raw", "resources")
    name: str  # '' for a task's own container
    image: str
    command: tuple[str, ...]
    args: tuple[str, ...]
    env: tuple[tuple[str, Any, Loc], ...]  # (name, value, where)
    resources: Resources | None
    loc: Loc
    raw: Any
    init: bool  # an init container of a pod

    def __init__(self, name: str, image: str, command: tuple[str, ...], args: tuple[str, ...],
                 env: tuple[tuple[str, Any, Loc], ...], resources: Resources | None, loc: Loc,
                 raw: Any, init: bool = False) -> None:
        self.name = name
        self.image = image
        self.command = command
        self.args = args
        self.env = env
        self.resources = resources
        self.loc = loc
        self.raw = raw
        self.init = init


class Secret(Record):
    __slots__ = ("env_var", "group", "key", "loc")
    group: str
    key: str
    env_var: str
    loc: Loc

    def __init__(self, group: str, key: str, env_var: str, loc: Loc) -> None:
        self.group = group
        self.key = key
        self.env_var = env_var
        self.loc = loc


# ---- nodes -------------------------------------------------------------------------------------

class Alias(Record):
    __slots__ = ("alias", "loc", "var")
    var: str
    alias: str
    loc: Loc

    def __init__(self, var: str, alias: str, loc: Loc) -> None:
        self.var = var
        self.alias = alias
        self.loc = loc


class Node(Record):
    """A workflow node. Subclasses are the node kinds; ``KIND`` is the kind's name in messages.

    ``role`` says where the node sits: 'node' (a workflow's node), 'case' (a branch's then-node),
    'else' (a branch's else-node), 'item' (an array node's node) or 'failure' (the workflow's
    failure node); ``parent`` is the branch or array node holding it. ``display_id`` is the id
    Flyte gives it in the closure: a branch's children become '<branch>-<child>'."""

    __slots__ = ("aliases", "display_id", "id", "inputs", "loc", "metadata", "parent", "raw",
                 "role", "upstream_ids")
    KIND: ClassVar[str] = ""
    id: str
    loc: Loc
    raw: dict[str, Any]
    inputs: list[Binding]
    upstream_ids: list[tuple[str, Loc]]
    aliases: list[Alias]
    metadata: NodeMetadata
    role: str
    parent: Node | None
    display_id: str

    def __init__(self, id: str, loc: Loc, raw: dict[str, Any], inputs: list[Binding],
                 upstream_ids: list[tuple[str, Loc]], aliases: list[Alias], metadata: NodeMetadata,
                 role: str = 'node', parent: Node | None = None, display_id: str = "") -> None:
        self.id = id
        self.loc = loc
        self.raw = raw
        self.inputs = inputs
        self.upstream_ids = upstream_ids
        self.aliases = aliases
        self.metadata = metadata
        self.role = role
        self.parent = parent
        self.display_id = display_id
        self.__post_init__()

    def __post_init__(self) -> None:
        if not self.display_id:
            self.display_id = self.id

    def children(self) -> list[Node]:
        """The nodes directly inside this one (branch cases, an array's node)."""
        return []


class StartNode(Node):
    __slots__ = ()
    KIND: ClassVar[str] = "start"

    def __init__(self, id: str, loc: Loc, raw: dict[str, Any], inputs: list[Binding],
                 upstream_ids: list[tuple[str, Loc]], aliases: list[Alias], metadata: NodeMetadata,
                 role: str = 'node', parent: Node | None = None, display_id: str = "") -> None:
        self.id = id
        self.loc = loc
        self.raw = raw
        self.inputs = inputs
        self.upstream_ids = upstream_ids
        self.aliases = aliases
        self.metadata = metadata
        self.role = role
        self.parent = parent
        self.display_id = display_id
        self.__post_init__()


class EndNode(Node):
    __slots__ = ()
    KIND: ClassVar[str] = "end"

    def __init__(self, id: str, loc: Loc, raw: dict[str, Any], inputs: list[Binding],
                 upstream_ids: list[tuple[str, Loc]], aliases: list[Alias], metadata: NodeMetadata,
                 role: str = 'node', parent: Node | None = None, display_id: str = "") -> None:
        self.id = id
        self.loc = loc
        self.raw = raw
        self.inputs = inputs
        self.upstream_ids = upstream_ids
        self.aliases = aliases
        self.metadata = metadata
        self.role = role
        self.parent = parent
        self.display_id = display_id
        self.__post_init__()


class TaskNode(Node):
    __slots__ = ("ref", "ref_loc")
    KIND: ClassVar[str] = "task"
    ref: Identifier | None
    ref_loc: Loc | None

    def __init__(self, id: str, loc: Loc, raw: dict[str, Any], inputs: list[Binding],
                 upstream_ids: list[tuple[str, Loc]], aliases: list[Alias], metadata: NodeMetadata,
                 role: str = 'node', parent: Node | None = None, display_id: str = "",
                 ref: Identifier | None = None, ref_loc: Loc | None = None) -> None:
        self.id = id
        self.loc = loc
        self.raw = raw
        self.inputs = inputs
        self.upstream_ids = upstream_ids
        self.aliases = aliases
        self.metadata = metadata
        self.role = role
        self.parent = parent
        self.display_id = display_id
        self.ref = ref
        self.ref_loc = ref_loc
        self.__post_init__()


class WorkflowNode(Node):
    """A node running a sub-workflow (``workflowNode.subWorkflowRef``)."""

    __slots__ = ("ref", "ref_loc")
    KIND: ClassVar[str] = "workflow"
    ref: Identifier | None
    ref_loc: Loc | None

    def __init__(self, id: str, loc: Loc, raw: dict[str, Any], inputs: list[Binding],
                 upstream_ids: list[tuple[str, Loc]], aliases: list[Alias], metadata: NodeMetadata,
                 role: str = 'node', parent: Node | None = None, display_id: str = "",
                 ref: Identifier | None = None, ref_loc: Loc | None = None) -> None:
        self.id = id
        self.loc = loc
        self.raw = raw
        self.inputs = inputs
        self.upstream_ids = upstream_ids
        self.aliases = aliases
        self.metadata = metadata
        self.role = role
        self.parent = parent
        self.display_id = display_id
        self.ref = ref
        self.ref_loc = ref_loc
        self.__post_init__()


class LaunchPlanNode(Node):
    __slots__ = ("ref", "ref_loc")
    KIND: ClassVar[str] = "launchplan"
    ref: Identifier | None
    ref_loc: Loc | None

    def __init__(self, id: str, loc: Loc, raw: dict[str, Any], inputs: list[Binding],
                 upstream_ids: list[tuple[str, Loc]], aliases: list[Alias], metadata: NodeMetadata,
                 role: str = 'node', parent: Node | None = None, display_id: str = "",
                 ref: Identifier | None = None, ref_loc: Loc | None = None) -> None:
        self.id = id
        self.loc = loc
        self.raw = raw
        self.inputs = inputs
        self.upstream_ids = upstream_ids
        self.aliases = aliases
        self.metadata = metadata
        self.role = role
        self.parent = parent
        self.display_id = display_id
        self.ref = ref
        self.ref_loc = ref_loc
        self.__post_init__()


class IfBlock(Record):
    __slots__ = ("condition", "loc", "then_node")
    condition: dict[str, Any] | None  # canonical core.BooleanExpression
    then_node: Node | None
    loc: Loc

    def __init__(self, condition: dict[str, Any] | None, then_node: Node | None, loc: Loc) -> None:
        self.condition = condition
        self.then_node = then_node
        self.loc = loc


class Branch(Record):
    __slots__ = ("case", "else_node", "has_error", "loc", "other")
    case: IfBlock | None
    other: list[IfBlock]
    else_node: Node | None
    has_error: bool
    loc: Loc

    def __init__(self, case: IfBlock | None, other: list[IfBlock], else_node: Node | None,
                 has_error: bool, loc: Loc) -> None:
        self.case = case
        self.other = other
        self.else_node = else_node
        self.has_error = has_error
        self.loc = loc

    def blocks(self) -> list[IfBlock]:
        return ([self.case] if self.case else []) + self.other


class BranchNode(Node):
    __slots__ = ("branch",)
    KIND: ClassVar[str] = "branch"
    branch: Branch | None

    def __init__(self, id: str, loc: Loc, raw: dict[str, Any], inputs: list[Binding],
                 upstream_ids: list[tuple[str, Loc]], aliases: list[Alias], metadata: NodeMetadata,
                 role: str = 'node', parent: Node | None = None, display_id: str = "",
                 branch: Branch | None = None) -> None:
        self.id = id
        self.loc = loc
        self.raw = raw
        self.inputs = inputs
        self.upstream_ids = upstream_ids
        self.aliases = aliases
        self.metadata = metadata
        self.role = role
        self.parent = parent
        self.display_id = display_id
        self.branch = branch
        self.__post_init__()

    def children(self) -> list[Node]:
        br = self.branch
        if br is None:
            return []
        out = [b.then_node for b in br.blocks() if b.then_node is not None]
        if br.else_node is not None:
            out.append(br.else_node)
        return out


class GateNode(Node):
    """A gate node with none of approve, signal or sleep."""

    __slots__ = ("gate",)
    KIND: ClassVar[str] = "gate"
    gate: dict[str, Any]  # canonical core.GateNode

    def __init__(self, id: str, loc: Loc, raw: dict[str, Any], inputs: list[Binding],
                 upstream_ids: list[tuple[str, Loc]], aliases: list[Alias], metadata: NodeMetadata,
                 role: str = 'node', parent: Node | None = None, display_id: str = "",
                 gate: dict[str, Any] | None = None) -> None:
        self.id = id
        self.loc = loc
        self.raw = raw
        self.inputs = inputs
        self.upstream_ids = upstream_ids
        self.aliases = aliases
        self.metadata = metadata
        self.role = role
        self.parent = parent
        self.display_id = display_id
        self.gate = gate if gate is not None else {}
        self.__post_init__()


class ApproveGateNode(GateNode):
    """Waits for a yes/no; its interface is made of its bindings, passed through."""

    __slots__ = ()

    def __init__(self, id: str, loc: Loc, raw: dict[str, Any], inputs: list[Binding],
                 upstream_ids: list[tuple[str, Loc]], aliases: list[Alias], metadata: NodeMetadata,
                 role: str = 'node', parent: Node | None = None, display_id: str = "",
                 gate: dict[str, Any] | None = None) -> None:
        self.id = id
        self.loc = loc
        self.raw = raw
        self.inputs = inputs
        self.upstream_ids = upstream_ids
        self.aliases = aliases
        self.metadata = metadata
        self.role = role
        self.parent = parent
        self.display_id = display_id
        self.gate = gate if gate is not None else {}
        self.__post_init__()


class SignalGateNode(GateNode):
    __slots__ = ("output_var", "signal_id", "signal_type")
    signal_id: str
    signal_type: Type | None
    output_var: str

    def __init__(self, id: str, loc: Loc, raw: dict[str, Any], inputs: list[Binding],
                 upstream_ids: list[tuple[str, Loc]], aliases: list[Alias], metadata: NodeMetadata,
                 role: str = 'node', parent: Node | None = None, display_id: str = "",
                 gate: dict[str, Any] | None = None, signal_id: str = "",
                 signal_type: Type | None = None, output_var: str = "") -> None:
        self.id = id
        self.loc = loc
        self.raw = raw
        self.inputs = inputs
        self.upstream_ids = upstream_ids
        self.aliases = aliases
        self.metadata = metadata
        self.role = role
        self.parent = parent
        self.display_id = display_id
        self.gate = gate if gate is not None else {}
        self.signal_id = signal_id
        self.signal_type = signal_type
        self.output_var = output_var
        self.__post_init__()


class SleepGateNode(GateNode):
    __slots__ = ("duration",)
    duration: str

    def __init__(self, id: str, loc: Loc, raw: dict[str, Any], inputs: list[Binding],
                 upstream_ids: list[tuple[str, Loc]], aliases: list[Alias], metadata: NodeMetadata,
                 role: str = 'node', parent: Node | None = None, display_id: str = "",
                 gate: dict[str, Any] | None = None, duration: str = "") -> None:
        self.id = id
        self.loc = loc
        self.raw = raw
        self.inputs = inputs
        self.upstream_ids = upstream_ids
        self.aliases = aliases
        self.metadata = metadata
        self.role = role
        self.parent = parent
        self.display_id = display_id
        self.gate = gate if gate is not None else {}
        self.duration = duration
        self.__post_init__()


class ArrayNode(Node):
    __slots__ = ("min_success_ratio", "min_successes", "parallelism", "sub_node")
    KIND: ClassVar[str] = "array"
    sub_node: Node | None
    parallelism: int | None
    min_successes: int | None
    min_success_ratio: float | None

    def __init__(self, id: str, loc: Loc, raw: dict[str, Any], inputs: list[Binding],
                 upstream_ids: list[tuple[str, Loc]], aliases: list[Alias], metadata: NodeMetadata,
                 role: str = 'node', parent: Node | None = None, display_id: str = "",
                 sub_node: Node | None = None, parallelism: int | None = None,
                 min_successes: int | None = None, min_success_ratio: float | None = None) -> None:
        self.id = id
        self.loc = loc
        self.raw = raw
        self.inputs = inputs
        self.upstream_ids = upstream_ids
        self.aliases = aliases
        self.metadata = metadata
        self.role = role
        self.parent = parent
        self.display_id = display_id
        self.sub_node = sub_node
        self.parallelism = parallelism
        self.min_successes = min_successes
        self.min_success_ratio = min_success_ratio
        self.__post_init__()

    def children(self) -> list[Node]:
        return [self.sub_node] if self.sub_node is not None else []


class UnknownNode(Node):
    """A node that says nothing about what it runs."""

    __slots__ = ()

    def __init__(self, id: str, loc: Loc, raw: dict[str, Any], inputs: list[Binding],
                 upstream_ids: list[tuple[str, Loc]], aliases: list[Alias], metadata: NodeMetadata,
                 role: str = 'node', parent: Node | None = None, display_id: str = "") -> None:
        self.id = id
        self.loc = loc
        self.raw = raw
        self.inputs = inputs
        self.upstream_ids = upstream_ids
        self.aliases = aliases
        self.metadata = metadata
        self.role = role
        self.parent = parent
        self.display_id = display_id
        self.__post_init__()



# ---- entities ----------------------------------------------------------------------------------

class Entity(Record):
    """A task, workflow or launch plan: what Flyte registers under an identifier.

    ``broken`` is True when its document did not pass check-schema: the entity is known by its
    identifier (so that what uses it is not told it does not exist) but checked no further."""

    __slots__ = ("broken", "id", "loc", "raw")
    WHAT: ClassVar[str] = ""
    id: Identifier
    raw: dict[str, Any]
    loc: Loc
    broken: bool

    def __init__(self, id: Identifier, raw: dict[str, Any], loc: Loc, broken: bool = False) -> None:
        self.id = id
        self.raw = raw
        self.loc = loc
        self.broken = broken

    @property
    def name(self) -> str:
        return self.id.name or "<unnamed>"

    def title(self) -> str:
        return f"{self.WHAT} '{self.name}'"


E = TypeVar("E", bound=Entity)


class Task(Entity):
    __slots__ = ("container", "interface", "metadata", "pod_containers", "secrets", "type")
    WHAT: ClassVar[str] = "task"
    interface: Interface | None
    type: str
    metadata: TaskMetadata
    container: Container | None
    pod_containers: tuple[Container, ...]
    secrets: tuple[Secret, ...]

    def __init__(self, id: Identifier, raw: dict[str, Any], loc: Loc, broken: bool = False,
                 interface: Interface | None = None, type: str = "",
                 metadata: TaskMetadata | None = None, container: Container | None = None,
                 pod_containers: tuple[Container, ...] = (),
                 secrets: tuple[Secret, ...] = ()) -> None:
        self.id = id
        self.raw = raw
        self.loc = loc
        self.broken = broken
        self.interface = interface
        self.type = type
        self.metadata = metadata if metadata is not None else TaskMetadata()
        self.container = container
        self.pod_containers = pod_containers
        self.secrets = secrets


class Workflow(Entity):
    __slots__ = ("end", "failure_node", "interface", "nodes", "outputs", "primary", "scope",
                 "start", "sub_workflows", "tasks_in_doc")
    WHAT: ClassVar[str] = "workflow"
    interface: Interface | None
    nodes: list[Node]
    outputs: list[Binding]
    failure_node: Node | None
    start: StartNode | None
    end: EndNode | None
    scope: dict[Key, Workflow]
    sub_workflows: list[Workflow]  # a primary's, in spec order
    tasks_in_doc: list[Key]  # a WorkflowClosure's own tasks
    primary: bool

    def __init__(self, id: Identifier, raw: dict[str, Any], loc: Loc, broken: bool = False,
                 interface: Interface | None = None, nodes: list[Node] | None = None,
                 outputs: list[Binding] | None = None, failure_node: Node | None = None,
                 start: StartNode | None = None, end: EndNode | None = None,
                 scope: dict[Key, Workflow] | None = None,
                 sub_workflows: list[Workflow] | None = None,
                 tasks_in_doc: list[Key] | None = None, primary: bool = False) -> None:
        self.id = id
        self.raw = raw
        self.loc = loc
        self.broken = broken
        self.interface = interface
        self.nodes = nodes if nodes is not None else []
        self.outputs = outputs if outputs is not None else []
        self.failure_node = failure_node
        self.start = start
        self.end = end
        self.scope = scope if scope is not None else {}
        self.sub_workflows = sub_workflows if sub_workflows is not None else []
        self.tasks_in_doc = tasks_in_doc if tasks_in_doc is not None else []
        self.primary = primary


class LaunchPlan(Entity):
    __slots__ = ("secrets", "workflow_id")
    WHAT: ClassVar[str] = "launch plan"
    workflow_id: Identifier
    secrets: tuple[Secret, ...]

    def __init__(self, id: Identifier, raw: dict[str, Any], loc: Loc, broken: bool = False,
                 workflow_id: Identifier | None = None, secrets: tuple[Secret, ...] = ()) -> None:
        self.id = id
        self.raw = raw
        self.loc = loc
        self.broken = broken
        self.workflow_id = workflow_id if workflow_id is not None else \
            Identifier("", "", "", "", "")
        self.secrets = secrets


class Program(Record):
    """Every entity of a run.

    The tables hold the first definition of each identifier (what references resolve to);
    ``entities`` holds every definition, in input order, including a second definition that
    differs from the first (each is checked on its own)."""

    __slots__ = ("entities", "launch_plans", "lost", "lost_all", "primaries", "tasks", "workflows")
    tasks: dict[Key, Task]
    workflows: dict[Key, Workflow]
    launch_plans: dict[Key, LaunchPlan]
    entities: list[Entity]
    primaries: list[Workflow]
    lost: tuple[str, ...]
    lost_all: bool  # something was lost whose text is unknown (a corrupt bundle)

    def __init__(self, tasks: dict[Key, Task] | None = None,
                 workflows: dict[Key, Workflow] | None = None,
                 launch_plans: dict[Key, LaunchPlan] | None = None,
                 entities: list[Entity] | None = None, primaries: list[Workflow] | None = None,
                 lost: tuple[str, ...] = (), lost_all: bool = False) -> None:
        self.tasks = tasks if tasks is not None else {}
        self.workflows = workflows if workflows is not None else {}
        self.launch_plans = launch_plans if launch_plans is not None else {}
        self.entities = entities if entities is not None else []
        self.primaries = primaries if primaries is not None else []
        self.lost = lost
        self.lost_all = lost_all

    def maybe_lost(self, name: str) -> bool:
        """Whether ``name`` may be defined in something that could not be read."""
        return self.lost_all or (bool(name) and any(name in text for text in self.lost))

    def of(self, cls: type[E]) -> Iterator[E]:
        """Every entity of one class, in input order."""
        for e in self.entities:
            if isinstance(e, cls):
                yield e

