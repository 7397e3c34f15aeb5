"""Speed-up of a study on 2 worker processes against 1 (goal: >= 1.8 on 2 cores).

Runs `cbecsim study` (the built-in default study unless a study file is given) twice into
fresh folders, with `--workers 1` (every run in the one process) and `--workers 2` (a pool
of two processes), and reads the study runner's wall time from each `manifest.json`: the
time to compute and store every run, without start-up and report writing. The results of
the two studies must be identical (`runs.parquet`); the script fails otherwise.

On a machine shared with other work the measured speed-up says more about the load than
about cbecsim, so the script also prints `ideal_speedup`: the speed-up the pool would reach
on idle cores, from the 1-worker run times, handing runs out in the study's order to
whichever worker is free first (the pool's rule). The load average is printed too.

Last lines: `runs=`, `seconds_1_worker=`, `seconds_2_workers=`, `speedup=`, `ideal_speedup=`.

Usage: python benchmarks/study_speedup.py [STUDY_FILE] [--reps N] [--workers 2]
"""

from __future__ import annotations

import argparse
import heapq
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def ideal_speedup(manifest: dict, workers: int) -> float:
    """Total run time over the makespan of handing the runs, in the study's order (scenario
    by scenario, replications in order), to whichever of `workers` is free first."""
    seconds = {(r["scenario"], r["replication"]): r["wall_seconds"] for r in manifest["run_seconds"]}
    runs = [seconds[name, replication] for name in [s["name"] for s in manifest["scenarios"]]
            for replication in range(manifest["replications"]) if (name, replication) in seconds]
    free = [0.0] * workers
    for run in runs:
        heapq.heappush(free, heapq.heappop(free) + run)
    return sum(runs) / max(free)


def study(folder: Path, workers: int, study_file: str | None, reps: int | None) -> tuple[float, float, int]:
    """(study runner seconds, command seconds, runs) of one `cbecsim study`."""
    command = [sys.executable, "-m", "cbecsim", "study", *([study_file] if study_file else []),
               "--workers", str(workers), "--out", str(folder), "--quiet", *(["--reps", str(reps)] if reps else [])]
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    began = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - began
    if done.returncode != 0:
        sys.exit(f"cbecsim study --workers {workers} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    return float(manifest["wall_seconds"]), elapsed, int(manifest["runs"]["total"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("study", nargs="?", help="study file (default: the built-in default study)")
    parser.add_argument("--reps", type=int, help="replications (default: the study file's)")
    parser.add_argument("--workers", type=int, default=2, help="workers of the parallel study")
    args = parser.parse_args()
    import pandas as pd

    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as scratch:
        one, parallel = Path(scratch) / "one", Path(scratch) / "parallel"
        seconds_one, command_one, runs = study(one, 1, args.study, args.reps)
        print(f"1 worker:  {seconds_one:7.1f} s for {runs} runs (command {command_one:.1f} s)")
        seconds_parallel, command_parallel, _ = study(parallel, args.workers, args.study, args.reps)
        print(f"{args.workers} workers: {seconds_parallel:7.1f} s (command {command_parallel:.1f} s)")
        ideal = ideal_speedup(json.loads((one / "manifest.json").read_text(encoding="utf-8")), args.workers)
        same = pd.read_parquet(one / "runs.parquet").equals(pd.read_parquet(parallel / "runs.parquet"))
        if not same:
            sys.exit("the studies on 1 and on several workers differ: results must not depend on the workers")
    print("results identical on 1 and on several workers")
    print(f"load average {load:.2f} before, {os.getloadavg()[0]:.2f} after, on {os.cpu_count()} cores")
    print(f"runs={runs}")
    print(f"seconds_1_worker={seconds_one:.2f}")
    print(f"seconds_{args.workers}_workers={seconds_parallel:.2f}")
    print(f"speedup={seconds_one / seconds_parallel:.2f}")
    print(f"ideal_speedup={ideal:.2f}")


if __name__ == "__main__":
    main()
