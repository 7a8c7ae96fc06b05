"""Deployment settings: flags, specc.toml and [tool.specc] found by walking up, and their errors."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from specc import cli, config, driver
from tests.conftest import REPO

TASK = """\
template:
  id: {resourceType: TASK, name: t, version: v1}
  type: python-task
  metadata: {runtime: {type: FLYTE_SDK, version: 1.16.0}}
  interface: {}
  container:
    image: img:1
    args: [run]
    resources: {requests: [{name: MEMORY, value: 512Mi}], limits: [{name: MEMORY, value: 4Gi}]}
"""


@pytest.fixture
def project(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "task.yaml").write_text(TASK)
    return tmp_path


def codes(*args) -> tuple[int, list[str]]:
    import json

    r = CliRunner().invoke(cli.main, ["compile", "--format", "json", *args])
    if r.exit_code == 2:
        return 2, [r.stderr]
    return r.exit_code, [d["code"] for d in json.loads(r.stdout)["diagnostics"]]


def test_platform_checks_are_off_by_default(project):
    assert codes(str(project / "specs")) == (0, [])


def test_flyte_defaults_flag(project):
    assert codes("--flyte-defaults", str(project / "specs")) == (1, ["SPC512"])


def test_platform_limit_flag(project):
    assert codes("--platform-limit", "memory=8Gi", str(project / "specs")) == (0, [])
    assert codes("--platform-limit", "memory=2Gi", str(project / "specs")) == (1, ["SPC512"])


@pytest.mark.parametrize("where,text", [
    ("specc.toml", 'flyte-defaults = true\n'),
    ("pyproject.toml", '[project]\nname = "x"\n[tool.specc]\nflyte-defaults = true\n'),
    ("specc.toml", '[platform]\nlimits = {memory = "1Gi"}\n'),
])
def test_config_found_by_walking_up(project, where, text):
    (project / where).write_text(text)
    assert codes(str(project / "specs" / "task.yaml")) == (1, ["SPC512"])


def test_walk_stops_at_repository_root(tmp_path):
    (tmp_path / "specc.toml").write_text("flyte-defaults = true\n")
    inner = tmp_path / "repo"
    (inner / ".git").mkdir(parents=True)
    (inner / "task.yaml").write_text(TASK)
    assert config.find(inner / "task.yaml") is None


def test_pyproject_without_tool_specc_is_ignored(project):
    (project / "pyproject.toml").write_text('[project]\nname = "x"\n')
    assert config.find(project / "specs") is None


@pytest.mark.parametrize("text,needle", [
    ("flyte-default = true\n", "'flyte-default' is not a configuration key specc knows; did "
                              "you mean 'flyte-defaults'?"),
    ("[platform]\nlimit = {}\n", "'platform.limit' is not a configuration key specc knows; did "
                                "you mean 'limits'?"),
    ("selct = [\"SPC4\"]\n", "'selct' is not a configuration key specc knows; did you mean "
                             "'select'?"),
    ("extend_select = [\"SPC4\"]\n", "did you mean 'extend-select'?"),
    ("[[per-path]]\npaths = [\"a\"]\nignores = []\n", "did you mean 'ignore'?"),
    ("colour = true\n", "'colour' is not a configuration key specc knows\n"),
    ("[platform]\nlimits = {cpus = \"2\"}\n", "'platform.limits.cpus'"),
    ("[platform]\nlimits = {cpu = 2}\n", "must be a quantity string"),
    ("[platform]\nmax-workflow-nodes = \"ten\"\n", "'platform.max-workflow-nodes'"),
    ("[platform]\nmax-workflow-nodes = true\n", "'platform.max-workflow-nodes'"),
    ("[platform]\nlimits = 5\n", "'platform.limits' must be a table"),
    ("[platform]\ntask-type-allowlist = 5\n", "'platform.task-type-allowlist' must be a table"),
    ("flyte-defaults = [\n", "invalid TOML"),
])
def test_config_errors_exit_2_and_say_where(project, text, needle):
    cfg = project / "specc.toml"
    cfg.write_text(text)
    code, out = codes(str(project / "specs"))
    assert code == 2
    assert str(cfg) in out[0] and needle in out[0]


def test_tool_specc_that_is_no_table(project):
    cfg = project / "pyproject.toml"
    cfg.write_text("[tool]\nspecc = 5\n")
    code, out = codes(str(project / "specs"))
    assert code == 2
    assert str(cfg) in out[0] and "'tool.specc' must be a table" in out[0]
    cfg.write_text("tool = 5\n")  # no [tool.specc] at all
    assert config.find(project / "specs") is None


def test_explicit_config_option(project, tmp_path_factory):
    other = tmp_path_factory.mktemp("cfg") / "strict.toml"
    other.write_text("[platform]\nlimits = {memory = \"1Gi\"}\n")
    assert codes("--config", str(other), str(project / "specs")) == (1, ["SPC512"])


def test_task_type_allowlist_scopes():
    from specc.config import load

    path = REPO / "fixtures" / "err" / "check-registration" / "SPC516-task-type-not-allowed" / \
        "specc.toml"
    plat = load(path).platform
    assert plat.task_type_allowlist == {"spark": [("analytics", "")]}


def test_driver_without_config(project):
    (project / "specc.toml").write_text("flyte-defaults = true\n")
    r = driver.compile_paths(driver.Options(paths=[project / "specs"], use_config=False))
    assert r.errors == 0
