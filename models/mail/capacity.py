"""Sustainable capacity of the office (items per day), found by a load ramp.

The office is sustainable at a volume when its backlog does not keep growing. The ramp:

1. Flatten the volume (every month factor 1, no day-type factors), so that the load is
   the same every week, and compute an upper bound from offered load: for each resource
   (officers, X-ray lines, postal staff, clerks) the server-hours it has per day divided
   by the hours of its work one item brings (`offered_bound`). The smallest is the bound
   and names the likely bottleneck; it ignores queueing and shift timing, so the real
   capacity is lower.
2. Simulate `window_days` (after `warmup_days`) at a total volume V and record the
   office's backlog at each midnight (items awaiting its own or customs' work, inbound
   plus outbound). V is *stable* when the mean backlog of the window's last week exceeds
   that of its first week by no more than `relative_tolerance` × the first week's mean
   plus `absolute_tolerance` × V (defaults 10% and 2% of a day's items): a growing
   backlog grows linearly, a stable one only fluctuates. Whole weeks are compared so
   that the weekly sea-mail container does not look like growth.
3. Start at 0.8 and 1.2 times the bound; halve the lower volume until it is stable and
   double the upper until it is not; then bisect `refine` times. The sustainable
   capacity is the largest stable volume tried. Its resolution is that of the last
   bisection step and of the stability test (an overload of a few per cent grows the
   backlog too slowly to be seen in a few weeks).

Each trial is one replication of a few weeks, so a ramp costs a handful of short runs.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

import numpy as np

from models.mail.inbound import xray_capacity
from models.mail.model import build
from models.mail.params import Params
from models.mail.schedules import mean_capacity
from sim.calendar import HOURS_PER_DAY, DayCalendar, capacity_changes
from sim.context import Context
from sim.frozen import FrozenMapping
from sim.streams import Streams


@dataclass(frozen=True)
class Trial:
    """One simulated volume of the ramp."""

    items_per_day: float
    stable: bool
    #: mean midnight backlog in the window's first and last weeks, items
    backlog_first_week: float
    backlog_last_week: float


@dataclass(frozen=True)
class Capacity:
    items_per_day: float
    bound_items_per_day: float
    bottleneck: str
    bounds: dict[str, float]
    trials: tuple[Trial, ...]


def flat(params: Params, items_per_day: float) -> Params:
    """`params` with a flat volume of `items_per_day` (inbound plus outbound)."""
    volume = dataclasses.replace(params.volume, annual_items=items_per_day * 365.0, growth=1.0,
                                 month_factors=(1.0,) * 12, day_type_factors=FrozenMapping())
    return dataclasses.replace(params, volume=volume)


def offered_bound(params: Params, start: dt.datetime = dt.datetime(2024, 3, 4)) -> dict[str, float]:
    """Items per day (inbound plus outbound) each resource could handle if busy all its
    hours on duty, averaged over four weeks from `start`."""
    calendar = DayCalendar(start)
    span = 28 * HOURS_PER_DAY
    inbound, customs, outbound = params.inbound, params.customs, params.outbound
    judgement = customs.judgement
    inbound_share = params.volume.inbound_share
    outbound_share = 1.0 - inbound_share

    def hours_per_day(shifts: tuple) -> float:
        return mean_capacity(capacity_changes(shifts, calendar, span), span) * HOURS_PER_DAY

    officer_hours = hours_per_day(customs.officers)
    officer_changes = capacity_changes(customs.officers, calendar, span)

    def line_hours_per_day(lines: int, shifts: tuple) -> float:
        return mean_capacity(xray_capacity(lines, shifts, officer_changes, calendar, span), span) * HOURS_PER_DAY
    ead = customs.ead_coverage
    multiplier = customs.no_ead_hold_multiplier
    risk = ead * customs.inspection_rate + (1 - ead) * min(1.0, customs.inspection_rate * multiplier)
    false_positive = judgement.ai_false_positive_rate if judgement.ai else judgement.false_positive_rate
    inspected = 1 - (1 - risk) * (1 - judgement.anomaly_share) * (1 - false_positive)
    documents = (1 - inspected) * (ead * customs.documents_rate
                                   + (1 - ead) * min(1.0, customs.documents_rate * multiplier))
    image_h = judgement.image_s.expected() / 3600 * (judgement.ai_time_factor if judgement.ai else 1.0)
    officer_work = (inbound_share * (image_h + (1 - ead) * customs.review_min.expected() / 60
                                     + inspected * customs.inspection_min.expected() / 60
                                     + documents * customs.documents_check_min.expected() / 60)
                    + outbound_share * (image_h + outbound.hold_rate * outbound.inspection_min.expected() / 60))
    receptacle_items = sum(t.share * t.receptacle_items.expected() for t in inbound.transports)
    staff_work = inbound_share * (inbound.opening_min.expected() / 60 / receptacle_items + inbound.scan_s / 3600)
    bounds = {
        "officers": officer_hours / officer_work,
        "inbound_xray": line_hours_per_day(inbound.xray_lines, inbound.xray_shifts) * inbound.xray_rate_per_h
        / inbound_share if inbound_share > 0 else float("inf"),
        "outbound_xray": line_hours_per_day(outbound.xray_lines, outbound.xray_shifts) * outbound.xray_rate_per_h
        / outbound_share if outbound_share > 0 else float("inf"),
        "postal_staff": hours_per_day(inbound.postal_staff) / staff_work if staff_work > 0 else float("inf"),
        "acceptance_staff": hours_per_day(outbound.acceptance_staff)
        / (outbound_share * outbound.acceptance_s.expected() / 3600) if outbound_share > 0 else float("inf"),
        "data_clerks": hours_per_day(inbound.data_clerks)
        / (inbound_share * (1 - ead) * inbound.data_capture_min.expected() / 60) if ead < 1 and inbound_share > 0
        else float("inf"),
    }
    return bounds


def trial(params: Params, items_per_day: float, *, start: dt.datetime = dt.datetime(2024, 3, 4),
          warmup_days: int = 7, window_days: int = 21, seed: int = 1, replication: int = 0,
          relative_tolerance: float = 0.1, absolute_tolerance: float = 0.02) -> Trial:
    """Simulate a flat `items_per_day` and judge whether the backlog stays bounded."""
    if window_days < 14:
        raise ValueError("the window needs at least two weeks to compare its first and last")
    horizon = (warmup_days + window_days) * HOURS_PER_DAY
    context = Context(Streams(seed, replication), horizon=horizon, warmup=warmup_days * HOURS_PER_DAY,
                      calendar=DayCalendar(start), log=False)
    built = build(context, flat(params, items_per_day))
    context.run()
    backlog = np.asarray(built.backlog.samples["inbound"]) + np.asarray(built.backlog.samples["outbound"])
    first, last = float(backlog[:7].mean()), float(backlog[-7:].mean())
    stable = last - first <= relative_tolerance * first + absolute_tolerance * items_per_day
    return Trial(items_per_day, stable, first, last)


def sustainable_capacity(params: Params, *, refine: int = 3, seed: int = 1, warmup_days: int = 7,
                         window_days: int = 21, relative_tolerance: float = 0.1, absolute_tolerance: float = 0.02,
                         start: dt.datetime = dt.datetime(2024, 3, 4)) -> Capacity:
    """The load ramp described in the module docstring."""
    bounds = offered_bound(params, start)
    bottleneck = min(bounds, key=bounds.__getitem__)
    bound = bounds[bottleneck]
    trials: list[Trial] = []

    def judge(volume: float) -> bool:
        result = trial(params, volume, start=start, warmup_days=warmup_days, window_days=window_days, seed=seed,
                       relative_tolerance=relative_tolerance, absolute_tolerance=absolute_tolerance)
        trials.append(result)
        return result.stable

    low, high = 0.8 * bound, 1.2 * bound
    while not judge(low):
        high, low = low, low / 2
        if low < 1.0:
            return Capacity(0.0, bound, bottleneck, bounds, tuple(trials))
    if high > low:
        for _ in range(8):
            if not judge(high):
                break
            low, high = high, high * 2
    for _ in range(refine):
        middle = (low + high) / 2
        if judge(middle):
            low = middle
        else:
            high = middle
    best = max(t.items_per_day for t in trials if t.stable)
    return Capacity(best, bound, bottleneck, bounds, tuple(trials))
