"""Load a roles directory into a resolved, immutable :class:`Catalog`.

Loading runs in three passes over every file: strict YAML, then the JSON
Schema of the file's ``kind``, then the checks that need several files at
once (unique ids, references, ``builds_on`` cycles, inheritance). Every
problem of every pass is collected; the catalog is returned only when there
are none, so a person sees the whole list after one run.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from trackerkit.errors import CatalogError, Problem
from trackerkit.files import open_regular
from trackerkit.model import (
    Catalog,
    Category,
    Certification,
    CertificationRequirement,
    Competency,
    Course,
    CourseFormat,
    ProficiencyLevel,
    Requirement,
    Role,
    RoleCompetency,
    RoleCourse,
    Story,
)
from trackerkit.problem_codes import Code
from trackerkit.refs import MAX_TEXT, quote_sheet, text_units, too_long
from trackerkit.resources import bundled
from trackerkit.schema_check import schema_errors
from trackerkit.schemas import KINDS, describe, id_pattern
from trackerkit.strict_yaml import MAX_FILE_BYTES, YamlDocument, YamlReadError, decode, parse

if TYPE_CHECKING:
    import os
    from collections.abc import Iterable, Iterator, Mapping

    from trackerkit.strict_yaml import JsonPath

YAML_SUFFIXES = (".yaml", ".yml")


def load_catalog(path: str | os.PathLike[str] | None = None, *, strict: bool = False) -> Catalog:
    """Read every YAML file below ``path`` (the bundled roles by default).

    Raises :class:`CatalogError` listing every problem found. With ``strict``, a file that
    still has a ``sample`` note is a problem too, so a learning team knows when it has
    replaced every sample.
    """
    directory = Path(path) if path is not None else bundled("roles")
    problems: list[Problem] = []
    files = _yaml_files(directory, problems)
    sources = [source for file in files if (source := _read_source(file, problems)) is not None]
    if not sources:
        raise CatalogError(problems)
    # A file that could not be read may define ids that others refer to; until it
    # reads, "unknown id" would be a guess, so references wait for the next run.
    readable = len(files) == sum(source.kind is not None for source in sources)
    catalog = _Assembly(problems, _display(directory), readable=readable).build(sources)
    if strict:
        problems.extend(_sample_notes(sources))
    if problems or catalog is None:
        raise CatalogError(problems)
    return catalog


def _sample_notes(sources: Iterable[_Source]) -> list[Problem]:
    """Each ``sample`` note still in a file, at its key: what ``validate --strict`` refuses."""
    return [
        source.problem(
            ("sample",),
            Code.SAMPLE_CONTENT,
            "this file is marked as sample content; replace the sample content, "
            "then delete this note",
            key=True,
        )
        for source in sources
        if "sample" in source.data
    ]


def format_path(path: JsonPath) -> str:
    """``('competencies', 2, 'target')`` as ``competencies[2].target``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def _display(path: Path) -> str:
    """A path as people should see it: relative to the working folder when inside it."""
    try:
        return path.absolute().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()


def _yaml_files(directory: Path, problems: list[Problem]) -> list[Path]:
    if not directory.is_dir():
        what = "is not a folder" if directory.exists() else "does not exist"
        problems.append(
            Problem(
                _display(directory),
                None,
                None,
                "",
                f"{what}; name the folder of role files",
                Code.FOLDER_MISSING,
            )
        )
        return []
    files = sorted(
        file for file in _walk(directory, problems) if file.suffix.lower() in YAML_SUFFIXES
    )
    if not files:
        problems.append(
            Problem(
                _display(directory),
                None,
                None,
                "",
                "holds no .yaml files; add role files",
                Code.FOLDER_EMPTY,
            )
        )
    return files


MAX_ROLE_COURSES = 2_000
MAX_ROLE_COMPETENCIES = 1_000
"""The most one tracker may hold: the role's own (with what it builds on) and those only its
next roles ask. A tracker at both stays inside what reading accepts (``Limits``); a test
proves it."""
MAX_FOLDER_DEPTH = 16
"""Role files are searched this many folders deep; a roles folder needs two or three."""


def _walk(directory: Path, problems: list[Problem]) -> list[Path]:
    """Every file under ``directory`` that is not hidden, one stack rather than recursion
    (a folder nested a thousand deep must not exhaust Python's), linked folders not entered.

    A folder deeper than :data:`MAX_FOLDER_DEPTH` is reported, not searched.
    """
    files: list[Path] = []
    folders = [(directory, 0)]
    while folders:
        folder, depth = folders.pop()
        if depth > MAX_FOLDER_DEPTH:
            message = (
                f"is nested more than {MAX_FOLDER_DEPTH} folders deep, so it was not searched; "
                "move its role files up"
            )
            problems.append(
                Problem(_display(folder), None, None, "", message, Code.FOLDER_TOO_DEEP)
            )
            continue
        for entry in sorted(folder.iterdir()):
            if entry.name.startswith("."):
                continue
            if entry.is_dir() and not entry.is_symlink():
                folders.append((entry, depth + 1))
            elif not entry.is_dir():
                files.append(entry)
    return files


@dataclass(frozen=True)
class _Source:
    """One file after the YAML and schema passes."""

    document: YamlDocument
    kind: str | None
    valid: bool

    @property
    def file(self) -> str:
        return self.document.file

    @property
    def data(self) -> dict[str, Any]:
        data: dict[str, Any] = self.document.data
        return data

    def problem(self, path: JsonPath, code: Code, message: str, *, key: bool = False) -> Problem:
        where = self.document.locate(path, key=key)
        return Problem(self.file, where.line, where.column, format_path(path), message, code)


def _read_source(file: Path, problems: list[Problem]) -> _Source | None:
    shown = _display(file)
    try:
        with open_regular(file) as stream:
            raw = stream.read(MAX_FILE_BYTES + 1)  # one byte over the cap is enough to refuse
    except OSError as error:
        reason = error.strerror or str(error)
        message = f"cannot be read ({reason})"
        problems.append(Problem(shown, None, None, "", message, Code.FILE_UNREADABLE))
        return None
    try:
        document, found = parse(decode(raw), shown)
    except YamlReadError as fatal:
        problems.append(
            Problem(
                shown, fatal.line, fatal.column, format_path(fatal.path), fatal.message, fatal.code
            )
        )
        return None
    reading = [
        Problem(shown, item.line, item.column, format_path(item.path), item.message, item.code)
        for item in found
    ]
    problems.extend(reading)
    kind = document.data.get("kind")
    source = _Source(
        document, kind if isinstance(kind, str) and kind in KINDS else None, valid=False
    )
    if source.kind is None:
        kinds = ", ".join(f"'kind: {name}'" for name in KINDS)
        if "kind" not in document.data:
            message = f"'kind' is missing; start the file with one of {kinds}"
            problems.append(source.problem((), Code.KIND_MISSING, message))
        else:
            message = f"{describe(kind)} is not a kind of file; use one of {kinds}"
            problems.append(source.problem(("kind",), Code.KIND_UNKNOWN, message))
        return source
    checked = [
        source.problem(path, code, message, key=at_key)
        for path, at_key, code, message in schema_errors(source.kind, document.data)
    ]
    # Where the schema already faults a value (a 40,000-character title is too long
    # for a title), the reader's generic cell-size warning would only repeat it.
    faulted = {item.path for item in checked}
    for repeated in [item for item in reading if item.path in faulted]:
        problems.remove(repeated)
    problems.extend(checked)
    return _Source(document, source.kind, valid=not checked)


@dataclass
class _Ids:
    """Ids of one kind across all files, remembering where each was first defined."""

    noun: str
    duplicate: Code
    unknown: Code | None = None
    """The code of a reference to an id that is not defined (for kinds that are referred to)."""
    complete: bool = True
    where: dict[str, tuple[_Source, JsonPath]] = field(default_factory=dict)

    def claim(self, source: _Source, path: JsonPath, problems: list[Problem]) -> None:
        identifier = _dig(source.data, path)
        if not isinstance(identifier, str):
            return
        first = self.where.get(identifier)
        if first is None:
            self.where[identifier] = (source, path)
            return
        if source.valid:
            at = first[0].document.locate(first[1])
            problems.append(
                source.problem(
                    path,
                    self.duplicate,
                    f"the {self.noun} id '{identifier}' is already used at "
                    f"{first[0].file}:{at.line}:{at.column}; ids must be unique",
                )
            )

    def check(self, source: _Source, path: JsonPath, problems: list[Problem]) -> None:
        """A problem when the id at ``path`` names no known item."""
        identifier = _dig(source.data, path)
        if not self.complete or not isinstance(identifier, str) or identifier in self.where:
            return
        if not id_pattern().fullmatch(identifier):
            return  # the schema pass has already said the id is malformed
        close = difflib.get_close_matches(str(identifier), list(self.where), n=1)
        hint = (
            f"did you mean '{close[0]}'?" if close else f"define it first or fix the {self.noun} id"
        )
        assert self.unknown is not None  # only ids that are referred to are checked
        problems.append(
            source.problem(path, self.unknown, f"unknown {self.noun} '{identifier}'; {hint}")
        )


def _holder(text: str, sources: list[_Source]) -> tuple[_Source, JsonPath]:
    """The file and place of the longest text of ``sources`` that ``text`` holds."""
    found: tuple[_Source, JsonPath] = (sources[0], ())
    longest = 0
    for source in sources:
        for path, value in _strings(source.data):
            if len(value) > longest and value in text:
                found, longest = (source, path), len(value)
    return found


def _strings(data: Any, path: JsonPath = ()) -> Iterator[tuple[JsonPath, str]]:
    """Every text of a file's data with its place."""
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _strings(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _strings(value, (*path, index))


def _dig(data: Any, path: JsonPath) -> Any:
    """The value at ``path``, or None where the data does not have that shape."""
    for part in path:
        if isinstance(data, dict) and isinstance(part, str) and part in data:
            data = data[part]
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
        else:
            return None
    return data


def _items(data: Any, key: str) -> list[Any]:
    value = data.get(key) if isinstance(data, dict) else None
    return value if isinstance(value, list) else []


class _Assembly:
    """The cross-file pass: ids, references, cycles and inheritance."""

    def __init__(self, problems: list[Problem], directory: str, *, readable: bool) -> None:
        self.problems = problems
        self.directory = directory
        self.categories = _Ids("category", Code.CATEGORY_DUPLICATE_ID)
        self.competencies = _Ids(
            "competency",
            Code.COMPETENCY_DUPLICATE_ID,
            Code.COMPETENCY_UNKNOWN_REFERENCE,
            complete=readable,
        )
        self.courses = _Ids(
            "course", Code.COURSE_DUPLICATE_ID, Code.COURSE_UNKNOWN_REFERENCE, complete=readable
        )
        self.roles = _Ids(
            "role", Code.ROLE_DUPLICATE_ID, Code.ROLE_UNKNOWN_REFERENCE, complete=readable
        )
        self.readable = readable

    def build(self, sources: Iterable[_Source]) -> Catalog | None:
        by_kind: dict[str, list[_Source]] = {kind: [] for kind in KINDS}
        for source in sources:
            if source.kind is not None:
                by_kind[source.kind].append(source)
        self._claim_ids(by_kind)
        self._require_catalogs(by_kind)
        scale = self._scale(by_kind["competencies"])
        categories, competencies = self._competencies(by_kind["competencies"])
        courses = self._courses(by_kind["courses"])
        # Roles resolved against a partial catalog would report inherited items
        # as missing; they are resolved once every catalog file is valid.
        catalogs_whole = (
            self.readable and self.competencies.complete and self.courses.complete
        ) and all(source.valid for source in (*by_kind["competencies"], *by_kind["courses"]))
        resolver = _RoleResolver(self, competencies, courses)
        roles = resolver.resolve(by_kind["role"], build=catalogs_whole)
        self._check_tracker_sizes(roles, by_kind["role"])
        stories = self._stories(by_kind["story"])
        if self.problems or scale is None:
            return None
        catalog = Catalog(
            scale=scale,
            categories=tuple(categories),
            competencies=MappingProxyType(competencies),
            courses=MappingProxyType(courses),
            roles=MappingProxyType(
                {key: replace(role, scale=scale) for key, role in roles.items()}
            ),
            stories=stories,
        )
        self._check_cell_texts(catalog, [s for kind in KINDS for s in by_kind[kind]])
        return None if self.problems else catalog

    def _check_cell_texts(self, catalog: Catalog, sources: list[_Source]) -> None:
        """Text the tracker joins (a responsibility after its bullet, work settings, course
        titles) must still fit a cell: each too long is named at the file's longest text
        it holds, so ``validate`` refuses what ``build`` could not write."""
        from trackerkit import layout as lay

        named: set[tuple[str, JsonPath]] = set()
        for role in catalog.roles.values():
            built = lay.layout_for(role, next_roles=catalog.next_roles(role))
            for sheet, cell, text in lay.fixed_texts(built):
                if not too_long(text):
                    continue
                source, path = _holder(text, sources)
                if (source.file, path) in named:
                    continue
                named.add((source.file, path))
                message = (
                    f"in the tracker of {role.id}, {quote_sheet(sheet)}!{cell} would hold "
                    f"{text_units(text):,} characters made from this text; a spreadsheet cell "
                    f"holds at most {MAX_TEXT:,}, so shorten it"
                )
                self.problems.append(source.problem(path, Code.TEXT_TOO_LONG, message))

    def _stories(self, sources: list[_Source]) -> tuple[Story, ...]:
        """Each story whose roles are known; an unknown role id is named where it is written."""
        stories = []
        for source in sources:
            before = len(self.problems)
            for key in ("from_role", "to_role"):
                self.roles.check(source, (key,), self.problems)
            if source.valid and len(self.problems) == before:
                data = source.data
                stories.append(
                    Story(
                        data["person"],
                        data["from_role"],
                        data["to_role"],
                        data["text"],
                        data.get("sample"),
                    )
                )
        return tuple(stories)

    def _check_tracker_sizes(self, roles: Mapping[str, Role], sources: list[_Source]) -> None:
        """Each role's tracker must be one reading accepts: its rows are the role's own courses
        and competencies and, on the Next Role sheet, those only its next roles ask."""
        by_id = {
            role_id: source
            for source in sources
            if isinstance(role_id := source.data.get("id"), str)  # a faulty file has no role
        }
        for role in roles.values():
            nexts = [roles[i] for i in role.next_roles if i in roles]
            courses = {c.id for c in role.courses} | {
                c.id for r in nexts for c in r.courses if c.requirement is Requirement.REQUIRED
            }
            competencies = {c.id for c in role.competencies} | {
                c.id for r in nexts for c in r.competencies
            }
            for key, count, most in (
                ("courses", len(courses), MAX_ROLE_COURSES),
                ("competencies", len(competencies), MAX_ROLE_COMPETENCIES),
            ):
                if count > most and (source := by_id.get(role.id)) is not None:
                    message = (
                        f"the role's tracker would list {count:,} {key}, its own and those only "
                        f"its next roles ask; a tracker holds at most {most:,}, so that it can be "
                        "read back; split the role or its next roles"
                    )
                    at = (key,) if key in source.data else ()
                    problem = source.problem(at, Code.ROLE_TOO_LARGE, message, key=bool(at))
                    self.problems.append(problem)

    def _require_catalogs(self, by_kind: dict[str, list[_Source]]) -> None:
        """Without a catalog, say so once rather than call every reference unknown."""
        if not by_kind["competencies"]:
            self.competencies.complete = False
        if not by_kind["courses"] and any(
            _items(source.data, "courses") for source in by_kind["role"]
        ):
            self.courses.complete = False
            message = "no course catalog found; add a file with 'kind: courses'"
            self.problems.append(
                Problem(self.directory, None, None, "", message, Code.CATALOG_NO_COURSES)
            )

    def _claim_ids(self, by_kind: dict[str, list[_Source]]) -> None:
        """Register ids from every file, even invalid ones, so references resolve."""
        for source in by_kind["competencies"]:
            for c, category in enumerate(_items(source.data, "categories")):
                self.categories.claim(source, ("categories", c, "id"), self.problems)
                for i, _ in enumerate(_items(category, "competencies")):
                    path = ("categories", c, "competencies", i, "id")
                    self.competencies.claim(source, path, self.problems)
        for source in by_kind["courses"]:
            for i, _ in enumerate(_items(source.data, "courses")):
                self.courses.claim(source, ("courses", i, "id"), self.problems)
        for source in by_kind["role"]:
            self.roles.claim(source, ("id",), self.problems)

    def _scale(self, sources: list[_Source]) -> tuple[ProficiencyLevel, ...] | None:
        defining = [source for source in sources if "scale" in source.data]
        if not defining and not self.readable:
            return None  # the catalog may be the file that could not be read
        if not defining:
            first = sources[0].file if sources else self.directory
            message, code = (
                (
                    "no file defines the proficiency scale; add 'scale' to the competency catalog",
                    Code.SCALE_MISSING,
                )
                if sources
                else (
                    "no competency catalog found; add a file with 'kind: competencies'",
                    Code.CATALOG_NO_COMPETENCIES,
                )
            )
            self.problems.append(Problem(first, None, None, "", message, code))
            return None
        for extra in defining[1:]:
            self.problems.append(
                extra.problem(
                    ("scale",),
                    Code.SCALE_DUPLICATE,
                    f"the scale is already defined in {defining[0].file}; keep one scale",
                    key=True,
                )
            )
        source = defining[0]
        if not source.valid:
            return None
        levels = tuple(
            ProficiencyLevel(item["level"], item["name"], item["description"])
            for item in source.data["scale"]
        )
        for position, level in enumerate(levels, start=1):
            if level.level != position:
                self.problems.append(
                    source.problem(
                        ("scale", position - 1, "level"),
                        Code.SCALE_ORDER,
                        f"level {level.level} is in position {position}; "
                        "list the levels 1 to 5 in order",
                    )
                )
        return levels

    def _competencies(self, sources: list[_Source]) -> tuple[list[Category], dict[str, Competency]]:
        categories: list[Category] = []
        competencies: dict[str, Competency] = {}
        for source in sources:
            if not source.valid:
                continue
            for category in source.data["categories"]:
                members = tuple(item["id"] for item in category["competencies"])
                categories.append(
                    Category(category["id"], category["name"], category.get("description"), members)
                )
                for item in category["competencies"]:
                    competencies.setdefault(
                        item["id"],
                        Competency(
                            item["id"],
                            item["name"],
                            item["definition"],
                            category["id"],
                            category["name"],
                        ),
                    )
        return categories, competencies

    def _courses(self, sources: list[_Source]) -> dict[str, Course]:
        courses: dict[str, Course] = {}
        for source in sources:
            for i, item in enumerate(_items(source.data, "courses")):
                refs = ("courses", i, "competencies")
                _no_repeats(source, refs, self.problems)
                for j, _ in enumerate(_items(item, "competencies")):
                    self.competencies.check(source, (*refs, j), self.problems)
            if not source.valid:
                continue
            for item in source.data["courses"]:
                courses.setdefault(
                    item["id"],
                    Course(
                        id=item["id"],
                        title=item["title"],
                        provider=item["provider"],
                        format=CourseFormat(item["format"]),
                        hours=float(item["hours"]),
                        competencies=tuple(item["competencies"]),
                        url=item.get("url"),
                        description=item.get("description"),
                        sample=source.data.get("sample"),
                        renew_every_months=item.get("renew_every_months"),
                    ),
                )
        return courses


def _no_repeats(source: _Source, path: JsonPath, problems: list[Problem], key: str = "") -> None:
    """Report an id listed twice in one list."""
    seen: dict[str, int] = {}
    for index, item in enumerate(_items(_dig(source.data, path[:-1]), str(path[-1]))):
        identifier = item.get(key) if key and isinstance(item, dict) else item
        if not isinstance(identifier, str):
            continue
        if identifier in seen:
            first = source.document.locate((*path, seen[identifier]))
            item_path = (*path, index, key) if key else (*path, index)
            problems.append(
                source.problem(
                    item_path,
                    Code.LIST_DUPLICATE,
                    f"'{identifier}' is listed twice (first on line {first.line}); remove one",
                )
            )
        else:
            seen[identifier] = index


class _RoleResolver:
    """Checks each role's references and folds ``builds_on`` chains into roles."""

    def __init__(
        self, assembly: _Assembly, competencies: dict[str, Competency], courses: dict[str, Course]
    ) -> None:
        self.assembly = assembly
        self.problems = assembly.problems
        self.competencies = competencies
        self.courses = courses
        self.resolved: dict[str, Role | None] = {}

    def resolve(self, sources: list[_Source], *, build: bool) -> dict[str, Role]:
        specs = {
            source.data["id"]: source
            for source in sources
            if source.valid and self.assembly.roles.where[source.data["id"]][0] is source
        }
        self._report_cycles(specs)
        for source in sources:
            before = len(self.problems)
            self._check_references(source)
            if source.valid and len(self.problems) > before:
                specs.pop(source.data["id"], None)  # its variants would inherit a partial role
        for role_id in specs if build else ():
            self._resolve(role_id, specs)
        return {
            role_id: role for role_id in specs if (role := self.resolved.get(role_id)) is not None
        }

    def _report_cycles(self, specs: dict[str, _Source]) -> None:
        """One problem per role that lies on a builds_on circle of two or more roles."""
        for start, source in specs.items():
            chain: list[str] = []
            current: str | None = start
            while current in specs and current not in chain:
                chain.append(current)
                current = specs[current].data.get("builds_on")
            if current == start and len(chain) > 1:
                loop = " → ".join([*chain, start])
                self.problems.append(
                    source.problem(
                        ("builds_on",),
                        Code.BUILDS_ON_CYCLE,
                        f"builds_on goes round in a circle ({loop}); "
                        "one of these roles must not build on the other",
                    )
                )

    def _check_references(self, source: _Source) -> None:
        data = source.data
        role_id = data.get("id")
        if "builds_on" in data:
            if data["builds_on"] == role_id:
                self.problems.append(
                    source.problem(
                        ("builds_on",),
                        Code.BUILDS_ON_SELF,
                        "a role cannot build on itself; remove it",
                    )
                )
            else:
                self.assembly.roles.check(source, ("builds_on",), self.problems)
        elif "drop" in data:
            self.problems.append(
                source.problem(
                    ("drop",),
                    Code.DROP_WITHOUT_BASE,
                    "'drop' only applies to a role that builds on another; add builds_on or "
                    "remove it",
                    key=True,
                )
            )
        for i, target in enumerate(_items(data, "next_roles")):
            if target == role_id:
                self.problems.append(
                    source.problem(
                        ("next_roles", i),
                        Code.NEXT_ROLES_SELF,
                        "a role cannot be its own next role",
                    )
                )
            else:
                self.assembly.roles.check(source, ("next_roles", i), self.problems)
        _no_repeats(source, ("next_roles",), self.problems)
        for key, ids in (
            ("competencies", self.assembly.competencies),
            ("courses", self.assembly.courses),
        ):
            _no_repeats(source, (key,), self.problems, "id")
            for i, _ in enumerate(_items(data, key)):
                ids.check(source, (key, i, "id"), self.problems)
        _no_repeats(source, ("certifications",), self.problems, "id")
        for key in ("competencies", "courses", "certifications"):
            _no_repeats(source, ("drop", key), self.problems)

    def _resolve(self, role_id: str, specs: dict[str, _Source]) -> None:
        """Resolve a role after its bases, walking the chain without recursion.

        A chain that runs into a circle or an invalid base resolves to None
        for every role on it; the cause has already been reported.
        """
        chain: list[str] = []
        current: str | None = role_id
        while current is not None and current not in self.resolved:
            if current in chain or current not in specs:
                for name in chain:
                    self.resolved[name] = None
                return
            chain.append(current)
            current = specs[current].data.get("builds_on")
        for name in reversed(chain):
            base_id = specs[name].data.get("builds_on")
            base = self.resolved.get(base_id) if base_id is not None else None
            if base_id is not None and base is None:
                self.resolved[name] = None
            else:
                self.resolved[name] = self._build_role(specs[name], base)

    def _build_role(self, source: _Source, base: Role | None) -> Role | None:
        before = len(self.problems)
        data = source.data
        dropped = {key: set(_items(data.get("drop", {}), key)) for key in _INHERITED}
        if base is not None:
            self._check_drops(source, base)
        competencies = _merge(
            base,
            "competencies",
            [
                RoleCompetency(self.competencies[item["id"]], item["target"])
                for item in data.get("competencies", [])
                if item["id"] in self.competencies
            ],
            dropped,
        )
        courses = _merge(
            base,
            "courses",
            [
                RoleCourse(self.courses[item["id"]], Requirement(item["requirement"]))
                for item in data.get("courses", [])
                if item["id"] in self.courses
            ],
            dropped,
        )
        certifications = _merge(
            base,
            "certifications",
            [
                Certification(
                    id=item["id"],
                    name=item["name"],
                    requirement=CertificationRequirement(item["requirement"]),
                    issuer=item.get("issuer"),
                    note=item.get("note"),
                )
                for item in data.get("certifications", [])
            ],
            dropped,
        )
        if base is not None:
            self._check_targets(source, base)
        if len(self.problems) > before:
            return None
        return Role(
            id=data["id"],
            title=data["title"],
            family=data["family"],
            level=data["level"],
            version=data["version"],
            summary=data["summary"],
            work_settings=tuple(data["work_settings"]),
            responsibilities=tuple(data["responsibilities"]),
            competencies=competencies,
            courses=courses,
            certifications=certifications,
            next_roles=tuple(data.get("next_roles", ())),
            builds_on=data.get("builds_on"),
            full_title=data.get("full_title"),
            job_description_url=data.get("job_description_url"),
            sample=data.get("sample"),
        )

    def _check_drops(self, source: _Source, base: Role) -> None:
        inherited = {
            "competencies": {item.id for item in base.competencies},
            "courses": {item.id for item in base.courses},
            "certifications": {item.id for item in base.certifications},
        }
        for key in _INHERITED:
            listed = {item["id"] for item in source.data.get(key, [])}
            for i, identifier in enumerate(_items(source.data.get("drop", {}), key)):
                if identifier not in inherited[key]:
                    code = Code.DROP_NOT_INHERITED
                    message = (
                        f"'{identifier}' is not inherited from {base.id}, so it cannot be dropped"
                    )
                elif identifier in listed:
                    code = Code.DROP_ALSO_LISTED
                    message = f"'{identifier}' is both dropped and listed in {key}; keep one"
                else:
                    continue
                self.problems.append(source.problem(("drop", key, i), code, message))

    def _check_targets(self, source: _Source, base: Role) -> None:
        inherited = {item.id: item.target for item in base.competencies}
        for i, item in enumerate(source.data.get("competencies", [])):
            floor = inherited.get(item["id"])
            if floor is not None and item["target"] < floor:
                self.problems.append(
                    source.problem(
                        ("competencies", i, "target"),
                        Code.TARGET_LOWERED,
                        f"{item['target']} is lower than the target of {floor} that {base.id} "
                        "sets; targets may only rise along the path",
                    )
                )


_INHERITED = ("competencies", "courses", "certifications")


def _merge(
    base: Role | None, key: str, own: list[Any], dropped: dict[str, set[str]]
) -> tuple[Any, ...]:
    """Inherited items in their base's order, overridden in place, then new ones.

    An item keeps the role that introduced it in ``inherited_from`` even when
    this role raises its target or changes its requirement.
    """
    if base is None:
        return tuple(own)
    own_by_id = {item.id: item for item in own}
    merged = []
    for item in getattr(base, key):
        if item.id in dropped[key]:
            continue
        origin = item.inherited_from or base.id
        override = own_by_id.pop(item.id, None)
        merged.append(replace(override or item, inherited_from=origin))
    merged.extend(own_by_id.values())
    return tuple(merged)
