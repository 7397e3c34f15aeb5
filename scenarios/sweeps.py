"""Sweep designs: sample points over policy levers (grid and Latin hypercube).

A study file may declare a sweep; each sample point is a dict of parameter-path overrides
such as {"params.stations.0.servers": 3}, applied to the group's baseline scenario file and
run with the same replications and root seed as every other point (common random numbers).
This module only produces points: it is pure data and knows no results. The analysis of
sweep results (capacity curves, saturation) is in `analysis.sweeps`.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

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
    def key(self) -> str:
        """Short name used in the names of sample-point scenarios: the label without spaces,
        else the path without its leading ``params.``."""
        if self.label:
            return "_".join(self.label.split())
        return self.path.removeprefix("params.")

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
    from scipy.stats import qmc  # imported here: scipy.stats takes long to import

    unit = qmc.LatinHypercube(d=len(chosen), rng=np.random.default_rng(seed)).random(samples)
    columns = [lever.from_unit(unit[:, j]) for j, lever in enumerate(chosen)]
    return [{lever.path: columns[j][i] for j, lever in enumerate(chosen)} for i in range(samples)]


def points_frame(points: Sequence[Point]) -> pd.DataFrame:
    """Sample points as a table (one row per point, index `point`, one column per path), the
    form in which a study stores its design next to the results."""
    frame = pd.DataFrame(list(points))
    frame.index.name = "point"
    return frame
