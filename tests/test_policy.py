"""Configuration of what is reported (select, ignore, severity, per-path), inline suppressions and
SPC050, input limits, [lint] options, and the project context (include, --no-context)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from specc import cli, driver, policy

TASK = """\
template:
  id: {resourceType: TASK, name: t, version: v1}
  type: python-task
  metadata: {runtime: {type: FLYTE_SDK, version: 1.16.0}}
  interface:
    inputs: {variables: {n: {type: {simple: INTEGER}}}}
  container: {image: "img:1", args: [run]}
"""
# line 7 binds a string to the int input: SPC402 (literal-type-mismatch)
WF = """\
template:
  id: {resourceType: WORKFLOW, name: wf, version: v1}
  interface: {}
  nodes:
    - id: n0
      taskNode: {referenceId: {resourceType: TASK, name: t, version: v1}}
      inputs: [{var: n, binding: {scalar: {primitive: {stringValue: "ten"}}}}]
"""
GOOD_WF = WF.replace('stringValue: "ten"', "integer: 10")
# line 4: an unknown field (SPC101)
TASK_TYPO = TASK.replace("  type: python-task\n", "  type: python-task\n  retry: 3\n")


@pytest.fixture
def project(tmp_path: Path, monkeypatch) -> Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "task.yaml").write_text(TASK)
    (tmp_path / "specs" / "wf.yaml").write_text(WF)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str) -> tuple[int, list[dict]]:
    r = CliRunner().invoke(cli.main, ["compile", "--format", "json", *args])
    if r.exit_code == 2:
        return 2, [{"error": r.stderr}]
    assert r.exit_code in (0, 1), r.output
    return r.exit_code, json.loads(r.stdout)["diagnostics"]


def summary(*args: str) -> dict:
    r = CliRunner().invoke(cli.main, ["compile", "--format", "json", *args])
    assert r.exit_code in (0, 1), r.output
    return json.loads(r.stdout)["summary"]


def codes(*args: str) -> tuple[int, list[str]]:
    code, diags = run(*args)
    return code, [d.get("code") or d["error"] for d in diags]


def config(root: Path, text: str) -> Path:
    path = root / "specc.toml"
    path.write_text(text)
    return path


# ---- select / ignore / severity ---------------------------------------------------------------
def test_without_configuration(project):
    assert codes("specs") == (1, ["SPC402"])


@pytest.mark.parametrize("text", [
    'ignore = ["SPC402"]\n',
    'ignore = ["SPC4"]\n',  # a prefix
    'ignore = ["literal-type-mismatch"]\n',  # a name
    'select = ["SPC1", "SPC2"]\n',
    'select = ["SPC4"]\nignore = ["SPC402"]\n',
    'select = ["SPC402"]\nignore = ["SPC402"]\n',  # a tie: ignore wins
    'severity = {SPC402 = "off"}\n',
])
def test_hidden(project, text):
    config(project, text)
    assert codes("specs") == (0, [])


@pytest.mark.parametrize("text", [
    'select = ["SPC"]\n',
    'select = ["SPC402"]\nignore = ["SPC4"]\n',  # the longer prefix wins
    'ignore = ["SPC401"]\n',
])
def test_kept(project, text):
    config(project, text)
    assert codes("specs") == (1, ["SPC402"])


@pytest.mark.parametrize("text,level,exit_code", [
    ('severity = {SPC402 = "warning"}\n', "warning", 0),
    ('severity = {SPC4 = "note"}\n', "note", 0),
    ('severity = {SPC4 = "note", SPC402 = "warning"}\n', "warning", 0),  # most specific
    ('severity = {SPC = "warning", SPC402 = "error"}\n', "error", 1),
])
def test_severity(project, text, level, exit_code):
    config(project, text)
    code, diags = run("specs")
    assert code == exit_code
    assert [(d["code"], d["severity"]) for d in diags] == [("SPC402", level)]


def test_severity_in_text_summary(project):
    config(project, 'severity = {SPC402 = "warning"}\n')
    r = CliRunner().invoke(cli.main, ["compile", "specs"])
    assert r.exit_code == 0
    assert "warning SPC402" in r.stdout


def test_pyproject_tool_specc(project):
    (project / "pyproject.toml").write_text('[project]\nname = "x"\n[tool.specc]\n'
                                            'ignore = ["SPC402"]\n')
    assert codes("specs") == (0, [])


def test_internal_errors_cannot_be_hidden():
    p = policy.Policy(ignore=("SPC",), severity=(("SPC", "note"),))
    assert p.level("SPC900", None) is None
    assert p.level("SPC402", None) == "off"


# ---- per-path ----------------------------------------------------------------------------------
def test_per_path(project):
    (project / "legacy").mkdir()
    (project / "legacy" / "task.yaml").write_text(TASK.replace("name: t,", "name: lt,"))
    (project / "legacy" / "wf.yaml").write_text(WF.replace("name: t,", "name: lt,")
                                                .replace("name: wf,", "name: lwf,"))
    config(project, '[[per-path]]\npaths = ["legacy/**"]\nignore = ["SPC402"]\n')
    code, diags = run("specs", "legacy")
    assert code == 1
    assert [(d["code"], d["file"]) for d in diags] == [("SPC402", "specs/wf.yaml")]
    config(project, '[[per-path]]\npaths = ["legacy"]\nseverity = {SPC4 = "warning"}\n'
                    '[[per-path]]\npaths = ["specs/wf.yaml"]\nseverity = {SPC402 = "note"}\n')
    code, diags = run("specs", "legacy")
    assert code == 0
    assert [(d["file"], d["severity"]) for d in diags] == [("legacy/wf.yaml", "warning"),
                                                           ("specs/wf.yaml", "note")]


def test_per_path_is_relative_to_the_configuration(project, monkeypatch):
    config(project, '[[per-path]]\npaths = ["specs/*.yaml"]\nignore = ["SPC402"]\n')
    monkeypatch.chdir(project / "specs")  # the displayed file is 'wf.yaml'
    assert codes(".") == (0, [])


def test_per_path_wins_over_top_level(project):
    config(project, 'severity = {SPC402 = "warning"}\n'
                    '[[per-path]]\npaths = ["wf.yaml"]\nseverity = {SPC4 = "error"}\n')
    assert codes("specs") == (1, ["SPC402"])


@pytest.mark.parametrize("pattern,path,hit", [
    ("legacy/**", "legacy/a/b.yaml", True),
    ("legacy/**", "new/legacy/b.yaml", False),
    ("legacy", "legacy/b.yaml", True),
    ("legacy/", "legacy/b.yaml", True),
    ("*.json", "deep/down/x.json", True),
    ("*.json", "deep/down/x.yaml", False),
    ("specs/*.yaml", "specs/a.yaml", True),
    ("specs/*.yaml", "specs/sub/a.yaml", False),
    ("specs/**/*.yaml", "specs/a.yaml", True),
    ("specs/**/*.yaml", "specs/x/y/a.yaml", True),
    ("./specs/wf?.yaml", "specs/wf1.yaml", True),
    ("specs/[ab].yaml", "specs/b.yaml", True),
    ("specs/[!ab].yaml", "specs/b.yaml", False),
])
def test_globs(pattern, path, hit):
    assert bool(policy.glob_regex(pattern).match(path)) is hit


# ---- configuration errors ----------------------------------------------------------------------
@pytest.mark.parametrize("text,needle", [
    ('ignore = ["SPC999"]\n', "'ignore' names 'SPC999', which is not a code specc knows"),
    ('ignore = ["SPC97"]\n', "'ignore' names 'SPC97'"),  # no code starts so
    ('ignore = "SPC402"\n', "'ignore' must be a list of codes"),
    ('select = ["nonsense"]\n', "'select' names 'nonsense'"),
    ('severity = {SPC402 = "fatal"}\n', "'severity.SPC402' must be one of error, warning, note, "
                                        "off"),
    ('severity = {SPC999 = "off"}\n', "'severity.SPC999' is not a code specc knows"),
    ('[[per-path]]\nignore = ["SPC402"]\n', "'per-path[0].paths' is missing"),
    ('[[per-path]]\npaths = ["a"]\nselect = ["SPC4"]\n', "'per-path[0].select' is not a "
                                                          "configuration key"),
    ('[[per-path]]\npaths = "a"\n', "'per-path[0].paths' must be a list of glob patterns"),
    ('[[per-path]]\npaths = ["a"]\nignore = ["SPC999"]\n', "'per-path[0].ignore' names 'SPC999'"),
    ('per-path = {paths = ["a"]}\n', "'per-path' must be a list of tables"),
    ('[limits]\nmax-file-byte = 10\n', "'limits.max-file-byte' is not one of max-file-bytes"),
    ('[limits]\nmax-depth = 0\n', "'limits.max-depth' must be a positive whole number"),
    ('[limits]\nmax-depth = "12"\n', "'limits.max-depth' must be a positive whole number"),
    ('lint = 3\n', "'lint' must be a table of tables"),
    ('[lint]\nmax-timeout = "1h"\n', "'lint' must be a table of tables"),
    ('include = "specs"\n', "'include' must be a list of glob patterns"),
    ('includes = ["specs"]\n', "'includes' is not a configuration key specc knows"),
])
def test_configuration_errors_say_where(project, text, needle):
    path = config(project, text)
    code, out = codes("specs")
    assert code == 2
    assert str(path) in out[0] and needle in out[0], out[0]


def test_configuration_errors_in_pyproject_name_the_table(project):
    (project / "pyproject.toml").write_text('[tool.specc]\nignore = ["SPC999"]\n')
    code, out = codes("specs")
    assert code == 2 and "'tool.specc.ignore' names 'SPC999'" in out[0]


# ---- limits and [lint] -------------------------------------------------------------------------
def test_limits(project):
    config(project, "[limits]\nmax-file-bytes = 100\n")
    code, diags = run("specs")
    assert code == 1
    assert {d["code"] for d in diags} == {"SPC007"}
    assert "100 bytes" in diags[0]["message"]
    config(project, "[limits]\nmax-depth = 3\n")
    assert codes("specs") == (1, ["SPC007", "SPC007"])


def test_limits_reach_the_driver(project):
    config(project, "[limits]\nmax-values = 7\nmax-bundle-members = 3\n")
    opts = driver.Options(paths=[project / "specs"])
    driver.compile_paths(opts)
    assert opts.limits.max_values == 7 and opts.limits.max_bundle_members == 3
    assert opts.limits.max_depth == driver.Limits().max_depth


def test_lint_options_reach_the_passes(project, monkeypatch):
    """[lint] is passed through as it is; the lint rules check their own options."""
    import importlib

    lint = importlib.import_module("specc.lint")
    if hasattr(lint, "option_problems"):
        monkeypatch.setattr(lint, "option_problems", lambda options: [])
    config(project, '[lint.timeout-above-maximum]\nmax-timeout = "1h"\n')
    opts = driver.Options(paths=[project / "specs"])
    driver.compile_paths(opts)
    assert opts.lint_options == {
        "timeout-above-maximum": {"max-timeout": "1h"}}


# ---- inline suppressions -----------------------------------------------------------------------
def suppressed(project: Path, line7: str, before: str | None = None) -> list[tuple]:
    lines = WF.splitlines()
    lines[6] = lines[6] + line7
    if before is not None:
        lines.insert(6, before)
    (project / "specs" / "wf.yaml").write_text("\n".join(lines) + "\n")
    _, diags = run("specs")
    return [(d["code"], d["line"], d["severity"]) for d in diags]


@pytest.mark.parametrize("line7,before", [
    ("  # specc: ignore[SPC402]", None),
    ("  #specc:ignore[SPC402]", None),
    ("  # specc: ignore[SPC101, SPC402]", None),  # SPC101 unused: see below
    ("  # specc: ignore[SPC4]", None),
    ("  # specc: ignore[literal-type-mismatch]", None),
    ("  # specc: ignore", None),
    ("  # specc: ignore  (the service takes strings)", None),
    ("", "      # specc: ignore[SPC402]"),
    ("", "      # specc: ignore[SPC402] until the task is fixed"),
])
def test_suppression(project, line7, before):
    got = suppressed(project, line7, before)
    assert [c for c in got if c[0] != "SPC050"] == []


def test_suppression_two_lines_above_does_not_count(project):
    got = suppressed(project, "", "      # specc: ignore[SPC402]\n")  # a blank line between
    assert sorted(got) == [("SPC050", 7, "warning"), ("SPC402", 9, "error")]


def test_unused_suppressions(project):
    assert suppressed(project, "  # specc: ignore[SPC101, SPC402]") == [("SPC050", 7, "warning")]
    assert suppressed(project, "  # specc: ignore[SPC401]") == [("SPC402", 7, "error"),
                                                                ("SPC050", 7, "warning")]
    line = '  container: {image: "img:1", args: [run]}  # specc: ignore'
    (project / "specs" / "task.yaml").write_text(TASK.replace(line.split("  #")[0], line))
    code, diags = run("--no-context", "specs/task.yaml")  # (wf.yaml, a dependent, has errors)
    assert code == 0
    column = line.index("#") + 1
    assert [(d["code"], d["line"], d["column"], d["end_column"]) for d in diags] == [
        ("SPC050", 7, column, column + len("# specc: ignore"))]
    assert "'# specc: ignore' matches no diagnostic on this line or the next" in \
        diags[0]["message"]


@pytest.mark.parametrize("comment,needle", [
    ("# specc: ignore[SPC999, SPC402]", "'SPC999' is not a code specc knows"),
    ("# specc: ignor[SPC402]", "is not a suppression specc understands"),
    ("# specc: disable", "is not a suppression specc understands"),
    ("# specc: ignore[]", "names no code"),
])
def test_bad_suppressions_are_reported(project, comment, needle):
    _, diags = run_with(project, "  " + comment)
    assert [d["code"] for d in diags if d["code"] == "SPC050"] == ["SPC050"]
    assert needle in next(d["message"] for d in diags if d["code"] == "SPC050")


def run_with(project: Path, line7: str):
    lines = WF.splitlines()
    lines[6] += line7
    (project / "specs" / "wf.yaml").write_text("\n".join(lines) + "\n")
    return run("specs")


def test_specc_in_a_string_is_not_a_comment(project):
    text = WF.replace("interface: {}", 'interface: {}\n  # just a note about specc: it is fine') \
        .replace('"ten"', '"ten # specc: ignore"')
    (project / "specs" / "wf.yaml").write_text(text)
    assert codes("specs") == (1, ["SPC402"])


def test_unused_suppression_obeys_the_policy(project):
    config(project, 'severity = {SPC050 = "error"}\n')
    assert suppressed(project, "  # specc: ignore[SPC401, SPC402]") == [("SPC050", 7, "error")]
    config(project, 'ignore = ["SPC050"]\n')
    assert suppressed(project, "  # specc: ignore[SPC401, SPC402]") == []


def test_suppression_after_policy(project):
    """A code the configuration already hides leaves its suppression unused."""
    config(project, 'ignore = ["SPC402"]\n')
    assert suppressed(project, "  # specc: ignore[SPC402]") == [("SPC050", 7, "warning")]


def test_suppression_in_a_later_document(project):
    text = TASK.replace("name: t,", "name: t0,") + "---\n" + WF
    (project / "specs" / "wf.yaml").write_text(text)
    lines = text.splitlines()
    assert lines[14].endswith('"ten"}}}}]')
    lines[14] += "  # specc: ignore[SPC402]"
    (project / "specs" / "wf.yaml").write_text("\n".join(lines) + "\n")
    assert codes("specs") == (0, [])


def test_scan_only_reads_comments():
    found = policy.scan("a: 1  # specc: ignore[SPC4]\n'b # specc: ignore': 2\n"
                        "# specc: ignore\nc: \"x\\\" # specc: ignore\"\n")
    assert [(s.line, s.codes, s.span.column) for s in found] == [(1, ("SPC4",), 7),
                                                                 (3, None, 1)]


def test_json_has_no_suppressions(project):
    """JSON has no comments: '# specc:' inside a JSON string is text."""
    import yaml

    (project / "specs" / "wf.yaml").unlink()
    data = yaml.safe_load(WF.replace('"ten"', '"ten  # specc: ignore"'))
    (project / "specs" / "wf.json").write_text(json.dumps(data))
    assert codes("specs") == (1, ["SPC402"])


# ---- the project context -----------------------------------------------------------------------
def test_context_resolves_references_and_reports_only_the_given_files(project):
    assert codes("specs/wf.yaml") == (1, ["SPC402"])  # the task comes from task.yaml
    assert codes("--no-context", "specs/wf.yaml")[1] == ["SPC201"]
    # a problem in a context file is not reported, and does not fail the run
    (project / "other.yaml").write_text(WF.replace("name: wf,", "name: other,"))
    (project / "specs" / "wf.yaml").write_text(GOOD_WF)
    assert codes("specs/wf.yaml") == (0, [])
    assert codes("other.yaml") == (1, ["SPC402"])
    # a context file that fails check-schema: its task is known but has errors, so the
    # workflow is not checked against it (no knock-on "not defined"), and the run says so
    (project / "specs" / "task.yaml").write_text(TASK_TYPO)
    assert codes("specs/wf.yaml") == (0, [])
    assert summary("specs/wf.yaml")["not_checked"] == 1
    assert codes("specs/task.yaml") == (1, ["SPC101"])


def test_context_summary_counts_the_given_files(project):
    r = CliRunner().invoke(cli.main, ["compile", "specs/wf.yaml"])
    assert r.exit_code == 1 and "1 error in 1 file" in r.stderr
    r = CliRunner().invoke(cli.main, ["compile", "--format", "json", "specs/wf.yaml"])
    assert json.loads(r.stdout)["summary"]["files"] == 1


def test_context_skips_files_that_are_not_specs(project):
    (project / ".pre-commit-config.yaml").write_text("repos:\n- repo: local\n  hooks: []\n")
    (project / "ci").mkdir()
    (project / "ci" / "build.yml").write_text("on: push\njobs: {b: {runs-on: x}}\n")
    (project / "package.json").write_text('{"name": "x", "type": "module"}\n')  # a "type" key
    (project / "broken.yaml").write_text("a: [1\n")
    (project / "twice.yaml").write_text("a: 1\na: 2\n")
    (project / "binary.pb").write_bytes(b"\xff\x00garbage")
    (project / "schema.json").write_text('{"type": "object", "properties": {}}')
    (project / "deploy.yaml").write_text("apiVersion: apps/v1\nkind: Deployment\n"
                                         "metadata: {name: x}\nspec: {replicas: 1}\n")
    (project / "specs" / "wf.yaml").write_text(GOOD_WF)
    assert codes("specs/wf.yaml") == (0, [])
    assert codes("ci/build.yml")[1] == ["SPC008"]  # a given file is reported on


def test_context_errors_do_not_stop_the_given_files(project):
    """A context workflow with an unresolved reference (a stopping pass) is left out, so the
    given file still gets its type check."""
    (project / "other.yaml").write_text(GOOD_WF.replace("name: t,", "name: missing,")
                                        .replace("name: wf,", "name: other,"))
    assert codes("specs/wf.yaml") == (1, ["SPC402"])
    assert codes("other.yaml")[1] == ["SPC201"]


def test_include_globs(project):
    (project / "elsewhere").mkdir()
    (project / "specs" / "task.yaml").rename(project / "elsewhere" / "task.yaml")
    assert codes("specs/wf.yaml") == (1, ["SPC402"])  # by default: the whole repository
    config(project, 'include = ["specs/**"]\n')
    assert codes("specs/wf.yaml")[1] == ["SPC201"]
    config(project, 'include = ["elsewhere/*.yaml"]\n')
    assert codes("specs/wf.yaml") == (1, ["SPC402"])
    config(project, "include = []\n")  # no context at all
    assert codes("specs/wf.yaml")[1] == ["SPC201"]


def test_context_root_is_the_repository(tmp_path, monkeypatch):
    """Without .git and without configuration there is no project: no context."""
    (tmp_path / "task.yaml").write_text(TASK)
    (tmp_path / "wf.yaml").write_text(WF)
    monkeypatch.chdir(tmp_path)
    assert codes("wf.yaml")[1] == ["SPC201"]
    config(tmp_path, "")  # a configuration's folder is a project root too
    assert codes("wf.yaml") == (1, ["SPC402"])


def test_context_uses_git_and_its_ignores(project):
    import shutil
    import subprocess

    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    shutil.rmtree(project / ".git")
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    (project / "build").mkdir()
    (project / "build" / "task.yaml").write_text(TASK.replace("INTEGER", "STRING"))
    # build/task.yaml takes part (a string input, so "ten" fits) and the other definition of
    # t@v1, which differs, is the one left out (SPC208 on a context file)
    assert codes("specs/wf.yaml") == (0, [])
    (project / ".gitignore").write_text("build/\n")
    assert codes("specs/wf.yaml") == (1, ["SPC402"])


def test_context_closures_are_the_given_workflows(project):
    (project / "other.yaml").write_text(GOOD_WF.replace("name: wf,", "name: other,"))
    (project / "specs" / "wf.yaml").write_text(GOOD_WF)
    r = driver.compile_paths(driver.Options(paths=[Path("specs/wf.yaml")], context=True,
                                            closures=True))
    assert r.errors == 0
    assert [wf.id.name for wf, _ in r.closures] == ["wf"]


def test_no_unused_suppressions_when_the_checks_stopped(project):
    """An unknown field stops the chain before check-types: the SPC402 suppression is not
    reported as unused, since its check never ran."""
    (project / "specs" / "task.yaml").write_text(TASK_TYPO)
    assert suppressed(project, "  # specc: ignore[SPC402]") == [("SPC101", 4, "error")]


def test_unused_suppressions_of_checks_that_ran(project):
    """The chain stopped in check-schema: a suppression of a schema code is decided."""
    (project / "specs" / "task.yaml").write_text(TASK_TYPO)
    got = suppressed(project, "  # specc: ignore[SPC402, SPC102]")
    assert got == [("SPC101", 4, "error"), ("SPC050", 7, "warning")]


# ---- the default rule set: opt-in lint rules ----------------------------------------------------
# a workflow whose default launch plan leaves its input required: SPC612, an opt-in rule
LP = """\
id: {resourceType: LAUNCH_PLAN, name: wf2, version: v1}
spec:
  workflowId: {resourceType: WORKFLOW, name: wf2, version: v1}
  defaultInputs: {parameters: {n: {var: {type: {simple: INTEGER}}, required: true}}}
"""
WF2 = GOOD_WF.replace("name: wf,", "name: wf2,").replace(
    "interface: {}", "interface: {inputs: {variables: {n: {type: {simple: INTEGER}}}}}").replace(
    "{scalar: {primitive: {integer: 10}}}", "{promise: {var: n}}")


@pytest.mark.parametrize("text,shown", [
    ("", False),  # no configuration: the default set
    ('ignore = ["SPC402"]\n', False),  # a configuration that does not select it
    ('extend-select = ["SPC612"]\n', True),
    ('extend-select = ["no-launch-plan-with-inputs"]\n', True),
    ('extend-select = ["SPC6"]\n', True),
    ('select = ["SPC"]\n', True),  # a prefix selects the opt-in codes under it too
    ('select = ["SPC4"]\n', False),
    ('extend-select = ["SPC612"]\nignore = ["SPC61"]\n', True),  # the longer entry wins
    ('extend-select = ["SPC6"]\nignore = ["SPC612"]\n', False),
    ('severity = {SPC612 = "error"}\n', False),  # a severity does not select it
])
def test_opt_in_rules_need_selecting(project, text, shown):
    (project / "specs" / "wf.yaml").write_text(GOOD_WF)
    (project / "specs" / "wf2.yaml").write_text(WF2 + "---\n" + LP)
    if text:
        (project / "specc.toml").write_text(text)
    _, diags = run("specs")
    assert ("SPC612" in [d["code"] for d in diags]) is shown, diags


def test_default_policy_hides_opt_in_codes():
    p = policy.Policy()
    assert p.level("SPC612", None) == "off" and p.level("SPC610", None) == "off"
    assert p.level("SPC609", None) is None and p.level("SPC401", None) is None
    assert policy.Policy(extend_select=("SPC61",)).level("SPC612", None) is None
