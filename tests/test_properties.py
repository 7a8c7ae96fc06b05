"""Property tests: random and mutated inputs through every front-end and every command.

For YAML, JSON, ``.pb`` and bundles, built by strategies or mutated from the fixtures' bytes and
structures, ``compile -o --bundle`` (with all four reporters) and ``convert`` to every form must
never give an internal error or a traceback, write outside the output asked for (or anything at
all when there are errors), or print invalid JSON or SARIF; every diagnostic must have a code
and a location. The checks are the fuzz harness's (``fuzz.harness``), so that what the
coverage-guided fuzzer finds and what these tests find are judged alike.

Seeded and bounded (``derandomize=True``, a fixed number of examples each), so the suite stays
fast and every run tries the same inputs; ``fuzz/run.py`` is where the search runs long.
"""
from __future__ import annotations

import json
import random
import shutil
import tarfile
from pathlib import Path
from typing import Any

import yaml as pyyaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuzz import harness
from specc.emit.names import MAX_STEM_BYTES, file_stem
from tests.conftest import REPO

FAST = settings(max_examples=200, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _examples(n: int) -> settings:
    return settings(FAST, max_examples=n)


def _files(*suffixes: str) -> list[Path]:
    found = sorted(p for p in (REPO / "fixtures").rglob("*") if p.is_file()
                   and p.name.lower().endswith(suffixes) and p.stat().st_size <= 32 * 1024)
    found += sorted(p for p in (REPO / "examples").rglob("*") if p.is_file()
                    and p.name.lower().endswith(suffixes))
    return found


YAML_FILES = _files(".yaml", ".yml")
JSON_FILES = _files(".json")
PB_FILES = _files(".pb")
BUNDLES = _files(".tgz", ".tar.gz")


def _keys() -> list[str]:
    """Every field name flyteidl's messages have (both spellings) and the dialect's: random
    structures built from them reach far past 'unknown field'."""
    from specc.dialect import lower
    from specc.table import table

    names = {f[k] for m in table().messages.values() for f in m.fields for k in ("json", "proto")}
    for attr in dir(lower):
        value = getattr(lower, attr)
        if attr.endswith("_KEYS") and isinstance(value, tuple):
            names.update(v for v in value if isinstance(v, str))
    return sorted(names)


KEYS = _keys()

# ---- strategies ----------------------------------------------------------------------------------

_TEXT = st.one_of(
    st.sampled_from(["", "x", "v1", "int", "list[int]", "dict[str, float]", "int | None",
                     "enum[a, b]", "${inputs.x}", "${n.o[0].k}", "${a} > 0.9 and ${b} == true",
                     "30s", "1h30m", "TASK", "WORKFLOW", "INTEGER", "{{.inputs.x}}", "latest",
                     "specc/v1", "Task", "Workflow", "LaunchPlan", "\ud800", "a/../b", "\0",
                     "0 0 30 2 *", "@daily", "1Gi", "500m", "NaN", "-Infinity", "9" * 30]),
    st.text(max_size=20))
_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-2**70, 2**70),
                     st.floats(allow_nan=True, allow_infinity=True), _TEXT)


def _values(depth: int = 3) -> st.SearchStrategy[Any]:
    return st.recursive(_SCALARS, lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(KEYS), _TEXT), inner, max_size=4)),
        max_leaves=12)


VALUES = _values()


def _expanded_size(node: Any, sizes: dict[int, int]) -> int:
    """How many nodes ``node`` has once its YAML aliases are expanded (shared nodes counted at
    each use, computed once each)."""
    if id(node) in sizes:
        return sizes[id(node)]
    children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
    sizes[id(node)] = 1  # a recursive alias counts once where it closes the loop
    sizes[id(node)] = size = 1 + sum(_expanded_size(c, sizes) for c in children)
    return size


def _load(path: Path) -> list[Any]:
    """The documents of a YAML or JSON fixture, as plain data (PyYAML reads the JSON too). The
    alias bombs among the fixtures are left out: expanded, they would not fit in memory."""
    try:
        docs = [d for d in pyyaml.safe_load_all(path.read_text("utf-8")) if d is not None]
    except (pyyaml.YAMLError, UnicodeDecodeError, RecursionError):
        return []
    try:
        return docs if _expanded_size(docs, {}) <= 100_000 else []
    except RecursionError:  # the deep-nesting fixtures
        return []


@st.composite
def mutated_structure(draw: st.DrawFn, files: list[Path]) -> list[Any]:
    """A fixture's documents with a few nodes replaced, removed, renamed, retyped or repeated."""
    docs: list[Any] = []
    while not docs:
        docs = _load(draw(st.sampled_from(files)))
    docs = json.loads(json.dumps(docs, default=str))  # a deep copy, and JSON-shaped
    for _ in range(draw(st.integers(1, 4))):
        path = draw(st.lists(st.integers(0, 64), max_size=8))
        parent: Any = docs
        key: Any = draw(st.integers(0, len(docs) - 1))
        for step in path:
            node = parent[key]
            if isinstance(node, dict) and node:
                parent, key = node, sorted(node)[step % len(node)]
            elif isinstance(node, list) and node:
                parent, key = node, step % len(node)
            else:
                break
        op = draw(st.sampled_from(["replace", "delete", "rename", "retype", "repeat", "deep"]))
        if op == "replace":
            parent[key] = draw(VALUES)
        elif op == "delete" and isinstance(parent, dict):
            del parent[key]
        elif op == "rename" and isinstance(parent, dict):
            parent[draw(st.sampled_from(KEYS))] = parent.pop(key)
        elif op == "retype":
            v = parent[key]
            parent[key] = ([v] if not isinstance(v, list) else {"x": v}) if draw(
                st.booleans()) else str(v)
        elif op == "repeat" and isinstance(parent[key], list):
            parent[key] = parent[key] * draw(st.integers(2, 50))
        elif op == "deep":
            v = parent[key]
            for _ in range(draw(st.integers(50, 200))):
                v = [v]
            parent[key] = v
    return docs


def _dump_json(docs: list[Any]) -> bytes:
    return json.dumps(docs[0] if docs else {}, allow_nan=True).encode()


def _dump_yaml(docs: list[Any]) -> bytes:
    try:
        return pyyaml.safe_dump_all(docs, allow_unicode=True, sort_keys=False).encode(
            "utf-8", "surrogatepass")
    except (pyyaml.YAMLError, RecursionError):
        return b"{}"


@st.composite
def mutated_bytes(draw: st.DrawFn, files: list[Path]) -> bytes:
    """A fixture's bytes with a few bytes flipped, inserted, deleted, cut or repeated."""
    data = bytearray(draw(st.sampled_from(files)).read_bytes())
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.integers(0, 4))
        at = draw(st.integers(0, max(len(data), 1))) % (len(data) + 1)
        if op == 0 and data:
            data[at % len(data)] ^= 1 << draw(st.integers(0, 7))
        elif op == 1:
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
        elif op == 2:
            del data[at: at + draw(st.integers(1, 16))]
        elif op == 3:
            del data[at:]
        else:
            data[at:at] = data[at: at + draw(st.integers(1, 64))] * draw(st.integers(1, 4))
    return bytes(data)


def _members(path: Path) -> list[bytes]:
    """The .pb members of a bundle fixture (none of a broken one: the err fixtures have some)."""
    try:
        with tarfile.open(path) as tf:
            return [tf.extractfile(m).read() for m in tf.getmembers()  # type: ignore[union-attr]
                    if m.isfile() and m.name.endswith(".pb")]
    except (tarfile.TarError, OSError, EOFError):
        return []


PB_SEEDS = [p.read_bytes() for p in PB_FILES] + [b for p in BUNDLES for b in _members(p)][:40]


@st.composite
def pb_bytes(draw: st.DrawFn) -> bytes:
    """A real message with bytes changed, or protobuf's wire format built from fields."""
    if draw(st.booleans()):
        data = bytearray(draw(st.sampled_from(PB_SEEDS)))
        for _ in range(draw(st.integers(1, 5))):
            if data:
                i = draw(st.integers(0, len(data) - 1))
                data[i] = draw(st.integers(0, 255))
        return bytes(data)
    out = bytearray()
    for _ in range(draw(st.integers(0, 12))):
        field, wire = draw(st.integers(1, 20)), draw(st.sampled_from([0, 1, 2, 5]))
        out.append((field << 3 | wire) & 0x7F)
        if wire == 0:
            out.append(draw(st.integers(0, 127)))
        elif wire == 2:
            blob = draw(st.one_of(st.binary(max_size=16), st.sampled_from(PB_SEEDS[:10])))
            out.append(min(len(blob), 127))
            out += blob[:127]
        else:
            out += draw(st.binary(min_size=8 if wire == 1 else 4, max_size=8 if wire == 1 else 4))
    return bytes(out)


# ---- every front-end, compile -o --bundle and the four reporters ---------------------------------

@_examples(60)
@given(mutated_structure(JSON_FILES + YAML_FILES))
def test_json_structures_compile_cleanly(docs: list[Any]) -> None:
    harness.target_json(_dump_json(docs))


@_examples(80)
@given(mutated_structure(YAML_FILES))
def test_yaml_structures_compile_cleanly(docs: list[Any]) -> None:
    harness.target_yaml(_dump_yaml(docs))


@_examples(150)
@given(mutated_bytes(YAML_FILES))
def test_mutated_yaml_bytes_compile_cleanly(data: bytes) -> None:
    harness.target_yaml(data)


@_examples(120)
@given(mutated_bytes(JSON_FILES))
def test_mutated_json_bytes_compile_cleanly(data: bytes) -> None:
    harness.target_json(data)


@_examples(150)
@given(st.integers(0, 3), pb_bytes())
def test_protobuf_bytes_compile_cleanly(name: int, data: bytes) -> None:
    harness.target_pb(bytes([name]) + data)


@_examples(100)
@given(st.one_of(mutated_bytes(BUNDLES), st.binary(max_size=600).map(harness.build_bundle)))
def test_bundles_compile_cleanly(data: bytes) -> None:
    harness.target_bundle(b"\0" + data)


# ---- convert, to every form ----------------------------------------------------------------------

@_examples(50)
@given(st.one_of(
    mutated_structure(YAML_FILES).map(lambda d: ("spec.yaml", _dump_yaml(d))),
    mutated_structure(JSON_FILES + YAML_FILES).map(lambda d: ("spec.json", _dump_json(d))),
    pb_bytes().map(lambda b: ("0_t_1.pb", b)),
    mutated_bytes(BUNDLES).map(lambda b: ("bundle.tgz", b))))
def test_convert_to_every_form_writes_or_reports(named: tuple[str, bytes]) -> None:
    name, data = named
    harness.convert_file(name, data)


# ---- pieces the commands rely on -----------------------------------------------------------------

def _nesting(value: Any) -> int:
    """How many levels of containers ``value`` has (a scalar: 0), by walking it."""
    if isinstance(value, dict):
        return 1 + max((_nesting(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((_nesting(v) for v in value), default=0)
    return 0


_NESTED = st.recursive(
    st.one_of(_SCALARS, st.sampled_from(['"', "\\", '\\"', "[", "]}", '""', '{"a": [1]}'])),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.sampled_from(["", "k", '"', "[", "\\", "}{"]), inner, max_size=3)),
    max_leaves=30)


@settings(FAST, max_examples=400)
@given(_NESTED, st.sampled_from([None, 1]), st.booleans(), st.integers(0, 8))
def test_json_depth_found_in_the_text_agrees_with_the_data(value: Any, indent: int | None,
                                                            ascii_only: bool, limit: int) -> None:
    """The JSON front-end's depth limit works on the text (escapes, strings with quotes and
    brackets in them); it must agree with a walk over the data."""
    from specc.frontends.json import _depth_exceeds

    text = json.dumps(value, indent=indent, ensure_ascii=ascii_only, allow_nan=True)
    assert _depth_exceeds(text, limit) == (_nesting(value) > limit + 1)


@settings(FAST, max_examples=150)
@given(_values(), st.sampled_from([None, 1, 2]))
def test_json_positions_per_lookup_agree_with_the_whole_table(value: Any,
                                                              indent: int | None) -> None:
    """The lazy lookup (what a diagnostic asks) equals the full table (the language server's),
    for every pointer of the document, a few that are not in it, keys and values."""
    from specc.frontends import Limits
    from specc.frontends.json import LazySpans, load
    from specc.source import SourceFile

    try:
        text = json.dumps({"doc": value}, indent=indent, allow_nan=True)
    except ValueError:
        return
    src = SourceFile(None, "t.json", "json")
    docs, _ = load(text.encode("utf-8", "surrogatepass"), src, Limits())
    if not docs:
        return
    pointers = [""]
    stack: list[tuple[Any, str]] = [(docs[0].data, "")]
    while stack:
        v, p = stack.pop()
        items = v.items() if isinstance(v, dict) else enumerate(v) if isinstance(v, list) else ()
        for k, c in items:
            cp = f"{p}/{str(k).replace('~', '~0').replace('/', '~1')}"
            pointers.append(cp)
            stack.append((c, cp))
    pointers += [p + "/nope" for p in pointers[:5]] + ["/doc/99999", "/doc/-1", "/doc/01"]
    lazy = docs[0].spans
    fresh_src = SourceFile(None, "t.json", "json")
    full, _ = load(text.encode("utf-8", "surrogatepass"), fresh_src, Limits())
    assert isinstance(lazy, LazySpans) and isinstance(full[0].spans, LazySpans)
    table = full[0].spans.table()
    for p in pointers:
        for at_key in (False, True):
            assert lazy.lookup(p, at_key) == table.lookup(p, at_key), (p, at_key, text[:200])


@settings(FAST, max_examples=300)
@given(st.text(max_size=300), st.text(max_size=300))
def test_file_stems_of_two_names_differ(a: str, b: str) -> None:
    sa, sb = file_stem(a), file_stem(b)
    assert (sa == sb) == (a == b or (not a and sb == "workflow") or (not b and sa == "workflow"))
    for s in (sa, sb):
        assert "/" not in s and "\\" not in s and "\0" not in s and not s.startswith(".")
        assert len(s.encode("utf-8")) <= MAX_STEM_BYTES
        s.encode("utf-8")  # strict: never a lone surrogate


@_examples(8)
@given(st.randoms(use_true_random=False))
def test_bundle_bytes_for_any_order_of_the_paths(rnd: random.Random) -> None:
    from specc import driver

    files = sorted((REPO / "examples" / "flyteidl").glob("*.yaml"))
    files += [REPO / "fixtures" / "ok" / "chain.yaml"]
    work = harness._workdir()
    try:
        blobs = set()
        for i in range(2):
            order = list(files)
            rnd.shuffle(order)
            target = work / f"{i}.tgz"
            r = driver.compile_paths(driver.Options(paths=order, bundle=target, cache=False,
                                                    use_config=False))
            assert r.exit_code == 0, [d.message for d in r.diagnostics]
            blobs.add(target.read_bytes())
        assert len(blobs) == 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


@_examples(40)
@given(st.lists(st.sampled_from(["a", "b", "c", "sub/d", "sub/e", "x/y/z"]), min_size=1,
                max_size=5, unique=True),
       st.integers(0, 8), st.booleans())
def test_write_files_is_all_or_nothing(names: list[str], fail_at: int, existing: bool) -> None:
    """Whatever file the failure hits, the folder is as it was: replaced files back, made
    files and folders gone, no temporary file."""
    from specc import emit

    work = harness._workdir()
    real = emit._write_file
    calls = {"n": 0}

    def failing(path: Path, data: bytes) -> None:
        calls["n"] += 1
        if calls["n"] > fail_at:
            raise OSError(28, "No space left on device", str(path))
        real(path, data)

    try:
        if existing:
            for n in names[::2]:
                (work / n).parent.mkdir(parents=True, exist_ok=True)
                (work / n).write_bytes(b"old " + n.encode())
        before = {str(p.relative_to(work)): p.read_bytes() if p.is_file() else None
                  for p in work.rglob("*")}
        emit._write_file = failing
        try:
            emit.write_files([(work / n, b"new " + n.encode()) for n in names])
        except OSError:
            after = {str(p.relative_to(work)): p.read_bytes() if p.is_file() else None
                     for p in work.rglob("*")}
            assert after == before
        else:
            assert fail_at >= len(names)
            for n in names:
                assert (work / n).read_bytes() == b"new " + n.encode()
            assert not [p for p in work.rglob("*") if ".specc-" in p.name]
    finally:
        emit._write_file = real
        shutil.rmtree(work, ignore_errors=True)


def test_the_strategies_have_seeds() -> None:
    assert len(YAML_FILES) > 50 and len(JSON_FILES) > 5 and PB_SEEDS and BUNDLES
    assert len(KEYS) > 200


_PRIMITIVE_VALUES = st.one_of(
    st.integers(-2**64, 2**64), st.sampled_from([2**63 - 1, 2**63, -2**63, -2**63 - 1, 0]),
    st.booleans(), st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["007", "-5", " 5", "²", "9" * 20, "9223372036854775807",
                     "9223372036854775808", "", "1.5", "true", "NaN"]),
    st.text(max_size=6), st.none(), st.lists(st.integers(), max_size=2))


@settings(FAST, max_examples=400)
@given(st.sampled_from(["integer", "floatValue", "stringValue", "boolean", "datetime",
                        "duration", "float_value", "x"]), _PRIMITIVE_VALUES)
def test_the_primitive_shortcut_is_the_walk(key: str, value: Any) -> None:
    """check-schema's shortcut for a one-field core.Primitive gives what the walk gives: the
    same canonical value, the same diagnostics (none), the document's own dict when the walk
    would keep it."""
    import pytest

    from specc.diagnostics import Sink
    from specc.passes import check_schema as cs
    from specc.table import table

    msg = table().messages[cs._PRIMITIVE]

    def walk(shortcut: bool) -> tuple[Any, list[str], bool]:
        data = {key: value}
        sink = Sink()
        placed = cs.CanonicalDocument(cs.Document(cs.SourceFile(None, "<t>", "json"), 0,
                                                  data, None), "TaskSpec", {})
        with pytest.MonkeyPatch.context() as mp:
            if not shortcut:
                mp.setattr(cs, "_primitive", lambda d: None)
            got = cs._Walker(sink.reporter("check-schema"), placed, table()).message(
                data, msg, "", "")
        return got, [d.code for d in sink.sorted()], got is data

    fast, slow = walk(True), walk(False)
    assert json.dumps(fast[0], allow_nan=True) == json.dumps(slow[0], allow_nan=True)
    assert fast[1:] == slow[1:]
