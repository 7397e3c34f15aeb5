"""The result store: one file per finished run, so an interrupted study resumes.

A run is identified by `RunKey` (scenario name, replication, root seed, scenario
fingerprint); it is stored as ``runs/<name>-<fingerprint>-s<seed>-r<replication>.json``
under the store folder, written to a temporary file and moved into place with
`os.replace`, so a file that exists is complete. A run stored under another seed or
fingerprint (an edited scenario) is never mistaken for this one. The milestone log of a
run is kept, on request, beside it as ``.events.parquet``.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from sim.frozen import FrozenMapping
from sim.log import EventTable
from sim.run import RunResult

FORMAT = 1


@dataclass(frozen=True, order=True)
class RunKey:
    scenario: str
    replication: int
    seed: int
    fingerprint: str

    @property
    def stem(self) -> str:
        safe = re.sub(r"[^A-Za-z0-9_.-]", "_", self.scenario)[:80]
        return f"{safe}-{self.fingerprint}-s{self.seed}-r{self.replication:05d}"


class ResultStore:
    """Finished runs in `folder` (created on the first write)."""

    def __init__(self, folder: Path | str) -> None:
        self.folder = Path(folder)
        self.runs = self.folder / "runs"

    def path(self, key: RunKey) -> Path:
        return self.runs / f"{key.stem}.json"

    def events_path(self, key: RunKey) -> Path:
        return self.runs / f"{key.stem}.events.parquet"

    def has(self, key: RunKey, events: bool = False) -> bool:
        """Whether run `key` is stored (with its milestone log, when `events`)."""
        if not self.path(key).is_file():
            return False
        return not events or self.events_path(key).is_file()

    def put(self, result: RunResult, fingerprint: str) -> RunKey:
        """Store a finished run (and its milestone log when the result carries one)."""
        key = RunKey(result.scenario, result.replication, result.seed, fingerprint)
        self.runs.mkdir(parents=True, exist_ok=True)
        if result.events is not None:
            table = events_table(result.events)
            write_atomically(self.events_path(key), lambda path: pq.write_table(table, path))
        record = {
            "format": FORMAT,
            "scenario": result.scenario,
            "replication": result.replication,
            "seed": result.seed,
            "fingerprint": fingerprint,
            "metrics": dict(result.metrics),
            "created": result.created,
            "finished": result.finished,
            "in_system": result.in_system,
            "dropped": dict(result.dropped),
            "wall_seconds": result.wall_seconds,
        }
        text = json.dumps(record, indent=1)  # floats round-trip exactly through repr
        write_atomically(self.path(key), lambda path: Path(path).write_text(text, encoding="utf-8"))
        return key

    def load(self, key: RunKey) -> RunResult:
        """The stored run `key` (without its milestone log; see `load_events`)."""
        record = json.loads(self.path(key).read_text(encoding="utf-8"))
        found = RunKey(record["scenario"], record["replication"], record["seed"], record["fingerprint"])
        if found != key:
            raise ValueError(f"{self.path(key)} holds run {found}, not {key}")
        return RunResult(
            scenario=record["scenario"],
            replication=record["replication"],
            seed=record["seed"],
            metrics=FrozenMapping(record["metrics"]),
            created=record["created"],
            finished=record["finished"],
            in_system=record["in_system"],
            dropped=FrozenMapping(record["dropped"]),
            wall_seconds=record["wall_seconds"],
        )

    def load_events(self, key: RunKey) -> pa.Table:
        """The milestone log of run `key` (columns entity, milestone, time, resource)."""
        return pq.read_table(self.events_path(key))


def events_table(events: EventTable) -> pa.Table:
    """A milestone log as an Arrow table; milestone names dictionary-encoded."""
    names = pa.array(list(events.names), type=pa.string())
    milestone = pa.DictionaryArray.from_arrays(pa.array(events.milestone.astype(np.int32)), names)
    return pa.table({
        "entity": pa.array(events.entity),
        "milestone": milestone,
        "time": pa.array(events.time),
        "resource": pa.array(events.resource),
    })


def write_atomically(path: Path, write: Callable[[str], object]) -> None:
    """Write through `write(temporary path)` and move into place: all or nothing."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(handle)
    try:
        write(temporary)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
