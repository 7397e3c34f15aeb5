"""Study files with sweeps, group run overrides, event shares and headline metrics: each
sweep expands into exactly the scenarios it declares, and bad declarations are one error."""

from __future__ import annotations

import itertools
import json
import textwrap
from pathlib import Path

import numpy as np
import pytest

from models import queue_network
from scenarios.designs import Design
from scenarios.loader import ScenarioError
from scenarios.study import load_study
from scenarios.study_sweeps import Sweep, documented_parameter, point_names
from scenarios.sweeps import Lever

DESK = """
model = "queue_network"
name = "desk"
description = "a desk and a check"
[run]
horizon = 50.0
warmup = 5.0
replications = 2
seed = 3
[[params.sources]]
name = "arrivals"
to = "desk"
rate = 1.0
[[params.stations]]
name = "desk"
servers = 2
service = {dist = "exponential", mean = 1.0}
routing = {check = 0.2}
[[params.stations]]
name = "check"
servers = 1
service = {dist = "deterministic", value = 0.5}
"""


def study(tmp_path: Path, body: str, top: str = "") -> Path:
    (tmp_path / "desk.toml").write_text(textwrap.dedent(DESK), encoding="utf-8")
    path = tmp_path / "study.toml"
    path.write_text(f'name = "s"\n{top}\n[run]\nreplications = 2\nseed = 5\n' + textwrap.dedent(body), encoding="utf-8")
    return path


def test_a_grid_over_one_lever_becomes_one_scenario_per_value(tmp_path: Path) -> None:
    loaded = load_study(study(tmp_path, """
        [[groups]]
        baseline = "desk.toml"
        run = {horizon = 40.0}
        [groups.sweep]
        design = "grid"
        metrics = ["system.sojourn_mean_h"]
        [[groups.sweep.levers]]
        path = "params.sources.0.rate"
        low = 0.5
        high = 1.5
        steps = 3
        label = "arrival rate"
    """))
    (sweep,) = loaded.sweeps
    assert sweep.scenarios == ("desk@arrival_rate=0.5", "desk@arrival_rate=1", "desk@arrival_rate=1.5")
    assert [s.name for s in loaded.scenarios] == ["desk", *sweep.scenarios]
    points = {s.name: s for s in loaded.scenarios}
    assert [points[name].params.sources[0].rate for name in sweep.scenarios] == [0.5, 1.0, 1.5]
    # every point keeps the baseline's other inputs, and the study's seed: common random numbers
    assert all(points[name].params.stations == points["desk"].params.stations for name in sweep.scenarios)
    assert {points[name].settings.horizon for name in points} == {40.0}  # the group's run override holds for every point
    assert {points[name].path for name in points} == {points["desk"].path}
    assert loaded.seed == 5 and loaded.pairs == ()
    assert sweep.metrics == ("system.sojourn_mean_h",) and sweep.baseline == "desk" and sweep.model == "queue_network"


def test_a_grid_over_two_levers_is_their_product_and_survives_the_manifest(tmp_path: Path) -> None:
    loaded = load_study(study(tmp_path, """
        [[groups]]
        baseline = "desk.toml"
        scenarios = []
        [groups.sweep]
        design = "grid"
        [[groups.sweep.levers]]
        path = "params.stations.0.servers"
        values = [2, 3]
        [[groups.sweep.levers]]
        path = "params.stations.1.service.value"
        low = 0.25
        high = 0.75
        steps = 3
    """))
    (sweep,) = loaded.sweeps
    assert len(sweep.scenarios) == 6
    expected = list(itertools.product([2, 3], [0.25, 0.5, 0.75]))
    points = {s.name: s for s in loaded.scenarios}
    got = [(points[n].params.stations[0].servers, points[n].params.stations[1].service.value) for n in sweep.scenarios]
    assert got == expected
    assert sweep.scenarios[0] == "desk@stations.0.servers=2,stations.1.service.value=0.25"
    again = Sweep.from_record(json.loads(json.dumps(sweep.record())))
    assert again.scenarios == sweep.scenarios and again.design.points == sweep.design.points
    assert again.design.levers == sweep.design.levers


def test_latin_hypercube_morris_and_sobol_point_counts(tmp_path: Path) -> None:
    levers = """
        [[groups.sweep.levers]]
        path = "params.sources.0.rate"
        low = 0.5
        high = 1.5
        [[groups.sweep.levers]]
        path = "params.stations.1.service.value"
        low = 0.2
        high = 0.6
    """
    cases = {"latin_hypercube": ("samples = 7", 7), "morris": ("trajectories = 3\nlevels = 4", 3 * (2 + 1)),
             "sobol": ("base_samples = 4", 4 * (2 + 2))}
    for design, (settings, count) in cases.items():
        folder = tmp_path / design
        folder.mkdir()
        loaded = load_study(study(folder, f"""
            [[groups]]
            baseline = "desk.toml"
            [groups.sweep]
            design = "{design}"
            {settings}
        """ + levers))
        (sweep,) = loaded.sweeps
        assert len(sweep.design.points) == len(sweep.scenarios) == count, design
        rates = np.array([p["params.sources.0.rate"] for p in sweep.design.points])
        assert rates.min() >= 0.5 and rates.max() <= 1.5
        # identical points (Morris trajectories share levels) run once
        assert len({s.name for s in loaded.scenarios}) == len(set(sweep.scenarios)) + 1


def test_one_at_a_time_takes_the_documented_range(tmp_path: Path) -> None:
    declared = documented_parameter(queue_network.Params, "params.stations.0.routing.check")
    assert declared is not None and (declared.low, declared.high, declared.integer) == (0.0, 1.0, False)
    assert documented_parameter(queue_network.Params, "params.stations.0.servers").integer
    assert documented_parameter(queue_network.Params, "params.stations.0.name") is None
    assert documented_parameter(queue_network.Params, "params.nothing") is None
    loaded = load_study(study(tmp_path, """
        [[groups]]
        baseline = "desk.toml"
        [groups.sweep]
        design = "one_at_a_time"
        [[groups.sweep.levers]]
        path = "params.stations.0.routing.check"
        [[groups.sweep.levers]]
        path = "params.stations.0.servers"
        low = 2
        high = 4
    """))
    (sweep,) = loaded.sweeps
    check, servers = sweep.design.levers
    assert (check.low, check.high, check.integer) == (0.0, 1.0, False)
    assert servers.integer  # from the parameter's type
    assert sweep.scenarios == ("desk", "desk@stations.0.routing.check=0", "desk@stations.0.routing.check=1",
                               "desk@stations.0.servers=2", "desk@stations.0.servers=4")
    labels = sweep.design.labels
    assert labels["level"].tolist() == ["baseline", "low", "high", "low", "high"]


def test_group_run_overrides_events_and_headline(tmp_path: Path) -> None:
    two_horizons = study(tmp_path, """
        [[groups]]
        baseline = "desk.toml"
        run = {horizon = 20.0}
        [[groups]]
        baseline = "desk.toml"
        run = {horizon = 30.0}
    """)
    with pytest.raises(ScenarioError, match="scenario name 'desk' is used by both"):
        load_study(two_horizons)  # one name, two sets of inputs: results would be ambiguous
    loaded = load_study(study(tmp_path, """
        [[groups]]
        baseline = "desk.toml"
        run = {horizon = 20.0, warmup = 2.0}
        events = true
        headline = {"system.sojourn_mean_h" = "time in the office"}
    """, top="events = 0.5"))
    (group,) = loaded.groups
    assert (group.baseline.settings.horizon, group.baseline.settings.warmup) == (20.0, 2.0)
    assert loaded.events == {"desk": 1.0}  # the group's setting wins over the study's 0.5
    record = loaded.record()
    assert record["groups"] == [{"baseline": "desk", "scenarios": [], "headline": {"system.sojourn_mean_h":
                                                                                     "time in the office"},
                                 "events": 1.0}]


RATE = '[[groups.sweep.levers]]\npath = "params.sources.0.rate"\nlow = 0.5\nhigh = 1.5'


@pytest.mark.parametrize(("body", "expected"), [
    ('design = "spiral"', "groups[0].sweep.design: must be one of grid"),
    ('design = "grid"\nsamples = 3', "groups[0].sweep.samples: not a setting of a grid design"),
    ('design = "latin_hypercube"\n' + RATE, "groups[0].sweep.samples: missing"),
    ('design = "sobol"\nbase_samples = 6\n' + RATE, "groups[0].sweep.base_samples: must be a power of 2"),
    ('design = "grid"', "groups[0].sweep.levers: missing"),
    ('design = "grid"\n[[groups.sweep.levers]]\npath = "params.sources.0.rate"\nlow = 2.0\nhigh = 1.0',
     "groups[0].sweep.levers[0]: params.sources.0.rate: low 2.0 must be below high 1.0"),
    ('design = "one_at_a_time"\n[[groups.sweep.levers]]\npath = "params.sources.0.rate"',
     "groups[0].sweep.levers[0]: the documented range of params.sources.0.rate is (0.0, ]"),
    ('design = "grid"\n[[groups.sweep.levers]]\npath = "params.sources.0.rate"\nvalues = [0.5, 5.0]',
     "groups[0].sweep: point 1 (desk@sources.0.rate=5) is not a valid scenario"),
    ('design = "grid"\n[[groups.sweep.levers]]\npath = "params.sources.0.rat"\nvalues = [1.0]', "unknown key"),
])
def test_bad_sweeps_are_one_error_naming_the_study(tmp_path: Path, body: str, expected: str) -> None:
    path = study(tmp_path, '[[groups]]\nbaseline = "desk.toml"\n[groups.sweep]\n' + body + "\n")
    with pytest.raises(ScenarioError) as error:
        load_study(path)
    assert str(error.value).startswith(f"{path}: ") and expected in str(error.value), str(error.value)


def test_point_names_are_unique_for_distinct_points() -> None:
    lever = Lever("params.a", 0.0, 1.0)
    names = point_names("b", [lever], [{"params.a": 0.1234567}, {"params.a": 0.12345671}, {"params.a": 0.1234567}, {}])
    assert names == ["b@a=0.123457", "b@a=0.123457#1", "b@a=0.123457", "b"]
    assert Design.from_record(Design("grid", (lever,), {}, np.zeros((0, 1)), ()).record()).points == ()
