"""Messages for the usual slips (the fixtures show each one; these pin what they cannot): every
diagnostic located and reported once, a schedule's rate of several units, YAML indentation
slips in specc's words, and the hints of Flyte's form."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from specc import driver
from specc.frontends import yaml as yaml_frontend
from tests.conftest import REPO

TRAINING = REPO / "examples" / "dialect" / "training.yaml"
BRANCHES = REPO / "fixtures" / "ok" / "branch_snake_case.yaml"


def _compile(path: Path) -> driver.Result:
    return driver.compile_paths(driver.Options(paths=[path], use_config=False, cache=False))


def _typos(text: str, pattern: str) -> list[tuple[str, str]]:
    """(what, mutated text) for a one-letter typo in each name the pattern's group matches."""
    out = []
    for m in re.finditer(pattern, text):
        for part in re.finditer(r"[A-Za-z_]{3,}", m.group(1)):
            at = m.start(1) + part.start() + 1
            out.append((f"{m.group(1)}@{part.start()}", text[:at] + "q" + text[at + 1:]))
    return out


CONDITIONS = _typos(TRAINING.read_text(), r"when: (.*)")
OPERANDS = _typos(BRANCHES.read_text(), r"(?:left_value|right_value): \{var: (\w+)\}")


@pytest.mark.parametrize("what,text", CONDITIONS + OPERANDS,
                         ids=[w for w, _ in CONDITIONS + OPERANDS])
def test_a_typo_in_a_condition_is_reported_once_and_located(what: str, text: str,
                                                            tmp_path: Path):
    """A misspelt reference in a branch condition: one error, at its file, line and column (no
    second diagnostic without a place)."""
    f = tmp_path / "spec.yaml"
    f.write_text(text, encoding="utf-8")
    errors = [d for d in _compile(f).diagnostics if d.severity == "error"]
    assert len(errors) == 1, [(d.code, d.file, d.message) for d in errors]
    (d,) = errors
    assert d.file == str(f) or d.file.endswith("spec.yaml")
    assert d.span is not None and all(r.file and r.span for r in d.related)


@pytest.mark.parametrize("every,rate", [
    ("10m", {"value": 10, "unit": "MINUTE"}), ("2h", {"value": 2, "unit": "HOUR"}),
    ("1d", {"value": 1, "unit": "DAY"}), ("1h30m", {"value": 90, "unit": "MINUTE"}),
    ("1d12h", {"value": 36, "unit": "HOUR"}), ("90s", None), ("1h30", None), ("h", None),
])
def test_schedule_rate(every: str, rate: dict | None):
    from specc.dialect.lower import rate_of

    assert rate_of(every) == rate


def test_every_1h30m_compiles(tmp_path: Path):
    text = TRAINING.read_text().replace("  cron: 0 2 * * *\n  kickoffInput: as_of\n",
                                        "  every: 1h30m\n")
    (tmp_path / "t.yaml").write_text(text)
    r = driver.compile_paths(driver.Options(paths=[tmp_path / "t.yaml"], use_config=False,
                                            cache=False))
    assert [d for d in r.diagnostics if d.severity == "error"] == []
    (lp,) = [c for c in r.canonical if c.kind == "LaunchPlan"]
    assert lp.data["spec"]["entityMetadata"]["schedule"]["rate"] == {"value": 90}  # MINUTE: 0


class _Mark:
    def __init__(self, line: int, column: int) -> None:
        self.line, self.column = line, column


@pytest.mark.parametrize("text,problem,pmark,cmark,want", [
    # a key between two levels: named with the keys it disagrees with, at its own line
    ("a:\n  b:\n    c: 1\n   d: 2\n", "did not find expected key", (3, 3), (1, 2),
     (4, "'d' is indented 3 spaces, which lines up with no block above it: 'b' (line 2) is at 2 "
         "and 'c' (line 3) at 4")),
    # a key under a key that has its value on its line
    ("a:\n  b: 1\n    c: 2\n", "mapping values are not allowed in this context", (2, 5), None,
     (3, "'c' is indented more than 'b' on line 2, which has a value on its line already")),
    # a list item's key
    ("x:\n  - when: 1\n      then: 2\n", "mapping values are not allowed in this context",
     (2, 10), None, (3, "'then' is indented more than 'when' on line 2")),
    # a key without its colon
    ("a:\n  b\n  c: 1\n", "could not find expected ':'", (2, 3), (1, 2),
     (2, "'b' is not followed by ':'")),
    # anything else keeps libyaml's words
    ("a: [1\n", "did not find expected ',' or ']'", (1, 0), (0, 3), None),
])
def test_yaml_slips_in_words(text, problem, pmark, cmark, want):
    got = yaml_frontend._in_words(text, problem, _Mark(*pmark),
                                  _Mark(*cmark) if cmark else None)
    if want is None:
        assert got is None
    else:
        assert got is not None and got[1] == want[0] and got[0].startswith(want[1]), got


def test_nodeid_inputs_in_flyte_form(tmp_path: Path):
    """In Flyte's form a workflow input is a promise without a node id: 'nodeId: inputs' says
    so (no fix: the dialect's spelling would be wrong there)."""
    text = (REPO / "examples" / "flyteidl" / "pipeline.yaml").read_text().replace(
        "binding: {promise: {var: rows}}", "binding: {promise: {nodeId: inputs, var: rows}}")
    (tmp_path / "wf.yaml").write_text(text)
    (tmp_path / "tasks.yaml").write_text((REPO / "examples" / "flyteidl" / "tasks.yaml")
                                         .read_text())
    (d,) = [d for d in _compile(tmp_path).diagnostics if d.code == "SPC204"]
    assert d.message.endswith("a workflow input is a promise without 'nodeId' (or with "
                              "'nodeId: start-node')") and d.fixes == ()
