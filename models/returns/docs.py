"""The generated parts of the model page (docs/returns.md): parameters and KPIs.

The parameter tables come from `sim.parameters.describe` (key, unit, range, provenance,
description) and the defaults of `Params()`, the KPI table from `describe_metrics()`, so
the page cannot drift from the code: a test compares the page with `render()`.
Regenerate the page with ``python -m models.returns.docs``.
"""

from __future__ import annotations

import dataclasses
import re
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from models.returns.metrics import describe_metrics
from models.returns.params import Params
from models.returns.staffing import Crew, Shift
from sim.distributions import Distribution
from sim.parameters import ParameterDoc, describe

PAGE = Path(__file__).resolve().parents[2] / "docs" / "returns.md"
BEGIN, END = "<!-- generated:begin -->", "<!-- generated:end -->"


def show(value: Any, top: bool = True) -> str:
    """A default as a planner would write it in a scenario file (lists of records at the
    top level are shown in their own tables)."""
    if isinstance(value, Distribution):
        if value.kind == "empirical":
            return f"empirical(values={list(value.values)})"
        keys = {"exponential": ("mean",), "deterministic": ("value",), "lognormal": ("mean", "cv"),
                "gamma": ("mean", "cv"), "uniform": ("low", "high"), "triangular": ("low", "mode", "high")}
        return f"{value.kind}(" + ", ".join(f"{key}={getattr(value, key):g}" for key in keys[value.kind]) + ")"
    if isinstance(value, Crew):
        if not value.shifts:
            return f"{value.servers} at all times"
        return "; ".join(show(shift, False) for shift in value.shifts)
    if isinstance(value, Shift):
        days = f" on {', '.join(value.day_types)}" if value.day_types else ""
        return f"{value.start}-{value.end} x{value.servers}{days}"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{key}: {show(item, False)}" for key, item in value.items()) + "}"
    if isinstance(value, tuple):
        if value and dataclasses.is_dataclass(value[0]) and top:
            return f"{len(value)} items, see below"
        return "(" + ", ".join(show(item, False) for item in value) + ")"
    if dataclasses.is_dataclass(value):
        fields = dataclasses.fields(value)
        return ", ".join(f"{field.name}={show(getattr(value, field.name), False)}" for field in fields)
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, str):
        return f'"{value}"'
    return str(value)


def _value_at(root: Any, key: str) -> Any:
    value = root
    for name in key.split(".")[1:]:
        value = getattr(value, name)
    return value


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _table(rows: list[ParameterDoc], defaults: Any | None) -> list[str]:
    lines = ["| key | default | unit | range | description | provenance |", "|---|---|---|---|---|---|"]
    for row in rows:
        default = show(_value_at(defaults, row.key)) if defaults is not None else row.default
        lines.append(f"| `{row.key}` | {_cell(default)} | {row.unit} | {row.range} | {_cell(row.doc)} | "
                     f"{_cell(row.provenance)} |")
    return lines


def item_classes(cls: type) -> list[tuple[list[str], type]]:
    """([keys where it is used], record class) for every record type under `cls` that
    `describe` does not expand (list items, and nested records without a default)."""
    found: dict[type, list[str]] = {}

    def record(hint: Any) -> bool:
        return dataclasses.is_dataclass(hint) and hint is not Distribution

    def walk(klass: type, prefix: str) -> None:
        hints = typing.get_type_hints(klass)
        for field in dataclasses.fields(klass):
            hint = hints[field.name]
            key = f"{prefix}.{field.name}"
            args = typing.get_args(hint)
            if typing.get_origin(hint) is tuple and args and record(args[0]):
                found.setdefault(args[0], []).append(f"{key}[i]")
                walk(args[0], f"{key}[i]")
            elif record(hint):
                if field.default is dataclasses.MISSING:
                    found.setdefault(hint, []).append(key)
                walk(hint, key)

    walk(cls, "params")
    return [(keys, klass) for klass, keys in found.items()]


def _items(title: str, items: tuple[Any, ...]) -> list[str]:
    fields = [field.name for field in dataclasses.fields(items[0])]
    lines = [f"Default {title}:", "", "| " + " | ".join(fields) + " |", "|" + "---|" * len(fields)]
    for item in items:
        lines.append("| " + " | ".join(_cell(show(getattr(item, name), False)) for name in fields) + " |")
    return lines + [""]


def render() -> str:
    """The generated block of the model page (between the markers)."""
    defaults = Params()
    intro = ("Every parameter under `[params]`, with its default, unit, allowed range and source "
             "(`ASSUMPTION` = no source found; a lever to vary).")
    lines = [BEGIN, "", "### Parameters", "", intro, ""]
    lines += _table(describe(Params), defaults)
    for keys, klass in item_classes(Params):
        also = f" (also {', '.join(f'`{key}`' for key in keys[1:])})" if len(keys) > 1 else ""
        lines += ["", f"Fields of `{keys[0]}`{also}:", ""]
        lines += _table(describe(klass, keys[0]), None)
    lines += ["", "### Default lists", ""]
    lines += _items("regions (`params.imports.regions`)", defaults.imports.regions)
    lines += _items("return facilities (`params.imports.facilities`)", defaults.imports.facilities)
    lines += _items("consolidation points (`params.exports.points`)", defaults.exports.points)
    lines += _items("ports of re-entry (`params.exports.ports`)", defaults.exports.ports)
    kpis = ("Every KPI is one value per replication over the observation window "
            "(after the warm-up). `<stat>` is `mean`, `median`, `p90` or `p95`.")
    lines += ["### KPIs", "", kpis, "", "| metric | definition |", "|---|---|"]
    lines += [f"| `{name}` | {_cell(text)} |" for name, text in describe_metrics().items()]
    return "\n".join(lines + ["", END])


def update_page(path: Path = PAGE) -> None:
    """Replace the generated block of the page at `path`."""
    text = path.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(BEGIN) + ".*?" + re.escape(END), re.DOTALL)
    if not pattern.search(text):
        raise ValueError(f"{path}: no generated block ({BEGIN} ... {END})")
    path.write_text(pattern.sub(lambda _: render(), text), encoding="utf-8")


if __name__ == "__main__":
    update_page()
