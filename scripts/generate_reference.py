"""Write docs/reference.md from the descriptions in schemas/.

The schemas are the single source of the field reference: run this script
after changing one. ``--check`` exits 1 when the file on disk is stale, which
the test suite uses so a forgotten regeneration fails CI.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from generated_file import write_or_check

ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = ROOT / "schemas"
OUTPUT = ROOT / "docs" / "reference.md"

FILES = (
    ("role.schema.json", "Role files"),
    ("competencies.schema.json", "The competency catalog"),
    ("courses.schema.json", "The course catalog"),
    ("story.schema.json", "Career stories"),
)

PATTERNS = {
    "^[a-z0-9][a-z0-9-]*$": "lowercase letters, digits and hyphens",
    "^[^\\n\\r]*\\S[^\\n\\r]*$": "one line, not blank",
    "\\S": "not blank",
    "^[0-9]+(\\.[0-9]+){1,2}$": "numbers and dots, in quotes",
    "^https?://[^\\s]+$": "starts with http:// or https://",
}
"""How each pattern of the schemas reads to a person."""

HEADER = """\
# Field reference

Every field a file in `roles/` may hold, generated from the JSON Schemas in
`schemas/` by `scripts/generate_reference.py`. Do not edit this page by hand:
change the schema's `description` and run the script again.

A file's first line, `kind:`, says which of the three kinds below it is.
"""


def load(name: str) -> dict[str, Any]:
    """A schema whose local references (``#/...``) are rewritten to name their file."""
    text = (SCHEMAS / name).read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text.replace('"$ref": "#', f'"$ref": "{name}#'))
    return schema


def resolve(node: dict[str, Any]) -> dict[str, Any]:
    """Follow a $ref to its definition, keeping the keywords written beside it."""
    reference = node.get("$ref")
    if not reference:
        return node
    document, _, pointer = reference.partition("#")
    target = load(document)
    for part in pointer.strip("/").split("/"):
        target = target[part]
    merged = {**resolve(target), **node}
    merged.pop("$ref")
    return merged


def kind_of(node: dict[str, Any], schema: dict[str, Any]) -> str:
    node = resolve(node)
    if "const" in node:
        return f"`{node['const']}`"
    if "enum" in node:
        return "one of " + ", ".join(f"`{value}`" for value in node["enum"])
    kind = node.get("type", "")
    if kind == "array":
        item = node.get("items", {})
        item_kind = resolve(item)
        named = item.get("$ref", "").rpartition("/")[2]
        if item_kind.get("type") == "object":
            return f"list of [{named.replace('_', ' ')}](#{anchor(schema, named)})"
        return f"list of {kind_of(item, schema)}"
    words = {"string": "text", "integer": "whole number", "number": "number", "object": "fields"}
    return str(words.get(kind, kind))


def limits(node: dict[str, Any]) -> str:
    node = resolve(node)
    parts = []
    for keyword, text in (
        ("minimum", "at least {}"),
        ("exclusiveMinimum", "more than {}"),
        ("maximum", "at most {}"),
        ("multipleOf", "a multiple of {}"),
        ("minItems", "at least {} entries"),
        ("maxItems", "at most {} entries"),
        ("maxLength", "at most {} characters"),
    ):
        if keyword in node:
            parts.append(text.format(node[keyword]))
    if "pattern" in node:
        parts.append(PATTERNS[node["pattern"]])
    return "; ".join(parts)


def anchor(schema: dict[str, Any], name: str) -> str:
    return f"{schema['title']}-{name}".lower().replace(" ", "-").replace("_", "-")


def table(node: dict[str, Any], schema: dict[str, Any]) -> list[str]:
    required = set(node.get("required", ()))
    rows = ["| Field | Kind | Required | Limits | Meaning |", "|---|---|---|---|---|"]
    for name, child in node.get("properties", {}).items():
        if resolve(child).get("type") == "object" and "properties" in child:
            kind = f"[fields](#{anchor(schema, name)})"
        else:
            kind = kind_of(child, schema)
        meaning = " ".join(child["description"].split()).replace("|", "\\|")
        rows.append(
            f"| `{name}` | {kind} | {'yes' if name in required else 'no'} | "
            f"{limits(child)} | {meaning} |"
        )
    return rows


def section(name: str, heading: str) -> list[str]:
    schema = load(name)
    lines = [f"## {heading}", "", schema["description"], "", *table(schema, schema), ""]
    nested = {
        key: value
        for key, value in schema.get("properties", {}).items()
        if value.get("type") == "object" and "properties" in value
    }
    for key, value in [*nested.items(), *schema.get("$defs", {}).items()]:
        lines += [
            f'<a id="{anchor(schema, key)}"></a>',
            f"### {schema['title']}: {key.replace('_', ' ')}",
            "",
            " ".join(value["description"].split()),
            "",
            *table(value, schema),
            "",
        ]
    return lines


def render() -> str:
    lines = [HEADER]
    for name, heading in FILES:
        lines += section(name, heading)
    return "\n".join(lines).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    about = __doc__.splitlines()[0] if __doc__ else ""
    return write_or_check(OUTPUT, render, "generate_reference.py", argv, about)


if __name__ == "__main__":
    sys.exit(main())
