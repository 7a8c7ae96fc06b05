"""Plain-text output for a terminal: the DAG in layers.

Each workflow scope is laid out by longest path from its sources (``start-node``): one block per
layer, numbered in a left column, the layer's nodes in natural order of their ids, and beneath
each node where its inputs come from (``← a, b``). What a composite node holds is indented
under it: a branch's cases (``├ if …``, nested branches nest), an array node's inner node
(``└ each``), a sub-workflow's own layers (behind a ``┆`` gutter). The failure node comes last,
apart.
"""
from __future__ import annotations

import textwrap

from specc.graph.model import CASE, CONTENTS, DATA, UPSTREAM, Graph, natural_key

WIDTH = 100


def layers(nodes: list[str], edges: list[tuple[str, str]]) -> list[list[str]]:
    """Longest-path layering: a node's layer is one more than the highest layer of the nodes
    it depends on (0 for a node that depends on none). Each layer in natural order.

    Needs the node keys and the edges between them (others are ignored). Guarantees every node
    exactly one layer even when the edges have a cycle (a compile with errors): the cycle is
    broken, deterministically, at its node that sorts first. Linear in nodes and edges (but for
    a sort).
    """
    members = set(nodes)
    preds: dict[str, set[str]] = {n: set() for n in nodes}
    succs: dict[str, set[str]] = {n: set() for n in nodes}
    for src, dst in edges:
        if src in members and dst in members and src != dst:
            preds[dst].add(src)
            succs[src].add(dst)
    order = sorted(members, key=natural_key)
    waiting = {n: len(preds[n]) for n in order}
    layer: dict[str, int] = {}
    ready = [n for n in order if not waiting[n]]
    cursor = 0  # the first node of `order` that may still be unplaced (to break cycles)
    while len(layer) < len(order):
        if not ready:  # a cycle: place its first node, counting only placed predecessors
            while order[cursor] in layer:
                cursor += 1
            ready = [order[cursor]]
        n = ready.pop()
        if n in layer:
            continue
        layer[n] = max((layer[p] + 1 for p in preds[n] if p in layer), default=0)
        for s in succs[n]:
            waiting[s] -= 1
            if waiting[s] == 0 and s not in layer:
                ready.append(s)
    out: list[list[str]] = [[] for _ in range(max(layer.values(), default=-1) + 1)]
    for n in order:
        out[layer[n]].append(n)
    return out


class _Text:
    def __init__(self, graph: Graph, width: int):
        self.g = graph
        self.width = width
        self.incoming: dict[str, list[tuple[str, str]]] = {}
        self.cases: dict[str, list[tuple[str, str]]] = {}
        for e in graph.edges:
            if e.style in (DATA, UPSTREAM):
                self.incoming.setdefault(e.dst, []).append((e.src, e.label))
            elif e.style in (CASE, CONTENTS):
                self.cases.setdefault(e.src, []).append((e.dst, e.label))

    def _wrap(self, head: str, items: list[str], width: int) -> list[str]:
        text = head + ", ".join(items)
        return textwrap.wrap(text, max(width, 20), subsequent_indent=" " * len(head),
                             break_long_words=False, break_on_hyphens=False) or [head]

    def node(self, key: str, width: int, pad: int = 0) -> list[str]:
        """The lines of one node: id and title, diagnostics, sources, then what it holds."""
        n = self.g.nodes[key]
        if n.kind == "error":
            head = n.title
        elif n.kind in ("start", "end"):
            head = n.node_id
        else:
            head = f"{n.node_id.ljust(pad)}  {n.title}"
        if n.diagnostics:
            head += "  [" + ", ".join(f"{s} {c}" for s, c, _ in n.diagnostics) + "]"
        out = [head]
        for s, c, m in n.diagnostics:
            out += self._wrap(f"  ! {s} {c}: ", [m], width)
        sources = self.incoming.get(key, [])
        if sources and any(label for _, label in sources):
            for src, label in sources:
                what = "; ".join(label.splitlines())
                out += self._wrap(f"  ← {self.g.nodes[src].node_id}", [f"  {what}"] if what
                                  else [], width)
        elif sources:
            out += self._wrap("  ← ", [self.g.nodes[s].node_id for s, _ in sources], width)
        if n.kind == "subworkflow" and key in self.g.scopes:
            out += ["  ┆ " + line for line in self.scope(key, width - 4)]
        else:
            held = self.cases.get(key, [])
            for i, (child, label) in enumerate(held):
                last = i == len(held) - 1
                out.append(f"  {'└' if last else '├'} {label}")
                gutter = "      " if last else "  │   "
                out += [gutter + line for line in self.node(child, width - 6)]
        return out

    def scope(self, scope: str, width: int) -> list[str]:
        """The layers of one workflow scope ("" for the primary), then its failure node."""
        failure = self.g.failures.get(scope)
        keys = [k for k in self.g.scopes.get(scope, []) if k != failure]
        edges = [(e.src, e.dst) for e in self.g.edges if e.style in (DATA, UPSTREAM)]
        rows = layers(keys, edges)
        num = len(str(max(len(rows) - 1, 0)))
        out: list[str] = []
        for i, row in enumerate(rows):
            if i:
                out.append(" " * num + " │")
            pad = max((len(self.g.nodes[k].node_id) for k in row), default=0)
            first = True
            for key in row:
                for line in self.node(key, width - num - 3, min(pad, 24)):
                    left = str(i).rjust(num) if first else " " * num
                    out.append(f"{left} │ {line}".rstrip())
                    first = False
        if failure is not None:
            out += ["", "on failure"]
            out += ["  " + line for line in self.node(failure, width - 2)]
        return out


def render(graph: Graph, *, width: int = WIDTH) -> str:
    """The graph as text for a terminal, lines within ``width`` columns where ids allow (an id
    or a title is never broken).

    A header names the workflow and its typed inputs and outputs; then the layers (see the
    module docstring); then ``on failure`` with the failure node. Nodes with diagnostics carry
    their codes in brackets and a ``!`` line per message. With edge labels in the graph, each
    source is a line of its own with the variables it carries. Deterministic; ends with a
    newline.
    """
    t = _Text(graph, width)
    title = f"workflow {graph.name}" + (f" ({graph.version})" if graph.version else "")
    out = [title]
    for name, vars_ in (("inputs", graph.inputs), ("outputs", graph.outputs)):
        items = [f"{v}: {ty}" for v, ty in vars_] or ["(none)"]
        out += textwrap.wrap(f"{name:<8} " + ", ".join(items), width, subsequent_indent=" " * 9,
                             break_long_words=False, break_on_hyphens=False)
    out.append("")
    out += t.scope("", width)
    return "\n".join(out) + "\n"
