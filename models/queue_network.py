"""A generic open network of multi-server stations.

For planners' quick what-ifs and for verifying the kernel against queueing theory:
Poisson sources feed stations (c servers, any service distribution, optional shifts);
after service an entity moves to another station with the routing probabilities given
or leaves the network with the remaining probability (feedback allowed).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

import numpy as np

from sim.calendar import ShiftSpec, capacity_changes
from sim.context import Context
from sim.distributions import Distribution
from sim.flow import Router, Sink
from sim.parameters import ParameterError, param
from sim.sources import PoissonSource
from sim.station import ServerPool, Station

NAME = "queue_network"

_USER = "scenario input (no default)"


@dataclass(frozen=True)
class Shift:
    start: str = param(doc="clock time the shift starts, HH:MM", provenance=_USER)
    end: str = param(doc="clock time the shift ends, HH:MM (before start: wraps past midnight)", provenance=_USER)
    servers: int = param(low=0, doc="servers on duty during the shift", provenance=_USER)
    day_types: tuple[str, ...] = param((), doc="day types the shift works (empty: every day)", provenance=_USER)


@dataclass(frozen=True)
class SourceParams:
    name: str = param(doc="source name", provenance=_USER)
    to: str = param(doc="station the arrivals join", provenance=_USER)
    rate: float = param(unit="1/h", low=0.0, low_open=True, doc="Poisson arrival rate", provenance=_USER)


@dataclass(frozen=True)
class StationParams:
    name: str = param(doc="station name", provenance=_USER)
    servers: int = param(low=0, doc="servers (when no shifts are given)", provenance=_USER)
    service: Distribution = param(unit="h", doc="service time", provenance=_USER)
    routing: Mapping[str, float] = param(MappingProxyType({}), low=0.0, high=1.0,
                                         doc="probability of moving to each station next; the rest leave",
                                         provenance=_USER)
    discipline: Literal["fifo"] = param("fifo", doc="queue discipline", provenance=_USER)
    shifts: tuple[Shift, ...] = param((), doc="shift calendar replacing `servers` (capacity = servers of the shifts on duty)",
                                      provenance=_USER)


@dataclass(frozen=True)
class Params:
    sources: tuple[SourceParams, ...] = param(doc="Poisson sources", provenance=_USER)
    stations: tuple[StationParams, ...] = param(doc="stations", provenance=_USER)


def validate(params: Params) -> None:
    """Names unique, routes to existing stations, probabilities summing to at most 1,
    and every station stable (traffic equations, utilisation < 1)."""
    names = [station.name for station in params.stations]
    if not names:
        raise ParameterError("params.stations", "at least one station is needed")
    if not params.sources:
        raise ParameterError("params.sources", "at least one source is needed")
    for i, name in enumerate(names):
        if names.index(name) != i:
            raise ParameterError(f"params.stations[{i}].name", f"duplicate station name {name!r}")
    for i, source in enumerate(params.sources):
        if source.to not in names:
            raise ParameterError(f"params.sources[{i}].to", f"routes to station {source.to!r}, which does not exist")
    for i, station in enumerate(params.stations):
        for target in station.routing:
            if target not in names:
                raise ParameterError(f"params.stations[{i}].routing.{target}", "routes to a station that does not exist")
        total = sum(station.routing.values())
        if total > 1 + 1e-9:
            raise ParameterError(f"params.stations[{i}].routing", f"probabilities sum to {total:g}, above 1")
        if not station.shifts and station.servers == 0:
            raise ParameterError(f"params.stations[{i}].servers", "must be >= 1 when no shifts are given")
    arrival_rates = traffic_rates(params)
    for i, station in enumerate(params.stations):
        capacity = mean_servers(station)
        load = arrival_rates[i] * station.service.expected()
        if capacity <= 0 or load >= capacity:
            raise ParameterError(
                f"params.stations[{i}]",
                f"unstable: offered load {load:.3g} server-hours per hour >= {capacity:.3g} servers ({station.name!r})",
            )


def traffic_rates(params: Params) -> np.ndarray:
    """Arrival rate at each station from the traffic equations lambda = gamma + lambda P."""
    names = [station.name for station in params.stations]
    n = len(names)
    external = np.zeros(n)
    for source in params.sources:
        external[names.index(source.to)] += source.rate
    routing = np.zeros((n, n))
    for i, station in enumerate(params.stations):
        for target, probability in station.routing.items():
            routing[i, names.index(target)] += probability
    try:
        return np.linalg.solve(np.eye(n) - routing.T, external)
    except np.linalg.LinAlgError:
        raise ParameterError("params.stations", "routing never lets entities leave the network") from None


def mean_servers(station: StationParams) -> float:
    """Servers on duty averaged over a day (over the shifts' day types when they differ)."""
    if not station.shifts:
        return float(station.servers)
    total = 0.0
    for shift in station.shifts:
        if shift.day_types:
            continue  # day-type shifts are not counted in the everyday average
        begin, end = _hours(shift.start), _hours(shift.end)
        total += shift.servers * ((end - begin) % 24 or 24) / 24
    return total


def _hours(text: str) -> float:
    from sim.calendar import clock_hours
    return clock_hours(text)


@dataclass(frozen=True)
class Built:
    stations: tuple[Station, ...]
    sink: Sink


def build(context: Context, params: Params) -> Built:
    stations: dict[str, Station] = {}
    for spec in params.stations:
        changes = ()
        if spec.shifts:
            shifts = [ShiftSpec(s.start, s.end, s.servers, s.day_types) for s in spec.shifts]
            changes = capacity_changes(shifts, context.calendar, context.horizon)
        pool = ServerPool(context, f"{spec.name}.servers", spec.servers, changes)
        stations[spec.name] = Station(
            context, spec.name, pool, context.streams.sampler(f"service.{spec.name}", spec.service),
            start=f"{spec.name}.start", end=f"{spec.name}.end",
        )
    sink = Sink(context, "leave", milestone="leave")  # closes each case of the event log
    for spec in params.stations:
        station = stations[spec.name]
        if not spec.routing:
            station.to(sink)
            continue
        router = Router(context, f"{spec.name}.routing", list(spec.routing.values()), stream=f"routing.{spec.name}")
        for index, target in enumerate(spec.routing):
            router.connect(index, stations[target])
        router.otherwise = sink
        station.to(router)
    for spec in params.sources:
        PoissonSource(context, spec.name, spec.rate, milestone="arrive", stream=f"arrivals.{spec.name}").to(stations[spec.to])
    return Built(tuple(stations.values()), sink)


def metrics(context: Context, params: Params, built: Built) -> dict[str, float]:
    window = context.horizon - context.warmup
    values: dict[str, float] = {}
    for station in built.stations:
        values[f"station.{station.name}.wait_mean"] = station.wait_mean()
        values[f"station.{station.name}.utilization"] = station.pool.utilization()
        values[f"station.{station.name}.throughput"] = station.completed / window
        values[f"station.{station.name}.queue_mean"] = station.queue.mean()
    values["system.sojourn_mean"] = built.sink.sojourns.mean()
    values["system.throughput"] = built.sink.completed / window
    values["system.wip_mean"] = context.wip.mean()
    values["system.arrived"] = float(context.created - context.created_before_window)
    values["system.completed"] = float(context.finished - context.finished_before_window)
    values["system.in_system_end"] = float(context.in_system())
    return values


def describe_metrics() -> dict[str, str]:
    """KPI definitions (documentation and report)."""
    return {
        "station.<name>.wait_mean": "mean hours in queue of entities starting service after the warm-up",
        "station.<name>.utilization": "busy server-hours / available server-hours after the warm-up",
        "station.<name>.throughput": "service completions per hour after the warm-up",
        "station.<name>.queue_mean": "time-averaged number waiting after the warm-up",
        "system.sojourn_mean": "mean hours from arrival to leaving, of entities leaving after the warm-up",
        "system.throughput": "entities leaving per hour after the warm-up",
        "system.wip_mean": "time-averaged number of entities in the network after the warm-up",
        "system.arrived": "entities arriving after the warm-up",
        "system.completed": "entities leaving after the warm-up",
        "system.in_system_end": "entities in the network at the horizon",
    }


