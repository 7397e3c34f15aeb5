"""Robust, conditional or fragile: each headline finding across the assumption space.

At every sampled point of the assumption space the baseline and each alternative ran the
same R replications (common random numbers); the *effect* at a point is the mean paired
difference alternative − baseline, in the metric's unit. The finding under test is the one
the scenarios as written give (point 0, the nominal point): "lowers M" when the nominal
effect is below −threshold, "raises M" above +threshold, "leaves M practically unchanged"
otherwise, where the threshold is the metric's declared `practical_threshold`. It *holds*
at a point when the effect has the finding's sign and is beyond the threshold (for "no
change": within ±threshold); a point where the metric is undefined (no entity measured)
counts as not holding.

Labels (shares are of the sampled points, the nominal one excluded):

* **robust**: holds at ≥ 95% of the points;
* **conditional**: holds at 50–95% and a shallow tree states when (`analysis.robustness_discovery`);
* **fragile**: holds at under half the points, or its holding follows no simple condition;
* **indicative**: fewer than `MIN_POINTS` points, too few for any of the above (the label it
  would have is kept in `tentative_label`).

`MIN_POINTS` comes from the synthetic check in ``tests/analysis/test_robustness_discovery.py``:
the finding holds when one of three assumptions is above 0.4 of its range, with effect noise
of 2% of the range (simulation noise near the threshold). Over 200 Latin hypercube designs,
the tree recovers the threshold within 5% of the range and labels the finding conditional
in 100% of designs of 30 points (99% at 40), against 80% at 12 points and 66% at 8; between
16 and 24 points it is 89–96%. Below 30 points a label is therefore only indicative.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis.robustness_discovery import Discovery, Variable, discover

ROBUST_SHARE = 0.95
FRAGILE_SHARE = 0.5
#: fewer sampled points than this make every label "indicative" (see the module docstring)
MIN_POINTS = 30
LABELS = ("robust", "conditional", "fragile", "indicative")

FINDING_KEYS = ["group", "baseline", "scenario", "metric"]
COLUMNS = [
    "baseline", "scenario", "metric", "metric_label", "unit", "better", "threshold", "claim", "nominal_effect",
    "points", "replications", "horizon_h", "share_holds", "effect_median", "effect_p5", "effect_p95",
    "sign_flip_share", "label", "tentative_label", "condition", "decisive", "split_values", "tree_accuracy",
]


def point_effects(runs: pd.DataFrame, members: pd.DataFrame, findings: pd.DataFrame) -> pd.DataFrame:
    """Per finding and point: mean baseline, mean alternative, the mean paired effect, its
    standard error and the number of replications paired.

    `runs`: scenario (run name), replication, metric, value; `members`: group, point, role
    (the study scenario), run; `findings`: group, baseline, scenario, metric."""
    tagged = runs.merge(members, left_on="scenario", right_on="run", suffixes=("_run", ""))
    tagged = tagged[["group", "point", "role", "replication", "metric", "value"]]
    base = findings[["group", "baseline", "metric"]].drop_duplicates().merge(
        tagged.rename(columns={"role": "baseline", "value": "baseline_value"}), on=["group", "baseline", "metric"])
    other = findings[FINDING_KEYS].merge(
        tagged.rename(columns={"role": "scenario", "value": "scenario_value"}), on=["group", "scenario", "metric"])
    paired = other.merge(base, on=["group", "baseline", "metric", "point", "replication"])
    paired["diff"] = paired["scenario_value"] - paired["baseline_value"]
    grouped = paired.groupby([*FINDING_KEYS, "point"], sort=True)
    table = grouped.agg(baseline_mean=("baseline_value", "mean"), scenario_mean=("scenario_value", "mean"),
                        effect=("diff", "mean"), effect_sd=("diff", "std"), n=("diff", "count")).reset_index()
    table["effect_se"] = table.pop("effect_sd") / np.sqrt(table["n"])
    return table


def judge(effects: pd.DataFrame, findings: pd.DataFrame) -> pd.DataFrame:
    """`effects` with the finding under test (`claim`: -1 lowers, +1 raises, 0 no change,
    from the nominal point) and whether it holds at each point."""
    thresholds = findings[[*FINDING_KEYS, "threshold"]]
    table = effects.merge(thresholds, on=FINDING_KEYS)
    nominal = table[table["point"] == 0].set_index(FINDING_KEYS)
    effect0, threshold0 = nominal["effect"], nominal["threshold"]
    claim = np.where(effect0 > threshold0, 1, np.where(effect0 < -threshold0, -1, 0))
    table = table.merge(pd.DataFrame({"claim": claim}, index=nominal.index).reset_index(), on=FINDING_KEYS)
    signed = table["claim"] * table["effect"]
    table["holds"] = np.where(table["claim"] == 0, table["effect"].abs() <= table["threshold"],
                              signed > table["threshold"])
    return table


def robustness_table(judged: pd.DataFrame, findings: pd.DataFrame, points: pd.DataFrame,
                     variables: Mapping[int, Sequence[Variable]], replications: int,
                     horizons: Mapping[int, float | None] | None = None,
                     min_points: int = MIN_POINTS) -> pd.DataFrame:
    """One row per finding (columns `COLUMNS`), in the order of `findings`."""
    rows = []
    by_finding = {key: part.sort_values("point") for key, part in judged.groupby(FINDING_KEYS, sort=False)}
    for finding in findings.to_dict("records"):
        mine = by_finding.get(tuple(finding[k] for k in FINDING_KEYS))
        if mine is None:
            continue
        nominal = mine[mine["point"] == 0]
        sampled = mine[mine["point"] > 0]
        if nominal.empty or sampled.empty or nominal["effect"].isna().all():
            continue  # no finding to test: the metric is undefined as the scenarios are written
        group_variables = list(variables.get(finding["group"], ()))
        design = points[points["group"] == finding["group"]].set_index("point").loc[sampled["point"]]
        values = design[[v.path for v in group_variables]].to_numpy(dtype=float)
        holds = sampled["holds"].to_numpy(dtype=bool)
        claim = int(nominal["claim"].iloc[0])
        share = float(holds.mean())
        discovery = discover(values, holds, group_variables) if FRAGILE_SHARE <= share < ROBUST_SHARE or \
            (share < FRAGILE_SHARE and holds.any()) else Discovery(False, "", float("nan"), ())
        label = _label(share, discovery)
        effect = sampled["effect"].to_numpy(dtype=float)
        rows.append({
            **{k: finding[k] for k in ("baseline", "scenario", "metric")},
            "metric_label": finding.get("metric_label", finding["metric"]), "unit": finding.get("unit", ""),
            "better": finding.get("better"), "threshold": float(finding["threshold"]),
            "claim": {-1: "lower", 1: "higher", 0: "no practical change"}[claim],
            "nominal_effect": float(nominal["effect"].iloc[0]),
            "points": len(sampled), "replications": replications,
            "horizon_h": (horizons or {}).get(finding["group"]),
            "share_holds": share,
            "effect_median": _statistic(np.nanmedian, effect),
            "effect_p5": _statistic(np.nanpercentile, effect, 5),
            "effect_p95": _statistic(np.nanpercentile, effect, 95),
            "sign_flip_share": float((claim * effect < 0).mean()) if claim else float("nan"),
            "label": label if len(sampled) >= min_points else "indicative",
            "tentative_label": label,
            "condition": _condition(label, share, discovery),
            "decisive": ";".join(dict.fromkeys(split.path for split in discovery.splits)) if discovery.simple else "",
            "split_values": ";".join(f"{split.path}={split.threshold:.6g}" for split in discovery.splits)
            if discovery.simple else "",
            "tree_accuracy": discovery.accuracy,
        })
    return pd.DataFrame(rows, columns=COLUMNS)


def _statistic(function: Any, effect: np.ndarray, *arguments: float) -> float:
    """A statistic of the defined effects (NaN when none is defined)."""
    return float(function(effect, *arguments)) if np.isfinite(effect).any() else float("nan")


def _label(share: float, discovery: Discovery) -> str:
    if share >= ROBUST_SHARE:
        return "robust"
    if share < FRAGILE_SHARE or not discovery.simple:
        return "fragile"
    return "conditional"


def _condition(label: str, share: float, discovery: Discovery) -> str:
    if discovery.simple:
        return discovery.condition
    if label == "robust":
        return "holds across the sampled ranges" if share == 1 else "holds at almost every sampled point"
    if share == 0:
        return "holds at none of the sampled points"
    return "no simple condition on the assumptions decides it"


def runs_frame(judged: pd.DataFrame, points: pd.DataFrame) -> pd.DataFrame:
    """``robustness_runs.parquet``: one row per finding x point (point 0: nominal), with the
    assumption values of the point (one column per key path; empty for another group's)."""
    table = judged.merge(points, on=["group", "point"], how="left")
    return table.sort_values([*FINDING_KEYS, "point"], kind="stable").reset_index(drop=True)


def read_table(folder: Path | str) -> pd.DataFrame | None:
    """``robustness.csv`` of a results folder, or None when there is none."""
    path = Path(folder) / "robustness.csv"
    return pd.read_csv(path, keep_default_na=False, na_values=[""]) if path.is_file() else None


def marks(table: pd.DataFrame | None) -> dict[tuple[str, str], str]:
    """(scenario, metric) -> robust / conditional / fragile / indicative, for the scorecard."""
    if table is None:
        return {}
    return {(row.scenario, row.metric): row.label for row in table.itertuples()}


#: the scorecard's mark of each label and its legend
MARK_TEXT = {"robust": "✓", "conditional": "◐", "fragile": "✗", "indicative": "?"}
MARK_LEGEND = (
    ("✓", "robust: holds across the assumption ranges (≥ 95% of points)"),
    ("◐", "conditional: holds under the condition given in the robustness section"),
    ("✗", "fragile: holds at under half the points, or with no simple condition"),
    ("?", "indicative: too few points of the assumption space to label"),
)


def cell_marks(table: pd.DataFrame | None) -> dict[tuple[str, str], tuple[str, str]]:
    """(scenario, metric) -> (mark text, hover title with the share and the condition)."""
    if table is None:
        return {}
    found = {}
    for row in table.itertuples():
        title = f"{row.label}: holds at {row.share_holds:.0%} of {row.points} points; {row.condition}"
        found[(row.scenario, row.metric)] = (MARK_TEXT[row.label], title)
    return found
