"""Checks across fields of the returns model's parameters, with full key paths.

Besides names and references (every region can reach the facility it returns to), the
standalone streams are checked for stability: on a normal day each crew's offered load
must stay below its average number on duty, else backlogs grow without bound and no
steady-state KPI exists. (Peaks may overload a crew for a while: that is what the
post-peak scenarios measure.)
"""

from __future__ import annotations

from collections.abc import Iterable

from models.returns.export_cohorts import port_choice
from models.returns.export_params import ExportParams
from models.returns.import_params import ImportParams
from models.returns.params import Params
from models.returns.releases import check_table
from models.returns.staffing import Crew
from sim.calendar import WEEKDAYS
from sim.parameters import ParameterError

HOURS_PER_DAY = 24.0


def validate(params: Params) -> None:
    if not params.imports.enabled and not params.exports.enabled:
        raise ParameterError("params", "enable at least one of imports and exports")
    deadlines = params.deadlines
    if deadlines.import_application_days > deadlines.import_arrival_days:
        raise ParameterError("params.deadlines.import_application_days", "must not exceed import_arrival_days")
    if deadlines.export_tax_free_months > deadlines.export_return_months:
        raise ParameterError("params.deadlines.export_tax_free_months", "must not exceed export_return_months")
    if params.imports.enabled:
        _imports(params.imports, "params.imports")
    if params.exports.enabled:
        _exports(params.exports, "params.exports")


def _unique(names: list[str], path: str) -> None:
    for i, name in enumerate(names):
        if names.index(name) != i:
            raise ParameterError(f"{path}[{i}].name", f"duplicate name {name!r}")


def _shares(values: Iterable[float], path: str) -> None:
    total = sum(values)
    if abs(total - 1.0) > 1e-6:
        raise ParameterError(path, f"shares must sum to 1, got {total:g}")


def _weekdays(days: Iterable[str], path: str) -> None:
    for day in days:
        if day.lower() not in WEEKDAYS:
            raise ParameterError(path, f"unknown weekday {day!r} (one of {', '.join(WEEKDAYS)})")


def _stable(crew: Crew, load_per_hour: float, path: str) -> None:
    servers = crew.mean_servers()
    if servers is None or load_per_hour <= 0:
        return
    if load_per_hour >= servers:
        raise ParameterError(path, f"unstable: offered load {load_per_hour:.3g} busy people per hour on a normal day "
                                   f">= {servers:.3g} on duty on average")


def _imports(params: ImportParams, path: str) -> None:
    regions = [region.name for region in params.regions]
    facilities = [facility.name for facility in params.facilities]
    if not regions:
        raise ParameterError(f"{path}.regions", "at least one region is needed")
    _unique(regions, f"{path}.regions")
    _unique(facilities, f"{path}.facilities")
    _shares((region.share for region in params.regions), f"{path}.regions")
    if params.origin not in facilities:
        raise ParameterError(f"{path}.origin",
                             f"no facility named {params.origin!r} (facilities: {', '.join(facilities)})")
    for region, centre in params.return_centres.items():
        if region not in regions:
            raise ParameterError(f"{path}.return_centres.{region}", f"no region named {region!r}")
        if centre not in facilities:
            raise ParameterError(f"{path}.return_centres.{region}", f"no facility named {centre!r}")
    for i, region in enumerate(params.regions):
        targets = {params.origin}
        if params.mode == "cross_district":
            targets.add(params.return_centres.get(region.name, params.origin))
        for target in sorted(targets):
            if target not in region.transit:
                raise ParameterError(f"{path}.regions[{i}].transit", f"needs a transit time to {target!r}")
            if target not in region.parcel_cost_yuan:
                raise ParameterError(f"{path}.regions[{i}].parcel_cost_yuan", f"needs a parcel cost to {target!r}")
    for i, facility in enumerate(params.facilities):
        _weekdays(facility.line_haul.weekdays, f"{path}.facilities[{i}].line_haul.weekdays")
        _weekdays(facility.staging.weekdays, f"{path}.facilities[{i}].staging.weekdays")
    for i, name in enumerate(params.staged_facilities):
        if name not in facilities:
            raise ParameterError(f"{path}.staged_facilities[{i}]", f"no facility named {name!r}")
    if params.inbound.enabled:
        _shares(params.inbound.origins.values(), f"{path}.inbound.origins")
    if params.released_orders:
        problem = check_table(params.released_orders)
        if problem:
            raise ParameterError(f"{path}.released_orders", problem)
        return
    if params.orders_per_day <= 0:
        raise ParameterError(f"{path}.orders_per_day", "must be > 0 without a released_orders table")
    _import_loads(params, path)


def _import_loads(params: ImportParams, path: str) -> None:
    per_hour = params.orders_per_day * params.return_rate / HOURS_PER_DAY
    names = [facility.name for facility in params.facilities]
    arrivals = [0.0] * len(names)
    if params.inbound.enabled:
        arrivals[names.index(params.origin)] += params.inbound.returns_per_day / HOURS_PER_DAY
    for region in params.regions:
        target = params.origin
        if params.mode == "cross_district":
            target = params.return_centres.get(region.name, params.origin)
        arrivals[names.index(target)] += per_hour * region.share
    origin = names.index(params.origin)
    review = params.review
    officer_time = (review.manual_officer_time.expected() if review.mode == "manual"
                    else (1 - review.simplified_auto_share) * review.simplified_officer_time.expected())
    sellable_items = (1 - params.damage_rate) * params.items_mean * params.reshelving_time_per_item.expected()
    reshelving = [0.0] * len(names)
    for i, facility in enumerate(params.facilities):
        share = 0.0 if i == origin else facility.line_haul.resold_from_origin_share
        reshelving[i] += arrivals[i] * (1 - share) * sellable_items
        reshelving[origin] += arrivals[i] * share * sellable_items
    for i, facility in enumerate(params.facilities):
        where = f"{path}.facilities[{i}]"
        _stable(facility.receipt_staff, arrivals[i] * params.receipt_time.expected(), f"{where}.receipt_staff")
        if facility.name in params.staged_facilities:
            _stable(facility.staging.sorting_staff, arrivals[i] * params.receipt_time.expected(),
                    f"{where}.staging.sorting_staff")
        _stable(facility.officers, arrivals[i] * officer_time, f"{where}.officers")
        _stable(facility.inspectors, arrivals[i] * params.items_mean * params.inspection_time_per_item.expected(),
                f"{where}.inspectors")
        _stable(facility.reshelving_staff, reshelving[i], f"{where}.reshelving_staff")


def _exports(params: ExportParams, path: str) -> None:
    ports = [port.name for port in params.ports]
    points = [point.name for point in params.points]
    sellers = list(params.seller_regions)
    if not points or not sellers:
        raise ParameterError(f"{path}.points" if not points else f"{path}.seller_regions", "must not be empty")
    _unique(ports, f"{path}.ports")
    _unique(points, f"{path}.points")
    _shares(params.seller_regions.values(), f"{path}.seller_regions")
    _shares((point.share for point in params.points), f"{path}.points")
    if params.origin not in ports:
        raise ParameterError(f"{path}.origin", f"no port named {params.origin!r} (ports: {', '.join(ports)})")
    for i, name in enumerate(params.pilot_ports):
        if name not in ports:
            raise ParameterError(f"{path}.pilot_ports[{i}]", f"no port named {name!r}")
    for i, point in enumerate(params.points):
        _weekdays(point.weekdays, f"{path}.points[{i}].weekdays")
        if params.origin not in point.transit:
            raise ParameterError(f"{path}.points[{i}].transit", f"needs a transit time to {params.origin!r}")
    for i, port in enumerate(params.ports):
        for seller in port.domestic_transit:
            if seller not in port.domestic_cost_yuan:
                raise ParameterError(f"{path}.ports[{i}].domestic_cost_yuan", f"needs a cost to {seller!r}")
        if port.name == params.origin:
            for seller in sellers:
                if seller not in port.domestic_transit:
                    raise ParameterError(f"{path}.ports[{i}].domestic_transit", f"needs a transit time to {seller!r}")
    if params.released_exports:
        problem = check_table(params.released_exports)
        if problem:
            raise ParameterError(f"{path}.released_exports", problem)
        return
    if params.exports_per_day <= 0:
        raise ParameterError(f"{path}.exports_per_day", "must be > 0 without a released_exports table")
    choice = port_choice(params)
    per_hour = params.exports_per_day * params.return_rate / HOURS_PER_DAY
    load = [0.0] * len(ports)
    for p, point in enumerate(params.points):
        for s, share in enumerate(params.seller_regions.values()):
            load[choice[p, s]] += per_hour * point.share * share * params.inspection_time.expected()
    for q, port in enumerate(params.ports):
        _stable(port.officers, load[q], f"{path}.ports[{q}].officers")
