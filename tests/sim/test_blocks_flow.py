"""Exact traces of Delay, Router, Switch, Split/Join, Sink and Drop; the conservation and
wiring checks; the context's callbacks."""

from __future__ import annotations

import numpy as np
import pytest

from sim.context import ConservationError, WiringError
from sim.entity import Entity
from sim.flow import Delay, Drop, Join, Router, Sink, Split, Switch
from sim.station import Station
from sim.streams import Streams


def test_delay_holds_entities_in_parallel(kernel):
    # Arrivals 0, 1, 2 with durations 5, 1, 2: they leave at 5, 2, 4 (no queue).
    context = kernel.context(horizon=10.0)
    delay = Delay(context, "transit", kernel.fed([5, 1, 2]), end="transit.end")
    recorder = kernel.Recorder(context)
    kernel.Injector(context, "in", [0.0, 1.0, 2.0]).to(delay).to(recorder)
    context.run()
    assert [(t, e.id) for t, e in recorder.arrivals] == [(2.0, 2), (4.0, 3), (5.0, 1)]
    assert kernel.times_by_entity(context, "transit.end") == {1: 5.0, 2: 2.0, 3: 4.0}
    assert delay.held == 0


def test_delay_of_entity_and_held_while_running(kernel):
    context = kernel.context(horizon=2.5)
    delay = Delay(context, "decide", duration_of=lambda e: float(e.id))  # 1 h, 2 h, 3 h
    recorder = kernel.Recorder(context)
    kernel.Injector(context, "in", [0.0, 0.0, 0.0]).to(delay).to(recorder)
    context.run()
    assert recorder.times() == [1.0, 2.0]
    assert delay.held == 1  # the third leaves at 3, after the horizon
    context.check_conservation()


def test_router_follows_its_stream_exactly(kernel):
    # Branch 0 with probability 0.2, branch 1 with 0.5, otherwise the rest: entity i goes
    # where the i-th uniform of stream "router.inspect" says (u < 0.2, u < 0.7, else).
    count = 500
    context = kernel.context(horizon=10.0, seed=7)
    router = Router(context, "inspect", [0.2, 0.5])
    branches = [kernel.Recorder(context, f"branch {i}") for i in range(3)]
    router.connect(0, branches[0])
    router.connect(1, branches[1])
    router.otherwise = branches[2]
    kernel.Injector(context, "in", [0.01 * i for i in range(count)]).to(router)
    context.run()
    uniform = Streams(7, 0).uniform("router.inspect")
    expected: list[list[int]] = [[], [], []]
    for entity_id in range(1, count + 1):
        u = uniform()
        expected[0 if u < 0.2 else 1 if u < 0.7 else 2].append(entity_id)
    assert [branch.ids() for branch in branches] == expected


def test_router_probabilities_over_many_draws(kernel):
    count = 20_000
    context = kernel.context(horizon=10.0, seed=3)
    router = Router(context, "channel", [0.1, 0.6, 0.3], stream="channel.choice")
    branches = [kernel.Recorder(context, f"branch {i}") for i in range(3)]
    for index, branch in enumerate(branches):
        router.connect(index, branch)
    kernel.Injector(context, "in", [1e-4 * i for i in range(count)]).to(router)
    context.check_wiring()  # probabilities sum to 1: no `otherwise` needed
    context.run()
    for probability, branch in zip([0.1, 0.6, 0.3], branches):
        expected = count * probability
        assert abs(len(branch.arrivals) - expected) < 4.5 * np.sqrt(expected * (1 - probability))


def test_router_rejects_bad_probabilities(kernel):
    context = kernel.context()
    with pytest.raises(ValueError):
        Router(context, "a", [0.7, 0.4])
    with pytest.raises(ValueError):
        Router(context, "b", [-0.1, 0.5])


def test_switch_routes_on_an_attribute(kernel):
    context = kernel.context(horizon=10.0)
    switch = Switch(context, "parity", key=lambda e: "even" if e.id % 2 == 0 else "odd", branches=["even", "odd"])
    even, odd = kernel.Recorder(context, "even"), kernel.Recorder(context, "odd")
    switch.connect("even", even)
    switch.connect("odd", odd)
    with pytest.raises(KeyError):
        switch.connect("other", odd)
    kernel.Injector(context, "in", [0, 1, 2, 3, 4]).to(switch)
    context.run()
    assert even.ids() == [2, 4] and odd.ids() == [1, 3, 5]


def test_split_and_join(kernel):
    # e1 at 0 splits into three parts delayed 2, 5 and 1 h: it waits in the join until the
    # last part is back at 5. e5 (next id after the parts 2, 3, 4) arrives at 1 with no
    # parts and leaves at once.
    context = kernel.context(horizon=10.0)

    def parts(entity: Entity) -> list[Entity]:
        return [Entity(context.next_id(), context.now) for _ in range(3 if entity.id == 1 else 0)]

    split = Split(context, "documents", parts)
    join = Join(context, "all documents", end="released")
    split.join = join
    delay = Delay(context, "review", kernel.fed([2, 5, 1]), end="reviewed")
    recorder = kernel.Recorder(context)
    split.to(delay).to(join).to(recorder)
    kernel.Injector(context, "in", [0.0, 1.0]).to(split)
    context.run()
    assert [(t, e.id) for t, e in recorder.arrivals] == [(1.0, 5), (5.0, 1)]
    assert kernel.times_by_entity(context, "reviewed") == {2: 2.0, 3: 5.0, 4: 1.0}
    assert kernel.times_by_entity(context, "released") == {5: 1.0, 1: 5.0}
    assert join.waiting_time.count == 2 and join.waiting_time.mean() == pytest.approx(2.5)
    # Parts weigh 0: two orders created, two finished.
    assert (context.created, context.finished) == (2, 2)
    context.check_conservation()


def test_join_holds_the_whole_while_parts_are_out(kernel):
    context = kernel.context(horizon=3.0)
    split = Split(context, "split", lambda e: [Entity(context.next_id(), context.now) for _ in range(2)])
    split.join = Join(context, "join")
    split.join.to(kernel.Recorder(context))
    split.to(Delay(context, "slow", kernel.fed([1, 4]))).to(split.join)
    kernel.Injector(context, "in", [0.0]).to(split)
    context.run()
    assert split.join.held == 1 and context.in_system() == 1
    context.check_conservation()


def test_join_refuses_an_entity_that_is_not_a_part(kernel):
    context = kernel.context()
    join = Join(context, "join")
    with pytest.raises(ValueError):
        join.put(Entity(1, 0.0))


def test_sink_and_drop_with_reasons(kernel):
    # Odd ids leave normally, even ids are seized; conservation counts both.
    context = kernel.context(horizon=10.0)
    switch = Switch(context, "risk", key=lambda e: e.id % 2, branches=[0, 1])
    sink = Sink(context, "released", milestone="released", record_sojourns=True)
    seized = Drop(context, "seized", reason="seized", milestone="seized")
    late = Drop(context, "late", reason="late")
    switch.connect(1, sink)
    switch.connect(0, seized)
    kernel.Injector(context, "in", [0.0, 1.0, 2.0, 3.0, 4.0]).to(switch)
    kernel.Injector(context, "late in", [5.0]).to(late)
    context.run()
    assert context.dropped == {"seized": 2, "late": 1}
    assert kernel.times_by_entity(context, "seized") == {2: 1.0, 4: 3.0}
    assert kernel.times_by_entity(context, "released") == {1: 0.0, 3: 2.0, 5: 4.0}
    assert sink.completed == 3 and sink.sojourn_samples == [0.0, 0.0, 0.0]
    assert (context.created, context.finished) == (6, 3)
    context.check_conservation()
    with pytest.raises(ValueError):
        Drop(context, "no reason", reason="")


class Leaky:
    """A deliberately broken block: forgets what it is given."""

    def __init__(self, context) -> None:
        self.name = "leaky"
        self.held = 0
        context.register(self)

    def put(self, entity: Entity) -> None:
        pass

    def outputs(self) -> dict:
        return {}


def test_conservation_check_catches_a_lost_entity(kernel):
    context = kernel.context(horizon=10.0)
    station = Station(context, "desk", 1, kernel.fed([1.0, 1.0]))
    kernel.Injector(context, "in", [0.0, 0.5]).to(station).to(Leaky(context))
    context.run()
    with pytest.raises(ConservationError, match="created 2 != finished 0 \\+ in system 0 \\+ dropped 0"):
        context.check_conservation()


def test_wiring_is_checked_before_time_zero(kernel):
    context = kernel.context(horizon=10.0)
    source = kernel.Injector(context, "in", [0.0, 1.0])
    source.to(Station(context, "desk", 1, kernel.fed([1.0])))  # the station's output is open
    with pytest.raises(WiringError, match="'desk'.*'out'"):
        context.run()
    assert context.now == 0.0 and source.sent == [] and context.created == 0


def test_router_without_otherwise_is_a_wiring_error(kernel):
    context = kernel.context()
    router = Router(context, "r", [0.5])
    router.connect(0, kernel.Recorder(context))
    with pytest.raises(WiringError, match="otherwise"):
        context.check_wiring()


def test_output_to_something_that_is_not_a_block(kernel):
    context = kernel.context()
    kernel.Injector(context, "in", []).to("desk")
    with pytest.raises(WiringError, match="not a block"):
        context.check_wiring()


def test_block_names_are_unique(kernel):
    context = kernel.context()
    Sink(context, "end")
    with pytest.raises(WiringError, match="two blocks"):
        Sink(context, "end")


def test_schedule_and_at_call_back_with_the_value(kernel):
    context = kernel.context(horizon=10.0)
    calls = []
    context.schedule(2.0, lambda value: calls.append((context.now, value)), "later")
    context.at(1.0, lambda value: calls.append((context.now, value)), "sooner")
    context.at(1.0, lambda value: calls.append((context.now, value)))
    context.at(10.0, lambda wakeup: calls.append((context.now, "at the horizon")))
    context.run()
    # Same time: first scheduled, first called; nothing at the horizon itself.
    assert calls == [(1.0, "sooner"), (1.0, None), (2.0, "later")]
    assert context.now == 10.0


def test_simpy_processes_run_alongside_blocks(kernel):
    # Procedural logic (a shift change, a truck's route) can still be a SimPy process.
    context = kernel.context(horizon=10.0)
    seen = []

    def truck():
        for _ in range(3):
            yield context.env.timeout(3.0)
            seen.append(context.now)

    context.env.process(truck())
    context.run()
    assert seen == [3.0, 6.0, 9.0]


def test_a_failing_process_stops_the_run(kernel):
    context = kernel.context(horizon=10.0)

    def broken():
        yield context.env.timeout(1.0)
        raise RuntimeError("truck broke down")

    context.env.process(broken())
    with pytest.raises(RuntimeError, match="truck broke down"):
        context.run()
