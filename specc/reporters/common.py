"""Helpers shared by the reporters: repository-relative paths, statistics, colour choice."""
from __future__ import annotations

import os
import re
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, Protocol

from specc.source import SourceFile

if TYPE_CHECKING:
    from specc.diagnostics import Diagnostic


def file_and_member(source: SourceFile) -> tuple[str, str | None]:
    """The file on disk as reports name it, and the bundle member (None for a plain file)."""
    return source.disk_display, source.member


_SURROGATE = re.compile("[\ud800-\udfff]")


def escape_surrogates(text: str, in_json: bool = False) -> str:
    """``text`` without lone surrogates, so that it encodes as UTF-8: a byte of a file name that
    is not UTF-8 (which Python decodes to U+DC80-U+DCFF) becomes ``\\xNN``, any other lone
    surrogate ``\\uDNNN``. ``in_json``: ``text`` is JSON, where the surrogates can only be
    inside strings; there the backslash is doubled, so that the string holds the same
    ``\\xNN`` the other formats show."""
    if not _SURROGATE.search(text):
        return text
    slash = "\\\\" if in_json else "\\"

    def one(m: re.Match[str]) -> str:
        c = ord(m.group())
        return f"{slash}x{c - 0xDC00:02x}" if 0xDC80 <= c <= 0xDCFF else f"{slash}u{c:04x}"

    return _SURROGATE.sub(one, text)


def repo_path(file: str) -> str | None:
    """``file`` relative to the current directory with forward slashes, or None when it lies
    outside it (then callers use an absolute ``file://`` URI)."""
    p = Path(file)
    try:
        rel = os.path.relpath(p)
    except ValueError:  # another drive (Windows)
        return None
    posix = PurePosixPath(*Path(rel).parts).as_posix()
    if posix == ".." or posix.startswith("../"):
        return None
    return posix


class Outcome(Protocol):
    """What the reporters read of a run (``specc.driver.Result``, ``specc.diff.DiffResult``)."""

    @property
    def diagnostics(self) -> list[Diagnostic]: ...
    @property
    def files(self) -> int: ...
    @property
    def errors(self) -> int: ...
    @property
    def warnings(self) -> int: ...
    @property
    def internal_error(self) -> bool: ...


def files_with_problems(result: Outcome) -> int:
    """How many files (a bundle counts as one) have at least one error or warning."""
    return len({d.source.disk_display for d in result.diagnostics
                if d.source is not None and d.severity in ("error", "warning")})


def statistics(result: Outcome) -> list[dict[str, Any]]:
    """Count per code, most frequent first: [{code, name, severity, count}]."""
    counts: dict[str, dict[str, Any]] = {}
    for d in result.diagnostics:
        row = counts.setdefault(d.code, {"code": d.code, "name": d.name,
                                         "severity": d.severity, "count": 0})
        row["count"] += 1
    return sorted(counts.values(), key=lambda r: (-r["count"], r["code"]))


def statistics_table(result: Outcome) -> str:
    """A small table of ``statistics``, for stderr."""
    rows = statistics(result)
    if not rows:
        return "no diagnostics\n"
    width = max(5, len(str(max(r["count"] for r in rows))))
    name_w = max(len(r["name"]) for r in rows)
    lines = [f"{'count':>{width}}  code    {'name':<{name_w}}  severity"]
    for r in rows:
        lines.append(f"{r['count']:>{width}}  {r['code']}  {r['name']:<{name_w}}  {r['severity']}")
    lines.append(f"{sum(r['count'] for r in rows):>{width}}  total")
    return "\n".join(lines) + "\n"


def want_color(choice: str, stream: object) -> bool:
    """--color always|never|auto; auto: a terminal, and NO_COLOR unset or empty (no-color.org);
    FORCE_COLOR non-empty turns colour on when NO_COLOR does not say otherwise."""
    if choice == "always":
        return True
    if choice == "never":
        return False
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except (ValueError, OSError):  # a closed stream
        return False


def external_line(result: Any) -> str | None:
    """One line saying how many references to entities registered elsewhere were not checked,
    and how to check them, or None."""
    items = getattr(result, "external", None) or []
    refs = sorted({(u.what, u.ref) for u in items})
    if not refs:
        return None
    n = len(refs)
    shown = ", ".join(f"{what} '{ref}'" for what, ref in refs[:3]) + (", ..." if n > 3 else "")
    return (f"specc: {n} reference{'s' if n != 1 else ''} to entities registered elsewhere "
            f"{'were' if n != 1 else 'was'} not checked ({shown}); give their registered "
            f"definitions with --catalog to check {'them' if n != 1 else 'it'}")


def external_count(result: Any) -> int:
    """How many distinct references to entities registered elsewhere were not checked."""
    return len({(u.what, u.ref) for u in getattr(result, "external", None) or []})


def not_checked_line(result: Any) -> str | None:
    """One line saying which entities could not be checked fully and why, or None."""
    items = getattr(result, "not_checked", None) or []
    if not items:
        return None
    if len(items) == 1 and len(items[0].reasons) == 1:
        e, u = items[0].entity, items[0].reasons[0]
        return (f"specc: {e.WHAT} '{e.name}' not checked fully: it uses {u.what} '{u.ref}', "
                f"which {u.why}")
    counts: dict[str, int] = {}
    for item in items:
        counts[item.entity.WHAT] = counts.get(item.entity.WHAT, 0) + 1
    who = " and ".join(f"{n} {what}{'s' if n != 1 else ''}" for what, n in counts.items())
    reasons: dict[tuple[str, str], None] = {}
    for item in items:
        for u in item.reasons:
            reasons[(u.what, u.why)] = None
    why = "; ".join(f"{w}s that {y.replace('has ', 'have ', 1)}" if y.startswith("has ")
                    else f"{w}s that {y.replace('may be', 'may be', 1)}"
                    for w, y in reasons)
    pronoun = "it uses" if len(items) == 1 else "they use"
    return f"specc: {who} not checked fully: {pronoun} {why}"
