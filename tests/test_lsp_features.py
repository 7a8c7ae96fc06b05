"""The language server's editing features: completion, document symbols, hover and definition on
the dialect's references, and a workflow kept in both forms in one workspace.

Driven as a real client would (``tests.test_lsp.Client``: ``specc lsp`` over stdio), and the
pieces on their own: the tolerant reading of a document being typed (``specc.lsp.outline``),
completions at given places, and a sweep that types every example file character by character
and asks for completions all along (nothing may raise).
"""
from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("pygls")

from specc.lsp.analysis import Snapshot
from specc.lsp.complete import TYPES, completions
from specc.lsp.outline import cursor
from specc.lsp.positions import UTF16
from specc.lsp.symbols import document_symbols
from tests.test_lsp import TIMEOUT, Client

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
CARET = "‸"  # where the cursor is, in the texts below


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """The README's setup: one workflow in both forms (examples/dialect/quickstart.yaml is
    examples/flyteidl/), and the training pipeline in the dialect."""
    shutil.copytree(EXAMPLES / "flyteidl", tmp_path / "flyteidl")
    (tmp_path / "dialect").mkdir()
    for name in ("quickstart.yaml", "training.yaml"):
        shutil.copy(EXAMPLES / "dialect" / name, tmp_path / "dialect" / name)
    return tmp_path.resolve()


@pytest.fixture
def snap(workspace: Path) -> Snapshot:
    files = sorted(workspace.rglob("*.yaml"))
    return Snapshot(files, {}, reported=set(files))


def _at(text: str) -> tuple[str, int, int]:
    """The text without its caret, and the caret's LSP line and character (UTF-16)."""
    off = text.index(CARET)
    plain = text.replace(CARET, "", 1)
    line = plain.count("\n", 0, off)
    start = plain.rfind("\n", 0, off) + 1
    return plain, line, len(plain[start:off].encode("utf-16-le")) // 2


def _complete(snap: Snapshot | None, path: Path, text: str, form: str = "yaml") -> list[dict]:
    plain, line, character = _at(text)
    return completions(snap, path, plain, line, character, UTF16, form)


def _labels(items: list[dict]) -> list[str]:
    return [i["label"] for i in items]


def _apply(text: str, item: dict) -> str:
    """The text (caret included) after the client applies the item's edit."""
    plain, _, _ = _at(text)
    lines = plain.split("\n")
    rng = item["textEdit"]["range"]

    def offset(pos: dict) -> int:
        return sum(len(x) + 1 for x in lines[:pos["line"]]) + pos["character"]

    a, b = offset(rng["start"]), offset(rng["end"])
    return plain[:a] + item["textEdit"]["newText"] + plain[b:]


def _item(items: list[dict], label: str) -> dict:
    got = [i for i in items if i["label"] == label]
    assert got, f"no {label!r} in {_labels(items)}"
    return got[0]


def _replace(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


# ------------------------------------------------------------------------------------------------
# reading a document being typed
# ------------------------------------------------------------------------------------------------

DIALECT = """\
apiVersion: specc/v1
kind: Workflow
name: wf
nodes:
  prepare:
    task: example.prepare
    inputs:
      rows: ${inputs.rows}
  train:
    task: example.tr‸
    inputs:
      table: ${prepare.table}
"""

FLYTE = """\
template:
  id: {resourceType: WORKFLOW, name: shop.wf, version: v1}
  nodes:
    - id: prepare
      taskNode:
        referenceId: {resourceType: TASK, name: ‸
      inputs:
        - var: rows
          binding: {promise: {var: rows}}
    - id: train
      inputs:
      - var: x
"""
FLYTE_DONE = FLYTE.replace("name: ‸", "name: t}")


@pytest.mark.parametrize("text, path, role, typed", [
    (DIALECT, ("nodes", "train", "task"), "value", "example.tr"),
    (_replace(DIALECT, "example.tr‸", "example.train\n    ta‸"), ("nodes", "train"), "key", "ta"),
    (_replace(DIALECT, "example.tr‸", "x\n    inputs:\n      ‸"), ("nodes", "train", "inputs"),
     "key", ""),
    (_replace(DIALECT, "example.tr‸", "x\n  ‸"), ("nodes",), "key", ""),
    (_replace(DIALECT, "example.tr‸", "x\n‸"), (), "key", ""),
    (_replace(DIALECT, "example.tr‸", "x\n    after: [prepare, ‸]"),
     ("nodes", "train", "after", 1), "item", ""),
    (_replace(DIALECT, "example.tr‸", "x\n    inputs: {a: 1, b: ${pre‸"),
     ("nodes", "train", "inputs", "b"), "value", "${pre"),
    (_replace(DIALECT, "${prepare.table}", "'${prepare.‸'").replace("example.tr‸", "x"),
     ("nodes", "train", "inputs", "table"), "value", "${prepare."),
    (FLYTE, ("template", "nodes", 0, "taskNode", "referenceId", "name"), "value", ""),
    (FLYTE_DONE + "      - var: ‸\n", ("template", "nodes", 1, "inputs", 1, "var"), "value", ""),
    (FLYTE_DONE + "    - i‸\n", ("template", "nodes", 2), "item", "i"),
    (FLYTE_DONE + "  ‸\n", ("template",), "key", ""),
    (_replace(FLYTE_DONE, "{promise: {var: rows}}", "{promise: {nodeId: prepare, var: ‸"),
     ("template", "nodes", 0, "inputs", 0, "binding", "promise", "var"), "value", ""),
    ("a: 1\n---\nb:\n  - c: 1\n    d: ‸\n", ("b", 0, "d"), "value", ""),
    ("c: {image: ghcr.io/shop/spark:‸", ("c", "image"), "value", "ghcr.io/shop/spark:"),
], ids=["dialect-value", "partial-key", "blank-in-mapping", "blank-node", "blank-root",
        "flow-list-item", "flow-unquoted-ref", "quoted-ref", "flow-in-flyte", "compact-list",
        "new-item", "template-key", "unclosed-flow", "second-document",
        "colon-typed-in-a-flow-value"])
def test_cursor_reads_the_place(text: str, path: tuple, role: str, typed: str) -> None:
    plain, _, _ = _at(text)
    cur = cursor(plain, text.index(CARET))
    assert cur is not None
    assert (cur.path, cur.role, cur.typed) == (path, role, typed)


def test_cursor_data_survives_a_broken_line() -> None:
    """The line being typed (and a broken line elsewhere) do not hide the rest of the
    document; what a flow collection held before the cursor is kept."""
    text = _replace(FLYTE_DONE, "{promise: {var: rows}}", "{promise: {nodeId: prepare, var: ‸")
    text += "  bad: [\n"
    plain, _, _ = _at(text)
    cur = cursor(plain, text.index(CARET))
    assert cur is not None and isinstance(cur.data, dict)
    nodes = cur.data["template"]["nodes"]
    assert [n["id"] for n in nodes] == ["prepare", "train"]
    assert nodes[0]["inputs"][0]["binding"]["promise"]["nodeId"] == "prepare"


def test_nowhere_to_complete() -> None:
    for text in ("a: 1  # a comm‸ent\n", "command: |\n  run it ‸\n"):
        plain, _, _ = _at(text)
        assert cursor(plain, text.index(CARET)) is None, text


def test_json_cursor() -> None:
    text = '{\n  "template": {\n    "id": {"resourceType": "TA‸'
    plain, _, _ = _at(text)
    cur = cursor(plain, text.index(CARET), "json")
    assert cur is not None
    assert (cur.path, cur.role, cur.typed, cur.quote) == (
        ("template", "id", "resourceType"), "value", "TA", '"')


# ------------------------------------------------------------------------------------------------
# completions at given places (from the last compile; no server)
# ------------------------------------------------------------------------------------------------

def test_dialect_completions(snap: Snapshot, workspace: Path) -> None:
    path = workspace / "dialect" / "quickstart.yaml"
    q = path.read_text(encoding="utf-8")

    # a node's task: the workspace's tasks, as the dialect references them
    text = _replace(q, "    task: example.train\n", "    task: ex‸\n")
    items = _complete(snap, path, text)
    assert {"example.prepare", "example.train", "training.train@3.2"} <= set(_labels(items))
    assert _item(items, "example.train")["detail"] == "task example.train@v1"
    assert "epochs: int" in _item(items, "example.train")["documentation"]["value"]
    assert "task: example.train\n" in _apply(text, _item(items, "example.train"))
    # right after the colon: a space first
    text = _replace(q, "    task: example.train\n", "    task:‸\n")
    assert "    task: example.train\n" in _apply(text, _item(_complete(snap, path, text),
                                                          "example.train"))

    # a reference written as a mapping
    text = _replace(q, "    task: example.train\n", "    task: {name: ex‸}\n")
    assert {"example.prepare", "example.train"} <= set(_labels(_complete(snap, path, text)))

    # ${: node ids and inputs; ${node.: its outputs with types; ${inputs.: the inputs
    text = _replace(q, "      table: ${prepare.table}", "      table: ${‸")
    assert set(_labels(_complete(snap, path, text))) == {"inputs", "prepare"}
    text = _replace(q, "      table: ${prepare.table}", "      table: ${prepare.‸")
    (out,) = _complete(snap, path, text)
    assert out["label"] == "table" and out["detail"] == "output of prepare: dataset[parquet]"
    assert "table: ${prepare.table}\n" in _apply(text, out)
    text = _replace(q, "      table: ${prepare.table}", "      table: ${inputs.r‸}")
    (inp,) = _complete(snap, path, text)
    assert inp["label"] == "rows" and "int" in inp["detail"]
    assert "table: ${inputs.rows}\n" in _apply(text, inp)  # the brace is there already

    # an empty value: whole references, the one whose type fits first
    text = _replace(q, "      table: ${prepare.table}", "      table: ‸")
    items = sorted(_complete(snap, path, text), key=lambda i: i.get("sortText", ""))
    assert _labels(items) == ["${prepare.table}", "${inputs.rows}"]

    # a node's inputs: the task's inputs not bound yet
    text = _replace(q, "      epochs: 10", "      ‸")
    (key,) = _complete(snap, path, text)
    assert key["label"] == "epochs" and key["textEdit"]["newText"] == "epochs: "

    # a node's keys: from the dialect's schema, those given left out, with descriptions
    text = _replace(q, "    task: example.train\n", "    task: example.train\n    ‸\n")
    items = _complete(snap, path, text)
    assert {"retries", "after", "timeout", "aliases"} <= set(_labels(items))
    assert "task" not in _labels(items) and "inputs" not in _labels(items)
    assert _item(items, "retries")["documentation"]["value"].startswith("How many times")

    # types, also inside one being typed
    text = _replace(q, "  epochs: int\n", "  epochs: ‸\n")
    assert {"int", "list[T]", "dict[str, T]", "enum[a, b]", "dataset[format]"} <= set(
        _labels(_complete(snap, path, text)))
    text = _replace(q, "  epochs: int\n", "  epochs: dict[‸\n")
    assert _labels(_complete(snap, path, text)) == ["str"]
    text = _replace(q, "  epochs: int\n", "  epochs: dict[str, li‸\n")
    got = _item(_complete(snap, path, text), "list[T]")
    assert "  epochs: dict[str, list[\n" in _apply(text, got)

    # kinds; a launch plan's workflow and its inputs
    text = _replace(q, "kind: Workflow\n", "kind: ‸\n")
    assert _labels(_complete(snap, path, text)) == ["Task", "Workflow", "LaunchPlan"]
    text = _replace(q, "workflow: example.pipeline", "workflow: ‸")
    assert set(_labels(_complete(snap, path, text))) >= {"example.pipeline",
                                                          "training.pipeline@3.2"}
    text = _replace(q, "  rows: {type: int, default: 1000}", "  ‸")
    assert _labels(_complete(snap, path, text)) == ["rows"]


def test_dialect_completions_in_a_branch_and_after(snap: Snapshot, workspace: Path) -> None:
    path = workspace / "dialect" / "training.yaml"
    t = path.read_text(encoding="utf-8")
    text = _replace(t, "      - when: ${evaluate.accuracy} >= ${inputs.threshold}",
                    "      - when: ${evaluate.accuracy} >= ${inputs.th‸")
    items = _complete(snap, path, text)  # the client filters by what the range holds: 'th'
    assert set(_labels(items)) == {"source", "as_of", "epochs", "threshold", "stage"}
    assert ">= ${inputs.threshold}\n" in _apply(text, _item(items, "threshold"))
    text = _replace(t, "            model: ${train.model}\n            stage",
                    "            model: ${train.‸}\n            stage")
    assert set(_labels(_complete(snap, path, text))) == {"model", "loss"}
    text = _replace(t, "      learning_rate: 0.001", "      learning_rate: 0.001\n    after: [‸]")
    assert set(_labels(_complete(snap, path, text))) == {"load", "evaluate", "release"}
    # a node's input keys of a branch's then-node: its task's
    text = _replace(t, "            stage: ${inputs.stage}", "            ‸")
    assert _labels(_complete(snap, path, text)) == ["stage"]


def test_names_typed_since_the_compile(workspace: Path, snap: Snapshot) -> None:
    """A task added to the buffer after the last compile is offered, with its interface."""
    path = workspace / "dialect" / "quickstart.yaml"
    q = path.read_text(encoding="utf-8")
    new_task = ("apiVersion: specc/v1\nkind: Task\nname: example.score\nversion: v1\n"
                "image: x\ninputs:\n  model: file\noutputs:\n  score: float\n---\n")
    text = new_task + _replace(q, "    task: example.train\n", "    task: example.s‸\n")
    item = _item(_complete(snap, path, text), "example.score")
    assert "score: float" in item["documentation"]["value"]
    text = new_task + _replace(q, "    task: example.train\n    inputs:\n      table: "
                                  "${prepare.table}\n      epochs: 10",
                               "    task: example.score\n    inputs:\n      ‸")
    assert _labels(_complete(snap, path, text)) == ["model"]


def test_flyte_form_completions(snap: Snapshot, workspace: Path) -> None:
    path = workspace / "flyteidl" / "pipeline.yaml"
    p = path.read_text(encoding="utf-8")
    ref = "referenceId: {resourceType: TASK, name: example.train, version: v1}"
    # a task node's reference: task names; its version: that task's versions
    text = _replace(p, ref, "referenceId: {resourceType: TASK, name: ‸")
    assert {"example.prepare", "example.train", "training.train"} <= set(
        _labels(_complete(snap, path, text)))
    text = _replace(p, ref, "referenceId: {resourceType: TASK, name: example.train, version: ‸")
    assert _labels(_complete(snap, path, text)) == ["v1"]
    # every enum: resourceType, simple
    text = _replace(p, ref, "referenceId: {resourceType: ‸")
    assert _labels(_complete(snap, path, text)) == [
        "UNSPECIFIED", "TASK", "WORKFLOW", "LAUNCH_PLAN", "DATASET"]
    text = _replace(p, "rows: {type: {simple: INTEGER}}", "rows: {type: {simple: ‸}}")
    assert {"INTEGER", "FLOAT", "STRING", "STRUCT"} <= set(_labels(_complete(snap, path, text)))
    # a binding's var: the task's inputs not bound yet; a promise: node ids, their outputs
    text = _replace(p, "        - var: epochs\n", "        - var: ‸\n")
    assert _labels(_complete(snap, path, text)) == ["epochs"]
    text = _replace(p, "{promise: {nodeId: prepare, var: table}}", "{promise: {nodeId: ‸}}")
    assert _labels(_complete(snap, path, text)) == ["prepare"]
    text = _replace(p, "{promise: {nodeId: prepare, var: table}}",
                    "{promise: {nodeId: prepare, var: ‸")
    assert _labels(_complete(snap, path, text)) == ["table"]
    # field names, camelCase, those given and the other members of a given oneof left out
    text = _replace(p, "      taskNode:\n        referenceId: {resourceType: TASK, name: "
                       "example.train", "      ‸\n      taskNode:\n        referenceId: "
                                        "{resourceType: TASK, name: example.train")
    assert set(_labels(_complete(snap, path, text))) == {"metadata", "upstreamNodeIds",
                                                         "outputAliases"}
    # a launch plan's workflow
    text = _replace(p, "  workflowId: {resourceType: WORKFLOW, name: example.pipeline",
                    "  workflowId: {resourceType: WORKFLOW, name: ‸")
    assert {"example.pipeline", "training.pipeline"} <= set(_labels(_complete(snap, path, text)))
    # a new document: what a spec of any kind starts with
    items = _complete(snap, path, "‸")
    assert {"template", "spec", "id", "subWorkflows"} <= set(_labels(items))
    assert _item(items, "template")["textEdit"]["newText"] == "template:"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "utf-32"])
def test_completion_ranges_in_the_negotiated_encoding(snap: Snapshot, workspace: Path,
                                                      encoding: str) -> None:
    """Wide characters before the cursor (and a byte-order mark): the range is counted in the
    client's units, and replaces exactly what was typed."""
    path = workspace / "dialect" / "quickstart.yaml"
    q = "\ufeff" + path.read_text(encoding="utf-8")
    text = _replace(q, "      table: ${prepare.table}", '      table: "Σ😀 ${prepare.ta')
    line = text.count("\n", 0, text.index("Σ😀"))
    before = text.split("\n")[line]
    units = {"utf-8": lambda s: len(s.encode("utf-8")),
             "utf-16": lambda s: len(s.encode("utf-16-le")) // 2,
             "utf-32": len}[encoding]
    (item,) = completions(snap, path, text, line, units(before), encoding)
    rng = item["textEdit"]["range"]
    assert rng["start"] == {"line": line, "character": units(before[:-2])}
    assert rng["end"] == {"line": line, "character": units(before)}
    assert item["textEdit"]["newText"] == "table}"


def test_json_completions(snap: Snapshot, workspace: Path) -> None:
    path = workspace / "t.json"
    items = _complete(snap, path, '{"template": {"id": {"resourceType": "TA‸"}}}', "json")
    item = _item(items, "TASK")
    assert _apply('{"template": {"id": {"resourceType": "TA‸"}}}', item) == \
        '{"template": {"id": {"resourceType": "TASK"}}}'
    items = _complete(snap, path, '{"template": {"‸', "json")
    assert _apply('{"template": {"‸', _item(items, "interface")) == \
        '{"template": {"interface": '


def test_every_type_offered_is_a_type() -> None:
    """The type expressions completion offers (placeholders filled) are what the dialect reads."""
    from specc.dialect.lower import lower

    for label, _, snippet, _ in TYPES:
        filled = re.sub(r"\$\{\d+:([^}]*)\}", r"\1", snippet)
        doc = {"apiVersion": "specc/v1", "kind": "Task", "name": "t", "image": "x",
               "inputs": {"v": filled}}
        got = lower(doc)
        assert not got.issues, (label, filled, got.issues)


@pytest.mark.parametrize("name", ["dialect/quickstart.yaml", "dialect/training.yaml",
                                  "dialect/files.yaml", "flyteidl/pipeline.yaml",
                                  "flyteidl/tasks.yaml"])
def test_typing_a_whole_file_never_fails(snap: Snapshot, workspace: Path, name: str) -> None:
    """The file typed from scratch: completion at the end of every prefix (every line, and
    every fifth character inside one), and at every line of the whole file with that line cut
    at its middle. Every answer is a list of well-formed items."""
    text = (EXAMPLES / name).read_text(encoding="utf-8")
    path = workspace / "typed.yaml"
    cuts: set[int] = set()
    at = 0
    for ln in text.split("\n"):
        cuts.update(range(at, at + len(ln) + 1, 5))
        cuts.add(at + len(ln))
        at += len(ln) + 1
    for cut in sorted(c for c in cuts if c <= len(text)):
        _check(completions(snap, path, text[:cut], text[:cut].count("\n"),
                           cut - (text.rfind("\n", 0, cut) + 1)))
    lines = text.split("\n")
    for i, ln in enumerate(lines):
        half = ln[: len(ln) // 2]
        broken = "\n".join([*lines[:i], half, *lines[i + 1:]])
        _check(completions(snap, path, broken, i, len(half)))


@pytest.mark.parametrize("every, triggers", [
    pytest.param(3, "$:{[", id="every-third-file"),
    pytest.param(1, "$:{[.,\n", id="all", marks=pytest.mark.slow),
])
def test_completing_after_triggers_in_the_fixtures(snap: Snapshot, workspace: Path, every: int,
                                                   triggers: str) -> None:
    """The project's spec fixtures (valid ones, broken ones, JSON) typed up to each place a
    completion is asked for most (after a trigger character; with the slow run, also at the end
    of every line): no answer fails or hangs (an alarm turns a hang into a failure)."""
    from specc.frontends import form_of

    files = [f for f in sorted((REPO / "fixtures").rglob("*")) if f.is_file()
             and form_of(f) in ("yaml", "json")][::every]
    assert len(files) > 50
    signal = pytest.importorskip("signal")
    if not hasattr(signal, "setitimer"):
        pytest.skip("no interval timer here")

    def hang(*_: object) -> None:
        raise TimeoutError("a completion took more than 2 s")

    previous = signal.signal(signal.SIGALRM, hang)
    try:
        for f in files:
            text = f.read_bytes().decode("utf-8", "replace")
            form = form_of(f) or "yaml"
            for cut in (i + 1 for i, c in enumerate(text) if c in triggers):
                typed = text[:cut]
                signal.setitimer(signal.ITIMER_REAL, 2.0)
                try:
                    _check(completions(snap, workspace / f"typed.{form}", typed,
                                       typed.count("\n"), cut - (typed.rfind("\n") + 1),
                                       "utf-32", form))
                finally:
                    signal.setitimer(signal.ITIMER_REAL, 0)
    finally:
        signal.signal(signal.SIGALRM, previous)


def _check(items: list[dict]) -> None:
    for it in items:
        assert isinstance(it["label"], str) and it["label"]
        rng = it["textEdit"]["range"]
        assert (rng["start"]["line"], rng["start"]["character"]) <= (
            rng["end"]["line"], rng["end"]["character"])


# ------------------------------------------------------------------------------------------------
# hover and definition: the dialect's references, both forms of one workflow
# ------------------------------------------------------------------------------------------------

def _pos(text: str, needle: str, shift: int = 0, nth: int = 0) -> tuple[int, int]:
    idx = -1
    for _ in range(nth + 1):
        idx = text.index(needle, idx + 1)
    idx += shift
    return text.count("\n", 0, idx), idx - (text.rfind("\n", 0, idx) + 1)


def _hover(snap: Snapshot, path: Path, at: tuple[int, int]) -> str:
    h = snap.hover(path, *at)
    assert h is not None, at
    return str(h["contents"]["value"])


def _line_of(loc: dict) -> str:
    path = Path(loc["uri"].removeprefix("file://"))
    return path.read_text(encoding="utf-8").split("\n")[loc["range"]["start"]["line"]]


def test_dialect_reference_hover_and_definition(snap: Snapshot, workspace: Path) -> None:
    path = workspace / "dialect" / "training.yaml"
    t = path.read_text(encoding="utf-8")
    # on the node: the node, its interface; definition: the node's key
    at = _pos(t, "model: ${train.model}", 10)
    h = snap.hover(path, *at)
    assert h is not None
    assert h["contents"]["value"].startswith("```text\nnode train: task training.train@3.2")
    assert h["range"]["start"]["character"] == at[1] - 1  # 'train' in the reference
    (d,) = snap.definition(path, *at)
    assert _line_of(d) == "  train:" and d["range"]["start"]["character"] == 2
    # on the output: its type; definition: the task's output
    at = _pos(t, "model: ${train.model}", 16)
    assert _hover(snap, path, at) == \
        "output `train.model` of task `training.train@3.2`: `file[onnx]`"
    (d,) = snap.definition(path, *at)
    assert _line_of(d) == "  model: file[onnx]"
    # a workflow input, in a condition
    at = _pos(t, "${inputs.threshold}", 10)
    assert _hover(snap, path, at) == "workflow input `threshold`: `float`"
    (d,) = snap.definition(path, *at)
    assert _line_of(d).startswith("  threshold: {type: float")
    # 'inputs' itself: the workflow's inputs
    at = _pos(t, "${inputs.threshold}", 4)
    assert "threshold: float" in _hover(snap, path, at)
    # a task reference and a launch plan's workflow
    at = _pos(t, "task: training.deploy", 9)
    assert "task training.deploy@3.2" in _hover(snap, path, at)
    (d,) = snap.definition(path, *at)
    assert _line_of(d) == "name: training.deploy"
    at = _pos(t, "workflow: training.pipeline", 12)
    (d,) = snap.definition(path, *at)
    assert _line_of(d) == "name: training.pipeline"


def test_both_forms_of_one_workflow(snap: Snapshot, workspace: Path) -> None:
    """Hover and definition work in either copy; a definition is the copy in the same file,
    else in the same form, else the first."""
    pipeline = workspace / "flyteidl" / "pipeline.yaml"
    p = pipeline.read_text(encoding="utf-8")
    at = _pos(p, "nodeId: prepare, var: table", 10)
    assert "dataset[parquet]" in _hover(snap, pipeline, at)
    (d,) = snap.definition(pipeline, *at)  # the node, in this file
    assert d["uri"] == pipeline.as_uri() and _line_of(d) == "    - id: prepare"
    at = _pos(p, "name: example.train", 8)
    assert "task example.train@v1" in _hover(snap, pipeline, at)
    (d,) = snap.definition(pipeline, *at)  # the task in Flyte's form, not the dialect's
    assert d["uri"] == (workspace / "flyteidl" / "tasks.yaml").as_uri()
    at = _pos(p, "- var: table", 8)
    (d,) = snap.definition(pipeline, *at)
    assert d["uri"] == (workspace / "flyteidl" / "tasks.yaml").as_uri()
    assert _line_of(d).strip().startswith("table:")

    quick = workspace / "dialect" / "quickstart.yaml"
    q = quick.read_text(encoding="utf-8")
    at = _pos(q, "task: example.train", 9)
    (d,) = snap.definition(quick, *at)  # the dialect's own copy, in this file
    assert d["uri"] == quick.as_uri() and _line_of(d) == "name: example.train"
    at = _pos(q, "workflow: example.pipeline", 12)
    (d,) = snap.definition(quick, *at)
    assert d["uri"] == quick.as_uri() and _line_of(d) == "name: example.pipeline"
    at = _pos(q, "${prepare.table}", 12)
    assert "dataset[parquet]" in _hover(snap, quick, at)


def test_document_symbols(snap: Snapshot, workspace: Path) -> None:
    path = workspace / "dialect" / "training.yaml"
    syms = document_symbols(snap, path, UTF16)
    assert [s["name"] for s in syms] == [
        "training.load_data", "training.train", "training.evaluate", "training.deploy",
        "training.archive", "training.pipeline", "training.nightly"]
    wf = syms[5]
    assert (wf["kind"], wf["detail"]) == (5, "workflow, version 3.2")
    assert [n["name"] for n in wf["children"]] == ["load", "train", "evaluate", "release"]
    release = wf["children"][3]
    assert release["detail"] == "branch node"
    assert [(c["name"], c["detail"]) for c in release["children"]] == [
        ("n0", "task training.deploy@3.2"), ("n1", "task training.archive@3.2")]

    def check(sym: dict) -> None:
        r, s = sym["range"], sym["selectionRange"]
        key = lambda p: (p["line"], p["character"])  # noqa: E731
        assert key(r["start"]) <= key(s["start"]) <= key(s["end"]) <= key(r["end"]), sym
        for c in sym.get("children", []):
            assert key(r["start"]) <= key(c["range"]["start"])
            assert key(c["range"]["end"]) <= key(r["end"])
            check(c)

    for s in syms:
        check(s)
    text = path.read_text(encoding="utf-8").split("\n")
    train = wf["children"][1]["selectionRange"]["start"]
    assert text[train["line"]][train["character"]:].startswith("train:")
    # Flyte's form: both copies of the example's workflow are outlined
    pipeline = workspace / "flyteidl" / "pipeline.yaml"
    syms = document_symbols(snap, pipeline, UTF16)
    assert [(s["name"], s["detail"]) for s in syms] == [
        ("example.pipeline", "workflow, version v1"), ("example.pipeline", "launch plan, "
                                                                           "version v1")]
    assert [n["name"] for n in syms[0]["children"]] == ["prepare", "train"]


# ------------------------------------------------------------------------------------------------
# over stdio, as an editor
# ------------------------------------------------------------------------------------------------

# a request each advertised capability answers; a capability the server starts advertising
# needs its probe here, so that nothing is advertised that does not answer
PROBES = {
    "hoverProvider": ("textDocument/hover", True),
    "definitionProvider": ("textDocument/definition", True),
    "completionProvider": ("textDocument/completion", True),
    "documentSymbolProvider": ("textDocument/documentSymbol", False),
    "codeActionProvider": ("textDocument/codeAction", None),
}


@pytest.fixture
def client(workspace: Path) -> Iterator[Client]:
    c = Client(workspace)
    try:
        yield c
    finally:
        c.dispose()


def _initialize(client: Client, workspace: Path, snippets: bool = False) -> dict:
    root = workspace.as_uri()
    caps = {"textDocument": {"completion": {"completionItem": {"snippetSupport": snippets}},
                             "documentSymbol": {"hierarchicalDocumentSymbolSupport": True}}}
    result = client.request("initialize", {
        "processId": os.getpid(), "rootUri": root, "capabilities": caps,
        "workspaceFolders": [{"uri": root, "name": "specs"}]})
    client.notify("initialized", {})
    return dict(result["capabilities"])


def _open(client: Client, path: Path, text: str | None = None, version: int = 1) -> str:
    uri = path.as_uri()
    client.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "yaml", "version": version,
        "text": path.read_text(encoding="utf-8") if text is None else text}})
    return uri


def test_capabilities_are_what_is_implemented(client: Client, workspace: Path) -> None:
    caps = _initialize(client, workspace)
    assert caps["completionProvider"]["triggerCharacters"] == ["$", "{", ".", ":", "["]
    assert not caps["completionProvider"].get("resolveProvider")
    assert caps["documentSymbolProvider"] is True
    path = workspace / "dialect" / "quickstart.yaml"
    uri = _open(client, path)
    client.diagnostics(uri)
    for name in caps:
        if not name.endswith("Provider") or name == "executeCommandProvider":
            continue
        assert name in PROBES, f"{name} is advertised: add a request that checks it answers"
        method, positioned = PROBES[name]
        params: dict = {"textDocument": {"uri": uri}}
        if positioned:
            params["position"] = {"line": 0, "character": 0}
        elif positioned is None:  # a range and a context (code actions)
            params["range"] = {"start": {"line": 0, "character": 0},
                               "end": {"line": 0, "character": 0}}
            params["context"] = {"diagnostics": []}
        client.request(method, params)  # an error answer fails here
    assert client.close() == 0


def test_editor_session(client: Client, workspace: Path) -> None:
    """Typing in the dialect: completions answer from the text being typed (broken YAML) and
    the last compile, without compiling for them; hover, definition and symbols work on
    references, and across the two forms of the example's workflow."""
    _initialize(client, workspace, snippets=True)
    quick = workspace / "dialect" / "quickstart.yaml"
    q = quick.read_text(encoding="utf-8")
    uri = _open(client, quick, q)
    assert client.diagnostics(uri, version=1) == []
    pipeline = workspace / "flyteidl" / "pipeline.yaml"
    puri = _open(client, pipeline)
    client.diagnostics(puri)

    # completions on the text as it is, and no compile for them (no diagnostics published)
    lines = q.split("\n")
    i = lines.index("    task: example.train")
    for _ in range(3):
        got = client.request("textDocument/completion", {
            "textDocument": {"uri": uri}, "position": {"line": i, "character": 16}})
        assert {"example.prepare", "example.train"} <= set(_labels(got["items"]))
    assert not [m for m in client.pending
                if m.get("method") == "textDocument/publishDiagnostics"]

    # an edit that leaves the YAML broken ('    ta' is no key yet; an open flow mapping);
    # the completion comes at once, from the buffer, before any compile
    broken = _replace(q, "      epochs: 10\n", "      epochs: 10\n    ta\n    after: [\n")
    client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                             "contentChanges": [{"text": broken}]})
    j = broken.split("\n").index("    after: [")
    got = client.request("textDocument/completion", {
        "textDocument": {"uri": uri}, "position": {"line": j, "character": 12}},
        timeout=TIMEOUT)
    assert _labels(got["items"]) == ["prepare"]
    k = broken.split("\n").index("    ta")
    got = client.request("textDocument/completion", {
        "textDocument": {"uri": uri}, "position": {"line": k, "character": 6}})
    assert "timeout" in _labels(got["items"]) and "task" not in _labels(got["items"])
    client.diagnostics(uri, version=2)  # the debounced compile, as usual
    client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 3},
                                             "contentChanges": [{"text": q}]})
    assert client.diagnostics(uri, version=3) == []

    # ${...} references: hover and definition
    line, ch = _pos(q, "${prepare.table}", 12)
    h = client.request("textDocument/hover", {"textDocument": {"uri": uri},
                                              "position": {"line": line, "character": ch}})
    assert h["contents"]["value"] == \
        "output `prepare.table` of task `example.prepare@v1`: `dataset[parquet]`"
    (d,) = client.request("textDocument/definition", {
        "textDocument": {"uri": uri}, "position": {"line": line, "character": ch}})
    assert d["uri"] == uri and _line_of(d) == "  table: dataset[parquet]"

    # both forms open: the Flyte form's task reference goes to the Flyte form's task
    p = pipeline.read_text(encoding="utf-8")
    line, ch = _pos(p, "name: example.train", 8)
    h = client.request("textDocument/hover", {"textDocument": {"uri": puri},
                                              "position": {"line": line, "character": ch}})
    assert "task example.train@v1" in h["contents"]["value"]
    (d,) = client.request("textDocument/definition", {
        "textDocument": {"uri": puri}, "position": {"line": line, "character": ch}})
    assert d["uri"] == (workspace / "flyteidl" / "tasks.yaml").as_uri()

    # the outline
    syms = client.request("textDocument/documentSymbol", {"textDocument": {"uri": uri}})
    assert [s["name"] for s in syms] == ["example.prepare", "example.train",
                                         "example.pipeline", "example.pipeline"]
    assert [c["name"] for c in syms[2]["children"]] == ["prepare", "train"]

    # a snippet for a parameterized type, since the client takes snippets
    i = lines.index("  epochs: int")
    got = client.request("textDocument/completion", {
        "textDocument": {"uri": uri}, "position": {"line": i, "character": 13}})
    item = _item(got["items"], "list[T]")
    assert item["insertTextFormat"] == 2 and item["textEdit"]["newText"] == "list[${1:int}]"
    assert client.close() == 0
