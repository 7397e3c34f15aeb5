"""Replication sizing: how many replications give a KPI interval of a target precision.

Law, *Simulation Modeling and Analysis*, 5th ed., 2015, §9.4.1 ("Obtaining a specified
precision"). From n pilot replications with mean X̄(n) and variance S²(n), the number of
replications for a relative error γ is approximately

    n*_r(γ) = min{ i ≥ n : t_{i-1, 1-α/2} · sqrt(S²(n) / i) / |X̄(n)| ≤ γ' },  γ' = γ / (1 + γ)

where γ' is Law's adjusted target: a half-width of γ'·|X̄| guarantees that the actual
relative error |X̄ - μ| / |μ| is at most γ (with the interval's confidence). For an absolute
half-width β the bound is t · sqrt(S²(n)/i) ≤ β. Because S²(n) itself is an estimate, the
sequential procedure of the same section is the reliable one: start with n0 ≥ 10
replications, and add one at a time until the current interval meets the target
(`sequential`); Law recommends γ ≤ 0.15 for it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.intervals import t_interval, t_quantile


def adjusted_target(relative: float, adjusted: bool = True) -> float:
    """Law's γ' = γ / (1 + γ), or γ itself when `adjusted` is False."""
    if relative <= 0:
        raise ValueError(f"a relative half-width target must be > 0, got {relative}")
    return relative / (1 + relative) if adjusted else relative


def replications_needed(values: Sequence[float] | np.ndarray, relative: float | None = None,
                        absolute: float | None = None, confidence: float = 0.95, adjusted: bool = True,
                        limit: int = 100_000) -> int | None:
    """n*(γ) (relative target) or n*(β) (absolute half-width) from pilot `values`
    (module docstring); never fewer than the pilot's n. None when even `limit` replications
    would not do (or the pilot mean is 0 for a relative target)."""
    if (relative is None) == (absolute is None):
        raise ValueError("give exactly one of `relative` and `absolute`")
    pilot = t_interval(values, confidence)
    if pilot.n < 2:
        raise ValueError("sizing needs at least 2 pilot replications")
    if relative is not None:
        if pilot.mean == 0:
            return None
        bound = adjusted_target(relative, adjusted) * abs(pilot.mean)
    else:
        assert absolute is not None
        if absolute <= 0:
            raise ValueError(f"an absolute half-width target must be > 0, got {absolute}")
        bound = absolute
    if pilot.std == 0:
        return pilot.n
    candidates = np.arange(pilot.n, limit + 1)
    half_widths = t_quantile(candidates, confidence) * pilot.std / np.sqrt(candidates)
    meets = np.flatnonzero(half_widths <= bound)
    return int(candidates[meets[0]]) if meets.size else None


def sizing_table(runs: pd.DataFrame, targets: Mapping[str, float], confidence: float = 0.95,
                 adjusted: bool = True, value: str = "value") -> pd.DataFrame:
    """For each (scenario, metric) of a pilot runs table (scenario, replication, metric,
    value) whose metric has a relative target in `targets`: pilot n, mean, std, current
    relative half-width, target and the replications needed (NA when out of reach)."""
    rows = []
    chosen = runs[runs["metric"].isin(list(targets))]
    for (scenario, metric), group in chosen.groupby(["scenario", "metric"], sort=False):
        interval = t_interval(group[value].to_numpy(), confidence)
        needed = replications_needed(group[value].to_numpy(), relative=targets[metric], confidence=confidence,
                                     adjusted=adjusted)
        rows.append({"scenario": scenario, "metric": metric, "n": interval.n, "mean": interval.mean,
                     "std": interval.std, "relative_half_width": interval.relative_half_width,
                     "target": targets[metric], "replications_needed": needed})
    table = pd.DataFrame(rows, columns=["scenario", "metric", "n", "mean", "std", "relative_half_width",
                                        "target", "replications_needed"])
    table["replications_needed"] = table["replications_needed"].astype("Int64")
    return table


@dataclass(frozen=True)
class SequentialResult:
    """Outcome of the sequential procedure."""

    replications: int
    met: bool  # every target met (False: stopped at the limit)
    values: pd.DataFrame  # replication, metric, value: every replication made
    history: pd.DataFrame  # replications, metric, mean, half_width, relative_half_width, bound, met


def sequential(next_replication: Callable[[int], Mapping[str, float]], targets: Mapping[str, float],
               initial: int = 10, limit: int = 200, confidence: float = 0.95, adjusted: bool = True,
               first: int = 0) -> SequentialResult:
    """Law's sequential procedure for relative targets {metric: γ} on several KPIs at once.

    `next_replication(index)` runs replication `index` (first, first+1, ...) and returns its
    KPI values (e.g. `run(scenario, index).metrics`). After `initial` replications, one more
    is made until every targeted KPI's relative half-width is ≤ γ' (or `limit` is reached).
    """
    if initial < 2 or limit < initial:
        raise ValueError(f"need 2 <= initial <= limit, got initial={initial}, limit={limit}")
    bounds = {metric: adjusted_target(gamma, adjusted) for metric, gamma in targets.items()}
    observed: dict[str, list[float]] = {metric: [] for metric in targets}
    records: list[dict[str, float]] = []
    history: list[dict[str, object]] = []
    made = 0
    met = False
    while made < limit:
        values = next_replication(first + made)
        missing = set(targets) - set(values)
        if missing:
            raise KeyError(f"replication {first + made} has no value for {sorted(missing)}")
        for metric, value in values.items():
            records.append({"replication": first + made, "metric": metric, "value": float(value)})
        for metric in targets:
            observed[metric].append(float(values[metric]))
        made += 1
        if made < initial:
            continue
        met = True
        for metric, bound in bounds.items():
            interval = t_interval(observed[metric], confidence)
            ok = interval.relative_half_width <= bound
            met &= ok
            history.append({"replications": made, "metric": metric, "mean": interval.mean,
                            "half_width": interval.half_width, "relative_half_width": interval.relative_half_width,
                            "bound": bound, "met": ok})
        if met:
            break
    return SequentialResult(made, met, pd.DataFrame(records), pd.DataFrame(history))
