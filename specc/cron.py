"""Cron expressions as FlyteAdmin accepts them (robfig/cron's ``ParseStandard``).

Five fields (minute, hour, day of month, month, day of week) with ``*``, ``?``, ranges, steps,
lists and month/day names; or a descriptor (``@daily``, ``@every 1h30m``, ...); optionally after
``TZ=<zone>`` or ``CRON_TZ=<zone>``.
"""
from __future__ import annotations

import re
from decimal import Decimal

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
            # robfig/cron's Every() rounds anything below a second (0s too) up to a second
            return None if _GO_DURATION.match(dur) or dur == "0" else \
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


_GO_UNITS = {"ns": Decimal("1e-9"), "us": Decimal("1e-6"), "µs": Decimal("1e-6"),
             "ms": Decimal("1e-3"), "s": Decimal(1), "m": Decimal(60), "h": Decimal(3600)}
_GO_PART = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)")
_MONTH_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)  # February: leap years fire


def _strip_zone(expr: str) -> str:
    s = expr.strip()
    if s.startswith(("TZ=", "CRON_TZ=")):
        s = s.partition(" ")[2].strip()
    return s


def every_seconds(expr: str) -> Decimal | None:
    """The interval of an ``@every <Go duration>`` expression FlyteAdmin accepts, in seconds
    (before the scheduler rounds it up to a second), or None for any other expression."""
    s = _strip_zone(expr)
    if not s.startswith("@every "):
        return None
    dur = s[len("@every "):].strip().lstrip("+")
    neg = dur.startswith("-")
    dur = dur.lstrip("-")
    if dur == "0":
        return Decimal(0)
    pos, total = 0, Decimal(0)
    for m in _GO_PART.finditer(dur):
        if m.start() != pos:
            return None
        total += Decimal(m.group(1)) * _GO_UNITS[m.group(2)]
        pos = m.end()
    if pos != len(dur) or not dur:
        return None
    return -total if neg else total


def _values(text: str, lo: int, hi: int, names: dict) -> tuple[set[int], bool]:
    """The values a valid field allows, and whether robfig/cron marks it as '*' (a '*' or '?'
    without a step above 1: then day of month and day of week must both match)."""
    out: set[int] = set()
    star = False
    for part in text.split(","):
        rng, slash, step_s = part.partition("/")
        step = int(step_s) if slash else 1
        if rng in ("*", "?"):
            start, end = lo, hi
            star = star or step == 1
        else:
            a, dash, b = rng.partition("-")
            start = _value(a, names) or 0
            end = (_value(b, names) or 0) if dash else (hi if slash else start)
        out.update(range(start, end + 1, step))
    return out, star


def never_fires(expr: str) -> str | None:
    """Why a valid five-field cron expression never fires, or None (it fires, or it is a
    descriptor). robfig/cron matches a day when day of month AND day of week match if either is
    '*', else when either does; a day of month no allowed month has then never comes."""
    s = _strip_zone(expr)
    if s.startswith("@") or check(expr) is not None:
        return None
    fields = s.split()
    dom, dom_star = _values(fields[2], *_FIELDS[2][1:])
    months, _ = _values(fields[3], *_FIELDS[3][1:])
    _, dow_star = _values(fields[4], *_FIELDS[4][1:])
    if dom_star or not dow_star:
        return None  # every day of month, or any day of the week will do
    if any(d <= _MONTH_DAYS[m - 1] for m in months for d in dom):
        return None
    return (f"day {'/'.join(str(d) for d in sorted(dom))} never comes in "
            f"{'/'.join(_MONTH_NAMES[m - 1] for m in sorted(months))}")


_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December")
