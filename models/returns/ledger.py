"""What the KPIs are computed from: samples and sums gathered in the observation window.

Import returns (about 600,000 a year) are recorded, not summed, as they pass: the import
blocks (`import_blocks`) append a return's id and the time to the ledger at arrival,
review, refund and shelving; what is known about a return in advance (its value, items,
parcel cost, transit time, application time) stays in the columns it was drawn in
(`ReturnFacts`), so blocks read none of it. The KPIs are computed from these arrays at
the end, in the order of the events: sums are accumulated left to right (`running_sum`),
as they would be one return at a time, and samples keep the order of events, so the
results are exactly those of adding up return by return.

Export blocks call the export ledger's observers. Everything gathered before the end of
the warm-up is discarded. Samples are kept whole (compact `array`s) because planners want
percentiles.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence

import numpy as np

from sim.context import Context
from sim.entity import Entity


def running_sum(values: np.ndarray) -> float:
    """0.0 + values[0] + values[1] + ..., left to right: the float a running total gives
    (`np.sum` adds pairwise, which rounds differently)."""
    return float(np.cumsum(np.concatenate(([0.0], values)))[-1])


class ReturnFacts:
    """Columns of what is known about each return when it is planned and only the KPIs
    need, by entity id (`add` them a cohort at a time, in increasing ids)."""

    def __init__(self, names: Sequence[str]) -> None:
        self.names = tuple(names)
        self._ids: list[range] = []
        self._parts: dict[str, list[np.ndarray]] = {name: [] for name in names}
        #: row of each id (-1: none) and the joined columns, made when first read
        self._joined: tuple[np.ndarray, dict[str, np.ndarray]] | None = None

    def add(self, ids: range, **columns: np.ndarray) -> None:
        self._ids.append(ids)
        for name in self.names:
            self._parts[name].append(columns[name])
        self._joined = None

    def of(self, name: str, ids: Sequence[int]) -> np.ndarray:
        """Column `name` of the returns `ids`, in that order."""
        if self._joined is None:
            size = self._ids[-1].stop if self._ids else 0
            rows = np.full(size, -1, dtype=np.int64)
            first = 0
            for block in self._ids:
                rows[block.start:block.stop] = np.arange(first, first + len(block))
                first += len(block)
            columns = {name: np.concatenate(parts) if parts else np.empty(0) for name, parts in self._parts.items()}
            self._parts = {name: [column] for name, column in columns.items()}  # not kept twice
            self._joined = (rows, columns)
        rows, columns = self._joined
        found = rows[np.array(ids, dtype=np.int64)]
        if (found < 0).any():
            raise KeyError(f"no facts of some of the entities {ids!r}")
        return columns[name][found]


class ImportLedger:
    """Import returns recorded as they pass (ids and times, `array`s); who records what:

    - `FacilityArrival` (at a facility, before the 45-day check): `arrival_ids`,
      `arrival_times`, `arrival_facility` (every arrival; the window's start at `window_arrivals`);
    - `Reviewed` (customs accepted the return declaration, so the buyer's annual quota is
      restored): `review_ids`, `review_times`;
    - `Refund`: `inspected_ids`, `inspected_times` (every inspection: a refund is paid
      the refund lag after it, possibly in the window after an inspection before it; see
      `refund_cycles`);
    - `Shelved`: `restock_ids`, `restock_times`;
    - the line-haul trip's tap: `trip`.

    The methods compute the KPIs' sums and samples from these and `facts`.
    """

    def __init__(self, context: Context, facts: ReturnFacts) -> None:
        self.facts = facts
        self.arrival_ids = array("q")
        self.arrival_times = array("d")
        self.arrival_facility = array("q")
        #: index of the first arrival in the observation window
        self.window_arrivals = 0
        self.review_ids = array("q")
        self.review_times = array("d")
        self.restock_ids = array("q")
        self.restock_times = array("d")
        self.inspected_ids = array("q")
        self.inspected_times = array("d")
        self.line_haul_cost = 0.0
        self.warmup = context.warmup
        self.horizon = context.horizon
        context.on_reset(self._reset)

    def _reset(self, now: float) -> None:
        self.window_arrivals = len(self.arrival_ids)
        self.line_haul_cost = 0.0
        for records in (self.review_ids, self.review_times, self.restock_ids, self.restock_times):
            del records[:]

    def trip(self, cost: float) -> None:
        self.line_haul_cost += cost

    # -- KPIs ---------------------------------------------------------------------------
    def _window_arrivals(self) -> np.ndarray:
        return np.array(self.arrival_ids, dtype=np.int64)[self.window_arrivals:]

    def arrivals(self) -> int:
        """Returns arriving at a facility in the window (late ones included)."""
        return len(self.arrival_ids) - self.window_arrivals

    def window_arrival_ids(self) -> np.ndarray:
        return self._window_arrivals()

    def items_arrived(self) -> int:
        return int(self.facts.of("items", self._window_arrivals()).sum())

    def items_arrived_at(self, facility: int) -> int:
        """Items of the window's arrivals at `facility`."""
        ids = self._window_arrivals()
        where = np.array(self.arrival_facility, dtype=np.int64)[self.window_arrivals:] == facility
        return int(self.facts.of("items", ids[where]).sum()) if where.any() else 0

    def parcel_cost(self) -> float:
        """Reverse parcel costs of the window's arrivals."""
        return running_sum(self.facts.of("cost", self._window_arrivals()))

    def transit(self) -> np.ndarray:
        """Hand-over to arrival hours of the window's arrivals, in order of arrival."""
        return self.facts.of("transit_h", self._window_arrivals())

    def _since_arrival(self, ids: array, times: array) -> np.ndarray:
        """times[i] - (arrival time of return ids[i])."""
        arrived = np.array(self.arrival_ids, dtype=np.int64)
        arrival_time = np.full(arrived.max() + 1 if len(arrived) else 0, np.nan)
        arrival_time[arrived] = np.array(self.arrival_times, dtype=float)
        return np.array(times, dtype=float) - arrival_time[np.array(ids, dtype=np.int64)]

    def review(self) -> np.ndarray:
        """Arrival-to-review hours of the window's reviews, in order of review."""
        return self._since_arrival(self.review_ids, self.review_times)

    def quota_restored(self) -> int:
        return len(self.review_ids)

    def quota_restored_value(self) -> float:
        return self.value_of(self.review_ids)

    def restock(self) -> np.ndarray:
        """Arrival-to-shelf hours of the window's restocked returns, in order."""
        return self._since_arrival(self.restock_ids, self.restock_times)

    def refund_cycles(self, inbound: bool = False) -> np.ndarray:
        """Request-to-refund hours of the refunds paid in the observation window (in order
        of inspection), of the model's own returns (or, `inbound`, other districts')."""
        ids = np.array(self.inspected_ids, dtype=np.int64)
        paid = np.array(self.inspected_times, dtype=float) + self.facts.of("refund_h", ids)
        cycles = paid - self.facts.of("born", ids)
        wanted = (self.facts.of("inbound", ids) == 1.0) == inbound
        return cycles[(paid <= self.horizon) & (paid >= self.warmup) & wanted]

    def inbound_of(self, ids: Sequence[int]) -> np.ndarray:
        """True where a return of `ids` is another district's."""
        return self.facts.of("inbound", ids) == 1.0 if len(ids) else np.zeros(0, dtype=bool)

    def value_of(self, ids: Sequence[int]) -> float:
        """Value of the returns `ids`, added up in that order."""
        return running_sum(self.facts.of("value", ids))


class ExportLedger:
    """Export entries (in all, and by port: `port_*` lists indexed by port), deliveries and
    costs in the window."""

    def __init__(self, context: Context, ports: int) -> None:
        self._log = context.log
        self.ports = ports
        #: logged at entry for a return within the tax-free window
        self._tax_free = context.milestone("export.tax_free")
        self.entries = 0
        self.tax_free = 0
        self.domestic_cost = 0.0
        self.delivered = 0
        self.cycle = array("d")
        self._reset(0.0)
        context.on_reset(self._reset)

    def _reset(self, now: float) -> None:
        self.entries = self.tax_free = self.delivered = 0
        self.domestic_cost = 0.0
        self.port_entries = [0] * self.ports
        self.port_tax_free = [0] * self.ports
        self.port_freight = [0.0] * self.ports
        self.port_cycle: list[array] = [array("d") for _ in range(self.ports)]
        del self.cycle[:]

    def entered(self, entity: Entity, now: float) -> None:
        """Declared at the port of re-entry, before the one-year check."""
        entity.entered = now  # type: ignore[attr-defined]
        self.entries += 1
        port = entity.port  # type: ignore[attr-defined]
        self.port_entries[port] += 1
        self.port_freight[port] += entity.freight  # type: ignore[attr-defined]
        if now <= entity.tax_free_by:  # type: ignore[attr-defined]
            self.tax_free += 1
            self.port_tax_free[port] += 1
            if self._tax_free is not None:
                self._log.record(entity.id, self._tax_free, now)  # type: ignore[union-attr]

    def delivered_to_seller(self, entity: Entity, now: float) -> None:
        self.delivered += 1
        self.domestic_cost += entity.cost  # type: ignore[attr-defined]
        self.cycle.append(now - entity.born)
        self.port_cycle[entity.port].append(now - entity.born)  # type: ignore[attr-defined]
