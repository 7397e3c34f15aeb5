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
from typing import Any, ClassVar, Literal

from sim.parameters import Plausible, param

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


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

#: how a pool's shifts change its servers: "crew" (people: each shift is a crew; the incoming
#: crew starts at once and the outgoing crew finishes the work in hand, in overtime) or
#: "capacity" (machines: the number of servers changes; no new starts above it)
Changeover = Literal["crew", "capacity"]

_CREW_CHANGE = ("modelling choice: people hand over by crews, the outgoing crew finishing the work in hand "
                "(as Ciw's server schedules without pre-emption, "
                "https://ciw.readthedocs.io/en/latest/Guides/server_schedule.html, accessed 2026-12-03)")
_LEVEL_CHANGE = ("modelling choice: the number on duty is a capacity level, as for machines and lanes "
                 "that run or stop")


def changeover_param(default: Changeover, pool: str) -> Any:
    """The `changeover` parameter beside a pool's `shifts` (`pool` names it in the doc)."""
    return param(default, doc=f"how the {pool} shifts hand over: crew (the incoming crew starts at once, the "
                              "outgoing one finishes the work in hand in overtime) or capacity (the number on duty "
                              "changes; no new starts above it)",
                 provenance=_CREW_CHANGE if default == "crew" else _LEVEL_CHANGE,
                 plausible=Plausible(exempt="a switch between two rules, compared by setting it"))


_DAY_TYPES_DOC = ("days the shift works: day types of the run calendar or weekday names "
                  "(empty: every day)")


@dataclass(frozen=True)
class Shift:
    """Servers on duty from `start` to `end` (local clock; an end not after the start wraps
    past midnight) on the listed day types or weekdays (every day when empty)."""

    #: keys of older scenario files, still read (with a deprecation message) for one release
    RENAMED_KEYS: ClassVar[Mapping[str, str]] = {"days": "day_types"}

    start: str = param(doc="clock time the shift starts, HH:MM", provenance="scenario input")
    end: str = param(doc="clock time the shift ends, HH:MM (not after start: wraps past midnight)",
                     provenance="scenario input")
    servers: int = param(low=0, doc="servers (people, lines, lanes) on duty during the shift",
                         provenance="scenario input")
    day_types: tuple[str, ...] = param((), doc=_DAY_TYPES_DOC, provenance="scenario input")

    def __post_init__(self) -> None:
        clock_hours(self.start)  # raises ValueError, reported with the shift's key path
        clock_hours(self.end)


def applies(day_types: Sequence[str], calendar: DayCalendar, day: int) -> bool:
    """Whether a schedule restricted to `day_types` (day types or weekday names) runs on day `day`."""
    if not day_types:
        return True
    if calendar.day_type(day) in day_types:
        return True
    return WEEKDAYS[(calendar.start.date() + dt.timedelta(days=day)).weekday()] in day_types


def shift_intervals(shifts: Sequence[Shift], calendar: DayCalendar, horizon: float) -> list[tuple[float, float, int]]:
    """Every shift worked that overlaps [0, horizon], as (begin, end, servers) in simulation
    time, sorted by begin (a shift under way at t = 0 begins before 0)."""
    intervals = []
    for day in range(calendar.day_index(0.0) - 1, calendar.day_index(horizon) + 1):
        midnight = calendar.day_start(day)
        for shift in shifts:
            if not applies(shift.day_types, calendar, day):
                continue
            begin, end = clock_hours(shift.start), clock_hours(shift.end)
            if end <= begin:
                end += HOURS_PER_DAY
            intervals.append((midnight + begin, midnight + end, shift.servers))
    intervals.sort(key=lambda interval: interval[0])
    return intervals


def capacity_changes(shifts: Sequence[Shift], calendar: DayCalendar, horizon: float) -> list[tuple[float, int]]:
    """Piecewise-constant capacity as (time, capacity) change points over [0, horizon].

    Capacity at a time is the sum of the servers of every shift covering it (overlapping
    crews add up); 0 where no shift covers. The first point is at t = 0.
    """
    deltas: dict[float, int] = {}
    for begin, end, servers in shift_intervals(shifts, calendar, horizon):
        deltas[begin] = deltas.get(begin, 0) + servers
        deltas[end] = deltas.get(end, 0) - servers
    level = 0
    points: list[tuple[float, int]] = [(0.0, 0)]
    for time in sorted(deltas):
        level += deltas[time]
        if time <= 0.0:
            points[0] = (0.0, level)
        elif time <= horizon and points[-1][1] != level:
            points.append((time, level))
    return points


def crew_changes(shifts: Sequence[Shift], calendar: DayCalendar,
                 horizon: float) -> tuple[int, list[tuple[float, int, int]]]:
    """Crews on duty at t = 0 and the crew changes over (0, horizon] as (time, servers
    arriving, servers leaving): what a "crew" changeover needs, where the leaving and the
    arriving crews at one time are not netted as a capacity level would be."""
    on_duty = 0
    changes: dict[float, list[int]] = {}
    for begin, end, servers in shift_intervals(shifts, calendar, horizon):
        if servers == 0 or end <= 0.0:
            continue
        if begin <= 0.0:
            on_duty += servers
        elif begin <= horizon:
            changes.setdefault(begin, [0, 0])[0] += servers
        if end <= horizon:
            changes.setdefault(end, [0, 0])[1] += servers
    return on_duty, [(time, *changes[time]) for time in sorted(changes)]


def timetable_times(clock_times: Sequence[str], calendar: DayCalendar, end: float,
                    day_types: Sequence[str] = (), start: float = 0.0, include_end: bool = False) -> list[float]:
    """Sorted simulation times in [start, end) (with `include_end`: [start, end]) of daily
    clock times, on the listed day types or weekdays only (every day when empty)."""
    offsets = sorted(clock_hours(text) % HOURS_PER_DAY for text in clock_times)
    last = end if include_end else max(end - 1e-9, start)
    times = []
    for day in range(calendar.day_index(start), calendar.day_index(last) + 1):
        if not applies(day_types, calendar, day):
            continue
        midnight = calendar.day_start(day)
        times.extend(midnight + offset for offset in offsets
                     if start <= midnight + offset and (midnight + offset <= end if include_end else midnight + offset < end))
    return times
