"""Shift changeovers: "capacity" (a level) and "crew" (handover with overtime), by hand
traces and against an independent simulator (Ciw)."""

from __future__ import annotations

import math
import statistics

import pytest

from sim.calendar import Shift
from sim.station import Station, shift_pool

# Crew A 00:00-02:00 with 2 servers, crew B 02:00-10:00 with 1 (Monday, t = 0 is 00:00).
HANDOVER = (Shift("00:00", "02:00", 2), Shift("02:00", "10:00", 1))


def _counter(kernel, changeover, arrivals, services, horizon=10.0):
    context = kernel.context(horizon=horizon)
    pool = shift_pool(context, "staff", HANDOVER, changeover)
    station = Station(context, "counter", pool, kernel.fed(services), start="start", end="end")
    kernel.Injector(context, "in", arrivals).to(station).to(kernel.Recorder(context))
    context.run()
    return context, pool


@pytest.mark.parametrize("changeover, starts, ends", [
    # Arrivals 0, 0, 1, 1.5; services 3, 4, 1, 1 in start order. e1 0-3 and e2 0-4 by crew A.
    # capacity: at 2 the level drops to 1 with 2 busy; e1 ends at 3 (1 busy = level: e3
    #   still waits); e2 ends at 4: e3 4-5, then e4 5-6.
    ("capacity", {1: 0.0, 2: 0.0, 3: 4.0, 4: 5.0}, {1: 3.0, 2: 4.0, 3: 5.0, 4: 6.0}),
    # crew: at 2 crew B starts e3 at once (2-3) while crew A finishes e1 and e2 in overtime;
    #   at 3 e1's server goes home, e3's server (crew B) takes e4 (3-4).
    ("crew", {1: 0.0, 2: 0.0, 3: 2.0, 4: 3.0}, {1: 3.0, 2: 4.0, 3: 3.0, 4: 4.0}),
])
def test_handover_trace(kernel, changeover, starts, ends):
    context, pool = _counter(kernel, changeover, [0.0, 0.0, 1.0, 1.5], [3, 4, 1, 1])
    assert kernel.times_by_entity(context, "start") == starts
    assert kernel.times_by_entity(context, "end") == ends
    # Scheduled: 2 servers for 2 h + 1 for 8 h. Work done: 3 + 4 + 1 + 1 = 9 server-hours.
    assert pool.scheduled_hours() == pytest.approx(12.0)
    assert pool.utilization() == pytest.approx(9.0 / 12.0)
    # Overtime: crew A's two members from 2 to 3 (e1) and to 4 (e2).
    assert pool.overtime_hours() == pytest.approx(3.0 if changeover == "crew" else 0.0)
    assert pool.busy == 0 and pool.overtime == 0


def test_utilisation_counts_overtime_and_may_exceed_one(kernel):
    # One server 00:00-01:00, the next 01:00-10:00; arrivals 0 (2 h) and 0.5 (1 h), horizon 2.
    # Crew: e1 0-2 (overtime from 1), e2 1-2 by the second crew. Busy 1 + 1 on duty, 1 in
    # overtime, over 2 scheduled server-hours.
    context = kernel.context(horizon=2.0)
    pool = shift_pool(context, "staff", (Shift("00:00", "01:00", 1), Shift("01:00", "10:00", 1)), "crew")
    station = Station(context, "counter", pool, kernel.fed([2, 1]), start="start")
    kernel.Injector(context, "in", [0.0, 0.5]).to(station).to(kernel.Recorder(context))
    context.run()
    assert kernel.times_by_entity(context, "start") == {1: 0.0, 2: 1.0}
    assert pool.overtime_hours() == pytest.approx(1.0)
    assert pool.utilization() == pytest.approx(1.5)


@pytest.mark.parametrize("changeover, inspection_start", [("capacity", 3.0), ("crew", 2.0)])
def test_shared_pool_hands_over_across_its_stations(kernel, changeover, inspection_start):
    # One officer 00:00-02:00, another 02:00-10:00, for documents and inspection. Documents
    # 0 (3 h) by the first officer; inspection arrives at 1 (1 h) and waits. capacity: the
    # level is 1 and 1 is busy until 3; crew: the second officer takes it at 2.
    context = kernel.context(horizon=10.0)
    pool = shift_pool(context, "officers", (Shift("00:00", "02:00", 1), Shift("02:00", "10:00", 1)), changeover)
    documents = Station(context, "documents", pool, kernel.fed([3]), start="documents.start")
    inspection = Station(context, "inspection", pool, kernel.fed([1]), start="inspection.start")
    recorder = kernel.Recorder(context)
    kernel.Injector(context, "docs", [0.0]).to(documents).to(recorder)
    kernel.Injector(context, "insp", [1.0]).to(inspection).to(recorder)
    context.run()
    assert kernel.times_by_entity(context, "documents.start") == {1: 0.0}
    assert kernel.times_by_entity(context, "inspection.start") == {2: inspection_start}
    assert pool.overtime_hours() == pytest.approx(1.0 if changeover == "crew" else 0.0)


def test_overlapping_crews_count_leavers_busy_first(kernel):
    # Crew A 00:00-04:00 (1), crew B 01:00-10:00 (1); arrivals 0 (5 h), 1.5 (5 h), 2 (1 h).
    # e1 by A 0-5, e2 by B 1.5-6.5; at 4 A leaves with e1 in hand (overtime 4-5); e3 waits
    # for an on-duty server: B frees at 6.5, so e3 6.5-7.5 (A's leaving frees nobody).
    context = kernel.context(horizon=10.0)
    pool = shift_pool(context, "staff", (Shift("00:00", "04:00", 1), Shift("01:00", "10:00", 1)), "crew")
    station = Station(context, "counter", pool, kernel.fed([5, 5, 1]), start="start")
    kernel.Injector(context, "in", [0.0, 1.5, 2.0]).to(station).to(kernel.Recorder(context))
    context.run()
    assert kernel.times_by_entity(context, "start") == {1: 0.0, 2: 1.5, 3: 6.5}
    assert pool.overtime_hours() == pytest.approx(1.0)


# -- against Ciw ----------------------------------------------------------------------------
# A counter with 8 servers 08:00-20:00 and 2 at night, Poisson arrivals 4/h, lognormal
# service mean 1 h, cv 0.8. Ciw's schedules hand over crews (no pre-emption: a server going
# off duty finishes the customer in hand), as cbecsim's "crew" changeover.
HORIZON, WARMUP = 1000.0, 48.0
COUNTER_SHIFTS = [{"start": "08:00", "end": "20:00", "servers": 8}, {"start": "20:00", "end": "08:00", "servers": 2}]


def _ciw_mean_waits(replications: int) -> list[float]:
    ciw = pytest.importorskip("ciw")
    sigma = math.sqrt(math.log(1 + 0.8 ** 2))
    network = ciw.create_network(
        arrival_distributions=[ciw.dists.Exponential(4.0)],
        service_distributions=[ciw.dists.Lognormal(-sigma ** 2 / 2, sigma)],  # mean e^(mu + sigma^2/2) = 1
        number_of_servers=[ciw.Schedule(numbers_of_servers=[8, 2], shift_end_dates=[12.0, 24.0],
                                        preemption=False, offset=8.0)],  # t = 0 is midnight, as in cbecsim
    )
    waits = []
    for seed in range(replications):
        ciw.seed(seed)
        simulation = ciw.Simulation(network)
        simulation.simulate_until_max_time(HORIZON)
        waits.append(statistics.mean(record.waiting_time for record in simulation.get_all_records()
                                     if record.arrival_date >= WARMUP))
    return waits


def _cbecsim_counter(network, changeover: str, replications: int) -> list[dict[str, float]]:
    scenario = network.scenario({
        "sources": [{"name": "arrivals", "to": "counter", "rate": 4.0}],
        "stations": [{"name": "counter", "servers": 0, "service": {"dist": "lognormal", "mean": 1.0, "cv": 0.8},
                      "shifts": COUNTER_SHIFTS, "changeover": changeover}],
    }, horizon=HORIZON, warmup=WARMUP)
    return network.replicate(scenario, replications)


def test_crew_changeover_agrees_with_ciw_and_capacity_does_not(network):
    ciw_wait = network.t_interval(_ciw_mean_waits(6))
    crew_runs = _cbecsim_counter(network, "crew", 16)
    capacity_runs = _cbecsim_counter(network, "capacity", 16)
    crew = network.t_interval(network.column(crew_runs, "station.counter.wait_mean_h"))
    capacity = network.t_interval(network.column(capacity_runs, "station.counter.wait_mean_h"))
    assert crew.low <= ciw_wait.high and ciw_wait.low <= crew.high, f"crew {crew} vs Ciw {ciw_wait}"
    # A capacity level keeps the night crew idle while the day crew finishes: longer waits.
    assert capacity.low > ciw_wait.high and capacity.low > crew.high, f"capacity {capacity} vs Ciw {ciw_wait}"
    # The window 48-1000 h is 39 days and 16 h from midnight: 39 × (8 × 12 + 2 × 12) + 2 × 8 + 8 × 8.
    for runs in (crew_runs, capacity_runs):
        assert network.column(runs, "scheduled.counter_h") == pytest.approx([39 * 120 + 80] * 16)
    assert min(network.column(crew_runs, "overtime.counter_h")) > 0
    assert max(network.column(capacity_runs, "overtime.counter_h")) == 0
