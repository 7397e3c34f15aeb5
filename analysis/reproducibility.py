"""The reproducibility record of a results folder, in the order of STRESS-DES.

STRESS-DES (Monks et al. 2019, "Strengthening the reporting of empirical simulation
studies: Introducing the STRESS guidelines", *Journal of Simulation* 13(1), 55-67) lists
what a discrete-event simulation study must report for others to repeat it. Every entry
here is read from ``manifest.json``, never typed by hand, so the record cannot drift from
what was run.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd


def stress_table(manifest: Mapping[str, Any]) -> pd.DataFrame:
    """STRESS-DES items (section, item, value) filled from `manifest`."""
    study = manifest.get("study") or {}
    scenarios = manifest.get("scenarios", [])
    software = manifest.get("software", {})
    packages = software.get("packages", {})
    replications, seed = manifest.get("replications"), manifest.get("seed")
    horizons = sorted({_run(s).get("horizon") for s in scenarios if _run(s).get("horizon") is not None})
    warmups = sorted({_run(s).get("warmup", 0.0) for s in scenarios})
    timings = pd.DataFrame(manifest.get("run_seconds", []))
    runs = manifest.get("runs", {})
    revision = software.get("git_revision")
    dirty = " (with uncommitted changes)" if software.get("git_dirty") else ""
    rows = [
        ("1 Objectives", "Purpose of the study", f"{study.get('name', '')}: {_description(study)}".strip(": ")
         or "a run or comparison from the command line"),
        ("2 Logic", "Models", ", ".join(sorted({str(s.get('model')) for s in scenarios}))),
        ("2 Logic", "Scenarios", f"{len(scenarios)}: " + ", ".join(s["name"] for s in scenarios[:12])
         + (" ..." if len(scenarios) > 12 else "")),
        ("3 Data", "Parameters and their sources", ("every default has a unit, a range and a provenance (parameter tables per model); "
         "scenario files set the values shown there")),
        ("4.1 Initialisation", "Warm-up (hours, excluded from every statistic)", _list(warmups) + "; runs start empty"),
        ("4.2 Run length", "Horizon (hours simulated per replication)", _list(horizons)),
        ("4.3 Estimation", "Replications per scenario", str(replications)),
        ("4.3 Estimation", "Statistics", ("independent replications; 95% Student-t intervals over replications; paired "
         "differences against the baseline under common random numbers (one root seed for all scenarios); percentile "
         "KPIs: t-interval of per-replication percentiles")),
        ("5.1 Software", "Language and packages", f"Python {software.get('python', '?')}; "
         + ", ".join(f"{name} {version}" for name, version in packages.items() if version)),
        ("5.2 Random sampling", "Random numbers", (f"root seed {seed}; replication r uses seeds derived from (root seed, r, "
         "stream name) with numpy SeedSequence, one named stream per source of randomness (PCG64)")),
        ("5.3 Model execution", "Event handling", "discrete-event simulation on SimPy's event queue; callback-driven blocks"),
        ("5.3 Model execution", "Runs", (f"{runs.get('total', '?')} runs ({runs.get('ran', '?')} computed, "
         f"{runs.get('reused', '?')} reused from earlier runs) on {manifest.get('workers', '?')} worker process(es)")),
        ("5.4 System", "Machine", str(software.get("platform", "?"))),
        ("5.4 System", "Timings", _timings(manifest, timings)),
        ("6 Code access", "Source revision", f"git {revision}{dirty}" if revision else "not from a git checkout"),
        ("6 Code access", "Command", " ".join(manifest.get("command", [])) or "(Python API)"),
        ("6 Code access", "Started, status", f"{manifest.get('started', '?')}, {manifest.get('status', '?')}"),
    ]
    return pd.DataFrame(rows, columns=["section", "item", "value"])


def scenario_table(manifest: Mapping[str, Any]) -> pd.DataFrame:
    """Per scenario: model, horizon, warm-up, replications, root seed, input fingerprint,
    the scenario file, and the mean wall-clock seconds of its runs computed here."""
    timings = pd.DataFrame(manifest.get("run_seconds", []))
    mean_seconds = timings.groupby("scenario")["wall_seconds"].mean() if not timings.empty else pd.Series(dtype=float)
    rows = []
    for entry in manifest.get("scenarios", []):
        run = _run(entry)
        rows.append({"scenario": entry["name"], "model": entry.get("model"), "horizon_h": run.get("horizon"),
                     "warmup_h": run.get("warmup", 0.0), "replications": manifest.get("replications"),
                     "root_seed": manifest.get("seed"), "fingerprint": entry.get("fingerprint"),
                     "file": entry.get("path") or "", "mean_run_s": mean_seconds.get(entry["name"], float("nan"))})
    return pd.DataFrame(rows)


def _run(entry: Mapping[str, Any]) -> Mapping[str, Any]:
    return (entry.get("resolved") or {}).get("run", {})


def _description(study: Mapping[str, Any]) -> str:
    return str((study.get("resolved") or {}).get("description", "")).strip()


def _list(values: list[Any]) -> str:
    return ", ".join(f"{v:g}" if isinstance(v, (int, float)) else str(v) for v in values) or "?"


def _timings(manifest: Mapping[str, Any], timings: pd.DataFrame) -> str:
    wall = manifest.get("wall_seconds")
    text = f"study wall time {wall:.1f} s" if isinstance(wall, (int, float)) else "study wall time unknown"
    if not timings.empty:
        seconds = timings["wall_seconds"]
        text += (f"; per run {seconds.mean():.2f} s mean (min {seconds.min():.2f}, max {seconds.max():.2f}, "
                 f"{seconds.sum():.1f} s in all)")
    return text
