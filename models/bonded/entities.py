"""Orders and parcels, and the draw of every attribute of an order when it is paid.

Common random numbers: everything random about an order (basket, region, channel, X-ray
selection, image, document mismatch, stock-out, seizure, its pick/pack/transport times)
is drawn when the order is created, each from its own stream and in the same number
whatever the policy, so two scenarios that differ in a lever see the same orders. The
policy only decides what the draws mean (one parcel or two, which trucks).

An `Order` is also its bonded parcel: it travels the customs and warehouse flow itself,
so every milestone of the Time Release Study is logged under one entity id. The domestic
part of a mixed basket, when it ships on its own, is a `Parcel` (weight 0, a part of its
order) that rejoins the order at delivery.
"""

from __future__ import annotations

import numpy as np

from models.bonded.params import Params
from sim.entity import Entity
from sim.streams import Streams

GREEN, YELLOW, RED = 0, 1, 2
CHANNELS = ("green", "yellow", "red")

#: how the domestic part of an order ships
NO_DOMESTIC = 0      # a bonded-only basket
SAME_PARCEL = 1      # packed into the bonded parcel (同包)
ZONE_PARCEL = 2      # its own parcel, packed in the zone from zone stock
OUTSIDE_PARCEL = 3   # its own parcel, from the warehouse outside the zone

#: truck classes (a batch key within a carrier) when bonded and domestic cargo may not share a truck
CROSS_BORDER, WITH_DOMESTIC = 0, 1


class Order(Entity):
    """A consumer order and its bonded parcel."""

    __slots__ = (
        "carrier",
        "channel",
        "delivery_due",
        "delivery_time",
        "documents_delay",
        "domestic_mode",
        "filed",
        "filing_delay",
        "mixed_basket",
        "mixed_parcel",
        "number",
        "pack_time",
        "paid_day",
        "parcels",
        "pick_time",
        "region",
        "screening_delay",
        "seize",
        "seized",
        "suspicious",
        "truck_key",
        "unshipped",
        "volume",
        "waiting",
        "xray",
    )

    def __init__(self, entity_id: int, born: float) -> None:
        super().__init__(entity_id, born)
        self.filed = born
        self.unshipped = 1
        self.delivery_due = born
        self.waiting = False
        self.seized = False


class Parcel(Entity):
    """The domestic part of a mixed basket shipped as its own parcel (a part of its order)."""

    __slots__ = ("carrier", "delivery_time", "mixed_parcel", "outside_time", "pack_time", "pick_time", "region",
                 "truck_key", "volume", "xray")

    def __init__(self, entity_id: int, born: float, order: Order, volume: float) -> None:
        super().__init__(entity_id, born, weight=0)
        self.parent = order
        self.region = order.region
        self.carrier = order.carrier
        self.volume = volume
        self.mixed_parcel = False
        self.xray = False


class OrderFactory:
    """Makes orders for the source: `factory(entity_id, born) -> Order`.

    Attributes are drawn `BLOCK` orders at a time with numpy (one Python call per draw
    would cost more than the rest of an order's life); each attribute has its own stream
    and every order takes one value from each, so order k gets the same draws in every
    scenario. Delivery times come from one uniform per parcel through the quantile
    function of the order's region (inverse transform), so a region's distribution can
    change without moving any other order's draw.
    """

    BLOCK = 4096

    def __init__(self, streams: Streams, params: Params, surges: list[tuple[float, float]] = ()) -> None:  # type: ignore[assignment]
        self.params = params
        #: (start, end) of the opening surges in the run, when pre-declaration and pre-packing apply
        self.surges = list(surges)
        self._generators = {name: streams.generator(f"order.{name}") for name in _STREAMS}
        self._bounds = np.cumsum([region.share for region in params.orders.regions])[:-1]
        self._carrier_bounds = np.cumsum([carrier.share for carrier in params.trucks.carriers])[:-1]
        self._rows: list[tuple] = []
        self._next = 0
        self.count = 0
        #: the domestic parcel of the last order made: pick, pack, outside fulfilment, delivery, truck key
        self.domestic = (0.0, 0.0, 0.0, 0.0, 0)
        #: domestic items the last order takes from the zone's stock
        self.zone_items = 0

    def __call__(self, entity_id: int, born: float) -> Order:
        if self._next == len(self._rows):
            self._rows = self._draw(self.BLOCK)
            self._next = 0
        row = self._rows[self._next]
        self._next += 1
        self.count += 1
        order = Order(entity_id, born)
        order.number = self.count
        (order.region, order.carrier, order.volume, order.channel, order.xray, order.suspicious, order.seize, order.mixed_basket,
         order.domestic_mode, order.mixed_parcel, order.truck_key, order.documents_delay, order.filing_delay,
         order.screening_delay, order.pick_time, order.pack_time, order.delivery_time, order.parcels,
         self.zone_items, self.domestic, predeclared, prepacked) = row
        if self.surges and any(start <= born < end for start, end in self.surges):
            if predeclared:  # documents matched, list filed and screened before payment
                order.documents_delay = order.filing_delay = order.screening_delay = 0.0
            if prepacked:  # picked and packed before the sale: labelled and sealed now
                kept = 1.0 - self.params.opening.prepack_time_saved
                order.pick_time *= kept
                order.pack_time *= kept
        return order

    def domestic_parcel(self, entity_id: int, born: float, order: Order) -> Parcel:
        """The domestic parcel of the order just made (when it ships on its own)."""
        parcel = Parcel(entity_id, born, order, self.params.trucks.domestic_parcel_m3)
        parcel.pick_time, parcel.pack_time, parcel.outside_time, parcel.delivery_time, parcel.truck_key = self.domestic
        return parcel

    def _draw(self, n: int) -> list[tuple]:
        """Attribute rows of the next `n` orders."""
        params = self.params
        orders, documents, customs, warehouse = params.orders, params.documents, params.customs, params.warehouse
        policy, domestic = params.policy, params.domestic
        g = self._generators

        mixed = g["mixed_basket"].random(n) < orders.mixed_share
        bonded_items = np.maximum(1.0, np.rint(orders.bonded_items.draw(g["bonded_items"], n)))
        domestic_items = np.maximum(1.0, np.rint(orders.domestic_items.draw(g["domestic_items"], n)))
        region = np.searchsorted(self._bounds, g["region"].random(n), side="right")
        u = g["channel"].random(n)
        yellow = customs.yellow_share
        channel = np.where(u < yellow, YELLOW, np.where(u < yellow + customs.red_share, RED, GREEN))
        carrier = np.searchsorted(self._carrier_bounds, g["carrier"].random(n), side="right")
        xray_draw = g["xray_selection"].random(n)
        image_draw = g["xray_image"].random(n)
        seize = g["seizure"].random(n) < customs.seizure_share
        mismatch = g["document_mismatch"].random(n) < documents.mismatch_share
        correction = documents.correction_time.draw(g["document_correction"], n)
        latency = np.maximum(np.maximum(documents.order_latency.draw(g["latency.order"], n),
                                        documents.payment_latency.draw(g["latency.payment"], n)),
                             documents.waybill_latency.draw(g["latency.waybill"], n))
        documents_delay = latency + np.where(mismatch, correction, 0.0)
        filing = documents.filing_time.draw(g["list_filing"], n)
        screening = customs.screening_time.draw(g["risk_screening"], n)
        stockout = g["stockout"].random(n) < domestic.stockout_share
        pick_bonded = warehouse.pick_time_per_item.draw(g["pick.bonded"], n) * bonded_items
        pick_domestic = warehouse.pick_time_per_item.draw(g["pick.domestic"], n) * domestic_items
        pack_bonded = warehouse.pack_time.draw(g["pack.bonded"], n)
        pack_domestic = warehouse.pack_time.draw(g["pack.domestic"], n)
        outside = domestic.outside_fulfilment_time.draw(g["outside_fulfilment"], n)
        delivery = self._delivery(region, g["delivery.bonded"].random(n))
        domestic_delivery = self._delivery(region, g["delivery.domestic"].random(n))

        zone_stock = policy.same_parcel or policy.same_truck
        in_zone = mixed & ~stockout if zone_stock else np.zeros(n, dtype=bool)
        mode = np.where(~mixed, NO_DOMESTIC,
                        np.where(in_zone, SAME_PARCEL if policy.same_parcel else ZONE_PARCEL, OUTSIDE_PARCEL))
        same_parcel = mode == SAME_PARCEL
        own_parcel = (mode == ZONE_PARCEL) | (mode == OUTSIDE_PARCEL)
        pick = pick_bonded + np.where(same_parcel, pick_domestic, 0.0)
        pack = pack_bonded * np.where(same_parcel, warehouse.mixed_pack_factor, 1.0)
        # the same uniforms for every parcel: a mixed parcel is selected (or judged suspicious)
        # by its own rate, so the lever moves no other parcel's draw
        xray = xray_draw < np.where(same_parcel, customs.mixed_xray_share, customs.xray_share)
        suspicious = xray & (image_draw < np.where(same_parcel, customs.mixed_suspicious_share,
                                                   customs.suspicious_share))
        # without same truck a truck's release form covers one kind of cargo
        truck_key = np.where(same_parcel & (not policy.same_truck), WITH_DOMESTIC, CROSS_BORDER)
        domestic_truck_key = CROSS_BORDER if policy.same_truck else WITH_DOMESTIC
        trucks = params.trucks
        volume = np.where(same_parcel, trucks.mixed_parcel_m3, trucks.bonded_parcel_m3)
        parcels = np.where(own_parcel, 2, 1)
        zone_items = np.where(in_zone, domestic_items, 0.0).astype(np.int64)
        domestic_rows = zip(pick_domestic.tolist(), pack_domestic.tolist(), outside.tolist(),
                            domestic_delivery.tolist(), [domestic_truck_key] * n)
        opening = params.opening
        predeclared = g["predeclared"].random(n) < opening.predeclared_share
        prepacked = g["prepacked"].random(n) < opening.prepacked_share
        return list(zip(
            region.tolist(), carrier.tolist(), volume.tolist(), channel.tolist(), xray.tolist(), suspicious.tolist(), seize.tolist(), mixed.tolist(),
            mode.tolist(), same_parcel.tolist(), truck_key.tolist(), documents_delay.tolist(), filing.tolist(),
            screening.tolist(), pick.tolist(), pack.tolist(), delivery.tolist(), parcels.tolist(),
            zone_items.tolist(), domestic_rows, predeclared.tolist(), prepacked.tolist(),
        ))

    def _delivery(self, region: np.ndarray, u: np.ndarray) -> np.ndarray:
        times = np.empty(len(u))
        for index, spec in enumerate(self.params.orders.regions):
            mask = region == index
            times[mask] = spec.delivery.quantile(u[mask])
        return times


#: one stream per attribute (names prefixed "order.")
_STREAMS = (
    "mixed_basket", "bonded_items", "domestic_items", "region", "carrier", "channel", "xray_selection", "xray_image",
    "seizure", "document_mismatch", "document_correction", "latency.order", "latency.payment", "latency.waybill",
    "list_filing", "risk_screening", "stockout", "pick.bonded", "pick.domestic", "pack.bonded", "pack.domestic",
    "outside_fulfilment", "delivery.bonded", "delivery.domestic", "predeclared", "prepacked",
)
