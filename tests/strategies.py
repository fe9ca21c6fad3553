"""Hypothesis strategies for catalogs, in one place (as attrs keeps its own)."""

from __future__ import annotations

from dataclasses import replace
from types import MappingProxyType
from typing import Any

from hypothesis import strategies as st

from trackerkit import (
    Catalog,
    Category,
    Certification,
    CertificationRequirement,
    Competency,
    Course,
    CourseFormat,
    ProficiencyLevel,
    Requirement,
    Role,
    RoleCompetency,
    RoleCourse,
)

ids = st.from_regex(r"[a-z0-9][a-z0-9-]{0,15}", fullmatch=True)

_characters = st.characters(
    blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\ufeff\x85\ufffe\uffff"
)
lines = st.text(_characters, min_size=1, max_size=60).filter(lambda text: text.strip() != "")
texts = st.lists(lines, min_size=1, max_size=3).map("\n".join)
urls = st.from_regex(r"https://learning\.example\.com/[a-z0-9/_-]{1,20}", fullmatch=True)
hours = st.integers(1, 800).map(lambda quarters: quarters / 4)


def _role_competencies(catalog: dict[str, Competency]) -> st.SearchStrategy[list[RoleCompetency]]:
    return st.lists(
        st.tuples(st.sampled_from(sorted(catalog)), st.integers(1, 5)),
        unique_by=lambda pair: pair[0],
        max_size=len(catalog),
    ).map(lambda pairs: [RoleCompetency(catalog[cid], target) for cid, target in pairs])


def _role_courses(catalog: dict[str, Course]) -> st.SearchStrategy[list[RoleCourse]]:
    if not catalog:
        return st.just([])
    return st.lists(
        st.tuples(st.sampled_from(sorted(catalog)), st.sampled_from(list(Requirement))),
        unique_by=lambda pair: pair[0],
        max_size=len(catalog),
    ).map(lambda pairs: [RoleCourse(catalog[cid], requirement) for cid, requirement in pairs])


certifications = st.lists(
    st.builds(
        Certification,
        id=ids,
        name=lines,
        requirement=st.sampled_from(list(CertificationRequirement)),
        issuer=st.none() | lines,
        note=st.none() | texts,
    ),
    unique_by=lambda item: item.id,
    max_size=3,
)


@st.composite
def _inherit(draw: st.DrawFn, base: Role, own: list[Any], field: str) -> tuple[Any, ...]:
    """Base items (some dropped, some raised or changed), then new ones, as loading resolves."""
    inherited = []
    for item in getattr(base, field):
        if draw(st.booleans()) and draw(st.booleans()):
            continue
        changed = replace(item, inherited_from=item.inherited_from or base.id)
        if field == "competencies":
            changed = replace(changed, target=draw(st.integers(item.target, 5)))
        elif field == "courses":
            changed = replace(changed, requirement=draw(st.sampled_from(list(Requirement))))
        inherited.append(changed)
    taken = {item.id for item in getattr(base, field)}
    return (*inherited, *(item for item in own if item.id not in taken))


@st.composite
def catalogs(draw: st.DrawFn) -> Catalog:
    """Whole catalogs, with roles that may build on earlier ones."""
    scale = tuple(ProficiencyLevel(level, draw(lines), draw(texts)) for level in range(1, 6))
    category_ids = draw(st.lists(ids, min_size=1, max_size=3, unique=True))
    competency_ids = draw(st.lists(ids, min_size=len(category_ids), max_size=8, unique=True))
    competencies: dict[str, Competency] = {}
    categories = []
    for index, category_id in enumerate(category_ids):
        members = competency_ids[index :: len(category_ids)]
        categories.append(
            Category(category_id, draw(lines), draw(st.none() | texts), tuple(members))
        )
        for member in members:
            competencies[member] = Competency(
                member, draw(lines), draw(texts), category_id, categories[-1].name
            )
    courses = {
        course_id: Course(
            id=course_id,
            title=draw(lines),
            provider=draw(lines),
            format=draw(st.sampled_from(list(CourseFormat))),
            hours=draw(hours),
            competencies=tuple(
                draw(st.lists(st.sampled_from(competency_ids), unique=True, max_size=3))
            ),
            url=draw(st.none() | urls),
            description=draw(st.none() | texts),
        )
        for course_id in draw(st.lists(ids, max_size=8, unique=True))
    }
    role_ids = draw(st.lists(ids, min_size=1, max_size=4, unique=True))
    roles: dict[str, Role] = {}
    for position, role_id in enumerate(role_ids):
        base_id = draw(st.none() | st.sampled_from(role_ids[:position])) if position else None
        own_competencies = draw(_role_competencies(competencies))
        own_courses = draw(_role_courses(courses))
        own_certifications = draw(certifications)
        base = roles.get(base_id) if base_id else None
        roles[role_id] = Role(
            id=role_id,
            title=draw(lines),
            family=draw(ids),
            level=draw(st.integers(1, 10)),
            version=draw(st.from_regex(r"[0-9]{1,4}\.[0-9]{1,2}(\.[0-9])?", fullmatch=True)),
            summary=draw(texts),
            work_settings=tuple(draw(st.lists(texts, min_size=1, max_size=3))),
            responsibilities=tuple(draw(st.lists(texts, min_size=1, max_size=3))),
            competencies=draw(_inherit(base, own_competencies, "competencies"))
            if base
            else tuple(own_competencies),
            courses=draw(_inherit(base, own_courses, "courses")) if base else tuple(own_courses),
            certifications=draw(_inherit(base, own_certifications, "certifications"))
            if base
            else tuple(own_certifications),
            next_roles=tuple(
                other
                for other in draw(st.lists(st.sampled_from(role_ids), unique=True, max_size=2))
                if other != role_id
            ),
            builds_on=base_id,
            scale=scale,
        )
    return Catalog(
        scale=scale,
        categories=tuple(categories),
        competencies=MappingProxyType(competencies),
        courses=MappingProxyType(courses),
        roles=MappingProxyType(roles),
    )
