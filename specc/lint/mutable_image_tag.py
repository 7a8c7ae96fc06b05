"""A container image named by the tag ``latest``, or by no tag at all (which means ``latest``).

A task's version says which code runs; the image says what it runs in. ``latest`` moves: the same
task version runs a different image after the next push, cached outputs were made by another
image, a re-run of last week's execution is not a re-run, and nodes that pulled the image earlier
keep an old copy (Kubernetes pulls ``latest`` on every start, other tags only when missing). Pin
the image with an immutable tag (a release or a commit) or a digest (``@sha256:...``). Images
with registration-time placeholders (``{{.image.default.fqn}}``) are not checked; specc checks the
task's container and every container and init container of a pod task.
"""
from __future__ import annotations

from specc.lint._util import pod_containers, task_name

CODE = "SPC603"


def problem(image: object) -> str | None:
    """Why an image reference is mutable, or None."""
    if not isinstance(image, str):
        return None
    image = image.strip()
    if not image or "{{" in image or "$" in image or "@" in image:
        return None  # empty (SPC505), filled at registration, or pinned by digest
    last = image.rsplit("/", 1)[-1]
    if ":" not in last:
        return "has no tag, which means 'latest'"
    if last.rsplit(":", 1)[1] == "latest":
        return "uses the tag 'latest'"
    return None


def check(ctx, program, options) -> None:
    for task in program.tasks.values():
        raw = task.raw
        name = task_name(task)
        c = raw.get("container")
        if isinstance(c, dict):
            why = problem(c.get("image"))
            if why:
                ctx.report(CODE, task.loc.child("container", "image"), image=c["image"].strip(),
                           owner=f"task '{name}'", problem=why)
        for loc, pc, owner in pod_containers(task):
            why = problem(pc.get("image"))
            if why:
                ctx.report(CODE, loc.child("image"), image=pc["image"].strip(), owner=owner,
                           problem=why)
