"""The returns model: conservation, common random numbers, Little's law, validation,
the model page, and every shipped scenario on a short horizon."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from returns_helpers import REPO, SCENARIOS, by_order, first_times, order_of, run_with_log, scenario, stay_overlap

from models import returns
from scenarios.errors import ScenarioError
from scenarios.loader import load_scenario
from sim.parameters import describe
from sim.run import run

DAY = 24.0
TERMINAL = ("import.rejected_late_application", "import.rejected_late_arrival", "import.sellable", "import.destroyed",
            "import.reexported", "export.rejected_beyond_window", "export.delivered")


def _counted(result, milestones):
    return len(set().union(*(first_times(result, name) for name in milestones)))


def test_conservation_counted_from_the_log():
    """Every return that entered ended exactly once (restocked, disposed of, delivered or
    rejected with a reason) or is still held by a block at the horizon."""
    result = run_with_log(scenario({"imports": {"orders_per_day": 20000.0, "mode": "cross_district"},
                                    "exports": {"exports_per_day": 20000.0}}, horizon=40 * DAY))
    m = result.metrics
    entered = _counted(result, ("import.applied", "export.handed_over"))
    ended = _counted(result, TERMINAL)
    assert entered == result.created == m["import.returns_applied"] + m["export.returns_handed_over"]
    assert ended == result.finished + sum(result.dropped.values())
    assert result.created == result.finished + result.in_system + sum(result.dropped.values())
    assert set(result.dropped) <= {"late_application", "late_arrival", "late_export_return"}
    assert result.dropped.get("late_application", 0) == m["import.noncompliant.late_application.count"] > 0
    assert result.dropped.get("late_arrival", 0) == m["import.noncompliant.late_arrival.count"]
    assert result.dropped.get("late_export_return", 0) == m["export.noncompliant.count"]
    restocked = len(first_times(result, "import.sellable"))
    assert restocked == m["import.outcome.restocked"]


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mode=st.sampled_from(["original_district", "cross_district"]),
       review=st.sampled_from(["manual", "simplified"]),
       centres=st.sets(st.sampled_from(["north_central", "east", "south", "west_northeast"])),
       return_rate=st.floats(0.01, 0.08), seed=st.integers(0, 10_000))
def test_conservation_and_bounds_for_any_lever(mode, review, centres, return_rate, seed):
    defaults = returns.Params().imports.return_centres
    params = {"imports": {"orders_per_day": 8000.0, "mode": mode, "review": {"mode": review},
                          "return_rate": return_rate, "return_centres": {c: defaults[c] for c in centres}},
              "exports": {"enabled": False}}
    result = run(scenario(params, horizon=25 * DAY, warmup=5 * DAY, seed=seed), 0)
    m = result.metrics
    assert result.created == result.finished + result.in_system + sum(result.dropped.values())
    for share in ("import.late_application_share", "import.late_arrival_share", "import.share_tax_free"):
        assert 0.0 <= m[share] <= 1.0
    assert m["import.share_tax_free"] <= 1.0 - m["import.late_arrival_share"]
    assert 0 < m["import.cycle.request_to_refund.median_d"] <= m["import.cycle.request_to_refund.p90_d"] \
        <= m["import.cycle.request_to_refund.p95_d"]
    used = {"tianjin"} | ({defaults[c] for c in centres} if mode == "cross_district" else set())
    for name in ("tianjin", "zhengzhou", "hangzhou", "guangzhou", "chengdu"):
        assert (m[f"import.facility.{name}.arrivals"] > 0) == (name in used)
    assert (m["import.line_haul.trips"] > 0) == (used != {"tianjin"})


def test_return_centres_closer_than_the_origin_shorten_transit_under_crn():
    """The same returns (same orders, same application times) in both policies; a return
    from a region with a centre reaches it strictly sooner than it reached the original
    zone, the others (still to the original zone, whose out-of-zone warehouse now sorts
    fewer returns for the same trucks) never later: the pilot never lengthens the trip."""
    base = {"imports": {"orders_per_day": 30000.0}, "exports": {"enabled": False}}
    pilot = {"imports": {"orders_per_day": 30000.0, "mode": "cross_district"}, "exports": {"enabled": False}}
    results = [run_with_log(scenario(params, horizon=25 * DAY)) for params in (base, pilot)]
    applied = [by_order(result, "import.applied") for result in results]
    assert applied[0] == applied[1]
    transit = []
    for result in results:
        handed, arrived = by_order(result, "import.handed_over"), by_order(result, "import.arrived")
        transit.append({order: time - handed[order] for order, time in arrived.items()})
    events = results[1].events
    arrived_rows = events.milestone == events.names.index("import.arrived")
    facility_of_entity = dict(zip(events.entity[arrived_rows].tolist(), events.resource[arrived_rows].tolist()))
    orders = order_of(results[1])
    facility = {orders[entity]: where for entity, where in facility_of_entity.items()}
    common = sorted(set(transit[0]) & set(transit[1]))
    assert len(common) > 10_000
    at_centre = [order for order in common if facility[order] != 0]
    at_origin = [order for order in common if facility[order] == 0]
    assert len(at_centre) > 5_000 and len(at_origin) > 2_000
    assert all(transit[1][order] < transit[0][order] for order in at_centre)
    assert all(transit[1][order] <= transit[0][order] for order in at_origin)
    assert results[1].metrics["import.transit.mean_d"] < results[0].metrics["import.transit.mean_d"] - 0.5


def test_littles_law_on_facility_backlog():
    """At the original zone, time-averaged backlog L = arrival rate x mean time inside W.
    Over a finite window the two sides differ only by the returns inside at its start and
    at its end (their parts of stays outside the window), which nearly cancel in steady
    state: within 1% here (each about W / T = 1% of L, in opposite directions). The area
    under the backlog also equals, exactly, the sum of the stays clipped to the window,
    read return by return from the log."""
    warmup, horizon = 20 * DAY, 150 * DAY
    # an in-zone warehouse: returns arrive one by one (weekly re-entry trucks would bring
    # a week's returns at once, and the window's two ends would not cancel within 1%)
    result = run_with_log(scenario({"imports": {"orders_per_day": 10000.0, "staged_facilities": []},
                                    "exports": {"enabled": False}},
                                   horizon=horizon, warmup=warmup, seed=11))
    m = result.metrics
    window = horizon - warmup
    backlog = m["import.facility.tianjin.backlog_mean"]
    arrival_rate = m["import.facility.tianjin.entries"] / window
    stay = m["import.facility.tianjin.time_in_facility_mean_h"]
    assert backlog > 50
    assert arrival_rate * stay == pytest.approx(backlog, rel=0.01)
    inside, outside = _at_origin(result, "facility_in"), _at_origin(result, "facility_out")
    entities = sorted(inside)
    entered = np.array([inside[e] for e in entities])
    left = np.array([outside.get(e, np.inf) for e in entities])
    assert stay_overlap(entered, left, warmup, horizon) == pytest.approx(backlog * window, rel=1e-9)


def _at_origin(result, milestone):
    """entity id -> first time of `milestone` at the original zone (facility 0, not its
    out-of-zone warehouse)."""
    events = result.events
    rows = (events.milestone == events.names.index(milestone)) & (events.resource == 0)
    found = {}
    for entity, time in zip(events.entity[rows].tolist(), events.time[rows].tolist()):
        found.setdefault(entity, time)
    return found


def test_same_seed_same_results_and_replications_differ():
    params = {"imports": {"orders_per_day": 5000.0}, "exports": {"exports_per_day": 5000.0}}
    first, again, other = (run(scenario(params, horizon=30 * DAY, warmup=5 * DAY), r) for r in (0, 0, 1))
    np.testing.assert_equal(dict(first.metrics), dict(again.metrics))  # NaN (an idle centre) equals NaN
    assert first.metrics["import.returns_applied"] != other.metrics["import.returns_applied"]


@pytest.mark.parametrize(("params", "key", "reason"), [
    ({"imports": {"return_centres": {"east": "wuhan"}}}, "params.imports.return_centres.east", "no facility"),
    ({"imports": {"return_centres": {"mars": "hangzhou"}}}, "params.imports.return_centres.mars", "no region"),
    ({"imports": {"origin": "beijing"}}, "params.imports.origin", "no facility"),
    ({"imports": {"return_rate": 1.5}}, "params.imports.return_rate", "<= 1.0"),
    ({"imports": {"released_orders": "/nonexistent/orders.csv"}}, "params.imports.released_orders", "not found"),
    ({"imports": {"orders_per_day": 500000.0}}, "params.imports.facilities[0].receipt_staff", "unstable"),
    ({"exports": {"pilot_ports": ["tianjin", "ningbo"]}}, "params.exports.pilot_ports[1]", "no port"),
    ({"exports": {"seller_regions": {"east": 0.5}}}, "params.exports.seller_regions", "sum to 1"),
    ({"imports": {"enabled": False}, "exports": {"enabled": False}}, "params", "at least one"),
    ({"deadlines": {"import_application_days": 50}}, "params.deadlines.import_application_days", "must not exceed"),
    ({"imports": {"return_centres": {},
                  "facilities": [{"name": "tianjin", "receipt_staff": {"servers": 3}, "officers": {"servers": 3},
                                  "inspectors": {"servers": 3}, "reshelving_staff": {"servers": 3},
                                  "line_haul": {"weekdays": ["funday"]}}]}},
     "params.imports.facilities[0].line_haul.weekdays", "unknown weekday"),
])
def test_bad_parameters_name_key_path_and_reason(params, key, reason):
    with pytest.raises(ScenarioError) as error:
        scenario(params, horizon=10 * DAY)
    assert error.value.key_path == key
    assert reason in error.value.reason


def test_model_page_lists_every_parameter():
    page = (REPO / "docs" / "returns.md").read_text(encoding="utf-8")
    for row in describe(returns.Params):
        assert f"`{row.key}`" in page
    assert "```mermaid" in page


# -- every shipped scenario, on a short horizon ----------------------------------------------------------------------

SHORT = {"baseline": 24 * DAY, "cross_district": 24 * DAY, "cross_district_simplified": 24 * DAY,
         "post_peak_surge": 36 * DAY, "post_peak_surge_cross_district": 36 * DAY,
         "tianjin_as_centre": 24 * DAY, "export_baseline": 60 * DAY, "export_cross_district": 60 * DAY}


@pytest.fixture(scope="module")
def shipped():
    files = sorted(path.stem for path in SCENARIOS.glob("*.toml"))
    assert files == sorted(SHORT), "every scenario file needs a short-horizon check here"
    return {stem: run(load_scenario(SCENARIOS / f"{stem}.toml", [("run.horizon", SHORT[stem])]), 0)
            for stem in files}


def test_study_file_groups_import_and_export_under_one_seed():
    from scenarios.study import load_study
    study = load_study(REPO / "scenarios" / "studies" / "returns.toml")
    assert ("returns_baseline", "returns_cross_district") in study.pairs
    assert ("export_returns_baseline", "export_returns_cross_district") in study.pairs
    for group in study.groups:
        kinds = {(s.params.imports.enabled, s.params.exports.enabled) for s in (group.baseline, *group.scenarios)}
        assert len(kinds) == 1


def test_import_baseline_sends_everything_to_the_original_zone(shipped):
    m = shipped["baseline"].metrics
    assert m["import.facility.tianjin.arrivals"] > 10_000
    assert all(m[f"import.facility.{c}.arrivals"] == 0 for c in ("zhengzhou", "hangzhou", "guangzhou", "chengdu"))
    assert m["import.line_haul.trips"] == 0
    assert 0.95 < m["import.share_tax_free"] < 1.0
    assert 5.0 < m["import.cycle.request_to_refund.mean_d"] < 25.0
    assert 0.3 < m["import.facility.tianjin.utilization.review"] < 1.0


def test_import_pilot_is_faster_and_spreads_the_load(shipped):
    base, pilot = shipped["baseline"].metrics, shipped["cross_district"].metrics
    assert pilot["import.returns_applied"] == base["import.returns_applied"]  # same returns (CRN)
    assert pilot["import.transit.mean_d"] < base["import.transit.mean_d"]
    assert pilot["import.cycle.request_to_refund.mean_d"] < base["import.cycle.request_to_refund.mean_d"]
    assert pilot["import.facility.tianjin.backlog_mean"] < base["import.facility.tianjin.backlog_mean"]
    assert pilot["import.line_haul.trips"] > 0 and 0 < pilot["import.line_haul.load_factor"] <= 1
    assert all(pilot[f"import.facility.{c}.arrivals"] > 0 for c in ("zhengzhou", "hangzhou", "guangzhou", "chengdu"))


def test_baseline_loses_tax_free_status_late_and_the_pilot_does_not_add_to_it(shipped):
    base, pilot = shipped["baseline"].metrics, shipped["cross_district"].metrics
    # the same late applications (a consumer's decision: no pilot changes it)
    assert base["import.late_application_share"] == pilot["import.late_application_share"] > 0.005
    assert pilot["import.late_arrival_share"] <= base["import.late_arrival_share"]
    assert pilot["import.lost_tax_free.value_cny"] <= base["import.lost_tax_free.value_cny"]
    # the weekly re-entry: the baseline's returns wait days outside the zone
    assert base["import.facility.tianjin.staging.time_mean_h"] > 24.0
    assert base["import.cycle.request_to_refund.mean_d"] > pilot["import.cycle.request_to_refund.mean_d"] + 2.0


def test_tianjin_as_centre_reports_both_directions(shipped):
    pilot, centre = shipped["cross_district"].metrics, shipped["tianjin_as_centre"].metrics
    assert centre["import.returns_applied"] == pilot["import.returns_applied"]  # own returns: CRN
    assert centre["import.direction.outbound.arrivals"] == pilot["import.direction.outbound.arrivals"] > 0
    assert centre["import.direction.inbound.arrivals"] > 0 == pilot["import.direction.inbound.arrivals"]
    assert 0.2 < centre["import.direction.inbound.share_of_origin_load"] < 0.8
    assert centre["import.facility.tianjin.utilization.reshelving"] > pilot["import.facility.tianjin.utilization.reshelving"]
    assert "import.facility.tianjin.staging.time_mean_h" not in centre  # in-zone warehouse


def test_simplified_declarations_cut_review_time(shipped):
    manual, simplified = shipped["cross_district"].metrics, shipped["cross_district_simplified"].metrics
    assert simplified["import.review.mean_h"] < 12.0 < manual["import.review.mean_h"]
    assert simplified["import.cycle.request_to_refund.mean_d"] < manual["import.cycle.request_to_refund.mean_d"]


def test_post_peak_surge_loads_the_original_zone(shipped):
    base, surge = shipped["baseline"].metrics, shipped["post_peak_surge"].metrics
    surge_pilot = shipped["post_peak_surge_cross_district"].metrics
    assert surge["import.applied_per_day"] > 1.2 * base["import.applied_per_day"]
    def held(m):  # returns held at Tianjin: in the zone and in its out-of-zone warehouse
        return m["import.facility.tianjin.backlog_mean"] + m["import.facility.tianjin.staging.backlog_mean"]

    assert held(surge) > 1.5 * held(base)
    assert held(surge_pilot) < held(surge)
    assert surge["import.late_arrival_share"] >= surge_pilot["import.late_arrival_share"]


def test_export_baseline_reenters_at_the_original_port(shipped):
    m = shipped["export_baseline"].metrics
    assert m["export.port.tianjin.entries"] == m["export.entries"] > 3_000
    assert m["export.port.shanghai.entries"] == m["export.port.shenzhen.entries"] == 0
    assert 0.85 < m["export.share_within_6_months"] <= m["export.share_within_1_year"] <= 1.0
    assert m["export.cycle.median_d"] > 3.0


def test_export_pilot_uses_nearer_ports_and_is_faster(shipped):
    base, pilot = shipped["export_baseline"].metrics, shipped["export_cross_district"].metrics
    assert pilot["export.returns_handed_over"] == base["export.returns_handed_over"]
    assert sum(pilot[f"export.port.{p}.entries"] > 0 for p in ("tianjin", "shanghai", "shenzhen")) == 3
    assert pilot["export.cycle.mean_d"] < base["export.cycle.mean_d"]
    # each lane's port is the one with the least expected transit; its freight is never
    # higher in the default price table, and lower on the lanes that move
    assert pilot["export.cost.international_per_parcel_cny"] < base["export.cost.international_per_parcel_cny"]
    assert pilot["export.share_within_6_months"] >= base["export.share_within_6_months"]
    assert 0.0 < base["export.port.tianjin.share_within_6_months"] <= 1.0
