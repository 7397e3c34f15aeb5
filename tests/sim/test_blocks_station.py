"""Exact traces of stations and server pools: who starts when.

Arrivals come from an `Injector` at given times and service times from fed lists (in the
order services start), so every start, end, wait and statistic is computed by hand in
the comments.
"""

from __future__ import annotations

import pytest

from sim.entity import Entity
from sim.station import ServerPool, Station


def test_fifo_station_with_two_servers(kernel):
    # Two servers; arrivals at 0, 0.5, 1, 1.5, 6; services in start order 3, 2, 4, 1, 2.
    #   e1 starts 0 (ends 3); e2 starts 0.5 (ends 2.5); e3 (t=1) and e4 (t=1.5) wait;
    #   at 2.5 e2 ends and e3 starts (ends 6.5); at 3 e1 ends and e4 starts (ends 4);
    #   e5 arrives at 6 to a free server (ends 8).
    context = kernel.context(horizon=10.0)
    source = kernel.Injector(context, "in", [0.0, 0.5, 1.0, 1.5, 6.0])
    station = Station(context, "desk", 2, kernel.fed([3, 2, 4, 1, 2]),
                      arrive="desk.arrive", start="desk.start", end="desk.end", record_waits=True)
    recorder = kernel.Recorder(context)
    source.to(station).to(recorder)
    context.run()

    assert kernel.milestones(context) == [
        (1, "desk.arrive", 0.0), (1, "desk.start", 0.0),
        (2, "desk.arrive", 0.5), (2, "desk.start", 0.5),
        (3, "desk.arrive", 1.0),
        (4, "desk.arrive", 1.5),
        (2, "desk.end", 2.5), (3, "desk.start", 2.5),
        (1, "desk.end", 3.0), (4, "desk.start", 3.0),
        (4, "desk.end", 4.0),
        (5, "desk.arrive", 6.0), (5, "desk.start", 6.0),
        (3, "desk.end", 6.5),
        (5, "desk.end", 8.0),
    ]
    assert [(t, e.id) for t, e in recorder.arrivals] == [(2.5, 2), (3.0, 1), (4.0, 4), (6.5, 3), (8.0, 5)]
    # Waits 0, 0, 1.5, 1.5, 0 in start order.
    assert station.wait_samples == [0.0, 0.0, 1.5, 1.5, 0.0]
    assert station.waits.count == 5 and station.wait_mean() == pytest.approx(0.6)
    # Queue: 1 on [1, 1.5), 2 on [1.5, 2.5), 1 on [2.5, 3): area 3 over 10 h.
    assert station.queue.mean() == pytest.approx(0.3)
    assert station.queue.maximum == 2
    # Busy servers: 1 on [0, .5), 2 on [.5, 4), 1 on [4, 6), 2 on [6, 6.5), 1 on [6.5, 8):
    # area 12 of 20 server-hours.
    assert station.pool.utilization() == pytest.approx(0.6)
    assert station.completed == 5 and station.throughput() == pytest.approx(0.5)
    assert station.held == 0 and station.in_service == 0
    assert [recorder.sojourns.count, recorder.sojourns.mean()] == [5, pytest.approx((3 + 2 + 5.5 + 2.5 + 2) / 5)]
    context.check_conservation()


class Ranked(Entity):
    __slots__ = ("rank",)


def ranked(ranks):
    queue = iter(ranks)

    def make(entity_id: int, born: float) -> Ranked:
        entity = Ranked(entity_id, born)
        entity.rank = next(queue)
        return entity

    return make


def test_priority_station_serves_lowest_rank_first_then_fifo(kernel):
    # One server. e1 (rank 5) at 0 takes 2 h; e2 (rank 2) at 0.5, e3 (rank 1) at 1 and
    # e4 (rank 1) at 1.5 wait. At 2: e3 (rank 1, earlier) then e4 (rank 1) then e2.
    # Services in start order 2, 1, 1, 1: e3 2-3, e4 3-4, e2 4-5.
    context = kernel.context(horizon=10.0)
    source = kernel.Injector(context, "in", [0.0, 0.5, 1.0, 1.5], make=ranked([5, 2, 1, 1]))
    station = Station(context, "xray", 1, kernel.fed([2, 1, 1, 1]), priority_of=lambda e: e.rank,
                      start="xray.start", record_waits=True)
    recorder = kernel.Recorder(context)
    source.to(station).to(recorder)
    context.run()
    assert kernel.times_by_entity(context, "xray.start") == {1: 0.0, 3: 2.0, 4: 3.0, 2: 4.0}
    assert recorder.ids() == [1, 3, 4, 2]
    assert station.wait_samples == [0.0, 1.0, 1.5, 3.5]


def test_shift_calendar_capacity_drop_and_rise(kernel):
    # Capacity 2 from 0, 1 from 2, 3 from 6. Arrivals 0, 0, 1, 1.5, 3.5, 3.6; services in
    # start order 3, 4, 5, 1, 1, 1.
    #   e1 0-3 and e2 0-4 start at once. At 2 capacity drops to 1: both keep working.
    #   At 3 e1 ends: 1 busy = capacity 1, so e3 does NOT start. At 4 e2 ends: e3 starts
    #   (4-9). At 6 capacity rises to 3: e4 and e5 start (6-7); e6 waits for e4 (7-8).
    context = kernel.context(horizon=10.0)
    source = kernel.Injector(context, "in", [0.0, 0.0, 1.0, 1.5, 3.5, 3.6])
    pool = ServerPool(context, "officers", 2, capacity_changes=[(0.0, 2), (2.0, 1), (6.0, 3)])
    station = Station(context, "check", pool, kernel.fed([3, 4, 5, 1, 1, 1]), start="start", end="end")
    recorder = kernel.Recorder(context)
    source.to(station).to(recorder)
    context.run()
    assert kernel.times_by_entity(context, "start") == {1: 0.0, 2: 0.0, 3: 4.0, 4: 6.0, 5: 6.0, 6: 7.0}
    assert kernel.times_by_entity(context, "end") == {1: 3.0, 2: 4.0, 3: 9.0, 4: 7.0, 5: 7.0, 6: 8.0}
    # Busy area 2*3 + 1*1 + 1*2 + 3*1 + 2*1 + 1*1 = 15; capacity area 2*2 + 1*4 + 3*4 = 20.
    assert pool.busy_level.area == pytest.approx(15.0)
    assert pool.capacity_level.area == pytest.approx(20.0)
    assert pool.utilization() == pytest.approx(0.75)


def test_capacity_changes_at_time_zero_replace_the_initial_servers(kernel):
    context = kernel.context(horizon=4.0)
    source = kernel.Injector(context, "in", [0.0, 0.0, 0.0])
    pool = ServerPool(context, "crew", 5, capacity_changes=[(0.0, 1), (1.0, 0), (2.0, 2)])
    station = Station(context, "dock", pool, kernel.fed([1.5, 1, 1]), start="start")
    source.to(station).to(kernel.Recorder(context))
    context.run()
    # 1 server from 0: e1 0-1.5 (finishes although capacity is 0 from 1); e2, e3 at 2.
    assert kernel.times_by_entity(context, "start") == {1: 0.0, 2: 2.0, 3: 2.0}


def test_shared_pool_serves_two_stations_from_one_fifo_queue(kernel):
    # One officer for documents and inspection. Documents: arrivals 0 (2 h) and 1 (1 h);
    # inspection: arrival 0.5 (1 h). FIFO over both: doc1 0-2, insp1 2-3, doc2 3-4.
    context = kernel.context(horizon=10.0)
    pool = ServerPool(context, "officers", 1)
    documents = Station(context, "documents", pool, kernel.fed([2, 1]), start="documents.start")
    inspection = Station(context, "inspection", pool, kernel.fed([1]), start="inspection.start")
    recorder = kernel.Recorder(context)
    kernel.Injector(context, "documents in", [0.0, 1.0]).to(documents).to(recorder)
    kernel.Injector(context, "inspection in", [0.5]).to(inspection).to(recorder)
    context.run()
    assert kernel.times_by_entity(context, "documents.start") == {1: 0.0, 3: 3.0}
    assert kernel.times_by_entity(context, "inspection.start") == {2: 2.0}
    assert documents.wait_mean() == pytest.approx(1.0)  # (0 + 2) / 2
    assert inspection.wait_mean() == pytest.approx(1.5)
    assert documents.queue.mean() == pytest.approx(0.2)  # doc2 waits [1, 3): 2 / 10
    assert inspection.queue.mean() == pytest.approx(0.15)  # [0.5, 2): 1.5 / 10
    assert pool.utilization() == pytest.approx(0.4)  # busy [0, 4) of 10 h
    assert recorder.ids() == [1, 2, 3]


def test_shared_pool_with_priority_across_stations(kernel):
    # One server. Parcels (rank 2) arrive at 0 and 0.1, an urgent letter (rank 1) at 0.2,
    # on a second station of the same pool. The letter goes before the waiting parcel.
    context = kernel.context(horizon=10.0)
    pool = ServerPool(context, "officers", 1)
    parcels = Station(context, "parcels", pool, kernel.fed([1, 1]), priority_of=lambda e: 2, start="start p")
    letters = Station(context, "letters", pool, kernel.fed([1]), priority_of=lambda e: 1, start="start l")
    recorder = kernel.Recorder(context)
    kernel.Injector(context, "parcels in", [0.0, 0.1]).to(parcels).to(recorder)
    kernel.Injector(context, "letters in", [0.2]).to(letters).to(recorder)
    context.run()
    assert kernel.times_by_entity(context, "start p") == {1: 0.0, 2: 2.0}
    assert kernel.times_by_entity(context, "start l") == {3: 1.0}


def test_service_of_draws_from_the_entity(kernel):
    context = kernel.context(horizon=10.0)
    station = Station(context, "pack", 1, service_of=lambda e: 0.5 * e.id, end="end")
    kernel.Injector(context, "in", [0.0, 0.0, 0.0]).to(station).to(kernel.Recorder(context))
    context.run()
    assert kernel.times_by_entity(context, "end") == {1: 0.5, 2: 1.5, 3: 3.0}


def test_warmup_resets_statistics(kernel):
    # One server, warm-up 5 h, horizon 10 h. Arrivals 0, 1, 4, 6, 7; services 3, 3, 3, 1.
    #   e1 0-3, e2 3-6 (waited 2), e3 6-9 (waited 2), e4 9-10+ (waited 3), e5 still waiting.
    # In the window [5, 10]: starts e3 (wait 2) and e4 (wait 3): mean 2.5.
    #   queue: 1 on [5, 6), 1 on [6, 7) (e4 arrives as e3 starts), 2 on [7, 9), 1 on [9, 10):
    #   area 7 over 5 h = 1.4. Completions in the window: e2 (6), e3 (9).
    #   in system: 2 on [5, 7), 3 on [7, 9), 2 on [9, 10): area 12 over 5 h = 2.4.
    context = kernel.context(horizon=10.0, warmup=5.0)
    source = kernel.Injector(context, "in", [0.0, 1.0, 4.0, 6.0, 7.0])
    station = Station(context, "gate", 1, kernel.fed([3, 3, 3, 1]), record_waits=True)
    recorder = kernel.Recorder(context, record_sojourns=True)
    source.to(station).to(recorder)
    context.run()
    assert station.wait_samples == [2.0, 3.0]
    assert station.waits.count == 2 and station.wait_mean() == pytest.approx(2.5)
    assert station.queue.mean() == pytest.approx(1.4)
    assert station.completed == 2 and station.throughput() == pytest.approx(0.4)
    assert station.pool.utilization() == pytest.approx(1.0)
    assert recorder.completed == 2 and recorder.sojourn_samples == [5.0, 5.0]
    assert context.wip.mean() == pytest.approx(2.4)
    assert (context.created_before_window, context.created) == (3, 5)
    assert (context.finished_before_window, context.finished) == (1, 3)
    assert context.in_system() == 2
    context.check_conservation()
