"""The report's charts, drawn from analysis tables in the style of `analysis.style`.

Every function takes the table another analysis module produced, draws one chart, saves it
to `path` and returns the Figure (for notebooks). Intervals are always shown: error bars
for point estimates, shaded bands for curves, at the confidence level of the table.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from analysis.stages import ALL, TOTAL
from analysis.style import (
    BAND_ALPHA,
    NEUTRAL,
    bottom_legend,
    color,
    colors,
    label,
    new_figure,
    save,
    styled,
    with_unit,
)
from analysis.sweeps import Saturation
from analysis.warmup import WelchCurve


def _height(rows: int) -> float:
    """Taller figures for long bar lists, so labels never overlap."""
    return float(np.clip(1.2 + 0.38 * rows, 3.0, 9.0))


@styled
def stage_bars(table: pd.DataFrame, path: str | Path, title: str = "Time Release Study: mean time per stage",
               unit: str = "h", classes: Sequence[str] = (ALL,)) -> Figure:
    """Stacked horizontal bars of stage means per scenario (and class), with the total's
    confidence interval as an error bar at the end of each bar. `table` from
    `analysis.stages.stage_table`."""
    chosen = table[table["class"].isin(list(classes))]
    stages = [s for s in pd.unique(chosen["stage"]) if s != TOTAL]
    groups = list(chosen.groupby(["scenario", "class"], sort=False))
    longest = max((len(str(s)) for s in stages), default=0)
    legend_rows = -(-len(stages) // (3 if longest <= 24 else 2 if longest <= 44 else 1))
    figure, axes = new_figure(height=_height(len(groups)) + 0.6 + 0.18 * max(legend_rows - 2, 0))
    palette = colors(len(stages))
    labels = []
    for row, ((scenario, klass), group) in enumerate(groups):
        means = group.set_index("stage")["mean"]
        left = 0.0
        for index, stage in enumerate(stages):
            width = float(means.get(stage, 0.0))
            axes.barh(row, width, left=left, color=palette[index], edgecolor="white", linewidth=0.6,
                      label=stage if row == 0 else None)
            left += width
        total = group[group["stage"] == TOTAL].iloc[0]
        axes.errorbar(total["mean"], row, xerr=[[total["mean"] - total["mean_ci_low"]], [total["mean_ci_high"] - total["mean"]]],
                      fmt="none", ecolor="black", elinewidth=1.2)
        end = total["mean_ci_high"] if np.isfinite(total["mean_ci_high"]) else total["mean"]  # no interval: 1 replication
        axes.annotate(f"{total['mean']:.3g} {unit}", (end, row), xytext=(4, 0),
                      textcoords="offset points", va="center", fontsize=8)
        labels.append(scenario if len(classes) == 1 else f"{scenario} · {klass}")
    axes.set_yticks(range(len(groups)), labels)
    axes.invert_yaxis()
    axes.grid(axis="y", visible=False)
    axes.margins(x=0.12)
    label(axes, title, with_unit("mean time", unit) + "  (error bar: 95% CI of the total)")
    bottom_legend(axes, "stage", [str(stage) for stage in stages])
    return save(figure, path)


@styled
def comparison_bars(frame: pd.DataFrame, path: str | Path, title: str, label_column: str = "scenario",
                    value: str = "rel_change", low: str = "rel_ci_low", high: str = "rel_ci_high",
                    percent: bool = True, xlabel: str = "change against the baseline") -> Figure:
    """Horizontal bars of each row's change against the baseline with its interval (by
    default the relative change columns of ``comparisons.csv``). Bars
    whose interval excludes 0 are coloured (blue: decrease, orange: increase); those
    that include 0 are grey. Relative changes given as fractions are shown in percent."""
    scale = 100.0 if percent else 1.0
    values = frame[value].to_numpy(dtype=float) * scale
    lows = frame[low].to_numpy(dtype=float) * scale
    highs = frame[high].to_numpy(dtype=float) * scale
    figure, axes = new_figure(height=_height(len(frame)))
    rows = np.arange(len(frame))
    significant = (lows > 0) | (highs < 0)
    colours = [NEUTRAL if not s else (color(0) if v < 0 else color(1)) for v, s in zip(values, significant)]
    axes.barh(rows, values, color=colours, alpha=0.85)
    axes.errorbar(values, rows, xerr=[values - lows, highs - values], fmt="none", ecolor="black", elinewidth=1.1)
    suffix = "%" if percent else ""
    for row, (v, lo, hi) in enumerate(zip(values, lows, highs)):
        axes.annotate(f"{v:+.1f}{suffix} ({lo:+.1f} to {hi:+.1f})", (max(hi, 0), row), xytext=(4, 0),
                      textcoords="offset points", va="center", fontsize=8)
    axes.axvline(0, color="black", linewidth=0.8)
    axes.set_yticks(rows, frame[label_column].astype(str).tolist())
    axes.invert_yaxis()
    axes.grid(axis="y", visible=False)
    finite = np.concatenate([lows, highs, values, [0.0]])
    finite = finite[np.isfinite(finite)]
    left, right = float(finite.min()), float(finite.max())
    span = (right - left) or 1.0
    axes.set_xlim(left - 0.05 * span, right + 0.5 * span)  # room for the value labels on the right
    label(axes, title, f"{xlabel} [{'%' if percent else 'units of the KPI'}]  (95% CI)", across=True)
    return save(figure, path)


@styled
def tornado_chart(table: pd.DataFrame, path: str | Path, kpi: str, unit: str = "",
                  title: str = "One-at-a-time sensitivity") -> Figure:
    """Tornado: per lever, bars from the baseline KPI to its value with the lever at the
    low and at the high end of its range, each end with its interval. `table` from
    `analysis.sensitivity.tornado` (largest swing on top)."""
    figure, axes = new_figure(height=_height(len(table)) + 0.4)
    baseline = float(table["baseline"].iloc[0])
    rows = np.arange(len(table))
    for end, colour in (("low", color(0)), ("high", color(1))):
        values = table[f"kpi_{end}"].to_numpy(dtype=float)
        axes.barh(rows, values - baseline, left=baseline, color=colour, alpha=0.85, label=f"lever at {end} end")
        axes.errorbar(values, rows, xerr=[values - table[f"kpi_{end}_ci_low"], table[f"kpi_{end}_ci_high"] - values],
                      fmt="none", ecolor="black", elinewidth=1.0)
    axes.axvline(baseline, color="black", linewidth=0.9)
    axes.axvspan(float(table["baseline_ci_low"].iloc[0]), float(table["baseline_ci_high"].iloc[0]),
                 color=NEUTRAL, alpha=BAND_ALPHA, linewidth=0, label="baseline 95% CI", zorder=0)
    names = [f"{row.label}\n({row.low_value:g}–{row.high_value:g}{' ' + row.unit if row.unit else ''})"
             for row in table.itertuples()]
    axes.set_yticks(rows, names)
    axes.invert_yaxis()
    axes.grid(axis="y", visible=False)
    label(axes, title, with_unit(kpi, unit) + "  (error bars: 95% CI)", across=True)
    axes.legend(loc="lower right")
    return save(figure, path)


@styled
def capacity_plot(curve: pd.DataFrame, path: str | Path, load: str, kpi: str, load_unit: str = "",
                  kpi_unit: str = "", saturation: Saturation | None = None,
                  title: str = "Capacity curve") -> Figure:
    """KPI mean versus load with its confidence band and, when given, the saturation
    load (dashed line) and the rule's reference level (dotted). `curve` from
    `analysis.sweeps.capacity_curve`."""
    figure, axes = new_figure()
    x = curve[load].to_numpy(dtype=float)
    axes.fill_between(x, curve["ci_low"], curve["ci_high"], color=color(0), alpha=BAND_ALPHA, linewidth=0,
                      label="95% CI")
    axes.plot(x, curve["mean"], marker="o", markersize=3.5, color=color(0), label="mean over replications")
    if saturation is not None:
        axes.axhline(saturation.reference, color=NEUTRAL, linestyle=":", linewidth=1.0, label=saturation.rule)
        if saturation.load is not None:
            axes.axvline(saturation.load, color=color(3), linestyle="--", linewidth=1.3,
                         label=f"saturation at {saturation.load:g} {load_unit}".rstrip())
    label(axes, title, with_unit(load, load_unit), with_unit(kpi, kpi_unit))
    axes.legend(loc="best")
    return save(figure, path)


@styled
def welch_plot(curve: WelchCurve, path: str | Path, quantity: str, unit: str = "", period: str = "period",
               warmup_period: float | None = None, title: str = "Warm-up: Welch's moving average",
               warmup_label: str | None = None) -> Figure:
    """Across-replication averages per period (thin) and their moving average (bold),
    with the chosen or suggested warm-up as a dashed line."""
    figure, axes = new_figure()
    frame = curve.frame
    axes.plot(frame["period"], frame["average"], color=NEUTRAL, linewidth=0.7, alpha=0.7,
              label="average over replications")
    axes.plot(frame["period"], frame["moving_average"], color=color(0), linewidth=1.8,
              label=f"moving average (window {curve.window})")
    if warmup_period is not None:
        axes.axvline(warmup_period, color=color(3), linestyle="--", linewidth=1.3,
                     label=warmup_label or f"warm-up: {warmup_period:g}")
    label(axes, title, period, with_unit(quantity, unit))
    axes.legend(loc="best")
    return save(figure, path)


@styled
def morris_plot(table: pd.DataFrame, path: str | Path, kpi: str, unit: str = "",
                title: str = "Morris screening") -> Figure:
    """μ* against σ per lever, μ* with its noise-inclusive interval. Levers far right matter;
    levers above the σ = μ* line act non-linearly or through interactions."""
    figure, axes = new_figure()
    mu_star = table["mu_star"].to_numpy(dtype=float)
    sigma = table["sigma"].to_numpy(dtype=float)
    axes.errorbar(mu_star, sigma, xerr=table["mu_star_conf"].to_numpy(dtype=float), fmt="o", color=color(0),
                  ecolor=color(0), elinewidth=1.0, markersize=5, label="lever (μ* with 95% CI)")
    top = float(np.nanmax(np.concatenate([mu_star + table["mu_star_conf"].to_numpy(dtype=float), sigma]))) * 1.1 or 1.0
    axes.plot([0, top], [0, top], color=NEUTRAL, linestyle="--", linewidth=0.9, label="σ = μ*")
    for x, y, name in zip(mu_star, sigma, table["label"]):
        axes.annotate(str(name), (x, y), xytext=(5, 4), textcoords="offset points", fontsize=8)
    axes.set_xlim(0, top)
    axes.set_ylim(0, top)
    label(axes, title, with_unit(f"μ* (mean |elementary effect|) of {kpi}", unit), with_unit("σ of elementary effects", unit))
    axes.legend(loc="upper left")
    return save(figure, path)


@styled
def sobol_bars(table: pd.DataFrame, path: str | Path, kpi: str, title: str = "Sobol indices") -> Figure:
    """First-order (S1) and total (ST) indices per lever with noise-inclusive intervals."""
    figure, axes = new_figure()
    rows = np.arange(len(table))
    width = 0.38
    for offset, key, name, index in ((-width / 2, "S1", "first order S1", 0), (width / 2, "ST", "total ST", 1)):
        values = table[key].to_numpy(dtype=float)
        axes.bar(rows + offset, values, width, color=color(index), label=name)
        axes.errorbar(rows + offset, values, yerr=table[f"{key}_conf"].to_numpy(dtype=float), fmt="none",
                      ecolor="black", elinewidth=1.0)
    axes.axhline(0, color="black", linewidth=0.8)
    axes.set_xticks(rows, table["label"].astype(str).tolist())
    axes.set_ylim(min(-0.05, float(np.nanmin(table["S1_ci_low"])) - 0.02), max(1.0, float(np.nanmax(table["ST_ci_high"]))) + 0.05)
    axes.grid(axis="x", visible=False)
    label(axes, title + f" of {kpi}", "lever", "share of output variance [–]  (95% CI)")
    axes.legend(loc="upper right")
    return save(figure, path)


@styled
def dot_plot(table: pd.DataFrame, path: str | Path, title: str, xlabel: str, row: str = "metric",
             hue: str = "scenario", labels: dict[str, str] | None = None, reference: float | None = None) -> Figure:
    """KPI levels with intervals: one line per `row` value (e.g. a resource), one marker
    colour per `hue` value (a scenario), dodged within the line. `table` has columns `row`,
    `hue`, mean, ci_low, ci_high (a slice of ``summary.csv``); `reference` draws a vertical
    line (0 for changes)."""
    rows = list(pd.unique(table[row]))
    hues = list(pd.unique(table[hue]))
    figure, axes = new_figure(height=_height(len(rows) * max(1, len(hues)) / 2.5 + 1) + 0.5)
    step = 0.7 / max(len(hues), 1)
    for index, name in enumerate(hues):
        part = table[table[hue] == name].set_index(row).reindex(rows)
        y = np.arange(len(rows)) - 0.35 + step * (index + 0.5)
        mean = part["mean"].to_numpy(dtype=float)
        low = np.where(np.isnan(part["ci_low"].to_numpy(dtype=float)), mean, part["ci_low"].to_numpy(dtype=float))
        high = np.where(np.isnan(part["ci_high"].to_numpy(dtype=float)), mean, part["ci_high"].to_numpy(dtype=float))
        axes.errorbar(mean, y, xerr=[mean - low, high - mean], fmt="o", markersize=4, color=color(index),
                      ecolor=color(index), elinewidth=1.1, label=str(name))
    names = [(labels or {}).get(str(r), str(r)) for r in rows]
    axes.set_yticks(range(len(rows)), names)
    axes.invert_yaxis()
    axes.grid(axis="y", visible=False)
    label(axes, title, xlabel + "  (error bars: 95% CI)", across=True)
    if reference is not None:
        axes.axvline(reference, color="black", linewidth=0.8)
    if len(hues) > 1:
        bottom_legend(axes, hue, [str(h) for h in hues], max_columns=4)
    return save(figure, path)
