"""How many items arrive when: the 2024 volume spread over the year, and the sources.

Expected items on a day = annual items × growth / 365 × the month's factor (rescaled so
that a year averages 1) × the day type's factor. Inbound mail comes by timetable: each
arrival of a transport brings its share of the items accrued since its previous arrival
(a weekly container brings a week's share), as a Poisson number of receptacles each
holding a random number of items. Outbound mail comes from the domestic network as a
non-homogeneous Poisson stream following the hourly profile and the same daily volume.
"""

from __future__ import annotations

import calendar as month_calendar
import datetime as dt
from collections.abc import Callable, Sequence
from math import floor

from models.mail.params import Transport, Volume
from sim.calendar import HOURS_PER_DAY, DayCalendar, timetable_times
from sim.context import Context
from sim.sources import EntityFactory, ProfileSource, TimetableSource

#: days in each month of a common year, for rescaling the month factors
_MONTH_DAYS = tuple(month_calendar.monthrange(2023, month)[1] for month in range(1, 13))


def month_scale(factors: Sequence[float]) -> float:
    """The divisor that makes the month factors average 1 over a common year."""
    return sum(days * factor for days, factor in zip(_MONTH_DAYS, factors)) / 365.0


class VolumeCurve:
    """Expected items per day (inbound and outbound together) over a range of days."""

    def __init__(self, volume: Volume, calendar: DayCalendar, first: float, last: float) -> None:
        self.calendar = calendar
        self.first_day = calendar.day_index(first)
        last_day = calendar.day_index(last)
        base = volume.annual_items * volume.growth / 365.0
        scale = month_scale(volume.month_factors)
        start = calendar.start.date()
        self.per_day: list[float] = []
        for day in range(self.first_day, last_day + 1):
            month = (start + dt.timedelta(days=day)).month
            factor = volume.month_factors[month - 1] / scale
            factor *= volume.day_type_factors.get(calendar.day_type(day), 1.0)
            self.per_day.append(base * factor)
        self.cumulative_at_midnight = [0.0]
        for items in self.per_day:
            self.cumulative_at_midnight.append(self.cumulative_at_midnight[-1] + items)

    def items_on(self, day: int) -> float:
        """Expected items (both directions) on day number `day`."""
        index = min(max(day - self.first_day, 0), len(self.per_day) - 1)
        return self.per_day[index]

    def cumulative(self, t: float) -> float:
        """Expected items (both directions) from the first day's midnight to time `t`."""
        offset = (t - self.calendar.day_start(self.first_day)) / HOURS_PER_DAY
        index = min(max(floor(offset), 0), len(self.per_day) - 1)
        return self.cumulative_at_midnight[index] + self.per_day[index] * (offset - index)


def arrival_items(transport: Transport, curve: VolumeCurve, inbound_share: float, calendar: DayCalendar,
                  horizon: float) -> tuple[list[float], list[float]]:
    """Arrival times of `transport` in [0, horizon) and the expected items each brings:
    its share of the inbound items accrued since its previous arrival."""
    history = timetable_times(transport.times, calendar, horizon, transport.days, start=-8 * HOURS_PER_DAY,
                              include_end=True)
    times = [t for t in history if 0.0 <= t < horizon]
    previous = [t for t in history if t < 0.0]
    last = previous[-1] if previous else (times[0] - HOURS_PER_DAY if times else 0.0)
    items: list[float] = []
    for time in times:
        items.append(max(0.0, transport.share * inbound_share * (curve.cumulative(time) - curve.cumulative(last))))
        last = time
    return times, items


def inbound_source(context: Context, transport: Transport, curve: VolumeCurve, inbound_share: float,
                   make: EntityFactory) -> TimetableSource:
    """A `TimetableSource` for one transport: a Poisson number of receptacles whose mean
    is the expected items of the arrival over the mean receptacle size."""
    times, items = arrival_items(transport, curve, inbound_share, context.calendar, context.horizon)
    mean_receptacle = transport.receptacle_items.expected()
    counter = context.streams.generator(f"inbound.{transport.name}.receptacles")
    sizes = context.streams.sampler(f"inbound.{transport.name}.receptacle_items", transport.receptacle_items)
    return TimetableSource(context, f"inbound.transport.{transport.name}", times,
                           batches=_poisson_sequence(counter, [mean / mean_receptacle for mean in items]),
                           batch_size=lambda: max(1.0, round(sizes())), make=make)


def _poisson_sequence(generator: object, means: Sequence[float]) -> Callable[[], float]:
    """Successive Poisson draws with the given means, one per timetable arrival."""
    remaining = iter(means)

    def draw() -> float:
        return float(generator.poisson(next(remaining)))  # type: ignore[attr-defined]

    return draw


class OutboundSource(ProfileSource):
    """Arrivals from the domestic network: hourly profile × the day's outbound volume."""

    def __init__(self, context: Context, name: str, curve: VolumeCurve, outbound_share: float,
                 hourly_profile: Sequence[float], make: EntityFactory, milestone: str | None = None) -> None:
        super().__init__(context, name, 1.0, hourly_profile, make=make, milestone=milestone,
                         stream="outbound.arrivals")
        self.curve = curve
        self.outbound_share = outbound_share
        self._day_rates: dict[int, list[float]] = {}

    def rate_at(self, t: float) -> float:
        calendar = self.context.calendar
        day = calendar.day_index(t)
        rates = self._day_rates.get(day)
        if rates is None:
            volume = self.curve.items_on(day) * self.outbound_share
            rates = self._day_rates[day] = [share * volume for share in self.hourly_rates]
        hour = int((t - calendar.day_start(day)) // 1.0) % 24
        return rates[hour]
