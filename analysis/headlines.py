"""Headline findings in plain words, generated from ``comparisons.csv``.

One sentence per (pair, headline metric), e.g. "same_truck cuts truck departures per day
by 31% (95% CI 29–33%) against baseline: 41.2 → 28.4." The wording follows the interval,
never the point estimate alone: a change whose interval includes 0 is reported as "no
clear change". Relative changes and their intervals are those of `analysis.compare`
(ratio of means with a delta-method interval); where the baseline mean is 0 the
absolute difference is given instead.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

#: a relative change whose whole interval lies within ±0.1% is reported as practically none
NEGLIGIBLE = 0.001

#: metric name fragments preferred as headline metrics when a model declares none
PREFERRED = ("sojourn", "clearance", "throughput", "p90", "mean")


@dataclass(frozen=True)
class Finding:
    baseline: str
    scenario: str
    metric: str
    label: str
    direction: str  # "down", "up", "unclear" (interval includes 0) or "flat" (no or negligible change)
    sentence: str


def headline_metrics(declared: Sequence[str] | Mapping[str, str] | None, comparisons: pd.DataFrame | None,
                     summary: pd.DataFrame, scenarios: Sequence[str], limit: int = 6) -> list[str]:
    """The model's declared headline metrics present in the results; else the system-level
    means, percentiles and throughputs, topped up with the metrics that changed most
    clearly (largest |relative change| whose interval excludes 0)."""
    present = list(dict.fromkeys(summary.loc[summary["scenario"].isin(list(scenarios)), "metric"]))
    if declared:
        chosen = [m for m in declared if m in present]
        if chosen:
            return chosen
    chosen = [m for m in present if m.startswith("system.") and any(p in m for p in PREFERRED)][:limit]
    if comparisons is not None and len(chosen) < limit:
        rows = comparisons[comparisons["scenario"].isin(list(scenarios)) & comparisons["metric"].isin(present)]
        clear = rows[(rows["rel_ci_low"] > 0) | (rows["rel_ci_high"] < 0)]
        ranked = clear.assign(size=clear["rel_change"].abs()).sort_values("size", ascending=False)["metric"]
        chosen += [m for m in dict.fromkeys(ranked) if m not in chosen][: limit - len(chosen)]
    return chosen or present[:limit]


def metric_label(metric: str, declared: Sequence[str] | Mapping[str, str] | None) -> str:
    """The plain-words label a study gives `metric` (its `headline` as a mapping), else
    the metric name itself."""
    if isinstance(declared, Mapping) and declared.get(metric):
        return str(declared[metric])
    return metric


def findings(comparisons: pd.DataFrame, metrics: Sequence[str],
             labels: Mapping[str, str] | None = None, confidence: float = 0.95) -> list[Finding]:
    """A finding per row of `comparisons` whose metric is in `metrics`, in pair order then
    metric order."""
    labels = labels or {}
    order = {metric: i for i, metric in enumerate(metrics)}
    rows = comparisons[comparisons["metric"].isin(list(metrics))].copy()
    rows["_pair"] = pd.factorize(rows["baseline"] + "\x00" + rows["scenario"])[0]
    rows["_metric"] = rows["metric"].map(order)
    rows = rows.sort_values(["_pair", "_metric"], kind="stable")
    level = f"{round(confidence * 100):d}% CI"
    result = []
    for row in rows.to_dict("records"):
        label = labels.get(row["metric"], row["metric"])
        direction, sentence = _sentence(row, label, level)
        result.append(Finding(row["baseline"], row["scenario"], row["metric"], label, direction, sentence))
    return result


def _sentence(row: Mapping[str, object], label: str, level: str) -> tuple[str, str]:
    get = row.__getitem__
    base, new = _float(get("baseline_mean")), _float(get("scenario_mean"))
    rel, low, high = _float(get("rel_change")), _float(get("rel_ci_low")), _float(get("rel_ci_high"))
    levels = f"{_number(base)} → {_number(new)}"
    who, against = get("scenario"), get("baseline")
    if _float(get("var_paired")) == 0 and _float(get("diff_mean")) == 0:
        return "flat", f"{who} leaves {label} unchanged against {against}: identical in every paired replication ({levels})."
    if not math.isnan(low) and max(abs(low), abs(high)) < NEGLIGIBLE:
        return "flat", (f"{who} leaves {label} practically unchanged against {against}: {rel * 100:+.3f}% "
                        f"({level} {low * 100:+.3f}% to {high * 100:+.3f}%); {levels}.")
    if not math.isnan(rel) and not math.isnan(low):
        if low > 0 or high < 0:
            down = rel < 0
            verb = "cuts" if down else "raises"
            lo, hi = sorted((abs(low) * 100, abs(high) * 100))
            shown = _bounds(abs(rel) * 100, lo, hi)
            text = f"{who} {verb} {label} by {shown[0]}% ({level} {shown[1]}–{shown[2]}%) against {against}: {levels}."
            return ("down" if down else "up"), text
        return "unclear", (f"{who} shows no clear change in {label} against {against}: {rel * 100:+.1f}% "
                           f"({level} {low * 100:+.1f}% to {high * 100:+.1f}%); {levels}.")
    diff, dlow, dhigh = _float(get("diff_mean")), _float(get("diff_ci_low")), _float(get("diff_ci_high"))
    if math.isnan(dlow):
        return "unclear", f"{who} against {against}, {label}: {levels} (one replication: no interval)."
    if dlow > 0 or dhigh < 0:
        verb = "lowers" if diff < 0 else "raises"
        return ("down" if diff < 0 else "up"), (f"{who} {verb} {label} by {_number(abs(diff))} ({level} "
                                                f"{_number(dlow)} to {_number(dhigh)}) against {against}: {levels}.")
    return "unclear", (f"{who} shows no clear change in {label} against {against}: {_number(diff)} "
                       f"({level} {_number(dlow)} to {_number(dhigh)}); {levels}.")


def _float(value: object) -> float:
    return float(value) if value is not None else float("nan")  # type: ignore[arg-type]


def _percent(value: float, extra: int = 0) -> str:
    """Whole percents from 10% up, two significant digits below (0.042%, 3.6%); `extra`
    adds digits."""
    if value >= 10:
        return f"{value:.{extra}f}"
    return f"{value:#.{2 + extra}g}".rstrip(".") if extra else f"{value:.2g}"


def _bounds(value: float, low: float, high: float) -> tuple[str, str, str]:
    """The change and its interval bounds, with just enough digits that the bounds differ
    (a narrow interval reads 15.7–16.0%, not 16–16%)."""
    for extra in range(3):
        shown = (_percent(value, extra), _percent(low, extra), _percent(high, extra))
        if shown[1] != shown[2] or low == high:
            return shown
    return shown


def _number(value: float) -> str:
    if math.isnan(value):
        return "n/a"
    return f"{value:,.3g}" if abs(value) < 1000 else f"{value:,.0f}"
