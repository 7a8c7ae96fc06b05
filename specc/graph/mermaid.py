"""Mermaid output: a ``flowchart TD`` with subgraphs for the clusters."""
from __future__ import annotations

import json
import re

from specc.graph.dot import node_label
from specc.graph.model import KIND_NAMES, Cluster, Graph
from specc.graph.style import (
    CLUSTER_STYLES,
    EDGE_STYLES,
    FAILURE_BORDER,
    FAILURE_FILL,
    NODE_STYLES,
    SEVERITY_STYLES,
)

# Mermaid's entity codes, for the characters that would end or change a quoted label
_ENTITIES = {"#": "#35;", '"': "#quot;", "<": "#lt;", ">": "#gt;", "&": "#amp;", "`": "#96;",
             "|": "#124;", "\r": ""}
_UNSAFE = re.compile("[#\"<>&`|\r]")
_ARROWS = {"data": "-->", "upstream": "-.->", "case": "==>", "contents": "-.->"}


def escape(text: str) -> str:
    """``text`` for the inside of a double-quoted Mermaid label: ``#``, ``"``, ``<``, ``>``, ``&``,
    a backtick and ``|`` as entity codes (``#quot;``), line breaks as ``<br/>``. Every other
    character (unicode included) stays as it is."""
    return _UNSAFE.sub(lambda m: _ENTITIES[m.group(0)], text).replace("\n", "<br/>")


def _comment(text: str) -> str:
    return " ".join(text.split())


class _Ids:
    """Mermaid ids (``[A-Za-z0-9_]``) for node keys and clusters: ``n_`` plus the key with every
    other character as ``_``, made unique with ``_2``, ``_3``... in drawing order."""

    def __init__(self) -> None:
        self.by_key: dict[tuple[str, str], str] = {}
        self.taken: set[str] = set()

    def get(self, prefix: str, key: str) -> str:
        if (prefix, key) not in self.by_key:
            base = prefix + re.sub(r"[^A-Za-z0-9_]", "_", key)
            name, n = base, 1
            while name in self.taken:
                n += 1
                name = f"{base}_{n}"
            self.taken.add(name)
            self.by_key[(prefix, key)] = name
        return self.by_key[(prefix, key)]


def render(graph: Graph, *, legend: bool = True) -> str:
    """The graph as a Mermaid ``flowchart TD``.

    Nodes are declared inside their subgraphs (a composite node heads its own), edges after all
    of them, then classes, per-node styles and link styles. Guarantees: deterministic; every
    label double-quoted and escaped with :func:`escape`; ids are ``[A-Za-z0-9_]`` only (``n_``
    nodes, ``c_`` subgraphs, ``l_`` legend), so no key can clash with Mermaid's keywords. Nodes
    with diagnostics get a coloured border, their codes as a last label line, and the messages
    as ``%%`` comments.
    """
    ids = _Ids()
    for key in graph.order():
        ids.get("n_", key)
    title = f"workflow {graph.name}" + (f" ({graph.version})" if graph.version else "")
    out = ["---", f"title: {json.dumps(title, ensure_ascii=False)}", "---", "flowchart TD"]

    def members(c: Cluster, indent: str) -> None:
        for m in c.members:
            if isinstance(m, str):
                node = graph.nodes[m]
                st = NODE_STYLES[node.kind]
                label = escape(node_label(node))
                out.append(f"{indent}{ids.get('n_', m)}{st.mermaid_open}{label}"
                           f"{st.mermaid_close}")
            else:
                out.append(f'{indent}subgraph {ids.get("c_", m.key + ":" + m.kind)}'
                           f'["{escape(m.label)}"]')
                members(m, indent + "  ")
                out.append(f"{indent}end")

    members(graph.root, "  ")
    for e in graph.edges:
        arrow = _ARROWS[e.style]
        label = f'|"{escape(e.label)}"|' if e.label else ""
        out.append(f"  {ids.get('n_', e.src)} {arrow}{label} {ids.get('n_', e.dst)}")

    if legend:
        out.append('  subgraph l_legend["legend"]')
        for kind in graph.kinds():
            st = NODE_STYLES[kind]
            out.append(f"    l_{kind.replace('-', '_')}{st.mermaid_open}"
                       f"{escape(KIND_NAMES[kind])}{st.mermaid_close}")
        if any(n.failure for n in graph.nodes.values()):
            out.append('    l_failure["failure node"]')
        for sev in graph.severities():
            out.append(f'    l_severity_{sev}["{sev}"]')
        out.append("  end")

    # classes: one per kind (failure nodes have the failure class instead)
    by_class: dict[str, list[str]] = {}
    for key, node in graph.nodes.items():
        cls = "failure" if node.failure else f"k_{node.kind.replace('-', '_')}"
        by_class.setdefault(cls, []).append(ids.get("n_", key))
    if legend:
        for kind in graph.kinds():
            name = kind.replace("-", "_")
            by_class.setdefault(f"k_{name}", []).append(f"l_{name}")
        if "failure" in by_class:
            by_class["failure"].append("l_failure")
    for kind, st in NODE_STYLES.items():
        name = f"k_{kind.replace('-', '_')}"
        if name in by_class:
            dash = ",stroke-dasharray:4 3" if kind == "unknown" else ""
            out.append(f"  classDef {name} fill:{st.fill},stroke:{st.border},color:#111827{dash}")
            out.append(f"  class {','.join(by_class[name])} {name}")
    if "failure" in by_class:
        out.append(f"  classDef failure fill:{FAILURE_FILL},stroke:{FAILURE_BORDER},"
                   "color:#111827")
        out.append(f"  class {','.join(by_class['failure'])} failure")

    for cluster in _clusters(graph.root):
        border, fill = CLUSTER_STYLES.get(cluster.kind, ("#6b7280", "#ffffff"))
        cid = ids.get("c_", cluster.key + ":" + cluster.kind)
        out.append(f"  style {cid} fill:{fill},stroke:{border}")
    for key, node in graph.nodes.items():
        worst = node.severity
        if worst is not None:
            colour, width = SEVERITY_STYLES[worst]
            out.append(f"  style {ids.get('n_', key)} stroke:{colour},stroke-width:{width}px")
            for severity, code, message in node.diagnostics:
                out.append(f"  %% {_comment(node.key)}: {severity} {code}: {_comment(message)}")
    if legend:
        for sev in graph.severities():
            colour, width = SEVERITY_STYLES[sev]
            out.append(f"  style l_severity_{sev} fill:#ffffff,stroke:{colour},"
                       f"stroke-width:{width}px")

    for style in ("upstream", "case", "contents"):
        idx = [str(i) for i, e in enumerate(graph.edges) if e.style == style]
        if idx:
            _, colour, _ = EDGE_STYLES[style]
            out.append(f"  linkStyle {','.join(idx)} stroke:{colour},color:{colour}")
    return "\n".join(out) + "\n"


def _clusters(c: Cluster) -> list[Cluster]:
    out: list[Cluster] = []
    for sub in c.clusters:
        out.append(sub)
        out += _clusters(sub)
    return out
