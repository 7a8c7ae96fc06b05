"""``specc graph``: compile, pick the workflows, map diagnostics onto nodes, draw.

The drawing is of the compiled closure, so it shows exactly what Flyte would run. A workflow is
drawn when its references resolve and its graph is sound, even when other checks (types, lint,
registration) report problems; ``--with-diagnostics`` marks the nodes those problems are on.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from specc import driver, ir
from specc.diagnostics import Diagnostic
from specc.graph import FORMATS, WorkflowSelectionError, render, select_workflows


class GraphError(Exception):
    """Nothing can be drawn as asked (exit 1), with the reason."""


@dataclass
class Drawing:
    """What ``specc graph`` prints: one drawing per workflow (a single one for svg and png)."""

    parts: list[tuple[str, str | bytes]] = field(default_factory=list)  # (workflow, drawing)
    result: driver.Result | None = None

    def output(self, fmt: str) -> bytes:
        if fmt in ("svg", "png"):
            (_, one), = self.parts
            return one if isinstance(one, bytes) else one.encode()
        comment = {"dot": "//", "mermaid": "%%", "text": "#"}[fmt]
        chunks = []
        for name, text in self.parts:
            body = text.decode() if isinstance(text, bytes) else text
            chunks.append(f"{comment} workflow {name}\n{body}" if len(self.parts) > 1 else body)
        return "\n".join(chunks).encode()


def draw(paths: list[Path], fmt: str, workflow: str | None = None, edge_labels: bool = False,
         with_diagnostics: bool = False, context: bool = True) -> Drawing:
    """Draw the workflows of ``paths``. Raises ``driver.UsageError`` (exit 2) or
    ``GraphError`` (exit 1)."""
    if fmt not in FORMATS:
        raise driver.UsageError(f"unknown format '{fmt}'; use one of {', '.join(FORMATS)}")
    result = driver.compile_paths(driver.Options(paths=paths, closures=True, draft=True,
                                                 context=context))
    by_name: dict[str, list[tuple[ir.Workflow, dict[str, Any]]]] = {}
    for wf, closure in result.closures:
        by_name.setdefault(wf.id.name, []).append((wf, closure))
    primaries = [wf.id.name for wf in (result.program.primaries if result.program else [])]
    try:
        names = select_workflows(primaries, workflow)
    except WorkflowSelectionError as e:
        raise GraphError(str(e)) from e
    missing = [n for n in names if n not in by_name]
    if missing and (workflow is not None or not by_name):
        raise GraphError(f"workflow {', '.join(repr(m) for m in missing)} cannot be drawn: "
                         f"its references or its graph have errors; see 'specc compile'")
    names = [n for n in names if n in by_name]
    if fmt in ("svg", "png") and len(names) > 1:
        raise driver.UsageError(f"--format {fmt} draws one workflow; give --workflow with one "
                                f"of: {', '.join(names)}")
    out = Drawing(result=result)
    for name in names:
        for wf, closure in by_name[name]:
            marks = _diagnostics_by_node(wf, result) if with_diagnostics else None
            out.parts.append((name, render(closure, fmt, edge_labels=edge_labels,
                                           diagnostics=marks)))
    return out


def _diagnostics_by_node(wf: ir.Workflow, result: driver.Result
                         ) -> dict[str, list[tuple[str, str, str]]]:
    """The diagnostics on each drawn node (by the drawing's node key): each diagnostic goes to
    the innermost node whose place holds it."""
    places = list(_node_places(wf, result.resolution or ir.Resolution(), ""))
    out: dict[str, list[tuple[str, str, str]]] = {}
    for d in result.diagnostics:
        key = _owner(d, places)
        if key is not None:
            out.setdefault(key, []).append((d.severity, d.code, d.message))
    return out


def _node_places(wf: ir.Workflow, res: ir.Resolution, prefix: str
                 ) -> Iterator[tuple[Any, str, str]]:
    """(document, pointer in its own spelling, drawing key) of every node drawn for ``wf``:
    its nodes, the nodes of the sub-workflows it calls (under the call's key) and of array
    nodes (under the array's key)."""
    def visit(n: ir.Node, key_prefix: str, seen: frozenset[ir.Workflow]) -> Iterator[
            tuple[Any, str, str]]:
        key = key_prefix + n.display_id
        doc = n.loc.doc
        if doc is not None:
            yield doc.document, doc.source_pointer(n.loc.pointer), key
        for child in n.children():
            inner = key + "/" if isinstance(n, ir.ArrayNode) else key_prefix
            yield from visit(child, inner, seen)
        sub = res.targets.get(n)
        if isinstance(n, ir.WorkflowNode) and isinstance(sub, ir.Workflow) and sub not in seen:
            for m in sub.nodes + ([sub.failure_node] if sub.failure_node else []):
                yield from visit(m, key + "/", seen | {sub})

    for n in wf.nodes + ([wf.failure_node] if wf.failure_node else []):
        yield from visit(n, prefix, frozenset({wf}))


def _owner(d: Diagnostic, places: list[tuple[Any, str, str]]) -> str | None:
    if d.source is None or d.pointer is None:
        return None
    best, key = -1, None
    for doc, pointer, k in places:
        if doc.file is not d.source or doc.index != d.doc_index:
            continue
        if (d.pointer == pointer or d.pointer.startswith(pointer + "/")) and len(pointer) > best:
            best, key = len(pointer), k
    return key
