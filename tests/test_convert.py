"""``specc convert``: the same flyteidl documents as YAML, JSON or protobuf, one file per document.

Every bundle of the round trips (``tests/test_bundle_out.py``) converted to YAML and to JSON
compiles to the same closures as the bundle, and converted back to ``.pb`` gives the same messages;
names follow pyflyte's; the output is deterministic; inputs with errors are refused whole.
"""
from __future__ import annotations

import json
import tarfile
from pathlib import Path

import pytest

from tests.conftest import CONFORMANCE, REPO, need
from tests.test_bundle_out import FLYTEKIT, closures, invoke, members, messages, roundtrip_bundles


def convert(to: str, out: Path, *inputs: Path) -> list[Path]:
    r = invoke("convert", "--to", to, "--out", out, *inputs)
    assert r.exit_code == 0, r.output
    return sorted(out.iterdir())


@pytest.mark.parametrize("to", ["yaml", "json"])
@pytest.mark.parametrize("bundle", roundtrip_bundles())
def test_converted_compiles_to_the_same_closures(bundle, to, tmp_path):
    need(bundle)
    files = convert(to, tmp_path / to, bundle)
    assert len(files) == len(members(bundle))
    assert closures(tmp_path / to) == closures(bundle)


@pytest.mark.parametrize("bundle", roundtrip_bundles())
def test_yaml_back_to_pb_gives_the_same_messages(bundle, tmp_path):
    need(bundle)
    convert("yaml", tmp_path / "y", bundle)
    pbs = convert("pb", tmp_path / "pb", tmp_path / "y")
    original = {name: (kind, msg) for name, kind, msg in members(bundle)}
    assert sorted(p.name for p in pbs) == sorted(original)
    from specc.frontends.proto import decode

    for p in pbs:
        kind, msg = original[p.name]
        assert decode(p.read_bytes(), kind) == msg, p.name
        assert p.read_bytes() == msg.SerializeToString(deterministic=True)


def test_names_keep_pyflytes(tmp_path):
    bundle = need(CONFORMANCE / "flytectl" / "register" / "flytesnacks-core.tgz")
    files = convert("json", tmp_path / "j", bundle)
    with tarfile.open(bundle) as tf:
        want = sorted(m.name.rsplit("/", 1)[-1][:-3] + ".json" for m in tf.getmembers()
                      if m.isfile() and m.name.endswith(".pb"))
    assert [f.name for f in files] == want  # the nested folder is flattened


def test_yaml_names_and_kinds(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "tasks.yaml").write_text((REPO / "examples" / "flyteidl" / "tasks.yaml").read_text())
    (src / "pipeline.yaml").write_text(
        (REPO / "examples" / "flyteidl" / "pipeline.yaml").read_text())
    (src / "one.json").write_text(json.dumps({"template": json.loads(BARE_TASK_JSON)}))
    ys = convert("yaml", tmp_path / "y", src)
    want = ["one.yaml"]
    for stem in ("pipeline", "tasks"):  # several documents: <stem>_<n>
        n = (src / f"{stem}.yaml").read_text().count("\n---") + 1
        assert n > 1
        want += [f"{stem}_{i}.yaml" for i in range(n)]
    assert [f.name for f in ys] == want
    pbs = convert("pb", tmp_path / "pb", src)
    assert all(p.name.endswith(("_1.pb", "_2.pb", "_3.pb")) for p in pbs)
    assert "tasks_0_1.pb" in [p.name for p in pbs]
    # and the .pb files read back: compile them to the same closures
    assert closures(tmp_path / "pb") == closures(src)


def test_bare_templates_become_specs_in_pb(tmp_path):
    src = tmp_path / "t.yaml"
    src.write_text(BARE_TASK)
    (pb,) = convert("pb", tmp_path / "pb", src)
    assert pb.name == "t_1.pb"
    from specc.frontends.proto import decode

    msg = decode(pb.read_bytes(), "TaskSpec")
    assert msg.template.id.name == "t" and msg.template.type == "python-task"


BARE_TASK_JSON = json.dumps({"id": {"resourceType": "TASK", "name": "one"}, "type": "python-task",
                             "metadata": {"runtime": {"type": "FLYTE_SDK", "version": "1.16.0"}},
                             "interface": {}, "container": {"image": "img", "args": ["run"]}})
BARE_TASK = """\
id: {resourceType: TASK, name: t}
type: python-task
metadata: {runtime: {type: FLYTE_SDK, version: 1.16.0}}
interface: {}
container: {image: img, args: [run]}
"""


def test_workflow_closure_is_not_written_as_pb(tmp_path):
    src = need(CONFORMANCE / "flyte-compiler" / "branch" / "success_1.json")
    r = invoke("convert", "--to", "pb", "--out", tmp_path / "pb", src)
    assert r.exit_code == 1  # reported at the document (SPC026)
    assert "SPC026" in r.output and "WorkflowClosure" in r.output and "--bundle" in r.output
    assert not (tmp_path / "pb").exists()
    # as YAML it converts, and compiles to the same closure
    convert("yaml", tmp_path / "y", src)
    assert closures(tmp_path / "y") == closures(src)


def test_canonical_form_and_field_order(tmp_path):
    """snake_case in, camelCase out; fields in protobuf's order; maps sorted; defaults dropped."""
    src = tmp_path / "t.yaml"
    src.write_text(SNAKE)
    (out,) = convert("json", tmp_path / "j", src)
    data = json.loads(out.read_text())
    assert list(data) == ["template"]
    t = data["template"]
    assert list(t) == ["id", "type", "metadata", "interface", "container"]  # field numbers
    assert t["metadata"] == {"runtime": {"type": "FLYTE_SDK"}, "retries": {"retries": 2}}
    assert list(t["interface"]["inputs"]["variables"]) == ["a", "b"]  # a map, sorted
    assert t["container"]["resources"]["requests"][0] == {"name": "CPU", "value": "1"}
    (y,) = convert("yaml", tmp_path / "y", src)
    text = y.read_text()
    assert text.startswith("template:\n  id:\n    resourceType: TASK\n")
    assert "{" not in text.replace("{}", "")  # block style
    assert "discoverable" not in text  # a default (false) is left out


SNAKE = """\
template:
  container:
    image: img
    args: [run]
    resources: {requests: [{name: 1, value: "1"}]}
  interface:
    inputs:
      variables:
        b: {type: {simple: STRING}}
        a: {type: {simple: INTEGER}}
  metadata: {retries: {retries: 2}, runtime: {type: 1}, discoverable: false}
  type: python-task
  id: {resource_type: TASK, name: t}
"""


def test_yaml_quotes_what_readers_could_mistake(tmp_path):
    from ruamel.yaml import YAML

    from specc.convert import dump_yaml

    data = {"a": "yes", "b": "on", "c": "1.5", "d": "null", "e": "two\nlines\n", "f": "0o17",
            "g": "", "h": "~", "i": "1e3"}
    text = dump_yaml(data)
    assert "a: 'yes'" in text and "b: 'on'" in text
    assert "e: |\n" in text
    assert YAML(typ="safe", pure=True).load(text) == data
    import yaml as pyyaml  # a YAML 1.1 reader

    assert pyyaml.safe_load(text) == data


def test_deterministic(tmp_path):
    bundle = FLYTEKIT / "bundles" / "arrays.tgz"
    for to in ("yaml", "json", "pb"):
        a = convert(to, tmp_path / f"{to}1", bundle)
        b = convert(to, tmp_path / f"{to}2", bundle)
        assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]


def test_errors_refuse_everything(tmp_path):
    good = FLYTEKIT / "bundles" / "chain.tgz"
    bad = tmp_path / "bad.yaml"
    bad.write_text("template:\n  id: {name: t}\n  type: python-task\n  bogus: 1\n")
    out = tmp_path / "out"
    r = invoke("convert", "--to", "yaml", "--out", out, good, bad)
    assert r.exit_code == 1
    assert "SPC101" in r.output and "bad.yaml:4:3" in r.output
    assert not out.exists()


def test_semantic_errors_do_not_block(tmp_path):
    """Conversion needs the schema only: a workflow with a type error converts (to be fixed)."""
    bad = need(CONFORMANCE / "flytectl" / "compile" / "bad-workflow-package.tgz")
    files = convert("yaml", tmp_path / "y", bad)
    assert len(files) == len(members(bad))
    r = invoke("compile", tmp_path / "y", "--bundle", tmp_path / "b.tgz")
    assert r.exit_code == 1 and "SPC4" in r.output


def test_name_clash_is_a_usage_error(tmp_path):
    for d in ("a", "b"):
        (tmp_path / d).mkdir()
        (tmp_path / d / "t.yaml").write_text(BARE_TASK)
    r = invoke("convert", "--to", "json", "--out", tmp_path / "out", tmp_path / "a",
               tmp_path / "b")
    assert r.exit_code == 2
    assert "t.json" in r.output
    assert not (tmp_path / "out").exists()


def test_never_overwrites_an_input(tmp_path):
    src = tmp_path / "t.yaml"
    src.write_text(BARE_TASK)
    r = invoke("convert", "--to", "yaml", "--out", tmp_path, src)
    assert r.exit_code == 2
    assert src.read_text() == BARE_TASK


def test_converted_messages_equal_the_originals(tmp_path):
    """JSON read back through protobuf's own parser gives the original messages."""
    from google.protobuf import json_format

    from specc.frontends.proto import message_class

    bundle = FLYTEKIT / "bundles" / "launchplans.tgz"
    convert("json", tmp_path / "j", bundle)
    for name, kind, msg in members(bundle):
        data = json.loads((tmp_path / "j" / (name[:-3] + ".json")).read_text())
        assert json_format.ParseDict(data, message_class(kind)()) == msg
    assert messages(bundle)


def test_the_dialect_check_does_not_walk_what_it_copied(tmp_path, monkeypatch):
    """``convert --to specc`` lowers what it writes back to check it; a value copied as it is
    (a task's custom settings, which YAML aliases can make huge) is compared once, not walked
    item by item (the fuzzer's slow input, kept in fuzz/regressions/convert/)."""
    from specc import convert
    from specc.dialect.lower import overlay

    case = REPO / "fuzz/regressions/convert/slow-aliases-expanded-in-the-dialect"
    src = tmp_path / "spec.yaml"
    src.write_bytes(case.read_bytes()[1:])  # the first byte picks the input form: YAML
    calls = [0]
    real = overlay.close_map

    def counting(lw, v, pointer):
        calls[0] += 1
        return real(lw, v, pointer)

    monkeypatch.setattr(overlay, "close_map", counting)
    result = convert.convert_paths([src], "specc", tmp_path / "out")
    assert result.exit_code == 0 and len(result.written) == 1
    # 1,500,000 values once the aliases are expanded; the walk stops at the copied ones
    assert 0 < calls[0] < 1000
