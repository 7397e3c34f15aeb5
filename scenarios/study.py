"""Study files: which scenarios to run together and which to compare.

A study file (``scenarios/studies/*.toml``) names the study, may override run settings
for every scenario, and lists groups; each group has a baseline compared with each of
its other scenarios under common random numbers (one root seed for the whole study)::

    name = "default"
    description = "..."
    [run]                     # optional; replications, seed, horizon, warmup
    replications = 10
    events = true             # optional: keep the milestone log (stage-time tables); a number
                              # in (0, 1] keeps that share of the entities (sampled by id)
    [[groups]]
    baseline = "../queue_network/example.toml"      # relative to the study file
    scenarios = ["../queue_network/example_more_treat.toml"]
    run = {horizon = 500.0}   # optional: horizon and warmup for this group only
    events = 0.1              # optional: this group's share of logged entities
    headline = {"system.sojourn_mean_h" = "mean time in the network"}   # optional: the report's
                              # headline metrics for this group (a list, or metric = label)

A group may also declare a ``sweep`` table (a grid, Latin hypercube, one-at-a-time,
Morris or Sobol design over levers of its baseline), expanded into one scenario per
sample point by `scenarios.study_sweeps`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from models import current_metric
from scenarios.errors import ScenarioError
from scenarios.loader import Scenario, load_scenario
from scenarios.sources import display, read_toml
from scenarios.study_sweeps import Sweep, expand_sweep

STUDY_KEYS = ("name", "description", "events", "run", "groups")
STUDY_RUN_KEYS = ("replications", "seed", "horizon", "warmup")
GROUP_KEYS = ("baseline", "scenarios", "sweep", "run", "events", "headline")
GROUP_RUN_KEYS = ("horizon", "warmup")


@dataclass(frozen=True)
class Group:
    """A baseline, the scenarios compared with it, and the points of its sweep if any."""

    baseline: Scenario
    scenarios: tuple[Scenario, ...]
    sweep: Sweep | None = None
    points: tuple[Scenario, ...] = ()  # one scenario per distinct sweep point
    #: share of entities whose milestone log is kept (0: none)
    events: float = 0.0
    #: the report's headline metrics for this group: metric -> plain-words label ("" for none)
    headline: Mapping[str, str] = field(default_factory=dict)

    def record(self) -> dict[str, Any]:
        """JSON-ready description for the manifest (what the report needs)."""
        return {"baseline": self.baseline.name, "scenarios": [s.name for s in self.scenarios],
                "headline": dict(self.headline), "events": self.events}


@dataclass(frozen=True, eq=False)
class Study:
    name: str
    description: str
    path: str
    replications: int
    seed: int
    groups: tuple[Group, ...]
    resolved: dict[str, Any]

    @property
    def scenarios(self) -> tuple[Scenario, ...]:
        """Every scenario once, baselines first within each group, then the group's
        scenarios and sweep points, in file order."""
        seen: dict[str, Scenario] = {}
        for group in self.groups:
            for scenario in (group.baseline, *group.scenarios, *group.points):
                seen.setdefault(scenario.name, scenario)
        return tuple(seen.values())

    @property
    def sweeps(self) -> tuple[Sweep, ...]:
        return tuple(group.sweep for group in self.groups if group.sweep is not None)

    @property
    def events(self) -> dict[str, float]:
        """Scenario name -> share of entities whose milestone log is kept, for the
        scenarios that keep one (`sim.study.run_study`'s `events`)."""
        shares: dict[str, float] = {}
        for group in self.groups:
            if group.events > 0:
                for scenario in (group.baseline, *group.scenarios, *group.points):
                    shares[scenario.name] = max(shares.get(scenario.name, 0.0), group.events)
        return shares

    def record(self) -> dict[str, Any]:
        """What the manifest keeps of the study: name, file, resolved table, groups, sweeps."""
        return {"name": self.name, "path": self.path, "resolved": self.resolved,
                "groups": [group.record() for group in self.groups],
                "sweeps": [sweep.record() for sweep in self.sweeps]}

    @property
    def pairs(self) -> tuple[tuple[str, str], ...]:
        """(baseline name, scenario name) of every comparison."""
        return tuple((g.baseline.name, s.name) for g in self.groups for s in g.scenarios)


def is_study_file(path: Path | str) -> bool:
    """Whether `path` holds a study (it has `groups`) rather than a scenario."""
    try:
        return "groups" in read_toml(Path(path), display(path))
    except ScenarioError:
        return False


def load_study(path: Path | str) -> Study:
    """Read and validate a study file and every scenario it lists."""
    label = display(path)
    data = read_toml(Path(path), label)
    for key in data:
        if key not in STUDY_KEYS:
            raise ScenarioError(label, key, f"unknown key (known keys: {', '.join(STUDY_KEYS)})")
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ScenarioError(label, "name", "missing or not a non-empty string")
    description = data.get("description", "")
    if not isinstance(description, str):
        raise ScenarioError(label, "description", f"must be a string, got {description!r}")
    run = data.get("run", {})
    if not isinstance(run, Mapping):
        raise ScenarioError(label, "run", "must be a table")
    for key, value in run.items():
        _check_run_value(label, key, value)
    events = _events(label, "events", data.get("events", False))
    overrides = [(f"run.{key}", value) for key, value in run.items() if key in ("horizon", "warmup")]
    groups_data = data.get("groups")
    if not isinstance(groups_data, list) or not groups_data:
        raise ScenarioError(label, "groups", "missing: a study needs at least one [[groups]] entry")
    folder = Path(path).parent
    groups = tuple(_group(label, folder, i, group, overrides, run.get("seed"), events)
                   for i, group in enumerate(groups_data))
    _check_unique_names(label, groups)
    scenarios = [s for g in groups for s in (g.baseline, *g.scenarios)]
    replications = run.get("replications", max(s.settings.replications for s in scenarios))
    seed = run.get("seed", groups[0].baseline.settings.seed)
    return Study(name, description, label, replications, seed, groups, data)


def _events(label: str, where: str, value: Any) -> float:
    """`events`: true/false, or the share of entities in (0, 1] whose log is kept."""
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if not isinstance(value, (int, float)) or not 0 < value <= 1:
        raise ScenarioError(label, where, f"must be true, false or a share in (0, 1], got {value!r}")
    return float(value)


def _headline(label: str, where: str, value: Any) -> dict[str, str]:
    if isinstance(value, list) and all(isinstance(v, str) and v for v in value):
        return {metric: "" for metric in value}
    if isinstance(value, Mapping) and all(isinstance(v, str) for v in value.values()):
        return {str(k): v for k, v in value.items()}
    raise ScenarioError(label, where, "must be a list of metric names or a table of metric = label")


def _check_run_value(label: str, key: str, value: Any, where: str | None = None) -> None:
    where = where or f"run.{key}"
    if key not in STUDY_RUN_KEYS:
        raise ScenarioError(label, where, f"unknown key (a study may set {', '.join(STUDY_RUN_KEYS)})")
    if key in ("replications", "seed"):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ScenarioError(label, where, f"must be an integer, got {value!r}")
        if value < (1 if key == "replications" else 0):
            raise ScenarioError(label, where, f"must be >= {1 if key == 'replications' else 0}, got {value}")
        return
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ScenarioError(label, where, f"must be a number, got {value!r}")
    if value < 0 or (key == "horizon" and value == 0):
        raise ScenarioError(label, where, f"must be {'> 0' if key == 'horizon' else '>= 0'} hours, got {value!r}")


def _group(label: str, folder: Path, index: int, data: Any, overrides: list[tuple[str, Any]],
           seed: int | None, events: float) -> Group:
    where = f"groups[{index}]"
    if not isinstance(data, Mapping):
        raise ScenarioError(label, where, "must be a table with baseline and scenarios")
    for key in data:
        if key not in GROUP_KEYS:
            raise ScenarioError(label, f"{where}.{key}", f"unknown key (known keys: {', '.join(GROUP_KEYS)})")
    if "baseline" not in data:
        raise ScenarioError(label, f"{where}.baseline", "missing (required): the scenario file the others are compared with")
    run = data.get("run", {})
    if not isinstance(run, Mapping):
        raise ScenarioError(label, f"{where}.run", "must be a table")
    for key, value in run.items():
        if key not in GROUP_RUN_KEYS:
            raise ScenarioError(label, f"{where}.run.{key}", f"unknown key (a group may set {', '.join(GROUP_RUN_KEYS)})")
        _check_run_value(label, key, value, f"{where}.run.{key}")
    overrides = [*overrides, *((f"run.{key}", value) for key, value in run.items())]
    group_events = _events(label, f"{where}.events", data["events"]) if "events" in data else events
    headline = _headline(label, f"{where}.headline", data["headline"]) if "headline" in data else {}
    baseline = _scenario(label, folder, f"{where}.baseline", data["baseline"], overrides)
    headline = {current_metric(baseline.model, metric): text for metric, text in headline.items()}
    others = data.get("scenarios", [])
    if not isinstance(others, list):
        raise ScenarioError(label, f"{where}.scenarios", "must be a list of scenario file paths")
    scenarios = [_scenario(label, folder, f"{where}.scenarios[{j}]", ref, overrides) for j, ref in enumerate(others)]
    sweep, points = None, []
    if "sweep" in data:
        design_seed = baseline.settings.seed if seed is None else seed
        sweep, points = expand_sweep(label, f"{where}.sweep", data["sweep"], baseline, design_seed)
    return Group(baseline, tuple(s for s in scenarios if s.path != baseline.path), sweep,
                 tuple(p for p in points if p is not baseline), group_events, headline)


def _scenario(label: str, folder: Path, where: str, ref: Any, overrides: list[tuple[str, Any]]) -> Scenario:
    if not isinstance(ref, str) or not ref:
        raise ScenarioError(label, where, f"must be a path to a scenario file, got {ref!r}")
    path = folder / ref
    if not path.is_file():
        raise ScenarioError(label, where, f"no such file {display(path)!r}")
    return load_scenario(path, overrides, override_origin=label)


def _check_unique_names(label: str, groups: tuple[Group, ...]) -> None:
    """One name, one scenario: results are stored and reported by name."""
    by_name: dict[str, Scenario] = {}
    for i, group in enumerate(groups):
        entries = [(f"groups[{i}].baseline", group.baseline)]
        entries += [(f"groups[{i}].scenarios[{j}]", s) for j, s in enumerate(group.scenarios)]
        entries += [(f"groups[{i}].sweep", s) for s in group.points]
        for where, scenario in entries:
            known = by_name.setdefault(scenario.name, scenario)
            if known.fingerprint != scenario.fingerprint or known.path != scenario.path:
                raise ScenarioError(label, where, f"scenario name {scenario.name!r} is used by both {known.path} and {scenario.path}")
