"""Lint rules: warnings beyond Flyte's verdict, run by the ``lint`` pass on one walk.

One module per rule (as actionlint does), each a ``specc.lint.rule.Rule`` subclass; ``RULES`` is
their order. ``rules()`` describes them (code, name, summary, rationale, options) for the lint
pass, ``specc explain`` and the configuration's ``[lint.<rule>]`` tables.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any

from specc import codes
from specc.lint.cache_serialize_without_cache import CacheSerializeWithoutCache
from specc.lint.cache_without_version import CacheWithoutVersion
from specc.lint.dead_branch_case import DeadBranchCase
from specc.lint.deprecated_field import DeprecatedField
from specc.lint.interruptible_without_retries import InterruptibleWithoutRetries
from specc.lint.mutable_image_tag import MutableImageTag
from specc.lint.no_launch_plan_with_inputs import NoLaunchPlanWithInputs
from specc.lint.requests_without_limits import RequestsWithoutLimits
from specc.lint.rule import Option, OptionError, Rule
from specc.lint.secret_in_env import SecretInEnv
from specc.lint.secret_without_group import SecretWithoutGroup
from specc.lint.timeout_above_maximum import TimeoutAboveMaximum
from specc.lint.unused_node_output import UnusedNodeOutput
from specc.lint.unused_workflow_input import UnusedWorkflowInput
from specc.record import Record

__all__ = [
    "RULES",
    "Option",
    "OptionError",
    "Rule",
    "RuleInfo",
    "by_name",
    "option_problems",
    "rules",
]

RULES: tuple[type[Rule], ...] = (
    CacheWithoutVersion,
    CacheSerializeWithoutCache,
    MutableImageTag,
    RequestsWithoutLimits,
    InterruptibleWithoutRetries,
    TimeoutAboveMaximum,
    SecretWithoutGroup,
    SecretInEnv,
    UnusedWorkflowInput,
    UnusedNodeOutput,
    DeadBranchCase,
    NoLaunchPlanWithInputs,
    DeprecatedField,
)


class RuleInfo(Record):
    __slots__ = ("cls", "code", "name", "options", "summary")
    code: str
    name: str
    summary: str
    cls: type[Rule]
    options: dict[str, Option]

    def __init__(self, code: str, name: str, summary: str, cls: type[Rule],
                 options: dict[str, Option] | None = None) -> None:
        self.code = code
        self.name = name
        self.summary = summary
        self.cls = cls
        self.options = options if options is not None else {}

    @property
    def rationale(self) -> str:
        """The rule's rationale: the 'Why' of its explain page, where it is written once."""
        from specc import explain

        page = explain.load(self.code)
        return page.why if page is not None else ""

    def parse_options(self, raw: dict[str, Any] | None) -> dict[str, Any]:
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
def rules() -> tuple[RuleInfo, ...]:
    out = []
    for cls in RULES:
        entry = codes.CODES[cls.CODE]
        out.append(RuleInfo(entry.code, entry.name, entry.summary, cls, dict(cls.OPTIONS)))
    return tuple(out)


def by_name() -> dict[str, RuleInfo]:
    return {r.name: r for r in rules()}


def option_problems(lint: dict[str, Any] | None) -> list[tuple[str, str]]:
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
