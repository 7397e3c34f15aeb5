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

    everything: list[float] = []
    for index, name in enumerate(CHANNELS):
        _distribution(values, f"clearance.{name}", ledger.clearance[index])
        everything.extend(ledger.clearance[index])
    _distribution(values, "clearance.all", everything)
    _distribution(values, "zone_dwell", ledger.zone_dwell)
    _distribution(values, "order_to_delivery", ledger.order_to_delivery)

    values["zone.wip_mean"] = ledger.zone_wip.mean()
    values["zone.exits_per_h"] = (ledger.left_zone + ledger.seized) / window

    zone, outside = built.zone_trucks, built.outside_trucks
    capacity = params.trucks.capacity
    departures = zone.sizes.count + outside.sizes.count
    values["trucks.departures_per_day"] = departures / days
    values["trucks.load_factor"] = _ratio(zone.sizes.total + outside.sizes.total, departures * capacity)
    values["trucks.zone.departures_per_day"] = zone.sizes.count / days
    values["trucks.zone.load_factor"] = _ratio(zone.sizes.total, zone.sizes.count * capacity)
    values["trucks.outside.departures_per_day"] = outside.sizes.count / days
    values["trucks.outside.load_factor"] = _ratio(outside.sizes.total, outside.sizes.count * capacity)
    for fleet, batcher in (("zone", zone), ("outside", outside)):
        values[f"trucks.{fleet}.skipped_per_day"] = batcher.held_back / days
        values[f"trucks.{fleet}.max_wait_share"] = _ratio(batcher.reasons["max_wait"], batcher.sizes.count)
    values["gate.passages_per_day"] = (built.stations["gate"].completed) / days
    values["gate.inbound_trucks_per_day"] = ledger.inbound_trucks / days
    _distribution(values, "gate.wait", built.stations["gate"].wait_samples or [])

    for name, station in built.stations.items():
        values[f"wait.{name}.mean_h"] = station.wait_mean()
    for name, pool in built.pools.items():
        values[f"utilization.{name}"] = pool.utilization()

    _daily(values, context, built)

    costs = params.costs
    parcels_per_order = values["orders.parcels_per_order"]
    values["cost.packaging_per_order_cny"] = costs.packaging_per_parcel * parcels_per_order
    values["cost.last_mile_per_order_cny"] = costs.last_mile_per_parcel * parcels_per_order
    values["cost.trucking_per_order_cny"] = _ratio(costs.truck_trip * departures, paid)
    values["cost.per_order_cny"] = (values["cost.packaging_per_order_cny"] + values["cost.last_mile_per_order_cny"]
                                    + values["cost.trucking_per_order_cny"])
    return values


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
