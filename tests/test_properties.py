"""Properties of loading: dump → load is the identity, and no input escapes as a crash."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import given
from hypothesis import strategies as st

from conftest import BASE, write_roles
from strategies import catalogs
from trackerkit import Catalog, CatalogError, dump_catalog, load_catalog


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
