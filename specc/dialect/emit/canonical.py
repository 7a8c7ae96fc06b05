"""The canonical flyteidl form of lowered dialect data, as check-schema computes it for every
document: what the emitter compares with the original. Kept thin and in one place: it borrows
check-schema's walk and the YAML front-end."""
from __future__ import annotations

from typing import Any

from specc.dialect.emit.base import EmitError
from specc.dialect.lower import lower


class _Quiet:
    """A context for check-schema's walk that collects reports instead of printing them."""

    def __init__(self) -> None:
        self.reports: list = []

    def report(self, code: str, loc: Any, related: Any = (), **args: Any) -> None:
        self.reports.append((code, loc.pointer if loc else None, args))


class _Doc:
    pointer_map = None


def canonical(kind: str, data: dict) -> dict:
    from specc.passes.check_schema import _Walker
    from specc.table import KIND_MESSAGES, table

    t = table()
    ctx = _Quiet()
    out = _Walker(ctx, _Doc(), t).message(data, t.messages[KIND_MESSAGES[kind]], "", "")
    if ctx.reports:
        raise EmitError(f"lowered data does not match flyteidl: {ctx.reports[:3]}")
    return out


def canonical_of_text(text: str) -> dict:
    from specc.frontends import Limits, SourceFile
    from specc.frontends import yaml as fy

    src = SourceFile(None, "<dialect>", "yaml")
    docs, diags = fy.load(text.encode(), src, Limits())
    if diags or len(docs) != 1:
        raise EmitError(f"emitted YAML does not load: {[d.message for d in diags]}")
    low = lower(docs[0].data)
    if low.issues or low.data is None:
        raise EmitError(f"emitted dialect does not lower: {low.issues[:3]}")
    return canonical(low.kind, low.data)
