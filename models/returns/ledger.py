"""What the KPIs are computed from: samples and sums gathered in the observation window.

Blocks call the ledger's observers as returns pass (arrival, review, refund, sellable,
delivery to the seller); everything gathered before the end of the warm-up is discarded.
Samples are kept whole (compact `array`s) because planners want percentiles.
"""

from __future__ import annotations

from array import array

import numpy as np

from sim.context import Context
from sim.entity import Entity


class ImportLedger:
    def __init__(self, context: Context) -> None:
        self.arrivals = 0
        self.items_arrived = 0
        self.parcel_cost = 0.0
        self.line_haul_cost = 0.0
        self.quota_restored = 0
        self.quota_restored_value = 0.0
        self.transit = array("d")
        self.review = array("d")
        self.restock = array("d")
        #: refunds: payment times and request-to-refund cycles (kept whole; see `refund_cycles`)
        self.refund_paid = array("d")
        self.refund_cycle = array("d")
        self.warmup = context.warmup
        context.on_reset(self._reset)

    def _reset(self, now: float) -> None:
        self.arrivals = self.items_arrived = self.quota_restored = 0
        self.parcel_cost = self.line_haul_cost = self.quota_restored_value = 0.0
        for samples in (self.transit, self.review, self.restock):
            del samples[:]

    def arrived(self, entity: Entity, now: float) -> None:
        """At a facility, before the 45-day check: reverse transit and its cost."""
        entity.arrived = now  # type: ignore[attr-defined]
        self.arrivals += 1
        self.items_arrived += entity.items  # type: ignore[attr-defined]
        self.parcel_cost += entity.cost  # type: ignore[attr-defined]
        self.transit.append(entity.transit_h)  # type: ignore[attr-defined]

    def reviewed(self, entity: Entity, now: float) -> None:
        """Customs accepted the return declaration: the buyer's annual quota is restored."""
        self.review.append(now - entity.arrived)  # type: ignore[attr-defined]
        self.quota_restored += 1
        self.quota_restored_value += entity.value  # type: ignore[attr-defined]

    def refunded(self, entity: Entity, paid: float) -> None:
        """A refund paid at `paid` (known at inspection, possibly before the warm-up ends)."""
        self.refund_paid.append(paid)
        self.refund_cycle.append(paid - entity.born)

    def refund_cycles(self) -> np.ndarray:
        """Request-to-refund hours of the refunds paid in the observation window."""
        paid = np.asarray(self.refund_paid)
        return np.asarray(self.refund_cycle)[paid >= self.warmup]

    def sellable(self, entity: Entity, now: float) -> None:
        self.restock.append(now - entity.arrived)  # type: ignore[attr-defined]

    def trip(self, cost: float) -> None:
        self.line_haul_cost += cost


class ExportLedger:
    def __init__(self, context: Context) -> None:
        self._log = context.log
        #: logged at entry for a return within the tax-free window
        self._tax_free = context.milestone("export.tax_free")
        self.entries = 0
        self.tax_free = 0
        self.domestic_cost = 0.0
        self.delivered = 0
        self.cycle = array("d")
        context.on_reset(self._reset)

    def _reset(self, now: float) -> None:
        self.entries = self.tax_free = self.delivered = 0
        self.domestic_cost = 0.0
        del self.cycle[:]

    def entered(self, entity: Entity, now: float) -> None:
        """Declared at the port of re-entry, before the one-year check."""
        entity.entered = now  # type: ignore[attr-defined]
        self.entries += 1
        if now <= entity.tax_free_by:  # type: ignore[attr-defined]
            self.tax_free += 1
            if self._tax_free is not None:
                self._log.record(entity.id, self._tax_free, now)  # type: ignore[union-attr]

    def delivered_to_seller(self, entity: Entity, now: float) -> None:
        self.delivered += 1
        self.domestic_cost += entity.cost  # type: ignore[attr-defined]
        self.cycle.append(now - entity.born)
