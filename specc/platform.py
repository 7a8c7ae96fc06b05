"""A deployment's settings that some FlyteAdmin checks depend on. All off unless configured.

``flyte_defaults()`` gives FlyteAdmin's own defaults: task resource limits cpu 2, memory 1Gi,
gpu 1 (ephemeral storage unlimited); at most 100 top-level nodes per workflow; the domains
development, staging and production; no task-type allow-list.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Platform:
    limits: dict[str, str] = field(default_factory=dict)  # CPU/MEMORY/GPU/EPHEMERAL_STORAGE
    max_workflow_nodes: int | None = None
    domains: tuple[str, ...] | None = None
    # task type -> allowed (project, domain) scopes; a type not listed is allowed
    task_type_allowlist: dict[str, list[tuple[str, str]]] | None = None


def flyte_defaults() -> Platform:
    return Platform(limits={"CPU": "2", "MEMORY": "1Gi", "GPU": "1"}, max_workflow_nodes=100,
                    domains=("development", "staging", "production"))
