"""Parameters of CBEC retail import (1210) returns and the cross-district return pilot.

Defaults describe Tianjin's bonded-import returns: about 55,000 released orders a day,
3% returned (about 600,000 returns a year), consumers in five regions of China, the
original zone in Tianjin and three possible cross-district return centres. Every
default names its public source or says ASSUMPTION.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from models.returns.staffing import Crew, day_and_evening, office_hours
from sim.distributions import Distribution
from sim.frozen import FrozenMapping
from sim.parameters import Plausible, param

_A = "ASSUMPTION"
_TRANSIT = ("ASSUMPTION: reverse transit 1-3 days within a region, 3-6 days to a distant original "
            "district")
_DELIVERY = ("Customs and press reports (no address kept; to be sourced): 1-2 days from Tianjin to northern and central China, 3-5 days nationally; "
             "the same regions and delivery times as the bonded model, so that its released orders chain here")
_SHARE = "ASSUMPTION: no regional split of Tianjin's bonded-import buyers was found; as the bonded model's regions"
_PARCEL = "ASSUMPTION: reverse express tariffs, about 8 yuan within a region and 14-20 yuan across the country"


def _tri(low: float, mode: float, high: float) -> Distribution:
    return Distribution("triangular", low=low, mode=mode, high=high)


def _uniform(low: float, high: float) -> Distribution:
    return Distribution("uniform", low=low, high=high)


# Public figures on returns before return centres (see docs/returns.md, "Calibration"):
_CHENGDU = ("Cover News, 2022-09-28, https://www.4ll.net/Technology/315608.html (accessed 2026-12-03): before "
            "Chengdu's return centre warehouse a CBEC import return took about 30 days to complete, 7 days after; "
            "firms had to lease return warehouses outside the bonded zone to gather and sort returns")
_REVIEW_48_4 = ("Economic Daily, 2025, via https://new-omni.com/a/hvWsjPxsXK.html (accessed 2026-12-03): Hangzhou, "
                "Ningbo and other customs cut return review from 48 h to 4 h with consolidated returns and simplified "
                "single-window declarations")
_SHENZHEN = ("Economic Daily, 2025, via https://new-omni.com/a/hvWsjPxsXK.html (accessed 2026-12-03): Shenzhen's "
             "return centre warehouse cut return processing from 14-21 days to 3-5 days")


@dataclass(frozen=True)
class Region:
    """Where consumers live: their share of returns, how long delivery took, and the
    reverse transit time and parcel cost from there to each return facility."""

    name: str = param(doc="region name", provenance=_SHARE)
    share: float = param(low=0.0, high=1.0, doc="share of returns (of released orders) from this region",
                         provenance=_SHARE)
    delivery: Distribution = param(unit="h", doc="delivery from the original zone to the consumer",
                                   provenance=_DELIVERY)
    transit: Mapping[str, Distribution] = param(
        unit="d", doc="carrier hand-over to arrival, by facility name (needed for the original zone and the "
                      "region's return centre)", provenance=_TRANSIT)
    parcel_cost_yuan: Mapping[str, float] = param(unit="yuan/parcel", low=0.0, doc="reverse express cost by facility",
                                                  provenance=_PARCEL)


@dataclass(frozen=True)
class LineHaul:
    """Consolidated trucks taking resold goods from a return centre back to the original zone."""

    resold_from_origin_share: float = param(
        0.6, low=0.0, high=1.0, doc="share of sellable returns at a centre sent back to the original zone "
                                    "(the rest are restocked and resold at the centre)",
        provenance="ASSUMPTION: good goods are released to platforms (Hangzhou Customs via China Daily, http://zhejiang.chinadaily.com.cn/2025-09/26/c_1128970.htm (accessed 2026-12-03)); where they are sold is "
                   "not reported", plausible=Plausible(0.3, 0.9, "where platforms resell returns"))
    capacity: int = param(1500, unit="returns", low=1, doc="returns per truck; a full truck leaves at once",
                          provenance="ASSUMPTION: a 9.6 m truck carries 3,000-5,000 parcels; "
                                     "returns repacked", plausible=Plausible(1000.0, 3000.0, "a 9.6 m truck of repacked returns"))
    departures: tuple[str, ...] = param(("20:00",), doc="timetabled departures, local clock", provenance=_A)
    weekdays: tuple[str, ...] = param(("tuesday", "friday"), doc="weekdays with departures (empty: every day)",
                                      provenance="ASSUMPTION: two trips a week keep trucks about half full")
    cutoff_h: float = param(1.0, unit="h", low=0.0, doc="loading closes this long before a departure", provenance=_A, plausible=Plausible(0.5, 3.0, "loading time"))
    transit: Distribution = param(Distribution("lognormal", mean=20.0, cv=0.2), unit="h",
                                  doc="line-haul transit to the original zone",
                                  provenance="ASSUMPTION: road distance to Tianjin at about 55 km/h "
                                             "(Hangzhou about 1,100 km)", plausible=Plausible(12.0, 40.0, "road distance to Tianjin"))
    trip_cost_yuan: float = param(5000.0, unit="yuan/trip", low=0.0, doc="cost of one line-haul trip",
                                  provenance="ASSUMPTION: 9.6 m truck, about 4.5 yuan/km", plausible=Plausible(3000.0, 10000.0, "4-5 cny/km"))


@dataclass(frozen=True)
class Staging:
    """An out-of-zone return warehouse in front of a bonded zone: returned parcels are
    received and sorted there, and enter the zone on consolidated re-entry trucks, each
    declared on one 核注清单 (bonded ledger list) and passed at the gate on one 核放单
    (release form). The legal arrival (45-day window) is entry into the zone.

    Used only at the facilities listed in `ImportParams.staged_facilities`; the others
    have an in-zone return warehouse (GACC 2021 No. 70): parcels arrive at the supervised
    site directly."""

    sorting_staff: Crew = param(day_and_evening(4), doc="staff receiving and sorting parcels at the out-of-zone "
                                                        "warehouse (a parcel takes its `receipt_time`)",
                                provenance=_A)
    departures: tuple[str, ...] = param(("10:00",), doc="re-entry truck departures, local clock", provenance=_A,
                                        plausible=Plausible(exempt="a timetable; varied through `weekdays`"))
    weekdays: tuple[str, ...] = param(
        ("wednesday",), doc="weekdays with a re-entry truck (empty: every day)",
        provenance="ASSUMPTION: one consolidated re-entry a week, so that the baseline's request-to-refund time "
                   "comes near the 14-21 days reported before return centres (" + _SHENZHEN + ")",
        plausible=Plausible(exempt="a timetable: scenarios vary it between one and seven re-entries a week"))
    cutoff_h: float = param(2.0, unit="h", low=0.0, doc="loading closes this long before a departure", provenance=_A,
                            plausible=Plausible(0.5, 6.0, "same-morning loading to the evening before"))
    declaration_h: float = param(1.0, unit="h", low=0.0,
                                 doc="declarant time per re-entry batch: the 核注清单 and the 核放单",
                                 provenance=_A, plausible=Plausible(0.5, 3.0, "one consolidated list per truck"))
    declarants: Crew = param(office_hours(1), doc="the operator's declarants filing re-entry lists",
                             provenance=_A)
    drive_h: float = param(1.0, unit="h", low=0.0, doc="drive from the out-of-zone warehouse through the zone gate",
                           provenance=_A, plausible=Plausible(0.5, 3.0, "a warehouse next to the zone"))
    fixed_cost_cny_per_day: float = param(
        3000.0, unit="cny/d", low=0.0, doc="rent and running cost of the out-of-zone warehouse",
        provenance="ASSUMPTION: about 3,000 m2 at about 1 cny/m2/day in Tianjin's logistics parks",
        plausible=Plausible(1500.0, 6000.0, "1,500-6,000 m2 at 1 cny/m2/day"))


@dataclass(frozen=True)
class Facility:
    """A return site: the original bonded zone, or a cross-district return centre."""

    name: str = param(doc="facility name", provenance=_A)
    receipt_staff: Crew = param(doc="dock staff receiving returned parcels", provenance=_A)
    officers: Crew = param(doc="customs officers reviewing return declarations", provenance=_A)
    inspectors: Crew = param(doc="warehouse staff inspecting returned goods", provenance=_A)
    reshelving_staff: Crew = param(doc="staff putting sellable goods back on the shelf", provenance=_A)
    line_haul: LineHaul = param(LineHaul(), doc="trucks back to the original zone (unused at the original zone)",
                                provenance="see the fields")
    staging: Staging = param(Staging(), doc="out-of-zone return warehouse and consolidated re-entry (used when the "
                                            "facility is in `staged_facilities`)", provenance="see the fields")
    fixed_cost_cny_per_day: float = param(
        6000.0, unit="cny/d", low=0.0, doc="fixed cost of the return warehouse in the zone (rent, equipment, systems)",
        provenance="ASSUMPTION: about 5,000 m2 of bonded warehouse at about 1.2 cny/m2/day",
        plausible=Plausible(3000.0, 12000.0, "2,500-10,000 m2 at 1-1.5 cny/m2/day"))
    handling_cost_cny_per_item: float = param(
        3.0, unit="cny/item", low=0.0, doc="consumables per item handled (labels, repacking, storage)",
        provenance="ASSUMPTION: no published figure", plausible=Plausible(1.0, 8.0, "labels and repacking"))


@dataclass(frozen=True)
class Review:
    """Customs review of the return declaration (CEB625/626)."""

    mode: Literal["manual", "simplified"] = param(
        "manual", doc="'manual': every declaration waits for documents, then an officer; 'simplified': "
                      "consolidated declaration, most released by the system, the rest by an officer",
        provenance=_REVIEW_48_4)
    manual_lead: Distribution = param(
        Distribution("lognormal", mean=36.0, cv=0.5), unit="h",
        doc="manual: document exchange and approval before the officer's check (no officer busy)",
        provenance="ASSUMPTION: with office hours, gives about the 48 h before simplification (" + _REVIEW_48_4 + ")",
        plausible=Plausible(24.0, 48.0, "document exchange of one to two working days"))
    manual_officer_time: Distribution = param(Distribution("lognormal", mean=0.04, cv=0.5), unit="h",
                                              doc="manual: officer time per declaration", provenance=_A, plausible=Plausible(0.02, 0.1, "1-6 minutes a declaration"))
    simplified_auto_share: float = param(0.85, low=0.0, high=1.0,
                                         doc="simplified: share of returns the system clears (no officer check)",
                                         provenance=_A, plausible=Plausible(0.6, 0.95, "risk-based clearance"))
    simplified_officer_time: Distribution = param(Distribution("lognormal", mean=0.04, cv=0.5), unit="h",
                                                  doc="simplified: officer time for a return the system did not clear",
                                                  provenance=_A, plausible=Plausible(0.02, 0.1, "1-6 minutes a return"))
    filings: tuple[str, ...] = param(
        ("09:00", "11:00", "13:00", "15:00", "17:00"),
        doc="simplified: clock times a consolidated declaration of the returns received since the last is filed",
        provenance="ASSUMPTION: filings every two hours in office hours give about the 4 h review reported for "
                   "consolidated returns (" + _REVIEW_48_4 + ")", plausible=Plausible(exempt="a timetable"))
    declaration_officer_h: float = param(0.1, unit="h", low=0.0,
                                         doc="simplified: officer time per consolidated declaration",
                                         provenance=_A, plausible=Plausible(0.05, 0.5, "one list, system-checked"))


def _region(name: str, share: float, delivery: Distribution, transit: dict[str, Distribution],
            cost: dict[str, float]) -> Region:
    return Region(name, share, delivery, FrozenMapping(transit), FrozenMapping(cost))


REGIONS = (
    _region("jing_jin_ji", 0.30, _tri(10, 18, 36), {"tianjin": _tri(1, 1.5, 3)}, {"tianjin": 8.0}),
    _region("north_central", 0.25, _tri(18, 32, 56), {"tianjin": _tri(2, 3, 4), "zhengzhou": _tri(1, 1.5, 3)},
            {"tianjin": 14.0, "zhengzhou": 8.0}),
    _region("east", 0.20, _tri(30, 54, 84), {"tianjin": _tri(2, 3, 5), "hangzhou": _tri(1, 1.5, 3)},
            {"tianjin": 16.0, "hangzhou": 8.0}),
    _region("south", 0.15, _tri(54, 80, 120), {"tianjin": _tri(3, 4, 6), "guangzhou": _tri(1, 1.5, 3)},
            {"tianjin": 20.0, "guangzhou": 8.0}),
    _region("west_northeast", 0.10, _tri(60, 90, 120), {"tianjin": _tri(3, 4.5, 6), "chengdu": _tri(1.5, 3, 5)},
            {"tianjin": 20.0, "chengdu": 10.0}),
)

_OFFICER_COST = 80.0  # cny per officer-hour, see `Crew.cost_cny_per_staff_h`


def _officers(servers: int) -> Crew:
    return office_hours(servers, _OFFICER_COST)


FACILITIES = (
    Facility("tianjin", day_and_evening(4), _officers(10), day_and_evening(7), day_and_evening(3)),
    Facility("zhengzhou", day_and_evening(1), _officers(3), day_and_evening(2), day_and_evening(1),
             LineHaul(weekdays=("monday", "thursday"), transit=Distribution("lognormal", mean=14.0, cv=0.2),
                      trip_cost_yuan=3500.0), fixed_cost_cny_per_day=2000.0),
    Facility("hangzhou", day_and_evening(1), _officers(2), day_and_evening(2), day_and_evening(1),
             fixed_cost_cny_per_day=2000.0),
    Facility("guangzhou", day_and_evening(1), _officers(2), day_and_evening(1), day_and_evening(1),
             LineHaul(weekdays=("wednesday",), transit=Distribution("lognormal", mean=36.0, cv=0.2),
                      trip_cost_yuan=9000.0), fixed_cost_cny_per_day=2000.0),
    Facility("chengdu", day_and_evening(1), _officers(2), day_and_evening(1), day_and_evening(1),
             LineHaul(weekdays=("wednesday",), transit=Distribution("lognormal", mean=30.0, cv=0.2),
                      trip_cost_yuan=8000.0), fixed_cost_cny_per_day=2000.0),
)

_INBOUND = ("ASSUMPTION: no figures of other districts' bonded-import sales into Jing-Jin-Ji were found; Hangzhou's "
            "centre received 474,500 items in about two years (Hangzhou Customs via "
            "http://zhejiang.chinadaily.com.cn/2025-09/26/c_1128970.htm, accessed 2026-12-03)")


@dataclass(frozen=True)
class Inbound:
    """Returns of other districts' bonded-import orders bought by consumers near the
    origin facility, received there as a cross-district return centre (`enabled`): their
    own volume, origins and delivery; the 30/45-day windows count from the release in the
    district of origin. They compete for the facility's staff, officers and shelves."""

    enabled: bool = param(False, doc="the origin facility receives other districts' returns",
                          provenance="model switch (scenario tianjin_as_centre)")
    returns_per_day: float = param(400.0, unit="returns/d", low=0.0,
                                   doc="other districts' orders returned by consumers near the facility, per day",
                                   provenance=_INBOUND,
                                   plausible=Plausible(100.0, 1500.0, "Hangzhou's centre averaged about 650 a day"))
    origins: Mapping[str, float] = param(
        FrozenMapping({"hangzhou": 0.3, "ningbo": 0.2, "zhengzhou": 0.2, "guangzhou": 0.2, "chongqing": 0.1}),
        low=0.0, high=1.0, doc="share of the inbound returns by district of origin", provenance=_INBOUND, plausible=Plausible(exempt="a split of the inbound volume, varied through scenarios"))
    delivery: Distribution = param(_tri(30, 60, 110), unit="h", doc="delivery from the zone of origin to the consumer",
                                   provenance=_DELIVERY)
    transit: Distribution = param(_tri(1, 1.5, 3), unit="d", doc="carrier pickup to arrival at the facility",
                                  provenance=_TRANSIT, plausible=Plausible(1.0, 3.0, "within Jing-Jin-Ji"))
    parcel_cost_cny: float = param(8.0, unit="cny/parcel", low=0.0, doc="reverse express cost to the facility",
                                   provenance=_PARCEL, plausible=Plausible(6.0, 12.0, "intra-regional express tariffs"))


@dataclass(frozen=True)
class ImportParams:
    enabled: bool = param(True, doc="simulate import returns", provenance="model switch")
    mode: Literal["original_district", "cross_district"] = param(
        "original_district", doc="'original_district': every return goes to the original zone; 'cross_district': "
                                 "a region with a return centre sends its returns there",
        provenance="cross-district returns piloted in Hangzhou from September 2023: Hangzhou Customs via China Daily, http://zhejiang.chinadaily.com.cn/2025-09/26/c_1128970.htm (accessed 2026-12-03)")
    origin: str = param("tianjin", doc="facility name of the original bonded zone",
                        provenance="the model describes Tianjin (Tianjin digital-trade plan, 2025)")
    return_centres: Mapping[str, str] = param(
        FrozenMapping({"north_central": "zhengzhou", "east": "hangzhou", "south": "guangzhou",
                       "west_northeast": "chengdu"}),
        doc="region -> facility receiving its returns in cross-district mode (the lever: which regions have a centre)",
        provenance="ASSUMPTION: centres in existing pilot or large bonded zones (GACC 2021 No. 70 allows "
                   "return central warehouses in bonded zones nationwide)", plausible=Plausible(exempt="a switch that defines scenarios"))
    released_orders: str = param(
        "", doc="path of a CSV or parquet table of released orders (order_id, release_time_h[, region, value_yuan, "
                "items]) to draw returns from, e.g. a bonded-model run (relative to the working directory); "
                "empty: the standalone order stream",
        provenance="model switch (see docs/returns.md, chaining)")
    orders_per_day: float = param(55000.0, unit="orders/d", low=0.0, doc="released orders per day (standalone stream)",
                                  provenance="Tianjin CBEC import orders about 19 M in 2018, over 20 M by mid-October 2019 (press reports; address "
                                             "to be added): 52-69 k/day")
    order_multipliers: Mapping[str, float] = param(
        FrozenMapping({}), low=0.0, doc="released orders multiplier by day type (e.g. peak = 2.5)",
        provenance="Double-11 single-day peak over 138,000 Tianjin orders (press report; address to be added), "
                   "about 2.5 x the daily mean")
    return_rate: float = param(0.03, low=0.0, high=1.0, doc="share of released orders returned",
                               provenance="ASSUMPTION: 3% of 1210 orders, range 1-8% (no published 1210 return rate)", plausible=Plausible(0.01, 0.08, "CBEC return rates: 1-8%, higher after promotions"))
    return_rates: Mapping[str, float] = param(
        FrozenMapping({}), low=0.0, high=1.0, doc="return rate by day type of the release day (overrides return_rate)",
        provenance="ASSUMPTION: higher after promotions", plausible=Plausible(exempt="set per scenario for promotion days"))
    history_days: float = param(
        50.0, unit="d", low=0.0, doc="orders released this long before t = 0 are drawn too, so that returns "
                                     "decided before the start are already on their way",
        provenance="model choice: covers delivery (<= 5 d) + the 30-day decision cap + most hand-overs")
    items_mean: float = param(1.26, unit="items/return", low=1.0, doc="items per return (1 + Poisson)",
                              provenance="Hangzhou pilot: 474,500 items / 377,300 declarations (Hangzhou Customs via China Daily, http://zhejiang.chinadaily.com.cn/2025-09/26/c_1128970.htm (accessed 2026-12-03))")
    item_value: Distribution = param(Distribution("lognormal", mean=290.0, cv=1.2), unit="yuan/item",
                                     doc="value of a returned item",
                                     provenance="Hangzhou pilot: 138 M cny / 474,500 items (Hangzhou Customs via China Daily, http://zhejiang.chinadaily.com.cn/2025-09/26/c_1128970.htm (accessed 2026-12-03)); cv ASSUMPTION", plausible=Plausible(200.0, 400.0, "Hangzhou pilot mean 290 cny per item"))
    decision: Distribution = param(
        Distribution("lognormal", mean=6.904, cv=0.952), unit="d", doc="delivery to return application",
        provenance="ASSUMPTION: lognormal, median 5 days, p90 14 days (7-day no-reason returns, longer disputes)", plausible=Plausible(4.0, 10.0, "7-day no-reason returns, longer for disputes"))
    decision_cap_days: float = param(30.0, unit="d", low=0.0,
                                     doc="longer decisions are capped (the platform's return window)",
                                     provenance="ASSUMPTION: capped at 30 days", plausible=Plausible(exempt="the platform return window bound, not varied"))
    handover: Distribution = param(Distribution("lognormal", mean=1.0, cv=0.8), unit="d",
                                   doc="application to hand-over to the carrier", provenance=_A,
                                   plausible=Plausible(0.5, 2.0, "consumers post within a day or two"))
    pickup_times: tuple[str, ...] = param(
        ("18:00",), doc="daily clock times the carrier collects handed-over parcels (one collection round: a parcel "
                        "handed over after it waits for the next day's)",
        provenance="ASSUMPTION: express outlets dispatch collected parcels once a day in the evening",
        plausible=Plausible(exempt="a timetable"))
    tax_rate: float = param(
        0.091, low=0.0, high=1.0, doc="composite tax rate of CBEC retail imports (lost with the tax-free status)",
        provenance="MOF/GACC/STA 2018 No. 49: 0% tariff, VAT and consumption tax at 70% within the limits (13% VAT "
                   "-> 9.1%); https://www.gov.cn/xinwen/2018-11/30/content_5344833.htm (accessed 2026-12-03)")
    staged_facilities: tuple[str, ...] = param(
        ("tianjin",), doc="facilities whose returns pass an out-of-zone return warehouse and a consolidated re-entry "
                          "(`Facility.staging`); the others have an in-zone return warehouse",
        provenance="ASSUMPTION for Tianjin before the pilot, as in Chengdu before its return centre warehouse (" + _CHENGDU
                   + "); centres set up under GACC 2021 No. 70 are in-zone",
        plausible=Plausible(exempt="a switch that defines scenarios"))
    inbound: Inbound = param(Inbound(), doc="other districts' returns received at the origin facility",
                             provenance="see the fields")
    regions: tuple[Region, ...] = param(REGIONS, doc="consumer regions", provenance="see the Region fields")
    facilities: tuple[Facility, ...] = param(FACILITIES, doc="return facilities (the original zone and centres)",
                                             provenance="see the Facility fields")
    receipt_time: Distribution = param(Distribution("lognormal", mean=0.025, cv=0.5), unit="h",
                                       doc="receiving one returned parcel", provenance=_A, plausible=Plausible(0.015, 0.05, "1-3 minutes a parcel"))
    review: Review = param(Review(), doc="customs review of the return declaration", provenance="see the fields")
    inspection_time_per_item: Distribution = param(Distribution("lognormal", mean=0.04, cv=0.6), unit="h",
                                                   doc="inspecting one returned item", provenance=_A, plausible=Plausible(0.02, 0.08, "1-5 minutes an item"))
    damage_rate: float = param(0.10, low=0.0, high=1.0, doc="share of returns found not sellable",
                               provenance="ASSUMPTION (defective goods are destroyed or re-exported: Hangzhou Customs via China Daily, http://zhejiang.chinadaily.com.cn/2025-09/26/c_1128970.htm (accessed 2026-12-03))", plausible=Plausible(0.05, 0.2, "defective or used goods"))
    reexport_share: float = param(0.3, low=0.0, high=1.0,
                                  doc="share of damaged returns re-exported (the rest destroyed)",
                                  provenance=_A, plausible=Plausible(0.1, 0.5, "re-export pays for higher-value goods only"))
    reshelving_time_per_item: Distribution = param(Distribution("lognormal", mean=0.02, cv=0.5), unit="h",
                                                   doc="re-shelving one sellable item", provenance=_A, plausible=Plausible(0.01, 0.04, "1-2 minutes an item"))
    refund_lag: Distribution = param(Distribution("lognormal", mean=12.0, cv=1.0), unit="h",
                                     doc="inspection to the platform's refund", provenance=_A, plausible=Plausible(6.0, 72.0, "same day to three days after inspection"))
    disposal_time: Distribution = param(_uniform(2.0, 10.0), unit="d",
                                        doc="hand-over for destruction or re-export to its completion", provenance=_A, plausible=Plausible(3.0, 10.0, "days to a destruction or re-export batch"))
