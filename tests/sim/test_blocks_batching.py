"""Exact traces of the Batcher (full, timetable with cut-off, maximum wait) and Unbatch."""

from __future__ import annotations

import pytest

from sim.batching import Batcher, Unbatch


def batches(recorder, source) -> list[tuple[float, list[int]]]:
    """(time, members) of every batch a recorder received, members numbered 1, 2, ... in
    the order the source sent them (batches take entity ids too)."""
    number = {entity.id: index for index, entity in enumerate(source.sent, start=1)}
    return [(time, [number[member.id] for member in batch.members]) for time, batch in recorder.arrivals]


def test_full_batches_leave_at_once_per_key(kernel):
    # Capacity 2, one open batch per parity of the arrival hour; arrivals at 0, 1, ..., 5.
    # Even hours: 1st and 3rd leave at 2. Odd: 2nd and 4th leave at 3. 5th and 6th stay.
    context = kernel.context(horizon=10.0)
    batcher = Batcher(context, "truck", capacity=2, key=lambda e: int(e.born) % 2, loaded="loaded")
    recorder = kernel.Recorder(context)
    source = kernel.Injector(context, "in", [0.0, 1.0, 2.0, 3.0, 4.0, 5.0])
    source.to(batcher).to(recorder)
    context.run()
    assert batches(recorder, source) == [(2.0, [1, 3]), (3.0, [2, 4])]
    assert [batch.key for _, batch in recorder.arrivals] == [0, 1]
    assert [batch.weight for _, batch in recorder.arrivals] == [2, 2]
    assert batcher.held == 2 and batcher.reasons == {"full": 2, "timetable": 0, "max_wait": 0}
    assert batcher.sizes.mean() == 2 and batcher.load_factor() == 1.0
    # The log gives each member's batch as its resource.
    table = context.log.table()
    loaded = table.milestone == table.names.index("loaded")
    batch_ids = [batch.id for _, batch in recorder.arrivals]
    ids = [entity.id for entity in source.sent]
    assert list(zip(table.entity[loaded], table.time[loaded], table.resource[loaded])) == [
        (ids[0], 2.0, batch_ids[0]), (ids[2], 2.0, batch_ids[0]), (ids[1], 3.0, batch_ids[1]), (ids[3], 3.0, batch_ids[1])]
    # Members are counted once: 6 created, 4 finished (in two batches), 2 held.
    context.check_conservation()


def test_timetable_with_cutoff(kernel):
    # Departures at 5, 10, 15, 20, 25 with a 2 h cut-off (sealed at 3, 8, 13, 18, 23).
    #   e1 (t=1) is sealed at 3 and leaves at 5; e2 (7.5) leaves at 10;
    #   e3 (8.5) missed the cut-off at 8: it waits for the departure at 15;
    #   nothing is there at 18: the departure at 20 sends nothing; e4 (21) leaves at 25.
    context = kernel.context(horizon=30.0)
    batcher = Batcher(context, "flight", departures=[5.0, 10.0, 15.0, 20.0, 25.0], cutoff=2.0)
    recorder = kernel.Recorder(context)
    source = kernel.Injector(context, "in", [1.0, 7.5, 8.5, 21.0])
    source.to(batcher).to(recorder)
    context.run()
    assert batches(recorder, source) == [(5.0, [1]), (10.0, [2]), (15.0, [3]), (25.0, [4])]
    assert batcher.reasons["timetable"] == 4 and batcher.held == 0


def test_cutoffs_longer_than_the_headway(kernel):
    # Departures at 5 and 6 with a 2 h cut-off: sealed at 3 and at 4. e1 (2.5) makes the
    # 5 o'clock departure; e2 (3.5) missed its cut-off (3) and must leave at 6, not at 5.
    context = kernel.context(horizon=10.0)
    batcher = Batcher(context, "flight", departures=[5.0, 6.0], cutoff=2.0)
    recorder = kernel.Recorder(context)
    source = kernel.Injector(context, "in", [2.5, 3.5])
    source.to(batcher).to(recorder)
    context.run()
    assert batches(recorder, source) == [(5.0, [1]), (6.0, [2])]


def test_after_the_last_departure_work_stays_in_the_batcher(kernel):
    context = kernel.context(horizon=10.0)
    batcher = Batcher(context, "flight", departures=[2.0], cutoff=0.5)
    recorder = kernel.Recorder(context)
    source = kernel.Injector(context, "in", [1.0, 1.7])
    source.to(batcher).to(recorder)
    context.run()
    assert batches(recorder, source) == [(2.0, [1])]
    assert batcher.held == 1
    context.check_conservation()


def test_maximum_wait_counts_from_the_first_member(kernel):
    # Capacity 5, maximum wait 3: e1 (0) and e2 (1) leave at 3; e3 (4) leaves at 7.
    context = kernel.context(horizon=10.0)
    batcher = Batcher(context, "bag", capacity=5, max_wait=3.0)
    recorder = kernel.Recorder(context)
    source = kernel.Injector(context, "in", [0.0, 1.0, 4.0])
    source.to(batcher).to(recorder)
    context.run()
    assert batches(recorder, source) == [(3.0, [1, 2]), (7.0, [3])]
    assert batcher.reasons == {"full": 0, "timetable": 0, "max_wait": 2}
    assert batcher.load_factor() == pytest.approx(1.5 / 5)


def test_a_full_batch_cancels_its_maximum_wait(kernel):
    # Capacity 2, maximum wait 3: e1 (0) and e2 (1) leave full at 1. e3 (2) opens a new
    # batch: the old batch's expiry at 3 must not send it; it leaves at 2 + 3 = 5.
    context = kernel.context(horizon=10.0)
    batcher = Batcher(context, "bag", capacity=2, max_wait=3.0)
    recorder = kernel.Recorder(context)
    source = kernel.Injector(context, "in", [0.0, 1.0, 2.0])
    source.to(batcher).to(recorder)
    context.run()
    assert batches(recorder, source) == [(1.0, [1, 2]), (5.0, [3])]
    assert batcher.reasons == {"full": 1, "timetable": 0, "max_wait": 1}


def test_batcher_needs_a_way_to_dispatch(kernel):
    context = kernel.context()
    with pytest.raises(ValueError):
        Batcher(context, "never")
    with pytest.raises(ValueError):
        Batcher(context, "empty", capacity=0)


def test_unbatch_sends_members_on_in_order(kernel):
    context = kernel.context(horizon=10.0)
    batcher = Batcher(context, "cage", capacity=3)
    unbatch = Unbatch(context, "open cage")
    recorder = kernel.Recorder(context, record_sojourns=True)
    kernel.Injector(context, "in", [0.0, 0.5, 1.0, 2.0]).to(batcher).to(unbatch).to(recorder)
    context.run()
    assert [(t, e.id) for t, e in recorder.arrivals] == [(1.0, 1), (1.0, 2), (1.0, 3)]
    assert recorder.sojourn_samples == [1.0, 0.5, 0.0]
    assert (context.created, context.finished, context.in_system()) == (4, 3, 1)
    context.check_conservation()
