"""The house: specc's modules import only from the layers below them, and no import, at any depth
of a module (inside functions too), closes a cycle."""
from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import REPO

PACKAGE = REPO / "specc"

# docs/design.md, "Layers": a module may import from its own layer and the layers below
LAYERS: tuple[tuple[str, ...], ...] = (
    ("specc", "specc.ir", "specc.record", "specc.source", "specc.types", "specc.diagnostics",
     "specc.codes", "specc.table", "specc.cron", "specc.quantity", "specc.platform",
     "specc.explain"),
    ("specc.frontends", "specc.dialect"),
    ("specc.passes", "specc.lint", "specc.emit"),
    ("specc.project", "specc.config", "specc.policy", "specc.cache"),
    ("specc.driver",),
    ("specc.convert", "specc.diff", "specc.graph", "specc.lsp.analysis", "specc.lsp.positions",
     "specc.lsp.complete", "specc.lsp.outline", "specc.lsp.symbols",
     "specc.reporters", "specc.fix", "specc.complete"),
    ("specc.cli", "specc.lsp.server", "specc.lsp", "specc.__main__"),
)


def module_name(path: Path) -> str:
    rel = path.relative_to(REPO).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports(path: Path, name: str, known: set[str]) -> set[str]:
    """Every specc module ``path`` imports, wherever the import statement is."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                out.add(a.name)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                up = parts[: len(parts) - (node.level - 1)]
                base = ".".join(up + ([base] if base else []))
            for a in node.names:
                sub = f"{base}.{a.name}"
                out.add(sub if sub in known else base)
    return {m for m in out if m == "specc" or m.startswith("specc.")} - {name}


def graph() -> dict[str, set[str]]:
    mods = modules()
    known = set(mods)
    return {name: {m for m in imports(path, name, known) if m in known}
            for name, path in mods.items()}


def layer_of(name: str) -> int:
    best, at = -1, -1
    for i, layer in enumerate(LAYERS):
        for prefix in layer:
            if (name == prefix or name.startswith(prefix + ".")) and len(prefix) > best:
                best, at = len(prefix), i
    assert at >= 0, f"{name} is in no layer: add it to LAYERS (and docs/design.md)"
    return at


def cycles(g: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (or a module importing itself)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(g[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1 or v in g[v]:
                out.append(sorted(comp))

    for v in sorted(g):
        if v not in index:
            visit(v)
    return out


def test_the_import_graph_is_read():
    g = graph()
    assert "specc.passes.check_types" in g["specc.passes"] or g["specc.driver"]
    assert "specc.ir" in g["specc.passes.check_types"]
    assert "specc.cache" in g["specc.driver"]  # an import inside a function counts


def test_no_import_cycles():
    assert cycles(graph()) == []


def test_modules_import_only_from_their_layer_and_below():
    g = graph()
    wrong = sorted(f"{a} (layer {layer_of(a)}) imports {b} (layer {layer_of(b)})"
                   for a, deps in g.items() for b in deps if layer_of(b) > layer_of(a))
    assert wrong == []


def test_the_cycle_finder_finds_cycles():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == [["a", "b", "c"]]
    assert cycles({"a": {"a"}}) == [["a"]]
