"""Paired comparison of scenarios with their baseline: ``comparisons.csv``.

Scenarios of a study share the root seed, so replication r of every scenario sees the
same arrivals (common random numbers). Per metric and pair:

* the difference scenario - baseline is taken replication by replication and its mean gets
  a t-interval (the paired-t interval: Law, *Simulation Modeling and Analysis*, 5th ed.,
  2015, §10.2.1);
* the relative change is the ratio of means R = mean(diff) / mean(baseline), with a
  t-interval from the linearised (delta-method) standard error of a ratio of means,
  SE(R) = sd(e) / sqrt(n) with e_r = (diff_r - R * baseline_r) / mean(baseline)
  (Cochran, *Sampling Techniques*, 3rd ed., 1977, §6.4). It accounts for the baseline's own
  noise, which dividing the difference interval by the baseline mean would ignore; it
  needs a baseline mean well away from 0 (NaN when it is 0);
* `variance_reduction` is 1 - Var(paired difference) / (Var(baseline) + Var(scenario)): the
  share of the variance independent runs would have had that common random numbers
  removed (Law §11.2). It is NaN when both scenarios are constant.

All intervals use `analysis.intervals.t_quantile`, like ``summary.csv``.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from analysis.intervals import t_quantile

COLUMNS = [
    "baseline", "scenario", "metric", "baseline_mean", "scenario_mean", "diff_mean", "diff_ci_low",
    "diff_ci_high", "rel_change", "rel_ci_low", "rel_ci_high", "n", "var_paired", "var_independent",
    "variance_reduction",
]


def compare(runs: pd.DataFrame, pairs: Iterable[tuple[str, str]], confidence: float = 0.95) -> pd.DataFrame:
    """One row per (baseline, scenario, metric) over the replications both have, metrics in
    the order they appear in the baseline's runs."""
    frames = [_pair(runs, baseline, scenario, confidence) for baseline, scenario in pairs]
    if not frames:
        return pd.DataFrame(columns=COLUMNS)
    return pd.concat(frames, ignore_index=True)[COLUMNS]


def _pair(runs: pd.DataFrame, baseline: str, scenario: str, confidence: float) -> pd.DataFrame:
    base = runs[runs["scenario"] == baseline][["replication", "metric", "value"]]
    other = runs[runs["scenario"] == scenario][["replication", "metric", "value"]]
    paired = base.merge(other, on=["metric", "replication"], suffixes=("_a", "_b"), sort=False)
    paired["diff"] = paired["value_b"] - paired["value_a"]
    grouped = paired.groupby("metric", sort=False)
    table = pd.DataFrame({
        "baseline_mean": grouped["value_a"].mean(),
        "scenario_mean": grouped["value_b"].mean(),
        "diff_mean": grouped["diff"].mean(),
        "n": grouped["diff"].count(),
        "var_paired": grouped["diff"].var(ddof=1),
        "var_independent": grouped["value_a"].var(ddof=1) + grouped["value_b"].var(ddof=1),
    })
    n = table["n"].to_numpy(dtype=float)
    quantile = t_quantile(n, confidence)
    with np.errstate(invalid="ignore", divide="ignore"):
        width = quantile * np.sqrt(table["var_paired"].to_numpy(dtype=float) / n)
        table["diff_ci_low"] = table["diff_mean"] - width
        table["diff_ci_high"] = table["diff_mean"] + width
        base_mean = table["baseline_mean"].to_numpy(dtype=float)
        ratio = np.where(base_mean != 0, table["diff_mean"].to_numpy(dtype=float) / base_mean, np.nan)
        table["rel_change"] = ratio
        # delta-method residuals of the ratio of means, one per replication
        lookup = pd.Series(ratio, index=table.index)
        residual = (paired["diff"] - paired["metric"].map(lookup) * paired["value_a"]) / paired["metric"].map(
            table["baseline_mean"])
        spread = residual.groupby(paired["metric"], sort=False).std(ddof=1).reindex(table.index).to_numpy(dtype=float)
        rel_width = quantile * spread / np.sqrt(n)
        table["rel_ci_low"] = ratio - rel_width
        table["rel_ci_high"] = ratio + rel_width
        var_independent = table["var_independent"].to_numpy(dtype=float)
        table["variance_reduction"] = np.where(
            var_independent > 0, 1 - table["var_paired"].to_numpy(dtype=float) / var_independent, np.nan)
    table = table.reset_index()
    table.insert(0, "scenario", scenario)
    table.insert(0, "baseline", baseline)
    return table
