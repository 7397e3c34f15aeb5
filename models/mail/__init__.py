"""The international mail exchange office (国际邮件互换局): inbound and outbound postal
items, customs presentation, X-ray, holds, duty, dispatch.

Inbound receptacles arrive by transport timetable; items are scanned (EMD), presented to
customs (EDB), X-rayed on the sorting line and judged by officers, released (EDC) or held
(EME) for inspection, documents or duty, and leave on scheduled trucks to the domestic
network (EMF). Outbound items come from the domestic network (EMB), are presented to
export customs (EXA), X-rayed, released (EXC) or held (EXB), bagged per destination and
dispatched on flight or sea-mail timetables (EMC). See docs/mail.md.
"""

from __future__ import annotations

from models.mail.metrics import describe_metrics, hold_classes, metrics
from models.mail.model import Built, build, validate
from models.mail.params import Params

NAME = "mail"

#: UPU item events of an inbound item in order; consecutive differences are the Time
#: Release Study stages (EME, the hold, is left out: only held items have it)
STAGES = ("EMD", "EDB", "EDC", "EMF")

#: UPU item events of an outbound item in order
OUTBOUND_STAGES = ("EMB", "EXA", "EXC", "EMC")

#: the KPIs come from the items' own times, not from the milestone log
NEEDS_LOG = False

__all__ = ["NAME", "NEEDS_LOG", "OUTBOUND_STAGES", "STAGES", "Built", "Params", "build", "describe_metrics",
           "hold_classes", "metrics", "validate"]
