"""The model's books: what the KPIs are computed from.

Counts and samples cover the observation window (they are cleared at the end of the
warm-up, like the kernel's statistics); per-day counts are kept by calendar day for the
whole run, and the metrics keep the days that lie wholly inside the window.

Order-to-delivery is recorded when an order's last parcel leaves the zone (or the outside
warehouse): from then on its parcels are in line-haul and last-mile transport, which is
not congested in the model, so its delivery time is known. Recording it then, rather than
at delivery, keeps the sample free of the bias a window of completions would have when
deliveries take days and the warm-up hours.
"""

from __future__ import annotations

from math import ceil, floor
from typing import Any

from models.bonded.entities import Order
from models.bonded.params import Params
from sim.calendar import HOURS_PER_DAY
from sim.context import Context
from sim.monitors import TimeWeighted


class Ledger:
    def __init__(self, context: Context, params: Params, surges: list[tuple[float, float]] = ()) -> None:  # type: ignore[assignment]
        self.context = context
        #: opening surges: orders paid and leaving the zone in each, and the backlog at its end
        self.surges = list(surges)
        self.surge_paid = [0] * len(self.surges)
        self.surge_exits = [0] * len(self.surges)
        self.surge_backlog = [float("nan")] * len(self.surges)
        self.carriers = params.trucks.carriers
        self.replenishment_truck = params.domestic.replenishment_truck
        self.replenishment_km = params.domestic.replenishment_km
        self.calendar = context.calendar
        #: clock time of t = 0, for `calendar.day_index` written out (it runs a few times per order)
        self._start_hour = context.calendar.start_hour
        #: orders paid and not yet out of the zone (nor seized), time-weighted
        self.zone_wip = TimeWeighted()
        context.on_reset(self._reset, self.zone_wip.close)
        self.paid_by_day: dict[int, int] = {}
        self.released_by_day: dict[int, int] = {}
        self.same_day_by_day: dict[int, int] = {}
        self.backlog_by_day: dict[int, float] = {}
        self._clear()

    def _clear(self) -> None:
        self.paid = 0
        self.mixed = 0
        self.parcels = 0
        self.mixed_parcels = 0
        self.outside_parcels = 0
        self.zone_domestic_parcels = 0
        self.channels = [0, 0, 0]
        self.xray_selected = 0
        self.mixed_xray_selected = 0
        self.released = 0
        self.left_zone = 0
        self.seized = 0
        self.shipped = 0
        self.inbound_trucks = 0
        #: domestic items taken from the zone's stock
        self.zone_items = 0
        carriers = len(self.carriers)
        #: per carrier: zone trucks (trips, parcels, m³)
        self.zone_trips = [0] * carriers
        self.zone_parcels = [0] * carriers
        self.zone_volume = [0.0] * carriers
        #: per carrier: pickups carrying our parcels, our parcels and m³ on them, every
        #: shipper's m³, the trucks the pickups took, and our share of them by volume
        self.pickups = [0] * carriers
        self.pickup_parcels = [0] * carriers
        self.pickup_volume = [0.0] * carriers
        self.pickup_volume_all = [0.0] * carriers
        self.pickup_trucks = [0] * carriers
        self.pickup_allocated_trucks = [0.0] * carriers
        #: replenishment trucks into the zone and their m³
        self.replenishment_trips = 0
        self.replenishment_volume = 0.0
        self.clearance: list[list[float]] = [[], [], []]
        self.zone_dwell: list[float] = []
        self.order_to_delivery: list[float] = []

    def _reset(self, now: float) -> None:
        self.zone_wip.reset(now)
        self._clear()

    # -- trips ------------------------------------------------------------------------------
    def zone_trip(self, carrier: int, parcels: int, volume: float) -> None:
        self.zone_trips[carrier] += 1
        self.zone_parcels[carrier] += parcels
        self.zone_volume[carrier] += volume

    def pickup(self, carrier: int, parcels: int, volume: float) -> None:
        """A carrier's pickup took our `parcels` with other shippers' cargo: as many trucks
        as the whole load needs, of which our share by volume is ours."""
        spec = self.carriers[carrier]
        everything = volume + spec.pickup_others_m3
        trucks = max(1, ceil(everything / spec.truck.volume_m3 - 1e-9))
        self.pickups[carrier] += 1
        self.pickup_parcels[carrier] += parcels
        self.pickup_volume[carrier] += volume
        self.pickup_volume_all[carrier] += everything
        self.pickup_trucks[carrier] += trucks
        self.pickup_allocated_trucks[carrier] += trucks * volume / everything

    def replenishment_trip(self, volume: float) -> None:
        self.replenishment_trips += 1
        self.replenishment_volume += volume

    # -- day boundaries -------------------------------------------------------------------
    def start(self) -> None:
        """Schedule an end-of-day snapshot of the backlog at every midnight of the run."""
        calendar, context = self.calendar, self.context
        for day in calendar.days(context.horizon):
            midnight = calendar.day_start(day + 1)
            if 0.0 < midnight < context.horizon:
                context.at(midnight, self._end_of_day, day)
        for index, (_, end) in enumerate(self.surges):
            if end < context.horizon:
                context.at(end, self._end_of_surge, index)

    def _end_of_surge(self, index: Any) -> None:
        self.surge_backlog[index] = self.zone_wip.value

    def _surge_of(self, now: float) -> int:
        for index, (start, end) in enumerate(self.surges):
            if start <= now < end:
                return index
        return -1

    def _end_of_day(self, value: Any) -> None:
        self.backlog_by_day[value] = self.zone_wip.value

    def close_day(self, day: int) -> None:
        """Snapshot the backlog of `day` if the run ends at its midnight (events at the
        horizon itself are not run)."""
        self.backlog_by_day.setdefault(day, self.zone_wip.value)

    # -- order events -----------------------------------------------------------------------
    def order_paid(self, order: Order, now: float) -> None:
        day = order.paid_day = floor((now + self._start_hour) / HOURS_PER_DAY)
        self.paid_by_day[day] = self.paid_by_day.get(day, 0) + 1
        self.zone_wip.add(now, 1)
        self.paid += 1
        if self.surges:
            surge = self._surge_of(now)
            if surge >= 0:
                self.surge_paid[surge] += 1
        self.parcels += order.parcels
        self.channels[order.channel] += 1
        if order.mixed_basket:
            self.mixed += 1
        if order.mixed_parcel:
            self.mixed_parcels += 1
            if order.xray:
                self.mixed_xray_selected += 1
        if order.xray:
            self.xray_selected += 1

    def list_released(self, order: Order, now: float) -> None:
        self.released += 1
        day = floor((now + self._start_hour) / HOURS_PER_DAY)
        self.released_by_day[day] = self.released_by_day.get(day, 0) + 1
        self.clearance[order.channel].append(now - order.filed)

    def order_left_zone(self, order: Order, now: float) -> None:
        self.zone_wip.add(now, -1)
        self.left_zone += 1
        if self.surges:
            surge = self._surge_of(now)
            if surge >= 0:
                self.surge_exits[surge] += 1
        self.zone_dwell.append(now - order.born)
        if floor((now + self._start_hour) / HOURS_PER_DAY) == order.paid_day:
            self.same_day_by_day[order.paid_day] = self.same_day_by_day.get(order.paid_day, 0) + 1

    def order_seized(self, order: Order, now: float) -> None:
        self.zone_wip.add(now, -1)
        self.seized += 1

    def parcel_shipped(self, order: Order, delivery_time: float, now: float) -> None:
        """A parcel of `order` left the zone or the outside warehouse."""
        due = now + delivery_time
        order.delivery_due = max(order.delivery_due, due)
        order.unshipped -= 1
        if order.unshipped == 0 and not order.seized:
            self.shipped += 1
            self.order_to_delivery.append(order.delivery_due - order.born)
