"""The report of a tiny study: every file, figure and section, and numbers that reconcile."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.image import imread

from analysis.document import ModelInfo
from analysis.report import write_report
from analysis.style import DPI, WIDTH_IN
from cbecsim.cli import main
from cbecsim.report import model_info
from cbecsim.workflow import execute
from scenarios.study import load_study
from sim.metrics_registry import Metric, MetricRegistry
from sim.spec import ClassRule, StageFlow

DESK = """
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
rate = 1.5
[[params.stations]]
name = "desk"
servers = 2
service = {dist = "exponential", mean = 1.0}
routing = {check = 0.3}
[[params.stations]]
name = "check"
servers = 1
service = {dist = "deterministic", value = 0.5}
"""

RATE = '[[groups.sweep.levers]]\npath = "params.sources.0.rate"\nlow = 0.5\nhigh = 1.5\nlabel = "arrival rate"\nunit = "1/h"'
CHECK = '[[groups.sweep.levers]]\npath = "params.stations.1.service.value"\nlow = 0.25\nhigh = 0.75\nlabel = "check time"'
SWEEP = '[[groups]]\nbaseline = "desk.toml"\n[groups.sweep]\nmetrics = ["system.sojourn_mean_h"]\n'

STUDY = f"""
name = "tiny"
description = "a tiny study with every kind of section"
events = true
[run]
replications = 3
seed = 4
[[groups]]
baseline = "desk.toml"
scenarios = ["more.toml"]
headline = {{"system.sojourn_mean_h" = "the time in the office (h)", "station.desk.utilization" = ""}}
{SWEEP}design = "grid"\n{RATE}\nsteps = 3
{SWEEP}design = "grid"\n{RATE}\nsteps = 2\n{CHECK}\nsteps = 2
{SWEEP}design = "latin_hypercube"\nsamples = 4\n{RATE}\n{CHECK}
{SWEEP}design = "one_at_a_time"\n{RATE}\n{CHECK}
{SWEEP}design = "morris"\ntrajectories = 2\n{RATE}\n{CHECK}
{SWEEP}design = "sobol"\nbase_samples = 4\n{RATE}\n{CHECK}
"""

INFO = ModelInfo(
    name="queue_network",
    summary="A network of stations.",
    registry=MetricRegistry([Metric("system.sojourn_mean_h", "Time in the network, mean (h)", "系统平均逗留时间（小时）", "h",
                                    "lower", "time", "mean hours from arrival to leaving", 0.05)]),
    stage_flows=(StageFlow("main", "Main", "主流程", ("arrive", "desk.start", "desk.end"),
                           (ClassRule("checked", has="check.start"), ClassRule("direct"))),),
    parameters=({"key": "params.sources", "default": "(required)", "unit": "", "range": "", "provenance": "input",
                 "doc": "Poisson sources"},),
)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    folder = tmp_path_factory.mktemp("tiny")
    (folder / "desk.toml").write_text(textwrap.dedent(DESK), encoding="utf-8")
    (folder / "more.toml").write_text('extends = "desk.toml"\nname = "more"\ndescription = "three desk servers"\n'
                                      '[[params.stations]]\nname = "desk"\nservers = 3\n'
                                      'service = {dist = "exponential", mean = 1.0}\nrouting = {check = 0.3}\n'
                                      '[[params.stations]]\nname = "check"\nservers = 1\n'
                                      'service = {dist = "deterministic", value = 0.5}\n', encoding="utf-8")
    (folder / "study.toml").write_text(STUDY, encoding="utf-8")
    study = load_study(folder / "study.toml")
    out = folder / "out"
    execute(list(study.scenarios), study.replications, study.seed, out, pairs=list(study.pairs), workers=1,
            progress=False, events=study.events, info={"study": study.record(), "command": ["cbecsim", "study"]})
    return out, write_report(out, {"queue_network": INFO})


def test_every_file_and_figure(tiny: tuple[Path, object]) -> None:
    out, report = tiny
    assert report.problems == ()
    html = (out / "report.html").read_text(encoding="utf-8")
    # self-contained: every figure embedded, nothing fetched
    assert len(re.findall(r'<img [^>]*src="data:image/png;base64,', html)) == len(report.figures)
    assert not re.search(r'(src|href)="(https?:)?//', html)
    names = {path.name for path in report.figures}
    expected = {
        "queue_network_desk_change_more_vs_desk.png",  # comparison chart (one pair: metrics as rows)
        "queue_network_stages_main.png", "queue_network_stages_main_desk_by_class.png",  # TRS
        "queue_network_utilisation.png",
        "sweep0_grid_system_sojourn_mean_h.png",  # capacity curve
        "sweep1_grid_system_sojourn_mean_h.png",  # two-lever response curves
        "sweep2_latin_hypercube_system_sojourn_mean_h.png", "sweep3_one_at_a_time_system_sojourn_mean_h.png",
        "sweep4_morris_system_sojourn_mean_h.png", "sweep5_sobol_system_sojourn_mean_h.png",
    }
    assert expected <= names, expected - names
    for path in report.figures:
        image = imread(path)
        assert image.shape[1] == round(WIDTH_IN * DPI)
        assert len(np.unique(image.reshape(-1, image.shape[2]), axis=0)) > 20  # not blank
    tables = {path.name for path in report.tables}
    assert {"scenarios.csv", "reproducibility.csv", "scenarios_as_run.csv", "queue_network_desk_key_metrics.csv",
            "queue_network_desk_comparisons.csv", "queue_network_desk_findings.csv", "queue_network_stages_main.csv",
            "queue_network_utilisation.csv", "queue_network_parameters.csv", "sweep0_grid_points.csv"} <= tables
    assert all(path.is_file() for path in (*report.figures, *report.tables))
    for heading in ("Overview", "Model: queue_network", "What was compared", "Headline findings", "Key metrics",
                    "Comparisons with the baseline", "Time Release Study: stage times", "Utilisation",
                    "Grid sweep around desk", "One-at-a-time sensitivity around desk", "Morris screening around desk",
                    "Sobol sensitivity indices around desk", "Parameters and their sources",
                    "Reproducibility (STRESS-DES)"):
        assert f">{heading}</h" in html, heading


def test_findings_tables_and_reproducibility_reconcile(tiny: tuple[Path, object]) -> None:
    out, report = tiny
    comparisons = pd.read_csv(out / "comparisons.csv").set_index("metric")
    sojourn = comparisons.loc["system.sojourn_mean_h"]
    (finding,) = [f for f in report.findings if f.metric == "system.sojourn_mean_h"]
    assert finding.scenario == "more" and "the time in the office (h)" in finding.sentence
    assert f"{abs(sojourn['rel_change']) * 100:.0f}%" in finding.sentence or sojourn["rel_ci_high"] > 0 > sojourn["rel_ci_low"]
    stages = pd.read_csv(out / "tables" / "queue_network_stages_main.csv")
    for (_, _), part in stages.groupby(["scenario", "class"]):
        total = part.loc[part["stage"] == "total", "mean"].iloc[0]
        assert part.loc[part["stage"] != "total", "mean"].sum() == pytest.approx(total, abs=1e-9)
    assert set(stages["class"]) == {"all", "checked", "direct"}
    stress = pd.read_csv(out / "tables" / "reproducibility.csv").set_index("item")["value"]
    assert stress["Replications per scenario"] == "3"
    assert stress["Random numbers"].startswith("root seed 4;")
    assert "60" in stress["Horizon (hours simulated per replication)"]
    key = pd.read_csv(out / "tables" / "queue_network_desk_key_metrics.csv")
    assert set(key["metric"]) == {"system.sojourn_mean_h", "station.desk.utilization"}


def test_the_command_writes_a_report_and_refuses_a_folder_without_results(
        tiny: tuple[Path, object], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out, _ = tiny
    assert main(["report", str(out)]) == 0
    assert f"report: {out / 'report.html'}" in capsys.readouterr().out
    assert main(["report", str(tmp_path)]) == 2
    assert "no manifest.json" in capsys.readouterr().err


def test_model_info_reads_a_models_declarations() -> None:
    info = model_info("bonded")
    assert info.stage_flows[0].milestones[0] == "order_paid" and info.stage_flows[0].classes
    assert info.headline and info.parameters and info.registry is not None
    assert info.label("trucks.load_factor") == "Truck load factor"
    assert info.label("trucks.load_factor", "zh") == "车辆装载率"
    mail = model_info("mail")
    assert [flow.name for flow in mail.stage_flows] == ["inbound", "outbound"]
    assert model_info("no_such_model") == ModelInfo("no_such_model")
