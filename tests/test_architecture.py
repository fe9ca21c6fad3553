"""The structure DESIGN.md promises, checked: no import cycles (counting every kind of
import), reading never loads writing, and the reader and writers stay small functions."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from trackerkit.build import build_tracker
from trackerkit.catalog import load_catalog

PACKAGE = Path(__file__).parents[1] / "src" / "trackerkit"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, modules: set[str]) -> set[str]:
    """Every trackerkit module ``path`` imports, at any depth: top level, inside functions
    and under ``if TYPE_CHECKING``, since each of them is a dependency all the same."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name in modules)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module not in modules:
                continue
            submodules = {f"{node.module}.{alias.name}" for alias in node.names}
            named = submodules & modules
            found.update(named)
            if len(named) < len(submodules):  # a name from the module itself
                found.add(node.module)
    return found


def import_graph() -> dict[str, set[str]]:
    files = {_module_name(path): path for path in PACKAGE.glob("*.py")}
    modules = set(files)
    return {name: _imports(path, modules) - {name} for name, path in files.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the graph, as the modules along it, or None when it has none."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_find_cycle_finds_a_cycle_through_three_modules() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert find_cycle(graph) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_import_graph_sees_function_level_and_typing_only_imports() -> None:
    graph = import_graph()
    # __init__ names every module only under TYPE_CHECKING; they must still count.
    assert "trackerkit.reader" in graph["trackerkit"]
    assert "trackerkit.catalog" in graph["trackerkit"]
    assert "trackerkit.strict_yaml" in graph["trackerkit.schemas"]  # under TYPE_CHECKING only
    assert "trackerkit.catalog" in graph["trackerkit.reader"]  # inside a function only
    assert "trackerkit.schema_check" in graph["trackerkit.catalog"]


def test_no_module_imports_itself_back_through_others() -> None:
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_reading_a_tracker_loads_no_writer(tmp_path: Path) -> None:
    role = load_catalog().roles["psr-ii"]
    path = tmp_path / "psr-ii.xlsx"
    build_tracker(role, path)
    probe = (
        "import sys, trackerkit.reader as r\n"
        f"tracker = r.read_tracker({str(path)!r})\n"
        "assert tracker.role.id == 'psr-ii', tracker.role\n"
        "print(sorted(m for m in sys.modules "
        "if m.split('.')[0] == 'xlsxwriter' or m == 'trackerkit.writer'))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=False, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize("module", ["trackerkit.reader", "trackerkit.figures", "trackerkit.model"])
def test_the_read_side_imports_nothing_that_writes(module: str) -> None:
    graph = import_graph()
    seen: set[str] = set()
    todo = [module]
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo += graph[name]
    assert "trackerkit.writer" not in seen


SMALL = ("reader.py", "writer.py", "report_workbook.py", "sheet_writer.py")
"""The modules that only walk a layout: their functions stay short enough to read at once."""


@pytest.mark.parametrize("module", SMALL)
def test_no_reader_or_writer_function_is_over_50_lines(module: str) -> None:
    tree = ast.parse((PACKAGE / module).read_text(encoding="utf-8"))
    long = [
        (node.name, node.end_lineno - node.lineno + 1)
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno is not None
        and node.end_lineno - node.lineno + 1 > 50
    ]
    assert long == []


def test_every_module_has_its_line_in_the_module_map() -> None:
    text = (PACKAGE.parents[1] / "docs" / "development.md").read_text(encoding="utf-8")
    mapped = set(re.findall(r"^\| `src/trackerkit/([a-z_]+\.py)`", text, flags=re.MULTILINE))
    assert {path.name for path in PACKAGE.glob("*.py")} == mapped
