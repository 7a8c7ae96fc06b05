"""Every place that makes a diagnostic gives its template exactly the arguments it takes.

The call sites are found in specc's source (a call whose first argument, or whose second for a
lint rule's ``self.report(report, loc, ...)``, names a code), so a message can never fail to
render at run time, and no caller pads an optional argument with an empty string.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from specc import codes
from specc.codes import CODES, OPTIONAL
from tests.conftest import REPO

_CODE = re.compile(r"^SPC\d{3}$")
# keyword arguments of the reporting functions themselves, not of the template
_META = {"related", "fixes"}
_ISSUE_META = {"at_key", "offset", "length"}  # the dialect lowerer's ``issue(code, at, ...)``


def _class_codes(tree: ast.Module) -> dict[str, str]:
    """Class name -> its ``CODE = "SPC..."`` (lint rules)."""
    out = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            for stmt in node.body:
                if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and \
                        isinstance(stmt.targets[0], ast.Name) and stmt.targets[0].id == "CODE" \
                        and isinstance(stmt.value, ast.Constant):
                    out[node.name] = stmt.value.value
    return out


def call_sites() -> list[tuple[str, str, set[str], bool, ast.Call]]:
    """(where, code, keyword names, has **kwargs, call) for every diagnostic made in specc."""
    found = []
    for path in sorted((REPO / "specc").rglob("*.py")):
        if path.name == "codes.py":
            continue  # the catalogue itself
        tree = ast.parse(path.read_text(encoding="utf-8"))
        classes = _class_codes(tree)
        owner: dict[ast.AST, str] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                for sub in ast.walk(node):
                    owner.setdefault(sub, node.name)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            code = None
            for arg in node.args[:2]:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str) \
                        and _CODE.match(arg.value):
                    code = arg.value
                    break
            func = node.func
            if code is None and isinstance(func, ast.Attribute) and func.attr == "report" \
                    and isinstance(func.value, ast.Name) and func.value.id == "self" \
                    and owner.get(node) in classes:
                code = classes[owner[node]]
            if code is None:
                continue
            kws = {k.arg for k in node.keywords if k.arg is not None}
            if isinstance(func, ast.Attribute) and func.attr == "issue":
                kws -= _ISSUE_META
            splat = any(k.arg is None for k in node.keywords)
            where = f"{path.relative_to(REPO)}:{node.lineno}"
            found.append((where, code, kws - _META, splat, node))
    return found


SITES = call_sites()


def test_call_sites_are_found():
    assert len(SITES) > 150
    assert {c for _, c, _, _, _ in SITES} >= set(CODES) - {"SPC050", "SPC900"}


@pytest.mark.parametrize("where,code,kws,splat,call", SITES,
                         ids=[f"{w}-{c}" for w, c, _, _, _ in SITES])
def test_arguments_match_the_template(where, code, kws, splat, call):
    entry = CODES.get(code)
    assert entry is not None, f"{where}: {code} is not in the catalogue"
    if splat:
        assert kws <= entry.fields, f"{where}: {code} takes {sorted(entry.fields)}"
        return
    assert kws <= entry.fields, \
        f"{where}: {code} does not take {sorted(kws - entry.fields)}"
    assert entry.required <= kws, \
        f"{where}: {code} needs {sorted(entry.required - kws)}"
    for k in call.keywords:
        if k.arg in OPTIONAL and isinstance(k.value, ast.Constant) and k.value.value == "":
            pytest.fail(f"{where}: leave '{k.arg}' out rather than pass it empty")


def test_optional_arguments_render_as_nothing():
    entry = CODES["SPC211"]
    assert "hint" in entry.fields
    assert entry.render({"what": "a node id"}).endswith(entry.render(
        {"what": "a node id", "hint": ""})[-10:])


def test_every_template_renders_with_its_fields():
    for entry in codes.CODES.values():
        entry.render({f: f"<{f}>" for f in entry.required})


def test_call_sites_use_the_one_way_to_make_a_diagnostic():
    """Nothing builds a Diagnostic by hand: ``diagnostics.make`` renders and locates."""
    for path in sorted((REPO / "specc").rglob("*.py")):
        if path.name in ("diagnostics.py", "cache.py"):
            continue  # where it is defined, and where a stored one is read back
        text = path.read_text(encoding="utf-8")
        assert "Diagnostic(" not in text.replace("class Diagnostic(", ""), \
            f"{Path(path).relative_to(REPO)} builds a Diagnostic by hand; use diagnostics.make"
