"""The dialect's expression languages: types, references and conditions (``grammar/*.lark``).

Each is parsed with lark's LALR parser, built on first use and kept. ``parse_type``,
``parse_ref`` and ``parse_condition`` return canonical flyteidl pieces (or a small AST for
conditions) and raise ``ExprError`` with the 0-based offset of the offending character in the
expression and what was expected there; the caller adds the offset to the position of the YAML
scalar that holds the expression.
"""
from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

GRAMMAR_DIR = Path(__file__).resolve().parent.parent / "grammar"

_PARSERS: dict[str, Any] = {}  # name -> lark.Lark


class ExprError(Exception):
    def __init__(self, offset: int, problem: str, length: int = 1) -> None:
        super().__init__(problem)
        self.offset = offset
        self.problem = problem
        self.length = max(1, length)


def parser(name: str) -> Any:
    """The LALR parser of ``grammar/<name>.lark`` (a ``lark.Lark``), built once."""
    p = _PARSERS.get(name)
    if p is None:
        from lark import Lark

        text = (GRAMMAR_DIR / f"{name}.lark").read_text(encoding="utf-8")
        p = Lark(text, parser="lalr", lexer="contextual", propagate_positions=True,
                 maybe_placeholders=False)
        _PARSERS[name] = p
    return p


# what each terminal is, for "expected ..." messages
_TERMINALS = {
    "NAME": "a name",
    "STRING": "a quoted string",
    "INT": "an integer",
    "FLOAT": "a number",
    "REF": "a reference such as ${node.output}",
    "OP": "a comparison (== != < <= > >=)",
    "TRUE": "true",
    "FALSE": "false",
    "$END": "the end",
}


def _describe(p: Any, names: Iterable[str]) -> str:
    by_name = {t.name: t for t in p.terminals}
    out = set()
    for n in names:
        if n in _TERMINALS:
            out.add(_TERMINALS[n])
            continue
        t = by_name.get(n)
        if t is not None and t.pattern.type == "str":
            out.add(f"'{t.pattern.value}'")
        else:
            out.add(n.lower())
    items = sorted(out, key=lambda s: (not s.startswith("'"), s))
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " or " + items[-1]


def _parse(name: str, text: str) -> Any:
    from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedToken

    p = parser(name)
    try:
        return p.parse(text)
    except UnexpectedCharacters as e:
        at = e.pos_in_stream if e.pos_in_stream is not None else len(text)
        word = re.match(r"[A-Za-z0-9_]+", text[at:])
        ch = word.group(0) if word else (text[at] if at < len(text) else "")
        allowed = _expected_at(p, text, at) or e.allowed or set()
        what = "" if word else "character "
        raise ExprError(at, f"unexpected {what}{_show(ch)}; expected "
                            f"{_describe(p, allowed)}", len(ch)) from None
    except UnexpectedToken as e:
        tok = e.token
        at = len(text) if tok.type == "$END" else tok.start_pos
        expected = _expected_at(p, text, at) or e.accepts or e.expected
        if tok.type == "$END":
            raise ExprError(len(text), f"the expression ends too early; expected "
                                       f"{_describe(p, expected)}") from None
        raise ExprError(tok.start_pos, f"unexpected {_show(str(tok))}; expected "
                                       f"{_describe(p, expected)}", len(str(tok))) from None
    except UnexpectedEOF as e:  # pragma: no cover - LALR reports the end as a token
        raise ExprError(len(text), f"the expression ends too early; expected "
                                   f"{_describe(p, e.expected)}") from None


def _expected_at(p: Any, text: str, pos: int) -> set[str] | None:
    """The terminals that may come at ``pos``: the prefix before it fed to an interactive
    parser, then each terminal tried (LALR's merged lookaheads would say more)."""
    from lark.exceptions import LarkError

    try:
        ip = p.parse_interactive(text[:pos])
        ip.exhaust_lexer()
        return set(ip.accepts())
    except LarkError:  # the prefix itself does not lex or parse: keep what the error says
        return None


def _show(s: str) -> str:
    if s == "":
        return "end"
    if len(s) > 20:
        s = s[:20] + "..."
    return "'" + s + "'"


def _unquote(tok: Any) -> str:
    s = str(tok)
    body = s[1:-1]
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), body)


def quote(s: str) -> str:
    """A string as the expression languages write it (single quotes, backslash escapes)."""
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n").replace(
        "\t", "\\t") + "'"


# ---- types ---------------------------------------------------------------------------------

SIMPLE = {"int": "INTEGER", "float": "FLOAT", "str": "STRING", "bool": "BOOLEAN",
          "datetime": "DATETIME", "duration": "DURATION", "none": "NONE", "binary": "BINARY",
          "error": "ERROR"}
SCHEMA_COLUMNS = {"int": "INTEGER", "float": "FLOAT", "str": "STRING", "bool": "BOOLEAN",
                  "datetime": "DATETIME", "duration": "DURATION"}
TYPE_NAMES = [*list(SIMPLE), "struct", "list", "dict", "enum", "file", "dir", "dataset", "schema"]


def parse_type(text: str) -> dict:
    """A type expression to a canonical LiteralType dict."""
    return _type(_parse("types", text))


def _is_token(node: Any) -> bool:
    """Whether a node of a parse tree is a Token (lark's Token is a str; any other node is a
    Tree), without importing lark here."""
    return isinstance(node, str)


def _pos(node: Any) -> int:
    return node.start_pos if _is_token(node) else node.meta.start_pos


def _end(node: Any) -> int:
    return node.end_pos if _is_token(node) else node.meta.end_pos


def _name_of(node: Any) -> tuple[str, int] | None:
    """A bare name (no params, no fields) or a quoted string: its text and offset."""
    if _is_token(node):
        return None
    if node.data == "named" and len(node.children) == 1:
        t = node.children[0]
        return str(t), t.start_pos
    if node.data == "quoted":
        t = node.children[0]
        return _unquote(t), t.start_pos
    return None


def _type(node: Any) -> dict:
    """A node of the types grammar -> LiteralType (``TYPE_NODES`` by the node's rule)."""
    return TYPE_NODES[node.data](node)


def _union(node: Any) -> dict:
    return {"unionType": {"variants": [_type(c) for c in node.children]}}


def _optional(node: Any) -> dict:
    return {"unionType": {"variants": [_type(node.children[0]), {"simple": "NONE"}]}}


def _quoted(node: Any) -> dict:
    raise ExprError(_pos(node), "a quoted string is not a type; write a type such as int or str",
                    _end(node) - _pos(node))


def _start(node: Any) -> dict:
    return _type(node.children[0])


@dataclass
class _Named:
    """A named type, ``name[params]{fields}``, as the named types' constructs read it."""

    tok: Any  # the name's token
    params: Any = None  # the [...] node, if any
    fields: Any = None  # the {...} node, if any

    @property
    def name(self) -> str:
        return str(self.tok)

    @property
    def plist(self) -> list | None:
        return list(self.params.children) if self.params is not None else None

    @property
    def flist(self) -> list | None:
        return list(self.fields.children) if self.fields is not None else None

    def no_params(self, what: str) -> None:
        if self.params is not None:
            raise ExprError(_pos(self.params), f"{what} takes no parameters in [...]",
                            _end(self.params) - _pos(self.params))

    def no_fields(self, what: str) -> None:
        if self.fields is not None:
            raise ExprError(_pos(self.fields), f"{what} takes no fields in {{...}}",
                            _end(self.fields) - _pos(self.fields))

    def one_name(self, problem: str) -> str:
        """The one name (or quoted string) in [...], else ``problem`` at the [...]."""
        plist = self.plist or []
        name = _name_of(plist[0]) if len(plist) == 1 else None
        if name is None:
            raise ExprError(_pos(self.params), problem, _end(self.params) - _pos(self.params))
        return name[0]


def _named(node: Any) -> dict:
    """``name[params]{fields}`` -> LiteralType (``NAMED_TYPES`` by the name, else simple)."""
    n = _Named(node.children[0])
    for c in node.children[1:]:
        if c.data == "params":
            n.params = c
        else:
            n.fields = c
    construct = NAMED_TYPES.get(n.name, _simple if n.name in SIMPLE else None)
    if construct is None:
        close = difflib.get_close_matches(n.name, TYPE_NAMES, n=1, cutoff=0.6)
        hint = f"; did you mean '{close[0]}'?" if close else \
            "; expected one of " + ", ".join(TYPE_NAMES)
        raise ExprError(n.tok.start_pos, f"unknown type '{n.name}'{hint}", len(n.name))
    return construct(n)


TYPE_NODES: dict[str, Callable[[Any], dict]] = {
    "union": _union,
    "optional": _optional,
    "quoted": _quoted,
    "start": _start,
    "named": _named,
}


def _simple(n: _Named) -> dict:
    n.no_params(n.name)
    n.no_fields(n.name)
    return {"simple": SIMPLE[n.name]}


def _list(n: _Named) -> dict:
    n.no_fields("list")
    plist = n.plist
    if not plist or len(plist) != 1:
        at = n.params if n.params is not None else n.tok
        raise ExprError(_pos(at), "list takes one element type: list[T]", _end(at) - _pos(at))
    return {"collectionType": _type(plist[0])}


def _dict(n: _Named) -> dict:
    n.no_fields("dict")
    plist = n.plist
    if not plist or len(plist) != 2:
        at = n.params if n.params is not None else n.tok
        raise ExprError(_pos(at), "dict takes a key type and a value type: dict[str, T]",
                        _end(at) - _pos(at))
    key = _name_of(plist[0])
    if key is None or key[0] != "str":
        raise ExprError(_pos(plist[0]), "the keys of a Flyte map are strings: dict[str, T]",
                        _end(plist[0]) - _pos(plist[0]))
    return {"mapValueType": _type(plist[1])}


def _enum(n: _Named) -> dict:
    n.no_fields("enum")
    if not n.plist:
        raise ExprError(_end(n.tok), "enum needs its values: enum[a, b]")
    values: list[str] = []
    for pnode in n.plist:
        v = _name_of(pnode)
        if v is None:
            raise ExprError(_pos(pnode), "an enum value is a name or a quoted string",
                            _end(pnode) - _pos(pnode))
        if v[0] in values:
            raise ExprError(v[1], f"enum value '{v[0]}' is given twice",
                            _end(pnode) - _pos(pnode))
        values.append(v[0])
    return {"enumType": {"values": values}}


def _format(n: _Named) -> dict:
    """``file[csv]``, ``dir[csv]``, ``dataset[parquet]``: the format, if given."""
    if n.params is None:
        return {}
    return {"format": n.one_name(f"{n.name} takes one format: {n.name}[csv]")}


def _file(n: _Named) -> dict:
    blob = _format(n)
    n.no_fields("file")
    return {"blob": blob}


def _dir(n: _Named) -> dict:
    blob = _format(n)
    n.no_fields("dir")
    blob["dimensionality"] = "MULTIPART"
    return {"blob": blob}


def _dataset(n: _Named) -> dict:
    sd = _format(n)
    if n.flist:
        sd["columns"] = [{"name": name, "literalType": t} for name, t in _fields(n.flist)]
    return {"structuredDatasetType": sd}


def _schema(n: _Named) -> dict:
    n.no_params("schema")
    cols = []
    for f in n.flist or []:
        fname, tnode = _field(f)
        tname = _name_of(tnode)
        if tname is None or tname[0] not in SCHEMA_COLUMNS or _is_token(tnode) or \
                tnode.data != "named":
            raise ExprError(_pos(tnode), "a schema column is int, float, str, bool, datetime or "
                                         "duration", _end(tnode) - _pos(tnode))
        col = {"name": fname}
        if SCHEMA_COLUMNS[tname[0]] != "INTEGER":  # INTEGER is the default: left out
            col["type"] = SCHEMA_COLUMNS[tname[0]]
        cols.append(col)
    return {"schema": {"columns": cols} if cols else {}}


def _struct(n: _Named) -> dict:
    out: dict = {"simple": "STRUCT"}
    if n.params is not None:
        out["metadata"] = {"title": n.one_name("struct takes one title: struct[Name]")}
    if n.flist is not None:
        out["structure"] = {"dataclassType": dict(_fields(n.flist))}
    return out


NAMED_TYPES: dict[str, Callable[[_Named], dict]] = {
    "list": _list,
    "dict": _dict,
    "enum": _enum,
    "file": _file,
    "dir": _dir,
    "dataset": _dataset,
    "schema": _schema,
    "struct": _struct,
}


def _field(f: Any) -> tuple[str, Any]:
    """A field ``name: T`` (the name may be quoted): its name and its type's node."""
    ntok, tnode = f.children
    fname = _unquote(ntok) if ntok.type == "STRING" else str(ntok)
    return fname, tnode


def _fields(flist: list) -> list[tuple[str, dict]]:
    """Fields ``{a: T, b: U}`` -> (name, LiteralType), each name once."""
    seen = set()
    out = []
    for f in flist:
        fname, tnode = _field(f)
        if fname in seen:
            raise ExprError(f.children[0].start_pos, f"field '{fname}' is given twice",
                            len(str(f.children[0])))
        seen.add(fname)
        out.append((fname, _type(tnode)))
    return out


# ---- references -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Ref:
    """``${node.var.path}``; ``node`` is None for a workflow input (``${inputs.x}``)."""

    node: str | None
    var: str
    path: tuple = ()  # ('s', name) | ('i', index), Flyte's attrPath

    @property
    def attr_path(self) -> list[dict]:
        return [{"stringValue": v} if k == "s" else {"intValue": v} for k, v in self.path]

    def text(self) -> str:
        return "${" + self.inner() + "}"

    def inner(self) -> str:
        s = f"{self.node if self.node is not None else 'inputs'}.{self.var}"
        for k, v in self.path:
            if k == "i":
                s += f"[{v}]"
            elif _PATH_NAME.fullmatch(v):
                s += "." + v
            else:
                s += "[" + quote(v) + "]"
        return s


_PATH_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_-]*")
REF_NAME = _PATH_NAME


def is_ref_text(s: str) -> bool:
    return s.startswith("${")


def parse_ref(text: str) -> Ref:
    tree = _parse("refs", text)
    src, *paths = tree.children
    node, var = (str(t) for t in src.children)
    path: list[tuple[str, str | int]] = []
    for p in paths:
        tok = p.children[0]
        if p.data == "field":
            path.append(("s", str(tok)))
        elif p.data == "index":
            v = int(str(tok))
            if v > 2**31 - 1:
                raise ExprError(tok.start_pos, "index too large", len(str(tok)))
            path.append(("i", v))
        else:
            path.append(("s", _unquote(tok)))
    return Ref(None if node == "inputs" else node, var, tuple(path))


# ---- conditions -----------------------------------------------------------------------------

OPERATORS = {"==": "EQ", "!=": "NEQ", "<": "LT", "<=": "LTE", ">": "GT", ">=": "GTE"}
OPERATOR_TEXT = {v: k for k, v in OPERATORS.items()}


@dataclass
class Operand:
    kind: str  # 'ref' | 'name' | 'lit'
    value: object  # Ref | str | canonical Primitive dict
    offset: int
    length: int


@dataclass
class Cond:
    op: str  # 'cmp' | 'AND' | 'OR'
    operator: str = ""  # EQ ... for 'cmp'
    left: object = None  # Operand or Cond
    right: object = None
    offset: int = 0
    extra: dict = field(default_factory=dict)


def parse_condition(text: str) -> Cond:
    tree = _parse("conditions", text)

    def operand(node: Any) -> Operand:
        tok = node.children[0]
        s = str(tok)
        if node.data == "ref":
            try:
                r = parse_ref(s)
            except ExprError as e:
                raise ExprError(tok.start_pos + e.offset, e.problem, e.length) from None
            return Operand("ref", r, tok.start_pos, len(s))
        if node.data == "name":
            return Operand("name", s, tok.start_pos, len(s))
        if node.data == "int":
            v = int(s)
            if not -(2**63) <= v <= 2**63 - 1:
                raise ExprError(tok.start_pos, "integer out of the int64 range", len(s))
            return Operand("lit", {"integer": str(v)}, tok.start_pos, len(s))
        if node.data == "float":
            return Operand("lit", {"floatValue": float(s)}, tok.start_pos, len(s))
        if node.data == "string":
            return Operand("lit", {"stringValue": _unquote(tok)}, tok.start_pos, len(s))
        return Operand("lit", {"boolean": node.data == "true"}, tok.start_pos, len(s))

    def conv(node: Any) -> Cond:
        if node.data == "start":
            return conv(node.children[0])
        if node.data == "comparison":
            left, op, right = node.children
            return Cond("cmp", OPERATORS[str(op)], operand(left), operand(right),
                        node.meta.start_pos)
        a, b = node.children
        return Cond("AND" if node.data == "and_" else "OR", "", conv(a), conv(b),
                    node.meta.start_pos)

    return conv(tree)


def condition_text(c: Cond, render_operand: Callable[[Any], str]) -> str:
    """A condition AST back to text, with exactly the parentheses its shape needs."""
    prec = {"OR": 1, "AND": 2, "cmp": 3}

    def go(x: Any, parent: int, right_side: bool) -> str:  # a Cond (its sides are Any)
        if x.op == "cmp":
            return f"{render_operand(x.left)} {OPERATOR_TEXT[x.operator]} " \
                   f"{render_operand(x.right)}"
        p = prec[x.op]
        s = f"{go(x.left, p, False)} {x.op.lower()} {go(x.right, p, True)}"
        if p < parent or (p == parent and right_side):
            s = f"({s})"
        return s

    return go(c, 0, False)


# ---- types back to text (the emitter) ----------------------------------------------------------

_SIMPLE_TEXT = {v: k for k, v in SIMPLE.items()}
_SCHEMA_TEXT = {v: k for k, v in SCHEMA_COLUMNS.items()}
_BARE = re.compile(r"[A-Za-z_][A-Za-z0-9_.+-]*")


def _name_or_quoted(s: str) -> str:
    if _BARE.fullmatch(s) and s not in TYPE_NAMES:
        return s
    return quote(s)


def type_text(t: dict) -> str | None:
    """A canonical LiteralType as a type expression, or None when the notation cannot say it
    exactly (metadata, annotations, structure tags, external schemas...)."""
    if not isinstance(t, dict):
        return None
    if len(t) == 1:
        (key,) = t
        construct = TYPE_TEXTS.get(key)
        return construct(t[key]) if construct is not None else None
    if t.get("simple") == "STRUCT" and set(t) <= {"simple", "metadata", "structure"}:
        return _struct_text(t)
    return None


def _simple_text(v: Any) -> str | None:
    return _SIMPLE_TEXT.get(v, "struct" if v == "STRUCT" else None)


def _list_text(v: Any) -> str | None:
    inner = type_text(v)
    return f"list[{inner}]" if inner is not None else None


def _dict_text(v: Any) -> str | None:
    inner = type_text(v)
    return f"dict[str, {inner}]" if inner is not None else None


def _union_text(u: Any) -> str | None:
    """``T | U``, ``T?`` for ``T | none``; nested unions in parentheses."""
    if set(u) != {"variants"}:
        return None
    vs = u["variants"]
    if len(vs) < 2:
        return None
    parts = []
    for v in vs:
        s = type_text(v)
        if s is None:
            return None
        parts.append(f"({s})" if "unionType" in v else s)
    if len(parts) == 2 and parts[1] == "none" and "unionType" not in vs[0]:
        return f"{parts[0]}?"
    return " | ".join(parts)


def _enum_text(e: Any) -> str | None:
    if not set(e) <= {"values"}:
        return None
    values = e.get("values") or []
    if not values or len(set(values)) != len(values):
        return None
    return "enum[" + ", ".join(_name_or_quoted(v) for v in values) + "]"


def _blob_text(b: Any) -> str | None:
    if not set(b) <= {"format", "dimensionality"}:
        return None
    base = {None: "file", "MULTIPART": "dir"}.get(b.get("dimensionality"))
    if base is None:
        return None
    return f"{base}[{_name_or_quoted(b['format'])}]" if b.get("format") else base


def _dataset_text(sd: Any) -> str | None:
    if not set(sd) <= {"format", "columns"}:
        return None
    s = "dataset" + (f"[{_name_or_quoted(sd['format'])}]" if sd.get("format") else "")
    if "columns" not in sd:
        return s
    cols = []
    for c in sd["columns"]:
        if set(c) != {"name", "literalType"}:
            return None
        ct = type_text(c["literalType"])
        if ct is None:
            return None
        cols.append(f"{_name_or_quoted(c['name'])}: {ct}")
    return s + "{" + ", ".join(cols) + "}" if cols else None


def _schema_text(sc: Any) -> str | None:
    if not set(sc) <= {"columns"}:
        return None
    cols = []
    for c in sc.get("columns", []):
        if not set(c) <= {"name", "type"} or "name" not in c:
            return None
        cols.append(f"{_name_or_quoted(c['name'])}: {_SCHEMA_TEXT[c.get('type', 'INTEGER')]}")
    return "schema" + ("{" + ", ".join(cols) + "}" if cols else "")


def _struct_text(t: dict) -> str | None:
    """``struct``, ``struct[Title]``, ``struct{field: T}`` (a title and fields, nothing else)."""
    s = "struct"
    if "metadata" in t:
        md = t["metadata"]
        if set(md) != {"title"} or not isinstance(md["title"], str):
            return None
        s += f"[{_name_or_quoted(md['title'])}]"
    if "structure" in t:
        st = t["structure"]
        if set(st) != {"dataclassType"} or not st["dataclassType"]:
            return None
        fields_ = []
        for k, v in st["dataclassType"].items():
            ft = type_text(v)
            if ft is None:
                return None
            fields_.append(f"{_name_or_quoted(k)}: {ft}")
        s += "{" + ", ".join(fields_) + "}"
    return s


# a LiteralType with one key: that key's construct
TYPE_TEXTS: dict[str, Callable[[Any], str | None]] = {
    "simple": _simple_text,
    "collectionType": _list_text,
    "mapValueType": _dict_text,
    "unionType": _union_text,
    "enumType": _enum_text,
    "blob": _blob_text,
    "structuredDatasetType": _dataset_text,
    "schema": _schema_text,
}
