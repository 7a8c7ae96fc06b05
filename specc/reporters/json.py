"""JSON: exactly one object on stdout, the contract other tools parse.

``{"diagnostics": [{code, name, severity, message, file, line, column, end_line, end_column,
pointer, flyte_code, help, related: [{file, line, column, message}]}], "summary": {files,
errors, warnings, not_checked, external}}`` (``help``: what fixes it, the text reporter's
``help:`` line, or null; ``external``: references to entities registered elsewhere that were not
checked).
Positions are 1-based; null where unknown (protobuf input has a pointer instead).
"""
from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from specc.reporters.common import Outcome


def to_obj(result: Outcome) -> dict[str, Any]:
    diags = []
    for d in result.diagnostics:
        s = d.span
        diags.append({
            "code": d.code,
            "name": d.name,
            "severity": d.severity,
            "message": d.message,
            "file": d.file,
            "line": s.line if s else None,
            "column": s.column if s else None,
            "end_line": s.end_line if s else None,
            "end_column": s.end_column if s else None,
            "pointer": d.pointer,
            "flyte_code": d.flyte_code,
            "help": d.help,
            "related": [{"file": r.file, "line": r.span.line if r.span else None,
                         "column": r.span.column if r.span else None, "message": r.message}
                        for r in d.related],
        })
    summary = {"files": result.files, "errors": result.errors, "warnings": result.warnings}
    summary["not_checked"] = len(getattr(result, "not_checked", None) or ())
    from specc.reporters.common import external_count

    summary["external"] = external_count(result)
    return {"diagnostics": diags, "summary": summary}


def render(result: Outcome, statistics: bool = False, **_: object) -> str:
    """``statistics``: add ``"statistics": [{code, name, severity, count}]`` (only when asked,
    so the object's keys stay the contract)."""
    obj = to_obj(result)
    if statistics:
        from specc.reporters.common import statistics as stats

        obj["statistics"] = stats(result)
    return json.dumps(obj, indent=2, ensure_ascii=False) + "\n"
