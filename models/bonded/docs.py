"""The generated parts of the model page (docs/bonded.md): parameters and KPIs.

The parameter table is made from `sim.parameters.describe(Params)` and the defaults
themselves, the KPI table from `describe_metrics()`, so the page cannot drift from the
code: `python -m models.bonded.docs` rewrites the blocks between the markers, and a test
checks that the page holds exactly what this module generates.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from models.bonded.metrics import describe_metrics
from models.bonded.params import Carrier, Params, Region, Shift, TruckType
from sim.distributions import Distribution
from sim.parameters import describe

PAGE = Path(__file__).resolve().parents[2] / "docs" / "bonded.md"
BLOCKS = ("parameters", "metrics")


def show(value: Any) -> str:
    """A default written the way a scenario file would hold it, briefly."""
    if isinstance(value, Distribution):
        fields = {"mean": value.mean, "cv": value.cv, "value": value.value, "low": value.low, "mode": value.mode,
                  "high": value.high}
        parts = [f'dist = "{value.kind}"'] + [f"{key} = {_number(number)}" for key, number in fields.items()
                                               if number is not None]
        if value.values:
            parts.append("values = [" + ", ".join(_number(v) for v in value.values) + "]")
        return "{" + ", ".join(parts) + "}"
    if isinstance(value, tuple) and value and all(isinstance(item, Shift) for item in value):
        return "; ".join(f"{s.start}–{s.end} × {s.servers}" + (f" ({', '.join(s.day_types)})" if s.day_types else "")
                         for s in value)
    if isinstance(value, tuple) and value and all(isinstance(item, Region) for item in value):
        return "; ".join(f"{r.name} {_number(r.share)}: {show(r.delivery)}" for r in value)
    if isinstance(value, tuple) and value and all(isinstance(item, Carrier) for item in value):
        return "; ".join(f"{c.name} {_number(c.share)}: departures {show(c.departures)}, pickups {show(c.pickups)}, "
                         f"trip {_number(c.trip_km)} km, pickup round {_number(c.pickup_km)} km, others "
                         f"{_number(c.pickup_others_m3)} m³, truck {show(c.truck)}" for c in value)
    if isinstance(value, TruckType):
        return (f"{value.name} ({_number(value.volume_m3)} m³, {value.parcel_cap} parcels, "
                f"{_number(value.fuel_l_per_100km)} l/100 km)")
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{key} = {_number(number)}" for key, number in value.items()) + "}"
    if isinstance(value, tuple):
        return "[" + ", ".join(f'"{item}"' if isinstance(item, str) else _number(item) for item in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return _number(value)
    return repr(value)


def _number(value: float) -> str:
    return f"{value:.6g}"


def default_of(key: str, params: Params | None = None) -> Any:
    """The default value at a dotted key path such as `params.customs.xray_share`."""
    node: Any = params if params is not None else Params()
    for name in key.split(".")[1:]:
        node = getattr(node, name)
    return node


def cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def parameter_table() -> str:
    """Markdown table of every parameter: key, default, unit, range, provenance, plausible
    range of an assumption, meaning."""
    defaults = Params()
    lines = ["| Parameter | Default | Unit | Range | Provenance | Plausible | Meaning |",
             "|---|---|---|---|---|---|---|"]
    for row in describe(Params):
        default = show(default_of(row.key, defaults))
        lines.append("| " + " | ".join(cell(text) for text in (
            f"`{row.key}`", f"`{default}`" if default else "", row.unit, row.range, row.provenance, row.plausible,
            row.doc)) + " |")
    return "\n".join(lines)


def metric_table() -> str:
    """Markdown table of every KPI and its definition."""
    lines = ["| KPI | Definition |", "|---|---|"]
    for name, definition in describe_metrics().items():
        lines.append(f"| `{cell(name)}` | {cell(definition)} |")
    return "\n".join(lines)


def generated() -> dict[str, str]:
    return {"parameters": parameter_table(), "metrics": metric_table()}


def markers(block: str) -> tuple[str, str]:
    return f"<!-- generated:{block}:begin -->", f"<!-- generated:{block}:end -->"


def block_of(page: str, block: str) -> str:
    """The text between a block's markers on the page."""
    begin, end = markers(block)
    start = page.index(begin) + len(begin)
    return page[start:page.index(end, start)].strip("\n")


def render(page: str) -> str:
    """`page` with every generated block replaced by the current tables."""
    for block, table in generated().items():
        begin, end = markers(block)
        head, _, rest = page.partition(begin)
        _, _, tail = rest.partition(end)
        page = f"{head}{begin}\n{table}\n{end}{tail}"
    return page


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Regenerate the tables of docs/bonded.md")
    parser.add_argument("--check", action="store_true", help="only report whether the page is up to date")
    args = parser.parse_args(argv)
    page = PAGE.read_text(encoding="utf-8")
    updated = render(page)
    if args.check:
        return 0 if updated == page else 1
    PAGE.write_text(updated, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

