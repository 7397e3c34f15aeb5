"""The Dask executor: same runs as the local executor, stored as they finish, resumable.

One local Dask cluster of two worker processes serves the whole module (starting one
takes about a second).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from leaky_model import LeakyScenario

from analysis.load import runs_table
from cbecsim.cli import main
from scenarios.catalog import find
from scenarios.loader import load_scenario, scenario_from_mapping
from sim.dask_executor import ClusterError, DaskExecutor
from sim.executors import LocalExecutor
from sim.store import ResultStore
from sim.study import StudyFailed, run_study

SEED = 23
ORDER = ["two", "three"]


def network(name: str, servers: int) -> Any:
    return scenario_from_mapping({
        "model": "queue_network", "name": name,
        "run": {"horizon": 60.0, "warmup": 6.0, "replications": 3, "seed": 5},
        "params": {
            "sources": [{"name": "arrivals", "to": "desk", "rate": 3.0}],
            "stations": [
                {"name": "desk", "servers": servers, "service": {"dist": "exponential", "mean": 0.5},
                 "routing": {"check": 0.3}},
                {"name": "check", "servers": 1, "service": {"dist": "lognormal", "mean": 0.4, "cv": 0.5},
                 "routing": {"desk": 0.1}},
            ],
        },
    }, source=name)


SCENARIOS = [network("two", 2), network("three", 3)]


@pytest.fixture(scope="module")
def cluster() -> Iterator[DaskExecutor]:
    with DaskExecutor(workers=2) as executor:
        yield executor


def square(x: int) -> int:
    return x * x


def test_a_local_cluster_has_the_workers_asked_for_and_returns_every_item_once(cluster: DaskExecutor) -> None:
    assert cluster.workers == 2
    pairs = list(cluster.imap_unordered(square, range(20)))
    assert sorted(pairs) == [(i, i * i) for i in range(20)]
    assert list(cluster.imap_unordered(square, [])) == []


def test_study_on_the_cluster_equals_the_local_study_bit_for_bit(cluster: DaskExecutor, tmp_path: Path) -> None:
    outcomes = {}
    for label, executor in (("dask", cluster), ("local", LocalExecutor(2))):
        store = ResultStore(tmp_path / label)
        outcomes[label] = (store, run_study(SCENARIOS, 4, SEED, store, executor, progress=False, events=True))
    (dask_store, on_cluster), (local_store, local) = outcomes["dask"], outcomes["local"]
    assert on_cluster.keys == local.keys and on_cluster.ran == 8
    pd.testing.assert_frame_equal(runs_table(on_cluster.results, ORDER), runs_table(local.results, ORDER),
                                  check_exact=True)
    for a, b in zip(on_cluster.results, local.results):
        assert (a.created, a.finished, a.in_system, dict(a.dropped)) == (b.created, b.finished, b.in_system,
                                                                          dict(b.dropped))
    for key in local.keys:  # the milestone logs too, row for row
        assert dask_store.load_events(key).equals(local_store.load_events(key))
    # Results do not keep the milestone logs in memory once stored.
    assert all(result.events is None for result in on_cluster.results)


def test_customs_models_on_the_cluster_equal_the_local_runs(cluster: DaskExecutor, tmp_path: Path) -> None:
    scenarios = [load_scenario(find("bonded/baseline"), ["run.horizon=8", "run.warmup=2"]),
                 load_scenario(find("mail/baseline"), ["run.horizon=72", "run.warmup=24"])]
    order = [s.name for s in scenarios]
    tables = [runs_table(run_study(scenarios, 2, SEED, ResultStore(tmp_path / label), executor, progress=False).results,
                         order)
              for label, executor in (("dask", cluster), ("local", LocalExecutor(1)))]
    assert len(tables[0]) > 200
    pd.testing.assert_frame_equal(tables[0], tables[1], check_exact=True)


class _StopAfter:
    """Passes on the first `count` results of another executor, then raises `stop`."""

    def __init__(self, inner: DaskExecutor, count: int, stop: BaseException) -> None:
        self.inner = inner
        self.count = count
        self.stop = stop
        self.workers = inner.workers

    def imap_unordered(self, function: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[tuple[Any, Any]]:
        for seen, pair in enumerate(self.inner.imap_unordered(function, items)):
            if seen == self.count:
                raise self.stop
            yield pair


@pytest.mark.parametrize("stop", [KeyboardInterrupt(), ClusterError("the scheduler went away")],
                         ids=["ctrl-c", "lost cluster"])
def test_an_interrupted_cluster_study_resumes_to_the_same_results(cluster: DaskExecutor, tmp_path: Path,
                                                                  stop: BaseException) -> None:
    store = ResultStore(tmp_path / "resumed")
    with pytest.raises(type(stop)):
        run_study(SCENARIOS, 5, SEED, store, _StopAfter(cluster, 3, stop), progress=False)
    manifest = json.loads((store.folder / "manifest.json").read_text())
    assert manifest["status"] == "interrupted" and manifest["runs"]["ran"] == 3
    assert len(list(store.runs.glob("*.json"))) == 3  # each finished run was stored as it came
    resumed = run_study(SCENARIOS, 5, SEED, store, cluster, progress=False)
    assert (resumed.ran, resumed.reused) == (7, 3)
    fresh = run_study(SCENARIOS, 5, SEED, ResultStore(tmp_path / "fresh"), LocalExecutor(1), progress=False)
    pd.testing.assert_frame_equal(runs_table(resumed.results, ORDER), runs_table(fresh.results, ORDER),
                                  check_exact=True)


# A model whose runs fail (it loses entities): tests/sim/leaky_model.py


def test_a_run_failing_on_a_worker_stops_the_study_and_the_manifest_says_why(cluster: DaskExecutor,
                                                                            tmp_path: Path) -> None:
    with pytest.raises(StudyFailed) as caught:
        run_study([LeakyScenario()], 2, SEED, ResultStore(tmp_path), cluster, progress=False)
    assert "ConservationError" in str(caught.value)
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["status"] == "failed" and "ConservationError" in manifest["error"]["message"]
    assert list(cluster.imap_unordered(square, [3])) == [(3, 9)]  # the cluster is still usable


def test_an_unreachable_scheduler_is_a_clear_error() -> None:
    executor = DaskExecutor(scheduler="tcp://127.0.0.1:9", timeout_seconds=1.0)
    with pytest.raises(ClusterError, match="tcp://127.0.0.1:9"):
        executor.open()


def test_command_line_dask_executor_writes_the_same_runs_as_the_local_pool(tmp_path: Path,
                                                                          capsys: pytest.CaptureFixture[str]) -> None:
    common = ["run", "queue_network/mm1", "--reps", "3", "--set", "run.horizon=50", "--set", "run.warmup=5", "--quiet"]
    assert main([*common, "--out", str(tmp_path / "dask"), "--executor", "dask", "--workers", "2"]) == 0
    assert main([*common, "--out", str(tmp_path / "local"), "--workers", "1"]) == 0
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "dask" / "runs.parquet"),
                                  pd.read_parquet(tmp_path / "local" / "runs.parquet"), check_exact=True)
    manifest = json.loads((tmp_path / "dask" / "manifest.json").read_text())
    assert manifest["executor"] == {"kind": "dask", "scheduler": None} and manifest["workers"] == 2
    assert main([*common, "--out", str(tmp_path / "bad"), "--executor", "local", "--scheduler", "tcp://x:1"]) == 2
    assert "--scheduler" in capsys.readouterr().err and not (tmp_path / "bad").exists()
