"""Reporters: diagnostics out, one module per format, chosen by name from ``REPORTERS``."""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from specc.reporters.common import Outcome

REPORTERS = {
    "text": "specc.reporters.text",
    "json": "specc.reporters.json",
    "sarif": "specc.reporters.sarif",
    "github": "specc.reporters.github",
}


def render(fmt: str, result: Outcome, **kw: Any) -> str:
    """The diagnostics of ``result`` in format ``fmt``, as text any UTF-8 stream can take: a
    file name that is not UTF-8 (its bytes surrogate-escaped by Python) or a lone surrogate shows
    as ``\\xNN`` or ``\\uDNNN`` in every format (``specc.reporters.common.escape_surrogates``).
    """
    text: str = importlib.import_module(REPORTERS[fmt]).render(result, **kw)
    from specc.reporters.common import escape_surrogates

    return escape_surrogates(text, in_json=fmt in ("json", "sarif"))
