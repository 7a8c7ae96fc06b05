"""Every input in ``fuzz/regressions/<target>/`` replays through its fuzz target cleanly.

A crash the fuzzer finds (``fuzz/crashes/``) is fixed, then its input is kept here, named after
what it broke; so are the inputs that broke specc before issue 12's fixes, each of which the
harness (``fuzz.harness``) reports as a violation on the code before them.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from fuzz import harness
from tests.conftest import REPO

CASES = sorted(p for p in (REPO / "fuzz" / "regressions").glob("*/*") if p.is_file())


def test_there_are_regressions() -> None:
    assert CASES
    assert {p.parent.name for p in CASES} <= set(harness.TARGETS)


@pytest.mark.parametrize("case", CASES, ids=[f"{p.parent.name}/{p.name}" for p in CASES])
def test_regression_replays_cleanly(case: Path) -> None:
    harness.replay(case.parent.name, case.read_bytes())
