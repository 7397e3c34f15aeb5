"""The model contract: one frozen `ModelSpec` per model.

The runner, the report, the command line and the documentation read a model only through
its spec: no attribute probing of model modules. A model package exports ``SPEC``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, TypeVar

from sim.frozen import FrozenMapping
from sim.metrics_registry import MetricRegistry

P = TypeVar("P")  # the model's parameter type
B = TypeVar("B")  # what its build returns


@dataclass(frozen=True)
class ClassRule:
    """An entity belongs to class `name` when it has milestone `has` (None: any) and lacks
    `lacks` (None: nothing required). Rules are tried in order; the first that fits wins."""

    name: str
    has: str | None = None
    lacks: str | None = None


@dataclass(frozen=True)
class StageFlow:
    """A Time Release Study flow: milestones in process order (consecutive differences are
    the stages) and the rules that split its entities into classes (e.g. risk channels)."""

    name: str
    label_en: str
    label_zh: str
    milestones: tuple[str, ...]
    classes: tuple[ClassRule, ...] = ()

    def __post_init__(self) -> None:
        if len(self.milestones) < 2:
            raise ValueError(f"stage flow {self.name!r}: needs at least two milestones")


@dataclass(frozen=True)
class StageCalibration:
    """Which observed quantity calibrates parameter `parameter` (a key path under
    ``[params]``, e.g. ``stations[0].service``):

    - ``duration``: time from milestone `begin` to the next `end` of the same entity,
      written in `unit` (``h``, ``min`` or ``s``: the parameter's unit);
    - ``arrivals``: occurrences of `begin` as a Poisson rate per hour (of entities whose
      next milestone is `end`, when given);
    - ``profile``: occurrences of `begin` as 24 hourly weights (mean 1) over the day;
    - ``share``: share of `begin` occurrences whose next milestone is `end`;
    - ``batch``: entities per batch, a batch being the entities logged at `begin` with
      the same resource (a receptacle, a truck).
    """

    parameter: str
    kind: Literal["duration", "arrivals", "profile", "share", "batch"]
    begin: str
    end: str | None = None
    unit: Literal["h", "min", "s"] = "h"


@dataclass(frozen=True)
class Calibration:
    """How a model meets an event log: `stages(params)` lists what calibrates what (it may
    depend on the baseline's parameters, e.g. a network's station names); `case_object`
    names what an entity is (item, order, case); `resource_objects` maps a milestone to the
    object type its resource column identifies (a receptacle, a truck), for OCEL export;
    `total` is the (first, last) milestone pair of an entity's whole passage, checked
    against observed logs beside the stages."""

    stages: Callable[[Any], tuple[StageCalibration, ...]]
    case_object: str = "case"
    total: tuple[str, str] | None = None
    resource_objects: Mapping[str, str] = field(default_factory=FrozenMapping)


@dataclass(frozen=True)
class ModelSpec(Generic[P, B]):
    """Everything the rest of cbecsim may know about a model.

    - `params_type`: the frozen parameter dataclass (`sim.parameters.param` fields);
    - `build(context, params) -> B` wires the blocks; `metrics(context, params, built)`
      returns the KPI values, every name declared in `registry`;
    - `validate(params)` checks across fields (raises `ParameterError`);
    - `headline`: the KPIs a summary and the report's scorecard lead with, in order;
    - `stage_flows`: Time Release Study flows; `needs_log`: whether `metrics` reads the
      milestone log (the runner then keeps it); `milestones`: every milestone name the
      model logs;
    - `document()`: the model page (Markdown);
    - `renamed_params`: old scenario key path -> new (accepted for one release);
    - `calibration`: how observed event logs calibrate and check the model (optional).
    """

    name: str
    summary: str
    params_type: type[P]
    build: Callable[[Any, P], B]
    metrics: Callable[[Any, P, B], Mapping[str, float]]
    validate: Callable[[P], None]
    registry: MetricRegistry
    headline: tuple[str, ...]
    document: Callable[[], str] | None = None
    stage_flows: tuple[StageFlow, ...] = ()
    needs_log: bool = False
    milestones: tuple[str, ...] = ()
    renamed_params: Mapping[str, str] = field(default_factory=FrozenMapping)
    calibration: Calibration | None = None

    def __post_init__(self) -> None:
        undeclared = self.registry.undeclared(self.headline)
        if undeclared:
            raise ValueError(f"model {self.name!r}: headline metrics not declared: {', '.join(undeclared)}")
        logged = set(self.milestones)
        for flow in self.stage_flows:
            missing = [m for m in flow.milestones if logged and m not in logged]
            if missing:
                raise ValueError(f"model {self.name!r}: stage flow {flow.name!r} names milestones the model does "
                                 f"not log: {', '.join(missing)}")
