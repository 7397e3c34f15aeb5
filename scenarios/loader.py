"""Scenario files -> validated, frozen `Scenario`s.

``load_scenario(path, overrides)`` reads a TOML scenario file (following `extends`),
applies command-line overrides, checks every key and value, builds the model's typed
parameters and runs the model's own cross-field checks. Anything wrong becomes one
`ScenarioError` naming the file, the key path and the reason; nothing is simulated.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from models import MODELS, get_spec
from scenarios import overrides as override_rules
from scenarios.errors import ScenarioError
from scenarios.overrides import Override
from scenarios.sources import COMMAND_LINE, Origins, display, resolve_file
from sim.frozen import FrozenMapping
from sim.parameters import ParameterError, build_params
from sim.run import RunSettings

__all__ = ["Scenario", "ScenarioError", "load_scenario", "scenario_from_mapping"]

TOP_LEVEL_KEYS = ("model", "name", "description", "extends", "run", "params")
RUN_KEYS = ("horizon", "warmup", "replications", "seed", "start", "day_types", "weekday_types")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True, eq=False)
class Scenario:
    """A validated scenario: what `sim.run.run` needs, plus what the manifest records.

    `resolved` is the merged table after `extends` and overrides (the exact input of the
    run); `fingerprint` hashes the model, run settings and parameters (not the name,
    description, replications or seed), so a stored run is reused only for the same inputs.
    """

    name: str
    model: str
    description: str
    path: str | None
    settings: RunSettings
    params: Any
    model_module: str
    resolved: dict[str, Any]
    fingerprint: str
    files: tuple[str, ...] = ()


def load_scenario(path: Path | str, overrides: Iterable[Override] = (), *, override_origin: str = COMMAND_LINE) -> Scenario:
    """Read, merge, override and validate the scenario file `path`.

    `overrides` are ``"KEY=VALUE"`` texts or ``(key, value)`` pairs; `override_origin`
    is what errors in them blame (the command line, or the study file that set them)."""
    data, origins, files = resolve_file(path)
    override_rules.apply(data, overrides, origins, override_origin)
    return _scenario(data, origins, display(path), files)


def scenario_from_mapping(data: Mapping[str, Any], source: str = "<mapping>", overrides: Iterable[Override] = ()) -> Scenario:
    """A scenario from an in-memory table (tests, notebooks); `source` labels errors."""
    table = copy.deepcopy(dict(data))
    if "extends" in table:
        raise ScenarioError(source, "extends", "only scenario files can extend another file")
    origins = Origins(source)
    override_rules.apply(table, overrides, origins)
    return _scenario(table, origins, None, ())


def _scenario(data: dict[str, Any], origins: Origins, path: str | None, files: tuple[str, ...]) -> Scenario:
    for key in data:
        if key not in TOP_LEVEL_KEYS:
            raise origins.error(key, f"unknown key (known keys: {', '.join(TOP_LEVEL_KEYS)})")
    model = _text(data, "model", origins, required=True)
    name = _text(data, "name", origins, required=True)
    description = _text(data, "description", origins, required=False)
    if model not in MODELS:
        raise origins.error("model", f"unknown model {model!r} (known: {', '.join(sorted(MODELS))})")
    try:
        spec = get_spec(model)
    except ImportError as error:
        raise origins.error("model", f"model {model!r} is not available in this installation ({error})") from None
    if "run" not in data:
        raise origins.error("run", "missing; a scenario needs a [run] table with at least horizon")
    settings = _run_settings(data["run"], origins)
    raw_params = data.get("params", {})
    try:
        params = build_params(spec.params_type, raw_params, "params")
        spec.validate(params)
    except ParameterError as error:
        raise origins.error(error.key_path, error.reason) from None
    except (ValueError, TypeError) as error:  # a model check that names no key
        raise origins.error("params", str(error)) from None
    return Scenario(
        name=name,
        model=model,
        description=description,
        path=path,
        settings=settings,
        params=params,
        model_module=MODELS[model],
        resolved=data,
        fingerprint=fingerprint(model, settings, params),
        files=files,
    )


def fingerprint(model: str, settings: RunSettings, params: Any) -> str:
    """A stable hash of everything that determines a replication's outcome except the
    seed and replication number. Parameters enter through their validated form, so
    ``rate = 9`` and ``rate = 9.0`` (or an omitted default) give the same fingerprint."""
    content = repr((
        model,
        settings.horizon,
        settings.warmup,
        settings.start.isoformat(),
        sorted(settings.day_types.items()),
        sorted(settings.weekday_types.items()),
        params,
    ))
    return hashlib.sha256(content.encode("utf-8")).hexdigest()[:16]


def _text(data: Mapping[str, Any], key: str, origins: Origins, required: bool) -> str:
    if key not in data:
        if required:
            raise origins.error(key, "missing (required)")
        return ""
    value = data[key]
    if not isinstance(value, str):
        raise origins.error(key, f"must be a string, got {value!r}")
    if required and not value.strip():
        raise origins.error(key, "must not be empty")
    if "\n" in value and key != "description":
        raise origins.error(key, "must be one line")
    return value


def _run_settings(run: Any, origins: Origins) -> RunSettings:
    if not isinstance(run, Mapping):
        raise origins.error("run", f"must be a table, got {run!r}")
    for key in run:
        if key not in RUN_KEYS:
            raise origins.error(f"run.{key}", f"unknown key (known keys: {', '.join(RUN_KEYS)})")
    if "horizon" not in run:
        raise origins.error("run.horizon", "missing (required): hours to simulate")
    horizon = _number(run["horizon"], "run.horizon", origins)
    if horizon <= 0:
        raise origins.error("run.horizon", f"must be > 0 hours, got {run['horizon']!r}")
    warmup = _number(run.get("warmup", 0.0), "run.warmup", origins)
    if not 0 <= warmup < horizon:
        horizon_origin = origins.of(("run", "horizon"))
        where = "" if horizon_origin == origins.of(("run", "warmup")) else f" (the horizon is set by {horizon_origin})"
        raise origins.error("run.warmup", f"must be >= 0 and below the horizon {horizon:g} h{where}, got {warmup:g}")
    replications = _integer(run.get("replications", 10), "run.replications", origins)
    if replications < 1:
        raise origins.error("run.replications", f"must be >= 1, got {replications}")
    seed = _integer(run.get("seed", 1), "run.seed", origins)
    if seed < 0:
        raise origins.error("run.seed", f"must be >= 0, got {seed}")
    start = _start(run["start"], origins) if "start" in run else RunSettings(horizon=1.0).start
    return RunSettings(
        horizon=horizon,
        warmup=warmup,
        replications=replications,
        seed=seed,
        start=start,
        day_types=FrozenMapping(_day_types(run.get("day_types", {}), origins)),
        weekday_types=FrozenMapping(_weekday_types(run.get("weekday_types", {}), origins)),
    )


def _number(value: Any, key: str, origins: Origins) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise origins.error(key, f"must be a number, got {value!r}")
    if not math.isfinite(value):
        raise origins.error(key, f"must be finite, got {value!r}")
    return float(value)


def _integer(value: Any, key: str, origins: Origins) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise origins.error(key, f"must be an integer, got {value!r}")
    return value


def _start(value: Any, origins: Origins) -> dt.datetime:
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            raise origins.error("run.start", f"must be a local date-time like 2025-11-11T00:00, got {value!r}") from None
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            raise origins.error("run.start", "must be a local date-time without a UTC offset")
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    raise origins.error("run.start", f"must be a local date-time like 2025-11-11T00:00, got {value!r}")


def _day_types(table: Any, origins: Origins) -> dict[str, str]:
    if not isinstance(table, Mapping):
        raise origins.error("run.day_types", "must be a table of ISO dates to day types")
    result = {}
    for date, kind in table.items():
        try:
            dt.date.fromisoformat(date)
        except ValueError:
            raise origins.error(f"run.day_types.{date}", "key must be an ISO date like 2025-11-11") from None
        if not isinstance(kind, str) or not kind:
            raise origins.error(f"run.day_types.{date}", f"must be a day type name, got {kind!r}")
        result[date] = kind
    return result


def _weekday_types(table: Any, origins: Origins) -> dict[str, str]:
    if not isinstance(table, Mapping):
        raise origins.error("run.weekday_types", "must be a table of weekday names to day types")
    result = {}
    for day, kind in table.items():
        if day.lower() not in WEEKDAYS:
            raise origins.error(f"run.weekday_types.{day}", f"key must be a weekday ({', '.join(WEEKDAYS)})")
        if not isinstance(kind, str) or not kind:
            raise origins.error(f"run.weekday_types.{day}", f"must be a day type name, got {kind!r}")
        result[day.lower()] = kind
    return result
