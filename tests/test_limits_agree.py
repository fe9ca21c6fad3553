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


def largest(role: Role, tag: str) -> Role:
    """``role`` at the most courses and competencies a role may list, all new and required."""
    course, competency = role.courses[0], role.competencies[0]
    courses = tuple(
        dataclasses.replace(
            course,
            course=dataclasses.replace(
                course.course, id=f"{tag}-course-{n}", title=f"Course {n} " + "x" * 60
            ),
            requirement=Requirement.REQUIRED,
        )
        for n in range(catalog_module.MAX_ROLE_COURSES)
    )
    competencies = tuple(
        dataclasses.replace(
            competency,
            competency=dataclasses.replace(
                competency.competency, id=f"{tag}-skill-{n}", name=f"Skill {n} " + "y" * 30
            ),
        )
        for n in range(catalog_module.MAX_ROLE_COMPETENCIES)
    )
    return dataclasses.replace(role, id=f"{tag}-role", courses=courses, competencies=competencies)


def test_the_largest_role_a_catalog_accepts_builds_a_tracker_reading_accepts(
    bundled: Catalog,
) -> None:
    target = largest(bundled.roles["psr-iii"], "next")
    role = dataclasses.replace(largest(bundled.roles["psr-ii"], "now"), next_roles=(target.id,))
    catalog = dataclasses.replace(bundled, roles={role.id: role, target.id: target})
    tracker = read_tracker(tracker_bytes(role, target=target), catalog=catalog)
    assert tracker.errors == ()
    assert len(tracker.courses) == catalog_module.MAX_ROLE_COURSES
    assert len(tracker.competencies) == catalog_module.MAX_ROLE_COMPETENCIES


def test_a_role_over_the_limit_is_a_problem_at_its_list(
    roles: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(catalog_module, "MAX_ROLE_COURSES", 1)
    write_roles(roles)
    found = [line for line in problems(roles) if "so that it can be read back" in line]
    assert found
    assert all(
        line.endswith(
            "courses: the role lists 2 courses, with those it builds on; a tracker holds at "
            "most 1, so that it can be read back; split the role"
        )
        for line in found
    )
