"""The periodic level sampler (warm-up analysis) and sampled milestone logs of studies."""

from __future__ import annotations

import numpy as np
import pytest

from scenarios.loader import scenario_from_mapping
from sim.context import Context
from sim.executors import LocalExecutor
from sim.log import EventTable
from sim.monitors import TimeWeighted
from sim.run import run
from sim.sampler import LevelSampler
from sim.store import ResultStore
from sim.streams import Streams
from sim.study import run_study, sample_entities

MM1 = {
    "model": "queue_network", "name": "mm1", "description": "",
    "run": {"horizon": 200.0, "warmup": 20.0, "replications": 2, "seed": 3},
    "params": {"sources": [{"name": "arrivals", "to": "server", "rate": 0.8}],
               "stations": [{"name": "server", "servers": 1, "service": {"dist": "exponential", "mean": 1.0}}]},
}


def test_the_sampler_reads_levels_at_multiples_of_the_period() -> None:
    context = Context(Streams(1, 0), horizon=10.0)
    level = TimeWeighted()
    # the level is 1 on [1.5, 4.2), 3 on [4.2, 7.0), then 0
    for time, value in ((1.5, 1.0), (4.2, 3.0), (7.0, 0.0)):
        context.at(time, lambda _, value=value: level.set(context.now, value))
    sampler = LevelSampler(context, 2.0, {"level": level})
    context.run()
    assert sampler.series()["level"].tolist() == [0.0, 1.0, 1.0, 3.0, 0.0]  # t = 0, 2, 4, 6, 8
    with pytest.raises(ValueError):
        LevelSampler(context, 0.0, {"level": level})


def test_sampling_changes_no_result_and_finds_the_block_monitors() -> None:
    scenario = scenario_from_mapping(MM1)
    plain, sampled = run(scenario, 1), run(scenario, 1, sample_every=5.0)
    assert dict(plain.metrics) == dict(sampled.metrics) and plain.series is None
    assert sampled.series is not None and set(sampled.series) == {"wip", "server.queue"}
    wip, queue = sampled.series["wip"], sampled.series["server.queue"]
    assert len(wip) == 40 and wip[0] == 0.0  # t = 0, 5, ..., 195
    # one server: whoever is in the system beyond the one in service waits
    assert np.array_equal(queue, np.maximum(wip - 1, 0))


def test_a_sampled_log_keeps_whole_entities_and_the_same_ones_everywhere() -> None:
    entity = np.repeat(np.arange(1, 2001), 3)
    table = EventTable(entity, np.tile(np.array([0, 1, 2], dtype=np.uint16), 2000), np.arange(6000.0),
                       np.full(6000, -1, dtype=np.int32), ("a", "b", "c"))
    kept = sample_entities(table, 0.25)
    ids, counts = np.unique(kept.entity, return_counts=True)
    assert (counts == 3).all()  # an entity is kept with all its milestones or not at all
    assert 0.2 < len(ids) / 2000 < 0.3
    assert set(sample_entities(table, 1.0).entity) == set(range(1, 2001))
    # another log (another scenario) with the same ids keeps the same entities
    other = EventTable(entity[::3], np.zeros(2000, dtype=np.uint16), np.zeros(2000), np.full(2000, -1, dtype=np.int32),
                       ("a",))
    assert set(sample_entities(other, 0.25).entity) == set(ids)


def test_a_study_keeps_logs_only_for_the_scenarios_asked(tmp_path) -> None:
    first = scenario_from_mapping(MM1)
    second = scenario_from_mapping({**MM1, "name": "other"})
    store = ResultStore(tmp_path)
    outcome = run_study([first, second], 2, 3, store, LocalExecutor(1), progress=False, events={"mm1": 0.5})
    for key in outcome.keys:
        assert store.events_path(key).is_file() == (key.scenario == "mm1")
    full = run(first, 0, seed=3, events=True).events
    assert full is not None
    stored = store.load_events(outcome.keys[0]).column("entity").to_numpy()
    assert np.array_equal(np.unique(stored), np.unique(sample_entities(full, 0.5).entity))
