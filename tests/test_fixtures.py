"""Fixture folders: adding a fixture needs no test code.

``fixtures/err/<pass>/<CODE>-<slug>.<ext>`` (or a folder of that name, for specs spread over
several files) must produce diagnostic ``CODE`` from pass ``<pass>``; what the user sees (the text
report) is snapshotted. ``fixtures/ok/<name>`` must compile without errors; its closures are
snapshotted as JSON.

Two folders are about what is written, so they run the command that writes: ``emit-closure``
fixtures are compiled with ``-o`` (``specc compile CASE -o DIR``), and ``convert`` fixtures are
converted to the form their name says (``SPC026-to-pb-...``: ``specc convert --to pb``). Neither
may write anything.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from specc import driver
from specc.codes import CODES
from specc.reporters import text
from tests.conftest import REPO

FIXTURES = REPO / "fixtures"
ERR = FIXTURES / "err"
OK = FIXTURES / "ok"
_NAME = re.compile(r"^(SPC\d{3})-")
_TO = re.compile(r"^SPC\d{3}-to-(yaml|json|pb|specc)-")


def _entries(root: Path) -> list[Path]:
    return sorted(p for p in root.glob("*/*") if not p.name.startswith("."))


def _ids(paths: list[Path], root: Path) -> list[str]:
    return [str(p.relative_to(root)) for p in paths]


ERR_CASES = _entries(ERR)
OK_CASES = sorted(p for p in OK.iterdir() if not p.name.startswith(".")) if OK.exists() else []


def _compile(path: Path, **kw) -> driver.Result:
    return driver.compile_paths(driver.Options(paths=[path.relative_to(REPO)], **kw))


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch):
    monkeypatch.chdir(REPO)  # paths in reports are relative to the working directory


def _run(case: Path, out: Path) -> driver.Result:
    """What the fixture's folder says to run (see the module docstring)."""
    if case.parent.name == "convert":
        from specc import convert

        m = _TO.match(case.name)
        assert m, f"{case.name}: a convert fixture says its form, e.g. SPC026-to-pb-..."
        return convert.convert_paths([case.relative_to(REPO)], m.group(1), out)
    if case.parent.name == "emit-closure":
        return _compile(case, out=out)
    return _compile(case)


@pytest.mark.parametrize("case", ERR_CASES, ids=_ids(ERR_CASES, ERR))
def test_err_fixture(case: Path, snapshot, tmp_path):
    m = _NAME.match(case.name)
    assert m, f"{case.name}: fixture names start with the code they trigger, e.g. SPC401-..."
    code = m.group(1)
    assert code in CODES, f"{case.name}: {code} is not in the catalogue"
    result = _run(case, tmp_path / "out")
    assert not (tmp_path / "out").exists(), f"{case.name}: a run with errors wrote files"
    got = [d for d in result.diagnostics if d.code == code]
    assert got, f"{case.name} does not trigger {code}:\n{text.render(result)}"
    assert all(d.pass_name == case.parent.name for d in got), \
        f"{code} came from {got[0].pass_name}, but the fixture is filed under {case.parent.name}"
    for d in result.diagnostics:
        form = (d.file or "").rsplit(".", 1)[-1]
        if d.file and form in ("yaml", "yml", "json") and "!" not in d.file:
            assert d.span is not None, f"{d.code} on {d.file} has no line and column"
    assert text.render(result) == snapshot


@pytest.mark.parametrize("case", OK_CASES, ids=[p.name for p in OK_CASES])
def test_ok_fixture(case: Path, snapshot):
    result = _compile(case, closures=True)
    errors = [d for d in result.diagnostics if d.severity == "error"]
    assert errors == [], text.render(result)
    assert result.closures, f"{case.name} compiles no workflow"
    closures = {wf.id.name: c for wf, c in result.closures}
    assert json.dumps(closures, indent=1, sort_keys=True) == snapshot


def test_every_code_has_a_fixture():
    covered = {_NAME.match(p.name).group(1) for p in ERR_CASES if _NAME.match(p.name)}
    # the codes of `specc diff` need two versions: fixtures/diff/<CODE>-<slug>/{old,new}
    # (tests/test_diff.py runs them)
    covered |= {_NAME.match(p.name).group(1) for p in sorted((FIXTURES / "diff").glob("*"))
                if _NAME.match(p.name) and (p / "old").is_dir() and (p / "new").is_dir()}
    # SPC900 is specc failing, which no input should cause: tests/test_cli.py triggers it.
    missing = sorted(set(CODES) - covered - {"SPC900"})
    assert missing == [], f"codes without a fixture under fixtures/err/ (or fixtures/diff/): " \
                          f"{missing}"
