"""The ``sweep`` table of a study group: a design over levers, expanded into scenarios.

A group may vary levers of its baseline scenario instead of (or besides) listing
scenario files::

    [[groups]]
    baseline = "../queue_network/example.toml"
    [groups.sweep]
    design = "grid"                  # grid | latin_hypercube | one_at_a_time | morris | sobol
    metrics = ["system.sojourn_mean_h"]  # KPIs the report analyses (default: the model's headline metrics)
    [[groups.sweep.levers]]
    path = "params.sources.0.rate"   # a --set key of the baseline file
    low = 5.0
    high = 9.0
    steps = 5                        # or: values = [5.0, 7.0, 9.0]
    label = "arrival rate"
    unit = "1/h"

A grid takes one or two levers (a capacity curve is a grid over a load lever);
``latin_hypercube`` needs ``samples``; ``morris`` needs ``trajectories`` (and ``levels``,
default 4); ``sobol`` needs ``base_samples`` (a power of 2; ``second_order``, default false).
``seed`` seeds the design (default: the study's seed). A lever of a one-at-a-time, Morris or
Sobol design may omit ``low`` and ``high``: they are then the parameter's documented range
(its ``param(low=, high=)``), and ``integer`` and ``unit`` follow the parameter's type and
unit too.

Each sample point becomes a scenario named ``<baseline name>@<lever>=<value>,...`` (the
lever's label, or its path without ``params.``) that runs with the study's replications and
root seed, so all points see the same random numbers. Identical points share one scenario.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, get_args, get_origin, get_type_hints

from models import current_metric, get_spec
from scenarios.designs import (
    METHODS,
    Design,
    grid_design,
    latin_hypercube_design,
    morris_design,
    one_at_a_time_design,
    sobol_design,
)
from scenarios.errors import ScenarioError
from scenarios.loader import Scenario, scenario_from_mapping
from scenarios.sweeps import Lever, Point

SWEEP_KEYS = ("design", "levers", "metrics", "samples", "trajectories", "levels", "base_samples", "second_order",
              "seed")
LEVER_KEYS = ("path", "low", "high", "steps", "values", "integer", "baseline", "label", "unit")
#: settings each design needs (the rest are refused, so a typo is not silently ignored)
DESIGN_SETTINGS = {
    "grid": (),
    "latin_hypercube": ("samples", "seed"),
    "one_at_a_time": (),
    "morris": ("trajectories", "levels", "seed"),
    "sobol": ("base_samples", "second_order", "seed"),
}


@dataclass(frozen=True, eq=False)
class Sweep:
    """A design around a group's baseline and the scenario that runs each of its points."""

    baseline: str
    model: str
    design: Design
    scenarios: tuple[str, ...]  # scenario name of point i
    metrics: tuple[str, ...]

    def record(self) -> dict[str, Any]:
        """JSON-ready description, stored in the manifest for the report."""
        return {"baseline": self.baseline, "model": self.model, "design": self.design.record(),
                "scenarios": list(self.scenarios), "metrics": list(self.metrics)}

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> Sweep:
        return cls(record["baseline"], record["model"], Design.from_record(record["design"]),
                   tuple(record["scenarios"]), tuple(record.get("metrics") or ()))


def expand_sweep(label: str, where: str, data: Any, baseline: Scenario, seed: int) -> tuple[Sweep, list[Scenario]]:
    """The sweep declared by `data` (the group's ``sweep`` table at `where` in study file
    `label`) around `baseline` (loaded with the study's and the group's run overrides, which
    every point keeps), and one scenario per distinct point; `seed` is the default design seed."""
    if not isinstance(data, Mapping):
        raise ScenarioError(label, where, "must be a table (design, levers, ...)")
    for key in data:
        if key not in SWEEP_KEYS:
            raise ScenarioError(label, f"{where}.{key}", f"unknown key (known keys: {', '.join(SWEEP_KEYS)})")
    method = data.get("design")
    if method not in METHODS:
        raise ScenarioError(label, f"{where}.design", f"must be one of {', '.join(METHODS)}, got {method!r}")
    for key in data:
        if key not in ("design", "levers", "metrics") and key not in DESIGN_SETTINGS[method]:
            raise ScenarioError(label, f"{where}.{key}", f"not a setting of a {method} design "
                                f"(it takes {', '.join(DESIGN_SETTINGS[method]) or 'none'})")
    levers = _levers(label, where, data.get("levers"), baseline, documented=method not in ("grid", "latin_hypercube"))
    metrics = data.get("metrics", [])
    if not isinstance(metrics, list) or not all(isinstance(m, str) and m for m in metrics):
        raise ScenarioError(label, f"{where}.metrics", "must be a list of metric names")
    try:
        design = _design(label, where, method, levers, data, seed)
    except ValueError as error:
        raise ScenarioError(label, where, str(error)) from None
    try:
        scenarios = point_scenarios(baseline, design, origin=f"{label} ({where})")
    except ScenarioError as error:
        raise ScenarioError(label, where, error.reason) from None
    names = tuple(scenario.name for scenario in scenarios)
    metrics = [current_metric(baseline.model, metric) for metric in metrics]
    return Sweep(baseline.name, baseline.model, design, names, tuple(metrics)), list({s.name: s for s in scenarios}.values())


def point_scenarios(baseline: Scenario, design: Design, overrides: Sequence[tuple[str, Any]] = (),
                    origin: str = "the sweep") -> list[Scenario]:
    """The scenario of each point of `design` (index-aligned; identical points share one
    scenario object): `baseline` exactly as loaded (its file, `extends` and overrides),
    then `overrides`, then the point's values, named by `point_names`. A point without
    overrides is `baseline` itself. For notebooks as well as study files; every scenario
    keeps the baseline's seed, so the points share random numbers."""
    names = point_names(baseline.name, design.levers, design.points)
    made: dict[str, Scenario] = {}
    for index, (name, point) in enumerate(zip(names, design.points)):
        if name in made:
            continue
        if not point and not overrides:
            made[name] = baseline
            continue
        try:
            scenario = scenario_from_mapping(baseline.resolved, source=f"{origin}, point {index}",
                                             overrides=[*overrides, *point.items(), ("name", name)])
        except ScenarioError as error:
            raise ScenarioError(origin, "sweep", f"point {index} ({name}) is not a valid scenario: {error}") from None
        made[name] = dataclasses.replace(scenario, path=baseline.path, files=baseline.files)
    return [made[name] for name in names]


def _design(label: str, where: str, method: str, levers: list[Lever], data: Mapping[str, Any], seed: int) -> Design:
    design_seed = _integer(label, f"{where}.seed", data.get("seed", seed), 0)
    if method == "grid":
        if len(levers) > 2:
            raise ScenarioError(label, f"{where}.levers", f"a grid takes one or two levers, got {len(levers)} "
                                "(use latin_hypercube for more)")
        return grid_design(levers)
    if method == "latin_hypercube":
        return latin_hypercube_design(levers, _integer(label, f"{where}.samples", data.get("samples"), 1), design_seed)
    if method == "one_at_a_time":
        return one_at_a_time_design(levers)
    if method == "morris":
        trajectories = _integer(label, f"{where}.trajectories", data.get("trajectories"), 2)
        levels = _integer(label, f"{where}.levels", data.get("levels", 4), 2)
        return morris_design(levers, trajectories, design_seed, levels)
    base_samples = _integer(label, f"{where}.base_samples", data.get("base_samples"), 2)
    if base_samples & (base_samples - 1):
        raise ScenarioError(label, f"{where}.base_samples", f"must be a power of 2, got {base_samples}")
    second_order = data.get("second_order", False)
    if not isinstance(second_order, bool):
        raise ScenarioError(label, f"{where}.second_order", f"must be true or false, got {second_order!r}")
    return sobol_design(levers, base_samples, design_seed, second_order)


def _integer(label: str, where: str, value: Any, minimum: int) -> int:
    if value is None:
        raise ScenarioError(label, where, "missing (required for this design)")
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ScenarioError(label, where, f"must be an integer >= {minimum}, got {value!r}")
    return value


def _levers(label: str, where: str, specs: Any, baseline: Scenario, documented: bool) -> list[Lever]:
    if not isinstance(specs, list) or not specs:
        raise ScenarioError(label, f"{where}.levers", "missing: a sweep needs at least one [[...levers]] entry")
    params_class = get_spec(baseline.model).params_type
    levers = []
    for i, spec in enumerate(specs):
        at = f"{where}.levers[{i}]"
        if not isinstance(spec, Mapping):
            raise ScenarioError(label, at, "must be a table with a path")
        for key in spec:
            if key not in LEVER_KEYS:
                raise ScenarioError(label, f"{at}.{key}", f"unknown key (known keys: {', '.join(LEVER_KEYS)})")
        path = spec.get("path")
        if not isinstance(path, str) or not path.startswith(("params.", "run.")):
            raise ScenarioError(label, f"{at}.path", f"must be a key like params.stations.0.servers, got {path!r}")
        entry = dict(spec)
        declared = documented_parameter(params_class, path)
        if declared is not None:  # whole numbers and the unit follow the parameter's declaration
            entry.setdefault("integer", declared.integer)
            if declared.unit:
                entry.setdefault("unit", declared.unit)
        if "values" not in entry and ("low" not in entry or "high" not in entry) and documented:
            entry = _with_documented_range(label, at, entry, declared)
        try:
            levers.append(Lever.from_mapping(entry))
        except (TypeError, ValueError) as error:
            raise ScenarioError(label, at, str(error)) from None
    paths = [lever.path for lever in levers]
    if len(set(paths)) != len(paths):
        raise ScenarioError(label, f"{where}.levers", f"a lever path repeats: {paths}")
    return levers


def _with_documented_range(label: str, where: str, spec: dict[str, Any], declared: Documented | None) -> dict[str, Any]:
    """`spec` with low and high from the parameter's declaration."""
    if declared is None:
        raise ScenarioError(label, f"{where}.path", f"{spec['path']} is not a documented numeric parameter; "
                            "give low and high")
    if declared.low is None or declared.high is None:
        shown = f"{'(' if declared.low_open else '['}{'' if declared.low is None else declared.low}, " \
                f"{'' if declared.high is None else declared.high}]"
        raise ScenarioError(label, where, f"the documented range of {spec['path']} is {shown}, open on one side; "
                            "give low and high")
    return {"low": declared.low, "high": declared.high, **spec}


@dataclass(frozen=True)
class Documented:
    """What a parameter's `param(...)` declares about a number."""

    low: float | None
    high: float | None
    low_open: bool
    integer: bool
    unit: str


def documented_parameter(params_class: type, path: str) -> Documented | None:
    """The declaration of the number at `path` (a ``--set`` key such as
    ``params.stations.0.servers``) in `params_class`, or None when the path does not lead
    to a documented number."""
    parts = path.split(".")
    if parts[0] != "params":
        return None
    hint: Any = params_class
    metadata: Mapping[str, Any] = {}
    for part in parts[1:]:
        origin = get_origin(hint)
        if dataclasses.is_dataclass(hint):
            fields = {f.name: f for f in dataclasses.fields(hint)}
            if part not in fields:
                return None
            metadata = fields[part].metadata
            hint = get_type_hints(hint)[part]
        elif origin is tuple and part.isdigit():
            hint = get_args(hint)[0]
        elif origin in (Mapping, dict):
            hint = get_args(hint)[1]
        else:
            return None
    if hint not in (int, float):
        return None
    return Documented(metadata.get("low"), metadata.get("high"), bool(metadata.get("low_open")), hint is int,
                      metadata.get("unit", ""))


def point_names(baseline: str, levers: Sequence[Lever], points: Sequence[Point]) -> list[str]:
    """``<baseline>@<lever>=<value>,...`` for each point (``<baseline>`` for an empty
    point); a name shared by points with different values gets ``#<point index>``."""
    names: list[str] = []
    seen: dict[str, Point] = {}
    for index, point in enumerate(points):
        parts = [f"{lever.key}={_show(point[lever.path])}" for lever in levers if lever.path in point]
        name = f"{baseline}@{','.join(parts)}" if parts else baseline
        if name in seen and seen[name] != point:
            name = f"{name}#{index}"
        seen.setdefault(name, point)
        names.append(name)
    return names


def _show(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)
