"""Parts of the mail model checked against hand-computed values: schedules, quantiles,
volumes, the departure gate's cut-offs, item draws, offered-load bounds, validation."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np
import pytest
from scipy import stats

from models import mail
from models.mail.blocks import DepartureGate
from models.mail.capacity import offered_bound, sustainable_capacity
from models.mail.items import EAD, inbound_factory
from models.mail.params import Params, Transport, Volume
from models.mail.schedules import OpeningHours, Window
from models.mail.volume import VolumeCurve, arrival_items, month_scale
from sim.batching import Batcher
from sim.calendar import DayCalendar
from sim.context import Context
from sim.distributions import Distribution
from sim.entity import Entity
from sim.frozen import FrozenMapping
from sim.parameters import ParameterError, build_params
from sim.streams import Streams

MONDAY = dt.datetime(2024, 3, 4)


# -- schedules ------------------------------------------------------------------------
def test_opening_hours_on_weekdays_and_past_midnight():
    calendar = DayCalendar(MONDAY)
    hours = OpeningHours([Window("08:30", "17:30", ("monday", "tuesday", "wednesday", "thursday", "friday")),
                          Window("22:00", "02:00", ("saturday",))], calendar, 0.0, 24 * 14)
    assert hours.next_open(3.0) == 8.5                      # Monday 03:00 -> 08:30
    assert hours.next_open(10.0) == 10.0                    # open
    assert hours.next_open(17.5) == 24 + 8.5                # closing time -> Tuesday
    assert hours.next_open(4 * 24 + 18.0) == 5 * 24 + 22.0  # Friday evening -> Saturday 22:00
    assert hours.next_open(6 * 24 + 1.0) == 6 * 24 + 1.0    # Sunday 01:00: Saturday's window still open
    assert hours.next_open(6 * 24 + 3.0) == 7 * 24 + 8.5    # Sunday 03:00 -> Monday 08:30
    assert OpeningHours([], calendar, 0.0, 100.0).next_open(42.0) == 42.0


# -- quantiles ------------------------------------------------------------------------
@pytest.mark.parametrize("distribution, reference", [
    (Distribution("exponential", mean=24.0), stats.expon(scale=24.0)),
    (Distribution("uniform", low=2.0, high=5.0), stats.uniform(2.0, 3.0)),
    (Distribution("triangular", low=5.0, mode=12.0, high=30.0), stats.triang((12 - 5) / 25, loc=5.0, scale=25.0)),
    (Distribution("lognormal", mean=96.0, cv=0.6),
     stats.lognorm(math.sqrt(math.log(1.36)), scale=96.0 / math.sqrt(1.36))),
    (Distribution("gamma", mean=5.0, cv=0.5), stats.gamma(4.0, scale=1.25)),
])
def test_quantiles_match_scipy(distribution, reference):
    """The one inverse distribution function (`Distribution.quantile`) the mail holds use."""
    for u in (0.001, 0.1, 0.5, 0.77, 0.999):
        assert float(distribution.quantile(u)) == pytest.approx(reference.ppf(u), rel=1e-9)


# -- volumes --------------------------------------------------------------------------
def test_a_common_year_brings_the_annual_volume_and_day_types_scale_it():
    volume = Volume()
    calendar = DayCalendar(dt.datetime(2023, 1, 1), dates={"2023-11-11": "peak"})
    curve = VolumeCurve(Volume(day_type_factors=FrozenMapping({"peak": 2.0})), calendar, 0.0, 365 * 24 - 1)
    plain = VolumeCurve(volume, calendar, 0.0, 365 * 24 - 1)
    assert sum(plain.per_day) == pytest.approx(412_800.0, rel=1e-12)
    assert curve.items_on(314) == 2 * plain.items_on(314)  # 2023-11-11 is day 314
    november = 412_800 / 365 * 1.30 / month_scale(volume.month_factors)
    assert plain.items_on(314) == pytest.approx(november)
    assert plain.cumulative(24 * 10 + 6) == pytest.approx(sum(plain.per_day[:10]) + plain.per_day[10] / 4)


def test_each_arrival_brings_the_items_accrued_since_the_previous_one():
    """A weekly container brings a week of its share; twice-daily flights half a day's."""
    calendar = DayCalendar(MONDAY)
    curve = VolumeCurve(Volume(month_factors=(1.0,) * 12), calendar, -10 * 24, 40 * 24)
    per_day = 412_800 / 365 * 0.6
    sea = Transport("sea", "sea", 0.1, ("09:00",), ("wednesday",))
    times, items = arrival_items(sea, curve, 0.6, calendar, 24 * 28)
    assert times == [57.0, 57.0 + 168, 57.0 + 336, 57.0 + 504]
    assert items == pytest.approx([per_day * 0.1 * 7] * 4)
    flights = Transport("flights", "air", 0.9, ("02:30", "14:30"))
    times, items = arrival_items(flights, curve, 0.6, calendar, 24 * 2)
    assert times == [2.5, 14.5, 26.5, 38.5]
    assert items == pytest.approx([per_day * 0.9 / 2] * 4)


# -- the departure gate ---------------------------------------------------------------
class Injector:
    """Puts entities into a block at given times."""

    def __init__(self, context: Context, target: Any, times: list[float]) -> None:
        self.entities = []
        for time in times:
            entity = Entity(context.next_id(), time)
            self.entities.append(entity)
            context.at(time, self._put, entity)
        self.context = context
        self.target = target

    def _put(self, value: Any) -> None:
        self.context.entered(value)
        self.target.put(value)


class Catcher:
    name = "catcher"
    held = 0

    def __init__(self, context: Context) -> None:
        self.context = context
        self.left: dict[int, float] = {}
        self.sizes: list[int] = []
        context.register(self)

    def put(self, batch: Any) -> None:
        self.sizes.append(len(batch.members))
        for member in batch.members:
            self.left[member.id] = self.context.now
        self.context.left(batch)

    def outputs(self) -> dict[str, Any]:
        return {}


def test_bagging_and_departures_on_a_hand_made_timetable():
    """Departures at 10, 20 and 30 h, cut-off 2 h, receptacles of 3 items."""
    context = Context(Streams(1, 0), horizon=40.0, log=False)
    departures = [10.0, 20.0, 30.0]
    gate = DepartureGate(context, "gate", departures, 2.0)
    bagging = Batcher(context, "bagging", capacity=3, departures=gate.cutoffs, cutoff=0.0)
    catcher = Catcher(context)
    bagging.to(gate).to(catcher)
    times = [1.0, 2.0, 8.0,          # a full receptacle at 8.0, exactly at the cut-off: leaves at 10
             8.5,                    # after the cut-off: sealed at 18, leaves at 20
             11.0, 12.0,             # with 8.5 fills a receptacle at 12: waits for 20
             13.0,                   # alone: sealed at 18, leaves at 20
             18.5, 27.9,             # sealed at 28, leaves at 30
             29.0]                   # after the last cut-off: stays
    injector = Injector(context, bagging, times)
    context.run()
    context.check_conservation()
    expected = [10.0, 10.0, 10.0, 20.0, 20.0, 20.0, 20.0, 30.0, 30.0, None]
    assert [catcher.left.get(e.id) for e in injector.entities] == expected
    assert sorted(catcher.sizes) == [1, 2, 3, 3]
    assert bagging.held == 1 and gate.held == 0


# -- item draws -----------------------------------------------------------------------
def test_raising_ead_coverage_only_gives_ead_to_more_items():
    low = inbound_factory(Streams(7, 0), 0.85, lambda born: None)
    high = inbound_factory(Streams(7, 0), 0.95, lambda born: None)
    pairs = [(low(i, 0.0), high(i, 0.0)) for i in range(5000)]
    assert all(a.draws == b.draws for a, b in pairs)
    assert all(b.ead for a, b in pairs if a.ead)
    assert sum(b.ead for _, b in pairs) > sum(a.ead for a, _ in pairs)
    share = np.mean([a.draws[EAD] < 0.85 for a, _ in pairs])
    assert 0.83 < share < 0.87


# -- capacity -------------------------------------------------------------------------
def judgement_only(officers: int) -> Params:
    """Officers around the clock who only judge images (36 s each), nothing held."""
    return build_params(Params, {
        "volume": {"inbound_share": 1.0},
        "customs": {"officers": [{"start": "00:00", "end": "24:00", "servers": officers}], "ead_coverage": 1.0,
                    "inspection_rate": 0.0, "documents_rate": 0.0,
                    "judgement": {"image_s": {"dist": "deterministic", "value": 36.0}, "anomaly_share": 0.0,
                                  "false_positive_rate": 0.0}},
        "duty": {"dutiable_share": 0.0},
    })


def test_offered_bound_by_hand():
    bounds = offered_bound(judgement_only(2))
    assert bounds["officers"] == pytest.approx(2 * 24 / 0.01)          # 4,800 items a day
    assert bounds["inbound_xray"] == pytest.approx(3000 * 24)
    assert min(bounds, key=bounds.__getitem__) == "officers"


def test_xray_line_hours_follow_officers_or_their_own_shifts():
    """Default: one line while officers work 08:30-17:30 (9 h a day); with its own
    shifts, two lines 06:00-22:00 (32 line-hours a day)."""
    default = offered_bound(Params())
    assert default["inbound_xray"] == pytest.approx(9 * 3000 / 0.6)
    shifted = build_params(Params, {"inbound": {"xray_shifts": [{"start": "06:00", "end": "22:00", "servers": 2}]}})
    assert offered_bound(shifted)["inbound_xray"] == pytest.approx(32 * 3000 / 0.6)


def test_load_ramp_finds_the_judgement_capacity():
    """With officers only judging images the capacity is the bound (4,800 a day): the
    ramp must find a stable volume near it and judge volumes well above it unstable."""
    params = judgement_only(2)
    capacity = sustainable_capacity(params, refine=2)
    assert capacity.bottleneck == "officers"
    assert 0.8 * 4800 <= capacity.items_per_day <= 4800 * 1.03
    assert all(not trial.stable for trial in capacity.trials if trial.items_per_day > 1.1 * 4800)
    assert any(trial.stable for trial in capacity.trials)


# -- validation -----------------------------------------------------------------------
@pytest.mark.parametrize("mapping, key_path", [
    ({"inbound": {"transports": [{"name": "a", "mode": "air", "share": 0.5, "times": ["02:30"]}]}},
     "params.inbound.transports"),
    ({"inbound": {"transports": [{"name": "a", "mode": "air", "share": 1.0, "times": ["25:00"]}]}},
     "params.inbound.transports[0].times[0]"),
    ({"customs": {"officers": [{"start": "08:00", "end": "17:00", "servers": 0}]}}, "params.customs.officers"),
    ({"outbound": {"routes": [{"name": "a", "mode": "air", "share": 0.5, "times": ["10:00"]},
                              {"name": "a", "mode": "sea", "share": 0.5, "times": ["10:00"]}]}},
     "params.outbound.routes[1].name"),
    ({"dispatch": {"times": []}}, "params.dispatch.times"),
    ({"customs": {"inspection_rate": 0.5}}, "params.customs.inspection_rate"),
    ({"dispatch": {"days": ["Monday"]}}, "params.dispatch.days[0]"),
    ({"inbound": {"xray_shifts": [{"start": "8:0x", "end": "17:00", "servers": 1}]}},
     "params.inbound.xray_shifts[0]"),
])
def test_bad_parameters_name_their_key(mapping, key_path):
    with pytest.raises(ParameterError) as error:
        mail.SPEC.validate(build_params(Params, mapping))
    assert error.value.key_path == key_path


def test_unknown_and_out_of_range_keys_are_rejected_by_the_reader():
    with pytest.raises(ParameterError, match="params.customs.ead_coverage"):
        build_params(Params, {"customs": {"ead_coverage": 1.5}})
    with pytest.raises(ParameterError, match="params.duty.payment"):
        build_params(Params, {"duty": {"payment": "cash"}})


def test_describe_lists_a_distribution_as_one_parameter_with_its_unit():
    from sim.parameters import describe

    rows = {row.key: row for row in describe(Params)}
    assert rows["params.inbound.opening_min"].unit == "min"
    assert rows["params.inbound.opening_min"].default == '{dist = "triangular", low = 2.0, mode = 3.0, high = 5.0}'
    assert not any(key.startswith("params.inbound.opening_min.") for key in rows)
