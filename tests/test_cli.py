"""The command line: exit codes, the JSON contract, closure files, and failure modes."""
from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from specc import cli
from tests.conftest import REPO, SPECC

EXAMPLES = REPO / "examples" / "flyteidl"
BAD = """\
template:
  id: {resourceType: WORKFLOW, name: wf, version: v1}
  interface:
    outputs: {variables: {o: {type: {simple: STRING}}}}
  nodes:
    - id: n0
      taskNode: {referenceId: {resourceType: TASK, name: example.prepare, version: v1}}
      inputs:
        - var: rows
          binding: {scalar: {primitive: {stringValue: "ten"}}}
  outputs:
    - var: o
      binding: {promise: {nodeId: n0, var: table}}
"""


def run(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "specc", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def invoke(*args: str):
    return CliRunner().invoke(cli.main, list(args))


@pytest.fixture
def bad(tmp_path: Path) -> Path:
    p = tmp_path / "bad.yaml"
    p.write_text(BAD)
    return p


def test_clean_exit_0():
    r = invoke("compile", str(EXAMPLES))
    assert r.exit_code == 0, r.output
    assert r.stdout == ""
    assert "no problems" in r.stderr


def test_errors_exit_1_text_format(bad):
    r = invoke("compile", str(EXAMPLES / "tasks.yaml"), str(bad))
    assert r.exit_code == 1
    first = r.stdout.splitlines()[0]
    # path:line:col: severity CODE message [pass]
    assert first.endswith("[check-types]")
    assert ":10:29: error SPC402 input 'rows' of node 'n0' has type int" in first
    assert " 10 |           binding: {scalar: {primitive: {stringValue: \"ten\"}}}" in r.stdout
    assert r.stderr == "specc: 2 errors in 1 of 2 files\n"  # only one of them has errors


def test_usage_error_exit_2(tmp_path):
    assert invoke("compile", str(tmp_path / "missing.yaml")).exit_code == 2
    assert invoke("compile").exit_code == 2
    assert invoke("compile", "--emit", "xml", str(EXAMPLES)).exit_code == 2


def test_internal_error_exit_3(monkeypatch, bad):
    """A pass that raises is a bug: SPC900, exit 3, no traceback, nothing written."""
    from specc.passes import check_graph

    def boom(*args):
        raise RuntimeError("kaput")

    monkeypatch.setattr(check_graph, "check_graph", boom)
    r = invoke("compile", "--format", "json", str(EXAMPLES))
    assert r.exit_code == 3
    out = json.loads(r.stdout)
    (d,) = out["diagnostics"]
    assert d["code"] == "SPC900" and "check-graph" in d["message"] and "kaput" in d["message"]
    assert "Traceback" not in r.output


def test_json_contract(bad):
    r = invoke("compile", "--format", "json", str(EXAMPLES / "tasks.yaml"), str(bad))
    assert r.exit_code == 1
    out = json.loads(r.stdout)  # exactly one JSON object, nothing else on stdout
    assert set(out) == {"diagnostics", "summary"}
    assert out["summary"] == {"files": 2, "errors": len(out["diagnostics"]), "warnings": 0,
                              "not_checked": 0, "external": 0}
    keys = {"code", "name", "severity", "message", "file", "line", "column", "end_line",
            "end_column", "pointer", "flyte_code", "help", "related"}
    for d in out["diagnostics"]:
        assert set(d) == keys
        assert d["severity"] in ("error", "warning", "note")
        assert isinstance(d["line"], int) and d["line"] >= 1 and d["column"] >= 1
        assert d["end_line"] >= d["line"]
        assert d["pointer"].startswith("/")
        assert d["help"] is None or isinstance(d["help"], str)
        for rel in d["related"]:
            assert set(rel) == {"file", "line", "column", "message"}
    codes = {d["code"]: d for d in out["diagnostics"]}
    assert codes["SPC402"]["flyte_code"] == "MismatchingTypes"
    assert codes["SPC402"]["pointer"] == "/template/nodes/0/inputs/0/binding/scalar"
    assert codes["SPC402"]["line"] == 10 and codes["SPC402"]["column"] == 29
    assert codes["SPC401"]["pointer"] == "/template/outputs/0/binding/promise"


def test_json_contract_on_protobuf_input_has_pointer_and_null_lines():
    corpus = REPO.parent / "shared" / "conformance" / "flytectl" / "compile"
    path = corpus / "bad-workflow-package.tgz"
    if not path.exists():
        pytest.skip(f"{path} is absent")
    r = invoke("compile", "--format", "json", str(path))
    out = json.loads(r.stdout)
    (d,) = [d for d in out["diagnostics"] if d["flyte_code"] == "MismatchingTypes"]
    assert d["line"] is None and d["column"] is None
    assert d["pointer"] == "/template/nodes/0/inputs/1/binding/promise"
    assert d["file"].endswith("bad-workflow-package.tgz!7_example.example.wf3_2.pb")


@pytest.mark.parametrize("emit", ["pb", "json", "yaml"])
def test_out_writes_one_closure_per_workflow(tmp_path, emit):
    out = tmp_path / "out"
    r = invoke("compile", "-o", str(out), "--emit", emit, str(EXAMPLES))
    assert r.exit_code == 0, r.output
    files = sorted(p.name for p in out.iterdir())
    assert files == [f"example.pipeline.closure.{emit}"]
    data = (out / files[0]).read_bytes()
    if emit == "pb":
        from flyteidl.core import compiler_pb2

        msg = compiler_pb2.CompiledWorkflowClosure()
        msg.ParseFromString(data)
        assert [n.id for n in msg.primary.template.nodes] == ["start-node", "end-node",
                                                             "prepare", "train"]
        assert list(msg.primary.connections.downstream["prepare"].ids) == ["train"]
        assert len(msg.tasks) == 2
    elif emit == "json":
        assert json.loads(data)["primary"]["connections"]["upstream"]["train"] == {
            "ids": ["prepare"]}
    else:
        from ruamel.yaml import YAML

        assert YAML(typ="safe").load(data)["primary"]["template"]["id"]["name"] == \
            "example.pipeline"


def test_closures_are_byte_identical_across_runs(tmp_path):
    digests = []
    for i in range(2):
        out = tmp_path / f"out{i}"
        assert run("compile", "-o", str(out), str(EXAMPLES)).returncode == 0
        digests.append({p.name: hashlib.sha256(p.read_bytes()).hexdigest()
                        for p in out.iterdir()})
    assert digests[0] == digests[1] and digests[0]


def test_nothing_written_when_there_are_errors(tmp_path, bad):
    out = tmp_path / "out"
    r = invoke("compile", "-o", str(out), str(EXAMPLES), str(bad))
    assert r.exit_code == 1
    assert not out.exists()


def test_no_traceback_on_hostile_input(tmp_path):
    cases = {
        "bomb.yaml": "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
            f"{c}: &{c} [{', '.join(['*' + p] * 10)}]\n"
            for p, c in zip("abcdefg", "bcdefgh", strict=False)),
        "deep.json": "[" * 5000 + "]" * 5000,
        "deep.yaml": "[" * 5000 + "]" * 5000,
        "binary.yaml": b"\xff\xfe\x00garbage",
        "trunc.pb": b"\x0a\xff\xff\xff",
        "list.yaml": "- just\n- a list\n",
        "scalar.json": "42",
    }
    for name, content in cases.items():
        p = tmp_path / name
        p.write_bytes(content if isinstance(content, bytes) else content.encode())
        r = run("compile", "--format", "json", str(p))
        assert r.returncode == 1, (name, r.stdout, r.stderr)
        assert "Traceback" not in r.stderr, (name, r.stderr)
        assert json.loads(r.stdout)["summary"]["errors"] >= 1, name


def test_console_script_cold_start_runs_example():
    r = subprocess.run([str(SPECC), "compile", "examples/"], cwd=REPO, capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 0, r.stderr


def test_explain():
    r = invoke("explain", "SPC401")
    assert r.exit_code == 0 and "MismatchingTypes" in r.stdout
    assert invoke("explain", "cycle").exit_code == 0
    assert invoke("explain", "SPC999").exit_code == 2
    listing = invoke("explain", "--list").stdout
    assert "SPC301" in listing and "SPC900" in listing


class _Terminal:
    """A stderr that says it is a terminal and keeps what is written to it."""

    def __init__(self, tty: bool = True) -> None:
        self.text = ""
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty

    def write(self, s: str) -> None:
        self.text += s

    def flush(self) -> None:
        pass


def test_progress_on_a_terminal_for_runs_that_take_a_while(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """A long run on a terminal shows files read and errors so far, on one line that is cleared
    before the report; the driver calls it once per file."""
    from specc import driver

    for i in range(5):
        (tmp_path / f"t{i}.yaml").write_text((REPO / "examples/flyteidl/tasks.yaml").read_text())
    term = _Terminal()
    bar = cli._Progress(term)
    assert bar.live
    now = [100.0]
    bar.clock, bar.start, bar.last = (lambda: now[0]), 100.0, 0.0
    calls: list[tuple[int, int, int]] = []

    def update(done: int, total: int, errors: int) -> None:
        calls.append((done, total, errors))
        now[0] += 0.2  # every file takes a while
        bar.update(done, total, errors)

    opts = driver.Options(paths=sorted(tmp_path.iterdir()), cache=False, progress=update)
    driver.compile_paths(opts)
    assert [c[:2] for c in calls] == [(n, 5) for n in range(1, 6)]
    assert "\rspecc: 5/5 files read, 0 errors so far" in term.text
    bar.clear()
    assert term.text.endswith("\r\x1b[K")


def test_no_progress_off_a_terminal_or_in_a_short_run() -> None:
    assert not cli._Progress(_Terminal(tty=False)).live
    term = _Terminal()
    bar = cli._Progress(term)
    bar.update(1, 2, 0)  # within the first half second: nothing
    bar.clear()
    assert term.text == ""


def test_compile_piped_prints_no_progress() -> None:
    r = subprocess.run([str(SPECC), "compile", "--no-cache", str(REPO / "examples")],
                       capture_output=True, text=True)
    assert r.returncode == 0 and "files read" not in r.stderr and "\r" not in r.stderr


def test_quiet_makes_no_progress_line(monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[object] = []
    real = cli._Progress

    def spy(stream: object) -> cli._Progress:
        made.append(stream)
        return real(stream)

    monkeypatch.setattr(cli, "_Progress", spy)
    for args, n in ((["--quiet"], 0), ([], 1)):
        made.clear()
        r = CliRunner().invoke(cli.main, ["compile", "--no-cache", *args,
                                          str(REPO / "examples")])
        assert r.exit_code == 0 and len(made) == n, (args, r.output)


def test_a_small_compile_loads_no_module_only_writing_needs() -> None:
    """Start-up counts in a pre-commit hook: compiling one file loads neither OpenSSL's hashing
    (``_hashlib``), ``secrets``, nor ``shutil`` and ``tempfile``, which only writing uses."""
    r = subprocess.run([sys.executable, "-X", "importtime", "-m", "specc", "compile", "--no-cache",
                        str(REPO / "examples/flyteidl/tasks.yaml")], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr[-2000:]
    loaded = {line.rsplit("|", 1)[-1].strip() for line in r.stderr.splitlines()
              if line.startswith("import time:")}
    assert "specc.driver" in loaded  # the listing is read
    assert not loaded & {"_hashlib", "secrets", "shutil", "tempfile"}, loaded & {
        "_hashlib", "secrets", "shutil", "tempfile"}
