"""The consolidation pilot works through its mechanisms: switch one off, or push it to an
extreme, and its effect vanishes or moves the documented way. Every comparison is under
common random numbers (the same seed: the same orders, baskets, stock-outs and draws)."""

from __future__ import annotations

import math

import pytest
from bonded_helpers import POLICIES, carriers, merge, run_params

from models.bonded.params import Costs

#: a tenth of a normal day on trucks a tenth the size: loads stand to the trucks' room and
#: minimum load as on a full day
TENTH = {"orders": {"daily_volume": 6_000.0}, "trucks": {"carriers": carriers(0.1)},
         "domestic": {"replenishment_truck": {"volume_m3": 5.0}}}


def results(name: str, extra: dict | None = None, **settings) -> dict[str, float]:
    return dict(run_params(merge(POLICIES[name], merge(TENTH, extra or {})), **settings).metrics)


def identical(first: dict[str, float], second: dict[str, float]) -> list[str]:
    """The metrics whose values differ (NaN equals NaN)."""
    assert first.keys() == second.keys()
    return [key for key in first if not (first[key] == second[key]
                                         or (math.isnan(first[key]) and math.isnan(second[key])))]


def test_with_no_mixed_baskets_every_policy_gives_the_baselines_results_bit_for_bit() -> None:
    none_mixed = {"orders": {"mixed_share": 0.0}}
    baseline = results("baseline", none_mixed, horizon=36.0, warmup=12.0)
    assert baseline["orders.paid"] > 2_000 and baseline["trucks.zone.departures_per_day"] > 0
    for name in ("same_parcel", "same_truck", "pilot"):
        assert identical(results(name, none_mixed, horizon=36.0, warmup=12.0), baseline) == [], name


def test_with_every_domestic_part_out_of_stock_same_truck_changes_no_truck_count() -> None:
    all_out = {"domestic": {"stockout_share": 1.0}}
    baseline = results("baseline", all_out, horizon=36.0, warmup=12.0)
    assert baseline["trucks.outside.pickups_per_day"] > 0  # there are domestic parts to ship
    trucks = [key for key in baseline if key.startswith(("trucks.", "carrier.", "gate."))
              and key.endswith(("departures_per_day", "pickups_per_day", "trips_per_day", "allocated_trucks_per_day",
                                "passages_per_day", "inbound_trucks_per_day"))]
    assert len(trucks) >= 10
    for name in ("same_truck", "pilot"):
        other = results(name, all_out, horizon=36.0, warmup=12.0)
        assert {key: other[key] for key in trucks} == {key: baseline[key] for key in trucks}, name
        assert other["trucks.replenishment.trips_per_day"] == 0  # nothing taken from zone stock


EXTRA_DEPARTURES = ("01:00", "05:00", "08:00", "10:30", "12:00", "14:00", "16:30", "20:00", "22:30")


@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.parametrize("policy", ["baseline", "pilot"])
def test_more_timetabled_departures_never_raise_the_dwell_in_the_zone(policy: str, seed: int) -> None:
    """Adding departures to every carrier's timetable (keeping the old ones) gives each
    parcel an earlier or the same chance to leave; unlimited gate lanes keep the trucks
    from queueing for the gate."""
    gate = {"gate": {"lanes": [{"start": "00:00", "end": "24:00", "servers": 1_000}]}}
    dwell = []
    for extra in ((), EXTRA_DEPARTURES):
        tables = [merge(table, {"departures": sorted({*table["departures"], *extra})})
                  for table in carriers(0.1)]
        metrics = results(policy, merge(gate, {"trucks": {"carriers": tables}}), horizon=36.0, warmup=12.0,
                          seed=seed)
        dwell.append((metrics["zone_dwell.mean_h"], metrics["zone_dwell.p95_h"],
                      metrics["trucks.zone.departures_per_day"]))
    (mean, p95, departures), (mean_more, p95_more, departures_more) = dwell
    assert departures_more > departures
    assert mean_more <= mean and p95_more <= p95
    assert mean_more < mean  # the lever acts


@pytest.mark.parametrize(("mixed", "stockout", "seed"), [(0.1, 0.0, 1), (0.3, 0.5, 2), (0.6, 1.0, 3), (1.0, 0.05, 4)])
def test_the_pilot_never_raises_parcels_per_order(mixed: float, stockout: float, seed: int) -> None:
    extra = {"orders": {"mixed_share": mixed}, "domestic": {"stockout_share": stockout}}
    baseline = results("baseline", extra, horizon=12.0, seed=seed)["orders.parcels_per_order"]
    for name in ("same_parcel", "pilot"):
        assert results(name, extra, horizon=12.0, seed=seed)["orders.parcels_per_order"] <= baseline, name
    assert results("same_truck", extra, horizon=12.0, seed=seed)["orders.parcels_per_order"] == baseline


def _saving(extra: dict | None = None) -> tuple[float, dict[str, float], dict[str, float]]:
    """Cost per order of the baseline minus the pilot's, and both runs' metrics."""
    baseline = results("baseline", extra, horizon=48.0, warmup=24.0)
    pilot = results("pilot", extra, horizon=48.0, warmup=24.0)
    return baseline["cost.per_order_cny"] - pilot["cost.per_order_cny"], baseline, pilot


def test_the_cost_saving_follows_the_unit_costs_of_parcels_and_the_replenishment_trips() -> None:
    """The pilot ships fewer parcels and makes replenishment trips: its saving grows with
    the packaging and last-mile cost per parcel (by the unit-cost change × parcels saved
    per order) and shrinks when the zone is replenished more often (more trips)."""
    saving, baseline, pilot = _saving()
    parcels_saved = baseline["orders.parcels_per_order"] - pilot["orders.parcels_per_order"]
    assert parcels_saved > 0.1 and saving > 0
    for key, step in (("packaging_per_parcel", 1.5), ("last_mile_per_parcel", 2.0)):
        default = getattr(Costs(), key)
        higher, _, _ = _saving({"costs": {key: default + step}})
        assert higher - saving == pytest.approx(step * parcels_saved, rel=1e-9), key
    oftener, _, pilot_oftener = _saving({"domestic": {"replenishment_interval": 6.0}})
    trips = pilot_oftener["trucks.replenishment.trips_per_day"], pilot["trucks.replenishment.trips_per_day"]
    assert trips[0] > trips[1] > 0
    assert oftener < saving
    replenishment = (pilot_oftener["cost.replenishment_per_order_cny"] - pilot["cost.replenishment_per_order_cny"])
    assert saving - oftener == pytest.approx(replenishment, rel=1e-6)
