"""The milestone log: (entity, milestone, time[, resource]) rows in compact columns.

Rows go into typed `array.array` columns: 8 + 2 + 8 + 4 = 22 bytes a row, against
~120 bytes for a tuple in a list. Milestone names are interned to small integer codes
when a block is built, so the hot path appends numbers only.

Most rows name no resource, so the resource column is filled lazily: it is padded with
`NO_RESOURCE` when a row with a resource arrives or when the column is read, which
saves one append on almost every row.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass

import numpy as np

NO_RESOURCE = -1


class MilestoneLog:
    def __init__(self) -> None:
        self.entity = array("q")
        self.milestone = array("H")
        self.time = array("d")
        self._resource = array("i")  # may be shorter than the other columns; see `resource`
        self.names: list[str] = []
        self._codes: dict[str, int] = {}

    def code(self, name: str) -> int:
        """The integer code of milestone `name` (registered on first use)."""
        code = self._codes.get(name)
        if code is None:
            if len(self.names) >= 65535:
                raise ValueError("more than 65,535 milestone names")
            code = self._codes[name] = len(self.names)
            self.names.append(name)
        return code

    def record(self, entity_id: int, code: int, time: float, resource: int = NO_RESOURCE) -> None:
        self.entity.append(entity_id)
        self.milestone.append(code)
        self.time.append(time)
        if resource != NO_RESOURCE:
            self._pad_resources(len(self.time) - 1)
            self._resource.append(resource)

    def _pad_resources(self, rows: int) -> None:
        missing = rows - len(self._resource)
        if missing > 0:
            self._resource.extend(array("i", [NO_RESOURCE]) * missing)

    @property
    def resource(self) -> array:
        """The resource column, one entry a row (`NO_RESOURCE` where none was given)."""
        self._pad_resources(len(self.time))
        return self._resource

    def __len__(self) -> int:
        return len(self.time)

    @property
    def nbytes(self) -> int:
        """Bytes held by the row data (the columns' item sizes times rows)."""
        return sum(column.itemsize * len(column) for column in (self.entity, self.milestone, self.time, self.resource))

    def table(self) -> EventTable:
        """An immutable copy as numpy columns."""
        return EventTable(
            entity=np.frombuffer(self.entity, dtype=np.int64).copy(),
            milestone=np.frombuffer(self.milestone, dtype=np.uint16).copy(),
            time=np.frombuffer(self.time, dtype=np.float64).copy(),
            resource=np.frombuffer(self.resource, dtype=np.int32).copy(),
            names=tuple(self.names),
        )


@dataclass(frozen=True, eq=False)
class EventTable:
    """A finished run's milestone log (columns as numpy arrays; `names[code]` is the milestone)."""

    entity: np.ndarray
    milestone: np.ndarray
    time: np.ndarray
    resource: np.ndarray
    names: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.time)

    def times_of(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """(entity ids, times) of every row of milestone `name`."""
        if name not in self.names:
            return np.empty(0, dtype=np.int64), np.empty(0)
        mask = self.milestone == self.names.index(name)
        return self.entity[mask], self.time[mask]
