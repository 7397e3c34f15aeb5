"""Sweeps expand as declared; capacity curves and saturation rules."""

import numpy as np
import pandas as pd
import pytest

from analysis.sweeps import (
    Lever,
    capacity_curve,
    grid,
    kpi_saturation,
    latin_hypercube,
    points_frame,
    utilization_saturation,
)

SERVERS = "params.stations.0.servers"
RATE = "params.sources.0.rate"


def test_grid_over_one_lever_from_a_range_and_from_values():
    assert grid([{"path": RATE, "low": 1.0, "high": 2.0, "steps": 5}]) == [{RATE: v} for v in (1.0, 1.25, 1.5, 1.75, 2.0)]
    assert grid([{"path": SERVERS, "values": [1, 3, 8]}]) == [{SERVERS: 1}, {SERVERS: 3}, {SERVERS: 8}]


def test_grid_over_two_levers_is_the_full_factorial_first_lever_slowest():
    points = grid([{"path": SERVERS, "low": 1, "high": 4, "integer": True},
                   {"path": RATE, "low": 0.5, "high": 1.5, "steps": 3}])
    assert len(points) == 4 * 3
    assert points[0] == {SERVERS: 1, RATE: 0.5} and points[1] == {SERVERS: 1, RATE: 1.0}
    assert points[3] == {SERVERS: 2, RATE: 0.5}
    assert all(isinstance(p[SERVERS], int) for p in points)
    assert len({tuple(p.values()) for p in points}) == 12
    # integer levers dedupe rounded steps: 1..3 in 5 steps -> 1, 2, 3
    assert Lever(SERVERS, 1, 3, steps=5, integer=True).grid_values() == [1, 2, 3]


def test_latin_hypercube_bounds_and_stratification():
    samples = 40
    levers = [Lever(RATE, 0.5, 2.5), Lever("params.stations.1.service.mean", 0.1, 0.3),
              Lever(SERVERS, 1, 4, integer=True), Lever("params.policy", values=("fifo", "priority"))]
    points = latin_hypercube(levers, samples, seed=3)
    assert len(points) == samples
    frame = points_frame(points)
    for lever in levers[:2]:
        low, high = lever.bounds
        values = frame[lever.path].to_numpy()
        assert ((low <= values) & (values <= high)).all()
        strata = np.floor((values - low) / (high - low) * samples).astype(int)
        assert sorted(strata) == list(range(samples))  # one point in each of the 40 strata
    # 4 integer values share 40 strata equally; listed values likewise
    assert frame[SERVERS].value_counts().to_dict() == {1: 10, 2: 10, 3: 10, 4: 10}
    assert frame["params.policy"].value_counts().to_dict() == {"fifo": 20, "priority": 20}
    assert latin_hypercube(levers, samples, seed=3) == points
    assert latin_hypercube(levers, samples, seed=4) != points


def test_bad_lever_declarations_are_errors():
    with pytest.raises(ValueError):
        Lever(RATE, 2.0, 1.0)
    with pytest.raises(ValueError):
        Lever.from_mapping({"path": RATE, "low": 1, "hihg": 2})
    with pytest.raises(ValueError):
        grid([{"path": RATE, "values": [1]}, {"path": RATE, "values": [2]}])


def mm1_results(rates, replications=10, seed=0):
    """Synthetic stored results: M/M/1 sojourn 1/(mu - lambda) with mu = 1, plus noise."""
    rng = np.random.default_rng(seed)
    rows = []
    for rate in rates:
        truth = 1.0 / (1.0 - rate)
        for replication in range(replications):
            rows.append({"rate": rate, "replication": replication, "sojourn": truth * (1 + rng.normal(0, 0.05)),
                         "utilization": rate + rng.normal(0, 0.01)})
    return pd.DataFrame(rows)


def test_capacity_curve_and_the_kpi_saturation_rule():
    rates = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]
    results = mm1_results(rates)
    curve = capacity_curve(results, "rate", value="sojourn")
    assert curve["rate"].tolist() == rates and (curve["n"] == 10).all()
    for row in curve.itertuples():
        assert row.ci_low < 1 / (1 - row.rate) * 1.06 and row.ci_high > 1 / (1 - row.rate) * 0.94
    saturation = kpi_saturation(curve, "rate", factor=2.0)
    # light load ~1.111 h, reference ~2.22 h: rate 0.5 gives 2.0 (below), 0.6 gives 2.5 (confidently above)
    assert saturation.reference == pytest.approx(2 * curve["mean"].iloc[0])
    assert saturation.load == 0.6
    assert kpi_saturation(curve, "rate", factor=10.0).load is None


def test_utilization_saturation_rule():
    results = mm1_results([0.5, 0.7, 0.85, 0.93, 0.97])
    curve = capacity_curve(results, "rate", value="utilization")
    assert utilization_saturation(curve, "rate", threshold=0.9).load == 0.93
    assert utilization_saturation(curve, "rate", threshold=0.99).load is None
