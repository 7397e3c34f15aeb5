"""Timetables, shifts and opening hours of the mail exchange office, in local clock time.

Mail runs on weekly patterns (a sea-mail container every Wednesday, customs working hours
Monday to Friday), so every schedule here names the days it applies to by weekday name
("monday") or by the run calendar's day type ("peak"); an empty list means every day.
The kernel's calendar helpers know day types only; these add weekday names.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from sim.calendar import HOURS_PER_DAY, DayCalendar, clock_hours
from sim.parameters import param

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

_DAYS_DOC = "days it applies to: weekday names or day types of the run calendar (empty: every day)"


@dataclass(frozen=True)
class Shift:
    """A crew on duty from `start` to `end` (end before start wraps past midnight)."""

    start: str = param(doc="clock time the shift starts, HH:MM", provenance="scenario input")
    end: str = param(doc="clock time the shift ends, HH:MM", provenance="scenario input")
    servers: int = param(low=0, doc="people (or lines) on duty", provenance="scenario input")
    days: tuple[str, ...] = param((), doc=_DAYS_DOC, provenance="scenario input")


@dataclass(frozen=True)
class Window:
    """Opening hours: open from `start` to `end` on `days`."""

    start: str = param(doc="clock time it opens, HH:MM", provenance="scenario input")
    end: str = param(doc="clock time it closes, HH:MM (before start: wraps past midnight)", provenance="scenario input")
    days: tuple[str, ...] = param((), doc=_DAYS_DOC, provenance="scenario input")


def applies(days: Sequence[str], calendar: DayCalendar, day: int) -> bool:
    """Whether a schedule restricted to `days` runs on day number `day`."""
    if not days:
        return True
    if calendar.day_type(day) in days:
        return True
    weekday = WEEKDAYS[(calendar.start.date() + dt.timedelta(days=day)).weekday()]
    return weekday in days


def day_range(calendar: DayCalendar, first: float, last: float) -> range:
    """Day numbers overlapping [first, last]."""
    return range(calendar.day_index(first), calendar.day_index(last) + 1)


def timetable(times: Sequence[str], days: Sequence[str], calendar: DayCalendar,
              first: float, last: float) -> list[float]:
    """Sorted simulation times in [first, last] of the daily clock `times` on `days`."""
    offsets = sorted(clock_hours(text) % HOURS_PER_DAY for text in times)
    result = []
    for day in day_range(calendar, first, last):
        if not applies(days, calendar, day):
            continue
        midnight = calendar.day_start(day)
        result.extend(midnight + offset for offset in offsets if first <= midnight + offset <= last)
    return result


def shift_capacity(shifts: Sequence[Shift], calendar: DayCalendar, horizon: float) -> list[tuple[float, int]]:
    """Capacity change points (time, servers) over [0, horizon], as
    `sim.calendar.capacity_changes` but with weekday names allowed in `days`.
    Overlapping shifts add up; the first point is at t = 0."""
    deltas: dict[float, int] = {}
    for day in day_range(calendar, -HOURS_PER_DAY, horizon):
        midnight = calendar.day_start(day)
        for shift in shifts:
            if not applies(shift.days, calendar, day):
                continue
            begin, end = clock_hours(shift.start), clock_hours(shift.end)
            if end <= begin:
                end += HOURS_PER_DAY
            deltas[midnight + begin] = deltas.get(midnight + begin, 0) + shift.servers
            deltas[midnight + end] = deltas.get(midnight + end, 0) - shift.servers
    level = 0
    points: list[tuple[float, int]] = [(0.0, 0)]
    for time in sorted(deltas):
        level += deltas[time]
        if time <= 0.0:
            points[0] = (0.0, level)
        elif time <= horizon and points[-1][1] != level:
            points.append((time, level))
    return points


def mean_capacity(changes: Sequence[tuple[float, int]], horizon: float) -> float:
    """Time-averaged capacity of change points over [0, horizon]."""
    area = 0.0
    for (time, level), (following, _) in zip(changes, [*changes[1:], (horizon, 0)]):
        area += level * (min(following, horizon) - time)
    return area / horizon


class OpeningHours:
    """When something is open (customs issuing release instructions, a payment counter).

    `next_open(t)` is `t` when open at `t`, else the next opening time. No windows means
    always open. Intervals are resolved from `first` to `last` once; after `last` it is
    treated as always open (the run has ended by then).
    """

    def __init__(self, windows: Sequence[Window], calendar: DayCalendar, first: float, last: float) -> None:
        self.always = not windows
        intervals: list[tuple[float, float]] = []
        for day in day_range(calendar, first - HOURS_PER_DAY, last):
            midnight = calendar.day_start(day)
            for window in windows:
                if not applies(window.days, calendar, day):
                    continue
                begin, end = clock_hours(window.start), clock_hours(window.end)
                if end <= begin:
                    end += HOURS_PER_DAY
                intervals.append((midnight + begin, midnight + end))
        intervals.sort()
        merged: list[list[float]] = []
        for begin, end in intervals:
            if merged and begin <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([begin, end])
        self.starts = [begin for begin, _ in merged]
        self.ends = [end for _, end in merged]

    def next_open(self, t: float) -> float:
        if self.always:
            return t
        index = bisect_right(self.ends, t)
        if index == len(self.ends):
            return t
        return max(t, self.starts[index])

    def is_open(self, t: float) -> bool:
        return self.next_open(t) == t


def next_at_or_after(times: Sequence[float], t: float, tolerance: float = 1e-9) -> int:
    """Index of the first of the sorted `times` at or after `t` (len(times) if none).

    The tolerance absorbs the rounding of event times the engine computes as
    now + (time - now), so that an event scheduled for a time is seen as at that time."""
    return bisect_left(times, t - tolerance)
