"""Inverse distribution functions: a delay from an item's own uniform draw.

Common random numbers across a lever that changes a distribution (counter-era versus
app-era duty payment) need each item to keep its place in the distribution: an item that
pays quickly in one scenario pays quickly in the other. Drawing one uniform per item when
it is created and mapping it through the quantile function of whichever distribution the
scenario uses does exactly that (inverse-transform coupling).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from statistics import NormalDist

from scipy.special import gammaincinv

from sim.distributions import Distribution

_TINY = 1e-12


def quantile_function(distribution: Distribution, scale: float = 1.0) -> Callable[[float], float]:
    """u in [0, 1) -> the u-quantile of `distribution`, times `scale`."""
    kind = distribution.kind
    if kind == "deterministic":
        value = float(distribution.value) * scale  # type: ignore[arg-type]
        return lambda u: value
    if kind == "exponential":
        mean = float(distribution.mean) * scale  # type: ignore[arg-type]
        return lambda u: -mean * math.log1p(-u)
    if kind == "uniform":
        low = float(distribution.low) * scale  # type: ignore[arg-type]
        width = float(distribution.high) * scale - low  # type: ignore[arg-type]
        return lambda u: low + u * width
    if kind == "triangular":
        return _triangular(distribution, scale)
    if kind == "lognormal":
        mean = float(distribution.mean) * scale  # type: ignore[arg-type]
        if mean == 0:
            return lambda u: 0.0
        sigma = math.sqrt(math.log1p(float(distribution.cv) ** 2))  # type: ignore[arg-type]
        normal = NormalDist(math.log(mean) - sigma * sigma / 2, sigma)
        return lambda u: math.exp(normal.inv_cdf(min(max(u, _TINY), 1 - _TINY)))
    if kind == "gamma":
        mean = float(distribution.mean) * scale  # type: ignore[arg-type]
        shape = 1.0 / float(distribution.cv) ** 2  # type: ignore[arg-type]
        return lambda u: float(gammaincinv(shape, u)) * mean / shape
    values = sorted(v * scale for v in distribution.values)
    count = len(values)
    return lambda u: values[min(int(u * count), count - 1)]


def _triangular(distribution: Distribution, scale: float) -> Callable[[float], float]:
    low = float(distribution.low) * scale  # type: ignore[arg-type]
    mode = float(distribution.mode) * scale  # type: ignore[arg-type]
    high = float(distribution.high) * scale  # type: ignore[arg-type]
    width = high - low
    split = (mode - low) / width

    def quantile(u: float) -> float:
        if u < split:
            return low + math.sqrt(u * width * (mode - low))
        return high - math.sqrt((1 - u) * width * (high - mode))

    return quantile
