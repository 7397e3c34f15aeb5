"""Small domain blocks of the returns model (same protocol as the kernel's blocks).

- `ReturnSource`: returns entering at the times their cohorts planned (release day by
  release day, including orders released before t = 0); a day's returns come as
  `PlannedReturns` (columns, made into entities on the day they enter).
- `DeadlineCheck`: passes a return that meets a legal window; drops the others with a reason.
- `Tap`: a pass-through that calls an observer (KPI samples) and logs a milestone.
- `FacilityLoad`, `FacilityEnter` / `FacilityLeave`: the boundary of a facility, for its
  backlog (WIP) and time in facility.

The steps every import return takes at a facility are blocks of their own, each doing a
step's whole job in one call (`import_blocks`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import repeat
from typing import Any

import numpy as np

from sim.context import Context
from sim.entity import Batch, Entity
from sim.flow import BlockBase, Drop
from sim.log import NO_RESOURCE
from sim.monitors import Tally, TimeWeighted


class Shared:
    """A column of `PlannedReturns` whose every row is the same object (`value`)."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value


class PlannedReturns:
    """Returns planned together (a release day's), kept as columns until they enter.

    `make(entity_id, time, *row)` makes one entity; `ids` are its entity ids (taken when
    planned), `times` the entry times (each entity's `born`), in order of entry; each of
    `columns` is a numpy array, a list, or a `Shared` object. `entities(begin, end)` makes
    the entities of rows [begin, end). They are made on the day they enter, not when
    planned: a return is planned up to a month ahead, and a month of returns as objects
    would be tens of thousands of idle objects among the live ones (memory and cache
    misses on every event); as columns they take a few bytes a value.
    """

    def __init__(self, make: Callable[..., Entity], ids: range, times: np.ndarray, columns: Sequence[Any]) -> None:
        self.make = make
        self.ids = ids
        self.times = times
        self.columns = columns

    def __len__(self) -> int:
        return len(self.times)

    def entities(self, begin: int, end: int) -> list[Entity]:
        rows = [repeat(column.value) if isinstance(column, Shared)
                else column[begin:end].tolist() if isinstance(column, np.ndarray) else column[begin:end]
                for column in self.columns]
        return list(map(self.make, self.ids[begin:end], self.times[begin:end].tolist(), *rows))


#: release day -> the returns of orders released that day (possibly none)
Plan = Callable[[int], PlannedReturns | None]


class ReturnSource(BlockBase):
    """Entities planned by `plan(day)` for each calendar day of release, entering at their times.

    `plan(day)` returns the returns of the orders released on `day` (`PlannedReturns`, in
    order of entry and restricted to [0, horizon)). Days before t = 0 are planned at t = 0,
    so a return decided before the start of the run (but entering after it) is not lost;
    each later day is planned at its midnight, which precedes every entry it plans.

    The `released` milestone is logged (at entry, with the past release time) with the
    order number as its resource, so that a return can be joined to the order it came from.

    Planned returns wait in per-day buckets (slices of their day's columns) and are made
    and put on the event queue at the midnight of their entry day: a return is planned up
    to a month ahead, and a month of pending entries on the queue would make every other
    event slower (a deeper heap).
    """

    def __init__(self, context: Context, name: str, plan: Plan, first_day: int,
                 released: str | None = None, entered: str | None = None) -> None:
        super().__init__(context, name)
        self.plan = plan
        self.first_day = first_day
        self._released = context.milestone(released)
        self._entered = context.milestone(entered)
        self._buckets: dict[int, list[tuple[PlannedReturns, int, int]]] = {}
        #: returns planned but not yet entered
        self.planned = 0
        #: returns entered in the observation window
        self.emitted = 0
        context.on_reset(self._reset)

    def _reset(self, now: float) -> None:
        self.emitted = 0

    def start(self) -> None:
        calendar = self.context.calendar
        today = calendar.day_index(0.0)
        for day in range(min(self.first_day, today), today):
            self._plan(day)
        self._day(today)

    def _next_day(self, value: Any) -> None:
        self._day(value)

    def _day(self, day: int) -> None:
        """Plan the releases of `day`, then queue the entries falling on it."""
        self._plan(day)
        at, emit = self.context.at, self._emit
        for planned, begin, end in self._buckets.pop(day, ()):
            for entity in planned.entities(begin, end):
                at(entity.born, emit, entity)
        following = self.context.calendar.day_start(day + 1)
        if following < self.context.horizon:
            self.context.at(following, self._next_day, day + 1)

    def _plan(self, day: int) -> None:
        planned = self.plan(day)
        if not planned:
            return
        self.planned += len(planned)
        days = np.floor((planned.times + self.context.calendar.start_hour) / 24.0).astype(np.int64)
        splits = (np.flatnonzero(np.diff(days)) + 1).tolist()
        buckets = self._buckets
        for begin, end in zip([0, *splits], [*splits, len(planned)]):
            buckets.setdefault(int(days[begin]), []).append((planned, begin, end))

    def _emit(self, entity: Any) -> None:
        context = self.context
        self.planned -= 1
        context.entered(entity)
        self.emitted += 1
        if self._entered is not None:
            log = context.log
            order = entity.order
            log.record(entity.id, self._released, entity.released,  # type: ignore[union-attr]
                       order if 0 <= order < 2**31 else NO_RESOURCE)
            log.record(entity.id, self._entered, context.env._now)  # type: ignore[union-attr]
        self.target.put(entity)


class DeadlineCheck(BlockBase):
    """Sends on a return whose `deadline_of(entity)` is not yet past (now <= deadline);
    drops the others with `reason`, counting them and their value (`value_of`).

    `observe(entity, now)` sees every return before the check (e.g. transit times)."""

    def __init__(self, context: Context, name: str, deadline_of: Callable[[Entity], float], reason: str, *,
                 value_of: Callable[[Entity], float], observe: Callable[[Entity, float], None] | None = None,
                 passed: str | None = None, late: str | None = None, resource: int = NO_RESOURCE) -> None:
        super().__init__(context, name)
        self.deadline_of = deadline_of
        self.value_of = value_of
        self.observe = observe
        self.reason = reason
        self.resource = resource
        self.drop = Drop(context, f"{name}.late", reason, milestone=late)
        self._passed = context.milestone(passed)
        self._env = context.env
        self.on_time = 0
        self.late = 0
        self.late_value = 0.0
        context.on_reset(self._reset)

    def _reset(self, now: float) -> None:
        self.on_time = self.late = 0
        self.late_value = 0.0

    def put(self, entity: Entity) -> None:
        now = self._env._now
        if self.observe is not None:
            self.observe(entity, now)
        if now <= self.deadline_of(entity):
            self.on_time += 1
            if self._passed is not None:
                self.context.log.record(entity.id, self._passed, now, self.resource)  # type: ignore[union-attr]
            self.target.put(entity)
        else:
            self.late += 1
            self.late_value += self.value_of(entity)
            self.drop.put(entity)


class Tap(BlockBase):
    """Calls `observe(entity, now)` (when given), logs `milestone`, and sends the entity on."""

    def __init__(self, context: Context, name: str, observe: Callable[[Entity, float], None] | None = None,
                 milestone: str | None = None, resource: int = NO_RESOURCE) -> None:
        super().__init__(context, name)
        self.observe = observe
        self.resource = resource
        self._milestone = context.milestone(milestone)
        self._env = context.env

    def put(self, entity: Entity) -> None:
        now = self._env._now
        if self.observe is not None:
            self.observe(entity, now)
        if self._milestone is not None:
            self.context.log.record(entity.id, self._milestone, now, self.resource)  # type: ignore[union-attr]
        self.target.put(entity)


class FacilityLoad:
    """Returns inside one facility: time-weighted backlog, entries, and times in facility."""

    def __init__(self, context: Context, name: str, index: int) -> None:
        self.name = name
        self.index = index
        self.backlog = TimeWeighted()
        self.entries = 0
        self.stays = Tally()
        self._log = context.log
        self._in = context.milestone("facility_in")
        self._out = context.milestone("facility_out")
        context.on_reset(self._reset, self.backlog.close)

    def _reset(self, now: float) -> None:
        self.backlog.reset(now)
        self.entries = 0
        self.stays.reset()


class FacilityEnter(BlockBase):
    def __init__(self, context: Context, name: str, load: FacilityLoad) -> None:
        super().__init__(context, name)
        self.load = load
        self._env = context.env

    def put(self, entity: Entity) -> None:
        now = self._env._now
        load = self.load
        entity.entered = now  # type: ignore[attr-defined]
        load.entries += 1
        load.backlog.add(now, 1)
        if load._in is not None:
            load._log.record(entity.id, load._in, now, load.index)  # type: ignore[union-attr]
        self.target.put(entity)


class FacilityLeave(BlockBase):
    """Marks the members of a batch (a departing line-haul truck) or a single return as gone."""

    def __init__(self, context: Context, name: str, load: FacilityLoad) -> None:
        super().__init__(context, name)
        self.load = load
        self._env = context.env

    def put(self, entity: Entity) -> None:
        now = self._env._now
        load = self.load
        members = entity.members if isinstance(entity, Batch) else (entity,)
        for member in members:
            load.stays.add(now - member.entered)  # type: ignore[attr-defined]
            if load._out is not None:
                load._log.record(member.id, load._out, now, load.index)  # type: ignore[union-attr]
        load.backlog.add(now, -len(members))
        self.target.put(entity)
