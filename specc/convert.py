"""``specc convert``: the same flyteidl documents in another encoding (YAML, JSON or protobuf).

Every input document (a YAML or JSON file, a ``.pb`` file, each member of a bundle, everything below
a folder) becomes one file in the output folder, in the canonical form: flyteidl's proto3 JSON
(camelCase field names, enum names, int64 as strings, default values left out), fields in the
order the protobuf messages number them, map keys sorted. The output is deterministic and reads
back to the same messages.

File names follow pyflyte's: a ``.pb`` file or a bundle member ``{index}_{name}_{1|2|3}.pb`` keeps
its base name with the new suffix; a YAML or JSON file gives ``<stem>.<ext>``, or
``<stem>_<n>.<ext>`` for its document ``n`` (from 0) when it holds several. A ``.pb`` file says
what it holds by its name, so ``--to pb`` writes only the kinds pyflyte writes: a task spec, a
workflow spec or a launch plan (a bare task or workflow template becomes the spec that holds
only it), and adds ``_1``, ``_2`` or ``_3`` to a name that does not end so already.

Inputs are read and checked against flyteidl's schema (load and check-schema); any error there
refuses the whole run and nothing is written. So does a document that cannot be written in the
form asked for (a kind a ``.pb`` file cannot hold, content protobuf's encoder or the dialect
emitter refuses): it is reported at the document (SPC026), every such document of the run, and
nothing is written. The files are written all or none (``specc.emit.write_files``). References
need not resolve: one workflow can be converted without its tasks, and a spec with a type error
can be converted to be fixed.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from specc import diagnostics as dg
from specc.source import CanonicalDocument, Document, Limits

if TYPE_CHECKING:
    from google.protobuf.descriptor import Descriptor, FieldDescriptor
    from google.protobuf.message import Message

    from specc.driver import Checked, Result

FORMATS = ("yaml", "json", "pb")
DIALECT = "specc"  # --to specc: the authoring dialect, specc/dialect/emit.py
_PB_KIND = {"TaskSpec": "TaskSpec", "WorkflowSpec": "WorkflowSpec", "LaunchPlan": "LaunchPlan",
            "TaskTemplate": "TaskSpec", "WorkflowTemplate": "WorkflowSpec"}
_KIND_SUFFIX = {"TaskSpec": "1", "WorkflowSpec": "2", "LaunchPlan": "3"}
_PB_NAME = re.compile(r"_([123])$")


# ---- canonical, ordered documents ----------------------------------------------------------------

def message(kind: str, canonical: dict[str, Any]) -> Message:
    """The flyteidl message of a canonical document (what ``json_format.ParseDict`` makes)."""
    from specc.frontends.proto import message_class
    from specc.protojson import from_dict

    return from_dict(canonical, message_class(kind))


def ordered(kind: str, canonical: dict[str, Any]) -> dict[str, Any]:
    """The canonical form of a document with its fields in protobuf's field order and every map
    (and ``google.protobuf.Struct``) sorted by key: the same for every spelling of the input."""
    from specc.protojson import to_dict

    msg = message(kind, canonical)
    out = _order(to_dict(msg), msg.DESCRIPTOR)
    assert isinstance(out, dict)  # a document's message is a mapping
    return out


_JSONLIKE = ("google.protobuf.Struct", "google.protobuf.Value", "google.protobuf.ListValue")


def _order(value: object, desc: Descriptor) -> object:
    if desc.full_name in _JSONLIKE:
        return _sorted_json(value)
    if not isinstance(value, dict) or desc.full_name.startswith("google.protobuf."):
        return value
    fields = {f.json_name: f for f in desc.fields}
    out = {}
    for k, v in value.items():
        f = fields.get(k)
        mt = f.message_type if f is not None else None
        if mt is None:
            out[k] = v
        elif mt.GetOptions().map_entry:
            vt = mt.fields_by_name["value"].message_type
            out[k] = {mk: (_order(v[mk], vt) if vt is not None else v[mk]) for mk in sorted(v)}
        elif _repeated(f):
            out[k] = [_order(x, mt) for x in v]
        else:
            out[k] = _order(v, mt)
    return out


def _repeated(f: FieldDescriptor) -> bool:
    r = getattr(f, "is_repeated", None)
    return bool(r) if r is not None else f.label == f.LABEL_REPEATED


def _sorted_json(v: object) -> object:
    if isinstance(v, dict):
        return {k: _sorted_json(v[k]) for k in sorted(v)}
    if isinstance(v, list):
        return [_sorted_json(x) for x in v]
    return v


# ---- encodings -------------------------------------------------------------------------------

def encode(kind: str | None, canonical: dict[str, Any] | str, to: str) -> bytes:
    """A document as ``to``; for the dialect, ``canonical`` is its text already and ``kind``
    None (``specc.dialect.emit.plan``)."""
    if to == DIALECT:  # already text (specc/dialect/emit.py)
        assert isinstance(canonical, str)
        return canonical.encode()
    assert kind is not None and isinstance(canonical, dict)
    if to == "pb":
        from specc.frontends.proto import message_class
        from specc.protojson import encode

        return encode(canonical, message_class(kind))
    data = ordered(kind, canonical)
    if to == "json":
        return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode()
    if to == "yaml":
        return dump_yaml(data).encode()
    raise ValueError(to)


def dump_yaml(data: object) -> str:
    """Block-style YAML, keys in the order given; strings that a YAML 1.1 reader would take for
    something else quoted, text with line breaks as literal blocks (``specc.yamlwrite``)."""
    from specc.yamlwrite import dump

    return dump(data)


# ---- names -----------------------------------------------------------------------------------

def base_name(doc: CanonicalDocument, multi: bool) -> str:
    """The output name of a document, without suffix (see the module docstring)."""
    src = doc.file
    if src.form == "pb":
        name = src.path.name if src.path is not None else (src.member or src.display)
        name = name.replace("\\", "/").rsplit("/", 1)[-1]
        return name[:-3] if name.lower().endswith(".pb") else name
    stem = src.path.name if src.path is not None else src.display
    for suffix in (".yaml", ".yml", ".json"):
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
            break
    return f"{stem}_{doc.index}" if multi else stem


def plan(canonical: list[CanonicalDocument], documents: list[Document], to: str
         ) -> list[tuple[str, str, dict[str, Any], CanonicalDocument]]:
    """(file name, kind to write, canonical dict, document) for every canonical document with
    data; ``documents`` (all those loaded) tell which files hold several.

    Raises ``ValueError`` with the reason for a document that cannot be written as ``to`` (the
    caller knows which, and says so)."""
    per_file: dict[int, int] = {}
    for doc in documents:
        per_file[id(doc.file)] = per_file.get(id(doc.file), 0) + 1
    out = []
    for d in canonical:
        if not d.data:
            continue  # an empty document (a note, not an error): nothing to convert
        base = base_name(d, per_file[id(d.file)] > 1)
        kind, data = d.kind, d.data
        if to == "pb":
            pb_kind = _PB_KIND.get(kind)
            if pb_kind is None:
                raise ValueError(
                    "a .pb file holds a task spec, a workflow spec or a launch plan (pyflyte's "
                    "_1, _2 and _3 files); convert it to yaml or json, or write a bundle with "
                    "'specc compile --bundle'")
            if pb_kind != kind:
                data = {"template": data}
                kind = pb_kind
            m = _PB_NAME.search(base)
            if m is None or m.group(1) != _KIND_SUFFIX[kind]:
                base = f"{base}_{_KIND_SUFFIX[kind]}"
        out.append((f"{base}.{to}", kind, data, d))
    return out


# ---- the dialect ------------------------------------------------------------------------------

class _DialectCheck:
    """The canonical forms the dialect emitter checks its output against, computed by the
    driver exactly as a compile computes them (``specc.dialect.emit.canonical.Check``)."""

    def data(self, kind: str, data: dict[str, Any]) -> dict[str, Any]:
        from specc import driver
        from specc.dialect.emit import EmitError

        got, diags = driver.canonical_of_data(kind, data)
        if got is None:
            raise EmitError("lowered data does not match flyteidl: "
                            f"{[(d.code, d.pointer, d.message) for d in diags[:3]]}")
        return got

    def text(self, text: str) -> dict[str, Any]:
        from specc import driver
        from specc.dialect.emit import EmitError

        got, diags = driver.canonical_of_text(text, "<dialect>")
        if got is None:
            raise EmitError(f"emitted dialect does not read back: "
                            f"{[(d.code, d.message) for d in diags[:3]]}")
        return got.data


def dialect_check() -> _DialectCheck:
    """The check ``specc.dialect.emit`` needs, through the driver."""
    return _DialectCheck()


# ---- the command -----------------------------------------------------------------------------

class ConvertError(Exception):
    """How specc convert was called cannot work (exit 2); nothing was written."""


def convert_paths(paths: list[Path], to: str, out: Path, limits: Limits | None = None,
                  overrides: dict[Path, bytes] | None = None) -> Result:
    """Convert; a ``driver.Result`` whose ``written`` lists the files written (none on errors).
    ``overrides``: bytes to read instead of a file (stdin's, under the name it is given).

    Every document is either written or reported: one that cannot be written as ``to`` (a kind
    a ``.pb`` file cannot hold, content the encoder or the dialect emitter refuses) gets an
    error (SPC026) at the document, and then nothing is written; the files are written all or
    none (``specc.emit.write_files``). Raises ``ConvertError`` for missing inputs, clashing
    output names, an output that would overwrite an input, or an output that cannot be
    written."""
    from specc import driver

    if to not in FORMATS and to != DIALECT:
        raise ConvertError(f"unknown format '{to}'; use one of {', '.join(FORMATS)}, {DIALECT}")
    try:
        checked = driver.canonicalize(paths, limits or Limits(), overrides)
    except driver.UsageError as e:
        raise ConvertError(str(e)) from e
    files = checked.files
    result = driver.Result(checked.diagnostics, len(files), [], documents=checked.documents,
                           canonical=checked.canonical)
    if checked.errors:
        return result
    refused: list[dg.Diagnostic] = []
    todo = _plan(checked, to, refused)
    inputs = {f.resolve() for f in files}
    first: dict[str, str] = {}
    blobs = []
    for name, kind, data, doc in todo:
        if name in first:
            raise ConvertError(f"'{name}' would be written for both {first[name]} and "
                               f"{doc.file.display}; convert them into different --out folders")
        first[name] = doc.file.display
        target = out / name
        if target.resolve() in inputs:
            raise ConvertError(f"'{target}' is an input; write to another --out folder")
        try:
            blobs.append((target, encode(kind, data, to)))
        except Exception as e:  # what the encoder refuses is reported
            refused.append(_refusal(doc, to, e))
    if refused:
        result.diagnostics = sorted(result.diagnostics + refused, key=dg.Diagnostic.sort_key)
        return result
    if blobs:
        from specc.emit import write_files

        try:
            write_files(blobs)
        except OSError as e:
            raise ConvertError(f"cannot write '{e.filename or out}': {e.strerror or e}") from e
    result.written = [t for t, _ in blobs]
    return result


def _plan(checked: Checked, to: str, refused: list[dg.Diagnostic]
          ) -> list[tuple[str, str | None, dict[str, Any] | str, CanonicalDocument]]:
    """(file name, kind, data or dialect text, document) to encode; a document that cannot be
    written as ``to`` (a kind a ``.pb`` file cannot hold, one the dialect emitter refuses) is
    added to ``refused`` instead."""
    out: list[tuple[str, str | None, dict[str, Any] | str, CanonicalDocument]] = []
    if to != DIALECT:
        for doc in checked.canonical:
            try:
                out.extend(plan([doc], checked.documents, to))
            except ValueError as e:
                refused.append(_refusal(doc, to, e))
        return out
    # the authoring dialect: one file per input file (docs/dialect.md). Its emitter is called
    # on the whole run (file names are made unique across it) and, when that fails, per file and
    # per document, to say which documents it refuses
    from specc.dialect.emit import plan as dialect_plan

    check = dialect_check()
    try:
        return [(name, None, text, cast(CanonicalDocument, doc))
                for name, _, text, doc in dialect_plan(checked.canonical, check)]
    except Exception as e:  # find the documents it refuses, below
        whole = e
    by_file: dict[str, list[CanonicalDocument]] = {}
    for doc in checked.canonical:
        by_file.setdefault(doc.file.display, []).append(doc)
    for docs in by_file.values():
        try:
            dialect_plan(docs, check)
            continue
        except Exception:  # find the documents it refuses, below
            pass
        before = len(refused)
        for doc in docs:
            try:
                dialect_plan([doc], check)
            except Exception as e:  # reported at the document
                refused.append(_refusal(doc, to, e))
        if len(refused) == before:  # each alone is fine, together not: say so at the first
            try:
                dialect_plan(docs, check)
            except Exception as e:  # reported at the file's first document
                refused.append(_refusal(docs[0], to, e))
    if not refused and checked.canonical:  # every file alone is fine, the run together not
        refused.append(_refusal(checked.canonical[0], to, whole))
    return []


def _refusal(doc: CanonicalDocument, to: str, e: Exception) -> dg.Diagnostic:
    """SPC026: ``doc`` cannot be written as ``to``, and why (the encoder's words)."""
    reason = " ".join(str(e).split()) or type(e).__name__
    if len(reason) > 300:
        reason = reason[:297] + "..."
    if to in (DIALECT, "pb") and not isinstance(e, ValueError):  # (plan's reasons say it)
        reason = f"{reason}; convert it to yaml or json instead"
    return dg.make("SPC026", dg.Loc(doc), "convert", what=f"{doc.kind or 'document'}",
                   to="the specc dialect" if to == DIALECT else to, reason=reason)
