"""The Python twins of the tracker's formulas.

Every derived figure in a tracker is a live Excel formula; this module
computes the same figures from a role and what was entered, so the writer
can store them as the formulas' cached values (LibreOffice and file
previews show those until something is recalculated) and the reader can
recompute them instead of trusting a file. The formulas themselves are in
:mod:`trackerkit.layout`, next to the coordinates they use; a LibreOffice
test proves the two agree.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import asdict, dataclass, field, replace
from typing import TYPE_CHECKING

from trackerkit.entries import DONE, DONE_STATUSES, Employee, Entries, Status
from trackerkit.model import Requirement

if TYPE_CHECKING:
    from collections.abc import Mapping

    from trackerkit.entries import CourseEntry, OwnCourse
    from trackerkit.model import Course, Role, RoleCourse

YES, NO = "Yes", "No"
"""What the At target column shows for a rated competency."""
NOT_RATED = "Not rated"
"""What the At target column (and the team heatmap) shows for a competency with no rating:
it has no gap, is not at target and is never among the largest gaps."""
OVERDUE = "Overdue"
"""What the Overdue column shows for a late course."""
RENEWAL_DUE = "Renewal due"
"""What the Renewal due column shows for a completed course past its renewal date."""
LAPSED_SUFFIX = " (renewal due)"
"""Added to a lapsed course's status where another sheet shows it, so it reads as not done."""
RENEWAL_WINDOW_DAYS = 60
"""Start Here counts the renewals due within this many days from today."""
EXPIRY_WINDOW_DAYS = RENEWAL_WINDOW_DAYS
"""A certification expiring within this many days from today is flagged: the same warning
time as a renewal."""
EXPIRED = "Expired"
"""What the Certifications sheet's flag shows once a certification's expiry date has passed."""
EXPIRING = f"Expires within {EXPIRY_WINDOW_DAYS} days"
"""What the flag shows from :data:`EXPIRY_WINDOW_DAYS` days before the expiry date to it."""

RANK_SPACING = 10_000
"""Ties between equal gaps are broken by row: key = gap - row / RANK_SPACING."""


@dataclass(frozen=True)
class CompetencyFigures:
    current: int | None
    """The manager's rating, else the person's own, else None (not rated)."""
    gap: int | None
    """How far the current level is below the target; None when not rated."""
    at_target: str
    courses_done: int
    courses_total: int
    coverage: float | None
    rank_key: float | None
    """The gap, ties broken by row; None when not rated, so it never ranks."""


@dataclass(frozen=True)
class Dashboard:
    required_done: int
    required_total: int
    required_share: float | None
    all_done: int
    all_total: int
    all_share: float | None
    hours_done: float
    hours_planned: float
    at_target: int
    rated: int
    competencies_total: int
    overdue: int
    largest_gaps: tuple[str, str, str]
    renewals_due: int = 0
    """Completed courses past their renewal date: counted as not done."""
    renewals_soon: int = 0
    """Completed courses due again within :data:`RENEWAL_WINDOW_DAYS` from the day."""
    certifications_expired: int = 0
    """The role's certifications whose expiry date has passed."""
    certifications_expiring: int = 0
    """The role's certifications expiring within :data:`EXPIRY_WINDOW_DAYS` from the day."""


@dataclass(frozen=True)
class Figures:
    role_title: str
    employee: Employee
    overdue: Mapping[str, bool]
    competencies: Mapping[str, CompetencyFigures]
    dashboard: Dashboard
    next_role: NextRoleFigures | None = None
    """Toward the next role chosen, when the tracker offers next roles."""
    due_again: Mapping[str, dt.date | None] = field(default_factory=dict)
    """Each checklist course's next renewal date (None: not renewed, or not completed)."""
    renewal_due: Mapping[str, bool] = field(default_factory=dict)
    """Each checklist course: completed, and past its renewal date (so counted as not done)."""
    expiry: Mapping[str, str] = field(default_factory=dict)
    """Each certification of the role: :data:`EXPIRED`, :data:`EXPIRING` or ""."""
    own_overdue: tuple[bool, ...] = ()
    """Each own course (in the order of ``Entries.own_courses``): whether it is overdue."""


def is_overdue(status: Status | None, target: dt.date | None, as_of: dt.date) -> bool:
    """The overdue rule: a target date before the day, and the course not done.

    Its Excel forms are beside it: :func:`overdue_when` for one row, :func:`overdue_count`
    for a count over many.
    """
    return target is not None and target < as_of and status not in DONE


def overdue_when(status: str, target: str, day: str = "TODAY()") -> str:
    """:func:`is_overdue` as a row's formula over its ``status`` and ``target`` cells."""
    not_done = ",".join(f'{status}<>"{done}"' for done in DONE_STATUSES)
    return f'=IF(AND({target}<>"",{target}<{day},{not_done}),"{OVERDUE}","")'


def own_overdue_when(title: str, status: str, target: str, day: str = "TODAY()") -> str:
    """:func:`is_overdue` for an own course's row: blank while the row has no title, since
    a row without one is no course."""
    return f'=IF({title}="","",{overdue_when(status, target, day)[1:]})'


def overdue_count(criteria: str, statuses: str, targets: str, day: str) -> str:
    """How many rows meeting ``criteria`` :func:`is_overdue` counts on ``day``, in one COUNTIFS
    over the ``statuses`` and ``targets`` ranges."""
    not_done = "".join(f',{statuses},"<>{done}"' for done in DONE_STATUSES)
    return f'=COUNTIFS({criteria},{targets},"<"&{day}{not_done})'


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by whole months, as Excel's EDATE does: the 31st of January plus one
    month is the last day of February."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def due_again(course: Course, entry: CourseEntry) -> dt.date | None:
    """When a completed course that must be renewed is due again; None for any other.

    Its Excel form is :func:`due_again_formula`."""
    months = course.renew_every_months
    if months is None or entry.status is not Status.COMPLETED or entry.completed_on is None:
        return None
    return add_months(entry.completed_on, months)


def due_again_formula(months: str, status: str, completed: str) -> str:
    """:func:`due_again` as a row's formula: EDATE of the completion date. A date typed as
    text is no date here, while the reader reads it as one and warns to enter it as a date."""
    when = f'AND({months}<>"",{status}="{Status.COMPLETED.value}",ISNUMBER({completed}))'
    return f'=IF({when},EDATE({completed},{months}),"")'


def is_renewal_due(due: dt.date | None, as_of: dt.date) -> bool:
    """The renewal rule: a renewal date before the day, like the overdue rule's target date."""
    return due is not None and due < as_of


def renewal_due_when(due: str, day: str = "TODAY()") -> str:
    """:func:`is_renewal_due` as a row's formula over its Due again cell."""
    return f'=IF({due}="","",IF({due}<{day},"{RENEWAL_DUE}",""))'


def renewals_soon_count(dues: str, day: str = "TODAY()") -> str:
    """How many renewal dates fall from ``day`` to :data:`RENEWAL_WINDOW_DAYS` days after it."""
    return f'=COUNTIFS({dues},">="&{day},{dues},"<="&({day}+{RENEWAL_WINDOW_DAYS}))'


def expiry_flag(expires_on: dt.date | None, as_of: dt.date) -> str:
    """The expiry rule: :data:`EXPIRED` after the expiry date (a certificate holds through
    its last day), :data:`EXPIRING` from :data:`EXPIRY_WINDOW_DAYS` days before it, else "".

    Its Excel form is :func:`expiry_flag_formula`."""
    if expires_on is None:
        return ""
    if expires_on < as_of:
        return EXPIRED
    return EXPIRING if (expires_on - as_of).days <= EXPIRY_WINDOW_DAYS else ""


def expiry_flag_formula(expires: str, day: str = "TODAY()") -> str:
    """:func:`expiry_flag` as a row's formula over its Expires on cell. A date typed as text
    flags nothing here until it is typed as a date; reading warns about such a cell."""
    soon = f'IF({expires}<={day}+{EXPIRY_WINDOW_DAYS},"{EXPIRING}","")'
    return f'=IF(ISNUMBER({expires}),IF({expires}<{day},"{EXPIRED}",{soon}),"")'


def lapsed(role: Role, entries: Entries, as_of: dt.date) -> frozenset[str]:
    """The checklist's courses whose renewal is due on ``as_of``: they count as not done."""
    return frozenset(
        item.id
        for item in role.courses
        if is_renewal_due(due_again(item.course, entries.course(item.id)), as_of)
    )


def compute(
    role: Role,
    entries: Entries,
    as_of: dt.date,
    competency_rows: Mapping[str, int],
    targets: tuple[Role, ...] = (),
) -> Figures:
    """All derived figures; ``competency_rows`` gives each competency's sheet row (1-based)."""
    overdue = {
        item.id: is_overdue(
            entries.course(item.id).status, entries.course(item.id).target_date, as_of
        )
        for item in role.courses
    }
    status = {item.id: entries.course(item.id).status for item in role.courses}
    due = {item.id: due_again(item.course, entries.course(item.id)) for item in role.courses}
    lapsed_ids = lapsed(role, entries, as_of)
    done = {c: value in DONE and c not in lapsed_ids for c, value in status.items()}
    competencies = {}
    for item in role.competencies:
        entry = entries.competency(item.id)
        current = entry.manager_rating if entry.manager_rating is not None else entry.self_rating
        gap = None if current is None else max(0, item.target - current)
        building = [c.id for c in role.courses if item.id in c.course.competencies]
        completed = sum(status[c] is Status.COMPLETED and done[c] for c in building)
        competencies[item.id] = CompetencyFigures(
            current=current,
            gap=gap,
            at_target=NOT_RATED if gap is None else (YES if gap == 0 else NO),
            courses_done=completed,
            courses_total=len(building),
            coverage=completed / len(building) if building else None,
            rank_key=None if gap is None else gap - competency_rows[item.id] / RANK_SPACING,
        )
    required = [c.id for c in role.courses if c.requirement is Requirement.REQUIRED]
    required_done = sum(done[c] for c in required)
    all_done = sum(done.values())
    hours = {c.id: c.course.hours for c in role.courses}
    own = entries.own_courses
    own_done = sum(course.status in DONE for course in own)
    all_total = len(status) + len(own)
    all_done += own_done
    planned = (Status.PLANNED, Status.IN_PROGRESS)
    largest = largest_gaps(role, competencies)
    expiry = {
        item.id: expiry_flag(entries.certification(item.id).expires_on, as_of)
        for item in role.certifications
    }
    dashboard = Dashboard(
        required_done=required_done,
        required_total=len(required),
        required_share=required_done / len(required) if required else None,
        all_done=all_done,
        all_total=all_total,
        all_share=all_done / all_total if all_total else None,
        hours_done=sum((hours[c] for c in status if status[c] is Status.COMPLETED), 0.0)
        + _own_hours(own, (Status.COMPLETED,)),
        hours_planned=sum((hours[c] for c in status if status[c] in planned), 0.0)
        + _own_hours(own, planned),
        at_target=sum(figures.at_target == YES for figures in competencies.values()),
        rated=sum(figures.current is not None for figures in competencies.values()),
        competencies_total=len(competencies),
        overdue=sum(overdue.values()),
        largest_gaps=(*largest, "", "", "")[:3],  # type: ignore[arg-type]
        renewals_due=len(lapsed_ids),
        renewals_soon=sum(
            day is not None and 0 <= (day - as_of).days <= RENEWAL_WINDOW_DAYS
            for day in due.values()
        ),
        certifications_expired=sum(flag == EXPIRED for flag in expiry.values()),
        certifications_expiring=sum(flag == EXPIRING for flag in expiry.values()),
    )
    return Figures(
        role_title=role.long_title,
        employee=entries.employee,
        overdue=overdue,
        competencies=competencies,
        dashboard=dashboard,
        next_role=next_role(role, targets, entries, as_of) if targets else None,
        due_again=due,
        renewal_due={c: c in lapsed_ids for c in status},
        expiry=expiry,
        own_overdue=tuple(is_overdue(c.status, c.target_date, as_of) for c in own),
    )


def _own_hours(own: tuple[OwnCourse, ...], statuses: tuple[Status, ...]) -> float:
    """The hours of the own courses at one of ``statuses``; a blank Hours counts nothing."""
    return sum((c.hours or 0.0 for c in own if c.status in statuses), 0.0)


def largest_gaps(role: Role, competencies: Mapping[str, CompetencyFigures]) -> tuple[str, ...]:
    """The names of up to three rated competencies with a gap, largest first, ties by row:
    a competency nobody rated has no gap to rank, so a blank tracker names none."""
    ranked = sorted(
        (
            (key, item.competency.name)
            for item in role.competencies
            if (key := competencies[item.id].rank_key) is not None and key > 0
        ),
        reverse=True,
    )
    return tuple(name for _, name in ranked[:3])


@dataclass(frozen=True)
class NextRoleFigures:
    """How far a person is toward the next role chosen in Target role, from what this tracker
    holds. Each mapping covers every row of the Next Role sheet's tables (what any of the
    next roles asks); a row the chosen role does not ask shows "" (None for a level)."""

    choice: int
    """The chosen next role's place in the dropdown's list (from 1); 0 when none is chosen."""
    chosen: str
    """The chosen next role's title, as the list spells it; "" when none is chosen."""
    course_required: Mapping[str, str]
    course_status: Mapping[str, str]
    """Each course's status in this tracker, "" when not listed."""
    course_done: Mapping[str, str]
    competency_asked: Mapping[str, int | None]
    competency_level: Mapping[str, int | None]
    """Each competency's current level in this tracker, None when not rated."""
    competency_ready: Mapping[str, str]
    courses_done: int
    courses_total: int
    courses_share: float | None
    ready: int
    competencies_total: int
    competencies_share: float | None
    course_need: Mapping[str, int | str] = field(default_factory=dict)
    """Each required course not done: its place in "What you still need" (else "")."""
    competency_short: Mapping[str, int | str] = field(default_factory=dict)
    """Each competency below the level asked: by how many levels, or "Not rated" (else "")."""
    competency_need: Mapping[str, int | str] = field(default_factory=dict)
    """Each competency below the level asked: its place in "What you still need" (else "")."""
    builders: Mapping[str, str] = field(default_factory=dict)
    """Each competency: the courses of this tracker that build it, with their status."""
    still_need: tuple[StillNeed, ...] = ()
    """What you still need, in order: required courses not done, then the largest gaps."""

    @property
    def verdict(self) -> str:
        """ "Ready", or how many things are still to do; "" when no next role is chosen."""
        if not self.choice:
            return ""
        to_go = len(self.still_need)
        return READY if to_go == 0 else f"Not yet: {to_go} to go"


READY = "Ready"
REQUIRED_COURSE, COMPETENCY = "Required course", "Competency"
"""What each line of "What you still need" is."""
MAX_BUILDERS = 4
"""The courses named for a competency still needed: the first few that build it."""
NO_BUILDER = "No course in this tracker builds it: ask your manager"


@dataclass(frozen=True)
class StillNeed:
    """One line of "What you still need": a required course not done, or a competency below
    the level asked."""

    what: str
    kind: str
    asked: int | str
    now: int | str
    how: str


def _status_text(status: Status | None, lapsed: bool = False) -> str:
    """A status as a cell shows it; a status that could not be read counts as none. A course
    whose renewal is due says so, so that it reads (and counts) as not done."""
    return "" if status is None else status.value + (LAPSED_SUFFIX if lapsed else "")


def today() -> dt.date:
    """The local day, as TODAY() in a spreadsheet gives it: the default as-of day."""
    return dt.datetime.now(dt.timezone.utc).astimezone().date()


def current_level(entries: Entries, competency_id: str) -> int | None:
    """The level a competency counts at: the manager's rating, else the person's own."""
    entry = entries.competency(competency_id)
    return entry.manager_rating if entry.manager_rating is not None else entry.self_rating


def chosen_target(targets: tuple[Role, ...], title: str) -> Role | None:
    """The next role whose title Target role holds, as MATCH finds it: ignoring case."""
    wanted = title.casefold()
    return next((t for t in targets if t.title.casefold() == wanted), None) if title else None


def next_role(
    role: Role, targets: tuple[Role, ...], entries: Entries, as_of: dt.date | None = None
) -> NextRoleFigures:
    """The twins of the Next Role sheet's formulas, for the next role chosen in Target role.

    Every course a next role requires and every competency it asks has an input in the
    tracker (the checklist and Competency Coverage for the role's own, the Next Role sheet
    for the rest), so each status and level comes from the entries whichever sheet holds it.
    A competency nobody rated is not met; a checklist course whose renewal is due on
    ``as_of`` (default: today) is not done.
    """
    lapsed_ids = lapsed(role, entries, as_of or today())
    target = chosen_target(targets, entries.employee.target_role)
    courses = list(
        dict.fromkeys(
            c.id for t in targets for c in t.courses if c.requirement is Requirement.REQUIRED
        )
    )
    competencies = list(dict.fromkeys(c.id for t in targets for c in t.competencies))
    required = (
        {c.id for c in target.courses if c.requirement is Requirement.REQUIRED} if target else set()
    )
    asked = {c.id: c.target for c in target.competencies} if target else {}
    status = {c: _status_text(entries.course(c).status, c in lapsed_ids) for c in courses}
    done_values = {s.value for s in DONE}
    done = {c: (YES if status[c] in done_values else NO) if c in required else "" for c in courses}
    levels = {c: current_level(entries, c) for c in competencies}
    ready = {}
    for item in competencies:
        level, wanted = levels[item], asked.get(item)
        ready[item] = (
            "" if wanted is None else (YES if level is not None and wanted <= level else NO)
        )
    courses_done = sum(value == YES for value in done.values())
    ready_count = sum(value == YES for value in ready.values())
    missing = [c for c in courses if done[c] == NO]
    short: dict[str, int | str] = {
        c: "" if ready[c] != NO else (NOT_RATED if levels[c] is None else asked[c] - levels[c])  # type: ignore[operator]
        for c in competencies
    }
    rated = sorted(
        (c for c in competencies if isinstance(short[c], int)),
        key=lambda c: -int(short[c]),  # stable: equal gaps keep the table's order
    )
    unrated = [c for c in competencies if short[c] == NOT_RATED]
    order = [*rated, *unrated]
    titles = _titles(role, targets)
    builders = {c: _builders(role, targets, entries, c, lapsed_ids) for c in competencies}
    names = {c.id: c.competency.name for t in targets for c in t.competencies}
    still = [
        StillNeed(titles[c], REQUIRED_COURSE, "", "", f"Status: {status[c]}") for c in missing
    ] + [
        StillNeed(
            names[c],
            COMPETENCY,
            asked[c],
            NOT_RATED if levels[c] is None else levels[c],  # type: ignore[arg-type]
            builders[c],
        )
        for c in order
    ]
    return NextRoleFigures(
        course_need={c: missing.index(c) + 1 if c in missing else "" for c in courses},
        competency_short=short,
        competency_need={
            c: len(missing) + order.index(c) + 1 if c in order else "" for c in competencies
        },
        builders=builders,
        still_need=tuple(still),
        choice=targets.index(target) + 1 if target else 0,
        chosen=target.title if target else "",
        course_required={c: YES if c in required else "" for c in courses},
        course_status=status,
        course_done=done,
        competency_asked={c: asked.get(c) for c in competencies},
        competency_level=levels,
        competency_ready=ready,
        courses_done=courses_done,
        courses_total=len(required),
        courses_share=courses_done / len(required) if required else None,
        ready=ready_count,
        competencies_total=len(asked),
        competencies_share=ready_count / len(asked) if asked else None,
    )


def _titles(role: Role, targets: tuple[Role, ...]) -> dict[str, str]:
    return {c.id: c.course.title for r in (role, *targets) for c in r.courses}


def tracker_courses(role: Role, targets: tuple[Role, ...]) -> list[RoleCourse]:
    """Every course with a status in the tracker: the checklist's, then those only a next
    role requires (on the Next Role sheet)."""
    found = {c.id: c for c in role.courses}
    for target in targets:
        for item in target.courses:
            if item.requirement is Requirement.REQUIRED:
                found.setdefault(item.id, item)
    return list(found.values())


def building(role: Role, targets: tuple[Role, ...], competency_id: str) -> list[RoleCourse]:
    """The tracker's courses that build a competency, the first few, in the tracker's order."""
    found = [c for c in tracker_courses(role, targets) if competency_id in c.course.competencies]
    return found[:MAX_BUILDERS]


def _builders(
    role: Role,
    targets: tuple[Role, ...],
    entries: Entries,
    competency_id: str,
    lapsed_ids: frozenset[str],
) -> str:
    found = building(role, targets, competency_id)
    if not found:
        return NO_BUILDER
    return "; ".join(
        f"{c.course.title} ({_status_text(entries.course(c.id).status, c.id in lapsed_ids)})"
        for c in found
    )


@dataclass(frozen=True)
class Readiness:
    """How ready a person is for their target role, as a filled tracker reports it."""

    target: str
    """The target role's id."""
    courses_done: int
    courses_required: int
    competencies_met: int
    competencies_asked: int
    ready: bool
    """Every required course done or waived, every competency at the level asked."""

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def readiness(
    role: Role, target: Role, entries: Entries, as_of: dt.date | None = None
) -> Readiness:
    """The readiness figures of the Next Role sheet with ``target`` chosen, from the same
    twins, on ``as_of`` (default: today), the day renewals are due from."""
    chosen = replace(entries, employee=replace(entries.employee, target_role=target.title))
    figures = next_role(role, (target,), chosen, as_of)
    return Readiness(
        target=target.id,
        courses_done=figures.courses_done,
        courses_required=figures.courses_total,
        competencies_met=figures.ready,
        competencies_asked=figures.competencies_total,
        ready=(
            figures.courses_done == figures.courses_total
            and figures.ready == figures.competencies_total
        ),
    )
