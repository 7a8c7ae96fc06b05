"""The IR: what every pass after build-ir reads.

Objects mirror flyteidl core. Each carries ``loc`` (its document and JSON pointer, which the
document's span index turns into line and column) and ``raw``, its canonical proto3-JSON dict, from
which the closure is emitted. Types (LiteralType) stay canonical dicts: ``specc.types`` works on
them directly. The front-end a spec came from is invisible here.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from specc.diagnostics import Loc

START_NODE = "start-node"
END_NODE = "end-node"
RESOURCE_TYPES = ("UNSPECIFIED", "TASK", "WORKFLOW", "LAUNCH_PLAN", "DATASET")


def _clean(v: str) -> str:
    # pyflyte's older bundles hold '{{ registration.project }}'-style placeholders that
    # `flytectl register files` fills in; offline they mean "not yet known", i.e. empty.
    if v.startswith("{{") and v.endswith("}}"):
        return ""
    return v


@dataclass(frozen=True, slots=True)
class Identifier:
    resource_type: str
    project: str
    domain: str
    name: str
    version: str
    org: str = ""

    @classmethod
    def from_raw(cls, raw: dict | None, default_type: str = "UNSPECIFIED") -> "Identifier":
        raw = raw or {}
        return cls(raw.get("resourceType", default_type if not raw else "UNSPECIFIED"),
                   _clean(raw.get("project", "")), _clean(raw.get("domain", "")),
                   raw.get("name", ""), _clean(raw.get("version", "")), raw.get("org", ""))

    @property
    def key(self) -> tuple:
        return (self.resource_type, self.project, self.domain, self.name, self.version, self.org)

    @property
    def sort_key(self) -> tuple:
        # Flyte sorts requirements by (resource_type, project, domain, name, version)
        return (RESOURCE_TYPES.index(self.resource_type) if self.resource_type in RESOURCE_TYPES
                else 99, self.project, self.domain, self.name, self.version)

    def display(self) -> str:
        parts = [p for p in (self.project, self.domain) if p]
        s = "/".join(parts + [self.name])
        return f"{s}@{self.version}" if self.version else s

    def to_raw(self) -> dict:
        out: dict[str, Any] = {}
        if self.resource_type != "UNSPECIFIED":
            out["resourceType"] = self.resource_type
        for k, v in (("project", self.project), ("domain", self.domain), ("name", self.name),
                     ("version", self.version), ("org", self.org)):
            if v:
                out[k] = v
        return out


@dataclass(slots=True)
class Variable:
    name: str
    type: dict | None
    loc: Loc


@dataclass(slots=True)
class Interface:
    inputs: dict[str, Variable]
    outputs: dict[str, Variable]
    loc: Loc


@dataclass(slots=True)
class Binding:
    var: str
    data: dict | None  # canonical BindingData
    loc: Loc  # the Binding message (its 'binding' value is at loc.child('binding'))


@dataclass(slots=True)
class Task:
    id: Identifier
    interface: Interface | None
    raw: dict  # canonical core.TaskTemplate
    loc: Loc


@dataclass(slots=True)
class IfBlock:
    condition: dict | None
    then_node: "Node | None"
    loc: Loc


@dataclass(slots=True)
class Branch:
    case: IfBlock | None
    other: list[IfBlock]
    else_node: "Node | None"
    has_error: bool
    loc: Loc


@dataclass(slots=True)
class Node:
    """A workflow node. ``kind`` is task, workflow, launchplan, branch, gate, array or ''."""

    id: str
    kind: str
    raw: dict
    loc: Loc
    inputs: list[Binding]
    upstream_ids: list[tuple[str, Loc]]
    aliases: list[tuple[str, str, Loc]]  # (var, alias, loc)
    ref: Identifier | None = None  # task, sub-workflow or launch plan
    ref_loc: Loc | None = None
    branch: Branch | None = None
    sub_node: "Node | None" = None  # array node's node
    gate: dict | None = None
    # filled by resolve-references
    interface: "ResolvedInterface | None" = None
    display_id: str = ""  # branch children are renamed '<parent>-<child>' by Flyte

    def __post_init__(self) -> None:
        if not self.display_id:
            self.display_id = self.id


@dataclass(slots=True)
class ResolvedInterface:
    """A node's interface: inputs it takes and (effective, aliased) outputs it gives."""

    inputs: dict[str, dict]  # name -> LiteralType
    outputs: dict[str, dict]


@dataclass(slots=True)
class Workflow:
    id: Identifier
    interface: Interface | None
    nodes: list[Node]
    outputs: list[Binding]
    failure_node: Node | None
    raw: dict  # canonical core.WorkflowTemplate
    loc: Loc
    sub_workflows: list["Workflow"] = field(default_factory=list)  # from the same WorkflowSpec
    tasks_in_doc: list[tuple] = field(default_factory=list)  # WorkflowClosure's own task keys
    # filled by resolve-references and check-graph
    node_index: dict[str, Node] = field(default_factory=dict)
    upstream: dict[str, set[str]] = field(default_factory=dict)
    downstream: dict[str, set[str]] = field(default_factory=dict)
    edges: list = field(default_factory=list)  # (from, to, direction)


@dataclass(slots=True)
class LaunchPlan:
    id: Identifier
    workflow_id: Identifier
    raw: dict  # canonical admin.LaunchPlan
    loc: Loc


@dataclass
class Program:
    tasks: dict[tuple, Task] = field(default_factory=dict)
    workflows: dict[tuple, Workflow] = field(default_factory=dict)
    launch_plans: dict[tuple, LaunchPlan] = field(default_factory=dict)
    # workflows a document defines as its primary (those get a closure), in input order
    primaries: list[Workflow] = field(default_factory=list)
    # sub-workflows of each primary's spec, by primary id key
    spec_subs: dict[tuple, list[Workflow]] = field(default_factory=dict)
