"""JSON pointers (RFC 6901): escaping, joining, resolving, and mapping back to the source.

Every location in specc is a document plus a JSON pointer. Passes build pointers in the canonical
spelling (camelCase, as check-schema writes it); a document written in snake_case or in the specc
dialect has a *pointer map* from canonical pointers to the pointers of its own text, which
``to_source`` applies. This module imports nothing from specc: every layer may use it.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any


def escape(part: object) -> str:
    """One reference token: '~' becomes '~0' and '/' becomes '~1'."""
    s = part if type(part) is str else str(part)
    if "~" in s or "/" in s:
        s = s.replace("~", "~0").replace("/", "~1")
    return s


def unescape(token: str) -> str:
    """The reverse of ``escape``."""
    if "~" in token:
        return token.replace("~1", "/").replace("~0", "~")
    return token


def join(pointer: str, *parts: object) -> str:
    """``pointer`` extended by each of ``parts``, escaped."""
    for part in parts:
        pointer = f"{pointer}/{escape(part)}"
    return pointer


def split(pointer: str) -> list[str]:
    """The unescaped tokens of a pointer ('' has none)."""
    return [unescape(t) for t in pointer.split("/")[1:]] if pointer else []


def parent(pointer: str) -> str:
    """The pointer one level up ('' stays '')."""
    return pointer[: pointer.rfind("/")] if pointer else ""


def ancestors(pointer: str) -> Iterator[str]:
    """``pointer`` and every pointer above it, innermost first, ending with ''."""
    p = pointer
    while True:
        yield p
        if not p:
            return
        p = p[: p.rfind("/")]


_MISSING: Any = object()


def resolve(data: Any, pointer: str, default: Any = None) -> Any:
    """The value ``pointer`` names in ``data``; ``default`` when it names nothing."""
    cur = data
    for token in split(pointer):
        if isinstance(cur, dict):
            cur = cur.get(token, _MISSING)
        elif isinstance(cur, list) and token.isdigit() and int(token) < len(cur):
            cur = cur[int(token)]
        else:
            return default
        if cur is _MISSING:
            return default
    return cur


def to_source(pointer: str, pointer_map: dict[str, str] | None) -> str:
    """A canonical pointer in the document's own spelling: the longest mapped prefix replaced."""
    if not pointer_map or not pointer:
        return pointer
    for p in ancestors(pointer):
        if not p:
            break
        src = pointer_map.get(p)
        if src is not None:
            return src + pointer[len(p):]
    return pointer


def compose(first: dict[str, str], second: dict[str, str]) -> dict[str, str]:
    """A map through two spellings: ``first`` maps B to A, ``second`` maps C to B; the result
    maps both B and C to A."""
    out = dict(first)
    for c, b in second.items():
        out[c] = to_source(b, first)
    return out


def invert(pointer_map: dict[str, str]) -> dict[str, str]:
    """Source pointer -> canonical pointer."""
    return {src: canon for canon, src in pointer_map.items()}


def to_canonical(pointer: str, inverse: dict[str, str] | None) -> str:
    """A source pointer in the canonical spelling (``inverse`` from ``invert``)."""
    if not inverse or not pointer:
        return pointer
    for p in ancestors(pointer):
        if not p:
            break
        canon = inverse.get(p)
        if canon is not None:
            return canon + pointer[len(p):]
    return pointer
