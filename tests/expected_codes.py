"""The code each message should carry, worked out from the message's words alone.

Written apart from the code that makes problems, so a problem made with the
wrong code (or a message reworded under the same code) fails the tests that
meet it. The first phrase found decides; order matters where one phrase holds
another.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from trackerkit.problem_codes import Code

if TYPE_CHECKING:
    from collections.abc import Iterable

    from trackerkit.errors import CellProblem, Problem

ROLES = (
    ("folders deep, so it was not searched", Code.FOLDER_TOO_DEEP),  # before "nested"
    ("so that it can be read back", Code.ROLE_TOO_LARGE),
    ("a tab is used for indentation", Code.YAML_TAB),
    ("a second document starts", Code.YAML_DOCUMENTS),
    ("the top level must be a mapping", Code.YAML_NOT_MAPPING),
    ("the file is empty", Code.YAML_EMPTY),
    ("the file holds no data", Code.YAML_EMPTY),
    ("anchors (&", Code.YAML_ANCHOR),
    ("aliases (*", Code.YAML_ALIAS),
    ("tags such as", Code.YAML_TAG),
    ("is not text; field names must be words", Code.YAML_KEY),
    ("a list or mapping cannot be a key", Code.YAML_KEY),
    ("YAML syntax error", Code.YAML_SYNTAX),
    ("could not read the YAML", Code.YAML_SYNTAX),
    ("is given twice, on lines", Code.YAML_DUPLICATE_KEY),
    ("the file is binary", Code.YAML_BINARY),
    ("is not UTF-8 text", Code.YAML_ENCODING),
    ("UTF-16", Code.YAML_ENCODING),
    ("the file is larger than", Code.YAML_TOO_LARGE),
    ("a spreadsheet cell holds at most", Code.TEXT_TOO_LONG),
    ("the text holds the control character", Code.TEXT_CONTROL_CHARACTER),
    ("is not allowed in YAML", Code.YAML_CHARACTER),
    ("nested more than", Code.YAML_TOO_DEEP),
    ("asks for YAML", Code.YAML_VERSION),
    ("'kind' is missing", Code.KIND_MISSING),
    ("is not a kind of file", Code.KIND_UNKNOWN),
    ("is missing; add it", Code.SCHEMA_REQUIRED),
    ("unknown field", Code.SCHEMA_UNKNOWN_FIELD),
    ("expected ", Code.SCHEMA_TYPE),
    ("is not allowed here; use one of", Code.SCHEMA_ENUM),
    ("is not allowed here; write", Code.SCHEMA_CONST),
    ("is not a valid id", Code.SCHEMA_PATTERN),
    ("must be one line of text", Code.SCHEMA_PATTERN),
    ("is blank; write some text", Code.SCHEMA_PATTERN),
    ("is not a version", Code.SCHEMA_PATTERN),
    ("is not a web address", Code.SCHEMA_PATTERN),
    ("is not a date; write it as", Code.SCHEMA_PATTERN),
    ("has the wrong form", Code.SCHEMA_PATTERN),
    ("is greater than the maximum", Code.SCHEMA_MAXIMUM),
    ("is less than the minimum", Code.SCHEMA_MINIMUM),
    ("is too small; it must be greater", Code.SCHEMA_EXCLUSIVE_MINIMUM),
    ("is not a multiple of", Code.SCHEMA_MULTIPLE_OF),
    ("add at least", Code.SCHEMA_MIN_ITEMS),
    ("it needs at least", Code.SCHEMA_MIN_ITEMS),
    ("it may have at most", Code.SCHEMA_MAX_ITEMS),
    ("the text is empty; write", Code.SCHEMA_MIN_LENGTH),
    ("shorten it to at most", Code.SCHEMA_MAX_LENGTH),
    ("the category id '", Code.CATEGORY_DUPLICATE_ID),
    ("the competency id '", Code.COMPETENCY_DUPLICATE_ID),
    ("the course id '", Code.COURSE_DUPLICATE_ID),
    ("the role id '", Code.ROLE_DUPLICATE_ID),
    ("unknown competency '", Code.COMPETENCY_UNKNOWN_REFERENCE),
    ("unknown course '", Code.COURSE_UNKNOWN_REFERENCE),
    ("unknown role '", Code.ROLE_UNKNOWN_REFERENCE),
    ("is listed twice", Code.LIST_DUPLICATE),
    ("cannot build on itself", Code.BUILDS_ON_SELF),
    ("goes round in a circle", Code.BUILDS_ON_CYCLE),
    ("'drop' only applies", Code.DROP_WITHOUT_BASE),
    ("so it cannot be dropped", Code.DROP_NOT_INHERITED),
    ("is both dropped and listed", Code.DROP_ALSO_LISTED),
    ("cannot be its own next role", Code.NEXT_ROLES_SELF),
    ("targets may only rise", Code.TARGET_LOWERED),
    ("no file defines the proficiency scale", Code.SCALE_MISSING),
    ("the scale is already defined", Code.SCALE_DUPLICATE),
    ("list the levels 1 to 5 in order", Code.SCALE_ORDER),
    ("no competency catalog found", Code.CATALOG_NO_COMPETENCIES),
    ("no course catalog found", Code.CATALOG_NO_COURSES),
    ("name the folder of role files", Code.FOLDER_MISSING),
    ("holds no .yaml files", Code.FOLDER_EMPTY),
    ("cannot be read (", Code.FILE_UNREADABLE),
    ("is marked as sample content", Code.SAMPLE_CONTENT),
)
"""Role-file messages: each phrase and its code."""

WORKBOOK = (
    ("remove the extra spaces", Code.STATUS_SPACES),
    ("is not a status", Code.STATUS_UNKNOWN),
    ("is text, read as", Code.DATE_AS_TEXT),
    ("is outside the dates a tracker takes", Code.DATE_OUT_OF_RANGE),
    ("is not a date", Code.DATE_INVALID),
    ("was read as level", Code.RATING_BY_NAME),
    ("the cell shows the error", Code.CELL_ERROR_VALUE),
    ("the cell's value is damaged", Code.CELL_DAMAGED),
    ("the cell holds a formula", Code.INPUT_FORMULA),
    ("the sheet is missing", Code.SHEET_MISSING),
    ("the sheet was renamed", Code.SHEET_RENAMED),
    ("has lost its defined names", Code.NAMES_LOST),
    ("no longer points to one range", Code.NAME_MISPLACED),
    ("spans several columns", Code.NAME_MISPLACED),
    ("field cannot be found", Code.FIELD_MISSING),
    ("table cannot be found", Code.TABLE_MISSING),
    ("column cannot be found", Code.COLUMN_MISSING),
    ("column of the next steps cannot be found", Code.COLUMN_MISSING),
    ("ID cell shows an error", Code.ROW_ID_ERROR),
    ("was inserted inside the checklist", Code.ROW_INSERTED),
    ("own course has entries but no title", Code.OWN_COURSE_NO_TITLE),
    ("is not a number of hours", Code.HOURS_INVALID),
    ("was typed as text and read as", Code.HOURS_AS_TEXT),
    ("this row has entries but no", Code.ROW_NO_ID),
    ("is listed again (first in row", Code.ROW_DUPLICATE_ID),
    ("of this role; its entries were kept", Code.ROW_UNKNOWN_ID),
    ("there is no row for", Code.ROW_MISSING),
    ("formula was typed over", Code.FORMULA_LOST),
    ("formula was cleared", Code.FORMULA_LOST),
    ("the roles have no role", Code.ROLE_UNKNOWN),
    ("the tracker was made from", Code.ROLE_CHANGED),
    ("but the status is", Code.COURSE_DATE_NOT_COMPLETED),
    ("the status is Completed but Completed on is empty", Code.COURSE_COMPLETED_NO_DATE),
    ("the day the tracker was read as of", Code.COURSE_COMPLETED_IN_FUTURE),
    ("is before the start date in role", Code.COURSE_TARGET_BEFORE_START),
    ("before Date obtained", Code.CERTIFICATION_EXPIRES_BEFORE_OBTAINED),
)
"""Messages met reading a filled tracker: each phrase and its code."""

ROSTER = (
    ("cannot be read (", Code.CSV_UNREADABLE),
    ("is far larger than a roster", Code.CSV_TOO_LARGE),
    ("is not UTF-8 text", Code.CSV_ENCODING),
    ("is not valid CSV", Code.CSV_SYNTAX),
    ("the header is not a CSV row", Code.CSV_HEADER),
    ("a spreadsheet cell holds at most", Code.ROSTER_TOO_LONG),
    ("is empty; it needs a header row", Code.CSV_EMPTY),
    ("which the column mapping gives for", Code.COMPLETIONS_COLUMN),  # before "header has no"
    ("the header has no", Code.CSV_HEADER),
    ("check for a stray separator", Code.CSV_EXTRA_CELLS),
    ("every employee needs a", Code.ROSTER_EMPTY_VALUE),
    ("unknown role", Code.ROSTER_UNKNOWN_ROLE),
    ("this row was skipped", Code.ROSTER_DUPLICATE_EMPLOYEE),
    ("is the current role", Code.ROSTER_TARGET_SAME),
    ("is not a next role of", Code.ROSTER_TARGET_UNREACHABLE),
    ("is not in the roster", Code.COMPLETIONS_UNKNOWN_EMPLOYEE),
    ("unknown course", Code.COMPLETIONS_UNKNOWN_COURSE),
    ("is not a status", Code.COMPLETIONS_STATUS),
    ("is not a date", Code.COMPLETIONS_DATE),
    ("is outside the dates", Code.COMPLETIONS_DATE),
    ("the day the course was completed", Code.COMPLETIONS_DATE),
    ("tracker has no row for it", Code.COMPLETIONS_OUTSIDE_ROLE),
    ("none of the trackers updated is theirs", Code.COMPLETIONS_NO_TRACKER),
    ("brings in completions only", Code.COMPLETIONS_NOT_COMPLETED),
    ("the tracker's value was kept", Code.COMPLETIONS_CONFLICT),
)
"""Roster and completions messages: each phrase and its code."""


def expected_code(message: str, table: tuple[tuple[str, Code], ...]) -> Code | None:
    """The code the message's words call for, or None when no phrase of ``table`` is in it."""
    return next((code for phrase, code in table if phrase in message), None)


def rating_code(message: str) -> Code:
    """``is not a rating``: out of range for a number, invalid for anything else."""
    shown = message.split(" is not a rating", 1)[0].strip('"')
    try:
        float(shown)
    except ValueError:
        return Code.RATING_INVALID
    return Code.RATING_OUT_OF_RANGE


def check_roles(problems: Iterable[Problem]) -> None:
    """Each role-file problem carries the code its message calls for."""
    for problem in problems:
        assert problem.code is expected_code(problem.message, ROLES), problem


def check_workbook(problems: Iterable[CellProblem]) -> None:
    """Each problem of a read carries the code its message calls for."""
    for problem in problems:
        if "is not a rating" in problem.message:
            assert problem.code is rating_code(problem.message), problem
        else:
            assert problem.code is expected_code(problem.message, WORKBOOK), problem
