"""Warm-up analysis for steady-state runs: Welch's moving averages and MSER-5.

Both read a monitor series: observations in order (waits of successive entities), or a
time-weighted level (queue length, WIP) turned into averages over equal periods by
`period_averages`. They suggest a warm-up length; the planner chooses it and writes it in
the scenario's `[run] warmup`.

* Welch's graphical method (Welch 1983; Law, *Simulation Modeling and Analysis*, 5th ed.,
  2015, §9.5.1): average the series across replications period by period, smooth it with
  a centred moving average of window 2w+1 (shrinking near the start), and read off where
  the curve flattens.
* MSER-5 (White 1997; White, Cobb & Spratt 2000, "A comparison of five steady-state
  truncation heuristics", Winter Simulation Conference): batch the series into means of 5,
  and truncate the d batches that minimise the marginal standard error
  MSER(d) = Σ_{j>d} (Z_j - Z̄_d)² / (n-d)², searching d over the first half of the batches
  (beyond it the statistic rests on too few batches and is unreliable).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd


def period_averages(times: Sequence[float] | np.ndarray, levels: Sequence[float] | np.ndarray, period: float,
                    horizon: float, start: float = 0.0) -> np.ndarray:
    """Time averages over periods [start + k·period, start + (k+1)·period) of a step
    function that takes `levels[i]` from `times[i]` until the next change (the level before
    times[0] is levels[0]). Periods that do not fit before `horizon` are dropped."""
    times = np.asarray(times, dtype=float)
    levels = np.asarray(levels, dtype=float)
    if times.size == 0 or times.size != levels.size:
        raise ValueError("times and levels must be non-empty and of equal length")
    count = int(np.floor((horizon - start) / period + 1e-9))
    if count <= 0:
        return np.empty(0)
    edges = start + period * np.arange(count + 1)
    # changes before `start` collapse onto it (the last one wins through side="right")
    change_times = np.clip(times, start, None)
    if change_times[0] > start:
        change_times = np.concatenate([[start], change_times])
        levels = np.concatenate([levels[:1], levels])
    area_at_change = np.concatenate([[0.0], np.cumsum(levels[:-1] * np.diff(change_times))])
    position = np.searchsorted(change_times, edges, side="right") - 1
    area = area_at_change[position] + levels[position] * (edges - change_times[position])
    return np.diff(area) / period


@dataclass(frozen=True)
class WelchCurve:
    """Data of a Welch plot: per period, the across-replication average and its moving average."""

    window: int
    frame: pd.DataFrame  # columns period, average, moving_average


def welch(series: np.ndarray | Sequence[Sequence[float]], window: int) -> WelchCurve:
    """Welch's moving average (Law §9.5.1): `series` is replications × periods.

    For period i (1-based) ≤ w the average runs over the 2i-1 periods centred on i; later
    over 2w+1 periods; the last w periods have no full window and are left out.
    """
    data = np.atleast_2d(np.asarray(series, dtype=float))
    averages = np.nanmean(data, axis=0)
    m = averages.size
    if window < 1 or m < 2 * window + 1:
        raise ValueError(f"window {window} needs at least {2 * window + 1} periods, got {m}")
    cumulative = np.concatenate([[0.0], np.cumsum(averages)])
    periods = np.arange(1, m - window + 1)  # 1-based periods with a defined moving average
    half = np.minimum(periods - 1, window)
    sums = cumulative[periods + half] - cumulative[periods - half - 1]
    moving = sums / (2 * half + 1)
    frame = pd.DataFrame({"period": periods, "average": averages[: m - window], "moving_average": moving})
    return WelchCurve(window, frame)


@dataclass(frozen=True)
class MserResult:
    """MSER truncation: drop the first `truncation` observations (= `batches_dropped` batches)."""

    truncation: int
    batches_dropped: int
    batch_size: int
    statistic: np.ndarray  # MSER(d) for d = 0 .. searched limit
    at_limit: bool  # the minimum sits at the search limit: the run is likely too short


def mser(series: Sequence[float] | np.ndarray, batch_size: int = 5) -> MserResult:
    """MSER-`batch_size` truncation point of one series (MSER-5 by default).

    Trailing observations that do not fill a batch are ignored. Vectorised with suffix sums.
    """
    data = np.asarray(series, dtype=float)
    count = data.size // batch_size
    if count < 4:
        raise ValueError(f"MSER needs at least {4 * batch_size} observations, got {data.size}")
    batches = data[: count * batch_size].reshape(count, batch_size).mean(axis=1)
    centred = batches - batches.mean()  # reduces round-off in the sums of squares
    suffix_sum = np.cumsum(centred[::-1])[::-1]
    suffix_squares = np.cumsum((centred**2)[::-1])[::-1]
    remaining = count - np.arange(count)
    squares = suffix_squares - suffix_sum**2 / remaining
    limit = count // 2
    statistic = np.clip(squares[: limit + 1], 0, None) / remaining[: limit + 1] ** 2
    dropped = int(np.argmin(statistic))
    return MserResult(dropped * batch_size, dropped, batch_size, statistic, dropped == limit)


def mser_replications(series: np.ndarray | Sequence[Sequence[float]], batch_size: int = 5) -> MserResult:
    """MSER on the across-replication average series (replications × periods), which
    smooths the noise that can make MSER on a single replication jump around."""
    data = np.atleast_2d(np.asarray(series, dtype=float))
    return mser(np.nanmean(data, axis=0), batch_size)


def block_means(samples: np.ndarray | Sequence[Sequence[float]], per_block: int) -> np.ndarray:
    """Means of consecutive blocks of `per_block` samples along the last axis (replications ×
    samples -> replications × blocks); a trailing partial block is dropped. Turns levels
    sampled every few minutes into the period averages Welch's method and MSER read."""
    data = np.atleast_2d(np.asarray(samples, dtype=float))
    if per_block < 1:
        raise ValueError(f"per_block must be >= 1, got {per_block}")
    count = data.shape[1] // per_block
    return data[:, : count * per_block].reshape(data.shape[0], count, per_block).mean(axis=2)


@dataclass(frozen=True)
class WarmupSuggestion:
    """Welch curve and MSER-5 truncation of a period series, with the truncation in hours."""

    period_hours: float
    welch: WelchCurve
    mser: MserResult

    @property
    def hours(self) -> float:
        """MSER-5's truncation point in hours (periods dropped × period length)."""
        return self.mser.truncation * self.period_hours


def suggest_warmup(periods: np.ndarray | Sequence[Sequence[float]], period_hours: float,
                   window: int | None = None, batch_size: int = 5) -> WarmupSuggestion:
    """Welch's moving average (window: `window`, default a tenth of the periods, at least
    1) and MSER-`batch_size` on the across-replication average of `periods`
    (replications × periods of `period_hours` each)."""
    data = np.atleast_2d(np.asarray(periods, dtype=float))
    count = data.shape[1]
    chosen = window if window is not None else max(1, min(count // 10, (count - 1) // 2))
    return WarmupSuggestion(period_hours, welch(data, chosen), mser_replications(data, batch_size))
