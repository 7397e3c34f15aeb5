"""Speed of the returns model: one year of Tianjin import returns per replication.

The baseline import scenario (`scenarios/returns/baseline.toml`: 55,000 released orders a
day, 3% returned, every return to the Tianjin bonded zone) run for a 365-day window after
its 14-day warm-up: about 620,000 returns enter, each through application, hand-over and
the carrier's round, transit, sorting at the out-of-zone warehouse, the weekly re-entry
truck (declaration, gate), the 45-day check, receipt, manual review (lead time +
officer), inspection, refund and re-shelving or disposal. Goal: under 10 seconds per
replication.

Prints wall and CPU seconds (on a shared machine the CPU time is what the run would take
alone), returns, simulation events (SimPy schedule calls) and events per
second, for the run without the milestone log (as in a study) and, with ``--log``, with
it. ``--mode cross_district`` times the pilot instead.

Usage: python benchmarks/returns.py [--days 365] [--replication 0] [--log] [--mode original_district]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from models import returns
from scenarios.loader import load_scenario
from sim.context import Context
from sim.streams import Streams

SCENARIO = Path(__file__).resolve().parents[1] / "scenarios" / "returns" / "baseline.toml"


def run_once(days: float, replication: int, log: bool, mode: str) -> dict[str, float]:
    scenario = load_scenario(SCENARIO, [("run.horizon", 14 * 24.0 + days * 24.0), ("params.imports.mode", mode)])
    settings = scenario.settings
    began, cpu_began = time.perf_counter(), time.process_time()
    context = Context(Streams(settings.seed, replication), horizon=settings.horizon, warmup=settings.warmup,
                      calendar=settings.calendar(), log=log)
    built = returns.SPEC.build(context, scenario.params)
    context.run()
    context.check_conservation()
    metrics = returns.SPEC.metrics(context, scenario.params, built)
    seconds = time.perf_counter() - began
    cpu_seconds = time.process_time() - cpu_began
    events = next(context.env._eid)  # every event SimPy scheduled (one counter per environment)
    return {"seconds": seconds, "cpu_seconds": cpu_seconds, "returns": float(context.created),
            "window_returns": metrics["import.returns_applied"],
            "events": float(events), "log_rows": float(len(context.log)) if context.log is not None else 0.0,
            "cycle_mean_d": metrics["import.cycle.request_to_refund.mean_d"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--days", type=float, default=365.0, help="days in the observation window")
    parser.add_argument("--replication", type=int, default=0)
    parser.add_argument("--log", action="store_true", help="also time a run with the milestone log")
    parser.add_argument("--mode", default="original_district", choices=("original_district", "cross_district"))
    args = parser.parse_args()
    print(f"returns model, {args.mode}: {args.days:g}-day window after a 14-day warm-up, "
          f"replication {args.replication}")
    for log in (False, True) if args.log else (False,):
        result = run_once(args.days, args.replication, log, args.mode)
        rate = result["events"] / result["seconds"]
        per_return = result["seconds"] / result["returns"] * 1e6
        print(f"  log {'on ' if log else 'off'}: {result['seconds']:.2f} s wall ({result['cpu_seconds']:.2f} s CPU), "
              f"{result['returns']:,.0f} returns "
              f"({result['window_returns']:,.0f} in the window), {result['events']:,.0f} events, "
              f"{rate:,.0f} events/s, {per_return:.1f} us/return, {result['log_rows']:,.0f} log rows, "
              f"mean request-to-refund {result['cycle_mean_d']:.2f} d")
    print(f"seconds={result['seconds']:.2f} events_per_second={rate:.0f}")


if __name__ == "__main__":
    main()
