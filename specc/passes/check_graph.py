"""check-graph: a workflow's edges, exactly as Flyte's compiler records them, then cycles and
reachability.

Edges come from explicit ``upstreamNodeIds`` and from promises (data edges); a top-level node with
no upstream node hangs off ``start-node`` and one with no downstream node leads to ``end-node``.
Branch children, the failure node and the inputs of branch and approve-gate nodes add upstream-only
entries, as in Flyte. The result is stored on the workflow (``upstream`` / ``downstream``) and is
what emit-closure writes as the closure's connections.
"""
from __future__ import annotations

from specc import ir
from specc.passes.resolve_references import branch_children


def check_graph(ctx) -> None:
    for wf in ctx.program.workflows.values():
        if not wf.nodes:
            ctx.report("SPC303", wf.loc.child("nodes"), workflow=wf.id.name)
            continue
        build_edges(wf)
        _check_reachable(ctx, wf)


def promise_sources(data: dict | None) -> list[str]:
    out: list[str] = []
    if data is None:
        return out
    stack = [data]
    while stack:
        d = stack.pop()
        if "promise" in d:
            out.append(d["promise"].get("nodeId", "") or ir.START_NODE)
        elif "collection" in d:
            stack.extend(d["collection"].get("bindings", []))
        elif "map" in d:
            stack.extend(d["map"].get("bindings", {}).values())
    return out


def build_edges(wf: ir.Workflow) -> None:
    up: dict[str, set[str]] = {}
    down: dict[str, set[str]] = {}

    def edge(a: str, b: str) -> None:
        down.setdefault(a, set()).add(b)
        up.setdefault(b, set()).add(a)

    def upstream_only(node_id: str, n: ir.Node) -> None:
        for b in n.inputs:
            for src in promise_sources(b.data):
                up.setdefault(node_id, set()).add(src)

    def children(n: ir.Node) -> None:
        # a branch's (and approve gate's) interface comes from its bindings: upstream entries
        if n.kind == "branch" or (n.kind == "gate" and n.gate and "approve" in n.gate):
            upstream_only(n.display_id, n)
        for child in branch_children(n):
            upstream_only(child.display_id, child)
            children(child)

    index = wf.node_index
    for nid in sorted(index):
        if nid == ir.START_NODE:
            continue
        n = index[nid]
        if n.interface is None:
            continue
        children(n)
        for u, _ in n.upstream_ids:
            edge(u, nid)
        for b in n.inputs:
            for src in promise_sources(b.data):
                edge(src, nid)
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
    wf.upstream = up
    wf.downstream = down


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
            return path[path.index(nxt):] + [nxt]
        if nxt in visited:
            continue
        visited.add(nxt)
        path.append(nxt)
        on_path.add(nxt)
        iters.append(iter(sorted(down.get(nxt, ()))))
    return None


def _edge_loc(n: ir.Node, upstream: str):
    """Where node n names ``upstream``: its upstreamNodeIds entry, else the promise, else its id."""
    for u, uloc in n.upstream_ids:
        if u == upstream:
            return uloc
    from specc.passes.resolve_references import promises

    for b in n.inputs:
        if b.data is not None:
            for ploc, p in promises(b.data, b.loc.child("binding")):
                if (p.get("nodeId") or ir.START_NODE) == upstream:
                    return ploc.child("nodeId")
    return n.loc.child("id")


def _check_reachable(ctx, wf: ir.Workflow) -> None:
    visited: set[str] = set()
    cycle = find_cycle(ir.START_NODE, wf.downstream, visited)
    if cycle is not None:
        first = wf.node_index[cycle[0]]
        ctx.report("SPC301", _edge_loc(first, cycle[-2]),
                   related=[(wf.node_index[c].loc.child("id"), f"'{c}' is part of the cycle")
                            for c in cycle[1:-1]],
                   workflow=wf.id.name, path=" -> ".join(cycle))
        return
    unreachable = sorted(set(wf.node_index) - visited - {ir.END_NODE})
    if not unreachable:
        return
    # nodes that only depend on each other are unreachable because they form a cycle: say so
    seen: set[str] = set(visited)
    cycle = None
    for nid in unreachable:
        cycle = find_cycle(nid, wf.downstream, seen)
        if cycle:
            break
    hint = (f"; nodes waiting for each other in a cycle never start: {' -> '.join(cycle)}"
            if cycle else "")
    for nid in unreachable:
        n = wf.node_index[nid]
        ctx.report("SPC302", n.loc.child("id"), node=nid, workflow=wf.id.name, hint=hint)
