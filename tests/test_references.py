"""References to entities registered elsewhere, and the catalogue that checks them.

The bundle ``fixtures/flytekit/references/bundle.tgz`` was made by ``pyflyte package`` (flytekit
1.16.31, ``make_bundle.sh`` beside it) from ``refs.py``: a workflow that calls a
``reference_task`` and a ``reference_launch_plan``. ``catalog/`` holds the referenced entities as
``flytectl get ... -o yaml`` prints them. These tests need the bundle, not flytekit.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from specc import cli, driver
from tests.conftest import REPO

HERE = REPO / "fixtures" / "flytekit" / "references"
BUNDLE = HERE / "bundle.tgz"
CATALOG = HERE / "catalog"


def _compile(*paths: Path, catalog: list[Path] | None = None, **kw) -> driver.Result:
    return driver.compile_paths(driver.Options(paths=list(paths), catalog=catalog or [], **kw))


def _codes(result: driver.Result) -> list[str]:
    return [d.code for d in result.diagnostics]


def test_reference_bundle_is_clean_without_a_catalogue():
    result = _compile(BUNDLE)
    assert result.errors == 0 and result.warnings == 0, _codes(result)
    assert result.not_checked == []
    refs = sorted((u.what, u.ref) for u in result.external)
    assert refs == [("launch plan", "shared/production/shared.count_words_lp@v3"),
                    ("task", "shared/production/shared.tokenize@v7")]


def test_one_summary_line_and_a_json_count():
    r = CliRunner().invoke(cli.main, ["compile", "--no-context", str(BUNDLE)])
    assert r.exit_code == 0, r.output
    lines = [ln for ln in r.stderr.splitlines() if "registered elsewhere" in ln]
    assert len(lines) == 1 and "2 references" in lines[0] and "--catalog" in lines[0]
    r = CliRunner().invoke(cli.main, ["compile", "--no-context", "--format", "json",
                                      str(BUNDLE)])
    assert json.loads(r.stdout)["summary"]["external"] == 2


def test_no_closure_without_the_referenced_entities(tmp_path: Path):
    result = _compile(BUNDLE, out=tmp_path / "out")
    assert result.errors == 0 and result.withheld and "--catalog" in result.withheld
    assert not (tmp_path / "out").exists()


def test_catalogue_checks_the_references_fully(tmp_path: Path):
    result = _compile(BUNDLE, catalog=[CATALOG], closures=True)
    assert result.errors == 0 and result.warnings == 0, _codes(result)
    assert result.external == [] and result.not_checked == []
    res = result.resolution
    assert res is not None
    wf = next(w for w in res.index if w.id.name == "refs.analyse")
    targets = {n.id: res.targets[n].id.display() for n in res.top_nodes(wf)}
    assert targets["n0"] == "shared/production/shared.tokenize@v7"
    assert targets["n1"] == "shared/production/shared.count_words_lp@v3"
    (closure,) = [c for w, c in result.closures if w.id.name == "refs.analyse"]
    names = [t["template"]["id"]["name"] for t in closure["tasks"]]
    assert "shared.tokenize" in names  # the registered task is part of the closure
    # the catalogue's own files are never reported on
    assert all("catalog" not in (d.file or "") for d in result.diagnostics)


def test_a_wrong_catalogue_type_is_a_type_error(tmp_path: Path):
    wrong = tmp_path / "catalog"
    shutil.copytree(CATALOG, wrong)
    task = wrong / "shared.tokenize.yaml"
    text = task.read_text()
    assert "o0: {type: {collectionType: {simple: STRING}}" in text
    task.write_text(text.replace("o0: {type: {collectionType: {simple: STRING}}",
                                 "o0: {type: {collectionType: {simple: INTEGER}}"))
    result = _compile(BUNDLE, catalog=[wrong])
    got = [(d.code, d.pointer) for d in result.diagnostics if d.severity == "error"]
    assert ("SPC401", "/template/nodes/1/inputs/0/binding/promise") in got, got
    assert all(c == "SPC401" for c, _ in got)


def test_a_launch_plan_input_missing_from_the_catalogue_plan(tmp_path: Path):
    wrong = tmp_path / "catalog"
    shutil.copytree(CATALOG, wrong)
    lp = wrong / "shared.count_words_lp.yaml"
    lp.write_text(lp.read_text().replace("words:", "tokens:"))
    result = _compile(BUNDLE, catalog=[wrong])
    assert "SPC210" in _codes(result)  # the node binds 'words', which the plan does not take


def test_a_reference_missing_from_the_catalogue_is_an_error(tmp_path: Path):
    partial = tmp_path / "catalog"
    shutil.copytree(CATALOG, partial)
    (partial / "shared.tokenize.yaml").unlink()
    result = _compile(BUNDLE, catalog=[partial])
    assert [d.code for d in result.diagnostics if d.severity == "error"] == ["SPC221"]


def test_catalogue_from_the_configuration(tmp_path: Path):
    shutil.copy(BUNDLE, tmp_path / "bundle.tgz")
    shutil.copytree(CATALOG, tmp_path / "registered")
    (tmp_path / "specc.toml").write_text('catalog = ["registered"]\n')
    result = _compile(tmp_path / "bundle.tgz")
    assert result.errors == 0 and result.external == [], _codes(result)
    assert result.files == 1


def test_a_missing_catalogue_is_a_usage_error(tmp_path: Path):
    r = CliRunner().invoke(cli.main, ["compile", str(BUNDLE), "--catalog",
                                      str(tmp_path / "nope")])
    assert r.exit_code == 2 and "--catalog" in r.stderr


def test_references_without_project_domain_version_stay_errors(tmp_path: Path):
    spec = tmp_path / "wf.yaml"
    spec.write_text("""\
template:
  id: {resourceType: WORKFLOW, name: w, version: v1}
  interface: {}
  nodes:
    - id: a
      taskNode:
        referenceId: {resourceType: TASK, project: "{{ registration.project }}",
                      domain: "{{ registration.domain }}", name: t, version: v1}
""")
    assert "SPC201" in _codes(_compile(spec))
