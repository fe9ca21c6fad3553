"""A yes-or-no validity check compiled from a schema, for the common case: a valid file.

jsonschema walks a document keyword by keyword through its dispatch table, and
over valid role files that walk was half of a load. :func:`quick_check` turns a
schema (its ``$ref``s inlined) into nested closures, one per keyword, that only
say valid or not; :func:`schema_errors` still has jsonschema find the errors of
a file the check refuses, worded by :func:`trackerkit.schemas.explain`. This
module sits above :mod:`trackerkit.schemas` (never the other way round) and is
the one loading calls. The check must never pass what jsonschema refuses, so
it knows only the keywords the bundled schemas use, hands the subtle ones (float
``multipleOf``, equality that tells 1 from True) to jsonschema itself, and gives
up on any other, whose schema then always goes to jsonschema. Tests compare the
two on hand-picked and generated documents.

fastjsonschema, which compiles schemas too, does not fit: it knows drafts 4 to 7
only, counts 2.0 as an integer and lets True match 1 in ``enum``, all of which
the strict dialect of :func:`trackerkit.schemas.validator` refuses.
"""

from __future__ import annotations

import numbers
from functools import cache
from typing import TYPE_CHECKING, Any

from trackerkit.schemas import KINDS, anchored, explain, inlined, is_integer, validator

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from typing import TypeAlias

    from jsonschema.protocols import Validator

    from trackerkit.problem_codes import Code
    from trackerkit.strict_yaml import JsonPath

if TYPE_CHECKING:
    _Check: TypeAlias = Callable[[Any], bool]


def schema_errors(kind: str, instance: Any) -> Iterator[tuple[JsonPath, bool, Code, str]]:
    """Each problem as (path, whether the path names a key, its code, message).

    A document the quick check passes has none, so only one that fails it meets
    jsonschema's slower walk, which finds and words every error.
    """
    check = quick_check(kind)
    if check is not None and check(instance):
        return
    seen: set[tuple[JsonPath, str]] = set()
    for error in validator(kind).iter_errors(instance):
        for path, at_key, code, message in explain(error):
            if (path, message) not in seen:
                seen.add((path, message))
                yield path, at_key, code, message


@cache
def quick_check(kind: str) -> _Check | None:
    """Whether a document is valid, without jsonschema's per-keyword dispatch.

    Nearly every file is valid, and walking a valid file keyword by keyword was
    half of a load. This check only says yes or no; jsonschema still words the
    errors of a file it says no to. None when the schema uses a keyword the check
    does not know, so that schema always goes to jsonschema.
    """
    try:
        return _Compiler(validator(kind)).compile(inlined(KINDS[kind]))
    except _UnsupportedError:
        return None


class _UnsupportedError(Exception):
    """A keyword the quick check cannot decide the way jsonschema does."""


_ANNOTATIONS = frozenset(
    {"$schema", "$id", "$defs", "$comment", "title", "description", "default", "examples"}
)
"""Keywords that never make a document invalid."""


def _delegated(keyword: str, value: Any) -> bool:
    """Keywords left to jsonschema itself, one at a time.

    Its float arithmetic (``multipleOf``) and its equality that tells 1 from True
    (``const`` and ``enum`` of anything but text) would be easy to get subtly
    different; in the bundled schemas only ``hours`` meets one.
    """
    if keyword == "const":
        return not isinstance(value, str)
    if keyword == "enum":
        return not (isinstance(value, list) and all(isinstance(item, str) for item in value))
    return keyword == "multipleOf"


def _is_number(value: Any) -> bool:
    return isinstance(value, numbers.Number) and not isinstance(value, bool)


_IS_TYPE: dict[str, Callable[[Any], bool]] = {
    "string": lambda value: isinstance(value, str),
    "integer": is_integer,
    "number": _is_number,
    "boolean": lambda value: isinstance(value, bool),
    "null": lambda value: value is None,
    "array": lambda value: isinstance(value, list),
    "object": lambda value: isinstance(value, dict),
}
"""Draft 2020-12's types, with the integer of :func:`validator`."""


def _valid(_: Any) -> bool:
    return True


def _invalid(_: Any) -> bool:
    return False


class _Compiler:
    """Turns a schema without ``$ref`` into nested closures, one per keyword."""

    def __init__(self, full: Validator) -> None:
        self.full = full

    def compile(self, schema: Any) -> _Check:
        if schema is True or schema is False:
            return _valid if schema else _invalid
        if not isinstance(schema, dict):
            raise _UnsupportedError(repr(schema))
        checks: list[_Check] = []
        delegated: dict[str, Any] = {}
        for keyword, value in schema.items():
            if keyword in _ANNOTATIONS:
                continue
            if _delegated(keyword, value):
                delegated[keyword] = value
            elif keyword in _KEYWORDS:
                checks.append(_KEYWORDS[keyword](self, value, schema))
            else:
                raise _UnsupportedError(keyword)
        if delegated:
            checks.append(self.full.evolve(schema=delegated).is_valid)
        return _every(checks)


def _every(checks: list[_Check]) -> _Check:
    if not checks:
        return _valid
    if len(checks) == 1:
        return checks[0]

    def every(instance: Any) -> bool:
        for check in checks:  # noqa: SIM110 - all() over a generator is a quarter slower here
            if not check(instance):
                return False
        return True

    return every


def _check_type(_: _Compiler, value: Any, __: dict[str, Any]) -> _Check:
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or not all(
        isinstance(name, str) and name in _IS_TYPE for name in names
    ):
        raise _UnsupportedError(f"type {value!r}")
    tests = [_IS_TYPE[name] for name in names]
    if len(tests) == 1:
        return tests[0]
    return lambda instance: any(test(instance) for test in tests)


def _check_const(_: _Compiler, value: Any, __: dict[str, Any]) -> _Check:
    return lambda instance: isinstance(instance, str) and instance == value


def _check_enum(_: _Compiler, value: Any, __: dict[str, Any]) -> _Check:
    allowed = frozenset(value)
    return lambda instance: isinstance(instance, str) and instance in allowed


def _check_pattern(_: _Compiler, value: Any, __: dict[str, Any]) -> _Check:
    search = anchored(value).search
    return lambda instance: not isinstance(instance, str) or search(instance) is not None


def _check_min_length(_: _Compiler, value: Any, __: dict[str, Any]) -> _Check:
    return lambda instance: not isinstance(instance, str) or not len(instance) < value


def _check_max_length(_: _Compiler, value: Any, __: dict[str, Any]) -> _Check:
    return lambda instance: not isinstance(instance, str) or not len(instance) > value


def _check_minimum(_: _Compiler, value: Any, __: dict[str, Any]) -> _Check:
    return lambda instance: not _is_number(instance) or not instance < value


def _check_maximum(_: _Compiler, value: Any, __: dict[str, Any]) -> _Check:
    return lambda instance: not _is_number(instance) or not instance > value


def _check_exclusive_minimum(_: _Compiler, value: Any, __: dict[str, Any]) -> _Check:
    return lambda instance: not _is_number(instance) or not instance <= value


def _check_exclusive_maximum(_: _Compiler, value: Any, __: dict[str, Any]) -> _Check:
    return lambda instance: not _is_number(instance) or not instance >= value


def _check_min_items(_: _Compiler, value: Any, __: dict[str, Any]) -> _Check:
    return lambda instance: not isinstance(instance, list) or not len(instance) < value


def _check_max_items(_: _Compiler, value: Any, __: dict[str, Any]) -> _Check:
    return lambda instance: not isinstance(instance, list) or not len(instance) > value


def _check_required(_: _Compiler, value: Any, __: dict[str, Any]) -> _Check:
    names = list(value)
    return lambda instance: (
        not isinstance(instance, dict) or all(name in instance for name in names)
    )


def _check_all_of(compiler: _Compiler, value: Any, _: dict[str, Any]) -> _Check:
    return _every([compiler.compile(item) for item in value])


def _check_items(compiler: _Compiler, value: Any, schema: dict[str, Any]) -> _Check:
    if "prefixItems" in schema:
        raise _UnsupportedError("prefixItems")
    item = compiler.compile(value)
    return lambda instance: not isinstance(instance, list) or all(map(item, instance))


def _check_properties(compiler: _Compiler, value: Any, _: dict[str, Any]) -> _Check:
    checks = {name: compiler.compile(subschema) for name, subschema in value.items()}

    def properties(instance: Any) -> bool:
        if not isinstance(instance, dict):
            return True
        for name, item in instance.items():
            check = checks.get(name)
            if check is not None and not check(item):
                return False
        return True

    return properties


def _check_additional(compiler: _Compiler, value: Any, schema: dict[str, Any]) -> _Check:
    if "patternProperties" in schema or not isinstance(value, (bool, dict)):
        raise _UnsupportedError("additionalProperties")
    if value is True:
        return _valid
    known = frozenset(schema.get("properties", {}))
    extra = compiler.compile(value) if isinstance(value, dict) else _invalid

    def additional(instance: Any) -> bool:
        if not isinstance(instance, dict):
            return True
        return all(extra(item) for name, item in instance.items() if name not in known)

    return additional


_KEYWORDS: dict[str, Callable[[_Compiler, Any, dict[str, Any]], _Check]] = {
    "type": _check_type,
    "const": _check_const,
    "enum": _check_enum,
    "pattern": _check_pattern,
    "minLength": _check_min_length,
    "maxLength": _check_max_length,
    "minimum": _check_minimum,
    "maximum": _check_maximum,
    "exclusiveMinimum": _check_exclusive_minimum,
    "exclusiveMaximum": _check_exclusive_maximum,
    "minItems": _check_min_items,
    "maxItems": _check_max_items,
    "required": _check_required,
    "allOf": _check_all_of,
    "items": _check_items,
    "properties": _check_properties,
    "additionalProperties": _check_additional,
}
"""One small compiler per keyword, each deciding exactly as jsonschema's keyword does."""
