"""Policy: which diagnostics a user sees, and at which severity.

Applied once, by the driver, after the passes (passes never know about it): the configuration's
``select`` / ``ignore`` code lists, ``severity`` overrides and ``per-path`` overrides, then inline
suppressions in YAML comments::

    retries: 3  # specc: ignore[SPC101]
    # specc: ignore[SPC4, SPC530]      (covers its own line and the next one)
    # specc: ignore                    (every code)

A suppression covers diagnostics that start on its line or the line after it. One that covers
nothing is reported as ``SPC050`` (a warning, itself subject to the policy), as is a ``specc:``
comment specc does not understand or a code it does not know; when an error stopped the pass
chain early, only suppressions of codes whose checks ran are judged. Suppressing an error does
not make later passes run: passes see diagnostics as reported.

Codes are given as a code (``SPC401``), a prefix of codes (``SPC4``, ``SPC``: all) or a code's
name (``mismatching-types``). Where several entries match, the longest prefix wins; ``ignore``
wins a tie with ``select``; per-path entries win over the top-level ones. Internal errors
(``SPC9xx``) cannot be hidden. Without ``select`` the default set is shown: every code but the
opt-in lint rules (``Code.opt_in``: rules that also fire on correct, idiomatic specs), which a
``select`` or ``extend-select`` entry turns on (as ruff's ``extend-select`` does).
"""
from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from specc import codes
from specc import diagnostics as dg
from specc.source import SourceFile, Span

LEVELS = ("error", "warning", "note", "off")
UNUSED = "SPC050"
PASS_NAME = "policy"  # the pass_name of SPC050 (fixtures/err/policy/)
_CODE_PREFIX = re.compile(r"SPC\d{0,3}")


def selector(text: str) -> str | None:
    """The code prefix an entry of ``select``/``ignore``/``severity`` or a suppression means:
    a code, a prefix of at least one code, or a code's name; None when it names no code."""
    if not isinstance(text, str):
        return None
    entry = codes.BY_NAME.get(text.strip())
    if entry is not None:
        return entry.code
    u = text.strip().upper()
    if _CODE_PREFIX.fullmatch(u) and any(c.startswith(u) for c in codes.CODES):
        return u
    return None


def _best(code: str, prefixes: Iterable[str]) -> int:
    """Length of the longest prefix of ``code`` among ``prefixes``; -1 when none matches."""
    best = -1
    for p in prefixes:
        if len(p) > best and code.startswith(p):
            best = len(p)
    return best


@dataclass(frozen=True)
class PathRule:
    """A ``per-path`` table: globs relative to the configuration's folder."""

    patterns: tuple[str, ...]
    ignore: tuple[str, ...] = ()
    severity: tuple[tuple[str, str], ...] = ()  # (prefix, level), in the file's order
    _regexes: tuple[re.Pattern, ...] = field(default=(), compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_regexes", tuple(glob_regex(p) for p in self.patterns))

    def matches(self, rel: str) -> bool:
        return any(r.match(rel) for r in self._regexes)


def opt_in(code: str) -> bool:
    """Whether ``code`` is an opt-in lint rule: shown only when ``select`` or ``extend-select``
    names it (its code, its name, or a prefix such as ``SPC6``)."""
    entry = codes.CODES.get(code)
    return entry is not None and entry.opt_in


@dataclass(frozen=True)
class Policy:
    root: Path | None = None  # the folder per-path globs are relative to (the config's)
    select: tuple[str, ...] | None = None  # None: the default set (every code but opt-in ones)
    ignore: tuple[str, ...] = ()
    severity: tuple[tuple[str, str], ...] = ()
    per_path: tuple[PathRule, ...] = ()
    extend_select: tuple[str, ...] = ()  # added to ``select`` (or to the default set)

    @property
    def is_default(self) -> bool:
        return self.select is None and not (self.ignore or self.severity or self.per_path
                                             or self.extend_select)

    def selected(self, code: str) -> int:
        """Length of the longest ``select``/``extend-select`` entry matching ``code``: 0 for a
        code of the default set when ``select`` is not given, -1 when it is not selected."""
        if self.select is not None:
            return max(_best(code, self.select), _best(code, self.extend_select))
        return max(-1 if opt_in(code) else 0, _best(code, self.extend_select))

    def level(self, code: str, rel: str | None) -> str | None:
        """The severity a diagnostic is shown with: its own when None is returned; 'off' when
        it is not shown at all."""
        if code.startswith("SPC9"):
            return None
        rules = [r for r in self.per_path if rel is not None and r.matches(rel)]
        if any(_best(code, r.ignore) >= 0 for r in rules):
            return "off"
        sel = self.selected(code)
        if sel < 0 or _best(code, self.ignore) >= sel:
            return "off"
        for table in [*(r.severity for r in reversed(rules)), self.severity]:
            chosen, length = None, -1
            for prefix, lvl in table:
                if code.startswith(prefix) and len(prefix) >= length:
                    chosen, length = lvl, len(prefix)
            if chosen is not None:
                return chosen
        return None


def shown(policy: Policy | None) -> Callable[[str], bool]:
    """Whether the policy may show a code in some file: false for a code it turns off at the
    top level (per-path tables only turn off more), whose checks need not run."""
    p = policy or Policy()
    return lambda code: p.level(code, None) != "off"


def glob_regex(pattern: str) -> re.Pattern:
    """A glob as a regular expression over '/'-separated relative paths: ``*`` and ``?`` stay in
    one folder, ``**`` spans folders. A pattern without '/' matches a file name at any depth; a
    pattern that names a folder matches everything below it."""
    pat = pattern.replace("\\", "/").strip()
    if pat.startswith("./"):
        pat = pat[2:]
    anchored = "/" in pat.rstrip("/")
    pat = pat.strip("/")
    out = []
    i = 0
    while i < len(pat):
        c = pat[i]
        if pat.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if pat.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if c == "*":
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[":
            j = pat.find("]", i + 1)
            if j == -1:
                out.append(re.escape(c))
            else:
                body = pat[i + 1:j]
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append(f"[{body}]")
                i = j + 1
                continue
        else:
            out.append(re.escape(c))
        i += 1
    body = "".join(out)
    return re.compile(("" if anchored else "(?:.*/)?") + body + "(?:/.*)?$")


def relative(source: SourceFile | None, root: Path | None) -> str | None:
    """A diagnostic's file (a bundle member counts as its archive) relative to ``root``,
    '/'-separated; None when it is outside."""
    if source is None or root is None:
        return None
    path = source.disk_path or Path(source.disk_display)
    try:
        rel = os.path.relpath(os.path.abspath(path), root)
    except ValueError:
        return None
    if rel == ".." or rel.startswith(".." + os.sep):
        return None
    return rel.replace(os.sep, "/")


# ---- inline suppressions -----------------------------------------------------------------------
_DIRECTIVE = re.compile(r"#\s*specc:\s*(?P<body>.*?)\s*$")
_IGNORE = re.compile(r"ignore(?:\s*\[(?P<codes>[^\]]*)\])?(?:\s.*)?$")


@dataclass
class Suppression:
    line: int
    span: Span
    text: str  # the directive as written, from '#'
    codes: tuple[str, ...] | None  # prefixes; None: every code
    raw: tuple[str, ...] = ()  # the codes as written, same order as ``codes``
    unknown: tuple[str, ...] = ()
    problem: str | None = None  # a directive specc does not understand
    used: set = field(default_factory=set)  # indices into codes (or -1 for a bare ignore)

    def covers(self, code: str) -> int | None:
        if self.problem is not None:
            return None
        if self.codes is None:
            return -1
        best, at = -1, None
        for i, p in enumerate(self.codes):
            if code.startswith(p) and len(p) > best:
                best, at = len(p), i
        return at


def scan(text: str) -> list[Suppression]:
    """The ``# specc:`` comments of a YAML text. Only lines holding 'specc:' are looked at."""
    out: list[Suppression] = []
    start = text.find("specc:")
    lineno, pos = 1, 0
    while start != -1:
        ls = text.rfind("\n", 0, start) + 1
        le = text.find("\n", start)
        if le == -1:
            le = len(text)
        lineno += text.count("\n", pos, ls)
        pos = ls
        line = text[ls:le].rstrip("\r")
        s = _parse_line(line, lineno)
        if s is not None:
            out.append(s)
        start = text.find("specc:", le)
    return out


def _comment_start(line: str) -> int:
    """Index of the '#' that starts a YAML comment holding 'specc:', or -1."""
    quote = None
    i = 0
    while i < len(line):
        c = line[i]
        if quote:
            if c == "\\" and quote == '"':
                i += 1  # an escaped character
            elif c == quote:
                quote = None
        elif c in "\"'" and (i == 0 or line[i - 1] in " \t[{,:-?"):
            quote = c
        elif c == "#" and (i == 0 or line[i - 1] in " \t"):
            return i if "specc:" in line[i:] else -1
        i += 1
    return -1


def _parse_line(line: str, lineno: int) -> Suppression | None:
    at = _comment_start(line)
    if at < 0:
        return None
    m = _DIRECTIVE.match(line, at)
    if m is None or not m.group(0).lstrip("#").strip().startswith("specc:"):
        return None
    text = m.group(0).rstrip()
    span = Span(lineno, at + 1, lineno, at + 1 + len(text))
    body = m.group("body")
    im = _IGNORE.match(body)
    if im is None:
        return Suppression(lineno, span, text, None,
                           problem=f"'{text}' is not a suppression specc understands; write "
                                   f"'# specc: ignore[SPC123]'")
    if im.group("codes") is None:
        return Suppression(lineno, span, text, None)
    raw = tuple(x.strip() for x in im.group("codes").split(",") if x.strip())
    if not raw:
        return Suppression(lineno, span, text, None,
                           problem=f"'{text}' names no code; write '# specc: ignore[SPC123]', "
                                   f"or '# specc: ignore' for every code")
    known, written, unknown = [], [], []
    for r in raw:
        p = selector(r)
        if p is None:
            unknown.append(r)
        else:
            known.append(p)
            written.append(r)
    return Suppression(lineno, span, text, tuple(known), tuple(written), tuple(unknown))


# ---- applying it -------------------------------------------------------------------------------

def apply(diagnostics: list[dg.Diagnostic], policy: Policy | None,
          sources: dict[str, SourceFile] | None = None, checked: dict[str, str] | None = None
          ) -> list[dg.Diagnostic]:
    """The diagnostics the user sees: the policy's levels, then the inline suppressions of the
    YAML files in ``sources`` (display name -> ``SourceFile``), then SPC050 for the suppressions
    that covered nothing. ``checked``: per file, the hundreds digits of the codes whose checks
    ran on all of it (a file not named: all), so that a suppression is not called unused only
    because its check never ran. Sorted as ``Sink.sorted`` sorts."""
    policy = policy or Policy()
    kept = _levels(diagnostics, policy)
    found = _suppressions(sources or {})
    if found:
        kept = _suppress(kept, found)
        kept += _levels(_unused(found, sources or {}, checked or {}), policy)
        kept.sort(key=dg.Diagnostic.sort_key)
    return kept


def _levels(diagnostics: list[dg.Diagnostic], policy: Policy) -> list[dg.Diagnostic]:
    if policy.is_default:  # the default set: every code but the opt-in rules
        return [d for d in diagnostics if not opt_in(d.code)]
    out = []
    for d in diagnostics:
        lvl = policy.level(d.code, relative(d.source, policy.root) if policy.per_path else None)
        if lvl == "off":
            continue
        out.append(d if lvl is None or lvl == d.severity else replace(d, severity=lvl))
    return out


def _suppressions(sources: dict[str, SourceFile]) -> dict[str, list[Suppression]]:
    found: dict[str, list[Suppression]] = {}
    for display, src in sources.items():
        text = src.text
        if src.form != "yaml" or not text or "specc:" not in text:
            continue
        items = scan(text)
        if items:
            found[display] = items
    return found


def _suppress(diagnostics: list[dg.Diagnostic],
              found: dict[str, list[Suppression]]) -> list[dg.Diagnostic]:
    by_line: dict[tuple[str, int], list[Suppression]] = {}
    for file, items in found.items():
        for s in items:
            by_line.setdefault((file, s.line), []).append(s)
            by_line.setdefault((file, s.line + 1), []).append(s)
    out = []
    for d in diagnostics:
        hidden = False
        if d.span is not None and d.file is not None and not d.code.startswith("SPC9"):
            for s in by_line.get((d.file, d.span.line), ()):
                at = s.covers(d.code)
                if at is not None:
                    s.used.add(at)
                    hidden = True
        if not hidden:
            out.append(d)
    return out


def _unused(found: dict[str, list[Suppression]], sources: dict[str, SourceFile],
            checked: dict[str, str]) -> list[dg.Diagnostic]:
    out = []
    for file, items in found.items():
        ran = checked.get(file)

        def decided(prefix: str, ran: str | None = ran) -> bool:
            if ran is None:
                return True
            digit = prefix[3:4]
            return digit != "" and digit in ran

        for s in items:
            problems = []
            if s.problem is not None:
                problems.append(s.problem)
            else:
                problems += [f"'{u}' is not a code specc knows" for u in s.unknown]
                if s.codes is None:
                    if not s.used and ran is None:
                        problems.append(f"'{s.text}' matches no diagnostic on this line or the "
                                        f"next")
                else:
                    idle = [w for i, (w, p) in enumerate(zip(s.raw, s.codes, strict=True))
                            if i not in s.used and decided(p)]
                    if idle:
                        what = ", ".join(f"'{w}'" for w in idle)
                        problems.append(f"{what} matches no diagnostic on this line or the "
                                        f"next")
            fix = _removal(s, sources[file], decided)
            for i, p in enumerate(problems):
                # the fix goes on the last problem: the one saying which codes are idle
                last = i == len(problems) - 1
                out.append(dg.make(UNUSED, dg.Loc.in_file(sources[file], s.span), PASS_NAME,
                                   fixes=[fix] if fix is not None and last else (), problem=p))
    return out


def _removal(s: Suppression, source: SourceFile, decided: Callable[[str], bool]
             ) -> dg.Fix | None:
    """The fix of an unused suppression: the codes that silence nothing taken out of its list,
    or the whole comment (the whole line, when the comment is all of it) when nothing is left.
    None for a directive with a problem or an unknown code (what was meant is for its author
    to say), or when every code is used."""
    if s.problem is not None or s.unknown:
        return None
    if s.codes is None:
        if s.used:
            return None
        keep: list[str] = []
    else:
        keep = [w for i, (w, p) in enumerate(zip(s.raw, s.codes, strict=True))
                if i in s.used or not decided(p)]
        if len(keep) == len(s.raw):
            return None
    line = source.line_text(s.line)
    if line is None:
        return None
    if keep:
        lb, rb = s.text.find("["), s.text.rfind("]")
        if lb < 0 or rb < lb:
            return None
        start = s.span.column + lb + 1
        span = Span(s.line, start, s.line, s.span.column + rb)
        return dg.Fix(f"remove {', '.join(repr(w) for w in s.raw if w not in keep)} from the "
                      f"suppression", (dg.Edit(source, span, ", ".join(keep)),))
    before = line[:s.span.column - 1]
    if before.strip():  # code before the comment: keep it, drop the spaces and the comment
        span = Span(s.line, len(before.rstrip()) + 1, s.line, s.span.end_column)
    elif source.offset(s.line + 1, 1) is not None:
        span = Span(s.line, 1, s.line + 1, 1)  # the whole line, with its line break
    else:
        span = Span(s.line, 1, s.line, len(line) + 1)
    return dg.Fix("remove the unused suppression", (dg.Edit(source, span, ""),))
