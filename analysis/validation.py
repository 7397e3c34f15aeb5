"""Simulated against observed stage times, side by side, with a verdict per stage.

For each stage the table gives the mean, median and 90th percentile of the observed and of
the simulated durations, their differences, and the Wasserstein-1 distance between the two
empirical distributions (the mean absolute gap between their quantile functions, in the
stage's unit: hours). The verdict is an effect-size tolerance, not a significance test:
a stage is "within tolerance" when each of the three statistics differs by at most
max(`relative` x the observed value, `floor` hours), allowing for sampling noise
(`compare_stages`). With 10^5 observations a test rejects
any model, however close; a planner's question is whether the gap matters (Sargent,
"Verification and validation of simulation models", J. Simulation 7, 2013; Law 2015,
section 5.6.2: compare with "differences that are important").

Both sides are measured the same way (`analysis.observations.durations`): stages begun in
the window and completed are observations; stages open at the end are left out of both.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from analysis.stages import ALL, stage_durations
from analysis.style import color, label, new_figure, save, styled
from sim.spec import ClassRule, StageFlow

Key = tuple[str, str, str]  # (flow, class, stage)

STATISTICS = ("mean", "median", "p90")
TOLERANCE = 0.10  # relative to the observed statistic
FLOOR_H = 0.05  # hours: gaps below three minutes never matter to a release-time study


WITHIN, OUTSIDE, UNDECIDED = "within tolerance", "not within tolerance", "undecided"
_LEVELS = {"median": 0.5, "p90": 0.9}


def _statistics(values: np.ndarray, confidence: float) -> dict[str, tuple[float, float, float]]:
    """Each statistic with its interval: a t-interval for the mean, the distribution-free
    order-statistic interval for a quantile (ranks n p -/+ z sqrt(n p (1 - p)); Conover,
    *Practical Nonparametric Statistics*, 3rd ed., 1999, section 3.2)."""
    n = len(values)
    if n == 0:
        return {name: (np.nan, np.nan, np.nan) for name in STATISTICS}
    z = float(stats.norm.ppf(0.5 + confidence / 2))
    mean = float(np.mean(values))
    half = z * float(np.std(values, ddof=1)) / np.sqrt(n) if n > 1 else np.inf
    result = {"mean": (mean, mean - half, mean + half)}
    ordered = np.sort(values)
    for name, level in _LEVELS.items():
        spread = z * np.sqrt(n * level * (1 - level))
        low = int(np.floor(n * level - spread))
        high = int(np.ceil(n * level + spread))
        result[name] = (float(np.quantile(values, level)), float(ordered[low]) if low >= 0 else -np.inf,
                        float(ordered[high]) if high < n else np.inf)
    return result


def flow_durations(log: pd.DataFrame, flow: StageFlow, since: float | None = None) -> dict[Key, np.ndarray]:
    """Time Release Study durations of `flow` in a log (columns scenario, replication,
    entity, milestone, time), per (flow, class, stage), class "all" first: entities that
    passed the flow's first milestone (at or after `since`) and its last one, as the
    report's stage tables count them (`analysis.stages`)."""
    classes = entity_classes(log, flow.classes) if flow.classes else None
    long = stage_durations(log, flow.milestones, since=since, classes=classes)
    durations: dict[Key, np.ndarray] = {}
    for stage, part in long.groupby("stage", observed=True, sort=True):
        durations[(flow.name, ALL, str(stage))] = part["duration"].to_numpy(dtype=float)
    if classes is not None:
        for (klass, stage), part in long.groupby(["class", "stage"], observed=True, sort=True):
            durations[(flow.name, str(klass), str(stage))] = part["duration"].to_numpy(dtype=float)
    return durations


def entity_classes(log: pd.DataFrame, rules: Sequence[ClassRule]) -> pd.DataFrame:
    """The class of each entity: the first rule whose `has` milestone it passed and whose
    `lacks` milestone it did not (columns scenario, replication, entity, class)."""
    keys = ["scenario", "replication", "entity"]
    entities = log[keys].drop_duplicates().reset_index(drop=True)
    index = pd.MultiIndex.from_frame(entities)
    milestone = log["milestone"].astype(str)

    def passed(name: str) -> np.ndarray:
        return index.isin(pd.MultiIndex.from_frame(log.loc[milestone == name, keys].drop_duplicates()))

    classes = np.full(len(entities), None, dtype=object)
    for rule in rules:
        hit = pd.isna(classes)
        if rule.has is not None:
            hit &= passed(rule.has)
        if rule.lacks is not None:
            hit &= ~passed(rule.lacks)
        classes[hit] = rule.name
    classes[pd.isna(classes)] = "unknown"
    return entities.assign(**{"class": classes})


def compare_stages(observed: Mapping[Key, np.ndarray], simulated: Mapping[Key, np.ndarray],
                   relative: float = TOLERANCE, floor: float = FLOOR_H, confidence: float = 0.95) -> pd.DataFrame:
    """One row per (flow, class, stage): n, statistics of both sides, differences with
    their intervals, tolerance, distance and verdict.

    The verdict weighs the gap against the tolerance, allowing for the sampling noise of
    both sides (the difference's interval combines the two statistics' intervals):
    "not within tolerance" when for some statistic the whole interval lies beyond the
    tolerance, "within tolerance" when for every statistic it lies inside, "undecided"
    when the data cannot tell (too few observations for the tolerance asked).
    Simulated entities of one replication are pooled as if independent, which makes the
    simulated intervals somewhat narrow; the observed side usually dominates the noise.
    """
    rows = []
    for (flow, klass, stage), seen in observed.items():
        made = simulated.get((flow, klass, stage), np.empty(0))
        row: dict[str, object] = {"flow": flow, "class": klass, "stage": stage, "observed_n": len(seen),
                                  "simulated_n": len(made)}
        left, right = _statistics(seen, confidence), _statistics(made, confidence)
        verdicts = []
        for name in STATISTICS:
            (a, a_low, a_high), (b, b_low, b_high) = left[name], right[name]
            tolerance = max(relative * abs(a), floor)
            low, high = b_low - a_high, b_high - a_low
            row[f"observed_{name}_h"] = a
            row[f"simulated_{name}_h"] = b
            row[f"diff_{name}_h"] = b - a
            row[f"diff_{name}_low_h"] = low
            row[f"diff_{name}_high_h"] = high
            row[f"tolerance_{name}_h"] = tolerance
            if not (len(seen) and len(made)):
                verdicts.append(OUTSIDE if len(seen) else UNDECIDED)
            elif low > tolerance or high < -tolerance:
                verdicts.append(OUTSIDE)
            elif -tolerance <= low and high <= tolerance:
                verdicts.append(WITHIN)
            else:
                verdicts.append(UNDECIDED)
        row["wasserstein_h"] = float(stats.wasserstein_distance(seen, made)) if len(seen) and len(made) else np.nan
        row["verdict"] = OUTSIDE if OUTSIDE in verdicts else WITHIN if all(v == WITHIN for v in verdicts) else UNDECIDED
        rows.append(row)
    return pd.DataFrame(rows)


#: probabilities at which each side's distribution is kept for figures (aggregates only)
QUANTILES = np.linspace(0.0, 1.0, 101)


def quantile_table(observed: Mapping[Key, np.ndarray], simulated: Mapping[Key, np.ndarray]) -> pd.DataFrame:
    """Percentiles 0..100 of both sides per (flow, class, stage): what an ECDF figure needs,
    without keeping any observation."""
    rows = []
    for key, seen in observed.items():
        for side, values in (("observed", seen), ("simulated", simulated.get(key, np.empty(0)))):
            if len(values):
                for q, value in zip(QUANTILES, np.quantile(values, QUANTILES)):
                    rows.append((*key, side, len(values), float(q), float(value)))
    return pd.DataFrame(rows, columns=["flow", "class", "stage", "side", "n", "q", "value"])


@styled
def ecdf_figure(quantiles: pd.DataFrame, title: str, path: str | Path):
    """Distribution functions of one stage, observed against simulated, from `quantile_table` rows."""
    figure, axes = new_figure()
    for index, side in enumerate(("observed", "simulated")):
        part = quantiles[quantiles["side"] == side]
        if len(part):
            axes.step(part["value"], part["q"], where="post", color=color(index),
                      label=f"{side} (n = {int(part['n'].iloc[0])})")
    axes.legend(loc="lower right", frameon=False)
    label(axes, f"{title}: observed and simulated", "duration [h]", "share of entities at or below")
    return save(figure, path)
