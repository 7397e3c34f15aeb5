"""Sensitivity: designs, tornado data, Morris and Sobol on analytic functions with known
indices, and the noise-inclusive intervals (CRN-preserving replication bootstrap)."""

import numpy as np
import pandas as pd
import pytest

from analysis.sensitivity import (
    morris,
    morris_design,
    one_at_a_time_design,
    outputs_matrix,
    sobol,
    sobol_design,
    tornado,
)
from analysis.sweeps import Lever

PI = float(np.pi)


def ishigami(x: np.ndarray) -> np.ndarray:
    return np.sin(x[:, 0]) + 7.0 * np.sin(x[:, 1]) ** 2 + 0.1 * x[:, 2] ** 4 * np.sin(x[:, 0])


# analytic Sobol indices of the Ishigami function (a = 7, b = 0.1): Saltelli et al. 2008, §4.6
ISHIGAMI_S1 = [0.3139, 0.4424, 0.0]
ISHIGAMI_ST = [0.5576, 0.4424, 0.2437]


def results_table(outputs: np.ndarray) -> pd.DataFrame:
    points, replications = outputs.shape
    return pd.DataFrame({"point": np.repeat(np.arange(points), replications),
                         "replication": np.tile(np.arange(replications), points), "value": outputs.ravel()})


def test_one_at_a_time_design_and_tornado_on_a_linear_kpi():
    levers = [Lever("params.a", 1.0, 3.0, baseline=2.0), Lever("params.b", 0.0, 10.0, baseline=5.0),
              Lever("params.c", 2, 6, integer=True, baseline=4)]
    design = one_at_a_time_design(levers)
    assert len(design.points) == 1 + 2 * 3
    assert design.points[0] == {"params.a": 2.0, "params.b": 5.0, "params.c": 4}
    assert design.points[1] == {"params.a": 1.0, "params.b": 5.0, "params.c": 4}
    assert design.points[6] == {"params.a": 2.0, "params.b": 5.0, "params.c": 6}
    # KPI = 3a - 0.1b + 0.5c + replication effect (common to all points: CRN) + small own noise
    rng = np.random.default_rng(8)
    replications = 12
    common = rng.normal(0, 2.0, replications)
    outputs = np.array([[3 * p["params.a"] - 0.1 * p["params.b"] + 0.5 * p["params.c"] for _ in range(replications)]
                        for p in design.points]) + common + rng.normal(0, 0.05, (len(design.points), replications))
    table = tornado(results_table(outputs), design)
    assert table["lever"].tolist() == ["params.a", "params.c", "params.b"]  # swings 6, 2, -1
    assert table["swing"].tolist() == pytest.approx([6.0, 2.0, -1.0], abs=0.1)
    for row in table.itertuples():
        assert row.swing_ci_low < row.swing < row.swing_ci_high
        # CRN: the paired swing interval is far narrower than the intervals of its ends
        assert row.swing_ci_high - row.swing_ci_low < 0.2 * (row.kpi_high_ci_high - row.kpi_high_ci_low)
    assert table.loc[0, "kpi_low"] == pytest.approx(3 * 1 - 0.5 + 2 + common.mean(), abs=0.05)


def test_morris_recovers_linear_elementary_effects_and_the_dummy():
    levers = [Lever("x1", 0.0, 1.0), Lever("x2", 0.0, 1.0), Lever("x3", 0.0, 2.0), Lever("dummy", 0.0, 1.0)]
    design = morris_design(levers, trajectories=20, seed=4)
    assert design.matrix.shape == (20 * 5, 4)
    y = design.matrix @ np.array([1.0, -2.0, 3.0, 0.0])
    rng = np.random.default_rng(2)
    outputs = y[:, None] + rng.normal(0, 0.05, (len(y), 6))
    table = morris(design, outputs, bootstrap=60)
    # unscaled elementary effect of a linear term = coefficient x range: 1, 2, 6, 0
    assert table["mu_star"].tolist() == pytest.approx([1.0, 2.0, 6.0, 0.0], abs=0.15)
    assert table["mu"].tolist()[1] == pytest.approx(-2.0, abs=0.15)
    assert (table["mu_star_conf_noise"] > 0).all()
    assert (table["mu_star_conf"] >= table["mu_star_conf_sampling"]).all()
    truth = np.array([1.0, 2.0, 6.0, 0.0])
    assert ((table["mu_star_ci_low"] - 0.02 <= truth) & (truth <= table["mu_star_ci_high"] + 0.02)).all()


def test_sobol_recovers_the_ishigami_indices_with_noise():
    levers = [Lever(f"x{i}", -PI, PI) for i in (1, 2, 3)]
    design = sobol_design(levers, base_samples=1024, seed=11)
    assert design.matrix.shape == (1024 * 5, 3)
    rng = np.random.default_rng(6)
    outputs = ishigami(design.matrix)[:, None] + rng.normal(0, 1.0, (len(design.matrix), 5))
    table = sobol(design, outputs, bootstrap=60)
    assert table["S1"].tolist() == pytest.approx(ISHIGAMI_S1, abs=0.08)
    assert table["ST"].tolist() == pytest.approx(ISHIGAMI_ST, abs=0.08)
    for key, truth in (("S1", ISHIGAMI_S1), ("ST", ISHIGAMI_ST)):
        assert ((table[f"{key}_ci_low"] <= truth) & (np.array(truth) <= table[f"{key}_ci_high"])).all(), key
        assert (table[f"{key}_conf_noise"] > 0.002).all()


def test_noise_bootstrap_keeps_crn_common_noise_adds_no_uncertainty():
    """A replication effect shared by all points shifts every point alike; resampling
    replications jointly must then leave the indices unchanged (noise half-width 0), whereas
    independent noise of the same size widens them."""
    levers = [Lever(f"x{i}", -PI, PI) for i in (1, 2, 3)]
    design = sobol_design(levers, base_samples=256, seed=1)
    rng = np.random.default_rng(3)
    f = ishigami(design.matrix)[:, None]
    common = sobol(design, f + rng.normal(0, 2.0, (1, 6)), bootstrap=30)
    independent = sobol(design, f + rng.normal(0, 2.0, (len(f), 6)), bootstrap=30)
    assert np.abs(common[["S1_conf_noise", "ST_conf_noise"]].to_numpy()).max() < 1e-9
    assert (independent["S1_conf_noise"] > 0.005).all()


def test_outputs_matrix_requires_every_replication_at_every_point():
    table = results_table(np.arange(6.0).reshape(3, 2))
    assert outputs_matrix(table, 3).tolist() == [[0, 1], [2, 3], [4, 5]]
    with pytest.raises(ValueError):
        outputs_matrix(table.iloc[:-1], 3)
