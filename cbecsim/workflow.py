"""From validated scenarios to an output folder: run, store, tabulate.

The command line validates every input first, then calls `execute`, which runs the
study (reusing stored runs), and writes ``runs.parquet``, ``summary.csv``,
``comparisons.csv`` (when there are pairs) and ``events.parquet`` (on request) beside
the ``manifest.json`` and ``runs/`` folder the study runner keeps.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from analysis.compare import compare
from analysis.load import runs_table
from analysis.summarize import summarize
from scenarios.loader import Scenario
from sim.executors import LocalExecutor
from sim.store import ResultStore, write_atomically
from sim.study import StudyOutcome, run_study


@dataclass(frozen=True)
class Outputs:
    folder: Path
    outcome: StudyOutcome
    runs: pd.DataFrame
    summary: pd.DataFrame
    comparisons: pd.DataFrame | None
    files: tuple[str, ...]


def execute(
    scenarios: Sequence[Scenario],
    replications: int,
    seed: int,
    out: Path,
    pairs: Sequence[tuple[str, str]] = (),
    workers: int | None = None,
    progress: bool = True,
    events: bool = False,
    info: Mapping[str, Any] | None = None,
) -> Outputs:
    """Run `scenarios` x `replications` with root seed `seed` into folder `out`."""
    store = ResultStore(out)
    outcome = run_study(scenarios, replications, seed, store, LocalExecutor(workers),
                        progress=progress, events=events, info=info)
    runs = runs_table(outcome.results, order=[s.name for s in scenarios])
    summary = summarize(runs)
    files = ["summary.csv", "runs.parquet"]
    write_atomically(out / "runs.parquet", lambda path: runs.to_parquet(path, index=False))
    write_atomically(out / "summary.csv", lambda path: summary.to_csv(path, index=False))
    comparisons = None
    if pairs:
        comparisons = compare(runs, pairs)
        write_atomically(out / "comparisons.csv", lambda path: comparisons.to_csv(path, index=False))
        files.append("comparisons.csv")
    if events:
        write_atomically(out / "events.parquet", lambda path: _write_events(store, outcome, path))
        files.append("events.parquet")
    files.append("manifest.json")
    return Outputs(out, outcome, runs, summary, comparisons, tuple(files))


def _write_events(store: ResultStore, outcome: StudyOutcome, path: str) -> None:
    """Every run's milestone log in one file, with scenario and replication columns."""
    writer: pq.ParquetWriter | None = None
    try:
        for key in outcome.keys:
            table = store.load_events(key)
            table = table.set_column(1, "milestone", table.column("milestone").cast(pa.string()))
            rows = table.num_rows
            table = table.add_column(0, "replication", pa.array([key.replication] * rows, type=pa.int32()))
            table = table.add_column(0, "scenario", pa.array([key.scenario] * rows, type=pa.string()).dictionary_encode())
            if writer is None:
                writer = pq.ParquetWriter(path, table.schema)
            writer.write_table(table.cast(writer.schema))
    finally:
        if writer is not None:
            writer.close()
