"""Round trip of the mail model through a UPU event log: simulate known parameters, write
the log as a postal system would (S10-style item ids, UPU event codes, local times with
their +08:00 offset, its own column names), calibrate, recover what the log measures;
`check` passes the true scenario and flags one whose documents take 1.5 times as long, in
the held items' customs stage."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cbecsim.cli import main
from models.mail.params import Outbound
from scenarios.catalog import find
from scenarios.loader import load_scenario

MAPPING = '[columns]\ncase = "mailitm_fid"\nactivity = "event_cd"\ntimestamp = "event_local_time"\n'


def scenario_text(baseline: Path, folder: Path, name: str, documents_mean: float) -> str:
    extends = os.path.relpath(baseline, folder)
    return f"""
model = "mail"
name = "{name}"
description = "two weeks of March 2024, more holds than the baseline (to sample them)"
extends = "{extends}"
[run]
horizon = 360.0
warmup = 24.0
replications = 2
seed = 1
start = 2024-03-04T00:00:00
[params.outbound]
hold_rate = 0.15
refusal_share = 0.25
[params.customs]
documents_rate = 0.1
documents_delay_h = {{dist = "lognormal", mean = {documents_mean}, cv = 1.0}}
"""


@pytest.fixture(scope="module")
def observed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("mail_observed")
    baseline = find("mail/baseline")
    assert baseline is not None
    true = folder / "true.toml"
    true.write_text(scenario_text(baseline, folder, "mail_true", 48.0), encoding="utf-8")
    wrong = folder / "wrong.toml"
    wrong.write_text(scenario_text(baseline, folder, "mail_wrong", 72.0), encoding="utf-8")
    results = folder / "results"
    assert main(["run", str(true), "--reps", "1", "--seed", "99", "--events", "--out", str(results), "--quiet",
                 "--workers", "1"]) == 0
    flat = folder / "flat.csv"
    assert main(["export", str(results), "--format", "csv", "--out", str(flat)]) == 0
    log = pd.read_csv(flat)
    items = {case: f"L{chr(65 + index % 26)}{index:09d}CN" for index, case in enumerate(pd.unique(log["case_id"]))}
    path = folder / "upu_events.csv"
    pd.DataFrame({"mailitm_fid": log["case_id"].map(items), "event_cd": log["activity"],
                  "event_local_time": log["timestamp"] + "+08:00"}).to_csv(path, index=False)
    mapping = folder / "mapping.toml"
    mapping.write_text(MAPPING, encoding="utf-8")
    return {"true": true, "wrong": wrong, "log": path, "mapping": mapping, "folder": folder}


def test_calibrate_recovers_what_upu_events_measure(observed: dict[str, Path]) -> None:
    """About 5,700 outbound items and 850 holds in two weeks: the hold rate within 0.02 and
    the refusal share within 0.06 (4 binomial standard errors); the hourly profile within
    0.5 of the true relative weight in every hour (4 Poisson standard errors at the peak)."""
    overlay = observed["folder"] / "fitted.toml"
    assert main(["calibrate", str(observed["log"]), "--model", "mail", "--mapping", str(observed["mapping"]),
                 "--out", str(overlay)]) == 0
    fitted = load_scenario(overlay).params.outbound
    assert fitted.hold_rate == pytest.approx(0.15, abs=0.02)
    assert fitted.refusal_share == pytest.approx(0.25, abs=0.06)
    true = np.asarray(Outbound().hourly_profile, dtype=float)
    assert np.allclose(np.asarray(fitted.hourly_profile), true / true.mean(), atol=0.5)
    text = overlay.read_text(encoding="utf-8")
    assert "L" + "A000000000CN" not in text and "CN\n" not in text  # no item id


def test_check_flags_slow_documents_in_the_held_items_customs_stage(observed: dict[str, Path], tmp_path: Path) -> None:
    tables = {}
    for name in ("true", "wrong"):
        out = tmp_path / name
        assert main(["check", str(observed[name]), "--observed", str(observed["log"]), "--mapping",
                     str(observed["mapping"]), "--reps", "2", "--workers", "1", "--out", str(out)]) == 0
        tables[name] = pd.read_csv(out / "check.csv").set_index(["flow", "class", "stage"])["verdict"]
    true, wrong = tables["true"], tables["wrong"]
    assert (true != "not within tolerance").all(), true[true == "not within tolerance"]
    assert wrong[("inbound", "held", "EDB → EDC")] == "not within tolerance"
    assert (wrong.xs("not_held", level="class") != "not within tolerance").all()
    assert (wrong.xs("outbound", level="flow") != "not within tolerance").all()
