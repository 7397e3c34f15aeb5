"""Reading observed event logs: layouts, mapping files, and bad logs (one line naming the
row or column)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis.eventlog import EventLogError, LogLayout, read_event_log, read_layout

KNOWN = ["arrive", "desk.start", "desk.end", "leave"]

GOOD = """case_id,activity,timestamp
A-1,arrive,2025-03-01T08:00:00
A-1,desk.start,2025-03-01T08:30:00
B-7,arrive,2025-03-01T09:00:00
A-1,desk.end,2025-03-01T09:15:00
B-7,desk.start,2025-03-01T09:15:00
A-1,leave,2025-03-01T09:15:00
"""


def write(tmp_path: Path, text: str, name: str = "log.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_log_becomes_hours_since_its_first_midnight_with_case_codes(tmp_path: Path) -> None:
    log = read_event_log(write(tmp_path, GOOD), known=KNOWN)
    assert log.origin.isoformat() == "2025-03-01T00:00:00"
    assert log.cases == 2 and len(log) == 6
    first = log.events[log.events["case"] == log.events["case"].iloc[0]]
    assert first["activity"].tolist() == ["arrive", "desk.start", "desk.end", "leave"]
    assert first["time"].tolist() == [8.0, 8.5, 9.25, 9.25]
    assert log.end == 9.25
    # the log's case ids are gone: only integer codes remain
    assert log.events["case"].dtype.kind == "i"
    assert "A-1" not in log.events.to_csv()


def test_open_cases_are_kept_as_they_are(tmp_path: Path) -> None:
    log = read_event_log(write(tmp_path, GOOD), known=KNOWN)
    open_case = log.events.groupby("case")["activity"].last()
    assert sorted(open_case) == ["desk.start", "leave"]


def test_a_mapping_file_renames_columns_and_activities(tmp_path: Path) -> None:
    text = GOOD.replace("case_id,activity,timestamp", "Case ID,Event,When").replace("desk.start", "Desk opened")
    mapping = write(tmp_path, '[columns]\ncase = "Case ID"\nactivity = "Event"\ntimestamp = "When"\n'
                    '[activities]\n"Desk opened" = "desk.start"\n', "mapping.toml")
    log = read_event_log(write(tmp_path, text), read_layout(mapping), known=KNOWN)
    assert (log.events["activity"] == "desk.start").sum() == 2


def test_flags_override_the_default_columns(tmp_path: Path) -> None:
    text = GOOD.replace("timestamp", "ts")
    log = read_event_log(write(tmp_path, text), LogLayout().with_columns(timestamp="ts"), known=KNOWN)
    assert len(log) == 6


def test_zoned_times_keep_the_local_clock(tmp_path: Path) -> None:
    """Clock hours matter (profiles, timetables): Beijing times stay Beijing times, in a
    Parquet column with a zone as in ISO texts with an offset; another offset is converted."""
    frame = pd.read_csv(write(tmp_path, GOOD))
    frame["timestamp"] = pd.to_datetime(frame["timestamp"]).dt.tz_localize("Asia/Shanghai")
    path = tmp_path / "log.parquet"
    frame.to_parquet(path)
    log = read_event_log(path, known=KNOWN)
    assert (log.events["time"].min(), log.end) == (8.0, 9.25)
    text = GOOD.replace(":00\n", ":00+08:00\n").replace("2025-03-01T09:15:00+08:00\nB-7", "2025-03-01T01:15:00Z\nB-7")
    log = read_event_log(write(tmp_path, text), known=KNOWN)
    assert (log.events["time"].min(), log.end) == (8.0, 9.25)


@pytest.mark.parametrize(("text", "message"), [
    (GOOD.replace("activity", "step"), "column 'activity' (activity) missing"),
    (GOOD.replace("2025-03-01T09:00:00", "yesterday"), "row 4: column 'timestamp': cannot read 'yesterday'"),
    (GOOD.replace("A-1,desk.end,2025-03-01T09:15:00", "A-1,desk.end,2025-03-01T08:10:00"),
     "row 5: column 'timestamp': earlier than the case's previous event"),
    (GOOD.replace("B-7,desk.start", "B-7,desk.lunch"), "row 6: column 'activity': unknown activity 'desk.lunch'"),
    (GOOD.replace("B-7,arrive", ",arrive"), "row 4: column 'case_id': empty case id"),
    ("case_id,activity,timestamp\n", "the log has no events"),
])
def test_bad_logs_name_the_row_or_column(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(EventLogError, match=message.replace("(", r"\(").replace(")", r"\)")) as caught:
        read_event_log(write(tmp_path, text), known=KNOWN)
    assert "\n" not in str(caught.value)


def test_a_bad_mapping_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(EventLogError, match=r"mapping.toml: columns.case_number: unknown field"):
        read_layout(write(tmp_path, '[columns]\ncase_number = "id"\n', "mapping.toml"))
