"""Code actions of the language server: the fixes of ``--fix`` as quick fixes.

Driven as a real client over stdio (``tests/test_lsp.py``'s ``Client``), in UTF-16 and UTF-8,
with wide characters before the fix on its line; and, without a server, every fixture with a fix:
the quick fix's edits, applied to the text, give what ``--fix`` gives.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

pytest.importorskip("pygls")

from specc import driver
from specc import fix as fixer
from specc.lsp.actions import code_actions
from specc.lsp.analysis import Snapshot
from specc.lsp.positions import UTF8, UTF16, UTF32, TextMap
from tests.test_fix import FIXTURES
from tests.test_lsp import Client, _initialize, _pos

TASKS = """\
apiVersion: specc/v1
kind: Task
name: shop.fetch_orders
version: v1
image: ghcr.io/example/shop:2.0.1
command: fetch-orders --day {{.inputs.day}}
inputs:
  day: str
outputs:
  orders: dataset[parquet]
---
apiVersion: specc/v1
kind: Task
name: shop.report
version: v1
image: ghcr.io/example/shop:2.0.1
command: report
inputs:
  note: str
  orders: dataset[parquet]
"""
# the misspelt output comes after wide characters on its line
WORKFLOW = """\
apiVersion: specc/v1
kind: Workflow
name: shop.daily
version: v1
inputs:
  day: str
nodes:
  fetch:
    task: shop.fetch_orders
    inputs: {day: "${inputs.day}"}
  report:
    task: shop.report
    inputs: {note: "Umsatz Σ 😀 Größe", orders: "${fetch.ordres}"}
"""


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    (tmp_path / "tasks.yaml").write_text(TASKS, encoding="utf-8")
    (tmp_path / "wf.yaml").write_text(WORKFLOW, encoding="utf-8")
    return tmp_path


def _apply(text: str, edits: list[dict], encoding: str) -> str:
    """LSP TextEdits applied to ``text`` (positions in ``encoding``), as a client does."""
    tm = TextMap(text, "yaml")
    spans = sorted(((tm.lsp_to_offset(e["range"]["start"]["line"],
                                      e["range"]["start"]["character"], encoding),
                     tm.lsp_to_offset(e["range"]["end"]["line"], e["range"]["end"]["character"],
                                      encoding), e["newText"]) for e in edits), reverse=True)
    for a, b, new in spans:
        text = text[:a] + new + text[b:]
    return text


@pytest.mark.parametrize("offered,expected", [(None, UTF16), ([UTF8], UTF8)],
                         ids=["utf-16", "utf-8"])
def test_code_action_over_stdio(workspace: Path, offered, expected):
    client = Client(workspace)
    try:
        caps = _initialize(client, workspace, offered)
        assert caps["codeActionProvider"]["codeActionKinds"] == ["quickfix"]
        uri = (workspace / "wf.yaml").resolve().as_uri()
        client.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "yaml", "version": 1, "text": WORKFLOW}})
        diags = client.diagnostics(uri, version=1)
        (d,) = [x for x in diags if x["code"] == "SPC209"]
        word = {"start": _pos(WORKFLOW, "ordres", expected),
                "end": _pos(WORKFLOW, "ordres", expected, shift=len("ordres"))}
        assert d["range"] == word  # the caret on the misspelt name itself

        # a cursor inside the name asks for the actions there
        at = _pos(WORKFLOW, "ordres", expected, shift=2)
        actions = client.request("textDocument/codeAction", {
            "textDocument": {"uri": uri}, "range": {"start": at, "end": at},
            "context": {"diagnostics": [d]}})
        (action,) = actions
        assert action["title"] == "replace 'ordres' with 'orders'"
        assert action["kind"] == "quickfix" and action["isPreferred"] is True
        assert action["diagnostics"][0]["code"] == "SPC209"
        (edit,) = action["edit"]["changes"][uri]
        assert edit == {"range": word, "newText": "orders"}
        fixed = _apply(WORKFLOW, [edit], expected)
        assert fixed == WORKFLOW.replace("ordres", "orders")

        # elsewhere: no action
        none = client.request("textDocument/codeAction", {
            "textDocument": {"uri": uri},
            "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 3}},
            "context": {"diagnostics": []}})
        assert not none

        # the client applies it: the error is gone
        client.notify("textDocument/didChange", {
            "textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": fixed}]})
        assert [x for x in client.diagnostics(uri, version=2) if x["severity"] == 1] == []
        assert client.close() == 0
    finally:
        client.dispose()


@pytest.mark.parametrize("case", FIXTURES, ids=[p.name for p in FIXTURES])
@pytest.mark.parametrize("encoding", [UTF16, UTF32])
def test_every_fix_is_a_code_action(case: Path, encoding: str, tmp_path: Path):
    """For each diagnostic with a fix, a quick fix whose edits, applied by a client, give the
    text the fix gives."""
    target = tmp_path / case.name
    if case.is_dir():
        shutil.copytree(case, target)
    else:
        shutil.copy(case, target)
    files = sorted(p.resolve() for p in ([target] if target.is_file() else target.rglob("*"))
                   if p.suffix in (".yaml", ".yml", ".json"))
    result = driver.compile_paths(driver.Options(paths=[target], cache=False))
    checked = 0
    for d in result.diagnostics:
        if not d.fixes or not fixer.fixable(d.source) or d.span is None:
            continue
        path = d.source.path.resolve()
        text = d.source.text or ""
        snap = Snapshot(files, {path: text}, reported=[path])
        spot = snap.lsp_range(path, d.span, encoding)
        actions = code_actions(snap, path, spot, encoding)
        for fix in d.fixes:
            same = [a for a in actions if a["title"] == fix.title]
            assert same, (d.code, fix.title, [a["title"] for a in actions])
            assert same[0]["isPreferred"] is fix.safe
            edits = same[0]["edit"]["changes"][path.as_uri()]
            assert _apply(text, edits, encoding) == fixer.apply(text, fix.edits)
            checked += 1
    assert checked
