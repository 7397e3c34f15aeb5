"""The model page's table of what an observed event log calibrates: for each entry of a
model's calibration map, the milestones read, what is measured and the parameter it sets."""

from __future__ import annotations

from typing import Any

from sim.spec import Calibration

NOTE = ("`cbecsim calibrate LOG --model MODEL` reads an event log whose activities are these milestones (or are "
        "mapped to them) and fits each parameter below; `cbecsim check` compares the stage times. Durations are "
        "fitted over the scenario distribution families (lowest AIC, Kolmogorov-Smirnov distance reported).")

_MEASURED = {
    "duration": "time from `{begin}` to the next `{end}` of the same {case} ({unit})",
    "arrivals": "`{begin}` per hour (Poisson rate){joining}",
    "profile": "`{begin}` by clock hour, relative to the mean hour",
    "share": "share of `{begin}` followed next by `{end}`",
    "batch": "{case}s per `{begin}` batch (rows sharing a resource id)",
}


def calibration_table(calibration: Calibration, params: Any) -> list[str]:
    """Markdown lines: milestones read, what is measured, parameter set (for `params`)."""
    lines = ["| Milestones | Measured | Parameter |", "|---|---|---|"]
    for stage in calibration.stages(params):
        milestones = ", ".join(f"`{name}`" for name in (stage.begin, stage.end) if name)
        joining = f", of {calibration.case_object}s whose next milestone is `{stage.end}`" if stage.end else ""
        measured = _MEASURED[stage.kind].format(begin=stage.begin, end=stage.end, case=calibration.case_object,
                                                unit=stage.unit, joining=joining)
        lines.append(f"| {milestones} | {measured} | `params.{stage.parameter}` |")
    if calibration.total:
        begin, end = calibration.total
        lines.append(f"| `{begin}`, `{end}` | total time, checked against the log (not a parameter) | — |")
    return lines
