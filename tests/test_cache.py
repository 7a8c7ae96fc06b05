"""The cache can make a run faster, never different; a change is reported where it breaks."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from specc import cache, cli, driver
from specc.reporters import json as json_reporter
from specc.reporters import text
from tests.conftest import REPO

FIXTURES = REPO / "fixtures"
CASES = sorted(p for p in (FIXTURES / "err").glob("*/*") if not p.name.startswith(".")) + \
    sorted(p for p in (FIXTURES / "ok").iterdir() if not p.name.startswith(".")) + \
    [REPO / "examples"]


def _compile(path: Path, folder: Path | None, **kw) -> driver.Result:
    return driver.compile_paths(driver.Options(paths=[path.relative_to(REPO)],
                                               cache=folder is not None, cache_dir=folder,
                                               closures=True, **kw))


def _shown(r: driver.Result) -> str:
    closures = {wf.id.name: c for wf, c in r.closures}
    return (text.render(r) + json_reporter.render(r) + text.summary(r)
            + json.dumps(closures, sort_keys=True))


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch):
    monkeypatch.chdir(REPO)


@pytest.mark.parametrize("case", CASES, ids=[str(p.relative_to(REPO)) for p in CASES])
def test_cold_and_warm_cache_give_the_same_output(case: Path, tmp_path: Path):
    folder = tmp_path / "cache"
    plain = _compile(case, None)
    without = _shown(plain)
    cold = _shown(_compile(case, folder))
    entries = list((folder / "entries").glob("*/*.json"))
    assert entries or not plain.documents, "nothing was stored"
    warm = _shown(_compile(case, folder))
    assert cold == without
    assert warm == without


def test_a_corrupt_entry_is_a_miss(tmp_path: Path):
    folder = tmp_path / "cache"
    case = FIXTURES / "err" / "check-types" / "SPC401-int-output-to-string-input.yaml"
    want = _shown(_compile(case, None))
    _compile(case, folder)
    for p in (folder / "entries").glob("*/*.json"):
        p.write_bytes(b"{not json")
    assert _shown(_compile(case, folder)) == want
    for p in (folder / "entries").glob("*/*.json"):
        p.write_text(json.dumps({"format": cache.FORMAT, "docs": "wrong"}))
    assert _shown(_compile(case, folder)) == want


def test_the_cache_is_git_ignored_and_bounded(tmp_path: Path):
    folder = tmp_path / "cache"
    _compile(REPO / "examples", folder)
    assert (folder / ".gitignore").read_text().strip().endswith("*")
    store = cache.Cache(folder, driver.Options(paths=[]).limits)
    before = list((folder / "entries").glob("*/*.json"))
    assert len(before) > 2
    store.prune(max_bytes=1)
    assert len(list((folder / "entries").glob("*/*.json"))) < len(before)


def test_runs_sharing_a_cache_agree(tmp_path: Path):
    """Two processes fill the same cache at once; both give the output of a run without it."""
    folder = tmp_path / "cache"
    want = subprocess.run([sys.executable, "-m", "specc", "compile", "--no-cache",
                           "--format", "json", "fixtures/", "examples/"], cwd=REPO,
                          capture_output=True, text=True, timeout=300).stdout
    procs = [subprocess.Popen([sys.executable, "-m", "specc", "compile", "--cache-dir",
                               str(folder), "--format", "json", "fixtures/", "examples/"],
                              cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for _ in range(3)]
    outs = [p.communicate(timeout=300)[0] for p in procs]
    assert all(o == want for o in outs)


# ---- a project: pre-commit on one file ---------------------------------------------------------
TASK = """\
template:
  id: {{resourceType: TASK, name: {name}, version: v1}}
  type: python-task
  metadata: {{runtime: {{type: FLYTE_SDK, version: 1.16.0}}, retries: {{retries: 1}}}}
  interface:
    inputs: {{variables: {{x: {{type: {{simple: {input}}}}}}}}}
    outputs: {{variables: {{y: {{type: {{simple: INTEGER}}}}}}}}
  container: {{image: "img:1", args: [run]}}
"""
WF = """\
template:
  id: {{resourceType: WORKFLOW, name: {name}, version: v1}}
  interface: {{outputs: {{variables: {{y: {{type: {{simple: INTEGER}}}}}}}}}}
  nodes:
    - id: n
      taskNode: {{referenceId: {{resourceType: TASK, name: {task}, version: v1}}}}
      inputs: [{{var: x, binding: {{scalar: {{primitive: {{integer: 3}}}}}}}}]
  outputs: [{{var: y, binding: {{promise: {{nodeId: n, var: y}}}}}}]
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch) -> Path:
    (tmp_path / ".git").mkdir()
    for i in range(20):
        d = tmp_path / f"team{i % 4}"
        d.mkdir(exist_ok=True)
        (d / f"task{i}.yaml").write_text(TASK.format(name=f"t{i}", input="INTEGER"))
        (d / f"wf{i}.yaml").write_text(WF.format(name=f"w{i}", task=f"t{i}"))
    (tmp_path / "notes.yaml").write_text("title: not a spec\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


TEAMS = ("team0", "team1", "team2", "team3")


def age(root: Path, seconds: float = 60) -> None:
    """Make every file look written ``seconds`` ago (an index row is trusted only for a file
    older than the index by two seconds)."""
    for p in root.rglob("*.yaml"):
        t = time.time() - seconds
        os.utime(p, (t, t))


def run(*args: str) -> tuple[int, list[dict], str]:
    r = CliRunner().invoke(cli.main, ["compile", "--format", "json", *args])
    assert r.exit_code in (0, 1), r.output
    return r.exit_code, json.loads(r.stdout)["diagnostics"], r.stderr


def test_a_changed_task_is_reported_where_it_breaks(project: Path):
    assert run(*TEAMS)[0] == 0
    (project / "team3" / "task3.yaml").write_text(TASK.format(name="t3", input="STRING"))
    code, diags, _ = run("team3/task3.yaml")  # pre-commit passes the changed file only
    assert code == 1
    assert [(d["file"], d["code"]) for d in diags] == [("team3/wf3.yaml", "SPC402")]


def files_read(monkeypatch, *args: str) -> list[str]:
    """The names of the files a clean ``specc compile ARGS`` reads."""
    read: list[str] = []
    real = driver.read_file

    def spy(path, limits, data=None):
        read.append(str(path))
        return real(path, limits, data)

    monkeypatch.setattr(driver, "read_file", spy)
    code, diags, _ = run(*args)
    assert code == 0 and diags == []
    return sorted(Path(p).name for p in read)


def test_a_warm_run_reads_only_what_the_change_needs(project: Path, monkeypatch):
    age(project)
    run("team0/wf0.yaml")  # fills the cache and its index
    # the given file, and at most the one file it uses (this process may hold it in memory)
    assert files_read(monkeypatch, "team0/wf0.yaml") in (["wf0.yaml"], ["task0.yaml", "wf0.yaml"])


def test_a_full_run_fills_the_index_a_pre_commit_run_needs(project: Path, monkeypatch):
    """After ``specc compile .`` (every file given, no context), the first pre-commit run on a
    changed workflow reads that file and what it uses only, not the whole project."""
    age(project)
    run(*TEAMS)  # every file given: no context is computed, the index is filled all the same
    (project / "team0" / "wf0.yaml").write_text(WF.format(name="w0", task="t0") + "# edited\n")
    names = files_read(monkeypatch, "team0/wf0.yaml")
    assert names in (["wf0.yaml"], ["task0.yaml", "wf0.yaml"]), names


def test_no_cache_writes_nothing(project: Path):
    run("--no-cache", *TEAMS)
    assert not (project / ".specc_cache").exists()
    run(*TEAMS)
    assert (project / ".specc_cache" / ".gitignore").exists()


def test_a_file_changed_within_the_same_second_is_read_again(project: Path):
    """An index row is trusted only for a file older than the index by two seconds."""
    run(*TEAMS)
    p = project / "team1" / "task1.yaml"
    p.write_text(TASK.format(name="t1", input="STRING"))
    st = p.stat()
    os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns))  # same size class, new content
    _, diags, _ = run("team1/task1.yaml")
    assert ("team1/wf1.yaml", "SPC402") in [(d["file"], d["code"]) for d in diags]


def test_reading_on_every_core_gives_the_same_output(monkeypatch):
    """Files read by forked workers (their yields carried back in the cache's JSON form) give
    the output of one core, byte for byte."""
    paths = [REPO / "fixtures", REPO / "examples"]

    def shown(parallel_from: int) -> str:
        monkeypatch.setattr(driver, "PARALLEL_FROM", parallel_from)
        monkeypatch.setattr(driver.os, "cpu_count", lambda: 2)
        r = driver.compile_paths(driver.Options(paths=[p.relative_to(REPO) for p in paths],
                                                cache=False, closures=True))
        return _shown(r)

    parallel = shown(4)
    assert driver._workers(100) == 2 or driver._fork() is None  # (cpu_count patched to 2)
    assert parallel == shown(10**9)


def test_context_files_are_the_spec_files_git_lists(tmp_path):
    """The project's files as context: names specc reads (form_of), not the given ones, not a
    fast-registration archive; a tracked file deleted from the work tree is skipped."""
    from specc import project
    from specc.frontends import form_of

    names = ["a.yaml", "b.YML", "c.json", "d.pb", "e.tgz", "f.tar.gz", "fast0a1b.tar.gz",
             "notes.txt", "yaml", ".yaml", "sub/g.yaml", "gone.yaml"]
    for n in names:
        (tmp_path / n).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / n).write_text("x: 1\n")
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run(["git", "add", "."], cwd=tmp_path, check=True)
    (tmp_path / "gone.yaml").unlink()
    got = project.context_files(tmp_path / "a.yaml", [tmp_path / "a.yaml"], None, None)
    want = sorted(str(tmp_path / n) for n in names
                  if form_of(Path(n)) is not None and not n.startswith("fast")
                  and n != "a.yaml")
    assert got == want  # the deleted file is listed: the reader, which stats it, skips it
    r = driver.compile_paths(driver.Options(paths=[tmp_path / "a.yaml"], context=True,
                                            cache=False))
    assert r.internal_error is False
