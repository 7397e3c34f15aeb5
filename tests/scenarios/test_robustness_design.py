"""The robustness design: which assumptions vary, the Latin hypercube, and the point scenarios."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

import models
from scenarios.errors import ScenarioError
from scenarios.loader import load_scenario
from scenarios.robustness import RobustnessSettings
from scenarios.robustness_design import Factor, GroupInput, _from_unit, design_experiment

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "analysis"))
import robustness_toy  # the test model lives beside the analysis tests

BASE = 'model = "robustness_toy"\nname = "four"\n[run]\nhorizon = 100.0\nwarmup = 10.0\n[params]\nservers = 4\n'


@pytest.fixture
def write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setitem(models.MODELS, robustness_toy.NAME, robustness_toy.__name__)

    def scenario(name: str, text: str):  # type: ignore[no-untyped-def]
        path = tmp_path / f"{name}.toml"
        path.write_text(text)
        return load_scenario(path)

    return scenario


def test_the_same_assumption_values_reach_baseline_and_alternative_at_every_point(write) -> None:  # type: ignore[no-untyped-def]
    base = write("base", BASE)
    five = write("five", BASE.replace("servers = 4", "servers = 5").replace('"four"', '"five"'))
    experiment = design_experiment([GroupInput(base, (five,))], RobustnessSettings("study.toml", points=5,
                                                                                   replications=2), seed=3)
    group = experiment.groups[0]
    assert [f.path for f in group.factors] == ["params.staff_cost_cny_per_h", "params.transit"]
    assert group.held == ()
    assert list(group.values[0]) == [80.0, 1.0]  # point 0: as written
    for column, (low, high) in zip(group.values[1:].T, [(30.0, 110.0), (0.5, 2.0)]):
        strata = np.floor((column - low) / (high - low) * 5)
        assert sorted(strata) == [0, 1, 2, 3, 4]  # one point per fifth of each range
    for (baseline, alternative), (staff, transit) in zip(group.scenarios[1:], group.values[1:]):
        for scenario in (baseline, alternative):
            assert scenario.params.staff_cost_cny_per_h == staff
            assert scenario.params.transit.kind == "exponential" and scenario.params.transit.mean == pytest.approx(transit)
        assert (baseline.params.servers, alternative.params.servers) == (4, 5)
    assert experiment.runs == 6 * 2 * 2


def test_levers_and_deliberate_outliers_are_held_with_the_reason(write) -> None:  # type: ignore[no-untyped-def]
    base = write("base", BASE + "staff_cost_cny_per_h = 200.0\n")  # above its range on purpose
    five = write("five", BASE.replace('"four"', '"five"').replace("servers = 4", "servers = 5")
                 + "staff_cost_cny_per_h = 200.0\n")
    experiment = design_experiment([GroupInput(base, (five,))], RobustnessSettings("s.toml", points=4), seed=1)
    assert experiment.groups[0].held == (("params.staff_cost_cny_per_h", "four sets 200, outside its plausible range"),)
    assert [f.path for f in experiment.groups[0].factors] == ["params.transit"]

    plain = write("plain", BASE)
    dearer = write("dearer", BASE.replace('"four"', '"dearer"') + "staff_cost_cny_per_h = 90.0\n")
    experiment = design_experiment([GroupInput(plain, (dearer,))], RobustnessSettings("s.toml", points=4), seed=1)
    assert experiment.groups[0].held == (("params.staff_cost_cny_per_h",
                                          "set differently by dearer: a lever of the comparison"),)


def test_nothing_to_vary_is_an_error_naming_why(write) -> None:  # type: ignore[no-untyped-def]
    base = write("base", BASE)
    both = write("both", BASE.replace('"four"', '"both"') + "staff_cost_cny_per_h = 90.0\n"
                 'transit = {dist = "exponential", mean = 1.5}\n')
    with pytest.raises(ScenarioError, match="s.toml: robustness: nothing to test .four: no parameter"):
        design_experiment([GroupInput(base, (both,))], RobustnessSettings("s.toml", points=4), seed=1)


def test_invalid_points_stop_the_design(write) -> None:  # type: ignore[no-untyped-def]
    base = write("base", BASE.replace("servers = 4", "servers = 4\narrival_rate = 3.9"))
    five = write("five", BASE.replace('"four"', '"five"').replace("servers = 4", "servers = 5\narrival_rate = 3.9"))
    settings = RobustnessSettings("s.toml", points=4, parameters=("params.service",),
                                  ranges={"params.service": (0.5, 1.2)})
    with pytest.raises(ScenarioError, match="s.toml: robustness: point .* is not a valid scenario: params: unstable"):
        design_experiment([GroupInput(base, (five,))], settings, seed=1)


def test_whole_numbers_keep_their_strata() -> None:
    factor = Factor("params.trucks", 2.0, 6.0, "", "trucks", "test", 4.0, integer=True)
    unit = (np.arange(50) + 0.5) / 50
    values = _from_unit(factor, unit)
    assert sorted(set(values)) == [2, 3, 4, 5, 6] and all(np.sum(values == v) == 10 for v in range(2, 7))
