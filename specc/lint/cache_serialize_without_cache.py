"""Cache serialization asked for on a task that is not cached.

``metadata.cacheSerializable`` makes concurrent runs of a cached task with the same inputs wait
for one another, so that the task runs once and the others take its cached outputs. It does
nothing unless the task is cached (``metadata.discoverable``): the spec says "run this once" and
Flyte runs it every time. flytekit refuses ``cache_serialize=True`` without ``cache=True``; a spec
written by hand, or edited after flytekit, can still have it. Turn caching on (with a cache
version), or drop ``cacheSerializable``. The same holds for a node's own
``metadata.cacheSerializable`` when neither the node (``cacheable``) nor its task turns caching
on.
"""
from __future__ import annotations

from specc.lint._util import all_nodes, task_name

CODE = "SPC602"


def check(ctx, program, options) -> None:
    for task in program.tasks.values():
        md = task.raw.get("metadata")
        if not isinstance(md, dict):
            continue
        if md.get("cacheSerializable") is True and md.get("discoverable") is not True:
            ctx.report(CODE, task.loc.child("metadata", "cacheSerializable"),
                       owner=f"task '{task_name(task)}'")
    for wf in program.workflows.values():
        for n in all_nodes(wf):
            md = n.raw.get("metadata")
            if n.kind != "task" or not isinstance(md, dict) or \
                    md.get("cacheSerializable") is not True:
                continue
            task = program.tasks.get(n.ref.key) if n.ref is not None else None
            if task is None:
                continue
            tmd = task.raw.get("metadata")
            cached = md["cacheable"] if isinstance(md.get("cacheable"), bool) else \
                (isinstance(tmd, dict) and tmd.get("discoverable") is True)
            if not cached:
                ctx.report(CODE, n.loc.child("metadata", "cacheSerializable"),
                           owner=f"node '{n.display_id}' of workflow '{wf.id.name}'")
