"""The shipped bonded scenario and study files, and the model page.

Every scenario file runs on a short horizon (12 h, a tenth of the volume on trucks a
tenth the size, so that loads stand to the trucks' minimum load as on a full day) with
assertions on its KPIs; the files are compared with each other under common random
numbers; every parameter has a provenance on the model page.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from bonded_helpers import SCENARIOS, carriers

from analysis.classify import entity_classes
from analysis.stages import log_frame, stage_durations
from models.bonded.build import kickoff_profiles
from models.bonded.spec import ORDER_FLOW, SPEC
from scenarios.loader import Scenario, load_scenario
from scenarios.study import load_study
from sim.parameters import describe
from sim.run import RunResult, run

NAMES = ("baseline", "same_parcel", "same_truck", "pilot", "peak", "peak_pilot", "season_opening",
         "season_opening_prepared")
HORIZON = 12.0
VOLUME = 6_000.0  # a tenth of a normal day
SCALE = 0.1  # trucks (and other shippers' cargo on the pickups) a tenth the size


def short(name: str) -> Scenario:
    overrides: list[tuple[str, object]] = [("run.horizon", HORIZON), ("run.warmup", 0.0),
                                           ("params.orders.daily_volume", VOLUME),
                                           ("params.domestic.replenishment_truck.volume_m3", 50.0 * SCALE)]
    if name.startswith("peak"):  # the evening before the peak and its opening surge at midnight
        overrides.append(("run.start", "2025-11-10T18:00"))
    if name.startswith("season_opening"):  # the opening day's afternoon and its surge from 20:00
        overrides.append(("run.start", "2025-10-14T12:00"))
    path = SCENARIOS / f"{name}.toml"
    overrides.append(("params.trucks.carriers", carriers(SCALE, of=load_scenario(path).params)))
    return load_scenario(path, overrides)


@pytest.fixture(scope="module")
def results() -> dict[str, tuple[Scenario, RunResult]]:
    runs = {}
    for name in NAMES:
        scenario = short(name)
        runs[name] = scenario, run(scenario, 0, events=name == "peak")
    return runs


def expected_orders(scenario: Scenario) -> float:
    """Mean number of orders paid over the run: hour by hour, the daily volume × the day
    type's multiplier × the hour's share of the day type's profile."""
    orders = scenario.params.orders
    calendar = scenario.settings.calendar()
    special = kickoff_profiles(scenario.params)
    total = 0.0
    for hour in range(int(scenario.settings.horizon)):
        day = calendar.day_index(hour + 0.5)
        kind = calendar.day_type(day)
        profile = special.get(kind, orders.hourly_profile)
        clock = int(hour + calendar.start_hour) % 24
        total += orders.daily_volume * orders.day_multipliers.get(kind, 1.0) * profile[clock] / sum(profile)
    return total


def test_the_scenario_files_are_the_six_of_the_issue_and_the_season_opening_and_describe_themselves() -> None:
    assert sorted(path.stem for path in SCENARIOS.glob("*.toml")) == sorted(NAMES)
    for name in NAMES:
        scenario = load_scenario(SCENARIOS / f"{name}.toml")
        assert scenario.model == "bonded" and scenario.name == f"bonded_{name}"
        assert len(scenario.description) > 150, name
        assert scenario.params.policy.same_parcel == (name in ("same_parcel", "pilot", "peak_pilot"))
        assert scenario.params.policy.same_truck == (name in ("same_truck", "pilot", "peak_pilot"))
    peak = load_scenario(SCENARIOS / "peak.toml")
    assert peak.settings.day_types["2025-11-11"] == "peak"
    assert peak.params.orders.daily_volume * peak.params.orders.day_multipliers["peak"] == pytest.approx(138_000)


@pytest.mark.parametrize("name", NAMES)
def test_every_scenario_runs_short_with_sound_kpis(results: dict, name: str) -> None:
    scenario, result = results[name]
    metrics = result.metrics
    expected = expected_orders(scenario)
    assert abs(metrics["orders.paid"] - expected) <= 4 * math.sqrt(expected)
    assert sum(metrics[f"channel.{c}.share"] for c in ("green", "yellow", "red")) == pytest.approx(1.0)
    assert 1.0 <= metrics["orders.parcels_per_order"] <= 2.0
    assert metrics["trucks.departures_per_day"] > 0 and 0 < metrics["trucks.load_factor"] <= 1
    assert metrics["clearance.green.p95_h"] < 0.5  # automatic release within minutes
    assert metrics["clearance.yellow.mean_h"] > metrics["clearance.green.mean_h"]
    assert metrics["zone_dwell.median_h"] < metrics["order_to_delivery.median_h"]
    assert metrics["order_to_delivery.p95_h"] <= metrics["zone_dwell.p95_h"] + 120 + 12  # slowest region's last mile
    for pool in ("officers", "pickers", "pack_stations", "xray_lines", "gate_lanes"):
        assert 0 <= metrics[f"utilization.{pool}"] <= 1.05, pool  # > 1 only while a shift ends mid-service
    assert metrics["cost.per_order_cny"] > 0
    policy = scenario.params.policy
    mixed = metrics["orders.mixed_share_realised"]
    if policy.same_parcel:
        assert 0 < metrics["orders.same_parcel_share"] <= mixed
        assert 1.0 < metrics["orders.parcels_per_order"] < 1.0 + mixed  # stock-outs still split a few
    else:
        assert metrics["orders.same_parcel_share"] == 0
        assert metrics["orders.parcels_per_order"] == pytest.approx(1.0 + mixed, abs=1e-12)
    if policy.same_parcel or policy.same_truck:
        assert metrics["gate.inbound_trucks_per_day"] > 0  # the zone's domestic stock is replenished
    else:
        assert metrics["gate.inbound_trucks_per_day"] == 0


def test_the_scenarios_compare_as_the_pilot_intends(results: dict) -> None:
    m = {name: result.metrics for name, (_, result) in results.items()}
    for name in NAMES:  # common random numbers: the same orders in each group
        if name.startswith("season_opening"):
            assert m[name]["orders.paid"] == m["season_opening"]["orders.paid"]
            continue
        group = "peak" if name.startswith("peak") else "baseline"
        assert m[name]["orders.paid"] == m[group]["orders.paid"]
        assert m[name]["orders.mixed_share_realised"] == m[group]["orders.mixed_share_realised"]
    assert m["pilot"]["orders.parcels_per_order"] < m["baseline"]["orders.parcels_per_order"]
    assert m["peak_pilot"]["orders.parcels_per_order"] < m["peak"]["orders.parcels_per_order"]
    # same parcel alone splits each carrier's parcels over two kinds of truck: more trucks loading
    loading = {name: m[name]["trucks.zone.departures_per_day"] + m[name]["trucks.zone.skipped_per_day"]
               for name in ("baseline", "same_parcel")}
    assert loading["same_parcel"] > loading["baseline"]
    assert m["pilot"]["trucks.zone.load_factor"] > m["same_parcel"]["trucks.zone.load_factor"]
    assert m["pilot"]["cost.per_order_cny"] < m["baseline"]["cost.per_order_cny"]
    assert m["pilot"]["utilization.pickers"] > m["baseline"]["utilization.pickers"]  # domestic items picked in the zone
    # on a normal day the pilot's domestic parcels ride the zone trucks' spare room (on the
    # peak night the zone trucks leave full; the short runs end before the first pickup)
    assert m["pilot"]["trucks.zone.load_factor"] > m["baseline"]["trucks.zone.load_factor"]
    for pilot, baseline in (("pilot", "baseline"), ("peak_pilot", "peak")):  # replenishment trucks come in
        assert m[pilot]["trucks.replenishment.trips_per_day"] > 0 == m[baseline]["trucks.replenishment.trips_per_day"]


def test_the_peak_opens_with_a_surge_at_midnight(results: dict) -> None:
    scenario, result = results["peak"]
    paid = result.events.times_of("order_paid")[1]  # type: ignore[union-attr]
    evening = ((paid >= 3.0) & (paid < 5.0)).sum()  # 21:00-23:00 on 10 November, the busiest hours of a day
    opening = ((paid >= 6.0) & (paid < 8.0)).sum()  # 00:00-02:00 on 11 November
    orders = scenario.params.orders
    profile = orders.hourly_profile
    ratio = (orders.day_multipliers["peak"] * orders.kickoff_multiplier * (profile[0] + profile[1])
             / (sum(profile) - profile[0] - profile[1] + orders.kickoff_multiplier * (profile[0] + profile[1]))) / (
        orders.day_multipliers["promotion"] * (profile[21] + profile[22]) / sum(profile))
    assert ratio > 1.5
    assert opening / evening == pytest.approx(ratio, rel=0.15)


def test_the_season_opens_with_a_surge_at_eight_in_the_evening(results: dict) -> None:
    scenario, result = results["season_opening"]
    orders = scenario.params.orders
    assert orders.kickoff_start == "20:00" and scenario.settings.calendar().day_type(0) == "season_opening"
    profile = kickoff_profiles(scenario.params)["season_opening"]
    # 12:00-24:00 of the opening day: the expected orders are the hours' shares of the day
    afternoon = sum(profile[12:20]) / sum(profile)
    evening = sum(profile[20:24]) / sum(profile)
    day = orders.daily_volume * orders.day_multipliers["season_opening"]
    assert evening > 1.5 * afternoon
    expected = day * (afternoon + evening)
    assert abs(result.metrics["orders.paid"] - expected) <= 4 * expected ** 0.5


def test_demand_by_hour_integrates_to_the_calibrated_daily_volume() -> None:
    """A whole opening day brings daily volume × its multiplier orders, the surge only
    moving them between hours."""
    path = SCENARIOS / "season_opening.toml"
    scenario = load_scenario(path, [("run.start", "2025-10-14T00:00"), ("run.horizon", 24.0), ("run.warmup", 0.0),
                                    ("params.orders.daily_volume", 5_000.0)])
    day = 5_000.0 * scenario.params.orders.day_multipliers["season_opening"]
    assert expected_orders(scenario) == pytest.approx(day, rel=1e-12)
    paid = run(scenario, 0).metrics["orders.paid"]
    assert abs(paid - day) <= 4 * day ** 0.5


def test_a_prepared_opening_lets_more_out_and_leaves_less_behind() -> None:
    """At full volume (the short runs' tenth of a day leaves the warehouse idle) the opening
    evening's pickers are the bottleneck: orders picked and packed in advance relieve
    them, and the extra departures carry the result out."""
    def evening(name: str) -> dict[str, float]:
        path = SCENARIOS / f"{name}.toml"
        return run(load_scenario(path, [("run.start", "2025-10-14T18:00"), ("run.horizon", 8.0),
                                        ("run.warmup", 0.0)]), 0).metrics
    plain, prepared = evening("season_opening"), evening("season_opening_prepared")
    assert prepared["opening.paid"] == plain["opening.paid"] > 40_000
    assert plain["wait.picking.mean_h"] > 10 * plain["wait.packing.mean_h"]  # pickers bind
    assert prepared["opening.left_zone"] > plain["opening.left_zone"]
    assert prepared["opening.backlog_end"] < plain["opening.backlog_end"]


def test_the_peak_study_compares_the_prepared_opening_and_sweeps_its_levers() -> None:
    study = load_study(SCENARIOS.parent / "studies" / "bonded_peak.toml")
    names = [s.name for s in study.scenarios]
    assert names[:2] == ["bonded_season_opening", "bonded_season_opening_prepared"]
    assert ("bonded_season_opening", "bonded_season_opening_prepared") in study.pairs
    assert any("pre-declared_share=0.6" in name for name in names) and any("pre-packed_share=0.4" in name for name in names)


def test_the_study_compares_the_pilot_and_the_peak_under_one_seed() -> None:
    study = load_study(SCENARIOS.parent / "studies" / "bonded.toml")
    assert [s.name for s in study.scenarios] == [f"bonded_{name}" for name in
                                                 ("baseline", "same_parcel", "same_truck", "pilot", "peak",
                                                  "peak_pilot")]
    assert study.pairs == (("bonded_baseline", "bonded_same_parcel"), ("bonded_baseline", "bonded_same_truck"),
                           ("bonded_baseline", "bonded_pilot"), ("bonded_peak", "bonded_peak_pilot"))
    assert study.replications >= 2 and study.description


def test_a_whole_day_s_kpi_under_its_date_equals_the_window_total() -> None:
    whole_day = load_scenario(SCENARIOS / "baseline.toml", [("run.horizon", 24.0), ("run.warmup", 0.0),
                                                            ("params.orders.daily_volume", 1_000.0)])
    day_metrics = run(whole_day, 0).metrics
    assert day_metrics["daily.2025-03-03.paid"] == day_metrics["orders.paid"]


def test_every_parameter_has_a_provenance_on_the_model_page() -> None:
    page = (Path(__file__).resolve().parents[2] / "docs" / "bonded.md").read_text(encoding="utf-8")
    for row in describe(SPEC.params_type):
        assert f"`{row.key}`" in page and row.provenance, row.key
    for milestone in ORDER_FLOW.milestones:
        assert f"`{milestone}`" in page


def test_the_stage_table_runs_forward_for_every_channel() -> None:
    closed = {f"2025-03-{day:02d}": "closed" for day in range(4, 10)}
    scenario = load_scenario(SCENARIOS / "pilot.toml", [
        ("run.horizon", 144.0), ("run.warmup", 0.0), ("run.day_types", closed),
        ("params.orders.daily_volume", 2_000.0), ("params.orders.day_multipliers", {"normal": 1.0, "closed": 0.0}),
        ("params.customs.yellow_share", 0.1), ("params.customs.red_share", 0.05)])
    result = run(scenario, 0, events=True)
    log = log_frame(result.events, scenario.name, 0)
    durations = stage_durations(log, ORDER_FLOW.milestones, classes=entity_classes(log, ORDER_FLOW.classes))
    totals = durations[durations["stage"] == "total"]
    assert len(totals) == result.metrics["orders.delivered"] == result.finished  # every order, delivered
    assert set(totals["class"]) == {"green", "yellow", "red"}
    assert (durations["duration"] >= 0).all()  # every order passes the flow's milestones in order
    share = totals["class"].value_counts(normalize=True)
    assert share["yellow"] == pytest.approx(0.1, abs=0.03) and share["red"] == pytest.approx(0.05, abs=0.02)


def test_the_headline_metrics_exist(results: dict) -> None:
    _, result = results["baseline"]
    assert set(SPEC.headline) <= set(result.metrics)
