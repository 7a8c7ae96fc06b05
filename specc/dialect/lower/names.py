"""Identifiers: a document's own (``name``, ``version``, ...) and the references it makes
(``[project/domain/]name[@version]`` or a mapping), whose unset parts come from the document."""
from __future__ import annotations

from typing import Any

from specc.dialect.lower.base import Lowering, esc

IDENT_KEYS = ("name", "version", "project", "domain", "org")


def identity(lw: Lowering, d: dict, src: str, required: bool) -> dict[str, str]:
    """The identifier fields ``d`` sets (strings only; others are reported)."""
    ident: dict[str, str] = {}
    if "name" not in d and required:
        lw.issue("SPC041", src or "/kind", what=f"a {d.get('kind', 'document')}", field="name")
    for k in IDENT_KEYS:
        if k in d and d[k] is not None:
            s = lw.string(d[k], f"{src}/{k}", k)
            if s is not None:
                ident[k] = s
    return ident


def identifier(rtype: str, ident: dict[str, str]) -> dict:
    """A flyteidl Identifier of resource type ``rtype``: the fields of ``ident`` that are set."""
    out = {"resourceType": rtype}
    for k in ("project", "domain", "name", "version", "org"):
        if ident.get(k):
            out[k] = ident[k]
    return out


def reference(lw: Lowering, v: Any, src: str, rtype: str, what: str) -> dict | None:
    """``[project/domain/]name[@version]`` or a mapping -> Identifier, or None after reporting
    it; unset parts from the document."""
    ident = {k: v2 for k, v2 in lw.ident.items() if k != "name"}
    if isinstance(v, str):
        ok = _text_reference(lw, v, src, what, ident)
    elif isinstance(v, dict):
        ok = _mapping_reference(lw, v, src, what, ident)
    else:
        lw.wrong(src, what, f"a {what} name", v)
        ok = False
    return identifier(rtype, ident) if ok else None


def _text_reference(lw: Lowering, v: str, src: str, what: str, ident: dict[str, str]) -> bool:
    """Fill ``ident`` from ``[project/domain/]name[@version]``; False after reporting."""
    text = v
    if "@" in text:
        text, ident["version"] = text.rsplit("@", 1)
    parts = text.split("/")
    if len(parts) == 3:
        ident["project"], ident["domain"], ident["name"] = parts
    elif len(parts) == 1:
        ident["name"] = parts[0]
    else:
        lw.issue("SPC039", src, text=v, what=what,
                 problem="write name, name@version or project/domain/name@version")
        return False
    if not ident["name"]:
        lw.issue("SPC039", src, text=v, what=what, problem="the name is empty")
        return False
    return True


def _mapping_reference(lw: Lowering, v: dict, src: str, what: str,
                       ident: dict[str, str]) -> bool:
    """Fill ``ident`` from ``{name, version, project, domain, org}``; False after reporting."""
    for k, x in v.items():
        if k not in IDENT_KEYS:
            lw.issue("SPC032", f"{src}/{esc(k)}", at_key=True, field=k,
                     where=f"a {what} reference",
                     hint="; known fields: name, version, project, domain, org")
            continue
        s = lw.string(x, f"{src}/{esc(k)}", k) if x is not None else ""
        if s is not None:
            ident[k] = s
    if not ident.get("name"):
        lw.issue("SPC039", src, text=str(v), what=what, problem="it has no 'name'")
        return False
    return True
