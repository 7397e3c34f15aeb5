"""Input analysis: distributions, arrival rates and shares fitted to observed data.

Stage durations are fitted by maximum likelihood (scipy.stats) over the families a
scenario file can hold (`sim.distributions`), and the family with the lowest AIC is chosen
(Burnham & Anderson, *Model Selection and Multimodel Inference*, 2002, ch. 2). The
Kolmogorov-Smirnov distance D (largest gap between the fitted and the empirical
distribution function) is reported as the goodness-of-fit statistic; when even the best
family misses by more than `MAX_DISTANCE`, the empirical distribution (its quantiles) is
used instead. D is read as an effect size, not through its p-value: with thousands of
observations every fitted family is "rejected" at 5 %, even when it is close enough to use
(Law, *Simulation Modeling and Analysis*, 5th ed., 2015, section 6.7).

Right-censored durations (a stage still open at the end of the log) enter the likelihood
as censored observations (scipy.stats.CensoredData), not as errors and not as completed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

from sim.distributions import Distribution

#: fewest completed observations a distribution is fitted to
MIN_OBSERVATIONS = 30
#: a family whose KS distance exceeds this is not used (the empirical distribution is)
MAX_DISTANCE = 0.05
#: quantiles kept of an empirical fit (aggregates, never the observations themselves)
EMPIRICAL_POINTS = 200
#: the triangular likelihood is maximised numerically: on at most this many order statistics
_TRIANGULAR_SAMPLE = 2000


class FitError(ValueError):
    """Too few observations, or none usable."""


@dataclass(frozen=True)
class DurationFit:
    """A fitted stage duration: the distribution, its sample and how well it fits."""

    distribution: Distribution
    n: int
    censored: int
    aic: float
    ks_distance: float
    candidates: tuple[tuple[str, float, float], ...]  # (family, AIC, KS distance) of each family tried

    def provenance(self, source: str) -> str:
        statistic = f"KS D = {self.ks_distance:.3f}"
        censored = f" (+{self.censored} censored)" if self.censored else ""
        aic = f", AIC {self.aic:.1f} best of {len(self.candidates)} families" if math.isfinite(self.aic) else ""
        return f"fitted from {source}, n = {self.n}{censored}, {self.distribution.kind}, {statistic}{aic}"


def fit_duration(values: np.ndarray, censored: np.ndarray | None = None,
                 min_observations: int = MIN_OBSERVATIONS) -> DurationFit:
    """The best of the project's families for durations `values` (hours), with `censored`
    lower bounds of durations still running when the log ends."""
    x = np.asarray(values, dtype=float)
    right = np.asarray(censored if censored is not None else [], dtype=float)
    right = right[right > 0]  # a stage begun as the log ends tells nothing of its length
    if len(x) < min_observations:
        raise FitError(f"{len(x)} completed observations, fewer than the {min_observations} needed for a fit")
    if np.any(x < 0):
        raise FitError("negative durations")
    if np.ptp(x) <= 1e-9 * max(abs(float(x.max())), 1.0):
        return DurationFit(Distribution("deterministic", value=float(x.mean())), len(x), len(right), -math.inf, 0.0,
                           (("deterministic", -math.inf, 0.0),))
    candidates: list[tuple[str, float, float, Distribution]] = []
    positive = _positive(x)
    for family in (_exponential, _lognormal, _gamma, _uniform, _triangular):
        fitted = family(positive if family in (_lognormal, _gamma) else x, right)
        if fitted is not None:
            aic, frozen, distribution = fitted
            candidates.append((distribution.kind, aic, _distance(x, right, frozen.cdf), distribution))
    candidates.sort(key=lambda c: c[1])
    tried = tuple((kind, aic, distance) for kind, aic, distance, _ in candidates)
    usable = [c for c in candidates if c[2] <= MAX_DISTANCE]
    if usable:
        _, aic, distance, distribution = usable[0]
        return DurationFit(distribution, len(x), len(right), aic, distance, tried)
    empirical = _empirical(x)
    distance = _distance(x, right, lambda q: np.searchsorted(empirical.values, q, "right") / len(empirical.values))
    return DurationFit(empirical, len(x), len(right), math.inf, distance, tried)


def _distance(x: np.ndarray, right: np.ndarray, cdf) -> float:
    """Kolmogorov-Smirnov distance to the empirical distribution function, or with
    censoring to the Kaplan-Meier estimate (which the completed durations alone would
    understate: the open stages are the long ones)."""
    if not len(right):
        return float(stats.kstest(x, cdf).statistic)
    estimate = stats.ecdf(stats.CensoredData(uncensored=x, right=right)).cdf
    points = estimate.quantiles
    after = estimate.evaluate(points)
    before = np.concatenate([[0.0], after[:-1]])
    fitted = cdf(points)
    return float(max(np.max(np.abs(fitted - after)), np.max(np.abs(fitted - before))))


def _positive(x: np.ndarray) -> np.ndarray:
    """Durations a log rounded to zero (under its time resolution, e.g. a second) as half
    the smallest positive one, so positive families stay candidates; a real mass at zero
    (more than 1% zeros) is left as it is and rules them out."""
    zeros = x <= 0
    if not zeros.any() or zeros.mean() > 0.01 or zeros.all():
        return x
    return np.where(zeros, x[~zeros].min() / 2, x)


def _aic(log_likelihood: float, parameters: int) -> float:
    return 2 * parameters - 2 * log_likelihood


def _likelihood(frozen: stats.rv_continuous, x: np.ndarray, right: np.ndarray) -> float:
    """Log-likelihood with right-censored observations contributing their survival."""
    value = float(np.sum(frozen.logpdf(x)))
    if len(right):
        value += float(np.sum(frozen.logsf(right)))
    return value


def _data(x: np.ndarray, right: np.ndarray) -> np.ndarray | stats.CensoredData:
    return stats.CensoredData(uncensored=x, right=right) if len(right) else x


def _exponential(x: np.ndarray, right: np.ndarray):
    mean = (x.sum() + right.sum()) / len(x)  # the censored MLE in closed form
    frozen = stats.expon(scale=mean)
    return _aic(_likelihood(frozen, x, right), 1), frozen, Distribution("exponential", mean=float(mean))


def _lognormal(x: np.ndarray, right: np.ndarray):
    if x.min() <= 0:
        return None
    if len(right):
        shape, _, scale = stats.lognorm.fit(_data(x, right), floc=0)
    else:
        logs = np.log(x)
        shape, scale = float(logs.std()), float(np.exp(logs.mean()))
    frozen = stats.lognorm(shape, scale=scale)
    mean = scale * math.exp(shape * shape / 2)
    cv = math.sqrt(math.expm1(shape * shape))
    return _aic(_likelihood(frozen, x, right), 2), frozen, Distribution("lognormal", mean=float(mean), cv=float(cv))


def _gamma(x: np.ndarray, right: np.ndarray):
    if x.min() <= 0:
        return None
    shape, _, scale = stats.gamma.fit(_data(x, right), floc=0)
    frozen = stats.gamma(shape, scale=scale)
    return (_aic(_likelihood(frozen, x, right), 2), frozen,
            Distribution("gamma", mean=float(shape * scale), cv=float(1 / math.sqrt(shape))))


def _uniform(x: np.ndarray, right: np.ndarray):
    low, high = float(x.min()), float(max(x.max(), right.max() if len(right) else 0.0))
    frozen = stats.uniform(low, high - low)
    return _aic(_likelihood(frozen, x, right), 2), frozen, Distribution("uniform", low=low, high=high)


def _triangular(x: np.ndarray, right: np.ndarray):
    sample = _thinned(x, _TRIANGULAR_SAMPLE)
    c, loc, scale = stats.triang.fit(sample)
    if not (scale > 0 and 0 <= c <= 1):
        return None
    frozen = stats.triang(c, loc=loc, scale=scale)
    log_likelihood = _likelihood(frozen, x, right)
    if not math.isfinite(log_likelihood):  # an observation outside the fitted support
        return None
    low, high = max(float(loc), 0.0), float(loc + scale)
    mode = min(max(float(loc + c * scale), low), high)
    return _aic(log_likelihood, 3), frozen, Distribution("triangular", low=low, mode=mode, high=high)


def _thinned(x: np.ndarray, size: int) -> np.ndarray:
    """Evenly spaced order statistics: a deterministic stand-in for a large sample."""
    if len(x) <= size:
        return x
    return np.quantile(x, (np.arange(size) + 0.5) / size)


def _empirical(x: np.ndarray) -> Distribution:
    points = min(EMPIRICAL_POINTS, len(x))
    values = np.quantile(x, (np.arange(points) + 0.5) / points)
    return Distribution("empirical", values=tuple(float(v) for v in values))


@dataclass(frozen=True)
class Share:
    """A branch share with its Wilson score interval (Wilson, JASA 22, 1927)."""

    successes: int
    n: int
    estimate: float
    low: float
    high: float

    def provenance(self, source: str) -> str:
        return (f"fitted from {source}, n = {self.n}, share {self.estimate:.4f} "
                f"(95% Wilson interval {self.low:.4f}-{self.high:.4f})")


def share(successes: int, n: int, confidence: float = 0.95) -> Share:
    if n <= 0:
        raise FitError("no observations of the branch point")
    z = float(stats.norm.ppf(0.5 + confidence / 2))
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return Share(successes, n, p, max(0.0, centre - half), min(1.0, centre + half))


@dataclass(frozen=True)
class Rate:
    """A Poisson arrival rate (per hour) with its exact interval (Garwood, Biometrika 28, 1936)."""

    count: int
    hours: float
    estimate: float
    low: float
    high: float

    def provenance(self, source: str) -> str:
        return (f"fitted from {source}, n = {self.count} arrivals in {self.hours:.1f} h, rate {self.estimate:.4g}/h "
                f"(95% interval {self.low:.4g}-{self.high:.4g})")


def poisson_rate(count: int, hours: float, confidence: float = 0.95) -> Rate:
    if count < 1 or hours <= 0:
        raise FitError("no arrivals observed")
    alpha = 1 - confidence
    low = stats.chi2.ppf(alpha / 2, 2 * count) / 2 / hours
    high = stats.chi2.ppf(1 - alpha / 2, 2 * count + 2) / 2 / hours
    return Rate(count, hours, count / hours, float(low), float(high))


def daily_profile(times: np.ndarray, first: float, last: float) -> np.ndarray:
    """Arrivals in each clock hour (times are hours since a midnight) relative to the
    mean hour, over the whole days between `first` and `last`: 24 weights of mean 1."""
    start, end = math.floor(first / 24) * 24, math.ceil(last / 24) * 24
    times = np.asarray(times, dtype=float)
    counts = np.bincount(np.floor(times[(times >= start) & (times < end)] % 24).astype(int), minlength=24)[:24]
    return counts / counts.mean() if counts.sum() else counts.astype(float)
