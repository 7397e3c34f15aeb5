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

from dataclasses import dataclass
from operator import attrgetter

from models.returns.blocks import FacilityEnter, FacilityLeave, FacilityLoad, ReturnSource, Tap
from models.returns.entities import AUTO, DAMAGED, LINE_HAUL, OFFICER, SELLABLE_HERE
from models.returns.import_blocks import Application, FacilityArrival, Refund, Reviewed, Shelved
from models.returns.import_cohorts import ImportCohorts
from models.returns.import_params import Facility, ImportParams
from models.returns.ledger import ImportLedger
from models.returns.params import Deadlines
from models.returns.releases import read_released_orders
from models.returns.staffing import departure_times, server_pool
from sim.batching import Batcher, Unbatch
from sim.context import Context
from sim.flow import Delay, Sink, Switch
from sim.station import Station


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


@dataclass(frozen=True, eq=False)
class ImportFlow:
    source: ReturnSource
    ledger: ImportLedger
    application: Application
    facilities: tuple[BuiltFacility, ...]
    #: where restocked returns end, one per facility
    restocked: tuple[Shelved, ...]
    destroyed: Sink
    reexported: Sink


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
    disposal = Delay(context, "import.disposal", duration_of=attrgetter("disposal_h"))
    disposal_route = Switch(context, "import.disposal_route", key=attrgetter("reexport"), branches=(False, True))
    disposal.to(disposal_route)
    disposal_route.connect(False, destroyed)
    disposal_route.connect(True, reexported)

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
    restocked = tuple(facility.shelved for facility in built)
    return ImportFlow(source, ledger, application, tuple(built), restocked, destroyed, reexported)


def _facility(context: Context, params: ImportParams, index: int, is_origin: bool, application: Application,
              ledger: ImportLedger, disposal: Delay) -> BuiltFacility:
    spec = params.facilities[index]
    name = spec.name
    load = FacilityLoad(context, name, index)
    arrival = FacilityArrival(context, f"import.{name}.arrival_check", load, ledger, passed="import.arrived",
                              late="import.rejected_late_arrival")
    application.connect(index, arrival)
    receipt = Station(context, f"import.{name}.receipt", server_pool(context, f"import.{name}.receipt_staff",
                                                                     spec.receipt_staff),
                      service_of=attrgetter("receipt_h"), end="import.received")
    arrival.to(receipt)

    reviewed = Reviewed(context, f"import.{name}.reviewed", index, ledger, milestone="import.reviewed")
    officers = server_pool(context, f"import.{name}.officers", spec.officers)
    review = Station(context, f"import.{name}.review", officers, service_of=attrgetter("review_h"))
    review.to(reviewed)
    if params.review.mode == "manual":
        receipt.to(Delay(context, f"import.{name}.review_lead", duration_of=attrgetter("lead_h"))).to(review)
    else:
        route = Switch(context, f"import.{name}.review_route", key=attrgetter("review_path"), branches=(AUTO, OFFICER))
        receipt.to(route)
        route.connect(OFFICER, review)
        auto = route.connect(AUTO, Delay(context, f"import.{name}.auto_review", duration_of=attrgetter("review_h")))
        auto.to(reviewed)

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
    return BuiltFacility(spec, load, arrival, receipt, review, inspection, reshelving, refund, shelved, line_haul)
