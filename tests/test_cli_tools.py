"""`cbecsim size` and `cbecsim warmup`: what they print agrees with the analysis functions
they stand for, for any number of workers; bad inputs exit 2 with one line."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from analysis.sizing import sequential
from cbecsim.cli import main
from scenarios.loader import load_scenario
from sim.run import run

MM1 = """
model = "queue_network"
name = "mm1"
description = "M/M/1 at 60% load"
[run]
horizon = 300.0
warmup = 30.0
replications = 5
seed = 2
[[params.sources]]
name = "arrivals"
to = "server"
rate = 0.6
[[params.stations]]
name = "server"
servers = 1
service = {dist = "exponential", mean = 1.0}
"""


@pytest.fixture
def mm1(tmp_path: Path) -> Path:
    path = tmp_path / "mm1.toml"
    path.write_text(MM1, encoding="utf-8")
    return path


def test_size_runs_the_sequential_procedure(mm1: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["size", str(mm1), "--metric", "system.throughput_per_h", "--metric", "station.server.utilization",
            "--rel-width", "0.04", "--initial", "4", "--max-reps", "60"]
    assert main([*argv, "--workers", "1"]) == 0
    one = capsys.readouterr().out
    assert main([*argv, "--workers", "2"]) == 0
    assert capsys.readouterr().out.split("(computed")[0] == one.split("(computed")[0]  # same answer, any workers
    needed = int(re.search(r"\n(\d+) replications meet every target", one).group(1))
    scenario = load_scenario(mm1)
    direct = sequential(lambda r: run(scenario, r).metrics, {"system.throughput_per_h": 0.04,
                                                             "station.server.utilization": 0.04}, initial=4, limit=60)
    assert direct.met and needed == direct.replications > 4
    final = direct.history[direct.history["replications"] == needed]
    assert (final["relative_half_width"] <= 0.04 / 1.04).all()
    for row in final.itertuples():
        assert f"{row.relative_half_width:.2%}" in one


def test_size_and_warmup_refuse_bad_inputs(mm1: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["size", str(mm1), "--metric", "no.such.metric", "--initial", "2", "--max-reps", "3",
                 "--workers", "1"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("cbecsim: error: --metric: replication 0 has no value for ['no.such.metric']") and err.count("\n") == 1
    assert main(["warmup", str(mm1), "--monitor", "nothing", "--reps", "2", "--workers", "1"]) == 2
    assert "available: server.queue, wip" in capsys.readouterr().err


def test_warmup_writes_the_series_and_welch_plot(mm1: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "warm"
    assert main(["warmup", str(mm1), "--reps", "3", "--every", "0.5", "--period", "5", "--workers", "2",
                 "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    series = pd.read_csv(out / "warmup_wip.csv")
    assert list(series.columns) == ["period_start_h", "replication_0", "replication_1", "replication_2"]
    assert len(series) == 60 and series["period_start_h"].iloc[1] == 5.0  # 300 h in periods of 5 h
    assert (out / "welch_wip.png").is_file()
    truncation = int(re.search(r"MSER-5 truncation: (\d+) periods = ([\d.]+) h", printed).group(1))
    assert truncation % 5 == 0 and truncation <= 30  # whole batches, within the first half
    assert "(the scenario's warm-up: 30 h)" in printed
