"""The context one replication is built in: environment, streams, log, calendar, blocks.

A model's `build(context, params)` creates blocks in a `Context`; blocks register
themselves, so the context can check the wiring before t = 0, reset statistics at the end
of the warm-up, and count what each block holds for the conservation check.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Callable
from heapq import heappop, heappush
from typing import Any, Protocol

import simpy
from simpy.events import NORMAL, URGENT

from sim.calendar import DayCalendar
from sim.entity import Entity
from sim.log import MilestoneLog
from sim.monitors import TimeWeighted
from sim.streams import Streams


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

    # -- engine -----------------------------------------------------------------------
    @property
    def now(self) -> float:
        return self.env._now

    def next_id(self) -> int:
        self._next_id += 1
        return self._next_id

    def schedule(self, delay: float, callback: Callable[[Any], None], value: Any = None) -> None:
        """Call `callback(value)` after `delay` hours.

        The call goes on SimPy's event queue as the entry ``(time, priority, id, callback,
        value)``: one tuple instead of an event object per call, which matters at one per
        service completion. SimPy's own events keep their four-item entries in the same
        queue, in the same order; `_run_until` tells the two apart by length.
        """
        now = self.env._now
        heappush(self._queue, (now + delay, NORMAL, next(self._eid), callback, value))

    def at(self, time: float, callback: Callable[[Any], None], value: Any = None) -> None:
        """Call `callback(value)` at absolute time `time` (>= now)."""
        now = self.env._now
        # now + (time - now), as `env.schedule` computes it, so event times do not depend
        # on which of the two was used
        heappush(self._queue, (now + (time - now), NORMAL, next(self._eid), callback, value))

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

