"""``specc compile --bundle``: registration bundles in pyflyte's layout, byte-reproducible.

The round trip, for every bundle flytectl's tests hold that compiles clean and every bundle
``pyflyte package`` made from ``fixtures/flytekit/src/`` (and from
``fixtures/flytekit/every_node_kind``):

    original bundle -(specc convert --to yaml)-> YAML folder -(specc compile --bundle)-> new bundle

Let O be the set of messages decoded from the original bundle's ``.pb`` members (an
``admin.TaskSpec`` for ``_1``, ``admin.WorkflowSpec`` for ``_2``, ``admin.LaunchPlan`` for
``_3``; a message given twice counts once) and N the list decoded from the new bundle. Then

1. N holds no message twice, and every message of O is in N, of the same kind, by protobuf
   equality (``==`` on the decoded messages: every field, unknown fields aside);
2. every message of N that is not in O is a launch plan specc added: its identifier is the
   ``LAUNCH_PLAN`` identifier (same project, domain, name, version, org) of a workflow of N, no
   launch plan of O has that identifier, and it is the default launch plan of that workflow
   (``specc.emit.bundle.default_launch_plan``).

With ``--project P --bundle-domain D --version V``, O is first filled the way ``flytectl register
files -p P -d D --version V`` fills it (``hydrateSpec``; written again below, on the protobuf
messages, independently of specc): in every identifier it touches (a task's id; a workflow's id,
its sub-workflows' ids and every task, sub-workflow and launch plan reference of their nodes,
through branches and array nodes and the failure node; a launch plan's id and workflow id), a
project, domain or version that is empty or the ``{{ registration.* }}`` placeholder becomes P, D
or V. Nothing else may differ.
"""
from __future__ import annotations

import gzip
import hashlib
import io
import math
import os
import re
import stat
import tarfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import CONFORMANCE, REPO, need

FLYTECTL = CONFORMANCE / "flytectl"
FLYTEKIT = REPO / "fixtures" / "flytekit"
CLEAN_FLYTECTL = ["compile/valid-package.tgz", "compile/launchplan-in-wf.tgz",
                  "register/valid-register.tgz", "register/failure-node.tgz",
                  "register/flytesnacks-core.tgz"]
PYFLYTE = ["chain", "subworkflows", "launchplans", "branches", "arrays"]
KINDS = {"1": "TaskSpec", "2": "WorkflowSpec", "3": "LaunchPlan"}
_MEMBER = re.compile(r"^(\d+)_(.+)_([123])\.pb$")


def roundtrip_bundles() -> list:
    """(id, path) of every bundle the round trips run on."""
    out = [pytest.param(FLYTECTL / n, id=n.split("/")[1]) for n in CLEAN_FLYTECTL]
    out += [pytest.param(FLYTEKIT / "bundles" / f"{m}.tgz", id=f"pyflyte-{m}") for m in PYFLYTE]
    out.append(pytest.param(FLYTEKIT / "every_node_kind" / "bundle.tgz", id="every_node_kind"))
    return out


# ---- helpers (test_convert.py uses them too) -------------------------------------------------

def invoke(*args: str):
    from specc import cli

    return CliRunner().invoke(cli.main, [str(a) for a in args])


def decode(kind: str, blob: bytes):
    from specc.frontends.proto import decode as _decode

    return _decode(blob, kind)


def members(path: Path) -> list[tuple[str, str, object]]:
    """(member base name, kind, message) of every .pb member, in archive order."""
    out = []
    with tarfile.open(path) as tf:
        for m in tf.getmembers():
            base = m.name.rsplit("/", 1)[-1]
            if not m.isfile() or not base.endswith(".pb") or base.startswith("."):
                continue
            kind = KINDS[re.search(r"_(\d)\.pb$", base).group(1)]
            out.append((base, kind, decode(kind, tf.extractfile(m).read())))
    return out


def messages(path: Path) -> list[tuple[str, object]]:
    return [(k, msg) for _, k, msg in members(path)]


def unique(msgs: list[tuple[str, object]]) -> list[tuple[str, object]]:
    out: list[tuple[str, object]] = []
    for km in msgs:
        if km not in out:
            out.append(km)
    return out


def ident(msg) -> tuple:
    return (msg.project, msg.domain, msg.name, msg.version, msg.org)


def entity_id(kind: str, msg):
    return msg.id if kind == "LaunchPlan" else msg.template.id


def compile_bundle(tmp_path: Path, *inputs: Path, extra: tuple = (), name="out.tgz") -> Path:
    target = tmp_path / name
    r = invoke("compile", *inputs, "--bundle", target, *extra)
    assert r.exit_code == 0, r.output
    assert target.is_file()
    return target


def to_yaml(tmp_path: Path, bundle: Path) -> Path:
    out = tmp_path / "yaml"
    r = invoke("convert", "--to", "yaml", "--out", out, bundle)
    assert r.exit_code == 0, r.output
    return out


# flytectl's hydrateSpec, on protobuf messages (register_util.go at flyteidl/v1.16.8)
PATTERNS = {"project": "{{ registration.project }}", "domain": "{{ registration.domain }}",
            "version": "{{ registration.version }}"}


def flytectl_fill(kind: str, msg, project: str, domain: str, version: str):
    msg = type(msg).FromString(msg.SerializeToString())
    fill = {"project": project, "domain": domain, "version": version}

    def identifier(i) -> None:
        for field, value in fill.items():
            if getattr(i, field) in ("", PATTERNS[field]):
                setattr(i, field, value)

    def node(n) -> None:
        target = n.WhichOneof("target")
        if target == "task_node":
            identifier(n.task_node.reference_id)
        elif target == "workflow_node":
            ref = n.workflow_node.WhichOneof("reference")
            identifier(getattr(n.workflow_node, ref))
        elif target == "branch_node":
            ie = n.branch_node.if_else
            node(ie.case.then_node)
            for o in ie.other:
                node(o.then_node)
            if ie.HasField("else_node"):
                node(ie.else_node)
        elif target == "array_node":
            node(n.array_node.node)

    if kind == "TaskSpec":
        identifier(msg.template.id)
    elif kind == "LaunchPlan":
        identifier(msg.id)
        identifier(msg.spec.workflow_id)
    else:
        for t in [msg.template, *msg.sub_workflows]:
            for n in t.nodes:
                node(n)
            if t.HasField("failure_node"):
                node(t.failure_node)
            identifier(t.id)
    return msg


def check_roundtrip(original: list[tuple[str, object]], new: list[tuple[str, object]]) -> int:
    """The rule of the module docstring; the number of launch plans specc added."""
    from google.protobuf import json_format

    from specc.emit.bundle import default_launch_plan
    from specc.frontends.proto import message_class

    orig = unique(original)
    assert len(unique(new)) == len(new), "a message is in the new bundle twice"
    missing = [(k, entity_id(k, m).name) for k, m in orig if (k, m) not in new]
    assert not missing, f"messages of the original missing or changed: {missing}"
    orig_lps = {ident(m.id) for k, m in orig if k == "LaunchPlan"}
    workflows = {ident(m.template.id): m for k, m in new if k == "WorkflowSpec"}
    added = [(k, m) for k, m in new if (k, m) not in orig]
    for kind, m in added:
        assert kind == "LaunchPlan", f"specc added a {kind}: {entity_id(kind, m)}"
        key = ident(m.id)
        assert key in workflows, f"added launch plan {key} is no workflow's default"
        assert key not in orig_lps
        wf = workflows[key]
        want = json_format.ParseDict(
            default_launch_plan({"template": json_format.MessageToDict(wf.template)}),
            message_class("LaunchPlan")())
        assert m == want
        assert m.spec.workflow_id == wf.template.id
    return len(added)


# ---- the round trips ---------------------------------------------------------------------------

@pytest.mark.parametrize("bundle", roundtrip_bundles())
def test_roundtrip_via_yaml(bundle, tmp_path):
    need(bundle)
    new = compile_bundle(tmp_path, to_yaml(tmp_path, bundle))
    check_roundtrip(messages(bundle), messages(new))


@pytest.mark.parametrize("bundle", roundtrip_bundles())
def test_roundtrip_with_registration_fields(bundle, tmp_path):
    need(bundle)
    new = compile_bundle(tmp_path, to_yaml(tmp_path, bundle),
                         extra=("--project", "flytesnacks", "--bundle-domain", "development",
                                "--version", "v7"))
    filled = [(k, flytectl_fill(k, m, "flytesnacks", "development", "v7"))
              for k, m in messages(bundle)]
    got = messages(new)
    check_roundtrip(filled, got)
    for kind, m in got:  # nothing is left empty or a placeholder
        i = entity_id(kind, m)
        assert (i.project, i.domain) == ("flytesnacks", "development"), i
        assert i.version and not i.version.startswith("{{"), i


@pytest.mark.parametrize("bundle", roundtrip_bundles())
def test_bundle_of_the_original_equals_bundle_of_its_yaml(bundle, tmp_path):
    need(bundle)
    a = compile_bundle(tmp_path, bundle, name="a.tgz")
    b = compile_bundle(tmp_path, to_yaml(tmp_path, bundle), name="b.tgz")
    assert a.read_bytes() == b.read_bytes()


def test_placeholders_stay_without_options(tmp_path):
    bundle = need(FLYTECTL / "register" / "valid-register.tgz")
    new = compile_bundle(tmp_path, bundle)
    for kind, m in messages(new):
        i = entity_id(kind, m)
        assert i.project == "{{ registration.project }}"
        assert i.version == "{{ registration.version }}"


def test_only_the_given_fields_are_filled(tmp_path):
    bundle = need(FLYTECTL / "register" / "valid-register.tgz")
    new = compile_bundle(tmp_path, bundle, extra=("--version", "abc"))
    for kind, m in messages(new):
        i = entity_id(kind, m)
        assert (i.project, i.domain, i.version) == (
            "{{ registration.project }}", "{{ registration.domain }}", "abc")


def test_explicit_identifier_fields_are_kept(tmp_path):
    src = tmp_path / "wf.yaml"
    src.write_text(EXPLICIT)
    new = compile_bundle(tmp_path, src, extra=("--project", "p", "--bundle-domain", "d",
                                               "--version", "v9"))
    got = {entity_id(k, m).name: entity_id(k, m) for k, m in messages(new)}
    assert ident(got["t"]) == ("shop", "d", "t", "v1", "")
    assert ident(got["wf"]) == ("p", "d", "wf", "v9", "")
    wf = next(m for k, m in messages(new) if k == "WorkflowSpec")
    assert ident(wf.template.nodes[0].task_node.reference_id) == ("shop", "d", "t", "v1", "")


EXPLICIT = """\
template:
  id: {resourceType: TASK, project: shop, name: t, version: v1}
  type: python-task
  metadata: {runtime: {type: FLYTE_SDK, version: 1.16.0, flavor: python}}
  interface:
    inputs: {variables: {x: {type: {simple: INTEGER}}}}
    outputs: {variables: {o0: {type: {simple: INTEGER}}}}
  container: {image: img, args: [run]}
---
template:
  id: {resourceType: WORKFLOW, name: wf}
  interface:
    inputs: {variables: {x: {type: {simple: INTEGER}}}}
    outputs: {variables: {o0: {type: {simple: INTEGER}}}}
  nodes:
    - id: n0
      taskNode: {referenceId: {resourceType: TASK, project: shop, name: t, version: v1}}
      inputs: [{var: x, binding: {promise: {nodeId: start-node, var: x}}}]
  outputs: [{var: o0, binding: {promise: {nodeId: n0, var: o0}}}]
"""


# ---- pyflyte's default launch plans --------------------------------------------------------------

@pytest.mark.parametrize("module", PYFLYTE)
def test_default_launch_plans_are_pyflytes(module, tmp_path):
    """Without its default launch plans, a pyflyte bundle gets them back from specc, equal to
    pyflyte's (these workflows declare no default values in Python, which specc cannot see)."""
    bundle = FLYTEKIT / "bundles" / f"{module}.tgz"
    folder = tmp_path / "in"
    folder.mkdir()
    removed = []
    wf_names = {m.template.id.name for _, k, m in members(bundle) if k == "WorkflowSpec"}
    with tarfile.open(bundle) as tf:
        for m in tf.getmembers():
            if not m.isfile():
                continue
            blob = tf.extractfile(m).read()
            base = m.name.rsplit("/", 1)[-1]
            if base.endswith("_3.pb") and decode("LaunchPlan", blob).id.name in wf_names:
                removed.append(decode("LaunchPlan", blob))
                continue
            (folder / base).write_bytes(blob)
    assert removed
    new = messages(compile_bundle(tmp_path, folder))
    for lp in removed:
        assert ("LaunchPlan", lp) in new, lp.id.name


def test_default_launch_plan_of_an_optional_input():
    from specc.emit.bundle import default_launch_plan

    opt = {"type": {"unionType": {"variants": [{"simple": "STRING", "structure": {"tag": "str"}},
                                               {"simple": "NONE", "structure": {"tag": "none"}}]}}}
    lp = default_launch_plan({"template": {
        "id": {"resourceType": "WORKFLOW", "project": "p", "name": "w", "version": "1"},
        "interface": {"inputs": {"variables": {"a": {"type": {"simple": "INTEGER"}},
                                               "b": opt}}}}})
    assert lp["id"] == {"resourceType": "LAUNCH_PLAN", "project": "p", "name": "w", "version": "1"}
    params = lp["spec"]["defaultInputs"]["parameters"]
    assert params["a"] == {"var": {"type": {"simple": "INTEGER"}}, "required": True}
    assert params["b"] == {"var": opt, "default": {"scalar": {"noneType": {}}}}
    assert lp["spec"]["fixedInputs"] == {}


# ---- layout and order ------------------------------------------------------------------------

@pytest.mark.parametrize("bundle", roundtrip_bundles())
def test_layout_and_order(bundle, tmp_path):
    need(bundle)
    new = compile_bundle(tmp_path, bundle)
    with tarfile.open(new) as tf:
        infos = tf.getmembers()
    names = [i.name for i in infos]
    assert names == sorted(names)
    width = math.ceil(math.log(len(names), 10))  # pyflyte's _determine_text_chars
    got = members(new)
    position: dict[tuple, int] = {}
    for i, (name, kind, msg) in enumerate(got):
        m = _MEMBER.match(name)
        assert m, name
        assert m.group(1) == str(i).zfill(width)
        assert KINDS[m.group(3)] == kind
        assert m.group(2) == entity_id(kind, msg).name
        position[(kind, ident(entity_id(kind, msg)))] = i
    first_wf = min((i for i, (_, k, _) in enumerate(got) if k == "WorkflowSpec"), default=0)
    last_task = max((i for i, (_, k, _) in enumerate(got) if k == "TaskSpec"), default=-1)
    assert last_task < first_wf, "a task after a workflow"
    called_lps = set()
    for i, (_, kind, msg) in enumerate(got):
        if kind == "WorkflowSpec":
            for t in [msg.template, *msg.sub_workflows]:
                for n in _all_nodes(t):
                    if n.WhichOneof("target") != "workflow_node":
                        continue
                    ref = n.workflow_node.WhichOneof("reference")
                    rk = ("WorkflowSpec" if ref == "sub_workflow_ref" else "LaunchPlan",
                          ident(getattr(n.workflow_node, ref)))
                    if rk[0] == "LaunchPlan":
                        called_lps.add(rk[1])
                    if rk in position:
                        assert position[rk] < i, f"{rk} after {msg.template.id.name}"
        elif kind == "LaunchPlan":
            wk = ("WorkflowSpec", ident(msg.spec.workflow_id))
            if wk in position:
                assert position[wk] < i
    last_wf = max((i for i, (_, k, _) in enumerate(got) if k == "WorkflowSpec"), default=-1)
    for i, (_, kind, msg) in enumerate(got):
        if kind == "LaunchPlan" and ident(msg.id) not in called_lps:
            assert i > last_wf, f"launch plan {msg.id.name} before a workflow"


def _all_nodes(template):
    stack = list(template.nodes) + ([template.failure_node]
                                     if template.HasField("failure_node") else [])
    while stack:
        n = stack.pop()
        yield n
        if n.HasField("branch_node"):
            ie = n.branch_node.if_else
            stack.append(ie.case.then_node)
            stack.extend(o.then_node for o in ie.other)
            if ie.HasField("else_node"):
                stack.append(ie.else_node)
        if n.HasField("array_node"):
            stack.append(n.array_node.node)


def test_launch_plan_a_workflow_calls_comes_before_it(tmp_path):
    bundle = need(FLYTECTL / "compile" / "launchplan-in-wf.tgz")
    names = [n for n, _, _ in members(compile_bundle(tmp_path, bundle))]
    assert names == ["0_workflows.wf.my_task_1.pb", "1_workflows.wf.inner_workflow_2.pb",
                     "2_name_override_3.pb", "3_workflows.wf.outer_workflow_2.pb",
                     "4_workflows.wf.inner_workflow_3.pb", "5_workflows.wf.outer_workflow_3.pb"]


def test_index_width_is_pyflytes():
    from specc.emit.bundle import index_width

    assert [index_width(n) for n in (1, 2, 10, 11, 100, 101, 1000)] == [0, 1, 1, 2, 2, 3, 3]


def test_large_bundle_has_two_digit_indices(tmp_path):
    bundle = need(FLYTECTL / "register" / "flytesnacks-core.tgz")
    names = [n for n, _, _ in members(compile_bundle(tmp_path, bundle))]
    assert len(names) > 10 and all(re.match(r"^\d\d_", n) for n in names)


# ---- reproducible ------------------------------------------------------------------------------

@pytest.mark.parametrize("bundle", roundtrip_bundles())
def test_two_runs_same_sha256(bundle, tmp_path):
    need(bundle)
    a = compile_bundle(tmp_path, bundle, name="a.tgz")
    b = compile_bundle(tmp_path, bundle, name="b.tgz")
    assert hashlib.sha256(a.read_bytes()).hexdigest() == hashlib.sha256(b.read_bytes()).hexdigest()


def test_same_sha256_from_yaml_and_json_and_reordered_keys(tmp_path):
    """The bundle depends on the messages only: not on the encoding or the spelling."""
    bundle = FLYTEKIT / "bundles" / "chain.tgz"
    y = to_yaml(tmp_path, bundle)
    j = tmp_path / "json"
    assert invoke("convert", "--to", "json", "--out", j, bundle).exit_code == 0
    from ruamel.yaml import YAML

    shuffled = tmp_path / "shuffled"
    shuffled.mkdir()
    yl = YAML(typ="safe", pure=True)
    for f in sorted(y.iterdir()):
        data = yl.load(f.read_text())
        (shuffled / f.name).write_text(_dump_reversed(data))
    shas = {hashlib.sha256(compile_bundle(tmp_path, d, name=f"{d.name}.tgz").read_bytes())
            .hexdigest() for d in (y, j, shuffled)}
    assert len(shas) == 1


def _dump_reversed(data) -> str:
    import json

    def rev(v):
        if isinstance(v, dict):
            return {k: rev(v[k]) for k in reversed(list(v))}
        if isinstance(v, list):
            return [rev(x) for x in v]
        return v

    return json.dumps(rev(data))


def test_archive_metadata(tmp_path):
    new = compile_bundle(tmp_path, FLYTEKIT / "bundles" / "subworkflows.tgz")
    raw = new.read_bytes()
    assert raw[:2] == b"\x1f\x8b"
    flags, mtime = raw[3], int.from_bytes(raw[4:8], "little")
    assert mtime == 0 and not flags & 0x08, "gzip header has a time or a file name"
    with tarfile.open(fileobj=io.BytesIO(gzip.decompress(raw))) as tf:
        for info in tf.getmembers():
            assert info.isreg()
            assert (info.mtime, info.uid, info.gid, info.uname, info.gname, info.mode) == (
                0, 0, 0, "", "", 0o644), info.name
            assert "/" not in info.name


# ---- other inputs ------------------------------------------------------------------------------

def test_bundle_of_yaml_specs_compiles_to_the_same_closures(tmp_path):
    """A WorkflowClosure (workflow plus tasks) becomes task specs, a workflow spec and its default
    launch plan, and the bundle compiles to the closures the JSON did."""
    src = need(CONFORMANCE / "flyte-compiler" / "branch")
    for f in sorted(src.glob("*.json")):
        new = compile_bundle(tmp_path, f, name=f"{f.stem}.tgz")
        kinds = [k for k, _ in messages(new)]
        assert kinds[-1] == "LaunchPlan" and "WorkflowSpec" in kinds
        before, after = closures(f), closures(new)
        assert before.keys() == after.keys()
        for name, a in before.items():
            b = after[name]
            assert a.primary == b.primary and list(a.sub_workflows) == list(b.sub_workflows)
            # a WorkflowClosure's closure has every task it was given, in its order; a
            # registered workflow's has the tasks it uses, in Flyte's requirement order
            assert all(t in a.tasks for t in b.tasks), f.name


def closures(*paths: Path) -> dict:
    """Workflow name -> its compiled closure as a message."""
    from flyteidl.core import compiler_pb2
    from google.protobuf import json_format

    from tests.conftest import compile_paths

    result = compile_paths(*paths, closures=True)
    assert not result.errors, [d.message for d in result.diagnostics]
    return {wf.id.name: json_format.ParseDict(c, compiler_pb2.CompiledWorkflowClosure())
            for wf, c in result.closures}


def test_sub_workflows_are_added_to_a_bare_template(tmp_path):
    """Admin compiles a workflow with the sub-workflows its spec carries: a workflow given as a
    bare template gets every sub-workflow it reaches."""
    src = tmp_path / "specs.yaml"
    src.write_text(SUB)
    new = messages(compile_bundle(tmp_path, src))
    specs = {m.template.id.name: m for k, m in new if k == "WorkflowSpec"}
    assert [s.id.name for s in specs["parent"].sub_workflows] == ["child"]
    assert not specs["child"].sub_workflows
    names = [entity_id(k, m).name for k, m in new]
    assert names.index("child") < names.index("parent")
    plans = [n for n, (k, _) in zip(names, new, strict=True) if k == "LaunchPlan"]
    assert plans == ["child", "parent"]


SUB = """\
id: {resourceType: TASK, name: t}
type: python-task
metadata: {runtime: {type: FLYTE_SDK, version: 1.16.0, flavor: python}}
interface:
  inputs: {variables: {x: {type: {simple: INTEGER}}}}
  outputs: {variables: {o0: {type: {simple: INTEGER}}}}
container: {image: img, args: [run]}
---
id: {resourceType: WORKFLOW, name: parent}
interface:
  inputs: {variables: {x: {type: {simple: INTEGER}}}}
  outputs: {variables: {o0: {type: {simple: INTEGER}}}}
nodes:
  - id: n0
    workflowNode: {subWorkflowRef: {resourceType: WORKFLOW, name: child}}
    inputs: [{var: x, binding: {promise: {nodeId: start-node, var: x}}}]
outputs: [{var: o0, binding: {promise: {nodeId: n0, var: o0}}}]
---
id: {resourceType: WORKFLOW, name: child}
interface:
  inputs: {variables: {x: {type: {simple: INTEGER}}}}
  outputs: {variables: {o0: {type: {simple: INTEGER}}}}
nodes:
  - id: n0
    taskNode: {referenceId: {resourceType: TASK, name: t}}
    inputs: [{var: x, binding: {promise: {nodeId: start-node, var: x}}}]
outputs: [{var: o0, binding: {promise: {nodeId: n0, var: o0}}}]
"""


# ---- nothing written on errors -------------------------------------------------------------------

def test_errors_write_nothing(tmp_path):
    bad = need(FLYTECTL / "compile" / "bad-workflow-package.tgz")
    target = tmp_path / "out" / "b.tgz"
    r = invoke("compile", bad, "--bundle", target)
    assert r.exit_code == 1
    assert "MismatchingTypes" in r.output or "SPC4" in r.output
    assert not target.exists()
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_errors_leave_an_existing_bundle_alone(tmp_path):
    target = tmp_path / "b.tgz"
    target.write_bytes(b"previous")
    bad = tmp_path / "bad.yaml"
    bad.write_text(EXPLICIT.replace("simple: INTEGER}}}}\n  container", "simple: STRING}}}}\n"
                                                                          "  container"))
    r = invoke("compile", bad, "--bundle", target)
    assert r.exit_code == 1, r.output
    assert target.read_bytes() == b"previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.tgz", "bad.yaml"]


def test_hostile_archive_writes_nothing(tmp_path):
    corrupt = need(FLYTECTL / "compile" / "invalidworkflow.tgz")
    target = tmp_path / "b.tgz"
    assert invoke("compile", corrupt, "--bundle", target).exit_code == 1
    assert not target.exists()


def test_fill_options_need_bundle(tmp_path):
    r = invoke("compile", FLYTEKIT / "bundles" / "chain.tgz", "--project", "p")
    assert r.exit_code == 2
    assert "--bundle" in r.output


def test_nothing_to_bundle_is_a_usage_error(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    r = invoke("compile", empty, "--bundle", tmp_path / "b.tgz")
    assert r.exit_code == 2
    assert not (tmp_path / "b.tgz").exists()


def test_written_file_is_readable_and_atomic(tmp_path):
    target = tmp_path / "deep" / "er" / "b.tgz"
    compile_bundle(tmp_path, FLYTEKIT / "bundles" / "chain.tgz", name="deep/er/b.tgz")
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o644 & ~umask
    assert [p.name for p in target.parent.iterdir()] == ["b.tgz"]
