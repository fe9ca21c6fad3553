"""A strict YAML reader that remembers where every value came from.

PyYAML's own loaders follow YAML 1.1 (``no`` becomes False, ``1:20`` becomes
80, ``0755`` becomes 493), keep the last of two duplicate keys, expand
aliases without limit and recurse once per nesting level. People who write
role files should never meet any of that, so this module builds values from
PyYAML's event stream itself, without recursion, and refuses anything
ambiguous with a message that names the line and column.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Protocol

import yaml

from trackerkit.problem_codes import Code
from trackerkit.refs import MAX_TEXT, text_units, too_long

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

JsonPath = tuple[str | int, ...]

MAX_FILE_BYTES = 2 * 1024 * 1024
"""Role files are a few kilobytes; a course catalog export stays far below this."""

MAX_DEPTH = 32
"""Role files nest four levels deep; anything past this is a mistake or an attack."""

_Loader: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# YAML 1.2 core schema, narrowed: numbers with leading zeros, hex, octal,
# infinities and NaN stay text, so nothing that merely resembles a number
# silently becomes one.
_WORDS: dict[str, Any] = {
    **dict.fromkeys(("", "~", "null", "Null", "NULL")),
    **dict.fromkeys(("true", "True", "TRUE"), True),
    **dict.fromkeys(("false", "False", "FALSE"), False),
}
_NUMBER_STARTS = frozenset("+-0123456789")
"""Every number starts with one of these; other text skips the number patterns."""
_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_FLOAT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?")


_LARGEST_NUMBER = 1e15
"""Numbers this large or larger stay text: no field wants them, and as floats they
lose digits or overflow to infinity."""

_UNHOLDABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
"""Characters an .xlsx file (XML 1.0) cannot hold; YAML lets escapes produce them."""


def resolve_plain(text: str) -> Any:
    """Turn an unquoted scalar into the value YAML 1.2's core schema gives it."""
    if text in _WORDS:
        return _WORDS[text]
    if len(text) < 40 and text[:1] in _NUMBER_STARTS:
        if _INT.fullmatch(text):
            number: int | float = int(text)
        elif _FLOAT.fullmatch(text):
            number = float(text)
        else:
            return text
        return number if abs(number) < _LARGEST_NUMBER else text
    return text


@dataclass(frozen=True)
class Location:
    line: int
    column: int


class _Mark(Protocol):
    """Where PyYAML's parser met an event, counted from 0; its C and Python marks alike."""

    @property
    def line(self) -> int: ...

    @property
    def column(self) -> int: ...


@dataclass(frozen=True)
class YamlDocument:
    """Parsed data plus where every value and every mapping key is written.

    The positions are PyYAML's own marks, kept as the parser made them: turning
    each into a :class:`Location` up front was a tenth of a load, and only a
    value with a problem is ever looked up.
    """

    file: str
    data: Any
    value_marks: Mapping[JsonPath, _Mark | None]
    key_marks: Mapping[JsonPath, _Mark | None]

    def locate(self, path: JsonPath, *, key: bool = False) -> Location:
        """Where ``path`` is written; the nearest enclosing value if it is absent."""
        if key and path in self.key_marks:
            return _location(self.key_marks[path])
        for end in range(len(path), -1, -1):
            if path[:end] in self.value_marks:
                return _location(self.value_marks[path[:end]])
        return Location(1, 1)


def _location(mark: _Mark | None) -> Location:
    """A PyYAML mark (counted from 0) as the line and column people read (from 1)."""
    return Location(mark.line + 1, mark.column + 1) if mark is not None else Location(1, 1)


class YamlReadError(Exception):
    """A problem found while reading; the reader raises it only for fatal ones."""

    def __init__(
        self, code: Code, line: int, column: int, message: str, path: JsonPath = ()
    ) -> None:
        super().__init__(message)
        self.code = code
        self.line = line
        self.column = column
        self.message = message
        self.path = path


@dataclass(slots=True)
class _Frame:
    """A list or mapping whose end event has not come yet."""

    value: dict[str, Any] | list[Any]
    path: JsonPath
    discarded: bool
    """Under a duplicate key: built, so its own problems are found, but never placed."""
    pending_key: str | None = None
    skip_value: bool = False
    """The pending key is a duplicate, so its value is dropped."""
    seen: dict[str, _Mark | None] = field(default_factory=dict)


def decode(raw: bytes) -> str:
    """Decode a file's bytes as UTF-8 (UTF-16 with a byte-order mark is accepted)."""
    if len(raw) > MAX_FILE_BYTES:
        limit = MAX_FILE_BYTES // (1024 * 1024)
        raise YamlReadError(
            Code.YAML_TOO_LARGE,
            1,
            1,
            f"the file is larger than {limit} MiB; split it into several files",
        )
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as error:
            raise YamlReadError(
                Code.YAML_ENCODING, 1, 1, "the file is damaged UTF-16 text; save it as UTF-8"
            ) from error
    if len(raw) >= 4 and raw[1::2].count(0) > len(raw) // 4:
        raise YamlReadError(
            Code.YAML_ENCODING,
            1,
            1,
            "the file is UTF-16 without a byte-order mark; save it as UTF-8",
        )
    if b"\x00" in raw:
        line, column = _position(raw, raw.index(b"\x00"))
        raise YamlReadError(
            Code.YAML_BINARY, line, column, "the file is binary, not text; save it as UTF-8 text"
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line, column = _position(raw, error.start)
        message = f"byte 0x{raw[error.start]:02x} is not UTF-8 text; save the file as UTF-8"
        raise YamlReadError(Code.YAML_ENCODING, line, column, message) from error


def _position(raw: bytes, offset: int) -> tuple[int, int]:
    before = raw[:offset]
    line_start = before.rfind(b"\n") + 1
    column = len(before[line_start:].decode("utf-8", errors="replace")) + 1
    return before.count(b"\n") + 1, column


def parse(text: str, file: str) -> tuple[YamlDocument, list[YamlReadError]]:
    """Parse one YAML document into plain data.

    Fatal problems raise :class:`YamlReadError`; others, such as a duplicate
    key, are returned beside the document so one run reports them all.
    """
    problems: list[YamlReadError] = []
    if not text.strip():
        raise YamlReadError(
            Code.YAML_EMPTY, 1, 1, "the file is empty; a role file starts with 'kind:'"
        )
    builder = _Builder(problems)
    try:
        for event in yaml.parse(text, Loader=_Loader):
            builder.feed(event)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        tab = _indenting_tab(text, line, "tab" in str(error.problem))
        if tab is not None:
            raise YamlReadError(
                Code.YAML_TAB, *tab, "a tab is used for indentation; indent with spaces"
            ) from error
        raise YamlReadError(Code.YAML_SYNTAX, line, column, _syntax_message(error)) from error
    except yaml.reader.ReaderError as error:
        line = text.count("\n", 0, error.position) + 1
        column = error.position - (text.rfind("\n", 0, error.position) + 1) + 1
        message = f"character U+{error.character:04X} is not allowed in YAML; remove it"
        raise YamlReadError(Code.YAML_CHARACTER, line, column, message) from error
    except yaml.YAMLError as error:  # pragma: no cover - PyYAML raises marked errors
        raise YamlReadError(Code.YAML_SYNTAX, 1, 1, f"could not read the YAML: {error}") from error
    if builder.documents == 0 or builder.root is None:
        raise YamlReadError(
            Code.YAML_EMPTY, 1, 1, "the file holds no data; a role file starts with 'kind:'"
        )
    if not isinstance(builder.root, dict):
        raise YamlReadError(
            Code.YAML_NOT_MAPPING, 1, 1, "the top level must be a mapping of 'key: value' lines"
        )
    document = YamlDocument(
        file=file,
        data=builder.root,
        value_marks=MappingProxyType(builder.value_marks),
        key_marks=MappingProxyType(builder.key_marks),
    )
    return document, problems


def _indenting_tab(text: str, line: int, about_tabs: bool) -> tuple[int, int] | None:
    """Where a tab indents the failing line (or, if the parser blamed a tab, an earlier one).

    Tabs are fine inside block text, so they are looked for only once parsing failed.
    """
    lines = text.splitlines()
    candidates = range(line, 0, -1) if about_tabs else (line,)
    for number in candidates:
        if number <= len(lines):
            content = lines[number - 1]
            indent = content[: len(content) - len(content.lstrip(" \t"))]
            if "\t" in indent:
                return number, indent.index("\t") + 1
    return None


def _syntax_message(error: yaml.MarkedYAMLError) -> str:
    problem = (error.problem or "the YAML is malformed").strip()
    context = ""
    if error.context:
        started = error.context_mark
        moved = started and error.problem_mark and started.line != error.problem_mark.line
        where = f" that starts on line {started.line + 1}" if moved and started else ""
        context = f" ({error.context.strip()}{where})"
    return f"YAML syntax error: {problem}{context}; check the indentation and quoting here"


class _Builder:
    """Assembles values from events with an explicit stack instead of recursion.

    One handler per event type, found by the event's class, and positions kept as
    marks: this runs once per event of every file, about 2,300 times a load.
    """

    def __init__(self, problems: list[YamlReadError]) -> None:
        self.problems = problems
        self.stack: list[_Frame] = []
        self.root: Any = None
        self.documents = 0
        self.value_marks: dict[JsonPath, _Mark | None] = {}
        self.key_marks: dict[JsonPath, _Mark | None] = {}
        self.handlers: dict[type[yaml.Event], Callable[[Any], None]] = {
            yaml.ScalarEvent: self._scalar,
            yaml.MappingStartEvent: self._open,
            yaml.SequenceStartEvent: self._open,
            yaml.MappingEndEvent: self._close,
            yaml.SequenceEndEvent: self._close,
            yaml.DocumentStartEvent: self._document,
            yaml.AliasEvent: self._alias,
            yaml.StreamStartEvent: _ignore,
            yaml.StreamEndEvent: _ignore,
            yaml.DocumentEndEvent: _ignore,
            yaml.Event: _ignore,
        }

    def feed(self, event: yaml.Event) -> None:
        handler = self.handlers.get(type(event))
        if handler is None:  # a subclass: dispatch on its nearest known base
            handler = next(
                self.handlers[base] for base in type(event).__mro__ if base in self.handlers
            )
        handler(event)

    def _document(self, event: yaml.DocumentStartEvent) -> None:
        at = _location(event.start_mark)
        if event.version not in (None, (1, 2)):
            major, minor = event.version
            raise YamlReadError(
                Code.YAML_VERSION,
                at.line,
                at.column,
                f"the file asks for YAML {major}.{minor}; remove the %YAML line "
                "(trackerkit reads YAML 1.2)",
            )
        self.documents += 1
        if self.documents > 1:
            raise YamlReadError(
                Code.YAML_DOCUMENTS,
                at.line,
                at.column,
                "a second document starts here; keep one document per file",
            )

    @staticmethod
    def _alias(event: yaml.AliasEvent) -> None:
        at = _location(event.start_mark)
        raise YamlReadError(
            Code.YAML_ALIAS,
            at.line,
            at.column,
            "aliases (*name) are not allowed; write the value out in full, "
            "or put text that starts with * in quotes",
        )

    @staticmethod
    def _refuse_node(event: yaml.ScalarEvent | yaml.CollectionStartEvent) -> None:
        """Anchors and tags, which a role file never needs (the parser allows ``!``)."""
        at = _location(event.start_mark)
        if event.anchor is not None:
            raise YamlReadError(
                Code.YAML_ANCHOR,
                at.line,
                at.column,
                f"anchors (&{event.anchor}) are not allowed; write values out in full, "
                "or put text that starts with & in quotes",
            )
        raise YamlReadError(
            Code.YAML_TAG,
            at.line,
            at.column,
            f"tags such as '{event.tag}' are not allowed; remove it, "
            "or put text that starts with ! in quotes",
        )

    def _scalar(self, event: yaml.ScalarEvent) -> None:
        if event.anchor is not None or (event.tag is not None and event.tag != "!"):
            self._refuse_node(event)
        text = event.value
        value: Any = text if event.style else resolve_plain(text)
        top = self.stack[-1] if self.stack else None
        if top is not None and top.pending_key is None and isinstance(top.value, dict):
            self._key(top, value, event.start_mark, text)
            return
        if isinstance(value, str):
            self._check_text(value, event.start_mark, top)
        self._place(value, event.start_mark, top)

    def _check_text(self, value: str, mark: _Mark | None, top: _Frame | None) -> None:
        """Text a spreadsheet cell cannot hold: a problem, not a fatal one."""
        bad = _UNHOLDABLE.search(value)
        if bad is not None:
            at = _location(mark)
            self.problems.append(
                YamlReadError(
                    Code.TEXT_CONTROL_CHARACTER,
                    at.line,
                    at.column,
                    f"the text holds the control character U+{ord(bad.group()):04X}, "
                    "which a spreadsheet cannot hold; remove it",
                    _child_path(top),
                )
            )
        if too_long(value):
            at = _location(mark)
            self.problems.append(
                YamlReadError(
                    Code.TEXT_TOO_LONG,
                    at.line,
                    at.column,
                    f"the text is {text_units(value):,} characters long; a spreadsheet cell "
                    f"holds at most {MAX_TEXT:,}, so shorten it",
                    _child_path(top),
                )
            )

    def _key(self, top: _Frame, key: Any, mark: _Mark | None, written: str) -> None:
        if not isinstance(key, str):
            at = _location(mark)
            shown = f"the key {written}" if written else "an empty key"
            raise YamlReadError(
                Code.YAML_KEY,
                at.line,
                at.column,
                f"{shown} is not text; field names must be words such as 'id'",
            )
        first = top.seen.get(key)
        top.pending_key = key
        top.skip_value = first is not None
        if first is not None:
            at, before = _location(mark), _location(first)
            self.problems.append(
                YamlReadError(
                    Code.YAML_DUPLICATE_KEY,
                    at.line,
                    at.column,
                    f"'{key}' is given twice, on lines {before.line} and {at.line}; "
                    "keep one of them",
                    (*top.path, key),
                )
            )
        else:
            top.seen[key] = mark
            if not top.discarded:
                where: JsonPath = (*top.path, key)
                self.key_marks[where] = mark

    def _open(self, event: yaml.CollectionStartEvent) -> None:
        if event.anchor is not None or (event.tag is not None and event.tag != "!"):
            self._refuse_node(event)
        top = self.stack[-1] if self.stack else None
        if top is not None and top.pending_key is None and isinstance(top.value, dict):
            at = _location(event.start_mark)
            raise YamlReadError(
                Code.YAML_KEY,
                at.line,
                at.column,
                "a list or mapping cannot be a key; field names must be words",
            )
        if len(self.stack) >= MAX_DEPTH:
            at = _location(event.start_mark)
            raise YamlReadError(
                Code.YAML_TOO_DEEP,
                at.line,
                at.column,
                f"the data is nested more than {MAX_DEPTH} levels deep; "
                "check the brackets and indentation here",
            )
        container: dict[str, Any] | list[Any] = (
            {} if isinstance(event, yaml.MappingStartEvent) else []
        )
        discarded = top is not None and (top.discarded or top.skip_value)
        path = self._place(container, event.start_mark, top)
        self.stack.append(_Frame(container, path, discarded))

    def _close(self, _: yaml.CollectionEndEvent) -> None:
        self.stack.pop()

    def _place(self, value: Any, mark: _Mark | None, top: _Frame | None) -> JsonPath:
        """Put ``value`` into the open collection and note where it is written."""
        if top is None:
            self.root = value
            self.value_marks[()] = mark
            return ()
        if isinstance(top.value, list):
            path: JsonPath = (*top.path, len(top.value))
            if not top.discarded:
                self.value_marks[path] = mark
            top.value.append(value)
            return path
        key = top.pending_key
        assert key is not None
        path = (*top.path, key)
        if not top.skip_value:
            if not top.discarded:
                self.value_marks[path] = mark
            top.value[key] = value
        top.pending_key = None
        top.skip_value = False
        return path


def _child_path(top: _Frame | None) -> JsonPath:
    """The path the next value placed into ``top`` gets."""
    if top is None:
        return ()
    if isinstance(top.value, list):
        return (*top.path, len(top.value))
    assert top.pending_key is not None
    return (*top.path, top.pending_key)


def _ignore(_: yaml.Event) -> None:
    """Stream and document boundaries carry nothing to check."""
