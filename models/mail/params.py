"""Parameters of the international mail exchange office model.

Every default carries its unit, range and provenance: a source from the domain brief
(`domain.md` §3) or the word ASSUMPTION for a modelling value without a source, which
scenarios and sensitivity runs are expected to vary. Times of handling steps are in
minutes or seconds (as they are measured), waits and delays in hours, rates per hour.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from models.mail.schedules import Window
from sim.calendar import Changeover, Shift, changeover_param
from sim.distributions import Distribution
from sim.frozen import FrozenMapping
from sim.parameters import param

DOMAIN = "domain.md §3"
ASSUME = "ASSUMPTION"
INPUT = "scenario input"
WORKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday")


@dataclass(frozen=True)
class Volume:
    annual_items: float = param(412_800.0, unit="items/year", low=0.0, low_open=True,
                                provenance=f"{DOMAIN}: Tianjin office 2024, items in + out (H)",
                                doc="items handled in a year, inbound plus outbound, before growth")
    inbound_share: float = param(0.6, unit="share", low=0.0, high=1.0,
                                 provenance=f"{ASSUME}: no published in/out split for Tianjin",
                                 doc="share of the annual items that are inbound")
    growth: float = param(1.0, unit="factor", low=0.0, low_open=True, provenance=f"{INPUT} (lever)",
                          doc="multiplies every volume (3.0 = three times the 2024 volume)")
    month_factors: tuple[float, ...] = param(
        (1.05, 0.70, 0.95, 0.95, 0.95, 1.05, 0.95, 0.95, 1.0, 1.0, 1.30, 1.15), unit="factor", low=0.0,
        provenance=f"{ASSUME}: Spring Festival trough in February; 618 (June), Double 11 and Christmas peaks",
        doc="relative daily volume of each month, January first; rescaled so that a year averages the annual volume")
    day_type_factors: FrozenMapping[str, float] = param(
        FrozenMapping({}), unit="factor", low=0.0, provenance=f"{INPUT} (lever)",
        doc="extra volume factor on days of a type of the run calendar (e.g. peak = 1.8)")


@dataclass(frozen=True)
class Transport:
    """A scheduled inbound transport bringing receptacles of mail."""

    name: str = param(doc="transport name (also names its random streams)", provenance=INPUT)
    mode: Literal["air", "sea", "rail", "truck"] = param(doc="transport mode", provenance=INPUT)
    share: float = param(low=0.0, high=1.0, unit="share", doc="share of inbound items it brings", provenance=INPUT)
    times: tuple[str, ...] = param(doc="arrival clock times, HH:MM", provenance=INPUT)
    days: tuple[str, ...] = param((), doc="days it runs: weekday names or day types (empty: every day)",
                                  provenance=INPUT)
    receptacle_items: Distribution = param(
        Distribution("uniform", low=20.0, high=60.0), unit="items",
        provenance=f"{DOMAIN}: 20-60 items per receptacle ({ASSUME})", doc="items in one receptacle (rounded)")


DEFAULT_TRANSPORTS = (
    Transport("flight_early", "air", 0.35, ("02:30",)),
    Transport("flight_afternoon", "air", 0.30, ("13:50",)),
    Transport("gateway_trucks", "truck", 0.25, ("21:00",)),
    Transport("sea_container", "sea", 0.10, ("09:00",), ("wednesday",)),
)


@dataclass(frozen=True)
class Inbound:
    transports: tuple[Transport, ...] = param(
        DEFAULT_TRANSPORTS, provenance=f"{ASSUME}: daily flights, trucks from other gateways, a weekly sea-mail "
                                       f"container ({DOMAIN}: Tianjin is a sea-mail port)",
        doc="inbound transport timetables; shares sum to 1")
    opening_min: Distribution = param(Distribution("triangular", low=2.0, mode=3.0, high=5.0), unit="min",
                                      provenance=f"{DOMAIN}: 2-5 min to open a receptacle ({ASSUME})",
                                      doc="unloading and opening one receptacle")
    scan_s: float = param(4.0, unit="s", low=0.0, provenance=ASSUME,
                          doc="item scan (EMD) per item, by the person who opened the receptacle")
    postal_staff: tuple[Shift, ...] = param(
        (Shift("06:00", "14:00", 3), Shift("14:00", "22:00", 3), Shift("22:00", "06:00", 2)), provenance=ASSUME,
        doc="postal staff unloading, opening and scanning receptacles")
    postal_staff_changeover: Changeover = changeover_param("crew", "postal staff")
    data_capture_min: Distribution = param(Distribution("triangular", low=1.0, mode=1.5, high=3.0), unit="min",
                                           provenance=ASSUME,
                                           doc="keying the customs declaration of an item that came without EAD")
    data_clerks: tuple[Shift, ...] = param((Shift("08:00", "17:00", 2),), provenance=ASSUME,
                                           doc="postal clerks keying declarations of items without EAD")
    data_clerks_changeover: Changeover = changeover_param("crew", "data clerk")
    xray_lines: int = param(1, unit="lines", low=1, provenance=f"{ASSUME} (lever)",
                            doc="X-ray machines on the inbound sorting line; they run while customs officers are on duty")
    xray_shifts: tuple[Shift, ...] = param((), provenance=f"{INPUT} (lever)",
                                           doc="inbound X-ray lines in operation by shift (servers = lines), "
                                               "replacing xray_lines (empty: xray_lines while officers are on duty)")
    xray_shifts_changeover: Changeover = changeover_param("capacity", "X-ray line")
    xray_rate_per_h: float = param(3000.0, unit="items/h", low=0.0, low_open=True,
                                   provenance=f"{DOMAIN}: X-ray line 2-6 k items/h ({ASSUME})",
                                   doc="items one X-ray line passes per hour")
    rehandling_h: Distribution = param(Distribution("triangular", low=0.25, mode=0.5, high=1.0), unit="h",
                                       provenance=ASSUME,
                                       doc="moving a released item from the hold area back to the dispatch bay")


@dataclass(frozen=True)
class Judgement:
    """Image judgement of X-ray images, by officers or assisted by AI."""

    image_s: Distribution = param(Distribution("gamma", mean=5.0, cv=0.5), unit="s", provenance=ASSUME,
                                  doc="officer time to judge one X-ray image")
    anomaly_share: float = param(0.01, unit="share", low=0.0, high=1.0, provenance=ASSUME,
                                 doc="share of items whose image shows something needing a manual opening")
    false_positive_rate: float = param(0.03, unit="share", low=0.0, high=1.0, provenance=ASSUME,
                                       doc="share of clean images an officer flags for inspection")
    ai: bool = param(False, provenance=f"{INPUT} (lever)", doc="AI-assisted image judgement in use")
    ai_time_factor: float = param(0.3, unit="factor", low=0.0, provenance=ASSUME,
                                  doc="officer time per image with AI assistance, relative to without")
    ai_false_positive_rate: float = param(0.02, unit="share", low=0.0, high=1.0, provenance=ASSUME,
                                          doc="share of clean images flagged with AI assistance")


@dataclass(frozen=True)
class Customs:
    officers: tuple[Shift, ...] = param((Shift("08:30", "17:30", 8),), provenance=f"{ASSUME} (lever)",
                                        doc="customs officers on duty: they judge images, review items without "
                                            "EAD, open held items and check documents (one pool, image "
                                            "judgement first)")
    officers_changeover: Changeover = changeover_param("crew", "officer")
    judgement: Judgement = param(Judgement(), doc="image judgement", provenance=ASSUME)
    ead_coverage: float = param(0.85, unit="share", low=0.0, high=1.0,
                                provenance=f"{DOMAIN}: EAD present for 70-95% of items ({ASSUME})",
                                doc="share of inbound items with electronic advance data (ITMATT)")
    inspection_rate: float = param(0.03, unit="share", low=0.0, high=1.0, provenance=ASSUME,
                                   doc="share of items with EAD that risk targeting holds for inspection")
    documents_rate: float = param(0.01, unit="share", low=0.0, high=1.0, provenance=ASSUME,
                                  doc="share of items with EAD held for documents (invoice, identity)")
    no_ead_hold_multiplier: float = param(2.5, unit="factor", low=1.0,
                                          provenance=f"{DOMAIN}: items without EAD held 2-3x as often ({ASSUME})",
                                          doc="inspection and documents hold rates of items without EAD, relative")
    review_min: Distribution = param(Distribution("triangular", low=0.5, mode=1.0, high=2.0), unit="min",
                                     provenance=ASSUME, doc="officer risk review of an item without EAD")
    pre_arrival_clearance: bool = param(False, provenance=f"{INPUT} (lever)",
                                        doc="items with EAD are assessed before arrival: duty and document "
                                            "notices go out `ead_lead_h` before the item arrives")
    ead_lead_h: float = param(12.0, unit="h", low=0.0, provenance=ASSUME,
                              doc="how long before arrival the EAD reaches customs")
    inspection_min: Distribution = param(Distribution("triangular", low=5.0, mode=12.0, high=30.0), unit="min",
                                         provenance=ASSUME, doc="manual opening and inspection of a held item")
    seizure_share: float = param(0.05, unit="share", low=0.0, high=1.0, provenance=ASSUME,
                                 doc="share of inspected items seized (leave the flow)")
    documents_delay_h: Distribution = param(Distribution("lognormal", mean=48.0, cv=1.0), unit="h",
                                            provenance=ASSUME, doc="addressee providing requested documents")
    documents_check_min: Distribution = param(Distribution("triangular", low=3.0, mode=5.0, high=10.0),
                                              unit="min", provenance=ASSUME, doc="officer checking the documents")
    release_instructions: Literal["24h", "working_hours"] = param(
        "24h", provenance=f"{DOMAIN}: release instructions 24 hours a day since 2022-08-19 (H)",
        doc="whether release instructions of held items are issued around the clock or in working hours")
    working_hours: tuple[Window, ...] = param((Window("08:30", "17:30", WORKDAYS),), provenance=ASSUME,
                                              doc="customs working hours (used when release_instructions = "
                                                  "working_hours)")


@dataclass(frozen=True)
class Duty:
    dutiable_share: float = param(0.04, unit="share", low=0.0, high=1.0,
                                  provenance=f"{ASSUME}: tax above the 50-yuan exemption ({DOMAIN}, H)",
                                  doc="share of inbound items owing duty")
    payment: Literal["app", "counter"] = param("app", provenance=f"{DOMAIN}: app payment since 2022-08-19 (H)",
                                               doc="how addressees pay (lever)")
    app_delay_h: Distribution = param(Distribution("lognormal", mean=24.0, cv=1.0), unit="h",
                                      provenance=f"{DOMAIN}: app era, mean about 1 day, same day possible ({ASSUME})",
                                      doc="notice to payment, paying in the app")
    counter_delay_h: Distribution = param(Distribution("lognormal", mean=96.0, cv=0.6), unit="h",
                                          provenance=f"{DOMAIN}: counter era, mean 3-5 days ({ASSUME})",
                                          doc="notice to payment, paying at a counter (then moved into counter hours)")
    counter_hours: tuple[Window, ...] = param((Window("08:30", "17:00"),), provenance=ASSUME,
                                              doc="opening hours of the payment counter")
    never_pay_share: float = param(0.05, unit="share", low=0.0, high=1.0,
                                   provenance=f"{DOMAIN}: about 5% never pay ({ASSUME})",
                                   doc="share of dutiable items whose addressee never pays")
    retention_days: float = param(30.0, unit="d", low=0.0, low_open=True, provenance=ASSUME,
                                  doc="retention period before an unpaid item is returned to sender")


@dataclass(frozen=True)
class Dispatch:
    """Trucks to the domestic network (EMF)."""

    times: tuple[str, ...] = param(("07:00", "18:00"), provenance=f"{ASSUME}: calibrated so that items not held take 12-24 h from EMD to EMF at the median ({DOMAIN})", doc="truck departure clock times, HH:MM")
    days: tuple[str, ...] = param((), provenance=ASSUME, doc="days trucks run (empty: every day)")
    cutoff_h: float = param(0.5, unit="h", low=0.0, provenance=ASSUME,
                            doc="an item must reach the dispatch bay this long before a departure")
    truck_capacity_items: int | None = param(None, unit="items", low=1, provenance=ASSUME,
                                             doc="a full truck leaves at once (none: no limit)")


@dataclass(frozen=True)
class Route:
    """An outbound destination with its departures (EMC)."""

    name: str = param(doc="route name", provenance=INPUT)
    mode: Literal["air", "sea"] = param(doc="transport mode", provenance=INPUT)
    share: float = param(low=0.0, high=1.0, unit="share", doc="share of outbound items", provenance=INPUT)
    times: tuple[str, ...] = param(doc="departure clock times, HH:MM", provenance=INPUT)
    days: tuple[str, ...] = param((), doc="days it departs: weekday names or day types (empty: every day)",
                                  provenance=INPUT)
    cutoff_h: float = param(3.0, unit="h", low=0.0, provenance=ASSUME,
                            doc="receptacles must be closed this long before departure")
    receptacle_items: int = param(40, unit="items", low=1, provenance=f"{DOMAIN}: 20-60 items per receptacle",
                                  doc="a receptacle is closed when it holds this many items")


DEFAULT_ROUTES = (
    Route("air_japan_korea", "air", 0.35, ("11:30",)),
    Route("air_north_america", "air", 0.20, ("01:30",), ("monday", "wednesday", "friday")),
    Route("air_europe", "air", 0.15, ("23:50",), ("tuesday", "thursday", "saturday")),
    Route("air_other", "air", 0.10, ("16:00",)),
    Route("sea_japan_korea", "sea", 0.08, ("18:00",), ("friday",), 24.0, 60),
    Route("sea_north_america", "sea", 0.07, ("18:00",), ("tuesday",), 48.0, 60),
    Route("sea_europe", "sea", 0.05, ("18:00",), ("wednesday",), 48.0, 60),
)


@dataclass(frozen=True)
class Outbound:
    hourly_profile: tuple[float, ...] = param(
        (0, 0, 0, 0, 0, 0, 1, 2, 4, 6, 6, 4, 3, 3, 4, 6, 6, 4, 2, 1, 1, 0, 0, 0), unit="weight", low=0.0,
        provenance=f"{ASSUME}: domestic trucks arrive by day", doc="relative arrivals from the domestic network per hour")
    acceptance_s: Distribution = param(Distribution("gamma", mean=6.0, cv=0.5), unit="s", provenance=ASSUME,
                                       doc="scanning an outbound item and presenting it to export customs (EXA)")
    acceptance_staff: tuple[Shift, ...] = param((Shift("08:00", "20:00", 2),), provenance=ASSUME,
                                                doc="postal staff accepting outbound items")
    acceptance_staff_changeover: Changeover = changeover_param("crew", "acceptance staff")
    xray_lines: int = param(1, unit="lines", low=1, provenance=ASSUME,
                            doc="X-ray machines for outbound items; they run while customs officers are on duty")
    xray_shifts: tuple[Shift, ...] = param((), provenance=f"{INPUT} (lever)",
                                           doc="outbound X-ray lines in operation by shift (servers = lines), "
                                               "replacing xray_lines (empty: xray_lines while officers are on duty)")
    xray_shifts_changeover: Changeover = changeover_param("capacity", "X-ray line")
    xray_rate_per_h: float = param(3000.0, unit="items/h", low=0.0, low_open=True,
                                   provenance=f"{DOMAIN}: 2-6 k items/h; Zhengzhou about 5.9 k/h ({ASSUME})",
                                   doc="items one outbound X-ray line passes per hour")
    hold_rate: float = param(0.02, unit="share", low=0.0, high=1.0, provenance=ASSUME,
                             doc="share of outbound items export customs holds (EXB)")
    inspection_min: Distribution = param(Distribution("triangular", low=5.0, mode=10.0, high=20.0), unit="min",
                                         provenance=ASSUME, doc="inspection of a held outbound item")
    refusal_share: float = param(0.1, unit="share", low=0.0, high=1.0, provenance=ASSUME,
                                 doc="share of held outbound items refused export (returned to the sender)")
    routes: tuple[Route, ...] = param(
        DEFAULT_ROUTES, provenance=f"{ASSUME}: timetables; sea-mail routes to Japan, Korea, Canada, Rotterdam "
                                   f"and Newark from {DOMAIN} (H)",
        doc="destinations with departure timetables; shares sum to 1")


@dataclass(frozen=True)
class Params:
    volume: Volume = param(Volume(), doc="volumes", provenance=DOMAIN)
    inbound: Inbound = param(Inbound(), doc="inbound handling", provenance=ASSUME)
    customs: Customs = param(Customs(), doc="customs", provenance=ASSUME)
    duty: Duty = param(Duty(), doc="duty payment", provenance=ASSUME)
    dispatch: Dispatch = param(Dispatch(), doc="dispatch to the domestic network", provenance=ASSUME)
    outbound: Outbound = param(Outbound(), doc="outbound handling", provenance=ASSUME)
