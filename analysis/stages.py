"""Time Release Study stage tables from the milestone log.

A model declares an ordered list of milestones (its `STAGES`, e.g. arrival, declaration
lodged, customs release, exit); stage i is the time from milestone i-1 to milestone i of
the same entity, and the total is the time from the first to the last milestone
(WCO, *Guide to Measure the Time Required for the Release of Goods*, version 3, 2018).

Rules, chosen so that stage means add up to the total mean exactly:

* An entity counts when it has the first and the last milestone of the list (it entered
  and finished the measured process). Entities still in the system at the horizon, or
  dropped on the way, are left out of every stage alike.
* A milestone the entity skipped (an item never held, a parcel never inspected) takes the
  time of the previous milestone it did pass, so the stage ending at the skipped milestone
  lasts 0 and the next stage runs from the last milestone passed. Each entity's stage
  durations then telescope to its total, for every entity, so per-replication stage means
  sum to the per-replication total mean, and so do the means over replications.
  `share_reached` tells how many entities actually passed each stage's end milestone.
* A milestone recorded more than once (feedback, re-inspection) counts at its first time.
* With `since` (e.g. the warm-up length) only entities whose first milestone is at or after
  `since` count, so the table describes the observation window.

Statistics per (scenario, class, stage): the mean, median, p90 and p95 of the entity
durations in each replication are the observations; each gets a t-interval over
replications (see `analysis.intervals`). Percentiles of stages do not add up to the
percentile of the total; only the means reconcile.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from analysis.intervals import PERCENTILES, interval_table, percentile_table

ALL = "all"
TOTAL = "total"
_RUN = ["scenario", "replication"]


def log_frame(events: Any, scenario: str, replication: int) -> pd.DataFrame:
    """A run's milestone log (an `EventTable`: numpy columns entity, milestone codes, time,
    resource and `names`) as a DataFrame with the columns this module reads."""
    milestone = pd.Categorical.from_codes(np.asarray(events.milestone, dtype=np.int64), categories=list(events.names))
    return pd.DataFrame({
        "scenario": scenario,
        "replication": replication,
        "entity": events.entity,
        "milestone": milestone,
        "time": events.time,
        "resource": events.resource,
    })


def stage_names(milestones: Sequence[str]) -> list[str]:
    """Default stage labels "from → to" for consecutive milestones."""
    return [f"{begin} → {end}" for begin, end in itertools.pairwise(milestones)]


def stage_durations(
    log: pd.DataFrame,
    milestones: Sequence[str],
    names: Sequence[str] | None = None,
    since: float | None = None,
    classes: pd.DataFrame | None = None,
    class_column: str = "class",
) -> pd.DataFrame:
    """One row per counted entity and stage (plus the total), long format:
    scenario, replication, entity, class, stage, duration, reached.

    `classes` maps entities to a class (columns `entity`, `class_column`, and `scenario` /
    `replication` when entity ids repeat across runs); unmatched entities get class "unknown".
    """
    if len(milestones) < 2:
        raise ValueError("a stage list needs at least two milestones")
    if len(set(milestones)) != len(milestones):
        raise ValueError(f"milestones repeat in the stage list {list(milestones)}")
    labels = list(names) if names is not None else stage_names(milestones)
    if len(labels) != len(milestones) - 1:
        raise ValueError(f"{len(labels)} stage names for {len(milestones) - 1} stages")
    last = len(milestones) - 1
    step, mask = _steps(log["milestone"], milestones)
    scenario_codes, scenario_names = pd.factorize(log["scenario"].to_numpy()[mask])
    replication = log["replication"].to_numpy(dtype=np.int64)[mask]
    entity = log["entity"].to_numpy(dtype=np.int64)[mask]
    time = log["time"].to_numpy(dtype=float)[mask]
    # one integer key per (scenario, replication, entity): a hash factorisation, no groupby
    replication_low, entity_low = (int(replication.min()), int(entity.min())) if entity.size else (0, 0)
    replication_span = int(replication.max()) - replication_low + 1 if entity.size else 1
    entity_span = int(entity.max()) - entity_low + 1 if entity.size else 1
    if max(len(scenario_names), 1) * replication_span * entity_span >= 2**62:
        raise ValueError("entity ids too large to key; renumber entities per run")
    key = (scenario_codes * replication_span + (replication - replication_low)) * entity_span + (entity - entity_low)
    entity_codes, keys = pd.factorize(key)
    times = np.full((len(keys), len(milestones)), np.inf)
    np.minimum.at(times, (entity_codes, step), time)  # first time of each milestone
    times[np.isinf(times)] = np.nan
    counted = ~np.isnan(times[:, 0]) & ~np.isnan(times[:, last])
    if since is not None:
        counted &= times[:, 0] >= since
    times, keys = times[counted], keys[counted]
    reached = ~np.isnan(times[:, 1:])
    filled = pd.DataFrame(times).ffill(axis=1).to_numpy()
    durations = np.diff(filled, axis=1)
    total = filled[:, last] - filled[:, 0]

    stage_count = len(labels) + 1
    run = keys // entity_span
    long = pd.DataFrame({
        "scenario": pd.Categorical.from_codes(np.repeat(run // replication_span, stage_count),
                                              categories=pd.Index(scenario_names)),
        "replication": np.repeat(run % replication_span + replication_low, stage_count),
        "entity": np.repeat(keys % entity_span + entity_low, stage_count),
        "stage": pd.Categorical.from_codes(np.tile(np.arange(stage_count), len(keys)),
                                           categories=[*labels, TOTAL], ordered=True),
        "duration": np.column_stack([durations, total]).ravel(),
        "reached": np.column_stack([reached, np.ones(len(keys), dtype=bool)]).ravel(),
    })
    if classes is None:
        long["class"] = ALL
    else:
        keys = [column for column in ("scenario", "replication", "entity") if column in classes.columns]
        lookup = classes[[*keys, class_column]].drop_duplicates(keys).rename(columns={class_column: "class"})
        long = long.merge(lookup, on=keys, how="left")
        long["class"] = long["class"].astype(object).where(long["class"].notna(), "unknown")
    return long[[*_RUN, "entity", "class", "stage", "duration", "reached"]]


def _steps(milestone: pd.Series, milestones: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Position in the stage list of each log row's milestone, and the mask of rows in it."""
    steps = {name: step for step, name in enumerate(milestones)}
    if isinstance(milestone.dtype, pd.CategoricalDtype):
        lookup = np.array([steps.get(name, -1) for name in milestone.cat.categories] + [-1], dtype=np.int64)
        every = lookup[milestone.cat.codes.to_numpy()]  # code -1 (missing) picks the trailing -1
    else:
        every = milestone.map(steps).fillna(-1).to_numpy(dtype=np.int64)
    mask = every >= 0
    return every[mask], mask


def stage_table(
    log: pd.DataFrame,
    milestones: Sequence[str],
    names: Sequence[str] | None = None,
    since: float | None = None,
    classes: pd.DataFrame | None = None,
    class_column: str = "class",
    confidence: float = 0.95,
) -> pd.DataFrame:
    """The Time Release Study table: one row per (scenario, class, stage), stages in list
    order then "total", class "all" first and then each class of `classes`.

    Columns: scenario, class, stage, mean, mean_ci_low, mean_ci_high, and the same for
    median, p90, p95 (t-intervals over replications of per-replication statistics),
    replications, entities (counted entities over all replications), share_reached.
    Durations are in the log's time unit (hours).
    """
    long = stage_durations(log, milestones, names, since, classes, class_column)
    parts = [_statistics(long.assign(**{"class": ALL}), confidence)]
    if classes is not None:
        parts.append(_statistics(long, confidence))
    table = pd.concat(parts, ignore_index=True)
    scenario_order = pd.unique(log["scenario"])
    table["scenario"] = pd.Categorical(table["scenario"], categories=scenario_order, ordered=True)
    class_order = [ALL, *sorted(c for c in pd.unique(long["class"]) if c != ALL)]
    table["class"] = pd.Categorical(table["class"], categories=class_order, ordered=True)
    table = table.sort_values(["scenario", "class", "stage"]).reset_index(drop=True)
    table["scenario"] = table["scenario"].astype(object)
    table["class"] = table["class"].astype(object)
    table["stage"] = table["stage"].astype(object)
    return table


def _statistics(long: pd.DataFrame, confidence: float) -> pd.DataFrame:
    """Intervals of the mean and percentiles per (scenario, class, stage)."""
    by = ["scenario", "class", "stage"]
    means = long.groupby([*by, "replication"], observed=True, sort=False)["duration"].mean().rename("estimate").reset_index()
    mean_table = interval_table(means, "estimate", by, confidence)
    table = mean_table[[*by, "mean"]].assign(mean_ci_low=mean_table["ci_low"], mean_ci_high=mean_table["ci_high"],
                                             replications=mean_table["n"])
    percentiles = percentile_table(long, "duration", by, "replication", PERCENTILES, confidence)
    for name, _ in PERCENTILES:
        part = percentiles[percentiles["statistic"] == name]
        part = part[[*by, "mean", "ci_low", "ci_high"]].rename(
            columns={"mean": name, "ci_low": f"{name}_ci_low", "ci_high": f"{name}_ci_high"})
        table = table.merge(part, on=by, how="left")
    counts = long.groupby(by, observed=True, sort=False).agg(entities=("duration", "size"),
                                                              share_reached=("reached", "mean")).reset_index()
    return table.merge(counts, on=by, how="left")


def stage_sum_gap(table: pd.DataFrame) -> pd.Series:
    """Total mean minus the sum of stage means, per (scenario, class): zero up to rounding
    by construction (module docstring); the reconciliation check of a stage table."""
    is_total = table["stage"] == TOTAL
    stage_sum = table[~is_total].groupby(["scenario", "class"], sort=False)["mean"].sum()
    total = table[is_total].set_index(["scenario", "class"])["mean"]
    return (total - stage_sum.reindex(total.index)).rename("gap")
