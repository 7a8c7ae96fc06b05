"""Durations as people write them in lint options and as protobuf writes them."""
from __future__ import annotations

import re

_DURATION = re.compile(r"^(?:(\d+(?:\.\d+)?)d)?(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m)?"
                       r"(?:(\d+(?:\.\d+)?)s)?$")


def parse_duration(text: object) -> float | None:
    """Seconds in '90s', '15m', '2h', '1d', '1h30m' (or a protobuf duration '3600s'); None when the
    text is none of these."""
    if not isinstance(text, str):
        return None
    t = text.strip().lower()
    m = _DURATION.match(t)
    if not t or m is None or not any(m.groups()):
        return None
    d, h, mi, s = (float(g) if g else 0.0 for g in m.groups())
    return d * 86400 + h * 3600 + mi * 60 + s


def show_duration(seconds: float) -> str:
    """'2h', '1h30m', '45s', '1.5s': the shortest exact form."""
    if seconds != int(seconds):
        return f"{seconds:g}s"
    s = int(seconds)
    if s == 0:
        return "0s"
    out = ""
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        if s >= size:
            out += f"{s // size}{unit}"
            s %= size
    return out
