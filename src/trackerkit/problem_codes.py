"""Every problem's machine code, declared once with what it means and what to do.

A message is for the person; a code is for the program that reads JSON: it
never changes once released, so a tool keys on ``status.unknown`` instead of
matching English. Each :class:`Code` member carries its meaning and the fix,
and the docs list them from here (a test ties each page's table to this
registry both ways). Making a problem needs a member, so a code cannot be
misspelled where the problem is made.
"""

from __future__ import annotations

from enum import Enum


class Scope(str, Enum):
    """Where a code is met, and so which page of the docs lists it."""

    ROLES = "roles"
    """Loading and validating role files: docs/authoring.md."""
    ROSTER = "roster"
    """The roster and completions CSVs: docs/trackers.md."""
    WORKBOOK = "workbook"
    """Reading filled trackers and rolling them up: docs/reading.md."""


_R, _C, _W = Scope.ROLES, Scope.ROSTER, Scope.WORKBOOK


class Code(str, Enum):
    """A problem's stable code: its value is the dotted text that JSON shows."""

    _value_: str
    scope: Scope
    meaning: str
    """What went wrong, in one sentence."""
    action: str
    """What to do about it, in one sentence."""

    def __new__(cls, code: str, scope: Scope, meaning: str, action: str) -> Code:  # noqa: PYI034 - an Enum member, not an instance of a subclass
        member = str.__new__(cls, code)
        member._value_ = code
        member.scope = scope
        member.meaning = meaning
        member.action = action
        return member

    # --- role files: reading the YAML ------------------------------------------------------
    FILE_UNREADABLE = (
        "file.unreadable",
        _R,
        "The file cannot be opened.",
        "Check its permissions, or that another program is not holding it.",
    )
    FOLDER_MISSING = (
        "folder.missing",
        _R,
        "The roles folder does not exist or is not a folder.",
        "Name the folder that holds the role files.",
    )
    FOLDER_EMPTY = (
        "folder.empty",
        _R,
        "The roles folder holds no .yaml files.",
        "Add the role files, or name the right folder.",
    )
    ROLE_TOO_LARGE = (
        "role.too_large",
        _R,
        "A role's tracker would hold more courses or competencies than can be read back.",
        "Split the role or its next roles, or trim their courses or competencies.",
    )
    FOLDER_TOO_DEEP = (
        "folder.too_deep",
        _R,
        "A folder inside the roles folder is nested too deep to be searched.",
        "Move its role files up, closer to the roles folder.",
    )
    YAML_TOO_LARGE = (
        "yaml.too_large",
        _R,
        "The file is larger than a role file can be.",
        "Split it into several files.",
    )
    YAML_ENCODING = (
        "yaml.encoding",
        _R,
        "The file is not UTF-8 text (or is damaged UTF-16).",
        "Save it as UTF-8.",
    )
    YAML_BINARY = (
        "yaml.binary",
        _R,
        "The file holds binary data, not text.",
        "Save it as UTF-8 text.",
    )
    YAML_EMPTY = (
        "yaml.empty",
        _R,
        "The file is empty or holds no data.",
        "Start it with a 'kind:' line.",
    )
    YAML_SYNTAX = (
        "yaml.syntax",
        _R,
        "The YAML cannot be parsed here.",
        "Check the indentation and quoting at the line given.",
    )
    YAML_TAB = (
        "yaml.tab",
        _R,
        "A tab indents a line.",
        "Indent with spaces.",
    )
    YAML_CHARACTER = (
        "yaml.character",
        _R,
        "A character YAML does not allow.",
        "Remove it.",
    )
    YAML_NOT_MAPPING = (
        "yaml.not_mapping",
        _R,
        "The top level is not a mapping of 'key: value' lines.",
        "Write the file as 'key: value' lines.",
    )
    YAML_VERSION = (
        "yaml.version",
        _R,
        "A %YAML line asks for a YAML version other than 1.2.",
        "Remove the %YAML line.",
    )
    YAML_DOCUMENTS = (
        "yaml.documents",
        _R,
        "A second YAML document starts in the file.",
        "Keep one document per file.",
    )
    YAML_ALIAS = (
        "yaml.alias",
        _R,
        "An alias (*name).",
        "Write the value out in full, or quote text that starts with *.",
    )
    YAML_ANCHOR = (
        "yaml.anchor",
        _R,
        "An anchor (&name).",
        "Write values out in full, or quote text that starts with &.",
    )
    YAML_TAG = (
        "yaml.tag",
        _R,
        "A tag such as !!str.",
        "Remove it, or quote text that starts with !.",
    )
    YAML_KEY = (
        "yaml.key",
        _R,
        "A key that is not text: a number, an empty key, a list or a mapping.",
        "Use field names that are words, such as 'id'.",
    )
    YAML_DUPLICATE_KEY = (
        "yaml.duplicate_key",
        _R,
        "The same key is given twice in one mapping.",
        "Keep one of them.",
    )
    YAML_TOO_DEEP = (
        "yaml.too_deep",
        _R,
        "The data is nested deeper than a role file needs.",
        "Check the brackets and indentation.",
    )
    TEXT_CONTROL_CHARACTER = (
        "text.control_character",
        _R,
        "Text holds a control character, which a spreadsheet cell cannot hold.",
        "Remove it.",
    )
    TEXT_TOO_LONG = (
        "text.too_long",
        _R,
        (
            "Text is longer than a spreadsheet cell holds (32,767 characters), alone or as "
            "the tracker joins it (a responsibility after its bullet, the work settings)."
        ),
        "Shorten it.",
    )
    # --- role files: the schemas -----------------------------------------------------------
    KIND_MISSING = (
        "kind.missing",
        _R,
        "The file has no 'kind' field.",
        "Start the file with 'kind: role', 'kind: competencies', 'kind: courses' or 'kind: story'.",
    )
    KIND_UNKNOWN = (
        "kind.unknown",
        _R,
        "The 'kind' is not one trackerkit knows.",
        "Use 'role', 'competencies', 'courses' or 'story'.",
    )
    SCHEMA_REQUIRED = (
        "schema.required",
        _R,
        "A required field is missing.",
        "Add it.",
    )
    SCHEMA_UNKNOWN_FIELD = (
        "schema.unknown_field",
        _R,
        "A field this kind of entry does not have (often a typo).",
        "Fix its name or remove it.",
    )
    SCHEMA_TYPE = (
        "schema.type",
        _R,
        "A value of the wrong type, such as a number where text belongs.",
        "Write the kind of value the message names; quote text that looks like a number.",
    )
    SCHEMA_ENUM = (
        "schema.enum",
        _R,
        "A value that is not one of the allowed choices.",
        "Use one of the choices the message lists.",
    )
    SCHEMA_CONST = (
        "schema.const",
        _R,
        "A value that must be exactly one thing.",
        "Write the value the message gives.",
    )
    SCHEMA_PATTERN = (
        "schema.pattern",
        _R,
        "A value of the wrong form: an id, a version, a web address, a date.",
        "Write it in the form the message describes.",
    )
    SCHEMA_MAXIMUM = (
        "schema.maximum",
        _R,
        "A number above the largest allowed.",
        "Lower it.",
    )
    SCHEMA_MINIMUM = (
        "schema.minimum",
        _R,
        "A number below the smallest allowed.",
        "Raise it.",
    )
    SCHEMA_EXCLUSIVE_MINIMUM = (
        "schema.exclusive_minimum",
        _R,
        "A number that must be greater than a limit is not.",
        "Raise it above the limit.",
    )
    SCHEMA_MULTIPLE_OF = (
        "schema.multiple_of",
        _R,
        "A number that is not a multiple of the step allowed (hours in quarters).",
        "Round it.",
    )
    SCHEMA_MIN_ITEMS = (
        "schema.min_items",
        _R,
        "A list with too few entries.",
        "Add entries.",
    )
    SCHEMA_MAX_ITEMS = (
        "schema.max_items",
        _R,
        "A list with too many entries.",
        "Remove entries.",
    )
    SCHEMA_MIN_LENGTH = (
        "schema.min_length",
        _R,
        "Empty text where text is needed.",
        "Write some text or remove the field.",
    )
    SCHEMA_MAX_LENGTH = (
        "schema.max_length",
        _R,
        "Text longer than allowed.",
        "Shorten it.",
    )
    SCHEMA_INVALID = (
        "schema.invalid",
        _R,
        "The value breaks another rule of the schema.",
        "Do what the message says.",
    )
    # --- role files: links between files ---------------------------------------------------
    CATEGORY_DUPLICATE_ID = (
        "category.duplicate_id",
        _R,
        "Two categories have the same id.",
        "Give each category its own id.",
    )
    COMPETENCY_DUPLICATE_ID = (
        "competency.duplicate_id",
        _R,
        "Two competencies have the same id.",
        "Give each competency its own id.",
    )
    COURSE_DUPLICATE_ID = (
        "course.duplicate_id",
        _R,
        "Two courses have the same id.",
        "Give each course its own id.",
    )
    ROLE_DUPLICATE_ID = (
        "role.duplicate_id",
        _R,
        "Two roles have the same id.",
        "Give each role its own id.",
    )
    COMPETENCY_UNKNOWN_REFERENCE = (
        "competency.unknown_reference",
        _R,
        "A competency id that no competency catalog defines.",
        "Fix the id (the message suggests the closest), or define the competency.",
    )
    COURSE_UNKNOWN_REFERENCE = (
        "course.unknown_reference",
        _R,
        "A course id that no course catalog defines.",
        "Fix the id (the message suggests the closest), or define the course.",
    )
    ROLE_UNKNOWN_REFERENCE = (
        "role.unknown_reference",
        _R,
        "A builds_on or next_roles entry, or a story's from_role or to_role, names no role.",
        "Fix the role id, or add the role.",
    )
    LIST_DUPLICATE = (
        "list.duplicate",
        _R,
        "The same id is listed twice in one list.",
        "Remove one.",
    )
    BUILDS_ON_SELF = (
        "builds_on.self",
        _R,
        "A role builds on itself.",
        "Remove builds_on.",
    )
    BUILDS_ON_CYCLE = (
        "builds_on.cycle",
        _R,
        "Roles build on each other in a circle.",
        "Make one of them not build on the other.",
    )
    DROP_WITHOUT_BASE = (
        "drop.without_base",
        _R,
        "'drop' in a role that builds on no other.",
        "Add builds_on, or remove drop.",
    )
    DROP_NOT_INHERITED = (
        "drop.not_inherited",
        _R,
        "'drop' names something the base role does not have.",
        "Remove it from drop.",
    )
    DROP_ALSO_LISTED = (
        "drop.also_listed",
        _R,
        "An id is both dropped and listed in the same role.",
        "Keep one of the two.",
    )
    NEXT_ROLES_SELF = (
        "next_roles.self",
        _R,
        "A role lists itself as its next role.",
        "Remove it from next_roles.",
    )
    TARGET_LOWERED = (
        "target.lowered",
        _R,
        "A variant lowers a competency target its base role sets.",
        "Keep the target at least as high as the base role's.",
    )
    SCALE_MISSING = (
        "scale.missing",
        _R,
        "No file defines the proficiency scale.",
        "Add 'scale' to the competency catalog.",
    )
    SCALE_DUPLICATE = (
        "scale.duplicate",
        _R,
        "More than one file defines the proficiency scale.",
        "Keep one scale.",
    )
    SCALE_ORDER = (
        "scale.order",
        _R,
        "The scale's levels are not listed 1 to 5 in order.",
        "List the levels in order.",
    )
    CATALOG_NO_COMPETENCIES = (
        "catalog.no_competencies",
        _R,
        "The folder has no competency catalog.",
        "Add a file with 'kind: competencies'.",
    )
    CATALOG_NO_COURSES = (
        "catalog.no_courses",
        _R,
        "Roles list courses but the folder has no course catalog.",
        "Add a file with 'kind: courses'.",
    )
    SAMPLE_CONTENT = (
        "sample.content",
        _R,
        "A file still has a 'sample' note (found only by validate --strict).",
        "Replace the sample content, then delete the note.",
    )
    # --- roster and completions CSVs -------------------------------------------------------
    CSV_UNREADABLE = (
        "csv.unreadable",
        _C,
        "The CSV file cannot be opened.",
        "Check the file's name and permissions.",
    )
    CSV_TOO_LARGE = (
        "csv.too_large",
        _C,
        "The file is far larger than a roster.",
        "Check that it is the right file.",
    )
    CSV_ENCODING = (
        "csv.encoding",
        _C,
        "The file is not UTF-8 text.",
        "Save it from Excel as 'CSV UTF-8 (Comma delimited)'.",
    )
    CSV_SYNTAX = (
        "csv.syntax",
        _C,
        "A row is not valid CSV (such as a quote that is never closed); the row was skipped.",
        "Fix the row's quotes, or save the file again from the spreadsheet.",
    )
    CSV_EMPTY = (
        "csv.empty",
        _C,
        "The file has no header row.",
        "Add the header row.",
    )
    CSV_HEADER = (
        "csv.header",
        _C,
        "The header lacks a required column.",
        "Add the column the message names.",
    )
    CSV_EXTRA_CELLS = (
        "csv.extra_cells",
        _C,
        "A row has more cells than the header; the row was skipped.",
        "Look for a stray separator.",
    )
    ROSTER_TOO_LONG = (
        "roster.too_long",
        _C,
        (
            "A value of a roster or completions row is longer than a spreadsheet cell holds "
            "(32,767 characters); the row was skipped."
        ),
        "Shorten it; look for a quote that is never closed.",
    )
    ROSTER_EMPTY_VALUE = (
        "roster.empty_value",
        _C,
        "A required value of an employee is empty; the row was skipped.",
        "Fill it in.",
    )
    ROSTER_UNKNOWN_ROLE = (
        "roster.unknown_role",
        _C,
        "A current or target role that the roles do not have; the row was skipped.",
        "Fix the role id (the message suggests the closest).",
    )
    ROSTER_DUPLICATE_EMPLOYEE = (
        "roster.duplicate_employee",
        _C,
        "An employee id listed again; the later row was skipped.",
        "Keep one row per employee.",
    )
    ROSTER_TARGET_SAME = (
        "roster.target_same",
        _C,
        "The target role is the employee's current role; the row was skipped.",
        "Give the role they aim at next, or leave target_role empty.",
    )
    ROSTER_TARGET_UNREACHABLE = (
        "roster.target_unreachable",
        _C,
        (
            "A warning: the target role is not one of the current role's next roles; the "
            "tracker is still made, and the message names the path of next roles, if any."
        ),
        "Check the target; a step further on the path is fine when it is meant.",
    )
    COMPLETIONS_UNKNOWN_EMPLOYEE = (
        "completions.unknown_employee",
        _C,
        "A completion for an employee the roster does not have.",
        "Fix the employee id, or add the employee to the roster.",
    )
    COMPLETIONS_UNKNOWN_COURSE = (
        "completions.unknown_course",
        _C,
        "A completion of a course the catalog does not have.",
        "Fix the course id (the message suggests the closest).",
    )
    COMPLETIONS_DATE = (
        "completions.date",
        _C,
        "The completion date is empty or not a date.",
        "Enter the day the course was completed, such as 2026-03-31.",
    )
    COMPLETIONS_STATUS = (
        "completions.status",
        _C,
        "A status that is not one of the tracker's statuses.",
        "Use one of Not started, Planned, In progress, Completed, Waived.",
    )
    COMPLETIONS_COLUMN = (
        "completions.column",
        _C,
        "The column mapping gives a header the export does not have; nothing was read.",
        "Give the header as the export's first line writes it (the message lists them).",
    )
    COMPLETIONS_OUTSIDE_ROLE = (
        "completions.outside_role",
        _C,
        (
            "A warning: a completion of a course the person's tracker has no row for; it was "
            "left out."
        ),
        "Nothing, when the course is not part of their role; otherwise check the course id.",
    )
    COMPLETIONS_NO_TRACKER = (
        "completions.no_tracker",
        _C,
        (
            "A warning: a completion for an employee none of the trackers updated belongs to; it "
            "was left out."
        ),
        (
            "Nothing, when they are not in the team; otherwise add their tracker, or check the "
            "Employee ID on its Start Here."
        ),
    )
    COMPLETIONS_NOT_COMPLETED = (
        "completions.not_completed",
        _C,
        (
            "A warning: an update met a row whose status is not Completed; only completions are "
            "brought into trackers, so it was left out."
        ),
        "Nothing; a person sets other statuses in the tracker.",
    )
    COMPLETIONS_CONFLICT = (
        "completions.conflict",
        _C,
        (
            "A warning: the tracker already holds a later completion date, Waived, or Completed on "
            "another day; the tracker's value was kept."
        ),
        "Find out which is right; correct the tracker, or the learning system.",
    )
    # --- filled trackers: values -----------------------------------------------------------
    STATUS_UNKNOWN = (
        "status.unknown",
        _W,
        "A status the tracker does not know; it reads as empty (null), its text is kept.",
        "Choose a status from the cell's dropdown.",
    )
    STATUS_SPACES = (
        "status.spaces",
        _W,
        "A status with extra spaces: read, but the tracker's own counts miss it.",
        "Remove the extra spaces.",
    )
    DATE_INVALID = (
        "date.invalid",
        _W,
        "Something that is no date; it reads as empty (null), its text is kept.",
        "Enter a date such as 2026-03-31.",
    )
    DATE_OUT_OF_RANGE = (
        "date.out_of_range",
        _W,
        "A date outside 1900-03-01 to 2199-12-31; it reads as empty (null).",
        "Enter the right date.",
    )
    DATE_AS_TEXT = (
        "date.as_text",
        _W,
        "A date typed as text: read, but the tracker's own formulas miss it.",
        "Enter it as a date.",
    )
    RATING_INVALID = (
        "rating.invalid",
        _W,
        "A rating that is no number; it reads as empty (null), its text is kept.",
        "Choose a level from 1 to 5 from the dropdown.",
    )
    RATING_OUT_OF_RANGE = (
        "rating.out_of_range",
        _W,
        "A number that is not a whole level from 1 to 5; it reads as empty (null).",
        "Choose a level from 1 to 5 from the dropdown.",
    )
    RATING_BY_NAME = (
        "rating.by_name",
        _W,
        "A level typed by its name: read, but the tracker's own formulas miss it.",
        "Enter the level's number.",
    )
    CELL_ERROR_VALUE = (
        "cell.error_value",
        _W,
        "An input cell shows an error value such as #REF!; it reads as empty.",
        "Enter the value again.",
    )
    HOURS_INVALID = (
        "hours.invalid",
        _W,
        "An own course's Hours is not a number of hours from 0 to 10,000.",
        "Enter the course's hours as a number, such as 1.5.",
    )
    HOURS_AS_TEXT = (
        "hours.as_text",
        _W,
        "An own course's Hours was typed as text; it was read as its number.",
        "Enter it as a number so the tracker's own figures count it.",
    )
    CELL_DAMAGED = (
        "cell.damaged",
        _W,
        "The file stores a value no application writes in that cell; it reads as empty.",
        "Enter the value again.",
    )
    INPUT_FORMULA = (
        "input.formula",
        _W,
        "An input cell holds a formula; its last result was read.",
        "Type the value itself.",
    )
    # --- filled trackers: entries that disagree ---------------------------------------------
    COURSE_DATE_NOT_COMPLETED = (
        "course.date_not_completed",
        _W,
        "A course has a completion date but its status is not Completed.",
        "Set the status to Completed, or clear the completion date.",
    )
    COURSE_COMPLETED_NO_DATE = (
        "course.completed_no_date",
        _W,
        "A course is Completed but has no completion date (a renewal is due from it).",
        "Enter the day the course was completed in Completed on.",
    )
    COURSE_COMPLETED_IN_FUTURE = (
        "course.completed_in_future",
        _W,
        "A completion date is after the day the tracker was read as of.",
        "Enter the day the course was really completed.",
    )
    COURSE_TARGET_BEFORE_START = (
        "course.target_before_start",
        _W,
        "A course's target date is before the start date in role.",
        "Correct the target date, or the start date in role on Start Here.",
    )
    CERTIFICATION_EXPIRES_BEFORE_OBTAINED = (
        "certification.expires_before_obtained",
        _W,
        "A certification's expiry date is before the date it was obtained.",
        "Correct Expires on, or Date obtained, on the Certifications sheet.",
    )
    # --- filled trackers: structure --------------------------------------------------------
    SHEET_MISSING = (
        "sheet.missing",
        _W,
        "A sheet with entries is missing; its entries cannot be read.",
        "Copy the entries into a newly built tracker.",
    )
    SHEET_RENAMED = (
        "sheet.renamed",
        _W,
        "A sheet with entries was renamed.",
        "Rename it back to the name the message gives.",
    )
    NAMES_LOST = (
        "names.lost",
        _W,
        "The workbook lost its defined names; inputs were found by headers and labels.",
        "Nothing, if the entries read right; otherwise rebuild the tracker.",
    )
    NAME_MISPLACED = (
        "name.misplaced",
        _W,
        "A defined name no longer points to its range; the cells were found by their header.",
        "Nothing, if the entries read right; otherwise rebuild the tracker.",
    )
    FIELD_MISSING = (
        "field.missing",
        _W,
        "A labelled field cannot be found.",
        "Put its label back, with its value to the label's right.",
    )
    TABLE_MISSING = (
        "table.missing",
        _W,
        "A table cannot be found (its ID header is gone).",
        "Put the header row back, or copy the entries into a newly built tracker.",
    )
    COLUMN_MISSING = (
        "column.missing",
        _W,
        "A column cannot be found by its name or its header.",
        "Put its header back above its cells.",
    )
    ROW_ID_ERROR = (
        "row.id_error",
        _W,
        "A row's ID cell shows an error value; the row was not read.",
        "Put the ID back.",
    )
    ROW_NO_ID = (
        "row.no_id",
        _W,
        "A row has entries but no ID; they were not read.",
        "Put the course's or competency's ID in the row.",
    )
    ROW_INSERTED = (
        "row.inserted",
        _W,
        (
            "A row inserted inside the course checklist has entries, but no course ID and none "
            "of the checklist's formulas; it was not read."
        ),
        (
            "Enter the course in one of the Your own courses rows below the checklist, then "
            "delete the inserted row."
        ),
    )
    OWN_COURSE_NO_TITLE = (
        "own_course.no_title",
        _W,
        "A Your own courses row has entries but no title; it was not read.",
        "Give the course its title, or clear the row.",
    )
    ROW_DUPLICATE_ID = (
        "row.duplicate_id",
        _W,
        "An ID is listed again; the later row's entries were not read.",
        "Keep one row for it.",
    )
    ROW_UNKNOWN_ID = (
        "row.unknown_id",
        _W,
        "A row's ID is not one of the role's; its entries were kept.",
        "Check the ID.",
    )
    ROW_MISSING = (
        "row.missing",
        _W,
        "A course or competency of the role has no row; it reads as empty.",
        "Put the row back if it was deleted by mistake.",
    )
    FORMULA_LOST = (
        "formula.lost",
        _W,
        "A formula was typed over or cleared; trackerkit recomputes its figure.",
        "Rebuild the tracker to restore it.",
    )
    ROLE_UNKNOWN = (
        "role.unknown",
        _W,
        "The roles have no role of the tracker's id; entries were read unchecked.",
        "Read it with the roles folder it was made from.",
    )
    ROLE_CHANGED = (
        "role.changed",
        _W,
        "The role changed since the tracker was made; entries were read as they are.",
        "Upgrade the tracker (trackerkit upgrade) when convenient.",
    )
    WORKBOOK_UNREADABLE = (
        "workbook.unreadable",
        _W,
        "The team report met a file that cannot be read at all; it is left out.",
        "Do what the message says (see the files that cannot be read, below).",
    )
    REPORT_UNKNOWN_ROLE = (
        "report.unknown_role",
        _W,
        "The team report met a tracker of a role the roles do not have; it is left out.",
        "Report with the roles folder the tracker was made from.",
    )
    REPORT_DUPLICATE_EMPLOYEE = (
        "report.duplicate_employee",
        _W,
        "Two trackers have the same employee ID; the report counts only the more recent one.",
        "Remove the older tracker from the folder, or correct the employee ID in one of them.",
    )


def codes(scope: Scope) -> tuple[Code, ...]:
    """The codes met in ``scope``, in declaration order: what one page of the docs lists."""
    return tuple(code for code in Code if code.scope is scope)


_BY_TEXT = {code.value: code for code in Code}


def code_of(text: str) -> Code:
    """The code whose dotted text is ``text`` (as JSON shows it); ValueError if none is."""
    found = _BY_TEXT.get(text)
    if found is None:
        message = f"{text!r} is not a problem code"
        raise ValueError(message)
    return found
