"""Preparation for the opening surge of a promotion: pre-declared lists, pre-packed best
sellers, extra carrier departures. Under common random numbers each lever acts only on
the orders of the opening hours, and acts the documented way."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from bonded_helpers import UNLIMITED, binomial_bound, merge, milestone_times, pool, run_params

#: the opening night of Double-11: sales open at midnight, two hours at 4× their weight
OPENING = {"start": "2025-11-11T00:00", "day_types": {"2025-11-11": "peak"}}
VOLUME = {"orders": {"daily_volume": 20_000.0}}


def opening_run(extra: dict, horizon: float = 8.0, seed: int = 1, events: bool = False):
    return run_params(merge(VOLUME, extra), horizon=horizon, seed=seed, events=events, **OPENING)


@pytest.mark.parametrize("share", [1.0, 0.5])
def test_pre_declared_orders_never_wait_for_list_filing(share: float) -> None:
    result = opening_run({"opening": {"predeclared_share": share}}, events=True)
    paid, filed = milestone_times(result, "order_paid"), milestone_times(result, "list_filed")
    surge = [order for order, time in paid.items() if time < 2.0 and order in filed]
    later = [order for order, time in paid.items() if 2.0 <= time and order in filed]
    at_payment = np.array([filed[order] == paid[order] for order in surge])
    assert len(surge) > 2_000 and len(later) > 1_000
    if share == 1.0:
        assert at_payment.all()  # every surge order's list is filed when it is paid
    else:
        assert abs(at_payment.mean() - share) <= binomial_bound(share, len(surge))
    # after the surge the documents take their usual time again
    assert not any(filed[order] == paid[order] for order in later)


def test_pre_packing_and_pre_declaration_act_only_on_the_opening_hours() -> None:
    # everything after the opening hours is unchanged: the levers move no other draw
    base = opening_run({}, events=True)
    levers = opening_run({"opening": {"predeclared_share": 0.5, "prepacked_share": 0.5}}, events=True)
    paid = milestone_times(base, "order_paid")
    assert paid == milestone_times(levers, "order_paid")
    packed_base, packed_levers = milestone_times(base, "packed"), milestone_times(levers, "packed")
    # the levers make the opening's orders leave packing earlier on the whole
    surge = [order for order, time in paid.items() if time < 2.0 and order in packed_base and order in packed_levers]
    assert np.mean([packed_levers[o] - packed_base[o] for o in surge]) < 0
    assert levers.metrics["opening.left_zone"] >= base.metrics["opening.left_zone"]


@pytest.mark.parametrize("seed", [1, 2])
def test_more_pack_stations_never_lower_the_opening_throughput(seed: int) -> None:
    """Officers, pickers and gate unlimited, trucks every half hour: pack stations decide
    the flow out of the zone, and more of them never let fewer orders out in the opening
    hours (nor leave a larger backlog at their end)."""
    half_hourly = [f"{hour:02d}:{minute:02d}" for hour in range(24) for minute in (0, 30)]
    base = {"customs": {"officers": UNLIMITED}, "warehouse": {"pickers": UNLIMITED},
            "gate": {"lanes": UNLIMITED}, "trucks": {"min_load": 0.0},
            "opening": {"extra_departures": half_hourly}}
    outcomes = []
    for stations in (20, 30, 45, 70):
        metrics = opening_run(merge(base, {"warehouse": {"pack_stations": pool(stations)}}), seed=seed).metrics
        outcomes.append((metrics["opening.left_zone"], metrics["opening.backlog_end"]))
    for (left, backlog), (left_more, backlog_more) in itertools.pairwise(outcomes):
        assert left_more >= left and backlog_more <= backlog
    assert outcomes[-1][0] > 1.5 * outcomes[0][0]  # the lever acts


def test_extra_departures_run_on_the_opening_day_only() -> None:
    # a warehouse working through the night, and trucks that run at any load
    night = merge(VOLUME, {"warehouse": {"pickers": pool(150), "pack_stations": pool(100)},
                           "trucks": {"min_load": 0.0}})
    extra = {"opening": {"extra_departures": ["00:30", "01:00", "01:30", "02:00"]}}
    # a normal day before the opening night: the extra departures are not in its timetable
    day_before = {"start": "2025-11-10T00:00", "day_types": {"2025-11-10": "normal", "2025-11-11": "peak"}}
    plain = run_params(night, horizon=48.0, **day_before).metrics
    more = run_params(merge(night, extra), horizon=48.0, **day_before).metrics
    assert more["trucks.zone.departures_per_day"] > plain["trucks.zone.departures_per_day"]
    assert more["daily.2025-11-10.released"] == plain["daily.2025-11-10.released"]
    assert more["opening.left_zone"] > plain["opening.left_zone"]
