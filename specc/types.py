"""LiteralType helpers and Flyte's castability rules, on canonical proto3-JSON dicts."""
from __future__ import annotations

import json

_META = ("metadata", "annotation", "structure")


def _kind(t: dict) -> str:
    for k in ("simple", "schema", "collectionType", "mapValueType", "blob", "enumType",
              "structuredDatasetType", "unionType"):
        if k in t:
            return k
    return ""


def types_equal(a: dict | None, b: dict | None) -> bool:
    return a == b


def _strip(t: dict) -> dict:
    return {k: v for k, v in t.items() if k not in _META}


def are_types_castable(up: dict, down: dict) -> bool:
    if "unionType" in up:
        vs = up["unionType"].get("variants", [])
        if len(vs) == 1 and _casts(vs[0], down):
            return True
    return _casts(up, down)


def _casts(up: dict, down: dict) -> bool:
    dk = _kind(down)
    uk = _kind(up)
    if dk == "collectionType" or dk == "mapValueType":
        if uk != dk:
            return False
        ue = up[uk]
        if ue.get("simple") == "NONE":
            return True
        return _casts(ue, down[dk])
    if dk == "blob":
        if uk != "blob":
            return False
        uf, df = up["blob"].get("format", ""), down["blob"].get("format", "")
        return not uf or not df or uf == df
    if dk == "schema":
        return _schema(up, down)
    if dk == "structuredDatasetType":
        return _sd(up, down)
    if dk == "unionType":
        dvs = down["unionType"].get("variants", [])
        if uk == "unionType":
            return all(any(are_types_castable(u, d) for d in dvs)
                       for u in up["unionType"].get("variants", []))
        return sum(1 for d in dvs if are_types_castable(up, d)) == 1
    if dk == "simple" and down["simple"] == "NONE":
        return uk == "simple" and up["simple"] == "NONE"
    # trivial checker
    if uk == "enumType" and down.get("simple") == "STRING":
        return True
    if dk == "enumType" and up.get("simple") == "STRING":
        return True
    utag = up.get("structure", {}).get("tag", "")
    if utag and down.get("structure", {}).get("tag", "") != utag:
        return False
    if up.get("simple") == "STRUCT" and down.get("simple") == "STRUCT":
        um, dm = up.get("metadata"), down.get("metadata")
        if not um or not dm or um == dm:
            return True
        return _json_super(um, dm)
    return _strip(up) == _strip(down)


def _json_super(up: dict, down: dict) -> bool:
    """Approximation of Flyte's JSON-schema comparison: upstream is down or a subclass of it."""
    def props(s):
        if "$ref" in s and "definitions" in s:
            name = s["$ref"].rsplit("/", 1)[-1]
            s = s["definitions"].get(name, s)
        return s.get("properties", {}), set(s.get("required", []))

    up_p, _ = props(up)
    down_p, down_req = props(down)
    for name, sch in down_p.items():
        if name not in up_p:
            return False
        if up_p[name].get("type") != sch.get("type"):
            return False
    return down_req <= set(up_p)


_SD_MAP = {"INTEGER": "INTEGER", "FLOAT": "FLOAT", "STRING": "STRING", "BOOLEAN": "BOOLEAN",
           "DATETIME": "DATETIME", "DURATION": "DURATION"}


def _schema_cols(t: dict) -> dict:
    return {c.get("name", ""): c.get("type", "INTEGER") for c in t["schema"].get("columns", [])}


def _sd_cols(t: dict) -> list:
    return t["structuredDatasetType"].get("columns", [])


def _schema(up: dict, down: dict) -> bool:
    uk = _kind(up)
    dcols = _schema_cols(down)
    if uk == "schema":
        ucols = _schema_cols(up)
        if not ucols or not dcols:
            return True
        return all(n in ucols and ucols[n] == t for n, t in dcols.items())
    if uk == "structuredDatasetType":
        fmt = up["structuredDatasetType"].get("format", "")
        if fmt and fmt.lower() != "parquet":
            return False
        ucols = {c.get("name", ""): c.get("literalType", {}).get("simple", "NONE")
                 for c in _sd_cols(up)}
        if not ucols or not dcols:
            return True
        return all(n in ucols and ucols[n] == t for n, t in dcols.items())
    return False


def _sd(up: dict, down: dict) -> bool:
    uk = _kind(up)
    dfmt = down["structuredDatasetType"].get("format", "")
    dcols = _sd_cols(down)
    if uk == "simple" and up["simple"] == "NONE":
        return True
    if uk == "schema":
        if dfmt and dfmt.lower() != "parquet":
            return False
        ucols = _schema_cols(up)
        if not ucols or not dcols:
            return True
        return all(c.get("name", "") in ucols and
                   ucols[c.get("name", "")] == c.get("literalType", {}).get("simple", "NONE")
                   for c in dcols)
    if uk == "structuredDatasetType":
        ufmt = up["structuredDatasetType"].get("format", "")
        if ufmt and dfmt and ufmt.lower() != dfmt.lower():
            return False
        ucols = {c.get("name", ""): c.get("literalType", {}) for c in _sd_cols(up)}
        if not ucols or not dcols:
            return True
        for c in dcols:
            n = c.get("name", "")
            if n not in ucols or not _casts(ucols[n], c.get("literalType", {})):
                return False
        return True
    return False


def is_optional_type(t: dict) -> bool:
    """Flyte's IsOptionalType, quirk included: any non-simple union variant counts as NONE."""
    if "unionType" not in t:
        return False
    return any(v.get("simple", "NONE") == "NONE" for v in t["unionType"].get("variants", []))


_PRIM = {"integer": "INTEGER", "floatValue": "FLOAT", "stringValue": "STRING",
         "boolean": "BOOLEAN", "datetime": "DATETIME", "duration": "DURATION"}


def literal_type_for_scalar(s: dict) -> dict | None:
    if "primitive" in s:
        p = s["primitive"]
        for k, v in _PRIM.items():
            if k in p:
                return {"simple": v}
        return {"simple": "NONE"}
    if "blob" in s:
        md = s["blob"].get("metadata")
        if md is None:
            return None
        return {"blob": md.get("type", {})}
    if "binary" in s:
        return {"simple": "STRUCT" if s["binary"].get("tag") == "msgpack" else "BINARY"}
    if "schema" in s:
        return {"schema": s["schema"].get("type", {})}
    if "structuredDataset" in s:
        md = s["structuredDataset"].get("metadata", {})
        return {"structuredDatasetType": md.get("structuredDatasetType", {})}
    if "noneType" in s:
        return {"simple": "NONE"}
    if "error" in s:
        return {"simple": "ERROR"}
    if "generic" in s:
        return {"simple": "STRUCT"}
    if "union" in s:
        return {"unionType": {"variants": [s["union"].get("type", {})]}}
    return None


def literal_type_for_literal(lit: dict) -> dict | None:
    if "scalar" in lit:
        return literal_type_for_scalar(lit["scalar"])
    if "collection" in lit:
        return {"collectionType": _for_literals(lit["collection"].get("literals", []))}
    if "map" in lit:
        return {"mapValueType": _for_literals(list(lit["map"].get("literals", {}).values()))}
    if "offloadedMetadata" in lit:
        return lit["offloadedMetadata"].get("inferredType")
    return None


def _for_literals(lits: list) -> dict:
    types: dict[str, dict] = {}
    for lit in lits:
        t = literal_type_for_literal(lit)
        if t is not None:
            types.setdefault(json.dumps(t, sort_keys=True), t)
    if not types:
        return {"simple": "NONE"}
    if len(types) == 1:
        return next(iter(types.values()))
    return {"unionType": {"variants": [types[k] for k in sorted(types)]}}


_SIMPLE = {"NONE": "none", "INTEGER": "int", "FLOAT": "float", "STRING": "str", "BOOLEAN": "bool",
           "DATETIME": "datetime", "DURATION": "duration", "BINARY": "binary", "ERROR": "error",
           "STRUCT": "struct"}


def type_to_str(t: dict | None) -> str:
    if not t:
        return "<unset>"
    k = _kind(t)
    if k == "simple":
        s = _SIMPLE.get(t["simple"], t["simple"].lower())
        if s == "struct":
            title = (t.get("metadata") or {}).get("title")
            return f"struct[{title}]" if title else s
        return s
    if k == "collectionType":
        return f"list[{type_to_str(t[k])}]"
    if k == "mapValueType":
        return f"dict[str, {type_to_str(t[k])}]"
    if k == "unionType":
        return " | ".join(type_to_str(v) for v in t[k].get("variants", [])) or "union[]"
    if k == "enumType":
        return "enum[" + ", ".join(t[k].get("values", [])) + "]"
    if k == "blob":
        base = "dir" if t[k].get("dimensionality") == "MULTIPART" else "file"
        fmt = t[k].get("format")
        return f"{base}[{fmt}]" if fmt else base
    if k == "structuredDatasetType":
        sd = t[k]
        s = "dataset" + (f"[{sd['format']}]" if sd.get("format") else "")
        cols = sd.get("columns", [])
        if cols:
            s += "{" + ", ".join(f"{c.get('name', '')}: {type_to_str(c.get('literalType'))}"
                                 for c in cols) + "}"
        return s
    if k == "schema":
        cols = t[k].get("columns", [])
        names = {"INTEGER": "int", "FLOAT": "float", "STRING": "str", "BOOLEAN": "bool",
                 "DATETIME": "datetime", "DURATION": "duration"}
        return "schema" + ("{" + ", ".join(f"{c.get('name', '')}: "
                                           f"{names.get(c.get('type', 'INTEGER'), '?')}"
                                           for c in cols) + "}" if cols else "")
    return "<unset>"


def element_type_for_attr_path(t: dict, path: list) -> tuple[dict | None, str | None]:
    for attr in path:
        if "collectionType" in t:
            t = t["collectionType"]
        elif "mapValueType" in t:
            t = t["mapValueType"]
        elif t.get("structure", {}).get("dataclassType"):
            key = attr.get("stringValue", "")
            fields = t["structure"]["dataclassType"]
            if key not in fields:
                return None, key
            t = fields[key]
    return t, None
