"""`specc diff`: every category on fixtures (fixtures/diff/<CODE>-<slug>/{old,new}, snapshotted),
the rules in tables, two real `pyflyte package` bundles (fixtures/flytekit/diff/), `--against`
on a temporary git repository, the formats of compile (JSON contract, SARIF schema, GitHub),
configuration, exit codes and usage errors."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from specc import cli, diff
from specc.codes import CODES
from specc.diff import tree
from specc.reporters import text
from tests.conftest import REFERENCE, REPO

FIXTURES = REPO / "fixtures" / "diff"
_NAME = re.compile(r"^(SPC\d{3})-")
# one folder per code; fixtures/diff/example/ is the README's example
CASES = sorted(p for p in FIXTURES.iterdir() if p.is_dir() and _NAME.match(p.name)) \
    if FIXTURES.exists() else []
BUNDLES = REPO / "fixtures" / "flytekit" / "diff"
EXAMPLE = FIXTURES / "example"


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch):
    monkeypatch.chdir(REPO)  # reports name files relative to the working directory
    for var in ("NO_COLOR", "FORCE_COLOR"):
        monkeypatch.delenv(var, raising=False)


def invoke(*args: str):
    return CliRunner().invoke(cli.main, ["diff", *args])


def codes(result: diff.DiffResult) -> list[str]:
    return [d.code for d in result.diagnostics]


def shown(result: diff.DiffResult) -> str:
    """What a user sees: the text report and the summary lines."""
    return text.render(result) + "\n".join(diff.summary(result)) + "\n"


# ---- fixtures: one folder per code -------------------------------------------------------------

@pytest.mark.parametrize("case", CASES, ids=[p.name for p in CASES])
def test_diff_fixture(case: Path, snapshot):
    code = _NAME.match(case.name).group(1)
    assert code in CODES and code.startswith("SPC8"), f"{code} is no code of specc diff"
    result = diff.diff([(case / "old").relative_to(REPO)], [(case / "new").relative_to(REPO)])
    got = [d for d in result.diagnostics if d.code == code]
    assert got, f"{case.name} does not trigger {code}:\n{shown(result)}"
    assert all(d.pass_name == "diff" for d in got)
    assert result.old.errors == result.new.errors == 0, shown(result)
    assert all(d.span is not None for d in result.diagnostics), "YAML has lines and columns"
    assert result.exit_code == (1 if CODES[code].severity == "error" else 0)
    assert shown(result) == snapshot


def test_every_diff_code_has_a_fixture_and_no_other_code_is_in_the_block():
    block = {c for c in CODES if c.startswith("SPC8")}
    covered = {_NAME.match(p.name).group(1) for p in CASES if _NAME.match(p.name)}
    assert block == covered
    assert all(CODES[c].severity == "error" for c in block if c.startswith("SPC80"))
    assert all(CODES[c].severity == "note" for c in block if c.startswith("SPC81"))


def test_a_removed_entity_is_located_in_the_old_specs():
    case = next(p for p in CASES if p.name.startswith("SPC812"))
    result = diff.diff([case / "old"], [case / "new"])
    (d,) = [d for d in result.diagnostics if d.code == "SPC812"]
    assert d.file is not None and "/old/" in d.file.replace("\\", "/")
    assert "the old specs define it here" in d.message


# ---- the rules, in tables ----------------------------------------------------------------------

def task(version: str = "v1", inputs: str = "rows: {type: {simple: INTEGER}}",
         outputs: str = "kept: {type: {simple: INTEGER}}", name: str = "shop.clean",
         extra: str = "") -> str:
    def block(key: str, body: str) -> str:
        if not body:
            return ""
        lines = "".join(f"      {line}\n" for line in body.splitlines())
        return f"  {key}:\n    variables:\n{lines}"

    return (f"id: {{resourceType: TASK, name: {name}, version: {version}}}\n"
            f"type: python-task\n"
            f"metadata:\n  runtime: {{type: FLYTE_SDK, version: 1.16.0, flavor: python}}\n"
            f"{extra}"
            f"interface:\n{block('inputs', inputs)}{block('outputs', outputs)}"
            f"container:\n  image: ghcr.io/example/shop:1.0.0\n"
            f"  args: [pyflyte-execute, --inputs, \"{{{{.input}}}}\"]\n")


def pipeline(version: str, lp_spec: str, inputs: str = "rows: {type: {simple: INTEGER}}",
             task_version: str | None = None) -> str:
    """A task, a workflow passing its inputs to it, and a launch plan (``lp_spec``: the lines
    under ``spec:`` besides ``workflowId``)."""
    tv = task_version or version
    wf_inputs = "".join(f"        {line}\n" for line in inputs.splitlines())
    bindings = "".join(f"        - var: {line.split(':')[0]}\n"
                       f"          binding: {{promise: {{var: {line.split(':')[0]}}}}}\n"
                       for line in inputs.splitlines())
    return (task(tv, inputs=inputs) + "---\n"
            f"template:\n"
            f"  id: {{resourceType: WORKFLOW, name: shop.daily, version: {version}}}\n"
            f"  interface:\n    inputs:\n      variables:\n{wf_inputs}"
            f"    outputs:\n      variables:\n        kept: {{type: {{simple: INTEGER}}}}\n"
            f"  nodes:\n    - id: clean\n      taskNode:\n"
            f"        referenceId: {{resourceType: TASK, name: shop.clean, version: {tv}}}\n"
            f"      inputs:\n{bindings}"
            f"  outputs:\n    - var: kept\n"
            f"      binding: {{promise: {{nodeId: clean, var: kept}}}}\n"
            f"---\n"
            f"id: {{resourceType: LAUNCH_PLAN, name: shop.daily, version: {version}}}\n"
            f"spec:\n"
            f"  workflowId: {{resourceType: WORKFLOW, name: shop.daily, version: {version}}}\n"
            + "".join(f"  {line}\n" for line in lp_spec.splitlines()))


def sides(tmp_path: Path, old: str, new: str, version: str | None = None,
          clean: bool = True) -> diff.DiffResult:
    for side, body in (("old", old), ("new", new)):
        (tmp_path / side).mkdir(exist_ok=True)
        (tmp_path / side / "specs.yaml").write_text(body)
    result = diff.diff([tmp_path / "old"], [tmp_path / "new"], version=version,
                       use_config=False)
    if clean:
        assert result.old.errors == result.new.errors == 0, shown(result)
    return result


DEFAULT = ("defaultInputs:\n  parameters:\n    rows:\n      var: {type: {simple: INTEGER}}\n"
           "      default: {scalar: {primitive: {integer: %d}}}")
REQUIRED = ("defaultInputs:\n  parameters:\n    rows:\n      var: {type: {simple: INTEGER}}\n"
            "      required: true")
FIXED = "fixedInputs:\n  literals:\n    rows: {scalar: {primitive: {integer: %d}}}"
SCHEDULE = "entityMetadata:\n  schedule: {cronSchedule: {schedule: '0 3 * * *'}}"


@pytest.mark.parametrize("old,new,want,words", [
    # a removed input, with exactly one new input of its type: one error naming the new name
    (task(inputs="rows: {type: {simple: INTEGER}}"),
     task("v2", inputs="row_count: {type: {simple: INTEGER}}"),
     ["SPC802"], "looks renamed to 'row_count'"),
    # two candidates: no guess, and the new required inputs are errors of their own
    (task(inputs="rows: {type: {simple: INTEGER}}"),
     task("v2", inputs="a: {type: {simple: INTEGER}}\nb: {type: {simple: INTEGER}}"),
     ["SPC802", "SPC804", "SPC804"], "callers that set it fail"),
    # an output narrowed (int | none to int) still fits where it was used
    (task(outputs="kept: {type: {unionType: {variants: [{simple: INTEGER}, {simple: NONE}]}}}"),
     task("v2"), ["SPC815"], "still fits"),
    # an output widened does not
    (task(), task("v2", outputs="kept: {type: {unionType: {variants: [{simple: INTEGER}, "
                                "{simple: NONE}]}}}"), ["SPC806"], "cannot be cast to int"),
    # int does not cast to float in Flyte
    (task(), task("v2", inputs="rows: {type: {simple: FLOAT}}"), ["SPC803"], "int to float"),
    # a renamed output
    (task(), task("v2", outputs="count: {type: {simple: INTEGER}}"), ["SPC805"],
     "looks renamed to 'count', which callers do not use either"),
    # the same spec at a new version: nothing to say
    (task(), task("v2"), [], ""),
    # settings: one note per field, located at the field
    (task(extra="  retries: {retries: 1}\n  timeout: 600s\n"),
     task("v2", extra="  retries: {retries: 2}\n  discoverable: true\n"),
     ["SPC817", "SPC817", "SPC817"], "'metadata.discoverable' of task 'shop.clean' changed "
                                     "from unset to true"),
])
def test_interface_rules(tmp_path, old, new, want, words):
    result = sides(tmp_path, old, new)
    assert sorted(codes(result)) == sorted(want), shown(result)
    assert words in shown(result)


@pytest.mark.parametrize("old,new,want,words", [
    (DEFAULT % 1000, FIXED % 1000, ["SPC807"], "is now fixed to 1000, so callers that set it"),
    (DEFAULT % 1000, REQUIRED, ["SPC807"], "has no default any more (it was 1000)"),
    # (the new side has an error of its own too: a schedule needs every input to have a value)
    (DEFAULT % 1000 + "\n" + SCHEDULE, REQUIRED + "\n" + SCHEDULE, ["SPC534", "SPC807"],
     "callers that leave it out and its schedule fail"),
    (FIXED % 5, REQUIRED, ["SPC807"], "was fixed to 5 and is now required"),
    (FIXED % 5, DEFAULT % 5, ["SPC816"], "is no longer fixed to 5; it defaults to 5"),
    (REQUIRED, DEFAULT % 7, ["SPC816"], "now has a default (7)"),
    (DEFAULT % 1000, DEFAULT % 5000, ["SPC817"],
     "the default of input 'rows' of launch plan 'shop.daily' changed from 1000 to 5000"),
    (FIXED % 1, FIXED % 2, ["SPC817"], "the fixed value of input 'rows'"),
    (DEFAULT % 1, DEFAULT % 1 + "\n" + SCHEDULE, ["SPC817"],
     "'entityMetadata' of launch plan 'shop.daily' changed from unset to {\"schedule\": "),
    (DEFAULT % 1, DEFAULT % 1, [], ""),
])
def test_launch_plan_rules(tmp_path, old, new, want, words):
    result = sides(tmp_path, pipeline("v1", old), pipeline("v2", new),
                   clean="SPC534" not in want)
    assert sorted(codes(result)) == sorted(want), shown(result)
    assert words in shown(result)


def test_launch_plan_inputs_added_and_removed(tmp_path):
    two = "rows: {type: {simple: INTEGER}}\nlimit: {type: {simple: INTEGER}}"
    # a new workflow input the launch plan leaves open: required for the plan's callers too
    result = sides(tmp_path, pipeline("v1", DEFAULT % 1), pipeline("v2", DEFAULT % 1, two))
    lp = [d for d in result.diagnostics if "launch plan" in d.message]
    assert [d.code for d in lp] == ["SPC804"], shown(result)
    assert "give it a default in the launch plan" in lp[0].message
    # with a default it is compatible
    both = (DEFAULT % 1) + "\n    limit:\n      var: {type: {simple: INTEGER}}\n" \
                           "      default: {scalar: {primitive: {integer: 9}}}"
    result = sides(tmp_path, pipeline("v1", DEFAULT % 1), pipeline("v2", both, two))
    lp = [d for d in result.diagnostics if "launch plan" in d.message]
    assert [d.code for d in lp] == ["SPC813"] and "it defaults to 9" in lp[0].message
    # and the other way round, removed
    result = sides(tmp_path, pipeline("v1", both, two), pipeline("v2", DEFAULT % 1))
    lp = [d for d in result.diagnostics if "launch plan" in d.message]
    assert [d.code for d in lp] == ["SPC802"], shown(result)


def test_same_version_structure_is_listed_field_by_field(tmp_path):
    old = task(extra="  retries: {retries: 1}\n")
    new = task(extra="  retries: {retries: 2}\n").replace("shop:1.0.0", "shop:1.1.0")
    result = sides(tmp_path, old, new)
    (d,) = result.diagnostics
    assert d.code == "SPC801" and d.severity == "error"
    assert "2 fields differ: 'metadata.retries.retries', 'container.image'" in d.message
    assert "'task with different structure already exists'" in d.message
    assert d.span is not None and d.span.line == 5  # the first field that differs, in NEW
    assert [r.message for r in d.related] == [
        "the old definition", "'metadata.retries.retries' is 2, was 1",
        "'container.image' is 'ghcr.io/example/shop:1.1.0', was 'ghcr.io/example/shop:1.0.0'"]
    assert d.related[0].file.endswith("old/specs.yaml")
    assert result.exit_code == 1


def test_versions_left_empty_take_the_version_given(tmp_path):
    """Empty and placeholder versions are unknown without --version (only the interface rules
    apply), and are that version with it (the structure rule applies too)."""
    old = task(version="'{{ registration.version }}'")
    new = task(version="''").replace("shop:1.0.0", "shop:1.1.0")
    assert codes(sides(tmp_path, old, new)) == ["SPC817"]
    assert codes(sides(tmp_path, old, new, version="v7")) == ["SPC801"]
    assert "under the same version 'v7'" in sides(tmp_path, old, new, "v7").diagnostics[0].message
    # placeholders in references are filled the same way: no difference when only they differ
    same = sides(tmp_path, pipeline("'{{ registration.version }}'", DEFAULT % 1),
                 pipeline("v7", DEFAULT % 1), version="v7")
    assert codes(same) == []


def test_references_between_versions_are_not_settings(tmp_path):
    """A workflow's task references change version with every release: no note for that."""
    result = sides(tmp_path, pipeline("v1", DEFAULT % 1), pipeline("v2", DEFAULT % 1))
    assert codes(result) == []


def test_a_side_with_errors_is_labelled_and_what_failed_is_not_compared(tmp_path):
    broken = task("v2", inputs="rows: {type: {simple: NUMBER}}")  # not a SimpleType
    result = sides(tmp_path, task(), broken, clean=False)
    assert result.new.errors >= 1 and result.old.errors == 0
    labelled = [d for d in result.diagnostics if d.pass_name != "diff"]
    assert labelled and all(d.message.startswith("new side: ") for d in labelled)
    assert all(d.severity == "error" for d in labelled)
    # the broken task is neither compared nor called removed
    assert not [d for d in result.diagnostics if d.pass_name == "diff"], shown(result)
    assert result.exit_code == 1
    assert any("the new specs" in line and "not compared" in line
               for line in diff.summary(result))


def test_an_unreadable_file_hides_no_removal_it_cannot_judge(tmp_path):
    (tmp_path / "old").mkdir()
    (tmp_path / "new").mkdir()
    (tmp_path / "old" / "specs.yaml").write_text(task())
    (tmp_path / "new" / "specs.yaml").write_text(task("v2") + "  bad: [\n")  # YAML error
    result = diff.diff([tmp_path / "old"], [tmp_path / "new"], use_config=False)
    assert "SPC812" not in codes(result)
    assert result.new.errors and result.exit_code == 1


def test_the_dialect_and_flytes_form_are_the_same_specs():
    """examples/dialect/quickstart.yaml is examples/flyteidl/ in the authoring dialect."""
    result = diff.diff([Path("examples/flyteidl")], [Path("examples/dialect/quickstart.yaml")])
    assert result.diagnostics == [] and result.compared == 4


def test_the_readme_example_has_one_breaking_change():
    result = diff.diff([EXAMPLE / "v1"], [EXAMPLE / "v2"])
    errors = [d for d in result.diagnostics if d.severity == "error"]
    assert [d.code for d in errors] == ["SPC802"]
    assert {d.code for d in result.diagnostics} == {"SPC802", "SPC813", "SPC817"}


def test_the_readme_shows_a_real_run():
    """The README's run of `specc diff` is what specc prints (stdout and stderr) today."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    command = "specc diff fixtures/diff/example/v1 fixtures/diff/example/v2"
    at = readme.index(f"`{command}`")
    block = re.search(r"```\n(.*?)```", readme[at:], re.S)
    assert block is not None
    r = invoke(*command.split()[2:], "--color", "never")
    assert r.exit_code == 1
    assert block.group(1) == r.stdout + r.stderr


# ---- real pyflyte bundles ----------------------------------------------------------------------

def test_pyflyte_bundles_one_breaking_change(snapshot):
    """shop-v2.tgz is shop-v1.tgz with one breaking change (task 'score' has a new required
    input) and compatible ones; pyflyte leaves versions empty, so only the interface rules and
    the settings apply."""
    result = diff.diff([BUNDLES.relative_to(REPO) / "shop-v1.tgz"],
                       [BUNDLES.relative_to(REPO) / "shop-v2.tgz"])
    assert result.old.errors == result.new.errors == 0
    by_code: dict[str, list[str]] = {}
    for d in result.diagnostics:
        by_code.setdefault(d.code, []).append(d.message)
    (breaking,) = [d for d in result.diagnostics if d.severity == "error"]
    assert breaking.code == "SPC804" and "'shop.score'" in breaking.message \
        and "'weight' (float)" in breaking.message
    assert breaking.file.endswith("shop-v2.tgz!1_shop.score_1.pb")
    assert breaking.pointer == "/template/interface/inputs/variables/weight"
    assert by_code["SPC811"] == ["task 'shop.audit' was added: the old specs do not define it"]
    assert len(by_code["SPC812"]) == 1 and "task 'shop.legacy'" in by_code["SPC812"][0]
    assert "shop-v1.tgz!" in next(d.file for d in result.diagnostics if d.code == "SPC812")
    assert any("input 'threshold' of task 'shop.report' changed type from int to int | none"
               in m for m in by_code["SPC815"])
    assert by_code["SPC814"] == ["task 'shop.report' has a new output 'o1' (int)"]
    assert sorted(m.split(" has a new input")[0] for m in by_code["SPC813"]) == [
        "launch plan 'shop.nightly'", "launch plan 'shop.pipeline'", "workflow 'shop.pipeline'"]
    settings = "\n".join(by_code["SPC817"])
    for words in ("'metadata.retries.retries' of task 'shop.load' changed from 1 to 3",
                  "'metadata.discoverable' of task 'shop.load' changed from unset to true",
                  "'container.resources.requests[CPU].value' of task 'shop.score' changed from "
                  "'1' to '2'",
                  "the default of input 'n' of launch plan 'shop.nightly' changed from 100 to 200",
                  "'nodes[n1].inputs[weight]' of workflow 'shop.pipeline' changed from unset to "
                  "weight = 1.0"):
        assert words in settings
    assert result.exit_code == 1
    assert shown(result) == snapshot


def test_pyflyte_bundles_under_one_version_are_new_structures():
    """Registering v2's bundle with the version v1's was registered with: FlyteAdmin refuses
    every entity that changed."""
    result = diff.diff([BUNDLES / "shop-v1.tgz"], [BUNDLES / "shop-v2.tgz"], version="v1")
    refused = sorted(d.message.split(" differs")[0] for d in result.diagnostics
                     if d.code == "SPC801")
    assert refused == ["launch plan 'shop.nightly'", "launch plan 'shop.pipeline'",
                       "task 'shop.load'", "task 'shop.report'", "task 'shop.score'",
                       "workflow 'shop.pipeline'"]
    assert "SPC817" not in codes(result)  # the structure error lists them
    same = diff.diff([BUNDLES / "shop-v1.tgz"], [BUNDLES / "shop-v1.tgz"], version="v1")
    assert same.diagnostics == [] and same.compared == 7


# ---- --against ---------------------------------------------------------------------------------

def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True,
                          text=True).stdout


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A repository whose main branch has fixtures/diff/example/v1 under flyte/, and whose work
    tree has v2 there (uncommitted)."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    root = tmp_path / "repo"
    (root / "flyte").mkdir(parents=True)
    git(root, "init", "-q", "-b", "main")
    for f in (EXAMPLE / "v1").iterdir():
        shutil.copy(f, root / "flyte" / f.name)
    (root / "README.md").write_text("not a spec\n")
    git(root, "add", ".")
    git(root, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "v1")
    git(root, "tag", "v1")
    for f in (EXAMPLE / "v2").iterdir():
        shutil.copy(f, root / "flyte" / f.name)
    monkeypatch.chdir(root)
    return root


@pytest.mark.parametrize("against", ["main", "HEAD", "v1", ".git#branch=main", ".git#tag=v1",
                                     ".git#ref=HEAD"])
def test_against_a_revision(repo, against):
    before = git(repo, "status", "--porcelain")
    r = invoke("--against", against, "flyte")
    assert r.exit_code == 1, r.output
    assert "error SPC802 input 'rows' (int) of task 'example.prepare' was removed" in r.stdout
    label = against.rpartition("=")[2]
    assert f"    {label}:flyte/tasks.yaml:11:15: note: the old input" in r.stdout
    assert "tmp" not in r.stdout.replace(str(repo), "")  # never the temporary folder
    assert git(repo, "status", "--porcelain") == before  # the work tree is untouched
    assert (repo / "flyte" / "tasks.yaml").read_text() == (EXAMPLE / "v2" / "tasks.yaml") \
        .read_text()


def test_against_defaults_to_the_current_folder_and_compares_like_paths(repo):
    r = invoke("--against", "main", "--format", "json")
    assert r.exit_code == 1
    got = json.loads(r.stdout)
    plain = diff.diff([EXAMPLE / "v1"], [EXAMPLE / "v2"])
    assert [d["code"] for d in got["diagnostics"]] == codes(plain)
    assert got["summary"]["files"] == 4


def test_against_the_same_revision_has_no_changes(repo):
    git(repo, "stash", "-q")
    r = invoke("--against", "HEAD", "flyte")
    assert r.exit_code == 0 and r.stdout == ""
    assert "no changes; 4 entities compared" in r.stderr


def test_against_a_folder_new_since_the_revision(repo):
    (repo / "more").mkdir()
    shutil.copy(EXAMPLE / "v2" / "tasks.yaml", repo / "more" / "tasks.yaml")
    r = invoke("--against", "main", "more")
    assert r.exit_code == 0, r.output
    assert r.stdout.count("note SPC811") == 2
    assert "'more' does not exist in the old specs (main:more)" in r.stderr


def test_against_a_removed_entity_is_located_at_the_revision(repo):
    (repo / "flyte" / "pipeline.yaml").unlink()
    r = invoke("--against", "main", "flyte", "--format", "json")
    removed = [d for d in json.loads(r.stdout)["diagnostics"] if d["code"] == "SPC812"]
    assert {d["file"] for d in removed} == {"main:flyte/pipeline.yaml"}
    assert len(removed) == 2  # the workflow and its launch plan


def test_against_in_sarif_names_repository_paths(repo, sarif_validator):
    """A `REV:` prefix would read as a URI scheme: SARIF (and GitHub) get the repository path."""
    (repo / "flyte" / "pipeline.yaml").unlink()
    log = json.loads(invoke("--against", "main", "flyte", "--format", "sarif").stdout)
    assert not list(sarif_validator.iter_errors(log))
    results = log["runs"][0]["results"]
    uris = {r["ruleId"]: r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for r in results}
    assert uris["SPC812"] == "flyte/pipeline.yaml" and uris["SPC802"] == "flyte/tasks.yaml"
    github = invoke("--against", "main", "flyte", "--format", "github").stdout
    assert "::notice file=flyte/pipeline.yaml," in github and "main:" not in github


@pytest.mark.parametrize("against,words", [
    ("no-such-branch", "unknown revision 'no-such-branch'"),
    (".git#branch=nope", "unknown revision 'nope'"),
    (".git#color=red", "'color=red' is not one of branch=NAME"),
    ("elsewhere#branch=main", "write a revision"),
    ("--upload-pack=x", "is not a revision"),
])
def test_against_usage_errors(repo, against, words):
    r = invoke("--against", against, "flyte")
    assert r.exit_code == 2
    assert words in r.stderr


def test_against_outside_a_repository(tmp_path, monkeypatch):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    r = invoke("--against", "main")
    assert r.exit_code == 2 and "--against:" in r.stderr


# ---- formats, configuration, exit codes --------------------------------------------------------

def example(*args: str):
    return invoke(str(EXAMPLE.relative_to(REPO) / "v1"), str(EXAMPLE.relative_to(REPO) / "v2"),
                  *args)


def test_json_keeps_compiles_contract():
    r = example("--format", "json")
    assert r.exit_code == 1
    got = json.loads(r.stdout)  # exactly one JSON document on stdout
    assert set(got) == {"diagnostics", "summary"}
    assert got["summary"] == {"files": 4, "errors": 1, "warnings": 0, "not_checked": 0,
                              "external": 0}
    keys = {"code", "name", "severity", "message", "file", "line", "column", "end_line",
            "end_column", "pointer", "flyte_code", "help", "related"}
    for d in got["diagnostics"]:
        assert set(d) == keys
        assert d["file"].startswith("fixtures/diff/example/v2/")
        assert d["line"] >= 1 and d["pointer"].startswith("/")
    err = next(d for d in got["diagnostics"] if d["severity"] == "error")
    assert err["name"] == "input-removed"
    assert err["related"] == [{"file": "fixtures/diff/example/v1/tasks.yaml", "line": 11,
                               "column": 15, "message": "the old input"}]


@pytest.fixture(scope="module")
def sarif_validator():
    path = REFERENCE / "sarif-schema-2.1.0.json"
    if not path.exists():
        pytest.skip(f"{path} is absent: the SARIF schema lives in ../shared/reference")
    import jsonschema

    schema = json.loads(path.read_text())
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema)


def test_sarif_validates(sarif_validator):
    log = json.loads(example("--format", "sarif").stdout)
    errors = list(sarif_validator.iter_errors(log))
    assert not errors, errors[:3]
    (run,) = log["runs"]
    rules = {r["id"] for r in run["tool"]["driver"]["rules"]}
    assert rules == {"SPC802", "SPC813", "SPC817"}
    levels = {r["ruleId"]: r["level"] for r in run["results"]}
    assert levels["SPC802"] == "error" and levels["SPC817"] == "note"
    for res in run["results"]:
        art = res["locations"][0]["physicalLocation"]["artifactLocation"]
        assert (REPO / art["uri"]).exists()
        assert res["properties"]["pass"] == "diff"


def test_sarif_of_a_pyflyte_bundle_validates(sarif_validator):
    r = invoke(str(BUNDLES.relative_to(REPO) / "shop-v1.tgz"),
               str(BUNDLES.relative_to(REPO) / "shop-v2.tgz"), "--format", "sarif")
    log = json.loads(r.stdout)
    assert not list(sarif_validator.iter_errors(log))
    res = next(x for x in log["runs"][0]["results"] if x["ruleId"] == "SPC804")
    assert res["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == \
        "1_shop.score_1.pb/template/interface/inputs/variables/weight"


def test_github_annotations():
    lines = example("--format", "github").stdout.splitlines()
    assert len(lines) == 8
    assert any(ln.startswith("::error file=fixtures/diff/example/v2/tasks.yaml,line=11,col=9,")
               and "title=SPC802::" in ln for ln in lines)
    assert sum(ln.startswith("::notice ") for ln in lines) == 7


def test_text_summary_and_colour():
    r = example()
    assert r.stderr.strip().splitlines()[-1] == \
        "specc: 1 error, 7 notes; 4 entities compared (old: 2 files, new: 2 files)"
    assert "\x1b[" not in r.stdout
    assert "\x1b[" in example("--color", "always").stdout


@pytest.mark.parametrize("toml,want_codes,exit_code", [
    ('ignore = ["SPC81"]\n', {"SPC802"}, 1),  # breaking changes only
    ('select = ["SPC80"]\n', {"SPC802"}, 1),
    ('ignore = ["SPC80"]\n', {"SPC813", "SPC817"}, 0),
    ('severity = {SPC802 = "warning"}\n', {"SPC802", "SPC813", "SPC817"}, 0),
    ('severity = {SPC817 = "error"}\n', {"SPC802", "SPC813", "SPC817"}, 1),
])
def test_configuration_applies(tmp_path, toml, want_codes, exit_code):
    cfg = tmp_path / "specc.toml"
    cfg.write_text(toml)
    r = example("--config", str(cfg), "--format", "json")
    got = json.loads(r.stdout)["diagnostics"]
    assert {d["code"] for d in got} == want_codes
    assert r.exit_code == exit_code


def test_exit_codes_and_usage():
    notes_only = next(p for p in CASES if p.name.startswith("SPC817"))
    assert invoke(str(notes_only / "old"), str(notes_only / "new")).exit_code == 0
    assert example().exit_code == 1
    assert example("--exit-zero").exit_code == 0
    r = invoke("fixtures/diff/example/v1")
    assert r.exit_code == 2 and "give OLD and NEW" in r.stderr
    r = invoke("fixtures/diff/example/v1", "no/such/folder")
    assert r.exit_code == 2 and "no such file or directory" in r.stderr


def test_a_bug_in_the_rules_is_an_internal_error(monkeypatch):
    from specc.diff import compare

    def boom(self):
        raise RuntimeError("boom")

    monkeypatch.setattr(compare.Differ, "run", boom)
    r = example()
    assert r.exit_code == 3
    assert "error SPC900 internal error in diff: RuntimeError: boom" in r.stdout


def test_explain_lists_the_diff_codes():
    r = CliRunner().invoke(cli.main, ["explain", "--list"])
    listed = [ln.split()[0] for ln in r.stdout.splitlines()]
    assert [c for c in listed if c.startswith("SPC8")] == sorted(c for c in CODES
                                                                 if c.startswith("SPC8"))
    r = CliRunner().invoke(cli.main, ["explain", "input-removed"])
    assert r.exit_code == 0 and r.stdout.startswith("SPC802 input-removed (error)")


# ---- the field-by-field difference -------------------------------------------------------------

def test_named_lists_are_matched_by_name():
    old = {"nodes": [{"id": "a", "x": 1}, {"id": "b", "x": 1}]}
    new = {"nodes": [{"id": "new", "x": 0}, {"id": "a", "x": 1}, {"id": "b", "x": 2}]}
    got = [(c.label, c.kind, c.old_at, c.new_at) for c in tree.changes(old, new)]
    assert got == [("nodes[new]", "added", None, ("nodes", 0)),
                   ("nodes[b].x", "changed", ("nodes", 1, "x"), ("nodes", 2, "x"))]


def test_removed_items_are_anchored_on_their_container_in_new():
    added, removed = tree.changes({"env": [{"key": "A", "value": "1"}]},
                                  {"env": [{"key": "B", "value": "1"}]})
    assert (added.label, added.kind, added.new_at) == ("env[B]", "added", ("env", 0))
    assert (removed.label, removed.kind, removed.old_at, removed.new_at) == \
        ("env[A]", "removed", ("env", 0), None)
    assert removed.anchor == ("env",)  # where it would be in NEW: the list
    (gone,) = [c for c in tree.changes({"env": [{"key": "A", "value": "1"}]},
                                        {"env": [], "other": 1}) if c.label == "env"]
    assert gone.label == "env" and gone.anchor == ()  # an empty list is no list: the root


def test_empty_counts_as_absent_and_scalar_lists_compare_whole():
    assert tree.changes({"fixedInputs": {}}, {}) == []
    assert tree.changes({"spec": {"fixedInputs": {"literals": {}}}}, {"spec": {}}) == []
    # a literal whose fields are all proto3 defaults (the integer 0) is a value, not nothing
    zero = {"scalar": {"primitive": {}}}
    (c,) = tree.changes({"a": 1}, {"a": 1, "default": zero})
    assert c.kind == "added" and tree.show(c.new) == "0"
    (c,) = tree.changes({"args": ["a", "b"]}, {"args": ["x", "a", "b"]})
    assert c.label == "args" and tree.show(c.new) == "['x', 'a', 'b']"


def test_types_and_literals_are_shown_whole():
    old = {"type": {"simple": "INTEGER"}, "default": {"scalar": {"primitive": {"integer": "1"}}}}
    new = {"type": {"unionType": {"variants": [{"simple": "INTEGER"}, {"simple": "NONE"}]}},
           "default": {"scalar": {"primitive": {"integer": "2"}}}}
    got = [(c.label, tree.show(c.old), tree.show(c.new)) for c in tree.changes(old, new)]
    assert got == [("type", "int", "int | none"), ("default", "1", "2")]
