"""Sources: where entities enter a model.

- `PoissonSource`: homogeneous Poisson arrivals at `rate` per hour.
- `ProfileSource`: non-homogeneous Poisson arrivals whose rate is a daily volume × the
  hour's share of an hourly profile × the day type's multiplier (a Double-11 peak day),
  drawn exactly by inverting the piecewise-constant cumulative rate. A day type may have
  its own hourly profile (a promotion day whose first hours carry a surge).
- `TimetableSource`: batches at timetable times (a flight at 06:40 daily bringing a random
  number of receptacles, each holding a random number of items).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from math import floor, log
from typing import Any

from sim.calendar import HOURS_PER_DAY
from sim.context import Context
from sim.distributions import Distribution
from sim.entity import Batch, Entity

EntityFactory = Callable[[int, float], Entity]


class _Source:
    def __init__(self, context: Context, name: str, make: EntityFactory = Entity, milestone: str | None = None) -> None:
        self.context = context
        self.name = name
        self.make = make
        self.target: Any = None
        self.held = 0
        self.milestone = context.milestone(milestone)
        context.register(self)

    def to(self, target: Any) -> Any:
        self.target = target
        return target

    def outputs(self) -> dict[str, Any]:
        return {"out": self.target}

    def _emit(self, now: float) -> None:
        context = self.context
        entity = self.make(context.next_id(), now)
        context.entered(entity)
        if self.milestone is not None:
            context.log.record(entity.id, self.milestone, now)  # type: ignore[union-attr]
        self.target.put(entity)


class PoissonSource(_Source):
    def __init__(self, context: Context, name: str, rate: float, make: EntityFactory = Entity,
                 milestone: str | None = None, stream: str | None = None) -> None:
        super().__init__(context, name, make, milestone)
        if rate <= 0:
            raise ValueError(f"source {name!r}: rate must be > 0, got {rate}")
        self.rate = rate
        self._gap = context.streams.sampler(stream or f"source.{name}", Distribution("exponential", mean=1.0 / rate))

    def start(self) -> None:
        self.context.schedule(self._gap(), self._arrive)

    def _arrive(self, _: Any) -> None:
        self._emit(self.context.env._now)
        self.context.schedule(self._gap(), self._arrive)


class ProfileSource(_Source):
    """Arrivals at rate `daily_volume × profile[hour] / sum(profile) × multiplier[day type]`.

    `day_profiles` gives particular day types their own hourly profile (normalised the
    same way, so the day still brings `daily_volume × multiplier` arrivals on average);
    other day types use `hourly_profile`.
    """

    def __init__(self, context: Context, name: str, daily_volume: float, hourly_profile: Sequence[float],
                 day_multipliers: Mapping[str, float] | None = None, make: EntityFactory = Entity,
                 milestone: str | None = None, stream: str | None = None,
                 day_profiles: Mapping[str, Sequence[float]] | None = None) -> None:
        super().__init__(context, name, make, milestone)
        self.hourly_rates = self._rates(daily_volume, hourly_profile)
        self.day_rates = {kind: self._rates(daily_volume, profile) for kind, profile in (day_profiles or {}).items()}
        self.day_multipliers = dict(day_multipliers or {})
        self._uniform = context.streams.uniform(stream or f"source.{name}")
        #: day index -> that day's 24 hourly rates; a day's type is looked up once, not per arrival
        self._day_cache: dict[int, list[float]] = {}

    def _rates(self, daily_volume: float, profile: Sequence[float]) -> list[float]:
        if len(profile) != 24 or min(profile) < 0 or sum(profile) <= 0:
            raise ValueError(f"source {self.name!r}: hourly profile needs 24 non-negative weights with a positive sum")
        total = float(sum(profile))
        return [daily_volume * weight / total for weight in profile]

    def rate_at(self, t: float) -> float:
        """Arrival rate (per hour) at simulation time `t`."""
        calendar = self.context.calendar
        day = calendar.day_index(t)
        rates = self._day_cache.get(day)
        if rates is None:
            rates = self.hourly_rates_on(day)
        return rates[int((t - calendar.day_start(day)) // 1.0) % 24]

    def hourly_rates_on(self, day: int) -> list[float]:
        """The 24 hourly arrival rates of day number `day` (computed once a day and kept).

        A subclass whose rates vary otherwise by day overrides this (arrivals then stay on
        the fast path); one that overrides `rate_at` instead is asked at every hour."""
        kind = self.context.calendar.day_type(day)
        multiplier = self.day_multipliers.get(kind, 1.0)
        rates = self._day_cache[day] = [rate * multiplier for rate in self.day_rates.get(kind, self.hourly_rates)]
        return rates

    def _next_after(self, t: float) -> float:
        """Next arrival time: spend an Exp(1) amount of cumulative rate hour by hour."""
        need = -log(1.0 - self._uniform())
        offset = self.context.calendar.start_hour
        limit = self.context.horizon + HOURS_PER_DAY
        cache = self._day_cache
        # A subclass's own `rate_at` is honoured; otherwise it is inlined below, with the
        # arithmetic of the calendar's `day_index` and `day_start`, for speed.
        rate_at = self.rate_at if type(self).rate_at is not ProfileSource.rate_at else None
        while True:
            segment_end = floor(t + offset + 1e-12) + 1.0 - offset  # next full clock hour
            if rate_at is None:
                day = floor((t + offset) / HOURS_PER_DAY)
                rates = cache.get(day)
                if rates is None:
                    rates = self.hourly_rates_on(day)
                rate = rates[int((t - (day * HOURS_PER_DAY - offset)) // 1.0) % 24]
            else:
                rate = rate_at(t)
            capacity = rate * (segment_end - t)
            if rate > 0 and need <= capacity:
                return t + need / rate
            need -= capacity
            t = segment_end
            if t > limit:
                return float("inf")

    def start(self) -> None:
        first = self._next_after(0.0)
        if first < self.context.horizon:
            self.context.at(first, self._arrive)

    def _arrive(self, _: Any) -> None:
        now = self.context.env._now
        self._emit(now)
        following = self._next_after(now)
        if following < self.context.horizon:
            self.context.at(following, self._arrive)


class TimetableSource(_Source):
    """At each time in `times`, `batches()` batches arrive, each of `batch_size()` entities.

    Each batch is sent on as a `Batch` whose members were made by `make`; a batch of size 0
    is not sent. `batch_make` makes the batch itself (its id is a fresh entity id).
    """

    def __init__(self, context: Context, name: str, times: Sequence[float], batches: Callable[[], float],
                 batch_size: Callable[[], float], make: EntityFactory = Entity,
                 milestone: str | None = None) -> None:
        super().__init__(context, name, make, milestone)
        self.times = sorted(times)
        self.batches = batches
        self.batch_size = batch_size

    def start(self) -> None:
        for time in self.times:
            self.context.at(time, self._arrive)

    def _arrive(self, _: Any) -> None:
        context = self.context
        now = context.env._now
        log = context.log if self.milestone is not None else None
        for _ in range(round(self.batches())):
            size = round(self.batch_size())
            if size <= 0:
                continue
            members = [self.make(context.next_id(), now) for _ in range(size)]
            for member in members:
                context.entered(member)
                if log is not None:
                    log.record(member.id, self.milestone, now)  # type: ignore[arg-type]
            self.target.put(Batch(context.next_id(), now, members))
