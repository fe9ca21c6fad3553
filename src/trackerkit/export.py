"""Filled-in trackers as JSON or CSV, for an HR system, a script or a spreadsheet.

JSON keeps every text exactly. CSV is usually opened in a spreadsheet, where a
value starting with ``=``, ``+``, ``-`` or ``@`` would run as a formula, so
such a value gets a leading apostrophe (a spreadsheet shows it as the text).
"""

from __future__ import annotations

import csv
import io
import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from trackerkit.reader import FilledTracker

FORMULA_STARTS = ("=", "+", "-", "@", *map(chr, range(32)), "\x7f")
"""What a CSV value may not start with unguarded: a formula's first character, or a control
character, which spreadsheet apps drop on import (NUL, say) so that what follows would run."""

READINESS_COLUMNS = (
    "target_role_id",
    "courses_done",
    "courses_required",
    "competencies_met",
    "competencies_asked",
    "ready",
)
"""The ``readiness`` object's fields as CSV columns (``target`` named ``target_role_id``)."""

CSV_COLUMNS = (
    "file",
    "role_id",
    "role_version",
    "employee_id",
    "employee_name",
    "manager",
    "location",
    "kind",
    "id",
    "status",
    "target_date",
    "completed_on",
    "notes",
    "self_rating",
    "manager_rating",
    "evidence",
    "obtained_on",
    "expires_on",
    "problems",
    *READINESS_COLUMNS,
    "title",
    "provider",
    "hours",
)
"""One row per course entry (kind ``course``), per own course (``own_course``: its ``id`` is
what the person typed, its ``title``, ``provider`` and ``hours`` are its own; last, so the
columns before keep their places), per competency entry (``competency``) and per
certification entry (``certification``: its ``obtained_on`` and ``expires_on``);
``problems`` lists the row's problems, so a value that could not be read keeps its text.
The readiness columns repeat the tracker's readiness for its target on each of its rows
(empty when it has no target)."""

SECTIONS = {
    "course": "courses",
    "own_course": "own_courses",
    "competency": "competencies",
    "certification": "certifications",
}
"""Each CSV row kind and the output section its problems name in their ``field``."""


def to_json(trackers: Sequence[FilledTracker], *, single: bool) -> str:
    """One tracker's object when ``single``, else a list of them."""
    data: Any = trackers[0].to_dict() if single else [t.to_dict() for t in trackers]
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def csv_safe(value: object) -> str:
    """A value as CSV text that a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_rows(tracker: FilledTracker) -> list[dict[str, object]]:
    data = tracker.to_dict()
    common = {
        "file": data["file"],
        "role_id": data["role"]["id"],
        "role_version": data["role"]["version"],
        "employee_id": data["employee"]["employee_id"],
        "employee_name": data["employee"]["name"],
        "manager": data["employee"]["manager"],
        "location": data["employee"]["location"],
        **readiness_values(data["readiness"]),
    }
    found = _row_problems(data["problems"])
    rows: list[dict[str, object]] = []
    for kind, section in SECTIONS.items():
        if kind == "own_course":
            continue  # an own course's id is what was typed, so its problems go by row: last
        rows += [
            {**common, "kind": kind, **entry, "problems": found.get((kind, entry["id"]), "")}
            for entry in data[section]
        ]
    rows += [
        {**common, "kind": "own_course", **own, "problems": found.get(("own_course", str(n)), "")}
        for n, own in enumerate(data["own_courses"])
    ]
    return rows


def readiness_values(readiness: Mapping[str, Any] | None) -> dict[str, object]:
    """The readiness columns of a CSV row: empty without a target, ``ready`` as yes or no."""
    if readiness is None:
        return dict.fromkeys(READINESS_COLUMNS, "")
    values = {**readiness, "target_role_id": readiness["target"]}
    values["ready"] = "yes" if readiness["ready"] else "no"
    return {key: values[key] for key in READINESS_COLUMNS}


def _row_problems(problems: Sequence[Mapping[str, Any]]) -> dict[tuple[str, str], str]:
    """Each row's problems as one text: ``code field="typed"``, separated by ``; ``.

    The typed text is quoted as JSON, so a quote or a ``;`` in it stays unambiguous.
    """
    kinds = {f"{section}.": kind for kind, section in SECTIONS.items()}
    found: dict[tuple[str, str], list[str]] = {}
    for problem in problems:
        field, item = problem["field"] or "", problem["item"]
        kind = next((k for prefix, k in kinds.items() if field.startswith(prefix)), None)
        if item is None or kind is None:
            continue  # not about a course, competency or certification row
        text = problem["code"] + " " + field.split(".")[-1]
        if problem["typed"] is not None:
            text += "=" + json.dumps(problem["typed"], ensure_ascii=False)
        found.setdefault((kind, item), []).append(text)
    return {key: "; ".join(texts) for key, texts in found.items()}


def to_csv(trackers: Sequence[FilledTracker]) -> str:
    stream = io.StringIO()
    writer = csv.DictWriter(stream, CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for tracker in trackers:
        for row in csv_rows(tracker):
            writer.writerow({key: csv_safe(row.get(key)) for key in CSV_COLUMNS})
    return stream.getvalue()
