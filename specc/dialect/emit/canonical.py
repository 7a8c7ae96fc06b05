"""What the emitter needs from the rest of specc: the canonical flyteidl form of lowered dialect
data, and of a dialect text, exactly as a compile computes them. The emitter is a front-end-layer
module and must not drive specc's stages itself, so its caller (``specc convert``) hands it a
``Check`` that goes through the driver (``specc.convert.dialect_check``)."""
from __future__ import annotations

from typing import Any, Protocol


class Check(Protocol):
    """The canonical forms the emitter compares with the original documents."""

    def data(self, kind: str, data: dict[str, Any]) -> dict[str, Any]:
        """The canonical form of lowered data of document kind ``kind``; raises
        ``EmitError`` when it does not match flyteidl's schema."""
        ...

    def text(self, text: str) -> dict[str, Any]:
        """The canonical form of the one dialect document ``text``; raises ``EmitError`` when
        it does not load, lower or match flyteidl's schema."""
        ...
