"""Paired comparison of scenarios with their baseline: ``comparisons.csv``.

Scenarios of a study share the root seed, so replication r of every scenario sees the
same arrivals (common random numbers). The difference scenario - baseline is taken
replication by replication and its mean gets a t-interval (Law, *Simulation Modeling
and Analysis*, 5th ed., section 10.2.1, paired-t). `variance_reduction` is
1 - Var(paired difference) / (Var(baseline) + Var(scenario)): the share of the variance
independent runs would have had that common random numbers removed (Law section 11.2).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from analysis.summarize import half_width

COLUMNS = [
    "baseline", "scenario", "metric", "baseline_mean", "scenario_mean", "diff_mean", "diff_ci_low",
    "diff_ci_high", "rel_change", "n", "var_paired", "var_independent", "variance_reduction",
]


def compare(runs: pd.DataFrame, pairs: Iterable[tuple[str, str]], confidence: float = 0.95) -> pd.DataFrame:
    """One row per (baseline, scenario, metric) over the replications both have."""
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
    }).reset_index()
    width = half_width(np.sqrt(table["var_paired"]), table["n"], confidence)
    table["diff_ci_low"] = table["diff_mean"] - width
    table["diff_ci_high"] = table["diff_mean"] + width
    with np.errstate(invalid="ignore", divide="ignore"):
        table["rel_change"] = np.where(table["baseline_mean"] != 0, table["diff_mean"] / table["baseline_mean"], np.nan)
        table["variance_reduction"] = np.where(
            table["var_independent"] > 0, 1 - table["var_paired"] / table["var_independent"], np.nan
        )
    table.insert(0, "scenario", scenario)
    table.insert(0, "baseline", baseline)
    return table
