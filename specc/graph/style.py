"""Shapes and colours, one table for every format, so that a kind looks alike in DOT and Mermaid.

``NODE_STYLES[kind]`` is ``(graphviz shape, fill colour, border colour, mermaid shape)``; a mermaid
shape is the pair of brackets around a quoted label (``("``, ``")`` for a rounded box).
"""
from __future__ import annotations

from typing import NamedTuple


class NodeStyle(NamedTuple):
    """How a node kind is drawn: Graphviz shape, fill and border colours, Mermaid brackets."""

    shape: str
    fill: str
    border: str
    mermaid_open: str
    mermaid_close: str


NODE_STYLES: dict[str, NodeStyle] = {
    "start": NodeStyle("ellipse", "#e5e7eb", "#4b5563", '(["', '"])'),
    "end": NodeStyle("ellipse", "#e5e7eb", "#4b5563", '(["', '"])'),
    "task": NodeStyle("box", "#dbeafe", "#1d4ed8", '("', '")'),
    "subworkflow": NodeStyle("component", "#dcfce7", "#15803d", '[["', '"]]'),
    "launchplan": NodeStyle("tab", "#fef9c3", "#a16207", '[/"', '"/]'),
    "branch": NodeStyle("diamond", "#ffedd5", "#c2410c", '{"', '"}'),
    "error": NodeStyle("note", "#fee2e2", "#b91c1c", '>"', '"]'),
    "gate-approve": NodeStyle("octagon", "#ede9fe", "#6d28d9", '{{"', '"}}'),
    "gate-signal": NodeStyle("invhouse", "#ede9fe", "#6d28d9", '[\\"', '"\\]'),
    "gate-sleep": NodeStyle("hexagon", "#ede9fe", "#6d28d9", '(("', '"))'),
    "array": NodeStyle("box3d", "#cffafe", "#0e7490", '[/"', '"\\]'),
    "unknown": NodeStyle("box", "#ffffff", "#6b7280", '["', '"]'),
}

# the failure node (and what it holds): a red fill whatever its kind
FAILURE_FILL = "#fecaca"
FAILURE_BORDER = "#b91c1c"

# diagnostics: (border colour, border width) by the node's worst severity
SEVERITY_STYLES: dict[str, tuple[str, int]] = {
    "error": ("#dc2626", 3),
    "warning": ("#f97316", 3),
    "note": ("#2563eb", 2),
}

# clusters: (border colour, fill colour or "" for none, label prefix)
CLUSTER_STYLES: dict[str, tuple[str, str]] = {
    "branch": ("#c2410c", "#fffaf5"),
    "subworkflow": ("#15803d", "#f7fdf9"),
    "array": ("#0e7490", "#f5feff"),
    "failure": ("#b91c1c", "#fff5f5"),
}

# edges: Graphviz (style, colour, arrowhead)
EDGE_STYLES: dict[str, tuple[str, str, str]] = {
    "data": ("solid", "#374151", "normal"),
    "upstream": ("dotted", "#9ca3af", "empty"),
    "case": ("bold", "#c2410c", "normal"),
    "contents": ("dashed", "#6b7280", "odot"),
}

EDGE_NAMES: dict[str, str] = {
    "data": "data", "upstream": "upstream only", "case": "branch case",
    "contents": "runs",
}
