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

from math import floor
from typing import Any

from models.bonded.entities import Order
from sim.calendar import HOURS_PER_DAY
from sim.context import Context
from sim.monitors import TimeWeighted


class Ledger:
    def __init__(self, context: Context) -> None:
        self.context = context
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
        self.released = 0
        self.left_zone = 0
        self.seized = 0
        self.shipped = 0
        self.inbound_trucks = 0
        self.clearance: list[list[float]] = [[], [], []]
        self.zone_dwell: list[float] = []
        self.order_to_delivery: list[float] = []

    def _reset(self, now: float) -> None:
        self.zone_wip.reset(now)
        self._clear()

    # -- day boundaries -------------------------------------------------------------------
    def start(self) -> None:
        """Schedule an end-of-day snapshot of the backlog at every midnight of the run."""
        calendar, context = self.calendar, self.context
        for day in calendar.days(context.horizon):
            midnight = calendar.day_start(day + 1)
            if 0.0 < midnight < context.horizon:
                context.at(midnight, self._end_of_day, day)

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
        self.parcels += order.parcels
        self.channels[order.channel] += 1
        if order.mixed_basket:
            self.mixed += 1
        if order.mixed_parcel:
            self.mixed_parcels += 1
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
