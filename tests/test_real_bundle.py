"""A real ``pyflyte package`` bundle with every node kind: it compiles clean, its closures have
the right connections, and hand-made mutations of its YAML form are reported with Flyte's code at
the line of the offending element.

The bundle is ``fixtures/flytekit/every_node_kind/bundle.tgz``, made from ``workflows.py`` beside
it by ``make_bundle.sh`` (flytekit pinned there). These tests need only the bundle, not flytekit.

Node ids in ``workflows.every_node_kind`` (flytekit numbers nodes in call order; ``numbers``,
``echo`` and ``checked`` are named with ``with_overrides(node_name=...)``):

    numbers  task make_numbers, with retries, timeout and resource overrides
    echo     task keep, with an output alias and no consumer
    n2       array node (map_task over square, concurrency 2, min success ratio 0.5)
    n3       task total            n4  sub-workflow stats_wf     n5  task describe (attribute paths)
    n6       launch plan scaled_lp
    n7       branch "classify": if (n7-n0: nested branch "big" with n7-n0-n0, n7-n0-n1 and a
             failing else) / elif (n7-n1) / else (n7-n2)
    n8       gate: signal "title"  n9  gate: sleep 30s           checked  task keep
    n11      gate: approve "approve-choice"
    n12..n18 tasks weigh, pick, deadline, write_csv, to_directory, to_table, count_rows
    fn0      failure node (task cleanup)

Regenerating the bundle may renumber nodes: update the edges below then.
"""
from __future__ import annotations

import copy
import io
import re
import tarfile
from pathlib import Path

import pytest

from tests.conftest import REPO

FIXTURE = REPO / "fixtures" / "flytekit" / "every_node_kind"
BUNDLE = FIXTURE / "bundle.tgz"
MAIN = "workflows.every_node_kind"
MAIN_DOC = "22_workflows.every_node_kind_2"  # the bundle member (without .pb) holding MAIN


# ---- helpers ---------------------------------------------------------------------------------

def _compile(*paths: Path, **kw):
    from specc import driver

    return driver.compile_paths(driver.Options(paths=list(paths), closures=True, **kw))


def _fmt(diags) -> str:
    return "\n".join(f"{d.file}:{d.span.line if d.span else d.pointer}: {d.severity} {d.code} "
                     f"{d.message}" for d in diags) or "(none)"


def _ids(idlist: dict) -> list[str]:
    return idlist.get("ids", [])


def _yaml_text(doc: dict) -> str:
    from ruamel.yaml import YAML

    y = YAML(typ="safe", pure=True)
    y.default_flow_style = False  # block style: every key on a line of its own
    y.width = 1 << 16  # never fold a long value onto a second line
    buf = io.StringIO()
    y.dump(doc, buf)
    return buf.getvalue()


def _line_of(text: str, *needles: str) -> int:
    """The 1-based line of the last needle, each searched (as a whole stripped line) after the
    line of the one before, so ``("- id: numbers", "var: n")`` is the first ``var: n`` of that
    node."""
    lines = text.splitlines()
    at = 0
    for needle in needles:
        for i in range(at, len(lines)):
            if lines[i].strip() == needle:
                at = i
                break
        else:
            raise AssertionError(f"{needle!r} not found after line {at + 1}")
        at += 1
    return at


# ---- fixtures --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def result():
    assert BUNDLE.is_file(), f"{BUNDLE} is missing: run {FIXTURE / 'make_bundle.sh'}"
    return _compile(BUNDLE)


@pytest.fixture(scope="module")
def closures(result) -> dict[str, dict]:
    assert result.errors == 0, _fmt(result.diagnostics)
    return {wf.id.name: c for wf, c in result.closures}


@pytest.fixture(scope="module")
def main(closures) -> dict:
    return closures[MAIN]


@pytest.fixture(scope="module")
def up(main) -> dict[str, list[str]]:
    return {k: _ids(v) for k, v in main["primary"]["connections"]["upstream"].items()}


@pytest.fixture(scope="module")
def down(main) -> dict[str, list[str]]:
    return {k: _ids(v) for k, v in main["primary"]["connections"]["downstream"].items()}


@pytest.fixture(scope="module")
def nodes(main) -> dict[str, dict]:
    return {n["id"]: n for n in main["primary"]["template"]["nodes"]}


@pytest.fixture(scope="module")
def bundle_docs() -> dict[str, dict]:
    """Every .pb member, decoded by its suffix and turned into proto3 JSON (a dict)."""
    from google.protobuf import json_format

    from specc.frontends import proto

    docs = {}
    with tarfile.open(BUNDLE) as tf:
        for m in tf.getmembers():
            name = Path(m.name).name
            match = re.search(r"_(\d)\.pb$", name)
            if not m.isfile() or not match:
                continue
            msg = proto.decode(tf.extractfile(m).read(), proto.SUFFIX_KIND[match.group(1)])
            docs[name[:-3]] = json_format.MessageToDict(msg)
    return docs


# ---- the bundle compiles clean ---------------------------------------------------------------

def test_bundle_compiles_with_no_errors_and_no_warnings(result):
    assert result.files == 1
    assert result.errors == 0, _fmt(result.diagnostics)
    # the lint rules' warnings (beyond Flyte's verdict) on this bundle are pinned in test_lint.py
    compiler = [d for d in result.diagnostics if d.pass_name != "lint"]
    assert compiler == [], _fmt(compiler)
    assert result.exit_code == 0


def test_bundle_holds_every_node_kind(bundle_docs):
    """The fixture itself: regenerating it must not lose a node kind (the tests below rely on
    them)."""
    assert len(bundle_docs) == 25
    kinds = {name[-1] for name in bundle_docs}
    assert kinds == {"1", "2", "3"}
    tpl = bundle_docs[MAIN_DOC]["template"]
    by_id = {n["id"]: n for n in tpl["nodes"]}
    assert by_id["numbers"]["taskNode"]["overrides"]["resources"]["limits"]
    assert by_id["echo"]["outputAliases"] == [{"var": "o0", "alias": "echoed"}]
    assert by_id["n2"]["arrayNode"]["minSuccessRatio"] == 0.5
    assert by_id["n4"]["workflowNode"]["subWorkflowRef"]["name"] == "workflows.stats_wf"
    assert by_id["n5"]["inputs"][0]["binding"]["promise"]["attrPath"] == [{"stringValue": "label"}]
    assert by_id["n6"]["workflowNode"]["launchplanRef"]["name"] == "scaled_lp"
    assert "conjunction" in by_id["n7"]["branchNode"]["ifElse"]["case"]["condition"]
    assert set(by_id["n8"]["gateNode"]) == {"signal"}
    assert set(by_id["n9"]["gateNode"]) == {"sleep"}
    assert set(by_id["n11"]["gateNode"]) == {"approve"}
    assert tpl["failureNode"]["id"] == "fn0"
    subs = bundle_docs[MAIN_DOC]["subWorkflows"]
    assert [s["id"]["name"] for s in subs] == ["workflows.stats_wf"]
    lp = bundle_docs["24_every_node_kind_nightly_3"]["spec"]
    assert lp["entityMetadata"]["schedule"]["cronSchedule"]["schedule"] == "0 3 * * *"
    assert lp["entityMetadata"]["schedule"]["kickoffTimeInputArg"] == "kickoff"
    assert set(lp["fixedInputs"]["literals"]) == {"color", "loud"}
    assert {"email", "slack"} <= {k for n in lp["entityMetadata"]["notifications"] for k in n}


def test_closures_of_every_workflow(closures):
    assert sorted(closures) == ["workflows.every_node_kind", "workflows.scaled_wf",
                                "workflows.stats_wf"]


def test_closure_tasks_follow_flyte_requirements(main):
    # tasks of the primary, of its branch children, of the sub-workflow (summarize) and of the
    # failure node (cleanup); not those of the launch plan's workflow (square), which is a
    # reference resolved at run time
    names = [t["template"]["id"]["name"] for t in main["tasks"]]
    assert names == sorted(names)
    assert "workflows.summarize" in names and "workflows.cleanup" in names
    assert "workflows.square" not in names
    assert "workflows.map_square_cfcdab58c36167a169183ce07b595544-arraynode" in names


# ---- connections, one node kind at a time ----------------------------------------------------

def test_template_nodes_in_order(nodes):
    assert list(nodes) == ["start-node", "end-node", "numbers", "echo", "n2", "n3", "n4", "n5",
                           "n6", "n7", "n8", "n9", "checked", "n11", "n12", "n13", "n14", "n15",
                           "n16", "n17", "n18"]


def test_task_node_with_overrides(up, down, nodes):
    assert up["numbers"] == ["start-node"]
    assert down["numbers"] == ["n12", "n15", "n2", "n4"]
    overrides = nodes["numbers"]["taskNode"]["overrides"]
    assert overrides["resources"]["limits"] == [{"name": "CPU", "value": "2"},
                                                {"name": "MEMORY", "value": "1Gi"}]
    assert nodes["numbers"]["metadata"]["retries"] == {"retries": 2}
    assert nodes["numbers"]["metadata"]["timeout"] == "300s"


def test_task_node_with_output_alias(up, down, nodes):
    assert up["echo"] == ["start-node"]
    assert down["echo"] == ["end-node"]
    assert nodes["echo"]["outputAliases"] == [{"var": "o0", "alias": "echoed"}]


def test_array_node(up, down, nodes):
    assert up["n2"] == ["numbers"]
    assert down["n2"] == ["n3"]
    assert up["n3"] == ["n2"]
    array = nodes["n2"]["arrayNode"]
    assert array["parallelism"] == 2 and array["minSuccessRatio"] == 0.5
    # the sub-node is no node of the workflow: it has no connections of its own
    assert array["node"]["id"] not in up and array["node"]["id"] not in down


def test_sub_workflow_node(main, up, down, nodes):
    assert up["n4"] == ["numbers"]
    assert down["n4"] == ["n5"]
    assert up["n5"] == ["n4", "start-node"]
    assert nodes["n4"]["workflowNode"]["subWorkflowRef"]["name"] == "workflows.stats_wf"
    subs = {s["template"]["id"]["name"]: s for s in main["subWorkflows"]}
    assert list(subs) == ["workflows.stats_wf"]
    sub = subs["workflows.stats_wf"]
    assert [n["id"] for n in sub["template"]["nodes"]] == ["start-node", "end-node", "n0"]
    assert sub["connections"] == {
        "downstream": {"n0": {"ids": ["end-node"]}, "start-node": {"ids": ["n0"]}},
        "upstream": {"end-node": {"ids": ["n0"]}, "n0": {"ids": ["start-node"]}},
    }


def test_launch_plan_node(up, down, nodes):
    assert up["n6"] == ["n3"]
    assert down["n3"] == ["n6"]
    assert down["n6"] == ["n7"]
    assert nodes["n6"]["workflowNode"]["launchplanRef"] == {"resourceType": "LAUNCH_PLAN",
                                                            "name": "scaled_lp"}


def test_branch_node(up, down, nodes):
    # the branch reads n6's output and the workflow input n (in its conditions)
    assert up["n7"] == ["n6", "start-node"]
    assert down["n7"] == ["checked"]
    assert up["checked"] == ["n7"]
    # the children, renamed <branch>-<child> (recursively), have upstream entries only
    children = ["n7-n0", "n7-n0-n0", "n7-n0-n1", "n7-n1", "n7-n2"]
    for child in children:
        assert up[child] == ["n6"], child
        assert child not in down and child not in nodes, child
    assert not any(child in ids for ids in down.values() for child in children)
    ifelse = nodes["n7"]["branchNode"]["ifElse"]
    assert ifelse["case"]["thenNode"]["id"] == "n7-n0"
    assert [o["thenNode"]["id"] for o in ifelse["other"]] == ["n7-n1"]
    assert ifelse["elseNode"]["id"] == "n7-n2"
    inner = ifelse["case"]["thenNode"]["branchNode"]["ifElse"]
    assert inner["case"]["thenNode"]["id"] == "n7-n0-n0"
    assert [o["thenNode"]["id"] for o in inner["other"]] == ["n7-n0-n1"]
    assert inner["error"]["message"] == "between 100 and 1000 is not expected"
    assert "elseNode" not in inner


def test_gate_nodes(up, down, nodes):
    # signal: no inputs, so it starts from start-node; `title >> pause >> approved`
    assert up["n8"] == ["start-node"] and down["n8"] == ["n9"]
    assert nodes["n8"]["gateNode"]["signal"]["type"] == {"simple": "STRING"}
    assert up["n9"] == ["n8"] and down["n9"] == ["n11"]
    assert nodes["n9"]["gateNode"]["sleep"]["duration"] == "30s"
    # approve passes 'checked' through to the workflow output 'choice'
    assert up["n11"] == ["checked", "n9"] and down["n11"] == ["end-node"]
    assert down["checked"] == ["n11"]
    assert nodes["n11"]["gateNode"]["approve"]["signalId"] == "approve-choice"


def test_failure_node(main, up, down, nodes):
    assert main["primary"]["template"]["failureNode"]["id"] == "fn0"
    assert up["fn0"] == ["start-node"]
    # upstream only: never a downstream key or value, never among the template's nodes
    assert "fn0" not in down and not any("fn0" in ids for ids in down.values())
    assert "fn0" not in nodes


def test_start_and_end(up, down):
    assert down["start-node"] == ["echo", "n13", "n14", "n5", "n7", "n8", "numbers"]
    assert up["end-node"] == ["echo", "n11", "n13", "n14", "n18", "n5"]
    assert "start-node" not in up


def test_connections_whole(up, down):
    """Every edge at once, so that an extra one shows up too."""
    assert down == {
        "checked": ["n11"], "echo": ["end-node"], "n11": ["end-node"], "n12": ["n13"],
        "n13": ["end-node"], "n14": ["end-node"], "n15": ["n16"], "n16": ["n17"],
        "n17": ["n18"], "n18": ["end-node"], "n2": ["n3"], "n3": ["n6"], "n4": ["n5"],
        "n5": ["end-node"], "n6": ["n7"], "n7": ["checked"], "n8": ["n9"], "n9": ["n11"],
        "numbers": ["n12", "n15", "n2", "n4"],
        "start-node": ["echo", "n13", "n14", "n5", "n7", "n8", "numbers"],
    }
    assert up == {
        "checked": ["n7"], "echo": ["start-node"],
        "end-node": ["echo", "n11", "n13", "n14", "n18", "n5"], "fn0": ["start-node"],
        "n11": ["checked", "n9"], "n12": ["numbers"], "n13": ["n12", "start-node"],
        "n14": ["start-node"], "n15": ["numbers"], "n16": ["n15"], "n17": ["n16"],
        "n18": ["n17"], "n2": ["numbers"], "n3": ["n2"], "n4": ["numbers"],
        "n5": ["n4", "start-node"], "n6": ["n3"], "n7": ["n6", "start-node"],
        "n7-n0": ["n6"], "n7-n0-n0": ["n6"], "n7-n0-n1": ["n6"], "n7-n1": ["n6"],
        "n7-n2": ["n6"], "n8": ["start-node"], "n9": ["n8"], "numbers": ["start-node"],
    }


# ---- mutations of the YAML form --------------------------------------------------------------

def _main_node(docs: dict, node_id: str) -> dict:
    return next(n for n in docs[MAIN_DOC]["template"]["nodes"] if n["id"] == node_id)


def _changed_type(docs):
    # make_numbers(n: int) now takes a str: the workflow binds its int input n to it
    docs["00_workflows.make_numbers_1"]["template"]["interface"]["inputs"]["variables"]["n"][
        "type"] = {"simple": "STRING"}
    return MAIN_DOC, ("- id: numbers", "var: n")  # the promise of node numbers' input n


def _removed_binding(docs):
    node = _main_node(docs, "n5")
    node["inputs"] = [b for b in node["inputs"] if b["var"] != "loud"]
    return MAIN_DOC, ("- id: n5",)


def _renamed_output(docs):
    # describe's output o0 is now 'text'; the workflow output 'summary' still reads n5.o0
    outputs = docs["04_workflows.describe_1"]["template"]["interface"]["outputs"]["variables"]
    outputs["text"] = outputs.pop("o0")
    return MAIN_DOC, ("nodeId: n5", "var: o0")


def _cycle(docs):
    # numbers -> n2 -> n3 -> numbers
    _main_node(docs, "numbers")["upstreamNodeIds"] = ["n3"]
    return MAIN_DOC, ("- id: numbers", "upstreamNodeIds:", "- n3")


def _missing_task(docs):
    del docs["05_workflows.weigh_1"]  # used once, by node n12
    return MAIN_DOC, ("- id: n12", "name: workflows.weigh")


def _branch_without_else(docs):
    del _main_node(docs, "n7")["branchNode"]["ifElse"]["elseNode"]
    return MAIN_DOC, ("- branchNode:", "ifElse:")


def _launch_plan_input_not_in_workflow(docs):
    params = docs["24_every_node_kind_nightly_3"]["spec"]["defaultInputs"]["parameters"]
    params["attempts"] = {"var": {"type": {"simple": "INTEGER"}},
                          "default": {"scalar": {"primitive": {"integer": "3"}}}}
    return "24_every_node_kind_nightly_3", ("attempts:",)


# (id, mutation, specc code, flyte_code)
MUTATIONS = [
    ("changed-type", _changed_type, "SPC401", "MismatchingTypes"),
    ("removed-binding", _removed_binding, "SPC403", "ParameterNotBound"),
    ("renamed-output", _renamed_output, "SPC209", "VariableNameNotFound"),
    ("extra-edge-cycle", _cycle, "SPC301", "CycleDetected"),
    ("missing-task", _missing_task, "SPC201", "TaskReferenceNotFound"),
    ("branch-without-else", _branch_without_else, "SPC418", "BranchNodeHasNoDefault"),
    ("launch-plan-input-not-in-workflow", _launch_plan_input_not_in_workflow, "SPC530", None),
]

# Where specc's line is not the line of the mutated element (see the reasons).


def _mutate_and_compile(bundle_docs, tmp_path: Path, mutation):
    docs = copy.deepcopy(bundle_docs)
    target, needles = mutation(docs)
    texts = {}
    for name, doc in docs.items():
        texts[name] = _yaml_text(doc)
        (tmp_path / f"{name}.yaml").write_text(texts[name], encoding="utf-8")
    result = _compile(tmp_path, use_config=False)
    return result, target, _line_of(texts[target], *needles)


def test_yaml_form_compiles_clean(bundle_docs, tmp_path):
    """The unmutated YAML form is as clean as the bundle, so each mutation below is the only
    cause of its diagnostic."""
    result, _, _ = _mutate_and_compile(bundle_docs, tmp_path, lambda docs: (MAIN_DOC, ("nodes:",)))
    assert result.files == 25
    compiler = [d for d in result.diagnostics if d.pass_name != "lint"]  # lint: test_lint.py
    assert compiler == [], _fmt(compiler)
    assert len(result.closures) == 3


@pytest.mark.parametrize("mutation,code,flyte_code",
                         [pytest.param(m, c, f, id=i) for i, m, c, f in MUTATIONS])
def test_mutation_code(bundle_docs, tmp_path, mutation, code, flyte_code):
    result, target, _ = _mutate_and_compile(bundle_docs, tmp_path, mutation)
    errors = [d for d in result.diagnostics if d.severity == "error"]
    assert [d.code for d in errors] == [code], _fmt(result.diagnostics)
    (d,) = errors
    assert d.flyte_code == flyte_code
    assert Path(d.file).name == f"{target}.yaml"
    assert d.span is not None


@pytest.mark.parametrize("mutation,code", [
    pytest.param(m, c, id=i) for i, m, c, _ in MUTATIONS])
def test_mutation_line(bundle_docs, tmp_path, mutation, code):
    result, target, line = _mutate_and_compile(bundle_docs, tmp_path, mutation)
    (d,) = [d for d in result.diagnostics if d.code == code]
    assert Path(d.file).name == f"{target}.yaml"
    assert d.span.line == line, (
        f"{code} at line {d.span.line}, the mutated element is at line {line}:\n"
        + "\n".join(f"{i:4} | {s}" for i, s in enumerate(
            (tmp_path / f"{target}.yaml").read_text().splitlines(), 1)
            if abs(i - line) <= 3 or i == d.span.line))


def test_cycle_message_names_the_whole_path(bundle_docs, tmp_path):
    result, _, _ = _mutate_and_compile(bundle_docs, tmp_path, _cycle)
    (d,) = [d for d in result.diagnostics if d.code == "SPC301"]
    assert "numbers -> n2 -> n3 -> numbers" in d.message
