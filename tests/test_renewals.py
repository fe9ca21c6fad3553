"""Renewals: a course that must be taken again, from its YAML to every figure that counts it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from conftest import COURSES, problems, write_roles
from trackerkit import load_catalog

if TYPE_CHECKING:
    from pathlib import Path


def _renewing(months: str) -> str:
    """The fixture catalogue with the privacy course renewed every ``months``."""
    return COURSES.replace("    hours: 1\n", f"    hours: 1\n    renew_every_months: {months}\n", 1)


def test_a_course_s_renewal_period_is_loaded(tmp_path: Path) -> None:
    catalog = load_catalog(write_roles(tmp_path, courses=_renewing("24")))
    assert catalog.courses["hipaa"].renew_every_months == 24
    assert catalog.courses["listen-101"].renew_every_months is None


@pytest.mark.parametrize(
    ("months", "message"),
    [
        ("0", "courses[0].renew_every_months: 0 is less than the minimum of 1"),
        ("121", "courses[0].renew_every_months: 121 is greater than the maximum of 120"),
    ],
)
def test_a_renewal_period_out_of_range_is_named_at_its_line(
    tmp_path: Path, months: str, message: str
) -> None:
    assert problems(write_roles(tmp_path, courses=_renewing(months))) == [
        f"{tmp_path / 'courses.yaml'}:8:25: {message}"
    ]


def test_the_bundled_compliance_courses_are_renewed_yearly_as_samples() -> None:
    catalog = load_catalog()
    for course_id in ("hipaa-privacy-security", "annual-compliance", "bloodborne-pathogens"):
        course = catalog.courses[course_id]
        assert course.renew_every_months == 12
        assert course.sample is not None
        assert "renewal periods" in course.sample
