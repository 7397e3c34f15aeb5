"""Speed of the bonded-zone model on one Double-11 peak day (goal: under 5 s on 2 cores).

The `peak` scenario's parameters (peak staffing plan, status-quo policy unless --pilot)
on 11 November 2025 alone: 138,000 orders expected (60,000 × 2.3), opening surge at
midnight. By default the run goes on, with no further orders, until every order of the
day is delivered or seized (7 more days), so the whole life of every order is timed;
`--day-only` stops at midnight instead.

Prints the orders, the wall-clock and CPU seconds of the replication (build, run and
KPIs; on a shared machine the CPU time is the steadier figure), the events the engine
processed and events per second, and a few KPIs as a sanity check.

Usage: python benchmarks/bonded.py [--pilot] [--log] [--day-only] [--seed S]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from models import bonded
from scenarios.loader import Scenario, load_scenario
from sim.context import Context
from sim.streams import Streams

PEAK = Path(__file__).resolve().parents[1] / "scenarios" / "bonded" / "peak.toml"
DRAIN_DAYS = 7


def peak_day(pilot: bool, day_only: bool) -> Scenario:
    closed = {f"2025-11-{12 + day}": "closed" for day in range(DRAIN_DAYS)}
    overrides = [
        ("run.start", "2025-11-11T00:00"),
        ("run.warmup", 0.0),
        ("run.horizon", 24.0 if day_only else 24.0 * (1 + DRAIN_DAYS)),
        ("run.day_types", {"2025-11-11": "peak", **closed}),
        ("params.orders.day_multipliers", {"normal": 1.0, "promotion": 1.3, "peak": 2.3, "closed": 0.0}),
        ("params.policy.same_parcel", pilot),
        ("params.policy.same_truck", pilot),
    ]
    return load_scenario(PEAK, overrides)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pilot", action="store_true", help="same parcel and same truck on")
    parser.add_argument("--log", action="store_true", help="keep the milestone log (as `cbecsim run --events`)")
    parser.add_argument("--day-only", action="store_true", help="stop at the end of the peak day")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    scenario = peak_day(args.pilot, args.day_only)
    settings = scenario.settings

    began, cpu_began = time.perf_counter(), time.process_time()
    context = Context(Streams(args.seed, 0), horizon=settings.horizon, warmup=settings.warmup,
                      calendar=settings.calendar(), log=args.log)
    built = bonded.SPEC.build(context, scenario.params)
    context.run()
    context.check_conservation()
    metrics = bonded.SPEC.metrics(context, scenario.params, built)
    seconds, cpu_seconds = time.perf_counter() - began, time.process_time() - cpu_began

    env = context.env
    events = next(env._eid) - len(env._queue)  # events scheduled minus those still pending
    print(f"bonded peak day ({'pilot' if args.pilot else 'status quo'}), seed {args.seed}, "
          f"{'milestone log on' if args.log else 'no milestone log'}, "
          f"{'peak day only' if args.day_only else f'run until delivered ({settings.horizon:g} h)'}")
    print(f"orders={context.created:,} delivered={context.finished:,} seized={sum(context.dropped.values()):,} "
          f"in_system={context.in_system():,}" + (f" log_rows={len(context.log):,}" if context.log else ""))
    print(f"seconds={seconds:.2f} cpu_seconds={cpu_seconds:.2f} events={events:,} "
          f"events_per_second={events / seconds:,.0f} us_per_order={seconds / context.created * 1e6:.1f}")
    for metric in ("zone_dwell.mean_h", "zone_dwell.p95_h", "clearance.yellow.p90_h", "trucks.departures_per_day",
                   "trucks.load_factor", "trucks.km_per_order", "trucks.co2_kg_per_order", "utilization.pickers", "utilization.officers", "orders.parcels_per_order"):
        print(f"  {metric} = {metrics[metric]:.4g}")


if __name__ == "__main__":
    main()
