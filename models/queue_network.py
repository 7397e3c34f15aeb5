"""A generic open network of multi-server stations.

For planners' quick what-ifs and for verifying the kernel against queueing theory:
Poisson sources feed stations (c servers, any service distribution, optional shifts);
after service an entity moves to another station with the routing probabilities given
or leaves the network with the remaining probability (feedback allowed).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Literal

import numpy as np

from models.queue_network_calibration import CALIBRATION, PAGE_EXAMPLE
from sim import model_page
from sim.calendar import Changeover, Shift, changeover_param, clock_hours
from sim.context import Context
from sim.distributions import Distribution
from sim.flow import Router, Sink
from sim.metrics_registry import Metric, MetricRegistry
from sim.parameters import ParameterError, param
from sim.sources import PoissonSource
from sim.spec import ModelSpec
from sim.station import ServerPool, Station, shift_pool, staffing_metrics

_USER = "scenario input (no default)"


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
    changeover: Changeover = changeover_param("capacity", "station's")


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
        begin, end = clock_hours(shift.start), clock_hours(shift.end)
        total += shift.servers * ((end - begin) % 24 or 24) / 24
    return total


@dataclass(frozen=True)
class Built:
    stations: tuple[Station, ...]
    sink: Sink


def build(context: Context, params: Params) -> Built:
    stations: dict[str, Station] = {}
    for spec in params.stations:
        if spec.shifts:
            pool = shift_pool(context, f"{spec.name}.servers", spec.shifts, spec.changeover)
        else:
            pool = ServerPool(context, f"{spec.name}.servers", spec.servers)
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
        values[f"station.{station.name}.wait_mean_h"] = station.wait_mean()
        values[f"station.{station.name}.utilization"] = station.pool.utilization()
        values[f"station.{station.name}.throughput_per_h"] = station.completed / window
        values[f"station.{station.name}.queue_mean"] = station.queue.mean()
    values.update(staffing_metrics({spec.name: station.pool for spec, station in zip(params.stations, built.stations)
                                    if spec.shifts}))
    values["system.sojourn_mean_h"] = built.sink.sojourns.mean()
    values["system.throughput_per_h"] = built.sink.completed / window
    values["system.wip_mean"] = context.wip.mean()
    values["system.arrived"] = float(context.created - context.created_before_window)
    values["system.completed"] = float(context.finished - context.finished_before_window)
    values["system.in_system_end"] = float(context.in_system())
    return values


STATION = {"station": "[^.]+"}

#: old metric name -> new (accepted with a deprecation message for one release; CHANGELOG.md)
RENAMED = {
    "station.{station}.wait_mean": "station.{station}.wait_mean_h",
    "station.{station}.throughput": "station.{station}.throughput_per_h",
    "system.sojourn_mean": "system.sojourn_mean_h",
    "system.throughput": "system.throughput_per_h",
}

REGISTRY = MetricRegistry([
    Metric("station.{station}.wait_mean_h", "Mean wait at {station} (h)", "{station}平均等待时间（小时）", "h", "lower",
           "time", "mean hours in queue of entities starting service after the warm-up", 0.05, STATION),
    Metric("station.{station}.utilization", "Utilisation of {station}", "{station}利用率", "share", None, "share",
           "busy server-hours (overtime included) / scheduled server-hours after the warm-up; above 1 when crews "
           "work over across handovers", 0.02, STATION),
    Metric("overtime.{station}_h", "Overtime at {station} (server-h)", "{station}加班工时（小时）", "h", "lower", "time",
           "server-hours worked after the end of the worker's shift, after the warm-up (a station with shifts)", 1.0,
           STATION),
    Metric("scheduled.{station}_h", "Scheduled server-hours at {station}", "{station}排班工时（小时）", "h", None, "time",
           "server-hours on the station's shift calendar after the warm-up (a station with shifts)", 1.0, STATION),
    Metric("station.{station}.throughput_per_h", "Services completed per hour at {station}", "{station}每小时服务完成数",
           "entities/h", "higher", "rate", "service completions per hour after the warm-up", 0.1, STATION),
    Metric("station.{station}.queue_mean", "Queue length at {station}, time average", "{station}平均排队长度",
           "entities", "lower", "level", "time-averaged number waiting after the warm-up", 0.1, STATION),
    Metric("system.sojourn_mean_h", "Time in the network, mean (h)", "系统平均逗留时间（小时）", "h", "lower", "time",
           "mean hours from arrival to leaving, of entities leaving after the warm-up", 0.05),
    Metric("system.throughput_per_h", "Entities leaving per hour", "系统每小时离开数", "entities/h", "higher", "rate",
           "entities leaving per hour after the warm-up", 0.1),
    Metric("system.wip_mean", "Entities in the network, time average", "系统平均在制数", "entities", "lower", "level",
           "time-averaged number of entities in the network after the warm-up", 0.1),
    Metric("system.arrived", "Entities arrived", "到达数", "count", None, "count", "entities arriving after the warm-up",
           0.0),
    Metric("system.completed", "Entities completed", "完成数", "count", "higher", "count",
           "entities leaving after the warm-up", 0.0),
    Metric("system.in_system_end", "Entities in the network at the end", "期末在制数", "count", None, "count",
           "entities in the network at the horizon", 0.0),
], renamed=RENAMED)

PAGE = Path(__file__).resolve().parents[1] / "docs" / "queue_network.md"


def document() -> str:
    """docs/queue_network.md with its generated part current."""
    return model_page.document(PAGE, Params, REGISTRY, (), CALIBRATION, PAGE_EXAMPLE)


SPEC = ModelSpec(
    name="queue_network",
    summary="A generic open network of multi-server stations (quick what-ifs, kernel verification).",
    params_type=Params,
    build=build,
    metrics=metrics,
    validate=validate,
    registry=REGISTRY,
    # none: a network's telling KPIs depend on its stations, so the report picks the
    # system-level means and the metrics that changed most clearly
    headline=(),
    document=document,
    milestones=(),  # "arrive", "leave" and "<station>.start" / ".end" of the scenario's stations
    calibration=CALIBRATION,
)
