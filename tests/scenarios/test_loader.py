"""Scenario and study files: parsing, extends, overrides, and one clear error per bad input."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from scenarios import catalog
from scenarios.loader import ScenarioError, load_scenario, scenario_from_mapping
from scenarios.overrides import parse_value
from scenarios.study import is_study_file, load_study

BASE = """
model = "queue_network"
name = "base"
description = "one station"
[run]
horizon = 100.0
warmup = 10.0
replications = 3
seed = 7
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


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def error_of(path: Path, overrides: tuple[str, ...] = ()) -> ScenarioError:
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path, overrides)
    message = str(caught.value)
    assert "\n" not in message
    assert message == f"{caught.value.file}: {caught.value.key_path}: {caught.value.reason}"
    return caught.value


def test_the_issue_example_loads_with_every_value(tmp_path: Path) -> None:
    scenario = load_scenario(catalog.find("queue_network/example"))
    assert (scenario.name, scenario.model, scenario.description) == ("example", "queue_network", "two stations with feedback")
    settings = scenario.settings
    assert (settings.horizon, settings.warmup, settings.replications, settings.seed) == (2000.0, 200.0, 20, 1)
    triage, treat = scenario.params.stations
    assert (triage.name, triage.servers, triage.service.kind, triage.service.mean) == ("triage", 10, "exponential", 1.0)
    assert dict(triage.routing) == {"treat": 0.3} and dict(treat.routing) == {"triage": 0.1}
    assert (treat.service.kind, treat.service.value) == ("deterministic", 0.5)
    assert scenario.params.sources[0].rate == 9.0
    assert scenario.model_module == "models.queue_network"
    assert scenario.resolved["params"]["stations"][0]["servers"] == 10


def test_every_builtin_file_validates() -> None:
    assert {e.key for e in catalog.scenario_files()} >= {"queue_network/example", "queue_network/mm1"}
    for entry in catalog.scenario_files():
        assert load_scenario(entry.path).name == entry.name
    for entry in catalog.study_files():
        assert load_study(entry.path).name == entry.name
    default = load_study(catalog.DEFAULT_STUDY)
    assert default.name == "tianjin_pilots" and default.pairs
    assert {scenario.model for scenario in default.scenarios} == {"bonded", "returns", "mail"}


def test_fingerprint_follows_inputs_not_labels(tmp_path: Path) -> None:
    path = write(tmp_path, "base.toml", BASE)
    first = load_scenario(path)
    assert load_scenario(path).fingerprint == first.fingerprint
    # Same inputs written differently, or differing only in labels, seed or replications: same fingerprint.
    same = ("params.sources.0.rate=1", "description=other", "run.seed=99", "run.replications=50")
    assert load_scenario(path, same).fingerprint == first.fingerprint
    for changed in ("params.stations.0.servers=3", "run.horizon=200.0", "run.warmup=0.0",
                    "run.start=2025-11-11T00:00:00"):
        assert load_scenario(path, (changed,)).fingerprint != first.fingerprint, changed


def test_extends_merges_tables_and_replaces_arrays(tmp_path: Path) -> None:
    write(tmp_path, "base.toml", BASE)
    child = write(tmp_path, "variants/child.toml", """
        extends = "../base.toml"
        name = "child"
        [run]
        horizon = 50.0
        [[params.sources]]
        name = "other"
        to = "check"
        rate = 0.5
    """)
    scenario = load_scenario(child)
    assert scenario.name == "child" and scenario.description == "one station"
    assert (scenario.settings.horizon, scenario.settings.warmup, scenario.settings.seed) == (50.0, 10.0, 7)
    assert [s.name for s in scenario.params.sources] == ["other"]  # the array replaced, not appended
    assert [s.name for s in scenario.params.stations] == ["desk", "check"]
    assert "extends" not in scenario.resolved
    assert scenario.files == (str(child), str(tmp_path / "base.toml"))


def test_an_error_in_an_inherited_value_names_the_file_that_set_it(tmp_path: Path) -> None:
    write(tmp_path, "base.toml", BASE.replace("rate = 1.0", "rate = -1.0"))
    child = write(tmp_path, "child.toml", 'extends = "base.toml"\nname = "child"\n')
    error = error_of(child)
    assert (error.file, error.key_path) == (str(tmp_path / "base.toml"), "params.sources[0].rate")
    assert "> 0" in error.reason


def test_overrides_set_list_items_new_keys_and_typed_values(tmp_path: Path) -> None:
    path = write(tmp_path, "base.toml", BASE)
    scenario = load_scenario(path, (
        "params.stations.0.servers=3",
        'params.stations.1.service={dist = "uniform", low = 0.1, high = 0.2}',
        "params.stations.1.routing.desk=0.1",
        "name=variant-b",
        "run.day_types.2025-11-11=peak",
        "run.weekday_types.Saturday=weekend",
    ))
    desk, check = scenario.params.stations
    assert desk.servers == 3
    assert (check.service.kind, check.service.low, check.service.high) == ("uniform", 0.1, 0.2)
    assert dict(check.routing) == {"desk": 0.1}
    assert scenario.name == "variant-b"
    assert dict(scenario.settings.day_types) == {"2025-11-11": "peak"}
    assert dict(scenario.settings.weekday_types) == {"saturday": "weekend"}


def test_override_values_are_toml_or_plain_text() -> None:
    assert parse_value("3") == 3 and parse_value("0.5") == 0.5 and parse_value("true") is True
    assert parse_value("[1, 2]") == [1, 2] and parse_value('"x y"') == "x y"
    assert parse_value("variant-b") == "variant-b"
    assert parse_value("2025-11-11T00:00:00") == dt.datetime(2025, 11, 11)


@pytest.mark.parametrize(("override", "key", "reason"), [
    ("params.stations.5.servers=1", "params.stations.5.servers", "out of range"),
    ("params.stations.0.servers.extra=1", "params.stations.0.servers.extra", "not a table"),
    ("params.stations.first.servers=1", "params.stations.first.servers", "item number"),
    ("params.stations.0.servers", "params.stations.0.servers", "KEY=VALUE"),
    ("params.stations.0.servers=many", "params.stations[0].servers", "must be an integer"),
    ("extends=other.toml", "extends", "cannot be overridden"),
])
def test_bad_overrides_name_the_key(tmp_path: Path, override: str, key: str, reason: str) -> None:
    path = write(tmp_path, "base.toml", BASE)
    error = error_of(path, (override,))
    assert (error.file, error.key_path) == (str(path), key)
    assert reason in error.reason and "--set" in error.reason


BAD_INPUTS = [
    # (description, edit of BASE as (old, new), expected key path, words of the reason)
    ("unknown top-level key", ("[run]", "colour = 1\n[run]"), "colour", "unknown key"),
    ("unknown run key", ("seed = 7", "seed = 7\nhorizn = 3"), "run.horizn", "unknown key"),
    ("unknown params key", ("rate = 1.0", "rate = 1.0\nspeed = 2"), "params.sources[0].speed", "unknown key"),
    ("wrong type", ("servers = 2", 'servers = "two"'), "params.stations[0].servers", "must be an integer"),
    ("wrong type in run", ("horizon = 100.0", 'horizon = "long"'), "run.horizon", "must be a number"),
    ("negative rate", ("rate = 1.0", "rate = -2.0"), "params.sources[0].rate", "> 0"),
    ("zero horizon", ("horizon = 100.0", "horizon = 0.0"), "run.horizon", "> 0"),
    ("warm-up past the horizon", ("warmup = 10.0", "warmup = 100.0"), "run.warmup", "below the horizon"),
    ("no replications", ("replications = 3", "replications = 0"), "run.replications", ">= 1"),
    ("negative seed", ("seed = 7", "seed = -1"), "run.seed", ">= 0"),
    ("fractional seed", ("seed = 7", "seed = 1.5"), "run.seed", "integer"),
    ("bad start", ("seed = 7", 'seed = 7\nstart = "the 11th"'), "run.start", "date-time"),
    ("bad day type date", ("seed = 7", 'seed = 7\nday_types = {"11-11" = "peak"}'), "run.day_types.11-11", "ISO date"),
    ("bad weekday", ("seed = 7", 'seed = 7\nweekday_types = {funday = "peak"}'), "run.weekday_types.funday", "weekday"),
    ("probability above 1", ("routing = {check = 0.2}", "routing = {check = 1.2}"), "params.stations[0].routing.check", "<= 1"),
    ("negative probability", ("routing = {check = 0.2}", "routing = {check = -0.2}"), "params.stations[0].routing.check", ">= 0"),
    ("probabilities summing above 1", ("routing = {check = 0.2}", "routing = {check = 0.7, desk = 0.6}"),
     "params.stations[0].routing", "above 1"),
    ("routing to a missing station", ("routing = {check = 0.2}", "routing = {xray = 0.2}"),
     "params.stations[0].routing.xray", "does not exist"),
    ("source to a missing station", ('to = "desk"', 'to = "gate"'), "params.sources[0].to", "does not exist"),
    ("unknown distribution", ('dist = "exponential"', 'dist = "normal"'), "params.stations[0].service.dist", "must be one of"),
    ("unknown model", ('model = "queue_network"', 'model = "conveyor"'), "model", "unknown model"),
    ("missing model", ('model = "queue_network"', ""), "model", "missing"),
    ("missing run table", ("[run]\nhorizon = 100.0", "[run_]\nhorizon = 100.0"), "run_", "unknown key"),
    ("unstable system", ("rate = 1.0", "rate = 2.5"), "params.stations[0]", "unstable"),
]


@pytest.mark.parametrize(("edit", "key", "reason"), [case[1:] for case in BAD_INPUTS], ids=[c[0] for c in BAD_INPUTS])
def test_each_bad_input_is_one_line_naming_file_key_and_reason(tmp_path: Path, edit: tuple[str, str], key: str,
                                                               reason: str) -> None:
    old, new = edit
    assert old in BASE
    path = write(tmp_path, "bad.toml", BASE.replace(old, new, 1))
    error = error_of(path)
    assert (error.file, error.key_path) == (str(path), key)
    assert reason in error.reason


def test_missing_file(tmp_path: Path) -> None:
    error = error_of(tmp_path / "absent.toml")
    assert (error.file, error.key_path, error.reason) == (str(tmp_path / "absent.toml"), "(file)", "no such file")


def test_missing_extends_target(tmp_path: Path) -> None:
    path = write(tmp_path, "child.toml", 'extends = "absent.toml"\nname = "child"\n')
    error = error_of(path)
    assert (error.file, error.key_path) == (str(path), "extends") and "absent.toml" in error.reason


def test_invalid_toml_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, "broken.toml", 'model = "queue_network"\nname = "x"\n[run\nhorizon = 1.0\n')
    error = error_of(path)
    assert (error.file, error.key_path) == (str(path), "line 3") and error.reason.startswith("invalid TOML")


@pytest.mark.parametrize("length", [1, 2, 3])
def test_a_cycle_of_extends_is_named(tmp_path: Path, length: int) -> None:
    for i in range(length):
        write(tmp_path, f"f{i}.toml", f'extends = "f{(i + 1) % length}.toml"\nname = "f{i}"\n')
    error = error_of(tmp_path / "f0.toml")
    assert error.key_path == "extends" and "cycle" in error.reason
    names = [f"f{i}.toml" for i in range(length)] + ["f0.toml"]
    assert " -> ".join(str(tmp_path / n) for n in names) in error.reason


def test_scenario_from_mapping_labels_errors() -> None:
    with pytest.raises(ScenarioError) as caught:
        scenario_from_mapping({"model": "queue_network", "name": "x", "run": {"horizon": -1.0}}, source="test-case")
    assert str(caught.value).startswith("test-case: run.horizon: ")


STUDY = """
name = "trial"
description = "two comparisons"
[run]
replications = 4
horizon = 60.0
[[groups]]
baseline = "../scenarios/base.toml"
scenarios = ["../scenarios/more.toml"]
[[groups]]
baseline = "../scenarios/base.toml"
scenarios = ["../scenarios/faster.toml"]
"""


def study_files(folder: Path, study: str = STUDY) -> Path:
    write(folder, "scenarios/base.toml", BASE)
    write(folder, "scenarios/more.toml", 'extends = "base.toml"\nname = "more"\n'
          '[[params.sources]]\nname = "arrivals"\nto = "desk"\nrate = 1.2\n')
    write(folder, "scenarios/faster.toml", 'extends = "base.toml"\nname = "faster"\n[run]\nwarmup = 5.0\n')
    return write(folder, "studies/trial.toml", study)


def test_study_reads_groups_relative_to_its_file(tmp_path: Path) -> None:
    path = study_files(tmp_path)
    study = load_study(path)
    assert is_study_file(path) and not is_study_file(tmp_path / "scenarios/base.toml")
    assert (study.name, study.replications, study.seed) == ("trial", 4, 7)  # seed from the first baseline
    assert [s.name for s in study.scenarios] == ["base", "more", "faster"]
    assert study.pairs == (("base", "more"), ("base", "faster"))
    assert {s.settings.horizon for s in study.scenarios} == {60.0}  # the study's [run] applies to every scenario


@pytest.mark.parametrize(("old", "new", "key", "reason"), [
    ('name = "trial"', 'name = "trial"\nowner = "x"', "owner", "unknown key"),
    ("replications = 4", "replications = 0", "run.replications", ">= 1"),
    ("replications = 4", "replications = 4\nstart = 1", "run.start", "unknown key"),
    ('scenarios = ["../scenarios/more.toml"]', 'scenarios = ["../scenarios/absent.toml"]', "groups[0].scenarios[0]",
     "no such file"),
    ('baseline = "../scenarios/base.toml"\nscenarios = ["../scenarios/more.toml"]', 'scenarios = ["../scenarios/more.toml"]',
     "groups[0].baseline", "missing"),
    ('scenarios = ["../scenarios/more.toml"]', 'scenarios = ["../scenarios/more.toml"]\nsweeps = 1', "groups[0].sweeps",
     "unknown key"),
])
def test_bad_study_files(tmp_path: Path, old: str, new: str, key: str, reason: str) -> None:
    assert old in STUDY
    path = study_files(tmp_path, STUDY.replace(old, new, 1))
    with pytest.raises(ScenarioError) as caught:
        load_study(path)
    assert (caught.value.file, caught.value.key_path) == (str(path), key) and reason in caught.value.reason


def test_scenario_names_are_unique_in_a_study(tmp_path: Path) -> None:
    path = study_files(tmp_path)
    write(tmp_path, "scenarios/faster.toml", 'extends = "base.toml"\nname = "more"\n[run]\nwarmup = 5.0\n')
    with pytest.raises(ScenarioError) as caught:
        load_study(path)
    assert caught.value.key_path == "groups[1].scenarios[0]" and "'more'" in caught.value.reason


def test_study_horizon_below_a_scenario_warmup_names_both_files(tmp_path: Path) -> None:
    path = study_files(tmp_path, STUDY.replace("horizon = 60.0", "horizon = 8.0"))
    with pytest.raises(ScenarioError) as caught:
        load_study(path)
    assert caught.value.file == str(tmp_path / "scenarios/base.toml") and caught.value.key_path == "run.warmup"
