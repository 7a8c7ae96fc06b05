"""Configuration: ``[tool.specc]`` in ``pyproject.toml``, or ``specc.toml``, found by walking up
from the first checked path (``--config`` names one directly).

Known keys::

    select = ["SPC"]                 # codes, code prefixes ("SPC6") or names; default: every
                                     # code but the opt-in lint rules
    extend-select = ["SPC612"]       # added to select (or to the default set)
    ignore = ["SPC050", "SPC6"]      # specc.policy: the longest matching prefix wins
    severity = {SPC402 = "warning", SPC6 = "error"}   # error | warning | note | off
    include = ["flyte/**"]           # the project's specs, loaded as context (specc.project)
    catalog = ["registered/"]        # registered entities references resolve against
    [[per-path]]                     # globs relative to this file's folder
    paths = ["legacy/**"]
    ignore = ["SPC601"]
    severity = {SPC6 = "note"}
    [lint.timeout-above-maximum]     # a lint rule's options, passed through (Options.lint_options)
    max-timeout = "1h"
    [limits]                         # input limits (specc.frontends.Limits)
    max-file-bytes = 67108864        # also max-depth, max-values, max-bundle-members,
                                     # max-bundle-bytes, max-member-bytes
    flyte-defaults = true            # FlyteAdmin's default deployment settings (specc.platform)
    [platform]                       # in pyproject.toml: [tool.specc.platform]
    limits = {cpu = "4", memory = "16Gi", gpu = "2"}
    max-workflow-nodes = 500
    domains = ["development", "production"]
    task-type-allowlist = {spark = ["analytics/production", "analytics"]}

An unknown key or code, or a value of the wrong type, is a configuration error (exit 2) naming the
file and the key.
"""
from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from specc import quantity
from specc.platform import Platform, flyte_defaults
from specc.policy import LEVELS, PathRule, Policy, selector

_RESOURCES = {"cpu": "CPU", "memory": "MEMORY", "gpu": "GPU",
              "ephemeral-storage": "EPHEMERAL_STORAGE"}


class ConfigError(Exception):
    """A configuration file that cannot be used (exit 2)."""


@dataclass(frozen=True)
class Config:
    path: Path | None
    platform: Platform | None
    policy: Policy | None = None  # select / ignore / severity / per-path (specc.policy)
    lint_options: dict = field(default_factory=dict)  # [lint]: rule name -> its options
    limits: dict = field(default_factory=dict)  # [limits]: Limits field name -> value
    include: tuple[str, ...] | None = None  # context globs; None: every spec under the root
    catalog: tuple[Path, ...] = ()  # catalogue files or folders, resolved against the folder

    @property
    def root(self) -> Path | None:
        """The folder the configuration's globs are relative to."""
        return self.path.parent.resolve() if self.path is not None else None


def find(start: Path) -> Path | None:
    """The nearest specc.toml, or pyproject.toml with [tool.specc], at or above ``start``.

    The walk stops at the root of the repository (a folder holding ``.git``), so a stray file
    outside the project never configures it.
    """
    d = start.resolve()
    if not d.is_dir():
        d = d.parent
    for folder in (d, *d.parents):
        cand = folder / "specc.toml"
        if cand.is_file():
            return cand
        cand = folder / "pyproject.toml"
        if cand.is_file() and _has_tool_specc(cand):
            return cand
        if (folder / ".git").exists():
            break
    return None


def _has_tool_specc(path: Path) -> bool:
    try:
        tool = _read(path).get("tool", {})
        return isinstance(tool, dict) and "specc" in tool
    except ConfigError:
        return True  # report the broken file rather than skip it


def _read(path: Path) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # tomllib is new in 3.11; tomli is the same parser as a package
        import tomli as tomllib

    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(f"{path}: cannot read: {e}") from e
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{path}: invalid TOML: {e}") from e


def load(path: Path) -> Config:
    data = _read(path)
    prefix = ""
    if path.name == "pyproject.toml":
        tool = data.get("tool", {})
        data = tool.get("specc", {}) if isinstance(tool, dict) else {}
        if not isinstance(data, dict):
            raise ConfigError(f"{path}: 'tool.specc' must be a table")
        prefix = "tool.specc."
    where = f"{path}"

    def bad(key: str, why: str) -> ConfigError:
        return ConfigError(f"{where}: '{prefix}{key}' {why}")

    unknown = set(data) - {"flyte-defaults", "platform", *_OPTION_KEYS}
    if unknown:
        first = sorted(unknown)[0]
        raise bad(first, _unknown_key(first, ("flyte-defaults", "platform", *_OPTION_KEYS)))
    extra = _options(data, bad, path)
    defaults = data.get("flyte-defaults", False)
    if not isinstance(defaults, bool):
        raise bad("flyte-defaults", "must be true or false")
    plat = data.get("platform", {})
    if not isinstance(plat, dict):
        raise bad("platform", "must be a table")
    platform_keys = ("limits", "max-workflow-nodes", "domains", "task-type-allowlist")
    unknown = set(plat) - set(platform_keys)
    if unknown:
        first = sorted(unknown)[0]
        raise bad(f"platform.{first}", _unknown_key(first, platform_keys))
    if not defaults and not plat:
        return Config(path, None, **extra)
    base = flyte_defaults() if defaults else Platform()
    limits = dict(base.limits)
    given = plat.get("limits", {})
    if not isinstance(given, dict):
        raise bad("platform.limits", "must be a table")
    for name, value in given.items():
        key = _RESOURCES.get(name.lower())
        if key is None:
            raise bad(f"platform.limits.{name}", f"is not one of {', '.join(_RESOURCES)}")
        if not isinstance(value, str) or quantity.parse(value) is None:
            raise bad(f"platform.limits.{name}", "must be a quantity string such as \"4\" or "
                                                 "\"16Gi\"")
        limits[key] = value
    max_nodes = plat.get("max-workflow-nodes", base.max_workflow_nodes)
    if max_nodes is not None and (not isinstance(max_nodes, int) or isinstance(max_nodes, bool)
                                  or max_nodes < 0):
        raise bad("platform.max-workflow-nodes", "must be a whole number (0 turns it off)")
    domains = plat.get("domains", base.domains)
    if domains is not None and (not isinstance(domains, list | tuple) or
                                not all(isinstance(d, str) for d in domains)):
        raise bad("platform.domains", "must be a list of strings")
    allow = None
    if "task-type-allowlist" in plat:
        allow = {}
        allowlist = plat["task-type-allowlist"]
        if not isinstance(allowlist, dict):
            raise bad("platform.task-type-allowlist", "must be a table")
        for ttype, scopes in allowlist.items():
            if not isinstance(scopes, list) or not all(isinstance(s, str) for s in scopes):
                raise bad(f"platform.task-type-allowlist.{ttype}",
                          "must be a list of \"project\" or \"project/domain\" strings")
            allow[ttype] = [tuple(([*s.split("/", 1), ""])[:2]) for s in scopes]
    return Config(path, Platform(limits=limits, max_workflow_nodes=max_nodes or None,
                                 domains=tuple(domains) if domains else None,
                                 task_type_allowlist=allow), **extra)


def _unknown_key(key: str, known: tuple[str, ...]) -> str:
    """Why ``key`` is refused, with the known key it is closest to (a misspelling: 'selct',
    'extend_select')."""
    import difflib

    close = difflib.get_close_matches(key.replace("_", "-"), known, n=1, cutoff=0.6)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    return f"is not a configuration key specc knows{hint}"


_OPTION_KEYS = ("select", "extend-select", "ignore", "severity", "per-path", "lint", "limits",
                "include", "catalog")
_LIMITS = ("max-file-bytes", "max-depth", "max-values", "max-bundle-members", "max-bundle-bytes",
           "max-member-bytes")


def _options(data: dict[str, Any], bad: Callable[[str, str], ConfigError],
             path: Path) -> dict[str, Any]:
    """The policy, [lint], [limits] and include keys, checked; keyword arguments of Config."""

    def codes(key: str, value: object) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise bad(key, "must be a list of codes, code prefixes (\"SPC4\") or code names")
        out = []
        for v in value:
            p = selector(v)
            if p is None:
                raise bad(key, f"names '{v}', which is not a code specc knows (see 'specc "
                               f"explain --list')")
            out.append(p)
        return tuple(out)

    def levels(key: str, value: object) -> tuple[tuple[str, str], ...]:
        if not isinstance(value, dict):
            raise bad(key, "must be a table of code = \"error\" | \"warning\" | \"note\" | "
                           "\"off\"")
        out = []
        for code, lvl in value.items():
            p = selector(code)
            if p is None:
                raise bad(f"{key}.{code}", "is not a code specc knows (see 'specc explain "
                                           "--list')")
            if lvl not in LEVELS:
                raise bad(f"{key}.{code}", f"must be one of {', '.join(LEVELS)}")
            out.append((p, lvl))
        return tuple(out)

    def globs(key: str, value: object) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip()
                                                  for v in value):
            raise bad(key, "must be a list of glob patterns (relative to the configuration's "
                           "folder)")
        return tuple(value)

    select = codes("select", data["select"]) if "select" in data else None
    extend_select = codes("extend-select", data.get("extend-select", []))
    ignore = codes("ignore", data.get("ignore", []))
    severity = levels("severity", data.get("severity", {}))
    rules = []
    per_path = data.get("per-path", [])
    if not isinstance(per_path, list) or not all(isinstance(t, dict) for t in per_path):
        raise bad("per-path", "must be a list of tables ([[per-path]] with paths = [...] and "
                              "ignore or severity)")
    for i, table in enumerate(per_path):
        key = f"per-path[{i}]"
        unknown = set(table) - {"paths", "ignore", "severity"}
        if unknown:
            first = sorted(unknown)[0]
            raise bad(f"{key}.{first}", _unknown_key(first, ("paths", "ignore", "severity")))
        if "paths" not in table:
            raise bad(f"{key}.paths", "is missing: list the globs the table applies to")
        rules.append(PathRule(globs(f"{key}.paths", table["paths"]),
                              codes(f"{key}.ignore", table.get("ignore", [])),
                              levels(f"{key}.severity", table.get("severity", {}))))
    lint = data.get("lint", {})
    if not isinstance(lint, dict) or not all(isinstance(v, dict) for v in lint.values()):
        raise bad("lint", "must be a table of tables, one per rule ([lint.<rule>])")
    limits = data.get("limits", {})
    if not isinstance(limits, dict):
        raise bad("limits", "must be a table")
    lim = {}
    for name, value in limits.items():
        if name not in _LIMITS:
            raise bad(f"limits.{name}", f"is not one of {', '.join(_LIMITS)}")
        if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
            raise bad(f"limits.{name}", "must be a positive whole number")
        lim[name.replace("-", "_")] = value
    include = globs("include", data["include"]) if "include" in data else None
    catalog = data.get("catalog", [])
    if not isinstance(catalog, list) or not all(isinstance(v, str) and v.strip()
                                                for v in catalog):
        raise bad("catalog", "must be a list of paths (files or folders of registered tasks, "
                             "workflows and launch plans, relative to the configuration's "
                             "folder)")
    policy = Policy(root=path.parent.resolve(), select=select, ignore=ignore, severity=severity,
                    per_path=tuple(rules), extend_select=extend_select)
    return {"policy": None if policy.is_default else policy, "lint_options": lint,
            "limits": lim, "include": include,
            "catalog": tuple(path.parent.resolve() / c for c in catalog)}
