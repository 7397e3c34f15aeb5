"""Calls due in a later slot wait off the event queue (`Context._park`); that must not change
which call runs when: the same calls, in the same order, as with every call on the heap."""

from __future__ import annotations

import random

from sim.context import SLOT_HOURS, Context
from sim.streams import Streams

HORIZON = 200.0


def _script(context: Context, seed: int) -> list[tuple[float, int]]:
    """Schedule a dense random mix of calls (exact ties, slot boundaries, days ahead, beyond
    the horizon, calls made by calls) and return the (time, tag) of every call run, in order."""
    rng = random.Random(seed)
    ran: list[tuple[float, int]] = []
    tags = iter(range(10**9))

    def call(tag: int) -> None:
        now = context.now
        ran.append((now, tag))
        for _ in range(rng.choice((0, 0, 1, 2))):  # calls made while running
            kind = rng.random()
            if kind < 0.25:
                context.schedule(0.0, call, next(tags))  # a tie with the call running
            elif kind < 0.5:
                context.schedule(rng.uniform(0.0, 2 * SLOT_HOURS), call, next(tags))
            elif kind < 0.75:  # the next slot boundaries: ties with calls parked long before
                context.at((int(now / SLOT_HOURS) + rng.randint(1, 3)) * SLOT_HOURS, call, next(tags))
            else:
                context.schedule(rng.expovariate(1 / 30.0), call, next(tags))

    for _ in range(2000):
        kind = rng.random()
        if kind < 0.4:
            context.at(rng.uniform(0.0, 1.2 * HORIZON), call, next(tags))
        elif kind < 0.8:
            context.at(rng.randint(0, int(1.2 * HORIZON / SLOT_HOURS)) * SLOT_HOURS, call, next(tags))
        else:
            context.schedule(rng.choice((0.0, SLOT_HOURS, 24.0, HORIZON, 5 * HORIZON)), call, next(tags))
    context.run()
    return ran


def _pending(context: Context) -> list[tuple[float, int, int]]:
    return sorted((entry[0], entry[1], entry[2]) for entry in context.env._queue)


def test_parked_calls_run_in_the_order_of_an_unparked_queue():
    for seed in range(5):
        parked = Context(Streams(1, 0), horizon=HORIZON, log=False)
        plain = Context(Streams(1, 0), horizon=HORIZON, log=False)
        plain._near = plain._park_until = float("inf")  # every call straight onto the heap
        ran = _script(parked, seed)
        assert len(ran) > 2000
        assert ran == _script(plain, seed)
        # after the run the queue holds every pending call (those at or after the horizon)
        assert _pending(parked) == _pending(plain)
        assert all(time >= HORIZON for time, _, _ in _pending(parked))
        assert next(parked.env._eid) == next(plain.env._eid)  # releases take no event ids


def test_next_ids_are_the_ids_next_id_would_give():
    one, many = Context(Streams(1, 0), horizon=1.0), Context(Streams(1, 0), horizon=1.0)
    one.next_id()
    many.next_id()
    assert list(many.next_ids(5)) == [one.next_id() for _ in range(5)]
    assert many.next_id() == one.next_id() == 7
    assert list(many.next_ids(0)) == []
