"""Front-ends: turn files into documents (plain data plus a span index), one module per form.

The table ``LOADERS`` maps a file suffix to the loader of that form. A loader gets the file's
bytes and returns documents and diagnostics; it checks nothing beyond what it needs to read the
file. Heavy imports (ruamel.yaml, protobuf) happen inside the loaders that need them.
"""
from __future__ import annotations

import os
import re
import stat
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
    """Files given and spec files below given directories; second list: missing paths.

    The files come sorted by absolute path, each once, whatever the order (and the spelling) of
    ``paths``: everything made from them (documents, entities, a bundle's bytes) is then the same
    for every order of the same command-line arguments."""
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
    # by path components (a folder's files stay together, as the walk lists them)
    keyed = {Path(os.path.abspath(f)): f for f in reversed(out)}  # the first spelling wins
    return [keyed[k] for k in sorted(keyed)], missing


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
    suffix, not a regular file, too large, unreadable).

    Only a regular file is read (a link is followed to one), and never more than
    ``limits.max_file_bytes`` + 1 bytes of it: a FIFO, a device, a socket or a directory with a
    spec suffix is refused without blocking (SPC001), and a file that grows past the limit while
    it is read is refused like one that was too large from the start (SPC007)."""
    display = display_path(path)
    entry = LOADERS.get(suffix_of(path))
    src = SourceFile(path, display, entry[0] if entry else "unknown")
    loc = file_loc(src)
    if entry is None:
        return src, None, [dg.make(
            "SPC006", loc, "load", reason=f"unknown suffix '{path.suffix or '(none)'}'; use "
                                          ".yaml, .yml, .json, .pb or .tgz")]
    too_large = None
    try:
        if data is None:
            data, too_large = _read_regular(path, limits.max_file_bytes)
        elif len(data) > limits.max_file_bytes:
            too_large = len(data)
    except _NotRegular as e:
        return src, None, [dg.make("SPC001", loc, "load", reason=str(e))]
    except OSError as e:
        return src, None, [dg.make("SPC001", loc, "load", reason=e.strerror or str(e))]
    if too_large is not None:
        return src, None, [dg.make("SPC007", loc, "load",
                                   what=f"the file size ({too_large} bytes)",  # or more
                                   limit=f"{limits.max_file_bytes} bytes",
                                   hint="split the file or raise the limit")]
    return src, data, []


class _NotRegular(Exception):
    """The path names something other than a regular file; the message says what."""


_KINDS = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISSOCK, "a socket"))
_CHUNK = 1 << 20


def _read_regular(path: Path, limit: int) -> tuple[bytes | None, int | None]:
    """(the bytes, None) of a regular file of at most ``limit`` bytes, or (None, its size) when
    it is larger. Raises ``_NotRegular`` for anything else, ``OSError`` when it cannot be read.

    Opened with O_NONBLOCK so that opening a FIFO does not wait for a writer, and checked with
    ``fstat`` on the open descriptor (not ``stat`` on the name), so that what is read is what was
    checked; at most ``limit`` + 1 bytes are read, whatever the size said."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) \
        | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            what = next((name for test, name in _KINDS if test(st.st_mode)), "not a file")
            raise _NotRegular(f"it is {what}, not a regular file")
        if st.st_size > limit:
            return None, st.st_size
        chunks = []
        n = 0
        while n <= limit:
            chunk = os.read(fd, min(_CHUNK, limit + 1 - n))
            if not chunk:
                break
            chunks.append(chunk)
            n += len(chunk)
        if n > limit:  # it grew while it was read (n: what was read, at least)
            return None, n
        return b"".join(chunks), None
    finally:
        os.close(fd)


def parse(src: SourceFile, data: bytes, limits: Limits
          ) -> tuple[list[Document], list[dg.Diagnostic]]:
    """The documents of a file's bytes, by its form.

    A YAML or JSON file whose text escapes a lone UTF-16 surrogate (``"\\ud800"``) in a string
    gives no documents but an error (SPC025) at each such string: such a string is no Unicode
    text, so protobuf cannot hold it, no file can be named by it and no report can print it."""
    docs, diags = _BY_FORM[src.form](data, src, limits)
    if docs and src.text is not None and _SURROGATE_ESCAPE.search(src.text):
        bad = _surrogates(docs)
        if bad:
            return [], diags + bad
    return docs, diags


# \ud800-\udfff as JSON (\uXXXX) or YAML (\uXXXX, \UXXXXXXXX) write them; a cheap test on the
# text, so that only a file that has one is walked
_SURROGATE_ESCAPE = re.compile(r"\\(?:u|U0000)[dD][89a-fA-F][0-9a-fA-F]{2}")
_SURROGATE = re.compile("[\ud800-\udfff]")
_MAX_SURROGATE_REPORTS = 20


def _surrogates(docs: list[Document]) -> list[dg.Diagnostic]:
    """SPC025 at each key or string value of ``docs`` that holds a lone surrogate (the first
    ``_MAX_SURROGATE_REPORTS`` of them)."""
    out: list[dg.Diagnostic] = []
    for doc in docs:
        stack: list[tuple[object, str]] = [(doc.data, "")]
        while stack and len(out) < _MAX_SURROGATE_REPORTS:
            value, pointer = stack.pop()
            if isinstance(value, str):
                if _SURROGATE.search(value):
                    out.append(_surrogate_at(doc, pointer, False, value))
            elif isinstance(value, dict):
                for k, v in value.items():
                    p = f"{pointer}/{str(k).replace('~', '~0').replace('/', '~1')}"
                    if isinstance(k, str) and _SURROGATE.search(k):
                        out.append(_surrogate_at(doc, p, True, k))
                    stack.append((v, p))
            elif isinstance(value, list):
                stack.extend((v, f"{pointer}/{i}") for i, v in enumerate(value))
    return out


def _surrogate_at(doc: Document, pointer: str, at_key: bool, text: str) -> dg.Diagnostic:
    m = _SURROGATE.search(text)
    assert m is not None  # only called for a text that has one
    return dg.make("SPC025", dg.Loc(doc, pointer, at_key), "load",
                   what="key" if at_key else "string", escape=f"\\u{ord(m.group()):04x}")


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
