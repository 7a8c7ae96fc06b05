"""The specc dialect: lowering of every construct to exactly the flyteidl form, the examples,
diagnostics on dialect lines, and round trips of the conformance corpus and the flytekit-made
bundles (flyteidl -> dialect -> flyteidl gives protobuf-equal messages and the same closures)."""
from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from specc.convert import dialect_check
from specc.dialect import emit
from specc.dialect.lower import lower, parse_duration
from tests.conftest import CONFORMANCE, REPO, need

CHECK = dialect_check()  # the emitter checks its output through the driver

CORPUS = CONFORMANCE / "flyte-compiler"
EXAMPLES = REPO / "examples"
BUNDLES = sorted((REPO / "fixtures" / "flytekit").rglob("*.tgz"))


def canonical(doc: dict) -> tuple[str, dict]:
    """(kind, canonical flyteidl form) of a dialect document given as data."""
    low = lower(doc)
    assert low.issues == [], low.issues
    return low.kind, CHECK.data(low.kind, low.data)


def issues(doc: dict) -> list[tuple[str, str]]:
    return [(i.code, i.pointer) for i in lower(doc).issues]


def task(**kw) -> dict:
    return {"apiVersion": "specc/v1", "kind": "Task", "name": "t", "version": "v1", **kw}


def workflow(**kw) -> dict:
    return {"apiVersion": "specc/v1", "kind": "Workflow", "name": "w", "version": "v1", **kw}


def tid(name: str, rtype: str = "TASK", **kw) -> dict:
    return {"resourceType": rtype, "name": name, "version": "v1", **kw}


# ---- tasks ---------------------------------------------------------------------------------

def test_task_settings():
    kind, c = canonical(task(
        type="python-task", image="img:1", command="python -m app --x '{{.inputs.x}}'",
        args=["--verbose", 3], env={"A": "1", "B": 2},
        requests={"cpu": 1, "memory": "2Gi", "gpu": 1, "ephemeralStorage": "1Gi"},
        limits={"cpu": "1.5", "memory": "4Gi"}, retries=3, timeout="1h30m", interruptible=True,
        cache={"version": "2", "serialize": True, "ignoreInputs": ["x"]},
        secrets=["vault/token", {"group": "aws", "key": "id", "mount": "env"}],
        runtime={"type": "FLYTE_SDK", "version": "1.16.0", "flavor": "python"},
        config={"k": "v"}, custom={"a": [1, None]},
        inputs={"x": "int", "y": {"type": "list[str]", "description": "why"}},
        outputs={"z": {"simple": "FLOAT"}}))
    assert kind == "TaskSpec"
    assert c == {"template": {
        "id": tid("t"),
        "type": "python-task",
        "metadata": {"runtime": {"type": "FLYTE_SDK", "version": "1.16.0", "flavor": "python"},
                     "retries": {"retries": 3}, "timeout": "5400s", "interruptible": True,
                     "discoverable": True, "discoveryVersion": "2", "cacheSerializable": True,
                     "cacheIgnoreInputVars": ["x"]},
        "interface": {"inputs": {"variables": {
            "x": {"type": {"simple": "INTEGER"}},
            "y": {"type": {"collectionType": {"simple": "STRING"}}, "description": "why"}}},
            "outputs": {"variables": {"z": {"type": {"simple": "FLOAT"}}}}},
        "custom": {"a": [1, None]},
        "container": {
            "image": "img:1", "command": ["python", "-m", "app", "--x", "{{.inputs.x}}"],
            "args": ["--verbose", "3"], "env": [{"key": "A", "value": "1"},
                                                {"key": "B", "value": "2"}],
            "resources": {
                "requests": [{"name": "CPU", "value": "1"}, {"name": "MEMORY", "value": "2Gi"},
                             {"name": "GPU", "value": "1"},
                             {"name": "EPHEMERAL_STORAGE", "value": "1Gi"}],
                "limits": [{"name": "CPU", "value": "1.5"},
                           {"name": "MEMORY", "value": "4Gi"}]}},
        "securityContext": {"secrets": [{"group": "vault", "key": "token"},
                                        {"group": "aws", "key": "id",
                                         "mountRequirement": "ENV_VAR"}]},
        "config": {"k": "v"}}}


def test_task_defaults():
    _, c = canonical(task(image="img"))
    assert c == {"template": {"id": tid("t"), "type": "container", "metadata": {},
                              "interface": {}, "container": {"image": "img"}}}
    _, c = canonical(task(cache="v3"))
    assert c["template"]["metadata"] == {"discoverable": True, "discoveryVersion": "v3"}


@pytest.mark.parametrize("text,proto", [
    ("30s", "30s"), ("5m", "300s"), ("1h30m", "5400s"), ("1.5s", "1.5s"), ("500ms", "0.5s"),
    ("2h0m1s", "7201s"), ("10us", "0.00001s"), ("1ns", "0.000000001s"), ("5 minutes", None),
    ("5", None), ("", None), ("1d", None)])
def test_durations(text, proto):
    assert parse_duration(text) == proto


def test_pyflyte_style_task():
    _, c = canonical(task(style="pyflyte", name="app.tasks.square", image="img",
                          inputs={"x": "int?"}))
    t = c["template"]
    assert t["type"] == "python-task"
    assert t["metadata"] == {"retries": {}}
    assert t["interface"] == {"inputs": {"variables": {"x": {
        "type": {"unionType": {"variants": [
            {"simple": "INTEGER", "structure": {"tag": "int"}},
            {"simple": "NONE", "structure": {"tag": "none"}}]}},
        "description": "x"}}}, "outputs": {}}
    assert t["container"]["resources"] == {}
    assert t["container"]["args"][-4:] == ["task-module", "app.tasks", "task-name", "square"]


# ---- workflows -------------------------------------------------------------------------------

def test_workflow_nodes_references_and_literals():
    _, c = canonical(workflow(
        inputs={"n": "int", "when": "datetime"},
        outputs={"total": {"type": "int", "value": "${add.sum}"}, "names": "list[str]"},
        nodes={
            "add": {"task": "math.add", "inputs": {
                "a": "${inputs.n}", "b": 2, "c": 1.5, "d": "text", "e": True, "f": None,
                "g": ["${prep.o0}", 1], "h": {"k": "${prep.o0.rows[0]}"},
                "i": {"$datetime": "2024-01-01T00:00:00Z"}, "j": {"$duration": "5m"},
                "k": {"$struct": {"a": 1}},
                "l": {"$flyte": {"scalar": {"primitive": {"integer": "7"}}}},
                "m": '${prep.o0["a b"]}'},
                "after": ["prep"], "aliases": {"sum": "total"}, "name": "adder",
                "retries": 2, "timeout": "10m", "interruptible": False,
                "requests": {"cpu": "500m"}},
            "prep": {"task": "team/prod/math.prep@v0"},
            "sub": {"workflow": "w.sub"},
            "lp": {"launchPlan": {"name": "w.lp", "version": ""}},
        }))
    t = c["template"]
    assert t["id"] == tid("w", "WORKFLOW")
    assert t["outputs"] == [{"var": "total", "binding": {"promise": {"nodeId": "add",
                                                                       "var": "sum"}}}]
    add, prep, sub, lp = t["nodes"]
    scalar = lambda **p: {"scalar": {"primitive": p}}  # noqa: E731
    assert add == {
        "id": "add",
        "metadata": {"name": "adder", "timeout": "600s", "retries": {"retries": 2},
                     "interruptible": False},
        "inputs": [
            {"var": "a", "binding": {"promise": {"var": "n"}}},
            {"var": "b", "binding": scalar(integer="2")},
            {"var": "c", "binding": scalar(floatValue=1.5)},
            {"var": "d", "binding": scalar(stringValue="text")},
            {"var": "e", "binding": scalar(boolean=True)},
            {"var": "f", "binding": {"scalar": {"noneType": {}}}},
            {"var": "g", "binding": {"collection": {"bindings": [
                {"promise": {"nodeId": "prep", "var": "o0"}}, scalar(integer="1")]}}},
            {"var": "h", "binding": {"map": {"bindings": {"k": {"promise": {
                "nodeId": "prep", "var": "o0",
                "attrPath": [{"stringValue": "rows"}, {"intValue": 0}]}}}}}},
            {"var": "i", "binding": scalar(datetime="2024-01-01T00:00:00Z")},
            {"var": "j", "binding": scalar(duration="300s")},
            {"var": "k", "binding": {"scalar": {"generic": {"a": 1}}}},
            {"var": "l", "binding": scalar(integer="7")},
            {"var": "m", "binding": {"promise": {"nodeId": "prep", "var": "o0",
                                                 "attrPath": [{"stringValue": "a b"}]}}}],
        "upstreamNodeIds": ["prep"],
        "outputAliases": [{"var": "sum", "alias": "total"}],
        "taskNode": {"referenceId": tid("math.add"),
                     "overrides": {"resources": {"requests": [{"name": "CPU",
                                                                "value": "500m"}]}}}}
    assert prep["taskNode"]["referenceId"] == {"resourceType": "TASK", "project": "team",
                                               "domain": "prod", "name": "math.prep",
                                               "version": "v0"}
    assert sub["workflowNode"] == {"subWorkflowRef": tid("w.sub", "WORKFLOW")}
    assert lp["workflowNode"] == {"launchplanRef": {"resourceType": "LAUNCH_PLAN",
                                                    "name": "w.lp"}}


def test_gates_map_failure_node_and_sub_workflows():
    _, c = canonical(workflow(
        inputs={"xs": "list[int]"},
        nodes={
            "ok": {"approve": "ship-it", "timeout": "1h"},
            "title": {"signal": {"id": "title", "type": "str", "output": "o0"}},
            "pause": {"sleep": "30s"},
            "squares": {"map": {"task": "math.square"}, "inputs": {"x": "${inputs.xs}"},
                        "parallelism": 4, "minSuccessRatio": 0.5},
        },
        onFailure={"task": "cleanup", "inputs": {"xs": "${inputs.xs}"}},
        interruptible=True,
        subWorkflows={"w.sub": {"version": "v2", "inputs": {"a": "int"},
                                "nodes": {"s": {"task": "t"}}}}))
    t = c["template"]
    ok, title, pause, squares = t["nodes"]
    assert ok == {"id": "ok", "metadata": {"timeout": "3600s"},
                  "gateNode": {"approve": {"signalId": "ship-it"}}}
    assert title["gateNode"] == {"signal": {"signalId": "title", "type": {"simple": "STRING"},
                                            "outputVariableName": "o0"}}
    assert pause["gateNode"] == {"sleep": {"duration": "30s"}}
    x = [{"var": "x", "binding": {"promise": {"var": "xs"}}}]
    assert squares == {"id": "squares", "inputs": x, "arrayNode": {
        "node": {"id": "squares", "inputs": x, "taskNode": {"referenceId": tid("math.square")}},
        "parallelism": 4, "minSuccessRatio": 0.5}}
    assert t["failureNode"] == {"id": "fn0", "inputs": x and [
        {"var": "xs", "binding": {"promise": {"var": "xs"}}}],
        "taskNode": {"referenceId": tid("cleanup")}}
    assert t["metadataDefaults"] == {"interruptible": True}
    (sub,) = c["subWorkflows"]
    assert sub["id"] == {"resourceType": "WORKFLOW", "name": "w.sub", "version": "v2"}
    assert sub["nodes"][0]["taskNode"]["referenceId"] == tid("t")


def test_branch():
    _, c = canonical(workflow(nodes={"pick": {"name": "pick", "branch": [
        {"when": "${n0.o0} > 1 and ${inputs.x} <= 2.5", "then": {"task": "a"}},
        {"when": "${inputs.x} == 'x' or ${n0.o0} != 0", "then": {"task": "b", "id": "bee"}},
        {"else": {"task": "c"}}]}}))
    n = c["template"]["nodes"][0]
    # the branch's inputs are what its conditions refer to, named as pyflyte names them
    assert n["inputs"] == [{"var": ".x", "binding": {"promise": {"var": "x"}}},
                           {"var": "n0.o0", "binding": {"promise": {"nodeId": "n0",
                                                                    "var": "o0"}}}]
    ie = n["branchNode"]["ifElse"]
    assert ie["case"]["thenNode"]["id"] == "n0"
    assert ie["other"][0]["thenNode"]["id"] == "bee"
    assert ie["elseNode"]["id"] == "n2"
    assert ie["other"][0]["condition"]["conjunction"]["operator"] == "OR"
    _, c = canonical(workflow(nodes={"pick": {"branch": [
        {"when": "flag == true", "then": {"task": "a"}}, {"fail": "nothing fits"}],
        "inputs": {"flag": True}}}))
    n = c["template"]["nodes"][0]
    assert n["inputs"] == [{"var": "flag", "binding": {"scalar": {"primitive": {
        "boolean": True}}}}]
    assert n["branchNode"]["ifElse"]["error"] == {"failedNodeId": "pick",
                                                  "message": "nothing fits"}


def test_pyflyte_style_nodes():
    _, c = canonical(workflow(style="pyflyte", nodes={
        "n0": {"task": "app.tasks.square", "inputs": {"x": "${prep.o0}"}},
        "prep": {"task": "app.tasks.prep", "after": []}}))
    n0, prep = c["template"]["nodes"]
    assert n0["metadata"] == {"name": "square", "retries": {}}
    assert n0["upstreamNodeIds"] == ["prep"]
    assert n0["taskNode"]["overrides"] == {}
    assert "upstreamNodeIds" not in prep
    assert c["template"]["metadata"] == {} and c["template"]["metadataDefaults"] == {}


# ---- launch plans -----------------------------------------------------------------------------

def test_launch_plan():
    kind, c = canonical({
        "apiVersion": "specc/v1", "kind": "LaunchPlan", "name": "lp", "version": "v1",
        "workflow": "w",
        "inputs": {"a": "int", "b": {"type": "float", "default": 0.5, "description": "bee"},
                   "c": {"type": "str?", "default": None}, "d": {"type": "int",
                                                            "required": False}},
        "fixed": {"e": [1, 2], "f": {"k": "v"}},
        "schedule": {"cron": "0 3 * * *", "kickoffInput": "when"},
        "notify": [{"phases": ["failed", "TIMED_OUT"], "email": ["a@b.c"]},
                   {"phases": "succeeded", "slack": "#x"}],
        "labels": {"team": "ml"}, "annotations": {"owner": "me"}})
    assert kind == "LaunchPlan"
    spec = c["spec"]
    assert c["id"] == tid("lp", "LAUNCH_PLAN")
    assert spec["workflowId"] == tid("w", "WORKFLOW")
    params = spec["defaultInputs"]["parameters"]
    assert params["a"] == {"var": {"type": {"simple": "INTEGER"}}, "required": True}
    assert params["b"] == {"var": {"type": {"simple": "FLOAT"}, "description": "bee"},
                           "default": {"scalar": {"primitive": {"floatValue": 0.5}}}}
    assert params["c"]["default"] == {"scalar": {"noneType": {}}}
    assert params["d"] == {"var": {"type": {"simple": "INTEGER"}}, "required": False}
    assert spec["fixedInputs"]["literals"]["e"] == {"collection": {"literals": [
        {"scalar": {"primitive": {"integer": "1"}}}, {"scalar": {"primitive": {"integer": "2"}}}]}}
    assert spec["fixedInputs"]["literals"]["f"] == {"map": {"literals": {
        "k": {"scalar": {"primitive": {"stringValue": "v"}}}}}}
    assert spec["entityMetadata"] == {
        "schedule": {"cronSchedule": {"schedule": "0 3 * * *"}, "kickoffTimeInputArg": "when"},
        "notifications": [
            {"phases": ["FAILED", "TIMED_OUT"], "email": {"recipientsEmail": ["a@b.c"]}},
            {"phases": ["SUCCEEDED"], "slack": {"recipientsEmail": ["#x"]}}]}
    assert spec["labels"] == {"values": {"team": "ml"}}
    assert spec["annotations"] == {"values": {"owner": "me"}}
    _, c = canonical({"apiVersion": "specc/v1", "kind": "LaunchPlan", "name": "lp",
                      "workflow": "w", "schedule": {"every": "10m"}})
    assert c["spec"]["entityMetadata"]["schedule"] == {"rate": {"value": 10}}
    _, c = canonical({"apiVersion": "specc/v1", "kind": "LaunchPlan", "name": "lp",
                      "workflow": "w", "schedule": "*/5 * * * *"})
    assert c["spec"]["entityMetadata"]["schedule"] == {
        "cronSchedule": {"schedule": "*/5 * * * *"}}


# ---- overrides and problems ---------------------------------------------------------------------

def test_flyte_overrides():
    _, c = canonical(task(image="img", flyte={
        "/template/metadata/generatesDeck": True, "/template/container/image": None,
        "/description/longDescription/format": "DESCRIPTION_FORMAT_RST"}))
    assert c["template"]["metadata"] == {"generatesDeck": True}
    assert "image" not in c["template"].get("container", {})
    assert c["description"] == {"longDescription": {"format": "DESCRIPTION_FORMAT_RST"}}
    _, c = canonical(workflow(nodes={"a": {"task": "t", "flyte": {"/metadata/cacheable": True,
                                                                  "/taskNode/referenceId/version":
                                                                  None}}}))
    a = c["template"]["nodes"][0]
    assert a["metadata"] == {"cacheable": True}
    assert a["taskNode"]["referenceId"] == {"resourceType": "TASK", "name": "t"}


@pytest.mark.parametrize("doc,expected", [
    ({"apiVersion": "specc/v9", "kind": "Task", "name": "t"}, [("SPC030", "/apiVersion")]),
    ({"apiVersion": "specc/v1", "kind": "Tsk", "name": "t"}, [("SPC031", "/kind")]),
    ({"apiVersion": "specc/v1", "name": "t"}, [("SPC031", "")]),
    (task(imag="x"), [("SPC032", "/imag")]),
    (task(inputs=["a"]), [("SPC033", "/inputs")]),
    (task(style="flytekit"), [("SPC033", "/style")]),
    (task(version=1.10), [("SPC033", "/version")]),
    (task(inputs={"a": "lst[int]"}), [("SPC034", "/inputs/a")]),
    (task(inputs={"a": {"description": "no type"}}), [("SPC041", "/inputs/a")]),
    (task(timeout="soon"), [("SPC037", "/timeout")]),
    (task(requests={"cpus": 1}), [("SPC032", "/requests/cpus")]),
    (task(secrets=[{"group": "g", "mount": "disk"}]), [("SPC033", "/secrets/0/mount")]),
    (task(flyte={"x": 1}), [("SPC040", "/flyte/x")]),
    (task(flyte={"/template/interface/inputs/variables/0": None}),
     [("SPC040", "/flyte/~1template~1interface~1inputs~1variables~10")]),
    (task(command="echo 'open"), [("SPC033", "/command")]),
    (workflow(nodes={"a": {"inputs": {}}}), [("SPC038", "/nodes/a")]),
    (workflow(nodes={"a": {"task": "t", "sleep": "1s"}}), [("SPC038", "/nodes/a/sleep")]),
    (workflow(nodes={"a": {"workflow": "w", "requests": {"cpu": 1}}}),
     [("SPC038", "/nodes/a/requests")]),
    (workflow(nodes={"inputs": {"task": "t"}}), [("SPC038", "/nodes/inputs")]),
    (workflow(nodes={"a": {"task": "a/b"}}), [("SPC039", "/nodes/a/task")]),
    (workflow(nodes={"a": {"task": {"version": "v"}}}), [("SPC039", "/nodes/a/task")]),
    (workflow(nodes={"a": {"task": "t", "inputs": {"x": "${a}"}}}),
     [("SPC035", "/nodes/a/inputs/x")]),
    (workflow(nodes={"a": {"task": "t", "inputs": {"x": {"$date": "x"}}}}),
     [("SPC032", "/nodes/a/inputs/x/$date")]),
    (workflow(nodes={"a": {"branch": [{"else": {"task": "t"}}, {"when": "x == 1"}]}}),
     [("SPC033", "/nodes/a/branch/0")]),
    (workflow(nodes={"a": {"branch": [{"when": "x === 1", "then": {"task": "t"}}]}}),
     [("SPC036", "/nodes/a/branch/0/when")]),
    (workflow(nodes={"a": {"branch": [{"then": {"task": "t"}}]}}),
     [("SPC033", "/nodes/a/branch/0")]),
    ({"apiVersion": "specc/v1", "kind": "LaunchPlan", "name": "lp"}, [("SPC041", "/kind")]),
    ({"apiVersion": "specc/v1", "kind": "LaunchPlan", "name": "lp", "workflow": "w",
      "fixed": {"a": "${inputs.a}"}}, [("SPC035", "/fixed/a")]),
    ({"apiVersion": "specc/v1", "kind": "LaunchPlan", "name": "lp", "workflow": "w",
      "schedule": {"every": "10 minutes"}}, [("SPC037", "/schedule/every")]),
    ({"apiVersion": "specc/v1", "kind": "LaunchPlan", "name": "lp", "workflow": "w",
      "notify": [{"phases": ["done"], "email": ["a"]}]}, [("SPC033", "/notify/0/phases/0")]),
])
def test_problems(doc, expected):
    assert issues(doc) == expected


def test_walk_problems_land_on_the_dialect(tmp_path):
    """check-schema's own findings in lowered data (a raw type, a value of the wrong kind) are
    reported at the dialect key that produced them."""
    from specc import driver

    (tmp_path / "t.yaml").write_text(
        "apiVersion: specc/v1\nkind: Task\nname: t\nimage: img\nretries: many\n"
        "inputs:\n  a:\n    type: {simpel: INTEGER}\n"
        "flyte:\n  /template/metadata/cacheabel: true\n")
    res = driver.compile_paths(driver.Options(paths=[tmp_path / "t.yaml"], use_config=False))
    got = [(d.code, d.span.line, d.span.column, d.pointer) for d in res.diagnostics]
    assert got == [("SPC102", 5, 10, "/retries"),
                   ("SPC101", 8, 12, "/inputs/a/type/simpel"),
                   # the caret on the misspelt part of the override, where its fix goes
                   ("SPC101", 10, 22, "/flyte/~1template~1metadata~1cacheabel")]


# ---- examples ----------------------------------------------------------------------------------

def test_examples_compile_clean():
    from specc import driver

    res = driver.compile_paths(driver.Options(paths=[EXAMPLES], closures=True))
    assert res.diagnostics == [], [d.message for d in res.diagnostics]
    names = {wf.id.name for wf, _ in res.closures}
    assert {"training.pipeline", "files.clean_all", "files.report",
            "example.pipeline"} <= names


def test_quickstart_is_the_flyteidl_example():
    """examples/dialect/quickstart.yaml lowers to exactly the messages of examples/flyteidl/."""
    from specc import driver

    def by_id(path: Path) -> dict:
        res = driver.compile_paths(driver.Options(paths=[path], closures=True))
        out = {}
        for d in res.canonical:
            c = d.data
            key = json.dumps((c.get("template") or c).get("id"), sort_keys=True)
            out[key] = (d.kind, c)
        return out, {wf.id.name: c for wf, c in res.closures}

    dialect, dc = by_id(EXAMPLES / "dialect" / "quickstart.yaml")
    flyteidl, fc = by_id(EXAMPLES / "flyteidl")
    assert dialect == flyteidl
    assert dc == fc


def test_examples_cover_the_constructs():
    from specc.frontends import Limits, load_file

    kinds, keys = set(), set()

    def walk(v):
        if isinstance(v, dict):
            keys.update(v)
            for x in v.values():
                walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)

    for f in sorted((EXAMPLES / "dialect").glob("*.yaml")):
        docs, _ = load_file(f, Limits())
        for d in docs:
            kinds.add(d.data["kind"])
            walk(d.data)
    assert kinds == {"Task", "Workflow", "LaunchPlan"}
    assert {"branch", "map", "workflow", "schedule", "notify", "when", "else", "secrets", "env",
            "cache", "requests", "limits", "retries", "timeout", "interruptible", "fixed",
            "parallelism", "minSuccessRatio", "kickoffInput"} <= keys


# ---- round trips: flyteidl -> dialect -> flyteidl --------------------------------------------

def _sources() -> list[Path]:
    out = []
    if (CORPUS / "snacks-core").exists():
        out += sorted((CORPUS / "snacks-core").glob("*.pb"))
    if (CORPUS / "branch").exists():
        out += sorted((CORPUS / "branch").glob("*.json"))
    return out + BUNDLES + sorted((EXAMPLES / "flyteidl").glob("*.yaml"))


def _checked(paths: list[Path]):
    from specc import driver
    from specc.frontends import Limits

    checked = driver.canonicalize(paths, Limits())
    assert [d for d in checked.diagnostics if d.severity == "error"] == []
    return checked.canonical


def _message(kind: str, c: dict):
    from specc.convert import message

    return message(kind, c)


def _dialect_documents(text: str) -> list[tuple[str, dict]]:
    """(kind, canonical) of every document of a dialect file, through the real front-end."""
    from specc.frontends import Limits, SourceFile
    from specc.frontends import yaml as fy

    docs, diags = fy.load(text.encode(), SourceFile(None, "<dialect>", "yaml"), Limits())
    assert diags == []
    return [canonical(d.data) for d in docs]


@pytest.mark.parametrize("source", _sources(), ids=lambda p: p.name)
def test_round_trip(source):
    """Every document converts to the dialect and back to a protobuf-equal message."""
    docs = _checked([source])
    want = [pair for d in docs if d.canonical for pair in emit.split(d.kind, d.canonical)]
    files = emit.to_dialect(docs, CHECK)
    got = [pair for _, text in files for pair in _dialect_documents(text)]
    assert [k for k, _ in got] == [k for k, _ in want]
    for (kind, g), (_, w) in zip(got, want, strict=False):
        assert _message(kind, g) == _message(kind, w)


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    """The whole corpus converted to the dialect, one file per source, and line counts."""
    need(CORPUS / "snacks-core")
    out = tmp_path_factory.mktemp("dialect")
    sources = _sources()
    docs = _checked(sources)
    dialect_lines = flyteidl_lines = 0
    for name, text in emit.to_dialect(docs, CHECK):
        (out / name).write_text(text, encoding="utf-8")
    for d in docs:
        for kind, c in emit.split(d.kind, d.canonical or {}):
            flyteidl_lines += _yaml_lines(c)
            dialect_lines += emit.document_text(kind, c, CHECK).count("\n")
    return out, dialect_lines, flyteidl_lines


def _yaml_lines(doc: dict) -> int:
    """Lines of the flyteidl YAML form: block style, a key per line (as specc convert writes)."""
    from ruamel.yaml import YAML

    y = YAML(typ="safe", pure=True)
    y.default_flow_style = False
    y.width = 1 << 16
    buf = io.StringIO()
    y.dump(doc, buf)
    return buf.getvalue().count("\n")


def test_line_ratio(converted):
    """The dialect is at most a third of the lines of the flyteidl YAML form."""
    _, dialect, flyteidl = converted
    ratio = dialect / flyteidl
    print(f"\ndialect lines {dialect} / flyteidl YAML lines {flyteidl} = {ratio:.3f}")
    assert ratio <= 1 / 3


def test_snacks_closures_from_the_dialect(converted):
    """Compiled from the dialect, snacks-core gives the same closures as from pyflyte's .pb."""
    from specc import driver

    out, _, _ = converted
    snacks = sorted((CORPUS / "snacks-core").glob("*.pb"))
    original = driver.compile_paths(driver.Options(paths=snacks, closures=True,
                                                   use_config=False))
    dialect_files = sorted(out / f"{p.stem}.yaml" for p in snacks)
    again = driver.compile_paths(driver.Options(paths=dialect_files, closures=True,
                                                use_config=False))
    assert [d for d in again.diagnostics if d.severity == "error"] == []
    want = {wf.id.name: c for wf, c in original.closures}
    got = {wf.id.name: c for wf, c in again.closures}
    assert sorted(got) == sorted(want)
    from flyteidl.core import compiler_pb2
    from google.protobuf import json_format

    for name in want:
        assert json_format.ParseDict(got[name], compiler_pb2.CompiledWorkflowClosure()) == \
            json_format.ParseDict(want[name], compiler_pb2.CompiledWorkflowClosure()), name


def test_emitted_text_is_plain_yaml():
    """What the emitter writes reads the same with PyYAML's safe loader (YAML 1.1), as other
    tools will read it."""
    import yaml

    docs = _checked(BUNDLES[:1] + sorted((EXAMPLES / "flyteidl").glob("*.yaml")))
    for _, text in emit.to_dialect(docs, CHECK):
        ours = list(_loaded(text))
        assert list(yaml.safe_load_all(text)) == ours


def _loaded(text: str) -> list:
    from specc.frontends import Limits, SourceFile
    from specc.frontends import yaml as fy

    docs, _ = fy.load(text.encode(), SourceFile(None, "<d>", "yaml"), Limits())
    return [d.data for d in docs]


def _doc_blocks(path: Path) -> list[str]:
    import re

    text = path.read_text(encoding="utf-8")
    return [b for b in re.findall(r"```yaml\n(.*?)```", text, re.S) if "apiVersion: specc/v1" in b]


@pytest.mark.parametrize("path", [REPO / "docs" / "dialect.md", REPO / "README.md"],
                         ids=lambda p: p.name)
def test_documented_examples_lower(path):
    """Every dialect example in the docs is a valid document that lowers cleanly."""
    from specc.frontends import Limits, SourceFile
    from specc.frontends import yaml as fy

    blocks = _doc_blocks(path)
    assert blocks
    for block in blocks:
        docs, diags = fy.load(block.encode(), SourceFile(None, "doc", "yaml"), Limits())
        assert diags == [], block
        for d in docs:
            canonical(d.data)


def test_convert_command_both_ways(tmp_path):
    """specc convert --to specc, then --to yaml and --to pb: the same messages as the input."""
    import subprocess
    import sys

    def specc(*args: str):
        # in a process of its own: the YAML writer registers representers process-wide
        return subprocess.run([sys.executable, "-m", "specc", *args], capture_output=True,
                              text=True, timeout=300)

    src = REPO / "fixtures" / "flytekit" / "bundles" / "branches.tgz"
    r = specc("convert", "--to", "specc", "--out", str(tmp_path / "d"), str(src),
              str(EXAMPLES / "flyteidl"))
    assert r.returncode == 0, r.stderr
    names = sorted(p.name for p in (tmp_path / "d").iterdir())
    assert "pipeline.yaml" in names and "5_branches.classify_2.yaml" in names
    text = (tmp_path / "d" / "pipeline.yaml").read_text()
    assert text.startswith("# A workflow (admin.WorkflowSpec)")  # the comment is kept
    for to in ("yaml", "pb"):
        r = specc("convert", "--to", to, "--out", str(tmp_path / to), str(tmp_path / "d"))
        assert r.returncode == 0, r.stderr
    want = {json.dumps(c, sort_keys=True) for _, c in
            (pair for d in _checked([src, *sorted((EXAMPLES / "flyteidl").glob("*.yaml"))])
             if d.canonical
             for pair in emit.split(d.kind, d.canonical))}
    for to in ("yaml", "pb"):
        got = {json.dumps(d.canonical, sort_keys=True)
               for d in _checked(sorted((tmp_path / to).iterdir()))}
        assert got == want, to


COMMENTED = """\
# The pipeline
template:
  id: {resourceType: WORKFLOW, name: example.pipeline, version: v1}
  interface:
    inputs:
      variables:
        # how many rows to sample
        rows: {type: {simple: INTEGER}}
    outputs:
      variables:
        accuracy: {type: {simple: FLOAT}}
  nodes:
    # first, prepare the data
    - id: prepare
      taskNode:
        referenceId: {resourceType: TASK, name: example.prepare, version: v1}
      inputs:
        - var: rows
          binding: {promise: {var: rows}}
    # then train on it
    - id: train
      taskNode:
        # the training task
        referenceId: {resourceType: TASK, name: example.train, version: v1}
  # the outputs
  outputs:
    - var: accuracy
      binding: {promise: {nodeId: train, var: accuracy}}
"""


def test_comments_are_kept(tmp_path):
    (tmp_path / "wf.yaml").write_text(COMMENTED)
    ((_, text),) = emit.to_dialect(_checked([tmp_path / "wf.yaml"]), CHECK)
    assert text.splitlines()[:16] == [
        "# The pipeline",
        "apiVersion: specc/v1",
        "kind: Workflow",
        "name: example.pipeline",
        "version: v1",
        "inputs:",
        "  # how many rows to sample",
        "  rows: int",
        "# the outputs",
        "outputs:",
        "  accuracy: {type: float, value: '${train.accuracy}'}",
        "nodes:",
        "  # first, prepare the data",
        "  prepare:",
        "    task: example.prepare",
        "    inputs:",
    ]
    assert "  # then train on it\n  # the training task\n  train:\n" in text
