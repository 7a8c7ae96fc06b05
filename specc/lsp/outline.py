"""Reading a spec as it is being typed: where the cursor is, and what the document says so far.

Completion is asked for while the text is often not valid YAML (a key without its colon yet, a
flow mapping not closed), so nothing here needs the document to parse:

- ``cursor(text, offset, form)``: the cursor's place, from the lines alone. In block YAML, the
  key path of the enclosing mappings and sequences comes from indentation, walking up from the
  cursor's line (``- `` items counted for their index); inside a flow collection on the cursor's
  line (``id: {resourceType: TASK, name: |``), and in JSON, a scanner over the brackets, commas
  and colons before the cursor says the rest. Whether a key, a value or a sequence item is being
  typed, and what has been typed of it, come with it.
- ``Cursor.data``: the document's data as far as it reads. The document (only the one holding
  the cursor) is parsed with specc's own YAML front-end; when that fails, the cursor's line and
  then the lines the parser points at are blanked out, a few times, so that one broken line
  does not hide the rest.

Nothing here raises for any text (a bug aside); a place that cannot be read is None.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PathPart = str | int

# a block mapping's key: quoted, or plain up to ': ' (a plain key holds no ': ' and no ' #')
_KEY = re.compile(r"""(?P<key>"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s'"#\[\]{},:][^#]*?)"""
                  r"""\s*:(?=\s|$)""")
_SEPARATOR = re.compile(r"^(?:---|\.\.\.)(?:\s|$)")
_BLOCK_SCALAR = re.compile(r"[|>][-+0-9]*\s*(?:#.*)?$")
_REPAIRS = 6  # lines blanked out at most before the data is given up


@dataclass
class Cursor:
    """What is being typed at the cursor.

    ``role`` is ``key`` (a mapping's key: ``path`` is the mapping's), ``value`` (a key's value:
    ``path`` ends with the key) or ``item`` (a sequence's item, which may turn out to be a
    mapping's first key: ``path`` ends with its index). ``typed`` is what has been typed of the
    key or scalar, from ``start`` (an offset into the text) to the cursor; ``end`` is where the
    token under the cursor ends (the cursor, or past the rest of a word being edited), so that
    ``start..end`` is the range a completion replaces. ``quote`` is the quote the scalar opened
    (``start`` is past it); ``flow`` says the place is inside ``{...}`` or ``[...]``;
    ``colon_after`` that the key being edited already has its colon."""

    path: tuple[PathPart, ...]
    role: str
    typed: str
    start: int
    end: int
    quote: str = ""
    flow: bool = False
    colon_after: bool = False
    data: Any = None  # the document's data as far as it reads (None: nothing does)
    doc_start: int = 0  # the document's offsets in the text
    doc_end: int = 0
    top: dict[str, str] = field(default_factory=dict)  # top-level 'key: scalar' lines
    # a flow collection of the cursor's line as read up to the cursor: (its path, its data)
    partial: tuple[tuple[PathPart, ...], Any] | None = None


@dataclass
class _Line:
    start: int  # offset of the line in the text
    text: str  # without its line break
    indent: int = 0  # column of the first token ('-' of an item, or the content)
    dashes: list[int] = field(default_factory=list)  # columns of '- ' item markers
    col: int = 0  # column of the content after the markers
    key: str | None = None
    rest: str = ""  # after 'key:' (or the whole content when there is no key), no comment
    rest_col: int = 0
    blank: bool = True


def _strip_comment(s: str) -> str:
    """``s`` without a trailing YAML comment (a '#' after whitespace, outside quotes)."""
    quote = ""
    for i, c in enumerate(s):
        if quote:
            if c == quote:
                quote = ""
        elif c in "\"'" and (i == 0 or s[i - 1] in " \t[{,:"):
            quote = c
        elif c == "#" and (i == 0 or s[i - 1] in " \t"):
            return s[:i].rstrip()
    return s.rstrip()


def _unquote(s: str) -> str:
    if len(s) >= 2 and s[0] == s[-1] == '"':
        try:
            got = json.loads(s)
            return got if isinstance(got, str) else s[1:-1]
        except ValueError:
            return s[1:-1]
    if len(s) >= 2 and s[0] == s[-1] == "'":
        return s[1:-1].replace("''", "'")
    return s


def _read_line(start: int, text: str) -> _Line:
    line = _Line(start, text)
    i = len(text) - len(text.lstrip(" "))
    if i == len(text) or text[i] == "#":
        return line
    line.blank = False
    line.indent = i
    while text.startswith("-", i) and (i + 1 == len(text) or text[i + 1] in " \t"):
        line.dashes.append(i)
        i += 1
        while i < len(text) and text[i] in " \t":
            i += 1
    line.col = i
    m = _KEY.match(text, i)
    if m is not None:
        line.key = _unquote(m.group("key").strip())
        j = m.end()
        while j < len(text) and text[j] in " \t":
            j += 1
        line.rest, line.rest_col = _strip_comment(text[j:]), j
    else:
        line.rest, line.rest_col = _strip_comment(text[i:]), i
    return line


class _Lines:
    """The lines of one YAML document, read once, and the walk up from a line to its parents."""

    def __init__(self, text: str, start: int, end: int) -> None:
        self.raw: list[tuple[int, str]] = []
        at = start
        for raw in text[start:end].split("\n"):
            self.raw.append((at, raw.rstrip("\r")))
            at += len(raw) + 1
        self._read: dict[int, _Line] = {}

    def __len__(self) -> int:
        return len(self.raw)

    def __getitem__(self, i: int) -> _Line:
        """Line ``i``, read on first use (the walk up touches only some of them)."""
        got = self._read.get(i)
        if got is None:
            got = self._read[i] = _read_line(*self.raw[i])
        return got

    def container(self, idx: int, col: int, dashes: list[int]) -> list[PathPart]:
        """The path of the mapping an entry at column ``col`` of line ``idx`` belongs to; with
        ``dashes`` (its line's item markers), the path of the sequence item it opens."""
        if dashes:
            index, parent = self._item(idx, dashes[0])
            return [*parent, index] + [0] * (len(dashes) - 1)
        for j in range(idx - 1, -1, -1):
            ln = self[j]
            if ln.blank:
                continue
            if ln.col == col and ln.dashes and ln.dashes[-1] < col:
                return self.container(j, ln.col, ln.dashes)  # our mapping's first key
            if ln.indent < col:
                if ln.key is None:
                    return []  # a scalar where a parent should be: read as the root
                return [*self.container(j, ln.col, ln.dashes), ln.key]
        return []

    def _item(self, idx: int, d: int) -> tuple[int, list[PathPart]]:
        """(index, path of the sequence) of the item whose '- ' is at column ``d`` of line
        ``idx``: previous items are counted up to the key that holds the sequence."""
        count = 0
        for j in range(idx - 1, -1, -1):
            ln = self[j]
            if ln.blank:
                continue
            if ln.dashes and ln.dashes[0] == d:
                count += 1
                continue
            if d in ln.dashes:  # '- - x': the sequence starts inside an outer item
                k = ln.dashes.index(d)
                return count + 1, self.container(j, d, ln.dashes[:k])
            if ln.indent > d:
                continue
            if ln.key is not None and (ln.indent < d or not ln.dashes):
                # the key holding the sequence (also at the same column: '- ' not indented)
                return count, [*self.container(j, ln.col, ln.dashes), ln.key]
            return count, []
        return count, []

    def in_block_scalar(self, idx: int, indent: int) -> bool:
        """Whether line ``idx`` (indented by ``indent``) is inside a ``|`` or ``>`` scalar."""
        for j in range(idx - 1, -1, -1):
            ln = self[j]
            if ln.blank or ln.indent >= indent:
                continue
            return ln.key is not None and bool(_BLOCK_SCALAR.match(ln.rest))
        return False


def documents(text: str, form: str = "yaml") -> list[tuple[int, int]]:
    """(start, end) offsets of every document of the text (YAML: split at ``---`` and
    ``...`` lines, which belong to no document; JSON: one)."""
    if form == "json":
        return [(0, len(text))]
    out: list[tuple[int, int]] = []
    start = at = 0
    for raw in text.split("\n"):
        if _SEPARATOR.match(raw):
            out.append((start, at))
            start = at + len(raw) + 1
        at += len(raw) + 1
    out.append((start, len(text)))
    if text.startswith("\ufeff"):  # a byte-order mark is no part of the first document
        out[0] = (max(out[0][0], 1), max(out[0][1], 1))
    return [(a, min(b, len(text))) for a, b in out]


def top_scalars(text: str, start: int, end: int) -> dict[str, str]:
    """The ``key: value`` lines at column 0 of a document: its kind, name, version..., which
    say what it is even when the rest does not read."""
    out: dict[str, str] = {}
    for raw in text[start:end].split("\n"):
        if raw[:1] in ("", " ", "\t", "#", "-"):
            continue  # not a top-level key
        ln = _read_line(0, raw.rstrip("\r"))
        if not ln.blank and ln.indent == 0 and not ln.dashes and ln.key is not None:
            out.setdefault(ln.key, _unquote(ln.rest))
    return out


def cursor(text: str, offset: int, form: str = "yaml", path: Path | None = None) -> Cursor | None:
    """The place of the cursor at ``offset`` in ``text`` (a YAML or JSON spec file), or None
    where nothing can be completed (a comment, a block scalar, between documents)."""
    offset = max(0, min(offset, len(text)))
    docs = documents(text, form)
    span = next(((a, b) for a, b in docs if a <= offset <= b), None)
    if span is None:
        return None
    a, b = span
    if form == "json":
        got = _flow(text, _first_bracket(text, a, offset), offset, ())
    else:
        got = _block(text, a, b, offset)
    if got is None:
        return None
    got.doc_start, got.doc_end = a, b
    got.data = data_of(text, a, b, offset, form, path)
    if got.partial is not None and form != "json":
        got.data = _graft(got.data, *got.partial)
    got.top = top_scalars(text, a, b) if form != "json" else (
        {k: v for k, v in got.data.items() if isinstance(v, str)}
        if isinstance(got.data, dict) else {})
    return got


def _first_bracket(text: str, start: int, end: int) -> int:
    for i in range(start, end):
        if text[i] in "{[":
            return i
    return end


def _word_end(text: str, at: int) -> int:
    """Past the rest of a word (or plain scalar) the cursor is inside."""
    i = at
    while i < len(text) and (text[i].isalnum() or text[i] in "_-.@/$"):
        i += 1
    return i


def _block(text: str, start: int, end: int, offset: int) -> Cursor | None:
    lines = _Lines(text, start, end)
    idx = 0
    for i, (at, raw) in enumerate(lines.raw):
        if at <= offset <= at + len(raw):
            idx = i
            break
    ln = lines[idx]
    col = offset - ln.start
    before = ln.text[:col]
    if _strip_comment(before) != before.rstrip():
        return None  # in a comment
    pre = _read_line(ln.start, before)
    if lines.in_block_scalar(idx, pre.indent if not pre.blank else col):
        return None
    if pre.blank:  # nothing typed on the line yet: a key of the mapping at this column
        end_at = _word_end(text, offset)
        colon = text[end_at:end_at + 1] == ":"
        return Cursor(tuple(lines.container(idx, col, [])), "key", "", offset, end_at,
                      colon_after=colon)
    if pre.key is not None:  # 'key: ...': its value
        base = (*lines.container(idx, pre.col, pre.dashes), pre.key)
        rest_at = ln.start + pre.rest_col
        value = text[rest_at:offset]
        if value[:1] in ("{", "["):
            return _flow(text, rest_at, offset, base)
        if value[:1] in ("|", ">", "&", "*", "!"):
            return None
        return _scalar(text, rest_at, offset, base, "value")
    # no colon before the cursor: a key being typed, or a sequence item's scalar
    content_at = ln.start + pre.col
    if text[content_at:content_at + 1] in ("{", "["):
        base = tuple(lines.container(idx, pre.col, pre.dashes))
        return _flow(text, content_at, offset, base)
    if pre.dashes:
        return _scalar(text, content_at, offset, tuple(lines.container(idx, pre.col,
                                                                       pre.dashes)), "item")
    got = _scalar(text, content_at, offset, tuple(lines.container(idx, pre.col, [])), "key")
    if got is not None:
        got.colon_after = text[got.end:got.end + 1] == ":" or \
            text[got.end:got.end + 2] in (' :', '":', "':")
    return got


def _scalar(text: str, at: int, offset: int, path: tuple[PathPart, ...], role: str
            ) -> Cursor:
    """A plain or quoted scalar starting at ``at`` and typed up to ``offset``."""
    quote = text[at] if at < offset and text[at] in "\"'" else ""
    start = at + 1 if quote else at
    typed = text[start:offset]
    if quote:
        end = offset
        close = text.find(quote, offset)
        line_end = text.find("\n", offset)
        if close != -1 and (line_end == -1 or close < line_end):
            end = close
    else:
        end = _word_end(text, offset)
    return Cursor(path, role, typed, start, end, quote=quote)


@dataclass
class _Frame:
    """An open ``{`` or ``[`` of a flow collection, and what it held so far."""

    bracket: str
    obj: Any  # the dict or list read so far
    key: str | None = None  # a mapping's current key
    index: int = 0  # a sequence's current item
    wants_key: bool = True  # a mapping's next scalar is a key

    def put(self, value: Any) -> None:
        if isinstance(self.obj, dict):
            if self.key is not None and not self.wants_key:
                self.obj[self.key] = value
        else:
            self.obj.append(value)


def _flow(text: str, at: int, offset: int, base: tuple[PathPart, ...]) -> Cursor | None:
    """The place inside a flow collection (or a JSON document) opened at ``at``, typed up to
    ``offset``: each open ``{`` contributes its current key, each ``[`` its item's index. What
    the collection held before the cursor comes with it (``Cursor.partial``): the line does not
    parse yet, and its values (a reference's name before its version) are wanted."""
    stack: list[_Frame] = []
    root: Any = None
    i = at
    token_at: int | None = None
    quote = ""
    while i < offset:
        c = text[i]
        if c in "{[":
            frame = _Frame(c, {} if c == "{" else [], wants_key=c == "{")
            if stack:
                stack[-1].put(frame.obj)
            else:
                root = frame.obj
            stack.append(frame)
            i += 1
        elif c in "}]":
            if stack:
                stack.pop()
            if not stack:
                return None  # past the collection
            i += 1
        elif c == ",":
            if stack:
                top = stack[-1]
                if top.bracket == "{":
                    top.key, top.wants_key = None, True
                else:
                    top.index += 1
            i += 1
        elif c == ":" and stack and stack[-1].bracket == "{" and stack[-1].wants_key:
            stack[-1].wants_key = False
            i += 1
        elif c in " \t\r\n":
            i += 1
        elif c == "#" and text[i - 1:i] in (" ", "\t", "\n"):
            nl = text.find("\n", i)
            i = offset if nl == -1 or nl > offset else nl
        elif c in "\"'":
            close = i + 1
            while close < len(text) and text[close] != c:
                close += 2 if text[close] == "\\" and c == '"' else 1
            if close >= offset:  # the cursor is inside it
                token_at, quote = i + 1, c
                break
            _scalar_done(stack, _unquote(text[i:close + 1]))
            i = close + 1
        else:
            wants_key = bool(stack) and stack[-1].bracket == "{" and stack[-1].wants_key
            j = i
            while j < offset:
                d = text[j]
                if d == "$" and text[j + 1:j + 2] == "{":  # a reference typed unquoted
                    close = text.find("}", j, offset)
                    j = offset if close == -1 else close + 1
                    continue
                # ': ' ends a key; in a value only a colon before a space or an indicator
                # does, not one still being typed at the cursor ('image: x:' goes on)
                after = text[j + 1:j + 2]
                if d in ",[]{}\n" or (d == ":" and j > i and (
                        after in (" ", "\t", "\r", "\n", ",", "[", "]", "{", "}")
                        or (after == "" and wants_key))):
                    break
                j += 1
            if j >= offset:
                token_at = i
                break
            _scalar_done(stack, text[i:j].strip())
            i = j
    if not stack:
        return None
    path = list(base)
    for frame in stack[:-1]:
        path.append(frame.key if frame.bracket == "{" and frame.key is not None else
                    frame.index if frame.bracket == "[" else "")
    top = stack[-1]
    start = token_at if token_at is not None else offset
    if top.bracket == "{":
        role = "key" if top.wants_key else "value"
        if role == "value":
            path.append(top.key if top.key is not None else "")
    else:
        role = "item"
        path.append(top.index)
    typed = text[start:offset]
    if quote:
        close = text.find(quote, offset)
        end = close if close != -1 and "\n" not in text[offset:close] else offset
    else:
        end = _word_end(text, offset)
    rest = text[end:end + 3].lstrip(" \"'")
    return Cursor(tuple(path), role, typed, start, end, quote=quote, flow=True,
                  colon_after=role == "key" and rest.startswith(":"),
                  partial=(base, root))


def _scalar_done(stack: list[_Frame], value: str) -> None:
    """A complete scalar in the innermost collection: a key, or a value."""
    if not stack:
        return
    top = stack[-1]
    if top.bracket == "{" and top.wants_key:
        top.key = value
    else:
        top.put(value)


def _graft(data: Any, base: tuple[PathPart, ...], obj: Any) -> Any:
    """``data`` with ``obj`` (a flow collection read up to the cursor) at ``base``, where the
    data has nothing (a mapping there gains the keys it lacks)."""
    if obj is None:
        return data
    if not base:
        if isinstance(data, dict) and isinstance(obj, dict):
            for k, v in obj.items():
                data.setdefault(k, v)
            return data
        return data if data is not None else obj
    if data is None:
        data = {} if isinstance(base[0], str) else None
    if isinstance(data, dict) and isinstance(base[0], str):
        data[base[0]] = _graft(data.get(base[0]), base[1:], obj)
    elif isinstance(data, list) and isinstance(base[0], int) and base[0] < len(data):
        data[base[0]] = _graft(data[base[0]], base[1:], obj)
    return data


def data_of(text: str, start: int, end: int, offset: int, form: str = "yaml",
            path: Path | None = None) -> Any:
    """The data of the document ``start..end`` as far as it reads: parsed whole, or with the
    cursor's line blanked out, then the lines the parser stops at (and the one above, where
    libyaml's mark lands a line late), up to a few; None when nothing reads."""
    from specc.frontends import Limits, SourceFile, parse

    body = text[start:end]
    if form == "json":
        try:
            return json.loads(body)
        except ValueError:
            return None
    src = SourceFile(path or Path("<buffer>.yaml"), str(path or "<buffer>"), "yaml")
    rows = body.split("\n")
    cursor_row = body.count("\n", 0, max(0, offset - start))
    blanked: set[int] = set()
    for _ in range(_REPAIRS + 1):
        try:
            docs, diags = parse(src, "\n".join(rows).encode("utf-8", "surrogatepass"),
                                Limits())
        except Exception:  # a front-end bug must not take completion with it
            return None
        if docs and not any(d.code == "SPC002" for d in diags):
            return docs[0].data
        row: int | None = cursor_row if cursor_row not in blanked else None
        if row is None:
            where = next((d.span.line - 1 for d in diags
                          if d.code == "SPC002" and d.span is not None), None)
            if where is None:
                return None
            row = min(where, len(rows) - 1)
            while row >= 0 and (row in blanked or not rows[row].strip()):
                row -= 1  # libyaml's mark often lands past the culprit
        if row is None or row < 0:
            return None
        blanked.add(row)
        rows[row] = ""
    return None


def at_path(data: Any, path: tuple[PathPart, ...] | list[PathPart]) -> Any:
    """The value at ``path`` in ``data``; None when there is none."""
    for part in path:
        if isinstance(data, dict) and isinstance(part, str):
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
        else:
            return None
    return data
