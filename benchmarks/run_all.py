"""Run every benchmark and print one table of the figures against their goals.

Each benchmark is a script in this folder, run as its own process (so that one does not
warm or load another). By convention a benchmark script prints its figures as
``key=value`` pairs, e.g. ``seconds_per_replication=3.21``, ``events_per_second=812000``,
``speedup_vs_simpy=5.3`` (several pairs may share a line, separated by spaces; other text
is ignored; a later pair with the same key wins). A timing should come with the processor
time of the same work (``cpu_seconds=2.9``): on a machine busy with other work the wall
time overstates what the run needs, and a goal met on processor time is reported as
such. The figures named below are checked against their goals; other printed times, rates, speed-ups and memory figures are listed
without one. A script that does not exist yet is reported as "missing", one that fails
as "failed", a figure it does not print as "not printed"; the table is printed whatever
happens.

Timings depend on the machine and its load: the load average is printed with the table.

Usage: python benchmarks/run_all.py [--only NAME ...] [--skip NAME ...] [--quiet]
       (names: kernel, bonded, mail, returns, study, memory)
"""

from __future__ import annotations

import argparse
import operator
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PAIR = re.compile(r"(?:^|\s)([A-Za-z_][\w.]*)=(\S+)")
#: other printed figures listed in the table: times, rates, speed-ups, memory
EXTRA = re.compile(r"seconds|per_second|speedup|_mb|^us_")
COMPARE = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}


@dataclass(frozen=True)
class Figure:
    """One row of the table: the first of `keys` the script prints, against `goal`."""

    label: str
    keys: tuple[str, ...]
    unit: str = ""
    goal: tuple[str, float] | None = None
    #: the processor time of the same measurement, when printed: on a machine busy with
    #: other work it is what the run would take on an idle core
    cpu_keys: tuple[str, ...] = ()


@dataclass(frozen=True)
class Benchmark:
    name: str
    script: str
    figures: tuple[Figure, ...]
    arguments: tuple[str, ...] = ()
    timeout_seconds: float = 3600.0


PER_REPLICATION = ("seconds_per_replication",)
CPU_PER_REPLICATION = ("cpu_seconds_per_replication", "cpu_seconds", "year_cpu_seconds_mean", "processor_seconds")
BENCHMARKS = (
    Benchmark("kernel", "kernel.py", (
        Figure("kernel vs plain SimPy, reference tandem line", ("speedup_vs_simpy",), "x", (">=", 5.0)),
    )),
    Benchmark("bonded", "bonded.py", (
        Figure("bonded: Double-11 peak day, per replication",
               (*PER_REPLICATION, "peak_day_seconds", "seconds"), "s", ("<", 5.0), CPU_PER_REPLICATION),
    )),
    Benchmark("mail", "mail.py", (
        Figure("mail: a year at 2024 volume, per replication",
               (*PER_REPLICATION, "year_seconds_mean", "year_seconds", "seconds"), "s", ("<", 5.0),
               CPU_PER_REPLICATION),
    )),
    Benchmark("returns", "returns.py", (
        Figure("returns: a year of import returns, per replication",
               (*PER_REPLICATION, "year_seconds_mean", "year_seconds", "seconds"), "s", ("<", 10.0),
               CPU_PER_REPLICATION),
    )),
    Benchmark("study", "study_speedup.py", (
        Figure("default study on 1 worker", ("seconds_1_worker",), "s"),
        Figure("default study on 2 workers", ("seconds_2_workers",), "s"),
        Figure("default study: speed-up on 2 workers", ("speedup",), "x", (">=", 1.8)),
        Figure("  the same on idle cores, from the run times", ("ideal_speedup",), "x"),
    )),
    Benchmark("memory", "study_memory.py", (
        Figure("1,000-run study: peak memory of the parent", ("peak_mb_parent",), "MB"),
        Figure("1,000-run study with events: parent", ("peak_mb_parent_events",), "MB"),
        Figure("1,000-run study with events: a worker", ("peak_mb_worker_events",), "MB"),
        Figure("parent growth, 100 -> 1,000 runs with events", ("growth_mb_parent_events",), "MB"),
    )),
)


@dataclass
class Outcome:
    status: str  # "done", "missing", "failed (exit N)", "timed out"
    values: dict[str, str]
    seconds: float = 0.0


def run(benchmark: Benchmark, echo: bool) -> Outcome:
    script = HERE / benchmark.script
    if not script.is_file():
        return Outcome("missing", {})
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    began = time.perf_counter()
    print(f"== {benchmark.script}", file=sys.stderr, flush=True)
    try:
        done = subprocess.run([sys.executable, str(script), *benchmark.arguments], cwd=ROOT, env=environment,
                              capture_output=True, text=True, timeout=benchmark.timeout_seconds, check=False)
    except subprocess.TimeoutExpired as expired:
        output = expired.stdout.decode() if isinstance(expired.stdout, bytes) else (expired.stdout or "")
        return Outcome("timed out", parse(output), time.perf_counter() - began)
    seconds = time.perf_counter() - began
    if echo:
        for line in done.stdout.splitlines():
            print(f"   {line}", file=sys.stderr)
    if done.returncode != 0:
        tail = "\n".join(done.stderr.strip().splitlines()[-5:])
        print(f"   failed with exit status {done.returncode}:\n{tail}", file=sys.stderr)
        return Outcome(f"failed (exit {done.returncode})", parse(done.stdout), seconds)
    return Outcome("done", parse(done.stdout), seconds)


def parse(output: str) -> dict[str, str]:
    """The ``key=value`` pairs of a benchmark's output (a later one wins)."""
    values = {}
    for line in output.splitlines():
        for key, value in PAIR.findall(line):
            values[key] = value.rstrip(",;")
    return values


def rows(benchmark: Benchmark, outcome: Outcome) -> list[tuple[str, str, str, str, str]]:
    """(benchmark, figure, value, goal, status) rows of one benchmark."""
    table = []
    used: set[str] = set()
    for figure in benchmark.figures:
        goal = f"{figure.goal[0]} {figure.goal[1]:g}{' ' + figure.unit if figure.unit else ''}" if figure.goal else ""
        key = next((k for k in figure.keys if k in outcome.values), None)
        if key is None:
            status = "not printed" if outcome.status == "done" else outcome.status
            table.append((benchmark.name, figure.label, "", goal, status))
            continue
        used.add(key)
        text = outcome.values[key]
        value = _number(text)
        shown = f"{value:.3g} {figure.unit}".strip() if value is not None else text
        if outcome.status != "done":
            status = outcome.status
        elif figure.goal is None:
            status = "measured"
        elif value is None:
            status = "not a number"
        else:
            status = "met" if COMPARE[figure.goal[0]](value, figure.goal[1]) else "MISSED"
        cpu_key = next((k for k in figure.cpu_keys if k in outcome.values), None)
        cpu = _number(outcome.values[cpu_key]) if cpu_key else None
        if cpu is not None:
            used.add(cpu_key)  # type: ignore[arg-type]
            shown += f" (CPU {cpu:.3g} {figure.unit})".replace(" )", ")")
            if status == "MISSED" and figure.goal is not None and COMPARE[figure.goal[0]](cpu, figure.goal[1]):
                status = "met on CPU time (machine busy)"
        table.append((benchmark.name, figure.label, shown, goal, status))
    for key, text in outcome.values.items():
        if key not in used and EXTRA.search(key):
            table.append((benchmark.name, key, text, "", ""))
    return table


def _number(text: str) -> float | None:
    try:
        return float(text.replace(",", "").rstrip("xs"))
    except ValueError:
        return None


def table(lines: list[tuple[str, ...]]) -> str:
    header = ("benchmark", "figure", "value", "goal", "status")
    everything = [header, *lines]
    widths = [max(len(line[i]) for line in everything) for i in range(len(header))]
    rule = tuple("-" * width for width in widths)
    return "\n".join("  ".join(cell.ljust(width) for cell, width in zip(line, widths)).rstrip()
                     for line in [header, rule, *lines])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    names = [benchmark.name for benchmark in BENCHMARKS]
    parser.add_argument("--only", nargs="+", choices=names, metavar="NAME", help="run only these benchmarks")
    parser.add_argument("--skip", nargs="+", choices=names, default=[], metavar="NAME", help="skip these benchmarks")
    parser.add_argument("--quiet", action="store_true", help="do not echo each benchmark's output")
    args = parser.parse_args()
    chosen = [b for b in BENCHMARKS if (args.only is None or b.name in args.only) and b.name not in args.skip]
    load_before = os.getloadavg()[0]
    lines = []
    for benchmark in chosen:
        outcome = run(benchmark, echo=not args.quiet)
        lines.extend(rows(benchmark, outcome))
    print()
    print(table(lines))
    print(f"\n{os.cpu_count()} cores; load average {load_before:.2f} before, {os.getloadavg()[0]:.2f} after")
    return 1 if any(line[4] == "MISSED" or line[4].startswith("failed") for line in lines) else 0


if __name__ == "__main__":
    sys.exit(main())
