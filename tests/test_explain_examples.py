"""The dialect examples of the explain pages (specc/data/explain/<CODE>.md) are right.

Every page shows its Example and its Fix in Flyte's form and in the dialect (specc/explain.py).
Here every dialect block is valid YAML, and every one that is a complete dialect document (it has
``apiVersion: specc/...``) is compiled: the Example's must report the page's code and nothing
else (``ALSO`` lists the few exceptions, with the reason), the Fix's nothing at all.
Several ```yaml blocks in one form are several files, compiled together; a ```toml block on the
page is the configuration (``specc.toml``) both are compiled with. A dialect block that is not a
complete document (a snippet) is allowed only on the pages of ``SNIPPETS``, with the reason.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from specc import driver, explain
from specc.codes import CODES

PAGES = sorted(c for c in CODES if (explain.DIR / f"{c}.md").exists())
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.M | re.S)
API = re.compile(r"^(?:- )?apiVersion: *specc/\S+ *$", re.M)  # a document (or a list of them)

# Pages whose dialect blocks are snippets rather than complete documents, and why.
SNIPPETS: dict[str, str] = {}

# Codes a complete example reports besides the page's own (a consequence of the same mistake),
# and why; exactly these, so that the list stays true.
# (The opt-in lint rules, SPC604, SPC610 and SPC612, are off unless a page's configuration
# selects them.)
ALSO: dict[str, dict[str, str]] = {
    "SPC416": {"SPC609": "the workflow input the condition means is then bound nowhere"},
    "SPC535": {"SPC534": "the datetime input the scheduler should fill is left without a value"},
}


def page(code: str) -> explain.Explanation:
    e = explain.load(code)
    assert e is not None
    return e


def blocks(md: str, lang: str = "yaml") -> list[str]:
    return [body for kind, body in FENCE.findall(md) if kind == lang]


def dialect_blocks(e: explain.Explanation) -> dict[str, list[str]]:
    return {"example": blocks(e.example_dialect), "fix": blocks(e.fix_dialect)}


def configuration(code: str) -> str | None:
    found = blocks((explain.DIR / f"{code}.md").read_text(encoding="utf-8"), "toml")
    return found[0] if found else None


def compile_blocks(tmp_path: Path, texts: list[str], toml: str | None) -> list[str]:
    tmp_path.mkdir()
    paths = []
    for i, text in enumerate(texts):
        p = tmp_path / f"spec{i}.yaml"
        p.write_text(text, encoding="utf-8")
        paths.append(p)
    if toml is None:
        opts = driver.Options(paths=paths, use_config=False)
    else:
        cfg = tmp_path / "specc.toml"
        cfg.write_text(toml, encoding="utf-8")
        opts = driver.Options(paths=paths, use_config=True, config_path=cfg)
    return [d.code for d in driver.compile_paths(opts).diagnostics]


@pytest.mark.parametrize("code", PAGES)
def test_dialect_blocks_are_yaml(code):
    for section, found in dialect_blocks(page(code)).items():
        for text in found:
            try:
                list(yaml.safe_load_all(text))
            except yaml.YAMLError as exc:  # pragma: no cover - the assertion's message
                pytest.fail(f"{code}: a dialect block of '## {section.title()}' is not YAML: "
                            f"{exc}")


@pytest.mark.parametrize("code", PAGES)
def test_dialect_examples_compile(code, tmp_path):
    e = page(code)
    found = dialect_blocks(e)
    complete = {s: [t for t in ts if API.search(t)] for s, ts in found.items()}
    snippets = [s for s, ts in found.items() for t in ts if not API.search(t)]
    if snippets:
        assert code in SNIPPETS, (f"{code}: the dialect blocks of {snippets} are not complete "
                                  f"documents (apiVersion: specc/v1); make them complete, or "
                                  f"say why not in SNIPPETS")
    toml = configuration(code)
    also = set(ALSO.get(code, {}))
    if complete["example"]:
        got = compile_blocks(tmp_path / "example", complete["example"], toml)
        assert code in got, f"{code}: the dialect example does not report it: {got}"
        assert set(got) - {code} == also, f"{code}: the dialect example also reports {got}"
    if complete["fix"]:
        got = compile_blocks(tmp_path / "fix", complete["fix"], toml)
        assert code not in got, f"{code}: the dialect fix still reports it: {got}"
        assert got == [], f"{code}: the dialect fix reports {got}"


def test_snippets_and_exceptions_are_current():
    """SNIPPETS and ALSO name pages that need them."""
    stale = []
    for code in SNIPPETS:
        if code not in CODES or all(API.search(t) for ts in dialect_blocks(page(code)).values()
                                    for t in ts):
            stale.append(f"SNIPPETS[{code}]")
    stale += [f"ALSO[{c}]" for c in ALSO if c not in CODES]
    assert stale == []


def test_most_pages_compile_their_dialect_examples():
    """The large majority of the pages with dialect examples have complete ones."""
    with_dialect = [c for c in PAGES if any(dialect_blocks(page(c)).values())]
    complete = [c for c in with_dialect
                if all(API.search(t) for ts in dialect_blocks(page(c)).values() for t in ts)]
    assert len(complete) >= 0.8 * len(with_dialect), (len(complete), len(with_dialect))
