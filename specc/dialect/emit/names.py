"""References: a flyteidl Identifier as the dialect writes it, ``[project/domain/]name[@version]``
with what equals the document's own left out, or a mapping when the text form cannot say it."""
from __future__ import annotations

import re

from specc.dialect.emit.base import Builder

_ENTITY_PART = re.compile(r"[^/@]+")
_FIELDS = ("name", "version", "project", "domain", "org")


def reference(b: Builder, rid: dict | None) -> str | dict:
    """``rid`` as a reference: text when it can be, else a mapping of the fields that differ
    from the document's (``name`` always)."""
    if not rid:
        return ""
    name = rid.get("name", "")
    if not name or not _ENTITY_PART.fullmatch(name):
        return {k: rid.get(k, "") for k in _FIELDS if rid.get(k, "") != b.ident.get(k, "")}
    if rid.get("org", "") != b.ident.get("org", ""):
        return _mapping(b, rid, _FIELDS)
    s = name
    if not (_same(b, rid, "project") and _same(b, rid, "domain")):
        p, d = rid.get("project", ""), rid.get("domain", "")
        if not p or not d or not _ENTITY_PART.fullmatch(p) or not _ENTITY_PART.fullmatch(d):
            return _mapping(b, rid, _FIELDS[:4])
        s = f"{p}/{d}/{name}"
    if not _same(b, rid, "version"):
        v = rid.get("version", "")
        if "@" in v or "/" in v:
            return _mapping(b, rid, _FIELDS[:4])
        s += "@" + v
    return s


def _same(b: Builder, rid: dict, k: str) -> bool:
    return rid.get(k, "") == b.ident.get(k, "")


def _mapping(b: Builder, rid: dict, fields: tuple[str, ...]) -> dict:
    """The reference as a mapping: its name and the ``fields`` that differ."""
    return {k: rid.get(k, "") for k in fields if k == "name" or not _same(b, rid, k)}
