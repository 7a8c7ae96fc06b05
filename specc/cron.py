"""Cron expressions as FlyteAdmin accepts them (robfig/cron's ``ParseStandard``).

Five fields (minute, hour, day of month, month, day of week) with ``*``, ``?``, ranges, steps,
lists and month/day names; or a descriptor (``@daily``, ``@every 1h30m``, ...); optionally after
``TZ=<zone>`` or ``CRON_TZ=<zone>``.
"""
from __future__ import annotations

import re

_FIELDS: tuple[tuple[str, int, int, dict[str, int]], ...] = (
    ("minute", 0, 59, {}), ("hour", 0, 23, {}), ("day of month", 1, 31, {}),
    ("month", 1, 12, {m: i + 1 for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])}),
    ("day of week", 0, 6, {d: i for i, d in enumerate(
        ["sun", "mon", "tue", "wed", "thu", "fri", "sat"])}))
_DESCRIPTORS = {"@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"}
_GO_DURATION = re.compile(r"^[+-]?(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h))+$")


def check(expr: str) -> str | None:
    """None when FlyteAdmin accepts ``expr``; otherwise what is wrong."""
    s = expr.strip()
    if s.startswith(("TZ=", "CRON_TZ=")):
        zone, _, s = s.partition(" ")
        name = zone.split("=", 1)[1]
        try:
            from zoneinfo import ZoneInfo

            ZoneInfo(name)
        except Exception:
            return f"unknown time zone '{name}'"
        s = s.strip()
    if not s:
        return "the expression is empty"
    if s.startswith("@"):
        if s.startswith("@every "):
            dur = s[len("@every "):].strip()
            return None if _GO_DURATION.match(dur) and dur not in ("0", "0s") else \
                f"'{dur}' is not a duration such as '1h30m'"
        return None if s in _DESCRIPTORS else \
            f"unknown descriptor '{s}'; use one of {', '.join(sorted(_DESCRIPTORS))} or '@every'"
    fields = s.split()
    if len(fields) != 5:
        return (f"expected 5 fields (minute hour day-of-month month day-of-week), "
                f"found {len(fields)}")
    for text, (name, lo, hi, names) in zip(fields, _FIELDS, strict=False):
        for part in text.split(","):
            err = _check_range(part, lo, hi, names)
            if err:
                return f"{name} field '{text}': {err}"
    return None


def _value(tok: str, names: dict) -> int | None:
    if tok.lower() in names:
        return names[tok.lower()]
    return int(tok) if tok.isdigit() else None


def _check_range(part: str, lo: int, hi: int, names: dict) -> str | None:
    rng, slash, step = part.partition("/")
    if slash and (not step.isdigit() or int(step) == 0):
        return f"step '{step}' must be a positive number"
    if rng in ("*", "?"):
        return None
    a, dash, b = rng.partition("-")
    start = _value(a, names)
    end = _value(b, names) if dash else start
    if start is None or end is None:
        return f"'{part}' is not a number or name"
    if start < lo or end > hi:
        return f"{start if start < lo else end} is outside {lo}-{hi}"
    if start > end:
        return f"the range {start}-{end} runs backwards"
    return None
