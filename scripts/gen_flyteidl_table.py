"""Generate specc/data/flyteidl.json from flyteidl's protobuf descriptors.

The table lists, for every message reachable from the document kinds specc reads, its fields with
their JSON and proto names, value kind, label and oneof; and every enum with its values. The
check-schema pass, the front-ends' name normalisation and the JSON Schema generator all read this
one table, so they never import protobuf and never drift from flyteidl.

Usage: python scripts/gen_flyteidl_table.py [--check]
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOTS = (
    "flyteidl.admin.TaskSpec",
    "flyteidl.admin.WorkflowSpec",
    "flyteidl.admin.LaunchPlan",
    "flyteidl.admin.Task",
    "flyteidl.admin.Workflow",
    "flyteidl.core.TaskTemplate",
    "flyteidl.core.WorkflowTemplate",
    "flyteidl.core.WorkflowClosure",
    "flyteidl.core.CompiledWorkflowClosure",
    "flyteidl.core.CompiledTask",
)
# Messages with a special proto3-JSON form: they are leaves of the table.
WELL_KNOWN = {
    "google.protobuf.Struct": "struct",
    "google.protobuf.Value": "value",
    "google.protobuf.ListValue": "list_value",
    "google.protobuf.Duration": "duration",
    "google.protobuf.Timestamp": "timestamp",
    "google.protobuf.Any": "any",
    "google.protobuf.BoolValue": "wrapper:bool",
    "google.protobuf.StringValue": "wrapper:string",
    "google.protobuf.BytesValue": "wrapper:bytes",
    "google.protobuf.Int32Value": "wrapper:int32",
    "google.protobuf.UInt32Value": "wrapper:uint32",
    "google.protobuf.Int64Value": "wrapper:int64",
    "google.protobuf.UInt64Value": "wrapper:uint64",
    "google.protobuf.FloatValue": "wrapper:float",
    "google.protobuf.DoubleValue": "wrapper:double",
}
OUT = Path(__file__).resolve().parent.parent / "specc" / "data" / "flyteidl.json"


def _scalar_kind(fd) -> str:
    from google.protobuf.descriptor import FieldDescriptor as F

    return {
        F.TYPE_DOUBLE: "double", F.TYPE_FLOAT: "float",
        F.TYPE_INT64: "int64", F.TYPE_SINT64: "int64", F.TYPE_SFIXED64: "int64",
        F.TYPE_UINT64: "uint64", F.TYPE_FIXED64: "uint64",
        F.TYPE_INT32: "int32", F.TYPE_SINT32: "int32", F.TYPE_SFIXED32: "int32",
        F.TYPE_UINT32: "uint32", F.TYPE_FIXED32: "uint32",
        F.TYPE_BOOL: "bool", F.TYPE_STRING: "string", F.TYPE_BYTES: "bytes",
    }[fd.type]


def _value(fd) -> dict:
    """The value part of a field: kind plus the referenced type name where there is one."""
    if fd.message_type is not None:
        name = fd.message_type.full_name
        if name in WELL_KNOWN:
            return {"kind": WELL_KNOWN[name]}
        return {"kind": "message", "type": name}
    if fd.enum_type is not None:
        return {"kind": "enum", "type": fd.enum_type.full_name}
    return {"kind": _scalar_kind(fd)}


def build() -> dict:
    import flyteidl.admin.launch_plan_pb2
    import flyteidl.admin.task_pb2
    import flyteidl.admin.workflow_pb2
    import flyteidl.core.compiler_pb2
    import flyteidl.core.workflow_closure_pb2  # noqa: F401
    from google.protobuf import descriptor_pool

    pool = descriptor_pool.Default()
    messages: dict[str, dict] = {}
    enums: dict[str, dict] = {}
    todo = [pool.FindMessageTypeByName(r) for r in ROOTS]
    while todo:
        md = todo.pop()
        if md.full_name in messages or md.full_name in WELL_KNOWN:
            continue
        fields = []
        for fd in md.fields:
            entry = {"json": fd.json_name, "proto": fd.name}
            if fd.message_type is not None and fd.message_type.GetOptions().map_entry:
                key_fd = fd.message_type.fields_by_name["key"]
                val_fd = fd.message_type.fields_by_name["value"]
                entry["label"] = "map"
                entry["key"] = _scalar_kind(key_fd)
                entry.update(_value(val_fd))
                vt = val_fd.message_type or val_fd.enum_type
            else:
                entry["label"] = "repeated" if fd.is_repeated else "single"
                entry.update(_value(fd))
                vt = fd.message_type or fd.enum_type
            oneof = fd.containing_oneof
            if oneof is not None and not (
                # proto3 `optional` fields live in a synthetic oneof: presence, not a choice
                len(oneof.fields) == 1 and oneof.name.startswith("_")
            ):
                entry["oneof"] = oneof.name
            elif fd.has_presence and fd.message_type is None:
                entry["presence"] = True
            if getattr(fd.GetOptions(), "deprecated", False):
                entry["deprecated"] = True
            fields.append(entry)
            if vt is not None and entry["kind"] in ("message", "enum"):
                if entry["kind"] == "enum":
                    enums[vt.full_name] = {v.name: v.number for v in vt.values}
                else:
                    todo.append(vt)
        messages[md.full_name] = {"fields": fields}
    return {
        "flyteidl": _flyteidl_version(),
        "roots": list(ROOTS),
        "messages": dict(sorted(messages.items())),
        "enums": dict(sorted(enums.items())),
    }


def _flyteidl_version() -> str:
    from importlib.metadata import version

    return version("flyteidl")


def render() -> str:
    return json.dumps(build(), indent=1, sort_keys=False) + "\n"


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        if OUT.read_text() != text:
            print(f"{OUT} is out of date; run python scripts/gen_flyteidl_table.py",
                  file=sys.stderr)
            return 1
        return 0
    OUT.write_text(text)
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
