"""A cached task without a cache version.

Flyte looks up a cached task's outputs by the task's name, its cache version
(``metadata.discoveryVersion``), its interface and its inputs. Not by the task's own version and not
by its code. With an empty cache version, a cached task keeps serving the outputs of its old code
after the code changes, for as long as its inputs and interface stay the same; nobody notices,
because the run still succeeds. Give every cached task a cache version and change it whenever the
task's code changes (flytekit: ``cache_version=``). A node that turns caching on for its task
(``metadata.cacheable``) needs a cache version the same way, its own or the task's.
"""
from __future__ import annotations

from specc.lint._util import all_nodes, task_name

CODE = "SPC601"


def check(ctx, program, options) -> None:
    for task in program.tasks.values():
        md = task.raw.get("metadata")
        if not isinstance(md, dict) or md.get("discoverable") is not True:
            continue
        if not md.get("discoveryVersion"):
            ctx.report(CODE, task.loc.child("metadata", "discoverable"),
                       owner=f"task '{task_name(task)}'", field="metadata.discoveryVersion")
    for wf in program.workflows.values():
        for n in all_nodes(wf):
            md = n.raw.get("metadata")
            if n.kind != "task" or not isinstance(md, dict) or md.get("cacheable") is not True:
                continue
            task = program.tasks.get(n.ref.key) if n.ref is not None else None
            if task is None:
                continue
            tmd = task.raw.get("metadata")
            tmd = tmd if isinstance(tmd, dict) else {}
            if not md.get("cacheVersion") and not tmd.get("discoveryVersion"):
                ctx.report(CODE, n.loc.child("metadata", "cacheable"),
                           owner=f"node '{n.display_id}' of workflow '{wf.id.name}'",
                           field="metadata.cacheVersion")
