"""Small domain blocks of the returns model (same protocol as the kernel's blocks).

- `ReturnSource`: returns entering at the times their cohorts planned (release day by
  release day, including orders released before t = 0).
- `DeadlineCheck`: passes a return that meets a legal window; drops the others with a reason.
- `Tap`: a pass-through that calls an observer (KPI samples) and logs a milestone.
- `Carrier`: the consumer's hand-over and the carrier's transit, one wait.
- `Refund`: the platform's refund (money, known at once) while the goods move on.
- `FacilityEnter` / `FacilityLeave`: the boundary of a facility, for its backlog (WIP) and
  time in facility.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from sim.context import Context
from sim.entity import Batch, Entity
from sim.flow import Delay, Drop, BlockBase
from sim.log import NO_RESOURCE
from sim.monitors import Tally, TimeWeighted

#: release day -> (entities in order of entry, their entry times)
Plan = Callable[[int], tuple[Sequence[Entity], np.ndarray]]


class ReturnSource(BlockBase):
    """Entities made by `plan(day)` for each calendar day of release, entering at their times.

    `plan(day)` returns the entities of the orders released on `day` and their entry times
    (an entity's `born`), in order of entry and restricted to [0, horizon). Days before
    t = 0 are planned at t = 0, so a return decided before the start of the run (but
    entering after it) is not lost; each later day is planned at its midnight, which
    precedes every entry it plans.

    The `released` milestone is logged (at entry, with the past release time) with the
    order number as its resource, so that a return can be joined to the order it came from.

    Planned entries wait in per-day buckets and are put on the event queue at the midnight
    of their entry day: a return is planned up to a month ahead, and a month of pending
    entries on the queue would make every other event slower (a deeper heap).
    """

    def __init__(self, context: Context, name: str, plan: Plan, first_day: int,
                 released: str | None = None, entered: str | None = None) -> None:
        super().__init__(context, name)
        self.plan = plan
        self.first_day = first_day
        self._released = context.milestone(released)
        self._entered = context.milestone(entered)
        self._buckets: dict[int, list[Entity]] = {}
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
        for entity in self._buckets.pop(day, ()):
            at(entity.born, emit, entity)
        following = self.context.calendar.day_start(day + 1)
        if following < self.context.horizon:
            self.context.at(following, self._next_day, day + 1)

    def _plan(self, day: int) -> None:
        entities, times = self.plan(day)
        if not entities:
            return
        self.planned += len(entities)
        days = np.floor((np.asarray(times) + self.context.calendar.start_hour) / 24.0).astype(np.int64)
        splits = (np.flatnonzero(np.diff(days)) + 1).tolist()
        buckets = self._buckets
        for begin, end in zip([0, *splits], [*splits, len(entities)]):
            buckets.setdefault(int(days[begin]), []).extend(entities[begin:end])

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


class Refund(BlockBase):
    """The platform refunds the buyer `lag_of(entity)` hours after inspection.

    A refund is money, not goods, and uses no resource, so its time is known at once: the
    goods go on to re-shelving or disposal immediately, and `refunded(entity, paid)` is
    told the payment time when it falls within the horizon (no event is scheduled; the
    milestone is logged with the payment time)."""

    def __init__(self, context: Context, name: str, lag_of: Callable[[Entity], float],
                 refunded: Callable[[Entity, float], None], milestone: str | None = None) -> None:
        super().__init__(context, name)
        self.lag_of = lag_of
        self.refunded = refunded
        self._milestone = context.milestone(milestone)

    def put(self, entity: Entity) -> None:
        context = self.context
        paid = context.env._now + self.lag_of(entity)
        if paid <= context.horizon:
            self.refunded(entity, paid)
            if self._milestone is not None:
                context.log.record(entity.id, self._milestone, paid)  # type: ignore[union-attr]
        self.target.put(entity)


def _carrier_time(entity: Entity) -> float:
    return entity.handover_h + entity.transit_h  # type: ignore[attr-defined]


class Carrier(Delay):
    """The consumer hands the parcel to a carrier `handover_h` hours after applying, and
    the carrier delivers it `transit_h` hours later. Nothing happens in between that
    uses a resource, so the two are one wait (one event); the hand-over milestone is
    logged, with its time, when the wait starts (if it falls within the horizon)."""

    def __init__(self, context: Context, name: str, handed_over: str | None = None) -> None:
        super().__init__(context, name, duration_of=_carrier_time)
        self._handed_over = context.milestone(handed_over)
        self._context_schedule = context.schedule

    def put(self, entity: Entity) -> None:
        context = self.context
        handover = entity.handover_h  # type: ignore[attr-defined]
        if self._handed_over is not None:
            time = context.env._now + handover
            if time <= context.horizon:
                context.log.record(entity.id, self._handed_over, time)  # type: ignore[union-attr]
        self.held += entity.weight
        self._context_schedule(handover + entity.transit_h, self._finish, entity)  # type: ignore[attr-defined]


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
