"""The blocks an import return passes through, each doing one step's whole job.

About 600,000 returns a year each pass every block below once, so a step that would take
several pass-through blocks (a check, a KPI observer, a facility boundary) is one block:
every block is a Python call per return, and a call costs about as much as the work in
it. Each block keeps the counters the KPIs read and records the return (its id and the
time) in the `ImportLedger`, which computes sums and samples at the end.

- `Application`: the 30-day check on application, then the consumer's hand-over and the
  carrier's transit, one wait, ending at the return's facility.
- `FacilityArrival`: the arrival recorded (transit time and parcel cost count), the 45-day
  check, and entry into the facility (its backlog).
- `Reviewed`: customs accepted the return declaration (quota restored).
- `Refund`: the platform's refund (money, known at once), then the goods' outcome.
- `Shelved`: sellable goods back on a shelf: they leave the facility and the model.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Hashable, Sequence
from typing import Any

from models.returns.blocks import FacilityLoad
from models.returns.ledger import ImportLedger
from sim.context import Context
from sim.entity import Entity
from sim.flow import BlockBase, Drop, Switch


class _DeadlineCheck(BlockBase):
    """What both deadline checks keep: returns on time and late in the window, the late
    ones' ids (their value: `late_value`), and the drop that ends a late return."""

    def __init__(self, context: Context, name: str, ledger: ImportLedger, reason: str, late: str | None) -> None:
        super().__init__(context, name)
        self.ledger = ledger
        self.drop = Drop(context, f"{name}.late", reason, milestone=late)
        self.on_time = 0
        self.late = 0
        self.late_ids = array("q")
        context.on_reset(self._reset)

    def _reset(self, now: float) -> None:
        self.on_time = self.late = 0
        del self.late_ids[:]

    @property
    def late_value(self) -> float:
        return self.ledger.value_of(self.late_ids)

    def _reject(self, entity: Any) -> None:
        self.late += 1
        self.late_ids.append(entity.id)
        self.drop.put(entity)


class Application(_DeadlineCheck):
    """A return applied for: dropped as `late_application` (counted, with its value) when
    applied for after its deadline (`apply_by`); else the consumer hands the parcel to a
    carrier, which delivers it `carrier_h` hours (hand-over plus transit) after the
    application to the return's facility (`facility`, an index; see `connect`).

    Nothing between application and arrival uses a resource, so hand-over and transit are
    one wait (one event); the hand-over milestone is logged, with its time, when the wait
    starts (if it falls within the horizon)."""

    def __init__(self, context: Context, name: str, facilities: int, ledger: ImportLedger, *,
                 late: str | None = None, handed_over: str | None = None,
                 reaches: Sequence[int] | None = None) -> None:
        """`reaches`: the facilities its returns can go to, each to be connected (None: all)."""
        super().__init__(context, name, ledger, "late_application", late)
        self.facilities: list[Any] = [None] * facilities
        self.reaches = tuple(range(facilities)) if reaches is None else tuple(reaches)
        self._handed_over = context.milestone(handed_over)
        self._schedule = context.schedule
        self._deliver_call = self._deliver  # one bound method, not one per return

    def connect(self, facility: int, target: Any) -> Any:
        self.facilities[facility] = target
        return target

    def outputs(self) -> dict[str, Any]:
        return {f"facility {i}": self.facilities[i] for i in self.reaches}

    def put(self, entity: Any) -> None:
        context = self.context
        now = context.env._now
        if not now <= entity.apply_by:
            self._reject(entity)
            return
        self.on_time += 1
        if self._handed_over is not None:
            time = now + entity.handover_h
            if time <= context.horizon:
                context.log.record(entity.id, self._handed_over, time)  # type: ignore[union-attr]
        self.held += entity.weight
        self._schedule(entity.carrier_h, self._deliver_call, entity)

    def _deliver(self, entity: Any) -> None:
        self.held -= entity.weight
        self.facilities[entity.facility].put(entity)


class FacilityArrival(_DeadlineCheck):
    """A return reaching facility `index`: its arrival is recorded (late or not: its
    reverse transit and parcel cost count); it is sent on if it arrives by its 45-day
    deadline (`arrive_by`) and enters the facility, else dropped as `late_arrival`,
    counted with its value."""

    def __init__(self, context: Context, name: str, load: FacilityLoad, ledger: ImportLedger, *,
                 passed: str | None = None, late: str | None = None) -> None:
        super().__init__(context, name, ledger, "late_arrival", late)
        self.load = load
        self.index = load.index
        self._passed = context.milestone(passed)
        self._log = context.log
        self._env = context.env

    def put(self, entity: Any) -> None:
        now = self._env._now
        ledger = self.ledger
        ledger.arrival_ids.append(entity.id)
        ledger.arrival_times.append(now)
        ledger.arrival_facility.append(self.index)
        if not now <= entity.arrive_by:
            self._reject(entity)
            return
        self.on_time += 1
        log = self._log
        if self._passed is not None:
            log.record(entity.id, self._passed, now, self.index)  # type: ignore[union-attr]
        load = self.load
        entity.entered = now
        load.entries += 1
        backlog = load.backlog  # backlog.add(now, 1), written out: once per return
        backlog.area += backlog.value * (now - backlog.last)
        backlog.last = now
        backlog.value += 1
        if backlog.value > backlog.maximum:
            backlog.maximum = backlog.value
        if load._in is not None:
            log.record(entity.id, load._in, now, self.index)  # type: ignore[union-attr]
        self.target.put(entity)


class Reviewed(BlockBase):
    """Customs accepted the return declaration at facility `index`: the buyer's annual quota
    is restored (the review is recorded: its count and value, and the arrival-to-review
    time)."""

    def __init__(self, context: Context, name: str, index: int, ledger: ImportLedger,
                 milestone: str | None = None) -> None:
        super().__init__(context, name)
        self.index = index
        self.ledger = ledger
        self._milestone = context.milestone(milestone)
        self._log = context.log
        self._env = context.env

    def put(self, entity: Any) -> None:
        now = self._env._now
        ledger = self.ledger
        ledger.review_ids.append(entity.id)
        ledger.review_times.append(now)
        if self._milestone is not None:
            self._log.record(entity.id, self._milestone, now, self.index)  # type: ignore[union-attr]
        self.target.put(entity)


class Refund(Switch):
    """The platform refunds the buyer `refund_h` hours after inspection, and the goods go
    to the branch of their outcome (`key`).

    A refund is money, not goods, and uses no resource, so its time is known at once: the
    goods go on immediately. No event is scheduled: the inspection is recorded, and the
    ledger adds the refund lag (drawn in advance) to find the payment time; with a log,
    the milestone is logged with the payment time when it falls within the horizon."""

    def __init__(self, context: Context, name: str, ledger: ImportLedger, key: Callable[[Entity], Hashable],
                 branches: Sequence[Hashable], milestone: str | None = None) -> None:
        super().__init__(context, name, key, branches)
        self.ledger = ledger
        self._milestone = context.milestone(milestone)
        self._env = context.env
        self._horizon = context.horizon

    def put(self, entity: Any) -> None:
        now = self._env._now
        ledger = self.ledger
        ledger.inspected_ids.append(entity.id)
        ledger.inspected_times.append(now)
        if self._milestone is not None:
            paid = now + entity.refund_h
            if paid <= self._horizon:
                self.context.log.record(entity.id, self._milestone, paid)  # type: ignore[union-attr]
        self.branches[self.key(entity)].put(entity)


class Shelved(BlockBase):
    """Sellable goods back on a shelf at facility `index`: the return is recorded (for the
    arrival-to-shelf time), leaves the facility (its backlog and time inside) and ends
    there, restocked (`completed` counts the restocked returns of the window): it is the
    sink of the restocked returns, with no block after it."""

    def __init__(self, context: Context, name: str, load: FacilityLoad, ledger: ImportLedger,
                 milestone: str | None = None) -> None:
        super().__init__(context, name)
        self.load = load
        self.ledger = ledger
        self.index = load.index
        self.completed = 0
        self._milestone = context.milestone(milestone)
        self._log = context.log
        self._env = context.env
        self._left = context.left
        context.on_reset(self._reset)

    def _reset(self, now: float) -> None:
        self.completed = 0

    def outputs(self) -> dict[str, Any]:
        return {}

    def put(self, entity: Any) -> None:
        now = self._env._now
        ledger = self.ledger
        ledger.restock_ids.append(entity.id)
        ledger.restock_times.append(now)
        log = self._log
        if self._milestone is not None:
            log.record(entity.id, self._milestone, now, self.index)  # type: ignore[union-attr]
        load = self.load
        stay = now - entity.entered
        stays = load.stays  # stays.add(stay), written out
        stays.count += 1
        stays.total += stay
        stays.squares += stay * stay
        if load._out is not None:
            log.record(entity.id, load._out, now, self.index)  # type: ignore[union-attr]
        backlog = load.backlog  # backlog.add(now, -1), written out
        backlog.area += backlog.value * (now - backlog.last)
        backlog.last = now
        backlog.value -= 1
        self.completed += entity.weight
        self._left(entity)
