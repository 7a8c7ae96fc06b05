"""Configuration: ``[tool.specc]`` in ``pyproject.toml``, or ``specc.toml``, found by walking up
from the first checked path (``--config`` names one directly).

Known keys (more come with the linter's options)::

    flyte-defaults = true            # FlyteAdmin's default deployment settings (specc.platform)
    [platform]                       # in pyproject.toml: [tool.specc.platform]
    limits = {cpu = "4", memory = "16Gi", gpu = "2"}
    max-workflow-nodes = 500
    domains = ["development", "production"]
    task-type-allowlist = {spark = ["analytics/production", "analytics"]}

An unknown key, or a value of the wrong type, is a configuration error (exit 2) naming the file and
the key.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from specc import quantity
from specc.platform import Platform, flyte_defaults

_RESOURCES = {"cpu": "CPU", "memory": "MEMORY", "gpu": "GPU",
              "ephemeral-storage": "EPHEMERAL_STORAGE"}


class ConfigError(Exception):
    """A configuration file that cannot be used (exit 2)."""


@dataclass(frozen=True)
class Config:
    path: Path | None
    platform: Platform | None


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
        return "specc" in _read(path).get("tool", {})
    except ConfigError:
        return True  # report the broken file rather than skip it


def _read(path: Path) -> dict:
    import tomllib

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
        data = data.get("tool", {}).get("specc", {})
        prefix = "tool.specc."
    where = f"{path}"

    def bad(key: str, why: str) -> ConfigError:
        return ConfigError(f"{where}: '{prefix}{key}' {why}")

    unknown = set(data) - {"flyte-defaults", "platform"}
    if unknown:
        raise bad(sorted(unknown)[0], "is not a configuration key specc knows")
    defaults = data.get("flyte-defaults", False)
    if not isinstance(defaults, bool):
        raise bad("flyte-defaults", "must be true or false")
    plat = data.get("platform", {})
    if not isinstance(plat, dict):
        raise bad("platform", "must be a table")
    unknown = set(plat) - {"limits", "max-workflow-nodes", "domains", "task-type-allowlist"}
    if unknown:
        raise bad(f"platform.{sorted(unknown)[0]}", "is not a configuration key specc knows")
    if not defaults and not plat:
        return Config(path, None)
    base = flyte_defaults() if defaults else Platform()
    limits = dict(base.limits)
    for name, value in plat.get("limits", {}).items():
        key = _RESOURCES.get(name.lower())
        if key is None:
            raise bad(f"platform.limits.{name}", f"is not one of {', '.join(_RESOURCES)}")
        if not isinstance(value, str) or quantity.parse(value) is None:
            raise bad(f"platform.limits.{name}", "must be a quantity string such as \"4\" or "
                                                 "\"16Gi\"")
        limits[key] = value
    max_nodes = plat.get("max-workflow-nodes", base.max_workflow_nodes)
    if max_nodes is not None and (not isinstance(max_nodes, int) or max_nodes < 0):
        raise bad("platform.max-workflow-nodes", "must be a whole number (0 turns it off)")
    domains = plat.get("domains", base.domains)
    if domains is not None and (not isinstance(domains, list | tuple) or
                                not all(isinstance(d, str) for d in domains)):
        raise bad("platform.domains", "must be a list of strings")
    allow = None
    if "task-type-allowlist" in plat:
        allow = {}
        for ttype, scopes in plat["task-type-allowlist"].items():
            if not isinstance(scopes, list) or not all(isinstance(s, str) for s in scopes):
                raise bad(f"platform.task-type-allowlist.{ttype}",
                          "must be a list of \"project\" or \"project/domain\" strings")
            allow[ttype] = [tuple((s.split("/", 1) + [""])[:2]) for s in scopes]
    return Config(path, Platform(limits=limits, max_workflow_nodes=max_nodes or None,
                                 domains=tuple(domains) if domains else None,
                                 task_type_allowlist=allow))
