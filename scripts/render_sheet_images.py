"""Render one picture per visible tracker sheet into docs/images/, for the sheet pages.

Builds the tracker for one role through the public API, prefilled with a small
example, converts it to PDF with LibreOffice (with a fresh temporary profile) and
renders the first page of each sheet to PNG with pdftoppm, cut off below the last
row so no blank half page or page footer is kept. PDF pages are matched to sheets
by the sheet name that every page header carries.

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
import math
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import trackerkit
from trackerkit import CompetencyEntry, CourseEntry, Employee, Entries, Status
from trackerkit import layout as lay

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "docs" / "images"
VISIBLE_SHEETS = (lay.START, lay.CHECKLIST, lay.COVERAGE, lay.NEXT_ROLE, lay.DISCUSSION)
TARGET = "psr-iii"
"""The example's target role, so the Next Role sheet is pictured too."""
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


class RenderError(Exception):
    """A step failed; the message is the one line the script prints."""


def example_entries() -> Entries:
    """A PSR II a year into the role: most required courses done, one course overdue."""
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
        },
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


def to_pdf(soffice: str, workbook: Path, work: Path) -> Path:
    """Convert with a fresh LibreOffice profile, so no user setting changes the pictures."""
    run(
        [
            soffice,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
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


def pages_by_sheet(pages: list[Page]) -> dict[str, list[Page]]:
    """The PDF pages of each visible sheet, told apart by their page header."""
    found: dict[str, list[Page]] = {sheet: [] for sheet in VISIBLE_SHEETS}
    for page in pages:
        for sheet in VISIBLE_SHEETS:
            if page.header.endswith(sheet):
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


def render(role_id: str, resolution: int, out_dir: Path) -> list[str]:
    """Write the pictures; return the lines to print: which page each one shows."""
    tools = {tool: shutil.which(tool) for tool in TOOLS}
    absent = [tool for tool, path in tools.items() if path is None]
    if absent:
        raise RenderError(f"{', '.join(absent)} not found; {INSTALL_HINT}")
    catalog = trackerkit.load_catalog()
    if role_id not in catalog.roles:
        raise RenderError(f"unknown role {role_id!r}; the roles are {', '.join(catalog.roles)}")
    entries = example_entries()
    options = trackerkit.TrackerOptions(as_of=AS_OF, generated_on=AS_OF)
    report = []
    with tempfile.TemporaryDirectory(prefix="trackerkit-render-") as temporary:
        work = Path(temporary)
        workbook = trackerkit.build_tracker(
            catalog.roles[role_id],
            work / f"{role_id}.xlsx",
            employee=entries,
            options=options,
            target=catalog.roles[TARGET] if role_id != TARGET else None,
        )
        pdf = to_pdf(str(tools["soffice"]), workbook, work)
        pages = pages_by_sheet(read_pages(str(tools["pdftotext"]), pdf))
        out_dir.mkdir(parents=True, exist_ok=True)
        for sheet in (name for name in VISIBLE_SHEETS if name in pages):
            first = pages[sheet][0]
            png = work / f"{slug(sheet)}.png"
            to_png(str(tools["pdftoppm"]), pdf, first, resolution, png)
            target = out_dir / png.name
            shutil.copyfile(png, target)
            count = len(pages[sheet])
            spread = "" if count == 1 else f"; the sheet prints on {count} pages, this is the first"
            shown = target.relative_to(ROOT) if target.is_relative_to(ROOT) else target
            size = target.stat().st_size // 1024
            report.append(f"wrote {shown} ({size} KB): {sheet}, PDF page {first.number}{spread}")
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
        "--role", default="psr-ii", metavar="ID", help="the role to picture (default: psr-ii)"
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
