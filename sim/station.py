"""Stations and the server pools they draw from.

A `ServerPool` is c identical servers (X-ray lines, pickers, customs officers). Its c may
follow a shift calendar, with one of two changeovers (`shift_pool`):
- "capacity" (machines): c is a level. When c drops below the number busy, work in
  service finishes and no new service starts until busy < c again.
- "crew" (people): each shift is a crew. At a shift's start its crew starts work at once;
  at its end the crew's busy members finish the customer in hand and then leave, in
  overtime, while the incoming crew already serves the queue (as Ciw's schedules with
  preemption off). Pools know no server identities, so when crews overlap the members
  leaving are counted busy first (at most as many as are busy), which bounds overtime
  from above; without overlap (the usual handover) the count is exact.
A pool may serve several stations (the
officers who review documents, judge X-ray images and open parcels): waiting work of all
its stations forms one queue, served FIFO, or by priority (lower first, FIFO within a
priority) when any of its stations uses the priority discipline.

A `Station` is a queue in front of a pool plus a service time. Service completions are
scheduled as events with callbacks, not one process per entity.

The hot path (`put`, `_start`, `_finish`) runs a few times per entity and station, so it
updates its monitors in place (the arithmetic of `TimeWeighted.set` and `Tally.add`,
written out) and pushes completions onto SimPy's queue directly (as `Context.schedule`
does): a Python call costs about as much as the work it would wrap.
"""

from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from heapq import heappush
from itertools import count
from typing import Any

from simpy.events import NORMAL

from sim.calendar import Changeover, Shift, capacity_changes, crew_changes
from sim.context import Context
from sim.entity import Entity
from sim.monitors import Tally, TimeWeighted


class ServerPool:
    def __init__(self, context: Context, name: str, servers: int,
                 capacity_changes: Sequence[tuple[float, int]] = ()) -> None:
        """`capacity_changes` is a list of (time, servers) from a shift calendar, replacing
        `servers` from each time on (see `sim.calendar.capacity_changes`)."""
        if servers < 0:
            raise ValueError(f"pool {name!r}: servers must be >= 0")
        self.context = context
        self.name = name
        self.capacity = servers
        self.busy = 0
        self.prioritized = False
        self._fifo: deque[tuple[Any, Entity]] = deque()
        self._heap: list[tuple[float, int, Any, Entity]] = []
        self._order = count()
        self.busy_level = TimeWeighted()
        self.capacity_level = TimeWeighted(servers)
        #: servers of crews that have left, finishing the work in hand (a "crew" pool);
        #: `busy` counts on-duty servers only
        self.overtime = 0
        self.overtime_level = TimeWeighted()
        self.crew = False
        #: services started so far (a "crew" pool numbers them to tell leavers' work apart)
        self.starts = 0
        #: handovers whose leavers are still at work: [services started before, leavers still busy]
        self._handovers: deque[list[int]] = deque()
        context.on_reset(self._reset, self._close)
        self._changes = list(capacity_changes)
        if self._changes:
            first_time, first_capacity = self._changes[0]
            if first_time <= 0.0:
                self.capacity = first_capacity
                self.capacity_level = TimeWeighted(first_capacity)
                self._changes = self._changes[1:]
            for time, capacity in self._changes:
                context.at(time, self._change_capacity, capacity)

    def _reset(self, now: float) -> None:
        self.busy_level.reset(now)
        self.capacity_level.reset(now)
        self.overtime_level.reset(now)

    def _close(self, now: float) -> None:
        self.busy_level.close(now)
        self.capacity_level.close(now)
        self.overtime_level.close(now)

    @property
    def waiting(self) -> int:
        return len(self._heap) if self.prioritized else len(self._fifo)

    def utilization(self) -> float:
        """Busy server-hours (overtime included) over scheduled server-hours in the
        observation window; above 1 is possible when crews work over across handovers."""
        available = self.capacity_level.area
        return (self.busy_level.area + self.overtime_level.area) / available if available > 0 else float("nan")

    def scheduled_hours(self) -> float:
        """Server-hours on the shift calendar in the observation window (staff cost)."""
        return self.capacity_level.area

    def overtime_hours(self) -> float:
        """Server-hours worked after the end of the worker's shift in the observation window."""
        return self.overtime_level.area

    def _change_crews(self, value: Any) -> None:
        """A crew change: the leaving crews' busy members go into overtime, the arriving
        crews start on the queue at once."""
        arriving, leaving = value
        now = self.context.env._now
        if leaving:
            leavers_busy = min(leaving, self.busy)
            if leavers_busy:
                self.busy -= leavers_busy
                self.busy_level.set(now, self.busy)
                self.overtime += leavers_busy
                self.overtime_level.set(now, self.overtime)
                self._handovers.append([self.starts, leavers_busy])
        self.capacity += arriving - leaving
        self.capacity_level.set(now, self.capacity)
        self.dispatch(now)

    def _leaves_after(self, started: int, now: float) -> bool:
        """Whether the server finishing the `started`-th service is a leaver in overtime
        (the service began before a handover whose leavers are still busy); if so, it goes."""
        for handover in self._handovers:
            if started > handover[0] or not handover[1]:
                continue  # begun after this handover, or its leavers are all gone
            handover[1] -= 1
            self.overtime -= 1
            self.overtime_level.set(now, self.overtime)
            while self._handovers and not self._handovers[0][1]:
                self._handovers.popleft()
            return True
        return False

    def _change_capacity(self, value: Any) -> None:
        now = self.context.env._now
        self.capacity = value
        self.capacity_level.set(now, self.capacity)
        self.dispatch(now)

    def enqueue(self, station: Station, entity: Entity, priority: float) -> None:
        if self.prioritized:
            heapq.heappush(self._heap, (priority, next(self._order), station, entity))
        else:
            self._fifo.append((station, entity))

    def dispatch(self, now: float) -> None:
        """Start waiting work while servers are free."""
        while self.busy < self.capacity:
            if self.prioritized:
                if not self._heap:
                    return
                _, _, station, entity = heapq.heappop(self._heap)
            else:
                if not self._fifo:
                    return
                station, entity = self._fifo.popleft()
            queue = station.queue  # queue.set(now, queue.value - 1): it leaves the station's queue
            queue.area += queue.value * (now - queue.last)
            queue.last = now
            queue.value -= 1
            station._start(entity, now)


def staffing_metrics(pools: Mapping[str, ServerPool]) -> dict[str, float]:
    """`overtime.<name>_h` (server-hours worked after the end of the worker's shift) and
    `scheduled.<name>_h` (server-hours on the shift calendar, for staff cost) of each named
    pool, over the observation window: one spelling of these names for every model."""
    values: dict[str, float] = {}
    for name, pool in pools.items():
        values[f"overtime.{name}_h"] = pool.overtime_hours()
        values[f"scheduled.{name}_h"] = pool.scheduled_hours()
    return values


def shift_pool(context: Context, name: str, shifts: Sequence[Shift], changeover: Changeover) -> ServerPool:
    """A pool whose servers follow `shifts` with the given changeover (see the module note)."""
    if changeover == "capacity":
        return ServerPool(context, name, 0, capacity_changes(shifts, context.calendar, context.horizon))
    on_duty, changes = crew_changes(shifts, context.calendar, context.horizon)
    pool = ServerPool(context, name, on_duty)
    pool.crew = True
    for time, arriving, leaving in changes:
        context.at(time, pool._change_crews, (arriving, leaving))
    return pool


class Station:
    """Queue + service on a pool.

    `service` is a zero-argument sampler, or, with `service_of`, a function of the entity
    (e.g. mixed parcels take longer). `priority_of` gives the priority of an entity
    (lower is served first) and turns on the priority discipline. Milestones `arrive`,
    `start` and `end` are logged when named, with the pool's server count as resource
    left at -1 (pools do not track server identities).
    """

    def __init__(self, context: Context, name: str, pool: ServerPool | int,
                 service: Callable[[], float] | None = None, *,
                 service_of: Callable[[Entity], float] | None = None,
                 priority_of: Callable[[Entity], float] | None = None,
                 arrive: str | None = None, start: str | None = None, end: str | None = None,
                 record_waits: bool = False) -> None:
        if (service is None) == (service_of is None):
            raise ValueError(f"station {name!r}: give exactly one of service and service_of")
        self.context = context
        self.name = name
        self.pool = pool if isinstance(pool, ServerPool) else ServerPool(context, f"{name}.servers", pool)
        self._service = service
        self._service_of = service_of
        self.priority_of = priority_of
        if priority_of is not None:
            if self.pool.busy or self.pool.waiting:
                raise ValueError("set priorities before the run starts")
            self.pool.prioritized = True
        self.target: Any = None
        self.held = 0
        self.in_service = 0
        self.queue = TimeWeighted()
        self.waits = Tally()
        self.completed = 0
        self.wait_samples: list[float] | None = [] if record_waits else None
        self._arrive = context.milestone(arrive)
        self._start_code = context.milestone(start)
        self._end = context.milestone(end)
        self._log = context.log
        self._env = context.env
        self._queue = context._queue
        self._eid = context._eid
        #: `self._finish` bound once: a completion is scheduled per entity
        self._finish_call = self._finish
        context.register(self)
        context.on_reset(self._reset, self.queue.close)

    def to(self, target: Any) -> Any:
        self.target = target
        return target

    def outputs(self) -> dict[str, Any]:
        return {"out": self.target}

    def _reset(self, now: float) -> None:
        self.queue.reset(now)
        self.waits.reset()
        self.completed = 0
        if self.wait_samples is not None:
            self.wait_samples.clear()

    def put(self, entity: Entity) -> None:
        now = self._env._now
        entity.since = now
        self.held += entity.weight
        if self._arrive is not None:
            self._log.record(entity.id, self._arrive, now)  # type: ignore[union-attr]
        pool = self.pool
        if pool.busy < pool.capacity and not pool._fifo and not pool._heap:  # nobody waiting
            self._start(entity, now)
        else:
            if pool.prioritized:
                priority = self.priority_of(entity) if self.priority_of is not None else 0.0
                pool.enqueue(self, entity, priority)
            else:
                pool._fifo.append((self, entity))  # pool.enqueue(...), written out for FIFO
            queue = self.queue  # queue.set(now, queue.value + 1)
            queue.area += queue.value * (now - queue.last)
            queue.last = now
            queue.value += 1
            if queue.value > queue.maximum:
                queue.maximum = queue.value

    def _start(self, entity: Entity, now: float) -> None:
        pool = self.pool
        busy_servers = pool.busy = pool.busy + 1
        busy = pool.busy_level  # busy.set(now, pool.busy)
        busy.area += busy.value * (now - busy.last)
        busy.last = now
        busy.value = busy_servers
        if busy_servers > busy.maximum:
            busy.maximum = busy_servers
        self.in_service += 1
        wait = now - entity.since
        waits = self.waits  # waits.add(wait)
        waits.count += 1
        waits.total += wait
        waits.squares += wait * wait
        if self.wait_samples is not None:
            self.wait_samples.append(wait)
        if self._start_code is not None:
            self._log.record(entity.id, self._start_code, now)  # type: ignore[union-attr]
        duration = self._service() if self._service is not None else self._service_of(entity)  # type: ignore[misc]
        # self.context.schedule(duration, self._finish, entity), inlined: straight onto the
        # heap (a call there is always in order; services are short, not worth parking)
        if pool.crew:  # the service's number tells whether a leaver does it (see _leaves_after)
            pool.starts += 1
            heappush(self._queue, (now + duration, NORMAL, next(self._eid), self._finish_crew, (entity, pool.starts)))
        else:
            heappush(self._queue, (now + duration, NORMAL, next(self._eid), self._finish_call, entity))

    def _finish_crew(self, value: tuple[Entity, int]) -> None:
        """End of a service in a "crew" pool: a leaver goes home instead of taking the next."""
        entity, started = value
        pool = self.pool
        if not pool._handovers or not pool._leaves_after(started, self._env._now):
            self._finish(entity)
            return
        self.in_service -= 1
        self.held -= entity.weight
        self.completed += 1
        if self._end is not None:
            self._log.record(entity.id, self._end, self._env._now)  # type: ignore[union-attr]
        self.target.put(entity)

    def _finish(self, entity: Entity) -> None:
        now = self._env._now
        pool = self.pool
        busy_servers = pool.busy = pool.busy - 1
        busy = pool.busy_level  # busy.set(now, pool.busy)
        busy.area += busy.value * (now - busy.last)
        busy.last = now
        busy.value = busy_servers
        self.in_service -= 1
        self.held -= entity.weight
        self.completed += 1
        if self._end is not None:
            self._log.record(entity.id, self._end, now)  # type: ignore[union-attr]
        fifo = pool._fifo
        if fifo and busy_servers < pool.capacity:
            # pool.dispatch(now), written out for the usual case (FIFO: a freed server takes
            # the first in line; the pool's own loop starts any more if more are free)
            station, waiting = fifo.popleft()
            queue = station.queue  # queue.set(now, queue.value - 1)
            queue.area += queue.value * (now - queue.last)
            queue.last = now
            queue.value -= 1
            station._start(waiting, now)
            if fifo and pool.busy < pool.capacity:
                pool.dispatch(now)
        elif pool._heap:  # somebody waiting, by priority
            pool.dispatch(now)
        self.target.put(entity)

    # -- statistics for the window ------------------------------------------------------
    def wait_mean(self) -> float:
        return self.waits.mean()

    def throughput(self) -> float:
        """Completions per hour in the observation window."""
        span = self.context.horizon - self.context.warmup
        return self.completed / span
