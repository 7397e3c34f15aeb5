"""The robustness section of a report: per finding, its effect across the assumption space.

One chart per finding: the effect at every sampled point (in the metric's unit; shares in
percentage points) against the assumption that decides it (the scenario-discovery tree's
first threshold; for a finding with no condition, the assumption whose rank correlation
with the effect is strongest). Points where the finding holds are filled, the others
hollow; dashed lines mark the practical threshold in the finding's direction and zero, a
dotted line the condition's threshold. The caption states the label, the share of points
where it holds and the condition in words.

`add_robustness_section(document, folder)` appends the section to a report `Document`
(`analysis.document`); `robustness_plot` draws one chart (for notebooks).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from analysis.robustness import read_table
from analysis.style import NEUTRAL, color, label, new_figure, save, styled, with_unit

LABEL_COLOURS = {"robust": 2, "conditional": 1, "fragile": 3, "indicative": 7}


def decisive_parameter(runs: pd.DataFrame, finding: pd.Series) -> str | None:
    """The assumption to plot the effect against (a key path of `runs`)."""
    if isinstance(finding.get("decisive"), str) and finding["decisive"]:
        return str(finding["decisive"]).split(";")[0]
    sampled = runs[runs["point"] > 0]
    columns = [c for c in sampled.columns if c.startswith("params.") and sampled[c].notna().all()
               and sampled[c].nunique() > 1]
    if not columns:
        return None
    correlation = sampled[columns].rank().corrwith(sampled["effect"].rank()).abs()
    return str(correlation.fillna(0).idxmax())


@styled
def robustness_plot(runs: pd.DataFrame, finding: pd.Series, path: str | Path,
                    parameter_label: str = "", parameter_unit: str = "") -> Figure:
    """The effect of `finding` (a row of ``robustness.csv``) at each point of `runs` (its
    rows of ``robustness_runs.parquet``)."""
    sampled = runs[runs["point"] > 0]
    nominal = runs[runs["point"] == 0]
    share = finding["unit"] == "share"
    scale = 100.0 if share else 1.0
    unit = "pp" if share else str(finding["unit"] or "")
    parameter = decisive_parameter(runs, finding)
    figure, axes = new_figure()
    x = sampled[parameter].to_numpy(dtype=float) if parameter else np.arange(1, len(sampled) + 1, dtype=float)
    y = sampled["effect"].to_numpy(dtype=float) * scale
    holds = sampled["holds"].to_numpy(dtype=bool)
    tone = color(LABEL_COLOURS.get(str(finding["label"]), 7))
    axes.scatter(x[holds], y[holds], color=tone, s=22, label="holds")
    axes.scatter(x[~holds], y[~holds], facecolors="none", edgecolors=tone, s=22, label="does not hold")
    if parameter and not nominal.empty:
        axes.scatter(nominal[parameter], nominal["effect"] * scale, marker="D", color="black", s=30,
                     label="as written (nominal)")
    threshold = float(finding["threshold"]) * scale
    direction = {"lower": -1, "higher": 1}.get(str(finding["claim"]), 0)
    axes.axhline(0, color=NEUTRAL, linewidth=0.8)
    for level in ([direction * threshold] if direction else [-threshold, threshold]):
        if level:
            axes.axhline(level, color=NEUTRAL, linestyle="--", linewidth=0.8)
    splits = _split_values(finding, parameter)
    for value in splits:
        axes.axvline(value, color=tone, linestyle=":", linewidth=1.2)
    x_label = with_unit(parameter_label or (parameter or "sampled point").removeprefix("params."), parameter_unit)
    title = f"{finding['scenario']} vs {finding['baseline']}: {finding['metric_label']}"
    label(axes, title, x_label, with_unit("effect (alternative − baseline)", unit))
    axes.legend(loc="best")
    return save(figure, path)


def _split_values(finding: pd.Series, parameter: str | None) -> list[float]:
    """The condition's thresholds on `parameter` (``split_values`` of ``robustness.csv``)."""
    values = finding.get("split_values")
    if not isinstance(values, str) or not values or parameter is None:
        return []
    found = []
    for item in values.split(";"):
        path, _, value = item.partition("=")
        if path == parameter:
            found.append(float(value))
    return found


def caption(finding: pd.Series) -> str:
    horizon = finding.get("horizon_h")
    shorter = f"; runs of {float(horizon):g} h, shorter than the study's" if pd.notna(horizon) else ""
    tentative = "" if finding["label"] == finding["tentative_label"] else f" (tentatively {finding['tentative_label']})"
    return (f"{str(finding['label']).capitalize()}{tentative}: the finding ({finding['claim']}) holds at "
            f"{float(finding['share_holds']):.0%} of {int(finding['points'])} sampled points "
            f"({int(finding['replications'])} paired replications each{shorter}); {finding['condition']}.")


def add_robustness_section(document: Any, folder: Path | str, labels: dict[str, tuple[str, str]] | None = None) -> bool:
    """Append "Robustness to assumptions" to `document` when `folder` holds ``robustness.csv``
    and ``robustness_runs.parquet``; `labels` maps a parameter key path to (label, unit)
    for the charts' axes. Returns whether a section was added."""
    table = read_table(folder)
    runs_path = Path(folder) / "robustness_runs.parquet"
    if table is None or table.empty or not runs_path.is_file():
        return False
    runs = pd.read_parquet(runs_path)
    document.heading(2, "Robustness to assumptions")
    document.paragraph("Each headline finding was rerun across the plausible ranges of the models' assumptions "
                       "(Latin hypercube, common random numbers at every point). Robust: holds at 95% or more of "
                       "the points; conditional: holds at 50–95% under the stated condition; fragile: holds at under "
                       "half, or with no simple condition; indicative: too few points to say. These ranges are "
                       "assumptions, apart from the simulation-noise intervals of the comparisons.")
    document.table(table, "robustness", shown=table[["scenario", "metric_label", "claim", "share_holds", "label",
                                                     "condition"]])
    for finding in table.to_dict("records"):
        row = pd.Series(finding)
        key = (runs["baseline"] == row["baseline"]) & (runs["scenario"] == row["scenario"]) & \
            (runs["metric"] == row["metric"])
        mine = runs[key].dropna(axis=1, how="all")
        parameter = decisive_parameter(mine, row)
        name, unit = (labels or {}).get(parameter or "", ("", ""))
        document.figure(lambda path, mine=mine, row=row, name=name, unit=unit: robustness_plot(mine, row, path, name,
                                                                                             unit),
                        f"robustness_{row['scenario']}_{row['metric']}", caption(row))
    return True

