"""The public API: ``__all__`` written once, the docs' list of it, and every exception exported."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import trackerkit
import trackerkit.testing
from trackerkit import TrackerkitError

ROOT = Path(__file__).resolve().parents[1]
API_DOC = ROOT / "docs" / "api.md"
_ROW = re.compile(r"^\| `([A-Za-z_][A-Za-z0-9_]*)` \| (.+) \|$")


def documented(section: str) -> dict[str, str]:
    """The names a section of docs/api.md lists, one table row each, and what each is for."""
    text = API_DOC.read_text(encoding="utf-8")
    body = text.split(f"\n## {section}\n", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in body.splitlines():
        found = _ROW.match(line)
        if found:
            assert found.group(1) not in rows, f"{found.group(1)} is listed twice"
            rows[found.group(1)] = found.group(2).strip()
    return rows


def test_the_docs_list_the_api_exactly() -> None:
    listed = documented("trackerkit")
    assert sorted(set(trackerkit.__all__) - listed.keys()) == [], "exported, not in docs/api.md"
    assert sorted(listed.keys() - set(trackerkit.__all__)) == [], "in docs/api.md, not exported"
    assert all(len(purpose) > 10 for purpose in listed.values())


def test_the_docs_list_trackerkit_testing_exactly() -> None:
    listed = documented("trackerkit.testing")
    assert set(listed) == set(trackerkit.testing.__all__)
    assert all(hasattr(trackerkit.testing, name) for name in listed)


def test_every_name_is_there_and_dir_lists_them() -> None:
    for name in trackerkit.__all__:
        assert getattr(trackerkit, name) is not None
    assert dir(trackerkit) == sorted(trackerkit.__all__)
    assert len(trackerkit.__all__) == len(set(trackerkit.__all__))
    with pytest.raises(AttributeError, match="has no attribute 'nothing'"):
        _ = trackerkit.nothing


def test_what_type_checkers_see_is_what_runs() -> None:
    """The typing-only imports of ``__init__`` name the same modules and names as ``_EXPORTS``."""
    tree = ast.parse((ROOT / "src" / "trackerkit" / "__init__.py").read_text(encoding="utf-8"))
    (block,) = (
        node
        for node in tree.body
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING"
    )
    imported: dict[str, tuple[str, ...]] = {}
    for statement in block.body:
        assert isinstance(statement, ast.ImportFrom)
        assert statement.module is not None
        assert all(alias.asname == alias.name for alias in statement.names)  # X as X: public
        imported[statement.module] = tuple(alias.name for alias in statement.names)
    exports = {module: tuple(names) for module, names in trackerkit._EXPORTS.items()}
    assert imported == exports
    for module, names in exports.items():
        for name in names:
            assert getattr(trackerkit, name) is getattr(importlib.import_module(module), name)


def every_error_class() -> set[type[BaseException]]:
    for module in pkgutil.iter_modules(trackerkit.__path__):
        if module.name != "__main__":
            importlib.import_module(f"trackerkit.{module.name}")
    found: set[type[BaseException]] = set()
    waiting: list[type[BaseException]] = [TrackerkitError]
    while waiting:
        error = waiting.pop()
        if error.__module__.startswith("trackerkit."):  # not the tests' own subclasses
            found.add(error)
        waiting.extend(error.__subclasses__())
    return found


def test_every_exception_trackerkit_raises_on_purpose_is_exported() -> None:
    errors = every_error_class()
    assert {"TrackerkitError", "WorkbookError", "KeptError"} <= {e.__name__ for e in errors}
    for error in errors:
        assert getattr(trackerkit, error.__name__, None) is error, error.__name__
