"""The diagnostic catalogue: every code specc can report, with its wording.

Codes are stable. The hundreds digit names the stage: 0 input, 1 schema, 2 definitions and
references (build-ir, resolve-references), 3 graph, 4 types, 5 registration, 6 lint
(warnings from the rules in ``specc/lint/``), 7 run time (check-runtime: what Flyte registers
and then fails at run time), 8 ``specc diff`` (what changed between two versions of the specs),
9 internal. Templates are ``str.format`` strings:
lowercase, names quoted, the fact first
and then a hint. ``flyte_code`` is the name of Flyte's own compiler error where specc's diagnostic
is one Flyte would also raise; specc-only checks have none.
"""
from __future__ import annotations

import string
from typing import Any

from specc.record import Record

# a template argument that may be left out (it renders as nothing): a hint such as
# "; did you mean 'x'?" is given only when there is one
OPTIONAL = frozenset({"hint"})


class Code(Record):
    __slots__ = ("code", "flyte_code", "name", "opt_in", "severity", "summary", "template")
    code: str
    name: str
    severity: str
    template: str
    flyte_code: str | None
    summary: str
    # a lint rule that also fires on correct, idiomatic specs: reported only when the
    # configuration selects it (``select`` or ``extend-select``), as ruff's non-default rules
    opt_in: bool

    def __init__(self, code: str, name: str, severity: str, template: str,
                 flyte_code: str | None = None, summary: str = "", opt_in: bool = False) -> None:
        self.code = code
        self.name = name
        self.severity = severity
        self.template = template
        self.flyte_code = flyte_code
        self.summary = summary
        self.opt_in = opt_in

    @property
    def fields(self) -> frozenset[str]:
        """The names the template takes."""
        return frozenset(f for _, f, _, _ in string.Formatter().parse(self.template) if f)

    @property
    def required(self) -> frozenset[str]:
        return self.fields - OPTIONAL

    @property
    def rule_set(self) -> str | None:
        """For a lint rule (SPC6xx), whether it is in the default set: 'on by default', or
        'opt-in: select it' and how; None for every other code."""
        if not self.code.startswith("SPC6"):
            return None
        if not self.opt_in:
            return "on by default"
        return f"opt-in: select it (extend-select = [\"{self.code}\"] in specc.toml)"

    def render(self, args: dict[str, Any]) -> str:
        if "hint" not in args and "hint" in self.fields:
            args = {**args, "hint": ""}
        return self.template.format(**args)


_ALL = (
    # ---- 0xx: reading input ------------------------------------------------------------------
    Code("SPC001", "unreadable-file", "error", "cannot read this file: {reason}",
         summary="A file given on the command line cannot be read."),
    Code("SPC002", "yaml-syntax-error", "error", "invalid YAML: {problem}",
         summary="The YAML parser rejected the file."),
    Code("SPC003", "json-syntax-error", "error", "invalid JSON: {problem}",
         summary="The JSON parser rejected the file."),
    Code("SPC004", "duplicate-key", "error",
         "key '{key}' appears twice in this mapping; keep one",
         summary="A mapping repeats a key; YAML and JSON parsers disagree on which one wins."),
    Code("SPC005", "invalid-encoding", "error",
         "file is not valid UTF-8 (invalid byte at offset {offset})",
         summary="Spec files must be UTF-8."),
    Code("SPC006", "unsupported-file", "error",
         "not a spec file specc can read: {reason}",
         summary="The file's suffix or content is not YAML, JSON or protobuf."),
    Code("SPC007", "input-limit-exceeded", "error", "{what} exceeds the limit of {limit}; {hint}",
         summary="A file is too large, too deeply nested, or expands too many YAML aliases; or "
                 "one check has more diagnostics of one code than specc lists."),
    Code("SPC008", "unknown-document-kind", "error",
         "cannot tell what kind of document this is: {reason}; {hint}",
         summary="A document matches none, or more than one, of the kinds specc reads."),
    Code("SPC009", "empty-document", "note", "empty document: nothing to check",
         summary="A document (or a whole file) holds no data."),
    Code("SPC010", "document-not-mapping", "error",
         "a spec document must be a mapping, found {found}",
         summary="The top level of a document is a list or a scalar."),
    Code("SPC011", "non-string-key", "error",
         "mapping keys must be strings, found {found} '{key}'; quote it{hint}",
         summary="A YAML key is a number, boolean or null."),
    Code("SPC020", "unsafe-archive-member", "error",
         "archive member '{member}' is refused: {reason}; nothing is read from an archive with "
         "such members, rebuild it with 'pyflyte package'",
         summary="A bundle holds a member with an absolute path or a '..' component, or a link, "
                 "device or fifo; specc refuses the whole archive."),
    Code("SPC021", "archive-too-large", "error",
         "{what} exceeds the limit of {limit}; nothing is read from this archive, check it or "
         "raise the limit",
         summary="A bundle has too many members, or its members (declared or actually "
                 "decompressed) are too large; specc refuses the whole archive."),
    Code("SPC022", "corrupt-archive", "error",
         "not a readable gzip-compressed tar archive: {reason}; rebuild it with "
         "'pyflyte package'",
         summary="A bundle is truncated, or its gzip or tar data is corrupt; specc refuses the "
                 "whole archive."),
    Code("SPC023", "empty-archive", "note",
         "this archive holds no '.pb' files: nothing to check",
         summary="A bundle holds no serialized task, workflow or launch plan."),
    Code("SPC024", "output-name-clash", "error",
         "the closure of workflow '{workflow}' would be written to '{file}', like the closure of "
         "'{other}'; nothing is written: compile them into different --out folders",
         summary="Two workflows would be written to one closure file (their names are the same, "
                 "or differ only in case); nothing is written."),
    Code("SPC025", "lone-surrogate", "error",
         "this {what} escapes a lone surrogate ('{escape}'), which is no Unicode character: "
         "protobuf cannot hold it; write the character itself, or a complete surrogate pair",
         summary="A string or key escapes half of a UTF-16 surrogate pair (\\ud800-\\udfff) "
                 "without the other half; no protobuf message, file name or report can hold "
                 "it."),
    Code("SPC026", "cannot-encode", "error",
         "this {what} cannot be written as {to}: {reason}",
         summary="A document (or a closure) cannot be written in the form asked for: a kind "
                 "that form cannot hold, or content the encoder refuses; nothing is written."),
    # ---- 03x-04x: the specc dialect (lowered by check-schema) ---------------------------------
    Code("SPC030", "unknown-api-version", "error",
         "apiVersion '{found}' is not one specc reads; write 'specc/v1' (or leave 'apiVersion' "
         "out for Flyte's own form)",
         summary="A document names an apiVersion other than the dialect's, specc/v1."),
    Code("SPC031", "unknown-dialect-kind", "error",
         "kind '{found}' is not a kind of specc/v1{hint}; write Task, Workflow or LaunchPlan",
         summary="A dialect document's kind is missing or is not Task, Workflow or LaunchPlan."),
    Code("SPC032", "unknown-dialect-field", "error", "unknown field '{field}' in {where}{hint}",
         summary="A key is not a field of the dialect at that place (docs/dialect.md lists "
                 "them)."),
    Code("SPC033", "dialect-wrong-value", "error", "'{field}' must be {expected}, found {found}",
         summary="A dialect field holds a value of the wrong kind."),
    Code("SPC034", "type-syntax-error", "error", "invalid type: {problem}",
         summary="A type expression (int, list[str], dict[str, T], T?, enum[a, b], "
                 "file[csv], ...) does not parse; reported at the offending character."),
    Code("SPC035", "reference-syntax-error", "error",
         "invalid reference: {problem}; a reference is ${{inputs.name}} or ${{node.output}}",
         summary="A reference (${inputs.x}, ${node.output.field[0]}) does not parse; reported "
                 "at the offending character."),
    Code("SPC036", "condition-syntax-error", "error", "invalid condition: {problem}",
         summary="A branch condition (comparisons joined by and/or) does not parse; reported "
                 "at the offending character."),
    Code("SPC037", "invalid-duration", "error",
         "'{value}' is not a duration ('{field}'){hint}",
         summary="A timeout, sleep or other duration of the dialect, or a schedule's rate "
                 "('every'), does not parse."),
    Code("SPC038", "invalid-node", "error", "node '{node}' {problem}",
         summary="A dialect node has no target (task, workflow, launchPlan, branch, map, "
                 "approve, signal, sleep), more than one, or settings its target cannot take."),
    Code("SPC039", "invalid-entity-reference", "error",
         "'{text}' is not a {what} reference: {problem}",
         summary="A task, workflow or launch plan reference is not name, name@version or "
                 "project/domain/name@version."),
    Code("SPC040", "invalid-override", "error", "override '{pointer}' {problem}",
         summary="A 'flyte:' override is not a JSON pointer into what its element lowers to."),
    Code("SPC041", "dialect-field-missing", "error", "{what} needs '{field}'",
         summary="A dialect document or element lacks a field it cannot do without."),
    Code("SPC050", "unused-suppression", "warning", "unused suppression: {problem}; remove it",
         summary="A '# specc: ignore[...]' comment hides nothing on its line or the next, names "
                 "a code specc does not know, or is not a suppression specc understands."),
    # ---- 1xx: check-schema ---------------------------------------------------------------------
    Code("SPC101", "unknown-field", "error", "unknown field '{field}' in {message}{hint}",
         summary="A key is not a field of the protobuf message at that place."),
    Code("SPC102", "wrong-type", "error", "'{field}' must be {expected}, found {found}",
         summary="A value has the wrong JSON type, or does not parse as the field's type."),
    Code("SPC103", "oneof-conflict", "error",
         "'{field}' and '{other}' are both set, but {message} allows only one of them "
         "(oneof '{oneof}'); keep one",
         summary="Two members of one protobuf oneof are set."),
    Code("SPC104", "unknown-enum-value", "error",
         "'{value}' is not a value of {enum}; expected one of {choices}",
         summary="An enum field holds a name or number the enum does not define."),
    Code("SPC105", "duplicate-field-spelling", "error",
         "field '{field}' is given twice, as '{first}' and as '{second}'; keep one",
         summary="A field is written in both its camelCase and snake_case spellings."),
    # ---- 2xx: resolve-references -------------------------------------------------------------
    Code("SPC201", "task-not-found", "error",
         "task '{ref}' is not defined in any of the given files{hint}",
         flyte_code="TaskReferenceNotFound",
         summary="A task node references a task that none of the inputs define."),
    Code("SPC202", "workflow-not-found", "error",
         "sub-workflow '{ref}' is not defined in any of the given files{hint}",
         flyte_code="WorkflowReferenceNotFound",
         summary="A workflow node references a sub-workflow that none of the inputs define."),
    Code("SPC203", "launch-plan-not-found", "error",
         "launch plan '{ref}' is not defined in any of the given files{hint}",
         flyte_code="WorkflowReferenceNotFound",
         summary="A workflow node references a launch plan that none of the inputs define."),
    Code("SPC204", "node-not-found", "error",
         "node '{ref}' referenced by input '{var}' does not exist in workflow '{workflow}'{hint}",
         flyte_code="NodeReferenceNotFound",
         summary="A binding promises the output of a node the workflow does not have."),
    Code("SPC205", "upstream-node-not-found", "error",
         "upstream node '{ref}' of node '{node}' does not exist in workflow '{workflow}'{hint}",
         summary="upstreamNodeIds names a node the workflow does not have. Flyte records the edge "
                 "and then finds the node unreachable; specc names the cause."),
    Code("SPC206", "duplicate-node-id", "error",
         "node id '{node}' is used twice in workflow '{workflow}'; Flyte silently drops the "
         "second node, rename one",
         summary="Two nodes of one workflow share an id."),
    Code("SPC207", "reserved-node-id", "error",
         "node id '{node}' is reserved by Flyte; Flyte silently drops this node, rename it",
         summary="A node is named start-node or end-node."),
    Code("SPC208", "conflicting-definition", "error",
         "{kind} '{ref}' is defined twice with different content; keep one definition",
         summary="Two inputs define the same identifier differently."),
    Code("SPC209", "output-not-found", "error",
         "node '{ref}' has no output '{var}'{hint}",
         flyte_code="VariableNameNotFound",
         summary="A binding promises an output the upstream node does not produce."),
    Code("SPC210", "input-not-found", "error",
         "node '{node}' binds '{var}', but {target} has no input '{var}'{hint}",
         flyte_code="VariableNameNotFound",
         summary="A node binds an input its task, workflow or launch plan does not declare."),
    Code("SPC211", "value-required", "error", "{what} is required{hint}",
         flyte_code="ValueRequired",
         summary="A field Flyte needs is missing or empty."),
    Code("SPC212", "duplicate-sub-workflow", "error",
         "sub-workflow '{ref}' is given twice in this workflow spec; keep one",
         flyte_code="DuplicateId",
         summary="Two sub-workflows of one workflow spec share an identifier."),
    Code("SPC213", "duplicate-alias", "error",
         "output '{var}' of node '{node}' is aliased twice; an output can have one alias",
         flyte_code="DuplicateAlias",
         summary="Two output aliases of one node name the same output."),
    Code("SPC214", "alias-output-not-found", "error",
         "alias '{alias}' of node '{node}' names output '{var}', which the node does not have",
         flyte_code="ParameterNotBound",
         summary="An output alias names an output the node does not produce."),
    Code("SPC215", "invalid-output-reference", "error",
         "'{var}' is not a valid output name; write a name of letters, digits and '_', "
         "optionally prefixed by an index such as '[0].'",
         flyte_code="SyntaxError",
         summary="A promise's variable name does not parse."),
    Code("SPC216", "launch-plan-workflow-not-found", "error",
         "launch plan '{ref}' is for workflow '{workflow}', which is not defined in any of the "
         "given files{hint}",
         summary="A launch plan references a workflow that none of the inputs define; FlyteAdmin "
                 "refuses to register it."),
    Code("SPC217", "gate-without-condition", "error",
         "gate node '{node}' has none of 'approve', 'signal' or 'sleep'; give it one",
         flyte_code="NoConditionFound",
         summary="A gate node must wait for an approval, a signal or a sleep."),
    Code("SPC218", "node-without-target", "error",
         "node '{node}' has no target; give it one of 'taskNode', 'workflowNode', 'branchNode', "
         "'gateNode' or 'arrayNode'",
         flyte_code="ValueRequired",
         summary="A node does nothing: it has no task, workflow, branch, gate or array target."),
    Code("SPC219", "workflow-input-not-found", "error",
         "workflow '{workflow}' has no input '{var}'{hint}",
         flyte_code="VariableNameNotFound",
         summary="A binding promises a workflow input that the workflow does not declare."),
    # ---- 22x: references to entities registered elsewhere, and the catalogue ---------------
    Code("SPC220", "external-reference-near-miss", "warning",
         "{what} '{ref}' is taken as registered elsewhere, but '{name}' is defined in the given "
         "files and differs from it by one character; did you mean '{name}'?",
         summary="A reference with explicit project, domain and version that nothing given "
                 "defines is taken as an entity registered elsewhere; when its name is one edit "
                 "away from an entity the inputs define, it is probably a typo."),
    Code("SPC221", "task-not-in-catalog", "error",
         "{what} '{ref}' is neither defined in the given files nor registered in the catalogue"
         "{hint}",
         flyte_code="TaskReferenceNotFound",
         summary="With a catalogue (--catalog), a task reference that matches no given or "
                 "registered task."),
    Code("SPC222", "launch-plan-not-in-catalog", "error",
         "{what} '{ref}' is neither defined in the given files nor registered in the catalogue"
         "{hint}",
         flyte_code="WorkflowReferenceNotFound",
         summary="With a catalogue (--catalog), a launch plan (or a launch plan's workflow) "
                 "reference that matches no given or registered entity."),
    # ---- 23x: references Flyte's compiler refuses (or cannot walk) ---------------------------
    Code("SPC230", "workflow-node-without-reference", "error",
         "workflow node '{node}' references no workflow; give it 'subWorkflowRef' or "
         "'launchplanRef'",
         flyte_code="WorkflowReferenceNotFound",
         summary="A workflow node with neither a sub-workflow nor a launch plan reference."),
    Code("SPC231", "recursive-sub-workflow", "error",
         "sub-workflow '{ref}' references itself ({path}); FlyteAdmin's requirement walk never "
         "ends on this and crashes, so it cannot be registered: call it through a launch plan, "
         "or unroll the recursion",
         summary="A sub-workflow that reaches itself through sub-workflow references; Flyte's "
                 "compiler recurses without end on it."),
    # ---- 3xx: check-graph ----------------------------------------------------------------------
    Code("SPC301", "cycle", "error", "workflow '{workflow}' has a cycle: {path}",
         flyte_code="CycleDetected",
         summary="The nodes of a workflow depend on each other in a circle."),
    Code("SPC302", "unreachable-node", "error",
         "node '{node}' of workflow '{workflow}' cannot be reached from the workflow's start{hint}",
         flyte_code="UnreachableNodes",
         summary="A node has upstream nodes but no path from start-node leads to it."),
    Code("SPC303", "no-nodes", "error", "workflow '{workflow}' has no nodes",
         flyte_code="NoNodesFound",
         summary="A workflow must have at least one node."),
    # ---- 4xx: check-types ----------------------------------------------------------------------
    Code("SPC401", "mismatching-types", "error",
         "{target} has type {expected}, but {source} has type {found}{hint}",
         flyte_code="MismatchingTypes",
         summary="A promise binds an output whose type cannot be cast to the input's type."),
    Code("SPC402", "literal-type-mismatch", "error",
         "{target} has type {expected}, but the literal bound to it is "
         "{found}",
         flyte_code="MismatchingTypes",
         summary="A literal value bound to an input is of the wrong type."),
    Code("SPC403", "input-not-bound", "error",
         "input '{var}' ({type}) of node '{node}' is required but not bound{hint}",
         flyte_code="ParameterNotBound",
         summary="A node leaves a required input unbound."),
    Code("SPC404", "output-not-bound", "error",
         "output '{var}' ({type}) of workflow '{workflow}' is not bound; add a binding under "
         "'outputs'",
         flyte_code="ParameterNotBound",
         summary="A declared workflow output has no binding."),
    Code("SPC405", "bound-twice", "error", "input '{var}' of node '{node}' is bound more than once",
         flyte_code="ParameterBoundMoreThanOnce",
         summary="One input of a node has two bindings."),
    Code("SPC406", "mismatching-binding-form", "error",
         "input '{var}' of node '{node}' has type {expected}, which cannot take {found}{hint}",
         flyte_code="MismatchingBindings",
         summary="A binding's form (collection, map, ...) does not fit the input's type."),
    Code("SPC407", "illegal-enum-value", "error",
         "input '{var}' of node '{node}' is an enum of {choices}; '{value}' is not one of them",
         flyte_code="IllegalEnumValue",
         summary="A literal bound to an enum input is not one of the enum's values."),
    Code("SPC408", "ambiguous-union-value", "error",
         "the value bound to input '{var}' of node '{node}' matches more than one variant of "
         "{expected} ({first} and {second})",
         flyte_code="AmbiguousBindingUnionValue",
         summary="A collection or map bound to a union type fits several variants."),
    Code("SPC409", "incompatible-union-value", "error",
         "the value bound to input '{var}' of node '{node}' matches no variant of {expected}",
         flyte_code="IncompatibleBindingUnionValue",
         summary="A collection or map bound to a union type fits none of its variants."),
    Code("SPC410", "field-not-found", "error",
         "{source} has type {found}, which has no field '{field}'",
         flyte_code="FieldNotFound",
         summary="An attribute path names a field the dataclass type does not have."),
    Code("SPC411", "index-into-non-collection", "error",
         "{source} is indexed with [{index}], but its type {found} is not a list",
         flyte_code="MismatchingTypes",
         summary="A promise indexes an output that is not a collection."),
    Code("SPC412", "interface-variable-invalid", "error",
         "{what} of {owner} {problem}",
         flyte_code="ValueRequired",
         summary="An interface variable has no name or no type."),
    Code("SPC413", "unrecognized-literal", "error",
         "the literal bound to input '{var}' of node '{node}' has no type Flyte recognises "
         "({reason})",
         flyte_code="UnrecognizedValue",
         summary="A scalar literal whose type cannot be derived (e.g. a blob without metadata)."),
    Code("SPC414", "branch-output-type-mismatch", "error",
         "output '{var}' of branch '{node}' is {found} in this case but {expected} in the first "
         "case; every case must give shared outputs one type",
         flyte_code="MismatchingTypes",
         summary="The cases of a branch produce an output of the same name with different types."),
    Code("SPC415", "condition-type-mismatch", "error",
         "the condition of branch '{node}' compares {left} with {right}; operands must have the "
         "same type",
         flyte_code="MismatchingTypes",
         summary="A branch condition compares operands of different types."),
    Code("SPC416", "condition-variable-not-found", "error",
         "the condition of branch '{node}' uses '{var}', which is not an input of the branch"
         "{hint}",
         flyte_code="VariableNameNotFound",
         summary="A branch condition names a variable the branch node does not bind."),
    Code("SPC417", "condition-missing", "error", "{what} of branch '{node}' has no condition",
         flyte_code="BranchNodeHasNoCondition",
         summary="A branch case has no condition to test."),
    Code("SPC418", "branch-without-default", "error",
         "branch '{node}' has no else case; add one ('elseNode', in the dialect 'else'), or an "
         "error for when no case holds ('error', in the dialect 'fail')",
         flyte_code="BranchNodeHasNoDefault",
         summary="A branch needs an else node or an else error."),
    Code("SPC419", "unbound-union-input", "warning",
         "input '{var}' ({type}) of node '{node}' is not bound; Flyte lets it pass only because "
         "one variant of the union is not a simple type, yet the union does not allow none: bind "
         "it, or add none to the union",
         summary="Flyte treats every union with a non-simple variant as optional, so an unbound "
                 "input of such a type slips through the compiler."),
    Code("SPC420", "condition-operand-value-required", "error",
         "the '{side}' of the condition of branch '{node}' is required: Flyte's compiler reads "
         "only a 'primitive' or a non-empty 'var' there, and this one has {found}{hint}",
         flyte_code="ValueRequired",
         summary="A comparison operand that is neither a primitive nor a variable (flytekit's "
                 "is_none() writes a scalar); Flyte's compiler rejects it."),
    # ---- 5xx: check-registration (FlyteAdmin's checks at registration) -----------------------
    Code("SPC501", "task-type-missing", "error",
         "task '{task}' has no 'type'; FlyteAdmin needs it to pick a plugin (e.g. python-task)",
         summary="A task template without a type."),
    Code("SPC502", "task-metadata-missing", "error",
         "task '{task}' has no 'metadata'; FlyteAdmin refuses tasks without it",
         summary="A task template without metadata."),
    Code("SPC503", "runtime-version-missing", "error",
         "'metadata.runtime' of task '{task}' has no 'version'",
         summary="Task metadata names a runtime without its version."),
    Code("SPC504", "task-interface-missing", "error",
         "task '{task}' has no 'interface'; give it one, even if empty ('interface: {{}}')",
         summary="A task template without a typed interface."),
    Code("SPC505", "container-image-missing", "error",
         "the container of task '{task}' has no image",
         flyte_code="ValueRequired",
         summary="A container task must name its image."),
    Code("SPC506", "container-command-missing", "error",
         "the container of task '{task}' has neither 'command' nor 'args', but the task has "
         "inputs or outputs; tell the container how to run",
         flyte_code="ValueRequired",
         summary="A container task with an interface needs a command or args."),
    Code("SPC507", "invalid-resource-quantity", "error",
         "'{value}' is not a Kubernetes quantity ({resource}); write e.g. '500m', '2', '4Gi'",
         flyte_code="UnrecognizedValue",
         summary="A resource request or limit does not parse as a Kubernetes quantity."),
    Code("SPC508", "resource-given-twice", "error",
         "{resource} is given twice in the {which} of task '{task}'; keep one",
         summary="A resource appears twice among requests (or limits)."),
    Code("SPC509", "request-above-limit", "error",
         "{resource} request {request} of task '{task}' is above its limit {limit}",
         summary="A resource request exceeds the task's own limit."),
    Code("SPC510", "gpu-not-whole", "error",
         "GPU {which} '{value}' of task '{task}' is not a whole number",
         summary="GPUs are requested in whole units."),
    Code("SPC511", "gpu-request-not-limit", "error",
         "GPU request {request} of task '{task}' differs from its limit {limit}; for GPUs they "
         "must be equal",
         summary="Kubernetes requires a GPU request to equal its limit."),
    Code("SPC512", "above-platform-limit", "error",
         "{resource} {which} {value} of task '{task}' is above the platform's limit {limit}",
         summary="A resource exceeds the deployment's task resource limits (configured)."),
    Code("SPC513", "pod-spec-missing", "error",
         "task '{task}' targets a Kubernetes pod but has no 'podSpec'",
         flyte_code="InvalidValue",
         summary="A pod task without a pod spec."),
    Code("SPC514", "pod-spec-invalid", "error",
         "the pod spec of task '{task}' is invalid: {problem}",
         flyte_code="InvalidValue",
         summary="A pod task's pod spec is not a valid Kubernetes PodSpec."),
    Code("SPC515", "identifier-invalid", "error", "{what}: {problem}",
         summary="An identifier has no name, or the wrong resource type for what it names."),
    Code("SPC516", "task-type-not-allowed", "error",
         "task type '{type}' is not on the platform's allow-list{scope}",
         summary="The deployment allows only some task types (configured)."),
    Code("SPC517", "too-many-nodes", "error",
         "workflow '{workflow}' has {count} nodes, more than the platform's limit of {limit}",
         summary="FlyteAdmin limits the number of top-level nodes of a workflow (configured)."),
    Code("SPC518", "domain-not-allowed", "error",
         "domain '{domain}' is not one of the platform's domains ({domains})",
         summary="An identifier names a domain the deployment does not have (configured)."),
    Code("SPC530", "launch-plan-input-not-in-workflow", "error",
         "launch plan '{lp}' sets {which} input '{var}', but workflow '{workflow}' has no such "
         "input{hint}",
         summary="A launch plan's default or fixed input is not an input of its workflow."),
    Code("SPC531", "launch-plan-input-wrong-type", "error",
         "{which} input '{var}' of launch plan '{lp}' is {found}, but the workflow's input is "
         "{expected}",
         summary="A launch plan input's type cannot be cast to the workflow input's type."),
    Code("SPC532", "launch-plan-parameter-invalid", "error",
         "default input '{var}' of launch plan '{lp}' {problem}",
         summary="A default input has no type, or neither a default nor required=true."),
    Code("SPC533", "launch-plan-literal-invalid", "error",
         "{which} input '{var}' of launch plan '{lp}' {problem}",
         summary="A fixed or default value is empty, or a timestamp is out of range."),
    Code("SPC534", "schedule-input-unbound", "error",
         "launch plan '{lp}' has a schedule, but its required input '{var}' has no value; give "
         "it a default or a fixed value",
         summary="A scheduled launch plan must give every input a value."),
    Code("SPC535", "schedule-kickoff-input-invalid", "error",
         "the schedule's kickoff time input '{var}' of launch plan '{lp}' {problem}",
         summary="kickoffTimeInputArg must name a free datetime input."),
    Code("SPC536", "invalid-cron", "error", "invalid cron expression '{expr}': {problem}",
         summary="A schedule's cron expression does not parse."),
    Code("SPC537", "notification-invalid", "error", "notification {index} of launch plan '{lp}' "
         "{problem}",
         summary="A notification needs a kind, recipients, and terminal phases."),
    Code("SPC538", "label-invalid", "error", "{problem}",
         summary="Launch plan labels: at most 16, keys and values in Kubernetes' label syntax."),
    Code("SPC539", "launch-conditions-set", "error",
         "launch plan '{lp}' sets 'launchConditions', which FlyteAdmin requires to be empty",
         summary="Launch conditions are not supported."),
    # ---- 6xx: lint (warnings beyond Flyte's verdict; one rule module each, specc/lint/) ------
    Code("SPC601", "cache-without-version", "warning",
         "{owner} is cached but has no cache version; set '{field}', and change it whenever "
         "the task's code changes",
         summary="A cached task without a cache version keeps serving outputs of its old code "
                 "after the code changes."),
    Code("SPC602", "cache-serialize-without-cache", "warning",
         "{owner} sets 'cacheSerializable' but is not cached, so it has no effect; turn caching "
         "on, or remove it",
         summary="Cache serialization does nothing on a task that is not cached."),
    Code("SPC603", "mutable-image-tag", "warning",
         "image '{image}' of {owner} {problem}, so what runs can change while the task's "
         "version stays the same; pin a version tag or a digest",
         summary="A container image tagged 'latest', or not tagged at all, can change under the "
                 "same task version."),
    Code("SPC604", "requests-without-limits", "warning",
         "{owner} requests {resources} without a limit, which leaves the limit to the "
         "platform; add 'limits'",
         summary="Resources requested without a limit get whatever limit the platform fills "
                 "in.",
         opt_in=True),
    Code("SPC605", "interruptible-without-retries", "warning",
         "{owner} is interruptible but has no retries, so one preemption that surfaces as an "
         "error fails it; give it retries",
         summary="Work on preemptible capacity without retries of its own fails on an "
                 "interruption."),
    Code("SPC606", "timeout-above-maximum", "warning",
         "timeout {value} of {owner} is longer than the maximum {limit} (lint option "
         "'max-timeout')",
         summary="A task or node timeout is longer than the configured maximum (off unless "
                 "'max-timeout' is set)."),
    Code("SPC607", "secret-without-group", "warning",
         "{what} of {owner} has no 'group'; secret managers find a secret by its group, name it",
         summary="A requested secret has no group, which flyteidl requires."),
    Code("SPC608", "secret-in-env", "warning",
         "environment variable '{var}' of {owner} holds a literal value that looks like a "
         "secret; request it with 'securityContext.secrets' instead",
         summary="A password, token or key written into a task's environment is readable by "
                 "anyone who can read the spec or the pod."),
    Code("SPC609", "unused-workflow-input", "warning",
         "input '{var}' of workflow '{workflow}' is never used; bind it where it is needed, or "
         "remove it",
         summary="A workflow input that no node binds and no output returns."),
    Code("SPC610", "unused-node-output", "warning",
         "{what} of node '{node}' {verb} never used: no node takes {them} and workflow "
         "'{workflow}' does not return {them}",
         summary="A node output that no other node takes and the workflow does not return.",
         opt_in=True),
    Code("SPC611", "dead-branch-case", "warning", "{what} of branch '{node}' {problem}",
         summary="A branch case that can never be true, is shadowed by an earlier case, or is "
                 "always true."),
    Code("SPC612", "no-launch-plan-with-inputs", "warning",
         "workflow '{workflow}' can only be started by hand: no launch plan gives all its "
         "inputs a value ({detail}); add one with defaults or fixed inputs",
         summary="A workflow with required inputs whose launch plans give them no value can "
                 "only be started by hand.",
         opt_in=True),
    Code("SPC613", "deprecated-field", "warning", "'{field}' of {message} is deprecated{hint}",
         summary="A field flyteidl marks as deprecated."),
    # ---- 7xx: check-runtime (registered by Flyte, failing or misbehaving at run time) --------
    Code("SPC701", "attr-path-number-into-map", "error",
         "{source} looks up the number {index} in a map ({type}); Flyte registers this, "
         "but at run time propeller looks up the key '' and the node fails: index a map with "
         "a string key",
         summary="An attribute path indexes a map type with a number; propeller looks up the "
                 "empty key and fails the node."),
    Code("SPC702", "attr-path-negative-index", "error",
         "{source} uses the negative index {index}; Flyte registers this, but propeller "
         "takes only indices from 0 and fails the node at run time: count from the start",
         summary="An attribute path indexes a list with a negative number (Python's l[-1]); "
                 "propeller cannot resolve it."),
    Code("SPC703", "attr-path-key-into-list", "warning",
         "{source} looks up the key '{key}' in a list ({type}); Flyte registers this, "
         "but at run time propeller reads a key as index 0 and silently passes the first "
         "element: index a list with a number",
         summary="An attribute path indexes a list type with a string key; propeller silently "
                 "takes the first element."),
    Code("SPC704", "attr-path-step-ignored", "warning",
         "{source} steps into {type}, which propeller does not look inside; Flyte "
         "registers this, but at run time the step is skipped and the whole value is passed "
         "on: remove the step, or take the value apart in a task",
         summary="An attribute path steps into a value that is not a list, map or struct "
                 "(a scalar, blob, enum, union...); propeller ignores the step."),
    Code("SPC705", "attr-path-not-in-value", "error",
         "{source} cannot resolve on the {which} value launch plan '{lp}' gives it: "
         "{problem}; Flyte registers this, but executions that use this value fail at run time",
         summary="An attribute path on a workflow input names a key or index that the launch "
                 "plan's default or fixed value does not have."),
    Code("SPC706", "array-node-maps-nothing", "error",
         "array node '{node}' has nothing to map over: {problem}; Flyte registers this, but "
         "the execution fails with 'no input array provided': bind a list to an input that is "
         "not in 'boundInputs'",
         summary="An array node none of whose unbound inputs is a list fails at run time."),
    Code("SPC707", "array-lengths-differ", "error",
         "array node '{node}' maps over lists of different lengths ({detail}); Flyte registers "
         "this, but the execution fails with 'input arrays have different lengths': give them "
         "one length, or list the ones to pass whole in 'boundInputs'",
         summary="The lists an array node maps over have different lengths."),
    Code("SPC708", "success-criteria-unreachable", "error",
         "the success criterion of array node '{node}' {problem}, so it can never be met; "
         "Flyte registers this, but the node fails as soon as it is evaluated: {fix}",
         summary="An array node's minSuccessRatio above 1, or minSuccesses above the number of "
                 "items it maps over."),
    Code("SPC709", "success-criteria-never-fails", "warning",
         "the success criterion of array node '{node}' {problem}, so the node succeeds even "
         "when every item fails; Flyte registers this without a word: require at least one "
         "success",
         summary="An array node's minSuccessRatio or minSuccesses of 0 (or less) lets it "
                 "succeed with every item failed."),
    Code("SPC710", "pod-primary-container-missing", "error",
         "pod task '{task}' {problem}; Flyte registers this, but the pod plugin cannot build "
         "the pod and every execution fails: {fix}",
         summary="A pod task whose config.primary_container_name is missing or names none of "
                 "its containers."),
    Code("SPC711", "launch-plan-value-not-in-enum", "error",
         "{which} input '{var}' of launch plan '{lp}' is '{value}', which is not one of the "
         "enum's values ({choices}); Flyte registers this, but the task receiving it fails "
         "converting it at run time",
         summary="A launch plan's default or fixed value for an enum input is not one of the "
                 "enum's values."),
    Code("SPC712", "request-above-limit-rounded", "warning",
         "{resource} request {request} of {owner} is above its limit {limit}; FlyteAdmin "
         "accepts it only because it rounds both up to whole units, and at run time propeller "
         "silently lowers the request to the limit: request at most the limit",
         summary="A request above its limit that FlyteAdmin's rounding lets through; propeller "
                 "lowers it to the limit."),
    Code("SPC713", "negative-resource-quantity", "error",
         "{resource} {which} '{value}' of {owner} is negative; Flyte registers this, but "
         "Kubernetes refuses the pod at run time: give a quantity of 0 or more",
         summary="A negative resource request or limit."),
    Code("SPC714", "override-quantity-invalid", "error",
         "'{value}' is not a Kubernetes quantity ({resource} of the resource overrides of node "
         "'{node}'); Flyte registers this, but creating an execution fails: write e.g. '500m', "
         "'2', '4Gi'",
         summary="A node's resource override does not parse as a Kubernetes quantity."),
    Code("SPC715", "rate-schedule-kickoff-input", "error",
         "the fixed-rate schedule of launch plan '{lp}' passes its kickoff time as '{var}', "
         "which has no default; Flyte registers this, but the native scheduler passes the "
         "kickoff time to cron schedules only, so every scheduled execution is refused for "
         "the missing input: use a cron schedule",
         summary="A fixed-rate schedule with a kickoff time input that has no default: no "
                 "scheduled execution starts."),
    Code("SPC716", "rate-schedule-kickoff-default", "warning",
         "the fixed-rate schedule of launch plan '{lp}' passes its kickoff time as '{var}', "
         "but the native scheduler passes the kickoff time to cron schedules only: executions "
         "get the default of '{var}', never the time they were scheduled for; use a cron "
         "schedule",
         summary="A fixed-rate schedule with a kickoff time input: executions get the input's "
                 "default instead."),
    Code("SPC717", "schedule-not-as-written", "warning",
         "the schedule of launch plan '{lp}' {problem}; Flyte registers this without a word: "
         "{fix}",
         summary="A schedule the scheduler runs differently from what it says: a rate of 0 or "
                 "an empty cron (never), '@every' below a second (every second), an offset "
                 "(ignored)."),
    Code("SPC718", "cron-never-fires", "error",
         "cron expression '{expr}' never fires: {reason}; Flyte registers this, but the "
         "scheduler never runs the launch plan",
         summary="A cron expression that parses but names a day that never comes (30 "
                 "February)."),
    Code("SPC719", "node-id-collision", "error",
         "node id '{node}' of workflow '{workflow}' is taken twice once Flyte names branch "
         "cases '<branch>-<case>' ({detail}); Flyte registers this, but creating an execution "
         "fails (ValueCollision): rename one",
         summary="Two different nodes get one id after Flyte renames branch cases."),
    Code("SPC720", "node-timeout-out-of-range", "error",
         "timeout '{value}' of node '{node}' is longer than Go's time.Duration holds (about "
         "292 years); Flyte registers this, but creating an execution fails parsing it",
         summary="A node timeout beyond Go's duration range."),
    Code("SPC721", "gate-signal-id-missing", "error",
         "{what} gate '{node}' has no 'signalId'; Flyte registers this, but the execution "
         "fails when the gate asks FlyteAdmin for its signal: give it an id",
         summary="An approve or signal gate without a signal id."),
    Code("SPC722", "condition-orders-booleans", "error",
         "the condition of branch '{node}' orders booleans ({op}); Flyte registers this, but "
         "propeller fails the branch when it evaluates the condition: compare booleans with EQ "
         "or NEQ",
         summary="A branch condition applies GT, GTE, LT or LTE to booleans."),
    Code("SPC723", "condition-operand-not-primitive", "error",
         "the condition of branch '{node}' compares '{var}', of type {type}, which is not a "
         "primitive; Flyte registers this, but propeller fails the branch when it evaluates "
         "the condition: compare an int, float, str, bool, datetime or duration",
         summary="A branch condition compares a variable whose value is not a primitive (a "
                 "union such as an Optional, a list, a struct...)."),
    Code("SPC724", "command-input-not-found", "error",
         "'{{{{.inputs.{var}}}}}' in the {where} of task '{task}' names no input of the task; "
         "Flyte registers this, but the container cannot be built at run time{hint}",
         summary="A container command or argument template names an input the task does not "
                 "take."),
    # ---- 9xx: internal ------------------------------------------------------------------------
    Code("SPC900", "internal-error", "error",
         "internal error in {stage}: {error}; this is a bug in specc, please report it",
         summary="specc itself failed. The input may be fine."),
    # ---- 8xx: specc diff (two versions of the specs; errors 80x break callers, notes 81x) ------
    Code("SPC801", "structure-changed-same-version", "error",
         "{entity} differs from its old definition under the same version '{version}' "
         "({fields}), so FlyteAdmin refuses it ('{kind} with different structure already "
         "exists'); give it a new version",
         summary="An entity keeps its identifier and version but its content changed, which "
                 "FlyteAdmin refuses to register."),
    Code("SPC802", "input-removed", "error",
         "input '{var}' ({type}) of {entity} was removed, so callers that set it fail{hint}",
         summary="An input was removed (or renamed): callers that set it fail."),
    Code("SPC803", "input-type-changed", "error",
         "input '{var}' of {entity} changed type from {old} to {new}, and {old} cannot be cast "
         "to {new}, so callers that set it fail; keep the old type, or take a union of both",
         summary="An input's new type does not accept values of its old type."),
    Code("SPC804", "required-input-added", "error",
         "{entity} has a new required input '{var}' ({type}), so callers that do not set it "
         "fail{hint}",
         summary="A new input without a default: callers written for the old version do not "
                 "set it."),
    Code("SPC805", "output-removed", "error",
         "output '{var}' ({type}) of {entity} was removed, so callers that use it fail{hint}",
         summary="An output was removed (or renamed): callers that use it fail."),
    Code("SPC806", "output-type-changed", "error",
         "output '{var}' of {entity} changed type from {old} to {new}, and {new} cannot be cast "
         "to {old}, so callers that use it fail",
         summary="An output's new type is not accepted where its old type was used."),
    Code("SPC807", "launch-plan-input-changed", "error",
         "input '{var}' of {entity} {change}, so {who} fail{hint}",
         summary="A launch plan's fixed or default inputs changed so that existing callers or "
                 "its schedule no longer fit."),
    Code("SPC811", "entity-added", "note", "{entity} was added: the old specs do not define it",
         summary="A task, workflow or launch plan that only the new specs define."),
    Code("SPC812", "entity-removed", "note",
         "{entity} was removed: the old specs define it here and the new specs do not; its "
         "registered versions stay in Flyte, but callers will find no newer one",
         summary="A task, workflow or launch plan that only the old specs define (located in "
                 "the old specs)."),
    Code("SPC813", "compatible-input-added", "note",
         "{entity} has a new input '{var}' ({type}), which callers may leave out: {why}",
         summary="A new input that is optional or has a default: existing callers still fit."),
    Code("SPC814", "output-added", "note", "{entity} has a new output '{var}' ({type})",
         summary="A new output: existing callers do not use it and still fit."),
    Code("SPC815", "compatible-type-change", "note",
         "{which} '{var}' of {entity} changed type from {old} to {new}, which {why}",
         summary="A type changed compatibly: an input now accepts more (widened), or an output "
                 "still fits where its old type was used."),
    Code("SPC816", "launch-plan-input-relaxed", "note",
         "input '{var}' of {entity} {change}; existing callers and schedules still fit",
         summary="A launch plan input gained a default or is no longer fixed."),
    Code("SPC817", "setting-changed", "note",
         "{setting} of {entity} changed from {old} to {new}",
         summary="Another field changed (image, resources, retries, cache, nodes, a launch "
                 "plan's schedule or default values, ...), shown field by field."),
)

CODES: dict[str, Code] = {c.code: c for c in _ALL}
BY_NAME: dict[str, Code] = {c.name: c for c in _ALL}
