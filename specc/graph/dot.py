"""Graphviz DOT output."""
from __future__ import annotations

import itertools

from specc.graph.model import KIND_NAMES, Cluster, Graph, Node
from specc.graph.style import (
    CLUSTER_STYLES,
    EDGE_NAMES,
    EDGE_STYLES,
    FAILURE_BORDER,
    FAILURE_FILL,
    NODE_STYLES,
    SEVERITY_STYLES,
)

_FONT = "Helvetica"


def quote(text: str) -> str:
    """``text`` as a DOT double-quoted string, usable as an id or as a label (an escString).

    Backslashes and double quotes are escaped, ``&`` is written ``&amp;`` (Graphviz expands HTML
    entities in every string, so ``&lt;`` would otherwise print as ``<``), a line break becomes
    ``\\n`` (a centred line in a label), a carriage return is dropped; every other character
    (unicode, ``<>{}|``) is kept, which is safe because no record shapes or HTML labels are
    used. In a label the text prints exactly; in a node name (an SVG ``<title>``) Graphviz keeps
    an escaped backslash doubled.
    """
    out = text.replace("\\", "\\\\").replace('"', '\\"').replace("\r", "")
    out = out.replace("&", "&amp;")
    return '"' + out.replace("\n", "\\n") + '"'


def _attrs(**kw: str | float) -> str:
    parts = [f"{k}={quote(v) if isinstance(v, str) else v}" for k, v in kw.items()]
    return "[" + ", ".join(parts) + "]"


def node_label(node: Node) -> str:
    """The lines drawn in a node: its id and what it is (start and end: the id only), then the
    codes of its diagnostics."""
    if node.kind in ("start", "end"):
        lines = [node.node_id]
    elif node.kind == "error":
        lines = [node.title]
    else:
        lines = [node.node_id, node.title]
    if node.diagnostics:
        lines.append(", ".join(f"{s} {c}" for s, c, _ in node.diagnostics))
    return "\n".join(lines)


def _node(node: Node, indent: str) -> str:
    st = NODE_STYLES[node.kind]
    fill, border = (FAILURE_FILL, FAILURE_BORDER) if node.failure else (st.fill, st.border)
    style = "rounded,filled" if node.kind == "task" else "filled"
    if node.kind == "unknown":
        style += ",dashed"
    kw: dict[str, str | float] = {"label": node_label(node), "shape": st.shape,
                                  "style": style, "fillcolor": fill, "color": border}
    if node.kind == "end":
        kw["peripheries"] = 2
    worst = node.severity
    if worst is not None:
        kw["color"], kw["penwidth"] = SEVERITY_STYLES[worst]
        kw["tooltip"] = _tooltip(node)
    return f"{indent}{quote(node.key)} {_attrs(**kw)};"


def _tooltip(node: Node) -> str:
    return "\n".join(f"{s} {c}: {m}" for s, c, m in node.diagnostics)


def _cluster(graph: Graph, c: Cluster, indent: str, out: list[str]) -> None:
    border, fill = CLUSTER_STYLES.get(c.kind, ("#6b7280", ""))
    out.append(f"{indent}subgraph {quote('cluster_' + c.kind + ':' + c.key)} {{")
    inner = indent + "  "
    attrs = _attrs(label=c.label, style="rounded,filled" if fill else "rounded", color=border,
                   fillcolor=fill or "none", fontcolor=border)
    out.append(f"{inner}graph {attrs};")
    owner = graph.nodes.get(c.owner) if c.owner else None
    if owner is not None and owner.severity is not None:
        out.append(f"{inner}graph {_attrs(tooltip=_tooltip(owner))};")
    _members(graph, c, inner, out)
    out.append(f"{indent}}}")


def _members(graph: Graph, c: Cluster, indent: str, out: list[str]) -> None:
    for m in c.members:
        if isinstance(m, str):
            out.append(_node(graph.nodes[m], indent))
        else:
            _cluster(graph, m, indent, out)


def _legend(graph: Graph, out: list[str]) -> None:
    """A ``cluster_legend`` below the drawing, in rows of four: the node kinds present, the
    failure node, the diagnostic severities present, the edge styles present."""
    ns = "legend:"  # legend ids live in a namespace no node key is in
    while any(k.startswith(ns) for k in graph.nodes):
        ns = "_" + ns
    out.append(f"  subgraph {quote('cluster_legend')} {{")
    attrs = _attrs(label="legend", style="rounded", color="#9ca3af", fontcolor="#4b5563")
    out.append(f"    graph {attrs};")
    units: list[list[str]] = []  # the node keys of each entry

    def entry(key: str, **kw: str | float) -> None:
        out.append(f"    {quote(key)} {_attrs(**kw)};")
        units.append([key])

    for kind in graph.kinds():
        st = NODE_STYLES[kind]
        entry(f"{ns}kind:{kind}", label=KIND_NAMES[kind], shape=st.shape,
              style="rounded,filled" if kind == "task" else "filled", fillcolor=st.fill,
              color=st.border)
    if any(n.failure for n in graph.nodes.values()):
        entry(f"{ns}failure", label="failure node", shape="box", style="filled",
              fillcolor=FAILURE_FILL, color=FAILURE_BORDER)
    for sev in graph.severities():
        colour, width = SEVERITY_STYLES[sev]
        entry(f"{ns}severity:{sev}", label=sev, shape="box", style="filled",
              fillcolor="#ffffff", color=colour, penwidth=width)
    for style in sorted({e.style for e in graph.edges}, key=list(EDGE_STYLES).index):
        line, colour, head = EDGE_STYLES[style]
        a, b = f"{ns}edge:{style}", f"{ns}edge:{style}:label"
        entry(a, label="", shape="point", width=0.05, color=colour)
        out.append(f"    {quote(b)} {_attrs(label=EDGE_NAMES[style], shape='plaintext')};")
        out.append(f"    {quote(a)} -> {quote(b)} "
                   f"{_attrs(style=line, color=colour, arrowhead=head, minlen=1)};")
        units[-1].append(b)
    rows = [units[i:i + 4] for i in range(0, len(units), 4)]
    for row in rows:
        out.append("    {rank=same; " + " ".join(f"{quote(k)};" for u in row for k in u) + "}")
        for left, right in itertools.pairwise(row):  # keep the entries in order
            out.append(f"    {quote(left[-1])} -> {quote(right[0])} {_attrs(style='invis')};")
    for upper, lower in itertools.pairwise(rows):
        out.append(f"    {quote(upper[0][0])} -> {quote(lower[0][0])} {_attrs(style='invis')};")
    out.append("  }")
    # below everything: from the workflow's end-node and failure node (or every root sink)
    ends = [k for k in graph.root.nodes if graph.nodes[k].kind == "end"]
    ends += [k for k, n in graph.nodes.items() if n.failure and n.scope == ""]
    if not ends:
        sources = {e.src for e in graph.edges}
        ends = [k for k in graph.root.nodes if k not in sources]
    for key in ends:
        if rows:
            out.append(f"  {quote(key)} -> {quote(rows[0][0][0])} {_attrs(style='invis')};")


def render(graph: Graph, *, legend: bool = True) -> str:
    """The graph as a Graphviz ``digraph``, top to bottom.

    Guarantees: deterministic (the graph's order, nothing from hashing), every node key and
    cluster name quoted with :func:`quote`, one statement per line, a trailing newline. Nodes
    whose diagnostics were given get a coloured, thicker border, their codes as a last label
    line and the messages as the tooltip (an SVG ``<title>``). ``hints`` become invisible edges.
    """
    out = [f"digraph {quote(graph.name)} {{"]
    title = f"workflow {graph.name}" + (f" ({graph.version})" if graph.version else "")
    out.append(f"  graph {_attrs(label=title, labelloc='t', fontname=_FONT, fontsize=14)};")
    out.append(f"  graph {_attrs(rankdir='TB', newrank='true', nodesep=0.3, ranksep=0.45)};")
    out.append(f"  node {_attrs(fontname=_FONT, fontsize=10, margin='0.12,0.04')};")
    out.append(f"  edge {_attrs(fontname=_FONT, fontsize=9, arrowsize=0.7)};")
    _members(graph, graph.root, "  ", out)
    for e in graph.edges:
        line, colour, head = EDGE_STYLES[e.style]
        kw: dict[str, str | float] = {"style": line, "color": colour, "arrowhead": head}
        if e.label:
            kw["label"] = e.label
            kw["fontcolor"] = colour if e.style == "case" else "#374151"
        out.append(f"  {quote(e.src)} -> {quote(e.dst)} {_attrs(**kw)};")
    for src, dst in graph.hints:
        out.append(f"  {quote(src)} -> {quote(dst)} {_attrs(style='invis')};")
    if legend:
        _legend(graph, out)
    out.append("}")
    return "\n".join(out) + "\n"
