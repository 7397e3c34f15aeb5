"""Designs of experiments over levers: grid, Latin hypercube, one-at-a-time, Morris, Sobol.

A design is a set of sample points (dicts of parameter-path overrides) over levers'
ranges; a study file may declare one, and every point then runs as a scenario with the
same replications and root seed (common random numbers). Sensitivity samples come from
SALib (Herman & Usher 2017, JOSS 2(9)). This module only produces points; the analysis
modules read the stored outputs (`analysis.sweeps`: capacity curves; `analysis.sensitivity`:
tornado, Morris μ*, Sobol indices with noise-inclusive intervals). `Design.record` and
`Design.from_record` carry a design through the results folder's manifest as JSON.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from scenarios.sweeps import Lever, Point, grid, latin_hypercube, levers_from

METHODS = ("grid", "latin_hypercube", "one_at_a_time", "morris", "sobol")


@dataclass(frozen=True)
class Design:
    """Sample points of a sensitivity study, with what their analysis needs."""

    method: str  # "one_at_a_time", "morris" or "sobol"
    levers: tuple[Lever, ...]
    problem: Mapping[str, Any]  # SALib problem: num_vars, names, bounds
    matrix: np.ndarray  # points × levers, as sampled (before rounding integer levers)
    points: tuple[Point, ...]
    settings: Mapping[str, Any] = field(default_factory=dict)
    labels: pd.DataFrame | None = None  # one-at-a-time: point, lever, level, value

    def record(self) -> dict[str, Any]:
        """The design as JSON-ready data (NaN in the matrix becomes None)."""
        levers = []
        for lever in self.levers:
            entry = {key: getattr(lever, key) for key in LEVER_FIELDS}
            entry["values"] = list(lever.values) if lever.values is not None else None
            levers.append(entry)
        matrix = [[None if np.isnan(v) else float(v) for v in row] for row in np.asarray(self.matrix, dtype=float)]
        labels = None
        if self.labels is not None:
            labels = [{k: (None if isinstance(v, float) and np.isnan(v) else v) for k, v in row.items()}
                      for row in self.labels.to_dict("records")]
        return {"method": self.method, "levers": levers, "problem": dict(self.problem), "matrix": matrix,
                "points": [dict(point) for point in self.points], "settings": dict(self.settings), "labels": labels}

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> Design:
        """The design `record` describes (inverse of `record`)."""
        levers = tuple(Lever.from_mapping({k: v for k, v in entry.items() if v is not None})
                       for entry in record["levers"])
        matrix = np.array([[np.nan if v is None else v for v in row] for row in record["matrix"]], dtype=float)
        labels = pd.DataFrame(record["labels"]) if record.get("labels") is not None else None
        if labels is not None:
            labels["value"] = labels["value"].astype(float)
        return cls(record["method"], levers, dict(record["problem"]), matrix,
                   tuple(dict(point) for point in record["points"]), dict(record.get("settings") or {}), labels)


LEVER_FIELDS = ("path", "low", "high", "steps", "integer", "baseline", "label", "unit")


def problem(levers: Iterable[Lever | Mapping[str, Any]]) -> dict[str, Any]:
    """The SALib problem dict of the levers' ranges."""
    chosen = levers_from(levers)
    return {"num_vars": len(chosen), "names": [lever.path for lever in chosen],
            "bounds": [list(lever.bounds) for lever in chosen]}


def _numeric_matrix(levers: Sequence[Lever], points: Sequence[Point]) -> np.ndarray:
    """points × levers as floats; a listed value that is not a number becomes its index."""
    rows = []
    for point in points:
        row = []
        for lever in levers:
            value = point.get(lever.path)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                value = float(lever.values.index(value)) if lever.values and value in lever.values else np.nan
            row.append(float(value))
        rows.append(row)
    return np.array(rows, dtype=float).reshape(len(points), len(levers))


def grid_design(levers: Iterable[Lever | Mapping[str, Any]]) -> Design:
    """The full factorial grid of `scenarios.sweeps.grid` as a design."""
    chosen = tuple(levers_from(levers))
    points = grid(chosen)
    return Design("grid", chosen, _problem_or_empty(chosen), _numeric_matrix(chosen, points), tuple(points))


def latin_hypercube_design(levers: Iterable[Lever | Mapping[str, Any]], samples: int, seed: int) -> Design:
    """The Latin hypercube of `scenarios.sweeps.latin_hypercube` as a design."""
    chosen = tuple(levers_from(levers))
    points = latin_hypercube(chosen, samples, seed)
    return Design("latin_hypercube", chosen, _problem_or_empty(chosen), _numeric_matrix(chosen, points),
                  tuple(points), {"samples": samples, "seed": seed})


def _problem_or_empty(levers: Sequence[Lever]) -> dict[str, Any]:
    try:
        return problem(levers)
    except (TypeError, ValueError):  # listed values that are not numbers have no bounds
        return {"num_vars": len(levers), "names": [lever.path for lever in levers], "bounds": []}


def _points(levers: Sequence[Lever], matrix: np.ndarray) -> tuple[Point, ...]:
    columns = [[round(v) for v in matrix[:, j]] if lever.integer else [float(v) for v in matrix[:, j]]
               for j, lever in enumerate(levers)]
    return tuple({lever.path: columns[j][i] for j, lever in enumerate(levers)} for i in range(matrix.shape[0]))


def one_at_a_time_design(levers: Iterable[Lever | Mapping[str, Any]]) -> Design:
    """Point 0 is the scenario as given (no override, or each lever's `baseline` when set);
    then each lever alone at its low and at its high, the others at baseline."""
    chosen = tuple(levers_from(levers))
    base: Point = {lever.path: lever.baseline for lever in chosen if lever.baseline is not None}
    points: list[Point] = [dict(base)]
    labels = [{"point": 0, "lever": None, "level": "baseline", "value": np.nan}]
    for lever in chosen:
        for level, value in zip(("low", "high"), lever.bounds):
            value = round(value) if lever.integer else value
            points.append({**base, lever.path: value})
            labels.append({"point": len(points) - 1, "lever": lever.path, "level": level, "value": value})
    matrix = np.array([[point.get(lever.path, np.nan) for lever in chosen] for point in points], dtype=float)
    return Design("one_at_a_time", chosen, problem(chosen), matrix, tuple(points), labels=pd.DataFrame(labels))


def morris_design(levers: Iterable[Lever | Mapping[str, Any]], trajectories: int, seed: int,
                  levels: int = 4) -> Design:
    """Morris trajectories (`SALib.sample.morris.sample`): trajectories × (levers + 1) points.

    Integer levers are rounded in the points; choose `levels` so that the grid falls on whole
    numbers (high - low divisible by levels - 1), else their elementary effects are blurred.
    """
    chosen = tuple(levers_from(levers))
    spec = problem(chosen)
    from SALib.sample import morris as morris_sample  # imported here: SALib pulls in scipy.stats

    matrix = morris_sample.sample(spec, trajectories, num_levels=levels, seed=seed)
    return Design("morris", chosen, spec, matrix, _points(chosen, matrix), {"levels": levels, "seed": seed})


def sobol_design(levers: Iterable[Lever | Mapping[str, Any]], base_samples: int, seed: int,
                 second_order: bool = False) -> Design:
    """Saltelli's scheme (`SALib.sample.sobol.sample`): base_samples × (levers + 2) points
    (× (2·levers + 2) with second-order indices); base_samples a power of 2."""
    chosen = tuple(levers_from(levers))
    spec = problem(chosen)
    from SALib.sample import sobol as sobol_sample

    matrix = sobol_sample.sample(spec, base_samples, calc_second_order=second_order, seed=seed)
    return Design("sobol", chosen, spec, matrix, _points(chosen, matrix), {"second_order": second_order, "seed": seed})
