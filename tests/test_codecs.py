"""Each input kind's decoding: what a person or another application leaves in a cell, read back.

Input -> expected tables, in the manner of XlsxWriter's formula tests: every
message here is what a person reads, so its exact wording is tested.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from trackerkit import Status
from trackerkit.codecs import (
    CODECS,
    LAST_SERIAL,
    CellError,
    Context,
    Decoded,
    decode_date,
    decode_hours,
    decode_rating,
    decode_status,
    decode_text,
    serial_to_date,
)
from trackerkit.errors import Severity
from trackerkit.problem_codes import Code

PLAIN = Context()
SCALE = Context(scale=("Learning", "Developing", "Proficient", "Advanced", "Expert"))
ERROR, WARNING = Severity.ERROR, Severity.WARNING
STATUSES = "Not started, Planned, In progress, Completed, Waived"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, Decoded(None)),
        ("", Decoded(None)),
        ("   ", Decoded(None)),
        ("Completed", Decoded(Status.COMPLETED)),
        ("In progress", Decoded(Status.IN_PROGRESS)),
        ("completed", Decoded(Status.COMPLETED)),  # Excel's COUNTIF ignores case too
        ("WAIVED", Decoded(Status.WAIVED)),
        (
            " Completed ",
            Decoded(
                Status.COMPLETED,
                WARNING,
                '" Completed " was read as "Completed"; remove the extra spaces so the '
                "tracker's own figures count it",
                Code.STATUS_SPACES,
            ),
        ),
        (
            "in  progress",
            Decoded(
                Status.IN_PROGRESS,
                WARNING,
                '"in  progress" was read as "In progress"; remove the extra spaces so the '
                "tracker's own figures count it",
                Code.STATUS_SPACES,
            ),
        ),
        (
            "Done",
            Decoded(
                None, ERROR, f'"Done" is not a status; use one of {STATUSES}', Code.STATUS_UNKNOWN
            ),
        ),
        (
            "Complted",
            Decoded(
                None,
                ERROR,
                f'"Complted" is not a status; use one of {STATUSES} (did you mean "Completed"?)',
                Code.STATUS_UNKNOWN,
            ),
        ),
        (
            3.0,
            Decoded(None, ERROR, f"3 is not a status; use one of {STATUSES}", Code.STATUS_UNKNOWN),
        ),
        (
            True,
            Decoded(
                None, ERROR, f"TRUE is not a status; use one of {STATUSES}", Code.STATUS_UNKNOWN
            ),
        ),
        (
            CellError("#N/A"),
            Decoded(
                None, ERROR, "the cell shows the error #N/A; enter a status", Code.CELL_ERROR_VALUE
            ),
        ),
    ],
)
def test_status(raw: object, expected: Decoded) -> None:
    assert decode_status(raw, PLAIN) == expected


DATE_HINT = "enter a date such as 2026-03-31"


@pytest.mark.parametrize(
    ("raw", "context", "expected"),
    [
        (None, PLAIN, Decoded(None)),
        ("", PLAIN, Decoded(None)),
        (dt.date(2026, 3, 31), PLAIN, Decoded(dt.date(2026, 3, 31))),
        (46112.0, PLAIN, Decoded(dt.date(2026, 3, 31))),  # the serial Excel stores
        (46112.75, PLAIN, Decoded(dt.date(2026, 3, 31))),  # a time of day is dropped
        (44650.0, Context(date1904=True), Decoded(dt.date(2026, 3, 31))),  # a 1904 workbook
        (61.0, PLAIN, Decoded(dt.date(1900, 3, 1))),
        (
            "2026-03-31",
            PLAIN,
            Decoded(
                dt.date(2026, 3, 31),
                WARNING,
                '"2026-03-31" is text, read as 2026-03-31; enter it as a date so the '
                "tracker's own figures count it",
                Code.DATE_AS_TEXT,
            ),
        ),
        (
            " 3/31/2026 ",
            PLAIN,
            Decoded(
                dt.date(2026, 3, 31),
                WARNING,
                '" 3/31/2026 " is text, read as 2026-03-31; enter it as a date so the '
                "tracker's own figures count it",
                Code.DATE_AS_TEXT,
            ),
        ),
        (
            "31/3/2026",
            PLAIN,
            Decoded(None, ERROR, f'"31/3/2026" is not a date; {DATE_HINT}', Code.DATE_INVALID),
        ),
        (
            "2026-02-30",
            PLAIN,
            Decoded(None, ERROR, f'"2026-02-30" is not a date; {DATE_HINT}', Code.DATE_INVALID),
        ),
        (
            "next week",
            PLAIN,
            Decoded(None, ERROR, f'"next week" is not a date; {DATE_HINT}', Code.DATE_INVALID),
        ),
        (
            60.0,
            PLAIN,
            Decoded(None, ERROR, f"60 is not a date; {DATE_HINT}", Code.DATE_INVALID),
        ),  # 29 Feb 1900
        (-5.0, PLAIN, Decoded(None, ERROR, f"-5 is not a date; {DATE_HINT}", Code.DATE_INVALID)),
        (
            30.0,
            PLAIN,
            Decoded(
                None,
                ERROR,
                "1900-01-30 is outside the dates a tracker takes (1900-03-01 to 2199-12-31); "
                f"{DATE_HINT}",
                Code.DATE_OUT_OF_RANGE,
            ),
        ),
        (
            "2300-01-01",
            PLAIN,
            Decoded(
                None,
                ERROR,
                '"2300-01-01" is outside the dates a tracker takes (1900-03-01 to 2199-12-31); '
                f"{DATE_HINT}",
                Code.DATE_OUT_OF_RANGE,
            ),
        ),
        (True, PLAIN, Decoded(None, ERROR, f"TRUE is not a date; {DATE_HINT}", Code.DATE_INVALID)),
        (
            CellError("#REF!"),
            PLAIN,
            Decoded(
                None, ERROR, f"the cell shows the error #REF!; {DATE_HINT}", Code.CELL_ERROR_VALUE
            ),
        ),
    ],
)
def test_date(raw: object, context: Context, expected: Decoded) -> None:
    assert decode_date(raw, context) == expected


def test_serials_of_both_date_systems_agree_with_the_calendar() -> None:
    # Excel's 1900 system counts a 29 February 1900 that never was: serial 60.
    assert serial_to_date(1, date1904=False) == dt.date(1900, 1, 1)
    assert serial_to_date(59, date1904=False) == dt.date(1900, 2, 28)
    assert serial_to_date(60, date1904=False) is None
    assert serial_to_date(61, date1904=False) == dt.date(1900, 3, 1)
    assert serial_to_date(LAST_SERIAL, date1904=False) == dt.date(9999, 12, 31)
    assert serial_to_date(LAST_SERIAL + 1, date1904=False) is None
    assert serial_to_date(0, date1904=True) == dt.date(1904, 1, 1)
    for day in (dt.date(1900, 3, 1), dt.date(2026, 11, 23), dt.date(2199, 12, 31)):
        serial = (day - dt.date(1899, 12, 30)).days
        assert serial_to_date(serial, date1904=False) == day
        if day >= dt.date(1904, 1, 1):  # the 1904 system starts there
            assert serial_to_date(serial - 1462, date1904=True) == day


RATING_HINT = "enter a whole number from 1 to 5"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, Decoded(None)),
        (" ", Decoded(None)),
        (3.0, Decoded(3)),
        ("3", Decoded(3)),
        (" 4 ", Decoded(4)),
        ("5.0", Decoded(5)),
        (
            "Expert",
            Decoded(
                5,
                WARNING,
                '"Expert" was read as level 5; enter the number 5 so the tracker\'s own '
                "figures count it",
                Code.RATING_BY_NAME,
            ),
        ),
        (
            "proficient",
            Decoded(
                3,
                WARNING,
                '"proficient" was read as level 3; enter the number 3 so the tracker\'s own '
                "figures count it",
                Code.RATING_BY_NAME,
            ),
        ),
        (
            3.5,
            Decoded(None, ERROR, f"3.5 is not a rating; {RATING_HINT}", Code.RATING_OUT_OF_RANGE),
        ),
        (0.0, Decoded(None, ERROR, f"0 is not a rating; {RATING_HINT}", Code.RATING_OUT_OF_RANGE)),
        (
            "6",
            Decoded(None, ERROR, f'"6" is not a rating; {RATING_HINT}', Code.RATING_OUT_OF_RANGE),
        ),
        (
            "three",
            Decoded(None, ERROR, f'"three" is not a rating; {RATING_HINT}', Code.RATING_INVALID),
        ),
        (True, Decoded(None, ERROR, f"TRUE is not a rating; {RATING_HINT}", Code.RATING_INVALID)),
        (
            CellError("#VALUE!"),
            Decoded(
                None,
                ERROR,
                "the cell shows the error #VALUE!; enter a rating from 1 to 5",
                Code.CELL_ERROR_VALUE,
            ),
        ),
    ],
)
def test_rating(raw: object, expected: Decoded) -> None:
    assert decode_rating(raw, SCALE) == expected


def test_a_level_name_is_not_understood_without_the_scale() -> None:
    assert decode_rating("Expert", PLAIN).severity is ERROR


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, ""),
        ("", ""),
        ("  two spaces kept  ", "  two spaces kept  "),
        ("line one\nline two", "line one\nline two"),
        ("=SUM(A1)", "=SUM(A1)"),  # text stays text, exactly
        (42.0, "42"),  # an employee id typed as a number
        (3.25, "3.25"),
        (1e20, "1e+20"),
        (True, "TRUE"),
        (dt.date(2026, 3, 31), "2026-03-31"),
    ],
)
def test_text_keeps_what_was_typed(raw: object, expected: str) -> None:
    assert decode_text(raw, PLAIN) == Decoded(expected)


def test_text_with_an_error_value_is_an_error() -> None:
    assert decode_text(CellError("#NAME?"), PLAIN) == Decoded(
        "", ERROR, "the cell shows the error #NAME?; enter text", Code.CELL_ERROR_VALUE
    )


@pytest.mark.parametrize("kind", sorted(CODECS))
def test_every_codec_reads_back_what_it_writes(kind: str) -> None:
    samples: dict[str, list[Any]] = {
        "text": ["", "a note", "=not a formula", "multi\nline"],
        "status": list(Status),
        "date": [dt.date(1900, 3, 1), dt.date(2026, 3, 31), dt.date(2199, 12, 31)],
        "rating": [1, 2, 3, 4, 5],
        "choice": ["", "None", "Patient Services Representative III"],
        "hours": [0, 0.5, 1.25, 12, 10_000],
    }
    codec = CODECS[kind]
    for value in samples[kind]:
        stored = codec.encode(value)
        if isinstance(stored, int) and not isinstance(stored, bool):
            stored = float(stored)  # a workbook stores every number as a float
        decoded = codec.decode(stored, PLAIN)
        assert decoded.severity is None
        assert decoded.value == (value if value != "" else "")


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (-1.0, Code.HOURS_INVALID),
        (10_000.5, Code.HOURS_INVALID),
        (float("nan"), Code.HOURS_INVALID),
        ("two", Code.HOURS_INVALID),
        ("1,5", Code.HOURS_INVALID),
        (True, Code.HOURS_INVALID),
    ],
)
def test_hours_that_are_no_number_of_hours_read_as_empty(raw: object, code: Code) -> None:
    decoded = decode_hours(raw, PLAIN)
    assert decoded.value is None
    assert decoded.severity is ERROR
    assert decoded.code is code
    assert "is not a number of hours; enter a number of hours from 0 to 10,000" in decoded.message


def test_hours_typed_as_text_are_read_with_a_warning() -> None:
    decoded = decode_hours(" 2.5 ", PLAIN)
    assert decoded.value == 2.5
    assert decoded.severity is Severity.WARNING
    assert decoded.code is Code.HOURS_AS_TEXT
    assert decode_hours(None, PLAIN) == Decoded(None)
    assert decode_hours("  ", PLAIN) == Decoded(None)
