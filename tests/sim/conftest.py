"""Shared helpers of the kernel tests, handed out as fixtures.

- `kernel`: builds tiny contexts and hand-fed blocks for exact traces (an `Injector`
  that sends entities in at given times, a `Recorder` end block that notes who arrived
  when, samplers fed from lists of known values, and a reader of the milestone log).
- `network`: runs the `queue_network` model over replications and computes t-intervals,
  for comparisons with queueing theory.
"""

from __future__ import annotations

import datetime as dt
import math
import types
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
from scipy import stats

from models import queue_network
from sim.calendar import DayCalendar
from sim.context import Context
from sim.entity import Entity
from sim.flow import Sink
from sim.parameters import build_params
from sim.run import RunSettings, run
from sim.streams import Streams

MONDAY = dt.datetime(2025, 1, 6)


# -- exact traces ---------------------------------------------------------------------------
def fed(values: Iterable[float]) -> Callable[[], float]:
    """A sampler that returns `values` in order and fails loudly when they run out (a test
    that draws more than it planned is wrong)."""
    iterator = iter(list(values))

    def sample() -> float:
        try:
            return next(iterator)
        except StopIteration:
            raise AssertionError("the test fed fewer values than the run drew") from None

    return sample


class Injector:
    """A source for traces: at each given time sends in a fresh entity (made by `make`)."""

    def __init__(self, context: Context, name: str, times: Sequence[float],
                 make: Callable[[int, float], Entity] = Entity) -> None:
        self.context = context
        self.name = name
        self.times = list(times)
        self.make = make
        self.held = 0
        self.target: Any = None
        self.sent: list[Entity] = []
        context.register(self)

    def to(self, target: Any) -> Any:
        self.target = target
        return target

    def outputs(self) -> dict[str, Any]:
        return {"out": self.target}

    def start(self) -> None:
        for time in self.times:
            self.context.at(time, self._send)

    def _send(self, _: Any) -> None:
        context = self.context
        entity = self.make(context.next_id(), context.now)
        context.entered(entity)
        self.sent.append(entity)
        self.target.put(entity)


class Recorder(Sink):
    """A sink that also notes (time, entity) of every arrival."""

    def __init__(self, context: Context, name: str = "recorder", **kwargs: Any) -> None:
        super().__init__(context, name, **kwargs)
        self.arrivals: list[tuple[float, Entity]] = []

    def put(self, entity: Entity) -> None:
        self.arrivals.append((self.context.now, entity))
        super().put(entity)

    def times(self) -> list[float]:
        return [time for time, _ in self.arrivals]

    def ids(self) -> list[int]:
        return [entity.id for _, entity in self.arrivals]


class Kernel:
    """Constructors for trace tests (a namespace handed out by the `kernel` fixture)."""

    fed = staticmethod(fed)
    Injector = Injector
    Recorder = Recorder

    @staticmethod
    def context(horizon: float = 100.0, warmup: float = 0.0, seed: int = 1, replication: int = 0,
                start: dt.datetime = MONDAY, calendar: DayCalendar | None = None, log: bool = True) -> Context:
        return Context(Streams(seed, replication), horizon=horizon, warmup=warmup, start=start,
                       calendar=calendar, log=log)

    @staticmethod
    def milestones(context: Context) -> list[tuple[int, str, float]]:
        """The milestone log as (entity, milestone name, time) rows in recording order."""
        table = context.log.table()  # type: ignore[union-attr]
        return [(int(e), table.names[m], float(t)) for e, m, t in zip(table.entity, table.milestone, table.time)]

    @staticmethod
    def times_by_entity(context: Context, name: str) -> dict[int, float]:
        entities, times = context.log.table().times_of(name)  # type: ignore[union-attr]
        return {int(e): float(t) for e, t in zip(entities, times)}


@pytest.fixture(scope="session")
def kernel() -> type[Kernel]:
    return Kernel


# -- replications of the queue_network model ---------------------------------------------------
@dataclass(frozen=True)
class Interval:
    mean: float
    low: float
    high: float
    n: int

    @property
    def half_width(self) -> float:
        return (self.high - self.low) / 2

    def __contains__(self, value: float) -> bool:
        return self.low <= value <= self.high

    def __str__(self) -> str:
        return f"{self.mean:.5g} [{self.low:.5g}, {self.high:.5g}] (n={self.n})"


def t_interval(values: Sequence[float], level: float = 0.95) -> Interval:
    """Two-sided t confidence interval of the mean of independent replication values."""
    data = np.asarray(values, dtype=float)
    n = len(data)
    mean = float(data.mean())
    half = float(stats.t.ppf(0.5 + level / 2, n - 1) * data.std(ddof=1) / math.sqrt(n))
    return Interval(mean, mean - half, mean + half, n)


class Network:
    """Builds `queue_network` scenarios and runs replications (the `network` fixture)."""

    t_interval = staticmethod(t_interval)

    @staticmethod
    def scenario(params: dict[str, Any], horizon: float, warmup: float, seed: int = 1,
                 name: str = "test") -> types.SimpleNamespace:
        built = build_params(queue_network.Params, params)
        queue_network.validate(built)
        settings = RunSettings(horizon=horizon, warmup=warmup, replications=1, seed=seed)
        return types.SimpleNamespace(name=name, model_module="models.queue_network", params=built,
                                     settings=settings)

    @staticmethod
    def replicate(scenario: Any, replications: int, seed: int | None = None,
                  first: int = 0) -> list[dict[str, float]]:
        """Metrics of replications first .. first + replications - 1."""
        return [dict(run(scenario, rep, seed=seed).metrics) for rep in range(first, first + replications)]

    @staticmethod
    def column(results: Sequence[dict[str, float]], metric: str) -> list[float]:
        return [result[metric] for result in results]


@pytest.fixture(scope="session")
def network() -> type[Network]:
    return Network
