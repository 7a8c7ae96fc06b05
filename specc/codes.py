"""The diagnostic catalogue: every code specc can report, with its wording.

Codes are stable. The hundreds digit names the stage: 0 input, 1 schema, 2 references, 3 graph,
4 types, 9 internal. Templates are ``str.format`` strings: lowercase, names quoted, the fact first
and then a hint. ``flyte_code`` is the name of Flyte's own compiler error where specc's diagnostic
is one Flyte would also raise; specc-only checks have none.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Code:
    code: str
    name: str
    severity: str
    template: str
    flyte_code: str | None = None
    summary: str = ""

    def render(self, args: dict) -> str:
        return self.template.format(**args)


_ALL = (
    # ---- 0xx: reading input ------------------------------------------------------------------
    Code("SPC001", "unreadable-file", "error", "cannot read '{path}': {reason}",
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
         "'{path}' is not a spec file specc can read: {reason}",
         summary="The file's suffix or content is not YAML, JSON or protobuf."),
    Code("SPC007", "input-limit-exceeded", "error", "{what} exceeds the limit of {limit}; {hint}",
         summary="A file is too large, too deeply nested, or expands too many YAML aliases."),
    Code("SPC008", "unknown-document-kind", "error",
         "cannot tell what kind of document this is: {reason}; {hint}",
         summary="A document matches none, or more than one, of the kinds specc reads."),
    Code("SPC009", "empty-document", "note", "empty document: nothing to check",
         summary="A document (or a whole file) holds no data."),
    Code("SPC010", "document-not-mapping", "error",
         "a spec document must be a mapping, found {found}",
         summary="The top level of a document is a list or a scalar."),
    Code("SPC011", "non-string-key", "error",
         "mapping keys must be strings, found {found} '{key}'; quote it",
         summary="A YAML key is a number, boolean or null."),
    Code("SPC020", "unsafe-archive-member", "error",
         "archive member '{member}' is refused: {reason}; nothing is read from an archive with "
         "such members, rebuild it with 'pyflyte package'",
         summary="A bundle holds a member with an absolute path or a '..' component, or a link, "
                 "device or fifo; specc refuses the whole archive."),
    Code("SPC021", "archive-too-large", "error",
         "{what} exceeds the limit of {limit}; nothing is read from '{path}', check the archive "
         "or raise the limit",
         summary="A bundle has too many members, or its members (declared or actually "
                 "decompressed) are too large; specc refuses the whole archive."),
    Code("SPC022", "corrupt-archive", "error",
         "'{path}' is not a readable gzip-compressed tar archive: {reason}; rebuild it with "
         "'pyflyte package'",
         summary="A bundle is truncated, or its gzip or tar data is corrupt; specc refuses the "
                 "whole archive."),
    Code("SPC023", "empty-archive", "note",
         "archive '{path}' holds no '.pb' files: nothing to check",
         summary="A bundle holds no serialized task, workflow or launch plan."),
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
         "given files",
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
         "input '{var}' of node '{node}' has type {expected}, but output '{source}' has type "
         "{found}",
         flyte_code="MismatchingTypes",
         summary="A promise binds an output whose type cannot be cast to the input's type."),
    Code("SPC402", "literal-type-mismatch", "error",
         "input '{var}' of node '{node}' has type {expected}, but the literal bound to it is "
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
         "input '{var}' of node '{node}' has type {expected}, which cannot take {found}",
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
         "output '{source}' has type {found}, which has no field '{field}'",
         flyte_code="FieldNotFound",
         summary="An attribute path names a field the dataclass type does not have."),
    Code("SPC411", "index-into-non-collection", "error",
         "output '{source}' is indexed with [{index}], but its type {found} is not a list",
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
         "branch '{node}' has no else case; add 'elseNode', or 'error' to fail when no case holds",
         flyte_code="BranchNodeHasNoDefault",
         summary="A branch needs an else node or an else error."),
    # ---- 9xx: internal ------------------------------------------------------------------------
    Code("SPC900", "internal-error", "error",
         "internal error in {stage}: {error}; this is a bug in specc, please report it",
         summary="specc itself failed. The input may be fine."),
)

CODES: dict[str, Code] = {c.code: c for c in _ALL}
BY_NAME: dict[str, Code] = {c.name: c for c in _ALL}
