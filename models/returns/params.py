"""Parameters of the returns model: the legal deadlines, crews, and the top-level `Params`.

The import (1210) and export (9610) flows have their own parameter modules; this one
holds what both use and the root that scenario files fill in under ``[params]``:

    [params.imports]   # returns of bonded-import orders (models.returns.import_params)
    [params.exports]   # returns of exported parcels (models.returns.export_params)
    [params.deadlines] # the legal windows and how days are counted
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from models.returns.export_params import ExportParams
from models.returns.import_params import ImportParams
from models.returns.staffing import Crew, Shift
from sim.parameters import param

__all__ = ["Crew", "Deadlines", "ExportParams", "ImportParams", "Params", "Shift"]

_NO45 = "GACC announcement 2020 No. 45, as quoted at https://ssopdot.com/blog/6941.html (accessed 2026-12-03)"


@dataclass(frozen=True)
class Deadlines:
    """The legal windows, counted from the release of the original declaration list
    (imports) or from the export release (exports)."""

    counting: Literal["calendar", "elapsed"] = param(
        "calendar",
        doc="how a window of N days is counted: 'calendar' = from the day after release to 24:00 of "
            "the N-th day (months: to the same date N months later, or the month's last day); "
            "'elapsed' = N x 24 hours after release (a month = 365/12 days)",
        provenance="ASSUMPTION: Chinese administrative practice counts periods in calendar days from the "
                   "day after the start date; the notices do not restate it",
    )
    import_application_days: int = param(30, unit="d", low=1, high=365,
                                         doc="a return must be applied for within this many days of release",
                                         provenance=_NO45)
    import_arrival_days: int = param(45, unit="d", low=1, high=365,
                                     doc="the returned goods must arrive at the return site within this many days "
                                         "of release",
                                     provenance=_NO45)
    export_return_months: int = param(12, unit="month", low=1, high=60,
                                      doc="an exported parcel may come back within this many months of export release",
                                      provenance="GACC announcement 2020 No. 44, see https://www.emspublinet.com/logistics/228 (accessed 2026-12-03)")
    export_tax_free_months: int = param(6, unit="month", low=1, high=60,
                                        doc="a return entering within this many months is tax-exempt",
                                        provenance="MOF/GACC/STA announcement 2023 No. 4 (returned CBEC exports tax-exempt within six months)")


@dataclass(frozen=True)
class Params:
    """Both return flows; either may be switched off (`enabled = false`)."""

    imports: ImportParams = param(ImportParams(), doc="CBEC retail import (1210) returns",
                                  provenance="see the fields")
    exports: ExportParams = param(ExportParams(), doc="CBEC export (9610) returns",
                                  provenance="see the fields")
    deadlines: Deadlines = param(Deadlines(), doc="legal windows", provenance="see the fields")
