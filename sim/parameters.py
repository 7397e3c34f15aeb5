"""Typed, documented model parameters and their validating reader.

A model's parameters are frozen dataclasses. Each field is declared with `param()`, which
records its unit, allowed range, provenance (a source from the domain brief, or the word
ASSUMPTION) and a one-line description; `build_params()` turns a scenario-file table into
the dataclass, and every error names the key path and the reason.
"""

from __future__ import annotations

import dataclasses
import math
import sys
import types
import typing
from collections.abc import Mapping
from typing import Any, Literal, TypeVar, get_args, get_origin, get_type_hints

from sim.frozen import FrozenMapping

T = TypeVar("T")


class ParameterError(ValueError):
    """A parameter value that cannot be used; `key_path` says where, `reason` why."""

    def __init__(self, key_path: str, reason: str) -> None:
        super().__init__(f"{key_path}: {reason}")
        self.key_path = key_path
        self.reason = reason


@dataclasses.dataclass(frozen=True)
class Plausible:
    """The range an uncertain parameter may plausibly take, with the reason for it.

    For a number, `low`..`high` bound the value itself; for a distribution, its mean (the
    distribution is scaled, its shape kept). The robustness experiment samples this range;
    the model page and the report show it. `exempt` instead says why a parameter that is
    an assumption is not varied (a list of shifts, a switch that defines a scenario).
    """

    low: float = math.nan
    high: float = math.nan
    reason: str = ""
    exempt: str = ""

    def __post_init__(self) -> None:
        if self.exempt:
            return
        if not (math.isfinite(self.low) and math.isfinite(self.high)):
            raise ValueError("a plausible range needs finite low and high (or exempt=reason)")
        if self.low > self.high:
            raise ValueError(f"plausible range low {self.low} > high {self.high}")
        if not self.reason.strip():
            raise ValueError("a plausible range needs a one-line reason")


def param(
    default: Any = dataclasses.MISSING,
    *,
    unit: str = "",
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    provenance: str = "",
    doc: str = "",
    plausible: Plausible | None = None,
) -> Any:
    """Declare a parameter field.

    `low`/`high` bound numbers (and every number inside a list or mapping); `low_open`
    makes the lower bound strict (a rate must be > 0). `plausible` is the range an
    uncertain value may take (required for an ASSUMPTION; see `Plausible`). Mutable
    defaults (lists, dicts) are given as tuples / `types.MappingProxyType` so that
    parameters stay frozen.
    """
    metadata = {"unit": unit, "low": low, "high": high, "low_open": low_open, "provenance": provenance, "doc": doc,
                "plausible": plausible}
    if isinstance(default, (list, dict)):
        raise TypeError("use a tuple or MappingProxyType for a parameter default")
    if isinstance(default, (types.MappingProxyType, FrozenMapping)):
        frozen = FrozenMapping(default)  # picklable, unlike MappingProxyType
        return dataclasses.field(default_factory=lambda: frozen, metadata=metadata)
    return dataclasses.field(default=default, metadata=metadata)


def build_params(cls: type[T], data: Any, path: str = "params") -> T:
    """Build dataclass `cls` from a mapping, checking keys, types and ranges."""
    if isinstance(data, cls):
        return data
    if not isinstance(data, Mapping):
        raise ParameterError(path, f"must be a table, got {type(data).__name__}")
    data = _renamed(cls, data, path)
    hints = get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    for key in data:
        if key not in fields:
            known = ", ".join(sorted(fields))
            raise ParameterError(f"{path}.{key}", f"unknown key (known keys: {known})")
    values: dict[str, Any] = {}
    for name, field in fields.items():
        key_path = f"{path}.{name}"
        if name not in data:
            if field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING:
                raise ParameterError(key_path, "missing (required)")
            continue
        value = _convert(hints[name], data[name], key_path)
        _check_range(field.metadata, value, key_path)
        values[name] = value
    try:
        instance = cls(**values)
    except ParameterError:
        raise
    except (TypeError, ValueError) as error:  # __post_init__ checks raise these
        raise ParameterError(path, str(error)) from None
    return instance


def _renamed(cls: type, data: Mapping[str, Any], path: str) -> Mapping[str, Any]:
    """`data` with the old keys a class still reads (its `RENAMED_KEYS`, old -> new) under
    their new names; one line on stderr says so. Files written for the last release keep
    working for one more."""
    renamed: Mapping[str, str] = vars(cls).get("RENAMED_KEYS", {})
    old_keys = [key for key in data if key in renamed]
    if not old_keys:
        return data
    for key in old_keys:
        if renamed[key] in data:
            raise ParameterError(f"{path}.{key}", f"give either {key!r} (deprecated) or {renamed[key]!r}, not both")
        # a user-facing notice of the file they wrote, not a diagnostic of this code: stderr
        sys.stderr.write(f"{path}.{key}: deprecated key, write {renamed[key]!r} instead (read for one more release)\n")
    return {renamed.get(key, key): value for key, value in data.items()}


def _convert(hint: Any, value: Any, path: str) -> Any:
    from sim.distributions import Distribution  # local: distributions imports this module

    origin = get_origin(hint)
    if hint is Any:
        return value
    if origin in (typing.Union, types.UnionType):
        options = get_args(hint)
        if value is None and type(None) in options:
            return None
        errors = []
        for option in options:
            if option is type(None):
                continue
            try:
                return _convert(option, value, path)
            except ParameterError as error:
                errors.append(error.reason)
        raise ParameterError(path, errors[0] if len(errors) == 1 else " or ".join(errors))
    if hint is Distribution:
        return Distribution.from_mapping(value, path)
    if origin is Literal:
        choices = get_args(hint)
        if value not in choices:
            raise ParameterError(path, f"must be one of {', '.join(map(repr, choices))}, got {value!r}")
        return value
    if hint is bool:
        if not isinstance(value, bool):
            raise ParameterError(path, f"must be true or false, got {value!r}")
        return value
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ParameterError(path, f"must be an integer, got {value!r}")
        return value
    if hint is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ParameterError(path, f"must be a number, got {value!r}")
        if not math.isfinite(value):
            raise ParameterError(path, f"must be finite, got {value!r}")
        return float(value)
    if hint is str:
        if not isinstance(value, str):
            raise ParameterError(path, f"must be a string, got {value!r}")
        return value
    if origin is tuple:
        args = get_args(hint)
        if not isinstance(value, (list, tuple)):
            raise ParameterError(path, f"must be a list, got {type(value).__name__}")
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_convert(args[0], item, f"{path}[{i}]") for i, item in enumerate(value))
        if len(args) != len(value):
            raise ParameterError(path, f"must be a list of {len(args)} items, got {len(value)}")
        return tuple(_convert(arg, item, f"{path}[{i}]") for i, (arg, item) in enumerate(zip(args, value)))
    if origin in (dict, Mapping, typing.Mapping, types.MappingProxyType, FrozenMapping):  # Mapping: collections.abc
        key_type, value_type = get_args(hint)
        if not isinstance(value, Mapping):
            raise ParameterError(path, f"must be a table, got {type(value).__name__}")
        return FrozenMapping(
            {_convert(key_type, k, path): _convert(value_type, v, f"{path}.{k}") for k, v in value.items()}
        )
    if dataclasses.is_dataclass(hint):
        return build_params(hint, value, path)
    raise TypeError(f"unsupported parameter type {hint!r} at {path}")


def _check_range(metadata: Mapping[str, Any], value: Any, path: str) -> None:
    low, high, low_open = metadata.get("low"), metadata.get("high"), metadata.get("low_open")
    if low is None and high is None:
        return
    for item_path, number in _numbers(value, path):
        if low is not None and (number < low or (low_open and number == low)):
            relation = ">" if low_open else ">="
            raise ParameterError(item_path, f"must be {relation} {low}, got {number}")
        if high is not None and number > high:
            raise ParameterError(item_path, f"must be <= {high}, got {number}")


def _numbers(value: Any, path: str) -> typing.Iterator[tuple[str, float]]:
    if isinstance(value, bool):
        return
    if isinstance(value, (int, float)):
        yield path, value
    elif isinstance(value, tuple):
        for i, item in enumerate(value):
            yield from _numbers(item, f"{path}[{i}]")
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _numbers(item, f"{path}.{key}")


@dataclasses.dataclass(frozen=True)
class ParameterDoc:
    """One documented parameter, as shown in model pages and reports."""

    key: str
    default: str
    unit: str
    range: str
    provenance: str
    doc: str
    #: "low – high: reason" of an uncertain value, "exempt: reason", or ""
    plausible: str = ""


def describe(cls: type, prefix: str = "params") -> list[ParameterDoc]:
    """Every parameter of `cls` (recursively into nested dataclasses) with its provenance.

    A `Distribution` is one parameter (a value with a unit), not a nested table."""
    from sim.distributions import Distribution  # local: distributions imports this module

    hints = get_type_hints(cls)
    rows: list[ParameterDoc] = []
    for field in dataclasses.fields(cls):
        key = f"{prefix}.{field.name}"
        hint = hints[field.name]
        default = field.default
        if field.default_factory is not dataclasses.MISSING:
            default = field.default_factory()
        if dataclasses.is_dataclass(hint) and hint is not Distribution and default is not dataclasses.MISSING:
            rows.extend(describe(hint, key))
            continue
        meta = field.metadata
        low, high = meta.get("low"), meta.get("high")
        bounds = "" if low is None and high is None else f"{'(' if meta.get('low_open') else '['}{'' if low is None else low}, {'' if high is None else high}]"
        rows.append(ParameterDoc(
            key=key,
            default="(required)" if default is dataclasses.MISSING else _show(default),
            unit=meta.get("unit", ""),
            range=bounds,
            provenance=meta.get("provenance", ""),
            doc=meta.get("doc", ""),
            plausible=_show_plausible(meta.get("plausible")),
        ))
    return rows


def _show(value: Any) -> str:
    from sim.toml_text import toml_value

    return toml_value(value)


def _show_plausible(plausible: Plausible | None) -> str:
    if plausible is None:
        return ""
    if plausible.exempt:
        return f"exempt: {plausible.exempt}"
    return f"{plausible.low:g} – {plausible.high:g}: {plausible.reason}"
