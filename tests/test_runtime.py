"""check-runtime: every run-time failure kind fires on its fixture and not on the value that works.

Each row takes a fixture of ``fixtures/err/check-runtime/`` (which triggers its code, see
tests/test_fixtures.py), applies the edit that makes the spec work (the fix its explanation
gives), and asserts that no SPC7xx code is left and nothing else became an error.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from specc import cron, driver
from tests.conftest import REPO

FIXTURES = REPO / "fixtures" / "err" / "check-runtime"

# fixture -> the edits (old, new) that give the value that works
WORKS: dict[str, list[tuple[str, str]]] = {
    "SPC701-map-indexed-by-number.yaml": [("{intValue: 0}", "{stringValue: north}")],
    "SPC702-negative-list-index.yaml": [("{intValue: -1}", "{intValue: 2}")],
    "SPC703-list-indexed-by-key.yaml": [("{stringValue: first}", "{intValue: 0}")],
    "SPC704-field-of-an-integer.yaml": [(", attrPath: [{stringValue: value}]", "")],
    "SPC705-key-not-in-fixed-value.yaml": [("east:", "north:")],
    "SPC706-map-over-no-list.yaml": [("boundInputs: [items, stores]", "boundInputs: [stores]")],
    "SPC707-lists-of-different-lengths.yaml": [
        ("                - {scalar: {primitive: {stringValue: east}}}\n", "")],
    "SPC708-success-ratio-above-one.yaml": [("minSuccessRatio: 1.5", "minSuccessRatio: 0.9")],
    "SPC709-success-ratio-negative.yaml": [("minSuccessRatio: -0.5", "minSuccessRatio: 0.5")],
    "SPC710-primary-container-not-in-pod.yaml": [("primary_container_name: main",
                                                  "primary_container_name: worker")],
    "SPC711-default-not-in-enum.yaml": [("stringValue: purple", "stringValue: red")],
    "SPC712-cpu-request-above-limit.yaml": [("value: 600m", "value: 500m")],
    "SPC713-negative-memory.yaml": [('"-1Gi"', '"1Gi"')],
    "SPC714-override-in-gigabytes.yaml": [('"4 GB"', '"4Gi"')],
    "SPC715-fixed-rate-with-kickoff-input.yaml": [("{rate: {value: 1, unit: DAY}",
                                                   "{cronSchedule: {schedule: \"0 0 * * *\"}")],
    "SPC716-fixed-rate-kickoff-gets-the-default.yaml": [
        ("{rate: {value: 1, unit: DAY}", "{cronSchedule: {schedule: \"0 0 * * *\"}")],
    "SPC717-cron-offset-ignored.yaml": [('"0 6 * * *", offset: PT1H', '"0 7 * * *"')],
    "SPC718-thirtieth-of-february.yaml": [('"0 6 30 2 *"', '"0 6 28 2 *"')],
    "SPC719-two-cases-one-id.yaml": [("          elseNode:\n            id: refill",
                                      "          elseNode:\n            id: refill_small")],
    "SPC720-timeout-of-a-thousand-years.yaml": [("timeout: 10000000000s", "timeout: 86400s")],
    "SPC721-approve-without-signal-id.yaml": [("{approve: {}}",
                                               "{approve: {signalId: approve-restock}}")],
    "SPC722-greater-than-false.yaml": [("operator: GT", "operator: EQ")],
    "SPC723-compare-an-optional.yaml": [
        ("{unionType: {variants: [{simple: INTEGER, structure: {tag: int}}, "
         "{simple: NONE, structure: {tag: none}}]}}", "{simple: INTEGER}")],
    "SPC724-command-names-unknown-input.yaml": [("{{.inputs.store_id}}", "{{.inputs.store}}")],
}


def _compile(path: Path) -> driver.Result:
    return driver.compile_paths(driver.Options(paths=[path], use_config=False))


def test_every_fixture_has_a_working_value():
    names = sorted(p.name for p in FIXTURES.iterdir())
    assert sorted(WORKS) == names


@pytest.mark.parametrize("name", sorted(WORKS))
def test_the_value_that_works(tmp_path: Path, name: str):
    code = name[:6]
    text = (FIXTURES / name).read_text(encoding="utf-8")
    broken = _compile(FIXTURES / name)
    assert code in {d.code for d in broken.diagnostics}
    for old, new in WORKS[name]:
        assert old in text, (name, old)
        text = text.replace(old, new)
    fixed = tmp_path / name
    fixed.write_text(text, encoding="utf-8")
    result = _compile(fixed)
    runtime = [(d.code, d.message) for d in result.diagnostics if d.code.startswith("SPC7")]
    assert runtime == []
    before = {d.code for d in broken.diagnostics if d.severity == "error"} - {code}
    after = {d.code for d in result.diagnostics if d.severity == "error"}
    assert after <= before, after


# ---- smaller tables ----------------------------------------------------------------------------

@pytest.mark.parametrize("expr,never", [
    ("0 0 30 2 *", True), ("0 0 31 4,6,9,11 *", True), ("0 0 31 * *", False),
    ("0 0 29 2 *", False),  # leap years
    ("0 0 30 2 1", False),  # a day of week given: either may match
    ("0 0 30 2 */2", False), ("@daily", False), ("TZ=UTC 0 0 30 2 *", True),
    ("0 0 31 1-4 *", False),
])
def test_cron_never_fires(expr: str, never: bool):
    assert (cron.never_fires(expr) is not None) is never


@pytest.mark.parametrize("expr,seconds", [
    ("@every 0s", 0), ("@every 0", 0), ("@every 500ms", 0.5), ("@every 1h30m", 5400),
    ("0 0 * * *", None),
])
def test_every_seconds(expr: str, seconds):
    got = cron.every_seconds(expr)
    assert (float(got) if got is not None else None) == seconds
    assert cron.check(expr) is None  # FlyteAdmin accepts them all (Every rounds up)
