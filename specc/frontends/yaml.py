"""YAML front-end: a composer's node graph, so every key and value keeps its start and end mark.

The composer is libyaml's (PyYAML's C extension) when it is installed, five times faster than
ruamel.yaml's pure-Python one, which is the fallback. Plain scalars are resolved by specc with
YAML 1.2's core schema whichever composer ran, so ``on`` and ``no`` stay strings. Documents are
built by walking the node graph ourselves, which lets us report duplicate keys at the second key
(with the first as related location), refuse non-string keys, and bound alias expansion and
nesting depth instead of trusting a constructor with hostile input.
"""
from __future__ import annotations

import io
import math
import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, Protocol

from specc import diagnostics as dg
from specc.diagnostics import Loc
from specc.frontends.common import decode_utf8, file_loc
from specc.source import DictSpans, Document, Limits, SourceFile, Span

if TYPE_CHECKING:
    import yaml
    from ruamel.yaml import error as ruamel_error

_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_MERGE = "tag:yaml.org,2002:merge"
_STR = "tag:yaml.org,2002:str"
# tags a composer gives plain scalars by itself (resolvers differ); anything else was explicit
_IMPLICIT = frozenset((_NULL, "tag:yaml.org,2002:bool", "tag:yaml.org,2002:int",
                       "tag:yaml.org,2002:float", _STR, "tag:yaml.org,2002:merge",
                       "tag:yaml.org,2002:timestamp"))
# YAML 1.2 core schema, for plain (unquoted, untagged) scalars
_CORE = (
    (re.compile(r"^(?:~|null|Null|NULL|)$"), _NULL),
    (re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), _BOOL),
    (re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"), _INT),
    (re.compile(r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
                r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"), _FLOAT),
)


_WORDS = {"": _NULL, "~": _NULL, "null": _NULL, "Null": _NULL, "NULL": _NULL,
          "true": _BOOL, "True": _BOOL, "TRUE": _BOOL,
          "false": _BOOL, "False": _BOOL, "FALSE": _BOOL}
_NUMERIC_START = frozenset("0123456789+-.")
_Marks = tuple[int, int, int, int]  # 0-based start line and column, end line and column


class _Mark(Protocol):
    @property
    def line(self) -> int: ...
    @property
    def column(self) -> int: ...


class _Node(Protocol):
    """A composer's node, libyaml's or ruamel.yaml's: the class name says which kind it is
    (ScalarNode, SequenceNode, MappingNode); ``style`` is read on scalars only."""

    @property
    def tag(self) -> str: ...
    @property
    def value(self) -> Any: ...  # a scalar's text, a sequence's nodes, a mapping's node pairs
    @property
    def style(self) -> str | None: ...
    @property
    def start_mark(self) -> _Mark: ...
    @property
    def end_mark(self) -> _Mark: ...


def _core_tag(node: _Node) -> str:
    """The tag of a scalar under YAML 1.2's core schema (explicit tags and quotes respected)."""
    if node.style:  # quoted or block scalar ('' and None both mean plain)
        return node.tag if node.tag != _NULL else _STR
    tag = node.tag
    if tag not in _IMPLICIT:
        return tag  # an explicit tag such as !!binary
    v = node.value
    word = _WORDS.get(v)
    if word is not None:
        return word
    if v and v[0] in _NUMERIC_START:  # only these can be numbers: skip the patterns otherwise
        for pattern, t in _CORE[2:]:
            if pattern.match(v):
                return t
    return _STR


class _MarkSpans(DictSpans):
    """Spans stored as raw 0-based marks (cheap to record), converted on lookup."""

    __slots__ = ("src",)

    def __init__(self, src: SourceFile) -> None:
        super().__init__()
        self.src = src

    def lookup(self, pointer: str, at_key: bool = False) -> Span | None:
        raw: _Marks | None = self.entry(pointer, at_key)
        return self.convert(raw) if raw is not None else None

    def convert(self, raw: _Marks) -> Span:
        sl, sc, el, ec = raw
        if ec == 0 and el > sl:
            # block collections end at the start of the next line; end at the last character
            el -= 1
            ec = len(self.src.line_text(el + 1) or "")
        return Span(sl + 1, sc + 1, el + 1, ec + 1)


class _TooBig(Exception):
    def __init__(self, what: str, limit: str, hint: str, node: _Node) -> None:
        self.what, self.limit, self.hint, self.node = what, limit, hint, node


def _esc(k: str) -> str:
    return k.replace("~", "~0").replace("/", "~1")


class _Builder:
    def __init__(self, src: SourceFile, limits: Limits, index: int) -> None:
        self.src = src
        self.limits = limits
        self.spans = _MarkSpans(src)
        self.count = 0
        self.memo: dict[int, tuple[object, int]] = {}  # collection -> (value, values in it)
        self.diags: list[dg.Diagnostic] = []
        self.doc = Document(src, index, None, self.spans)

    def span(self, node: _Node) -> _Marks:
        """The node's marks, kept raw: _MarkSpans turns them into a Span only when asked."""
        s, e = node.start_mark, node.end_mark
        return (s.line, s.column, e.line, e.column)

    def build(self, node: _Node, pointer: str, depth: int) -> object:
        if depth > self.limits.max_depth:
            raise _TooBig("the nesting depth", str(self.limits.max_depth),
                          "flatten the document", node)
        self.spans.values[pointer] = self.span(node)
        key = id(node)
        if key in self.memo:
            # an alias: share the value already built; its content keeps the anchor's spans
            value, size = self.memo[key]
            self.count += size
            if self.count > self.limits.max_values:
                raise _TooBig("the number of values after alias expansion",
                              str(self.limits.max_values),
                              "YAML aliases expand to too much data", node)
            return value
        before = self.count
        self.count += 1
        if self.count > self.limits.max_values:
            raise _TooBig("the number of values", str(self.limits.max_values),
                          "split the document", node)
        kind = type(node).__name__
        if kind == "ScalarNode":
            value = self.scalar(node)
        elif kind == "SequenceNode":
            value = [self.build(item, f"{pointer}/{i}", depth + 1)
                     for i, item in enumerate(node.value)]
        else:
            value = self.mapping(node, pointer, depth)
        if kind != "ScalarNode":
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
        if type(knode).__name__ != "MappingNode" or type(vnode).__name__ != "ScalarNode" or \
                vnode.value or len(knode.value) != 1:
            return None
        inner, empty = knode.value[0]
        if type(inner).__name__ != "ScalarNode" or type(empty).__name__ != "ScalarNode" or \
                empty.value or inner.style:
            return None
        span = self.spans.convert(self.span(node))
        written = self.src.text_at(span)
        if written is None or not written.startswith("{{") or not written.endswith("}}"):
            return None
        name = str(inner.value)
        fix = dg.Fix(f"quote '{written}'", (dg.Edit(self.src, span, f'"{written}"'),))
        return dg.make("SPC011", Loc.in_file(self.src, span), "load", fixes=[fix],
                       found="a mapping", key=written,
                       hint=f": YAML reads '{{{{...}}}}' as a mapping in a mapping (a reference "
                            f"is written ${{{name.lstrip('.')}}})")

    def mapping(self, node: _Node, pointer: str, depth: int) -> dict[str, object]:
        out: dict[str, object] = {}
        first_key: dict[str, _Node] = {}
        merges = []
        for knode, vnode in node.value:
            if knode.value == "<<" and not knode.style and knode.tag in _IMPLICIT:
                merges.append(vnode)
                continue
            if type(knode).__name__ != "ScalarNode" or _core_tag(knode) in (
                    _INT, _FLOAT, _BOOL, _NULL):
                braces = self._double_braces(node)
                if braces is not None:  # '{{x}}' written as a value: not meant as a key
                    self.diags.append(braces)
                    continue
                self.diags.append(dg.make(
                    "SPC011", Loc.in_file(self.src, self.spans.convert(self.span(knode))), "load",
                    found=self._kind_name(knode),
                    key=knode.value if type(knode).__name__ == "ScalarNode" else "..."))
                continue
            k = str(knode.value)
            child = pointer + "/" + _esc(k)
            if k in first_key:
                here = self.spans.convert(self.span(knode))
                first = self.spans.convert(self.span(first_key[k]))
                d = dg.make("SPC004", Loc.in_file(self.src, here), "load",
                            related=[(Loc.in_file(self.src, first),
                                      "first given here")], key=k)
                self.diags.append(d)
                continue
            first_key[k] = knode
            self.spans.keys[child] = self.span(knode)
            out[k] = self.build(vnode, child, depth + 1)
        for m in merges:
            sources = m.value if type(m).__name__ == "SequenceNode" else [m]
            for s in sources:
                merged = self.build(s, pointer, depth + 1)
                if isinstance(merged, dict):
                    for k, v in merged.items():
                        out.setdefault(k, v)
        return out

    @staticmethod
    def _kind_name(node: _Node) -> str:
        if type(node).__name__ != "ScalarNode":
            return "a collection"
        return {_INT: "integer", _FLOAT: "number", _BOOL: "boolean", _NULL: "null"}.get(
            _core_tag(node), "string")

    @staticmethod
    def scalar(node: _Node) -> object:
        v = node.value
        tag = _core_tag(node)
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


def load(data: bytes, src: SourceFile, limits: Limits
         ) -> tuple[list[Document], list[dg.Diagnostic]]:
    text, diags = decode_utf8(data, src)
    if text is None:
        return [], diags
    compose_all, MarkedError, Error = _backend()
    docs: list[Document] = []
    try:
        for index, node in enumerate(compose_all(text)):
            b = _Builder(src, limits, index)
            if node is None:
                doc = Document(src, index, None, b.spans)
                docs.append(doc)
                continue
            try:
                b.doc.data = b.build(node, "", 0)
            except _TooBig as e:
                diags.append(dg.make("SPC007", file_loc(src, e.node.start_mark.line + 1,
                                                        e.node.start_mark.column + 1),
                                     "load", what=e.what, limit=e.limit, hint=e.hint))
                return [], diags
            b.doc.faulty = any(d.severity == "error" for d in b.diags)
            docs.append(b.doc)
            diags.extend(b.diags)
        if not docs:  # an empty or comment-only file
            docs.append(Document(src, 0, None, _MarkSpans(src)))
    except MarkedError as e:
        words = _in_words(text, e.problem, e.problem_mark, e.context_mark)
        if words is not None:  # an indentation slip, at its line, in specc's words
            problem, wline, wcol, wend = words
            return [], [*diags, dg.make("SPC002", file_loc(src, wline, wcol, wend), "load",
                                        problem=problem)]
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
        if cm is not None and mark is not None and (cm.line, cm.column) != (mark.line,
                                                                            mark.column):
            # e.g. where the unclosed flow mapping or quoted string began
            what = (e.context or "it").strip().removeprefix("while parsing ") \
                .removeprefix("while scanning ")
            related.append((file_loc(src, cm.line + 1, cm.column + 1), f"{what} starts here"))
        return [], [*diags, dg.make("SPC002", file_loc(src, line, col), "load", related=related,
                                    problem=problem)]
    except Error as e:
        return [], [*diags, dg.make("SPC002", file_loc(src, 1, 1), "load", problem=str(e))]
    except RecursionError:
        return [], [*diags, dg.make("SPC007", file_loc(src, 1, 1), "load",
                                    what="the nesting depth", limit=str(limits.max_depth),
                                    hint="flatten the document")]
    return docs, diags


def _backend() -> tuple[Callable[[str], Iterator[Any]],
                        type[yaml.MarkedYAMLError | ruamel_error.MarkedYAMLError],
                        type[yaml.YAMLError | ruamel_error.YAMLError]]:
    """(compose_all(text), marked error class, base error class) of the fastest composer here.

    The nodes are read through ``_Node``: PyYAML's stubs give ``style`` to scalar nodes only, and
    ruamel.yaml's composer returns them untyped."""
    try:
        import yaml as pyyaml

        # the base loader leaves plain scalars untyped; specc resolves them itself (_core_tag)
        loader = pyyaml.CBaseLoader
    except (ImportError, AttributeError):
        from ruamel.yaml import YAML
        from ruamel.yaml.error import MarkedYAMLError, YAMLError

        def compose_all(text: str) -> Iterator[Any]:
            return YAML(typ="rt", pure=True).compose_all(io.StringIO(text))

        return compose_all, MarkedYAMLError, YAMLError

    def compose_all_c(text: str) -> Iterator[Any]:
        return pyyaml.compose_all(text, Loader=loader)

    return compose_all_c, pyyaml.MarkedYAMLError, pyyaml.YAMLError


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


def _char_at(text: str, mark: _Mark | None) -> str:
    if mark is None:
        return ""
    lines = text.split("\n")
    if 0 <= mark.line < len(lines) and 0 <= mark.column < len(lines[mark.line]):
        return lines[mark.line][mark.column]
    return ""
