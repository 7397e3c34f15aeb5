"""The `cbecsim` command: run, compare, study, validate, list.

Thin on purpose: it parses arguments, validates every input before creating the output
folder, calls `cbecsim.workflow.execute`, and prints where the results went with a short
table of headline metrics. Exit status: 0 done, 1 a run failed, 2 bad input, 130
interrupted (run the same command again to resume).
"""

from __future__ import annotations

import argparse
import math
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from cbecsim import calibrate, check, export
from cbecsim.cli_tools import ToolInputError, add_commands
from models import MODELS, get_spec
from scenarios import catalog
from scenarios.errors import ScenarioError
from scenarios.loader import Scenario, load_scenario
from scenarios.study import is_study_file, load_study
from sim.dask_executor import ClusterError, DaskExecutor
from sim.study import StudyFailed

PREFERRED = ("mean", "throughput", "p90")


class InputError(Exception):
    """A bad command-line input that is not inside a file."""


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return args.command(args)
    except (ScenarioError, InputError, ClusterError, ToolInputError) as error:
        print(f"cbecsim: error: {error}", file=sys.stderr)
        return 2
    except StudyFailed as error:
        print(f"cbecsim: error: {error}", file=sys.stderr)
        print(f"cbecsim: the failure and its traceback are in {args.manifest}; finished runs are kept", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("cbecsim: interrupted; run the same command again to resume", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into `head`: the results are written already
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silences the flush at exit
        return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cbecsim", description="Simulate cross-border e-commerce operations "
                                     "(bonded import, returns, international mail) and compare policy scenarios.")
    commands = parser.add_subparsers(metavar="COMMAND", required=True)

    def common(command: argparse.ArgumentParser, overrides: bool = True) -> None:
        command.add_argument("--reps", type=_positive, metavar="N", help="replications (default: from the file)")
        command.add_argument("--workers", type=_positive, metavar="N", help="worker processes (default: all cores)")
        command.add_argument("--executor", choices=("local", "dask"), help="where runs are computed: a local process "
                             "pool (default) or a Dask cluster (a local one of --workers processes, or --scheduler's)")
        command.add_argument("--scheduler", metavar="tcp://HOST:PORT",
                             help="run on the Dask cluster of this scheduler (implies --executor dask)")
        command.add_argument("--out", type=Path, metavar="DIR", help="output folder")
        command.add_argument("--quiet", action="store_true", help="no progress bar")
        if overrides:
            command.add_argument("--seed", type=_non_negative, metavar="S", help="root seed (default: from the file)")
            command.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
                                 help="override a value, e.g. params.stations.0.servers=3 (repeatable)")

    run = commands.add_parser("run", help="run one scenario")
    run.add_argument("scenario", metavar="SCENARIO", help="scenario file, or a built-in name like queue_network/example")
    common(run)
    run.add_argument("--events", action="store_true", help="also write the milestone log to events.parquet")
    run.set_defaults(command=_run)

    compare = commands.add_parser("compare", help="compare scenarios with a baseline (common random numbers)")
    compare.add_argument("baseline", metavar="BASELINE")
    compare.add_argument("others", nargs="+", metavar="OTHER")
    common(compare)
    compare.set_defaults(command=_compare)

    study = commands.add_parser("study", help="run a study file and write its report (default: the built-in "
                                "Tianjin pilots study)")
    study.add_argument("study", nargs="?", metavar="STUDY_FILE")
    common(study, overrides=False)
    study.add_argument("--no-report", dest="report", action="store_false", help="do not write report.html")
    study.set_defaults(command=_study)

    add_commands(commands, _positive, _non_negative, _path)
    for logs_command in (calibrate, check, export):  # observed event logs in and out
        logs_command.add_command(commands)

    validate = commands.add_parser("validate", help="check scenario and study files without running them")
    validate.add_argument("files", nargs="+", metavar="FILE")
    validate.set_defaults(command=_validate)

    listing = commands.add_parser("list", help="list models and built-in scenarios and studies")
    listing.set_defaults(command=_list)
    return parser


def _positive(text: str) -> int:
    value = _integer(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be >= 1, got {value}")
    return value


def _non_negative(text: str) -> int:
    value = _integer(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be >= 0, got {value}")
    return value


def _integer(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be an integer, got {text!r}") from None


def _path(reference: str) -> str:
    """A file path as given, or a built-in scenario/study named like queue_network/example."""
    if Path(reference).exists():
        return reference
    builtin = catalog.find(reference)
    return str(builtin) if builtin is not None else reference


def _run(args: argparse.Namespace) -> int:
    scenario = load_scenario(_path(args.scenario), args.overrides)
    out = _output_folder(args, Path("results") / scenario.name)
    return _execute(args, [scenario], [], args.reps or scenario.settings.replications,
                    scenario.settings.seed if args.seed is None else args.seed, out, events=args.events)


def _compare(args: argparse.Namespace) -> int:
    scenarios = [load_scenario(_path(ref), args.overrides) for ref in [args.baseline, *args.others]]
    seen: dict[str, Scenario] = {}
    for scenario in scenarios:
        if scenario.name in seen:
            raise ScenarioError(scenario.path or "", "name", f"scenario name {scenario.name!r} is also the name of "
                                f"{seen[scenario.name].path}; scenarios compared must have different names")
        seen[scenario.name] = scenario
    baseline = scenarios[0]
    out = _output_folder(args, Path("results") / f"{baseline.name}-compared")
    pairs = [(baseline.name, s.name) for s in scenarios[1:]]
    return _execute(args, scenarios, pairs, args.reps or baseline.settings.replications,
                    baseline.settings.seed if args.seed is None else args.seed, out)


def _study(args: argparse.Namespace) -> int:
    study = load_study(_study_path(args.study) if args.study else catalog.DEFAULT_STUDY)
    out = _output_folder(args, Path("results") / study.name)
    if not args.quiet:
        print(f"study {study.name!r}: {study.description}", file=sys.stderr)
    return _execute(args, list(study.scenarios), list(study.pairs), args.reps or study.replications, study.seed, out,
                    events=study.events, extra={"study": study.record()}, report=args.report)


def _study_path(reference: str) -> str:
    """A study file path, or a built-in study named with or without ``studies/``."""
    path = _path(reference)
    if not Path(path).exists():
        builtin = catalog.find(f"studies/{reference}")
        if builtin is not None:
            return str(builtin)
    return path


def _output_folder(args: argparse.Namespace, default: Path) -> Path:
    out: Path = args.out or default
    if out.exists() and not out.is_dir():
        raise InputError(f"{out}: --out: is a file, not a folder")
    args.manifest = out / "manifest.json"
    return out


def _execute(args: argparse.Namespace, scenarios: list[Scenario], pairs: list[tuple[str, str]], replications: int,
             seed: int, out: Path, events: bool | dict[str, float] = False, extra: dict | None = None,
             report: bool = False) -> int:
    from cbecsim.workflow import execute  # imported late: `cbecsim list` and errors stay fast

    executor = _executor(args)
    info = {"command": ["cbecsim", *sys.argv[1:]], **(extra or {}),
            "executor": {"kind": "local" if executor is None else "dask", "scheduler": args.scheduler}}
    outputs = execute(scenarios, replications, seed, out, pairs=pairs, workers=args.workers,
                      progress=not args.quiet, events=events, info=info, executor=executor)
    outcome = outputs.outcome
    print(f"results in {out}/: {', '.join(outputs.files)}")
    print(f"{len(outcome.keys)} runs ({outcome.ran} computed, {outcome.reused} reused from {out}/runs) "
          f"in {outcome.wall_seconds:.1f} s; {replications} replications, seed {seed}")
    print()
    if report:
        return _report_of(out)
    headline = _headline(scenarios, outputs.summary)
    print(_summary_table(outputs.summary, headline))
    if outputs.comparisons is not None and len(outputs.comparisons):
        print()
        print(_comparison_table(outputs.comparisons, headline))
    return 0


def _report_of(out: Path) -> int:
    """Write the report of `out` and print its headline findings."""
    from cbecsim.report import report

    written = report(out)
    clear = [finding for finding in written.findings if finding.direction in ("down", "up")]
    if clear:
        print("clear changes against the baseline (95% intervals):")
        baseline = None
        for finding in clear:
            if finding.baseline != baseline:
                baseline = finding.baseline
                print(f"\n  against {baseline}:")
            print(f"  - {finding.sentence}")
        rest = len(written.findings) - len(clear)
        print(f"  ({rest} more headline comparisons show no clear or a negligible change: see the report)\n" if rest else "")
    print(f"report: {written.path}  (figures/: {len(written.figures)} charts, tables/: {len(written.tables)} CSV files)")
    for problem in written.problems:
        print(f"cbecsim: warning: {problem}", file=sys.stderr)
    return 0


def _executor(args: argparse.Namespace) -> DaskExecutor | None:
    """The Dask executor asked for, or None for the local process pool."""
    kind = args.executor or ("dask" if args.scheduler else "local")
    if kind == "local":
        if args.scheduler:
            raise InputError("--scheduler: needs --executor dask (or no --executor)")
        return None
    if args.scheduler and args.workers:
        raise InputError("--workers: the workers of a running cluster are started with `dask worker`; "
                         "give --workers only without --scheduler")
    try:
        return DaskExecutor(args.workers, args.scheduler)
    except ValueError as error:
        raise InputError(f"--scheduler: {error}") from None


def _headline(scenarios: list[Scenario], summary: pd.DataFrame) -> list[str]:
    """The headline metrics of the models' specs, else system-level means and throughputs."""
    metrics = list(dict.fromkeys(summary["metric"]))
    chosen: list[str] = []
    for scenario in scenarios:
        declared = get_spec(scenario.model).headline
        candidates = declared or [m for m in metrics if m.startswith("system.") and any(p in m for p in PREFERRED)]
        chosen.extend(m for m in candidates if m in metrics and m not in chosen)
    return chosen or metrics[:4]


def _summary_table(summary: pd.DataFrame, metrics: list[str]) -> str:
    rows = summary[summary["metric"].isin(metrics)]
    lines = [("scenario", "metric", "mean", "95% CI", "n")]
    for row in rows.itertuples():
        lines.append((row.scenario, row.metric, _number(row.mean), f"[{_number(row.ci_low)}, {_number(row.ci_high)}]", str(row.n)))
    return _columns(lines)


def _comparison_table(comparisons: pd.DataFrame, metrics: list[str]) -> str:
    rows = comparisons[comparisons["metric"].isin(metrics)]
    lines = [("scenario - baseline", "metric", "difference", "95% CI", "change", "CRN var. reduction")]
    for row in rows.itertuples():
        lines.append((f"{row.scenario} - {row.baseline}", row.metric, _number(row.diff_mean),
                      f"[{_number(row.diff_ci_low)}, {_number(row.diff_ci_high)}]", _percent(row.rel_change),
                      _percent(row.variance_reduction)))
    return _columns(lines)


def _number(value: float) -> str:
    return "nan" if value is None or math.isnan(value) else f"{value:.4g}"


def _percent(value: float) -> str:
    return "" if value is None or math.isnan(value) else f"{100 * value:+.1f}%"


def _columns(lines: list[tuple[str, ...]]) -> str:
    widths = [max(len(line[i]) for line in lines) for i in range(len(lines[0]))]
    return "\n".join("  ".join(cell.ljust(width) for cell, width in zip(line, widths)).rstrip() for line in lines)


def _validate(args: argparse.Namespace) -> int:
    status = 0
    for reference in args.files:
        path = _path(reference)
        try:
            if is_study_file(path):
                study = load_study(path)
                print(f"OK {reference}: study {study.name!r}, {len(study.scenarios)} scenarios, "
                      f"{len(study.pairs)} comparisons, {study.replications} replications")
            else:
                scenario = load_scenario(path)
                print(f"OK {reference}: scenario {scenario.name!r}, model {scenario.model}, "
                      f"horizon {scenario.settings.horizon:g} h, {scenario.settings.replications} replications")
        except ScenarioError as error:
            print(f"cbecsim: error: {error}", file=sys.stderr)
            status = 2
    return status


def _list(args: argparse.Namespace) -> int:
    print("models:")
    for name in sorted(MODELS):
        try:
            summary = get_spec(name).summary
        except ImportError:
            summary = "(not available in this installation)"
        print(f"  {name:<16} {summary}")
    print(f"\nscenarios (cbecsim run NAME; files in {catalog.FOLDER}):")
    for entry in catalog.scenario_files():
        print(f"  {entry.key:<40} {entry.description}")
    print("\nstudies (cbecsim study NAME; without NAME, the default):")
    for entry in catalog.study_files():
        default = " (default)" if entry.path == catalog.DEFAULT_STUDY else ""
        print(f"  {entry.key + default:<40} {entry.description}")
    return 0
