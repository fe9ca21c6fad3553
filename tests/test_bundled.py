"""The bundled career path: it validates, and it is a sound graph of roles."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import BUNDLED_ROLES
from trackerkit import Catalog, CatalogError, Requirement, load_catalog
from trackerkit.problem_codes import Code

ROLES = BUNDLED_ROLES


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def test_every_bundled_role_is_there(catalog: Catalog) -> None:
    assert set(catalog.roles) == set(ROLES)


def test_bundled_roles_are_the_repository_roles(catalog: Catalog) -> None:
    source_tree = Path(__file__).resolve().parents[1] / "roles"
    assert load_catalog(source_tree) == catalog


def test_every_reference_of_the_path_resolves(catalog: Catalog) -> None:
    for role in catalog.roles.values():
        assert role.builds_on is None or role.builds_on in catalog.roles
        assert set(role.next_roles) <= set(catalog.roles)
        for item in role.competencies:
            assert catalog.competencies[item.id] is item.competency
        for course in role.courses:
            assert catalog.courses[course.id] is course.course
            assert set(course.course.competencies) <= set(catalog.competencies)


def test_builds_on_has_no_cycle(catalog: Catalog) -> None:
    for role in catalog.roles.values():
        seen = {role.id}
        current = role.builds_on
        while current is not None:
            assert current not in seen, f"{role.id} reaches {current} twice"
            seen.add(current)
            current = catalog.roles[current].builds_on


def test_the_path_goes_from_psr_i_to_the_group_lead(catalog: Catalog) -> None:
    reachable, frontier = {"psr-i"}, ["psr-i"]
    while frontier:
        for following in catalog.roles[frontier.pop()].next_roles:
            if following not in reachable:
                reachable.add(following)
                frontier.append(following)
    assert {
        "psr-ii",
        "psr-ii-site-lead",
        "psr-ii-float",
        "psr-iii",
        "psr-iv-group-lead",
    } <= reachable


def test_targets_never_fall_along_builds_on(catalog: Catalog) -> None:
    for role in catalog.roles.values():
        if role.builds_on is None:
            continue
        base = catalog.roles[role.builds_on]
        for item in base.competencies:
            if any(mine.id == item.id for mine in role.competencies):
                assert role.competency(item.id).target >= item.target


def test_targets_grow_from_entry_to_group_lead(catalog: Catalog) -> None:
    def mean_target(role_id: str) -> float:
        targets = [item.target for item in catalog.roles[role_id].competencies]
        return sum(targets) / len(targets)

    path = ["psr-i", "psr-ii", "psr-iii", "psr-iv-group-lead"]
    means = [mean_target(role_id) for role_id in path]
    assert means == sorted(means)
    assert means[0] < means[-1]


LAB_BASICS = {
    "hipaa-privacy-security",
    "bloodborne-pathogens",
    "lab-safety-infection-control",
    "patient-identification-and-labeling",
    "specimen-processing-transport",
    "venipuncture-fundamentals",
    "order-of-draw",
}
FRONT_OFFICE_BASICS = {"hipaa-privacy-security", "insurance-verification", "scheduling-system"}


@pytest.mark.parametrize("role_id", ROLES)
def test_every_role_requires_the_technical_basics(catalog: Catalog, role_id: str) -> None:
    role = catalog.roles[role_id]
    required = {item.id for item in role.courses if item.requirement is Requirement.REQUIRED}
    basics = FRONT_OFFICE_BASICS if role_id == "patient-service-representative" else LAB_BASICS
    assert basics <= required, sorted(basics - required)


def test_front_office_certifications_are_optional(catalog: Catalog) -> None:
    role = catalog.roles["patient-service-representative"]
    names = {item.name: item.requirement.value for item in role.certifications}
    assert any("CMAA" in name for name in names)
    assert any("CPSS" in name for name in names)
    assert set(names.values()) == {"optional"}


def test_course_catalog_says_it_is_a_sample() -> None:
    header = (Path(__file__).resolve().parents[1] / "roles" / "courses.yaml").read_text("utf-8")
    assert "SAMPLE" in header.split("kind:")[0].upper()


def test_every_bundled_course_carries_its_catalogs_sample_note(catalog: Catalog) -> None:
    assert all(course.sample for course in catalog.courses.values())
    for role in catalog.roles.values():
        assert role.samples()
        assert all(note.strip() for note in role.samples())


def test_every_bundled_role_says_its_target_levels_are_samples(catalog: Catalog) -> None:
    """The career path pages name no target levels, so every role file marks them."""
    for role in catalog.roles.values():
        assert role.sample is not None
        assert "target" in role.sample
        assert "sample" in role.sample
        assert role.samples()[0] == role.sample


def test_psr_iii_is_marked_as_wholly_sample_content(catalog: Catalog) -> None:
    """No career path page describes PSR III: its note says everything in the file is sample."""
    note = catalog.roles["psr-iii"].sample
    assert note is not None
    assert "no page for PSR III" in note
    assert "everything in this file" in note


def test_strict_loading_names_every_sample_note_at_its_key() -> None:
    with pytest.raises(CatalogError) as caught:
        load_catalog(strict=True)
    problems = caught.value.problems
    assert {problem.code for problem in problems} == {Code.SAMPLE_CONTENT}
    roles = Path(__file__).resolve().parents[1] / "roles"
    marked = [file for file in roles.rglob("*.yaml") if "\nsample:" in file.read_text("utf-8")]
    assert sorted(Path(problem.file).name for problem in problems) == sorted(
        file.name for file in marked
    )
    assert {file.parent.name for file in marked} == {"roles", "stories"}
    for problem in problems:
        assert problem.line is not None
        file = next(file for file in marked if file.name == Path(problem.file).name)
        line = file.read_text("utf-8").splitlines()[problem.line - 1]
        assert (line.startswith("sample:"), problem.column) == (True, 1)
        assert problem.message.endswith("replace the sample content, then delete this note")


def test_short_titles_have_the_sources_full_title(catalog: Catalog) -> None:
    for role in catalog.roles.values():
        if role.title.startswith("PSR "):
            assert role.long_title == "Patient Services Representative " + role.title[4:]
        else:
            assert role.long_title == role.title


def test_scale_has_five_ordered_levels(catalog: Catalog) -> None:
    assert [level.level for level in catalog.scale] == [1, 2, 3, 4, 5]
    assert len({level.name for level in catalog.scale}) == 5
