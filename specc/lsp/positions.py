"""Positions between specc and a language client.

specc counts 1-based lines, as the front-end's parser breaks them (libyaml: ``\\r\\n``,
``\\r``, ``\\n`` and also NEL, LS and PS; JSON: ``\\n``), and 1-based columns in code points (a
Python ``str`` index + 1), with the end column exclusive. LSP counts 0-based lines broken at
``\\r\\n``, ``\\r`` and ``\\n`` only, and characters in code units of the negotiated
encoding: UTF-16 unless the client and server agreed on UTF-8 or UTF-32 (LSP 3.17
``general.positionEncodings``). An astral character (an emoji) is one code point, two UTF-16
units and four UTF-8 bytes; ``é`` is one, one and two.

Both sides go through a character offset into the text, so the two line models never have to
agree: ``TextMap`` turns specc's (line, column) into an offset and the offset into LSP's (line,
character), and back. A byte-order mark, which specc's front-ends drop, is accounted for.
"""
from __future__ import annotations

import bisect
import re

UTF8, UTF16, UTF32 = "utf-8", "utf-16", "utf-32"

_LSP_BREAK = re.compile(r"\r\n|\r|\n")
_BREAKS = {
    "yaml": re.compile("\r\n|[\r\n\x85\u2028\u2029]"),  # YAML 1.1's line breaks (libyaml)
    "json": re.compile("\n"),  # SourceFile.line_col counts '\n' only
}


def units(s: str, encoding: str) -> int:
    """The number of code units ``s`` takes in ``encoding``."""
    if encoding == UTF32 or s.isascii():
        return len(s)
    if encoding == UTF8:
        return len(s.encode("utf-8", "surrogatepass"))
    return len(s) + sum(1 for c in s if ord(c) > 0xFFFF)


def chars_for_units(s: str, n: int, encoding: str) -> int:
    """How many code points of ``s`` the first ``n`` code units cover (a position that falls inside
    a character counts as that character's start); ``len(s)`` when ``n`` reaches past the end."""
    if encoding == UTF32 or s.isascii():
        return min(max(n, 0), len(s))
    used = 0
    for i, c in enumerate(s):
        if used >= n:
            return i
        used += units(c, encoding)
        if used > n:
            return i
    return len(s)


def _lines(text: str, pattern: re.Pattern) -> tuple[list[int], list[int]]:
    """(start, end) offsets of every line's content, the break excluded."""
    starts, ends = [0], []
    for m in pattern.finditer(text):
        ends.append(m.start())
        starts.append(m.end())
    ends.append(len(text))
    return starts, ends


class TextMap:
    """Offsets of one text's lines, under specc's line model (``form``) and LSP's."""

    def __init__(self, text: str, form: str = "yaml") -> None:
        self.text = text
        self.bom = 1 if text.startswith("\ufeff") else 0
        # specc's offsets are into the text without its BOM
        self._specc, self._specc_end = _lines(text[self.bom:], _BREAKS.get(form, _BREAKS["json"]))
        self._lsp, self._lsp_end = _lines(text, _LSP_BREAK)

    # -- specc's side -------------------------------------------------------------------------
    def specc_to_offset(self, line: int, column: int) -> int:
        """Offset into the text of specc's 1-based (line, code-point column); a column past the
        end of its line stays at the end of the line."""
        i = min(max(line - 1, 0), len(self._specc) - 1)
        return self.bom + min(self._specc[i] + max(column - 1, 0), self._specc_end[i])

    def offset_to_specc(self, offset: int) -> tuple[int, int]:
        """specc's 1-based (line, column) of an offset into the text."""
        off = max(offset - self.bom, 0)
        i = bisect.bisect_right(self._specc, off) - 1
        return i + 1, off - self._specc[i] + 1

    # -- LSP's side ---------------------------------------------------------------------------
    def offset_to_lsp(self, offset: int, encoding: str = UTF16) -> tuple[int, int]:
        """LSP's 0-based (line, character in code units) of an offset into the text."""
        offset = min(max(offset, 0), len(self.text))
        i = bisect.bisect_right(self._lsp, offset) - 1
        start, end = self._lsp[i], self._lsp_end[i]
        return i, units(self.text[start:min(offset, end)], encoding)

    def lsp_to_offset(self, line: int, character: int, encoding: str = UTF16) -> int:
        """Offset into the text of an LSP position; past the end of a line (or of the text) is the
        end of that line (or of the text), as LSP says."""
        if line >= len(self._lsp):
            return len(self.text)
        if line < 0:
            return 0
        start, end = self._lsp[line], self._lsp_end[line]
        return start + chars_for_units(self.text[start:end], character, encoding)

    # -- both ---------------------------------------------------------------------------------
    def lsp_range(self, line: int, column: int, end_line: int, end_column: int,
                  encoding: str = UTF16) -> dict:
        """An LSP Range (JSON shape) of a specc span."""
        s = self.offset_to_lsp(self.specc_to_offset(line, column), encoding)
        e = self.offset_to_lsp(self.specc_to_offset(end_line, end_column), encoding)
        if e < s:
            e = s
        return {"start": {"line": s[0], "character": s[1]},
                "end": {"line": e[0], "character": e[1]}}

    def specc_position(self, line: int, character: int, encoding: str = UTF16) -> tuple[int, int]:
        """specc's 1-based (line, column) of an LSP position."""
        return self.offset_to_specc(self.lsp_to_offset(line, character, encoding))
