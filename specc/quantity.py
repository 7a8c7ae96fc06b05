"""Kubernetes resource quantities (``500m``, ``2Gi``, ``1e3``) as Flyte parses them."""
from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation

_QTY = re.compile(r"^([+-]?)([0-9]+(?:\.[0-9]*)?|\.[0-9]+)"
                  r"(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?$")
_BINARY = {"Ki": 1, "Mi": 2, "Gi": 3, "Ti": 4, "Pi": 5, "Ei": 6}
_DECIMAL = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}


def parse(text: str) -> Decimal | None:
    """The quantity's exact value in base units, or None when it does not parse."""
    m = _QTY.match(text.strip()) if isinstance(text, str) else None
    if m is None or not text:
        return None
    sign, number, suffix = m.groups()
    suffix = suffix or ""
    try:
        value = Decimal(number)
    except InvalidOperation:
        return None
    if suffix in _BINARY:
        value *= Decimal(1024) ** _BINARY[suffix]
    elif suffix in _DECIMAL:
        value = value.scaleb(_DECIMAL[suffix])
    else:  # exponent
        value = value.scaleb(int(suffix[1:]))
    return -value if sign == "-" else value


def rounded(value: Decimal) -> int:
    """Kubernetes' ``Quantity.Value()``: rounded up to a whole number of base units."""
    return math.ceil(value)
