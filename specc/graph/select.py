"""Choosing the workflow(s) to draw: ``--workflow NAME``."""
from __future__ import annotations

from collections.abc import Iterable


class WorkflowSelectionError(ValueError):
    """``--workflow`` names no workflow, or more than one; ``candidates`` are the names to
    choose from (the ambiguous matches, or every workflow when nothing matched)."""

    def __init__(self, message: str, candidates: list[str]):
        super().__init__(message)
        self.candidates = candidates


def select_workflows(names: Iterable[str], wanted: str | None) -> list[str]:
    """The workflow names to draw, sorted.

    ``wanted`` None: every name. Otherwise the one name equal to ``wanted``; else the one name
    ending in ``.<wanted>`` (or ``/<wanted>``: a suffix at a boundary, so ``train`` picks
    ``ml.train`` over ``ml.pretrain``); else the one name ending in ``wanted`` at all. Raises
    :class:`WorkflowSelectionError` naming the candidates when there is no match, when the
    matches of the first rule that has any are several, or when there are no names at all.
    """
    pool = sorted(set(names))
    if not pool:
        raise WorkflowSelectionError("there is no workflow to draw", [])
    if wanted is None:
        return pool
    if wanted in pool:
        return [wanted]
    bounded = [n for n in pool if n.endswith(("." + wanted, "/" + wanted))]
    loose = [n for n in pool if n.endswith(wanted)] if wanted else []
    for matches in (bounded, loose):
        if len(matches) == 1:
            return matches
        if matches:
            raise WorkflowSelectionError(
                f"{wanted!r} matches {len(matches)} workflows: {', '.join(matches)}; "
                "give one of these names", matches)
    raise WorkflowSelectionError(
        f"no workflow is named {wanted!r} or ends in it; the workflows are: {', '.join(pool)}",
        pool)
