"""Observed against simulated stage times: verdicts from an effect-size tolerance (hand
computed), and Time Release Study durations by class from the model's class rules."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.validation import compare_stages, flow_durations
from sim.spec import ClassRule, StageFlow

KEY = ("stages", "all", "desk")


def test_a_ten_percent_gap_is_the_edge_of_tolerance() -> None:
    observed = {KEY: np.array([1.0, 2.0, 3.0, 4.0])}  # mean 2.5, median 2.5, p90 3.7
    inside = compare_stages(observed, {KEY: observed[KEY] * 1.09}).iloc[0]
    outside = compare_stages(observed, {KEY: observed[KEY] * 1.11}).iloc[0]
    assert inside["verdict"] == "within tolerance"
    assert outside["verdict"] == "not within tolerance"
    assert inside["tolerance_mean_h"] == pytest.approx(0.25)
    assert outside["diff_p90_h"] == pytest.approx(0.11 * 3.7)
    # the Wasserstein distance of a scaled sample is the scale's share of the mean
    assert outside["wasserstein_h"] == pytest.approx(0.11 * 2.5)


def test_the_floor_keeps_tiny_gaps_within_tolerance() -> None:
    observed = {KEY: np.full(10, 0.1)}
    row = compare_stages(observed, {KEY: np.full(10, 0.14)}, floor=0.05).iloc[0]
    assert row["verdict"] == "within tolerance"  # 0.04 h is 40% but under three minutes


def test_a_stage_the_simulation_never_reaches_is_not_within_tolerance() -> None:
    row = compare_stages({KEY: np.ones(5)}, {}).iloc[0]
    assert row["simulated_n"] == 0 and row["verdict"] == "not within tolerance"


def test_flow_durations_by_class_follow_the_rules() -> None:
    flow = StageFlow("inbound", "Inbound", "进口", ("EMD", "EDC", "EMF"),
                     (ClassRule("held", has="EME"), ClassRule("not_held")))
    rows = [  # entity, milestone, time
        (1, "EMD", 0.0), (1, "EDC", 2.0), (1, "EMF", 5.0),
        (2, "EMD", 1.0), (2, "EME", 2.0), (2, "EDC", 9.0), (2, "EMF", 10.0),
        (3, "EMD", 1.0), (3, "EDC", 1.5),  # not dispatched yet: not counted
    ]
    log = pd.DataFrame(rows, columns=["entity", "milestone", "time"]).assign(scenario="observed", replication=0)
    durations = flow_durations(log, flow)
    assert sorted(durations[("inbound", "all", "total")]) == [5.0, 9.0]
    assert durations[("inbound", "held", "EMD → EDC")].tolist() == [8.0]
    assert durations[("inbound", "not_held", "EDC → EMF")].tolist() == [3.0]
    later = flow_durations(log, flow, since=0.5)
    assert later[("inbound", "all", "total")].tolist() == [9.0]
