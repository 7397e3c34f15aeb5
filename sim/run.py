"""One replication: `run(scenario, replication)` -> an immutable `RunResult`.

`run` is a pure function of (scenario, replication, root seed): it builds a fresh
environment and model, runs to the horizon, checks conservation and returns the result.
The scenario names its model by import path, so the kernel never imports a model; it
reads the model only through the module's `SPEC`.
"""

from __future__ import annotations

import datetime as dt
import importlib
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from sim.calendar import DayCalendar
from sim.context import Context
from sim.frozen import FrozenMapping
from sim.log import EventTable
from sim.sampler import LevelSampler
from sim.spec import ModelSpec
from sim.streams import Streams


@dataclass(frozen=True)
class RunSettings:
    """The `[run]` table of a scenario file."""

    horizon: float
    warmup: float = 0.0
    replications: int = 10
    seed: int = 1
    start: dt.datetime = dt.datetime(2025, 1, 6)
    #: day types of particular dates ("2025-11-11" = "peak") and of weekdays
    day_types: Mapping[str, str] = field(default_factory=FrozenMapping)
    weekday_types: Mapping[str, str] = field(default_factory=FrozenMapping)

    def calendar(self) -> DayCalendar:
        return DayCalendar(self.start, dict(self.day_types), dict(self.weekday_types))


class ScenarioLike(Protocol):
    name: str
    model_module: str
    params: Any
    settings: RunSettings


@dataclass(frozen=True, eq=False)
class RunResult:
    scenario: str
    replication: int
    seed: int
    metrics: Mapping[str, float]
    created: int
    finished: int
    in_system: int
    dropped: Mapping[str, int]
    wall_seconds: float
    events: EventTable | None = None
    #: monitor levels every `sample_every` hours from t = 0 (only when asked for; not stored)
    series: Mapping[str, np.ndarray] | None = None


def model_spec(scenario: ScenarioLike) -> ModelSpec:
    """The `SPEC` the scenario's model module exports (the kernel imports no model by name)."""
    spec: ModelSpec = importlib.import_module(scenario.model_module).SPEC
    return spec


def run(scenario: ScenarioLike, replication: int, seed: int | None = None, events: bool = False,
        sample_every: float | None = None) -> RunResult:
    """Run replication `replication` of `scenario` with root seed `seed` (default: the
    scenario's). `events` keeps the milestone log in the result; `sample_every` (hours)
    samples monitor levels periodically for warm-up analysis (`sim.sampler`)."""
    began = time.perf_counter()
    settings = scenario.settings
    root_seed = settings.seed if seed is None else seed
    spec = model_spec(scenario)
    context = Context(
        Streams(root_seed, replication),
        horizon=settings.horizon,
        warmup=settings.warmup,
        calendar=settings.calendar(),
        log=events or spec.needs_log,
    )
    built = spec.build(context, scenario.params)
    sampler = LevelSampler(context, sample_every) if sample_every is not None else None
    context.run()
    context.check_conservation()
    metrics = dict(spec.metrics(context, scenario.params, built))
    return RunResult(
        scenario=scenario.name,
        replication=replication,
        seed=root_seed,
        metrics=FrozenMapping(metrics),
        created=context.created,
        finished=context.finished,
        in_system=context.in_system(),
        dropped=FrozenMapping(context.dropped),
        wall_seconds=time.perf_counter() - began,
        events=context.log.table() if events and context.log is not None else None,
        series=FrozenMapping(sampler.series()) if sampler is not None else None,
    )
