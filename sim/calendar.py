"""Clock, day types and shift calendars.

The simulation clock counts hours since the scenario's start date-time. Calendars are
written in local clock time ("06:40") and resolved against that start. A day type
("normal", "peak", ...) names a kind of day; a `DayCalendar` maps each date to one.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

HOURS_PER_DAY = 24.0


def clock_hours(text: str) -> float:
    """"06:40" -> 6.6667 hours after midnight; "24:00" is allowed as the end of a day."""
    try:
        hours, minutes = text.split(":")
        value = int(hours) + int(minutes) / 60.0
    except (ValueError, AttributeError):
        raise ValueError(f"must be a clock time HH:MM, got {text!r}") from None
    if not 0 <= value <= 24 or not 0 <= int(minutes) < 60:
        raise ValueError(f"must be a clock time between 00:00 and 24:00, got {text!r}")
    return value


@dataclass(frozen=True)
class DayCalendar:
    """Which kind of day each date is.

    `dates` maps ISO dates ("2025-11-11") to a day type; `weekdays` maps weekday names
    ("saturday") to a day type; any other day is `default`. Sources and models ask for
    the start hour and day types once per arrival, so both are computed once: the start
    hour on first use, a day's type the first time that day is asked about.
    """

    start: dt.datetime
    dates: Mapping[str, str] = field(default_factory=dict)
    weekdays: Mapping[str, str] = field(default_factory=dict)
    default: str = "normal"

    @cached_property
    def start_hour(self) -> float:
        """Clock time of the simulation's t = 0, in hours after midnight."""
        return self.start.hour + self.start.minute / 60.0 + self.start.second / 3600.0

    @cached_property
    def _day_types(self) -> dict[int, str]:
        return {}

    def day_index(self, t: float) -> int:
        """Day number of simulation time `t` (0 = the start date)."""
        return math.floor((t + self.start_hour) / HOURS_PER_DAY)

    def day_type(self, day: int) -> str:
        kind = self._day_types.get(day)
        if kind is None:
            date = self.start.date() + dt.timedelta(days=day)
            kind = self.dates.get(date.isoformat())
            if kind is None:
                kind = self.weekdays.get(date.strftime("%A").lower(), self.default)
            self._day_types[day] = kind
        return kind

    def day_start(self, day: int) -> float:
        """Simulation time of midnight starting day `day`."""
        return day * HOURS_PER_DAY - self.start_hour

    def days(self, horizon: float) -> Iterator[int]:
        """Every day index that overlaps [0, horizon)."""
        return iter(range(self.day_index(0.0), self.day_index(max(horizon - 1e-9, 0.0)) + 1))


@dataclass(frozen=True)
class ShiftSpec:
    """Servers on duty from `start` to `end` (local clock; end before start wraps past
    midnight) on the listed day types (all days when empty)."""

    start: str
    end: str
    servers: int
    day_types: tuple[str, ...] = ()


def capacity_changes(shifts: Sequence[ShiftSpec], calendar: DayCalendar, horizon: float) -> list[tuple[float, int]]:
    """Piecewise-constant capacity as (time, capacity) change points over [0, horizon].

    Capacity at a time is the sum of the servers of every shift covering it (overlapping
    crews add up); 0 where no shift covers. The first point is at t = 0.
    """
    deltas: dict[float, int] = {}
    for day in range(calendar.day_index(0.0) - 1, calendar.day_index(horizon) + 1):
        kind = calendar.day_type(day)
        midnight = calendar.day_start(day)
        for shift in shifts:
            if shift.day_types and kind not in shift.day_types:
                continue
            begin = clock_hours(shift.start)
            end = clock_hours(shift.end)
            if end <= begin:
                end += HOURS_PER_DAY
            deltas[midnight + begin] = deltas.get(midnight + begin, 0) + shift.servers
            deltas[midnight + end] = deltas.get(midnight + end, 0) - shift.servers
    level = 0
    points: list[tuple[float, int]] = []
    for time in sorted(deltas):
        level += deltas[time]
        if time <= 0.0:
            points = [(0.0, level)]
        elif time <= horizon and (not points or points[-1][1] != level):
            points.append((time, level))
    if not points or points[0][0] > 0.0:
        points.insert(0, (0.0, 0))
    return points


def timetable_times(clock_times: Sequence[str], calendar: DayCalendar, horizon: float,
                    day_types: Sequence[str] = ()) -> list[float]:
    """Simulation times in [0, horizon) of daily clock times (optionally on some day types)."""
    offsets = sorted(clock_hours(text) % HOURS_PER_DAY for text in clock_times)
    times = []
    for day in calendar.days(horizon):
        if day_types and calendar.day_type(day) not in day_types:
            continue
        midnight = calendar.day_start(day)
        times.extend(midnight + offset for offset in offsets if 0.0 <= midnight + offset < horizon)
    return times
