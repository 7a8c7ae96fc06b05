"""The shipped pre-commit hook (.pre-commit-hooks.yaml), run by the real `pre-commit try-repo`.

The hook repository is a copy of this working tree committed in a temporary git repository, so
the test sees uncommitted work too.
pre-commit builds its own virtual environment for the hook (`language: python`) and pip-installs
specc there with its dependencies, from the package index pip is configured with (the wheel cache
makes that a matter of seconds); the environment is made once and reused by every run below.

The project is a temporary git repository: a task in one file, a workflow using it in another,
and a YAML file that is not a spec. Each step changes one file and stages it; pre-commit then
passes only that file to specc, which loads the others as context.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.slow

pytest.importorskip("pre_commit")
if shutil.which("git") is None:  # pragma: no cover
    pytest.skip("git is not installed", allow_module_level=True)

TASK = """\
template:
  id: {resourceType: TASK, name: shop.count, version: v1}
  type: python-task
  metadata: {runtime: {type: FLYTE_SDK, version: 1.16.0}}
  interface:
    inputs: {variables: {n: {type: {simple: INTEGER}}}}
    outputs: {variables: {total: {type: {simple: INTEGER}}}}
  container: {image: "shop:1.4", args: [pyflyte-execute]}
"""
WF = """\
template:
  id: {resourceType: WORKFLOW, name: shop.daily, version: v1}
  interface:
    outputs: {variables: {total: {type: {simple: INTEGER}}}}
  nodes:
    - id: count
      taskNode: {referenceId: {resourceType: TASK, name: shop.count, version: v1}}
      inputs: [{var: n, binding: {scalar: {primitive: {integer: 10}}}}]
  outputs: [{var: total, binding: {promise: {nodeId: count, var: total}}}]
"""
CI = "name: ci\non: [push]\njobs: {test: {runs-on: ubuntu-latest, steps: [{run: make}]}}\n"
GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com",
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def git(cwd: Path, *args: str) -> str:
    r = subprocess.run(["git", "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false",
                        *args], cwd=cwd, capture_output=True, text=True, timeout=60,
                       env={**os.environ, **GIT_ENV})
    assert r.returncode == 0, r.stderr
    return r.stdout


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory) -> Path:
    """This working tree (git's view of it: tracked files and untracked ones that are not
    ignored), committed in a new repository."""
    dest = tmp_path_factory.mktemp("hook-repo")
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=REPO, capture_output=True, timeout=60)
    names = [n for n in listed.stdout.decode().split("\0") if n] if listed.returncode == 0 else []
    if names:
        for name in names:
            if (REPO / name).is_file():
                (dest / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(REPO / name, dest / name)
    else:  # not a git checkout
        shutil.copytree(REPO, dest, dirs_exist_ok=True, ignore=shutil.ignore_patterns(
            ".git", "__pycache__", "*.pyc", "build", "dist", "*.egg-info", ".venv", ".ci-venv"))
    assert (dest / ".pre-commit-hooks.yaml").is_file()
    git(dest, "init", "-q")
    git(dest, "add", "-A")
    git(dest, "commit", "-q", "-m", "specc")
    return dest


def make_project(root: Path) -> Path:
    """A committed, clean project: a task, a workflow using it in another file, and ci.yml."""
    (root / "flyte").mkdir(parents=True)
    (root / "flyte" / "tasks.yaml").write_text(TASK)
    (root / "flyte" / "workflow.yaml").write_text(WF)
    (root / "ci.yml").write_text(CI)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "start")
    return root


def try_repo(project: Path, hook_repo: Path) -> subprocess.CompletedProcess:
    """`pre-commit try-repo HOOK specc` on the staged files, as `git commit` would run it.

    try-repo keeps its hook environments in a fresh temporary store, so every run builds one
    (about 8 s here: a virtualenv and a pip install of specc from the hook repository)."""
    env = {**os.environ, **GIT_ENV, "PRE_COMMIT_COLOR": "never", "NO_COLOR": "1"}
    env.pop("VIRTUAL_ENV", None)
    return subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", str(hook_repo),
                           "specc", "--verbose"], cwd=project, env=env, capture_output=True,
                          text=True, timeout=600)


def test_manifest():
    import yaml

    (hook,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "specc" and hook["entry"] == "specc compile"
    assert hook["language"] == "python" and hook["require_serial"] is True
    import re

    files = re.compile(hook["files"])
    for name in ("a.yaml", "b/c.yml", "d.json", "e.pb", "f.tgz"):
        assert files.search(name), name
    for name in ("a.py", "yaml", "b.txt", "c.yaml.bak"):
        assert not files.search(name), name


# (file changed, its new text, whether the commit passes, what the output shows)
CASES = {
    # the workflow changes; its task (another file) resolves from the project's other specs
    "workflow-good": ("flyte/workflow.yaml", WF.replace("integer: 10", "integer: 20"), True,
                      None),
    "workflow-bad-type": ("flyte/workflow.yaml",
                          WF.replace("{integer: 10}", '{stringValue: "ten"}'), False,
                          "flyte/workflow.yaml:8:"),
    # the task changes; the workflow is context, and ci.yml, not a spec, is skipped silently
    "task-good": ("flyte/tasks.yaml",
                  TASK.replace("[pyflyte-execute]", "[pyflyte-execute, --fast]"), True, None),
    "task-bad": ("flyte/tasks.yaml",
                 TASK.replace("  type: python-task\n", "  type: python-task\n  retry: 3\n"),
                 False, "flyte/tasks.yaml:4:3: error SPC101"),
    # an inline suppression lets the commit through
    "workflow-suppressed": ("flyte/workflow.yaml",
                            WF.replace("{integer: 10}}}}]",
                                       '{stringValue: "ten"}}}}]  # specc: ignore[SPC402]'),
                            True, None),
}


def test_pre_commit_try_repo(hook_repo, tmp_path):
    """Each case is its own project with one staged change; the try-repo runs go in parallel,
    since each builds its own hook environment."""
    from concurrent.futures import ThreadPoolExecutor

    projects = {}
    for case, (name, text, _, _) in CASES.items():
        root = make_project(tmp_path / case)
        (root / name).write_text(text)
        git(root, "add", name)
        assert git(root, "diff", "--staged", "--name-only").split() == [name], case
        projects[case] = root
    with ThreadPoolExecutor(max_workers=len(CASES)) as pool:
        runs = dict(zip(projects, pool.map(lambda p: try_repo(p, hook_repo),
                                           projects.values()), strict=False))
    for case, (name, _, passes, needle) in CASES.items():
        r = runs[case]
        out = r.stdout + r.stderr
        assert r.returncode == (0 if passes else 1), f"{case}:\n{out}"
        assert ("specc" + "." * 10) in out and ("Passed" if passes else "Failed") in out, out
        assert needle is None or needle in out, f"{case}:\n{out}"
        assert (" error SPC" in out) is not passes, f"{case}:\n{out}"
        if not passes:  # only the file given is reported on
            other = "flyte/tasks.yaml" if name.endswith("workflow.yaml") else \
                "flyte/workflow.yaml"
            assert f"{other}:" not in out, f"{case}:\n{out}"
