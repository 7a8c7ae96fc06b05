"""Flyte LiteralType helpers and Flyte's type-castability rules.

Every type here is a ``flyteidl.core.LiteralType`` in canonical proto3-JSON form, that is exactly
what ``google.protobuf.json_format.MessageToDict`` returns: camelCase keys, enum values as their
names, default scalar fields left out (so a blob's ``SINGLE`` dimensionality and a schema column's
``INTEGER`` type are absent), and the ``simple`` oneof kept even when it is ``NONE``.  Literals and
scalars are in the same form.

The rules follow flytepropeller's compiler at flyteidl/v1.16.8:
``flytepropeller/pkg/compiler/validators/typing.go`` (AreTypesCastable), ``utils.go`` (literal ->
type inference) and ``bindings.go`` (IsOptionalType, promise attribute paths).  The only place that
is an approximation is the JSON-schema comparison of two STRUCT types (``_schema_is_subtype``).

Pure Python on plain dicts, no protobuf import: this runs once per binding.
"""
from __future__ import annotations

import math
from typing import Any

__all__ = [
    "are_types_castable",
    "element_type_for_attr_path",
    "is_optional_type",
    "literal_type_for_literal",
    "literal_type_for_literals",
    "literal_type_for_scalar",
    "type_text",
    "type_to_str",
    "types_equal",
]

# The members of the LiteralType ``type`` oneof, in declaration order.
_KINDS = ("simple", "schema", "collectionType", "mapValueType", "blob", "enumType",
          "structuredDatasetType", "unionType")
# Fields that sit beside the oneof and that the trivial checker ignores at the top level.
_META = ("metadata", "annotation", "structure")
_EMPTY: dict = {}


def _kind(t: dict) -> str | None:
    for k in _KINDS:
        if k in t:
            return k
    return None


def _is_none(t: dict | None) -> bool:
    """Go's isNoneType: the ``simple`` oneof is set, and to NONE."""
    return t is not None and t.get("simple") == "NONE"


# ------------------------------------------------------------------------------------------------
# Castability
# ------------------------------------------------------------------------------------------------

def are_types_castable(upstream: dict | None, downstream: dict | None) -> bool:
    """Flyte's ``AreTypesCastable(upstream, downstream)``.

    A value of type ``upstream`` may be bound where ``downstream`` is expected.  The checker is
    chosen by the *downstream* kind; a single-variant union upstream is first tried unwrapped
    (only at this top level, as in Go).  ``None`` is treated as an unset type ``{}``.
    """
    up = upstream if upstream is not None else _EMPTY
    down = downstream if downstream is not None else _EMPTY
    u = up.get("unionType")
    if u is not None:
        variants = u.get("variants")
        if variants and len(variants) == 1 and _casts_from(down, variants[0]):
            return True
    return _casts_from(down, up)


def _casts_from(down: dict, up: dict | None) -> bool:
    """``getTypeChecker(down).CastsFrom(up)``."""
    if up is None:
        up = _EMPTY
    if "collectionType" in down:
        return _container_casts(down["collectionType"], up.get("collectionType"))
    if "mapValueType" in down:
        return _container_casts(down["mapValueType"], up.get("mapValueType"))
    if "blob" in down:
        return _blob_casts(down["blob"], up)
    if "schema" in down:
        return _schema_casts(down["schema"], up)
    if "unionType" in down:
        return _union_casts(down["unionType"], up)
    if "structuredDatasetType" in down:
        return _sd_casts(down["structuredDatasetType"], up)
    if down.get("simple") == "NONE":
        return _is_none(up)  # noneTypeChecker: only NONE casts to NONE
    return _trivial_casts(down, up)


def _container_casts(down_elem: dict, up_elem: dict | None) -> bool:
    """Collection and map checkers: an upstream of element type NONE (an empty literal) fits any."""
    if up_elem is None:
        return False
    if _is_none(up_elem):
        return True
    return _casts_from(down_elem, up_elem)


def _blob_casts(down: dict, up: dict) -> bool:
    ub = up.get("blob")
    if ub is None:
        return False
    uf = ub.get("format", "")
    df = down.get("format", "")
    # An unformatted blob on either side matches any blob; dimensionality is not checked.
    return not uf or not df or uf == df


def _trivial_casts(down: dict, up: dict) -> bool:
    """trivialChecker: simple types other than NONE, enums and an unset type."""
    if "enumType" in up and down.get("simple") == "STRING":
        return True
    if "enumType" in down and up.get("simple") == "STRING":
        return True
    up_tag = (up.get("structure") or _EMPTY).get("tag", "")
    if up_tag and (down.get("structure") or _EMPTY).get("tag", "") != up_tag:
        return False
    if up.get("simple") == "STRUCT" and down.get("simple") == "STRUCT":
        um = up.get("metadata")
        dm = down.get("metadata")
        if um is None or dm is None:
            return True  # no JSON schema on one side: accepted for backward compatibility
        return um == dm or _schema_is_subtype(um, dm)
    return _equal_ignoring_meta(up, down)


def _equal_ignoring_meta(a: dict, b: dict) -> bool:
    """Exact equality once metadata, annotation and structure are cleared at the top level."""
    n = 0
    for k, v in a.items():
        if k in _META:
            continue
        n += 1
        if k not in b or b[k] != v:
            return False
    m = 0
    for k in b:
        if k not in _META:
            m += 1
    return n == m


def _union_casts(down: dict, up: dict) -> bool:
    dvs = down.get("variants") or []
    uu = up.get("unionType")
    if uu is not None:
        # union -> union: every upstream variant must fit some downstream variant.
        return all(any(are_types_castable(u, d) for d in dvs) for u in uu.get("variants") or [])
    # anything else: exactly one downstream variant may accept it.
    found = False
    for d in dvs:
        if are_types_castable(up, d):
            if found:
                return False
            found = True
    return found


# Schema column types, in canonical form (INTEGER is the zero value, so it is omitted), mapped to
# the simple type a structured-dataset column must have to match it.
_SCHEMA_COL_TO_SIMPLE = {"INTEGER": "INTEGER", "FLOAT": "FLOAT", "STRING": "STRING",
                         "BOOLEAN": "BOOLEAN", "DATETIME": "DATETIME", "DURATION": "DURATION"}


def _schema_col_type(col: dict) -> str:
    return col.get("type", "INTEGER")


def _sd_col_simple(col: dict) -> str:
    """``column.GetLiteralType().GetSimple()``: NONE for a missing or non-simple column type."""
    return (col.get("literalType") or _EMPTY).get("simple", "NONE")


def _schema_casts(down: dict, up: dict) -> bool:
    """schemaTypeChecker: the upstream is a schema or a structured dataset (not nullable)."""
    dcols = down.get("columns") or []
    us = up.get("schema")
    if us is not None:
        ucols = us.get("columns") or []
        if not ucols or not dcols:
            return True
        types = {c.get("name", ""): _schema_col_type(c) for c in ucols}
        for c in dcols:
            t = types.get(c.get("name", ""))
            if t is None or t != _schema_col_type(c):
                return False
        return True
    usd = up.get("structuredDatasetType")
    if usd is None:
        return False
    fmt = usd.get("format", "")
    if fmt and fmt.lower() != "parquet":  # a Flyte schema is always parquet
        return False
    ucols = usd.get("columns") or []
    if not ucols or not dcols:
        return True
    simples = {c.get("name", ""): _sd_col_simple(c) for c in ucols}
    for c in dcols:
        s = simples.get(c.get("name", ""))
        if s is None or _SCHEMA_COL_TO_SIMPLE.get(_schema_col_type(c)) != s:
            return False
    return True


def _sd_casts(down: dict, up: dict) -> bool:
    """structuredDatasetChecker: nullable; accepts schemas and structured datasets."""
    if _is_none(up):
        return True
    dcols = down.get("columns") or []
    us = up.get("schema")
    if us is not None:
        fmt = down.get("format", "")
        if fmt and fmt.lower() != "parquet":
            return False
        ucols = us.get("columns") or []
        if not ucols or not dcols:
            return True
        types = {c.get("name", ""): _schema_col_type(c) for c in ucols}
        for c in dcols:
            t = types.get(c.get("name", ""))
            if t is None or _SCHEMA_COL_TO_SIMPLE.get(t) != _sd_col_simple(c):
                return False
        return True
    usd = up.get("structuredDatasetType")
    if usd is None:
        return False
    uf = usd.get("format", "")
    df = down.get("format", "")
    if uf and df and uf.lower() != df.lower():
        return False
    ucols = usd.get("columns") or []
    if not ucols or not dcols:
        return True
    utypes = {c.get("name", ""): c.get("literalType") for c in ucols}
    for c in dcols:
        name = c.get("name", "")
        if name not in utypes:
            return False
        if not _casts_from(c.get("literalType") or _EMPTY, utypes[name]):
            return False
    return True


# ------------------------------------------------------------------------------------------------
# STRUCT: JSON-schema comparison (approximation)
# ------------------------------------------------------------------------------------------------

def _schema_is_subtype(up: dict, down: dict) -> bool:
    """Is the upstream JSON schema the same as, or a subclass ("bigger") of, the downstream one?

    Flyte compiles both metadata schemas with santhosh-tekuri/jsonschema and runs
    gitlab.com/yvesf/json-schema-compare ``Compare(downstream, upstream)``, accepting when every
    reported difference is a "not implemented" one.  That library is not ported; this is an
    approximation with the same intent ("every value the upstream schema describes is accepted by
    the downstream schema"), checked structurally:

    * local ``$ref`` (``#``, ``#/$defs/..``, ``#/definitions/..``) are resolved in each document;
      an unresolvable ref fails (Flyte's schema compile would fail);
    * ``anyOf`` / ``oneOf``: every upstream alternative must fit the downstream schema, or, when
      the upstream has none, the upstream must fit one downstream alternative; ``allOf``:
      the upstream must fit every downstream part, and fits if any of its own parts fits;
    * ``type``: the upstream types must be a subset of the downstream types (an ``integer`` fits
      ``number``); a typed downstream rejects an untyped upstream;
    * ``enum`` / ``const`` on the downstream must be matched by a narrower upstream enum/const;
    * objects: every downstream property must exist upstream with a compatible schema, and the
      downstream ``required`` list must be a subset of the upstream ``required`` list;
    * arrays: ``items`` (and ``prefixItems`` position by position) must be compatible;
    * everything else (``additionalProperties``, formats, bounds, patterns, titles, defaults...)
      is ignored, as Flyte ignores json-schema-compare's "not implemented" keywords.
    """
    return _sub(up, down, up, down, set())


def _resolve(s: object, root: dict[str, Any]) -> object:
    """Follow local ``$ref`` chains; returns the schema, or None when a ref cannot be resolved."""
    hops = 0
    while isinstance(s, dict) and isinstance(s.get("$ref"), str):
        ref = s["$ref"]
        if not ref.startswith("#"):
            return None
        target: object = root
        for part in [p for p in ref[1:].split("/") if p]:
            part = part.replace("~1", "/").replace("~0", "~")
            if isinstance(target, dict) and part in target:
                target = target[part]
            elif isinstance(target, list) and part.isdigit() and int(part) < len(target):
                target = target[int(part)]
            else:
                return None
        s = target
        hops += 1
        if hops > 64:
            return None
    return s


def _types(s: dict) -> set | None:
    t = s.get("type")
    if t is None:
        return None
    if isinstance(t, str):
        return {t}
    if isinstance(t, list):
        return {x for x in t if isinstance(x, str)}
    return None


def _alts(s: dict) -> list | None:
    for k in ("anyOf", "oneOf"):
        v = s.get(k)
        if isinstance(v, list) and v:
            return v
    return None


def _sub(src: object, tgt: object, sroot: dict[str, Any], troot: dict[str, Any],
         seen: set[tuple[int, int]]) -> bool:
    src = _resolve(src, sroot)
    tgt = _resolve(tgt, troot)
    if src is None or tgt is None:
        return False
    if tgt is True or tgt == {}:
        return True
    if src is False:
        return True
    if tgt is False:
        return False
    if src is True:
        src = {}
    if not isinstance(src, dict) or not isinstance(tgt, dict):
        return False
    key = (id(src), id(tgt))
    if key in seen:
        return True  # a recursive schema: assume compatible on the cycle
    seen = seen | {key}

    s_alts = _alts(src)
    if s_alts is not None:
        rest = {k: v for k, v in src.items() if k not in ("anyOf", "oneOf")}
        return all(_sub(_merge(rest, a, sroot), tgt, sroot, troot, seen) for a in s_alts)
    s_all = src.get("allOf")
    if isinstance(s_all, list) and s_all:
        rest = {k: v for k, v in src.items() if k != "allOf"}
        if _sub(rest, tgt, sroot, troot, seen):
            return True
        return any(_sub(a, tgt, sroot, troot, seen) for a in s_all)
    t_all = tgt.get("allOf")
    if isinstance(t_all, list) and t_all:
        rest = {k: v for k, v in tgt.items() if k != "allOf"}
        return (_sub(src, rest, sroot, troot, seen)
                and all(_sub(src, a, sroot, troot, seen) for a in t_all))
    t_alts = _alts(tgt)
    if t_alts is not None:
        rest = {k: v for k, v in tgt.items() if k not in ("anyOf", "oneOf")}
        if not _sub(src, rest, sroot, troot, seen):
            return False
        return any(_sub(src, a, sroot, troot, seen) for a in t_alts)

    # enum / const
    t_enum = tgt.get("enum") if isinstance(tgt.get("enum"), list) else None
    if "const" in tgt:
        t_enum = [tgt["const"]] if t_enum is None else [v for v in t_enum if v == tgt["const"]]
    s_enum = src.get("enum") if isinstance(src.get("enum"), list) else None
    if "const" in src:
        s_enum = [src["const"]]
    if t_enum is not None and (s_enum is None or any(v not in t_enum for v in s_enum)):
        return False

    # type
    t_types = _types(tgt)
    if t_types is not None:
        s_types = _types(src)
        if s_types is None:
            if s_enum is None:
                return False
            s_types = {_json_type(v) for v in s_enum}
        for st in s_types:
            if st not in t_types and not (st == "integer" and "number" in t_types):
                return False

    # objects
    t_props = tgt.get("properties")
    if isinstance(t_props, dict) and t_props:
        s_props = src.get("properties")
        if not isinstance(s_props, dict):
            return False
        for name, tsch in t_props.items():
            if name not in s_props:
                return False
            if not _sub(s_props[name], tsch, sroot, troot, seen):
                return False
    t_req = tgt.get("required")
    if isinstance(t_req, list) and t_req:
        s_req = src.get("required")
        s_req = set(s_req) if isinstance(s_req, list) else set()
        if any(r not in s_req for r in t_req):
            return False

    # arrays
    t_prefix = tgt.get("prefixItems")
    if isinstance(t_prefix, list) and t_prefix:
        s_prefix = src.get("prefixItems")
        if not isinstance(s_prefix, list):
            s_items = src.get("items")
            if s_items is None:
                return False
            s_prefix = [s_items] * len(t_prefix)
        for s_i, t_i in zip(s_prefix, t_prefix, strict=False):
            if not _sub(s_i, t_i, sroot, troot, seen):
                return False
    t_items = tgt.get("items")
    if t_items is not None and t_items != {} and t_items is not True:
        s_items = src.get("items")
        if s_items is None:
            return False
        if not _sub(s_items, t_items, sroot, troot, seen):
            return False
    return True


def _merge(base: dict[str, Any], alt: object, root: dict[str, Any]) -> object:
    """An anyOf/oneOf alternative together with the keywords beside it."""
    if not base:
        return alt
    alt = _resolve(alt, root)
    if not isinstance(alt, dict):
        return alt
    merged = dict(base)
    merged.update(alt)
    return merged


def _json_type(v: object) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, int):
        return "integer"
    if isinstance(v, float):
        return "integer" if v.is_integer() else "number"
    if isinstance(v, str):
        return "string"
    if isinstance(v, list):
        return "array"
    return "object"


# ------------------------------------------------------------------------------------------------
# Equality and optionality
# ------------------------------------------------------------------------------------------------

def types_equal(a: dict | None, b: dict | None) -> bool:
    """Exact type equality, as Go's ``a.String() == b.String()`` on canonical dicts.

    Everything counts: metadata, annotation and structure included.
    """
    return a == b


def is_optional_type(t: dict | None) -> bool:
    """Flyte's ``IsOptionalType``: may an input of this type be left unbound?

    True for a union with a variant whose ``GetSimple()`` is NONE.  Go's ``GetSimple()`` returns
    NONE (0) for any variant that is *not* a simple type, so a union with a collection, map, blob,
    enum, schema, dataset, nested union or unset variant also counts as optional.  That quirk is
    kept on purpose, so that specc agrees with flytepropeller.
    """
    if not t:
        return False
    u = t.get("unionType")
    if u is None:
        return False
    return any((v or _EMPTY).get("simple", "NONE") == "NONE" for v in u.get("variants") or [])


# ------------------------------------------------------------------------------------------------
# Literal -> LiteralType (utils.go)
# ------------------------------------------------------------------------------------------------

_PRIMITIVE_SIMPLE = (("integer", "INTEGER"), ("floatValue", "FLOAT"), ("stringValue", "STRING"),
                     ("boolean", "BOOLEAN"), ("datetime", "DATETIME"), ("duration", "DURATION"))


def literal_type_for_scalar(scalar: dict | None) -> dict | None:
    """``literalTypeForScalar``: the LiteralType of a canonical ``core.Scalar``, or None.

    None means Flyte cannot tell the type: an empty scalar, or a blob without metadata.
    """
    if not scalar:
        return None
    if "primitive" in scalar:
        p = scalar["primitive"] or _EMPTY
        for key, simple in _PRIMITIVE_SIMPLE:
            if key in p:
                return {"simple": simple}
        return {"simple": "NONE"}
    if "blob" in scalar:
        md = (scalar["blob"] or _EMPTY).get("metadata")
        if md is None:
            return None
        return {"blob": md.get("type", {})}
    if "binary" in scalar:
        tag = (scalar["binary"] or _EMPTY).get("tag", "")
        return {"simple": "STRUCT" if tag == "msgpack" else "BINARY"}
    if "schema" in scalar:
        return {"schema": (scalar["schema"] or _EMPTY).get("type", {})}
    if "structuredDataset" in scalar:
        md = (scalar["structuredDataset"] or _EMPTY).get("metadata")
        if md is None:
            return {"structuredDatasetType": {}}
        return {"structuredDatasetType": md.get("structuredDatasetType", {})}
    if "noneType" in scalar:
        return {"simple": "NONE"}
    if "error" in scalar:
        return {"simple": "ERROR"}
    if "generic" in scalar:
        return {"simple": "STRUCT"}
    if "union" in scalar:
        return {"unionType": {"variants": [(scalar["union"] or _EMPTY).get("type", {})]}}
    return None


def literal_type_for_literal(literal: dict | None) -> dict | None:
    """``LiteralTypeForLiteral``: the LiteralType of a canonical ``core.Literal``, or None."""
    if not literal:
        return None
    if "scalar" in literal:
        return literal_type_for_scalar(literal["scalar"])
    if "collection" in literal:
        items = (literal["collection"] or _EMPTY).get("literals") or []
        return {"collectionType": _or_empty(literal_type_for_literals(items))}
    if "map" in literal:
        items = list(((literal["map"] or _EMPTY).get("literals") or _EMPTY).values())
        return {"mapValueType": _or_empty(literal_type_for_literals(items))}
    if "offloadedMetadata" in literal:
        return (literal["offloadedMetadata"] or _EMPTY).get("inferredType")
    return None


def _or_empty(t: dict | None) -> dict:
    # Go keeps a nil inner type; serialised, a set-but-nil message field is an empty message.
    return t if t is not None else {}


def literal_type_for_literals(literals: list) -> dict | None:
    """``literalTypeForLiterals``: the element type of a list (or map values) of literals.

    Distinct types (by their text form); an empty list item only counts when nothing else does.
    No type -> NONE, one -> it, several -> a union of them sorted by text form, where any
    ``collection(union)`` type is flattened into the variants and the result is wrapped back into
    a collection.  Returns None only when the single type is unknown (Go's nil).
    """
    seen: set[str] = set()
    types: list[tuple[str, dict | None]] = []
    none_type: dict | None = None
    have_none_type = False
    for lit in literals:
        t = literal_type_for_literal(lit)
        if lit and "collection" in lit and not (lit["collection"] or _EMPTY).get("literals"):
            none_type, have_none_type = t, True
            continue
        key = type_text(t)
        if key not in seen:
            seen.add(key)
            types.append((key, t))
    if not types and have_none_type:
        types.append((type_text(none_type), none_type))
    if not types:
        return {"simple": "NONE"}
    if len(types) == 1:
        return types[0][1]
    types.sort(key=lambda kt: kt[0])
    variants: list[dict] = []
    nested = False
    for _, t in types:
        inner = (t or _EMPTY).get("collectionType")
        if inner is not None and "unionType" in inner:
            nested = True
            variants.extend(inner["unionType"].get("variants") or [])
        else:
            variants.append(_or_empty(t))
    union = {"unionType": {"variants": variants}}
    return {"collectionType": union} if nested else union


# ------------------------------------------------------------------------------------------------
# A stable text form (Go's prototext ``String()``), used to sort inferred union variants
# ------------------------------------------------------------------------------------------------

# (json name, text name, kind) in declaration order; kind: "s" string, "e" enum, "b" bytes,
# "m:<msg>" message, "r:<msg>" repeated message, "rs" repeated string, "map:<msg>" map to message.
_FIELDS: dict[str, tuple] = {
    "LiteralType": (("simple", "simple", "oe"), ("schema", "schema", "m:SchemaType"),
                    ("collectionType", "collection_type", "m:LiteralType"),
                    ("mapValueType", "map_value_type", "m:LiteralType"),
                    ("blob", "blob", "m:BlobType"), ("enumType", "enum_type", "m:EnumType"),
                    ("structuredDatasetType", "structured_dataset_type",
                     "m:StructuredDatasetType"),
                    ("unionType", "union_type", "m:UnionType"),
                    ("metadata", "metadata", "m:Struct"),
                    ("annotation", "annotation", "m:TypeAnnotation"),
                    ("structure", "structure", "m:TypeStructure")),
    "SchemaType": (("columns", "columns", "r:SchemaColumn"),),
    "SchemaColumn": (("name", "name", "s"), ("type", "type", "e")),
    "BlobType": (("format", "format", "s"), ("dimensionality", "dimensionality", "e")),
    "EnumType": (("values", "values", "rs"),),
    "UnionType": (("variants", "variants", "r:LiteralType"),),
    "StructuredDatasetType": (("columns", "columns", "r:DatasetColumn"),
                              ("format", "format", "s"),
                              ("externalSchemaType", "external_schema_type", "s"),
                              ("externalSchemaBytes", "external_schema_bytes", "b")),
    "DatasetColumn": (("name", "name", "s"), ("literalType", "literal_type", "m:LiteralType")),
    "TypeStructure": (("tag", "tag", "s"), ("dataclassType", "dataclass_type", "map:LiteralType")),
    "TypeAnnotation": (("annotations", "annotations", "m:Struct"),),
}


def type_text(t: dict | None) -> str:
    """A stable one-line text form of a LiteralType modelled on Go's prototext ``String()``.

    Fields in declaration order, ``name:value``, single spaces, nested messages in ``{}``, maps as
    sorted ``{key:.. value:..}`` entries; ``<nil>`` for None.  (Go randomly doubles some spaces
    per build; that is left out.)  Two canonical types have the same text iff they are equal.
    """
    if t is None:
        return "<nil>"
    return _msg_text("LiteralType", t)


def _msg_text(msg: str, d: object) -> str:
    if msg == "Struct":
        return _struct_text(d)
    if not isinstance(d, dict):
        return ""
    parts = []
    for jname, tname, kind in _FIELDS[msg]:
        if jname not in d:
            continue
        v = d[jname]
        if kind in ("e", "oe"):
            parts.append(f"{tname}:{v}")
        elif kind == "s":
            parts.append(f"{tname}:{_quote(v)}")
        elif kind == "b":
            parts.append(f"{tname}:{_quote_bytes(v)}")
        elif kind == "rs":
            parts.extend(f"{tname}:{_quote(x)}" for x in v or [])
        elif kind.startswith("m:"):
            parts.append(f"{tname}:{{{_msg_text(kind[2:], v)}}}")
        elif kind.startswith("r:"):
            parts.extend(f"{tname}:{{{_msg_text(kind[2:], x)}}}" for x in v or [])
        elif kind.startswith("map:"):
            for k in sorted(v or {}):
                parts.append(f"{tname}:{{key:{_quote(k)} value:{{{_msg_text(kind[4:], v[k])}}}}}")
    return " ".join(parts)


def _struct_text(d: object) -> str:
    if not isinstance(d, dict):
        return ""
    return " ".join(f"fields:{{key:{_quote(k)} value:{{{_value_text(d[k])}}}}}" for k in sorted(d))


def _value_text(v: object) -> str:
    if v is None:
        return "null_value:NULL_VALUE"
    if isinstance(v, bool):
        return f"bool_value:{'true' if v else 'false'}"
    if isinstance(v, (int, float)):
        return f"number_value:{_go_float(float(v))}"
    if isinstance(v, str):
        return f"string_value:{_quote(v)}"
    if isinstance(v, list):
        return "list_value:{" + " ".join(f"values:{{{_value_text(x)}}}" for x in v) + "}"
    if isinstance(v, dict):
        return "struct_value:{" + _struct_text(v) + "}"
    return ""


def _go_float(f: float) -> str:
    """strconv.FormatFloat(f, 'g', -1, 64), which prototext uses for doubles."""
    if math.isnan(f):
        return "nan"
    if math.isinf(f):
        return "inf" if f > 0 else "-inf"
    if f == 0:
        return "-0" if math.copysign(1.0, f) < 0 else "0"
    r = repr(f)
    mant, _, exp_s = r.partition("e")
    sign = "-" if mant.startswith("-") else ""
    mant = mant.lstrip("-")
    intpart, _, frac = mant.partition(".")
    if frac == "0":
        frac = ""
    digits = (intpart + frac).lstrip("0")
    exp10 = int(exp_s) if exp_s else 0
    # decimal point position relative to the first significant digit
    lead_zeros = len(intpart + frac) - len((intpart + frac).lstrip("0"))
    dp = len(intpart) + exp10 - lead_zeros
    digits = digits.rstrip("0") or "0"
    x = dp - 1
    if x < -4 or x >= 6:  # shortest 'g' switches to an exponent at precision 6
        m = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        return f"{sign}{m}e{'-' if x < 0 else '+'}{abs(x):02d}"
    if dp <= 0:
        return f"{sign}0.{'0' * -dp}{digits}"
    if dp >= len(digits):
        return f"{sign}{digits}{'0' * (dp - len(digits))}"
    return f"{sign}{digits[:dp]}.{digits[dp:]}"


def _quote(s: object) -> str:
    out = ['"']
    for ch in str(s):
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20 or ord(ch) == 0x7f:
            out.append(f"\\x{ord(ch):02x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _quote_bytes(b64: str | None) -> str:
    import base64  # rarely needed: not at start-up

    try:
        raw = base64.b64decode(b64 or "")
    except (ValueError, TypeError):
        return _quote(b64)
    out = ['"']
    for byte in raw:
        ch = chr(byte)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif 0x20 <= byte < 0x7f:
            out.append(ch)
        else:
            out.append(f"\\x{byte:02x}")
    out.append('"')
    return "".join(out)


# ------------------------------------------------------------------------------------------------
# Human-readable rendering
# ------------------------------------------------------------------------------------------------

_SIMPLE_STR = {"NONE": "none", "INTEGER": "int", "FLOAT": "float", "STRING": "str",
               "BOOLEAN": "bool", "DATETIME": "datetime", "DURATION": "duration",
               "BINARY": "binary", "ERROR": "error", "STRUCT": "struct"}
_SCHEMA_COL_STR = {"INTEGER": "int", "FLOAT": "float", "STRING": "str", "BOOLEAN": "bool",
                   "DATETIME": "datetime", "DURATION": "duration"}


def type_to_str(t: dict | None) -> str:
    """A short Python-like rendering of a type for diagnostics.

    ``int``, ``list[str]``, ``dict[str, float]``, ``int | none``, ``enum[a, b]``, ``file[csv]``,
    ``dir``, ``dataset[parquet]{a: int}``, ``schema{a: int}``, ``struct`` (``struct[Name]`` when the
    JSON schema has a title), ``<unset>`` for a type with no kind.
    """
    if not t:
        return "<unset>"
    if "simple" in t:
        s = t["simple"]
        name = _SIMPLE_STR.get(s, str(s).lower())
        if s == "STRUCT":
            title = (t.get("metadata") or _EMPTY).get("title")
            if isinstance(title, str) and title:
                return f"struct[{title}]"
        return name
    if "collectionType" in t:
        return f"list[{type_to_str(t['collectionType'])}]"
    if "mapValueType" in t:
        return f"dict[str, {type_to_str(t['mapValueType'])}]"
    if "unionType" in t:
        variants = t["unionType"].get("variants") or []
        if not variants:
            return "union[]"
        parts = []
        for v in variants:
            s = type_to_str(v)
            parts.append(f"({s})" if v and "unionType" in v and len(
                v["unionType"].get("variants") or []) > 1 else s)
        return " | ".join(parts)
    if "enumType" in t:
        return "enum[" + ", ".join(str(v) for v in t["enumType"].get("values") or []) + "]"
    if "blob" in t:
        b = t["blob"] or _EMPTY
        base = "dir" if b.get("dimensionality") == "MULTIPART" else "file"
        fmt = b.get("format", "")
        return f"{base}[{fmt}]" if fmt else base
    if "structuredDatasetType" in t:
        sd = t["structuredDatasetType"] or _EMPTY
        s = "dataset" + (f"[{sd['format']}]" if sd.get("format") else "")
        cols = sd.get("columns") or []
        if cols:
            s += "{" + ", ".join(f"{c.get('name', '')}: {type_to_str(c.get('literalType'))}"
                                 for c in cols) + "}"
        return s
    if "schema" in t:
        cols = (t["schema"] or _EMPTY).get("columns") or []
        if not cols:
            return "schema"
        return "schema{" + ", ".join(
            f"{c.get('name', '')}: {_SCHEMA_COL_STR.get(_schema_col_type(c), '?')}"
            for c in cols) + "}"
    return "<unset>"


# ------------------------------------------------------------------------------------------------
# Promise attribute paths (bindings.go)
# ------------------------------------------------------------------------------------------------

def element_type_for_attr_path(t: dict | None, path: list) -> tuple[dict | None, str | None]:
    """The type reached by following a promise's ``attrPath`` from type ``t``.

    Per step: a collection gives its element type, a map its value type, a type with a
    ``structure.dataclassType`` gives the field named by the step's ``stringValue`` (an ``intValue``
    step looks up ``""``); any other type is left as it is (e.g. a generic STRUCT).  Returns
    ``(type, None)``, or ``(None, key)`` when a dataclass has no such field (Flyte's FieldNotFound).
    """
    cur = t if t is not None else _EMPTY
    for attr in path:
        if "collectionType" in cur:
            cur = cur["collectionType"]
        elif "mapValueType" in cur:
            cur = cur["mapValueType"]
        else:
            fields = (cur.get("structure") or _EMPTY).get("dataclassType")
            if fields:
                key = (attr or _EMPTY).get("stringValue", "")
                if key not in fields:
                    return None, key
                cur = fields[key]
    return cur, None
