"""The returns model's bookkeeping at scale: running totals computed at the end equal those
added up one at a time, facts are found by entity id, and returns planned as columns are
the same objects whether made all at once or a slice at a time."""

from __future__ import annotations

import numpy as np
import pytest

from models.returns.blocks import PlannedReturns, Shared
from models.returns.entities import ExportReturn
from models.returns.ledger import ReturnFacts, running_sum


def test_running_sum_is_the_left_to_right_total():
    rng = np.random.default_rng(3)
    values = rng.lognormal(3.0, 2.5, 50_000) * rng.choice([1e-6, 1.0, 1e6], 50_000)
    total = 0.0
    for value in values.tolist():
        total += value
    assert running_sum(values) == total  # bit for bit (np.sum adds pairwise, which rounds otherwise)
    assert running_sum(np.empty(0)) == 0.0


def test_facts_are_found_by_id_across_cohorts_with_gaps():
    facts = ReturnFacts(("value", "items"))
    facts.add(range(1, 4), value=np.array([10.0, 20.0, 30.0]), items=np.array([1, 2, 3]))
    facts.add(range(7, 9), value=np.array([70.0, 80.0]), items=np.array([7, 8]))  # ids 4-6: other entities
    assert facts.of("value", [8, 1, 3, 7]).tolist() == [80.0, 10.0, 30.0, 70.0]
    assert facts.of("items", [2]).tolist() == [2]
    facts.add(range(9, 10), value=np.array([90.0]), items=np.array([9]))  # added after a look-up
    assert facts.of("value", [9, 2]).tolist() == [90.0, 20.0]
    with pytest.raises(KeyError):
        facts.of("value", [5])


def test_planned_returns_made_by_slices_equal_those_made_at_once():
    n = 7
    columns = (np.arange(100, 100 + n), np.arange(n) % 3, np.arange(n) % 2, np.array([3, 1, 4, 1, 5, 9, 2]),
               np.linspace(-1.0, 1.0, n), np.full(n, 0.5), np.linspace(0.0, 6.0, n),
               Shared(7.25), np.arange(n) * 1.5, np.arange(n) * 0.1, np.arange(n) * 0.01, np.arange(n) * 2.0)
    planned = PlannedReturns(ExportReturn, range(40, 40 + n), np.linspace(10.0, 16.0, n), columns)
    whole = planned.entities(0, n)
    pieces = planned.entities(0, 2) + planned.entities(2, 3) + planned.entities(3, n)
    assert [entity.id for entity in whole] == list(range(40, 40 + n))

    def state(entity):
        return [getattr(entity, name) for name in ("id", "born", "order", "seller", "point", "port", "released",
                                                    "return_by", "tax_free_by", "value", "cost", "inspection_h",
                                                    "domestic_h", "freight")]

    assert [state(entity) for entity in pieces] == [state(entity) for entity in whole]
    assert whole[4].order == 104 and whole[4].port == 5 and whole[4].value == 7.25 and whole[4].born == 14.0
    assert all(type(entity.order) is int and type(entity.born) is float for entity in whole)
