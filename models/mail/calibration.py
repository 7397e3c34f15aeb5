"""What a mail exchange office's UPU event log calibrates.

Only parameters an event pair measures directly are fitted; the rest of the office
(staffing, X-ray rates, duty behaviour) shapes the stage times through queues, and `check`
compares those stage times instead:

- EMB (outbound item arrives from the domestic network) over the day: the outbound
  hourly profile;
- EXA (presented to export customs) followed by EXB (held) rather than EXC (released):
  the outbound hold rate; EXB followed by ``refused_export`` rather than EXC: the refusal
  share;
- EMD rows sharing a receptacle id in the resource column: items per receptacle of the
  inbound transports (when the log names receptacles).
"""

from __future__ import annotations

from sim.spec import Calibration, StageCalibration


def stages(params) -> tuple[StageCalibration, ...]:
    entries = [
        StageCalibration("outbound.hourly_profile", "profile", "EMB"),
        StageCalibration("outbound.hold_rate", "share", "EXA", "EXB"),
        StageCalibration("outbound.refusal_share", "share", "EXB", "refused_export"),
    ]
    return tuple(entries)


CALIBRATION = Calibration(stages=stages, case_object="item", resource_objects={"EMF": "truck", "EMC": "receptacle"})
