"""What the emitter's constructs share: its error, the state of building one document
(``Builder``), and the small conversions of flyteidl values to the dialect's spellings."""
from __future__ import annotations

import re
from typing import Any

from specc.dialect import API_VERSION
from specc.dialect.lower import MOUNTS, RATE_UNITS, RESOURCE_NAMES
from specc.yamlwrite import Commented

RESOURCE_KEYS = {v: k for k, v in RESOURCE_NAMES.items()}
MOUNT_KEYS = {v: k for k, v in MOUNTS.items()}
RATE_KEYS = {v: k for k, v in RATE_UNITS.items()}


class EmitError(Exception):
    """A document the dialect could not reproduce exactly (a bug in specc)."""


class Fallback(Exception):
    """The dialect cannot say this part; the caller writes a stand-in that a ``flyte:``
    override then corrects."""


# a value the dialect has no spelling for (None is a value: null)
NO: Any = object()


class Builder:
    """The state of building one dialect document: ``pyflyte`` when building with
    ``style: pyflyte``; ``ident`` the document's name, version, project, domain and org (what
    its references may leave out)."""

    def __init__(self, style: str | None, ident: dict[str, str]) -> None:
        self.pyflyte = style == "pyflyte"
        self.ident = ident

    def header(self, kind: str, rid: dict) -> Commented:
        """The document's first keys: apiVersion, kind, its identifier fields, style."""
        d = Commented(apiVersion=API_VERSION, kind=kind)
        for k in ("name", "version", "project", "domain", "org"):
            if rid.get(k):
                d[k] = rid[k]
        if self.pyflyte:
            d["style"] = "pyflyte"
        return d


def duration_text(d: str) -> str:
    """protobuf's '5400s' as '1h30m' (fractions stay in seconds)."""
    m = re.fullmatch(r"(-?)(\d+)(\.\d+)?s", d or "")
    if not m or m.group(1) or m.group(3):
        return d
    secs = int(m.group(2))
    if secs == 0:
        return "0s"
    h, rest = divmod(secs, 3600)
    mi, s = divmod(rest, 60)
    return (f"{h}h" if h else "") + (f"{mi}m" if mi else "") + (f"{s}s" if s else "")


def quantity(s: str) -> int | float | str:
    """A resource quantity: a number when YAML gives the same text back, else the string."""
    if re.fullmatch(r"-?[0-9]+", s) and str(int(s)) == s:
        return int(s)
    if re.fullmatch(r"-?[0-9]+\.[0-9]+", s) and repr(float(s)) == s:
        return float(s)
    return s
