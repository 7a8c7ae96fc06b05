"""Flyte's own compiler unit tests, ported to serialized specs and run through specc.

Source: flyteorg/flyte at 241cc76ae7420dde52f33e2a839884f9f43b2fcc (tag flyteidl/v1.16.8),
``flytepropeller/pkg/compiler/``: ``validators/{bindings,branch,node,interface}_test.go``,
``workflow_compiler_test.go`` and ``requirements_test.go`` (there is no ``condition_test.go``; the
condition tests live in ``workflow_compiler_test.go``). Each case is named after the Go test and
subtest it ports. The Go tests call single validators on mocked builders; a serialized spec always
goes through the whole ``CompileWorkflow``. So each port is the Go input written as task, workflow
and launch-plan documents, completed where the whole compiler needs more than the unit under test
(a binding for a required input, a default for a branch, ...); every completion is commented. The
expected verdict is what Flyte asserts for the unit under test, and what ``CompileWorkflow`` then
returns for the whole serialized input (read from the Go source where the test asserts only
"an error").

A case lists:
* ``flyte``: the set of Flyte compiler error codes for the input (empty: it compiles);
* ``must``: the codes specc must report; by default all of ``flyte``. It is smaller only where
  specc stops after resolve-references (its errors make type checks meaningless) and so leaves out
  a code Flyte collects in the same pass; each such case says so;
* ``specc_only``: specc codes without a Flyte equivalent (``flyte_code`` None) that specc reports
  on purpose for this input (FlyteAdmin registration checks, reserved ids);
* ``check``: an extra assertion on the result (the compiled closure, a resolved interface).

specc must report no error whose ``flyte_code`` is outside ``flyte``, and no other specc-only
error. Where specc and Flyte disagree, the case is a strict xfail that says why.

Not ported (no serialized equivalent; they test Go internals):
* interface_test.go TestValidateUnderlyingInterface/Workflow_Node/Self, first half: a workflow
  template whose interface is nil. ``ValidateWorkflow`` replaces a nil workflow interface by an
  empty one (``wf.CoreWorkflow.Template.Interface, ok = v.ValidateInterface(...)``) before any
  node is validated, so ``ValueRequired(WorkflowNode.Interface)`` cannot be reached from a spec.
* interface_test.go .../Workflow_Node/Subwf, first half: the node is still the launch-plan node of
  .../LP_Ref's first half (the reference is switched to a sub-workflow only afterwards): the same
  input and verdict as ``LP_Ref (not found)``, ported once.
* workflow_compiler_test.go TestValidateReachable: the error comes from the mocked node index (one
  node with an empty id that is not in the edge map), not from the edges, which are acyclic and all
  reachable; no workflow serializes to that index. ``validateReachable`` itself is covered by two
  cases derived from its source (cycle, unreachable nodes).

Ported with a change of subject: interface_test.go TestValidateInterface/* call ValidateInterface
on a bare interface; they are ported on the workflow interface, which ValidateWorkflow passes
through the same function. node_test.go TestValidateNode/Sort upstream node ids mocks a node with
no target but a preset interface; it is ported with a task target (a node without a target is
ValueRequired, covered by TestValidateUnderlyingInterface/Invalid empty node).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from tests import specs as S
from tests.specs import (
    BOOL,
    FLOAT,
    INT,
    NONE,
    STR,
    bind,
    collection,
    enum,
    integer,
    list_of,
    map_of,
    promise,
    tagged,
    task,
    task_node,
    union,
    workflow,
)


@dataclass(frozen=True)
class Case:
    docs: list
    flyte: frozenset = frozenset()
    must: frozenset | None = None
    specc_only: frozenset = frozenset()
    check: Callable | None = None
    n_errors: int | None = None  # how many error diagnostics, where the Go test counts them


def case(docs, flyte=(), *, must=None, specc_only=(), check=None, n_errors=None) -> Case:
    return Case(list(docs), frozenset(flyte), None if must is None else frozenset(must),
                frozenset(specc_only), check, n_errors)


def xfail(reason: str):
    return pytest.mark.xfail(strict=True, reason=reason)


# -- checks on the result --------------------------------------------------------------------------
def _closure(result, name: str) -> dict:
    for wf, c in result.closures:
        if wf.id.name == name:
            return c
    names = [w.id.name for w, _ in result.closures]
    raise AssertionError(f"no closure for {name}: {names}")


def _node_interface(result, wf_name: str, node_id: str):
    for wf in result.program.workflows.values():
        if wf.id.name == wf_name:
            return result.resolution.interface(result.resolution.index[wf][node_id])
    raise AssertionError(f"no workflow {wf_name}")


def downstream(wf_name: str, expected: dict[str, list[str]]):
    def check(result):
        got = _closure(result, wf_name)["primary"]["connections"]["downstream"]
        assert {k: v["ids"] for k, v in got.items()} == expected

    return check


def upstream_of(wf_name: str, node: str, ids: list[str]):
    def check(result):
        assert _closure(result, wf_name)["primary"]["connections"]["upstream"][node]["ids"] == ids

    return check


def node_interface(wf_name: str, node_id: str, inputs: dict | None, outputs: dict):
    """The node's resolved interface (inputs None: not checked)."""
    def check(result):
        iface = _node_interface(result, wf_name, node_id)
        assert iface is not None
        if inputs is not None:
            assert iface.inputs == inputs
        assert iface.outputs == outputs

    return check


# -- validators/bindings_test.go: TestValidateBindings ---------------------------------------------
# The unit is ValidateBindings(node1, bindings, params): a task 't' with inputs ``params`` run by
# node 'node1'; promises read output 'n2_out' of node 'n2' (task 'up').
def bindings(params: dict, binds: list, n2_out: dict | None = None):
    nodes = [task_node("node1", "t", binds)]
    docs = [task("t", inputs=params)]
    if n2_out is not None:
        nodes.insert(0, task_node("n2", "up"))
        docs.append(task("up", outputs={"n2_out": n2_out}))
    return [*docs, workflow("wf", nodes)]


STR_T, INT_T = tagged(STR, "str"), tagged(INT, "int")
B = "bindings_test.go::TestValidateBindings/"
BINDINGS = [
    pytest.param(case(bindings({}, [])), id=B + "Empty"),
    pytest.param(case(bindings({}, [bind("x")]), {"VariableNameNotFound"}),
                 id=B + "Variable not in inputs"),
    pytest.param(case(bindings({"x": INT}, [bind("x", integer(5)), bind("x", integer(5))]),
                      {"ParameterBoundMoreThanOnce"}),
                 id=B + "Bind the same variable twice"),
    pytest.param(case(bindings({"x": list_of(INT)}, [bind("x", collection(integer(5)))])),
                 id=B + "Happy Path"),
    pytest.param(case(bindings({"x": enum("x", "y", "z")}, [bind("x", S.string("x"))])),
                 id=B + "Enum legal string"),
    # The Go input binds 'm' (not an input) and leaves the enum 'x' unbound: VariableNameNotFound
    # and ParameterNotBound. specc stops after resolve-references, so it reports the first only.
    pytest.param(case(bindings({"x": enum("x", "y", "z")}, [bind("m", S.string("x"))]),
                      {"VariableNameNotFound", "ParameterNotBound"},
                      must={"VariableNameNotFound"}),
                 id=B + "Enum illegal string"),
    pytest.param(case(bindings({"x": map_of(INT)}, [bind("x", S.bmap(xy=integer(5)))])),
                 id=B + "Maps"),
    pytest.param(case(bindings({"x": INT}, [bind("x", promise("n2_out", "n2"))], n2_out=INT)),
                 id=B + "Promises"),
    pytest.param(case(bindings({"x": INT},
                               [bind("x", promise("n2_out", "n2", ["x", 0]))],
                               n2_out=map_of(list_of(INT)))),
                 id=B + "List/Dict Promises with attribute path"),
    pytest.param(case(bindings({"x": INT},
                               [bind("x", promise("n2_out", "n2", ["x", 0]))],
                               n2_out=S.dataclass(x=INT))),
                 id=B + "pb.Struct Promises with attribute path"),
    # BindingData with no value: MismatchingBindings (the default branch of validateBinding).
    pytest.param(case(bindings({"x": INT}, [bind("x", {})], n2_out=INT),
                      {"MismatchingBindings"}, n_errors=1),
                 id=B + "Nil Binding Value"),
    pytest.param(case(bindings({"x": union(STR_T, INT_T)}, [bind("x", integer(5))])),
                 id=B + "Int to Unambiguous Union Binding"),
    # Two INTEGER variants: AreTypesCastable finds two matches, so the scalar is refused.
    pytest.param(case(bindings({"x": union(tagged(INT, "int1"), tagged(INT, "int2"))},
                               [bind("x", integer(5))]), {"MismatchingTypes"}),
                 id=B + "Int to Ambiguous Union Binding"),
    pytest.param(case(bindings({"x": union(STR_T)}, [bind("x", integer(5))]),
                      {"MismatchingTypes"}),
                 id=B + "Int to Incompatible Union Binding"),
    pytest.param(case(bindings({"x": union(tagged(INT, "int1"), STR_T, INT_T)},
                               [bind("x", S.union_scalar(integer(5), INT_T))])),
                 id=B + "Union Literal to Union Binding"),
    pytest.param(case(bindings({"x": union(tagged(INT, "int_other"))},
                               [bind("x", S.union_scalar(integer(5), INT_T))]),
                      {"MismatchingTypes"}),
                 id=B + "Union Literal to Incompatible Union Binding"),
    pytest.param(case(bindings({"x": list_of(union(STR_T, INT_T))},
                               [bind("x", collection(integer(5)))])),
                 id=B + "List of Int to List of Unions Binding"),
    pytest.param(case(bindings({"x": list_of(union(STR_T, tagged(STR, "str1")))},
                               [bind("x", collection(integer(5)))]), {"MismatchingTypes"}),
                 id=B + "List of Int to List of Incompatible Unions Binding"),
    pytest.param(case(bindings({"x": union(tagged(list_of(STR), "list"),
                                           tagged(list_of(INT), "list"))},
                               [bind("x", collection(integer(5)))])),
                 id=B + "List of Int to Union of Lists Binding"),
    pytest.param(case(bindings({"x": union(tagged(list_of(STR), "list"),
                                           tagged(list_of(STR), "list"))},
                               [bind("x", collection(integer(5)))]),
                      {"IncompatibleBindingUnionValue"}),
                 id=B + "List of Int to Incompatible Union of Lists Binding"),
    pytest.param(case(bindings({"x": union(tagged(list_of(INT), "list1"),
                                           tagged(list_of(INT), "list2"))},
                               [bind("x", collection(integer(5)))]),
                      {"AmbiguousBindingUnionValue"}),
                 id=B + "List of Int to Ambiguous Union of Lists Binding"),
    pytest.param(case(bindings({"x": union(STR_T, INT_T)}, [bind("x", promise("n2_out", "n2"))],
                               n2_out=INT)),
                 id=B + "Union Promise Unambiguous"),
    pytest.param(case(bindings({"x": union(STR_T, tagged(INT, "int1"), tagged(INT, "int2"))},
                               [bind("x", promise("n2_out", "n2"))], n2_out=INT),
                      {"MismatchingTypes"}),
                 id=B + "Union Promise Ambiguous"),
    # 'y' (str | none) is left unbound: optional, so not an error.
    pytest.param(case(bindings({"x": union(STR_T, tagged(INT, "int1"), tagged(INT, "int2")),
                                "y": union(STR_T, tagged(NONE, "none"))},
                               [bind("x", promise("n2_out", "n2"))],
                               n2_out=union(tagged(INT, "int1")))),
                 id=B + "Union Promise Union Literal"),
]


# -- validators/branch_test.go: Test_validateBranchInterface ---------------------------------------
# Branch 'n1' whose blocks all run node 'n2' (task taskName in project/domain, empty interface).
# Completion: the Go test calls validateBranchInterface only; the whole compiler also requires a
# default (BranchNodeHasNoDefault), so the branch gets a default error.
def _branch_iface(other: int):
    n2 = task_node("n2", S.ident("TASK", "taskName", project="project", domain="domain"))
    cond = S.compare(S.boolean(True), S.boolean(False))
    blocks = [S.if_block(cond, n2) for _ in range(other)]
    return [
        task(S.ident("TASK", "taskName", project="project", domain="domain"), iface={}),
        workflow("wf", [S.branch_node("n1", S.if_else(S.if_block(cond, n2), blocks,
                                                      error="no case holds"))]),
    ]


BR = "branch_test.go::Test_validateBranchInterface/"
BRANCH = [
    pytest.param(case(_branch_iface(0)), id=BR + "single branch"),
    pytest.param(case(_branch_iface(1)), id=BR + "two conditions"),
]


# -- validators/node_test.go -----------------------------------------------------------------------
NODE = [
    # ValidateBranchNode on an empty IfElseBlock: BranchNodeHasNoCondition and
    # BranchNodeHasNoDefault (asserted, in that order, exactly two). The whole compiler first
    # resolves the node's interface, which adds ValueRequired(Branch.IfElse.Case)
    # (branch.go validateBranchInterface), then runs ValidateBranchNode anyway (node.go
    # ValidateNode does not stop on an interface error).
    pytest.param(case([workflow("wf", [S.branch_node("node1", {})])],
                      {"ValueRequired", "BranchNodeHasNoCondition", "BranchNodeHasNoDefault"},
                      must={"BranchNodeHasNoCondition", "BranchNodeHasNoDefault"}),
                 id="node_test.go::TestValidateBranchNode/No Case No Default"),
    # A node with id start-node: ValidateNode returns at once; AddNode silently drops it (the id
    # is taken by the sentinel), so Flyte compiles the workflow. specc refuses the reserved id.
    pytest.param(case([task("t"), workflow("wf", [task_node("start-node", "t")])],
                      specc_only={"SPC207"}),
                 id="node_test.go::TestValidateNode/Start-node"),
    # upstream_node_ids are sorted in place: ['n1', 'n0'] becomes ['n0', 'n1'] in the closure.
    pytest.param(case([task("t"),
                       workflow("wf", [task_node("n0", "t"), task_node("n1", "t"),
                                       task_node("my-node", "t", upstream=["n1", "n0"])])],
                      check=lambda r: _assert_upstream_ids(r, "wf", "my-node", ["n0", "n1"])),
                 id="node_test.go::TestValidateNode/Sort upstream node ids"),
]


def _assert_upstream_ids(result, wf_name, node_id, ids):
    nodes = _closure(result, wf_name)["primary"]["template"]["nodes"]
    (n,) = [n for n in nodes if n["id"] == node_id]
    assert n["upstreamNodeIds"] == ids


# -- validators/interface_test.go ------------------------------------------------------------------
# TestValidateInterface: ValidateInterface accepts a full, an empty and a nil interface. Ported on
# the workflow interface (ValidateInterface("start-node", template.interface)).
def _wf_with_iface(iface):
    return [task("t"), workflow("wf", [task_node("node1", "t")], iface=iface)]


# TestValidateUnderlyingInterface: a node's interface from its target.
def _lp_ref(found: bool):
    """Workflow Ref_2 runs launch plan Ref_1 (expected inputs: 'required' int, 'default_value' int
    defaulting to 5; no outputs). Completion: Ref_1's workflow, and a binding for 'required'
    (the whole compiler checks the node's bindings against the exposed inputs)."""
    docs = [
        task("t"),
        workflow("Ref_2", [S.launch_plan_node("node_1", "Ref_1", [bind("required", integer(1))])]),
    ]
    if found:
        docs += [
            workflow("lp_target", [task_node("n", "t")],
                     inputs={"required": INT, "default_value": INT}),
            S.launch_plan("Ref_1", "lp_target", defaults={"default_value": (INT, integer(5))}),
        ]
    return docs


def _gate(condition):
    return [workflow("wf", [S.gate_node("node_1", condition)])]


_ARRAY_TASK = task("Task_1", inputs={"foo": INT}, outputs={"bar": FLOAT})

IFACE = "interface_test.go::"
INTERFACE = [
    pytest.param(case(_wf_with_iface(S.interface({}, {}))),
                 id=IFACE + "TestValidateInterface/Happy path"),
    pytest.param(case(_wf_with_iface({})), id=IFACE + "TestValidateInterface/Empty Inputs/Outputs"),
    pytest.param(case(_wf_with_iface(None)), id=IFACE + "TestValidateInterface/Empty Interface"),
    pytest.param(case([workflow("wf", [S.bare_node("node_1")])], {"ValueRequired"}),
                 id=IFACE + "TestValidateUnderlyingInterface/Invalid empty node"),
    # A task with no interface gets an empty one from the compiler; FlyteAdmin's registration
    # check (specc SPC504) refuses a task template without an interface.
    pytest.param(case([task("Task_1", iface=None),
                       workflow("wf", [task_node("node_1", "Task_1")])],
                      specc_only={"SPC504"}),
                 id=IFACE + "TestValidateUnderlyingInterface/Task Node"),
    # A launch-plan node whose reference equals the workflow's own id uses the workflow's
    # interface (interface.go). Both ids are {name: Ref_1}, as in the Go test. But CompileWorkflow
    # first runs validateAllRequirements, which requires every launchplanRef, this one included,
    # among the launch plans it is given (workflow_compiler.go: "for _, lp := range
    # reqs.launchPlanIds { if _, ok := w.allLaunchPlans[lp.String()]; !ok { ...
    # NewWorkflowReferenceNotFoundErr(c.StartNodeID, ...)"; requirements.go
    # updateNodeRequirements inserts every GetLaunchplanRef()) and stops on that error.
    pytest.param(case([workflow(S.ident(None, "Ref_1"),
                                [S.launch_plan_node("node_1", S.ident(None, "Ref_1"))])],
                      {"WorkflowReferenceNotFound"}),
                 id=IFACE + "TestValidateUnderlyingInterface/Workflow Node/Self"),
    pytest.param(case(_lp_ref(False), {"WorkflowReferenceNotFound"}),
                 id=IFACE + "TestValidateUnderlyingInterface/Workflow Node/LP_Ref (not found)"),
    pytest.param(case(_lp_ref(True),
                      check=node_interface("Ref_2", "node_1", {"required": INT}, {})),
                 id=IFACE + "TestValidateUnderlyingInterface/Workflow Node/LP_Ref"),
    # Sub-workflow Ref_1 with an interface of empty maps. Completion: the Go template has no
    # nodes; a sub-workflow is compiled too, so it gets one (else NoNodesFound).
    pytest.param(case([task("t"),
                       workflow("Ref_2", [S.sub_workflow_node("node_1", "Ref_1")],
                                sub_workflows=[S.workflow_template(
                                    "Ref_1", [task_node("n", "t")], iface={"inputs": {},
                                                                           "outputs": {}})])],
                      check=node_interface("Ref_2", "node_1", {}, {})),
                 id=IFACE + "TestValidateUnderlyingInterface/Workflow Node/Subwf"),
    pytest.param(case(_gate({"approve": {"signalId": "foo"}})),
                 id=IFACE + "TestValidateUnderlyingInterface/GateNode/Approve"),
    pytest.param(case(_gate({"signal": {"signalId": "foo", "type": BOOL,
                                        "outputVariableName": "foo"}}),
                      check=node_interface("wf", "node_1", {}, {"foo": BOOL})),
                 id=IFACE + "TestValidateUnderlyingInterface/GateNode/Signal"),
    pytest.param(case(_gate({"sleep": {"duration": "60s"}})),
                 id=IFACE + "TestValidateUnderlyingInterface/GateNode/Sleep"),
    # The array node's interface is its sub-node's, unchanged (not wrapped in collections).
    # Completion: node_2 binds its required input 'foo' (with that interface, an integer).
    pytest.param(case([_ARRAY_TASK,
                       workflow("wf", [S.array_node("node_2", task_node("node_1", "Task_1"),
                                                    [bind("foo", integer(1))])])],
                      check=node_interface("wf", "node_2", {"foo": INT}, {"bar": FLOAT})),
                 id=IFACE + "TestValidateUnderlyingInterface/ArrayNode"),
]


# -- workflow_compiler_test.go ---------------------------------------------------------------------
W = "workflow_compiler_test.go::"
_IMAGE_TASK = task("task_123", container={"image": "image://", "command": ["cmd"],
                                          "args": ["args"]})
_XY_TASK = task("task_123", inputs={"x": INT, "y": INT}, outputs={"x": INT})


def _repo(name="repo"):
    """Workflow 'repo' (x: int -> x: int) running task_123 (x, y -> x) in node_123.
    Completion: the Go test resolves node_123's interface only; its inputs and the workflow's
    output are bound so the whole workflow compiles."""
    return S.workflow_template(name, [task_node("node_123", "task_123",
                                                [bind("x", promise("x")), bind("y", integer(1))])],
                               inputs={"x": INT}, outputs={"x": INT},
                               out_bindings=[bind("x", promise("x", "node_123"))])


def _parent_with(node):
    return workflow("parent", [node], inputs={"x": INT}, sub_workflows=[_repo()])


_TRUE = S.compare(S.boolean(True), S.boolean(True))

WORKFLOW_COMPILER = [
    pytest.param(case([_IMAGE_TASK, workflow("repo", [task_node("FirstNode", "task_123")])],
                      check=downstream("repo", {"start-node": ["FirstNode"],
                                                "FirstNode": ["end-node"]})),
                 id=W + "ExampleCompileWorkflow_basic"),
    pytest.param(case([_IMAGE_TASK, task("cleanup", container={"image": "image://",
                                                               "command": ["cmd"],
                                                               "args": ["args"]}),
                       workflow("repo", [task_node("FirstNode", "task_123")],
                                failure_node=task_node("FailureNode", "cleanup"))],
                      check=lambda r: _assert_failure_node(r, "repo", "FailureNode")),
                 id=W + "TestCompileWorkflowWithFailureNode"),
    pytest.param(case([_XY_TASK,
                       workflow("repo", [
                           task_node("node_1", "task_123",
                                     [bind("x", promise("wf_input")), bind("y", integer(124))]),
                           task_node("node_2", "task_123",
                                     [bind("y", integer(124)), bind("x", promise("x", "node_1"))],
                                     outputAliases=[{"var": "x", "alias": "n2_output"}]),
                       ], inputs={"wf_input": INT}, outputs={"wf_output": INT},
                           out_bindings=[bind("wf_output", promise("n2_output", "node_2"))])],
                      check=downstream("repo", {"start-node": ["node_1"], "node_1": ["node_2"],
                                                "node_2": ["end-node"]})),
                 id=W + "ExampleCompileWorkflow_inputsOutputsBinding"),
    # A node without id running a task that is not given: exactly one error,
    # TaskReferenceNotFound at start-node. validateAllRequirements runs first and CompileWorkflow
    # returns on its errors, so the missing id is never looked at.
    pytest.param(case([workflow("repo", [task_node(None, "task_123")])],
                      {"TaskReferenceNotFound"}),
                 id=W + "ExampleCompileWorkflow_compileErrors"),
    # Comparison with neither operand: two errors, ValueRequired(RightValue) and
    # ValueRequired(LeftValue) (condition.go validateOperand). Completion: the condition sits in
    # a branch with a then node and an else node.
    pytest.param(case([task("t"), workflow("wf", [S.branch_node("b", S.if_else(
        S.if_block(S.compare(None, None, "GT"), task_node("a", "t")),
        else_node=task_node("c", "t")))])], {"ValueRequired"}, n_errors=2),
                 id=W + "TestComparisonExpression_MissingLeftRight"),
    # 123 > "hello": one MismatchingTypes (operand types differ).
    pytest.param(case([task("t"), workflow("wf", [S.branch_node("b", S.if_else(
        S.if_block(S.compare(S.int_operand(123), S.str_operand("hello"), "GT"),
                   task_node("a", "t")),
        else_node=task_node("c", "t")))])], {"MismatchingTypes"}, n_errors=1),
                 id=W + "TestComparisonExpression"),
    # AND with only a right expression: one BranchNodeHasNoCondition (the nil left side).
    pytest.param(case([task("t"), workflow("wf", [S.branch_node("b", S.if_else(
        S.if_block(S.conjunction(None, S.compare(S.int_operand(123), S.int_operand(345), "GT")),
                   task_node("a", "t")),
        else_node=task_node("c", "t")))])], {"BranchNodeHasNoCondition"}, n_errors=1),
                 id=W + "TestBooleanExpression_BranchNodeHasNoCondition"),
    pytest.param(case([_XY_TASK, {"template": _repo()}],
                      check=node_interface("repo", "node_123", {"x": INT, "y": INT},
                                           {"x": INT})),
                 id=W + "TestValidateUnderlyingInterface/TaskNode"),
    pytest.param(case([_XY_TASK, _parent_with(S.sub_workflow_node("n", "repo",
                                                                  [bind("x", promise("x"))]))],
                      check=node_interface("parent", "n", {"x": INT}, {"x": INT})),
                 id=W + "TestValidateUnderlyingInterface/GraphNode"),
    # Completion for both branch cases: the Go test resolves the branch interface only; the
    # whole compiler also needs a condition on each block and a default.
    pytest.param(case([_XY_TASK, _parent_with(S.branch_node("b", S.if_else(
        S.if_block(_TRUE, _repo()["nodes"][0]), error="no case holds")))],
                      check=node_interface("parent", "b", None, {"x": INT})),
                 id=W + "TestValidateUnderlyingInterface/BranchNode/OneCase"),
    pytest.param(case([_XY_TASK, _parent_with(S.branch_node("b", S.if_else(
        S.if_block(_TRUE, _repo()["nodes"][0]),
        [S.if_block(_TRUE, S.sub_workflow_node("sub", "repo", [bind("x", promise("x"))]))],
        error="no case holds")))],
                      check=node_interface("parent", "b", None, {"x": INT})),
                 id=W + "TestValidateUnderlyingInterface/BranchNode/TwoCases"),
    # Completion: the Go task's container has 'Command: []string{}', non-nil in Go memory, so
    # validateContainerCommand passes; proto3 cannot serialize an empty list as set, so the
    # serialized task carries the builder's args instead (else ValueRequired(container, command)).
    pytest.param(case([task("task_123", inputs={"x": INT, "y": INT}, outputs={"x": INT},
                            container={"image": "image://123", "args": ["a"]}),
                       workflow("repo", [
                           task_node("node_123", "task_123",
                                     [bind("x", integer(123)), bind("y", integer(123))]),
                           task_node("node_456", "task_123",
                                     [bind("y", integer(123)), bind("x", promise("x", "node_123"))],
                                     upstream=["node_123"]),
                       ], inputs={"x": INT}, outputs={"x": INT},
                           out_bindings=[bind("x", promise("x", "node_456"))])],
                      check=upstream_of("repo", "node_456", ["node_123"])),
                 id=W + "TestCompileWorkflow"),
    # No nodes, and an output bound to node_456, which does not exist: ValidateWorkflow returns
    # at NoNodesFound before it looks at any binding.
    pytest.param(case([workflow("repo", [], inputs={"x": INT}, outputs={"x": INT},
                                out_bindings=[bind("x", promise("x", "node_456"))])],
                      {"NoNodesFound"}),
                 id=W + "TestNoNodesFound"),
    # Derived from validateReachable (workflow_compiler.go) and detectCycle (utils.go); no Go test
    # serializes these. 'a' starts; b waits for a and c, c waits for b: the DFS from start-node
    # meets b again on its path.
    pytest.param(case([task("t"), workflow("wf", [
        task_node("a", "t"), task_node("b", "t", upstream=["a", "c"]),
        task_node("c", "t", upstream=["b"])])], {"CycleDetected"}),
                 id=W + "validateReachable (derived)/cycle"),
    # b and c wait only for each other: no path from start-node reaches them, and the DFS from
    # start-node meets no cycle, so UnreachableNodes.
    pytest.param(case([task("t"), workflow("wf", [
        task_node("a", "t"), task_node("b", "t", upstream=["c"]),
        task_node("c", "t", upstream=["b"])])], {"UnreachableNodes"}),
                 id=W + "validateReachable (derived)/unreachable"),
]


def _assert_failure_node(result, wf_name, node_id):
    fn = _closure(result, wf_name)["primary"]["template"]["failureNode"]
    assert fn["id"] == node_id and "taskNode" in fn


# -- requirements_test.go: TestGetRequirements -----------------------------------------------------
# Five tasks (Task_1..Task_5) and two launch plans (Graph_1 twice, Graph_2), some inside nested
# branches; nodes have no ids and branch blocks no conditions, as in the Go test. GetRequirements
# finds 5 task ids and 2 launch-plan ids; none is given, so CompileWorkflow's
# validateAllRequirements reports each missing one (TaskReferenceNotFound,
# WorkflowReferenceNotFound) and returns before anything else is validated.
def _requirements():
    tn = lambda name: task_node(None, name)  # noqa: E731
    lp = lambda name: S.launch_plan_node(None, name)  # noqa: E731
    inner = S.branch_node(None, S.if_else(S.if_block(None, lp("Graph_2")),
                                          [S.if_block(None, tn("Task_4")),
                                           S.if_block(None, tn("Task_5"))]))
    outer = S.branch_node(None, S.if_else(S.if_block(None, lp("Graph_1")),
                                          [S.if_block(None, tn("Task_3")),
                                           S.if_block(None, inner)]))
    return [workflow("wf", [tn("Task_1"), tn("Task_2"), lp("Graph_1"), outer])]


REQUIREMENTS = [
    pytest.param(case(_requirements(), {"TaskReferenceNotFound", "WorkflowReferenceNotFound"}),
                 id="requirements_test.go::TestGetRequirements"),
]


ALL = BINDINGS + BRANCH + NODE + INTERFACE + WORKFLOW_COMPILER + REQUIREMENTS


@pytest.mark.parametrize("c", ALL)
def test_flyte_validator_case(tmp_path, c: Case):
    result = S.compile_docs(tmp_path, c.docs)
    assert not result.internal_error, [d.message for d in result.diagnostics]
    # the verdict of Flyte's compiler: what fails only at run time (SPC7xx) is not part of it
    errors = [d for d in result.diagnostics if d.severity == "error"
              and not d.code.startswith("SPC7")]
    shown = [(d.code, d.flyte_code, d.message) for d in errors]
    got = {d.flyte_code for d in errors if d.flyte_code}
    specc_only = {d.code for d in errors if not d.flyte_code}
    assert specc_only == c.specc_only, shown
    if not c.flyte:
        assert not got, shown
    else:
        must = c.flyte if c.must is None else c.must
        assert got <= c.flyte, shown
        assert must <= got, shown
    if c.n_errors is not None:
        assert len(errors) == c.n_errors, shown
    if c.check is not None:
        c.check(result)


def test_every_go_subtest_is_ported_or_listed():
    """Cases per Go file (the subtests not ported are listed in the module docstring)."""
    ids = [p.id for p in ALL]
    assert len(ids) == len(set(ids))
    per_file = {f: sum(i.startswith(f + "::") for i in ids)
                for f in ("bindings_test.go", "branch_test.go", "node_test.go",
                          "interface_test.go", "workflow_compiler_test.go",
                          "requirements_test.go")}
    assert per_file == {"bindings_test.go": 24, "branch_test.go": 2, "node_test.go": 3,
                        "interface_test.go": 13, "workflow_compiler_test.go": 15,
                        "requirements_test.go": 1}
