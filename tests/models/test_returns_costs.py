"""Returns: costs add up from simulated counts and shift calendars, waits vanish with
unlimited crews, and other districts' returns received at the origin compete for its
crews while leaving the model's own returns unchanged (common random numbers)."""

from __future__ import annotations

import math

import pytest
from returns_helpers import facility, scenario

from models import returns
from sim.run import run

DAY = 24.0
POOLS = {"receipt": "receipt_staff", "review": "officers", "inspection": "inspectors",
         "reshelving": "reshelving_staff"}


def _run(imports, horizon=40 * DAY, warmup=10 * DAY, seed=3):
    return run(scenario({"imports": imports, "exports": {"enabled": False}}, horizon=horizon, warmup=warmup,
                        seed=seed), 0)


def test_costs_add_up_from_shift_hours_counts_and_unit_costs():
    m = _run({"orders_per_day": 8000.0}).metrics
    spec = returns.Params().imports.facilities[0]
    # scheduled staff-hours per day, by hand from the default crews: two 8-hour shifts of 4
    # receivers, one 9-hour shift of 10 officers, two of 7 inspectors, two of 3 shelvers;
    # at the out-of-zone warehouse two of 4 sorters and one 9-hour declarant
    hours = {"receipt": 64.0, "review": 90.0, "inspection": 112.0, "reshelving": 48.0, "sorting": 64.0,
             "declaration": 9.0}
    rates = {pool: getattr(spec, crew).cost_cny_per_staff_h for pool, crew in POOLS.items()}
    rates |= {"sorting": spec.staging.sorting_staff.cost_cny_per_staff_h,
              "declaration": spec.staging.declarants.cost_cny_per_staff_h}
    for pool, per_day in hours.items():
        assert m[f"import.facility.tianjin.staff_hours_per_day.{pool}"] == pytest.approx(per_day)
        assert m[f"import.facility.tianjin.staff_cost_per_day_cny.{pool}"] == pytest.approx(per_day * rates[pool])
    staff = sum(per_day * rates[pool] for pool, per_day in hours.items())
    assert m["import.facility.tianjin.staff_cost_per_day_cny"] == pytest.approx(staff)
    # idle centres (baseline: every return to Tianjin) cost nothing
    assert m["import.cost.staff_per_day_cny"] == pytest.approx(staff)
    fixed = spec.fixed_cost_cny_per_day + spec.staging.fixed_cost_cny_per_day
    assert m["import.cost.facility_fixed_per_day_cny"] == pytest.approx(fixed)
    assert m["import.cost.total_per_day_cny"] == pytest.approx(
        staff + fixed + m["import.cost.handling_per_day_cny"] + m["import.cost.reverse_transit_per_day_cny"])
    items_per_day = m["import.cost.reverse_transit_per_day_cny"] / m["import.cost.reverse_transit_per_item_cny"]
    assert m["import.cost.handling_per_day_cny"] == pytest.approx(items_per_day * spec.handling_cost_cny_per_item)
    assert m["import.lost_tax_free.tax_cny"] == pytest.approx(0.091 * m["import.lost_tax_free.value_cny"])


def test_value_destroyed_and_re_exported_vanish_with_their_mechanism():
    base = _run({"orders_per_day": 8000.0}).metrics
    assert base["import.outcome.destroyed_value_cny"] > 0 and base["import.outcome.reexported_value_cny"] > 0
    # mean value per disposed return near the item value times items per return
    per_return = base["import.outcome.destroyed_value_cny"] / base["import.outcome.destroyed"]
    assert 0.6 * 290 * 1.26 < per_return < 1.6 * 290 * 1.26
    all_reexported = _run({"orders_per_day": 8000.0, "reexport_share": 1.0}).metrics
    assert all_reexported["import.outcome.destroyed_value_cny"] == 0.0
    nothing_damaged = _run({"orders_per_day": 8000.0, "damage_rate": 0.0}).metrics
    assert nothing_damaged["import.outcome.destroyed_value_cny"] == nothing_damaged[
        "import.outcome.reexported_value_cny"] == 0.0


def test_with_unlimited_crews_every_wait_vanishes():
    centres = ("zhengzhou", "hangzhou", "guangzhou", "chengdu")
    m = _run({"orders_per_day": 8000.0, "mode": "cross_district", "staged_facilities": [],
              "facilities": [facility("tianjin"), *(facility(name) for name in centres)]}).metrics
    waits = {name: value for name, value in m.items() if ".wait_mean_h." in name}
    assert len(waits) == 5 * 4
    assert all(value == 0.0 for value in waits.values()), waits


def test_other_districts_returns_compete_for_the_origin_and_leave_own_returns_drawn_alike():
    own = {"orders_per_day": 20000.0, "mode": "cross_district", "staged_facilities": []}
    alone = _run(own).metrics
    both = _run({**own, "inbound": {"enabled": True, "returns_per_day": 400.0}})
    m = both.metrics
    assert both.created == both.finished + both.in_system + sum(both.dropped.values())
    assert m["import.returns_applied"] == alone["import.returns_applied"]  # own returns: the same draws
    assert m["import.direction.inbound.returns_applied"] > 0.9 * 400 * 30
    assert m["import.direction.own_at_origin.arrivals"] == alone["import.direction.own_at_origin.arrivals"]
    assert m["import.direction.outbound.arrivals"] == alone["import.direction.outbound.arrivals"]
    assert m["import.facility.tianjin.arrivals"] == pytest.approx(
        m["import.direction.own_at_origin.arrivals"] + m["import.direction.inbound.arrivals"])
    for stage in ("receipt", "review", "inspection", "reshelving"):
        assert m[f"import.facility.tianjin.utilization.{stage}"] > alone[f"import.facility.tianjin.utilization.{stage}"]
    assert not math.isnan(m["import.direction.inbound.cycle.request_to_refund.mean_d"])
