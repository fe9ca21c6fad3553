"""Write a catalog back out as YAML files that load into the same catalog.

The YAML is emitted with the same narrowed YAML 1.2 rules the loader reads
with, so any text that would read back as a number, boolean or null is
quoted, and nothing else is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import yaml

from trackerkit import atomic
from trackerkit.strict_yaml import resolve_plain

if TYPE_CHECKING:
    import os

    from trackerkit.model import Catalog, Role


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.yaml_implicit_resolvers = {}


class _ReadsAs:
    """Matches the plain scalars that the loader reads as one type."""

    def __init__(self, kind: type) -> None:
        self.kind = kind

    def match(self, value: str) -> bool:
        return type(resolve_plain(value)) is self.kind


for _tag, _kind in (("null", type(None)), ("bool", bool), ("int", int), ("float", float)):
    _Dumper.add_implicit_resolver(f"tag:yaml.org,2002:{_tag}", _ReadsAs(_kind), None)


def dump_yaml(data: Any) -> str:
    """YAML text for plain data, readable by trackerkit's strict loader."""
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100, indent=2)


def catalog_documents(catalog: Catalog) -> dict[str, dict[str, Any]]:
    """The files of a roles folder for ``catalog``, by file name."""
    documents: dict[str, dict[str, Any]] = {
        "competencies.yaml": {
            "kind": "competencies",
            "scale": [
                {"level": level.level, "name": level.name, "description": level.description}
                for level in catalog.scale
            ],
            "categories": [
                _without_none(
                    {
                        "id": category.id,
                        "name": category.name,
                        "description": category.description,
                        "competencies": [
                            {
                                "id": competency.id,
                                "name": competency.name,
                                "definition": competency.definition,
                            }
                            for competency in map(catalog.competencies.get, category.competencies)
                            if competency is not None
                        ],
                    }
                )
                for category in catalog.categories
            ],
        },
    }
    if catalog.courses:
        samples = {course.sample for course in catalog.courses.values()}
        documents["courses.yaml"] = {
            "kind": "courses",
            **({"sample": samples.pop()} if len(samples) == 1 and None not in samples else {}),
            "courses": [
                _without_none(
                    {
                        "id": course.id,
                        "title": course.title,
                        "provider": course.provider,
                        "format": course.format.value,
                        "hours": course.hours,
                        "renew_every_months": course.renew_every_months,
                        "url": course.url,
                        "description": course.description,
                        "competencies": list(course.competencies),
                    }
                )
                for course in catalog.courses.values()
            ],
        }
    for role in catalog.roles.values():
        base = catalog.roles.get(role.builds_on) if role.builds_on else None
        documents[f"{role.id}.yaml"] = role_document(role, base)
    width = len(str(len(catalog.stories)))
    for number, story in enumerate(catalog.stories, start=1):  # named so they load in order
        documents[f"stories/story-{number:0{width}d}.yaml"] = _without_none(
            {
                "kind": "story",
                "sample": story.sample,
                "person": story.person,
                "from_role": story.from_role,
                "to_role": story.to_role,
                "text": story.text,
            }
        )
    return documents


def role_document(role: Role, base: Role | None = None) -> dict[str, Any]:
    """A role file that resolves to ``role``: against ``base``, only what differs."""
    competencies = [
        {"id": item.id, "target": item.target}
        for item in role.competencies
        if base is None or _changed(item, base.competencies, ("target",))
    ]
    courses = [
        {"id": item.id, "requirement": item.requirement.value}
        for item in role.courses
        if base is None or _changed(item, base.courses, ("requirement",))
    ]
    certifications = [
        _without_none(
            {
                "id": item.id,
                "name": item.name,
                "issuer": item.issuer,
                "requirement": item.requirement.value,
                "note": item.note,
            }
        )
        for item in role.certifications
        if base is None
        or _changed(item, base.certifications, ("name", "issuer", "requirement", "note"))
    ]
    drop = {}
    if base is not None:
        for key, mine, theirs in (
            ("competencies", role.competencies, base.competencies),
            ("courses", role.courses, base.courses),
            ("certifications", role.certifications, base.certifications),
        ):
            kept = {item.id for item in mine}
            gone = [item.id for item in theirs if item.id not in kept]
            if gone:
                drop[key] = gone
    document: dict[str, Any] = {
        "kind": "role",
        "id": role.id,
        "title": role.title,
        "full_title": role.full_title,
        "job_description_url": role.job_description_url,
        "sample": role.sample,
        "family": role.family,
        "level": role.level,
        "version": role.version,
        "summary": role.summary,
        "work_settings": list(role.work_settings),
        "responsibilities": list(role.responsibilities),
        "builds_on": role.builds_on,
        "next_roles": list(role.next_roles) or None,
        "competencies": competencies or None,
        "courses": courses or None,
        "certifications": certifications or None,
        "drop": drop or None,
    }
    return _without_none(document)


def _changed(item: Any, inherited: tuple[Any, ...], fields: tuple[str, ...]) -> bool:
    for other in inherited:
        if other.id == item.id:
            return any(getattr(item, name) != getattr(other, name) for name in fields)
    return True


def _without_none(mapping: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in mapping.items() if value is not None}


def dump_catalog(catalog: Catalog, directory: str | os.PathLike[str]) -> list[str]:
    """Write ``catalog`` as a roles folder; return the names of the files written."""
    from pathlib import Path

    folder = Path(directory)
    documents = catalog_documents(catalog)
    for name, document in documents.items():
        atomic.write_bytes(folder / name, dump_yaml(document).encode("utf-8"))
    return list(documents)
