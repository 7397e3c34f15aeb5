"""The study runner: scenarios x replications over an executor, into a result store.

`run_study` skips runs already stored (so an interrupted study resumes), stores each run
as it finishes, shows a progress bar on stderr, and writes ``manifest.json`` beside the
runs at the start (status "running") and at the end ("complete", "failed" or
"interrupted"), so every study leaves a manifest, even a failed one. Results come back
sorted by (scenario order, replication), whatever the number of workers.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import platform
import subprocess
import sys
import time
import traceback
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
from tqdm import tqdm

from sim.executors import Executor
from sim.log import EventTable
from sim.run import RunResult, ScenarioLike, run
from sim.store import ResultStore, RunKey, write_atomically

PACKAGES = ("cbecsim", "simpy", "numpy", "pandas", "scipy", "pyarrow", "tqdm")


class StudyFailed(RuntimeError):
    """A run of the study raised; `key` names the run, `error` the exception text."""

    def __init__(self, key: RunKey, error: str, details: str) -> None:
        super().__init__(f"run {key.scenario} replication {key.replication} (seed {key.seed}) failed: {error}")
        self.key = key
        self.error = error
        self.details = details


@dataclass(frozen=True)
class Job:
    """One run to compute: picklable, sent to a worker."""

    scenario: ScenarioLike
    replication: int
    seed: int
    events: bool
    #: share of entities whose milestone log is kept (sampled by entity id; 1: all)
    event_share: float = 1.0


@dataclass(frozen=True)
class Failure:
    """A run that raised, carried back as text (exceptions need not be picklable)."""

    error: str
    details: str


@dataclass(frozen=True)
class StudyOutcome:
    results: tuple[RunResult, ...]  # sorted by scenario order, then replication
    keys: tuple[RunKey, ...]  # same order
    ran: int
    reused: int
    wall_seconds: float
    manifest: Path
    info: Mapping[str, Any] = field(default_factory=dict)


def execute(job: Job) -> RunResult | Failure:
    """Run one job; an exception becomes a `Failure` so it always reaches the runner."""
    try:
        result = run(job.scenario, job.replication, seed=job.seed, events=job.events)
        if result.events is not None and job.event_share < 1:
            result = dataclasses.replace(result, events=sample_entities(result.events, job.event_share))
        return result
    except Exception as error:  # noqa: BLE001 - any failure is reported in the manifest and by the caller
        return Failure(f"{type(error).__name__}: {error}", traceback.format_exc())


def run_study(
    scenarios: Sequence[ScenarioLike],
    replications: int,
    seed: int,
    store: ResultStore,
    executor: Executor,
    progress: bool = True,
    events: bool | Mapping[str, float] = False,
    info: Mapping[str, Any] | None = None,
) -> StudyOutcome:
    """Run replications 0..`replications`-1 of every scenario with root seed `seed` (the
    same for all: common random numbers). Scenarios need a `fingerprint` attribute
    (inputs hash) for the store; `info` is added to the manifest (e.g. the command).
    `events` keeps the milestone log of every run (True), or of the scenarios named in a
    mapping, each for the given share of its entities (`sample_entities`)."""
    began = time.perf_counter()
    names = [s.name for s in scenarios]
    if len(set(names)) != len(names):
        raise ValueError(f"scenario names must be unique, got {names}")
    order = {name: i for i, name in enumerate(names)}
    keys = [RunKey(s.name, r, seed, _fingerprint(s)) for s in scenarios for r in range(replications)]
    by_name = {s.name: s for s in scenarios}
    shares = {s.name: (1.0 if events else 0.0) if isinstance(events, bool) else float(events.get(s.name, 0.0))
              for s in scenarios}
    todo = [key for key in keys if not store.has(key, shares[key.scenario] > 0)]
    manifest = _Manifest(store.folder / "manifest.json", scenarios, replications, seed, executor, events, info)
    manifest.write("running", len(keys), len(keys) - len(todo))
    timings: dict[RunKey, float] = {}
    jobs = [Job(by_name[k.scenario], k.replication, k.seed, shares[k.scenario] > 0, shares[k.scenario] or 1.0)
            for k in todo]
    bar = tqdm(total=len(keys), initial=len(keys) - len(todo), desc="runs", unit="run",
               file=sys.stderr, disable=not progress, dynamic_ncols=True)
    results = executor.imap_unordered(execute, jobs)
    try:
        for job, result in results:
            key = RunKey(job.scenario.name, job.replication, job.seed, _fingerprint(job.scenario))
            if isinstance(result, Failure):
                failure = StudyFailed(key, result.error, result.details)
                manifest.write("failed", len(keys), len(keys) - len(todo), timings, failure, time.perf_counter() - began)
                raise failure
            store.put(result, key.fingerprint)
            timings[key] = result.wall_seconds
            bar.update(1)
    except StudyFailed:
        raise
    except BaseException:  # Ctrl-C, a lost cluster, a full disk: the runs stored so far are kept
        manifest.write("interrupted", len(keys), len(keys) - len(todo), timings, None, time.perf_counter() - began)
        raise
    finally:
        close = getattr(results, "close", None)
        if close is not None:
            close()
        bar.close()
    keys.sort(key=lambda k: (order[k.scenario], k.replication))
    loaded = tuple(store.load(key) for key in keys)
    wall = time.perf_counter() - began
    manifest.write("complete", len(keys), len(keys) - len(todo), timings, None, wall)
    return StudyOutcome(loaded, tuple(keys), len(todo), len(keys) - len(todo), wall, manifest.path, dict(info or {}))


def sample_entities(events: EventTable, share: float) -> EventTable:
    """The rows of the entities whose id hashes below `share` (Fibonacci hashing of the id):
    a fixed, policy-independent subset, so a sampled log keeps the same entities in every
    scenario of a study and per-entity statistics stay unbiased."""
    hashed = (events.entity.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)) >> np.uint64(40)
    keep = hashed < np.uint64(int(share * 2**24))
    return EventTable(events.entity[keep], events.milestone[keep], events.time[keep], events.resource[keep],
                      events.names)


def _fingerprint(scenario: ScenarioLike) -> str:
    return str(scenario.fingerprint)  # type: ignore[attr-defined]


class _Manifest:
    """manifest.json: what was run, with what, by which software, and how it ended."""

    def __init__(self, path: Path, scenarios: Sequence[ScenarioLike], replications: int, seed: int,
                 executor: Executor, events: bool, info: Mapping[str, Any] | None) -> None:
        self.path = path
        self.started = dt.datetime.now().astimezone().isoformat(timespec="seconds")
        self.base: dict[str, Any] = {
            **(info or {}),
            "replications": replications,
            "seed": seed,
            "events": events,
            "workers": executor.workers,
            "scenarios": [_describe(s) for s in scenarios],
            "software": software(),
        }

    def write(self, status: str, total: int, reused: int, timings: Mapping[RunKey, float] | None = None,
              failure: StudyFailed | None = None, wall_seconds: float | None = None) -> None:
        document = {
            "status": status,
            "started": self.started,
            "updated": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
            "wall_seconds": wall_seconds,
            "runs": {"total": total, "reused": reused, "ran": len(timings or {})},
            **self.base,
            "run_seconds": [
                {"scenario": k.scenario, "replication": k.replication, "seed": k.seed, "wall_seconds": round(v, 4)}
                for k, v in sorted((timings or {}).items())
            ],
        }
        if failure is not None:
            document["error"] = {
                "scenario": failure.key.scenario,
                "replication": failure.key.replication,
                "seed": failure.key.seed,
                "message": failure.error,
                "traceback": failure.details,
            }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(document, indent=2, default=_json_default)
        write_atomically(self.path, lambda p: Path(p).write_text(text, encoding="utf-8"))


def _describe(scenario: ScenarioLike) -> dict[str, Any]:
    return {
        "name": scenario.name,
        "model": getattr(scenario, "model", scenario.model_module),
        "path": getattr(scenario, "path", None),
        "files": list(getattr(scenario, "files", ())),
        "fingerprint": _fingerprint(scenario),
        "resolved": getattr(scenario, "resolved", None),
    }


def software() -> dict[str, Any]:
    """Python, package versions and the git revision of the source tree, when there is one."""
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return {"python": platform.python_version(), "platform": platform.platform(), "packages": versions, **_git()}


def _git() -> dict[str, Any]:
    source = Path(__file__).resolve().parent.parent
    if not (source / "pyproject.toml").is_file():  # an installed copy: no source tree
        return {"git_revision": None}
    try:
        top = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=source, capture_output=True, text=True,
                             timeout=10, check=False)
        if top.returncode != 0 or Path(top.stdout.strip()).resolve() != source:
            return {"git_revision": None}
        revision = subprocess.run(["git", "rev-parse", "HEAD"], cwd=source, capture_output=True, text=True,
                                  timeout=10, check=False)
        status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=source,
                                capture_output=True, text=True, timeout=10, check=False)
        return {"git_revision": revision.stdout.strip(), "git_dirty": bool(status.stdout.strip())}
    except (OSError, subprocess.SubprocessError):
        return {"git_revision": None}


def _json_default(value: Any) -> Any:
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    return str(value)
