"""The bundle front-end: ``pyflyte package`` archives (.tgz / .tar.gz), read safely from memory.

flytectl's own test bundles must load and compile as the conformance README says; hostile
archives (path traversal, links, bombs, corrupt gzip or tar) must be refused whole, with a
diagnostic, no documents, and nothing written.
"""
from __future__ import annotations

import gzip
import io
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from tests.conftest import CONFORMANCE, REPO, compile_paths, need

FLYTECTL = CONFORMANCE / "flytectl"


# ---- helpers ---------------------------------------------------------------------------------

def _load(path: Path, limits=None):
    from specc.frontends import Limits, load_file

    return load_file(path, limits or Limits())


def _errors(result_or_diags):
    diags = getattr(result_or_diags, "diagnostics", result_or_diags)
    return [d for d in diags if d.severity == "error"]


def _fmt(diags) -> str:
    return "\n".join(f"{d.file}:{d.pointer or ''}: {d.code} {d.message}" for d in diags)


def _cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.run([sys.executable, "-m", "specc", "compile", *args],
                          capture_output=True, text=True, cwd=cwd, env=env, timeout=120)


def _pb_members(bundle: Path) -> list[tuple[str, bytes]]:
    """The .pb members of a real bundle, to put into hand-made archives."""
    with tarfile.open(bundle) as tf:
        return [(os.path.basename(m.name), tf.extractfile(m).read())
                for m in tf.getmembers() if m.isfile() and m.name.endswith(".pb")]


def _tar(members, *, gz: bool = True, fmt=tarfile.GNU_FORMAT) -> bytes:
    """A tar (gzipped unless told) of (TarInfo or name, bytes or None) pairs."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=fmt) as tf:
        for info, data in members:
            if isinstance(info, str):
                info = tarfile.TarInfo(info)
            if data is not None:
                info.size = len(data)
                tf.addfile(info, io.BytesIO(data))
            else:
                tf.addfile(info)
    raw = buf.getvalue()
    return gzip.compress(raw, mtime=0) if gz else raw


def _info(name: str, type_: bytes, linkname: str = "") -> tarfile.TarInfo:
    ti = tarfile.TarInfo(name)
    ti.type = type_
    ti.linkname = linkname
    return ti


@pytest.fixture(scope="module")
def valid_members() -> list[tuple[str, bytes]]:
    return _pb_members(need(FLYTECTL / "compile" / "valid-package.tgz"))


# ---- flytectl's bundles ----------------------------------------------------------------------

CLEAN = [
    "compile/valid-package.tgz",
    "compile/launchplan-in-wf.tgz",
    "register/valid-register.tgz",
    "register/failure-node.tgz",
    "register/flytesnacks-core.tgz",
]


@pytest.mark.parametrize("name", CLEAN)
def test_flytectl_bundle_compiles_clean(name):
    path = need(FLYTECTL / name)
    result = compile_paths(path, closures=True)
    assert not _errors(result), _fmt(result.diagnostics)
    assert result.closures, "no workflow was compiled"


@pytest.mark.parametrize("name", ["compile/valid-package.tgz", "compile/launchplan-in-wf.tgz",
                                  "register/valid-register.tgz", "register/failure-node.tgz",
                                  "register/flytesnacks-core.tgz",
                                  "compile/bad-workflow-package.tgz"])
def test_flytectl_bundle_loads(name):
    path = need(FLYTECTL / name)
    docs, diags = _load(path)
    assert not diags, _fmt(diags)
    assert docs
    for d in docs:
        assert d.file.display.startswith(f"{path.name}!") or f"{path.name}!" in d.file.display
        assert d.file.form == "pb" and d.kind in ("TaskSpec", "WorkflowSpec", "LaunchPlan")
    names = [d.file.display for d in docs]
    assert names == sorted(names)


def test_flytesnacks_bundle_skips_code_archive_and_keeps_folders():
    path = need(FLYTECTL / "register" / "flytesnacks-core.tgz")
    docs, diags = _load(path)
    assert not diags
    with tarfile.open(path) as tf:
        pbs = [m for m in tf.getmembers() if m.isfile() and m.name.endswith(".pb")]
    assert len(docs) == len(pbs)
    assert all("!core/_pb_output/" in d.file.display for d in docs)
    assert not any("fast" in d.file.display for d in docs)


@pytest.mark.parametrize("name,kind", [("invalidtask", "TaskSpec"),
                                       ("invalidworkflow", "WorkflowSpec"),
                                       ("invalidlaunchplan", "LaunchPlan")])
def test_flytectl_corrupt_protobuf(name, kind, tmp_path):
    path = need(FLYTECTL / "compile" / f"{name}.tgz")
    result = compile_paths(path)
    errs = _errors(result)
    assert errs, _fmt(result.diagnostics)
    assert any((d.file and d.file.startswith(f"{path.name}!")) or f"{path.name}!" in (d.file or "")
               for d in errs)
    assert any("not a valid " + kind in d.message for d in errs), _fmt(errs)
    proc = _cli(str(path), "--out", str(tmp_path / "out"))
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert f"{name}.tgz!invalidtask/" in proc.stdout
    assert "does not decode" in proc.stdout or "not a valid" in proc.stdout
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_flytectl_bad_workflow_mismatching_types():
    path = need(FLYTECTL / "compile" / "bad-workflow-package.tgz")
    result = compile_paths(path)
    hits = [d for d in result.diagnostics if d.flyte_code == "MismatchingTypes"]
    assert hits, _fmt(result.diagnostics)
    assert all(f"{path.name}!" in d.file for d in hits)


# ---- what is read and what is skipped --------------------------------------------------------

def test_members_sorted_nested_and_skipped(tmp_path, valid_members):
    by = dict(valid_members)
    task = by["0_example.example.generate_normal_df_1.pb"]
    wf = by["2_example.example.wf_2.pb"]
    data = _tar([
        ("pkg/b/002_wf_2.pb", wf),
        ("pkg/a/001_task_1.pb", task),
        ("pkg/a/._001_task_1.pb", b"\x00\x05\x16\x07 AppleDouble junk"),
        (".hidden/000_task_1.pb", task),
        ("pkg/fastabc123.tar.gz", gzip.compress(b"not even a tar")),
        ("pkg/module.py", b"print('hi')\n"),
        (_info("pkg/emptydir", tarfile.DIRTYPE), None),
    ])
    p = tmp_path / "b.tar.gz"
    p.write_bytes(data)
    docs, diags = _load(p)
    assert not diags, _fmt(diags)
    assert [d.file.display.rsplit("!", 1) for d in docs] == [
        [docs[0].file.display.rsplit("!", 1)[0], "pkg/a/001_task_1.pb"],
        [docs[0].file.display.rsplit("!", 1)[0], "pkg/b/002_wf_2.pb"]]
    assert docs[0].file.display.endswith(f"{p.name}!pkg/a/001_task_1.pb")
    assert [d.kind for d in docs] == ["TaskSpec", "WorkflowSpec"]


def test_suffixes_and_expand(tmp_path, valid_members):
    from specc.frontends import expand, form_of

    assert form_of(Path("x.tgz")) == "bundle"
    assert form_of(Path("x.TAR.GZ")) == "bundle"
    assert form_of(Path("x.gz")) is None
    data = _tar(valid_members)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.tgz").write_bytes(data)
    (tmp_path / "b.tar.gz").write_bytes(data)
    (tmp_path / "fastdeadbeef.tar.gz").write_bytes(gzip.compress(b"code"))
    files, missing = expand([tmp_path])
    assert not missing
    assert [f.name for f in files] == ["b.tar.gz", "a.tgz"]


def test_empty_archive_is_a_note(tmp_path):
    p = tmp_path / "nothing.tgz"
    p.write_bytes(_tar([("README.md", b"hello\n")]))
    docs, diags = _load(p)
    assert docs == []
    assert [d.code for d in diags] == ["SPC023"] and diags[0].severity == "note"


# ---- hostile archives ------------------------------------------------------------------------

def _assert_refused(path: Path, code: str, tmp_path: Path, limits=None, via_cli: bool = True):
    from specc import driver
    from specc.frontends import Limits

    docs, diags = _load(path, limits)
    assert docs == [], "a refused archive must give no documents"
    assert diags and all(d.severity == "error" for d in diags), _fmt(diags)
    assert {d.code for d in diags} == {code}, _fmt(diags)
    assert all(d.file == os.path.relpath(path) or d.file == str(path) for d in diags)
    out = tmp_path / "out-lib"
    res = driver.compile_paths(driver.Options(paths=[path], out=out, limits=limits or Limits()))
    assert res.exit_code == driver.EXIT_ERRORS
    assert not out.exists() or not any(out.iterdir())
    if via_cli:
        out = tmp_path / "out-cli"
        proc = _cli(str(path), "--out", str(out))
        assert proc.returncode == 1, proc.stdout + proc.stderr
        assert "Traceback" not in proc.stderr
        assert code in proc.stdout
        assert not out.exists() or not any(out.iterdir())
    return diags


def test_refuses_dotdot_member(tmp_path, valid_members):
    p = tmp_path / "evil.tgz"
    p.write_bytes(_tar([*valid_members, ("../evil.pb", valid_members[0][1])]))
    diags = _assert_refused(p, "SPC020", tmp_path)
    assert "'../evil.pb'" in diags[0].message and "'..'" in diags[0].message


def test_refuses_dotdot_inside_path(tmp_path, valid_members):
    p = tmp_path / "evil.tgz"
    p.write_bytes(_tar([("pkg/../../x/00_t_1.pb", valid_members[0][1]), *valid_members]))
    _assert_refused(p, "SPC020", tmp_path, via_cli=False)


def test_refuses_absolute_member(tmp_path, valid_members):
    p = tmp_path / "abs.tgz"
    p.write_bytes(_tar([*valid_members, ("/etc/00_t_1.pb", valid_members[0][1])]))
    diags = _assert_refused(p, "SPC020", tmp_path)
    assert "absolute path" in diags[0].message


def test_refuses_symlink_member(tmp_path, valid_members):
    p = tmp_path / "sym.tgz"
    link = _info("99_x_1.pb", tarfile.SYMTYPE, "/etc/passwd")
    p.write_bytes(_tar([*valid_members, (link, None)]))
    diags = _assert_refused(p, "SPC020", tmp_path)
    assert "symbolic link" in diags[0].message


def test_refuses_hardlink_member(tmp_path, valid_members):
    p = tmp_path / "hard.tgz"
    link = _info("99_x_1.pb", tarfile.LNKTYPE, valid_members[0][0])
    p.write_bytes(_tar([*valid_members, (link, None)]))
    diags = _assert_refused(p, "SPC020", tmp_path)
    assert "hard link" in diags[0].message


@pytest.mark.parametrize("type_,word", [(tarfile.CHRTYPE, "device"), (tarfile.BLKTYPE, "device"),
                                        (tarfile.FIFOTYPE, "fifo")])
def test_refuses_special_members(tmp_path, valid_members, type_, word):
    p = tmp_path / "dev.tgz"
    p.write_bytes(_tar([*valid_members, (_info("dev/zero", type_), None)]))
    diags = _assert_refused(p, "SPC020", tmp_path, via_cli=False)
    assert word in diags[0].message


def test_refuses_member_count_bomb(tmp_path, valid_members):
    from specc.frontends import Limits

    p = tmp_path / "many.tgz"
    p.write_bytes(_tar(valid_members + [(f"junk/{i:03}.txt", b"x") for i in range(50)]))
    diags = _assert_refused(p, "SPC021", tmp_path, limits=Limits(max_bundle_members=10),
                            via_cli=False)
    assert "number of members" in diags[0].message
    docs, diags = _load(p, Limits(max_bundle_members=100))
    assert len(docs) == len(valid_members) and not diags


def test_refuses_member_size_bomb(tmp_path, valid_members):
    from specc.frontends import Limits

    p = tmp_path / "big.tgz"
    p.write_bytes(_tar([*valid_members, ("zz_big_1.pb", b"\x00" * 200000)]))
    assert p.stat().st_size < 5_000  # a bomb: small outside, large inside
    diags = _assert_refused(p, "SPC021", tmp_path, limits=Limits(max_member_bytes=10_000),
                            via_cli=False)
    assert "'zz_big_1.pb'" in diags[0].message


def test_refuses_total_size_bomb(tmp_path, valid_members):
    from specc.frontends import Limits

    p = tmp_path / "total.tgz"
    p.write_bytes(_tar(valid_members + [(f"junk/{i}.bin", b"\0" * 5_000) for i in range(10)]))
    diags = _assert_refused(p, "SPC021", tmp_path,
                            limits=Limits(max_member_bytes=10_000, max_bundle_bytes=20_000),
                            via_cli=False)
    assert "total size" in diags[0].message


def test_counts_decompressed_bytes_not_headers(tmp_path, valid_members):
    """A huge pax header is not a member and declares no member size: the byte count stops it."""
    from specc.frontends import Limits

    ti = tarfile.TarInfo("x" * 300_000 + ".pb")
    p = tmp_path / "pax.tgz"
    p.write_bytes(_tar([(ti, b""), *valid_members], fmt=tarfile.PAX_FORMAT))
    diags = _assert_refused(p, "SPC021", tmp_path,
                            limits=Limits(max_bundle_bytes=10_000, max_bundle_members=4),
                            via_cli=False)
    assert "decompressed size" in diags[0].message


def test_refuses_truncated_gzip(tmp_path):
    data = need(FLYTECTL / "compile" / "valid-package.tgz").read_bytes()
    p = tmp_path / "cut.tgz"
    p.write_bytes(data[: len(data) // 2])
    diags = _assert_refused(p, "SPC022", tmp_path)
    assert diags[0].file.endswith(p.name) and "truncated" in diags[0].message


@pytest.mark.parametrize("cut", [-4, -9])
def test_refuses_cut_gzip_trailer(tmp_path, valid_members, cut):
    p = tmp_path / "cut.tgz"
    p.write_bytes(_tar(valid_members)[:cut])
    _assert_refused(p, "SPC022", tmp_path, via_cli=False)


def test_refuses_random_bytes(tmp_path):
    p = tmp_path / "noise.tgz"
    p.write_bytes(bytes((i * 7919 + 13) % 251 for i in range(4096)))
    diags = _assert_refused(p, "SPC022", tmp_path)
    assert "gzip" in diags[0].message


def test_refuses_gzip_of_non_tar(tmp_path):
    p = tmp_path / "notar.tgz"
    p.write_bytes(gzip.compress(b"hello, this is not a tar archive" * 40))
    _assert_refused(p, "SPC022", tmp_path, via_cli=False)


def test_refuses_empty_file(tmp_path):
    p = tmp_path / "empty.tgz"
    p.write_bytes(b"")
    _assert_refused(p, "SPC022", tmp_path, via_cli=False)


def test_refuses_corrupt_header_mid_archive(tmp_path, valid_members):
    raw = bytearray(_tar(valid_members, gz=False))
    first = valid_members[0][1]
    second_header = 512 + (len(first) + 511) // 512 * 512
    raw[second_header + 148: second_header + 156] = b"garbage!"  # the checksum field
    p = tmp_path / "hdr.tgz"
    p.write_bytes(gzip.compress(bytes(raw)))
    _assert_refused(p, "SPC022", tmp_path, via_cli=False)
