"""Document symbols (``textDocument/documentSymbol``): the outline of a spec file.

Every task, workflow and launch plan a file defines (both copies of one defined identically in
two places, as a workflow kept in both forms is), in the order of the file; a workflow's nodes
are its children, with branch cases, an array node's node and the failure node nested as the IR
nests them (``Node.children``), and a spec's sub-workflows nested in its primary workflow.
Ranges come from the IR's places (``analysis.Snapshot``); no pygls here.
"""
from __future__ import annotations

from pathlib import Path

from specc import diagnostics as dg
from specc import ir
from specc.lsp.analysis import Snapshot, _node_kind_text, _target_span
from specc.source import Span

# LSP's SymbolKind
FUNCTION, CLASS, METHOD, EVENT = 12, 5, 6, 24
_ENTITY_KIND = {"task": FUNCTION, "workflow": CLASS, "launch plan": EVENT}


def document_symbols(snap: Snapshot, path: Path, encoding: str) -> list[dict]:
    """DocumentSymbol JSON shapes for ``path`` from the snapshot's compile, sorted by
    position; empty when the file did not compile to anything (a YAML syntax error)."""
    prog = snap.result.program if snap.result is not None else None
    if prog is None:
        return []
    mine = [e for e in prog.entities if _file_of(e.loc) == path]
    mine += [t for t, _ in snap.twins() if _file_of(t.loc) == path]
    nested = {id(s) for e in mine if isinstance(e, ir.Workflow)
              for s in e.sub_workflows if s.loc.doc is e.loc.doc}
    out = [_entity(snap, path, e, encoding) for e in mine if id(e) not in nested]
    return sorted(out, key=_start)


def _file_of(loc: dg.Loc) -> Path | None:
    return loc.doc.file.path if loc.doc is not None else None


def _start(sym: dict) -> tuple[int, int]:
    s = sym["range"]["start"]
    return s["line"], s["character"]


def _union(a: Span | None, b: Span | None) -> Span | None:
    if a is None or b is None:
        return a or b
    start = min((a.line, a.column), (b.line, b.column))
    end = max((a.end_line, a.end_column), (b.end_line, b.end_column))
    return Span(start[0], start[1], end[0], end[1])


def _spans(loc: dg.Loc) -> tuple[Span | None, Span | None]:
    """(value span, key span) of a place in its document as written."""
    _, span, pointer, _ = dg.resolve(loc)
    doc = loc.doc
    key = doc.spans.lookup(pointer, at_key=True) \
        if doc is not None and doc.spans is not None and pointer else None
    return span, key


def _symbol(snap: Snapshot, path: Path, name: str, detail: str, kind: int, whole: Span | None,
            selection: Span | None, encoding: str, children: list[dict]) -> dict:
    """One DocumentSymbol; the range is widened to hold the selection range (LSP requires it)."""
    whole = _union(whole, selection)
    out = {"name": name or "<unnamed>", "detail": detail, "kind": kind,
           "range": snap.lsp_range(path, whole, encoding),
           "selectionRange": snap.lsp_range(path, selection or whole, encoding)}
    if children:
        out["children"] = sorted(children, key=_start)
    return out


def _entity(snap: Snapshot, path: Path, e: ir.Entity, encoding: str) -> dict:
    value, key = _spans(e.loc)
    doc = e.loc.doc
    if e.loc.pointer in ("", "/template") and doc is not None and doc.spans is not None:
        value = _union(value, doc.spans.lookup(""))  # the document's primary: all of it
    ident = e.loc.child("id", "name")
    selection = _target_span(ident) or _target_span(e.loc.child("id"))
    children: list[dict] = []
    if isinstance(e, ir.Workflow):
        nodes = list(e.nodes) + ([e.failure_node] if e.failure_node is not None else [])
        children = [_node(snap, path, n, encoding) for n in nodes]
        children += [_entity(snap, path, s, encoding) for s in e.sub_workflows
                     if s.loc.doc is e.loc.doc]
    detail = e.WHAT + (f", version {e.id.version}" if e.id.version else "")
    return _symbol(snap, path, e.id.name, detail, _ENTITY_KIND.get(e.WHAT, CLASS),
                   _union(value, key), selection, encoding, children)


def _node(snap: Snapshot, path: Path, n: ir.Node, encoding: str) -> dict:
    value, key = _spans(n.loc)
    _, _, node_pointer, _ = dg.resolve(n.loc)
    _, _, id_pointer, _ = dg.resolve(n.loc.child("id"))
    # a node whose id is not written (a dialect branch case's then-node): its key names it
    selection = key if id_pointer == node_pointer and key is not None \
        else _target_span(n.loc.child("id"))
    detail = _node_kind_text(n, plain=True)
    if n.role == "failure":
        detail += " (on failure)"
    children = [_node(snap, path, c, encoding) for c in n.children()]
    return _symbol(snap, path, n.id, detail, METHOD, _union(value, key), selection, encoding,
                   children)
