"""Helpers of the bonded-model tests: small scenarios built in memory, and runs."""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from models.bonded.params import Params
from scenarios.loader import Scenario, scenario_from_mapping
from sim.run import RunResult, run

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios" / "bonded"

#: a pool that never makes anyone wait
UNLIMITED = [{"start": "00:00", "end": "24:00", "servers": 100_000}]
ALWAYS_ON = "00:00", "24:00"


def pool(servers: int) -> list[dict[str, Any]]:
    """A pool of `servers` on duty all day."""
    return [{"start": "00:00", "end": "24:00", "servers": servers}]


def deterministic(value: float) -> dict[str, Any]:
    return {"dist": "deterministic", "value": value}


def merge(base: dict[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    """`base` with the tables of `extra` merged in (recursively)."""
    result = copy.deepcopy(base)
    for key, value in extra.items():
        if isinstance(value, Mapping) and isinstance(result.get(key), dict):
            result[key] = merge(result[key], value)
        else:
            result[key] = copy.deepcopy(value)
    return result


def scenario(params: Mapping[str, Any] | None = None, *, horizon: float = 24.0, warmup: float = 0.0,
             start: str = "2025-03-03T00:00", day_types: Mapping[str, str] | None = None, seed: int = 1,
             name: str = "test") -> Scenario:
    data: dict[str, Any] = {
        "model": "bonded",
        "name": name,
        "run": {"horizon": horizon, "warmup": warmup, "seed": seed, "start": start, "replications": 1},
        "params": dict(params or {}),
    }
    if day_types:
        data["run"]["day_types"] = dict(day_types)
    return scenario_from_mapping(data, source=f"<{name}>")


def policy(same_parcel: bool, same_truck: bool) -> dict[str, Any]:
    return {"policy": {"same_parcel": same_parcel, "same_truck": same_truck}}


POLICIES = {
    "baseline": policy(False, False),
    "same_parcel": policy(True, False),
    "same_truck": policy(False, True),
    "pilot": policy(True, True),
}


def carriers(scale: float = 1.0, *, of: Params | None = None, **changes: Any) -> list[dict[str, Any]]:
    """The carriers of `of` (default: the shipped defaults) as scenario tables, their
    trucks' room (m³ and parcel cap) and the other shippers' cargo scaled by `scale`, and
    `changes` set on every carrier (`truck` changes are merged into the truck table)."""
    tables = []
    for carrier in (of or Params()).trucks.carriers:
        table = dataclasses.asdict(carrier)
        table["truck"]["volume_m3"] *= scale
        table["truck"]["parcel_cap"] = max(1, round(table["truck"]["parcel_cap"] * scale))
        table["pickup_others_m3"] *= scale
        tables.append(merge(table, changes))
    return tables


def run_params(params: Mapping[str, Any], replication: int = 0, events: bool = False, **settings: Any) -> RunResult:
    return run(scenario(params, **settings), replication, events=events)


def milestone_times(result: RunResult, name: str) -> dict[int, float]:
    """entity id -> first time of milestone `name` in the run's log."""
    assert result.events is not None
    ids, times = result.events.times_of(name)
    first: dict[int, float] = {}
    for entity, time in zip(ids.tolist(), times.tolist()):
        first.setdefault(entity, time)
    return first


def binomial_bound(p: float, n: int, sigmas: float = 4.0) -> float:
    """`sigmas` standard deviations of a share estimated from `n` Bernoulli(p) trials."""
    return sigmas * float(np.sqrt(p * (1 - p) / n))
