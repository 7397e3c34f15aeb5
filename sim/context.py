"""The context one replication is built in: environment, streams, log, calendar, blocks.

A model's `build(context, params)` creates blocks in a `Context`; blocks register
themselves, so the context can check the wiring before t = 0, reset statistics at the end
of the warm-up, and count what each block holds for the conservation check.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, Protocol

import simpy
from simpy.events import NORMAL

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


class _Wakeup:
    """The least an object needs for `simpy.Environment.step` to process it: cheaper to
    make than a `Timeout`, which matters at one per service completion."""

    __slots__ = ("callbacks", "_ok", "_value")

    def __init__(self, callback: Callable[[Any], None], value: Any) -> None:
        self.callbacks = [callback]
        self._ok = True
        self._value = value


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
        self._schedule = self.env.schedule

    # -- engine -----------------------------------------------------------------------
    @property
    def now(self) -> float:
        return self.env._now

    def next_id(self) -> int:
        self._next_id += 1
        return self._next_id

    def schedule(self, delay: float, callback: Callable[[Any], None], value: Any = None) -> None:
        """Call `callback(wakeup)` after `delay` hours; `wakeup._value` is `value`."""
        self._schedule(_Wakeup(callback, value), NORMAL, delay)

    def at(self, time: float, callback: Callable[[Any], None], value: Any = None) -> None:
        """Call `callback` at absolute time `time` (>= now)."""
        self._schedule(_Wakeup(callback, value), NORMAL, time - self.env._now)

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
        self.created += entity.weight
        self.wip.add(self.env._now, entity.weight)

    def left(self, entity: Entity) -> None:
        self.finished += entity.weight
        self.wip.add(self.env._now, -entity.weight)

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
        self.env.run(until=self.horizon)
        for close in self._closes:
            close(self.horizon)

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
