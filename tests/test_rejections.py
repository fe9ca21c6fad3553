"""One small bad file per rule: each gets one exact line naming file, line and column."""

from __future__ import annotations

import codecs
from typing import TYPE_CHECKING

import pytest

from conftest import BASE, LEAD, problems, write_roles
from expected_codes import check_roles
from trackerkit import CatalogError, load_catalog
from trackerkit import catalog as catalog_module

if TYPE_CHECKING:
    from pathlib import Path

    from trackerkit.errors import Problem

ROLE_HEAD = """\
kind: role
id: extra
title: Extra role
family: patient-services
level: 1
version: "1.0"
summary: A role used by one test.
work_settings: [Patient service center]
responsibilities: [Collect specimens]
"""


@pytest.fixture(autouse=True)
def codes_match_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every problem a test here meets carries the code its message calls for."""

    class CheckedCatalogError(CatalogError):
        def __init__(self, problems: tuple[Problem, ...] | list[Problem]) -> None:
            check_roles(problems)
            super().__init__(problems)

    monkeypatch.setattr(catalog_module, "CatalogError", CheckedCatalogError)


def only(folder: Path) -> str:
    found = problems(folder)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            ROLE_HEAD + "courses:\n\t- id: hipaa\n",
            "roles/extra.yaml:11:1: a tab is used for indentation; indent with spaces",
            id="tab",
        ),
        pytest.param(
            ROLE_HEAD + "---\nkind: role\n",
            "roles/extra.yaml:10:1: a second document starts here; keep one document per file",
            id="two-documents",
        ),
        pytest.param(
            "- kind: role\n",
            "roles/extra.yaml:1:1: the top level must be a mapping of 'key: value' lines",
            id="top-level-list",
        ),
        pytest.param(
            "",
            "roles/extra.yaml:1:1: the file is empty; a role file starts with 'kind:'",
            id="empty",
        ),
        pytest.param(
            "# only a comment\n",
            "roles/extra.yaml:1:1: the file holds no data; a role file starts with 'kind:'",
            id="only-comment",
        ),
        pytest.param(
            ROLE_HEAD + "next_roles: &x [base]\n",
            "roles/extra.yaml:10:13: anchors (&x) are not allowed; write values out in full, "
            "or put text that starts with & in quotes",
            id="anchor",
        ),
        pytest.param(
            ROLE_HEAD.replace("title: Extra role", "title: !!python/object:os.system x"),
            "roles/extra.yaml:3:8: tags such as 'tag:yaml.org,2002:python/object:os.system' "
            "are not allowed; remove it, or put text that starts with ! in quotes",
            id="python-tag",
        ),
        pytest.param(
            ROLE_HEAD + "1: one\n",
            "roles/extra.yaml:10:1: the key 1 is not text; field names must be words such as 'id'",
            id="number-key",
        ),
        pytest.param(
            ROLE_HEAD + "? [a, b]\n: c\n",
            "roles/extra.yaml:10:3: a list or mapping cannot be a key; field names must be words",
            id="list-key",
        ),
        pytest.param(
            ROLE_HEAD + "x:" + " [" * 40 + " ]" * 40 + "\n",
            "roles/extra.yaml:10:66: the data is nested more than 32 levels deep; "
            "check the brackets and indentation here",
            id="deep-nesting",
        ),
        pytest.param(
            ROLE_HEAD + "notes: \x07\n",
            "roles/extra.yaml:10:8: character U+0007 is not allowed in YAML; remove it",
            id="control-character",
        ),
    ],
)
def test_malformed_yaml_is_one_clear_line(roles: Path, text: str, expected: str) -> None:
    write_roles(roles, extra=text)
    assert only(roles) == expected


def test_syntax_error_names_the_place_and_what_to_check(roles: Path) -> None:
    write_roles(roles, extra=ROLE_HEAD + "courses: [\n")
    line = only(roles)
    # the middle is libyaml's own description of the problem, which varies by version
    assert line.startswith("roles/extra.yaml:11:1: YAML syntax error: ")
    assert line.endswith("(while parsing a flow node); check the indentation and quoting here")


def test_alias_is_refused(roles: Path) -> None:
    write_roles(roles, extra=ROLE_HEAD + "next_roles: *places\n")
    assert only(roles) == (
        "roles/extra.yaml:10:13: aliases (*name) are not allowed; write the value out in full, "
        "or put text that starts with * in quotes"
    )


def test_alias_bomb_is_refused_at_its_first_anchor(roles: Path) -> None:
    lines = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    write_roles(roles, extra="\n".join(lines) + "\n")
    assert only(roles) == (
        "roles/extra.yaml:1:5: anchors (&a0) are not allowed; write values out in full, "
        "or put text that starts with & in quotes"
    )


def test_duplicate_keys_name_both_lines(roles: Path) -> None:
    write_roles(roles, extra=ROLE_HEAD + "title: Second title\n")
    assert only(roles) == (
        "roles/extra.yaml:10:1: title: 'title' is given twice, on lines 3 and 10; keep one of them"
    )


def test_duplicates_inside_a_duplicate_are_found_and_the_first_value_is_kept(
    roles: Path,
) -> None:
    # The second 'drop' is read only for its own problems; positions stay with the first.
    drops = "drop:\n  courses: [hipaa]\ndrop:\n  courses: [x]\n  courses: [y]\n"
    write_roles(roles, extra=ROLE_HEAD + drops)
    assert problems(roles) == [
        "roles/extra.yaml:10:1: drop: 'drop' only applies to a role that builds on another; "
        "add builds_on or remove it",
        "roles/extra.yaml:12:1: drop: 'drop' is given twice, on lines 10 and 12; keep one of them",
        "roles/extra.yaml:14:3: drop.courses: 'courses' is given twice, on lines 13 and 14; "
        "keep one of them",
    ]


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("no", "no"),
        ("on", "on"),
        ("yes", "yes"),
        ("1:20", "1:20"),
        ("0755", "0755"),
        ("2024-01-31", "2024-01-31"),
        ("0x1F", "0x1F"),
        (".inf", ".inf"),
        ("~x", "~x"),
    ],
)
def test_yaml_1_1_lookalikes_stay_text(roles: Path, value: str, shown: str) -> None:
    write_roles(roles, base=BASE.replace("title: Base role", f"title: {value}"))
    assert load_catalog(roles).roles["base"].title == shown


@pytest.mark.parametrize(
    ("value", "column", "expected"),
    [
        ("true", 8, "expected text, got 'true'; put it in quotes to keep it as text"),
        ("1.5", 8, "expected text, got the number 1.5; put it in quotes to keep it as text"),
        ("", 7, "expected text, got nothing (the value is empty)"),
    ],
)
def test_values_that_are_not_text_where_text_is_expected(
    roles: Path, value: str, column: int, expected: str
) -> None:
    write_roles(roles, base=BASE.replace("title: Base role", f"title: {value}"))
    assert only(roles) == f"roles/base.yaml:3:{column}: title: {expected}"


def test_binary_file(roles: Path) -> None:
    write_roles(roles)
    (roles / "extra.yaml").write_bytes(b"kind: role\n\x00\x01\x02")
    assert only(roles) == (
        "roles/extra.yaml:2:1: the file is binary, not text; save it as UTF-8 text"
    )


def test_file_that_is_not_utf8(roles: Path) -> None:
    write_roles(roles)
    (roles / "extra.yaml").write_bytes("kind: role\ntitle: caf\xe9\n".encode("latin-1"))
    assert only(roles) == (
        "roles/extra.yaml:2:11: byte 0xe9 is not UTF-8 text; save the file as UTF-8"
    )


def test_utf16_with_bom_is_decoded(roles: Path) -> None:
    write_roles(roles, base=None)
    text = BASE.replace("Base role", "Base rôle")
    (roles / "base.yaml").write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    assert load_catalog(roles).roles["base"].title == "Base rôle"


def test_file_over_the_size_cap(roles: Path) -> None:
    write_roles(roles)
    (roles / "extra.yaml").write_bytes(b"# " + b"x" * (3 * 1024 * 1024) + b"\n")
    assert (
        only(roles)
        == "roles/extra.yaml:1:1: the file is larger than 2 MiB; split it into several files"
    )


def test_text_longer_than_an_excel_cell(roles: Path) -> None:
    write_roles(roles, base=BASE.replace("Draws blood at", "Draws " + "very " * 6600 + "at"))
    assert only(roles) == (
        "roles/base.yaml:7:10: summary: the text is 33,034 characters long; a spreadsheet cell "
        "holds at most 32,767, so shorten it"
    )


def test_text_that_looks_like_a_formula_is_kept_as_text(roles: Path) -> None:
    write_roles(roles, base=BASE.replace("title: Base role", "title: \"=HYPERLINK('x')\""))
    assert load_catalog(roles).roles["base"].title == "=HYPERLINK('x')"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "title: Base role",
            "title: Base role\nxyz: red",
            "roles/base.yaml:4:1: xyz: unknown field 'xyz'; the fields allowed here are "
            "builds_on, certifications, competencies, courses, drop, family, full_title, id, "
            "job_description_url, kind, level, next_roles, responsibilities, sample, summary, "
            "title, version, work_settings",
        ),
        (
            "title: Base role",
            "titel: Base role",
            "roles/base.yaml:3:1: titel: unknown field 'titel'; did you mean 'title'?",
        ),
        (
            "title: Base role",
            "titel: Base role",
            "roles/base.yaml:1:1: 'title' is missing; add it "
            "(the role's title as trackers show it)",
        ),
        (
            "level: 1",
            "level: one",
            "roles/base.yaml:5:8: level: expected a whole number, got 'one'",
        ),
        (
            "    target: 2\n  - id: compassion",
            "    target: 7\n  - id: compassion",
            "roles/base.yaml:12:13: competencies[0].target: 7 is greater than the maximum of 5",
        ),
        (
            "    target: 2\n  - id: compassion",
            "    target: 0\n  - id: compassion",
            "roles/base.yaml:12:13: competencies[0].target: 0 is less than the minimum of 1",
        ),
        (
            "id: base",
            "id: Base_Role",
            "roles/base.yaml:2:5: id: 'Base_Role' is not a valid id; use lowercase letters, digits "
            "and hyphens, such as 'psr-ii'",
        ),
        (
            'version: "1.0"',
            "version: 1.0",
            "roles/base.yaml:6:10: version: expected text, got the number 1.0; put it in quotes to "
            "keep it as text",
        ),
        (
            "requirement: elective",
            "requirement: optional",
            "roles/base.yaml:19:18: courses[1].requirement: 'optional' is not allowed here; "
            "use one "
            "of required, recommended, elective",
        ),
        (
            "work_settings: [Patient service center]",
            "work_settings: []",
            "roles/base.yaml:8:16: work_settings: the list is empty; add at least 1 entry",
        ),
    ],
)
def test_schema_violations(roles: Path, old: str, new: str, expected: str) -> None:
    assert old in BASE
    write_roles(roles, base=BASE.replace(old, new))
    found = problems(roles)
    assert expected in found
    # a misspelt field is also a missing one, and a renamed role breaks the role built on it
    assert len(found) == (2 if new.startswith(("titel", "id: Base_Role")) else 1), found


def test_unknown_kind(roles: Path) -> None:
    write_roles(roles, extra="kind: rol\nid: x\n")
    assert only(roles) == (
        "roles/extra.yaml:1:7: kind: 'rol' is not a kind of file; use one of 'kind: role', "
        "'kind: competencies', 'kind: courses', 'kind: story'"
    )


def test_missing_kind(roles: Path) -> None:
    write_roles(roles, extra="id: x\n")
    assert only(roles) == (
        "roles/extra.yaml:1:1: 'kind' is missing; start the file with one of 'kind: role', "
        "'kind: competencies', 'kind: courses', 'kind: story'"
    )


@pytest.mark.parametrize(
    ("name", "old", "new", "expected"),
    [
        (
            "base",
            "  - id: compassion",
            "  - id: compasion",
            "roles/base.yaml:13:9: competencies[1].id: unknown competency 'compasion'; "
            "did you mean 'compassion'?",
        ),
        (
            "base",
            "  - id: hipaa",
            "  - id: first-aid",
            "roles/base.yaml:16:9: courses[0].id: unknown course 'first-aid'; define it first or "
            "fix the course id",
        ),
        (
            "lead",
            "builds_on: base",
            "builds_on: bse",
            "roles/lead.yaml:10:12: builds_on: unknown role 'bse'; did you mean 'base'?",
        ),
        (
            "base",
            "next_roles: [lead]",
            "next_roles: [lead, senior]",
            "roles/base.yaml:24:20: next_roles[1]: unknown role 'senior'; define it first or fix "
            "the role id",
        ),
        (
            "base",
            "next_roles: [lead]",
            "next_roles: [base]",
            "roles/base.yaml:24:14: next_roles[0]: a role cannot be its own next role",
        ),
        (
            "base",
            "  - id: compassion",
            "  - id: listening",
            "roles/base.yaml:13:9: competencies[1].id: 'listening' is listed twice (first on line "
            "11); remove one",
        ),
        (
            "lead",
            "drop:\n  courses: [listen-101]",
            "drop:\n  courses: [hipaa, hipaa]",
            "roles/lead.yaml:20:20: drop.courses[1]: 'hipaa' is listed twice (first on line 20); "
            "remove one",
        ),
        (
            "lead",
            "  courses: [listen-101]",
            "  courses: [coach-201]",
            "roles/lead.yaml:20:13: drop.courses[0]: 'coach-201' is not inherited from base, so it "
            "cannot be dropped",
        ),
        (
            "lead",
            "  courses: [listen-101]",
            "  competencies: [listening]",
            "roles/lead.yaml:20:18: drop.competencies[0]: 'listening' is both dropped and "
            "listed in "
            "competencies; keep one",
        ),
        (
            "lead",
            "    target: 3\n  - id: coaching",
            "    target: 1\n  - id: coaching",
            "roles/lead.yaml:13:13: competencies[0].target: 1 is lower than the target of 2 that "
            "base sets; targets may only rise along the path",
        ),
        (
            "base",
            "next_roles: [lead]",
            "next_roles: [lead]\ndrop:\n  courses: [hipaa]",
            "roles/base.yaml:25:1: drop: 'drop' only applies to a role that builds on another; add "
            "builds_on or remove it",
        ),
        (
            "base",
            "title: Base role",
            "title: Base role\nbuilds_on: base",
            "roles/base.yaml:4:12: builds_on: a role cannot build on itself; remove it",
        ),
    ],
)
def test_reference_problems(roles: Path, name: str, old: str, new: str, expected: str) -> None:
    original = {"base": BASE, "lead": LEAD}[name]
    assert old in original
    write_roles(roles, **{name: original.replace(old, new)})
    assert only(roles) == expected


def test_duplicate_ids_across_files(roles: Path) -> None:
    write_roles(roles, copy=BASE)
    assert only(roles) == (
        "roles/copy.yaml:2:5: id: the role id 'base' is already used at roles/base.yaml:2:5; "
        "ids must be unique"
    )


def test_builds_on_cycle_is_reported_for_each_role_in_it(roles: Path) -> None:
    write_roles(roles, base=BASE.replace("title: Base role", "title: Base role\nbuilds_on: lead"))
    assert problems(roles) == [
        "roles/base.yaml:4:12: builds_on: builds_on goes round in a circle (base → lead → base); "
        "one of these roles must not build on the other",
        "roles/lead.yaml:10:12: builds_on: builds_on goes round in a circle (lead → base → lead); "
        "one of these roles must not build on the other",
    ]


def test_every_problem_of_a_folder_is_reported(roles: Path) -> None:
    write_roles(
        roles,
        base=BASE.replace("level: 1", "level: 11"),
        lead=LEAD.replace("builds_on: base", "builds_on: bse"),
        extra=ROLE_HEAD + "courses: [{id: hipaa, requirement: maybe}]\n",
    )
    assert problems(roles) == [
        "roles/base.yaml:5:8: level: 11 is greater than the maximum of 10",
        "roles/extra.yaml:10:36: courses[0].requirement: 'maybe' is not allowed here; "
        "use one of required, recommended, elective",
        "roles/lead.yaml:10:12: builds_on: unknown role 'bse'; did you mean 'base'?",
    ]


def test_references_wait_while_a_file_cannot_be_read(roles: Path) -> None:
    # The unreadable file might be the one defining 'bse'; guessing "unknown" would mislead.
    write_roles(
        roles,
        lead=LEAD.replace("builds_on: base", "builds_on: bse"),
        extra="kind: role\n\tid: x\n",
    )
    assert problems(roles) == [
        "roles/extra.yaml:2:1: a tab is used for indentation; indent with spaces",
    ]


def test_a_broken_course_file_does_not_make_variants_lose_inherited_courses(roles: Path) -> None:
    from conftest import COURSES

    write_roles(roles, courses=COURSES.replace("hours: 2.5", "hours: 0"))
    assert problems(roles) == [
        "roles/courses.yaml:13:12: courses[1].hours: 0 is too small; it must be greater than 0",
    ]


def test_a_role_with_a_bad_reference_does_not_mislead_its_variants(roles: Path) -> None:
    write_roles(roles, base=BASE.replace("  - id: listen-101", "  - id: listen-11"))
    assert problems(roles) == [
        "roles/base.yaml:18:9: courses[1].id: unknown course 'listen-11'; did you mean "
        "'listen-101'?",
    ]


def test_a_malformed_id_is_one_problem_not_two(roles: Path) -> None:
    write_roles(roles, base=BASE.replace("  - id: compassion", "  - id: Compassion"))
    assert problems(roles) == [
        "roles/base.yaml:13:9: competencies[1].id: 'Compassion' is not a valid id; use "
        "lowercase letters, digits and hyphens, such as 'psr-ii'",
    ]


def test_keys_are_shown_as_written(roles: Path) -> None:
    write_roles(roles, extra=ROLE_HEAD + "True: yes\n")
    assert only(roles) == (
        "roles/extra.yaml:10:1: the key True is not text; field names must be words such as 'id'"
    )


def test_line_breaks_in_a_one_line_field_are_shown_escaped(roles: Path) -> None:
    write_roles(roles, base=BASE.replace("title: Base role", 'title: "Base\\nrole"'))
    assert only(roles) == (
        "roles/base.yaml:3:8: title: 'Base\\nrole' must be one line of text, not blank and "
        "without line breaks"
    )


def test_missing_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(CatalogError) as caught:
        load_catalog("nowhere")
    assert [str(p) for p in caught.value.problems] == [
        "nowhere: does not exist; name the folder of role files"
    ]


def test_folder_without_scale(roles: Path) -> None:
    from conftest import COMPETENCIES

    without_scale = (
        COMPETENCIES.split("scale:")[0] + "categories:" + COMPETENCIES.split("categories:")[1]
    )
    write_roles(roles, competencies=without_scale)
    assert only(roles) == (
        "roles/competencies.yaml: no file defines the proficiency scale; add 'scale' to the "
        "competency catalog"
    )


def test_a_chain_leading_into_a_cycle_is_reported_and_does_not_hang(roles: Path) -> None:
    looped = LEAD.replace("builds_on: base", "builds_on: senior")
    senior = LEAD.replace("id: lead", "id: senior").split("competencies:")[0]
    junior = LEAD.replace("id: lead", "id: junior").replace("builds_on: base", "builds_on: lead")
    write_roles(
        roles,
        lead=looped,
        senior=senior.replace("builds_on: base", "builds_on: lead"),
        junior=junior,  # builds on the circle without being on it: no problem of its own
    )
    assert [line.split(": ", 1)[0] for line in problems(roles)] == [
        "roles/lead.yaml:10:12",
        "roles/senior.yaml:10:12",
    ]


def test_course_naming_an_unknown_competency(roles: Path) -> None:
    from conftest import COURSES

    write_roles(roles, courses=COURSES.replace("competencies: [coaching]", "competencies: [coach]"))
    assert only(roles) == (
        "roles/courses.yaml:21:20: courses[2].competencies[0]: unknown competency 'coach'; "
        "did you mean 'coaching'?"
    )


def test_a_missing_competency_catalog_is_one_problem(roles: Path) -> None:
    write_roles(roles, competencies=None)
    assert problems(roles) == [
        "roles: no competency catalog found; add a file with 'kind: competencies'"
    ]


def test_a_missing_course_catalog_is_one_problem(roles: Path) -> None:
    write_roles(roles, courses=None)
    assert problems(roles) == ["roles: no course catalog found; add a file with 'kind: courses'"]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "level: 1",
            "level: 1e400",
            "roles/base.yaml:5:8: level: expected a whole number, got '1e400'",
        ),
        (
            "level: 1",
            "level: " + "9" * 5000,
            "roles/base.yaml:5:8: level: expected a whole number, got '" + "9" * 37 + "...'",
        ),
        (
            "level: 1",
            "level: 2.0",
            "roles/base.yaml:5:8: level: expected a whole number, got the number 2.0",
        ),
        (
            "    target: 2\n  - id: compassion",
            "    target: 3.0\n  - id: compassion",
            "roles/base.yaml:12:13: competencies[0].target: expected a whole number, got the "
            "number 3.0",
        ),
    ],
)
def test_numbers_that_do_not_fit_are_reported_not_crashed_on(
    roles: Path, old: str, new: str, expected: str
) -> None:
    write_roles(roles, base=BASE.replace(old, new))
    assert only(roles) == expected


def test_huge_hours_are_reported_not_crashed_on(roles: Path) -> None:
    from conftest import COURSES

    write_roles(roles, courses=COURSES.replace("hours: 2.5", "hours: 1e400"))
    assert (
        only(roles) == "roles/courses.yaml:13:12: courses[1].hours: expected a number, got '1e400'"
    )


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "id: base",
            'id: "base\\n"',
            "roles/base.yaml:2:5: id: 'base\\n' is not a valid id; use lowercase letters, digits "
            "and hyphens, such as 'psr-ii'",
        ),
        (
            'version: "1.0"',
            'version: "1.0\\n"',
            "roles/base.yaml:6:10: version: '1.0\\n' is not a version; write two or three numbers "
            'joined by dots, in quotes, like "2026.1"',
        ),
        (
            "title: Base role",
            "title: >\n  Base role",
            "roles/base.yaml:3:8: title: 'Base role\\n' must be one line of text, not blank and "
            "without line breaks",
        ),
    ],
)
def test_a_trailing_line_break_does_not_pass_a_pattern(
    roles: Path, old: str, new: str, expected: str
) -> None:
    write_roles(roles, base=BASE.replace(old, new))
    assert expected in problems(roles)


def test_an_id_with_a_trailing_line_break_does_not_silently_drop_the_item(roles: Path) -> None:
    write_roles(roles, base=BASE.replace("  - id: hipaa", '  - id: "hipaa\\n"'))
    assert only(roles) == (
        "roles/base.yaml:16:9: courses[0].id: 'hipaa\\n' is not a valid id; use lowercase "
        "letters, digits and hyphens, such as 'psr-ii'"
    )


@pytest.mark.parametrize("escape", ["\\x07", "\\x00", "\\e", "\\uFFFE"])
def test_control_characters_written_as_escapes_are_refused(roles: Path, escape: str) -> None:
    write_roles(roles, base=BASE.replace("title: Base role", f'title: "Base{escape} role"'))
    code = {"\\x07": "0007", "\\x00": "0000", "\\e": "001B", "\\uFFFE": "FFFE"}[escape]
    assert only(roles) == (
        f"roles/base.yaml:3:8: title: the text holds the control character U+{code}, which a "
        "spreadsheet cannot hold; remove it"
    )


def test_an_unreadable_catalog_is_not_also_reported_as_missing(roles: Path) -> None:
    from conftest import COMPETENCIES

    write_roles(roles, competencies=COMPETENCIES + "\tfoo\n")
    assert problems(roles) == [
        "roles/competencies.yaml:21:1: a tab is used for indentation; indent with spaces"
    ]


@pytest.mark.parametrize("text", ["+1 555", "-5 years", "@front desk"])
def test_text_starting_with_formula_characters_is_kept(roles: Path, text: str) -> None:
    write_roles(roles, base=BASE.replace("title: Base role", f'title: "{text}"'))
    assert load_catalog(roles).roles["base"].title == text


def test_tabs_inside_block_text_are_text(roles: Path) -> None:
    summary = "summary: >-\n  Draws blood.\n  \tIndented point.\n"
    write_roles(
        roles, base=BASE.replace("summary: Draws blood at a patient service center.\n", summary)
    )
    assert load_catalog(roles).roles["base"].summary == "Draws blood.\n\tIndented point."


def test_syntax_error_says_where_the_unclosed_value_started(roles: Path) -> None:
    write_roles(roles, base=BASE.replace("title: Base role", "title: [Base role"))
    line = only(roles)
    assert line.startswith("roles/base.yaml:4:7: YAML syntax error: ")
    assert line.endswith(
        "(while parsing a flow sequence that starts on line 3); "
        "check the indentation and quoting here"
    )


def test_utf16_without_byte_order_mark(roles: Path) -> None:
    write_roles(roles, base=None)
    (roles / "base.yaml").write_bytes(BASE.encode("utf-16-le"))
    assert only(roles) == (
        "roles/base.yaml:1:1: the file is UTF-16 without a byte-order mark; save it as UTF-8"
    )


def test_damaged_utf16(roles: Path) -> None:
    write_roles(roles, base=None)
    (roles / "base.yaml").write_bytes(
        codecs.BOM_UTF16_LE + "kind".encode("utf-16-le") + b"\x00\xd8"
    )
    assert only(roles) == "roles/base.yaml:1:1: the file is damaged UTF-16 text; save it as UTF-8"


def test_yaml_1_1_directive_is_refused(roles: Path) -> None:
    write_roles(roles, base="%YAML 1.1\n---\n" + BASE)
    assert only(roles) == (
        "roles/base.yaml:1:1: the file asks for YAML 1.1; remove the %YAML line "
        "(trackerkit reads YAML 1.2)"
    )


@pytest.mark.parametrize(
    ("key", "column", "shown"),
    [("~", 1, "the key ~"), ("? ", 2, "an empty key"), ("null", 1, "the key null")],
)
def test_null_and_empty_keys(roles: Path, key: str, column: int, shown: str) -> None:
    write_roles(
        roles,
        extra=ROLE_HEAD + f"{key}\n: orphan\n" if key == "? " else ROLE_HEAD + f"{key}: orphan\n",
    )
    assert only(roles) == (
        f"roles/extra.yaml:10:{column}: {shown} is not text; field names must be words such as 'id'"
    )


def test_upper_case_suffix_is_read(roles: Path) -> None:
    write_roles(roles, lead=None)
    (roles / "LEAD.YAML").write_text(LEAD, encoding="utf-8")
    assert "lead" in load_catalog(roles).roles


def test_dangling_link_is_reported(roles: Path) -> None:
    write_roles(roles)
    (roles / "gone.yaml").symlink_to(roles / "nowhere.yaml")
    assert only(roles) == "roles/gone.yaml: cannot be read (No such file or directory)"


def test_a_folder_nested_a_thousand_deep_is_reported_not_a_crash(roles: Path) -> None:
    write_roles(roles)
    levels = [roles / "a"]
    for _ in range(999):  # one level at a time: mkdir(parents=True) recurses per level
        levels.append(levels[-1] / "a")
    for level in levels:
        level.mkdir()
    (levels[-1] / "lost.yaml").write_text("kind: role\n", encoding="utf-8")
    depth = catalog_module.MAX_FOLDER_DEPTH
    shown = "roles/" + "/".join(["a"] * (depth + 1))
    try:
        assert only(roles) == (
            f"{shown}: is nested more than {depth} folders deep, so it was not searched; "
            "move its role files up"
        )
    finally:  # bottom up: pytest's own clean-up of old temporary folders recurses per level
        (levels[-1] / "lost.yaml").unlink()
        for level in reversed(levels):
            level.rmdir()


def test_hidden_and_linked_folders_are_not_searched(roles: Path) -> None:
    write_roles(roles)
    (roles / ".git").mkdir()
    (roles / ".git" / "broken.yaml").write_text("kind: [", encoding="utf-8")
    (roles / "loop").symlink_to(roles, target_is_directory=True)  # a loop, were it entered
    assert "lead" in load_catalog(roles).roles


def test_folder_without_yaml_files(roles: Path) -> None:
    roles.mkdir()
    assert problems(roles) == ["roles: holds no .yaml files; add role files"]


def test_a_file_instead_of_a_folder(roles: Path) -> None:
    roles.write_text("kind: role\n", encoding="utf-8")
    assert problems(roles) == ["roles: is not a folder; name the folder of role files"]


def test_scale_defined_twice(roles: Path) -> None:
    from conftest import COMPETENCIES

    second = COMPETENCIES.replace("id: people", "id: others").replace("id: listening", "id: a")
    second = second.replace("id: compassion", "id: b").replace("id: coaching", "id: c")
    write_roles(roles, more=second)
    assert only(roles) == (
        "roles/more.yaml:2:1: scale: the scale is already defined in roles/competencies.yaml; "
        "keep one scale"
    )


def test_scale_out_of_order(roles: Path) -> None:
    from conftest import COMPETENCIES

    swapped = COMPETENCIES.replace("{level: 1,", "{level: 9,").replace("{level: 2,", "{level: 1,")
    write_roles(roles, competencies=swapped.replace("{level: 9,", "{level: 2,"))
    assert problems(roles) == [
        "roles/competencies.yaml:3:13: scale[0].level: level 2 is in position 1; "
        "list the levels 1 to 5 in order",
        "roles/competencies.yaml:4:13: scale[1].level: level 1 is in position 2; "
        "list the levels 1 to 5 in order",
    ]


@pytest.mark.parametrize(
    ("name", "old", "new", "expected"),
    [
        (
            "competencies",
            "",
            "      - {id: listening, name: Again, definition: Again.}\n",
            "roles/competencies.yaml:21:14: categories[0].competencies[3].id: the competency id "
            "'listening' is already used at roles/competencies.yaml:12:13; ids must be unique",
        ),
        (
            "courses",
            "",
            "  - {id: hipaa, title: Again, provider: X, format: elearning, hours: 1, "
            "competencies: []}\n",
            "roles/courses.yaml:22:10: courses[3].id: the course id 'hipaa' is already used at "
            "roles/courses.yaml:3:9; ids must be unique",
        ),
        (
            "base",
            "  - id: cpt",
            "  - id: cpt\n    name: Again\n    requirement: optional\n  - id: cpt",
            "roles/base.yaml:24:9: certifications[1].id: 'cpt' is listed twice (first on line 21); "
            "remove one",
        ),
    ],
)
def test_duplicate_ids_inside_one_file(
    roles: Path, name: str, old: str, new: str, expected: str
) -> None:
    from conftest import COMPETENCIES, COURSES

    original = {"competencies": COMPETENCIES, "courses": COURSES, "base": BASE}[name]
    changed = original.replace(old, new, 1) if old else original + new
    assert changed != original
    write_roles(roles, **{name: changed})
    assert only(roles) == expected


def test_duplicate_category_ids_across_files(roles: Path) -> None:
    more = "kind: competencies\ncategories:\n  - id: people\n    name: Again\n    competencies:\n"
    more += "      - {id: other, name: Other, definition: Does other things.}\n"
    write_roles(roles, more=more)
    assert only(roles) == (
        "roles/more.yaml:3:9: categories[0].id: the category id 'people' is already used at "
        "roles/competencies.yaml:9:9; ids must be unique"
    )


def test_an_over_long_title_is_one_problem(roles: Path) -> None:
    write_roles(roles, base=BASE.replace("title: Base role", "title: " + "x" * 40_000))
    assert only(roles) == (
        "roles/base.yaml:3:8: title: the text is 40,000 characters long; shorten it to at most 255"
    )
