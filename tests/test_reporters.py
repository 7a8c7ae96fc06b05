"""Reporters and report options: SARIF (validated against the SARIF 2.1.0 schema), GitHub
annotations, colour, --statistics, --exit-zero, nothing to check, and `specc explain` with the
generated docs/codes.md."""
from __future__ import annotations

import importlib.util
import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from specc import cli, explain
from specc import diagnostics as dg
from specc.codes import CODES
from specc.reporters import REPORTERS, common, github
from specc.source import SourceFile
from tests.conftest import REFERENCE, REPO

ERR = REPO / "fixtures" / "err"
EXAMPLES = REPO / "examples" / "flyteidl"
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def invoke(*args: str, env: dict | None = None):
    return CliRunner().invoke(cli.main, list(args), env=env)


def fixture(code: str, suffix: str = "") -> Path:
    """The first fixture that triggers ``code`` (fixtures are named by their code)."""
    found = sorted(p for p in ERR.glob(f"*/{code}-*{suffix}") if not p.name.startswith("."))
    assert found, f"no fixture for {code}{suffix} under fixtures/err/"
    return found[0]


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch):
    monkeypatch.chdir(REPO)  # reports name files relative to the working directory
    for var in ("NO_COLOR", "FORCE_COLOR"):
        monkeypatch.delenv(var, raising=False)


# ---- SARIF ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def sarif_validator():
    path = REFERENCE / "sarif-schema-2.1.0.json"
    if not path.exists():
        pytest.skip(f"{path} is absent: the SARIF schema lives in ../shared/reference beside "
                    "the checkout (or set SPECC_SHARED)")
    import jsonschema

    schema = json.loads(path.read_text())
    cls = jsonschema.validators.validator_for(schema)  # the schema's own $schema (draft-04)
    cls.check_schema(schema)
    return cls(schema)


def sarif(*paths: Path) -> dict:
    r = invoke("compile", "--format", "sarif", *(str(p.relative_to(REPO)) for p in paths))
    assert r.exit_code in (0, 1), r.output
    return json.loads(r.stdout)  # exactly one JSON document on stdout


@pytest.mark.parametrize("code,suffix", [
    ("SPC401", ".yaml"),  # a region
    ("SPC208", ""),  # related locations, in another file
    ("SPC301", ""),
    ("SPC008", ".pb"),  # protobuf: no lines, a logical location
    ("SPC020", ".tgz"),  # a bundle
    ("SPC512", ""),  # configured platform limits
    ("SPC101", "misspelt-retries.yaml"),  # a fix: a replacement
    ("SPC050", ""),  # a fix that deletes
])
def test_sarif_validates_against_the_schema(sarif_validator, code, suffix):
    log = sarif(fixture(code, suffix))
    errors = sorted(sarif_validator.iter_errors(log), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:5])
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "specc" and driver["version"] and driver["informationUri"]
    rules = driver["rules"]
    results = run["results"]
    assert any(r["ruleId"] == code for r in results)
    assert {r["ruleId"] for r in results} == {rule["id"] for rule in rules}
    for res in results:
        rule = rules[res["ruleIndex"]]
        assert rule["id"] == res["ruleId"]
        assert res["level"] == rule["defaultConfiguration"]["level"]
        assert re.fullmatch(r"[0-9a-f]{32}:\d+",
                            res["partialFingerprints"]["primaryLocationLineHash"])
        (loc,) = res["locations"]
        art = loc["physicalLocation"]["artifactLocation"]
        assert art["uriBaseId"] == "%SRCROOT%"
        assert not art["uri"].startswith("/") and "\\" not in art["uri"]
        assert (REPO / art["uri"]).exists()
        region = loc["physicalLocation"].get("region")
        if region is not None:  # none for protobuf, and for problems with a whole file
            assert region["endLine"] >= region["startLine"] >= 1
            assert region["startColumn"] >= 1 and region["endColumn"] >= 1
    for rule in rules:
        entry = CODES[rule["id"]]
        assert rule["name"] == entry.name
        assert rule["shortDescription"]["text"] == entry.summary
        assert rule["fullDescription"]["text"] and rule["help"]["text"]
        assert "**Fix**" in rule["help"]["markdown"]
        if explain.load(rule["id"]).forms in (explain.BOTH, explain.DIALECT):
            assert "**Fix**, in the dialect:" in rule["help"]["markdown"]
        assert rule["helpUri"] == ("https://github.com/specc-dev/specc/blob/main/docs/codes.md#"
                                   + rule["id"].lower())
        assert rule["properties"].get("flyte_code") == entry.flyte_code


def test_sarif_region_and_related_locations():
    log = sarif(fixture("SPC208", ""))
    res = next(r for r in log["runs"][0]["results"] if r["ruleId"] == "SPC208")
    assert res["relatedLocations"][0]["message"]["text"]
    assert res["relatedLocations"][0]["physicalLocation"]["region"]["startLine"] >= 1
    log = sarif(fixture("SPC401", ".yaml"))
    res = next(r for r in log["runs"][0]["results"] if r["ruleId"] == "SPC401")
    j = json.loads(invoke("compile", "--format", "json",
                          str(fixture("SPC401", ".yaml").relative_to(REPO))).stdout)
    d = next(d for d in j["diagnostics"] if d["code"] == "SPC401")
    region = res["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"], region["endLine"],
            region["endColumn"]) == (d["line"], d["column"], d["end_line"], d["end_column"])
    assert res["properties"]["pointer"] == d["pointer"]


def test_help_in_text_json_and_sarif():
    """A diagnostic with a fix says so: rustc's '= help:' line under the snippet, the JSON
    'help' field, and in SARIF the fix itself (a replacement) and the help in the markdown."""
    path = fixture("SPC101", "misspelt-retries.yaml")
    rel = str(path.relative_to(REPO))
    text = invoke("compile", "--color", "never", rel).stdout
    assert "   |     ^^^^^^^\n   = help: rename 'retires' to 'retries'\n" in text
    (d,) = json.loads(invoke("compile", "--format", "json", rel).stdout)["diagnostics"]
    assert d["help"] == "rename 'retires' to 'retries'"
    (res,) = sarif(path)["runs"][0]["results"]
    (fx,) = res["fixes"]
    assert fx["description"]["text"] == d["help"]
    (change,) = fx["artifactChanges"]
    assert change["artifactLocation"]["uri"] == rel
    (rep,) = change["replacements"]
    assert rep["insertedContent"]["text"] == "retries"
    assert rep["deletedRegion"] == {"startLine": d["line"], "startColumn": d["column"],
                                    "endLine": d["end_line"], "endColumn": d["end_column"]}
    assert res["message"]["markdown"].endswith("**help**: rename 'retires' to 'retries'")
    # without a fix: no help
    (d,) = [x for x in json.loads(invoke("compile", "--format", "json", str(
        fixture("SPC301", "").relative_to(REPO))).stdout)["diagnostics"] if x["code"] == "SPC301"]
    assert d["help"] is None


def _as_protobuf(src: Path, out: Path) -> None:
    """Write each YAML document of ``src`` as pyflyte would: <n>_<name>_1.pb (a TaskSpec) or
    <n>_<name>_2.pb (a WorkflowSpec)."""
    from flyteidl.admin import task_pb2, workflow_pb2
    from google.protobuf import json_format
    from ruamel.yaml import YAML

    for i, doc in enumerate(YAML(typ="safe", pure=True).load_all(src.read_text())):
        wf = "nodes" in doc["template"]
        msg = workflow_pb2.WorkflowSpec() if wf else task_pb2.TaskSpec()
        json_format.ParseDict(doc, msg)
        name = doc["template"]["id"]["name"]
        (out / f"{i}_{name}_{2 if wf else 1}.pb").write_bytes(msg.SerializeToString())


def test_sarif_protobuf_has_pointer_not_region(sarif_validator, tmp_path, monkeypatch):
    _as_protobuf(fixture("SPC401", ".yaml"), tmp_path)
    monkeypatch.chdir(tmp_path)
    r = invoke("compile", "--format", "sarif", ".")
    log = json.loads(r.stdout)
    assert not list(sarif_validator.iter_errors(log))
    (res,) = [r for r in log["runs"][0]["results"] if r["ruleId"] == "SPC401"]
    loc = res["locations"][0]
    assert loc["physicalLocation"]["artifactLocation"]["uri"].endswith("_2.pb")
    assert "region" not in loc["physicalLocation"]
    assert res["properties"]["pointer"].startswith("/template/nodes/")
    assert loc["logicalLocations"][0]["fullyQualifiedName"] == res["properties"]["pointer"]


def test_sarif_bundle_member_is_a_logical_location(sarif_validator):
    path = REPO.parent / "shared" / "conformance" / "flytectl" / "compile" / \
        "bad-workflow-package.tgz"
    if not path.exists():
        pytest.skip(f"{path} is absent")
    log = json.loads(invoke("compile", "--format", "sarif", str(path)).stdout)
    assert not list(sarif_validator.iter_errors(log))
    res = next(r for r in log["runs"][0]["results"] if r["ruleId"] == "SPC401")
    loc = res["locations"][0]
    art = loc["physicalLocation"]["artifactLocation"]
    assert art["uri"].endswith("bad-workflow-package.tgz") and "region" not in \
        loc["physicalLocation"]
    assert loc["logicalLocations"][0]["fullyQualifiedName"] == \
        "7_example.example.wf3_2.pb/template/nodes/0/inputs/1/binding/promise"


def test_sarif_internal_error_is_a_notification(sarif_validator, monkeypatch):
    """SPC900 concerns no file; GitHub rejects results without a location."""
    from specc.passes import check_graph

    def boom(*args):
        raise RuntimeError("kaput")

    monkeypatch.setattr(check_graph, "check_graph", boom)
    r = invoke("compile", "--format", "sarif", str(EXAMPLES))
    assert r.exit_code == 3
    log = json.loads(r.stdout)
    assert not list(sarif_validator.iter_errors(log))
    (inv,) = log["runs"][0]["invocations"]
    assert inv["executionSuccessful"] is False
    (note,) = inv["toolExecutionNotifications"]
    assert note["associatedRule"]["id"] == "SPC900" and "kaput" in note["message"]["text"]
    assert all(res.get("locations") for res in log["runs"][0]["results"])


def test_sarif_columns_are_utf16():
    """SARIF counts columns in UTF-16 code units: a character outside the BMP counts twice."""
    from specc.reporters.sarif import _utf16_column

    assert _utf16_column("a🧪b", 3) == 4 and _utf16_column("abc", 3) == 3
    assert _utf16_column("é", 2) == 2 and _utf16_column(None, 7) == 7
    assert _utf16_column("🧪", 3) == 4  # an end column past the line's end


def _fingerprints(path: Path) -> list[tuple[str, str, int]]:
    r = CliRunner().invoke(cli.main, ["compile", "--format", "sarif", path.name])
    out = json.loads(r.stdout)["runs"][0]["results"]
    return [(x["ruleId"], x["partialFingerprints"]["primaryLocationLineHash"],
             x["locations"][0]["physicalLocation"]["region"]["startLine"]) for x in out]


def test_fingerprints_are_stable_and_survive_moved_lines(tmp_path, monkeypatch):
    src = fixture("SPC401", ".yaml")
    spec = tmp_path / src.name
    shutil.copy(src, spec)
    monkeypatch.chdir(tmp_path)
    first = _fingerprints(spec)
    assert first and first == _fingerprints(spec)  # two runs agree
    spec.write_text("# an unrelated comment\n\n" + src.read_text(encoding="utf-8"))
    moved = _fingerprints(spec)
    assert [(c, f) for c, f, _ in moved] == [(c, f) for c, f, _ in first]
    assert [line for *_, line in moved] == [line + 2 for *_, line in first]


def test_fingerprints_count_identical_findings():
    class D:  # a diagnostic twice on identical lines gets occurrences :1 and :2
        code, source, span, pointer = "SPC401", None, None, "/a"

    from specc.reporters.sarif import _fingerprint

    seen: dict = {}
    a, b = _fingerprint(D, seen), _fingerprint(D, seen)
    assert a.split(":")[0] == b.split(":")[0] and (a[-2:], b[-2:]) == (":1", ":2")


# ---- GitHub annotations ----------------------------------------------------------------------
@pytest.mark.parametrize("raw,data,prop", [
    ("plain", "plain", "plain"),
    ("100%", "100%25", "100%25"),
    ("a\nb", "a%0Ab", "a%0Ab"),
    ("a\r\nb", "a%0D%0Ab", "a%0D%0Ab"),
    ("a:b", "a:b", "a%3Ab"),
    ("a,b", "a,b", "a%2Cb"),
    ("%0A", "%250A", "%250A"),  # '%' first, so an escape is not unescaped
    ("dir,1/wf:2.yaml", "dir,1/wf:2.yaml", "dir%2C1/wf%3A2.yaml"),
])
def test_github_escaping(raw, data, prop):
    assert github.escape_data(raw) == data
    assert github.escape_property(raw) == prop


_SPAN = dg.Span(3, 5, 3, 12)


def _diag(severity="error", file="specs/wf.yaml", span=_SPAN, pointer="/a",
          message="bad: 100%\nreally"):
    source = None
    if file is not None:
        archive, _, member = file.partition("!")
        source = SourceFile(None, file, "yaml")
        if member:
            source = SourceFile(None, file, "pb", archive=SourceFile(None, archive, "bundle"),
                                member=member)
    return dg.Diagnostic(code="SPC301", name="cycle", severity=severity, message=message,
                         source=source, span=span, pointer=pointer, flyte_code="CycleDetected",
                         pass_name="check-graph")


def test_github_annotation_forms():
    assert github.annotation(_diag()) == (
        "::error file=specs/wf.yaml,line=3,col=5,endLine=3,endColumn=11,title=SPC301"
        "::bad: 100%25%0Areally")
    assert github.annotation(_diag("warning")).startswith("::warning file=")
    assert github.annotation(_diag("note")).startswith("::notice file=")
    multi = github.annotation(_diag(span=dg.Span(3, 5, 6, 2)))
    assert "line=3,endLine=6,title=" in multi and "col=" not in multi  # one-line only
    pb = github.annotation(_diag(file="b.tgz!1_wf_2.pb", span=None, pointer="/template/x"))
    assert pb.startswith("::error file=b.tgz,title=SPC301::1_wf_2.pb/template/x: bad")
    assert github.annotation(_diag(file=None, span=None, pointer=None)) == \
        "::error title=SPC301::bad: 100%25%0Areally"


def test_github_format_from_the_cli():
    path = fixture("SPC301", ".yaml")
    r = invoke("compile", "--format", "github", str(path.relative_to(REPO)))
    assert r.exit_code == 1
    line = next(ln for ln in r.stdout.splitlines() if "title=SPC301" in ln)
    assert re.fullmatch(r"::error file=[^,]+,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,"
                        r"title=SPC301::.+", line)
    assert f"file={path.relative_to(REPO).as_posix()}," in line


# ---- text: colour ----------------------------------------------------------------------------
def test_color_always_never_auto():
    bad = str(fixture("SPC401", ".yaml").relative_to(REPO))
    always = invoke("compile", "--color", "always", bad)
    assert always.exit_code == 1 and ANSI.search(always.stdout)
    assert "\x1b[1;31merror\x1b[0m" in always.stdout and "\x1b[1mSPC401\x1b[0m" in always.stdout
    assert re.search(r"\x1b\[1;31m\^+\x1b\[0m", always.stdout)  # the caret
    assert ANSI.sub("", always.stdout) == invoke("compile", "--color", "never", bad).stdout
    assert not ANSI.search(invoke("compile", "--color", "never", bad).stdout)
    assert not ANSI.search(invoke("compile", bad).stdout)  # auto: CliRunner is no terminal
    assert not ANSI.search(invoke("compile", bad, env={"NO_COLOR": "1"}).stdout)
    assert not ANSI.search(invoke("compile", "--format", "json", "--color", "always",
                                  bad).stdout)


class _Stream:
    def __init__(self, tty: bool):
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


def test_want_color_honours_no_color(monkeypatch):
    tty, pipe = _Stream(True), _Stream(False)
    assert common.want_color("auto", tty) and not common.want_color("auto", pipe)
    monkeypatch.setenv("NO_COLOR", "1")
    assert not common.want_color("auto", tty)
    assert common.want_color("always", pipe) and not common.want_color("never", tty)
    monkeypatch.setenv("NO_COLOR", "")  # empty: not set (no-color.org)
    assert common.want_color("auto", tty)
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert common.want_color("auto", pipe)
    monkeypatch.setenv("NO_COLOR", "1")
    assert not common.want_color("auto", pipe)


# ---- --statistics, --exit-zero, nothing to check ----------------------------------------------
def test_statistics_text_goes_to_stderr():
    bad = str(fixture("SPC401", ".yaml").relative_to(REPO))
    plain = invoke("compile", bad)
    r = invoke("compile", "--statistics", bad)
    assert r.stdout == plain.stdout  # the report itself is unchanged
    lines = r.stderr.splitlines()
    assert lines[0].split() == ["count", "code", "name", "severity"]
    row = next(ln for ln in lines if "SPC401" in ln).split()
    assert row[1:] == ["SPC401", "mismatching-types", "error"] and int(row[0]) >= 1
    assert re.search(r"^\s*\d+\s+total$", r.stderr, re.M)


def test_statistics_json_only_when_asked():
    bad = str(fixture("SPC401", ".yaml").relative_to(REPO))
    plain = json.loads(invoke("compile", "--format", "json", bad).stdout)
    assert set(plain) == {"diagnostics", "summary"}
    out = json.loads(invoke("compile", "--format", "json", "--statistics", bad).stdout)
    assert set(out) == {"diagnostics", "summary", "statistics"}
    counts = {s["code"]: s["count"] for s in out["statistics"]}
    assert sum(counts.values()) == len(out["diagnostics"])
    assert counts["SPC401"] == sum(d["code"] == "SPC401" for d in out["diagnostics"])
    assert set(out["statistics"][0]) == {"code", "name", "severity", "count"}


def test_statistics_keep_sarif_stdout_clean():
    bad = str(fixture("SPC401", ".yaml").relative_to(REPO))
    r = invoke("compile", "--format", "sarif", "--statistics", bad)
    json.loads(r.stdout)
    assert "SPC401" in r.stderr and "total" in r.stderr


def test_exit_zero(monkeypatch, tmp_path):
    bad = str(fixture("SPC401", ".yaml").relative_to(REPO))
    assert invoke("compile", bad).exit_code == 1
    r = invoke("compile", "--exit-zero", bad)
    assert r.exit_code == 0 and "SPC401" in r.stdout
    assert invoke("compile", "--exit-zero", str(tmp_path / "missing.yaml")).exit_code == 2
    from specc.passes import check_graph

    def boom(*args):
        raise RuntimeError("kaput")

    monkeypatch.setattr(check_graph, "check_graph", boom)
    assert invoke("compile", "--exit-zero", str(EXAMPLES)).exit_code == 3


@pytest.mark.parametrize("fmt", sorted(REPORTERS))
def test_nothing_to_check_is_not_an_error(tmp_path, fmt):
    (tmp_path / "README.md").write_text("no specs here\n")
    r = invoke("compile", "--format", fmt, str(tmp_path))
    assert r.exit_code == 0, r.output
    assert "nothing to check" in r.stderr
    if fmt == "json":
        assert json.loads(r.stdout)["summary"] == {"files": 0, "errors": 0, "warnings": 0,
                                                   "not_checked": 0, "external": 0}
    elif fmt == "sarif":
        assert json.loads(r.stdout)["runs"][0]["results"] == []
    else:
        assert r.stdout == ""


def test_every_reporter_is_a_format_choice():
    assert {"text", "json", "sarif", "github"} <= set(REPORTERS)
    for fmt in REPORTERS:
        assert invoke("compile", "--format", fmt, str(EXAMPLES)).exit_code == 0, fmt


# ---- explain and docs/codes.md ----------------------------------------------------------------
def test_every_code_has_an_explanation():
    problems = []
    for code in CODES:
        path = explain.DIR / f"{code}.md"
        if not path.exists():
            problems.append(f"{code}: no {path.relative_to(REPO)}")
            continue
        problems += explain.problems(code, path.read_text(encoding="utf-8"))
    stray = sorted(p.stem for p in explain.DIR.glob("*.md") if p.stem not in CODES)
    problems += [f"{s}: explained but not in the catalogue" for s in stray]
    assert problems == [], ("each code needs specc/data/explain/<CODE>.md with '## Why', "
                            "'## Example', '## Fix':\n" + "\n".join(problems))


def test_diff_pages_show_labelled_pairs():
    """A page of a `specc diff` code labels its dialect blocks '# old' / '# new' (the test of
    the examples diffs them); the linter says which label is missing."""
    text = (explain.DIR / "SPC802.md").read_text(encoding="utf-8")
    assert explain.problems("SPC802", text) == []
    unlabelled = text.replace("# old\n", "", 1)
    assert any("'## Example' has no '# old' block" in p
               for p in explain.problems("SPC802", unlabelled))
    assert any("does not start with '# old' or '# new'" in p
               for p in explain.problems("SPC802", unlabelled))
    assert not explain.is_diff("SPC401") and explain.is_diff("SPC817")


@pytest.mark.parametrize("code", sorted(CODES))
def test_explain_every_code(code):
    r = invoke("explain", code)
    assert r.exit_code == 0, r.output
    entry = CODES[code]
    assert r.stdout.startswith(f"{code} {entry.name} ({entry.severity})")
    page = explain.load(code)
    labels = {explain.BOTH: ("Example (fails), Flyte's form:", "Example (fails), in the dialect:",
                             "Fix, Flyte's form:", "Fix, in the dialect:"),
              explain.SAME: ("Example (fails):", "Fix:", explain.MARKERS[explain.SAME]),
              explain.DIALECT: ("Example (fails), in the dialect:", "Fix, in the dialect:",
                                explain.MARKERS[explain.DIALECT]),
              explain.FLYTE: ("Example (fails), Flyte's form:", "Fix, Flyte's form:",
                              explain.MARKERS[explain.FLYTE])}[page.forms]
    for part in ("Why:", *labels, f"#{code.lower()}"):
        assert part in r.stdout, part
    assert "```" not in r.stdout
    if entry.flyte_code:
        assert entry.flyte_code in r.stdout


def test_explain_by_name_and_list():
    assert invoke("explain", "mismatching-types").stdout == invoke("explain", "spc401").stdout
    listing = invoke("explain", "--list").stdout.splitlines()
    assert [ln.split()[0] for ln in listing] == list(CODES)


def _gen_docs():
    path = REPO / "scripts" / "gen_docs.py"
    spec = importlib.util.spec_from_file_location("gen_docs", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_docs_codes_md_is_up_to_date():
    gen = _gen_docs()
    current = gen.OUT.read_text(encoding="utf-8") if gen.OUT.exists() else ""
    assert current == gen.render(), "docs/codes.md is stale: run python scripts/gen_docs.py"


def test_docs_have_an_anchor_per_code():
    text = _gen_docs().render()
    for code in CODES:
        assert f"\n## {code}\n" in text, code  # GitHub's anchor: #spc301 (the SARIF helpUri)
