"""Per-scenario statistics of each metric over replications: ``summary.csv``.

The interval is the Student-t confidence interval of the mean over independent
replications, mean +/- t(1 - alpha/2, n - 1) * s / sqrt(n) (e.g. Law, *Simulation
Modeling and Analysis*, 5th ed., section 9.4.1). With a single replication the standard
deviation and the interval are undefined and reported as NaN.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

COLUMNS = ["scenario", "metric", "mean", "std", "ci_low", "ci_high", "n"]


def half_width(std: np.ndarray | pd.Series, n: np.ndarray | pd.Series, confidence: float = 0.95) -> np.ndarray:
    """t-interval half-width for sample standard deviations `std` of `n` values each
    (NaN where n < 2)."""
    n = np.asarray(n, dtype=float)
    std = np.asarray(std, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        quantile = stats.t.ppf(0.5 + confidence / 2, np.where(n >= 2, n - 1, np.nan))
        return np.where(n >= 2, quantile * std / np.sqrt(n), np.nan)


def summarize(runs: pd.DataFrame, confidence: float = 0.95) -> pd.DataFrame:
    """Mean, sample standard deviation, t-interval and count per (scenario, metric), in
    the order scenarios and metrics first appear in `runs`."""
    grouped = runs.groupby(["scenario", "metric"], sort=False)["value"]
    table = grouped.agg(mean="mean", std=lambda v: v.std(ddof=1) if len(v) > 1 else np.nan, n="count").reset_index()
    width = half_width(table["std"], table["n"], confidence)
    table["ci_low"] = table["mean"] - width
    table["ci_high"] = table["mean"] + width
    return table[COLUMNS]
