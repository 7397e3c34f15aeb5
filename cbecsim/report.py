"""The report command's glue: what each model's spec declares, handed to `analysis.report`.

The analysis package reads stored results only and never imports a model; this module,
on top of both, turns each model's `ModelSpec` (metric registry, headline KPIs, Time
Release Study flows, parameter descriptions) into a plain `ModelInfo` record.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from analysis.document import ModelInfo
from analysis.report import Report, write_report
from models import MODELS, get_spec
from sim.parameters import describe


def model_info(name: str) -> ModelInfo:
    """The report's view of model `name` (a bare record when it cannot be imported)."""
    if name not in MODELS:
        return ModelInfo(name)
    try:
        spec = get_spec(name)
    except ImportError:
        return ModelInfo(name)
    return ModelInfo(
        name=name,
        summary=spec.summary,
        registry=spec.registry,
        headline=tuple(spec.headline),
        stage_flows=tuple(spec.stage_flows),
        parameters=tuple(dataclasses.asdict(row) for row in describe(spec.params_type)),
    )


def report(folder: Path | str) -> Report:
    """Write the report of the results in `folder`."""
    from analysis.results import Results

    models = Results.open(folder).models
    return write_report(folder, {name: model_info(name) for name in models})
