"""Conformance: specc agrees with Flyte's own compiler on its test corpus.

The corpus (``../shared/conformance/flyte-compiler``) holds inputs with the closures and compiled
tasks Flyte's compiler produced. Flyte's test harness appended three entries
(testKey1..3/testValue1..3) to every container task's ``config`` before compiling; we add the same
three entries to specc's output before comparing, so the rest of ``config`` is compared as is.
Comparison is protobuf equality of parsed messages, never bytes.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import CONFORMANCE, compile_paths, need

CORPUS = CONFORMANCE / "flyte-compiler"
SNACKS = CORPUS / "snacks-core"
BRANCH = CORPUS / "branch"
TEST_CONFIG = [{"key": f"testKey{i}", "value": f"testValue{i}"} for i in (1, 2, 3)]


def _with_test_config(template: dict) -> dict:
    if "container" in template:
        template = json.loads(json.dumps(template))
        template["container"]["config"] = template["container"].get("config", []) + TEST_CONFIG
    return template


def _as_message(obj: dict, cls):
    from google.protobuf import json_format

    return json_format.ParseDict(obj, cls())


def _expected(path: Path, cls):
    from google.protobuf import json_format

    return json_format.Parse(path.read_text(), cls())


def _closure_with_test_config(closure: dict) -> dict:
    closure = dict(closure)
    closure["tasks"] = [{"template": _with_test_config(t["template"])}
                        for t in closure.get("tasks", [])]
    return closure


def _diff(a, b) -> str:
    import difflib

    from google.protobuf import json_format

    sa = json.dumps(json_format.MessageToDict(a), indent=1, sort_keys=True).splitlines()
    sb = json.dumps(json_format.MessageToDict(b), indent=1, sort_keys=True).splitlines()
    return "\n".join(list(difflib.unified_diff(sb, sa, "flyte", "specc", lineterm=""))[:80])


@pytest.fixture(scope="module")
def snacks_result():
    need(SNACKS)
    result = compile_paths(*sorted(SNACKS.glob("*.pb")), closures=True)
    return result


def _snack_names(suffix: str) -> list[str]:
    if not (SNACKS / "compiled").exists():
        return ["<corpus absent>"]
    return sorted(p.name[: -len(suffix)] for p in (SNACKS / "compiled").glob(f"*{suffix}"))


def test_snacks_core_compiles_clean(snacks_result):
    errors = [d for d in snacks_result.diagnostics if d.severity == "error"]
    assert errors == []
    assert snacks_result.files == 183


@pytest.mark.parametrize("base", _snack_names("_wf.json"))
def test_snacks_core_closure(snacks_result, base):
    from flyteidl.core import compiler_pb2

    expected_path = need(SNACKS / "compiled" / f"{base}_wf.json")
    by_name = {wf.id.name: c for wf, c in snacks_result.closures}
    m = re.match(r"\d+_(.*)_2$", base)
    expected = _expected(expected_path, compiler_pb2.CompiledWorkflowClosure)
    name = expected.primary.template.id.name
    assert m and name == m.group(1)
    got = _as_message(_closure_with_test_config(by_name[name]),
                      compiler_pb2.CompiledWorkflowClosure)
    assert got == expected, _diff(got, expected)


@pytest.mark.parametrize("base", _snack_names("_task.json"))
def test_snacks_core_compiled_task(snacks_result, base):
    from flyteidl.core import compiler_pb2

    expected = _expected(need(SNACKS / "compiled" / f"{base}_task.json"),
                         compiler_pb2.CompiledTask)
    from specc.emit.closure import compiled_task

    task = next(t for t in snacks_result.program.tasks.values()
                if t.loc.doc.file.path.name == f"{base}.pb")
    got = _as_message({"template": _with_test_config(compiled_task(task)["template"])},
                      compiler_pb2.CompiledTask)
    assert got == expected, _diff(got, expected)


def test_snacks_core_counts():
    need(SNACKS)
    assert len(_snack_names("_wf.json")) == 43
    assert len(_snack_names("_task.json")) == 87


def _branch_names() -> list[str]:
    if not BRANCH.exists():
        return ["<corpus absent>"]
    return sorted(p.name for p in BRANCH.glob("*.json"))


@pytest.mark.parametrize("name", _branch_names())
def test_branch_closure(name):
    from flyteidl.core import compiler_pb2

    need(BRANCH / name)
    result = compile_paths(BRANCH / name, closures=True)
    assert [d for d in result.diagnostics if d.severity == "error"] == []
    (_, closure), = result.closures
    expected = _expected(BRANCH / "compiled" / name, compiler_pb2.CompiledWorkflowClosure)
    got = _as_message(_closure_with_test_config(closure), compiler_pb2.CompiledWorkflowClosure)
    assert got == expected, _diff(got, expected)


def test_branch_count():
    need(BRANCH)
    assert len(_branch_names()) == 12


def test_app_workflows_compile_clean():
    files = sorted(need(CORPUS).glob("app-workflows-*"))
    assert len(files) == 4
    result = compile_paths(*files, closures=True)
    assert [d for d in result.diagnostics if d.severity == "error"] == []
    # the two non-empty files hold the same workflow, once as YAML and once as protobuf: being
    # identical, they are one definition (no SPC208) and give one closure
    assert len(result.closures) == 1
    # the two empty ones are reported as empty documents, nothing else
    # (and the lint rules' warnings, pinned in tests/test_lint.py)
    assert {d.code for d in result.diagnostics if d.pass_name != "lint"} == {"SPC009"}


def test_dynamic_job_spec_compiles_clean(tmp_path):
    """Flyte's TestDynamic: the DynamicJobSpec's nodes wrapped in a workflow with output o0,
    compiled with the spec's sub-workflows and tasks (here: one WorkflowSpec file and one
    TaskTemplate file per task, resolved across files)."""
    spec = json.loads(need(CORPUS / "dynamic" / "success_1.json").read_text())
    workflow_spec = {
        "template": {
            "id": {"resourceType": "WORKFLOW", "domain": "domain", "name": "name",
                   "version": "version"},
            "interface": {"outputs": {"variables": {
                "o0": {"type": {"collectionType": {"simple": "INTEGER"}}}}}},
            "nodes": spec["nodes"],
            "outputs": spec["outputs"],
        },
        "subWorkflows": spec.get("subworkflows", []),
    }
    (tmp_path / "workflow.json").write_text(json.dumps(workflow_spec))
    for i, task in enumerate(spec["tasks"]):
        (tmp_path / f"task{i}.json").write_text(json.dumps(task))
    result = compile_paths(tmp_path, closures=True)
    assert [d for d in result.diagnostics if d.severity == "error"] == []
    assert len(result.closures) == 1
    (_, closure), = result.closures
    assert len(closure["subWorkflows"]) == len(spec["subworkflows"])
