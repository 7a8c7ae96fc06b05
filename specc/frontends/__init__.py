"""Front-ends: turn files into documents (plain data plus a span index), one module per form.

The table ``LOADERS`` maps a file suffix to the loader of that form. A loader gets the file's
bytes and returns documents and diagnostics; it checks nothing beyond what it needs to read the
file. Heavy imports (ruamel.yaml, protobuf) happen inside the loaders that need them.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path

from specc import diagnostics as dg
from specc.frontends.common import decode_utf8, file_loc
from specc.source import DictSpans, Document, FixedSpan, Limits, SourceFile, Span, SpanIndex

Loader = Callable[[bytes, SourceFile, Limits], tuple[list[Document], list[dg.Diagnostic]]]
__all__ = [
    "LOADERS",
    "DictSpans",
    "Document",
    "FixedSpan",
    "Limits",
    "SourceFile",
    "Span",
    "SpanIndex",
    "decode_utf8",
    "display_path",
    "expand",
    "file_loc",
    "form_of",
    "load_file",
    "pointer_at",
    "span_entries",
    "suffix_of",
]


def _load_yaml(data: bytes, src: SourceFile, limits: Limits
               ) -> tuple[list[Document], list[dg.Diagnostic]]:
    from specc.frontends import yaml as m

    return m.load(data, src, limits)


def _load_json(data: bytes, src: SourceFile, limits: Limits
               ) -> tuple[list[Document], list[dg.Diagnostic]]:
    from specc.frontends import json as m

    return m.load(data, src, limits)


def _load_pb(data: bytes, src: SourceFile, limits: Limits
             ) -> tuple[list[Document], list[dg.Diagnostic]]:
    from specc.frontends import proto as m

    return m.load(data, src, limits)


def _load_bundle(data: bytes, src: SourceFile, limits: Limits
                 ) -> tuple[list[Document], list[dg.Diagnostic]]:
    from specc.frontends import bundle as m

    return m.load(data, src, limits)


LOADERS: dict[str, tuple[str, Loader]] = {
    ".yaml": ("yaml", _load_yaml),
    ".yml": ("yaml", _load_yaml),
    ".json": ("json", _load_json),
    ".pb": ("pb", _load_pb),
    ".tgz": ("bundle", _load_bundle),
    ".tar.gz": ("bundle", _load_bundle),
}


_BY_FORM: dict[str, Loader] = dict(LOADERS.values())


def suffix_of(path: Path) -> str:
    """The suffix ``LOADERS`` is keyed on: ``Path.suffix``, except ``.tar.gz`` as one."""
    name = path.name.lower()
    return ".tar.gz" if name.endswith(".tar.gz") else path.suffix.lower()


def form_of(path: Path) -> str | None:
    entry = LOADERS.get(suffix_of(path))
    return entry[0] if entry else None


def spec_name(name: str) -> bool:
    """Whether a file name has a suffix specc reads (``form_of`` without a Path)."""
    lower = name.lower()
    return any(lower.endswith(s) and len(lower) > len(s) for s in LOADERS)


def expand(paths: Iterable[Path]) -> tuple[list[Path], list[Path]]:
    """Files given and spec files below given directories, sorted; second list: missing paths."""
    out: list[Path] = []
    missing: list[Path] = []
    for p in paths:
        if p.is_dir():
            found = []
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for f in files:
                    # pyflyte's fast-register code archive (fast<digest>.tar.gz) holds no specs
                    if f.startswith("fast") and f.endswith(".tar.gz"):
                        continue
                    if spec_name(f):
                        found.append(os.path.join(root, f))
            found.sort(key=lambda f: f.split(os.sep))  # as Paths sort: part by part
            out.extend(map(Path, found))
        elif p.exists():
            out.append(p)
        else:
            missing.append(p)
    return out, missing


def display_path(p: Path) -> str:
    try:
        rel = os.path.relpath(p)
    except ValueError:
        return str(p)
    return str(p) if rel.startswith("..") and p.is_absolute() else rel


def load_file(path: Path, limits: Limits, data: bytes | None = None
              ) -> tuple[list[Document], list[dg.Diagnostic]]:
    """Documents of a file; ``data``, when given, is read instead of the file on disk (an
    editor's unsaved buffer, see ``driver.Options.overrides``)."""
    src, data, diags = read_file(path, limits, data)
    if data is None:
        return [], diags
    return parse(src, data, limits)


def read_file(path: Path, limits: Limits, data: bytes | None = None
              ) -> tuple[SourceFile, bytes | None, list[dg.Diagnostic]]:
    """The source of a file and its bytes (``data`` when given), or None and why not (an unknown
    suffix, too large, unreadable)."""
    display = display_path(path)
    entry = LOADERS.get(suffix_of(path))
    src = SourceFile(path, display, entry[0] if entry else "unknown")
    loc = file_loc(src)
    if entry is None:
        return src, None, [dg.make(
            "SPC006", loc, "load", reason=f"unknown suffix '{path.suffix or '(none)'}'; use "
                                          ".yaml, .yml, .json, .pb or .tgz")]
    try:
        size = path.stat().st_size if data is None else len(data)
        if size > limits.max_file_bytes:
            return src, None, [dg.make("SPC007", loc, "load",
                                       what=f"the file size ({size} bytes)",
                                       limit=f"{limits.max_file_bytes} bytes",
                                       hint="split the file or raise the limit")]
        if data is None:
            data = path.read_bytes()
    except OSError as e:
        return src, None, [dg.make("SPC001", loc, "load", reason=e.strerror or str(e))]
    return src, data, []


def parse(src: SourceFile, data: bytes, limits: Limits
          ) -> tuple[list[Document], list[dg.Diagnostic]]:
    """The documents of a file's bytes, by its form."""
    return _BY_FORM[src.form](data, src, limits)


def span_entries(doc: Document) -> list[tuple[tuple[int, int], tuple[int, int], str]]:
    """Every (start, end, pointer) of a document's span index, keys' spans included (a key's
    pointer is its value's); empty for a document without positions (protobuf)."""
    spans = doc.spans
    table = getattr(spans, "table", None)
    if callable(table):  # JSON and YAML: positions are computed on first use
        spans = table()
    if not isinstance(spans, DictSpans):
        return []
    out = []
    for at_key, mapping in ((False, spans.values), (True, spans.keys)):
        for pointer, s in mapping.items():
            if "\0" in pointer:  # a duplicate key's value, not in the data
                continue
            if not isinstance(s, Span):  # an index that stores raw marks converts on lookup
                s = spans.lookup(pointer, at_key)
                if s is None:
                    continue
            out.append(((s.line, s.column), (s.end_line, s.end_column), pointer))
    return out


def pointer_at(doc: Document, line: int, column: int,
               entries: list[tuple[tuple[int, int], tuple[int, int], str]] | None = None
               ) -> str | None:
    """The reverse of the span index: the innermost JSON pointer (source spelling) whose key or
    value span holds the 1-based ``line`` and code-point ``column``; None outside the document.

    A position just after a span's last character still counts (a cursor at the end of a word),
    but one inside a span wins over it. ``entries`` (``span_entries(doc)``) saves recomputing
    them when asking often.
    """
    pos = (line, column)
    best: tuple | None = None
    best_pointer: str | None = None
    for start, end, pointer in (span_entries(doc) if entries is None else entries):
        if start <= pos <= end:
            # inside before at the end; then the latest start; then the earliest end
            rank = (pos < end, start, (-end[0], -end[1]))
            if best is None or rank > best:
                best, best_pointer = rank, pointer
    return best_pointer
