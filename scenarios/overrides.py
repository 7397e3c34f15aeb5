"""Command-line overrides: ``--set params.stations.0.servers=3``.

The key is a dotted path; a number after a list selects an item (counting from 0). The
value is read as a TOML value (``3``, ``0.5``, ``true``, ``"text"``, ``[1, 2]``,
``{dist = "exponential", mean = 1.0}``) and, when it is not valid TOML, as plain text
(``--set name=variant-b``). Missing tables along the path are created; an index out of
range or a path through a value that is not a table or list is an error.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from typing import Any

from scenarios.errors import ScenarioError
from scenarios.sources import COMMAND_LINE, Key, Origins

#: an override: "KEY=VALUE" text, or a (key, value) pair whose value is already typed
Override = str | tuple[str, Any]


def parse_value(text: str) -> Any:
    """A TOML value, or the text itself when it is not one."""
    try:
        return tomllib.loads(f"value = {text}")["value"]
    except tomllib.TOMLDecodeError:
        return text


def split(override: Override, file: str) -> tuple[str, Any]:
    if isinstance(override, tuple):
        return override
    key, sep, value = override.partition("=")
    key = key.strip()
    if not sep or not key:
        raise ScenarioError(file, override or "(empty)", "an override must look like KEY=VALUE (given with --set)")
    return key, parse_value(value.strip())


def apply(data: dict[str, Any], overrides: Iterable[Override], origins: Origins, origin: str = COMMAND_LINE) -> None:
    """Apply `overrides` to the merged scenario table `data` in place."""
    for override in overrides:
        key_text, value = split(override, origins.default)
        key = _set(data, key_text, value, origins.default, origin)
        origins.set(key, origin)


def _set(data: dict[str, Any], key_text: str, value: Any, file: str, origin: str) -> Key:
    names = key_text.split(".")
    suffix = " (given with --set)" if origin == COMMAND_LINE else f" (set by {origin})"

    def fail(reason: str) -> ScenarioError:
        return ScenarioError(file if origin == COMMAND_LINE else origin, key_text, reason + suffix)

    if any(not name for name in names):
        raise fail("empty part in the key")
    if names[0] == "extends":
        raise fail("extends cannot be overridden")
    node: Any = data
    key: list[str | int] = []
    for depth, name in enumerate(names):
        last = depth == len(names) - 1
        where = ".".join(names[:depth]) or "the scenario"
        if isinstance(node, list):
            if not name.isdigit():
                raise fail(f"{where} is a list; expected an item number, got {name!r}")
            index = int(name)
            if index >= len(node):
                raise fail(f"item {index} out of range: {where} has {len(node)} item(s)")
            key.append(index)
            if last:
                node[index] = value
            else:
                node = node[index]
        elif isinstance(node, dict):
            key.append(name)
            if last:
                node[name] = value
            else:
                node = node.setdefault(name, {})
        else:
            raise fail(f"{where} is {type(node).__name__} {node!r}, not a table or list")
    return tuple(key)
