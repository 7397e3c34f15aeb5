"""Small domain blocks of the mail office (same protocol as the kernel's blocks).

- `ReceptacleScan`: an opened receptacle's items, each stamped EMD at its own scan.
- `Stamp`: records a UPU event (EDB, EXA, EXC) on the item and in the log.
- `ExportDecision`: export customs releases (EXC) or holds (EXB) an outbound item.
- `DepartureGate`: closed receptacles wait for their route's next departure whose
  cut-off they made, and leave with it (EMC).
- `WindowDrop`: a kernel `Drop` that also counts the drops of the observation window.
- `InboundDispatch` / `OutboundDispatch`: the ends of the two flows, handing each item's
  times to a recorder.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from models.mail.items import HOLD, MailItem, OutboundItem
from models.mail.schedules import next_at_or_after
from sim.context import Context
from sim.entity import Batch, Entity
from sim.flow import BlockBase, Drop


class ReceptacleScan(BlockBase):
    """Items of an opened receptacle. The opener scanned them one by one after opening,
    so item k of n got its EMD `(n - 1 - k) × scan_h` before the receptacle was done;
    they move on together. Items with EAD are presented to customs (EDB) at their scan
    and go to `to`; items without EAD go to `without_ead` for data capture."""

    def __init__(self, context: Context, name: str, scan_h: float) -> None:
        super().__init__(context, name)
        self.scan_h = scan_h
        self.without_ead: Any = None
        self._emd = context.milestone("EMD")
        self._edb = context.milestone("EDB")

    def outputs(self) -> dict[str, Any]:
        return {"with_ead": self.target, "without_ead": self.without_ead}

    def put(self, receptacle: Batch) -> None:
        now = self.context.env._now
        members = receptacle.members
        scan_h = self.scan_h
        first = now - (len(members) - 1) * scan_h
        log = self.context.log
        with_ead, without_ead = self.target, self.without_ead
        for index, item in enumerate(members):
            emd = first + index * scan_h
            item.emd = emd  # type: ignore[attr-defined]
            if log is not None:
                log.record(item.id, self._emd, emd)  # type: ignore[arg-type]
            if item.ead:  # type: ignore[attr-defined]
                item.edb = emd  # type: ignore[attr-defined]
                if log is not None:
                    log.record(item.id, self._edb, emd)  # type: ignore[arg-type]
                with_ead.put(item)
            else:
                without_ead.put(item)


class Stamp(BlockBase):
    """Sets `attribute` of the item to now and logs `milestone`, then passes it on."""

    def __init__(self, context: Context, name: str, attribute: str, milestone: str) -> None:
        super().__init__(context, name)
        self.attribute = attribute
        self._code = context.milestone(milestone)

    def put(self, entity: Entity) -> None:
        now = self.context.env._now
        setattr(entity, self.attribute, now)
        if self._code is not None:
            self.context.log.record(entity.id, self._code, now)  # type: ignore[union-attr]
        self.target.put(entity)


class ExportDecision(BlockBase):
    """Releases (EXC, to `to`) or holds (EXB, to `hold`) each outbound item; the share
    held is `hold_rate`, decided by the item's own draw."""

    def __init__(self, context: Context, name: str, hold_rate: float) -> None:
        super().__init__(context, name)
        self.hold_rate = hold_rate
        self.hold: Any = None
        self._exb = context.milestone("EXB")
        self._exc = context.milestone("EXC")
        self.decided = 0
        self.held_count = 0
        context.on_reset(self._reset)

    def _reset(self, now: float) -> None:
        self.decided = 0
        self.held_count = 0

    def outputs(self) -> dict[str, Any]:
        return {"release": self.target, "hold": self.hold}

    def put(self, item: OutboundItem) -> None:
        now = self.context.env._now
        log = self.context.log
        self.decided += 1
        if item.draws[HOLD] < self.hold_rate:
            item.hold = 1
            self.held_count += 1
            if log is not None:
                log.record(item.id, self._exb, now, 1)  # type: ignore[arg-type]
            self.hold.put(item)
            return
        item.exc = now
        if log is not None:
            log.record(item.id, self._exc, now)  # type: ignore[arg-type]
        self.target.put(item)


class DepartureGate(BlockBase):
    """Receptacles of one route waiting for a departure.

    A receptacle arriving at time t leaves with the first departure T whose cut-off
    T - cutoff is at or after t; receptacles arriving after the last known departure stay.
    """

    def __init__(self, context: Context, name: str, departures: Sequence[float], cutoff_h: float,
                 milestone: str | None = None) -> None:
        super().__init__(context, name)
        self.departures = list(departures)
        self.cutoffs = [departure - cutoff_h for departure in self.departures]
        self._waiting: dict[int, list[Batch]] = {}
        self._code = context.milestone(milestone)

    def put(self, receptacle: Batch) -> None:
        self.held += receptacle.weight
        index = next_at_or_after(self.cutoffs, self.context.env._now)
        if index == len(self.departures):
            self._waiting.setdefault(index, []).append(receptacle)
            return
        waiting = self._waiting.get(index)
        if waiting is None:
            self._waiting[index] = [receptacle]
            self.context.at(self.departures[index], self._depart, index)
        else:
            waiting.append(receptacle)

    def _depart(self, value: Any) -> None:
        receptacles = self._waiting.pop(value)
        now = self.context.env._now
        log = self.context.log if self._code is not None else None
        for receptacle in receptacles:
            self.held -= receptacle.weight
            if log is not None:
                for member in receptacle.members:
                    log.record(member.id, self._code, now, receptacle.id)  # type: ignore[arg-type]
            self.target.put(receptacle)


class WindowDrop(Drop):
    """A `Drop` that also counts what it drops after the warm-up."""

    def __init__(self, context: Context, name: str, reason: str, milestone: str | None = None) -> None:
        super().__init__(context, name, reason, milestone)
        self.count = 0
        context.on_reset(self._reset)

    def _reset(self, now: float) -> None:
        self.count = 0

    def put(self, entity: Entity) -> None:
        self.count += entity.weight
        super().put(entity)


class InboundRecording(Protocol):
    def add(self, item: MailItem, emf: float) -> None: ...


class OutboundRecording(Protocol):
    def add(self, item: OutboundItem, emc: float, first_departure: float) -> None: ...


class InboundDispatch(BlockBase):
    """The domestic truck has left (EMF, logged by the truck's batcher): items are done."""

    def __init__(self, context: Context, name: str, recorder: InboundRecording) -> None:
        super().__init__(context, name)
        self.recorder = recorder

    def outputs(self) -> dict[str, Any]:
        return {}

    def put(self, truck: Batch) -> None:
        context = self.context
        now = context.env._now
        if now >= context.warmup:
            add = self.recorder.add
            for item in truck.members:
                add(item, now)  # type: ignore[arg-type]
        context.left(truck)


class OutboundDispatch(BlockBase):
    """A receptacle has left on its route's transport (EMC): its items are done. For each
    item it also finds the first departure the item could have made: the first of its
    route whose cut-off is at or after the item's arrival at the office (EMB)."""

    def __init__(self, context: Context, name: str, recorder: OutboundRecording,
                 gates: Sequence[DepartureGate]) -> None:
        super().__init__(context, name)
        self.recorder = recorder
        self.gates = list(gates)

    def outputs(self) -> dict[str, Any]:
        return {}

    def put(self, receptacle: Batch) -> None:
        context = self.context
        now = context.env._now
        if now >= context.warmup:
            add = self.recorder.add
            for item in receptacle.members:
                gate = self.gates[item.route]  # type: ignore[attr-defined]
                index = next_at_or_after(gate.cutoffs, item.born)
                first = gate.departures[index] if index < len(gate.departures) else float("inf")
                add(item, now, first)  # type: ignore[arg-type]
        context.left(receptacle)
