"""Generate schemas/flyteidl/<Kind>.schema.json (JSON Schema draft 2020-12) from the flyteidl table.

Reads only ``specc/data/flyteidl.json`` (see scripts/gen_flyteidl_table.py); never imports
protobuf. One self-contained schema per document kind in ``specc.table.KIND_MESSAGES``, with a
``$defs`` entry for every reachable message and enum (named by full name, e.g.
``flyteidl.core.Node``) and for the scalar and well-known forms that need more than a JSON type
(``scalar.int64``, ``google.protobuf.Duration``, ...). The schemas accept the proto3-JSON liberties
that protobuf's JSON parser and specc's check-schema pass accept:

* field names in camelCase or snake_case (both are properties), but never both for one field:
  ``dependentSchemas: {"task_node": {"properties": {"taskNode": false}}}``;
* a oneof group as ``oneOf`` over one branch per member spelling (``required`` + not null) and one
  "none given" branch (every member absent or null), so two members present match two branches
  and fail; null members count as absent, as in protobuf (``if: {type: object}, then: {allOf:
  [<one oneOf per group>]}``);
* null for any field (unset); enums by name or by (known) number; 64-bit integers as integers or
  digit strings; floats as numbers, numeric strings or "NaN"/"Infinity"/"-Infinity"; bytes as
  base64; Duration as "1.5s"; Timestamp as RFC 3339; Struct/Value/ListValue/Any as JSON;
  wrappers as the bare value; maps as objects.

Output is deterministic (sorted keys). Also writes schemas/flyteidl/index.json (kind -> file).

Usage: python scripts/gen_schemas.py [--check]
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TABLE = ROOT / "specc" / "data" / "flyteidl.json"
OUT = ROOT / "schemas" / "flyteidl"
ID_BASE = "https://specc.dev/schemas/flyteidl/"
DRAFT = "https://json-schema.org/draft/2020-12/schema"

sys.path.insert(0, str(ROOT))
from specc.table import KIND_MESSAGES  # noqa: E402  (the one list of document kinds)

_INT_RANGES = {
    "int32": (-(2**31), 2**31 - 1), "uint32": (0, 2**32 - 1),
    "int64": (-(2**63), 2**63 - 1), "uint64": (0, 2**64 - 1),
}
_NUMERIC_STRING = r"^-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$"
_DURATION = r"^-?\d+(\.\d{1,9})?s$"
_TIMESTAMP = (r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?"
              r"(Z|z|[+-]\d{2}:\d{2})$")
_BASE64 = r"^[A-Za-z0-9+/_-]*={0,2}$"
_WELL_KNOWN_DEFS = {
    "duration": "google.protobuf.Duration",
    "timestamp": "google.protobuf.Timestamp",
    "any": "google.protobuf.Any",
}


def _scalar_def(kind: str) -> dict:
    """The $defs entry for a scalar or well-known kind that is not a bare JSON type."""
    if kind in _INT_RANGES:
        lo, hi = _INT_RANGES[kind]
        return {
            "description": f"{kind}: an integer from {lo} to {hi}, or a string of its digits",
            "anyOf": [
                {"type": "integer", "minimum": lo, "maximum": hi},
                {"type": "string", "pattern": r"^\d+$" if kind.startswith("u") else r"^-?\d+$"},
            ],
        }
    if kind in ("float", "double"):
        return {
            "description": f"{kind}: a number, a numeric string, or \"NaN\", \"Infinity\", "
                           "\"-Infinity\"",
            "anyOf": [
                {"type": "number"},
                {"enum": ["NaN", "Infinity", "-Infinity"]},
                {"type": "string", "pattern": _NUMERIC_STRING},
            ],
        }
    if kind == "bytes":
        return {"description": "bytes: base64 (standard or URL-safe alphabet)",
                "type": "string", "pattern": _BASE64}
    if kind == "duration":
        return {"description": "google.protobuf.Duration: seconds with up to 9 decimals and "
                               "suffix 's', e.g. \"30s\" or \"1.5s\"",
                "type": "string", "pattern": _DURATION}
    if kind == "timestamp":
        return {"description": "google.protobuf.Timestamp: RFC 3339, e.g. "
                               "\"2024-01-31T12:00:00Z\"",
                "type": "string", "pattern": _TIMESTAMP}
    if kind == "any":
        return {"description": "google.protobuf.Any: an object naming its type in \"@type\"",
                "type": "object", "required": ["@type"],
                "properties": {"@type": {"type": "string"}}}
    raise AssertionError(kind)


def _def_name(kind: str) -> str:
    return _WELL_KNOWN_DEFS.get(kind, f"scalar.{kind}")


class _Builder:
    def __init__(self, raw: dict) -> None:
        self.messages: dict[str, dict] = raw["messages"]
        self.enums: dict[str, dict[str, int]] = raw["enums"]
        self.defs: dict[str, dict] = {}
        self.todo: list[str] = []

    def ref(self, name: str) -> dict:
        return {"$ref": "#/$defs/" + name}

    # -- value schemas (one element of a field) -------------------------------------------------
    def value(self, f: dict) -> dict:
        kind = f["kind"]
        if kind.startswith("wrapper:"):
            kind = kind.split(":", 1)[1]
        if kind == "message":
            if f["type"] not in self.defs:
                self.defs[f["type"]] = {}  # placeholder: filled from the work list
                self.todo.append(f["type"])
            return self.ref(f["type"])
        if kind == "enum":
            self.enum(f["type"])
            return self.ref(f["type"])
        if kind == "string":
            return {"type": "string"}
        if kind == "bool":
            return {"type": "boolean"}
        if kind == "struct":
            return {"type": "object"}
        if kind == "list_value":
            return {"type": "array"}
        if kind == "value":
            return {}
        name = _def_name(kind)
        if name not in self.defs:
            self.defs[name] = _scalar_def(kind)
        return self.ref(name)

    def enum(self, name: str) -> None:
        if name in self.defs:
            return
        values = self.enums[name]
        self.defs[name] = {
            "description": f"enum {name}: a value name or its number",
            "anyOf": [
                {"type": "string", "enum": list(values)},
                {"type": "integer", "enum": sorted(set(values.values()))},
            ],
        }

    # -- fields and messages --------------------------------------------------------------------
    def field(self, msg_name: str, f: dict) -> dict:
        desc = f"{msg_name}.{f['proto']}"
        if "oneof" in f:
            desc += f" (oneof {f['oneof']})"
        if f.get("deprecated"):
            desc += " (deprecated)"
        v = self.value(f)
        label = f["label"]
        if label == "repeated":
            s = {"type": ["array", "null"], "items": v}
        elif label == "map":
            s = {"type": ["object", "null"], "additionalProperties": v}
            if f["key"] == "bool":
                s["propertyNames"] = {"enum": ["true", "false"]}
            elif f["key"] != "string":
                s["propertyNames"] = {"pattern": r"^\d+$" if f["key"].startswith("u")
                                      else r"^-?\d+$"}
        elif v == {}:
            s = {}  # google.protobuf.Value: any JSON, null included
        elif set(v) == {"type"}:
            s = {"type": [v["type"], "null"]}
        else:
            s = {"anyOf": [{"type": "null"}, v]}
        s["description"] = desc
        if f.get("deprecated"):
            s["deprecated"] = True
        return s

    def message(self, name: str) -> dict:
        fields = self.messages[name]["fields"]
        props: dict[str, dict] = {}
        dual: dict[str, dict] = {}
        groups: dict[str, list[dict]] = {}
        for f in fields:
            s = self.field(name, f)
            props[f["json"]] = s
            if f["proto"] != f["json"]:
                props[f["proto"]] = s
                dual[f["proto"]] = {"properties": {f["json"]: False}}
            if "oneof" in f:
                groups.setdefault(f["oneof"], []).append(f)
        out: dict = {"description": f"message {name}", "type": "object",
                     "additionalProperties": False, "properties": props}
        if dual:
            out["dependentSchemas"] = dual
        if groups:
            # Guarded by `if object`: `required` holds vacuously for a non-object, so without the
            # guard every branch would match one and add a oneOf error to its type error.
            out["if"] = {"type": "object"}
            out["then"] = {"allOf": [self.oneof(name, g, members)
                                     for g, members in groups.items()]}
        return out

    def oneof(self, msg_name: str, group: str, members: list[dict]) -> dict:
        spellings: list[str] = []
        for f in members:
            spellings.append(f["json"])
            if f["proto"] != f["json"]:
                spellings.append(f["proto"])
        none = {"properties": {s: {"type": "null"} for s in spellings}}
        one = [{"required": [s], "properties": {s: {"not": {"type": "null"}}}} for s in spellings]
        return {
            "description": f"oneof {msg_name}.{group}: at most one of "
                           + ", ".join(f["proto"] for f in members),
            "oneOf": [none, *one],
        }

    def build(self, root: str) -> dict:
        self.defs[root] = {}
        self.todo.append(root)
        while self.todo:
            name = self.todo.pop()
            self.defs[name] = self.message(name)
        return self.defs


def build_schema(raw: dict, kind: str) -> dict:
    root = KIND_MESSAGES[kind]
    defs = _Builder(raw).build(root)
    return {
        "$schema": DRAFT,
        "$id": f"{ID_BASE}{kind}.schema.json",
        "title": f"Flyte {kind}",
        "description": f"A {kind} document: protobuf message {root} (flyteidl {raw['flyteidl']}) "
                       "in proto3 JSON form, as YAML or JSON; field names in camelCase or "
                       "snake_case. Generated by scripts/gen_schemas.py from "
                       "specc/data/flyteidl.json.",
        "$ref": "#/$defs/" + root,
        "$defs": dict(sorted(defs.items())),
    }


def _dump(obj) -> str:
    return json.dumps(obj, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def render(table_path: Path = TABLE) -> dict[str, str]:
    """File name (relative to schemas/flyteidl/) -> its text, for every file the generator owns."""
    raw = json.loads(table_path.read_text())
    files: dict[str, str] = {}
    index: dict = {"flyteidl": raw["flyteidl"], "kinds": {}}
    for kind in sorted(KIND_MESSAGES):
        fname = f"{kind}.schema.json"
        files[fname] = _dump(build_schema(raw, kind))
        index["kinds"][kind] = {"file": fname, "$id": f"{ID_BASE}{fname}",
                                "message": KIND_MESSAGES[kind]}
    files["index.json"] = _dump(index)
    return files


def stale(out: Path = OUT, table_path: Path = TABLE) -> list[str]:
    """Files under ``out`` that differ from what would be generated (missing, changed, extra)."""
    want = render(table_path)
    problems = []
    for name, text in want.items():
        p = out / name
        if not p.exists():
            problems.append(f"{p}: missing")
        elif p.read_text() != text:
            problems.append(f"{p}: out of date")
    if out.is_dir():
        for p in sorted(out.glob("*.json")):
            if p.name not in want:
                problems.append(f"{p}: not generated (stale)")
    return problems


def write(out: Path = OUT, table_path: Path = TABLE) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    want = render(table_path)
    written = []
    for name, text in want.items():
        p = out / name
        if not p.exists() or p.read_text() != text:
            p.write_text(text)
        written.append(p)
    for p in sorted(out.glob("*.json")):
        if p.name not in want:
            p.unlink()
    return written


def main(argv: list[str]) -> int:
    if "--check" in argv:
        problems = stale()
        for line in problems:
            print(line, file=sys.stderr)
        if problems:
            print("run python scripts/gen_schemas.py", file=sys.stderr)
            return 1
        return 0
    for p in write():
        print(f"wrote {p.relative_to(ROOT)} ({p.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
