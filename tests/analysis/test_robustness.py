"""The robustness experiment end to end on a test model with a known answer.

`robustness_toy` compares 4 with 5 servers at an M/M/c counter. The effect of the fifth
server on the cost per hour is staff cost − waiting cost × ΔLq, with ΔLq the queue length
it saves: the assumptions (staff cost, transit time) do not touch the queue, and all points
share random numbers, so at every point the effect is the staff cost minus the same
simulated saving. The finding "raises the cost" thus holds exactly above a break-even
staff cost that the nominal point reveals, and the experiment must find that threshold.
The wait falls at every point: a finding built to hold everywhere.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import robustness_toy

import models
from analysis.document import Document
from analysis.robustness import MIN_POINTS, cell_marks, marks, read_table
from analysis.robustness_figures import add_robustness_section
from cbecsim.robustness import plan, run_robustness
from sim.executors import LocalExecutor

BASE = """model = "robustness_toy"
name = "four"
[run]
horizon = 400.0
warmup = 20.0
replications = 2
[params]
servers = 4
"""
FIVE = 'model = "robustness_toy"\nname = "five"\nextends = "base.toml"\n[params]\nservers = 5\n'


@pytest.fixture
def study(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setitem(models.MODELS, robustness_toy.NAME, robustness_toy.__name__)
    (tmp_path / "base.toml").write_text(BASE)
    (tmp_path / "five.toml").write_text(FIVE)
    path = tmp_path / "study.toml"
    path.write_text('name = "toy"\n[[groups]]\nbaseline = "base.toml"\nscenarios = ["five.toml"]\n'
                    f"[robustness]\npoints = {MIN_POINTS}\nreplications = 2\n")
    return path


def _row(table: pd.DataFrame, metric: str) -> pd.Series:
    return table.set_index("metric").loc[metric]


def test_a_threshold_finding_is_conditional_at_the_break_even_and_a_sure_one_robust(study: Path,
                                                                                    tmp_path: Path) -> None:
    chosen = plan([str(study)])
    outcome = run_robustness(chosen, tmp_path / "out", LocalExecutor(2), progress=False)
    cost, wait = _row(outcome.table, "cost.per_hour_cny"), _row(outcome.table, "wait.mean_h")

    assert wait["label"] == "robust" and wait["share_holds"] == 1.0 and wait["claim"] == "lower"

    assert cost["claim"] == "higher" and cost["label"] == "conditional"
    assert cost["decisive"] == "params.staff_cost_cny_per_h"
    assert cost["condition"].startswith("holds unless staff cost per server-hour < ")
    # the mechanism: at every point the effect is the staff cost minus one simulated saving
    runs = outcome.runs[outcome.runs["metric"] == "cost.per_hour_cny"]
    saving = runs["params.staff_cost_cny_per_h"] - runs["effect"]
    assert saving.max() - saving.min() < 1e-9
    # the known threshold: the break-even staff cost plus the practical threshold (1 CNY/h)
    known = saving.iloc[0] + cost["threshold"]
    recovered = float(cost["condition"].split("< ")[1].split()[0])
    spacing = 2 * (110.0 - 30.0) / MIN_POINTS  # neighbouring Latin hypercube points are at most two strata apart
    assert abs(recovered - known) <= spacing, (recovered, known)
    holds_share = (110.0 - known) / 80.0
    assert abs(cost["share_holds"] - holds_share) <= 2 / MIN_POINTS

    assert len(outcome.runs) == 2 * (MIN_POINTS + 1)
    assert outcome.ran == (MIN_POINTS + 1) * 2 * 2


def test_one_and_two_workers_give_identical_tables_and_a_rerun_resumes(study: Path, tmp_path: Path) -> None:
    chosen = plan([str(study)], points=4)
    one = run_robustness(chosen, tmp_path / "one", LocalExecutor(1), progress=False)
    two = run_robustness(chosen, tmp_path / "two", LocalExecutor(2), progress=False)
    pd.testing.assert_frame_equal(one.table, two.table)
    pd.testing.assert_frame_equal(one.runs, two.runs)
    assert (tmp_path / "one" / "robustness.csv").read_bytes() == (tmp_path / "two" / "robustness.csv").read_bytes()
    assert list(one.table["label"]) == ["indicative", "indicative"]  # 4 points: too few to call

    again = run_robustness(chosen, tmp_path / "one", LocalExecutor(1), progress=False)
    assert again.ran == 0 and again.reused == 5 * 2 * 2
    stored = sorted((tmp_path / "one" / "robustness" / "runs").glob("*.json"))
    for path in stored[:3]:  # an interrupted experiment: three runs never finished
        path.unlink()
    resumed = run_robustness(chosen, tmp_path / "one", LocalExecutor(2), progress=False)
    assert resumed.ran == 3
    pd.testing.assert_frame_equal(resumed.table, one.table)


def test_the_report_section_draws_one_figure_per_finding_and_the_scorecard_gets_marks(study: Path,
                                                                                       tmp_path: Path) -> None:
    chosen = plan([str(study)], points=4)
    run_robustness(chosen, tmp_path / "out", LocalExecutor(1), progress=False)
    document = Document(tmp_path / "report")
    assert add_robustness_section(document, tmp_path / "out")
    assert len(document.figures) == 2 and not document.problems
    assert any("Robustness to assumptions" in part for part in document.parts)
    assert marks(read_table(tmp_path / "out")) == {("five", "cost.per_hour_cny"): "indicative",
                                                   ("five", "wait.mean_h"): "indicative"}
    text, title = cell_marks(read_table(tmp_path / "out"))[("five", "wait.mean_h")]
    assert text == "?" and title.startswith("indicative: holds at 100% of 4 points")
    assert not add_robustness_section(Document(tmp_path / "other"), tmp_path / "nothing")
