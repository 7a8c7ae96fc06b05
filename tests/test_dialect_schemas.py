"""The dialect's JSON Schemas (schemas/specc/, made by scripts/gen_dialect_schemas.py): up to
date, valid, a description on every field, and they accept every dialect document specc writes or
ships (the examples, the corpus converted) and reject misspelt fields."""
from __future__ import annotations

import importlib.util
import json
from functools import cache, lru_cache

import pytest

from specc.convert import dialect_check
from tests.conftest import REPO

CHECK = dialect_check()  # the emitter checks its output through the driver

SCHEMAS = REPO / "schemas" / "specc"
KINDS = ("Task", "Workflow", "LaunchPlan")


@lru_cache(maxsize=1)
def _gen():
    path = REPO / "scripts" / "gen_dialect_schemas.py"
    spec = importlib.util.spec_from_file_location("gen_dialect_schemas", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@cache
def validator(name: str):
    import jsonschema

    schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def errors(name: str, doc) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message[:160]}"
            for e in validator(name).iter_errors(doc)]


def test_up_to_date():
    assert _gen().stale() == [], "run python scripts/gen_dialect_schemas.py"


@pytest.mark.parametrize("name", (*KINDS, "specc"))
def test_every_field_is_described(name):
    schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))
    missing = []

    def walk(v, path):
        if isinstance(v, dict):
            for k, p in (v.get("properties") or {}).items():
                if not isinstance(p, dict) or "description" not in p:
                    missing.append(f"{path}/properties/{k}")
            for k, x in v.items():
                if k != "if":  # a kind's test, not a field
                    walk(x, f"{path}/{k}")
        elif isinstance(v, list):
            for i, x in enumerate(v):
                walk(x, f"{path}/{i}")

    walk(schema, "")
    assert missing == []
    assert all("description" in d for d in schema["$defs"].values())


def _dialect_documents():
    from specc.frontends import Limits, load_file

    out = []
    for f in sorted((REPO / "examples" / "dialect").glob("*.yaml")):
        docs, _ = load_file(f, Limits())
        out += [(f"{f.name}#{d.index}", d.data) for d in docs]
    return out


@pytest.mark.parametrize("label,doc", _dialect_documents(), ids=lambda x: x
                         if isinstance(x, str) else "")
def test_examples_validate(label, doc):
    assert errors(doc["kind"], doc) == []
    assert errors("specc", doc) == []


def test_converted_corpus_validates():
    """What specc convert --to specc writes is valid for editors too."""
    from specc import driver
    from specc.dialect import emit
    from specc.frontends import Limits, SourceFile
    from specc.frontends import yaml as fy

    docs = driver.canonicalize(sorted((REPO / "fixtures" / "flytekit").rglob("*.tgz")),
                               Limits()).canonical
    count = 0
    for _, text in emit.to_dialect(docs, CHECK):
        for d in fy.load(text.encode(), SourceFile(None, "x", "yaml"), Limits())[0]:
            assert errors("specc", d.data) == [], text
            count += 1
    assert count > 20


@pytest.mark.parametrize("doc,where", [
    ({"apiVersion": "specc/v1", "kind": "Task", "name": "t", "imag": "x"}, ""),
    ({"apiVersion": "specc/v1", "kind": "Task", "name": "t", "timeout": "5 minutes"},
     "timeout"),
    ({"apiVersion": "specc/v1", "kind": "Workflow", "name": "w",
      "nodes": {"a": {"tsk": "t"}}}, "nodes/a"),
    ({"apiVersion": "specc/v1", "kind": "Workflow", "name": "w",
      "nodes": {"a": {"branch": [{"when": "x == 1", "than": {"task": "t"}}]}}},
     "nodes/a/branch/0"),
    ({"apiVersion": "specc/v1", "kind": "LaunchPlan", "name": "lp"}, ""),
    ({"apiVersion": "specc/v1", "kind": "Pipeline", "name": "p"}, "kind"),
    ({"apiVersion": "specc/v2", "kind": "Task", "name": "t"}, "apiVersion"),
])
def test_rejects(doc, where):
    got = errors("specc", doc)
    assert got, doc
    assert any(e.startswith(f"{where}:") for e in got), got
