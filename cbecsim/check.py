"""``cbecsim check SCENARIO --observed LOG [--reps N] [--out DIR]``: simulate a scenario and
set its stage times beside those of an observed event log, with a verdict per stage.

Writes ``DIR/check.csv`` (one row per stage: observed and simulated mean, median, p90,
differences, tolerance, Wasserstein distance, verdict), ``DIR/check_quantiles.csv``
(percentiles of both sides, for figures), ``DIR/check_figures/ecdf_NN.png``, and the runs
themselves (``summary.csv``, ``events.parquet``...) as ``cbecsim run`` does, so
``cbecsim report DIR`` shows the comparison too. Only aggregates of the observed log are
written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.stages import ALL
from cbecsim.calibrate import add_log_options, known_milestones, layout_of, model_calibration, read_log
from cbecsim.cli_tools import ToolInputError
from models import get_spec
from sim.store import write_atomically


def add_command(commands: argparse._SubParsersAction) -> None:
    command = commands.add_parser("check", help="simulate a scenario and compare its stage times with an observed "
                                  "event log (verdict per stage from a tolerance in hours)")
    command.add_argument("scenario", metavar="SCENARIO", help="scenario file or built-in name")
    command.add_argument("--observed", type=Path, required=True, metavar="LOG", help="observed event log (.csv/.parquet)")
    command.add_argument("--reps", type=int, default=5, metavar="N", help="replications to simulate (default 5)")
    command.add_argument("--seed", type=int, metavar="S", help="root seed (default: from the file)")
    command.add_argument("--workers", type=int, metavar="N", help="worker processes (default: all cores)")
    command.add_argument("--out", type=Path, metavar="DIR", help="output folder (default results/<scenario>-check)")
    command.add_argument("--tolerance", type=float, default=0.10, metavar="R",
                         help="largest relative gap of mean, median and p90 still within tolerance (default 0.10)")
    command.add_argument("--floor", type=float, default=0.05, metavar="H",
                         help="gaps up to H hours are always within tolerance (default 0.05)")
    command.add_argument("--own-period", action="store_true",
                         help="simulate the scenario's own run period (default: the log's period, after the "
                              "scenario's warm-up, so that weekdays, day types and seasons match)")
    add_log_options(command)
    command.set_defaults(command=run_check)


def run_check(args: argparse.Namespace) -> int:
    from analysis import validation
    from analysis.eventlog import EventLogError
    from analysis.results import Results
    from cbecsim.workflow import execute
    from scenarios.loader import load_scenario

    if args.reps < 1:
        raise ToolInputError(f"--reps: must be >= 1, got {args.reps}")
    if not 0 <= args.tolerance < 1 or args.floor < 0:
        raise ToolInputError("--tolerance: must be in [0, 1) and --floor >= 0")
    scenario = load_scenario(_scenario_path(args.scenario))
    calibration = model_calibration(scenario.model)
    stages = calibration.stages(scenario.params)
    try:
        layout = layout_of(args)
    except EventLogError as error:
        raise ToolInputError(str(error)) from None
    pairs = stage_pairs(stages, calibration.total)
    flows = get_spec(scenario.model).stage_flows
    log = read_log(args.observed, layout, known_milestones(scenario.model, calibration, stages))
    if not args.own_period:
        scenario = over_the_log(args.scenario, scenario, log)
    out: Path = args.out or Path("results") / f"{scenario.name}-check"
    seed = scenario.settings.seed if args.seed is None else args.seed
    execute([scenario], args.reps, seed, out, workers=args.workers, progress=False, events=True)
    simulated_frame = Results.open(out).events(scenario.name)
    if simulated_frame is None or simulated_frame.empty:
        raise ToolInputError("the simulation logged no milestones")
    settings = scenario.settings
    observed = observed_durations(log, pairs, flows)
    simulated = simulated_durations(simulated_frame, pairs, flows, settings.warmup, settings.horizon)
    table = validation.compare_stages(observed, simulated, args.tolerance, args.floor)
    quantiles = validation.quantile_table(observed, simulated)
    write_atomically(out / "check.csv", lambda path: table.to_csv(path, index=False))
    write_atomically(out / "check_quantiles.csv", lambda path: quantiles.to_csv(path, index=False))
    figures = out / "check_figures"
    for index, (key, part) in enumerate(quantiles[quantiles["class"] == ALL].groupby(["flow", "class", "stage"],
                                                                                     sort=False)):
        validation.ecdf_figure(part, _label(key), figures / f"ecdf_{index:02d}.png")
    print(_table(table))
    counts = table["verdict"].value_counts()
    print(f"\n{counts.get(validation.WITHIN, 0)} of {len(table)} stages within tolerance, "
          f"{counts.get(validation.OUTSIDE, 0)} not, {counts.get(validation.UNDECIDED, 0)} undecided (tolerance "
          f"max({args.tolerance:g} x observed, {args.floor:g} h) on mean, median and p90, 95% intervals); "
          f"{args.reps} replications of {scenario.name!r} against {log.source}")
    failing = [_label(key) for key in table.loc[table["verdict"] == validation.OUTSIDE, ["flow", "class", "stage"]]
               .itertuples(index=False, name=None)]
    if failing:
        print(f"not within tolerance: {', '.join(failing)}", file=sys.stderr)
    settings = scenario.settings
    print(f"simulated {settings.start:%Y-%m-%d %H:%M} + {settings.horizon:g} h, warm-up {settings.warmup:g} h"
          + ("" if args.own_period else " (the log's period)"))
    print(f"table: {out / 'check.csv'}; ECDF figures: {figures}; `cbecsim report {out}` shows both")
    return 0


def over_the_log(reference: str, scenario, log):
    """The scenario run over the log's period: it starts one warm-up before the log's
    first midnight and ends with the log's last event."""
    import datetime as dt

    from scenarios.loader import load_scenario

    warmup = scenario.settings.warmup
    start = log.origin - dt.timedelta(hours=warmup)
    return load_scenario(_scenario_path(reference), [("run.start", start), ("run.horizon", warmup + log.end)])


def _scenario_path(reference: str) -> Path | str:
    from scenarios import catalog

    return reference if Path(reference).exists() else (catalog.find(reference) or reference)


def stage_pairs(stages, total: tuple[str, str] | None) -> dict[str, tuple[str, str]]:
    """Stage label -> (begin, end) milestones: each duration the map calibrates, then the total."""
    pairs = {f"{s.begin} → {s.end}": (s.begin, s.end) for s in stages if s.kind == "duration" and s.end}
    if total is not None:
        pairs[f"total ({total[0]} → {total[1]})"] = total
    return pairs


STAGES = "stages"  # the flow name of the calibrated stages (each calibrated duration, and the total)


def observed_durations(log, pairs: dict[str, tuple[str, str]], flows) -> dict:
    """(flow, class, stage) -> observed durations: calibrated stages and Time Release Study flows."""
    from analysis import observations, validation

    durations = {(STAGES, ALL, name): observations.durations(log.events, begin, end, log.end)[0]
                 for name, (begin, end) in pairs.items()}
    frame = pd.DataFrame({"scenario": "observed", "replication": 0, "entity": log.events["case"].to_numpy(),
                          "milestone": log.events["activity"].to_numpy(), "time": log.events["time"].to_numpy()})
    for flow in flows:
        durations.update(validation.flow_durations(frame, flow))
    return durations


def simulated_durations(frame: pd.DataFrame, pairs: dict[str, tuple[str, str]], flows, warmup: float,
                        horizon: float) -> dict:
    """The same for the simulated log: entities and stages beginning after the warm-up."""
    from analysis import observations, validation

    events = simulated_events(frame)
    durations = {(STAGES, ALL, name): observations.durations(events, begin, end, horizon, since=warmup)[0]
                 for name, (begin, end) in pairs.items()}
    for flow in flows:
        durations.update(validation.flow_durations(frame, flow, since=warmup))
    return durations


def _label(key: tuple[str, str, str]) -> str:
    flow, klass, stage = key
    return stage if flow == STAGES else f"{flow} ({klass}): {stage}"


def simulated_events(frame: pd.DataFrame) -> pd.DataFrame:
    """A results folder's milestone log as case/activity/time rows, one case per
    (replication, entity), sorted by case then time (ties keep the logged order)."""
    entity = frame["entity"].to_numpy(dtype=np.int64)
    case = frame["replication"].to_numpy(dtype=np.int64) * (int(entity.max()) + 1) + entity
    events = pd.DataFrame({"case": case, "activity": frame["milestone"].astype(str).to_numpy(),
                           "time": frame["time"].to_numpy(dtype=float)})
    return events.sort_values(["case", "time"], kind="stable").reset_index(drop=True)


def _table(table: pd.DataFrame) -> str:
    lines = [("stage", "n obs/sim", "mean obs/sim [h]", "median obs/sim [h]", "p90 obs/sim [h]", "W1 [h]", "verdict")]
    for row in table.rename(columns={"class": "klass"}).itertuples():
        lines.append((_label((row.flow, row.klass, row.stage)), f"{row.observed_n}/{row.simulated_n}",
                      f"{row.observed_mean_h:.3g}/{row.simulated_mean_h:.3g}",
                      f"{row.observed_median_h:.3g}/{row.simulated_median_h:.3g}",
                      f"{row.observed_p90_h:.3g}/{row.simulated_p90_h:.3g}", f"{row.wasserstein_h:.3g}", row.verdict))
    widths = [max(len(line[i]) for line in lines) for i in range(len(lines[0]))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(line, widths)).rstrip() for line in lines)
