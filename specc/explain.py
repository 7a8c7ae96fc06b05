"""Explanations of diagnostic codes, for ``specc explain``, SARIF rule help and docs/codes.md.

Each code has a markdown file ``specc/data/explain/<CODE>.md`` (shipped in the wheel) with three
sections, in this order::

    ## Why
    Why Flyte rejects it (or why specc warns): prose, a paragraph or two.
    ## Example
    A minimal failing spec, as a fenced code block (and optionally a sentence).
    ## Fix
    The same spec, fixed.

One file per code, so that whoever adds a code adds its explanation beside it without touching a
shared file; ``tests/test_reporters.py`` requires one for every code in ``specc.codes.CODES``.
Reading one small file keeps ``specc explain`` fast (no YAML parser is imported).
"""
from __future__ import annotations

import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from specc.codes import Code

DIR = Path(__file__).resolve().parent / "data" / "explain"
DOCS_URL = "https://github.com/specc-dev/specc/blob/main/docs/codes.md"
SECTIONS = ("why", "example", "fix")


@dataclass(frozen=True)
class Explanation:
    code: str
    why: str  # markdown
    example: str  # markdown: a fenced code block, maybe with a sentence
    fix: str  # markdown

    @property
    def markdown(self) -> str:
        return (f"{self.why}\n\n**Example** (fails):\n\n{self.example}\n\n"
                f"**Fix:**\n\n{self.fix}\n")


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
    """Split a file into its '## Why', '## Example' and '## Fix' sections (fences respected)."""
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
    got = {k: "\n".join(v).strip() for k, v in parts.items()}
    return Explanation(code, got.get("why", ""), got.get("example", ""), got.get("fix", ""))


def problems(code: str, text: str) -> list[str]:
    """What is wrong with an explanation file (empty when it is fine)."""
    out = []
    heads = [ln[3:].strip().lower() for ln in _unfenced(text) if ln.startswith("## ")]
    if heads != list(SECTIONS):
        out.append(f"{code}: sections are {heads}, expected {list(SECTIONS)}")
    e = parse(code, text)
    for name in SECTIONS:
        if not getattr(e, name):
            out.append(f"{code}: section '{name}' is empty")
    if text.count("```") % 2:
        out.append(f"{code}: unbalanced code fence")
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
            fenced = not fenced
            continue
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
    """The text ``specc explain CODE`` prints."""
    lines = [f"{entry.code} {entry.name} ({entry.severity})", "", entry.summary]
    if entry.flyte_code:
        lines.append(f"Flyte's compiler reports this as {entry.flyte_code}.")
    if explanation is not None:
        for title, md in (("Why", explanation.why), ("Example (fails)", explanation.example),
                          ("Fix", explanation.fix)):
            lines += ["", f"{title}:", to_text(md)]
    lines += ["", f"More: {help_uri(entry.code)}"]
    return "\n".join(lines) + "\n"
