"""From validated scenarios to an output folder: run, store, tabulate.

The command line validates every input first, then calls `execute`, which runs the
study (reusing stored runs), and writes ``runs.parquet``, ``summary.csv``,
``comparisons.csv`` (when there are pairs) and ``events.parquet`` (on request) beside
the ``manifest.json`` and ``runs/`` folder the study runner keeps.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
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
from sim.executors import Executor, LocalExecutor, opened
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
    events: bool | Mapping[str, float] = False,
    info: Mapping[str, Any] | None = None,
    executor: Executor | None = None,
) -> Outputs:
    """Run `scenarios` x `replications` with root seed `seed` into folder `out`, on
    `executor` (default: a local process pool of `workers`), which is open only while
    the runs are computed. `events`: keep every run's milestone log (True), or those of
    the scenarios named in a mapping, each for a share of its entities."""
    store = ResultStore(out)
    with opened(executor or LocalExecutor(workers)) as running:
        outcome = run_study(scenarios, replications, seed, store, running,
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
        def wanted(name: str) -> bool:
            return bool(events) if isinstance(events, bool) else events.get(name, 0.0) > 0

        write_atomically(out / "events.parquet", lambda path: _write_events(store, outcome, path, wanted))
        files.append("events.parquet")
    files.append("manifest.json")
    return Outputs(out, outcome, runs, summary, comparisons, tuple(files))


def _write_events(store: ResultStore, outcome: StudyOutcome, path: str, wanted: Callable[[str], bool]) -> None:
    """The milestone logs of the `wanted` scenarios' runs in one file, with scenario and
    replication columns, one row group per run (so a reader can pick one scenario)."""
    writer: pq.ParquetWriter | None = None
    try:
        for key in outcome.keys:
            if not wanted(key.scenario):
                continue
            table = store.load_events(key)
            table = table.set_column(1, "milestone", table.column("milestone").cast(pa.string()))
            rows = table.num_rows
            table = table.add_column(0, "replication", pa.array([key.replication] * rows, type=pa.int32()))
            table = table.add_column(0, "scenario", pa.array([key.scenario] * rows, type=pa.string()).dictionary_encode())
            if writer is None:
                writer = pq.ParquetWriter(path, table.schema)
            writer.write_table(table.cast(writer.schema))
        if writer is None:  # no run kept a log: an empty file of the same layout
            pq.write_table(pa.table({"scenario": pa.array([], pa.string()), "replication": pa.array([], pa.int32()),
                                     "entity": pa.array([], pa.int64()), "milestone": pa.array([], pa.string()),
                                     "time": pa.array([], pa.float64()), "resource": pa.array([], pa.int32())}), path)
    finally:
        if writer is not None:
            writer.close()
