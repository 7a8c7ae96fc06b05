"""SPC603 mutable-image-tag: an image tagged ``latest``, or not tagged."""
from __future__ import annotations

from specc import ir
from specc.diagnostics import Report
from specc.lint.rule import Rule, task_name


def problem(image: object) -> str | None:
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


class MutableImageTag(Rule):
    CODE = "SPC603"

    def task(self, task: ir.Task, report: Report) -> None:
        c = task.container
        if c is not None:
            why = problem(c.image)
            if why:
                self.report(report, c.loc.child("image"), image=c.image.strip(),
                            owner=f"task '{task_name(task)}'", problem=why)
        for pc in task.pod_containers:
            why = problem(pc.image)
            if why:
                self.report(report, pc.loc.child("image"), image=pc.image.strip(),
                            owner=pod_owner(task, pc), problem=why)


def pod_owner(task: ir.Task, c: ir.Container) -> str:
    return f"container '{c.name}' of task '{task_name(task)}'"
