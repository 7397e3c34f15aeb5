"""Customs holds of inbound items: the decision, the duty wait and release instructions.

The decision comes after image judgement. An item is held (EME, with the reason in the
log's resource column) for inspection when risk targeting picks it or its image is
flagged, else for documents, else for duty when it owes duty not yet paid. Held items are
released (EDC) when the hold is resolved and a release instruction is issued: at once
when customs issues them around the clock, else at the next working hour. Customs time
counts from EME to EDC only, as in UPU measurement.
"""

from __future__ import annotations

from collections.abc import Callable
from math import inf
from typing import Any

from models.mail.items import (
    ANOMALY,
    DOCUMENTS,
    DOCUMENTS_DELAY,
    DOCUMENTS_HOLD,
    DUTIABLE,
    DUTY,
    FALSE_POSITIVE,
    INSPECTION,
    NEVER_PAYS,
    NOT_HELD,
    PAYMENT_DELAY,
    RISK,
    MailItem,
)
from models.mail.params import Params
from models.mail.schedules import OpeningHours
from sim.context import Context
from sim.distributions import Distribution
from sim.flow import BlockBase


class Notices:
    """When the addressee hears of duty or documents, and when they respond.

    With pre-arrival clearance an item with EAD is assessed when its EAD arrives, so the
    notice goes out `ead_lead_h` before the item does; otherwise at the hold. Payment
    delays come from the item's own uniform draw through the payment channel's quantile
    function, so counter and app payment keep each addressee's rank; counter payments
    happen in counter hours only.
    """

    def __init__(self, params: Params, counter_hours: OpeningHours) -> None:
        customs, duty = params.customs, params.duty
        self.pre_arrival = customs.pre_arrival_clearance
        self.lead = customs.ead_lead_h
        self.dutiable_share = duty.dutiable_share
        self.never_pay_share = duty.never_pay_share
        self.counter = duty.payment == "counter"
        self.counter_hours = counter_hours
        delay = duty.counter_delay_h if self.counter else duty.app_delay_h
        self.payment_delay = _quantile(delay)
        self.documents_delay = _quantile(customs.documents_delay_h)

    def dutiable(self, item: MailItem) -> bool:
        return item.draws[DUTIABLE] < self.dutiable_share

    def notice(self, item: MailItem, now: float) -> float:
        """The notice time (set once: before arrival with pre-arrival clearance)."""
        if item.notice == inf:
            item.notice = item.born - self.lead if (self.pre_arrival and item.ead) else now
        return item.notice

    def payment_time(self, item: MailItem, now: float) -> float:
        """When the duty is paid (inf: never)."""
        if item.draws[NEVER_PAYS] < self.never_pay_share:
            return inf
        paid = self.notice(item, now) + self.payment_delay(item.draws[PAYMENT_DELAY])
        return self.counter_hours.next_open(paid) if self.counter else paid

    def documents_time(self, item: MailItem, now: float) -> float:
        """When the requested documents are in."""
        return self.notice(item, now) + self.documents_delay(item.draws[DOCUMENTS_DELAY])


class CustomsDecision(BlockBase):
    """Release or hold, after image judgement. Outputs: release (`to`), `inspection`,
    `documents`, `duty`."""

    def __init__(self, context: Context, name: str, params: Params, notices: Notices) -> None:
        super().__init__(context, name)
        customs, judgement = params.customs, params.customs.judgement
        self.notices = notices
        self.inspection_rate = customs.inspection_rate
        self.documents_rate = customs.documents_rate
        self.multiplier = customs.no_ead_hold_multiplier
        self.anomaly_share = judgement.anomaly_share
        self.false_positive_rate = judgement.ai_false_positive_rate if judgement.ai else judgement.false_positive_rate
        self.inspection: Any = None
        self.documents: Any = None
        self.duty: Any = None
        self._eme = context.milestone("EME")
        self._edc = context.milestone("EDC")
        self.decided = 0
        self.held_by_class = [0, 0, 0, 0]
        context.on_reset(self._reset)

    def _reset(self, now: float) -> None:
        self.decided = 0
        self.held_by_class = [0, 0, 0, 0]

    def outputs(self) -> dict[str, Any]:
        return {"release": self.target, "inspection": self.inspection, "documents": self.documents, "duty": self.duty}

    def hold_class(self, item: MailItem, now: float) -> int:
        draws = item.draws
        factor = 1.0 if item.ead else self.multiplier
        if (draws[RISK] < self.inspection_rate * factor or draws[ANOMALY] < self.anomaly_share
                or draws[FALSE_POSITIVE] < self.false_positive_rate):
            return INSPECTION
        if draws[DOCUMENTS] < self.documents_rate * factor:
            return DOCUMENTS_HOLD
        notices = self.notices
        if notices.dutiable(item) and notices.payment_time(item, now) > now:
            return DUTY
        return NOT_HELD

    def put(self, item: MailItem) -> None:
        now = self.context.env._now
        hold = self.hold_class(item, now)
        item.hold = hold
        self.decided += 1
        self.held_by_class[hold] += 1
        log = self.context.log
        if hold == NOT_HELD:
            item.edc = now
            if log is not None:
                log.record(item.id, self._edc, now)  # type: ignore[arg-type]
            self.target.put(item)
            return
        item.eme = now
        if log is not None:
            log.record(item.id, self._eme, now, hold)  # type: ignore[arg-type]
        if hold == INSPECTION:
            self.inspection.put(item)
        elif hold == DOCUMENTS_HOLD:
            self.documents.put(item)
        else:
            self.duty.put(item)


class DutyWait(BlockBase):
    """Items waiting for their duty to be paid. Paid items go on (`to`); an item whose
    addressee never pays is sent to `returned` after the retention period."""

    def __init__(self, context: Context, name: str, notices: Notices, retention_h: float) -> None:
        super().__init__(context, name)
        self.notices = notices
        self.retention_h = retention_h
        self.returned: Any = None

    def outputs(self) -> dict[str, Any]:
        return {"paid": self.target, "returned": self.returned}

    def put(self, item: MailItem) -> None:
        now = self.context.env._now
        paid = self.notices.payment_time(item, now)
        if paid <= now:
            self.target.put(item)
            return
        self.held += 1
        if paid == inf:
            self.context.schedule(self.retention_h, self._return, item)
        else:
            self.context.schedule(paid - now, self._paid, item)

    def _paid(self, value: Any) -> None:
        self.held -= 1
        self.target.put(value)

    def _return(self, value: Any) -> None:
        self.held -= 1
        self.returned.put(value)


class ReleaseInstructions(BlockBase):
    """Issues the release (EDC) of a held item: at once, or at the next working hour."""

    def __init__(self, context: Context, name: str, hours: OpeningHours) -> None:
        super().__init__(context, name)
        self.hours = hours
        self._edc = context.milestone("EDC")

    def put(self, item: MailItem) -> None:
        now = self.context.env._now
        at = self.hours.next_open(now)
        if at <= now:
            self._release(item, now)
        else:
            self.held += 1
            self.context.at(at, self._later, item)

    def _later(self, value: Any) -> None:
        self.held -= 1
        self._release(value, self.context.env._now)

    def _release(self, item: MailItem, now: float) -> None:
        item.edc = now
        log = self.context.log
        if log is not None:
            log.record(item.id, self._edc, now)  # type: ignore[arg-type]
        self.target.put(item)


def _quantile(distribution: Distribution) -> Callable[[float], float]:
    """u -> the u-quantile of `distribution`, as a float (`Distribution.quantile`)."""
    return lambda u: float(distribution.quantile(u))
