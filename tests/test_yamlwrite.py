"""specc's YAML writer (specc/yamlwrite.py), the only one specc has: every layout reads back to
the same data with specc's own reader (YAML 1.2 core), ruamel.yaml and PyYAML (YAML 1.1), on
random data full of what YAML readers misread, and on the flytekit-made bundles; strings a YAML
1.1 reader would take for something else are quoted; the dialect's compact layout."""
from __future__ import annotations

import ast
import math
import random
from pathlib import Path

import pytest

from specc.yamlwrite import BLOCK, Commented, Compact, Folded, Style, dump, scalar_text
from tests.conftest import REPO

FLOW = Style(flow=True, width=60, block_keys=frozenset({"nodes", "inputs"}),
             nested_block_keys=frozenset({"nodes"}))
NARROW = Style(flow=True, width=20, flow_depth=1)

# pieces of strings that YAML readers (1.1 or 1.2) would read as something else, or that a
# plain or quoted scalar cannot hold as they are
TRICKY = ["yes", "No", "on", "OFF", "y", "n", "~", "null", "true", "False", "1", "-2", "0o17",
          "0x1F", "1_000", "1.5", ".5", "1e3", "1.0e+3", ".inf", "-.Inf", ".nan", "2024-01-31",
          "12:30:45", "0b101", "017", "<<", "=", "---", "...", "--- x", "- x", "-x", "? x", "?x",
          ": x", ":x", "a: b", "a:b", "a #b", "a#b", "#x", "&a", "*a", "!t", "|", ">", "'", '"',
          "%x", "@x", "`x", ",", "[", "]", "{", "}", "{a: 1}", "[1, 2]", "${a.b}", "what?",
          "a?b", "a,b", " lead",
          "trail ", "two\nlines", "end\n", "end\n\n", "\nstart", "tab\there", "cr\rlf",
          "nel\x85x", "ls\u2028x", "ps\u2029x", "bom\ufeffx", "del\x7fx", "c1\x9bx", "nul\x00x",
          "bell\x07", "nbsp\xa0x", "\xa0", "é", "雪", "🎉", "back\\slash", "  double  spaces  ",
          "a" * 130, "word " * 40]


def _string(rnd: random.Random) -> str:
    parts = [rnd.choice(TRICKY) for _ in range(rnd.randint(1, 3))]
    return rnd.choice(["", " ", "-", ":"]).join(parts) if rnd.random() < 0.5 else parts[0]


def _scalar(rnd: random.Random) -> object:
    return rnd.choice([
        lambda: _string(rnd),
        lambda: _string(rnd),
        lambda: rnd.randint(-(2**70), 2**70),
        lambda: rnd.choice([0.0, -0.0, 1.5, 1e20, 1e-7, -3.25e-300, 1e300, math.inf, -math.inf,
                            123456789.123]),
        lambda: rnd.random() < 0.5,
        lambda: None,
    ])()


def _value(rnd: random.Random, depth: int) -> object:
    r = rnd.random()
    if depth > 3 or r < 0.45:
        return _scalar(rnd)
    if r < 0.75:
        return {_key(rnd): _value(rnd, depth + 1) for _ in range(rnd.randint(0, 4))}
    return [_value(rnd, depth + 1) for _ in range(rnd.randint(0, 4))]


def _key(rnd: random.Random) -> str:
    return rnd.choice(["a", "nodes", "inputs", "b c", _string(rnd)])


def _documents(n: int, seed: int) -> list[dict]:
    rnd = random.Random(seed)
    return [{_key(rnd): _value(rnd, 0) for _ in range(rnd.randint(1, 6))} for _ in range(n)]


def _specc_load(text: str) -> object:
    from specc.frontends import Limits, SourceFile
    from specc.frontends import yaml as fy

    docs, diags = fy.load(text.encode(), SourceFile(None, "<yaml>", "yaml"), Limits())
    assert diags == [], (text, [d.message for d in diags])
    assert len(docs) == 1
    return docs[0].data


def _readers(text: str) -> list[tuple[str, object]]:
    import yaml as pyyaml
    from ruamel.yaml import YAML

    return [("specc", _specc_load(text)), ("ruamel", YAML(typ="safe", pure=True).load(text)),
            ("PyYAML", pyyaml.safe_load(text))]


def _same(a: object, b: object) -> bool:
    """Equal data, NaN equal to NaN, types exact (no 1 for True, no '1' for 1)."""
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a):
        return math.isnan(b)
    if type(a) is not type(b) and not (isinstance(a, dict) and isinstance(b, dict)):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)  # type: ignore[index]
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))  # type: ignore[arg-type]
    return a == b


def _plain(v: object) -> object:
    """The data a reader gives back: str for Folded, dict for Commented and Compact."""
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_plain(x) for x in v]
    return str(v) if isinstance(v, str) else v


@pytest.mark.parametrize("style", [BLOCK, FLOW, NARROW], ids=["block", "flow", "narrow"])
def test_random_data_reads_back_with_every_reader(style):
    for data in _documents(300, seed=20240531):
        text = dump(data, style)
        for reader, got in _readers(text):
            assert _same(got, data), (reader, text, data, got)


def test_comments_folded_and_compact_values_read_back():
    rnd = random.Random(7)
    for _ in range(100):
        d = Commented(a=1)
        d["command"] = Folded(" ".join(rnd.choice(TRICKY[:60]) for _ in range(30)))
        d["type"] = Compact({"simple": "STRUCT", "metadata": {"title": _string(rnd)}})
        d["nodes"] = {"n": {"task": _string(rnd), "inputs": {"x": _scalar(rnd)}}}
        d.comments = {"a": ["# first"], "nodes": ["# the nodes", "#  indented"]}
        text = dump(d, FLOW)
        for reader, got in _readers(text):
            assert _same(got, _plain(d)), (reader, text)


def test_yaml_1_1_booleans_and_lookalikes_are_quoted():
    for s in ("yes", "No", "on", "OFF", "y", "n", "1_000", "2024-01-31", "12:30", "0b1", "017",
              "1.5", "null", "~", "true", "1e3", "---", "- x"):
        assert scalar_text(s)[0] in "'\"", s
    assert dump({"a": "yes", "b": "on"}) == "a: 'yes'\nb: 'on'\n"
    assert scalar_text("plain words") == "plain words"
    assert scalar_text(1e20) == "1.0e+20"  # YAML 1.1 reads a float only with a dot
    assert scalar_text(2.0) == "2.0"


def test_block_and_flow_layouts():
    data = {"inputs": {"a": "int"}, "outputs": {"o": {"type": "float", "value": "${f.o}"}},
            "nodes": {"f": {"task": "t", "inputs": {"x": 1}, "retries": 2}},
            "env": ["A", "B"], "empty": {}, "none": []}
    assert dump(data) == (
        "inputs:\n  a: int\noutputs:\n  o:\n    type: float\n    value: ${f.o}\n"
        "nodes:\n  f:\n    task: t\n    inputs:\n      x: 1\n    retries: 2\n"
        "env:\n  - A\n  - B\nempty: {}\nnone: []\n")
    assert dump(data, FLOW) == (
        "inputs:\n  a: int\noutputs: {o: {type: float, value: '${f.o}'}}\n"
        "nodes:\n  f:\n    task: t\n    inputs:\n      x: 1\n    retries: 2\n"
        "env: [A, B]\nempty: {}\nnone: []\n")


def test_folded_strings_fold_only_when_too_long_and_exact():
    long = " ".join(["word"] * 30)
    assert dump({"c": Folded("short one")}, NARROW) == "c: short one\n"
    text = dump({"c": Folded(long)}, NARROW)
    assert text.startswith("c: >-\n  word word")
    assert all(len(line) <= 20 for line in text.splitlines())
    assert dump({"c": Folded("a  b" + " x" * 20)}, NARROW).startswith("c: a  b x")  # not exact


def test_long_keys_are_explicit():
    key = "k" * 2000
    text = dump({key: {"a": 1}, "b": [1]})
    assert text.startswith("? " + key + "\n:\n  a: 1\n")
    for reader, got in _readers(text):
        assert got == {key: {"a": 1}, "b": [1]}, reader


def test_top_level_values():
    assert dump({}) == "{}\n" and dump([]) == "[]\n"
    assert dump([1, {"a": 2}]) == "- 1\n- a: 2\n"
    assert dump("yes") == "'yes'\n"


@pytest.fixture(scope="module")
def bundle_documents():
    from specc import driver
    from specc.convert import ordered
    from specc.frontends import Limits

    checked = driver.canonicalize(sorted((REPO / "fixtures" / "flytekit").rglob("*.tgz")),
                                  Limits())
    return [ordered(d.kind, d.data) for d in checked.canonical if d.data]


def test_flyteidl_documents_read_back(bundle_documents):
    """What specc convert --to yaml writes for every document of the flytekit bundles."""
    from specc.convert import dump_yaml

    assert bundle_documents
    for data in bundle_documents:
        text = dump_yaml(data)
        for reader, got in _readers(text):
            assert _same(got, data), reader


def test_closures_in_yaml_read_back():
    from specc import driver

    r = driver.compile_paths(driver.Options(paths=[REPO / "examples" / "flyteidl"],
                                            closures=True, use_config=False))
    assert r.closures
    for _, closure in r.closures:
        text = driver.serialize_closure(closure, "yaml").decode()
        for reader, got in _readers(text):
            assert _same(got, driver._sorted(closure)), reader


def test_imports_nothing_from_specc():
    """The writer is the bottom layer: anything in specc may use it."""
    tree = ast.parse(Path(REPO / "specc" / "yamlwrite.py").read_text(encoding="utf-8"))
    modules = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)} | \
        {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert not [m for m in modules if m and m.split(".")[0] == "specc"], modules


def test_a_repeated_string_is_judged_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whether a string can be plain is decided once per string and context, however often it
    repeats (YAML aliases can repeat one string a million times in a tiny file)."""
    from specc import yamlwrite

    calls: list[str] = []
    real = yamlwrite._plain_ok

    def counting(s: str, flow: bool) -> bool:
        calls.append(s)
        return real(s, flow)

    monkeypatch.setattr(yamlwrite, "_plain_ok", counting)
    yamlwrite._string_text.cache_clear()
    text = dump({"a": ["same value"] * 5000, "b": [["same value", "x"]] * 5000})
    assert text.count("same value") == 10_000
    assert sorted(set(calls)) == ["a", "b", "same value", "x"]  # the keys too
    assert len(calls) <= 6  # each in block and flow context at most
