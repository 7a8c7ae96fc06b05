"""The dialect in the YAML path: lower a ``specc/v1`` document before check-schema walks it.

check-schema calls ``lower_document`` for a YAML document whose ``apiVersion`` is set. The
dialect's problems are reported here, an expression's at the exact character (the offset into the
expression plus the position of the YAML scalar holding it, for plain, quoted and block
scalars). The result is the flyteidl data check-schema then walks as usual, and the pointer map
that lands every later diagnostic on the dialect line. lark and the dialect's modules are imported
only from here, so files without dialect documents never pay for them.
"""
from __future__ import annotations

from typing import Any

from specc.diagnostics import Loc, Report
from specc.ir.pointer import resolve
from specc.source import Document, Span


def is_dialect(data: object) -> bool:
    return isinstance(data, dict) and "apiVersion" in data


def lower_document(doc: Document, report: Report
                   ) -> tuple[str, dict[str, Any], dict[str, str]] | None:
    """(kind, flyteidl data, pointer map) of a dialect document, or None when it cannot be
    lowered at all; problems are reported through ``report``."""
    from specc.dialect.lower import lower

    res = lower(doc.data)
    for issue in res.issues:
        report(issue.code, issue_loc(doc, issue), **issue.args)
    if res.data is None:
        return None
    assert res.kind is not None  # set with the data
    return res.kind, res.data, res.pointer_map


def issue_loc(doc: Document, issue: Any) -> Loc:
    """Where a lowering issue is: its pointer, or characters inside the scalar it names."""
    loc = Loc(doc, issue.pointer, issue.at_key)
    if issue.offset is None:
        return loc
    span = expression_span(doc, issue.pointer, issue.offset, issue.length)
    return loc.at(span) if span is not None else loc


def expression_span(doc: Document, pointer: str, offset: int, length: int) -> Span | None:
    """The span of characters ``offset .. offset+length`` of the string at ``pointer``."""
    text = doc.file.text
    if text is None or doc.spans is None:
        return None
    scalar = doc.spans.lookup(pointer)
    value = resolve(doc.data, pointer)
    if scalar is None or not isinstance(value, str):
        return None
    starts = [0]
    i = text.find("\n")
    while i != -1:
        starts.append(i + 1)
        i = text.find("\n", i + 1)
    if scalar.line - 1 >= len(starts) or scalar.end_line - 1 >= len(starts):
        return None
    begin = starts[scalar.line - 1] + scalar.column - 1
    end = starts[scalar.end_line - 1] + scalar.end_column - 1
    raw = text[begin:end]
    a = begin + _align(raw, value, offset)
    b = begin + _align(raw, value, offset + length)
    if b <= a:
        b = a + 1
    line, col = doc.file.line_col(a)
    eline, ecol = doc.file.line_col(b)
    if eline != line:  # keep the marker on the line where the problem starts
        eline, ecol = line, col + 1
    return Span(line, col, eline, ecol)


def _align(raw: str, value: str, k: int) -> int:
    """The index into ``raw`` (a scalar as written: plain, quoted or block) of character ``k`` of
    its ``value``."""
    i = j = 0
    quote = raw[:1] if raw[:1] in ("'", '"') else ""
    if quote:
        i = 1
    elif raw[:1] in ("|", ">"):  # a block scalar: the content starts on the next line
        nl = raw.find("\n")
        i = nl + 1 if nl != -1 else len(raw)
    while j < k and i < len(raw):
        c = raw[i]
        if quote == '"' and c == "\\":
            nxt = raw[i + 1:i + 2]
            if nxt == "\n":  # an escaped line break: no character
                i += 2
                while i < len(raw) and raw[i] in " \t":
                    i += 1
                continue
            width = {"x": 4, "u": 6, "U": 10}.get(nxt, 2)
            i += width
            j += 1
        elif quote == "'" and raw[i:i + 2] == "''":
            i += 2
            j += 1
        elif j < len(value) and c == value[j]:
            i += 1
            j += 1
        elif c in "\r\n":  # a line break: folded to a space, or kept; then the indentation
            i += 1
            while i < len(raw) and raw[i] in " \t":
                i += 1
            if j < len(value) and value[j] in " \n":
                j += 1
        elif c in " \t":  # indentation
            i += 1
        else:
            i += 1
            j += 1
    return i
