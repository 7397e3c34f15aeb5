"""Exact traces of the Batcher's minimum load: a scheduled departure with too little to
carry is skipped, its load rolls over to the next departure, the maximum wait still
bounds every member's wait, full batches leave at once, and without a minimum (None or
1) the Batcher behaves as before."""

from __future__ import annotations

import pytest

from sim.batching import Batcher


def batches(recorder, source) -> list[tuple[float, list[int]]]:
    """(time, members) of every batch a recorder received, members numbered 1, 2, ... in
    the order the source sent them."""
    number = {entity.id: index for index, entity in enumerate(source.sent, start=1)}
    return [(time, [number[member.id] for member in batch.members]) for time, batch in recorder.arrivals]


def trace(kernel, times, horizon=30.0, **options):
    """Run a Batcher fed at `times`; returns (batches, batcher, context)."""
    context = kernel.context(horizon=horizon)
    batcher = Batcher(context, "truck", **options)
    recorder = kernel.Recorder(context)
    source = kernel.Injector(context, "in", times)
    source.to(batcher).to(recorder)
    context.run()
    context.check_conservation()
    return batches(recorder, source), batcher, context


def test_a_departure_below_the_minimum_is_skipped_and_its_load_rolls_over(kernel):
    # Departures 5, 10, 15 (cut-off 1: sealed at 4, 9, 14); minimum load 3.
    #   e1 (1), e2 (2) are sealed at 4: two members, the departure at 5 is skipped;
    #   e3 (4.5) came after the cut-off: the rolled-over e1, e2 go ahead of it;
    #   e4 (6) joins; at 9 the batch of four is sealed and leaves at 10.
    result, batcher, _ = trace(kernel, [1.0, 2.0, 4.5, 6.0], departures=[5.0, 10.0, 15.0], cutoff=1.0,
                               min_load=3)
    assert result == [(10.0, [1, 2, 3, 4])]
    assert batcher.held_back == 1
    assert batcher.reasons == {"full": 0, "timetable": 1, "max_wait": 0}
    assert batcher.held == 0


def test_a_batch_that_reaches_the_minimum_leaves_at_its_departure(kernel):
    # Minimum 2. e1 (1), e2 (3) make two at the seal (4): they leave at 5. e3 (6) alone is
    # kept back at 10; e4 (11) makes two at 14: e3 and e4 leave at 15.
    result, batcher, _ = trace(kernel, [1.0, 3.0, 6.0, 11.0], departures=[5.0, 10.0, 15.0], cutoff=1.0,
                               min_load=2)
    assert result == [(5.0, [1, 2]), (15.0, [3, 4])]
    assert batcher.held_back == 1
    assert batcher.reasons["timetable"] == 2


def test_the_minimum_is_per_key(kernel):
    # Key = parity of the arrival hour; minimum 2; one departure at 5 (cut-off 1) and one
    # at 10. Even hours: e1 (0), e3 (2) leave at 5. Odd: e2 (1) alone is kept back at 5
    # and, with nothing more, kept back again at 10: it stays in the Batcher.
    result, batcher, context = trace(kernel, [0.0, 1.0, 2.0], departures=[5.0, 10.0], cutoff=1.0, min_load=2,
                                     key=lambda e: int(e.born) % 2)
    assert result == [(5.0, [1, 3])]
    assert batcher.held_back == 2
    assert batcher.held == 1 and context.in_system() == 1


def test_the_maximum_wait_dispatches_whatever_the_minimum(kernel):
    # Minimum 3, maximum wait 6. e1 (1) is kept back at 5; its maximum wait counts from its
    # arrival: it leaves alone at 1 + 6 = 7 (not 5 + 6 and not at the departure at 10).
    result, batcher, _ = trace(kernel, [1.0], departures=[5.0, 10.0, 15.0], cutoff=1.0, min_load=3, max_wait=6.0)
    assert result == [(7.0, [1])]
    assert batcher.reasons == {"full": 0, "timetable": 0, "max_wait": 1}
    assert batcher.held_back == 1


def test_a_maximum_wait_that_expires_while_sealed_sends_the_batch_at_its_departure(kernel):
    # Minimum 3, maximum wait 3.5: e1 (1) is due to leave by 4.5, but its batch was sealed
    # at 4 for the departure at 5. A sealed batch waits for its departure; there it leaves
    # though below the minimum, because its maximum wait is over.
    result, batcher, _ = trace(kernel, [1.0], departures=[5.0, 10.0], cutoff=1.0, min_load=3, max_wait=3.5)
    assert result == [(5.0, [1])]
    assert batcher.reasons == {"full": 0, "timetable": 0, "max_wait": 1}
    assert batcher.held_back == 0


def test_rolled_over_members_that_fill_a_batch_leave_at_once(kernel):
    # Capacity 4, minimum 3, maximum wait 4, departures 5 and 10 (cut-off 1).
    #   e1 (1.5), e2 (2) are sealed at 4; e3 (4.25), e4 (4.5), e5 (4.75) come after the
    #   cut-off. At 5 e1, e2 are kept back and go ahead of them: e1-e4 fill a truck, which
    #   leaves at 5 (full); e5 waits, its maximum wait counted from its own arrival: it
    #   leaves at 4.75 + 4 = 8.75 (not at 4.25 + 4, the end of the wait of the batch e3
    #   opened, which no longer sends anything).
    result, batcher, _ = trace(kernel, [1.5, 2.0, 4.25, 4.5, 4.75], departures=[5.0, 10.0], cutoff=1.0,
                               capacity=4, min_load=3, max_wait=4.0)
    assert result == [(5.0, [1, 2, 3, 4]), (8.75, [5])]
    assert batcher.reasons == {"full": 1, "timetable": 0, "max_wait": 1}
    assert batcher.held_back == 1 and batcher.held == 0


def test_full_batches_leave_at_once_whatever_the_minimum(kernel):
    # Capacity 2, minimum 2: e1 (0.5) and e2 (0.7) fill a truck at 0.7; e3 (2) alone is
    # kept back at 5 and leaves with e4 (6) as soon as they fill a truck, at 6.
    result, batcher, _ = trace(kernel, [0.5, 0.7, 2.0, 6.0], departures=[5.0, 10.0], cutoff=1.0, capacity=2,
                               min_load=2)
    assert result == [(0.7, [1, 2]), (6.0, [3, 4])]
    assert batcher.reasons == {"full": 2, "timetable": 0, "max_wait": 0}


def test_empty_departures_send_nothing_and_hold_nothing_back(kernel):
    # Departures 5, 10, 15, 20; only e1 (12) and e2 (13) arrive: the departures at 5 and
    # 10 have nothing; e1 and e2 reach the minimum of 2 and leave at 15; 20 has nothing.
    result, batcher, _ = trace(kernel, [12.0, 13.0], departures=[5.0, 10.0, 15.0, 20.0], cutoff=1.0, min_load=2)
    assert result == [(15.0, [1, 2])]
    assert batcher.held_back == 0


def test_with_a_cutoff_longer_than_the_headway_the_load_rolls_into_the_sealed_next_departure(kernel):
    # Departures 5 and 6 with a 2 h cut-off (sealed at 3 and 4), minimum 2. e1 (2.5) is
    # sealed alone for 5 and kept back; e2 (3.5) is already sealed for 6: e1 joins it,
    # ahead, and the two leave at 6.
    result, batcher, _ = trace(kernel, [2.5, 3.5], departures=[5.0, 6.0], cutoff=2.0, min_load=2)
    assert result == [(6.0, [1, 2])]
    assert batcher.held_back == 1


@pytest.mark.parametrize("min_load", [None, 1])
def test_without_a_minimum_the_batcher_behaves_as_before(kernel, min_load):
    # Capacity 3, maximum wait 4, departures 5, 10, 15, 20 (cut-off 1).
    #   e1 (1) is sealed at 4 and leaves alone at 5 (timetable);
    #   e2 (4.5), e3 (5.5), e4 (6) fill a truck at 6 (full);
    #   e5 (7) is sealed at 9 and leaves at 10; e6 (11) is sealed at 14 and leaves with
    #   the timetable at 15 (its maximum wait ends at 15 too, but a sealed batch waits for
    #   its departure);
    #   e7 (16.5) opens a batch whose maximum wait (20.5) comes after the seal at 19: it
    #   leaves at 20 with the timetable.
    result, batcher, _ = trace(kernel, [1.0, 4.5, 5.5, 6.0, 7.0, 11.0, 16.5],
                               departures=[5.0, 10.0, 15.0, 20.0], cutoff=1.0, capacity=3, max_wait=4.0,
                               min_load=min_load)
    assert result == [(5.0, [1]), (6.0, [2, 3, 4]), (10.0, [5]), (15.0, [6]), (20.0, [7])]
    assert batcher.reasons == {"full": 1, "timetable": 4, "max_wait": 0}
    assert batcher.held_back == 0
    # and a maximum wait that ends before the seal dispatches on its own
    result, batcher, _ = trace(kernel, [11.0], departures=[5.0, 10.0, 15.0], cutoff=0.5, max_wait=2.0,
                               min_load=min_load)
    assert result == [(13.0, [1])]
    assert batcher.reasons == {"full": 0, "timetable": 0, "max_wait": 1}


def test_the_minimum_must_fit_in_a_truck(kernel):
    context = kernel.context()
    with pytest.raises(ValueError):
        Batcher(context, "too much", capacity=3, departures=[1.0], min_load=4)
    with pytest.raises(ValueError):
        Batcher(context, "nothing", capacity=3, departures=[1.0], min_load=0)
