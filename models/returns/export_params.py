"""Parameters of CBEC export (9610) returns and the cross-district export-return pilot.

Parcels exported through Tianjin come back from abroad: buyers hand them to an overseas
consolidation point, consolidated shipments fly or sail to a Chinese port, customs inspect
them on entry, and a domestic carrier takes them to the seller. Baseline: every return
re-enters at the original export customs (Tianjin). Pilot (GACC 2024 No. 167): at any
pilot district's port, the one nearest the consolidation point and the seller.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from models.returns.staffing import Crew, office_hours
from sim.distributions import Distribution
from sim.frozen import FrozenMapping
from sim.parameters import Plausible, param

_A = "ASSUMPTION"
_INTL = "ASSUMPTION: consolidated air/sea-air freight times by lane; no figures found"
_DOMESTIC = "ASSUMPTION: express 1-2 days within a region, 3-5 days across the country"
_PILOT = "GACC announcement 2024 No. 167 (20 customs districts incl. Tianjin), https://cceeccic.org/498886835.html (accessed 2026-12-03)"


def _tri(low: float, mode: float, high: float) -> Distribution:
    return Distribution("triangular", low=low, mode=mode, high=high)


@dataclass(frozen=True)
class ConsolidationPoint:
    """An overseas point where returned parcels are gathered into shipments to China."""

    name: str = param(doc="consolidation point", provenance=_A)
    share: float = param(low=0.0, high=1.0, doc="share of export returns gathered here", provenance=_A)
    transit: Mapping[str, Distribution] = param(unit="d", doc="departure to arrival at each port", provenance=_INTL)
    capacity: int = param(1000, unit="parcels", low=1, doc="parcels per shipment; a full one leaves at once",
                          provenance=_A, plausible=Plausible(500.0, 3000.0, "a consolidated air shipment"))
    departures: tuple[str, ...] = param(("10:00",), doc="shipment departures, clock time at t = 0's time zone",
                                        provenance=_A)
    weekdays: tuple[str, ...] = param(("tuesday", "friday"), doc="weekdays with a departure (empty: every day)",
                                      provenance=_A)
    cutoff_h: float = param(2.0, unit="h", low=0.0, doc="loading closes this long before a departure", provenance=_A, plausible=Plausible(1.0, 6.0, "loading time"))
    freight_cny_per_parcel: Mapping[str, float] = param(
        FrozenMapping({}), unit="cny/parcel", low=0.0, doc="international freight of one returned parcel, by port",
        provenance="ASSUMPTION: consolidated air return freight at about 25-40 cny/kg for a parcel of about 1 kg; "
                   "longer lanes cost more", plausible=Plausible(exempt="a price table by lane"))


@dataclass(frozen=True)
class Port:
    """A Chinese port of re-entry with its customs officers."""

    name: str = param(doc="port (customs district)", provenance=_PILOT)
    officers: Crew = param(doc="officers inspecting returned parcels on entry",
                           provenance="ASSUMPTION: sized for the default load")
    domestic_transit: Mapping[str, Distribution] = param(unit="d", doc="entry release to the seller, by seller region",
                                                         provenance=_DOMESTIC)
    domestic_cost_yuan: Mapping[str, float] = param(unit="yuan/parcel", low=0.0,
                                                    doc="domestic leg cost by seller region",
                                                    provenance="ASSUMPTION: express tariffs 8-15 yuan")


def _point(name: str, share: float, weekdays: tuple[str, ...], transit: dict[str, Distribution],
           freight: dict[str, float]) -> ConsolidationPoint:
    return ConsolidationPoint(name, share, weekdays=weekdays, transit=FrozenMapping(transit),
                              freight_cny_per_parcel=FrozenMapping(freight))


def _port(name: str, officers: int, transit: dict[str, Distribution], cost: dict[str, float]) -> Port:
    return Port(name, office_hours(officers), FrozenMapping(transit), FrozenMapping(cost))


POINTS = (
    _point("japan_korea", 0.35, ("tuesday", "friday"),
           {"tianjin": _tri(3, 4, 6), "shanghai": _tri(2, 3, 5), "shenzhen": _tri(3, 4, 6)},
           {"tianjin": 25.0, "shanghai": 25.0, "shenzhen": 28.0}),
    _point("southeast_asia", 0.25, ("wednesday",),
           {"tianjin": _tri(6, 8, 12), "shanghai": _tri(5, 6, 9), "shenzhen": _tri(3, 4, 6)},
           {"tianjin": 32.0, "shanghai": 28.0, "shenzhen": 22.0}),
    _point("europe", 0.20, ("monday",),
           {"tianjin": _tri(10, 12, 16), "shanghai": _tri(10, 12, 16), "shenzhen": _tri(12, 14, 18)},
           {"tianjin": 45.0, "shanghai": 45.0, "shenzhen": 48.0}),
    _point("north_america", 0.20, ("thursday",),
           {"tianjin": _tri(12, 14, 18), "shanghai": _tri(10, 12, 16), "shenzhen": _tri(9, 11, 15)},
           {"tianjin": 50.0, "shanghai": 46.0, "shenzhen": 42.0}),
)

PORTS = (
    _port("tianjin", 4, {"jing_jin_ji": _tri(1, 1.5, 3), "east": _tri(2, 3, 4), "north_central": _tri(2, 2.5, 4),
                         "south": _tri(3, 4, 5)},
          {"jing_jin_ji": 8.0, "east": 12.0, "north_central": 12.0, "south": 15.0}),
    _port("shanghai", 2, {"jing_jin_ji": _tri(2, 3, 4), "east": _tri(1, 1.5, 2), "north_central": _tri(1.5, 2, 3),
                          "south": _tri(2, 3, 4)},
          {"jing_jin_ji": 12.0, "east": 8.0, "north_central": 10.0, "south": 12.0}),
    _port("shenzhen", 2, {"jing_jin_ji": _tri(3, 4, 5), "east": _tri(2, 3, 4), "north_central": _tri(2, 2.5, 3.5),
                          "south": _tri(1, 1.5, 2)},
          {"jing_jin_ji": 15.0, "east": 12.0, "north_central": 10.0, "south": 8.0}),
)


@dataclass(frozen=True)
class ExportParams:
    enabled: bool = param(True, doc="simulate export returns", provenance="model switch")
    mode: Literal["original_port", "cross_district"] = param(
        "original_port", doc="'original_port': re-entry at the original export customs; 'cross_district': at the "
                             "pilot port with the least expected transit (consolidation point -> port -> seller)",
        provenance=_PILOT)
    origin: str = param("tianjin", doc="port of the original export customs", provenance="the model describes Tianjin (Tianjin digital-trade plan, 2025)")
    pilot_ports: tuple[str, ...] = param(("tianjin", "shanghai", "shenzhen"),
                                         doc="ports allowed in cross-district mode (the lever)", provenance=_PILOT)
    released_exports: str = param(
        "", doc="path of a CSV or parquet table of released exports (order_id, release_time_h[, region = seller "
                "region, value_yuan]; relative to the working directory); empty: the standalone export stream",
        provenance="model switch (see docs/returns.md, chaining)")
    exports_per_day: float = param(20000.0, unit="parcels/d", low=0.0, doc="9610 parcels released per day",
                                   provenance="ASSUMPTION: no Tianjin 9610 volume was found", plausible=Plausible(5000.0, 60000.0, "no Tianjin 9610 figure"))
    return_rate: float = param(0.02, low=0.0, high=1.0, doc="share of exported parcels returned", provenance=_A, plausible=Plausible(0.01, 0.1, "cross-border return rates"))
    history_days: float = param(400.0, unit="d", low=0.0,
                                doc="exports released this long before t = 0 are drawn too (returns come back "
                                    "for a year)",
                                provenance="model choice: one year + transit")
    item_value: Distribution = param(Distribution("lognormal", mean=200.0, cv=1.0), unit="yuan/parcel",
                                     doc="value of a returned parcel", provenance=_A, plausible=Plausible(100.0, 400.0, "low-value parcels"))
    decision: Distribution = param(
        Distribution("lognormal", mean=53.9, cv=1.49), unit="d",
        doc="export release to the buyer handing the parcel to the consolidation point",
        provenance="ASSUMPTION: lognormal, median 30 days, p90 120 days", plausible=Plausible(20.0, 90.0, "median 30 days, long tail"))
    seller_regions: Mapping[str, float] = param(
        FrozenMapping({"jing_jin_ji": 0.6, "north_central": 0.15, "east": 0.15, "south": 0.1}), low=0.0, high=1.0,
        doc="share of returns by seller region", provenance="ASSUMPTION: mostly northern sellers export via Tianjin", plausible=Plausible(exempt="a split of sellers, varied through scenarios"))
    points: tuple[ConsolidationPoint, ...] = param(POINTS, doc="overseas consolidation points",
                                                   provenance="see the ConsolidationPoint fields")
    ports: tuple[Port, ...] = param(PORTS, doc="ports of re-entry", provenance="see the Port fields")
    inspection_time: Distribution = param(Distribution("lognormal", mean=0.05, cv=0.8), unit="h",
                                          doc="entry inspection of one parcel", provenance=_A, plausible=Plausible(0.02, 0.1, "1-6 minutes a parcel"))
