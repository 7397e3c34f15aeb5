"""``cbecsim calibrate LOG --model MODEL --out OVERLAY.toml``: fit a model's parameters to
an observed event log and write a scenario overlay that extends the model's baseline.

Beside the overlay, ``OVERLAY.provenance.csv`` lists every fitted parameter (n, estimate,
interval, fit statistic) and every refused one with the reason; the overlay's header
holds the same provenance. Only aggregates are written: no case id of the log.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
from pathlib import Path
from typing import Any

from analysis.eventlog import EventLog, EventLogError, LogLayout, read_event_log, read_layout
from cbecsim.cli_tools import ToolInputError
from models import MODELS, get_spec
from scenarios import catalog
from scenarios.errors import ScenarioError
from scenarios.loader import Scenario, load_scenario
from sim.spec import Calibration, StageCalibration
from sim.store import write_atomically


def add_command(commands: argparse._SubParsersAction) -> None:
    command = commands.add_parser("calibrate", help="fit a model's parameters to an observed event log; write a "
                                  "scenario overlay extending its baseline")
    command.add_argument("log", type=Path, metavar="LOG", help="event log (.csv or .parquet)")
    command.add_argument("--model", required=True, choices=sorted(MODELS), help="model the log is of")
    command.add_argument("--baseline", metavar="SCENARIO",
                         help="scenario the overlay extends (default: the model's built-in baseline)")
    command.add_argument("--out", type=Path, required=True, metavar="OVERLAY.toml", help="overlay file to write")
    command.add_argument("--min-observations", type=int, default=30, metavar="N",
                         help="refuse a fit with fewer observations (default 30); the baseline's value is kept")
    add_log_options(command)
    command.set_defaults(command=run_calibrate)


def add_log_options(command: argparse.ArgumentParser) -> None:
    """Where the log keeps its fields (flags, or a mapping file; flags win)."""
    command.add_argument("--mapping", type=Path, metavar="FILE.toml",
                         help="[columns] case/activity/timestamp/resource/class = column name; "
                              "[activities] log name = milestone")
    for field, default in (("case", "case_id"), ("activity", "activity"), ("timestamp", "timestamp"),
                           ("resource", "resource"), ("class", "class")):
        command.add_argument(f"--{field}-column", dest=f"{field}_column", metavar="NAME",
                             help=f"column of the {field} (default {default})")


def layout_of(args: argparse.Namespace) -> LogLayout:
    layout = read_layout(args.mapping) if args.mapping else LogLayout()
    return layout.with_columns(case=args.case_column, activity=args.activity_column, timestamp=args.timestamp_column,
                               resource=args.resource_column, **{"class": args.class_column})


def model_calibration(model: str) -> Calibration:
    """The calibration map of the model's spec."""
    calibration = get_spec(model).calibration
    if calibration is None:
        raise ToolInputError(f"--model: model {model!r} declares no calibration map (its spec's `calibration`)")
    return calibration


def known_milestones(model: str, calibration: Calibration, stages: tuple[StageCalibration, ...]) -> list[str]:
    """Every milestone the model logs and the map names: what an observed log may contain."""
    names = [name for stage in stages for name in (stage.begin, stage.end) if name]
    return list(dict.fromkeys([*get_spec(model).milestones, *names, *(calibration.total or ())]))


def baseline_of(model: str, reference: str | None) -> Scenario:
    if reference is None:
        path = catalog.find(f"{model}/baseline")
        if path is None:
            raise ToolInputError(f"--baseline: model {model!r} has no built-in baseline; name the scenario to extend")
    else:
        path = Path(reference) if Path(reference).exists() else catalog.find(reference)
        if path is None:
            raise ToolInputError(f"--baseline: no scenario file or built-in scenario {reference!r}")
    scenario = load_scenario(path)
    if scenario.model != model:
        raise ToolInputError(f"--baseline: {path} is a {scenario.model} scenario, not {model}")
    return scenario


def read_log(path: Path, layout: LogLayout, known: list[str]) -> EventLog:
    try:
        return read_event_log(path, layout, known)
    except EventLogError as error:
        raise ToolInputError(str(error)) from None


def run_calibrate(args: argparse.Namespace) -> int:
    from analysis.calibrate import Fitted, calibrate
    from scenarios.overlay import Replacement, render_overlay

    if args.out.suffix != ".toml" or args.out.is_dir():
        raise ToolInputError(f"{args.out}: --out: must name a .toml file")
    try:
        layout = layout_of(args)
    except EventLogError as error:
        raise ToolInputError(str(error)) from None
    baseline = baseline_of(args.model, args.baseline)
    calibration = model_calibration(args.model)
    stages = calibration.stages(baseline.params)
    log = read_log(args.log, layout, known_milestones(args.model, calibration, stages))
    outcomes = calibrate(log, stages, args.min_observations)
    fitted = [o for o in outcomes if isinstance(o, Fitted)]
    if not fitted:
        raise ToolInputError(f"{args.log}: no parameter could be fitted ({outcomes[0].reason if outcomes else 'no map'})")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    extends = os.path.relpath(Path(baseline.path).resolve(), args.out.parent.resolve())
    header = [(f"Calibrated from the event log {log.source}: {len(log)} events, {log.cases} cases, "
               f"{log.end:.1f} h from {log.origin:%Y-%m-%d}.")]
    header += [f"Kept the baseline's params.{o.path}: {o.reason}" for o in outcomes if not isinstance(o, Fitted)]
    text = render_overlay(args.model, f"{baseline.name}_fitted", f"{baseline.name} with parameters fitted from "
                          f"{log.source}", extends, baseline.resolved.get("params", {}),
                          [Replacement(f.path, f.value, f.provenance) for f in fitted], header)
    write_atomically(args.out, lambda path: Path(path).write_text(text, encoding="utf-8"))
    try:
        load_scenario(args.out)
    except ScenarioError as error:  # e.g. fitted rates that make the network unstable
        args.out.unlink()
        raise ToolInputError(f"the fitted overlay is not a valid scenario: {error}") from None
    table = provenance_path(args.out)
    write_atomically(table, lambda path: _write_provenance(path, outcomes))
    print(_summary(outcomes))
    print(f"\noverlay: {args.out} (extends {extends}); provenance: {table}")
    for outcome in outcomes:
        if not isinstance(outcome, Fitted):
            print(f"cbecsim: warning: params.{outcome.path} not fitted, baseline kept: {outcome.reason}", file=sys.stderr)
    return 0


def provenance_path(overlay: Path) -> Path:
    return overlay.with_suffix(".provenance.csv")


def _write_provenance(path: str, outcomes: list[Any]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["parameter", "kind", "fitted", "n", "estimate", "ci_low", "ci_high", "ks_distance",
                         "provenance"])
        for outcome in outcomes:
            if hasattr(outcome, "value"):
                writer.writerow([f"params.{outcome.path}", outcome.kind, True, outcome.n, outcome.estimate, outcome.low,
                                 outcome.high, outcome.statistic, outcome.provenance])
            else:
                writer.writerow([f"params.{outcome.path}", outcome.kind, False, "", "", "", "", "", outcome.reason])


def _summary(outcomes: list[Any]) -> str:
    lines = [("parameter", "kind", "fitted", "n", "estimate [95% CI]")]
    for outcome in outcomes:
        if hasattr(outcome, "value"):
            value = outcome.value
            if isinstance(value, dict):
                shown = ", ".join(f"{k}={v}" for k, v in value.items() if k != "values")
            elif isinstance(value, list):
                shown = f"{len(value)} weights, peak {max(value):g}"
            else:
                shown = f"{value:g}"
            lines.append((outcome.path, outcome.kind, shown, str(outcome.n),
                          f"{outcome.estimate:.4g} [{outcome.low:.4g}, {outcome.high:.4g}]"))
        else:
            lines.append((outcome.path, outcome.kind, "(baseline kept)", "", outcome.reason))
    widths = [max(len(line[i]) for line in lines) for i in range(len(lines[0]))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(line, widths)).rstrip() for line in lines)
