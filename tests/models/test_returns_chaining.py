"""Chaining: returns drawn from the released orders of another run.

Only orders with a release milestone can be returned; an order never released (seized,
still in the zone at the horizon) never comes back. Checked on a hand-built milestone log
shaped like the bonded model's and on a real bonded-model run."""

from __future__ import annotations

import numpy as np
import pytest
from returns_helpers import order_of, scenario, write_table

from models.returns.releases import released_orders_from_events
from sim.log import MilestoneLog
from sim.parameters import build_params
from sim.run import RunSettings, run

DAY = 24.0


def _bonded_like_log() -> tuple[object, set[int], set[int]]:
    """Orders 1..400 paid over two days; multiples of 7 seized, multiples of 11 still in the
    zone (never released); the region index of the others is the release row's resource."""
    log = MilestoneLog()
    paid, released = log.code("order_paid"), log.code("released")
    seized, delivered = log.code("seized"), log.code("delivered")
    rng = np.random.default_rng(3)
    done, not_released = set(), set()
    for order in range(1, 401):
        time = float(rng.uniform(0, 2 * DAY))
        log.record(order, paid, time)
        if order % 7 == 0:
            log.record(order, seized, time + 1.0)
            not_released.add(order)
        elif order % 11 == 0:
            not_released.add(order)
        else:
            log.record(order, released, time + 0.5, order % 5)
            log.record(order, released, time + 0.9, order % 5)  # a repeated row counts at its first time
            log.record(order, delivered, time + 30.0)
            done.add(order)
    return log.table(), done, not_released


REGIONS = ("jing_jin_ji", "north_central", "east", "south", "west_northeast")


def test_table_from_a_milestone_log_keeps_released_orders_only():
    events, released, not_released = _bonded_like_log()
    table = released_orders_from_events(events, release="released", region_of=REGIONS, shift_h=-5.0)
    assert set(table["order_id"]) == released
    assert not set(table["order_id"]) & not_released
    assert table["release_time_h"].is_monotonic_increasing
    times: dict[int, float] = {}
    for entity, time in zip(*(column.tolist() for column in events.times_of("released"))):
        times[entity] = min(time, times.get(entity, time))
    for row in table.itertuples():
        assert row.release_time_h == pytest.approx(times[row.order_id] - 5.0)
        assert row.region == REGIONS[row.order_id % 5]


def test_chained_run_returns_only_released_orders(tmp_path):
    events, released, _ = _bonded_like_log()
    table = released_orders_from_events(events, release="released", region_of=REGIONS)
    path = write_table(tmp_path / "released.parquet", table.to_dict("records"))
    params = {"imports": {"released_orders": path, "return_rate": 1.0}, "exports": {"enabled": False}}
    result = run(scenario(params, horizon=50 * DAY), 0, events=True)
    returned = set(order_of(result).values())
    # every order is returned (rate 1) and applies within ~36 days, inside the horizon
    assert returned == released
    assert result.created == len(released)
    half = run(scenario({**params, "imports": {**params["imports"], "return_rate": 0.5}}, horizon=50 * DAY), 0,
               events=True)
    assert set(order_of(half).values()) < released
    assert 0.3 * len(released) < half.created < 0.7 * len(released)


def test_chained_from_a_bonded_model_run(tmp_path):
    """A real bonded run: its released orders (the `released` milestone) come back; the
    orders it seized or had not released by its horizon do not."""
    from models import bonded

    settings = RunSettings(horizon=6.0, warmup=0.0)
    params = build_params(bonded.Params, {}, "params")
    bonded.SPEC.validate(params)
    source = run(type("S", (), {"name": "bonded", "model_module": "models.bonded", "params": params,
                                "settings": settings})(), 0, events=True)
    paid = set(source.events.times_of("order_paid")[0].tolist())
    released = set(source.events.times_of("released")[0].tolist())
    assert len(released) > 1000 and paid - released
    table = released_orders_from_events(source.events, release="released")
    path = write_table(tmp_path / "bonded.csv", table.to_dict("records"))
    chained = run(scenario({"imports": {"released_orders": path, "return_rate": 1.0}, "exports": {"enabled": False}},
                           horizon=45 * DAY, start="2025-01-06T00:00"), 0, events=True)
    returned = set(order_of(chained).values())
    assert returned == released
    assert not returned & (paid - released)
