"""A deployment's settings that some FlyteAdmin checks depend on. All off unless configured.

``flyte_defaults()`` gives FlyteAdmin's own defaults: task resource limits cpu 2, memory 1Gi,
gpu 1 (ephemeral storage unlimited); at most 100 top-level nodes per workflow; the domains
development, staging and production; no task-type allow-list.
"""
from __future__ import annotations

from specc.record import Record


class Platform(Record):
    __slots__ = ("domains", "limits", "max_workflow_nodes", "task_type_allowlist")
    limits: dict[str, str]  # CPU/MEMORY/GPU/EPHEMERAL_STORAGE
    max_workflow_nodes: int | None
    domains: tuple[str, ...] | None
    task_type_allowlist: dict[str, list[tuple[str, str]]] | None

    def __init__(self, limits: dict[str, str] | None = None, max_workflow_nodes: int | None = None,
                 domains: tuple[str, ...] | None = None,
                 task_type_allowlist: dict[str, list[tuple[str, str]]] | None = None) -> None:
        self.limits = limits if limits is not None else {}
        self.max_workflow_nodes = max_workflow_nodes
        self.domains = domains
        self.task_type_allowlist = task_type_allowlist


def flyte_defaults() -> Platform:
    return Platform(limits={"CPU": "2", "MEMORY": "1Gi", "GPU": "1"}, max_workflow_nodes=100,
                    domains=("development", "staging", "production"))
