"""The field-by-field difference of two canonical proto3-JSON values.

``changes(old, new)`` walks both values together and yields one ``Change`` per place where they
differ: a scalar that changed, or a whole field, list item or map entry present on one side only
(its content is not walked further). Lists of messages that carry a name (nodes by ``id``,
bindings by ``var``, resources by ``name``, environment variables by ``key``) are matched by that
name, so inserting a node reports one added node and not every later node as changed; other lists
of messages are matched by position, and lists of scalars (a container's ``args``) are compared
whole. An empty message or list counts as absent: canonical documents keep an empty message
(``fixedInputs: {}``) where another spelling of the same spec leaves it out.

Pure functions on plain data; nothing here knows of documents or diagnostics.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from specc.types import type_to_str

Part = str | int  # a JSON pointer token: a key, or a list index
Path = tuple[Part, ...]

# the fields of a core.Variable
_VARIABLE_FIELDS = frozenset({"type", "description", "artifactPartialId", "artifactTag"})
# the fields a named message is known by, in the order they are tried
_NAME_FIELDS = ("id", "var", "name", "key")


class _Missing:
    """The value of a field a side does not have."""

    _instance: _Missing | None = None

    def __new__(cls) -> _Missing:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


@dataclass(frozen=True)
class Change:
    """One difference. ``old_at``/``new_at``: where the value is in each side (None on the side
    that does not have it); ``anchor``: the nearest place that exists in NEW (``new_at`` when
    NEW has the value, else the closest container that does). ``label`` names the field for
    people: ``container.image``, ``nodes[train].inputs[epochs]``, ``args``."""

    label: str
    old: Any
    new: Any
    old_at: Path | None
    new_at: Path | None
    anchor: Path

    @property
    def kind(self) -> str:
        """'added', 'removed' or 'changed'."""
        if self.old is MISSING:
            return "added"
        if self.new is MISSING:
            return "removed"
        return "changed"


def is_empty(v: Any) -> bool:
    """Absent, or a message or list holding nothing but empty ones (the same thing as absent in
    a canonical document)."""
    if v is MISSING or v is None:
        return True
    if isinstance(v, dict):
        # a literal is a value even when all its fields are proto3 defaults (the integer 0)
        return not _is_literal(v) and all(is_empty(x) for x in v.values())
    if isinstance(v, list):
        return all(is_empty(x) for x in v)
    return False


def changes(old: Any, new: Any, skip: Callable[[Path], bool] | None = None) -> list[Change]:
    """Every difference between ``old`` and ``new``, in NEW's order (then what only OLD has).
    ``skip(path)`` leaves out a field and everything below it (``path``: the keys from the root,
    list items as their NEW index, or OLD's when NEW lacks them)."""
    out: list[Change] = []
    _walk(old, new, (), (), "", skip, out)
    return out


def _label(base: str, part: str) -> str:
    return f"{base}.{part}" if base else part


def _walk(old: Any, new: Any, old_at: Path, new_at: Path, label: str,
          skip: Callable[[Path], bool] | None, out: list[Change]) -> None:
    """Compare the values found at ``old_at`` and ``new_at`` (both present, or one empty)."""
    if skip is not None and skip(new_at if not is_empty(new) else old_at):
        return
    if is_empty(old) and is_empty(new):
        return
    if is_empty(old) or is_empty(new):
        parent = new_at if not is_empty(new) else new_at[:-1]
        out.append(Change(label or "(all)", MISSING if is_empty(old) else old,
                          MISSING if is_empty(new) else new,
                          None if is_empty(old) else old_at,
                          None if is_empty(new) else new_at, parent))
        return
    if isinstance(old, dict) and isinstance(new, dict) and not (_leaf(old) and _leaf(new)):
        keys = list(new) + [k for k in old if k not in new]
        for k in keys:
            o, n = old.get(k, MISSING), new.get(k, MISSING)
            _walk(o, n, (*old_at, k), (*new_at, k), _label(label, k), skip, out)
        return
    if isinstance(old, list) and isinstance(new, list) and not _scalars(old, new):
        key = _name_field(old, new)
        if key is not None:
            _walk_named(old, new, key, old_at, new_at, label, skip, out)
            return
        for i in range(max(len(old), len(new))):
            o = old[i] if i < len(old) else MISSING
            n = new[i] if i < len(new) else MISSING
            _walk(o, n, (*old_at, i), (*new_at, i), f"{label}[{i}]", skip, out)
        return
    if old != new:
        out.append(Change(label or "(all)", old, new, old_at, new_at, new_at))


def _walk_named(old: list[Any], new: list[Any], key: str, old_at: Path, new_at: Path,
                label: str, skip: Callable[[Path], bool] | None, out: list[Change]) -> None:
    old_index = {item[key]: i for i, item in enumerate(old)}
    new_names = set()
    for j, item in enumerate(new):
        name = item[key]
        new_names.add(name)
        i = old_index.get(name)
        _walk(old[i] if i is not None else MISSING, item,
              (*old_at, i if i is not None else j), (*new_at, j), f"{label}[{name}]", skip,
              out)
    for i, item in enumerate(old):
        name = item[key]
        if name not in new_names:
            # NEW has no such item: the change sits on the list itself there
            _walk(item, MISSING, (*old_at, i), (*new_at, len(new)), f"{label}[{name}]", skip,
                  out)


# a LiteralType or a Literal is compared and shown whole ('int' to 'int | none', 1000 to 5000),
# not by the fields of its encoding
_TYPE_KINDS = frozenset({"simple", "schema", "collectionType", "mapValueType", "blob", "enumType",
                         "structuredDatasetType", "unionType"})
_TYPE_FIELDS = _TYPE_KINDS | {"metadata", "annotation", "structure"}
_LITERAL_KINDS = frozenset({"scalar", "collection", "map", "offloadedMetadata"})
_LITERAL_FIELDS = _LITERAL_KINDS | {"hash", "metadata"}


def _is_type(v: dict[str, Any]) -> bool:
    return bool(v.keys() & _TYPE_KINDS) and v.keys() <= _TYPE_FIELDS


def _is_literal(v: dict[str, Any]) -> bool:
    return bool(v.keys() & _LITERAL_KINDS) and v.keys() <= _LITERAL_FIELDS


def _leaf(v: dict[str, Any]) -> bool:
    return _is_type(v) or _is_literal(v)


def _scalars(old: list[Any], new: list[Any]) -> bool:
    return all(not isinstance(v, (dict, list)) for v in (*old, *new))


def _name_field(old: list[Any], new: list[Any]) -> str | None:
    """The field every message of both lists has, unique within each list, if any."""
    items = [*old, *new]
    if not items or not all(isinstance(v, dict) for v in items):
        return None
    for key in _NAME_FIELDS:
        if all(isinstance(v.get(key), (str, int)) and not isinstance(v.get(key), bool)
               for v in items) and all(len({v[key] for v in side}) == len(side)
                                        for side in (old, new)):
            return key
    return None


# ---- values for people -------------------------------------------------------------------------

_MAX = 60


def show(v: Any) -> str:
    """A value, short, for a message: ``'a:1'``, ``3``, ``true``, ``unset``, or compact JSON
    (cut at about 60 characters)."""
    if v is MISSING or v is None:
        return "unset"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return _cut(f"'{v}'")
    if isinstance(v, (int, float)):
        return str(v)
    if isinstance(v, dict) and _is_type(v):
        return _cut(type_to_str(v))
    if isinstance(v, dict) and _is_literal(v):
        return literal(v)
    if isinstance(v, dict):
        text = _binding(v)
        if text is not None:
            return _cut(text)
    if isinstance(v, list) and _resources(v):
        return ", ".join(f"{r['name']}={r.get('value', '')}" for r in v)
    if isinstance(v, list) and all(isinstance(x, str) for x in v):
        return _cut("[" + ", ".join(f"'{x}'" for x in v) + "]")
    return _cut(json.dumps(v, separators=(", ", ": "), ensure_ascii=False, sort_keys=False))


def _binding(v: dict[str, Any]) -> str | None:
    """A binding (``var = value``), binding data or promise as a workflow author reads it
    (``prepare.table``, ``inputs.rows``, ``10``); None for anything else."""
    if "var" in v and "binding" in v and isinstance(v["binding"], dict):
        inner = _binding(v["binding"])
        return f"{v['var']} = {inner if inner is not None else show(v['binding'])}"
    t = v.get("type")
    if isinstance(t, dict) and set(v) <= _VARIABLE_FIELDS:  # an interface variable
        return type_to_str(t)
    var = v.get("var")
    if isinstance(var, dict) and set(v) <= {"var", "default", "required"}:  # a parameter
        text = type_to_str(var.get("type") if isinstance(var.get("type"), dict) else None)
        return f"{text}, default {literal(v['default'])}" if "default" in v else text
    promise = v.get("promise")
    if isinstance(promise, dict):
        return f"{promise.get('nodeId') or 'inputs'}.{promise.get('var', '')}"
    if "scalar" in v:
        return literal(v)
    return None


def _resources(v: list[Any]) -> bool:
    return bool(v) and all(isinstance(r, dict) and set(r) <= {"name", "value"} and "name" in r
                           for r in v)


def _cut(s: str) -> str:
    return s if len(s) <= _MAX else s[:_MAX - 1] + "…"


def literal(lit: Any) -> str:
    """A canonical ``core.Literal`` as a value: ``1000``, ``'m'``, ``none``, ``[1, 2]``, or
    compact JSON for the rest."""
    if not isinstance(lit, dict):
        return show(lit)
    scalar = lit.get("scalar")
    if isinstance(scalar, dict):
        prim = scalar.get("primitive")
        if isinstance(prim, dict):
            for k in ("integer", "floatValue", "stringValue", "boolean", "datetime", "duration"):
                if k in prim:
                    v = prim[k]
                    return show(v) if k != "integer" else str(v)
            return "0"  # every primitive field at its default (proto3 drops it)
        if "noneType" in scalar:
            return "none"
    if "collection" in lit:
        items = (lit["collection"] or {}).get("literals") or []
        return _cut("[" + ", ".join(literal(x) for x in items) + "]")
    if "map" in lit:
        items = (lit["map"] or {}).get("literals") or {}
        return _cut("{" + ", ".join(f"'{k}': {literal(v)}" for k, v in items.items()) + "}")
    return show(lit)
