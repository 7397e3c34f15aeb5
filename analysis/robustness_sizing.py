"""Sizing a robustness experiment: replications per point from a study's paired noise.

Points: at least `analysis.robustness.MIN_POINTS` (30), below which labels are indicative.

Replications R per point: at a point, "holds" compares the mean paired effect over R
replications with the practical threshold T. Its noise is s / sqrt(R), with s the standard
deviation of one replication's paired difference (common random numbers), which a study's
``comparisons.csv`` gives as sqrt(var_paired). A point whose true effect lies one threshold
beyond the line is then judged right with probability Phi(T sqrt(R) / s); asking
s / sqrt(R) <= T / z gives R = ceil((z s / T)^2), and z = 2 makes that probability 97.7%.
Points nearer the line are misjudged more often, which blurs a condition's threshold by
about s / sqrt(R) in effect units: the synthetic check of `MIN_POINTS` recovers thresholds
through noise of that size.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd


def replications_needed(comparisons: pd.DataFrame, thresholds: Mapping[str, float], z: float = 2.0) -> pd.DataFrame:
    """Per (scenario, metric) of `comparisons` with a positive threshold: the paired
    standard deviation of one replication, the threshold, and R = max(1, ceil((z s / T)^2))."""
    rows = []
    for row in comparisons.itertuples():
        threshold = thresholds.get(row.metric)
        if threshold is None or not threshold > 0 or not np.isfinite(row.var_paired):
            continue
        spread = math.sqrt(max(float(row.var_paired), 0.0))
        rows.append({"baseline": row.baseline, "scenario": row.scenario, "metric": row.metric,
                     "paired_sd": spread, "threshold": float(threshold),
                     "replications": max(1, math.ceil((z * spread / threshold) ** 2))})
    return pd.DataFrame(rows, columns=["baseline", "scenario", "metric", "paired_sd", "threshold", "replications"])
