"""Monitors, the milestone log, random streams and calendars."""

from __future__ import annotations

import datetime as dt
import tracemalloc

import numpy as np
import pytest

from sim.calendar import DayCalendar, Shift, capacity_changes, clock_hours, timetable_times
from sim.distributions import Distribution
from sim.log import NO_RESOURCE, MilestoneLog
from sim.monitors import Tally, TimeWeighted
from sim.streams import Streams

MONDAY = dt.datetime(2025, 1, 6)


# -- monitors -----------------------------------------------------------------------------------
def test_time_weighted_level():
    # 0 on [0, 1), 2 on [1, 4), 1 on [4, 5), 3 on [5, 10): area 0 + 6 + 1 + 15 = 22.
    level = TimeWeighted()
    level.set(1.0, 2)
    level.add(4.0, -1)
    level.add(5.0, 2)
    level.close(10.0)
    assert level.area == 22.0 and level.mean() == pytest.approx(2.2) and level.maximum == 3


def test_time_weighted_reset_keeps_the_level():
    # Reset at 4 (level 2): the window [4, 8] sees 2 on [4, 6), 0 on [6, 8): mean 1.
    level = TimeWeighted()
    level.set(1.0, 5)
    level.set(3.0, 2)
    level.reset(4.0)
    assert level.maximum == 2
    level.set(6.0, 0)
    level.close(8.0)
    assert level.mean() == pytest.approx(1.0)


def test_tally():
    tally = Tally()
    assert np.isnan(tally.mean())
    for value in (1.0, 2.0, 6.0):
        tally.add(value)
    assert (tally.count, tally.total, tally.squares, tally.mean()) == (3, 9.0, 41.0, 3.0)
    tally.reset()
    assert tally.count == 0 and tally.total == 0.0


# -- milestone log ------------------------------------------------------------------------------
def test_milestone_log_rows_and_table():
    log = MilestoneLog()
    arrive, start = log.code("arrive"), log.code("start")
    assert log.code("arrive") == arrive != start
    log.record(7, arrive, 0.5)
    log.record(7, start, 1.25, resource=3)
    log.record(8, arrive, 2.0)
    table = log.table()
    assert list(table.entity) == [7, 7, 8]
    assert [table.names[m] for m in table.milestone] == ["arrive", "start", "arrive"]
    assert list(table.time) == [0.5, 1.25, 2.0]
    assert list(table.resource) == [NO_RESOURCE, 3, NO_RESOURCE]
    entities, times = table.times_of("arrive")
    assert list(entities) == [7, 8] and list(times) == [0.5, 2.0]
    assert len(table.times_of("never")[0]) == 0
    log.record(9, arrive, 3.0)
    assert len(table) == 3  # the table is a copy


def test_milestone_log_memory_per_row():
    rows = 100_000
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        log = MilestoneLog()
        codes = [log.code(f"stage {i}") for i in range(10)]
        for i in range(rows):
            log.record(i // 10 + 10**9, codes[i % 10], i * 0.01, resource=i % 7 if i % 3 == 0 else NO_RESOURCE)
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert len(log) == rows
    assert log.nbytes / len(log) <= 24
    # Measured: what the process really holds for the log (the columns grow by ~1/8 at a
    # time), not Python objects per row.
    assert held / rows <= 24 * 1.25


# -- random streams -----------------------------------------------------------------------------
def test_same_stream_name_gives_the_same_draws():
    first = Streams(42, 3).generator("service.xray").random(5)
    again = Streams(42, 3).generator("service.xray").random(5)
    assert np.array_equal(first, again)


def test_adding_a_stream_does_not_change_another():
    alone = Streams(42, 0)
    alone_draws = alone.sampler("arrivals", Distribution("exponential", mean=1.0))
    crowded = Streams(42, 0)
    noise = crowded.uniform("routing.new_block")
    crowded_draws = crowded.sampler("arrivals", Distribution("exponential", mean=1.0))
    for _ in range(2000):
        noise()
        assert crowded_draws() == alone_draws()


def test_replications_and_names_differ():
    base = Streams(42, 0).generator("a").random(4)
    assert not np.array_equal(base, Streams(42, 1).generator("a").random(4))
    assert not np.array_equal(base, Streams(42, 0).generator("b").random(4))
    assert not np.array_equal(base, Streams(43, 0).generator("a").random(4))


def test_a_stream_name_may_be_taken_once():
    streams = Streams(1, 0)
    streams.uniform("router.x")
    with pytest.raises(ValueError, match="already used"):
        streams.sampler("router.x", Distribution("exponential", mean=1.0))


def test_streams_reject_negative_seeds():
    with pytest.raises(ValueError):
        Streams(-1, 0)


# -- calendar -----------------------------------------------------------------------------------
def test_clock_hours():
    assert clock_hours("06:40") == pytest.approx(6 + 40 / 60)
    assert clock_hours("00:00") == 0.0 and clock_hours("24:00") == 24.0
    for bad in ("6.40", "25:00", "12:60", "noon", "-1:00"):
        with pytest.raises(ValueError):
            clock_hours(bad)


def test_day_calendar_types_and_days():
    calendar = DayCalendar(dt.datetime(2025, 1, 6, 5, 30), dates={"2025-11-11": "peak"},
                           weekdays={"saturday": "weekend", "sunday": "weekend"})
    assert calendar.start_hour == 5.5
    assert calendar.day_index(0.0) == 0 and calendar.day_index(18.49) == 0 and calendar.day_index(18.5) == 1
    assert calendar.day_start(1) == 18.5 and calendar.day_start(0) == -5.5
    assert [calendar.day_type(d) for d in range(7)] == ["normal"] * 5 + ["weekend"] * 2
    double_eleven = (dt.date(2025, 11, 11) - dt.date(2025, 1, 6)).days
    assert calendar.day_type(double_eleven) == "peak"
    assert list(calendar.days(18.5)) == [0] and list(calendar.days(18.6)) == [0, 1]


def test_capacity_changes_with_wrap_around_and_overlap():
    # Day crew 08-16 (4), late crew 12-20 (2, overlapping), night 22-06 (1, past midnight).
    # From Monday 00:00 over 48 h: the night shift of Sunday is on duty at t = 0.
    shifts = [Shift("08:00", "16:00", 4), Shift("12:00", "20:00", 2), Shift("22:00", "06:00", 1)]
    changes = capacity_changes(shifts, DayCalendar(MONDAY), 48.0)
    assert changes == [(0.0, 1), (6.0, 0), (8.0, 4), (12.0, 6), (16.0, 2), (20.0, 0), (22.0, 1),
                       (30.0, 0), (32.0, 4), (36.0, 6), (40.0, 2), (44.0, 0), (46.0, 1)]


def test_capacity_changes_by_day_type():
    # Two extra officers 09-17 on peak days only; Tuesday is a peak day.
    calendar = DayCalendar(MONDAY, dates={"2025-01-07": "peak"})
    shifts = [Shift("00:00", "24:00", 1), Shift("09:00", "17:00", 2, day_types=("peak",))]
    assert capacity_changes(shifts, calendar, 72.0) == [(0.0, 1), (33.0, 3), (41.0, 1)]


def test_capacity_changes_when_nobody_is_on_duty_at_the_start():
    changes = capacity_changes([Shift("08:00", "09:00", 2)], DayCalendar(MONDAY), 24.0)
    assert changes == [(0.0, 0), (8.0, 2), (9.0, 0)]


def test_timetable_times_by_day_type():
    calendar = DayCalendar(MONDAY, weekdays={"saturday": "weekend", "sunday": "weekend"})
    weekend = timetable_times(["10:00"], calendar, 7 * 24.0, day_types=("weekend",))
    assert weekend == [5 * 24 + 10.0, 6 * 24 + 10.0]
    assert timetable_times(["23:30", "00:30"], calendar, 24.0) == [0.5, 23.5]
