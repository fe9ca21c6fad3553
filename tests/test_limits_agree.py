"""The limits of validate, build and read agree: a tracker build writes is always readable."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from conftest import problems, write_roles
from trackerkit import catalog as catalog_module
from trackerkit.model import Requirement
from trackerkit.reader import read_tracker
from trackerkit.writer import tracker_bytes

if TYPE_CHECKING:
    from pathlib import Path

    import pytest

    from trackerkit import Catalog, Role


def largest(role: Role, tag: str, *, half: bool = False) -> Role:
    """``role`` with as many courses and competencies as a tracker may hold (or half as many),
    all its own and required."""
    share = 2 if half else 1
    course, competency = role.courses[0], role.competencies[0]
    courses = tuple(
        dataclasses.replace(
            course,
            course=dataclasses.replace(
                course.course, id=f"{tag}-course-{n}", title=f"Course {n} " + "x" * 60
            ),
            requirement=Requirement.REQUIRED,
        )
        for n in range(catalog_module.MAX_ROLE_COURSES // share)
    )
    competencies = tuple(
        dataclasses.replace(
            competency,
            competency=dataclasses.replace(
                competency.competency, id=f"{tag}-skill-{n}", name=f"Skill {n} " + "y" * 30
            ),
        )
        for n in range(catalog_module.MAX_ROLE_COMPETENCIES // share)
    )
    return dataclasses.replace(role, id=f"{tag}-role", courses=courses, competencies=competencies)


def test_the_largest_tracker_a_catalog_accepts_is_one_reading_accepts(bundled: Catalog) -> None:
    """The role's own rows and those only its next role asks, together at the limits."""
    target = largest(bundled.roles["psr-iii"], "next", half=True)
    role = dataclasses.replace(
        largest(bundled.roles["psr-ii"], "now", half=True), next_roles=(target.id,)
    )
    catalog = dataclasses.replace(bundled, roles={role.id: role, target.id: target})
    tracker = read_tracker(tracker_bytes(role, target=target), catalog=catalog)
    assert tracker.errors == ()
    # The role's entries and, on the Next Role sheet, those only its target asks: all read.
    assert set(tracker.courses) == {c.id for c in (*role.courses, *target.courses)}
    assert set(tracker.competencies) == {c.id for c in (*role.competencies, *target.competencies)}
    assert tracker.readiness is not None
    assert len(tracker.courses) == catalog_module.MAX_ROLE_COURSES
    assert len(tracker.competencies) == catalog_module.MAX_ROLE_COMPETENCIES
    assert tracker.readiness.courses_required == catalog_module.MAX_ROLE_COURSES // 2


def test_a_role_over_the_limit_is_a_problem_at_its_list(
    roles: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(catalog_module, "MAX_ROLE_COURSES", 1)
    write_roles(roles)
    found = [line for line in problems(roles) if "so that it can be read back" in line]
    said = (
        " its own and those only its next roles ask; a tracker holds at most 1, so that it can "
        "be read back; split the role or its next roles"
    )
    # base lists two courses, and lead (its next role) requires one more; lead lists two.
    assert [line.split(": ", 1)[1] for line in found] == [
        f"courses: the role's tracker would list 3 courses,{said}",
        f"courses: the role's tracker would list 2 courses,{said}",
    ]
    assert [line.split(":", 1)[0] for line in found] == ["roles/base.yaml", "roles/lead.yaml"]
