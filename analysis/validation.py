"""Simulated against observed stage times, side by side, with a verdict per stage.

For each stage the table gives the mean, median and 90th percentile of the observed and of
the simulated durations, their differences, and the Wasserstein-1 distance between the two
empirical distributions (the mean absolute gap between their quantile functions, in the
stage's unit: hours). The verdict is an effect-size tolerance, not a significance test:
a stage is "within tolerance" when each of the three statistics differs by at most
max(`relative` x the observed value, `floor` hours). With 10^5 observations a test rejects
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


def _statistics(values: np.ndarray) -> dict[str, float]:
    if len(values) == 0:
        return {name: np.nan for name in STATISTICS}
    return {"mean": float(np.mean(values)), "median": float(np.median(values)),
            "p90": float(np.quantile(values, 0.9))}


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
                   relative: float = TOLERANCE, floor: float = FLOOR_H) -> pd.DataFrame:
    """One row per (flow, class, stage): n, statistics of both sides, differences,
    distance, verdict."""
    rows = []
    for (flow, klass, stage), seen in observed.items():
        made = simulated.get((flow, klass, stage), np.empty(0))
        row: dict[str, object] = {"flow": flow, "class": klass, "stage": stage, "observed_n": len(seen),
                                  "simulated_n": len(made)}
        left, right = _statistics(seen), _statistics(made)
        within = len(seen) > 0 and len(made) > 0
        for name in STATISTICS:
            tolerance = max(relative * abs(left[name]), floor)
            difference = right[name] - left[name]
            row[f"observed_{name}_h"] = left[name]
            row[f"simulated_{name}_h"] = right[name]
            row[f"diff_{name}_h"] = difference
            row[f"tolerance_{name}_h"] = tolerance
            within = within and abs(difference) <= tolerance
        row["wasserstein_h"] = float(stats.wasserstein_distance(seen, made)) if len(seen) and len(made) else np.nan
        row["verdict"] = "within tolerance" if within else "not within tolerance"
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
