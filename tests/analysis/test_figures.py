"""Every chart draws from its analysis table and writes a PNG of report size."""

import numpy as np
import pandas as pd
import pytest
from matplotlib.image import imread
from test_sensitivity import ishigami, results_table
from test_stages import MILESTONES, synthetic_log
from test_sweeps import mm1_results

from analysis import figures
from analysis.sensitivity import morris, morris_design, one_at_a_time_design, sobol, sobol_design, tornado
from analysis.stages import stage_table
from analysis.style import DPI, HEIGHT_IN, WIDTH_IN
from analysis.sweeps import Lever, capacity_curve, kpi_saturation
from analysis.warmup import welch


def _check_png(path, width=WIDTH_IN, height=None):
    image = imread(path)
    assert image.shape[1] == round(width * DPI)
    if height is not None:
        assert image.shape[0] == round(height * DPI)
    # not blank: many distinct colours
    assert len(np.unique(image.reshape(-1, image.shape[2]), axis=0)) > 20


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    return tmp_path_factory.mktemp("figures")


def test_stage_bars(out):
    log, classes = synthetic_log()
    table = stage_table(log, MILESTONES, names=["lodgement", "release", "exit"], classes=classes, class_column="channel")
    figure = figures.stage_bars(table, out / "stages.png")
    assert figure.axes[0].get_title(loc="left")
    _check_png(out / "stages.png")
    figures.stage_bars(table, out / "stages_by_channel.png", classes=("green", "red"))
    _check_png(out / "stages_by_channel.png")


def test_comparison_bars(out):
    frame = pd.DataFrame({"scenario": ["same-truck pilot", "extra officer", "night shift"],
                          "rel_change": [-0.31, 0.02, 0.12],
                          "rel_ci_low": [-0.33, -0.03, 0.08], "rel_ci_high": [-0.29, 0.07, 0.16]})
    figures.comparison_bars(frame, out / "comparison.png", "Truck departures per day")
    _check_png(out / "comparison.png")


def test_tornado_chart(out):
    levers = [Lever("params.a", 1.0, 3.0, baseline=2.0, label="officers", unit="persons"),
              Lever("params.b", 0.0, 10.0, baseline=5.0, label="inspection rate", unit="%")]
    design = one_at_a_time_design(levers)
    rng = np.random.default_rng(1)
    outputs = np.array([[3 * p["params.a"] - 0.1 * p["params.b"]] * 8 for p in design.points]) + rng.normal(0, 0.3, (5, 8))
    figures.tornado_chart(tornado(results_table(outputs), design), out / "tornado.png", "mean clearance time", "h")
    _check_png(out / "tornado.png")


def test_capacity_plot(out):
    curve = capacity_curve(mm1_results([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]), "rate", value="sojourn")
    figures.capacity_plot(curve, out / "capacity.png", "rate", "mean sojourn", "parcels/h", "h",
                          saturation=kpi_saturation(curve, "rate"))
    _check_png(out / "capacity.png", height=HEIGHT_IN)


def test_welch_plot(out):
    rng = np.random.default_rng(0)
    series = 20 * np.exp(-np.arange(300) / 30) + rng.normal(0, 3, (5, 300))
    figures.welch_plot(welch(series, 10), out / "welch.png", "queue length", "parcels", "hour", warmup_period=90)
    _check_png(out / "welch.png", height=HEIGHT_IN)


def test_morris_and_sobol_plots(out):
    levers = [Lever(f"x{i}", -np.pi, np.pi) for i in (1, 2, 3)]
    rng = np.random.default_rng(4)
    design = morris_design(levers, 20, seed=2)
    outputs = ishigami(design.matrix)[:, None] + rng.normal(0, 0.5, (len(design.matrix), 4))
    figures.morris_plot(morris(design, outputs, bootstrap=20), out / "morris.png", "Ishigami y")
    _check_png(out / "morris.png", height=HEIGHT_IN)
    design = sobol_design(levers, 256, seed=2)
    outputs = ishigami(design.matrix)[:, None] + rng.normal(0, 0.5, (len(design.matrix), 4))
    figures.sobol_bars(sobol(design, outputs, bootstrap=20), out / "sobol.png", "Ishigami y")
    _check_png(out / "sobol.png", height=HEIGHT_IN)
