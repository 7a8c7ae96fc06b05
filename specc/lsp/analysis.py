"""What the language server knows about one compile: diagnostics, hover and definitions as LSP
JSON shapes (plain dicts), with no dependency on pygls so that it can be tested on its own.

A ``Snapshot`` compiles a set of files (a workspace folder's specs) with the editor's unsaved
buffers in place of their files (``driver.Options.overrides``). Positions go through
``specc.lsp.positions.TextMap``. For hover and definition, a cursor position becomes a JSON pointer
(``frontends.pointer_at``, the reverse of the span index), and the pointer, walked from the
innermost outwards, is looked up in a table of the IR's places: references, promises, bindings,
node ids, interface variables.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from specc import diagnostics as dg
from specc import driver, ir
from specc.frontends import form_of, pointer_at, span_entries
from specc.ir.pointer import invert, to_canonical
from specc.lsp.positions import UTF16, TextMap
from specc.source import CanonicalDocument, Document, SourceFile, Span

DOCS_URL = "https://github.com/specc-dev/specc/blob/main/docs/codes.md#{anchor}"
SEVERITY = {"error": 1, "warning": 2, "note": 3, "info": 3, "information": 3, "hint": 4}
_ZERO = {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}


def uri_of(path: Path) -> str:
    return path.as_uri()


@dataclass
class _Sym:
    kind: str  # ref | promise | binding | node | upstream | variable | task | workflow | launchplan
    obj: object  # the Promise, Binding, Node, Variable or entity; an upstream node's id (str)
    wf: ir.Workflow | None = None
    node: ir.Node | None = None
    extra: tuple[str, str] | None = None  # a variable's (input | output, owner)


class Snapshot:
    """One compile of ``files``, with ``buffers`` (path -> text) read instead of the disk."""

    def __init__(self, files: list[Path], buffers: dict[Path, str],
                 reported: Iterable[Path] = ()) -> None:
        self.files = list(files)
        self.buffers = dict(buffers)
        self.reported = set(reported)
        self.result: driver.Result | None = None
        self.usage_error: str | None = None
        self._maps: dict[Path, TextMap] = {}
        self._symbols: dict[tuple[int, str], _Sym] | None = None
        self._entries: dict[int, list[Any]] = {}  # id(document) -> its span entries
        self._canonical: dict[Document, CanonicalDocument] = {}
        self._compile()

    # -- compiling ----------------------------------------------------------------------------
    def _run(self, files: list[Path]) -> driver.Result | None:
        """Compile the reported files (every file, when none is named) with the others as
        context: what is wrong elsewhere in the folder never hides their problems."""
        given = [f for f in files if f in self.reported] or list(files)
        context = [f for f in files if f not in set(given)]
        overrides = {p: t.encode("utf-8", "surrogatepass") for p, t in self.buffers.items()
                     if p in set(files)}
        try:
            return driver.compile_paths(driver.Options(paths=given, overrides=overrides,
                                                       context_paths=context))
        except driver.UsageError as e:
            self.usage_error = str(e)
        except Exception as e:  # a bug; the editor shows it instead of a silent server
            self.usage_error = f"internal error: {type(e).__name__}: {e}; this is a bug in specc"
        return None

    def _compile(self) -> None:
        self.result = self._run(self.files)
        if self.result is not None:
            self._canonical = {c.source: c for c in self.result.canonical}

    @staticmethod
    def path_of(source: SourceFile | None) -> Path | None:
        """The file on disk a diagnostic is about (the archive, for a bundle's member)."""
        return source.disk_path if source is not None else None

    # -- text and positions -------------------------------------------------------------------
    def text_map(self, path: Path) -> TextMap | None:
        tm = self._maps.get(path)
        if tm is None:
            text = self.buffers.get(path)
            if text is None and self.result is not None:
                for doc in self.result.documents:
                    if doc.file.path == path and doc.file.text is not None:
                        text = doc.file.text
                        break
            if text is None:
                try:
                    text = path.read_bytes().decode("utf-8", "replace")
                except OSError:
                    return None
            tm = self._maps[path] = TextMap(text, form_of(path) or "json")
        return tm

    def lsp_range(self, path: Path | None, span: dg.Span | None, encoding: str) -> dict:
        if path is None or span is None:
            return _ZERO
        tm = self.text_map(path)
        if tm is None:
            return _ZERO
        return tm.lsp_range(span.line, span.column, span.end_line, span.end_column, encoding)

    # -- diagnostics --------------------------------------------------------------------------
    def diagnostics_by_path(self, encoding: str = UTF16) -> dict[Path | None, list[dict]]:
        """LSP Diagnostics per file; key None for those about no file (an internal error)."""
        out: dict[Path | None, list[dict]] = {}
        if self.result is None:
            return out
        for d in self.result.diagnostics:
            path = self.path_of(d.source)
            out.setdefault(path, []).append(self.lsp_diagnostic(d, path, encoding))
        return out

    def lsp_diagnostic(self, d: dg.Diagnostic, path: Path | None, encoding: str) -> dict:
        message = d.message
        member = d.source.member if d.source is not None else None
        where = " ".join(x for x in (f"in '{member}'" if member else "",
                                     f"at {d.pointer}" if d.pointer and d.span is None else "")
                         if x)
        if where:
            message += f" ({where})"
        out: dict = {
            "range": self.lsp_range(path, d.span if member is None else None, encoding),
            "severity": SEVERITY.get(d.severity, 1),
            "code": d.code,
            "codeDescription": {"href": DOCS_URL.format(anchor=d.code.lower())},
            "source": "specc",
            "message": message,
        }
        related = []
        for r in d.related:
            rpath = self.path_of(r.source)
            if rpath is None:
                continue
            rmember = r.source.member if r.source is not None else None
            related.append({
                "location": {"uri": uri_of(rpath),
                             "range": self.lsp_range(rpath, r.span if rmember is None else None,
                                                     encoding)},
                "message": r.message if rmember is None else f"{r.message} (in '{rmember}')",
            })
        if related:
            out["relatedInformation"] = related
        return out

    # -- the IR's places ------------------------------------------------------------------------
    def _program(self) -> ir.Program | None:
        return self.result.program if self.result is not None else None

    def _resolution(self) -> ir.Resolution:
        res = self.result.resolution if self.result is not None else None
        return res if res is not None else ir.Resolution()

    def symbols(self) -> dict[tuple[int, str], _Sym]:
        if self._symbols is None:
            prog = self._program()
            self._symbols = _index(prog, self._resolution()) if prog is not None else {}
        return self._symbols

    def _documents(self, path: Path) -> list[Document]:
        if self.result is None:
            return []
        return [d for d in self.result.documents if d.file.path == path]

    def at(self, path: Path, line: int, character: int, encoding: str = UTF16
           ) -> tuple[Document, str] | None:
        """(document, source pointer) under an LSP position, or None."""
        tm = self.text_map(path)
        if tm is None:
            return None
        sline, scol = tm.specc_position(line, character, encoding)
        for doc in self._documents(path):
            entries = self._entries.get(id(doc))
            if entries is None:
                entries = self._entries[id(doc)] = span_entries(doc)
            p = pointer_at(doc, sline, scol, entries)
            if p is not None:
                return doc, p
        return None

    def lookup(self, path: Path, line: int, character: int, encoding: str = UTF16
               ) -> tuple[_Sym | None, str, Document, str] | None:
        """(symbol, the part of the pointer below it, document, pointer) innermost first."""
        found = self.at(path, line, character, encoding)
        if found is None:
            return None
        doc, pointer = found
        table = self.symbols()
        p = pointer
        while True:
            sym = table.get((id(doc), p))
            if sym is not None:
                return sym, pointer[len(p):], doc, pointer
            if not p:
                return None, "", doc, pointer
            p = p[: p.rfind("/")]

    # -- hover ----------------------------------------------------------------------------------
    def hover(self, path: Path, line: int, character: int, encoding: str = UTF16) -> dict | None:
        """Markdown about what is under the cursor: a promise's or binding's resolved type, a
        reference's task (workflow, launch plan) interface, a node's interface, a type."""
        got = self.lookup(path, line, character, encoding)
        prog = self._program()
        if got is None:
            return None
        sym, _, doc, pointer = got
        res = self._resolution()
        text = _hover_text(prog, res, sym) if sym is not None and prog is not None else None
        if text is None:
            text, type_pointer = _type_at(self._canonical.get(doc), pointer)
            if text is None:
                return None
            pointer = type_pointer or pointer
        out: dict = {"contents": {"kind": "markdown", "value": text}}
        tm = self.text_map(path)
        sline, scol = tm.specc_position(line, character, encoding) if tm else (0, 0)
        span = _span_at(doc, pointer, sline, scol)
        if span is not None:
            out["range"] = self.lsp_range(path, span, encoding)
        return out

    # -- definition -----------------------------------------------------------------------------
    def definition(self, path: Path, line: int, character: int,
                   encoding: str = UTF16) -> list[dict]:
        """Where a task (workflow, launch plan) reference, a promise, an upstream node id or a
        binding's input name is defined."""
        got = self.lookup(path, line, character, encoding)
        prog = self._program()
        if got is None or prog is None:
            return []
        sym, rest, _, _ = got
        if sym is None:
            return []
        target = _definition(prog, self._resolution(), sym, rest)
        if target is None or target.doc is None or target.doc.file.path is None:
            return []
        tpath = target.doc.file.path
        _, span, _, _ = dg.resolve(target)
        return [{"uri": uri_of(tpath), "range": self.lsp_range(tpath, span, encoding)}]


# ------------------------------------------------------------------------------------------------
# the table of places
# ------------------------------------------------------------------------------------------------

def _key(loc: dg.Loc) -> tuple[int, str] | None:
    doc = loc.doc
    if doc is None:
        return None
    p = loc.pointer
    return id(doc.document), (doc.source_pointer(p) if p else p)


def _index(prog: ir.Program, res: ir.Resolution) -> dict[tuple[int, str], _Sym]:
    table: dict[tuple[int, str], _Sym] = {}

    def add(loc: dg.Loc | None, sym: _Sym) -> None:
        k = _key(loc) if loc is not None else None
        if k is not None:
            table.setdefault(k, sym)

    def variables(iface: ir.Interface | None, owner: str) -> None:
        if iface is None:
            return
        for which, vs in (("input", iface.inputs), ("output", iface.outputs)):
            for v in vs.values():
                add(v.loc, _Sym("variable", v, extra=(which, owner)))

    for e in prog.entities:
        if isinstance(e, ir.Task):
            add(e.loc.child("id"), _Sym("task", e))
            variables(e.interface, f"task {_code(e.id.display())}")
        elif isinstance(e, ir.LaunchPlan):
            add(e.loc.child("id"), _Sym("launchplan", e))
            add(e.loc.child("spec", "workflowId"), _Sym("ref", e))
    for wf in prog.of(ir.Workflow):
        add(wf.loc.child("id"), _Sym("workflow", wf))
        variables(wf.interface, f"workflow {_code(wf.id.display())}")
        for n, b in ir.walk.bindings(wf):
            node = n if n is not None else wf.end
            add(b.loc, _Sym("binding", b, wf, node))
            for p in b.promises():
                add(p.loc, _Sym("promise", p, wf, node))
        for n in ir.walk.nodes(wf):
            add(n.loc.child("id"), _Sym("node", n, wf, n))
            for up, uloc in n.upstream_ids:
                add(uloc, _Sym("upstream", up, wf, n))
            ref_loc = getattr(n, "ref_loc", None)
            if getattr(n, "ref", None) is not None and ref_loc is not None:
                add(ref_loc, _Sym("ref", n, wf, n))
    return table


# ------------------------------------------------------------------------------------------------
# hover texts and definition targets
# ------------------------------------------------------------------------------------------------

def _t(t: dict | None) -> str:
    from specc.types import type_to_str

    return type_to_str(t)


def _code(s: str) -> str:
    return f"`{s}`" if "`" not in s else f"`` {s} ``"


def _signature(title: str, inputs: dict[str, dict | None],
               outputs: dict[str, dict | None]) -> str:
    lines = [title]
    for label, vs in (("inputs", inputs), ("outputs", outputs)):
        if vs:
            lines.append(f"  {label}:")
            lines.extend(f"    {name}: {_t(t)}" for name, t in vs.items())
        else:
            lines.append(f"  {label}: none")
    return "```text\n" + "\n".join(lines) + "\n```"


def _ref_target(prog: ir.Program, sym: _Sym) -> ir.Entity | None:
    """The task, workflow or launch plan a reference names (None when it is not defined)."""
    if isinstance(sym.obj, ir.LaunchPlan):
        return prog.workflows.get(sym.obj.workflow_id.key)
    n = sym.obj
    ref = getattr(n, "ref", None)
    if not isinstance(n, ir.Node) or ref is None:
        return None
    if isinstance(n, ir.TaskNode):
        return prog.tasks.get(ref.key)
    if isinstance(n, ir.WorkflowNode):
        wf = sym.wf
        return (wf.scope.get(ref.key) if wf is not None else None) or prog.workflows.get(ref.key)
    if isinstance(n, ir.LaunchPlanNode):
        return prog.launch_plans.get(ref.key)
    return None


def _describe_target(prog: ir.Program, target: ir.Entity) -> str:
    if isinstance(target, (ir.Task, ir.Workflow)):
        iface = target.interface
        i, o = (iface.input_types(), iface.output_types()) if iface else ({}, {})
        return _signature(f"{target.WHAT} {target.id.display()}", i, o)
    if isinstance(target, ir.LaunchPlan):
        from specc.passes.resolve_references import launch_plan_interface

        params, outputs = launch_plan_interface(prog.workflows.get(target.workflow_id.key),
                                                target)
        return _signature(f"launch plan {target.id.display()}",
                          {k: p.get("var", {}).get("type") for k, p in params.items()},
                          {k: v.get("type") for k, v in outputs.items()})
    return ""


def _promise_source(res: ir.Resolution, sym: _Sym) -> tuple[Any, ...] | None:
    """(upstream node, output name, index, full type, type after index and attribute path)."""
    from specc import types as T

    p = sym.obj
    assert isinstance(p, ir.Promise)
    wf = sym.wf
    index_of = res.index.get(wf) if wf is not None else None
    if not index_of:
        return None
    up = index_of.get(p.source_id)
    ui = res.interface(up) if up is not None else None
    if up is None or p.name is None or ui is None:
        return None
    full = ui.outputs.get(p.name)
    if full is None:
        return up, p.name, p.index, None, None
    t: Any = full
    if p.index is not None:
        t = t.get("collectionType") if isinstance(t, dict) else None
    if t is not None and p.attr_path:
        t, _ = T.element_type_for_attr_path(t, p.attr_path)
    return up, p.name, p.index, full, t


def _attr_suffix(index: int | None, path: list[dict[str, Any]]) -> str:
    s = f"[{index}]" if index is not None else ""
    for a in path:
        s += f"[{a['intValue']}]" if "intValue" in a else f".{a.get('stringValue', '')}"
    return s


def _node_kind_text(n: ir.Node, plain: bool = False) -> str:
    ref = getattr(n, "ref", None)
    if ref is not None:
        word = {"task": "task", "workflow": "sub-workflow", "launchplan": "launch plan"}.get(
            n.KIND, n.KIND)
        shown = ref.display()
        return f"{word} {shown if plain else _code(shown)}"
    return f"{n.KIND} node" if n.KIND else "node"


def _hover_text(prog: ir.Program, res: ir.Resolution, sym: _Sym) -> str | None:
    k = sym.kind
    if k == "promise":
        got = _promise_source(res, sym)
        p = sym.obj
        assert isinstance(p, ir.Promise)
        if got is None:
            return None
        up, name, index, full, t = got
        suffix = _attr_suffix(index, p.attr_path)
        if up.id == ir.START_NODE:
            what = f"workflow input {_code(name + suffix)}"
        else:
            what = f"output {_code(up.id + '.' + name + suffix)} of {_node_kind_text(up)}"
        if full is None:
            return f"{what}: not an output of this node"
        shown = f"{what}: {_code(_t(t))}" if t is not None else f"{what}: no such field"
        if t is not full and full is not None:
            shown += f"\n\n(the whole output is {_code(_t(full))})"
        return shown
    if k == "binding":
        b = sym.obj
        assert isinstance(b, ir.Binding)
        n = sym.node
        iface = res.interface(n) if n is not None else None
        if n is None or iface is None:
            return None
        t = iface.inputs.get(b.var)
        if isinstance(n, ir.EndNode):
            return f"workflow output {_code(b.var)}: {_code(_t(t))}" if t is not None else None
        if t is None:
            return f"input {_code(b.var)} is not an input of node {_code(n.id)}"
        return f"input {_code(b.var)} of node {_code(n.id)}: {_code(_t(t))}"
    if k == "ref":
        target = _ref_target(prog, sym)
        if target is None:
            return None
        return _describe_target(prog, target)
    if k in ("task", "workflow", "launchplan"):
        assert isinstance(sym.obj, ir.Entity)
        return _describe_target(prog, sym.obj)
    if k in ("node", "upstream"):
        n = sym.node if k == "node" else (res.index.get(sym.wf, {}).get(sym.obj)
                                          if sym.wf and isinstance(sym.obj, str) else None)
        if n is None:
            return None
        title = f"node {n.id}: {_node_kind_text(n, plain=True)}"
        iface = res.interface(n)
        if iface is None:
            return f"```text\n{title}\n```"
        return _signature(title, iface.inputs, iface.outputs)
    if k == "variable":
        v = sym.obj
        assert isinstance(v, ir.Variable) and sym.extra is not None
        which, owner = sym.extra
        text = f"{which} {_code(v.name)} of {owner}: {_code(_t(v.type))}"
        doc = v.loc.doc
        desc = _canonical_at(doc, v.loc.pointer + "/description") \
            if isinstance(doc, CanonicalDocument) else None
        if isinstance(desc, str) and desc:
            text += f"\n\n{desc}"
        return text
    return None


def _definition(prog: ir.Program, res: ir.Resolution, sym: _Sym, rest: str) -> dg.Loc | None:
    k = sym.kind
    if k == "ref":
        target = _ref_target(prog, sym)
        return target.loc.child("id") if target is not None else None
    if k == "upstream":
        n = res.index.get(sym.wf, {}).get(sym.obj) \
            if sym.wf and isinstance(sym.obj, str) else None
        return n.loc.child("id") if n is not None else None
    if k == "promise":
        wf = sym.wf
        p = sym.obj
        assert isinstance(p, ir.Promise)
        up = res.index.get(wf, {}).get(p.source_id) if wf else None
        if up is None or wf is None:
            return None
        if up.id == ir.START_NODE or not rest.startswith("/nodeId"):
            var = _output_variable(prog, wf, up, p)
            if var is not None:
                return var
        return up.loc.child("id") if up.id != ir.START_NODE else None
    if k == "binding" and rest.startswith("/var"):
        assert isinstance(sym.obj, ir.Binding)
        return _input_variable(prog, sym.wf, sym.node, sym.obj.var)
    if k == "node":
        target = _ref_target(prog, _Sym("ref", sym.node, sym.wf)) \
            if sym.node is not None else None
        return target.loc.child("id") if target is not None else None
    return None


def _output_variable(prog: ir.Program, wf: ir.Workflow, up: ir.Node, p: ir.Promise
                     ) -> dg.Loc | None:
    name = p.name
    if name is None:
        return None
    if up.id == ir.START_NODE:
        v = wf.interface.inputs.get(name) if wf.interface else None
        return v.loc.key() if v is not None else None
    for a in up.aliases:
        if a.alias == name:
            return a.loc.child("alias")
    target = _ref_target(prog, _Sym("ref", up, wf))
    iface = getattr(target, "interface", None)
    if isinstance(iface, ir.Interface):
        v = iface.outputs.get(name)
        return v.loc.key() if v is not None else None
    return None


def _input_variable(prog: ir.Program, wf: ir.Workflow | None, n: ir.Node | None,
                    var: str) -> dg.Loc | None:
    if wf is None or n is None:
        return None
    if isinstance(n, ir.EndNode):
        v = wf.interface.outputs.get(var) if wf.interface else None
        return v.loc.key() if v is not None else None
    target = _ref_target(prog, _Sym("ref", n, wf))
    iface = getattr(target, "interface", None)
    if isinstance(iface, ir.Interface):
        v = iface.inputs.get(var)
        return v.loc.key() if v is not None else None
    return None


def _span_at(doc: Document, pointer: str, line: int, column: int) -> Span | None:
    """The span of ``pointer`` that holds the position: its key's or its value's."""
    if doc.spans is None:
        return None
    value = doc.spans.lookup(pointer)
    key = doc.spans.lookup(pointer, at_key=True) if pointer else None
    for s in (key, value):
        if s is not None and (s.line, s.column) <= (line, column) <= (s.end_line, s.end_column):
            return s
    return value


def _canonical_at(doc: CanonicalDocument, canon_pointer: str) -> Any:
    from specc.ir.pointer import resolve

    return resolve(doc.data, canon_pointer)


def _type_at(doc: CanonicalDocument | None, pointer: str) -> tuple[str | None, str | None]:
    """A LiteralType around the source pointer (a 'type' field, innermost first): its text and
    the source pointer of the field."""
    if doc is None:
        return None, None
    canon = to_canonical(pointer, invert(doc.pointer_map) if doc.pointer_map else None)
    parts = canon.split("/")
    src_parts = pointer.split("/")
    for i in range(len(parts), 1, -1):
        if parts[i - 1] in ("type", "literalType"):
            t = _canonical_at(doc, "/".join(parts[:i]))
            if isinstance(t, dict):
                src = "/".join(src_parts[:i]) if len(src_parts) == len(parts) else None
                return f"type {_code(_t(t))}", src
    return None, None
