"""``cbecsim export RESULTS_DIR --format ocel|csv [--out FILE]``: a stored milestone log
(``cbecsim run --events``) written for process-mining tools (pm4py, Celonis, Disco).

One scenario's replications (default: the first scenario, replication 0: one simulated
period, as a real system's log covers one) go into an OCEL 2.0 JSON file or a flat CSV
with `calibrate`'s default columns. Only the observation window's events are written
(after the warm-up, unless ``--with-warmup``): like a real log of a period, it starts with
work in progress, whose cases appear in part. Default output: ``RESULTS_DIR/events.<ext>``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path

from cbecsim.cli_tools import ToolInputError
from sim.store import write_atomically


def add_command(commands: argparse._SubParsersAction) -> None:
    command = commands.add_parser("export", help="write a results folder's milestone log as OCEL 2.0 JSON or a flat "
                                  "case/activity/timestamp CSV")
    command.add_argument("folder", type=Path, metavar="RESULTS_DIR")
    command.add_argument("--format", choices=("ocel", "csv"), default="ocel", help="output format (default ocel)")
    command.add_argument("--out", type=Path, metavar="FILE", help="file to write (default RESULTS_DIR/events.json "
                         "or events.csv)")
    command.add_argument("--scenario", metavar="NAME", help="scenario to export (default: the first)")
    command.add_argument("--replication", default="0", metavar="N|all",
                         help="replication to export, or all (default 0)")
    command.add_argument("--with-warmup", action="store_true",
                         help="also export the warm-up's events (default: the observation window only, as a real "
                              "system's log of that period would hold them, cases begun before it included in part)")
    command.set_defaults(command=run_export)


def run_export(args: argparse.Namespace) -> int:
    from analysis import export
    from analysis.results import Results, ResultsError
    from cbecsim.calibrate import model_calibration

    try:
        results = Results.open(args.folder)
    except ResultsError as error:
        raise ToolInputError(str(error)) from None
    if not results.has_events:
        raise ToolInputError(f"{args.folder}: no milestone log stored (run with --events)")
    name = args.scenario or next(iter(results.scenarios), None)
    if name not in results.scenarios:
        raise ToolInputError(f"--scenario: no scenario {name!r} in {args.folder} "
                             f"(there: {', '.join(results.scenarios)})")
    events = results.events(name)
    if events is None:
        raise ToolInputError(f"{args.folder}: no milestone log stored for scenario {name!r}")
    if args.replication != "all":
        if not args.replication.isdigit():
            raise ToolInputError(f"--replication: must be a number or all, got {args.replication!r}")
        events = events[events["replication"] == int(args.replication)]
        if events.empty:
            raise ToolInputError(f"--replication: scenario {name!r} has no replication {args.replication} stored")
    info = results.scenarios[name]
    if not args.with_warmup:
        events = events[events["time"] >= info.warmup]
    start = _start(info.resolved)
    try:
        calibration = model_calibration(info.model)
        case_object, resource_objects = calibration.case_object, calibration.resource_objects
    except ToolInputError:  # a model without a calibration map: its entities are plain cases
        case_object, resource_objects = "case", {}
    out: Path = args.out or args.folder / ("events.json" if args.format == "ocel" else "events.csv")
    if args.format == "csv":
        table = export.flat_log(events, start, resource_objects)
        write_atomically(out, lambda path: table.to_csv(path, index=False))
        print(f"{out}: {len(table)} events of {table['case_id'].nunique()} cases ({name}, replication "
              f"{args.replication})")
        return 0
    document = export.ocel(events, start, case_object, resource_objects)
    write_atomically(out, lambda path: Path(path).write_text(json.dumps(document), encoding="utf-8"))
    print(f"{out}: OCEL 2.0, {len(document['events'])} events, {len(document['objects'])} objects "
          f"({name}, replication {args.replication})")
    return 0


def _start(resolved: dict) -> dt.datetime:
    """The scenario's start date-time (the clock's zero), as the run used it."""
    start = (resolved.get("run") or {}).get("start")
    if start is None:
        from sim.run import RunSettings

        return RunSettings(horizon=1.0).start
    return dt.datetime.fromisoformat(str(start))
