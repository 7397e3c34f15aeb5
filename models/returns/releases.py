"""Released orders that returns arise from: a standalone stream, or a table.

A table of released orders chains this model to any source of releases, such as a
bonded-import run. It is a CSV or parquet file with one row per released order:

=================  ======================================================================
column             meaning
=================  ======================================================================
``order_id``       integer order number (logged with the return, for joining results)
``release_time_h`` release of the declaration list (export: the export release), hours
                   since the returns run's start; negative = before it
``region``         optional: consumer region (imports) or seller region (exports), a
                   name the model's parameters know
``value_yuan``     optional: order value
``items``          optional: items in the order (imports)
=================  ======================================================================

Optional columns may be missing or have empty cells (0 items): the model then draws the
value from its own distribution (region shares, item values), from the same streams as
the standalone stream, so a source that knows only which orders were released and when
is enough. `released_orders_from_events` builds such a table from a run's milestone log.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

REQUIRED_COLUMNS = ("order_id", "release_time_h")
OPTIONAL_COLUMNS = ("region", "value_yuan", "items")
#: region code of a row whose region is to be drawn
DRAW_REGION = -1


@dataclass(frozen=True, eq=False)
class ReleasedOrders:
    """A released-orders table as numpy columns, sorted by release time; region -1, value
    NaN and items 0 mean "draw it"."""

    order_id: np.ndarray
    release_time_h: np.ndarray
    region: np.ndarray
    value_yuan: np.ndarray
    items: np.ndarray

    def __len__(self) -> int:
        return len(self.release_time_h)

    def between(self, begin: float, end: float) -> slice:
        """Rows released in [begin, end)."""
        times = self.release_time_h
        return slice(int(np.searchsorted(times, begin, "left")), int(np.searchsorted(times, end, "left")))


def _columns_of(path: Path) -> list[str]:
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        return list(pq.read_schema(path).names)
    if path.suffix == ".csv":
        with path.open(encoding="utf-8") as handle:
            return [name.strip() for name in handle.readline().strip().split(",")]
    raise ValueError(f"{path}: a released-orders table must be a .csv or .parquet file")


def check_table(path: str) -> str | None:
    """Why the table at `path` cannot be used, or None when its file and columns are fine."""
    file = Path(path)
    if not file.is_file():
        return f"file {path!r} not found (relative paths are relative to the working directory)"
    try:
        columns = _columns_of(file)
    except (ValueError, OSError) as error:
        return str(error)
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        return f"{path}: missing column(s) {', '.join(missing)} (needs {', '.join(REQUIRED_COLUMNS)})"
    return None


def read_released_orders(path: str, known_regions: Mapping[str, int]) -> ReleasedOrders:
    """Read and check a released-orders table; region names must be in `known_regions`."""
    import pandas as pd

    problem = check_table(path)
    if problem:
        raise ValueError(problem)
    file = Path(path)
    frame = pd.read_parquet(file) if file.suffix == ".parquet" else pd.read_csv(file)
    frame = frame.sort_values("release_time_h", kind="stable")
    for name in REQUIRED_COLUMNS:
        if frame[name].isna().any():
            raise ValueError(f"{path}: column {name} has missing values")
    n = len(frame)
    region = np.full(n, DRAW_REGION, dtype=np.int64)
    if "region" in frame:
        given = frame["region"].notna().to_numpy()
        names = frame["region"][given].astype(str)
        unknown = sorted(set(names) - set(known_regions))
        if unknown:
            raise ValueError(f"{path}: unknown region(s) {', '.join(unknown)} (known: {', '.join(known_regions)})")
        region[given] = names.map(known_regions).to_numpy(np.int64)
    value = frame["value_yuan"].to_numpy(float) if "value_yuan" in frame else np.full(n, np.nan)
    if (value < 0).any():
        raise ValueError(f"{path}: column value_yuan has negative values")
    items = frame["items"].fillna(0).to_numpy(np.int64) if "items" in frame else np.zeros(n, np.int64)
    if (items < 0).any():
        raise ValueError(f"{path}: column items has negative values")
    return ReleasedOrders(
        order_id=frame["order_id"].to_numpy(np.int64),
        release_time_h=frame["release_time_h"].to_numpy(float),
        region=region,
        value_yuan=value,
        items=items,
    )


def released_orders_from_events(events: Any, release: str = "released",
                                 region_of: Callable[[np.ndarray], Sequence[str]] | Sequence[str] | None = None,
                                 value_of: Callable[[np.ndarray], np.ndarray] | None = None,
                                 shift_h: float = 0.0) -> Any:
    """A released-orders DataFrame from a run's milestone log (an `EventTable`).

    Every entity with a `release` milestone (the bonded model's ``"released"``: customs
    release of the declaration list) is a released order, released at that milestone's
    first time plus `shift_h` (hours from the returns run's start to the source run's
    start). Orders that never reached the milestone (seized, still in the zone) are not
    in the table, so they cannot be returned. Regions: `region_of(entity ids)` gives
    names; a sequence of names means the region's index is the release row's `resource`;
    None leaves the column empty (drawn by the returns model). Values: `value_of(entity
    ids)`, or empty.
    """
    import pandas as pd

    entities, times = events.times_of(release)
    resources = events.resource[events.milestone == events.names.index(release)] if len(entities) else np.empty(0)
    order = np.lexsort((times, entities))
    entities, times, resources = entities[order], times[order], resources[order]
    entities, first = np.unique(entities, return_index=True)
    times, resources = times[first], resources[first]
    if region_of is None:
        regions: Any = None
    elif callable(region_of):
        regions = np.asarray(region_of(entities), dtype=object)
    else:
        names = list(region_of)
        regions = np.array([names[r] if 0 <= r < len(names) else None for r in resources.tolist()], dtype=object)
    frame = pd.DataFrame({
        "order_id": entities.astype(np.int64),
        "release_time_h": times + shift_h,
        "region": regions,
        "value_yuan": np.asarray(value_of(entities), dtype=float) if value_of is not None else np.nan,
    })
    return frame.sort_values(["release_time_h", "order_id"], kind="stable").reset_index(drop=True)
