"""Registration bundles, written the way ``pyflyte package`` lays them out, byte-reproducibly.

A bundle is a gzipped tar of flyteidl messages, one per file, named ``{index}_{name}_{k}.pb``:
``k`` is 1 for an ``admin.TaskSpec``, 2 for an ``admin.WorkflowSpec``, 3 for an
``admin.LaunchPlan``; ``name`` is the entity's identifier name; ``index`` is its position,
zero-padded to ``ceil(log10(count))`` digits (flytekit's ``persist_registrable_entities`` and
``_determine_text_chars`` in ``flytekit/tools/serialize_helpers.py``). ``flytectl register files``
sorts the file names and registers in that order, so the order is a dependency order: every task
first, then each workflow after the sub-workflows and launch plans it calls (a called launch plan
right after its own workflow), then the remaining launch plans, grouped by workflow.

Every workflow gets the default launch plan pyflyte makes for it (flytekit's
``LaunchPlan.get_default_launch_plan``) unless the input already has a launch plan with the
workflow's identifier: same name and version, no fixed inputs, every workflow input a parameter
(an optional one, a union with a ``NONE`` variant, defaulting to none; the others required).
Defaults a workflow function declares live in Python only and cannot be known here.

``project``, ``domain`` and ``version`` fill identifiers as ``flytectl register files`` does
(``hydrateSpec`` in ``flytectl/cmd/register/register_util.go``): a field that is empty or holds
the ``{{ registration.project }}`` (``domain``, ``version``) placeholder takes the given value, in
the task's id; the workflow's id, its sub-workflows' ids and every node reference (task,
sub-workflow and launch plan nodes, through branches and array nodes, and the failure node); the
launch plan's id and its workflow id. A value not given leaves its field as it is.

Reproducible: messages serialized deterministically, members in name order with mtime 0, uid and
gid 0, no user or group names and mode 0644, gzip with mtime 0 and no file name.
"""
from __future__ import annotations

import copy
import gzip
import io
import math
import tarfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from specc import ir
from specc.diagnostics import Loc
from specc.emit import atomic_write
from specc.ir.pointer import resolve
from specc.source import CanonicalDocument

KIND_SUFFIX = {"TaskSpec": "1", "WorkflowSpec": "2", "LaunchPlan": "3"}
PLACEHOLDERS = {"project": "{{ registration.project }}", "domain": "{{ registration.domain }}",
                "version": "{{ registration.version }}"}


class BundleError(Exception):
    """The inputs cannot make a bundle (nothing to write)."""


class EncodeError(Exception):
    """protobuf refuses to encode one entity of the bundle: ``entity`` is its identifier key,
    ``what`` says which it is, ``error`` is protobuf's exception."""

    def __init__(self, entity: tuple[str, ...], what: str, error: Exception) -> None:
        super().__init__(f"{what}: {error}")
        self.entity, self.what, self.error = entity, what, error


@dataclass
class Entity:
    kind: str  # TaskSpec | WorkflowSpec | LaunchPlan
    data: dict  # canonical proto3 JSON of that message
    default_lp: bool = False  # made by specc, not given

    @property
    def raw_id(self) -> dict:
        return (self.data.get("id") if self.kind == "LaunchPlan"
                else self.data.get("template", {}).get("id")) or {}

    @property
    def key(self) -> tuple:
        return ir.Identifier.from_raw(self.raw_id).key

    @property
    def name(self) -> str:
        return self.raw_id.get("name", "")


# ---- entities from the documents ---------------------------------------------------------------

def entities(prog: ir.Program, documents: list[CanonicalDocument]) -> list[Entity]:
    """The registrable entities of a compiled run, each once, in document order."""
    out: list[Entity] = []
    seen: set[tuple] = set()

    def add(kind: str, data: dict | None) -> None:
        if not data:
            return
        e = Entity(kind, copy.deepcopy(data))
        if (kind, e.key) in seen:
            return  # defined again, identically (build-ir reports a different definition)
        seen.add((kind, e.key))
        out.append(e)

    def task(template: dict | None) -> None:
        if template:
            add("TaskSpec", {"template": template})

    for doc in documents:
        c = doc.data
        if not c:
            continue
        kind = doc.kind
        if kind == "TaskSpec":
            add(kind, c)
        elif kind == "TaskTemplate":
            task(c)
        elif kind == "Task":
            task(c.get("closure", {}).get("compiledTask", {}).get("template"))
        elif kind == "WorkflowSpec":
            add(kind, _with_subs(prog, c))
        elif kind == "WorkflowTemplate":
            add("WorkflowSpec", _with_subs(prog, {"template": c}))
        elif kind == "WorkflowClosure":
            for t in c.get("tasks", []):
                task(t)
            if c.get("workflow"):
                add("WorkflowSpec", _with_subs(prog, {"template": c["workflow"]}))
        elif kind == "Workflow":
            cw = c.get("closure", {}).get("compiledWorkflow", {})
            for t in cw.get("tasks", []):
                task(t.get("template"))
            spec = {"template": cw.get("primary", {}).get("template")}
            subs = [s["template"] for s in cw.get("subWorkflows", []) if s.get("template")]
            if subs:
                spec["subWorkflows"] = subs
            if spec["template"]:
                add("WorkflowSpec", _with_subs(prog, spec))
        elif kind == "LaunchPlan":
            add(kind, c)
    return out


def _with_subs(prog: ir.Program | None, spec: dict[str, Any]) -> dict[str, Any]:
    """The spec with every sub-workflow its nodes reach (transitively) in ``subWorkflows``, as
    FlyteAdmin needs them there; those it has stay first, as they are."""
    template = spec.get("template")
    if prog is None or not template:
        return spec
    have = {ir.Identifier.from_raw(s.get("id")).key for s in spec.get("subWorkflows", [])}
    have.add(ir.Identifier.from_raw(template.get("id")).key)
    extra = []
    todo = [prog.workflows.get(k) for k in list(have)]
    while todo:
        cur = todo.pop(0)
        if cur is None:
            continue
        for n in ir.walk.nodes(cur):
            if not isinstance(n, ir.WorkflowNode) or n.ref is None or n.ref.key in have:
                continue
            wf = cur.scope.get(n.ref.key) or prog.workflows.get(n.ref.key)
            if wf is None:
                continue
            have.add(n.ref.key)
            extra.append(wf.raw)
            todo.append(wf)
    if not extra:
        return spec
    return {**spec, "subWorkflows": list(spec.get("subWorkflows", [])) + extra}



# ---- default launch plans ----------------------------------------------------------------------

def default_launch_plan(spec: dict) -> dict:
    """The launch plan pyflyte makes for a workflow that has none of its name."""
    template = spec.get("template", {})
    wf_id = dict(template.get("id") or {})
    lp_id = {k: v for k, v in wf_id.items() if k != "resourceType"}
    params = {}
    for name, var in template.get("interface", {}).get("inputs", {}).get("variables", {}).items():
        if _optional(var.get("type") or {}):
            params[name] = {"var": var, "default": {"scalar": {"noneType": {}}}}
        else:
            params[name] = {"var": var, "required": True}
    return {
        "id": {"resourceType": "LAUNCH_PLAN", **lp_id},
        "spec": {
            "workflowId": wf_id,
            "entityMetadata": {},
            "defaultInputs": {"parameters": params} if params else {},
            "fixedInputs": {},
            "labels": {},
            "annotations": {},
            "rawOutputDataConfig": {},
        },
        "closure": {"expectedInputs": {}, "expectedOutputs": {}},
    }


def _optional(t: dict) -> bool:
    return any(v.get("simple") == "NONE" for v in t.get("unionType", {}).get("variants", []))


# ---- order -------------------------------------------------------------------------------------

def _nodes(prog: ir.Program, template: dict[str, Any]
           ) -> Iterator[tuple[ir.Node, Callable[[Loc], Any]]]:
    """Every node of a workflow template (a copy of its canonical form), from the workflow's IR
    (``ir.walk``), with a function giving the copy's value at an IR place inside it."""
    wf = prog.workflows.get(ir.Identifier.from_raw(template.get("id")).key)
    if wf is None:
        return
    base = wf.loc.pointer

    def at(loc: Loc) -> Any:
        return resolve(template, loc.pointer[len(base):])

    for n in ir.walk.nodes(wf):
        yield n, at


def ordered(ents: list[Entity], prog: ir.Program) -> list[Entity]:
    """Tasks; workflows after what they call; launch plans last (see the module docstring). Adds
    the default launch plans."""
    tasks = [e for e in ents if e.kind == "TaskSpec"]
    wfs = {e.key: e for e in ents if e.kind == "WorkflowSpec"}
    lps = {e.key: e for e in ents if e.kind == "LaunchPlan"}
    for wf in wfs.values():
        k = wf.key
        lp_key = ("LAUNCH_PLAN", *k[1:])
        if lp_key not in lps:
            lps[lp_key] = Entity("LaunchPlan", default_launch_plan(wf.data), default_lp=True)
    out: list[Entity] = list(tasks)
    done: set[tuple] = set()

    def lp_wf(lp: Entity) -> tuple:
        return ir.Identifier.from_raw(lp.data.get("spec", {}).get("workflowId")).key

    def visit_wf(wf: Entity) -> None:
        tag = ("WorkflowSpec", wf.key)
        if tag in done:
            return
        done.add(tag)  # before the calls: a cycle through launch plans ends here
        templates = [wf.data.get("template", {}), *list(wf.data.get("subWorkflows", []))]
        for t in templates:
            for n, _ in _nodes(prog, t):
                if isinstance(n, ir.WorkflowNode) and n.ref is not None:
                    dep = wfs.get(n.ref.key)
                    if dep is not None:
                        visit_wf(dep)
                elif isinstance(n, ir.LaunchPlanNode) and n.ref is not None:
                    lp = lps.get(n.ref.key)
                    if lp is not None:
                        visit_lp(lp)
        out.append(wf)

    def visit_lp(lp: Entity) -> None:
        tag = ("LaunchPlan", lp.key)
        if tag in done:
            return
        done.add(tag)
        wf = wfs.get(lp_wf(lp))
        if wf is not None:
            visit_wf(wf)
        out.append(lp)

    for wf in wfs.values():
        visit_wf(wf)
    # the launch plans nothing calls: those of each workflow in bundle order, then the others
    by_wf: dict[tuple, list[Entity]] = {}
    for lp in sorted(lps.values(), key=lambda e: not e.default_lp):  # pyflyte's default first
        by_wf.setdefault(lp_wf(lp), []).append(lp)
    for e in [e for e in out if e.kind == "WorkflowSpec"]:
        for lp in by_wf.pop(e.key, []):
            visit_lp(lp)
    for rest in by_wf.values():
        for lp in rest:
            visit_lp(lp)
    return out


# ---- identifiers filled as flytectl register files does -----------------------------------------

def hydrate(e: Entity, fill: dict[str, str], prog: ir.Program) -> None:
    """Fill empty or placeholder identifier fields in place (``fill``: project/domain/version)."""
    fill = {k: v for k, v in fill.items() if v is not None and k in PLACEHOLDERS}
    if not fill:
        return
    if e.kind == "LaunchPlan":
        _fill(e.data.get("id"), fill)
        _fill(e.data.get("spec", {}).get("workflowId"), fill)
    elif e.kind == "TaskSpec":
        _fill(e.data.get("template", {}).get("id"), fill)
    elif e.kind == "WorkflowSpec":
        for t in [e.data.get("template"), *list(e.data.get("subWorkflows", []))]:
            if not t:
                continue
            # the references of its nodes, found before the template's own id changes
            refs = [at(n.ref_loc) for n, at in _nodes(prog, t)
                    if isinstance(n, (ir.TaskNode, ir.WorkflowNode, ir.LaunchPlanNode))
                    and n.ref_loc is not None]
            for ref in refs:
                _fill(ref, fill)
            _fill(t.get("id"), fill)


def _fill(ident: dict | None, fill: dict[str, str]) -> None:
    if ident is None:
        return
    for name, value in fill.items():
        if ident.get(name, "") in ("", PLACEHOLDERS[name]):
            if value:
                ident[name] = value
            else:
                ident.pop(name, None)


# ---- files -------------------------------------------------------------------------------------

def index_width(count: int) -> int:
    """pyflyte's ``_determine_text_chars``: digits of the zero-padded index."""
    return 0 if count == 0 else math.ceil(math.log(count, 10))


def member_names(ents: list[Entity]) -> list[str]:
    width = index_width(len(ents))
    return [f"{str(i).zfill(width)}_{_safe(e.name)}_{KIND_SUFFIX[e.kind]}.pb"
            for i, e in enumerate(ents)]


def _safe(name: str) -> str:
    # pyflyte joins the name into a path as it is; a separator would make a folder
    return name.replace("/", "_").replace("\\", "_").replace("\0", "_")


def serialize(kind: str, data: dict) -> bytes:
    from specc.frontends.proto import message_class
    from specc.protojson import encode

    # json_format.ParseDict + SerializeToString(deterministic=True), byte for byte, faster
    return encode(data, message_class(kind))


def archive(members: list[tuple[str, bytes]]) -> bytes:
    """A reproducible .tgz of (name, bytes): sorted, zero times and ids, no names, mode 0644."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tf:
        for name, blob in sorted(members):
            info = tarfile.TarInfo(name)
            info.size = len(blob)
            info.mtime = 0
            info.mode = 0o644
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            info.type = tarfile.REGTYPE
            tf.addfile(info, io.BytesIO(blob))
    out = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=out, mtime=0, compresslevel=9) as gz:
        gz.write(raw.getvalue())
    return out.getvalue()


def build(prog: ir.Program, documents: list[CanonicalDocument],
          fill: dict[str, str] | None = None) -> tuple[bytes, list[str]]:
    """(the bundle's bytes, its member names) for a run that compiled without errors. Raises
    ``BundleError`` when there is nothing to bundle, ``EncodeError`` for an entity protobuf
    refuses."""
    ents = ordered(entities(prog, documents), prog)
    if not ents:
        raise BundleError("no task, workflow or launch plan to write")
    for e in ents:
        hydrate(e, fill or {}, prog)
    names = member_names(ents)
    blobs = []
    for e, name in zip(ents, names, strict=True):
        try:
            blobs.append(serialize(e.kind, e.data))
        except Exception as err:  # the driver reports it, at the entity
            raise EncodeError(e.key, f"member '{name}'", err) from err
    return archive(list(zip(names, blobs, strict=True))), names


def write(target: Path, data: bytes) -> None:
    """Write the bundle atomically (see ``specc.emit.atomic_write``)."""
    atomic_write(target, data)
