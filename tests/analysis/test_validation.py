"""Observed against simulated stage times: verdicts from an effect-size tolerance (hand
computed), and Time Release Study durations by class from the model's class rules."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.validation import compare_stages, flow_durations
from sim.spec import ClassRule, StageFlow

KEY = ("stages", "all", "desk")


def test_verdicts_weigh_the_gap_against_the_tolerance_and_the_noise() -> None:
    """20,000 observations (exponential quantiles, mean about 1 h): a 4% gap is within the
    10% tolerance, a 20% gap is not; with 5 observations the same 20% gap is undecided."""
    sample = -np.log1p(-(np.arange(20_000) + 0.5) / 20_000)
    close = compare_stages({KEY: sample}, {KEY: sample * 1.04}).iloc[0]
    far = compare_stages({KEY: sample}, {KEY: sample * 1.2}).iloc[0]
    few = compare_stages({KEY: sample[::4000]}, {KEY: sample[::4000] * 1.2}).iloc[0]
    assert (close["verdict"], far["verdict"], few["verdict"]) == ("within tolerance", "not within tolerance",
                                                                   "undecided")
    assert far["tolerance_mean_h"] == pytest.approx(0.1 * sample.mean())
    assert far["diff_p90_h"] == pytest.approx(0.2 * np.quantile(sample, 0.9))
    assert far["diff_mean_low_h"] < far["diff_mean_h"] < far["diff_mean_high_h"]
    # the Wasserstein distance of a scaled sample is the scale's share of the mean
    assert far["wasserstein_h"] == pytest.approx(0.2 * sample.mean())


def test_the_floor_keeps_tiny_gaps_within_tolerance() -> None:
    observed = {KEY: np.full(400, 0.1)}
    row = compare_stages(observed, {KEY: np.full(400, 0.14)}, floor=0.05).iloc[0]
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
