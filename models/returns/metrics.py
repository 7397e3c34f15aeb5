"""KPIs of the returns model, per replication, over the observation window.

Time KPIs come as mean, median, p90 and p95 of the returns that completed the measured
span in the window. Shares are of the returns whose deadline was judged in the window.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from models.returns.exports import ExportFlow
from models.returns.imports import ImportFlow
from sim.context import Context

HOURS_PER_DAY = 24.0
_STATS = ("mean", "median", "p90", "p95")


def _spread(prefix: str, unit: str, samples: Sequence[float], scale: float = 1.0) -> dict[str, float]:
    """`prefix.mean_<unit>` ... `prefix.p95_<unit>` of `samples` x `scale` (NaN when none)."""
    if len(samples) == 0:
        return {f"{prefix}.{stat}_{unit}": float("nan") for stat in _STATS}
    values = np.asarray(samples, dtype=float) * scale
    median, p90, p95 = np.percentile(values, [50, 90, 95])
    return {f"{prefix}.mean_{unit}": float(values.mean()), f"{prefix}.median_{unit}": float(median),
            f"{prefix}.p90_{unit}": float(p90), f"{prefix}.p95_{unit}": float(p95)}


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else float("nan")


def import_metrics(context: Context, flow: ImportFlow) -> dict[str, float]:
    days = (context.horizon - context.warmup) / HOURS_PER_DAY
    ledger, application = flow.ledger, flow.application
    on_time = sum(f.arrival.on_time for f in flow.facilities)
    late = sum(f.arrival.late for f in flow.facilities)
    late_value = sum(f.arrival.late_value for f in flow.facilities)
    trips = sum(f.line_haul.sizes.count for f in flow.facilities if f.line_haul is not None)
    carried = sum(f.line_haul.sizes.total for f in flow.facilities if f.line_haul is not None)
    capacity = sum(f.line_haul.sizes.count * f.line_haul.capacity for f in flow.facilities if f.line_haul is not None)
    transit_cost = ledger.parcel_cost() + ledger.line_haul_cost
    refund_cycles = ledger.refund_cycles()
    values: dict[str, float] = {
        "import.returns_applied": float(flow.source.emitted),
        "import.applied_per_day": flow.source.emitted / days,
        "import.share_applied_within_30d": _ratio(application.on_time, application.on_time + application.late),
        "import.share_arrived_within_45d": _ratio(on_time, on_time + late),
        "import.share_tax_free": _ratio(on_time, application.late + on_time + late),
        "import.noncompliant.count": float(application.late + late),
        "import.noncompliant.value_yuan": application.late_value + late_value,
        "import.noncompliant.late_application.count": float(application.late),
        "import.noncompliant.late_arrival.count": float(late),
        "import.quota_restored.count": float(ledger.quota_restored()),
        "import.quota_restored.value_yuan": ledger.quota_restored_value(),
        "import.refunds": float(len(refund_cycles)),
        "import.cost.reverse_transit_per_item_yuan": _ratio(transit_cost, ledger.items_arrived()),
        "import.cost.reverse_transit_yuan_per_day": transit_cost / days,
        "import.line_haul.trips": float(trips),
        "import.line_haul.load_factor": _ratio(carried, capacity),
        "import.outcome.restocked": float(sum(shelved.completed for shelved in flow.restocked)),
        "import.outcome.destroyed": float(flow.destroyed.completed),
        "import.outcome.reexported": float(flow.reexported.completed),
    }
    values |= _spread("import.cycle.request_to_refund", "d", refund_cycles, 1 / HOURS_PER_DAY)
    values |= _spread("import.transit", "d", ledger.transit(), 1 / HOURS_PER_DAY)
    values |= _spread("import.review", "h", ledger.review())
    values |= _spread("import.restock.arrival_to_sellable", "h", ledger.restock())
    for facility in flow.facilities:
        prefix = f"import.facility.{facility.spec.name}"
        load = facility.load
        values[f"{prefix}.arrivals"] = float(facility.arrival.on_time + facility.arrival.late)
        values[f"{prefix}.backlog_mean"] = load.backlog.mean()
        values[f"{prefix}.backlog_max"] = float(load.backlog.maximum)
        values[f"{prefix}.backlog_end"] = float(load.backlog.value)
        values[f"{prefix}.entries"] = float(load.entries)
        values[f"{prefix}.time_in_facility_mean_h"] = load.stays.mean()
        for stage in ("receipt", "review", "inspection", "reshelving"):
            station = getattr(facility, stage)
            values[f"{prefix}.utilization.{stage}"] = station.pool.utilization()
            values[f"{prefix}.wait_mean_h.{stage}"] = station.waits.mean()
    return values


def export_metrics(context: Context, flow: ExportFlow) -> dict[str, float]:
    ledger = flow.ledger
    within_year = sum(port.entry.on_time for port in flow.ports)
    late = sum(port.entry.late for port in flow.ports)
    shipments = sum(batcher.sizes.count for batcher in flow.consolidation)
    carried = sum(batcher.sizes.total for batcher in flow.consolidation)
    capacity = sum(batcher.sizes.count * batcher.capacity for batcher in flow.consolidation)
    values: dict[str, float] = {
        "export.returns_handed_over": float(flow.source.emitted),
        "export.entries": float(ledger.entries),
        "export.share_within_6_months": _ratio(ledger.tax_free, ledger.entries),
        "export.share_within_1_year": _ratio(within_year, within_year + late),
        "export.noncompliant.count": float(late),
        "export.noncompliant.value_yuan": sum(port.entry.late_value for port in flow.ports),
        "export.delivered": float(ledger.delivered),
        "export.cost.domestic_per_parcel_yuan": _ratio(ledger.domestic_cost, ledger.delivered),
        "export.consolidation.shipments": float(shipments),
        "export.consolidation.load_factor": _ratio(carried, capacity),
    }
    values |= _spread("export.cycle", "d", ledger.cycle, 1 / HOURS_PER_DAY)
    for port in flow.ports:
        prefix = f"export.port.{port.spec.name}"
        values[f"{prefix}.entries"] = float(port.entry.on_time + port.entry.late)
        values[f"{prefix}.utilization"] = port.inspection.pool.utilization()
        values[f"{prefix}.wait_mean_h"] = port.inspection.waits.mean()
    return values


def describe_metrics() -> dict[str, str]:
    """KPI definitions (model page and reports). `<stat>` is mean, median, p90 or p95."""
    return {
        "import.returns_applied": "import returns applied for in the window (entering the model)",
        "import.applied_per_day": "import.returns_applied per day of window",
        "import.share_applied_within_30d": "of returns applied for in the window, the share within 30 days of release",
        "import.share_arrived_within_45d": "of returns arriving at a facility in the window, the share within 45 days "
                                           "of release",
        "import.share_tax_free": "of returns judged in the window (rejected at application, or checked on arrival), "
                                 "the share meeting both windows: tax-free return, quota restored",
        "import.noncompliant.count": "returns rejected in the window (late application + late arrival); dropped with "
                                     "that reason",
        "import.noncompliant.value_yuan": "value of the returns rejected in the window",
        "import.noncompliant.late_application.count": "returns applied for after the 30-day window",
        "import.noncompliant.late_arrival.count": "returns arriving after the 45-day window",
        "import.quota_restored.count": "return declarations accepted by customs in the window (annual quota restored)",
        "import.quota_restored.value_yuan": "value restored to buyers' annual quotas in the window",
        "import.refunds": "refunds paid in the window",
        "import.cycle.request_to_refund.<stat>_d": "days from the return application to the refund, of refunds paid in "
                                                   "the window",
        "import.transit.<stat>_d": "days from hand-over to the carrier to arrival at the facility, of arrivals in the "
                                  "window",
        "import.review.<stat>_h": "hours from arrival at the facility to customs accepting the return declaration",
        "import.restock.arrival_to_sellable.<stat>_h": "hours from arrival at the first facility to the goods "
                                                       "being back on a shelf (after line-haul to the origin if "
                                                       "resold there)",
        "import.cost.reverse_transit_per_item_yuan": "(reverse parcel costs of arrivals + line-haul trip costs) / "
                                                     "items arriving, in the window",
        "import.cost.reverse_transit_yuan_per_day": "reverse parcel plus line-haul costs per day of window",
        "import.line_haul.trips": "line-haul trucks leaving return centres for the original zone in the window",
        "import.line_haul.load_factor": "returns carried / truck capacity, over the window's trips",
        "import.outcome.restocked": "returns back on a shelf in the window",
        "import.outcome.destroyed": "damaged returns destroyed in the window",
        "import.outcome.reexported": "damaged returns re-exported in the window",
        "import.facility.<facility>.arrivals": "returns arriving at the facility in the window (late ones included)",
        "import.facility.<facility>.entries": "returns entering the facility (on-time arrivals, and line-haul "
                                              "deliveries at the origin)",
        "import.facility.<facility>.backlog_mean": "time-averaged returns inside the facility (receipt to leaving "
                                                   "on a shelf, on a truck or to disposal)",
        "import.facility.<facility>.backlog_max": "most returns inside the facility at once",
        "import.facility.<facility>.backlog_end": "returns inside the facility at the horizon",
        "import.facility.<facility>.time_in_facility_mean_h": "mean hours inside the facility, of returns leaving in "
                                                              "the window",
        "import.facility.<facility>.utilization.<stage>": "busy / on-duty person-hours of the stage's crew (receipt, "
                                                          "review = officers, inspection, reshelving)",
        "import.facility.<facility>.wait_mean_h.<stage>": "mean hours waiting for the stage's crew",
        "export.returns_handed_over": "export returns handed to an overseas consolidation point in the window",
        "export.entries": "export returns declared at a port of re-entry in the window",
        "export.share_within_6_months": "of entries in the window, the share within six months of export release "
                                        "(tax-exempt)",
        "export.share_within_1_year": "of entries in the window, the share within one year (allowed to return)",
        "export.noncompliant.count": "entries after one year, rejected (dropped with that reason)",
        "export.noncompliant.value_yuan": "value of the rejected export returns",
        "export.delivered": "export returns delivered to the seller in the window",
        "export.cost.domestic_per_parcel_yuan": "mean domestic-leg cost of parcels delivered to sellers",
        "export.consolidation.shipments": "consolidated shipments leaving overseas points in the window",
        "export.consolidation.load_factor": "parcels shipped / shipment capacity, over the window's shipments",
        "export.cycle.<stat>_d": "days from hand-over abroad to delivery to the seller, of deliveries in the window",
        "export.port.<port>.entries": "returns declared at the port in the window",
        "export.port.<port>.utilization": "busy / on-duty officer-hours of the port's entry inspection",
        "export.port.<port>.wait_mean_h": "mean hours waiting for an entry inspection officer",
    }


def metrics(context: Context, params: Any, built: Any) -> dict[str, float]:
    values: dict[str, float] = {}
    if built.imports is not None:
        values |= import_metrics(context, built.imports)
    if built.exports is not None:
        values |= export_metrics(context, built.exports)
    return values
