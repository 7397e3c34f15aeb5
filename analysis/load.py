"""Stored runs -> the long table every analysis starts from.

One row per (scenario, replication, metric) with its value: the content of
``runs.parquet``. Rows are sorted (scenario in the given order, replication, metric), so
the table is the same however the runs were scheduled.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

import pandas as pd

COLUMNS = ["scenario", "replication", "metric", "value"]


class RunRecord(Protocol):
    scenario: str
    replication: int
    metrics: Mapping[str, float]


def runs_table(runs: Iterable[RunRecord], order: Sequence[str] | None = None) -> pd.DataFrame:
    """The long table of `runs`; `order` fixes the scenario order (default: alphabetical)."""
    rows: list[tuple[Any, ...]] = [
        (run.scenario, int(run.replication), metric, float(value))
        for run in runs
        for metric, value in run.metrics.items()
    ]
    table = pd.DataFrame(rows, columns=COLUMNS)
    scenarios = list(order) if order is not None else sorted(set(table["scenario"]))
    rank = {name: i for i, name in enumerate(scenarios)}
    unknown = set(table["scenario"]) - set(rank)
    if unknown:
        raise ValueError(f"runs of scenarios not in the given order: {sorted(unknown)}")
    table["_rank"] = table["scenario"].map(rank)
    table = table.sort_values(["_rank", "replication", "metric"], kind="stable").drop(columns="_rank")
    return table.reset_index(drop=True).astype({"replication": "int64", "value": "float64"})


def write_runs(table: pd.DataFrame, folder: Path | str) -> Path:
    """Write ``runs.parquet`` in `folder`."""
    path = Path(folder) / "runs.parquet"
    table.to_parquet(path, index=False)
    return path


def read_runs(folder: Path | str) -> pd.DataFrame:
    """Read ``runs.parquet`` from a run or study folder."""
    return pd.read_parquet(Path(folder) / "runs.parquet")
