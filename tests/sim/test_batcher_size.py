"""Exact traces of a Batcher bounded by what its members occupy (a truck's cubic metres):
a member that would not fit sends the open batch first, a minimum load is a size, and a
rolled-over load larger than one batch leaves in batches that fit."""

from __future__ import annotations

from test_batcher_min_load import trace


def test_a_member_that_would_not_fit_sends_the_open_batch_first(kernel):
    # Size 2 each, room for 5: e1 (1), e2 (2) fill 4; e3 (3) would make 6, so e1, e2 leave
    # at 3 and e3 opens the next batch; e4 (4) makes 4; e5 (5) sends e3, e4 at 5; e5 leaves
    # at the departure at 10.
    result, batcher, _ = trace(kernel, [1.0, 2.0, 3.0, 4.0, 5.0], departures=[10.0],
                               size_of=lambda entity: 2.0, size_capacity=5.0)
    assert result == [(3.0, [1, 2]), (5.0, [3, 4]), (10.0, [5])]
    assert batcher.reasons == {"full": 2, "timetable": 1, "max_wait": 0}


def test_a_batch_filled_exactly_leaves_at_once(kernel):
    result, _, _ = trace(kernel, [1.0, 2.0, 3.0], departures=[10.0], size_of=lambda entity: 2.5,
                         size_capacity=5.0)
    assert result == [(2.0, [1, 2]), (10.0, [3])]


def test_the_minimum_load_is_a_size(kernel):
    # Sizes by arrival: e1 (1) 1.0, e2 (6) 3.0. Minimum 2.5: at 5 the load of 1.0 is kept
    # back; at 10 it is 4.0 and leaves, although two members are fewer than 2.5 counted.
    result, batcher, _ = trace(kernel, [1.0, 6.0], departures=[5.0, 10.0],
                               size_of=lambda entity: 1.0 if entity.born < 5 else 3.0, size_capacity=10.0,
                               min_load=2.5)
    assert result == [(10.0, [1, 2])]
    assert batcher.held_back == 1


def test_a_rolled_over_load_leaves_in_batches_that_fit(kernel):
    # Minimum 9 of room 10, sizes 3. The cut-off at 4 seals e1, e2 (6): kept back at 5,
    # they go ahead of e3 (4.5) in the open batch (9). e4 (6) would make 12: e1–e3 leave
    # at once. e4, e5 (7) make 6 at the seal at 9: kept back at 10, and they stay.
    result, batcher, _ = trace(kernel, [1.0, 2.0, 4.5, 6.0, 7.0], departures=[5.0, 10.0], cutoff=1.0,
                               size_of=lambda entity: 3.0, size_capacity=10.0, min_load=9.0)
    assert result == [(6.0, [1, 2, 3])]
    assert batcher.held_back == 2 and batcher.held == 2
