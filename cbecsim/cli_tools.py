"""The `report`, `size` and `warmup` commands (registered by `cbecsim.cli`).

* ``cbecsim report RESULTS_DIR``: ``report.html``, ``figures/``, ``tables/`` from stored results.
* ``cbecsim size SCENARIO --metric M [--metric M2] --rel-width 0.05``: replications needed
  for intervals of the given relative half-width (Law's sequential procedure).
* ``cbecsim warmup SCENARIO [--monitor wip]``: Welch's plot and MSER-5 on a monitor's level
  sampled through the run, to choose the scenario's ``[run] warmup``.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from models import current_metric
from scenarios.loader import load_scenario


class ToolInputError(Exception):
    """A bad command-line input of one of these commands (exit status 2)."""


def add_commands(commands: argparse._SubParsersAction, positive: Callable[[str], int],
                 non_negative: Callable[[str], int], path: Callable[[str], str]) -> None:
    report = commands.add_parser("report", help="write report.html, figures/ and tables/ of a results folder")
    report.add_argument("folder", type=Path, metavar="RESULTS_DIR")
    report.set_defaults(command=_report)

    size = commands.add_parser("size", help="replications needed for a target interval width (sequential procedure)")
    size.add_argument("scenario", metavar="SCENARIO")
    size.add_argument("--metric", dest="metrics", action="append", required=True, metavar="M",
                      help="KPI to size for (repeatable)")
    size.add_argument("--rel-width", type=_share, default=0.05, metavar="G",
                      help="target relative half-width of the 95%% interval (default 0.05)")
    size.add_argument("--initial", type=positive, default=10, metavar="N", help="pilot replications (default 10)")
    size.add_argument("--max-reps", type=positive, default=200, metavar="N", help="stop after N replications (default 200)")
    _scenario_options(size, positive, non_negative)
    size.set_defaults(command=_size, resolve=path)

    warmup = commands.add_parser("warmup", help="Welch's plot and MSER-5 to choose a scenario's warm-up")
    warmup.add_argument("scenario", metavar="SCENARIO")
    warmup.add_argument("--monitor", default="wip", metavar="NAME",
                        help="monitor to read: wip (entities in the system, default) or <block>.<monitor>, "
                             "e.g. triage.queue (an unknown name lists the available ones)")
    warmup.add_argument("--reps", type=positive, default=5, metavar="N", help="replications (default 5)")
    warmup.add_argument("--every", type=_hours, default=0.25, metavar="H", help="sample the level every H hours (default 0.25)")
    warmup.add_argument("--period", type=_hours, default=None, metavar="H",
                        help="average the samples over periods of H hours (default: 24 if the horizon is at least "
                             "20 days, else 1)")
    warmup.add_argument("--window", type=positive, default=None, metavar="W", help="Welch window in periods (default: a tenth)")
    warmup.add_argument("--out", type=Path, metavar="DIR", help="output folder (default results/<scenario>-warmup)")
    _scenario_options(warmup, positive, non_negative)
    warmup.set_defaults(command=_warmup, resolve=path)


def _scenario_options(command: argparse.ArgumentParser, positive: Callable[[str], int],
                      non_negative: Callable[[str], int]) -> None:
    command.add_argument("--seed", type=non_negative, metavar="S", help="root seed (default: from the file)")
    command.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
                         help="override a value, e.g. run.horizon=500 (repeatable)")
    command.add_argument("--workers", type=positive, metavar="N", help="worker processes (default: all cores)")


def _share(text: str) -> float:
    value = _float(text)
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1, got {value}")
    return value


def _hours(text: str) -> float:
    value = _float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be > 0 hours, got {value}")
    return value


def _float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number, got {text!r}") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"must be finite, got {text!r}")
    return value


def _report(args: argparse.Namespace) -> int:
    from analysis.results import ResultsError
    from cbecsim.report import report

    try:
        written = report(args.folder)
    except ResultsError as error:
        raise ToolInputError(str(error)) from None
    print(f"report: {written.path} ({len(written.figures)} figures in {written.path.parent / 'figures'}, "
          f"{len(written.tables)} tables in {written.path.parent / 'tables'})")
    for problem in written.problems:
        print(f"cbecsim: warning: {problem}", file=sys.stderr)
    return 0


def _size(args: argparse.Namespace) -> int:
    from cbecsim.diagnostics import size

    scenario = load_scenario(args.resolve(args.scenario), args.overrides)
    if args.initial < 2 or args.initial > args.max_reps:
        raise ToolInputError(f"--initial: must be between 2 and --max-reps ({args.max_reps}), got {args.initial}")
    seed = scenario.settings.seed if args.seed is None else args.seed
    targets = {current_metric(scenario.model, metric): args.rel_width for metric in args.metrics}
    try:
        result, made = size(scenario, targets, seed, args.initial, args.max_reps, args.workers)
    except KeyError as error:
        raise ToolInputError(f"--metric: {error.args[0]}") from None
    last = result.history.groupby("metric", sort=False).tail(1)
    lines = [("metric", "replications", "mean", "95% CI", "rel. half-width", "target", "met")]
    for row in last.itertuples():
        lines.append((row.metric, str(row.replications), f"{row.mean:.4g}",
                      f"[{row.mean - row.half_width:.4g}, {row.mean + row.half_width:.4g}]",
                      f"{row.relative_half_width:.2%}", f"{row.bound:.2%}", "yes" if row.met else "no"))
    print(f"scenario {scenario.name!r}, seed {seed}: sequential procedure (Law 2015, §9.4.1), target relative "
          f"half-width {args.rel_width:g} (adjusted γ' = γ/(1+γ) = {args.rel_width / (1 + args.rel_width):.4f})")
    print(_columns(lines))
    if result.met:
        print(f"\n{result.replications} replications meet every target: set `replications = {result.replications}` "
              f"in [run] (computed {made}).")
    else:
        print(f"\nnot met after {result.replications} replications (--max-reps); the interval narrows as 1/sqrt(n).")
    return 0


def _warmup(args: argparse.Namespace) -> int:
    from analysis import figures
    from analysis.warmup import block_means, suggest_warmup
    from cbecsim.diagnostics import warmup_series

    scenario = load_scenario(args.resolve(args.scenario), args.overrides)
    settings = scenario.settings
    seed = settings.seed if args.seed is None else args.seed
    period = args.period or (24.0 if settings.horizon >= 480 else 1.0)
    if period < args.every or not math.isclose(period / args.every, round(period / args.every)):
        raise ToolInputError(f"--period: must be a whole multiple of --every ({args.every:g} h), got {period:g}")
    series = warmup_series(scenario, args.reps, seed, args.every, args.workers)
    if args.monitor not in series:
        raise ToolInputError(f"--monitor: no monitor {args.monitor!r}; available: {', '.join(sorted(series))}")
    periods = block_means(series[args.monitor], round(period / args.every))
    if periods.shape[1] < 20:
        raise ToolInputError(f"--period: {periods.shape[1]} periods of {period:g} h fit in the horizon; MSER-5 needs "
                             "at least 20: use a shorter --period or a longer run.horizon")
    suggestion = suggest_warmup(periods, period, args.window)
    out: Path = args.out or Path("results") / f"{scenario.name}-warmup"
    out.mkdir(parents=True, exist_ok=True)
    frame = pd.DataFrame(periods.T, columns=[f"replication_{r}" for r in range(args.reps)])
    frame.insert(0, "period_start_h", np.arange(periods.shape[1]) * period)
    csv_path = out / f"warmup_{_slug(args.monitor)}.csv"
    frame.to_csv(csv_path, index=False)
    figure_path = out / f"welch_{_slug(args.monitor)}.png"
    figures.welch_plot(suggestion.welch, figure_path, f"mean level of {args.monitor}", "", f"period of {period:g} h",
                       warmup_period=suggestion.mser.truncation or None,
                       title=f"Warm-up of {scenario.name}: Welch's moving average",
                       warmup_label=f"MSER-5 truncation: {suggestion.mser.truncation} periods ({suggestion.hours:g} h)")
    print(f"scenario {scenario.name!r}: {args.monitor} sampled every {args.every:g} h over {settings.horizon:g} h, "
          f"{args.reps} replications, averaged over periods of {period:g} h")
    print(f"MSER-5 truncation: {suggestion.mser.truncation} periods = {suggestion.hours:g} h "
          f"(the scenario's warm-up: {settings.warmup:g} h)")
    if suggestion.mser.at_limit:
        print("warning: the minimum sits at the search limit (half the run): the run may be too short or not steady")
    print(f"Welch's plot (window {suggestion.welch.window} periods): {figure_path}; series: {csv_path}")
    return 0


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in text)


def _columns(lines: list[tuple[str, ...]]) -> str:
    widths = [max(len(line[i]) for line in lines) for i in range(len(lines[0]))]
    return "\n".join("  ".join(cell.ljust(width) for cell, width in zip(line, widths)).rstrip() for line in lines)
