"""A TaskTemplate as a ``Task`` document. Its fields are constructs found through ``TASK``,
``TASK_METADATA`` and ``CONTAINER``, applied in the tables' order, which is the order of the
keys in the document."""
from __future__ import annotations

import shlex
from collections.abc import Callable

from specc.dialect.emit.base import (
    MOUNT_KEYS,
    RESOURCE_KEYS,
    Builder,
    duration_text,
    quantity,
)
from specc.dialect.emit.types import interface
from specc.dialect.lower import pyflyte_args
from specc.yamlwrite import Commented, Folded

# a construct: (the builder, the flyteidl element it reads, the dialect mapping it fills)
Construct = Callable[[Builder, dict, dict], None]


def task(b: Builder, t: dict) -> Commented:
    """A TaskTemplate -> Task document."""
    d = b.header("Task", t.get("id", {}))
    ttype = t.get("type", "")
    if ttype != ("python-task" if b.pyflyte else "container"):
        d["type"] = ttype
    for key, construct in TASK.items():
        if key in t:
            construct(b, t, d)
    return d


def _interface(b: Builder, t: dict, d: dict) -> None:
    interface(b, t["interface"], d)


def _container(b: Builder, t: dict, d: dict) -> None:
    c = t["container"]
    if c is None:
        return
    for key, construct in CONTAINER.items():
        if key in c:
            construct(b, c, d)
    if b.pyflyte and t.get("type", "") == "python-task" and "command" not in d and \
            d.get("args") == pyflyte_args(b.ident.get("name", "")):
        del d["args"]  # what pyflyte runs by default


def _metadata(b: Builder, t: dict, d: dict) -> None:
    md = t["metadata"]
    for key, construct in TASK_METADATA.items():
        if key in md:
            construct(b, md, d)


def _secrets(b: Builder, t: dict, d: dict) -> None:
    """``group/key`` where that says it all, else a mapping."""
    secrets = (t["securityContext"] or {}).get("secrets")
    if not secrets:
        return
    out: list = []
    for s in secrets:
        if set(s) <= {"group", "key"} and "group" in s and "/" not in s["group"] and s["group"]:
            out.append(s["group"] + (f"/{s['key']}" if s.get("key") else ""))
            continue
        e = {k: s[k] for k in ("group", "key", "groupVersion", "envVar") if k in s}
        if s.get("mountRequirement") in MOUNT_KEYS:
            e["mount"] = MOUNT_KEYS[s["mountRequirement"]]
        out.append(e)
    d["secrets"] = out


def _config(b: Builder, t: dict, d: dict) -> None:
    if t["config"]:
        d["config"] = dict(t["config"])


def _custom(b: Builder, t: dict, d: dict) -> None:
    d["custom"] = t["custom"]


TASK: dict[str, Construct] = {
    "interface": _interface,
    "container": _container,
    "metadata": _metadata,
    "securityContext": _secrets,
    "config": _config,
    "custom": _custom,
}


# ---- the container ----------------------------------------------------------------------------

def _image(b: Builder, c: dict, d: dict) -> None:
    d["image"] = c["image"]


def _command(b: Builder, c: dict, d: dict) -> None:
    if c["command"]:
        d["command"] = Words(c["command"])


def _args(b: Builder, c: dict, d: dict) -> None:
    if c["args"]:
        d["args"] = Words(c["args"])


def _env(b: Builder, c: dict, d: dict) -> None:
    """``env`` as a mapping, when its keys are distinct and it has nothing else."""
    env = c["env"] or []
    keys = [e.get("key", "") for e in env]
    if env and len(set(keys)) == len(keys) and all(set(e) <= {"key", "value"} for e in env):
        d["env"] = {e.get("key", ""): e.get("value", "") for e in env}


def _resources(b: Builder, c: dict, d: dict) -> None:
    resources(c["resources"], d)


CONTAINER: dict[str, Construct] = {
    "image": _image,
    "command": _command,
    "args": _args,
    "env": _env,
    "resources": _resources,
}


class Words(list):
    """A command line (a container's command or args): lowered as the list it is, written as
    one string when it can be (``command_line``)."""


def command_line(words: Words) -> Folded | list:
    """A command line as YAML writes it: one string when shell quoting keeps its words exact
    (lowering splits it again; a long one is folded), else the list of words."""
    plain = list(words)
    joined = shlex.join(plain)
    if shlex.split(joined) == plain and "\n" not in joined:
        return Folded(joined)
    return plain


def resources(res: dict | None, d: dict) -> None:
    """``requests`` and ``limits`` as mappings (``{cpu: 2, memory: 4Gi}``), each when its names
    are distinct and known."""
    for which in ("requests", "limits"):
        entries = (res or {}).get(which) or []
        names = [e.get("name", "UNKNOWN") for e in entries]
        if entries and len(set(names)) == len(names) and all(n in RESOURCE_KEYS for n in names):
            d[which] = {RESOURCE_KEYS[e["name"]]: quantity(e.get("value", "")) for e in entries}


# ---- metadata ---------------------------------------------------------------------------------

def _runtime(b: Builder, md: dict, d: dict) -> None:
    d["runtime"] = md["runtime"]


def _retries(b: Builder, md: dict, d: dict) -> None:
    r = md["retries"]
    if isinstance(r, dict) and "retries" in r:
        d["retries"] = r["retries"]


def _timeout(b: Builder, md: dict, d: dict) -> None:
    d["timeout"] = duration_text(md["timeout"])


def _interruptible(b: Builder, md: dict, d: dict) -> None:
    d["interruptible"] = md["interruptible"]


def _cache(b: Builder, md: dict, d: dict) -> None:
    """``cache: VERSION``, or a mapping when there is more to say (or no version)."""
    if not md["discoverable"]:
        return
    version = md.get("discoveryVersion", "")
    if version and "cacheSerializable" not in md and "cacheIgnoreInputVars" not in md:
        d["cache"] = version
        return
    cache: dict = {}
    if version:
        cache["version"] = version
    if "cacheSerializable" in md:
        cache["serialize"] = md["cacheSerializable"]
    if "cacheIgnoreInputVars" in md:
        cache["ignoreInputs"] = md["cacheIgnoreInputVars"]
    d["cache"] = cache


TASK_METADATA: dict[str, Construct] = {
    "runtime": _runtime,
    "retries": _retries,
    "timeout": _timeout,
    "interruptible": _interruptible,
    "discoverable": _cache,
}
