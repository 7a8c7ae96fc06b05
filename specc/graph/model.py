"""A compiled closure turned into a drawable graph: nodes, nested clusters and edges.

``build(closure)`` reads a ``core.CompiledWorkflowClosure`` in canonical proto3-JSON form (the
dicts specc's emit-closure pass produces, camelCase) and returns a :class:`Graph` that every
output format draws the same way. Nothing here knows a format; nothing here imports specc but
``specc.types``.

What is drawn is what Flyte runs:

* the primary template's nodes (``start-node`` and ``end-node`` included) and the failure node;
* the edges of ``connections``: a pair listed downstream is a *data* edge; a pair listed upstream
  only (branch children, the failure node) is an *upstream* edge;
* composite nodes with what they hold in a cluster beside them, joined by edges from the node:
  a branch's cases (``case`` edges labelled with the condition), a sub-workflow's own graph found
  in ``subWorkflows`` (a ``contents`` edge to its start-node), an array node's inner node.

Every drawn node has a *key*, unique in the graph and stable: a node of the primary workflow (a
branch child or the failure node too) is keyed by its id; a node inside a sub-workflow by
``<call node key>/<id>``; an array node's inner node by ``<array key>/<id>``; a branch's error
by ``<branch key>/error``. Diagnostics are addressed by key.
"""
from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from specc.types import type_to_str

START = "start-node"
END = "end-node"

# node kinds, in the order the legend lists them
KINDS: tuple[str, ...] = (
    "start", "end", "task", "subworkflow", "launchplan", "branch", "error", "gate-approve",
    "gate-signal", "gate-sleep", "array", "unknown",
)
KIND_NAMES: dict[str, str] = {
    "start": "start", "end": "end", "task": "task", "subworkflow": "sub-workflow",
    "launchplan": "launch plan", "branch": "branch", "error": "branch error",
    "gate-approve": "gate: approve", "gate-signal": "gate: signal", "gate-sleep": "gate: sleep",
    "array": "array (map)", "unknown": "unknown",
}

# edge styles
DATA = "data"            # a pair of connections.downstream
UPSTREAM = "upstream"    # a pair of connections.upstream that downstream does not list
CASE = "case"            # a branch node to the node of one of its cases
CONTENTS = "contents"    # a sub-workflow or array node to what it runs

SEVERITIES: tuple[str, ...] = ("error", "warning", "note")

Diagnostic = tuple[str, str, str]  # (severity, code, message)
Diagnostics = Mapping[str, Sequence[Diagnostic]]

JSON = dict[str, Any]
_EMPTY: JSON = {}


@dataclass
class Node:
    """One drawn node. ``title`` is what it is (``task shop.fetch``), ``node_id`` Flyte's id."""

    key: str
    node_id: str
    kind: str
    title: str
    raw: JSON
    scope: str                 # key of the workflow scope: "" primary, else the call node's key
    failure: bool = False      # the failure node, or inside it
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def severity(self) -> str | None:
        """The worst severity among the node's diagnostics (``error`` > ``warning`` > ``note``),
        None without diagnostics."""
        for sev in SEVERITIES:
            if any(d[0] == sev for d in self.diagnostics):
                return sev
        return "note" if self.diagnostics else None


@dataclass
class Cluster:
    """A group drawn as a box: the primary workflow (``root``), a branch, a sub-workflow, an array
    node or the failure node. ``owner`` is the key of the node whose contents these are (it is
    the first member). ``members`` are node keys and clusters in drawing order: a branch's in the
    order of its cases, the others' by the natural order of their keys, the failure node last."""

    key: str
    kind: str                  # root | branch | subworkflow | array | failure
    label: str
    owner: str | None = None
    members: list[str | Cluster] = field(default_factory=list)

    @property
    def nodes(self) -> list[str]:
        """The keys of the nodes directly inside, in drawing order."""
        return [m for m in self.members if isinstance(m, str)]

    @property
    def clusters(self) -> list[Cluster]:
        """The clusters directly inside, in drawing order."""
        return [m for m in self.members if isinstance(m, Cluster)]


@dataclass(frozen=True)
class Edge:
    """An edge between two node keys. ``label`` is a case's condition (``case`` edges) or the
    variables the edge carries (only when the graph was built with ``edge_labels``)."""

    src: str
    dst: str
    style: str
    label: str = ""


@dataclass
class Graph:
    """The drawable form of one closure. ``nodes`` in drawing order; ``edges`` sorted; ``hints``
    are extra (invisible) edges that keep a composite's downstream nodes below its contents."""

    name: str
    version: str
    inputs: list[tuple[str, str]]
    outputs: list[tuple[str, str]]
    nodes: dict[str, Node]
    root: Cluster
    edges: list[Edge]
    hints: list[tuple[str, str]]
    # per workflow scope ("" the primary, else the call node's key): the keys of its template's
    # nodes and of its failure node
    scopes: dict[str, list[str]]
    # per workflow scope that has one: the key of its failure node
    failures: dict[str, str]

    def kinds(self) -> list[str]:
        """The node kinds present, in legend order."""
        present = {n.kind for n in self.nodes.values()}
        return [k for k in KINDS if k in present]

    def severities(self) -> list[str]:
        """The diagnostic severities present, worst first."""
        present = {n.severity for n in self.nodes.values()}
        return [s for s in SEVERITIES if s in present]

    def order(self) -> list[str]:
        """Every node key in drawing order (depth first through the clusters)."""
        return _drawing_order(self.root)


# ------------------------------------------------------------------------------------------------
# Sorting
# ------------------------------------------------------------------------------------------------

_DIGITS = re.compile(r"(\d+)")


def natural_key(s: str) -> tuple[tuple[int, int, str], ...]:
    """A sort key that orders ``n2`` before ``n10`` (digit runs compare as numbers), with every
    key ending in ``start-node`` first and every key ending in ``end-node`` last. Total and
    deterministic for any string."""
    tail = s.rsplit("/", 1)[-1]
    rank = 0 if tail == START else 2 if tail == END else 1
    parts: list[tuple[int, int, str]] = [(rank, 0, "")]
    for i, part in enumerate(_DIGITS.split(s)):
        parts.append((1, int(part), part) if i % 2 else (0, 0, part))
    return tuple(parts)


# ------------------------------------------------------------------------------------------------
# Texts: conditions, identifiers, types
# ------------------------------------------------------------------------------------------------

_CMP = {"EQ": "==", "NEQ": "!=", "GT": ">", "GTE": ">=", "LT": "<", "LTE": "<="}
_CMP_BY_NUMBER = ["EQ", "NEQ", "GT", "GTE", "LT", "LTE"]
_LOGIC_BY_NUMBER = ["AND", "OR"]


def _enum(value: Any, names: list[str]) -> str:
    """An enum field in canonical form: a name, a number, or absent (the first value)."""
    if isinstance(value, int) and 0 <= value < len(names):
        return names[value]
    return str(value) if value is not None else names[0]


def _primitive_text(p: Mapping[str, Any]) -> str:
    for key in ("integer", "floatValue", "datetime", "duration"):
        if key in p:
            return str(p[key])
    if "stringValue" in p:
        return json.dumps(p["stringValue"], ensure_ascii=False)
    if "boolean" in p:
        return "true" if p["boolean"] else "false"
    return "0"  # every field at its default: proto3 JSON prints an empty message


def operand_text(op: Mapping[str, Any] | None) -> str:
    """A condition operand: a variable name, a primitive (strings quoted), or a scalar."""
    op = op or _EMPTY
    if "var" in op:
        return str(op["var"])
    if "primitive" in op:
        return _primitive_text(op["primitive"] or _EMPTY)
    if "scalar" in op:
        scalar = op["scalar"] or _EMPTY
        if "primitive" in scalar:
            return _primitive_text(scalar["primitive"] or _EMPTY)
        if "noneType" in scalar:
            return "none"
        return json.dumps(scalar, sort_keys=True, ensure_ascii=False)
    return "?"


def condition_text(expr: Mapping[str, Any] | None) -> str:
    """A ``core.BooleanExpression`` as one line: ``a > 1 and (b == "x" or c)``. Nested
    conjunctions of another operator are parenthesised."""
    expr = expr or _EMPTY
    if "comparison" in expr:
        c = expr["comparison"] or _EMPTY
        op = _CMP.get(_enum(c.get("operator"), _CMP_BY_NUMBER), "?")
        return f"{operand_text(c.get('leftValue'))} {op} {operand_text(c.get('rightValue'))}"
    if "conjunction" in expr:
        c = expr["conjunction"] or _EMPTY
        op = _enum(c.get("operator"), _LOGIC_BY_NUMBER)
        parts = []
        for side in (c.get("leftExpression"), c.get("rightExpression")):
            text = condition_text(side)
            inner = (side or _EMPTY).get("conjunction")
            if inner is not None and _enum((inner or _EMPTY).get("operator"),
                                           _LOGIC_BY_NUMBER) != op:
                text = f"({text})"
            parts.append(text)
        return f" {op.lower()} ".join(parts)
    return "?"


def _id_name(ident: Mapping[str, Any] | None) -> str:
    return str((ident or _EMPTY).get("name", "")) or "?"


def _id_match(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    keys = ("project", "domain", "name", "version", "org")
    return all(a.get(k, "") == b.get(k, "") for k in keys)


def _by_name(items: Sequence[JSON]) -> dict[str, list[JSON]]:
    """Compiled tasks or workflows by the name of their ``template.id``, in their order."""
    out: dict[str, list[JSON]] = {}
    for item in items:
        ident = (item.get("template") or _EMPTY).get("id") or _EMPTY
        out.setdefault(str(ident.get("name", "")), []).append(item)
    return out


def _find(ident: Mapping[str, Any] | None, index: Mapping[str, list[JSON]]) -> JSON | None:
    """The item (a compiled task or workflow, from an index by :func:`_by_name`) whose
    ``template.id`` is ``ident``: the same project, domain, name and version, else the only one
    of that name."""
    if not ident:
        return None
    named = index.get(str(ident.get("name", "")), [])
    for item in named:
        if _id_match((item.get("template") or _EMPTY).get("id") or _EMPTY, ident):
            return item
    return named[0] if len(named) == 1 else None


def _variables(interface: Mapping[str, Any] | None, side: str) -> dict[str, JSON]:
    got = ((interface or _EMPTY).get(side) or _EMPTY).get("variables") or _EMPTY
    return dict(got)


def _typed(interface: Mapping[str, Any] | None, side: str) -> list[tuple[str, str]]:
    return [(name, type_to_str((var or _EMPTY).get("type")))
            for name, var in sorted(_variables(interface, side).items())]


# ------------------------------------------------------------------------------------------------
# Bindings
# ------------------------------------------------------------------------------------------------

def promises(node: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    """Every promise a node's inputs read, as ``(input name, upstream node id, upstream var)``
    with the attribute path appended to the var (``o0.label``, ``o0[0]``); promises nested in
    collection and map bindings count too (``xs[1]``, ``m[key]`` as the input name). A promise
    without ``nodeId`` reads ``start-node``."""
    out: list[tuple[str, str, str]] = []

    def walk(name: str, data: Mapping[str, Any]) -> None:
        if "promise" in data:
            p = data["promise"] or _EMPTY
            var = str(p.get("var", ""))
            for step in p.get("attrPath") or []:
                if "stringValue" in step:
                    var += f".{step['stringValue']}"
                elif "intValue" in step:
                    var += f"[{step['intValue']}]"
                else:
                    var += "[0]"  # intValue 0 is a default, dropped from the canonical form
            out.append((name, str(p.get("nodeId") or START), var))
        if "collection" in data:
            for i, b in enumerate((data["collection"] or _EMPTY).get("bindings") or []):
                walk(f"{name}[{i}]", b or _EMPTY)
        if "map" in data:
            for k, b in sorted(((data["map"] or _EMPTY).get("bindings") or _EMPTY).items()):
                walk(f"{name}[{k}]", b or _EMPTY)

    for b in node.get("inputs") or []:
        walk(str(b.get("var", "")), b.get("binding") or _EMPTY)
    return out


# ------------------------------------------------------------------------------------------------
# Building
# ------------------------------------------------------------------------------------------------

class _Builder:
    def __init__(self, closure: Mapping[str, Any], edge_labels: bool):
        self.edge_labels = edge_labels
        self.tasks = _by_name(list(closure.get("tasks") or []))
        self.subs = _by_name(list(closure.get("subWorkflows") or []))
        self.nodes: dict[str, Node] = {}
        self.edges: set[Edge] = set()
        self.hints: set[tuple[str, str]] = set()
        self.scopes: dict[str, list[str]] = {}
        self.failures: dict[str, str] = {}
        self.exits: dict[str, list[str]] = {}     # composite key -> keys its runs end at
        self.interfaces: dict[str, JSON] = {}      # scope -> its workflow interface
        self.stack: list[str] = []                 # names of the sub-workflows being drawn
        self.reads: dict[str, dict[str, list[tuple[str, str]]]] = {}  # see _carried

    # -- keys -------------------------------------------------------------------------------

    def _key(self, wanted: str) -> str:
        key, n = wanted, 1
        while key in self.nodes:
            n += 1
            key = f"{wanted}#{n}"
        return key

    # -- one node, with what it holds -------------------------------------------------------

    def add(self, raw: Mapping[str, Any], scope: str, cluster: Cluster, prefix: str,
            failure: bool = False) -> Node:
        """Draw ``raw`` (a core.Node) in ``cluster``, keyed ``prefix + id``; a composite node
        gets a cluster of its own there, holding the node and its contents."""
        node_id = str(raw.get("id", "")) or "?"
        key = self._key(prefix + node_id)
        kind, title = self._kind(raw, node_id)
        node = Node(key, node_id, kind, title, dict(raw), scope, failure)
        self.nodes[key] = node
        host = cluster
        if kind == "branch":
            host = Cluster(f"{key}", "branch", f"branch {node_id}", owner=key)
            cluster.members.append(host)
            self._branch(node, raw, scope, host, prefix, failure)
        elif kind == "subworkflow":
            wf = _find((raw.get("workflowNode") or _EMPTY).get("subWorkflowRef"), self.subs)
            if wf is not None and _id_name((wf.get("template") or _EMPTY).get("id")) \
                    not in self.stack:  # a sub-workflow calling itself is drawn as a box
                host = Cluster(key, "subworkflow", title, owner=key)
                cluster.members.append(host)
                self._subworkflow(node, wf, host, failure)
        elif kind == "array":
            inner = (raw.get("arrayNode") or _EMPTY).get("node")
            if isinstance(inner, Mapping):
                host = Cluster(key, "array", f"array {node_id}", owner=key)
                cluster.members.append(host)
                sub = self.add(inner, scope, host, key + "/", failure)
                self.edges.add(Edge(key, sub.key, CONTENTS, "each"))
                self.exits[key] = self._exits(sub.key)
        if host is cluster:
            cluster.members.append(key)
        else:
            host.members.insert(0, key)  # a composite node heads its own cluster
        return node

    def _kind(self, raw: Mapping[str, Any], node_id: str) -> tuple[str, str]:
        if "taskNode" in raw:
            ref = (raw["taskNode"] or _EMPTY).get("referenceId")
            return "task", f"task {_id_name(ref)}"
        if "workflowNode" in raw:
            wn = raw["workflowNode"] or _EMPTY
            if "subWorkflowRef" in wn:
                return "subworkflow", f"sub-workflow {_id_name(wn['subWorkflowRef'])}"
            if "launchplanRef" in wn:
                return "launchplan", f"launch plan {_id_name(wn['launchplanRef'])}"
            return "unknown", "workflow node without a reference"
        if "branchNode" in raw:
            name = (raw.get("metadata") or _EMPTY).get("name")
            return "branch", f"branch {name}" if name else "branch"
        if "gateNode" in raw:
            gate = raw["gateNode"] or _EMPTY
            if "approve" in gate:
                return "gate-approve", f"approve {(gate['approve'] or _EMPTY).get('signalId', '')}"
            if "signal" in gate:
                sig = gate["signal"] or _EMPTY
                return "gate-signal", (f"signal {sig.get('signalId', '')}: "
                                       f"{type_to_str(sig.get('type'))}")
            if "sleep" in gate:
                return "gate-sleep", f"sleep {(gate['sleep'] or _EMPTY).get('duration', '0s')}"
            return "unknown", "gate"
        if "arrayNode" in raw:
            return "array", f"array{_array_details(raw)}"
        if node_id == START:
            return "start", "start"
        if node_id == END:
            return "end", "end"
        return "unknown", "no target"

    def _branch(self, node: Node, raw: Mapping[str, Any], scope: str, host: Cluster,
                prefix: str, failure: bool) -> None:
        ifelse = (raw.get("branchNode") or _EMPTY).get("ifElse") or _EMPTY
        cases: list[tuple[str, Mapping[str, Any]]] = []
        first = ifelse.get("case")
        if isinstance(first, Mapping):
            cases.append((f"if {condition_text(first.get('condition'))}",
                          first.get("thenNode") or _EMPTY))
        for other in ifelse.get("other") or []:
            cases.append((f"elif {condition_text(other.get('condition'))}",
                          other.get("thenNode") or _EMPTY))
        if "elseNode" in ifelse:
            cases.append(("else", ifelse["elseNode"] or _EMPTY))
        exits: list[str] = []
        for label, then in cases:
            child = self.add(then, scope, host, prefix, failure)
            self.edges.add(Edge(node.key, child.key, CASE, label))
            exits += self._exits(child.key)
        if "error" in ifelse:
            err = ifelse["error"] or _EMPTY
            key = self._key(f"{node.key}/error")
            msg = str(err.get("message", ""))
            self.nodes[key] = Node(key, "error", "error", f"fail: {msg}" if msg else "fail",
                                   dict(err), scope, failure)
            host.members.append(key)
            self.edges.add(Edge(node.key, key, CASE, "else"))
            exits.append(key)
        self.exits[node.key] = exits or [node.key]

    def _subworkflow(self, node: Node, sub: Mapping[str, Any], host: Cluster,
                     failure: bool) -> None:
        template = sub.get("template") or _EMPTY
        self.stack.append(_id_name(template.get("id")))
        self.workflow(template, sub.get("connections") or _EMPTY, node.key, host, failure)
        self.stack.pop()
        start, end = f"{node.key}/{START}", f"{node.key}/{END}"
        if start in self.nodes:
            self.edges.add(Edge(node.key, start, CONTENTS, "runs"))
        self.exits[node.key] = [end] if end in self.nodes else [node.key]

    def _exits(self, key: str) -> list[str]:
        return self.exits.get(key, [key])

    # -- one workflow -----------------------------------------------------------------------

    def workflow(self, template: Mapping[str, Any], connections: Mapping[str, Any], scope: str,
                 cluster: Cluster, failure: bool = False) -> None:
        """Draw a workflow template's nodes, failure node and connections in ``cluster``; its
        node keys are prefixed ``<scope>/`` (none for the primary workflow)."""
        prefix = f"{scope}/" if scope else ""
        self.interfaces[scope] = dict(template.get("interface") or _EMPTY)
        before = set(self.nodes)
        top: list[str] = []
        for raw in sorted(template.get("nodes") or [], key=lambda n: natural_key(str(n.get("id")))):
            top.append(self.add(raw, scope, cluster, prefix, failure).key)
        fnode = template.get("failureNode")
        if isinstance(fnode, Mapping):
            fc = Cluster(f"{prefix}failure", "failure", "on failure")
            cluster.members.append(fc)
            self.failures[scope] = self.add(fnode, scope, fc, prefix, True).key
            top.append(self.failures[scope])
        self.scopes[scope] = top
        # the workflow's own nodes, by Flyte id, for its connections
        by_id: dict[str, str] = {}
        for key in sorted(set(self.nodes) - before, key=natural_key):
            n = self.nodes[key]
            if n.scope == scope and n.kind != "error" and n.node_id not in by_id \
                    and not _in_array(key, self.nodes, scope):
                by_id[n.node_id] = key
        for key in top:
            by_id[self.nodes[key].node_id] = key  # template nodes win a clash
        down = _pairs(connections.get("downstream"), reverse=False)
        up = _pairs(connections.get("upstream"), reverse=True)
        for src, dst in sorted(down | up):
            for end in (src, dst):
                if end not in by_id:  # a connection to a node the template does not hold
                    key = self._key(prefix + end)
                    kind, title = self._kind({}, end)
                    if kind == "unknown":
                        title = "not in the template"
                    self.nodes[key] = Node(key, end, kind, title, {}, scope, failure)
                    cluster.members.append(key)
                    by_id[end] = key
            style = DATA if (src, dst) in down else UPSTREAM
            s, d = by_id[src], by_id[dst]
            self.edges.add(Edge(s, d, style, self._carried(s, d) if self.edge_labels else ""))
            if s in self.exits and style == DATA:
                for x in self.exits[s]:
                    if x != s:
                        self.hints.add((x, d))

    # -- edge labels ------------------------------------------------------------------------

    def _carried(self, src: str, dst: str) -> str:
        """The variables the edge ``src`` -> ``dst`` carries: one line per promise of ``dst``'s
        inputs that reads ``src``, ``var`` or ``var → input``, with the type where known."""
        s, d = self.nodes[src], self.nodes[dst]
        if dst not in self.reads:  # once per node: its promises by the node they read
            by_node: dict[str, list[tuple[str, str]]] = {}
            for name, node_id, var in promises(d.raw):
                by_node.setdefault(node_id, []).append((name, var))
            self.reads[dst] = by_node
        lines: list[str] = []
        for name, var in self.reads[dst].get(s.node_id, []):
            text = var if var == name else f"{var} → {name}"
            t = self._input_type(d, name) or self._output_type(s, var)
            lines.append(f"{text}: {t}" if t else text)
        return "\n".join(sorted(set(lines), key=natural_key))

    def _input_type(self, node: Node, name: str) -> str | None:
        base = name.split("[", 1)[0]
        iface: Mapping[str, Any] | None = None
        if node.kind == "end":
            var = _variables(self.interfaces.get(node.scope), "outputs").get(base)
        else:
            iface = self._interface(node)
            var = _variables(iface, "inputs").get(base) if iface is not None else None
        if var is None:
            return None
        t = type_to_str(var.get("type"))
        return t if base == name else None  # an element of a collection or map: unknown here

    def _output_type(self, node: Node, var: str) -> str | None:
        if "." in var or "[" in var:
            return None  # an attribute path: its type is the downstream input's
        if node.kind == "start":
            v = _variables(self.interfaces.get(node.scope), "inputs").get(var)
        elif node.kind == "gate-signal":
            sig = (node.raw.get("gateNode") or _EMPTY).get("signal") or _EMPTY
            return type_to_str(sig.get("type")) if sig.get("outputVariableName") == var else None
        else:
            iface = self._interface(node)
            for alias in node.raw.get("outputAliases") or []:
                if alias.get("alias") == var:
                    var = str(alias.get("var", ""))
            v = _variables(iface, "outputs").get(var) if iface is not None else None
        return type_to_str(v.get("type")) if v is not None else None

    def _interface(self, node: Node) -> Mapping[str, Any] | None:
        if node.kind == "task":
            task = _find((node.raw.get("taskNode") or _EMPTY).get("referenceId"), self.tasks)
            return ((task or _EMPTY).get("template") or _EMPTY).get("interface")
        if node.kind == "subworkflow":
            sub = _find((node.raw.get("workflowNode") or _EMPTY).get("subWorkflowRef"),
                        self.subs)
            return ((sub or _EMPTY).get("template") or _EMPTY).get("interface")
        return None


def _in_array(key: str, nodes: Mapping[str, Node], scope: str) -> bool:
    """Is ``key`` an array node's inner node (keyed ``<array key>/<id>``) in ``scope``?"""
    parent = key.rsplit("/", 1)[0] if "/" in key else None
    while parent:
        if parent in nodes and nodes[parent].kind == "array" and nodes[parent].scope == scope:
            return True
        parent = parent.rsplit("/", 1)[0] if "/" in parent else None
    return False


def _array_details(raw: Mapping[str, Any]) -> str:
    array = raw.get("arrayNode") or _EMPTY
    parts = []
    if "parallelism" in array:
        parts.append(f"parallelism {array['parallelism']}")
    if "minSuccesses" in array:
        parts.append(f"min successes {array['minSuccesses']}")
    if "minSuccessRatio" in array:
        parts.append(f"min success ratio {array['minSuccessRatio']}")
    return f" ({', '.join(parts)})" if parts else ""


def _pairs(table: Any, reverse: bool) -> set[tuple[str, str]]:
    """``connections.downstream`` (``reverse=False``) or ``.upstream`` as (src, dst) pairs."""
    out: set[tuple[str, str]] = set()
    for k, v in (table or _EMPTY).items():
        for other in (v or _EMPTY).get("ids") or []:
            out.add((str(other), str(k)) if reverse else (str(k), str(other)))
    return out


def build(closure: Mapping[str, Any], *, edge_labels: bool = False,
          diagnostics: Diagnostics | None = None) -> Graph:
    """The drawable graph of a compiled closure (canonical proto3-JSON dict).

    Needs ``closure["primary"]["template"]``; everything else may be missing (a closure specc
    could not finish still draws). ``diagnostics`` maps node keys (see the module docstring) to
    ``(severity, code, message)`` triples; unknown keys are ignored. Guarantees: the same input
    gives the same graph (nodes and clusters in natural order of their ids, edges sorted), every
    edge joins two nodes of the graph, and keys are unique.
    """
    primary = closure.get("primary") or _EMPTY
    template = primary.get("template") or _EMPTY
    ident = template.get("id") or _EMPTY
    b = _Builder(closure, edge_labels)
    root = Cluster("", "root", f"workflow {_id_name(ident)}")
    b.workflow(template, primary.get("connections") or _EMPTY, "", root)
    for key, diags in (diagnostics or {}).items():
        if key in b.nodes:
            b.nodes[key].diagnostics = sorted(
                (str(s), str(c), str(m)) for s, c, m in diags)
    _sort(root)
    order = {k: i for i, k in enumerate(_drawing_order(root))}
    edges = sorted(b.edges, key=lambda e: (order[e.src], order[e.dst], e.style, e.label))
    hints = sorted(b.hints - {(e.src, e.dst) for e in edges}, key=lambda h: (order[h[0]],
                                                                              order[h[1]]))
    interface = template.get("interface") or _EMPTY
    return Graph(
        name=_id_name(ident), version=str(ident.get("version", "")),
        inputs=_typed(interface, "inputs"), outputs=_typed(interface, "outputs"),
        nodes={k: b.nodes[k] for k in order}, root=root, edges=edges, hints=hints,
        scopes=b.scopes, failures=b.failures)


def _member_key(m: str | Cluster) -> tuple[bool, tuple[tuple[int, int, str], ...]]:
    if isinstance(m, str):
        return False, natural_key(m)
    return m.kind == "failure", natural_key(m.owner or m.key)


def _sort(c: Cluster) -> None:
    """Natural order of keys inside each cluster but a branch's (case order); a composite's own
    node first, the failure cluster last."""
    if c.kind != "branch":
        head: list[str | Cluster] = [c.owner] if c.owner in c.members else []
        c.members = head + sorted((m for m in c.members if m != c.owner), key=_member_key)
    for sub in c.clusters:
        _sort(sub)


def _drawing_order(c: Cluster) -> list[str]:
    out: list[str] = []
    for m in c.members:
        out += [m] if isinstance(m, str) else _drawing_order(m)
    return out


def workflow_name(closure: Mapping[str, Any]) -> str:
    """The primary workflow's name (``primary.template.id.name``), ``?`` when missing."""
    return _id_name(((closure.get("primary") or _EMPTY).get("template") or _EMPTY).get("id"))
