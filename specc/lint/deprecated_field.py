"""SPC613 deprecated-field: a field flyteidl marks deprecated."""
from __future__ import annotations

from typing import Any

from specc.diagnostics import Change, Loc, Report, Suggest, resolve
from specc.lint.rule import Rule
from specc.source import CanonicalDocument
from specc.table import KIND_MESSAGES, table

# deprecated, but what the SDK writes today: not the author's to fix
_STILL_WRITTEN = {("flyteidl.core.Operand", "primitive")}

_INSTEAD = {
    ("flyteidl.admin.Schedule", "cronExpression"):
        "; use 'cronSchedule: {schedule: ...}' instead",
    ("flyteidl.admin.LaunchPlanSpec", "role"):
        "; use 'securityContext.runAs' ('iamRole' or 'k8sServiceAccount') instead",
    ("flyteidl.admin.LaunchPlanSpec", "auth"):
        "; use 'securityContext.runAs' ('iamRole' or 'k8sServiceAccount') instead",
    ("flyteidl.admin.LaunchPlanSpec", "authRole"):
        "; use 'securityContext.runAs' ('iamRole' or 'k8sServiceAccount') instead",
    ("flyteidl.core.Container", "config"): "; use the task template's 'config' instead",
}


class DeprecatedField(Rule):
    CODE = "SPC613"

    def document(self, doc: CanonicalDocument, report: Report) -> None:
        t = table()
        # which messages can reach a deprecated field at all: the walk skips the others
        reach = _reaching(t)
        root = KIND_MESSAGES.get(doc.kind or "")
        if root is None or root not in reach:
            return
        stack: list[tuple[Any, str, Loc]] = [(doc.data, root, Loc(doc))]
        while stack:
            data, mname, loc = stack.pop()
            msg = t.messages[mname]
            for key, value in data.items():
                f = msg.by_name.get(key)
                if f is None:
                    continue
                if f.get("deprecated") and (mname, f["json"]) not in _STILL_WRITTEN:
                    self.report(report, loc.child(key).key(), field=key, message=msg.short,
                                hint=_INSTEAD.get((mname, key), ""),
                                fixes=_replacement(doc, mname, data, key, loc))
                sub = f.get("type")
                if f["kind"] != "message" or sub not in reach:
                    continue
                if f["label"] == "repeated" and isinstance(value, list):
                    stack.extend((v, sub, loc.child(key, i)) for i, v in enumerate(value)
                                 if isinstance(v, dict))
                elif f["label"] == "map" and isinstance(value, dict):
                    stack.extend((v, sub, loc.child(key, k)) for k, v in value.items()
                                 if isinstance(v, dict))
                elif isinstance(value, dict):
                    stack.append((value, sub, loc.child(key)))


def _replacement(doc: CanonicalDocument, mname: str, data: dict[str, Any], key: str,
                 loc: Loc) -> list[Suggest]:
    """The mechanical replacement of a deprecated field, where there is one: a schedule's
    'cronExpression: X' becomes 'cronSchedule: {schedule: X}' (spelled as the document spells
    its keys), unless the schedule sets 'cronSchedule' already."""
    if (mname, key) != ("flyteidl.admin.Schedule", "cronExpression") or \
            not isinstance(data.get(key), str) or "cronSchedule" in data:
        return []
    _, _, written, _ = resolve(loc.child(key).key())
    snake = written is not None and written.rsplit("/", 1)[-1] == "cron_expression"
    new_key, inner = ("cron_schedule", "schedule") if snake else ("cronSchedule", "schedule")
    json_form = doc.file.form == "json"
    template = f'{{"{inner}": <text>}}' if json_form else f"{{{inner}: <text>}}"
    old_key = "cron_expression" if snake else "cronExpression"
    return [Suggest(f"replace '{old_key}: X' with '{new_key}: {{{inner}: X}}'", (
        Change(loc.child(key).key(), new_key, old_key),
        Change(loc.child(key), "", None, template=template)))]


_REACH: set[str] | None = None


def _reaching(t: Any) -> set[str]:
    """Messages from which a deprecated field can be reached."""
    global _REACH
    if _REACH is None:
        parents: dict[str, set[str]] = {}
        found = set()
        for name, m in t.messages.items():
            for f in m.fields:
                if f.get("deprecated") and (name, f["json"]) not in _STILL_WRITTEN:
                    found.add(name)
                if f["kind"] == "message" and f.get("type"):
                    parents.setdefault(f["type"], set()).add(name)
        todo = list(found)
        while todo:
            for p in parents.get(todo.pop(), ()):
                if p not in found:
                    found.add(p)
                    todo.append(p)
        _REACH = found
    return _REACH
