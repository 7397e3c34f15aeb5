"""Declared metrics: every KPI a model emits is declared once, with its label, unit and
which direction is better.

A `Metric` is either one name (``trucks.load_factor``) or a family written as a pattern
with placeholders (``wait.{station}.mean_h``); a placeholder matches one dotted part
unless the family gives it its own regular expression. The same declaration names the
value, labels it in English and Chinese (labels may use the placeholders), documents it
on the model page, and tells the report whether a change is better or worse and when it
is large enough for a planner to care (`practical_threshold`, in the metric's unit).

`MetricRegistry` holds a model's declarations and answers: which declaration names this
value, its label in a language, which emitted names nobody declared, and which old names
were renamed (accepted for one release with a deprecation message).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Literal

from sim.frozen import FrozenMapping

Better = Literal["lower", "higher"] | None
Kind = Literal["time", "share", "count", "rate", "money", "mass", "distance", "ratio", "level"]
Language = Literal["en", "zh"]

KINDS: tuple[str, ...] = ("time", "share", "count", "rate", "money", "mass", "distance", "ratio", "level")
_PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")
_ANY_PART = r"[^.]+"


@dataclass(frozen=True)
class Metric:
    """One declared KPI or a family of them.

    `name` is the metric id or a pattern (``clearance.{channel}.p90_h``); `parts` maps a
    placeholder to the regular expression its values must match (default: one dotted
    part). `unit` is spelled one way across models: ``h``, ``d``, ``cny``, ``share``
    (a fraction 0–1, changes reported in percentage points), ``items/d``, ``kg`` ...
    `better` is "lower", "higher" or None (neither: a count that describes load).
    `practical_threshold` is the smallest change, in the metric's unit, that a planner
    would act on; smaller changes read "no clear change" even when significant.
    """

    name: str
    label_en: str
    label_zh: str
    unit: str
    better: Better
    kind: Kind
    definition: str
    practical_threshold: float
    parts: Mapping[str, str] = field(default_factory=FrozenMapping)

    def __post_init__(self) -> None:
        for attribute in ("name", "label_en", "label_zh", "unit", "definition"):
            if not str(getattr(self, attribute)).strip():
                raise ValueError(f"metric {self.name!r}: {attribute} is empty")
        if self.better not in ("lower", "higher", None):
            raise ValueError(f"metric {self.name!r}: better must be 'lower', 'higher' or None, got {self.better!r}")
        if self.kind not in KINDS:
            raise ValueError(f"metric {self.name!r}: kind must be one of {', '.join(KINDS)}, got {self.kind!r}")
        if not self.practical_threshold >= 0:
            raise ValueError(f"metric {self.name!r}: practical_threshold must be >= 0")
        unknown = set(self.parts) - set(self.placeholders)
        if unknown:
            raise ValueError(f"metric {self.name!r}: parts name no placeholder: {', '.join(sorted(unknown))}")

    @property
    def placeholders(self) -> tuple[str, ...]:
        return tuple(_PLACEHOLDER.findall(self.name))

    @property
    def is_family(self) -> bool:
        return bool(self.placeholders)

    def pattern(self) -> re.Pattern[str]:
        """The compiled full-match pattern of the names this declaration covers."""
        regex, position = "", 0
        for match in _PLACEHOLDER.finditer(self.name):
            regex += re.escape(self.name[position:match.start()])
            regex += f"(?P<{match.group(1)}>{self.parts.get(match.group(1), _ANY_PART)})"
            position = match.end()
        return re.compile(regex + re.escape(self.name[position:]))

    def match(self, name: str) -> dict[str, str] | None:
        """The placeholder values if `name` is covered by this declaration, else None."""
        if not self.is_family:
            return {} if name == self.name else None
        found = self.pattern().fullmatch(name)
        return found.groupdict() if found else None

    def label(self, name: str | None = None, language: Language = "en") -> str:
        """The label of `name` (a member of this family) in `language`, placeholders filled."""
        text = self.label_zh if language == "zh" else self.label_en
        values = self.match(name) if name is not None else None
        return text.format(**values) if values else text


def distribution_family(prefix: str, label_en: str, label_zh: str, definition: str, *,
                        unit: str = "h", better: Better = "lower", practical_threshold: float = 0.5,
                        parts: Mapping[str, str] | None = None,
                        statistics: Iterable[str] = ("mean", "median", "p90", "p95"),
                        with_count: bool = True) -> tuple[Metric, ...]:
    """Declarations of a duration distribution reported as ``<prefix>.mean_h`` etc.

    `prefix` may hold placeholders (``clearance.{channel}``); the statistics' labels read
    "<label>, mean (h)", "<label>, p90 (h)"; `with_count` adds ``<prefix>.count``."""
    words_en = {"mean": "mean", "median": "median", "p90": "90th percentile", "p95": "95th percentile"}
    words_zh = {"mean": "均值", "median": "中位数", "p90": "第90百分位", "p95": "第95百分位"}
    frozen_parts = FrozenMapping(parts or {})
    declared = [
        Metric(f"{prefix}.{statistic}_{unit}", f"{label_en}, {words_en[statistic]} ({unit})",
               f"{label_zh}（{words_zh[statistic]}，{unit}）", unit, better, "time",
               f"{words_en[statistic]} of {definition}", practical_threshold, frozen_parts)
        for statistic in statistics
    ]
    if with_count:
        declared.append(Metric(f"{prefix}.count", f"{label_en}: entities counted", f"{label_zh}：计数", "count",
                               None, "count", f"number of entities behind the statistics of {definition}", 0.0,
                               frozen_parts))
    return tuple(declared)


class MetricRegistry:
    """A model's metric declarations, looked up by emitted name.

    Exact names are found first, then families in declaration order. `renamed` maps an old
    metric name to its new one: old names given by a user (a study's headline list,
    ``size --metric``) are accepted with a one-line deprecation message for one release.
    """

    def __init__(self, metrics: Iterable[Metric], renamed: Mapping[str, str] | None = None) -> None:
        self._metrics: tuple[Metric, ...] = tuple(metrics)
        self._exact: dict[str, Metric] = {}
        self._families: list[tuple[re.Pattern[str], Metric]] = []
        for metric in self._metrics:
            if metric.is_family:
                self._families.append((metric.pattern(), metric))
            elif metric.name in self._exact:
                raise ValueError(f"metric {metric.name!r} is declared twice")
            else:
                self._exact[metric.name] = metric
        self.renamed: Mapping[str, str] = FrozenMapping(renamed or {})
        self._cache: dict[str, Metric | None] = {}

    def __iter__(self) -> Iterator[Metric]:
        return iter(self._metrics)

    def __len__(self) -> int:
        return len(self._metrics)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.lookup(name) is not None

    def lookup(self, name: str) -> Metric | None:
        """The declaration covering metric `name`, or None."""
        if name in self._cache:
            return self._cache[name]
        found = self._exact.get(name)
        if found is None:
            found = next((metric for pattern, metric in self._families if pattern.fullmatch(name)), None)
        self._cache[name] = found
        return found

    def get(self, name: str) -> Metric:
        """Like `lookup`, but a KeyError names the unknown metric."""
        found = self.lookup(name)
        if found is None:
            raise KeyError(f"undeclared metric {name!r}")
        return found

    def label(self, name: str, language: Language = "en") -> str:
        """The label of `name` in `language`; an undeclared name is shown as it is."""
        found = self.lookup(name)
        return found.label(name, language) if found is not None else name

    def undeclared(self, names: Iterable[str]) -> list[str]:
        """The names no declaration covers, in the order given."""
        return [name for name in names if self.lookup(name) is None]

    def unused(self, names: Iterable[str]) -> list[Metric]:
        """The declarations that cover none of `names` (emitted by no scenario)."""
        names = list(names)
        return [metric for metric in self._metrics if not any(metric.match(name) is not None for name in names)]

    def resolve(self, name: str) -> tuple[str, str | None]:
        """(current name, deprecation message or None) for a name a user typed. A renamed
        family is written with its placeholders (``station.{station}.wait_mean``)."""
        new = self.renamed.get(name)
        if new is None:
            for old, target in self.renamed.items():
                found = _renamed_family(old).fullmatch(name) if "{" in old else None
                if found:
                    new = target.format(**found.groupdict())
                    break
            else:
                return name, None
        return new, f"metric {name!r} was renamed {new!r}; the old name is accepted until the next release"


def _renamed_family(old: str) -> re.Pattern[str]:
    """The names an old family pattern covered (each placeholder: one dotted part)."""
    regex, position = "", 0
    for match in _PLACEHOLDER.finditer(old):
        regex += re.escape(old[position:match.start()]) + f"(?P<{match.group(1)}>{_ANY_PART})"
        position = match.end()
    return re.compile(regex + re.escape(old[position:]))
