"""How the package's modules import each other: no cycles, counting every kind of import."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "trackerkit"


def import_graph() -> dict[str, set[str]]:
    """Each module of the package and the package modules it imports anywhere in its text.

    Imports inside functions and under ``if TYPE_CHECKING:`` count too: a cycle
    through them is still two modules that cannot be understood one without the other.
    """
    modules = {path.stem for path in PACKAGE.glob("*.py")} - {"__init__", "__main__"}
    graph: dict[str, set[str]] = {}
    for module in modules:
        tree = ast.parse((PACKAGE / f"{module}.py").read_text(encoding="utf-8"))
        found: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                if node.module == "trackerkit":
                    found.update(alias.name for alias in node.names)
                elif node.module.startswith("trackerkit."):
                    found.add(node.module.split(".")[1])
            elif isinstance(node, ast.Import):
                found.update(
                    alias.name.split(".")[1]
                    for alias in node.names
                    if alias.name.startswith("trackerkit.")
                )
        graph[module] = (found & modules) - {module}
    return graph


def cycle_through(graph: dict[str, set[str]], start: str) -> list[str] | None:
    """A chain of imports from ``start`` back to itself, or None when there is none."""
    stack: list[tuple[str, list[str]]] = [(start, [start])]
    seen: set[str] = set()
    while stack:
        module, path = stack.pop()
        for imported in sorted(graph[module]):
            if imported == start:
                return [*path, start]
            if imported not in seen:
                seen.add(imported)
                stack.append((imported, [*path, imported]))
    return None


def test_the_graph_sees_every_kind_of_import() -> None:
    graph = import_graph()
    assert "strict_yaml" in graph["schemas"]  # under TYPE_CHECKING only
    assert "schema_check" in graph["catalog"]


def test_schemas_and_schema_check_import_one_way() -> None:
    graph = import_graph()
    assert "schemas" in graph["schema_check"]
    assert cycle_through(graph, "schemas") is None
    assert cycle_through(graph, "schema_check") is None


def test_the_finder_finds_a_cycle() -> None:
    assert cycle_through({"a": {"b"}, "b": {"c"}, "c": {"a"}}, "a") == ["a", "b", "c", "a"]
    assert cycle_through({"a": {"b"}, "b": set()}, "a") is None
