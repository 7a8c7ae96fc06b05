"""``specc graph`` from the command line: selection, formats, diagnostics on nodes, errors."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from specc import cli
from tests.conftest import REPO

EXAMPLES = REPO / "examples"
TYPE_ERROR = REPO / "fixtures" / "err" / "check-types" / "SPC401-int-output-to-string-input.yaml"


def graph(*args: str):
    return CliRunner().invoke(cli.main, ["graph", *args])


def test_text_of_one_workflow():
    r = graph(str(EXAMPLES / "dialect" / "training.yaml"), "--workflow", "pipeline")
    assert r.exit_code == 0, r.output
    assert "release  branch" in r.stdout and "release-n0  task training.deploy" in r.stdout


def test_every_workflow_when_none_is_named():
    r = graph(str(EXAMPLES), "--format", "mermaid")
    assert r.exit_code == 0, r.output
    for name in ("example.pipeline", "files.clean_all", "files.report", "training.pipeline"):
        assert f"%% workflow {name}" in r.stdout
    assert r.stdout.count("flowchart TD") == 4


def test_workflow_not_found_lists_the_candidates():
    r = graph(str(EXAMPLES), "--workflow", "nope")
    assert r.exit_code == 1
    assert "training.pipeline" in r.stderr


def test_svg_draws_one_workflow():
    r = graph(str(EXAMPLES), "--format", "svg")
    assert r.exit_code == 2 and "give --workflow" in r.stderr


@pytest.mark.skipif(shutil.which("dot") is None, reason="`dot` is not on PATH (apt-get install "
                    "graphviz)")
def test_svg_to_a_file(tmp_path: Path):
    out = tmp_path / "wf.svg"
    r = graph(str(EXAMPLES / "dialect" / "training.yaml"), "--format", "svg", "-o", str(out))
    assert r.exit_code == 0, r.output
    svg = out.read_text()
    assert svg.lstrip().startswith(("<?xml", "<svg")) and ">release<" in svg.replace("\n", "")


def test_missing_graphviz_says_how_to_install(monkeypatch, tmp_path: Path):
    monkeypatch.setenv("PATH", str(tmp_path))
    r = graph(str(EXAMPLES / "dialect" / "training.yaml"), "--format", "png")
    assert r.exit_code == 2
    assert "apt-get install graphviz" in r.stderr


def test_with_diagnostics_marks_the_node():
    r = graph(str(TYPE_ERROR), "--with-diagnostics")
    assert r.exit_code == 0, r.output
    line = next(ln for ln in r.stdout.splitlines() if "print" in ln and "task" in ln)
    assert "SPC401" in line
    assert "1 error in these specs" in r.stderr


def test_a_workflow_with_a_broken_graph_is_not_drawn(tmp_path: Path):
    cycle = REPO / "fixtures" / "err" / "check-graph" / "SPC301-feedback-loop.yaml"
    r = graph(str(cycle))
    assert r.exit_code == 1 and "cannot be drawn" in r.stderr


def test_unknown_format_is_a_usage_error():
    assert graph(str(EXAMPLES), "--format", "gif").exit_code == 2
