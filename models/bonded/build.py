"""Wiring of the bonded-zone model from kernel blocks and the model's domain blocks.

Per order (its bonded parcel travels with it)::

    paid -> three-document match -> list filed -> risk screening -> channel
      green ------------------------------------------> released
      yellow -> document review (officers) -----------> released
      red ----> physical inspection (officers) -> ok -> released | non-compliant -> seized
    released -> picking -> packing -> X-ray selected? -> X-ray line -> image judgement
      (officers) -> suspicious? -> unpacking (officers) -> non-compliant? -> seized
    -> its carrier's zone trucks (full by m³ or parcels / timetable if loaded to the minimum
       m³ / max wait) -> second-line gate -> delivery
    -> order complete when its domestic parcel (if any) is delivered too

The domestic part of a mixed basket ships, by policy and stock: inside the bonded parcel
(same parcel), as its own parcel packed in the zone (same truck only), or as its own
parcel from the warehouse outside the zone, collected by its carrier's regular pickups
together with other shippers' cargo (baseline, stock-outs). Domestic goods held in the
zone come in on replenishment trucks, handled by an officer before the gate.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from models.bonded.blocks import Dispatch, DocumentFlow, Intake, OrderCompletion, Release, Replenishment, Seizure
from models.bonded.entities import GREEN, RED, YELLOW, OrderFactory
from models.bonded.ledger import Ledger
from models.bonded.params import Params
from sim.batching import Batcher
from sim.calendar import HOURS_PER_DAY, clock_hours, timetable_times
from sim.context import Context
from sim.flow import Delay, Drop, Sink, Switch
from sim.sources import ProfileSource
from sim.station import ServerPool, Station, shift_pool

#: officer work in priority order (lower first) under the "priority" discipline
OFFICER_PRIORITY = {"image_judgement": 0, "unpacking": 1, "physical_inspection": 2, "document_review": 3,
                    "entry_check": 4}


@dataclass(frozen=True, eq=False)
class Built:
    params: Params
    ledger: Ledger
    factory: OrderFactory
    source: ProfileSource
    pools: dict[str, ServerPool]
    stations: dict[str, Station]
    zone_trucks: tuple[Batcher, ...]
    pickups: tuple[Batcher, ...]
    completion: OrderCompletion
    delivered: Sink
    replenishment: Replenishment


def build(context: Context, params: Params) -> Built:
    streams = context.streams
    customs, warehouse, trucks = params.customs, params.warehouse, params.trucks
    surges = opening_surges(context, params)
    ledger = Ledger(context, params, surges)
    factory = OrderFactory(streams, params, surges)
    pools = {
        "officers": shift_pool(context, "officers", customs.officers, customs.officers_changeover),
        "pickers": shift_pool(context, "pickers", warehouse.pickers, warehouse.pickers_changeover),
        "pack_stations": shift_pool(context, "pack_stations", warehouse.pack_stations,
                                    warehouse.pack_stations_changeover),
        "xray_lines": shift_pool(context, "xray_lines", warehouse.xray_lines, warehouse.xray_lines_changeover),
        "gate_lanes": shift_pool(context, "gate_lanes", params.gate.lanes, params.gate.lanes_changeover),
    }
    officers = pools["officers"]
    prioritized = customs.officer_discipline == "priority"

    def officer_station(name: str, arrive: str | None, end: str | None, *, service: Callable[[], float] | None = None,
                        service_of: Callable[[Any], float] | None = None) -> Station:
        priority = OFFICER_PRIORITY[name]
        return Station(context, name, officers, service, service_of=service_of,
                       priority_of=(lambda _: priority) if prioritized else None, arrive=arrive, end=end)

    orders = params.orders
    source = ProfileSource(context, "orders", orders.daily_volume, orders.hourly_profile, orders.day_multipliers,
                           make=factory, milestone="order_paid", stream="order.arrivals",
                           day_profiles=kickoff_profiles(params))
    domestic = params.domestic
    replenishment = Replenishment(context, "replenishment", ledger, replenishment_times(context, params),
                                  domestic.item_volume_m3, domestic.replenishment_truck.volume_m3)
    entry_check = officer_station("entry_check", None, None,
                                  service=streams.sampler("service.entry_check", domestic.entry_check_time))
    intake = Intake(context, "intake", factory, ledger, replenishment)
    documents = DocumentFlow(context, "documents_and_screening", "documents_matched", "list_filed",
                             "channel_decided")
    channel = Switch(context, "channel", key=attrgetter("channel"), branches=[GREEN, YELLOW, RED])
    review = officer_station("document_review", "review_in", "review_out",
                             service=streams.sampler("service.document_review", customs.review_time))
    inspection = officer_station("physical_inspection", "inspection_in", "inspection_out",
                                 service=streams.sampler("service.physical_inspection", customs.inspection_time))
    inspected = Switch(context, "inspection_outcome", key=attrgetter("seize"), branches=[False, True])
    release = Release(context, "release", ledger, "released")
    picking = Station(context, "picking", pools["pickers"], service_of=attrgetter("pick_time"), end="picked")
    packing = Station(context, "packing", pools["pack_stations"], service_of=attrgetter("pack_time"), end="packed")
    selection = Switch(context, "xray_selection", key=attrgetter("xray"), branches=[False, True])
    scan_time = 1.0 / warehouse.xray_throughput
    xray = Station(context, "xray", pools["xray_lines"], lambda: scan_time, arrive="xray_in", end="xray_out")
    judgement = officer_station("image_judgement", None, "image_judged",
                                service_of=_mixed_scaled(streams.sampler("service.image_judgement",
                                                                         customs.judgement_time),
                                                         warehouse.mixed_xray_factor))
    image = Switch(context, "image", key=attrgetter("suspicious"), branches=[False, True])
    unpacking = officer_station("unpacking", "unpacking_in", "unpacking_out",
                                service_of=_mixed_scaled(streams.sampler("service.unpacking", customs.unpacking_time),
                                                         warehouse.mixed_xray_factor))
    unpacked = Switch(context, "unpacking_outcome", key=attrgetter("seize"), branches=[False, True])
    seizure = Seizure(context, "seizure", ledger, "seized")
    seized = Drop(context, "seized", reason="seized: non-compliant goods found at a physical check")

    carriers = trucks.carriers
    by_carrier = attrgetter("carrier")
    # extra departures for the opening surge, on its day types only
    extra_departures = timetable_times(params.opening.extra_departures, context.calendar, context.horizon,
                                       day_types=params.orders.kickoff_day_types)
    to_zone_truck = Switch(context, "carrier", key=by_carrier, branches=range(len(carriers)))
    zone_trucks = tuple(
        Batcher(context, f"zone_trucks.{carrier.name}", capacity=carrier.truck.parcel_cap,
                departures=sorted({*timetable_times(carrier.departures, context.calendar, context.horizon),
                                   *extra_departures}),
                cutoff=trucks.cutoff, max_wait=trucks.max_wait, key=attrgetter("truck_key"), loaded="loaded",
                min_load=trucks.min_load * carrier.truck.volume_m3, size_of=_volume,
                size_capacity=carrier.truck.volume_m3)
        for carrier in carriers)
    passage = streams.sampler("service.gate_passage", params.gate.passage_time)
    check = streams.sampler("service.release_form_check", params.gate.release_form_check_time)
    gate = Station(context, "gate", pools["gate_lanes"], lambda: passage() + check(), arrive="gate_in",
                   record_waits=True)
    gate_exit = Dispatch(context, "gate_exit", ledger, "gate_out", through_gate=True)
    outside = Delay(context, "outside_warehouse", duration_of=attrgetter("outside_time"), end="packed")
    to_pickup = Switch(context, "pickup_carrier", key=by_carrier, branches=range(len(carriers)))
    # a shared pickup runs whatever our load: it takes what is ready at its cut-off. The
    # timetable runs a day past the horizon so that a carrier always has a next pickup
    # (those after the horizon are never reached)
    pickups = tuple(
        Batcher(context, f"pickups.{carrier.name}",
                departures=timetable_times(carrier.pickups, context.calendar, context.horizon + HOURS_PER_DAY),
                cutoff=trucks.cutoff, loaded="loaded")
        for carrier in carriers)
    outside_exit = Dispatch(context, "outside_exit", ledger, "shipped", through_gate=False)
    delivery = Delay(context, "delivery", duration_of=attrgetter("delivery_time"), end="parcel_delivered")
    completion = OrderCompletion(context, "order_completion")
    delivered = Sink(context, "delivered", milestone="delivered")

    source.to(intake)
    intake.to(documents)
    intake.zone_domestic = picking
    intake.outside = outside
    documents.to(channel)
    channel.connect(GREEN, release)
    channel.connect(YELLOW, review).to(release)
    channel.connect(RED, inspection).to(inspected)
    inspected.connect(False, release)
    inspected.connect(True, seizure).to(seized)
    release.to(picking).to(packing).to(selection)
    selection.connect(False, to_zone_truck)
    selection.connect(True, xray).to(judgement).to(image)
    image.connect(False, to_zone_truck)
    image.connect(True, unpacking).to(unpacked)
    unpacked.connect(False, to_zone_truck)
    unpacked.connect(True, seizure)
    replenishment.to(entry_check).to(gate)
    gate.to(gate_exit).to(delivery)
    outside.to(to_pickup)
    for index in range(len(carriers)):
        to_zone_truck.connect(index, zone_trucks[index]).to(gate)
        to_pickup.connect(index, pickups[index]).to(outside_exit)
    outside_exit.to(delivery)
    delivery.to(completion).to(delivered)
    ledger.start()

    stations = {station.name: station for station in
                (review, inspection, entry_check, picking, packing, xray, judgement, unpacking, gate)}
    return Built(params, ledger, factory, source, pools, stations, zone_trucks, pickups, completion,
                 delivered, replenishment)


def _volume(parcel: Any) -> float:
    return parcel.volume


def _mixed_scaled(sampler: Callable[[], float], factor: float) -> Callable[[Any], float]:
    """Service of an order: a draw, times `factor` for a mixed (bonded + domestic) parcel."""
    def service(order: Any) -> float:
        draw = sampler()
        return draw * factor if order.mixed_parcel else draw
    return service


def kickoff_profiles(params: Params) -> dict[str, tuple[float, ...]]:
    """Hourly profiles of the day types on which a promotion opens: the `kickoff_hours`
    clock hours from `kickoff_start` (to midnight at the latest: the surge belongs to its
    day) weigh `kickoff_multiplier` times their ordinary weight."""
    orders = params.orders
    if orders.kickoff_hours == 0 or orders.kickoff_multiplier == 1.0:
        return {}
    first = int(clock_hours(orders.kickoff_start)) % 24
    surge = range(first, min(24, first + orders.kickoff_hours))
    profile = tuple(weight * orders.kickoff_multiplier if hour in surge else weight
                    for hour, weight in enumerate(orders.hourly_profile))
    return {kind: profile for kind in orders.kickoff_day_types}


def opening_surges(context: Context, params: Params) -> list[tuple[float, float]]:
    """(start, end) times of the opening surges in the run: the kickoff hours of every day
    of a kickoff day type."""
    orders = params.orders
    if orders.kickoff_hours == 0:
        return []
    calendar = context.calendar
    first = float(int(clock_hours(orders.kickoff_start)) % 24)
    length = min(24.0 - first, float(orders.kickoff_hours))
    surges = []
    for day in calendar.days(context.horizon):
        if calendar.day_type(day) in orders.kickoff_day_types:
            start = calendar.day_start(day) + first
            if start < context.horizon:
                surges.append((start, start + length))
    return surges


def replenishment_times(context: Context, params: Params) -> list[float]:
    """Every `replenishment_interval` hours from the first `replenishment_start` clock time
    of the run."""
    domestic = params.domestic
    calendar = context.calendar
    offset = (clock_hours(domestic.replenishment_start) - calendar.start_hour) % HOURS_PER_DAY
    times = []
    time = offset
    while time < context.horizon:
        times.append(time)
        time += domestic.replenishment_interval
    return times
