"""The models cbecsim runs, one module per operation.

Each model module provides `NAME`, a frozen `Params` dataclass (every default with its
unit and provenance), `validate(params)` for checks across fields, `build(context,
params)` wiring kernel blocks, and `metrics(context, params, built)`.
"""

from __future__ import annotations

import importlib
from types import ModuleType

#: model name -> import path
MODELS: dict[str, str] = {
    "queue_network": "models.queue_network",
    "bonded": "models.bonded",
    "returns": "models.returns",
    "mail": "models.mail",
}


def get_model(name: str) -> ModuleType:
    """The module of model `name`; KeyError names the known models."""
    if name not in MODELS:
        raise KeyError(f"unknown model {name!r} (known: {', '.join(sorted(MODELS))})")
    return importlib.import_module(MODELS[name])
