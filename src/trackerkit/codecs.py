"""Each kind of input cell, in one place: how it is written, validated and read back.

The writer asks a codec for the value to store and the dropdown or date rule
to attach; the reader asks it to turn whatever a person or another
application left in the cell into typed data. Decoding is forgiving where
the meaning is certain (a status in another case, a date typed as text, a
rating typed as ``"3"``) and says so when the tracker's own formulas would
not count the value; anything else is an error, worded for the person.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from trackerkit.entries import MAX_HOURS, Status
from trackerkit.errors import Severity
from trackerkit.problem_codes import Code

if TYPE_CHECKING:
    from collections.abc import Callable

    from trackerkit.model import Role

STATUSES = tuple(status.value for status in Status)
RATINGS = (1, 2, 3, 4, 5)
EARLIEST_DATE = dt.date(1900, 3, 1)
LATEST_DATE = dt.date(2199, 12, 31)
"""The dates the tracker's validation accepts; a serial date is unambiguous in this range."""
STATUS_LIST, RATING_LIST = "List_Status", "List_Ratings"
CHOICE_LIST = "NextRole_Choices"
"""The Target role dropdown's list: None, then the titles of the role's next roles."""
"""The defined names the dropdowns take their choices from."""


@dataclass(frozen=True)
class CellError:
    """An error value shown in a cell, such as ``#N/A`` or ``#REF!``, or a damaged value."""

    text: str
    damaged: bool = False
    """The file stores something no application writes (``1,5`` as a number, ``NaN``)."""


class Decoded(NamedTuple):
    """A decoded cell: the value (None when blank or unreadable) and what to tell the person."""

    value: Any
    severity: Severity | None = None
    message: str = ""
    code: Code | None = None
    """Set with ``severity``: what kind of problem the message words."""


@dataclass(frozen=True)
class Context:
    """What decoding needs besides the cell."""

    date1904: bool = False
    scale: tuple[str, ...] = ()
    """The proficiency level names, 1 to 5, so a level typed by name can be understood."""


BLANK = Decoded(None)


def shown(raw: object) -> str:
    """A cell's content as the person sees it, for a message."""
    if isinstance(raw, float):
        return _number_text(raw)
    if isinstance(raw, bool):
        return "TRUE" if raw else "FALSE"
    if isinstance(raw, dt.date):
        return raw.isoformat()
    text = str(raw)
    return f'"{text[:60]}…"' if len(text) > 60 else f'"{text}"'


def _number_text(value: float) -> str:
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


def _error_value(raw: CellError, wanted: str, blank: object = None) -> Decoded:
    """An error value or a damaged cell: ``blank`` (the kind's empty value) and the error."""
    if raw.damaged:
        return Decoded(
            blank,
            Severity.ERROR,
            f"the cell's value is damaged; enter {wanted} again",
            Code.CELL_DAMAGED,
        )
    return Decoded(
        blank,
        Severity.ERROR,
        f"the cell shows the error {raw.text}; enter {wanted}",
        Code.CELL_ERROR_VALUE,
    )


# --- text ---------------------------------------------------------------------------------


def decode_text(raw: object, _: Context) -> Decoded:
    """Text is kept exactly as entered; a number or date typed there becomes its text."""
    if raw is None or raw == "":
        return Decoded("")
    if isinstance(raw, str):
        return Decoded(raw)
    if isinstance(raw, CellError):
        return _error_value(raw, "text", blank="")
    if isinstance(raw, bool):
        return Decoded("TRUE" if raw else "FALSE")
    if isinstance(raw, dt.date):
        return Decoded(raw.isoformat())
    return Decoded(_number_text(float(raw)))  # type: ignore[arg-type]


# --- status -------------------------------------------------------------------------------

_STATUS_BY_KEY = {" ".join(status.casefold().split()): Status(status) for status in STATUSES}
_STATUS_CHOICES = ", ".join(STATUSES)
_EXACT_STATUS = {status.value: Decoded(status) for status in Status}
"""A status as the dropdown enters it, decoded once: most cells of a tracker hold one."""


def decode_status(raw: object, _: Context) -> Decoded:
    if isinstance(raw, str):
        exact = _EXACT_STATUS.get(raw)
        if exact is not None:
            return exact
    if raw is None or (isinstance(raw, str) and raw.strip() == ""):
        return BLANK
    if isinstance(raw, CellError):
        return _error_value(raw, "a status")
    if isinstance(raw, str):
        status = _STATUS_BY_KEY.get(" ".join(raw.casefold().split()))
        if status is not None:
            if " ".join(raw.split()) == raw:  # only the case differs: Excel counts it too
                return Decoded(status)
            return Decoded(
                status,
                Severity.WARNING,
                f'{shown(raw)} was read as "{status.value}"; remove the extra spaces '
                "so the tracker's own figures count it",
                Code.STATUS_SPACES,
            )
    message = f"{shown(raw)} is not a status; use one of {_STATUS_CHOICES}"
    if isinstance(raw, str) and len(raw) <= 40:  # a suggestion for a typo, not for a paragraph
        close = difflib.get_close_matches(raw.strip().casefold(), list(_STATUS_BY_KEY), n=1)
        if close:
            message += f' (did you mean "{_STATUS_BY_KEY[close[0]].value}"?)'
    return Decoded(None, Severity.ERROR, message, Code.STATUS_UNKNOWN)


# --- date ---------------------------------------------------------------------------------

_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_US_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
EPOCH_1900 = dt.date(1899, 12, 30)
"""Day 0 of Excel's 1900 date system, for serials from 61 (1 March 1900) on."""
EPOCH_1904 = dt.date(1904, 1, 1)
LAST_SERIAL = 2_958_465
"""9999-12-31, the last day Excel can show."""
_DAY_0_1900, _DAY_0_1904 = EPOCH_1900.toordinal(), EPOCH_1904.toordinal()
"""The epochs as ordinals: ``date.fromordinal`` is several times cheaper than adding a timedelta."""
DATE_EXAMPLE = "a date such as 2026-03-31"


def date_to_serial(day: dt.date) -> int:
    """The 1900-system serial of a day from 1 March 1900 on: a formula's cached date."""
    return day.toordinal() - _DAY_0_1900


def serial_to_date(serial: float, date1904: bool) -> dt.date | None:
    """The day a serial number stands for (its time of day dropped), or None when none does.

    Serial 60 is 29 February 1900, a day Excel counts that never was; serials
    below 61 are the days before it.
    """
    if not math.isfinite(serial):
        return None
    whole = int(serial // 1)
    if date1904:
        if not 0 <= whole <= LAST_SERIAL - 1462:
            return None
        return dt.date.fromordinal(_DAY_0_1904 + whole)
    if whole == 60 or not 1 <= whole <= LAST_SERIAL:
        return None
    return dt.date.fromordinal(_DAY_0_1900 + (whole if whole > 60 else whole + 1))


def _in_range(day: dt.date, raw: object) -> Decoded:
    if EARLIEST_DATE <= day <= LATEST_DATE:
        return Decoded(day)
    return Decoded(
        None,
        Severity.ERROR,
        f"{shown(raw)} is outside the dates a tracker takes "
        f"({EARLIEST_DATE.isoformat()} to {LATEST_DATE.isoformat()}); enter {DATE_EXAMPLE}",
        Code.DATE_OUT_OF_RANGE,
    )


def decode_date(raw: object, context: Context) -> Decoded:
    if isinstance(raw, float):  # first: how every application stores a date
        day = serial_to_date(raw, context.date1904)
        if day is None:
            return Decoded(
                None,
                Severity.ERROR,
                f"{shown(raw)} is not a date; enter {DATE_EXAMPLE}",
                Code.DATE_INVALID,
            )
        return _in_range(day, day)
    if raw is None or (isinstance(raw, str) and raw.strip() == ""):
        return BLANK
    if isinstance(raw, CellError):
        return _error_value(raw, DATE_EXAMPLE)
    if isinstance(raw, dt.date):
        return _in_range(raw, raw)
    if isinstance(raw, str):
        text = raw.strip()
        day = _text_date(text)
        if day is not None:
            decoded = _in_range(day, raw)
            if decoded.severity is not None:
                return decoded
            return Decoded(
                day,
                Severity.WARNING,
                f"{shown(raw)} is text, read as {day.isoformat()}; enter it as a date "
                "so the tracker's own figures count it",
                Code.DATE_AS_TEXT,
            )
    return Decoded(
        None, Severity.ERROR, f"{shown(raw)} is not a date; enter {DATE_EXAMPLE}", Code.DATE_INVALID
    )


def _text_date(text: str) -> dt.date | None:
    """A date typed as ISO text (2026-03-31) or as US text (3/31/2026)."""
    iso = _ISO_DATE.fullmatch(text)
    us = _US_DATE.fullmatch(text)
    try:
        if iso is not None:
            return dt.date(int(iso[1]), int(iso[2]), int(iso[3]))
        if us is not None:
            return dt.date(int(us[3]), int(us[1]), int(us[2]))
    except ValueError:
        return None
    return None


# --- rating -------------------------------------------------------------------------------

_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
RATING_HINT = "enter a whole number from 1 to 5"
_RATING_BY_NUMBER = {float(rating): Decoded(rating) for rating in RATINGS}
"""A rating stored as the number the dropdown enters, decoded once."""


def decode_rating(raw: object, context: Context) -> Decoded:
    if isinstance(raw, float):
        exact = _RATING_BY_NUMBER.get(raw)
        if exact is not None:
            return exact
    if raw is None or (isinstance(raw, str) and raw.strip() == ""):
        return BLANK
    if isinstance(raw, CellError):
        return _error_value(raw, "a rating from 1 to 5")
    number: float | None = None
    if isinstance(raw, float):
        number = raw
    elif isinstance(raw, str) and _NUMBER.fullmatch(raw.strip()):
        number = float(raw.strip())
    if number is not None and number.is_integer() and 1 <= number <= 5:
        return Decoded(int(number))
    if isinstance(raw, str):
        names = [name.casefold() for name in context.scale]
        if raw.strip().casefold() in names:
            level = names.index(raw.strip().casefold()) + 1
            return Decoded(
                level,
                Severity.WARNING,
                f"{shown(raw)} was read as level {level}; enter the number {level} "
                "so the tracker's own figures count it",
                Code.RATING_BY_NAME,
            )
    code = Code.RATING_INVALID if number is None else Code.RATING_OUT_OF_RANGE
    return Decoded(None, Severity.ERROR, f"{shown(raw)} is not a rating; {RATING_HINT}", code)


# --- hours --------------------------------------------------------------------------------

HOURS_HINT = f"enter a number of hours from 0 to {MAX_HOURS:,}, such as 1.5"


def decode_hours(raw: object, _: Context) -> Decoded:
    """A number of hours; one typed as text (``"2"``) is read, and told, like a date as text."""
    if raw is None or (isinstance(raw, str) and raw.strip() == ""):
        return BLANK
    if isinstance(raw, CellError):
        return _error_value(raw, "a number of hours")
    number: float | None = None
    if isinstance(raw, float):
        number = raw
    elif isinstance(raw, str) and _NUMBER.fullmatch(raw.strip()):
        number = float(raw.strip())
    if number is None or not math.isfinite(number) or not 0 <= number <= MAX_HOURS:
        return Decoded(
            None,
            Severity.ERROR,
            f"{shown(raw)} is not a number of hours; {HOURS_HINT}",
            Code.HOURS_INVALID,
        )
    if isinstance(raw, str):
        return Decoded(
            number,
            Severity.WARNING,
            f"{shown(raw)} was typed as text and read as {_number_text(number)} hours; enter it "
            "as a number so the tracker's own figures count it",
            Code.HOURS_AS_TEXT,
        )
    return Decoded(number)


# --- the table ----------------------------------------------------------------------------


def _status_validation(_: Role) -> dict[str, Any]:
    # A range rather than an inline list: inline lists stop at 255 characters.
    return {
        "validate": "list",
        "source": f"={STATUS_LIST}",
        "error_title": "Status",
        "error_message": "Choose one of: " + ", ".join(STATUSES) + ".",
    }


def _rating_validation(role: Role) -> dict[str, Any]:
    scale = " · ".join(f"{level.level} {level.name}" for level in role.scale)
    return {
        "validate": "list",
        "source": f"={RATING_LIST}",
        "input_title": "Proficiency (1-5)",
        "input_message": scale[:255],
        "error_title": "Rating",
        "error_message": "Choose a level from 1 to 5.",
    }


def _date_validation(_: Role) -> dict[str, Any]:
    return {
        "validate": "date",
        "criteria": "between",
        "minimum": EARLIEST_DATE,
        "maximum": LATEST_DATE,
        "error_title": "Date",
        "error_message": "Enter a date, such as 2026-03-31.",
    }


def _choice_validation(_: Role) -> dict[str, Any]:
    return {
        "validate": "list",
        "source": f"={CHOICE_LIST}",
        "input_title": "Target role",
        "input_message": "Choose the next role you are aiming at; the Next Role sheet follows.",
        "error_title": "Target role",
        "error_message": "Choose one of the next roles in the list, or None.",
    }


def _hours_validation(_: Role) -> dict[str, Any]:
    return {
        "validate": "decimal",
        "criteria": "between",
        "minimum": 0,
        "maximum": MAX_HOURS,
        "error_title": "Hours",
        "error_message": f"Enter a number of hours from 0 to {MAX_HOURS}, such as 1.5.",
    }


def _no_validation(_: Role) -> None:
    return None


def _same(value: Any) -> Any:
    return value


def _status_value(value: Status | None) -> str:
    return "" if value is None else value.value


@dataclass(frozen=True)
class Codec:
    """An input kind: the value a cell stores, its validation, and how to read it back."""

    encode: Callable[[Any], Any]
    validation: Callable[[Role], dict[str, Any] | None]
    decode: Callable[[object, Context], Decoded]


CODECS = {
    "text": Codec(_same, _no_validation, decode_text),
    "status": Codec(_status_value, _status_validation, decode_status),
    "date": Codec(_same, _date_validation, decode_date),
    "rating": Codec(_same, _rating_validation, decode_rating),
    "choice": Codec(_same, _choice_validation, decode_text),
    "hours": Codec(_same, _hours_validation, decode_hours),
}
"""By :class:`trackerkit.layout.Kind` value."""
