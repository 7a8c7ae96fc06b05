"""Fixes: ``specc compile --fix`` and ``--diff`` (``specc/fix.py``), and the fixes diagnostics
carry (``diagnostics.Fix``).

Every fixable code has a case that applies its fix and checks again: the fixtures under
``fixtures/err/`` whose diagnostics have safe fixes, and small mutations of the examples for the
codes no fixture shows with one. A fix edits only its span: everything else of the file --
comments, key order, line breaks, a byte-order mark -- stays byte for byte.
"""
from __future__ import annotations

import json
import shutil
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from specc import cli, driver
from specc import diagnostics as dg
from specc import fix as fixer
from specc.source import SourceFile, Span
from tests.conftest import REPO

ERR = REPO / "fixtures" / "err"
QUICKSTART = REPO / "examples" / "dialect" / "quickstart.yaml"
FLYTEIDL = REPO / "examples" / "flyteidl"

# the codes whose diagnostics carry a safe fix (where the right text is certain)
FIXABLE = {
    "SPC008", "SPC011", "SPC031", "SPC032", "SPC033", "SPC034", "SPC035", "SPC041", "SPC050",
    "SPC101", "SPC102", "SPC104", "SPC201", "SPC202", "SPC203", "SPC204", "SPC205", "SPC209",
    "SPC210", "SPC216", "SPC219", "SPC221", "SPC222", "SPC613",
}


def _check(paths: list[Path]) -> driver.Result:
    return driver.compile_paths(driver.Options(paths=paths, cache=False))


def _safe_codes(result: driver.Result) -> dict[str, int]:
    out: dict[str, int] = {}
    for d in result.diagnostics:
        if any(f.safe for f in d.fixes) and fixer.fixable(d.source):
            out[d.code] = out.get(d.code, 0) + 1
    return out


def _fix_and_recheck(target: Path) -> tuple[dict[str, int], driver.Result, driver.Result]:
    """Fix ``target`` (a copy) in memory and on disk; (fixed codes, before, after)."""
    before = _check([target])
    fixed = _safe_codes(before)
    outcome, result = fixer.fix(driver.Options(paths=[target], cache=False))
    fixer.write(outcome)
    after = _check([target])
    assert [d.message for d in after.diagnostics] == [d.message for d in result.diagnostics]
    return fixed, before, after


def _codes(result: driver.Result) -> dict[str, int]:
    out: dict[str, int] = {}
    for d in result.diagnostics:
        out[d.code] = out.get(d.code, 0) + 1
    return out


# ---- every fixture with a safe fix ------------------------------------------------------------
def _fixtures_with_fixes() -> list[Path]:
    out = []
    for p in sorted(ERR.glob("*/*")):
        if p.name.startswith("."):
            continue
        r = driver.compile_paths(driver.Options(paths=[p], cache=False))
        if _safe_codes(r):
            out.append(p)
    return out


FIXTURES = _fixtures_with_fixes()


@pytest.mark.parametrize("case", FIXTURES, ids=[str(p.relative_to(ERR)) for p in FIXTURES])
def test_fixture_fixes(case: Path, tmp_path: Path):
    """Applying the fixtures' safe fixes removes the diagnostics they fix, and no fix is left."""
    target = tmp_path / case.name
    if case.is_dir():
        shutil.copytree(case, target)
    else:
        shutil.copy(case, target)
    fixed, before, after = _fix_and_recheck(target)
    assert fixed
    got = _codes(after)
    for code, n in fixed.items():
        assert got.get(code, 0) <= _codes(before)[code] - n, (code, got)
    assert not _safe_codes(after), [d.message for d in after.diagnostics]


# ---- the codes no fixture shows with a safe fix: mutations of the examples --------------------
MUTATIONS = [
    # (code, file, old text, new text)
    ("SPC031", QUICKSTART, "kind: Task\nname: example.train", "kind: Taks\nname: example.train"),
    ("SPC033", QUICKSTART, "name: example.train\nversion: v1", "name: example.train\n"
                                                                "version: 1.10"),
    ("SPC210", QUICKSTART, "      epochs: 10", "      epoch: 10"),
    ("SPC210", FLYTEIDL / "pipeline.yaml", "- var: epochs", "- var: epoch"),
    ("SPC102", FLYTEIDL / "tasks.yaml", "name: example.train, version: v1",
     "name: example.train, version: 1.10"),
    ("SPC205", FLYTEIDL / "pipeline.yaml", "    - id: train\n",
     "    - id: train\n      upstreamNodeIds: [prepaer]\n"),
    ("SPC219", QUICKSTART, "rows: ${inputs.rows}", "rows: ${inputs.row}"),
    ("SPC209", QUICKSTART, "value: ${train.accuracy}", "value: ${train.acuracy}"),
]


@pytest.mark.parametrize("code,base,old,new", MUTATIONS,
                         ids=[f"{c}-{b.name}" for c, b, _, _ in MUTATIONS])
def test_mutation_fixes(code: str, base: Path, old: str, new: str, tmp_path: Path):
    files = sorted(FLYTEIDL.glob("*.yaml")) if base.parent == FLYTEIDL else [base]
    for f in files:
        text = f.read_text(encoding="utf-8")
        if f == base:
            assert old in text
            text = text.replace(old, new, 1)
        (tmp_path / f.name).write_text(text, encoding="utf-8")
    before = _check([tmp_path])
    assert code in _safe_codes(before), [(d.code, d.message) for d in before.diagnostics]
    outcome, _ = fixer.fix(driver.Options(paths=[tmp_path], cache=False))
    fixer.write(outcome)
    assert code not in _codes(_check([tmp_path]))
    # the fix restores the example exactly, where the mutation was a misspelling
    if code not in ("SPC033", "SPC102", "SPC205"):
        assert (tmp_path / base.name).read_text(encoding="utf-8") == base.read_text(
            encoding="utf-8")


def test_reference_fixes_in_flyte_form(tmp_path: Path):
    """Sub-workflow (SPC202) and launch plan (SPC203) references one letter off."""
    (tmp_path / "tasks.yaml").write_text((FLYTEIDL / "tasks.yaml").read_text())
    wf = (FLYTEIDL / "pipeline.yaml").read_text().split("\n---\n")[0]
    sub = wf.replace("name: example.pipeline", "name: example.sub")
    lp = ("id: {resourceType: LAUNCH_PLAN, name: example.sub_lp, version: v1}\nspec:\n"
          "  workflowId: {resourceType: WORKFLOW, name: example.sub, version: v1}\n")
    caller = """\
template:
  id: {resourceType: WORKFLOW, name: example.NAME, version: v1}
  interface: {inputs: {variables: {rows: {type: {simple: INTEGER}}}}}
  nodes:
    - id: a
      workflowNode: {REF}
      inputs: [{var: rows, binding: {promise: {var: rows}}}]
"""
    (tmp_path / "sub.yaml").write_text(sub + "\n---\n" + lp)
    (tmp_path / "caller.yaml").write_text(
        caller.replace("NAME", "outer").replace(
            "{REF}", "{subWorkflowRef: {resourceType: WORKFLOW, name: example.sbu, version: v1}}")
        + "---\n" + caller.replace("NAME", "outer2").replace(
            "{REF}", "{launchplanRef: {resourceType: LAUNCH_PLAN, name: example.sub_pl, "
                     "version: v1}}"))
    before = _codes(_check([tmp_path]))
    assert before.get("SPC202") == 1 and before.get("SPC203") == 1, before
    outcome, _ = fixer.fix(driver.Options(paths=[tmp_path], cache=False))
    fixer.write(outcome)
    text = (tmp_path / "caller.yaml").read_text()
    assert "name: example.sub," in text and "name: example.sub_lp," in text
    after = _codes(_check([tmp_path]))
    assert "SPC202" not in after and "SPC203" not in after, after


def test_catalogue_launch_plan_fix(tmp_path: Path):
    """SPC222: a launch plan of the catalogue, one letter off."""
    case = ERR / "resolve-references" / "SPC222-launch-plan-version-not-registered"
    target = tmp_path / "case"
    shutil.copytree(case, target)
    wf = target / "workflow.yaml"
    wf.write_text(wf.read_text().replace("name: stock.nightly, version: v5",
                                         "name: stock.nightyl, version: v4"))
    assert "SPC222" in _safe_codes(_check([target]))
    outcome, _ = fixer.fix(driver.Options(paths=[target], cache=False))
    fixer.write(outcome)
    assert "name: stock.nightly, version: v4" in wf.read_text()
    assert "SPC222" not in _codes(_check([target]))


def test_every_fixable_code_is_tested():
    covered = set()
    for p in FIXTURES:
        covered |= set(_safe_codes(driver.compile_paths(driver.Options(paths=[p], cache=False))))
    covered |= {c for c, _, _, _ in MUTATIONS} | {"SPC202", "SPC203", "SPC222"}
    assert covered == FIXABLE


# ---- what a fix keeps -----------------------------------------------------------------------
def test_fix_keeps_everything_else_byte_for_byte(tmp_path: Path):
    """Comments, key order, CRLF line breaks and a byte-order mark survive; only the misspelt
    key changes."""
    text = (ERR / "check-schema" / "SPC101-misspelt-retries.yaml").read_text()
    text = text.replace("runtime:", "runtime:  # the SDK that wrote it")
    raw = "\ufeff".encode() + text.replace("\n", "\r\n").encode()
    f = tmp_path / "t.yaml"
    f.write_bytes(raw)
    f.chmod(0o640)
    outcome, result = fixer.fix(driver.Options(paths=[f], cache=False))
    assert outcome.applied == 1 and not [d for d in result.diagnostics if d.code == "SPC101"]
    fixer.write(outcome)
    assert f.read_bytes() == raw.replace(b"retires:", b"retries:")
    assert stat.S_IMODE(f.stat().st_mode) == 0o640


def test_fix_through_a_symbolic_link_keeps_the_link(tmp_path: Path):
    real = tmp_path / "real.yaml"
    shutil.copy(ERR / "check-schema" / "SPC101-misspelt-retries.yaml", real)
    link = tmp_path / "specs" / "t.yaml"
    link.parent.mkdir()
    link.symlink_to(real)
    outcome, _ = fixer.fix(driver.Options(paths=[link], cache=False))
    fixer.write(outcome)
    assert link.is_symlink() and "retries: {retries: 3}" in real.read_text()


def test_overlapping_fixes_wait_for_the_next_round(tmp_path: Path):
    """Two fixes on one span: one is applied, the other is found again (or is gone) in the next
    round; the rounds are bounded."""
    src = SourceFile(tmp_path / "x.yaml", "x.yaml", "yaml", text="abc: 1\n")
    a = dg.Fix("a", (dg.Edit(src, Span(1, 1, 1, 4), "abd"),))
    b = dg.Fix("b", (dg.Edit(src, Span(1, 2, 1, 3), "z"),))
    c = dg.Fix("c", (dg.Edit(src, Span(1, 6, 1, 7), "2"),))

    def diag(f: dg.Fix) -> dg.Diagnostic:
        return dg.Diagnostic("SPC101", "unknown-field", "error", "m", src, Span(1, 1, 1, 4), "",
                             None, "check-schema", fixes=(f,))

    chosen = fixer.chosen([diag(a), diag(b), diag(c), diag(a)])
    assert chosen == [a, c]  # b overlaps a; the second a repeats it
    assert fixer.apply(src.text or "", [e for f in chosen for e in f.edits]) == "abd: 2\n"


def test_unsafe_fixes_are_not_applied(tmp_path: Path):
    """A did-you-mean further away than a slip is a fix to choose (the editor offers it), not
    one --fix writes."""
    case = ERR / "resolve-references" / "SPC202-sub-workflow-missing.yaml"
    r = driver.compile_paths(driver.Options(paths=[case], cache=False))
    (d,) = [d for d in r.diagnostics if d.code == "SPC202"]
    assert d.fixes and not d.fixes[0].safe
    target = tmp_path / case.name
    shutil.copy(case, target)
    outcome, _ = fixer.fix(driver.Options(paths=[target], cache=False))
    assert outcome.changed == []


@pytest.mark.parametrize("old,new,likely", [
    ("retires", "retries", True), ("INT", "INTEGER", True), ("cont", "count", True),
    ("trian", "train", True), ("Task", "task", True),
    ("stock.restock", "shop.restock", False), ("stock.audit_weekly", "stock.nightly", False),
])
def test_likely_typo(old: str, new: str, likely: bool):
    assert dg.likely_typo(old, new) is likely


def test_bundles_and_protobuf_are_never_edited(tmp_path: Path):
    src = SourceFile(tmp_path / "a.tgz", "a.tgz!1_t_1.pb", "pb", archive=SourceFile(
        tmp_path / "a.tgz", "a.tgz", "bundle"), member="1_t_1.pb")
    assert not fixer.fixable(src)
    assert not fixer.fixable(SourceFile(tmp_path / "t.pb", "t.pb", "pb"))


# ---- the command line -----------------------------------------------------------------------
def invoke(*args: str, input: str | None = None):
    return CliRunner().invoke(cli.main, list(args), input=input)


def test_diff_writes_nothing_and_exits_1(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copy(ERR / "check-schema" / "SPC101-misspelt-retries.yaml", tmp_path / "t.yaml")
    before = (tmp_path / "t.yaml").read_bytes()
    r = invoke("compile", "--no-cache", "--diff", "t.yaml")
    assert r.exit_code == 1, r.output
    assert r.stdout.startswith("--- a/t.yaml\n+++ b/t.yaml\n@@ ")
    assert "-    retires: {retries: 3}\n+    retries: {retries: 3}\n" in r.stdout
    assert "specc: --fix would fix 1 problem in 1 file" in r.stderr
    assert (tmp_path / "t.yaml").read_bytes() == before
    r = invoke("compile", "--no-cache", "--fix", "t.yaml")
    assert r.exit_code == 0, r.output
    assert "specc: fixed 1 problem in 1 file" in r.stderr
    r = invoke("compile", "--no-cache", "--diff", "t.yaml")
    assert r.exit_code == 0 and r.stdout == "" and "nothing to fix" in r.stderr


def test_fix_prints_what_is_left(tmp_path: Path, monkeypatch):
    """--fix fixes what it can and reports the rest, with the exit status of the rest."""
    monkeypatch.chdir(tmp_path)
    text = (ERR / "check-schema" / "SPC101-misspelt-retries.yaml").read_text()
    (tmp_path / "t.yaml").write_text(text.replace("  metadata:\n", "  metadata:\n    "
                                                                  "colour: blue\n"))
    r = invoke("compile", "--no-cache", "--fix", "--format", "json", "t.yaml")
    assert r.exit_code == 1
    (d,) = json.loads(r.stdout)["diagnostics"]
    assert d["code"] == "SPC101" and "'colour'" in d["message"] and d["help"] is None
    assert "retries: {retries: 3}" in (tmp_path / "t.yaml").read_text()
    assert "specc: fixed 1 problem in 1 file" in r.stderr


def test_fix_and_diff_refuse_each_other(tmp_path: Path):
    r = invoke("compile", "--fix", "--diff", str(tmp_path))
    assert r.exit_code == 2 and "give one" in r.stderr


def test_fix_from_stdin_prints_the_fixed_spec(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = (ERR / "check-schema" / "SPC101-misspelt-retries.yaml").read_text()
    r = invoke("compile", "--no-cache", "--fix", "-", "--stdin-filename", "t.yaml", input=text)
    assert r.exit_code == 0, r.output
    assert r.stdout == text.replace("retires:", "retries:")
    assert not (tmp_path / "t.yaml").exists()
    r = invoke("compile", "--no-cache", "--diff", "-", "--stdin-filename", "t.yaml", input=text)
    assert r.exit_code == 1 and "+    retries: {retries: 3}" in r.stdout
