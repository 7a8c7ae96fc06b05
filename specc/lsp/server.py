"""The language server: pygls over stdio (``specc lsp``).

- Diagnostics on open, change (debounced) and save. A document is compiled together with the other
  spec files of its workspace folder, so references to tasks in other files resolve, with every
  open document's unsaved text in place of its file; diagnostics are published for every open
  document of that folder, an empty list clearing those that were fixed. A document outside every
  workspace folder is compiled with the other open documents outside them.
- Hover and go-to-definition, from the last compile of the document's folder (compiled first when
  an edit is pending); document symbols likewise.
- Completion, from the text as it is (valid or not) and the folder's last compile, whatever its
  age: no compile per keystroke.
- Code actions: the fixes of the diagnostics in the requested range, as quick fixes
  (``specc.lsp.actions``; the safe ones preferred), the same ``specc compile --fix`` applies.

Positions are converted in ``specc.lsp.positions`` with the encoding negotiated at initialize
(pygls picks among the client's ``general.positionEncodings``; UTF-16 when it offers none).
Works with pygls 1.3 (whole-text sync) and 2.x (incremental sync).
"""
from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from lsprotocol import types
from lsprotocol.converters import get_converter

from specc import __version__
from specc.frontends import expand, form_of
from specc.lsp.analysis import Snapshot, uri_of
from specc.lsp.complete import TRIGGERS, complete
from specc.lsp.positions import UTF16
from specc.lsp.symbols import document_symbols

try:  # pygls 2
    from pygls.lsp.server import LanguageServer
    PYGLS2 = True
except ImportError:  # pragma: no cover - pygls 1.x
    from pygls.server import LanguageServer  # type: ignore[no-redef,attr-defined]  # pygls 1.x
    PYGLS2 = False
from pygls import uris
from pygls.exceptions import JsonRpcException, JsonRpcInvalidParams
from pygls.protocol import LanguageServerProtocol

DEBOUNCE_SECONDS = 0.2
_CONVERTER = get_converter()


class SpecServer(LanguageServer):
    def __init__(self) -> None:
        # pygls 1.x applies incremental edits with a wrong UTF-8 codec (it counts 'é' as one
        # unit): ask for whole texts there, so that only specc.lsp.positions converts positions
        sync = (types.TextDocumentSyncKind.Incremental if PYGLS2
                else types.TextDocumentSyncKind.Full)
        super().__init__("specc", __version__, text_document_sync_kind=sync,
                         protocol_cls=_AnsweringProtocol)
        self.open_docs: dict[Path, str] = {}  # path -> uri
        self.snapshots: dict[Path | None, Snapshot] = {}  # scope -> last compile
        self.generation: dict[Path | None, int] = {}  # scope -> edits seen
        self.compiled: dict[Path | None, int] = {}  # scope -> generation last compiled
        self.shown_errors: set[str] = set()

    # -- where a document belongs --------------------------------------------------------------
    @property
    def encoding(self) -> str:
        enc = getattr(self.workspace, "position_encoding", None)
        return str(getattr(enc, "value", enc) or UTF16)

    def snippets(self) -> bool:
        """Whether the client takes snippets in completion items."""
        caps = getattr(self, "client_capabilities", None)
        item = getattr(getattr(getattr(caps, "text_document", None), "completion", None),
                       "completion_item", None)
        return bool(getattr(item, "snippet_support", False))

    def folders(self) -> list[Path]:
        out = []
        ws = self.workspace
        for f in (getattr(ws, "folders", None) or {}).values():
            p = _path(f.uri)
            if p is not None:
                out.append(p)
        if not out and getattr(ws, "root_uri", None):
            p = _path(ws.root_uri)
            if p is not None:
                out.append(p)
        return out

    def scope_of(self, path: Path) -> Path | None:
        """The innermost workspace folder holding ``path``; None for none."""
        best = None
        for f in self.folders():
            if (path == f or f in path.parents) and (best is None or best in f.parents):
                best = f
        return best

    def scope_files(self, scope: Path | None) -> list[Path]:
        mine = [p for p in self.open_docs if self.scope_of(p) == scope]
        if scope is None:
            return sorted(mine)
        files, _ = expand([scope])
        have = set(files)
        return files + sorted(p for p in mine if p not in have)

    # -- compiling and publishing --------------------------------------------------------------
    def buffers(self, scope: Path | None) -> dict[Path, str]:
        out = {}
        for p, uri in self.open_docs.items():
            if self.scope_of(p) == scope:
                out[p] = self.workspace.get_text_document(uri).source
        return out

    def compile(self, scope: Path | None, trigger: Path | None = None) -> Snapshot:
        self.compiled[scope] = self.generation.get(scope, 0)
        buffers = self.buffers(scope)
        snap = Snapshot(self.scope_files(scope), buffers, reported=buffers)
        self.snapshots[scope] = snap
        self.publish(scope, snap, trigger)
        return snap

    def snapshot(self, path: Path) -> Snapshot:
        """The compile of ``path``'s folder, brought up to date first when an edit is pending."""
        scope = self.scope_of(path)
        snap = self.snapshots.get(scope)
        if snap is None or self.compiled.get(scope) != self.generation.get(scope, 0) or (
                path not in snap.files and path in self.open_docs):
            snap = self.compile(scope, path)
        return snap

    def publish(self, scope: Path | None, snap: Snapshot, trigger: Path | None) -> None:
        enc = self.encoding
        by_path = snap.diagnostics_by_path(enc)
        if snap.usage_error is not None:
            self._show_once(snap.usage_error)
        for p, uri in list(self.open_docs.items()):
            if self.scope_of(p) != scope:
                continue
            diags = list(by_path.get(p, []))
            if p == trigger:
                diags += by_path.get(None, [])  # about no file: an internal error
            if snap.usage_error is not None:
                diags.append({"range": {"start": {"line": 0, "character": 0},
                                        "end": {"line": 0, "character": 0}},
                              "severity": 1, "source": "specc",
                              "message": f"specc cannot check this folder: {snap.usage_error}"})
            version = self.workspace.get_text_document(uri).version
            self._publish(uri, diags, version)

    def _publish(self, uri: str, diags: list[dict], version: int | None) -> None:
        structured = [_CONVERTER.structure(d, types.Diagnostic) for d in diags]
        if hasattr(self, "text_document_publish_diagnostics"):  # pygls 2
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
                uri=uri, diagnostics=structured, version=version))
        else:  # pragma: no cover - pygls 1.x
            assert hasattr(self, "publish_diagnostics")
            self.publish_diagnostics(uri, structured, version)

    def _show_once(self, message: str) -> None:
        if message in self.shown_errors:
            return
        self.shown_errors.add(message)
        text = f"specc: {message}"
        if hasattr(self, "window_show_message"):  # pygls 2
            self.window_show_message(types.ShowMessageParams(types.MessageType.Error, text))
        else:  # pragma: no cover - pygls 1.x
            assert hasattr(self, "show_message")
            self.show_message(text, types.MessageType.Error)

    # -- events ----------------------------------------------------------------------------------
    def opened(self, uri: str) -> None:
        path = _path(uri)
        if path is None or form_of(path) is None:
            return
        self.open_docs[path] = uri
        self.changed(path)
        self.compile(self.scope_of(path), path)

    def changed(self, path: Path) -> int:
        scope = self.scope_of(path)
        self.generation[scope] = self.generation.get(scope, 0) + 1
        return self.generation[scope]

    def closed(self, uri: str) -> None:
        path = _path(uri)
        if path is None or self.open_docs.pop(path, None) is None:
            return
        self._publish(uri, [], None)
        scope = self.scope_of(path)
        self.changed(path)
        if any(self.scope_of(p) == scope for p in self.open_docs):
            self.compile(scope, None)  # its text on disk now counts for the others
        else:
            self.snapshots.pop(scope, None)


class _AnsweringProtocol(LanguageServerProtocol):
    """pygls's protocol, but a request whose parameters do not read (a negative position, a
    missing field, params that are no object) gets an error response (InvalidParams) instead of
    none: pygls drops such a message, and the client waits for ever. A handler that raises
    already gets an error response from pygls."""

    def structure_message(self, data: dict[str, Any]) -> Any:
        try:
            return super().structure_message(data)
        except Exception as e:
            if "method" in data and isinstance(data.get("id"), (int, str)) \
                    and not isinstance(data.get("id"), bool):
                error = e if isinstance(e, JsonRpcException) else JsonRpcInvalidParams()
                self._send_response(data["id"], None, error.to_response_error())
                return _ANSWERED  # read on: the conversation goes on
            raise


class _Answered:
    """A request already answered with an error; nothing more to do for it."""

    jsonrpc = ""  # pygls ignores a message of an unknown JSON-RPC version


_ANSWERED = _Answered()


def _path(uri: str) -> Path | None:
    if not uri.startswith("file:"):
        return None
    fs = uris.to_fs_path(uri)
    if not fs:
        return None
    try:
        return Path(fs).resolve()
    except OSError:
        return Path(fs).absolute()


def make_server() -> SpecServer:
    server = SpecServer()

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: SpecServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.opened(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    async def did_change(ls: SpecServer, params: types.DidChangeTextDocumentParams) -> None:
        path = _path(params.text_document.uri)
        if path is None or path not in ls.open_docs:
            return
        scope = ls.scope_of(path)
        mine = ls.changed(path)
        await asyncio.sleep(DEBOUNCE_SECONDS)
        if ls.generation.get(scope) == mine and ls.compiled.get(scope) != mine:
            ls.compile(scope, path)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: SpecServer, params: types.DidSaveTextDocumentParams) -> None:
        path = _path(params.text_document.uri)
        if path is not None and path in ls.open_docs:
            ls.changed(path)
            ls.compile(ls.scope_of(path), path)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: SpecServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.closed(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: SpecServer, params: types.HoverParams) -> types.Hover | None:
        path = _path(params.text_document.uri)
        if path is None or path not in ls.open_docs:
            return None
        pos = params.position
        got = ls.snapshot(path).hover(path, pos.line, pos.character, ls.encoding)
        return _CONVERTER.structure(got, types.Hover) if got else None

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION,
                    types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]))
    def code_action(ls: SpecServer, params: types.CodeActionParams
                    ) -> list[types.CodeAction] | None:
        """The fixes of the diagnostics in the range (specc.lsp.actions)."""
        from specc.lsp.actions import code_actions

        path = _path(params.text_document.uri)
        if path is None or path not in ls.open_docs:
            return None
        rng = _CONVERTER.unstructure(params.range)
        got = code_actions(ls.snapshot(path), path, rng, ls.encoding)
        return [_CONVERTER.structure(a, types.CodeAction) for a in got] or None

    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    def definition(ls: SpecServer, params: types.DefinitionParams) -> list[types.Location] | None:
        path = _path(params.text_document.uri)
        if path is None or path not in ls.open_docs:
            return None
        pos = params.position
        got = ls.snapshot(path).definition(path, pos.line, pos.character, ls.encoding)
        return [_CONVERTER.structure(loc, types.Location) for loc in got] or None

    _register_editing_features(server)
    return server


def _register_editing_features(server: SpecServer) -> None:
    """Completion and document symbols (``specc.lsp.complete``, ``specc.lsp.symbols``)."""

    @server.feature(types.TEXT_DOCUMENT_COMPLETION,
                    types.CompletionOptions(trigger_characters=TRIGGERS))
    def completion(ls: SpecServer, params: types.CompletionParams) -> types.CompletionList | None:
        path = _path(params.text_document.uri)
        if path is None or path not in ls.open_docs:
            return None
        # the folder's last compile, however old: names and interfaces change rarely while
        # typing, and the text itself is read as it is now (no compile per keystroke)
        snap = ls.snapshots.get(ls.scope_of(path)) or ls.snapshot(path)
        text = ls.workspace.get_text_document(params.text_document.uri).source
        pos = params.position
        got = complete(snap, path, text, pos.line, pos.character, ls.encoding,
                       form_of(path) or "yaml", ls.snippets())
        return _CONVERTER.structure(got, types.CompletionList)

    @server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    def document_symbol(ls: SpecServer, params: types.DocumentSymbolParams
                        ) -> list[types.DocumentSymbol] | None:
        path = _path(params.text_document.uri)
        if path is None or path not in ls.open_docs:
            return None
        got = document_symbols(ls.snapshot(path), path, ls.encoding)
        return [_CONVERTER.structure(s, types.DocumentSymbol) for s in got]


def serve() -> None:
    """Run the server on stdin and stdout until the client says exit."""
    make_server().start_io()


__all__ = ["SpecServer", "make_server", "serve", "uri_of"]
