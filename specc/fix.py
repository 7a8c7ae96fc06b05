"""``specc compile --fix`` and ``--diff``: apply the safe fixes of the diagnostics shown.

A fix (``diagnostics.Fix``) is text edits at exact spans, so everything a fix does not touch --
comments, formatting, key order, line breaks, a byte-order mark -- stays byte-identical. The loop
runs in memory (the driver reads the fixed texts as ``Options.overrides``): check, take the first
safe fix of every diagnostic shown (after the policy), apply those whose edits overlap no other's,
check again; a fix that overlaps waits for the next round, and the rounds are bounded
(``MAX_ROUNDS``). Only YAML and JSON files on disk are fixed (never ``.pb`` files or bundles).
Nothing is written until the loop is done: then ``write`` replaces each changed file atomically.
"""
from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from specc import driver
from specc.diagnostics import Diagnostic, Edit, Fix
from specc.source import SourceFile

MAX_ROUNDS = 10
_BOM = "\ufeff".encode()


@dataclass
class Outcome:
    """What the fixes change: per file, its bytes before and after (files that change only),
    and how many fixes were applied."""

    before: dict[Path, bytes] = field(default_factory=dict)
    after: dict[Path, bytes] = field(default_factory=dict)
    applied: int = 0
    rounds: int = 0

    @property
    def changed(self) -> list[Path]:
        return sorted(p for p in self.after if self.after[p] != self.before[p])


def fixable(source: SourceFile | None) -> bool:
    """Whether ``--fix`` may edit ``source``: a YAML or JSON file (not a bundle member, not a
    protobuf file) whose text specc read."""
    return (source is not None and source.form in ("yaml", "json") and source.archive is None
            and source.path is not None and source.text is not None)


def chosen(diagnostics: Iterable[Diagnostic]) -> list[Fix]:
    """The fixes one round applies: the first safe fix of each diagnostic whose edits are all in
    fixable files, without the fixes whose edits overlap an earlier one's (those wait for the
    next round) or repeat one exactly (two diagnostics of one mistake)."""
    taken: dict[str, list[tuple[int, int, str]]] = {}
    out: list[Fix] = []
    for d in diagnostics:
        fix = next((f for f in d.fixes if f.safe), None)
        if fix is None or not fix.edits or not all(fixable(e.source) for e in fix.edits):
            continue
        ranges = [_range(e) for e in fix.edits]
        if any(r is None for r in ranges):
            continue
        placed = [(e.source.display, r) for e, r in zip(fix.edits, ranges, strict=True)
                  if r is not None]
        if all((a, b, e.new_text) in taken.get(f, [])
               for (f, (a, b)), e in zip(placed, fix.edits, strict=True)):
            continue  # the same edits again
        if any(_overlaps((a, b), taken.get(f, [])) for f, (a, b) in placed):
            continue
        for (f, (a, b)), e in zip(placed, fix.edits, strict=True):
            taken.setdefault(f, []).append((a, b, e.new_text))
        out.append(fix)
    return out


def _range(e: Edit) -> tuple[int, int] | None:
    a = e.source.offset(e.span.line, e.span.column)
    b = e.source.offset(e.span.end_line, e.span.end_column)
    return (a, b) if a is not None and b is not None and a <= b else None


def _overlaps(r: tuple[int, int], taken: list[tuple[int, int, str]]) -> bool:
    a, b = r
    # two insertions at one place overlap too: their order would be a guess
    return any((a < y and x < b) or (a == b == x == y) or (a == x and b == y)
               for x, y, _ in taken)


def apply(text: str, edits: Iterable[Edit]) -> str:
    """``text`` with ``edits`` (of one file, not overlapping) applied."""
    ranges = []
    for e in edits:
        r = _range(e)
        if r is None:
            raise ValueError(f"an edit outside the text: {e.span}")
        ranges.append((r[0], r[1], e.new_text))
    for a, b, new in sorted(ranges, reverse=True):
        text = text[:a] + new + text[b:]
    return text


def fix(opts: driver.Options) -> tuple[Outcome, driver.Result]:
    """Apply the safe fixes to the files ``opts`` checks, in memory, until none is left (or
    ``MAX_ROUNDS``): the outcome, and the check of the fixed texts. Artifacts are never written
    here (no ``out``, no ``bundle``). Raises ``driver.UsageError`` as ``compile_paths`` does."""
    outcome = Outcome()
    overrides = dict(opts.overrides or {})
    check = replace(opts, out=None, bundle=None, progress=None, overrides=overrides)
    result = driver.compile_paths(check)
    while outcome.rounds < MAX_ROUNDS:
        fixes = chosen(result.diagnostics)
        if not fixes:
            break
        by_file: dict[Path, tuple[SourceFile, list[Edit]]] = {}
        for f in fixes:
            for e in f.edits:
                assert e.source.path is not None
                by_file.setdefault(e.source.path, (e.source, []))[1].append(e)
        changed = False
        for path, (source, edits) in by_file.items():
            data = overrides.get(path)
            if data is None:
                data = path.read_bytes()
            bom = data.startswith(_BOM)
            body = data[len(_BOM):] if bom else data
            if body.decode("utf-8", "replace") != source.text:
                continue  # not the text the diagnostics were found in: leave it alone
            outcome.before.setdefault(path, data)
            new = (_BOM if bom else b"") + apply(source.text or "", edits).encode("utf-8")
            if new != data:
                overrides[path] = outcome.after[path] = new
                changed = True
        if not changed:
            break
        outcome.applied += len(fixes)
        outcome.rounds += 1
        result = driver.compile_paths(check)
    return outcome, result


def unified_diff(outcome: Outcome, names: dict[Path, str] | None = None) -> str:
    """The changes as a unified diff, ``a/``/``b/`` paths as the reports name the files."""
    out: list[str] = []
    for path in outcome.changed:
        name = (names or {}).get(path) or str(path)
        old = outcome.before[path].decode("utf-8", "replace").splitlines(keepends=True)
        new = outcome.after[path].decode("utf-8", "replace").splitlines(keepends=True)
        for line in difflib.unified_diff(old, new, f"a/{name}", f"b/{name}"):
            out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)


def write(outcome: Outcome) -> list[Path]:
    """Write every changed file: each to a new file beside it (beside the file a symbolic link
    points to, so the link stays), with the old file's permissions, renamed over it. The files
    written. Raises ``OSError``."""
    written = []
    for path in outcome.changed:
        _replace_file(path, outcome.after[path])
        written.append(path)
    return written


def _replace_file(path: Path, data: bytes) -> None:
    """Rewrite the file ``path`` names (through a symbolic link: the link stays), keeping its
    permissions."""
    import stat

    from specc.emit import atomic_write

    target = path.resolve()
    atomic_write(target, data, stat.S_IMODE(target.stat().st_mode))
