"""JSON front-end: the C parser for the data, and a position scanner run only when needed.

A clean file never pays for positions: the span table is built on the first lookup (a diagnostic
that needs a line), or at once when the parser saw a duplicate key, so that it can be reported at
the second occurrence.
"""
from __future__ import annotations

import json
import re
from typing import Any

from specc import diagnostics as dg
from specc.diagnostics import Loc
from specc.frontends.common import decode_utf8, file_loc
from specc.source import DictSpans, Document, Limits, SourceFile, Span

_WS = re.compile(r"[ \t\n\r]*")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?")
_LITERAL = re.compile(r"true|false|null|NaN|-?Infinity")


def _skip_ws(text: str, pos: int) -> int:
    """The position after the whitespace at ``pos``."""
    m = _WS.match(text, pos)
    assert m is not None  # the pattern matches the empty string too
    return m.end()


class LazySpans:
    """Builds the pointer -> span table from the text on first use."""

    def __init__(self, src: SourceFile) -> None:
        self.src = src
        self._table: DictSpans | None = None
        self.duplicates: list[tuple[str, Span, Span]] = []

    def lookup(self, pointer: str, at_key: bool = False) -> Span | None:
        return self.table().lookup(pointer, at_key)

    def table(self) -> DictSpans:
        if self._table is None:
            self._table = DictSpans()
            _Scanner(self.src, self._table, self.duplicates).run()
        return self._table


class _Scanner:
    def __init__(self, src: SourceFile, table: DictSpans,
                 dups: list[tuple[str, Span, Span]]) -> None:
        self.src = src
        self.text = src.text or ""
        self.table = table
        self.dups = dups

    def span(self, start: int, end: int) -> Span:
        l1, c1 = self.src.line_col(start)
        l2, c2 = self.src.line_col(end)
        return Span(l1, c1, l2, c2)

    def run(self) -> None:
        pos = _skip_ws(self.text, 0)
        # iterative walk: a stack of (kind, pointer, index/keys, start)
        self.value(pos, "")

    def value(self, pos: int, pointer: str) -> int:
        t = self.text
        stack: list[list[Any]] = []  # [kind, pointer, start, keys seen or index]
        while True:
            pos = _skip_ws(t, pos)
            start = pos
            ch = t[pos: pos + 1]
            if ch == "{":
                stack.append(["o", pointer, start, set()])
                pos = _skip_ws(t, pos + 1)
                if t[pos: pos + 1] == "}":
                    frame = stack.pop()
                    pos += 1
                    self.table.values[frame[1]] = self.span(frame[2], pos)
                else:
                    pos, pointer = self.key(pos, stack[-1])
                    continue
            elif ch == "[":
                stack.append(["a", pointer, start, 0])
                pos = _skip_ws(t, pos + 1)
                if t[pos: pos + 1] == "]":
                    frame = stack.pop()
                    pos += 1
                    self.table.values[frame[1]] = self.span(frame[2], pos)
                else:
                    pointer = pointer + "/0"
                    continue
            else:
                m = _STRING.match(t, pos) or _NUMBER.match(t, pos) or _LITERAL.match(t, pos)
                if m is None:
                    return pos
                pos = m.end()
                self.table.values[pointer] = self.span(start, pos)
            # after a value: close containers or move to the next sibling
            while True:
                if not stack:
                    return pos
                frame = stack[-1]
                pos = _skip_ws(t, pos)
                ch = t[pos: pos + 1]
                if ch == ",":
                    pos += 1
                    if frame[0] == "o":
                        pos, pointer = self.key(pos, frame)
                    else:
                        frame[3] += 1
                        pointer = f"{frame[1]}/{frame[3]}"
                    break
                pos += 1  # '}' or ']'
                stack.pop()
                self.table.values[frame[1]] = self.span(frame[2], pos)

    def key(self, pos: int, frame: list[Any]) -> tuple[int, str]:
        t = self.text
        pos = _skip_ws(t, pos)
        m = _STRING.match(t, pos)
        if m is None:
            return pos, frame[1]
        key = json.loads(m.group(0))
        kspan = self.span(pos, m.end())
        pointer = frame[1] + "/" + key.replace("~", "~0").replace("/", "~1")
        if key in frame[3]:
            self.dups.append((key, kspan, self.table.keys[pointer]))
            pointer = pointer + "\0dup"  # keep scanning; the duplicate's value is not in the data
        else:
            frame[3].add(key)
            self.table.keys[pointer] = kspan
        pos = _skip_ws(t, m.end())
        return pos + 1, pointer  # skip ':'


def load(data: bytes, src: SourceFile, limits: Limits
         ) -> tuple[list[Document], list[dg.Diagnostic]]:
    text, diags = decode_utf8(data, src)
    if text is None:
        return [], diags
    saw_dup = False

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        nonlocal saw_dup
        out = {}
        for k, v in items:
            if k in out:
                saw_dup = True
                continue
            out[k] = v
        return out

    try:
        value = json.loads(text, object_pairs_hook=pairs)
    except json.JSONDecodeError as e:
        return [], [dg.make("SPC003", file_loc(src, e.lineno, e.colno), "load", problem=e.msg)]
    except RecursionError:
        return [], [dg.make("SPC007", file_loc(src, 1, 1), "load", what="the nesting depth",
                            limit=str(limits.max_depth), hint="flatten the document")]
    spans = LazySpans(src)
    doc = Document(src, 0, value, spans)
    if saw_dup:
        doc.faulty = True
        spans.table()
        for key, second, first in spans.duplicates:
            diags.append(dg.make("SPC004", Loc.in_file(src, second), "load",
                                 related=[(Loc.in_file(src, first), "first given here")], key=key))
    if _depth_exceeds(value, limits.max_depth):
        return [], [*diags, dg.make("SPC007", file_loc(src, 1, 1), "load",
                                    what="the nesting depth", limit=str(limits.max_depth),
                                    hint="flatten the document")]
    return [doc], diags


def _depth_exceeds(value: object, limit: int) -> bool:
    stack = [(value, 0)]
    while stack:
        v, d = stack.pop()
        if d > limit:
            return True
        if isinstance(v, dict):
            stack.extend((c, d + 1) for c in v.values() if isinstance(c, (dict, list)))
        elif isinstance(v, list):
            stack.extend((c, d + 1) for c in v if isinstance(c, (dict, list)))
    return False
