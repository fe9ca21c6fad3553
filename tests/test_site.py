"""The resource center site: its pages, escaping, determinism, reuse, the swap, and errors."""

from __future__ import annotations

import os
import posixpath
import tempfile
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest
from hypothesis import given

from conftest import BASE, problems, write_roles
from strategies import catalogs
from trackerkit import SiteError, build_site, build_trackers, load_catalog
from trackerkit.cli import main
from trackerkit.site import (
    BOX_WIDTH,
    GAP_X,
    MARKER,
    career_map,
    site_pages,
    tracker_path,
    wrap_title,
)

if TYPE_CHECKING:
    from trackerkit import Catalog

STORY = """\
kind: story
person: Robin
from_role: base
to_role: lead
text: |
  First paragraph.

  Second paragraph.
"""


class Elements(HTMLParser):
    """Every start tag of a page with its attributes, and the page's text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def of(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]


def parse(path: Path) -> Elements:
    return parse_text(path.read_text(encoding="utf-8"))


def parse_text(text: str) -> Elements:
    parser = Elements()
    parser.feed(text)
    parser.close()
    return parser


def files(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bundled") / "site"
    build_site(load_catalog(), out)
    return out


# --- what the site holds -----------------------------------------------------------------


def test_the_site_has_an_index_a_competencies_page_and_a_page_and_tracker_per_role(
    site: Path, bundled: Catalog
) -> None:
    names = set(files(site))
    assert {"index.html", "competencies.html", "style.css", MARKER} <= names
    for role_id in bundled.roles:
        assert f"roles/{role_id}.html" in names
        assert f"trackers/{role_id}.xlsx" in names


def test_the_trackers_are_the_bytes_build_writes(
    site: Path, bundled: Catalog, tmp_path: Path
) -> None:
    build_trackers(bundled, tmp_path / "built")
    for role_id in bundled.roles:
        built = (tmp_path / "built" / f"{role_id}.xlsx").read_bytes()
        assert (site / "trackers" / f"{role_id}.xlsx").read_bytes() == built


def test_every_link_is_relative_and_resolves_or_is_a_catalog_address(
    site: Path, bundled: Catalog
) -> None:
    addresses = {role.job_description_url for role in bundled.roles.values()}
    addresses |= {course.url for course in bundled.courses.values()}
    for page in site.rglob("*.html"):
        found = parse(page)
        for attrs in [*found.of("a"), *found.of("link"), *found.of("script"), *found.of("img")]:
            target = attrs.get("href") or attrs.get("src")
            assert target is not None, (page, attrs)
            if target.startswith("data:"):
                continue
            parts = urlsplit(target)
            if parts.scheme:
                assert target in addresses, (page, target)
                continue
            assert not target.startswith("/"), (page, target)
            assert (page.parent / parts.path).resolve().is_file() or not parts.path, target


def test_the_map_links_every_role_and_draws_each_path(site: Path, bundled: Catalog) -> None:
    index = site.joinpath("index.html").read_text(encoding="utf-8")
    svg = index[index.index("<svg") : index.index("</svg>")]
    assert 'role="img"' not in svg
    assert 'role="group"' in svg
    assert "<title" in svg
    assert "<desc" in svg
    for role in bundled.roles.values():
        assert f'<a href="roles/{role.id}.html">\n<title>{role.title}' in svg
        assert f"{role.long_title}, level {role.level}</title>" in svg
    paths = sum(len(bundled.next_roles(role)) for role in bundled.roles.values())
    assert svg.count('class="arrow"') == paths


def test_the_map_puts_each_level_in_its_own_row_top_down(bundled: Catalog) -> None:
    laid = career_map(bundled)
    rows: dict[int, set[int]] = {box.role.level: set() for box in laid.boxes}
    for box in laid.boxes:
        rows[box.role.level].add(box.y)
    assert all(len(ys) == 1 for ys in rows.values())
    ordered = [next(iter(rows[level])) for level in sorted(rows)]
    assert ordered == sorted(ordered)
    assert len(set(ordered)) == len(ordered)
    for box in laid.boxes:  # no two boxes of a row overlap, and all lie inside the picture
        assert box.x >= 0
        assert box.x + BOX_WIDTH <= laid.width
        others = [b for b in laid.boxes if b is not box and b.y == box.y]
        assert all(abs(b.x - box.x) >= BOX_WIDTH for b in others)


def test_roles_that_lead_to_each_other_within_a_level_sit_side_by_side(
    bundled: Catalog,
) -> None:
    """PSR II leads to Float and to Site Lead, all at level 2: it sits between them, so no
    arrow of the row curves under a box."""
    laid = career_map(bundled)
    box = {b.role.id: b for b in laid.boxes}
    beside = [
        (role.id, target.id)
        for role in bundled.roles.values()
        for target in bundled.next_roles(role)
        if target.level == role.level
    ]
    assert ("psr-ii", "psr-ii-float") in beside
    assert ("psr-ii", "psr-ii-site-lead") in beside
    for start, end in beside:
        assert abs(box[start].x - box[end].x) == BOX_WIDTH + GAP_X, (start, end)
    curves = [a for a in laid.arrows if " C" in a.path or " Q" in a.path]
    assert curves == []


@pytest.mark.parametrize(
    ("title", "lines"),
    [
        ("PSR I", ("PSR I",)),
        ("Patient Services Representative II", ("Patient Services", "Representative II")),
        ("A" * 40, ("A" * 21 + "…",)),
        (
            "Patient Service Representative (Front Office)",
            ("Patient Service", "Representative (Front", "Office)"),
        ),
        (
            "one two three four five six seven eight nine ten eleven twelve thirteen",
            ("one two three four", "five six seven eight", "nine ten eleven…"),
        ),
    ],
)
def test_map_titles_wrap_in_three_lines_at_most(title: str, lines: tuple[str, ...]) -> None:
    assert wrap_title(title) == lines


def test_a_role_page_shows_what_the_role_is(site: Path, bundled: Catalog) -> None:
    role = bundled.roles["psr-ii-site-lead"]
    page = site / "roles" / "psr-ii-site-lead.html"
    found = parse(page)
    text = " ".join(" ".join(found.text).split())
    assert role.long_title in text
    assert "Level 2" in text
    for item in (*role.work_settings, *role.responsibilities):
        assert " ".join(item.split()) in text
    for entry in role.competencies:
        assert entry.competency.name in text
        assert " ".join(entry.competency.definition.split()) in text
    for course in role.courses:
        assert course.course.title in text
    assert "What is new compared with Patient Services Representative II" in text
    assert "New competency: Coaching and Mentoring" in text
    download = [a for a in found.of("a") if a.get("class") == "download"]
    assert download == [
        {"class": "download", "href": "../trackers/psr-ii-site-lead.xlsx", "download": None}
    ]
    nexts = {a["href"] for a in found.of("a")}
    assert {f"../roles/{next_id}.html" for next_id in role.next_roles} <= nexts


def test_course_rows_give_provider_format_hours_and_requirement(roles: Path) -> None:
    write_roles(roles)
    build_site(load_catalog(roles), "site")
    row = Path("site/roles/base.html").read_text(encoding="utf-8")
    assert (
        '<th scope="row"><a href="https://learning.example.com/listen-101">Listening at the front '
        'desk</a></th><td data-label="Provider">Learning team</td><td data-label="Format">'
        'Instructor-led</td><td data-label="Hours">2.5</td><td data-label="Requirement">Elective'
        "</td>"
    ) in row


def test_the_job_description_opens_in_a_new_tab_without_the_opener(roles: Path) -> None:
    url = "https://jobs.example.com/base?id=1&lang=en"
    write_roles(roles, base=BASE.replace("level: 1\n", f"level: 1\njob_description_url: {url}\n"))
    build_site(load_catalog(roles), "site")
    links = [a for a in parse(Path("site/roles/base.html")).of("a") if a.get("href") == url]
    assert links == [{"href": url, "target": "_blank", "rel": "noopener"}]


def test_the_competencies_page_gives_the_level_every_role_asks(
    site: Path, bundled: Catalog
) -> None:
    text = site.joinpath("competencies.html").read_text(encoding="utf-8")
    for competency in bundled.competencies.values():
        assert f'id="competency-{competency.id}"' in text
    for role in bundled.roles.values():
        for entry in role.competencies:
            level = bundled.scale[entry.target - 1].name
            assert (
                f'<a href="roles/{role.id}.html#competency-{entry.id}">{role.long_title}</a></th>'
                f"<td>{entry.target} · {level}</td>"
            ) in text.replace("&#39;", "'")


def test_the_footer_names_the_sample_content(site: Path, bundled: Catalog) -> None:
    page = " ".join(site.joinpath("roles", "psr-iii.html").read_text(encoding="utf-8").split())
    assert "Sample content to replace" in page
    for note in bundled.roles["psr-iii"].samples():
        assert " ".join(note.split()).replace("'", "&#39;") in page
    index = " ".join(site.joinpath("index.html").read_text(encoding="utf-8").split())
    for story in bundled.stories:
        assert story.sample is not None
        assert f"story of {story.person}" in index


def test_no_sample_section_once_the_samples_are_replaced(roles: Path) -> None:
    write_roles(roles)
    build_site(load_catalog(roles), "site")
    assert "Sample content" not in Path("site/index.html").read_text(encoding="utf-8")


@given(catalogs())
def test_any_catalog_gives_pages_whose_links_resolve_and_whose_text_stays_text(
    catalog: Catalog,
) -> None:
    sizes = dict.fromkeys(catalog.roles, 2048)
    pages = site_pages(catalog, sizes)
    assert site_pages(catalog, sizes) == pages
    files = set(pages) | {tracker_path(role_id) for role_id in catalog.roles}
    parsed = {name: parse_text(data.decode("utf-8")) for name, data in pages.items()}
    ids = {name: {a["id"] for _, a in found.tags if a.get("id")} for name, found in parsed.items()}
    for name, found in parsed.items():
        if not name.endswith(".html"):
            continue
        assert not [tag for tag, _ in found.tags if tag in {"script", "img", "iframe", "style"}]
        every_id = [a["id"] for _, a in found.tags if a.get("id")]
        assert len(every_id) == len(set(every_id)), name
        for attrs in [*found.of("a"), *found.of("link")]:
            target = attrs["href"]
            assert target is not None
            parts = urlsplit(target)
            if parts.scheme:
                continue
            resolved = (
                posixpath.normpath(posixpath.join(posixpath.dirname(name), parts.path))
                if parts.path
                else name  # a link within the page
            )
            assert resolved in files, (name, target)
            assert not parts.fragment or parts.fragment in ids[resolved], (name, target)
    for role in catalog.roles.values():
        found = parsed[f"roles/{role.id}.html"]
        text = " ".join("".join(found.text).split())
        for shown in (role.long_title, role.summary, *role.responsibilities):
            assert " ".join(shown.split()) in text


# --- career stories ----------------------------------------------------------------------


def test_a_story_shows_on_both_roles_it_names_in_paragraphs(roles: Path) -> None:
    write_roles(roles, story=STORY)
    build_site(load_catalog(roles), "site")
    for role_id in ("base", "lead"):
        page = Path(f"site/roles/{role_id}.html").read_text(encoding="utf-8")
        assert "Robin: from Base role to Lead role" in page
        assert "<p>First paragraph.</p>\n<p>Second paragraph.</p>" in page


def test_a_story_naming_an_unknown_role_is_named_at_its_line(roles: Path) -> None:
    write_roles(roles, story=STORY.replace("to_role: lead", "to_role: leed"))
    assert problems(roles) == [
        "roles/story.yaml:4:10: to_role: unknown role 'leed'; did you mean 'lead'?"
    ]


def test_a_story_without_text_is_refused_by_its_schema(roles: Path) -> None:
    write_roles(roles, story=STORY.split("text:", maxsplit=1)[0])
    (found,) = problems(roles)
    assert found.startswith("roles/story.yaml:1:1: ")
    assert "'text'" in found


def test_the_bundled_stories_are_marked_samples(bundled: Catalog) -> None:
    assert len(bundled.stories) == 2
    for story in bundled.stories:
        assert story.sample is not None
        assert "sample" in story.person
        assert story.text.startswith("SAMPLE.")


# --- hostile text ------------------------------------------------------------------------

HOSTILE = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'


def test_role_text_never_becomes_markup(roles: Path) -> None:
    quoted = HOSTILE.replace("'", "''")
    base = (
        BASE.replace("title: Base role", f"title: '{quoted}'")
        .replace("summary: Draws blood at a patient service center.", f"summary: '{quoted}'")
        .replace("responsibilities: [Collect specimens]", f"responsibilities: ['{quoted}']")
    )
    story = STORY.replace("person: Robin", f"person: '{quoted}'")
    write_roles(roles, base=base, story=story)
    build_site(load_catalog(roles), "site")
    for page in Path("site").rglob("*.html"):
        found = parse(page)
        assert not found.of("script"), page
        assert not found.of("img"), page
        assert HOSTILE in "".join(found.text) or page.name == "competencies.html", page


# --- bytes, reuse and the swap ------------------------------------------------------------


def test_the_same_roles_give_the_same_bytes(bundled: Catalog, tmp_path: Path) -> None:
    build_site(bundled, tmp_path / "one")
    build_site(bundled, tmp_path / "two")
    assert files(tmp_path / "one") == files(tmp_path / "two")


def test_a_rebuild_keeps_current_trackers_and_writes_changed_ones(roles: Path) -> None:
    write_roles(roles)
    first = build_site(load_catalog(roles), "site")
    assert sorted(first.trackers_written) == ["trackers/base.xlsx", "trackers/lead.xlsx"]
    before = {name: Path(f"site/trackers/{name}").stat() for name in ("base.xlsx", "lead.xlsx")}
    write_roles(roles, lead=Path("roles/lead.yaml").read_text().replace("Leads a site.", "Leads."))
    second = build_site(load_catalog(roles), "site")
    assert second.trackers_reused == ["trackers/base.xlsx"]
    assert second.trackers_written == ["trackers/lead.xlsx"]
    after = Path("site/trackers/base.xlsx").stat()
    assert (after.st_ino, after.st_mtime_ns) == (
        before["base.xlsx"].st_ino,
        before["base.xlsx"].st_mtime_ns,
    )
    assert Path("site/trackers/lead.xlsx").stat().st_ino != before["lead.xlsx"].st_ino
    assert second.summary() == "site: 7 files, 1 tracker written, 1 unchanged"


def test_a_failed_build_leaves_the_old_site_whole(
    roles: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_roles(roles)
    build_site(load_catalog(roles), "site")
    old = files(Path("site"))
    from trackerkit import site as module

    written: list[Path] = []
    real = module._write

    def failing(path: Path, data: bytes) -> None:
        if len(written) == 3:
            raise OSError(28, "No space left on device")
        written.append(path)
        real(path, data)

    monkeypatch.setattr(module, "_write", failing)
    with pytest.raises(OSError, match="No space"):
        build_site(load_catalog(roles), "site")
    assert files(Path("site")) == old
    assert sorted(path.name for path in Path().iterdir()) == ["roles", "site"]


def test_a_folder_that_is_not_a_site_is_never_replaced(roles: Path) -> None:
    write_roles(roles)
    Path("mine").mkdir()
    Path("mine/notes.txt").write_text("keep me")
    with pytest.raises(SiteError, match="mine: holds files that are not a site trackerkit built"):
        build_site(load_catalog(roles), "mine")
    assert [path.name for path in Path("mine").iterdir()] == ["notes.txt"]
    assert sorted(path.name for path in Path().iterdir()) == ["mine", "roles"]


def test_a_file_someone_added_to_a_built_site_is_never_lost(roles: Path) -> None:
    write_roles(roles)
    build_site(load_catalog(roles), "site")
    Path("site/notes.txt").write_text("keep me")
    before = files(Path("site"))
    with pytest.raises(SiteError, match=r"site/notes.txt: was not written by trackerkit"):
        build_site(load_catalog(roles), "site")
    assert files(Path("site")) == before


def test_a_folder_someone_added_to_a_built_site_is_never_lost(roles: Path) -> None:
    write_roles(roles)
    build_site(load_catalog(roles), "site")
    Path("site/extra").mkdir()
    with pytest.raises(SiteError, match=r"site/extra: was not written by trackerkit"):
        build_site(load_catalog(roles), "site")
    assert Path("site/extra").is_dir()


def test_the_current_folder_is_refused_as_the_site(roles: Path) -> None:
    write_roles(roles)
    Path("here").mkdir()
    os.chdir("here")
    with pytest.raises(SiteError, match=r"\.: is the current folder or holds it"):
        build_site(load_catalog(Path("../roles")), ".")
    assert list(Path().iterdir()) == []


def test_a_folder_above_that_cannot_be_written_is_named(
    roles: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As a user who may write the site folder but not the one it is in (root may write
    anywhere, so the refusal is the one mkdtemp gives such a user)."""
    write_roles(roles)
    build_site(load_catalog(roles), "shut/site")
    old = files(Path("shut/site"))

    def refused(*_: object, **__: object) -> str:
        raise PermissionError(13, "Permission denied", "shut/.site.x.new")

    monkeypatch.setattr(tempfile, "mkdtemp", refused)
    with pytest.raises(SiteError, match=r"^shut: cannot be written \(Permission denied\); "):
        build_site(load_catalog(roles), "shut/site")
    assert files(Path("shut/site")) == old


def test_roles_with_no_role_make_no_site(roles: Path) -> None:
    write_roles(roles, base=None, lead=None)
    catalog = load_catalog(roles)
    assert not catalog.roles
    with pytest.raises(SiteError, match="has no role to make a site of"):
        build_site(catalog, "site")
    assert not Path("site").exists()


def test_an_empty_folder_becomes_the_site(roles: Path) -> None:
    write_roles(roles)
    Path("empty").mkdir()
    build_site(load_catalog(roles), "empty")
    assert Path("empty/index.html").is_file()


def test_the_site_folder_is_readable_by_others_like_any_new_folder(roles: Path) -> None:
    write_roles(roles)
    build_site(load_catalog(roles), "site")
    mask = os.umask(0)
    os.umask(mask)
    assert Path("site").stat().st_mode & 0o777 == 0o777 & ~mask


# --- the command -------------------------------------------------------------------------


def test_site_command_writes_the_site_and_says_what_it_did(
    roles: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_roles(roles)
    assert main(["site", "--roles", "roles", "-o", "out"]) == 0
    assert capsys.readouterr() == ("out: 7 files, 2 trackers written, 0 unchanged\n", "")
    assert Path("out/index.html").is_file()


def test_site_command_with_bad_roles_exits_1_and_writes_nothing(
    roles: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_roles(roles, base=BASE.replace("level: 1", "level: 0"))
    assert main(["site", "roles", "-o", "out"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        "roles/base.yaml:5:8: level: 0 is less than the minimum of 1\n"
        "the roles have problems; no site was written\n"
    )
    assert sorted(path.name for path in Path().iterdir()) == ["roles"]


def test_site_command_refuses_a_folder_of_other_files(
    roles: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_roles(roles)
    assert main(["site", "roles", "-o", "roles"]) == 1
    assert capsys.readouterr().err == (
        "trackerkit: roles: holds files that are not a site trackerkit built, so it was left "
        "as it is; give a new or empty folder for the site\n"
    )


def test_site_command_out_a_file_is_a_usage_error(
    roles: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_roles(roles)
    Path("site.txt").write_text("x")
    assert main(["site", "roles", "-o", "site.txt"]) == 2
    assert capsys.readouterr().err == (
        "trackerkit site: -o site.txt is a file, not a folder; give a folder for the site\n"
    )


def test_a_link_to_a_folder_is_refused_and_left_alone(roles: Path) -> None:
    write_roles(roles)
    build_site(load_catalog(roles), "real")
    Path("link").symlink_to("real")
    with pytest.raises(SiteError, match="link: is a link; give the folder itself"):
        build_site(load_catalog(roles), "link")
    assert Path("link").is_symlink()
