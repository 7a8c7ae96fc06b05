"""Artifacts: compiled closures and registration bundles, with deterministic bytes."""
