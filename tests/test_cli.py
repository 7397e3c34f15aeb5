"""The cbecsim command: outputs, reproducibility, resume, and bad inputs (exit 2, one line,
nothing written)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest

import models
from cbecsim.cli import main

ROOT = Path(__file__).resolve().parents[1]
SHORT = ("--set", "run.horizon=60.0", "--set", "run.warmup=6.0")

SCENARIO = """
model = "queue_network"
name = "desk"
description = "a desk and a check"
[run]
horizon = 60.0
warmup = 6.0
replications = 3
seed = 4
[[params.sources]]
name = "arrivals"
to = "desk"
rate = 2.0
[[params.stations]]
name = "desk"
servers = 2
service = {dist = "exponential", mean = 0.6}
routing = {check = 0.25}
[[params.stations]]
name = "check"
servers = 1
service = {dist = "gamma", mean = 0.8, cv = 0.5}
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_list_shows_models_and_builtin_files(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = cli(capsys, "list")
    assert status == 0
    assert "queue_network" in out and "queue_network/example" in out and "studies/default" in out
    assert "two stations with feedback" in out


def test_validate_prints_ok_lines(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = write(tmp_path, "desk.toml", SCENARIO)
    status, out, err = cli(capsys, "validate", path, ROOT / "scenarios/studies/default.toml", "queue_network/mm1")
    assert status == 0 and err == ""
    lines = out.splitlines()
    assert len(lines) == 3 and all(line.startswith("OK ") for line in lines)
    assert "scenario 'desk'" in lines[0] and "study 'default'" in lines[1] and "scenario 'mm1'" in lines[2]


def test_run_writes_outputs_and_prints_headline(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = write(tmp_path, "desk.toml", SCENARIO)
    out = tmp_path / "out"
    status, printed, err = cli(capsys, "run", path, "--out", out, "--workers", 1, "--events", "--quiet")
    assert status == 0 and err == ""
    assert {p.name for p in out.iterdir()} == {"runs", "runs.parquet", "summary.csv", "manifest.json", "events.parquet"}
    summary = pd.read_csv(out / "summary.csv")
    assert list(summary.columns[:7]) == ["scenario", "metric", "mean", "std", "ci_low", "ci_high", "n"]
    assert set(summary["n"]) == {3} and set(summary["scenario"]) == {"desk"}
    runs = pd.read_parquet(out / "runs.parquet")
    assert list(runs.columns) == ["scenario", "replication", "metric", "value"]
    assert sorted(set(runs["replication"])) == [0, 1, 2]
    events = pd.read_parquet(out / "events.parquet")
    arrivals = events[events["milestone"] == "arrive"].groupby("replication").size()
    arrived_total = runs[runs["metric"] == "system.arrived"]  # arrivals after the warm-up only
    assert (arrivals.values >= arrived_total.sort_values("replication")["value"].values).all()
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "complete" and manifest["seed"] == 4 and manifest["replications"] == 3
    assert str(out) in printed and "system.sojourn_mean_h" in printed


def test_same_seed_identical_summary_and_another_seed_differs(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = write(tmp_path, "desk.toml", SCENARIO)
    for name, seed in (("a", 9), ("b", 9), ("c", 10)):
        assert cli(capsys, "run", path, "--seed", seed, "--reps", 2, "--workers", 1, "--quiet", "--out", tmp_path / name)[0] == 0
    summaries = {name: (tmp_path / name / "summary.csv").read_bytes() for name in "abc"}
    assert summaries["a"] == summaries["b"]
    assert summaries["a"] != summaries["c"]


def test_one_or_two_workers_give_identical_runs(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = write(tmp_path, "desk.toml", SCENARIO)
    for workers in (1, 2):
        assert cli(capsys, "run", path, "--reps", 4, "--workers", workers, "--quiet", "--out", tmp_path / f"w{workers}")[0] == 0
    one, two = (pd.read_parquet(tmp_path / f"w{w}" / "runs.parquet") for w in (1, 2))
    pd.testing.assert_frame_equal(one, two, check_exact=True)
    assert (tmp_path / "w1/summary.csv").read_bytes() == (tmp_path / "w2/summary.csv").read_bytes()


def test_compare_uses_common_random_numbers(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    base = write(tmp_path, "desk.toml", SCENARIO)
    more = write(tmp_path, "more.toml", 'extends = "desk.toml"\nname = "more"\n')
    out = tmp_path / "cmp"
    status, printed, _ = cli(capsys, "compare", base, more, "--set", "params.stations.0.servers=3", "--reps", 3,
                             "--workers", 1, "--quiet", "--out", out)
    assert status == 0
    table = pd.read_csv(out / "comparisons.csv")
    assert set(zip(table["baseline"], table["scenario"])) == {("desk", "more")}
    # --set applies to both files: the same network, the same seed -> identical replications.
    assert (table["diff_mean"] == 0).all() and (table["var_paired"] == 0).all()
    slower = write(tmp_path, "slower.toml", 'extends = "desk.toml"\nname = "slower"\n[[params.sources]]\n'
                   'name = "arrivals"\nto = "desk"\nrate = 2.0\n[[params.stations]]\nname = "desk"\nservers = 2\n'
                   'service = {dist = "exponential", mean = 0.8}\n[[params.stations]]\nname = "check"\nservers = 1\n'
                   'service = {dist = "gamma", mean = 0.8, cv = 0.5}\n')
    status, printed, _ = cli(capsys, "compare", base, slower, "--reps", 4, "--workers", 1, "--quiet",
                             "--out", tmp_path / "cmp2")
    assert status == 0 and "slower - desk" in printed
    table = pd.read_csv(tmp_path / "cmp2" / "comparisons.csv").set_index("metric")
    # Slower service, same arrivals: arrival counts pair exactly, the desk's waits grow.
    assert table.loc["system.arrived", "diff_mean"] == 0 and table.loc["system.arrived", "var_paired"] == 0
    assert table.loc["system.arrived", "var_independent"] > 0
    assert table.loc["station.desk.utilization", "diff_mean"] > 0


def test_default_study_runs_and_resumes(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    status, printed, _ = cli(capsys, "study", "studies/default", "--reps", 2, "--workers", 2, "--quiet", "--no-report")
    assert status == 0
    out = tmp_path / "results" / "default"
    assert {"summary.csv", "runs.parquet", "comparisons.csv", "manifest.json"} <= {p.name for p in out.iterdir()}
    assert "(10 computed, 0 reused" in printed
    status, printed, _ = cli(capsys, "study", "studies/default", "--reps", 3, "--workers", 1, "--quiet", "--no-report")
    assert status == 0 and "(5 computed, 10 reused" in printed
    fresh = tmp_path / "fresh"
    assert cli(capsys, "study", "studies/default", "--reps", 3, "--workers", 2, "--quiet", "--out", fresh,
               "--no-report")[0] == 0
    for name in ("runs.parquet", "summary.csv", "comparisons.csv"):
        if name.endswith(".parquet"):
            pd.testing.assert_frame_equal(pd.read_parquet(out / name), pd.read_parquet(fresh / name), check_exact=True)
        else:
            assert (out / name).read_bytes() == (fresh / name).read_bytes()


def test_study_file_with_overrides(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    write(tmp_path, "desk.toml", SCENARIO)
    write(tmp_path, "more.toml", 'extends = "desk.toml"\nname = "more"\n'
          '[[params.stations]]\nname = "desk"\nservers = 3\nservice = {dist = "exponential", mean = 0.6}\n')
    study = write(tmp_path, "trial.toml", """
        name = "trial"
        [run]
        replications = 2
        horizon = 30.0
        [[groups]]
        baseline = "desk.toml"
        scenarios = ["more.toml"]
    """)
    monkeypatch_out = tmp_path / "trial-out"
    status, printed, _ = cli(capsys, "study", study, "--workers", 1, "--quiet", "--out", monkeypatch_out)
    assert status == 0 and "against desk" in printed and (monkeypatch_out / "report.html").is_file()
    manifest = json.loads((monkeypatch_out / "manifest.json").read_text())
    assert manifest["study"]["name"] == "trial"
    assert [s["resolved"]["run"]["horizon"] for s in manifest["scenarios"]] == [30.0, 30.0]


BAD = [
    # (edit of SCENARIO, expected "FILE: KEY:" start after the file)
    (("rate = 2.0", "rate = 2.0\ncolour = 1"), "params.sources[0].colour: unknown key"),
    (("replications = 3", 'replications = "three"'), "run.replications: must be an integer"),
    (("rate = 2.0", "rate = -2.0"), "params.sources[0].rate: must be > 0"),
    (("routing = {check = 0.25}", "routing = {check = 1.25}"), "params.stations[0].routing.check: must be <= 1"),
    (("routing = {check = 0.25}", "routing = {check = 0.75, desk = 0.5}"), "params.stations[0].routing: probabilities sum"),
    (("routing = {check = 0.25}", "routing = {xray = 0.25}"), "params.stations[0].routing.xray: routes to a station"),
    (('model = "queue_network"', 'model = "pipeline"'), "model: unknown model"),
    (("rate = 2.0", "rate = 20.0"), "params.stations[0]: unstable"),
    (("[run]", "[run"), "line 5: invalid TOML"),
]


@pytest.mark.parametrize(("edit", "expected"), BAD, ids=[b[1].split(":")[0] for b in BAD])
def test_bad_inputs_exit_2_with_one_line_and_write_nothing(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                           edit: tuple[str, str], expected: str) -> None:
    path = write(tmp_path, "bad.toml", SCENARIO.replace(*edit, 1))
    out = tmp_path / "out"
    for command in (["run", path], ["compare", path, path], ["validate", path]):
        status, _, err = cli(capsys, *command, *(["--out", out] if command[0] != "validate" else []))
        assert status == 2
        assert err == f"cbecsim: error: {path}: {expected}" + err.split(expected, 1)[1]
        assert err.count("\n") == 1 and "Traceback" not in err
        assert not out.exists()


def test_extends_cycle_missing_file_and_bad_set(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    write(tmp_path, "a.toml", 'extends = "b.toml"\n')
    write(tmp_path, "b.toml", 'extends = "a.toml"\n')
    good = write(tmp_path, "desk.toml", SCENARIO)
    out = tmp_path / "out"
    cases = [
        (["run", tmp_path / "a.toml"], f"{tmp_path / 'b.toml'}: extends: cycle of extends"),
        (["run", tmp_path / "absent.toml"], f"{tmp_path / 'absent.toml'}: (file): no such file"),
        (["run", good, "--set", "params.stations.7.servers=2"], f"{good}: params.stations.7.servers: item 7 out of range"),
        (["study", tmp_path / "absent.toml"], f"{tmp_path / 'absent.toml'}: (file): no such file"),
    ]
    for argv, start in cases:
        status, _, err = cli(capsys, *argv, "--out", out)
        assert status == 2 and err.startswith(f"cbecsim: error: {start}") and err.count("\n") == 1, err
        assert not out.exists()


def test_the_installed_command_prints_no_traceback(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.toml", SCENARIO.replace("rate = 2.0", "rate = -1.0"))
    done = subprocess.run([sys.executable, "-m", "cbecsim", "run", str(path), "--out", str(tmp_path / "out")],
                          capture_output=True, text=True, cwd=ROOT, timeout=120, check=False)
    assert done.returncode == 2
    assert done.stderr == f"cbecsim: error: {path}: params.sources[0].rate: must be > 0.0, got -1.0\n"
    assert done.stdout == "" and not (tmp_path / "out").exists()


def test_a_failing_run_exits_1_and_the_manifest_records_it(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(ROOT / "tests" / "sim"))
    import leaky_model  # a model whose block loses entities (tests/sim/leaky_model.py)

    monkeypatch.setitem(models.MODELS, "leaky", leaky_model.__name__)
    path = write(tmp_path, "leaky.toml", 'model = "leaky"\nname = "leaky"\n[run]\nhorizon = 10.0\n')
    out = tmp_path / "out"
    status, _, err = cli(capsys, "run", path, "--workers", 1, "--reps", 2, "--quiet", "--out", out)
    assert status == 1
    assert err.startswith("cbecsim: error: run leaky replication 0 (seed 1) failed: ConservationError: created")
    assert "Traceback" not in err and str(out / "manifest.json") in err
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "failed" and "ConservationError" in manifest["error"]["message"]
    assert not (out / "summary.csv").exists()
