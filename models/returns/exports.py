"""The export (9610) return flow, wired from kernel blocks.

    export release --(buyer's decision)--> hand-over at an overseas consolidation point
      -> consolidated shipment (full, or at the point's timetable), one per port of re-entry
      -> international transit -> [one-year check on entry; six months = tax-free]
      -> entry inspection by the port's officers -> domestic leg -> delivered to the seller

Baseline ("original_port"): every return re-enters at the original export customs.
Pilot ("cross_district"): at the allowed pilot port nearest the point and the seller.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from models.returns.blocks import DeadlineCheck, ReturnSource, Tap
from models.returns.export_cohorts import ExportCohorts
from models.returns.export_params import ExportParams, Port
from models.returns.ledger import ExportLedger
from models.returns.params import Deadlines
from models.returns.releases import read_released_orders
from models.returns.staffing import departure_times, server_pool
from sim.batching import Batcher, Unbatch
from sim.context import Context
from sim.flow import Delay, Sink, Switch
from sim.station import Station


@dataclass(frozen=True, eq=False)
class BuiltPort:
    spec: Port
    entry: DeadlineCheck
    inspection: Station


@dataclass(frozen=True, eq=False)
class ExportFlow:
    source: ReturnSource
    ledger: ExportLedger
    consolidation: tuple[Batcher, ...]
    ports: tuple[BuiltPort, ...]
    delivered: Sink


def build_exports(context: Context, params: ExportParams, deadlines: Deadlines) -> ExportFlow:
    seller_index = {name: i for i, name in enumerate(params.seller_regions)}
    exports = read_released_orders(params.released_exports, seller_index) if params.released_exports else None
    cohorts = ExportCohorts(context, params, deadlines, exports)
    ledger = ExportLedger(context, len(params.ports))
    source = ReturnSource(context, "export.returns", cohorts, cohorts.first_day(),
                          released="export.released", entered="export.handed_over")
    by_point = Switch(context, "export.point", key=attrgetter("point"), branches=range(len(params.points)))
    source.to(by_point)
    by_port = Switch(context, "export.port", key=attrgetter("port"), branches=range(len(params.ports)))
    used_ports = sorted(set(cohorts.choice.ravel().tolist()))
    port_names = [port.name for port in params.ports]

    batchers = []
    for p, point in enumerate(params.points):
        batcher = Batcher(context, f"export.{point.name}.consolidation", capacity=point.capacity,
                          departures=departure_times(point.departures, point.weekdays, context.calendar,
                                                     context.horizon),
                          cutoff=point.cutoff_h, key=attrgetter("port"), loaded="export.consolidated")
        samplers = {q: context.streams.sampler(f"export.{point.name}.{port_names[q]}.transit",
                                               point.transit[port_names[q]].scaled(24.0))
                    for q in used_ports if port_names[q] in point.transit}
        flight = Delay(context, f"export.{point.name}.international", duration_of=_by_key(samplers))
        by_point.connect(p, batcher).to(flight).to(Unbatch(context, f"export.{point.name}.unload")).to(by_port)
        batchers.append(batcher)

    delivered = Sink(context, "export.delivered")
    ports = []
    for q, spec in enumerate(params.ports):
        entry = DeadlineCheck(context, f"export.{spec.name}.entry_check", attrgetter("return_by"),
                              "late_export_return", value_of=attrgetter("value"), observe=ledger.entered,
                              passed="export.entered", late="export.rejected_beyond_window", resource=q)
        inspection = Station(context, f"export.{spec.name}.inspection",
                             server_pool(context, f"export.{spec.name}.officers", spec.officers),
                             service_of=attrgetter("inspection_h"), end="export.entry_released")
        domestic = Delay(context, f"export.{spec.name}.domestic", duration_of=attrgetter("domestic_h"))
        arrived = Tap(context, f"export.{spec.name}.at_seller", observe=ledger.delivered_to_seller,
                      milestone="export.delivered", resource=q)
        by_port.connect(q, entry).to(inspection).to(domestic).to(arrived).to(delivered)
        ports.append(BuiltPort(spec, entry, inspection))
    return ExportFlow(source, ledger, tuple(batchers), tuple(ports), delivered)


def _by_key(samplers: dict[int, Callable[[], float]]) -> Callable[[Any], float]:
    """Transit time of a shipment from its port's sampler (a shipment's key is its port)."""
    def duration(batch: Any) -> float:
        return samplers[batch.key]()
    return duration
