"""The command line's everyday edges: a spec on stdin ('-' with --stdin-filename), what -o and
--bundle say they wrote, --emit without -o, the tool's version and the bundle's, what convert
reports, and the help that lists the commands."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from specc import __version__, cli
from tests.conftest import REPO

EXAMPLES = REPO / "examples" / "flyteidl"
ERR = REPO / "fixtures" / "err"
TYPO = (ERR / "check-schema" / "SPC101-misspelt-retries.yaml").read_text()


def invoke(*args: str, input: str | bytes | None = None):
    return CliRunner().invoke(cli.main, list(args), input=input)


@pytest.fixture
def project(tmp_path: Path, monkeypatch) -> Path:
    """A repository with the example's tasks; the workflow is not on disk."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "flyte").mkdir()
    shutil.copy(EXAMPLES / "tasks.yaml", tmp_path / "flyte" / "tasks.yaml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


# ---- stdin ------------------------------------------------------------------------------------
def test_stdin_is_reported_under_its_name(project: Path):
    r = invoke("compile", "--no-cache", "-", "--stdin-filename", "flyte/t.yaml", input=TYPO)
    assert r.exit_code == 1
    assert r.stdout.startswith("flyte/t.yaml:7:5: error SPC101 unknown field 'retires'")
    r = invoke("compile", "--no-cache", "-", input=TYPO)
    assert r.stdout.startswith("stdin.yaml:7:5: error SPC101")


def test_stdin_uses_the_project_around_its_name(project: Path):
    """References resolve against the project's other specs, as for a file given alone."""
    wf = (EXAMPLES / "pipeline.yaml").read_text()
    r = invoke("compile", "--no-cache", "-", "--stdin-filename", "flyte/pipeline.yaml",
               input=wf)
    assert r.exit_code == 0, r.output
    assert "1 file checked, no problems" in r.stderr
    r = invoke("compile", "--no-cache", "--no-context", "-", "--stdin-filename",
               "flyte/pipeline.yaml", input=wf)
    assert r.exit_code == 1 and "SPC201" in r.stdout


def test_stdin_finds_the_configuration_of_its_folder(project: Path):
    (project / "flyte" / "specc.toml").write_text('ignore = ["SPC101"]\n')
    r = invoke("compile", "--no-cache", "-", "--stdin-filename", "flyte/t.yaml", input=TYPO)
    assert r.exit_code == 0 and r.stdout == "", r.output
    r = invoke("compile", "--no-cache", "-", "--stdin-filename", "elsewhere/t.yaml", input=TYPO)
    assert r.exit_code == 1


def test_stdin_form_by_suffix(project: Path):
    r = invoke("compile", "--no-cache", "--format", "json", "-", "--stdin-filename", "t.json",
               input='{"template": ,}')
    (d,) = json.loads(r.stdout)["diagnostics"]
    assert d["code"] == "SPC003" and d["file"] == "t.json"


@pytest.mark.parametrize("args,needle", [
    (("-", "flyte/tasks.yaml"), "'-' reads one spec from stdin; give it alone"),
    (("flyte/tasks.yaml", "--stdin-filename", "x.yaml"), "give '-' as the path"),
])
def test_stdin_usage_errors(project: Path, args, needle):
    r = invoke("compile", *args, input="")
    assert r.exit_code == 2 and needle in r.stderr


def test_convert_reads_stdin(project: Path):
    r = invoke("convert", "--to", "json", "-o", "out", "-", "--stdin-filename", "specs.yaml",
               input=(EXAMPLES / "tasks.yaml").read_text())
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in (project / "out").iterdir()) == ["specs_0.json",
                                                                   "specs_1.json"]


# ---- what was written -------------------------------------------------------------------------
def test_out_and_bundle_say_what_they_wrote(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copytree(EXAMPLES, tmp_path / "specs")
    r = invoke("compile", "--no-cache", "specs", "-o", "out", "--bundle", "b.tgz")
    assert r.exit_code == 0, r.output
    assert "specc: wrote 1 closure to out\n" in r.stderr
    assert "specc: wrote bundle b.tgz\n" in r.stderr
    r = invoke("compile", "--no-cache", "specs", "-o", "out2", "--quiet")
    assert r.exit_code == 0 and r.stderr == ""
    assert (tmp_path / "out2" / "example.pipeline.closure.pb").exists()


def test_emit_needs_out(tmp_path: Path):
    r = invoke("compile", "--emit", "json", str(EXAMPLES))
    assert r.exit_code == 2 and "give -o DIR" in r.stderr


# ---- versions ---------------------------------------------------------------------------------
def test_tool_version():
    r = invoke("--version")
    assert r.exit_code == 0 and r.stdout == f"specc, version {__version__}\n"


def test_bundle_version_and_its_old_name(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copytree(EXAMPLES, tmp_path / "specs")
    new = invoke("compile", "--no-cache", "specs", "--bundle", "a.tgz", "--bundle-version", "v7")
    assert new.exit_code == 0 and "deprecated" not in new.stderr, new.output
    old = invoke("compile", "--no-cache", "specs", "--bundle", "b.tgz", "--version", "v7")
    assert old.exit_code == 0, old.output
    assert "'specc compile --version' is deprecated" in old.stderr
    assert "--bundle-version" in old.stderr
    assert (tmp_path / "a.tgz").read_bytes() == (tmp_path / "b.tgz").read_bytes()
    both = invoke("compile", "specs", "--bundle", "c.tgz", "--version", "v1",
                  "--bundle-version", "v2")
    assert both.exit_code == 2
    alone = invoke("compile", "specs", "--bundle-version", "v2")
    assert alone.exit_code == 2 and "give --bundle OUT.tgz" in alone.stderr


# ---- convert reports its own problems ---------------------------------------------------------
def test_convert_never_says_no_problems(tmp_path: Path):
    """A spec with a type error converts (its problems are compile's); convert says what it
    wrote and that it did not compile, never 'no problems'."""
    spec = ERR / "check-types" / "SPC401-int-output-to-string-input.yaml"
    r = invoke("convert", "--to", "json", "-o", str(tmp_path / "out"), str(spec))
    assert r.exit_code == 0 and r.stdout == ""
    assert "no problems" not in r.stderr
    assert "(converted, not compiled: 'specc compile' checks references and types)" in r.stderr
    r = invoke("convert", "--to", "json", "-o", str(tmp_path / "out2"),
               str(ERR / "check-schema" / "SPC101-misspelt-retries.yaml"))
    assert r.exit_code == 1 and "SPC101" in r.stdout
    assert r.stderr.endswith("; nothing written\n")
    assert not (tmp_path / "out2").exists()


# ---- help -------------------------------------------------------------------------------------
def test_help_lists_every_command_in_whole_sentences():
    r = invoke("--help")
    lines = r.stdout.split("Commands:\n", 1)[1].splitlines()
    assert len(lines) >= 6
    for line in lines:
        assert line.rstrip().endswith(".") and not line.rstrip().endswith(("...", "e.g.")), line


def test_shell_completion_is_click_s(monkeypatch):
    """The README documents click's completion: _SPECC_COMPLETE=bash_source specc."""
    r = CliRunner().invoke(cli.main, [], prog_name="specc",
                           env={"_SPECC_COMPLETE": "bash_source"}, standalone_mode=True)
    assert "_SPECC_COMPLETE=bash_complete" in r.stdout
