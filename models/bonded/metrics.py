"""KPIs of the bonded-zone model, per replication, over the observation window.

Distributions (clearance, zone dwell, order-to-delivery, gate wait) are reported with
mean, median, p90 and p95. Per-day KPIs use the calendar days lying wholly inside the
window; each also appears under its date (`daily.2025-11-11.released`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np

from models.bonded.build import Built
from models.bonded.entities import CHANNELS
from models.bonded.params import Params
from sim.calendar import HOURS_PER_DAY
from sim.context import Context

_NAN = float("nan")


def _distribution(values: dict[str, float], prefix: str, samples: Sequence[float]) -> None:
    values[f"{prefix}.count"] = float(len(samples))
    if not samples:
        for statistic in ("mean_h", "median_h", "p90_h", "p95_h"):
            values[f"{prefix}.{statistic}"] = _NAN
        return
    array = np.asarray(samples)
    median, p90, p95 = np.percentile(array, (50, 90, 95))
    values[f"{prefix}.mean_h"] = float(array.mean())
    values[f"{prefix}.median_h"] = float(median)
    values[f"{prefix}.p90_h"] = float(p90)
    values[f"{prefix}.p95_h"] = float(p95)


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else _NAN


def window_days(context: Context) -> list[int]:
    """Calendar days lying wholly inside [warmup, horizon]."""
    calendar = context.calendar
    return [day for day in calendar.days(context.horizon)
            if calendar.day_start(day) >= context.warmup - 1e-9
            and calendar.day_start(day + 1) <= context.horizon + 1e-9]


def metrics(context: Context, params: Params, built: Built) -> dict[str, float]:
    ledger = built.ledger
    window = context.horizon - context.warmup
    days = window / HOURS_PER_DAY
    values: dict[str, float] = {}

    paid = ledger.paid
    values["orders.paid"] = float(paid)
    values["orders.paid_per_day"] = paid / days
    values["orders.released_per_day"] = ledger.released / days
    values["orders.left_zone_per_day"] = ledger.left_zone / days
    values["orders.delivered"] = float(built.delivered.completed)
    values["orders.seized"] = float(ledger.seized)
    values["orders.parcels_per_order"] = _ratio(ledger.parcels, paid)
    values["orders.mixed_share_realised"] = _ratio(ledger.mixed, paid)
    values["orders.same_parcel_share"] = _ratio(ledger.mixed_parcels, paid)
    for index, name in enumerate(CHANNELS):
        values[f"channel.{name}.share"] = _ratio(ledger.channels[index], paid)
    values["xray.selected_share"] = _ratio(ledger.xray_selected, paid)
    values["xray.mixed_selected_share"] = _ratio(ledger.mixed_xray_selected, ledger.mixed_parcels)

    everything: list[float] = []
    for index, name in enumerate(CHANNELS):
        _distribution(values, f"clearance.{name}", ledger.clearance[index])
        everything.extend(ledger.clearance[index])
    _distribution(values, "clearance.all", everything)
    _distribution(values, "zone_dwell", ledger.zone_dwell)
    _distribution(values, "order_to_delivery", ledger.order_to_delivery)

    values["zone.wip_mean"] = ledger.zone_wip.mean()
    values["zone.exits_per_h"] = (ledger.left_zone + ledger.seized) / window

    _trucks(values, params, built, days)
    values["gate.passages_per_day"] = (built.stations["gate"].completed) / days
    values["gate.inbound_trucks_per_day"] = ledger.inbound_trucks / days
    _distribution(values, "gate.wait", built.stations["gate"].wait_samples or [])

    for name, station in built.stations.items():
        values[f"wait.{name}.mean_h"] = station.wait_mean()
    for name, pool in built.pools.items():
        values[f"utilization.{name}"] = pool.utilization()

    _daily(values, context, built)
    _opening(values, context, built)

    _costs(values, params, built, days)
    return values


def _trucks(values: dict[str, float], params: Params, built: Built, days: float) -> None:
    """Zone trucks, shared pickups and replenishment trips: departures, load factor by
    volume, km and CO₂; and the fleet totals a planner compares."""
    ledger = built.ledger
    carriers = params.trucks.carriers
    paid = ledger.paid
    zone_capacity = pickup_capacity = 0.0
    zone_km = pickup_km = litres = 0.0
    for index, carrier in enumerate(carriers):
        truck = carrier.truck
        trips = ledger.zone_trips[index]
        values[f"carrier.{carrier.name}.departures_per_day"] = trips / days
        values[f"carrier.{carrier.name}.load_factor"] = _ratio(ledger.zone_volume[index], trips * truck.volume_m3)
        zone_capacity += trips * truck.volume_m3
        zone_km += trips * carrier.trip_km
        allocated = ledger.pickup_allocated_trucks[index]
        pickup_capacity += allocated * truck.volume_m3
        pickup_km += allocated * carrier.pickup_km
        litres += (trips * carrier.trip_km + allocated * carrier.pickup_km) * truck.fuel_l_per_100km / 100.0
    zone_trips, zone_volume = sum(ledger.zone_trips), sum(ledger.zone_volume)
    values["trucks.zone.departures_per_day"] = zone_trips / days
    values["trucks.zone.load_factor"] = _ratio(zone_volume, zone_capacity)
    values["trucks.zone.parcels_per_departure"] = _ratio(sum(ledger.zone_parcels), zone_trips)
    values["trucks.zone.km_per_day"] = zone_km / days
    batchers = built.zone_trucks
    values["trucks.zone.skipped_per_day"] = sum(batcher.held_back for batcher in batchers) / days
    values["trucks.zone.max_wait_share"] = _ratio(sum(batcher.reasons["max_wait"] for batcher in batchers),
                                                  sum(batcher.sizes.count for batcher in batchers))
    values["trucks.zone.full_share"] = _ratio(sum(batcher.reasons["full"] for batcher in batchers),
                                              sum(batcher.sizes.count for batcher in batchers))

    pickup_volume, pickup_all = sum(ledger.pickup_volume), sum(ledger.pickup_volume_all)
    pickup_truck_volume = sum(ledger.pickup_trucks[i] * carrier.truck.volume_m3 for i, carrier in enumerate(carriers))
    allocated_trucks = sum(ledger.pickup_allocated_trucks)
    values["trucks.outside.pickups_per_day"] = sum(ledger.pickups) / days
    values["trucks.outside.parcels_per_pickup"] = _ratio(sum(ledger.pickup_parcels), sum(ledger.pickups))
    values["trucks.outside.load_factor"] = _ratio(pickup_all, pickup_truck_volume)
    values["trucks.outside.volume_share"] = _ratio(pickup_volume, pickup_all)
    values["trucks.outside.allocated_trucks_per_day"] = allocated_trucks / days
    values["trucks.outside.km_per_day"] = pickup_km / days

    domestic = params.domestic
    replenishment = domestic.replenishment_truck
    trips = ledger.replenishment_trips
    replenishment_km = trips * domestic.replenishment_km
    litres += replenishment_km * replenishment.fuel_l_per_100km / 100.0
    values["trucks.replenishment.trips_per_day"] = trips / days
    values["trucks.replenishment.load_factor"] = _ratio(ledger.replenishment_volume, trips * replenishment.volume_m3)
    values["trucks.replenishment.km_per_day"] = replenishment_km / days

    # the fleet the shipper runs or shares: our share of a pickup counts as that share of
    # its trucks, so its load factor is the pickup's own
    values["trucks.departures_per_day"] = (zone_trips + allocated_trucks + trips) / days
    values["trucks.load_factor"] = _ratio(zone_volume + pickup_volume + ledger.replenishment_volume,
                                          zone_capacity + pickup_capacity + trips * replenishment.volume_m3)
    values["trucks.km_per_day"] = (zone_km + pickup_km + replenishment_km) / days
    values["trucks.km_per_order"] = _ratio(zone_km + pickup_km + replenishment_km, paid)
    values["trucks.co2_kg_per_order"] = _ratio(litres * params.trucks.co2_kg_per_litre, paid)


def _costs(values: dict[str, float], params: Params, built: Built, days: float) -> None:
    """Cost per order: each simulated quantity times its unit cost; and staff cost per day."""
    ledger = built.ledger
    costs, domestic = params.costs, params.domestic
    paid = ledger.paid
    parcels_per_order = values["orders.parcels_per_order"]
    values["cost.packaging_per_order_cny"] = costs.packaging_per_parcel * parcels_per_order
    values["cost.last_mile_per_order_cny"] = costs.last_mile_per_parcel * parcels_per_order
    values["cost.zone_trucking_per_order_cny"] = _ratio(costs.truck_km * values["trucks.zone.km_per_day"] * days,
                                                        paid)
    values["cost.outside_pickup_per_order_cny"] = _ratio(costs.outside_pickup_per_parcel
                                                         * sum(ledger.pickup_parcels), paid)
    values["cost.replenishment_per_order_cny"] = _ratio(
        costs.truck_km * values["trucks.replenishment.km_per_day"] * days
        + costs.entry_handling_per_trip * ledger.replenishment_trips, paid)

    # stock in the zone: days of cover of the simulated consumption
    units = domestic.days_of_cover * ledger.zone_items / days
    values["inventory.zone_items_per_day"] = ledger.zone_items / days
    values["inventory.zone_units"] = units
    values["inventory.zone_value_cny"] = units * domestic.item_value_cny
    values["inventory.zone_volume_m3"] = units * domestic.item_volume_m3
    per_day = paid / days
    values["cost.inventory_per_order_cny"] = _ratio(
        values["inventory.zone_value_cny"] * costs.carrying_rate_per_year / 365.0, per_day)
    values["cost.space_per_order_cny"] = _ratio(values["inventory.zone_volume_m3"] * costs.space_per_m3_day, per_day)

    staff = 0.0
    for name, rate in costs.staff_hour.items():
        pool = built.pools[name]  # scheduled hours, and overtime past a shift's end paid alike
        hours = (pool.scheduled_hours() + pool.overtime_hours()) / days
        values[f"staff.{name}.hours_per_day"] = hours
        values[f"staff.{name}.cost_per_day_cny"] = hours * rate
        staff += hours * rate
    values["staff.cost_per_day_cny"] = staff
    values["cost.staff_per_order_cny"] = _ratio(staff, per_day)
    values["cost.per_order_cny"] = sum(values[f"cost.{part}_per_order_cny"] for part in COST_PARTS)


#: the parts of the cost per order, in the order the model page lists them
COST_PARTS = ("packaging", "last_mile", "zone_trucking", "outside_pickup", "replenishment", "inventory", "space",
              "staff")


def _opening(values: dict[str, float], context: Context, built: Built) -> None:
    """The first opening surge lying wholly inside the window: orders paid, orders out of
    the zone during it, the release rate and the backlog at its end (NaN without one)."""
    ledger = built.ledger
    for name in ("paid", "left_zone", "left_zone_per_h", "backlog_end"):
        values[f"opening.{name}"] = _NAN
    for index, (start, end) in enumerate(ledger.surges):
        if start >= context.warmup - 1e-9 and end <= context.horizon + 1e-9:
            values["opening.paid"] = float(ledger.surge_paid[index])
            values["opening.left_zone"] = float(ledger.surge_exits[index])
            values["opening.left_zone_per_h"] = ledger.surge_exits[index] / (end - start)
            values["opening.backlog_end"] = (ledger.surge_backlog[index] if end < context.horizon
                                             else float(ledger.zone_wip.value))
            return


def _daily(values: dict[str, float], context: Context, built: Built) -> None:
    ledger = built.ledger
    calendar = context.calendar
    days = window_days(context)
    for day in days:
        if abs(calendar.day_start(day + 1) - context.horizon) < 1e-9:
            ledger.close_day(day)
    released, backlog, same_day, paid = [], [], [], []
    for day in days:
        date = (calendar.start.date() + dt.timedelta(days=day)).isoformat()
        day_paid = ledger.paid_by_day.get(day, 0)
        day_released = ledger.released_by_day.get(day, 0)
        day_backlog = ledger.backlog_by_day.get(day, _NAN)
        day_same = ledger.same_day_by_day.get(day, 0)
        values[f"daily.{date}.paid"] = float(day_paid)
        values[f"daily.{date}.released"] = float(day_released)
        values[f"daily.{date}.backlog_end"] = float(day_backlog)
        values[f"daily.{date}.same_day_exit_share"] = _ratio(day_same, day_paid)
        released.append(day_released)
        backlog.append(day_backlog)
        same_day.append(day_same)
        paid.append(day_paid)
    values["orders.backlog_end_of_day.mean"] = float(np.mean(backlog)) if backlog else _NAN
    values["orders.backlog_end_of_day.max"] = float(np.max(backlog)) if backlog else _NAN
    values["orders.released_per_full_day.max"] = float(max(released)) if released else _NAN
    values["orders.same_day_exit_share"] = _ratio(sum(same_day), sum(paid))
