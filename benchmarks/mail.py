"""Speed of the mail office model.

1. One year at the 2024 volume (412,800 items in and out, the `baseline` scenario's
   parameters, 2024-01-01 to 2024-12-31) per replication; goal: under 5 seconds.
2. One day at 120,000 inbound items (the scale of China's largest office, Beijing,
   domain.md §3) plus the matching 80,000 outbound items, with resources scaled so that
   the office keeps up: officers, X-ray lines, postal staff and clerks around the clock.

Each replication is built and run exactly as `sim.run.run` does (model built in a fresh
context, run to the horizon, conservation checked, KPIs computed). Printed: wall
seconds (and processor seconds: what the run used, whatever else the machine does),
items, engine events (every callback the SimPy environment processed) and events per
second. With `--events` the milestone log is kept, as `cbecsim run --events`
does, and its rows are counted.

Usage: python benchmarks/mail.py [--replications N] [--seed S] [--events]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from models import mail
from scenarios.loader import load_scenario
from sim.calendar import DayCalendar
from sim.context import Context
from sim.parameters import build_params
from sim.streams import Streams

ROOT = Path(__file__).resolve().parents[1]
ALL_DAY = "00:00", "24:00"


def around_the_clock(people: int) -> list[dict[str, Any]]:
    return [{"start": ALL_DAY[0], "end": ALL_DAY[1], "servers": people}]


#: daily transports only, so that one day brings a day's inbound volume
DAILY_TRANSPORTS = [
    {"name": "flight_early", "mode": "air", "share": 0.4, "times": ["02:30"]},
    {"name": "flight_afternoon", "mode": "air", "share": 0.35, "times": ["13:50"]},
    {"name": "gateway_trucks", "mode": "truck", "share": 0.25, "times": ["21:00"]},
]


def largest_office() -> Any:
    """120,000 inbound items a day (and 80,000 outbound at the default split), with
    resources sized from the offered load of the defaults (about 0.017 officer-hours an
    item, 0.0025 postal-staff hours an inbound item) at about 80% utilisation."""
    inbound_per_day = 120_000.0
    return build_params(mail.Params, {
        "volume": {"annual_items": inbound_per_day / 0.6 * 365, "month_factors": [1.0] * 12},
        "inbound": {"postal_staff": around_the_clock(16), "data_clerks": around_the_clock(30),
                    "xray_lines": 3, "transports": DAILY_TRANSPORTS},
        "customs": {"officers": around_the_clock(180)},
        "outbound": {"acceptance_staff": around_the_clock(8), "xray_lines": 2},
    })


def run_once(params: Any, horizon: float, start: dt.datetime, seed: int, replication: int,
             log: bool) -> tuple[float, float, int, int, int]:
    """(wall seconds, processor seconds, items created, engine events, log rows) of one
    replication; processor time is what the run itself used, whatever else the machine does."""
    began, processor = time.perf_counter(), time.process_time()
    context = Context(Streams(seed, replication), horizon=horizon, warmup=0.0, calendar=DayCalendar(start), log=log)
    built = mail.SPEC.build(context, params)
    context.run()
    context.check_conservation()
    mail.SPEC.metrics(context, params, built)
    seconds, processor = time.perf_counter() - began, time.process_time() - processor
    events = next(context.env._eid)  # SimPy numbers every event it schedules
    return seconds, processor, context.created, events, len(context.log) if context.log is not None else 0


def report(label: str, seconds: float, processor: float, items: int, events: int, rows: int) -> None:
    rows_text = f", {rows:,} log rows" if rows else ""
    print(f"{label}: {seconds:6.2f} s wall, {processor:.2f} s processor; {items:,} items, {events:,} events; "
          f"{events / seconds:,.0f} events/s wall, {events / processor:,.0f} events/s processor{rows_text}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--replications", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--events", action="store_true", help="keep the milestone log")
    args = parser.parse_args()

    baseline = load_scenario(ROOT / "scenarios" / "mail" / "baseline.toml")
    year = []
    for replication in range(args.replications):
        result = run_once(baseline.params, 366 * 24.0, dt.datetime(2024, 1, 1), args.seed, replication, args.events)
        report(f"year 2024, replication {replication}", *result)
        year.append(result[0])
    print(f"year_seconds_mean={sum(year) / len(year):.2f} (goal < 5; wall time, see processor time on a busy machine)")

    result = run_once(largest_office(), 24.0, dt.datetime(2024, 3, 4), args.seed, 0, args.events)
    report("one day at 120,000 inbound items", *result)
    seconds = result[0]
    print(f"day_120k_seconds={seconds:.2f}")


if __name__ == "__main__":
    main()
