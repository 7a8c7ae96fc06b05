"""check-runtime: what Flyte registers and then fails (or silently mishandles) at run time.

Flyte's registration checks are shallow in places: the compiler and FlyteAdmin accept these
specs, and the failure surfaces later, in propeller, a plugin, the scheduler or Kubernetes. Each
check here names where Flyte fails (``specc explain SPC7xx`` cites the source, Flyte v1.16.8):

- attribute paths a promise cannot resolve on its type (propeller's ``resolveAttrPathInPromise``),
  or on the launch-plan value it is applied to;
- array nodes: nothing to map over, lists of different lengths, success criteria out of range
  (propeller's array node handler);
- pod tasks whose primary container is not one of their containers (the pod plugin);
- a launch-plan default or fixed value outside its enum (flytekit's enum transformer);
- requests above limits that FlyteAdmin's rounding lets through, negative quantities, and node
  resource overrides that do not parse (propeller and Kubernetes);
- schedules the native scheduler cannot use as written (a fixed rate with a kickoff input, a rate
  of 0, a cron that never fires);
- node ids that collide once branch cases are renamed, node timeouts beyond Go's range, gates
  without a signal id, conditions propeller cannot evaluate, and container command templates
  naming an input the task does not have.

Errors where the execution is certain to fail, warnings where it may (or silently does something
else). A node whose interface is unknown is skipped, as everywhere.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from typing import Any

from specc import cron, ir, quantity
from specc.diagnostics import Loc, Report
from specc.passes.resolve_references import hint

# the task types the pod plugin runs (a k8sPod target is read only by these)
_POD_TYPES = ("container", "python-task", "raw-container", "sidecar")
_PRIMITIVES = ("INTEGER", "FLOAT", "STRING", "BOOLEAN", "DATETIME", "DURATION")
_ORDERING = ("GT", "GTE", "LT", "LTE")
# Go's time.Duration holds at most 2**63 - 1 nanoseconds
_MAX_DURATION_S = Decimal(2**63 - 1) / Decimal(10**9)
_INPUT_VAR = re.compile(r"(?i){{\s*[.$]Inputs\.([^}\s]+)\s*}}")


def check_runtime(program: ir.Program, resolution: ir.Resolution,
                  entities: Sequence[ir.Entity],
                  report_for: Callable[[ir.Entity], Report]) -> None:
    for e in entities:
        if isinstance(e, ir.Task):
            _task(report_for(e), e)
        elif isinstance(e, ir.Workflow) and e in resolution.index:
            _Workflow(report_for(e), e, resolution).check()
        elif isinstance(e, ir.LaunchPlan):
            _launch_plan(report_for(e), program, resolution, e)


# ---- tasks -------------------------------------------------------------------------------------

def _task(report: Report, task: ir.Task) -> None:
    name = task.id.name
    containers = ([task.container] if task.container is not None else []) + \
        list(task.pod_containers)
    for c in containers:
        owner = f"task '{name}'" if not c.name else f"container '{c.name}' of task '{name}'"
        if c.resources is not None:
            _resources(report, owner, c.resources)
    if task.container is not None and task.interface is not None and task.interface.inputs:
        _command_templates(report, task, task.container)
    if "k8sPod" in task.raw and task.type in _POD_TYPES:
        _primary_container(report, task)


def _resources(report: Report, owner: str, res: ir.Resources) -> None:
    """Negative quantities (Kubernetes refuses them), and requests above limits that FlyteAdmin
    lets through because it compares values rounded up to whole units (propeller then lowers the
    request to the limit)."""
    names = {"cpu": "CPU", "memory": "MEMORY", "ephemeral-storage": "EPHEMERAL_STORAGE"}
    got: dict[str, dict[str, tuple[Decimal, ir.Resource]]] = {"requests": {}, "limits": {}}
    for which, entries in (("requests", res.requests), ("limits", res.limits)):
        for r in entries:
            q = quantity.parse(r.value)
            if q is None:
                continue  # check-registration reports it
            if q < 0:
                report("SPC713", r.loc, resource=r.name, which=which[:-1], value=r.value,
                       owner=owner)
                continue
            key = names.get(r.name.lower(), r.name)
            got[which].setdefault(key, (q, r))
    for key in ("CPU", "MEMORY", "EPHEMERAL_STORAGE"):
        req, lim = got["requests"].get(key), got["limits"].get(key)
        if req is None or lim is None:
            continue
        if req[0] > lim[0] and quantity.rounded(req[0]) <= quantity.rounded(lim[0]):
            report("SPC712", req[1].loc, resource=key, request=req[1].value,
                   limit=lim[1].value, owner=owner)


def _command_templates(report: Report, task: ir.Task, c: ir.Container) -> None:
    """``{{.inputs.NAME}}`` in a container's command or args, for a NAME the task does not take.
    With no inputs at all propeller leaves the text as it is, so only tasks with inputs."""
    assert task.interface is not None
    inputs = task.interface.inputs
    raw = c.raw if isinstance(c.raw, dict) else {}
    for where in ("command", "args"):
        for i, arg in enumerate(raw.get(where, [])):
            if not isinstance(arg, str) or "{{" not in arg:  # (the test is cheap, the regex not)
                continue
            for m in _INPUT_VAR.finditer(arg):
                var = m.group(1)
                if var not in inputs:
                    report("SPC724", c.loc.child(where, i), var=var, where=where,
                           task=task.id.name, hint=hint(var, inputs))


def _primary_container(report: Report, task: ir.Task) -> None:
    """The pod plugin finds the primary container by ``config.primary_container_name``, among
    the pod spec's containers (sidecar tasks before version 2 read their pod from 'custom')."""
    raw = task.raw
    name = task.id.name
    spec = raw["k8sPod"].get("podSpec")
    if not isinstance(spec, dict):
        return  # check-registration reports it
    if task.type == "sidecar" and int(raw.get("taskTypeVersion", 0) or 0) < 2:
        if "custom" not in raw:
            report("SPC710", task.loc.child("k8sPod"), task=name,
                   problem="is a sidecar task before version 2, which the pod plugin reads "
                           "from 'custom', not from 'k8sPod'",
                   fix="set 'taskTypeVersion: 2'")
        return
    names = [c.get("name") for c in spec.get("containers") or [] if isinstance(c, dict)] \
        if isinstance(spec.get("containers"), list) else []
    config = raw.get("config", {})
    primary = config.get("primary_container_name")
    if primary is None:
        report("SPC710", task.loc.child("config") if "config" in raw else task.loc.key(),
               task=name, problem="has no 'config.primary_container_name'",
               fix=f"add 'config: {{primary_container_name: {names[0]}}}'" if names
               else "name one of the pod's containers there")
    elif primary not in names:
        h = hint(primary, [n for n in names if isinstance(n, str)])
        report("SPC710", task.loc.child("config", "primary_container_name"), task=name,
               problem=f"names primary container '{primary}', which is not one of the pod's "
                       f"containers",
               fix=f"name one of {', '.join(repr(n) for n in names)}{h}" if names
               else "add a container of that name")


# ---- workflows ---------------------------------------------------------------------------------

class _Workflow:
    def __init__(self, report: Report, wf: ir.Workflow, res: ir.Resolution) -> None:
        self.report = report
        self.wf = wf
        self.res = res
        self.index = res.index[wf]

    def check(self) -> None:
        for n, _b, p in ir.walk.promises(self.wf, self.res.top_nodes):
            if p.attr_path and n is not None:
                self.attr_path(p)
        for n in self.res.nodes(self.wf):
            self.node(n)
        for b in self.wf.outputs:
            for p in b.promises():
                if p.attr_path:
                    self.attr_path(p)
        self.collisions()

    # -- attribute paths -------------------------------------------------------------------------
    def source_type(self, p: ir.Promise) -> ir.Type | None:
        up = self.index.get(p.source_id)
        ui = self.res.interface(up) if up is not None else None
        if ui is None or p.name is None:
            return None
        t = ui.outputs.get(p.name)
        if t is not None and p.index is not None:
            t = t.get("collectionType")
        return t

    def attr_path(self, p: ir.Promise) -> None:
        t = self.source_type(p)
        if t is None:
            return  # unknown, or reported by check-types
        for i, step in enumerate(p.attr_path):
            sloc = p.loc.child("attrPath", i)
            source = describe(p, p.attr_path[:i + 1])
            if "collectionType" in t:
                if "stringValue" in step:
                    self.report("SPC703", sloc, source=source,
                                type=_type_str(t), key=step["stringValue"])
                elif int(step.get("intValue", 0)) < 0:
                    self.report("SPC702", sloc, source=source,
                                index=step["intValue"])
                    return
                t = t["collectionType"]
            elif "mapValueType" in t:
                if "stringValue" not in step:
                    self.report("SPC701", sloc, source=source, type=_type_str(t),
                                index=step.get("intValue", 0))
                    return
                t = t["mapValueType"]
            elif (t.get("structure") or {}).get("dataclassType"):
                fields = t["structure"]["dataclassType"]
                key = step.get("stringValue", "")
                if key not in fields:
                    return  # check-types reports it (FieldNotFound)
                t = fields[key]
            elif t.get("simple") == "STRUCT" or ("simple" not in t and not _opaque(t)):
                return  # a struct whose shape is not declared: nothing to go by
            else:
                self.report("SPC704", sloc, source=source, type=_type_str(t))
                return

    # -- nodes -----------------------------------------------------------------------------------
    def node(self, n: ir.Node) -> None:
        if isinstance(n, ir.ArrayNode):
            self.array(n)
        elif isinstance(n, ir.BranchNode):
            self.branch(n)
        elif isinstance(n, ir.ApproveGateNode):
            if not n.gate.get("approve", {}).get("signalId"):
                self.report("SPC721", n.loc.child("gateNode", "approve"), what="approve",
                            node=n.display_id)
        elif isinstance(n, ir.SignalGateNode):
            if not n.signal_id:
                self.report("SPC721", n.loc.child("gateNode", "signal"), what="signal",
                            node=n.display_id)
        elif isinstance(n, ir.TaskNode):
            self.overrides(n)
        t = n.metadata.timeout
        if t is not None and isinstance(t.value, str):
            secs = _proto_duration(t.value)
            if secs is not None and secs > _MAX_DURATION_S:
                self.report("SPC720", t.loc, value=t.value, node=n.display_id)

    def overrides(self, n: ir.TaskNode) -> None:
        res = n.raw.get("taskNode", {}).get("overrides", {}).get("resources", {})
        rloc = n.loc.child("taskNode", "overrides", "resources")
        for which in ("requests", "limits"):
            for i, e in enumerate(res.get(which, [])):
                value = e.get("value", "")
                if quantity.parse(value) is None:
                    self.report("SPC714", rloc.child(which, i, "value"), value=value,
                                resource=f"{which} {e.get('name', 'UNKNOWN')}",
                                node=n.display_id)

    def lists_given(self, n: ir.ArrayNode) -> bool:
        """Whether a list is bound to an input its task takes as a single value: check-types
        reports that mismatch, saying how map works, and the node does not map 'nothing'."""
        iface = self.res.interface(n)
        for b in n.inputs:
            want = (iface.inputs.get(b.var) if iface is not None else None) or {}
            if "collectionType" in want:
                continue
            if isinstance(b.value, ir.Collection):
                return True
            if isinstance(b.value, ir.PromiseValue) and b.value.promise.index is None and \
                    not b.value.promise.attr_path:
                got = self.source_type(b.value.promise)
                if got is not None and "collectionType" in got:
                    return True
        return False

    def array(self, n: ir.ArrayNode) -> None:
        raw = n.raw.get("arrayNode", {})
        aloc = n.loc.child("arrayNode")
        iface = self.res.interface(n)
        bound_names = raw.get("boundInputs", [])
        vars_ = list(dict.fromkeys(b.var for b in n.inputs if b.value is not None))
        lengths: dict[str, int] = {}
        if iface is not None:
            mapped = [v for v in vars_ if v not in bound_names
                      and "collectionType" in (iface.inputs.get(v) or {})]
            if not mapped and len(bound_names) != len(vars_) and not self.lists_given(n):
                what = "none of its inputs is a list" if not any(
                    "collectionType" in (iface.inputs.get(v) or {}) for v in vars_) \
                    else "every list input is in 'boundInputs'"
                self.report("SPC706", aloc.key(), node=n.display_id, problem=what)
            for b in n.inputs:
                if b.var in mapped and isinstance(b.value, ir.Collection):
                    lengths.setdefault(b.var, len(b.value.items))
            if len(set(lengths.values())) > 1:
                detail = ", ".join(f"'{v}' has {k}" for v, k in lengths.items())
                self.report("SPC707", aloc.key(), node=n.display_id, detail=detail)
        known = next(iter(lengths.values())) if len(set(lengths.values())) == 1 and \
            len(lengths) == len([v for v in vars_ if v not in bound_names]) else None
        ratio = n.min_success_ratio
        if ratio is not None and isinstance(ratio, (int, float)):
            if ratio > 1:
                self.report("SPC708", aloc.child("minSuccessRatio"), node=n.display_id,
                            problem=f"asks for a success ratio of {ratio}, above 1",
                            fix="give a ratio between 0 and 1")
            elif ratio <= 0:
                self.report("SPC709", aloc.child("minSuccessRatio"), node=n.display_id,
                            problem=f"is a success ratio of {ratio}")
        ms = n.min_successes
        if ms is not None and isinstance(ms, int):
            if known is not None and ms > known:
                self.report("SPC708", aloc.child("minSuccesses"), node=n.display_id,
                            problem=f"asks for {ms} successes, but the node maps over "
                                    f"{known} item{'s' if known != 1 else ''}",
                            fix=f"ask for at most {known}")
            elif ms <= 0 and "minSuccesses" in raw:
                self.report("SPC709", aloc.child("minSuccesses"), node=n.display_id,
                            problem=f"asks for {ms} successes")

    def branch(self, n: ir.BranchNode) -> None:
        iface = self.res.interface(n)
        br = n.branch
        if iface is None or br is None:
            return
        for blk in br.blocks():
            if blk.condition is not None:
                for cmp, cloc in _comparisons(blk.condition, blk.loc.child("condition")):
                    self.comparison(n, iface, cmp, cloc)

    def comparison(self, n: ir.BranchNode, iface: ir.ResolvedInterface, cmp: dict[str, Any],
                   loc: Loc) -> None:
        op = cmp.get("operator", "EQ")
        if not all("primitive" in (cmp.get(s) or {}) or (cmp.get(s) or {}).get("var")
                   for s in ("leftValue", "rightValue")):
            return  # Flyte's compiler refuses the operand (check-types), nothing gets this far
        booleans = False
        for side in ("leftValue", "rightValue"):
            operand = cmp.get(side) or {}
            if "primitive" in operand:
                booleans = booleans or "boolean" in operand["primitive"]
                continue
            var = operand.get("var")
            t = iface.inputs.get(var) if var else None
            if t is None:
                continue  # check-types reports it
            if t.get("simple") not in _PRIMITIVES:
                self.report("SPC723", loc.child(side, "var"), node=n.display_id, var=var,
                            type=_type_str(t))
                return
            booleans = booleans or t.get("simple") == "BOOLEAN"
        if booleans and op in _ORDERING:
            self.report("SPC722", loc.child("operator"), node=n.display_id, op=op)

    # -- node ids after renaming -----------------------------------------------------------------
    def collisions(self) -> None:
        """Flyte flattens a workflow's nodes and its branches' cases, renamed
        '<branch>-<case>', into one map when it builds an execution; two different nodes under
        one id are a ValueCollision."""
        seen: dict[str, ir.Node] = {}
        for n in _flattened(self.res.top_nodes(self.wf)):
            first = seen.get(n.display_id)
            if first is None:
                seen[n.display_id] = n
                continue
            if _without_id(first.raw) == _without_id(n.raw):
                continue
            self.report("SPC719", n.loc.child("id"),
                        related=[(first.loc.child("id"), "the other node of that id")],
                        node=n.display_id, workflow=self.wf.id.name,
                        detail=_origin(n) + " and " + _origin(first))


def _flattened(nodes: list[ir.Node]) -> Iterator[ir.Node]:
    for n in nodes:
        yield n
        if isinstance(n, ir.BranchNode):
            yield from _flattened(n.children())


def _origin(n: ir.Node) -> str:
    if n.parent is not None and isinstance(n.parent, ir.BranchNode):
        return f"case node '{n.id}' of branch '{n.parent.display_id}'"
    return f"node '{n.id}'"


def _without_id(raw: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in raw.items() if k != "id"}


def _comparisons(expr: dict[str, Any], loc: Loc) -> Iterator[tuple[dict[str, Any], Loc]]:
    if "comparison" in expr:
        yield expr["comparison"], loc.child("comparison")
    elif "conjunction" in expr:
        conj = expr["conjunction"]
        for side in ("leftExpression", "rightExpression"):
            if isinstance(conj.get(side), dict):
                yield from _comparisons(conj[side], loc.child("conjunction", side))


# ---- launch plans ------------------------------------------------------------------------------

def _launch_plan(report: Report, program: ir.Program, res: ir.Resolution,
                 lp: ir.LaunchPlan) -> None:
    spec = lp.raw.get("spec", {})
    sloc = lp.loc.child("spec")
    wf = program.workflows.get(lp.workflow_id.key)
    if wf is not None and wf.broken:
        wf = None
    wf_inputs = {n: v.type for n, v in (wf.interface.inputs if wf and wf.interface
                                       else {}).items()}
    params = spec.get("defaultInputs", {}).get("parameters", {})
    fixed = spec.get("fixedInputs", {}).get("literals", {})
    values: dict[str, tuple[str, dict[str, Any], Loc]] = {}
    for var, p in params.items():
        if isinstance(p, dict) and "default" in p:
            values[var] = ("default", p["default"],
                           sloc.child("defaultInputs", "parameters", var, "default"))
    for var, lit in fixed.items():
        values[var] = ("fixed", lit, sloc.child("fixedInputs", "literals", var))
    for var, (which, lit, vloc) in values.items():
        want = wf_inputs.get(var) or (params.get(var, {}).get("var", {}).get("type")
                                      if which == "default" else None)
        choices = (want or {}).get("enumType", {}).get("values")
        value = lit.get("scalar", {}).get("primitive", {}).get("stringValue")
        if choices is not None and isinstance(value, str) and value not in choices:
            report("SPC711", vloc, which=which, var=var, lp=lp.id.name, value=value,
                   choices=", ".join(f"'{c}'" for c in choices))
    if wf is not None and wf in res.index:
        _paths_on_values(report, lp, wf, res, values)
    meta = spec.get("entityMetadata", {})
    sched = meta.get("schedule") if isinstance(meta, dict) else None
    if sched:
        _schedule(report, lp, sched, sloc.child("entityMetadata", "schedule"), params, fixed)


def _paths_on_values(report: Report, lp: ir.LaunchPlan, wf: ir.Workflow, res: ir.Resolution,
                     values: dict[str, tuple[str, dict[str, Any], Loc]]) -> None:
    """Attribute paths on a workflow input, against the value the launch plan gives it."""
    for _n, _b, p in ir.walk.promises(wf, res.top_nodes):
        if p.source_id != ir.START_NODE or not p.attr_path or p.name not in values:
            continue
        which, lit, vloc = values[p.name]
        if p.index is not None:
            continue  # an index on a workflow input: check-types reports it
        problem = _resolve_on_literal(lit, p.attr_path)
        if problem is not None:
            report("SPC705", vloc, source=describe(p, p.attr_path),
                   which=which, lp=lp.id.name, problem=problem,
                   related=[(p.loc.child("attrPath"), "the attribute path")])


def _resolve_on_literal(lit: Any, path: list[dict[str, Any]]) -> str | None:
    """What goes wrong following ``path`` into literal ``lit`` as propeller does, or None (it
    resolves, or the literal says too little to know)."""
    cur: Any = lit
    for i, step in enumerate(path):
        if isinstance(cur, dict) and "map" in cur:
            items = cur["map"].get("literals", {})
            if "stringValue" not in step:
                return None  # SPC701 covers an int step on a map type
            key = step["stringValue"]
            if key not in items:
                return f"it has no key '{key}'{_keys(items)}"
            cur = items[key]
        elif isinstance(cur, dict) and "collection" in cur:
            items = cur["collection"].get("literals", [])
            at = int(step.get("intValue", 0))
            if at >= len(items):
                return f"index {at} is past its {_count(len(items))}"
            if at < 0:
                return None  # SPC702
            cur = items[at]
        elif isinstance(cur, dict) and "generic" in (cur.get("scalar") or {}):
            # propeller hands the rest of the path to the struct (resolveAttrPathInPbStruct)
            return _resolve_on_struct(cur["scalar"]["generic"], path[i:])
        else:
            return None
    return None


def _resolve_on_struct(cur: Any, path: list[dict[str, Any]]) -> str | None:
    for step in path:
        if isinstance(cur, dict):
            key = step.get("stringValue", "")
            if key not in cur:
                return f"it has no key '{key}'{_keys(cur)}"
            cur = cur[key]
        elif isinstance(cur, list):
            at = int(step.get("intValue", 0))
            if at >= len(cur) or at < 0:
                return f"index {at} is outside its {_count(len(cur))}"
            cur = cur[at]
        else:
            return None
    return None


def _count(n: int) -> str:
    return f"{n} element{'s' if n != 1 else ''}"


def _keys(items: dict[str, Any]) -> str:
    keys = sorted(items)
    if not keys:
        return " (it is empty)"
    shown = ", ".join(f"'{k}'" for k in keys[:5]) + (", ..." if len(keys) > 5 else "")
    return f" (keys: {shown})"


def _schedule(report: Report, lp: ir.LaunchPlan, sched: dict[str, Any], sloc: Loc,
              params: dict[str, Any], fixed: dict[str, Any]) -> None:
    name = lp.id.name
    kickoff = sched.get("kickoffTimeInputArg", "")
    if "rate" in sched:
        rate = sched["rate"] if isinstance(sched["rate"], dict) else {}
        if not rate.get("value"):
            report("SPC717", sloc.child("rate"), lp=name,
                   problem="has a fixed rate of 0, which FlyteAdmin takes for no schedule: it "
                           "never runs",
                   fix="give the rate a positive 'value'")
        if kickoff and kickoff not in fixed:
            p = params.get(kickoff, {})
            if "default" in p:
                report("SPC716", sloc.child("kickoffTimeInputArg"), lp=name, var=kickoff)
            else:
                report("SPC715", sloc.child("kickoffTimeInputArg"), lp=name, var=kickoff)
    expr, eloc = None, None
    if sched.get("cronExpression"):
        expr, eloc = sched["cronExpression"], sloc.child("cronExpression")
    elif "cronSchedule" in sched:
        cs = sched["cronSchedule"] if isinstance(sched["cronSchedule"], dict) else {}
        expr, eloc = cs.get("schedule", ""), sloc.child("cronSchedule", "schedule")
        if not expr.strip():
            report("SPC717", sloc.child("cronSchedule"), lp=name,
                   problem="has an empty cron schedule, which FlyteAdmin takes for no "
                           "schedule: it never runs",
                   fix="write the cron expression in 'schedule'")
        if cs.get("offset"):
            report("SPC717", sloc.child("cronSchedule", "offset"), lp=name,
                   problem=f"sets the offset '{cs['offset']}', which the native scheduler "
                           f"ignores",
                   fix="shift the cron expression instead")
    if expr and eloc is not None and cron.check(expr) is None:
        every = cron.every_seconds(expr)
        if every is not None and every < 1:
            report("SPC717", eloc, lp=name,
                   problem=f"runs '{expr.strip()}', shorter than a second, which the scheduler "
                           f"rounds up: it runs every second",
                   fix="give a duration of at least 1s")
        why = cron.never_fires(expr)
        if why is not None:
            report("SPC718", eloc, expr=expr, reason=why)


# ---- helpers -----------------------------------------------------------------------------------

def describe(p: ir.Promise, path: list[dict[str, Any]]) -> str:
    """What a promise names up to ``path``, for messages: "output 'n0.o0[1]'" or "workflow
    input 'x.key'"."""
    name = f"{'[' + str(p.index) + '].' if p.index is not None else ''}{p.name}" + \
        path_text(path)
    if p.source_id == ir.START_NODE:
        return f"workflow input '{name}'"
    return f"output '{p.source_id}.{name}'"


def path_text(path: list[dict[str, Any]]) -> str:
    """An attribute path as flytekit's Python spelling: ``.key``, ``[0]``."""
    s = ""
    for a in path:
        if "stringValue" in a:
            s += f".{a['stringValue']}"
        else:
            s += f"[{a.get('intValue', 0)}]"
    return s


def _opaque(t: ir.Type) -> bool:
    """A type propeller does not look inside: blobs, schemas, datasets, enums, unions."""
    return any(k in t for k in ("blob", "schema", "structuredDatasetType", "enumType",
                                "unionType"))


def _type_str(t: ir.Type) -> str:
    from specc import types as T

    return T.type_to_str(t)


def _proto_duration(text: str) -> Decimal | None:
    """The seconds of a protobuf JSON duration ('600s', '1.5s'), or None."""
    m = re.fullmatch(r"(-?\d+(?:\.\d+)?)s", text.strip())
    return Decimal(m.group(1)) if m else None
