"""Render one picture per visible tracker sheet into docs/images/, and the team report's.

Builds the tracker for one role through the public API, prefilled with a small
example, converts it to PDF with LibreOffice (with a fresh temporary profile) and
renders the first page of each sheet to PNG with pdftoppm, cut off below the last
row so no blank half page or page footer is kept. PDF pages are matched to sheets
by the sheet name that every page header carries.

Then it builds a small team's trackers (the example among them) and one file that
is not a workbook, writes their team report and pictures four of its sheets
(``report-<sheet>.png``). The report's sheets print fit to one page wide, too small
to read, and its Summary chart does not fit a portrait page, so the report is
converted with LibreOffice's whole-sheet export: each sheet on one page of its own
size, as on screen. Its pages carry no header; each is known by the sheet's title
in its first row. The report counts overdue courses from its own day, a cell, never
TODAY(), so these pictures do not drift.

The example's dates are fixed, so the pictures only change when the layout or the
role does. One caveat: LibreOffice always recomputes TODAY() on opening, so the
"Overdue" figures use the real date. The example's target dates sit far enough
either side of ``AS_OF`` for that not to matter for a while, and the script says
so when it starts to.

Needs LibreOffice (``soffice``) and poppler-utils (``pdftoppm``, ``pdftotext``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import trackerkit
from trackerkit import (
    CertificationEntry,
    CompetencyEntry,
    CourseEntry,
    Employee,
    Entries,
    OwnCourse,
    Requirement,
    Status,
)
from trackerkit import layout as lay
from trackerkit import report_layout as rl
from trackerkit.figures import chosen_target

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

    from trackerkit import Catalog, Role

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "docs" / "images"
VISIBLE_SHEETS = (
    lay.START,
    lay.CHECKLIST,
    lay.COVERAGE,
    lay.CERTIFICATIONS,
    lay.NEXT_ROLE,
    lay.DISCUSSION,
)
EXAMPLE_ROLE = "psr-ii"
"""The example's role: the tracker pictured by default, and its person's in the team."""
AS_OF = dt.date(2026, 11, 16)
"""The example's "today": the cached Overdue figures and the generation date use it."""
TOOLS = ("soffice", "pdftoppm", "pdftotext")
INSTALL_HINT = "install libreoffice-calc-nogui and poppler-utils"
TIMEOUT = 180
"""Seconds one external program may take."""
LINE_TOLERANCE = 2.0
"""Points within which two words are on the same printed line."""
MARGIN = 18.0
"""Points kept below the last word of a sheet, for cell borders and the chart's frame."""
WHOLE_TRACKER_SHEETS = (lay.START, lay.NEXT_ROLE)
"""The tracker's sheets pictured whole, as on screen: Start Here prints on two pages (the
dashboard's chart on the second) and Next Role, fit to one page wide, prints too small to read."""
REPORT_SHEETS = (
    rl.SUMMARY,
    rl.PEOPLE,
    rl.READINESS,
    rl.MANAGERS,
    rl.LOCATIONS,
    rl.BOTTLENECKS,
    rl.HEATMAP,
    rl.COURSES,
    rl.CERTIFICATIONS,
)
"""The team report's sheets that are pictured, as ``report-<sheet>.png``."""
RETURNED = "returned"
"""The folder of the team's trackers, as the report names their files."""
UNREADABLE = "notes.xlsx"
"""A file in that folder that is not a workbook, so the Problems sheet has a row."""
WHOLE_SHEETS = json.dumps({"SinglePageSheets": {"type": "boolean", "value": "true"}})
"""LibreOffice's PDF export option that puts each sheet on one page of its own size."""


class RenderError(Exception):
    """A step failed; the message is the one line the script prints."""


def example_entries() -> Entries:
    """A PSR II a year into the role: most required courses done, one course overdue; aiming
    at PSR II Site Lead, with a course and two competencies only that role asks under way, and
    two courses of their own."""
    done = Status.COMPLETED
    return Entries(
        employee=Employee(
            name="Jordan Rivera",
            employee_id="E10482",
            manager="Priya Shah",
            location="PSC Riverside",
            current_role="Patient Services Representative II",
            target_role="PSR II Site Lead",
            start_date=dt.date(2025, 10, 6),
        ),
        courses={
            "hipaa-privacy-security": CourseEntry(done, completed_on=dt.date(2025, 10, 8)),
            "annual-compliance": CourseEntry(done, completed_on=dt.date(2025, 10, 9)),
            "bloodborne-pathogens": CourseEntry(done, completed_on=dt.date(2025, 10, 9)),
            "lab-safety-infection-control": CourseEntry(done, completed_on=dt.date(2025, 10, 14)),
            "patient-identification-and-labeling": CourseEntry(
                done, completed_on=dt.date(2025, 10, 15)
            ),
            "venipuncture-fundamentals": CourseEntry(done, completed_on=dt.date(2025, 11, 4)),
            "order-of-draw": CourseEntry(done, completed_on=dt.date(2025, 11, 5)),
            "phlebotomy-skills-checkoff": CourseEntry(
                done, completed_on=dt.date(2026, 1, 20), notes="Signed off by the site lead"
            ),
            "cpt-exam-prep": CourseEntry(Status.WAIVED, notes="Already certified (NHA CPT)"),
            "difficult-draws": CourseEntry(
                Status.IN_PROGRESS, target_date=dt.date(2027, 6, 30), notes="Modules 1-3 done"
            ),
            "de-escalation": CourseEntry(
                Status.PLANNED,
                target_date=dt.date(2026, 10, 30),
                notes="Moved twice: clinic coverage",
            ),
            "pediatric-geriatric-draws": CourseEntry(
                Status.PLANNED, target_date=dt.date(2027, 9, 30)
            ),
            # required by PSR II Site Lead only: its status is set on Next Role
            "coaching-mentoring": CourseEntry(
                Status.IN_PROGRESS, target_date=dt.date(2027, 3, 31), notes="With the site lead"
            ),
        },
        competencies={
            "phlebotomy-and-specimen-collection": CompetencyEntry(
                self_rating=3, manager_rating=3, evidence="Skills check-off, January 2026"
            ),
            "time-management": CompetencyEntry(self_rating=3, manager_rating=2),
            "composure": CompetencyEntry(self_rating=2),
            "customer-focus": CompetencyEntry(
                self_rating=4, manager_rating=3, evidence="Two patient compliments in Q3"
            ),
            "attention-to-detail": CompetencyEntry(self_rating=3, manager_rating=3),
            "safety-and-compliance": CompetencyEntry(self_rating=3),
            "decision-quality": CompetencyEntry(self_rating=1),
            # asked by PSR II Site Lead only: rated on Next Role
            "coaching-and-mentoring": CompetencyEntry(self_rating=2, manager_rating=2),
            "collaboration": CompetencyEntry(self_rating=3),
        },
        # expired well before AS_OF, so TODAY() on opening keeps the flag
        certifications={"cpt": CertificationEntry(dt.date(2024, 6, 3), dt.date(2026, 6, 2))},
        own_courses=(
            OwnCourse(
                "Medical Spanish for the front desk",
                "span-101",
                "Community college",
                12,
                done,
                completed_on=dt.date(2026, 2, 26),
            ),
            OwnCourse(
                "Excel basics",
                provider="Public library",
                hours=3,
                status=Status.PLANNED,
                target_date=dt.date(2027, 4, 30),
            ),
        ),
    )


@dataclass(frozen=True)
class Teammate:
    """One tracker of the example team, given by how far its person has come."""

    file: str
    role: str
    employee: Employee
    done: int
    """How many of the role's required courses are completed, first ones first."""
    courses: Mapping[str, CourseEntry] = field(default_factory=dict)
    """The other courses entered; these win over :attr:`done`."""
    ratings: Mapping[str, int] = field(default_factory=dict)
    """Manager ratings off the role's target, or all there are without :attr:`rated`."""
    rated: bool = True
    """Whether every other competency is rated at its target; if not, it is left unrated."""
    target_met: bool = False
    """Whether the target role's required courses are all done and its competencies all at
    the level it asks (before :attr:`courses` and :attr:`ratings`), so the person is ready."""
    certifications: Mapping[str, CertificationEntry] = field(default_factory=dict)
    """The dates of the role's certifications entered."""

    def entries(self, role: Role, target: Role | None = None) -> Entries:
        required = [c.id for c in role.courses if c.requirement is Requirement.REQUIRED]
        start = self.employee.start_date or AS_OF
        done = {
            course_id: CourseEntry(
                Status.COMPLETED, completed_on=start + dt.timedelta(weeks=number + 1)
            )
            for number, course_id in enumerate(required[: self.done])
        }
        ratings = {
            c.id: CompetencyEntry(manager_rating=c.target) for c in role.competencies if self.rated
        }
        if target is not None and self.target_met:
            done.update(
                (c.id, CourseEntry(Status.COMPLETED, completed_on=start))
                for c in target.courses
                if c.requirement is Requirement.REQUIRED
            )
            ratings.update(
                (c.id, CompetencyEntry(manager_rating=c.target)) for c in target.competencies
            )
        ratings.update({key: CompetencyEntry(manager_rating=r) for key, r in self.ratings.items()})
        return Entries(
            employee=self.employee,
            courses={**done, **self.courses},
            competencies=ratings,
            certifications=self.certifications,
        )


def example_team() -> tuple[Teammate, ...]:
    """The example's teammates, of three roles: new, on track, late, and done."""
    riverside, northgate = ("Priya Shah", "PSC Riverside"), ("Dana Kim", "PSC Northgate")

    def person(
        name: str, employee_id: str, start: dt.date, target: str, site: tuple[str, str] = riverside
    ) -> Employee:
        return Employee(name, employee_id, *site, target_role=target, start_date=start)

    planned, going = Status.PLANNED, Status.IN_PROGRESS
    return (
        Teammate(
            "avery-chen.xlsx",
            "psr-i",
            person(
                "Avery Chen", "E10511", dt.date(2026, 6, 1), "Patient Services Representative II"
            ),
            done=7,
            courses={
                "adverse-reactions": CourseEntry(going, dt.date(2026, 12, 15)),
                "specimen-processing-transport": CourseEntry(planned, dt.date(2026, 10, 30)),
                "phlebotomy-skills-checkoff": CourseEntry(planned, dt.date(2027, 1, 29)),
            },
            ratings={"time-management": 1, "composure": 1, "phlebotomy-and-specimen-collection": 1},
        ),
        Teammate(
            "riley-brooks.xlsx",
            "psr-i",
            person("Riley Brooks", "E10577", dt.date(2026, 10, 19), ""),
            done=2,
            courses={"bloodborne-pathogens": CourseEntry(going, dt.date(2026, 11, 30))},
            ratings={"customer-focus": 2, "integrity": 2, "compassion": 1},
            rated=False,
        ),
        Teammate(
            "sam-patel.xlsx",
            "psr-ii",
            person(
                "Sam Patel", "E10219", dt.date(2023, 3, 13), "Patient Services Representative III"
            ),
            done=12,
            courses={
                "de-escalation": CourseEntry(Status.COMPLETED, completed_on=dt.date(2026, 2, 12)),
                "time-management-busy-sites": CourseEntry(going, dt.date(2027, 3, 31)),
            },
            ratings={"decision-quality": 1, "managing-and-measuring-work": 1},
            certifications={"cpt": CertificationEntry(dt.date(2024, 12, 9), dt.date(2026, 12, 8))},
        ),
        Teammate(
            "morgan-lee.xlsx",
            "psr-iii",
            person("Morgan Lee", "E09874", dt.date(2021, 9, 7), "PSR IV Group Lead", northgate),
            done=11,
            courses={
                "difficult-draws": CourseEntry(going, dt.date(2027, 2, 26)),
                "pediatric-geriatric-draws": CourseEntry(planned, dt.date(2026, 9, 30)),
                "de-escalation": CourseEntry(planned, dt.date(2026, 11, 6)),
            },
            ratings={"composure": 1, "coaching-and-mentoring": 1, "problem-solving": 2},
            certifications={"cpt": CertificationEntry(dt.date(2023, 9, 1), dt.date(2025, 8, 31))},
        ),
        Teammate(
            "taylor-nguyen.xlsx",
            "psr-iii",
            person("Taylor Nguyen", "E10033", dt.date(2022, 4, 18), "PSR IV Group Lead", northgate),
            done=14,
            courses={
                "coaching-mentoring": CourseEntry(
                    Status.COMPLETED, completed_on=dt.date(2026, 5, 20)
                ),
            },
            ratings={"customer-focus": 5},
            target_met=True,
        ),
    )


def overdue_on(entries: Entries, day: dt.date) -> list[str]:
    """The example's courses that are overdue on ``day``, as the Overdue column counts them."""
    return [
        course_id
        for course_id, entry in entries.courses.items()
        if entry.target_date is not None
        and entry.target_date < day
        and entry.status not in (Status.COMPLETED, Status.WAIVED)
    ]


def slug(sheet: str) -> str:
    return sheet.lower().replace(" ", "-")


def run(command: list[str], what: str) -> str:
    try:
        result = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired as error:
        raise RenderError(f"{what} took longer than {TIMEOUT} s") from error
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise RenderError(f"{what} failed: {detail[-1] if detail else f'exit {result.returncode}'}")
    return result.stdout


def to_pdf(soffice: str, workbook: Path, work: Path, *, whole_sheets: bool = False) -> Path:
    """Convert with a fresh LibreOffice profile, so no user setting changes the pictures.

    With ``whole_sheets``, each sheet is one page of its own size instead of its print pages.
    """
    run(
        [
            soffice,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            f"pdf:calc_pdf_Export:{WHOLE_SHEETS}" if whole_sheets else "pdf",
            "--outdir",
            str(work),
            str(workbook),
        ],
        "LibreOffice's PDF conversion",
    )
    pdf = work / f"{workbook.stem}.pdf"
    if not pdf.is_file():
        raise RenderError("LibreOffice wrote no PDF")
    return pdf


@dataclass(frozen=True)
class Word:
    text: str
    top: float
    bottom: float


@dataclass(frozen=True)
class Page:
    """One PDF page: its number (1-based), size in points and its words."""

    number: int
    width: float
    height: float
    words: tuple[Word, ...]

    def line(self, top: float) -> str:
        return " ".join(w.text for w in self.words if abs(w.top - top) < LINE_TOLERANCE)

    @property
    def header(self) -> str:
        """The first line: the role title on the left, the sheet name (&A) on the right."""
        return self.line(min(w.top for w in self.words)) if self.words else ""

    @property
    def content_bottom(self) -> float:
        """Where the sheet's content ends, in points: the footer ("Page 1 of 4") is left out."""
        last = max((w.top for w in self.words), default=0.0)
        footer = re.fullmatch(r"Page \d+ of \d+", self.line(last)) is not None
        kept = [w.bottom for w in self.words if not (footer and abs(w.top - last) < LINE_TOLERANCE)]
        return max(kept, default=self.height)


def read_pages(pdftotext: str, pdf: Path) -> list[Page]:
    """Every page's words and their positions, from ``pdftotext -bbox``."""
    markup = run([pdftotext, "-bbox", str(pdf), "-"], "pdftotext")
    pages = []
    for number, chunk in enumerate(markup.split("<page ")[1:], start=1):
        size = re.match(r'width="([\d.]+)" height="([\d.]+)"', chunk)
        if size is None:
            raise RenderError(f"pdftotext gave no size for page {number}")
        words = tuple(
            Word(html.unescape(text), float(top), float(bottom))
            for top, bottom, text in re.findall(
                r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>',
                chunk,
            )
        )
        pages.append(Page(number, float(size[1]), float(size[2]), words))
    return pages


def pages_by_sheet(pages: list[Page], marks: Mapping[str, str]) -> dict[str, list[Page]]:
    """The PDF pages of each sheet of ``marks``, told apart by their first line.

    That line is the sheet's mark, or ends with it after a space: a tracker's page
    header ends with the sheet's name, a report sheet's one page starts with its title.
    """
    found: dict[str, list[Page]] = {sheet: [] for sheet in marks}
    for page in pages:
        for sheet, mark in marks.items():
            if page.header == mark or page.header.endswith(f" {mark}"):
                found[sheet].append(page)
    missing = [sheet for sheet, matched in found.items() if not matched]
    if missing:
        raise RenderError(f"no PDF page has the header of {', '.join(missing)}")
    return found


def to_png(pdftoppm: str, pdf: Path, page: Page, resolution: int, target: Path) -> None:
    """Render ``page`` down to the end of its content (whole pixels, never past the page)."""
    bottom = min(page.content_bottom + MARGIN, page.height)
    width = math.ceil(page.width * resolution / 72)
    height = math.ceil(bottom * resolution / 72)
    prefix = target.with_suffix("")
    run(
        [
            pdftoppm,
            "-png",
            "-r",
            str(resolution),
            "-f",
            str(page.number),
            "-l",
            str(page.number),
            "-x",
            "0",
            "-y",
            "0",
            "-W",
            str(width),
            "-H",
            str(height),
            "-singlefile",
            str(pdf),
            str(prefix),
        ],
        f"pdftoppm on page {page.number}",
    )


@dataclass(frozen=True)
class Pictures:
    """What pictures are made of: the tools, the resolution and where they go."""

    tools: Mapping[str, str]
    resolution: int
    work: Path
    out_dir: Path

    def write(self, pdf: Path, marks: Mapping[str, str], prefix: str = "") -> list[str]:
        """Picture each sheet of ``marks`` (its first page); return which page each shows."""
        return self.write_pages(pdf, pages_by_sheet(self.pages(pdf), marks), prefix)

    def pages(self, pdf: Path) -> list[Page]:
        return read_pages(self.tools["pdftotext"], pdf)

    def write_pages(
        self, pdf: Path, pages: Mapping[str, list[Page]], prefix: str = ""
    ) -> list[str]:
        """Picture the first of each sheet's pages; return which page each shows."""
        self.out_dir.mkdir(parents=True, exist_ok=True)
        report = []
        for sheet in pages:
            first = pages[sheet][0]
            png = self.work / f"{prefix}{slug(sheet)}.png"
            to_png(self.tools["pdftoppm"], pdf, first, self.resolution, png)
            target = self.out_dir / png.name
            shutil.copyfile(png, target)
            count = len(pages[sheet])
            spread = "" if count == 1 else f"; the sheet prints on {count} pages, this is the first"
            shown = target.relative_to(ROOT) if target.is_relative_to(ROOT) else target
            size = target.stat().st_size // 1024
            report.append(f"wrote {shown} ({size} KB): {sheet}, PDF page {first.number}{spread}")
        return report


@contextmanager
def inside(folder: Path) -> Iterator[None]:
    """Work in ``folder`` for a while, so the files read are named relative to it."""
    before = Path.cwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(before)


def tracker_pictures(pictures: Pictures, catalog: Catalog, role_id: str) -> list[str]:
    options = trackerkit.TrackerOptions(as_of=AS_OF, generated_on=AS_OF)
    role = catalog.roles[role_id]
    workbook = trackerkit.build_tracker(
        role,
        pictures.work / f"{role_id}.xlsx",
        employee=example_entries(),
        options=options,
        next_roles=catalog.next_roles(role),
    )
    printed = [sheet for sheet in VISIBLE_SHEETS if sheet not in WHOLE_TRACKER_SHEETS]
    pdf = to_pdf(pictures.tools["soffice"], workbook, pictures.work)
    report = pictures.write(pdf, {sheet: sheet for sheet in printed})
    whole = pictures.work / "whole"
    whole.mkdir()
    pdf = to_pdf(pictures.tools["soffice"], workbook, whole, whole_sheets=True)
    pages = pictures.pages(pdf)
    if len(pages) < len(VISIBLE_SHEETS):
        raise RenderError(f"the whole-sheet PDF has {len(pages)} pages, not one per sheet")
    # Whole sheets carry no page header: each visible sheet is one page, in the sheets' order.
    by_sheet = {sheet: [page] for sheet, page in zip(VISIBLE_SHEETS, pages, strict=False)}
    return report + pictures.write_pages(
        pdf, {sheet: by_sheet[sheet] for sheet in WHOLE_TRACKER_SHEETS}
    )


def report_pictures(pictures: Pictures, catalog: Catalog) -> list[str]:
    """The example team's trackers (the example among them) and their report, pictured."""
    options = trackerkit.TrackerOptions(as_of=AS_OF, generated_on=AS_OF)
    folder = pictures.work / RETURNED
    folder.mkdir()
    example = catalog.roles[EXAMPLE_ROLE]
    team = [(example, "jordan-rivera.xlsx", example_entries())]
    for mate in example_team():
        role = catalog.roles[mate.role]
        target = chosen_target(catalog.next_roles(role), mate.employee.target_role)
        team.append((role, mate.file, mate.entries(role, target)))
    for role, name, entries in team:
        trackerkit.build_tracker(
            role,
            folder / name,
            employee=entries,
            options=options,
            next_roles=catalog.next_roles(role),
        )
    (folder / UNREADABLE).write_bytes(b"Call notes, not a tracker\n")
    workbook = pictures.work / "team-report.xlsx"
    with inside(pictures.work):
        trackerkit.report_trackers([RETURNED], workbook, catalog, as_of=AS_OF)
    pdf = to_pdf(pictures.tools["soffice"], workbook, pictures.work, whole_sheets=True)
    marks = {sheet: rl.HEADINGS[sheet][0] for sheet in REPORT_SHEETS}
    return pictures.write(pdf, marks, prefix="report-")


def render(role_id: str, resolution: int, out_dir: Path) -> list[str]:
    """Write the pictures; return the lines to print: which page each one shows."""
    found = {tool: shutil.which(tool) for tool in TOOLS}
    tools = {tool: path for tool, path in found.items() if path is not None}
    absent = [tool for tool in TOOLS if tool not in tools]
    if absent:
        raise RenderError(f"{', '.join(absent)} not found; {INSTALL_HINT}")
    catalog = trackerkit.load_catalog()
    if role_id not in catalog.roles:
        raise RenderError(f"unknown role {role_id!r}; the roles are {', '.join(catalog.roles)}")
    entries = example_entries()
    with tempfile.TemporaryDirectory(prefix="trackerkit-render-") as temporary:
        pictures = Pictures(tools, resolution, Path(temporary), out_dir)
        report = tracker_pictures(pictures, catalog, role_id)
        report += report_pictures(pictures, catalog)
    today = dt.date.today()  # noqa: DTZ011 - LibreOffice's TODAY() is the local date
    if overdue_on(entries, today) != overdue_on(entries, AS_OF):
        report.append(
            f"note: LibreOffice computes Overdue from today's date ({today}), and the pictures "
            f"show {len(overdue_on(entries, today))} overdue courses instead of "
            f"{len(overdue_on(entries, AS_OF))}; move AS_OF and the example's dates"
        )
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--role",
        default=EXAMPLE_ROLE,
        metavar="ID",
        help=f"the role whose tracker to picture (default: {EXAMPLE_ROLE})",
    )
    parser.add_argument(
        "--resolution",
        type=int,
        default=80,
        metavar="DPI",
        help="pixels per inch of the pictures (default: 80)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=OUTPUT,
        metavar="DIR",
        help="where to write the pictures (default: docs/images)",
    )
    args = parser.parse_args(argv)
    try:
        lines = render(args.role, args.resolution, args.out.resolve())
    except (RenderError, trackerkit.TrackerkitError, OSError) as error:
        print(f"render_sheet_images.py: {error}", file=sys.stderr)
        return 1
    for line in lines:
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
