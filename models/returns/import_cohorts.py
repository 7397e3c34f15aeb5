"""Import returns of one release day, drawn all at once.

Each release day's returns are planned at that day's midnight (days before t = 0 at
t = 0). For every return, one uniform number per source of randomness is drawn from that
source's own stream, in the same order whatever the policy, and turned into a value by
the inverse distribution function (`Distribution.quantile`). Baseline and pilot thus see
the same returns: the same region, value, decision, damage, and the same rank in every
time distribution (a slow carrier is slow to either facility).
"""

from __future__ import annotations

import numpy as np

from models.returns.blocks import PlannedReturns, Shared
from models.returns.deadlines import days_deadline
from models.returns.entities import AUTO, DAMAGED, LINE_HAUL, MANUAL, OFFICER, SELLABLE_HERE, ImportReturn
from models.returns.import_params import ImportParams
from models.returns.ledger import ReturnFacts
from models.returns.params import Deadlines
from models.returns.releases import ReleasedOrders
from sim.calendar import HOURS_PER_DAY, clock_hours
from sim.context import Context

#: one stream per source of randomness (names are stable: they seed the streams)
UNIFORMS = ("region", "value", "delivery", "decision", "handover", "carrier", "receipt", "review_route", "review_lead",
            "review_time", "inspection", "damage", "disposal_route", "disposal_time", "resale", "reshelving", "refund")
STREAMS = ("releases", "selection", "items", *UNIFORMS)
#: what the ledger knows of each return by id (`inbound`: 1.0 for another district's return)
FACTS = ("born", "items", "value", "cost", "transit_h", "refund_h", "inbound")


class ImportCohorts:
    """`cohorts(day)` -> the returns of orders released on `day` (`PlannedReturns`, in order
    of application; None when there are none)."""

    def __init__(self, context: Context, params: ImportParams, deadlines: Deadlines,
                 orders: ReleasedOrders | None, facts: ReturnFacts | None = None, prefix: str = "import",
                 inbound: bool = False) -> None:
        """`prefix` names the streams (another flow of returns draws from its own);
        `facts` may be shared with another flow's cohorts (one ledger for both);
        `inbound` marks the returns as other districts' (a facts column)."""
        self.context = context
        self.params = params
        self.deadlines = deadlines
        self.orders = orders
        self.inbound = float(inbound)
        self.rng = {name: context.streams.generator(f"{prefix}.{name}") for name in STREAMS}
        self.pickups = np.array(sorted(clock_hours(text) % HOURS_PER_DAY for text in params.pickup_times))
        names = [facility.name for facility in params.facilities]
        self.origin = names.index(params.origin)
        self.region_facility = np.array([
            names.index(params.return_centres.get(region.name, params.origin))
            if params.mode == "cross_district" else self.origin
            for region in params.regions
        ])
        self.cumulative_shares = np.cumsum([region.share for region in params.regions])
        self.cumulative_shares[-1] = 1.0
        self.resale_share = np.array([facility.line_haul.resold_from_origin_share for facility in params.facilities])
        #: reverse parcel cost by region (to the region's facility)
        self.region_cost = np.array([region.parcel_cost_yuan[names[target]]
                                     for region, target in zip(params.regions, self.region_facility.tolist())],
                                    dtype=float)
        #: what only the KPIs need to know about each return, by id (see `ledger`)
        self.facts = facts if facts is not None else ReturnFacts(FACTS)
        self.history_start = -params.history_days * HOURS_PER_DAY
        #: order numbers of the standalone stream: releases counted from the first day planned
        self.next_order = 0

    def first_day(self) -> int:
        calendar = self.context.calendar
        if self.orders is not None:
            return calendar.day_index(float(self.orders.release_time_h[0])) if len(self.orders) else 0
        return calendar.day_index(self.history_start)

    def _rate(self, kind: str) -> float:
        params = self.params
        return params.return_rates.get(kind, params.return_rate)

    def _releases(self, day: int) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, np.ndarray | None,
                                           np.ndarray | None]:
        """(release times, order ids, regions, values, items) of the day's returned orders;
        None (or -1 / NaN / 0 in a table) where the attribute is to be drawn."""
        calendar = self.context.calendar
        begin, end = calendar.day_start(day), calendar.day_start(day + 1)
        kind = calendar.day_type(day)
        if self.orders is None:
            begin = max(begin, self.history_start)
            if begin >= end:
                return np.empty(0), np.empty(0, np.int64), None, None, None
            params = self.params
            mean = params.orders_per_day * params.order_multipliers.get(kind, 1.0) * self._rate(kind)
            rng = self.rng["releases"]
            count = rng.poisson(mean * (end - begin) / HOURS_PER_DAY)
            orders = np.arange(self.next_order, self.next_order + count)
            self.next_order += count
            return np.sort(rng.uniform(begin, end, count)), orders, None, None, None
        rows = self.orders.between(begin, end)
        chosen = self.rng["selection"].random(rows.stop - rows.start) < self._rate(kind)
        orders = self.orders
        return (orders.release_time_h[rows][chosen], orders.order_id[rows][chosen], orders.region[rows][chosen],
                orders.value_yuan[rows][chosen], orders.items[rows][chosen])

    def __call__(self, day: int) -> PlannedReturns | None:
        released, order_ids, regions, values, items = self._releases(day)
        n = len(released)
        if n == 0:
            return None
        params, rng = self.params, self.rng
        u = {name: rng[name].random(n) for name in UNIFORMS}  # every draw, whatever is kept
        drawn_regions = np.searchsorted(self.cumulative_shares, u["region"], side="right")
        regions = drawn_regions if regions is None else np.where(regions >= 0, regions, drawn_regions)
        drawn_items = 1 + rng["items"].poisson(params.items_mean - 1.0, n)
        items = drawn_items if items is None else np.where(items > 0, items, drawn_items)
        drawn_values = items * params.item_value.quantile(u["value"])
        values = drawn_values if values is None else np.where(np.isnan(values), drawn_values, values)
        delivery = np.empty(n)
        transit = np.empty(n)
        facility = self.region_facility[regions]
        for index, region in enumerate(params.regions):
            mask = regions == index
            if not mask.any():
                continue
            target = params.facilities[self.region_facility[index]].name
            delivery[mask] = region.delivery.quantile(u["delivery"][mask])
            transit[mask] = region.transit[target].quantile(u["carrier"][mask]) * HOURS_PER_DAY
        decision = np.minimum(params.decision.quantile(u["decision"]), params.decision_cap_days)
        applied = released + delivery + decision * HOURS_PER_DAY
        keep = np.flatnonzero((applied >= 0.0) & (applied < self.context.horizon))
        if len(keep) == 0:
            return None
        keep = keep[np.argsort(applied[keep], kind="stable")]
        return self._make(keep, released, applied, order_ids, regions, facility, items, values, transit, u)

    def _make(self, keep: np.ndarray, released: np.ndarray, applied: np.ndarray, order_ids: np.ndarray,
              regions: np.ndarray, facility: np.ndarray, items: np.ndarray, values: np.ndarray,
              transit: np.ndarray, u: dict[str, np.ndarray]) -> PlannedReturns:
        params, review, deadlines = self.params, self.params.review, self.deadlines
        calendar = self.context.calendar
        u = {name: draws[keep] for name, draws in u.items()}
        released, applied, regions, facility = released[keep], applied[keep], regions[keep], facility[keep]
        items, values, transit = items[keep], values[keep], transit[keep]
        order_ids = order_ids[keep]
        apply_by = days_deadline(calendar, released, deadlines.import_application_days, deadlines.counting)
        arrive_by = days_deadline(calendar, released, deadlines.import_arrival_days, deadlines.counting)
        if review.mode == "manual":
            path = np.full(len(keep), MANUAL)
            lead = review.manual_lead.quantile(u["review_lead"])
            review_h = review.manual_officer_time.quantile(u["review_time"])
        else:
            auto = u["review_route"] < review.simplified_auto_share
            path = np.where(auto, AUTO, OFFICER)
            lead = np.zeros(len(keep))
            review_h = np.where(auto, 0.0, review.simplified_officer_time.quantile(u["review_time"]))
        damaged = u["damage"] < params.damage_rate
        line_haul = (facility != self.origin) & (u["resale"] < self.resale_share[facility])
        outcome = np.where(damaged, DAMAGED, np.where(line_haul, LINE_HAUL, SELLABLE_HERE))
        # The returns are kept as columns and made into objects (by mapping the
        # constructor over the columns, no per-return Python loop) on the day they enter
        # (`PlannedReturns`). Where values repeat, no object is made per return: a column
        # whose values are all the same (a release day's deadlines, a zero lead) is one
        # shared object, the disposal of a return that is not damaged is not kept, and what
        # is only logged (order, release, hand-over, refund lag) is not kept without a log.
        # A run makes hundreds of thousands of returns: each object made is time and memory.
        ids = self.context.next_ids(len(keep))
        handover = params.handover.quantile(u["handover"]) * HOURS_PER_DAY
        # the carrier collects at its next round; transit counts from the hand-over
        transit = self._until_pickup(applied + handover) + transit
        refund = params.refund_lag.quantile(u["refund"])
        self.facts.add(ids, born=applied, items=items, value=values, cost=self.region_cost[regions], transit_h=transit,
                       refund_h=refund, inbound=np.full(len(keep), self.inbound))
        logged = self.context.log is not None
        return PlannedReturns(ImportReturn, ids, applied, (
            order_ids if logged else Shared(None), facility, released if logged else Shared(None), _shared(apply_by),
            _shared(arrive_by), handover if logged else Shared(None), handover + transit,
            params.receipt_time.quantile(u["receipt"]), path, _shared(lead), review_h,
            params.inspection_time_per_item.quantile(u["inspection"]) * items, outcome,
            params.reshelving_time_per_item.quantile(u["reshelving"]) * items, refund if logged else Shared(None),
            _where(damaged, params.disposal_time.quantile(u["disposal_time"]) * HOURS_PER_DAY),
            u["disposal_route"] < params.reexport_share,
        ))


    def _until_pickup(self, times: np.ndarray) -> np.ndarray:
        """Hours from each time to the carrier's next collection round (0 without rounds)."""
        if len(self.pickups) == 0:
            return np.zeros(len(times))
        clock = (times + self.context.calendar.start_hour) % HOURS_PER_DAY
        later = self.pickups[None, :] - clock[:, None]
        return np.where(later >= 0.0, later, later + HOURS_PER_DAY).min(axis=1)


def _shared(values: np.ndarray) -> np.ndarray | Shared:
    """`values`, or one shared object when every value is the same (bit for bit)."""
    bits = values.view(np.int64)
    if len(values) and (bits == bits[0]).all():
        return Shared(values[0].item())
    return values


def _where(mask: np.ndarray, values: np.ndarray) -> list[float | None]:
    """`values.tolist()` where `mask`, None elsewhere."""
    objects: list[float | None] = [None] * len(values)
    for index, value in zip(np.flatnonzero(mask).tolist(), values[mask].tolist()):
        objects[index] = value
    return objects
