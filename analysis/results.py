"""A results folder as the analysis sees it: manifest, summary, comparisons, runs, events.

Reads only what a run, compare or study command stored (``manifest.json``,
``summary.csv``, ``comparisons.csv``, ``runs.parquet``, ``events.parquet`` or the per-run
``runs/*.events.parquet``). The milestone log is read one scenario at a time, with a
filter pushed down to the Parquet reader, so a large log never sits in memory whole.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq


class ResultsError(ValueError):
    """A folder that does not hold the results of a finished run, compare or study."""


@dataclass(frozen=True)
class ScenarioInfo:
    """What the manifest says of one scenario."""

    name: str
    model: str
    description: str
    horizon: float
    warmup: float
    path: str | None
    resolved: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Group:
    """A baseline, the scenarios compared with it, and the study's headline metrics for
    them (metric -> plain-words label, "" when the study gives none)."""

    baseline: str
    scenarios: tuple[str, ...]
    headline: Mapping[str, str] = field(default_factory=dict)

    @property
    def pairs(self) -> list[tuple[str, str]]:
        return [(self.baseline, scenario) for scenario in self.scenarios]


@dataclass(eq=False)
class Results:
    """The stored results in `folder` (read lazily)."""

    folder: Path

    @classmethod
    def open(cls, folder: Path | str) -> Results:
        results = cls(Path(folder))
        for name in ("manifest.json", "summary.csv", "runs.parquet"):
            if not (results.folder / name).is_file():
                raise ResultsError(f"{results.folder}: no {name}: not the results folder of a finished run or study")
        if results.manifest.get("status") != "complete":
            raise ResultsError(f"{results.folder}: the runs did not finish (status {results.manifest.get('status')!r}); "
                               "run the same command again to complete them")
        return results

    @cached_property
    def manifest(self) -> dict[str, Any]:
        return json.loads((self.folder / "manifest.json").read_text(encoding="utf-8"))

    @cached_property
    def summary(self) -> pd.DataFrame:
        return pd.read_csv(self.folder / "summary.csv")

    @cached_property
    def runs(self) -> pd.DataFrame:
        return pd.read_parquet(self.folder / "runs.parquet")

    @cached_property
    def comparisons(self) -> pd.DataFrame | None:
        path = self.folder / "comparisons.csv"
        return pd.read_csv(path) if path.is_file() else None

    @cached_property
    def scenarios(self) -> dict[str, ScenarioInfo]:
        """Scenario name -> what was run, in run order."""
        infos = {}
        for entry in self.manifest.get("scenarios", []):
            resolved = entry.get("resolved") or {}
            run = resolved.get("run", {})
            infos[entry["name"]] = ScenarioInfo(
                name=entry["name"], model=str(entry.get("model", "")),
                description=str(resolved.get("description", "")).strip(),
                horizon=float(run.get("horizon", float("nan"))), warmup=float(run.get("warmup", 0.0)),
                path=entry.get("path"), resolved=resolved)
        return infos

    @property
    def models(self) -> list[str]:
        """Models present, in the order their first scenario ran."""
        return list(dict.fromkeys(info.model for info in self.scenarios.values()))

    def scenarios_of(self, model: str) -> list[str]:
        return [name for name, info in self.scenarios.items() if info.model == model]

    @property
    def sweeps(self) -> list[dict[str, Any]]:
        """Sweep records of a study (`scenarios.study_sweeps.Sweep.record`)."""
        return list((self.manifest.get("study") or {}).get("sweeps") or [])

    @property
    def groups(self) -> list[Group]:
        """The compared groups: from the study's record when there is one, else one group
        per baseline of ``comparisons.csv`` (a compare command)."""
        recorded = (self.manifest.get("study") or {}).get("groups")
        if recorded:
            return [Group(g["baseline"], tuple(g.get("scenarios", ())), dict(g.get("headline") or {}))
                    for g in recorded]
        by_baseline: dict[str, list[str]] = {}
        for baseline, scenario in self.pairs:
            by_baseline.setdefault(baseline, []).append(scenario)
        return [Group(baseline, tuple(others), {}) for baseline, others in by_baseline.items()]

    @property
    def pairs(self) -> list[tuple[str, str]]:
        if self.comparisons is None or self.comparisons.empty:
            return []
        return list(dict.fromkeys(zip(self.comparisons["baseline"], self.comparisons["scenario"])))

    # -- milestone log -------------------------------------------------------------------
    @property
    def has_events(self) -> bool:
        return (self.folder / "events.parquet").is_file() or bool(self.manifest.get("events"))

    def events_share(self, scenario: str) -> float | None:
        """Share of entities whose milestone log the study kept for `scenario` (None: unknown)."""
        setting = self.manifest.get("events")
        if isinstance(setting, bool):
            return 1.0 if setting else None
        if isinstance(setting, Mapping):
            value = setting.get(scenario)
            return float(value) if value else None
        return None

    def events(self, scenario: str, milestones: Sequence[str] | None = None) -> pd.DataFrame | None:
        """The milestone log of `scenario` (columns scenario, replication, entity,
        milestone, time, resource), limited to `milestones` when given; None if not stored."""
        combined = self.folder / "events.parquet"
        if combined.is_file():
            filters: list[Any] = [("scenario", "==", scenario)]
            if milestones is not None:
                filters.append(("milestone", "in", list(milestones)))
            table = pq.read_table(combined, filters=filters)
            return _frame(table)
        return self._events_from_runs(scenario, milestones)

    def _events_from_runs(self, scenario: str, milestones: Sequence[str] | None) -> pd.DataFrame | None:
        """Per-run logs under ``runs/`` (a study stores them there as each run finishes)."""
        fingerprint = next((s.get("fingerprint") for s in self.manifest.get("scenarios", []) if s["name"] == scenario),
                           None)
        if fingerprint is None:
            return None
        tables = []
        for path in sorted((self.folder / "runs").glob(f"*-{fingerprint}-s*-r*.events.parquet")):
            replication = int(path.name.split("-r")[-1].split(".")[0])
            table = pq.read_table(path)
            table = table.set_column(1, "milestone", table.column("milestone").cast(pa.string()))
            frame = table.to_pandas()
            if milestones is not None:
                frame = frame[frame["milestone"].isin(list(milestones))]
            frame.insert(0, "replication", replication)
            frame.insert(0, "scenario", scenario)
            tables.append(frame)
        return pd.concat(tables, ignore_index=True) if tables else None


def _frame(table: pa.Table) -> pd.DataFrame | None:
    if table.num_rows == 0:
        return None
    frame = table.to_pandas()
    frame["scenario"] = frame["scenario"].astype(str)
    frame["milestone"] = frame["milestone"].astype(str)
    return frame
