"""The generated JSON Schemas (schemas/flyteidl/): up to date, valid, accept Flyte's corpus, reject.

The corpus documents are validated in both spellings protobuf prints (camelCase from
``MessageToDict`` and snake_case with ``preserving_proto_field_name=True``).
"""
from __future__ import annotations

import copy
import importlib.util
import json
from functools import cache, lru_cache
from pathlib import Path

import pytest

from tests.conftest import CONFORMANCE, REPO, need

SCHEMAS = REPO / "schemas" / "flyteidl"
CORPUS = CONFORMANCE / "flyte-compiler"
SNACKS = CORPUS / "snacks-core"
BRANCH = CORPUS / "branch"
APP_YAML = CORPUS / "app-workflows-work-one-python-task-w-f.yaml"


@lru_cache(maxsize=1)
def _gen():
    """scripts/gen_schemas.py, loaded in-process (scripts/ is not a package)."""
    path = REPO / "scripts" / "gen_schemas.py"
    spec = importlib.util.spec_from_file_location("gen_schemas", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@cache
def validator(kind: str):
    import jsonschema

    schema = json.loads((SCHEMAS / f"{kind}.schema.json").read_text())
    return jsonschema.Draft202012Validator(schema)


def _errors(kind: str, doc) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}"
            for e in validator(kind).iter_errors(doc)]


# -- generated files ----------------------------------------------------------------------------
def test_schemas_up_to_date():
    problems = _gen().stale()
    assert problems == [], "run python scripts/gen_schemas.py:\n" + "\n".join(problems)


def test_kinds_match_table():
    from specc.table import KIND_MESSAGES

    gen = _gen()
    assert gen.KIND_MESSAGES == KIND_MESSAGES
    index = json.loads((SCHEMAS / "index.json").read_text())
    assert {k: v["file"] for k, v in index["kinds"].items()} == {
        k: f"{k}.schema.json" for k in KIND_MESSAGES}


@pytest.mark.parametrize("kind", sorted(_gen().KIND_MESSAGES))
def test_schema_is_valid_draft_2020_12(kind):
    import jsonschema

    schema = json.loads((SCHEMAS / f"{kind}.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$id"] == f"https://specc.dev/schemas/flyteidl/{kind}.schema.json"
    assert schema["title"] and schema["description"]
    root = schema["$ref"].removeprefix("#/$defs/")
    assert root in schema["$defs"] and root in schema["description"]
    for name, d in schema["$defs"].items():
        for prop, p in d.get("properties", {}).items():
            if name.startswith("flyteidl."):
                assert p.get("description", "").startswith(name + "."), (name, prop)


# -- the corpus is accepted ---------------------------------------------------------------------
_PB_KINDS = {
    "_1.pb": ("TaskSpec", "flyteidl.admin.task_pb2", "TaskSpec"),
    "_2.pb": ("WorkflowSpec", "flyteidl.admin.workflow_pb2", "WorkflowSpec"),
    "_3.pb": ("LaunchPlan", "flyteidl.admin.launch_plan_pb2", "LaunchPlan"),
}


def _pb_kind(path: Path):
    import importlib

    for suffix, (kind, module, cls) in _PB_KINDS.items():
        if path.name.endswith(suffix):
            return kind, getattr(importlib.import_module(module), cls)
    raise AssertionError(f"{path.name}: no document kind for this suffix")


def test_snacks_core_accepted():
    from google.protobuf import json_format

    pbs = sorted(need(SNACKS).glob("*.pb"))
    assert pbs
    failures = []
    kinds = set()
    for path in pbs:
        kind, cls = _pb_kind(path)
        kinds.add(kind)
        msg = cls.FromString(path.read_bytes())
        for snake in (False, True):
            doc = json_format.MessageToDict(msg, preserving_proto_field_name=snake)
            errs = _errors(kind, doc)
            if errs:
                failures.append(f"{path.name} ({'snake' if snake else 'camel'}): {errs[:3]}")
    assert kinds == {"TaskSpec", "WorkflowSpec", "LaunchPlan"}
    assert failures == [], "\n".join(failures[:20])


def test_branch_closures_accepted():
    files = sorted(p for p in need(BRANCH).glob("*.json"))
    assert files
    failures = {p.name: e for p in files if (e := _errors("WorkflowClosure",
                                                          json.loads(p.read_text())))}
    assert failures == {}


def test_app_workflow_yaml_accepted():
    from ruamel.yaml import YAML

    doc = YAML(typ="safe").load(need(APP_YAML).read_text())
    assert _errors("WorkflowClosure", doc) == []


# -- liberties of proto3 JSON are accepted ------------------------------------------------------
def _task(**template) -> dict:
    base = {"id": {"resourceType": "TASK", "name": "t"}, "type": "python-task"}
    base.update(template)
    return {"template": base}


def _prim(**primitive) -> dict:
    return {"nodes": [{"id": "n", "taskNode": {"referenceId": {"name": "t"}},
                       "inputs": [{"var": "x", "binding": {"scalar": {"primitive": primitive}}}]}]}


ACCEPT = {
    "snake_case names": ("TaskSpec", {"template": {"id": {"resource_type": "TASK"},
                                                   "task_type_version": 2}}),
    "enum by number": ("TaskSpec", _task(id={"resourceType": 1})),
    "null means unset": ("TaskSpec", {"template": {"container": None, "metadata": None}}),
    "null oneof member beside a set one": (
        "WorkflowTemplate", {"nodes": [{"id": "n", "taskNode": None, "workflowNode": {}}]}),
    "int64 as a digit string": ("WorkflowTemplate", _prim(integer="-5")),
    "int64 as an integer": ("WorkflowTemplate", _prim(integer=5)),
    "double as a number": ("WorkflowTemplate", _prim(floatValue=1.5)),
    "double as NaN": ("WorkflowTemplate", _prim(float_value="NaN")),
    "double as a numeric string": ("WorkflowTemplate", _prim(floatValue="1e-3")),
    "timestamp": ("WorkflowTemplate", _prim(datetime="2024-01-31T12:00:00.5+01:00")),
    "uint32 and duration and wrapper": (
        "TaskSpec", _task(metadata={"retries": {"retries": "3"}, "timeout": "1.5s",
                                    "discoverable": True, "generatesDeck": False})),
    "struct and int32 as string": ("TaskSpec", _task(custom={"a": [1, {"b": None}]},
                                                     taskTypeVersion="3")),
    "map of strings, repeated messages": (
        "TaskSpec", _task(container={"image": "x", "resources": {"requests": [
            {"name": "CPU", "value": "1"}]}}, config={"k": "v"})),
    "bytes as base64": ("LaunchPlan", {"spec": {"defaultInputs": {"parameters": {"p": {
        "default": {"scalar": {"binary": {"value": "aGk=", "tag": "t"}}}}}}}}),
}


@pytest.mark.parametrize("case", sorted(ACCEPT))
def test_accepts(case):
    kind, doc = ACCEPT[case]
    assert _errors(kind, doc) == []


# -- what protobuf would refuse is rejected -----------------------------------------------------
_NODE = {"id": "n1", "taskNode": {"referenceId": {"resourceType": "TASK", "name": "t"}}}


def _wf(*nodes: dict, **extra) -> dict:
    tpl = {"id": {"resourceType": "WORKFLOW", "name": "w"}, "nodes": list(nodes)}
    tpl.update(extra)
    return {"template": tpl}


# case -> (kind, document, where an error must be reported, by which keyword); "false" is a
# `false` schema (a property that must not be given).
REJECT = {
    "unknown field": ("WorkflowSpec", _wf(dict(_NODE, bogus=1)),
                      "$.template.nodes[0]", "additionalProperties"),
    "unknown top-level field": ("WorkflowSpec", dict(_wf(_NODE), extra={}),
                                "$", "additionalProperties"),
    "unknown field, snake_case doc": (
        "LaunchPlan", {"spec": {"workflow_id": {"name": "w"}, "nope": True}},
        "$.spec", "additionalProperties"),
    "two members of one oneof": (
        "WorkflowSpec", _wf(dict(_NODE, workflowNode={"subWorkflowRef": {"name": "w2"}})),
        "$.template.nodes[0]", "oneOf"),
    "two oneof members, mixed spellings": ("WorkflowSpec", _wf(dict(_NODE, branch_node={})),
                                           "$.template.nodes[0]", "oneOf"),
    "field in both spellings": ("WorkflowSpec", _wf(dict(_NODE, task_node=_NODE["taskNode"])),
                                "$.template.nodes[0]", "false"),
    "field in both spellings (not in a oneof)": (
        "WorkflowSpec", _wf(dict(_NODE, upstreamNodeIds=["a"], upstream_node_ids=["a"])),
        "$.template.nodes[0]", "false"),
    "bad enum name": (
        "WorkflowSpec", _wf(dict(_NODE, taskNode={"referenceId": {"resourceType": "TASKK"}})),
        "$.template.nodes[0].taskNode.referenceId.resourceType", "enum"),
    "unknown enum number": ("TaskSpec", _task(id={"resourceType": 99}),
                            "$.template.id.resourceType", "enum"),
    "nodes as a string": ("WorkflowSpec", {"template": {"nodes": "n1"}},
                          "$.template.nodes", "type"),
    "message as a list": ("TaskSpec", {"template": {"metadata": []}},
                          "$.template.metadata", "type"),
    "null list element": ("WorkflowSpec", _wf(None), "$.template.nodes[0]", "type"),
    "uint32 as a word": ("TaskSpec", _task(metadata={"retries": {"retries": "three"}}),
                         "$.template.metadata.retries.retries", "pattern"),
    "uint32 negative": ("TaskSpec", _task(metadata={"retries": {"retries": -1}}),
                        "$.template.metadata.retries.retries", "minimum"),
    "bool as a string": ("TaskSpec", _task(metadata={"discoverable": "yes"}),
                         "$.template.metadata.discoverable", "type"),
    "bad duration": ("TaskSpec", _task(metadata={"timeout": "30m"}),
                     "$.template.metadata.timeout", "pattern"),
    "struct as a string": ("TaskSpec", _task(custom="x"), "$.template.custom", "type"),
    "map as a list": ("TaskSpec", _task(config=["a"]), "$.template.config", "type"),
}


def _flatten(errors):
    for e in errors:
        yield e
        yield from _flatten(e.context)


@pytest.mark.parametrize("case", sorted(REJECT))
def test_rejects(case):
    kind, doc, where, keyword = REJECT[case]
    errors = list(_flatten(validator(kind).iter_errors(copy.deepcopy(doc))))
    assert errors, f"{case}: accepted"
    found = {(e.json_path, e.validator or "false") for e in errors}
    assert (where, keyword) in found, sorted(found)
