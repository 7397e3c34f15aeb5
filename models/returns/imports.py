"""The import (1210) return flow, wired from kernel blocks and the model's own
(`blocks`; `import_blocks`: one block per step of a return, doing the step's whole job).

    released order --(delivery, decision)--> application [30-day check]
      -> hand-over to a carrier and reverse transit to the facility (one wait)
      -> [45-day check on arrival] -> receipt -> customs review -> inspection
      -> refund (money) and, for the goods:
           sellable at the original zone      -> re-shelving -> restocked
           sellable at a centre, sold there   -> re-shelving -> restocked
           sellable at a centre, resold from the original zone
                                              -> line-haul (full truck or timetable) -> re-shelving at the origin
           damaged                            -> destroyed or re-exported

Baseline ("original_district"): every return goes to the original zone. Pilot
("cross_district"): a region with a return centre sends its returns there.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass, replace
from functools import partial
from operator import attrgetter

from models.returns.blocks import FacilityEnter, FacilityLeave, FacilityLoad, ReturnSource, Tap
from models.returns.entities import DAMAGED, LINE_HAUL, OFFICER, SELLABLE_HERE
from models.returns.import_blocks import Application, FacilityArrival, Refund, Reviewed, Shelved
from models.returns.import_cohorts import ImportCohorts
from models.returns.import_params import Facility, ImportParams, Region
from models.returns.ledger import ImportLedger
from models.returns.params import Deadlines
from models.returns.releases import read_released_orders
from models.returns.staffing import departure_times, server_pool
from sim.batching import Batcher, Unbatch
from sim.context import Context
from sim.entity import Batch
from sim.flow import Delay, Sink, Switch
from sim.frozen import FrozenMapping
from sim.station import Station

#: staging loads are numbered from here in the log's facility milestones (resource column)
STAGING_INDEX = 100


@dataclass(frozen=True, eq=False)
class BuiltStaging:
    """The out-of-zone return warehouse in front of a facility (see `Staging`)."""

    load: FacilityLoad
    enter: FacilityEnter
    sorting: Station
    re_entry: Batcher
    declaration: Station


@dataclass(frozen=True, eq=False)
class BuiltFacility:
    spec: Facility
    load: FacilityLoad
    arrival: FacilityArrival
    receipt: Station
    review: Station
    inspection: Station
    reshelving: Station
    refund: Refund
    shelved: Shelved
    line_haul: Batcher | None
    staging: BuiltStaging | None


@dataclass(frozen=True, eq=False)
class ImportFlow:
    source: ReturnSource
    ledger: ImportLedger
    #: the 30-day checks: of the model's own returns, then (if received) other districts'
    applications: tuple[Application, ...]
    facilities: tuple[BuiltFacility, ...]
    #: where restocked returns end, one per facility
    restocked: tuple[Shelved, ...]
    destroyed: Sink
    reexported: Sink
    #: index of the original zone's facility in `facilities`
    origin: int
    #: other districts' returns received at the origin facility (None: not simulated)
    inbound: ReturnSource | None
    #: ids of the damaged returns destroyed / re-exported in the window
    destroyed_ids: array
    reexported_ids: array


def build_imports(context: Context, params: ImportParams, deadlines: Deadlines) -> ImportFlow:
    region_index = {region.name: i for i, region in enumerate(params.regions)}
    orders = read_released_orders(params.released_orders, region_index) if params.released_orders else None
    cohorts = ImportCohorts(context, params, deadlines, orders)
    ledger = ImportLedger(context, cohorts.facts)
    source = ReturnSource(context, "import.returns", cohorts, cohorts.first_day(),
                          released="import.released", entered="import.applied")
    application = Application(context, "import.application", len(params.facilities), ledger,
                              late="import.rejected_late_application", handed_over="import.handed_over")
    source.to(application)

    destroyed = Sink(context, "import.destroyed", milestone="import.destroyed")
    reexported = Sink(context, "import.reexported", milestone="import.reexported")
    destroyed_ids, reexported_ids = array("q"), array("q")
    context.on_reset(lambda now: [ids.__delitem__(slice(None)) for ids in (destroyed_ids, reexported_ids)])
    disposal = Delay(context, "import.disposal", duration_of=attrgetter("disposal_h"))
    disposal_route = Switch(context, "import.disposal_route", key=attrgetter("reexport"), branches=(False, True))
    disposal.to(disposal_route)
    disposal_route.connect(False, _recording(context, "import.destroyed_ids", destroyed_ids)).to(destroyed)
    disposal_route.connect(True, _recording(context, "import.reexported_ids", reexported_ids)).to(reexported)

    origin = [facility.name for facility in params.facilities].index(params.origin)
    built = [_facility(context, params, index, index == origin, application, ledger, disposal)
             for index in range(len(params.facilities))]
    home = built[origin]
    unloaded = FacilityEnter(context, f"import.{home.spec.name}.line_haul_in", home.load)
    unloaded.to(Tap(context, "import.line_haul_arrived", milestone="import.line_haul_arrived")).to(home.reshelving)
    for facility in built:
        if facility.line_haul is not None:
            name = facility.spec.name
            line_haul = facility.spec.line_haul
            leave = FacilityLeave(context, f"import.{name}.leave_line_haul", facility.load)
            trip = Tap(context, f"import.{name}.trip",
                       observe=lambda batch, now, cost=line_haul.trip_cost_yuan: ledger.trip(cost))
            truck = Delay(context, f"import.{name}.line_haul_transit",
                          context.streams.sampler(f"import.{name}.line_haul", line_haul.transit))
            facility.line_haul.to(leave).to(trip).to(truck).to(Unbatch(context, f"import.{name}.unload")).to(unloaded)
    applications = [application]
    inbound_source = None
    if params.inbound.enabled:
        inbound_source, inbound_application = _inbound(context, params, deadlines, cohorts, ledger, origin)
        inbound_application.connect(origin, application.facilities[origin])
        applications.append(inbound_application)
    restocked = tuple(facility.shelved for facility in built)
    return ImportFlow(source, ledger, tuple(applications), tuple(built), restocked, destroyed, reexported, origin,
                      inbound_source, destroyed_ids, reexported_ids)


def _consolidated_review_h(declaration_h: float, batch: Batch) -> float:
    """Officer hours of one consolidated declaration: the declaration, plus each return
    the system did not clear."""
    return declaration_h + sum(member.review_h for member in batch.members if member.review_path == OFFICER)


def _recording(context: Context, name: str, ids: array) -> Tap:
    return Tap(context, name, observe=lambda entity, now: ids.append(entity.id))


def _inbound(context: Context, params: ImportParams, deadlines: Deadlines, own: ImportCohorts,
             ledger: ImportLedger, origin: int) -> tuple[ReturnSource, Application]:
    """Other districts' returns received at the origin facility: a cohort of their own
    (streams `import.inbound.*`), one region per district of origin, all sent to the
    origin facility, sharing the ledger's facts (marked inbound)."""
    inbound = params.inbound
    home = params.facilities[origin].name
    regions = tuple(Region(district, share, inbound.delivery, FrozenMapping({home: inbound.transit}),
                           FrozenMapping({home: inbound.parcel_cost_cny}))
                    for district, share in inbound.origins.items())
    # the own flow's returns rules (decision, hand-over, review, damage) with the inbound
    # volume, every region sent to the origin facility
    inbound_params = replace(params, released_orders="", orders_per_day=inbound.returns_per_day, return_rate=1.0,
                             return_rates=FrozenMapping({}), order_multipliers=FrozenMapping({}), regions=regions,
                             mode="cross_district", return_centres=FrozenMapping({r.name: home for r in regions}))
    cohorts = ImportCohorts(context, inbound_params, deadlines, None, facts=own.facts, prefix="import.inbound",
                            inbound=True)
    source = ReturnSource(context, "import.inbound_returns", cohorts, cohorts.first_day(),
                          released="import.released", entered="import.applied")
    application = Application(context, "import.inbound_application", len(params.facilities), ledger,
                              late="import.rejected_late_application", handed_over="import.handed_over",
                              reaches=(origin,))
    source.to(application)
    return source, application


def _facility(context: Context, params: ImportParams, index: int, is_origin: bool, application: Application,
              ledger: ImportLedger, disposal: Delay) -> BuiltFacility:
    spec = params.facilities[index]
    name = spec.name
    load = FacilityLoad(context, name, index)
    arrival = FacilityArrival(context, f"import.{name}.arrival_check", load, ledger, passed="import.arrived",
                              late="import.rejected_late_arrival")
    staging = _staging(context, spec, index, arrival) if name in params.staged_facilities else None
    application.connect(index, arrival if staging is None else staging.enter)
    receipt = Station(context, f"import.{name}.receipt", server_pool(context, f"import.{name}.receipt_staff",
                                                                     spec.receipt_staff),
                      service_of=attrgetter("receipt_h"), end="import.received")
    arrival.to(receipt)

    reviewed = Reviewed(context, f"import.{name}.reviewed", index, ledger, milestone="import.reviewed")
    officers = server_pool(context, f"import.{name}.officers", spec.officers)
    if params.review.mode == "manual":
        review = Station(context, f"import.{name}.review", officers, service_of=attrgetter("review_h"))
        receipt.to(Delay(context, f"import.{name}.review_lead", duration_of=attrgetter("lead_h"))).to(review)
        review.to(reviewed)
    else:
        # one consolidated declaration per filing: the officer checks the declaration once
        # and, one by one, only the returns the system did not clear
        simplified = params.review
        filings = Batcher(context, f"import.{name}.consolidated_declaration",
                          departures=departure_times(simplified.filings, (), context.calendar, context.horizon))
        review = Station(context, f"import.{name}.review", officers,
                         service_of=partial(_consolidated_review_h, simplified.declaration_officer_h))
        receipt.to(filings).to(review).to(Unbatch(context, f"import.{name}.declared")).to(reviewed)

    inspection = Station(context, f"import.{name}.inspection",
                         server_pool(context, f"import.{name}.inspectors", spec.inspectors),
                         service_of=attrgetter("inspection_h"), end="import.inspected")
    outcomes = (SELLABLE_HERE, DAMAGED) if is_origin else (SELLABLE_HERE, LINE_HAUL, DAMAGED)
    refund = Refund(context, f"import.{name}.refund", ledger, attrgetter("outcome"), outcomes,
                    milestone="import.refunded")
    reviewed.to(inspection).to(refund)

    reshelving = Station(context, f"import.{name}.reshelving",
                         server_pool(context, f"import.{name}.reshelving_staff", spec.reshelving_staff),
                         service_of=attrgetter("reshelving_h"))
    refund.connect(SELLABLE_HERE, reshelving)
    shelved = reshelving.to(Shelved(context, f"import.{name}.sellable", load, ledger, milestone="import.sellable"))
    refund.connect(DAMAGED, FacilityLeave(context, f"import.{name}.leave_damaged", load)).to(disposal)

    line_haul = None
    if not is_origin:
        truck = spec.line_haul
        line_haul = Batcher(context, f"import.{name}.line_haul", capacity=truck.capacity,
                            departures=departure_times(truck.departures, truck.weekdays, context.calendar,
                                                       context.horizon),
                            cutoff=truck.cutoff_h, loaded="import.line_haul_loaded")
        refund.connect(LINE_HAUL, line_haul)
    return BuiltFacility(spec, load, arrival, receipt, review, inspection, reshelving, refund, shelved, line_haul,
                         staging)


def _staging(context: Context, spec: Facility, index: int, arrival: FacilityArrival) -> BuiltStaging:
    """Parcels docked at the out-of-zone warehouse, sorted, loaded on the next re-entry
    truck, declared (核注清单 and 核放单, one each per truck) and driven through the zone
    gate, where they arrive (`arrival`: the 45-day check)."""
    name, staging = spec.name, spec.staging
    load = FacilityLoad(context, f"{name}.staging", STAGING_INDEX + index)
    sorting = Station(context, f"import.{name}.sorting",
                      server_pool(context, f"import.{name}.sorting_staff", staging.sorting_staff),
                      service_of=attrgetter("receipt_h"), end="import.sorted")
    enter = FacilityEnter(context, f"import.{name}.staging_in", load)
    enter.to(sorting)
    departures = departure_times(staging.departures, staging.weekdays, context.calendar, context.horizon)
    re_entry = Batcher(context, f"import.{name}.re_entry", departures=departures, cutoff=staging.cutoff_h,
                       capacity=None if departures else 1, loaded="import.re_entry_loaded")
    declaration = Station(context, f"import.{name}.declaration",
                          server_pool(context, f"import.{name}.declarants", staging.declarants),
                          service_of=lambda batch, hours=staging.declaration_h: hours)
    drive = Delay(context, f"import.{name}.re_entry_drive", duration_of=lambda batch, hours=staging.drive_h: hours)
    sorting.to(re_entry).to(declaration).to(drive).to(FacilityLeave(context, f"import.{name}.staging_out", load)) \
        .to(Unbatch(context, f"import.{name}.re_entry_unload")).to(arrival)
    return BuiltStaging(load, enter, sorting, re_entry, declaration)
