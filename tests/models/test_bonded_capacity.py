"""The zone's release capacity at the season's opening: offered-load bounds by hand, and
a load ramp that levels off at the bottleneck's rate while the backlog grows."""

from __future__ import annotations

import pytest
from bonded_helpers import SCENARIOS

from models.bonded.capacity import bottleneck, load_ramp, offered_bounds
from models.bonded.params import MINUTE
from scenarios.loader import load_scenario

EVENING = [("run.start", "2025-10-14T18:00"), ("run.horizon", 8.0), ("run.warmup", 0.0)]


def test_the_offered_bounds_are_servers_over_work_per_order() -> None:
    params = load_scenario(SCENARIOS / "season_opening.toml").params
    bounds = offered_bounds(params, 21.0, "season_opening")
    items = sum((1, 1, 1, 1, 2, 2, 2, 3, 4)) / 9  # the default bonded basket
    assert bounds["pickers"] == pytest.approx(130 / (0.6 * MINUTE * items))  # the 15:00-23:00 crew
    assert bounds["pack_stations"] == pytest.approx(85 / (0.75 * MINUTE))
    assert bounds["officers"] > bounds["pack_stations"] and bounds["xray_lines"] > bounds["pack_stations"]
    assert bottleneck(params, 21.0, "season_opening")[0] in ("pickers", "pack_stations")
    # pre-packed best sellers relieve the warehouse on the opening day only
    prepared = load_scenario(SCENARIOS / "season_opening_prepared.toml").params
    assert offered_bounds(prepared, 21.0, "season_opening")["pickers"] == pytest.approx(
        bounds["pickers"] / (1 - 0.25 * 0.7))
    assert offered_bounds(prepared, 21.0, "normal")["pickers"] == pytest.approx(bounds["pickers"])


def test_the_release_rate_levels_off_at_the_warehouse_bound_as_the_opening_grows() -> None:
    scenario = load_scenario(SCENARIOS / "season_opening.toml", EVENING)
    bound = bottleneck(scenario.params, 21.0, "season_opening")[1]
    light, full, heavy = load_ramp(scenario, (0.25, 1.0, 1.5))
    assert light["paid"] < full["paid"] < heavy["paid"]
    assert light["backlog_end"] < full["backlog_end"] < heavy["backlog_end"]
    # saturated: more demand, no more released, and at most about the offered bound
    for row in (full, heavy):
        assert 0.75 * bound < row["left_zone_per_h"] < 1.05 * bound
    assert heavy["left_zone_per_h"] < 1.05 * full["left_zone_per_h"]
