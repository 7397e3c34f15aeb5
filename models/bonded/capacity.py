"""Release capacity of the zone at a promotion's opening: which resource binds, and the
release rate per hour it sustains.

`offered_bounds(params, clock_hour, day_type)` is an offered-load bound per resource: the
servers on duty at that clock hour of a day of that type, divided by the hours of its work
one order brings (pickers, pack stations, X-ray lines, officers, gate lanes for the trucks
it fills). It ignores queueing and timing, so the real rate is lower; the smallest bound
names the likely bottleneck. The carriers are not a bound: a truck that fills leaves at
once, so their timetables set how long parcels wait, not how many leave (the model gives
carriers as many trucks as they fill).

`load_ramp(scenario, factors)` runs the scenario's opening evening with the opening
surge's demand scaled by each factor (common random numbers: the same seed) and returns
the orders out of the zone per hour during the surge and the backlog at its end: the rate
levels off at the sustainable release rate when the bottleneck saturates.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from models.bonded.params import Params, Shift
from scenarios.loader import Scenario
from sim.calendar import clock_hours
from sim.run import run


def on_duty(shifts: Sequence[Shift], clock_hour: float, day_type: str) -> int:
    """Servers on duty at `clock_hour` (0–24) of a day of `day_type` (shifts of the day
    before that run past midnight count too)."""
    servers = 0
    for shift in shifts:
        if shift.day_types and day_type not in shift.day_types:
            continue  # the day before's type is not known here: a shift past midnight counts on its own type
        start, end = clock_hours(shift.start), clock_hours(shift.end)
        if end <= start:
            end += 24.0
        if start <= clock_hour < end or start <= clock_hour + 24.0 < end:
            servers += shift.servers
    return servers


def offered_bounds(params: Params, clock_hour: float, day_type: str) -> dict[str, float]:
    """Orders per hour each resource could release at `clock_hour` if it were the only
    limit (mean work per order; a mixed basket's domestic items picked in the zone under
    the pilot; pre-packed best sellers on an opening day type)."""
    orders, customs, warehouse, trucks = params.orders, params.customs, params.warehouse, params.trucks
    policy, domestic = params.policy, params.domestic
    in_zone = orders.mixed_share * (1.0 - domestic.stockout_share) if (policy.same_parcel or policy.same_truck) else 0
    items = orders.bonded_items.expected() + in_zone * orders.domestic_items.expected()
    parcels = 1.0 + (in_zone if policy.same_truck and not policy.same_parcel else 0.0)
    opening = params.opening
    prepared = 1.0 - (opening.prepacked_share * opening.prepack_time_saved
                      if day_type in orders.kickoff_day_types else 0.0)
    pick = warehouse.pick_time_per_item.expected() * items * prepared
    mixed = in_zone if policy.same_parcel else 0.0
    pack = warehouse.pack_time.expected() * (1.0 + mixed * (warehouse.mixed_pack_factor - 1.0)) * parcels * prepared
    xray_share = customs.xray_share * (1 - mixed) + customs.mixed_xray_share * mixed
    officer = (customs.yellow_share * customs.review_time.expected()
               + customs.red_share * customs.inspection_time.expected()
               + xray_share * customs.judgement_time.expected() * (1 + mixed * (warehouse.mixed_xray_factor - 1))
               + xray_share * customs.suspicious_share * customs.unpacking_time.expected()
               * (1 + mixed * (warehouse.mixed_xray_factor - 1)))
    volume = (trucks.bonded_parcel_m3 * (1 - mixed) + trucks.mixed_parcel_m3 * mixed
              + (in_zone * trucks.domestic_parcel_m3 if parcels > 1 else 0.0))
    truck_orders = min(min(c.truck.parcel_cap / parcels, c.truck.volume_m3 / volume) for c in trucks.carriers)
    gate_time = params.gate.passage_time.expected() + params.gate.release_form_check_time.expected()

    def rate(servers: int, hours_per_order: float) -> float:
        return servers / hours_per_order if hours_per_order > 0 else float("inf")

    return {
        "pickers": rate(on_duty(warehouse.pickers, clock_hour, day_type), pick),
        "pack_stations": rate(on_duty(warehouse.pack_stations, clock_hour, day_type), pack),
        "xray_lines": rate(on_duty(warehouse.xray_lines, clock_hour, day_type), xray_share / warehouse.xray_throughput),
        "officers": rate(on_duty(customs.officers, clock_hour, day_type), officer),
        "gate_lanes": rate(on_duty(params.gate.lanes, clock_hour, day_type), gate_time / truck_orders),
    }


def bottleneck(params: Params, clock_hour: float, day_type: str) -> tuple[str, float]:
    """The resource with the smallest offered-load bound and that bound (orders/h)."""
    bounds = offered_bounds(params, clock_hour, day_type)
    name = min(bounds, key=bounds.__getitem__)
    return name, bounds[name]


def load_ramp(scenario: Scenario, factors: Sequence[float], replication: int = 0) -> list[dict[str, float]]:
    """For each factor: the opening surge's weight × factor (the rest of the day as it
    is), one replication of `scenario`; returns the orders paid and out of the zone during
    the surge, out per hour, and the backlog at its end."""
    rows = []
    orders = scenario.params.orders
    for factor in factors:
        scaled = dataclasses.replace(orders, kickoff_multiplier=orders.kickoff_multiplier * factor)
        trial = dataclasses.replace(scenario, params=dataclasses.replace(scenario.params, orders=scaled))
        metrics = run(trial, replication).metrics
        rows.append({"factor": factor, "paid": metrics["opening.paid"], "left_zone": metrics["opening.left_zone"],
                     "left_zone_per_h": metrics["opening.left_zone_per_h"],
                     "backlog_end": metrics["opening.backlog_end"]})
    return rows
