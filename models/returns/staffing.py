"""Crews (receiving staff, customs officers, inspectors) and their shift calendars.

A crew has a fixed number of servers, or a list of shifts whose servers add up while they
overlap (see `sim.calendar.capacity_changes`), handing over as its `changeover` says.
Line-haul and consolidation departures are daily clock times, optionally only on some
weekdays.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sim.calendar import (
    HOURS_PER_DAY,
    Changeover,
    DayCalendar,
    Shift,
    changeover_param,
    clock_hours,
    timetable_times,
)
from sim.context import Context
from sim.parameters import Plausible, param
from sim.station import ServerPool, shift_pool

_WAGE = ("ASSUMPTION: Tianjin warehouse/clerical pay of 5-10 k cny a month (about 170 h) plus about 40% employer "
         "social insurance and overhead; customs officers' cost is set per crew")
_CREW = "ASSUMPTION: sized so that the default load keeps utilisation near 0.5-0.8 (no staffing figures found)"


@dataclass(frozen=True)
class Crew:
    servers: int = param(1, low=0, doc="people on duty at all times (used when no shifts are given)", provenance=_CREW)
    shifts: tuple[Shift, ...] = param((), doc="shift calendar replacing `servers`", provenance=_CREW)
    changeover: Changeover = changeover_param("crew", "crew's")
    cost_cny_per_staff_h: float = param(
        45.0, unit="cny/staff-h", low=0.0, doc="cost of one scheduled staff-hour (wages, social insurance, overhead)",
        provenance=_WAGE, plausible=Plausible(30.0, 70.0, "warehouse and clerical wages in Tianjin, 5-10 k cny/month "
                                                          "plus about 40% social insurance and overhead"))

    def mean_servers(self) -> float | None:
        """Servers on duty averaged over a day; None when a shift is limited to some day
        types (the calendar that decides them is not known before the run)."""
        if not self.shifts:
            return float(self.servers)
        if any(shift.day_types for shift in self.shifts):
            return None
        total = 0.0
        for shift in self.shifts:
            begin, end = clock_hours(shift.start), clock_hours(shift.end)
            total += shift.servers * (((end - begin) % HOURS_PER_DAY) or HOURS_PER_DAY) / HOURS_PER_DAY
        return total


def day_and_evening(servers: int, cost_cny_per_staff_h: float = 45.0) -> Crew:
    """Two eight-hour shifts, 08:00-16:00 and 16:00-24:00, of `servers` each."""
    return Crew(0, (Shift("08:00", "16:00", servers), Shift("16:00", "24:00", servers)),
                cost_cny_per_staff_h=cost_cny_per_staff_h)


def office_hours(servers: int, cost_cny_per_staff_h: float = 45.0) -> Crew:
    """One shift, 08:30-17:30 every day."""
    return Crew(0, (Shift("08:30", "17:30", servers),), cost_cny_per_staff_h=cost_cny_per_staff_h)


def server_pool(context: Context, name: str, crew: Crew) -> ServerPool:
    """A pool whose servers follow the crew's shifts."""
    if not crew.shifts:
        return ServerPool(context, name, crew.servers)
    return shift_pool(context, name, crew.shifts, crew.changeover)


def departure_times(clock_times: Sequence[str], weekdays: Sequence[str], calendar: DayCalendar,
                    horizon: float) -> list[float]:
    """Simulation times in [0, horizon) of the daily `clock_times`, on the listed weekdays
    only (every day when `weekdays` is empty)."""
    return timetable_times(clock_times, calendar, horizon, tuple(day.lower() for day in weekdays))
