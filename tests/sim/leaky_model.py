"""A model whose block loses entities, so that its runs fail the conservation check.

Used by the study-runner, Dask and command-line tests to see a failed run travel back
and end up in the manifest. A module of its own, so that worker processes import it by
name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sim.context import Context
from sim.metrics_registry import MetricRegistry
from sim.parameters import param
from sim.run import RunSettings
from sim.sources import PoissonSource
from sim.spec import ModelSpec


@dataclass(frozen=True)
class Params:
    rate: float = param(2.0, unit="1/h", low=0.0, low_open=True, provenance="ASSUMPTION: test model")


def validate(params: Params) -> None:
    """Nothing to check across fields."""


class _Leak:
    """A block that takes entities and forgets them (a deliberately broken block)."""

    held = 0

    def __init__(self, context: Context) -> None:
        self.name = "leak"
        context.register(self)

    def put(self, entity: Any) -> None:
        pass

    def outputs(self) -> dict[str, Any]:
        return {}


def build(context: Context, params: Params) -> None:
    PoissonSource(context, "arrivals", params.rate, stream="arrivals").to(_Leak(context))


def metrics(context: Context, params: Params, built: Any) -> dict[str, float]:
    return {}


SPEC = ModelSpec(name="leaky", summary="loses its entities", params_type=Params, build=build, metrics=metrics,
                 validate=validate, registry=MetricRegistry([]), headline=())


@dataclass(frozen=True)
class LeakyScenario:
    name: str = "leaky"
    model_module: str = __name__
    params: Params = Params()
    settings: RunSettings = field(default_factory=lambda: RunSettings(horizon=10.0))
    fingerprint: str = "leaky0"
