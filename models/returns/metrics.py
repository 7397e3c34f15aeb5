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


def _staff(pools: dict[str, Any], days: float) -> dict[str, tuple[float, float]]:
    """pool name -> (scheduled staff-hours per day, cost per day) in the window."""
    return {name: (pool.scheduled_hours() / days, pool.scheduled_hours() * cost / days)
            for name, (pool, cost) in pools.items()}


def _facility_pools(facility: Any) -> dict[str, tuple[Any, float]]:
    spec = facility.spec
    pools = {stage: (getattr(facility, stage).pool, getattr(spec, crew).cost_cny_per_staff_h)
             for stage, crew in STAGE_CREWS.items()}
    if facility.staging is not None:
        pools["sorting"] = (facility.staging.sorting.pool, spec.staging.sorting_staff.cost_cny_per_staff_h)
        pools["declaration"] = (facility.staging.declaration.pool, spec.staging.declarants.cost_cny_per_staff_h)
    return pools


#: station -> the facility's crew serving it
STAGE_CREWS = {"receipt": "receipt_staff", "review": "officers", "inspection": "inspectors",
               "reshelving": "reshelving_staff"}


def import_metrics(context: Context, params: Any, flow: ImportFlow) -> dict[str, float]:
    days = (context.horizon - context.warmup) / HOURS_PER_DAY
    ledger = flow.ledger
    applications = flow.applications
    arrivals = [f.arrival for f in flow.facilities]
    # own returns vs other districts' (received at the origin): judged apart
    arrival_late_ids = np.array([i for check in arrivals for i in check.late_ids], dtype=np.int64)
    inbound_late = ledger.inbound_of(arrival_late_ids)
    arrived = sum(check.on_time + check.late for check in arrivals)
    inbound_arrivals = float(ledger.inbound_of(ledger.window_arrival_ids()).sum())
    late_arrival = int((~inbound_late).sum())
    on_time = arrived - inbound_arrivals - late_arrival
    own_application = applications[0]
    late_application = own_application.late
    applied_on_time = own_application.on_time
    lost_value = ledger.value_of(list(own_application.late_ids) + arrival_late_ids[~inbound_late].tolist())
    trips = sum(f.line_haul.sizes.count for f in flow.facilities if f.line_haul is not None)
    carried = sum(f.line_haul.sizes.total for f in flow.facilities if f.line_haul is not None)
    capacity = sum(f.line_haul.sizes.count * f.line_haul.capacity for f in flow.facilities if f.line_haul is not None)
    transit_cost = ledger.parcel_cost() + ledger.line_haul_cost
    refund_cycles = ledger.refund_cycles()
    values: dict[str, float] = {
        "import.returns_applied": float(flow.source.emitted),
        "import.applied_per_day": flow.source.emitted / days,
        "import.late_application_share": _ratio(late_application, late_application + applied_on_time),
        "import.late_arrival_share": _ratio(late_arrival, late_arrival + on_time),
        "import.share_tax_free": _ratio(on_time, late_application + on_time + late_arrival),
        "import.noncompliant.count": float(late_application + late_arrival),
        "import.noncompliant.late_application.count": float(late_application),
        "import.noncompliant.late_arrival.count": float(late_arrival),
        "import.lost_tax_free.value_cny": lost_value,
        "import.lost_tax_free.tax_cny": lost_value * params.tax_rate,
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
        "import.outcome.destroyed_value_cny": ledger.value_of(flow.destroyed_ids),
        "import.outcome.reexported_value_cny": ledger.value_of(flow.reexported_ids),
    }
    # Direction of each return: Tianjin's own (handled at the origin or at another
    # district's centre) or another district's received at the origin facility.
    own_at = [f.arrival.on_time + f.arrival.late for f in flow.facilities]
    origin = flow.origin
    if flow.inbound is not None:
        values["import.direction.inbound.returns_applied"] = float(flow.inbound.emitted)
        inbound_application = applications[1]
        values["import.direction.inbound.late_application_share"] = _ratio(
            inbound_application.late, inbound_application.late + inbound_application.on_time)
        values["import.direction.inbound.late_arrival_share"] = _ratio(float(inbound_late.sum()), inbound_arrivals)
        values |= _spread("import.direction.inbound.cycle.request_to_refund", "d", ledger.refund_cycles(inbound=True),
                          1 / HOURS_PER_DAY)
    values["import.direction.inbound.arrivals"] = inbound_arrivals
    values["import.direction.own_at_origin.arrivals"] = own_at[origin] - inbound_arrivals
    values["import.direction.outbound.arrivals"] = float(sum(own_at) - own_at[origin])
    values["import.direction.inbound.share_of_origin_load"] = _ratio(inbound_arrivals, own_at[origin])
    staff_total = fixed_total = 0.0
    items_handled = ledger.items_arrived()
    handling = 0.0
    for facility in flow.facilities:
        prefix = f"import.facility.{facility.spec.name}"
        load = facility.load
        arrivals_here = facility.arrival.on_time + facility.arrival.late
        values[f"{prefix}.arrivals"] = float(arrivals_here)
        values[f"{prefix}.backlog_mean"] = load.backlog.mean()
        values[f"{prefix}.backlog_max"] = float(load.backlog.maximum)
        values[f"{prefix}.backlog_end"] = float(load.backlog.value)
        values[f"{prefix}.entries"] = float(load.entries)
        values[f"{prefix}.time_in_facility_mean_h"] = load.stays.mean()
        for stage in STAGE_CREWS:
            station = getattr(facility, stage)
            values[f"{prefix}.utilization.{stage}"] = station.pool.utilization()
            values[f"{prefix}.wait_mean_h.{stage}"] = station.waits.mean()
        staging = facility.staging
        if staging is not None:
            values[f"{prefix}.staging.backlog_mean"] = staging.load.backlog.mean()
            values[f"{prefix}.staging.time_mean_h"] = staging.load.stays.mean()
            values[f"{prefix}.staging.re_entry_trucks"] = float(staging.re_entry.sizes.count)
            values[f"{prefix}.utilization.sorting"] = staging.sorting.pool.utilization()
            values[f"{prefix}.wait_mean_h.sorting"] = staging.sorting.waits.mean()
        staff = _staff(_facility_pools(facility), days)
        used = arrivals_here > 0 or load.entries > 0
        fixed = (facility.spec.fixed_cost_cny_per_day
                 + (facility.spec.staging.fixed_cost_cny_per_day if staging is not None else 0.0)) if used else 0.0
        facility_staff = sum(cost for _, cost in staff.values()) if used else 0.0
        for pool, (hours, cost) in staff.items():
            values[f"{prefix}.staff_hours_per_day.{pool}"] = hours if used else 0.0
            values[f"{prefix}.staff_cost_per_day_cny.{pool}"] = cost if used else 0.0
        values[f"{prefix}.staff_cost_per_day_cny"] = facility_staff
        values[f"{prefix}.fixed_cost_per_day_cny"] = fixed
        staff_total += facility_staff
        fixed_total += fixed
        handling += facility.spec.handling_cost_cny_per_item * ledger.items_arrived_at(facility.arrival.index)
    values["import.cost.staff_per_day_cny"] = staff_total
    values["import.cost.facility_fixed_per_day_cny"] = fixed_total
    values["import.cost.handling_per_day_cny"] = handling / days
    total = staff_total + fixed_total + (handling + transit_cost) / days
    values["import.cost.total_per_day_cny"] = total
    values["import.cost.total_per_item_cny"] = _ratio(total * days, items_handled)
    values |= _spread("import.cycle.request_to_refund", "d", refund_cycles, 1 / HOURS_PER_DAY)
    values |= _spread("import.transit", "d", ledger.transit(), 1 / HOURS_PER_DAY)
    values |= _spread("import.review", "h", ledger.review())
    values |= _spread("import.restock.arrival_to_sellable", "h", ledger.restock())
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
        "export.cost.international_per_parcel_cny": _ratio(sum(ledger.port_freight), ledger.entries),
        "export.cost.per_parcel_cny": _ratio(sum(ledger.port_freight), ledger.entries)
        + _ratio(ledger.domestic_cost, ledger.delivered),
        "export.consolidation.shipments": float(shipments),
        "export.consolidation.load_factor": _ratio(carried, capacity),
    }
    values |= _spread("export.cycle", "d", ledger.cycle, 1 / HOURS_PER_DAY)
    for q, port in enumerate(flow.ports):
        prefix = f"export.port.{port.spec.name}"
        values[f"{prefix}.entries"] = float(port.entry.on_time + port.entry.late)
        values[f"{prefix}.share_within_6_months"] = _ratio(ledger.port_tax_free[q], ledger.port_entries[q])
        values[f"{prefix}.international_per_parcel_cny"] = _ratio(ledger.port_freight[q], ledger.port_entries[q])
        cycles = ledger.port_cycle[q]
        values[f"{prefix}.cycle_mean_d"] = float(np.mean(cycles)) / HOURS_PER_DAY if len(cycles) else float("nan")
        values[f"{prefix}.utilization"] = port.inspection.pool.utilization()
        values[f"{prefix}.wait_mean_h"] = port.inspection.waits.mean()
    return values


def metrics(context: Context, params: Any, built: Any) -> dict[str, float]:
    values: dict[str, float] = {}
    if built.imports is not None:
        values |= import_metrics(context, params.imports, built.imports)
    if built.exports is not None:
        values |= export_metrics(context, built.exports)
    return values
