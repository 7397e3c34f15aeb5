"""Domain blocks of the bonded-zone model, on the kernel's block protocol.

Each is small and callback-driven (no process per order): the intake that splits off a
domestic parcel, the list-filed stamp, customs release, seizure, the dispatch of a truck's
parcels after the gate (or from the outside warehouse), the order-completion join, and
the replenishment of the zone's domestic stock.
"""

from __future__ import annotations

from collections.abc import Sequence
from math import ceil
from typing import Any

from models.bonded.entities import OUTSIDE_PARCEL, ZONE_PARCEL, Order, OrderFactory, Parcel
from models.bonded.ledger import Ledger
from sim.context import Context
from sim.entity import Batch, Entity
from sim.flow import BlockBase

#: the key of a replenishment truck (inbound at the gate, carrying no parcels)
REPLENISHMENT = -1


class _Block(BlockBase):
    def _record(self, code: int | None, entity: Entity, now: float, resource: int = -1) -> None:
        if code is not None:
            self.context.log.record(entity.id, code, now, resource)  # type: ignore[union-attr]


class Intake(_Block):
    """Books a paid order, takes its domestic goods from the zone's stock, and sends the
    domestic part that ships on its own to the zone warehouse or the outside warehouse.
    The order itself (with its bonded parcel) goes on to the three-document match."""

    def __init__(self, context: Context, name: str, factory: OrderFactory, ledger: Ledger,
                 replenishment: Replenishment) -> None:
        super().__init__(context, name)
        self.factory = factory
        self.ledger = ledger
        self.replenishment = replenishment
        self.zone_domestic: Any = None
        self.outside: Any = None

    def outputs(self) -> dict[str, Any]:
        return {"customs": self.target, "zone domestic parcels": self.zone_domestic,
                "outside domestic parcels": self.outside}

    def put(self, order: Order) -> None:
        context = self.context
        now = context.env._now
        self.ledger.order_paid(order, now)
        factory = self.factory
        if factory.zone_items:
            self.replenishment.consumed += factory.zone_items
            self.ledger.zone_items += factory.zone_items
        mode = order.domestic_mode
        if mode == ZONE_PARCEL or mode == OUTSIDE_PARCEL:
            parcel = factory.domestic_parcel(context.next_id(), now, order)
            order.pending = 1
            order.unshipped = 2
            (self.zone_domestic if mode == ZONE_PARCEL else self.outside).put(parcel)
        self.target.put(order)


class DocumentFlow(_Block):
    """Three-document match, list filing and automatic risk screening.

    The three are pure delays one after the other (no queue: message latencies and
    system time), so they are one scheduled event per order; the milestones of the
    steps are logged with their own times when the order leaves, and the list-filed time
    (where clearance time starts) is kept on the order.
    """

    def __init__(self, context: Context, name: str, matched: str, filed: str, decided: str) -> None:
        super().__init__(context, name)
        self._matched = context.milestone(matched)
        self._filed = context.milestone(filed)
        self._decided = context.milestone(decided)

    def put(self, order: Order) -> None:
        self.held += 1
        self.context.schedule(order.documents_delay + order.filing_delay + order.screening_delay, self._finish, order)

    def _finish(self, order: Order) -> None:
        now = self.context.env._now
        self.held -= 1
        # times of the earlier steps, counted back from now so that they never pass it
        filed = order.filed = max(now - order.screening_delay, order.born)
        if self._decided is not None:
            log = self.context.log
            matched = min(max(filed - order.filing_delay, order.born), filed)
            log.record(order.id, self._matched, matched)  # type: ignore[union-attr, arg-type]
            log.record(order.id, self._filed, filed)  # type: ignore[union-attr, arg-type]
            log.record(order.id, self._decided, now)  # type: ignore[union-attr, arg-type]
        self.target.put(order)


class Release(_Block):
    """Customs release of an order's declaration list."""

    def __init__(self, context: Context, name: str, ledger: Ledger, milestone: str) -> None:
        super().__init__(context, name)
        self.ledger = ledger
        self._code = context.milestone(milestone)

    def put(self, order: Order) -> None:
        now = self.context.env._now
        self._record(self._code, order, now)
        self.ledger.list_released(order, now)
        self.target.put(order)


class Seizure(_Block):
    """An order found non-compliant at a physical check: it leaves the zone's books here
    and ends in a `Drop`; a domestic parcel it has on its own still ships."""

    def __init__(self, context: Context, name: str, ledger: Ledger, milestone: str) -> None:
        super().__init__(context, name)
        self.ledger = ledger
        self._code = context.milestone(milestone)

    def put(self, order: Order) -> None:
        now = self.context.env._now
        order.seized = True
        self._record(self._code, order, now)
        self.ledger.order_seized(order, now)
        self.target.put(order)


class Dispatch(_Block):
    """A truck that has left (a carrier's zone truck through the gate, or a carrier's
    pickup at the outside warehouse): books the trip, logs each parcel's exit, books the
    orders that left the zone and sends the parcels on to delivery. A replenishment truck
    (inbound, no parcels) ends here."""

    def __init__(self, context: Context, name: str, ledger: Ledger, milestone: str, through_gate: bool) -> None:
        super().__init__(context, name)
        self.ledger = ledger
        self.through_gate = through_gate
        self._code = context.milestone(milestone)

    def put(self, truck: Batch) -> None:
        now = self.context.env._now
        ledger = self.ledger
        if truck.key == REPLENISHMENT:
            ledger.inbound_trucks += 1
            return
        members = truck.members
        carrier = members[0].carrier  # type: ignore[attr-defined]
        volume = sum(parcel.volume for parcel in members)  # type: ignore[attr-defined]
        if self.through_gate:
            ledger.zone_trip(carrier, len(members), volume)
        else:
            ledger.pickup(carrier, len(members), volume)
        code = self._code
        target = self.target
        through_gate = self.through_gate
        for parcel in members:
            if code is not None:
                self._record(code, parcel, now, truck.id)
            if type(parcel) is Order:
                if through_gate:
                    ledger.order_left_zone(parcel, now)  # type: ignore[arg-type]
                ledger.parcel_shipped(parcel, parcel.delivery_time, now)  # type: ignore[arg-type]
            else:
                ledger.parcel_shipped(parcel.parent, parcel.delivery_time, now)  # type: ignore[arg-type, attr-defined]
            target.put(parcel)


class OrderCompletion(_Block):
    """The order-completion join: an order is complete when its own (bonded) parcel and
    its domestic parcel, if it has one, are both delivered. A domestic parcel of a seized
    order ends here too, completing nothing."""

    def put(self, entity: Entity) -> None:
        if type(entity) is Parcel:
            order: Order = entity.parent  # type: ignore[assignment]
            order.pending -= 1
            if order.waiting and order.pending == 0:
                order.waiting = False
                self.held -= 1
                self.target.put(order)
            return
        order = entity  # type: ignore[assignment]
        if order.pending == 0:
            self.target.put(order)
        else:
            order.waiting = True
            self.held += 1


class Replenishment(_Block):
    """Brings domestic goods into the zone in batches: at each replenishment time, as many
    trucks as the volume of the items taken from zone stock since the last one needs (the
    last one part-loaded). The trucks are handled by customs and pass the second-line gate
    inbound; they carry no parcels and weigh nothing for conservation."""

    def __init__(self, context: Context, name: str, ledger: Ledger, times: Sequence[float], item_volume: float,
                 truck_volume: float) -> None:
        super().__init__(context, name)
        self.ledger = ledger
        self.times = list(times)
        self.item_volume = item_volume
        self.truck_volume = truck_volume
        #: domestic items taken from zone stock since the last replenishment
        self.consumed = 0

    def start(self) -> None:
        for time in self.times:
            self.context.at(time, self._replenish)

    def _replenish(self, _: Any) -> None:
        context = self.context
        volume = self.consumed * self.item_volume
        self.consumed = 0
        trucks = ceil(volume / self.truck_volume - 1e-9)
        now = context.env._now
        for index in range(trucks):
            self.ledger.replenishment_trip(min(self.truck_volume, volume - index * self.truck_volume))
            self.target.put(Batch(context.next_id(), now, [], REPLENISHMENT))
