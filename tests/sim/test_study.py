"""The study runner, result store and local executor: resume, failures, worker independence."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from leaky_model import LeakyScenario

from analysis.load import runs_table
from scenarios.loader import scenario_from_mapping
from sim.executors import LocalExecutor
from sim.run import run
from sim.store import ResultStore, RunKey
from sim.study import StudyFailed, run_study


def network(name: str, servers: int = 2, horizon: float = 40.0) -> Any:
    return scenario_from_mapping({
        "model": "queue_network", "name": name,
        "run": {"horizon": horizon, "warmup": 4.0, "replications": 3, "seed": 11},
        "params": {
            "sources": [{"name": "arrivals", "to": "desk", "rate": 3.0}],
            "stations": [
                {"name": "desk", "servers": servers, "service": {"dist": "exponential", "mean": 0.5},
                 "routing": {"check": 0.3}},
                {"name": "check", "servers": 1, "service": {"dist": "lognormal", "mean": 0.4, "cv": 0.5}},
            ],
        },
    }, source=name)


# A model that loses entities: tests/sim/leaky_model.py


# -- store ------------------------------------------------------------------------------------

def test_store_round_trip_keyed_by_seed_and_fingerprint(tmp_path: Path) -> None:
    scenario = network("a")
    result = run(scenario, 1, seed=5)
    store = ResultStore(tmp_path)
    key = store.put(result, scenario.fingerprint)
    assert key == RunKey("a", 1, 5, scenario.fingerprint)
    assert store.has(key) and not store.has(key, events=True)
    assert not store.has(RunKey("a", 1, 6, scenario.fingerprint))
    assert not store.has(RunKey("a", 1, 5, "0" * 16))
    assert not store.has(RunKey("a", 2, 5, scenario.fingerprint))
    loaded = store.load(key)
    assert dict(loaded.metrics) == dict(result.metrics)  # floats survive exactly
    assert (loaded.created, loaded.finished, loaded.in_system, dict(loaded.dropped)) == \
        (result.created, result.finished, result.in_system, dict(result.dropped))
    assert [p.name for p in (tmp_path / "runs").iterdir()] == [store.path(key).name]  # no temporary left


def test_store_keeps_the_milestone_log_on_request(tmp_path: Path) -> None:
    scenario = network("a")
    result = run(scenario, 0, events=True)
    store = ResultStore(tmp_path)
    key = store.put(result, scenario.fingerprint)
    assert store.has(key, events=True)
    table = store.load_events(key).to_pandas()
    assert len(table) == len(result.events)
    assert list(table["time"]) == list(result.events.time)
    arrivals = table[table["milestone"] == "arrive"]
    assert len(arrivals) == result.created


# -- executor ---------------------------------------------------------------------------------

def square(x: int) -> int:
    return x * x


@pytest.mark.parametrize("workers", [1, 2])
def test_local_executor_returns_every_item_once(workers: int) -> None:
    pairs = list(LocalExecutor(workers).imap_unordered(square, range(12)))
    assert sorted(pairs) == [(i, i * i) for i in range(12)]


def test_local_executor_rejects_no_workers() -> None:
    with pytest.raises(ValueError):
        LocalExecutor(0)


# -- study runner -----------------------------------------------------------------------------

def test_results_do_not_depend_on_the_number_of_workers(tmp_path: Path) -> None:
    scenarios = [network("two"), network("three", servers=3)]
    tables = []
    for workers in (1, 2):
        outcome = run_study(scenarios, 4, 11, ResultStore(tmp_path / f"w{workers}"), LocalExecutor(workers),
                            progress=False)
        assert [(k.scenario, k.replication) for k in outcome.keys] == [(s, r) for s in ("two", "three") for r in range(4)]
        tables.append(runs_table(outcome.results, order=["two", "three"]))
    pd.testing.assert_frame_equal(tables[0], tables[1], check_exact=True)
    # ... and equal the runs made directly.
    direct = runs_table([run(s, r, seed=11) for s in scenarios for r in range(4)], order=["two", "three"])
    pd.testing.assert_frame_equal(tables[0], direct, check_exact=True)


def test_common_random_numbers_same_arrivals_for_every_scenario(tmp_path: Path) -> None:
    outcome = run_study([network("two"), network("three", servers=3)], 3, 11, ResultStore(tmp_path),
                        LocalExecutor(1), progress=False)
    arrived = {(r.scenario, r.replication): r.metrics["system.arrived"] for r in outcome.results}
    assert all(arrived["two", i] == arrived["three", i] for i in range(3))
    assert len({arrived["two", i] for i in range(3)}) > 1  # replications differ from each other


def test_an_interrupted_study_resumes_without_rerunning_stored_runs(tmp_path: Path) -> None:
    scenarios = [network("two"), network("three", servers=3)]
    store = ResultStore(tmp_path / "resumed")
    first = run_study(scenarios, 2, 11, store, LocalExecutor(1), progress=False)  # the part done before the stop
    assert (first.ran, first.reused) == (4, 0)
    stamps = {p.name: p.stat().st_mtime_ns for p in store.runs.iterdir()}
    store.path(first.keys[1]).unlink()  # a run lost mid-way
    resumed = run_study(scenarios, 4, 11, store, LocalExecutor(2), progress=False)
    assert (resumed.ran, resumed.reused) == (5, 3)
    for name, stamp in stamps.items():
        if name != store.path(first.keys[1]).name:
            assert (store.runs / name).stat().st_mtime_ns == stamp  # not rewritten
    fresh = run_study(scenarios, 4, 11, ResultStore(tmp_path / "fresh"), LocalExecutor(1), progress=False)
    order = ["two", "three"]
    pd.testing.assert_frame_equal(runs_table(resumed.results, order), runs_table(fresh.results, order), check_exact=True)
    again = run_study(scenarios, 4, 11, store, LocalExecutor(1), progress=False)
    assert (again.ran, again.reused) == (0, 8)


def test_runs_under_another_seed_or_fingerprint_are_not_reused(tmp_path: Path) -> None:
    store = ResultStore(tmp_path)
    run_study([network("a")], 2, 11, store, LocalExecutor(1), progress=False)
    other_seed = run_study([network("a")], 2, 12, store, LocalExecutor(1), progress=False)
    assert (other_seed.ran, other_seed.reused) == (2, 0)
    edited = run_study([network("a", servers=3)], 2, 11, store, LocalExecutor(1), progress=False)
    assert (edited.ran, edited.reused) == (2, 0)
    assert edited.results[0].metrics != other_seed.results[0].metrics


def test_manifest_records_scenarios_seeds_and_software(tmp_path: Path) -> None:
    scenario = network("a")
    outcome = run_study([scenario], 2, 11, ResultStore(tmp_path), LocalExecutor(1), progress=False,
                        info={"command": ["test"]})
    manifest = json.loads(outcome.manifest.read_text())
    assert manifest["status"] == "complete" and manifest["command"] == ["test"]
    assert (manifest["replications"], manifest["seed"]) == (2, 11)
    assert manifest["runs"] == {"total": 2, "reused": 0, "ran": 2}
    assert manifest["scenarios"][0]["fingerprint"] == scenario.fingerprint
    assert manifest["scenarios"][0]["resolved"]["params"]["stations"][0]["servers"] == 2
    assert manifest["software"]["packages"]["numpy"]
    assert len(manifest["run_seconds"]) == 2


@pytest.mark.parametrize("workers", [1, 2])
def test_a_failing_run_stops_the_study_and_the_manifest_says_why(tmp_path: Path, workers: int) -> None:
    if workers == 2 and sys.platform != "linux":
        pytest.skip("workers import this test module by name only under fork")
    store = ResultStore(tmp_path)
    with pytest.raises(StudyFailed) as caught:
        run_study([network("fine"), LeakyScenario()], 2, 11, store, LocalExecutor(workers), progress=False)
    assert "ConservationError" in str(caught.value) and caught.value.key.scenario == "leaky"
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["status"] == "failed"
    assert manifest["error"]["scenario"] == "leaky" and "ConservationError" in manifest["error"]["message"]
    assert "Traceback" in manifest["error"]["traceback"]
    assert not list(store.runs.glob("leaky*"))


def test_scenario_names_must_be_unique(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        run_study([network("a"), network("a", servers=3)], 1, 1, ResultStore(tmp_path), LocalExecutor(1), progress=False)
