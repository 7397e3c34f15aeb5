"""A model's assumptions: the parameters that declare a plausible range, and their checks.

`assumptions(Params)` lists every parameter with a `Plausible(low, high, reason)` range (the
space the robustness experiment samples); `range_problems(Params)` lists what is wrong with
the declarations: an ASSUMPTION with neither a range nor an exemption, a default outside its
range, a range on a value that is not a number, a range outside the value's hard bounds (a
share's are 0 and 1, as a fraction).
Both walk the parameters the way `sim.parameters.describe` does (into nested parameter
tables with a default; a list of tables is one parameter).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, get_type_hints

from sim.parameters import Plausible


@dataclass(frozen=True)
class Assumption:
    """An uncertain parameter and the range it may take.

    For a distribution, `low`..`high` bound its mean (`default` is the default mean) and a
    sampled value scales the distribution, keeping its shape."""

    path: str
    low: float
    high: float
    reason: str
    unit: str
    label: str
    default: float
    integer: bool = False
    distribution: bool = False


def assumptions(cls: type, prefix: str = "params") -> list[Assumption]:
    """The parameters of `cls` that declare a plausible range (exempt ones are left out)."""
    found = []
    for path, field, hint, default in _parameters(cls, prefix):
        plausible = field.metadata.get("plausible")
        if plausible is None or plausible.exempt or not _is_number_or_distribution(hint):
            continue
        found.append(Assumption(
            path=path, low=float(plausible.low), high=float(plausible.high), reason=plausible.reason,
            unit=field.metadata.get("unit", ""), label=_label(field.metadata.get("doc", ""), path),
            default=_number(default), integer=hint is int, distribution=_is_distribution(hint)))
    return found


def range_problems(cls: type, prefix: str = "params") -> list[str]:
    """One line per faulty range declaration of `cls` ("params.x: reason"); empty when sound."""
    problems = []
    for path, field, hint, default in _parameters(cls, prefix):
        meta = field.metadata
        plausible: Plausible | None = meta.get("plausible")
        if plausible is None:
            if "ASSUMPTION" in str(meta.get("provenance", "")).upper():
                problems.append(f"{path}: an ASSUMPTION needs a plausible range (low, high, reason) or an exemption")
            continue
        if plausible.exempt:
            continue
        if not _is_number_or_distribution(hint):
            problems.append(f"{path}: a plausible range needs a number or a distribution, not {hint!r}")
            continue
        hard_low, hard_high = meta.get("low"), meta.get("high")
        if meta.get("unit") == "share":  # a fraction, whatever bounds the field declares
            hard_low = 0.0 if hard_low is None else max(hard_low, 0.0)
            hard_high = 1.0 if hard_high is None else min(hard_high, 1.0)
        if (hard_low is not None and plausible.low < hard_low) or (hard_high is not None and plausible.high > hard_high):
            problems.append(f"{path}: plausible range {plausible.low:g} – {plausible.high:g} leaves the allowed "
                            f"range [{'' if hard_low is None else hard_low}, {'' if hard_high is None else hard_high}]")
        if default is dataclasses.MISSING:
            continue
        value = _number(default)
        if not plausible.low <= value <= plausible.high:
            what = "default mean" if _is_distribution(hint) else "default"
            problems.append(f"{path}: {what} {value:g} lies outside its plausible range "
                            f"{plausible.low:g} – {plausible.high:g}")
    return problems


def _parameters(cls: type, prefix: str) -> Iterator[tuple[str, dataclasses.Field[Any], Any, Any]]:
    """(key path, field, type, default or MISSING) of every parameter of `cls`."""
    hints = get_type_hints(cls)
    for field in dataclasses.fields(cls):
        path = f"{prefix}.{field.name}"
        hint = hints[field.name]
        default = field.default
        if field.default_factory is not dataclasses.MISSING:
            default = field.default_factory()
        if dataclasses.is_dataclass(hint) and not _is_distribution(hint) and default is not dataclasses.MISSING:
            yield from _parameters(hint, path)
            continue
        yield path, field, hint, default


def _is_distribution(hint: Any) -> bool:
    from sim.distributions import Distribution  # local: distributions imports sim.parameters

    return hint is Distribution


def _is_number_or_distribution(hint: Any) -> bool:
    return hint in (int, float) or _is_distribution(hint)


def _number(value: Any) -> float:
    """A number, or the mean of a distribution; NaN when there is no default."""
    if value is dataclasses.MISSING or value is None:
        return math.nan
    if hasattr(value, "expected"):
        return float(value.expected())
    return float(value)


def _label(doc: str, path: str) -> str:
    """The parameter's name for a sentence: its description up to the first ';' or '(',
    else the last part of its key."""
    text = doc.split(";")[0].split(" (")[0].strip()
    return text or path.rsplit(".", 1)[-1].replace("_", " ")
