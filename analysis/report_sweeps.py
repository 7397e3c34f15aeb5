"""The report's sweep sections: capacity curves, response surfaces, tornado, Morris, Sobol.

A study stores each sweep's design in the manifest (`scenarios.study_sweeps.Sweep.record`):
the levers, the sample points and the scenario that ran each point. Every point ran the
same replications with the same root seed, so the per-point results are paired across
points (common random numbers), which the tornado's swing intervals and the noise
bootstrap of the global indices rely on.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from analysis import figures, html, sweep_figures
from analysis.document import Document
from analysis.intervals import interval_table
from analysis.results import Results
from analysis.sensitivity import Design, morris, outputs_matrix, sobol, tornado
from analysis.sweeps import capacity_curve, kpi_saturation, point_results, utilization_saturation

TITLES = {"grid": "Grid sweep", "latin_hypercube": "Latin hypercube sweep", "one_at_a_time": "One-at-a-time sensitivity",
          "morris": "Morris screening", "sobol": "Sobol sensitivity indices"}


def sweep_section(document: Document, results: Results, record: Mapping[str, Any], index: int,
                  default_metrics: Sequence[str]) -> None:
    design = Design.from_record(record["design"])
    scenarios = list(record["scenarios"])
    present = set(results.runs["metric"])
    metrics = [m for m in (record.get("metrics") or default_metrics) if m in present]
    levers = ", ".join(f"{lever.name} ({lever.path})" for lever in design.levers)
    document.heading(3, f"{TITLES.get(design.method, design.method)} around {record['baseline']}",
                     f"sweep_{index}")
    document.paragraph(f"{len(design.points)} sample points ({len(set(scenarios))} distinct scenarios) over {levers}; "
                       f"each point ran {results.manifest.get('replications')} replications with the study's root seed "
                       "(common random numbers).")
    points = pd.DataFrame(list(design.points)).reset_index(names="point")
    points.insert(1, "scenario", scenarios)
    name = f"sweep{index}_{design.method}"
    document.table(points, f"{name}_points", limit=12)
    if not metrics:
        document.paragraph("None of the sweep's metrics is in the results.", "note")
        return
    for metric in metrics:
        frame = point_results(results.runs, scenarios, metric)
        if frame.empty:
            continue
        draw = {"grid": _grid, "latin_hypercube": _hypercube, "one_at_a_time": _tornado, "morris": _morris,
                "sobol": _sobol}[design.method]
        draw(document, design, frame, metric, f"{name}_{metric}")


def _numeric(values: Sequence[Any]) -> bool:
    return all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values)


def _per_point(design: Design, frame: pd.DataFrame) -> pd.DataFrame:
    table = interval_table(frame, "value", ["point"])
    levers = pd.DataFrame(list(design.points))
    return table.join(levers, on="point")


def _grid(document: Document, design: Design, frame: pd.DataFrame, metric: str, name: str) -> None:
    first = design.levers[0]
    values = [p[first.path] for p in design.points]
    if not _numeric(values):
        table = _per_point(design, frame)
        document.table(table, name)
        return
    if len(design.levers) == 1:
        load = first.name
        results = frame.assign(**{load: [design.points[p][first.path] for p in frame["point"]]})
        curve = capacity_curve(results, load)
        utilisation = "utili" in metric
        saturation = utilization_saturation(curve, load) if utilisation else kpi_saturation(curve, load)
        document.figure(lambda path: figures.capacity_plot(curve, path, first.name, metric, first.unit,
                                                           metric_unit(metric), saturation,
                                                           title=f"Capacity curve: {metric}"),
                        name, f"{metric} against {first.name} (mean and 95% band); saturation rule: {saturation.rule}.")
        where = (f"saturates from {first.name} = {saturation.load:g} {first.unit}".rstrip() if saturation.load is not None
                 else f"does not saturate within the range swept ({saturation.rule})")
        document.paragraph(f"{metric} {where}.")
        document.table(curve, name)
        return
    second = design.levers[1]
    table = _per_point(design, frame)
    document.figure(lambda path: sweep_figures.response_curves(
        table, path, first.path, second.path, metric, _axis(first), second.name, title=f"{metric} over two levers"),
        name, f"{metric} against {first.name}, one line per {second.name} (95% bands).")
    document.table(table, name)


def _hypercube(document: Document, design: Design, frame: pd.DataFrame, metric: str, name: str) -> None:
    table = _per_point(design, frame)
    numeric = [lever for lever in design.levers if _numeric(table[lever.path].tolist())]
    if numeric:
        document.figure(lambda path: sweep_figures.lever_scatter(
            table, path, [(lever.path, _axis(lever)) for lever in numeric], metric),
            name, f"{metric} at each Latin hypercube point against each lever (95% intervals).")
    document.table(table, name, limit=20)


def _tornado(document: Document, design: Design, frame: pd.DataFrame, metric: str, name: str) -> None:
    table = tornado(frame, design)
    document.figure(lambda path: figures.tornado_chart(table, path, metric, title=f"One-at-a-time sensitivity of {metric}"),
                    name, f"{metric} with each lever alone at the low and the high end of its range; the grey band is "
                    "the baseline's 95% interval.")
    shown = pd.DataFrame({"lever": table["label"], "range": [f"{lo:g} – {hi:g}" for lo, hi in
                                                             zip(table["low_value"], table["high_value"])],
                          "at low": [html.interval(*v) for v in zip(table["kpi_low"], table["kpi_low_ci_low"],
                                                                    table["kpi_low_ci_high"])],
                          "at high": [html.interval(*v) for v in zip(table["kpi_high"], table["kpi_high_ci_low"],
                                                                     table["kpi_high_ci_high"])],
                          "swing high − low [95% CI]": [html.interval(*v) for v in zip(
                              table["swing"], table["swing_ci_low"], table["swing_ci_high"])]})
    document.table(table, name, shown=shown)


def _global(document: Document, design: Design, frame: pd.DataFrame) -> np.ndarray | None:
    try:
        return outputs_matrix(frame, len(design.points))
    except ValueError as error:
        document.paragraph(f"Sensitivity indices need every point's replications: {error}", "note")
        return None


def _morris(document: Document, design: Design, frame: pd.DataFrame, metric: str, name: str) -> None:
    outputs = _global(document, design, frame)
    if outputs is None:
        return
    table = morris(design, outputs)
    document.figure(lambda path: figures.morris_plot(table, path, metric, title=f"Morris screening of {metric}"), name,
                    "μ* (mean absolute elementary effect) against σ per lever; intervals include the simulation "
                    "noise (replication bootstrap) and the design's sampling.")
    document.table(table, name)


def _sobol(document: Document, design: Design, frame: pd.DataFrame, metric: str, name: str) -> None:
    outputs = _global(document, design, frame)
    if outputs is None:
        return
    table = sobol(design, outputs)
    document.figure(lambda path: figures.sobol_bars(table, path, metric), name,
                    "First-order and total Sobol indices; intervals include the simulation noise and the sampling.")
    document.table(table, name)


def metric_unit(metric: str) -> str:
    """The unit a metric's name carries by the naming convention (``..._h``, ``..._d``)."""
    for suffix, unit in (("_h", "h"), ("_d", "days"), ("_cny", "CNY"), ("_yuan", "CNY")):
        if metric.endswith(suffix):
            return unit
    return "–" if "utili" in metric or metric.endswith("share") else ""


def _axis(lever: Any) -> str:
    return f"{lever.name} [{lever.unit}]" if lever.unit else lever.name
