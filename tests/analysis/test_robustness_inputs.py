"""`cbecsim robustness`: its output, and bad input stopping before anything runs (one line
naming the file and the key, exit status 2)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import robustness_toy

import models
from cbecsim.cli import main

BASE = 'model = "robustness_toy"\nname = "four"\n[run]\nhorizon = 100.0\nwarmup = 10.0\n[params]\nservers = 4\n'
FIVE = 'model = "robustness_toy"\nname = "five"\nextends = "base.toml"\n[params]\nservers = 5\n'
GROUP = '[[groups]]\nbaseline = "base.toml"\nscenarios = ["five.toml"]\n'


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setitem(models.MODELS, robustness_toy.NAME, robustness_toy.__name__)
    (tmp_path / "base.toml").write_text(BASE)
    (tmp_path / "five.toml").write_text(FIVE)
    return tmp_path


def _study(folder: Path, table: str) -> str:
    path = folder / "study.toml"
    path.write_text(f'name = "toy"\n{GROUP}[robustness]\n{table}')
    return str(path)


def _run(folder: Path, *arguments: str) -> int:
    return main(["robustness", *arguments, "--out", str(folder / "out"), "--quiet", "--workers", "1"])


def test_a_study_writes_both_tables_and_prints_the_labels(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(folder, _study(folder, "points = 3\nreplications = 1\n")) == 0
    out = capsys.readouterr().out
    assert (folder / "out" / "robustness.csv").is_file() and (folder / "out" / "robustness_runs.parquet").is_file()
    assert "five - four" in out and "indicative (" in out
    assert "8 runs (8 computed" in out  # (3 points + nominal) x 2 scenarios x 1 replication


def test_scenario_files_work_without_a_study(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(folder, str(folder / "base.toml"), str(folder / "five.toml"), "--points", "2", "--reps", "1") == 0
    assert "wait.mean_h" in capsys.readouterr().out


@pytest.mark.parametrize(("table", "key", "reason"), [
    ("points = 8\nreplications = 2\npointz = 3\n", "robustness.pointz", "unknown key"),
    ("points = 8\nreplications = 2\nparameters = [\"params.no_such\"]\n", "robustness.parameters[0]",
     "unknown parameter params.no_such"),
    ("points = 8\nreplications = 2\n[robustness.ranges]\n\"params.staff_cost_cny_per_h\" = [90.0, 40.0]\n",
     "robustness.ranges.params.staff_cost_cny_per_h", "low 90 > high 40"),
    ("points = 8\nreplications = 2\n[robustness.ranges]\n\"params.staff_cost_cny_per_h\" = [90.0, 120.0]\n",
     "robustness.ranges.params.staff_cost_cny_per_h", "outside the range 90 – 120"),
    ("points = 8\nreplications = 2\nparameters = [\"params.arrival_rate\"]\n", "robustness.parameters[0]",
     "has no plausible range"),
    ("points = 8\nreplications = 2\nmax_runs = 35\n", "robustness.max_runs", "needs 36 runs"),
    ("points = 1\nreplications = 2\n", "robustness.points", "must be an integer >= 2"),
    ("points = 8\nreplications = 2\nhorizon = 5.0\n", "robustness.horizon", "not above the warm-up"),
    ("points = 8\nreplications = 2\nscenarios = [\"six\"]\n", "robustness.scenarios[0]",
     "'six' is not an alternative of the study"),
])
def test_bad_tables_stop_before_anything_runs(folder: Path, capsys: pytest.CaptureFixture[str], table: str,
                                              key: str, reason: str) -> None:
    assert _run(folder, _study(folder, table)) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"study.toml: {key}: " in err and reason in err, err
    assert not (folder / "out").exists()


def test_the_command_line_budget_overrides_the_study_and_is_named(folder: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(folder, _study(folder, "points = 8\nreplications = 2\n"), "--max-runs", "20") == 2
    err = capsys.readouterr().err
    assert "--max-runs: the experiment needs 36 runs" in err and "budget of 20" in err
    assert not (folder / "out").exists()


def test_a_study_without_a_table_needs_points(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = folder / "plain.toml"
    path.write_text(f'name = "toy"\n{GROUP}')
    assert _run(folder, str(path)) == 2
    assert "plain.toml: robustness: missing" in capsys.readouterr().err


def test_a_study_with_a_table_runs_the_experiment_with_the_study(folder: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    study = _study(folder, "points = 2\nreplications = 1\nscenarios = [\"five\"]\n")
    assert main(["study", study, "--out", str(folder / "out"), "--quiet", "--workers", "1", "--reps", "2",
                 "--no-report"]) == 0
    out = capsys.readouterr().out
    for name in ("comparisons.csv", "robustness.csv", "robustness_runs.parquet", "robustness/manifest.json"):
        assert (folder / "out" / name).is_file(), name
    assert "robustness to assumptions" in out and "indicative" in out


def test_validate_designs_the_experiment_without_running_it(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", _study(folder, "points = 3\nreplications = 2\n")]) == 0
    assert "robustness experiment of 16 runs" in capsys.readouterr().out
    assert main(["validate", _study(folder, "points = 3\nreplications = 2\nmax_runs = 10\n")]) == 2
    assert "robustness.max_runs: the experiment needs 16 runs" in capsys.readouterr().err


def test_scenario_inputs_vary_through_study_ranges_and_metrics_must_be_named(tmp_path: Path,
                                                                             capsys: pytest.CaptureFixture[str]) -> None:
    examples = Path(__file__).resolve().parents[2] / "scenarios" / "queue_network"
    study = tmp_path / "qn.toml"
    study.write_text(f'name = "qn"\n[[groups]]\nbaseline = "{examples / "example.toml"}"\n'
                     f'scenarios = ["{examples / "two_triage_servers_more.toml"}"]\n'
                     '[robustness]\npoints = 2\nreplications = 1\nhorizon = 300.0\n[robustness.ranges]\n'
                     '"params.sources.0.rate" = [7.0, 9.0]\n"params.stations.1.service" = [0.3, 0.6]\n')
    assert _run(tmp_path, str(study)) == 2  # the queue network declares no headline metrics
    assert "qn.toml: groups[0].headline: missing" in capsys.readouterr().err
    assert _run(tmp_path, str(study), "--metric", "system.sojourn_mean_h") == 0
    assert "system.sojourn_mean_h" in capsys.readouterr().out
    runs = pd.read_parquet(tmp_path / "out" / "robustness_runs.parquet")
    sampled = runs[runs["point"] > 0]
    assert sampled["params.sources.0.rate"].between(7.0, 9.0).all()
    assert sampled["params.stations.1.service"].between(0.3, 0.6).all()  # a deterministic time, scaled
