"""Protobuf front-end: one serialized flyteidl message per file.

pyflyte names its files ``<index>_<name>_<1|2|3>.pb``: 1 is an ``admin.TaskSpec``, 2 an
``admin.WorkflowSpec``, 3 an ``admin.LaunchPlan``. Other names are decoded as each kind in turn and
accepted when exactly one decodes to a plausible message. Protobuf has no lines: diagnostics on
these documents carry a JSON pointer (the field path) instead.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from specc import diagnostics as dg
from specc.frontends.common import file_loc
from specc.source import Document, Limits, SourceFile

if TYPE_CHECKING:
    from google.protobuf.message import Message

SUFFIX_KIND = {"1": "TaskSpec", "2": "WorkflowSpec", "3": "LaunchPlan"}
_NAME = re.compile(r"_(\d)\.pb$")


def message_class(kind: str) -> type[Message]:
    """The flyteidl generated class for a document kind (imports protobuf on first use)."""
    from flyteidl.admin import launch_plan_pb2, task_pb2, workflow_pb2
    from flyteidl.core import tasks_pb2, workflow_closure_pb2
    from flyteidl.core import workflow_pb2 as core_wf

    return {
        "TaskSpec": task_pb2.TaskSpec,
        "WorkflowSpec": workflow_pb2.WorkflowSpec,
        "LaunchPlan": launch_plan_pb2.LaunchPlan,
        "Task": task_pb2.Task,
        "Workflow": workflow_pb2.Workflow,
        "TaskTemplate": tasks_pb2.TaskTemplate,
        "WorkflowTemplate": core_wf.WorkflowTemplate,
        "WorkflowClosure": workflow_closure_pb2.WorkflowClosure,
    }[kind]


def _plausible(kind: str, msg: Message) -> bool:
    if kind == "TaskSpec":
        return msg.HasField("template") and bool(msg.template.type or msg.template.id.name)
    if kind == "WorkflowSpec":
        return (msg.HasField("template") and len(msg.template.nodes) > 0
                and all(len(s.nodes) > 0 for s in msg.sub_workflows))
    if kind == "LaunchPlan":
        return msg.HasField("spec") and msg.spec.HasField("workflow_id")
    if kind == "WorkflowClosure":
        return (msg.HasField("workflow") and len(msg.workflow.nodes) > 0
                and all(t.type or t.id.name for t in msg.tasks))
    return False


def decode(data: bytes, kind: str) -> Message:
    """Decode ``data`` as ``kind``; raises ``google.protobuf.message.DecodeError``."""
    msg = message_class(kind)()
    msg.ParseFromString(data)
    return msg


def load(data: bytes, src: SourceFile, limits: Limits
         ) -> tuple[list[Document], list[dg.Diagnostic]]:
    from google.protobuf.message import DecodeError

    from specc.protojson import PrintError, to_dict

    loc = file_loc(src)
    m = _NAME.search(src.display)
    kind = SUFFIX_KIND.get(m.group(1)) if m else None
    if not data:
        return [Document(src, 0, None, None, kind=kind)], []
    if kind is not None:
        try:
            msg = decode(data, kind)
        except (DecodeError, RecursionError, ValueError) as e:
            return [], [dg.make("SPC006", loc, "load",
                                reason=f"not a valid {kind} protobuf message ({_why(e)})")]
    else:
        found = []
        for k in ("TaskSpec", "WorkflowSpec", "LaunchPlan", "WorkflowClosure"):
            try:
                cand = decode(data, k)
            except (DecodeError, RecursionError, ValueError):
                continue
            if _plausible(k, cand):
                found.append((k, cand))
        if len(found) != 1:
            reason = ("it decodes as none of TaskSpec, WorkflowSpec, LaunchPlan or WorkflowClosure"
                      if not found else "it decodes as " + " and as ".join(k for k, _ in found))
            return [], [dg.make("SPC008", loc, "load", reason=reason,
                                hint="name the file like pyflyte does: '<name>_1.pb' for a task, "
                                     "'_2.pb' for a workflow, '_3.pb' for a launch plan")]
        kind, msg = found[0]
    try:
        # json_format.MessageToDict(msg), faster, with maps in sorted key order (specc/protojson.py)
        data_dict = to_dict(msg)
    except PrintError as e:  # NaN in a Struct, an Any of a type flyteidl does not know
        return [], [dg.make("SPC006", loc, "load",
                            reason=f"the {kind} message has no proto3 JSON form ({_why(e)})")]
    doc = Document(src, 0, data_dict, None, kind=kind)
    doc.canonical = data_dict
    return [doc], []


def _why(e: Exception) -> str:
    text = str(e).strip() or type(e).__name__
    return text[:200]


