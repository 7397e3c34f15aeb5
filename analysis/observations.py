"""What a log shows about one `StageCalibration`: durations (completed and censored),
arrival times, branch counts.

Observed and simulated logs go through these same functions, so both are measured the
same way: a stage counts when its begin milestone falls at or after `since` (the
observation window), and a stage begun but not ended when the log stops is censored, not
dropped silently. Input: a frame with columns case, activity, time, sorted by case and
then time (events at the same time keep their logged order).
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def durations(events: pd.DataFrame, begin: str, end: str, log_end: float,
              since: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """(completed durations, censored lower bounds) from each `begin` to the next `end` of
    the same case; a `begin` with no later `end` is censored at `log_end`."""
    case = events["case"].to_numpy()
    activity = events["activity"].to_numpy()
    time = events["time"].to_numpy(dtype=float)
    starts = np.flatnonzero(activity == begin)
    starts = starts[time[starts] >= since]
    ends = np.flatnonzero(activity == end)
    following = np.searchsorted(ends, starts, side="right")
    has_end = following < len(ends)
    matched = np.where(has_end, ends[np.minimum(following, len(ends) - 1)], 0)
    complete = has_end & (case[matched] == case[starts])
    finished = time[matched[complete]] - time[starts[complete]]
    censored = log_end - time[starts[~complete]]
    return finished, censored


def next_share(events: pd.DataFrame, begin: str, end: str, since: float = 0.0) -> tuple[int, int]:
    """(occurrences of `begin` followed in their case by `end`, occurrences of `begin`
    followed by anything). An occurrence that is its case's last event is undecided (the
    case was open when the log stopped) and left out, so models log their exits."""
    case = events["case"].to_numpy()
    activity = events["activity"].to_numpy()
    time = events["time"].to_numpy(dtype=float)
    at = np.flatnonzero((activity == begin) & (time >= since))
    at = at[at + 1 < len(case)]
    at = at[case[at + 1] == case[at]]
    return int(np.count_nonzero(activity[at + 1] == end)), len(at)


def arrival_times(events: pd.DataFrame, begin: str, end: str | None = None, since: float = 0.0) -> np.ndarray:
    """Times of `begin`, of cases whose next milestone is `end` when given."""
    activity = events["activity"].to_numpy()
    time = events["time"].to_numpy(dtype=float)
    at = np.flatnonzero((activity == begin) & (time >= since))
    if end is not None:
        case = events["case"].to_numpy()
        following = np.minimum(at + 1, len(activity) - 1)
        at = at[(following > at) & (case[following] == case[at]) & (activity[following] == end)]
    return time[at]


def case_totals(events: pd.DataFrame, final: set[str], since: float = 0.0) -> np.ndarray:
    """First to last event of each case whose last event is one of the `final` milestones
    (it finished) and whose first event is at or after `since`."""
    grouped = events.groupby("case", sort=False)
    first = grouped["time"].first()
    last = grouped["time"].last()
    done = grouped["activity"].last().isin(final) & (first >= since)
    return (last - first)[done].to_numpy(dtype=float)


def batch_sizes(events: pd.DataFrame, milestone: str) -> np.ndarray:
    """Entities per batch: rows of `milestone` grouped by their resource (the batch's id)."""
    if "resource" not in events.columns:
        return np.empty(0)
    rows = events[(events["activity"] == milestone) & events["resource"].notna()]
    rows = rows[rows["resource"].astype(str) != ""]
    return rows.groupby(rows["resource"].astype(str), sort=False).size().to_numpy(dtype=float)
