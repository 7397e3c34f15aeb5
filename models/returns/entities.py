"""The returns that flow through the model.

Everything random about a return (region, value, how long each step takes for it) is
drawn when its release day is planned, from streams that do not depend on the policy
lever, so baseline and pilot see the same returns (see `import_cohorts`, `export_cohorts`).
Times are hours; `*_h` attributes are durations the blocks read.
"""

from __future__ import annotations

from sim.entity import Entity

#: import outcomes after inspection
SELLABLE_HERE, LINE_HAUL, DAMAGED = 0, 1, 2
#: import review paths
AUTO, MANUAL, OFFICER = 0, 1, 2


class ImportReturn(Entity):
    """A 1210 return: one return declaration of one order."""

    __slots__ = (
        "apply_by",
        "arrive_by",
        "arrived",
        "cost",
        "disposal_h",
        "entered",
        "facility",
        "handover_h",
        "inspection_h",
        "items",
        "lead_h",
        "order",
        "outcome",
        "receipt_h",
        "reexport",
        "refund_h",
        "region",
        "released",
        "reshelving_h",
        "review_h",
        "review_path",
        "transit_h",
        "value",
    )

    def __init__(self, entity_id: int, born: float) -> None:
        super().__init__(entity_id, born)
        self.arrived = self.entered = 0.0


class ExportReturn(Entity):
    """A 9610 return: one parcel coming back from abroad."""

    __slots__ = (
        "cost",
        "domestic_h",
        "entered",
        "inspection_h",
        "order",
        "point",
        "port",
        "released",
        "return_by",
        "seller",
        "tax_free_by",
        "value",
    )

    def __init__(self, entity_id: int, born: float) -> None:
        super().__init__(entity_id, born)
        self.entered = 0.0
