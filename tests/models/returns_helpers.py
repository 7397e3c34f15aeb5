"""Helpers for the returns-model tests: scenarios from tables, and per-return outcomes read
from the milestone log."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from scenarios.loader import Scenario, scenario_from_mapping
from sim.run import RunResult, run

REPO = Path(__file__).resolve().parents[2]
SCENARIOS = REPO / "scenarios" / "returns"


def deterministic(value: float) -> dict[str, Any]:
    return {"dist": "deterministic", "value": value}


def crew(servers: int, cost: float = 45.0) -> dict[str, Any]:
    return {"servers": servers, "cost_cny_per_staff_h": cost}


def facility(name: str, servers: int = 1000, staging: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """A return facility whose crews never keep a return waiting (`servers` around the
    clock); `staging`: its out-of-zone warehouse's fields (used when the facility is
    listed in `staged_facilities`)."""
    spec: dict[str, Any] = {"name": name, **{pool: crew(servers) for pool in
                                             ("receipt_staff", "officers", "inspectors", "reshelving_staff")}}
    if staging is not None:
        spec["staging"] = {"sorting_staff": crew(servers), "declarants": crew(servers), **staging}
    return spec


def scenario(params: Mapping[str, Any], horizon: float, warmup: float = 0.0, start: str = "2025-03-03T00:00",
             seed: int = 7, name: str = "test") -> Scenario:
    return scenario_from_mapping({
        "model": "returns", "name": name,
        "run": {"horizon": horizon, "warmup": warmup, "replications": 1, "seed": seed, "start": start},
        "params": dict(params),
    }, source=f"<{name}>")


def write_table(path: Path, rows: list[dict[str, Any]]) -> str:
    frame = pd.DataFrame(rows)
    if path.suffix == ".parquet":
        frame.to_parquet(path)
    else:
        frame.to_csv(path, index=False)
    return str(path)


def first_times(result: RunResult, milestone: str) -> dict[int, float]:
    """entity id -> first time of `milestone` in the run's log."""
    entities, times = result.events.times_of(milestone)  # type: ignore[union-attr]
    found: dict[int, float] = {}
    for entity, time in zip(entities.tolist(), times.tolist()):
        found.setdefault(entity, time)
    return found


def order_of(result: RunResult, flow: str = "import") -> dict[int, int]:
    """entity id -> order number (the resource of its `released` row)."""
    events = result.events
    code = events.names.index(f"{flow}.released")  # type: ignore[union-attr]
    mask = events.milestone == code  # type: ignore[union-attr]
    return dict(zip(events.entity[mask].tolist(), events.resource[mask].tolist()))  # type: ignore[union-attr]


def by_order(result: RunResult, milestone: str, flow: str = "import") -> dict[int, float]:
    """order number -> first time of `milestone`."""
    orders = order_of(result, flow)
    return {orders[entity]: time for entity, time in first_times(result, milestone).items()}


def run_with_log(scenario_: Scenario, replication: int = 0) -> RunResult:
    return run(scenario_, replication, events=True)


def stay_overlap(entered: np.ndarray, left: np.ndarray, begin: float, end: float) -> float:
    """Sum over stays [entered, left) of their overlap with [begin, end]."""
    return float(np.clip(np.minimum(left, end) - np.maximum(entered, begin), 0.0, None).sum())
