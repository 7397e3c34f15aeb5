"""Stage tables: hand-checked values, skipped milestones, and reconciliation (stage means
add up to the total mean) on a synthetic log and on a tandem queue_network run."""

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from analysis.stages import ALL, TOTAL, log_frame, stage_durations, stage_sum_gap, stage_table
from models import queue_network
from sim.parameters import build_params
from sim.run import RunSettings, run

MILESTONES = ["arrive", "lodged", "released", "exit"]


def _log(rows):
    return pd.DataFrame(rows, columns=["scenario", "replication", "entity", "milestone", "time", "resource"])


def hand_log() -> pd.DataFrame:
    rows = []
    # replication 0: entity 1 passes all; entity 2 skips "lodged"; entity 3 never exits
    for name, t in zip(MILESTONES, [0.0, 1.0, 3.0, 6.0]):
        rows.append(("s", 0, 1, name, t, -1))
    for name, t in zip(["arrive", "released", "exit"], [2.0, 4.0, 5.0]):
        rows.append(("s", 0, 2, name, t, -1))
    for name, t in zip(["arrive", "lodged"], [3.0, 9.0]):
        rows.append(("s", 0, 3, name, t, -1))
    # replication 1: entity 1 records "lodged" twice (its first time counts)
    for name, t in zip(["arrive", "lodged", "lodged", "released", "exit"], [10.0, 12.0, 13.0, 14.0, 20.0]):
        rows.append(("s", 1, 1, name, t, -1))
    return _log(rows)


def test_hand_checked_durations_with_skips_repeats_and_unfinished_entities():
    long = stage_durations(hand_log(), MILESTONES, names=["lodge", "release", "exit"])
    table = long.pivot_table(index=["replication", "entity"], columns="stage", values="duration", observed=True)
    assert sorted(table.index) == [(0, 1), (0, 2), (1, 1)]  # entity 3 never exited
    assert table.loc[(0, 1)].tolist() == [1.0, 2.0, 3.0, 6.0]
    assert table.loc[(0, 2)].tolist() == [0.0, 2.0, 1.0, 3.0]  # skipped "lodged" counts 0
    assert table.loc[(1, 1)].tolist() == [2.0, 2.0, 6.0, 10.0]  # first "lodged" at 12
    reached = long.set_index(["replication", "entity", "stage"])["reached"]
    assert not reached.loc[(0, 2, "lodge")] and reached.loc[(0, 2, "release")]


def test_hand_checked_table_means_over_replications():
    table = stage_table(hand_log(), MILESTONES, names=["lodge", "release", "exit"]).set_index("stage")
    # replication 0 means: lodge 0.5, release 2, exit 2, total 4.5; replication 1: 2, 2, 6, 10
    assert table.loc["lodge", "mean"] == pytest.approx((0.5 + 2.0) / 2)
    assert table.loc["exit", "mean"] == pytest.approx((2.0 + 6.0) / 2)
    assert table.loc[TOTAL, "mean"] == pytest.approx((4.5 + 10.0) / 2)
    assert table.loc["lodge", "share_reached"] == pytest.approx(2 / 3)
    assert table.loc[TOTAL, "replications"] == 2 and table.loc[TOTAL, "entities"] == 3
    # per-replication medians of the total: rep 0 median(6, 3) = 4.5, rep 1: 10
    assert table.loc[TOTAL, "median"] == pytest.approx((4.5 + 10) / 2)


def synthetic_log(seed: int = 5) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    frames, classes = [], []
    for scenario, scale in (("baseline", 1.0), ("pilot", 0.6)):
        for replication in range(8):
            n = 300
            entity = np.arange(n)
            start = rng.uniform(0, 500, n)
            times = start[:, None] + np.cumsum(rng.exponential([1.0, 2.0 * scale, 3.0], (n, 3)), axis=1)
            kept = [np.ones(n, bool), rng.random(n) < 0.7, np.ones(n, bool), rng.random(n) < 0.95]
            for index, name in enumerate(MILESTONES):
                t = start if index == 0 else times[:, index - 1]
                frames.append(pd.DataFrame({"scenario": scenario, "replication": replication, "entity": entity[kept[index]],
                                            "milestone": name, "time": t[kept[index]], "resource": -1}))
            classes.append(pd.DataFrame({"scenario": scenario, "replication": replication, "entity": entity,
                                         "channel": rng.choice(["green", "yellow", "red"], n, p=[0.7, 0.2, 0.1])}))
    return pd.concat(frames, ignore_index=True), pd.concat(classes, ignore_index=True)


def test_stage_means_add_up_to_total_mean_per_scenario_and_class():
    log, classes = synthetic_log()
    table = stage_table(log, MILESTONES, classes=classes, class_column="channel", since=50.0)
    assert set(table["class"]) == {ALL, "green", "yellow", "red"}
    gap = stage_sum_gap(table)
    assert len(gap) == 8
    assert np.abs(gap.to_numpy()).max() < 1e-9
    # every statistic has an interval around it
    for statistic in ("mean", "median", "p90", "p95"):
        assert (table[f"{statistic}_ci_low"] <= table[statistic]).all()
        assert (table[statistic] <= table[f"{statistic}_ci_high"]).all()
    # "released -> exit" ~ Exp(mean 3) for exiting entities: its mean interval covers 3
    row = table[(table["scenario"] == "baseline") & (table["class"] == ALL) & (table["stage"] == "released → exit")].iloc[0]
    assert row["mean_ci_low"] < 3.0 < row["mean_ci_high"]


def tandem_scenario():
    params = build_params(queue_network.Params, {
        "sources": [{"name": "arrivals", "to": "A", "rate": 1.0}],
        "stations": [
            {"name": "A", "servers": 1, "service": {"dist": "exponential", "mean": 0.5}, "routing": {"B": 1.0}},
            {"name": "B", "servers": 1, "service": {"dist": "exponential", "mean": 0.5}},
        ],
    })
    return SimpleNamespace(name="tandem", model_module="models.queue_network", params=params,
                           settings=RunSettings(horizon=2000.0, warmup=200.0, replications=10, seed=7))


def test_reconciliation_on_a_tandem_queue_network_run():
    scenario = tandem_scenario()
    log = pd.concat([log_frame(run(scenario, r, events=True).events, scenario.name, r) for r in range(10)],
                    ignore_index=True)
    milestones = ["arrive", "A.start", "A.end", "B.start", "B.end"]
    # 99% intervals: seven theory checks at 99% keep the joint level above 93% (Bonferroni)
    table = stage_table(log, milestones, names=["wait A", "service A", "wait B", "service B"], since=200.0,
                        confidence=0.99)
    assert abs(stage_sum_gap(table).iloc[0]) < 1e-9
    rows = table.set_index("stage")
    assert (rows["share_reached"] == 1.0).all()  # a tandem line skips nothing
    # theory: service stages have mean 0.5 h; M/M/1 with rho = 0.5 waits 0.5 h at each station;
    # the tandem is a Jackson network, so the total sojourn is 1/(2-1) + 1/(2-1) = 2 h
    for stage, truth in (("service A", 0.5), ("service B", 0.5), ("wait A", 0.5), ("wait B", 0.5), (TOTAL, 2.0)):
        assert rows.loc[stage, "mean_ci_low"] < truth < rows.loc[stage, "mean_ci_high"], stage
    # exponential service: median ln 2 / 2 h, p90 ln 10 / 2 h
    assert rows.loc["service A", "median_ci_low"] < np.log(2) / 2 < rows.loc["service A", "median_ci_high"]
    assert rows.loc["service B", "p90_ci_low"] < np.log(10) / 2 < rows.loc["service B", "p90_ci_high"]
