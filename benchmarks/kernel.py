"""Speed of the kernel against plain SimPy on the reference tandem line.

The line: Poisson arrivals at 144 per hour; four stations in series with 4, 6, 3 and 4
servers and exponential service means 0.02222, 0.03333, 0.01667 and 0.02222 hours (80%
utilisation each); 200,000 customers. It is built twice in the same run:

- with cbecsim's callback-driven blocks (a Poisson source, `Station`, `Sink`), milestone
  log on with the rows the `queue_network` model writes (arrive, then start and end at
  each station: 9 rows a customer), monitors and statistics as in any run;
- as plain SimPy, one generator process per customer and a `simpy.Resource` per station.
  Its random numbers are drawn up front into lists (the cheapest way to feed SimPy; the
  kernel draws in blocks of 1,024), so the comparison measures the engines, not the
  random-number calls.

Both serve exactly the same number of customers; the times are CPU seconds of this
process (other work on a shared machine distorts them less than wall time) and include
building the model.
Each prints microseconds per customer and the mean sojourn against the analytic value
(a tandem of M/M/c queues: by Burke's theorem each station is M/M/c with the same Poisson
input, so the mean sojourn is the sum of the stations' Erlang C waits plus service means:
0.15994 hours with the exact means 1/45, 1/30, 1/60 and 1/45 hours). The last line is
`speedup_vs_simpy=<ratio>`.

Usage: python benchmarks/kernel.py [--customers N] [--seed S]
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import simpy

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sim.context import Context
from sim.distributions import Distribution
from sim.entity import Entity
from sim.flow import BlockBase, Sink
from sim.station import Station
from sim.streams import Streams

ARRIVAL_RATE = 144.0  # per hour
SERVERS = (4, 6, 3, 4)
SERVICE_MEANS = (1 / 45, 1 / 30, 1 / 60, 1 / 45)  # hours: 0.02222, 0.03333, 0.01667, 0.02222
CUSTOMERS = 200_000
ANALYTIC_SOJOURN = 0.15994  # hours, see analytic_sojourn()
#: long enough for every customer to leave; the clock jumps there once the line is empty
HORIZON = 1.0e6


def erlang_c_wait(arrival_rate: float, service_mean: float, servers: int) -> float:
    """Mean wait in queue of an M/M/c queue (Erlang C formula)."""
    offered = arrival_rate * service_mean
    rho = offered / servers
    terms = sum(offered**k / math.factorial(k) for k in range(servers))
    last = offered**servers / math.factorial(servers) / (1 - rho)
    probability_wait = last / (terms + last)
    return probability_wait * service_mean / (servers - offered)


def analytic_sojourn() -> float:
    return sum(erlang_c_wait(ARRIVAL_RATE, mean, c) + mean for mean, c in zip(SERVICE_MEANS, SERVERS))


class CountedPoissonSource(BlockBase):
    """Poisson arrivals that stop after `limit` customers, so that both implementations
    serve the same number. Same block protocol as `sim.sources.PoissonSource`."""

    def __init__(self, context: Context, name: str, rate: float, limit: int, milestone: str) -> None:
        super().__init__(context, name)
        self.limit = limit
        self.emitted = 0
        self._milestone = context.milestone(milestone)
        self._gap = context.streams.sampler(f"source.{name}", Distribution("exponential", mean=1.0 / rate))

    def start(self) -> None:
        self.context.schedule(self._gap(), self._arrive)

    def _arrive(self, _: Any) -> None:
        context = self.context
        now = context.env._now
        entity = Entity(context.next_id(), now)
        context.entered(entity)
        context.log.record(entity.id, self._milestone, now)  # type: ignore[union-attr]
        self.target.put(entity)
        self.emitted += 1
        if self.emitted < self.limit:
            context.schedule(self._gap(), self._arrive)


def run_cbecsim(customers: int, seed: int) -> tuple[float, float, int, int]:
    """(seconds, mean sojourn, customers finished, log rows) with the kernel's blocks."""
    began = time.process_time()
    context = Context(Streams(seed, 0), horizon=HORIZON, log=True)
    source = CountedPoissonSource(context, "arrivals", ARRIVAL_RATE, customers, milestone="arrive")
    sink = Sink(context, "leave")
    previous: Any = source
    for index, (servers, mean) in enumerate(zip(SERVERS, SERVICE_MEANS), start=1):
        name = f"station{index}"
        station = Station(context, name, servers,
                          context.streams.sampler(f"service.{name}", Distribution("exponential", mean=mean)),
                          start=f"{name}.start", end=f"{name}.end")
        previous.to(station)
        previous = station
    previous.to(sink)
    context.run()
    context.check_conservation()
    seconds = time.process_time() - began
    return seconds, sink.sojourns.mean(), sink.completed, len(context.log)  # type: ignore[arg-type]


def run_simpy(customers: int, seed: int) -> tuple[float, float, int]:
    """(seconds, mean sojourn, customers finished) with one SimPy process per customer."""
    began = time.process_time()
    rng = np.random.default_rng(seed)
    gaps = iter(rng.exponential(1.0 / ARRIVAL_RATE, customers).tolist())
    services = [iter(rng.exponential(mean, customers).tolist()) for mean in SERVICE_MEANS]
    env = simpy.Environment()
    resources = [simpy.Resource(env, capacity=servers) for servers in SERVERS]
    sojourns: list[float] = []

    def customer() -> Any:
        born = env.now
        for resource, service in zip(resources, services):
            with resource.request() as request:
                yield request
                yield env.timeout(next(service))
        sojourns.append(env.now - born)

    def arrivals() -> Any:
        for _ in range(customers):
            yield env.timeout(next(gaps))
            env.process(customer())

    env.process(arrivals())
    env.run()
    seconds = time.process_time() - began
    return seconds, sum(sojourns) / len(sojourns), len(sojourns)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--customers", type=int, default=CUSTOMERS)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    n = args.customers
    exact = analytic_sojourn()
    print(f"tandem line: {n:,} customers, analytic mean sojourn {exact:.5f} h")

    seconds, sojourn, finished, rows = run_cbecsim(n, args.seed)
    cbecsim_us = seconds / n * 1e6
    print(f"cbecsim blocks: {cbecsim_us:6.2f} us/customer  ({seconds:.2f} s, {finished:,} finished, "
          f"{rows:,} log rows)  mean sojourn {sojourn:.5f} h vs {ANALYTIC_SOJOURN} h")

    seconds, sojourn, finished = run_simpy(n, args.seed)
    simpy_us = seconds / n * 1e6
    print(f"plain SimPy:    {simpy_us:6.2f} us/customer  ({seconds:.2f} s, {finished:,} finished)  "
          f"mean sojourn {sojourn:.5f} h vs {ANALYTIC_SOJOURN} h")
    print(f"speedup_vs_simpy={simpy_us / cbecsim_us:.2f}")


if __name__ == "__main__":
    main()
