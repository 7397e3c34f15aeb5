"""Checks across parameters, and the whole office wired for one replication."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from models.mail.inbound import InboundNetwork, build_inbound
from models.mail.outbound import OutboundNetwork, build_outbound
from models.mail.params import Params
from models.mail.recorders import BacklogMonitor
from models.mail.schedules import Window
from models.mail.volume import VolumeCurve
from sim.calendar import HOURS_PER_DAY, WEEKDAYS, Shift, capacity_changes, clock_hours
from sim.context import Context
from sim.parameters import ParameterError
from sim.station import ServerPool, Station, shift_pool


def validate(params: Params) -> None:
    """Shares that sum to 1, readable clock times, unique names, someone on duty."""
    volume = params.volume
    if len(volume.month_factors) != 12 or sum(volume.month_factors) <= 0:
        raise ParameterError("params.volume.month_factors", "needs 12 non-negative factors with a positive sum")
    inbound = params.inbound
    _named_shares([t.name for t in inbound.transports], [t.share for t in inbound.transports], "params.inbound.transports")
    for i, transport in enumerate(inbound.transports):
        _times(transport.times, f"params.inbound.transports[{i}].times")
        _days(transport.days, f"params.inbound.transports[{i}].days")
    _shifts(inbound.postal_staff, "params.inbound.postal_staff")
    _shifts(inbound.data_clerks, "params.inbound.data_clerks")
    _shifts(inbound.xray_shifts, "params.inbound.xray_shifts")
    customs = params.customs
    _shifts(customs.officers, "params.customs.officers")
    if not any(shift.servers > 0 for shift in customs.officers):
        raise ParameterError("params.customs.officers", "at least one shift needs officers")
    for name in ("inspection_rate", "documents_rate"):
        if getattr(customs, name) * customs.no_ead_hold_multiplier > 1:
            raise ParameterError(f"params.customs.{name}",
                                 "times no_ead_hold_multiplier must not exceed 1 (it is a share of items without EAD)")
    _windows(customs.working_hours, "params.customs.working_hours")
    if customs.release_instructions == "working_hours" and not customs.working_hours:
        raise ParameterError("params.customs.working_hours", "needs at least one window when release instructions "
                                                             "follow working hours")
    _windows(params.duty.counter_hours, "params.duty.counter_hours")
    if params.duty.payment == "counter" and not params.duty.counter_hours:
        raise ParameterError("params.duty.counter_hours", "needs at least one window when payment is at a counter")
    if not params.dispatch.times:
        raise ParameterError("params.dispatch.times", "needs at least one truck departure")
    _times(params.dispatch.times, "params.dispatch.times")
    _days(params.dispatch.days, "params.dispatch.days")
    outbound = params.outbound
    if len(outbound.hourly_profile) != 24 or sum(outbound.hourly_profile) <= 0:
        raise ParameterError("params.outbound.hourly_profile", "needs 24 non-negative weights with a positive sum")
    _shifts(outbound.acceptance_staff, "params.outbound.acceptance_staff")
    _shifts(outbound.xray_shifts, "params.outbound.xray_shifts")
    _named_shares([r.name for r in outbound.routes], [r.share for r in outbound.routes], "params.outbound.routes")
    for i, route in enumerate(outbound.routes):
        if not route.times:
            raise ParameterError(f"params.outbound.routes[{i}].times", "needs at least one departure")
        _times(route.times, f"params.outbound.routes[{i}].times")
        _days(route.days, f"params.outbound.routes[{i}].days")


def _named_shares(names: Sequence[str], shares: Sequence[float], path: str) -> None:
    if not names:
        raise ParameterError(path, "needs at least one entry")
    for i, name in enumerate(names):
        if names.index(name) != i:
            raise ParameterError(f"{path}[{i}].name", f"duplicate name {name!r}")
    if abs(sum(shares) - 1.0) > 1e-6:
        raise ParameterError(path, f"shares must sum to 1, got {sum(shares):g}")


def _times(times: Sequence[str], path: str) -> None:
    for i, text in enumerate(times):
        try:
            clock_hours(text)
        except ValueError as error:
            raise ParameterError(f"{path}[{i}]", str(error)) from None


def _days(days: Sequence[str], path: str) -> None:
    """Weekday names must be written as `applies` matches them; other words are day types."""
    for i, day in enumerate(days):
        if day.lower() in WEEKDAYS and day != day.lower():
            raise ParameterError(f"{path}[{i}]", f"write weekday names in lower case ({day.lower()!r}), got {day!r}")


def _shifts(shifts: Sequence[Shift], path: str) -> None:
    """Clock times are checked as a `Shift` is read; the days it names are checked here."""
    for i, shift in enumerate(shifts):
        _days(shift.day_types, f"{path}[{i}].day_types")


def _windows(windows: Sequence[Window], path: str) -> None:
    for i, window in enumerate(windows):
        _times((window.start,), f"{path}[{i}].start")
        _times((window.end,), f"{path}[{i}].end")
        _days(window.days, f"{path}[{i}].days")


@dataclass(frozen=True)
class Built:
    inbound: InboundNetwork
    outbound: OutboundNetwork
    officers: ServerPool
    backlog: BacklogMonitor
    pools: dict[str, ServerPool]
    stations: dict[str, Station]
    context: Any

    def inbound_in_office(self) -> int:
        return sum(block.held for block in self.context.blocks if block.name.startswith("inbound."))

    def outbound_in_office(self) -> int:
        return sum(block.held for block in self.context.blocks if block.name.startswith("outbound."))


def build(context: Context, params: Params) -> Built:
    calendar, horizon = context.calendar, context.horizon
    curve = VolumeCurve(params.volume, calendar, -10 * HOURS_PER_DAY, horizon + 40 * HOURS_PER_DAY)
    officer_changes = capacity_changes(params.customs.officers, calendar, horizon)
    officers = shift_pool(context, "customs.officers", params.customs.officers, params.customs.officers_changeover)
    inbound = build_inbound(context, params, curve, officers, officer_changes)
    outbound = build_outbound(context, params, curve, officers, officer_changes)
    backlog = BacklogMonitor(context, {"inbound": inbound.processing_blocks(),
                                       "outbound": outbound.processing_blocks()})
    pools = {
        "officers": officers,
        "inbound_xray": inbound.xray.pool,
        "outbound_xray": outbound.xray.pool,
        "postal_staff": inbound.opening.pool,
        "data_clerks": inbound.data_capture.pool,
        "acceptance_staff": outbound.acceptance.pool,
    }
    stations = {station.name: station for station in context.blocks if isinstance(station, Station)}
    return Built(inbound, outbound, officers, backlog, pools, stations, context)
