"""Monitors: time-weighted levels (queue length, busy servers, WIP) and counters.

Statistics cover the observation window [warmup, horizon]: at the end of the warm-up
`reset(now)` drops what was gathered before, and `close(horizon)` adds the last piece.
"""

from __future__ import annotations


class TimeWeighted:
    """A level that changes at event times; keeps its time integral."""

    __slots__ = ("value", "last", "area", "start", "maximum")

    def __init__(self, value: float = 0.0) -> None:
        self.value = value
        self.last = 0.0
        self.area = 0.0
        self.start = 0.0
        self.maximum = value

    def set(self, now: float, value: float) -> None:
        self.area += self.value * (now - self.last)
        self.last = now
        self.value = value
        if value > self.maximum:
            self.maximum = value

    def add(self, now: float, delta: float) -> None:
        self.set(now, self.value + delta)

    def reset(self, now: float) -> None:
        self.area = 0.0
        self.last = now
        self.start = now
        self.maximum = self.value

    def close(self, now: float) -> None:
        self.area += self.value * (now - self.last)
        self.last = now

    def mean(self) -> float:
        """Time average over the window so far (call `close` first)."""
        span = self.last - self.start
        return self.area / span if span > 0 else float("nan")


class Tally:
    """Count, sum and sum of squares of observations (e.g. waits)."""

    __slots__ = ("count", "total", "squares")

    def __init__(self) -> None:
        self.count = 0
        self.total = 0.0
        self.squares = 0.0

    def add(self, value: float) -> None:
        self.count += 1
        self.total += value
        self.squares += value * value

    def reset(self, now: float = 0.0) -> None:
        self.count = 0
        self.total = 0.0
        self.squares = 0.0

    def mean(self) -> float:
        return self.total / self.count if self.count else float("nan")
