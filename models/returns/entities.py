"""The returns that flow through the model.

Everything random about a return (region, value, how long each step takes for it) is
drawn when its release day is planned, from streams that do not depend on the policy
lever, so baseline and pilot see the same returns (see `import_cohorts`, `export_cohorts`);
the returns are made as objects on the day they enter (`blocks.PlannedReturns`). Times are
hours; `*_h` attributes are durations the blocks read.
"""

from __future__ import annotations

from sim.entity import Entity

#: import outcomes after inspection
SELLABLE_HERE, LINE_HAUL, DAMAGED = 0, 1, 2
#: import review paths
AUTO, MANUAL, OFFICER = 0, 1, 2


class ImportReturn(Entity):
    """A 1210 return: one return declaration of one order.

    It carries what the blocks read; what only the KPIs need (application time, value,
    items, parcel cost, transit time, refund lag) also stays in the columns it was drawn in
    (`ledger.ReturnFacts`), where the ledger looks it up by id at the end."""

    __slots__ = (
        "apply_by",
        "arrive_by",
        "carrier_h",
        "disposal_h",
        "entered",
        "facility",
        "handover_h",
        "inspection_h",
        "lead_h",
        "order",
        "outcome",
        "receipt_h",
        "reexport",
        "refund_h",
        "released",
        "reshelving_h",
        "review_h",
        "review_path",
    )

    def __init__(self, entity_id: int, born: float, order: int | None, facility: int, released: float | None,
                 apply_by: float, arrive_by: float, handover_h: float | None, carrier_h: float, receipt_h: float,
                 review_path: int, lead_h: float, review_h: float, inspection_h: float, outcome: int,
                 reshelving_h: float, refund_h: float | None, disposal_h: float | None, reexport: bool) -> None:
        """Every attribute at once, positionally: a release day's returns are made by
        mapping this over the day's columns (`ImportCohorts`), hundreds of thousands a run.

        `born` is the application time; `carrier_h` is hand-over plus transit. `order`,
        `released` (the original order and its release time), `handover_h` and `refund_h`
        are only logged (None in a run without a log); `disposal_h` and `reexport` only
        matter for a damaged return (`outcome` DAMAGED)."""
        Entity.__init__(self, entity_id, born)
        self.order = order
        self.facility = facility
        self.released = released
        self.apply_by = apply_by
        self.arrive_by = arrive_by
        self.handover_h = handover_h
        self.carrier_h = carrier_h
        self.receipt_h = receipt_h
        self.review_path = review_path
        self.lead_h = lead_h
        self.review_h = review_h
        self.inspection_h = inspection_h
        self.outcome = outcome
        self.reshelving_h = reshelving_h
        self.refund_h = refund_h
        self.disposal_h = disposal_h
        self.reexport = reexport
        self.entered = 0.0


class ExportReturn(Entity):
    """A 9610 return: one parcel coming back from abroad."""

    __slots__ = (
        "cost",
        "domestic_h",
        "entered",
        "freight",
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

    def __init__(self, entity_id: int, born: float, order: int, seller: int, point: int, port: int,
                 released: float, return_by: float, tax_free_by: float, value: float, cost: float,
                 inspection_h: float, domestic_h: float, freight: float) -> None:
        """Every attribute at once, positionally (see `ImportReturn`); `born` is the
        hand-over abroad."""
        Entity.__init__(self, entity_id, born)
        self.order = order
        self.seller = seller
        self.point = point
        self.port = port
        self.released = released
        self.return_by = return_by
        self.tax_free_by = tax_free_by
        self.value = value
        self.cost = cost
        self.inspection_h = inspection_h
        self.domestic_h = domestic_h
        self.freight = freight
        self.entered = 0.0
