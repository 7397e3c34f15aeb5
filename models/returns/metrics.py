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
    return {name: (pool.capacity_level.area / days, pool.capacity_level.area * cost / days)
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
        "import.cost.reverse_transit_cny_per_day": transit_cost / days,
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
            values[f"{prefix}.staff_cost_cny_per_day.{pool}"] = cost if used else 0.0
        values[f"{prefix}.staff_cost_cny_per_day"] = facility_staff
        values[f"{prefix}.fixed_cost_cny_per_day"] = fixed
        staff_total += facility_staff
        fixed_total += fixed
        handling += facility.spec.handling_cost_cny_per_item * ledger.items_arrived_at(facility.arrival.index)
    values["import.cost.staff_cny_per_day"] = staff_total
    values["import.cost.facility_fixed_cny_per_day"] = fixed_total
    values["import.cost.handling_cny_per_day"] = handling / days
    total = staff_total + fixed_total + (handling + transit_cost) / days
    values["import.cost.total_cny_per_day"] = total
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


def describe_metrics() -> dict[str, str]:
    """KPI definitions (model page and reports). `<stat>` is mean, median, p90 or p95."""
    return {
        "import.returns_applied": "import returns applied for in the window (entering the model)",
        "import.applied_per_day": "import.returns_applied per day of window",
        "import.late_application_share": "of the model's own returns applied for in the window, the share applied for "
                                         "after the 30-day window (tax-free status lost)",
        "import.late_arrival_share": "of the model's own returns entering a return site (the zone) in the window, the "
                                     "share after the 45-day window (tax-free status lost)",
        "import.share_tax_free": "of returns judged in the window (rejected at application, or checked on arrival), "
                                 "the share meeting both windows: tax-free return, quota restored",
        "import.noncompliant.count": "own returns rejected in the window (late application + late arrival); dropped "
                                     "with that reason",
        "import.noncompliant.late_application.count": "own returns applied for after the 30-day window",
        "import.noncompliant.late_arrival.count": "own returns entering the zone after the 45-day window",
        "import.lost_tax_free.value_cny": "value of the own returns that lost their tax-free status in the window",
        "import.lost_tax_free.tax_cny": "tax due on them: value x the composite CBEC tax rate (`tax_rate`)",
        "import.quota_restored.count": "return declarations accepted by customs in the window (annual quota restored)",
        "import.quota_restored.value_cny": "value restored to buyers' annual quotas in the window",
        "import.refunds": "refunds paid in the window",
        "import.cycle.request_to_refund.<stat>_d": "days from the return application to the refund, of the own "
                                                   "returns' refunds paid in the window",
        "import.transit.<stat>_d": "days from hand-over to the carrier to arrival at the facility, of arrivals in the "
                                  "window",
        "import.review.<stat>_h": "hours from arrival at the facility to customs accepting the return declaration",
        "import.restock.arrival_to_sellable.<stat>_h": "hours from arrival at the first facility to the goods "
                                                       "being back on a shelf (after line-haul to the origin if "
                                                       "resold there)",
        "import.cost.reverse_transit_per_item_cny": "(reverse parcel costs of arrivals + line-haul trip costs) / "
                                                     "items arriving, in the window",
        "import.cost.reverse_transit_cny_per_day": "reverse parcel plus line-haul costs per day of window",
        "import.cost.staff_cny_per_day": "scheduled staff-hours of every crew of the facilities in use x its cost "
                                         "per staff-hour, per day",
        "import.cost.facility_fixed_cny_per_day": "fixed costs of the facilities in use (and their out-of-zone "
                                                  "warehouses), per day",
        "import.cost.handling_cny_per_day": "items arriving at each facility x its handling cost per item, per day",
        "import.cost.total_cny_per_day": "staff + fixed + handling + reverse transit, per day",
        "import.cost.total_per_item_cny": "total cost / items arriving at the facilities",
        "import.outcome.destroyed_value_cny": "value of the damaged returns destroyed in the window",
        "import.outcome.reexported_value_cny": "value of the damaged returns re-exported in the window",
        "import.direction.own_at_origin.arrivals": "own returns arriving at the original zone (load from the own "
                                                   "district)",
        "import.direction.outbound.arrivals": "own returns arriving at other districts' centres (load sent out)",
        "import.direction.inbound.arrivals": "other districts' returns arriving at the original zone's facility "
                                             "(load received)",
        "import.direction.inbound.share_of_origin_load": "inbound / all arrivals at the original zone's facility",
        "import.direction.inbound.returns_applied": "other districts' returns applied for in the window (when "
                                                    "received)",
        "import.direction.inbound.late_application_share": "the same as import.late_application_share, of other "
                                                           "districts' returns",
        "import.direction.inbound.late_arrival_share": "the same as import.late_arrival_share, of other districts' "
                                                       "returns",
        "import.direction.inbound.cycle.request_to_refund.<stat>_d": "request-to-refund days of other districts' "
                                                                     "returns",
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
        "import.facility.<facility>.wait_mean_h.<stage>": "mean hours waiting for the stage's crew (sorting: at the "
                                                          "out-of-zone warehouse)",
        "import.facility.<facility>.staging.backlog_mean": "time-averaged returns in the out-of-zone warehouse "
                                                           "(docked, not yet in the zone)",
        "import.facility.<facility>.staging.time_mean_h": "mean hours from docking at the out-of-zone warehouse to "
                                                          "leaving it on a re-entry truck",
        "import.facility.<facility>.staging.re_entry_trucks": "consolidated re-entry trucks (one 核注清单 and one "
                                                              "核放单 each) in the window",
        "import.facility.<facility>.staff_hours_per_day.<pool>": "scheduled staff-hours per day of the pool "
                                                                 "(0 when the facility is not used)",
        "import.facility.<facility>.staff_cost_cny_per_day.<pool>": "staff-hours x cost per staff-hour, per day",
        "import.facility.<facility>.staff_cost_cny_per_day": "all the facility's pools, per day",
        "import.facility.<facility>.fixed_cost_cny_per_day": "fixed cost per day (with its out-of-zone warehouse)",
        "export.returns_handed_over": "export returns handed to an overseas consolidation point in the window",
        "export.entries": "export returns declared at a port of re-entry in the window",
        "export.share_within_6_months": "of entries in the window, the share within six months of export release "
                                        "(tax-exempt)",
        "export.share_within_1_year": "of entries in the window, the share within one year (allowed to return)",
        "export.noncompliant.count": "entries after one year, rejected (dropped with that reason)",
        "export.noncompliant.value_cny": "value of the rejected export returns",
        "export.delivered": "export returns delivered to the seller in the window",
        "export.cost.domestic_per_parcel_cny": "mean domestic-leg cost of parcels delivered to sellers",
        "export.cost.international_per_parcel_cny": "mean international freight of parcels entering in the window",
        "export.cost.per_parcel_cny": "international freight + domestic leg, per parcel",
        "export.consolidation.shipments": "consolidated shipments leaving overseas points in the window",
        "export.consolidation.load_factor": "parcels shipped / shipment capacity, over the window's shipments",
        "export.cycle.<stat>_d": "days from hand-over abroad to delivery to the seller, of deliveries in the window",
        "export.port.<port>.entries": "returns declared at the port in the window",
        "export.port.<port>.utilization": "busy / on-duty officer-hours of the port's entry inspection",
        "export.port.<port>.wait_mean_h": "mean hours waiting for an entry inspection officer",
        "export.port.<port>.share_within_6_months": "of entries at the port, the share within six months (tax-exempt)",
        "export.port.<port>.international_per_parcel_cny": "mean international freight of parcels entering there",
        "export.port.<port>.cycle_mean_d": "mean days from hand-over abroad to the seller, of parcels that entered "
                                           "there",
    }


def metrics(context: Context, params: Any, built: Any) -> dict[str, float]:
    values: dict[str, float] = {}
    if built.imports is not None:
        values |= import_metrics(context, params.imports, built.imports)
    if built.exports is not None:
        values |= export_metrics(context, built.exports)
    return values
