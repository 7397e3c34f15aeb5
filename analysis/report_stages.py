"""The report's Time Release Study section: stage-time tables and stacked bars per model.

Reads the milestone log one scenario at a time (only the milestones of the stage list and
of the class rules), builds `analysis.stages.stage_table` per scenario over the
observation window (entities whose first milestone is after the warm-up), and shows the
means, medians, p90 and p95 with their intervals, split by class when the model declares
`STAGE_CLASSES`.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from analysis import figures, html
from analysis.classify import entity_classes, rule_milestones
from analysis.document import Document, ModelInfo
from analysis.results import Results
from analysis.stages import ALL, TOTAL, stage_names, stage_sum_gap, stage_table


def stage_times(document: Document, results: Results, info: ModelInfo, scenarios: Sequence[str]) -> None:
    if not info.stage_flows:
        return
    document.heading(3, "Time Release Study: stage times")
    if not results.has_events:
        document.paragraph("The milestone log was not stored, so there are no stage-time tables. Add "
                           "events = true to the study file (or --events to cbecsim run) to get them.", "note")
        return
    for flow in info.stage_flows:
        label, milestones, rules = flow.name, flow.milestones, flow.classes
        tables, coverage = [], []
        for scenario in scenarios:
            log = results.events(scenario, [*milestones, *rule_milestones(rules)])
            if log is None:
                continue
            classes = entity_classes(log, rules) if rules else None
            log = log[log["milestone"].isin(list(milestones))]
            if log.empty:
                continue
            since = results.scenarios[scenario].warmup
            try:
                table = stage_table(log, milestones, since=since, classes=classes)
            except ValueError:
                continue
            tables.append(table)
            started = log[(log["milestone"] == milestones[0]) & (log["time"] >= since)]
            counted = table[(table["class"] == ALL) & (table["stage"] == TOTAL)]["entities"].sum()
            coverage.append((scenario, int(counted), int(started[["replication", "entity"]].drop_duplicates().shape[0]),
                             results.events_share(scenario)))
        if not tables:
            document.paragraph(f"No entity passed the milestones {' → '.join(milestones)} in the observation "
                               "window.", "note")
            continue
        _show(document, info, label, milestones, pd.concat(tables, ignore_index=True))
        _coverage(document, coverage)


def _coverage(document: Document, coverage: Sequence[tuple[str, int, int, float | None]]) -> None:
    """How many entities that started in the window the table counts: those still in the
    process at the horizon are cut off, so a low share means the table describes only the
    faster part of the flow (a longer horizon fixes it)."""
    parts = []
    for scenario, counted, started, share in coverage:
        sample = f", a {share:.0%} sample of entities" if share is not None and share < 1 else ""
        parts.append(f"{scenario} {counted:,} of {started:,}{sample}")
    low = [scenario for scenario, counted, started, _ in coverage if started and counted / started < 0.5]
    text = ("Entities counted (they finished the last milestone) of those that started in the window, over all "
            f"replications: {'; '.join(parts)}. Sampled logs keep the entities whose id hashes below the share: the "
            "same entities in every scenario.")
    if low:
        text += (" Fewer than half finished before the horizon in " + ", ".join(low) + ": those tables describe the "
                 "faster part of the flow only; a longer horizon gives the full picture.")
    document.paragraph(text, "note")


def _show(document: Document, info: ModelInfo, label: str, milestones: Sequence[str], table: pd.DataFrame) -> None:
    document.heading(4, f"{label}: {' → '.join(milestones)}")
    gap = stage_sum_gap(table).abs().max()
    name = f"{info.name}_stages_{label}"
    document.figure(lambda path: figures.stage_bars(table, path, title=f"Stage times: {label} ({info.name})"),
                    name, "Mean time per stage (stacked) per scenario, with the 95% interval of the mean total.")
    classes = [c for c in pd.unique(table["class"]) if c != ALL]
    if classes:
        for scenario in pd.unique(table["scenario"]):
            part = table[table["scenario"] == scenario]
            document.figure(lambda path, part=part, scenario=scenario: figures.stage_bars(
                part, path, title=f"Stage times by class: {scenario}", classes=[ALL, *classes]),
                f"{name}_{scenario}_by_class", f"Mean time per stage by class, scenario {scenario}.")
    shown = pd.DataFrame({
        "scenario": table["scenario"], "class": table["class"], "stage": table["stage"],
        **{f"{statistic} [95% CI] (h)": [html.interval(m, lo, hi) for m, lo, hi in zip(
            table[statistic], table[f"{statistic}_ci_low"], table[f"{statistic}_ci_high"])]
           for statistic in ("mean", "median", "p90", "p95")},
        "share reached": [f"{100 * v:.0f}%" for v in table["share_reached"]],
        "entities": table["entities"],
    })
    brief = (shown["class"] == ALL) | (shown["stage"] == TOTAL)
    document.table(table, name, shown=shown[brief],
                   caption="every stage for all entities; totals per class (the CSV has every stage per class)"
                   if classes else None)
    stages = ", ".join(stage_names(milestones))
    document.paragraph(f"Stages: {stages}; {TOTAL}: first to last milestone. Entities count when they passed the first "
                       "and the last milestone after the warm-up; a skipped milestone takes the time of the one before "
                       "(share reached says how many passed it). Stage means add up to the total mean (largest gap "
                       f"here {gap:.2g} h); percentiles do not add up. Intervals: t-intervals over replications of "
                       "the per-replication statistic.", "note")
