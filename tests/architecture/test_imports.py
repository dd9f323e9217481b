"""The shape of the project, checked from its source: apps in layers, no loops, no borrowed views.

Every import in ``src/motcua`` (also those inside functions, which hide a loop rather than
remove it) is read with ``ast``; tests and migrations are left out. A module belongs to its app
(``motcua.<app>``) or, for the project's own files (``motcua/urls.py`` …), to itself.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parents[2] / "src" / "motcua"
# Modules that answer requests: another app may link to them by URL name, never import them.
VIEW_MODULES = {"views", "api", "sandbox_views"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(SOURCE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _source_files() -> list[Path]:
    return [
        path
        for path in sorted(SOURCE.rglob("*.py"))
        if "tests" not in path.parts and "migrations" not in path.parts
    ]


def _imports(path: Path) -> set[str]:
    """The motcua modules ``path`` imports, relative imports resolved."""
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.add(target)
            # ``from . import services`` names a module, not an attribute.
            found.update(f"{target}.{alias.name}" for alias in node.names)
    return {name for name in found if name == "motcua" or name.startswith("motcua.")}


def _unit(module: str) -> str:
    """The app (``motcua.dossiers``) or the project file (``motcua.urls``) a module is part of."""
    parts = module.split(".")
    return ".".join(parts[:2])


def _known_units() -> set[str]:
    return {_unit(_module_name(path)) for path in _source_files()}


def unit_graph() -> dict[str, set[str]]:
    known = _known_units()
    graph: dict[str, set[str]] = defaultdict(set)
    for path in _source_files():
        source = _unit(_module_name(path))
        for target in _imports(path):
            unit = _unit(target)
            if unit in known and unit != source:
                graph[source].add(unit)
    return graph


def loops(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one unit (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(set(graph) | {n for targets in graph.values() for n in targets}):
        if node not in index:
            visit(node)
    return groups


def test_the_walk_finds_a_loop_when_there_is_one() -> None:
    assert loops({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert loops({"a": {"b"}, "b": set()}) == []


def test_the_walk_sees_the_imports_it_must_see() -> None:
    graph = unit_graph()
    # Known edges, so that an empty graph (a broken walk) cannot pass the tests below.
    assert "motcua.dossiers" in graph["motcua.payments"]
    assert "motcua.dossiers" in graph["motcua.results"]
    assert "motcua.catalog" in graph["motcua.dossiers"]


def test_no_import_loop_between_apps() -> None:
    assert loops(unit_graph()) == []


@pytest.mark.parametrize("path", _source_files(), ids=lambda p: str(p.relative_to(SOURCE)))
def test_no_app_imports_another_apps_views(path: Path) -> None:
    own = _unit(_module_name(path))
    if own in {"motcua.urls", "motcua.api"}:
        return  # the project's URL map is where views are plugged in
    borrowed = sorted(
        name
        for name in _imports(path)
        if _unit(name) != own and name.split(".")[-1] in VIEW_MODULES and name.count(".") >= 2
    )
    assert borrowed == []
