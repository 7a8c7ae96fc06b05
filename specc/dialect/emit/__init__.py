"""Canonical flyteidl documents to dialect YAML text (``specc convert --to specc``).

For each document: build the dialect form (once plainly, once with ``style: pyflyte``), lower it
again with ``specc.dialect.lower`` and check-schema's walk, and compare with the original
canonical form. Whatever the dialect did not reproduce is written as ``flyte:`` overrides (JSON
pointer -> flyteidl value, null removes) on the node it belongs to, or on the document; so
converting back gives protobuf-equal messages by construction, and ``to_dialect`` verifies it.
The shorter of the two forms is kept.

``to_dialect(documents)`` takes documents after check-schema (their ``canonical`` and ``kind``)
and returns ``[(file name, YAML text)]``, one file per input file (or bundle member).

One module per part, one function per construct, found through tables keyed by the flyteidl
field (or the dialect key) it handles:

- ``files``: files and documents (``plan``, ``to_dialect``, ``document_text``, ``split``);
  ``build``: the document kinds (``KINDS``) and the dialect's YAML layout (``render``);
- ``task``: ``TASK``, ``TASK_METADATA``, ``CONTAINER``; ``workflow``: ``WORKFLOW_BODY``;
  ``nodes``: ``TARGETS``, ``NODE_KINDS``, ``GATES``; ``conditions``: ``CONDITIONS``,
  ``OPERANDS``, ``PRIMITIVE_OPERANDS``; ``launch_plan``: ``LAUNCH_PLAN``;
- ``types``: types and variables; ``values``: ``DATA``, ``SCALARS``, ``PRIMITIVES``;
  ``names``: references;
- ``patch``: the diff to ``flyte:`` overrides; ``canonical``: the canonical form of lowered
  data (check-schema's walk); ``comments``: comments carried over; ``base``: shared state.

The YAML text itself is written by ``specc.yamlwrite``.
"""
from specc.dialect.emit.base import EmitError, duration_text
from specc.dialect.emit.build import build, render
from specc.dialect.emit.canonical import Check
from specc.dialect.emit.comments import (
           attach_comments,
           leading_comment,
           source_comments,
)
from specc.dialect.emit.files import document_text, pieces, plan, split, to_dialect
from specc.dialect.emit.patch import patch
from specc.yamlwrite import scalar_text

__all__ = ["Check", "EmitError", "attach_comments", "build",
           "document_text", "duration_text", "leading_comment", "patch", "pieces", "plan",
           "render", "scalar_text", "source_comments", "split", "to_dialect"]
