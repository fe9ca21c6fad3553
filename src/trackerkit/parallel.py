"""Run one function over many files, in worker processes when asked, with a progress bar.

Results come back in the order of the items, as soon as each is ready, so a
caller can consume them (say, write a report's rows) while the workers go on.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from typing import TYPE_CHECKING, TextIO, TypeVar

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Sequence

T = TypeVar("T")
R = TypeVar("R")

PARENT_CHECK_SECONDS = 0.5
"""How often a worker looks whether its parent is still there."""
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
    pool = ProcessPoolExecutor(max_workers=jobs, initializer=_worker, initargs=(os.getpid(),))
    try:
        chunk = max(1, len(items) // (jobs * CHUNKS_PER_JOB))
        calls = pool.map(partial(_call, func), items, chunksize=chunk)
        yield from tick(calls, len(items), progress)
    except GeneratorExit:
        raise  # the caller left the loop: the work not yet started is cancelled below
    except BaseException:
        # Interrupted (Ctrl-C, SIGTERM) or failed: the workers' current chunks are not
        # waited for. Each stops as it would on SIGTERM, removing its unfinished files.
        for child in multiprocessing.active_children():
            child.terminate()
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _worker(parent: int) -> None:
    """Set up a worker: Ctrl-C is the parent's to handle, SIGTERM ends the worker as an
    exception would (so ``finally`` blocks clean up), and it ends itself when the parent dies."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _exit_on_signal)
    threading.Thread(target=_watch, args=(parent,), daemon=True).start()


def _exit_on_signal(number: int, _: object) -> None:
    # Once: a second SIGTERM (the parent's, then this worker's own watch) must not cut
    # short the clean-up the first one started.
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise SystemExit(128 + number)


def _call(func: Callable[[T], R], item: T) -> R:
    """``func(item)`` in a worker; a SIGTERM during it ends the worker once the item's own
    clean-up has run (the pool would otherwise take the exit for the item's result)."""
    try:
        return func(item)
    except SystemExit as stop:
        os._exit(stop.code if isinstance(stop.code, int) else 1)


def _watch(parent: int) -> None:
    """End this worker soon after its parent is gone (killed, even with SIGKILL): it would
    otherwise finish every file it was given for nobody."""
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os.kill(os.getpid(), signal.SIGTERM)


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
