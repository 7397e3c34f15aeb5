"""The context one replication is built in: environment, streams, log, calendar, blocks.

A model's `build(context, params)` creates blocks in a `Context`; blocks register
themselves, so the context can check the wiring before t = 0, reset statistics at the end
of the warm-up, and count what each block holds for the conservation check.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Callable
from heapq import heapify, heappop, heappush
from typing import Any, Protocol

import simpy
from simpy.events import NORMAL, URGENT

from sim.calendar import DayCalendar
from sim.entity import Entity
from sim.log import MilestoneLog
from sim.monitors import TimeWeighted
from sim.streams import Streams

#: width in hours of the slots in which calls due later wait off the event queue (see
#: `Context._park`); a power of two, so that slot boundaries are exact
SLOT_HOURS = 0.25
#: slots per hour: the slot of a time t >= 0 is int(t * SLOTS_PER_HOUR), exactly its floor
#: (scaling by a power of two is exact), which is cheaper to compute than t // SLOT_HOURS
SLOTS_PER_HOUR = 1.0 / SLOT_HOURS


class WiringError(ValueError):
    """A block output left unconnected, found before the run starts."""


class ConservationError(RuntimeError):
    """Entities created != finished + in system + dropped at the end of a run."""


class Block(Protocol):
    name: str
    held: int

    def put(self, entity: Entity) -> None: ...

    def outputs(self) -> dict[str, Any]: ...


class _StopMarker:
    """What `simpy.Environment` needs of an event, for the end-of-run marker."""

    __slots__ = ("callbacks",)
    _ok = True

    def __init__(self) -> None:
        self.callbacks: list[Any] = []


class Context:
    def __init__(
        self,
        streams: Streams,
        horizon: float,
        warmup: float = 0.0,
        start: dt.datetime = dt.datetime(2025, 1, 6),
        calendar: DayCalendar | None = None,
        log: bool = True,
    ) -> None:
        if not 0 <= warmup < horizon:
            raise ValueError(f"need 0 <= warmup < horizon, got warmup={warmup}, horizon={horizon}")
        self.env = simpy.Environment()
        self.streams = streams
        self.horizon = horizon
        self.warmup = warmup
        self.calendar = calendar or DayCalendar(start)
        self.log: MilestoneLog | None = MilestoneLog() if log else None
        self.blocks: list[Any] = []
        self.created = 0
        self.finished = 0
        self.dropped: dict[str, int] = {}
        #: entities (by weight) in the system, time-weighted
        self.wip = TimeWeighted()
        self._resets: list[Callable[[float], None]] = [self.wip.reset]
        self._closes: list[Callable[[float], None]] = [self.wip.close]
        self._next_id = 0
        #: counts at the end of the warm-up, so that window counts can be told apart
        self.created_before_window = 0
        self.finished_before_window = 0
        # SimPy's event queue and event counter, pushed to directly on the hot path: an
        # entry is (time, priority, event id, event) exactly as `env.schedule` makes it.
        self._queue = self.env._queue
        self._eid = self.env._eid
        # Calls due in a later slot wait off the queue (see `_park`): calls due before
        # `_near` go straight onto the heap; `_slots` holds the parked calls by slot,
        # `_waiting` their slots (a heap), `_announced` the slots whose release is queued.
        self._near = 0.0
        self._park_until = horizon
        self._slots: dict[int, list[tuple[Any, ...]]] = {}
        self._waiting: list[int] = []
        self._announced: set[int] = set()
        self._beyond: list[tuple[Any, ...]] = []

    # -- engine -----------------------------------------------------------------------
    @property
    def now(self) -> float:
        return self.env._now

    def next_id(self) -> int:
        self._next_id += 1
        return self._next_id

    def next_ids(self, count: int) -> range:
        """`count` consecutive fresh ids, as `count` calls of `next_id` would give them (for
        a model that makes entities by the thousand)."""
        first = self._next_id + 1
        self._next_id += count
        return range(first, first + count)

    def schedule(self, delay: float, callback: Callable[[Any], None], value: Any = None) -> None:
        """Call `callback(value)` after `delay` hours.

        The call goes on SimPy's event queue as the entry ``(time, priority, id, callback,
        value)``: one tuple instead of an event object per call, which matters at one per
        service completion. SimPy's own events keep their four-item entries in the same
        queue, in the same order; `_run_until` tells the two apart by length. A call due
        in a later slot is parked off the queue until its slot begins (`_park`).
        """
        time = self.env._now + delay
        if time < self._near:
            heappush(self._queue, (time, NORMAL, next(self._eid), callback, value))
        elif time < self._park_until and (calls := self._slots.get(int(time * SLOTS_PER_HOUR))) is not None:
            calls.append((time, NORMAL, next(self._eid), callback, value))  # `_park`, written out
        else:
            self._park((time, NORMAL, next(self._eid), callback, value))

    def at(self, time: float, callback: Callable[[Any], None], value: Any = None) -> None:
        """Call `callback(value)` at absolute time `time` (>= now).

        The call is scheduled after `time - now` hours, so its time is computed as
        now + (time - now), as SimPy's `env.schedule` would: event times do not depend
        on which of the two methods was used."""
        self.schedule(time - self.env._now, callback, value)

    def _park(self, entry: tuple[Any, ...]) -> None:
        """Keep a call due in a later slot (of `SLOT_HOURS`) off the event queue until the
        slot begins; then `_release` pushes the slot's calls onto the queue.

        Why: a model with long delays (days of transit, a month between planning and
        arrival, shift changes for the whole horizon) keeps tens of thousands of calls
        pending, and every pop from a heap that deep costs more comparisons and, mostly,
        cache misses. A parked call keeps the entry (time, priority, id) it would have had,
        and its slot's release comes out of the queue before it (at the slot's start,
        URGENT before NORMAL), so calls run in exactly the order they would have run in
        without parking. Only the earliest slot's release needs to be on the queue (each
        release queues the next one's), so releases do not crowd the queue either. They
        take no event ids (theirs are negative): event counts do not change.
        """
        time = entry[0]
        if not time < self._park_until:  # never runs: the run stops at the horizon first
            self._beyond.append(entry)
            return
        slot = int(time * SLOTS_PER_HOUR)
        calls = self._slots.get(slot)
        if calls is not None:
            calls.append(entry)
            return
        if slot * SLOT_HOURS <= self.env._now:  # the slot has begun, with nothing parked in it
            self._near = (slot + 1) * SLOT_HOURS
            heappush(self._queue, entry)
            return
        self._slots[slot] = [entry]
        heappush(self._waiting, slot)
        if self._waiting[0] == slot:  # the earliest slot now: its release goes on the queue
            self._announce(slot)

    def _announce(self, slot: int) -> None:
        self._announced.add(slot)
        # slot * SLOT_HOURS is exact (SLOT_HOURS is a power of two): the slot's first instant
        heappush(self._queue, (slot * SLOT_HOURS, URGENT, -1 - slot, self._release, slot))

    def _release(self, slot: int) -> None:
        """Queue the calls of `slot` (the earliest slot: releases come out in time order)
        and announce the next slot's release."""
        queue = self._queue
        for entry in self._slots.pop(slot):
            heappush(queue, entry)
        heappop(self._waiting)
        self._announced.discard(slot)
        near = (slot + 1) * SLOT_HOURS
        if near > self._near:
            self._near = near
        if self._waiting and self._waiting[0] not in self._announced:
            self._announce(self._waiting[0])

    def _unpark(self) -> None:
        """Put every parked call back on the event queue and park nothing from now on:
        after a run the queue holds every pending call, as it would without parking."""
        queue = self._queue
        queue[:] = [entry for entry in queue if not (len(entry) == 5 and entry[2] < 0)]  # releases
        for calls in self._slots.values():
            queue.extend(calls)
        queue.extend(self._beyond)
        heapify(queue)
        self._slots.clear()
        self._waiting.clear()
        self._announced.clear()
        self._beyond.clear()
        self._near = self._park_until = float("inf")

    # -- registration -----------------------------------------------------------------
    def register(self, block: Any) -> None:
        if any(other.name == block.name for other in self.blocks):
            raise WiringError(f"two blocks are named {block.name!r}")
        self.blocks.append(block)

    def block(self, name: str) -> Any:
        for block in self.blocks:
            if block.name == name:
                return block
        raise KeyError(name)

    def on_reset(self, reset: Callable[[float], None], close: Callable[[float], None] | None = None) -> None:
        """Register a statistic's reset (end of warm-up) and close (horizon) hooks."""
        self._resets.append(reset)
        if close is not None:
            self._closes.append(close)

    def milestone(self, name: str | None) -> int | None:
        """The log code of milestone `name`, or None when there is no log or no name."""
        if self.log is None or name is None:
            return None
        return self.log.code(name)

    # -- entity accounting ------------------------------------------------------------
    def entered(self, entity: Entity) -> None:
        weight = entity.weight
        self.created += weight
        # `self.wip.add(now, weight)`, inlined: this runs once per entity
        wip = self.wip
        now = self.env._now
        wip.area += wip.value * (now - wip.last)
        wip.last = now
        wip.value += weight
        if wip.value > wip.maximum:
            wip.maximum = wip.value

    def left(self, entity: Entity) -> None:
        weight = entity.weight
        self.finished += weight
        wip = self.wip  # `self.wip.add(now, -weight)`, inlined
        now = self.env._now
        wip.area += wip.value * (now - wip.last)
        wip.last = now
        wip.value -= weight

    def drop(self, entity: Entity, reason: str) -> None:
        self.dropped[reason] = self.dropped.get(reason, 0) + entity.weight
        self.wip.add(self.env._now, -entity.weight)

    # -- running ----------------------------------------------------------------------
    def check_wiring(self) -> None:
        for block in self.blocks:
            for output, target in block.outputs().items():
                if target is None:
                    raise WiringError(f"block {block.name!r}: output {output!r} is not connected")
                if not hasattr(target, "put"):
                    raise WiringError(f"block {block.name!r}: output {output!r} is not a block")

    def run(self) -> None:
        """Check wiring, start the blocks, run to the horizon, close the statistics."""
        self.check_wiring()
        for block in self.blocks:
            start = getattr(block, "start", None)
            if start is not None:
                start()
        if self.warmup > 0:
            self.at(self.warmup, self._end_warmup)
        # The cyclic garbage collector is paused while the clock runs: a run allocates
        # millions of short-lived objects (entities, heap entries), none of them in
        # reference cycles (they are freed by reference counting), and the collector's full
        # passes over the growing set of live entities cost a third of a large run's time
        # while reclaiming nothing. It is switched back on however the run ends.
        collecting = gc.isenabled()
        gc.disable()
        try:
            self._run_until(self.horizon)
        finally:
            self._unpark()
            if collecting:
                gc.enable()
        for close in self._closes:
            close(self.horizon)

    def _run_until(self, until: float) -> None:
        """`env.run(until=until)` without a method call per event.

        The loop is `simpy.Environment.step` inlined, with SimPy's own stop rule: a marker
        scheduled URGENT at `until` before the run starts comes out of the queue before
        any ordinary event at `until`. Failed SimPy events (a process that raised) stop
        the run with their exception, as in SimPy.
        """
        env = self.env
        stop = _StopMarker()
        env.schedule(stop, URGENT, until - env._now)  # type: ignore[arg-type]
        queue = self._queue
        while True:
            entry = heappop(queue)
            env._now = entry[0]
            event = entry[3]
            if len(entry) == 5:  # a call from `schedule` / `at`
                event(entry[4])
                continue
            if event is stop:
                return
            callbacks, event.callbacks = event.callbacks, None
            for callback in callbacks:
                callback(event)
            if not event._ok and not hasattr(event, "_defused"):
                error = type(event._value)(*event._value.args)
                error.__cause__ = event._value
                raise error

    def _end_warmup(self, _: Any) -> None:
        now = self.env._now
        self.created_before_window = self.created
        self.finished_before_window = self.finished
        for reset in self._resets:
            reset(now)

    def in_system(self) -> int:
        """Entities held by blocks, counted block by block (independent of the counters)."""
        return sum(block.held for block in self.blocks)

    def check_conservation(self) -> None:
        held = self.in_system()
        dropped = sum(self.dropped.values())
        if self.created != self.finished + held + dropped:
            raise ConservationError(
                f"created {self.created} != finished {self.finished} + in system {held} + dropped {dropped}"
            )

