"""Replication sizing against a hand calculation, and the sequential procedure."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analysis.intervals import t_interval
from analysis.sizing import adjusted_target, replications_needed, sequential, sizing_table

PILOT = [8.0, 12.0] * 5  # mean 10, S^2 = 40/9, S = 2.10819


def test_relative_target_by_hand():
    # gamma = 0.05 -> gamma' = 0.05 / 1.05 = 0.047619; bound = 0.47619 h.
    # t-quantiles: t_{75} = 1.99210, t_{76} = 1.99167, t_{77} = 1.99125
    #   i = 76: 1.99210 * 2.10819 / sqrt(76) = 0.48174 > 0.47619
    #   i = 77: 1.99167 * 2.10819 / sqrt(77) = 0.47850 > 0.47619
    #   i = 78: 1.99125 * 2.10819 / sqrt(78) = 0.47532 <= 0.47619  -> n* = 78
    assert adjusted_target(0.05) == pytest.approx(0.047619, rel=1e-5)
    assert replications_needed(PILOT, relative=0.05) == 78


def test_unadjusted_and_absolute_targets_by_hand():
    # unadjusted bound 0.5: i = 70: t_{69} = 1.99495 * 2.10819 / sqrt(70) = 0.50268 > 0.5;
    # i = 71: t_{70} = 1.99444 * 2.10819 / sqrt(71) = 0.49900 <= 0.5 -> 71 (same as absolute 0.5)
    assert replications_needed(PILOT, relative=0.05, adjusted=False) == 71
    assert replications_needed(PILOT, absolute=0.5) == 71
    # a target the pilot already meets: never fewer than the pilot's n
    assert replications_needed(PILOT, absolute=5.0) == 10


def test_sizing_out_of_reach_and_bad_input():
    assert replications_needed(PILOT, relative=1e-5, limit=1000) is None
    with pytest.raises(ValueError):
        replications_needed(PILOT)
    with pytest.raises(ValueError):
        replications_needed([1.0], relative=0.1)


def test_sizing_table_per_scenario_and_metric():
    runs = pd.DataFrame({"scenario": "s", "replication": range(10), "metric": "wait", "value": PILOT})
    runs = pd.concat([runs, runs.assign(metric="other")])
    table = sizing_table(runs, {"wait": 0.05})
    assert len(table) == 1 and table.loc[0, "replications_needed"] == 78
    assert table.loc[0, "relative_half_width"] == pytest.approx(stats.t.ppf(0.975, 9) * np.sqrt(40 / 9) / np.sqrt(10) / 10)


def test_sequential_stops_at_the_first_replication_meeting_every_target():
    rng = np.random.default_rng(5)
    calls = []

    def next_replication(index):
        calls.append(index)
        return {"wait": rng.normal(10.0, 2.0), "throughput": rng.normal(50.0, 2.0)}

    result = sequential(next_replication, {"wait": 0.05, "throughput": 0.01}, initial=10, limit=500, first=100)
    assert result.met
    assert calls == list(range(100, 100 + result.replications))
    wide = result.values.pivot(index="replication", columns="metric", values="value")

    def meets(n):
        return all(t_interval(wide[m].to_numpy()[:n]).relative_half_width <= adjusted_target(g)
                   for m, g in (("wait", 0.05), ("throughput", 0.01)))

    assert meets(result.replications)
    assert not any(meets(n) for n in range(10, result.replications))
    # the pilot-based estimate is of the same order as the sequential stop
    pilot_estimate = replications_needed(wide["wait"].to_numpy()[:10], relative=0.05)
    assert 0.4 * pilot_estimate < result.replications < 2.5 * pilot_estimate


def test_sequential_stops_at_the_limit_when_the_target_is_out_of_reach():
    rng = np.random.default_rng(1)
    result = sequential(lambda i: {"wait": rng.exponential(1.0)}, {"wait": 0.001}, initial=5, limit=20)
    assert not result.met and result.replications == 20
    assert result.history["replications"].max() == 20
