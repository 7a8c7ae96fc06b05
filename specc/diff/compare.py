"""The rules of ``specc diff``: which entities of two programs are the same, and what changed.

Entities are matched by kind (task, workflow, launch plan), project, domain, name and org. Each
entity of NEW is compared with the entity of OLD of the same version when there is one, else with
OLD's last version of it. A version left empty (or a ``{{ registration.version }}`` placeholder)
is the ``version`` given (``--version``), and otherwise unknown, so it equals no other version.

- Same version: the whole definition is compared, as FlyteAdmin compares what it already has
  under that identifier; any difference is one error (SPC801) listing the fields.
- Interface (every pair): what callers written for OLD give and take must still fit NEW, judged
  by Flyte's castability rules (``specc.types``): an input removed, made incompatible or newly
  required, an output removed or made incompatible is an error (SPC80x); a compatible change is
  a note (SPC81x). A launch plan's interface is its parameters (default inputs and the workflow
  inputs it leaves open) and its fixed inputs.
- Other fields (different versions only): each field that differs is a note (SPC817), with the
  versions inside references left out (they change with every release).

Diagnostics are located in NEW, with OLD's place as related information, except for a removed
entity, which has no place in NEW and is located in OLD.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from specc import ir
from specc import types as T
from specc.diagnostics import Diagnostic, Loc, make
from specc.diff import tree
from specc.diff.tree import MISSING, Change, literal, show

PASS = "diff"
# identifier fields: the entity's own id and its references to other entities
ID_FIELDS = frozenset({"id", "referenceId", "subWorkflowRef", "launchplanRef", "workflowId"})
_PLACEHOLDER_FIELDS = ("project", "domain", "version", "org")
MAX_RELATED = 20  # fields listed under a same-version error; the count says how many in all

MatchKey = tuple[str, str, str, str, str]


@dataclass
class Side:
    """One side of the comparison: its program and what resolve-references found out (for a
    launch plan's parameters)."""

    label: str  # 'old' | 'new'
    program: ir.Program
    resolution: ir.Resolution | None = None


def match_key(e: ir.Entity) -> MatchKey:
    """What makes two entities the same thing in two versions of the specs: the kind (the
    entity's class, so a task written without 'resourceType' still matches), project, domain,
    name and org."""
    i = e.id
    return (e.WHAT, i.project, i.domain, i.name, i.org)


def entities_by_name(program: ir.Program) -> dict[MatchKey, list[ir.Entity]]:
    """Every named entity, by match key, each identifier once (its first definition), in input
    order."""
    out: dict[MatchKey, list[ir.Entity]] = {}
    seen: set[tuple[str, ir.Key]] = set()
    for e in program.entities:
        if not e.id.name or (e.WHAT, e.id.key) in seen:
            continue
        seen.add((e.WHAT, e.id.key))
        out.setdefault(match_key(e), []).append(e)
    return out


class Differ:
    """Compares two sides; ``run()`` gives the diagnostics (unsorted, no policy applied)."""

    def __init__(self, old: Side, new: Side, version: str | None = None) -> None:
        self.old = old
        self.new = new
        self.version = version or None
        self.out: list[Diagnostic] = []
        self.compared = 0  # pairs of entities compared

    # -- matching ----------------------------------------------------------------------------------
    def run(self) -> list[Diagnostic]:
        olds = entities_by_name(self.old.program)
        news = entities_by_name(self.new.program)
        for key, new_list in news.items():
            old_list = olds.get(key)
            if old_list is None:
                first = next((e for e in new_list if not e.broken), None)
                # an entity that OLD may define in a file it could not read is not news
                if first is not None and not self.old.program.maybe_lost(first.id.name):
                    self.report("SPC811", first.loc.child("id"), entity=first.title())
                continue
            by_version = {self.effective(e): e for e in reversed(old_list)}
            last = next((e for e in reversed(old_list) if not e.broken), None)
            for n in new_list:
                v = self.effective(n)
                o = by_version.get(v) if v is not None else None
                same = o is not None
                if o is None:
                    o = last
                if o is None or o.broken or n.broken:
                    continue  # what could not be built is not compared (its side says why)
                self.compared += 1
                self.pair(o, n, same)
        for key, old_list in olds.items():
            if key in news:
                continue
            first = next((e for e in old_list if not e.broken), old_list[0])
            if not self.new.program.maybe_lost(first.id.name):
                self.report("SPC812", first.loc.child("id"), entity=first.title())
        return self.out

    def effective(self, e: ir.Entity) -> str | None:
        """The version ``e`` is registered under: its own, else ``--version``, else unknown."""
        return e.id.version or self.version

    def report(self, code: str, loc: Loc | None, related: Iterable[tuple[Loc, str]] = (),
               **args: Any) -> None:
        self.out.append(make(code, loc, PASS, related, **args))

    def pair(self, o: ir.Entity, n: ir.Entity, same_version: bool) -> None:
        if same_version:
            self.structure(o, n)
        if isinstance(o, ir.LaunchPlan) and isinstance(n, ir.LaunchPlan):
            self.launch_plan(o, n, same_version)
        elif isinstance(o, (ir.Task, ir.Workflow)) and isinstance(n, (ir.Task, ir.Workflow)):
            self.interface(o, n)
        if not same_version:
            self.settings(o, n)

    # -- the whole definition, under the same version ------------------------------------------
    def structure(self, o: ir.Entity, n: ir.Entity) -> None:
        found = tree.changes(self.normalized(o, strip_refs=False),
                             self.normalized(n, strip_refs=False))
        if not found:
            return
        related: list[tuple[Loc, str]] = [(o.loc.child("id"), "the old definition")]
        for c in found[:MAX_RELATED]:
            related.append(_change_note(c, o, n))
        version = self.effective(n) or ""
        self.report("SPC801", n.loc.child(*found[0].anchor), related=related,
                    entity=n.title(), version=version, fields=_fields(found), kind=n.WHAT)

    def normalized(self, e: ir.Entity, strip_refs: bool) -> Any:
        """``e.raw`` as FlyteAdmin would store it: identifiers filled as ``flytectl register
        files`` fills them (placeholders and empty versions), a launch plan without the closure
        FlyteAdmin computes; with ``strip_refs``, references carry no version."""
        raw = e.raw
        if isinstance(e, ir.LaunchPlan):
            raw = {k: v for k, v in raw.items() if k != "closure"}
        return self._norm(raw, strip_refs)

    def _norm(self, value: Any, strip_refs: bool) -> Any:
        if isinstance(value, dict):
            out = {}
            for k, v in value.items():
                if k in ID_FIELDS and isinstance(v, dict):
                    v = self._identifier(v, strip_refs)
                out[k] = self._norm(v, strip_refs)
            return out
        if isinstance(value, list):
            return [self._norm(v, strip_refs) for v in value]
        return value

    def _identifier(self, raw: dict[str, Any], strip: bool) -> dict[str, Any]:
        out = dict(raw)
        for f in _PLACEHOLDER_FIELDS:
            v = out.get(f)
            if isinstance(v, str) and ir.is_placeholder(v):
                out[f] = ""
        if not out.get("version") and self.version:
            out["version"] = self.version
        if strip:
            out.pop("version", None)
        return {k: v for k, v in out.items() if v != ""}

    # -- interfaces of tasks and workflows -----------------------------------------------------
    def interface(self, o: ir.Task | ir.Workflow, n: ir.Task | ir.Workflow) -> None:
        oi, ni = o.interface, n.interface
        old_in = oi.inputs if oi else {}
        new_in = ni.inputs if ni else {}
        old_out = oi.outputs if oi else {}
        new_out = ni.outputs if ni else {}
        entity = n.title()
        # a removed variable is shown where the others are listed
        inputs_at = n.loc.child("interface", "inputs", "variables").key()
        outputs_at = n.loc.child("interface", "outputs", "variables").key()
        renamed: set[str] = set()
        for name, var in old_in.items():
            if name in new_in:
                self.input_type(var.type, new_in[name].type, name, entity, var.loc,
                                new_in[name].loc)
                continue
            to = _renamed_to(var.type, {k: v.type for k, v in new_in.items()
                                        if k not in old_in})
            # a rename is one change: the new name is reported here, not as a new input too
            at = new_in[to].loc.key() if to is not None else inputs_at
            if to is not None:
                renamed.add(to)
            self.report("SPC802", at, related=[(var.loc, "the old input")], var=name,
                        type=T.type_to_str(var.type), entity=entity, **_rename_hint(to))
        for name, var in new_in.items():
            if name in old_in or name in renamed:
                continue
            if T.is_optional_type(var.type):
                self.report("SPC813", var.loc.key(), var=name, type=T.type_to_str(var.type),
                            entity=entity, why="its type is optional")
            else:
                self.report("SPC804", var.loc.key(), var=name, type=T.type_to_str(var.type),
                            entity=entity, hint=f"; make it optional ({T.type_to_str(var.type)}"
                                                f" | none)")
        self.outputs({k: (v.type, v.loc) for k, v in old_out.items()},
                     {k: (v.type, v.loc) for k, v in new_out.items()}, entity, outputs_at)

    def input_type(self, old: ir.Type | None, new: ir.Type | None, name: str, entity: str,
                   old_loc: Loc, new_loc: Loc) -> None:
        """An input that both sides have: its values, of the old type, must cast to the new."""
        if old == new:
            return
        related = [(old_loc.child("type"), "the old type")]
        if T.are_types_castable(old, new):
            self.report("SPC815", new_loc.child("type"), related=related, which="input",
                        var=name, entity=entity, old=T.type_to_str(old), new=T.type_to_str(new),
                        why="accepts every value of the old type")
        else:
            self.report("SPC803", new_loc.child("type"), related=related, var=name,
                        entity=entity, old=T.type_to_str(old), new=T.type_to_str(new))

    def outputs(self, old: dict[str, tuple[ir.Type | None, Loc]],
                new: dict[str, tuple[ir.Type | None, Loc]], entity: str, new_at: Loc) -> None:
        """Outputs: what callers take must still be there, and still fit where they use it."""
        renamed: set[str] = set()
        for name, (ot, oloc) in old.items():
            if name not in new:
                to = _renamed_to(ot, {k: t for k, (t, _) in new.items() if k not in old})
                at = new[to][1].key() if to is not None else new_at
                if to is not None:
                    renamed.add(to)
                self.report("SPC805", at, related=[(oloc, "the old output")], var=name,
                            type=T.type_to_str(ot), entity=entity, **_rename_hint(to, output=True))
                continue
            nt, nloc = new[name]
            if ot == nt:
                continue
            related = [(oloc.child("type"), "the old type")]
            if T.are_types_castable(nt, ot):
                self.report("SPC815", nloc.child("type"), related=related, which="output",
                            var=name, entity=entity, old=T.type_to_str(ot),
                            new=T.type_to_str(nt),
                            why="still fits wherever the old type was used")
            else:
                self.report("SPC806", nloc.child("type"), related=related, var=name,
                            entity=entity, old=T.type_to_str(ot), new=T.type_to_str(nt))
        for name, (nt, nloc) in new.items():
            if name not in old and name not in renamed:
                self.report("SPC814", nloc.key(), var=name, type=T.type_to_str(nt), entity=entity)

    # -- launch plans ----------------------------------------------------------------------------
    def launch_plan(self, o: ir.LaunchPlan, n: ir.LaunchPlan, same_version: bool) -> None:
        """A launch plan's callers (other workflows' launch plan nodes, people launching it, its
        schedule) set some of its parameters and leave the rest to their defaults; fixed inputs
        they cannot set at all. Changed values are notes between versions (under the same
        version, the structure error lists them)."""
        op, oo = self.parameters(self.old, o)
        np_, no = self.parameters(self.new, n)
        if (op is None) != (np_ is None):  # compare like with like: the explicit defaults only
            op, np_ = _explicit(o), _explicit(n)
        op, np_ = op or {}, np_ or {}
        of, nf = _fixed(o), _fixed(n)
        entity = n.title()
        scheduled = _scheduled(o) or _scheduled(n)
        renamed: set[str] = set()
        for name, p in op.items():
            ot = _param_type(p)
            if name not in np_:
                if name in nf:
                    self.report("SPC807", _lp_loc(n, name), related=[(_lp_loc(o, name),
                                                                      "the old input")],
                                var=name, entity=entity,
                                change=f"is now fixed to {literal(nf[name])}",
                                who="callers that set it")
                else:
                    to = _renamed_to(ot, {k: _param_type(v) for k, v in np_.items()
                                          if k not in op and k not in of})
                    if to is not None:
                        renamed.add(to)
                    at = _lp_loc(n, to).key() if to is not None else _lp_loc(n, name)
                    self.report("SPC802", at, related=[(_lp_loc(o, name), "the old input")],
                                var=name, type=T.type_to_str(ot), entity=entity,
                                **_rename_hint(to))
                continue
            q = np_[name]
            self.input_type(ot, _param_type(q), name, entity,
                            _lp_loc(o, name).child("var"), _lp_loc(n, name).child("var"))
            od, nd = _default(p), _default(q)
            related = [(_lp_loc(o, name), "the old input")]
            if od is not MISSING and nd is MISSING:
                who = "callers that leave it out" + (" and its schedule" if scheduled else "")
                self.report("SPC807", _lp_loc(n, name), related=related, var=name,
                            entity=entity, change=f"has no default any more (it was "
                                                  f"{literal(od)})",
                            who=who, hint="; give it a default again")
            elif od is MISSING and nd is not MISSING:
                self.report("SPC816", _lp_loc(n, name).child("default"), related=related,
                            var=name, entity=entity, change=f"now has a default ({literal(nd)})")
            elif od is not MISSING and od != nd and not same_version:
                self.report("SPC817", _lp_loc(n, name).child("default"),
                            related=[(_lp_loc(o, name).child("default"), "the old default")],
                            setting=f"the default of input '{name}'", entity=entity,
                            old=literal(od), new=literal(nd))
        for name, q in np_.items():
            if name in op or name in renamed:
                continue
            nt, nd = _param_type(q), _default(q)
            if name in of:
                related = [(_lp_loc(o, name), "the old fixed input")]
                if nd is MISSING:
                    who = "callers (they could not set it)" + (" and its schedule" if scheduled
                                                               else "")
                    self.report("SPC807", _lp_loc(n, name), related=related, var=name,
                                entity=entity, change=f"was fixed to {literal(of[name])} and "
                                                      f"is now required",
                                who=who, hint=f"; give it the default {literal(of[name])}")
                else:
                    self.report("SPC816", _lp_loc(n, name), related=related, var=name,
                                entity=entity, change=f"is no longer fixed to "
                                                      f"{literal(of[name])}; it defaults to "
                                                      f"{literal(nd)}")
            elif nd is MISSING:
                hint = ("; give it a default (a schedule sets no inputs)" if scheduled
                        else "; give it a default in the launch plan")
                self.report("SPC804", _lp_loc(n, name), var=name, type=T.type_to_str(nt),
                            entity=entity, hint=hint)
            else:
                self.report("SPC813", _lp_loc(n, name), var=name, type=T.type_to_str(nt),
                            entity=entity, why=f"it defaults to {literal(nd)}")
        for name, value in nf.items() if not same_version else ():
            if name in of and of[name] != value:
                self.report("SPC817", _lp_loc(n, name),
                            related=[(_lp_loc(o, name), "the old fixed value")],
                            setting=f"the fixed value of input '{name}'", entity=entity,
                            old=literal(of[name]), new=literal(value))
        for name, value in of.items() if not same_version else ():
            if name not in nf and name not in np_:
                self.report("SPC817", n.loc.child("spec", "fixedInputs"),
                            related=[(_lp_loc(o, name), "the old fixed value")],
                            setting=f"the fixed value of input '{name}'", entity=entity,
                            old=literal(value), new="unset")
        # its outputs are its workflow's, reported on the workflow, unless it now launches
        # another workflow
        if oo is not None and no is not None and o.workflow_id.name != n.workflow_id.name:
            wf_at = n.loc.child("spec", "workflowId")
            self.outputs({k: (_var_type(v), wf_at) for k, v in oo.items()},
                         {k: (_var_type(v), wf_at) for k, v in no.items()}, entity, wf_at)

    def parameters(self, side: Side, lp: ir.LaunchPlan
                   ) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
        """(parameters, outputs) of ``lp`` as FlyteAdmin computes them, or (None, None) when its
        workflow is not known on that side."""
        res = side.resolution
        if res is not None and lp in res.launch_plans:
            params, outs = res.launch_plans[lp]
            return params, outs
        return None, None

    # -- other fields, between versions ----------------------------------------------------------
    def settings(self, o: ir.Entity, n: ir.Entity) -> None:
        skip = _SKIP.get(n.WHAT, frozenset())
        found = tree.changes(self.normalized(o, strip_refs=True),
                             self.normalized(n, strip_refs=True),
                             skip=lambda path: path[:2] in skip or path[:1] in skip)
        prefix = "spec." if isinstance(n, ir.LaunchPlan) else ""
        for c in found:
            label = c.label[len(prefix):] if c.label.startswith(prefix) else c.label
            related = [(o.loc.child(*c.old_at), "the old value")] if c.old_at is not None else []
            self.report("SPC817", n.loc.child(*c.anchor), related=related,
                        setting=f"'{label}'", entity=n.title(), old=show(c.old),
                        new=show(c.new))


# fields the settings comparison leaves to other rules: the identifier (matched on), the
# interface and a launch plan's inputs (the interface rules)
_SKIP: dict[str, frozenset[tuple[str, ...]]] = {
    "task": frozenset({("id",), ("interface",)}),
    "workflow": frozenset({("id",), ("interface",)}),
    "launch plan": frozenset({("id",), ("spec", "defaultInputs"), ("spec", "fixedInputs")}),
}


def _fields(found: list[Change]) -> str:
    labels = [c.label for c in found]
    if len(labels) == 1:
        return f"'{labels[0]}' differs"
    shown = ", ".join(f"'{x}'" for x in labels[:3])
    more = f" and {len(labels) - 3} more" if len(labels) > 3 else ""
    return f"{len(labels)} fields differ: {shown}{more}"


def _change_note(c: Change, o: ir.Entity, n: ir.Entity) -> tuple[Loc, str]:
    """Where one difference of a same-version error is, and what it is."""
    if c.new_at is None:
        assert c.old_at is not None
        return o.loc.child(*c.old_at), f"'{c.label}' was removed (it was {show(c.old)})"
    if c.old_at is None:
        return n.loc.child(*c.new_at), f"'{c.label}' was added ({show(c.new)})"
    return n.loc.child(*c.new_at), f"'{c.label}' is {show(c.new)}, was {show(c.old)}"


def _renamed_to(old_type: ir.Type | None, added: dict[str, ir.Type | None]) -> str | None:
    """The new name of a removed variable: the one added variable of the same type, if
    exactly one is."""
    same = [k for k, t in added.items() if t == old_type]
    return same[0] if len(same) == 1 else None


def _rename_hint(to: str | None, output: bool = False) -> dict[str, str]:
    """``hint`` for a variable that may have been renamed to ``to``."""
    if to is None:
        return {}
    use = "use" if output else "set"
    return {"hint": f"; it looks renamed to '{to}', which callers do not {use} either"}


def _spec(lp: ir.LaunchPlan) -> dict[str, Any]:
    spec = lp.raw.get("spec")
    return spec if isinstance(spec, dict) else {}


def _explicit(lp: ir.LaunchPlan) -> dict[str, Any]:
    got = (_spec(lp).get("defaultInputs") or {}).get("parameters") or {}
    return got if isinstance(got, dict) else {}


def _fixed(lp: ir.LaunchPlan) -> dict[str, Any]:
    got = (_spec(lp).get("fixedInputs") or {}).get("literals") or {}
    return got if isinstance(got, dict) else {}


def _scheduled(lp: ir.LaunchPlan) -> bool:
    return bool((_spec(lp).get("entityMetadata") or {}).get("schedule"))


def _param_type(p: Any) -> ir.Type | None:
    var = p.get("var") if isinstance(p, dict) else None
    return _var_type(var)


def _var_type(var: Any) -> ir.Type | None:
    t = var.get("type") if isinstance(var, dict) else None
    return t if isinstance(t, dict) else None


def _default(p: Any) -> Any:
    """A parameter's default literal, or MISSING when callers must set it."""
    d = p.get("default") if isinstance(p, dict) else None
    return d if isinstance(d, dict) and d else MISSING


def _lp_loc(lp: ir.LaunchPlan, name: str) -> Loc:
    """Where a launch plan says something about input ``name``: its default input, its fixed
    input, or (an input it leaves open without saying so) the workflow it launches."""
    if name in _explicit(lp):
        return lp.loc.child("spec", "defaultInputs", "parameters", name)
    if name in _fixed(lp):
        return lp.loc.child("spec", "fixedInputs", "literals", name)
    return lp.loc.child("spec", "workflowId")
