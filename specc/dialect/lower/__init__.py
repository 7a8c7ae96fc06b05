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

One module per part of a document, one function per construct, found through tables:

- ``document``: the document kinds (``KINDS``: Task, Workflow, LaunchPlan);
- ``task``: task metadata (``TASK_METADATA``), template fields (``TASK_TEMPLATE``), the
  container (``CONTAINER``), resources, cache, secrets;
- ``workflow``: workflow bodies and sub-workflows; ``nodes``: nodes, their metadata
  (``NODE_METADATA``), what they do (``NODE_KINDS``: task, workflow, launchPlan, branch, map,
  and the gates of ``GATES``); ``branch``: cases (``CASES``) and conditions (``CONDITIONS``,
  ``OPERANDS``);
- ``launch_plan``: schedule and notifications (``ENTITY_METADATA``), parameters, fixed inputs,
  labels and annotations (``SPEC``);
- ``types``: types, variables, interfaces; ``values``: bindings and literals (``BINDINGS``,
  ``LITERALS``, ``SPECIALS``); ``names``: identifiers and references; ``overlay``: ``flyte:``
  overrides and the pointer map's last step; ``base``: the shared state and vocabularies.
"""
from specc.dialect.lower.base import (
                                      MOUNTS,
                                      PHASES,
                                      PYFLYTE_TAGS,
                                      RATE_UNITS,
                                      RESOURCE_NAMES,
                                      Issue,
                                      Lowered,
                                      esc,
                                      parse_duration,
                                      unesc,
)
from specc.dialect.lower.document import lower
from specc.dialect.lower.launch_plan import rate_of
from specc.dialect.lower.task import pyflyte_args
from specc.dialect.lower.values import condition_var

__all__ = ["MOUNTS", "PHASES", "PYFLYTE_TAGS", "RATE_UNITS", "RESOURCE_NAMES", "Issue", "Lowered",
           "condition_var", "esc", "lower", "parse_duration", "pyflyte_args", "rate_of", "unesc"]
