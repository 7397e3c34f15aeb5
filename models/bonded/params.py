"""Parameters of the bonded-zone retail import (1210) model, with units and provenance.

Times are in hours (the simulation clock); a comment or the `doc` gives minutes or
seconds where that is the natural unit. Sources are sections of the domain brief
(`domain.md`, with its confidence grade H/M/L); ASSUMPTION marks a modelling value with no
source, which scenarios and sensitivity runs are meant to vary.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

from sim.calendar import Changeover, Shift, changeover_param, clock_hours
from sim.distributions import Distribution
from sim.parameters import ParameterError, param

MINUTE = 1.0 / 60.0
SECOND = 1.0 / 3600.0

_VOLUME = "domain.md §1: Tianjin CBEC import orders ≈ 19 M (2018), > 20 M by mid-October 2019, ≈ 52–69 k/day (H)"
_PEAK = "domain.md §1: Double-11 single-day peak > 138,000 orders (M) = 2.3 × the 60,000-order normal day"
_MATCH = ("ASSUMPTION calibrated to domain.md §1: three-document match + auto-release median 1–2 min, "
          "p95 10–15 min (suggested)")
_MIN_LOAD = ("ASSUMPTION: carriers skip a scheduled pickup with too little cargo (a truck runs at least about "
             "25–40% full), within a maximum wait as service-level bound")
_DELIVERY = "domain.md §1: 1–2 days from Tianjin to northern and central China (2019, H), 3–5 days nationally (H)"


def _lognormal(mean: float, cv: float) -> Distribution:
    return Distribution("lognormal", mean=mean, cv=cv)


def _shifts(*crews: tuple[str, str, int]) -> tuple[Shift, ...]:
    return tuple(Shift(start, end, servers) for start, end, servers in crews)


@dataclass(frozen=True)
class Region:
    """A destination region: its share of orders and the time from leaving the zone (or
    the outside warehouse) to delivery, line-haul and last mile together."""

    name: str = param(doc="region name", provenance="scenario input")
    share: float = param(low=0.0, high=1.0, doc="share of orders going to the region", provenance="scenario input")
    delivery: Distribution = param(unit="h", doc="time from leaving the zone to delivery", provenance="scenario input")


def _region(name: str, share: float, low: float, mode: float, high: float) -> Region:
    return Region(name, share, Distribution("triangular", low=low, mode=mode, high=high))


@dataclass(frozen=True)
class Policy:
    same_parcel: bool = param(False, doc="同包: domestic goods held in the zone are packed into the bonded parcel",
                              provenance="policy lever (Tianjin digital-trade plan, July 2025; domain.md §1)")
    same_truck: bool = param(False, doc="同车: bonded parcels and domestic cargo share trucks and one gate passage",
                             provenance="policy lever (Tianjin digital-trade plan, July 2025; domain.md §1)")


@dataclass(frozen=True)
class Orders:
    daily_volume: float = param(60_000.0, unit="orders/day", low=0.0, low_open=True,
                                doc="orders paid on a normal day", provenance=_VOLUME)
    hourly_profile: tuple[float, ...] = param(
        (3.5, 2.0, 1.0, 0.6, 0.4, 0.4, 0.7, 1.5, 2.8, 4.0, 5.0, 5.0,
         4.8, 5.0, 5.0, 5.0, 4.8, 4.6, 4.8, 5.6, 7.0, 7.8, 7.2, 5.5),
        unit="weight", low=0.0,
        doc="relative payment rate in each clock hour 00–23 (normalised to the daily volume)",
        provenance="ASSUMPTION: Chinese online retail payment pattern, night trough, evening peak 20:00–23:00")
    day_multipliers: Mapping[str, float] = param(
        MappingProxyType({"normal": 1.0, "promotion": 1.3, "peak": 2.3}), unit="×", low=0.0,
        doc="daily volume multiplier per day type (day types come from the run calendar; others count as 1)",
        provenance=f"peak: {_PEAK}; promotion: ASSUMPTION (days of the promotion season around the peak)")
    kickoff_day_types: tuple[str, ...] = param(
        ("peak",), doc="day types on which a promotion starts at midnight (their first hours carry a surge)",
        provenance="ASSUMPTION: Double-11 sales open at 00:00 on 11 November")
    kickoff_hours: int = param(2, unit="h", low=0, high=24, doc="length of the opening surge of a promotion day",
                               provenance="ASSUMPTION")
    kickoff_multiplier: float = param(4.0, unit="×", low=1.0,
                                      doc="weight of the opening hours relative to the ordinary hourly profile "
                                          "(the day's total stays daily volume × day multiplier)",
                                      provenance="ASSUMPTION")
    mixed_share: float = param(0.2, low=0.0, high=1.0,
                               doc="share of orders whose basket also holds domestic (non-bonded) goods",
                               provenance="domain.md §1: mixed-basket share ASSUMPTION 10–30%")
    bonded_items: Distribution = param(Distribution("empirical", values=(1, 1, 1, 1, 2, 2, 2, 3, 4)), unit="items",
                                       doc="bonded items in a basket (rounded, at least 1)",
                                       provenance="ASSUMPTION")
    domestic_items: Distribution = param(Distribution("empirical", values=(1, 1, 2)), unit="items",
                                         doc="domestic items in a mixed basket (rounded, at least 1)",
                                         provenance="ASSUMPTION")
    regions: tuple[Region, ...] = param(
        (_region("jing_jin_ji", 0.30, 10.0, 18.0, 36.0),
         _region("north_central", 0.25, 18.0, 32.0, 56.0),
         _region("east", 0.20, 30.0, 54.0, 84.0),
         _region("south", 0.15, 54.0, 80.0, 120.0),
         _region("west_northeast", 0.10, 60.0, 90.0, 120.0)),
        doc="destination regions: name, share of orders, delivery time (triangular low/mode/high, h)",
        provenance=f"{_DELIVERY}; shares ASSUMPTION")


@dataclass(frozen=True)
class Documents:
    order_latency: Distribution = param(_lognormal(0.3 * MINUTE, 1.5), unit="h",
                                        doc="payment to the order message (CEB311) at customs", provenance=_MATCH)
    payment_latency: Distribution = param(_lognormal(0.5 * MINUTE, 2.0), unit="h",
                                          doc="payment to the payment message (CEB411) at customs", provenance=_MATCH)
    waybill_latency: Distribution = param(_lognormal(2.5 * MINUTE, 5.0), unit="h",
                                          doc="payment to the waybill message (CEB511) at customs", provenance=_MATCH)
    mismatch_share: float = param(0.01, low=0.0, high=1.0,
                                  doc="share of orders whose three documents do not match and need a correction",
                                  provenance="ASSUMPTION")
    correction_time: Distribution = param(_lognormal(1.5, 1.0), unit="h",
                                          doc="time to correct and re-send a mismatched document",
                                          provenance="ASSUMPTION")
    filing_time: Distribution = param(_lognormal(0.5 * MINUTE, 2.0), unit="h",
                                      doc="documents matched to declaration list (CEB621) filed", provenance=_MATCH)


@dataclass(frozen=True)
class Customs:
    screening_time: Distribution = param(
        _lognormal(0.3 * MINUTE, 1.5), unit="h", doc="automatic risk screening of a filed list",
        provenance="domain.md §1: receipt to release within 10 min (Hangzhou, H), < 1 min (Guangzhou, H)")
    yellow_share: float = param(0.02, low=0.0, high=1.0, doc="share of lists sent to document review (yellow)",
                                provenance="domain.md §1: manual review 1–3% of lists (ASSUMPTION)")
    red_share: float = param(0.003, low=0.0, high=1.0,
                             doc="share of lists held for physical inspection of the goods (red)",
                             provenance="ASSUMPTION")
    review_time: Distribution = param(_lognormal(4.0 * MINUTE, 0.6), unit="h",
                                      doc="officer time to review one list's documents", provenance="ASSUMPTION")
    inspection_time: Distribution = param(
        _lognormal(15.0 * MINUTE, 0.5), unit="h",
        doc="officer time to inspect a red list's goods at the warehouse inspection area before release",
        provenance="ASSUMPTION")
    xray_share: float = param(0.055, low=0.0, high=1.0,
                              doc="inspection rate: share of bonded parcels selected for X-ray on the sorting line",
                              provenance="domain.md §1: 5.5% in two process write-ups (L–M), lever 2–10%")
    suspicious_share: float = param(0.03, low=0.0, high=1.0,
                                    doc="share of X-ray images judged suspicious (parcel unpacked)",
                                    provenance="ASSUMPTION")
    judgement_time: Distribution = param(_lognormal(12.0 * SECOND, 0.5), unit="h",
                                         doc="officer time to judge one X-ray image", provenance="ASSUMPTION")
    unpacking_time: Distribution = param(_lognormal(10.0 * MINUTE, 0.5), unit="h",
                                         doc="officer time to unpack, check and re-seal a suspicious parcel",
                                         provenance="ASSUMPTION")
    seizure_share: float = param(0.05, low=0.0, high=1.0,
                                 doc="share of physically checked orders (red inspection or unpacking) found "
                                     "non-compliant and seized",
                                 provenance="ASSUMPTION")
    officer_discipline: Literal["priority", "fifo"] = param(
        "priority", doc="officer queue: priority = image judgement, then unpacking, then red inspection, then "
                        "document review; fifo = one queue in arrival order",
        provenance="ASSUMPTION: work on the sorting line goes first")
    officers: tuple[Shift, ...] = param(_shifts(("08:00", "16:00", 10), ("16:00", "24:00", 12), ("00:00", "08:00", 4)),
                                        doc="officer shift calendar (one pool for review, X-ray images, "
                                            "unpacking, inspection)",
                                        provenance="domain.md §1: 7×24 clearance (H); crew sizes ASSUMPTION")
    officers_changeover: Changeover = changeover_param("crew", "officer")


@dataclass(frozen=True)
class Warehouse:
    pick_time_per_item: Distribution = param(
        _lognormal(0.6 * MINUTE, 0.5), unit="h", doc="picker time per item (an order's draw × its items)",
        provenance="ASSUMPTION; scale: automated Dongjiang warehouse 54,000 orders per 24 h (domain.md §1, M)")
    pack_time: Distribution = param(_lognormal(0.75 * MINUTE, 0.4), unit="h", doc="pack-station time per parcel",
                                    provenance="ASSUMPTION")
    mixed_pack_factor: float = param(1.3, unit="×", low=1.0,
                                     doc="pack time of a mixed (bonded + domestic) parcel relative to a plain one",
                                     provenance="ASSUMPTION (lever)")
    mixed_xray_factor: float = param(1.5, unit="×", low=1.0,
                                     doc="image judgement and unpacking time of a mixed parcel relative to a plain "
                                         "one (bonded lines told from domestic lines)",
                                     provenance="domain.md §1: inspection of mixed parcels may take longer; "
                                                "value ASSUMPTION (lever)")
    pickers: tuple[Shift, ...] = param(_shifts(("07:00", "15:00", 95), ("15:00", "23:00", 95)),
                                       doc="picker shift calendar", provenance="ASSUMPTION: two shifts")
    pickers_changeover: Changeover = changeover_param("crew", "picker")
    pack_stations: tuple[Shift, ...] = param(_shifts(("07:00", "15:00", 65), ("15:00", "23:00", 65)),
                                             doc="staffed pack stations by shift", provenance="ASSUMPTION: two shifts")
    pack_stations_changeover: Changeover = changeover_param("capacity", "pack-station")
    xray_lines: tuple[Shift, ...] = param(_shifts(("07:00", "23:00", 2)),
                                          doc="X-ray lines running on the sorting line",
                                          provenance="ASSUMPTION: runs with the sorting line")
    xray_lines_changeover: Changeover = changeover_param("capacity", "X-ray line")
    xray_throughput: float = param(800.0, unit="parcels/h", low=0.0, low_open=True,
                                   doc="parcels one X-ray line scans per hour", provenance="ASSUMPTION")


@dataclass(frozen=True)
class Domestic:
    outside_fulfilment_time: Distribution = param(
        _lognormal(6.0, 0.5), unit="h",
        doc="order paid to domestic parcel ready for its truck at the warehouse outside the zone",
        provenance="ASSUMPTION")
    outside_departures: tuple[str, ...] = param(("12:00", "20:00"),
                                                doc="scheduled truck departures per route from the outside "
                                                    "warehouse, local clock (capacity and cut-off as for zone "
                                                    "trucks)",
                                                provenance="ASSUMPTION: a domestic warehouse with two carrier "
                                                           "line-hauls a day")
    outside_min_load: float = param(0.3, unit="share of capacity", low=0.0, high=1.0,
                                    doc="a scheduled outside truck runs only with at least this share of its "
                                        "capacity loaded; otherwise its parcels wait for the next departure "
                                        "(0: every departure with a parcel runs)",
                                    provenance=_MIN_LOAD)
    outside_max_wait: float = param(24.0, unit="h", low=0.0, low_open=True,
                                    doc="an outside truck leaves at the latest this long after its first parcel, "
                                        "whatever its load",
                                    provenance="ASSUMPTION: domestic parcels leave the outside warehouse within a "
                                               "day")
    stockout_share: float = param(0.05, low=0.0, high=1.0,
                                  doc="share of mixed baskets whose domestic goods are out of stock in the zone "
                                      "(they ship from outside, as in the baseline)",
                                  provenance="ASSUMPTION (lever)")
    replenishment_interval: float = param(24.0, unit="h", low=1.0,
                                          doc="time between replenishments of the zone's domestic stock",
                                          provenance="ASSUMPTION")
    replenishment_start: str = param("05:00", doc="clock time of the first replenishment of a run",
                                     provenance="ASSUMPTION")
    replenishment_truck_items: int = param(20_000, unit="items", low=1,
                                           doc="domestic items one replenishment truck brings into the zone",
                                           provenance="ASSUMPTION")

    def __post_init__(self) -> None:
        for text in (self.replenishment_start, *self.outside_departures):
            clock_hours(text)


@dataclass(frozen=True)
class Trucks:
    capacity: int = param(4_000, unit="parcels", low=1, doc="parcels a truck carries",
                          provenance="domain.md §1: 9.6 m box 3,000–5,000 parcels (ASSUMPTION)")
    departures: tuple[str, ...] = param(("10:00", "13:00", "16:00", "19:00", "22:00", "23:30"),
                                        doc="scheduled departures per route, local clock",
                                        provenance="ASSUMPTION")
    cutoff: float = param(0.5, unit="h", low=0.0, doc="loading closes this long before a scheduled departure",
                          provenance="ASSUMPTION")
    max_wait: float = param(12.0, unit="h", low=0.0, low_open=True,
                            doc="a truck leaves at the latest this long after its first parcel, whatever its load",
                            provenance="ASSUMPTION")
    min_load: float = param(0.3, unit="share of capacity", low=0.0, high=1.0,
                            doc="a scheduled zone truck runs only with at least this share of its capacity loaded; "
                                "otherwise its parcels wait for the next departure (0: every departure with a "
                                "parcel runs)",
                            provenance=_MIN_LOAD)

    def __post_init__(self) -> None:
        for text in self.departures:
            clock_hours(text)


@dataclass(frozen=True)
class Gate:
    lanes: tuple[Shift, ...] = param(_shifts(("00:00", "24:00", 4)), doc="second-line gate lanes open",
                                     provenance="domain.md §1: automatic barrier, 7×24 (H); lane count ASSUMPTION")
    lanes_changeover: Changeover = changeover_param("capacity", "gate lane")
    passage_time: Distribution = param(Distribution("uniform", low=30 * SECOND, high=120 * SECOND), unit="h",
                                       doc="time a truck occupies a gate lane",
                                       provenance="domain.md §1: 30–120 s per truck (ASSUMPTION)")
    release_form_check_time: Distribution = param(
        Distribution("deterministic", value=15 * SECOND), unit="h",
        doc="check of the truck's release form (核放单) against its released lists",
        provenance="ASSUMPTION; a comparable e-clearance lane fell to 20 s (domain.md §1)")


@dataclass(frozen=True)
class Costs:
    packaging_per_parcel: float = param(1.5, unit="CNY", low=0.0, doc="packaging material and labour per parcel",
                                        provenance="ASSUMPTION")
    truck_trip: float = param(1_500.0, unit="CNY", low=0.0, doc="one truck trip to a carrier hub",
                              provenance="ASSUMPTION")
    last_mile_per_parcel: float = param(4.0, unit="CNY", low=0.0, doc="delivery of one parcel from the hub",
                                        provenance="ASSUMPTION")


@dataclass(frozen=True)
class Params:
    policy: Policy = param(Policy(), doc="the consolidation pilot's levers")
    orders: Orders = param(Orders(), doc="arrivals, baskets and destinations")
    documents: Documents = param(Documents(), doc="three-document match and list filing")
    customs: Customs = param(Customs(), doc="risk channels, X-ray and the officer pool")
    warehouse: Warehouse = param(Warehouse(), doc="picking, packing and the X-ray lines")
    domestic: Domestic = param(Domestic(), doc="domestic goods: outside warehouse, zone stock")
    trucks: Trucks = param(Trucks(), doc="trucks per route and their dispatch rule")
    gate: Gate = param(Gate(), doc="the second-line gate")
    costs: Costs = param(Costs(), doc="unit costs")


def validate(params: Params) -> None:
    """Checks across fields; each error names the key path."""
    orders = params.orders
    if len(orders.hourly_profile) != 24:
        raise ParameterError("params.orders.hourly_profile", f"needs 24 hourly weights, got {len(orders.hourly_profile)}")
    if sum(orders.hourly_profile) <= 0:
        raise ParameterError("params.orders.hourly_profile", "needs a positive sum")
    if not orders.regions:
        raise ParameterError("params.orders.regions", "at least one region is needed")
    names = [region.name for region in orders.regions]
    for i, name in enumerate(names):
        if names.index(name) != i:
            raise ParameterError(f"params.orders.regions[{i}].name", f"duplicate region name {name!r}")
    total = sum(region.share for region in orders.regions)
    if abs(total - 1.0) > 1e-6:
        raise ParameterError("params.orders.regions", f"shares must sum to 1, got {total:g}")
    for key, distribution in (("bonded_items", orders.bonded_items), ("domestic_items", orders.domestic_items)):
        if distribution.expected() < 0.5:
            raise ParameterError(f"params.orders.{key}", "a basket part holds at least one item; mean must be >= 0.5")
    customs = params.customs
    if customs.yellow_share + customs.red_share > 1.0 + 1e-12:
        raise ParameterError("params.customs.red_share",
                             f"yellow_share + red_share must be at most 1, got {customs.yellow_share + customs.red_share:g}")
    pools = (("params.customs.officers", customs.officers), ("params.warehouse.pickers", params.warehouse.pickers),
             ("params.warehouse.pack_stations", params.warehouse.pack_stations),
             ("params.warehouse.xray_lines", params.warehouse.xray_lines), ("params.gate.lanes", params.gate.lanes))
    for key, shifts in pools:
        if not any(shift.servers > 0 for shift in shifts):
            raise ParameterError(key, "no shift with servers > 0: the work would wait for ever")
