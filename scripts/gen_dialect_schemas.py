"""Generate the JSON Schemas of the specc dialect (schemas/specc/) for editors.

``Task.schema.json``, ``Workflow.schema.json`` and ``LaunchPlan.schema.json`` describe one kind
each; ``specc.schema.json`` takes any of them (chosen by ``kind``), for files that hold several
kinds: ``# yaml-language-server: $schema=.../schemas/specc/specc.schema.json``. Every field has a
description (the hover text in an editor). docs/dialect.md is the prose; the two are kept in step
by hand, and tests/test_dialect_schemas.py checks the schemas accept every example and reject
misspelt fields.

Usage: python scripts/gen_dialect_schemas.py [--check]
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "schemas" / "specc"
BASE = "https://github.com/specc-dev/specc/blob/main/schemas/specc/"

DURATION = r"^([0-9]+(\.[0-9]+)?(h|ms|us|µs|ns|m|s))+$"


def ref(name: str) -> dict:
    return {"$ref": f"#/$defs/{name}"}


def d(text: str, schema: dict | None = None) -> dict:
    out = dict(schema or {})
    out["description"] = text
    return out


DEFS: dict = {
    "typeExpression": d(
        "A type: int, float, str, bool, datetime, duration, none, binary, struct, list[T], "
        "dict[str, T], T | U, T? (T or none), enum[a, b], file, file[csv], dir, dir[csv], "
        "dataset, dataset[parquet]{col: T}, schema{col: T}, struct{field: T}, struct[Title]; "
        "or flyteidl's LiteralType as a mapping. Quote a type that holds ': '.",
        {"anyOf": [{"type": "string", "minLength": 1}, {"type": "object"}]}),
    "variable": d(
        "A variable: its type, or a mapping with the type and a description.",
        {"anyOf": [ref("typeExpression"), {
            "type": "object",
            "required": ["type"],
            "additionalProperties": False,
            "properties": {
                "type": d("The variable's type.", ref("typeExpression")),
                "description": d("What the variable is (the interface's description).",
                                 {"type": "string"}),
            }}]}),
    "variables": d("Variables by name, in order.", {
        "type": "object", "additionalProperties": ref("variable")}),
    "value": d(
        "A value: a reference (${inputs.x}, ${node.output}, ${node.output.field[0]}), a literal "
        "(number, string, true/false, null for none), a list or a mapping of values, or a typed "
        "value {$datetime: ...}, {$duration: ...}, {$struct: {...}}, {$flyte: <BindingData>}."),
    "literal": d(
        "A value without references: a literal (number, string, true/false, null for none), a "
        "list or a mapping of values, or a typed value {$datetime: ...}, {$duration: ...}, "
        "{$struct: {...}}, {$flyte: <Literal>}."),
    "duration": d("A duration: a number and a unit, several in a row if needed (30s, 5m, "
                  "1h30m, 500ms).", {"type": "string", "pattern": DURATION}),
    "quantity": d("A Kubernetes quantity: 2, 500m, 4Gi.",
                  {"type": ["string", "number"]}),
    "resources": d("Resources by name.", {
        "type": "object", "additionalProperties": False,
        "properties": {
            "cpu": d("CPU cores: 1, 500m.", ref("quantity")),
            "memory": d("Memory: 512Mi, 4Gi.", ref("quantity")),
            "gpu": d("Whole GPUs.", ref("quantity")),
            "storage": d("Storage.", ref("quantity")),
            "ephemeralStorage": d("Ephemeral (local) storage.", ref("quantity")),
        }}),
    "reference": d(
        "What to run: name, name@version or project/domain/name@version (what is left out is "
        "the document's own; name@ means no version), or a mapping.",
        {"anyOf": [{"type": "string", "minLength": 1}, {
            "type": "object", "additionalProperties": False, "required": ["name"],
            "properties": {
                "name": d("The name.", {"type": "string"}),
                "version": d("The version ('' for none).", {"type": "string"}),
                "project": d("The project.", {"type": "string"}),
                "domain": d("The domain.", {"type": "string"}),
                "org": d("The organization.", {"type": "string"}),
            }}]}),
    "overrides": d(
        "What the dialect has no words for, in flyteidl's own terms: a JSON pointer into what "
        "this element lowers to -> the flyteidl value to put there (null removes the field).",
        {"type": "object", "propertyNames": {"pattern": "^/"}}),
    "case": d("A branch case: when/then, or (last) else or fail.", {"oneOf": [
        {"type": "object", "additionalProperties": False, "required": ["when"],
         "properties": {
             "when": d("The condition: comparisons (== != < <= > >=) of references, the "
                       "branch's inputs and literals, joined by and/or, grouped by "
                       "parentheses.", {"type": ["string", "boolean"]}),
             "then": d("The node to run when the condition holds.", ref("innerNode")),
         }},
        {"type": "object", "additionalProperties": False, "required": ["else"],
         "properties": {"else": d("The node to run when no case holds.", ref("innerNode"))}},
        {"type": "object", "additionalProperties": False, "required": ["fail"],
         "properties": {
             "fail": d("Fail with this message when no case holds.", {"type": "string"}),
             "failedNodeId": d("The node the failure is reported for (default: the branch "
                               "node's name, else its id).", {"type": "string"}),
         }},
    ]}),
}

NODE_PROPERTIES = {
    "task": d("Run this task.", ref("reference")),
    "workflow": d("Run this sub-workflow.", ref("reference")),
    "launchPlan": d("Run this launch plan (a child execution).", ref("reference")),
    "branch": d("Run the first case whose condition holds.",
                {"type": "array", "minItems": 1, "items": ref("case")}),
    "map": d("An array node: run this node over the lists bound to this node's inputs (its "
             "inputs, when it has none of its own).", ref("innerNode")),
    "approve": d("A gate: wait for this signal to approve.", {"type": "string"}),
    "signal": d("A gate: wait for a signal and pass on its value.", {
        "anyOf": [{"type": "string"}, {
            "type": "object", "additionalProperties": False,
            "properties": {
                "id": d("The signal's id.", {"type": "string"}),
                "type": d("The signal's type.", ref("typeExpression")),
                "output": d("The output that holds the signal's value (o0 with "
                            "style: pyflyte).", {"type": "string"}),
            }}]}),
    "sleep": d("A gate: wait this long.", ref("duration")),
    "name": d("The node's display name (metadata.name); with style: pyflyte, the last part of "
              "the task's or workflow's name by default.", {"type": "string"}),
    "inputs": d("The node's inputs: name -> value (a reference or a literal).",
                {"type": "object", "additionalProperties": ref("value")}),
    "after": d("Nodes this one waits for beyond its data (upstreamNodeIds); with style: "
               "pyflyte, the nodes its inputs refer to by default.",
               {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}),
    "aliases": d("Output aliases: output -> the name it is known by.",
                 {"type": "object", "additionalProperties": {"type": "string"}}),
    "retries": d("How many times to retry the node.", {"type": "integer", "minimum": 0}),
    "timeout": d("How long the node may run.", ref("duration")),
    "interruptible": d("Whether the node may run on interruptible (spot) machines.",
                       {"type": "boolean"}),
    "requests": d("Resource requests that override the task's (task nodes only).",
                  ref("resources")),
    "limits": d("Resource limits that override the task's (task nodes only).",
                ref("resources")),
    "parallelism": d("An array node: how many of its runs at once.",
                     {"type": "integer", "minimum": 0}),
    "minSuccesses": d("An array node: how many runs must succeed.",
                      {"type": "integer", "minimum": 0}),
    "minSuccessRatio": d("An array node: which part of its runs must succeed.",
                         {"type": "number", "minimum": 0, "maximum": 1}),
    "flyte": d("Overrides of what this node lowers to: JSON pointer -> flyteidl value.",
               ref("overrides")),
}

DEFS["node"] = d("A node: one of task, workflow, launchPlan, branch, map, approve, signal or "
                 "sleep, and its settings.", {
                     "type": "object", "additionalProperties": False,
                     "properties": NODE_PROPERTIES})
DEFS["innerNode"] = d("A node inside another (a branch case, a map, the failure node), with "
                      "its own id.", {
                          "type": "object", "additionalProperties": False,
                          "properties": {
                              "id": d("The node's id (branch cases: n0, n1, ... in order; a "
                                      "map's node: the map node's id; onFailure: fn0).",
                                      {"type": "string"}),
                              **NODE_PROPERTIES}})

COMMON = {
    "apiVersion": d("The dialect's version.", {"const": "specc/v1"}),
    "name": d("The name: the identifier's name (e.g. shop.fetch_orders).", {"type": "string"}),
    "version": d("The identifier's version; what references in this document inherit.",
                 {"type": "string"}),
    "project": d("The identifier's project; what references in this document inherit.",
                 {"type": "string"}),
    "domain": d("The identifier's domain; what references in this document inherit.",
                {"type": "string"}),
    "org": d("The identifier's organization.", {"type": "string"}),
    "style": d("pyflyte: add what pyflyte writes into every spec (empty retries and overrides, "
               "node names, descriptions equal to the names, upstream ids from the data, union "
               "tags, python-task and pyflyte-execute for tasks), for specs converted from "
               "pyflyte's output.", {"enum": ["pyflyte"]}),
    "flyte": d("Overrides of what this document lowers to: JSON pointer -> flyteidl value.",
               ref("overrides")),
}

WORKFLOW_BODY = {
    "inputs": d("The workflow's inputs: name -> type.", ref("variables")),
    "outputs": d("The workflow's outputs: name -> {type, value}.", {
        "type": "object", "additionalProperties": {"anyOf": [ref("typeExpression"), {
            "type": "object", "additionalProperties": False, "required": ["type"],
            "properties": {
                "type": d("The output's type.", ref("typeExpression")),
                "value": d("Where the output comes from (usually ${node.output}).",
                           ref("value")),
                "description": d("What the output is.", {"type": "string"}),
            }}]}}),
    "nodes": d("The nodes, by id, in order.", {
        "type": "object", "additionalProperties": ref("node")}),
    "onFailure": d("The node to run when the workflow fails (its failure node).",
                   ref("innerNode")),
    "interruptible": d("Whether the workflow's nodes may run on interruptible machines "
                       "(metadataDefaults).", {"type": "boolean"}),
    "flyte": d("Overrides of what this sub-workflow lowers to (its WorkflowTemplate): JSON "
               "pointer -> flyteidl value.", ref("overrides")),
}

KINDS = {
    "Task": d("A task (lowers to flyteidl's admin.TaskSpec).", {
        "type": "object", "additionalProperties": False, "required": ["apiVersion", "kind",
                                                                      "name"],
        "properties": {
            **COMMON,
            "kind": d("What this document defines.", {"const": "Task"}),
            "type": d("The task type, which picks the plugin that runs it (default: container; "
                      "python-task with style: pyflyte).", {"type": "string"}),
            "inputs": d("The task's inputs: name -> type.", ref("variables")),
            "outputs": d("The task's outputs: name -> type.", ref("variables")),
            "image": d("The container image.", {"type": "string"}),
            "command": d("The container's command: a string split as a shell would, or a "
                         "list.", {"type": ["string", "array"]}),
            "args": d("The container's arguments: a string split as a shell would, or a list.",
                      {"type": ["string", "array"]}),
            "env": d("Environment variables of the container.",
                     {"type": "object", "additionalProperties": {"type": ["string",
                                                                          "integer"]}}),
            "requests": d("Resource requests.", ref("resources")),
            "limits": d("Resource limits.", ref("resources")),
            "retries": d("How many times to retry the task.", {"type": "integer",
                                                               "minimum": 0}),
            "timeout": d("How long the task may run.", ref("duration")),
            "interruptible": d("Whether the task may run on interruptible (spot) machines.",
                               {"type": "boolean"}),
            "cache": d("Cache the task's outputs: the cache version, or a mapping.", {
                "anyOf": [{"type": ["string", "integer"]}, {
                    "type": "object", "additionalProperties": False,
                    "properties": {
                        "version": d("The cache version; change it to drop cached results.",
                                     {"type": ["string", "integer"]}),
                        "serialize": d("Run identical executions one at a time.",
                                       {"type": "boolean"}),
                        "ignoreInputs": d("Inputs that do not count for the cache key.",
                                          {"type": "array", "items": {"type": "string"}}),
                    }}]}),
            "secrets": d("Secrets the task needs: group or group/key, or a mapping.", {
                "type": "array", "items": {"anyOf": [{"type": "string"}, {
                    "type": "object", "additionalProperties": False,
                    "properties": {
                        "group": d("The secret's group.", {"type": "string"}),
                        "key": d("The secret's key in its group.", {"type": "string"}),
                        "mount": d("How the secret is mounted.",
                                   {"enum": ["any", "env", "file"]}),
                        "groupVersion": d("The group's version.", {"type": "string"}),
                        "envVar": d("The environment variable to mount it as.",
                                    {"type": "string"}),
                    }}]}}),
            "runtime": d("The SDK that made the task (metadata.runtime): {type, version, "
                         "flavor}.", {"type": "object"}),
            "config": d("The task's config: string -> string.",
                        {"type": "object", "additionalProperties": {"type": ["string",
                                                                             "integer"]}}),
            "custom": d("The plugin's custom settings (a JSON object).", {"type": "object"}),
        }}),
    "Workflow": d("A workflow (lowers to flyteidl's admin.WorkflowSpec).", {
        "type": "object", "additionalProperties": False,
        "required": ["apiVersion", "kind", "name"],
        "properties": {
            **COMMON,
            "kind": d("What this document defines.", {"const": "Workflow"}),
            **WORKFLOW_BODY,
            "flyte": COMMON["flyte"],
            "subWorkflows": d("Sub-workflows that ship with this workflow (the spec's "
                              "subWorkflows): name -> body.", {
                                  "type": "object", "additionalProperties": {
                                      "type": "object", "additionalProperties": False,
                                      "properties": {
                                          **WORKFLOW_BODY,
                                          "version": COMMON["version"],
                                          "project": COMMON["project"],
                                          "domain": COMMON["domain"],
                                          "org": COMMON["org"],
                                      }}}),
        }}),
    "LaunchPlan": d("A launch plan (lowers to flyteidl's admin.LaunchPlan).", {
        "type": "object", "additionalProperties": False,
        "required": ["apiVersion", "kind", "name", "workflow"],
        "properties": {
            **COMMON,
            "kind": d("What this document defines.", {"const": "LaunchPlan"}),
            "workflow": d("The workflow it launches.", ref("reference")),
            "inputs": d("Inputs with defaults (or required): name -> type, or {type, default, "
                        "required, description}.", {
                            "type": "object", "additionalProperties": {"anyOf": [
                                ref("typeExpression"), {
                                    "type": "object", "additionalProperties": False,
                                    "required": ["type"],
                                    "properties": {
                                        "type": d("The input's type.", ref("typeExpression")),
                                        "default": d("The default value.", ref("literal")),
                                        "required": d("Whether a value must be given "
                                                      "(default: when there is no default).",
                                                      {"type": "boolean"}),
                                        "description": d("What the input is.",
                                                         {"type": "string"}),
                                    }}]}}),
            "fixed": d("Inputs fixed to a value: name -> value.",
                       {"type": "object", "additionalProperties": ref("literal")}),
            "schedule": d("When to launch: a cron expression, or a mapping.", {
                "anyOf": [{"type": "string"}, {
                    "type": "object", "additionalProperties": False,
                    "properties": {
                        "cron": d("A cron expression (5 fields, or @daily and friends).",
                                  {"type": "string"}),
                        "every": d("A fixed rate: 10m, 2h or 1d.",
                                   {"type": "string", "pattern": "^[0-9]+[mhd]$"}),
                        "kickoffInput": d("The datetime input that gets the scheduled time.",
                                          {"type": "string"}),
                    }}]}),
            "notify": d("Notifications when executions reach phases.", {
                "type": "array", "items": {
                    "type": "object", "additionalProperties": False,
                    "properties": {
                        "phases": d("The phases: succeeded, failed, timed_out, aborted, ...",
                                    {"anyOf": [{"type": "string"},
                                               {"type": "array", "items": {"type": "string"}}]}),
                        "email": d("Email recipients.", {"type": ["string", "array"]}),
                        "slack": d("Slack recipients (channels or addresses).",
                                   {"type": ["string", "array"]}),
                        "pagerDuty": d("PagerDuty recipients.", {"type": ["string", "array"]}),
                    }}}),
            "labels": d("Labels of the executions (Kubernetes label syntax).",
                        {"type": "object", "additionalProperties": {"type": "string"}}),
            "annotations": d("Annotations of the executions.",
                             {"type": "object", "additionalProperties": {"type": "string"}}),
        }}),
}


def schema(kind: str | None) -> dict:
    out = {"$schema": "https://json-schema.org/draft/2020-12/schema",
           "$id": BASE + (f"{kind}.schema.json" if kind else "specc.schema.json")}
    if kind is None:
        out["title"] = "specc dialect document"
        out["description"] = ("A document of the specc authoring dialect (docs/dialect.md): "
                              "a Task, a Workflow or a LaunchPlan, by its kind.")
        out["type"] = "object"
        out["required"] = ["apiVersion", "kind"]
        out["properties"] = {
            "apiVersion": COMMON["apiVersion"],
            "kind": d("What this document defines.", {"enum": list(KINDS)}),
        }
        out["allOf"] = [{"if": {"properties": {"kind": {"const": k}}, "required": ["kind"]},
                         "then": ref(k)} for k in KINDS]
        out["$defs"] = {**DEFS, **KINDS}
    else:
        out["title"] = f"specc {kind}"
        out.update(KINDS[kind])
        out["$defs"] = DEFS
    return out


def render() -> dict[str, str]:
    files = {f"{k}.schema.json": schema(k) for k in KINDS}
    files["specc.schema.json"] = schema(None)
    return {name: json.dumps(s, indent=1, ensure_ascii=False) + "\n" for name, s in files.items()}


def stale() -> list[str]:
    out = []
    for name, text in render().items():
        path = OUT / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            out.append(str(path.relative_to(ROOT)))
    return out


def main(argv: list[str]) -> int:
    if "--check" in argv:
        problems = stale()
        for p in problems:
            print(f"stale: {p}")
        return 1 if problems else 0
    OUT.mkdir(parents=True, exist_ok=True)
    for name, text in render().items():
        (OUT / name).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
