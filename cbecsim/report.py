"""The report command's glue: what each model declares, handed to `analysis.report`.

The analysis package reads stored results only and never imports a model; this module,
on top of both, reads each model module's declarations (`STAGES` and any other
``*_STAGES`` lists, `STAGE_CLASSES`, `HEADLINE_METRICS`, `describe_metrics()`, and
`sim.parameters.describe(Params)`) into plain `ModelInfo` records.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from pathlib import Path
from types import ModuleType

from analysis.document import ModelInfo
from analysis.report import Report, write_report
from models import MODELS, get_model
from sim.parameters import describe


def model_info(name: str) -> ModelInfo:
    """The report's view of model `name` (a bare record when it cannot be imported)."""
    if name not in MODELS:
        return ModelInfo(name)
    try:
        module = get_model(name)
    except ImportError:
        return ModelInfo(name)
    return ModelInfo(
        name=name,
        summary=_first_paragraph(module.__doc__ or ""),
        stage_lists=tuple(stage_lists(module)),
        stage_classes=tuple(tuple(rule) for rule in getattr(module, "STAGE_CLASSES", ())),  # type: ignore[misc]
        headline=getattr(module, "HEADLINE_METRICS", None),
        metric_definitions=dict(module.describe_metrics()) if hasattr(module, "describe_metrics") else {},
        parameters=tuple(dataclasses.asdict(row) for row in describe(module.Params)) if hasattr(module, "Params") else (),
    )


def stage_lists(module: ModuleType) -> Iterable[tuple[str, tuple[str, ...]]]:
    """`STAGES` first, then every other ``<FLOW>_STAGES`` tuple of milestone names, labelled
    by the flow (``OUTBOUND_STAGES`` -> "outbound"; `STAGES` -> "main")."""
    names = ["STAGES"] + sorted(n for n in dir(module) if n.endswith("_STAGES") and n != "STAGES")
    for attribute in names:
        milestones = getattr(module, attribute, None)
        if isinstance(milestones, (tuple, list)) and len(milestones) >= 2 and all(isinstance(m, str) for m in milestones):
            yield ("main" if attribute == "STAGES" else attribute.removesuffix("_STAGES").lower()), tuple(milestones)


def report(folder: Path | str) -> Report:
    """Write the report of the results in `folder`."""
    from analysis.results import Results

    models = Results.open(folder).models
    return write_report(folder, {name: model_info(name) for name in models})


def _first_paragraph(text: str) -> str:
    return " ".join(text.strip().split("\n\n")[0].split())
