"""The robustness experiment's design: which assumptions vary, where, and the scenario at
every point.

Per group (a baseline and the alternatives compared with it), the assumption space is the
model's parameters with a plausible range (`sim.assumptions`), with the ranges a study's
``[robustness.ranges]`` adds, narrowed to its ``parameters`` when listed. Two kinds of
ranged parameter are held at their scenario value instead, and listed with the reason: a
parameter the alternatives set differently from the baseline (a lever of the comparison,
not an assumption) and one the baseline sets outside its plausible range on purpose (a
peak scenario's volume). A Latin hypercube (`scipy.stats.qmc`, seeded) samples the space;
point 0 is the nominal point (the scenarios as written). At every point the baseline and
each alternative get the same assumption values; a sampled distribution mean scales the
distribution, keeping its shape. The run count is checked against the budget before any
scenario is built; every point scenario is validated before anything runs.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, get_type_hints

import numpy as np

from scenarios.errors import ScenarioError
from scenarios.loader import Scenario, scenario_from_mapping
from scenarios.robustness import RobustnessSettings
from sim.assumptions import assumptions
from sim.distributions import KINDS, Distribution


@dataclass(frozen=True)
class Factor:
    """An assumption the experiment varies in one group."""

    path: str
    low: float
    high: float
    unit: str
    label: str
    reason: str
    nominal: float  # the value (a distribution: its mean) in the group's baseline
    integer: bool = False
    distribution: bool = False


@dataclass(frozen=True)
class GroupInput:
    """A comparison to test: a baseline, its alternatives, the headline metrics (empty: the
    model's own)."""

    baseline: Scenario
    alternatives: tuple[Scenario, ...]
    headline: tuple[str, ...] = ()


@dataclass(frozen=True, eq=False)
class GroupDesign:
    index: int
    model: str
    baseline: str
    alternatives: tuple[str, ...]
    headline: tuple[str, ...]
    factors: tuple[Factor, ...]
    held: tuple[tuple[str, str], ...]  # (key path, why it is not varied)
    values: np.ndarray  # (points + 1) x factors; row 0 is the nominal point
    scenarios: tuple[tuple[Scenario, ...], ...]  # per point: (baseline, *alternatives)
    horizon: float | None


@dataclass(frozen=True, eq=False)
class Experiment:
    settings: RobustnessSettings
    seed: int
    groups: tuple[GroupDesign, ...]
    skipped: tuple[tuple[str, str], ...]  # (baseline, why the group is not tested)

    @property
    def scenarios(self) -> tuple[Scenario, ...]:
        return tuple(s for group in self.groups for point in group.scenarios for s in point)

    @property
    def runs(self) -> int:
        return len(self.scenarios) * self.settings.replications

    def members(self) -> list[dict[str, Any]]:
        """One row per run scenario: group, point, the study scenario it stands for, its run name."""
        return [{"group": g.index, "point": p, "role": role, "run": scenario.name}
                for g in self.groups for p, point in enumerate(g.scenarios)
                for role, scenario in zip((g.baseline, *g.alternatives), point)]

    def points(self) -> list[dict[str, Any]]:
        """One row per (group, point) with the value of every factor, by key path."""
        return [{"group": g.index, "point": p, **{f.path: float(v) for f, v in zip(g.factors, row)}}
                for g in self.groups for p, row in enumerate(g.values)]

    def record(self) -> dict[str, Any]:
        return {"settings": self.settings.record(), "seed": self.seed, "runs": self.runs,
                "skipped": [list(item) for item in self.skipped],
                "groups": [{"index": g.index, "model": g.model, "baseline": g.baseline,
                            "alternatives": list(g.alternatives), "headline": list(g.headline),
                            "horizon": g.horizon, "factors": [dataclasses.asdict(f) for f in g.factors],
                            "held": [list(item) for item in g.held]} for g in self.groups]}


def design_experiment(inputs: Sequence[GroupInput], settings: RobustnessSettings, seed: int,
                      max_runs: int | None = None) -> Experiment:
    """The experiment over `inputs` (groups without alternatives or assumptions are skipped,
    with the reason); `max_runs` (the command line's) overrides the settings' budget."""
    file = settings.file
    _check_known(file, settings, inputs)
    inputs = _chosen(file, settings, inputs)
    planned, skipped = [], []
    for index, group in enumerate(inputs):
        if not group.alternatives:
            skipped.append((group.baseline.name, "no alternative to compare with"))
            continue
        factors, held = _factors(file, settings, group)
        if not factors:
            skipped.append((group.baseline.name, "no parameter of its model has a plausible range to vary"))
            continue
        planned.append((index, group, factors, held))
    if not planned:
        reasons = "; ".join(f"{name}: {why}" for name, why in skipped)
        raise ScenarioError(file, "robustness", f"nothing to test ({reasons})")
    runs = sum((settings.points + 1) * (1 + len(group.alternatives)) for _, group, _, _ in planned) * settings.replications
    budget = settings.max_runs if max_runs is None else max_runs
    if runs > budget:
        where = "robustness.max_runs" if max_runs is None else "--max-runs"
        raise ScenarioError(file, where, f"the experiment needs {runs:,} runs ((points + 1) x scenarios x "
                            f"{settings.replications} replications), above the budget of {budget:,}; lower "
                            f"points or replications, or raise {where}")
    design_seed = seed if settings.seed is None else settings.seed
    groups = tuple(_group(file, settings, index, group, factors, held, design_seed)
                   for index, group, factors, held in planned)
    return Experiment(settings, seed, groups, tuple(skipped))


def _chosen(file: str, settings: RobustnessSettings, inputs: Sequence[GroupInput]) -> list[GroupInput]:
    """`inputs` with only the alternatives the table names (all when it names none)."""
    if settings.scenarios is None:
        return list(inputs)
    known = {s.name for group in inputs for s in group.alternatives}
    for i, name in enumerate(settings.scenarios):
        if name not in known:
            raise ScenarioError(file, f"robustness.scenarios[{i}]", f"{name!r} is not an alternative of the study "
                                f"(alternatives: {', '.join(sorted(known))})")
    return [dataclasses.replace(group, alternatives=tuple(s for s in group.alternatives if s.name in settings.scenarios))
            for group in inputs]


def _check_known(file: str, settings: RobustnessSettings, inputs: Sequence[GroupInput]) -> None:
    """Every key the table names must be a parameter of some group's model."""
    named = [(f"robustness.parameters[{i}]", path) for i, path in enumerate(settings.parameters or ())]
    named += [(f"robustness.ranges.{path}", path) for path in settings.ranges]
    models = sorted({group.baseline.model for group in inputs})
    for where, path in named:
        if not any(_declaration(group.baseline.params, path) is not None for group in inputs):
            raise ScenarioError(file, where, f"unknown parameter {path} (not a number or distribution of model "
                                f"{', '.join(models)})")


def _factors(file: str, settings: RobustnessSettings,
             group: GroupInput) -> tuple[tuple[Factor, ...], tuple[tuple[str, str], ...]]:
    baseline = group.baseline
    candidates: dict[str, Factor] = {}
    for item in assumptions(type(baseline.params)):
        nominal = _number(_value_at(baseline.params, item.path))
        candidates[item.path] = Factor(item.path, item.low, item.high, item.unit, item.label, item.reason, nominal,
                                       item.integer, item.distribution)
    for path, (low, high) in settings.ranges.items():
        declared = _declaration(baseline.params, path)
        if declared is None:
            continue
        unit, label, hint = declared
        nominal = _number(_value_at(baseline.params, path))
        if not low <= nominal <= high:
            raise ScenarioError(file, f"robustness.ranges.{path}", f"{baseline.name} sets {nominal:g}, outside the "
                                f"range {low:g} – {high:g}")
        candidates[path] = Factor(path, low, high, unit, label, f"range given in {file}", nominal, hint is int,
                                  hint is Distribution)
    if settings.parameters is not None:
        for i, path in enumerate(settings.parameters):
            if path not in candidates and _declaration(baseline.params, path) is not None:
                raise ScenarioError(file, f"robustness.parameters[{i}]", f"{path} has no plausible range in model "
                                    f"{baseline.model}; give one in [robustness.ranges]")
        candidates = {path: factor for path, factor in candidates.items() if path in settings.parameters}
    factors, held = [], []
    for path, factor in candidates.items():
        differs = [alt.name for alt in group.alternatives if _differs(alt.params, baseline.params, path)]
        if differs:
            held.append((path, f"set differently by {', '.join(differs)}: a lever of the comparison"))
        elif not factor.low <= factor.nominal <= factor.high:
            held.append((path, f"{baseline.name} sets {factor.nominal:g}, outside its plausible range"))
        elif factor.distribution and factor.nominal == 0:
            held.append((path, "a distribution with mean 0 cannot be scaled"))
        elif factor.low < factor.high:
            factors.append(factor)
    return tuple(factors), tuple(held)


def _group(file: str, settings: RobustnessSettings, index: int, group: GroupInput, factors: tuple[Factor, ...],
           held: tuple[tuple[str, str], ...], seed: int) -> GroupDesign:
    from scipy.stats import qmc  # imported here: scipy.stats takes long to import

    unit = qmc.LatinHypercube(d=len(factors), rng=np.random.default_rng([seed, index])).random(settings.points)
    sampled = np.column_stack([_from_unit(factor, unit[:, j]) for j, factor in enumerate(factors)])
    values = np.vstack([[factor.nominal for factor in factors], sampled])
    horizon = settings.horizon_of(group.baseline.name)
    members = (group.baseline, *group.alternatives)
    if horizon is not None:
        for scenario in members:
            if horizon <= scenario.settings.warmup:
                raise ScenarioError(file, "robustness.horizon", f"{horizon:g} h is not above the warm-up "
                                    f"{scenario.settings.warmup:g} h of {scenario.name}")
    points = []
    for point, row in enumerate(values):
        overrides: list[tuple[str, Any]] = [] if horizon is None else [("run.horizon", horizon)]
        if point > 0:
            overrides += [(f.path, _override(f, members[0], value)) for f, value in zip(factors, row)]
        points.append(tuple(_point_scenario(file, scenario, overrides, f"{scenario.name}@robustness{index}.{point}",
                                            point) for scenario in members))
    return GroupDesign(index, group.baseline.model, group.baseline.name, tuple(s.name for s in group.alternatives),
                       group.headline, factors, held, values, tuple(points), horizon)


def _from_unit(factor: Factor, unit: np.ndarray) -> np.ndarray:
    """Values for u in [0, 1): whole numbers keep the strata (each of the k values owns 1/k)."""
    if factor.integer:
        low, high = np.ceil(factor.low), np.floor(factor.high)
        return np.minimum(np.floor(low + unit * (high - low + 1)), high)
    return factor.low + unit * (factor.high - factor.low)


def _override(factor: Factor, baseline: Scenario, value: float) -> Any:
    if factor.integer:
        return round(float(value))
    if not factor.distribution:
        return float(value)
    scaled = _value_at(baseline.params, factor.path).scaled(value / factor.nominal)
    keys = KINDS[scaled.kind][0]
    return {"dist": scaled.kind, **{key: list(getattr(scaled, key)) if key == "values" else getattr(scaled, key)
                                    for key in keys}}


def _point_scenario(file: str, scenario: Scenario, overrides: list[tuple[str, Any]], name: str,
                    point: int) -> Scenario:
    try:
        made = scenario_from_mapping(scenario.resolved, source=f"{file} (robustness point {point})",
                                     overrides=[*overrides, ("name", name)])
    except ScenarioError as error:
        raise ScenarioError(file, "robustness", f"point {point} of {scenario.name} is not a valid scenario: "
                            f"{error.key_path}: {error.reason}") from None
    return dataclasses.replace(made, path=scenario.path, files=scenario.files)


def _differs(params: Any, other: Any, path: str) -> bool:
    try:
        return bool(_value_at(params, path) != _value_at(other, path))
    except KeyError:  # the alternative has no such value (a shorter list): it differs
        return True


def _value_at(params: Any, path: str) -> Any:
    node = params
    for part in path.split(".")[1:]:
        if dataclasses.is_dataclass(node) and not isinstance(node, type):
            node = getattr(node, part)
        elif isinstance(node, tuple) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        elif isinstance(node, Mapping) and part in node:
            node = node[part]
        else:
            raise KeyError(path)
    return node


def _declaration(params: Any, path: str) -> tuple[str, str, Any] | None:
    """(unit, label, type) of the number or distribution at `path` in `params`, or None."""
    node, metadata, hint = params, {}, type(params)
    for part in path.split(".")[1:]:
        if dataclasses.is_dataclass(node) and not isinstance(node, Distribution):
            fields = {f.name: f for f in dataclasses.fields(node)}
            if part not in fields:
                return None
            metadata, hint, node = fields[part].metadata, get_type_hints(type(node))[part], getattr(node, part)
        elif isinstance(node, tuple) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
            hint = type(node)
        elif isinstance(node, Mapping) and part in node:
            node = node[part]
            hint = type(node)
        else:
            return None
    if isinstance(node, bool) or not isinstance(node, (int, float, Distribution)):
        return None
    doc = str(metadata.get("doc", ""))
    label = doc.split(";")[0].split(" (")[0].strip() or path.removeprefix("params.")
    return str(metadata.get("unit", "")), label, (int if isinstance(node, int) else hint)


def _number(value: Any) -> float:
    return float(value.expected()) if isinstance(value, Distribution) else float(value)
