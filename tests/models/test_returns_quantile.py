"""`Distribution.quantile`, the inverse-transform draws the returns model is built on
(common random numbers across policies): exact values by hand, and the law of
quantile(U) against the distribution's moments."""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim.distributions import Distribution


def test_quantiles_by_hand():
    u = np.array([0.0, 0.5, 0.9])
    assert Distribution("exponential", mean=2.0).quantile(u) == pytest.approx([0.0, 2 * math.log(2), 2 * math.log(10)])
    assert Distribution("uniform", low=1.0, high=3.0).quantile(u) == pytest.approx([1.0, 2.0, 2.8])
    assert Distribution("deterministic", value=4.0).quantile(u).tolist() == [4.0, 4.0, 4.0]
    triangular = Distribution("triangular", low=1.0, mode=2.0, high=5.0)
    # F(mode) = (mode - low) / (high - low) = 0.25; F(x) = 1 - (5 - x)^2 / 12 above the mode
    assert triangular.quantile(np.array([0.0, 0.25, 0.75, 1 - 1 / 12, 1.0])) == pytest.approx(
        [1.0, 2.0, 5 - math.sqrt(3), 4.0, 5.0])
    # below the mode F(x) = (x - 1)^2 / 4: F(1.5) = 1/16
    assert triangular.quantile(np.array([1 / 16]))[0] == pytest.approx(1.5)
    lognormal = Distribution("lognormal", mean=6.904, cv=0.952)  # median 5, p90 14 (domain.md §2)
    assert lognormal.quantile(np.array([0.5, 0.9])) == pytest.approx([5.0, 14.0], rel=2e-3)
    empirical = Distribution("empirical", values=(3.0, 1.0, 2.0))
    assert empirical.quantile(np.array([0.0, 0.33, 0.34, 0.99])).tolist() == [1.0, 1.0, 2.0, 3.0]


@pytest.mark.parametrize("dist", [
    Distribution("exponential", mean=2.0), Distribution("lognormal", mean=3.0, cv=0.8),
    Distribution("gamma", mean=2.0, cv=0.5), Distribution("gamma", mean=1.0, cv=2.0),
    Distribution("uniform", low=1.0, high=3.0), Distribution("triangular", low=1.0, mode=1.5, high=4.0),
    Distribution("empirical", values=(1.0, 2.0, 5.0)),
])
def test_quantile_of_uniforms_has_the_distributions_moments(dist):
    u = np.random.default_rng(5).random(400_000)
    x = dist.quantile(u)
    mean, second = dist.expected(), dist.second_moment()
    sd = math.sqrt(second - mean * mean)
    assert abs(x.mean() - mean) < 5 * sd / math.sqrt(len(u))
    assert x.var() == pytest.approx(second - mean * mean, rel=0.05)
    assert np.all(np.diff(dist.quantile(np.sort(u))) >= 0)  # monotone: the same u keeps its rank
