"""The lint rules (``specc/lint/``, codes SPC6xx): table tests with positive and negative cases for
every rule, the timeout rule's option, option validation, the registry, and the rules' verdict
on real inputs (the bundled example, a pyflyte bundle, Flyte's conformance corpus).

Each case compiles a few documents (written as JSON) and compares the messages of the code under
test only, so a case need not be free of every other rule's findings.
"""
from __future__ import annotations

import collections
import json
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from specc import codes, driver, lint
from specc.lint import dead_branch_case, mutable_image_tag, secret_in_env
from specc.lint.durations import parse_duration, show_duration
from specc.policy import Policy
from tests import specs as S
from tests.conftest import CONFORMANCE, REPO, need
from tests.specs import (
    BOOL,
    FLOAT,
    INT,
    STR,
    bind,
    compare,
    conjunction,
    if_block,
    if_else,
    promise,
    task_node,
)

IMAGE = "ghcr.io/example/shop:1.4"


# ---- builders --------------------------------------------------------------------------------
def task(name: str = "t", inputs=None, outputs=None, *, metadata=None, container=None,
         **template) -> dict:
    """A TaskSpec with a pinned image; ``metadata`` is merged into the task's metadata."""
    doc = S.task(name, inputs, outputs,
                 container={"image": IMAGE, "args": ["pyflyte-execute"], **(container or {})})
    doc["template"]["metadata"].update(metadata or {})
    doc["template"].update(template)
    return doc


def pod_task(name: str, *containers: dict) -> dict:
    doc = task(name)
    del doc["template"]["container"]
    doc["template"]["type"] = "sidecar"
    # as flytekit writes pod tasks: version 2, the primary container named in 'config'
    doc["template"]["taskTypeVersion"] = 2
    doc["template"]["config"] = {"primary_container_name": containers[0]["name"]}
    doc["template"]["k8sPod"] = {"podSpec": {"containers": list(containers)}}
    return doc


def wf(name: str = "w", nodes=(), inputs=None, outputs=None, out_bindings=(), **kw) -> dict:
    return S.workflow(name, list(nodes), inputs, outputs, out_bindings, **kw)


def lp(name: str, workflow: str, *, defaults=None, required=(), fixed=None, **spec) -> dict:
    doc = S.launch_plan(name, workflow, defaults)
    params = doc["spec"].setdefault("defaultInputs", {}).setdefault("parameters", {})
    for var, t in dict(required).items():
        params[var] = {"var": {"type": t}, "required": True}
    if not params:
        del doc["spec"]["defaultInputs"]
    if fixed:
        doc["spec"]["fixedInputs"] = {"literals": {k: {"scalar": v["scalar"]}
                                                   for k, v in fixed.items()}}
    doc["spec"].update(spec)
    return doc


def lit(v) -> dict:
    """An operand holding a literal as flytekit writes it: 'primitive' (proto marks it deprecated
    for 'scalar', but Flyte 1.16's compiler reads no 'scalar' operand: SPC420)."""
    key = {bool: "boolean", int: "integer", float: "floatValue", str: "stringValue"}[type(v)]
    return {"primitive": {key: v}}


def var(name: str) -> dict:
    return {"var": name}


def branch_wf(*conditions: dict, inputs=None, name: str = "w") -> list[dict]:
    """Tasks and a workflow whose branch node 'b' has one case per condition and an else; the
    branch takes the workflow inputs of the same names."""
    inputs = inputs or {"x": INT}
    cases = [if_block(c, task_node(f"c{i}", "t")) for i, c in enumerate(conditions)]
    br = S.branch_node("b", if_else(cases[0], cases[1:], task_node("e", "t")),
                       inputs=[bind(k, promise(k)) for k in inputs])
    return [task("t"), wf(name, [br], inputs)]


def nested(outer: dict, *inner: dict, inner_source: str = "x", in_else: bool = False
           ) -> list[dict]:
    """Branch 'outer' on input x whose if-case (or else) is branch 'inner', with one case per
    ``inner`` condition on its input x, bound to the workflow input ``inner_source``."""
    cases = [if_block(c, task_node(f"c{i}", "t")) for i, c in enumerate(inner)]
    inner_node = S.branch_node("inner", if_else(cases[0], cases[1:], task_node("e", "t")),
                               inputs=[bind("x", promise(inner_source))])
    then, other = (task_node("c", "t"), inner_node) if in_else else (inner_node,
                                                                     task_node("e", "t"))
    return [task("t"), wf("w", [S.branch_node("outer", if_else(
        if_block(outer, then), else_node=other), inputs=[bind("x", promise("x"))])],
        {"x": INT, "y": INT})]


def chain(inputs=None, outputs=None, out_bindings=(), nodes=None) -> list[dict]:
    """Task 'a' (x: int -> y: int, z: int) and a workflow running it as node 'n'."""
    nodes = nodes or [task_node("n", "a", [bind("x", promise("x"))])]
    return [task("a", {"x": INT}, {"y": INT, "z": INT}),
            wf("w", nodes, inputs if inputs is not None else {"x": INT}, outputs, out_bindings)]


# ---- running ---------------------------------------------------------------------------------
def run(tmp_path: Path, docs: list[dict], **lint_options) -> list:
    paths = []
    for i, d in enumerate(docs):
        p = tmp_path / f"doc{i:02d}.json"
        p.write_text(json.dumps(d, indent=1))
        paths.append(p)
    result = driver.compile_paths(driver.Options(paths=paths, use_config=False,
                                                 lint_options=lint_options, policy=EVERY_RULE))
    errors = [d for d in result.diagnostics if d.severity == "error"]
    assert errors == [], [f"{d.code} {d.message}" for d in errors]
    return result.diagnostics


# every lint rule, the opt-in ones too (the configuration's extend-select = ["SPC6"])
EVERY_RULE = Policy(extend_select=("SPC6",))


@dataclass(frozen=True)
class Case:
    id: str
    code: str
    docs: list
    want: tuple = ()  # substrings, one per expected diagnostic of ``code``, in order
    options: dict = field(default_factory=dict)


def case(id_: str, code: str, docs, *want: str, **options) -> Case:
    return Case(id_, code, docs, want, options)


def _node_meta(n: dict, **md) -> dict:
    return {**n, "metadata": md}


CASES = [
    # -- SPC601 cache-without-version
    case("cached-no-version", "SPC601", [task(metadata={"discoverable": True})],
         "task 't' is cached but has no cache version; set 'metadata.discoveryVersion'"),
    case("cached-with-version", "SPC601",
         [task(metadata={"discoverable": True, "discoveryVersion": "1"})]),
    case("not-cached", "SPC601", [task(metadata={"discoverable": False})]),
    case("node-turns-cache-on", "SPC601",
         chain(nodes=[_node_meta(task_node("n", "a", [bind("x", promise("x"))]),
                                 cacheable=True)]),
         "node 'n' of workflow 'w' is cached but has no cache version; set "
         "'metadata.cacheVersion'"),
    case("node-cache-with-version", "SPC601",
         chain(nodes=[_node_meta(task_node("n", "a", [bind("x", promise("x"))]),
                                 cacheable=True, cacheVersion="2")])),
    # -- SPC602 cache-serialize-without-cache
    case("serialize-not-cached", "SPC602", [task(metadata={"cacheSerializable": True})],
         "task 't' sets 'cacheSerializable' but is not cached"),
    case("serialize-cached", "SPC602",
         [task(metadata={"cacheSerializable": True, "discoverable": True,
                         "discoveryVersion": "1"})]),
    case("node-serialize-not-cached", "SPC602",
         chain(nodes=[_node_meta(task_node("n", "a", [bind("x", promise("x"))]),
                                 cacheSerializable=True)]),
         "node 'n' of workflow 'w' sets 'cacheSerializable'"),
    case("node-serialize-node-cached", "SPC602",
         chain(nodes=[_node_meta(task_node("n", "a", [bind("x", promise("x"))]),
                                 cacheSerializable=True, cacheable=True, cacheVersion="1")])),
    # -- SPC603 mutable-image-tag
    case("image-latest", "SPC603", [task(container={"image": "ghcr.io/example/shop:latest"})],
         "image 'ghcr.io/example/shop:latest' of task 't' uses the tag 'latest'"),
    case("image-untagged", "SPC603", [task(container={"image": "ghcr.io/example/shop"})],
         "has no tag, which means 'latest'"),
    case("image-registry-port-untagged", "SPC603",
         [task(container={"image": "localhost:5000/shop"})], "has no tag"),
    case("image-registry-port-tagged", "SPC603",
         [task(container={"image": "localhost:5000/shop:1.2"})]),
    case("image-digest", "SPC603",
         [task(container={"image": "ghcr.io/example/shop@sha256:" + "a" * 64})]),
    case("image-placeholder", "SPC603",
         [task(container={"image": "{{.image.default.fqn}}:{{.image.default.version}}"})]),
    case("pod-container-untagged", "SPC603",
         [pod_task("p", {"name": "main", "image": IMAGE}, {"name": "proxy", "image": "envoy"})],
         "image 'envoy' of container 'proxy' of task 'p' has no tag"),
    # -- SPC604 requests-without-limits
    case("cpu-without-limit", "SPC604",
         [task(container={"resources": {"requests": [{"name": "CPU", "value": "1"}]}})],
         "task 't' requests cpu without a limit"),
    case("cpu-with-limit", "SPC604",
         [task(container={"resources": {"requests": [{"name": "CPU", "value": "1"}],
                                        "limits": [{"name": "CPU", "value": "2"}]}})]),
    case("memory-without-limit", "SPC604",
         [task(container={"resources": {
             "requests": [{"name": "CPU", "value": "1"}, {"name": "MEMORY", "value": "1Gi"},
                          {"name": "EPHEMERAL_STORAGE", "value": "1Gi"}],
             "limits": [{"name": "CPU", "value": "2"}]}})],
         "requests memory and ephemeral-storage without a limit"),
    case("gpu-request-only", "SPC604",
         [task(container={"resources": {"requests": [{"name": "GPU", "value": "1"}]}})]),
    case("pod-container-without-limit", "SPC604",
         [pod_task("p", {"name": "main", "image": IMAGE,
                         "resources": {"requests": {"memory": "1Gi"}}})],
         "container 'main' of task 'p' requests memory without a limit"),
    case("pod-container-with-limit", "SPC604",
         [pod_task("p", {"name": "main", "image": IMAGE,
                         "resources": {"requests": {"memory": "1Gi"},
                                       "limits": {"memory": "2Gi"}}})]),
    # -- SPC605 interruptible-without-retries
    case("interruptible-no-retries", "SPC605", [task(metadata={"interruptible": True})],
         "task 't' is interruptible but has no retries"),
    case("interruptible-zero-retries", "SPC605",
         [task(metadata={"interruptible": True, "retries": {}})], "task 't' is interruptible"),
    case("interruptible-with-retries", "SPC605",
         [task(metadata={"interruptible": True, "retries": {"retries": 2}})]),
    case("not-interruptible", "SPC605", [task(metadata={"interruptible": False})]),
    case("node-makes-interruptible", "SPC605",
         chain(nodes=[_node_meta(task_node("n", "a", [bind("x", promise("x"))]),
                                 interruptible=True)]),
         "node 'n' of workflow 'w' is interruptible but has no retries"),
    case("node-interruptible-node-retries", "SPC605",
         chain(nodes=[_node_meta(task_node("n", "a", [bind("x", promise("x"))]),
                                 interruptible=True, retries={"retries": 1})])),
    case("node-interruptible-task-retries", "SPC605",
         [task("a", {"x": INT}, {"y": INT}, metadata={"retries": {"retries": 3}}),
          wf("w", [_node_meta(task_node("n", "a", [bind("x", promise("x"))]),
                              interruptible=True)], {"x": INT})]),
    # -- SPC606 timeout-above-maximum (off by default)
    case("timeout-no-maximum", "SPC606", [task(metadata={"timeout": "100000s"})]),
    case("timeout-above", "SPC606", [task(metadata={"timeout": "86400s"})],
         "timeout 1d of task 't' is longer than the maximum 12h (lint option 'max-timeout')",
         **{"timeout-above-maximum": {"max-timeout": "12h"}}),
    case("timeout-equal", "SPC606", [task(metadata={"timeout": "43200s"})],
         **{"timeout-above-maximum": {"max-timeout": "12h"}}),
    case("timeout-below", "SPC606", [task(metadata={"timeout": "3600s"})],
         **{"timeout-above-maximum": {"max-timeout": "1h30m"}}),
    case("timeout-fraction", "SPC606", [task(metadata={"timeout": "90.5s"})],
         "timeout 90.5s of task 't' is longer than the maximum 1m30s",
         **{"timeout-above-maximum": {"max-timeout": 90}}),
    case("node-timeout-above", "SPC606",
         chain(nodes=[_node_meta(task_node("n", "a", [bind("x", promise("x"))]),
                                 timeout="7200s")]),
         "timeout 2h of node 'n' of workflow 'w' is longer than the maximum 1h",
         **{"timeout-above-maximum": {"max-timeout": 3600}}),
    case("timeout-option-off", "SPC606", [task(metadata={"timeout": "86400s"})],
         **{"timeout-above-maximum": {"max-timeout": False}}),
    # -- SPC607 secret-without-group
    case("secret-without-group", "SPC607",
         [task(securityContext={"secrets": [{"key": "token", "mountRequirement": "ENV_VAR"}]})],
         "secret 'token' of task 't' has no 'group'"),
    case("secret-with-group", "SPC607",
         [task(securityContext={"secrets": [{"group": "slack", "key": "token"}]})]),
    case("launch-plan-secret-without-group", "SPC607",
         [*chain(), lp("w", "w", defaults={"x": (INT, S.integer(1))},
                       securityContext={"secrets": [{}]})],
         "secret 0 of launch plan 'w' has no 'group'"),
    # -- SPC608 secret-in-env
    case("password-in-env", "SPC608",
         [task(container={"env": [{"key": "DB_HOST", "value": "db"},
                                  {"key": "DB_PASSWORD", "value": "hunter2"}]})],
         "environment variable 'DB_PASSWORD' of task 't' holds a literal value"),
    case("harmless-env", "SPC608",
         [task(container={"env": [{"key": "DB_PASSWORD", "value": "{{ .secrets.db }}"},
                                  {"key": "TOKEN_FILE", "value": "/etc/token"},
                                  {"key": "GITHUB_TOKEN", "value": "/var/run/token"},
                                  {"key": "TOKENIZERS_PARALLELISM", "value": "false"},
                                  {"key": "AWS_ACCESS_KEY_ID", "value": "AKIAEXAMPLE"},
                                  {"key": "USE_TOKEN", "value": "true"},
                                  {"key": "API_KEY", "value": ""}]})]),
    case("pod-token-in-env", "SPC608",
         [pod_task("p", {"name": "main", "image": IMAGE,
                         "env": [{"name": "GITHUB_TOKEN", "value": "ghp_abc"},
                                 {"name": "HF_TOKEN", "valueFrom": {"secretKeyRef": {}}}]})],
         "environment variable 'GITHUB_TOKEN' of container 'main' of task 'p'"),
    # -- SPC609 unused-workflow-input
    case("input-unused", "SPC609", chain(inputs={"x": INT, "region": STR}),
         "input 'region' of workflow 'w' is never used"),
    case("inputs-all-used", "SPC609", chain()),
    case("input-only-returned", "SPC609",
         chain(inputs={"x": INT, "tag": STR}, outputs={"tag": STR},
               out_bindings=[bind("tag", promise("tag"))])),
    case("input-used-in-branch", "SPC609",
         [task("t"), task("u", {"v": INT}),
          wf("w", [S.branch_node("b", if_else(
              if_block(compare(var("x"), lit(1), "GT"), task_node("c", "u",
                                                                  [bind("v", promise("y"))])),
              else_node=task_node("e", "t")), inputs=[bind("x", promise("x"))])],
             {"x": INT, "y": INT})]),
    case("input-used-by-failure-node", "SPC609",
         [*chain()[:1], task("u", {"v": INT}),
          wf("w", chain()[1]["template"]["nodes"], {"x": INT, "y": INT},
             failure_node=task_node("fail", "u", [bind("v", promise("y"))]))]),
    # -- SPC610 unused-node-output
    case("output-unused", "SPC610", chain(outputs={"y": INT},
                                          out_bindings=[bind("y", promise("y", "n"))]),
         "output 'z' of node 'n' is never used: no node takes it and workflow 'w' does not "
         "return it"),
    case("outputs-unused", "SPC610", chain(), "outputs 'y' and 'z' of node 'n' are never used"),
    case("outputs-all-used", "SPC610",
         [task("a", {"x": INT}, {"y": INT, "z": INT}), task("s", {"v": INT}, {"r": INT}),
          wf("w", [task_node("n", "a", [bind("x", promise("x"))]),
                   task_node("m", "s", [bind("v", promise("z", "n"))])],
             {"x": INT}, {"y": INT, "r": INT},
             [bind("y", promise("y", "n")), bind("r", promise("r", "m"))])]),
    case("approve-gate-not-reported", "SPC610",
         [task("a", {"x": INT}, {"y": INT}),
          wf("w", [task_node("n", "a", [bind("x", promise("x"))]),
                   S.gate_node("g", {"approve": {"signalId": "ok"}},
                               [bind("y", promise("y", "n"))])],
             {"x": INT})]),
    # -- SPC611 dead-branch-case
    case("contradiction", "SPC611",
         branch_wf(conjunction(compare(var("x"), lit(5), "GT"), compare(var("x"), lit(3), "LT"))),
         "the if-case of branch 'b' can never be true: no value of 'x' satisfies x > 5 and x < 3"),
    case("literal-false", "SPC611", branch_wf(compare(lit(1), lit(2), "EQ")),
         "can never be true: 1 == 2 compares two literals and is false"),
    case("literal-true", "SPC611", branch_wf(compare(lit("a"), lit("a"), "EQ")),
         "the if-case of branch 'b' is always true, so the else is never taken"),
    case("tautology-before-others", "SPC611",
         branch_wf(conjunction(compare(var("x"), lit(3), "GT"), compare(var("x"), lit(3), "LTE"),
                               "OR"),
                   compare(var("x"), lit(0), "EQ")),
         "the if-case of branch 'b' is always true, so the cases after it and the else are "
         "never taken"),
    case("shadowed", "SPC611",
         branch_wf(compare(var("x"), lit(5), "GT"), compare(var("x"), lit(10), "GT")),
         "else-if case 1 of branch 'b' is never taken: whenever it holds, an earlier case holds"),
    case("not-shadowed", "SPC611",
         branch_wf(compare(var("x"), lit(10), "GT"), compare(var("x"), lit(5), "GT"))),
    case("shadowed-by-union-of-earlier", "SPC611",
         branch_wf(compare(var("x"), lit(0), "LT"), compare(var("x"), lit(10), "GTE"),
                   conjunction(compare(var("x"), lit(0), "GTE"), compare(var("x"), lit(10), "LT")),
                   compare(var("x"), lit(5), "EQ")),
         "else-if case 3 of branch 'b' is never taken"),
    case("int-gap", "SPC611",
         branch_wf(conjunction(compare(var("x"), lit(3), "GT"), compare(var("x"), lit(4), "LT"))),
         "no value of 'x' satisfies x > 3 and x < 4"),
    case("int-excluded", "SPC611",
         branch_wf(conjunction(conjunction(compare(var("x"), lit(1), "GTE"),
                                           compare(var("x"), lit(2), "LTE")),
                               conjunction(compare(var("x"), lit(1), "NEQ"),
                                           compare(var("x"), lit(2), "NEQ")))),
         "can never be true"),
    case("float-gap-is-fine", "SPC611",
         branch_wf(conjunction(compare(var("x"), lit(3.0), "GT"),
                               compare(var("x"), lit(4.0), "LT")),
                   inputs={"x": FLOAT})),
    case("float-point", "SPC611",
         branch_wf(conjunction(compare(var("x"), lit(3.0), "GT"),
                               compare(var("x"), lit(3.0), "LTE")),
                   inputs={"x": FLOAT}),
         "no value of 'x' satisfies x > 3.0 and x <= 3.0"),
    case("strings", "SPC611",
         branch_wf(conjunction(compare(var("s"), lit("a")), compare(var("s"), lit("b"))),
                   inputs={"s": STR}),
         'no value of \'s\' satisfies s == "a" and s == "b"'),
    case("string-below-empty", "SPC611", branch_wf(compare(var("s"), lit(""), "LT"),
                                                   inputs={"s": STR}),
         "can never be true"),
    case("booleans", "SPC611",
         branch_wf(compare(var("f"), lit(True)), compare(var("f"), lit(False)),
                   compare(var("f"), lit(True), "NEQ"), inputs={"f": BOOL}),
         "else-if case 2 of branch 'b' is never taken"),
    case("two-inputs", "SPC611",
         branch_wf(conjunction(compare(var("x"), lit(5), "GT"), compare(var("y"), lit(3), "LT")),
                   compare(var("x"), var("y"), "GT"), inputs={"x": INT, "y": INT})),
    case("either-way", "SPC611",
         branch_wf(conjunction(compare(var("x"), lit(5), "GT"), compare(var("x"), lit(3), "LT"),
                               "OR"))),
    case("deprecated-primitive-operand", "SPC611",
         branch_wf(conjunction(compare(var("x"), S.int_operand(5), "GT"),
                               compare(S.int_operand(3), var("x"), "GT"))),
         "no value of 'x' satisfies x > 5 and x < 3"),
    case("nested-branch", "SPC611",
         [task("t"),
          wf("w", [S.branch_node("outer", if_else(
              if_block(compare(var("x"), lit(0), "GT"),
                       S.branch_node("inner", if_else(
                           if_block(compare(var("x"), lit(0), "LT"), task_node("c", "t")),
                           else_node=task_node("e", "t")), inputs=[bind("x", promise("x"))])),
              else_node=task_node("e", "t")), inputs=[bind("x", promise("x"))])], {"x": INT})],
         "the if-case of branch 'outer-inner' is never taken: it contradicts the case of branch "
         "'outer' that leads to it"),
    case("nested-branch-consistent", "SPC611", nested(
        compare(var("x"), lit(100), "GT"),
        compare(var("x"), lit(10000), "GT"), compare(var("x"), lit(1000), "GT"))),
    case("nested-branch-other-source", "SPC611", nested(
        compare(var("x"), lit(0), "GT"), compare(var("x"), lit(0), "LT"), inner_source="y")),
    case("nested-branch-in-else", "SPC611", nested(
        compare(var("x"), lit(0), "GT"), compare(var("x"), lit(5), "GT"), in_else=True),
         "the if-case of branch 'outer-inner' is never taken: it contradicts"),
    # -- SPC612 no-launch-plan-with-inputs
    case("default-lp-leaves-input", "SPC612", [*chain(), lp("w", "w", required={"x": INT})],
         "workflow 'w' can only be started by hand: no launch plan gives all its inputs a value "
         "(launch plan 'w' leaves 'x' without one)"),
    case("default-lp-gives-default", "SPC612",
         [*chain(), lp("w", "w", defaults={"x": (INT, S.integer(1))})]),
    case("no-launch-plan", "SPC612", chain()),
    case("second-lp-fixes-input", "SPC612",
         [*chain(), lp("w", "w", required={"x": INT}), lp("w.nightly", "w",
                                                          fixed={"x": S.integer(3)})]),
    case("two-incomplete-lps", "SPC612",
         [*chain(inputs={"x": INT, "y": INT}), lp("w", "w", required={"x": INT, "y": INT}),
          lp("w.half", "w", fixed={"x": S.integer(3)})],
         "(each of its 2 launch plans leaves some without one)"),
    case("sub-workflow-not-reported", "SPC612",
         [*chain(), lp("w", "w", required={"x": INT}),
          wf("outer", [S.sub_workflow_node("s", "w", [bind("x", S.integer(1))])])]),
    case("no-inputs", "SPC612",
         [task("t"), wf("w", [task_node("n", "t")]), lp("w", "w")]),
    # -- SPC613 deprecated-field
    case("cron-expression", "SPC613",
         [task("t"), wf("w", [task_node("n", "t")]),
          lp("w", "w", entityMetadata={"schedule": {"cronExpression": "0 * * * *"}})],
         "'cronExpression' of admin.Schedule is deprecated; use 'cronSchedule"),
    case("cron-schedule", "SPC613",
         [task("t"), wf("w", [task_node("n", "t")]),
          lp("w", "w", entityMetadata={"schedule": {"cronSchedule": {"schedule": "0 * * * *"}}})]),
    case("container-config", "SPC613",
         [task(container={"config": [{"key": "k", "value": "v"}]})],
         "'config' of core.Container is deprecated; use the task template's 'config' instead"),
    case("auth-role", "SPC613",
         [task("t"), wf("w", [task_node("n", "t")]),
          lp("w", "w", authRole={"kubernetesServiceAccount": "sa"})],
         "'authRole' of admin.LaunchPlanSpec is deprecated"),
    case("primitive-operand-not-reported", "SPC613",
         branch_wf(compare(var("x"), S.int_operand(5), "GT"))),
]


@pytest.mark.parametrize("c", CASES, ids=[f"{c.code}-{c.id}" for c in CASES])
def test_rule(c: Case, tmp_path):
    got = [d.message for d in run(tmp_path, c.docs, **c.options) if d.code == c.code]
    assert len(got) == len(c.want), got
    for message, want in zip(got, c.want, strict=False):
        assert want in message


def test_every_rule_has_cases():
    positive = {c.code for c in CASES if c.want}
    negative = {c.code for c in CASES if not c.want}
    rules = {r.code for r in lint.rules()}
    assert rules - positive == set() and rules - negative == set()


# ---- warnings do not fail a run ------------------------------------------------------------
def test_warnings_exit_zero_and_are_counted(tmp_path):
    from click.testing import CliRunner

    from specc import cli

    (tmp_path / "t.json").write_text(json.dumps(task(metadata={"discoverable": True})))
    r = CliRunner().invoke(cli.main, ["compile", "--no-context", "--format", "json",
                                      str(tmp_path / "t.json")])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["summary"]["errors"] == 0 and out["summary"]["warnings"] == 1
    assert [d["code"] for d in out["diagnostics"]] == ["SPC601"]


def test_lint_runs_on_specs_with_errors(tmp_path):
    """Passes after resolve-references always run: a type error does not hide the warnings."""
    docs = [task("a", {"x": STR}, {"y": INT}, metadata={"discoverable": True}),
            wf("w", [task_node("n", "a", [bind("x", promise("x"))])], {"x": INT})]
    paths = []
    for i, d in enumerate(docs):
        (tmp_path / f"{i}.json").write_text(json.dumps(d))
        paths.append(tmp_path / f"{i}.json")
    r = driver.compile_paths(driver.Options(paths=paths, use_config=False, policy=EVERY_RULE))
    assert {d.code for d in r.diagnostics} == {"SPC401", "SPC601", "SPC610"}


# ---- options ---------------------------------------------------------------------------------
@pytest.mark.parametrize("lint_options,problem", [
    ({"timeout-above-maximum": {"max-timeout": "12h"}}, None),
    ({"timeout-above-maximum": {"max-timeout": 3600}}, None),
    ({"timeout-above-maximum": {"max-timeout": False}}, None),
    ({"timeout-above-maximum": {}}, None),
    ({"timeout-above-maximum": {"max-timeout": "soon"}},
     ("timeout-above-maximum.max-timeout", "must be a duration")),
    ({"timeout-above-maximum": {"max-timeout": -1}},
     ("timeout-above-maximum.max-timeout", "must not be negative")),
    ({"timeout-above-maximum": {"max-timeout": True}},
     ("timeout-above-maximum.max-timeout", "must be a duration")),
    ({"timeout-above-maximum": {"limit": "1h"}},
     ("timeout-above-maximum.limit", "is not an option of rule 'timeout-above-maximum' (its "
                                     "options: max-timeout)")),
    ({"mutable-image-tag": {"allow-latest": True}},
     ("mutable-image-tag.allow-latest", "(its options: none)")),
    ({"max-timeout": {"limit": "1h"}}, ("max-timeout", "is not a lint rule specc has")),
])
def test_option_problems(lint_options, problem):
    got = lint.option_problems(lint_options)
    if problem is None:
        assert got == []
    else:
        assert len(got) == 1 and got[0][0] == problem[0] and problem[1] in got[0][1], got


def test_bad_option_in_configuration_is_a_usage_error(tmp_path):
    from click.testing import CliRunner

    from specc import cli

    (tmp_path / ".git").mkdir()
    (tmp_path / "specc.toml").write_text('[lint.timeout-above-maximum]\nmax-timeout = "soon"\n')
    (tmp_path / "t.json").write_text(json.dumps(task()))
    r = CliRunner().invoke(cli.main, ["compile", str(tmp_path / "t.json")])
    assert r.exit_code == 2, r.output
    assert "specc.toml: 'lint.timeout-above-maximum.max-timeout' must be a duration" in r.output


def test_option_from_configuration_reaches_the_rule(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "pyproject.toml").write_text(
        '[tool.specc.lint.timeout-above-maximum]\nmax-timeout = "30m"\n')
    (tmp_path / "t.json").write_text(json.dumps(task(metadata={"timeout": "3600s"})))
    r = driver.compile_paths(driver.Options(paths=[tmp_path / "t.json"]))
    assert [(d.code, d.message) for d in r.diagnostics] == [
        ("SPC606", "timeout 1h of task 't' is longer than the maximum 30m (lint option "
                   "'max-timeout')")]


@pytest.mark.parametrize("text,seconds", [
    ("90s", 90), ("15m", 900), ("2h", 7200), ("1d", 86400), ("1h30m", 5400), ("3600s", 3600),
    ("1.5s", 1.5), ("0.000000001s", 1e-9), ("", None), ("h", None), ("1x", None), ("1m1h", None),
])
def test_parse_duration(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("seconds,text", [(86400, "1d"), (5400, "1h30m"), (90, "1m30s"),
                                          (1.5, "1.5s"), (0, "0s"), (93784, "1d2h3m4s")])
def test_show_duration(seconds, text):
    assert show_duration(seconds) == text


# ---- unit checks of the rules' helpers ----------------------------------------------------------
@pytest.mark.parametrize("image,problem", [
    ("busybox", "has no tag"), ("busybox:latest", "uses the tag 'latest'"),
    ("busybox:1.36", None), ("registry:5000/team/app", "has no tag"),
    ("registry:5000/team/app:latest", "latest"), ("registry:5000/team/app:v2", None),
    ("app@sha256:" + "0" * 64, None), ("app:latest@sha256:" + "0" * 64, None),
    ("{{.image.trainer.fqn}}", None), ("", None), (None, None), ("app:latest-gpu", None),
])
def test_image_problem(image, problem):
    got = mutable_image_tag.problem(image)
    assert (got is None) == (problem is None) and (problem is None or problem in got)


@pytest.mark.parametrize("name,value,secret", [
    ("DB_PASSWORD", "hunter2", True), ("db-password", "hunter2", True), ("PASSWORD", "x1", True),
    ("AWS_SECRET_ACCESS_KEY", "abc", True), ("OPENAI_API_KEY", "sk-1", True),
    ("CLIENT_SECRET", "s", True), ("GITHUB_TOKEN", "ghp_1", True),
    ("AWS_ACCESS_KEY_ID", "AKIA", False), ("TOKENIZERS_PARALLELISM", "abc", False),
    ("PASSWORD_FILE", "abc", False), ("GITHUB_TOKEN", "${GITHUB_TOKEN}", False),
    ("GITHUB_TOKEN", "$(TOKEN)", False), ("GITHUB_TOKEN", "~/token", False),
    ("SECRET", "on", False), ("SECRET", None, False),
])
def test_looks_secret(name, value, secret):
    assert secret_in_env.looks_secret(name, value) is secret


def test_dead_branch_gives_up_on_huge_conditions():
    """A condition whose normal form would be huge is assumed satisfiable, never reported."""
    cond = compare(var("x"), lit(0), "GT")
    for i in range(12):
        cond = conjunction(cond, conjunction(compare(var("x"), lit(i), "EQ"),
                                             compare(var("x"), lit(i + 100), "EQ"), "OR"))
    e = dead_branch_case.expression(cond, {"x": "int"})
    assert dead_branch_case._unsat(e) is None


# ---- the registry ----------------------------------------------------------------------------
def test_registry_matches_the_catalogue():
    rules = lint.rules()
    assert len({r.name for r in rules}) == len(rules) == len(lint.RULES)
    lint_codes = sorted(c for c in codes.CODES if c.startswith("SPC6"))
    assert sorted(r.code for r in rules) == lint_codes
    for r in rules:
        entry = codes.CODES[r.code]
        assert entry.severity == "warning" and entry.name == r.name and entry.flyte_code is None
        assert r.summary and len(r.rationale) > 200, f"{r.code}: give the rule a rationale"


def test_lint_pass_runs_after_registration_checks():
    from specc.passes import PASSES

    names = [p.name for p in PASSES]
    assert names.index("lint") == names.index("check-registration") + 1
    assert names.index("lint") < names.index("emit-closure")
    assert not PASSES[names.index("lint")].stops


# ---- real inputs -----------------------------------------------------------------------------
def _lint_counts(result) -> dict[str, int]:
    return dict(collections.Counter(d.code for d in result.diagnostics if d.pass_name == "lint"))


def test_example_is_clean():
    r = driver.compile_paths(driver.Options(paths=[REPO / "examples"]))
    assert r.diagnostics == []


def test_pyflyte_bundle_findings():
    """What the rules say about the pyflyte bundle with every node kind (all true: see
    fixtures/flytekit/every_node_kind/workflows.py)."""
    r = driver.compile_paths(driver.Options(
        paths=[REPO / "fixtures" / "flytekit" / "every_node_kind" / "bundle.tgz"],
        policy=EVERY_RULE))
    got = sorted((d.code, d.message.split(";")[0].split(":")[0]) for d in r.diagnostics
                 if d.pass_name == "lint")
    assert got == [
        ("SPC605", "node 'echo' of workflow 'workflows.every_node_kind' is interruptible but "
                   "has no retries, so one preemption that surfaces as an error fails it"),
        ("SPC609", "input 'factor' of workflow 'workflows.scaled_wf' is never used"),
        ("SPC610", "output 'echoed' of node 'echo' is never used"),
        ("SPC610", "output 'o0' of node 'n8' is never used"),
        # no SPC612: its scheduled launch plan fixes or defaults every input but the kickoff
        # time input, which the scheduler fills
    ]


def test_conformance_corpus_findings():
    """Flyte's snacks-core corpus: no errors, and these warnings (counted per code)."""
    files = sorted(need(CONFORMANCE / "flyte-compiler" / "snacks-core").glob("*.pb"))
    r = driver.compile_paths(driver.Options(paths=files, policy=EVERY_RULE))
    assert r.errors == 0
    assert _lint_counts(r) == {"SPC610": 5, "SPC612": 29}
    # by default (the opt-in rules off), idiomatic flytekit code gets no warning at all
    r = driver.compile_paths(driver.Options(paths=files))
    assert r.diagnostics == []


# ---- the default rule set on real flytekit bundles -------------------------------------------
# What a default run (no configuration: the opt-in rules SPC604, SPC610 and SPC612 off) reports on
# every pyflyte bundle in fixtures/flytekit/, per bundle and rule. Each warning left is one a
# Flyte user would want (see the sources next to the bundles):
DEFAULT_FINDINGS = {
    "bundles/arrays.tgz": {},
    "bundles/branches.tgz": {},
    "bundles/chain.tgz": {},
    "bundles/launchplans.tgz": {},
    # workflow 'outer' declares 'label' and never uses it (src/subworkflows.py)
    "bundles/subworkflows.tgz": {"SPC609": 1},
    "diff/shop-v1.tgz": {},
    # v2 adds the input 'tag' to 'pipeline' and passes it nowhere (diff/v2/shop.py)
    "diff/shop-v2.tgz": {"SPC609": 1},
    # 'scaled_wf' takes 'factor' (which its launch plan even sets to 4) and ignores it; node
    # 'echo' is made interruptible with no retries (every_node_kind/workflows.py)
    "every_node_kind/bundle.tgz": {"SPC605": 1, "SPC609": 1},
    "references/bundle.tgz": {},
}
# With every rule selected, the opt-in rules add these on the same bundles: SPC612 on five of
# them (workflows started with inputs, as most are), SPC610 where a workflow drops an output it
# did not want ('verdict, _ = report(...)'), SPC604 where a task requests without limits (Flyte
# then uses the request as the limit).
OPT_IN_FINDINGS = {"SPC604": 2, "SPC610": 3, "SPC612": 5}


def test_default_rule_set_on_real_bundles():
    root = REPO / "fixtures" / "flytekit"
    bundles = sorted(root.rglob("*.tgz"))
    assert sorted(p.relative_to(root).as_posix() for p in bundles) == sorted(DEFAULT_FINDINGS)
    opt_in = {c.code for c in codes.CODES.values() if c.opt_in}
    assert opt_in == {"SPC604", "SPC610", "SPC612"}
    extra: collections.Counter = collections.Counter()
    for bundle in bundles:
        name = bundle.relative_to(root).as_posix()
        r = driver.compile_paths(driver.Options(paths=[bundle], use_config=False, cache=False))
        assert r.errors == 0, name
        counts = _lint_counts(r)
        assert not set(counts) & opt_in, f"{name}: an opt-in rule reported by default: {counts}"
        assert counts == DEFAULT_FINDINGS[name], name
        assert all(d.pass_name == "lint" for d in r.diagnostics), name
        every = _lint_counts(driver.compile_paths(driver.Options(
            paths=[bundle], use_config=False, cache=False, policy=EVERY_RULE)))
        extra.update({c: n - counts.get(c, 0) for c, n in every.items()})
    assert {c: n for c, n in extra.items() if n} == OPT_IN_FINDINGS


def test_default_rule_set_on_flytectl_corpus():
    """The bundles of flytectl's own tests (../shared/conformance/flytectl): by default only
    SPC613, on launch plans old flytekit versions wrote with the deprecated 'authRole'."""
    bundles = sorted(need(CONFORMANCE / "flytectl").rglob("*.tgz"))
    counts: collections.Counter = collections.Counter()
    for bundle in bundles:
        r = driver.compile_paths(driver.Options(paths=[bundle], use_config=False, cache=False))
        counts.update(_lint_counts(r))
    assert dict(counts) == {"SPC613": 25}
