"""Per-scenario statistics of each metric over replications: ``summary.csv``.

The statistics are those of `analysis.intervals.summarize_runs` (the one place the
Student-t interval over replications is computed): mean, sample standard deviation and the
95% interval mean +/- t(1 - alpha/2, n - 1) * s / sqrt(n) (Law, *Simulation Modeling and
Analysis*, 5th ed., section 9.4.1), then its half-width, relative half-width and the median,
minimum and maximum of the replication values. With a single replication the standard
deviation and the interval are undefined and reported as NaN.

Percentile KPIs (``...median_h``, ``...p90_h``, ``...p95_h``) are per-replication values like
any other metric, so their rows are the t-intervals of the per-replication percentiles: the
interval `analysis.intervals` documents for percentiles across replications.
"""

from __future__ import annotations

import pandas as pd

from analysis.intervals import summarize_runs

#: the columns every summary starts with (the output contract); more follow
COLUMNS = ["scenario", "metric", "mean", "std", "ci_low", "ci_high", "n"]


def summarize(runs: pd.DataFrame, confidence: float = 0.95) -> pd.DataFrame:
    """``summary.csv`` from a long runs table (scenario, replication, metric, value): one row
    per (scenario, metric) in the order they first appear, columns `COLUMNS` then
    half_width, relative_half_width, median, minimum, maximum."""
    return summarize_runs(runs, confidence).reset_index(drop=True)
