"""The ``[robustness]`` table of a study file: how to test its findings across assumptions.

::

    [robustness]
    points = 64              # sample points of the assumption space (Latin hypercube)
    replications = 3         # replications of every scenario at every point (common random numbers)
    horizon = 720.0          # optional: a shorter horizon (h) for the experiment, every group;
                             # or a table: baseline scenario name = hours
    max_runs = 20000         # optional: refuse an experiment of more runs than this
    seed = 7                 # optional: seeds the design (default: the study's seed)
    scenarios = ["bonded_pilot"]   # optional: test only these alternatives (default: all)
    parameters = ["params.stockout_share"]   # optional: vary only these (default: every
                             # parameter of the model with a plausible range)
    [robustness.ranges]      # optional: a range for a value the model declares none for
    "params.sources.0.rate" = [0.5, 0.8]     # (e.g. a scenario input), or a narrower one

The table is checked here as data; whether its parameters exist is checked against each
group's model when the experiment is built (`scenarios.robustness_design`). Every error
names the file and the key.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from scenarios.errors import ScenarioError
from sim.frozen import FrozenMapping

KEYS = ("points", "replications", "horizon", "max_runs", "seed", "scenarios", "parameters", "ranges")
#: the run budget when neither the study file nor the command line sets one
DEFAULT_MAX_RUNS = 20_000
#: used when the command line names scenario files instead of a study
DEFAULT_POINTS = 32
DEFAULT_REPLICATIONS = 3


@dataclass(frozen=True)
class RobustnessSettings:
    """A validated ``[robustness]`` table; `file` is the file it came from (for errors)."""

    file: str
    points: int = DEFAULT_POINTS
    replications: int = DEFAULT_REPLICATIONS
    #: hours for every group, or baseline scenario name -> hours; None: the study's horizons
    horizon: float | Mapping[str, float] | None = None
    max_runs: int = DEFAULT_MAX_RUNS
    seed: int | None = None
    #: key paths to vary (None: every ranged parameter)
    parameters: tuple[str, ...] | None = None
    #: names of the alternatives to test (None: every alternative of every group)
    scenarios: tuple[str, ...] | None = None
    #: key path -> (low, high) given in the file
    ranges: Mapping[str, tuple[float, float]] = field(default_factory=FrozenMapping)

    def horizon_of(self, baseline: str) -> float | None:
        if isinstance(self.horizon, Mapping):
            return self.horizon.get(baseline)
        return self.horizon

    def record(self) -> dict[str, Any]:
        return {"points": self.points, "replications": self.replications,
                "horizon": dict(self.horizon) if isinstance(self.horizon, Mapping) else self.horizon,
                "max_runs": self.max_runs, "seed": self.seed,
                "parameters": None if self.parameters is None else list(self.parameters),
                "scenarios": None if self.scenarios is None else list(self.scenarios),
                "ranges": {path: list(bounds) for path, bounds in self.ranges.items()}}


def read_robustness(file: str, data: Any, where: str = "robustness") -> RobustnessSettings:
    """The settings of the ``[robustness]`` table `data` of study file `file`."""
    if not isinstance(data, Mapping):
        raise ScenarioError(file, where, "must be a table (points, replications, ...)")
    for key in data:
        if key not in KEYS:
            raise ScenarioError(file, f"{where}.{key}", f"unknown key (known keys: {', '.join(KEYS)})")
    for key in ("points", "replications"):
        if key not in data:
            raise ScenarioError(file, f"{where}.{key}", "missing (required)")
    points = _integer(file, f"{where}.points", data["points"], 2)
    replications = _integer(file, f"{where}.replications", data["replications"], 1)
    max_runs = _integer(file, f"{where}.max_runs", data.get("max_runs", DEFAULT_MAX_RUNS), 1)
    seed = _integer(file, f"{where}.seed", data["seed"], 0) if "seed" in data else None
    horizon = _horizon(file, f"{where}.horizon", data["horizon"]) if "horizon" in data else None
    parameters = _parameters(file, f"{where}.parameters", data["parameters"]) if "parameters" in data else None
    ranges = _ranges(file, f"{where}.ranges", data.get("ranges", {}))
    scenarios = _names(file, f"{where}.scenarios", data["scenarios"]) if "scenarios" in data else None
    return RobustnessSettings(file, points, replications, horizon, max_runs, seed, parameters, scenarios,
                              FrozenMapping(ranges))


def _integer(file: str, where: str, value: Any, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ScenarioError(file, where, f"must be an integer >= {minimum}, got {value!r}")
    return value


def _hours(file: str, where: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
        raise ScenarioError(file, where, f"must be a number of hours > 0, got {value!r}")
    return float(value)


def _horizon(file: str, where: str, value: Any) -> float | Mapping[str, float]:
    if isinstance(value, Mapping):
        return FrozenMapping({str(name): _hours(file, f"{where}.{name}", hours) for name, hours in value.items()})
    return _hours(file, where, value)


def _key_path(file: str, where: str, value: Any) -> str:
    if not isinstance(value, str) or not value.startswith("params.") or ".." in value or value.endswith("."):
        raise ScenarioError(file, where, f"must be a parameter key like params.stockout_share, got {value!r}")
    return value


def _parameters(file: str, where: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise ScenarioError(file, where, "must be a non-empty list of parameter keys")
    paths = tuple(_key_path(file, f"{where}[{i}]", item) for i, item in enumerate(value))
    if len(set(paths)) != len(paths):
        raise ScenarioError(file, where, "a parameter is listed twice")
    return paths


def _names(file: str, where: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or not all(isinstance(item, str) and item for item in value):
        raise ScenarioError(file, where, "must be a non-empty list of scenario names")
    return tuple(value)


def _ranges(file: str, where: str, value: Any) -> dict[str, tuple[float, float]]:
    if not isinstance(value, Mapping):
        raise ScenarioError(file, where, "must be a table of parameter key = [low, high]")
    ranges = {}
    for path, bounds in value.items():
        at = f"{where}.{path}"
        _key_path(file, at, path)
        if (not isinstance(bounds, list) or len(bounds) != 2
                or not all(isinstance(b, (int, float)) and not isinstance(b, bool) and math.isfinite(b)
                           for b in bounds)):
            raise ScenarioError(file, at, f"must be [low, high] (two numbers), got {bounds!r}")
        low, high = float(bounds[0]), float(bounds[1])
        if low > high:
            raise ScenarioError(file, at, f"low {low:g} > high {high:g}")
        ranges[path] = (low, high)
    return ranges
