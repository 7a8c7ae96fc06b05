"""specc: an offline compiler and linter for Flyte workflow specifications."""

__version__ = "0.1.0"
