"""builds_on: what a role takes over from its base, and in which order."""

from __future__ import annotations

from typing import TYPE_CHECKING

from conftest import LEAD, write_roles
from trackerkit import Requirement, load_catalog

if TYPE_CHECKING:
    from pathlib import Path


def test_inherited_items_come_first_then_new_ones(roles: Path) -> None:
    lead = load_catalog(write_roles(roles)).roles["lead"]
    assert [item.id for item in lead.competencies] == ["listening", "compassion", "coaching"]
    assert [item.id for item in lead.courses] == ["hipaa", "coach-201"]
    assert [item.id for item in lead.certifications] == ["cpt"]


def test_raised_target_replaces_the_inherited_one(roles: Path) -> None:
    lead = load_catalog(write_roles(roles)).roles["lead"]
    assert lead.competency("listening").target == 3
    assert lead.competency("compassion").target == 2


def test_inherited_from_names_the_role_that_introduced_the_item(roles: Path) -> None:
    lead = load_catalog(write_roles(roles)).roles["lead"]
    assert lead.competency("listening").inherited_from == "base"
    assert lead.competency("compassion").inherited_from == "base"
    assert lead.competency("coaching").inherited_from is None
    assert lead.course("coach-201").inherited_from is None


def test_dropped_items_are_gone(roles: Path) -> None:
    lead = load_catalog(write_roles(roles)).roles["lead"]
    assert "listen-101" not in [item.id for item in lead.courses]


def test_requirement_can_change(roles: Path) -> None:
    text = LEAD.replace("courses:\n", "courses:\n  - id: hipaa\n    requirement: recommended\n")
    lead = load_catalog(write_roles(roles, lead=text)).roles["lead"]
    assert lead.course("hipaa").requirement is Requirement.RECOMMENDED
    assert lead.course("hipaa").inherited_from == "base"
    assert [item.id for item in lead.courses] == ["hipaa", "coach-201"]


def test_inheritance_goes_through_several_levels(roles: Path) -> None:
    senior = LEAD.replace("id: lead", "id: senior").replace("builds_on: base", "builds_on: lead")
    senior = senior.replace("target: 3", "target: 4").split("courses:")[0]
    catalog = load_catalog(write_roles(roles, senior=senior))
    role = catalog.roles["senior"]
    assert role.competency("listening").target == 4
    assert role.competency("listening").inherited_from == "base"
    assert role.competency("coaching").inherited_from == "lead"
    assert [item.id for item in role.courses] == ["hipaa", "coach-201"]


def test_base_is_unchanged_by_its_variants(roles: Path) -> None:
    base = load_catalog(write_roles(roles)).roles["base"]
    assert base.competency("listening").target == 2
    assert [item.id for item in base.courses] == ["hipaa", "listen-101"]


def test_a_roles_own_title_link_and_sample_note_are_never_inherited(roles: Path) -> None:
    text = LEAD.replace(
        "id: lead\n",
        "id: lead\nfull_title: Lead of the base\n"
        "job_description_url: https://hr.example.com/lead\nsample: The targets are samples.\n",
    )
    senior = LEAD.replace("id: lead", "id: senior").replace("builds_on: base", "builds_on: lead")
    catalog = load_catalog(write_roles(roles, lead=text, senior=senior.split("courses:")[0]))
    lead, senior_role = catalog.roles["lead"], catalog.roles["senior"]
    assert (lead.long_title, lead.job_description_url) == (
        "Lead of the base",
        "https://hr.example.com/lead",
    )
    assert lead.samples()[0] == "The targets are samples."
    assert senior_role.long_title == senior_role.title
    assert senior_role.job_description_url is None
    assert senior_role.sample is None
