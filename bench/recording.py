"""Record what a piece of code asks of XlsxWriter, and replay it as plain XlsxWriter code.

The ``build`` benchmark compares trackerkit's writer with XlsxWriter doing the same work
and nothing else. Rather than keep a hand-written copy of every tracker in step with the
writer, it records the calls the writer makes, in order, with their arguments, and turns
that flat list into one straight-line function, the code a person would write by hand for
that one workbook::

    def replay(stream):
        v0 = xlsxwriter.Workbook(stream, {'in_memory': True, ...})
        v1 = v0.add_format({'font_name': 'Calibri', ...})
        ...
        v9.write_string(0, 0, 'Course checklist: PSR I', v3)
        ...
        v0.close()

Arguments are written as literals, so each replay builds its own dictionaries, as
hand-written code does, and XlsxWriter objects (worksheets, formats, charts) are the
variables their creating calls assigned.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any, NamedTuple
from unittest import mock

import xlsxwriter
from xlsxwriter.chart import Chart
from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

RECORDED = (Workbook, Worksheet, Format, Chart)
"""The XlsxWriter objects whose method calls are recorded (and replayed)."""


class Ref(NamedTuple):
    """An XlsxWriter object in a recorded call: the variable that holds it in the replay."""

    name: str


class Stream(NamedTuple):
    """The file object the workbook is written to: the replay's ``stream`` argument."""


@dataclass(frozen=True)
class Call:
    target: str  # "xlsxwriter" for the Workbook constructor, else a Ref's name
    method: str
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    result: str | None  # the variable the result is kept in, when it is an XlsxWriter object


@dataclass
class Recording:
    calls: list[Call] = field(default_factory=list)

    def call(
        self, target: str, method: str, function: Callable[..., Any], *args: Any, **kwargs: Any
    ) -> Any:
        recorded = (_symbolic(args), _symbolic(kwargs))  # before the call, which may mutate
        result = function(*_real(args), **_real(kwargs))
        name = None
        if isinstance(result, RECORDED):
            name = f"v{len(self.calls)}"
            result = _Proxy(self, name, result)
        self.calls.append(Call(target, method, *recorded, name))
        return result

    def source(self) -> str:
        """The calls as the body of ``def replay(stream)``."""
        lines = ["def replay(stream):"]
        for call in self.calls:
            arguments = [_literal(value) for value in call.args]
            arguments += [f"{key}={_literal(value)}" for key, value in call.kwargs.items()]
            code = f"{call.target}.{call.method}({', '.join(arguments)})"
            lines.append(f"    {call.result} = {code}" if call.result else f"    {code}")
        return "\n".join(lines) + "\n"

    def replay(self) -> Callable[[], bytes]:
        """A function that writes the recorded workbook with plain XlsxWriter, into bytes."""
        namespace: dict[str, Any] = {"xlsxwriter": xlsxwriter, "datetime": dt}
        exec(compile(self.source(), "<replay>", "exec"), namespace)  # noqa: S102 - our own text
        replay = namespace["replay"]

        def written() -> bytes:
            stream = io.BytesIO()
            replay(stream)
            return stream.getvalue()

        return written


class _Proxy:
    """Stands in for one XlsxWriter object: every method call is recorded, then made."""

    __slots__ = ("_name", "_recording", "_target")

    def __init__(self, recording: Recording, name: str, target: object) -> None:
        self._recording, self._name, self._target = recording, name, target

    def __getattr__(self, attribute: str) -> Any:
        value = getattr(self._target, attribute)
        if not callable(value):
            return value  # plain attributes (a sheet's name) are read, not recorded
        return partial(self._recording.call, self._name, attribute, value)


def recorded(run: Callable[[], object]) -> Recording:
    """Run ``run`` with ``xlsxwriter.Workbook`` recording every call made on what it makes."""
    recording = Recording()

    def workbook(*args: Any, **kwargs: Any) -> Any:
        return recording.call("xlsxwriter", "Workbook", Workbook, *args, **kwargs)

    with mock.patch.object(xlsxwriter, "Workbook", workbook):
        run()
    return recording


def _walk(value: Any, leaf: Callable[[Any], Any]) -> Any:
    if isinstance(value, dict):
        return {key: _walk(item, leaf) for key, item in value.items()}
    if isinstance(value, (list, tuple)) and not isinstance(value, (Ref, Stream)):
        return type(value)(_walk(item, leaf) for item in value)
    return leaf(value)


def _real(value: Any) -> Any:
    """Arguments as XlsxWriter must get them: the objects behind the proxies."""
    return _walk(value, lambda item: item._target if isinstance(item, _Proxy) else item)  # noqa: SLF001


def _symbolic(value: Any) -> Any:
    """Arguments as recorded: proxies as their variables, the output file as ``stream``."""

    def leaf(item: Any) -> Any:
        if isinstance(item, _Proxy):
            return Ref(item._name)  # noqa: SLF001
        if isinstance(item, io.IOBase):
            return Stream()
        return item

    return _walk(value, leaf)


def _literal(value: Any) -> str:
    """Python source for a recorded argument; anything unforeseen is refused, not guessed."""
    if isinstance(value, Ref):
        return value.name
    if isinstance(value, Stream):
        return "stream"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_literal(k)}: {_literal(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_literal(item) for item in value) + "]"
    if isinstance(value, tuple):
        return "(" + "".join(f"{_literal(item)}, " for item in value) + ")"
    if isinstance(value, float) and not math.isfinite(value):
        return f"float({str(value)!r})"
    if value is None or type(value) in (str, int, float, bool, dt.date, dt.datetime):
        return repr(value)  # a date's repr is datetime.date(...), and the replay has datetime
    raise TypeError(f"cannot replay an argument of type {type(value).__name__}: {value!r}")


def calls_by_method(recording: Recording) -> Iterator[tuple[str, int]]:
    """How often each method was called, most called first."""
    counts: dict[str, int] = {}
    for call in recording.calls:
        counts[call.method] = counts.get(call.method, 0) + 1
    yield from sorted(counts.items(), key=lambda item: -item[1])
