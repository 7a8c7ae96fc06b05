"""The dialect examples of the explain pages (specc/data/explain/<CODE>.md) are right.

Every page shows its Example and its Fix in Flyte's form and in the dialect (specc/explain.py).
Here every dialect block is valid YAML, and every one that is a complete dialect document (it has
``apiVersion: specc/...``) is compiled: the Example's must report the page's code and nothing
else (``ALSO`` lists the few exceptions, with the reason), the Fix's nothing at all.
Several ```yaml blocks in one form are several files, compiled together; a ```toml block on the
page is the configuration (``specc.toml``) both are compiled with (one in the Fix is the Fix's
alone). A ```yaml block whose first line is ``# file: PATH`` is a file the example needs besides
the specs, the same for both forms (such as a catalogue of registered entities as ``flytectl
get`` prints it, which the configuration names): wherever it is in the Example (either form) it
is written to PATH for the Example's compile and the Fix's (a Fix's own file of the same PATH
replaces it), and it need not be a dialect document. Any other dialect block that is not a
complete document (a snippet) is allowed only on the pages of ``SNIPPETS``, with the reason.

The pages of ``specc diff`` codes (SPC8xx, ``explain.is_diff``) show OLD/NEW pairs: each dialect
block starts with ``# old`` or ``# new`` (specc/explain.py). Their pairs are diffed, not
compiled: ``specc diff OLD NEW`` on the Example's must report the page's code and nothing else
(but ``ALSO``); on the Fix's (its ``# new`` blocks against its ``# old`` ones, or the Example's
when it has none) no error and no warning, and not the page's code if that is an error (the
notes it reports are the compatible changes a fix makes; a note's page has nothing to fix, or
hides the note by configuration). Each side must also compile without any diagnostic (but those
``SIDES`` lists, with the reason).
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from specc import diff, driver, explain
from specc.codes import CODES

PAGES = sorted(c for c in CODES if (explain.DIR / f"{c}.md").exists())
COMPILED = [c for c in PAGES if not explain.is_diff(c)]
DIFFED = [c for c in PAGES if explain.is_diff(c)]
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.M | re.S)
API = re.compile(r"^(?:- )?apiVersion: *specc/\S+ *$", re.M)  # a document (or a list of them)
FILE = re.compile(r"\A# file: *(\S+) *\n")  # a block written to this path

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


# Codes compiling a side of a diff page's pairs reports (it must report nothing else), and why.
SIDES: dict[str, dict[str, str]] = {
    "SPC816": {"SPC612": "the old launch plan's required input leaves the workflow to be started "
                         "by hand; the new default is what changes that"},
}


def page(code: str) -> explain.Explanation:
    e = explain.load(code)
    assert e is not None
    return e


def blocks(md: str, lang: str = "yaml") -> list[str]:
    return [body for kind, body in FENCE.findall(md) if kind == lang]


def dialect_blocks(e: explain.Explanation) -> dict[str, list[str]]:
    return {"example": blocks(e.example_dialect), "fix": blocks(e.fix_dialect)}


def configuration(code: str, section: str = "example") -> str | None:
    """The ```toml block ``section`` is checked with: the Fix's own, if it has one, else the
    first one elsewhere on the page."""
    e = page(code)
    if section == "fix":
        found = blocks(e.fix, "toml") + blocks(e.fix_dialect, "toml")
        if found:
            return found[0]
    found = blocks("\n".join((e.why, e.example, e.example_dialect)), "toml")
    return found[0] if found else None


def is_file(text: str) -> bool:
    return FILE.match(text) is not None


def files(e: explain.Explanation, section: str) -> list[str]:
    """The ``# file:`` blocks ``section`` is compiled with: the Example's (either form), for the
    Fix replaced by its own of the same path."""
    parts = [e.example, e.example_dialect]
    if section == "fix":
        parts += [e.fix, e.fix_dialect]
    out = {}
    for text in (t for part in parts for t in blocks(part)):
        m = FILE.match(text)
        if m:
            out[m.group(1)] = text
    return list(out.values())


def write_blocks(folder: Path, texts: list[str], toml: str | None
                 ) -> tuple[list[Path], Path | None]:
    """The blocks as files in ``folder`` (``spec<i>.yaml``, or a ``# file:`` block's path), and
    the configuration file."""
    folder.mkdir(parents=True)
    paths = []
    for i, text in enumerate(texts):
        m = FILE.match(text)
        p = folder / (m.group(1) if m else f"spec{i}.yaml")
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
        paths.append(p)
    cfg = None
    if toml is not None:
        cfg = folder / "specc.toml"
        cfg.write_text(toml, encoding="utf-8")
    return paths, cfg


def compile_blocks(tmp_path: Path, texts: list[str], toml: str | None) -> list[str]:
    paths, cfg = write_blocks(tmp_path, texts, toml)
    opts = driver.Options(paths=paths, use_config=cfg is not None, config_path=cfg)
    return [d.code for d in driver.compile_paths(opts).diagnostics]


def diff_blocks(tmp_path: Path, old: list[str], new: list[str], toml: str | None
                ) -> list[tuple[str, str]]:
    """(code, severity) of what ``specc diff OLD NEW`` reports on the blocks."""
    olds, _ = write_blocks(tmp_path / "old", old, None)
    news, cfg = write_blocks(tmp_path / "new", new, toml)
    result = diff.diff([olds[0].parent], [news[0].parent], config_path=cfg,
                       use_config=cfg is not None)
    return [(d.code, d.severity) for d in result.diagnostics]


def pair(e: explain.Explanation, section: str) -> dict[str, list[str]]:
    """The dialect blocks of a diff page's ``section``, by side (OLD, NEW)."""
    out: dict[str, list[str]] = {explain.OLD: [], explain.NEW: []}
    for text in blocks(getattr(e, f"{section}_dialect")):
        label = explain.side(text)
        assert label is not None, f"{e.code}: a dialect block of {section} is not labelled"
        out[label].append(text)
    return out


@pytest.mark.parametrize("code", PAGES)
def test_dialect_blocks_are_yaml(code):
    for section, found in dialect_blocks(page(code)).items():
        for text in found:
            try:
                list(yaml.safe_load_all(text))
            except yaml.YAMLError as exc:  # pragma: no cover - the assertion's message
                pytest.fail(f"{code}: a dialect block of '## {section.title()}' is not YAML: "
                            f"{exc}")


def check_snippets(code: str, found: dict[str, list[str]]) -> None:
    snippets = [s for s, ts in found.items() for t in ts if not API.search(t) and not is_file(t)]
    if snippets:
        assert code in SNIPPETS, (f"{code}: the dialect blocks of {snippets} are not complete "
                                  f"documents (apiVersion: specc/v1); make them complete, or "
                                  f"say why not in SNIPPETS")


@pytest.mark.parametrize("code", COMPILED)
def test_dialect_examples_compile(code, tmp_path):
    e = page(code)
    found = dialect_blocks(e)
    check_snippets(code, found)
    complete = {s: [t for t in ts if API.search(t)] for s, ts in found.items()}
    also = set(ALSO.get(code, {}))
    if complete["example"]:
        got = compile_blocks(tmp_path / "example", complete["example"] + files(e, "example"),
                             configuration(code))
        assert code in got, f"{code}: the dialect example does not report it: {got}"
        assert set(got) - {code} == also, f"{code}: the dialect example also reports {got}"
    if complete["fix"]:
        got = compile_blocks(tmp_path / "fix", complete["fix"] + files(e, "fix"),
                             configuration(code, "fix"))
        assert code not in got, f"{code}: the dialect fix still reports it: {got}"
        assert got == [], f"{code}: the dialect fix reports {got}"


@pytest.mark.parametrize("code", DIFFED)
def test_dialect_pairs_diff(code, tmp_path):
    e = page(code)
    if e.forms not in (explain.BOTH, explain.DIALECT):
        pytest.skip(f"{code}: the page has no dialect pair ({e.forms})")
    check_snippets(code, dialect_blocks(e))
    example, fix = pair(e, "example"), pair(e, "fix")
    fix = {explain.OLD: fix[explain.OLD] or example[explain.OLD], explain.NEW: fix[explain.NEW]}
    assert example[explain.OLD] and example[explain.NEW] and fix[explain.NEW], \
        f"{code}: the Example needs '# old' and '# new' blocks, the Fix a '# new' one"
    for i, texts in enumerate(sorted({tuple(t) for p in (example, fix) for t in p.values()})):
        got = compile_blocks(tmp_path / f"side{i}", list(texts), None)
        assert set(got) <= set(SIDES.get(code, {})), \
            f"{code}: a side of the pairs does not compile clean: {got}"
    also = set(ALSO.get(code, {}))
    got = diff_blocks(tmp_path / "example", example[explain.OLD], example[explain.NEW],
                      configuration(code))
    codes = [c for c, _ in got]
    assert code in codes, f"{code}: diffing the dialect example does not report it: {got}"
    assert set(codes) - {code} == also, f"{code}: diffing the dialect example also reports {got}"
    got = diff_blocks(tmp_path / "fix", fix[explain.OLD], fix[explain.NEW],
                      configuration(code, "fix"))
    assert all(sev == "note" for _, sev in got), f"{code}: diffing the dialect fix reports {got}"
    if CODES[code].severity != "note":
        assert code not in [c for c, _ in got], f"{code}: the dialect fix still reports it: {got}"


def test_snippets_and_exceptions_are_current():
    """SNIPPETS and ALSO name pages that need them."""
    stale = []
    for code in SNIPPETS:
        if code not in CODES or all(API.search(t) for ts in dialect_blocks(page(code)).values()
                                    for t in ts):
            stale.append(f"SNIPPETS[{code}]")
    stale += [f"ALSO[{c}]" for c in ALSO if c not in CODES]
    stale += [f"SIDES[{c}]" for c in SIDES if c not in DIFFED]
    assert stale == []


def test_most_pages_compile_their_dialect_examples():
    """The large majority of the pages with dialect examples have complete ones."""
    with_dialect = [c for c in PAGES if any(dialect_blocks(page(c)).values())]
    complete = [c for c in with_dialect
                if all(API.search(t) for ts in dialect_blocks(page(c)).values() for t in ts)]
    assert len(complete) >= 0.8 * len(with_dialect), (len(complete), len(with_dialect))
