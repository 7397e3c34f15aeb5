"""Every shipped mail scenario runs on a short horizon, its lever acts in the expected
direction against the baseline on the same horizon, and the model page is current."""

from __future__ import annotations

import dataclasses
import functools
import math
from pathlib import Path

import pytest

from models.mail.params import Params
from scenarios.loader import Scenario, load_scenario
from scenarios.study import load_study
from sim.parameters import describe
from sim.run import RunResult, run

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = sorted((ROOT / "scenarios" / "mail").glob("*.toml"))
SHORT_DAYS = 12


def shortened(scenario: Scenario, days: float = SHORT_DAYS, warmup_days: float = 3) -> Scenario:
    settings = dataclasses.replace(scenario.settings, horizon=days * 24.0, warmup=warmup_days * 24.0)
    return dataclasses.replace(scenario, settings=settings)


@functools.cache
def short_run(name: str) -> RunResult:
    scenario = load_scenario(ROOT / "scenarios" / "mail" / f"{name}.toml")
    if name != "peak":  # the peak keeps its own window: the Double-11 wave is in it
        scenario = shortened(scenario)
    return run(scenario, 0)


def test_the_issue_s_scenarios_ship():
    names = {path.stem for path in SCENARIOS}
    assert {"baseline", "counter_duty", "ead_95", "round_the_clock", "second_xray_line", "ai_judgement",
            "growth_x3", "peak"} <= names


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda path: path.stem)
def test_scenario_runs_with_sane_kpis(path):
    scenario = load_scenario(path)
    assert scenario.description
    metrics = short_run(path.stem).metrics
    assert metrics["inbound.dispatched"] > 1000 and metrics["outbound.dispatched"] > 500
    for prefix in ("inbound.all.emd_emf", "inbound.not_held.emd_emf", "inbound.all.edb_edc", "outbound.all.emb_emc"):
        values = [metrics[f"{prefix}.{statistic}_h"] for statistic in ("median", "p90", "p95")]
        assert 0 <= values[0] <= values[1] <= values[2]
        assert metrics[f"{prefix}.mean_h"] >= 0
    for name, value in metrics.items():
        if name.endswith(("share", "utilization")) or ".hold_rate" in name:
            assert 0.0 <= value <= 1.0, name
    assert 0.03 <= metrics["inbound.hold_rate"] <= 0.2
    # customs time (EME to EDC) is part of the elapsed EDB to EDC
    assert metrics["inbound.duty.customs_hold.mean_h"] <= metrics["inbound.duty.edb_edc.mean_h"]
    assert metrics["inbound.within_24h_share"] <= metrics["inbound.within_48h_share"]


def test_baseline_is_calibrated_to_2024():
    scenario = load_scenario(ROOT / "scenarios" / "mail" / "baseline.toml")
    assert scenario.params.volume.annual_items == 412_800
    assert scenario.settings.horizon - scenario.settings.warmup == 366 * 24  # the whole of 2024
    metrics = short_run("baseline").metrics
    # 1,130 items a day on average; early January is at 1.05 / 1.001 of the average
    assert 900 < metrics["system.arrivals_per_day"] < 1400
    assert 12.0 <= metrics["inbound.not_held.emd_emf.median_h"] <= 24.0  # domain.md §3


def test_counter_duty_holds_duty_items_longer():
    base, counter = short_run("baseline").metrics, short_run("counter_duty").metrics
    assert counter["inbound.duty.customs_hold.mean_h"] > 2 * base["inbound.duty.customs_hold.mean_h"]
    assert counter["inbound.hold_rate.duty"] == pytest.approx(base["inbound.hold_rate.duty"], abs=0.005)


def test_ead_95_holds_fewer_items():
    base, better = short_run("baseline").metrics, short_run("ead_95").metrics
    assert better["inbound.hold_rate"] < base["inbound.hold_rate"]
    assert better["resource.data_clerks.utilization"] < base["resource.data_clerks.utilization"]


def test_round_the_clock_is_faster_for_items_not_held():
    base, clock = short_run("baseline").metrics, short_run("round_the_clock").metrics
    assert clock["inbound.not_held.emd_emf.median_h"] < base["inbound.not_held.emd_emf.median_h"]


def test_second_xray_line_never_waits_longer():
    base, two = short_run("baseline").metrics, short_run("second_xray_line").metrics
    assert two["station.inbound.xray.wait_mean_h"] <= base["station.inbound.xray.wait_mean_h"]
    assert two["resource.inbound_xray.utilization"] == pytest.approx(base["resource.inbound_xray.utilization"] / 2,
                                                                     rel=0.05)


def test_ai_judgement_saves_officer_time_and_false_holds():
    base, ai = short_run("baseline").metrics, short_run("ai_judgement").metrics
    assert ai["resource.officers.utilization"] < base["resource.officers.utilization"]
    assert ai["inbound.hold_rate.inspection"] < base["inbound.hold_rate.inspection"]


def test_growth_x3_triples_arrivals_and_loads_officers():
    base, grown = short_run("baseline").metrics, short_run("growth_x3").metrics
    assert grown["system.arrivals_per_day"] == pytest.approx(3 * base["system.arrivals_per_day"], rel=0.1)
    assert grown["resource.officers.utilization"] > 2.5 * base["resource.officers.utilization"]


def test_peak_brings_the_double_11_wave():
    scenario = load_scenario(ROOT / "scenarios" / "mail" / "peak.toml")
    assert len([kind for kind in scenario.settings.day_types.values() if kind == "peak"]) == 11
    metrics = short_run("peak").metrics
    # November 1.30 / 1.001 of the average day, 11 of the 28 window days at 1.8 times
    expected = 412_800 / 365 * 1.30 / 1.0014 * (17 + 11 * 1.8) / 28
    assert metrics["system.arrivals_per_day"] == pytest.approx(expected, rel=0.1)
    assert metrics["inbound.backlog_eod_max"] > short_run("baseline").metrics["inbound.backlog_eod_max"]


def test_study_compares_every_scenario_with_the_baseline():
    study = load_study(ROOT / "scenarios" / "studies" / "mail.toml")
    compared = {scenario for _, scenario in study.pairs}
    assert {f"mail_{name}" for name in ("counter_duty", "ead_95", "round_the_clock", "second_xray_line",
                                         "ai_judgement", "growth_x3")} <= compared
    assert "mail_peak" in {scenario.name for scenario in study.scenarios}


def test_model_page_lists_every_parameter_and_upu_event():
    page = (ROOT / "docs" / "mail.md").read_text(encoding="utf-8")
    for parameter in describe(Params):
        assert f"`{parameter.key}`" in page
    for code in ("EMD", "EDB", "EME", "EDC", "EMF", "EMB", "EXA", "EXB", "EXC", "EMC"):
        assert code in page.split("## How it works")[0]  # in the flow diagram


def test_metrics_are_finite_where_items_exist():
    metrics = short_run("baseline").metrics
    for name, value in metrics.items():
        if name.startswith(("inbound.all.", "outbound.all.", "inbound.not_held.")):
            assert math.isfinite(value), name
