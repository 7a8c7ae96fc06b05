"""The rendering core of ``specc graph`` (``specc.graph``): DOT, Mermaid and text output of
compiled closures, snapshotted for workflows of every node kind (``fixtures/ok/`` and the real
pyflyte bundle ``fixtures/flytekit/every_node_kind/``, compiled through ``specc.driver``); SVG
and PNG through Graphviz's ``dot``; escaping, determinism, workflow selection, and the error
when ``dot`` is missing.
"""
from __future__ import annotations

import ast
import copy
import json
import random
import re
import shutil
import stat
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from specc import graph
from specc.graph import dot as gdot
from specc.graph import mermaid as gmermaid
from specc.graph import model
from specc.graph import text as gtext
from tests.conftest import REPO

OK = REPO / "fixtures" / "ok"
BUNDLE = REPO / "fixtures" / "flytekit" / "every_node_kind" / "bundle.tgz"
HAVE_DOT = shutil.which("dot") is not None
NEED_DOT = pytest.mark.skipif(
    not HAVE_DOT, reason="Graphviz's `dot` is not on PATH (apt-get install graphviz); "
    "CI installs it")


# ---- closures ---------------------------------------------------------------------------------

def _compile_closures() -> dict[str, dict]:
    from specc import driver

    out: dict[str, dict] = {}
    for path in [*sorted(OK.iterdir()), BUNDLE]:
        if path.name.startswith("."):
            continue
        result = driver.compile_paths(driver.Options(paths=[path], closures=True,
                                                     use_config=False))
        assert result.errors == 0, path
        for wf, closure in result.closures:
            out[wf.id.name] = closure
    return out


CLOSURES = _compile_closures()
NAMES = sorted(CLOSURES)
MAIN = "workflows.every_node_kind"


def test_the_fixtures_hold_every_node_kind():
    kinds = set()
    for closure in CLOSURES.values():
        kinds |= {n.kind for n in model.build(closure).nodes.values()}
    assert kinds == {"start", "end", "task", "subworkflow", "launchplan", "branch", "error",
                     "gate-approve", "gate-signal", "gate-sleep", "array"}
    g = model.build(CLOSURES[MAIN])
    assert any(n.failure for n in g.nodes.values())


def _node(id_: str, **kind) -> dict:
    return {"id": id_, **kind}


def _task(id_: str, task: str, inputs: list | None = None, **extra) -> dict:
    node = {"id": id_, "taskNode": {"referenceId": {"resourceType": "TASK", "name": task}}}
    if inputs:
        node["inputs"] = inputs
    node.update(extra)
    return node


def _promise(var: str, node_id: str, upstream_var: str) -> dict:
    return {"var": var, "binding": {"promise": {"nodeId": node_id, "var": upstream_var}}}


def _closure(name: str, nodes: list[dict], edges: list[tuple[str, str]], **extra) -> dict:
    """A closure as emit-closure writes it: start/end nodes added, connections from ``edges``."""
    down: dict[str, list[str]] = {}
    up: dict[str, list[str]] = {}
    for src, dst in edges:
        down.setdefault(src, []).append(dst)
        up.setdefault(dst, []).append(src)
    template = {"id": {"resourceType": "WORKFLOW", "name": name},
                "nodes": [{"id": "start-node"}, {"id": "end-node"}, *nodes]}
    template.update(extra.pop("template", {}))
    return {"primary": {"template": template, "connections": {
        "downstream": {k: {"ids": sorted(v)} for k, v in down.items()},
        "upstream": {k: {"ids": sorted(v)} for k, v in up.items()}}}, **extra}


def fan_out_in(width: int = 18) -> dict:
    """start -> split -> w01..wNN -> merge -> end: a 20-node fan-out/fan-in (with width 18)."""
    workers = [f"w{i:02}" for i in range(1, width + 1)]
    nodes = [_task("split", "demo.split")]
    nodes += [_task(w, "demo.work", [_promise("part", "split", "o0")]) for w in workers]
    nodes.append(_task("merge", "demo.merge", [
        {"var": "parts", "binding": {"collection": {"bindings": [
            {"promise": {"nodeId": w, "var": "o0"}} for w in workers]}}}]))
    edges = [("start-node", "split")] + [("split", w) for w in workers]
    edges += [(w, "merge") for w in workers] + [("merge", "end-node")]
    return _closure("demo.fan_out_in", nodes, edges)


# ---- snapshots -------------------------------------------------------------------------------

@pytest.mark.parametrize("name", NAMES)
def test_dot(name, snapshot):
    assert graph.to_dot(CLOSURES[name], edge_labels=True) == snapshot


@pytest.mark.parametrize("name", NAMES)
def test_mermaid(name, snapshot):
    assert graph.to_mermaid(CLOSURES[name], edge_labels=True) == snapshot


@pytest.mark.parametrize("name", NAMES)
def test_text(name, snapshot):
    assert graph.to_text(CLOSURES[name]) == snapshot


def test_text_with_edge_labels(snapshot):
    assert graph.to_text(CLOSURES[MAIN], edge_labels=True) == snapshot


DIAGNOSTICS = {
    "n5": [("error", "SPC401", ("input 'label' of node 'n5' has type str, but output "
                               "'n4.o0' has type int"))],
    "echo": [("warning", "SPC610", "output 'echoed' of node 'echo' is never used")],
    "n4/n0": [("note", "SPC999", "inside the sub-workflow")],
    "no-such-node": [("error", "SPC000", "ignored")],
}


@pytest.mark.parametrize("fmt", ["dot", "mermaid", "text"])
def test_with_diagnostics(fmt, snapshot):
    assert graph.render(CLOSURES[MAIN], fmt, diagnostics=DIAGNOSTICS) == snapshot


def test_text_fan_out_fan_in(snapshot):
    out = graph.to_text(fan_out_in())
    assert out == snapshot
    assert max(len(line) for line in out.splitlines()) <= gtext.WIDTH
    assert re.search(r"^3 │ merge  task demo.merge$", out, re.MULTILINE)


# ---- what is drawn ---------------------------------------------------------------------------

def test_every_connection_is_an_edge():
    closure = CLOSURES[MAIN]
    g = model.build(closure)
    conn = closure["primary"]["connections"]
    pairs = {(k, i) for k, v in conn["downstream"].items() for i in v["ids"]}
    pairs |= {(i, k) for k, v in conn["upstream"].items() for i in v["ids"]}
    primary = {k for k, n in g.nodes.items() if n.scope == ""}
    drawn = {(e.src, e.dst) for e in g.edges
             if e.style in ("data", "upstream") and e.src in primary}
    assert drawn == pairs
    down = {(k, i) for k, v in conn["downstream"].items() for i in v["ids"]}
    assert {(e.src, e.dst) for e in g.edges if e.style == "data" and e.src in primary} == down
    assert ("start-node", "fn0", "upstream") in {(e.src, e.dst, e.style) for e in g.edges}


def test_branch_cases_and_conditions():
    g = model.build(CLOSURES[MAIN])
    cases = [(e.src, e.dst, e.label) for e in g.edges if e.style == "case"]
    assert cases == [
        ("n7", "n7-n0", "if n6.o0 > 100 and .n < 1000"),
        ("n7", "n7-n1", "elif n6.o0 < 0"),
        ("n7", "n7-n2", "else"),
        ("n7-n0", "n7-n0-n0", "if n6.o0 > 10000"),
        ("n7-n0", "n7-n0-n1", "elif n6.o0 > 1000"),
        ("n7-n0", "n7-n0/error", "else"),
    ]
    (outer,) = [c for c in g.root.clusters if c.kind == "branch"]
    (inner,) = outer.clusters
    assert outer.nodes == ["n7", "n7-n1", "n7-n2"] and inner.owner == "n7-n0"
    assert g.nodes["n7-n0/error"].title == "fail: between 100 and 1000 is not expected"


def test_sub_workflow_is_a_cluster_with_its_own_connections():
    g = model.build(CLOSURES[MAIN])
    (sub,) = [c for c in g.root.clusters if c.kind == "subworkflow"]
    assert sub.nodes == ["n4", "n4/start-node", "n4/n0", "n4/end-node"]
    assert {(e.src, e.dst, e.style) for e in g.edges if e.src.startswith("n4")} >= {
        ("n4", "n4/start-node", "contents"), ("n4/start-node", "n4/n0", "data"),
        ("n4/n0", "n4/end-node", "data"), ("n4", "n5", "data")}


def test_sub_workflow_missing_from_the_closure_is_a_box():
    closure = copy.deepcopy(CLOSURES[MAIN])
    closure["subWorkflows"] = []
    g = model.build(closure)
    assert g.nodes["n4"].kind == "subworkflow"
    assert not [c for c in g.root.clusters if c.kind == "subworkflow"]
    assert "n4/n0" not in g.nodes


def test_sub_workflow_calling_itself_is_drawn_once():
    inner = {"template": {"id": {"name": "demo.loop"}, "nodes": [
        {"id": "start-node"}, {"id": "end-node"},
        {"id": "again", "workflowNode": {"subWorkflowRef": {"name": "demo.loop"}}}]},
        "connections": {"downstream": {"start-node": {"ids": ["again"]},
                                       "again": {"ids": ["end-node"]}}}}
    closure = _closure("demo.outer", [
        {"id": "call", "workflowNode": {"subWorkflowRef": {"name": "demo.loop"}}}],
        [("start-node", "call"), ("call", "end-node")], subWorkflows=[inner])
    g = model.build(closure)
    assert "call/again" in g.nodes and g.nodes["call/again"].kind == "subworkflow"
    assert not any(k.startswith("call/again/") for k in g.nodes)


def test_failure_node_of_a_sub_workflow_is_drawn_with_it():
    inner = {"template": {"id": {"name": "demo.inner"},
                          "nodes": [{"id": "start-node"}, {"id": "end-node"},
                                    _task("work", "demo.work")],
                          "failureNode": _task("undo", "demo.undo")},
             "connections": {"downstream": {"start-node": {"ids": ["work"]},
                                            "work": {"ids": ["end-node"]}},
                             "upstream": {"undo": {"ids": ["start-node"]}}}}
    closure = _closure("demo.outer", [
        {"id": "call", "workflowNode": {"subWorkflowRef": {"name": "demo.inner"}}}],
        [("start-node", "call"), ("call", "end-node")], subWorkflows=[inner])
    g = model.build(closure)
    assert g.failures == {"call": "call/undo"} and g.nodes["call/undo"].failure
    assert ("call/start-node", "call/undo", "upstream") in {
        (e.src, e.dst, e.style) for e in g.edges}
    out = graph.to_text(closure)
    assert "  ┆ on failure\n  │   ┆   undo  task demo.undo\n" in out, out
    assert 'subgraph "cluster_failure:call/failure"' in graph.to_dot(closure)


def test_connection_to_a_node_the_template_lacks():
    closure = _closure("demo.dangling", [_task("a", "demo.a")],
                       [("start-node", "a"), ("a", "ghost"), ("a", "end-node")])
    g = model.build(closure)
    assert (g.nodes["ghost"].kind, g.nodes["ghost"].title) == ("unknown", "not in the template")
    assert ("a", "ghost") in {(e.src, e.dst) for e in g.edges}
    assert 'style="filled,dashed"' in graph.to_dot(closure)


@pytest.mark.parametrize("fmt", ["dot", "mermaid", "text"])
def test_a_cycle_still_draws(fmt):
    closure = _closure("demo.cycle", [_task("a", "demo.a"), _task("b", "demo.b")],
                       [("start-node", "a"), ("a", "b"), ("b", "a"), ("b", "end-node")])
    out = graph.render(closure, fmt)
    assert "demo.a" in out and "demo.b" in out


def test_text_width():
    out = graph.to_text(fan_out_in(), width=60)
    assert max(len(line) for line in out.splitlines()) <= 60
    assert "  │   ← w01, w02, w03," in out


def test_array_inner_node_with_the_same_id():
    g = model.build(CLOSURES["img.thumbnails"])
    assert g.nodes["resize"].kind == "array" and g.nodes["resize/resize"].kind == "task"
    assert ("resize", "resize/resize", "contents") in {(e.src, e.dst, e.style) for e in g.edges}
    # connections name the array node, never its inner node
    assert not any(e.dst == "resize/resize" for e in g.edges if e.style == "data")


def test_gate_titles():
    g = model.build(CLOSURES[MAIN])
    assert (g.nodes["n8"].kind, g.nodes["n8"].title) == ("gate-signal", "signal title: str")
    assert (g.nodes["n9"].kind, g.nodes["n9"].title) == ("gate-sleep", "sleep 30s")
    assert (g.nodes["n11"].kind, g.nodes["n11"].title) == ("gate-approve",
                                                            "approve approve-choice")
    assert g.nodes["n6"].title == "launch plan scaled_lp"


def test_edge_labels_read_nested_collection_and_map_bindings():
    closure = _closure("demo.nested", [
        _task("a", "demo.a"),
        _task("b", "demo.b", [
            {"var": "xs", "binding": {"collection": {"bindings": [
                {"promise": {"nodeId": "a", "var": "o0"}},
                {"scalar": {"primitive": {"integer": "1"}}}]}}},
            {"var": "m", "binding": {"map": {"bindings": {
                "k": {"promise": {"nodeId": "a", "var": "o1",
                                  "attrPath": [{"stringValue": "f"}, {"intValue": 2}]}}}}}},
            {"var": "n", "binding": {"promise": {"var": "n"}}}]),
    ], [("start-node", "a"), ("a", "b"), ("start-node", "b"), ("b", "end-node")],
        tasks=[{"template": {"id": {"name": "demo.b"}, "interface": {"inputs": {"variables": {
            "n": {"type": {"simple": "INTEGER"}}}}}}}])
    g = model.build(closure, edge_labels=True)
    labels = {(e.src, e.dst): e.label for e in g.edges}
    assert labels[("a", "b")] == "o0 → xs[0]\no1.f[2] → m[k]"
    assert labels[("start-node", "b")] == "n: int"  # a promise without nodeId reads start-node
    assert labels[("b", "end-node")] == ""
    assert model.build(closure).edges[0].label == ""  # no labels unless asked


def test_condition_text():
    cmp_ = {"comparison": {"leftValue": {"var": "x"},
                           "rightValue": {"primitive": {"stringValue": 'say "hi"'}}}}
    gte = {"comparison": {"operator": "GTE", "leftValue": {"var": "y"},
                          "rightValue": {"scalar": {"noneType": {}}}}}
    both = {"conjunction": {"operator": "OR", "leftExpression": cmp_, "rightExpression": gte}}
    assert model.condition_text(cmp_) == 'x == "say \\"hi\\""'  # EQ is the default operator
    assert model.condition_text({"conjunction": {"leftExpression": both,
                                                 "rightExpression": gte}}) == \
        '(x == "say \\"hi\\"" or y >= none) and y >= none'
    assert model.condition_text({"comparison": {"operator": 4, "leftValue": {"var": "a"},
                                                "rightValue": {"primitive": {
                                                    "boolean": True}}}}) == "a < true"


def test_layers_longest_path_and_cycles():
    assert gtext.layers(["s", "a", "b", "e"], [("s", "a"), ("a", "b"), ("s", "b"),
                                               ("b", "e"), ("s", "e")]) == \
        [["s"], ["a"], ["b"], ["e"]]
    # a cycle (a closure with errors) still gives every node one layer
    got = gtext.layers(["a", "b", "c"], [("a", "b"), ("b", "c"), ("c", "b")])
    assert sorted(n for row in got for n in row) == ["a", "b", "c"]


# ---- escaping --------------------------------------------------------------------------------

WEIRD_ID = 'say "hi" <b>&amp; #1 | `x` \\n ünï ✓'
WEIRD_TASK = 'ns."quoted" <task> {a|b} é'


def weird() -> dict:
    return _closure("demo.wéird \"wf\"", [
        _task(WEIRD_ID, WEIRD_TASK, [_promise('in"put', "start-node", "x<y>")]),
        {"id": "br", "branchNode": {"ifElse": {
            "case": {"condition": {"comparison": {"leftValue": {"var": "v"},
                                                  "rightValue": {"primitive": {
                                                      "stringValue": 'a "b" <c>'}}}},
                     "thenNode": _task("br-n0", "t")},
            "error": {"message": 'no "case" <matched>'}}}},
    ], [("start-node", WEIRD_ID), (WEIRD_ID, "end-node"), ("start-node", "br"),
        ("br", "end-node")])


def test_dot_quote():
    assert gdot.quote('a"b\\c\nd\re') == '"a\\"b\\\\c\\nde"'
    assert gdot.quote("ünï ✓ <>{}|") == '"ünï ✓ <>{}|"'


def test_mermaid_escape():
    assert gmermaid.escape('a"b<c>#1&d`e|f\ng') == \
        "a#quot;b#lt;c#gt;#35;1#amp;d#96;e#124;f<br/>g"
    assert gmermaid.escape("ünï ✓ [x] {y}") == "ünï ✓ [x] {y}"


def test_mermaid_escaping_keeps_labels_and_ids_safe():
    out = graph.to_mermaid(weird(), edge_labels=True)
    for line in out.splitlines()[4:]:
        # every quoted label holds no quote, and outside of labels only ids and arrows remain
        outside = re.sub(r'"[^"]*"', "", line)
        assert '"' not in outside and "<" not in outside.replace("<br/>", ""), line
    ids = re.findall(r"^\s+(n_\w+)[\[({>]", out, re.MULTILINE)
    assert len(ids) == len(set(ids)) == 6  # start, end, the weird task, br, br-n0, br/error
    assert all(re.fullmatch(r"[A-Za-z0-9_]+", i) for i in ids)
    assert "say #quot;hi#quot; #lt;b#gt;#amp;amp; #35;1 #124; #96;x#96; \\n ünï ✓" in out


def test_dot_escaping(tmp_path):
    out = graph.to_dot(weird(), edge_labels=True)
    assert gdot.quote(WEIRD_ID) + " [" in out
    assert gdot.quote(f"{WEIRD_ID}\ntask {WEIRD_TASK}") in out
    assert gdot.quote('if v == "a \\"b\\" <c>"') in out


@NEED_DOT
def test_dot_escaping_survives_graphviz():
    svg = graph.to_svg(weird())
    root = ET.fromstring(svg)
    titles = {t.text for t in root.iter("{http://www.w3.org/2000/svg}title")}
    # the node's name came through dot (which keeps an escaped backslash doubled in names)
    assert WEIRD_ID.replace("\\", "\\\\") in titles
    texts = {t.text for t in root.iter("{http://www.w3.org/2000/svg}text")}
    assert WEIRD_ID in texts and f"task {WEIRD_TASK}" in texts  # labels print exactly
    assert 'fail: no "case" <matched>' in texts


def test_text_escaping_prints_as_is():
    out = graph.to_text(weird())
    assert f"{WEIRD_ID}  task {WEIRD_TASK}" in out
    assert 'if v == "a \\"b\\" <c>"' in out


# ---- determinism -----------------------------------------------------------------------------

def _shuffled(closure: dict, seed: int) -> dict:
    """The same closure with its lists of nodes and its connection maps in another order."""
    rnd = random.Random(seed)
    c = copy.deepcopy(closure)
    rnd.shuffle(c["primary"]["template"]["nodes"])
    for side in ("upstream", "downstream"):
        items = list(c["primary"]["connections"].get(side, {}).items())
        rnd.shuffle(items)
        c["primary"]["connections"][side] = dict(items)
    return c


@pytest.mark.parametrize("fmt", ["dot", "mermaid", "text"])
def test_deterministic(fmt):
    for name in NAMES:
        closure = CLOSURES[name]
        first = graph.render(closure, fmt, edge_labels=True, diagnostics=DIAGNOSTICS)
        assert graph.render(json.loads(json.dumps(closure)), fmt, edge_labels=True,
                            diagnostics=DIAGNOSTICS) == first
        assert graph.render(_shuffled(closure, 7), fmt, edge_labels=True,
                            diagnostics=DIAGNOSTICS) == first


# ---- diagnostics -----------------------------------------------------------------------------

def test_diagnostics_mark_nodes():
    g = model.build(CLOSURES[MAIN], diagnostics=DIAGNOSTICS)
    assert g.nodes["n5"].severity == "error" and g.nodes["echo"].severity == "warning"
    assert g.nodes["n4/n0"].severity == "note" and g.nodes["n3"].severity is None
    out = graph.to_dot(CLOSURES[MAIN], diagnostics=DIAGNOSTICS)
    (n5,) = [line for line in out.splitlines() if line.strip().startswith('"n5" [')]
    assert 'color="#dc2626"' in n5 and "penwidth=3" in n5
    assert "tooltip=\"error SPC401: input 'label' of node 'n5'" in n5
    (echo,) = [line for line in out.splitlines() if line.strip().startswith('"echo" [')]
    assert 'color="#f97316"' in echo
    mer = graph.to_mermaid(CLOSURES[MAIN], diagnostics=DIAGNOSTICS)
    assert "style n_n5 stroke:#dc2626,stroke-width:3px" in mer
    assert "%% n5: error SPC401: input 'label'" in mer
    text = graph.to_text(CLOSURES[MAIN], diagnostics=DIAGNOSTICS)
    assert re.search(r"│ n5 +task workflows.describe  \[error SPC401\]$", text, re.MULTILINE)
    assert "! error SPC401: input 'label' of node 'n5' has type str" in text


# ---- SVG and PNG through Graphviz --------------------------------------------------------------

@NEED_DOT
@pytest.mark.parametrize("name", NAMES)
def test_svg_holds_every_node(name):
    svg = graph.to_svg(CLOSURES[name], edge_labels=True, diagnostics=DIAGNOSTICS)
    root = ET.fromstring(svg)  # well-formed XML
    ns = "{http://www.w3.org/2000/svg}"
    titles = {t.text for t in root.iter(f"{ns}title")}
    texts = {t.text for t in root.iter(f"{ns}text")}
    g = model.build(CLOSURES[name])
    for key, node in g.nodes.items():
        assert key in titles, key
        if node.kind != "error":
            assert node.node_id in texts, node.node_id


@NEED_DOT
def test_png():
    png = graph.render(CLOSURES["media.transcode"], "png")
    assert isinstance(png, bytes) and png.startswith(b"\x89PNG\r\n\x1a\n")


def test_missing_dot(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda *a, **k: None)
    with pytest.raises(graph.GraphvizNotFound) as info:
        graph.to_svg(CLOSURES["media.transcode"])
    message = str(info.value)
    assert "apt-get install graphviz" in message and "brew install graphviz" in message
    assert "https://graphviz.org/download/" in message
    with pytest.raises(graph.GraphvizNotFound):
        graph.render(CLOSURES["media.transcode"], "png")


def _fake_dot(tmp_path: Path, body: str) -> str:
    exe = tmp_path / "fake-dot"
    exe.write_text("#!/bin/sh\n" + body + "\n")
    exe.chmod(exe.stat().st_mode | stat.S_IEXEC)
    return str(exe)


@pytest.mark.skipif(shutil.which("sh") is None, reason="needs a POSIX shell")
def test_dot_failure_and_timeout(tmp_path):
    failing = _fake_dot(tmp_path, 'echo "Error: syntax error in line 1" >&2; exit 1')
    with pytest.raises(graph.GraphvizError, match="syntax error in line 1"):
        graph.run_dot("digraph {}", "svg", executable=failing)
    slow = _fake_dot(tmp_path, "exec sleep 5")
    with pytest.raises(graph.GraphvizError, match=r"did not finish within 0\.2 seconds"):
        graph.run_dot("digraph {}", "svg", executable=slow, timeout=0.2)


def test_render_formats():
    closure = CLOSURES["media.transcode"]
    assert graph.render(closure, "dot") == graph.to_dot(closure)
    assert graph.render(closure, "mermaid") == graph.to_mermaid(closure)
    assert graph.render(closure, "text", width=60) == graph.to_text(closure, width=60)
    assert "legend" not in graph.render(closure, "dot", legend=False)
    with pytest.raises(ValueError, match="unknown graph format 'jpeg'"):
        graph.render(closure, "jpeg")


# ---- --workflow --------------------------------------------------------------------------------

WORKFLOWS = ["ml.pretrain", "ml.train", "etl.load", "etl.reload", "shop.daily_revenue"]


@pytest.mark.parametrize("wanted,expected", [
    (None, sorted(WORKFLOWS)),
    ("ml.train", ["ml.train"]),            # exact
    ("train", ["ml.train"]),               # a suffix at a dot beats ml.pretrain
    ("revenue", ["shop.daily_revenue"]),   # the only name ending in it
    ("load", ["etl.load"]),
])
def test_select_workflows(wanted, expected):
    assert graph.select_workflows(WORKFLOWS, wanted) == expected


@pytest.mark.parametrize("wanted,candidates", [
    ("ain", ["ml.pretrain", "ml.train"]),
    ("oad", ["etl.load", "etl.reload"]),
    ("nope", sorted(WORKFLOWS)),
])
def test_select_workflows_errors(wanted, candidates):
    with pytest.raises(graph.WorkflowSelectionError) as info:
        graph.select_workflows(WORKFLOWS, wanted)
    assert info.value.candidates == candidates
    assert all(c in str(info.value) for c in candidates)


def test_select_from_closures():
    names = [graph.workflow_name(c) for c in CLOSURES.values()]
    assert graph.select_workflows(names, "every_node_kind") == [MAIN]
    with pytest.raises(graph.WorkflowSelectionError, match="no workflow to draw"):
        graph.select_workflows([], None)


def test_only_specc_types_is_imported():
    """The drawing stays independent of the compiler pipeline and the CLI (``command.py`` is
    the command's glue to the driver and is the one module that may use it)."""
    for path in sorted((REPO / "specc" / "graph").glob("*.py")):
        if path.name == "command.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
                modules = [node.module] if node.module != "specc" else names[1:]
            elif isinstance(node, ast.Import):
                modules = [a.name for a in node.names]
            else:
                continue
            for m in modules:
                if m.split(".")[0] == "specc":
                    assert m == "specc.types" or m.startswith("specc.graph"), \
                        f"{path.name} imports {m}"
