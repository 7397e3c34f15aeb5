"""Mail items and the draws that decide their fate.

An item's attributes (EAD present, targeted for inspection, dutiable, how fast its
addressee pays, never pays, ...) are fixed when it is created, from one uniform draw per
attribute taken from a stream of that attribute alone, in creation order. Creation order
depends on arrivals only, so two scenarios that differ in a policy lever (EAD coverage,
AI false-positive rate, counter or app payment) give each item the same draws; a lever
then moves an item across a threshold rather than reshuffling everyone (common random
numbers with monotone coupling).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from math import inf

from sim.entity import Entity
from sim.streams import Streams

_BLOCK = 1024

#: the uniform draws of an inbound item, by position in `MailItem.draws`
INBOUND_DRAWS = ("ead", "risk", "anomaly", "false_positive", "documents", "dutiable", "never_pays",
                 "payment_delay", "seizure", "documents_delay")
EAD, RISK, ANOMALY, FALSE_POSITIVE, DOCUMENTS, DUTIABLE, NEVER_PAYS, PAYMENT_DELAY, SEIZURE, DOCUMENTS_DELAY = range(10)

#: the uniform draws of an outbound item
OUTBOUND_DRAWS = ("route", "hold", "refusal")
ROUTE, HOLD, REFUSAL = range(3)

#: hold classes (also the resource column of an EME / EXB row in the milestone log)
NOT_HELD, INSPECTION, DOCUMENTS_HOLD, DUTY = 0, 1, 2, 3
CLASSES = ("not_held", "inspection", "documents", "duty")


class AttributeDraws:
    """Rows of independent U(0, 1) draws, one named stream per column, made in blocks."""

    __slots__ = ("_generators", "_index", "_rows")

    def __init__(self, streams: Streams, prefix: str, names: Sequence[str]) -> None:
        self._generators = [streams.generator(f"{prefix}.{name}") for name in names]
        self._rows: list[tuple[float, ...]] = []
        self._index = 0

    def __call__(self) -> tuple[float, ...]:
        index = self._index
        if index == len(self._rows):
            self._rows = list(zip(*(generator.random(_BLOCK).tolist() for generator in self._generators)))
            index = 0
        self._index = index + 1
        return self._rows[index]


class MailItem(Entity):
    """An inbound postal item; times are simulation hours (inf until reached)."""

    __slots__ = ("draws", "ead", "edb", "edc", "emd", "eme", "hold", "notice")

    def __init__(self, entity_id: int, born: float, draws: tuple[float, ...], ead: bool) -> None:
        super().__init__(entity_id, born)
        self.draws = draws
        self.ead = ead
        self.hold = NOT_HELD
        self.emd = inf
        self.edb = inf
        self.eme = inf
        self.edc = inf
        #: when the addressee was notified of duty or documents (inf: not yet)
        self.notice = inf


class OutboundItem(Entity):
    """An outbound postal item bound for one route."""

    __slots__ = ("draws", "exa", "exc", "hold", "route")

    def __init__(self, entity_id: int, born: float, draws: tuple[float, ...], route: int) -> None:
        super().__init__(entity_id, born)
        self.draws = draws
        self.route = route
        self.hold = NOT_HELD
        self.exa = inf
        self.exc = inf


def inbound_factory(streams: Streams, ead_coverage: float,
                    created: Callable[[float], None]) -> Callable[[int, float], MailItem]:
    """`make(entity_id, born)` for inbound sources: draws the item's attributes and
    reports its creation time to `created`."""
    draws = AttributeDraws(streams, "inbound.item", INBOUND_DRAWS)

    def make(entity_id: int, born: float) -> MailItem:
        row = draws()
        created(born)
        return MailItem(entity_id, born, row, row[EAD] < ead_coverage)

    return make


def outbound_factory(streams: Streams, route_shares: Sequence[float],
                     created: Callable[[float], None]) -> Callable[[int, float], OutboundItem]:
    """`make(entity_id, born)` for the outbound source: draws attributes and the route,
    and reports the creation time to `created`."""
    draws = AttributeDraws(streams, "outbound.item", OUTBOUND_DRAWS)
    bounds: list[float] = []
    total = 0.0
    for share in route_shares:
        total += share
        bounds.append(total / sum(route_shares))
    last = len(bounds) - 1

    def make(entity_id: int, born: float) -> OutboundItem:
        row = draws()
        created(born)
        u = row[ROUTE]
        route = 0
        while route < last and u >= bounds[route]:
            route += 1
        return OutboundItem(entity_id, born, row, route)

    return make
