"""The built-in scenario and study files shipped with cbecsim."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from scenarios.errors import ScenarioError
from scenarios.sources import resolve_file

FOLDER = Path(__file__).resolve().parent
#: what `cbecsim study` runs when no study file is given: the three customs models' pilots
DEFAULT_STUDY = FOLDER / "studies" / "tianjin_pilots.toml"


@dataclass(frozen=True)
class Entry:
    """One built-in file: `key` is its path under the scenarios folder without `.toml`."""

    key: str
    path: Path
    name: str
    model: str
    description: str


def scenario_files() -> list[Entry]:
    """Built-in scenario files (``scenarios/<model>/*.toml``)."""
    return [entry for entry in _entries() if not entry.key.startswith("studies/")]


def study_files() -> list[Entry]:
    """Built-in study files (``scenarios/studies/*.toml``)."""
    return [entry for entry in _entries() if entry.key.startswith("studies/")]


def find(reference: str) -> Path | None:
    """The built-in file named like ``queue_network/example`` (with or without .toml)."""
    key = reference.removesuffix(".toml")
    for entry in _entries():
        if entry.key == key:
            return entry.path
    return None


def _entries() -> list[Entry]:
    entries = []
    for path in sorted(FOLDER.glob("*/*.toml")):
        try:
            data, _, _ = resolve_file(path)  # a file extending another inherits its model
        except ScenarioError:
            continue
        key = path.relative_to(FOLDER).with_suffix("").as_posix()
        entries.append(Entry(key, path, str(data.get("name", "")), str(data.get("model", "")),
                             str(data.get("description", "")).strip()))
    return entries
