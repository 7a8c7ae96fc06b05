"""Tests for specc.types.

The castability tables port every subtest of flytepropeller's
``pkg/compiler/validators/typing_test.go`` and the literal-type tables port ``utils_test.go``
(flyteidl/v1.16.8).  Case ids are the Go subtest names as ``go test`` prints them (a repeated
name gets ``#01``), prefixed by the Go test function.  Types are canonical proto3-JSON dicts.
"""
from __future__ import annotations

import copy

import pytest

from specc import types as T

# -- helpers --------------------------------------------------------------------------------------


def S(name: str, **extra) -> dict:
    return {"simple": name, **extra}


INT, FLOAT, STR, NONE, STRUCT = S("INTEGER"), S("FLOAT"), S("STRING"), S("NONE"), S("STRUCT")


def tagged(simple: str, tag: str) -> dict:
    return {"simple": simple, "structure": {"tag": tag}}


def union(*variants) -> dict:
    return {"unionType": {"variants": list(variants)}}


def coll(t) -> dict:
    return {"collectionType": t}


def mapof(t) -> dict:
    return {"mapValueType": t}


def enum(*values) -> dict:
    return {"enumType": {"values": list(values)}}


def lit_int(v: int) -> dict:
    return {"scalar": {"primitive": {"integer": str(v)}}}


def lit_str(v: str) -> dict:
    return {"scalar": {"primitive": {"stringValue": v}}}


# -- JSON schemas of the STRUCT cases (as flytekit / mashumaro emit them) ------------------------

SCHEMA_A = {  # @dataclass class A: a: int
    "required": ["a"], "title": "A", "properties": {"a": {"type": "integer"}},
    "type": "object", "AdditionalProperties": False,
}
SCHEMA_B_OF_A = {  # @dataclass class B: b: A
    "required": ["b"], "title": "B", "properties": {"b": SCHEMA_A},
    "type": "object", "AdditionalProperties": False,
}
SCHEMA_C = {
    "required": ["c"], "title": "C", "properties": {"c": {"type": "string"}},
    "type": "object", "AdditionalProperties": False,
}
SCHEMA_D_OF_C = {  # @dataclass class D: d: C
    "required": ["d"], "title": "D", "properties": {"d": SCHEMA_C},
    "type": "object", "AdditionalProperties": False,
}
SCHEMA_BASEMODEL_A = {  # class A(BaseModel): a: int
    "required": ["a"], "title": "A", "properties": {"a": {"type": "integer"}}, "type": "object",
}
SCHEMA_B_CHILD_OF_A = {  # @dataclass class B(A): b: Optional[str] = None
    "required": ["a", "b"], "title": "B",
    "properties": {
        "a": {"type": "integer"},
        "b": {"default": None, "anyOf": [{"type": "string"}, {"type": "null"}]},
    },
    "type": "object", "AdditionalProperties": False,
}


def struct(schema: dict) -> dict:
    return {"simple": "STRUCT", "metadata": copy.deepcopy(schema)}


# -- TestSchemaCasting / TestStructuredDatasetCasting fixtures ------------------------------------

GENERIC_SCHEMA = {"schema": {}}
GENERIC_SD_EMPTY_FORMAT = {"structuredDatasetType": {}}
SUBSET_INTEGER_SCHEMA = {"schema": {"columns": [{"name": "a"}]}}  # INTEGER is the zero value
SUPERSET_INTEGER_AND_FLOAT_SCHEMA = {"schema": {"columns": [{"name": "a"},
                                                           {"name": "b", "type": "FLOAT"}]}}
SUPERSET_SD_PARQUET = {"structuredDatasetType": {
    "columns": [{"name": "a", "literalType": INT}, {"name": "b", "literalType": FLOAT}],
    "format": "parquet"}}
MISMATCHED_SUBSET_SCHEMA = {"schema": {"columns": [{"name": "a", "type": "FLOAT"}]}}

EMPTY_SD = {"structuredDatasetType": {}}
GENERIC_SD = {"structuredDatasetType": {"format": "parquet"}}
SUBSET_SD = {"structuredDatasetType": {
    "columns": [{"name": "a", "literalType": INT}, {"name": "b", "literalType": coll(INT)}],
    "format": "parquet"}}
SUPERSET_SD = {"structuredDatasetType": {
    "columns": [{"name": "a", "literalType": INT}, {"name": "b", "literalType": coll(INT)},
                {"name": "c", "literalType": mapof(INT)}],
    "format": "parquet"}}
INTEGER_SCHEMA = {"schema": {"columns": [{"name": "a"}]}}
INTEGER_SD = {"structuredDatasetType": {"columns": [{"name": "a", "literalType": INT}],
                                        "format": "parquet"}}
MISMATCHED_SUBSET_SD = {"structuredDatasetType": {"columns": [{"name": "a",
                                                               "literalType": FLOAT}]}}

EMPTY_BLOB = {"blob": {}}
GENERIC_BLOB = {"blob": {"format": "csv"}}
MISMATCHED_FORMAT_BLOB = {"blob": {"format": "pdf"}}

# (id, upstream, downstream, castable): one row per Go subtest, in file order.
TYPING_CASES = [
    # TestSimpleLiteralCasting
    ("TestSimpleLiteralCasting/BaseCase_Integer", INT, INT, True),
    ("TestSimpleLiteralCasting/IntegerToFloat", INT, FLOAT, False),
    ("TestSimpleLiteralCasting/FloatToInteger", FLOAT, INT, False),
    ("TestSimpleLiteralCasting/VoidToInteger", NONE, INT, False),
    # Go's metadata is Struct{"a": Value{}} (a Value with no kind, which proto3-JSON cannot
    # express); a null value stands in for it. Metadata is ignored either way.
    ("TestSimpleLiteralCasting/IgnoreMetadata", S("INTEGER", metadata={"a": None}), INT, True),
    ("TestSimpleLiteralCasting/EnumToString", enum("x", "y"), STR, True),
    ("TestSimpleLiteralCasting/EnumToEnum", enum("x", "y"), enum("x", "y"), True),
    ("TestSimpleLiteralCasting/EnumToEnum#01", enum("x", "y"), enum("m", "n"), False),
    ("TestSimpleLiteralCasting/StringToEnum", STR, enum("x", "y"), True),
    # TestUnionCasting
    ("TestUnionCasting/StringToUnionUnambiguously", STR,
     union(tagged("INTEGER", "int"), tagged("STRING", "str")), True),
    ("TestUnionCasting/StringToUnionAmbiguously", STR,
     union(tagged("STRING", "str1"), tagged("STRING", "str2")), False),
    ("TestUnionCasting/UnionToUnionSuperset",
     union(tagged("STRING", "str1"), tagged("STRING", "str2")),
     union(tagged("STRING", "str1"), tagged("INTEGER", "int1"), tagged("STRING", "str2")), True),
    ("TestUnionCasting/UnionToUnionTagMismatch",
     union(tagged("STRING", "str1"), tagged("STRING", "str2")),
     union(tagged("INTEGER", "str2"), tagged("STRING", "str3")), False),
    ("TestUnionCasting/UnionToUnionTypeMismatch",
     union(tagged("STRING", "test")), union(tagged("INTEGER", "test")), False),
    ("TestUnionCasting/SingularUnionToUnderlyingType",
     union(tagged("STRING", "string")), tagged("STRING", "string"), True),
    # TestCollectionCasting
    ("TestCollectionCasting/BaseCase_SingleIntegerCollection", coll(INT), coll(INT), True),
    ("TestCollectionCasting/Empty_collection", coll(NONE), coll(INT), True),
    ("TestCollectionCasting/SingleIntegerCollectionToSingleFloatCollection",
     coll(INT), coll(FLOAT), False),
    ("TestCollectionCasting/MismatchedNestLevels_Scalar", coll(INT), INT, False),
    ("TestCollectionCasting/MismatchedNestLevels_Collections", coll(INT), coll(coll(INT)), False),
    ("TestCollectionCasting/Nullable_Collections", NONE, coll(coll(INT)), False),
    # TestMapCasting
    ("TestMapCasting/BaseCase_SingleIntegerMap", mapof(INT), mapof(INT), True),
    ("TestMapCasting/ScalarIntegerMapToScalarFloatMap", mapof(INT), mapof(FLOAT), False),
    ("TestMapCasting/ScalarIntegerMapToScalarFloatMap#01", mapof(NONE), mapof(FLOAT), True),
    ("TestMapCasting/ScalarStructToStruct", STRUCT, STRUCT, True),
    ("TestMapCasting/SameDataclassOneLevel(draft_2020-12)",
     struct(SCHEMA_A), struct(SCHEMA_A), True),
    ("TestMapCasting/SameDataclassTwoLevel(draft_2020-12)",
     struct(SCHEMA_B_OF_A), struct(SCHEMA_B_OF_A), True),
    ("TestMapCasting/DiffDataclassTwoLevel(draft_2020-12)",
     struct(SCHEMA_B_OF_A), struct(SCHEMA_D_OF_C), False),
    ("TestMapCasting/SameBaseModelOneLevel(draft_2020-12)",
     struct(SCHEMA_BASEMODEL_A), struct(SCHEMA_BASEMODEL_A), True),
    ("TestMapCasting/BigToSmallAndChildToParent(dataclass_draft_2020-12)",
     struct(SCHEMA_B_CHILD_OF_A), struct(SCHEMA_A), True),
    ("TestMapCasting/SmallToBigAndParentToChild(dataclass_draft_2020-12)",
     struct(SCHEMA_A), struct(SCHEMA_B_CHILD_OF_A), False),
    ("TestMapCasting/MismatchedMapNestLevels_Scalar", mapof(INT), INT, False),
    ("TestMapCasting/MismatchedMapNestLevels_Maps", mapof(INT), mapof(mapof(INT)), False),
    # TestSchemaCasting
    ("TestSchemaCasting/BaseCase_GenericSchema", GENERIC_SCHEMA, GENERIC_SCHEMA, True),
    ("TestSchemaCasting/GenericSchemaToNonGeneric", GENERIC_SCHEMA, SUBSET_INTEGER_SCHEMA, True),
    ("TestSchemaCasting/NonGenericSchemaToGeneric", SUBSET_INTEGER_SCHEMA, GENERIC_SCHEMA, True),
    ("TestSchemaCasting/SupersetToSubsetTypedSchema",
     SUPERSET_INTEGER_AND_FLOAT_SCHEMA, SUBSET_INTEGER_SCHEMA, True),
    ("TestSchemaCasting/GenericToSubsetTypedSchema",
     GENERIC_SD_EMPTY_FORMAT, SUBSET_INTEGER_SCHEMA, True),
    ("TestSchemaCasting/SubsetTypedSchemaToGeneric",
     SUBSET_INTEGER_SCHEMA, GENERIC_SD_EMPTY_FORMAT, True),
    ("TestSchemaCasting/SupersetStructuredToSubsetTypedSchema",
     SUPERSET_SD_PARQUET, SUBSET_INTEGER_SCHEMA, True),
    ("TestSchemaCasting/SubsetToSupersetSchema",
     SUBSET_INTEGER_SCHEMA, SUPERSET_INTEGER_AND_FLOAT_SCHEMA, False),
    ("TestSchemaCasting/MismatchedColumns", SUBSET_INTEGER_SCHEMA, MISMATCHED_SUBSET_SCHEMA, False),
    ("TestSchemaCasting/MismatchedColumnsFlipped",
     MISMATCHED_SUBSET_SCHEMA, SUBSET_INTEGER_SCHEMA, False),
    ("TestSchemaCasting/SchemasAreNullable", NONE, SUBSET_INTEGER_SCHEMA, False),
    # TestStructuredDatasetCasting
    ("TestStructuredDatasetCasting/BaseCase_GenericStructuredDataset",
     GENERIC_SD, GENERIC_SD, True),
    ("TestStructuredDatasetCasting/GenericStructuredDatasetToNonGeneric",
     GENERIC_SD, SUBSET_SD, True),
    ("TestStructuredDatasetCasting/NonGenericStructuredDatasetToGeneric",
     SUBSET_SD, GENERIC_SD, True),
    ("TestStructuredDatasetCasting/SupersetToSubsetTypedStructuredDataset",
     SUPERSET_SD, SUBSET_SD, True),
    ("TestStructuredDatasetCasting/SubsetToSupersetStructuredDataset",
     SUBSET_SD, SUPERSET_SD, False),
    ("TestStructuredDatasetCasting/SchemaToStructuredDataset", INTEGER_SCHEMA, INTEGER_SD, True),
    ("TestStructuredDatasetCasting/MismatchedSchemaColumns",
     INTEGER_SCHEMA, MISMATCHED_SUBSET_SD, False),
    ("TestStructuredDatasetCasting/MismatchedColumns", SUBSET_SD, MISMATCHED_SUBSET_SD, False),
    ("TestStructuredDatasetCasting/MismatchedColumnsFlipped",
     MISMATCHED_SUBSET_SD, SUBSET_SD, False),
    ("TestStructuredDatasetCasting/GenericToEmptyFormat", GENERIC_SD, EMPTY_SD, True),
    # (the Go test really passes the same arguments as GenericToEmptyFormat)
    ("TestStructuredDatasetCasting/EmptyFormatToGeneric", GENERIC_SD, EMPTY_SD, True),
    ("TestStructuredDatasetCasting/StructuredDatasetsAreNullable", NONE, SUBSET_SD, True),
    # TestBlobCasting
    ("TestBlobCasting/BaseCase_GenericBlob", GENERIC_BLOB, GENERIC_BLOB, True),
    ("TestBlobCasting/GenericToEmptyFormat", GENERIC_BLOB, EMPTY_BLOB, True),
    # (the Go test really passes the same arguments as GenericToEmptyFormat)
    ("TestBlobCasting/EmptyFormatToGeneric", GENERIC_BLOB, EMPTY_BLOB, True),
    ("TestBlobCasting/MismatchedFormat", GENERIC_BLOB, MISMATCHED_FORMAT_BLOB, False),
    ("TestBlobCasting/BlobsAreNullable", NONE, GENERIC_BLOB, False),
]


def test_every_go_typing_subtest_is_ported():
    per_func: dict[str, int] = {}
    for case_id, *_ in TYPING_CASES:
        per_func[case_id.split("/")[0]] = per_func.get(case_id.split("/")[0], 0) + 1
    assert per_func == {
        "TestSimpleLiteralCasting": 9, "TestUnionCasting": 6, "TestCollectionCasting": 6,
        "TestMapCasting": 12, "TestSchemaCasting": 11, "TestStructuredDatasetCasting": 12,
        "TestBlobCasting": 5,
    }
    assert len(TYPING_CASES) == 61
    assert len({c[0] for c in TYPING_CASES}) == 61


@pytest.mark.parametrize("upstream,downstream,expected",
                         [pytest.param(u, d, e, id=i) for i, u, d, e in TYPING_CASES])
def test_go_typing_cases(upstream, downstream, expected):
    before = copy.deepcopy((upstream, downstream))
    assert T.are_types_castable(upstream, downstream) is expected
    assert (upstream, downstream) == before  # inputs are never mutated


# -- the fixtures really are canonical proto3-JSON ------------------------------------------------

def _canonical_round_trip(t: dict) -> dict:
    from flyteidl.core import types_pb2
    from google.protobuf import json_format

    msg = json_format.ParseDict(t, types_pb2.LiteralType())
    return json_format.MessageToDict(msg)


@pytest.mark.parametrize("upstream,downstream", [
    pytest.param(u, d, id=i) for i, u, d, _ in TYPING_CASES])
def test_fixtures_are_canonical(upstream, downstream):
    for t in (upstream, downstream):
        assert _canonical_round_trip(t) == t


# -- further castability cases: rules of typing.go that the Go tests do not cover -----------------

EXTRA_CASES = [
    ("none_to_none", NONE, NONE, True),
    ("int_to_none", INT, NONE, False),
    ("none_to_optional_int", NONE, union(INT, NONE), True),
    ("int_to_optional_int", INT, union(INT, NONE), True),
    ("optional_int_to_int", union(INT, NONE), INT, False),
    ("enum_to_enum_other_order", enum("x", "y"), enum("y", "x"), False),
    ("enum_to_optional_str", enum("x"), union(STR, NONE), True),
    ("binary_to_binary", S("BINARY"), S("BINARY"), True),
    ("error_to_struct", S("ERROR"), STRUCT, False),
    ("datetime_to_duration", S("DATETIME"), S("DURATION"), False),
    ("untagged_up_ignores_down_tag", STR, tagged("STRING", "x"), True),
    ("tagged_up_needs_same_down_tag", tagged("STRING", "x"), STR, False),
    ("annotation_ignored", S("INTEGER", annotation={"annotations": {"k": "v"}}), INT, True),
    ("nested_metadata_not_ignored",
     coll(S("INTEGER", metadata={"k": 1})), coll(INT), True),  # trivial checker on the element
    ("struct_metadata_one_side_missing", struct(SCHEMA_A), STRUCT, True),
    ("struct_metadata_other_side_missing", STRUCT, struct(SCHEMA_C), True),
    ("struct_to_int", STRUCT, INT, False),
    ("unset_to_unset", {}, {}, True),
    ("int_to_unset", INT, {}, False),
    ("collection_to_map", coll(INT), mapof(INT), False),
    ("map_of_empty_collection", mapof(coll(NONE)), mapof(coll(STR)), True),
    ("nested_singular_union_not_unwrapped", coll(union(INT)), coll(INT), False),
    ("top_singular_union_unwrapped", union(INT), INT, True),
    ("singular_union_to_union", union(INT), union(INT, STR), True),
    ("union_missing_variant", union(INT, FLOAT), union(INT, STR), False),
    ("blob_dimensionality_ignored", {"blob": {"format": "csv", "dimensionality": "MULTIPART"}},
     {"blob": {"format": "csv"}}, True),
    ("blob_format_case_sensitive", {"blob": {"format": "CSV"}}, {"blob": {"format": "csv"}},
     False),
    ("int_to_blob", INT, GENERIC_BLOB, False),
    ("sd_format_case_insensitive",
     {"structuredDatasetType": {"format": "PARQUET"}}, GENERIC_SD, True),
    ("sd_format_mismatch", {"structuredDatasetType": {"format": "csv"}}, GENERIC_SD, False),
    ("csv_sd_to_schema", {"structuredDatasetType": {"format": "csv"}}, GENERIC_SCHEMA, False),
    ("schema_to_csv_sd", GENERIC_SCHEMA, {"structuredDatasetType": {"format": "csv"}}, False),
    ("sd_to_schema_non_simple_column",
     {"structuredDatasetType": {"columns": [{"name": "a", "literalType": coll(INT)}]}},
     SUBSET_INTEGER_SCHEMA, False),
    ("int_to_sd", INT, GENERIC_SD, False),
    ("int_to_schema", INT, GENERIC_SCHEMA, False),
    ("sd_column_singular_union_not_unwrapped",
     {"structuredDatasetType": {"columns": [{"name": "a", "literalType": union(INT)}]}},
     {"structuredDatasetType": {"columns": [{"name": "a", "literalType": INT}]}}, False),
]


@pytest.mark.parametrize("upstream,downstream,expected",
                         [pytest.param(u, d, e, id=i) for i, u, d, e in EXTRA_CASES])
def test_more_castability(upstream, downstream, expected):
    assert T.are_types_castable(upstream, downstream) is expected


# -- STRUCT JSON-schema approximation -------------------------------------------------------------

PYDANTIC_OUTER = {  # class Outer(BaseModel): inner: Inner; tags: list[str]
    "$defs": {"Inner": {"properties": {"x": {"type": "integer"}}, "required": ["x"],
                        "title": "Inner", "type": "object"}},
    "properties": {"inner": {"$ref": "#/$defs/Inner"},
                   "tags": {"items": {"type": "string"}, "type": "array"}},
    "required": ["inner", "tags"], "title": "Outer", "type": "object",
}


def _with(schema: dict, path: list, value) -> dict:
    s = copy.deepcopy(schema)
    cur = s
    for p in path[:-1]:
        cur = cur[p]
    cur[path[-1]] = value
    return s


JSON_SCHEMA_CASES = [
    ("identical_with_refs", PYDANTIC_OUTER, PYDANTIC_OUTER, True),
    ("ref_vs_inlined", PYDANTIC_OUTER, _with(
        {k: v for k, v in PYDANTIC_OUTER.items() if k != "$defs"}, ["properties", "inner"],
        PYDANTIC_OUTER["$defs"]["Inner"]), True),
    ("ref_target_differs", PYDANTIC_OUTER,
     _with(PYDANTIC_OUTER, ["$defs", "Inner", "properties", "x"], {"type": "string"}), False),
    ("array_items_differ", PYDANTIC_OUTER,
     _with(PYDANTIC_OUTER, ["properties", "tags", "items"], {"type": "integer"}), False),
    ("broken_ref", _with(PYDANTIC_OUTER, ["properties", "inner"], {"$ref": "#/$defs/Nope"}),
     PYDANTIC_OUTER, False),
    ("integer_fits_number", {"type": "object", "properties": {"a": {"type": "integer"}}},
     {"type": "object", "properties": {"a": {"type": "number"}}}, True),
    ("number_does_not_fit_integer", {"type": "object", "properties": {"a": {"type": "number"}}},
     {"type": "object", "properties": {"a": {"type": "integer"}}}, False),
    ("str_fits_optional_str",
     {"type": "object", "properties": {"b": {"type": "string"}}, "required": ["b"]},
     SCHEMA_B_CHILD_OF_A | {"required": ["b"], "properties": {
         "b": SCHEMA_B_CHILD_OF_A["properties"]["b"]}}, True),
    ("optional_str_does_not_fit_str",
     {"type": "object", "properties": SCHEMA_B_CHILD_OF_A["properties"]},
     {"type": "object", "properties": {"b": {"type": "string"}}}, False),
    ("narrower_enum_fits", {"type": "object", "properties": {"e": {"enum": ["a"]}}},
     {"type": "object", "properties": {"e": {"enum": ["a", "b"]}}}, True),
    ("wider_enum_does_not_fit", {"type": "object", "properties": {"e": {"enum": ["a", "c"]}}},
     {"type": "object", "properties": {"e": {"enum": ["a", "b"]}}}, False),
    ("additional_properties_ignored",
     {"type": "object", "properties": {"m": {"type": "object",
                                             "additionalProperties": {"type": "string"}}}},
     {"type": "object", "properties": {"m": {"type": "object",
                                             "additionalProperties": {"type": "integer"}}}}, True),
    ("required_not_required_upstream",
     {"type": "object", "properties": {"a": {"type": "integer"}}}, SCHEMA_A, False),
    ("empty_downstream_schema_accepts_all", SCHEMA_A, {}, True),
]


@pytest.mark.parametrize("up_schema,down_schema,expected",
                         [pytest.param(u, d, e, id=i) for i, u, d, e in JSON_SCHEMA_CASES])
def test_struct_json_schema_rule(up_schema, down_schema, expected):
    assert T.are_types_castable(struct(up_schema), struct(down_schema)) is expected


def test_recursive_json_schema_terminates():
    node = {"$defs": {"Node": {"type": "object", "properties": {
        "next": {"anyOf": [{"$ref": "#/$defs/Node"}, {"type": "null"}]},
        "v": {"type": "integer"}}, "required": ["v"]}}, "$ref": "#/$defs/Node"}
    assert T.are_types_castable(struct(node), struct(node)) is True
    other = _with(node, ["$defs", "Node", "properties", "v"], {"type": "string"})
    assert T.are_types_castable(struct(node), struct(other)) is False


# -- types_equal ----------------------------------------------------------------------------------

@pytest.mark.parametrize("a,b,expected", [
    # TestJoinVariableMapsUniqueKeys (utils_test.go): UnionDistinctVariableMaps rejects a shared key
    # exactly when the two types' String() differ.
    pytest.param(INT, INT, True, id="TestJoinVariableMapsUniqueKeys/No_type_collision"),
    pytest.param(INT, STR, False, id="TestJoinVariableMapsUniqueKeys/Type_collision"),
    pytest.param(S("INTEGER", metadata={"a": 1}), INT, False, id="metadata_counts"),
    pytest.param(tagged("STRING", "a"), tagged("STRING", "b"), False, id="structure_counts"),
    pytest.param(union(INT, STR), union(STR, INT), False, id="variant_order_counts"),
    pytest.param(mapof(S("STRUCT", metadata={"x": 1, "y": 2})),
                 mapof(S("STRUCT", metadata={"y": 2, "x": 1})), True, id="struct_key_order_free"),
    pytest.param(None, None, True, id="both_nil"),
    pytest.param(None, {}, False, id="nil_vs_unset"),
])
def test_types_equal(a, b, expected):
    assert T.types_equal(a, b) is expected


# -- is_optional_type (bindings.go IsOptionalType) ------------------------------------------------

@pytest.mark.parametrize("t,expected", [
    pytest.param(INT, False, id="plain_int"),
    pytest.param(NONE, False, id="plain_none_is_not_a_union"),
    pytest.param(union(INT, NONE), True, id="optional_int"),
    pytest.param(union(NONE), True, id="union_of_none"),
    pytest.param(union(INT, STR), False, id="union_of_simples"),
    pytest.param(union(tagged("INTEGER", "int"), tagged("NONE", "none")), True, id="tagged_none"),
    pytest.param(union(), False, id="empty_union"),
    # The quirk: GetSimple() is NONE (0) for every non-simple variant.
    pytest.param(union(INT, coll(INT)), True, id="quirk_collection_variant"),
    pytest.param(union(INT, mapof(INT)), True, id="quirk_map_variant"),
    pytest.param(union(STR, GENERIC_BLOB), True, id="quirk_blob_variant"),
    pytest.param(union(STR, enum("a")), True, id="quirk_enum_variant"),
    pytest.param(union(STR, GENERIC_SD), True, id="quirk_sd_variant"),
    pytest.param(union(STR, GENERIC_SCHEMA), True, id="quirk_schema_variant"),
    pytest.param(union(STR, union(INT, STR)), True, id="quirk_nested_union_variant"),
    pytest.param(union(STR, {}), True, id="quirk_unset_variant"),
    pytest.param(coll(union(INT, NONE)), False, id="collection_of_optional"),
    pytest.param(None, False, id="nil"),
])
def test_is_optional_type(t, expected):
    assert T.is_optional_type(t) is expected


# -- literal -> type (utils.go; TestLiteralTypeForLiterals) ---------------------------------------

def _scalar_union(value: dict, t: dict) -> dict:
    return {"scalar": {"union": {"value": value, "type": t}}}


LITERAL_CASES = [
    # literalTypeForLiterals is private in Go; its cases go through a collection literal here, whose
    # type is collection(literalTypeForLiterals(items)).
    ("TestLiteralTypeForLiterals/empty", {"collection": {}}, coll(NONE)),
    ("TestLiteralTypeForLiterals/binary_idl_with_raw_binary_data_and_no_tag",
     {"scalar": {"binary": {"value": "iVBORw0KGgo="}}}, S("BINARY")),
    # msgpack of {1: "hello", 2: "world", -1: "foo"} and {1.0: .., 5.0: .., -1.0: ..}; the bytes do
    # not matter, only the tag.
    ("TestLiteralTypeForLiterals/binary_idl_with_messagepack_input_map[int]strings",
     {"scalar": {"binary": {"value": "gwGlaGVsbG8CpXdvcmxk/6Nmb28=", "tag": "msgpack"}}}, STRUCT),
    ("TestLiteralTypeForLiterals/binary_idl_with_messagepack_input_map[float]strings",
     {"scalar": {"binary": {"value": "g8s/8AAAAAAAAKVoZWxsb8tAFAAAAAAAAKV3b3JsZMu/8AAAAAAAAKNmb28=",
                            "tag": "msgpack"}}}, STRUCT),
    ("TestLiteralTypeForLiterals/homogeneous",
     {"collection": {"literals": [lit_int(5), lit_int(0), lit_int(5)]}}, coll(INT)),
    ("TestLiteralTypeForLiterals/non-homogenous",
     {"collection": {"literals": [lit_str("hello"), lit_int(5), lit_str("world"), lit_int(0),
                                  lit_int(2)]}}, coll(union(INT, STR))),
    ("TestLiteralTypeForLiterals/non-homogenous_ensure_ordering",
     {"collection": {"literals": [lit_int(5), lit_str("world"), lit_int(0), lit_int(2)]}},
     coll(union(INT, STR))),
    ("TestLiteralTypeForLiterals/list_with_mixed_types",
     {"collection": {"literals": [_scalar_union(lit_int(1), INT),
                                  _scalar_union(lit_str("foo"), STR)]}},
     coll(union(union(INT), union(STR)))),
    ("TestLiteralTypeForLiterals/nested_lists_with_empty_list",
     {"collection": {"literals": [{"collection": {"literals": [lit_str("foo")]}},
                                  {"collection": {}}]}},
     coll(coll(STR))),
    ("TestLiteralTypeForLiterals/nested_Lists_with_different_types",
     {"collection": {"literals": [
         {"collection": {"literals": [_scalar_union(lit_int(1), INT)]}},
         {"collection": {"literals": [_scalar_union(lit_str("foo"), STR)]}}]}},
     coll(coll(union(INT, STR)))),
    ("TestLiteralTypeForLiterals/empty_nested_listed",
     {"collection": {"literals": [{"collection": {}}]}}, coll(coll(NONE))),
    ("TestLiteralTypeForLiterals/nested_Lists_with_different_types#01",
     {"offloadedMetadata": {"uri": "dummy/uri", "sizeBytes": "1000",
                            "inferredType": coll(coll(union(INT, STR)))}},
     coll(coll(union(INT, STR)))),
]


def test_every_go_literal_subtest_is_ported():
    assert len(LITERAL_CASES) == 12
    assert len({c[0] for c in LITERAL_CASES}) == 12


@pytest.mark.parametrize("literal,expected",
                         [pytest.param(lit, e, id=i) for i, lit, e in LITERAL_CASES])
def test_go_literal_cases(literal, expected):
    assert T.literal_type_for_literal(literal) == expected


def test_literal_type_for_literals_direct():
    assert T.literal_type_for_literals([]) == NONE  # TestLiteralTypeForLiterals/empty, verbatim
    assert T.literal_type_for_literals([lit_int(5), lit_int(0), lit_int(5)]) == INT
    assert T.literal_type_for_literals([lit_str("a"), lit_int(1)]) == union(INT, STR)


@pytest.mark.parametrize("scalar,expected", [
    pytest.param({"primitive": {"integer": "1"}}, INT, id="integer"),
    pytest.param({"primitive": {"floatValue": 1.5}}, FLOAT, id="float"),
    pytest.param({"primitive": {"stringValue": ""}}, STR, id="empty_string"),
    pytest.param({"primitive": {"boolean": True}}, S("BOOLEAN"), id="boolean"),
    pytest.param({"primitive": {"datetime": "2020-01-01T00:00:00Z"}}, S("DATETIME"), id="datetime"),
    pytest.param({"primitive": {"duration": "3s"}}, S("DURATION"), id="duration"),
    pytest.param({"primitive": {}}, NONE, id="empty_primitive"),
    pytest.param({"blob": {"uri": "s3://x"}}, None, id="blob_without_metadata"),
    pytest.param({"blob": {"uri": "s3://x", "metadata": {"type": {"format": "csv"}}}},
                 GENERIC_BLOB, id="blob"),
    pytest.param({"blob": {"metadata": {}}}, {"blob": {}}, id="blob_metadata_without_type"),
    pytest.param({"binary": {"value": "AA==", "tag": "json"}}, S("BINARY"), id="binary_other_tag"),
    pytest.param({"schema": {"uri": "s3://x", "type": {"columns": [{"name": "a"}]}}},
                 SUBSET_INTEGER_SCHEMA, id="schema"),
    pytest.param({"structuredDataset": {"uri": "s3://x"}}, EMPTY_SD, id="sd_without_metadata"),
    pytest.param({"structuredDataset": {"uri": "s3://x", "metadata": {
        "structuredDatasetType": {"format": "parquet"}}}}, GENERIC_SD, id="sd"),
    pytest.param({"noneType": {}}, NONE, id="none"),
    pytest.param({"error": {"failedNodeId": "n0", "message": "boom"}}, S("ERROR"), id="error"),
    pytest.param({"generic": {"a": 1}}, STRUCT, id="generic"),
    pytest.param({"union": {"value": lit_int(1), "type": tagged("INTEGER", "int")}},
                 union(tagged("INTEGER", "int")), id="union"),
    pytest.param({}, None, id="empty_scalar"),
])
def test_literal_type_for_scalar(scalar, expected):
    assert T.literal_type_for_scalar(scalar) == expected


@pytest.mark.parametrize("literal,expected", [
    pytest.param({"map": {"literals": {"a": lit_int(1), "b": lit_int(2)}}}, mapof(INT),
                 id="map_homogeneous"),
    pytest.param({"map": {"literals": {"b": lit_str("x"), "a": lit_int(2)}}},
                 mapof(union(INT, STR)), id="map_mixed_sorted"),
    pytest.param({"map": {}}, mapof(NONE), id="empty_map"),
    pytest.param({"map": {"literals": {"a": {"collection": {}}}}}, mapof(coll(NONE)),
                 id="map_of_empty_list"),
    pytest.param({"collection": {"literals": [{"collection": {}}, lit_int(1)]}}, coll(INT),
                 id="empty_list_item_dropped_when_others"),
    pytest.param({"collection": {"literals": [
        {"collection": {"literals": [lit_int(1), lit_str("a")]}}, lit_int(3)]}},
        coll(coll(union(INT, STR, INT))), id="flattening_keeps_duplicates"),
    pytest.param({"collection": {"literals": [
        {"scalar": {"blob": {"uri": "u", "metadata": {"type": {"format": "csv"}}}}},
        {"scalar": {"primitive": {"boolean": False}}}]}},
        coll(union(GENERIC_BLOB, S("BOOLEAN"))), id="sort_by_field_name_blob_first"),
    pytest.param({"collection": {"literals": [
        {"scalar": {"primitive": {"integer": "1"}}},
        {"scalar": {"primitive": {"floatValue": 2.0}}},
        {"scalar": {"primitive": {"boolean": True}}}]}},
        coll(union(S("BOOLEAN"), FLOAT, INT)), id="sort_by_enum_name"),
    pytest.param({"collection": {"literals": [{"scalar": {"blob": {"uri": "u"}}}]}}, coll({}),
                 id="unknown_item_type"),
    pytest.param({"offloadedMetadata": {"uri": "u"}}, None, id="offloaded_without_type"),
    pytest.param({}, None, id="empty_literal"),
])
def test_literal_type_for_literal_more(literal, expected):
    assert T.literal_type_for_literal(literal) == expected


def test_type_text_matches_prototext_shape():
    assert T.type_text(INT) == "simple:INTEGER"
    assert T.type_text(None) == "<nil>"
    assert T.type_text({}) == ""
    assert T.type_text(coll(union(INT, tagged("STRING", "s")))) == (
        'collection_type:{union_type:{variants:{simple:INTEGER} '
        'variants:{simple:STRING structure:{tag:"s"}}}}')
    assert T.type_text(S("STRUCT", metadata={"b": [1.5, None], "a": {"t": "x"}})) == (
        'simple:STRUCT metadata:{fields:{key:"a" value:{struct_value:{fields:{key:"t" '
        'value:{string_value:"x"}}}}} fields:{key:"b" value:{list_value:{values:{number_value:1.5}'
        ' values:{null_value:NULL_VALUE}}}}}')
    assert T.type_text({"structuredDatasetType": {
        "columns": [{"name": "a", "literalType": INT}], "format": "parquet"}}) == (
        'structured_dataset_type:{columns:{name:"a" literal_type:{simple:INTEGER}} '
        'format:"parquet"}')
    assert T.type_text({"structure": {"dataclassType": {"b": STR, "a": INT}}}) == (
        'structure:{dataclass_type:{key:"a" value:{simple:INTEGER}} '
        'dataclass_type:{key:"b" value:{simple:STRING}}}')


@pytest.mark.parametrize("f,text", [
    (1.0, "1"), (1.5, "1.5"), (-2.0, "-2"), (100000.0, "100000"), (1e6, "1e+06"),
    (1e21, "1e+21"), (123456789.0, "1.23456789e+08"), (0.0001, "0.0001"), (0.00001, "1e-05"),
    (0.0, "0"), (1e100, "1e+100"), (0.1, "0.1"),
])
def test_go_float_format(f, text):
    assert T._go_float(f) == text


# -- type_to_str ----------------------------------------------------------------------------------

@pytest.mark.parametrize("t,text", [
    (INT, "int"), (FLOAT, "float"), (STR, "str"), (S("BOOLEAN"), "bool"),
    (S("DATETIME"), "datetime"), (S("DURATION"), "duration"), (NONE, "none"),
    (S("BINARY"), "binary"), (S("ERROR"), "error"), (STRUCT, "struct"),
    (struct(SCHEMA_A), "struct[A]"),
    (coll(INT), "list[int]"), (mapof(coll(STR)), "dict[str, list[str]]"),
    (union(INT, NONE), "int | none"), (coll(union(INT, STR)), "list[int | str]"),
    (union(INT, union(STR, NONE)), "int | (str | none)"), (union(union(INT)), "int"),
    (union(), "union[]"),
    (enum("a", "b"), "enum[a, b]"),
    (EMPTY_BLOB, "file"), (GENERIC_BLOB, "file[csv]"),
    ({"blob": {"dimensionality": "MULTIPART"}}, "dir"),
    ({"blob": {"format": "csv", "dimensionality": "MULTIPART"}}, "dir[csv]"),
    (EMPTY_SD, "dataset"), (GENERIC_SD, "dataset[parquet]"),
    ({"structuredDatasetType": {"columns": [{"name": "a", "literalType": INT},
                                            {"name": "b", "literalType": STR}],
                                "format": "parquet"}}, "dataset[parquet]{a: int, b: str}"),
    (MISMATCHED_SUBSET_SD, "dataset{a: float}"),
    (GENERIC_SCHEMA, "schema"), (SUBSET_INTEGER_SCHEMA, "schema{a: int}"),
    (SUPERSET_INTEGER_AND_FLOAT_SCHEMA, "schema{a: int, b: float}"),
    ({}, "<unset>"), (None, "<unset>"), ({"metadata": {"a": 1}}, "<unset>"),
    (tagged("STRING", "str"), "str"),
])
def test_type_to_str(t, text):
    assert T.type_to_str(t) == text


# -- element_type_for_attr_path -------------------------------------------------------------------

DC = {"simple": "STRUCT", "structure": {"dataclassType": {
    "a": INT, "inner": {"simple": "STRUCT", "structure": {"dataclassType": {"x": coll(STR)}}}}}}


@pytest.mark.parametrize("t,path,expected", [
    pytest.param(coll(INT), [{"intValue": 0}], (INT, None), id="collection_index"),
    pytest.param(mapof(STR), [{"stringValue": "k"}], (STR, None), id="map_key"),
    pytest.param(coll(mapof(FLOAT)), [{"intValue": 1}, {"stringValue": "k"}], (FLOAT, None),
                 id="list_then_map"),
    pytest.param(DC, [{"stringValue": "a"}], (INT, None), id="dataclass_field"),
    pytest.param(DC, [{"stringValue": "inner"}, {"stringValue": "x"}, {"intValue": 0}],
                 (STR, None), id="nested_dataclass_then_list"),
    pytest.param(DC, [{"stringValue": "nope"}], (None, "nope"), id="missing_field"),
    pytest.param(DC, [{"intValue": 0}], (None, ""), id="int_step_on_dataclass"),
    pytest.param(STRUCT, [{"stringValue": "a"}, {"intValue": 3}], (STRUCT, None),
                 id="generic_struct_unchanged"),
    pytest.param({"simple": "STRUCT", "structure": {"tag": "t"}}, [{"stringValue": "a"}],
                 ({"simple": "STRUCT", "structure": {"tag": "t"}}, None),
                 id="structure_without_dataclass_type"),
    pytest.param(INT, [], (INT, None), id="empty_path"),
])
def test_element_type_for_attr_path(t, path, expected):
    assert T.element_type_for_attr_path(t, path) == expected
