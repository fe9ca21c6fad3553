"""Hypothesis strategies for catalogs and for what people enter in trackers, in one place."""

from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import replace
from types import MappingProxyType
from typing import Any

from hypothesis import strategies as st

from trackerkit import (
    Catalog,
    Category,
    Certification,
    CertificationEntry,
    CertificationRequirement,
    Competency,
    CompetencyEntry,
    Course,
    CourseEntry,
    CourseFormat,
    Discussion,
    Employee,
    Entries,
    NextStep,
    OwnCourse,
    ProficiencyLevel,
    Requirement,
    Role,
    RoleCompetency,
    RoleCourse,
    Status,
    Story,
)
from trackerkit.codecs import EARLIEST_DATE, LATEST_DATE

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
    course_sample = draw(st.none() | texts)
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
            sample=course_sample,
            renew_every_months=draw(st.none() | st.integers(1, 120)),
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
            full_title=draw(st.none() | lines),
            job_description_url=draw(st.none() | urls),
            sample=draw(st.none() | texts),
        )
    stories = tuple(
        Story(
            person=draw(lines),
            from_role=draw(st.sampled_from(role_ids)),
            to_role=draw(st.sampled_from(role_ids)),
            text=draw(texts),
            sample=draw(st.none() | texts),
        )
        for _ in range(draw(st.integers(0, 2)))
    )
    return Catalog(
        scale=scale,
        categories=tuple(categories),
        competencies=MappingProxyType(competencies),
        courses=MappingProxyType(courses),
        roles=MappingProxyType(roles),
        stories=stories,
    )


# --- what people enter in a tracker --------------------------------------------------------

_cell_characters = st.characters(blacklist_categories=["Cs"], blacklist_characters="\ufffe\uffff")
"""Anything a cell can hold: XlsxWriter escapes control characters as _xHHHH_."""


_STAND_INS = bytes(b"abcdxy \n"[byte % 8] for byte in range(256))
"""Each byte value to one of eight ASCII letters; x and y then become é and ✓."""


def _long_text(seed: int, length: int) -> str:
    """Random text over "abcdé✓ \\n", each character equally likely.

    Random bytes translated in C: drawing character by character took about a third
    of the read-back properties' time.
    """
    noise = random.Random(seed).randbytes(length)  # noqa: S311 - test text
    return noise.translate(_STAND_INS).decode("ascii").replace("x", "é").replace("y", "✓")


_longest = st.builds(_long_text, st.integers(0, 2**32), st.integers(32_000, 32_767))
"""Text at Excel's limit of 32,767 characters a cell, varied like real text: one character
repeated would compress past the zip-bomb check, which no real tracker comes near."""
cell_texts = st.text(_cell_characters, max_size=40) | _longest

_ESCAPED = re.compile(r"_x[0-9A-Fa-f]{4}_")


def _not_escaped(text: str) -> bool:
    return _ESCAPED.search(text) is None


_openpyxl_characters = st.characters(
    blacklist_categories=("Cs", "Cc"),
    blacklist_characters="\ufffe\uffff",
    whitelist_characters="\n\t",
)
openpyxl_texts = st.text(_openpyxl_characters, max_size=40).filter(_not_escaped) | _longest
"""What openpyxl can store faithfully: it refuses control characters, writes a carriage
return raw (XML turns it into a line feed) and does not escape a literal ``_x0041_``."""


days = st.dates(EARLIEST_DATE, LATEST_DATE)
PAST = dt.date(2025, 12, 31)
"""Completion dates are drawn up to this day: before any day the tests read as of."""


@st.composite
def course_entries(
    draw: st.DrawFn,
    start: dt.date | None,
    text: st.SearchStrategy[str] = cell_texts,
    *,
    agreeing: bool = True,
) -> CourseEntry:
    """One course's entry whose status and dates agree, for a person who started on
    ``start``; or, not ``agreeing``, any status with any dates, as a person may type them."""
    status = draw(st.sampled_from(list(Status)))
    if not agreeing:
        return CourseEntry(status, draw(st.none() | days), draw(st.none() | days), draw(text))
    return CourseEntry(
        status=status,
        target_date=draw(st.none() | st.dates(start or EARLIEST_DATE, LATEST_DATE)),
        completed_on=(draw(st.dates(EARLIEST_DATE, PAST)) if status is Status.COMPLETED else None),
        notes=draw(text),
    )


@st.composite
def certification_entries(draw: st.DrawFn) -> CertificationEntry:
    """One certification's dates, which agree as reading checks them: it expires no earlier
    than it was obtained."""
    obtained = draw(st.none() | days)
    expires = draw(st.none() | st.dates(obtained or EARLIEST_DATE, LATEST_DATE))
    return CertificationEntry(obtained, expires)


@st.composite
def own_courses(
    draw: st.DrawFn, start: dt.date | None, text: st.SearchStrategy[str] = cell_texts
) -> OwnCourse:
    """One course of the person's own, with a title, status and dates that agree, and hours
    in quarters (what people type)."""
    entry = draw(course_entries(start, text))
    return OwnCourse(
        title=draw(text.filter(bool)),
        id=draw(text),
        provider=draw(text),
        hours=draw(st.none() | st.integers(0, 4 * 10_000).map(lambda n: n / 4)),
        status=entry.status,
        target_date=entry.target_date,
        completed_on=entry.completed_on,
        notes=entry.notes,
    )


@st.composite
def entries_for(
    draw: st.DrawFn,
    role: Role,
    text: st.SearchStrategy[str] = cell_texts,
    max_steps: int = 12,
    *,
    agreeing: bool = True,
) -> Entries:
    """What a person may have entered in ``role``'s tracker; untouched rows are left out.

    Each course's status and dates agree, as reading checks them (:func:`course_entries`):
    a completion date in the past exactly when Completed, no target date before the start
    date in role. Not ``agreeing``, they are drawn freely."""
    start = draw(st.none() | days)
    courses = {
        item.id: draw(course_entries(start, text, agreeing=agreeing))
        for item in role.courses
        if draw(st.booleans())
    }
    ratings = st.none() | st.integers(1, 5)
    competencies = {
        item.id: CompetencyEntry(draw(ratings), draw(ratings), draw(text))
        for item in role.competencies
        if draw(st.booleans())
    }
    steps = st.builds(
        NextStep,
        action=text,
        owner=text,
        due=st.none() | days,
        status=st.none() | st.sampled_from(list(Status)),
    ).filter(lambda step: not step.is_blank)
    return Entries(
        employee=Employee(
            name=draw(text),
            employee_id=draw(text),
            manager=draw(text),
            location=draw(text),
            current_role=draw(text),
            target_role=draw(text),
            start_date=start,
        ),
        discussion=Discussion(
            goals_1y=draw(text),
            goals_3y=draw(text),
            strengths=draw(text),
            development=draw(text),
            support=draw(text),
            next_steps=tuple(draw(st.lists(steps, max_size=max_steps))),
        ),
        courses=MappingProxyType(courses),
        competencies=MappingProxyType(competencies),
        certifications=MappingProxyType(
            {
                item.id: draw(certification_entries())
                for item in role.certifications
                if draw(st.booleans())
            }
        ),
        own_courses=tuple(draw(st.lists(own_courses(start, text), max_size=3))),
    )
