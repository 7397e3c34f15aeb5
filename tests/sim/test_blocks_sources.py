"""Sources: Poisson, hourly-profile (non-homogeneous Poisson) and timetabled batches.

Exact checks rebuild the draws a source must have made from an independent `Streams`
object with the same seed and stream name; statistical checks use long runs and
tolerances a correct kernel passes for essentially any seed.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest
from scipy import stats

from sim.batching import Unbatch
from sim.calendar import DayCalendar, timetable_times
from sim.distributions import Distribution
from sim.flow import Router
from sim.sources import PoissonSource, ProfileSource, TimetableSource
from sim.streams import Streams

MONDAY = dt.datetime(2025, 1, 6)


def arrival_times(kernel, context, build) -> list[float]:
    recorder = kernel.Recorder(context)
    build(context).to(recorder)
    context.run()
    return recorder.times()


# -- Poisson ------------------------------------------------------------------------------------
def test_poisson_gaps_come_from_the_source_stream(kernel):
    context = kernel.context(horizon=10.0, seed=11, replication=2)
    times = arrival_times(kernel, context, lambda c: PoissonSource(c, "parcels", rate=3.0, milestone="arrive"))
    gap = Streams(11, 2).sampler("source.parcels", Distribution("exponential", mean=1 / 3.0))
    expected, now = [], gap()
    while now < 10.0:
        expected.append(now)
        now += gap()
    assert times == expected
    assert sorted(kernel.times_by_entity(context, "arrive").values()) == expected


def test_poisson_stream_can_be_named(kernel):
    context = kernel.context(horizon=5.0, seed=4)
    times = arrival_times(kernel, context, lambda c: PoissonSource(c, "a", rate=2.0, stream="arrivals.web"))
    gap = Streams(4, 0).sampler("arrivals.web", Distribution("exponential", mean=0.5))
    assert times[:3] == pytest.approx(np.cumsum([gap(), gap(), gap()]), rel=1e-12)


def test_poisson_source_is_reproducible_and_replications_differ(kernel):
    def times(replication: int, extra_block: bool) -> list[float]:
        context = kernel.context(horizon=50.0, seed=5, replication=replication)
        source = PoissonSource(context, "orders", rate=2.0)
        if extra_block:  # another block with its own stream must not change the arrivals
            router = Router(context, "split", [0.5])
            router.connect(0, kernel.Recorder(context, "left"))
            router.otherwise = kernel.Recorder(context, "right")
            source.to(router)
            context.run()
            return sorted(t for block in ("left", "right") for t in context.block(block).times())
        recorder = kernel.Recorder(context)
        source.to(recorder)
        context.run()
        return recorder.times()

    first = times(0, False)
    assert times(0, False) == first
    assert times(0, True) == first
    assert times(1, False) != first


def test_poisson_source_rate_over_a_long_run(kernel):
    context = kernel.context(horizon=2000.0, seed=2, log=False)
    times = arrival_times(kernel, context, lambda c: PoissonSource(c, "long", rate=5.0))
    # 10,000 expected; Poisson standard deviation 100.
    assert abs(len(times) - 10_000) < 450
    # Gaps are exponential with mean 0.2 (Kolmogorov-Smirnov).
    assert stats.kstest(np.diff(times), "expon", args=(0, 0.2)).pvalue > 1e-3


def test_poisson_source_rejects_a_non_positive_rate(kernel):
    with pytest.raises(ValueError):
        PoissonSource(kernel.context(), "none", rate=0.0)


# -- hourly profile -----------------------------------------------------------------------------
def test_profile_source_exact_inversion(kernel):
    # All the volume in hour 10 (10:00-11:00): 24 a day, i.e. 24 per hour in that hour.
    # In "operational time" S (24 per day), arrival k is at S_k = S_{k-1} + E_k with
    # E_k = -ln(1 - u_k) from the source's uniform stream; S maps back to
    # day floor(S / 24), clock 10 + (S mod 24) / 24 h.
    profile = [0.0] * 24
    profile[10] = 1.0
    context = kernel.context(horizon=72.0, seed=9)
    times = arrival_times(kernel, context, lambda c: ProfileSource(c, "mail", 24.0, profile))
    uniform = Streams(9, 0).uniform("source.mail")
    expected, operational = [], 0.0
    while True:
        operational += -math.log(1 - uniform())
        day, rest = divmod(operational, 24.0)
        time = 24.0 * day + 10.0 + rest / 24.0
        if time >= 72.0:
            break
        expected.append(time)
    assert len(times) == len(expected) > 40
    assert times == pytest.approx(expected, rel=1e-9)


def clock_hour(times: np.ndarray, start_hour: float) -> np.ndarray:
    return np.floor((np.asarray(times) + start_hour) % 24).astype(int)


def test_profile_source_follows_the_hourly_profile(kernel):
    # Start at 05:30 so that clock hours and simulation hours differ by half an hour.
    # Hours 6-21 carry weights 1..16, the others none; 480 a day for 30 days.
    start = dt.datetime(2025, 1, 6, 5, 30)
    weights = [0.0] * 6 + [float(w) for w in range(1, 17)] + [0.0] * 2
    context = kernel.context(horizon=30 * 24.0, start=start, seed=21, log=False)
    times = arrival_times(kernel, context, lambda c: ProfileSource(c, "orders", 480.0, weights))
    hours = clock_hour(times, 5.5)
    counts = np.bincount(hours, minlength=24)
    assert counts[:6].sum() == 0 and counts[22:].sum() == 0  # never in the zero-weight hours
    # The total is Poisson(30 * 480); given the total, hours share it as the weights say.
    assert abs(len(times) - 30 * 480) < 4.5 * math.sqrt(30 * 480)
    share = np.array(weights) / sum(weights)
    busy = share > 0
    assert stats.chisquare(counts[busy], len(times) * share[busy]).pvalue > 1e-3


def test_profile_source_day_multipliers(kernel):
    # Flat profile, 240 a day (10 per hour); Wednesday 8 January is a peak day (x3) and
    # Saturdays are quiet (x0.5). Day counts: 240, 240, 720, 240, 240, 120.
    calendar = DayCalendar(MONDAY, dates={"2025-01-08": "peak"}, weekdays={"saturday": "quiet"})
    context = kernel.context(horizon=6 * 24.0, calendar=calendar, seed=8, log=False)
    source = ProfileSource(context, "parcels", 240.0, [1.0] * 24, day_multipliers={"peak": 3.0, "quiet": 0.5})
    assert [source.rate_at(t) for t in (1.0, 49.0, 71.9, 72.0, 5 * 24 + 3.0)] == [10.0, 30.0, 30.0, 10.0, 5.0]
    recorder = kernel.Recorder(context)
    source.to(recorder)
    context.run()
    counts = np.bincount((np.array(recorder.times()) // 24).astype(int), minlength=6)
    for count, mean in zip(counts, [240, 240, 720, 240, 240, 120]):
        assert abs(count - mean) < 4.5 * math.sqrt(mean)


def test_profile_source_with_no_volume_left_in_the_horizon(kernel):
    # Only hour 23 carries volume and the horizon ends at 22:00: nothing arrives.
    profile = [0.0] * 23 + [1.0]
    context = kernel.context(horizon=22.0)
    assert arrival_times(kernel, context, lambda c: ProfileSource(c, "night", 100.0, profile)) == []


def test_profile_source_checks_its_profile(kernel):
    with pytest.raises(ValueError):
        ProfileSource(kernel.context(), "short", 10.0, [1.0] * 23)
    with pytest.raises(ValueError):
        ProfileSource(kernel.context(), "zero", 10.0, [0.0] * 24)


# -- timetable ----------------------------------------------------------------------------------
def test_timetable_source_brings_batches_of_items(kernel):
    # A flight at 06:40 daily for three days: 2 receptacles of 3 and 0 items (the empty one
    # is not sent), then 1 receptacle of 2 items, then none.
    context = kernel.context(horizon=72.0)
    times = timetable_times(["06:40"], context.calendar, 72.0)
    assert times == pytest.approx([6 + 2 / 3, 30 + 2 / 3, 54 + 2 / 3])
    source = TimetableSource(context, "flight", times, batches=kernel.fed([2, 1, 0]),
                             batch_size=kernel.fed([3, 0, 2]), milestone="landed")
    receptacles = kernel.Recorder(context, "receptacles")
    source.to(receptacles)
    context.run()
    assert [(t, len(batch.members)) for t, batch in receptacles.arrivals] == [
        (pytest.approx(6 + 2 / 3), 3), (pytest.approx(30 + 2 / 3), 2)]
    members = [[m.id for m in batch.members] for _, batch in receptacles.arrivals]
    landed = kernel.times_by_entity(context, "landed")
    assert sorted(landed) == sorted(members[0] + members[1])
    assert all(landed[i] == pytest.approx(6 + 2 / 3) for i in members[0])
    assert (context.created, context.finished) == (5, 5)
    context.check_conservation()


def test_timetable_items_unbatched(kernel):
    context = kernel.context(horizon=48.0, start=dt.datetime(2025, 1, 6, 5, 0))
    # Clock 04:00 and 06:40 from a 05:00 start: 1 h 40 min, 23 h, 25 h 40 min, 47 h.
    times = timetable_times(["04:00", "06:40"], context.calendar, 48.0)
    assert times == pytest.approx([1 + 2 / 3, 23.0, 25 + 2 / 3, 47.0])
    source = TimetableSource(context, "truck", times, batches=lambda: 1, batch_size=kernel.fed([1, 2, 1, 3]))
    recorder = kernel.Recorder(context)
    source.to(Unbatch(context, "unload")).to(recorder)
    context.run()
    assert recorder.times() == pytest.approx([1 + 2 / 3, 23.0, 23.0, 25 + 2 / 3, 47.0, 47.0, 47.0])
