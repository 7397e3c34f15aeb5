"""The report of a results folder: ``report.html`` with ``figures/*.png`` and ``tables/*.csv``.

`write_report(folder, models)` reads only what the folder holds and writes a
self-contained HTML page (figures embedded as base64 PNG) with, for each model present:
what was compared, headline findings in plain words with their intervals, key metrics,
comparison charts, Time Release Study stage times (when the milestone log was stored),
utilisation, sweeps (capacity curves, sensitivity) and a parameter table with provenance;
then a STRESS-DES reproducibility section filled from the manifest. `models` describes each
model (`ModelInfo`); the caller gathers it, so this package never imports a model.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis import html, report_model
from analysis.document import Document, ModelInfo
from analysis.headlines import Finding
from analysis.report_observed import observed_section
from analysis.report_stages import stage_times
from analysis.report_sweeps import sweep_section
from analysis.reproducibility import scenario_table, stress_table
from analysis.results import Results

__all__ = ["ModelInfo", "Report", "write_report"]


@dataclass(frozen=True)
class Report:
    path: Path
    figures: tuple[Path, ...]
    tables: tuple[Path, ...]
    problems: tuple[str, ...]
    findings: tuple[Finding, ...] = ()


def write_report(folder: Path | str, models: Mapping[str, ModelInfo] | None = None) -> Report:
    """Write ``report.html``, ``figures/`` and ``tables/`` into the results `folder`."""
    results = Results.open(folder)
    models = dict(models or {})
    document = Document(results.folder)
    _overview(document, results)
    # sweep points are reported in their sweep sections; a sweep's baseline stays a scenario
    swept = {name for record in results.sweeps for name in record["scenarios"]} - {
        record["baseline"] for record in results.sweeps}
    for model in results.models:
        _model(document, results, models.get(model) or ModelInfo(model), swept)
    observed_section(document, results)
    _reproducibility(document, results)
    title = _title(results)
    created = dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    meta = (f"{html.text(results.folder)} · generated {html.text(created)} · "
            f"{len(results.scenarios)} scenarios × {results.manifest.get('replications')} replications")
    path = results.folder / "report.html"
    path.write_text(document.html(title, meta), encoding="utf-8")
    return Report(path, tuple(document.figures), tuple(document.tables), tuple(document.problems),
                  tuple(document.findings))


def _title(results: Results) -> str:
    study = results.manifest.get("study") or {}
    return f"cbecsim report: {study['name']}" if study.get("name") else f"cbecsim report: {results.folder.name}"


def _overview(document: Document, results: Results) -> None:
    document.heading(2, "Overview")
    study = results.manifest.get("study") or {}
    description = str((study.get("resolved") or {}).get("description", "")).strip()
    if description:
        document.paragraph(description)
    models = ", ".join(results.models)
    document.paragraph(f"Models: {models}. Every number is a mean over independent replications with its 95% "
                       "Student-t interval; comparisons pair replication r of a scenario with replication r of its "
                       "baseline (common random numbers).")
    rows = [{"scenario": info.name, "model": info.model, "horizon (h)": info.horizon, "warm-up (h)": info.warmup,
             "description": info.description} for info in results.scenarios.values() if "@" not in info.name]
    swept = len(results.scenarios) - len(rows)
    document.table(pd.DataFrame(rows), "scenarios")
    if swept:
        document.paragraph(f"Besides these, {swept} scenarios are points of sweeps (see the sweep sections).", "note")


def _model(document: Document, results: Results, info: ModelInfo, swept: set[str]) -> None:
    document.heading(2, f"Model: {info.name}", f"model_{info.name}")
    if info.summary:
        document.paragraph(info.summary)
    scenarios = [name for name in results.scenarios_of(info.name) if name not in swept]
    groups = [g for g in results.groups if g.baseline in scenarios and g.scenarios]
    pairs = [pair for group in groups for pair in group.pairs]
    if scenarios:
        report_model.compared(document, results, scenarios, pairs)
    for group in groups:
        if len(groups) > 1:
            document.heading(3, f"{group.baseline} against {', '.join(group.scenarios)}", f"group_{group.baseline}")
        part = report_model.focus(results, info, group, scenarios, 4 if len(groups) > 1 else 3)
        report_model.headline_findings(document, results, part)
        report_model.key_metrics(document, results, info, part)
        report_model.comparison_charts(document, results, part)
    overall = report_model.focus(results, info, None, scenarios, 3)
    others = [name for name in scenarios if all(name not in (g.baseline, *g.scenarios) for g in groups)]
    if others:
        report_model.key_metrics(document, results, info, report_model.Focus(
            f"{info.name}_other", 3, tuple(others), (), overall.metrics, overall.labels))
    if scenarios:
        stage_times(document, results, info, scenarios)
        report_model.utilisation(document, results, info, scenarios)
    for number, record in enumerate(results.sweeps):
        if record.get("model") == info.name:
            sweep_section(document, results, record, number, overall.metrics)
    report_model.parameters(document, results, info, scenarios or results.scenarios_of(info.name))


def _reproducibility(document: Document, results: Results) -> None:
    document.heading(2, "Reproducibility (STRESS-DES)", "reproducibility")
    document.paragraph("Filled from manifest.json, following the STRESS-DES reporting checklist (Monks et al. 2019). "
                       "Running the same command on the same revision reproduces every number bit for bit, whatever "
                       "the number of worker processes.")
    document.table(stress_table(results.manifest), "reproducibility")
    document.heading(4, "Scenarios as run")
    document.table(scenario_table(results.manifest), "scenarios_as_run")
