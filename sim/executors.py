"""Executors: where the runs of a study are computed.

An executor has one method, ``imap_unordered(function, items)``, yielding
``(item, function(item))`` as each call finishes, in any order; the study runner sorts
before aggregating, so the order never shows in the results. `function` must be a
module-level function and `items` picklable. Closing the iterator early (a failed run,
Ctrl-C) cancels the calls not yet started. The cluster executor, `sim.dask_executor.DaskExecutor`,
implements the same method; an executor that holds resources between calls (a cluster)
is also a context manager, and `opened(executor)` enters it when it is one.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from contextlib import AbstractContextManager, nullcontext
from typing import Protocol, TypeVar

T = TypeVar("T")
R = TypeVar("R")


class Executor(Protocol):
    workers: int

    def imap_unordered(self, function: Callable[[T], R], items: Iterable[T]) -> Iterator[tuple[T, R]]: ...


def opened(executor: Executor) -> AbstractContextManager[Executor]:
    """`executor` as a context manager: itself when it is one (it opens on entering and
    closes on leaving), otherwise a context that does nothing."""
    if hasattr(executor, "__enter__") and hasattr(executor, "__exit__"):
        return executor  # type: ignore[return-value]
    return nullcontext(executor)


class LocalExecutor:
    """Runs on this machine: in this process when `workers` is 1, otherwise in a pool of
    `workers` processes (default: the number of cores)."""

    def __init__(self, workers: int | None = None) -> None:
        workers = (os.cpu_count() or 1) if workers is None else workers
        if workers < 1:
            raise ValueError(f"workers must be >= 1, got {workers}")
        self.workers = workers

    def imap_unordered(self, function: Callable[[T], R], items: Iterable[T]) -> Iterator[tuple[T, R]]:
        items = list(items)
        if self.workers == 1 or len(items) <= 1:
            for item in items:
                yield item, function(item)
            return
        size = min(self.workers, len(items))
        pool = ProcessPoolExecutor(max_workers=size)
        try:
            # Keep a bounded number of calls in flight so an early stop wastes little work.
            pending: dict[Future[R], T] = {}
            queue = iter(items)
            limit = 2 * size
            for item in queue:
                pending[pool.submit(function, item)] = item
                if len(pending) >= limit:
                    break
            while pending:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    item = pending.pop(future)
                    yield item, future.result()
                    for following in queue:
                        pending[pool.submit(function, following)] = following
                        break
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
