"""Values written the way a scenario file holds them (TOML), for model pages and reports.

One renderer, so a default reads the same on every page and in every report:
``{dist = "lognormal", mean = 3.0, cv = 0.8}``, ``["peak", "weekend"]``, ``{a = 1.0}``,
records as inline tables.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any


def toml_value(value: Any) -> str:
    """`value` as it would be written in a scenario file (None, which TOML lacks: "(none)")."""
    from sim.distributions import KINDS, Distribution  # local: distributions imports sim.parameters

    if isinstance(value, Distribution):
        keys = KINDS[value.kind][0]
        return "{" + ", ".join([f'dist = "{value.kind}"'] + [f"{key} = {toml_value(getattr(value, key))}"
                                                               for key in keys]) + "}"
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        parts = [f"{field.name} = {toml_value(getattr(value, field.name))}" for field in dataclasses.fields(value)
                 if getattr(value, field.name) not in ((), None)]
        return "{" + ", ".join(parts) + "}"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, (tuple, list)):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{key} = {toml_value(item)}" for key, item in value.items()) + "}"
    if value is None:
        return "(none)"
    return str(value)
