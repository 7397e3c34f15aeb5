"""The generated part of every model page: parameters, KPIs and Time Release Study flows.

One generator for all models, fed by the model's spec: the parameter table comes from
`sim.parameters.describe` and the defaults themselves, the KPI table from the metric
registry, the stage flows from the spec's `StageFlow`s. A page holds the generated part
between two markers; `render` replaces it, and a test requires each page to equal its
rendering (``python -m models.pages`` rewrites them).
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

from sim.calibration_table import NOTE as CALIBRATION_NOTE
from sim.calibration_table import calibration_table
from sim.metrics_registry import MetricRegistry
from sim.parameters import describe
from sim.spec import Calibration, StageFlow
from sim.toml_text import toml_value

BEGIN, END = "<!-- generated:begin -->", "<!-- generated:end -->"
PARAMETERS_NOTE = ("Every parameter under `[params]`, with its default as a scenario file writes it, unit, allowed "
                   "range, plausible range (for an ASSUMPTION: the range the robustness experiment varies) and "
                   "provenance.")
KPIS_NOTE = ("Every KPI is one value per replication over the observation window (after the warm-up). Labels, "
             "units and directions come from the model's metric registry.")
_BLOCK = re.compile(re.escape(BEGIN) + ".*?" + re.escape(END), re.DOTALL)


def cell(text: str) -> str:
    """`text` safe inside a Markdown table cell."""
    return str(text).replace("|", "\\|").replace("\n", " ")


def default_at(defaults: Any, key: str) -> Any:
    """The value at a dotted key path such as ``params.customs.xray_share``."""
    node = defaults
    for name in key.split(".")[1:]:
        node = getattr(node, name)
    return node


def parameter_table(params_type: type) -> list[str]:
    """Every parameter: key, default, unit, range, plausible range, provenance, meaning."""
    try:
        defaults: Any = params_type()
    except TypeError:  # parameters without defaults (a network the scenario describes)
        defaults = None
    lines = ["| Parameter | Default | Unit | Range | Plausible range | Provenance | Meaning |",
             "|---|---|---|---|---|---|---|"]
    for row in describe(params_type):
        value = None if defaults is None else default_at(defaults, row.key)
        if isinstance(value, tuple) and value and dataclasses.is_dataclass(value[0]):
            # a list of records: one record a line, each in its own code span
            shown = "<br>".join(f"`{cell(toml_value(item))}`" for item in value)
        else:
            default = row.default if defaults is None else toml_value(value)
            shown = f"`{cell(default)}`" if default and default != "(required)" else cell(default)
        lines.append("| " + " | ".join([f"`{row.key}`", shown, cell(row.unit), cell(row.range), cell(row.plausible),
                                        cell(row.provenance), cell(row.doc)]) + " |")
    return lines


def metric_table(registry: MetricRegistry) -> list[str]:
    """Every declared KPI: name (``{part}`` stands for a member of a family), labels,
    unit, better direction, definition."""
    lines = ["| KPI | Label | 标签 | Unit | Better | Definition |", "|---|---|---|---|---|---|"]
    for metric in registry:
        parts = "; ".join(f"`{{{name}}}`: {', '.join(pattern.split('|'))}" for name, pattern in metric.parts.items()
                          if re.fullmatch(r"[\w|]+", pattern))  # a list of names, not a free pattern
        definition = metric.definition + (f" ({parts})" if parts else "")
        lines.append("| " + " | ".join([f"`{metric.name}`", cell(metric.label_en), cell(metric.label_zh),
                                        cell(metric.unit), metric.better or "neither", cell(definition)]) + " |")
    return lines


def flow_table(flows: tuple[StageFlow, ...]) -> list[str]:
    """Each Time Release Study flow: its milestones in order and its classes."""
    lines = ["| Flow | 流程 | Milestones in order | Classes (first rule that fits) |", "|---|---|---|---|"]
    for flow in flows:
        classes = "; ".join(f"{rule.name}" + (f": has `{rule.has}`" if rule.has else "")
                            + (f", lacks `{rule.lacks}`" if rule.lacks else "") + ("" if rule.has or rule.lacks
                                                                                    else ": every other")
                            for rule in flow.classes)
        lines.append(f"| {cell(flow.label_en)} | {cell(flow.label_zh)} | "
                     f"{' → '.join(f'`{m}`' for m in flow.milestones)} | {cell(classes) or '—'} |")
    return lines


def generated(params_type: type, registry: MetricRegistry, flows: tuple[StageFlow, ...],
              calibration: Calibration | None = None, example: Any = None) -> str:
    """The generated block, markers included; `calibration` adds the milestones an event
    log must hold and what each calibrates (for the `example` parameters, default the
    defaults)."""
    lines = [BEGIN, "", "### Parameters", "",
             PARAMETERS_NOTE, ""]
    lines += parameter_table(params_type)
    lines += ["", "### KPIs", "",
              KPIS_NOTE, ""]
    lines += metric_table(registry)
    if flows:
        lines += ["", "### Time Release Study flows", "",
                  "Consecutive milestones are the stages of the stage-time tables.", ""]
        lines += flow_table(flows)
    if calibration is not None:
        lines += ["", "### Event logs: milestones and what they calibrate", "", CALIBRATION_NOTE, ""]
        lines += calibration_table(calibration, example if example is not None else params_type())
    return "\n".join([*lines, "", END])


def render(page: str, params_type: type, registry: MetricRegistry, flows: tuple[StageFlow, ...],
           calibration: Calibration | None = None, example: Any = None) -> str:
    """`page` with its generated block replaced by the current one."""
    if not _BLOCK.search(page):
        raise ValueError(f"the model page has no generated block ({BEGIN} ... {END})")
    block = generated(params_type, registry, flows, calibration, example)
    return _BLOCK.sub(lambda _: block, page)


def document(path: Path, params_type: type, registry: MetricRegistry, flows: tuple[StageFlow, ...],
             calibration: Calibration | None = None, example: Any = None) -> str:
    """The page at `path` as it should read (the file itself is left alone)."""
    return render(path.read_text(encoding="utf-8"), params_type, registry, flows, calibration, example)
