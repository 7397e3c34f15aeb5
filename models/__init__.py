"""The models cbecsim runs, one package or module per operation.

Each model exports one frozen `SPEC` (`sim.spec.ModelSpec`): its parameter type, `build`,
`metrics`, `validate`, metric registry, headline KPIs, Time Release Study flows and model
page. The rest of cbecsim reads a model only through `get_spec`.
"""

from __future__ import annotations

import importlib
import sys

from sim.spec import ModelSpec

#: model name -> import path
MODELS: dict[str, str] = {
    "queue_network": "models.queue_network",
    "bonded": "models.bonded",
    "returns": "models.returns",
    "mail": "models.mail",
}


def get_spec(name: str) -> ModelSpec:
    """The spec of model `name`; KeyError names the known models."""
    if name not in MODELS:
        raise KeyError(f"unknown model {name!r} (known: {', '.join(sorted(MODELS))})")
    spec: ModelSpec = importlib.import_module(MODELS[name]).SPEC
    return spec


def current_metric(model: str, name: str) -> str:
    """The current name of a metric a user typed; an old (renamed) name is accepted with a
    one-line deprecation message on stderr."""
    new, message = get_spec(model).registry.resolve(name)
    if message is not None:
        print(f"cbecsim: deprecated: {message}", file=sys.stderr)
    return new
