"""The diff between what a built dialect document lowers to and the original, as ``flyte:``
overrides on the node each change belongs to (or on the document)."""
from __future__ import annotations

import math
from typing import Any

from specc.dialect.emit.base import EmitError
from specc.dialect.emit.canonical import Check
from specc.dialect.lower import esc, lower


def patch(data: dict, original: dict, check: Check) -> None:
    """Add ``flyte:`` overrides to ``data`` (and its nodes) for what lowering misses."""
    low = lower(data)
    if low.issues or low.kind is None or low.data is None:
        raise EmitError(f"built dialect does not lower: {low.issues[:3]}")
    got = check.data(low.kind, low.data)
    changes: list[tuple[str, Any]] = []
    diff(got, original, "", changes)
    nodes = sorted(low.nodes.items(), key=lambda kv: -len(kv[0]))
    for pointer, value in changes:
        owner = next(((np_, body) for np_, body in nodes if pointer.startswith(np_ + "/")),
                     None)
        if owner is not None:
            owner[1].setdefault("flyte", {})[pointer[len(owner[0]):]] = value
        else:
            data.setdefault("flyte", {})[pointer] = value


def _same(a: Any, b: Any) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, float) and math.isnan(a) and math.isnan(b):
        return True
    return bool(a == b)


def diff(got: Any, want: Any, pointer: str, out: list[tuple[str, Any]]) -> None:
    """(pointer, wanted value; None removes) for every place ``got`` differs from ``want``."""
    if isinstance(got, dict) and isinstance(want, dict):
        if pointer != "" and any(x is None for x in want.values()):
            if got != want:
                out.append((pointer, want))  # a Struct with nulls: replace it whole
            return
        for k, v in want.items():
            p = f"{pointer}/{esc(k)}"
            if k not in got:
                out.append((p, v))
            else:
                diff(got[k], v, p, out)
        for k in got:
            if k not in want:
                out.append((f"{pointer}/{esc(k)}", None))
        return
    if isinstance(got, list) and isinstance(want, list) and len(got) == len(want):
        for i, (a, b) in enumerate(zip(got, want, strict=True)):
            diff(a, b, f"{pointer}/{i}", out)
        return
    if isinstance(got, (dict, list)) or isinstance(want, (dict, list)):
        if got != want:
            out.append((pointer, want))
        return
    if not _same(got, want):
        out.append((pointer, want))
