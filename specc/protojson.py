"""Protobuf messages to canonical proto3 JSON and canonical proto3 JSON to protobuf bytes, fast.

``to_dict(msg)`` equals ``json_format.MessageToDict(msg)`` and ``encode(d, cls)`` is byte for
byte ``json_format.ParseDict(d, cls()).SerializeToString(deterministic=True)``, for every message
(tests/test_protojson.py checks both on every message specc reads or writes, and on generated
ones). json_format walks each message through generic, per-field descriptor logic; here every
message type gets a plan the first time it is met (json name, field number, tag bytes and a
converter per field), kept for the life of the process:

- ``to_dict`` walks ``msg.ListFields()`` (the fields that are set, in field-number order, as
  json_format does) and converts each value with its field's converter;
- ``encode`` writes the wire format itself (no message object is built): fields in field-number
  order, implicit-presence scalars left out when they hold their default value, oneof members
  and message fields always written, repeated numbers packed, map entries sorted by key with
  both key and value written, as upb's deterministic serializer does.

Well-known types are read and written as json_format does: Duration, Timestamp and FieldMask
through their own JSON methods, Struct / Value / ListValue as plain JSON, wrappers as their
value, Any through json_format itself (flyteidl has one, rarely set). A dict that does not
describe a message of the class (an unknown key, a value of the wrong JSON type, two members of
one oneof) raises ``EncodeError`` with the JSON pointer of the offending value: the dicts come
from specc, so that is a bug, never bytes written anyway.

Imports nothing from specc; ``google.protobuf`` is imported by the callers' generated classes.
"""
from __future__ import annotations

import base64
import math
import struct
from collections.abc import Callable
from typing import Any

from google.protobuf import descriptor_pool
from google.protobuf.descriptor import Descriptor, EnumDescriptor, FieldDescriptor

__all__ = ["EncodeError", "PrintError", "encode", "to_dict"]

_F = FieldDescriptor
_INT64_TYPES = frozenset({_F.TYPE_INT64, _F.TYPE_UINT64, _F.TYPE_SINT64, _F.TYPE_FIXED64,
                          _F.TYPE_SFIXED64})
_FLOAT_MAX = float.fromhex("0x1.fffffep+127")
_WRAPPERS_FILE = "google/protobuf/wrappers.proto"
_JSON_STRING_WKT = ("google.protobuf.Duration", "google.protobuf.Timestamp",
                    "google.protobuf.FieldMask")


class PrintError(ValueError):
    """A message that has no proto3-JSON form (json_format raises too): NaN or infinity in a
    ``google.protobuf.Value``."""


class EncodeError(ValueError):
    """A dict that does not describe a message of the class; ``path`` is a JSON pointer."""

    def __init__(self, reason: str, path: list[str] | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.parts: list[str] = path or []

    @property
    def path(self) -> str:
        return "".join("/" + p.replace("~", "~0").replace("/", "~1")
                       for p in reversed(self.parts))

    def within(self, key: object) -> EncodeError:
        self.parts.append(str(key))
        return self

    def __str__(self) -> str:
        return f"{self.reason} at {self.path or '/'}"


# ---- messages to dicts ---------------------------------------------------------------------

Printer = Callable[[Any], Any]
_PRINTERS: dict[Descriptor, Printer] = {}


def to_dict(msg: Any) -> Any:
    """The canonical proto3-JSON form of ``msg``: ``json_format.MessageToDict(msg)`` (a dict,
    or for a bare well-known type its JSON value). Raises ``PrintError`` where json_format
    raises (NaN or infinity in a ``google.protobuf.Value``)."""
    return _printer(msg.DESCRIPTOR)(msg)


def _printer(desc: Descriptor) -> Printer:
    p = _PRINTERS.get(desc)
    if p is None:
        p = _PRINTERS[desc] = _make_printer(desc)
    return p


def _make_printer(desc: Descriptor) -> Printer:
    name = desc.full_name
    if desc.file.name == _WRAPPERS_FILE:
        conv = _scalar_printer(desc.fields_by_name["value"])
        if conv is None:
            return _wrapper_identity
        return lambda m: conv(m.value)
    if name in _JSON_STRING_WKT:
        return _to_json_string
    if name == "google.protobuf.Struct":
        return _print_struct
    if name == "google.protobuf.Value":
        return _print_value
    if name == "google.protobuf.ListValue":
        return _print_list_value
    if name == "google.protobuf.Any":
        return _print_any
    return _regular_printer()


def _regular_printer() -> Printer:
    # the plan is filled per field the first time a message of the type has it set: cheap for
    # types with many fields of which few are used, and no recursion for recursive types
    plan: dict[FieldDescriptor, tuple[str, Printer | None]] = {}

    def print_message(msg: Any) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f, v in msg.ListFields():
            e = plan.get(f)
            if e is None:
                e = plan[f] = _field_printer(f)
            name, conv = e
            out[name] = v if conv is None else conv(v)
        return out

    return print_message


def _field_printer(f: FieldDescriptor) -> tuple[str, Printer | None]:
    name = f"[{f.full_name}]" if f.is_extension else f.json_name
    mt = f.message_type
    if mt is not None and mt.GetOptions().map_entry:
        kf, vf = mt.fields_by_name["key"], mt.fields_by_name["value"]
        vconv = _value_printer(vf)
        if kf.type == _F.TYPE_BOOL:
            def key(k: Any) -> str:
                return "true" if k else "false"
        elif kf.type == _F.TYPE_STRING:
            key = _identity
        else:
            key = str
        if key is _identity:
            if vconv is None:
                return name, dict
            return name, lambda m: {k: vconv(x) for k, x in m.items()}
        if vconv is None:
            return name, lambda m: {key(k): x for k, x in m.items()}
        return name, lambda m: {key(k): vconv(x) for k, x in m.items()}
    conv = _value_printer(f)
    if f.is_repeated:
        if conv is None:
            return name, list
        return name, lambda vs: [conv(x) for x in vs]
    return name, conv


def _identity(v: Any) -> Any:
    return v


def _wrapper_identity(m: Any) -> Any:
    return m.value


def _value_printer(f: FieldDescriptor) -> Printer | None:
    """The converter of one value of field ``f`` (None: the value as it is)."""
    if f.message_type is not None:
        return _printer(f.message_type)
    return _scalar_printer(f)


def _scalar_printer(f: FieldDescriptor) -> Printer | None:
    t = f.type
    if t in _INT64_TYPES:
        return str
    if t == _F.TYPE_DOUBLE:
        return _print_double
    if t == _F.TYPE_FLOAT:
        return _print_float
    if t == _F.TYPE_BYTES:
        return _print_bytes
    if t == _F.TYPE_ENUM:
        return _enum_printer(f.enum_type)
    return None  # string, bool, 32-bit integers: as they are


def _print_double(v: float) -> float | str:
    if math.isinf(v):
        return "-Infinity" if v < 0 else "Infinity"
    if math.isnan(v):
        return "NaN"
    return v


def _print_float(v: float) -> float | str:
    if math.isinf(v):
        return "-Infinity" if v < 0 else "Infinity"
    if math.isnan(v):
        return "NaN"
    from google.protobuf.internal.type_checkers import ToShortestFloat

    return ToShortestFloat(v)  # type: ignore[no-any-return]


def _print_bytes(v: bytes) -> str:
    return base64.b64encode(v).decode("utf-8")


def _enum_printer(enum: EnumDescriptor) -> Printer:
    if enum.full_name == "google.protobuf.NullValue":
        return lambda v: None
    names = _json_enum_names(enum)
    if enum.is_closed:
        def closed(v: int) -> str:
            n = names.get(v)
            if n is None:
                raise PrintError(f"enum {enum.full_name} has no value {v}")
            return n
        return closed
    return lambda v: names.get(v, v)  # an open enum's unknown number: the number


def _json_enum_names(enum: EnumDescriptor) -> dict[int, str]:
    """Number → JSON name; json_format takes the first value of a number, or the
    ``pb.enumvalue.json`` option's string where a value has one."""
    ext = _enum_json_extension()
    names: dict[int, str] = {}
    for number, ev in enum.values_by_number.items():
        name = ev.name
        if ext is not None:
            opts = ev.GetOptions()
            if opts.HasExtension(ext):
                name = opts.Extensions[ext].string
        names[number] = name
    return names


def _enum_json_extension() -> Any:
    try:
        return descriptor_pool.Default().FindExtensionByName("pb.enumvalue.json")
    except KeyError:
        return None


def _to_json_string(m: Any) -> Any:
    return m.ToJsonString()


def _print_struct(m: Any) -> dict[str, Any]:
    return {k: _print_value(v) for k, v in m.fields.items()}


def _print_list_value(m: Any) -> list[Any]:
    return [_print_value(v) for v in m.values]


def _print_value(m: Any) -> Any:
    which = m.WhichOneof("kind")
    if which == "string_value":
        return m.string_value
    if which == "number_value":
        v = m.number_value
        if math.isinf(v) or math.isnan(v):
            raise PrintError(f"{v} in a google.protobuf.Value has no JSON form")
        return v
    if which == "struct_value":
        return _print_struct(m.struct_value)
    if which == "bool_value":
        return m.bool_value
    if which == "list_value":
        return _print_list_value(m.list_value)
    return None  # null_value, or nothing set


def _print_any(m: Any) -> Any:
    from google.protobuf import json_format

    return json_format.MessageToDict(m)


# ---- dicts to bytes ------------------------------------------------------------------------

Writer = Callable[[Any], bytes]  # a message's dict (or JSON value) → the message's bytes
_WRITERS: dict[Descriptor, Writer] = {}
_SMALL = [bytes((i,)) for i in range(128)]
_MASK64 = (1 << 64) - 1
_pack_d = struct.Struct("<d").pack
_pack_f = struct.Struct("<f").pack
_pack_i = struct.Struct("<I").pack
_pack_q = struct.Struct("<Q").pack


def encode(canonical: Any, message_class: Any) -> bytes:
    """The deterministic serialization of the message of ``message_class`` that ``canonical``
    describes: ``json_format.ParseDict(canonical, message_class()).SerializeToString(
    deterministic=True)``. Raises ``EncodeError`` for a dict that describes no such message."""
    return _writer(message_class.DESCRIPTOR)(canonical)


def _varint(n: int) -> bytes:
    if 0 <= n < 128:
        return _SMALL[n]
    n &= _MASK64  # negative numbers: ten bytes of two's complement, as protobuf writes them
    out = bytearray()
    while n > 127:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def _tag(number: int, wire_type: int) -> bytes:
    return _varint((number << 3) | wire_type)


def _writer(desc: Descriptor) -> Writer:
    w = _WRITERS.get(desc)
    if w is None:
        w = _WRITERS[desc] = _make_writer(desc)
    return w


def _make_writer(desc: Descriptor) -> Writer:
    name = desc.full_name
    if desc.file.name == _WRAPPERS_FILE:
        # the value field has implicit presence: a wrapper of the default value is empty
        return _field_writer(desc.fields_by_name["value"])[1]
    if name in _JSON_STRING_WKT or name == "google.protobuf.Any":
        return _json_string_writer(desc)
    if name == "google.protobuf.Struct":
        return _write_struct
    if name == "google.protobuf.Value":
        return _write_value
    if name == "google.protobuf.ListValue":
        return _write_list_value
    return _regular_writer(desc)


# field number, writer of the field's bytes, oneof index (0: none), and for the proto name of a
# field whose json name differs, the json name (both given is an error; json_format would keep
# the last one)
_FieldPlan = tuple[int, Writer, int, "str | None"]


def _regular_writer(desc: Descriptor) -> Writer:
    plan: dict[str, _FieldPlan] = {}
    null_ok: set[str] = set()  # keys whose null sets a value (google.protobuf.Value, NullValue)
    built = False

    def build() -> None:
        nonlocal built
        oneofs = {o.full_name: i + 1 for i, o in enumerate(desc.oneofs)}
        for f in desc.fields:
            number, w = _field_writer(f)
            o = f.containing_oneof
            oneof = oneofs[o.full_name] if o is not None else 0
            plan[f.json_name] = (number, w, oneof, None)
            if f.name != f.json_name:
                plan[f.name] = (number, w, oneof, f.json_name)
            for key in (f.json_name, f.name):
                if ((f.message_type is not None
                     and f.message_type.full_name == "google.protobuf.Value")
                        or (f.enum_type is not None
                            and f.enum_type.full_name == "google.protobuf.NullValue")):
                    null_ok.add(key)
        built = True

    def write_message(d: Any) -> bytes:
        if not built:
            build()
        if type(d) is not dict:
            if not isinstance(d, dict):
                raise EncodeError(f"a {desc.full_name} must be a JSON object, not "
                                  f"{_json_type(d)}")
        parts: list[tuple[int, bytes]] = []
        prev = 0
        in_order = True
        oneofs = 0
        key: Any = None
        try:
            for key, v in d.items():
                e = plan.get(key)
                if e is None:
                    raise EncodeError(f"{desc.full_name} has no field {key!r}")
                number, w, oneof, other = e
                if other is not None and other in d:
                    raise EncodeError(f"{desc.full_name} field {other!r} given twice, also as "
                                      f"{key!r}")
                if v is None and key not in null_ok:
                    continue  # json_format: null clears a field
                if oneof:
                    bit = 1 << oneof
                    if oneofs & bit:
                        raise EncodeError(f"two members of one oneof of {desc.full_name}")
                    oneofs |= bit
                b = w(v)
                if b:
                    if number <= prev:
                        in_order = False
                    prev = number
                    parts.append((number, b))
        except EncodeError as err:
            raise err.within(key) from None
        except (ValueError, TypeError, OverflowError) as err:
            raise EncodeError(str(err), [str(key)]) from None
        if in_order:
            return b"".join([b for _, b in parts])
        parts.sort(key=_first)
        return b"".join([b for _, b in parts])

    return write_message


def _first(p: tuple[int, bytes]) -> int:
    return p[0]


def _json_type(v: Any) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "a boolean"
    if isinstance(v, (int, float)):
        return "a number"
    if isinstance(v, str):
        return "a string"
    if isinstance(v, (list, tuple)):
        return "an array"
    if isinstance(v, dict):
        return "an object"
    return type(v).__name__


def _field_writer(f: FieldDescriptor) -> tuple[int, Writer]:
    """(number, the bytes of field ``f`` holding a JSON value: tag and value, or b"" when an
    implicit-presence field holds its default)."""
    number = f.number
    mt = f.message_type
    if mt is not None and mt.GetOptions().map_entry:
        return number, _map_writer(f)
    if f.is_repeated:
        return number, _repeated_writer(f)
    conv, wire = _scalar_conv(f) if mt is None else (_writer(mt), 2)
    tag = _tag(number, wire)
    if mt is not None:
        def write_message_field(v: Any) -> bytes:
            b = conv(v)
            return tag + _varint(len(b)) + b
        return number, write_message_field
    implicit = not f.has_presence
    if wire == 2:  # string, bytes
        if implicit:
            def write_len(v: Any) -> bytes:
                b = conv(v)
                return tag + _varint(len(b)) + b if b else b""
        else:
            def write_len(v: Any) -> bytes:
                b = conv(v)
                return tag + _varint(len(b)) + b
        return number, write_len
    if implicit:
        def write_scalar(v: Any) -> bytes:
            b = conv(v)
            return b"" if _is_zero(b) else tag + b
        return number, write_scalar
    return number, lambda v: tag + conv(v)


def _is_zero(b: bytes) -> bool:
    return not b.strip(b"\0")


def _repeated_writer(f: FieldDescriptor) -> Writer:
    mt = f.message_type
    name = f.name
    if mt is not None:
        sub = _writer(mt)
        tag = _tag(f.number, 2)
        null_ok = mt.full_name == "google.protobuf.Value"

        def write_messages(vs: Any) -> bytes:
            _check_list(vs, name)
            out = []
            i = 0
            try:
                for i, v in enumerate(vs):
                    if v is None and not null_ok:
                        raise EncodeError("null is not allowed in a repeated field")
                    b = sub(v)
                    out.append(tag)
                    out.append(_varint(len(b)))
                    out.append(b)
            except EncodeError as err:
                raise err.within(i) from None
            return b"".join(out)
        return write_messages
    conv, wire = _scalar_conv(f)
    if wire == 2 or not f.is_packed:
        tag = _tag(f.number, wire)
        length = wire == 2

        def write_each(vs: Any) -> bytes:
            _check_list(vs, name)
            out = []
            for i, v in enumerate(vs):
                if v is None:
                    raise EncodeError("null is not allowed in a repeated field", [str(i)])
                b = conv(v)
                out.append(tag)
                if length:
                    out.append(_varint(len(b)))
                out.append(b)
            return b"".join(out)
        return write_each
    tag = _tag(f.number, 2)

    def write_packed(vs: Any) -> bytes:
        _check_list(vs, name)
        if not vs:
            return b""
        for i, v in enumerate(vs):
            if v is None:
                raise EncodeError("null is not allowed in a repeated field", [str(i)])
        b = b"".join([conv(v) for v in vs])
        return tag + _varint(len(b)) + b
    return write_packed


def _check_list(vs: Any, name: str) -> None:
    if not isinstance(vs, (list, tuple)):
        raise EncodeError(f"repeated field {name} must be a JSON array, not {_json_type(vs)}")


def _map_writer(f: FieldDescriptor) -> Writer:
    entry = f.message_type
    kf, vf = entry.fields_by_name["key"], entry.fields_by_name["value"]
    tag = _tag(f.number, 2)
    kconv, kwire = _scalar_conv(kf, key=True)
    ktag = _tag(1, kwire)
    if vf.message_type is not None:
        vconv: Writer = _writer(vf.message_type)
        vwire = 2
    else:
        vconv, vwire = _scalar_conv(vf)
    vtag = _tag(2, vwire)
    klen, vlen = kwire == 2, vwire == 2
    null_ok = vf.message_type is not None and vf.message_type.full_name == "google.protobuf.Value"
    kt = kf.type
    name = f.name

    def write_map(m: Any) -> bytes:
        if not isinstance(m, dict):
            raise EncodeError(f"map field {name} must be a JSON object, not {_json_type(m)}")
        entries: list[tuple[Any, bytes, Any, Any]] = []
        k: Any = None
        try:
            for k, v in m.items():
                if v is None and not null_ok:
                    raise EncodeError("null is not allowed as a map value")
                kb = kconv(k)
                entries.append((_map_key(kt, kb, k), kb, k, v))
            entries.sort(key=_first_any)
            if kt != _F.TYPE_STRING:  # "1" and "01" are one integer key
                for i in range(1, len(entries)):
                    if entries[i][0] == entries[i - 1][0]:
                        k = entries[i][2]
                        raise EncodeError("a map key given twice")
            out = []
            for _, kb, k, v in entries:
                vb = vconv(v)
                body = (ktag + _varint(len(kb)) + kb if klen else ktag + kb) + \
                    (vtag + _varint(len(vb)) + vb if vlen else vtag + vb)
                out.append(tag)
                out.append(_varint(len(body)))
                out.append(body)
        except EncodeError as err:
            raise err.within(k) from None
        except (ValueError, TypeError, OverflowError) as err:
            raise EncodeError(str(err), [str(k)]) from None
        return b"".join(out)
    return write_map


def _first_any(t: tuple[Any, bytes, Any, Any]) -> Any:
    return t[0]


def _map_key(kt: int, kb: bytes, k: Any) -> Any:
    """The sort key of a map entry in upb's deterministic order: integer keys by value, bool keys
    false first; string keys by their UTF-8 bytes, except that a key that begins another comes
    after it ("ab" before "a", "" last: upb compares the common prefix, then puts the longer
    first). 0xff never occurs in UTF-8, so appending it gives that order."""
    if kt == _F.TYPE_STRING:
        return kb + b"\xff"
    if kt == _F.TYPE_BOOL:
        return kb
    return int(k)


# ---- scalars ---------------------------------------------------------------------------------

_RANGES = {
    _F.TYPE_INT32: (-(1 << 31), (1 << 31) - 1), _F.TYPE_SINT32: (-(1 << 31), (1 << 31) - 1),
    _F.TYPE_SFIXED32: (-(1 << 31), (1 << 31) - 1), _F.TYPE_UINT32: (0, (1 << 32) - 1),
    _F.TYPE_FIXED32: (0, (1 << 32) - 1), _F.TYPE_INT64: (-(1 << 63), (1 << 63) - 1),
    _F.TYPE_SINT64: (-(1 << 63), (1 << 63) - 1), _F.TYPE_SFIXED64: (-(1 << 63), (1 << 63) - 1),
    _F.TYPE_UINT64: (0, (1 << 64) - 1), _F.TYPE_FIXED64: (0, (1 << 64) - 1),
}


def _scalar_conv(f: FieldDescriptor, key: bool = False) -> tuple[Callable[[Any], bytes], int]:
    """(JSON value → the value's bytes without tag, wire type) for a scalar field; ``key``: a
    map key, which JSON writes as a string."""
    t = f.type
    if t == _F.TYPE_STRING:
        return _string_bytes, 2
    if t == _F.TYPE_BYTES:
        return _bytes_bytes, 2
    if t == _F.TYPE_BOOL:
        return (_bool_key_bytes if key else _bool_bytes), 0
    if t == _F.TYPE_ENUM:
        return _enum_conv(f.enum_type), 0
    if t == _F.TYPE_DOUBLE:
        return (lambda v: _pack_d(_float(v))), 1
    if t == _F.TYPE_FLOAT:
        return (lambda v: _pack_f(_float32(v))), 5
    lo, hi = _RANGES[t]

    def integer(v: Any) -> int:
        n = v if type(v) is int else _int(v)
        if not lo <= n <= hi:
            raise EncodeError(f"{n} is out of range for {f.full_name}")
        return n

    if t in (_F.TYPE_INT32, _F.TYPE_INT64, _F.TYPE_UINT32, _F.TYPE_UINT64):
        return (lambda v: _varint(integer(v))), 0
    if t in (_F.TYPE_SINT32, _F.TYPE_SINT64):
        bits = 31 if t == _F.TYPE_SINT32 else 63
        return (lambda v: _varint(_zigzag(integer(v), bits))), 0
    if t in (_F.TYPE_FIXED32, _F.TYPE_SFIXED32):
        return (lambda v: _pack_i(integer(v) & 0xFFFFFFFF)), 5
    return (lambda v: _pack_q(integer(v) & _MASK64)), 1  # fixed64, sfixed64


def _zigzag(n: int, bits: int) -> int:
    return (n << 1) ^ (n >> bits)


def _string_bytes(v: Any) -> bytes:
    if type(v) is not str and not isinstance(v, str):
        raise EncodeError(f"expected a string, not {_json_type(v)}")
    return v.encode("utf-8")  # an unpaired surrogate raises, as json_format does


def _bytes_bytes(v: Any) -> bytes:
    if isinstance(v, str):
        b = v.encode("utf-8")
    elif isinstance(v, bytes):
        b = v
    else:
        raise EncodeError(f"expected base64 text, not {_json_type(v)}")
    return base64.urlsafe_b64decode(b + b"=" * (4 - len(b) % 4))  # as json_format reads it


def _bool_bytes(v: Any) -> bytes:
    if v is True:
        return b"\x01"
    if v is False:
        return b"\x00"
    raise EncodeError(f"expected true or false, not {_json_type(v)}")


def _bool_key_bytes(v: Any) -> bytes:
    if v == "true":
        return b"\x01"
    if v == "false":
        return b"\x00"
    raise EncodeError(f'expected "true" or "false", not {v!r}')


def _int(v: Any) -> int:
    """An integer as json_format reads one: a number with no fraction or its text."""
    if isinstance(v, bool):
        raise EncodeError("a boolean is not an integer")
    if isinstance(v, float):
        if not v.is_integer():
            raise EncodeError(f"{v} is not an integer")
        return int(v)
    if isinstance(v, str):
        if " " in v:
            raise EncodeError(f"{v!r} is not an integer")
        try:
            return int(v)
        except ValueError:
            x = float(v)  # '1e3'; raises for text that is no number
            if not x.is_integer():
                raise EncodeError(f"{v!r} is not an integer") from None
            return int(x)
    if isinstance(v, int):
        return v
    raise EncodeError(f"expected an integer, not {_json_type(v)}")


def _float(v: Any) -> float:
    """A double as json_format reads one: a number, or text ("1.5", "NaN", "-Infinity")."""
    if type(v) is float:
        if math.isnan(v) or math.isinf(v):
            raise EncodeError(f'{v} must be quoted ("NaN", "Infinity", "-Infinity")')
        return v
    if v == "nan":
        raise EncodeError('"nan" must be spelled "NaN"')
    if v is None or isinstance(v, (list, dict)):
        raise EncodeError(f"expected a number, not {_json_type(v)}")
    return float(v)


def _float32(v: Any) -> float:
    x = _float(v)
    if type(v) is float and (x > _FLOAT_MAX or x < -_FLOAT_MAX):
        raise EncodeError(f"{v} is out of range for a float")
    return x


def _enum_conv(enum: EnumDescriptor) -> Callable[[Any], bytes]:
    numbers: dict[str, int] = {ev.name: ev.number for ev in enum.values}
    ext = _enum_json_extension()
    if ext is not None:
        for ev in enum.values:
            opts = ev.GetOptions()
            if opts.HasExtension(ext):
                custom = opts.Extensions[ext]
                if custom.HasField("string"):
                    numbers.setdefault(custom.string, ev.number)
    known = set(enum.values_by_number)
    by_name = {k: _varint(n) for k, n in numbers.items()}
    full = enum.full_name
    closed = enum.is_closed
    if full == "google.protobuf.NullValue":
        by_name[None] = b"\x00"  # type: ignore[index]

    def enum_bytes(v: Any) -> bytes:
        b = by_name.get(v) if v is None or isinstance(v, str) else None
        if b is not None:
            return b
        try:
            n = int(v)  # json_format takes a number, or its text, for an enum
        except (TypeError, ValueError):
            raise EncodeError(f"{v!r} is not a value of enum {full}") from None
        if closed and n not in known:
            raise EncodeError(f"{v!r} is not a value of enum {full}")
        if not -(1 << 31) <= n < (1 << 31):
            raise EncodeError(f"{n} is out of range for enum {full}")
        return _varint(n)
    return enum_bytes


# ---- well-known types ------------------------------------------------------------------------

def _json_string_writer(desc: Descriptor) -> Writer:
    """Duration, Timestamp, FieldMask and Any: parsed by json_format (they are rare), then
    serialized; their bytes are the same wherever they sit."""
    from google.protobuf import json_format, message_factory

    cls = message_factory.GetMessageClass(desc)

    def write(v: Any) -> bytes:
        try:
            msg = json_format.ParseDict(v, cls())
        except json_format.ParseError as err:
            raise EncodeError(str(err)) from None
        return msg.SerializeToString(deterministic=True)  # type: ignore[no-any-return]
    return write


_STRUCT_TAG = _tag(1, 2)  # Struct.fields (map<string, Value>), ListValue.values
_ENTRY_KEY_TAG = _tag(1, 2)
_ENTRY_VALUE_TAG = _tag(2, 2)


def _write_struct(v: Any) -> bytes:
    if not isinstance(v, dict):
        raise EncodeError(f"a google.protobuf.Struct must be a JSON object, not {_json_type(v)}")
    out = []
    k: Any = None
    try:
        entries = []
        for k in v:
            kb = _string_bytes(k)
            entries.append((kb + b"\xff", kb, k))  # upb's order: see _map_key
        entries.sort(key=_first_bytes)
        for _, kb, k in entries:
            vb = _write_value(v[k])
            body = _ENTRY_KEY_TAG + _varint(len(kb)) + kb + _ENTRY_VALUE_TAG + \
                _varint(len(vb)) + vb
            out.append(_STRUCT_TAG)
            out.append(_varint(len(body)))
            out.append(body)
    except EncodeError as err:
        raise err.within(k) from None
    return b"".join(out)


def _first_bytes(t: tuple[bytes, bytes, str]) -> bytes:
    return t[0]


def _write_list_value(v: Any) -> bytes:
    if not isinstance(v, (list, tuple)):
        raise EncodeError(f"a google.protobuf.ListValue must be a JSON array, not "
                          f"{_json_type(v)}")
    out = []
    i = 0
    try:
        for i, x in enumerate(v):
            b = _write_value(x)
            out.append(_STRUCT_TAG)
            out.append(_varint(len(b)))
            out.append(b)
    except EncodeError as err:
        raise err.within(i) from None
    return b"".join(out)


def _write_value(v: Any) -> bytes:
    """A google.protobuf.Value (its oneof member always written, as presence requires)."""
    if isinstance(v, dict):
        b = _write_struct(v)
        return b"\x2a" + _varint(len(b)) + b  # struct_value = 5
    if isinstance(v, (list, tuple)):
        b = _write_list_value(v)
        return b"\x32" + _varint(len(b)) + b  # list_value = 6
    if v is None:
        return b"\x08\x00"  # null_value = 1
    if isinstance(v, bool):
        return b"\x20\x01" if v else b"\x20\x00"  # bool_value = 4
    if isinstance(v, str):
        b = _string_bytes(v)
        return b"\x1a" + _varint(len(b)) + b  # string_value = 3
    if isinstance(v, (int, float)):
        return b"\x11" + _pack_d(float(v))  # number_value = 2
    raise EncodeError(f"a google.protobuf.Value cannot hold {_json_type(v)}")
