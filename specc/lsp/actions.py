"""Code actions: the fixes of the diagnostics in a range, as LSP ``CodeAction``s (JSON shapes).

The same fixes ``specc compile --fix`` applies (``diagnostics.Fix``), one quick fix each, with a
``WorkspaceEdit`` of the fix's text edits; a safe fix is ``isPreferred`` (what an editor applies
with its "fix all" or auto-fix command). Positions go through the snapshot's ``TextMap``s in the
negotiated encoding. No pygls here: the server turns the shapes into lsprotocol's types.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from specc.lsp.analysis import Snapshot, uri_of
from specc.lsp.positions import UTF16

QUICKFIX = "quickfix"


def _before(a: dict[str, int], b: dict[str, int]) -> bool:
    return (a["line"], a["character"]) < (b["line"], b["character"])


def _touches(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Whether two LSP ranges overlap or touch (a cursor at either end of a range counts)."""
    return not (_before(a["end"], b["start"]) or _before(b["end"], a["start"]))


def code_actions(snap: Snapshot, path: Path, rng: dict[str, Any],
                 encoding: str = UTF16) -> list[dict[str, Any]]:
    """Quick fixes for the diagnostics of ``path`` whose range touches ``rng`` (an LSP Range):
    one CodeAction per fix, safe ones preferred, in the order of the diagnostics."""
    out: list[dict[str, Any]] = []
    if snap.result is None:
        return out
    for d in snap.result.diagnostics:
        if not d.fixes or snap.path_of(d.source) != path or d.span is None:
            continue
        lsp = snap.lsp_diagnostic(d, path, encoding)
        if not _touches(lsp["range"], rng):
            continue
        for fix in d.fixes:
            changes: dict[str, list[dict[str, Any]]] = {}
            for e in fix.edits:
                epath = snap.path_of(e.source)
                if epath is None or e.source.member is not None:
                    break
                changes.setdefault(uri_of(epath), []).append(
                    {"range": snap.lsp_range(epath, e.span, encoding), "newText": e.new_text})
            else:
                out.append({"title": fix.title, "kind": QUICKFIX, "diagnostics": [lsp],
                            "isPreferred": fix.safe, "edit": {"changes": changes}})
    return out
