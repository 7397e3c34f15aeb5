"""An executor on a Dask cluster: the same study, on more machines, with the same results.

`DaskExecutor` has the local executor's one method, ``imap_unordered(function, items)``,
and yields each ``(item, result)`` as its call finishes (Dask's ``as_completed``), so the
study runner stores every run the moment it is done and an interrupted cluster study
resumes like a local one. Results are bit-identical to the local executor's: a run is a
pure function of (scenario, replication, root seed) and comes back pickled, which keeps
every float exactly.

Without a scheduler address it starts an in-process ``LocalCluster`` of `workers`
single-threaded worker processes (a simulation holds the GIL, so threads would not run
in parallel); with ``scheduler="tcp://host:8786"`` it uses a cluster already running,
whose workers need the same version of cbecsim installed. Dask is imported only here and
only when the executor opens, so the rest of cbecsim runs without it (``pip install
"cbecsim[dask]"`` adds it).
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any, Self, TypeVar

T = TypeVar("T")
R = TypeVar("R")

#: calls in flight per worker thread: enough to keep every worker busy while the study
#: runner stores a finished run, few enough that stopping early wastes little work and
#: finished results never pile up on the cluster
IN_FLIGHT_PER_THREAD = 2
#: how often (seconds) to ask the scheduler how many worker threads there are, so that
#: workers joining a running study get work too
REFRESH_SECONDS = 10.0


class ClusterError(RuntimeError):
    """The cluster cannot be used: Dask is missing, the scheduler is unreachable, no
    worker joined, or the workers cannot import cbecsim."""


class DaskExecutor:
    """Runs calls on a Dask cluster.

    Use as a context manager (the cluster starts, or the connection opens, on entering
    and closes on leaving); `imap_unordered` outside a ``with`` block opens and closes
    for that call alone. `workers` is the number of worker threads available: the
    number asked for with a local cluster, the number found with a scheduler address.
    """

    def __init__(self, workers: int | None = None, scheduler: str | None = None, *,
                 timeout_seconds: float = 30.0) -> None:
        if workers is not None and workers < 1:
            raise ValueError(f"workers must be >= 1, got {workers}")
        if scheduler is not None and not scheduler.strip():
            raise ValueError("scheduler address is empty")
        self.scheduler = scheduler
        self.timeout_seconds = timeout_seconds
        self.workers = workers if workers is not None else (os.cpu_count() or 1)
        self._client: Any = None
        self._cluster: Any = None

    # -- lifetime ---------------------------------------------------------------------------
    def __enter__(self) -> Self:
        self.open()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def dashboard(self) -> str | None:
        """The Dask dashboard's address, when the cluster has one."""
        return getattr(self._client, "dashboard_link", None) if self._client is not None else None

    def open(self) -> None:
        """Start the local cluster or connect to the scheduler, and check the workers."""
        if self._client is not None:
            return
        distributed = _import_distributed()
        try:
            if self.scheduler is None:
                self._cluster = distributed.LocalCluster(n_workers=self.workers, threads_per_worker=1,
                                                         processes=True, dashboard_address=":0",
                                                         silence_logs=logging.ERROR)
                self._client = distributed.Client(self._cluster, set_as_default=False)
            else:
                self._client = distributed.Client(self.scheduler, timeout=self.timeout_seconds,
                                                  set_as_default=False)
                self._client.wait_for_workers(1, timeout=self.timeout_seconds)
        except (OSError, TimeoutError) as error:  # dask's TimeoutError is the built-in one
            self.close()
            where = self.scheduler or "a local cluster"
            raise ClusterError(f"cannot use {where}: {error or type(error).__name__}") from error
        except BaseException:
            self.close()
            raise
        self.workers = self._threads()
        self._check_workers()

    def close(self) -> None:
        """Close the connection, and the local cluster when this executor started it."""
        client, cluster = self._client, self._cluster
        self._client = self._cluster = None
        if client is not None:
            client.close()
        if cluster is not None:
            cluster.close()

    def _threads(self) -> int:
        return max(1, sum(self._client.nthreads().values()))

    def _check_workers(self) -> None:
        """Fail before the study starts when the scheduler or a worker cannot import
        cbecsim: both unpickle the runs sent to them (recent versions of Dask unpickle
        tasks on the scheduler too)."""

        # Defined inside so that it travels by value: the cluster need not import this module.
        def import_problem() -> str:
            import importlib

            try:
                for module in ("sim.study", "scenarios.loader", "models"):
                    importlib.import_module(module)
            except ImportError as error:
                return f"{type(error).__name__}: {error}"
            return ""

        problems = {f"worker {worker}": text for worker, text in self._client.run(import_problem).items() if text}
        on_scheduler = self._client.run_on_scheduler(import_problem)
        if on_scheduler:
            problems["the scheduler"] = on_scheduler
        if problems:
            where, text = min(problems.items())
            self.close()
            raise ClusterError(f"cbecsim is not importable on {len(problems)} process(es) of the cluster (install the "
                               f"same version on the scheduler and every worker), e.g. on {where}: {text}")

    # -- work ---------------------------------------------------------------------------------
    def imap_unordered(self, function: Callable[[T], R], items: Iterable[T]) -> Iterator[tuple[T, R]]:
        """Yield ``(item, function(item))`` in the order the calls finish. Closing the
        iterator early cancels the calls not yet finished."""
        items = list(items)
        if not items:
            return
        owned = self._client is None
        if owned:
            self.open()
        try:
            yield from self._stream(function, items)
        finally:
            if owned:
                self.close()

    def _stream(self, function: Callable[[T], R], items: list[T]) -> Iterator[tuple[T, R]]:
        from concurrent.futures import CancelledError

        from distributed import KilledWorker, as_completed

        client = self._client
        queue = iter(items)
        pending: dict[Any, T] = {}

        def submit(item: T) -> Any:
            future = client.submit(function, item, pure=False)
            pending[future] = item
            return future

        limit = IN_FLIGHT_PER_THREAD * self.workers
        completed = as_completed([submit(item) for item in islice(queue, limit)], loop=client.loop)
        refreshed = time.monotonic()
        try:
            for future in completed:
                item = pending.pop(future)
                try:
                    result = future.result()
                except (KilledWorker, CancelledError, OSError) as error:
                    # The cluster, not the call, failed: workers died on it, or the
                    # scheduler went away. The calls that came back are kept by the caller.
                    raise ClusterError(f"the cluster failed: {type(error).__name__}: {error}; finished runs are "
                                       f"kept, run the same command again to resume") from error
                future.release()
                if time.monotonic() - refreshed > REFRESH_SECONDS:
                    self.workers = self._threads()
                    limit = IN_FLIGHT_PER_THREAD * self.workers
                    refreshed = time.monotonic()
                # Top up before handing the result over, so workers stay busy while it is stored.
                for following in islice(queue, max(0, limit - len(pending))):
                    completed.add(submit(following))
                yield item, result
        finally:
            if pending:
                client.cancel(list(pending))


def _import_distributed() -> Any:
    try:
        import distributed
    except ImportError as error:
        raise ClusterError('the Dask executor needs dask.distributed: pip install "cbecsim[dask]"') from error
    return distributed
