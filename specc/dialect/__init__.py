"""The specc authoring dialect: concise YAML documents (``apiVersion: specc/v1``, ``kind: Task |
Workflow | LaunchPlan``) that lower to exactly the flyteidl form, and back.

- ``grammars``: the expression languages of ``grammar/*.lark`` (types, references, conditions),
  parsed with lark (LALR, built once, on first use) into canonical flyteidl pieces.
- ``lower``: a dialect document to the flyteidl form (TaskSpec, WorkflowSpec, LaunchPlan) with a
  map from every produced pointer back to the dialect pointer it came from.
- ``emit``: canonical flyteidl documents to dialect YAML text (``specc convert --to specc``),
  written by ``specc.yamlwrite``.

``lower`` and ``emit`` are packages of one module per part of a document, with one function per
construct found through tables (their docstrings list them).

``docs/dialect.md`` describes the language. Nothing here is imported unless a dialect document is
present (or a conversion to the dialect is asked for).
"""
API_VERSION = "specc/v1"
KINDS = ("Task", "Workflow", "LaunchPlan")
