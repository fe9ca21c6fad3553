"""The Career Path Resource Center: a static site from the catalogue, trackers built in.

Pages come from Jinja2 templates packaged with trackerkit (autoescaping on, so role
text can never become markup), every link is relative (the site works from
``file://``, from any folder of a web server, and zipped), and nothing is fetched
from another host. The same catalogue gives the same bytes.

The site is built into a temporary folder beside the output folder and swapped in
at the end, so a failed build leaves the old site (or nothing) in place. A folder
that trackerkit did not make is never replaced.
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from trackerkit.atomic import umask
from trackerkit.build import role_file_name
from trackerkit.errors import TrackerkitError
from trackerkit.files import open_regular
from trackerkit.writer import TrackerOptions, tracker_bytes

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from jinja2 import Environment

    from trackerkit.model import Catalog, Course, Requirement, Role, RoleCompetency, Story

MARKER = ".trackerkit-site"
"""The file that marks a folder as a site trackerkit built, and so one it may replace: it
lists every file the build wrote, so a file someone added is seen before it is lost."""
_MARKER_HEAD = "This folder is a career path site built by trackerkit; it is rebuilt whole.\n"
_MARKER_LIST = "Its files, which a rebuild replaces:\n"
STYLESHEET = "style.css"
TRACKERS = "trackers"
ROLES = "roles"


class SiteError(TrackerkitError):
    """The site cannot be written where asked; nothing was written."""


@dataclass
class SiteReport:
    """What a site build wrote: its pages and which trackers were new or reused."""

    out: Path
    pages: list[str] = field(default_factory=list)
    """Every page and file of the site, as a path relative to ``out`` with ``/``."""
    trackers_written: list[str] = field(default_factory=list)
    trackers_reused: list[str] = field(default_factory=list)
    """Trackers that were already current in the old site, carried over untouched."""

    def summary(self) -> str:
        """The one line the ``site`` command ends with."""
        written = len(self.trackers_written)
        return (
            f"{os.fspath(self.out)}: {len(self.pages)} files, "
            f"{written} {'tracker' if written == 1 else 'trackers'} written, "
            f"{len(self.trackers_reused)} unchanged"
        )


# --- the pages, as data ------------------------------------------------------------------


def page_name(role_id: str) -> str:
    """A role's page, named like its tracker (so a Windows device name gets ``role-``)."""
    return Path(role_file_name(role_id)).with_suffix(".html").name


def role_page(role_id: str) -> str:
    """A role's page, relative to the site's top folder."""
    return f"{ROLES}/{page_name(role_id)}"


def tracker_path(role_id: str) -> str:
    """A role's tracker, relative to the site's top folder: named as ``build`` names it."""
    return f"{TRACKERS}/{role_file_name(role_id)}"


@dataclass(frozen=True)
class SampleNote:
    """A sample note and what it is about, for the footer."""

    about: str
    note: str


def sample_notes(catalog: Catalog, roles: Iterable[Role] | None = None) -> tuple[SampleNote, ...]:
    """The catalogue's sample notes (or those of ``roles`` and their stories), one per text.

    The same note on several files is shown once, naming all of them.
    """
    chosen = list(catalog.roles.values()) if roles is None else list(roles)
    found: dict[str, list[str]] = {}
    for role in chosen:
        if role.sample:
            found.setdefault(role.sample, []).append(role.title)
    courses = (
        list(catalog.courses.values())
        if roles is None
        else [entry.course for role in chosen for entry in role.courses]
    )
    for course in courses:
        if course.sample:
            names = found.setdefault(course.sample, [])
            if "course catalogue" not in names:
                names.append("course catalogue")
    ids = {role.id for role in chosen}
    for story in catalog.stories:
        if story.sample and any(story.mentions(role_id) for role_id in ids):
            found.setdefault(story.sample, []).append(f"story of {story.person}")
    return tuple(SampleNote(", ".join(about), note) for note, about in found.items())


@dataclass(frozen=True)
class CourseRow:
    course: Course
    requirement: Requirement

    @property
    def hours(self) -> str:
        return f"{self.course.hours:g}"


@dataclass(frozen=True)
class CompetencyView:
    """One competency as a role page shows it: the target and the courses that build it."""

    entry: RoleCompetency
    level_name: str
    level_description: str
    courses: tuple[CourseRow, ...]


def competency_views(role: Role) -> tuple[CompetencyView, ...]:
    levels = {level.level: level for level in role.scale}
    views = []
    for entry in role.competencies:
        level = levels.get(entry.target)
        rows = tuple(
            CourseRow(course.course, course.requirement)
            for course in role.courses
            if entry.id in course.course.competencies
        )
        views.append(
            CompetencyView(
                entry,
                level.name if level else "",
                level.description if level else "",
                rows,
            )
        )
    return tuple(views)


def other_courses(role: Role) -> tuple[CourseRow, ...]:
    """The role's courses that build none of its competencies (compliance, say)."""
    asked = {entry.id for entry in role.competencies}
    return tuple(
        CourseRow(entry.course, entry.requirement)
        for entry in role.courses
        if not asked.intersection(entry.course.competencies)
    )


def whats_new(role: Role, base: Role) -> tuple[str, ...]:
    """What ``role`` asks beyond ``base``, one sentence each: new or raised competencies,
    new or stronger courses, new certifications, and what it leaves out."""
    lines: list[str] = []
    targets = {entry.id: entry.target for entry in base.competencies}
    for entry in role.competencies:
        before = targets.get(entry.id)
        if before is None:
            lines.append(f"New competency: {entry.competency.name} (level {entry.target})")
        elif entry.target > before:
            lines.append(
                f"Higher level of {entry.competency.name}: {entry.target} instead of {before}"
            )
    requirements = {entry.id: entry.requirement for entry in base.courses}
    for course in role.courses:
        was = requirements.get(course.id)
        if was is None:
            lines.append(f"New course: {course.course.title} ({course.requirement.value})")
        elif was is not course.requirement:
            lines.append(
                f"{course.course.title} is now {course.requirement.value} (was {was.value})"
            )
    held = {item.id for item in base.certifications}
    lines.extend(
        f"New certification: {item.name} ({item.requirement.value})"
        for item in role.certifications
        if item.id not in held
    )
    kept = {entry.id for entry in role.courses}
    lines.extend(
        f"No longer listed: {entry.course.title}" for entry in base.courses if entry.id not in kept
    )
    return tuple(lines)


def paragraphs(text: str) -> list[str]:
    """A story's paragraphs: blank lines divide them."""
    return [part.strip() for part in re.split(r"\n\s*\n", text) if part.strip()]


# --- the career path map -----------------------------------------------------------------

BOX_WIDTH = 190
BOX_HEIGHT = 70
GAP_X = 36
GAP_Y = 64
LABEL_WIDTH = 76
MARGIN = 12
LINE_CHARS = 22
"""Characters of a box's title on one line, at the map's 14 px type."""
MAX_LINES = 3


@dataclass(frozen=True)
class Box:
    role: Role
    x: int
    y: int
    lines: tuple[str, ...]

    @property
    def href(self) -> str:
        return role_page(self.role.id)

    @property
    def name(self) -> str:
        """The link's accessible name: the title shown first (as WCAG 2.5.3 asks), then the
        full title and level a cut or short title leaves out."""
        title, full = self.role.title, self.role.long_title
        named = title if full == title else f"{title}: {full}"
        return f"{named}, level {self.role.level}"


@dataclass(frozen=True)
class Arrow:
    path: str
    """The SVG path data, from the edge of one box to the edge of the next."""


@dataclass(frozen=True)
class CareerMap:
    width: int
    height: int
    rows: tuple[tuple[int, int], ...]
    """Each level and the y of its row's middle, for the level labels."""
    boxes: tuple[Box, ...]
    arrows: tuple[Arrow, ...]


def wrap_title(title: str) -> tuple[str, ...]:
    """A title in at most :data:`MAX_LINES` lines of :data:`LINE_CHARS`, the rest cut with an
    ellipsis (the link's accessible name has it whole)."""
    lines: list[str] = []
    current = ""
    for word in title.split():
        candidate = f"{current} {word}".strip()
        if len(candidate) <= LINE_CHARS or not current:
            current = candidate
        else:
            lines.append(current)
            current = word
    lines.append(current)
    shown = [_cut(line) for line in lines[:MAX_LINES]]
    if len(lines) > MAX_LINES and not shown[-1].endswith("…"):  # more words follow: say so
        words = shown[-1].split()
        while len(words) > 1 and len(" ".join(words)) >= LINE_CHARS:
            words.pop()
        shown[-1] = (
            _cut(" ".join(words) + " " * LINE_CHARS) if len(words) == 1 else " ".join(words) + "…"
        )
    return tuple(shown)


def _cut(line: str) -> str:
    if len(line) <= LINE_CHARS:
        return line
    return line[: LINE_CHARS - 1].rstrip() + "…"


def career_map(catalog: Catalog) -> CareerMap:
    """Roles as boxes in one row per level, arrows for ``next_roles``.

    Within a row a role sits by the mean position of the roles before it that lead to
    it, then in catalogue order, so paths run mostly straight down; roles that lead to
    each other within a row are put side by side first (see :func:`_arrange`).
    """
    roles = list(catalog.roles.values())
    levels = sorted({role.level for role in roles})
    before: dict[str, list[str]] = {role.id: [] for role in roles}
    for role in roles:
        for target in catalog.next_roles(role):
            before[target.id].append(role.id)
    column: dict[str, float] = {}
    rows: list[list[Role]] = []
    for level in levels:
        members = [role for role in roles if role.level == level]
        order = {role.id: index for index, role in enumerate(members)}

        def key(role: Role, order: Mapping[str, int] = order) -> tuple[float, int]:
            placed = [column[i] for i in before[role.id] if i in column]
            return (sum(placed) / len(placed) if placed else float("inf"), order[role.id])

        members = _arrange(sorted(members, key=key), before, column)
        for index, role in enumerate(members):
            column[role.id] = index - (len(members) - 1) / 2
        rows.append(members)
    widest = max(len(row) for row in rows)
    width = LABEL_WIDTH + widest * BOX_WIDTH + (widest - 1) * GAP_X + 2 * MARGIN
    middle = LABEL_WIDTH + MARGIN + (width - LABEL_WIDTH - 2 * MARGIN) / 2
    boxes: dict[str, Box] = {}
    row_marks = []
    for number, (level, members) in enumerate(zip(levels, rows, strict=True)):
        y = MARGIN + number * (BOX_HEIGHT + GAP_Y)
        row_marks.append((level, y + BOX_HEIGHT // 2))
        for role in members:
            x = round(middle + column[role.id] * (BOX_WIDTH + GAP_X) - BOX_WIDTH / 2)
            boxes[role.id] = Box(role, x, y, wrap_title(role.title))
    height = MARGIN * 2 + len(levels) * BOX_HEIGHT + (len(levels) - 1) * GAP_Y
    pairs = [
        (boxes[role.id], boxes[target.id]) for role in roles for target in catalog.next_roles(role)
    ]
    arrows = tuple(_arrow(start, end, _port(start, end, pairs)) for start, end in pairs)
    return CareerMap(width, height, tuple(row_marks), tuple(boxes.values()), arrows)


SIDE_BY_SIDE_ROLES = 6
"""The longest row whose every order is tried (720 of them); a longer one keeps its order."""


def _arrange(
    members: list[Role], before: Mapping[str, list[str]], column: Mapping[str, float]
) -> list[Role]:
    """``members`` (in their preferred order) reordered so that roles leading to each other
    within the row sit as close as they can, which keeps those arrows short and straight;
    then as near the roles above that lead to them as can be, then in the order given."""
    inside = {role.id for role in members}
    links = [(a, role.id) for role in members for a in before[role.id] if a in inside]
    if not links or len(members) > SIDE_BY_SIDE_ROLES:
        return members
    above = {role.id: [column[a] for a in before[role.id] if a in column] for role in members}

    def cost(order: Iterable[Role]) -> tuple[float, float]:
        placed_order = list(order)
        middle = (len(placed_order) - 1) / 2
        at = {role.id: index - middle for index, role in enumerate(placed_order)}
        stretch = sum(abs(at[a] - at[b]) - 1 for a, b in links)
        drift = sum(
            abs(at[key] - sum(placed) / len(placed)) for key, placed in above.items() if placed
        )
        return stretch, drift

    return list(min(itertools.permutations(members), key=cost))


PORT_SPACING = 18


def _port(start: Box, end: Box, pairs: list[tuple[Box, Box]]) -> tuple[int, int]:
    """Where an arrow between rows leaves ``start`` and reaches ``end``, as offsets from their
    middles: arrows sharing an edge are spread along it, in the order of their other ends."""
    leaving = sorted((b for a, b in pairs if a is start and b.y != a.y), key=_place)
    reaching = sorted((a for a, b in pairs if b is end and b.y != a.y), key=_place)

    def offset(position: int, count: int) -> int:
        return round((position - (count - 1) / 2) * PORT_SPACING)

    if start.y == end.y:
        return (0, 0)
    return (
        offset(leaving.index(end), len(leaving)),
        offset(reaching.index(start), len(reaching)),
    )


def _place(box: Box) -> tuple[int, int]:
    return (box.x, box.y)


def _arrow(start: Box, end: Box, port: tuple[int, int]) -> Arrow:
    """Down (or up) between rows; beside, or curving below the row, within one."""
    if start.y != end.y:
        down = end.y > start.y
        x1, x2 = start.x + BOX_WIDTH // 2 + port[0], end.x + BOX_WIDTH // 2 + port[1]
        y1 = start.y + (BOX_HEIGHT if down else 0)
        y2 = end.y + (-2 if down else BOX_HEIGHT + 2)
        return Arrow(f"M{x1},{y1} L{x2},{y2}")
    right = end.x > start.x
    if abs(end.x - start.x) == BOX_WIDTH + GAP_X:
        x1 = start.x + (BOX_WIDTH if right else 0)
        x2 = end.x + (-2 if right else BOX_WIDTH + 2)
        y = start.y + BOX_HEIGHT // 2
        return Arrow(f"M{x1},{y} L{x2},{y}")
    x1, x2 = start.x + BOX_WIDTH // 2, end.x + BOX_WIDTH // 2
    y1, y2 = start.y + BOX_HEIGHT, end.y + BOX_HEIGHT + 2
    dip = start.y + BOX_HEIGHT + GAP_Y * 2 // 3
    return Arrow(f"M{x1},{y1} C{x1},{dip} {x2},{dip} {x2},{y2}")


# --- rendering ---------------------------------------------------------------------------


@cache
def _environment() -> Environment:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    return Environment(
        loader=PackageLoader("trackerkit", "site_templates"),
        autoescape=True,  # every template is HTML or CSS: role text never becomes markup
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _render(template: str, **context: object) -> bytes:
    return _environment().get_template(template).render(**context).encode("utf-8")


def site_pages(catalog: Catalog, tracker_sizes: Mapping[str, int]) -> dict[str, bytes]:
    """Every page and the stylesheet, by relative path: pure, and the same bytes each time.

    ``tracker_sizes`` gives each role's tracker size in bytes, for its download link.
    """
    roles = list(catalog.roles.values())
    asking: dict[str, list[tuple[Role, RoleCompetency]]] = {key: [] for key in catalog.competencies}
    for role in roles:
        for entry in role.competencies:
            asking[entry.id].append((role, entry))
    common = {
        "catalog": catalog,
        "level_names": {level.level: level.name for level in catalog.scale},
        "role_page": role_page,
        "tracker_path": tracker_path,
        "stylesheet": STYLESHEET,
        "levels": sorted({role.level for role in roles}),
    }
    pages = {
        "index.html": _render(
            "index.html",
            root="",
            title="Career path",
            map=career_map(catalog),
            samples=sample_notes(catalog),
            box_width=BOX_WIDTH,
            box_height=BOX_HEIGHT,
            label_width=LABEL_WIDTH,
            **common,
        ),
        "competencies.html": _render(
            "competencies.html",
            root="",
            title="Competencies",
            samples=sample_notes(catalog),
            asking=asking,
            **common,
        ),
        STYLESHEET: _render(STYLESHEET),
    }
    for role in roles:
        base = catalog.roles.get(role.builds_on) if role.builds_on else None
        stories: tuple[Story, ...] = tuple(s for s in catalog.stories if s.mentions(role.id))
        pages[role_page(role.id)] = _render(
            "role.html",
            root="../",
            title=role.long_title,
            role=role,
            base=base,
            new=whats_new(role, base) if base else (),
            competencies=competency_views(role),
            others=other_courses(role),
            stories=stories,
            paragraphs=paragraphs,
            size=_size(tracker_sizes[role.id]),
            samples=sample_notes(catalog, [role]),
            **common,
        )
    return pages


def _size(count: int) -> str:
    return f"{count / 1024:.0f} KB" if count >= 1024 else f"{count} bytes"


def site_trackers(catalog: Catalog) -> dict[str, bytes]:
    """Each role's blank tracker, by role id: the very bytes ``trackerkit build`` writes."""
    return {
        role.id: tracker_bytes(role, None, TrackerOptions(), next_roles=catalog.next_roles(role))
        for role in catalog.roles.values()
    }


# --- writing -----------------------------------------------------------------------------


def build_site(catalog: Catalog, out_dir: str | os.PathLike[str]) -> SiteReport:
    """Write the site into ``out_dir``, replacing the site built there before.

    Trackers whose bytes are unchanged are carried over from the old site untouched (as
    ``build`` leaves an unchanged tracker alone). Raises :class:`SiteError`, with nothing
    written, when ``out_dir`` is a file or a folder holding anything but a trackerkit site.
    """
    out = Path(out_dir)
    if not catalog.roles:
        raise SiteError("the roles folder has no role to make a site of; add a role file first")
    _check_out(out)
    trackers = site_trackers(catalog)
    pages = site_pages(catalog, {role_id: len(data) for role_id, data in trackers.items()})
    report = SiteReport(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".new", dir=out.parent))
    except PermissionError as error:
        raise SiteError(
            f"{out.parent}: cannot be written ({error.strerror}); the site is built beside "
            f"{out.name} and swapped in whole, so it needs the folder {out.name} is in to be "
            "writable"
        ) from error
    try:
        staging.chmod(0o777 & ~umask())  # mkdtemp's folder is private; a site is not
        for name, data in pages.items():
            _write(staging / name, data)
            report.pages.append(name)
        for role_id, data in trackers.items():
            name = tracker_path(role_id)
            if _reuse(out / name, staging / name, data):
                report.trackers_reused.append(name)
            else:
                _write(staging / name, data)
                report.trackers_written.append(name)
            report.pages.append(name)
        _write(staging / MARKER, _marker(report.pages))
        _swap(staging, out.absolute())
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return report


def _marker(pages: Iterable[str]) -> bytes:
    return (_MARKER_HEAD + _MARKER_LIST + "".join(f"{name}\n" for name in sorted(pages))).encode()


def _check_out(out: Path) -> None:
    if out.is_symlink():
        raise SiteError(f"{out}: is a link; give the folder itself, or a new folder, for the site")
    if out.exists() and not out.is_dir():
        raise SiteError(f"{out}: is not a folder; give a new folder for the site")
    if Path.cwd().is_relative_to(out.absolute()):
        raise SiteError(
            f"{out}: is the current folder or holds it, and the site is swapped in whole; run "
            "the command from outside that folder"
        )
    if not out.is_dir() or not any(out.iterdir()):
        return
    if not (out / MARKER).is_file():
        raise SiteError(
            f"{out}: holds files that are not a site trackerkit built, so it was left as it "
            "is; give a new or empty folder for the site"
        )
    added = _added(out)
    if added:
        raise SiteError(
            f"{out / added}: was not written by trackerkit, and a rebuild replaces the site "
            f"whole, so {out} was left as it is; move it out of the site folder, then build again"
        )


def _added(out: Path) -> str | None:
    """The first file or folder in a built site that its marker does not list."""
    text = (out / MARKER).read_text(encoding="utf-8", errors="replace")
    listed = set(text.partition(_MARKER_LIST)[2].splitlines()) | {MARKER}
    folders = {parent.as_posix() for name in listed for parent in PurePosixPath(name).parents}
    for path in sorted(out.rglob("*")):
        name = path.relative_to(out).as_posix()
        if name not in (folders if path.is_dir() and not path.is_symlink() else listed):
            return name
    return None


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _reuse(old: Path, new: Path, data: bytes) -> bool:
    """Carry the old site's tracker over, untouched, when it holds exactly ``data``."""
    try:
        with open_regular(old) as stream:
            if stream.read(len(data) + 1) != data:
                return False
    except OSError:
        return False
    new.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(old, new)  # the same file: its date stays, as build leaves it
    except OSError:
        shutil.copy2(old, new)
    return True


def _swap(staging: Path, out: Path) -> None:
    """Put the finished site in place of the old one: two renames, then the old one goes."""
    if not out.exists():
        staging.rename(out)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".old", dir=out.parent))
    retired.rmdir()
    out.rename(retired)
    try:
        staging.rename(out)
    except BaseException:
        retired.rename(out)
        raise
    shutil.rmtree(retired, ignore_errors=True)
