"""The dialect's expression grammars (grammar/*.lark): accepted and rejected expressions for every
rule, with the offset of the offending character and what was expected there; then the same
errors in files, at the exact line and column, in plain, quoted, block and flow scalars."""
from __future__ import annotations

import pytest

from specc.dialect.grammars import (
    ExprError,
    Ref,
    condition_text,
    parse_condition,
    parse_ref,
    parse_type,
    type_text,
)
from tests.conftest import REPO

INT, FLOAT, STR, NONE = ({"simple": s} for s in ("INTEGER", "FLOAT", "STRING", "NONE"))

# ---- types.lark ---------------------------------------------------------------------------------
# (expression, canonical LiteralType); rules: union, optional, named (simple names, list, dict,
# enum, file, dir, dataset, schema, struct), params, quoted params, fields, parentheses
TYPES_OK = [
    ("int", INT),
    ("float", FLOAT),
    ("str", STR),
    ("bool", {"simple": "BOOLEAN"}),
    ("datetime", {"simple": "DATETIME"}),
    ("duration", {"simple": "DURATION"}),
    ("none", NONE),
    ("binary", {"simple": "BINARY"}),
    ("error", {"simple": "ERROR"}),
    ("struct", {"simple": "STRUCT"}),
    ("list[int]", {"collectionType": INT}),
    ("list[list[str]]", {"collectionType": {"collectionType": STR}}),
    ("dict[str, float]", {"mapValueType": FLOAT}),
    ("dict['str', list[int]]", {"mapValueType": {"collectionType": INT}}),
    ("int | str", {"unionType": {"variants": [INT, STR]}}),
    ("int | str | none", {"unionType": {"variants": [INT, STR, NONE]}}),
    ("int?", {"unionType": {"variants": [INT, NONE]}}),
    ("list[int?]", {"collectionType": {"unionType": {"variants": [INT, NONE]}}}),
    ("(int | str)?", {"unionType": {"variants": [{"unionType": {"variants": [INT, STR]}},
                                                 NONE]}}),
    ("(int)", INT),
    ("enum[red, green]", {"enumType": {"values": ["red", "green"]}}),
    ("enum['dark blue', \"x\", int,]", {"enumType": {"values": ["dark blue", "x", "int"]}}),
    ("file", {"blob": {}}),
    ("file[csv]", {"blob": {"format": "csv"}}),
    ("file['tar.gz']", {"blob": {"format": "tar.gz"}}),
    ("dir", {"blob": {"dimensionality": "MULTIPART"}}),
    ("dir[parquet]", {"blob": {"format": "parquet", "dimensionality": "MULTIPART"}}),
    ("dataset", {"structuredDatasetType": {}}),
    ("dataset[parquet]", {"structuredDatasetType": {"format": "parquet"}}),
    ("dataset[parquet]{id: int, 'a b': list[float]}",
     {"structuredDatasetType": {"format": "parquet", "columns": [
         {"name": "id", "literalType": INT},
         {"name": "a b", "literalType": {"collectionType": FLOAT}}]}}),
    ("dataset{}", {"structuredDatasetType": {}}),
    ("schema", {"schema": {}}),
    ("schema{a: int, b: str, c: duration}",
     {"schema": {"columns": [{"name": "a"}, {"name": "b", "type": "STRING"},
                             {"name": "c", "type": "DURATION"}]}}),
    ("struct[Stats]", {"simple": "STRUCT", "metadata": {"title": "Stats"}}),
    ("struct{count: int, mean: float}",
     {"simple": "STRUCT", "structure": {"dataclassType": {"count": INT, "mean": FLOAT}}}),
    ("  list[ int ]  ", {"collectionType": INT}),
]

# (expression, offset of the offending character, what the message says)
TYPES_BAD = [
    ("", 0, "ends too early; expected '(' or a name"),
    ("integer", 0, "unknown type 'integer'; did you mean 'int'?"),
    ("frobnicate", 0, "unknown type 'frobnicate'; expected one of int"),
    ("list[int", 8, "ends too early; expected ',', '?', '[', ']', '{' or '|'"),
    ("list[]", 5, "unexpected ']'; expected '(', a name or a quoted string"),
    ("list", 0, "list takes one element type"),
    ("list[int, str]", 4, "list takes one element type"),
    ("list[int]]", 9, "unexpected ']'; expected '?', '{', '|' or the end"),
    ("list[int]{a: int}", 9, "list takes no fields"),
    ("dict[int, str]", 5, "the keys of a Flyte map are strings"),
    ("dict[str]", 4, "dict takes a key type and a value type"),
    ("int[str]", 3, "int takes no parameters"),
    ("int[3]", 4, "unexpected '3'; expected '(', a name or a quoted string"),
    ("int | ", 6, "ends too early"),
    ("int str", 4, "unexpected 'str'; expected '?', '[', '{', '|' or the end"),
    ("int??", 4, "unexpected '?'"),
    ("(int", 4, "ends too early; expected ')', '?', '[', '{' or '|'"),
    ("enum", 4, "enum needs its values"),
    ("enum[a, a]", 8, "enum value 'a' is given twice"),
    ("enum[list[int]]", 5, "an enum value is a name or a quoted string"),
    ("file[a, b]", 4, "file takes one format"),
    ("dir{a: int}", 3, "dir takes no fields"),
    ("dataset[parquet]{a: int, a: str}", 25, "field 'a' is given twice"),
    ("dataset[parquet]{a int}", 19, "unexpected 'int'; expected ':'"),
    ("schema{a: list[int]}", 10, "a schema column is int, float, str, bool, datetime or duration"),
    ("schema[x]", 6, "schema takes no parameters"),
    ("struct[a, b]", 6, "struct takes one title"),
    ("'x'", 0, "unexpected ''x''"),
    ("list[int] = 3", 10, "unexpected character '='"),
]


@pytest.mark.parametrize("text,expected", TYPES_OK, ids=[t for t, _ in TYPES_OK])
def test_type_accepted(text, expected):
    assert parse_type(text) == expected


@pytest.mark.parametrize("text,offset,message", TYPES_BAD, ids=[t for t, *_ in TYPES_BAD])
def test_type_rejected(text, offset, message):
    with pytest.raises(ExprError) as e:
        parse_type(text)
    assert message in e.value.problem
    assert e.value.offset == offset, e.value.problem


@pytest.mark.parametrize("text,expected", TYPES_OK, ids=[t for t, _ in TYPES_OK])
def test_type_text_round_trip(text, expected):
    """What the emitter writes parses back to the same type."""
    written = type_text(expected)
    assert written is not None
    assert parse_type(written) == expected


def test_type_text_refuses_what_it_cannot_say():
    assert type_text({"simple": "STRUCT", "metadata": {"title": "X", "type": "object"}}) is None
    assert type_text({"simple": "INTEGER", "structure": {"tag": "int"}}) is None
    assert type_text({"unionType": {"variants": [INT]}}) is None
    assert type_text({"blob": {"dimensionality": "SINGLE", "format": "x", "extra": 1}}) is None


# ---- refs.lark ---------------------------------------------------------------------------------
REFS_OK = [
    ("${inputs.x}", Ref(None, "x")),
    ("${n0.o0}", Ref("n0", "o0")),
    ("${node-0.out_0}", Ref("node-0", "out_0")),
    ("${n4.o0.label}", Ref("n4", "o0", (("s", "label"),))),
    ("${n4.o0[0]}", Ref("n4", "o0", (("i", 0),))),
    ("${n4.o0['a key']}", Ref("n4", "o0", (("s", "a key"),))),
    ('${n4.o0.rows[2]["x"].y}', Ref("n4", "o0", (("s", "rows"), ("i", 2), ("s", "x"),
                                                  ("s", "y")))),
    ("${ n0 . o0 }", Ref("n0", "o0")),
]
REFS_BAD = [
    ("${n0}", 4, "unexpected '}'; expected '.'"),
    ("${}", 2, "unexpected '}'; expected a name"),
    ("${n0.}", 5, "unexpected '}'; expected a name"),
    ("${n0.o0.}", 8, "expected a name"),
    ("${n0.o0[x]}", 8, "unexpected 'x'; expected a quoted string or an integer"),
    ("${n0.o0[-1]}", 8, "unexpected character '-'"),
    ("${n0.o0", 7, "ends too early; expected '.', '[' or '}'"),
    ("${n0.o0} x", 9, "unexpected 'x'; expected the end"),
    ("$n0.o0", 0, "unexpected character '$'"),
    ("${n0 o0}", 5, "unexpected 'o0'; expected '.'"),
]


@pytest.mark.parametrize("text,expected", REFS_OK, ids=[t for t, _ in REFS_OK])
def test_ref_accepted(text, expected):
    r = parse_ref(text)
    assert r == expected
    assert parse_ref(r.text()) == r


@pytest.mark.parametrize("text,offset,message", REFS_BAD, ids=[t for t, *_ in REFS_BAD])
def test_ref_rejected(text, offset, message):
    with pytest.raises(ExprError) as e:
        parse_ref(text)
    assert message in e.value.problem
    assert e.value.offset == offset, e.value.problem


def test_ref_attr_path_is_flytes():
    assert parse_ref("${n0.o0.a[1]}").attr_path == [{"stringValue": "a"}, {"intValue": 1}]


# ---- conditions.lark -------------------------------------------------------------------------

def _render(c) -> str:
    def operand(o):
        if o.kind == "ref":
            return o.value.text()
        if o.kind == "name":
            return o.value
        (k, v), = o.value.items()
        return {"integer": str, "floatValue": repr, "stringValue": lambda s: repr(s),
                "boolean": lambda b: "true" if b else "false"}[k](v)
    return condition_text(c, operand)


# (condition, rendered back with exactly the parentheses its tree needs)
CONDITIONS_OK = [
    ("${inputs.x} == 1", "${inputs.x} == 1"),
    ("${inputs.x} != 1.5", "${inputs.x} != 1.5"),
    ("${a.b} < -2", "${a.b} < -2"),
    ("${a.b} <= 1e3", "${a.b} <= 1000.0"),
    ("${a.b} > 'red'", "${a.b} > 'red'"),
    ("${a.b} >= \"it's\"", "${a.b} >= \"it's\""),
    ("${a.b} == true", "${a.b} == true"),
    ("false == ${a.b}", "false == ${a.b}"),
    ("out_0 == node.out_1", "out_0 == node.out_1"),
    ("a == 1 and b == 2", "a == 1 and b == 2"),
    ("a == 1 or b == 2", "a == 1 or b == 2"),
    ("a == 1 or b == 2 and c == 3", "a == 1 or b == 2 and c == 3"),
    ("(a == 1 or b == 2) and c == 3", "(a == 1 or b == 2) and c == 3"),
    ("a == 1 and b == 2 and c == 3", "a == 1 and b == 2 and c == 3"),
    ("a == 1 and (b == 2 and c == 3)", "a == 1 and (b == 2 and c == 3)"),
    ("((a == 1))", "a == 1"),
    ("  a==1\n  and b==2 ", "a == 1 and b == 2"),
]
CONDITIONS_BAD = [
    ("", 0, "ends too early"),
    ("a", 1, "ends too early; expected a comparison"),
    ("a = 1", 2, "unexpected character '='; expected a comparison"),
    ("a == ", 5, "ends too early; expected a name, a number, a quoted string, a reference"),
    ("a == 1 and", 10, "ends too early; expected '(', a name"),
    ("a == 1 &&", 7, "unexpected character '&'"),
    ("a == 1 b == 2", 7, "unexpected 'b'; expected 'and', 'or' or the end"),
    ("(a == 1", 7, "ends too early; expected ')', 'and' or 'or'"),
    ("a == 1 or or b == 2", 10, "unexpected 'or'; expected '('"),
    ("true", 4, "ends too early; expected a comparison"),
    ("a == 1)", 6, "unexpected ')'"),
    ("a < b < c", 6, "unexpected '<'"),
    ("${a.} == 1", 4, "unexpected '}'; expected a name"),
    ("a == 'open", 5, "unexpected character '''"),
    ("not a == 1", 4, "unexpected 'a'"),
    ("a == 99999999999999999999", 5, "integer out of the int64 range"),
]


@pytest.mark.parametrize("text,rendered", CONDITIONS_OK, ids=[t for t, _ in CONDITIONS_OK])
def test_condition_accepted(text, rendered):
    c = parse_condition(text)
    assert _render(c) == rendered
    assert _render(parse_condition(rendered)) == rendered


@pytest.mark.parametrize("text,offset,message", CONDITIONS_BAD,
                         ids=[t or "<empty>" for t, *_ in CONDITIONS_BAD])
def test_condition_rejected(text, offset, message):
    with pytest.raises(ExprError) as e:
        parse_condition(text)
    assert message in e.value.problem, e.value.problem
    assert e.value.offset == offset, e.value.problem


def test_condition_lowers_to_flytes_boolean_expression():
    from specc.dialect.lower import lower

    low = lower({"apiVersion": "specc/v1", "kind": "Workflow", "name": "w", "nodes": {"b": {
        "branch": [{"when": "${inputs.x} >= 0.1 and (${n0.o0} == 'a' or flag == true)",
                    "then": {"task": "t"}}, {"fail": "no"}],
        "inputs": {"flag": True, ".x": "${inputs.x}", "n0.o0": "${n0.o0}"}}}})
    assert not low.issues
    cond = low.data["template"]["nodes"][0]["branchNode"]["ifElse"]["case"]["condition"]
    assert cond == {"conjunction": {
        "operator": "AND",
        "leftExpression": {"comparison": {"operator": "GTE", "leftValue": {"var": ".x"},
                                          "rightValue": {"primitive": {"floatValue": 0.1}}}},
        "rightExpression": {"conjunction": {
            "operator": "OR",
            "leftExpression": {"comparison": {"operator": "EQ", "leftValue": {"var": "n0.o0"},
                                              "rightValue": {"primitive": {"stringValue": "a"}}}},
            "rightExpression": {"comparison": {"operator": "EQ", "leftValue": {"var": "flag"},
                                               "rightValue": {"primitive": {"boolean": True}}}}}}}}


def test_grammars_are_built_once_and_lark_only_when_needed():
    import subprocess
    import sys

    code = ("import sys; from specc import driver; from pathlib import Path;"
            "driver.compile_paths(driver.Options(paths=[Path('examples/flyteidl')]));"
            "print('lark' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True,
                         timeout=120)
    assert out.stdout.strip() == "False", out.stderr
    from specc.dialect import grammars

    assert grammars.parser("types") is grammars.parser("types")


# ---- positions in files ------------------------------------------------------------------------

FILE = '''\
apiVersion: specc/v1
kind: Workflow
name: wf
inputs:
  a: list[integr]
  b: "dict[str, \\u00e9, int]"
  c: 'enum[x, ''y'', x]'
  d: {type: "list[int"}
  e: >-
    dataset[parquet]{id: int,
    name: strr}
nodes:
  n0:
    task: t
    inputs:
      x: ${inputs.a.}
      y: "${n9.o0[x]}"
  n1:
    branch:
      - when: ${n0.o0} => 3
        then: {task: t}
      - when: |
          ${n0.o0} == 1 and
          ${n0.o1} == 2 or or
        then: {task: t}
      - else: {task: t, inputs: {z: "${n0.o0.}"}}
'''

# (code, line, column, end column) of every diagnostic, in order
POSITIONS = [
    ("SPC034", 5, 11, 17),   # the 'i' of integr, to its end
    ("SPC034", 6, 17, 23),   # after 'str, ': the escaped \u00e9, six characters in the file
    ("SPC034", 7, 22, 23),   # the second x, after the doubled quote
    ("SPC034", 8, 22, 23),   # the closing quote: the expression ends there
    ("SPC034", 11, 11, 15),  # 'strr' on the folded scalar's second line
    ("SPC035", 16, 21, 22),
    ("SPC035", 17, 19, 20),
    ("SPC036", 20, 24, 25),
    ("SPC036", 24, 28, 30),  # the second 'or', on the literal block scalar's second line
    ("SPC035", 26, 46, 47),  # inside a flow mapping
]


def test_expression_errors_at_the_exact_character(tmp_path):
    from specc import driver

    (tmp_path / "wf.yaml").write_text(FILE, encoding="utf-8")
    res = driver.compile_paths(driver.Options(paths=[tmp_path / "wf.yaml"], use_config=False))
    got = [(d.code, d.span.line, d.span.column, d.span.end_column) for d in res.diagnostics]
    assert got == POSITIONS, "\n".join(f"{d.span.line}:{d.span.column} {d.message}"
                                       for d in res.diagnostics)
    # the pointer stays the dialect's own: the scalar that holds the expression
    assert res.diagnostics[0].pointer == "/inputs/a"
    assert "did you mean 'int'" in res.diagnostics[0].message
    assert "unknown type 'strr'" in res.diagnostics[4].message
