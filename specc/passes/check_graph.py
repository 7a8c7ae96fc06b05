"""check-graph: a workflow's edges, exactly as Flyte's compiler records them, then cycles and
reachability.

Edges come from explicit ``upstreamNodeIds`` and from promises (data edges); a top-level node with
no upstream node hangs off ``start-node`` and one with no downstream node leads to ``end-node``.
Branch children, the failure node and the inputs of branch and approve-gate nodes add upstream-only
entries, as in Flyte. The result (``ir.Graph``) is what emit-closure writes as the closure's
connections.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

from specc import ir
from specc.diagnostics import Loc, Report


def check_graph(program: ir.Program, resolution: ir.Resolution,
                workflows: Sequence[ir.Entity],
                report_for: Callable[[ir.Entity], Report]) -> ir.Graph:
    """The graph of every workflow of ``workflows`` that has nodes (others are reported)."""
    graph = ir.Graph()
    for wf in workflows:
        if not isinstance(wf, ir.Workflow):
            continue
        report = report_for(wf)
        if not wf.nodes:
            report("SPC303", wf.loc.child("nodes"), workflow=wf.id.name)
            continue
        index = resolution.index.get(wf)
        if index is None:
            continue  # not resolved (it uses something missing)
        g = build_edges(wf, index)
        graph.workflows[wf] = g
        _check_reachable(report, wf, index, g)
    return graph


def build_edges(wf: ir.Workflow, index: dict[str, ir.Node]) -> ir.WorkflowGraph:
    up: dict[str, set[str]] = {}
    down: dict[str, set[str]] = {}

    def edge(a: str, b: str) -> None:
        down.setdefault(a, set()).add(b)
        up.setdefault(b, set()).add(a)

    def upstream_only(node_id: str, n: ir.Node) -> None:
        for b in n.inputs:
            for p in b.promises():
                up.setdefault(node_id, set()).add(p.source_id)

    def children(n: ir.Node) -> None:
        # a branch's (and approve gate's) interface comes from its bindings: upstream entries
        if isinstance(n, (ir.BranchNode, ir.ApproveGateNode)):
            upstream_only(n.display_id, n)
        if isinstance(n, ir.BranchNode):
            for child in n.children():
                upstream_only(child.display_id, child)
                children(child)

    for nid in sorted(index):
        if nid == ir.START_NODE:
            continue
        n = index[nid]
        children(n)
        for u, _ in n.upstream_ids:
            edge(u, nid)
        for b in n.inputs:
            for p in b.promises():
                edge(p.source_id, nid)
    if wf.failure_node is not None:
        children(wf.failure_node)
        upstream_only(wf.failure_node.id, wf.failure_node)
    top = {n.id for n in wf.nodes}
    for nid in sorted(index):
        if nid in (ir.START_NODE, ir.END_NODE) or nid not in top:
            continue
        if nid not in up:
            edge(ir.START_NODE, nid)
        if nid not in down:
            edge(nid, ir.END_NODE)
    return ir.WorkflowGraph(up, down)


def find_cycle(start: str, down: dict[str, set[str]], visited: set[str]) -> list[str] | None:
    """Depth-first from ``start`` in sorted neighbour order; the first cycle met, closed."""
    if start in visited:
        return None
    path: list[str] = [start]
    on_path = {start}
    visited.add(start)
    iters = [iter(sorted(down.get(start, ())))]
    while iters:
        nxt = next(iters[-1], None)
        if nxt is None:
            iters.pop()
            on_path.discard(path.pop())
            continue
        if nxt in on_path:
            return [*path[path.index(nxt):], nxt]
        if nxt in visited:
            continue
        visited.add(nxt)
        path.append(nxt)
        on_path.add(nxt)
        iters.append(iter(sorted(down.get(nxt, ()))))
    return None


def _edge_loc(n: ir.Node, upstream: str) -> Loc:
    """Where node n names ``upstream``: its upstreamNodeIds entry, else the promise, else its id."""
    for u, uloc in n.upstream_ids:
        if u == upstream:
            return uloc
    for b in n.inputs:
        for p in b.promises():
            if p.source_id == upstream:
                return p.loc.child("nodeId")
    return n.loc.child("id")


def _check_reachable(report: Report, wf: ir.Workflow, index: dict[str, ir.Node],
                     g: ir.WorkflowGraph) -> None:
    visited: set[str] = set()
    cycle = find_cycle(ir.START_NODE, g.downstream, visited)
    if cycle is not None:
        first = index[cycle[0]]
        report("SPC301", _edge_loc(first, cycle[-2]),
               related=[(index[c].loc.child("id"), f"'{c}' is part of the cycle")
                        for c in cycle[1:-1]],
               workflow=wf.id.name, path=" -> ".join(cycle))
        return
    unreachable = sorted(set(index) - visited - {ir.END_NODE})
    if not unreachable:
        return
    # nodes that only depend on each other are unreachable because they form a cycle: say so
    seen: set[str] = set(visited)
    cycle = None
    for nid in unreachable:
        cycle = find_cycle(nid, g.downstream, seen)
        if cycle:
            break
    hint = (f"; nodes waiting for each other in a cycle never start: {' -> '.join(cycle)}"
            if cycle else "")
    for nid in unreachable:
        report("SPC302", index[nid].loc.child("id"), node=nid, workflow=wf.id.name, hint=hint)
