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

from models.mail.model import Built, build
from models.mail.params import Params
from models.mail.spec import SPEC

__all__ = ["SPEC", "Built", "Params", "build"]
