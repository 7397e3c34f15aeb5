"""The inbound flow, wired from kernel blocks and the office's own blocks.

    transport (timetable) -> opening + item scan (EMD) -> [no EAD: data capture] -> EDB
    -> [no EAD: officer review] -> X-ray line -> image judgement -> decision
       not held ------------------------------------------------------> EDC -> truck (EMF)
       held (EME): inspection -> seized | duty? -> release instruction -> EDC -> rehandling -> truck
                   documents (addressee, then officer check) -> duty? -> ...
                   duty (payment, or return to sender after retention)

Officers are one pool serving image judgement first, then reviews, document checks and
inspections (priority order); X-ray lines run while officers are on duty.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from models.mail.blocks import InboundDispatch, ReceptacleScan, Stamp, WindowDrop
from models.mail.holds import CustomsDecision, DutyWait, Notices, ReleaseInstructions
from models.mail.items import SEIZURE, MailItem, inbound_factory
from models.mail.params import Params
from models.mail.recorders import InboundRecorder, WindowCounter
from models.mail.schedules import OpeningHours
from models.mail.volume import VolumeCurve, inbound_source
from sim.batching import Batcher
from sim.calendar import HOURS_PER_DAY, Changeover, DayCalendar, Shift, capacity_changes, timetable_times
from sim.context import Context
from sim.distributions import Distribution
from sim.entity import Batch
from sim.flow import Delay, Switch
from sim.station import ServerPool, Station, shift_pool

#: officer work, lower first (a shared pool serves the lowest waiting priority first)
JUDGEMENT_PRIORITY, REVIEW_PRIORITY, DOCUMENTS_PRIORITY, INSPECTION_PRIORITY = 0, 1, 2, 3


@dataclass(frozen=True)
class InboundNetwork:
    opening: Station
    data_capture: Station
    review: Station
    xray: Station
    judgement: Station
    decision: CustomsDecision
    inspection: Station
    documents_check: Station
    documents_wait: Delay
    duty_wait: DutyWait
    release: ReleaseInstructions
    rehandling: Delay
    trucks: Batcher
    seized: WindowDrop
    returned: WindowDrop
    recorder: InboundRecorder
    arrived: WindowCounter

    def processing_blocks(self) -> tuple[Any, ...]:
        """Blocks holding items that wait for the office's or customs' own work (not for
        an addressee, and not sorted items waiting for their truck)."""
        return (self.opening, self.data_capture, self.review, self.xray, self.judgement, self.inspection,
                self.documents_check, self.release, self.rehandling)


def minutes(distribution: Distribution) -> Distribution:
    return distribution.scaled(1 / 60)


def seconds(distribution: Distribution) -> Distribution:
    return distribution.scaled(1 / 3600)


def xray_capacity(lines: int, shifts: Sequence[Shift], officer_changes: Sequence[tuple[float, int]],
                  calendar: DayCalendar, horizon: float) -> list[tuple[float, int]]:
    """X-ray lines in operation over time: by their own shifts when given, else all
    `lines` whenever at least one officer is on duty (officers judge the images)."""
    if shifts:
        return capacity_changes(shifts, calendar, horizon)
    return [(time, lines if on_duty > 0 else 0) for time, on_duty in officer_changes]


def xray_pool(context: Context, name: str, lines: int, shifts: Sequence[Shift], changeover: Changeover,
              officer_changes: Sequence[tuple[float, int]]) -> ServerPool:
    """The X-ray lines: by their own shifts (and changeover) when given, else as `xray_capacity`."""
    if shifts:
        return shift_pool(context, name, shifts, changeover)
    return ServerPool(context, name, 0, xray_capacity(lines, shifts, officer_changes, context.calendar,
                                                      context.horizon))


def build_inbound(context: Context, params: Params, curve: VolumeCurve, officers: ServerPool,
                  officer_changes: list[tuple[float, int]]) -> InboundNetwork:
    inbound, customs, duty, dispatch = params.inbound, params.customs, params.duty, params.dispatch
    streams, calendar, horizon = context.streams, context.calendar, context.horizon
    arrived = WindowCounter(context.warmup)
    make = inbound_factory(streams, customs.ead_coverage, arrived.created)

    staff = shift_pool(context, "inbound.postal_staff", inbound.postal_staff, inbound.postal_staff_changeover)
    opening_time = streams.sampler("inbound.opening", minutes(inbound.opening_min))
    scan_h = inbound.scan_s / 3600

    def receptacle_time(receptacle: Batch) -> float:
        return opening_time() + len(receptacle.members) * scan_h

    opening = Station(context, "inbound.opening", staff, service_of=receptacle_time)
    for transport in inbound.transports:
        if transport.share > 0:
            inbound_source(context, transport, curve, params.volume.inbound_share, make).to(opening)
    scan = ReceptacleScan(context, "inbound.scan", scan_h)
    opening.to(scan)

    clerks = shift_pool(context, "inbound.data_clerks", inbound.data_clerks, inbound.data_clerks_changeover)
    data_capture = Station(context, "inbound.data_capture", clerks,
                           streams.sampler("inbound.data_capture", minutes(inbound.data_capture_min)))
    presented = Stamp(context, "inbound.presented", "edb", "EDB")
    review = Station(context, "inbound.review", officers, streams.sampler("inbound.review", minutes(customs.review_min)),
                     priority_of=lambda item: REVIEW_PRIORITY)
    lines = xray_pool(context, "inbound.xray_lines", inbound.xray_lines, inbound.xray_shifts,
                      inbound.xray_shifts_changeover, officer_changes)
    xray_h = 1.0 / inbound.xray_rate_per_h
    xray = Station(context, "inbound.xray", lines, lambda: xray_h)
    judgement_params = customs.judgement
    image = seconds(judgement_params.image_s)
    if judgement_params.ai:
        image = image.scaled(judgement_params.ai_time_factor)
    judgement = Station(context, "inbound.judgement", officers, streams.sampler("inbound.judgement", image),
                        priority_of=lambda item: JUDGEMENT_PRIORITY)
    scan.to(xray)
    scan.without_ead = data_capture
    data_capture.to(presented).to(review).to(xray)
    xray.to(judgement)

    last = horizon + duty.retention_days * HOURS_PER_DAY + 30 * HOURS_PER_DAY
    notices = Notices(params, OpeningHours(duty.counter_hours, calendar, -10 * HOURS_PER_DAY, last))
    decision = CustomsDecision(context, "inbound.decision", params, notices)
    judgement.to(decision)

    release = ReleaseInstructions(context, "inbound.release_instructions",
                                  OpeningHours(customs.working_hours if customs.release_instructions == "working_hours"
                                               else (), calendar, 0.0, last))
    duty_wait = DutyWait(context, "inbound.duty_wait", notices, duty.retention_days * HOURS_PER_DAY)
    duty_wait.to(release)
    returned = WindowDrop(context, "inbound.returned", "returned_unpaid", milestone="returned_to_sender")
    duty_wait.returned = returned
    decision.duty = duty_wait

    def next_step(item: MailItem) -> str:
        return "duty" if notices.dutiable(item) else "release"

    seizure_share = customs.seizure_share

    def after_inspection(item: MailItem) -> str:
        return "seized" if item.draws[SEIZURE] < seizure_share else next_step(item)

    inspection = Station(context, "inbound.inspection", officers,
                         streams.sampler("inbound.inspection", minutes(customs.inspection_min)),
                         priority_of=lambda item: INSPECTION_PRIORITY)
    decision.inspection = inspection
    inspected = Switch(context, "inbound.inspected", after_inspection, ["seized", "duty", "release"])
    inspection.to(inspected)
    seized = WindowDrop(context, "inbound.seized", "seized", milestone="seized")
    inspected.connect("seized", seized)
    inspected.connect("duty", duty_wait)
    inspected.connect("release", release)

    def documents_in(item: MailItem) -> float:
        now = context.env._now
        return max(0.0, notices.documents_time(item, now) - now)

    documents_wait = Delay(context, "inbound.documents_wait", duration_of=documents_in)
    decision.documents = documents_wait
    documents_check = Station(context, "inbound.documents_check", officers,
                              streams.sampler("inbound.documents_check", minutes(customs.documents_check_min)),
                              priority_of=lambda item: DOCUMENTS_PRIORITY)
    documents_wait.to(documents_check)
    checked = Switch(context, "inbound.documents_checked", next_step, ["duty", "release"])
    documents_check.to(checked)
    checked.connect("duty", duty_wait)
    checked.connect("release", release)

    departures = timetable_times(dispatch.times, calendar, horizon, dispatch.days, include_end=True)
    trucks = Batcher(context, "inbound.trucks", capacity=dispatch.truck_capacity_items, departures=departures,
                     cutoff=dispatch.cutoff_h, loaded="EMF")
    decision.to(trucks)
    rehandling = Delay(context, "inbound.rehandling", streams.sampler("inbound.rehandling", inbound.rehandling_h))
    release.to(rehandling).to(trucks)
    recorder = InboundRecorder()
    trucks.to(InboundDispatch(context, "inbound.dispatched", recorder))
    return InboundNetwork(opening, data_capture, review, xray, judgement, decision, inspection, documents_check,
                          documents_wait, duty_wait, release, rehandling, trucks, seized, returned, recorder, arrived)
