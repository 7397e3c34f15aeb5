"""Sensitivity of a KPI to policy levers: one-at-a-time (tornado) and global (SALib).

Design and analysis stay apart. `one_at_a_time_design`, `morris_design` and `sobol_design`
(in `scenarios.designs`, re-exported here) produce sample points (dicts of parameter-path
overrides) that the study runner runs, every point with the same replications 0..R-1, i.e.
under common random numbers. `tornado`,
`morris` and `sobol` then read the stored outputs: a table (point, replication, value)
of one KPI.

Global methods use SALib (Herman & Usher 2017, JOSS 2(9)): Morris elementary-effects
screening (Morris 1991; μ* of Campolongo, Cariboni & Saltelli 2007) and Sobol indices by
Saltelli's scheme (Saltelli et al. 2010). Each point's model output is the mean over its
replications.

Intervals that include the simulation noise. SALib's own `*_conf` covers the sampling of
the design (a bootstrap over trajectories or base samples) but treats each point's output
as exact. The replication mean is not exact, so the noise is bootstrapped too: draw R
replication indices with replacement, the *same* draw for every point (points share
replication seeds, so resampling replications jointly keeps the CRN correlation that makes
differences between points precise), average each point over the drawn replications, and
re-run the SALib analysis; repeat B times. The noise half-width is half the width of the
central percentile interval of those B estimates (Efron & Tibshirani 1993, ch. 13). The two
sources are independent, so the reported half-width is sqrt(sampling² + noise²) around the
estimate from all replications; both parts are reported as well.
"""

from __future__ import annotations

import contextlib
import io
import warnings
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from SALib.analyze import morris as morris_analyze
from SALib.analyze import sobol as sobol_analyze

from analysis.intervals import interval_table, t_interval
from scenarios.designs import Design, morris_design, one_at_a_time_design, problem, sobol_design

__all__ = ["Design", "morris", "morris_design", "one_at_a_time_design", "outputs_matrix", "problem", "sobol",
           "sobol_design", "tornado"]


def outputs_matrix(results: pd.DataFrame, points: int, value: str = "value") -> np.ndarray:
    """points × replications array from a results table (point, replication, value); every
    point must have the same replications (the CRN pairing across points)."""
    table = results.pivot(index="point", columns="replication", values=value).reindex(range(points))
    if table.isna().to_numpy().any():
        raise ValueError("every point needs a value for every replication (missing or failed runs)")
    return table.to_numpy(dtype=float)


# ---- one-at-a-time --------------------------------------------------------------------

def tornado(results: pd.DataFrame, design: Design, value: str = "value", confidence: float = 0.95) -> pd.DataFrame:
    """Tornado data: per lever the KPI mean (with t-interval) at its low and at its high,
    the baseline, and the swing high − low with a paired t-interval over replications (the
    points share replication seeds). Sorted by |swing|, largest first."""
    if design.labels is None:
        raise ValueError("tornado needs a one-at-a-time design")
    intervals = interval_table(results, value, ["point"], confidence).set_index("point")
    wide = results.pivot(index="replication", columns="point", values=value)
    baseline = intervals.loc[0]
    rows = []
    for lever in design.levers:
        labels = design.labels[design.labels["lever"] == lever.path].set_index("level")
        low_point, high_point = int(labels.loc["low", "point"]), int(labels.loc["high", "point"])
        swing = t_interval((wide[high_point] - wide[low_point]).to_numpy(), confidence)
        low, high = intervals.loc[low_point], intervals.loc[high_point]
        rows.append({
            "lever": lever.path, "label": lever.name, "unit": lever.unit,
            "low_value": labels.loc["low", "value"], "high_value": labels.loc["high", "value"],
            "kpi_low": low["mean"], "kpi_low_ci_low": low["ci_low"], "kpi_low_ci_high": low["ci_high"],
            "kpi_high": high["mean"], "kpi_high_ci_low": high["ci_low"], "kpi_high_ci_high": high["ci_high"],
            "baseline": baseline["mean"], "baseline_ci_low": baseline["ci_low"], "baseline_ci_high": baseline["ci_high"],
            "swing": swing.mean, "swing_ci_low": swing.low, "swing_ci_high": swing.high,
        })
    table = pd.DataFrame(rows)
    order = table["swing"].abs().sort_values(ascending=False).index
    return table.loc[order].reset_index(drop=True)


# ---- global: Morris and Sobol with noise-inclusive intervals ---------------------------

def _quiet(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """SALib prints and warns on small or noisy samples; library code stays silent."""
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        return function(*args, **kwargs)


def _with_noise(estimate: Mapping[str, Any], analyse: Callable[[np.ndarray], Mapping[str, Any]],
                outputs: np.ndarray, keys: Sequence[str], bootstrap: int, seed: int,
                confidence: float) -> dict[str, np.ndarray]:
    """Noise half-widths by the joint replication bootstrap (module docstring)."""
    replications = outputs.shape[1]
    if replications < 2:
        raise ValueError("intervals with simulation noise need at least 2 replications per point")
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, replications, size=(bootstrap, replications))
    samples = {key: np.empty((bootstrap, len(np.asarray(estimate[key])))) for key in keys}
    for b in range(bootstrap):
        result = analyse(outputs[:, draws[b]].mean(axis=1))
        for key in keys:
            samples[key][b] = np.asarray(result[key], dtype=float)
    tail = (1 - confidence) / 2 * 100
    return {key: (np.nanpercentile(s, 100 - tail, axis=0) - np.nanpercentile(s, tail, axis=0)) / 2
            for key, s in samples.items()}


def _table(design: Design, estimate: Mapping[str, Any], noise: Mapping[str, np.ndarray],
           sampled: Mapping[str, str], extra: Sequence[str]) -> pd.DataFrame:
    table = pd.DataFrame({"lever": design.problem["names"], "label": [lever.name for lever in design.levers]})
    for key in extra:
        table[key] = np.asarray(estimate[key], dtype=float)
    for key, conf_key in sampled.items():
        value = np.asarray(estimate[key], dtype=float)
        sampling = np.asarray(estimate[conf_key], dtype=float)
        half_width = np.sqrt(sampling**2 + noise[key] ** 2)
        table[key] = value
        table[f"{key}_conf_sampling"] = sampling
        table[f"{key}_conf_noise"] = noise[key]
        table[f"{key}_conf"] = half_width
        table[f"{key}_ci_low"] = value - half_width
        table[f"{key}_ci_high"] = value + half_width
    return table


def morris(design: Design, outputs: np.ndarray, bootstrap: int = 100, seed: int = 0,
           confidence: float = 0.95, resamples: int = 100) -> pd.DataFrame:
    """Morris screening on outputs (points × replications): per lever mu, mu_star, sigma,
    and mu_star's half-widths (sampling from SALib, noise from the replication bootstrap,
    combined), sorted as the levers were given. Noise half-width of sigma is reported too."""
    if design.method != "morris":
        raise ValueError(f"morris needs a Morris design, got {design.method!r}")
    levels = design.settings["levels"]

    def analyse(y: np.ndarray, num_resamples: int = 2) -> Mapping[str, Any]:
        return _quiet(morris_analyze.analyze, dict(design.problem), design.matrix, y, num_resamples=num_resamples,
                      conf_level=confidence, num_levels=levels, seed=seed)

    estimate = analyse(outputs.mean(axis=1), resamples)
    noise = _with_noise(estimate, analyse, outputs, ["mu_star", "sigma"], bootstrap, seed, confidence)
    table = _table(design, estimate, noise, {"mu_star": "mu_star_conf"}, ["mu", "sigma"])
    table["sigma_conf_noise"] = noise["sigma"]
    return table


def sobol(design: Design, outputs: np.ndarray, bootstrap: int = 100, seed: int = 0,
          confidence: float = 0.95, resamples: int = 100) -> pd.DataFrame:
    """Sobol first-order (S1) and total (ST) indices on outputs (points × replications),
    each with sampling, noise and combined half-widths and the combined interval."""
    if design.method != "sobol":
        raise ValueError(f"sobol needs a Sobol design, got {design.method!r}")
    second_order = design.settings["second_order"]

    def analyse(y: np.ndarray, num_resamples: int = 2) -> Mapping[str, Any]:
        return _quiet(sobol_analyze.analyze, dict(design.problem), y, calc_second_order=second_order,
                      num_resamples=num_resamples, conf_level=confidence, seed=seed)

    estimate = analyse(outputs.mean(axis=1), resamples)
    noise = _with_noise(estimate, analyse, outputs, ["S1", "ST"], bootstrap, seed, confidence)
    return _table(design, estimate, noise, {"S1": "S1_conf", "ST": "ST_conf"}, [])
