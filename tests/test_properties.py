"""Properties of loading: dump → load is the identity, no input escapes as a crash, and the
quick schema check says valid exactly when jsonschema does."""

from __future__ import annotations

import copy
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import given
from hypothesis import strategies as st

from conftest import BASE, write_roles
from strategies import catalogs
from trackerkit import Catalog, CatalogError, dump_catalog, load_catalog
from trackerkit.resources import bundled
from trackerkit.schema_check import quick_check
from trackerkit.schemas import validator
from trackerkit.strict_yaml import JsonPath, decode, parse


def load_or_error(files: dict[str, bytes]) -> Catalog | CatalogError:
    with tempfile.TemporaryDirectory() as folder:
        roles = write_roles(Path(folder) / "roles")
        for name, data in files.items():
            (roles / name).write_bytes(data)
        try:
            return load_catalog(roles)
        except CatalogError as error:
            caught = error
    assert caught.problems, "a CatalogError always carries its problems"
    return caught


@given(catalogs())
def test_dump_then_load_gives_the_same_catalog(catalog: Catalog) -> None:
    with tempfile.TemporaryDirectory() as folder:
        dump_catalog(catalog, folder)
        loaded = load_catalog(folder)
    assert loaded == catalog
    assert list(loaded.competencies) == list(catalog.competencies)
    assert list(loaded.courses) == list(catalog.courses)


@given(st.binary(max_size=400))
def test_random_bytes_give_a_catalog_or_a_catalog_error(data: bytes) -> None:
    load_or_error({"extra.yaml": data})


@given(st.text(alphabet=" \n\t-:?[]{},&*!|>'\"%@`#abce0123456789.+~=", max_size=200))
def test_random_yaml_syntax_gives_a_catalog_or_a_catalog_error(text: str) -> None:
    load_or_error({"extra.yaml": text.encode("utf-8")})


scalars = (
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20)
)


def containers(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.lists(children, max_size=4) | st.dictionaries(
        st.text(max_size=12), children, max_size=4
    )


json_like = st.recursive(scalars, containers, max_leaves=20)
ROLE_FIELDS = [*yaml.safe_load(BASE), "builds_on", "drop", "next_roles"]


@given(st.dictionaries(st.sampled_from(ROLE_FIELDS), json_like, max_size=4))
def test_role_with_random_field_values_gives_a_catalog_or_a_catalog_error(
    changes: dict[str, Any],
) -> None:
    document = {**yaml.safe_load(BASE), **changes}
    text = yaml.safe_dump(document, allow_unicode=True)
    load_or_error({"base.yaml": text.encode("utf-8")})


@given(json_like)
def test_random_documents_give_a_catalog_or_a_catalog_error(document: Any) -> None:
    for kind in ("role", "competencies", "courses"):
        body = (
            {"kind": kind, "data": document}
            if not isinstance(document, dict)
            else {"kind": kind, **document}
        )
        load_or_error({"extra.yaml": yaml.safe_dump(body, allow_unicode=True).encode("utf-8")})


def _paths(node: Any, path: JsonPath = ()) -> list[JsonPath]:
    found = [path]
    items = (
        node.items()
        if isinstance(node, dict)
        else enumerate(node if isinstance(node, list) else [])
    )
    for key, value in items:
        found.extend(_paths(value, (*path, key)))
    return found


BUNDLED_FILES = [
    parse(decode(file.read_bytes()), file.name)[0].data
    for file in sorted(bundled("roles").glob("*.yaml"))
]
FIELD_NAMES = sorted(
    {"url", "description", "builds_on", "drop", "next_roles", "certifications", "issuer", "note"}
    | {
        path[-1]
        for document in BUNDLED_FILES
        for path in _paths(document)
        if path and isinstance(path[-1], str)
    }
)
"""Field names the schemas know, so an added field is often an allowed one."""
EDGE_VALUES: list[Any] = [
    *(0, 0.25, 0.3, 1, 2.0, 5, 6, 10, 11, 200, 200.25, -1, 10**20, True, False, None),
    *("", " ", "\n", "x" * 256, "psr-ii", "psr-ii\n", "PSR II", "2026.1", "2026", "a\u0007"),
    *("https://example.com/a", "http://a b", "required", "elective", "optional", "self-study"),
    *("role", "courses", "competencies", [], {}, ["psr-ii"], [{"id": "x", "target": 3}]),
]
"""Values near the schemas' edges, which random values rarely hit."""

# A copy each draw: later mutations edit drawn lists and mappings in place.
mutations = (st.sampled_from(EDGE_VALUES) | json_like).map(copy.deepcopy)


def _at(document: Any, path: JsonPath) -> Any:
    for part in path:
        document = document[part]
    return document


def _mutate(document: dict[str, Any], data: st.DataObject) -> None:
    """Replace, delete or add one value somewhere in ``document``."""
    path = data.draw(st.sampled_from(_paths(document)))
    target = _at(document, path)
    action = data.draw(st.sampled_from(["replace", "delete", "add"]))
    if action == "add" and isinstance(target, dict):
        target[data.draw(st.sampled_from(FIELD_NAMES) | st.text(max_size=8))] = data.draw(mutations)
    elif action == "add" and isinstance(target, list):
        target.insert(data.draw(st.integers(0, len(target))), data.draw(mutations))
    elif path and action == "delete":
        del _at(document, path[:-1])[path[-1]]
    elif path:
        _at(document, path[:-1])[path[-1]] = data.draw(mutations)


def _outcome(check: Any, document: Any) -> bool | type[Exception]:
    """A check's answer, or what it raised: jsonschema raises on some values, such as inf."""
    try:
        return bool(check(document))
    except (OverflowError, ValueError) as error:
        return type(error)


@given(st.sampled_from(BUNDLED_FILES), st.integers(0, 3), st.data())
def test_quick_check_agrees_with_jsonschema_on_mutated_bundled_files(
    original: dict[str, Any], changes: int, data: st.DataObject
) -> None:
    kind = original["kind"]
    document = copy.deepcopy(original)
    for _ in range(changes):
        _mutate(document, data)
    quick = quick_check(kind)
    assert quick is not None
    assert _outcome(quick, document) == _outcome(validator(kind).is_valid, document)
