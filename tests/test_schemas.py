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


@pytest.mark.parametrize("name", sorted(schema_documents()))
def test_every_reference_resolves_from_the_local_registry(name: str) -> None:
    schema = schema_documents()[name]
    resolver = registry().resolver(base_uri=schema["$id"])
    references = [node["$ref"] for _, node in walk(schema) if "$ref" in node]
    assert references or name == "common.schema.json"
    for reference in references:
        resolver.lookup(reference)  # raises Unresolvable for a broken or remote reference


@pytest.mark.parametrize("name", sorted(schema_documents()))
def test_schema_is_itself_valid(name: str) -> None:
    from jsonschema import Draft202012Validator

    Draft202012Validator.check_schema(schema_documents()[name])


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_validator_checks_nested_definitions(kind: str) -> None:
    # A bad value deep inside reaches a $ref'd definition, proving it is followed.
    examples: dict[str, dict[str, Any]] = {
        "role": {"competencies": [{"id": "Bad Id", "target": 3}]},
        "competencies": {"categories": [{"id": "Bad Id", "name": "n", "competencies": []}]},
        "courses": {"courses": [{"id": "Bad Id"}]},
    }
    nested = examples[kind]
    messages = [error.message for error in validator(kind).iter_errors({"kind": kind, **nested})]
    assert any("Bad Id" in message for message in messages), messages


def test_a_reference_outside_the_bundle_fails_instead_of_fetching() -> None:
    from jsonschema import Draft202012Validator
    from referencing.exceptions import Unresolvable

    schema = {"$ref": "https://example.com/never-fetched.json"}
    with pytest.raises(Unresolvable):
        list(Draft202012Validator(schema, registry=registry()).iter_errors({}))
