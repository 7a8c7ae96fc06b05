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
    return importlib.import_module(REPORTERS[fmt]).render(result, **kw)
