"""Explanations of diagnostic codes, for ``specc explain``, SARIF rule help and docs/codes.md.

Each code has a markdown file ``specc/data/explain/<CODE>.md`` (shipped in the wheel) with three
sections, in this order::

    ## Why
    Why Flyte rejects it (or why specc warns): prose, a paragraph or two.
    ## Example
    A minimal failing spec in Flyte's form (proto3 JSON written as YAML), as a fenced code
    block, maybe with a sentence; then a line ``In the dialect:`` and the same spec in specc's
    dialect (docs/dialect.md), as a fenced ``yaml`` block.
    ## Fix
    The same spec, fixed: Flyte's form, ``In the dialect:``, the dialect's form.

**Every page shows both forms**, since users write specs in both. ``problems()`` (the page
linter, run by ``tests/test_reporters.py`` on every page) requires the ``In the dialect:`` line
and a fenced yaml block after it in both ``## Example`` and ``## Fix``, unless the ``## Example``
section starts a paragraph with one of these sentences (``MARKERS``):

- "The example is the same in both forms" -- the code is about the input file itself (YAML or
  JSON syntax, encoding, archive members, protobuf files) and the dialect adds nothing; the
  section's blocks hold for both forms.
- "This code exists only in the dialect" -- a dialect-only error (SPC030-SPC041); the blocks are
  in the dialect.
- "This code exists only in Flyte's form" -- the dialect cannot say what triggers it (and the
  sentence says what the dialect reports instead); the blocks are in Flyte's form.

Where the dialect reaches a construct only through its ``flyte:`` overrides (or ``$flyte``
values), the dialect block shows that. A dialect block that is a complete document (with
``apiVersion: specc/v1``) is compiled by ``tests/test_explain_examples.py``: the Example's must
report the page's code and the Fix's must not. A ```toml block is the configuration they are
compiled with, and a ```yaml block starting ``# file: PATH`` a file they need besides the specs
(a catalogue as ``flytectl get`` prints it), the same for both forms (the test's docstring has
the details). A new page without its dialect blocks fails the
linter: write them (see the existing pages), or use one of the sentences above when it is true.

**Pages of ``specc diff`` codes** (SPC8xx, pass ``diff``) are about two versions of the specs,
so their examples are pairs: in the dialect, each ```yaml block starts with a comment line
``# old`` or ``# new`` (more words may follow: ``# new: v2 drops 'limit'``) saying which side it
belongs to. The Example has blocks of both sides; the Fix has at least a ``# new`` block (the
fixed new specs) and, where the old specs differ from the Example's, ``# old`` blocks. The
linter requires the labels; ``tests/test_explain_examples.py`` runs ``specc diff`` on the dialect
pair: the Example's must report the page's code, the Fix's (the Example's old side where it
gives none) no error or warning, and not the page's code if that is an error. Flyte's form shows
the same change, as a pair or with ``# old`` / ``# new`` comments.

One file per code, so that whoever adds a code adds its explanation beside it without touching a
shared file; ``tests/test_reporters.py`` requires one for every code in ``specc.codes.CODES``.
Reading one small file keeps ``specc explain`` fast (no YAML parser is imported).
"""
from __future__ import annotations

import re
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from specc.record import Record

if TYPE_CHECKING:
    from specc.codes import Code

DIR = Path(__file__).resolve().parent / "data" / "explain"
DOCS_URL = "https://github.com/specc-dev/specc/blob/main/docs/codes.md"
SECTIONS = ("why", "example", "fix")
DIALECT_LINE = "In the dialect:"  # a line of its own, between the two forms of a section

# The forms a page shows (Explanation.forms), and the sentence that says so where it is not both.
BOTH = "both"
SAME = "same"  # one example, true of both forms
DIALECT = "dialect"  # a dialect-only code: the examples are in the dialect
FLYTE = "flyte"  # the dialect cannot express it: the examples are in Flyte's form
MARKERS = {
    SAME: "The example is the same in both forms",
    DIALECT: "This code exists only in the dialect",
    FLYTE: "This code exists only in Flyte's form",
}

# The codes of ``specc diff`` (pass 'diff'): the hundreds digit 8 (specc/codes.py). Their examples
# are OLD/NEW pairs, each dialect block labelled by its first line.
DIFF_PREFIX = "SPC8"
OLD, NEW = "old", "new"
_SIDE = re.compile(r"#\s*(old|new)\b")
_YAML_BLOCK = re.compile(r"^```yaml[ \t]*\n(.*?)^```", re.M | re.S)


def is_diff(code: str) -> bool:
    """Whether ``code`` is reported by ``specc diff`` (its page shows OLD/NEW pairs)."""
    return code.upper().startswith(DIFF_PREFIX)


def side(block: str) -> str | None:
    """The side (OLD or NEW) a dialect block of a diff page belongs to: its first line is
    ``# old...`` or ``# new...``; None when it is not labelled."""
    first = block.lstrip("\n").split("\n", 1)[0].strip()
    m = _SIDE.match(first)
    return m.group(1) if m else None


def yaml_blocks(md: str) -> list[str]:
    """The bodies of the ```yaml blocks of ``md``, in order."""
    return _YAML_BLOCK.findall(md)


class Explanation(Record):
    """A parsed page. ``example`` and ``fix`` are Flyte's form (markdown: a fenced block, maybe
    with prose), ``example_dialect`` and ``fix_dialect`` the dialect's. A page whose examples
    hold for both forms (``forms == SAME``) has only the first two, a dialect-only code
    (``forms == DIALECT``) only the last two, a Flyte-only one (``FLYTE``) only the first two."""

    __slots__ = ("code", "example", "example_dialect", "fix", "fix_dialect", "forms", "why")
    code: str
    why: str  # markdown
    example: str  # markdown, Flyte's form (or both forms, for SAME)
    fix: str  # markdown
    example_dialect: str  # markdown, the dialect's form
    fix_dialect: str
    forms: str

    def __init__(self, code: str, why: str, example: str, fix: str, example_dialect: str = "",
                 fix_dialect: str = "", forms: str = "both") -> None:
        self.code = code
        self.why = why
        self.example = example
        self.fix = fix
        self.example_dialect = example_dialect
        self.fix_dialect = fix_dialect
        self.forms = forms

    def shown(self, section: str) -> list[tuple[str, str]]:
        """The forms of ``section`` ('example' or 'fix') as (label, markdown), in page order;
        the label is "" when one block stands for both forms."""
        flyte = getattr(self, section)
        dialect = getattr(self, f"{section}_dialect")
        if self.forms == SAME:
            return [("", flyte)] if flyte else []
        out = []
        if flyte:
            out.append(("Flyte's form", flyte))
        if dialect:
            out.append(("in the dialect", dialect))
        return out

    def section_markdown(self, section: str, title: str) -> str:
        """``section`` ('example' or 'fix') as markdown: each form under ``title`` and its
        label ("**Fix**, in the dialect:")."""
        shown = self.shown(section)
        if not shown:
            return f"{title}:"
        return "\n\n".join(f"{title}, {label}:\n\n{md}" if label else f"{title}:\n\n{md}"
                           for label, md in shown)

    @property
    def markdown(self) -> str:
        return (f"{self.why}\n\n{self.section_markdown('example', '**Example** (fails)')}\n\n"
                f"{self.section_markdown('fix', '**Fix**')}\n")


def help_uri(code: str) -> str:
    """The code's section in docs/codes.md (GitHub's anchor for the heading '## SPC301')."""
    return f"{DOCS_URL}#{code.lower()}"


def load(code: str) -> Explanation | None:
    try:
        text = (DIR / f"{code.upper()}.md").read_text(encoding="utf-8")
    except (FileNotFoundError, NotADirectoryError):
        return None
    return parse(code.upper(), text)


def parse(code: str, text: str) -> Explanation:
    """Split a file into its '## Why', '## Example' and '## Fix' sections (fences respected),
    and each of the last two into Flyte's form and the dialect's at its 'In the dialect:'."""
    got = _sections(text)
    example, fix = got.get("example", ""), got.get("fix", "")
    forms = _forms(example)
    ex, ex_d = _split(example, forms)
    fx, fx_d = _split(fix, forms)
    return Explanation(code, got.get("why", ""), ex, fx, ex_d, fx_d, forms)


def _sections(text: str) -> dict[str, str]:
    parts: dict[str, list[str]] = {}
    current: list[str] | None = None
    fenced = False
    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
        if not fenced and line.startswith("## "):
            current = parts.setdefault(line[3:].strip().lower(), [])
            continue
        if current is not None:
            current.append(line)
    return {k: "\n".join(v).strip() for k, v in parts.items()}


def _forms(example_md: str) -> str:
    """Which forms the page shows: the marker sentence its Example has, else BOTH."""
    for line in _unfenced(example_md):
        for forms, sentence in MARKERS.items():
            if line.startswith(sentence):
                return forms
    return BOTH


def _split(md: str, forms: str) -> tuple[str, str]:
    """(Flyte's form, the dialect's) of a section's markdown."""
    lines = md.splitlines()
    fenced = False
    for i, line in enumerate(lines):
        if line.lstrip().startswith("```"):
            fenced = not fenced
        elif not fenced and line.strip() == DIALECT_LINE:
            return "\n".join(lines[:i]).strip(), "\n".join(lines[i + 1:]).strip()
    return ("", md) if forms == DIALECT else (md, "")


def problems(code: str, text: str) -> list[str]:
    """What is wrong with an explanation file (empty when it is fine). Besides the three
    sections, every page shows both forms: see the module's docstring."""
    out = []
    heads = [ln[3:].strip().lower() for ln in _unfenced(text) if ln.startswith("## ")]
    if heads != list(SECTIONS):
        out.append(f"{code}: sections are {heads}, expected {list(SECTIONS)}")
    e = parse(code, text)
    for name in SECTIONS:
        if not (getattr(e, name) or getattr(e, f"{name}_dialect", "")):
            out.append(f"{code}: section '{name}' is empty")
    if text.count("```") % 2:
        out.append(f"{code}: unbalanced code fence")
        return out
    sections = _sections(text)
    for name in ("example", "fix"):
        md = sections.get(name, "")
        if not md:
            continue
        said = sum(1 for ln in _unfenced(md) if ln.strip() == DIALECT_LINE)
        flyte, dialect = getattr(e, name), getattr(e, f"{name}_dialect")
        if e.forms == BOTH:
            if said != 1:
                out.append(f"{code}: '## {name.title()}' needs one '{DIALECT_LINE}' line "
                           f"between Flyte's form and the dialect's (it has {said}); every "
                           f"page shows both forms, or says why not (specc/explain.py)")
                continue
            if "```" not in flyte:
                out.append(f"{code}: '## {name.title()}' has no code block in Flyte's form "
                           f"before '{DIALECT_LINE}'")
            if "```yaml" not in dialect:
                out.append(f"{code}: '## {name.title()}' has no ```yaml block after "
                           f"'{DIALECT_LINE}'")
        elif e.forms == DIALECT:
            if name == "example" and "```yaml" not in dialect:
                out.append(f"{code}: a dialect-only code's example is a ```yaml block")
            if said and "```" not in flyte:
                out.append(f"{code}: '## {name.title()}' has '{DIALECT_LINE}' but no code "
                           f"block in Flyte's form before it")
        elif said:
            out.append(f"{code}: '## {name.title()}' has '{DIALECT_LINE}', but the page says "
                       f"\"{MARKERS[e.forms]}\"")
    if is_diff(code) and e.forms in (BOTH, DIALECT):
        out += _pair_problems(e)
    return out


def _pair_problems(e: Explanation) -> list[str]:
    """A diff page's dialect blocks are labelled ``# old`` / ``# new``; the Example has both
    sides, the Fix at least the new one."""
    out = []
    for name, need in (("example", (OLD, NEW)), ("fix", (NEW,))):
        found = yaml_blocks(getattr(e, f"{name}_dialect"))
        sides = [side(b) for b in found]
        if None in sides:
            out.append(f"{e.code}: a dialect block of '## {name.title()}' does not start with "
                       f"'# old' or '# new' (a diff page's examples are OLD/NEW pairs)")
        for s in need:
            if s not in sides:
                out.append(f"{e.code}: '## {name.title()}' has no '# {s}' block in the dialect")
    return out


def _unfenced(text: str) -> Iterator[str]:
    fenced = False
    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
            continue
        if not fenced:
            yield line


def to_text(md: str, indent: str = "  ", width: int = 96) -> str:
    """Markdown as terminal text: paragraphs wrapped and indented, code blocks indented more."""
    out: list[str] = []
    para: list[str] = []
    fenced = False
    closed = False  # the last line was a closing fence

    def flush() -> None:
        if para:
            out.extend(textwrap.wrap(" ".join(para), width=width, initial_indent=indent,
                                     subsequent_indent=indent + ("  " if para[0][:2] in
                                                                 ("- ", "* ") else ""),
                                     break_on_hyphens=False, break_long_words=False))
            para.clear()

    for line in md.splitlines():
        if line.lstrip().startswith("```"):
            flush()
            if not fenced and out and out[-1] != "" and closed:
                out.append("")  # two blocks in a row stay apart
            fenced = not fenced
            closed = not fenced
            continue
        closed = False
        if fenced:
            out.append(f"{indent}    {line}".rstrip())
        elif not line.strip():
            flush()
            if out and out[-1] != "":
                out.append("")
        elif line.lstrip()[:2] in ("- ", "* "):
            flush()
            para.append(line.strip())
        else:
            para.append(line.strip())
    flush()
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out)


def render(entry: Code, explanation: Explanation | None) -> str:
    """The text ``specc explain CODE`` prints: Example and Fix each in Flyte's form and in the
    dialect, labelled (once, unlabelled, for a page whose example holds for both forms)."""
    lines = [f"{entry.code} {entry.name} ({entry.severity})", "", entry.summary]
    if entry.rule_set is not None:
        lines.append(f"Lint rule, {entry.rule_set}.")
    if entry.flyte_code:
        lines.append(f"Flyte's compiler reports this as {entry.flyte_code}.")
    if explanation is not None:
        lines += ["", "Why:", to_text(explanation.why)]
        for title, section in (("Example (fails)", "example"), ("Fix", "fix")):
            for label, md in explanation.shown(section):
                lines += ["", f"{title}, {label}:" if label else f"{title}:", to_text(md)]
    lines += ["", f"More: {help_uri(entry.code)}"]
    return "\n".join(lines) + "\n"
