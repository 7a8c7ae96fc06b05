"""Canonical flyteidl documents to dialect YAML text (``specc convert --to specc``).

For each document: build the dialect form (once plainly, once with ``style: pyflyte``), lower it
again with ``specc.dialect.lower`` and check-schema's walk, and compare with the original
canonical form. Whatever the dialect did not reproduce is written as ``flyte:`` overrides (JSON
pointer -> flyteidl value, null removes) on the node it belongs to, or on the document; so
converting back gives protobuf-equal messages by construction, and ``to_dialect`` verifies it.
The shorter of the two forms is kept.

``to_dialect(documents)`` takes documents after check-schema (their ``canonical`` and ``kind``)
and returns ``[(file name, YAML text)]``, one file per input file (or bundle member).
"""
from __future__ import annotations

import json
import math
import re
import shlex
from pathlib import PurePosixPath

from specc.dialect import API_VERSION
from specc.dialect import grammars as g
from specc.dialect.lower import (MOUNTS, PHASES, PYFLYTE_TAGS, RATE_UNITS, RESOURCE_NAMES,
                                 condition_var, esc, lower, pyflyte_args)


class EmitError(Exception):
    """A document the dialect could not reproduce exactly (a bug in specc)."""


_RESOURCE_KEYS = {v: k for k, v in RESOURCE_NAMES.items()}
_MOUNT_KEYS = {v: k for k, v in MOUNTS.items()}
_RATE_KEYS = {v: k for k, v in RATE_UNITS.items()}
_REF_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_-]*")
_COND_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*")
_ENTITY_PART = re.compile(r"[^/@]+")


# ---- public -----------------------------------------------------------------------------------

def plan(documents) -> list[tuple[str, None, str, object]]:
    """``specc convert --to specc``'s work list: (file name, None, dialect text, a document of
    that file), in the shape of ``specc.convert.plan``."""
    first: dict[str, object] = {}
    for doc in documents:
        first.setdefault(doc.file.display, doc)
    return [(name, None, text, first[key]) for key, name, text in _files(documents)]


def to_dialect(documents) -> list[tuple[str, str]]:
    """Dialect YAML files for canonical documents: ``[(name, text)]``, one per source file."""
    return [(name, text) for _, name, text in _files(documents)]


def _files(documents) -> list[tuple[str, str, str]]:
    """(source file, output name, text) for every source file with documents."""
    groups: dict[str, list] = {}
    order: list[str] = []
    for doc in documents:
        if doc.canonical is None or doc.kind is None:
            continue
        key = doc.file.display
        if key not in groups:
            groups[key] = []
            order.append(key)
        groups[key].append(doc)
    out: list[tuple[str, str, str]] = []
    used: set[str] = set()
    for key in order:
        texts = []
        for doc in groups[key]:
            comment = leading_comment(doc)
            inner = source_comments(doc)
            for i, (kind, original, src, dst) in enumerate(pieces(doc.kind, doc.canonical)):
                mine = [(dst + p[len(src):], lines) for p, lines in inner
                        if p == src or p.startswith(src + "/") or not src and p == ""]
                text = document_text(kind, original, mine)
                if i == 0 and comment:
                    text = comment + text
                texts.append(text)
        if not texts:
            continue
        name = PurePosixPath(key.split("!")[-1].replace("\\", "/")).name
        stem = name
        for suffix in (".tar.gz", ".tgz", ".yaml", ".yml", ".json", ".pb"):
            if stem.lower().endswith(suffix):
                stem = stem[: -len(suffix)]
                break
        candidate = f"{stem}.yaml"
        n = 2
        while candidate in used:
            candidate = f"{stem}.{n}.yaml"
            n += 1
        used.add(candidate)
        out.append((key, candidate, "---\n".join(texts)))
    return out


def split(kind: str, c: dict) -> list[tuple[str, dict]]:
    """A canonical document as the flyteidl documents the dialect has: (TaskSpec | WorkflowSpec |
    LaunchPlan, canonical dict)."""
    return [(k, x) for k, x, _, _ in pieces(kind, c)]


def pieces(kind: str, c: dict) -> list[tuple[str, dict, str, str]]:
    """``split`` with, for each piece, the pointer prefix it has in the document and the one it
    has in the piece (to carry comments over)."""
    if kind == "TaskTemplate":
        return [("TaskSpec", {"template": c}, "", "/template")]
    if kind == "WorkflowTemplate":
        return [("WorkflowSpec", {"template": c}, "", "/template")]
    if kind == "WorkflowClosure":
        out = [("TaskSpec", {"template": t}, f"/tasks/{i}", "/template")
               for i, t in enumerate(c.get("tasks", []))]
        if "workflow" in c:
            out.append(("WorkflowSpec", {"template": c["workflow"]}, "/workflow", "/template"))
        return out
    if kind in ("TaskSpec", "WorkflowSpec", "LaunchPlan"):
        return [(kind, c, "", "")]
    return [(k, x, "\0", "") for k, x in _split_other(kind, c)]


def _split_other(kind: str, c: dict) -> list[tuple[str, dict]]:
    if kind == "TaskSpec":
        return [("TaskSpec", c)]
    if kind == "TaskTemplate":
        return [("TaskSpec", {"template": c})]
    if kind == "Task":
        t = c.get("closure", {}).get("compiledTask", {}).get("template")
        return [("TaskSpec", {"template": t})] if t else []
    if kind == "WorkflowSpec":
        return [("WorkflowSpec", c)]
    if kind == "WorkflowTemplate":
        return [("WorkflowSpec", {"template": c})]
    if kind == "WorkflowClosure":
        out = [("TaskSpec", {"template": t}) for t in c.get("tasks", [])]
        if "workflow" in c:
            out.append(("WorkflowSpec", {"template": c["workflow"]}))
        return out
    if kind == "Workflow":
        cw = c.get("closure", {}).get("compiledWorkflow", {})
        out = [("TaskSpec", {"template": t["template"]}) for t in cw.get("tasks", [])
               if "template" in t]
        spec: dict = {"template": cw.get("primary", {}).get("template", {})}
        subs = [s["template"] for s in cw.get("subWorkflows", []) if "template" in s]
        if subs:
            spec["subWorkflows"] = subs
        out.append(("WorkflowSpec", spec))
        return out
    if kind == "LaunchPlan":
        return [("LaunchPlan", c)]
    return []


def document_text(kind: str, original: dict, comments: list | None = None) -> str:
    """One dialect document (YAML text, no '---') that lowers to exactly ``original``;
    ``comments`` are (pointer into ``original``, comment lines) to carry over."""
    best = None
    for style in (None, "pyflyte"):
        data = build(kind, original, style)
        if comments:
            attach_comments(data, kind, original, comments)
        patch(data, original)
        text = render(data)
        if best is None or text.count("\n") < best.count("\n"):
            best = text
    got = canonical_of_text(best)
    if got != original:
        raise EmitError(f"the dialect form of {kind} "
                        f"'{_ident_name(kind, original)}' does not lower back exactly")
    return best


def _ident_name(kind: str, c: dict) -> str:
    if kind == "LaunchPlan":
        return c.get("id", {}).get("name", "")
    return c.get("template", {}).get("id", {}).get("name", "")


# ---- canonical form of lowered data -------------------------------------------------------------

class _Quiet:
    """A context for check-schema's walk that collects reports instead of printing them."""

    def __init__(self) -> None:
        self.reports: list = []

    def report(self, code, loc, related=(), **args) -> None:
        self.reports.append((code, loc.pointer if loc else None, args))


class _Doc:
    pointer_map = None


def canonical(kind: str, data: dict) -> dict:
    from specc.passes.check_schema import _Walker
    from specc.table import KIND_MESSAGES, table

    t = table()
    ctx = _Quiet()
    out = _Walker(ctx.report, _Doc(), t).message(data, t.messages[KIND_MESSAGES[kind]], "", "")
    if ctx.reports:
        raise EmitError(f"lowered data does not match flyteidl: {ctx.reports[:3]}")
    return out


def canonical_of_text(text: str) -> dict:
    from specc.frontends import Limits, SourceFile
    from specc.frontends import yaml as fy

    src = SourceFile(None, "<dialect>", "yaml")
    docs, diags = fy.load(text.encode(), src, Limits())
    if diags or len(docs) != 1:
        raise EmitError(f"emitted YAML does not load: {[d.message for d in diags]}")
    low = lower(docs[0].data)
    if low.issues or low.data is None:
        raise EmitError(f"emitted dialect does not lower: {low.issues[:3]}")
    return canonical(low.kind, low.data)


# ---- the diff -> flyte: overrides ---------------------------------------------------------------

def patch(data: dict, original: dict) -> None:
    """Add ``flyte:`` overrides to ``data`` (and its nodes) for what lowering misses."""
    low = lower(data)
    if low.issues:
        raise EmitError(f"built dialect does not lower: {low.issues[:3]}")
    got = canonical(low.kind, low.data)
    changes: list[tuple[str, object]] = []
    _diff(got, original, "", changes)
    nodes = sorted(low.nodes.items(), key=lambda kv: -len(kv[0]))
    for pointer, value in changes:
        owner = None
        for np_, body in nodes:
            if pointer.startswith(np_ + "/"):
                owner = (np_, body)
                break
        if owner is not None:
            rel = pointer[len(owner[0]):]
            owner[1].setdefault("flyte", {})[rel] = value
        else:
            data.setdefault("flyte", {})[pointer] = value


def _same(a, b) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, float) and math.isnan(a) and math.isnan(b):
        return True
    return a == b


def _has_none(v) -> bool:
    if v is None:
        return True
    if isinstance(v, dict):
        return any(_has_none(x) for x in v.values())
    if isinstance(v, list):
        return any(_has_none(x) for x in v)
    return False


def _diff(got, want, pointer: str, out: list) -> None:
    if isinstance(got, dict) and isinstance(want, dict) and pointer != "" and \
            any(x is None for x in want.values()):
        if got != want:
            out.append((pointer, want))  # a Struct with nulls: replace it whole
        return
    if isinstance(got, dict) and isinstance(want, dict):
        for k, v in want.items():
            p = f"{pointer}/{esc(k)}"
            if k not in got:
                out.append((p, v))
            else:
                _diff(got[k], v, p, out)
        for k in got:
            if k not in want:
                out.append((f"{pointer}/{esc(k)}", None))
        return
    if isinstance(got, list) and isinstance(want, list) and len(got) == len(want):
        for i, (a, b) in enumerate(zip(got, want)):
            _diff(a, b, f"{pointer}/{i}", out)
        return
    if isinstance(got, (dict, list)) or isinstance(want, (dict, list)):
        if got != want:
            out.append((pointer, want))
        return
    if not _same(got, want):
        out.append((pointer, want))


# ---- building the dialect form ------------------------------------------------------------------

class _Builder:
    def __init__(self, style: str | None, ident: dict) -> None:
        self.pyflyte = style == "pyflyte"
        self.ident = ident

    # identity and references
    def reference(self, rid: dict | None):
        if not rid:
            return ""
        name = rid.get("name", "")
        if not name or not _ENTITY_PART.fullmatch(name):
            return {k: rid.get(k, "") for k in ("name", "version", "project", "domain", "org")
                    if rid.get(k, "") != self.ident.get(k, "")}
        same = {k: rid.get(k, "") == self.ident.get(k, "")
                for k in ("project", "domain", "version", "org")}
        if not same["org"]:
            return {k: rid.get(k, "") for k in ("name", "version", "project", "domain", "org")
                    if k == "name" or rid.get(k, "") != self.ident.get(k, "")}
        s = name
        if not (same["project"] and same["domain"]):
            p, d = rid.get("project", ""), rid.get("domain", "")
            if not p or not d or not _ENTITY_PART.fullmatch(p) or not _ENTITY_PART.fullmatch(d):
                return {k: rid.get(k, "") for k in ("name", "version", "project", "domain")
                        if k == "name" or rid.get(k, "") != self.ident.get(k, "")}
            s = f"{p}/{d}/{name}"
        if not same["version"]:
            v = rid.get("version", "")
            if "@" in v or "/" in v:
                return {k: rid.get(k, "") for k in ("name", "version", "project", "domain")
                        if k == "name" or rid.get(k, "") != self.ident.get(k, "")}
            s += "@" + v
        return s

    # types and variables
    def type_(self, t: dict):
        if self.pyflyte:
            t = _untag(t)
            if t is None:
                return None
        s = g.type_text(t)
        return s

    def interface(self, iface: dict, d: dict) -> None:
        for k in ("inputs", "outputs"):
            if k in iface and not (self.pyflyte and iface[k] == {}):  # pyflyte's default
                d[k] = self.variables(iface[k])

    def variables(self, vm: dict | None) -> dict:
        out: dict = {}
        for name, var in ((vm or {}).get("variables") or {}).items():
            t = var.get("type")
            text = self.type_(t) if t is not None else None
            typ = text if text is not None else _Raw(t) if t is not None else None
            desc = var.get("description")
            default_desc = name if self.pyflyte else None
            if desc == default_desc and typ is not None and t != {}:
                out[name] = typ
            else:
                entry: dict = {}
                if typ is not None:
                    entry["type"] = typ
                if desc is not None:
                    entry["description"] = desc
                out[name] = entry
        return out

    # values
    def value(self, b: dict):
        """A canonical BindingData -> dialect value."""
        if isinstance(b, dict) and len(b) == 1 and "promise" in b:
            r = _ref(b["promise"])
            return r.text() if r is not None else {"$flyte": b}
        return self._data(b, "bindings", self.value)

    def literal(self, lit: dict):
        """A canonical Literal -> dialect value."""
        return self._data(lit, "literals", self.literal)

    def _data(self, d: dict, items: str, each):
        """A scalar, collection or map (of bindings or literals) -> dialect value; anything the
        dialect cannot say stays as ``{$flyte: ...}``."""
        if not isinstance(d, dict) or len(d) != 1:
            return {"$flyte": d}
        (k, v), = d.items()
        if k == "scalar":
            x = self.scalar(v)
            return x if x is not _NO else {"$flyte": d}
        if k == "collection" and set(v) <= {items}:
            return [each(x) for x in v.get(items, [])]
        if k == "map" and set(v) <= {items} and v.get(items) and \
                not any(key.startswith("$") for key in v[items]):
            return {key: each(x) for key, x in v[items].items()}
        return {"$flyte": d}

    def scalar(self, s: dict):
        if not isinstance(s, dict) or len(s) != 1:
            return _NO
        (k, v), = s.items()
        if k == "noneType" and v == {}:
            return None
        if k == "generic" and isinstance(v, dict):
            return {"$struct": v}
        if k != "primitive" or not isinstance(v, dict) or len(v) != 1:
            return _NO
        (pk, pv), = v.items()
        if pk == "integer":
            return int(pv)
        if pk == "floatValue":
            if isinstance(pv, str) or math.isnan(pv) or math.isinf(pv):
                return _NO
            return float(pv)
        if pk == "stringValue":
            return pv if not pv.startswith("${") else _NO
        if pk == "boolean":
            return pv
        if pk == "datetime":
            return {"$datetime": pv}
        if pk == "duration":
            return {"$duration": duration_text(pv)}
        return _NO

    # tasks
    def task(self, t: dict) -> dict:
        d = self.header("Task", t.get("id", {}))
        ttype = t.get("type", "")
        if ttype != ("python-task" if self.pyflyte else "container"):
            d["type"] = ttype
        md = t.get("metadata", {})
        self.interface(t.get("interface", {}), d)
        c = t.get("container")
        if c is not None:
            if "image" in c:
                d["image"] = c["image"]
            for k in ("command", "args"):
                if c.get(k):
                    d[k] = _Words(c[k])
            if self.pyflyte and ttype == "python-task" and "command" not in d and \
                    d.get("args") == pyflyte_args(self.ident.get("name", "")):
                del d["args"]  # what pyflyte runs by default
            env = c.get("env") or []
            keys = [e.get("key", "") for e in env]
            if env and len(set(keys)) == len(keys) and all(set(e) <= {"key", "value"}
                                                          for e in env):
                d["env"] = {e.get("key", ""): e.get("value", "") for e in env}
            self.resources(c.get("resources"), d)
        if "runtime" in md:
            d["runtime"] = md["runtime"]
        r = md.get("retries")
        if isinstance(r, dict) and "retries" in r:
            d["retries"] = r["retries"]
        if "timeout" in md:
            d["timeout"] = duration_text(md["timeout"])
        if "interruptible" in md:
            d["interruptible"] = md["interruptible"]
        if md.get("discoverable"):
            extra = {k: md[k] for k in ("cacheSerializable", "cacheIgnoreInputVars") if k in md}
            version = md.get("discoveryVersion", "")
            if not extra and version:
                d["cache"] = version
            else:
                cache: dict = {}
                if version:
                    cache["version"] = version
                if "cacheSerializable" in extra:
                    cache["serialize"] = extra["cacheSerializable"]
                if "cacheIgnoreInputVars" in extra:
                    cache["ignoreInputs"] = extra["cacheIgnoreInputVars"]
                d["cache"] = cache
        secrets = (t.get("securityContext") or {}).get("secrets")
        if secrets:
            out = []
            for s in secrets:
                if set(s) <= {"group", "key"} and "group" in s and "/" not in s["group"] \
                        and s["group"]:
                    out.append(s["group"] + (f"/{s['key']}" if s.get("key") else ""))
                else:
                    e = {k: s[k] for k in ("group", "key", "groupVersion", "envVar") if k in s}
                    if s.get("mountRequirement") in _MOUNT_KEYS:
                        e["mount"] = _MOUNT_KEYS[s["mountRequirement"]]
                    out.append(e)
            d["secrets"] = out
        if t.get("config"):
            d["config"] = dict(t["config"])
        if "custom" in t:
            d["custom"] = t["custom"]
        return d

    def resources(self, res: dict | None, d: dict) -> None:
        for which in ("requests", "limits"):
            entries = (res or {}).get(which) or []
            names = [e.get("name", "UNKNOWN") for e in entries]
            if entries and len(set(names)) == len(names) and all(n in _RESOURCE_KEYS
                                                                for n in names):
                d[which] = {_RESOURCE_KEYS[e["name"]]: _quantity(e.get("value", ""))
                            for e in entries}

    def header(self, kind: str, rid: dict) -> dict:
        d = _Commented(apiVersion=API_VERSION, kind=kind)
        d.comments = {}
        for k in ("name", "version", "project", "domain", "org"):
            if rid.get(k):
                d[k] = rid[k]
        if self.pyflyte:
            d["style"] = "pyflyte"
        return d

    # workflows
    def workflow(self, spec: dict) -> dict:
        t = spec.get("template", {})
        d = self.header("Workflow", t.get("id", {}))
        self.workflow_body(t, d)
        subs = spec.get("subWorkflows") or []
        names = [s.get("id", {}).get("name", "") for s in subs]
        if subs and len(set(names)) == len(names) and all(names):
            body = {}
            for s in subs:
                sid = s.get("id", {})
                sb: dict = {}
                for k in ("version", "project", "domain", "org"):
                    if sid.get(k, "") != self.ident.get(k, ""):
                        sb[k] = sid.get(k, "")
                self.workflow_body(s, sb)
                body[sid["name"]] = sb
            d["subWorkflows"] = body
        return d

    def workflow_body(self, t: dict, d: dict) -> None:
        iface = t.get("interface", {})
        self.interface({k: v for k, v in iface.items() if k == "inputs"}, d)
        bound = {}
        for o in t.get("outputs", []):
            bound.setdefault(o.get("var", ""), o.get("binding"))
        if "outputs" in iface and not (self.pyflyte and iface["outputs"] == {}):
            declared = self.variables(iface["outputs"])
            # in the order of the bindings (the interface is a map: its order means nothing)
            outs = {k: declared[k] for k in bound if k in declared}
            outs.update((k, v) for k, v in declared.items() if k not in outs)
            for name, spec in outs.items():
                if name in bound:
                    if not isinstance(spec, dict) or isinstance(spec, _Raw):
                        spec = {"type": spec}
                    spec["value"] = self.value(bound[name])
                    outs[name] = spec
            d["outputs"] = outs
        nodes = t.get("nodes", [])
        ids = [n.get("id", "") for n in nodes]
        if nodes and len(set(ids)) == len(ids) and all(ids):
            d["nodes"] = {n["id"]: self.node(n, inner=False) for n in nodes}
        if "failureNode" in t:
            fn = self.node(t["failureNode"], inner=True)
            if fn.get("id") == "fn0":
                del fn["id"]
            d["onFailure"] = fn
        md = t.get("metadataDefaults") or {}
        if "interruptible" in md:
            d["interruptible"] = md["interruptible"]

    def node(self, n: dict, inner: bool, default_id: str | None = None) -> dict:
        b: dict = {}
        if inner and n.get("id", "") != default_id:
            b["id"] = n.get("id", "")
        md = n.get("metadata", {})
        target, tvalue = None, None
        if "taskNode" in n:
            target, tvalue = "task", self.reference(n["taskNode"].get("referenceId"))
        elif "workflowNode" in n:
            wn = n["workflowNode"]
            if "launchplanRef" in wn:
                target, tvalue = "launchPlan", self.reference(wn["launchplanRef"])
            else:
                target, tvalue = "workflow", self.reference(wn.get("subWorkflowRef"))
        default_name = None
        if self.pyflyte and target is not None:
            ref = tvalue if isinstance(tvalue, str) else (tvalue or {}).get("name", "")
            full = n.get("taskNode", {}).get("referenceId") or \
                n.get("workflowNode", {}).get("launchplanRef") or \
                n.get("workflowNode", {}).get("subWorkflowRef") or {}
            if isinstance(ref, str) and ref:
                default_name = full.get("name", "").rsplit(".", 1)[-1]
        if "name" in md and md["name"] != default_name:
            b["name"] = md["name"]
        if target is not None:
            b[target] = tvalue
        r = md.get("retries")
        if isinstance(r, dict) and "retries" in r:
            b["retries"] = r["retries"]
        if "timeout" in md:
            b["timeout"] = duration_text(md["timeout"])
        if "interruptible" in md:
            b["interruptible"] = md["interruptible"]
        inputs = n.get("inputs", [])
        vars_ = [i.get("var", "") for i in inputs]
        derived_refs: list[str] = []
        if "branchNode" in n:
            cases, derived = self.branch(n, md)
            derived_inputs = [{"var": v, "binding": bd} for v, bd in sorted(derived.items())]
            if inputs != derived_inputs:
                b["inputs"] = {i["var"]: self.value(i.get("binding")) for i in inputs}
            for v, bd in sorted(derived.items()):
                node = bd["promise"].get("nodeId")
                if node and node not in derived_refs:
                    derived_refs.append(node)
            if "inputs" in b:
                derived_refs = _node_refs(inputs)
            b["branch"] = cases
        elif inputs and len(set(vars_)) == len(vars_):
            b["inputs"] = {i["var"]: self.value(i.get("binding")) for i in inputs}
            derived_refs = _node_refs(inputs)
        up = n.get("upstreamNodeIds", [])
        if self.pyflyte:
            if up != derived_refs:
                b["after"] = list(up)
        elif up:
            b["after"] = list(up)
        aliases = n.get("outputAliases") or []
        if aliases and len({a.get("var") for a in aliases}) == len(aliases):
            b["aliases"] = {a.get("var", ""): a.get("alias", "") for a in aliases}
        if target == "task":
            self.resources((n["taskNode"].get("overrides") or {}).get("resources"), b)
        if "gateNode" in n:
            gn = n["gateNode"]
            if "approve" in gn:
                b["approve"] = gn["approve"].get("signalId", "")
            elif "sleep" in gn:
                b["sleep"] = duration_text(gn["sleep"].get("duration", "0s"))
            elif "signal" in gn:
                sig = gn["signal"]
                s: dict = {}
                if "signalId" in sig:
                    s["id"] = sig["signalId"]
                if "type" in sig:
                    tt = self.type_(sig["type"])
                    s["type"] = tt if tt is not None else _Raw(sig["type"])
                out = sig.get("outputVariableName")
                if out is not None and not (self.pyflyte and out == "o0"):
                    s["output"] = out
                elif out is None and self.pyflyte:
                    s["output"] = ""
                b["signal"] = s
        if "arrayNode" in n:
            an = n["arrayNode"]
            inner_n = an.get("node")
            ib = self.node(inner_n, inner=True, default_id=n.get("id")) if inner_n else {}
            if inner_n is not None and inner_n.get("inputs", []) == inputs and "inputs" in ib:
                del ib["inputs"]  # the sub-node takes the map node's inputs by default
                if ib.get("after") == [] and not inner_n.get("upstreamNodeIds"):
                    del ib["after"]
            b["map"] = ib
            for k in ("parallelism", "minSuccesses", "minSuccessRatio"):
                if k in an:
                    b[k] = an[k]
        return {k: b[k] for k in sorted(b, key=_NODE_ORDER.index)}

    def branch(self, n: dict, md: dict) -> tuple[list, dict]:
        ie = n["branchNode"].get("ifElse", {})
        inputs = {i.get("var", ""): i.get("binding") for i in n.get("inputs", [])}
        derived: dict = {}
        cases: list = []
        index = 0
        blocks = ([ie["case"]] if "case" in ie else []) + list(ie.get("other", []))
        for block in blocks:
            case: dict = {"when": self.condition(block.get("condition"), inputs, derived)}
            if "thenNode" in block:
                case["then"] = self.node(block["thenNode"], inner=True, default_id=f"n{index}")
                index += 1
            cases.append(case)
        if "elseNode" in ie:
            cases.append({"else": self.node(ie["elseNode"], inner=True,
                                            default_id=f"n{index}")})
        elif "error" in ie:
            err = ie["error"]
            case = {"fail": err.get("message", "")}
            default = md.get("name", n.get("id", ""))
            if err.get("failedNodeId", "") != default:
                case["failedNodeId"] = err.get("failedNodeId", "")
            cases.append(case)
        return cases, derived

    def condition(self, c: dict | None, inputs: dict, derived: dict) -> str:
        def operand(o: dict) -> str:
            if set(o) == {"var"}:
                var = o["var"]
                cand = ("inputs" + var) if var.startswith(".") else var
                try:
                    r = g.parse_ref("${" + cand + "}")
                except g.ExprError:
                    r = None
                if r is not None and condition_var(r) == var:
                    derived.setdefault(var, {"promise": _promise(r)})
                    return r.text()
                if _COND_NAME.fullmatch(var) and var not in ("true", "false", "and", "or"):
                    return var
                raise _Fallback
            if set(o) == {"primitive"} and len(o["primitive"]) == 1:
                (k, v), = o["primitive"].items()
                if k == "integer":
                    return str(int(v))
                if k == "floatValue" and not isinstance(v, str) and math.isfinite(v):
                    s = repr(float(v))
                    return s if ("." in s or "e" in s) else s + ".0"
                if k == "stringValue":
                    return g.quote(v)
                if k == "boolean":
                    return "true" if v else "false"
            raise _Fallback

        def go(x) -> g.Cond:
            if not isinstance(x, dict) or len(x) != 1:
                raise _Fallback
            if "comparison" in x:
                cmp = x["comparison"]
                if not set(cmp) <= {"operator", "leftValue", "rightValue"}:
                    raise _Fallback
                return g.Cond("cmp", cmp.get("operator", "EQ"), cmp.get("leftValue", {}),
                              cmp.get("rightValue", {}))
            if "conjunction" in x:
                cj = x["conjunction"]
                if not set(cj) <= {"operator", "leftExpression", "rightExpression"}:
                    raise _Fallback
                return g.Cond(cj.get("operator", "AND"), "", go(cj.get("leftExpression")),
                              go(cj.get("rightExpression")))
            raise _Fallback

        try:
            return g.condition_text(go(c), operand)
        except (_Fallback, KeyError, TypeError, ValueError):
            return "true == true"  # replaced by a 'flyte:' override of the condition

    # launch plans
    def launch_plan(self, lp: dict) -> dict:
        d = self.header("LaunchPlan", lp.get("id", {}))
        spec = lp.get("spec", {})
        d["workflow"] = self.reference(spec.get("workflowId"))
        params = (spec.get("defaultInputs") or {}).get("parameters") or {}
        if params:
            out = {}
            for name, p in params.items():
                var = p.get("var", {})
                t = var.get("type")
                text = self.type_(t) if t is not None else None
                typ = text if text is not None else _Raw(t) if t is not None else None
                desc = var.get("description")
                default_desc = name if self.pyflyte else None
                if set(p) <= {"var", "required"} and p.get("required") and \
                        desc == default_desc and typ is not None:
                    out[name] = typ
                    continue
                e: dict = {}
                if typ is not None:
                    e["type"] = typ
                if desc != default_desc and desc is not None:
                    e["description"] = desc
                if "default" in p:
                    e["default"] = self.literal(p["default"])
                elif "required" in p and not p["required"]:
                    e["required"] = False  # (neither default nor required: a 'flyte:' fix)
                out[name] = e
            d["inputs"] = out
        fixed = (spec.get("fixedInputs") or {}).get("literals") or {}
        if fixed:
            d["fixed"] = {k: self.literal(v) for k, v in fixed.items()}
        em = spec.get("entityMetadata") or {}
        sched = em.get("schedule")
        if sched:
            s: dict = {}
            if "cronSchedule" in sched and set(sched["cronSchedule"]) == {"schedule"}:
                s["cron"] = sched["cronSchedule"]["schedule"]
            elif "rate" in sched and set(sched["rate"]) <= {"value", "unit"}:
                s["every"] = f"{sched['rate'].get('value', 0)}" \
                             f"{_RATE_KEYS.get(sched['rate'].get('unit', 'MINUTE'), 'm')}"
            if "kickoffTimeInputArg" in sched:
                s["kickoffInput"] = sched["kickoffTimeInputArg"]
            if set(s) == {"cron"}:
                d["schedule"] = s["cron"]
            elif s:
                d["schedule"] = s
        notes = em.get("notifications") or []
        if notes:
            out_notes = []
            for note in notes:
                e = {"phases": [p.lower() for p in note.get("phases", []) if p in PHASES]}
                for k in ("email", "slack", "pagerDuty"):
                    if k in note:
                        e[k] = list(note[k].get("recipientsEmail", []))
                        break
                out_notes.append(e)
            d["notify"] = out_notes
        for k in ("labels", "annotations"):
            values = (spec.get(k) or {}).get("values")
            if values:
                d[k] = dict(values)
        return d


_NODE_ORDER = ["id", "task", "workflow", "launchPlan", "approve", "signal", "sleep", "name",
               "inputs", "branch", "map", "parallelism", "minSuccesses", "minSuccessRatio",
               "after", "aliases", "retries", "timeout", "interruptible", "requests", "limits",
               "flyte"]


class _Fallback(Exception):
    pass


_NO = object()


class _Raw(dict):
    """A flyteidl value written as is (a type the notation cannot say)."""


class _Words(list):
    """A command line: written as one (folded) string when shell quoting keeps it exact."""


def _node_refs(inputs: list) -> list[str]:
    out: list[str] = []

    def walk(b) -> None:
        if not isinstance(b, dict):
            return
        if "promise" in b:
            nid = b["promise"].get("nodeId")
            if nid and nid not in out:
                out.append(nid)
        for x in (b.get("collection") or {}).get("bindings", []):
            walk(x)
        for x in ((b.get("map") or {}).get("bindings") or {}).values():
            walk(x)

    for i in inputs:
        walk(i.get("binding"))
    return out


def _ref(p: dict) -> g.Ref | None:
    if not set(p) <= {"nodeId", "var", "attrPath"}:
        return None
    node = p.get("nodeId") or None
    var = p.get("var", "")
    if node == "inputs" or (node is not None and not _REF_NAME.fullmatch(node)):
        return None
    if not _REF_NAME.fullmatch(var):
        return None
    path = []
    for a in p.get("attrPath", []):
        if set(a) == {"stringValue"}:
            path.append(("s", a["stringValue"]))
        elif set(a) == {"intValue"} and a["intValue"] >= 0:
            path.append(("i", a["intValue"]))
        else:
            return None
    return g.Ref(node, var, tuple(path))


def _promise(r: g.Ref) -> dict:
    p: dict = {}
    if r.node is not None:
        p["nodeId"] = r.node
    p["var"] = r.var
    if r.path:
        p["attrPath"] = r.attr_path
    return p


def _untag(t):
    """A type without pyflyte's union tags (None when a tag is not the one pyflyte gives)."""
    if not isinstance(t, dict):
        return t
    out = dict(t)
    for k in ("collectionType", "mapValueType"):
        if k in out:
            inner = _untag(out[k])
            if inner is None:
                return None
            out[k] = inner
    if "unionType" in out and set(out["unionType"]) == {"variants"}:
        vs = []
        for v in out["unionType"]["variants"]:
            if set(v) == {"simple", "structure"} and \
                    v["structure"] == {"tag": PYFLYTE_TAGS.get(v["simple"])}:
                vs.append({"simple": v["simple"]})
            elif set(v) == {"simple"} and v["simple"] in PYFLYTE_TAGS:
                return None  # lowering would tag it
            else:
                inner = _untag(v)
                if inner is None:
                    return None
                vs.append(inner)
        out["unionType"] = {"variants": vs}
    return out


def _quantity(s: str):
    if re.fullmatch(r"-?[0-9]+", s) and str(int(s)) == s:
        return int(s)
    if re.fullmatch(r"-?[0-9]+\.[0-9]+", s) and repr(float(s)) == s:
        return float(s)
    return s


def duration_text(d: str) -> str:
    """protobuf's '5400s' as '1h30m' (fractions stay in seconds)."""
    m = re.fullmatch(r"(-?)(\d+)(\.\d+)?s", d or "")
    if not m or m.group(1) or m.group(3):
        return d
    secs = int(m.group(2))
    if secs == 0:
        return "0s"
    h, rest = divmod(secs, 3600)
    mi, s = divmod(rest, 60)
    return (f"{h}h" if h else "") + (f"{mi}m" if mi else "") + (f"{s}s" if s else "")


def build(kind: str, original: dict, style: str | None) -> dict:
    if kind == "LaunchPlan":
        rid = original.get("id", {})
    else:
        rid = original.get("template", {}).get("id", {})
    ident = {k: rid.get(k, "") for k in ("name", "version", "project", "domain", "org")}
    b = _Builder(style, ident)
    if kind == "TaskSpec":
        return b.task(original.get("template", {}))
    if kind == "WorkflowSpec":
        return b.workflow(original)
    return b.launch_plan(original)


# ---- YAML text ----------------------------------------------------------------------------------

WIDTH = 100
_BLOCK_KEYS = {"nodes", "subWorkflows", "branch", "then", "else", "map", "onFailure", "notify",
               "flyte", "inputs", "outputs"}
_NESTED_BLOCKS = {"nodes", "subWorkflows"}  # each node (sub-workflow) on lines of its own
_CORE_NONSTR = re.compile(
    r"^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|[-+]?[0-9]+|0o[0-7]+|"
    r"0x[0-9a-fA-F]+|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|"
    r"[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$")
# what other YAML readers (1.1) would not read as a string
_YAML11 = re.compile(r"^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|<<|=|"
                     r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}.*|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+.*|"
                     r"[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*(?:[eE][-+][0-9]+)?|0b[01_]+|[-+]?0[0-7_]+)$")
_INDICATORS = set("-?:,[]{}#&*!|>'\"%@`")


def _plain_ok(s: str, flow: bool) -> bool:
    if not s or s != s.strip() or _CORE_NONSTR.match(s) or _YAML11.match(s):
        return False
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F or ch in "\u0085\u2028\u2029\ufeff" for ch in s):
        return False
    first = s[0]
    if first in _INDICATORS:
        if first not in "-?:" or len(s) < 2 or s[1] in " \t" or flow:
            return False
    if ": " in s or " #" in s or s.endswith(":"):
        return False
    if flow and any(ch in ",[]{}:" for ch in s):
        return False
    return True


def scalar_text(v, flow: bool = False) -> str:
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if math.isnan(v):
            return ".nan"
        if math.isinf(v):
            return ".inf" if v > 0 else "-.inf"
        s = repr(v)
        return s if ("." in s or "e" in s or "n" in s) else s + ".0"
    s = str(v)
    if _plain_ok(s, flow):
        return s
    if "\n" not in s and all(ch.isprintable() for ch in s):
        return "'" + s.replace("'", "''") + "'"
    return json.dumps(s, ensure_ascii=False)


def _key_text(k: str) -> str:
    return scalar_text(k)


def _flow(v) -> str | None:
    """A one-line flow rendering, or None when the value is not small enough for one."""
    if isinstance(v, _Words) or getattr(v, "comments", None):
        return None
    if isinstance(v, dict):
        if not v:
            return "{}"
        parts = []
        for k, x in v.items():
            if isinstance(x, (dict, list)):
                inner = _flow(x)
                if inner is None:
                    return None
            elif isinstance(x, str) and "\n" in x:
                return None
            else:
                inner = scalar_text(x, flow=True)
            parts.append(f"{scalar_text(k, flow=True)}: {inner}")
        return "{" + ", ".join(parts) + "}"
    if isinstance(v, list):
        if not v:
            return "[]"
        parts = []
        for x in v:
            if isinstance(x, (dict, list)):
                inner = _flow(x)
                if inner is None:
                    return None
            elif isinstance(x, str) and "\n" in x:
                return None
            else:
                inner = scalar_text(x, flow=True)
            parts.append(inner)
        return "[" + ", ".join(parts) + "]"
    return None


def _depth(v) -> int:
    if isinstance(v, dict):
        return 1 + max((_depth(x) for x in v.values()), default=0)
    if isinstance(v, list):
        return 1 + max((_depth(x) for x in v), default=0)
    return 0


def render(data: dict) -> str:
    lines: list[str] = []
    _block_map(data, 0, lines, top=True)
    return "\n".join(lines) + "\n"


def _block_map(d: dict, indent: int, lines: list, top: bool = False, first_prefix: str = "",
               blocks: bool = False) -> None:
    pad = " " * indent
    notes = getattr(d, "comments", None) or {}
    for i, (k, v) in enumerate(d.items()):
        prefix = first_prefix if i == 0 and first_prefix else pad
        for line in notes.get(k, ()):
            if i == 0 and first_prefix:  # a list item's first key: the comment goes above '-'
                lines.append(first_prefix[:-2] + line)
            else:
                lines.append(pad + line)
        key = _key_text(k)
        _entry(prefix + key + ":", k, v, indent, lines, force_block=blocks)


def _entry(head: str, key, v, indent: int, lines: list, force_block: bool = False) -> None:
    """``head`` is 'key:' (or '- ') already indented; v goes after it or below it."""
    if isinstance(v, _Words):
        words = list(v)
        joined = shlex.join(words)
        if shlex.split(joined) == words and "\n" not in joined:
            text = scalar_text(joined)
            if len(head) + 1 + len(text) <= WIDTH or not _foldable(joined):
                lines.append(f"{head} {text}")
            else:
                lines.append(f"{head} >-")
                for chunk in _wrap(joined, WIDTH - indent - 2):
                    lines.append(" " * (indent + 2) + chunk)
            return
        v = list(words)
    if isinstance(v, (dict, list)):
        flow = _flow(v)
        block_only = (force_block or key in _BLOCK_KEYS) and not isinstance(v, _Raw) and v
        if flow is not None and not block_only and len(head) + 1 + len(flow) <= WIDTH and \
                _depth(v) <= 3:
            lines.append(f"{head} {flow}")
            return
        if not v:
            lines.append(f"{head} {'{}' if isinstance(v, dict) else '[]'}")
            return
        lines.append(head)
        if isinstance(v, dict):
            _block_map(v, indent + 2, lines, blocks=key in _NESTED_BLOCKS)
        else:
            _block_list(v, indent + 2, lines, key)
        return
    if isinstance(v, str) and "\n" in v and _literal_ok(v) and not v.endswith("\n\n"):
        chomp = "-" if not v.endswith("\n") else ""
        lines.append(f"{head} |{chomp}")
        body = v[:-1] if chomp == "" else v
        for ln in body.split("\n"):
            lines.append((" " * (indent + 2) + ln) if ln else "")
        return
    lines.append(f"{head} {scalar_text(v)}")


def _block_list(items: list, indent: int, lines: list, key) -> None:
    pad = " " * indent
    for x in items:
        if isinstance(x, dict) and x and not isinstance(x, _Raw):
            flow = _flow(x)
            if flow is not None and key not in _BLOCK_KEYS and len(pad) + 2 + len(flow) <= WIDTH:
                lines.append(f"{pad}- {flow}")
                continue
            _block_map(x, indent + 2, lines, first_prefix=pad + "- ")
        else:
            _entry(pad + "-", None, x, indent, lines)


def _literal_ok(s: str) -> bool:
    if s.startswith((" ", "\n")) or "\r" in s or "\t" in s:
        return False
    if any(not (ch.isprintable() or ch == "\n") for ch in s):
        return False
    lines = s.split("\n")
    return not any(ln != ln.rstrip(" ") for ln in lines)


def _foldable(s: str) -> bool:
    return "  " not in s and not s.startswith(" ") and not s.endswith(" ")


def _wrap(s: str, width: int) -> list[str]:
    words = s.split(" ")
    out: list[str] = []
    cur = ""
    for w in words:
        if cur and len(cur) + 1 + len(w) > width:
            out.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}" if cur else w
    if cur:
        out.append(cur)
    return out


class _Commented(dict):
    """A mapping whose keys carry the comments the source had above them."""

    comments: dict


def _note(d: dict, key, lines: list[str]) -> bool:
    """Put ``lines`` above ``key`` of ``d``; False when ``d`` has no such key."""
    if not isinstance(d, _Commented) or key not in d:
        return False
    d.comments.setdefault(key, []).extend(lines)
    return True


def _commented(d: dict, k: str) -> dict | None:
    v = d.get(k)
    if not isinstance(v, dict) or isinstance(v, _Raw):
        return None
    if not isinstance(v, _Commented):
        c = _Commented(v)
        c.comments = {}
        d[k] = c
        v = c
    return v


def attach_comments(data: dict, kind: str, original: dict, comments: list) -> None:
    """Comments above a node, a variable or a launch plan input go above its key; the others
    go to the top of the document."""
    top: list[str] = []
    for pointer, lines in comments:
        parts = [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:]]
        placed = False
        if kind == "WorkflowSpec" and parts[:2] == ["template", "nodes"] and len(parts) > 2 \
                and parts[2].isdigit():
            nodes = original.get("template", {}).get("nodes", [])
            i = int(parts[2])
            target = _commented(data, "nodes")
            if target is not None and i < len(nodes):
                placed = _note(target, nodes[i].get("id"), lines)
        elif kind in ("WorkflowSpec", "TaskSpec") and parts[:2] == ["template", "interface"] \
                and len(parts) > 4 and parts[3] == "variables":
            target = _commented(data, parts[2]) if parts[2] in ("inputs", "outputs") else None
            placed = target is not None and _note(target, parts[4], lines)
        elif kind == "LaunchPlan" and parts[:3] == ["spec", "defaultInputs", "parameters"] \
                and len(parts) > 3:
            target = _commented(data, "inputs")
            placed = target is not None and _note(target, parts[3], lines)
        if not placed:
            for prefix, key in _COMMENT_KEYS:
                if pointer == prefix or pointer.startswith(prefix + "/"):
                    placed = _note(data, key, lines) if isinstance(key, str) else \
                        any(_note(data, k, lines) for k in key if k in data)
                    if placed:
                        break
        if not placed:
            top.extend(lines)
    if top and isinstance(data, _Commented):
        data.comments.setdefault(next(iter(data)), []).extend(top)


# where a comment above a part of the flyteidl form goes in the dialect (the first that exists)
_COMMENT_KEYS = (
    ("/template/interface/inputs", "inputs"),
    ("/template/interface/outputs", "outputs"),
    ("/template/outputs", "outputs"),
    ("/template/nodes", "nodes"),
    ("/template/failureNode", "onFailure"),
    ("/template/metadataDefaults", "interruptible"),
    ("/subWorkflows", "subWorkflows"),
    ("/template/type", "type"),
    ("/template/container/image", "image"),
    ("/template/container/command", "command"),
    ("/template/container/args", "args"),
    ("/template/container/env", "env"),
    ("/template/container/resources/requests", "requests"),
    ("/template/container/resources/limits", "limits"),
    ("/template/container/resources", ("requests", "limits")),
    ("/template/container", ("image", "command", "args")),
    ("/template/metadata/retries", "retries"),
    ("/template/metadata/timeout", "timeout"),
    ("/template/metadata/interruptible", "interruptible"),
    ("/template/metadata/runtime", "runtime"),
    ("/template/metadata", ("cache", "retries", "timeout", "runtime")),
    ("/template/securityContext", "secrets"),
    ("/template/config", "config"),
    ("/template/custom", "custom"),
    ("/spec/workflowId", "workflow"),
    ("/spec/defaultInputs", "inputs"),
    ("/spec/fixedInputs", "fixed"),
    ("/spec/entityMetadata/schedule", "schedule"),
    ("/spec/entityMetadata/notifications", "notify"),
    ("/spec/labels", "labels"),
    ("/spec/annotations", "annotations"),
)


def source_comments(doc) -> list[tuple[str, list[str]]]:
    """Full-line comments inside a YAML document: (canonical pointer of the line they stand
    above, the comment lines)."""
    from specc.frontends import pointer_at

    src = doc.file
    if src.form != "yaml" or not src.text or doc.spans is None:
        return []
    root = doc.spans.lookup("")
    if root is None:
        return []
    lines = src.text.split("\n")
    inverse = {v: k for k, v in (doc.pointer_map or {}).items()}
    out = []
    i, end = root.line - 1, min(root.end_line - 1, len(lines) - 1)
    while i <= end:
        if not lines[i].lstrip().startswith("#"):
            i += 1
            continue
        block = []
        while i <= end and lines[i].lstrip().startswith("#"):
            block.append(lines[i].strip())
            i += 1
        j = i
        while j <= end and not lines[j].strip():
            j += 1
        pointer = ""
        if j <= end:
            line = lines[j]
            col = len(line) - len(line.lstrip(" -")) + 1
            pointer = pointer_at(doc, j + 1, col) or ""
        out.append((_canonical_pointer(pointer, inverse), block))
    return out


def _canonical_pointer(pointer: str, inverse: dict[str, str]) -> str:
    p = pointer
    while p:
        c = inverse.get(p)
        if c is not None:
            return c + pointer[len(p):]
        p = p[: p.rfind("/")]
    return pointer


def leading_comment(doc) -> str:
    """The comment lines right above a YAML document, to carry over."""
    src = doc.file
    if src.form != "yaml" or not src.text or doc.spans is None:
        return ""
    root = doc.spans.lookup("")
    if root is None:
        return ""
    lines = src.text.split("\n")
    out: list[str] = []
    i = root.line - 2
    while i >= 0 and lines[i].lstrip().startswith("#"):
        out.append(lines[i].strip())
        i -= 1
    return "".join(ln + "\n" for ln in reversed(out))
