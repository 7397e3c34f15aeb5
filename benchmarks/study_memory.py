"""Peak memory of a large study: it must not grow with the number of runs.

Runs the queue-network `example` scenario (two stations with feedback, 9 arrivals an
hour; horizon shortened to 500 h so that a run takes a few hundredths of a second) as a
study of 100 and of 1,000 replications, without and with the milestone log, through the
same path as `cbecsim run` (study runner, result store, runs.parquet, summary.csv,
events.parquet). Each study runs in a fresh process, which reports the peak resident
memory (`getrusage` maxrss) of itself (the parent: study runner and aggregation) and of
its pool workers, and the memory it held after importing everything (the floor).

If every run's milestone log were held at once, the 1,000-run study with events would
need `events_rows x 22 bytes` more than the 100-run one; the printed growth shows what it
actually needs. The last lines are `key=value`: peak megabytes of the parent and of a
worker for 1,000 runs without and with events, and the parent's growth from 100 to 1,000
runs with events.

Usage: python benchmarks/study_memory.py [--runs 1000] [--workers 2] [--horizon 500]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BYTES_PER_LOG_ROW = 22  # entity int64 + milestone uint16 + time float64 + resource int32


def measure(runs: int, events: bool, workers: int, horizon: float) -> dict[str, float]:
    """One study in this process; returns peak memory figures (MB) and counts."""
    from cbecsim.workflow import execute
    from scenarios.catalog import find
    from scenarios.loader import load_scenario

    scenario = load_scenario(find("queue_network/example"), [f"run.horizon={horizon}", f"run.warmup={horizon / 10}"])
    floor = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with tempfile.TemporaryDirectory() as folder:
        began = time.perf_counter()
        outputs = execute([scenario], runs, 1, Path(folder) / "study", workers=workers, progress=False, events=events)
        seconds = time.perf_counter() - began
        rows = 0
        if events:
            import pyarrow.parquet as pq

            rows = pq.ParquetFile(Path(folder) / "study" / "events.parquet").metadata.num_rows
        stored = sum(p.stat().st_size for p in (Path(folder) / "study").rglob("*") if p.is_file())
    return {
        "runs": len(outputs.outcome.keys),
        "events": events,
        "seconds": seconds,
        "floor_mb": floor,
        "parent_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "worker_peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "events_rows": rows,
        "stored_mb": stored / 2**20,
    }


def in_fresh_process(runs: int, events: bool, workers: int, horizon: float) -> dict[str, float]:
    command = [sys.executable, __file__, "--one", "--runs", str(runs), "--workers", str(workers),
               "--horizon", str(horizon), *(["--events"] if events else [])]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--horizon", type=float, default=500.0)
    parser.add_argument("--events", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)  # a single measurement, as JSON
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.runs, args.events, args.workers, args.horizon)))
        return

    small = max(1, args.runs // 10)
    print(f"queue_network/example, horizon {args.horizon:g} h, {args.workers} worker processes")
    print(f"{'runs':>6} {'events':>6} {'seconds':>8} {'floor MB':>9} {'parent peak MB':>15} {'worker peak MB':>15} "
          f"{'log rows':>11} {'stored MB':>10}")
    found = {}
    for events in (False, True):
        for runs in (small, args.runs):
            figures = found[runs, events] = in_fresh_process(runs, events, args.workers, args.horizon)
            print(f"{runs:>6} {'yes' if events else 'no':>6} {figures['seconds']:>8.1f} {figures['floor_mb']:>9.0f} "
                  f"{figures['parent_peak_mb']:>15.0f} {figures['worker_peak_mb']:>15.0f} "
                  f"{figures['events_rows']:>11,} {figures['stored_mb']:>10.1f}")
    big, little = found[args.runs, True], found[small, True]
    held = (big["events_rows"] - little["events_rows"]) * BYTES_PER_LOG_ROW / 2**20
    growth = big["parent_peak_mb"] - little["parent_peak_mb"]
    print(f"milestone logs of the extra {args.runs - small} runs: {held:.0f} MB if held at once; "
          f"the parent grew {growth:.0f} MB")
    print(f"runs={args.runs}")
    print(f"peak_mb_parent={found[args.runs, False]['parent_peak_mb']:.0f}")
    print(f"peak_mb_worker={found[args.runs, False]['worker_peak_mb']:.0f}")
    print(f"peak_mb_parent_events={big['parent_peak_mb']:.0f}")
    print(f"peak_mb_worker_events={big['worker_peak_mb']:.0f}")
    print(f"growth_mb_parent_events={growth:.0f}")
    print(f"log_mb_if_held={held:.0f}")


if __name__ == "__main__":
    main()
