"""The YAML front-end against the one it replaced, on every YAML input we have and many made up.

``_reference_load`` is specc's previous YAML front-end, kept here unchanged in behaviour (with the
SPC002 and SPC011 wordings added since): libyaml's
composer (PyYAML's ``compose_all`` with the base loader, or ruamel.yaml's composer when asked)
builds the node graph, and a recursive walk builds the data and records the span of every key and
value. The event-driven front-end must give the same documents (data of the same types, aliases
shared alike, the same ``faulty`` flags), the same diagnostics (code, message, span, related
locations) and, when its lazy span index is asked, the same raw marks for every pointer in the
same order, under the default limits and under small ones.
"""
from __future__ import annotations

import io
import math
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from specc import diagnostics as dg
from specc.diagnostics import Loc
from specc.frontends import pointer_at, span_entries
from specc.frontends import yaml as fy
from specc.frontends.common import decode_utf8, file_loc
from specc.source import DictSpans, Document, Limits, SourceFile, Span
from tests.conftest import CONFORMANCE, REPO

# ---- the reference: the node-graph front-end this one replaced ---------------------------------

_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_STR = "tag:yaml.org,2002:str"
_IMPLICIT = frozenset((_NULL, _BOOL, _INT, _FLOAT, _STR, "tag:yaml.org,2002:merge",
                       "tag:yaml.org,2002:timestamp"))
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


def _ref_core_tag(node: Any) -> str:
    if node.style:
        return node.tag if node.tag != _NULL else _STR
    tag = node.tag
    if tag not in _IMPLICIT:
        return tag
    v = node.value
    word = _WORDS.get(v)
    if word is not None:
        return word
    if v and v[0] in _NUMERIC_START:
        for pattern, t in _CORE[2:]:
            if pattern.match(v):
                return t
    return _STR


class _RefMarkSpans(DictSpans):
    """Spans stored as raw 0-based marks (cheap to record), converted on lookup."""

    __slots__ = ("src",)

    def __init__(self, src: SourceFile) -> None:
        super().__init__()
        self.src = src

    def lookup(self, pointer: str, at_key: bool = False) -> Span | None:
        raw: Any = super().lookup(pointer, at_key)
        return self.convert(raw) if raw is not None else None

    def convert(self, raw: Any) -> Span:
        sl, sc, el, ec = raw
        if ec == 0 and el > sl:
            el -= 1
            ec = len(self.src.line_text(el + 1) or "")
        return Span(sl + 1, sc + 1, el + 1, ec + 1)


class _RefTooBig(Exception):
    def __init__(self, what: str, limit: str, hint: str, node: Any) -> None:
        self.what, self.limit, self.hint, self.node = what, limit, hint, node


def _ref_esc(k: str) -> str:
    return k.replace("~", "~0").replace("/", "~1")


class _RefBuilder:
    def __init__(self, src: SourceFile, limits: Limits, index: int) -> None:
        self.src = src
        self.limits = limits
        self.spans = _RefMarkSpans(src)
        self.count = 0
        self.memo: dict[int, Any] = {}
        self.diags: list[dg.Diagnostic] = []
        self.doc = Document(src, index, None, self.spans)

    def span(self, node: Any) -> tuple[int, int, int, int]:
        s, e = node.start_mark, node.end_mark
        return (s.line, s.column, e.line, e.column)

    def build(self, node: Any, pointer: str, depth: int) -> Any:
        if depth > self.limits.max_depth:
            raise _RefTooBig("the nesting depth", str(self.limits.max_depth),
                             "flatten the document", node)
        self.spans.values[pointer] = self.span(node)
        key = id(node)
        if key in self.memo:
            value, size = self.memo[key]
            self.count += size
            if self.count > self.limits.max_values:
                raise _RefTooBig("the number of values after alias expansion",
                                 str(self.limits.max_values),
                                 "YAML aliases expand to too much data", node)
            return value
        before = self.count
        self.count += 1
        if self.count > self.limits.max_values:
            raise _RefTooBig("the number of values", str(self.limits.max_values),
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

    def _double_braces(self, node: Any) -> dg.Diagnostic | None:
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

    def mapping(self, node: Any, pointer: str, depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        first_key: dict[str, Any] = {}
        merges = []
        for knode, vnode in node.value:
            if knode.value == "<<" and not knode.style and knode.tag in _IMPLICIT:
                merges.append(vnode)
                continue
            if type(knode).__name__ != "ScalarNode" or _ref_core_tag(knode) in (
                    _INT, _FLOAT, _BOOL, _NULL):
                braces = self._double_braces(node)
                if braces is not None:
                    self.diags.append(braces)
                    continue
                self.diags.append(dg.make(
                    "SPC011", Loc.in_file(self.src, self.spans.convert(self.span(knode))), "load",
                    found=self._kind_name(knode),
                    key=knode.value if type(knode).__name__ == "ScalarNode" else "..."))
                continue
            k = str(knode.value)
            child = pointer + "/" + _ref_esc(k)
            if k in first_key:
                here = self.spans.convert(self.span(knode))
                first = self.spans.convert(self.span(first_key[k]))
                d = dg.make("SPC004", Loc.in_file(self.src, here), "load",
                            related=[(Loc.in_file(self.src, first), "first given here")], key=k)
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
    def _kind_name(node: Any) -> str:
        if type(node).__name__ != "ScalarNode":
            return "a collection"
        return {_INT: "integer", _FLOAT: "number", _BOOL: "boolean", _NULL: "null"}.get(
            _ref_core_tag(node), "string")

    @staticmethod
    def scalar(node: Any) -> Any:
        v = node.value
        tag = _ref_core_tag(node)
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


def _ref_backend(which: str
                 ) -> tuple[Callable[[str], Iterator[Any]], type[Exception], type[Exception]]:
    if which == "ruamel":
        from ruamel.yaml import YAML
        from ruamel.yaml.error import MarkedYAMLError, YAMLError

        def compose_all(text: str) -> Iterator[Any]:
            return YAML(typ="rt", pure=True).compose_all(io.StringIO(text))

        return compose_all, MarkedYAMLError, YAMLError
    import yaml as pyyaml

    def compose_all_c(text: str) -> Iterator[Any]:
        return pyyaml.compose_all(text, Loader=pyyaml.CBaseLoader)

    return compose_all_c, pyyaml.MarkedYAMLError, pyyaml.YAMLError


def _reference_load(data: bytes, src: SourceFile, limits: Limits, backend: str = "c"
                    ) -> tuple[list[Document], list[dg.Diagnostic]]:
    text, diags = decode_utf8(data, src)
    if text is None:
        return [], diags
    compose_all, MarkedError, Error = _ref_backend(backend)
    docs: list[Document] = []
    try:
        for index, node in enumerate(compose_all(text)):
            b = _RefBuilder(src, limits, index)
            try:
                b.doc.data = b.build(node, "", 0)
            except _RefTooBig as e:
                diags.append(dg.make("SPC007", file_loc(src, e.node.start_mark.line + 1,
                                                        e.node.start_mark.column + 1),
                                     "load", what=e.what, limit=e.limit, hint=e.hint))
                return [], diags
            b.doc.faulty = any(d.severity == "error" for d in b.diags)
            docs.append(b.doc)
            diags.extend(b.diags)
        if not docs:
            docs.append(Document(src, 0, None, _RefMarkSpans(src)))
    except MarkedError as error:
        err: Any = error
        # libyaml's usual indentation slips in specc's words: a function of the text and the
        # error's marks alone, shared with the front-end under test
        words = fy._in_words(text, err.problem, err.problem_mark, err.context_mark)
        if words is not None:
            problem, wline, wcol, wend = words
            return [], [*diags, dg.make("SPC002", file_loc(src, wline, wcol, wend), "load",
                                        problem=problem)]
        mark = err.problem_mark or err.context_mark
        problem = (err.problem or err.context or "syntax error").strip()
        at = _ref_char_at(text, mark)
        if "'\\t'" in problem or "\t" in problem or at == "\t":
            problem = "found a tab character; YAML indentation must use spaces"
        elif err.context and err.problem:
            problem = f"{err.problem} ({err.context})"
        line = mark.line + 1 if mark else None
        col = mark.column + 1 if mark else None
        related = []
        cm = err.context_mark
        if cm is not None and mark is not None and (cm.line, cm.column) != (mark.line,
                                                                            mark.column):
            what = (err.context or "it").strip().removeprefix("while parsing ") \
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


def _ref_char_at(text: str, mark: Any) -> str:
    if mark is None:
        return ""
    lines = text.split("\n")
    if 0 <= mark.line < len(lines) and 0 <= mark.column < len(lines[mark.line]):
        return lines[mark.line][mark.column]
    return ""


# ---- comparing ---------------------------------------------------------------------------------

def _shape(value: Any, seen: dict[int, int]) -> Any:
    """``value`` with every scalar's type spelled out and every collection met again (an alias)
    replaced by the number of its first meeting, so equal shapes mean equal data shared alike."""
    if isinstance(value, (dict, list)):
        if id(value) in seen:
            return ("again", seen[id(value)])
        seen[id(value)] = len(seen)
        if isinstance(value, dict):
            return ("dict", [(type(k).__name__, k, _shape(v, seen)) for k, v in value.items()])
        return ("list", [_shape(v, seen) for v in value])
    if isinstance(value, float):
        return ("float", repr(value))
    return (type(value).__name__, value)


def _diag(d: dg.Diagnostic) -> tuple[Any, ...]:
    return (d.code, d.name, d.severity, d.message, d.file, d.span, d.pointer, d.flyte_code,
            d.pass_name, d.doc_index,
            tuple((r.file, r.span, r.pointer, r.message) for r in d.related))


def _marks(raw: Any) -> tuple[int, ...]:
    """Raw marks as a tuple (the reference keeps tuples; the front-end packs them in an int)."""
    if isinstance(raw, int):
        return tuple(raw >> shift & 0xFFFFFFFF for shift in (96, 64, 32, 0))
    return tuple(raw)


def _table(doc: Document) -> DictSpans:
    spans = doc.spans
    table = getattr(spans, "table", None)
    got = table() if callable(table) else spans
    assert isinstance(got, DictSpans)
    return got


def _outcome(load: Callable[..., tuple[list[Document], list[dg.Diagnostic]]], data: bytes,
             limits: Limits, **kw: Any) -> dict[str, Any]:
    src = SourceFile(None, "case.yaml", "yaml")
    docs, diags = load(data, src, limits, **kw)
    seen: dict[int, int] = {}
    return {
        "text": src.text,
        "docs": [(d.index, d.faulty, d.kind, _shape(d.data, seen)) for d in docs],
        "diags": [_diag(d) for d in diags],
        "spans": [([(p, _marks(r)) for p, r in _table(d).values.items()],
                   [(p, _marks(r)) for p, r in _table(d).keys.items()]) for d in docs],
        "entries": [span_entries(d) for d in docs],
    }


def _same(data: bytes | str, limits: Limits | None = None) -> dict[str, Any]:
    """Assert that the front-end and the reference agree on ``data``; give the outcome."""
    raw = data.encode() if isinstance(data, str) else data
    lim = limits or Limits()
    want = _outcome(_reference_load, raw, lim)
    got = _outcome(fy.load, raw, lim)
    for part in want:
        assert got[part] == want[part], (part, raw[:200])
    assert _outcome(fy.load, raw, lim, spans=True) == want
    return want


# ---- inputs ------------------------------------------------------------------------------------

def _corpus() -> list[Path]:
    found = [p for root in (REPO / "fixtures", REPO / "examples")
             for p in sorted(root.rglob("*")) if p.suffix in (".yaml", ".yml") and p.is_file()]
    if CONFORMANCE.exists():
        # JSON is YAML too: the corpus's JSON inputs widen the net (flow style, long strings)
        found += [p for p in sorted(CONFORMANCE.rglob("*"))
                  if p.suffix in (".yaml", ".yml", ".json") and p.is_file()
                  and "compiled" not in p.parts]
    return found


def _doc_blocks() -> list[str]:
    blocks = []
    for md in sorted([REPO / "README.md", *(REPO / "docs").glob("*.md")]):
        blocks += re.findall(r"```ya?ml\n(.*?)```", md.read_text(encoding="utf-8"), re.S)
    return blocks


def _variants(text: str) -> list[bytes]:
    """The file, and what an editor or a careless tool makes of it."""
    lines = text.split("\n")
    out = [text.encode(), text.replace("\n", "\r\n").encode(), b"\xef\xbb\xbf" + text.encode()]
    body = [i for i, line in enumerate(lines) if line.strip() and not line.lstrip().startswith("#")]
    if len(body) > 3:
        i = body[len(body) // 2]
        dup = [*lines[: i + 1], lines[i], *lines[i + 1:]]
        out.append("\n".join(dup).encode())  # a duplicated key (or list entry)
        tabbed = list(lines)
        tabbed[i] = re.sub(r"^ {2}", "\t", tabbed[i])
        out.append("\n".join(tabbed).encode())
    for cut in (len(text) // 3, len(text) * 2 // 3):
        out.append(text[:cut].encode())  # unclosed flows and quotes, half a mapping
    raw = text.encode()
    out.append(raw[: len(raw) // 2] + b"\xc3\x28" + raw[len(raw) // 2:])  # invalid UTF-8
    return out


TRICKY = [
    "", "\n", "# only a comment\n", "---\n", "---\n---\n", "...\n", "--- |\n  text\n",
    "a: 1\n---\nb: 2\n...\n---\nc: 3\n", "---\na: 1\n...\n%YAML 1.2\n---\nb: 2\n",
    "plain scalar\n", "'quoted'\n", "- a\n- b\n", "[]\n", "{}\n", "a:\n", "a: \nb: ~\n",
    "a: null\nb: Null\nc: NULL\nd: ~\ne:\n", "a: true\nb: False\nc: TRUE\nd: yes\ne: on\nf: no\n",
    "a: 0\nb: -1\nc: +7\nd: 0o17\ne: 0x1F\nf: 1_000\ng: 010\nh: 0b11\ni: 0o9\n",
    "a: 1.5\nb: 1.\nc: .5\nd: 1e3\ne: -1E-3\nf: .inf\ng: -.Inf\nh: +.INF\ni: .nan\nj: .NaN\n"
    "k: 1_0.5\nl: +.nan\nm: 1e\n",
    "a: " + "9" * 5000 + "\n",  # past int()'s digit limit: stays a string
    "a: '1'\nb: \"true\"\nc: 'null'\nd: \"\"\ne: ''\n",
    "a: !!int '3'\nb: !!str 3\nc: ! 4\nd: !!float x\ne: !!bool 'true'\nf: !!null ''\n"
    "g: !!null x\nh: !foo bar\ni: !!binary aGk=\nj: !!int 0x10\nk: !!float '.inf'\n",
    "? !!str 1\n: a\n!!int 2: b\n! 3: c\n!foo 4: d\n'5': e\n!!int '7': f\n!!bool \"x\": g\n",
    "a: 1\n!!str b: 2\n!!null '': 3\n!!str '1': 4\n", "a: 1\n!!int '7': f\n",
    "!!bool \"x\": g\n",
    "a: |\n  line 1\n  line 2\nb: >-\n  folded\n  text\n\nc: |+\n  kept\n\n",
    "a: |\n  x\n", "- |\n  a\n- >\n  b\n", "a: |2\n    indented\n",
    "a: [1, 'b', {c: d}, [e]]\nb: {x: 1, y: [2, 3]}\n", "{a: 1, b: [2, {c: 3}]}\n",
    "[a, [b, [c, [d]]]]\n", "a: [\n  1,\n  2\n]\n", "{a: 1,\n b: 2}\n",
    "a: 1 # comment\n# between\nb: 2\n", "# head\na: # after key\n  b: 1\n",
    "name: é\nemoji: \"😀\"\n\"ключ\": значение\nmixed: a😀b\n", "\u00e9t\u00e9: 1\n",
    "a: 1\r\nb:\r\n  - x\r\n  - y\r\n",
    "a: &x 1\nb: *x\n", "a: &x [1, 2]\nb: *x\nc: *x\n", "a: &x {k: v}\nb: [*x, *x]\n",
    "&r\na: 1\n", "a: &x\n  b: &y [1]\n  c: *y\nd: *x\ne: *y\n",
    "a: *x\n", "a: &x 1\nb: &x 2\n", "a: &x [1, *x]\n", "a: &x {b: *x}\n",
    "a: &x [1, &y [2, *y]]\n", "&a [*a]\n",
    "b: &b {x: 1, y: 2}\nc:\n  <<: *b\n  y: 3\n",
    "b: &b {x: 1}\nd: &d {y: 2, x: 0}\nc:\n  <<: [*b, *d]\n  z: 3\n",
    "c:\n  <<: {x: 1, y: 2}\n  x: 0\n", "c:\n  <<: {x: 1, x: 2}\n  x: 0\n  x: 9\n",
    "c:\n  <<: [{x: 1}, {y: [1, 2]}]\n", "c:\n  <<: 3\n  a: 1\n", "c:\n  <<: [1, [2]]\n",
    "b: &b {x: 1}\nc:\n  <<: *b\n  <<: {y: 2}\n", "b: &s [{x: 1}, {y: 2}]\nc:\n  <<: *s\n",
    "c:\n  '<<': {x: 1}\n", "c:\n  !!str <<: {x: 1}\n", "c:\n  !foo <<: {x: 1}\n",
    "b: &b {x: {deep: 1}}\nc:\n  <<: *b\nd: *b\n", "c: &c\n  <<: *c\n",
    "c:\n  <<: &m {x: 1}\nd: *m\n", "c:\n  <<: &s [{x: 1}]\nd: *s\n",
    "c:\n  <<:\n    x: &i 1\n  y: *i\n",
    "a: &a {x: 1, y: 2}\nb: &b {y: 3, z: 4}\nc:\n  <<:\n    - *a\n    - *b\n  x: 0\n",
    "a: &a {x: 1}\nc: {<<: [], y: 2}\nd: {<<: *a}\ne: {y: 1, <<: *a, x: 5}\n",
    "s: &s text\nq: &q [1, 2]\nc:\n  <<: *s\n  d: 1\ne:\n  <<: [*s, *q]\nf: {<<: *q}\n",
    "a: &a {x: 1}\nb: &b {<<: *a, y: 2}\nc: &c\n  <<: [*b, *a]\n  z: 3\nd: [*c, *b]\n",
    "a: &a {x: 1}\nb:\n  <<: *a\n  <<: [*a]\n  y: 1\n",
    "s: &s text\nq: &q [1, 2]\nc:\n  <<: *s\n  d: 1\ne:\n  <<: [*s, *q]\n",
    "a: &a {x: 1}\nb: {c: {<<: *a}}\n", "a: &a {x: 1}\nb: {c: {<<: []}}\n",
    "a: &a {x: {deep: [1, 2, 3]}}\nb:\n  - <<: *a\n  - {<<: *a, x: 2}\n",
    "a: &a {x: 1}\nb:\n  <<: &m [*a]\nc: *m\n", "a: &a {x: 1}\nb:\n  <<: [*a, {y: 1}]\n",
    "a: &a {x: 1}\nb:\n  <<: [*a, *u]\n", "b:\n  <<: *a\na: &a {x: 1}\n",
    "a: &a {x: 1}\nb:\n  <<: *a\n  x: 2\n  x: 3\n", "a: &a {x: 1}\nb:\n  <<: *a\n  1: 2\n",
    "a: 1\na: 2\n", "a: 1\nb: 2\na: 3\na: 4\n", "x:\n  a: 1\n  a: 2\ny:\n  - {k: 1, k: 2}\n",
    "x:\n  a: &q {z: 1, z: 2}\n  a: 2\nb: *q\nc: *q\n", "a: 1\n'a': 2\n\"a\": 3\n",
    "1: a\n", "null: a\n", "~: a\ntrue: b\n1.5: c\n0x1: d\n", ": empty key\n",
    "? [a, b]\n: 1\n", "? {a: 1}\n: 2\n", "[a]: 1\n", "a: &k 1\n*k : 2\n",
    "a: &k key\n*k : 2\n", "a: &k [1]\n*k : 2\n", "&k key: 1\nb: *k\n",
    "a: 1\n? [x]\n: &v [2]\nb: *v\n", "a: 1\na: &v [2]\nb: *v\nc: *v\n",
    "a:\n\tb: 1\n", "a: 1\n\tb: 2\n", "\ta: 1\n", "a: [1,\t2]\n", "a:\t1\n",
    "a: [1, 2\n", "a: {b: 1\n", "a: 'x\n", 'a: "x\n', "a: [1, {b: 2}\n", "{a: [1, 2}\n",
    "a: b: c\n", "- a\nb: 1\n", "a:\n  - 1\n  b: 2\n", "a: 1\n  b: 2\n", "]\n", "}\n",
    "a: @b\n", "a: `b\n", "%FOO bar\n---\na: 1\n", "%YAML 1.1\n%YAML 1.2\n---\na: 1\n",
    "!!map {a: 1}\n", "!!seq [1]\n", "a: !<tag:yaml.org,2002:int> 5\n",
    "%TAG !e! tag:example.com,2000:\n---\na: !e!foo 1\n",
    "a: \x07\n", "a: \"\\x07\"\n", "a: 'it''s'\nb: \"esc\\t\\u00e9\\n\"\n",
    "a:\n  b:\n    c:\n      d:\n        e: 1\n", "- - - - - 1\n",
    "a: " + "[" * 40 + "]" * 40 + "\n",
    "[" * 200 + "]" * 200 + "\n", "[" * 1200 + "]" * 1200 + "\n",
    "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [{', '.join(['*' + p] * 10)}]\n" for p, c in zip("abcdefg", "bcdefgh",
                                                                     strict=False)),
    "a/b: 1\nc~d: 2\n~/: 3\n", "a: {b/c: {d~e: 1}}\n",
    "a:\n- 1\n- 2\nb: c\n", "- a: 1\n  b: 2\n- c: 3\n", "-\n  a: 1\n-\n- \n",
    "a: 1\n\n\n", "a:\n  b: 1\n\nc: 2\n", "a: [1,\n  2]\nb: 3\n", "a: >\n\n  x\n\n",
    "? |\n  long\n  key\n: 1\n? 'multi\n  line'\n: 2\nc: {? \"k\n  l\"\n  : 3}\n",
    "a: " + "x" * 70_000 + "\nb: [" + ", ".join(["v"] * 40_000) + "]\n",  # columns past 2**16
    # a limit broken early, and a reason to refuse the document later in it (or after it)
    "- 1\n- 2\n- 3\n- 4\n- [unclosed\n", "- 1\n- 2\n- 3\n- 4\n- *nowhere\n",
    "- &a 1\n- 2\n- [3]\n- 4\n- &a 5\n", "- &a [1]\n- 2\n- [3, *a]\n- &b 4\n- *b\n",
    "- 1\n- 2\n- 3\n- 4\n---\n- [unclosed\n", "[1, [2, [3, [4]]], 5]\n---\n: :\n",
    "a: &a [1, [2, [3]]]\nb: [*a, *a, *a]\nc: [*a]\n",
    "a: &a 1\nb: [[*a]]\n", "c: &c [x]\nd: [[*c]]\n",  # too deep: said where the anchor is
]


# ---- the tests ---------------------------------------------------------------------------------

@pytest.mark.parametrize("path", _corpus(), ids=lambda p: str(p.relative_to(p.parents[2])))
def test_corpus_files_and_their_variants(path: Path) -> None:
    text = path.read_bytes().decode("utf-8", "replace")
    for data in _variants(text):
        _same(data)
    for limits in (Limits(max_values=10), Limits(max_values=60), Limits(max_depth=3)):
        _same(text, limits)


def test_yaml_blocks_of_the_docs() -> None:
    blocks = _doc_blocks()
    assert len(blocks) > 5
    for block in blocks:
        _same(block)


@pytest.mark.parametrize("text", TRICKY, ids=[f"{i}:{t[:24]!r}" for i, t in enumerate(TRICKY)])
def test_tricky_inputs(text: str) -> None:
    for data in (text.encode(), text.replace("\n", "\r\n").encode()):
        _same(data)
    for limits in (Limits(max_values=1), Limits(max_values=3), Limits(max_values=12),
                   Limits(max_depth=0), Limits(max_depth=1), Limits(max_depth=2)):
        _same(text, limits)


def test_the_reference_is_not_vacuous() -> None:
    """The cases above reach every kind of diagnostic the front-end gives."""
    codes: set[str] = set()
    for text in TRICKY:
        codes |= {d[0] for d in _same(text)["diags"]}
        codes |= {d[0] for d in _same(text, Limits(max_values=3))["diags"]}
    _same(b"a: \xff\n")
    assert codes >= {"SPC002", "SPC004", "SPC007", "SPC011"}
    assert [d[0] for d in _same(b"a: \xff\n")["diags"]] == ["SPC005"]


# ---- generated YAML ----------------------------------------------------------------------------

_SCALARS = ["a", "b c", "~", "null", "", "true", "False", "yes", "0", "-1", "0o17", "0x1F", "1e3",
            "1.", ".inf", ".NaN", "'q'", "'1'", '"d\\n"', "!!int '3'", "!!str 3", "! 4",
            "!!float x", "!foo bar", "é", "'<<'", "x # note", "-", "'a: b'"]
_KEYS = ["a", "b", "c", "<<", "1", "null", "'a'", '"b"', "!!str c", "k/l", "m~n"]


def _render(node: Any, indent: int, flow: bool) -> tuple[str, list[str]]:
    """(text on the current line, lines below it) of a generated node."""
    kind = node[0]
    prop = f"&{node[2]} " if node[2] else ""
    if kind == "scalar":
        return prop + node[1], []
    if kind == "alias":
        return f"*{node[1]}", []
    items = node[1]
    if flow or not items or kind == "flow":
        if node[3] == "map":
            inner = ", ".join(f"{k}: {_render(v, 0, True)[0]}" for k, v in items)
            return prop + "{" + inner + "}", []
        return prop + "[" + ", ".join(_render(v, 0, True)[0] for v in items) + "]", []
    pad = " " * indent
    lines: list[str] = []
    for entry in items:
        k, v = entry if node[3] == "map" else ("-", entry)
        head, below = _render(v, indent + 2, False)
        lead = f"{pad}{k}:" if node[3] == "map" else f"{pad}-"
        if below and not head.startswith("&"):
            lines += [lead, *below]
        elif below:
            lines += [f"{lead} {head}".rstrip(), *below]
        else:
            lines.append(f"{lead} {head}".rstrip())
    return prop.strip(), lines


def _nodes() -> st.SearchStrategy[Any]:
    # anchors and aliases are named in text order by _text; a few keep a name already used
    anchor = st.sampled_from([None] * 6 + ["@"] * 3 + ["x"])
    leaf = st.one_of(st.tuples(st.just("scalar"), st.sampled_from(_SCALARS), anchor),
                     st.tuples(st.just("alias"), st.sampled_from(["@0"] * 4 + ["@1", "@2", "@5"]
                                                                 * 2 + ["x", "z"]), st.none()))

    def extend(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
        style = st.sampled_from(["block", "block", "flow"])
        seq = st.tuples(style, st.lists(children, max_size=4), anchor, st.just("seq"))
        mapping = st.tuples(style, st.lists(st.tuples(st.sampled_from(_KEYS), children),
                                            max_size=4), anchor, st.just("map"))
        return st.one_of(seq, mapping)

    return st.recursive(leaf, extend, max_leaves=12)


def _text(node: Any) -> str:
    head, below = _render(node, 2 if node[0] in ("block", "flow") and node[2] else 0, False)
    if below and head:
        text = head + "\n" + "\n".join(below) + "\n"
    else:
        text = "\n".join(below) + "\n" if below else head + "\n"
    named = 0

    def name(m: re.Match[str]) -> str:
        # &@ is a new anchor; *@k the k-th last anchor before it (maybe one still open: a cycle)
        nonlocal named
        if m.group(0) == "&@":
            named += 1
            return f"&a{named}"
        back = int(m.group(1))
        return f"*a{named - back}" if named - back > 0 else "no anchor yet"

    return re.sub(r"&@|\*@(\d)", name, text)


@settings(max_examples=250, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_nodes(), min_size=1, max_size=3),
       st.sampled_from([Limits(), Limits(), Limits(max_values=6), Limits(max_depth=2)]))
def test_generated_yaml(docs: list[Any], limits: Limits) -> None:
    _same("---\n".join(_text(d) for d in docs), limits)


# ---- the lazy index, and the fallback parser ---------------------------------------------------

WF = "a: 1\nb:\n  - x\n  - {c: 2}\nd: &r [1]\ne: *r\n"


def test_spans_are_recorded_only_when_asked() -> None:
    src = SourceFile(None, "wf.yaml", "yaml")
    docs, diags = fy.load(WF.encode(), src, Limits())
    assert diags == []
    spans = docs[0].spans
    assert isinstance(spans, fy._LazySpans) and spans._table is None
    assert spans.lookup("/b/1/c") == Span(4, 9, 4, 10)
    assert spans._table is not None
    assert spans.lookup("/b/1/c", at_key=True) == Span(4, 6, 4, 7)
    assert spans.lookup("/e") == Span(5, 4, 5, 10)  # an alias: where its anchor is
    assert spans.lookup("/b") == Span(3, 3, 4, 11)  # a block ends on its last line
    assert spans.lookup("/nowhere") == spans.lookup("")
    eager, _ = fy.load(WF.encode(), SourceFile(None, "wf.yaml", "yaml"), Limits(), spans=True)
    assert isinstance(eager[0].spans, fy._MarkSpans)
    # the re-read for positions keeps collections (its decisions need them), not the scalars
    again = [d for d, *_ in fy._documents(WF, src, Limits(), rec=True, bare=True)]
    assert again == [{"a": None, "b": [None, {"c": None}], "d": [None], "e": [None]}]


def test_the_language_server_helpers_read_the_lazy_index() -> None:
    src = SourceFile(None, "wf.yaml", "yaml")
    lazy = fy.load(WF.encode(), src, Limits())[0][0]
    ref = _reference_load(WF.encode(), SourceFile(None, "wf.yaml", "yaml"), Limits())[0][0]
    assert span_entries(lazy) == span_entries(ref)
    assert pointer_at(lazy, 4, 9) == pointer_at(ref, 4, 9) == "/b/1/c"
    assert pointer_at(lazy, 1, 1) == "/a"


def test_one_recording_serves_every_document() -> None:
    text = "a: 1\n---\nb: [1, 2]\n---\nc: {d: 3}\n"
    docs, _ = fy.load(text.encode(), SourceFile(None, "m.yaml", "yaml"), Limits())
    assert [d.spans.lookup("/c/d") for d in docs][2] == Span(5, 8, 5, 9)  # type: ignore[union-attr]
    assert docs[1].spans.lookup("/b/1") == Span(3, 8, 3, 9)  # type: ignore[union-attr]
    tables = {id(d.spans.table()) for d in docs}  # type: ignore[union-attr]
    assert len(tables) == 3


def test_a_walked_document_does_not_slow_the_others() -> None:
    """A document the fast builder leaves is walked; those after it are too, and agree."""
    text = "a: 1\n---\nb: 1\nb: 2\n---\nc: &x [1]\nd: *x\n---\ne: {<<: {f: 1}}\n"
    out = _same(text)
    assert [d[1] for d in out["docs"]] == [False, True, False, False]


@pytest.fixture
def ruamel_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """The front-end as it runs where PyYAML's C extension is missing."""
    monkeypatch.setattr(fy, "_BACKEND", [fy._ruamel_backend()])


_FALLBACK_CASES = [t for t in TRICKY if "[" * 200 not in t and "&a [x, x" not in t]


@pytest.mark.parametrize("text", _FALLBACK_CASES,
                         ids=[f"{i}:{t[:24]!r}" for i, t in enumerate(_FALLBACK_CASES)])
def test_the_fallback_parser_agrees_with_the_old_fallback(ruamel_only: None, text: str) -> None:
    """ruamel's parser instead of libyaml's: the same as the node-graph front-end with ruamel's
    composer, except that a reused anchor is rebound without ruamel's warning."""
    import warnings

    data = text.encode()
    for limits in (Limits(), Limits(max_values=3), Limits(max_depth=1)):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            want = _outcome(lambda d, s, lim: _reference_load(d, s, lim, "ruamel"), data, limits)
        assert _outcome(fy.load, data, limits) == want


def test_clean_files_are_read_without_a_node_graph(monkeypatch: pytest.MonkeyPatch) -> None:
    """The examples (anchors, aliases and merges of aliases included) never need the walker."""

    def no_graph(*args: Any) -> Any:
        raise AssertionError("composed a node graph")

    monkeypatch.setattr(fy, "_compose", no_graph)
    paths = sorted((REPO / "examples").rglob("*.yaml"))
    assert paths
    texts = [p.read_bytes() for p in paths] + [
        b"a: &a {x: 1, y: [1, 2]}\nb:\n  <<: [*a]\n  z: *a\nc: {<<: *a, x: 2}\n"]
    for data in texts:
        docs, diags = fy.load(data, SourceFile(None, "x.yaml", "yaml"), Limits())
        assert docs and not [d for d in diags if d.severity == "error"]
        for d in docs:
            span_entries(d)
