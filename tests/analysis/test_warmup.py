"""Warm-up analysis: Welch's moving average by hand, period averages of a step function,
and MSER-5 finding planted transients."""

import numpy as np
import pytest

from analysis.warmup import mser, mser_replications, period_averages, welch


def test_welch_moving_average_by_hand():
    # two replications whose average is 1, 4, 9, ..., 49
    squares = np.arange(1, 8) ** 2
    curve = welch(np.vstack([squares - 1.0, squares + 1.0]), window=2)
    frame = curve.frame
    assert frame["period"].tolist() == [1, 2, 3, 4, 5]  # the last w periods have no full window
    assert frame["average"].tolist() == [1, 4, 9, 16, 25]
    # period 1: itself; period 2: (1+4+9)/3; then windows of 5
    assert frame["moving_average"].tolist() == pytest.approx([1, 14 / 3, 55 / 5, 90 / 5, 135 / 5])


def test_welch_rejects_a_window_too_wide():
    with pytest.raises(ValueError):
        welch(np.ones((2, 6)), window=3)


def test_period_averages_of_a_step_function_by_hand():
    # level 2 on [0, 1.5), 0 on [1.5, 4), 3 from 4 on
    averages = period_averages([0.0, 1.5, 4.0], [2.0, 0.0, 3.0], period=2.0, horizon=6.0)
    assert averages.tolist() == pytest.approx([1.5, 0.0, 3.0])
    # changes before the start: level 5 holds from -1 until 1; the partial period 5..5.5 is dropped
    averages = period_averages([-3.0, -1.0, 1.0], [7.0, 5.0, 1.0], period=2.0, horizon=5.5, start=-1.0)
    assert averages.tolist() == pytest.approx([5.0, 1.0, 1.0])


def test_mser5_finds_a_planted_level_shift():
    rng = np.random.default_rng(2024)
    series = np.concatenate([rng.normal(6.0, 1.0, 300), rng.normal(0.0, 1.0, 2700)])
    result = mser(series)
    assert result.batch_size == 5
    # the whole shifted part goes (6 standard deviations: keeping any of it inflates the
    # variance), and little of the stationary part is wasted
    assert 300 <= result.truncation <= 400
    assert not result.at_limit


def test_mser5_finds_a_decaying_transient_on_replication_averages():
    rng = np.random.default_rng(99)
    periods = np.arange(1000)
    bias = 20.0 * np.exp(-periods / 50.0)  # below the noise of the average after ~ 200 periods
    series = bias + rng.normal(0.0, 2.0, (10, periods.size))
    result = mser_replications(series)
    assert 100 <= result.truncation <= 400
    # truncating there removes the bias: the kept mean is near the steady state 0
    assert abs(series.mean(axis=0)[result.truncation:].mean()) < 0.1


def test_mser_flags_a_run_too_short_for_its_transient():
    series = np.concatenate([np.linspace(10.0, 1.0, 900), np.zeros(100)])
    assert mser(series).at_limit
