"""KPIs of the bonded-zone model, per replication, over the observation window.

Distributions (clearance, zone dwell, order-to-delivery, gate wait) are reported with
mean, median, p90 and p95. Per-day KPIs use the calendar days lying wholly inside the
window; each also appears under its date (`daily.2025-11-11.released`).
"""

from __future__ import annotations

import datetime as dt
import re
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
        hours = built.pools[name].capacity_level.area / days
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
    the zone during it, the release rate and the backlog at its end."""
    ledger = built.ledger
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


def describe_metrics() -> dict[str, str]:
    """KPI definitions (model page and reports). `<d>` is a distribution: mean_h, median_h,
    p90_h, p95_h (hours) and count."""
    return {
        "orders.paid": "orders paid in the window",
        "orders.paid_per_day": "orders paid per day in the window",
        "orders.released_per_day": "declaration lists released by customs per day in the window",
        "orders.left_zone_per_day": "orders whose bonded parcel passed the second-line gate, per day",
        "orders.delivered": "orders complete (every parcel delivered) in the window",
        "orders.seized": "orders seized in the window (non-compliant at red inspection or unpacking)",
        "orders.parcels_per_order": "parcels the orders paid in the window ship in (1, or 2 when the domestic part "
                                    "ships on its own)",
        "orders.mixed_share_realised": "share of orders paid in the window whose basket holds domestic goods",
        "orders.same_parcel_share": "share of orders paid in the window packed as one mixed parcel",
        "channel.<green|yellow|red>.share": "share of orders paid in the window assigned to the channel",
        "xray.selected_share": "share of orders paid in the window whose parcel is selected for X-ray",
        "clearance.<green|yellow|red|all>.<d>": "customs clearance time: list filed to release, of lists released "
                                                "in the window, by channel",
        "zone_dwell.<d>": "order paid to its bonded parcel's gate exit, of orders leaving the zone in the window",
        "order_to_delivery.<d>": "order paid to its last parcel delivered, of orders whose last parcel left the "
                                 "zone or the outside warehouse in the window (delivery legs are not congested)",
        "zone.wip_mean": "time-averaged orders paid and not yet out of the zone (nor seized)",
        "zone.exits_per_h": "orders leaving the zone's books (gate exit or seizure) per hour",
        "xray.mixed_selected_share": "share of mixed parcels (bonded + domestic) selected for X-ray",
        "trucks.departures_per_day": "truck trips per day of the fleet the shipper runs or shares: zone trucks, "
                                     "its volume share of the outside pickups' trucks, replenishment trucks",
        "trucks.load_factor": "m³ carried / m³ of room run, over the same fleet (a shared pickup counts with its own "
                              "load factor, every shipper's cargo included)",
        "trucks.km_per_day": "truck-km per day of the same fleet (pickup rounds allocated by volume share)",
        "trucks.km_per_order": "truck-km of the same fleet per order paid",
        "trucks.co2_kg_per_order": "CO₂ of the same fleet per order paid: km × diesel per km × CO₂ per litre",
        "trucks.zone.departures_per_day": "carriers' truck departures per day from the zone",
        "trucks.zone.load_factor": "m³ carried / m³ of room of the carriers' zone trucks",
        "trucks.zone.parcels_per_departure": "parcels per zone truck departure",
        "trucks.zone.km_per_day": "km per day of the carriers' zone trucks (round trips to their hubs)",
        "trucks.zone.skipped_per_day": "timetabled zone truck departures per day held back because the truck had "
                                       "less than its minimum m³ (its parcels wait for the carrier's next)",
        "trucks.zone.max_wait_share": "share of zone departures sent by the maximum wait rather than by a full "
                                      "truck or the timetable",
        "trucks.zone.full_share": "share of zone departures sent because the truck was full (m³ or parcels)",
        "carrier.<carrier>.departures_per_day": "zone truck departures per day of one carrier",
        "carrier.<carrier>.load_factor": "m³ carried / m³ of room of one carrier's zone trucks",
        "trucks.outside.pickups_per_day": "carriers' pickups per day at the outside warehouse that took our parcels",
        "trucks.outside.parcels_per_pickup": "our parcels per pickup that took any",
        "trucks.outside.load_factor": "every shipper's m³ / m³ of room of the pickups' trucks",
        "trucks.outside.volume_share": "our share of the m³ the pickups carried",
        "trucks.outside.allocated_trucks_per_day": "pickup trucks per day allocated to us by volume share",
        "trucks.outside.km_per_day": "pickup km per day allocated to us by volume share",
        "trucks.replenishment.trips_per_day": "trucks per day bringing domestic goods into the zone",
        "trucks.replenishment.load_factor": "m³ carried / m³ of room of the replenishment trucks",
        "trucks.replenishment.km_per_day": "km per day of the replenishment trucks (round trips)",
        "gate.passages_per_day": "truck passages of the second-line gate per day (outbound and replenishment)",
        "gate.inbound_trucks_per_day": "replenishment trucks bringing domestic goods into the zone per day",
        "gate.wait.<d>": "time a truck waits for a free gate lane",
        "wait.<station>.mean_h": "mean queue wait at document_review, physical_inspection, entry_check, picking, packing, xray, "
                                 "image_judgement, unpacking, gate",
        "utilization.<pool>": "busy server-hours / on-duty server-hours of officers, pickers, pack_stations, "
                              "xray_lines, gate_lanes",
        "daily.<date>.paid": "orders paid on the date (days wholly inside the window)",
        "daily.<date>.released": "lists released on the date",
        "daily.<date>.backlog_end": "orders paid and not yet out of the zone at the date's midnight",
        "daily.<date>.same_day_exit_share": "share of the date's orders that left the zone the same date",
        "orders.backlog_end_of_day.<mean|max>": "backlog at the end of each day in the window: mean and maximum",
        "orders.released_per_full_day.max": "most lists released on one day of the window",
        "orders.same_day_exit_share": "share of orders paid on window days that left the zone the same day",
        "opening.paid": "orders paid during the first opening surge (kickoff hours) wholly inside the window",
        "opening.left_zone": "orders whose parcel passed the gate during that surge",
        "opening.left_zone_per_h": "orders out of the zone per hour during that surge",
        "opening.backlog_end": "orders paid and not yet out of the zone at the end of that surge",
        "cost.per_order_cny": "the sum of the parts below, per order paid",
        "cost.<packaging|last_mile>_per_order_cny": "parcels per order × unit cost per parcel",
        "cost.zone_trucking_per_order_cny": "zone truck-km × cost per km, per order paid",
        "cost.outside_pickup_per_order_cny": "parcels collected on shared pickups × the carrier's charge per parcel, "
                                             "per order paid",
        "cost.replenishment_per_order_cny": "replenishment truck-km × cost per km + entries × handling per entry, "
                                            "per order paid",
        "cost.inventory_per_order_cny": "value of the zone's domestic stock × carrying rate a day, per order paid",
        "cost.space_per_order_cny": "m³ of the zone's domestic stock × space cost a day, per order paid",
        "cost.staff_per_order_cny": "scheduled staff-hours × cost per staff-hour, per order paid",
        "inventory.zone_items_per_day": "domestic items taken from the zone's stock per day",
        "inventory.zone_units": "domestic items held in the zone: days of cover × items taken per day",
        "inventory.zone_value_cny": "value of the domestic items held in the zone",
        "inventory.zone_volume_m3": "m³ of the domestic items held in the zone",
        "staff.<pool>.hours_per_day": "scheduled staff-hours per day of a staffed pool (officers, pickers, "
                                      "pack_stations, xray_lines)",
        "staff.<pool>.cost_per_day_cny": "scheduled staff-hours × cost per staff-hour, per day",
        "staff.cost_per_day_cny": "staff cost per day of every staffed pool",
    }


def is_described(metric: str) -> bool:
    """Whether `metric` matches a definition of `describe_metrics`: `<d>` stands for a
    distribution statistic, `<a|b>` for one of the names, any other `<...>` for one part."""
    return any(_pattern(pattern).fullmatch(metric) for pattern in describe_metrics())


def _pattern(pattern: str) -> re.Pattern[str]:
    pieces = []
    for part in re.split(r"(<[^>]+>)", pattern):
        if not part.startswith("<"):
            pieces.append(re.escape(part))
            continue
        inner = part[1:-1]
        if inner == "d":
            pieces.append(r"(?:mean_h|median_h|p90_h|p95_h|count)")
        elif "|" in inner:
            pieces.append("(?:" + "|".join(re.escape(choice) for choice in inner.split("|")) + ")")
        else:
            pieces.append(r"[^.]+")
    return re.compile("".join(pieces))
