"""The language server, driven as a real client would: ``python -m specc.cli lsp`` in a subprocess,
JSON-RPC with Content-Length framing over its stdin and stdout, every wait bounded by a deadline
(a reader thread feeds a queue; the process is killed whatever happens).

Also the pieces on their own: position conversion (UTF-16, UTF-8, UTF-32, line breaks the two
sides count differently) and the reverse of the span index.
"""
from __future__ import annotations

import contextlib
import json
import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

pytest.importorskip("pygls")

from specc.frontends import Limits, load_file, pointer_at
from specc.lsp.positions import UTF8, UTF16, UTF32, TextMap

REPO = Path(__file__).resolve().parent.parent
TIMEOUT = 30.0  # seconds for any one answer; the whole test is bounded by a few of them

TASKS = """\
template:
  id: {resourceType: TASK, name: shop.fetch_orders, version: v1}
  type: python-task
  metadata:
    runtime: {type: FLYTE_SDK, version: 1.16.0, flavor: python}
    retries: {retries: 3}
  interface:
    inputs:
      variables:
        day: {type: {simple: STRING}}
    outputs:
      variables:
        orders: {type: {structuredDatasetType: {format: parquet}}}
  container:
    image: ghcr.io/example/shop:2.0.1
    args: [pyflyte-execute, --inputs, "{{.input}}", --output-prefix, "{{.outputPrefix}}"]
---
template:
  id: {resourceType: TASK, name: shop.revenue, version: v1}
  type: python-task
  metadata:
    runtime: {type: FLYTE_SDK, version: 1.16.0, flavor: python}
    retries: {retries: 3}
  interface:
    inputs:
      variables:
        orders: {type: {structuredDatasetType: {format: parquet}}}
        currency: {type: {simple: STRING}}
    outputs:
      variables:
        total: {type: {simple: FLOAT}}
  container:
    image: ghcr.io/example/shop:2.0.1
    args: [pyflyte-execute, --inputs, "{{.input}}", --output-prefix, "{{.outputPrefix}}"]
"""

# the 'sum' node on one line: a name with non-ASCII characters (an astral one too) comes before
# the faulty promise, so its column differs in code points, UTF-16 units and UTF-8 bytes
BAD = "{promise: {var: orders, nodeId: fetch}}"  # the other binding spells it the other way
GOOD = '{scalar: {primitive: {stringValue: "€"}}}'
WORKFLOW = """\
template:
  id: {resourceType: WORKFLOW, name: shop.daily_revenue, version: v1}
  interface:
    inputs:
      variables:
        day: {type: {simple: STRING}}
    outputs:
      variables:
        total: {type: {simple: FLOAT}}
  nodes:
    - id: fetch
      taskNode:
        referenceId: {resourceType: TASK, name: shop.fetch_orders, version: v1}
      inputs:
        - var: day
          binding: {promise: {var: day}}
    - {id: sum, metadata: {name: "Umsatz – Σ 😀 Größe"}, taskNode: {referenceId: {resourceType: TASK, name: shop.revenue, version: v1}}, inputs: [{var: orders, binding: {promise: {nodeId: fetch, var: orders}}}, {var: currency, binding: BAD}]}
  outputs:
    - var: total
      binding: {promise: {nodeId: sum, var: total}}
""".replace("BAD", BAD)  # noqa: E501, RUF001 - one long line of wide characters is what it tests


def _units(s: str, encoding: str) -> int:
    if encoding == UTF8:
        return len(s.encode("utf-8"))
    if encoding == UTF32:
        return len(s)
    return len(s.encode("utf-16-le")) // 2


def _pos(text: str, needle: str, encoding: str, nth: int = 0, shift: int = 0) -> dict:
    """The LSP position of the nth occurrence of needle (plus shift characters)."""
    idx = -1
    for _ in range(nth + 1):
        idx = text.index(needle, idx + 1)
    idx += shift
    line = text.count("\n", 0, idx)
    start = text.rfind("\n", 0, idx) + 1
    return {"line": line, "character": _units(text[start:idx], encoding)}


class Client:
    """A minimal LSP client over a subprocess's stdio; nothing here can block past a deadline."""

    def __init__(self, cwd: Path) -> None:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")]).rstrip(
            os.pathsep)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "specc", "lsp", "--stdio"], cwd=cwd, env=env,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.inbox: queue.Queue = queue.Queue()
        self.stderr: list[bytes] = []
        self.pending: list[dict] = []
        self.next_id = 0
        self.threads = [threading.Thread(target=self._read, daemon=True),
                        threading.Thread(target=self._drain, daemon=True)]
        for t in self.threads:
            t.start()

    def _read(self) -> None:
        out = self.proc.stdout
        try:
            while True:
                length = None
                while True:
                    line = out.readline()
                    if not line:
                        self.inbox.put(None)
                        return
                    line = line.strip()
                    if not line:
                        break
                    name, _, value = line.decode("ascii").partition(":")
                    if name.lower() == "content-length":
                        length = int(value.strip())
                body = out.read(length or 0)
                self.inbox.put(json.loads(body))
        except Exception as e:  # pragma: no cover - a broken stream ends the conversation
            self.inbox.put({"reader-error": repr(e)})

    def _drain(self) -> None:
        for chunk in iter(lambda: self.proc.stderr.read(4096), b""):
            self.stderr.append(chunk)

    def send(self, msg: dict) -> None:
        body = json.dumps({"jsonrpc": "2.0", **msg}).encode("utf-8")
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def _next(self, deadline: float) -> dict:
        left = deadline - time.monotonic()
        if left <= 0:
            raise AssertionError(f"no answer from the server in time; stderr: {self._err()}")
        try:
            msg = self.inbox.get(timeout=left)
        except queue.Empty:
            raise AssertionError(
                f"no answer from the server in time; stderr: {self._err()}") from None
        if msg is None:
            raise AssertionError(f"the server closed its output; stderr: {self._err()}")
        if "method" in msg and "id" in msg:  # a request from the server: answer it
            self.send({"id": msg["id"], "result": None})
            return self._next(deadline)
        return msg

    def _err(self) -> str:
        return b"".join(self.stderr).decode("utf-8", "replace")[-3000:]

    def request(self, method: str, params, timeout: float = TIMEOUT):
        self.next_id += 1
        rid = self.next_id
        self.send({"id": rid, "method": method, "params": params})
        deadline = time.monotonic() + timeout
        while True:
            msg = self._next(deadline)
            if msg.get("id") == rid and "method" not in msg:
                assert "error" not in msg, msg
                return msg.get("result")
            self.pending.append(msg)

    def notify(self, method: str, params) -> None:
        self.send({"method": method, "params": params})

    def diagnostics(self, uri: str, timeout: float = TIMEOUT, version: int | None = None) -> list:
        """The next publishDiagnostics for uri (of that document version, when given)."""
        deadline = time.monotonic() + timeout
        while True:
            for i, msg in enumerate(self.pending):
                p = msg.get("params") or {}
                if (msg.get("method") == "textDocument/publishDiagnostics" and p.get("uri") == uri
                        and (version is None or p.get("version") == version)):
                    del self.pending[: i + 1]
                    return p["diagnostics"]
            self.pending.append(self._next(deadline))

    def close(self) -> int | None:
        """shutdown, exit: the exit status."""
        try:
            if self.proc.poll() is None:
                assert self.request("shutdown", None, timeout=10) is None
                self.notify("exit", None)
                return self.proc.wait(timeout=10)
            return self.proc.returncode
        finally:
            self.dispose()

    def dispose(self) -> None:
        """Kill the server if it still runs, and close the pipes."""
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=10)
        for t in self.threads:
            t.join(timeout=5)
        for stream in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            with contextlib.suppress(OSError):  # a broken pipe to a dead server
                stream.close()


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    (tmp_path / "tasks.yaml").write_text(TASKS, encoding="utf-8")
    (tmp_path / "wf.yaml").write_text(WORKFLOW, encoding="utf-8")
    return tmp_path


@pytest.fixture
def client(workspace: Path):
    c = Client(workspace)
    try:
        yield c
    finally:
        c.dispose()


def _initialize(client: Client, workspace: Path, encodings: list[str] | None) -> dict:
    caps: dict = {"textDocument": {"hover": {"contentFormat": ["markdown", "plaintext"]},
                                   "publishDiagnostics": {"relatedInformation": True,
                                                          "versionSupport": True}}}
    if encodings is not None:
        caps["general"] = {"positionEncodings": encodings}
    root = workspace.resolve().as_uri()
    result = client.request("initialize", {
        "processId": os.getpid(), "rootUri": root, "capabilities": caps,
        "workspaceFolders": [{"uri": root, "name": "specs"}]})
    client.notify("initialized", {})
    return result["capabilities"]


@pytest.mark.parametrize("offered, expected", [(None, UTF16), ([UTF8], UTF8)],
                         ids=["utf-16-default", "utf-8-negotiated"])
def test_language_server_session(client: Client, workspace: Path, offered, expected):
    caps = _initialize(client, workspace, offered)
    assert caps.get("positionEncoding", UTF16) == expected
    assert caps["hoverProvider"] and caps["definitionProvider"]

    wf = workspace / "wf.yaml"
    uri = wf.resolve().as_uri()
    text = WORKFLOW
    client.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "yaml", "version": 1, "text": text}})

    # the type error, at the exact range, in the negotiated encoding
    diags = client.diagnostics(uri, version=1)
    errors = [d for d in diags if d["code"] == "SPC401"]
    assert len(errors) == 1, diags
    d = errors[0]
    promise = BAD[len("{promise: "):-1]  # reported at the promise itself
    want = {"start": _pos(text, promise, expected),
            "end": _pos(text, promise, expected, shift=len(promise))}
    assert d["range"] == want
    line = text.splitlines()[want["start"]["line"]]
    assert want["start"]["character"] != line.index(promise)  # non-ASCII before the error
    assert d["severity"] == 1 and d["source"] == "specc"
    assert d["codeDescription"]["href"] == (
        "https://github.com/specc-dev/specc/blob/main/docs/codes.md#spc401")
    assert "currency" in d["message"] and "str" in d["message"]

    # hover on a promise's node id: the resolved output type
    hover = client.request("textDocument/hover", {
        "textDocument": {"uri": uri}, "position": _pos(text, "nodeId: fetch", expected, shift=9)})
    assert hover is not None
    assert "fetch.orders" in hover["contents"]["value"]
    assert "dataset[parquet]" in hover["contents"]["value"]
    assert hover["range"]["start"] == _pos(text, "fetch, var: orders", expected)

    # hover on the task reference: the task's interface
    hover = client.request("textDocument/hover", {
        "textDocument": {"uri": uri}, "position": _pos(text, "shop.revenue", expected, shift=3)})
    value = hover["contents"]["value"]
    assert "task shop.revenue@v1" in value and "currency: str" in value and "total: float" in value

    # definition from the task reference: the task's id in the other file, not open
    locs = client.request("textDocument/definition", {
        "textDocument": {"uri": uri}, "position": _pos(text, "shop.revenue", expected, shift=3)})
    assert len(locs) == 1
    assert locs[0]["uri"] == (workspace / "tasks.yaml").resolve().as_uri()
    want = _pos(TASKS, "{resourceType: TASK, name: shop.revenue", expected)
    assert locs[0]["range"]["start"] == want

    # definition from a promise's node id: the node
    locs = client.request("textDocument/definition", {
        "textDocument": {"uri": uri}, "position": _pos(text, "nodeId: fetch", expected, shift=10)})
    assert locs == [{"uri": uri, "range": {"start": _pos(text, "id: fetch", expected, shift=4),
                                           "end": _pos(text, "id: fetch", expected, shift=9)}}]

    # an incremental edit, its range in the negotiated encoding, fixes the error: cleared
    # (whole texts when the server asks for them: pygls 1.x)
    fixed = text.replace(BAD, GOOD)
    bad = {"start": _pos(text, BAD, expected), "end": _pos(text, BAD, expected, shift=len(BAD))}
    sync = caps["textDocumentSync"]
    incremental = (sync if isinstance(sync, int) else sync.get("change")) == 2
    client.notify("textDocument/didChange", {
        "textDocument": {"uri": uri, "version": 2},
        "contentChanges": [{"range": bad, "text": GOOD} if incremental else {"text": fixed}]})
    diags = client.diagnostics(uri, version=2)
    assert diags == _expected_clean(workspace, fixed), diags

    # saved, the diagnostics come again, still clean
    wf.write_text(fixed, encoding="utf-8")
    client.notify("textDocument/didSave", {"textDocument": {"uri": uri}})
    assert client.diagnostics(uri) == diags

    assert client.close() == 0


def _expected_clean(workspace: Path, fixed: str) -> list:
    """What the command line reports on the fixed files: nothing (lint rules may add warnings;
    then the server must publish exactly the same codes), and never an error."""
    from specc import driver

    (workspace / "fixed").mkdir()
    (workspace / "fixed" / "tasks.yaml").write_text(TASKS, encoding="utf-8")
    (workspace / "fixed" / "wf.yaml").write_text(fixed, encoding="utf-8")
    res = driver.compile_paths(driver.Options(paths=[workspace / "fixed"]))
    (workspace / "fixed" / "tasks.yaml").unlink()
    (workspace / "fixed" / "wf.yaml").unlink()
    (workspace / "fixed").rmdir()
    mine = [d for d in res.diagnostics if d.file and d.file.endswith("wf.yaml")]
    assert not [d for d in res.diagnostics if d.severity == "error"], res.diagnostics
    return [] if not mine else pytest.fail(f"the fixed workflow is not clean: {mine}")


def test_related_information_and_close(client: Client, workspace: Path):
    """A duplicate node id names the first one as related information; closing a document clears
    its diagnostics."""
    _initialize(client, workspace, [UTF32])
    text = WORKFLOW.replace(BAD, GOOD).replace("- {id: sum,", "- {id: fetch,").replace(
        "nodeId: sum", "nodeId: fetch")
    uri = (workspace / "wf.yaml").resolve().as_uri()
    client.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "yaml", "version": 7, "text": text}})
    diags = client.diagnostics(uri, version=7)
    dup = [d for d in diags if d["code"] == "SPC206"]
    assert dup, diags
    rel = dup[0]["relatedInformation"]
    assert rel[0]["location"]["uri"] == uri
    assert rel[0]["location"]["range"]["start"] == _pos(text, "id: fetch", UTF32, shift=4)
    assert dup[0]["range"]["start"] == _pos(text, "id: fetch", UTF32, nth=1, shift=4)
    client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    assert client.diagnostics(uri) == []
    assert client.close() == 0


# ------------------------------------------------------------------------------------------------
# the pieces
# ------------------------------------------------------------------------------------------------

def test_text_map_encodings():
    text = 'a: 1\r\nname: "é😀", x: 1\n'
    tm = TextMap(text, "yaml")
    col = text.splitlines()[1].index("x") + 1  # specc's 1-based code-point column
    assert tm.lsp_range(2, col, 2, col + 1, UTF16)["start"] == {"line": 1, "character": 13}
    assert tm.lsp_range(2, col, 2, col + 1, UTF8)["start"] == {"line": 1, "character": 16}
    assert tm.lsp_range(2, col, 2, col + 1, UTF32)["start"] == {"line": 1, "character": 12}
    for enc, ch in ((UTF16, 13), (UTF8, 16), (UTF32, 12)):
        assert tm.specc_position(1, ch, enc) == (2, col)
    # a position inside a surrogate pair or a multi-byte sequence is that character's start
    emoji = text.splitlines()[1].index("😀")
    assert tm.specc_position(1, emoji + 1, UTF16) == (2, emoji + 1)
    # past the end of a line stays on it
    assert tm.specc_position(0, 99, UTF16) == (1, 5)


def test_text_map_line_models_differ():
    # libyaml breaks lines at LS (U+2028); LSP does not: specc's line 3 is LSP's line 1
    text = 'a: "x\u2028y"\nb: 2\n'
    tm = TextMap(text, "yaml")
    assert tm.lsp_range(3, 1, 3, 2)["start"] == {"line": 1, "character": 0}
    assert tm.specc_position(1, 0) == (3, 1)
    # a byte-order mark is not in specc's columns
    tm = TextMap("\ufeffa: 1\n", "yaml")
    assert tm.lsp_range(1, 4, 1, 5)["start"] == {"line": 0, "character": 4}


def test_pointer_at(tmp_path: Path):
    f = tmp_path / "wf.yaml"
    f.write_text(WORKFLOW, encoding="utf-8")
    docs, _ = load_file(f, Limits())
    lines = WORKFLOW.splitlines()
    n = next(i for i, s in enumerate(lines) if "nodeId: sum" in s)
    c = lines[n].index("sum") + 1
    assert pointer_at(docs[0], n + 1, c) == "/template/outputs/0/binding/promise/nodeId"
    c = lines[n].index("var: total") + 1
    assert pointer_at(docs[0], n + 1, c) == "/template/outputs/0/binding/promise/var"  # the key
    assert pointer_at(docs[0], 1, 1) == "/template"
    j = tmp_path / "t.json"
    text = '{"a": {"b": [1, "é😀", 3]}}'
    j.write_text(text, encoding="utf-8")
    docs, _ = load_file(j, Limits())
    assert pointer_at(docs[0], 1, text.index("3") + 1) == "/a/b/2"
    assert pointer_at(docs[0], 1, text.index("😀") + 1) == "/a/b/1"
    assert pointer_at(docs[0], 1, 3) == "/a"


def test_snapshot_leaves_out_unrelated_broken_files(workspace: Path):
    """A YAML file that is no spec elsewhere in the folder is left out of the compile (the
    folder's other files are context); the open document's type error is still reported, and
    the references still resolve."""
    (workspace / "mkdocs.yml").write_text("site_name: docs\nnav: []\n", encoding="utf-8")
    from specc.lsp.analysis import Snapshot

    wf = (workspace / "wf.yaml").resolve()
    files = sorted(p.resolve() for p in workspace.iterdir())
    snap = Snapshot(files, {wf: WORKFLOW}, reported={wf})
    by_path = snap.diagnostics_by_path()
    assert (workspace / "mkdocs.yml").resolve() not in by_path
    codes = [d["code"] for d in by_path[wf]]
    assert "SPC401" in codes


def test_hover_on_types_and_variables(workspace: Path):
    from specc.lsp.analysis import Snapshot

    tasks = (workspace / "tasks.yaml").resolve()
    wf = (workspace / "wf.yaml").resolve()
    snap = Snapshot([tasks, wf], {wf: WORKFLOW.replace(BAD, GOOD)}, reported={wf})
    # an interface variable, anywhere in it: its type
    at = _pos(TASKS, "simple: STRING", UTF16, nth=1, shift=9)
    h = snap.hover(tasks, at["line"], at["character"])
    assert "input `currency` of task `shop.revenue@v1`: `str`" in h["contents"]["value"]
    # a binding's input name: the type it expects; its definition: the task's input
    text = WORKFLOW.replace(BAD, GOOD)
    at = _pos(text, "var: currency", UTF16, shift=6)
    h = snap.hover(wf, at["line"], at["character"])
    assert "input `currency` of node `sum`: `str`" in h["contents"]["value"]
    (loc,) = snap.definition(wf, at["line"], at["character"])
    assert loc["uri"] == tasks.as_uri()
    assert loc["range"]["start"] == _pos(TASKS, "currency: {type", UTF16)
    # a workflow input promise: the input's type; its definition: the interface input
    at = _pos(text, "{promise: {var: day}}", UTF16, shift=17)
    h = snap.hover(wf, at["line"], at["character"])
    assert h["contents"]["value"] == "workflow input `day`: `str`"
    (loc,) = snap.definition(wf, at["line"], at["character"])
    assert loc["range"]["start"] == _pos(text, "day: {type", UTF16)
    # a node id: the node's interface
    at = _pos(text, "id: fetch", UTF16, shift=5)
    h = snap.hover(wf, at["line"], at["character"])
    assert "node fetch: task shop.fetch_orders@v1" in h["contents"]["value"]
    # nothing there: no hover, no definition
    assert snap.hover(wf, 0, 0) is None
    assert snap.definition(wf, 0, 0) == []
