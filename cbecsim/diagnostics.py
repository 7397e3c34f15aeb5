"""Run-length decisions before a study: replication sizing and warm-up analysis.

Both run replications of one scenario (they sit above the kernel and the analysis, like
the rest of the command line) and hand the values to `analysis`:

* `size` runs Law's sequential procedure (`analysis.sizing.sequential`): replications are
  added until every chosen KPI's 95% interval is within the target relative half-width.
  Replications are computed `workers` at a time; the procedure still looks at them one by
  one in order, so the answer does not depend on the number of workers.
* `warmup_series` runs replications with the kernel's periodic level sampler
  (`sim.sampler`) and returns, per monitor, replications × samples, for Welch's plot and
  MSER-5 (`analysis.warmup.suggest_warmup`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from analysis.sizing import SequentialResult, sequential
from scenarios.loader import Scenario
from sim.executors import LocalExecutor
from sim.run import RunResult, run
from sim.store import RunKey
from sim.study import Failure, Job, StudyFailed, execute


class _Prefetch:
    """`next_replication(index)` for the sequential procedure, computing replications in
    parallel batches ahead of the procedure."""

    def __init__(self, scenario: Scenario, seed: int, executor: LocalExecutor, first_batch: int) -> None:
        self.scenario = scenario
        self.seed = seed
        self.executor = executor
        self.batch = first_batch
        self.ready: dict[int, RunResult] = {}
        self.made = 0

    def __call__(self, index: int) -> Mapping[str, float]:
        if index not in self.ready:
            jobs = [Job(self.scenario, r, self.seed, False) for r in range(index, index + self.batch)]
            for job, result in self.executor.imap_unordered(execute, jobs):
                if isinstance(result, Failure):
                    key = RunKey(self.scenario.name, job.replication, self.seed, str(self.scenario.fingerprint))
                    raise StudyFailed(key, result.error, result.details)
                self.ready[job.replication] = result
                self.made += 1
            self.batch = self.executor.workers
        return self.ready.pop(index).metrics


def size(scenario: Scenario, targets: Mapping[str, float], seed: int, initial: int = 10, limit: int = 200,
         workers: int | None = None) -> tuple[SequentialResult, int]:
    """Law's sequential procedure on `scenario` for relative half-width `targets`
    {metric: γ}; returns the result and the number of replications computed (which may
    exceed those the procedure used by less than one batch)."""
    executor = LocalExecutor(workers)
    fetch = _Prefetch(scenario, seed, executor, max(initial, 1))
    result = sequential(fetch, targets, initial=initial, limit=limit)
    return result, fetch.made


@dataclass(frozen=True)
class SampleJob:
    scenario: Scenario
    replication: int
    seed: int
    every: float


def sampled_run(job: SampleJob) -> dict[str, np.ndarray]:
    """One replication's sampled monitor levels (module-level: sent to worker processes)."""
    result = run(job.scenario, job.replication, seed=job.seed, sample_every=job.every)
    assert result.series is not None
    return dict(result.series)


def warmup_series(scenario: Scenario, replications: int, seed: int, every: float,
                  workers: int | None = None) -> dict[str, np.ndarray]:
    """Monitor name -> replications × samples of its level every `every` hours from t = 0."""
    jobs = [SampleJob(scenario, r, seed, every) for r in range(replications)]
    by_replication = {job.replication: series for job, series in LocalExecutor(workers).imap_unordered(
        sampled_run, jobs)}
    names = list(by_replication[0])
    length = min(len(series[name]) for series in by_replication.values() for name in names)
    return {name: np.vstack([by_replication[r][name][:length] for r in range(replications)]) for name in names}
