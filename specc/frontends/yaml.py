"""YAML front-end: documents built straight from the parser's events; positions only when asked.

The parser is libyaml's (PyYAML's C extension) when it is installed, and ruamel.yaml's pure-Python
one otherwise; both give the same events. Plain scalars are resolved by specc with YAML 1.2's core
schema whichever parser ran, so ``on`` and ``no`` stay strings.

Two builders read the events of a document:

- ``_fast`` builds the data with a stack, in one pass, and records nothing else: no node graph, no
  span per value, no JSON pointer. It handles what generated and hand-written specs are made of
  (scalars, collections, anchors and aliases, merge keys whose value is an alias or a sequence
  of aliases) and the limits (SPC007: until a merge key, values come in the walker's order), and
  gives up (``_Slow``) on anything that needs another diagnostic or another order of work: a
  duplicate or non-string key, an inline mapping to merge, an alias used as a key, a tagged or
  anchored key, an alias to a collection still open (a cycle), an undefined alias, a reused
  anchor, a limit broken after a merge key.
- ``_Walker`` composes the document into small nodes first and walks them as specc always has:
  duplicate keys are reported at the second key (with the first as related location), non-string
  keys are refused, merges apply after the mapping's own keys, alias expansion is counted against
  ``limits.max_values`` (an alias counts the size of what it expands to) and nesting against
  ``limits.max_depth``. After the first document that needed it, the rest of the file is read
  this way (one extra parse at most, so the cost stays linear in the file).

The two agree on every document the fast one finishes (tests/test_yaml_frontend.py compares them
with the node-graph front-end this module replaced). The span index of a document is lazy: the
first lookup reads the file again with ``rec`` on, recording the raw marks of every key and value
(``_MarkSpans`` converts them to ``Span`` on lookup), so a clean file never pays for positions.
Diagnostics found while building are located from the event marks at that moment.
"""
from __future__ import annotations

import io
import math
import re
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple, Protocol

from specc import diagnostics as dg
from specc.diagnostics import Loc
from specc.frontends.common import decode_utf8, file_loc
from specc.source import DictSpans, Document, Limits, SourceFile, Span

_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_STR = "tag:yaml.org,2002:str"
# tags a composer gives plain scalars by itself (resolvers differ); anything else was explicit
_IMPLICIT = frozenset((_NULL, _BOOL, _INT, _FLOAT, _STR, "tag:yaml.org,2002:merge",
                       "tag:yaml.org,2002:timestamp"))
_NOT_STRING = (_INT, _FLOAT, _BOOL, _NULL)
# YAML 1.2 core schema, for plain (unquoted, untagged) scalars
_INT_RE = re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$")
_FLOAT_RE = re.compile(r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
                       r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$")
_WORDS = {"": _NULL, "~": _NULL, "null": _NULL, "Null": _NULL, "NULL": _NULL,
          "true": _BOOL, "True": _BOOL, "TRUE": _BOOL,
          "false": _BOOL, "False": _BOOL, "FALSE": _BOOL}
_NUMERIC_START = frozenset("0123456789+-.")
_KIND_NAMES = {_INT: "integer", _FLOAT: "number", _BOOL: "boolean", _NULL: "null"}

# the 0-based start line, start column, end line and end column of a value, packed in one int
# (32 bits each; a span table of a big file holds millions: a tuple of four costs three times more)
Raw = int
_LOW = 0xFFFFFFFF


# ---- scalars -------------------------------------------------------------------------------------

def _plain_tag(v: str) -> str:
    """The core-schema tag of a plain scalar's text."""
    word = _WORDS.get(v)
    if word is not None:
        return word
    if v and v[0] in _NUMERIC_START:  # only these can be numbers: skip the patterns otherwise
        if _INT_RE.match(v):
            return _INT
        if _FLOAT_RE.match(v):
            return _FLOAT
    return _STR


def _core_tag(style: str | None, tag: str, v: str) -> str:
    """The tag of a scalar under YAML 1.2's core schema (explicit tags and quotes respected).

    ``tag`` is the composer's tag: ``_STR`` when the scalar had none (or the non-specific ``!``);
    ``style`` is falsy for a plain scalar.
    """
    if style:  # quoted or block scalar ('' and None both mean plain)
        return tag if tag != _NULL else _STR
    if tag not in _IMPLICIT:
        return tag  # an explicit tag such as !!binary
    return _plain_tag(v)


def _value(tag: str, v: str) -> Any:
    """The Python value of a scalar's text under a resolved tag (the text if it does not parse)."""
    if tag == _STR:
        return v
    if tag == _INT:
        t = v.replace("_", "")
        try:
            return int(t, 10)
        except ValueError:
            try:
                return int(t, 0)
            except ValueError:
                return v
    if tag == _FLOAT:
        t = v.replace("_", "").lower()
        if t in (".inf", "+.inf"):
            return math.inf
        if t == "-.inf":
            return -math.inf
        if t == ".nan":
            return math.nan
        try:
            return float(t)
        except ValueError:
            return v
    if tag == _BOOL:
        return v.lower() == "true"
    if tag == _NULL:
        return None
    return v


def _plain(v: str) -> Any:
    """The value of a plain, untagged scalar (the fast builder's common case)."""
    return _value(_plain_tag(v), v)


def _event_tag(tag: str | None) -> str:
    """The tag libyaml's base composer gives a scalar: its own, or ``str`` if none or ``!``."""
    return _STR if tag is None or tag == "!" else tag


# ---- positions -----------------------------------------------------------------------------------

def _convert(src: SourceFile, raw: Raw) -> Span:
    sl, sc, el, ec = raw >> 96, raw >> 64 & _LOW, raw >> 32 & _LOW, raw & _LOW
    if ec == 0 and el > sl:
        # block collections end at the start of the next line; end at the last character
        el -= 1
        ec = len(src.line_text(el + 1) or "")
    return Span(sl + 1, sc + 1, el + 1, ec + 1)


class _MarkSpans(DictSpans):
    """Spans stored as raw 0-based marks (cheap to record), converted on lookup."""

    __slots__ = ("src",)

    def __init__(self, src: SourceFile) -> None:
        super().__init__()
        self.src = src

    def lookup(self, pointer: str, at_key: bool = False) -> Span | None:
        raw: Any = super().lookup(pointer, at_key)  # the raw marks this subclass stores
        return _convert(self.src, raw) if raw is not None else None

    def convert(self, raw: Raw) -> Span:
        return _convert(self.src, raw)


class _Recorded:
    """The span tables of every document of one file, recorded on the first lookup of any."""

    __slots__ = ("limits", "src", "tables")

    def __init__(self, src: SourceFile, limits: Limits) -> None:
        self.src = src
        self.limits = limits
        self.tables: list[_MarkSpans] | None = None

    def table(self, index: int) -> _MarkSpans:
        if self.tables is None:
            tables = []
            for _, _, values, keys in _documents(self.src.text or "", self.src, self.limits,
                                                   rec=True, bare=True):
                t = _MarkSpans(self.src)
                t.values, t.keys = values, keys
                tables.append(t)
            self.tables = tables
        return self.tables[index]


class _LazySpans:
    """A document's span index, read again from the text on the first lookup.

    Answers as ``_MarkSpans`` does (``table()`` gives that table, for ``span_entries``).
    """

    __slots__ = ("_index", "_recorded", "_table")

    def __init__(self, recorded: _Recorded, index: int) -> None:
        self._recorded = recorded
        self._index = index
        self._table: _MarkSpans | None = None

    def table(self) -> _MarkSpans:
        if self._table is None:
            self._table = self._recorded.table(self._index)
        return self._table

    def lookup(self, pointer: str, at_key: bool = False) -> Span | None:
        return self.table().lookup(pointer, at_key)


def _esc(k: str) -> str:
    return k.replace("~", "~0").replace("/", "~1")


# ---- the parser ----------------------------------------------------------------------------------

class _Backend(NamedTuple):
    """A parser and the classes of its events and errors (PyYAML's and ruamel's are alike)."""

    events: Callable[[str], Callable[[], Any]]  # text -> get_event
    # the event classes (Any: a type test against them says nothing about the event's fields)
    scalar: Any
    mapping_start: Any
    mapping_end: Any
    sequence_start: Any
    sequence_end: Any
    alias: Any
    document_end: Any
    stream_end: Any
    marked_error: type[Exception]
    error: type[Exception]
    undefined_alias: Callable[[Any], Exception]  # the alias event -> its composer's error
    # (start mark of the first, anchored event) -> the composer's error; None: the name is rebound
    reused_anchor: Callable[[Any, Any], Exception] | None


_BACKEND: list[_Backend] = []


def _events_backend() -> _Backend:
    if _BACKEND:
        return _BACKEND[0]
    try:
        import yaml as pyyaml
        from yaml import events as ev
        from yaml._yaml import CParser
        from yaml.composer import ComposerError

        def c_events(text: str) -> Callable[[], Any]:
            return CParser(text).get_event

        # libyaml's composer (PyYAML's _yaml.pyx) says these
        def undefined(e: Any) -> Exception:
            return ComposerError(None, None, "found undefined alias", e.start_mark)

        def reused(first: Any, e: Any) -> Exception:
            return ComposerError("found duplicate anchor; first occurrence", first,
                                 "second occurrence", e.start_mark)

        be = _Backend(c_events, ev.ScalarEvent, ev.MappingStartEvent, ev.MappingEndEvent,
                      ev.SequenceStartEvent, ev.SequenceEndEvent, ev.AliasEvent,
                      ev.DocumentEndEvent, ev.StreamEndEvent, pyyaml.MarkedYAMLError,
                      pyyaml.YAMLError, undefined, reused)
    except (ImportError, AttributeError):
        be = _ruamel_backend()
    _BACKEND.append(be)
    return be


def _ruamel_backend() -> _Backend:
    from ruamel.yaml import YAML
    from ruamel.yaml import events as rev
    from ruamel.yaml.composer import ComposerError as RComposerError
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    def py_events(text: str) -> Callable[[], Any]:
        return iter(YAML(typ="rt", pure=True).parse(io.StringIO(text))).__next__

    def undefined(e: Any) -> Exception:  # ruamel's composer's words
        return RComposerError(None, None, f"found undefined alias {e.anchor!r}", e.start_mark)

    # ruamel's composer warns about a reused anchor and rebinds the name; so does this one,
    # without the warning
    return _Backend(py_events, rev.ScalarEvent, rev.MappingStartEvent, rev.MappingEndEvent,
                    rev.SequenceStartEvent, rev.SequenceEndEvent, rev.AliasEvent,
                    rev.DocumentEndEvent, rev.StreamEndEvent, MarkedYAMLError, YAMLError,
                    undefined, None)


def _backend() -> tuple[Callable[[str], Iterator[int]], type[Exception], type[Exception]]:
    """(a reader of every parser event of a text, marked error class, base error class) of the
    parser specc reads YAML with: what bench/compile_bench.py times as "parsing alone". The
    reader yields once, the number of events, so that ``list()`` of it keeps none of them."""
    be = _events_backend()

    def events(text: str) -> Iterator[int]:
        get_event, stream_end = be.events(text), be.stream_end
        n = 1
        while type(get_event()) is not stream_end:
            n += 1
        yield n

    return events, be.marked_error, be.error


# ---- the fast builder ----------------------------------------------------------------------------

class _Slow(Exception):
    """The fast builder met something only the walker handles; nothing it did is kept."""


class _TooBig(Exception):
    """A limit (SPC007), at the 0-based line and column of the value that broke it."""

    def __init__(self, what: str, limit: int, hint: str, line: int, column: int) -> None:
        self.what, self.limit, self.hint, self.line, self.column = (what, str(limit), hint,
                                                                   line, column)


def _too_deep(limits: Limits, line: int, column: int) -> _TooBig:
    return _TooBig("the nesting depth", limits.max_depth, "flatten the document", line, column)


def _too_many(limits: Limits, line: int, column: int, alias: bool = False) -> _TooBig:
    if alias:  # an alias to a collection: it counts all that it stands for
        return _TooBig("the number of values after alias expansion", limits.max_values,
                       "YAML aliases expand to too much data", line, column)
    return _TooBig("the number of values", limits.max_values, "split the document", line, column)


_MISS = object()


def _fast(get_event: Callable[[], Any], be: _Backend, limits: Limits, rec: bool, bare: bool,
          keys_seen: dict[str, str], plain_seen: dict[str, Any]
          ) -> tuple[Any, dict[str, Any], dict[str, Any]]:
    """The data of the document whose start event was just read, read up to its end event; with
    ``rec``, also the raw marks of every value and key by JSON pointer. Raises ``_Slow``, or
    ``_TooBig`` for the first value that breaks a limit (the rest of the document is unread).

    ``bare`` data has None for every scalar: all that recording the marks again needs (the
    decisions above depend on keys and collections only), without a second copy of the strings.

    ``keys_seen`` (shared by every file) and ``plain_seen`` (by the documents of one file)
    remember the plain keys that are strings and what plain values resolved to: a repeated text
    costs one lookup, and the data shares one object for it.
    """
    Scalar, MapStart, MapEnd = be.scalar, be.mapping_start, be.mapping_end
    SeqStart, SeqEnd, Alias = be.sequence_start, be.sequence_end, be.alias
    max_depth, max_values = limits.max_depth, limits.max_values
    kget, pget = keys_seen.get, plain_seen.get
    values: dict[str, Any] = {}
    keys: dict[str, Any] = {}
    anchors: dict[str, Any] = {}  # name -> (value, size, raw), or None while its collection is open
    merging: dict[int, list[tuple[Any, Raw]]] = {}  # id of an open mapping -> what it merges
    stack: list[tuple[Any, bool, Any, str, Any, int]] = []
    # the open collection: the root is a holder mapping with its key already read
    holder: dict[str, Any] = {}
    cont: Any = holder
    is_map = True
    key: str | None = ""
    ptr = ""  # with rec: the open collection's pointer
    kptr = ""  # with rec: the pointer of the value of ``key``
    depth = -1  # of the open collection; a value in it is at depth + 1
    count = 0
    # until a merge key, values come in the order a node walk visits them: a limit broken is
    # reported here; after one, the walker finds which value breaks it first
    merged_any = False
    try:
        while True:
            e = get_event()
            t = type(e)
            if t is Scalar:
                v = e.value
                if is_map and key is None:  # a key
                    if e.tag is not None or e.anchor is not None:
                        raise _Slow
                    if e.style:
                        k = v
                    else:
                        k = kget(v)
                        if k is None:
                            if v == "<<":
                                count = _merge_sources(get_event, be, anchors, merging, cont,
                                                       depth >= max_depth, count, max_values)
                                merged_any = True
                                continue
                            if _plain_tag(v) != _STR:
                                raise _Slow  # a key that is not a string
                            keys_seen[v] = k = v
                    if k in cont:
                        raise _Slow  # a duplicate key
                    key = k
                    if rec:
                        kptr = ptr + "/" + (_esc(k) if "~" in k or "/" in k else k)
                        s, n = e.start_mark, e.end_mark
                        keys[kptr] = s.line << 96 | s.column << 64 | n.line << 32 | n.column
                    continue
                if depth >= max_depth:
                    s = e.start_mark
                    raise _Slow if merged_any else _too_deep(limits, s.line, s.column)
                count += 1
                if count > max_values:
                    s = e.start_mark
                    raise _Slow if merged_any else _too_many(limits, s.line, s.column)
                if bare:
                    value = None
                elif e.tag is None:
                    if e.style:
                        value = v
                    else:
                        value = pget(v, _MISS)
                        if value is _MISS:
                            plain_seen[v] = value = _plain(v)
                else:
                    value = _value(_core_tag(e.style, _event_tag(e.tag), v), v)
                if rec or e.anchor is not None:
                    s, n = e.start_mark, e.end_mark
                    raw = s.line << 96 | s.column << 64 | n.line << 32 | n.column
                    if e.anchor is not None:
                        if e.anchor in anchors:
                            raise _Slow
                        anchors[e.anchor] = (value, 1, raw)
                    if rec:
                        values[kptr if is_map else f"{ptr}/{len(cont)}"] = raw
            elif t is MapStart or t is SeqStart:
                if is_map and key is None:
                    raise _Slow  # a collection as a key
                if depth >= max_depth:
                    s = e.start_mark
                    raise _Slow if merged_any else _too_deep(limits, s.line, s.column)
                count += 1
                if count > max_values:
                    s = e.start_mark
                    raise _Slow if merged_any else _too_many(limits, s.line, s.column)
                if e.anchor is not None:
                    if e.anchor in anchors:
                        raise _Slow
                    anchors[e.anchor] = None
                stack.append((cont, is_map, key, ptr, e, count - 1))
                if rec:
                    ptr = kptr if is_map else f"{ptr}/{len(cont)}"
                    values[ptr] = None  # keeps the order a node walk records them in
                depth += 1
                if t is MapStart:
                    cont, is_map, key = {}, True, None
                else:
                    cont, is_map = [], False
                continue
            elif t is MapEnd or t is SeqEnd:
                value = cont
                own = ptr
                cont, is_map, key, ptr, start, before = stack.pop()
                depth -= 1
                merged = merging.pop(id(value), None) if merging else None
                if merged:
                    # merged keys come after the mapping's own, and never replace one
                    for source, _ in merged:
                        if type(source) is dict:
                            for mk, mv in source.items():
                                value.setdefault(mk, mv)
                if rec or start.anchor is not None:
                    s, n = start.start_mark, e.end_mark
                    raw = s.line << 96 | s.column << 64 | n.line << 32 | n.column
                    if start.anchor is not None:
                        anchors[start.anchor] = (value, count - before, raw)
                    if rec:
                        # a node walk records each merged value at the mapping's pointer last
                        values[own] = merged[-1][1] if merged else raw
            elif t is Alias:
                if is_map and key is None:
                    raise _Slow  # an alias as a key
                target = anchors.get(e.anchor)
                if target is None:
                    raise _Slow  # undefined, or a collection still open: a cycle
                value, size, raw = target
                if depth >= max_depth:  # reported, like its size, where its anchor is
                    raise _Slow if merged_any else _too_deep(limits, raw >> 96, raw >> 64 & _LOW)
                count += size
                if count > max_values:
                    raise _Slow if merged_any else _too_many(limits, raw >> 96, raw >> 64 & _LOW,
                                                             type(value) in (dict, list))
                if rec:
                    values[kptr if is_map else f"{ptr}/{len(cont)}"] = raw
            else:  # the end of the document
                return holder[""], values, keys
            if is_map:
                cont[key] = value
                key = None
            else:
                cont.append(value)
    except _TooBig:
        # a composer reads the whole document before anything is built: its errors come first
        if type(e) is not be.alias and e.anchor is not None:  # defined by the value refused
            if e.anchor in anchors:
                raise _Slow from None
            anchors[e.anchor] = None
        if not _clean_rest(get_event, be, anchors):
            raise _Slow from None
        raise


def _merge_sources(get_event: Callable[[], Any], be: _Backend, anchors: dict[str, Any],
                   merging: dict[int, list[tuple[Any, Raw]]], mapping: dict[str, Any],
                   too_deep: bool, count: int, max_values: int) -> int:
    """Read the value of a merge key ``<<`` of ``mapping``: an alias, or a flow or block sequence
    of aliases, to values built already; note them for the mapping's end; the count after them.

    Anything else (an inline mapping, an alias to a sequence whose items would merge one by one)
    is left to the walker, as is every limit the sources break.
    """
    e = get_event()
    direct = type(e) is be.alias
    if direct:
        targets = [e]
    elif type(e) is be.sequence_start and e.anchor is None:
        targets = []
        while True:
            e = get_event()
            if type(e) is be.sequence_end:
                break
            if type(e) is not be.alias:
                raise _Slow
            targets.append(e)
    else:
        raise _Slow
    pending = merging.setdefault(id(mapping), [])
    for a in targets:
        target = anchors.get(a.anchor)
        if target is None or too_deep:
            raise _Slow
        value, size, raw = target
        if direct and type(value) is list:
            raise _Slow  # ``<<: *seq`` merges the sequence's items one by one
        count += size
        if count > max_values:
            raise _Slow
        pending.append((value, raw))
    return count


def _clean_rest(get_event: Callable[[], Any], be: _Backend, anchors: dict[str, Any]) -> bool:
    """Read the rest of a document (raising the parser's errors) as a composer would; False if
    it has an alias to no anchor or reuses an anchor's name (the walker reports those)."""
    while True:
        e = get_event()
        t = type(e)
        if t is be.document_end:
            return True
        if t is be.alias:
            if e.anchor not in anchors:
                return False
        elif t is not be.mapping_end and t is not be.sequence_end and e.anchor is not None:
            if e.anchor in anchors:
                return False
            anchors[e.anchor] = None


# ---- the walker: a node graph, for what the fast builder leaves ----------------------------------

class _Node:
    """A composed node: ``kind`` 0 scalar (value: text), 1 sequence (value: nodes), 2 mapping
    (value: key and value node pairs); ``raw`` its start and end marks; ``mark`` the start mark."""

    __slots__ = ("kind", "mark", "raw", "style", "tag", "value")

    def __init__(self, kind: int, value: Any, style: str | None, tag: str, mark: Any) -> None:
        self.kind = kind
        self.value = value
        self.style = style
        self.tag = tag
        self.mark = mark
        self.raw: Raw = mark.line << 96 | mark.column << 64 | mark.line << 32 | mark.column


def _compose(get_event: Callable[[], Any], be: _Backend) -> _Node:
    """The node graph of the document whose start event was just read, up to its end event,
    as libyaml's composer builds it (aliases are the anchored node itself; reused anchors and
    undefined aliases are errors)."""
    anchors: dict[str, _Node] = {}
    stack: list[_Node] = []
    root: _Node | None = None
    while True:
        e = get_event()
        t = type(e)
        node: _Node | None
        if t is be.alias:
            node = anchors.get(e.anchor)
            if node is None:
                raise be.undefined_alias(e)
        elif t is be.mapping_end or t is be.sequence_end:
            node = stack.pop()
            s, n = node.mark, e.end_mark
            node.raw = s.line << 96 | s.column << 64 | n.line << 32 | n.column
        elif t is be.document_end:
            assert root is not None
            return root
        else:
            if t is be.scalar:
                node = _Node(0, e.value, e.style, _event_tag(e.tag), e.start_mark)
                s, n = e.start_mark, e.end_mark
                node.raw = s.line << 96 | s.column << 64 | n.line << 32 | n.column
            else:
                node = _Node(2 if t is be.mapping_start else 1, [], None, "", e.start_mark)
            if e.anchor is not None:
                if e.anchor in anchors and be.reused_anchor is not None:
                    raise be.reused_anchor(anchors[e.anchor].mark, e)
                anchors[e.anchor] = node
            if node.kind:
                stack.append(node)
                continue
        _add(stack, node)
        if not stack:
            root = node


def _add(stack: list[_Node], node: _Node) -> None:
    """Put ``node`` into the open collection (a mapping gets key, then value)."""
    if not stack:
        return
    top = stack[-1]
    if top.kind == 1:
        top.value.append(node)
    elif top.value and top.value[-1][1] is None:
        top.value[-1][1] = node
    else:
        top.value.append([node, None])


class _Walker:
    """Builds a document from its node graph, reporting what the fast builder leaves."""

    def __init__(self, src: SourceFile, limits: Limits, rec: bool) -> None:
        self.src = src
        self.limits = limits
        self.rec = rec
        self.values: dict[str, Any] = {}
        self.keys: dict[str, Any] = {}
        self.count = 0
        self.memo: dict[int, tuple[Any, int]] = {}
        self.diags: list[dg.Diagnostic] = []

    def loc(self, node: _Node) -> Loc:
        return Loc.in_file(self.src, _convert(self.src, node.raw))

    def build(self, node: _Node, pointer: str, depth: int) -> Any:
        if depth > self.limits.max_depth:
            raise _too_deep(self.limits, node.mark.line, node.mark.column)
        if self.rec:
            self.values[pointer] = node.raw
        key = id(node)
        if key in self.memo:
            # an alias: share the value already built; its content keeps the anchor's spans
            shared, size = self.memo[key]
            self.count += size
            if self.count > self.limits.max_values:
                raise _too_many(self.limits, node.mark.line, node.mark.column, alias=True)
            return shared
        before = self.count
        self.count += 1
        if self.count > self.limits.max_values:
            raise _too_many(self.limits, node.mark.line, node.mark.column)
        if node.kind == 0:
            return _value(_core_tag(node.style, node.tag, node.value), node.value)
        if node.kind == 1:
            value: Any = [self.build(item, f"{pointer}/{i}", depth + 1)
                          for i, item in enumerate(node.value)]
        else:
            value = self.mapping(node, pointer, depth)
        self.memo[key] = (value, self.count - before)
        return value

    def _double_braces(self, node: _Node) -> dg.Diagnostic | None:
        """SPC011 in words for '{{x}}' (a reference or Flyte's templating, unquoted), which
        YAML reads as a mapping whose key is a mapping: at the whole text, with the fix that
        quotes it; None for any other mapping."""
        pairs = node.value
        if len(pairs) != 1:
            return None
        knode, vnode = pairs[0]
        if knode.kind != 2 or vnode.kind != 0 or vnode.value or len(knode.value) != 1:
            return None
        inner, empty = knode.value[0]
        if inner.kind != 0 or empty.kind != 0 or empty.value or inner.style:
            return None
        span = _convert(self.src, node.raw)
        written = self.src.text_at(span)
        if written is None or not written.startswith("{{") or not written.endswith("}}"):
            return None
        name = str(inner.value)
        fix = dg.Fix(f"quote '{written}'", (dg.Edit(self.src, span, f'"{written}"'),))
        return dg.make("SPC011", Loc.in_file(self.src, span), "load", fixes=[fix],
                       found="a mapping", key=written,
                       hint=f": YAML reads '{{{{...}}}}' as a mapping in a mapping (a reference "
                            f"is written ${{{name.lstrip('.')}}})")

    def mapping(self, node: _Node, pointer: str, depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        first_key: dict[str, _Node] = {}
        merges = []
        for knode, vnode in node.value:
            if knode.value == "<<" and not knode.style and knode.tag in _IMPLICIT:
                merges.append(vnode)
                continue
            if knode.kind != 0 or _core_tag(knode.style, knode.tag, knode.value) in _NOT_STRING:
                braces = self._double_braces(node)
                if braces is not None:  # '{{x}}' written as a value: not meant as a key
                    self.diags.append(braces)
                    continue
                found = "a collection" if knode.kind else _KIND_NAMES.get(
                    _core_tag(knode.style, knode.tag, knode.value), "string")
                self.diags.append(dg.make("SPC011", self.loc(knode), "load", found=found,
                                          key=knode.value if knode.kind == 0 else "..."))
                continue
            k = str(knode.value)
            child = pointer + "/" + _esc(k)
            if k in first_key:
                self.diags.append(dg.make("SPC004", self.loc(knode), "load",
                                          related=[(self.loc(first_key[k]), "first given here")],
                                          key=k))
                continue
            first_key[k] = knode
            if self.rec:
                self.keys[child] = knode.raw
            out[k] = self.build(vnode, child, depth + 1)
        for m in merges:
            for s in (m.value if m.kind == 1 else [m]):
                merged = self.build(s, pointer, depth + 1)
                if isinstance(merged, dict):
                    for k, v in merged.items():
                        out.setdefault(k, v)
        return out


# ---- documents -----------------------------------------------------------------------------------

# plain keys seen (text -> the same text): one string object per key name in every file read,
# bounded (field names are few; a file of made-up keys only empties it)
_KEYS: dict[str, str] = {}
_KEYS_MAX = 20_000


def _documents(text: str, src: SourceFile, limits: Limits, rec: bool, bare: bool = False
               ) -> Iterator[tuple[Any, list[dg.Diagnostic], dict[str, Any], dict[str, Any]]]:
    """(data, diagnostics, raw value marks, raw key marks) of each document of ``text``; the marks
    are empty unless ``rec``; with ``bare``, the scalars of a document read without the walker
    are None. Raises the parser's errors, ``_TooBig`` and ``RecursionError``."""
    be = _events_backend()
    get_event = be.events(text)
    get_event()  # the stream's start
    keys_seen = _KEYS
    if len(keys_seen) > _KEYS_MAX:
        keys_seen.clear()
    plain_seen: dict[str, Any] = {}
    index = 0
    slow = False
    stream_end, document_end = be.stream_end, be.document_end
    while True:
        e = get_event()
        if type(e) is stream_end:
            return
        if not slow:
            try:
                data, values, keys = _fast(get_event, be, limits, rec, bare, keys_seen,
                                           plain_seen)
                yield data, [], values, keys
                index += 1
                continue
            except _Slow:
                # read the file again up to this document; walk it and every later one
                slow = True
                get_event = be.events(text)
                get_event()
                skip = index
                while skip:  # the documents before this one parsed cleanly already
                    if type(get_event()) is document_end:
                        skip -= 1
                get_event()  # this document's start
        node = _compose(get_event, be)
        w = _Walker(src, limits, rec)
        data = w.build(node, "", 0)
        yield data, w.diags, w.values, w.keys
        index += 1


def load(data: bytes, src: SourceFile, limits: Limits, spans: bool = False
         ) -> tuple[list[Document], list[dg.Diagnostic]]:
    """The documents of a YAML file and the diagnostics of reading it.

    Each document's span index is recorded now with ``spans``, else on its first lookup (the
    language server asks for every span; a compile only for the places it reports).
    """
    text, diags = decode_utf8(data, src)
    if text is None:
        return [], diags
    be = _events_backend()
    docs: list[Document] = []
    recorded = None if spans else _Recorded(src, limits)
    try:
        for index, (value, found, values, keys) in enumerate(
                _documents(text, src, limits, spans)):
            if recorded is None:
                table = _MarkSpans(src)
                table.values, table.keys = values, keys
                doc = Document(src, index, value, table)
            else:
                doc = Document(src, index, value, _LazySpans(recorded, index))
            doc.faulty = any(d.severity == "error" for d in found)
            docs.append(doc)
            diags.extend(found)
        if not docs:  # an empty or comment-only file
            docs.append(Document(src, 0, None, _MarkSpans(src)))
    except _TooBig as e:
        diags.append(dg.make("SPC007", file_loc(src, e.line + 1, e.column + 1), "load",
                             what=e.what, limit=e.limit, hint=e.hint))
        return [], diags
    except be.marked_error as e:
        err: Any = e  # a MarkedYAMLError of PyYAML or ruamel.yaml
        words = _in_words(text, err.problem, err.problem_mark, err.context_mark)
        if words is not None:  # an indentation slip, at its line, in specc's words
            problem, wline, wcol, wend = words
            return [], [*diags, dg.make("SPC002", file_loc(src, wline, wcol, wend), "load",
                                        problem=problem)]
        return [], [*diags, _syntax_error(src, text, e)]
    except be.error as e:
        return [], [*diags, dg.make("SPC002", file_loc(src, 1, 1), "load", problem=str(e))]
    except RecursionError:
        return [], [*diags, dg.make("SPC007", file_loc(src, 1, 1), "load",
                                    what="the nesting depth", limit=str(limits.max_depth),
                                    hint="flatten the document")]
    return docs, diags


class _Mark(Protocol):
    """A parser's mark (libyaml's or ruamel.yaml's): 0-based line and column."""

    @property
    def line(self) -> int: ...
    @property
    def column(self) -> int: ...


_KEY_LINE = re.compile(r"^(?P<indent> *)(?P<dash>(?:- +)*)(?P<key>[^\s#'\"{\[][^:#]*?|'[^']*'|"
                       r'"[^"]*"):(?:\s+(?P<value>.*?))?\s*$')


def _in_words(text: str, problem: str | None, pmark: _Mark | None, cmark: _Mark | None
              ) -> tuple[str, int, int, int] | None:
    """specc's words for libyaml's usual indentation slips, placed on the line that is off
    (libyaml names where it noticed, often a mapping many lines up): (problem, 1-based line,
    column, end column), or None to keep libyaml's own words.

    - a key missing its ':' ("could not find expected ':'");
    - a key indented between two levels of the lines above ("did not find expected key");
    - a key indented under a key that has its value on its line, which YAML reads as more of
      that value ("mapping values are not allowed in this context")."""
    if pmark is None or problem is None:
        return None
    lines = text.split("\n")
    if problem.startswith("could not find expected ':'") and cmark is not None and \
            cmark.line < len(lines):
        line = lines[cmark.line]
        word = line[cmark.column:].split("#")[0].rstrip()
        if word and "\n" not in word:
            end = cmark.column + len(word)
            return (f"'{word}' is not followed by ':'; write '{word}:' for a key, or indent "
                    f"it more if it continues the value above", cmark.line + 1,
                    cmark.column + 1, end + 1)
        return None
    if problem not in ("did not find expected key",
                       "mapping values are not allowed in this context"):
        return None
    # the open block levels (indent, line, key, whether the key has its value on its line)
    levels: list[tuple[int, int, str, bool]] = []
    for n in range(min(pmark.line, len(lines) - 1) + 1):
        raw = lines[n].rstrip("\r")
        if raw.startswith(("---", "...")):
            levels = []
            continue
        m = _KEY_LINE.match(raw)
        if m is None:
            continue
        indent = len(m.group("indent")) + len(m.group("dash"))
        key = m.group("key").strip()
        value = (m.group("value") or "").split(" #")[0].strip()
        inline = bool(value) and not value.startswith(("|", ">", "&", "!")) and \
            not (value[0] in "[{" and value.count(value[0]) > value.count("]}"[value[0] == "{"]))
        popped: list[tuple[int, int, str, bool]] = []
        while levels and indent < levels[-1][0]:
            popped.append(levels.pop())
        top = levels[-1] if levels else None
        where = n + 1, indent + 1, indent + 1 + len(key)
        if top is not None and indent > top[0] and popped:
            return (f"'{key}' is indented {indent} spaces, which lines up with no block above "
                    f"it: '{top[2]}' (line {top[1]}) is at {top[0]} and '{popped[-1][2]}' "
                    f"(line {popped[-1][1]}) at {popped[-1][0]}; indent it like the keys it "
                    f"belongs with", *where)
        if top is not None and indent > top[0] and top[3]:
            return (f"'{key}' is indented more than '{top[2]}' on line {top[1]}, which has a "
                    f"value on its line already, so YAML reads this line as more of that "
                    f"value; indent it {top[0]} spaces, like '{top[2]}'", *where)
        if top is not None and indent == top[0]:
            levels.pop()
        levels.append((indent, n + 1, key, inline))
    return None


def _syntax_error(src: SourceFile, text: str, e: Any) -> dg.Diagnostic:
    """SPC002 for a parser's or composer's error: the problem where it was found, and where the
    construct it was reading began."""
    mark = e.problem_mark or e.context_mark
    problem = (e.problem or e.context or "syntax error").strip()
    at = _char_at(text, mark)
    if "'\\t'" in problem or "\t" in problem or at == "\t":
        problem = "found a tab character; YAML indentation must use spaces"
    elif e.context and e.problem:
        problem = f"{e.problem} ({e.context})"
    line = mark.line + 1 if mark else None
    col = mark.column + 1 if mark else None
    related = []
    cm = e.context_mark
    if cm is not None and mark is not None and (cm.line, cm.column) != (mark.line, mark.column):
        # e.g. where the unclosed flow mapping or quoted string began
        what = (e.context or "it").strip().removeprefix("while parsing ") \
            .removeprefix("while scanning ")
        related.append((file_loc(src, cm.line + 1, cm.column + 1), f"{what} starts here"))
    return dg.make("SPC002", file_loc(src, line, col), "load", related=related, problem=problem)


def _char_at(text: str, mark: Any) -> str:
    if mark is None:
        return ""
    lines = text.split("\n")
    if 0 <= mark.line < len(lines) and 0 <= mark.column < len(lines[mark.line]):
        return lines[mark.line][mark.column]
    return ""
