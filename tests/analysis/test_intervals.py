"""Interval functions against scipy on known data, and their coverage on synthetic data."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analysis.intervals import interval_table, percentile_interval, percentile_table, summarize_runs, t_interval


def test_t_interval_matches_scipy_on_known_data():
    values = np.array([4.1, 5.3, 3.8, 6.0, 5.5, 4.9, 5.1, 4.4])
    interval = t_interval(values, 0.95)
    low, high = stats.t.interval(0.95, df=len(values) - 1, loc=values.mean(), scale=stats.sem(values))
    assert interval.n == 8
    assert interval.mean == pytest.approx(values.mean())
    assert interval.std == pytest.approx(values.std(ddof=1))
    assert interval.low == pytest.approx(low)
    assert interval.high == pytest.approx(high)


def test_t_interval_hand_computed_values():
    # mean 2, S^2 = 1 (values 1, 2, 3), t_{2, 0.975} = 4.302653, half-width = 4.302653 / sqrt(3)
    interval = t_interval([1.0, 2.0, 3.0])
    assert interval.half_width == pytest.approx(4.302653 / np.sqrt(3), rel=1e-6)
    assert interval.relative_half_width == pytest.approx(4.302653 / np.sqrt(3) / 2, rel=1e-6)


def test_t_interval_single_value_has_no_half_width():
    interval = t_interval([3.0])
    assert interval.mean == 3.0 and np.isnan(interval.half_width)


def test_t_interval_coverage_on_synthetic_normal_samples():
    rng = np.random.default_rng(20250611)
    true_mean = 7.0
    covered = 0
    trials = 1000
    for _ in range(trials):
        interval = t_interval(rng.normal(true_mean, 3.0, size=10))
        covered += interval.low <= true_mean <= interval.high
    assert 0.93 <= covered / trials <= 0.97


def test_interval_table_matches_t_interval_per_group_and_covers():
    rng = np.random.default_rng(7)
    groups, n = 1000, 8
    frame = pd.DataFrame({"group": np.repeat(np.arange(groups), n), "value": rng.exponential(2.0, groups * n)})
    table = interval_table(frame, "value", ["group"])
    one = t_interval(frame.loc[frame["group"] == 3, "value"].to_numpy())
    row = table.set_index("group").loc[3]
    assert row["ci_low"] == pytest.approx(one.low) and row["ci_high"] == pytest.approx(one.high)
    # exponential data of 8 values: the t-interval undercovers a little, but stays near 95%
    coverage = ((table["ci_low"] <= 2.0) & (2.0 <= table["ci_high"])).mean()
    assert 0.88 <= coverage <= 0.97


def test_percentile_interval_is_t_interval_of_per_replication_percentiles():
    rng = np.random.default_rng(3)
    samples = [rng.exponential(1.0, 500) for _ in range(6)]
    interval = percentile_interval(samples, 0.9)
    expected = t_interval([np.quantile(s, 0.9) for s in samples])
    assert interval.mean == pytest.approx(expected.mean) and interval.half_width == pytest.approx(expected.half_width)


def test_percentile_table_covers_the_true_exponential_percentiles():
    # p90 of Exp(1) is ln 10; 200 independent studies of 10 replications x 400 entities each
    rng = np.random.default_rng(11)
    runs, replications, entities = 200, 10, 400
    frame = pd.DataFrame({
        "run": np.repeat(np.arange(runs), replications * entities),
        "replication": np.tile(np.repeat(np.arange(replications), entities), runs),
        "duration": rng.exponential(1.0, runs * replications * entities),
    })
    table = percentile_table(frame, "duration", ["run"], "replication")
    for statistic, truth in (("median", np.log(2)), ("p90", np.log(10)), ("p95", np.log(20))):
        rows = table[table["statistic"] == statistic]
        assert (rows["n"] == replications).all()
        coverage = ((rows["ci_low"] <= truth) & (truth <= rows["ci_high"])).mean()
        assert 0.88 <= coverage <= 0.99, (statistic, coverage)


def test_summarize_runs_layout_and_values():
    runs = pd.DataFrame({
        "scenario": ["a"] * 4 + ["b"] * 4,
        "replication": list(range(4)) * 2,
        "metric": ["wait"] * 8,
        "value": [1.0, 2.0, 3.0, 4.0, 2.0, 2.0, 2.0, 2.0],
    })
    summary = summarize_runs(runs).set_index("scenario")
    assert list(summary.columns[:6]) == ["metric", "mean", "std", "ci_low", "ci_high", "n"]
    assert summary.loc["a", "mean"] == 2.5
    assert summary.loc["a", "ci_high"] == pytest.approx(2.5 + stats.t.ppf(0.975, 3) * np.std([1, 2, 3, 4], ddof=1) / 2)
    assert summary.loc["b", "half_width"] == 0.0
