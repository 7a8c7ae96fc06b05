"""Lowering: a dialect document (plain data) to the flyteidl form, with a pointer map.

``lower(data)`` returns a ``Lowered``: the document kind in flyteidl terms (``TaskSpec``,
``WorkflowSpec`` or ``LaunchPlan``), the flyteidl data (which check-schema then walks like any
other document, so the canonical form and its checks are the same), a map from every produced
JSON pointer to the dialect pointer it came from, and the problems found. It reads nothing but the
one document: references to other documents stay references, resolved by the passes.

Defaults (docs/dialect.md): references inherit project, domain, version and org from the document;
``style: pyflyte`` adds what pyflyte writes into every spec (empty retries and overrides, node
names, descriptions equal to the variable name, upstream ids from the data references, union tags)
so that specs converted from pyflyte's output stay short. ``flyte:`` overrides, a mapping from a
JSON pointer to a flyteidl value (null removes), are applied last; they say what the dialect has
no words for.
"""
from __future__ import annotations

import copy
import difflib
import re
import shlex
from dataclasses import dataclass, field

from specc.dialect import API_VERSION, KINDS
from specc.dialect.grammars import ExprError, Ref, parse_condition, parse_ref, parse_type
from specc.diagnostics import json_kind


@dataclass
class Issue:
    code: str
    pointer: str  # dialect pointer
    args: dict
    at_key: bool = False
    offset: int | None = None  # into the expression held by the scalar at ``pointer``
    length: int = 1


@dataclass
class Lowered:
    kind: str | None
    data: dict | None
    pointer_map: dict[str, str] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    # lowered pointer of every node -> the dialect mapping it came from (the emitter's hook)
    nodes: dict[str, dict] = field(default_factory=dict)


RESOURCE_NAMES = {"cpu": "CPU", "memory": "MEMORY", "gpu": "GPU", "storage": "STORAGE",
                  "ephemeralStorage": "EPHEMERAL_STORAGE"}
MOUNTS = {"any": "ANY", "env": "ENV_VAR", "file": "FILE"}
PHASES = ("UNDEFINED", "QUEUED", "RUNNING", "SUCCEEDING", "SUCCEEDED", "FAILING", "FAILED",
          "ABORTED", "TIMED_OUT", "ABORTING")
RATE_UNITS = {"m": "MINUTE", "h": "HOUR", "d": "DAY"}
# pyflyte's union tags (structure.tag) for simple variants
PYFLYTE_TAGS = {"INTEGER": "int", "FLOAT": "float", "STRING": "str", "BOOLEAN": "bool",
                "NONE": "none", "DATETIME": "datetime", "DURATION": "timedelta"}

COMMON_KEYS = ("apiVersion", "kind", "name", "version", "project", "domain", "org", "style",
               "flyte")
TASK_KEYS = COMMON_KEYS + ("type", "inputs", "outputs", "image", "command", "args", "env",
                           "requests", "limits", "retries", "timeout", "interruptible", "cache",
                           "secrets", "runtime", "config", "custom")
WORKFLOW_BODY_KEYS = ("inputs", "outputs", "nodes", "onFailure", "interruptible", "flyte")
WORKFLOW_KEYS = COMMON_KEYS + WORKFLOW_BODY_KEYS + ("subWorkflows",)
SUB_WORKFLOW_KEYS = WORKFLOW_BODY_KEYS + ("name", "version", "project", "domain", "org")
LAUNCH_PLAN_KEYS = COMMON_KEYS + ("workflow", "inputs", "fixed", "schedule", "notify", "labels",
                                  "annotations")
TARGETS = ("task", "workflow", "launchPlan", "branch", "map", "approve", "signal", "sleep")
NODE_KEYS = TARGETS + ("inputs", "after", "name", "retries", "timeout", "interruptible",
                       "aliases", "requests", "limits", "parallelism", "minSuccesses",
                       "minSuccessRatio", "flyte")
INNER_NODE_KEYS = NODE_KEYS + ("id",)

_DURATION = re.compile(r"^(?:(\d+(?:\.\d+)?)(h|ms|us|µs|ns|m|s))+$")
_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)(h|ms|us|µs|ns|m|s)")
_NANOS = {"h": 3600 * 10**9, "m": 60 * 10**9, "s": 10**9, "ms": 10**6, "us": 10**3,
          "µs": 10**3, "ns": 1}


def esc(k: str) -> str:
    return k.replace("~", "~0").replace("/", "~1")


def unesc(k: str) -> str:
    return k.replace("~1", "/").replace("~0", "~")





def _rate(text: str) -> dict | None:
    """'10m', '2h', '1d' -> Flyte's FixedRate {value, unit}; several parts ('1h30m') add up in
    the smallest unit written (90 MINUTE). None when it is not whole minutes, hours or days."""
    parts = re.findall(r"(\d+)([mhd])", text)
    if not parts or "".join(n + u for n, u in parts) != text:
        return None
    if len(parts) == 1:
        return {"value": int(parts[0][0]), "unit": RATE_UNITS[parts[0][1]]}
    minutes = {"m": 1, "h": 60, "d": 1440}
    unit = min((u for _, u in parts), key=minutes.__getitem__)
    total = sum(int(n) * minutes[u] for n, u in parts) // minutes[unit]
    return {"value": total, "unit": RATE_UNITS[unit]}


def parse_duration(text: str) -> str | None:
    """'1h30m', '30s', '1.5s', '500ms' -> protobuf's '5400s' form; None when it does not parse."""
    if not isinstance(text, str) or not _DURATION.match(text.strip()):
        return None
    nanos = 0
    for num, unit in _DURATION_PART.findall(text.strip()):
        if "." in num:
            whole, frac = num.split(".")
            nanos += int(whole) * _NANOS[unit] + int(frac.ljust(9, "0")[:9]) * _NANOS[unit] \
                // 10**9
        else:
            nanos += int(num) * _NANOS[unit]
    secs, rest = divmod(nanos, 10**9)
    if rest:
        return f"{secs}.{rest:09d}".rstrip("0") + "s"
    return f"{secs}s"


class _Lowerer:
    def __init__(self, data: dict) -> None:
        self.data = data
        self.out = Lowered(None, None)
        self.pmap = self.out.pointer_map
        self.pyflyte = False
        self.ident: dict[str, str] = {}

    # ---- reporting and small helpers -----------------------------------------------------
    def issue(self, code: str, at: str, /, at_key: bool = False, offset: int | None = None,
              length: int = 1, **args) -> None:
        self.out.issues.append(Issue(code, at, args, at_key, offset, length))

    def map(self, canon: str, src: str) -> None:
        self.pmap.setdefault(canon, src)

    def wrong(self, src: str, field_: str, expected: str, value) -> None:
        self.issue("SPC033", src, field=field_, expected=expected, found=json_kind(value))

    def keys(self, body: dict, allowed: tuple, src: str, where: str) -> None:
        for k in body:
            if k not in allowed:
                close = difflib.get_close_matches(k, allowed, n=1, cutoff=0.6)
                hint = f"; did you mean '{close[0]}'?" if close else \
                    "; known fields: " + ", ".join(a for a in allowed
                                                   if a not in ("apiVersion", "kind"))
                self.issue("SPC032", f"{src}/{esc(k)}", at_key=True, field=k, where=where,
                           hint=hint)

    def mapping(self, v, src: str, field_: str) -> dict | None:
        if v is None:
            return {}
        if not isinstance(v, dict):
            self.wrong(src, field_, "a mapping", v)
            return None
        return v

    def string(self, v, src: str, field_: str, allow_int: bool = False) -> str | None:
        if isinstance(v, str):
            return v
        if allow_int and isinstance(v, int) and not isinstance(v, bool):
            return str(v)
        self.issue("SPC033", src, field=field_,
                   expected="a string" + (" (quote it)" if isinstance(v, (int, float))
                                          and not isinstance(v, bool) else ""),
                   found=json_kind(v))
        return None

    def duration(self, v, src: str, field_: str) -> str | None:
        d = parse_duration(v) if isinstance(v, str) else None
        if d is None:
            self.issue("SPC037", src, field=field_, value=v if isinstance(v, str) else repr(v),
                       hint="; write a number and a unit, several in a row if needed: 30s, "
                            "5m, 1h30m, 500ms (units h, m, s, ms, us, ns)")
        return d

    # ---- the document --------------------------------------------------------------------
    def document(self) -> Lowered:
        d = self.data
        api = d.get("apiVersion")
        if api != API_VERSION:
            self.issue("SPC030", "/apiVersion", found=api if isinstance(api, str) else repr(api))
            return self.out
        kind = d.get("kind")
        if kind not in KINDS:
            close = difflib.get_close_matches(str(kind), KINDS, n=1, cutoff=0.5)
            self.issue("SPC031", "/kind" if "kind" in d else "", found=kind if isinstance(
                kind, str) else repr(kind), hint=f"; did you mean '{close[0]}'?" if close else "")
            return self.out
        style = d.get("style")
        if style is not None and style != "pyflyte":
            self.issue("SPC033", "/style", field="style", expected="'pyflyte' (or no 'style')",
                       found=repr(style) if not isinstance(style, str) else f"'{style}'")
        self.pyflyte = style == "pyflyte"
        self.ident = self.identity(d, "", required=True)
        if kind == "Task":
            self.keys(d, TASK_KEYS, "", "a Task")
            self.out.kind = "TaskSpec"
            template = self.task(d)
            data = {"template": template}
            self.map("/template", "")
        elif kind == "Workflow":
            self.keys(d, WORKFLOW_KEYS, "", "a Workflow")
            self.out.kind = "WorkflowSpec"
            data = {"template": self.workflow(d, "", "/template", self.ident)}
            self.map("/template", "")
            subs = self.mapping(d.get("subWorkflows"), "/subWorkflows", "subWorkflows")
            if subs:
                out = []
                for name, body in subs.items():
                    ssrc = f"/subWorkflows/{esc(name)}"
                    body = self.mapping(body, ssrc, f"subWorkflows.{name}")
                    if body is None:
                        continue
                    self.keys(body, SUB_WORKFLOW_KEYS, ssrc, f"sub-workflow '{name}'")
                    ident = dict(self.ident)
                    ident["name"] = name
                    for k in ("version", "project", "domain", "org"):
                        if k in body:
                            s = self.string(body[k], f"{ssrc}/{k}", k)
                            if s is not None:
                                ident[k] = s
                    canon = f"/subWorkflows/{len(out)}"
                    self.map(canon, ssrc)
                    out.append(self.workflow(body, ssrc, canon, ident))
                if out:
                    data["subWorkflows"] = out
        else:
            self.keys(d, LAUNCH_PLAN_KEYS, "", "a LaunchPlan")
            self.out.kind = "LaunchPlan"
            data = self.launch_plan(d)
        self.overlay(data, d.get("flyte"), "/flyte", "")
        self.out.data = data
        self.close_map(data, "")
        return self.out

    def close_map(self, v, pointer: str) -> None:
        """Map every produced pointer to a dialect pointer that exists: a produced value nested
        deeper than its dialect source (``retries: 3`` -> ``retries: {retries: 3}``) names the
        source itself, not an imagined child of it."""
        src = _source(pointer, self.pmap)
        if src is not None and not _exists(self.data, src):
            parts = src.split("/")
            while len(parts) > 1 and not _exists(self.data, "/".join(parts)):
                parts.pop()
            self.pmap[pointer] = "/".join(parts)
        if isinstance(v, dict):
            for k, x in v.items():
                self.close_map(x, f"{pointer}/{esc(k)}")
        elif isinstance(v, list):
            for i, x in enumerate(v):
                self.close_map(x, f"{pointer}/{i}")

    def identity(self, d: dict, src: str, required: bool) -> dict[str, str]:
        ident: dict[str, str] = {}
        if "name" not in d and required:
            self.issue("SPC041", src or "/kind", what=f"a {d.get('kind', 'document')}",
                       field="name")
        for k in ("name", "version", "project", "domain", "org"):
            if k in d and d[k] is not None:
                s = self.string(d[k], f"{src}/{k}", k)
                if s is not None:
                    ident[k] = s
        return ident

    def identifier(self, rtype: str, ident: dict[str, str]) -> dict:
        out = {"resourceType": rtype}
        for k in ("project", "domain", "name", "version", "org"):
            if ident.get(k):
                out[k] = ident[k]
        return out

    def reference(self, v, src: str, rtype: str, what: str) -> dict | None:
        """``[project/domain/]name[@version]`` or a mapping; unset parts from the document."""
        ident = {k: v2 for k, v2 in self.ident.items() if k != "name"}
        if isinstance(v, str):
            text = v
            if "@" in text:
                text, ident["version"] = text.rsplit("@", 1)
            parts = text.split("/")
            if len(parts) == 3:
                ident["project"], ident["domain"], ident["name"] = parts
            elif len(parts) == 1:
                ident["name"] = parts[0]
            else:
                self.issue("SPC039", src, text=v, what=what,
                           problem="write name, name@version or project/domain/name@version")
                return None
            if not ident["name"]:
                self.issue("SPC039", src, text=v, what=what, problem="the name is empty")
                return None
        elif isinstance(v, dict):
            for k, x in v.items():
                if k not in ("name", "version", "project", "domain", "org"):
                    self.issue("SPC032", f"{src}/{esc(k)}", at_key=True, field=k,
                               where=f"a {what} reference",
                               hint="; known fields: name, version, project, domain, org")
                    continue
                s = self.string(x, f"{src}/{esc(k)}", k) if x is not None else ""
                if s is not None:
                    ident[k] = s
            if not ident.get("name"):
                self.issue("SPC039", src, text=str(v), what=what, problem="it has no 'name'")
                return None
        else:
            self.wrong(src, what, f"a {what} name", v)
            return None
        return self.identifier(rtype, ident)

    # ---- types and interfaces --------------------------------------------------------------
    def type_(self, v, src: str, canon: str, field_: str = "type") -> dict | None:
        self.map(canon, src)
        if isinstance(v, str):
            try:
                t = parse_type(v)
            except ExprError as e:
                self.issue("SPC034", src, offset=e.offset, length=e.length, problem=e.problem)
                return None
            if self.pyflyte:
                _tag_unions(t)
            return t
        if isinstance(v, dict):
            return copy.deepcopy(v)  # the flyteidl form itself (check-schema checks it)
        self.wrong(src, field_, "a type such as int or list[str]", v)
        return None

    def variables(self, v, src: str, canon: str, outputs_with_values: bool = False
                  ) -> tuple[dict | None, list]:
        """``name: type`` or ``name: {type, description[, value]}`` -> VariableMap (and, for
        workflow outputs, the bindings)."""
        body = self.mapping(v, src, src.rsplit("/", 1)[-1])
        bindings: list = []
        if body is None:
            return None, bindings
        out: dict = {}
        self.map(canon, src)
        for name, spec in body.items():
            vsrc = f"{src}/{esc(name)}"
            vcanon = f"{canon}/variables/{esc(name)}"
            self.map(vcanon, vsrc)
            var: dict = {}
            desc = None
            if isinstance(spec, dict) and not _is_raw_type(spec):
                allowed = ("type", "description", "value") if outputs_with_values else \
                    ("type", "description")
                self.keys(spec, allowed, vsrc, f"variable '{name}'")
                if "type" not in spec:
                    self.issue("SPC041", vsrc, what=f"variable '{name}'", field="type")
                else:
                    t = self.type_(spec["type"], f"{vsrc}/type", f"{vcanon}/type")
                    if t is not None:
                        var["type"] = t
                if "description" in spec:
                    desc = self.string(spec["description"], f"{vsrc}/description",
                                       "description")
                    self.map(f"{vcanon}/description", f"{vsrc}/description")
                if outputs_with_values and "value" in spec:
                    i = len(bindings)
                    bcanon = f"/outputs/{i}"
                    bindings.append((name, spec["value"], f"{vsrc}/value", bcanon))
            else:
                t = self.type_(spec, vsrc, f"{vcanon}/type")
                if t is not None:
                    var["type"] = t
            if desc is not None:
                var["description"] = desc
            elif self.pyflyte:
                var["description"] = name
            out[name] = var
        return ({"variables": out} if out else {}), bindings

    def interface(self, d: dict, src: str, canon: str, workflow: bool) -> tuple[dict, list]:
        iface: dict = {}
        bindings: list = []
        self.map(f"{canon}/interface", src)
        if "inputs" in d:
            vm, _ = self.variables(d["inputs"], f"{src}/inputs", f"{canon}/interface/inputs")
            if vm is not None:
                iface["inputs"] = vm
        elif self.pyflyte:
            iface["inputs"] = {}
        if "outputs" in d:
            vm, bindings = self.variables(d["outputs"], f"{src}/outputs",
                                          f"{canon}/interface/outputs", workflow)
            if vm is not None:
                iface["outputs"] = vm
        elif self.pyflyte:
            iface["outputs"] = {}
        return iface, bindings

    # ---- values ----------------------------------------------------------------------------
    def binding(self, v, src: str, canon: str, refs: list | None = None) -> dict | None:
        """A node input or workflow output value -> BindingData."""
        self.map(canon, src)
        if isinstance(v, str) and v.startswith("${"):
            r = self.ref(v, src)
            if r is None:
                return None
            if refs is not None and r.node is not None and r.node not in refs:
                refs.append(r.node)
            return {"promise": _promise(r)}
        if isinstance(v, list):
            return {"collection": {"bindings": [
                b for i, x in enumerate(v)
                if (b := self.binding(x, f"{src}/{i}", f"{canon}/collection/bindings/{i}",
                                      refs)) is not None]}}
        if isinstance(v, dict) and v and next(iter(v)).startswith("$"):
            special = self.special(v, src, canon, binding=True)
            return special
        if isinstance(v, dict):
            out = {}
            for k, x in v.items():
                b = self.binding(x, f"{src}/{esc(k)}", f"{canon}/map/bindings/{esc(k)}", refs)
                if b is not None:
                    out[k] = b
            return {"map": {"bindings": out}}
        scalar = self.scalar(v, src)
        return {"scalar": scalar} if scalar is not None else None

    def literal(self, v, src: str, canon: str) -> dict | None:
        """A launch plan value -> Literal (no references)."""
        self.map(canon, src)
        if isinstance(v, str) and v.startswith("${"):
            self.issue("SPC035", src, offset=0, length=len(v),
                       problem="a launch plan input is a value; it cannot refer to a node "
                               "or an input")
            return None
        if isinstance(v, list):
            return {"collection": {"literals": [
                x for i, item in enumerate(v)
                if (x := self.literal(item, f"{src}/{i}", f"{canon}/collection/literals/{i}"))
                is not None]}}
        if isinstance(v, dict) and v and next(iter(v)).startswith("$"):
            return self.special(v, src, canon, binding=False)
        if isinstance(v, dict):
            out = {}
            for k, x in v.items():
                lit = self.literal(x, f"{src}/{esc(k)}", f"{canon}/map/literals/{esc(k)}")
                if lit is not None:
                    out[k] = lit
            return {"map": {"literals": out}}
        scalar = self.scalar(v, src)
        return {"scalar": scalar} if scalar is not None else None

    def scalar(self, v, src: str) -> dict | None:
        if v is None:
            return {"noneType": {}}
        if isinstance(v, bool):
            return {"primitive": {"boolean": v}}
        if isinstance(v, int):
            if not -(2**63) <= v <= 2**63 - 1:
                self.issue("SPC033", src, field="value", expected="an int64",
                           found="an integer out of range")
                return None
            return {"primitive": {"integer": str(v)}}
        if isinstance(v, float):
            return {"primitive": {"floatValue": v}}
        if isinstance(v, str):
            return {"primitive": {"stringValue": v}}
        self.wrong(src, "value", "a value", v)  # pragma: no cover - YAML has nothing else
        return None

    def special(self, v: dict, src: str, canon: str, binding: bool) -> dict | None:
        """``{$datetime: ...}``, ``{$duration: ...}``, ``{$struct: ...}``, ``{$flyte: ...}``."""
        key = next(iter(v))
        ksrc = f"{src}/{esc(key)}"
        if len(v) != 1:
            self.issue("SPC033", src, field=key, expected=f"a mapping with '{key}' alone",
                       found=f"a mapping with {len(v)} keys")
            return None
        x = v[key]
        self.map(canon, ksrc)
        if key == "$datetime":
            s = self.string(x, ksrc, key)
            return {"scalar": {"primitive": {"datetime": s}}} if s is not None else None
        if key == "$duration":
            d = self.duration(x, ksrc, key)
            return {"scalar": {"primitive": {"duration": d}}} if d is not None else None
        if key == "$struct":
            if not isinstance(x, dict):
                self.wrong(ksrc, key, "a mapping", x)
                return None
            return {"scalar": {"generic": copy.deepcopy(x)}}
        if key == "$flyte":
            if not isinstance(x, dict):
                self.wrong(ksrc, key, "a mapping in flyteidl's form", x)
                return None
            return copy.deepcopy(x)
        self.issue("SPC032", ksrc, at_key=True, field=key, where="a typed value",
                   hint="; use $datetime, $duration, $struct or $flyte")
        return None

    def ref(self, text: str, src: str) -> Ref | None:
        try:
            return parse_ref(text)
        except ExprError as e:
            self.issue("SPC035", src, offset=e.offset, length=e.length, problem=e.problem)
            return None

    # ---- tasks -----------------------------------------------------------------------------
    def task(self, d: dict) -> dict:
        t: dict = {"id": self.identifier("TASK", self.ident)}
        self.map("/template/id", "/name" if "name" in d else "")
        ttype = "python-task" if self.pyflyte else "container"
        if "type" in d:
            s = self.string(d["type"], "/type", "type")
            ttype = s if s is not None else ttype
            self.map("/template/type", "/type")
        t["type"] = ttype
        md: dict = {}
        if "runtime" in d:
            rt = self.mapping(d["runtime"], "/runtime", "runtime")
            if rt is not None:
                md["runtime"] = copy.deepcopy(rt)
                self.map("/template/metadata/runtime", "/runtime")
        if "retries" in d:
            md["retries"] = {"retries": d["retries"]}
            self.map("/template/metadata/retries", "/retries")
        elif self.pyflyte:
            md["retries"] = {}
        if "timeout" in d:
            to = self.duration(d["timeout"], "/timeout", "timeout")
            if to is not None:
                md["timeout"] = to
                self.map("/template/metadata/timeout", "/timeout")
        if "interruptible" in d:
            md["interruptible"] = d["interruptible"]
            self.map("/template/metadata/interruptible", "/interruptible")
        if "cache" in d:
            self.cache(d["cache"], md)
        t["metadata"] = md
        iface, _ = self.interface(d, "", "/template", workflow=False)
        t["interface"] = iface
        if "config" in d:
            cfg = self.mapping(d["config"], "/config", "config")
            if cfg is not None:
                t["config"] = {k: (self.string(v, f"/config/{esc(k)}", f"config.{k}",
                                               allow_int=True) or "") for k, v in cfg.items()}
                self.map("/template/config", "/config")
        if "custom" in d:
            c = self.mapping(d["custom"], "/custom", "custom")
            if c is not None:
                t["custom"] = copy.deepcopy(c)
                self.map("/template/custom", "/custom")
        container_keys = ("image", "command", "args", "env", "requests", "limits")
        if any(k in d for k in container_keys):
            c: dict = {}
            self.map("/template/container", "/image" if "image" in d else "")
            if "image" in d:
                img = self.string(d["image"], "/image", "image")
                if img is not None:
                    c["image"] = img
            for k in ("command", "args"):
                if k in d:
                    words = self.words(d[k], f"/{k}", k)
                    if words:
                        c[k] = words
                    self.map(f"/template/container/{k}", f"/{k}")
            if self.pyflyte and ttype == "python-task" and "command" not in d and \
                    "args" not in d and self.ident.get("name"):
                c["args"] = pyflyte_args(self.ident["name"])
            if "env" in d:
                env = self.mapping(d["env"], "/env", "env")
                if env:
                    c["env"] = []
                    for k, v in env.items():
                        s = self.string(v, f"/env/{esc(k)}", f"env.{k}", allow_int=True)
                        self.map(f"/template/container/env/{len(c['env'])}", f"/env/{esc(k)}")
                        c["env"].append({"key": k, "value": s or ""})
            res = self.resources(d, "", "/template/container/resources")
            if res is not None:
                c["resources"] = res
            elif self.pyflyte:
                c["resources"] = {}
            t["container"] = c
        if "secrets" in d:
            secrets = self.secrets(d["secrets"])
            if secrets:
                t["securityContext"] = {"secrets": secrets}
        return t

    def words(self, v, src: str, field_: str) -> list[str] | None:
        if isinstance(v, str):
            try:
                return shlex.split(v)
            except ValueError as e:
                self.issue("SPC033", src, field=field_, expected="a command line shell words "
                                                               "can be split from",
                           found=f"a string with {e}")
                return None
        if isinstance(v, list):
            out = []
            for i, x in enumerate(v):
                s = self.string(x, f"{src}/{i}", f"{field_}[{i}]", allow_int=True)
                if s is not None:
                    out.append(s)
            return out
        self.wrong(src, field_, "a string or a list of strings", v)
        return None

    def resources(self, d: dict, src: str, canon: str) -> dict | None:
        if "requests" not in d and "limits" not in d:
            return None
        res: dict = {}
        for which in ("requests", "limits"):
            if which not in d:
                continue
            wsrc = f"{src}/{which}"
            body = self.mapping(d[which], wsrc, which)
            if not body:
                continue
            entries = []
            for name, value in body.items():
                esrc = f"{wsrc}/{esc(name)}"
                rname = RESOURCE_NAMES.get(name)
                if rname is None:
                    close = difflib.get_close_matches(name, RESOURCE_NAMES, n=1, cutoff=0.5)
                    self.issue("SPC032", esrc, at_key=True, field=name, where=which,
                               hint=f"; did you mean '{close[0]}'?" if close else
                               "; known resources: " + ", ".join(RESOURCE_NAMES))
                    continue
                if isinstance(value, bool) or not isinstance(value, (str, int, float)):
                    self.wrong(esrc, f"{which}.{name}", "a quantity such as 2 or 4Gi", value)
                    continue
                self.map(f"{canon}/{which}/{len(entries)}", esrc)
                entries.append({"name": rname, "value": str(value)})
            res[which] = entries
        return res

    def cache(self, v, md: dict) -> None:
        """``cache: VERSION`` or ``cache: {version, serialize, ignoreInputs}``."""
        if isinstance(v, (str, int)) and not isinstance(v, bool):
            md["discoverable"] = True
            md["discoveryVersion"] = str(v)
            self.map("/template/metadata/discoveryVersion", "/cache")
            self.map("/template/metadata/discoverable", "/cache")
            return
        body = self.mapping(v, "/cache", "cache")
        if body is None:
            return
        self.keys(body, ("version", "serialize", "ignoreInputs"), "/cache", "cache")
        md["discoverable"] = True
        self.map("/template/metadata/discoverable", "/cache")
        if "version" in body:
            s = self.string(body["version"], "/cache/version", "cache.version", allow_int=True)
            if s is not None:
                md["discoveryVersion"] = s
            self.map("/template/metadata/discoveryVersion", "/cache/version")
        if "serialize" in body:
            md["cacheSerializable"] = body["serialize"]
            self.map("/template/metadata/cacheSerializable", "/cache/serialize")
        if "ignoreInputs" in body:
            md["cacheIgnoreInputVars"] = body["ignoreInputs"]
            self.map("/template/metadata/cacheIgnoreInputVars", "/cache/ignoreInputs")

    def secrets(self, v) -> list:
        if not isinstance(v, list):
            self.wrong("/secrets", "secrets", "a list", v)
            return []
        out = []
        for i, s in enumerate(v):
            src = f"/secrets/{i}"
            self.map(f"/template/securityContext/secrets/{len(out)}", src)
            if isinstance(s, str):
                group, _, key = s.partition("/")
                sec = {"group": group}
                if key:
                    sec["key"] = key
                out.append(sec)
                continue
            body = self.mapping(s, src, f"secrets[{i}]")
            if body is None:
                continue
            self.keys(body, ("group", "key", "mount", "groupVersion", "envVar"), src, "a secret")
            sec = {}
            for k in ("group", "key", "groupVersion", "envVar"):
                if k in body:
                    sec[k] = body[k]
            if "mount" in body:
                m = MOUNTS.get(str(body["mount"]).lower())
                if m is None:
                    self.issue("SPC033", f"{src}/mount", field="mount",
                               expected="any, env or file", found=repr(body["mount"]))
                else:
                    sec["mountRequirement"] = m
            out.append(sec)
        return out

    # ---- workflows -------------------------------------------------------------------------
    def workflow(self, d: dict, src: str, canon: str, ident: dict) -> dict:
        wf: dict = {"id": self.identifier("WORKFLOW", ident)}
        self.map(f"{canon}/id", f"{src}/name" if "name" in d else src)
        if self.pyflyte:
            wf["metadata"] = {}
        iface, out_bindings = self.interface(d, src, canon, workflow=True)
        wf["interface"] = iface
        nodes_src = f"{src}/nodes"
        body = self.mapping(d.get("nodes"), nodes_src, "nodes")
        nodes = []
        if body:
            self.map(f"{canon}/nodes", nodes_src)
            for nid, nbody in body.items():
                nsrc = f"{nodes_src}/{esc(nid)}"
                ncanon = f"{canon}/nodes/{len(nodes)}"
                n = self.node(nbody, nid, nsrc, ncanon, NODE_KEYS)
                if n is not None:
                    nodes.append(n)
        if nodes:
            wf["nodes"] = nodes
        outs = []
        for name, value, vsrc, _ in out_bindings:
            ocanon = f"{canon}/outputs/{len(outs)}"
            self.map(ocanon, vsrc)
            b = self.binding(value, vsrc, f"{ocanon}/binding")
            if b is not None:
                outs.append({"var": name, "binding": b})
        if outs:
            wf["outputs"] = outs
        if "onFailure" in d:
            fsrc = f"{src}/onFailure"
            fbody = self.mapping(d["onFailure"], fsrc, "onFailure")
            if fbody is not None:
                fid = fbody.get("id", "fn0")
                n = self.node(fbody, fid if isinstance(fid, str) else "fn0", fsrc,
                              f"{canon}/failureNode", INNER_NODE_KEYS)
                if n is not None:
                    wf["failureNode"] = n
        if "interruptible" in d:
            wf["metadataDefaults"] = {"interruptible": d["interruptible"]}
            self.map(f"{canon}/metadataDefaults", f"{src}/interruptible")
        elif self.pyflyte:
            wf["metadataDefaults"] = {}
        if src:  # a sub-workflow's own overrides (the document's are applied at the end)
            self.overlay(wf, d.get("flyte"), f"{src}/flyte", canon)
        return wf

    def node(self, body, nid: str, src: str, canon: str, allowed: tuple) -> dict | None:
        self.map(canon, src)
        if not isinstance(body, dict):
            self.wrong(src, f"node '{nid}'", "a mapping (the node)", body)
            return None
        self.out.nodes[canon] = body
        self.keys(body, allowed, src, f"node '{nid}'")
        if nid == "inputs" and allowed is NODE_KEYS:
            self.issue("SPC038", src, at_key=True, node=nid,
                       problem="is named 'inputs', which references use for the workflow's "
                               "inputs (${inputs.x}); rename it")
        targets = [k for k in TARGETS if k in body]
        if len(targets) > 1:
            self.issue("SPC038", f"{src}/{esc(targets[1])}", at_key=True, node=nid,
                       problem=f"has both '{targets[0]}' and '{targets[1]}'; a node does one "
                               "thing, split it in two")
        elif not targets:
            self.issue("SPC038", src, at_key=True, node=nid,
                       problem="does nothing; give it one of " + ", ".join(TARGETS))
        target = targets[0] if targets else None
        n: dict = {"id": nid}
        if "id" in body and allowed is INNER_NODE_KEYS:
            sid = self.string(body["id"], f"{src}/id", "id")
            if sid is not None:
                n["id"] = sid
            self.map(f"{canon}/id", f"{src}/id")
        md: dict = {}
        if "name" in body:
            md["name"] = self.string(body["name"], f"{src}/name", "name") or ""
            self.map(f"{canon}/metadata/name", f"{src}/name")
        elif self.pyflyte and target in ("task", "workflow", "launchPlan"):
            ref = body[target]
            name = ref if isinstance(ref, str) else (ref.get("name") if isinstance(ref, dict)
                                                     else None)
            if isinstance(name, str):
                md["name"] = name.split("@")[0].split("/")[-1].rsplit(".", 1)[-1]
        if "timeout" in body:
            to = self.duration(body["timeout"], f"{src}/timeout", "timeout")
            if to is not None:
                md["timeout"] = to
            self.map(f"{canon}/metadata/timeout", f"{src}/timeout")
        if "retries" in body:
            md["retries"] = {"retries": body["retries"]}
            self.map(f"{canon}/metadata/retries", f"{src}/retries")
        elif self.pyflyte:
            md["retries"] = {}
        if "interruptible" in body:
            md["interruptible"] = body["interruptible"]
            self.map(f"{canon}/metadata/interruptible", f"{src}/interruptible")
        if md or self.pyflyte:
            n["metadata"] = md
        refs: list[str] = []
        inputs = []
        if "inputs" in body:
            isrc = f"{src}/inputs"
            ibody = self.mapping(body["inputs"], isrc, "inputs")
            self.map(f"{canon}/inputs", isrc)
            for var, value in (ibody or {}).items():
                vsrc = f"{isrc}/{esc(var)}"
                bcanon = f"{canon}/inputs/{len(inputs)}"
                self.map(bcanon, vsrc)
                b = self.binding(value, vsrc, f"{bcanon}/binding", refs)
                if b is not None:
                    inputs.append({"var": var, "binding": b})
        if target == "branch":
            branch, derived, brefs = self.branch(body["branch"], nid, body, f"{src}/branch",
                                                 f"{canon}/branchNode")
            if "inputs" not in body:
                for i, (var, b, bsrc) in enumerate(derived):
                    self.map(f"{canon}/inputs/{i}", bsrc)
                    inputs.append({"var": var, "binding": b})
                refs = brefs
        if inputs:
            n["inputs"] = inputs
        if "after" in body:
            after = body["after"]
            if isinstance(after, str):
                after = [after]
            if not isinstance(after, list) or not all(isinstance(a, str) for a in after):
                self.wrong(f"{src}/after", "after", "a list of node ids", body["after"])
            elif after:
                n["upstreamNodeIds"] = list(after)
                self.map(f"{canon}/upstreamNodeIds", f"{src}/after")
        elif self.pyflyte and refs:
            n["upstreamNodeIds"] = refs
        if "aliases" in body:
            al = self.mapping(body["aliases"], f"{src}/aliases", "aliases")
            if al:
                n["outputAliases"] = []
                for var, alias in al.items():
                    self.map(f"{canon}/outputAliases/{len(n['outputAliases'])}",
                             f"{src}/aliases/{esc(var)}")
                    n["outputAliases"].append({"var": var, "alias": alias})
        if target == "task":
            tn: dict = {"referenceId": self.reference(body["task"], f"{src}/task", "TASK",
                                                      "task")}
            self.map(f"{canon}/taskNode", f"{src}/task")
            res = self.resources(body, src, f"{canon}/taskNode/overrides/resources")
            if res is not None:
                tn["overrides"] = {"resources": res}
            elif self.pyflyte:
                tn["overrides"] = {}
            n["taskNode"] = tn
        elif target == "workflow":
            n["workflowNode"] = {"subWorkflowRef": self.reference(
                body["workflow"], f"{src}/workflow", "WORKFLOW", "workflow")}
            self.map(f"{canon}/workflowNode", f"{src}/workflow")
        elif target == "launchPlan":
            n["workflowNode"] = {"launchplanRef": self.reference(
                body["launchPlan"], f"{src}/launchPlan", "LAUNCH_PLAN", "launch plan")}
            self.map(f"{canon}/workflowNode", f"{src}/launchPlan")
        elif target == "branch":
            n["branchNode"] = branch
        elif target in ("approve", "signal", "sleep"):
            n["gateNode"] = self.gate(target, body[target], f"{src}/{target}",
                                      f"{canon}/gateNode")
        elif target == "map":
            n["arrayNode"] = self.array(body, n, src, canon)
        if target != "task" and ("requests" in body or "limits" in body):
            k = "requests" if "requests" in body else "limits"
            self.issue("SPC038", f"{src}/{k}", at_key=True, node=nid,
                       problem=f"sets '{k}', which only a task node can override")
        self.overlay(n, body.get("flyte"), f"{src}/flyte", canon)
        return n

    def gate(self, kind: str, v, src: str, canon: str) -> dict:
        self.map(canon, src)
        if kind == "approve":
            sid = self.string(v, src, "approve")
            return {"approve": {"signalId": sid or ""}}
        if kind == "sleep":
            return {"sleep": {"duration": self.duration(v, src, "sleep")}}
        body = {"id": v} if isinstance(v, str) else self.mapping(v, src, "signal")
        if body is None:
            return {"signal": {}}
        if isinstance(v, dict):
            self.keys(body, ("id", "type", "output"), src, "a signal")
        sig: dict = {}
        if "id" in body:
            sig["signalId"] = self.string(body["id"], f"{src}/id", "signal.id") or ""
        if "type" in body:
            t = self.type_(body["type"], f"{src}/type", f"{canon}/signal/type")
            if t is not None:
                sig["type"] = t
        if "output" in body:
            sig["outputVariableName"] = self.string(body["output"], f"{src}/output",
                                                    "signal.output") or ""
        elif self.pyflyte:
            sig["outputVariableName"] = "o0"
        return {"signal": sig}

    def array(self, body: dict, outer: dict, src: str, canon: str) -> dict:
        msrc = f"{src}/map"
        inner_body = self.mapping(body["map"], msrc, "map")
        an: dict = {}
        self.map(f"{canon}/arrayNode", msrc)
        if inner_body is not None:
            iid = inner_body.get("id", outer["id"])
            inner = self.node(inner_body, iid if isinstance(iid, str) else outer["id"], msrc,
                              f"{canon}/arrayNode/node", INNER_NODE_KEYS)
            if inner is not None:
                if "inputs" not in inner_body and "inputs" in outer:
                    # the sub-node takes the map node's (list) inputs
                    inner["inputs"] = copy.deepcopy(outer["inputs"])
                    for i in range(len(outer["inputs"])):
                        self.map(f"{canon}/arrayNode/node/inputs/{i}",
                                 self.pmap.get(f"{canon}/inputs/{i}", src))
                an["node"] = inner
        for k in ("parallelism", "minSuccesses", "minSuccessRatio"):
            if k in body:
                an[k] = body[k]
                self.map(f"{canon}/arrayNode/{k}", f"{src}/{k}")
        return an

    def branch(self, v, nid: str, node_body: dict, src: str, canon: str):
        """The cases of a branch node -> (BranchNode, derived inputs, their node ids)."""
        self.map(canon, src)
        derived: dict[str, tuple] = {}
        if not isinstance(v, list) or not v:
            self.wrong(src, "branch", "a list of cases (when/then, else, fail)", v)
            return {"ifElse": {}}, [], []
        ie: dict = {}
        others = []
        index = 0
        node_name = node_body.get("name") if isinstance(node_body.get("name"), str) else nid
        for i, case in enumerate(v):
            csrc = f"{src}/{i}"
            if not isinstance(case, dict):
                self.wrong(csrc, f"branch[{i}]", "a case (when/then, else or fail)", case)
                continue
            last = i == len(v) - 1
            if "when" in case:
                self.keys(case, ("when", "then"), csrc, "a branch case")
                block: dict = {}
                ccanon = f"{canon}/ifElse/case" if "case" not in ie else \
                    f"{canon}/ifElse/other/{len(others)}"
                self.map(ccanon, csrc)
                cond = self.condition(case["when"], f"{csrc}/when", f"{ccanon}/condition",
                                      derived)
                if cond is not None:
                    block["condition"] = cond
                if "then" in case:
                    tn = self.inner_node(case["then"], f"{csrc}/then", f"{ccanon}/thenNode",
                                         index)
                    index += 1
                    if tn is not None:
                        block["thenNode"] = tn
                if "case" not in ie:
                    ie["case"] = block
                else:
                    others.append(block)
            elif "else" in case or "fail" in case:
                if not last:
                    self.issue("SPC033", csrc, field=f"branch[{i}]",
                               expected="the last case (else and fail end a branch)",
                               found="a case before others")
                if "else" in case:
                    self.keys(case, ("else",), csrc, "the else case")
                    en = self.inner_node(case["else"], f"{csrc}/else",
                                         f"{canon}/ifElse/elseNode", index)
                    index += 1
                    if en is not None:
                        ie["elseNode"] = en
                else:
                    self.keys(case, ("fail", "failedNodeId"), csrc, "the fail case")
                    msg = self.string(case["fail"], f"{csrc}/fail", "fail")
                    err = {"failedNodeId": node_name, "message": msg or ""}
                    if "failedNodeId" in case:
                        err["failedNodeId"] = self.string(case["failedNodeId"],
                                                          f"{csrc}/failedNodeId",
                                                          "failedNodeId") or ""
                    ie["error"] = err
                    self.map(f"{canon}/ifElse/error", f"{csrc}/fail")
            else:
                self.issue("SPC033", csrc, field=f"branch[{i}]",
                           expected="a case with 'when' (and 'then'), 'else' or 'fail'",
                           found="a mapping without them")
        if others:
            ie["other"] = others
        inputs = [(name, b, bsrc) for name, (b, bsrc, _) in sorted(derived.items())]
        refs: list[str] = []
        for _, (_, _, node) in sorted(derived.items()):
            if node is not None and node not in refs:
                refs.append(node)
        return {"ifElse": ie}, inputs, refs

    def inner_node(self, v, src: str, canon: str, index: int) -> dict | None:
        nid = v.get("id", f"n{index}") if isinstance(v, dict) else f"n{index}"
        return self.node(v, nid if isinstance(nid, str) else f"n{index}", src, canon,
                         INNER_NODE_KEYS)

    def condition(self, text, src: str, canon: str, derived: dict) -> dict | None:
        self.map(canon, src)
        if isinstance(text, bool):
            text = "true" if text else "false"
        if not isinstance(text, str):
            self.wrong(src, "when", "a condition such as ${inputs.x} > 0", text)
            return None
        try:
            c = parse_condition(text)
        except ExprError as e:
            self.issue("SPC036", src, offset=e.offset, length=e.length, problem=e.problem)
            return None

        def operand(o) -> dict:
            if o.kind == "lit":
                return {"primitive": o.value}
            if o.kind == "name":
                return {"var": o.value}
            r: Ref = o.value
            name = condition_var(r)
            if name not in derived:
                derived[name] = ({"promise": _promise(r)}, src, r.node)
            return {"var": name}

        def conv(x) -> dict:
            if x.op == "cmp":
                return {"comparison": {"operator": x.operator, "leftValue": operand(x.left),
                                       "rightValue": operand(x.right)}}
            return {"conjunction": {"operator": x.op, "leftExpression": conv(x.left),
                                    "rightExpression": conv(x.right)}}

        return conv(c)

    # ---- launch plans ----------------------------------------------------------------------
    def launch_plan(self, d: dict) -> dict:
        lp: dict = {"id": self.identifier("LAUNCH_PLAN", self.ident)}
        self.map("/id", "/name" if "name" in d else "")
        spec: dict = {}
        self.map("/spec", "")
        if "workflow" not in d:
            self.issue("SPC041", "/kind", what="a LaunchPlan", field="workflow")
        else:
            spec["workflowId"] = self.reference(d["workflow"], "/workflow", "WORKFLOW",
                                                "workflow")
            self.map("/spec/workflowId", "/workflow")
        em: dict = {}
        if "schedule" in d:
            sched = self.schedule(d["schedule"])
            if sched is not None:
                em["schedule"] = sched
        if "notify" in d:
            notes = self.notifications(d["notify"])
            if notes:
                em["notifications"] = notes
        if em or self.pyflyte:
            spec["entityMetadata"] = em
        if "inputs" in d:
            spec["defaultInputs"] = self.parameters(d["inputs"])
        elif self.pyflyte:
            spec["defaultInputs"] = {}
        if "fixed" in d:
            body = self.mapping(d["fixed"], "/fixed", "fixed")
            lits = {}
            for name, v in (body or {}).items():
                lit = self.literal(v, f"/fixed/{esc(name)}",
                                   f"/spec/fixedInputs/literals/{esc(name)}")
                if lit is not None:
                    lits[name] = lit
            spec["fixedInputs"] = {"literals": lits} if lits else {}
        elif self.pyflyte:
            spec["fixedInputs"] = {}
        for k in ("labels", "annotations"):
            if k in d:
                body = self.mapping(d[k], f"/{k}", k)
                if body is not None:
                    spec[k] = {"values": {kk: self.string(v, f"/{k}/{esc(kk)}", f"{k}.{kk}",
                                                          allow_int=True) or ""
                                          for kk, v in body.items()}} if body else {}
                    self.map(f"/spec/{k}", f"/{k}")
            elif self.pyflyte:
                spec[k] = {}
        if self.pyflyte:
            spec["rawOutputDataConfig"] = {}
        lp["spec"] = spec
        if self.pyflyte:
            lp["closure"] = {"expectedInputs": {}, "expectedOutputs": {}}
        return lp

    def parameters(self, v) -> dict:
        body = self.mapping(v, "/inputs", "inputs")
        self.map("/spec/defaultInputs", "/inputs")
        params = {}
        for name, spec in (body or {}).items():
            psrc = f"/inputs/{esc(name)}"
            pcanon = f"/spec/defaultInputs/parameters/{esc(name)}"
            self.map(pcanon, psrc)
            var: dict = {}
            p: dict = {}
            if isinstance(spec, dict) and not _is_raw_type(spec):
                self.keys(spec, ("type", "description", "default", "required"), psrc,
                          f"launch plan input '{name}'")
                if "type" in spec:
                    t = self.type_(spec["type"], f"{psrc}/type", f"{pcanon}/var/type")
                    if t is not None:
                        var["type"] = t
                else:
                    self.issue("SPC041", psrc, what=f"launch plan input '{name}'",
                               field="type")
                if "description" in spec:
                    var["description"] = self.string(spec["description"],
                                                     f"{psrc}/description", "description")
                if "default" in spec:
                    lit = self.literal(spec["default"], f"{psrc}/default",
                                       f"{pcanon}/default")
                    if lit is not None:
                        p["default"] = lit
                if "required" in spec:
                    p["required"] = spec["required"]
                    self.map(f"{pcanon}/required", f"{psrc}/required")
                elif "default" not in spec:
                    p["required"] = True
            else:
                t = self.type_(spec, psrc, f"{pcanon}/var/type")
                if t is not None:
                    var["type"] = t
                p["required"] = True
            if "description" not in var and self.pyflyte:
                var["description"] = name
            params[name] = {"var": var, **p}
        return {"parameters": params} if params else {}

    def schedule(self, v) -> dict | None:
        if isinstance(v, str):
            self.map("/spec/entityMetadata/schedule", "/schedule")
            return {"cronSchedule": {"schedule": v}}
        body = self.mapping(v, "/schedule", "schedule")
        if body is None:
            return None
        self.keys(body, ("cron", "every", "kickoffInput"), "/schedule", "schedule")
        self.map("/spec/entityMetadata/schedule", "/schedule")
        out: dict = {}
        if "cron" in body and "every" in body:
            self.issue("SPC033", "/schedule/every", field="schedule",
                       expected="'cron' or 'every'", found="both")
        if "cron" in body:
            s = self.string(body["cron"], "/schedule/cron", "cron")
            out["cronSchedule"] = {"schedule": s or ""}
            self.map("/spec/entityMetadata/schedule/cronSchedule", "/schedule/cron")
        elif "every" in body:
            e = body["every"]
            rate = _rate(e.strip()) if isinstance(e, str) else None
            if rate is None:
                self.issue("SPC037", "/schedule/every", field="every",
                           value=e if isinstance(e, str) else repr(e),
                           hint="; a schedule's rate is whole minutes, hours or days, several "
                                "in a row if needed: 10m, 2h, 1h30m, 1d (Flyte's fixed rates "
                                "have no seconds)")
            else:
                out["rate"] = rate
                self.map("/spec/entityMetadata/schedule/rate", "/schedule/every")
        if "kickoffInput" in body:
            out["kickoffTimeInputArg"] = body["kickoffInput"]
            self.map("/spec/entityMetadata/schedule/kickoffTimeInputArg",
                     "/schedule/kickoffInput")
        return out

    def notifications(self, v) -> list:
        if not isinstance(v, list):
            self.wrong("/notify", "notify", "a list of notifications", v)
            return []
        out = []
        for i, n in enumerate(v):
            src = f"/notify/{i}"
            body = self.mapping(n, src, f"notify[{i}]")
            if body is None:
                continue
            self.keys(body, ("phases", "email", "slack", "pagerDuty"), src, "a notification")
            canon = f"/spec/entityMetadata/notifications/{len(out)}"
            self.map(canon, src)
            note: dict = {}
            phases = body.get("phases", [])
            if isinstance(phases, str):
                phases = [phases]
            if not isinstance(phases, list):
                self.wrong(f"{src}/phases", "phases", "a list of phases", phases)
                phases = []
            note["phases"] = []
            for j, ph in enumerate(phases):
                up = str(ph).upper()
                if up not in PHASES:
                    self.issue("SPC033", f"{src}/phases/{j}", field="phases",
                               expected="one of " + ", ".join(p.lower() for p in PHASES),
                               found=repr(ph))
                    continue
                self.map(f"{canon}/phases/{len(note['phases'])}", f"{src}/phases/{j}")
                note["phases"].append(up)
            kinds = [k for k in ("email", "slack", "pagerDuty") if k in body]
            for k in kinds[:1]:
                r = body[k]
                if isinstance(r, str):
                    r = [r]
                note[k] = {"recipientsEmail": r}
                self.map(f"{canon}/{k}", f"{src}/{k}")
            if len(kinds) > 1:
                self.issue("SPC033", f"{src}/{kinds[1]}", field=kinds[1],
                           expected="one of email, slack or pagerDuty per notification",
                           found="more than one")
            out.append(note)
        return out

    # ---- overrides -------------------------------------------------------------------------
    def overlay(self, target: dict, v, src: str, canon: str) -> None:
        """Apply ``flyte:`` overrides: JSON pointer (relative to ``target``) -> value."""
        if v is None:
            return
        if not isinstance(v, dict):
            self.wrong(src, "flyte", "a mapping from a JSON pointer to a flyteidl value", v)
            return
        for pointer, value in v.items():
            psrc = f"{src}/{esc(pointer)}"
            if not isinstance(pointer, str) or not pointer.startswith("/"):
                self.issue("SPC040", psrc, at_key=True, pointer=pointer,
                           problem="is not a JSON pointer; start it with '/'")
                continue
            parts = [unesc(p) for p in pointer[1:].split("/")]
            cur = target
            ok = True
            for p in parts[:-1]:
                if isinstance(cur, dict):
                    if p not in cur or not isinstance(cur[p], (dict, list)):
                        if value is None:
                            ok = False
                            break
                        cur[p] = {}
                    cur = cur[p]
                elif isinstance(cur, list) and p.isdigit() and int(p) < len(cur):
                    cur = cur[int(p)]
                else:
                    ok = False
                    break
            last = parts[-1]
            if ok and isinstance(cur, dict):
                if value is None:
                    cur.pop(last, None)
                else:
                    cur[last] = copy.deepcopy(value)
            elif ok and isinstance(cur, list) and last.isdigit() and int(last) < len(cur):
                if value is None:
                    cur.pop(int(last))
                else:
                    cur[int(last)] = copy.deepcopy(value)
            else:
                self.issue("SPC040", psrc, at_key=True, pointer=pointer,
                           problem="does not name a place in what this element lowers to")
                continue
            self.pmap[canon + pointer] = psrc


def pyflyte_args(name: str) -> list[str]:
    """What pyflyte runs a python-task with (flytekit's default resolver), for a task named
    ``module.function``."""
    module, _, function = name.rpartition(".")
    return ["pyflyte-execute", "--inputs", "{{.input}}", "--output-prefix", "{{.outputPrefix}}",
            "--raw-output-data-prefix", "{{.rawOutputDataPrefix}}", "--checkpoint-path",
            "{{.checkpointOutputPrefix}}", "--prev-checkpoint", "{{.prevCheckpointPrefix}}",
            "--resolver", "flytekit.core.python_auto_container.default_task_resolver", "--",
            "task-module", module, "task-name", function]


def _source(pointer: str, pmap: dict[str, str]) -> str | None:
    p = pointer
    while True:
        src = pmap.get(p)
        if src is not None:
            return src + pointer[len(p):]
        if not p:
            return None
        p = p[: p.rfind("/")]


def _exists(data, pointer: str) -> bool:
    cur = data
    for part in pointer.split("/")[1:] if pointer else []:
        part = unesc(part)
        if isinstance(cur, dict) and part in cur:
            cur = cur[part]
        elif isinstance(cur, list) and part.isdigit() and int(part) < len(cur):
            cur = cur[int(part)]
        else:
            return False
    return True


def condition_var(r: Ref) -> str:
    """The branch input a condition operand ``${...}`` becomes (pyflyte's naming): ``.x`` for a
    workflow input, ``node.var`` for a node output (attribute paths appended)."""
    inner = r.inner()
    return inner[len("inputs"):] if r.node is None else inner


def _promise(r: Ref) -> dict:
    p: dict = {}
    if r.node is not None:
        p["nodeId"] = r.node
    p["var"] = r.var
    if r.path:
        p["attrPath"] = r.attr_path
    return p


_TYPE_KEYS = frozenset(("simple", "schema", "collectionType", "mapValueType", "blob",
                        "enumType", "structuredDatasetType", "unionType", "metadata",
                        "annotation", "structure", "collection_type", "map_value_type",
                        "enum_type", "structured_dataset_type", "union_type"))


def _is_raw_type(d: dict) -> bool:
    """A mapping in a type position that is flyteidl's LiteralType itself."""
    return bool(d) and all(k in _TYPE_KEYS for k in d)


def _tag_unions(t) -> None:
    """pyflyte's structure tags on the simple variants of every union."""
    if not isinstance(t, dict):
        return
    for k in ("collectionType", "mapValueType"):
        if k in t:
            _tag_unions(t[k])
    if "unionType" in t:
        for v in t["unionType"].get("variants", []):
            if set(v) == {"simple"} and v["simple"] in PYFLYTE_TAGS:
                v["structure"] = {"tag": PYFLYTE_TAGS[v["simple"]]}
            else:
                _tag_unions(v)
    for c in (t.get("structuredDatasetType") or {}).get("columns", []):
        _tag_unions(c.get("literalType"))
    for v in ((t.get("structure") or {}).get("dataclassType") or {}).values():
        _tag_unions(v)


def lower(data: dict) -> Lowered:
    return _Lowerer(data).document()
