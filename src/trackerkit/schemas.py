"""The JSON Schemas and the translation of their errors into plain sentences.

Schemas are resolved through a local ``referencing.Registry`` only: a
``$ref`` to anything outside the bundled folder fails instead of fetching.
Each validation keyword has one small function that words its error for
the person who edits the YAML, in the spirit of jsonschema's own keyword
table.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from trackerkit.problem_codes import Code
from trackerkit.resources import bundled

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from jsonschema.exceptions import ValidationError
    from jsonschema.protocols import Validator
    from referencing import Registry

    from trackerkit.strict_yaml import JsonPath

KINDS = {
    "role": "role.schema.json",
    "competencies": "competencies.schema.json",
    "courses": "courses.schema.json",
    "story": "story.schema.json",
}
"""The value of a file's ``kind`` field, and the schema that checks it."""


@cache
def schema_documents() -> dict[str, dict[str, Any]]:
    """Every bundled schema, by file name."""
    folder = bundled("schemas")
    return {
        path.name: json.loads(path.read_text(encoding="utf-8"))
        for path in sorted(folder.glob("*.schema.json"))
    }


@cache
def id_pattern() -> re.Pattern[str]:
    """The pattern every id must match, as the common schema defines it."""
    return re.compile(schema_documents()["common.schema.json"]["$defs"]["id"]["pattern"])


@cache
def registry() -> Registry[Any]:
    """The bundled schemas by ``$id``; it has no retriever, so it never fetches."""
    from referencing import Registry
    from referencing.jsonschema import DRAFT202012

    return Registry().with_resources(
        (document["$id"], DRAFT202012.create_resource(document))
        for document in schema_documents().values()
    )


@cache
def validator(kind: str) -> Validator:
    """Draft 2020-12, with two of Python's looser readings made strict.

    jsonschema accepts 2.0 as an integer, and runs patterns with ``re.search``,
    where ``$`` also matches before a final line break, so ``"psr-ii\\n"``
    would pass as an id.
    """
    from jsonschema import Draft202012Validator, validators

    base = Draft202012Validator
    types = base.TYPE_CHECKER.redefine("integer", lambda _, value: is_integer(value))
    strict: type[Validator] = validators.extend(  # type: ignore[no-untyped-call]  # untyped upstream
        base, {"pattern": _whole_pattern}, type_checker=types
    )
    return strict(inlined(KINDS[kind]), registry=registry())


@cache
def inlined(name: str) -> dict[str, Any]:
    """The schema ``name`` with every ``$ref`` replaced by what it points to.

    jsonschema resolves a reference each time it is used (about 950 lookups to
    load the bundled roles, three quarters of the load); the bundled schemas
    are not recursive, so resolving them once is the same schema, only faster.
    A reference becomes ``allOf: [target]`` beside its sibling keywords, which
    is what ``$ref`` means in draft 2020-12.
    """
    resolver = registry().resolver(base_uri=schema_documents()[name]["$id"])
    schema: dict[str, Any] = _inline(schema_documents()[name], resolver, depth=0)
    return schema


def _inline(node: Any, resolver: Any, depth: int) -> Any:
    if depth > 32:  # a recursive schema: keep it for jsonschema rather than unfold forever
        message = "the bundled schemas must not be recursive"
        raise ValueError(message)
    if isinstance(node, list):
        return [_inline(item, resolver, depth) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        resolved = resolver.lookup(node["$ref"])
        target = _inline(resolved.contents, resolved.resolver, depth + 1)
        rest = {
            key: _inline(value, resolver, depth) for key, value in node.items() if key != "$ref"
        }
        return {**rest, "allOf": [target]} if rest else target
    return {key: _inline(value, resolver, depth) for key, value in node.items()}


def _whole_pattern(_: Any, pattern: str, instance: Any, __: Any) -> Iterator[ValidationError]:
    from jsonschema.exceptions import ValidationError

    if isinstance(instance, str) and not anchored(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


def is_integer(value: Any) -> bool:
    """A whole number as the schemas mean it: not 2.0, and not True."""
    return isinstance(value, int) and not isinstance(value, bool)


@cache
def anchored(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern[:-1] + r"\Z" if pattern.endswith("$") else pattern)


@dataclass(frozen=True)
class _Failure:
    """The parts of a jsonschema error the messages use, typed as what they are here."""

    validator: str
    validator_value: Any
    instance: Any
    schema: Any
    message: str


def explain(raw: ValidationError) -> Iterator[tuple[JsonPath, bool, Code, str]]:
    """Each problem of one jsonschema error as (path, whether the path names a key, its code,
    message)."""
    path: JsonPath = tuple(raw.absolute_path)
    error = _Failure(str(raw.validator), raw.validator_value, raw.instance, raw.schema, raw.message)
    if error.validator == "additionalProperties":
        known = sorted(error.schema.get("properties", {}))
        for name in sorted(set(error.instance) - set(known)):
            yield (*path, name), True, Code.SCHEMA_UNKNOWN_FIELD, _unknown_field(name, known)
        return
    if error.validator == "required":
        properties = error.schema.get("properties", {})
        for name in error.validator_value:
            if name not in error.instance:
                hint = _first_sentence(properties.get(name, {}).get("description", ""))
                yield (
                    path,
                    False,
                    Code.SCHEMA_REQUIRED,
                    f"'{name}' is missing; add it ({hint})"
                    if hint
                    else (f"'{name}' is missing; add it"),
                )
        return
    word = _MESSAGES.get(error.validator)
    if word is None:
        yield path, False, Code.SCHEMA_INVALID, error.message
    else:
        yield path, False, word[0], word[1](error)


def _unknown_field(name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1)
    if close:
        return f"unknown field '{name}'; did you mean '{close[0]}'?"
    return f"unknown field '{name}'; the fields allowed here are {', '.join(known)}"


def _first_sentence(text: str) -> str:
    sentence = text.split(". ", maxsplit=1)[0].strip().rstrip(".")
    return sentence[:1].lower() + sentence[1:]


_TYPE_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "array": "a list",
    "object": "a mapping of fields",
    "boolean": "true or false",
    "null": "nothing",
}


def describe(value: Any) -> str:
    """How a YAML value reads to the person who wrote it."""
    if value is None:
        return "nothing (the value is empty)"
    if isinstance(value, bool):
        return f"'{str(value).lower()}'"
    if isinstance(value, (int, float)):
        return f"the number {value!r}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return "'" + "".join(_printable(character) for character in shown) + "'"
    return "a list" if isinstance(value, list) else "a mapping of fields"


def _printable(character: str) -> str:
    """Line breaks and control characters as escapes, so a message stays one safe line."""
    if character == "\n":
        return "\\n"
    return character if character.isprintable() else f"\\u{ord(character):04x}"


def _type(error: _Failure) -> str:
    expected = error.validator_value
    names = [expected] if isinstance(expected, str) else list(expected)
    wanted = " or ".join(_TYPE_WORDS.get(name, name) for name in names)
    message = f"expected {wanted}, got {describe(error.instance)}"
    if "string" in names and isinstance(error.instance, (bool, int, float)):
        message += "; put it in quotes to keep it as text"
    return message


def _enum(error: _Failure) -> str:
    choices = ", ".join(str(choice) for choice in error.validator_value)
    return f"{describe(error.instance)} is not allowed here; use one of {choices}"


def _const(error: _Failure) -> str:
    return f"{describe(error.instance)} is not allowed here; write {error.validator_value}"


PATTERN_MESSAGES = {
    "^[a-z0-9][a-z0-9-]*$": (
        "is not a valid id; use lowercase letters, digits and hyphens, such as 'psr-ii'"
    ),
    "^[^\\n\\r]*\\S[^\\n\\r]*$": "must be one line of text, not blank and without line breaks",
    "\\S": "is blank; write some text or remove the field",
    "^[0-9]+(\\.[0-9]+){1,2}$": (
        'is not a version; write two or three numbers joined by dots, in quotes, like "2026.1"'
    ),
    "^https?://[^\\s]+$": (
        "is not a web address; it must start with http:// or https:// and have no spaces"
    ),
    "^[0-9]{4}-[0-9]{2}-[0-9]{2}$": "is not a date; write it as YYYY-MM-DD",
    "^[A-Z]{1,3}[0-9]{1,7}$": "is not a cell address such as H12",
}
"""One sentence per pattern used in the schemas (a test checks none is missing)."""


def _pattern(error: _Failure) -> str:
    sentence = PATTERN_MESSAGES.get(str(error.validator_value), "has the wrong form")
    return f"{describe(error.instance)} {sentence}"


def _maximum(error: _Failure) -> str:
    return f"{error.instance!r} is greater than the maximum of {error.validator_value!r}"


def _minimum(error: _Failure) -> str:
    return f"{error.instance!r} is less than the minimum of {error.validator_value!r}"


def _exclusive_minimum(error: _Failure) -> str:
    return f"{error.instance!r} is too small; it must be greater than {error.validator_value!r}"


def _multiple_of(error: _Failure) -> str:
    return f"{error.instance!r} is not a multiple of {error.validator_value!r}; round it"


def _min_items(error: _Failure) -> str:
    wanted = error.validator_value
    if not error.instance:
        return f"the list is empty; add at least {wanted} {'entry' if wanted == 1 else 'entries'}"
    return f"the list has {len(error.instance)} entries; it needs at least {wanted}"


def _max_items(error: _Failure) -> str:
    return (
        f"the list has {len(error.instance)} entries; it may have at most {error.validator_value}"
    )


def _min_length(error: _Failure) -> str:
    del error
    return "the text is empty; write some text or remove the field"


def _max_length(error: _Failure) -> str:
    return (
        f"the text is {len(error.instance):,} characters long; "
        f"shorten it to at most {error.validator_value:,}"
    )


_MESSAGES: dict[str, tuple[Code, Callable[[_Failure], str]]] = {
    "type": (Code.SCHEMA_TYPE, _type),
    "enum": (Code.SCHEMA_ENUM, _enum),
    "const": (Code.SCHEMA_CONST, _const),
    "pattern": (Code.SCHEMA_PATTERN, _pattern),
    "maximum": (Code.SCHEMA_MAXIMUM, _maximum),
    "minimum": (Code.SCHEMA_MINIMUM, _minimum),
    "exclusiveMinimum": (Code.SCHEMA_EXCLUSIVE_MINIMUM, _exclusive_minimum),
    "multipleOf": (Code.SCHEMA_MULTIPLE_OF, _multiple_of),
    "minItems": (Code.SCHEMA_MIN_ITEMS, _min_items),
    "maxItems": (Code.SCHEMA_MAX_ITEMS, _max_items),
    "minLength": (Code.SCHEMA_MIN_LENGTH, _min_length),
    "maxLength": (Code.SCHEMA_MAX_LENGTH, _max_length),
}
"""Each keyword's code and the function that words its error."""
