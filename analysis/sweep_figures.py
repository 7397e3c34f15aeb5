"""Charts of sweeps beyond the single capacity curve: two-lever grids and Latin hypercubes.

Same style and conventions as `analysis.figures` (one chart per call, saved to `path`,
the Figure returned, intervals always shown).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from analysis.style import BAND_ALPHA, HEIGHT_IN, WIDTH_IN, color, label, new_figure, save, styled, with_unit


@styled
def response_curves(table: pd.DataFrame, path: str | Path, x: str, hue: str, kpi: str, x_label: str,
                    hue_label: str, kpi_unit: str = "", title: str = "Response over two levers") -> Figure:
    """KPI mean against lever `x`, one line (with its confidence band) per value of lever
    `hue`. `table` has columns `x`, `hue`, mean, ci_low, ci_high (one row per grid point)."""
    figure, axes = new_figure()
    for index, (value, part) in enumerate(table.groupby(hue, sort=True)):
        part = part.sort_values(x)
        xs = part[x].to_numpy(dtype=float)
        axes.fill_between(xs, part["ci_low"], part["ci_high"], color=color(index), alpha=BAND_ALPHA, linewidth=0)
        axes.plot(xs, part["mean"], marker="o", markersize=3.5, color=color(index), label=f"{value:g}"
                  if isinstance(value, (int, float)) else str(value))
    label(axes, title, x_label, with_unit(kpi, kpi_unit) + "  (band: 95% CI)")
    axes.legend(loc="best", title=hue_label)
    return save(figure, path)


@styled
def lever_scatter(table: pd.DataFrame, path: str | Path, levers: Sequence[tuple[str, str]], kpi: str,
                  kpi_unit: str = "", title: str = "Latin hypercube sample") -> Figure:
    """KPI mean (with its interval) at each sample point against each lever, one panel per
    lever. `levers` are (column, axis label) pairs; `table` has those columns and mean,
    ci_low, ci_high (one row per point)."""
    count = len(levers)
    columns = min(count, 3)
    rows = int(np.ceil(count / columns))
    figure, axes = new_figure(width=WIDTH_IN, height=max(HEIGHT_IN, 2.6 * rows + 0.6), nrows=rows, ncols=columns,
                              squeeze=False, sharey=True)
    mean = table["mean"].to_numpy(dtype=float)
    errors = [mean - table["ci_low"].to_numpy(dtype=float), table["ci_high"].to_numpy(dtype=float) - mean]
    for index, (column, name) in enumerate(levers):
        axis = axes[index // columns][index % columns]
        axis.errorbar(table[column].to_numpy(dtype=float), mean, yerr=errors, fmt="o", markersize=3.5,
                      color=color(0), ecolor=color(0), elinewidth=0.9, alpha=0.85)
        axis.set_xlabel(name)
        if index % columns == 0:
            axis.set_ylabel(with_unit(kpi, kpi_unit))
    for index in range(count, rows * columns):
        axes[index // columns][index % columns].set_visible(False)
    axes[0][0].set_title(title + f" of {kpi}  (error bars: 95% CI)", loc="left")
    return save(figure, path)
