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
from dataclasses import dataclass, field
from pathlib import Path

GRAMMAR_DIR = Path(__file__).resolve().parent.parent / "grammar"

_PARSERS: dict[str, object] = {}


class ExprError(Exception):
    def __init__(self, offset: int, problem: str, length: int = 1) -> None:
        super().__init__(problem)
        self.offset = offset
        self.problem = problem
        self.length = max(1, length)


def parser(name: str):
    """The LALR parser of ``grammar/<name>.lark``, built once."""
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


def _describe(p, names) -> str:
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


def _parse(name: str, text: str):
    from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedToken

    p = parser(name)
    try:
        return p.parse(text)
    except UnexpectedCharacters as e:
        at = e.pos_in_stream
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


def _expected_at(p, text: str, pos: int) -> set | None:
    """The terminals that may come at ``pos``: the prefix before it fed to an interactive
    parser, then each terminal tried (LALR's merged lookaheads would say more)."""
    try:
        ip = p.parse_interactive(text[:pos])
        ip.exhaust_lexer()
        return set(ip.accepts())
    except Exception:  # the prefix itself does not lex: keep what the error says
        return None


def _show(s: str) -> str:
    if s == "":
        return "end"
    if len(s) > 20:
        s = s[:20] + "..."
    return "'" + s + "'"


def _unquote(tok) -> str:
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
TYPE_NAMES = list(SIMPLE) + ["struct", "list", "dict", "enum", "file", "dir", "dataset", "schema"]


def parse_type(text: str) -> dict:
    """A type expression to a canonical LiteralType dict."""
    from lark import Token, Tree

    tree = _parse("types", text)

    def name_of(node) -> tuple[str, int] | None:
        """A bare name (no params, no fields) or a quoted string: its text and offset."""
        if isinstance(node, Tree) and node.data == "named" and len(node.children) == 1:
            t = node.children[0]
            return str(t), t.start_pos
        if isinstance(node, Tree) and node.data == "quoted":
            t = node.children[0]
            return _unquote(t), t.start_pos
        return None

    def pos(node) -> int:
        if isinstance(node, Token):
            return node.start_pos
        return node.meta.start_pos

    def end(node) -> int:
        if isinstance(node, Token):
            return node.end_pos
        return node.meta.end_pos

    def conv(node) -> dict:
        if node.data == "union":
            return {"unionType": {"variants": [conv(c) for c in node.children]}}
        if node.data == "optional":
            return {"unionType": {"variants": [conv(node.children[0]), {"simple": "NONE"}]}}
        if node.data == "quoted":
            raise ExprError(pos(node), "a quoted string is not a type; write a type such as "
                                       "int or str", end(node) - pos(node))
        if node.data == "start":
            return conv(node.children[0])
        assert node.data == "named", node.data
        tok = node.children[0]
        name = str(tok)
        params = fields = None
        for c in node.children[1:]:
            if c.data == "params":
                params = c
            else:
                fields = c
        plist = list(params.children) if params is not None else None
        flist = list(fields.children) if fields is not None else None

        def no_params(what: str) -> None:
            if params is not None:
                raise ExprError(pos(params), f"{what} takes no parameters in [...]",
                                end(params) - pos(params))

        def no_fields(what: str) -> None:
            if fields is not None:
                raise ExprError(pos(fields), f"{what} takes no fields in {{...}}",
                                end(fields) - pos(fields))

        if name in SIMPLE:
            no_params(name)
            no_fields(name)
            return {"simple": SIMPLE[name]}
        if name == "list":
            no_fields("list")
            if not plist or len(plist) != 1:
                at = params if params is not None else tok
                raise ExprError(pos(at) if params is None else pos(params),
                                "list takes one element type: list[T]",
                                end(at) - pos(at))
            return {"collectionType": conv(plist[0])}
        if name == "dict":
            no_fields("dict")
            if not plist or len(plist) != 2:
                at = params if params is not None else tok
                raise ExprError(pos(at), "dict takes a key type and a value type: dict[str, T]",
                                end(at) - pos(at))
            key = name_of(plist[0])
            if key is None or key[0] != "str":
                raise ExprError(pos(plist[0]), "the keys of a Flyte map are strings: "
                                               "dict[str, T]", end(plist[0]) - pos(plist[0]))
            return {"mapValueType": conv(plist[1])}
        if name == "enum":
            no_fields("enum")
            if not plist:
                raise ExprError(end(tok), "enum needs its values: enum[a, b]")
            values = []
            for pnode in plist:
                v = name_of(pnode)
                if v is None:
                    raise ExprError(pos(pnode), "an enum value is a name or a quoted string",
                                    end(pnode) - pos(pnode))
                if v[0] in values:
                    raise ExprError(v[1], f"enum value '{v[0]}' is given twice",
                                    end(pnode) - pos(pnode))
                values.append(v[0])
            return {"enumType": {"values": values}}
        if name in ("file", "dir", "dataset"):
            blob: dict = {}
            if plist is not None:
                if len(plist) != 1 or name_of(plist[0]) is None:
                    raise ExprError(pos(params), f"{name} takes one format: {name}[csv]",
                                    end(params) - pos(params))
                blob["format"] = name_of(plist[0])[0]
            if name == "dataset":
                if flist:
                    blob["columns"] = [{"name": n, "literalType": t}
                                       for n, t in _fields(flist, conv)]
                return {"structuredDatasetType": blob}
            no_fields(name)
            if name == "dir":
                blob["dimensionality"] = "MULTIPART"
            return {"blob": blob}
        if name == "schema":
            no_params("schema")
            cols = []
            for f in flist or []:
                fname, tnode = _field(f)
                tname = name_of(tnode)
                if tname is None or tname[0] not in SCHEMA_COLUMNS or \
                        not isinstance(tnode, Tree) or tnode.data != "named":
                    raise ExprError(pos(tnode), "a schema column is int, float, str, bool, "
                                                "datetime or duration", end(tnode) - pos(tnode))
                col = {"name": fname}
                if SCHEMA_COLUMNS[tname[0]] != "INTEGER":  # INTEGER is the default: left out
                    col["type"] = SCHEMA_COLUMNS[tname[0]]
                cols.append(col)
            return {"schema": {"columns": cols} if cols else {}}
        if name == "struct":
            out: dict = {"simple": "STRUCT"}
            if plist is not None:
                if len(plist) != 1 or name_of(plist[0]) is None:
                    raise ExprError(pos(params), "struct takes one title: struct[Name]",
                                    end(params) - pos(params))
                out["metadata"] = {"title": name_of(plist[0])[0]}
            if flist is not None:
                out["structure"] = {"dataclassType": dict(_fields(flist, conv))}
            return out
        close = difflib.get_close_matches(name, TYPE_NAMES, n=1, cutoff=0.6)
        hint = f"; did you mean '{close[0]}'?" if close else \
            "; expected one of " + ", ".join(TYPE_NAMES)
        raise ExprError(tok.start_pos, f"unknown type '{name}'{hint}", len(name))

    def _field(f):
        ntok, tnode = f.children
        fname = _unquote(ntok) if ntok.type == "STRING" else str(ntok)
        return fname, tnode

    def _fields(flist, conv_):
        seen = set()
        out = []
        for f in flist:
            fname, tnode = _field(f)
            if fname in seen:
                raise ExprError(f.children[0].start_pos, f"field '{fname}' is given twice",
                                len(str(f.children[0])))
            seen.add(fname)
            out.append((fname, conv_(tnode)))
        return out

    return conv(tree)


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
    path = []
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

    def operand(node) -> Operand:
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

    def conv(node) -> Cond:
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


def condition_text(c: Cond, render_operand) -> str:
    """A condition AST back to text, with exactly the parentheses its shape needs."""
    prec = {"OR": 1, "AND": 2, "cmp": 3}

    def go(x: Cond, parent: int, right_side: bool) -> str:
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
    keys = set(t)
    if keys == {"simple"}:
        return _SIMPLE_TEXT.get(t["simple"], "struct" if t["simple"] == "STRUCT" else None)
    if keys == {"collectionType"}:
        inner = type_text(t["collectionType"])
        return f"list[{inner}]" if inner is not None else None
    if keys == {"mapValueType"}:
        inner = type_text(t["mapValueType"])
        return f"dict[str, {inner}]" if inner is not None else None
    if keys == {"unionType"} and set(t["unionType"]) == {"variants"}:
        vs = t["unionType"]["variants"]
        if len(vs) < 2:
            return None
        parts = []
        for v in vs:
            s = type_text(v)
            if s is None:
                return None
            if "unionType" in v:
                s = f"({s})"
            parts.append(s)
        if len(parts) == 2 and parts[1] == "none" and "unionType" not in vs[0]:
            return f"{parts[0]}?"
        return " | ".join(parts)
    if keys == {"enumType"} and set(t["enumType"]) <= {"values"}:
        values = t["enumType"].get("values") or []
        if not values or len(set(values)) != len(values):
            return None
        return "enum[" + ", ".join(_name_or_quoted(v) for v in values) + "]"
    if keys == {"blob"} and set(t["blob"]) <= {"format", "dimensionality"}:
        b = t["blob"]
        base = {None: "file", "MULTIPART": "dir"}.get(b.get("dimensionality"))
        if base is None:
            return None
        return f"{base}[{_name_or_quoted(b['format'])}]" if b.get("format") else base
    if keys == {"structuredDatasetType"} and set(t["structuredDatasetType"]) <= {"format",
                                                                              "columns"}:
        sd = t["structuredDatasetType"]
        s = "dataset" + (f"[{_name_or_quoted(sd['format'])}]" if sd.get("format") else "")
        if "columns" in sd:
            cols = []
            for c in sd["columns"]:
                if set(c) != {"name", "literalType"}:
                    return None
                ct = type_text(c["literalType"])
                if ct is None:
                    return None
                cols.append(f"{_name_or_quoted(c['name'])}: {ct}")
            if not cols:
                return None
            s += "{" + ", ".join(cols) + "}"
        return s
    if keys == {"schema"} and set(t["schema"]) <= {"columns"}:
        cols = []
        for c in t["schema"].get("columns", []):
            if not set(c) <= {"name", "type"} or "name" not in c:
                return None
            cols.append(f"{_name_or_quoted(c['name'])}: "
                        f"{_SCHEMA_TEXT[c.get('type', 'INTEGER')]}")
        return "schema" + ("{" + ", ".join(cols) + "}" if cols else "")
    if t.get("simple") == "STRUCT" and keys <= {"simple", "metadata", "structure"}:
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
    return None
