"""Shared helpers of the mail model tests: scenarios from tables, event-log access."""

from __future__ import annotations

import collections
import copy
from typing import Any

from scenarios.loader import Scenario, scenario_from_mapping
from sim.run import RunResult, run

AMPLE = 1_000_000
ROUND_THE_CLOCK = [{"start": "00:00", "end": "24:00", "servers": AMPLE}]


def scenario(params: dict[str, Any], days: float = 7.0, warmup_days: float = 0.0, seed: int = 1,
             start: str = "2024-03-04T00:00") -> Scenario:
    """A mail scenario (validated by the loader) starting on a Monday by default."""
    return scenario_from_mapping({
        "model": "mail", "name": "test", "description": "test",
        "run": {"horizon": days * 24.0, "warmup": warmup_days * 24.0, "replications": 1, "seed": seed,
                "start": start},
        "params": copy.deepcopy(params),
    }, source="<test>")


def deterministic(value: float) -> dict[str, Any]:
    return {"dist": "deterministic", "value": value}


def ample_no_holds(**overrides: Any) -> dict[str, Any]:
    """Every resource ample and on duty around the clock, every handling time
    deterministic, nothing held: an item's times are its handling plus timetable waits."""
    params: dict[str, Any] = {
        "volume": {"annual_items": 150_000.0},
        "inbound": {"opening_min": deterministic(3.0), "scan_s": 4.0, "postal_staff": ROUND_THE_CLOCK,
                    "xray_lines": AMPLE, "xray_rate_per_h": 1800.0, "rehandling_h": deterministic(0.5)},
        "customs": {"officers": ROUND_THE_CLOCK, "ead_coverage": 1.0, "inspection_rate": 0.0,
                    "documents_rate": 0.0,
                    "judgement": {"image_s": deterministic(9.0), "anomaly_share": 0.0, "false_positive_rate": 0.0}},
        "duty": {"dutiable_share": 0.0},
        "dispatch": {"times": ["06:00", "15:30"], "cutoff_h": 0.5},
        "outbound": {"acceptance_s": deterministic(18.0), "acceptance_staff": ROUND_THE_CLOCK, "xray_lines": AMPLE,
                     "xray_rate_per_h": 1800.0, "hold_rate": 0.0,
                     "routes": [
                         {"name": "air", "mode": "air", "share": 0.6, "times": ["10:00"], "cutoff_h": 2.0,
                          "receptacle_items": 5},
                         {"name": "sea", "mode": "sea", "share": 0.4, "times": ["18:00"], "days": ["wednesday"],
                          "cutoff_h": 24.0, "receptacle_items": 1000},
                     ]},
    }
    for section, values in overrides.items():
        params.setdefault(section, {}).update(values)
    return params


def events_by_item(result: RunResult) -> dict[int, dict[str, tuple[float, int]]]:
    """entity id -> {milestone: (time, resource)} from a run's milestone log."""
    table = result.events
    assert table is not None
    items: dict[int, dict[str, tuple[float, int]]] = collections.defaultdict(dict)
    for entity, code, time, resource in zip(table.entity.tolist(), table.milestone.tolist(), table.time.tolist(),
                                            table.resource.tolist()):
        items[entity][table.names[code]] = (time, resource)
    return items


def run_with_events(params: dict[str, Any], **settings: Any) -> RunResult:
    return run(scenario(params, **settings), 0, events=True)
