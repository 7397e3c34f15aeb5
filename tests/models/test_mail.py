"""The mail office model: conservation, event order, exact times, cut-offs, CRN, monotonicity."""

from __future__ import annotations

import bisect

import pytest
from mail_helpers import ample_no_holds, deterministic, events_by_item, run_with_events, scenario

from sim.run import run

HOUR = 1.0
MINUTE = 1 / 60
SECOND = 1 / 3600
#: 2024-03-04 is a Monday: day d starts at 24 d
DAYS = 40


def daily(clock: float, days: int = DAYS, first: int = 0, step: int = 1) -> list[float]:
    return [24.0 * day + clock for day in range(first, days, step)]


def first_departure(departures: list[float], cutoff: float, ready: float) -> float:
    """The first departure whose cut-off is at or after `ready` (hand-made timetables)."""
    index = bisect.bisect_left([d - cutoff for d in departures], ready - 1e-9)
    return departures[index] if index < len(departures) else float("inf")


HEAVY_HOLDS = {
    "customs": {"inspection_rate": 0.3, "documents_rate": 0.2, "no_ead_hold_multiplier": 2.0, "seizure_share": 0.3,
                "documents_delay_h": {"dist": "exponential", "mean": 20.0}},
    "duty": {"dutiable_share": 0.5, "never_pay_share": 0.5, "retention_days": 2.0},
    "outbound": {"hold_rate": 0.3, "refusal_share": 0.5},
}


def test_conservation_dispatched_plus_in_office_plus_dropped_equals_arrived():
    """Counted by the model's own tallies (not the kernel's), over a whole run."""
    result = run(scenario(HEAVY_HOLDS, days=12), 0)
    m = result.metrics
    assert m["inbound.seized"] > 0 and m["inbound.returned"] > 0 and m["outbound.refused"] > 0
    assert m["inbound.arrived"] == m["inbound.dispatched"] + m["inbound.in_office_end"] + m["inbound.seized"] \
        + m["inbound.returned"]
    assert m["outbound.arrived"] == m["outbound.dispatched"] + m["outbound.in_office_end"] + m["outbound.refused"]
    assert result.created == m["inbound.arrived"] + m["outbound.arrived"]
    assert dict(result.dropped) == {"seized": m["inbound.seized"], "returned_unpaid": m["inbound.returned"],
                                    "refused_export": m["outbound.refused"]}


def test_no_item_departs_before_release_or_outside_its_transport():
    params = dict(HEAVY_HOLDS)
    params["dispatch"] = {"times": ["07:00", "18:00"], "cutoff_h": 0.5}
    params["inbound"] = {"rehandling_h": deterministic(0.5)}
    result = run_with_events(params, days=12)
    trucks = sorted(daily(7.0) + daily(18.0))
    inbound = outbound = held = 0
    for item in events_by_item(result).values():
        if "EMF" in item:
            inbound += 1
            emd, edb, edc, emf = (item[code][0] for code in ("EMD", "EDB", "EDC", "EMF"))
            assert emd <= edb <= edc <= emf
            ready = edc
            if "EME" in item:
                held += 1
                assert edb <= item["EME"][0] <= edc
                ready = edc + 0.5
            assert abs(emf - first_departure(trucks, 0.5, ready)) <= 1e-9
        if "EMC" in item:
            outbound += 1
            emb, exa, exc, emc = (item[code][0] for code in ("EMB", "EXA", "EXC", "EMC"))
            assert emb <= exa <= exc <= emc
            if "EXB" in item:
                assert exa <= item["EXB"][0] <= exc
        for code in ("EDC", "EMF", "EXC", "EMC"):
            assert not (code in item and ("seized" in item or "returned_to_sender" in item or "refused_export" in item))
    assert inbound > 1000 and outbound > 1000 and held > 100


def close(a: float, b: float) -> bool:
    """Equal up to the rounding of event times (now + (time - now))."""
    return abs(a - b) <= 1e-9


def _arrivals() -> list[float]:
    """Default inbound arrivals: 02:30, 13:50 and 21:00 daily, 09:00 on Wednesdays."""
    return sorted(daily(2.5) + daily(13 + 50 / 60) + daily(21.0) + daily(9.0, first=2, step=7))


def test_times_equal_handling_plus_timetable_waits_with_ample_capacity_and_no_holds():
    result = run_with_events(ample_no_holds(), days=14)
    opening, scan, xray, judgement, acceptance = 3 * MINUTE, 4 * SECOND, 2 * SECOND, 9 * SECOND, 18 * SECOND
    arrivals = _arrivals()
    trucks = sorted(daily(6.0) + daily(15.5))
    air = daily(10.0)
    sea = daily(18.0, first=2, step=7)  # Wednesdays
    checked_in = checked_out = 0
    for item in events_by_item(result).values():
        if "EMF" in item:
            emd, edb, edc, emf = (item[code][0] for code in ("EMD", "EDB", "EDC", "EMF"))
            assert edb == emd  # every item has EAD: presented to customs at its scan
            arrival = arrivals[bisect.bisect_right(arrivals, emd) - 1]
            # the k-th item of its receptacle is scanned k scans after the opening
            k = (emd - arrival - opening) / scan
            assert 1 <= round(k) <= 60 and close(k, round(k))
            # all n items move on when the last is scanned, then X-ray and judgement
            n = (edc - xray - judgement - arrival - opening) / scan
            assert close(n, round(n)) and max(round(k), 20) <= round(n) <= 60
            assert close(emf, first_departure(trucks, 0.5, edc))
            checked_in += 1
        if "EMC" in item:
            emb, exa, exc, emc = (item[code][0] for code in ("EMB", "EXA", "EXC", "EMC"))
            assert close(exa, emb + acceptance)
            assert close(exc, exa + xray + judgement)
            assert close(emc, first_departure(air, 2.0, exc)) or close(emc, first_departure(sea, 24.0, exc))
            checked_out += 1
    assert checked_in > 2000 and checked_out > 1500


def test_cutoff_of_inbound_trucks_on_a_hand_made_timetable():
    """Trucks at 12:00 with a 2 h cut-off; receptacles landing at 09:50 are released
    before 10:00 and make the day's truck, those landing at 10:01 miss it."""
    transports = [{"name": "before", "mode": "air", "share": 0.5, "times": ["09:50"]},
                  {"name": "after", "mode": "air", "share": 0.5, "times": ["10:01"]}]
    params = ample_no_holds(dispatch={"times": ["12:00"], "cutoff_h": 2.0})
    params["inbound"]["transports"] = transports
    result = run_with_events(params, days=6)
    made = missed = 0
    for item in events_by_item(result).values():
        if "EMF" not in item:
            continue
        edc, emf = item["EDC"][0], item["EMF"][0]
        day = int(edc // 24)
        if edc % 24 <= 10.0:
            assert 9 + 50 / 60 < edc % 24 < 10.0
            assert close(emf, 24 * day + 12.0)
            made += 1
        else:
            assert close(emf, 24 * (day + 1) + 12.0)
            missed += 1
    assert made > 500 and missed > 500


def test_outbound_receptacles_close_when_full_and_leave_on_one_departure():
    result = run_with_events(ample_no_holds(), days=10)
    by_receptacle: dict[int, list[float]] = {}
    for item in events_by_item(result).values():
        if "EMC" in item:
            emc, receptacle = item["EMC"]
            by_receptacle.setdefault(receptacle, []).append(emc)
    air_sizes = []
    for departures in by_receptacle.values():
        assert len(set(departures)) == 1
        if close(departures[0] % 24, 10.0):
            air_sizes.append(len(departures))
        else:
            assert close(departures[0] % 24, 18.0)
    assert max(air_sizes) == 5
    assert air_sizes.count(5) > len(air_sizes) / 2


def test_same_items_held_for_the_same_reasons_whatever_the_payment_channel():
    """Common random numbers: counter versus app payment changes waits, not who is held."""
    def holds(payment: str, release: str) -> set[tuple[float, int]]:
        params = {"duty": {"payment": payment}, "customs": {"release_instructions": release}}
        result = run_with_events(params, days=8)
        return {(round(item["EMD"][0], 9), item["EME"][1]) for item in events_by_item(result).values()
                if "EME" in item and "EMD" in item}

    app = holds("app", "24h")
    counter = holds("counter", "working_hours")
    assert len(app) > 200
    assert app == counter


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_more_xray_lines_never_raise_the_xray_wait(seed):
    """With every item carrying EAD nothing upstream of the X-ray uses officers, so the
    arrivals at the X-ray are the same whatever the lines (CRN); with equal service times
    more servers can only start each item earlier."""
    base = {"volume": {"growth": 4.0}, "customs": {"ead_coverage": 1.0},
            "inbound": {"xray_rate_per_h": 300.0}}
    waits = []
    for lines in (1, 2, 3):
        params = {**base, "inbound": {**base["inbound"], "xray_lines": lines}}
        waits.append(run(scenario(params, days=5, seed=seed), 0).metrics["station.inbound.xray.wait_mean_h"])
    assert waits[0] >= waits[1] >= waits[2]
    assert waits[0] > waits[2]


def test_pre_arrival_clearance_lets_addressees_pay_before_the_item_arrives():
    common = {"duty": {"dutiable_share": 0.3}}
    plain = run(scenario(common, days=10), 0).metrics
    early = run(scenario({**common, "customs": {"pre_arrival_clearance": True, "ead_coverage": 1.0}}, days=10), 0).metrics
    assert early["inbound.hold_rate.duty"] < 0.7 * plain["inbound.hold_rate.duty"]


def test_round_the_clock_customs_catches_the_morning_truck():
    day = run(scenario({}, days=10, warmup_days=2), 0).metrics
    shifts = [{"start": "00:00", "end": "08:00", "servers": 3}, {"start": "08:00", "end": "16:00", "servers": 3},
              {"start": "16:00", "end": "24:00", "servers": 3}]
    clock = run(scenario({"customs": {"officers": shifts}}, days=10, warmup_days=2), 0).metrics
    assert clock["inbound.not_held.emd_emf.median_h"] < day["inbound.not_held.emd_emf.median_h"]
    assert clock["inbound.backlog_eod_mean"] < day["inbound.backlog_eod_mean"]


def test_same_seed_same_metrics():
    first = run(scenario({}, days=5), 0).metrics
    second = run(scenario({}, days=5), 0).metrics
    assert dict(first) == pytest.approx(dict(second), nan_ok=True)


def test_xray_utilisation_is_offered_work_over_line_hours():
    """One line on duty around the clock, 2 s an item: utilisation = items x 2 s / hours."""
    result = run(scenario(ample_no_holds(inbound={"xray_lines": 1}), days=7), 0)
    m = result.metrics
    assert m["resource.inbound_xray.utilization"] == pytest.approx(m["inbound.arrived"] * 2 * SECOND / (7 * 24),
                                                                   rel=0.01)


def test_trs_stage_table_by_hold_class_agrees_with_the_model_kpis():
    """The analysis layer's stage table (from the milestone log, classes from EME
    reasons) and the model's own KPIs measure the same items the same way."""
    pandas = pytest.importorskip("pandas")
    from analysis.stages import log_frame, stage_table
    from models.mail.metrics import hold_classes
    from models.mail.spec import INBOUND_FLOW

    result = run_with_events(HEAVY_HOLDS, days=10)
    table = stage_table(log_frame(result.events, "test", 0), INBOUND_FLOW.milestones,
                        classes=pandas.DataFrame(hold_classes(result.events)))
    rows = table.set_index(["class", "stage"])
    m = result.metrics
    for class_name in ("all", "not_held", "inspection", "documents", "duty"):
        assert rows.loc[(class_name, "EDB → EDC"), "mean"] == pytest.approx(m[f"inbound.{class_name}.edb_edc.mean_h"])
        assert rows.loc[(class_name, "total"), "mean"] == pytest.approx(m[f"inbound.{class_name}.emd_emf.mean_h"])
        assert rows.loc[(class_name, "total"), "median"] == pytest.approx(m[f"inbound.{class_name}.emd_emf.median_h"])
