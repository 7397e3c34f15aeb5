"""``cbecsim robustness STUDY_OR_SCENARIOS``: are the findings robust to the assumptions?

Given a study file (its ``[robustness]`` table, `scenarios.robustness`) or scenario files
(the first is the baseline; ``--points`` and ``--reps`` size the experiment), it samples
each group's assumption space (`scenarios.robustness_design`), runs the baseline and the
alternatives at every point with common random numbers through the study runner (runs
stored as they finish under ``OUT/robustness/``; the same command resumes), and writes
``robustness.csv`` (one row per finding) and ``robustness_runs.parquet`` (one row per
finding x point) in ``OUT`` (default ``results/<study name>``, beside the study's own
results). Findings are the groups' headline metrics (else the model's) for each
alternative; thresholds, labels and units come from each model's metric registry.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pandas as pd

from models import current_metric
from scenarios.errors import ScenarioError
from scenarios.loader import load_scenario
from scenarios.robustness import DEFAULT_POINTS, RobustnessSettings
from scenarios.robustness_design import Experiment, GroupInput, design_experiment
from scenarios.study import Study, is_study_file, load_study
from sim.executors import Executor, LocalExecutor, opened
from sim.run import model_spec
from sim.store import ResultStore, write_atomically
from sim.study import run_study


def add_command(commands: argparse._SubParsersAction, positive: Callable[[str], int],
                path: Callable[[str], str]) -> argparse.ArgumentParser:
    """Register the command; the caller adds the common options (--reps: replications per
    scenario and point, --workers, --executor, --out, --quiet)."""
    command = commands.add_parser("robustness", help="test each headline finding across the models' assumption "
                                  "ranges: robust, conditional (and when) or fragile")
    command.add_argument("files", nargs="+", metavar="STUDY_OR_SCENARIOS",
                         help="a study file with a [robustness] table, or a baseline and alternative scenario files")
    command.add_argument("--points", type=_at_least_two, metavar="N", help="points of the assumption space "
                         f"(default: the study's [robustness] points, else {DEFAULT_POINTS})")
    command.add_argument("--metric", dest="metrics", action="append", default=[], metavar="M",
                         help="a metric to test (repeatable; default: the groups' headline metrics, else the model's)")
    command.add_argument("--max-runs", type=positive, metavar="M", help="refuse an experiment of more runs "
                         "(default: the study's max_runs, else 20,000)")
    command.set_defaults(command=_robustness, resolve=path)
    return command


def _at_least_two(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be an integer, got {text!r}") from None
    if value < 2:
        raise argparse.ArgumentTypeError(f"must be >= 2, got {value}")
    return value


@dataclass(frozen=True)
class Plan:
    name: str
    experiment: Experiment
    findings: pd.DataFrame


def plan(references: Sequence[str], points: int | None = None, replications: int | None = None,
         max_runs: int | None = None, seed: int | None = None, metrics: Sequence[str] = ()) -> Plan:
    """Read and validate the inputs and design the experiment; nothing runs."""
    if len(references) == 1 and is_study_file(references[0]):
        study = load_study(references[0])
        if study.robustness is None and points is None:
            raise ScenarioError(study.path, "robustness", "missing: the study has no [robustness] table "
                                "(add one, or give --points)")
        return plan_study(study, points, replications, max_runs, seed, metrics)
    if len(references) < 2:
        raise ScenarioError(references[0], "(file)", "give a study file, or a baseline and at least one "
                            "alternative scenario file")
    scenarios = [load_scenario(reference) for reference in references]
    settings = _with(RobustnessSettings(scenarios[0].path or references[0]), points, replications)
    root_seed = scenarios[0].settings.seed if seed is None else seed
    group = GroupInput(scenarios[0], tuple(scenarios[1:]), tuple(metrics))
    experiment = design_experiment([group], settings, root_seed, max_runs)
    return Plan(f"{scenarios[0].name}-compared", experiment, findings_of(experiment, settings.file))


def plan_study(study: Study, points: int | None = None, replications: int | None = None,
               max_runs: int | None = None, seed: int | None = None, metrics: Sequence[str] = ()) -> Plan:
    """The experiment of `study`'s ``[robustness]`` table (or of the defaults)."""
    settings = _with(study.robustness or RobustnessSettings(study.path), points, replications)
    inputs = [GroupInput(g.baseline, g.scenarios, tuple(metrics) or tuple(g.headline)) for g in study.groups]
    experiment = design_experiment(inputs, settings, study.seed if seed is None else seed, max_runs)
    return Plan(study.name, experiment, findings_of(experiment, settings.file))


def _with(settings: RobustnessSettings, points: int | None, replications: int | None) -> RobustnessSettings:
    return replace(settings, points=points or settings.points, replications=replications or settings.replications)


def findings_of(experiment: Experiment, file: str) -> pd.DataFrame:
    """group, baseline, scenario, metric and the metric's declaration (label, unit, better,
    threshold) of every finding to test."""
    rows = []
    for group in experiment.groups:
        spec = model_spec(group.scenarios[0][0])
        metrics = group.headline or tuple(spec.headline)
        if not metrics:
            raise ScenarioError(file, f"groups[{group.index}].headline", f"missing: model {group.model} declares "
                                "no headline metrics; name the metrics to test (a group's headline, or --metric)")
        for metric in dict.fromkeys(current_metric(group.model, name) for name in metrics):
            declared = spec.registry.lookup(metric)
            if declared is None:
                raise ScenarioError(file, f"groups[{group.index}].headline", f"metric {metric!r} is not declared by "
                                    f"model {group.model}, so it has no practical threshold")
            for alternative in group.alternatives:
                rows.append({"group": group.index, "baseline": group.baseline, "scenario": alternative,
                             "metric": metric, "metric_label": spec.registry.label(metric), "unit": declared.unit,
                             "better": declared.better or "", "threshold": float(declared.practical_threshold)})
    return pd.DataFrame(rows, columns=["group", "baseline", "scenario", "metric", "metric_label", "unit", "better",
                                       "threshold"])


@dataclass(frozen=True)
class Outcome:
    table: pd.DataFrame
    runs: pd.DataFrame
    ran: int
    reused: int
    wall_seconds: float
    files: tuple[Path, ...]


def run_robustness(chosen: Plan, out: Path, executor: Executor, progress: bool = True,
                   info: dict[str, Any] | None = None) -> Outcome:
    """Run the experiment into ``out/robustness`` (resuming) and write its two tables in `out`."""
    from analysis.load import runs_table
    from analysis.robustness import judge, point_effects, robustness_table, runs_frame
    from analysis.robustness_discovery import Variable

    experiment = chosen.experiment
    store = ResultStore(out / "robustness")
    record = {**(info or {}), "robustness": experiment.record()}
    with opened(executor) as running:
        outcome = run_study(experiment.scenarios, experiment.settings.replications, experiment.seed, store, running,
                            progress=progress, info=record)
    runs = runs_table(outcome.results, order=[s.name for s in experiment.scenarios])
    members, points = pd.DataFrame(experiment.members()), pd.DataFrame(experiment.points())
    judged = judge(point_effects(runs, members, chosen.findings), chosen.findings)
    variables = {g.index: [Variable(f.path, f.label, f.unit, f.integer) for f in g.factors]
                 for g in experiment.groups}
    horizons = {g.index: g.horizon for g in experiment.groups}
    table = robustness_table(judged, chosen.findings, points, variables, experiment.settings.replications, horizons)
    per_point = runs_frame(judged, points)
    out.mkdir(parents=True, exist_ok=True)
    csv, parquet = out / "robustness.csv", out / "robustness_runs.parquet"
    write_atomically(csv, lambda path: table.to_csv(path, index=False))
    write_atomically(parquet, lambda path: per_point.to_parquet(path, index=False))
    return Outcome(table, per_point, outcome.ran, outcome.reused, outcome.wall_seconds, (csv, parquet))


def _robustness(args: argparse.Namespace) -> int:
    from cbecsim.cli import InputError, _executor, _output_folder

    references = [args.resolve(reference) for reference in args.files]
    chosen = plan(references, args.points, args.reps, args.max_runs, metrics=args.metrics)
    out = _output_folder(args, Path("results") / chosen.name)
    if (out / "robustness").exists() and not (out / "robustness").is_dir():
        raise InputError(f"{out / 'robustness'}: --out: is a file, not a folder")
    args.manifest = out / "robustness" / "manifest.json"
    executor = _executor(args) or LocalExecutor(args.workers)
    outcome = run_and_tell(chosen, out, executor, args.quiet)
    print(f"results in {out}/: {', '.join(path.name for path in outcome.files)}")
    print(report_lines(chosen, outcome, out))
    return 0


def run_and_tell(chosen: Plan, out: Path, executor: Executor, quiet: bool) -> Outcome:
    """Run the experiment, with its notes (groups skipped, assumptions held) on stderr."""
    experiment = chosen.experiment
    if not quiet:
        print(f"robustness: {experiment.runs:,} runs ({experiment.settings.points} points + the nominal one, "
              f"{experiment.settings.replications} replications)", file=sys.stderr)
        for baseline, why in experiment.skipped:
            print(f"cbecsim: note: {baseline} is not tested: {why}", file=sys.stderr)
        for group in experiment.groups:
            for path, why in group.held:
                print(f"cbecsim: note: {group.baseline}: {path} held at its scenario value ({why})", file=sys.stderr)
    return run_robustness(chosen, out, executor, progress=not quiet, info={"command": ["cbecsim", *sys.argv[1:]]})


def report_lines(chosen: Plan, outcome: Outcome, out: Path) -> str:
    experiment = chosen.experiment
    return (f"{experiment.runs} runs ({outcome.ran} computed, {outcome.reused} reused from {out}/robustness/runs) in "
            f"{outcome.wall_seconds:.1f} s; {experiment.settings.points} points, "
            f"{experiment.settings.replications} replications, seed {experiment.seed}\n\n"
            f"{summary_lines(outcome.table)}")


def summary_lines(table: pd.DataFrame) -> str:
    """The terminal table: finding, share of points where it holds, effect spread, label, condition."""
    lines = [("scenario - baseline", "metric", "holds", "effect median [5%, 95%]", "label", "condition")]
    for row in table.itertuples():
        unit = "pp" if row.unit == "share" else row.unit
        scale = 100 if row.unit == "share" else 1
        spread = f"{_number(row.effect_median * scale)} [{_number(row.effect_p5 * scale)}, " \
                 f"{_number(row.effect_p95 * scale)}] {unit}".rstrip()
        label = row.label if row.label == row.tentative_label else f"{row.label} ({row.tentative_label})"
        lines.append((f"{row.scenario} - {row.baseline}", row.metric, f"{row.share_holds:.0%}", spread, label,
                      row.condition))
    widths = [max(len(line[i]) for line in lines) for i in range(len(lines[0]))]
    return "\n".join("  ".join(cell.ljust(width) for cell, width in zip(line, widths)).rstrip() for line in lines)


def _number(value: float) -> str:
    return "nan" if math.isnan(value) else f"{value:+.3g}"
