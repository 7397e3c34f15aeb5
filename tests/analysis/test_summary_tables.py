"""summary.csv and comparisons.csv against hand-computed values."""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from analysis.compare import COLUMNS as COMPARE_COLUMNS
from analysis.compare import compare
from analysis.load import runs_table
from analysis.summarize import summarize

# Student t quantiles t(0.975, df) from printed tables (e.g. Law 2015, Table T.1).
T_975 = {2: 4.303, 3: 3.182}


def long(rows: dict[str, list[float]], metric: str = "m") -> pd.DataFrame:
    records = [SimpleNamespace(scenario=s, replication=i, metrics={metric: v})
               for s, values in rows.items() for i, v in enumerate(values)]
    return runs_table(records, order=list(rows))


def test_runs_table_is_sorted_whatever_the_arrival_order() -> None:
    records = [SimpleNamespace(scenario=s, replication=r, metrics={"b": 1.0, "a": 2.0})
               for s, r in [("y", 1), ("x", 0), ("y", 0), ("x", 1)]]
    table = runs_table(records, order=["y", "x"])
    assert list(table.columns) == ["scenario", "replication", "metric", "value"]
    assert list(zip(table.scenario, table.replication, table.metric)) == [
        ("y", 0, "a"), ("y", 0, "b"), ("y", 1, "a"), ("y", 1, "b"),
        ("x", 0, "a"), ("x", 0, "b"), ("x", 1, "a"), ("x", 1, "b")]


def test_summary_mean_std_and_t_interval() -> None:
    table = summarize(long({"s": [1.0, 2.0, 3.0, 4.0]}))
    assert list(table.columns[:7]) == ["scenario", "metric", "mean", "std", "ci_low", "ci_high", "n"]
    row = table.iloc[0]
    assert row["half_width"] == pytest.approx(row["ci_high"] - row["mean"])
    assert (row["median"], row["minimum"], row["maximum"]) == (2.5, 1.0, 4.0)
    std = math.sqrt(((1.5**2) * 2 + (0.5**2) * 2) / 3)  # 1.2910
    assert (row["mean"], row["n"]) == (2.5, 4)
    assert row["std"] == pytest.approx(std)
    assert row["ci_high"] - row["mean"] == pytest.approx(T_975[3] * std / 2, rel=1e-3)
    assert row["mean"] - row["ci_low"] == pytest.approx(row["ci_high"] - row["mean"])


def test_summary_of_one_replication_has_no_interval() -> None:
    row = summarize(long({"s": [7.0]})).iloc[0]
    assert row["mean"] == 7.0 and row["n"] == 1
    assert math.isnan(row["std"]) and math.isnan(row["ci_low"]) and math.isnan(row["ci_high"])


def test_paired_comparison_and_variance_reduction() -> None:
    runs = long({"base": [1.0, 2.0, 3.0], "other": [2.0, 4.0, 5.0]})
    table = compare(runs, [("base", "other")])
    assert list(table.columns) == COMPARE_COLUMNS
    row = table.iloc[0]
    # differences 1, 2, 2: mean 5/3, variance 1/3; Var(base) = 1, Var(other) = 7/3
    assert (row["baseline"], row["scenario"], row["n"]) == ("base", "other", 3)
    assert (row["baseline_mean"], row["scenario_mean"]) == (2.0, pytest.approx(11 / 3))
    assert row["diff_mean"] == pytest.approx(5 / 3)
    assert row["var_paired"] == pytest.approx(1 / 3)
    assert row["var_independent"] == pytest.approx(10 / 3)
    assert row["variance_reduction"] == pytest.approx(0.9)
    assert row["rel_change"] == pytest.approx(5 / 6)
    assert row["diff_ci_high"] - row["diff_mean"] == pytest.approx(T_975[2] * math.sqrt(1 / 3) / math.sqrt(3), rel=1e-3)
    # relative change R = 5/6; delta-method residuals (d - R b) / 2 = 1/12, 1/6, -1/4: sd sqrt(7)/12
    assert row["rel_ci_high"] - row["rel_change"] == pytest.approx(T_975[2] * math.sqrt(7) / 12 / math.sqrt(3), rel=1e-3)
    assert row["rel_change"] - row["rel_ci_low"] == pytest.approx(row["rel_ci_high"] - row["rel_change"])


def test_comparison_pairs_replications_by_number() -> None:
    runs = long({"base": [1.0, 5.0], "other": [2.0, 6.0]})
    shuffled = runs.sample(frac=1.0, random_state=3)
    row = compare(shuffled, [("base", "other")]).iloc[0]
    assert row["diff_mean"] == 1.0 and row["var_paired"] == 0.0 and row["variance_reduction"] == 1.0


def test_paired_intervals_cover_the_truth_and_pairing_removes_shared_noise() -> None:
    """2,000 synthetic experiments (one metric each) of 10 paired replications: the
    scenario is 0.8 x the baseline's shared noise plus its own, so the true difference is
    -2, the true relative change -20%, and Var(diff) is known. Intervals must cover about
    95% of the time; the variance reduction must match its theoretical value."""
    rng = np.random.default_rng(11)
    experiments, replications = 2000, 10
    shared = rng.normal(10.0, 2.0, size=(experiments, replications))
    own = rng.normal(0.0, 0.5, size=(experiments, replications))
    base, other = shared, 0.8 * shared + own
    frames = []
    for scenario, values in (("base", base), ("other", other)):
        frames.append(pd.DataFrame({"scenario": scenario, "replication": np.tile(np.arange(replications), experiments),
                                    "metric": np.repeat([f"m{k}" for k in range(experiments)], replications),
                                    "value": values.ravel()}))
    table = compare(pd.concat(frames, ignore_index=True), [("base", "other")])
    assert len(table) == experiments
    covered_diff = ((table["diff_ci_low"] <= -2.0) & (-2.0 <= table["diff_ci_high"])).mean()
    covered_rel = ((table["rel_ci_low"] <= -0.2) & (-0.2 <= table["rel_ci_high"])).mean()
    assert 0.93 <= covered_diff <= 0.97
    assert 0.92 <= covered_rel <= 0.97
    # Var(diff) = 0.04 * 4 + 0.25 = 0.41; Var(base) + Var(other) = 4 + 0.64 * 4 + 0.25 = 6.81
    # (sample variances are unbiased, so their averages over the experiments converge to these)
    assert table["var_paired"].mean() == pytest.approx(0.41, rel=0.03)
    assert table["var_independent"].mean() == pytest.approx(6.81, rel=0.03)
    assert table["variance_reduction"].median() == pytest.approx(1 - 0.41 / 6.81, abs=0.02)
