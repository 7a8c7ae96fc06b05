"""The one traversal of the IR: every node of a workflow, every binding, every promise.

Every pass, lint rule, emitter and the language server walks workflows through these functions,
so that branch cases, array sub-nodes and the failure node are never forgotten by one of them.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator

from specc.ir.model import Binding, Node, Promise, Workflow


def nodes(wf: Workflow, top: Callable[[Workflow], list[Node]] | None = None) -> Iterator[Node]:
    """Every node of ``wf``, depth first in document order: each of its nodes followed by the
    nodes inside it (branch cases, an array's node, at any depth), then the failure node and
    what is inside it. ``top`` picks the workflow's own nodes (e.g. without duplicated ids,
    ``Resolution.top_nodes``); by default all of them."""
    first = top(wf) if top is not None else wf.nodes
    stack: list[Node] = []
    if wf.failure_node is not None:
        stack.append(wf.failure_node)
    stack.extend(reversed(first))
    while stack:
        n = stack.pop()
        yield n
        stack.extend(reversed(n.children()))


def inner(node: Node) -> Iterator[Node]:
    """``node`` and every node inside it, depth first."""
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        stack.extend(reversed(n.children()))


def bindings(wf: Workflow, top: Callable[[Workflow], list[Node]] | None = None
             ) -> Iterator[tuple[Node | None, Binding]]:
    """(node, binding) for every input binding of every node, then (None, binding) for each of
    the workflow's output bindings."""
    for n in nodes(wf, top):
        for b in n.inputs:
            yield n, b
    for b in wf.outputs:
        yield None, b


def promises(wf: Workflow, top: Callable[[Workflow], list[Node]] | None = None
             ) -> Iterator[tuple[Node | None, Binding, Promise]]:
    """(node, binding, promise) for every promise of every binding (``bindings``' order)."""
    for n, b in bindings(wf, top):
        for p in b.promises():
            yield n, b, p
