"""Study files: which scenarios to run together and which to compare.

A study file (``scenarios/studies/*.toml``) names the study, may override run settings
for every scenario, and lists groups; each group has a baseline compared with each of
its other scenarios under common random numbers (one root seed for the whole study)::

    name = "default"
    description = "..."
    [run]                     # optional; replications, seed, horizon, warmup
    replications = 10
    [[groups]]
    baseline = "../queue_network/example.toml"      # relative to the study file
    scenarios = ["../queue_network/example_more_treat.toml"]

A group is read by `_group`, which dispatches on its keys, so a later kind of entry
(a parameter ``sweep`` generating scenarios) is one more key there.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scenarios.errors import ScenarioError
from scenarios.loader import Scenario, load_scenario
from scenarios.sources import display, read_toml

STUDY_KEYS = ("name", "description", "run", "groups")
STUDY_RUN_KEYS = ("replications", "seed", "horizon", "warmup")
GROUP_KEYS = ("baseline", "scenarios")


@dataclass(frozen=True)
class Group:
    """A baseline and the scenarios compared with it."""

    baseline: Scenario
    scenarios: tuple[Scenario, ...]


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
        """Every scenario once, baselines first within each group, in file order."""
        seen: dict[str, Scenario] = {}
        for group in self.groups:
            for scenario in (group.baseline, *group.scenarios):
                seen.setdefault(scenario.name, scenario)
        return tuple(seen.values())

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
    overrides = [(f"run.{key}", value) for key, value in run.items() if key in ("horizon", "warmup")]
    groups_data = data.get("groups")
    if not isinstance(groups_data, list) or not groups_data:
        raise ScenarioError(label, "groups", "missing: a study needs at least one [[groups]] entry")
    folder = Path(path).parent
    groups = tuple(_group(label, folder, i, group, overrides) for i, group in enumerate(groups_data))
    _check_unique_names(label, groups)
    scenarios = [s for g in groups for s in (g.baseline, *g.scenarios)]
    replications = run.get("replications", max(s.settings.replications for s in scenarios))
    seed = run.get("seed", groups[0].baseline.settings.seed)
    return Study(name, description, label, replications, seed, groups, data)


def _check_run_value(label: str, key: str, value: Any) -> None:
    where = f"run.{key}"
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


def _group(label: str, folder: Path, index: int, data: Any, overrides: list[tuple[str, Any]]) -> Group:
    where = f"groups[{index}]"
    if not isinstance(data, Mapping):
        raise ScenarioError(label, where, "must be a table with baseline and scenarios")
    for key in data:
        if key not in GROUP_KEYS:
            raise ScenarioError(label, f"{where}.{key}", f"unknown key (known keys: {', '.join(GROUP_KEYS)})")
    if "baseline" not in data:
        raise ScenarioError(label, f"{where}.baseline", "missing (required): the scenario file the others are compared with")
    baseline = _scenario(label, folder, f"{where}.baseline", data["baseline"], overrides)
    others = data.get("scenarios", [])
    if not isinstance(others, list):
        raise ScenarioError(label, f"{where}.scenarios", "must be a list of scenario file paths")
    scenarios = [_scenario(label, folder, f"{where}.scenarios[{j}]", ref, overrides) for j, ref in enumerate(others)]
    return Group(baseline, tuple(s for s in scenarios if s.path != baseline.path))


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
        for where, scenario in entries:
            known = by_name.setdefault(scenario.name, scenario)
            if known.fingerprint != scenario.fingerprint or known.path != scenario.path:
                raise ScenarioError(label, where, f"scenario name {scenario.name!r} is used by both {known.path} and {scenario.path}")
