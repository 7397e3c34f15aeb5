"""Input analysis against theory: maximum-likelihood fits recover known distributions,
AIC picks the family that generated the data, censoring is handled (switched off, the
estimate is biased), Wilson and Poisson intervals match hand computation."""

from __future__ import annotations

import math

import numpy as np
import pytest

from analysis import fitting, observations
from sim.distributions import Distribution

TRUE = [
    Distribution("exponential", mean=2.0),
    Distribution("lognormal", mean=3.0, cv=0.8),
    Distribution("gamma", mean=1.0, cv=0.5),
    Distribution("uniform", low=1.0, high=3.0),
    Distribution("triangular", low=1.0, mode=2.0, high=5.0),
]


@pytest.mark.parametrize("true", TRUE, ids=[d.kind for d in TRUE])
def test_the_generating_family_wins_and_its_mean_is_recovered(true: Distribution) -> None:
    sample = true.draw(np.random.default_rng(7), 3000)
    fit = fitting.fit_duration(sample)
    assert fit.distribution.kind == true.kind
    # the standard error of a mean of 3000 draws is under 1.5% for these cvs: 5% is > 3 SE
    assert fit.distribution.expected() == pytest.approx(true.expected(), rel=0.05)
    assert fit.ks_distance < fitting.MAX_DISTANCE
    if true.cv is not None:
        assert fit.distribution.cv == pytest.approx(true.cv, rel=0.1)


def test_equal_durations_are_deterministic() -> None:
    fit = fitting.fit_duration(np.full(40, 0.5))
    assert fit.distribution == Distribution("deterministic", value=0.5)


def test_a_bimodal_sample_that_no_family_fits_is_kept_empirical() -> None:
    rng = np.random.default_rng(3)
    sample = np.concatenate([rng.normal(1.0, 0.05, 1500), rng.normal(5.0, 0.05, 1500)])
    fit = fitting.fit_duration(sample)
    assert fit.distribution.kind == "empirical"
    assert len(fit.distribution.values) == fitting.EMPIRICAL_POINTS
    assert fit.distribution.expected() == pytest.approx(sample.mean(), rel=0.01)


def test_too_few_observations_are_refused() -> None:
    with pytest.raises(fitting.FitError, match="29 completed observations, fewer than the 30"):
        fitting.fit_duration(np.arange(1.0, 30.0))


def test_censored_durations_remove_the_bias_of_dropping_open_stages() -> None:
    """Stages still open when the log stops are the long ones: dropping them biases the
    mean low; as censored observations the exponential MLE is unbiased."""
    rng = np.random.default_rng(11)
    true_mean, cut = 2.0, 3.0
    durations = rng.exponential(true_mean, 5000)
    done, open_ = durations[durations <= cut], np.full(int((durations > cut).sum()), cut)
    assert done.mean() < 0.75 * true_mean  # the bias when censoring is switched off
    fit = fitting.fit_duration(done, open_)
    assert fit.distribution.kind in ("exponential", "gamma")  # gamma nests the exponential: AIC may tie
    assert fit.distribution.expected() == pytest.approx(true_mean, rel=0.05)
    assert fit.censored == len(open_)


def test_wilson_interval_by_hand() -> None:
    share = fitting.share(30, 100)
    z = 1.959964
    centre = (0.3 + z * z / 200) / (1 + z * z / 100)
    half = z * math.sqrt(0.3 * 0.7 / 100 + z * z / 40000) / (1 + z * z / 100)
    assert (share.low, share.high) == pytest.approx((centre - half, centre + half), abs=1e-6)


def test_poisson_rate_interval_covers_the_rate() -> None:
    rate = fitting.poisson_rate(400, 100.0)
    assert rate.estimate == 4.0
    # exact interval about +-2 standard errors (sqrt(400) / 100 = 0.2 per hour)
    assert rate.low == pytest.approx(4.0 - 1.96 * 0.2, abs=0.03)
    assert rate.high == pytest.approx(4.0 + 1.96 * 0.2, abs=0.05)


def test_stage_durations_pair_each_begin_with_the_next_end_of_its_case() -> None:
    import pandas as pd

    events = pd.DataFrame({
        "case": [0, 0, 0, 0, 1, 1, 2],
        "activity": ["a.start", "a.end", "a.start", "a.end", "a.start", "a.end", "a.start"],
        "time": [0.0, 1.0, 2.0, 4.0, 1.0, 1.5, 9.0],
    })
    done, censored = observations.durations(events, "a.start", "a.end", log_end=10.0)
    assert sorted(done) == [0.5, 1.0, 2.0]
    assert censored.tolist() == [1.0]
    assert observations.next_share(events, "a.end", "a.start") == (1, 1)  # case 0's last a.end is undecided


def test_a_daily_profile_recovers_the_hourly_weights() -> None:
    """Arrivals drawn hour by hour from known weights over 60 days: each hour's weight
    relative to the mean hour comes back within 4 binomial standard errors."""
    rng = np.random.default_rng(5)
    weights = np.array([0, 0, 0, 0, 0, 0, 1, 2, 4, 6, 6, 4, 3, 3, 4, 6, 6, 4, 2, 1, 1, 0, 0, 0], dtype=float)
    days, per_day = 60, 300
    hours = rng.choice(24, size=days * per_day, p=weights / weights.sum())
    times = np.repeat(np.arange(days) * 24.0, per_day) + hours + rng.uniform(0, 1, days * per_day)
    profile = fitting.daily_profile(times, 0.0, days * 24.0 - 1e-9)
    expected = weights / weights.mean()
    standard_error = np.sqrt(24 * expected / (days * per_day))  # profile = 24 count / N, count ~ Poisson
    assert np.all(np.abs(profile - expected) <= 4 * standard_error + 1e-12)
    assert profile.mean() == pytest.approx(1.0)


def test_batch_sizes_count_the_entities_of_each_resource() -> None:
    import pandas as pd

    events = pd.DataFrame({"case": [0, 1, 2, 3, 4], "activity": ["EMD"] * 4 + ["EDB"],
                           "time": [1.0, 1.0, 2.0, 2.0, 3.0], "resource": ["R1", "R1", "R2", "R1", "R2"]})
    assert sorted(observations.batch_sizes(events, "EMD")) == [1.0, 3.0]
