"""The legal windows of returns, exact at their boundaries.

Hand-made orders with deterministic delays reach the application, arrival or re-entry
at exactly the deadline (allowed: the last day includes 24:00) or a quarter of an hour
after it (rejected, counted with its value, dropped with the reason). Calendar counting:
the release day does not count, a window ends at 24:00 of its last day; months end on the
same date, or the month's last day. Elapsed counting: exactly N x 24 h (a month = 365/12 d).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from returns_helpers import by_order, deterministic, facility, run_with_log, scenario, write_table

from models.returns.deadlines import add_months, days_deadline, months_deadline
from sim.calendar import DayCalendar

DAY = 24.0


def _region(name: str, delivery_h: float, transit_d: float) -> dict:
    return {"name": name, "share": 0.5, "delivery": deterministic(delivery_h),
            "transit": {"tianjin": deterministic(transit_d)}, "parcel_cost_yuan": {"tianjin": 8.0}}


def _import_run(tmp_path, rows, *, counting, decision_d, transit_d, delivery_b=24.0, staging=None, pickup=()):
    """Hand-made returns to a Tianjin facility with an in-zone warehouse (or, with
    `staging`, an out-of-zone one), the carrier collecting at once (or at `pickup`)."""
    table = write_table(tmp_path / "orders.csv", rows)
    params = {
        "exports": {"enabled": False},
        "deadlines": {"counting": counting},
        "imports": {
            "released_orders": table, "return_rate": 1.0, "return_centres": {},
            "regions": [_region("a", 24.0, transit_d), _region("b", delivery_b, transit_d)],
            "decision": deterministic(decision_d), "handover": deterministic(0.0), "pickup_times": list(pickup),
            "receipt_time": deterministic(0.0), "facilities": [facility("tianjin", staging=staging)],
            "staged_facilities": ["tianjin"] if staging else [],
        },
    }
    return run_with_log(scenario(params, horizon=1400.0))


def _outcomes(result):
    rejected_application = by_order(result, "import.rejected_late_application")
    rejected_arrival = by_order(result, "import.rejected_late_arrival")
    arrived = by_order(result, "import.arrived")
    outcome = {}
    for order in set(rejected_application) | set(rejected_arrival) | set(arrived):
        outcome[order] = ("late_application" if order in rejected_application
                          else "late_arrival" if order in rejected_arrival else "arrived")
    return outcome


def _rows(cases):
    return [{"order_id": i, "release_time_h": release, "region": region, "value_yuan": 100.0 * (i + 1)}
            for i, (release, region, _) in enumerate(cases)]


def check_outcomes(result, cases):
    outcome = _outcomes(result)
    assert outcome == {i: expected for i, (_, _, expected) in enumerate(cases)}
    late = [i for i, (_, _, expected) in enumerate(cases) if expected != "arrived"]
    metrics = result.metrics
    assert metrics["import.noncompliant.count"] == len(late)
    assert metrics["import.lost_tax_free.value_cny"] == pytest.approx(sum(100.0 * (i + 1) for i in late))
    assert sum(result.dropped.values()) == len(late)


def test_thirty_day_application_calendar_days(tmp_path):
    # delivery 1 d + decision 30 d: application exactly 31 x 24 h after release; the window
    # ends at 24:00 of the 30th day after the release day, so only a midnight release makes it
    cases = [(0.0, "a", "arrived"), (0.25, "a", "late_application"), (-24.0, "a", "arrived"),
             (47.75, "a", "late_application"), (72.0, "a", "arrived"), (0.0, "b", "late_application")]
    result = _import_run(tmp_path, _rows(cases), counting="calendar", decision_d=30.0, transit_d=2.0,
                         delivery_b=24.0 + 0.25)
    check_outcomes(result, cases)
    assert result.dropped == {"late_application": 3}


def test_thirty_day_application_elapsed_hours(tmp_path):
    # application exactly 720 h after release in region a, 720 h + 1/64 h in region b
    cases = [(0.0, "a", "arrived"), (13.3125, "a", "arrived"), (-100.5, "a", "arrived"),
             (0.0, "b", "late_application"), (13.3125, "b", "late_application")]
    result = _import_run(tmp_path, _rows(cases), counting="elapsed", decision_d=29.0, transit_d=2.0,
                         delivery_b=24.0 + 1 / 64)
    check_outcomes(result, cases)


def test_forty_five_day_arrival_calendar_days(tmp_path):
    # application after 21 d (allowed), arrival after 46 d = 24:00 of the 45th day for a
    # midnight release; region b arrives a quarter hour later
    cases = [(0.0, "a", "arrived"), (0.5, "a", "late_arrival"), (-24.0, "a", "arrived"),
             (0.0, "b", "late_arrival"), (23.75, "a", "late_arrival")]
    result = _import_run(tmp_path, _rows(cases), counting="calendar", decision_d=20.0, transit_d=25.0,
                         delivery_b=24.25)
    check_outcomes(result, cases)
    assert result.dropped == {"late_arrival": 3}
    assert result.metrics["import.late_arrival_share"] == pytest.approx(3 / 5)
    assert result.metrics["import.share_tax_free"] == pytest.approx(2 / 5)


def test_forty_five_day_arrival_elapsed_hours(tmp_path):
    # arrival exactly 1080 h (45 d) after release in region a, 1/64 h later in region b
    cases = [(0.0, "a", "arrived"), (7.5, "a", "arrived"), (0.0, "b", "late_arrival"), (7.5, "b", "late_arrival")]
    result = _import_run(tmp_path, _rows(cases), counting="elapsed", decision_d=20.0, transit_d=24.0,
                         delivery_b=24.0 + 1 / 64)
    check_outcomes(result, cases)


def test_forty_five_days_count_to_entry_into_the_zone_after_the_weekly_re_entry(tmp_path):
    # Released at 00:00 of day 0 (Monday 3 March), docked at the out-of-zone warehouse on
    # day 40 (Saturday); it enters the zone on the next re-entry truck (10:00, loading
    # closed 08:00), declared in 1 h and driven in 1 h: Wednesday's truck enters at 12:00 of
    # day 44, on time (the window ends at 24:00 of day 45); Friday's at 12:00 of day 46,
    # late. Region b docks at 13:00 of day 45 and meets day 51's truck: late.
    cases = [(0.0, "a", "arrived"), (0.0, "b", "late_arrival")]
    staging = {"departures": ["10:00"], "cutoff_h": 2.0, "declaration_h": 1.0, "drive_h": 1.0}
    wednesday = _import_run(tmp_path, _rows(cases), counting="calendar", decision_d=19.0, transit_d=20.0,
                            delivery_b=24.0 + 24.0 * 5 + 13.0, staging={**staging, "weekdays": ["wednesday"]})
    check_outcomes(wednesday, cases)
    entered = by_order(wednesday, "import.arrived")
    assert entered[0] == pytest.approx(44 * DAY + 12.0)
    friday = _import_run(tmp_path, _rows(cases[:1]), counting="calendar", decision_d=19.0, transit_d=20.0,
                         staging={**staging, "weekdays": ["friday"]})
    assert by_order(friday, "import.rejected_late_arrival") == {0: pytest.approx(46 * DAY + 12.0)}


def test_the_carrier_round_delays_arrival_to_its_next_collection(tmp_path):
    # release 06:00 of day 0, delivery 1 d, decision 20 d: hand-over at 06:00 of day 21.
    # The 18:00 collection round adds 12 h. With 24 d transit the arrival is 45 d 18:00
    # after day 0's midnight (on time: the window ends at 24:00 of day 45 = 46 d); with
    # 24.5 d it is 46 d 06:00, late, though 45 d 18:00 without the round.
    cases = [(6.0, "a", "arrived")]
    assert by_order(_import_run(tmp_path, _rows(cases), counting="calendar", decision_d=20.0, transit_d=24.0),
                    "import.arrived") == {0: pytest.approx(45 * DAY + 6.0)}
    rounds = _import_run(tmp_path, _rows(cases), counting="calendar", decision_d=20.0, transit_d=24.0,
                         pickup=("18:00",))
    assert by_order(rounds, "import.arrived") == {0: pytest.approx(45 * DAY + 18.0)}
    no_round = _import_run(tmp_path, _rows(cases), counting="calendar", decision_d=20.0, transit_d=24.5)
    assert no_round.metrics["import.noncompliant.late_arrival.count"] == 0
    late = _import_run(tmp_path, _rows(cases), counting="calendar", decision_d=20.0, transit_d=24.5,
                       pickup=("18:00",))
    assert by_order(late, "import.rejected_late_arrival") == {0: pytest.approx(46 * DAY + 6.0)}


def _export_run(tmp_path, rows, *, counting, decision_d, horizon):
    table = write_table(tmp_path / "exports.parquet", rows)
    point = {"name": "p", "share": 1.0, "capacity": 1, "weekdays": [],
             "transit": {"tianjin": deterministic(1.0)}}
    params = {
        "imports": {"enabled": False},
        "deadlines": {"counting": counting},
        "exports": {"released_exports": table, "return_rate": 1.0, "decision": deterministic(decision_d),
                    "points": [point]},
    }
    return run_with_log(scenario(params, horizon=horizon, start="2025-01-01T00:00"))


def _export_outcomes(result):
    entered = by_order(result, "export.entered", "export")
    rejected = by_order(result, "export.rejected_beyond_window", "export")
    tax_free = by_order(result, "export.tax_free", "export")
    return {order: "rejected" if order in rejected else "tax_free" if order in tax_free else "taxed"
            for order in set(entered) | set(rejected)}


JAN_31, AUG_31, MAR_1 = 30 * DAY, 242 * DAY, 59 * DAY


def test_six_month_tax_free_window_calendar_months(tmp_path):
    # re-entry 182 d after release: 31 Jan -> 24:00 of 31 Jul (= 1 Aug 00:00), and
    # 31 Aug -> 24:00 of 28 Feb 2026 (no 31 Feb); a quarter hour later is taxed
    cases = [JAN_31, JAN_31 + 0.25, AUG_31, AUG_31 + 0.25, JAN_31 - 24.0 + 0.25]
    rows = [{"order_id": i, "release_time_h": t, "region": "jing_jin_ji", "value_yuan": 50.0}
            for i, t in enumerate(cases)]
    result = _export_run(tmp_path, rows, counting="calendar", decision_d=181.0, horizon=10_400.0)
    assert _export_outcomes(result) == {0: "tax_free", 1: "taxed", 2: "tax_free", 3: "taxed", 4: "taxed"}
    assert result.metrics["export.share_within_6_months"] == pytest.approx(2 / 5)
    assert not result.dropped


def test_one_year_return_window_calendar_months(tmp_path):
    # re-entry 366 d after release: 31 Jan 2025 -> 24:00 of 31 Jan 2026 exactly; 1 Mar 2025
    # -> 24:00 of 1 Mar 2026 exactly; later releases on the same days are rejected
    cases = [JAN_31, JAN_31 + 0.25, MAR_1, MAR_1 + 23.75]
    rows = [{"order_id": i, "release_time_h": t, "region": "east", "value_yuan": 10.0 * (i + 1)}
            for i, t in enumerate(cases)]
    result = _export_run(tmp_path, rows, counting="calendar", decision_d=365.0, horizon=10_600.0)
    assert _export_outcomes(result) == {0: "taxed", 1: "rejected", 2: "taxed", 3: "rejected"}
    assert result.dropped == {"late_export_return": 2}
    assert result.metrics["export.noncompliant.value_cny"] == pytest.approx(20.0 + 40.0)
    assert result.metrics["export.share_within_1_year"] == pytest.approx(2 / 4)


@pytest.mark.parametrize(("decision_d", "expected"), [(181.5, "tax_free"), (181.5 + 1 / 96, "taxed"),
                                                      (364.0, "taxed"), (364.0 + 1 / 96, "rejected")])
def test_export_windows_elapsed(tmp_path, decision_d, expected):
    # six months = 182.5 d and one year = 365 d after release, exactly (+1 d of transit)
    rows = [{"order_id": i, "release_time_h": t, "region": "south", "value_yuan": 1.0}
            for i, t in enumerate((0.0, 1000.25, -333.5))]
    result = _export_run(tmp_path, rows, counting="elapsed", decision_d=decision_d, horizon=9_800.0)
    assert _export_outcomes(result) == {0: expected, 1: expected, 2: expected}


def test_deadline_functions_by_hand():
    calendar = DayCalendar(dt.datetime(2025, 1, 1, 6, 0))  # t = 0 is 06:00
    # released 1 Jan 23:00 (t = 17): 30 days end 24:00 of 31 Jan = t (31 x 24 - 6)
    assert days_deadline(calendar, np.array([17.0]), 30, "calendar")[0] == 31 * DAY - 6
    assert days_deadline(calendar, np.array([19.0]), 30, "calendar")[0] == 32 * DAY - 6  # 2 Jan 01:00
    assert days_deadline(calendar, np.array([19.0]), 30, "elapsed")[0] == 19.0 + 720.0
    assert add_months(dt.date(2025, 8, 31), 6) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2023, 8, 31), 6) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2025, 12, 15), 12) == dt.date(2026, 12, 15)
    # released 31 Aug 2025 10:00 -> 24:00 of 28 Feb 2026 = 1 Mar 2026 00:00
    release = (dt.datetime(2025, 8, 31, 10) - calendar.start).total_seconds() / 3600
    expected = (dt.datetime(2026, 3, 1) - calendar.start).total_seconds() / 3600
    assert months_deadline(calendar, np.array([release, release + 1.0]), 6, "calendar").tolist() == [expected] * 2
    assert months_deadline(calendar, np.array([0.0]), 6, "elapsed")[0] == pytest.approx(182.5 * DAY)


def test_the_pilot_turns_a_late_arrival_into_an_on_time_one_under_crn(tmp_path):
    # The same two returns (same seed, same draws) in both policies. Region b's consumer is
    # far from Tianjin (22.5 d by road, then the weekly re-entry) and near Hangzhou's centre
    # (2 d, in-zone warehouse). Applied on day 23 (delivery 1 d + decision 22 d): it docks
    # at Tianjin at 12:00 of day 45 (a Thursday; day 0 is Monday 3 March), a day after the
    # weekly truck, and enters the zone on day 51: late; at the centre it arrives on day
    # 25: on time.
    # Region a (no centre) is unchanged.
    rows = [{"order_id": 0, "release_time_h": 0.0, "region": "a", "value_yuan": 100.0},
            {"order_id": 1, "release_time_h": 0.0, "region": "b", "value_yuan": 300.0}]
    table = write_table(tmp_path / "orders.csv", rows)
    region_b = {"name": "b", "share": 0.5, "delivery": deterministic(24.0),
                "transit": {"tianjin": deterministic(22.5), "hangzhou": deterministic(2.0)},
                "parcel_cost_yuan": {"tianjin": 20.0, "hangzhou": 8.0}}
    staging = {"weekdays": ["wednesday"], "departures": ["10:00"]}

    def run_mode(mode):
        params = {"exports": {"enabled": False}, "imports": {
            "mode": mode, "released_orders": table, "return_rate": 1.0, "return_centres": {"b": "hangzhou"},
            "regions": [_region("a", 24.0, 3.0), region_b], "decision": deterministic(22.0),
            "handover": deterministic(0.0), "pickup_times": [], "receipt_time": deterministic(0.0),
            "facilities": [facility("tianjin", staging=staging), facility("hangzhou")],
            "staged_facilities": ["tianjin"]}}
        return run_with_log(scenario(params, horizon=1400.0))

    base, pilot = run_mode("original_district"), run_mode("cross_district")
    assert by_order(base, "import.applied") == by_order(pilot, "import.applied")
    assert set(by_order(base, "import.rejected_late_arrival")) == {1}
    assert set(by_order(pilot, "import.arrived")) == {0, 1}
    assert by_order(base, "import.arrived")[0] == by_order(pilot, "import.arrived")[0]
    assert by_order(base, "import.rejected_late_arrival")[1] == pytest.approx(51 * DAY + 12.0)
    assert by_order(pilot, "import.arrived")[1] == pytest.approx(25 * DAY)
    assert base.metrics["import.late_arrival_share"] == 0.5 and pilot.metrics["import.late_arrival_share"] == 0.0
    assert base.metrics["import.lost_tax_free.value_cny"] == 300.0
    assert pilot.metrics["import.lost_tax_free.value_cny"] == 0.0
