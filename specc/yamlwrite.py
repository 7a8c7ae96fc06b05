"""specc's YAML writer: plain data (dicts, lists, strings, numbers, booleans, None) to YAML text.

Every YAML file specc writes comes from here: ``specc convert --to yaml`` (block style), closures
with ``--emit yaml`` (block style, keys sorted by the caller) and the authoring dialect
(``specc convert --to specc``: short collections in flow style, ``{a: int}``, comments above
keys, long command lines folded). It imports nothing from specc.

What it guarantees: the text reads back to the same data with a YAML 1.2 reader (specc's own,
ruamel.yaml) and with a YAML 1.1 reader (PyYAML): a string is written plain only when neither
would read it as anything else (``yes``, ``on``, ``1_000``, ``2024-01-01``, ``1.5`` are quoted),
floats always have a dot before an exponent, and characters YAML cannot hold as they are (or
that a reader would take for a line break) are escaped in double quotes. Mapping keys keep the
order they have; nothing is wrapped except a ``Folded`` string.

Three kinds of value say more than plain data can:

- ``Commented``: a mapping whose keys carry comment lines, written above the key;
- ``Compact``: a mapping the style's ``block_keys`` do not apply to (it stays on one line
  whenever it fits);
- ``Folded``: a string that may be folded (``>-``) over several lines when it does not fit.
"""
from __future__ import annotations

import functools
import json
import math
import re
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Style:
    """How ``dump`` lays data out.

    ``flow``: a collection goes on one line in flow style (``{a: 1}``, ``[a, b]``) when it fits
    in ``width`` columns, nests at most ``flow_depth`` deep and holds no multi-line string;
    without it, every non-empty collection is in block style. ``block_keys``: keys whose
    non-empty values are always in block style. ``nested_block_keys``: keys whose values'
    entries are too (each entry, e.g. each node, on lines of its own)."""

    flow: bool = False
    width: int = 100
    flow_depth: int = 3
    block_keys: frozenset[str] = frozenset()
    nested_block_keys: frozenset[str] = frozenset()


BLOCK = Style()


class Commented(dict):
    """A mapping whose keys carry comment lines (each starting with ``#``), written above the
    key. A mapping with comments is never written in flow style."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.comments: dict[Any, list[str]] = {}


class Compact(dict):
    """A mapping written on one line in flow style whenever that fits, even under one of the
    style's ``block_keys`` (a value to be read as one piece, such as a data type)."""


class Folded(str):
    """A string written on one line when it fits, otherwise folded (``>-``) over lines of
    ``width`` columns at its spaces, when folding keeps it exact."""


def dump(data: Any, style: Style = BLOCK) -> str:
    """The YAML text of ``data`` (one document, no ``---``), ending in a line break."""
    if isinstance(data, dict) and data:
        lines: list[str] = []
        _Writer(style, lines).mapping(data, 0)
        return "\n".join(lines) + "\n"
    if isinstance(data, list) and data:
        lines = []
        _Writer(style, lines).sequence(data, 0, None)
        return "\n".join(lines) + "\n"
    if isinstance(data, (dict, list)):
        return ("{}" if isinstance(data, dict) else "[]") + "\n"
    return scalar_text(data) + "\n"


# ---- scalars ----------------------------------------------------------------------------------

# what YAML 1.2's core schema reads as something other than a string
_CORE_NONSTR = re.compile(
    r"^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|[-+]?[0-9]+|0o[0-7]+|"
    r"0x[0-9a-fA-F]+|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|"
    r"[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$")
# what other YAML readers would not read as a string: YAML 1.1's booleans, merge key, value
# key, timestamps, sexagesimal numbers, numbers with underscores (ruamel.yaml reads those too)
_YAML11 = re.compile(r"^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|<<|=|"
                     r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}.*|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+.*|"
                     r"[-+]?[0-9][0-9_]*(?:[eE][-+]?[0-9]+)?|"
                     r"[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*(?:[eE][-+]?[0-9]+)?|"
                     r"[-+]?0b[01_]+|[-+]?0x[0-9a-fA-F_]+|[-+]?0o?[0-7_]+)$")
_INDICATORS = set("-?:,[]{}#&*!|>'\"%@`")
# characters YAML cannot hold as they are, or that a reader takes for a line break (NEL, LS,
# PS; libyaml breaks lines at them): escaped in double quotes, never plain or single-quoted
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff"
                     "\ufffe\uffff]")
# characters that end a plain scalar's line, and a flow collection's indicators (a search in C
# rather than a loop over the characters: long values are many)
_BREAKS = re.compile("[\n\r\t\x85]")
_FLOW_INDICATORS = re.compile(r"[,\[\]{}:?]")
# a simple (implicit) key is at most 1024 characters long; longer ones are written '? key'
_MAX_SIMPLE_KEY = 1024


def scalar_text(v: Any, flow: bool = False) -> str:
    """``v`` (None, a boolean, a number or a string) as one line of YAML; ``flow`` when it
    stands inside a flow collection, where ``,[]{}`` are indicators."""
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return _float_text(v)
    return _string_text(str(v), flow)


@functools.lru_cache(maxsize=4096)
def _string_text(s: str, flow: bool) -> str:
    """A string as one line of YAML (``scalar_text``), remembered: specs repeat their strings
    (type names, variable names, and whatever YAML aliases repeat)."""
    if _plain_ok(s, flow):
        return s
    if "\n" not in s and s.isprintable():
        return "'" + s.replace("'", "''") + "'"
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", json.dumps(s, ensure_ascii=False))


def _float_text(v: float) -> str:
    """A float that YAML 1.2 and 1.1 readers both read back exactly (1.1 wants a dot)."""
    if math.isnan(v):
        return ".nan"
    if math.isinf(v):
        return ".inf" if v > 0 else "-.inf"
    s = repr(v)
    if "." in s:
        return s
    if "e" in s:
        return s.replace("e", ".0e", 1)
    return s + ".0"


def _plain_ok(s: str, flow: bool) -> bool:
    """Whether ``s`` can be written without quotes and still reads back as this string."""
    if not s or s != s.strip() or _CORE_NONSTR.match(s) or _YAML11.match(s):
        return False
    if _UNSAFE.search(s) or _BREAKS.search(s):
        return False
    if s[:3] in ("---", "...") and s[3:4] in ("", " "):  # a document marker at column 0
        return False
    if s[0] in _INDICATORS and (s[0] not in "-?:" or len(s) < 2 or s[1] in " \t" or flow):
        return False
    if ": " in s or " #" in s or s.endswith(":"):
        return False
    return not (flow and _FLOW_INDICATORS.search(s))


def _literal_ok(s: str) -> bool:
    """Whether the multi-line ``s`` can be a literal block (``|``) and read back exactly."""
    if s.startswith((" ", "\n")) or "\r" in s or "\t" in s or s.endswith("\n\n"):
        return False
    if any(not (ch.isprintable() or ch == "\n") for ch in s):
        return False
    return not any(ln != ln.rstrip(" ") for ln in s.split("\n"))


def _foldable(s: str) -> bool:
    """Whether folding ``s`` at its spaces reads back exactly: single spaces only, none at the
    ends (a folded line break is one space), no tab that could start a line (a more-indented
    line keeps its break) and nothing that needs escaping."""
    return "  " not in s and not s.startswith(" ") and not s.endswith(" ") and \
        not _UNSAFE.search(s) and not any(ch in "\n\r\t" for ch in s)


def _wrap(s: str, width: int) -> list[str]:
    """``s`` cut at spaces into lines of at most ``width`` characters (a longer word alone)."""
    out: list[str] = []
    cur = ""
    for w in s.split(" "):
        if cur and len(cur) + 1 + len(w) > width:
            out.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}" if cur else w
    if cur:
        out.append(cur)
    return out


# ---- collections ------------------------------------------------------------------------------

def _depth(v: Any) -> int:
    if isinstance(v, dict):
        return 1 + max((_depth(x) for x in v.values()), default=0)
    if isinstance(v, list):
        return 1 + max((_depth(x) for x in v), default=0)
    return 0


def _flow_item(x: Any) -> str | None:
    """One entry of a flow collection, or None when it cannot stand in one."""
    if isinstance(x, (dict, list)):
        return _flow(x)
    if isinstance(x, Folded) or (isinstance(x, str) and "\n" in x):
        return None
    return scalar_text(x, flow=True)


def _flow(v: dict | list) -> str | None:
    """``v`` on one line in flow style, or None when it has comments or a multi-line string."""
    if getattr(v, "comments", None):
        return None
    if isinstance(v, dict):
        parts = []
        for k, x in v.items():
            inner = _flow_item(x)
            if inner is None:
                return None
            parts.append(f"{scalar_text(k, flow=True)}: {inner}")
        return "{" + ", ".join(parts) + "}"
    items = [_flow_item(x) for x in v]
    if any(x is None for x in items):
        return None
    return "[" + ", ".join(items) + "]"  # type: ignore[arg-type]


class _Writer:
    """Appends the lines of one document to ``lines``."""

    def __init__(self, style: Style, lines: list[str]) -> None:
        self.style = style
        self.lines = lines

    def mapping(self, d: dict, indent: int, first_prefix: str = "", blocks: bool = False) -> None:
        """The entries of ``d`` at ``indent``; ``first_prefix`` replaces the indentation of the
        first (a list item's ``- ``); ``blocks``: every value in block style."""
        pad = " " * indent
        notes = getattr(d, "comments", None) or {}
        for i, (k, v) in enumerate(d.items()):
            prefix = first_prefix if i == 0 and first_prefix else pad
            # a list item's first key: the comment goes above the '-'
            above = first_prefix[:-2] if i == 0 and first_prefix else pad
            self.lines.extend(above + line for line in notes.get(k, ()))
            key = scalar_text(k)
            if len(key) > _MAX_SIMPLE_KEY:
                self.lines.append(f"{prefix}? {key}")
                self.entry(pad + ":", k, v, indent, force_block=blocks)
            else:
                self.entry(f"{prefix}{key}:", k, v, indent, force_block=blocks)

    def sequence(self, items: list, indent: int, key: Any) -> None:
        """The items of a list (the value of ``key``) at ``indent``."""
        pad = " " * indent
        for x in items:
            if isinstance(x, dict) and x and not isinstance(x, Compact):
                flow = _flow(x) if self.style.flow else None
                if flow is not None and key not in self.style.block_keys and \
                        len(pad) + 2 + len(flow) <= self.style.width:
                    self.lines.append(f"{pad}- {flow}")
                    continue
                self.mapping(x, indent + 2, first_prefix=pad + "- ")
            else:
                self.entry(pad + "-", None, x, indent)

    def entry(self, head: str, key: Any, v: Any, indent: int, force_block: bool = False) -> None:
        """``head`` (``key:`` or ``-``, indented) and ``v`` after it or on the lines below."""
        if isinstance(v, (dict, list)):
            self.collection(head, key, v, indent, force_block)
        elif isinstance(v, Folded):
            self.folded(head, v, indent)
        elif isinstance(v, str) and "\n" in v and _literal_ok(v):
            self.literal(head, v, indent)
        else:
            self.lines.append(f"{head} {scalar_text(v)}")

    def collection(self, head: str, key: Any, v: dict | list, indent: int,
                   force_block: bool) -> None:
        style = self.style
        flow = self.inline(head, key, v, force_block) if style.flow else None
        if flow is not None:
            self.lines.append(f"{head} {flow}")
        elif not v:
            self.lines.append(f"{head} {'{}' if isinstance(v, dict) else '[]'}")
        elif isinstance(v, dict):
            self.lines.append(head)
            self.mapping(v, indent + 2, blocks=key in style.nested_block_keys)
        else:
            self.lines.append(head)
            self.sequence(v, indent + 2, key)

    def inline(self, head: str, key: Any, v: dict | list, force_block: bool) -> str | None:
        """``v``, the value of ``key``, in flow style when it goes on the line of ``head``."""
        if (force_block or key in self.style.block_keys) and not isinstance(v, Compact) and v:
            return None
        flow = _flow(v)
        if flow is None or len(head) + 1 + len(flow) > self.style.width or \
                _depth(v) > self.style.flow_depth:
            return None
        return flow

    def folded(self, head: str, v: Folded, indent: int) -> None:
        text = scalar_text(v)
        width = self.style.width
        if len(head) + 1 + len(text) <= width or "\n" in v or not _foldable(v):
            self.lines.append(f"{head} {text}")
            return
        self.lines.append(f"{head} >-")
        for chunk in _wrap(str(v), width - indent - 2):
            self.lines.append(" " * (indent + 2) + chunk)

    def literal(self, head: str, v: str, indent: int) -> None:
        """A literal block; a final line break is kept by clipping, none by stripping."""
        chomp = "-" if not v.endswith("\n") else ""
        self.lines.append(f"{head} |{chomp}")
        body = v[:-1] if chomp == "" else v
        for ln in body.split("\n"):
            self.lines.append((" " * (indent + 2) + ln) if ln else "")
