"""Shared fixtures: a small valid roles folder that each test bends one way."""

from __future__ import annotations

import os
import textwrap
from typing import TYPE_CHECKING

import pytest
from hypothesis import HealthCheck, settings

from libreoffice import (
    libreoffice_fixture,  # noqa: F401 - the `libreoffice` fixture
    report_restarts,
)
from trackerkit import Catalog, CatalogError, load_catalog

if TYPE_CHECKING:
    from pathlib import Path

BUNDLED_ROLES = (
    "psr-i",
    "psr-ii",
    "psr-ii-site-lead",
    "psr-ii-float",
    "psr-iii",
    "psr-iv-group-lead",
    "patient-service-representative",
)
"""The career path the package ships, written out by hand as the product's spec."""

settings.register_profile(
    "default", max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("deep", settings.get_profile("default"), max_examples=3000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

COMPETENCIES = """\
kind: competencies
scale:
  - {level: 1, name: Learning, description: Follows the steps with help.}
  - {level: 2, name: Developing, description: Does routine cases alone.}
  - {level: 3, name: Proficient, description: Handles most cases alone.}
  - {level: 4, name: Advanced, description: Handles hard cases and helps others.}
  - {level: 5, name: Expert, description: Sets the standard others follow.}
categories:
  - id: people
    name: Working with people
    competencies:
      - id: listening
        name: Listening
        definition: Lets patients finish and checks what they meant.
      - id: compassion
        name: Compassion
        definition: Notices when a patient is anxious and eases it.
      - id: coaching
        name: Coaching
        definition: Helps a colleague get better at a draw.
"""

COURSES = """\
kind: courses
courses:
  - id: hipaa
    title: Patient privacy essentials
    provider: Compliance Office
    format: elearning
    hours: 1
    competencies: []
  - id: listen-101
    title: Listening at the front desk
    provider: Learning team
    format: instructor-led
    hours: 2.5
    url: https://learning.example.com/listen-101
    competencies: [listening]
  - id: coach-201
    title: Coaching new colleagues
    provider: Learning team
    format: on-the-job
    hours: 4
    competencies: [coaching]
"""

BASE = """\
kind: role
id: base
title: Base role
family: patient-services
level: 1
version: "1.0"
summary: Draws blood at a patient service center.
work_settings: [Patient service center]
responsibilities: [Collect specimens]
competencies:
  - id: listening
    target: 2
  - id: compassion
    target: 2
courses:
  - id: hipaa
    requirement: required
  - id: listen-101
    requirement: elective
certifications:
  - id: cpt
    name: Certified Phlebotomy Technician
    requirement: required
next_roles: [lead]
"""

LEAD = """\
kind: role
id: lead
title: Lead role
family: patient-services
level: 2
version: "1.0"
summary: Leads a site.
work_settings: [Patient service center]
responsibilities: [Coach colleagues]
builds_on: base
competencies:
  - id: listening
    target: 3
  - id: coaching
    target: 3
courses:
  - id: coach-201
    requirement: required
drop:
  courses: [listen-101]
"""


def write_roles(folder: Path, **files: str | None) -> Path:
    """Write the valid fixture folder, with ``files`` (name without .yaml) replaced."""
    contents: dict[str, str | None] = {
        "competencies": COMPETENCIES,
        "courses": COURSES,
        "base": BASE,
        "lead": LEAD,
    }
    contents.update(files)
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in contents.items():
        if text is not None:
            (folder / f"{name}.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


def problems(folder: Path) -> list[str]:
    """The problems a folder loads with, as the lines the CLI prints."""
    with pytest.raises(CatalogError) as caught:
        load_catalog(folder)
    return [str(problem) for problem in caught.value.problems]


@pytest.fixture
def roles(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty folder ``roles`` under a working directory, so paths print short."""
    monkeypatch.chdir(tmp_path)
    return tmp_path / "roles"


@pytest.fixture(scope="session")
def bundled() -> Catalog:
    """The bundled career path, loaded once."""
    return load_catalog()


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, config: pytest.Config
) -> None:
    report_restarts(terminalreporter, config)


@pytest.fixture
def codes_match_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every problem a read meets carries the code its message calls for."""
    from expected_codes import check_workbook
    from trackerkit import reader

    read = reader._TrackerReader.read

    def checked(self: reader._TrackerReader) -> reader.FilledTracker:
        tracker = read(self)
        check_workbook(tracker.problems)
        return tracker

    monkeypatch.setattr(reader._TrackerReader, "read", checked)
