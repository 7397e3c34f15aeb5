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
        "import.noncompliant.value_cny": application.late_value + late_value,
        "import.noncompliant.late_application.count": float(application.late),
        "import.noncompliant.late_arrival.count": float(late),
        "import.quota_restored.count": float(ledger.quota_restored()),
        "import.quota_restored.value_cny": ledger.quota_restored_value(),
        "import.refunds": float(len(refund_cycles)),
        "import.cost.reverse_transit_per_item_cny": _ratio(transit_cost, ledger.items_arrived()),
        "import.cost.reverse_transit_per_day_cny": transit_cost / days,
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
        "export.noncompliant.value_cny": sum(port.entry.late_value for port in flow.ports),
        "export.delivered": float(ledger.delivered),
        "export.cost.domestic_per_parcel_cny": _ratio(ledger.domestic_cost, ledger.delivered),
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


def metrics(context: Context, params: Any, built: Any) -> dict[str, float]:
    values: dict[str, float] = {}
    if built.imports is not None:
        values |= import_metrics(context, built.imports)
    if built.exports is not None:
        values |= export_metrics(context, built.exports)
    return values
