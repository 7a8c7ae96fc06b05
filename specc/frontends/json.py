"""JSON front-end: the C parser for the data, and positions found only where they are needed.

A clean file never pays for positions. A lookup (a diagnostic that needs a line) finds its one
value by walking the pointer through the text: each object or array on the way is indexed once
(the offsets of its direct children, nested containers skipped by a regular expression), so a
diagnostic inside a list of a million values costs one pass over that list and a few integers per
element, not a span object per value of the file. The whole table (every value and key) is built
only when everything is wanted: the language server's reverse lookups, and a file with a
duplicate key, reported at the second occurrence.
"""
from __future__ import annotations

import json
import re
from array import array
from typing import Any

from specc import diagnostics as dg
from specc.diagnostics import Loc
from specc.frontends.common import decode_utf8, file_loc
from specc.source import DictSpans, Document, Limits, SourceFile, Span

_WS = re.compile(r"[ \t\n\r]*")
_STRING_RE = r'"[^"\\]*(?:\\.[^"\\]*)*"'  # unrolled: no backtracking on long strings
_STRING = re.compile(_STRING_RE, re.S)
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?")
_LITERAL = re.compile(r"true|false|null|NaN|-?Infinity")
# one element of an array after '[' or ',': a scalar and the delimiter after it, or the start of
# a nested container
_ITEM = re.compile(r"[ \t\n\r]*(?:(" + _STRING_RE + r"|-?(?:0|[1-9]\d*)(?:\.\d+)?"
                   r"(?:[eE][-+]?\d+)?|true|false|null|NaN|-?Infinity)[ \t\n\r]*([,\]])"
                   r"|([\[{]))", re.S)
_MEMBER = re.compile(r"[ \t\n\r]*(" + _STRING_RE + r")[ \t\n\r]*:", re.S)
# skips a nested container at C speed: the parser that read the file finds where it ends (the
# value it builds is dropped at once)
_SKIPPER = json.JSONDecoder()


def _skip_ws(text: str, pos: int) -> int:
    """The position after the whitespace at ``pos``."""
    m = _WS.match(text, pos)
    assert m is not None  # the pattern matches the empty string too
    return m.end()


def _value_end(text: str, pos: int) -> int:
    """The end of the value that starts at ``pos`` (valid JSON: the parser read it)."""
    if text[pos: pos + 1] in ("{", "["):
        end: int = _SKIPPER.raw_decode(text, pos)[1]
        return end
    m = _STRING.match(text, pos) or _NUMBER.match(text, pos) or _LITERAL.match(text, pos)
    return m.end() if m is not None else pos


def _unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~") if "~" in token else token


class _Elements:
    """The elements of one array, indexed from the front only as far as a lookup needs."""

    __slots__ = ("done", "pos", "starts")

    def __init__(self, text: str, start: int) -> None:
        self.starts: array[int] = array("q")
        self.pos = _skip_ws(text, start + 1)
        self.done = text[self.pos: self.pos + 1] == "]"

    def start(self, text: str, index: int) -> int | None:
        """The start of element ``index``, or None past the end."""
        while len(self.starts) <= index and not self.done:
            m = _ITEM.match(text, self.pos)
            assert m is not None  # valid JSON: a value comes next
            if m.group(1) is not None:  # a scalar: one match reaches the delimiter
                self.starts.append(m.start(1))
                delimiter = m.group(2)
                self.pos = m.end()
            else:
                vstart = m.start(3)
                self.starts.append(vstart)
                self.pos = _skip_ws(text, _value_end(text, vstart)) + 1
                delimiter = text[self.pos - 1]
            self.done = delimiter != ","
        return self.starts[index] if index < len(self.starts) else None


class _Members:
    """The members of one object, indexed from the front only as far as a lookup needs: the
    member sought may come before a long one, which then is never read."""

    __slots__ = ("done", "found", "last", "pos")

    def __init__(self, text: str, start: int) -> None:
        self.found: dict[str, tuple[int, int, int]] = {}  # key -> key start, key end, value
        self.pos = _skip_ws(text, start + 1)
        self.done = text[self.pos: self.pos + 1] == "}"
        self.last = -1  # the start of the value read last (its end is not known yet)

    def get(self, text: str, key: str) -> tuple[int, int, int] | None:
        """(key start, key end, value start) of ``key`` (its first occurrence, which the
        parser keeps), or None."""
        while key not in self.found and not self.done:
            if self.last >= 0:  # step over the value before the next key
                self.pos = _skip_ws(text, _value_end(text, self.last))
                if text[self.pos: self.pos + 1] != ",":
                    self.done = True
                    break
                self.pos += 1
            m = _MEMBER.match(text, self.pos)
            assert m is not None  # valid JSON: a key comes next
            raw = m.group(1)
            name = raw[1:-1] if "\\" not in raw else json.loads(raw)
            self.last = _skip_ws(text, m.end())
            self.found.setdefault(name, (m.start(1), m.end(1), self.last))
        return self.found.get(key)


class LazySpans:
    """Positions in a JSON text: found per lookup (``lookup``), or all at once (``table``)."""

    _COUNTED = 32  # lookups whose lines are counted in the text before the line index is built

    def __init__(self, src: SourceFile) -> None:
        self.src = src
        self._table: DictSpans | None = None
        self.duplicates: list[tuple[str, Span, Span]] = []
        # start offset of a container -> its direct children, indexed on first use
        self._objects: dict[int, _Members] = {}
        self._arrays: dict[int, _Elements] = {}
        self._lookups = 0

    def lookup(self, pointer: str, at_key: bool = False) -> Span | None:
        """The span of the value at ``pointer`` (of its key, ``at_key``, for an object member),
        or of its nearest ancestor that exists: what ``table().lookup`` answers, at the cost of
        reading only the containers on the way, each once."""
        if self._table is not None:
            return self._table.lookup(pointer, at_key)
        text = self.src.text or ""
        start = _skip_ws(text, 0)
        if start >= len(text):
            return None
        tokens = pointer.split("/")[1:] if pointer else []
        for i, token in enumerate(tokens):
            c = text[start]
            if c == "{":
                members = self._objects.get(start)
                if members is None:
                    members = self._objects[start] = _Members(text, start)
                got = members.get(text, _unescape(token))
                if got is None:
                    break
                if at_key and i == len(tokens) - 1:
                    return self._span(got[0], got[1])
                start = got[2]
            elif c == "[":
                if not token.isdigit() or token != str(int(token)):
                    break
                elements = self._arrays.get(start)
                if elements is None:
                    elements = self._arrays[start] = _Elements(text, start)
                where = elements.start(text, int(token))
                if where is None:
                    break
                start = where
            else:
                break
        return self._span(start, _value_end(text, start))

    def _span(self, start: int, end: int) -> Span:
        self._lookups += 1
        if self._lookups <= self._COUNTED:
            # a few lookups count lines in C; the index of every line start (src.line_col) pays
            # only for many
            text = self.src.text or ""
            l1 = text.count("\n", 0, start) + 1
            l2 = l1 + text.count("\n", start, end)
            return Span(l1, start - text.rfind("\n", 0, start), l2,
                        end - text.rfind("\n", 0, end))
        l1, c1 = self.src.line_col(start)
        l2, c2 = self.src.line_col(end)
        return Span(l1, c1, l2, c2)

    def table(self) -> DictSpans:
        """Every value's and key's span (the language server's reverse lookup needs them all);
        also finds the duplicate keys."""
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
    # a text with no more brackets than the limit cannot nest deeper (the count runs in C)
    if text.count("[") + text.count("{") > limits.max_depth \
            and _depth_exceeds(text, limits.max_depth):
        return [], [*diags, dg.make("SPC007", file_loc(src, 1, 1), "load",
                                    what="the nesting depth", limit=str(limits.max_depth),
                                    hint="flatten the document")]
    return [doc], diags


_NOT_BRACKETS = bytes(c for c in range(256) if c not in b'[]{}"')
_BRACKETS = bytes.maketrans(b"[{]}", b"(())")


def _depth_exceeds(text: str, limit: int) -> bool:
    """Whether the containers of a valid JSON text nest more than ``limit`` + 1 levels deep
    (the root container is at depth 0). Found in the text, in C: escapes dropped (so every quote
    left delimits a string), then everything but quotes and brackets, then the strings; each pass
    removes the innermost pairs, so the brackets empty in as many passes as the text has levels.
    """
    kept = text.replace("\\\\", "").replace('\\"', "").encode("utf-8", "surrogatepass")
    # two quotes side by side close one string and open the next, or are an empty string: either
    # way the quotes after them still alternate opening and closing
    kept = kept.translate(None, _NOT_BRACKETS).replace(b'""', b"")
    if b'"' in kept:
        kept = b"".join(kept.split(b'"')[::2])  # what lies outside the strings
    rest = kept.translate(_BRACKETS)
    for _ in range(limit + 1):
        if not rest:
            return False
        rest = rest.replace(b"()", b"")
    return bool(rest)
