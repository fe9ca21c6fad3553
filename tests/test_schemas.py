"""The schemas themselves: documented, closed, and resolved without a network."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import pytest

from trackerkit.schema_check import _Compiler, _UnsupportedError, quick_check
from trackerkit.schemas import (
    KINDS,
    PATTERN_MESSAGES,
    registry,
    schema_documents,
    validator,
)

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
        "story": {"from_role": "Bad Id"},
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


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_kind_has_a_quick_check(kind: str) -> None:
    # Without one, every load walks valid files through jsonschema's dispatch again.
    assert quick_check(kind) is not None


KEYWORD_CASES: list[tuple[Any, list[Any]]] = [
    ({"type": "integer"}, [1, 0, 2.0, True, "1", None]),
    ({"type": "number"}, [1, 1.5, True, "1", None]),
    ({"type": ["string", "null"]}, ["a", None, 1, False]),
    ({"type": "object"}, [{}, [], "a"]),
    ({"type": "boolean"}, [True, 0, None]),
    ({"const": "role"}, ["role", "Role", 1, None, ["role"], {"role": 1}]),
    ({"enum": ["a", "b"]}, ["a", "c", 1, True, ["a"]]),
    ({"enum": [1, True, None]}, [1, 1.0, True, False, 0, None, "1"]),
    ({"const": 1}, [1, 1.0, True, "1"]),
    ({"const": [1, "a"]}, [[1, "a"], [True, "a"], (1, "a")]),
    ({"enum": "ab"}, ["a", "ab", "c"]),
    ({"enum": []}, ["a", None]),
    ({"pattern": "^[a-z]+$"}, ["abc", "abc\n", "ABC", "", 5, None]),
    ({"pattern": "\\S"}, [" x ", "   ", "\n", 3]),
    ({"minLength": 1, "maxLength": 3}, ["", "a", "abc", "abcd", "\U0001f600" * 3, 7, ["a"] * 4]),
    ({"minimum": 1, "maximum": 5}, [0, 1, 5, 5.5, 0.99, True, False, "3", None]),
    ({"exclusiveMinimum": 0, "exclusiveMaximum": 10}, [0, 0.01, 10, 9.99, -1, False, "5"]),
    ({"multipleOf": 0.25}, [0.5, 0.3, 1, 0, 199.75, True, "0.5", 10**20, 1e300, 1.7e308]),
    ({"multipleOf": 2}, [4, 3, 4.0, 3.5, True]),
    ({"minItems": 1, "maxItems": 2}, [[], [1], [1, 2], [1, 2, 3], "ab", {}]),
    ({"required": ["a", "b"]}, [{"a": 1, "b": None}, {"a": 1}, {}, ["a", "b"], "ab"]),
    ({"items": {"type": "string"}}, [[], ["a"], ["a", 1], "a", {"a": 1}]),
    ({"items": False}, [[], [1], {}, "x"]),
    ({"items": True}, [[], [1, None]]),
    (
        {"properties": {"a": {"type": "string"}}, "additionalProperties": False},
        [{"a": "x"}, {"a": 1}, {"b": 1}, {}, [], "a"],
    ),
    ({"additionalProperties": {"type": "integer"}}, [{"a": 1}, {"a": "x"}, {}, [1]]),
    ({"properties": {"a": False}, "additionalProperties": True}, [{"a": 1}, {"b": 1}]),
    ({"allOf": [{"type": "string"}, {"minLength": 2}]}, ["ab", "a", 1]),
    ({"allOf": []}, [1, None]),
    (True, [1, None, {}]),
    (False, [1, None, {}]),
    ({"title": "t", "description": "only words", "$comment": "c", "default": 1}, [1, "x"]),
]


@pytest.mark.parametrize(
    ("schema", "instance"),
    [(schema, instance) for schema, instances in KEYWORD_CASES for instance in instances],
)
def test_quick_check_decides_each_keyword_as_jsonschema_does(schema: Any, instance: Any) -> None:
    full = validator("role").evolve(schema=schema)  # keeps the strict integer and pattern
    assert _Compiler(full).compile(schema)(instance) is full.is_valid(instance)


@pytest.mark.parametrize(
    "schema",
    [
        {"anyOf": [{"type": "string"}]},
        {"$ref": "#/$defs/x"},
        {"prefixItems": [True], "items": False},
        {"items": False, "prefixItems": [True]},
        {"patternProperties": {"^x": True}, "additionalProperties": False},
        {"additionalProperties": False, "patternProperties": {"^x": True}},
        {"type": "whole"},
        {"format": "date"},
        {"properties": {"a": {"uniqueItems": True}}},
        ["not", "a", "schema"],
    ],
)
def test_quick_check_refuses_what_it_cannot_decide(schema: Any) -> None:
    # A refused schema goes to jsonschema whole, so a keyword it does not know never passes.
    with pytest.raises(_UnsupportedError):
        _Compiler(validator("role")).compile(schema)
