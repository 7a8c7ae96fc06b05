"""Protobuf messages to canonical proto3 JSON, and back, without json_format's generic walk.

``to_dict(msg)`` equals ``json_format.MessageToDict(msg)`` (with every protobuf map's keys in
sorted order); ``from_dict(d, cls)`` builds the
message ``json_format.ParseDict(d, cls())`` builds, and ``encode(d, cls)`` is its
``SerializeToString(deterministic=True)``, byte for byte (tests/test_protojson.py checks all
three on every message specc reads or writes, and on generated ones). json_format looks up every
field's kind, name and converter in the descriptor each time it meets it; here each message type
gets a plan the first time it is met (per field: json name, how to convert, how to set), kept for
the life of the process:

- ``to_dict`` walks ``msg.ListFields()`` (the fields that are set, in field-number order, as
  json_format walks them) and converts each value with its field's converter;
- ``from_dict`` sets each field through the generated class (``setattr``, ``add()``, map
  ``update``) with json_format's conversions (enum names, int64 text, base64 bytes, "NaN",
  well-known types), and makes a message field present even when its dict is empty, as
  json_format does; protobuf itself then serializes it (field order, packing, map order, default
  values). Writing the wire format in Python instead was measured too: 1.4-2x slower than this.

Well-known types are read and written as json_format does: Duration, Timestamp and FieldMask
through their own JSON methods, Struct / Value / ListValue as plain JSON, wrappers as their
value, Any through json_format itself (flyteidl has one, rarely set). A dict that does not
describe a message of the class (an unknown key, a value of the wrong JSON type, two members of
one oneof, a field in both spellings) raises ``EncodeError`` with the JSON pointer of the
offending value: the dicts come from specc, so that is a bug, never a message built anyway.
Where json_format itself refuses a message (NaN in a ``google.protobuf.Value``) ``to_dict``
raises ``PrintError``.

Imports nothing from specc.
"""
from __future__ import annotations

import base64
import math
from collections.abc import Callable
from typing import Any

from google.protobuf import descriptor_pool
from google.protobuf.descriptor import Descriptor, EnumDescriptor, FieldDescriptor

__all__ = ["EncodeError", "PrintError", "encode", "from_dict", "to_dict"]

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
        # keys in sorted order: a decoded message's maps iterate in an order that differs from
        # one process to the next, and specc's output must not
        if kf.type == _F.TYPE_STRING:
            if vconv is None:
                return name, lambda m: {k: m[k] for k in sorted(m)}
            return name, lambda m: {k: vconv(m[k]) for k in sorted(m)}
        key: Callable[[Any], str] = _bool_key_text if kf.type == _F.TYPE_BOOL else str
        if vconv is None:
            return name, lambda m: dict(sorted((key(k), x) for k, x in m.items()))
        return name, lambda m: {k: vconv(x)
                                for k, x in sorted((key(k), x) for k, x in m.items())}
    conv = _value_printer(f)
    if f.is_repeated:
        if conv is None:
            return name, list
        return name, lambda vs: [conv(x) for x in vs]
    return name, conv


def _bool_key_text(k: bool) -> str:
    return "true" if k else "false"


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

    shortest: float = ToShortestFloat(v)
    return shortest


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

    try:
        return json_format.MessageToDict(m)
    except (json_format.Error, TypeError, ValueError) as err:  # a type url the pool lacks
        raise PrintError(f"google.protobuf.Any: {err}") from None


# ---- dicts to messages ---------------------------------------------------------------------

# (an empty message, its JSON value, its depth: 1 for the root) → the message filled; whether
# that made it present in its parent (a field set; not so when only empty lists, empty maps or
# nulls were given)
Filler = Callable[[Any, Any, int], bool]
# (a message, a repeated or map field's JSON value, the message's depth) → the field set
Setter = Callable[[Any, Any, int], None]
# json_format.ParseDict's max_recursion_depth: deeper messages are refused (protobuf's parser
# would refuse them too)
MAX_DEPTH = 100
_FILLERS: dict[Descriptor, Filler] = {}


def from_dict(canonical: Any, message_class: Any) -> Any:
    """The message of ``message_class`` that ``canonical`` describes: what
    ``json_format.ParseDict(canonical, message_class())`` returns. Raises ``EncodeError`` for a
    value that describes no such message."""
    msg = message_class()
    _filler(msg.DESCRIPTOR)(msg, canonical, 1)
    return msg


def encode(canonical: Any, message_class: Any) -> bytes:
    """The deterministic serialization of the message of ``message_class`` that ``canonical``
    describes: ``json_format.ParseDict(canonical, message_class()).SerializeToString(
    deterministic=True)``, byte for byte (the same message, serialized by protobuf itself).
    Raises ``EncodeError`` for a value that describes no such message."""
    msg = message_class()
    _filler(msg.DESCRIPTOR)(msg, canonical, 1)
    data: bytes = msg.SerializeToString(deterministic=True)
    return data


def _filler(desc: Descriptor) -> Filler:
    f = _FILLERS.get(desc)
    if f is None:
        f = _FILLERS[desc] = _make_filler(desc)
    return f


def _make_filler(desc: Descriptor) -> Filler:
    name = desc.full_name
    if desc.file.name == _WRAPPERS_FILE:
        conv = _scalar_conv(desc.fields_by_name["value"])

        def fill_wrapper(msg: Any, v: Any, depth: int) -> bool:
            if depth > MAX_DEPTH:
                raise _too_deep()
            msg.value = conv(v)
            return True
        return fill_wrapper
    if name in _JSON_STRING_WKT:
        return _fill_json_string
    if name == "google.protobuf.Struct":
        return _fill_struct
    if name == "google.protobuf.Value":
        return _fill_value
    if name == "google.protobuf.ListValue":
        return _fill_list_value
    if name == "google.protobuf.Any":
        return _fill_any
    return _regular_filler(desc)


# How the fill loop sets a field: inline for the common kinds, through a function for the others.
_STRING, _MESSAGE, _SCALAR, _CONTAINER, _WKT = 0, 1, 2, 3, 4
# (kind, attribute name, converter / filler / setter, oneof bit (0: none), and for the proto name
# of a field whose json name differs, that json name: both spellings given is an error, where
# json_format would keep the last)
_FieldPlan = tuple[int, str, Any, int, "str | None"]


def _regular_filler(desc: Descriptor) -> Filler:
    plan: dict[str, _FieldPlan] = {}
    null_ok: set[str] = set()  # keys whose null sets a value (google.protobuf.Value, NullValue)

    def build() -> None:
        oneofs = {o.full_name: 1 << i for i, o in enumerate(desc.oneofs)}
        for f in desc.fields:
            kind, fn = _field_plan(f)
            o = f.containing_oneof
            bit = oneofs[o.full_name] if o is not None else 0
            plan[f.json_name] = (kind, f.name, fn, bit, None)
            if f.name != f.json_name:
                plan[f.name] = (kind, f.name, fn, bit, f.json_name)
            if ((f.message_type is not None and not f.is_repeated
                 and f.message_type.full_name == "google.protobuf.Value")
                    or (f.enum_type is not None
                        and f.enum_type.full_name == "google.protobuf.NullValue")):
                null_ok.update((f.json_name, f.name))

    def fill_message(msg: Any, d: Any, depth: int) -> bool:
        if not plan:
            build()
        if depth > MAX_DEPTH:
            raise _too_deep()
        if type(d) is not dict and not isinstance(d, dict):
            raise EncodeError(f"a {desc.full_name} must be a JSON object, not {_json_type(d)}")
        present = False
        oneofs = 0
        key: Any = None
        try:
            for key, v in d.items():
                try:
                    kind, name, fn, bit, other = plan[key]
                except KeyError:
                    raise EncodeError(f"{desc.full_name} has no field {key!r}") from None
                if v is None and key not in null_ok:
                    continue  # json_format: null clears a field
                if bit:
                    if oneofs & bit:
                        raise EncodeError(f"two members of one oneof of {desc.full_name}")
                    oneofs |= bit
                if other is not None and other in d:
                    raise EncodeError(f"{desc.full_name} field {other!r} given twice, also as "
                                      f"{key!r}")
                if kind == _STRING:
                    setattr(msg, name, v if type(v) is str else _string(v))
                    present = True
                elif kind == _MESSAGE:
                    if v or type(v) is not dict or depth >= MAX_DEPTH:
                        sub = getattr(msg, name)
                        if not fn(sub, v, depth + 1):
                            sub.SetInParent()  # present though empty, as json_format does
                    else:  # {}: present and empty (pyflyte writes many)
                        getattr(msg, name).SetInParent()
                    present = True
                elif kind == _WKT:
                    sub = getattr(msg, name)
                    if not fn(sub, v, depth + 1):
                        sub.SetInParent()
                    present = True
                elif kind == _SCALAR:
                    setattr(msg, name, fn(v))
                    present = True
                else:
                    fn(msg, v, depth)
                    if v:
                        present = True  # an element added: the message is present
        except EncodeError as err:
            raise err.within(key) from None
        except (ValueError, TypeError, OverflowError) as err:  # protobuf refused a value
            raise EncodeError(str(err), [str(key)]) from None
        return present

    return fill_message


def _too_deep() -> EncodeError:
    return EncodeError(f"messages nested more than {MAX_DEPTH} deep (protobuf refuses them)")


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


def _field_plan(f: FieldDescriptor) -> tuple[int, Any]:
    """How the fill loop sets field ``f`` from its JSON value (not null), as json_format does."""
    mt = f.message_type
    if mt is not None and mt.GetOptions().map_entry:
        return _CONTAINER, _map_setter(f)
    if f.is_repeated:
        return _CONTAINER, _repeated_setter(f)
    if mt is not None:
        if mt.full_name.startswith("google.protobuf."):
            return _WKT, _filler(mt)
        return _MESSAGE, _filler(mt)
    if f.type == _F.TYPE_STRING:
        return _STRING, None
    return _SCALAR, _scalar_conv(f)


def _repeated_setter(f: FieldDescriptor) -> Setter:
    name = f.name
    mt = f.message_type
    if mt is not None:
        sub_filler = _filler(mt)
        null_ok = mt.full_name == "google.protobuf.Value"

        def set_messages(msg: Any, vs: Any, depth: int) -> None:
            if type(vs) is not list and not isinstance(vs, (list, tuple)):
                raise _not_list(name, vs)
            add = getattr(msg, name).add
            i = 0
            try:
                for x in vs:
                    if x is None and not null_ok:
                        raise EncodeError("null is not allowed in a repeated field")
                    sub_filler(add(), x, depth + 1)
                    i += 1
            except EncodeError as err:
                raise err.within(i) from None
        return set_messages
    if f.type == _F.TYPE_STRING:
        def set_strings(msg: Any, vs: Any, depth: int) -> None:
            if type(vs) is not list and not isinstance(vs, (list, tuple)):
                raise _not_list(name, vs)
            for i, x in enumerate(vs):
                if type(x) is not str:
                    _element(x, i, _string)
            getattr(msg, name).extend(vs)
        return set_strings
    conv = _scalar_conv(f)

    def set_scalars(msg: Any, vs: Any, depth: int) -> None:
        if type(vs) is not list and not isinstance(vs, (list, tuple)):
            raise _not_list(name, vs)
        getattr(msg, name).extend([_element(x, i, conv) for i, x in enumerate(vs)])
    return set_scalars


def _element(x: Any, i: int, conv: Callable[[Any], Any]) -> Any:
    if x is None:
        raise EncodeError("null is not allowed in a repeated field", [str(i)])
    try:
        return conv(x)
    except EncodeError as err:
        raise err.within(i) from None


def _not_list(name: str, v: Any) -> EncodeError:
    return EncodeError(f"repeated field {name} must be a JSON array, not {_json_type(v)}")


def _map_setter(f: FieldDescriptor) -> Setter:
    name = f.name
    entry = f.message_type
    kf, vf = entry.fields_by_name["key"], entry.fields_by_name["value"]
    kconv = _map_key_conv(kf)
    kstr = kf.type == _F.TYPE_STRING
    vt = vf.message_type

    def check(m: Any) -> None:
        if type(m) is not dict and not isinstance(m, dict):
            raise EncodeError(f"map field {name} must be a JSON object, not {_json_type(m)}")

    if vt is not None:
        sub_filler = _filler(vt)
        null_ok = vt.full_name == "google.protobuf.Value"

        def set_message_map(msg: Any, m: Any, depth: int) -> None:
            check(m)
            target = getattr(msg, name)
            k: Any = None
            try:
                for k, x in m.items():
                    if x is None and not null_ok:
                        raise EncodeError("null is not allowed as a map value")
                    sub_filler(target[k if kstr and type(k) is str else kconv(k)], x, depth + 1)
            except EncodeError as err:
                raise err.within(k) from None
        return set_message_map
    vconv = _scalar_conv(vf)

    def set_scalar_map(msg: Any, m: Any, depth: int) -> None:
        check(m)
        values = {}
        k: Any = None
        try:
            for k, x in m.items():
                if x is None:
                    raise EncodeError("null is not allowed as a map value")
                values[k if kstr and type(k) is str else kconv(k)] = vconv(x)
        except EncodeError as err:
            raise err.within(k) from None
        getattr(msg, name).update(values)
    return set_scalar_map


def _map_key_conv(kf: FieldDescriptor) -> Callable[[Any], Any]:
    """JSON writes map keys as strings: converted to the key field's type."""
    if kf.type == _F.TYPE_STRING:
        return _string
    if kf.type == _F.TYPE_BOOL:
        return _bool_key
    return _scalar_conv(kf)


# ---- scalars ---------------------------------------------------------------------------------

def _scalar_conv(f: FieldDescriptor) -> Callable[[Any], Any]:
    """JSON value → the Python value protobuf takes for scalar field ``f`` (json_format's
    conversions; protobuf itself checks the ranges of integers)."""
    t = f.type
    if t == _F.TYPE_STRING:
        return _string
    if t == _F.TYPE_BYTES:
        return _bytes
    if t == _F.TYPE_BOOL:
        return _bool
    if t == _F.TYPE_ENUM:
        return _enum_conv(f.enum_type)
    if t == _F.TYPE_DOUBLE:
        return _float
    if t == _F.TYPE_FLOAT:
        return _float32
    return _int


def _string(v: Any) -> str:
    # text only (protobuf would take bytes too); a surrogate code point protobuf refuses itself
    # (UnicodeEncodeError), where json_format refuses unpaired ones first
    if isinstance(v, str):
        return v
    raise EncodeError(f"expected a string, not {_json_type(v)}")


def _bytes(v: Any) -> bytes:
    if isinstance(v, str):
        b = v.encode("utf-8")
    elif isinstance(v, bytes):
        b = v
    else:
        raise EncodeError(f"expected base64 text, not {_json_type(v)}")
    return base64.urlsafe_b64decode(b + b"=" * (4 - len(b) % 4))  # as json_format reads it


def _bool(v: Any) -> bool:
    if v is True or v is False:
        return bool(v)
    raise EncodeError(f"expected true or false, not {_json_type(v)}")


def _bool_key(v: Any) -> bool:
    if v == "true":
        return True
    if v == "false":
        return False
    raise EncodeError(f'expected "true" or "false", not {v!r}')


def _int(v: Any) -> int:
    """An integer as json_format reads one: a number with no fraction, or its text."""
    if type(v) is int:
        return v
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
        return int(v)
    raise EncodeError(f"expected an integer, not {_json_type(v)}")


def _float(v: Any) -> float:
    """A double as json_format reads one: a number, or its text ("1.5", "NaN", "-Infinity")."""
    if isinstance(v, float):
        if math.isnan(v) or math.isinf(v):
            raise EncodeError(f'{v} must be quoted ("NaN", "Infinity", "-Infinity")')
        return v
    if v == "nan":
        raise EncodeError('"nan" must be spelled "NaN"')
    if v is None or isinstance(v, (list, dict)):
        raise EncodeError(f"expected a number, not {_json_type(v)}")
    return float(v)


def _float32(v: Any) -> float:
    if isinstance(v, float) and not math.isnan(v) and not -_FLOAT_MAX <= v <= _FLOAT_MAX:
        raise EncodeError(f"{v} is out of range for a float")
    return _float(v)


def _enum_conv(enum: EnumDescriptor) -> Callable[[Any], int]:
    numbers: dict[Any, int] = {ev.name: ev.number for ev in enum.values}
    ext = _enum_json_extension()
    if ext is not None:
        for ev in enum.values:
            opts = ev.GetOptions()
            if opts.HasExtension(ext):
                custom = opts.Extensions[ext]
                if custom.HasField("string"):
                    numbers.setdefault(custom.string, ev.number)
    known = set(enum.values_by_number)
    full = enum.full_name
    closed = enum.is_closed
    if full == "google.protobuf.NullValue":
        numbers[None] = 0

    def enum_number(v: Any) -> int:
        n = numbers.get(v) if v is None or isinstance(v, str) else None
        if n is not None:
            return n
        try:
            n = int(v)  # json_format takes a number, or its text, for an enum
        except (TypeError, ValueError):
            raise EncodeError(f"{v!r} is not a value of enum {full}") from None
        if closed and n not in known:
            raise EncodeError(f"{v!r} is not a value of enum {full}")
        return n
    return enum_number


# ---- well-known types ------------------------------------------------------------------------

def _fill_json_string(msg: Any, v: Any, depth: int) -> bool:
    """Duration, Timestamp, FieldMask: their own JSON parser, as json_format uses."""
    if depth > MAX_DEPTH:
        raise _too_deep()
    try:
        msg.FromJsonString(v)
    except (ValueError, TypeError, AttributeError) as err:
        raise EncodeError(f"{v!r} is no {msg.DESCRIPTOR.full_name}: {err}") from None
    return False  # the caller makes it present


def _fill_any(msg: Any, v: Any, depth: int) -> bool:
    from google.protobuf import json_format

    if depth > MAX_DEPTH:
        raise _too_deep()
    try:
        # ParseDict counts this Any as its depth 1
        json_format.ParseDict(v, msg, max_recursion_depth=MAX_DEPTH - depth + 1)
    except json_format.ParseError as err:
        raise EncodeError(str(err)) from None
    return False  # the caller makes it present


def _fill_struct(msg: Any, v: Any, depth: int) -> bool:
    if depth > MAX_DEPTH:
        raise _too_deep()
    if type(v) is not dict and not isinstance(v, dict):
        raise EncodeError(f"a google.protobuf.Struct must be a JSON object, not {_json_type(v)}")
    fields = msg.fields
    k: Any = None
    try:
        for k, x in v.items():
            _fill_value(fields[k], x, depth + 1)
    except EncodeError as err:
        raise err.within(k) from None
    except (ValueError, TypeError, OverflowError) as err:  # a key or value protobuf refused
        raise EncodeError(str(err) or type(err).__name__, [str(k)]) from None
    return bool(v)


def _fill_list_value(msg: Any, v: Any, depth: int) -> bool:
    if depth > MAX_DEPTH:
        raise _too_deep()
    if type(v) is not list and not isinstance(v, (list, tuple)):
        raise EncodeError(f"a google.protobuf.ListValue must be a JSON array, not "
                          f"{_json_type(v)}")
    add = msg.values.add
    i = 0
    try:
        for x in v:
            _fill_value(add(), x, depth + 1)
            i += 1
    except EncodeError as err:
        raise err.within(i) from None
    except (ValueError, TypeError, OverflowError) as err:  # a value protobuf refused
        raise EncodeError(str(err) or type(err).__name__, [str(i)]) from None
    return bool(v)


def _fill_value(msg: Any, v: Any, depth: int) -> bool:
    """A google.protobuf.Value from any JSON value, as json_format reads it."""
    if depth > MAX_DEPTH:
        raise _too_deep()
    if isinstance(v, dict):
        s = msg.struct_value
        s.SetInParent()
        _fill_struct(s, v, depth + 1)
    elif isinstance(v, (list, tuple)):
        lv = msg.list_value
        lv.SetInParent()
        _fill_list_value(lv, v, depth + 1)
    elif v is None:
        msg.null_value = 0
    elif isinstance(v, bool):
        msg.bool_value = v
    elif isinstance(v, str):
        msg.string_value = _string(v)
    elif isinstance(v, (int, float)):
        msg.number_value = v
    else:
        raise EncodeError(f"a google.protobuf.Value cannot hold {_json_type(v)}")
    return True
