"""What every construct's lowering shares: the result (``Lowered``, ``Issue``), the state of one
lowering (``Lowering``: the document, the pointer map, the issues, the document's identity) with
its reporting helpers, JSON pointer escapes, durations and the dialect's vocabularies."""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from specc.diagnostics import json_kind


@dataclass
class Issue:
    code: str
    pointer: str  # dialect pointer
    args: dict
    at_key: bool = False
    offset: int | None = None  # into the expression held by the scalar at ``pointer``
    length: int = 1


@dataclass
class Lowered:
    kind: str | None
    data: dict | None
    pointer_map: dict[str, str] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    # lowered pointer of every node -> the dialect mapping it came from (the emitter's hook)
    nodes: dict[str, dict] = field(default_factory=dict)


RESOURCE_NAMES = {"cpu": "CPU", "memory": "MEMORY", "gpu": "GPU", "storage": "STORAGE",
                  "ephemeralStorage": "EPHEMERAL_STORAGE"}
MOUNTS = {"any": "ANY", "env": "ENV_VAR", "file": "FILE"}
PHASES = ("UNDEFINED", "QUEUED", "RUNNING", "SUCCEEDING", "SUCCEEDED", "FAILING", "FAILED",
          "ABORTED", "TIMED_OUT", "ABORTING")
RATE_UNITS = {"m": "MINUTE", "h": "HOUR", "d": "DAY"}
# pyflyte's union tags (structure.tag) for simple variants
PYFLYTE_TAGS = {"INTEGER": "int", "FLOAT": "float", "STRING": "str", "BOOLEAN": "bool",
                "NONE": "none", "DATETIME": "datetime", "DURATION": "timedelta"}

COMMON_KEYS = ("apiVersion", "kind", "name", "version", "project", "domain", "org", "style",
               "flyte")
TASK_KEYS = (*COMMON_KEYS, "type", "inputs", "outputs", "image", "command", "args", "env",
             "requests", "limits", "retries", "timeout", "interruptible", "cache", "secrets",
             "runtime", "config", "custom")
WORKFLOW_BODY_KEYS = ("inputs", "outputs", "nodes", "onFailure", "interruptible", "flyte")
WORKFLOW_KEYS = COMMON_KEYS + WORKFLOW_BODY_KEYS + ("subWorkflows",)
SUB_WORKFLOW_KEYS = (*WORKFLOW_BODY_KEYS, "name", "version", "project", "domain", "org")
LAUNCH_PLAN_KEYS = (*COMMON_KEYS, "workflow", "inputs", "fixed", "schedule", "notify", "labels",
                    "annotations")
TARGETS = ("task", "workflow", "launchPlan", "branch", "map", "approve", "signal", "sleep")
NODE_KEYS = (*TARGETS, "inputs", "after", "name", "retries", "timeout", "interruptible", "aliases",
             "requests", "limits", "parallelism", "minSuccesses", "minSuccessRatio", "flyte")
INNER_NODE_KEYS = (*NODE_KEYS, "id")

_DURATION = re.compile(r"^(?:(\d+(?:\.\d+)?)(h|ms|us|µs|ns|m|s))+$")
_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)(h|ms|us|µs|ns|m|s)")
_NANOS = {"h": 3600 * 10**9, "m": 60 * 10**9, "s": 10**9, "ms": 10**6, "us": 10**3,
          "µs": 10**3, "ns": 1}


def esc(k: str) -> str:
    """``k`` as one segment of a JSON pointer."""
    return k.replace("~", "~0").replace("/", "~1")


def unesc(k: str) -> str:
    """One segment of a JSON pointer as the key it names."""
    return k.replace("~1", "/").replace("~0", "~")


def parse_duration(text: str) -> str | None:
    """'1h30m', '30s', '1.5s', '500ms' -> protobuf's '5400s' form; None when it does not parse."""
    if not isinstance(text, str) or not _DURATION.match(text.strip()):
        return None
    nanos = 0
    for num, unit in _DURATION_PART.findall(text.strip()):
        if "." in num:
            whole, frac = num.split(".")
            nanos += int(whole) * _NANOS[unit] + int(frac.ljust(9, "0")[:9]) * _NANOS[unit] \
                // 10**9
        else:
            nanos += int(num) * _NANOS[unit]
    secs, rest = divmod(nanos, 10**9)
    if rest:
        return f"{secs}.{rest:09d}".rstrip("0") + "s"
    return f"{secs}s"


@dataclass(frozen=True)
class At:
    """Where a construct is: ``src`` the dialect pointer of the mapping it reads its keys from,
    ``canon`` the pointer of the flyteidl element it lowers into."""

    src: str
    canon: str


class Lowering:
    """The state of lowering one dialect document.

    ``data`` is the document; ``out`` collects the result: the flyteidl data, the pointer map
    (produced pointer -> dialect pointer; the first mapping of a pointer wins, so a construct
    maps the most precise source first) and the issues, in the order they are found.
    ``pyflyte`` is ``style: pyflyte``; ``ident`` the document's name, version, project, domain
    and org, the defaults of its references."""

    def __init__(self, data: dict) -> None:
        self.data = data
        self.out = Lowered(None, None)
        self.pmap = self.out.pointer_map
        self.pyflyte = False
        self.ident: dict[str, str] = {}

    def issue(self, code: str, at: str, /, at_key: bool = False, offset: int | None = None,
              length: int = 1, **args: Any) -> None:
        """Report ``code`` at the dialect pointer ``at`` (its key with ``at_key``; a span of an
        expression inside the scalar with ``offset`` and ``length``)."""
        self.out.issues.append(Issue(code, at, args, at_key, offset, length))

    def map(self, canon: str, src: str) -> None:
        """Record that the produced ``canon`` comes from the dialect's ``src``, unless an
        earlier construct said where it comes from."""
        self.pmap.setdefault(canon, src)

    def wrong(self, src: str, field_: str, expected: str, value: Any) -> None:
        """SPC033: ``value`` at ``src`` is not ``expected``."""
        self.issue("SPC033", src, field=field_, expected=expected, found=json_kind(value))

    def keys(self, body: dict, allowed: tuple, src: str, where: str) -> None:
        """SPC032 for every key of ``body`` not in ``allowed``, with the closest as a hint."""
        for k in body:
            if k not in allowed:
                close = difflib.get_close_matches(k, allowed, n=1, cutoff=0.6)
                hint = f"; did you mean '{close[0]}'?" if close else \
                    "; known fields: " + ", ".join(a for a in allowed
                                                   if a not in ("apiVersion", "kind"))
                self.issue("SPC032", f"{src}/{esc(k)}", at_key=True, field=k, where=where,
                           hint=hint)

    def mapping(self, v: Any, src: str, field_: str) -> dict | None:
        """``v`` as a mapping (null is the empty one), or None after reporting it."""
        if v is None:
            return {}
        if not isinstance(v, dict):
            self.wrong(src, field_, "a mapping", v)
            return None
        return v

    def string(self, v: Any, src: str, field_: str, allow_int: bool = False) -> str | None:
        """``v`` as a string (an integer too with ``allow_int``), or None after reporting it."""
        if isinstance(v, str):
            return v
        if allow_int and isinstance(v, int) and not isinstance(v, bool):
            return str(v)
        self.issue("SPC033", src, field=field_,
                   expected="a string" + (" (quote it)" if isinstance(v, (int, float))
                                          and not isinstance(v, bool) else ""),
                   found=json_kind(v))
        return None

    def duration(self, v: Any, src: str, field_: str) -> str | None:
        """``v`` ('1h30m') in protobuf's form ('5400s'), or None after reporting it (SPC037)."""
        d = parse_duration(v) if isinstance(v, str) else None
        if d is None:
            self.issue("SPC037", src, field=field_, value=v if isinstance(v, str) else repr(v),
                       hint="; write a number and a unit, several in a row if needed: 30s, "
                            "5m, 1h30m, 500ms (units h, m, s, ms, us, ns)")
        return d
