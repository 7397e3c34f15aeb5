"""Reading scenario files: TOML, `extends` chains, and where each value came from.

A scenario file may extend another (``extends = "base.toml"``, relative to the file).
The child is deep-merged over its parent: tables merge key by key, any other value
(arrays included) replaces the parent's. Every value remembers the file that set it, so
an error in an inherited value names the file a planner has to edit.
"""

from __future__ import annotations

import copy
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scenarios.errors import ScenarioError

#: the origin of values given on the command line with --set
COMMAND_LINE = "--set"

Key = tuple[str | int, ...]


@dataclass
class Origins:
    """Which file (or `COMMAND_LINE`) set each value; the longest recorded prefix wins."""

    default: str
    by_key: dict[Key, str] = field(default_factory=dict)

    def set(self, key: Key, origin: str) -> None:
        for known in [k for k in self.by_key if k[: len(key)] == key]:
            del self.by_key[known]
        self.by_key[key] = origin

    def of(self, key: Key) -> str:
        for length in range(len(key), 0, -1):
            origin = self.by_key.get(key[:length])
            if origin is not None:
                return origin
        return self.default

    def error(self, key_path: str, reason: str) -> ScenarioError:
        """A `ScenarioError` naming the file that set `key_path`."""
        origin = self.of(parse_key_path(key_path))
        if origin == COMMAND_LINE:
            return ScenarioError(self.default, key_path, f"{reason} (given with --set)")
        return ScenarioError(origin, key_path, reason)


def parse_key_path(key_path: str) -> Key:
    """"params.stations[1].rate" -> ("params", "stations", 1, "rate")."""
    parts: list[str | int] = []
    for name, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", key_path):
        parts.append(int(index) if index else name)
    return tuple(parts)


def display(path: Path | str) -> str:
    """A path as planners typed it (relative paths stay relative, `..` folded)."""
    return os.path.normpath(str(path))


def read_toml(path: Path, label: str) -> dict[str, Any]:
    """The TOML table in `path`; a missing or malformed file is a `ScenarioError`."""
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise ScenarioError(label, "(file)", "no such file") from None
    except IsADirectoryError:
        raise ScenarioError(label, "(file)", "is a directory, not a TOML file") from None
    except UnicodeDecodeError:
        raise ScenarioError(label, "(file)", "not UTF-8 text") from None
    except OSError as error:
        raise ScenarioError(label, "(file)", error.strerror or str(error)) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        where = re.search(r"\(at line (\d+), column (\d+)\)", message)
        if where:
            problem = message[: where.start()].strip()
            raise ScenarioError(label, f"line {where.group(1)}", f"invalid TOML: {problem} (column {where.group(2)})") from None
        raise ScenarioError(label, "(file)", f"invalid TOML: {message}") from None


def resolve_file(path: Path | str) -> tuple[dict[str, Any], Origins, tuple[str, ...]]:
    """The merged table of `path` and every file it extends, the origin of each value, and
    the chain of files (the file itself first)."""
    label = display(path)
    return _resolve(Path(path), label, ())


def _resolve(path: Path, label: str, chain: tuple[tuple[Path, str], ...]) -> tuple[dict[str, Any], Origins, tuple[str, ...]]:
    data = read_toml(path, label)
    parent_ref = data.pop("extends", None)
    if parent_ref is None:
        origins = Origins(label)
        for key in data:
            origins.set((key,), label)
        return data, origins, (label,)
    if not isinstance(parent_ref, str) or not parent_ref:
        raise ScenarioError(label, "extends", f"must be a path to a scenario file, got {parent_ref!r}")
    parent = path.parent / parent_ref
    parent_label = display(parent)
    here = (path.resolve(), label)
    visited = chain + (here,)
    for index, (seen, _) in enumerate(visited):
        if seen == parent.resolve():
            cycle = " -> ".join(name for _, name in visited[index:]) + f" -> {parent_label}"
            raise ScenarioError(label, "extends", f"cycle of extends: {cycle}")
    if not parent.exists():
        raise ScenarioError(label, "extends", f"no such file {parent_label!r}")
    base, origins, files = _resolve(parent, parent_label, visited)
    merge(base, data, (), origins, label)
    origins.default = label
    return base, origins, (label,) + files


def merge(base: dict[str, Any], override: Mapping[str, Any], key: Key, origins: Origins, origin: str) -> None:
    """Deep-merge `override` into `base` in place: tables merge, anything else replaces."""
    for name, value in override.items():
        here = key + (name,)
        if isinstance(value, Mapping) and isinstance(base.get(name), dict):
            merge(base[name], value, here, origins, origin)
        else:
            base[name] = copy.deepcopy(value)
            origins.set(here, origin)
