"""Invariants on small random networks (Hypothesis).

A network is one Poisson source, one to three stations (servers 1-3, any service
distribution, some with a shift calendar), probabilistic routing between stations with
some probability of being dropped ("abandoned") and the rest leaving. Loads are kept
below 1 so that short runs stay short. Whatever the network:

- conservation: created = finished + in system + dropped, and the milestone log agrees;
- waits are never negative, and nobody starts before arriving;
- each finished entity spent at least its total service time in the network;
- no service starts while its pool is at capacity (utilisation <= 1 without shifts;
  with shifts, work in service outlasting a shift may push it above 1).
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.context import Context
from sim.distributions import Distribution
from sim.flow import Drop, Router, Sink
from sim.sources import PoissonSource
from sim.station import ServerPool, Station
from sim.streams import Streams


@st.composite
def distributions(draw) -> Distribution:
    mean = draw(st.floats(0.05, 1.0))
    kind = draw(st.sampled_from(["exponential", "deterministic", "lognormal", "gamma", "uniform",
                                 "triangular", "empirical"]))
    if kind == "exponential":
        return Distribution(kind, mean=mean)
    if kind == "deterministic":
        return Distribution(kind, value=mean)
    if kind in ("lognormal", "gamma"):
        return Distribution(kind, mean=mean, cv=draw(st.floats(0.1, 2.0)))
    if kind == "uniform":
        return Distribution(kind, low=0.0, high=2 * mean)
    if kind == "triangular":
        return Distribution(kind, low=0.0, mode=mean, high=2 * mean)
    return Distribution(kind, values=tuple(draw(st.lists(st.floats(0.0, 2 * mean), min_size=1, max_size=5))))


@st.composite
def networks(draw) -> dict:
    count = draw(st.integers(1, 3))
    stations = []
    for index in range(count):
        # Probabilities to each station and to abandonment, then scaled to sum to <= 0.8.
        weights = draw(st.lists(st.floats(0.0, 1.0), min_size=count + 1, max_size=count + 1))
        keep = draw(st.floats(0.0, 0.8))
        total = sum(weights)
        routing = [keep * w / total if total > 0 else 0.0 for w in weights]
        shifts = None
        if draw(st.booleans()):
            # (time, servers) changes: capacity may drop to 0 and come back.
            times = sorted(draw(st.lists(st.floats(0.5, 20.0), min_size=1, max_size=4, unique=True)))
            shifts = [(0.0, draw(st.integers(1, 3)))] + [(t, draw(st.integers(0, 3))) for t in times]
        stations.append({"servers": draw(st.integers(1, 3)), "service": draw(distributions()),
                         "routing": routing, "shifts": shifts})
    # Traffic equations for a unit external rate, then a rate keeping every load <= 0.9.
    routing = np.array([station["routing"][:count] for station in stations])
    visits = np.linalg.solve(np.eye(count) - routing.T, np.eye(count)[0])
    work = [v * s["service"].expected() / s["servers"] for v, s in zip(visits, stations)]
    rate = draw(st.floats(0.2, 0.9)) / max(max(work), 0.05)
    return {"stations": stations, "rate": rate, "horizon": draw(st.floats(5.0, 30.0)),
            "warmup": draw(st.sampled_from([0.0, 2.0])), "seed": draw(st.integers(0, 2**32 - 1))}


def build_and_run(spec: dict):
    context = Context(Streams(spec["seed"], 0), horizon=spec["horizon"], warmup=spec["warmup"], log=True)
    stations = []
    for index, station in enumerate(spec["stations"]):
        pool = ServerPool(context, f"pool {index}", station["servers"], capacity_changes=station["shifts"] or ())
        service = context.streams.sampler(f"service.{index}", station["service"])
        stations.append(Station(context, f"station {index}", pool, service, arrive=f"arrive {index}",
                                start=f"start {index}", end=f"end {index}", record_waits=True))
    sink = Sink(context, "leave", milestone="leave")
    abandoned = Drop(context, "abandoned", reason="abandoned", milestone="abandoned")
    count = len(stations)
    for index, station in enumerate(spec["stations"]):
        router = Router(context, f"routing {index}", station["routing"])
        for target in range(count):
            router.connect(target, stations[target])
        router.connect(count, abandoned)
        router.otherwise = sink
        stations[index].to(router)
    PoissonSource(context, "arrivals", spec["rate"], milestone="arrive").to(stations[0])
    context.run()
    return context, stations


def capacity_at(station: dict, time: float) -> int:
    """Servers on duty at `time` (changes at the same time as a start come first)."""
    if not station["shifts"]:
        return station["servers"]
    return [servers for start, servers in station["shifts"] if start <= time][-1]


@settings(max_examples=100, deadline=None)
@given(networks())
def test_invariants_of_random_networks(spec):
    context, stations = build_and_run(spec)
    held = context.in_system()
    dropped = sum(context.dropped.values())
    assert context.created == context.finished + held + dropped
    context.check_conservation()

    table = context.log.table()
    names = table.names
    arrived = dict(zip(*(array.tolist() for array in table.times_of("arrive"))))
    left = dict(zip(*(array.tolist() for array in table.times_of("leave"))))
    assert len(arrived) == context.created
    assert len(left) == context.finished
    assert len(table.times_of("abandoned")[0]) == dropped

    for station, station_spec in zip(stations, spec["stations"]):
        assert all(wait >= 0.0 for wait in station.wait_samples)
        if not station_spec["shifts"]:  # with shifts, work in service may outlast a shift
            assert station.pool.utilization() <= 1.0 + 1e-9

    # Replay the log in event order: no service starts while the pool is at capacity.
    busy = defaultdict(int)
    for milestone, time in zip(table.milestone.tolist(), table.time.tolist()):
        kind, _, index = names[milestone].partition(" ")
        if kind == "start":
            busy[index] += 1
            assert busy[index] <= capacity_at(spec["stations"][int(index)], time)
        elif kind == "end":
            busy[index] -= 1

    # Walk each entity's rows in time order: a visit is arrive i -> start i -> end i.
    rows_of = defaultdict(list)
    for entity, milestone, time in zip(table.entity.tolist(), table.milestone.tolist(), table.time.tolist()):
        rows_of[entity].append((names[milestone], time))
    for entity, rows in rows_of.items():
        service = 0.0
        arrival_at = start_at = None
        for name, time in rows:
            kind = name.split(" ")[0]
            if kind == "arrive" and name != "arrive":
                arrival_at = time
            elif kind == "start":
                assert time >= arrival_at  # waits >= 0
                start_at = time
            elif kind == "end":
                assert time >= start_at
                service += time - start_at
        if entity in left:
            assert left[entity] - arrived[entity] >= service - 1e-9
