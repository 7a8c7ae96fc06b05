"""Lint rules: warnings beyond Flyte's verdict, run by the ``lint`` pass.

One module per rule (as actionlint does), listed in ``RULES`` in the order they run. A rule
module has:

- ``CODE``: its catalogue code (``specc.codes``, the 6xx block), whose ``name`` is the rule's name
  and whose ``summary`` is the one-line rationale ``specc explain`` shows;
- a docstring: the longer rationale (``specc/data/explain/<CODE>.md`` says the same for users);
- ``OPTIONS`` (optional): ``{option name: Option}``, set in the configuration as
  ``[lint.<rule name>]``, e.g. ``[lint.timeout-above-maximum] max-timeout = "12h"``;
- ``check(ctx, program, options)``: reports with ``ctx.report(CODE, loc, ...)``; ``options`` is
  the rule's options, parsed, with defaults filled in.

A rule reads the IR (and, where the IR has no field for what it checks, the canonical ``raw``
dicts and documents). It runs after check-registration, also on specs with errors, so it must not
assume that what earlier passes reported is well formed.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Callable

from specc import codes

RULES: tuple[str, ...] = (
    "cache_without_version",
    "cache_serialize_without_cache",
    "mutable_image_tag",
    "requests_without_limits",
    "interruptible_without_retries",
    "timeout_above_maximum",
    "secret_without_group",
    "secret_in_env",
    "unused_workflow_input",
    "unused_node_output",
    "dead_branch_case",
    "no_launch_plan_with_inputs",
    "deprecated_field",
)


class OptionError(ValueError):
    """A rule option's value is not valid; the message says what is expected."""


@dataclass(frozen=True)
class Option:
    parse: Callable[[Any], Any]  # raises OptionError
    default: Any = None
    help: str = ""


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    summary: str
    rationale: str
    check: Callable
    options: dict[str, Option] = field(default_factory=dict)

    def parse_options(self, raw: dict | None) -> dict[str, Any]:
        """The rule's options with defaults filled in; OptionError names the bad key."""
        raw = raw or {}
        out = {k: o.default for k, o in self.options.items()}
        for key, value in raw.items():
            opt = self.options.get(key)
            if opt is None:
                known = ", ".join(sorted(self.options)) or "none"
                raise OptionError(f"'{key}' is not an option of rule '{self.name}' (its options: "
                                  f"{known})", key)
            try:
                out[key] = opt.parse(value)
            except OptionError as e:
                raise OptionError(str(e), key) from None
        return out


@lru_cache(maxsize=1)
def rules() -> tuple[Rule, ...]:
    out = []
    for name in RULES:
        mod = importlib.import_module(f"specc.lint.{name}")
        entry = codes.CODES[mod.CODE]
        out.append(Rule(entry.code, entry.name, entry.summary, (mod.__doc__ or "").strip(),
                        mod.check, dict(getattr(mod, "OPTIONS", {}))))
    return tuple(out)


def by_name() -> dict[str, Rule]:
    return {r.name: r for r in rules()}


def option_problems(lint: dict | None) -> list[tuple[str, str]]:
    """What is wrong with a ``[lint]`` table: (dotted key under 'lint', why) pairs."""
    out: list[tuple[str, str]] = []
    table = by_name()
    for name, raw in (lint or {}).items():
        rule = table.get(name)
        if rule is None:
            out.append((name, "is not a lint rule specc has (see 'specc explain --list', codes "
                              "SPC6xx)"))
            continue
        if not isinstance(raw, dict):
            out.append((name, "must be a table of the rule's options"))
            continue
        try:
            rule.parse_options(raw)
        except OptionError as e:
            key = e.args[1] if len(e.args) > 1 else ""
            out.append((f"{name}.{key}" if key else name, e.args[0]))
    return out
