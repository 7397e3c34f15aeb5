"""A test model whose finding flips sign at a known assumption value.

An M/M/c counter (arrival rate 3/h, exponential service of mean 1 h) followed by a transit
delay. The scenarios compare c = 4 with c = 5 servers. Adding a server changes the cost per
hour by

    Δcost = staff cost per server-hour − waiting cost × (Lq(4) − Lq(5)),

where Lq is the mean queue length (Erlang C): the extra server costs its wage and saves
waiting. The finding "a fifth server raises the cost" therefore holds exactly when the
staff cost is above waiting cost × ΔLq (+ the metric's practical threshold): a threshold the
robustness experiment must recover. The wait itself falls at every point (a finding built
to hold everywhere), and the transit time is a second assumption that affects neither.
A module of its own, so that worker processes import it by name.
"""

from __future__ import annotations

from dataclasses import dataclass

from sim.context import Context
from sim.distributions import Distribution
from sim.flow import Delay, Sink
from sim.metrics_registry import Metric, MetricRegistry
from sim.parameters import Plausible, param
from sim.sources import PoissonSource
from sim.spec import ModelSpec
from sim.station import Station

NAME = "robustness_toy"
FIXED = "test model: fixed by construction"


@dataclass(frozen=True)
class Params:
    arrival_rate: float = param(3.0, unit="1/h", low=0.0, low_open=True, provenance=FIXED, doc="arrival rate")
    service: Distribution = param(Distribution("exponential", mean=1.0), unit="h", provenance=FIXED,
                                  doc="service time")
    servers: int = param(4, low=1, provenance="policy lever", doc="servers",
                         plausible=Plausible(exempt="the lever the scenarios compare"))
    staff_cost_cny_per_h: float = param(80.0, unit="cny/h", low=0.0, provenance="ASSUMPTION: test model",
                                        doc="staff cost per server-hour",
                                        plausible=Plausible(30.0, 110.0, "wide on purpose: the finding flips inside"))
    waiting_cost_cny_per_h: float = param(50.0, unit="cny/h", low=0.0, provenance=FIXED,
                                          doc="cost of a customer-hour in the queue")
    transit: Distribution = param(Distribution("exponential", mean=1.0), unit="h", provenance="ASSUMPTION: test model",
                                  doc="transit time after service",
                                  plausible=Plausible(0.5, 2.0, "affects the sojourn, not the queue"))


def validate(params: Params) -> None:
    if params.arrival_rate * params.service.expected() >= params.servers:
        raise ValueError("unstable: offered load >= servers")


@dataclass(frozen=True)
class Built:
    station: Station
    sink: Sink


def build(context: Context, params: Params) -> Built:
    sink = Sink(context, "leave")
    transit = Delay(context, "transit", context.streams.sampler("transit", params.transit))
    transit.to(sink)
    station = Station(context, "counter", params.servers, context.streams.sampler("service", params.service))
    station.to(transit)
    PoissonSource(context, "arrivals", params.arrival_rate, stream="arrivals").to(station)
    return Built(station, sink)


def metrics(context: Context, params: Params, built: Built) -> dict[str, float]:
    queue = built.station.queue.mean()
    return {
        "cost.per_hour_cny": params.servers * params.staff_cost_cny_per_h + params.waiting_cost_cny_per_h * queue,
        "wait.mean_h": built.station.wait_mean(),
        "queue.mean": queue,
        "sojourn.mean_h": built.sink.sojourns.mean(),
    }


REGISTRY = MetricRegistry([
    Metric("cost.per_hour_cny", "cost per hour (CNY/h)", "每小时成本（元/小时）", "cny/h", "lower", "money",
           "staff cost plus waiting cost per hour", 1.0),
    Metric("wait.mean_h", "mean wait (h)", "平均等待（小时）", "h", "lower", "time", "mean wait in the queue", 0.05),
    Metric("queue.mean", "mean queue length", "平均队长", "count", "lower", "level", "time-average queue length", 0.05),
    Metric("sojourn.mean_h", "mean sojourn (h)", "平均逗留（小时）", "h", "lower", "time", "mean time in the system", 0.05),
])

SPEC = ModelSpec(name=NAME, summary="M/M/c counter with a cost trade-off (test model)", params_type=Params,
                 build=build, metrics=metrics, validate=validate, registry=REGISTRY,
                 headline=("cost.per_hour_cny", "wait.mean_h"))
