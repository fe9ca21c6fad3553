"""Run one function over many files, in worker processes when asked, with a progress bar.

Results come back in the order of the items, as soon as each is ready, so a
caller can consume them (say, write a report's rows) while the workers go on.
"""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from typing import TYPE_CHECKING, TextIO, TypeVar

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Sequence

T = TypeVar("T")
R = TypeVar("R")

CHUNKS_PER_JOB = 8
"""Work is handed out in about this many chunks per worker: few enough that passing it
costs little, enough that the workers finish close together."""


def in_order(
    func: Callable[[T], R], items: Sequence[T], jobs: int, progress: TextIO | None
) -> Iterator[R]:
    """``func`` over ``items``, in ``jobs`` processes when there is more than one item.

    ``func`` and the items must pickle when ``jobs`` is above 1. Leaving the loop
    early cancels the work not yet started.
    """
    if jobs <= 1 or len(items) <= 1:
        yield from tick(map(func, items), len(items), progress)
        return
    pool = ProcessPoolExecutor(max_workers=jobs)
    try:
        chunk = max(1, len(items) // (jobs * CHUNKS_PER_JOB))
        yield from tick(pool.map(func, items, chunksize=chunk), len(items), progress)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def tick(results: Iterable[T], total: int, stream: TextIO | None) -> Iterator[T]:
    """``results`` passed through, drawing a progress bar on ``stream`` when it is a terminal."""
    show = stream is not None and stream.isatty()
    for done, result in enumerate(results, start=1):
        if show and stream is not None:
            bar = "#" * (30 * done // total)
            stream.write(f"\r[{bar:<30}] {done}/{total}")
            stream.flush()
        yield result
    if show and stream is not None:
        stream.write("\n")
