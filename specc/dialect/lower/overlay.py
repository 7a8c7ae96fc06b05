"""``flyte:`` overrides (a JSON pointer into what an element lowers to -> a flyteidl value; null
removes), and the pointer map's last step: every produced pointer names a dialect place that
exists."""
from __future__ import annotations

import copy
from typing import Any

from specc.dialect.lower.base import Lowering, esc, unesc


def overlay(lw: Lowering, target: dict, v: Any, src: str, canon: str) -> None:
    """Apply the ``flyte:`` overrides ``v`` (at ``src``) to ``target`` (produced at ``canon``);
    pointers are relative to ``target``."""
    if v is None:
        return
    if not isinstance(v, dict):
        lw.wrong(src, "flyte", "a mapping from a JSON pointer to a flyteidl value", v)
        return
    for pointer, value in v.items():
        psrc = f"{src}/{esc(pointer)}"
        if not isinstance(pointer, str) or not pointer.startswith("/"):
            lw.issue("SPC040", psrc, at_key=True, pointer=pointer,
                     problem="is not a JSON pointer; start it with '/'")
            continue
        if not _apply(target, [unesc(p) for p in pointer[1:].split("/")], value):
            lw.issue("SPC040", psrc, at_key=True, pointer=pointer,
                     problem="does not name a place in what this element lowers to")
            continue
        lw.pmap[canon + pointer] = psrc


def _apply(target: dict, parts: list[str], value: Any) -> bool:
    """Set (or, for None, remove) the place ``parts`` names under ``target``, making the
    mappings on the way; False when there is no such place."""
    cur = _parent(target, parts[:-1], create=value is not None)
    last = parts[-1]
    if isinstance(cur, dict):
        if value is None:
            cur.pop(last, None)
        else:
            cur[last] = copy.deepcopy(value)
        return True
    if isinstance(cur, list) and last.isdigit() and int(last) < len(cur):
        if value is None:
            cur.pop(int(last))
        else:
            cur[int(last)] = copy.deepcopy(value)
        return True
    return False


def _parent(target: dict, parts: list[str], create: bool) -> Any:
    """The container ``parts`` names (mappings made on the way when ``create``), or None."""
    cur: Any = target
    for p in parts:
        if isinstance(cur, dict):
            if p not in cur or not isinstance(cur[p], (dict, list)):
                if not create:
                    return None
                cur[p] = {}
            cur = cur[p]
        elif isinstance(cur, list) and p.isdigit() and int(p) < len(cur):
            cur = cur[int(p)]
        else:
            return None
    return cur


def close_map(lw: Lowering, v: Any, pointer: str) -> None:
    """Map every produced pointer to a dialect pointer that exists: a produced value nested
    deeper than its dialect source (``retries: 3`` -> ``retries: {retries: 3}``) names the
    source itself, not an imagined child of it."""
    src = _source(pointer, lw.pmap)
    if src is not None:
        found, there = _at(lw.data, src)
        if not found:
            parts = src.split("/")
            while len(parts) > 1 and not _exists(lw.data, "/".join(parts)):
                parts.pop()
            lw.pmap[pointer] = "/".join(parts)
        elif isinstance(v, (dict, list)) and type(there) is type(v) and there == v:
            return  # the dialect's own value, copied: each part maps to its own place there
    if isinstance(v, dict):
        for k, x in v.items():
            close_map(lw, x, f"{pointer}/{esc(k)}")
    elif isinstance(v, list):
        for i, x in enumerate(v):
            close_map(lw, x, f"{pointer}/{i}")


def _source(pointer: str, pmap: dict[str, str]) -> str | None:
    """The dialect pointer of ``pointer``: that of its longest mapped prefix, plus the rest."""
    p = pointer
    while True:
        src = pmap.get(p)
        if src is not None:
            return src + pointer[len(p):]
        if not p:
            return None
        p = p[: p.rfind("/")]


def _exists(data: Any, pointer: str) -> bool:
    return _at(data, pointer)[0]


def _at(data: Any, pointer: str) -> tuple[bool, Any]:
    """Whether ``pointer`` names a value in ``data``, and the value."""
    cur = data
    for part in pointer.split("/")[1:] if pointer else []:
        part = unesc(part)
        if isinstance(cur, dict) and part in cur:
            cur = cur[part]
        elif isinstance(cur, list) and part.isdigit() and int(part) < len(cur):
            cur = cur[int(part)]
        else:
            return False, None
    return True, cur
