"""Shared test helpers: where the conformance corpus is, and how to compile in-process."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("SPECC_SHARED", REPO.parent / "shared"))
CONFORMANCE = SHARED / "conformance"
REFERENCE = SHARED / "reference"
# the console script of the environment running the tests (not whichever 'specc' is on PATH)
SPECC = Path(sys.executable).parent / "specc"


def need(path: Path) -> Path:
    """Skip (with the reason) when a part of the shared corpus is not beside the checkout."""
    if not path.exists():
        pytest.skip(f"{path} is absent: the conformance corpus lives in ../shared beside the "
                    "checkout (or set SPECC_SHARED)")
    return path


def compile_paths(*paths: Path, closures: bool = False):
    from specc import driver

    return driver.compile_paths(driver.Options(paths=list(paths), closures=closures))
