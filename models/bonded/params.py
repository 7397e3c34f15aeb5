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
from sim.parameters import ParameterError, Plausible, param

MINUTE = 1.0 / 60.0
SECOND = 1.0 / 3600.0

_TIANJIN_2019 = ("Tianjin Customs via China News Service, 10 Nov 2019: > 20 M CBEC import orders by mid-October "
                 "2019, 7×24 clearance with automatic barriers, delivery in 1–2 days to northern and central "
                 "China, http://kitchen.rexun.cn/redian/2019/1111/redian052914826.html (accessed 2026-12-03); model page, section Parameters")
_VOLUME = f"{_TIANJIN_2019}: ≈ 69 k orders a day to mid-October, ≈ 55 k over 2019"
_PEAK = ("Tianjin Customs on a Double-11 season of 37 days: 1.71 M orders, single-day peak > 138,000 "
         "(= 2.3 × the 60,000-order normal day), http://www.keaya.com/city/Tianjin/3201.shtml (accessed 2026-12-03)")
_MATCH = ("ASSUMPTION calibrated so that match + auto-release take a median of 1–2 min and a p95 of 10–15 min "
          "(Hangzhou: receipt to release within 10 min)")
_KEAYA_LINK = "http://www.keaya.com/city/Tianjin/3201.shtml (accessed 2026-12-03)"
_MIN_LOAD = ("ASSUMPTION: carriers skip a scheduled pickup with too little cargo (a truck runs at least about "
             "25–40% full), within a maximum wait as service-level bound")
_DELIVERY = "delivery times: " + _TIANJIN_2019


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
                              provenance="policy lever: Tianjin digital-trade plan, July 2025 (同包同车集拼出区); no public text of the mode was found", plausible=Plausible(exempt="a policy switch that defines a scenario"))
    same_truck: bool = param(False, doc="同车: bonded parcels and domestic cargo share trucks and one gate passage",
                             provenance="policy lever: Tianjin digital-trade plan, July 2025 (同包同车集拼出区); no public text of the mode was found", plausible=Plausible(exempt="a policy switch that defines a scenario"))


@dataclass(frozen=True)
class Orders:
    daily_volume: float = param(60_000.0, unit="orders/day", low=0.0, low_open=True,
                                doc="orders paid on a normal day", provenance=_VOLUME,
                                plausible=Plausible(50_000.0, 80_000.0, "52–69 k a day in 2019; grown since"))
    hourly_profile: tuple[float, ...] = param(
        (3.5, 2.0, 1.0, 0.6, 0.4, 0.4, 0.7, 1.5, 2.8, 4.0, 5.0, 5.0,
         4.8, 5.0, 5.0, 5.0, 4.8, 4.6, 4.8, 5.6, 7.0, 7.8, 7.2, 5.5),
        unit="weight", low=0.0,
        doc="relative payment rate in each clock hour 00–23 (normalised to the daily volume)",
        provenance="ASSUMPTION: Chinese online retail payment pattern, night trough, evening peak 20:00–23:00",
        plausible=Plausible(exempt="a shape; the day's volume is the lever"))
    day_multipliers: Mapping[str, float] = param(
        MappingProxyType({"normal": 1.0, "promotion": 1.3, "peak": 2.3}), unit="×", low=0.0,
        doc="daily volume multiplier per day type (day types come from the run calendar; others count as 1)",
        provenance=f"peak: {_PEAK}; promotion: ASSUMPTION (days of the promotion season around the peak)",
        plausible=Plausible(exempt="one value per day type: peak 2.0–3.0, promotion 1.1–1.6"))
    kickoff_day_types: tuple[str, ...] = param(
        ("peak",), doc="day types on which a promotion starts at midnight (their first hours carry a surge)",
        provenance="ASSUMPTION: Double-11 sales open at 00:00 on 11 November",
        plausible=Plausible(exempt="a list of day types"))
    kickoff_start: str = param("00:00", doc="clock time a promotion day's sale opens (its surge starts)",
                               provenance="ASSUMPTION: Double-11 opened at midnight; recent seasons open at 20:00 "
                                          "weeks before (scenario season_opening)",
                               plausible=Plausible(exempt="a clock time that defines a scenario"))
    kickoff_hours: int = param(2, unit="h", low=0, high=24, doc="length of the opening surge of a promotion day, from kickoff_start",
                               provenance="ASSUMPTION",
                               plausible=Plausible(1, 4, "the opening rush of a sale lasts hours"))
    kickoff_multiplier: float = param(4.0, unit="×", low=1.0,
                                      doc="weight of the opening hours relative to the ordinary hourly profile "
                                          "(the day's total stays daily volume × day multiplier)",
                                      provenance="ASSUMPTION",
                                      plausible=Plausible(2.0, 8.0, "opening hours several times a normal hour"))
    mixed_share: float = param(0.2, low=0.0, high=1.0,
                               doc="share of orders whose basket also holds domestic (non-bonded) goods",
                               provenance="ASSUMPTION: no published share of baskets mixing bonded and domestic goods",
                               plausible=Plausible(0.1, 0.3, "gifts and add-ons in a minority of baskets"))
    bonded_items: Distribution = param(Distribution("empirical", values=(1, 1, 1, 1, 2, 2, 2, 3, 4)), unit="items",
                                       doc="bonded items in a basket (rounded, at least 1)",
                                       provenance="ASSUMPTION",
                                       plausible=Plausible(1.2, 3.0, "mean items of a cross-border basket"))
    domestic_items: Distribution = param(Distribution("empirical", values=(1, 1, 2)), unit="items",
                                         doc="domestic items in a mixed basket (rounded, at least 1)",
                                         provenance="ASSUMPTION",
                                         plausible=Plausible(1.0, 2.0, "one or two add-ons"))
    regions: tuple[Region, ...] = param(
        (_region("jing_jin_ji", 0.30, 10.0, 18.0, 36.0),
         _region("north_central", 0.25, 18.0, 32.0, 56.0),
         _region("east", 0.20, 30.0, 54.0, 84.0),
         _region("south", 0.15, 54.0, 80.0, 120.0),
         _region("west_northeast", 0.10, 60.0, 90.0, 120.0)),
        doc="destination regions: name, share of orders, delivery time (triangular low/mode/high, h)",
        provenance=f"{_DELIVERY}; shares ASSUMPTION",
        plausible=Plausible(exempt="a list of regions; scenarios vary its entries"))

    def __post_init__(self) -> None:
        clock_hours(self.kickoff_start)


@dataclass(frozen=True)
class Opening:
    """Preparation for the opening surge of a promotion (the kickoff hours of its day
    types): what platforms and carriers do before the sale opens."""

    predeclared_share: float = param(0.0, low=0.0, high=1.0,
                                     doc="share of orders paid in the opening surge whose documents were matched, "
                                         "list filed and screened before payment completed (pre-sale deposits)",
                                     provenance="ASSUMPTION (lever): Tianjin Customs promotes advance declaration "
                                                "for the season, " + _KEAYA_LINK,
                                     plausible=Plausible(0.0, 0.6, "pre-sale orders are a part of the opening's"))
    prepacked_share: float = param(0.0, low=0.0, high=1.0,
                                   doc="share of orders paid in the opening surge that are best sellers picked "
                                       "and packed before the sale (only fetched, labelled and sealed)",
                                   provenance="ASSUMPTION (lever)",
                                   plausible=Plausible(0.0, 0.4, "a few best sellers carry the opening hours"))
    prepack_time_saved: float = param(0.7, low=0.0, high=1.0,
                                      doc="share of picking and pack-station time a pre-packed order saves",
                                      provenance="ASSUMPTION",
                                      plausible=Plausible(0.5, 0.9, "labelling and sealing remain"))
    extra_departures: tuple[str, ...] = param(
        (), doc="extra zone departures of every carrier on the promotion's opening day types (clock times)",
        provenance="ASSUMPTION (lever): carriers plan extra trucks for the first hours",
        plausible=Plausible(exempt="a timetable; scenarios and studies vary it"))

    def __post_init__(self) -> None:
        for text in self.extra_departures:
            clock_hours(text)


@dataclass(frozen=True)
class Documents:
    order_latency: Distribution = param(_lognormal(0.3 * MINUTE, 1.5), unit="h",
                                        doc="payment to the order message (CEB311) at customs", provenance=_MATCH,
                                        plausible=Plausible(0.1 * MINUTE, 1.0 * MINUTE, "messages sent on payment"))
    payment_latency: Distribution = param(_lognormal(0.5 * MINUTE, 2.0), unit="h",
                                          doc="payment to the payment message (CEB411) at customs", provenance=_MATCH,
                                          plausible=Plausible(0.2 * MINUTE, 2.0 * MINUTE, "payment firms report in batches of seconds to minutes"))
    waybill_latency: Distribution = param(_lognormal(2.5 * MINUTE, 5.0), unit="h",
                                          doc="payment to the waybill message (CEB511) at customs", provenance=_MATCH,
                                          plausible=Plausible(1.0 * MINUTE, 5.0 * MINUTE, "waybills follow the order"))
    mismatch_share: float = param(0.01, low=0.0, high=1.0,
                                  doc="share of orders whose three documents do not match and need a correction",
                                  provenance="ASSUMPTION",
                                  plausible=Plausible(0.002, 0.03, "data errors of a mature system"))
    correction_time: Distribution = param(_lognormal(1.5, 1.0), unit="h",
                                          doc="time to correct and re-send a mismatched document",
                                          provenance="ASSUMPTION",
                                          plausible=Plausible(0.5, 4.0, "a clerk corrects within hours"))
    filing_time: Distribution = param(_lognormal(0.5 * MINUTE, 2.0), unit="h",
                                      doc="documents matched to declaration list (CEB621) filed", provenance=_MATCH,
                                      plausible=Plausible(0.2 * MINUTE, 2.0 * MINUTE, "system time"))


@dataclass(frozen=True)
class Customs:
    screening_time: Distribution = param(
        _lognormal(0.3 * MINUTE, 1.5), unit="h", doc="automatic risk screening of a filed list",
        provenance="ASSUMPTION: customs report receipt-to-release within 10 min (Hangzhou) and under 1 min (Guangzhou)",
        plausible=Plausible(0.1 * MINUTE, 2.0 * MINUTE, "automatic screening takes seconds"))
    yellow_share: float = param(0.02, low=0.0, high=1.0, doc="share of lists sent to document review (yellow)",
                                provenance="ASSUMPTION",
                                plausible=Plausible(0.01, 0.03, "manual review of a few lists in a hundred"))
    red_share: float = param(0.003, low=0.0, high=1.0,
                             doc="share of lists held for physical inspection of the goods (red)",
                             provenance="ASSUMPTION",
                             plausible=Plausible(0.001, 0.01, "physical inspection of a few lists in a thousand"))
    review_time: Distribution = param(_lognormal(4.0 * MINUTE, 0.6), unit="h",
                                      doc="officer time to review one list's documents", provenance="ASSUMPTION",
                                      plausible=Plausible(2.0 * MINUTE, 10.0 * MINUTE, "a document check"))
    inspection_time: Distribution = param(
        _lognormal(15.0 * MINUTE, 0.5), unit="h",
        doc="officer time to inspect a red list's goods at the warehouse inspection area before release",
        provenance="ASSUMPTION", plausible=Plausible(5.0 * MINUTE, 30.0 * MINUTE, "opening and checking an order's goods"))
    xray_share: float = param(0.055, low=0.0, high=1.0,
                              doc="inspection rate: share of bonded parcels selected for X-ray on the sorting line",
                              provenance="ASSUMPTION: 5.5% is the example rate in two process write-ups of bonded import (no official rate)",
                              plausible=Plausible(0.02, 0.10, "selection rates set by risk"))
    suspicious_share: float = param(0.03, low=0.0, high=1.0,
                                    doc="share of X-ray images judged suspicious (parcel unpacked)",
                                    provenance="ASSUMPTION",
                                    plausible=Plausible(0.01, 0.06, "a few images in a hundred"))
    mixed_xray_share: float = param(0.055, low=0.0, high=1.0,
                                    doc="inspection rate of mixed (bonded + domestic) parcels on the sorting line",
                                    provenance="ASSUMPTION (lever): no published rate for mixed parcels; default "
                                               "the rate of bonded parcels",
                                    plausible=Plausible(0.055, 0.15, "customs may select more of a new kind of "
                                                                     "parcel while the pilot runs in"))
    mixed_suspicious_share: float = param(0.03, low=0.0, high=1.0,
                                          doc="share of X-ray images of mixed parcels judged suspicious",
                                          provenance="ASSUMPTION (lever): default the rate of bonded parcels",
                                          plausible=Plausible(0.03, 0.10, "two kinds of goods in one image are "
                                                                          "harder to clear"))
    judgement_time: Distribution = param(_lognormal(12.0 * SECOND, 0.5), unit="h",
                                         doc="officer time to judge one X-ray image", provenance="ASSUMPTION", plausible=Plausible(5.0 * SECOND, 30.0 * SECOND, "an officer reading one image"))
    unpacking_time: Distribution = param(_lognormal(10.0 * MINUTE, 0.5), unit="h",
                                         doc="officer time to unpack, check and re-seal a suspicious parcel",
                                         provenance="ASSUMPTION", plausible=Plausible(5.0 * MINUTE, 20.0 * MINUTE, "unpack, check, re-seal"))
    seizure_share: float = param(0.05, low=0.0, high=1.0,
                                 doc="share of physically checked orders (red inspection or unpacking) found "
                                     "non-compliant and seized",
                                 provenance="ASSUMPTION",
                                 plausible=Plausible(0.01, 0.15, "most physical checks find goods as declared"))
    officer_discipline: Literal["priority", "fifo"] = param(
        "priority", doc="officer queue: priority = image judgement, then unpacking, then red inspection, then "
                        "document review; fifo = one queue in arrival order",
        provenance="ASSUMPTION: work on the sorting line goes first",
        plausible=Plausible(exempt="a choice of rule, compared in scenarios"))
    officers: tuple[Shift, ...] = param(_shifts(("08:00", "16:00", 10), ("16:00", "24:00", 12), ("00:00", "08:00", 4)),
                                        doc="officer shift calendar (one pool for review, X-ray images, "
                                            "unpacking, inspection)",
                                        provenance="7×24 clearance: " + _TIANJIN_2019 + "; crew sizes ASSUMPTION",
                                        plausible=Plausible(exempt="a shift calendar; scenarios vary its crews"))
    officers_changeover: Changeover = changeover_param("crew", "officer")


@dataclass(frozen=True)
class Warehouse:
    pick_time_per_item: Distribution = param(
        _lognormal(0.6 * MINUTE, 0.5), unit="h", doc="picker time per item (an order's draw × its items)",
        provenance="ASSUMPTION",
        plausible=Plausible(0.3 * MINUTE, 1.5 * MINUTE, "person-to-goods or goods-to-person picking"))
    pack_time: Distribution = param(_lognormal(0.75 * MINUTE, 0.4), unit="h", doc="pack-station time per parcel",
                                    provenance="ASSUMPTION",
                                    plausible=Plausible(0.4 * MINUTE, 1.5 * MINUTE, "a small parcel at a pack station"))
    mixed_pack_factor: float = param(1.3, unit="×", low=1.0,
                                     doc="pack time of a mixed (bonded + domestic) parcel relative to a plain one",
                                     provenance="ASSUMPTION (lever)",
                                     plausible=Plausible(1.0, 1.6, "two kinds of goods, two sets of labels"))
    mixed_xray_factor: float = param(1.5, unit="×", low=1.0,
                                     doc="image judgement and unpacking time of a mixed parcel relative to a plain "
                                         "one (bonded lines told from domestic lines)",
                                     provenance="ASSUMPTION (lever): telling bonded lines from domestic ones takes longer",
                                     plausible=Plausible(1.0, 2.0, "an opened mixed parcel covers both kinds of goods"))
    pickers: tuple[Shift, ...] = param(_shifts(("07:00", "15:00", 95), ("15:00", "23:00", 95)),
                                       doc="picker shift calendar", provenance="ASSUMPTION: two shifts",
                                       plausible=Plausible(exempt="a shift calendar; scenarios vary its crews"))
    pickers_changeover: Changeover = changeover_param("crew", "picker")
    pack_stations: tuple[Shift, ...] = param(_shifts(("07:00", "15:00", 65), ("15:00", "23:00", 65)),
                                             doc="staffed pack stations by shift", provenance="ASSUMPTION: two shifts",
                                             plausible=Plausible(exempt="a shift calendar; scenarios vary its crews"))
    pack_stations_changeover: Changeover = changeover_param("capacity", "pack-station")
    xray_lines: tuple[Shift, ...] = param(_shifts(("07:00", "23:00", 2)),
                                          doc="X-ray lines running on the sorting line",
                                          provenance="ASSUMPTION: runs with the sorting line",
                                          plausible=Plausible(exempt="a shift calendar; scenarios vary its lines"))
    xray_lines_changeover: Changeover = changeover_param("capacity", "X-ray line")
    xray_throughput: float = param(800.0, unit="parcels/h", low=0.0, low_open=True,
                                   doc="parcels one X-ray line scans per hour", provenance="ASSUMPTION",
                                   plausible=Plausible(500.0, 2_000.0, "a parcel X-ray on a sorting line"))


@dataclass(frozen=True)
class TruckType:
    """A truck's room: cubic metres and a parcel cap, and its fuel use."""

    name: str = param("box_9.6m", doc="truck type", provenance="scenario input")
    volume_m3: float = param(50.0, unit="m3", low=0.0, low_open=True,
                             doc="usable load volume (a 9.6 m box is about 9.6 × 2.3 × 2.5 m inside)",
                             provenance="ASSUMPTION",
                             plausible=Plausible(40.0, 58.0, "9.6 m box, 85–100% of its inside volume usable"))
    parcel_cap: int = param(5_000, unit="parcels", low=1,
                            doc="most parcels the truck takes whatever their volume (handling and sorting)",
                            provenance="ASSUMPTION",
                            plausible=Plausible(3_000.0, 6_000.0, "3,000–5,000 parcels for a 9.6 m box is the "
                                                                  "planning figure used in the model's first version"))
    fuel_l_per_100km: float = param(25.0, unit="l/100km", low=0.0,
                                    doc="diesel used per 100 km, averaged over laden and empty legs",
                                    provenance="ASSUMPTION",
                                    plausible=Plausible(18.0, 32.0, "medium and heavy rigid trucks in urban and "
                                                                    "ring-road driving"))


@dataclass(frozen=True)
class Domestic:
    outside_fulfilment_time: Distribution = param(
        _lognormal(6.0, 0.5), unit="h",
        doc="order paid to domestic parcel ready for its carrier's pickup at the warehouse outside the zone",
        provenance="ASSUMPTION", plausible=Plausible(3.0, 12.0, "a same-day domestic warehouse: hours, not days"))
    stockout_share: float = param(0.05, low=0.0, high=1.0,
                                  doc="share of mixed baskets whose domestic goods are out of stock in the zone "
                                      "(they ship from outside, as in the baseline)",
                                  provenance="ASSUMPTION (lever)",
                                  plausible=Plausible(0.01, 0.15, "fill rates of 85–99% for a forward stock"))
    days_of_cover: float = param(7.0, unit="d", low=0.0,
                                 doc="domestic stock held in the zone, in days of its simulated consumption",
                                 provenance="ASSUMPTION",
                                 plausible=Plausible(3.0, 14.0, "a forward stock replenished daily holds days, "
                                                                "not weeks, of demand"))
    item_value_cny: float = param(60.0, unit="cny", low=0.0, doc="value of one domestic item held in the zone",
                                  provenance="ASSUMPTION",
                                  plausible=Plausible(20.0, 150.0, "gift and add-on goods of a mixed basket"))
    item_volume_m3: float = param(0.003, unit="m3", low=0.0, low_open=True,
                                  doc="volume of one domestic item in bulk cartons (stock and replenishment)",
                                  provenance="ASSUMPTION",
                                  plausible=Plausible(0.001, 0.006, "small consumer goods, 1–6 litres a unit"))
    replenishment_interval: float = param(24.0, unit="h", low=1.0,
                                          doc="time between replenishments of the zone's domestic stock",
                                          provenance="ASSUMPTION",
                                          plausible=Plausible(12.0, 48.0, "daily replenishment, twice a day to "
                                                                          "every other day"))
    replenishment_start: str = param("05:00", doc="clock time of the first replenishment of a run",
                                     provenance="ASSUMPTION",
                                     plausible=Plausible(exempt="a clock time; the interval is the lever"))
    replenishment_km: float = param(60.0, unit="km", low=0.0,
                                    doc="round trip of a replenishment truck from the outside warehouse into the "
                                        "zone and back",
                                    provenance="ASSUMPTION",
                                    plausible=Plausible(20.0, 120.0, "a warehouse in the Tianjin area"))
    replenishment_truck: TruckType = param(TruckType(), doc="the truck type bringing domestic goods into the zone")
    entry_check_time: Distribution = param(
        _lognormal(15.0 * MINUTE, 0.5), unit="h",
        doc="officer time to handle a replenishment truck of domestic goods entering the zone (goods declared "
            "under their domestic status and checked against the entry record)",
        provenance="ASSUMPTION", plausible=Plausible(5.0 * MINUTE, 45.0 * MINUTE, "a document check with an "
                                                                                   "occasional look at the load"))

    def __post_init__(self) -> None:
        clock_hours(self.replenishment_start)


@dataclass(frozen=True)
class Carrier:
    """An express carrier collecting at the zone and at the outside warehouse."""

    name: str = param(doc="carrier name", provenance="scenario input")
    share: float = param(low=0.0, high=1.0, doc="share of orders the platform gives the carrier",
                         provenance="scenario input")
    departures: tuple[str, ...] = param(doc="the carrier's timetabled truck departures from the zone, local clock",
                                        provenance="scenario input")
    pickups: tuple[str, ...] = param(doc="the carrier's regular pickups at the outside warehouse, local clock "
                                         "(shared with other shippers)", provenance="scenario input")
    trip_km: float = param(low=0.0, unit="km", doc="round trip of a zone truck to the carrier's hub and back",
                           provenance="scenario input")
    pickup_km: float = param(low=0.0, unit="km",
                             doc="round of a pickup truck (several shippers) to the carrier's hub and back",
                             provenance="scenario input")
    pickup_others_m3: float = param(low=0.0, unit="m3",
                                    doc="other shippers' cargo on each pickup round", provenance="scenario input")
    truck: TruckType = param(TruckType(), doc="the carrier's truck type", provenance="scenario input")

    def __post_init__(self) -> None:
        for text in (*self.departures, *self.pickups):
            clock_hours(text)


_CARRIERS = "ASSUMPTION: three express carriers with a half, three tenths and a fifth of the orders"
_PICKUPS = ("ASSUMPTION: a domestic warehouse served by its carriers' regular pickups, shared with other shippers "
            "of the same estate")


@dataclass(frozen=True)
class Trucks:
    carriers: tuple[Carrier, ...] = param(
        (Carrier("carrier_a", 0.5, ("09:00", "11:00", "13:00", "15:00", "17:00", "19:00", "21:00", "23:00"),
                 ("12:00", "18:00"), 80.0, 60.0, 30.0),
         Carrier("carrier_b", 0.3, ("10:00", "13:00", "16:00", "19:00", "22:00", "23:30"), ("14:00", "20:00"),
                 100.0, 70.0, 25.0),
         Carrier("carrier_c", 0.2, ("11:00", "15:00", "19:00", "23:00"), ("16:00",), 60.0, 50.0, 20.0)),
        doc="carriers: name, share of orders, zone departures, outside pickups, zone trip km, pickup round km, "
            "other shippers' m³ per pickup, truck type",
        provenance=f"{_CARRIERS}; {_PICKUPS}; distances: a zone 40–50 km from hubs in the Tianjin area",
        plausible=Plausible(exempt="a list of carriers; scenarios and sweeps vary its entries"))
    bonded_parcel_m3: float = param(0.010, unit="m3", low=0.0, low_open=True,
                                    doc="volume of a parcel of bonded goods only", provenance="ASSUMPTION",
                                    plausible=Plausible(0.005, 0.02, "cosmetics, milk powder, supplements: a "
                                                                     "shoebox-sized parcel"))
    domestic_parcel_m3: float = param(0.008, unit="m3", low=0.0, low_open=True,
                                      doc="volume of a parcel of domestic goods only", provenance="ASSUMPTION",
                                      plausible=Plausible(0.004, 0.016, "add-on and gift goods"))
    mixed_parcel_m3: float = param(0.015, unit="m3", low=0.0, low_open=True,
                                   doc="volume of one parcel holding both (one box and its filling for both)",
                                   provenance="ASSUMPTION",
                                   plausible=Plausible(0.010, 0.026, "more than either part, less than both boxes"))
    co2_kg_per_litre: float = param(
        2.63, unit="kg/l", low=0.0, doc="CO₂ from burning one litre of diesel (tank to wheel)",
        provenance="UK DEFRA conversion factor for diesel, 2.63 kg CO₂ per litre, as quoted by the Donbur carbon "
                   "calculator, https://donbur.co.uk/gb-en/calculator/carbon-emissions/index.php (accessed "
                   "2026-12-03); model page, section Trucks and emissions",
        plausible=Plausible(2.51, 2.70, "2.51 kg CO₂e/l for the UK biodiesel blend (Energy Saving Trust, "
                                        "https://fleetdecarbonisationtoolkit.energysavingtrust.org.uk/t/"
                                        "decarbonisation-strategy/emissions-calculated/hdv-ghg-and-kwh-calculations, "
                                        "accessed 2026-12-03) to 2.7 for fossil diesel (US EPA 2021)"))
    cutoff: float = param(0.5, unit="h", low=0.0, doc="loading closes this long before a departure or pickup",
                          provenance="ASSUMPTION", plausible=Plausible(0.25, 1.0, "time to seal and file the "
                                                                                  "release form"))
    max_wait: float = param(12.0, unit="h", low=0.0, low_open=True,
                            doc="a zone truck leaves at the latest this long after its first parcel, whatever its "
                                "load", provenance="ASSUMPTION",
                            plausible=Plausible(6.0, 24.0, "same-day or next-morning dispatch promised to platforms"))
    min_load: float = param(0.3, unit="share of volume", low=0.0, high=1.0,
                            doc="a timetabled zone truck runs only with at least this share of its volume loaded; "
                                "otherwise its parcels wait for the carrier's next departure (0: every departure "
                                "with a parcel runs)",
                            provenance=_MIN_LOAD, plausible=Plausible(0.2, 0.5, "carriers skip trips below a "
                                                                                "quarter to a half load"))


@dataclass(frozen=True)
class Gate:
    lanes: tuple[Shift, ...] = param(_shifts(("00:00", "24:00", 4)), doc="second-line gate lanes open",
                                     provenance="automatic barriers, 7×24: " + _TIANJIN_2019 + "; lane count ASSUMPTION",
                                     plausible=Plausible(exempt="a shift calendar of lanes"))
    lanes_changeover: Changeover = changeover_param("capacity", "gate lane")
    passage_time: Distribution = param(Distribution("uniform", low=30 * SECOND, high=120 * SECOND), unit="h",
                                       doc="time a truck occupies a gate lane",
                                       provenance="ASSUMPTION",
                                       plausible=Plausible(30 * SECOND, 120 * SECOND, "an automatic barrier with plate recognition"))
    release_form_check_time: Distribution = param(
        Distribution("deterministic", value=15 * SECOND), unit="h",
        doc="check of the truck's release form (核放单) against its released lists",
        provenance="ASSUMPTION",
        plausible=Plausible(5 * SECOND, 30 * SECOND, "an electronic check of the release form"))


#: the pools whose servers are people (the gate's lanes are automatic barriers)
STAFFED_POOLS = ("officers", "pickers", "pack_stations", "xray_lines")


@dataclass(frozen=True)
class Costs:
    packaging_per_parcel: float = param(1.5, unit="cny", low=0.0, doc="packaging material and labour per parcel",
                                        provenance="ASSUMPTION",
                                        plausible=Plausible(0.8, 3.0, "box, filling and tape for a small parcel"))
    last_mile_per_parcel: float = param(4.0, unit="cny", low=0.0,
                                        doc="the carrier's line-haul and delivery of one parcel from its hub",
                                        provenance="ASSUMPTION",
                                        plausible=Plausible(2.5, 6.0, "contract express rates for e-commerce "
                                                                      "shippers"))
    truck_km: float = param(7.0, unit="cny/km", low=0.0,
                            doc="zone and replenishment trucks: cost per km run (truck, fuel, driver)",
                            provenance="ASSUMPTION", plausible=Plausible(4.0, 10.0, "hire of a 9.6 m box truck"))
    outside_pickup_per_parcel: float = param(0.5, unit="cny", low=0.0,
                                             doc="the carrier's charge for collecting a parcel on a shared pickup",
                                             provenance="ASSUMPTION",
                                             plausible=Plausible(0.2, 1.0, "first-mile share of an express rate"))
    entry_handling_per_trip: float = param(200.0, unit="cny", low=0.0,
                                           doc="declaration and handling of one replenishment truck of domestic "
                                               "goods entering the zone (broker, warehouse receipt)",
                                           provenance="ASSUMPTION",
                                           plausible=Plausible(50.0, 500.0, "a customs broker's fee per entry"))
    carrying_rate_per_year: float = param(0.20, unit="share/year", low=0.0,
                                          doc="carrying cost of stock a year, as a share of its value (capital, "
                                              "insurance, shrinkage, obsolescence)",
                                          provenance="ASSUMPTION",
                                          plausible=Plausible(0.12, 0.30, "the usual planning range for "
                                                                          "consumer goods"))
    space_per_m3_day: float = param(1.0, unit="cny/(m3·d)", low=0.0,
                                    doc="bonded-warehouse space for the domestic stock, per cubic metre a day",
                                    provenance="ASSUMPTION",
                                    plausible=Plausible(0.5, 2.0, "rack space with handling in a bonded zone"))
    staff_hour: Mapping[str, float] = param(
        MappingProxyType({"officers": 120.0, "pickers": 35.0, "pack_stations": 35.0, "xray_lines": 60.0}),
        unit="cny/h", low=0.0,
        doc="cost of one scheduled staff-hour of each staffed pool (an X-ray line's operator; the gate's lanes are "
            "automatic barriers, unstaffed)",
        provenance="ASSUMPTION",
        plausible=Plausible(exempt="one value per pool; each is varied through its key (officers 80–200, "
                                   "warehouse staff 25–50, X-ray operators 40–100 cny/h)"))


@dataclass(frozen=True)
class Params:
    policy: Policy = param(Policy(), doc="the consolidation pilot's levers")
    orders: Orders = param(Orders(), doc="arrivals, baskets and destinations")
    opening: Opening = param(Opening(), doc="preparation for a promotion's opening surge")
    documents: Documents = param(Documents(), doc="three-document match and list filing")
    customs: Customs = param(Customs(), doc="risk channels, X-ray and the officer pool")
    warehouse: Warehouse = param(Warehouse(), doc="picking, packing and the X-ray lines")
    domestic: Domestic = param(Domestic(), doc="domestic goods: outside warehouse, zone stock, replenishment")
    trucks: Trucks = param(Trucks(), doc="carriers, their trucks and the dispatch rule; parcel volumes")
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
    carriers = params.trucks.carriers
    if not carriers:
        raise ParameterError("params.trucks.carriers", "at least one carrier is needed")
    names = [carrier.name for carrier in carriers]
    for i, name in enumerate(names):
        if names.index(name) != i:
            raise ParameterError(f"params.trucks.carriers[{i}].name", f"duplicate carrier name {name!r}")
        if not carriers[i].pickups:
            raise ParameterError(f"params.trucks.carriers[{i}].pickups", "a carrier needs at least one pickup")
    total = sum(carrier.share for carrier in carriers)
    if abs(total - 1.0) > 1e-6:
        raise ParameterError("params.trucks.carriers", f"shares must sum to 1, got {total:g}")
    trucks = params.trucks
    largest = max(trucks.bonded_parcel_m3, trucks.domestic_parcel_m3, trucks.mixed_parcel_m3)
    for i, carrier in enumerate(carriers):
        if carrier.truck.volume_m3 < largest:
            raise ParameterError(f"params.trucks.carriers[{i}].truck.volume_m3",
                                 f"{carrier.truck.volume_m3:g} m3 holds not even one parcel of {largest:g} m3")
    unknown = set(params.costs.staff_hour) - set(STAFFED_POOLS)
    if unknown:
        raise ParameterError(f"params.costs.staff_hour.{min(unknown)}",
                             f"unknown pool (staffed pools: {', '.join(STAFFED_POOLS)})")
