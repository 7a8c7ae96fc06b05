"""A ``Task`` -> the TaskTemplate of an admin.TaskSpec.

Each key (or group of keys, for the container) is a construct of its own, found through
``TASK_METADATA`` (into ``template.metadata``), ``TASK_TEMPLATE`` (into the template) and
``CONTAINER`` (into ``template.container``), applied in the tables' order, which is the order
the fields have in the produced data."""
from __future__ import annotations

import copy
import difflib
import shlex
from collections.abc import Callable
from typing import Any

from specc.dialect.lower.base import MOUNTS, RESOURCE_NAMES, Lowering, esc
from specc.dialect.lower.names import identifier
from specc.dialect.lower.types import interface

# a construct: (the lowering, the task document, the element it fills)
Construct = Callable[[Lowering, dict, dict], None]

CONTAINER_KEYS = ("image", "command", "args", "env", "requests", "limits")


def lower_task(lw: Lowering, d: dict) -> dict:
    """A Task document -> TaskTemplate (``metadata`` and ``interface`` always, as FlyteAdmin
    requires them)."""
    t: dict = {"id": identifier("TASK", lw.ident)}
    lw.map("/template/id", "/name" if "name" in d else "")
    t["type"] = _task_type(lw, d)
    md: dict = {}
    t["metadata"] = md
    for key, construct in TASK_METADATA.items():
        if key in d:
            construct(lw, d, md)
        elif lw.pyflyte and key in PYFLYTE_METADATA:
            md[key] = copy.deepcopy(PYFLYTE_METADATA[key])
    t["interface"], _ = interface(lw, d, "", "/template", workflow=False)
    for key, construct in TASK_TEMPLATE.items():
        if any(k in d for k in TEMPLATE_TRIGGERS.get(key, (key,))):
            construct(lw, d, t)
    return t


def _task_type(lw: Lowering, d: dict) -> str:
    ttype = "python-task" if lw.pyflyte else "container"
    if "type" in d:
        s = lw.string(d["type"], "/type", "type")
        ttype = s if s is not None else ttype
        lw.map("/template/type", "/type")
    return ttype


# ---- metadata ---------------------------------------------------------------------------------

def _runtime(lw: Lowering, d: dict, md: dict) -> None:
    rt = lw.mapping(d["runtime"], "/runtime", "runtime")
    if rt is not None:
        md["runtime"] = copy.deepcopy(rt)
        lw.map("/template/metadata/runtime", "/runtime")


def _retries(lw: Lowering, d: dict, md: dict) -> None:
    md["retries"] = {"retries": d["retries"]}
    lw.map("/template/metadata/retries", "/retries")


def _timeout(lw: Lowering, d: dict, md: dict) -> None:
    to = lw.duration(d["timeout"], "/timeout", "timeout")
    if to is not None:
        md["timeout"] = to
        lw.map("/template/metadata/timeout", "/timeout")


def _interruptible(lw: Lowering, d: dict, md: dict) -> None:
    md["interruptible"] = d["interruptible"]
    lw.map("/template/metadata/interruptible", "/interruptible")


def _cache(lw: Lowering, d: dict, md: dict) -> None:
    """``cache: VERSION`` or ``cache: {version, serialize, ignoreInputs}``."""
    v = d["cache"]
    if isinstance(v, (str, int)) and not isinstance(v, bool):
        md["discoverable"] = True
        md["discoveryVersion"] = str(v)
        lw.map("/template/metadata/discoveryVersion", "/cache")
        lw.map("/template/metadata/discoverable", "/cache")
        return
    body = lw.mapping(v, "/cache", "cache")
    if body is None:
        return
    lw.keys(body, ("version", "serialize", "ignoreInputs"), "/cache", "cache")
    md["discoverable"] = True
    lw.map("/template/metadata/discoverable", "/cache")
    if "version" in body:
        s = lw.string(body["version"], "/cache/version", "cache.version", allow_int=True)
        if s is not None:
            md["discoveryVersion"] = s
        lw.map("/template/metadata/discoveryVersion", "/cache/version")
    for key, field_ in (("serialize", "cacheSerializable"),
                        ("ignoreInputs", "cacheIgnoreInputVars")):
        if key in body:
            md[field_] = body[key]
            lw.map(f"/template/metadata/{field_}", f"/cache/{key}")


TASK_METADATA: dict[str, Construct] = {
    "runtime": _runtime,
    "retries": _retries,
    "timeout": _timeout,
    "interruptible": _interruptible,
    "cache": _cache,
}
# what pyflyte writes for a key that is not given
PYFLYTE_METADATA: dict[str, Any] = {"retries": {}}


# ---- the template -----------------------------------------------------------------------------

def _config(lw: Lowering, d: dict, t: dict) -> None:
    cfg = lw.mapping(d["config"], "/config", "config")
    if cfg is not None:
        t["config"] = {k: (lw.string(v, f"/config/{esc(k)}", f"config.{k}", allow_int=True)
                           or "") for k, v in cfg.items()}
        lw.map("/template/config", "/config")


def _custom(lw: Lowering, d: dict, t: dict) -> None:
    c = lw.mapping(d["custom"], "/custom", "custom")
    if c is not None:
        t["custom"] = copy.deepcopy(c)
        lw.map("/template/custom", "/custom")


def _container(lw: Lowering, d: dict, t: dict) -> None:
    """``image``, ``command``, ``args``, ``env``, ``requests``, ``limits`` -> Container."""
    c: dict = {}
    lw.map("/template/container", "/image" if "image" in d else "")
    for key, construct in CONTAINER.items():
        if key in d:
            construct(lw, d, c)
        elif key == "args":
            _pyflyte_args(lw, d, t, c)
    res = resources(lw, d, "", "/template/container/resources")
    if res is not None:
        c["resources"] = res
    elif lw.pyflyte:
        c["resources"] = {}
    t["container"] = c


def _secrets(lw: Lowering, d: dict, t: dict) -> None:
    v = d["secrets"]
    if not isinstance(v, list):
        lw.wrong("/secrets", "secrets", "a list", v)
        return
    out: list[dict] = []
    for i, s in enumerate(v):
        lw.map(f"/template/securityContext/secrets/{len(out)}", f"/secrets/{i}")
        sec = _secret(lw, s, i)
        if sec is not None:
            out.append(sec)
    if out:
        t["securityContext"] = {"secrets": out}


def _secret(lw: Lowering, s: Any, i: int) -> dict | None:
    """``group/key`` or ``{group, key, mount, groupVersion, envVar}`` -> Secret."""
    src = f"/secrets/{i}"
    if isinstance(s, str):
        group, _, key = s.partition("/")
        return {"group": group, "key": key} if key else {"group": group}
    body = lw.mapping(s, src, f"secrets[{i}]")
    if body is None:
        return None
    lw.keys(body, ("group", "key", "mount", "groupVersion", "envVar"), src, "a secret")
    sec = {k: body[k] for k in ("group", "key", "groupVersion", "envVar") if k in body}
    if "mount" in body:
        m = MOUNTS.get(str(body["mount"]).lower())
        if m is None:
            lw.issue("SPC033", f"{src}/mount", field="mount", expected="any, env or file",
                     found=repr(body["mount"]))
        else:
            sec["mountRequirement"] = m
    return sec


TASK_TEMPLATE: dict[str, Construct] = {
    "config": _config,
    "custom": _custom,
    "container": _container,
    "secrets": _secrets,
}
# a construct that is not one key: the keys any of which calls for it
TEMPLATE_TRIGGERS = {"container": CONTAINER_KEYS}


# ---- the container ----------------------------------------------------------------------------

def _image(lw: Lowering, d: dict, c: dict) -> None:
    img = lw.string(d["image"], "/image", "image")
    if img is not None:
        c["image"] = img


def _command(lw: Lowering, d: dict, c: dict) -> None:
    _words_field(lw, d, c, "command")


def _args(lw: Lowering, d: dict, c: dict) -> None:
    _words_field(lw, d, c, "args")


def _words_field(lw: Lowering, d: dict, c: dict, k: str) -> None:
    w = words(lw, d[k], f"/{k}", k)
    if w:
        c[k] = w
    lw.map(f"/template/container/{k}", f"/{k}")


def _pyflyte_args(lw: Lowering, d: dict, t: dict, c: dict) -> None:
    """With style pyflyte, a python-task without command and args runs what pyflyte runs."""
    if lw.pyflyte and t["type"] == "python-task" and "command" not in d and \
            lw.ident.get("name"):
        c["args"] = pyflyte_args(lw.ident["name"])


def _env(lw: Lowering, d: dict, c: dict) -> None:
    env = lw.mapping(d["env"], "/env", "env")
    if not env:
        return
    c["env"] = []
    for k, v in env.items():
        s = lw.string(v, f"/env/{esc(k)}", f"env.{k}", allow_int=True)
        lw.map(f"/template/container/env/{len(c['env'])}", f"/env/{esc(k)}")
        c["env"].append({"key": k, "value": s or ""})


CONTAINER: dict[str, Construct] = {
    "image": _image,
    "command": _command,
    "args": _args,
    "env": _env,
}


def words(lw: Lowering, v: Any, src: str, field_: str) -> list[str] | None:
    """A command line: a string split as a shell does, or a list of strings (integers
    allowed); None after reporting it."""
    if isinstance(v, str):
        try:
            return shlex.split(v)
        except ValueError as e:
            lw.issue("SPC033", src, field=field_,
                     expected="a command line shell words can be split from",
                     found=f"a string with {e}")
            return None
    if isinstance(v, list):
        out = []
        for i, x in enumerate(v):
            s = lw.string(x, f"{src}/{i}", f"{field_}[{i}]", allow_int=True)
            if s is not None:
                out.append(s)
        return out
    lw.wrong(src, field_, "a string or a list of strings", v)
    return None


def pyflyte_args(name: str) -> list[str]:
    """What pyflyte runs a python-task with (flytekit's default resolver), for a task named
    ``module.function``."""
    module, _, function = name.rpartition(".")
    return ["pyflyte-execute", "--inputs", "{{.input}}", "--output-prefix", "{{.outputPrefix}}",
            "--raw-output-data-prefix", "{{.rawOutputDataPrefix}}", "--checkpoint-path",
            "{{.checkpointOutputPrefix}}", "--prev-checkpoint", "{{.prevCheckpointPrefix}}",
            "--resolver", "flytekit.core.python_auto_container.default_task_resolver", "--",
            "task-module", module, "task-name", function]


# ---- resources (tasks and task nodes) ---------------------------------------------------------

def resources(lw: Lowering, d: dict, src: str, canon: str) -> dict | None:
    """``requests`` and ``limits`` of ``d`` -> Resources, or None when it has neither."""
    if "requests" not in d and "limits" not in d:
        return None
    res: dict = {}
    for which in ("requests", "limits"):
        if which not in d:
            continue
        wsrc = f"{src}/{which}"
        body = lw.mapping(d[which], wsrc, which)
        if body:
            res[which] = _resource_entries(lw, body, which, wsrc, f"{canon}/{which}")
    return res


def _resource_entries(lw: Lowering, body: dict, which: str, wsrc: str, canon: str
                      ) -> list[dict]:
    """``{cpu: 2, memory: 4Gi}`` -> ResourceEntry list; unknown names and values of the wrong
    kind are reported and left out."""
    entries: list[dict] = []
    for name, value in body.items():
        esrc = f"{wsrc}/{esc(name)}"
        rname = RESOURCE_NAMES.get(name)
        if rname is None:
            close = difflib.get_close_matches(name, RESOURCE_NAMES, n=1, cutoff=0.5)
            lw.issue("SPC032", esrc, at_key=True, field=name, where=which,
                     hint=f"; did you mean '{close[0]}'?" if close else
                     "; known resources: " + ", ".join(RESOURCE_NAMES))
            continue
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            lw.wrong(esrc, f"{which}.{name}", "a quantity such as 2 or 4Gi", value)
            continue
        lw.map(f"{canon}/{len(entries)}", esrc)
        entries.append({"name": rname, "value": str(value)})
    return entries
