"""Calibrate a model's parameters from an event log, one `StageCalibration` at a time.

Each entry of the model's calibration map becomes a `Fitted` value (scenario-file form,
ready for an overlay) with its provenance, or a `Refused` one saying why the baseline's
value is kept (too few observations). Only aggregates leave this module.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from analysis import fitting, observations
from analysis.eventlog import EventLog
from sim.distributions import KINDS, Distribution
from sim.spec import StageCalibration


@dataclass(frozen=True)
class Fitted:
    """Parameter `path` fitted: `value` in scenario-file form; `estimate` its central value
    (a mean in hours, a rate per hour, a share) with a 95% interval where one exists."""

    path: str
    kind: str
    value: Any
    provenance: str
    n: int
    estimate: float
    low: float = math.nan
    high: float = math.nan
    statistic: float = math.nan  # KS distance of a duration fit


@dataclass(frozen=True)
class Refused:
    path: str
    kind: str
    reason: str


def calibrate(log: EventLog, stages: Sequence[StageCalibration], min_observations: int = fitting.MIN_OBSERVATIONS,
              ) -> list[Fitted | Refused]:
    outcomes: list[Fitted | Refused] = []
    for stage in stages:
        try:
            outcomes.append(_fit(log, stage, min_observations))
        except fitting.FitError as error:
            outcomes.append(Refused(stage.parameter, stage.kind, f"{stage.begin} -> {stage.end or ''}: {error}"))
    return outcomes


def _fit(log: EventLog, stage: StageCalibration, min_observations: int) -> Fitted:
    events, source = log.events, log.source
    if stage.kind == "duration":
        factor = PER_HOUR[stage.unit]
        done, censored = observations.durations(events, stage.begin, stage.end or "", log.end)
        fit = fitting.fit_duration(done * factor, censored * factor, min_observations)
        ci = _mean_interval(done * factor)
        return Fitted(stage.parameter, stage.kind, distribution_table(fit.distribution),
                      f"{fit.provenance(source)} (in {stage.unit})", fit.n, fit.distribution.expected(), ci[0], ci[1],
                      fit.ks_distance)
    if stage.kind == "batch":
        sizes = observations.batch_sizes(events, stage.begin)
        fit = fitting.fit_duration(sizes, None, min_observations)
        ci = _mean_interval(sizes)
        return Fitted(stage.parameter, stage.kind, distribution_table(fit.distribution),
                      fit.provenance(source).replace(", n = ", ", batches n = ", 1), fit.n,
                      fit.distribution.expected(), ci[0], ci[1], fit.ks_distance)
    if stage.kind == "profile":
        times = observations.arrival_times(events, stage.begin, stage.end)
        if len(times) < min_observations:
            raise fitting.FitError(f"{len(times)} arrivals, fewer than the {min_observations} needed")
        weights = fitting.daily_profile(times, float(events["time"].min()), float(events["time"].max()))
        return Fitted(stage.parameter, stage.kind, [_rounded(w) for w in weights],
                      f"fitted from {source}, n = {len(times)} arrivals, mean per clock hour relative to the "
                      "daily mean", len(times), float(len(times)))
    if stage.kind == "share":
        taken, n = observations.next_share(events, stage.begin, stage.end or "")
        if n < min_observations:
            raise fitting.FitError(f"{n} observations, fewer than the {min_observations} needed")
        share = fitting.share(taken, n)
        return Fitted(stage.parameter, stage.kind, _rounded(share.estimate), share.provenance(source), n,
                      share.estimate, share.low, share.high)
    if stage.kind == "arrivals":
        times = observations.arrival_times(events, stage.begin, stage.end)
        span = float(events["time"].max() - events["time"].min())
        if len(times) < min_observations:
            raise fitting.FitError(f"{len(times)} arrivals, fewer than the {min_observations} needed")
        rate = fitting.poisson_rate(len(times), span)
        return Fitted(stage.parameter, stage.kind, _rounded(rate.estimate), rate.provenance(source), len(times),
                      rate.estimate, rate.low, rate.high)
    raise fitting.FitError(f"calibration kind {stage.kind!r} is not supported")


#: durations are in hours in a log; a parameter may be in minutes or seconds
PER_HOUR = {"h": 1.0, "min": 60.0, "s": 3600.0}


def distribution_table(distribution: Distribution) -> dict[str, Any]:
    """A distribution as a scenario file writes it, e.g. {dist = "gamma", mean = .., cv = ..}."""
    table: dict[str, Any] = {"dist": distribution.kind}
    for key in KINDS[distribution.kind][0]:
        value = getattr(distribution, key)
        table[key] = [_rounded(v) for v in value] if key == "values" else _rounded(value)
    return table


def _rounded(value: float) -> float:
    """Six significant digits: more than any fit supports, fewer than a float prints."""
    return float(f"{value:.6g}")


def _mean_interval(values: np.ndarray) -> tuple[float, float]:
    from scipy import stats

    n = len(values)
    half = float(stats.t.ppf(0.975, n - 1) * np.std(values, ddof=1) / math.sqrt(n)) if n > 1 else math.nan
    mean = float(np.mean(values))
    return mean - half, mean + half
