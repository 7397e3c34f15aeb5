"""Confidence intervals over independent replications.

Every replication of a scenario gives one observation of each KPI (a per-replication
mean, percentile, count ...). Replications are independent and identically distributed,
so the classical t-interval applies to their mean (Law, *Simulation Modeling and
Analysis*, 5th ed., 2015, §9.4.1, eq. 9.1 and §4.5):

    X̄(n) ± t_{n-1, 1-α/2} · sqrt(S²(n) / n)

with X̄(n) the mean and S²(n) the sample variance (ddof = 1) of the n replication values.

Percentiles (median, p90, p95) of an entity-level quantity such as a clearance time are
treated the same way: each replication's empirical percentile is one observation, and the
interval is the t-interval of the mean of those per-replication percentiles. It covers the
expected per-replication percentile estimate, which equals the long-run percentile up to
the small-sample bias of an empirical quantile (negligible when each replication holds
hundreds of entities; with few entities per replication the interval is for the
per-replication quantity). Pooling all entities of all replications into one sample
would understate the uncertainty, because entities within a replication are correlated.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

#: percentiles reported for entity-level quantities, as (column name, quantile)
PERCENTILES: tuple[tuple[str, float], ...] = (("median", 0.5), ("p90", 0.9), ("p95", 0.95))


@dataclass(frozen=True)
class Interval:
    """A t-interval of a mean over n replications."""

    mean: float
    std: float
    n: int
    half_width: float
    confidence: float

    @property
    def low(self) -> float:
        return self.mean - self.half_width

    @property
    def high(self) -> float:
        return self.mean + self.half_width

    @property
    def relative_half_width(self) -> float:
        """Half-width over |mean| (Law §9.4.1's relative error); inf when the mean is 0."""
        return self.half_width / abs(self.mean) if self.mean != 0 else float("inf")


def t_quantile(n: np.ndarray | int, confidence: float = 0.95) -> np.ndarray | float:
    """t_{n-1, 1-α/2} for n replications (NaN where n < 2)."""
    n = np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore"):
        quantile = stats.t.ppf(0.5 + confidence / 2, np.where(n >= 2, n - 1, np.nan))
    return quantile if quantile.ndim else float(quantile)


def t_interval(values: Sequence[float] | np.ndarray, confidence: float = 0.95) -> Interval:
    """t-interval of the mean of independent replication values (NaNs are ignored).

    With one value the half-width is NaN: one replication says nothing about its spread.
    """
    data = np.asarray(values, dtype=float)
    data = data[~np.isnan(data)]
    n = data.size
    if n == 0:
        return Interval(float("nan"), float("nan"), 0, float("nan"), confidence)
    mean = float(data.mean())
    std = float(data.std(ddof=1)) if n > 1 else float("nan")
    half_width = float(t_quantile(n, confidence)) * std / np.sqrt(n) if n > 1 else float("nan")
    return Interval(mean, std, n, half_width, confidence)


def percentile_interval(samples: Sequence[np.ndarray], quantile: float, confidence: float = 0.95) -> Interval:
    """Interval of a percentile from per-replication samples (one array per replication):
    each replication's empirical `quantile` is one observation (module docstring)."""
    per_replication = [np.quantile(sample, quantile) for sample in samples if len(sample)]
    return t_interval(per_replication, confidence)


def interval_table(frame: pd.DataFrame, value: str, by: Sequence[str], confidence: float = 0.95) -> pd.DataFrame:
    """Grouped t-intervals: one row per group of `by` with columns
    mean, std, n, half_width, ci_low, ci_high, where each row of `frame` is one replication's
    observation `value`. Vectorised over groups (one groupby, one t.ppf call)."""
    grouped = frame.groupby(list(by), sort=False, observed=True)[value]
    table = grouped.agg(mean="mean", std="std", n="count").reset_index()
    table["n"] = table["n"].astype(int)
    quantile = t_quantile(table["n"].to_numpy(), confidence)
    table["half_width"] = quantile * table["std"].to_numpy() / np.sqrt(table["n"].to_numpy())
    table["ci_low"] = table["mean"] - table["half_width"]
    table["ci_high"] = table["mean"] + table["half_width"]
    return table


def percentile_table(
    frame: pd.DataFrame,
    value: str,
    by: Sequence[str],
    replication: str = "replication",
    percentiles: Sequence[tuple[str, float]] = PERCENTILES,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Percentile intervals of an entity-level quantity: `frame` has one row per entity
    with its `replication`; per group of `by` and each named percentile, the t-interval of the
    per-replication percentiles. Long result: `by`, statistic, mean, std, n, half_width,
    ci_low, ci_high (n counts replications)."""
    keys = [*by, replication]
    quantiles = [q for _, q in percentiles]
    per_replication = frame.groupby(keys, sort=False, observed=True)[value].quantile(quantiles)
    per_replication.index = per_replication.index.set_names([*keys, "statistic"])
    per_replication = per_replication.rename("estimate").reset_index()
    names = {q: name for name, q in percentiles}
    per_replication["statistic"] = per_replication["statistic"].map(names)
    return interval_table(per_replication, "estimate", [*by, "statistic"], confidence)


def summarize_runs(runs: pd.DataFrame, confidence: float = 0.95, by: Sequence[str] = ("scenario", "metric"),
                   value: str = "value") -> pd.DataFrame:
    """The `summary.csv` layout from a long runs table (scenario, replication, metric, value):
    scenario, metric, mean, std, ci_low, ci_high, n, half_width, relative_half_width, plus the
    median, minimum and maximum of the replication values."""
    table = interval_table(runs, value, by, confidence)
    spread = runs.groupby(list(by), sort=False, observed=True)[value].agg(
        median="median", minimum="min", maximum="max").reset_index()
    table = table.merge(spread, on=list(by), how="left")
    with np.errstate(divide="ignore", invalid="ignore"):
        table["relative_half_width"] = table["half_width"] / table["mean"].abs()
    columns = [*by, "mean", "std", "ci_low", "ci_high", "n", "half_width", "relative_half_width",
               "median", "minimum", "maximum"]
    return table[columns]
