"""The schemas themselves: documented, closed, and resolved without a network."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import pytest

from trackerkit.schemas import KINDS, PATTERN_MESSAGES, registry, schema_documents, validator

if TYPE_CHECKING:
    from collections.abc import Iterator


def walk(node: Any, path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from walk(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from walk(value, f"{path}/{index}")


@pytest.mark.parametrize("name", sorted(schema_documents()))
def test_schema_is_draft_2020_12_with_an_id(name: str) -> None:
    schema = schema_documents()[name]
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].endswith("/" + name)


@pytest.mark.parametrize("name", sorted(schema_documents()))
def test_every_property_has_a_description(name: str) -> None:
    for path, node in walk(schema_documents()[name]):
        for key, child in node.get("properties", {}).items():
            assert child.get("description"), f"{name}{path}/properties/{key}"


@pytest.mark.parametrize("name", sorted(schema_documents()))
def test_every_object_is_closed(name: str) -> None:
    for path, node in walk(schema_documents()[name]):
        if node.get("type") == "object":
            assert node.get("additionalProperties") is False, f"{name}{path}"


def test_every_pattern_has_a_message() -> None:
    patterns = {
        node["pattern"]
        for schema in schema_documents().values()
        for _, node in walk(schema)
        if isinstance(node.get("pattern"), str)
    }
    assert patterns == set(PATTERN_MESSAGES)


def test_id_pattern_is_the_lowercase_slug() -> None:
    slug = schema_documents()["common.schema.json"]["$defs"]["id"]["pattern"]
    assert slug == "^[a-z0-9][a-z0-9-]*$"
    assert re.fullmatch(slug, "psr-ii")
    assert not re.fullmatch(slug, "PSR_II")


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_references_resolve_from_the_local_registry(kind: str) -> None:
    # Any $ref the registry could not resolve locally raises here rather than fetching.
    check = validator(kind)
    assert list(check.iter_errors({"kind": kind}))


def test_a_reference_outside_the_bundle_fails_instead_of_fetching() -> None:
    from jsonschema import Draft202012Validator
    from referencing.exceptions import Unresolvable

    schema = {"$ref": "https://example.com/never-fetched.json"}
    with pytest.raises(Unresolvable):
        list(Draft202012Validator(schema, registry=registry()).iter_errors({}))
