"""Comments carried over from a YAML source: the ones above a document, and the full-line ones
inside it, placed above the dialect key of the part they stood above."""
from __future__ import annotations

from typing import Any

from specc.yamlwrite import Commented, Compact


def leading_comment(doc: Any) -> str:
    """The comment lines right above a YAML document, to carry over."""
    src = doc.file
    if src.form != "yaml" or not src.text or doc.spans is None:
        return ""
    root = doc.spans.lookup("")
    if root is None:
        return ""
    lines = src.text.split("\n")
    out: list[str] = []
    i = root.line - 2
    while i >= 0 and lines[i].lstrip().startswith("#"):
        out.append(lines[i].strip())
        i -= 1
    return "".join(ln + "\n" for ln in reversed(out))


def source_comments(doc: Any) -> list[tuple[str, list[str]]]:
    """Full-line comments inside a YAML document: (canonical pointer of the line they stand
    above, the comment lines)."""
    from specc.frontends import pointer_at

    src = doc.file
    if src.form != "yaml" or not src.text or doc.spans is None:
        return []
    root = doc.spans.lookup("")
    if root is None:
        return []
    lines = src.text.split("\n")
    inverse = {v: k for k, v in (doc.pointer_map or {}).items()}
    out = []
    i, end = root.line - 1, min(root.end_line - 1, len(lines) - 1)
    while i <= end:
        if not lines[i].lstrip().startswith("#"):
            i += 1
            continue
        block = []
        while i <= end and lines[i].lstrip().startswith("#"):
            block.append(lines[i].strip())
            i += 1
        j = i
        while j <= end and not lines[j].strip():
            j += 1
        pointer = ""
        if j <= end:
            line = lines[j]
            col = len(line) - len(line.lstrip(" -")) + 1
            pointer = pointer_at(doc, j + 1, col) or ""
        out.append((_canonical_pointer(pointer, inverse), block))
    return out


def _canonical_pointer(pointer: str, inverse: dict[str, str]) -> str:
    p = pointer
    while p:
        c = inverse.get(p)
        if c is not None:
            return c + pointer[len(p):]
        p = p[: p.rfind("/")]
    return pointer


def attach_comments(data: dict, kind: str, original: dict, comments: list) -> None:
    """Comments above a node, a variable or a launch plan input go above its key; the others
    go above the dialect key of the part they stood above (``COMMENT_KEYS``), or to the top of
    the document."""
    top: list[str] = []
    for pointer, lines in comments:
        parts = [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:]]
        if not (_place_keyed(data, kind, original, parts, lines) or
                _place_part(data, pointer, lines)):
            top.extend(lines)
    if top and isinstance(data, Commented):
        data.comments.setdefault(next(iter(data)), []).extend(top)


def _place_keyed(data: dict, kind: str, original: dict, parts: list[str], lines: list[str]
                 ) -> bool:
    """Put ``lines`` above the node, variable or launch plan input ``parts`` is in."""
    if kind == "WorkflowSpec" and parts[:2] == ["template", "nodes"] and len(parts) > 2 \
            and parts[2].isdigit():
        nodes = original.get("template", {}).get("nodes", [])
        i = int(parts[2])
        target = _commented(data, "nodes")
        return target is not None and i < len(nodes) and _note(target, nodes[i].get("id"), lines)
    if kind in ("WorkflowSpec", "TaskSpec") and parts[:2] == ["template", "interface"] \
            and len(parts) > 4 and parts[3] == "variables":
        target = _commented(data, parts[2]) if parts[2] in ("inputs", "outputs") else None
        return target is not None and _note(target, parts[4], lines)
    if kind == "LaunchPlan" and parts[:3] == ["spec", "defaultInputs", "parameters"] \
            and len(parts) > 3:
        target = _commented(data, "inputs")
        return target is not None and _note(target, parts[3], lines)
    return False


def _place_part(data: dict, pointer: str, lines: list[str]) -> bool:
    """Put ``lines`` above the dialect key of the first part of ``COMMENT_KEYS`` that holds
    ``pointer`` and is in ``data``."""
    for prefix, key in COMMENT_KEYS:
        if pointer == prefix or pointer.startswith(prefix + "/"):
            placed = _note(data, key, lines) if isinstance(key, str) else \
                any(_note(data, k, lines) for k in key if k in data)
            if placed:
                return True
    return False


def _note(d: dict, key: Any, lines: list[str]) -> bool:
    """Put ``lines`` above ``key`` of ``d``; False when ``d`` has no such key."""
    if not isinstance(d, Commented) or key not in d:
        return False
    d.comments.setdefault(key, []).extend(lines)
    return True


def _commented(d: dict, k: str) -> dict | None:
    """``d[k]`` as a ``Commented`` mapping (made one in place), or None when it is no
    mapping."""
    v = d.get(k)
    if not isinstance(v, dict) or isinstance(v, Compact):
        return None
    if not isinstance(v, Commented):
        v = d[k] = Commented(v)
    return v


# where a comment above a part of the flyteidl form goes in the dialect (the first that exists)
COMMENT_KEYS: tuple[tuple[str, str | tuple[str, ...]], ...] = (
    ("/template/interface/inputs", "inputs"),
    ("/template/interface/outputs", "outputs"),
    ("/template/outputs", "outputs"),
    ("/template/nodes", "nodes"),
    ("/template/failureNode", "onFailure"),
    ("/template/metadataDefaults", "interruptible"),
    ("/subWorkflows", "subWorkflows"),
    ("/template/type", "type"),
    ("/template/container/image", "image"),
    ("/template/container/command", "command"),
    ("/template/container/args", "args"),
    ("/template/container/env", "env"),
    ("/template/container/resources/requests", "requests"),
    ("/template/container/resources/limits", "limits"),
    ("/template/container/resources", ("requests", "limits")),
    ("/template/container", ("image", "command", "args")),
    ("/template/metadata/retries", "retries"),
    ("/template/metadata/timeout", "timeout"),
    ("/template/metadata/interruptible", "interruptible"),
    ("/template/metadata/runtime", "runtime"),
    ("/template/metadata", ("cache", "retries", "timeout", "runtime")),
    ("/template/securityContext", "secrets"),
    ("/template/config", "config"),
    ("/template/custom", "custom"),
    ("/spec/workflowId", "workflow"),
    ("/spec/defaultInputs", "inputs"),
    ("/spec/fixedInputs", "fixed"),
    ("/spec/entityMetadata/schedule", "schedule"),
    ("/spec/entityMetadata/notifications", "notify"),
    ("/spec/labels", "labels"),
    ("/spec/annotations", "annotations"),
)
