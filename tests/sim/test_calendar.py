"""The one calendar: shifts by day type or weekday, crew changes, timetables, the old `days` key."""

from __future__ import annotations

import datetime as dt

import pytest

from sim.calendar import DayCalendar, Shift, capacity_changes, crew_changes, timetable_times
from sim.parameters import ParameterError, build_params

MONDAY = dt.datetime(2025, 1, 6)


def test_capacity_adds_overlapping_crews_and_knows_weekdays():
    calendar = DayCalendar(MONDAY)
    shifts = [Shift("08:00", "16:00", 4), Shift("12:00", "20:00", 2, ("saturday",))]
    changes = capacity_changes(shifts, calendar, 7 * 24)
    assert changes[:3] == [(0.0, 0), (8.0, 4), (16.0, 0)]
    saturday = 5 * 24
    assert [(t - saturday, c) for t, c in changes if saturday <= t < saturday + 24] == [(8.0, 4), (12.0, 6),
                                                                                         (16.0, 2), (20.0, 0)]


def test_crew_changes_keep_arrivals_and_departures_apart():
    # Day 08-20 (8), night 20-08 (2): at 08:00 and 20:00 one crew leaves as the other comes,
    # which a capacity level would net into a single step.
    shifts = [Shift("08:00", "20:00", 8), Shift("20:00", "08:00", 2)]
    on_duty, changes = crew_changes(shifts, DayCalendar(MONDAY), 36.0)
    assert on_duty == 2  # Sunday's night crew
    assert changes == [(8.0, 8, 2), (20.0, 2, 8), (32.0, 8, 2)]
    assert capacity_changes(shifts, DayCalendar(MONDAY), 36.0) == [(0.0, 2), (8.0, 8), (20.0, 2), (32.0, 8)]


def test_weekly_timetable():
    calendar = DayCalendar(MONDAY)
    assert timetable_times(("18:00",), calendar, 24 * 21, ("wednesday",), include_end=True) == [66.0, 234.0, 402.0]
    assert timetable_times(("02:30", "13:50"), calendar, 30.0, include_end=True) == [2.5, 13 + 50 / 60, 26.5]
    # The end is excluded unless asked for; the start may lie before t = 0.
    assert timetable_times(("06:00",), calendar, 30.0) == [6.0]
    assert timetable_times(("06:00",), calendar, 30.0, include_end=True) == [6.0, 30.0]
    assert timetable_times(("06:00",), calendar, 10.0, start=-24.0) == [-18.0, 6.0]


def test_old_days_key_is_read_with_one_line_notice(capsys):
    shift = build_params(Shift, {"start": "08:00", "end": "17:00", "servers": 2, "days": ["monday"]},
                         "params.customs.officers[0]")
    assert shift.day_types == ("monday",)
    notice = capsys.readouterr().err
    assert notice.count("\n") == 1 and "params.customs.officers[0].days" in notice and "'day_types'" in notice
    with pytest.raises(ParameterError, match="not both"):
        build_params(Shift, {"start": "08:00", "end": "17:00", "servers": 2, "days": [], "day_types": []})


def test_bad_clock_time_names_the_shift():
    with pytest.raises(ParameterError) as error:
        build_params(Shift, {"start": "8:0x", "end": "17:00", "servers": 1}, "params.gate.lanes[0]")
    assert error.value.key_path == "params.gate.lanes[0]" and "8:0x" in error.value.reason
