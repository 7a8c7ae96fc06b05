"""``specc convert --to specc``: documents to dialect files, one per source file, each
document written the shorter of two ways and checked to lower back exactly."""
from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from specc.dialect.emit.base import EmitError
from specc.dialect.emit.build import build, render
from specc.dialect.emit.canonical import Check
from specc.dialect.emit.comments import (
    attach_comments,
    leading_comment,
    source_comments,
)
from specc.dialect.emit.patch import patch


def plan(documents: Any, check: Check) -> list[tuple[str, None, str, object]]:
    """``specc convert --to specc``'s work list: (file name, None, dialect text, a document of
    that file), in the shape of ``specc.convert.plan``."""
    first: dict[str, object] = {}
    for doc in documents:
        first.setdefault(doc.file.display, doc)
    return [(name, None, text, first[key]) for key, name, text in _files(documents, check)]


def to_dialect(documents: Any, check: Check) -> list[tuple[str, str]]:
    """Dialect YAML files for canonical documents: ``[(name, text)]``, one per source file."""
    return [(name, text) for _, name, text in _files(documents, check)]


def _files(documents: Any, check: Check) -> list[tuple[str, str, str]]:
    """(source file, output name, text) for every source file with documents."""
    groups: dict[str, list] = {}
    for doc in documents:
        if doc.canonical is not None and doc.kind is not None:
            groups.setdefault(doc.file.display, []).append(doc)
    out: list[tuple[str, str, str]] = []
    used: set[str] = set()
    for key, docs in groups.items():
        texts = [text for doc in docs for text in _document_texts(doc, check)]
        if texts:
            out.append((key, _file_name(key, used), "---\n".join(texts)))
    return out


def _document_texts(doc: Any, check: Check) -> list[str]:
    """The dialect documents of one source document, with its comments."""
    comment = leading_comment(doc)
    inner = source_comments(doc)
    texts = []
    for i, (kind, original, src, dst) in enumerate(pieces(doc.kind, doc.canonical)):
        mine = [(dst + p[len(src):], lines) for p, lines in inner
                if p == src or p.startswith(src + "/") or (not src and p == "")]
        text = document_text(kind, original, check, mine)
        texts.append(comment + text if i == 0 and comment else text)
    return texts


def _file_name(key: str, used: set[str]) -> str:
    """``<stem>.yaml`` for the source file ``key`` (``<stem>.<n>.yaml`` when taken)."""
    stem = PurePosixPath(key.split("!")[-1].replace("\\", "/")).name
    for suffix in (".tar.gz", ".tgz", ".yaml", ".yml", ".json", ".pb"):
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
            break
    candidate = f"{stem}.yaml"
    n = 2
    while candidate in used:
        candidate = f"{stem}.{n}.yaml"
        n += 1
    used.add(candidate)
    return candidate


def split(kind: str, c: dict) -> list[tuple[str, dict]]:
    """A canonical document as the flyteidl documents the dialect has: (TaskSpec | WorkflowSpec |
    LaunchPlan, canonical dict)."""
    return [(k, x) for k, x, _, _ in pieces(kind, c)]


def pieces(kind: str, c: dict) -> list[tuple[str, dict, str, str]]:
    """``split`` with, for each piece, the pointer prefix it has in the document and the one it
    has in the piece (to carry comments over)."""
    if kind == "TaskTemplate":
        return [("TaskSpec", {"template": c}, "", "/template")]
    if kind == "WorkflowTemplate":
        return [("WorkflowSpec", {"template": c}, "", "/template")]
    if kind == "WorkflowClosure":
        out = [("TaskSpec", {"template": t}, f"/tasks/{i}", "/template")
               for i, t in enumerate(c.get("tasks", []))]
        if "workflow" in c:
            out.append(("WorkflowSpec", {"template": c["workflow"]}, "/workflow", "/template"))
        return out
    if kind in ("TaskSpec", "WorkflowSpec", "LaunchPlan"):
        return [(kind, c, "", "")]
    return [(k, x, "\0", "") for k, x in _split_other(kind, c)]


def _split_other(kind: str, c: dict) -> list[tuple[str, dict]]:
    """admin.Task and admin.Workflow (as flytectl prints them): their templates."""
    if kind == "Task":
        t = c.get("closure", {}).get("compiledTask", {}).get("template")
        return [("TaskSpec", {"template": t})] if t else []
    if kind == "Workflow":
        cw = c.get("closure", {}).get("compiledWorkflow", {})
        out = [("TaskSpec", {"template": t["template"]}) for t in cw.get("tasks", [])
               if "template" in t]
        spec: dict = {"template": cw.get("primary", {}).get("template", {})}
        subs = [s["template"] for s in cw.get("subWorkflows", []) if "template" in s]
        if subs:
            spec["subWorkflows"] = subs
        out.append(("WorkflowSpec", spec))
        return out
    return []


def document_text(kind: str, original: dict, check: Check,
                  comments: list | None = None) -> str:
    """One dialect document (YAML text, no '---') that lowers to exactly ``original`` (as
    ``check`` computes canonical forms); ``comments`` are (pointer into ``original``, comment
    lines) to carry over."""
    texts = []
    for style in (None, "pyflyte"):
        data = build(kind, original, style)
        if comments:
            attach_comments(data, kind, original, comments)
        patch(data, original, check)
        texts.append(render(data))
    best = min(texts, key=lambda text: text.count("\n"))  # the first of the shortest
    got = check.text(best)
    if got != original:
        raise EmitError(f"the dialect form of {kind} "
                        f"'{_ident_name(kind, original)}' does not lower back exactly")
    return best


def _ident_name(kind: str, c: dict) -> str:
    if kind == "LaunchPlan":
        return c.get("id", {}).get("name", "")
    return c.get("template", {}).get("id", {}).get("name", "")
