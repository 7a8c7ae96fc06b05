"""Drawing compiled workflows: the rendering core of ``specc graph``.

Input is a compiled closure, ``core.CompiledWorkflowClosure`` as a canonical proto3-JSON dict
(what specc's emit-closure pass produces: ``{"primary": {"template", "connections"},
"subWorkflows": [...], "tasks": [...]}``). Every function here is pure but :func:`to_svg` and
:func:`to_png`, which run Graphviz's ``dot``; all output is deterministic.

    from specc import graph
    text = graph.render(closure, "mermaid", edge_labels=True,
                        diagnostics={"train": [("error", "SPC401", "...")]})

``diagnostics`` maps node keys to ``(severity, code, message)`` triples: a node of the primary
workflow (branch children and the failure node included) by its id, a node of a sub-workflow by
``<call node id>/<id>``, an array node's inner node by ``<array node id>/<id>`` (see
:mod:`specc.graph.model`).

This package imports nothing of specc but :mod:`specc.types`.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, overload

from specc.graph import dot as _dot
from specc.graph import mermaid as _mermaid
from specc.graph import text as _text
from specc.graph.graphviz import (
    INSTALL_HINT,
    GraphvizError,
    GraphvizNotFound,
    find_dot,
    run_dot,
)
from specc.graph.model import Diagnostic, Diagnostics, Graph, build, workflow_name
from specc.graph.select import WorkflowSelectionError, select_workflows

__all__ = [
    "FORMATS", "INSTALL_HINT", "Diagnostic", "Diagnostics", "Graph", "GraphvizError",
    "GraphvizNotFound", "WorkflowSelectionError", "build", "find_dot", "render", "run_dot",
    "select_workflows", "to_dot", "to_mermaid", "to_png", "to_svg", "to_text", "workflow_name",
]

FORMATS: tuple[str, ...] = ("dot", "mermaid", "svg", "png", "text")

Closure = Mapping[str, Any]


def to_dot(closure: Closure, *, edge_labels: bool = False,
           diagnostics: Diagnostics | None = None, legend: bool = True) -> str:
    """The closure's primary workflow as Graphviz DOT text (see :func:`specc.graph.dot.render`).
    """
    return _dot.render(build(closure, edge_labels=edge_labels, diagnostics=diagnostics),
                       legend=legend)


def to_mermaid(closure: Closure, *, edge_labels: bool = False,
               diagnostics: Diagnostics | None = None, legend: bool = True) -> str:
    """The closure's primary workflow as a Mermaid flowchart (see
    :func:`specc.graph.mermaid.render`)."""
    return _mermaid.render(build(closure, edge_labels=edge_labels, diagnostics=diagnostics),
                           legend=legend)


def to_text(closure: Closure, *, edge_labels: bool = False,
            diagnostics: Diagnostics | None = None, width: int = _text.WIDTH) -> str:
    """The closure's primary workflow as layered text for a terminal (see
    :func:`specc.graph.text.render`)."""
    return _text.render(build(closure, edge_labels=edge_labels, diagnostics=diagnostics),
                        width=width)


def to_svg(closure: Closure, *, edge_labels: bool = False,
           diagnostics: Diagnostics | None = None, legend: bool = True,
           timeout: float = 60.0) -> str:
    """The DOT of :func:`to_dot` laid out by Graphviz as an SVG document. Raises
    :class:`GraphvizNotFound` (its message says how to install Graphviz) or
    :class:`GraphvizError`."""
    source = to_dot(closure, edge_labels=edge_labels, diagnostics=diagnostics, legend=legend)
    return run_dot(source, "svg", timeout=timeout).decode("utf-8")


def to_png(closure: Closure, *, edge_labels: bool = False,
           diagnostics: Diagnostics | None = None, legend: bool = True,
           timeout: float = 60.0) -> bytes:
    """The DOT of :func:`to_dot` laid out by Graphviz as a PNG image; raises as :func:`to_svg`.
    """
    source = to_dot(closure, edge_labels=edge_labels, diagnostics=diagnostics, legend=legend)
    return run_dot(source, "png", timeout=timeout)


@overload
def render(closure: Closure, fmt: Literal["png"], *, edge_labels: bool = ...,
           diagnostics: Diagnostics | None = ..., legend: bool = ..., width: int = ...,
           timeout: float = ...) -> bytes: ...


@overload
def render(closure: Closure, fmt: Literal["dot", "mermaid", "svg", "text"], *,
           edge_labels: bool = ..., diagnostics: Diagnostics | None = ..., legend: bool = ...,
           width: int = ..., timeout: float = ...) -> str: ...


@overload
def render(closure: Closure, fmt: str, *, edge_labels: bool = ...,
           diagnostics: Diagnostics | None = ..., legend: bool = ..., width: int = ...,
           timeout: float = ...) -> str | bytes: ...


def render(closure: Closure, fmt: str, *, edge_labels: bool = False,
           diagnostics: Diagnostics | None = None, legend: bool = True,
           width: int = _text.WIDTH, timeout: float = 60.0) -> str | bytes:
    """The closure drawn in ``fmt`` (one of :data:`FORMATS`): bytes for ``png``, text for the
    others. ``legend`` applies to dot, mermaid, svg and png; ``width`` to text; ``timeout``
    (seconds) to svg and png. Raises ValueError for an unknown format, and as :func:`to_svg`
    for svg and png."""
    if fmt == "dot":
        return to_dot(closure, edge_labels=edge_labels, diagnostics=diagnostics, legend=legend)
    if fmt == "mermaid":
        return to_mermaid(closure, edge_labels=edge_labels, diagnostics=diagnostics,
                          legend=legend)
    if fmt == "text":
        return to_text(closure, edge_labels=edge_labels, diagnostics=diagnostics, width=width)
    if fmt == "svg":
        return to_svg(closure, edge_labels=edge_labels, diagnostics=diagnostics, legend=legend,
                      timeout=timeout)
    if fmt == "png":
        return to_png(closure, edge_labels=edge_labels, diagnostics=diagnostics, legend=legend,
                      timeout=timeout)
    raise ValueError(f"unknown graph format {fmt!r}; one of: {', '.join(FORMATS)}")
