"""Blocks that move, branch, split, join and end entities.

- `Delay`: an infinite-server time (transit, data latency, a consumer deciding).
- `Router`: probabilistic branching; `Switch`: branching on an attribute.
- `Split` / `Join`: an entity sends out parts and waits in the `Join` until every part
  is back (three documents of an order; the parcels of an order).
- `Sink`: the normal end; `Drop`: the end with a reason (seized, abandoned, late).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Any

from sim.context import Context
from sim.entity import Entity
from sim.monitors import Tally


class BlockBase:
    """What every block has: a name registered in the context, what it holds (for the
    conservation check) and one output, `target`. Models derive their own blocks from it."""

    def __init__(self, context: Context, name: str) -> None:
        self.context = context
        self.name = name
        self.held = 0
        self.target: Any = None
        context.register(self)

    def to(self, target: Any) -> Any:
        self.target = target
        return target

    def outputs(self) -> dict[str, Any]:
        return {"out": self.target}


class Delay(BlockBase):
    """Holds each entity for `duration()` hours (or `duration_of(entity)`), all in parallel."""

    def __init__(self, context: Context, name: str, duration: Callable[[], float] | None = None, *,
                 duration_of: Callable[[Entity], float] | None = None, end: str | None = None) -> None:
        super().__init__(context, name)
        if (duration is None) == (duration_of is None):
            raise ValueError(f"delay {name!r}: give exactly one of duration and duration_of")
        self._duration = duration
        self._duration_of = duration_of
        self._end = context.milestone(end)
        self._schedule = context.schedule
        self._log = context.log
        self._env = context.env
        #: `self._finish` bound once: a call is scheduled per entity
        self._finish_call = self._finish

    def put(self, entity: Entity) -> None:
        self.held += entity.weight
        duration = self._duration() if self._duration is not None else self._duration_of(entity)  # type: ignore[misc]
        self._schedule(duration, self._finish_call, entity)

    def _finish(self, entity: Entity) -> None:
        self.held -= entity.weight
        if self._end is not None:
            self._log.record(entity.id, self._end, self._env._now)  # type: ignore[union-attr]
        self.target.put(entity)


class Router(BlockBase):
    """Sends each entity to branch i with probability `probabilities[i]`; the remaining
    probability goes to `otherwise` (e.g. leaving the network)."""

    def __init__(self, context: Context, name: str, probabilities: Sequence[float], stream: str | None = None) -> None:
        super().__init__(context, name)
        if any(p < 0 for p in probabilities) or sum(probabilities) > 1 + 1e-12:
            raise ValueError(f"router {name!r}: probabilities must be >= 0 and sum to at most 1")
        self.cumulative: list[float] = []
        total = 0.0
        for probability in probabilities:
            total += probability
            self.cumulative.append(total)
        self.branches: list[Any] = [None] * len(probabilities)
        self.otherwise: Any = None
        self.needs_otherwise = total < 1 - 1e-12
        self._uniform = context.streams.uniform(stream or f"router.{name}")

    def connect(self, index: int, target: Any) -> Any:
        self.branches[index] = target
        return target

    def outputs(self) -> dict[str, Any]:
        outputs = {f"branch {i}": target for i, target in enumerate(self.branches)}
        if self.needs_otherwise:
            outputs["otherwise"] = self.otherwise
        return outputs

    def put(self, entity: Entity) -> None:
        draw = self._uniform()
        for index, bound in enumerate(self.cumulative):
            if draw < bound:
                self.branches[index].put(entity)
                return
        self.otherwise.put(entity)


class Switch(BlockBase):
    """Sends each entity to the branch named by `key(entity)`."""

    def __init__(self, context: Context, name: str, key: Callable[[Entity], Hashable],
                 branches: Sequence[Hashable]) -> None:
        super().__init__(context, name)
        self.key = key
        self.branches: dict[Hashable, Any] = {branch: None for branch in branches}

    def connect(self, branch: Hashable, target: Any) -> Any:
        if branch not in self.branches:
            raise KeyError(f"switch {self.name!r} has no branch {branch!r}")
        self.branches[branch] = target
        return target

    def outputs(self) -> dict[str, Any]:
        return {str(branch): target for branch, target in self.branches.items()}

    def put(self, entity: Entity) -> None:
        self.branches[self.key(entity)].put(entity)


class Split(BlockBase):
    """Sends out the parts `parts(entity)` makes (each with `parent` set and weight 0) to
    `to`, and the entity itself to `join`, where it waits for them."""

    def __init__(self, context: Context, name: str, parts: Callable[[Entity], Sequence[Entity]]) -> None:
        super().__init__(context, name)
        self.parts = parts
        self.join: Join | None = None

    def outputs(self) -> dict[str, Any]:
        return {"parts": self.target, "join": self.join}

    def put(self, entity: Entity) -> None:
        parts = self.parts(entity)
        entity.pending = len(parts)
        self.join.hold(entity)  # type: ignore[union-attr]
        for part in parts:
            part.parent = entity
            part.weight = 0
            self.target.put(part)


class Join(BlockBase):
    """Holds entities until all their parts have arrived, then sends the entity on.

    Parts arrive by `put`; the whole leaves at the arrival of its last part. An entity
    sent here with no parts pending leaves at once.
    """

    def __init__(self, context: Context, name: str, end: str | None = None) -> None:
        super().__init__(context, name)
        self._end = context.milestone(end)
        self.waiting_time = Tally()
        context.on_reset(self.waiting_time.reset)

    def hold(self, entity: Entity) -> None:
        entity.since = self.context.env._now
        if entity.pending <= 0:
            self._release(entity)
        else:
            self.held += entity.weight

    def put(self, part: Entity) -> None:
        whole = part.parent
        if whole is None:
            raise ValueError(f"join {self.name!r} received {part!r}, which is not a part of anything")
        whole.pending -= 1
        if whole.pending == 0:
            self.held -= whole.weight
            self._release(whole)

    def _release(self, entity: Entity) -> None:
        now = self.context.env._now
        self.waiting_time.add(now - entity.since)
        if self._end is not None:
            self.context.log.record(entity.id, self._end, now)  # type: ignore[union-attr]
        self.target.put(entity)


class Sink(BlockBase):
    """The normal end of an entity: counts it, and its sojourn (born -> now)."""

    def __init__(self, context: Context, name: str, milestone: str | None = None,
                 record_sojourns: bool = False) -> None:
        super().__init__(context, name)
        self._milestone = context.milestone(milestone)
        self.sojourns = Tally()
        self.completed = 0
        self.sojourn_samples: list[float] | None = [] if record_sojourns else None
        context.on_reset(self._reset)

    def _reset(self, now: float) -> None:
        self.sojourns.reset()
        self.completed = 0
        if self.sojourn_samples is not None:
            self.sojourn_samples.clear()

    def outputs(self) -> dict[str, Any]:
        return {}

    def put(self, entity: Entity) -> None:
        context = self.context
        now = context.env._now
        sojourn = now - entity.born
        sojourns = self.sojourns  # sojourns.add(sojourn), inlined: once per entity
        sojourns.count += 1
        sojourns.total += sojourn
        sojourns.squares += sojourn * sojourn
        if self.sojourn_samples is not None:
            self.sojourn_samples.append(sojourn)
        self.completed += entity.weight
        if self._milestone is not None:
            context.log.record(entity.id, self._milestone, now)  # type: ignore[union-attr]
        context.left(entity)


class Drop(BlockBase):
    """The end of an entity for a stated reason; counted per reason by the context."""

    def __init__(self, context: Context, name: str, reason: str, milestone: str | None = None) -> None:
        super().__init__(context, name)
        if not reason:
            raise ValueError(f"drop {name!r} needs a reason")
        self.reason = reason
        self._milestone = context.milestone(milestone)

    def outputs(self) -> dict[str, Any]:
        return {}

    def put(self, entity: Entity) -> None:
        if self._milestone is not None:
            self.context.log.record(entity.id, self._milestone, self.context.env._now)  # type: ignore[union-attr]
        self.context.drop(entity, self.reason)
