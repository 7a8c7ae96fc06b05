"""The dialect in the YAML path: lower a ``specc/v1`` document before check-schema walks it.

check-schema calls ``lower_document`` for a YAML document whose ``apiVersion`` is set. The
dialect's problems are reported here, an expression's at the exact character (the offset into the
expression plus the position of the YAML scalar holding it, for plain, quoted and block
scalars). The result is the flyteidl data check-schema then walks as usual, and the pointer map
that lands every later diagnostic on the dialect line. lark and the dialect's modules are imported
only from here, so files without dialect documents never pay for them.
"""
from __future__ import annotations

import re
from typing import Any

from specc.diagnostics import Change, Loc, Report, Suggest, quote, replace
from specc.ir.pointer import escape, parent, resolve, split
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
        loc = issue_loc(doc, issue)
        fixes = issue_fixes(doc, issue, loc)
        report(issue.code, loc, fixes=fixes, **issue.args)
    _almost_references(doc, report)  # counted as errors of the document by check-schema
    if res.data is None:
        return None
    assert res.kind is not None  # set with the data
    return res.kind, res.data, res.pointer_map


# the dialect's did-you-mean, as its hints and problems word it
_DID_YOU_MEAN = re.compile(r"; did you mean '([^']+)'\?$")
_UNKNOWN_TYPE = re.compile(r"^unknown type '([^']+)'; did you mean '([^']+)'\?$")


def issue_fixes(doc: Document, issue: Any, loc: Loc) -> list[Suggest]:
    """The fixes of a lowering issue, read from what the dialect says (so that the dialect's
    own modules need not know about fixes): its did-you-mean on a field, a kind or a type name,
    and quotes around a number where a string is required."""
    args = issue.args
    m = _DID_YOU_MEAN.search(str(args.get("hint", "")))
    if issue.code == "SPC032" and m and issue.at_key:
        siblings = resolve(doc.data, parent(issue.pointer))
        if isinstance(siblings, dict) and m.group(1) not in siblings:  # no duplicate key
            return [replace(loc, str(args["field"]), m.group(1),
                            f"rename '{args['field']}' to '{m.group(1)}'")]
    elif issue.code == "SPC031" and m and split(issue.pointer) == ["kind"]:
        return [replace(loc, str(args["found"]), m.group(1))]
    elif issue.code == "SPC034":
        t = _UNKNOWN_TYPE.match(str(args.get("problem", "")))
        if t is not None and issue.offset is not None:
            return [replace(loc, t.group(1), t.group(2))]
    elif issue.code == "SPC033" and str(args.get("expected", "")).startswith("a string") and \
            args.get("found") in ("an integer", "a number"):
        return [quote(loc)]
    return []


# text that was meant as a reference: '$prep.table', '$(prep.table)', '{{prep.table}}' (quoted:
# unquoted, YAML reads it as a mapping) and Flyte's command templating, '{{.inputs.day}}'
_ALMOST = re.compile(r"^\s*(?:\$\(?(?P<a>[A-Za-z_][\w\-]*(?:[.\[][^\s{}()]*)?)\)?"
                     r"|\{\{\s*\.?(?P<b>[A-Za-z_][\w\-]*(?:[.\[][^\s{}]*)?)\s*\}\})\s*$")
# where a workflow's values are: a node's (or failure node's) inputs, a workflow output's value
_VALUE_AT = re.compile(r"(?:/inputs/[^/]+|^(?:/subWorkflows/[^/]+)?/outputs/[^/]+/value)$")


def _almost_references(doc: Document, report: Report) -> bool:
    """Report the values of a workflow that are text but were surely meant as references:
    written '$x', '$(x)', '{{x}}' or '{{.inputs.x}}' where x starts with a node id of the
    document or 'inputs' (SPC035, with the fix that writes '${x}'). Such text would otherwise
    be bound as a string, silently where the input takes one. True when one was reported."""
    data = doc.data
    if not isinstance(data, dict) or data.get("kind") != "Workflow":
        return False
    heads = {"inputs"}
    stack: list[tuple[Any, str]] = [(data, "")]
    values: list[tuple[str, str]] = []
    while stack:
        v, ptr = stack.pop()
        if isinstance(v, dict):
            for k, x in v.items():
                child = f"{ptr}/{escape(str(k))}"
                if k == "nodes" and isinstance(x, dict):
                    heads.update(str(n) for n in x)
                if isinstance(x, str) and _VALUE_AT.search(child) and \
                        not child.startswith("/inputs/"):
                    values.append((x, child))
                elif isinstance(x, (dict, list)):
                    stack.append((x, child))
        elif isinstance(v, list):
            for i, x in enumerate(v):
                if isinstance(x, str) and _VALUE_AT.search(ptr):
                    values.append((x, f"{ptr}/{i}"))
                elif isinstance(x, (dict, list)):
                    stack.append((x, f"{ptr}/{i}"))
    found = False
    for text, ptr in sorted(values, key=lambda t: t[1]):
        m = _ALMOST.match(text)
        if m is None:
            continue
        inner = (m.group("a") or m.group("b") or "").rstrip(".")
        if re.split(r"[.\[]", inner, maxsplit=1)[0] not in heads:
            continue
        loc = Loc(doc, ptr)
        ref = "${" + inner + "}"
        report("SPC035", loc, problem=f"'{text.strip()}' is text, not a reference (write "
                                      f"'{ref}')",
               fixes=[Suggest(f"write '{ref}'", (Change(loc, _scalar(doc, ptr, ref)),))])
        found = True
    return found


def _scalar(doc: Document, ptr: str, value: str) -> str:
    """``value`` as the scalar at ``ptr`` can be written: plain where it was plain in a block
    mapping, else in double quotes (a flow collection, or quotes already)."""
    src = doc.file
    spans = doc.spans
    here = spans.lookup(ptr) if spans is not None else None
    up = spans.lookup(parent(ptr)) if spans is not None else None
    written = src.text_at(here) if here is not None else None
    container = src.text_at(up) if up is not None else None
    if written and written[0] not in "'\"" and container and container[0] not in "{[":
        return value
    return f'"{value}"'



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
