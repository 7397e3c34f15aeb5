"""An optional periodic sampler of monitor levels, for warm-up analysis.

Monitors keep only time integrals over the observation window, which is what KPIs need;
deciding the warm-up needs the trajectory from t = 0. `LevelSampler` reads the current
level of time-weighted monitors every `period` hours (one scheduled callback per period,
nothing on the path of entities) and is created only when a run asks for it
(`sim.run.run(..., sample_every=h)`), so ordinary runs pay nothing.

Monitors sampled: the context's work in process (``wip``) and every `TimeWeighted`
attribute of every registered block, named ``<block>.<attribute>`` (e.g. ``triage.queue``,
``triage.servers.busy_level``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from sim.context import Context
from sim.monitors import TimeWeighted


def block_monitors(context: Context) -> dict[str, TimeWeighted]:
    """``wip`` and the time-weighted monitors of the context's blocks, by name."""
    monitors = {"wip": context.wip}
    for block in context.blocks:
        attributes = getattr(block, "__dict__", {})
        for attribute, value in attributes.items():
            if isinstance(value, TimeWeighted):
                monitors[f"{block.name}.{attribute}"] = value
    return monitors


class LevelSampler:
    """Levels of `monitors` at t = 0, period, 2·period, ... up to the horizon."""

    def __init__(self, context: Context, period: float, monitors: Mapping[str, TimeWeighted] | None = None) -> None:
        if period <= 0:
            raise ValueError(f"a sampling period must be > 0 hours, got {period}")
        self.context = context
        self.period = period
        self.monitors = dict(block_monitors(context) if monitors is None else monitors)
        self.values: dict[str, list[float]] = {name: [] for name in self.monitors}
        self.count = 0
        context.at(0.0, self._sample)

    def _sample(self, _: Any) -> None:
        for name, monitor in self.monitors.items():
            self.values[name].append(monitor.value)
        self.count += 1
        following = self.count * self.period  # multiples of the period: no drift from summing
        if following <= self.context.horizon:
            self.context.at(following, self._sample)

    def series(self) -> dict[str, np.ndarray]:
        """Sampled levels per monitor; element k is the level at time k·period."""
        return {name: np.asarray(values, dtype=float) for name, values in self.values.items()}
