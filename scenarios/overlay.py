"""A scenario overlay: a file that `extends` a baseline and replaces only some parameters.

`render_overlay` writes the replaced values the way the loader merges them (tables merge
key by key, arrays replace whole): a value inside an array of tables rewrites that array
in full, any other value is written at its own dotted key. Each replaced value's
provenance goes into the file's header, a table a reader (and the report) can see.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from scenarios.sources import parse_key_path
from sim.toml_text import toml_value


@dataclass(frozen=True)
class Replacement:
    """Parameter `path` (under ``[params]``, dotted, list items by index) gets `value`
    (scenario-file form: numbers, lists, ``{dist = ...}`` tables) because of `provenance`."""

    path: str
    value: Any
    provenance: str


def apply(params: Mapping[str, Any], replacements: Sequence[Replacement]) -> dict[str, Any]:
    """A deep copy of the raw `params` table with the replacements made."""
    table = copy.deepcopy(dict(params))
    for replacement in replacements:
        *parents, last = parse_key_path(replacement.path)
        node: Any = table
        for key in parents:  # a table the baseline leaves at its defaults is created
            node = node[key] if isinstance(key, int) else node.setdefault(key, {})
        node[last] = replacement.value
    return table


def render_overlay(model: str, name: str, description: str, extends: str, params: Mapping[str, Any],
                   replacements: Sequence[Replacement], header: Sequence[str] = ()) -> str:
    """The overlay's TOML text; `params` is the baseline's raw ``[params]`` table."""
    changed = apply(params, replacements)
    lines = [f"# {line}" for line in header]
    lines.append("# Fitted parameters and their provenance:")
    lines += [f"#   params.{r.path}: {r.provenance}" for r in replacements]
    lines += ["", f"model = {toml_value(model)}", f"name = {toml_value(name)}",
              f"description = {toml_value(description)}", f"extends = {toml_value(extends)}"]
    written: dict[tuple, None] = {}
    for replacement in replacements:
        written.setdefault(_written_path(changed, parse_key_path(replacement.path)), None)
    top_level = [path for path in written if len(path) == 1 and not isinstance(changed[path[0]], list)]
    if top_level:
        lines += ["", "[params]"] + [f"{path[0]} = {toml_value(changed[path[0]])}" for path in top_level]
    for head in dict.fromkeys(path[0] for path in written if path not in top_level):
        value = changed[head]
        if isinstance(value, list):
            for item in value:
                lines += ["", f"[[params.{head}]]"] + [f"{key} = {toml_value(v)}" for key, v in item.items()]
            continue
        lines += ["", f"[params.{head}]"]
        for path in (p for p in written if p[0] == head):
            lines.append(f"{'.'.join(map(str, path[1:]))} = {toml_value(_get(changed, path))}")
    return "\n".join(lines) + "\n"


def _written_path(table: Mapping[str, Any], path: tuple) -> tuple:
    """The part of `path` written as one key: up to the first array (arrays replace whole)."""
    for depth, key in enumerate(path):
        if isinstance(key, int):
            return path[:depth]
    return path


def _get(table: Any, path: tuple) -> Any:
    for key in path:
        table = table[key]
    return table
