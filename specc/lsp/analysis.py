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

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from specc import diagnostics as dg
from specc import driver, ir
from specc.frontends import display_path, form_of, pointer_at, span_entries
from specc.lsp.positions import UTF16, TextMap

DOCS_URL = "https://github.com/specc-dev/specc/blob/main/docs/codes.md#{anchor}"
SEVERITY = {"error": 1, "warning": 2, "note": 3, "info": 3, "information": 3, "hint": 4}
_ZERO = {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}


def _stopping_stages() -> set[str]:
    from specc.passes import PASSES

    return {"load"} | {p.name for p in PASSES if p.stops}


def uri_of(path: Path) -> str:
    return path.as_uri()


@dataclass
class _Sym:
    kind: str  # ref | promise | binding | node | upstream | variable | task | workflow | launchplan
    obj: object
    wf: ir.Workflow | None = None
    node: ir.Node | None = None
    extra: object = None


class Snapshot:
    """One compile of ``files``, with ``buffers`` (path -> text) read instead of the disk."""

    def __init__(self, files: list[Path], buffers: dict[Path, str],
                 reported: Iterable[Path] = ()) -> None:
        self.files = list(files)
        self.buffers = dict(buffers)
        self.reported = set(reported)
        self.result: driver.Result | None = None
        self.usage_error: str | None = None
        self.excluded: list[Path] = []
        self._maps: dict[Path, TextMap] = {}
        self._symbols: dict[tuple[int, str], _Sym] | None = None
        self._entries: dict[int, list] = {}  # id(document) -> its span entries
        self._compile()

    # -- compiling ----------------------------------------------------------------------------
    def _run(self, files: list[Path]) -> driver.Result | None:
        given = set(files)
        overrides = {p: t.encode("utf-8", "surrogatepass") for p, t in self.buffers.items()
                     if p in given}
        try:
            return driver.compile_paths(driver.Options(paths=files, overrides=overrides))
        except driver.UsageError as e:
            self.usage_error = str(e)
        except Exception as e:  # a bug; the editor shows it instead of a silent server
            self.usage_error = f"internal error: {type(e).__name__}: {e}; this is a bug in specc"
        return None

    def _compile(self) -> None:
        result = self._run(self.files)
        if result is None:
            return
        # an unrelated broken spec elsewhere in the folder (or a YAML file that is no spec) stops
        # the chain before the checks of the open documents: leave such files out, once
        stops = _stopping_stages()
        by_display = self._displays(self.files)
        bad = {by_display.get(_file_part(d.file)) for d in result.diagnostics
               if d.severity == "error" and d.pass_name in stops and d.file}
        bad = {p for p in bad if p is not None and p not in self.reported}
        if bad:
            kept = [f for f in self.files if f not in bad]
            again = self._run(kept)
            if again is not None:
                self.excluded = sorted(bad)
                self.files, result = kept, again
        self.result = result

    @staticmethod
    def _displays(files: Iterable[Path]) -> dict[str, Path]:
        return {display_path(f): f for f in files}

    def path_of(self, display: str | None) -> Path | None:
        """The file a diagnostic's ``file`` names (an archive for a bundle's member)."""
        if not display:
            return None
        return self._displays(self.files).get(_file_part(display))

    # -- text and positions -------------------------------------------------------------------
    def text_map(self, path: Path) -> TextMap | None:
        tm = self._maps.get(path)
        if tm is None:
            text = self.buffers.get(path)
            if text is None and self.result is not None and self.result.context is not None:
                for doc in self.result.context.documents:
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
            path = self.path_of(d.file)
            out.setdefault(path, []).append(self.lsp_diagnostic(d, path, encoding))
        return out

    def lsp_diagnostic(self, d: dg.Diagnostic, path: Path | None, encoding: str) -> dict:
        message = d.message
        _, member = _split(d.file)
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
            rpath = self.path_of(r.file)
            if rpath is None:
                continue
            _, rmember = _split(r.file)
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
        ctx = self.result.context if self.result is not None else None
        return getattr(ctx, "program", None) if ctx is not None else None

    def symbols(self) -> dict[tuple[int, str], _Sym]:
        if self._symbols is None:
            self._symbols = _index(self._program()) if self._program() is not None else {}
        return self._symbols

    def _documents(self, path: Path) -> list:
        if self.result is None or self.result.context is None:
            return []
        return [d for d in self.result.context.documents if d.file.path == path]

    def at(self, path: Path, line: int, character: int, encoding: str = UTF16):
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

    def lookup(self, path: Path, line: int, character: int, encoding: str = UTF16):
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
        sym, rest, doc, pointer = got
        text = _hover_text(prog, sym) if sym is not None and prog is not None else None
        if text is None:
            text, type_pointer = _type_at(doc, pointer)
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
        if got is None or got[0] is None or prog is None:
            return []
        sym, rest, _, _ = got
        target = _definition(prog, sym, rest)
        if target is None or target.doc is None or target.doc.file.path is None:
            return []
        tpath = target.doc.file.path
        _, span, _, _ = dg.resolve(target)
        return [{"uri": uri_of(tpath), "range": self.lsp_range(tpath, span, encoding)}]


# ------------------------------------------------------------------------------------------------
# the table of places
# ------------------------------------------------------------------------------------------------

def _split(display: str | None) -> tuple[str | None, str | None]:
    if not display:
        return None, None
    from specc.reporters.common import split_member

    return split_member(display)


def _file_part(display: str) -> str:
    return _split(display)[0] or display


def _key(loc: dg.Loc) -> tuple[int, str] | None:
    doc = loc.doc
    if doc is None:
        return None
    p = loc.pointer
    pm = getattr(doc, "pointer_map", None)
    return id(doc), (dg.source_pointer(p, pm) if p and pm else p)


def _all_nodes(wf: ir.Workflow) -> list[ir.Node]:
    from specc.passes.resolve_references import branch_children

    out = []
    stack = list(reversed(wf.nodes)) + ([wf.failure_node] if wf.failure_node else [])
    while stack:
        n = stack.pop()
        out.append(n)
        stack.extend(reversed(branch_children(n)))
        if n.sub_node is not None:
            stack.append(n.sub_node)
    return out


def _index(prog: ir.Program) -> dict[tuple[int, str], _Sym]:
    from specc.passes.resolve_references import promises

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

    for task in prog.tasks.values():
        add(task.loc.child("id"), _Sym("task", task))
        variables(task.interface, f"task {_code(task.id.display())}")
    for lp in prog.launch_plans.values():
        add(lp.loc.child("id"), _Sym("launchplan", lp))
        add(lp.loc.child("spec", "workflowId"), _Sym("ref", lp))
    for wf in prog.workflows.values():
        add(wf.loc.child("id"), _Sym("workflow", wf))
        variables(wf.interface, f"workflow {_code(wf.id.display())}")
        end = wf.node_index.get(ir.END_NODE)
        for b in wf.outputs:
            add(b.loc, _Sym("binding", b, wf, end))
            if b.data is not None:
                for ploc, p in promises(b.data, b.loc.child("binding")):
                    add(ploc, _Sym("promise", p, wf))
        for n in _all_nodes(wf):
            add(n.loc.child("id"), _Sym("node", n, wf, n))
            for up, uloc in n.upstream_ids:
                add(uloc, _Sym("upstream", up, wf, n))
            if n.ref is not None and n.ref_loc is not None:
                add(n.ref_loc, _Sym("ref", n, wf, n))
            for b in n.inputs:
                add(b.loc, _Sym("binding", b, wf, n))
                if b.data is not None:
                    for ploc, p in promises(b.data, b.loc.child("binding")):
                        add(ploc, _Sym("promise", p, wf, n))
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


def _iface_types(iface: ir.Interface | None) -> tuple[dict, dict]:
    if iface is None:
        return {}, {}
    return ({n: v.type for n, v in iface.inputs.items()},
            {n: v.type for n, v in iface.outputs.items()})


def _ref_target(prog: ir.Program, sym: _Sym):
    """The task, workflow or launch plan a reference names (None when it is not defined)."""
    if isinstance(sym.obj, ir.LaunchPlan):
        return prog.workflows.get(sym.obj.workflow_id.key)
    n = sym.obj
    if not isinstance(n, ir.Node) or n.ref is None:
        return None
    table = {"task": prog.tasks, "workflow": prog.workflows,
             "launchplan": prog.launch_plans}.get(n.kind, {})
    return table.get(n.ref.key)


def _describe_target(prog: ir.Program, target) -> str:
    if isinstance(target, ir.Task):
        i, o = _iface_types(target.interface)
        return _signature(f"task {target.id.display()}", i, o)
    if isinstance(target, ir.Workflow):
        i, o = _iface_types(target.interface)
        return _signature(f"workflow {target.id.display()}", i, o)
    if isinstance(target, ir.LaunchPlan):
        from specc.passes.resolve_references import launch_plan_interface

        got = launch_plan_interface(prog, target)
        if got is None:
            return f"launch plan {_code(target.id.display())}"
        params, outputs = got
        return _signature(f"launch plan {target.id.display()}",
                          {k: p.get("var", {}).get("type") for k, p in params.items()},
                          {k: v.get("type") for k, v in outputs.items()})
    return ""


def _promise_source(sym: _Sym):
    """(upstream node, output name, index, full type, type after index and attribute path)."""
    p = sym.obj
    wf = sym.wf
    if wf is None or not wf.node_index:
        return None
    from specc import types as T
    from specc.passes.resolve_references import parse_var

    up = wf.node_index.get(p.get("nodeId", "") or ir.START_NODE)
    parsed = parse_var(p.get("var", ""))
    if up is None or parsed is None or up.interface is None:
        return None
    index, name = parsed
    full = up.interface.outputs.get(name)
    if full is None:
        return up, name, index, None, None
    t = full
    if index is not None:
        t = t.get("collectionType") if isinstance(t, dict) else None
    path = p.get("attrPath", [])
    if t is not None and path:
        t, _ = T.element_type_for_attr_path(t, path)
    return up, name, index, full, t


def _attr_suffix(index, path: list) -> str:
    s = f"[{index}]" if index is not None else ""
    for a in path:
        s += f"[{a['intValue']}]" if "intValue" in a else f".{a.get('stringValue', '')}"
    return s


def _node_kind_text(n: ir.Node, plain: bool = False) -> str:
    if n.ref is not None:
        word = {"task": "task", "workflow": "sub-workflow", "launchplan": "launch plan"}.get(
            n.kind, n.kind)
        ref = n.ref.display()
        return f"{word} {ref if plain else _code(ref)}"
    return f"{n.kind} node" if n.kind else "node"


def _hover_text(prog: ir.Program, sym: _Sym) -> str | None:
    k = sym.kind
    if k == "promise":
        got = _promise_source(sym)
        p = sym.obj
        if got is None:
            return None
        up, name, index, full, t = got
        suffix = _attr_suffix(index, p.get("attrPath", []))
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
        b: ir.Binding = sym.obj
        n = sym.node
        if n is None or n.interface is None:
            return None
        if n.id == ir.END_NODE:
            t = n.interface.inputs.get(b.var)
            return f"workflow output {_code(b.var)}: {_code(_t(t))}" if t is not None else None
        t = n.interface.inputs.get(b.var)
        if t is None:
            return f"input {_code(b.var)} is not an input of node {_code(n.id)}"
        return f"input {_code(b.var)} of node {_code(n.id)}: {_code(_t(t))}"
    if k == "ref":
        target = _ref_target(prog, sym)
        if target is None:
            return None
        return _describe_target(prog, target)
    if k in ("task", "workflow", "launchplan"):
        return _describe_target(prog, sym.obj)
    if k in ("node", "upstream"):
        n = sym.node if k == "node" else (sym.wf.node_index.get(sym.obj) if sym.wf else None)
        if n is None:
            return None
        title = f"node {n.id}: {_node_kind_text(n, plain=True)}"
        if n.interface is None:
            return f"```text\n{title}\n```"
        return _signature(title, n.interface.inputs, n.interface.outputs)
    if k == "variable":
        v: ir.Variable = sym.obj
        which, owner = sym.extra
        text = f"{which} {_code(v.name)} of {owner}: {_code(_t(v.type))}"
        desc = _canonical_at(v.loc.doc, v.loc.pointer + "/description")
        if isinstance(desc, str) and desc:
            text += f"\n\n{desc}"
        return text
    return None


def _definition(prog: ir.Program, sym: _Sym, rest: str) -> dg.Loc | None:
    k = sym.kind
    if k == "ref":
        target = _ref_target(prog, sym)
        return target.loc.child("id") if target is not None else None
    if k == "upstream":
        n = sym.wf.node_index.get(sym.obj) if sym.wf else None
        return n.loc.child("id") if n is not None else None
    if k == "promise":
        wf = sym.wf
        p = sym.obj
        up = wf.node_index.get(p.get("nodeId", "") or ir.START_NODE) if wf else None
        if up is None:
            return None
        if up.id == ir.START_NODE or not rest.startswith("/nodeId"):
            var = _output_variable(prog, wf, up, p)
            if var is not None:
                return var
        return up.loc.child("id") if up.id != ir.START_NODE else None
    if k == "binding" and rest.startswith("/var"):
        return _input_variable(prog, sym.wf, sym.node, sym.obj.var)
    if k == "node":
        target = _ref_target(prog, _Sym("ref", sym.node)) if sym.node is not None else None
        return target.loc.child("id") if target is not None else None
    return None


def _output_variable(prog: ir.Program, wf: ir.Workflow, up: ir.Node, p: dict
                     ) -> dg.Loc | None:
    from specc.passes.resolve_references import parse_var

    parsed = parse_var(p.get("var", ""))
    if parsed is None:
        return None
    name = parsed[1]
    if up.id == ir.START_NODE:
        v = wf.interface.inputs.get(name) if wf.interface else None
        return v.loc.key() if v is not None else None
    if any(alias == name for _, alias, _ in up.aliases):
        return next(aloc.child("alias") for _, alias, aloc in up.aliases if alias == name)
    target = _ref_target(prog, _Sym("ref", up))
    iface = getattr(target, "interface", None)
    if isinstance(iface, ir.Interface):
        v = iface.outputs.get(name)
        return v.loc.key() if v is not None else None
    return None


def _input_variable(prog: ir.Program, wf: ir.Workflow | None, n: ir.Node | None,
                    var: str) -> dg.Loc | None:
    if wf is None or n is None:
        return None
    if n.id == ir.END_NODE:
        v = wf.interface.outputs.get(var) if wf.interface else None
        return v.loc.key() if v is not None else None
    target = _ref_target(prog, _Sym("ref", n))
    iface = getattr(target, "interface", None)
    if isinstance(iface, ir.Interface):
        v = iface.inputs.get(var)
        return v.loc.key() if v is not None else None
    return None


def _span_at(doc, pointer: str, line: int, column: int) -> dg.Span | None:
    """The span of ``pointer`` that holds the position: its key's or its value's."""
    if doc.spans is None:
        return None
    value = doc.spans.lookup(pointer)
    key = doc.spans.lookup(pointer, at_key=True) if pointer else None
    for s in (key, value):
        if s is not None and (s.line, s.column) <= (line, column) <= (s.end_line, s.end_column):
            return s
    return value


def _canonical_pointer(doc, pointer: str) -> str:
    """A source pointer in the canonical spelling (the reverse of ``dg.source_pointer``)."""
    pm = getattr(doc, "pointer_map", None)
    if not pm or not pointer:
        return pointer
    reverse = {src: canon for canon, src in pm.items()}
    p = pointer
    while p:
        canon = reverse.get(p)
        if canon is not None:
            return canon + pointer[len(p):]
        p = p[: p.rfind("/")]
    return pointer


def _canonical_at(doc, canon_pointer: str):
    v = getattr(doc, "canonical", None)
    if canon_pointer == "":
        return v
    for part in canon_pointer.split("/")[1:]:
        part = part.replace("~1", "/").replace("~0", "~")
        if isinstance(v, dict):
            v = v.get(part)
        elif isinstance(v, list) and part.isdigit() and int(part) < len(v):
            v = v[int(part)]
        else:
            return None
    return v


def _type_at(doc, pointer: str) -> tuple[str | None, str | None]:
    """A LiteralType around the pointer (a 'type' field, innermost first): its text and the
    source pointer of the field."""
    canon = _canonical_pointer(doc, pointer)
    parts = canon.split("/")
    src_parts = pointer.split("/")
    for i in range(len(parts), 1, -1):
        if parts[i - 1] in ("type", "literalType"):
            t = _canonical_at(doc, "/".join(parts[:i]))
            if isinstance(t, dict):
                src = "/".join(src_parts[:i]) if len(src_parts) == len(parts) else None
                return f"type {_code(_t(t))}", src
    return None, None
