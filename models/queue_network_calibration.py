"""What an event log of a queue network calibrates.

The network logs ``arrive`` when a source creates an entity, ``<station>.start`` /
``<station>.end`` around each service and ``leave`` when the entity leaves. So a station's service time is start to end of the
same visit, a source's rate is its count of arrivals per hour, and a routing probability is
the share of a station's completions whose next milestone is the target's start (the rest
leave the network).
"""

from __future__ import annotations

from types import SimpleNamespace

from sim.spec import Calibration, StageCalibration


def stages(params) -> tuple[StageCalibration, ...]:
    entries: list[StageCalibration] = []
    for i, source in enumerate(params.sources):
        # with several sources, each is told apart by the station its arrivals join first
        end = f"{source.to}.start" if len(params.sources) > 1 else None
        entries.append(StageCalibration(f"sources[{i}].rate", "arrivals", "arrive", end))
    for i, station in enumerate(params.stations):
        entries.append(StageCalibration(f"stations[{i}].service", "duration", f"{station.name}.start",
                                        f"{station.name}.end"))
        for target in station.routing:
            entries.append(StageCalibration(f"stations[{i}].routing.{target}", "share", f"{station.name}.end",
                                            f"{target}.start"))
    return tuple(entries)


CALIBRATION = Calibration(stages=stages, case_object="entity", total=("arrive", "leave"))

#: a network's map depends on its stations: the model page shows it for one station
#: `{station}` routing to another, `{next}`
PAGE_EXAMPLE = SimpleNamespace(sources=(SimpleNamespace(to="{station}"),),
                               stations=(SimpleNamespace(name="{station}", routing={"{next}": 0.5}),))
