"""Observed event logs in the process-mining layout: one row per event with a case id, an
activity and a timestamp, optionally a resource and a class (the layout pm4py, Disco and
Celonis read; van der Aalst, *Process Mining*, 2nd ed., 2016, ch. 5).

`read_event_log` checks the log and turns it into hours since the first midnight of the
log, with case ids replaced by integer codes at once: nothing downstream can write a case
id of the log anywhere. Bad logs stop with one `EventLogError` line naming the column or
the row (file row numbers count the header as row 1, as a spreadsheet shows them).
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.frozen import FrozenMapping

#: the column names `calibrate` expects by default and `export --format csv` writes
DEFAULT_COLUMNS = {"case": "case_id", "activity": "activity", "timestamp": "timestamp",
                   "resource": "resource", "class": "class"}
_REQUIRED = ("case", "activity", "timestamp")


class EventLogError(Exception):
    """A bad event log or mapping file (one line: file, row or column, reason)."""


@dataclass(frozen=True)
class LogLayout:
    """Where the log keeps each field, and how its activity names map to milestones.

    `columns` maps field (case, activity, timestamp, resource, class) to a column name;
    resource and class are optional. `activities` maps an activity name of the log to a
    model milestone (names not listed are taken as they are).
    """

    columns: Mapping[str, str] = field(default_factory=lambda: FrozenMapping(DEFAULT_COLUMNS))
    activities: Mapping[str, str] = field(default_factory=FrozenMapping)

    def with_columns(self, **names: str | None) -> LogLayout:
        """The layout with the given fields renamed (None: keep)."""
        chosen = {key: value for key, value in names.items() if value is not None}
        return replace(self, columns=FrozenMapping({**self.columns, **chosen}))


def read_layout(path: Path | str) -> LogLayout:
    """A mapping file: ``[columns]`` case/activity/timestamp/resource/class = column name,
    and ``[activities]`` log activity name = model milestone."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise EventLogError(f"{path}: cannot read the mapping file ({error.strerror})") from None
    except tomllib.TOMLDecodeError as error:
        raise EventLogError(f"{path}: not valid TOML ({error})") from None
    for key in data:
        if key not in ("columns", "activities"):
            raise EventLogError(f"{path}: {key}: unknown key (known: columns, activities)")
    columns = data.get("columns", {})
    for key, value in columns.items():
        if key not in DEFAULT_COLUMNS:
            raise EventLogError(f"{path}: columns.{key}: unknown field (known: {', '.join(DEFAULT_COLUMNS)})")
        if not isinstance(value, str):
            raise EventLogError(f"{path}: columns.{key}: must be a column name (text), got {value!r}")
    activities = data.get("activities", {})
    for key, value in activities.items():
        if not isinstance(value, str):
            raise EventLogError(f"{path}: activities.{key}: must be a milestone name (text), got {value!r}")
    return LogLayout(FrozenMapping({**DEFAULT_COLUMNS, **columns}), FrozenMapping(activities))


@dataclass(frozen=True, eq=False)
class EventLog:
    """A checked log. `events` has columns case (integer code, not the log's id), activity
    (the model's milestone name), time (hours since `origin`), resource and class (when
    the log has them), sorted by case then time; `end` is the last time of the log."""

    source: str
    events: pd.DataFrame
    origin: dt.datetime
    end: float

    @property
    def cases(self) -> int:
        return int(self.events["case"].nunique())

    def __len__(self) -> int:
        return len(self.events)


def read_event_log(path: Path | str, layout: LogLayout | None = None,
                   known: Collection[str] | None = None) -> EventLog:
    """Read a CSV or Parquet log; `known` (the model's milestones) rejects other activities."""
    layout = layout or LogLayout()
    path = Path(path)
    raw = _read_table(path)
    names = _columns(raw, path, layout)
    first_row = 2 if path.suffix.lower() != ".parquet" else 1  # file row of the frame's first row
    case = raw[names["case"]]
    if case.isna().any():
        raise EventLogError(f"{path}: row {int(np.argmax(case.isna().to_numpy())) + first_row}: "
                            f"column {names['case']!r}: empty case id")
    activity = raw[names["activity"]].astype(str).map(lambda name: layout.activities.get(name, name))
    if known is not None:
        unknown = ~activity.isin(list(known))
        if unknown.any():
            row = int(np.argmax(unknown.to_numpy()))
            raise EventLogError(f"{path}: row {row + first_row}: column {names['activity']!r}: unknown activity "
                                f"{raw[names['activity']].iloc[row]!r} (the model's milestones: {', '.join(known)}; "
                                "map other names in a mapping file's [activities])")
    stamps = _timestamps(raw[names["timestamp"]], path, names["timestamp"], first_row)
    origin = stamps.min().floor("D")
    hours = ((stamps - origin) / pd.Timedelta(hours=1)).to_numpy(dtype=float)
    codes, _ = pd.factorize(case, sort=False)
    events = pd.DataFrame({"case": codes.astype(np.int64), "activity": activity.to_numpy(dtype=object), "time": hours,
                           "row": np.arange(len(raw)) + first_row})
    for optional in ("resource", "class"):
        column = names.get(optional)
        if column is not None:
            events[optional] = raw[column].to_numpy()
    events = events.sort_values(["case", "row"], kind="stable")
    _check_order(events, path, names["timestamp"])
    events = events.sort_values(["case", "time"], kind="stable").drop(columns="row").reset_index(drop=True)
    return EventLog(path.name, events, origin.to_pydatetime().replace(tzinfo=None), float(hours.max()))


def _read_table(path: Path) -> pd.DataFrame:
    try:
        if path.suffix.lower() == ".parquet":
            frame = pd.read_parquet(path)
        else:
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    except FileNotFoundError:
        raise EventLogError(f"{path}: no such file") from None
    except (OSError, ValueError, pd.errors.ParserError) as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise EventLogError(f"{path}: cannot read the log ({first})") from None
    if frame.empty:
        raise EventLogError(f"{path}: the log has no events")
    return frame


def _columns(frame: pd.DataFrame, path: Path, layout: LogLayout) -> dict[str, str]:
    """Field -> column name, for the required fields and the optional ones present."""
    names: dict[str, str] = {}
    for key, column in layout.columns.items():
        if column in frame.columns:
            names[key] = column
        elif key in _REQUIRED:
            raise EventLogError(f"{path}: column {column!r} ({key}) missing; the log has {', '.join(map(str, frame.columns))} "
                                f"(name it with --{key}-column or a mapping file's [columns])")
    return names


def _timestamps(column: pd.Series, path: Path, name: str, first_row: int) -> pd.Series:
    """Times as the log's local clock: a UTC offset (or a zone) is dropped after converting
    every time to the offset of the log's first time, so that clock hours (profiles,
    timetables) read as they do at the office."""
    if pd.api.types.is_datetime64_any_dtype(column):
        stamps = column
    else:
        stamps = pd.to_datetime(column, errors="coerce", format="ISO8601", utc=_has_offsets(column))
    bad = stamps.isna()
    if bad.any():
        row = int(np.argmax(bad.to_numpy()))
        raise EventLogError(f"{path}: row {row + first_row}: column {name!r}: cannot read {column.iloc[row]!r} as a "
                            "time (ISO 8601 expected, e.g. 2025-03-01T08:15:00)")
    if getattr(stamps.dt, "tz", None) is not None:
        stamps = stamps.dt.tz_convert(_first_offset(column)).dt.tz_localize(None)
    return stamps


def _has_offsets(column: pd.Series) -> bool:
    """Whether the texts carry UTC offsets (then read them all as instants)."""
    sample = column.dropna().astype(str).head(100)
    return bool(sample.str.contains(r"(?:Z|[+-]\d\d:?\d\d)$", regex=True).any())


def _first_offset(column: pd.Series) -> Any:
    """The zone of a zoned column, or the fixed offset of the first text with one."""
    if pd.api.types.is_datetime64_any_dtype(column):
        return column.dt.tz
    first = pd.Timestamp(str(column.dropna().iloc[0]))
    return first.tz or "UTC"


def _check_order(events: pd.DataFrame, path: Path, name: str) -> None:
    """Within a case, file order must not go back in time (a log exported out of order
    would otherwise pair the wrong events silently)."""
    same_case = events["case"].to_numpy()[1:] == events["case"].to_numpy()[:-1]
    back = same_case & (np.diff(events["time"].to_numpy()) < 0)
    if back.any():
        row = int(events["row"].to_numpy()[1:][np.argmax(back)])
        raise EventLogError(f"{path}: row {row}: column {name!r}: earlier than the case's previous event "
                            "(timestamps out of order within a case)")
