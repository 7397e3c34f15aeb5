"""Round trip through observed event logs, on the generic queue network: simulate known
parameters, rewrite the milestone log as a real system's CSV (string case ids, ISO
timestamps, its own column and activity names), calibrate, and recover the parameters;
`check` passes the true scenario and flags one with a service time 1.5 times too long at
that stage; `export` writes OCEL 2.0 that pm4py reads back with the log's counts."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pandas as pd
import pytest

from cbecsim.cli import main
from scenarios.loader import load_scenario

TRUE = """
model = "queue_network"
name = "desk_true"
description = "two counters with known parameters"
[run]
horizon = 700.0
warmup = 24.0
replications = 3
seed = 1
[[params.sources]]
name = "arrivals"
to = "triage"
rate = 4.0
[[params.stations]]
name = "triage"
servers = 4
service = {dist = "lognormal", mean = 0.6, cv = 0.5}
routing = {treat = 0.4}
[[params.stations]]
name = "treat"
servers = 3
service = {dist = "gamma", mean = 1.0, cv = 0.7}
routing = {triage = 0.1}
"""

RENAMED = {"triage.start": "Triage begun", "triage.end": "Triage done", "treat.start": "Treatment begun",
           "treat.end": "Treatment done", "arrive": "Registered", "leave": "Discharged"}
MAPPING = ('[columns]\ncase = "Ticket"\nactivity = "Step"\ntimestamp = "Logged at"\n[activities]\n'
           + "".join(f'"{log}" = "{milestone}"\n' for milestone, log in RENAMED.items()))


@pytest.fixture(scope="module")
def observed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One replication of the true scenario (its own seed), exported, rewritten as a
    ticketing system would: renamed columns and activities, "T-..." ticket ids."""
    folder = tmp_path_factory.mktemp("observed")
    scenario = folder / "true.toml"
    scenario.write_text(TRUE, encoding="utf-8")
    results = folder / "results"
    assert main(["run", str(scenario), "--reps", "1", "--seed", "99", "--events", "--out", str(results),
                 "--quiet", "--workers", "1"]) == 0
    flat = folder / "flat.csv"
    assert main(["export", str(results), "--format", "csv", "--out", str(flat)]) == 0
    log = pd.read_csv(flat)
    tickets = {case: f"T-{index:06d}" for index, case in enumerate(pd.unique(log["case_id"]))}
    real = pd.DataFrame({"Ticket": log["case_id"].map(tickets), "Step": log["activity"].map(RENAMED),
                         "Logged at": log["timestamp"]})
    path = folder / "tickets.csv"
    real.to_csv(path, index=False)
    mapping = folder / "mapping.toml"
    mapping.write_text(MAPPING, encoding="utf-8")
    return {"scenario": scenario, "results": results, "log": path, "mapping": mapping, "folder": folder,
            "flat": flat}


@pytest.fixture(scope="module")
def calibrated(observed: dict[str, Path]) -> Path:
    overlay = observed["folder"] / "fitted" / "overlay.toml"
    assert main(["calibrate", str(observed["log"]), "--model", "queue_network", "--baseline",
                 str(observed["scenario"]), "--mapping", str(observed["mapping"]), "--out", str(overlay)]) == 0
    return overlay


def test_calibrate_recovers_the_known_parameters(calibrated: Path) -> None:
    """Tolerances from the sample sizes (about 2,800 arrivals, 2,900 triage and 1,200
    treatment services): rates and means within 6% (> 3 standard errors), shares within
    0.04 (> 3 binomial standard errors), and the generating family chosen."""
    fitted = load_scenario(calibrated).params
    triage, treat = fitted.stations
    assert fitted.sources[0].rate == pytest.approx(4.0, rel=0.06)
    assert triage.service.kind == "lognormal"
    assert triage.service.expected() == pytest.approx(0.6, rel=0.06)
    assert triage.service.cv == pytest.approx(0.5, rel=0.1)
    assert treat.service.kind == "gamma"
    assert treat.service.expected() == pytest.approx(1.0, rel=0.06)
    assert treat.service.cv == pytest.approx(0.7, rel=0.1)
    assert triage.routing["treat"] == pytest.approx(0.4, abs=0.04)
    assert treat.routing["triage"] == pytest.approx(0.1, abs=0.04)
    # what the log cannot tell is inherited from the baseline
    assert (triage.servers, treat.servers) == (4, 3)


def test_the_overlay_extends_the_baseline_and_states_provenance(calibrated: Path, observed: dict[str, Path]) -> None:
    text = calibrated.read_text(encoding="utf-8")
    data = tomllib.loads(text)
    assert (calibrated.parent / data["extends"]).resolve() == observed["scenario"].resolve()
    assert "params.stations[1].service: fitted from tickets.csv, n = " in text
    assert "KS D = " in text
    table = pd.read_csv(calibrated.with_suffix(".provenance.csv"))
    assert table["fitted"].all() and len(table) == 5
    assert (table["n"] >= 30).all()


def test_too_few_observations_keep_the_baseline_value(observed: dict[str, Path], tmp_path: Path) -> None:
    overlay = tmp_path / "overlay.toml"
    assert main(["calibrate", str(observed["log"]), "--model", "queue_network", "--baseline",
                 str(observed["scenario"]), "--mapping", str(observed["mapping"]), "--out", str(overlay),
                 "--min-observations", "2000"]) == 0
    table = pd.read_csv(overlay.with_suffix(".provenance.csv"))
    refused = table[~table["fitted"]]["parameter"].tolist()
    assert "params.stations[1].service" in refused  # about 1,200 treatments
    assert load_scenario(overlay).params.stations[1].service.kind == "gamma"  # the baseline's, kept


def test_check_passes_the_true_scenario_and_flags_a_slow_treatment(observed: dict[str, Path], tmp_path: Path) -> None:
    wrong = tmp_path / "wrong.toml"
    wrong.write_text(TRUE.replace('name = "desk_true"', 'name = "desk_wrong"')
                     .replace('service = {dist = "gamma", mean = 1.0', 'service = {dist = "gamma", mean = 1.5'),
                     encoding="utf-8")
    verdicts = {}
    for name, scenario in (("true", observed["scenario"]), ("wrong", wrong)):
        out = tmp_path / name
        assert main(["check", str(scenario), "--observed", str(observed["log"]), "--mapping", str(observed["mapping"]),
                     "--reps", "2", "--workers", "1", "--out", str(out)]) == 0
        table = pd.read_csv(out / "check.csv").set_index("stage")
        verdicts[name] = table["verdict"]
        assert len(list((out / "check_figures").glob("ecdf_*.png"))) == len(table)
    # about 1,200 treatments: the true scenario is never flagged; the largest stage is shown within tolerance
    assert (verdicts["true"] != "not within tolerance").all()
    assert verdicts["true"]["triage.start → triage.end"] == "within tolerance"
    assert verdicts["wrong"]["treat.start → treat.end"] == "not within tolerance"
    assert verdicts["wrong"]["triage.start → triage.end"] == "within tolerance"


def test_outputs_and_the_report_hold_no_case_id_of_the_log(observed: dict[str, Path], calibrated: Path, tmp_path: Path) -> None:
    out = tmp_path / "check"
    assert main(["check", str(calibrated), "--observed", str(observed["log"]), "--mapping", str(observed["mapping"]),
                 "--reps", "1", "--workers", "1", "--out", str(out)]) == 0
    assert main(["report", str(out)]) == 0
    report = (out / "report.html").read_text(encoding="utf-8")
    assert "Simulated against observed stage times" in report
    assert "fitted from tickets.csv, n = " in report  # the overlay's provenance reaches the report
    written = [calibrated, calibrated.with_suffix(".provenance.csv"), out / "check.csv", out / "check_quantiles.csv",
               out / "report.html", *(out / "tables").glob("*.csv")]
    tickets = set(pd.read_csv(observed["log"])["Ticket"])
    for path in written:
        text = path.read_text(encoding="utf-8")
        assert "T-0" not in text
        assert not any(ticket in text for ticket in list(tickets)[:200])


def test_bad_logs_exit_2_with_one_line(observed: dict[str, Path], tmp_path: Path, capsys) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("Ticket,Step,Logged at\nT-1,Registered,soon\n", encoding="utf-8")
    status = main(["calibrate", str(bad), "--model", "queue_network", "--baseline", str(observed["scenario"]),
                   "--mapping", str(observed["mapping"]), "--out", str(tmp_path / "o.toml")])
    error = capsys.readouterr().err.strip()
    assert status == 2
    assert error == ("cbecsim: error: " + str(bad) + ": row 2: column 'Logged at': cannot read 'soon' as a time "
                     "(ISO 8601 expected, e.g. 2025-03-01T08:15:00)")
    assert not (tmp_path / "o.toml").exists()


def test_export_ocel_reads_back_in_pm4py(observed: dict[str, Path], tmp_path: Path) -> None:
    pm4py = pytest.importorskip("pm4py", reason="pm4py (test extra) reads OCEL 2.0 files back")
    path = tmp_path / "log.json"
    assert main(["export", str(observed["results"]), "--format", "ocel", "--out", str(path)]) == 0
    flat = pd.read_csv(observed["flat"])
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["objectTypes"] == [{"name": "entity", "attributes": []}]
    ocel = pm4py.read_ocel2_json(str(path))
    assert len(ocel.events) == len(flat)
    assert len(ocel.objects) == flat["case_id"].nunique()
    assert len(ocel.relations) == len(flat)  # each event relates to its entity
    counts = ocel.events["ocel:activity"].value_counts().sort_index()
    assert counts.to_dict() == flat["activity"].value_counts().sort_index().to_dict()
