"""Legal windows of returns as absolute simulation times.

A window opens at the release of the original declaration list (import) or the export
release, and is N days or N months long. Two ways of counting are offered:

- ``"calendar"`` (default): as Chinese law counts periods (Civil Code arts. 201-203): the
  release day itself does not count; a window of N days ends at 24:00 of the N-th day after
  it; a window of N months ends at 24:00 of the day with the release date's number N months
  later, or of that month's last day when it has no such day (31 January + 1 month ->
  28 or 29 February).
- ``"elapsed"``: exactly N x 24 hours after release; a month is 365/12 days.

A return meets a window when the event happens at or before the deadline (24:00 belongs to
the last day).
"""

from __future__ import annotations

import calendar as month_calendar
import datetime as dt
from typing import Literal

import numpy as np

from sim.calendar import HOURS_PER_DAY, DayCalendar

Counting = Literal["calendar", "elapsed"]
HOURS_PER_MONTH = 365.0 * HOURS_PER_DAY / 12.0  # 730 h, exactly


def days_deadline(calendar: DayCalendar, release: np.ndarray, days: int, counting: Counting) -> np.ndarray:
    """Deadline times of windows of `days` days after each release time."""
    release = np.asarray(release, dtype=float)
    if counting == "elapsed":
        return release + days * HOURS_PER_DAY
    release_day = np.floor((release + calendar.start_hour) / HOURS_PER_DAY)
    return (release_day + 1 + days) * HOURS_PER_DAY - calendar.start_hour


def add_months(date: dt.date, months: int) -> dt.date:
    """The same day number `months` later, or that month's last day."""
    index = date.month - 1 + months
    year, month = date.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(date.day, month_calendar.monthrange(year, month)[1]))


def months_deadline(calendar: DayCalendar, release: np.ndarray, months: int, counting: Counting) -> np.ndarray:
    """Deadline times of windows of `months` months after each release time."""
    release = np.asarray(release, dtype=float)
    if counting == "elapsed":
        return release + months * HOURS_PER_MONTH
    release_day = np.floor((release + calendar.start_hour) / HOURS_PER_DAY).astype(np.int64)
    days, inverse = np.unique(release_day, return_inverse=True)
    start = calendar.start.date()
    ends = np.empty(len(days))
    for i, day in enumerate(days.tolist()):
        last_day = add_months(start + dt.timedelta(days=day), months)
        ends[i] = calendar.day_start((last_day - start).days + 1)
    return ends[inverse] if len(release) else np.empty(0)
