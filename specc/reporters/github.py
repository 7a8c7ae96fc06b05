"""GitHub Actions workflow commands: one annotation per diagnostic on a pull request's diff.

``::error file=wf.yaml,line=24,col=20,endLine=24,endColumn=59,title=SPC401::message``; ``warning``
and ``notice`` for the other severities. In the message ``%``, CR and LF are escaped (``%25``,
``%0D``, ``%0A``); in property values also ``:`` and ``,`` (``%3A``, ``%2C``), as the Actions
runner expects. Paths are relative to the current directory (the workspace), with forward
slashes. GitHub takes ``col``/``endColumn`` only on a one-line annotation, and ``endColumn`` is
inclusive. Protobuf input has no lines: the annotation is on the file (the archive, for a bundle
member) and the member and field path lead the message.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from specc.diagnostics import Diagnostic
from specc.reporters.common import file_and_member, repo_path

if TYPE_CHECKING:
    from specc.reporters.common import Outcome

COMMANDS = {"error": "error", "warning": "warning", "note": "notice"}


def escape_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(s: str) -> str:
    return escape_data(s).replace(":", "%3A").replace(",", "%2C")


def annotation(d: Diagnostic) -> str:
    props: list[tuple[str, str]] = []
    message = d.message
    if d.source is not None:
        path, member = file_and_member(d.source)
        props.append(("file", repo_path(path) or path.replace("\\", "/")))
        if d.span is not None and member is None:
            s = d.span
            props.append(("line", str(s.line)))
            if s.end_line == s.line:
                props.append(("col", str(s.column)))
                props.append(("endLine", str(s.end_line)))
                props.append(("endColumn", str(max(s.column, s.end_column - 1))))
            else:
                props.append(("endLine", str(s.end_line)))
        else:
            where = f"{member or ''}{d.pointer or ''}"
            if where:
                message = f"{where}: {message}"
    props.append(("title", d.code))
    head = ",".join(f"{k}={escape_property(v)}" for k, v in props)
    return f"::{COMMANDS.get(d.severity, 'warning')} {head}::{escape_data(message)}"


def render(result: Outcome, **_: object) -> str:
    return "".join(annotation(d) + "\n" for d in result.diagnostics)
