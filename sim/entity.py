"""Entities: the things that flow through blocks (orders, parcels, mail items, trucks).

Entities are slots objects: the engine creates millions of them. A model subclasses
`Entity` to add its own attributes.

`weight` says whether an entity counts for conservation: 1 for a unit of work the model
creates and must finish or drop (an order, a mail item); 0 for a part that stands for a
piece of one (a document message of an order, while the order waits in a `Join`). A
`Batch` weighs what its members weigh.
"""

from __future__ import annotations


class Entity:
    __slots__ = ("id", "born", "weight", "since", "parent", "pending")

    def __init__(self, entity_id: int, born: float, weight: int = 1) -> None:
        self.id = entity_id
        self.born = born
        self.weight = weight
        #: time the entity entered the block it is in (for queue waits)
        self.since = born
        #: for a part: the entity it belongs to; for a split entity: parts still out
        self.parent: Entity | None = None
        self.pending = 0

    def __repr__(self) -> str:
        return f"{type(self).__name__}(id={self.id}, born={self.born:.4f})"


class Batch(Entity):
    """Entities travelling together (a truck load, a mail bag, a flight's receptacle)."""

    __slots__ = ("members", "key")

    def __init__(self, entity_id: int, born: float, members: list[Entity], key: object = None) -> None:
        super().__init__(entity_id, born, sum(member.weight for member in members))
        self.members = members
        self.key = key
