"""Timetables, shifts and opening hours of the mail exchange office, in local clock time.

Mail runs on weekly patterns (a sea-mail container every Wednesday, customs working hours
Monday to Friday), so every schedule here names the days it applies to by weekday name
("monday") or by the run calendar's day type ("peak"); an empty list means every day.
Shifts, timetables and capacity levels are the kernel's (`sim.calendar`); opening hours
are the office's own.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from sim.calendar import HOURS_PER_DAY, DayCalendar, applies, clock_hours
from sim.parameters import param

_DAYS_DOC = "days it applies to: weekday names or day types of the run calendar (empty: every day)"


@dataclass(frozen=True)
class Window:
    """Opening hours: open from `start` to `end` on `days`."""

    start: str = param(doc="clock time it opens, HH:MM", provenance="scenario input")
    end: str = param(doc="clock time it closes, HH:MM (before start: wraps past midnight)", provenance="scenario input")
    days: tuple[str, ...] = param((), doc=_DAYS_DOC, provenance="scenario input")


def day_range(calendar: DayCalendar, first: float, last: float) -> range:
    """Day numbers overlapping [first, last]."""
    return range(calendar.day_index(first), calendar.day_index(last) + 1)


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
