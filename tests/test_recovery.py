"""One run, every error: independent mistakes in many files are all reported, each in its own
file at its own line, and nothing that depends on a broken entity produces a derived error."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from specc import cli, driver

RUNTIME = "metadata: {runtime: {type: FLYTE_SDK, version: 1.16.0}, retries: {retries: 1}}"


def task(name: str, inputs: dict[str, str] | None = None, outputs: dict[str, str] | None = None,
         extra: str = "") -> str:
    def variables(vs: dict[str, str] | None) -> str:
        return "{" + ", ".join(f"{k}: {{type: {{simple: {t}}}}}" for k, t in (vs or {}).items()) \
            + "}"

    return (f"template:\n"
            f"  id: {{resourceType: TASK, name: {name}, version: v1}}\n"
            f"  type: python-task\n"
            f"  {RUNTIME}\n"
            f"  interface:\n"
            f"    inputs: {{variables: {variables(inputs)}}}\n"
            f"    outputs: {{variables: {variables(outputs)}}}\n"
            f"  container: {{image: 'img:1', args: [run]}}\n{extra}")


def workflow(name: str, nodes: str, inputs: str = "{}") -> str:
    return (f"template:\n"
            f"  id: {{resourceType: WORKFLOW, name: {name}, version: v1}}\n"
            f"  interface: {{inputs: {{variables: {inputs}}}}}\n"
            f"  nodes:\n{nodes}")


def node(nid: str, task_name: str, bindings: str = "[]", upstream: str = "") -> str:
    up = f"\n      upstreamNodeIds: [{upstream}]" if upstream else ""
    return (f"    - id: {nid}\n"
            f"      taskNode: {{referenceId: {{resourceType: TASK, name: {task_name}, "
            f"version: v1}}}}\n"
            f"      inputs: {bindings}{up}\n")


def promise(var: str, node_id: str, out: str) -> str:
    return f"[{{var: {var}, binding: {{promise: {{nodeId: {node_id}, var: {out}}}}}}}]"


# Each file holds one mistake of a different stage (or none); the value says which code it must
# give at which lines (1-based), or None for a clean file.
TREE: dict[str, tuple[str, str | None, int | tuple[int, ...] | None]] = {
    "a/tasks.yaml": (task("t.count", outputs={"n": "INTEGER"}) + "---\n"
                     + task("t.show", inputs={"label": "STRING"}) + "---\n"
                     + task("t.sum", inputs={"x": "INTEGER"}, outputs={"y": "INTEGER"}),
                     None, None),
    # load: a YAML syntax error
    "b/broken.yaml": ("template:\n  id: {name: x\n  type: python-task\n", "SPC002", 3),
    # schema: an unknown field in a task that a workflow elsewhere uses
    "c/typo_task.yaml": (task("t.typo", outputs={"o": "INTEGER"}).replace(
        "  type: python-task\n", "  type: python-task\n  retry: 3\n"), "SPC101", 4),
    "c/uses_typo.yaml": (workflow("w.uses_typo", node("n", "t.typo")), None, None),
    # the dialect: an expression error
    "d/dialect.yaml": ("apiVersion: specc/v1\nkind: Task\nname: d.task\nversion: v1\n"
                       "image: img:1\ncommand: run\ninputs:\n  x: lisst[int]\n", "SPC034", 8),
    # references: a misspelt task
    "e/misspelt.yaml": (workflow("w.misspelt", node("n", "t.cuont")), "SPC201", 6),
    # graph: two nodes waiting for each other
    "f/cycle.yaml": (workflow("w.cycle", node("a", "t.sum", promise("x", "b", "y"))
                              + node("b", "t.sum", promise("x", "a", "y"))), "SPC302", (5, 8)),
    # types: an int into a string
    "g/types.yaml": (workflow("w.types", node("c", "t.count")
                              + node("s", "t.show", promise("label", "c", "n"))), "SPC401", 10),
    # registration: a launch plan with a bad schedule
    "h/schedule.yaml": ("id: {resourceType: LAUNCH_PLAN, name: lp.daily, version: v1}\n"
                        "spec:\n"
                        "  workflowId: {resourceType: WORKFLOW, name: w.clean, version: v1}\n"
                        "  entityMetadata:\n"
                        "    schedule: {cronSchedule: {schedule: '61 * * * *'}}\n",
                        "SPC536", 5),
    "h/clean.yaml": (workflow("w.clean", node("c", "t.count")), None, None),
    # a workflow that uses a task of the file that did not load: not reported as undefined
    "i/uses_broken.yaml": (workflow("w.uses_broken", node("n", "x")), None, None),
}


@pytest.fixture
def tree(tmp_path: Path, monkeypatch) -> Path:
    for rel, (text, _, _) in TREE.items():
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _compile(*paths: str) -> driver.Result:
    return driver.compile_paths(driver.Options(paths=[Path(p) for p in paths],
                                               use_config=False))


def test_every_independent_mistake_is_reported_once(tree: Path):
    result = _compile(".")
    errors = [(d.file, d.code, d.span.line if d.span else None)
              for d in result.diagnostics if d.severity == "error"]
    want = sorted((rel, code, line) for rel, (_, code, lines) in TREE.items() if code
                  for line in (lines if isinstance(lines, tuple) else (lines,)))
    assert sorted(errors) == want


def test_dependents_of_broken_entities_are_counted_not_reported(tree: Path):
    result = _compile(".")
    on = {d.file for d in result.diagnostics if d.severity == "error"}
    assert "c/uses_typo.yaml" not in on and "i/uses_broken.yaml" not in on
    not_checked = {(n.entity.name, tuple(sorted((u.ref, u.why) for u in n.reasons)))
                   for n in result.not_checked}
    assert not_checked == {
        ("w.uses_typo", (("t.typo@v1", "has errors"),)),
        ("w.uses_broken", (("x@v1", "may be in a file that did not load"),)),
    }


def test_summary_says_what_was_not_checked(tree: Path):
    r = CliRunner().invoke(cli.main, ["compile", "--no-context", "."])
    assert r.exit_code == 1
    assert "2 workflows not checked fully: they use tasks that have errors; tasks that may be " \
           "in a file that did not load" in r.stderr
    r = CliRunner().invoke(cli.main, ["compile", "--no-context", "--format", "json", "."])
    assert json.loads(r.stdout)["summary"]["not_checked"] == 2


def test_one_dependent_names_what_it_uses(tree: Path):
    r = CliRunner().invoke(cli.main, ["compile", "--no-context", "c"])
    assert "workflow 'w.uses_typo' not checked fully: it uses task 't.typo@v1', which has " \
           "errors" in r.stderr


def test_a_real_typo_is_still_an_error_beside_a_file_that_did_not_load(tree: Path):
    """A name no file defines and no unreadable file mentions is reported as undefined."""
    result = _compile("b", "e")
    assert [(d.file, d.code) for d in result.diagnostics] == [
        ("b/broken.yaml", "SPC002"), ("e/misspelt.yaml", "SPC201")]


def test_the_rest_of_a_partly_checked_workflow_is_checked(tmp_path: Path, monkeypatch):
    """A workflow using a broken task still has its other nodes checked: a type error between
    two good nodes is reported, nothing about the node that runs the broken task."""
    monkeypatch.chdir(tmp_path)
    Path("tasks.yaml").write_text(
        task("t.count", outputs={"n": "INTEGER"}) + "---\n"
        + task("t.show", inputs={"label": "STRING"}) + "---\n"
        + task("t.bad", inputs={"i": "INTEGER"}, outputs={"o": "INTEGER"}).replace(
            "  type: python-task\n", "  type: python-task\n  retry: 3\n"))
    Path("wf.yaml").write_text(workflow(
        "w.mixed", node("c", "t.count") + node("s", "t.show", promise("label", "c", "n"))
        + node("b", "t.bad", promise("i", "c", "n"))
        + node("after", "t.show", promise("label", "b", "o"))))
    result = _compile(".")
    got = sorted((d.file, d.code) for d in result.diagnostics if d.severity == "error")
    assert got == [("tasks.yaml", "SPC101"), ("wf.yaml", "SPC401")]
    (item,) = result.not_checked
    assert item.entity.name == "w.mixed"


SUB = """\
template:
  id: {resourceType: WORKFLOW, name: w.parent, version: v1}
  nodes:
    - id: sub
      workflowNode: {subWorkflowRef: {resourceType: WORKFLOW, name: w.sub, version: v1}}
subWorkflows:
  - id: {resourceType: WORKFLOW, name: w.sub, version: v1}
    interface: {}
    nodes:
      - id: c
        taskNode: {referenceId: {resourceType: TASK, name: t.count, version: v1}}
"""
STANDALONE = """\
template:
  id: {resourceType: WORKFLOW, name: w.sub, version: v1}
  nodes:
    - id: c
      taskNode: {referenceId: {resourceType: TASK, name: t.count, version: v1}}
    - id: s
      taskNode: {referenceId: {resourceType: TASK, name: t.show, version: v1}}
      inputs: [{var: label, binding: {promise: {nodeId: c, var: n}}}]
"""


def test_two_differing_definitions_are_each_checked(tmp_path: Path, monkeypatch):
    """A sub-workflow embedded in its parent and given on its own, edited: SPC208, and the type
    error of the standalone copy (what Flyte reports when it is registered)."""
    monkeypatch.chdir(tmp_path)
    Path("tasks.yaml").write_text(task("t.count", outputs={"n": "INTEGER"}) + "---\n"
                                  + task("t.show", inputs={"label": "STRING"}))
    Path("parent.yaml").write_text(SUB)
    Path("sub.yaml").write_text(STANDALONE)
    result = _compile(".")
    got = sorted((d.file, d.code) for d in result.diagnostics if d.severity == "error")
    assert got == [("sub.yaml", "SPC208"), ("sub.yaml", "SPC401")]


def test_schema_error_and_type_error_in_two_files(tmp_path: Path, monkeypatch):
    """The first example of the issue: an unknown field in one file, a type mismatch in the
    other: both are reported by one run."""
    monkeypatch.chdir(tmp_path)
    Path("tasks.yaml").write_text(task("t.count", outputs={"n": "INTEGER"}) + "---\n"
                                  + task("t.show", inputs={"label": "STRING"}))
    Path("other.yaml").write_text(task("t.other").replace("  type: python-task\n",
                                                          "  type: python-task\n  retyr: 1\n"))
    Path("wf.yaml").write_text(workflow("w", node("c", "t.count")
                                        + node("s", "t.show", promise("label", "c", "n"))))
    got = sorted((d.file, d.code) for d in _compile(".").diagnostics if d.severity == "error")
    assert got == [("other.yaml", "SPC101"), ("wf.yaml", "SPC401")]


def test_closures_are_not_written_for_a_workflow_not_checked_fully(tmp_path: Path,
                                                                  monkeypatch):
    """With context, a broken context file is not reported; a workflow that uses it cannot be
    compiled, so nothing is written and the run says why."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".git").mkdir()
    Path("tasks.yaml").write_text(task("t.count", outputs={"n": "INTEGER"}).replace(
        "  type: python-task\n", "  type: python-task\n  retry: 3\n"))
    Path("wf.yaml").write_text(workflow("w", node("c", "t.count")))
    r = CliRunner().invoke(cli.main, ["compile", "wf.yaml", "-o", "out"])
    assert not (tmp_path / "out").exists()
    assert "not checked fully" in r.stderr and "closures not written" in r.stderr
    assert r.exit_code == 1
