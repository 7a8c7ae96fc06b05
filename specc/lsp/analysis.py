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

import re
from collections.abc import Callable, Iterable
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
        self._twins: list[tuple[ir.Entity, ir.Entity]] | None = None
        self._entries: dict[int, list[Any]] = {}  # id(document) -> its span entries
        self._canonical: dict[Document, CanonicalDocument] = {}
        self._compile()

    # -- compiling ----------------------------------------------------------------------------
    def _run(self, files: list[Path]) -> driver.Result | None:
        """Compile the reported files (every file, when none is named) with the others as
        context: what is wrong elsewhere in the folder never hides their problems."""
        given = [f for f in files if f in self.reported] or list(files)
        mine = set(given)
        context = [f for f in files if f not in mine]
        listed = set(files)
        overrides = {p: t.encode("utf-8", "surrogatepass") for p, t in self.buffers.items()
                     if p in listed}
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
            self._symbols = _index(prog, self._resolution(), self.twins()) \
                if prog is not None else {}
        return self._symbols

    def twins(self) -> list[tuple[ir.Entity, ir.Entity]]:
        """(twin, kept) for every definition build-ir folded into an identical one (a workflow
        kept in both forms, a task a bundle's closure repeats): the twin is built again, from
        its own document, so that its places are known too. Computed once, on first use."""
        if self._twins is not None:
            return self._twins
        self._twins = []
        prog = self._program()
        if prog is None or self.result is None:
            return self._twins
        from specc.passes.build_ir import build_ir

        known = {(id(e.loc.doc), e.loc.pointer) for e in prog.entities}
        owners = {id(e.loc.doc) for e in prog.entities}
        for cdoc in self.result.canonical:
            # a document all of whose entities were kept needs no second look; those that can
            # hold several (a closure's tasks, a spec's sub-workflows) may have lost some
            single = cdoc.kind in ("TaskSpec", "TaskTemplate", "LaunchPlan", "Task",
                                   "WorkflowTemplate") or (cdoc.kind == "WorkflowSpec"
                                                           and not cdoc.data.get("subWorkflows"))
            if id(cdoc) in owners and single:
                continue
            for e in build_ir([cdoc], [], _ignore).entities:
                if (id(e.loc.doc), e.loc.pointer) in known:
                    continue
                kept = _table_of(prog, e).get(e.id.key)
                if kept is not None and kept is not e and kept.raw == e.raw \
                        and not kept.broken:
                    self._twins.append((e, kept))
        return self._twins

    def _owner(self, loc: dg.Loc) -> ir.Entity | None:
        """The kept entity whose definition holds ``loc`` (the innermost: a sub-workflow before
        the spec's primary), or None."""
        prog = self._program()
        if prog is None or loc.doc is None:
            return None
        best: ir.Entity | None = None
        for e in prog.entities:
            if e.loc.doc is loc.doc and (loc.pointer == e.loc.pointer or loc.pointer.startswith(
                    e.loc.pointer + "/")) and (best is None or len(e.loc.pointer)
                                               > len(best.loc.pointer)):
                best = e
        return best

    def prefer(self, loc: dg.Loc, here: Document) -> dg.Loc:
        """``loc`` (inside a kept entity), moved to the copy of that entity nearest ``here``
        when the entity is defined more than once, identically: one in the same file first,
        then one in the same form (dialect or Flyte's), else the kept one."""
        owner = self._owner(loc)
        if owner is None:
            return loc
        copies = [owner] + [t for t, k in self.twins() if k is owner]
        if len(copies) == 1:
            return loc

        def doc_of(e: ir.Entity) -> CanonicalDocument | None:
            d = e.loc.doc
            return d if isinstance(d, CanonicalDocument) else None

        dialect = _is_dialect(self._canonical.get(here))
        same_file = [e for e in copies if (d := doc_of(e)) is not None
                     and d.file.path == here.file.path]
        same_form = [e for e in copies if _is_dialect(doc_of(e)) == dialect]
        best = (same_file or same_form or copies)[0]
        if best is owner:
            return loc
        return dg.Loc(best.loc.doc, best.loc.pointer + loc.pointer[len(owner.loc.pointer):],
                      loc.at_key)

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

    # -- references of the dialect ---------------------------------------------------------------
    def dialect_ref(self, path: Path, line: int, character: int, encoding: str = UTF16
                    ) -> tuple[_Sym, str, dict] | None:
        """The part of a dialect reference (``${node.output.path}``, ``${inputs.x}``) under the
        cursor, as a symbol the hover and definition tables understand: ``("node", ...)`` on
        the node's id, ``("promise", ...)`` on the output's name or its attribute path (or the
        workflow input's name), a ``("workflow", ...)`` on ``inputs``; with ``"/nodeId"`` or
        ``"/var"`` (which part) and the LSP range of that part. None when the cursor is not on
        a reference of a compiled dialect document."""
        got = self.lookup(path, line, character, encoding)
        tm = self.text_map(path)
        if got is None or tm is None:
            return None
        sym, _, doc, pointer = got
        if sym is None or sym.wf is None or doc.spans is None \
                or not _is_dialect(self._canonical.get(doc)):
            return None
        span = doc.spans.lookup(pointer)
        if span is None:
            return None
        a = tm.specc_to_offset(span.line, span.column)
        b = tm.specc_to_offset(span.end_line, span.end_column)
        at = tm.lsp_to_offset(line, character, encoding)
        if not a <= at <= b:  # on the key, not on the value
            return None
        for m in _REF.finditer(tm.text, a, b):
            if not m.start() <= at <= m.end():
                continue
            node_id, var = m.group("node"), m.group("var")
            wf = sym.wf
            on_node = at <= m.end("node") or var is None
            part = "node" if on_node else ("path" if at > m.end("var") else "var")
            lo, hi = (m.span("node") if on_node else
                      m.span("var") if part == "var" else (m.end("var"), m.end()))
            srange = {"start": _lsp_pos(tm, lo, encoding), "end": _lsp_pos(tm, hi, encoding)}
            if on_node:
                if node_id == "inputs":
                    return _Sym("workflow", wf), "/inputs", srange
                return _Sym("upstream", node_id, wf, sym.node), "/nodeId", srange
            attr: list[dict[str, Any]] = []
            if part == "path":
                try:
                    from specc.dialect.grammars import parse_ref

                    attr = parse_ref(m.group(0)).attr_path
                except Exception:  # an unfinished path: the output itself
                    attr = []
            promise = ir.Promise("" if node_id == "inputs" else node_id, var, None, var, attr,
                                 dg.Loc(None))
            return _Sym("promise", promise, wf, sym.node), "/var", srange
        return None

    # -- hover ----------------------------------------------------------------------------------
    def hover(self, path: Path, line: int, character: int, encoding: str = UTF16) -> dict | None:
        """Markdown about what is under the cursor: a promise's or binding's resolved type, a
        reference's task (workflow, launch plan) interface, a node's interface, a type."""
        prog = self._program()
        ref = self.dialect_ref(path, line, character, encoding)
        if ref is not None and prog is not None:
            rsym, _, srange = ref
            text = (_inputs_text(rsym.obj) if rsym.kind == "workflow"
                    and isinstance(rsym.obj, ir.Workflow) else
                    _hover_text(prog, self._resolution(), rsym))
            return {"contents": {"kind": "markdown", "value": text}, "range": srange} \
                if text else None
        got = self.lookup(path, line, character, encoding)
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
        """Where a task (workflow, launch plan) reference, a promise, a dialect reference's node
        or output, an upstream node id or a binding's input name is defined; of an entity
        defined twice identically (a workflow kept in both forms), the copy in this file, else
        in this form, else the first."""
        got = self.lookup(path, line, character, encoding)
        prog = self._program()
        if got is None or prog is None:
            return []
        sym, rest, doc, _ = got
        ref = self.dialect_ref(path, line, character, encoding)
        if ref is not None:
            sym, rest, _ = ref
            if sym.kind == "workflow":
                wf = sym.obj
                target = wf.interface.loc.child("inputs").key() \
                    if isinstance(wf, ir.Workflow) and wf.interface is not None else None
            else:
                target = _definition(prog, self._resolution(), sym, rest)
        elif sym is None:
            return []
        else:
            target = _definition(prog, self._resolution(), sym, rest)
        if target is None or target.doc is None or target.doc.file.path is None:
            return []
        target = self.prefer(target, doc)
        tpath = target.doc.file.path if target.doc is not None else None
        if tpath is None:
            return []
        return [{"uri": uri_of(tpath), "range": self.lsp_range(tpath, _target_span(target),
                                                               encoding)}]


# ------------------------------------------------------------------------------------------------
# the table of places
# ------------------------------------------------------------------------------------------------

# a reference of the dialect as written (grammar/refs.lark's names), also one being typed
_REF = re.compile(r"\$\{\s*(?P<node>[A-Za-z0-9_][A-Za-z0-9_-]*)?\s*"
                  r"(?:\.\s*(?P<var>[A-Za-z0-9_][A-Za-z0-9_-]*)?)?[^}\n]*\}?")


def _lsp_pos(tm: TextMap, offset: int, encoding: str) -> dict:
    line, character = tm.offset_to_lsp(offset, encoding)
    return {"line": line, "character": character}


def _target_span(loc: dg.Loc) -> Span | None:
    """Where a definition is shown: ``loc``'s span; a node's or entity's ``id`` that the
    dialect writes as a mapping's key (``nodes: {train: ...}``) is that key."""
    _, span, pointer, _ = dg.resolve(loc)
    doc = loc.doc
    if (isinstance(doc, CanonicalDocument) and doc.spans is not None and pointer
            and loc.pointer.endswith("/id") and not loc.at_key):
        ident = _canonical_at(doc, loc.pointer)
        if isinstance(ident, str) and _unescape(pointer.rsplit("/", 1)[-1]) == ident:
            key = doc.spans.lookup(pointer, at_key=True)
            if key is not None:
                return key
    return span


def _unescape(part: str) -> str:
    return part.replace("~1", "/").replace("~0", "~")


def _ignore(code: str, loc: dg.Loc | None, related: Iterable[tuple[dg.Loc, str]] = (),
            **args: object) -> None:
    """A report that drops what it is told (a rebuild whose problems were reported once)."""


def _table_of(prog: ir.Program, e: ir.Entity) -> dict[ir.Key, Any]:
    if isinstance(e, ir.Task):
        return prog.tasks
    if isinstance(e, ir.Workflow):
        return prog.workflows
    return prog.launch_plans


def _is_dialect(doc: CanonicalDocument | None) -> bool:
    """Whether a document was written in the dialect: its data says so, or (a document read
    from the cache keeps no data) its pointer map sends a lowered message to the root, as only
    lowering does (``/template`` or ``/spec`` is the dialect document itself)."""
    if doc is None:
        return False
    data = doc.source.data
    if isinstance(data, dict):
        return "apiVersion" in data
    return any(v == "" for v in (doc.pointer_map or {}).values())


def _key(loc: dg.Loc) -> tuple[int, str] | None:
    doc = loc.doc
    if doc is None:
        return None
    p = loc.pointer
    return id(doc.document), (doc.source_pointer(p) if p else p)


def _index(prog: ir.Program, res: ir.Resolution,
           twins: Iterable[tuple[ir.Entity, ir.Entity]] = ()) -> dict[tuple[int, str], _Sym]:
    """The table of places: every entity's, then every twin's (``(twin, kept)`` pairs: an
    identical definition build-ir folded into the kept one), whose places mean the kept
    entity's objects, so that hover and definition work in either copy."""
    table: dict[tuple[int, str], _Sym] = {}

    def add(loc: dg.Loc | None, sym: _Sym) -> None:
        k = _key(loc) if loc is not None else None
        if k is not None:
            table.setdefault(k, sym)

    pairs = [(e, e) for e in prog.entities] + list(twins)
    for shown, meant in pairs:
        if isinstance(shown, ir.Task) and isinstance(meant, ir.Task):
            add(shown.loc.child("id"), _Sym("task", meant))
            _index_variables(add, shown.interface, meant.interface,
                             f"task {_code(meant.id.display())}")
        elif isinstance(shown, ir.LaunchPlan) and isinstance(meant, ir.LaunchPlan):
            add(shown.loc.child("id"), _Sym("launchplan", meant))
            add(shown.loc.child("spec", "workflowId"), _Sym("ref", meant))
    for shown, meant in pairs:
        if isinstance(shown, ir.Workflow) and isinstance(meant, ir.Workflow):
            _index_workflow(add, shown, meant)
    return table


def _index_variables(add: Callable[[dg.Loc | None, _Sym], None], shown: ir.Interface | None,
                     meant: ir.Interface | None, owner: str) -> None:
    if shown is None:
        return
    for which, vs, mvs in (("input", shown.inputs, meant.inputs if meant else {}),
                           ("output", shown.outputs, meant.outputs if meant else {})):
        for name, v in vs.items():
            add(v.loc, _Sym("variable", mvs.get(name, v), extra=(which, owner)))


def _index_workflow(add: Callable[[dg.Loc | None, _Sym], None], shown: ir.Workflow,
                    wf: ir.Workflow) -> None:
    """The places of ``shown`` with the meaning of ``wf`` (the same workflow, or the kept copy
    of an identical one: the walks then visit the same structure in the same order)."""
    add(shown.loc.child("id"), _Sym("workflow", wf))
    _index_variables(add, shown.interface, wf.interface, f"workflow {_code(wf.id.display())}")
    for (_, sb), (n, b) in zip(ir.walk.bindings(shown), ir.walk.bindings(wf), strict=False):
        node = n if n is not None else wf.end
        add(sb.loc, _Sym("binding", b, wf, node))
        for sp, p in zip(sb.promises(), b.promises(), strict=False):
            add(sp.loc, _Sym("promise", p, wf, node))
    for sn, n in zip(ir.walk.nodes(shown), ir.walk.nodes(wf), strict=False):
        add(sn.loc.child("id"), _Sym("node", n, wf, n))
        for (_, suloc), (up, _) in zip(sn.upstream_ids, n.upstream_ids, strict=False):
            add(suloc, _Sym("upstream", up, wf, n))
        ref_loc = getattr(sn, "ref_loc", None)
        if getattr(n, "ref", None) is not None and ref_loc is not None:
            add(ref_loc, _Sym("ref", n, wf, n))


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


def _inputs_text(wf: ir.Workflow) -> str:
    """The hover of ``inputs`` in ``${inputs.x}``: the workflow's inputs."""
    iface = wf.interface
    inputs = iface.input_types() if iface is not None else {}
    lines = [f"inputs of workflow {wf.id.display()}"]
    lines.extend(f"  {name}: {_t(t)}" for name, t in inputs.items())
    if not inputs:
        lines.append("  none")
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
