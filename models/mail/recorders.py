"""What the mail model records while it runs: item times, daily backlogs.

Times of each finished item go into typed arrays (not the items themselves, which would
keep hundreds of thousands of objects alive), and become KPIs in `metrics`.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from typing import Any

from models.mail.items import MailItem, OutboundItem
from sim.context import Context


class InboundRecorder:
    """EMD, EDB, EME, EDC, EMF and hold class of every item dispatched in the window."""

    def __init__(self) -> None:
        self.hold = array("b")
        self.emd = array("d")
        self.edb = array("d")
        self.eme = array("d")
        self.edc = array("d")
        self.emf = array("d")

    def add(self, item: MailItem, emf: float) -> None:
        self.hold.append(item.hold)
        self.emd.append(item.emd)
        self.edb.append(item.edb)
        self.eme.append(item.eme)
        self.edc.append(item.edc)
        self.emf.append(emf)


class OutboundRecorder:
    """EMB, EXA, EXC, EMC, hold flag, route and first possible departure of every item
    dispatched in the window."""

    def __init__(self) -> None:
        self.hold = array("b")
        self.route = array("i")
        self.emb = array("d")
        self.exa = array("d")
        self.exc = array("d")
        self.emc = array("d")
        self.first = array("d")

    def add(self, item: OutboundItem, emc: float, first_departure: float) -> None:
        self.hold.append(item.hold)
        self.route.append(item.route)
        self.emb.append(item.born)
        self.exa.append(item.exa)
        self.exc.append(item.exc)
        self.emc.append(emc)
        self.first.append(first_departure)


class WindowCounter:
    """Items created after the warm-up (counted by the item factories)."""

    __slots__ = ("count", "warmup")

    def __init__(self, warmup: float) -> None:
        self.warmup = warmup
        self.count = 0

    def created(self, born: float) -> None:
        if born >= self.warmup:
            self.count += 1


class BacklogMonitor:
    """Items in the office's work at the end of each day (midnight) in the window.

    `blocks` maps a backlog name to the blocks whose held items it counts.
    """

    def __init__(self, context: Context, blocks: dict[str, Sequence[Any]]) -> None:
        self.context = context
        self.blocks = {name: list(members) for name, members in blocks.items()}
        self.samples: dict[str, list[float]] = {name: [] for name in blocks}
        self.times: list[float] = []
        calendar = context.calendar
        for day in range(calendar.day_index(context.warmup) + 1, calendar.day_index(context.horizon) + 1):
            midnight = calendar.day_start(day)
            if context.warmup < midnight < context.horizon:
                context.at(midnight, self._sample)

    def _sample(self, _: Any) -> None:
        self.times.append(self.context.env._now)
        for name, blocks in self.blocks.items():
            self.samples[name].append(float(sum(block.held for block in blocks)))
