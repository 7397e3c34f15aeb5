"""The outbound flow.

    domestic network (daily profile, EMB) -> acceptance scan (EXA) -> X-ray line
    -> image judgement -> export decision
       released (EXC) ------------------------------------> bagging per route
       held (EXB) -> inspection -> refused (returned to the sender) | EXC -> bagging
    bagging: a receptacle closes when full or at the route's cut-off, then waits for the
    first departure whose cut-off it made and leaves with it (EMC).
"""

from __future__ import annotations

from dataclasses import dataclass

from models.mail.blocks import DepartureGate, ExportDecision, OutboundDispatch, Stamp, WindowDrop
from models.mail.inbound import INSPECTION_PRIORITY, JUDGEMENT_PRIORITY, minutes, seconds, xray_pool
from models.mail.items import REFUSAL, OutboundItem, outbound_factory
from models.mail.params import Params
from models.mail.recorders import OutboundRecorder, WindowCounter
from models.mail.volume import OutboundSource, VolumeCurve
from sim.batching import Batcher
from sim.calendar import HOURS_PER_DAY, timetable_times
from sim.context import Context
from sim.flow import Switch
from sim.station import ServerPool, Station, shift_pool

#: departures are known this far past the horizon, to find an item's first possible one
LOOKAHEAD_H = 21 * HOURS_PER_DAY


@dataclass(frozen=True)
class OutboundNetwork:
    acceptance: Station
    xray: Station
    judgement: Station
    decision: ExportDecision
    inspection: Station
    bagging: tuple[Batcher, ...]
    gates: tuple[DepartureGate, ...]
    refused: WindowDrop
    recorder: OutboundRecorder
    arrived: WindowCounter
    route_modes: tuple[str, ...]

    def processing_blocks(self) -> tuple[Station, ...]:
        """Blocks holding items that wait for the office's or customs' work."""
        return (self.acceptance, self.xray, self.judgement, self.inspection)


def build_outbound(context: Context, params: Params, curve: VolumeCurve, officers: ServerPool,
                   officer_changes: list[tuple[float, int]]) -> OutboundNetwork:
    outbound, customs = params.outbound, params.customs
    streams, calendar, horizon = context.streams, context.calendar, context.horizon
    arrived = WindowCounter(context.warmup)
    make = outbound_factory(streams, [route.share for route in outbound.routes], arrived.created)
    source = OutboundSource(context, "outbound.arrivals", curve, 1.0 - params.volume.inbound_share,
                            outbound.hourly_profile, make, milestone="EMB")
    staff = shift_pool(context, "outbound.acceptance_staff", outbound.acceptance_staff,
                       outbound.acceptance_staff_changeover)
    acceptance = Station(context, "outbound.acceptance", staff,
                         streams.sampler("outbound.acceptance", seconds(outbound.acceptance_s)))
    presented = Stamp(context, "outbound.presented", "exa", "EXA")
    lines = xray_pool(context, "outbound.xray_lines", outbound.xray_lines, outbound.xray_shifts,
                      outbound.xray_shifts_changeover, officer_changes)
    xray_h = 1.0 / outbound.xray_rate_per_h
    xray = Station(context, "outbound.xray", lines, lambda: xray_h)
    image = seconds(customs.judgement.image_s)
    if customs.judgement.ai:
        image = image.scaled(customs.judgement.ai_time_factor)
    judgement = Station(context, "outbound.judgement", officers, streams.sampler("outbound.judgement", image),
                        priority_of=lambda item: JUDGEMENT_PRIORITY)
    decision = ExportDecision(context, "outbound.decision", outbound.hold_rate)
    source.to(acceptance).to(presented).to(xray).to(judgement).to(decision)

    inspection = Station(context, "outbound.inspection", officers,
                         streams.sampler("outbound.inspection", minutes(outbound.inspection_min)),
                         priority_of=lambda item: INSPECTION_PRIORITY)
    decision.hold = inspection
    refusal_share = outbound.refusal_share

    def inspected_outcome(item: OutboundItem) -> str:
        return "refused" if item.draws[REFUSAL] < refusal_share else "released"

    inspected = Switch(context, "outbound.inspected", inspected_outcome, ["refused", "released"])
    inspection.to(inspected)
    refused = WindowDrop(context, "outbound.refused", "refused_export", milestone="refused_export")
    inspected.connect("refused", refused)
    released = Stamp(context, "outbound.released", "exc", "EXC")
    inspected.connect("released", released)

    routes = Switch(context, "outbound.routes", lambda item: item.route, list(range(len(outbound.routes))))
    decision.to(routes)
    released.to(routes)
    recorder = OutboundRecorder()
    bagging: list[Batcher] = []
    gates: list[DepartureGate] = []
    for index, route in enumerate(outbound.routes):
        departures = timetable_times(route.times, calendar, horizon + LOOKAHEAD_H, route.days, include_end=True)
        gate = DepartureGate(context, f"outbound.route.{route.name}.departures", departures, route.cutoff_h, "EMC")
        closing = [cutoff for cutoff in gate.cutoffs if 0.0 <= cutoff <= horizon]
        batcher = Batcher(context, f"outbound.route.{route.name}.bagging", capacity=route.receptacle_items,
                          departures=closing, cutoff=0.0)
        routes.connect(index, batcher)
        batcher.to(gate)
        bagging.append(batcher)
        gates.append(gate)
    dispatched = OutboundDispatch(context, "outbound.dispatched", recorder, gates)
    for gate in gates:
        gate.to(dispatched)
    return OutboundNetwork(acceptance, xray, judgement, decision, inspection, tuple(bagging), tuple(gates),
                           refused, recorder, arrived, tuple(route.mode for route in outbound.routes))
