"""check-schema: Flyte's proto3-JSON in any spelling normalises to protobuf's own JSON form."""
from __future__ import annotations

import json

import pytest

from specc import driver
from specc.diagnostics import Sink
from specc.frontends import Limits, load_file
from specc.passes.check_schema import check_schema, detect_kind
from tests.conftest import CONFORMANCE, need

SNACKS = CONFORMANCE / "flyte-compiler" / "snacks-core"
KINDS = {"1": "TaskSpec", "2": "WorkflowSpec", "3": "LaunchPlan"}


def _check(tmp_path, text: str, name: str = "doc.yaml"):
    p = tmp_path / name
    p.write_text(text)
    docs, diags = load_file(p, Limits())
    sink = Sink()
    sink.extend(diags)
    report = sink.reporter("check-schema")
    checked = [check_schema(doc, report) for doc in docs]
    return [c for c in checked if c is not None], sink.sorted()


def test_every_corpus_document_normalises_from_snake_case_and_enum_numbers(tmp_path):
    """pb -> snake_case JSON with enum numbers -> specc -> camelCase JSON equal to protobuf's
    MessageToDict of the same message."""
    from google.protobuf import json_format

    from specc.frontends.proto import decode

    files = sorted(need(SNACKS).glob("*.pb"))
    assert len(files) == 183
    for f in files:
        kind = KINDS[f.stem[-1]]
        msg = decode(f.read_bytes(), kind)
        snake = json_format.MessageToDict(msg, preserving_proto_field_name=True,
                                          use_integers_for_enums=True)
        text = json.dumps(snake)
        docs, diags = _check(tmp_path, text, f"{f.stem}.json")
        assert diags == [], (f.name, diags[:2])
        assert docs[0].kind == kind
        assert docs[0].data == json_format.MessageToDict(msg), f.name


@pytest.mark.parametrize("text,expected", [
    ("template: {id: {resource_type: 1, name: t}, type: python, retries: 3}", None),
    ("{template: {id: {name: t}, type: python, metadata: {retries: {retries: 3}}}}",
     {"template": {"id": {"name": "t"}, "type": "python",
                   "metadata": {"retries": {"retries": 3}}}}),
    ("{template: {id: {name: t, resourceType: TASK}, type: x, "
     "metadata: {timeout: 1.50s, interruptible: false}}}",
     {"template": {"id": {"name": "t", "resourceType": "TASK"}, "type": "x",
                   # interruptible is a oneof member: set to false is still set
                   "metadata": {"timeout": "1.500s", "interruptible": False}}}),
])
def test_normalisation_table(tmp_path, text, expected):
    docs, diags = _check(tmp_path, text)
    if expected is None:
        assert [d.code for d in diags] == ["SPC101"]  # 'retries' is not a TaskTemplate field
        assert "did you mean" not in diags[0].message or "'" in diags[0].message
    else:
        assert diags == []
        assert docs[0].data == expected


@pytest.mark.parametrize("text,code,line,col", [
    ("template:\n  id: {name: t}\n  type: python\n  containr: {}\n", "SPC101", 4, 3),
    ("template:\n  id: {name: t}\n  type: [python]\n", "SPC102", 3, 9),
    ("template:\n  id: {name: t, resourceType: TASKS}\n  type: x\n", "SPC104", 2, 31),
    ("template:\n  id: {name: t}\n  type: x\n  container: {image: i}\n  k8sPod: {}\n",
     "SPC103", 5, 3),
    ("template:\n  id: {name: t}\n  type: x\n  taskTypeVersion: 1\n  task_type_version: 2\n",
     "SPC105", 5, 3),
    ("template:\n  id: {name: t}\n  type: x\n  metadata: {timeout: 5m}\n", "SPC102", 4, 23),
    ("template:\n  id: {name: t, version: \"3\"}\n  type: x\n"
     "  metadata: {retries: {retries: -1}}\n",
     "SPC102", 4, 33),
    ("name: x\n", "SPC008", 1, 1),
    ("- a\n", "SPC010", 1, 1),
])
def test_rejections_are_reported_at_the_key_or_value(tmp_path, text, code, line, col):
    _, diags = _check(tmp_path, text)
    assert [d.code for d in diags] == [code], diags
    assert (diags[0].span.line, diags[0].span.column) == (line, col)


@pytest.mark.parametrize("data,kind", [
    ({"workflow": {}}, "WorkflowClosure"),
    ({"spec": {"workflowId": {}}}, "LaunchPlan"),
    ({"closure": {"compiledTask": {}}}, "Task"),
    ({"closure": {"compiledWorkflow": {}}}, "Workflow"),
    ({"template": {"nodes": []}}, "WorkflowSpec"),
    ({"template": {}, "sub_workflows": []}, "WorkflowSpec"),
    ({"template": {"type": "python"}}, "TaskSpec"),
    ({"nodes": []}, "WorkflowTemplate"),
    ({"container": {}}, "TaskTemplate"),
    ({"template": {"type": "x", "nodes": []}}, None),
    ({"template": {}}, None),
    ({"id": {}}, None),
])
def test_detect_kind(data, kind):
    assert detect_kind(data)[0] == kind


def test_int64_as_number_or_string(tmp_path):
    text = ("template: {id: {name: wf}, nodes: [{id: n, taskNode: {referenceId: {name: t}}, "
            "inputs: [{var: x, binding: {scalar: {primitive: {integer: %s}}}}]}]}")
    as_number, _ = _check(tmp_path, text % "12")
    as_string, _ = _check(tmp_path, text % '"12"')
    lit = as_number[0].data["template"]["nodes"][0]["inputs"][0]["binding"]["scalar"]
    assert lit == {"primitive": {"integer": "12"}}
    assert as_number[0].data == as_string[0].data


def test_limits_are_diagnostics(tmp_path):
    p = tmp_path / "big.yaml"
    p.write_text("a: 1\n" * 10)
    r = driver.compile_paths(driver.Options(paths=[p], limits=Limits(max_file_bytes=10)))
    assert [d.code for d in r.diagnostics] == ["SPC007"]


def test_the_canonical_form_shares_what_the_document_has_right_already(tmp_path):
    """What a spec writes in the canonical form already is not copied: its canonical form is
    made of the document's own dicts and lists there (half the memory on big workflows); what
    check-schema changes (a snake_case key, an integer given as a number) is new data, up to the
    document's root, and the document stays as read."""
    from tests.conftest import REPO

    text = (REPO / "examples/flyteidl/pipeline.yaml").read_text()
    assert "integer: 10}" in text  # a number where the canonical form has a string
    p = tmp_path / "pipeline.yaml"
    p.write_text(text)
    docs, _ = load_file(p, Limits())
    wf = next(d for d in docs if "template" in d.data and "nodes" in d.data["template"])
    before = json.dumps(wf.data, sort_keys=True)
    c = check_schema(wf, Sink().reporter("check-schema"))
    assert c is not None
    got, had = c.data["template"], wf.data["template"]
    assert got["interface"] is had["interface"] and got["nodes"][0] is had["nodes"][0]
    assert got["nodes"][1] is not had["nodes"][1] and got is not had
    assert got["nodes"][1]["inputs"][1]["binding"]["scalar"]["primitive"]["integer"] == "10"
    assert got["nodes"][1]["inputs"][0] is had["nodes"][1]["inputs"][0]
    assert json.dumps(wf.data, sort_keys=True) == before

    snake = json.loads(before)
    snake["template"]["nodes"][0]["upstream_node_ids"] = ["x"]
    (tmp_path / "snake.json").write_text(json.dumps(snake))
    (doc,), _ = load_file(tmp_path / "snake.json", Limits())
    c2 = check_schema(doc, Sink().reporter("check-schema"))
    assert c2 is not None
    assert c2.data["template"]["nodes"][0]["upstreamNodeIds"] == ["x"]
    assert "upstream_node_ids" in doc.data["template"]["nodes"][0]  # the document as read
    assert c2.data["template"]["interface"] is doc.data["template"]["interface"]
