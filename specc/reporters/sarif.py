"""SARIF 2.1.0, the form GitHub code scanning uploads (``github/codeql-action/upload-sarif``).

One run; ``tool.driver.rules`` holds a rule for every code that appears (id, name, short and full
description, help as text and markdown, helpUri into docs/codes.md, default level, Flyte's error
name); each result has its rule, level, message, a location (artifact URI relative to the current
directory under ``%SRCROOT%``, region in UTF-16 columns, end exclusive) and related locations.
Protobuf input has no lines: its results have no region, and the field path is a logical location
and ``properties.pointer``. A diagnostic about no file at all (SPC900) is a notification of the
invocation, since GitHub rejects a result without a location.
``partialFingerprints.primaryLocationLineHash`` hashes code, file and the trimmed source line (or
the pointer), plus an occurrence index among identical keys, so a finding keeps its identity when
lines above it move. A diagnostic that can be fixed has its fixes (``fixes``: a description and
the replacements, regions in UTF-16 columns like every region) and its ``help`` line in the
message's markdown.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from specc import __version__
from specc.diagnostics import Diagnostic
from specc.reporters.common import file_and_member, repo_path
from specc.source import SourceFile, Span

if TYPE_CHECKING:
    from specc.reporters.common import Outcome

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/specc-dev/specc"
LEVELS = {"error": "error", "warning": "warning", "note": "note"}


def _utf16_column(text: str | None, column: int) -> int:
    """A 1-based code-point column as a 1-based UTF-16 code-unit column (SARIF's default)."""
    if text is None or column <= 1:
        return column
    head = text[:column - 1]
    return len(head.encode("utf-16-le")) // 2 + max(0, column - 1 - len(head)) + 1


def _artifact(source: SourceFile) -> tuple[dict[str, Any], str | None]:
    """artifactLocation for a diagnostic's file, and the archive member it names (if any)."""
    path, member = file_and_member(source)
    rel = repo_path(path)
    if rel is not None:
        # a URI: the path's bytes percent-encoded where a URI cannot hold them as they are (a
        # space, a byte of a name that is not UTF-8), as Path.as_uri does for absolute ones
        uri = quote(os.fsencode(rel), safe="/!$&'()*+,;=:@~")
        return {"uri": uri, "uriBaseId": "%SRCROOT%"}, member
    return {"uri": Path(path).resolve().as_uri()}, member


def _region(source: SourceFile, span: Span) -> dict[str, int]:
    """A SARIF region of a span (an empty span, an insertion, stays empty)."""
    start_text = source.line_text(span.line)
    end_text = start_text if span.end_line == span.line else source.line_text(span.end_line)
    region = {"startLine": span.line, "startColumn": _utf16_column(start_text, span.column),
              "endLine": span.end_line, "endColumn": _utf16_column(end_text, span.end_column)}
    if region["endLine"] == region["startLine"] and region["endColumn"] < region["startColumn"]:
        region["endColumn"] = region["startColumn"]
    return region


def _location(source: SourceFile | None, span: Span | None, pointer: str | None,
              message: str | None = None, ident: int | None = None) -> dict[str, Any] | None:
    if source is None:
        return None
    artifact, member = _artifact(source)
    loc: dict[str, Any] = {}
    if ident is not None:
        loc["id"] = ident
    physical: dict = {"artifactLocation": artifact}
    if span is not None and member is None:
        physical["region"] = _region(source, span)
    loc["physicalLocation"] = physical
    if span is None or member is not None:
        name = f"{member}{pointer or ''}" if member else pointer
        if name:
            loc["logicalLocations"] = [{"fullyQualifiedName": name, "kind": "member"}]
    if message:
        loc["message"] = {"text": message}
    return loc


def _fixes(d: Diagnostic) -> list[dict[str, Any]]:
    """SARIF ``fix`` objects for the diagnostic's fixes (edits grouped by file)."""
    out = []
    for f in d.fixes:
        changes: dict[str, dict[str, Any]] = {}
        for e in f.edits:
            artifact, member = _artifact(e.source)
            if member is not None:
                break
            change = changes.setdefault(e.source.display, {"artifactLocation": artifact,
                                                           "replacements": []})
            change["replacements"].append({"deletedRegion": _region(e.source, e.span),
                                           "insertedContent": {"text": e.new_text}})
        else:
            out.append({"description": {"text": f.title}, "artifactChanges": list(
                changes.values())})
    return out


def _rule(code: str) -> dict:
    from specc import explain
    from specc.codes import CODES

    entry = CODES[code]
    expl = explain.load(code)
    short = entry.summary or entry.name
    full = short
    help_md = short
    if expl is not None:
        full = f"{short} {_plain(expl.why)}"
        help_md = f"{short}\n\n{expl.markdown}"
    if entry.flyte_code:
        help_md += f"\n\nFlyte's compiler reports this as `{entry.flyte_code}`."
    help_md = f"{help_md.rstrip()}\n\n[{code} in docs/codes.md]({explain.help_uri(code)})\n"
    props: dict = {"tags": ["flyte", entry.severity]}
    if entry.flyte_code:
        props["flyte_code"] = entry.flyte_code
    return {
        "id": code,
        "name": entry.name,
        "shortDescription": {"text": short},
        "fullDescription": {"text": full},
        "help": {"text": _plain(help_md), "markdown": help_md},
        "helpUri": explain.help_uri(code),
        "defaultConfiguration": {"level": LEVELS.get(entry.severity, "warning")},
        "properties": props,
    }


def _md_escape(text: str) -> str:
    """Plain text as markdown that shows it as written (names hold '_' and '*')."""
    return re.sub(r"([\\`*_{}\[\]<>#|])", r"\\\1", text)


def _plain(md: str) -> str:
    """Markdown without fences and emphasis, for the plain-text variants."""
    lines = [ln for ln in md.splitlines() if not ln.lstrip().startswith("```")]
    text = "\n".join(lines).replace("**", "").strip()
    return re.sub(r"\[([^\]]+)\]\((\S+)\)", r"\1: \2", text)


def _fingerprint(d: Diagnostic, seen: dict[str, int]) -> str:
    anchor = ""
    if d.span is not None and d.source is not None:
        anchor = (d.source.line_text(d.span.line) or "").strip()
    if not anchor:
        anchor = d.pointer or ""
    file = ""
    if d.source is not None:
        path, member = file_and_member(d.source)
        file = (repo_path(path) or path) + (f"!{member}" if member else "")
    # surrogatepass: a file name that is not UTF-8 still hashes (to the same key every run)
    key = hashlib.sha256(f"{d.code}\0{file}\0{anchor}".encode("utf-8", "surrogatepass")
                         ).hexdigest()[:32]
    seen[key] = seen.get(key, 0) + 1
    return f"{key}:{seen[key]}"


def to_obj(result: Outcome) -> dict[str, Any]:
    # GitHub requires a location on every result: a diagnostic about no file (SPC900, specc
    # failing) becomes a notification of the tool's invocation instead
    located = [d for d in result.diagnostics if d.file]
    notes = [{"level": LEVELS.get(d.severity, "warning"), "message": {"text": d.message},
              "associatedRule": {"id": d.code}}
             for d in result.diagnostics if not d.file]
    codes = sorted({d.code for d in located})
    index = {c: i for i, c in enumerate(codes)}
    seen: dict[str, int] = {}
    results = []
    for d in located:
        r: dict = {
            "ruleId": d.code,
            "ruleIndex": index[d.code],
            "level": LEVELS.get(d.severity, "warning"),
            "message": {"text": d.message},
        }
        if d.help is not None:
            r["message"]["markdown"] = f"{_md_escape(d.message)}\n\n**help**: {_md_escape(d.help)}"
        r["locations"] = [_location(d.source, d.span, d.pointer)]
        related = [_location(rel.source, rel.span, rel.pointer, rel.message, i)
                   for i, rel in enumerate(d.related)]
        related = [x for x in related if x is not None]
        if related:
            r["relatedLocations"] = related
        fixes = _fixes(d)
        if fixes:
            r["fixes"] = fixes
        r["partialFingerprints"] = {"primaryLocationLineHash": _fingerprint(d, seen)}
        props: dict = {"pass": d.pass_name}
        if d.pointer:
            props["pointer"] = d.pointer
        if d.flyte_code:
            props["flyte_code"] = d.flyte_code
        r["properties"] = props
        results.append(r)
    run: dict = {
        "tool": {"driver": {
            "name": "specc",
            "version": __version__,
            "semanticVersion": __version__,
            "informationUri": INFORMATION_URI,
            "rules": [_rule(c) for c in codes],
        }},
        "invocations": [{"executionSuccessful": not result.internal_error,
                         **({"toolExecutionNotifications": notes} if notes else {})}],
        "originalUriBaseIds": {"%SRCROOT%": {"uri": Path.cwd().resolve().as_uri() + "/"}},
        "columnKind": "utf16CodeUnits",
        "results": results,
    }
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}


def render(result: Outcome, **_: object) -> str:
    return json.dumps(to_obj(result), indent=2, ensure_ascii=False) + "\n"
