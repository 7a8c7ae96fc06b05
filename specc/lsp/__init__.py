"""specc's language server (``specc lsp``): diagnostics, hover and go-to-definition for Flyte
specs in an editor, over LSP on stdio. ``server`` is the pygls glue; ``analysis`` and
``positions`` know nothing of pygls."""
