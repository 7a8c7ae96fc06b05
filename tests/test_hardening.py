"""Hardening: one regression test (at least) per kind of defect that fuzzing and fault tests found
(issue 12). Each ended in exit 3, a hang, lost output or partial output:

- output names: closures named after workflows collided or could not be file names;
- files that are not files: a FIFO or a link to a device hung specc or read without bound;
- ``convert`` raised on documents it could not write (``--to specc``, protobuf's encoder);
- reporters failed on a file name that is not UTF-8;
- a bundle's bytes followed the order of the paths on the command line;
- a write that failed half-way (a full disk, a signal) left some files behind;
- a JSON spec with a long list took time and memory far beyond reading it;
- the language server left malformed requests unanswered.

The property tests (``tests/test_properties.py``) and the fuzz targets (``fuzz/``) look for more.
"""
from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import tarfile
import time
from pathlib import Path
from typing import Any

import pytest

from specc import driver
from specc.emit.names import MAX_STEM_BYTES, file_stem, fold
from tests.conftest import REPO

# ---- small specs ---------------------------------------------------------------------------------

RUNTIME = {"type": "FLYTE_SDK", "version": "1.16.0", "flavor": "python"}
INT = {"type": {"simple": "INTEGER"}}


def task(name: str = "t.count") -> dict:
    return {"template": {
        "id": {"resourceType": "TASK", "name": name, "version": "v1"},
        "type": "python-task",
        "metadata": {"runtime": RUNTIME, "retries": {"retries": 1}},
        "interface": {"inputs": {"variables": {"x": INT}}, "outputs": {"variables": {"y": INT}}},
        "container": {"image": "ghcr.io/example/count:1.0", "args": ["pyflyte-execute"]}}}


def workflow(name: str, version: str = "v1", task_name: str = "t.count") -> dict:
    return {"template": {
        "id": {"resourceType": "WORKFLOW", "name": name, "version": version},
        "interface": {"inputs": {"variables": {"x": INT}}, "outputs": {"variables": {"y": INT}}},
        "nodes": [{"id": "n", "taskNode": {"referenceId": {"resourceType": "TASK",
                                                           "name": task_name, "version": "v1"}},
                   "inputs": [{"var": "x", "binding": {"promise": {"var": "x"}}}]}],
        "outputs": [{"var": "y", "binding": {"promise": {"nodeId": "n", "var": "y"}}}]}}


def specs(folder: Path, *workflows: dict, with_task: bool = True) -> Path:
    """``folder`` with the task and each workflow in a JSON file of its own."""
    folder.mkdir(parents=True, exist_ok=True)
    if with_task:
        (folder / "task.json").write_text(json.dumps(task()))
    for i, wf in enumerate(workflows):
        (folder / f"wf{i}.json").write_text(json.dumps(wf))
    return folder


def compile_(*paths: Path, **kw: Any) -> driver.Result:
    return driver.compile_paths(driver.Options(paths=list(paths), cache=False, **kw))


def run_cli(*args: object, cwd: Path | None = None, timeout: float = 120,
            env: dict[str, str] | None = None, **kw: Any) -> subprocess.CompletedProcess[bytes]:
    """``specc ARGS`` in a new process (the console script's own exit handling included)."""
    env = dict(os.environ if env is None else env)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")])
    return subprocess.run([sys.executable, "-m", "specc", *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, timeout=timeout, **kw)


def leftovers(folder: Path) -> list[Path]:
    """Temporary files or folders of a write, anywhere below ``folder``."""
    return [p for p in folder.rglob("*") if ".specc-" in p.name or p.name.endswith(".tmp")]


# ---- output names --------------------------------------------------------------------------------

HOSTILE_NAMES = ["a/b", "a_b", "a%2Fb", "..", ".", ".hidden", "x\0y", "tab\there", "CON",
                 "con.train", "trailing.", "é.train", "Ünïcödé", "a" * 300, "b" * 300,
                 "semi;colon", "back\\slash", "new\nline", " spaced ", "😀"]


def test_file_stems_are_safe_distinct_and_bounded() -> None:
    stems = [file_stem(n) for n in HOSTILE_NAMES]
    assert len(set(stems)) == len(stems), "two names, one stem"
    for name, stem in zip(HOSTILE_NAMES, stems, strict=True):
        assert "/" not in stem and "\\" not in stem and "\0" not in stem, (name, stem)
        assert stem not in (".", "..") and not stem.startswith("."), (name, stem)
        assert len(stem.encode("utf-8")) <= MAX_STEM_BYTES, (name, stem)
        assert all(c.isprintable() and not c.isspace() for c in stem), (name, stem)
        assert file_stem(name) == stem  # deterministic
    assert file_stem("ml.train") == "ml.train"  # ordinary names stay as they are
    assert fold(file_stem("ML.Train")) == fold(file_stem("ml.train"))


def test_closure_names_never_collide_and_stay_inside_out(tmp_path: Path) -> None:
    names = ["a/b", "a_b", "x\0y", "..", "CON", "c" * 300, "new\nline", "ok"]
    src = specs(tmp_path / "src", *(workflow(n) for n in names))
    out = tmp_path / "out"
    result = compile_(src, out=out)
    assert result.exit_code == 0, [d.message for d in result.diagnostics]
    written = sorted(out.iterdir())
    assert len(written) == len(names) == len(result.written)
    assert all(p.parent == out and p.is_file() for p in written)
    assert sorted(p.name for p in written) == sorted(
        f"{file_stem(n)}.closure.pb" for n in names)


@pytest.mark.parametrize("second", [("example.pipeline", "v2"), ("Example.Pipeline", "v1")],
                         ids=["two-versions", "names-differ-in-case"])
def test_two_closures_for_one_file_are_an_error(tmp_path: Path, second: tuple[str, str]) -> None:
    src = specs(tmp_path / "src", workflow("example.pipeline"), workflow(*second))
    out = tmp_path / "out"
    out.mkdir()
    (out / "kept.txt").write_text("mine")
    result = compile_(src, out=out)
    assert [d.code for d in result.diagnostics] == ["SPC024"]
    d = result.diagnostics[0]
    assert d.span is not None and d.related and "example.pipeline" in d.message.lower()
    assert sorted(p.name for p in out.iterdir()) == ["kept.txt"]  # nothing written
    # without -o there is no file, so no clash
    assert compile_(src).exit_code == 0


def test_lone_surrogate_in_a_name_is_an_error_not_a_crash(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "task.json").write_text(json.dumps(task()))
    (src / "wf.json").write_text(json.dumps(workflow("NAME")).replace("NAME", "x\\ud800y"))
    for fmt in ("text", "json", "sarif", "github"):
        r = run_cli("compile", "--no-cache", "--format", fmt, src, "-o", tmp_path / "out")
        assert r.returncode == 1, r.stderr
        assert b"SPC025" in r.stdout and b"Traceback" not in r.stderr
        r.stdout.decode("utf-8")  # strict: every format is valid UTF-8
    assert not (tmp_path / "out").exists()


# ---- regular files only, bounded reads -----------------------------------------------------------

@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_fifo_and_devices_are_refused_without_blocking(tmp_path: Path) -> None:
    d = tmp_path / "specs"
    d.mkdir()
    os.mkfifo(d / "pipe.yaml")  # nobody ever writes to it: reading it would block for ever
    if Path("/dev/zero").exists():
        (d / "zero.json").symlink_to("/dev/zero")  # endless
    (d / "ok.json").write_text(json.dumps(task()))
    for args in ([d], [d / "pipe.yaml"]):
        r = run_cli("compile", "--no-cache", "--format", "json", *args, timeout=60)
        assert r.returncode == 1, r.stderr
        diags = json.loads(r.stdout)["diagnostics"]
        refused = {Path(x["file"]).name: x["message"] for x in diags if x["code"] == "SPC001"}
        assert "FIFO" in refused["pipe.yaml"]
        if len(args) == 1 and args[0] == d and Path("/dev/zero").exists():
            assert "character device" in refused["zero.json"]


def test_a_file_is_read_no_further_than_the_limit(tmp_path: Path) -> None:
    from specc.frontends import Limits, read_file

    big = tmp_path / "big.yaml"
    big.write_bytes(b"a: 1\n" * 100)
    _, data, diags = read_file(big, Limits(max_file_bytes=64))
    assert data is None and [d.code for d in diags] == ["SPC007"]
    # a file whose size says 0 but that holds more (as /proc files do) is bounded by what is read
    proc = Path("/proc/self/status")
    if proc.exists():
        link = tmp_path / "status.yaml"
        link.symlink_to(proc)
        _, data, diags = read_file(link, Limits(max_file_bytes=16))
        assert data is None and [d.code for d in diags] == ["SPC007"]


# ---- convert never raises ------------------------------------------------------------------------

def test_convert_reports_each_document_the_dialect_emitter_refuses(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from specc import convert
    from specc.dialect import emit

    src = specs(tmp_path / "src", workflow("w.one"), workflow("w.two"))
    real = emit.plan

    def flaky(documents: list[Any], check: Any) -> Any:
        if any("w.two" in json.dumps(d.canonical) for d in documents):
            raise emit.EmitError("the dialect form does not lower back exactly")
        return real(documents, check)

    monkeypatch.setattr(emit, "plan", flaky)
    result = convert.convert_paths([src], "specc", tmp_path / "out")
    assert [d.code for d in result.diagnostics] == ["SPC026"]
    d = result.diagnostics[0]
    assert d.file and d.file.endswith("wf1.json") and d.span is not None
    assert "does not lower back" in d.message
    assert result.exit_code == 1 and result.written == [] and not (tmp_path / "out").exists()


def test_convert_reports_what_protobuf_refuses(tmp_path: Path) -> None:
    """A launch plan's launch conditions are a google.protobuf.Any of a type protobuf does not
    know: check-schema passes it, the encoder refuses it. (The fixture's own type,
    google.protobuf.Empty, is known once any module has imported it, so a made-up one here.)"""
    from specc import convert

    text = (REPO / "fixtures/err/check-registration/SPC539-launch-conditions.yaml").read_text()
    assert "type.googleapis.com/google.protobuf.Empty" in text
    src = tmp_path / "lp.yaml"
    src.write_text(text.replace("type.googleapis.com/google.protobuf.Empty",
                                "type.googleapis.com/example.NotAMessage"))
    for to in ("yaml", "json", "pb"):
        result = convert.convert_paths([src], to, tmp_path / to)
        assert [d.code for d in result.diagnostics if d.severity == "error"] == ["SPC026"], to
        assert not (tmp_path / to).exists()


@pytest.mark.parametrize("to", ["yaml", "json", "pb", "specc"])
def test_convert_of_every_fixture_writes_or_reports(tmp_path: Path, to: str) -> None:
    """Every spec fixture, converted: no exception; written exactly when nothing is reported."""
    from specc import convert

    cases = sorted(p for p in (REPO / "fixtures").glob("*/*/*")
                   if p.suffix in (".yaml", ".json", ".pb", ".tgz"))
    cases += sorted((REPO / "examples").rglob("*.yaml"))
    assert len(cases) > 100
    for i, case in enumerate(cases):
        out = tmp_path / str(i)
        try:
            result = convert.convert_paths([case], to, out)
        except convert.ConvertError:
            assert not out.exists(), case
            continue
        errors = [d for d in result.diagnostics if d.severity == "error"]
        assert result.exit_code == (1 if errors else 0), case
        if errors:
            assert result.written == [] and not out.exists(), case
        else:
            assert all(p.is_file() for p in result.written), case


# ---- reporters and file names that are not UTF-8 -------------------------------------------------

@pytest.mark.skipif(sys.platform in ("darwin", "win32"),
                    reason="the file system refuses names that are not UTF-8")
def test_every_reporter_shows_a_name_that_is_not_utf8(tmp_path: Path) -> None:
    d = tmp_path / "specs"
    d.mkdir()
    (Path(os.fsdecode(bytes(d) + b"/caf\xe9.yaml"))).write_bytes(b"a: [1\n")  # broken YAML
    outputs = {}
    for fmt in ("text", "json", "sarif", "github"):
        r = run_cli("compile", "--no-cache", "--format", fmt, "specs", cwd=tmp_path,
                    env={**os.environ, "LC_ALL": "C.UTF-8"})
        assert r.returncode == 1, r.stderr
        outputs[fmt] = r.stdout.decode("utf-8")  # strict
    assert "caf\\xe9.yaml" in outputs["text"] and "caf\\xe9.yaml" in outputs["github"]
    assert json.loads(outputs["json"])["diagnostics"][0]["file"].endswith("caf\\xe9.yaml")
    sarif = json.loads(outputs["sarif"])
    uri = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert uri["uri"] == "specs/caf%E9.yaml"


def test_reporters_escape_lone_surrogates_the_same_way() -> None:
    from specc.reporters.common import escape_surrogates

    text = "caf\udce9 \ud800"
    assert escape_surrogates(text) == "caf\\xe9 \\ud800"
    as_json = json.dumps(text, ensure_ascii=False)
    assert json.loads(escape_surrogates(as_json, in_json=True)) == escape_surrogates(text)


# ---- determinism ---------------------------------------------------------------------------------

def test_bundle_bytes_do_not_follow_the_order_of_the_paths(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    src = specs(tmp_path / "src", workflow("w.a"), workflow("w.b"), workflow("w.c"))
    (src / "zz_task.json").write_text(json.dumps(task("t.other")))
    files = sorted(src.iterdir())
    monkeypatch.chdir(tmp_path)
    orders = [files, files[::-1], [files[2], files[0], files[3], files[1], files[4]],
              [Path(os.path.relpath(f)) for f in reversed(files)]]
    blobs = set()
    for i, order in enumerate(orders):
        target = tmp_path / f"b{i}.tgz"
        assert compile_(*order, bundle=target).exit_code == 0
        blobs.add(target.read_bytes())
    assert len(blobs) == 1


def test_a_file_given_twice_is_read_once(tmp_path: Path) -> None:
    src = specs(tmp_path / "src", workflow("w.a"))
    once = compile_(src, bundle=tmp_path / "a.tgz")
    twice = compile_(src, src / "wf0.json", src, bundle=tmp_path / "b.tgz")
    assert once.files == twice.files
    assert (tmp_path / "a.tgz").read_bytes() == (tmp_path / "b.tgz").read_bytes()


# ---- all or nothing ------------------------------------------------------------------------------

class _DiskFull:
    """A stand-in for ``specc.emit._write_file`` that fails (ENOSPC) from the ``n``-th file on."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.calls = 0
        from specc import emit

        self.real = emit._write_file

    def __call__(self, path: Path, data: bytes) -> None:
        self.calls += 1
        if self.calls >= self.n:
            self.real(path, data[: len(data) // 2])  # half a file, as a full disk leaves it
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        self.real(path, data)


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


@pytest.mark.parametrize("fail_at", [1, 2, 4])
def test_closures_are_written_all_or_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             fail_at: int) -> None:
    from specc import emit

    src = specs(tmp_path / "src", *(workflow(f"w.{i}") for i in range(4)))
    out = tmp_path / "deep" / "out"  # neither folder exists: both are made, and removed again
    monkeypatch.setattr(emit, "_write_file", _DiskFull(fail_at))
    with pytest.raises(driver.UsageError, match="No space left"):
        compile_(src, out=out)
    assert not (tmp_path / "deep").exists()
    assert leftovers(tmp_path) == []


def test_a_failed_run_keeps_the_files_it_would_have_replaced(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from specc import emit

    src = specs(tmp_path / "src", *(workflow(f"w.{i}") for i in range(3)))
    out = tmp_path / "out"
    assert compile_(src, out=out, emit="json").exit_code == 0
    (out / "notes.txt").write_text("not specc's")
    before = _snapshot(out)
    (src / "wf0.json").write_text(json.dumps(workflow("w.0", version="v9")))
    # the rename into place fails at the third file: the first two must come back
    real_replace = os.replace
    calls = {"n": 0}

    def flaky_replace(a: Any, b: Any) -> None:
        if ".specc-" in str(a) and "/new/" in str(a).replace(os.sep, "/"):
            calls["n"] += 1
            if calls["n"] == 3:
                raise OSError(errno.EIO, "Input/output error", str(b))
        return real_replace(a, b)

    monkeypatch.setattr(emit.os, "replace", flaky_replace)
    with pytest.raises(driver.UsageError, match="Input/output error"):
        compile_(src, out=out, emit="json")
    assert calls["n"] == 3
    assert _snapshot(out) == before
    assert leftovers(tmp_path) == []


def test_bundle_and_closures_are_one_transaction(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from specc import emit

    src = specs(tmp_path / "src", workflow("w.a"), workflow("w.b"))
    out, bundle = tmp_path / "out", tmp_path / "dist" / "specs.tgz"
    monkeypatch.setattr(emit, "_write_file", _DiskFull(3))  # two closures, then the bundle
    with pytest.raises(driver.UsageError):
        compile_(src, out=out, bundle=bundle)
    assert not out.exists() and not bundle.parent.exists()
    monkeypatch.undo()
    result = compile_(src, out=out, bundle=bundle)
    assert result.exit_code == 0 and len(result.written) == 3
    with tarfile.open(bundle) as tf:
        assert len(tf.getnames()) == 5  # a task, two workflows, their default launch plans


def test_a_bundle_path_that_is_a_closure_path_is_refused(tmp_path: Path) -> None:
    src = specs(tmp_path / "src", workflow("w.a"))
    out = tmp_path / "out"
    with pytest.raises(driver.UsageError, match="one file"):
        compile_(src, out=out, bundle=out / "w.a.closure.pb")
    assert not out.exists()


def test_convert_writes_all_or_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from specc import convert, emit

    src = specs(tmp_path / "src", *(workflow(f"w.{i}") for i in range(3)))
    out = tmp_path / "out"
    out.mkdir()
    (out / "task.yaml").write_text("old")
    monkeypatch.setattr(emit, "_write_file", _DiskFull(3))
    with pytest.raises(convert.ConvertError, match="No space left"):
        convert.convert_paths([src], "yaml", out)
    assert _snapshot(out) == {"task.yaml": b"old"}
    assert leftovers(tmp_path) == []


@pytest.mark.skipif(not hasattr(signal, "SIGXFSZ"), reason="no file-size limit here")
def test_a_file_size_limit_leaves_nothing(tmp_path: Path) -> None:
    """RLIMIT_FSIZE: the kernel refuses to write past it (a full disk, as far as specc sees)."""
    import resource

    src = specs(tmp_path / "src", *(workflow(f"w.{i}") for i in range(3)))
    out = tmp_path / "out"

    def limit() -> None:  # in the child, before specc starts
        resource.setrlimit(resource.RLIMIT_FSIZE, (600, 600))

    r = run_cli("compile", "--no-cache", src, "-o", out, "--emit", "json", preexec_fn=limit)
    assert r.returncode == 2, (r.returncode, r.stderr)
    assert b"cannot write" in r.stderr
    assert not out.exists() and leftovers(tmp_path) == []


_SLOW_WRITER = """
import sys, time
from pathlib import Path
from specc import emit
real = emit._write_file
began = Path(sys.argv[1])
def slow(path, data):
    real(path, data)
    began.touch()  # tell the test the write has begun
    time.sleep(60)
emit._write_file = slow
sys.argv = ["specc", *sys.argv[2:]]
from specc.__main__ import run
run()
"""


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_while_writing_leaves_nothing(tmp_path: Path, signum: int) -> None:
    src = specs(tmp_path / "src", *(workflow(f"w.{i}") for i in range(3)))
    out, began = tmp_path / "out", tmp_path / "began"
    env = dict(os.environ, PYTHONPATH=str(REPO))
    proc = subprocess.Popen([sys.executable, "-c", _SLOW_WRITER, began, "compile", "--no-cache",
                             src, "-o", out], env=env, cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while not began.exists():
            assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
            time.sleep(0.05)
        assert out.exists()  # half-way: the temporary folder is there
        proc.send_signal(signum)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 128 + signum, err
    assert not out.exists() and leftovers(tmp_path) == []


# ---- memory and time proportional to the input ---------------------------------------------------

def test_a_position_in_a_long_list_does_not_index_the_file(tmp_path: Path) -> None:
    """A lookup reads the containers on its way; the whole table (a span per value) is built
    only for the language server. Both agree."""
    from specc.frontends import Limits, load_file

    t = task()
    t["template"]["custom"] = {"values": list(range(50_000)), "after": "x"}
    t["template"]["container"]["args"] = [f"--flag{i}" for i in range(5_000)]
    path = tmp_path / "long.json"
    path.write_text(json.dumps(t, indent=1))
    from specc.frontends.json import LazySpans

    (doc,), _ = load_file(path, Limits())
    spans = doc.spans
    assert isinstance(spans, LazySpans)
    pointers = ["/template/custom/values/49999", "/template/custom/after",
                "/template/container/args/4321", "/template/container/image", "",
                "/template/custom/values/50000", "/template/nope", "/template/custom/values/x"]
    lazy = [spans.lookup(p) for p in pointers] + [spans.lookup(p, True) for p in pointers]
    assert spans._table is None
    assert lazy == [spans.table().lookup(p) for p in pointers] + [
        spans.table().lookup(p, True) for p in pointers]


def test_a_flood_of_one_diagnostic_is_cut_short(tmp_path: Path) -> None:
    t = task()
    t["template"]["container"]["args"] = list(range(5_000))  # every one of them wrong
    path = tmp_path / "t.json"
    path.write_text(json.dumps(t))
    result = compile_(path)
    codes = [d.code for d in result.diagnostics]
    assert codes.count("SPC102") == 200 and codes.count("SPC007") == 1
    assert result.exit_code == 1


# ---- the language server answers every request ---------------------------------------------------

def test_language_server_answers_malformed_requests(tmp_path: Path) -> None:
    pytest.importorskip("pygls")
    from tests.test_lsp import TASKS, WORKFLOW, Client

    (tmp_path / "tasks.yaml").write_text(TASKS, encoding="utf-8")
    (tmp_path / "wf.yaml").write_text(WORKFLOW, encoding="utf-8")
    client = Client(tmp_path)
    try:
        root = tmp_path.resolve().as_uri()
        client.request("initialize", {"processId": os.getpid(), "rootUri": root,
                                      "capabilities": {},
                                      "workspaceFolders": [{"uri": root, "name": "specs"}]})
        client.notify("initialized", {})
        uri = (tmp_path / "wf.yaml").resolve().as_uri()
        unopened = (tmp_path / "tasks.yaml").resolve().as_uri()
        far = {"line": 2**31 - 1, "character": 2**31 - 1}
        bad = [
            ("textDocument/hover", {"textDocument": {"uri": unopened}, "position": far}),
            ("textDocument/hover", {"textDocument": {"uri": unopened},
                                    "position": {"line": -1, "character": 0}}),
            ("textDocument/definition", {"textDocument": {"uri": uri},
                                         "position": {"line": -5, "character": -5}}),
            ("textDocument/hover", {}),
            ("textDocument/hover", None),
            ("textDocument/hover", {"textDocument": {"uri": 5}, "position": "x"}),
            ("textDocument/definition", {"textDocument": {"uri": "file:///%ff%00.yaml"},
                                         "position": {"line": 0, "character": 0}}),
            ("textDocument/hover", {"textDocument": {"uri": "untitled:1"},
                                    "position": {"line": 0, "character": 0}}),
            ("specc/noSuchMethod", {}),
        ]
        for method, params in bad:
            answer = _answer(client, method, params)
            assert "result" in answer or "error" in answer, (method, params, answer)
        client.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "yaml", "version": 1, "text": WORKFLOW}})
        for position in (far, {"line": 3, "character": 10**6}, {"line": 10**6, "character": 0}):
            answer = _answer(client, "textDocument/hover",
                             {"textDocument": {"uri": uri}, "position": position})
            assert "result" in answer or "error" in answer
        # and it keeps working: a real hover still answers with the task's interface
        lines = WORKFLOW.splitlines()
        line = next(i for i, t in enumerate(lines) if "name: shop.fetch_orders" in t)
        hover = client.request("textDocument/hover", {
            "textDocument": {"uri": uri},
            "position": {"line": line, "character": lines[line].index("shop.fetch") + 3}})
        assert hover is not None and "shop.fetch_orders" in hover["contents"]["value"]
        assert client.close() == 0
    finally:
        client.dispose()


def _answer(client: Any, method: str, params: Any, timeout: float = 30.0) -> dict[str, Any]:
    """The response (result or error) to one request; fails if none comes in time."""
    client.next_id += 1
    rid = client.next_id
    client.send({"id": rid, "method": method, "params": params})
    deadline = time.monotonic() + timeout
    while True:
        msg: dict[str, Any] = client._next(deadline)
        if msg.get("id") == rid and "method" not in msg:
            return msg
        client.pending.append(msg)
