"""A canonical flyteidl document -> the dialect document (plain data for ``render``), by its
kind (``KINDS``)."""
from __future__ import annotations

import copy
from collections.abc import Callable

from specc.dialect.emit.base import Builder
from specc.dialect.emit.launch_plan import launch_plan
from specc.dialect.emit.task import Words, command_line, task
from specc.dialect.emit.workflow import workflow
from specc.yamlwrite import Commented, Style, dump


def _task_spec(b: Builder, original: dict) -> Commented:
    return task(b, original.get("template", {}))


KINDS: dict[str, Callable[[Builder, dict], Commented]] = {
    "TaskSpec": _task_spec,
    "WorkflowSpec": workflow,
    "LaunchPlan": launch_plan,
}


def build(kind: str, original: dict, style: str | None) -> dict:
    """The dialect form of ``original`` (a TaskSpec, WorkflowSpec or LaunchPlan; any other kind
    is taken for a LaunchPlan), with ``style: pyflyte`` when ``style`` says so. It may lower to
    something else: ``patch`` adds what it misses."""
    if kind == "LaunchPlan":
        rid = original.get("id", {})
    else:
        rid = original.get("template", {}).get("id", {})
    ident = {k: rid.get(k, "") for k in ("name", "version", "project", "domain", "org")}
    return KINDS.get(kind, launch_plan)(Builder(style, ident), original)


# the dialect's layout: short collections on one line; these keys' values always in block
# style, the entries of nodes and subWorkflows too (each node on lines of its own)
DIALECT_STYLE = Style(
    flow=True, width=100, flow_depth=3,
    block_keys=frozenset({"nodes", "subWorkflows", "branch", "then", "else", "map", "onFailure",
                          "notify", "flyte", "inputs", "outputs"}),
    nested_block_keys=frozenset({"nodes", "subWorkflows"}))


def render(data: dict) -> str:
    """A dialect document's YAML text (``data`` is left as it is)."""
    words = [k for k, v in data.items() if isinstance(v, Words)]
    if words:
        data = copy.copy(data)  # the same kind of mapping, comments and all
        for k in words:
            data[k] = command_line(data[k])
    return dump(data, DIALECT_STYLE)
