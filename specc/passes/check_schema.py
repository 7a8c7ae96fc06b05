"""check-schema: recognise each document's kind and check it against flyteidl's message tree.

Walks the document with the generated flyteidl table (``specc/data/flyteidl.json``): unknown
fields, wrong JSON types, values that do not parse as the field's type, unknown enum values, two
members of one oneof, and a field given in both spellings are reported at the offending key or
value. The result is the document's canonical form, ``doc.canonical``: the proto3-JSON form that
protobuf's own ``MessageToDict`` would print (camelCase names, enum names, int64 as strings,
default scalars dropped), which is what every later stage reads.
"""
from __future__ import annotations

import base64
import math
import re
from collections.abc import Iterable
from typing import Any

from specc.codes import CODES
from specc.diagnostics import (
    Edit,
    Fix,
    Loc,
    Report,
    Suggest,
    closest,
    json_kind,
    quote,
    replace,
)
from specc.ir.pointer import compose, escape
from specc.source import CanonicalDocument, Document, Placed, SourceFile, Span
from specc.table import KIND_MESSAGES, Message, Table, table

_TASK_KEYS = ("type", "container", "k8sPod", "k8s_pod", "sql", "custom", "taskTypeVersion",
              "task_type_version", "config")
_WF_KEYS = ("nodes", "outputs", "failureNode", "failure_node", "metadataDefaults",
            "metadata_defaults")
KIND_HINT = ("a task is an admin.TaskSpec ('template' with 'type' or 'container') or a bare "
             "core.TaskTemplate ('type', 'container', ...); a workflow is an admin.WorkflowSpec "
             "('template' with 'nodes'), a core.WorkflowTemplate ('nodes') or a "
             "core.WorkflowClosure ('workflow', 'tasks'); a launch plan has 'spec' with "
             "'workflowId'")


def detect_kind(data: dict) -> tuple[str | None, str]:
    """The document kind of a mapping, or None and why not (see docs/inputs.md)."""
    keys = set(data)
    if "apiVersion" in keys:  # the specc dialect, lowered before the walk (docs/dialect.md)
        return "Dialect", ""
    if "workflow" in keys:
        return "WorkflowClosure", ""
    if "spec" in keys:
        return "LaunchPlan", ""
    closure = data.get("closure")
    if isinstance(closure, dict):
        if "compiledTask" in closure or "compiled_task" in closure:
            return "Task", ""
        if "compiledWorkflow" in closure or "compiled_workflow" in closure:
            return "Workflow", ""
    if "template" in keys:
        t = data["template"]
        if "subWorkflows" in keys or "sub_workflows" in keys:
            return "WorkflowSpec", ""
        if isinstance(t, dict):
            is_wf = any(k in t for k in _WF_KEYS)
            is_task = any(k in t for k in _TASK_KEYS)
            if is_wf and not is_task:
                return "WorkflowSpec", ""
            if is_task and not is_wf:
                return "TaskSpec", ""
            if is_wf and is_task:
                return None, "its 'template' has both task fields and workflow fields"
        return None, "its 'template' has neither task fields ('type', 'container') nor workflow " \
                     "fields ('nodes')"
    is_wf = any(k in keys for k in _WF_KEYS)
    is_task = any(k in keys for k in _TASK_KEYS)
    if is_wf and not is_task:
        return "WorkflowTemplate", ""
    if is_task and not is_wf:
        return "TaskTemplate", ""
    if is_wf and is_task:
        return None, "it has both task fields and workflow fields"
    return None, "it has none of the fields that identify a task, workflow or launch plan"


def check_schema(doc: Document, report: Report) -> CanonicalDocument | None:
    """The canonical form of one document, or None when it is not a spec at all (empty, not a
    mapping, of no kind specc knows, or a dialect document that cannot be lowered). A document
    with errors still gives its canonical form, with ``ok`` False: what could be read, so that
    its entities are known by name."""
    errors = _Counting(report)
    if doc.canonical is not None:  # decoded protobuf is canonical already
        return CanonicalDocument(doc, doc.kind or "", doc.canonical)
    if doc.data is None or doc.data == {}:
        errors("SPC009", Loc(doc))
        return None
    if not isinstance(doc.data, dict):
        errors("SPC010", Loc(doc), found=json_kind(doc.data))
        return None
    kind = doc.kind
    if kind is None and "apiVersion" in doc.data:
        return _check_dialect(doc, errors)
    if kind is None and _missing_api_version(doc, errors):
        return None
    if kind is None:
        kind, reason = detect_kind(doc.data)
        if kind is None:
            _unknown_kind(doc, reason, errors)
            return None
    t = table()
    w = _Walker(errors, doc, t)
    data = w.message(doc.data, t.messages[KIND_MESSAGES[kind]], "", "")
    return CanonicalDocument(doc, kind, data or {}, w.pointer_map or None,
                             ok=not errors.count and not doc.faulty)


def canonical_data(kind: str, data: Any, report: Report) -> dict[str, Any] | None:
    """The canonical form of ``data``, flyteidl data of document kind ``kind`` that is no
    document of a file (lowered dialect data): the walk of ``check_schema``, reported through
    ``report`` with pointers into ``data``."""
    t = table()
    placed = CanonicalDocument(Document(SourceFile(None, "<data>", "json"), 0, data, None),
                               kind, {})
    return _Walker(report, placed, t).message(data, t.messages[KIND_MESSAGES[kind]], "", "")


# the top-level fields that tell a document's kind (detect_kind), for did-you-mean
_KIND_KEYS = ("apiVersion", "template", "spec", "workflow", "closure", "subWorkflows", "nodes",
              "failureNode", "container", "k8sPod", "taskTypeVersion")


def _unknown_kind(doc: Document, reason: str, report: Report) -> None:
    """SPC008 for a document of no kind specc reads; when a top-level key is a misspelling of
    a field that tells the kind ('templte'), the hint says which, with the fix."""
    for key in doc.data:
        close = closest(str(key), _KIND_KEYS, 0.75)
        if close is None or close == key or close in doc.data:
            continue
        loc = Loc(doc, "/" + escape(str(key)), True)
        report("SPC008", loc, reason=f"{reason}, but '{key}' looks like a misspelling",
               hint=f"did you mean '{close}'?",
               fixes=[replace(loc, str(key), close, f"rename '{key}' to '{close}'")])
        return
    report("SPC008", Loc(doc), reason=reason, hint=KIND_HINT)


def _missing_api_version(doc: Document, report: Report) -> bool:
    """Whether ``doc`` is a dialect document without its 'apiVersion' ('kind: Task' says so;
    no flyteidl document has a 'kind'): reported once, in place of the unknown fields a walk
    as flyteidl would find, with the fix that adds the line."""
    from specc.dialect import API_VERSION, KINDS

    k = doc.data.get("kind")
    if not isinstance(k, str) or k.lower() not in {x.lower() for x in KINDS}:
        return False
    misspelt = closest("apiVersion", [str(x) for x in doc.data], 0.8)
    at = Loc(doc, "/kind", True)
    if misspelt is not None:  # 'apiVersoin: specc/v1': the key is there, misspelt
        at = Loc(doc, "/" + escape(misspelt), True)
        fixes: list[Fix | Suggest] = [replace(at, misspelt, "apiVersion",
                                              f"rename '{misspelt}' to 'apiVersion'")]
    else:
        fix = _add_api_version(doc, f"apiVersion: {API_VERSION}")
        fixes = [fix] if fix is not None else []
    report("SPC041", at, what=f"a specc dialect document ('kind: {k}')",
           field=f"apiVersion: {API_VERSION}", fixes=fixes)
    return True


def _add_api_version(doc: Document, line: str) -> Fix | None:
    """The fix inserting ``line`` before the document's first key: a line of its own in a
    block mapping, a first entry in a flow mapping or JSON object."""
    src = doc.file
    first = next(iter(doc.data), None)
    span = doc.spans.lookup("/" + escape(first), True) if doc.spans and first else None
    at = src.offset(span.line, span.column) if span is not None else None
    if span is None or at is None or src.text is None:
        return None
    before = src.text[:at].rstrip()
    here = Span(span.line, span.column, span.line, span.column)
    if before.endswith(("{", ",")):  # a flow mapping
        key, value = line.split(": ", 1)
        new = f'"{key}": "{value}", ' if src.form == "json" else f"{line}, "
    else:
        new = f"{line}\n{' ' * (span.column - 1)}"
    return Fix(f"add '{line}'", (Edit(src, here, new),))


class _Counting:
    """A report that counts the errors it passes on."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.count = 0

    def __call__(self, code: str, loc: Loc | None, related: Iterable[tuple[Loc, str]] = (),
                 **args: Any) -> None:
        if CODES[code].severity == "error":
            self.count += 1
        self.report(code, loc, related, **args)


def _check_dialect(doc: Document, errors: _Counting) -> CanonicalDocument | None:
    """A specc/v1 document: lowered to the flyteidl form first, then walked like any other, with
    positions mapped back to the dialect (specc/frontends/specc_dialect.py)."""
    from specc.frontends import specc_dialect

    lowered = specc_dialect.lower_document(doc, errors)
    if lowered is None:
        return None
    kind, data, pointer_map = lowered
    t = table()
    # the walk's own reports land on the dialect too: it walks the lowered data, placed through
    # the dialect's pointer map
    placed = CanonicalDocument(doc, kind, data, pointer_map)
    w = _Walker(errors, placed, t)
    canonical = w.message(data, t.messages[KIND_MESSAGES[kind]], "", "")
    return CanonicalDocument(doc, kind, canonical or {}, compose(pointer_map, w.pointer_map),
                             ok=not errors.count and not doc.faulty)


_DURATION = re.compile(r"^(-)?(\d+)(?:\.(\d{1,9}))?s$")
_TIMESTAMP = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|z|[+-]\d{2}:\d{2})$")
_INT_RANGES = {
    "int32": (-(2**31), 2**31 - 1), "uint32": (0, 2**32 - 1),
    "int64": (-(2**63), 2**63 - 1), "uint64": (0, 2**64 - 1),
}
_WRAPPED = {"bool", "string", "bytes", "int32", "uint32", "int64", "uint64", "float", "double"}


def _frac(digits: str | None) -> str:
    """protobuf's canonical fraction: none, or 3, 6 or 9 digits."""
    if not digits or int(digits) == 0:
        return ""
    d = digits.ljust(9, "0")
    for n in (3, 6, 9):
        if d[n:] == "0" * (9 - n):
            return "." + d[:n]
    return "." + d


class _Walker:
    """The walk of one document against flyteidl's message tree (see the module docstring)."""

    def __init__(self, report: Report, doc: Placed, t: Table) -> None:
        self.report = report
        self.doc = doc
        self.t = t
        self.pointer_map: dict[str, str] = {}

    def loc(self, src_pointer: str, at_key: bool = False) -> Loc:
        return Loc(self.doc, src_pointer, at_key)

    # -- messages ---------------------------------------------------------------------------
    def message(self, data: object, msg: Message, src: str, canon: str, field_name: str = ""
                ) -> dict[str, Any] | None:
        if not isinstance(data, dict):
            self.report("SPC102", self.loc(src), field=field_name or msg.short,
                            expected=f"a mapping ({msg.short})", found=json_kind(data))
            return None
        if msg.name == _PRIMITIVE and len(data) == 1:  # the commonest leaf: every literal
            got = _primitive(data)
            if got is not None:
                return got
        out: dict[str, Any] = {}
        seen_field: dict[str, str] = {}
        oneof_set: dict[str, str] = {}
        kept = 0  # fields whose canonical value is the document's own, under the same key
        for key, value in data.items():
            ksrc = src + "/" + escape(key)
            f = msg.by_name.get(key)
            if f is None:
                # the field closest in the key's own style (camelCase or snake_case)
                spelling = "proto" if "_" in key else "json"
                close = closest(key, [x[spelling] for x in msg.fields]) or \
                    closest(key, [x["json"] for x in msg.fields])
                fixes = []
                if close is not None and not any(
                        msg.by_name[close] is msg.by_name.get(k) for k in data):
                    # (a rename onto a field that is given too would make a duplicate)
                    fixes.append(replace(self.loc(ksrc, True), key, close,
                                         f"rename '{key}' to '{close}'"))
                self.report("SPC101", self.loc(ksrc, True), field=key, message=msg.short,
                            hint=f"; did you mean '{close}'?" if close else "", fixes=fixes)
                continue
            jname = f["json"]
            if jname in seen_field:
                self.report("SPC105", self.loc(ksrc, True), field=jname,
                                first=seen_field[jname], second=key)
                continue
            seen_field[jname] = key
            if value is None:
                continue  # proto3 JSON: null is the default value
            if "oneof" in f:
                group = f["oneof"]
                if group in oneof_set:
                    first = oneof_set[group]
                    self.report(
                        "SPC103", self.loc(ksrc, True),
                        related=[(self.loc(src + "/" + first, True), "first member given here")],
                        field=key, other=first, message=msg.short, oneof=group)
                    continue
                oneof_set[group] = key
            ccanon = canon + "/" + jname
            if key != jname:
                self.pointer_map[ccanon] = ksrc
            v = self.field(value, f, ksrc, ccanon, key)
            if v is _DROP:
                continue
            if v is None:
                continue
            if "oneof" not in f and not f.get("presence") and _is_default(v, f):
                continue
            if v is value and key == jname:
                kept += 1
            out[jname] = v
        # the document's own dict when its canonical form is the very same: a document and its
        # canonical form share what they have in common (neither is changed afterwards)
        return data if kept == len(data) else out

    def field(self, value: object, f: dict[str, Any], src: str, canon: str, name: str) -> object:
        label = f["label"]
        if label == "repeated":
            if not isinstance(value, list):
                self.report("SPC102", self.loc(src), field=name, expected="a list",
                                found=json_kind(value))
                return _DROP
            if f["kind"] == "string" and all(type(item) is str for item in value):
                # the common long list (a command line): nothing to convert, nothing to report
                return value if value else _DROP
            out: list[object] = []
            kept = 0
            for i, item in enumerate(value):
                v = self.value(item, f, f"{src}/{i}", f"{canon}/{i}", f"{name}[{i}]")
                if v is not _DROP and v is not None:
                    out.append(v)
                    if v is item:
                        kept += 1
            if not out:
                return _DROP
            return value if kept == len(value) else out
        if label == "map":
            if not isinstance(value, dict):
                self.report("SPC102", self.loc(src), field=name, expected="a mapping",
                                found=json_kind(value))
                return _DROP
            entries: dict[str, object] = {}
            kept = 0
            for k, item in value.items():
                esc = escape(k)
                if f["key"] != "string":
                    kk = self.scalar(k, f["key"], src + "/" + esc, name, key_mode=True)
                    if kk is _DROP:
                        continue
                v = self.value(item, f, f"{src}/{esc}", f"{canon}/{esc}", f"{name}.{k}")
                if v is not _DROP and v is not None:
                    entries[str(k)] = v
                    if v is item and type(k) is str:
                        kept += 1
            if not entries:
                return _DROP
            return value if kept == len(value) else entries
        return self.value(value, f, src, canon, name)

    def value(self, value: object, f: dict[str, Any], src: str, canon: str, name: str) -> object:
        kind = f["kind"]
        if kind == "message":
            if value is None:
                return _DROP
            return self.message(value, self.t.messages[f["type"]], src, canon, name)
        if kind == "enum":
            return self.enum(value, f["type"], src, name)
        return self.scalar(value, kind, src, name)

    def enum(self, value: object, enum: str, src: str, name: str) -> object:
        values = self.t.enums[enum]
        short = enum.removeprefix("flyteidl.")
        if isinstance(value, str) and value in values:
            return value
        if isinstance(value, int) and not isinstance(value, bool):
            names = self.t.enum_names[enum]
            if value in names:
                return names[value]
        choices = ", ".join(values)
        close = closest(value.upper(), values) if isinstance(value, str) else None
        self.report("SPC104", self.loc(src), value=value, enum=short, choices=choices,
                    fixes=[replace(self.loc(src), str(value), close)] if close else ())
        return _DROP

    # -- scalars and well-known types -----------------------------------------------------------
    def scalar(self, value: object, kind: str, src: str, name: str, key_mode: bool = False
               ) -> object:
        bad = None
        if kind == "string":
            if isinstance(value, str):
                return value
            bad = "a string"
        elif kind == "bool":
            if isinstance(value, bool):
                return value
            if key_mode and value in ("true", "false"):
                return value == "true"
            bad = "true or false"
        elif kind in _INT_RANGES:
            lo, hi = _INT_RANGES[kind]
            v = value
            if (isinstance(v, str) and re.fullmatch(r"-?\d+", v.strip())) or (
                    isinstance(v, float) and v.is_integer()):
                v = int(v)
            if isinstance(v, int) and not isinstance(v, bool):
                if lo <= v <= hi:
                    return str(v) if kind in ("int64", "uint64") else v
                bad = f"an integer from {lo} to {hi}"
            else:
                bad = "an integer" + (" (a number or a string of digits)"
                                      if kind in ("int64", "uint64") else "")
        elif kind in ("float", "double"):
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                return float(value)
            if isinstance(value, str):
                if value in ("NaN", "Infinity", "-Infinity"):
                    return value
                try:
                    v = float(value)
                    if not math.isnan(v):
                        return v
                except ValueError:
                    pass
            bad = "a number"
        elif kind == "bytes":
            if isinstance(value, str):
                try:
                    base64.b64decode(value + "=" * (-len(value) % 4), validate=False)
                    return value
                except ValueError:
                    pass
            bad = "base64-encoded bytes"
        elif kind == "duration":
            if isinstance(value, str):
                m = _DURATION.match(value.strip())
                if m:
                    return f"{m.group(1) or ''}{int(m.group(2))}{_frac(m.group(3))}s"
            bad = "a duration in seconds such as '30s' or '1.5s'"
        elif kind == "timestamp":
            if isinstance(value, str):
                m = _TIMESTAMP.match(value.strip())
                if m:
                    try:
                        return _canonical_timestamp(m)
                    except ValueError:
                        pass
            bad = "an RFC 3339 timestamp such as '2024-01-31T12:00:00Z'"
        elif kind == "struct":
            if isinstance(value, dict):
                return value
            bad = "a mapping"
        elif kind == "list_value":
            if isinstance(value, list):
                return value
            bad = "a list"
        elif kind == "value":
            return value
        elif kind == "any":
            if isinstance(value, dict) and "@type" in value:
                return value
            bad = "a mapping with '@type'"
        elif kind.startswith("wrapper:"):
            inner = kind.split(":", 1)[1]
            assert inner in _WRAPPED
            v = self.scalar(value, inner, src, name)
            return v
        else:  # pragma: no cover - the table only has the kinds above
            raise AssertionError(kind)
        fixes = []
        if kind == "string" and isinstance(value, (int, float)) and not isinstance(value, bool):
            fixes.append(quote(self.loc(src)))
        self.report("SPC102", self.loc(src), field=name, expected=bad, found=_found(value),
                    fixes=fixes)
        return _DROP


_PRIMITIVE = "flyteidl.core.Primitive"
_INT64_MAX = 2**63 - 1


def _primitive(data: dict[str, Any]) -> dict[str, Any] | None:
    """The canonical form of a ``core.Primitive`` of one well-typed field, as the walk would
    make it, or None to walk it (anything else: a problem to report, a rarer form)."""
    ((key, value),) = data.items()
    t = type(value)
    if key == "integer":
        if t is int and -_INT64_MAX - 1 <= value <= _INT64_MAX:
            return {"integer": str(value)}
        if t is str and value.isascii() and value.isdigit() and int(value) <= _INT64_MAX:
            return {"integer": str(int(value))}
    elif (key == "stringValue" and t is str) or (key == "boolean" and t is bool):
        return data
    elif key == "floatValue" and t is float:
        return data if float(value) is value else {"floatValue": float(value)}
    return None


def _found(value: object) -> str:
    k = json_kind(value)
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        r = repr(value) if not isinstance(value, str) else f"'{value}'"
        return f"{k} {r[:60]}"
    return k


def _canonical_timestamp(m: re.Match[str]) -> str:
    from datetime import datetime, timedelta, timezone

    y, mo, d, h, mi, s, frac, tz = m.groups()
    base = datetime(int(y), int(mo), int(d), int(h), int(mi), int(s), tzinfo=timezone.utc)
    if tz not in ("Z", "z"):
        sign = 1 if tz[0] == "+" else -1
        base -= sign * timedelta(hours=int(tz[1:3]), minutes=int(tz[4:6]))
    return base.strftime("%Y-%m-%dT%H:%M:%S") + _frac(frac) + "Z"


class _Drop:
    def __repr__(self) -> str:
        return "<drop>"


_DROP = _Drop()


def _is_default(v: object, f: dict[str, Any]) -> bool:
    if f["label"] != "single":
        return False
    kind = f["kind"]
    if kind == "message" or kind in ("struct", "list_value", "value", "any", "duration",
                                     "timestamp") or kind.startswith("wrapper:"):
        return False
    if kind == "enum":
        return isinstance(v, str) and table().enums[f["type"]].get(v) == 0  # an enum name
    if kind in ("int64", "uint64"):
        return v == "0"
    if kind in ("string", "bytes"):
        return v == ""
    if kind == "bool":
        return v is False
    return v == 0
