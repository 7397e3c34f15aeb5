"""Capacity curves and saturation from the stored results of a sweep.

The sweep designs (`Lever`, `grid`, `latin_hypercube`, `points_frame`) live in
`scenarios.sweeps`, where study files expand them into scenarios; they are re-exported here
for analysis code that builds its own designs.

Saturation rules (documented choice):
* KPI rule (`kpi_saturation`): the first load at which the KPI's confidence-interval lower
  bound exceeds `factor` times its mean at the lowest load swept, i.e. the load from which
  the KPI is confidently `factor`-fold its light-load value (factor 2 by default: waiting
  has become as long as the work itself). Use a KPI that is positive at light load, such as
  a sojourn or clearance time, not a pure waiting time.
* Utilisation rule (`utilization_saturation`): the first load at which the utilisation's
  interval lower bound reaches `threshold` (0.9 by default), i.e. servers are confidently
  90% busy, beyond which queues grow steeply (Kingman's approximation grows as ρ/(1-ρ)).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.intervals import interval_table
from scenarios.sweeps import Lever, Point, grid, latin_hypercube, levers_from, points_frame

__all__ = ["Lever", "Point", "Saturation", "capacity_curve", "grid", "kpi_saturation", "latin_hypercube",
           "levers_from", "point_results", "points_frame", "utilization_saturation"]


# ---- analysis of stored sweep results -------------------------------------------------

def point_results(runs: pd.DataFrame, scenarios: Sequence[str], metric: str) -> pd.DataFrame:
    """(point, replication, value) of `metric` from a long runs table, point i read from the
    scenario named `scenarios[i]` (the form `capacity_curve`, `analysis.sensitivity.tornado`
    and `outputs_matrix` read; identical points may share a scenario)."""
    points = pd.DataFrame({"point": range(len(scenarios)), "scenario": list(scenarios)})
    values = runs.loc[runs["metric"] == metric, ["scenario", "replication", "value"]]
    return points.merge(values, on="scenario", how="inner")[["point", "replication", "value"]]


def capacity_curve(results: pd.DataFrame, load: str, value: str = "value", confidence: float = 0.95) -> pd.DataFrame:
    """A KPI versus load: `results` has one row per (point, replication) with the point's
    `load` (arrival rate, daily volume ...) and the KPI `value`. Returns load, mean, std, n,
    half_width, ci_low, ci_high sorted by load."""
    table = interval_table(results, value, [load], confidence)
    return table.sort_values(load).reset_index(drop=True)


@dataclass(frozen=True)
class Saturation:
    """Where a capacity curve saturates (`load` None: not within the loads swept)."""

    load: float | None
    rule: str
    reference: float  # the value the rule compares with (light-load mean x factor, or threshold)


def kpi_saturation(curve: pd.DataFrame, load: str, factor: float = 2.0) -> Saturation:
    """KPI rule of the module docstring on a `capacity_curve` table."""
    if factor <= 1:
        raise ValueError(f"factor must be > 1, got {factor}")
    reference = factor * float(curve["mean"].iloc[0])
    above = curve["ci_low"].to_numpy() > reference
    load_value = float(curve[load].iloc[int(np.argmax(above))]) if above.any() else None
    return Saturation(load_value, f"CI lower bound > {factor:g}x the lowest-load mean", reference)


def utilization_saturation(curve: pd.DataFrame, load: str, threshold: float = 0.9) -> Saturation:
    """Utilisation rule of the module docstring on a `capacity_curve` table of utilisation."""
    above = curve["ci_low"].to_numpy() >= threshold
    load_value = float(curve[load].iloc[int(np.argmax(above))]) if above.any() else None
    return Saturation(load_value, f"utilisation CI lower bound >= {threshold:g}", threshold)
