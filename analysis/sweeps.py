"""Sweeps: sample points over policy levers (design), and capacity curves (analysis).

Design and analysis stay apart: `grid` and `latin_hypercube` only produce sample points,
each a dict of parameter-path overrides such as {"params.stations.0.servers": 3}, which
the study runner applies to a scenario and runs with the scenario's replications (the same
replication seeds at every point, so points are compared under common random numbers).
`capacity_curve` and the saturation rules read the stored results of such a sweep.

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

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import qmc

from analysis.intervals import interval_table

Point = dict[str, Any]


@dataclass(frozen=True)
class Lever:
    """A parameter a sweep varies: a list of `values`, or a range low..high (with `steps`
    grid points). `integer` levers (servers, trucks) take whole numbers only."""

    path: str
    low: float | None = None
    high: float | None = None
    steps: int | None = None
    values: tuple[Any, ...] | None = None
    integer: bool = False
    baseline: float | None = None
    label: str | None = None
    unit: str = ""

    def __post_init__(self) -> None:
        if self.values is not None:
            if len(self.values) == 0:
                raise ValueError(f"{self.path}: empty list of values")
            return
        if self.low is None or self.high is None:
            raise ValueError(f"{self.path}: give `values`, or `low` and `high`")
        if not self.low < self.high:
            raise ValueError(f"{self.path}: low {self.low} must be below high {self.high}")
        if self.steps is not None and self.steps < 2:
            raise ValueError(f"{self.path}: steps must be >= 2, got {self.steps}")

    @classmethod
    def from_mapping(cls, spec: Mapping[str, Any]) -> Lever:
        """A lever from a study file's table, e.g. {path = "...", low = 1, high = 5, steps = 5}."""
        known = {"path", "low", "high", "steps", "values", "integer", "baseline", "label", "unit"}
        unknown = set(spec) - known
        if unknown:
            raise ValueError(f"unknown lever keys {sorted(unknown)} (known: {sorted(known)})")
        if "path" not in spec:
            raise ValueError("a lever needs a `path`")
        arguments = dict(spec)
        if arguments.get("values") is not None:
            arguments["values"] = tuple(arguments["values"])
        return cls(**arguments)

    @property
    def name(self) -> str:
        return self.label or self.path

    @property
    def bounds(self) -> tuple[float, float]:
        """(low, high) of the range, or of the listed values."""
        if self.values is not None:
            return float(min(self.values)), float(max(self.values))
        assert self.low is not None and self.high is not None
        return float(self.low), float(self.high)

    def grid_values(self) -> list[Any]:
        """The listed values, or `steps` evenly spaced values from low to high (rounded and
        deduplicated for integer levers)."""
        if self.values is not None:
            return list(self.values)
        low, high = self.bounds
        if self.integer:
            steps = self.steps or int(high - low) + 1
            return sorted({round(v) for v in np.linspace(low, high, steps)})
        return [float(v) for v in np.linspace(low, high, self.steps or 5)]

    def from_unit(self, unit: np.ndarray) -> list[Any]:
        """Values for points u in [0, 1): stratum-preserving for integer and listed levers
        (each of the k values owns an equal slice of [0, 1))."""
        if self.values is not None:
            index = np.minimum((unit * len(self.values)).astype(int), len(self.values) - 1)
            return [self.values[i] for i in index]
        low, high = self.bounds
        if self.integer:
            cells = np.floor(low + unit * (high - low + 1)).astype(int)
            return [int(v) for v in np.minimum(cells, int(high))]
        return [float(v) for v in low + unit * (high - low)]


def levers_from(specs: Iterable[Lever | Mapping[str, Any]]) -> list[Lever]:
    levers = [spec if isinstance(spec, Lever) else Lever.from_mapping(spec) for spec in specs]
    paths = [lever.path for lever in levers]
    if len(set(paths)) != len(paths):
        raise ValueError(f"a lever path repeats: {paths}")
    if not levers:
        raise ValueError("a sweep needs at least one lever")
    return levers


def grid(levers: Iterable[Lever | Mapping[str, Any]]) -> list[Point]:
    """Full factorial grid over the levers (one or two in a study file); the first lever
    varies slowest. Point count = product of the levers' value counts."""
    chosen = levers_from(levers)
    axes = [lever.grid_values() for lever in chosen]
    return [{lever.path: value for lever, value in zip(chosen, combination)} for combination in itertools.product(*axes)]


def latin_hypercube(levers: Iterable[Lever | Mapping[str, Any]], samples: int, seed: int) -> list[Point]:
    """`samples` points of a Latin hypercube over the levers' ranges
    (`scipy.stats.qmc.LatinHypercube`, seeded): each lever's range is cut into `samples`
    equal strata and every stratum holds exactly one point."""
    chosen = levers_from(levers)
    if samples < 1:
        raise ValueError(f"samples must be >= 1, got {samples}")
    unit = qmc.LatinHypercube(d=len(chosen), rng=np.random.default_rng(seed)).random(samples)
    columns = [lever.from_unit(unit[:, j]) for j, lever in enumerate(chosen)]
    return [{lever.path: columns[j][i] for j, lever in enumerate(chosen)} for i in range(samples)]


def points_frame(points: Sequence[Point]) -> pd.DataFrame:
    """Sample points as a table (one row per point, index `point`, one column per path), the
    form in which a study stores its design next to the results."""
    frame = pd.DataFrame(list(points))
    frame.index.name = "point"
    return frame


# ---- analysis of stored sweep results -------------------------------------------------

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
