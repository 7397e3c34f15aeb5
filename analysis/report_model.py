"""The report's section on one model: what was compared, findings, comparisons,
key metrics, utilisation and parameters (stage times and sweeps have modules of their own).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from analysis import figures, html
from analysis.document import Document, ModelInfo, slug
from analysis.headlines import findings, headline_metrics, metric_label
from analysis.results import Group, Results


def compared(document: Document, results: Results, scenarios: Sequence[str], pairs: Sequence[tuple[str, str]]) -> None:
    """Which scenarios were compared with which baseline, with their descriptions."""
    document.heading(3, "What was compared")
    info = results.scenarios
    items = []
    for baseline in dict.fromkeys(b for b, _ in pairs):
        others = [s for b, s in pairs if b == baseline]
        listed = "".join(f"<li><b>{html.text(s)}</b>: {html.text(info[s].description)}</li>" for s in others)
        items.append(("", (f"Baseline <b>{html.text(baseline)}</b>: {html.text(info[baseline].description)}"
                          f"<br>against<ul>{listed}</ul>")))
    alone = [s for s in scenarios if all(s not in pair for pair in pairs)]
    for name in alone:
        items.append(("", f"<b>{html.text(name)}</b> (not compared): {html.text(info[name].description)}"))
    document.raw(html.bullets(items))
    replications = results.manifest.get("replications")
    document.paragraph(f"Each scenario ran {replications} replications with root seed {results.manifest.get('seed')}; "
                       "replication r of every scenario uses the same random streams (common random numbers), so "
                       "differences are paired replication by replication.", "note")


@dataclass(frozen=True)
class Focus:
    """One group's part of a model section: its scenarios and pairs, the headline metrics
    with their labels, the heading level and the stem of its file names."""

    name: str
    level: int
    scenarios: tuple[str, ...]
    pairs: tuple[tuple[str, str], ...]
    metrics: tuple[str, ...]
    labels: Mapping[str, str]


def focus(results: Results, info: ModelInfo, group: Group | None, scenarios: Sequence[str], level: int) -> Focus:
    """Headline metrics: the study's for the group, else the model spec's, else
    `analysis.headlines.headline_metrics`' default. Labels: the study's, else the metric
    registry's."""
    members = [group.baseline, *group.scenarios] if group is not None else list(scenarios)
    declared: Sequence[str] | Mapping[str, str] | None = info.headline
    if group is not None and group.headline:
        declared = group.headline
    metrics = headline_metrics(declared, results.comparisons, results.summary, members)
    study = group.headline if group is not None else None
    labels = {}
    for metric in metrics:
        given = metric_label(metric, study)
        labels[metric] = given if given != metric else info.label(metric)
    name = info.name if group is None else f"{info.name}_{group.baseline}"
    return Focus(name, level, tuple(members), tuple(group.pairs) if group is not None else (), tuple(metrics), labels)


def headline_findings(document: Document, results: Results, part: Focus) -> None:
    """Plain-words sentences with intervals, one per pair and headline metric."""
    if not part.pairs or results.comparisons is None:
        return
    document.heading(part.level, "Headline findings")
    chosen = _pair_rows(results.comparisons, part.pairs)
    found = findings(chosen, part.metrics, part.labels)
    items = [(f.direction, html.text(f.sentence)) for f in found]
    document.findings.extend(found)
    document.raw(html.bullets(items, "findings"))
    document.paragraph("Changes are scenario minus baseline over paired replications; the interval of a relative change "
                       "is the delta-method interval of the ratio of means. \"No clear change\" means the 95% interval "
                       "includes zero.", "note")
    frame = pd.DataFrame([{"baseline": f.baseline, "scenario": f.scenario, "metric": f.metric, "direction": f.direction,
                           "finding": f.sentence} for f in found])
    path = document.tables_folder / f"{slug(part.name)}_findings.csv"
    frame.to_csv(path, index=False)
    document.tables.append(path)


def key_metrics(document: Document, results: Results, info: ModelInfo, part: Focus) -> None:
    """Headline metrics per scenario: mean and 95% interval."""
    document.heading(part.level, "Key metrics")
    summary = results.summary
    rows = summary[summary["scenario"].isin(list(part.scenarios)) & summary["metric"].isin(list(part.metrics))]
    wide = rows.assign(value=[html.interval(m, lo, hi) for m, lo, hi in zip(rows["mean"], rows["ci_low"], rows["ci_high"])])
    shown = wide.pivot(index="metric", columns="scenario", values="value").reindex(index=list(part.metrics),
                                                                                   columns=list(part.scenarios))
    shown = shown.reset_index()
    shown.insert(1, "definition", [part.labels.get(m) if part.labels.get(m) != m else info.definition(m)
                                   for m in shown["metric"]])
    document.table(rows, f"{part.name}_key_metrics", shown=shown.fillna(""),
                   caption="mean over replications [95% t-interval]")


def comparison_charts(document: Document, results: Results, part: Focus) -> None:
    """Changes against the baseline with intervals: with one or two pairs, one chart per
    pair listing the headline metrics; with more, one chart per metric listing the pairs."""
    metrics, pairs = part.metrics, part.pairs
    if not pairs or results.comparisons is None:
        return
    document.heading(part.level, "Comparisons with the baseline")
    chosen = _pair_rows(results.comparisons, pairs)
    chosen = chosen[chosen["metric"].isin(list(metrics))].copy()
    pair_order = {pair: i for i, pair in enumerate(pairs)}
    chosen["_pair"] = [pair_order[(b, s)] for b, s in zip(chosen["baseline"], chosen["scenario"])]
    chosen["_order"] = chosen["metric"].map({m: i for i, m in enumerate(metrics)})
    chosen = chosen.sort_values(["_pair", "_order"], kind="stable").drop(columns=["_pair", "_order"])
    chosen["label"] = [part.labels.get(m, m) for m in chosen["metric"]]
    several = len({b for b, _ in pairs}) > 1
    if len(pairs) <= 2:
        for baseline, scenario in pairs:
            rows = chosen[(chosen["baseline"] == baseline) & (chosen["scenario"] == scenario)]
            _change_chart(document, rows, "label", f"{scenario} against {baseline}",
                          f"{part.name}_change_{scenario}_vs_{baseline}",
                          f"Change of each headline metric, {scenario} against {baseline}, with 95% intervals "
                          "(paired replications).")
    else:
        overview = chosen[chosen["rel_change"].notna()]
        frame = pd.DataFrame({"metric": overview["label"], "scenario": overview["scenario"] + (
            " vs " + overview["baseline"] if several else ""), "mean": 100 * overview["rel_change"],
            "ci_low": 100 * overview["rel_ci_low"], "ci_high": 100 * overview["rel_ci_high"]})
        if not frame.empty:
            document.figure(lambda path: figures.dot_plot(frame, path, "Changes against the baseline",
                                                          "change against the baseline [%]", reference=0.0),
                            f"{part.name}_changes", "Every headline metric's relative change per scenario, with "
                            "95% intervals (paired replications); the charts below show them one metric at a time.")
        for metric in metrics[:OVERVIEW_DETAIL]:
            rows = chosen[chosen["metric"] == metric].copy()
            if rows.empty:
                continue
            rows["pair"] = rows["scenario"] + (" vs " + rows["baseline"] if several else "")
            label = part.labels.get(metric, metric)
            _change_chart(document, rows, "pair", f"Change in {label}", f"{part.name}_change_{metric}",
                          f"{label}: change against the baseline with its 95% interval (paired replications).")
    shown = pd.DataFrame({
        "scenario": chosen["scenario"], "baseline": chosen["baseline"], "metric": chosen["metric"],
        "baseline mean": chosen["baseline_mean"], "scenario mean": chosen["scenario_mean"],
        "difference [95% CI]": [html.interval(*v) for v in zip(chosen["diff_mean"], chosen["diff_ci_low"],
                                                                 chosen["diff_ci_high"])],
        "change [95% CI]": [_change(*v) for v in zip(chosen["rel_change"], chosen["rel_ci_low"], chosen["rel_ci_high"])],
        "CRN variance reduction": [_percent(v) for v in chosen["variance_reduction"]],
    })
    everything = _pair_rows(results.comparisons, pairs)
    document.table(everything, f"{part.name}_comparisons", shown=shown,
                   caption="headline metrics; the CSV holds every metric")
    document.paragraph("CRN variance reduction: the share of the variance of the difference that common random numbers "
                       "removed, 1 - Var(paired difference) / (Var(baseline) + Var(scenario)).", "note")


def _change_chart(document: Document, rows: pd.DataFrame, label_column: str, title: str, name: str,
                  caption: str) -> None:
    """Relative changes where every row has one, else absolute differences."""
    if rows.empty:
        return
    if rows["rel_ci_low"].notna().all():
        def draw(path: Any) -> Any:
            return figures.comparison_bars(rows, path, title, label_column=label_column, value="rel_change",
                                           low="rel_ci_low", high="rel_ci_high")
    else:
        def draw(path: Any) -> Any:
            return figures.comparison_bars(rows, path, title, label_column=label_column, value="diff_mean",
                                           low="diff_ci_low", high="diff_ci_high", percent=False,
                                           xlabel="difference from the baseline")
    document.figure(draw, name, caption)


def _change(value: float, low: float, high: float) -> str:
    if value is None or math.isnan(value):
        return ""
    if low is None or math.isnan(low):
        return f"{100 * value:+.1f}%"
    return f"{100 * value:+.1f}% [{100 * low:+.1f}%, {100 * high:+.1f}%]"


def utilisation(document: Document, results: Results, info: ModelInfo, scenarios: Sequence[str]) -> None:
    """Utilisation metrics of every scenario, with intervals."""
    summary = results.summary
    rows = summary[summary["scenario"].isin(list(scenarios)) & summary["metric"].str.contains("utili[sz]ation")]
    if rows.empty:
        return
    document.heading(3, "Utilisation")
    document.figure(lambda path: figures.dot_plot(rows, path, f"Utilisation ({info.name})", "busy share of capacity [–]"),
                    f"{info.name}_utilisation", "Utilisation of each resource per scenario (mean over replications, "
                    "95% interval).")
    shown = rows.assign(value=[html.interval(*v) for v in zip(rows["mean"], rows["ci_low"], rows["ci_high"])])
    shown = shown.pivot(index="metric", columns="scenario", values="value").reindex(columns=list(scenarios)).reset_index()
    document.table(rows, f"{info.name}_utilisation", shown=shown.fillna(""))


def parameters(document: Document, results: Results, info: ModelInfo, scenarios: Sequence[str]) -> None:
    """Every parameter with its default, unit, range and provenance, and the values the
    scenarios set (from the resolved scenario files in the manifest)."""
    if not info.parameters:
        return
    document.heading(3, "Parameters and their sources")
    rows = []
    for doc in info.parameters:
        key = doc["key"]
        values = {name: _lookup(results.scenarios[name].resolved, key) for name in scenarios}
        set_values = {name: value for name, value in values.items() if value is not _MISSING}
        rows.append({"parameter": key, "default": doc.get("default", ""), "unit": doc.get("unit", ""),
                     "range": doc.get("range", ""), "provenance": doc.get("provenance", ""),
                     "set by scenarios": _set_text(set_values, len(scenarios)), "description": doc.get("doc", "")})
    frame = pd.DataFrame(rows)
    shown = frame.assign(default=frame["default"].map(lambda v: _shorten(str(v), 90)),
                         **{"set by scenarios": frame["set by scenarios"].map(lambda v: _shorten(str(v), 240))})
    document.raw(f"<details><summary>{len(frame)} parameters of the {html.text(info.name)} model "
                 "(click to open)</summary>")
    document.table(frame, f"{info.name}_parameters", shown=shown)
    document.raw("</details>")
    document.paragraph("Provenance: a source from the project's domain brief, or ASSUMPTION for a modelling value "
                       "with no source (such values are levers for sensitivity analysis).", "note")


_MISSING = object()
#: with more than two pairs, metrics that also get a chart of their own (all are in the overview)
OVERVIEW_DETAIL = 6


def _lookup(resolved: Mapping[str, Any], key: str) -> Any:
    node: Any = resolved
    for part in key.split("."):
        if isinstance(node, Mapping) and part in node:
            node = node[part]
        else:
            return _MISSING
    return node


def _set_text(values: Mapping[str, Any], count: int) -> str:
    if not values:
        return ""
    shown = {name: json.dumps(value, default=str, ensure_ascii=False) for name, value in values.items()}
    distinct = set(shown.values())
    if len(distinct) == 1 and len(shown) == count:
        return f"all: {next(iter(distinct))}"
    return "; ".join(f"{name}: {value}" for name, value in shown.items())


def _shorten(value: str, width: int) -> str:
    return value if len(value) <= width else value[: width - 1] + "…"


def _pair_rows(comparisons: pd.DataFrame, pairs: Sequence[tuple[str, str]]) -> pd.DataFrame:
    keys = set(pairs)
    mask = [(b, s) in keys for b, s in zip(comparisons["baseline"], comparisons["scenario"])]
    return comparisons[mask]


def _percent(value: float) -> str:
    if value is None or math.isnan(value):
        return ""
    return "0%" if abs(value) < 0.005 else f"{100 * value:.0f}%"
