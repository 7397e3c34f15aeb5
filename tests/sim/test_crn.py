"""Common random numbers: two networks that differ only in one station's servers.

With the same root seed and replication, both see the same arrivals and the same service
draws until the lever makes a difference, so the paired difference of a KPI varies much
less than the difference of independent runs.
"""

from __future__ import annotations

import numpy as np

from sim.run import run

REPLICATIONS = 20
SEED = 4242


def network_with(network, packing_servers: int, seed: int = SEED):
    # Arrivals (1.5/h) -> sorting (2 servers, 86% busy) -> packing (the lever: 2 servers
    # 75% busy, or 3 servers) -> leave. Sorting's congestion is common to both networks.
    params = {
        "sources": [{"name": "arrivals", "to": "sorting", "rate": 1.5}],
        "stations": [
            {"name": "sorting", "servers": 2, "service": {"dist": "exponential", "mean": 1.15},
             "routing": {"packing": 1.0}},
            {"name": "packing", "servers": packing_servers, "service": {"dist": "exponential", "mean": 1.0}},
        ],
    }
    return network.scenario(params, horizon=2_000.0, warmup=100.0, seed=seed, name=f"packing x{packing_servers}")


def test_paired_differences_vary_much_less_than_independent_ones(network):
    base, more = network_with(network, 2), network_with(network, 3)
    metric = "system.sojourn_mean_h"
    base_values = np.array(network.column(network.replicate(base, REPLICATIONS), metric))
    paired = np.array(network.column(network.replicate(more, REPLICATIONS), metric))
    independent = np.array(network.column(network.replicate(more, REPLICATIONS, first=REPLICATIONS), metric))
    paired_variance = np.var(base_values - paired, ddof=1)
    independent_variance = np.var(base_values - independent, ddof=1)
    assert paired_variance < 0.25 * independent_variance
    # Both estimate the same effect: a third packer shortens the sojourn.
    assert (base_values - paired).mean() > 0 and (base_values - independent).mean() > 0


def rows(table, name: str) -> list[tuple[int, float]]:
    entities, times = table.times_of(name)
    return list(zip(entities.tolist(), times.tolist()))


def test_draws_coincide_until_the_lever_matters(network):
    base = run(network_with(network, 2), 0, events=True).events
    more = run(network_with(network, 3), 0, events=True).events
    # Upstream of the lever everything is the same: arrivals and sorting, entity by entity.
    for name in ("arrive", "sorting.start", "sorting.end"):
        assert rows(base, name) == rows(more, name)
    # At packing, the runs agree until the first customer finds both packers busy (a third
    # packer would serve them at once).
    arrive_at_packing = dict(rows(base, "sorting.end"))
    lever_matters = min(arrive_at_packing[e] for e, t in rows(base, "packing.start") if t > arrive_at_packing[e])
    for name in ("packing.start", "packing.end"):
        before_base = [(e, t) for e, t in rows(base, name) if t < lever_matters]
        before_more = [(e, t) for e, t in rows(more, name) if t < lever_matters]
        assert before_base == before_more and len(before_base) > 0
    # ... and then the lever does make a difference.
    assert rows(base, "packing.start") != rows(more, "packing.start")
