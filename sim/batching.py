"""Batching: trucks, mail bags, line-haul departures, flights with a cut-off.

A `Batcher` collects entities into one open batch per key (a route, a destination). A
batch leaves

- when it is full (`capacity` members) — at once;
- at a timetable departure: the batch is closed at the cut-off (`cutoff` hours before the
  departure) and leaves at the departure; anything arriving after the cut-off waits for
  the next departure; an empty batch sends nothing;
- after `max_wait` hours since its first member arrived, if it has not left by then.

A minimum load (`min_load` members, optional) lets a timetable departure be skipped when
there is too little to carry, as a carrier skips a scheduled pickup:

- at a departure, a sealed batch with fewer than `min_load` members does not leave; its
  members roll over, ahead of anything loaded since, into the batch of the next departure
  (the one sealed next for their key: the open batch, or, with a cut-off longer than the
  headway, the batch already sealed for the next departure);
- they keep their arrival times: the maximum wait still counts from the first member's
  arrival and then dispatches the batch whatever its size (reason "max_wait"); if it
  expires while the batch is sealed, the batch leaves at its departure (reason "max_wait");
- a batch that reaches `capacity` leaves at once, also when rolled-over members fill it
  (the oldest `capacity` members leave; the rest wait, their maximum wait counted from the
  first of them);
- `min_load` None or 1 is the rule without a minimum: every non-empty sealed batch leaves.

A batch may also be bounded by what its members occupy (a truck's cubic metres):
`size_of(entity)` gives a member's size and `size_capacity` the most a batch holds; a
member that would not fit sends the open batch first ("full"). With `size_of`, `min_load`
is a size (the cubic metres a scheduled truck needs to run), not a count.

`held_back` counts the sealed batches kept back at a departure.

It leaves as one `Batch` entity (weighing what its members weigh). `Unbatch` sends the
members of a batch on one by one.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence

from sim.context import Context
from sim.entity import Batch, Entity
from sim.flow import BlockBase
from sim.monitors import Tally


class Batcher(BlockBase):
    def __init__(self, context: Context, name: str, *, capacity: int | None = None,
                 departures: Sequence[float] = (), cutoff: float = 0.0, max_wait: float | None = None,
                 key: Callable[[Entity], Hashable] | None = None, loaded: str | None = None,
                 min_load: float | None = None, size_of: Callable[[Entity], float] | None = None,
                 size_capacity: float | None = None) -> None:
        super().__init__(context, name)
        if capacity is not None and capacity < 1:
            raise ValueError(f"batcher {name!r}: capacity must be >= 1")
        if capacity is None and not departures and max_wait is None:
            raise ValueError(f"batcher {name!r}: needs a capacity, a timetable or a maximum wait to ever dispatch")
        if cutoff < 0 or (max_wait is not None and max_wait <= 0):
            raise ValueError(f"batcher {name!r}: cut-off must be >= 0 and maximum wait > 0")
        if (size_of is None) != (size_capacity is None) or (size_capacity is not None and size_capacity <= 0):
            raise ValueError(f"batcher {name!r}: size_of and a positive size_capacity go together")
        bound = size_capacity if size_of is not None else capacity
        if min_load is not None and size_of is None and min_load < 1:
            raise ValueError(f"batcher {name!r}: minimum load must be >= 1 and at most the capacity")
        if min_load is not None and bound is not None and min_load > bound:
            raise ValueError(f"batcher {name!r}: minimum load must be at most the capacity")
        self.capacity = capacity
        self.cutoff = cutoff
        self.max_wait = max_wait
        self.key = key
        self.departures = sorted(departures)
        self.size_of = size_of
        self.size_capacity = size_capacity
        #: None when every non-empty sealed batch leaves at its departure
        self.min_load = min_load if min_load is not None and (min_load > 1 or (size_of and min_load > 0)) else None
        #: size of each open batch (with `size_of`)
        self._fill: dict[Hashable, float] = {}
        self._loaded = context.milestone(loaded)
        self._open: dict[Hashable, list[Entity]] = {}
        self._serial: dict[Hashable, int] = {}
        #: departure time -> the batches sealed for it (each departure has its own load,
        #: so that with cut-offs longer than the headway nothing leaves early)
        self._sealed: dict[float, dict[Hashable, list[Entity]]] = {}
        self.sizes = Tally()
        self.reasons = {"full": 0, "timetable": 0, "max_wait": 0}
        #: sealed batches kept back at a departure for want of `min_load` members
        self.held_back = 0
        context.on_reset(self._reset)

    def _reset(self, now: float) -> None:
        self.sizes.reset()
        self.reasons = dict.fromkeys(self.reasons, 0)
        self.held_back = 0

    def start(self) -> None:
        now = self.context.env._now
        for departure in self.departures:
            seal_time = departure - self.cutoff
            if seal_time >= now:
                self.context.at(seal_time, self._seal, departure)
            if departure >= now:
                self.context.at(departure, self._depart, departure)

    def put(self, entity: Entity) -> None:
        key = self.key(entity) if self.key is not None else None
        entity.since = self.context.env._now  # arrival, for the maximum wait of rolled-over members
        self.held += entity.weight
        members = self._open.get(key)
        if self.size_of is not None:
            size = self.size_of(entity)
            if members and self._fill[key] + size > self.size_capacity + 1e-9:  # type: ignore[operator]
                del self._open[key]
                self._dispatch(key, members, "full")
                members = None
            self._fill[key] = (self._fill.get(key, 0.0) if members else 0.0) + size
        if members is None:
            members = self._open[key] = []
            serial = self._serial[key] = self._serial.get(key, 0) + 1
            if self.max_wait is not None:
                self.context.schedule(self.max_wait, self._expire, (key, serial))
        members.append(entity)
        if (self.capacity is not None and len(members) >= self.capacity) or (
                self.size_of is not None and self._fill[key] >= self.size_capacity - 1e-9):  # type: ignore[operator]
            del self._open[key]
            self._dispatch(key, members, "full")

    def _seal(self, departure: float) -> None:
        sealed = self._sealed.setdefault(departure, {})
        for key, members in self._open.items():
            sealed.setdefault(key, []).extend(members)
        self._open.clear()

    def _load(self, members: list[Entity]) -> float:
        """What `members` occupy: their total size, or their count."""
        size_of = self.size_of
        return sum(size_of(member) for member in members) if size_of is not None else len(members)

    def _depart(self, departure: float) -> None:
        sealed = self._sealed.pop(departure, {})
        min_load = self.min_load
        for key, members in sealed.items():
            if not members:
                continue
            if min_load is None or self._load(members) >= min_load - 1e-9:
                self._dispatch(key, members, "timetable")
            elif self.max_wait is not None and members[0].since + self.max_wait <= self.context.env._now:
                self._dispatch(key, members, "max_wait")
            else:
                self._roll_over(departure, key, members)

    def _roll_over(self, departure: float, key: Hashable, members: list[Entity]) -> None:
        """Members of a sealed batch below the minimum load join, ahead, the batch that is
        sealed next for their key."""
        self.held_back += 1
        later = [time for time in self._sealed if time > departure]
        if later:  # cut-off longer than the headway: the next departure is sealed already
            batches = self._sealed[min(later)]
            members = members + batches.pop(key, [])
        else:
            batches = None
            waiting = self._open.pop(key, None)
            if waiting:
                members = members + waiting
        while members:
            fits = self._fitting(members)
            if fits == len(members) and not self._is_full(members):
                break
            self._dispatch(key, members[:fits], "full")
            members = members[fits:]
        if not members:
            return
        if batches is not None:
            batches[key] = members
            return
        self._open[key] = members
        if self.size_of is not None:
            self._fill[key] = self._load(members)
        serial = self._serial[key] = self._serial.get(key, 0) + 1
        if self.max_wait is not None:
            self.context.at(members[0].since + self.max_wait, self._expire, (key, serial))

    def _fitting(self, members: list[Entity]) -> int:
        """How many of `members`, oldest first, one batch holds."""
        count = len(members) if self.capacity is None else min(len(members), self.capacity)
        if self.size_of is None:
            return count
        total = 0.0
        for index in range(count):
            total += self.size_of(members[index])
            if total > self.size_capacity + 1e-9 and index > 0:  # type: ignore[operator]
                return index
        return count

    def _is_full(self, members: list[Entity]) -> bool:
        if self.capacity is not None and len(members) >= self.capacity:
            return True
        return self.size_of is not None and self._load(members) >= self.size_capacity - 1e-9  # type: ignore[operator]

    def _expire(self, token: tuple[Hashable, int]) -> None:
        key, serial = token
        members = self._open.get(key)
        if members and self._serial[key] == serial:
            del self._open[key]
            self._dispatch(key, members, "max_wait")

    def _dispatch(self, key: Hashable, members: list[Entity], reason: str) -> None:
        context = self.context
        batch = Batch(context.next_id(), context.env._now, members, key)
        self.held -= batch.weight
        self.sizes.add(len(members))
        self.reasons[reason] += 1
        if self._loaded is not None:
            log = context.log
            now = context.env._now
            for member in members:
                log.record(member.id, self._loaded, now, batch.id)  # type: ignore[union-attr]
        self.target.put(batch)

    def load_factor(self) -> float:
        """Mean batch size over capacity, for batches dispatched in the window."""
        return self.sizes.mean() / self.capacity if self.capacity else float("nan")


class Unbatch(BlockBase):
    """Sends each member of a batch on, in order."""

    def put(self, batch: Entity) -> None:
        for member in batch.members:  # type: ignore[attr-defined]
            self.target.put(member)
