"""Export returns of one export-release day, drawn all at once (see `import_cohorts`).

The port of re-entry depends on the policy: the original export customs, or (pilot) the
allowed port with the least expected transit from the consolidation point plus domestic
transit to the seller. Everything else about a return is drawn from policy-independent
streams, with one uniform per source of randomness, so both policies see the same returns.
"""

from __future__ import annotations

import numpy as np

from models.returns.blocks import PlannedReturns
from models.returns.deadlines import months_deadline
from models.returns.entities import ExportReturn
from models.returns.export_params import ExportParams
from models.returns.params import Deadlines
from models.returns.releases import ReleasedOrders
from sim.calendar import HOURS_PER_DAY
from sim.context import Context

UNIFORMS = ("seller", "point", "value", "decision", "inspection", "domestic")
STREAMS = ("releases", "selection", *UNIFORMS)


def port_choice(params: ExportParams) -> np.ndarray:
    """choice[point, seller] = index of the port of re-entry."""
    ports = [port.name for port in params.ports]
    allowed = [params.origin] if params.mode == "original_port" else list(params.pilot_ports)
    choice = np.empty((len(params.points), len(params.seller_regions)), dtype=np.int64)
    for p, point in enumerate(params.points):
        for s, seller in enumerate(params.seller_regions):
            domestic = {port: params.ports[ports.index(port)].domestic_transit for port in allowed}
            expected = {port: point.transit[port].expected() + domestic[port][seller].expected()
                        for port in allowed if port in point.transit and seller in domestic[port]}
            # the least expected transit; on a tie the original port, then the first listed
            best = min(expected, key=lambda port: (expected[port], port != params.origin))
            choice[p, s] = ports.index(best)
    return choice


class ExportCohorts:
    """`cohorts(day)` -> the returns of exports released on `day` (`PlannedReturns`, in
    order of hand-over abroad; None when there are none)."""

    def __init__(self, context: Context, params: ExportParams, deadlines: Deadlines,
                 exports: ReleasedOrders | None) -> None:
        self.context = context
        self.params = params
        self.deadlines = deadlines
        self.exports = exports
        self.rng = {name: context.streams.generator(f"export.{name}") for name in STREAMS}
        self.choice = port_choice(params)
        #: freight[point, port] per parcel (0 where a lane has no price)
        self.freight = np.array([[point.freight_cny_per_parcel.get(port.name, 0.0) for port in params.ports]
                                 for point in params.points])
        self.seller_shares = np.cumsum(list(params.seller_regions.values()))
        self.seller_shares[-1] = 1.0
        self.point_shares = np.cumsum([point.share for point in params.points])
        self.point_shares[-1] = 1.0
        self.history_start = -params.history_days * HOURS_PER_DAY
        self.next_order = 0

    def first_day(self) -> int:
        calendar = self.context.calendar
        if self.exports is not None:
            return calendar.day_index(float(self.exports.release_time_h[0])) if len(self.exports) else 0
        return calendar.day_index(self.history_start)

    def __call__(self, day: int) -> PlannedReturns | None:
        calendar, params, rng = self.context.calendar, self.params, self.rng
        begin, end = calendar.day_start(day), calendar.day_start(day + 1)
        sellers = values = None
        if self.exports is None:
            begin = max(begin, self.history_start)
            if begin >= end:
                return None
            count = rng["releases"].poisson(params.exports_per_day * params.return_rate * (end - begin) / HOURS_PER_DAY)
            released = np.sort(rng["releases"].uniform(begin, end, count))
            order_ids = np.arange(self.next_order, self.next_order + count)
            self.next_order += count
        else:
            rows = self.exports.between(begin, end)
            chosen = rng["selection"].random(rows.stop - rows.start) < params.return_rate
            released = self.exports.release_time_h[rows][chosen]
            sellers = self.exports.region[rows][chosen]
            values = self.exports.value_yuan[rows][chosen]
            order_ids = self.exports.order_id[rows][chosen]
        n = len(released)
        if n == 0:
            return None
        u = {name: rng[name].random(n) for name in UNIFORMS}
        drawn_sellers = np.searchsorted(self.seller_shares, u["seller"], side="right")
        sellers = drawn_sellers if sellers is None else np.where(sellers >= 0, sellers, drawn_sellers)
        drawn_values = params.item_value.quantile(u["value"])
        values = drawn_values if values is None else np.where(np.isnan(values), drawn_values, values)
        points = np.searchsorted(self.point_shares, u["point"], side="right")
        initiated = released + params.decision.quantile(u["decision"]) * HOURS_PER_DAY
        keep = np.flatnonzero((initiated >= 0.0) & (initiated < self.context.horizon))
        if len(keep) == 0:
            return None
        keep = keep[np.argsort(initiated[keep], kind="stable")]
        released, initiated, sellers, points = released[keep], initiated[keep], sellers[keep], points[keep]
        values = values[keep]
        order_ids = order_ids[keep]
        ports = self.choice[points, sellers]
        domestic = np.empty(len(keep))
        cost = np.empty(len(keep))
        seller_names = list(params.seller_regions)
        u_domestic = u["domestic"][keep]
        for q, port in enumerate(params.ports):
            for s, seller in enumerate(seller_names):
                mask = (ports == q) & (sellers == s)
                if mask.any():
                    domestic[mask] = port.domestic_transit[seller].quantile(u_domestic[mask]) * HOURS_PER_DAY
                    cost[mask] = port.domestic_cost_yuan[seller]
        deadlines = self.deadlines
        return_by = months_deadline(calendar, released, deadlines.export_return_months, deadlines.counting)
        tax_free_by = months_deadline(calendar, released, deadlines.export_tax_free_months, deadlines.counting)
        inspection = params.inspection_time.quantile(u["inspection"][keep])
        freight = self.freight[points, ports]
        # kept as columns until they enter, as import returns are (see `import_cohorts`)
        return PlannedReturns(ExportReturn, self.context.next_ids(len(keep)), initiated, (
            order_ids, sellers, points, ports, released, return_by, tax_free_by, values, cost, inspection, domestic,
            freight,
        ))
