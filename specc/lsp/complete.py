"""Completion (``textDocument/completion``) for Flyte's proto3-JSON form (YAML or JSON) and the
dialect, as LSP JSON shapes (plain dicts, no pygls).

What is offered where the cursor is (``specc.lsp.outline`` reads the place from the text as it
is, valid or not):

- keys: the fields of the message at the cursor (flyteidl's table, camelCase, for Flyte's form;
  the dialect's JSON Schema, with its descriptions, for the dialect), those already given left
  out; in a node's ``inputs`` the inputs of the task (workflow, launch plan) it runs, in a
  launch plan's ``inputs``/``fixed`` its workflow's;
- values: enum values (every enum field of Flyte's form: ``resourceType``, ``simple``, ...;
  ``kind``, ``style``, ``mount``... in the dialect), booleans, type expressions of the dialect
  (``list[...]``, ``dict[str, ...]``, also inside one being typed), names of the workspace's
  tasks, workflows and launch plans where a reference is expected (a dialect node's ``task``,
  ``workflow``, ``launchPlan``; a launch plan's ``workflow``; ``referenceId``, ``subWorkflowRef``,
  ``launchplanRef`` and ``workflowId`` names in Flyte's form), a binding's ``var`` (the node's
  inputs), a promise's ``nodeId`` and ``var``, ``upstreamNodeIds``, a dialect node's ``after``;
- inside ``${`` in the dialect: node ids and ``inputs``; after ``${node.`` that node's outputs
  with their types; after ``${inputs.`` the workflow's inputs; after ``${node.output.`` the
  fields of a dataclass output; in an empty value, whole references, those whose type fits
  the input first.

Names, interfaces and node outputs come from the last compile of the folder (``Snapshot``: no
compile per keystroke) and from the text itself (the documents of the buffer, for what was
typed since). Nothing here raises into the server: ``complete`` answers an empty list instead.
"""
from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from specc import ir
from specc.lsp.analysis import Snapshot, _describe_target
from specc.lsp.outline import Cursor, PathPart, at_path, cursor, data_of, documents
from specc.lsp.positions import UTF16, TextMap
from specc.table import KIND_MESSAGES, Message, table

TRIGGERS = ["$", "{", ".", ":", "["]
SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas" / "specc"
_LOG = logging.getLogger(__name__)

# LSP's CompletionItemKind
FUNCTION, FIELD, VARIABLE, CLASS, MODULE, PROPERTY, VALUE, KEYWORD = 3, 5, 6, 7, 9, 10, 12, 14
ENUM_MEMBER, EVENT, TYPE_PARAMETER = 20, 23, 25
_WHAT_KIND = {"task": FUNCTION, "workflow": MODULE, "launch plan": EVENT}

# the dialect's type expressions (grammar/types.lark; the names its lowering accepts):
# (label, text inserted, snippet, what it is)
TYPES: tuple[tuple[str, str, str, str], ...] = (
    ("int", "int", "int", "an integer (simple: INTEGER)"),
    ("float", "float", "float", "a float (simple: FLOAT)"),
    ("str", "str", "str", "a string (simple: STRING)"),
    ("bool", "bool", "bool", "a boolean (simple: BOOLEAN)"),
    ("datetime", "datetime", "datetime", "a point in time (simple: DATETIME)"),
    ("duration", "duration", "duration", "a duration (simple: DURATION)"),
    ("none", "none", "none", "nothing (simple: NONE)"),
    ("binary", "binary", "binary", "bytes (simple: BINARY)"),
    ("error", "error", "error", "an error (simple: ERROR)"),
    ("struct", "struct", "struct", "any JSON object (simple: STRUCT)"),
    ("file", "file", "file", "a single file (blob)"),
    ("dir", "dir", "dir", "a directory of files (blob, MULTIPART)"),
    ("dataset", "dataset", "dataset", "a structured dataset"),
    ("schema", "schema", "schema", "the legacy schema type"),
    ("list[T]", "list[", "list[${1:int}]", "a list of T (collectionType)"),
    ("dict[str, T]", "dict[str, ", "dict[str, ${1:int}]", "a map from strings to T "
                                                          "(mapValueType)"),
    ("enum[a, b]", "enum[", "enum[${1:a}, ${2:b}]", "one of the given names (enumType)"),
    ("file[format]", "file[", "file[${1:csv}]", "a file of a format"),
    ("dir[format]", "dir[", "dir[${1:csv}]", "a directory of files of a format"),
    ("dataset[format]", "dataset[", "dataset[${1:parquet}]", "a dataset of a format"),
    ("dataset[format]{col: T}", "dataset[", "dataset[${1:parquet}]{${2:col}: ${3:int}}",
     "a dataset with columns (quote it in YAML)"),
    ("struct{field: T}", "struct{", "struct{${1:field}: ${2:int}}",
     "a dataclass: fields and their types (quote it in YAML)"),
    ("struct[Title]", "struct[", "struct[${1:Title}]", "a JSON object whose schema has a title"),
    ("schema{col: T}", "schema{", "schema{${1:col}: ${2:int}}",
     "legacy schema columns (quote it in YAML)"),
)
SIMPLE_TYPES = tuple(t[0] for t in TYPES[:10])


def complete(snap: Snapshot | None, path: Path, text: str, line: int, character: int,
             encoding: str = UTF16, form: str = "yaml", snippets: bool = False) -> dict:
    """A CompletionList for the LSP position in ``text`` (the buffer as it is now) of the file
    ``path``, with names and interfaces from ``snap`` (the folder's last compile, whatever its
    age; None when there is none). Never raises: a failure is logged and answered with no
    items."""
    try:
        items = completions(snap, path, text, line, character, encoding, form, snippets)
    except Exception:  # a bug must not break the editor's completion; it shows in the log
        _LOG.exception("completion failed")
        items = []
    return {"isIncomplete": False, "items": items}


def completions(snap: Snapshot | None, path: Path, text: str, line: int, character: int,
                encoding: str = UTF16, form: str = "yaml", snippets: bool = False
                ) -> list[dict]:
    """The CompletionItems of ``complete`` (raises on a bug: for the tests)."""
    tm = TextMap(text, form)
    offset = tm.lsp_to_offset(line, character, encoding)
    cur = cursor(text, offset, form, path)
    if cur is None:
        return []
    ctx = _Context(snap, path, text, tm, encoding, form, offset, cur, snippets)
    dialect = (isinstance(cur.data, dict) and "apiVersion" in cur.data) or \
        "apiVersion" in cur.top
    got = _dialect(ctx) if dialect else _flyte(ctx)
    seen: set[tuple[str, str]] = set()
    out = []
    for item in got:
        k = (item["label"], item["textEdit"]["newText"])
        if k not in seen:
            seen.add(k)
            out.append(item)
    return out


# ------------------------------------------------------------------------------------------------
# what the workspace defines
# ------------------------------------------------------------------------------------------------

Type = dict | str | None  # a canonical LiteralType (from the compile), or a type as typed


@dataclass
class _Target:
    """A task, workflow or launch plan completion knows of: from the compile, or a dialect
    document of the buffer itself (newer than the compile)."""

    what: str  # task | workflow | launch plan
    ident: ir.Identifier
    inputs: dict[str, Type] = field(default_factory=dict)
    outputs: dict[str, Type] = field(default_factory=dict)
    doc: str = ""  # markdown
    workflow: dict[str, str] | None = None  # a dialect launch plan's workflow reference
    name_only: bool = False  # known by name only (a file the compile did not need)
    entity: ir.Entity | None = None  # from the compile: its hover text is the documentation


class _Context:
    def __init__(self, snap: Snapshot | None, path: Path, text: str, tm: TextMap, encoding: str,
                 form: str, offset: int, cur: Cursor, snippets: bool) -> None:
        self.snap, self.path, self.text, self.tm = snap, path, text, tm
        self.encoding, self.form, self.offset, self.cur = encoding, form, offset, cur
        self.snippets = snippets
        self.data = cur.data
        result = snap.result if snap is not None else None
        self.prog: ir.Program | None = result.program if result is not None else None
        self.res: ir.Resolution = (result.resolution if result is not None
                                   and result.resolution is not None else ir.Resolution())
        self._targets: list[_Target] | None = None
        self._by_name: dict[tuple[str, str], list[_Target]] | None = None
        self._keys = 0

    # -- items ----------------------------------------------------------------------------------
    def item(self, label: str, kind: int, new_text: str, start: int | None = None,
             detail: str | None = None, doc: str | None = None, sort: str | None = None,
             end: int | None = None, snippet: str | None = None,
             filter_text: str | None = None) -> dict:
        """A CompletionItem replacing ``start..end`` (by default what is being typed)."""
        a = self.cur.start if start is None else start
        b = self.cur.end if end is None else end
        b = max(b, self.offset)
        s, e = self.tm.offset_to_lsp(a, self.encoding), self.tm.offset_to_lsp(b, self.encoding)
        out: dict[str, Any] = {"label": label, "kind": kind, "textEdit": {
            "range": {"start": {"line": s[0], "character": s[1]},
                      "end": {"line": e[0], "character": e[1]}},
            "newText": new_text}}
        if snippet is not None and self.snippets:
            out["textEdit"]["newText"] = snippet
            out["insertTextFormat"] = 2
        if detail:
            out["detail"] = detail
        if doc:
            out["documentation"] = {"kind": "markdown", "value": doc}
        if sort is not None:
            out["sortText"] = sort
        if filter_text is not None:
            out["filterText"] = filter_text
        return out

    def key_item(self, name: str, detail: str | None, doc: str | None, container: bool) -> dict:
        """A key: ``name: `` (``name:`` before a nested block), quoted in JSON, just the name
        when the key being edited has its colon already."""
        cur = self.cur
        json_form = self.form == "json"
        text = f'"{name}"' if json_form else name
        start, end = cur.start, cur.end
        if json_form and cur.quote:
            start -= 1
            if self.text[end:end + 1] == '"':
                end += 1
        if not cur.colon_after:
            text += ": " if cur.flow or json_form or not container else ":"
        self._keys += 1  # the schema's (the message's, the interface's) order, not the alphabet
        return self.item(name, PROPERTY, text, start, detail, doc, f"{self._keys:04d}", end=end,
                         filter_text=f'"{name}' if json_form and cur.quote else name)

    def value_item(self, label: str, kind: int, text: str | None = None,
                   detail: str | None = None, doc: str | None = None, sort: str | None = None,
                   start: int | None = None, end: int | None = None,
                   snippet: str | None = None) -> dict:
        """A value: a space first when the cursor is right after the colon, quoted in JSON
        (and in a YAML flow collection when it would not read as a plain scalar)."""
        cur = self.cur
        text = label if text is None else text
        a = cur.start if start is None else start
        b = cur.end if end is None else end
        if self.form == "json" and start is None:
            if cur.quote:
                a -= 1
                if self.text[b:b + 1] == '"':
                    b += 1
            text = json.dumps(text)
            if snippet is not None:
                snippet = json.dumps(snippet)
        elif cur.flow and not cur.quote and text.startswith("${") and start is None:
            text = f'"{text}"'
        if a == cur.start and start is None and self.text[a - 1:a] == ":" \
                and not cur.quote and not cur.flow:
            text = " " + text
            if snippet is not None:
                snippet = " " + snippet
        # the client filters by the text the range holds: a quote typed in JSON is part of it
        return self.item(label, kind, text, a, detail, doc, sort, end=b, snippet=snippet,
                         filter_text=text if self.form == "json" else None)

    # -- targets ----------------------------------------------------------------------------
    def targets(self) -> list[_Target]:
        """Every task, workflow and launch plan known: the buffer's dialect documents first
        (what was typed since the compile), then the compile's."""
        if self._targets is not None:
            return self._targets
        out: list[_Target] = []
        seen: set[tuple[str, ir.Key]] = set()
        for t in self._buffer_targets():
            if (t.what, t.ident.key) not in seen:
                seen.add((t.what, t.ident.key))
                out.append(t)
        prog = self.prog
        if prog is not None:
            for e in prog.entities:
                what = e.WHAT
                if (what, e.id.key) in seen:
                    continue
                seen.add((what, e.id.key))
                t = _Target(what, e.id, entity=e)
                iface = getattr(e, "interface", None)
                if isinstance(e, ir.LaunchPlan):
                    wf = prog.workflows.get(e.workflow_id.key)
                    iface = wf.interface if wf is not None else None
                if isinstance(iface, ir.Interface):
                    t.inputs = dict(iface.input_types())
                    t.outputs = dict(iface.output_types())
                out.append(t)
            named = {(t.what, t.ident.name) for t in out}
            result = self.snap.result if self.snap is not None else None
            for f, names in sorted((result.context_names if result is not None else {}
                                    ).items()):
                for n in sorted(names):
                    kind, _, name = n.partition(":")
                    what = {"launchplan": "launch plan"}.get(kind, kind)
                    if what in _WHAT_KIND and (what, name) not in named:
                        named.add((what, name))
                        where = os.path.basename(f)
                        out.append(_Target(what, ir.Identifier("", "", "", name, ""),
                                           doc=f"{what} `{name}`, defined in `{where}`",
                                           name_only=True))
        self._targets = out
        return out

    def _buffer_targets(self) -> Iterable[_Target]:
        for a, b in documents(self.text, self.form):
            if a == self.cur.doc_start:
                continue  # the document being typed defines nothing yet
            data = data_of(self.text, a, b, a, self.form, self.path)
            if not isinstance(data, dict) or "apiVersion" not in data:
                continue
            what = {"Task": "task", "Workflow": "workflow", "LaunchPlan": "launch plan"}.get(
                str(data.get("kind")))
            name = data.get("name")
            if what is None or not isinstance(name, str):
                continue
            ident = ir.Identifier({"task": "TASK", "workflow": "WORKFLOW"}.get(
                what, "LAUNCH_PLAN"), _str(data.get("project")), _str(data.get("domain")),
                name, _str(data.get("version")), _str(data.get("org")))
            t = _Target(what, ident, _variables(data.get("inputs")),
                        _variables(data.get("outputs")))
            if what == "launch plan":
                t.workflow = _dialect_ref(data.get("workflow"))
            yield t

    def documentation(self, t: _Target) -> str:
        if t.doc:
            return t.doc
        if t.entity is not None and self.prog is not None:
            return _describe_target(self.prog, t.entity)
        return _signature(t)

    def find(self, what: str, name: str, version: str | None = None,
             project: str | None = None, domain: str | None = None) -> _Target | None:
        """The target a reference names: by name, then the closest in version, project and
        domain (None in an argument: not said)."""
        if self._by_name is None:
            self._by_name = {}
            for t in self.targets():
                self._by_name.setdefault((t.what, t.ident.name), []).append(t)
        best: tuple[int, _Target] | None = None
        for t in self._by_name.get((what, name), []):
            score = sum(2 if want is not None and have == want else 0 for want, have in (
                (version, t.ident.version), (project, t.ident.project),
                (domain, t.ident.domain)))
            if best is None or score > best[0]:
                best = (score, t)
        if best is not None and best[1].what == "launch plan" and not best[1].inputs \
                and best[1].workflow is not None:
            wf = self.find_ref("workflow", best[1].workflow)
            if wf is not None:
                best[1].inputs, best[1].outputs = wf.inputs, wf.outputs
        return best[1] if best is not None else None

    def find_ref(self, what: str, ref: dict[str, str] | None) -> _Target | None:
        if not ref or not ref.get("name"):
            return None
        return self.find(what, ref["name"], ref.get("version"), ref.get("project"),
                         ref.get("domain"))

    def names(self, what: str, for_dialect: bool) -> list[dict]:
        """Items naming every ``what`` of the workspace, as a reference from this document
        writes it (the dialect leaves out what the document itself says)."""
        top = self.cur.top
        items = []
        for t in self.targets():
            if t.what != what:
                continue
            text = t.ident.name
            if for_dialect and not t.name_only:
                if (t.ident.project, t.ident.domain) != (top.get("project", ""),
                                                         top.get("domain", "")):
                    text = f"{t.ident.project}/{t.ident.domain}/{text}"
                if t.ident.version != top.get("version", ""):
                    text += f"@{t.ident.version}"
            items.append(self.value_item(text, _WHAT_KIND[what], text,
                                         detail=what if t.name_only else
                                         f"{what} {t.ident.display()}",
                                         doc=self.documentation(t)))
        return items


def _str(v: object) -> str:
    return v if isinstance(v, str) else "" if v is None else str(v)


def _variables(v: object) -> dict[str, Type]:
    """A dialect variable mapping's names and types as typed."""
    if not isinstance(v, dict):
        return {}
    out: dict[str, Type] = {}
    for k, t in v.items():
        if isinstance(t, dict):
            t = t.get("type")
        out[str(k)] = t if isinstance(t, (str, dict)) else None
    return out


_DIALECT_REF = re.compile(r"^(?:(?P<p>[^/@]*)/(?P<d>[^/@]*)/)?(?P<n>[^/@]+)(?:@(?P<v>.*))?$")


def _dialect_ref(v: object) -> dict[str, str] | None:
    """A dialect reference (``[project/domain/]name[@version]`` or a mapping) as its parts."""
    if isinstance(v, dict):
        return {k: _str(x) for k, x in v.items() if k in ("name", "version", "project",
                                                         "domain")}
    if not isinstance(v, str):
        return None
    m = _DIALECT_REF.match(v.strip())
    if m is None:
        return None
    out = {"name": m.group("n")}
    for k, g in (("version", "v"), ("project", "p"), ("domain", "d")):
        if m.group(g) is not None:
            out[k] = m.group(g)
    return out


def _type_text(t: Type) -> str:
    if isinstance(t, dict):
        from specc.types import type_to_str

        return type_to_str(t)
    return t if isinstance(t, str) else "?"


def _fits(out: Type, into: Type) -> bool | None:
    """Whether a value of type ``out`` can be bound to ``into`` (None: cannot tell)."""
    if out is None or into is None:
        return None
    if isinstance(out, dict) and isinstance(into, dict):
        from specc.types import are_types_castable

        return are_types_castable(out, into)
    return _type_text(out).replace(" ", "") == _type_text(into).replace(" ", "")


def _signature(t: _Target) -> str:
    lines = [f"{t.what} {t.ident.display()}"]
    for label, vs in (("inputs", t.inputs), ("outputs", t.outputs)):
        lines.append(f"  {label}:" + ("" if vs else " none"))
        lines.extend(f"    {n}: {_type_text(v)}" for n, v in vs.items())
    return "```text\n" + "\n".join(lines) + "\n```"


def _variable_items(ctx: _Context, vs: dict[str, Type], exclude: Iterable[str], what: str,
                    as_key: bool) -> list[dict]:
    skip = set(exclude)
    out = []
    for name, t in vs.items():
        if name in skip:
            continue
        detail = f"{what}: {_type_text(t)}"
        out.append(ctx.key_item(name, detail, None, False) if as_key else
                   ctx.value_item(name, VARIABLE, detail=detail))
    return out


# ------------------------------------------------------------------------------------------------
# the dialect
# ------------------------------------------------------------------------------------------------

@lru_cache(maxsize=4)
def _schema(kind: str) -> dict:
    """The dialect's JSON Schema of a kind (``specc`` for any), read once."""
    return dict(json.loads((SCHEMA_DIR / f"{kind}.schema.json").read_text(encoding="utf-8")))


Alt = tuple[dict, frozenset[str]]  # a schema alternative and the $defs it was reached through


def _alts(s: object, root: dict, via: frozenset[str] = frozenset(), depth: int = 0
          ) -> list[Alt]:
    """The alternatives a schema allows: ``$ref`` followed, ``anyOf``/``oneOf``/``allOf``
    flattened (what a value at this place may be)."""
    if not isinstance(s, dict) or depth > 20:
        return []
    out: list[Alt] = []
    ref = s.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        name = ref.rsplit("/", 1)[-1]
        target = root.get("$defs", {}).get(name)
        if isinstance(target, dict):
            merged = {**target, **{k: v for k, v in s.items() if k != "$ref"}}
            return _alts(merged, root, via | {name}, depth + 1)
    out.append((s, via))
    for k in ("anyOf", "oneOf", "allOf"):
        for sub in s.get(k, []):
            out.extend(_alts(sub, root, via, depth + 1))
    return out


def _schema_at(root: dict, path: Iterable[PathPart]) -> list[Alt]:
    alts = _alts(root, root)
    for part in path:
        nxt: list[Alt] = []
        for s, _ in alts:
            if isinstance(part, int):
                items = s.get("items")
                if isinstance(items, dict):
                    nxt.extend(_alts(items, root))
                continue
            props = s.get("properties") or {}
            if part in props:
                nxt.extend(_alts(props[part], root))
            elif isinstance(s.get("additionalProperties"), dict):
                nxt.extend(_alts(s["additionalProperties"], root))
        alts = nxt
        if not alts:
            break
    return alts


def _is_container(alts: list[Alt]) -> bool:
    """Whether a value here is always a mapping or a list (its key is followed by a block)."""
    types: set[str] = set()
    for s, _ in alts:
        t = s.get("type")
        if isinstance(t, str):
            types.add(t)
        elif isinstance(t, list):
            types.update(x for x in t if isinstance(x, str))
        elif "properties" in s or "additionalProperties" in s:
            types.add("object")
        elif "enum" in s or "const" in s or "pattern" in s:
            types.add("string")
    return bool(types) and types <= {"object", "array"}


def _dialect_root(ctx: _Context) -> dict:
    kind = ctx.data.get("kind") if isinstance(ctx.data, dict) else None
    kind = kind if isinstance(kind, str) else ctx.cur.top.get("kind")
    if kind in ("Task", "Workflow", "LaunchPlan"):
        return _schema(str(kind))
    # no kind yet: what every kind has
    schemas = [_schema(k) for k in ("Task", "Workflow", "LaunchPlan")]
    common = {k: v for k, v in schemas[0]["properties"].items()
              if all(k in s["properties"] for s in schemas[1:])}
    common["kind"] = {"enum": ["Task", "Workflow", "LaunchPlan"],
                      "description": "What this document defines."}
    return {"type": "object", "properties": common, "$defs": schemas[0]["$defs"]}


def _dialect(ctx: _Context) -> list[dict]:
    cur = ctx.cur
    root = _dialect_root(ctx)
    path = cur.path
    if cur.role == "key":
        special = _dialect_special_keys(ctx, path)
        if special is not None:
            return special
        return _schema_keys(ctx, root, path)
    typed = cur.typed
    k = typed.rfind("${")
    if k != -1 and "}" not in typed[k:]:
        return _reference_items(ctx, typed[k + 2:])
    alts = _schema_at(root, path)
    via = set().union(*(v for _, v in alts)) if alts else set()
    items: list[dict] = []
    key = path[-1] if path else None
    parent_key = path[-2] if len(path) >= 2 else None
    if "typeExpression" in via:
        items += _type_items(ctx, typed)
    refs = {"task": "task", "workflow": "workflow", "launchPlan": "launch plan"}
    if "reference" in via and isinstance(key, str) and key in refs:
        items += ctx.names(refs[key], True)
    elif key == "name" and isinstance(parent_key, str) and parent_key in refs:
        items += ctx.names(refs[parent_key], False)  # a reference written as a mapping
    for s, _ in alts:
        for v in s.get("enum", []) + ([s["const"]] if "const" in s else []):
            if isinstance(v, str):
                items.append(ctx.value_item(v, ENUM_MEMBER, detail=s.get("description")))
        t = s.get("type")
        if t == "boolean" or (isinstance(t, list) and "boolean" in t):
            items += [ctx.value_item(b, VALUE) for b in ("true", "false")]
    if "value" in via and (typed == "" or typed.startswith("$")):
        items += _whole_references(ctx, path)
    if key == "after" or parent_key == "after":
        body, node = _body_of(path)
        items += [ctx.value_item(n, VARIABLE, detail="node") for n in _node_ids(ctx, body)
                  if n != node]
    if path[-2:] == ("schedule", "kickoffInput"):
        items += _variable_items(ctx, _variables(at_path(ctx.data, ("inputs",))), (),
                                 "input", False)
    if cur.role == "item" and not items:
        items += _schema_keys(ctx, root, path)  # the first key of a new item mapping
    return items


def _schema_keys(ctx: _Context, root: dict, path: tuple[PathPart, ...]) -> list[dict]:
    present = at_path(ctx.data, path)
    editing = ctx.text[ctx.cur.start:ctx.cur.end]
    skip = set(present) - {editing} if isinstance(present, dict) and not ctx.cur.colon_after \
        else set()
    items = []
    for s, _ in _schema_at(root, path):
        for name, sub in (s.get("properties") or {}).items():
            if name in skip:
                continue
            sub_alts = _alts(sub, root)
            desc = sub.get("description") if isinstance(sub, dict) else None
            items.append(ctx.key_item(name, None, desc, _is_container(sub_alts)))
    return items


def _body_of(path: tuple[PathPart, ...]) -> tuple[tuple[PathPart, ...], str | None]:
    """(path of the workflow body holding ``path``: the document or a sub-workflow; the id of
    the top-level node ``path`` is in, if any)."""
    body: tuple[PathPart, ...] = ()
    if len(path) >= 2 and path[0] == "subWorkflows" and isinstance(path[1], str):
        body = path[:2]
    rest = path[len(body):]
    node = rest[1] if len(rest) >= 2 and rest[0] == "nodes" and isinstance(rest[1], str) \
        else None
    return body, node


def _node_ids(ctx: _Context, body: tuple[PathPart, ...]) -> list[str]:
    nodes = at_path(ctx.data, (*body, "nodes"))
    if isinstance(nodes, dict):
        return [str(k) for k in nodes]
    wf = _workflow_ir(ctx, body)
    return [n.id for n in wf.nodes] if wf is not None else []


def _workflow_ir(ctx: _Context, body: tuple[PathPart, ...]) -> ir.Workflow | None:
    """The compiled workflow of the body being typed (by name and version)."""
    if ctx.prog is None:
        return None
    top = ctx.cur.top
    name = str(body[1]) if body else top.get("name")
    version = top.get("version")
    best = None
    for wf in ctx.prog.workflows.values():
        if wf.id.name == name:
            if version is None or wf.id.version == version:
                return wf
            best = best or wf
    return best


def _node_target(ctx: _Context, node: Any) -> _Target | None:
    """The task (workflow, launch plan) a dialect node runs (a map node's node's)."""
    if not isinstance(node, dict):
        return None
    if isinstance(node.get("map"), dict):
        return _node_target(ctx, node["map"])
    top = ctx.cur.top
    for key, what in (("task", "task"), ("workflow", "workflow"),
                      ("launchPlan", "launch plan")):
        ref = _dialect_ref(node.get(key))
        if ref is not None:
            ref.setdefault("version", top.get("version", ""))
            return ctx.find_ref(what, ref)
    return None


def _node_outputs(ctx: _Context, body: tuple[PathPart, ...], node_id: str) -> dict[str, Type]:
    """A node's outputs: its target's, else what the compile resolved (branches, gates)."""
    node = at_path(ctx.data, (*body, "nodes", node_id))
    target = _node_target(ctx, node)
    if target is not None:
        if isinstance(node, dict) and "map" in node:  # an array node gives lists
            return {k: {"collectionType": v} if isinstance(v, dict) else f"list[{v}]"
                    for k, v in target.outputs.items()}
        return target.outputs
    wf = _workflow_ir(ctx, body)
    n = ctx.res.index.get(wf, {}).get(node_id) if wf is not None else None
    iface = ctx.res.interface(n) if n is not None else None
    if iface is not None:
        return dict(iface.outputs)
    if isinstance(node, dict) and isinstance(node.get("signal"), dict):
        sig = node["signal"]
        return {_str(sig.get("output")) or "o0": sig.get("type")}
    return {}


def _workflow_inputs(ctx: _Context, body: tuple[PathPart, ...]) -> dict[str, Type]:
    got = _variables(at_path(ctx.data, (*body, "inputs")))
    if got:
        return got
    wf = _workflow_ir(ctx, body)
    return dict(wf.interface.input_types()) if wf is not None and wf.interface else {}


def _dialect_special_keys(ctx: _Context, path: tuple[PathPart, ...]) -> list[dict] | None:
    """Keys that are names: a node's inputs (its target's inputs), a launch plan's inputs and
    fixed inputs (its workflow's); None elsewhere."""
    data = ctx.data if isinstance(ctx.data, dict) else {}
    kind = data.get("kind", ctx.cur.top.get("kind"))
    if kind == "LaunchPlan" and path in (("inputs",), ("fixed",)):
        ref = _dialect_ref(data.get("workflow", ctx.cur.top.get("workflow")))
        if ref is not None:
            ref.setdefault("version", ctx.cur.top.get("version", ""))
        wf = ctx.find_ref("workflow", ref)
        if wf is None:
            return []
        given = set(data.get("inputs") or {}) | set(data.get("fixed") or {}) \
            if isinstance(data.get("inputs") or {}, dict) and isinstance(
                data.get("fixed") or {}, dict) else set()
        return _variable_items(ctx, wf.inputs, given, "input of the workflow", True)
    if len(path) >= 2 and path[-1] == "inputs" and kind == "Workflow":
        node = at_path(ctx.data, path[:-1])
        target = _node_target(ctx, node)
        if target is None:
            return None if not isinstance(node, dict) or "branch" in node else []
        present = at_path(ctx.data, path)
        return _variable_items(ctx, target.inputs, present if isinstance(present, dict)
                               else (), f"input of {target.what} {target.ident.name}", True)
    return None


_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_-]*")


def _reference_items(ctx: _Context, inner: str) -> list[dict]:
    """Inside ``${``: what comes next in ``inner`` (the reference typed so far)."""
    body, here = _body_of(ctx.cur.path)
    after = ctx.text[ctx.offset:]
    word_end = ctx.offset + len(after) - len(after.lstrip("abcdefghijklmnopqrstuvwxyz"
                                                         "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                                         "0123456789_-"))
    closed = ctx.text[word_end:word_end + 1] == "}"
    m = re.fullmatch(r"\s*([A-Za-z0-9_-]*)", inner)
    if m is not None:  # the node
        start = ctx.offset - len(m.group(1))
        items = [ctx.item("inputs", KEYWORD, "inputs", start, "the workflow's inputs",
                          end=word_end, sort="0")]
        for nid in _node_ids(ctx, body):
            if nid == here:
                continue
            target = _node_target(ctx, at_path(ctx.data, (*body, "nodes", nid)))
            detail = f"node: {target.what} {target.ident.name}" if target else "node"
            items.append(ctx.item(nid, VARIABLE, nid, start, detail, end=word_end, sort="1"))
        return items
    m = re.fullmatch(r"\s*([A-Za-z0-9_-]+)\s*\.\s*([A-Za-z0-9_-]*)", inner)
    if m is not None:  # an output (an input of the workflow)
        source, word = m.group(1), m.group(2)
        start = ctx.offset - len(word)
        vs = _workflow_inputs(ctx, body) if source == "inputs" else \
            _node_outputs(ctx, body, source)
        what = "input" if source == "inputs" else f"output of {source}"
        return [ctx.item(name, FIELD, name + ("" if closed else "}"), start,
                         f"{what}: {_type_text(t)}", end=word_end)
                for name, t in vs.items()]
    m = re.fullmatch(r"\s*([A-Za-z0-9_-]+)\s*\.\s*([A-Za-z0-9_-]+)((?:\s*(?:\.\s*[A-Za-z0-9_-]+"
                     r"|\[\s*\d+\s*\]|\[\s*(?:\"[^\"]*\"|'[^']*')\s*\]))*)\s*\.\s*"
                     r"([A-Za-z0-9_-]*)", inner)
    if m is not None:  # a field of a dataclass output
        source, var, steps, word = m.groups()
        vs = _workflow_inputs(ctx, body) if source == "inputs" else \
            _node_outputs(ctx, body, source)
        t = vs.get(var)
        if not isinstance(t, dict):
            return []
        path: list[dict] = []
        for s in re.findall(r"\.\s*([A-Za-z0-9_-]+)|\[\s*(\d+)\s*\]|\[\s*[\"']([^\"']*)",
                            steps):
            path.append({"intValue": int(s[1])} if s[1] else {"stringValue": s[0] or s[2]})
        if path:
            from specc.types import element_type_for_attr_path

            t, _ = element_type_for_attr_path(t, path)
        fields = ((t or {}).get("structure") or {}).get("dataclassType") \
            if isinstance(t, dict) else None
        if not isinstance(fields, dict):
            return []
        start = ctx.offset - len(word)
        return [ctx.item(name, FIELD, name, start, f"field: {_type_text(ft)}", end=word_end)
                for name, ft in fields.items()]
    return []


def _whole_references(ctx: _Context, path: tuple[PathPart, ...]) -> list[dict]:
    """Every ``${node.output}`` and ``${inputs.x}`` this value may take, those whose type fits
    the input (the workflow output) first."""
    body, here = _body_of(path)
    want: Type = None
    rest = path[len(body):]
    if len(rest) == 4 and rest[0] == "nodes" and rest[2] == "inputs":
        target = _node_target(ctx, at_path(ctx.data, (*body, "nodes", rest[1])))
        want = target.inputs.get(str(rest[3])) if target is not None else None
    elif len(rest) == 3 and rest[0] == "outputs" and rest[2] == "value":
        out = at_path(ctx.data, (*body, "outputs", rest[1]))
        want = out.get("type") if isinstance(out, dict) else None
    refs: list[tuple[str, Type, str]] = [
        (f"${{inputs.{n}}}", t, "input") for n, t in _workflow_inputs(ctx, body).items()]
    for nid in _node_ids(ctx, body):
        if nid != here:
            refs += [(f"${{{nid}.{o}}}", t, f"output of {nid}")
                     for o, t in _node_outputs(ctx, body, nid).items()]
    items = []
    for text, t, what in refs:
        fits = _fits(t, want)
        items.append(ctx.value_item(text, VARIABLE, detail=f"{what}: {_type_text(t)}",
                                    sort=("0" if fits else "1") + text))
    return items


def _type_items(ctx: _Context, typed: str) -> list[dict]:
    """Type names where a type expression is being typed, also inside one (``list[``,
    ``dict[str, ``, a field's type in ``{...}``)."""
    word = re.search(r"[A-Za-z_][A-Za-z0-9_.+-]*$", typed)
    w = word.group(0) if word else ""
    head = typed[:len(typed) - len(w)]
    start = ctx.offset - len(w)
    stack: list[tuple[str, str, int]] = []  # (bracket, name before it, position)
    for i, c in enumerate(head):
        if c in "[{(":
            before = re.search(r"[A-Za-z_][A-Za-z0-9_.+-]*$", head[:i])
            stack.append((c, before.group(0) if before else "", i))
        elif c in "]})" and stack:
            stack.pop()
    inner = stack[-1] if stack else None
    if inner is not None:
        bracket, name, pos = inner
        since = head[pos + 1:]
        if bracket == "[" and name == "dict" and "," not in since:
            return [ctx.value_item("str", TYPE_PARAMETER, "str", "the keys of a Flyte map "
                                   "are strings", start=start)]
        if bracket == "[" and name in ("enum", "file", "dir", "dataset", "struct"):
            return []  # values, formats, titles: the user's own words
        if bracket == "{" and ":" not in since.rsplit(",", 1)[-1]:
            return []  # a field's or column's name
        simple_only = bracket == "{" and name == "schema"
        return [ctx.value_item(label, TYPE_PARAMETER, text, detail, start=start,
                               snippet=snip)
                for label, text, snip, detail in TYPES
                if not simple_only or label in SIMPLE_TYPES[:6]]
    if head.strip() and not re.search(r"\|\s*$", head):
        return []  # after a complete type: nothing to name
    # a fresh value: the range is the whole scalar
    fresh: int | None = start if head.strip() else None
    return [ctx.value_item(label, TYPE_PARAMETER, text, detail, start=fresh, snippet=snip)
            for label, text, snip, detail in TYPES]


# ------------------------------------------------------------------------------------------------
# Flyte's form
# ------------------------------------------------------------------------------------------------

@dataclass
class _Place:
    """Where a path leads in flyteidl's message tree: a message is expected (``msg``), or a
    scalar of ``fld``, or (``many``) the list or map of ``fld``'s values."""

    msg: Message | None
    fld: dict | None
    many: str | None = None  # 'repeated' | 'map'


def _walk(kind: str, path: Iterable[PathPart]) -> _Place | None:
    t = table()
    place = _Place(t.messages[KIND_MESSAGES[kind]], None)
    for part in path:
        f = place.fld
        if place.many is not None:
            if (place.many == "repeated") != isinstance(part, int) or f is None:
                return None
            place = _Place(t.messages.get(f.get("type", "")) if f.get("kind") == "message"
                           else None, f)
            continue
        if place.msg is None or not isinstance(part, str):
            return None
        f = place.msg.by_name.get(part)
        if f is None:
            return None
        if f.get("label") in ("repeated", "map"):
            place = _Place(None, f, f["label"])
        else:
            place = _Place(t.messages.get(f.get("type", "")) if f.get("kind") == "message"
                           else None, f)
    return place


def _flyte_kinds(ctx: _Context) -> list[str]:
    from specc.passes.check_schema import detect_kind

    data = ctx.data
    if isinstance(data, dict) and data:
        kind, _ = detect_kind(data)
        if kind is not None and kind != "Dialect":
            return [kind]
        if "template" in data:
            return ["TaskSpec", "WorkflowSpec"]
    return ["TaskSpec", "WorkflowSpec", "LaunchPlan", "TaskTemplate", "WorkflowTemplate"]


def _field_detail(f: dict) -> str:
    kind = f.get("kind", "")
    what = f.get("type", kind).removeprefix("flyteidl.") if kind in ("message", "enum") \
        else kind
    if kind == "enum":
        what = f"enum {what}"
    if f.get("label") == "repeated":
        what = f"list of {what}"
    elif f.get("label") == "map":
        what = f"map of string to {what}"
    if "oneof" in f:
        what += f" (one of '{f['oneof']}')"
    return what


def _flyte(ctx: _Context) -> list[dict]:
    cur = ctx.cur
    items: list[dict] = []
    for kind in _flyte_kinds(ctx):
        place = _walk(kind, cur.path)
        if place is None:
            continue
        if cur.role == "key" or (cur.role == "item" and place.msg is not None):
            items += _message_keys(ctx, place)
        if cur.role in ("value", "item") and place.many is None and place.fld is not None:
            items += _flyte_values(ctx, place.fld)
    return items


def _message_keys(ctx: _Context, place: _Place) -> list[dict]:
    msg = place.msg
    if msg is None:
        return []
    present = at_path(ctx.data, ctx.cur.path)
    editing = ctx.text[ctx.cur.start:ctx.cur.end].strip("\"'")
    given = set(present) - {editing} if isinstance(present, dict) and not ctx.cur.colon_after \
        else set()
    taken = {f.get("oneof") for f in msg.fields if "oneof" in f
             and (f["json"] in given or f["proto"] in given)}
    items = []
    for f in msg.fields:
        if f["json"] in given or f["proto"] in given or f.get("oneof") in taken - {None}:
            continue
        container = f.get("label") in ("repeated", "map") or f.get("kind") in ("message",
                                                                               "struct")
        items.append(ctx.key_item(f["json"], _field_detail(f), None, container))
    return items


def _flyte_values(ctx: _Context, f: dict) -> list[dict]:
    kind = f.get("kind")
    if kind == "enum":
        names = table().enums.get(f.get("type", ""), {})
        return [ctx.value_item(n, ENUM_MEMBER, detail=f.get("type", "").removeprefix(
            "flyteidl.")) for n in names]
    if kind in ("bool", "wrapper:bool"):
        return [ctx.value_item(b, VALUE) for b in ("true", "false")]
    if kind != "string":
        return []
    return _flyte_names(ctx, ctx.cur.path)


_REF_FIELDS = {("taskNode", "referenceId"): "task", ("workflowNode", "subWorkflowRef"):
               "workflow", ("workflowNode", "launchplanRef"): "launch plan",
               ("spec", "workflowId"): "workflow",
               ("task_node", "reference_id"): "task", ("workflow_node", "sub_workflow_ref"):
               "workflow", ("workflow_node", "launchplan_ref"): "launch plan",
               ("spec", "workflow_id"): "workflow"}


def _template_of(path: tuple[PathPart, ...]) -> tuple[PathPart, ...] | None:
    """The workflow template holding ``path``: before its last ``nodes``, else ``outputs``."""
    for key in ("nodes", "outputs"):
        for k in range(len(path) - 1, -1, -1):
            if path[k] == key:
                return path[:k]
    return None


def _flyte_node_target(ctx: _Context, node: Any) -> _Target | None:
    if not isinstance(node, dict):
        return None
    inner = node.get("arrayNode") or node.get("array_node")
    if isinstance(inner, dict) and isinstance(inner.get("node"), dict):
        return _flyte_node_target(ctx, inner["node"])
    for (a, b), what in _REF_FIELDS.items():
        ident = node.get(a, {}).get(b) if isinstance(node.get(a), dict) else None
        if isinstance(ident, dict) and a != "spec":
            return ctx.find_ref(what, {k: _str(v) for k, v in ident.items()})
    return None


def _flyte_interface(iface: Any, which: str) -> dict[str, Type]:
    vs = at_path(iface, (which, "variables"))
    if not isinstance(vs, dict):
        return {}
    return {str(k): v.get("type") if isinstance(v, dict) else None for k, v in vs.items()}


def _flyte_names(ctx: _Context, path: tuple[PathPart, ...]) -> list[dict]:
    """A string field that names something: a reference's name (or version), a binding's
    input, a promise's node id or output, an upstream node id."""
    data = ctx.data
    pair = (str(path[-3]), str(path[-2])) if len(path) >= 3 else ("", "")
    what = _REF_FIELDS.get(pair)
    if what is not None and path[-1] == "name":
        return ctx.names(what, False)
    if what is not None and path[-1] == "version":
        ident = at_path(data, path[:-1])
        name = ident.get("name") if isinstance(ident, dict) else None
        return [ctx.value_item(t.ident.version, VALUE, detail=f"{what} {t.ident.display()}")
                for t in ctx.targets() if t.what == what and t.ident.name == name
                and t.ident.version]
    template = _template_of(path)
    tdata = at_path(data, template) if template is not None else None
    nodes = tdata.get("nodes") if isinstance(tdata, dict) else None
    node_ids = [str(n.get("id")) for n in nodes if isinstance(n, dict) and n.get("id")] \
        if isinstance(nodes, list) else []
    if len(path) >= 3 and path[-3] == "inputs" and path[-1] == "var":
        owner = at_path(data, path[:-3])
        bound = [str(b.get("var")) for b in owner.get("inputs", []) if isinstance(b, dict)] \
            if isinstance(owner, dict) and isinstance(owner.get("inputs"), list) else []
        target = _flyte_node_target(ctx, owner)
        if target is None:
            return []
        return _variable_items(ctx, target.inputs, bound, f"input of {target.what} "
                                                           f"{target.ident.name}", False)
    if len(path) >= 3 and path[-3] == "outputs" and path[-1] == "var" and template is not None \
            and tuple(path[:-3]) == template:
        outs = _flyte_interface(at_path(tdata, ("interface",)), "outputs")
        return _variable_items(ctx, outs, (), "output of the workflow", False)
    if path[-2:] in (("promise", "nodeId"), ("promise", "node_id")) or (
            len(path) >= 2 and path[-2] in ("upstreamNodeIds", "upstream_node_ids")):
        here = _enclosing_node_id(data, path)
        return [ctx.value_item(n, VARIABLE, detail="node") for n in node_ids if n != here]
    if path[-2:] == ("promise", "var"):
        promise = at_path(data, path[:-1])
        source = promise.get("nodeId", promise.get("node_id")) \
            if isinstance(promise, dict) else None
        if not source:
            ins = _flyte_interface(at_path(tdata, ("interface",)), "inputs")
            return _variable_items(ctx, ins, (), "input of the workflow", False)
        node = next((n for n in nodes or [] if isinstance(n, dict) and n.get("id") == source),
                    None)
        target = _flyte_node_target(ctx, node)
        outs = target.outputs if target is not None else {}
        return _variable_items(ctx, outs, (), f"output of {source}", False)
    return []


def _enclosing_node_id(data: Any, path: tuple[PathPart, ...]) -> str | None:
    for k in range(len(path) - 1, 0, -1):
        if path[k - 1] == "nodes" and isinstance(path[k], int):
            node = at_path(data, path[:k + 1])
            return str(node.get("id")) if isinstance(node, dict) else None
    return None
