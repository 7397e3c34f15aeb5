"""Hourly-profile arrivals: the cached day rates and calendar agree with the definitions.

`ProfileSource` keeps each day's 24 hourly rates and inlines the rate lookup when drawing
arrivals; `DayCalendar` keeps each day's type. These tests compare them with the plain
definitions (a date's type from its ISO date and weekday name, a rate from the profile
and the day type's multiplier), and check that a subclass's own rates are honoured.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from sim.calendar import DayCalendar
from sim.context import Context
from sim.sources import ProfileSource
from sim.streams import Streams

START = dt.datetime(2025, 11, 3, 6, 30)  # a Monday, 06:30
DATES = {"2025-11-11": "peak", "2025-11-12": "peak"}
WEEKDAYS = {"saturday": "weekend", "sunday": "weekend"}
PROFILE = [1, 1, 1, 1, 1, 2, 3, 5, 8, 9, 9, 8, 7, 8, 9, 9, 8, 7, 6, 5, 4, 3, 2, 0]
MULTIPLIERS = {"peak": 3.0, "weekend": 0.5}


def calendar() -> DayCalendar:
    return DayCalendar(START, DATES, WEEKDAYS)


def test_day_types_and_start_hour_match_their_definitions() -> None:
    days = calendar()
    for day in [*range(-3, 40), 5, 8, 8, -3]:  # repeated days come from the cache
        date = START.date() + dt.timedelta(days=day)
        expected = DATES.get(date.isoformat()) or WEEKDAYS.get(date.strftime("%A").lower(), "normal")
        assert days.day_type(day) == expected
    assert days.start_hour == 6.5
    assert days == calendar()  # the caches take no part in equality


def context(horizon: float = 24.0 * 21) -> Context:
    return Context(Streams(3, 1), horizon=horizon, calendar=calendar(), log=False)


def test_profile_rates_follow_the_profile_day_type_and_clock_hour() -> None:
    source = ProfileSource(context(), "orders", 240.0, PROFILE, MULTIPLIERS)
    days = source.context.calendar
    for t in [0.0, 0.4, 17.49, 17.5, 100.25, 24 * 8 - 6.5 + 13.2, 24 * 12 + 3.0]:
        day = days.day_index(t)
        hour = int((t + days.start_hour) % 24)
        expected = 240.0 * PROFILE[hour] / sum(PROFILE) * MULTIPLIERS.get(days.day_type(day), 1.0)
        assert source.rate_at(t) == pytest.approx(expected, rel=1e-12)


class _Recorder:
    name = "recorder"
    held = 0

    def __init__(self, context: Context) -> None:
        self.context = context
        self.times: list[float] = []
        context.register(self)

    def put(self, entity: Any) -> None:
        self.times.append(self.context.now)
        self.context.left(entity)

    def outputs(self) -> dict[str, Any]:
        return {}


def arrivals(source_class: type[ProfileSource]) -> list[float]:
    run = context()
    recorder = _Recorder(run)
    source_class(run, "orders", 240.0, PROFILE, MULTIPLIERS).to(recorder)
    run.run()
    return recorder.times


class _OwnRateAt(ProfileSource):
    """Overrides `rate_at` with the same rates, which turns the inlined lookup off."""

    def rate_at(self, t: float) -> float:
        return super().rate_at(t)


def test_inlined_rate_lookup_gives_the_same_arrivals_as_rate_at() -> None:
    fast, slow = arrivals(ProfileSource), arrivals(_OwnRateAt)
    assert len(fast) > 1000
    assert fast == slow  # bit for bit


class _ClosedAfternoons(ProfileSource):
    """Its own rates: none from 12:00 to 24:00 clock time."""

    def rate_at(self, t: float) -> float:
        clock = (t + self.context.calendar.start_hour) % 24
        return 0.0 if clock >= 12 else super().rate_at(t)


class _ClosedMornings(ProfileSource):
    """Its own rates through the per-day hook: none from 00:00 to 12:00."""

    def hourly_rates_on(self, day: int) -> list[float]:
        rates = super().hourly_rates_on(day)
        rates[:12] = [0.0] * 12
        return rates


@pytest.mark.parametrize(("source_class", "closed"), [(_ClosedAfternoons, (12, 24)), (_ClosedMornings, (0, 12))])
def test_a_subclass_with_its_own_rates_is_honoured(source_class: type[ProfileSource], closed: tuple[int, int]) -> None:
    times = arrivals(source_class)
    assert len(times) > 500
    clocks = [(t + START.hour + START.minute / 60) % 24 for t in times]
    assert not [c for c in clocks if closed[0] <= c < closed[1]]
