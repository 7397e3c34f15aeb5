"""Plain-words findings follow the intervals; headline metrics are chosen as documented;
entity classes follow the model's rules."""

from __future__ import annotations

import pandas as pd

from analysis.classify import entity_classes, rule_milestones
from analysis.compare import compare
from analysis.headlines import findings, headline_metrics
from sim.spec import ClassRule


def runs(values: dict[str, dict[str, list[float]]]) -> pd.DataFrame:
    rows = [(scenario, r, metric, v) for scenario, metrics in values.items() for metric, series in metrics.items()
            for r, v in enumerate(series)]
    return pd.DataFrame(rows, columns=["scenario", "replication", "metric", "value"])


def test_wording_follows_the_interval() -> None:
    table = runs({
        "base": {"trucks": [40.0, 42.0, 41.0, 43.0], "wait": [2.0, 2.2, 1.8, 2.0], "count": [5.0, 5.0, 5.0, 5.0],
                 "cost": [100.0, 100.0, 100.0, 100.0], "idle": [0.0, 0.0, 0.0, 0.0]},
        "pilot": {"trucks": [28.0, 29.0, 28.5, 29.5], "wait": [2.4, 1.9, 2.1, 1.8], "count": [5.0, 5.0, 5.0, 5.0],
                  "cost": [100.001, 100.002, 100.001, 100.002], "idle": [1.0, 1.2, 1.1, 0.9]},
    })
    found = {f.metric: f for f in findings(compare(table, [("base", "pilot")]), ["trucks", "wait", "count", "cost", "idle"],
                                          {"trucks": "truck departures per day"})}
    trucks = found["trucks"]
    # diffs -12, -13, -12.5, -13.5: mean -12.75 on a baseline of 41.5 -> -30.7%
    assert trucks.direction == "down"
    assert trucks.sentence.startswith("pilot cuts truck departures per day by 31% (95% CI ")
    assert "against base: 41.5 → 28.8." in trucks.sentence
    assert found["wait"].direction == "unclear" and "no clear change in wait" in found["wait"].sentence
    assert found["count"].direction == "flat" and "identical in every paired replication" in found["count"].sentence
    assert found["cost"].direction == "flat" and "practically unchanged" in found["cost"].sentence
    # a baseline mean of 0 has no relative change: the absolute difference is given
    assert found["idle"].direction == "up" and "raises idle by 1.05 (95% CI" in found["idle"].sentence
    assert [f.metric for f in findings(compare(table, [("base", "pilot")]), ["wait", "trucks"])] == ["wait", "trucks"]


def test_headline_metrics_declared_first_then_a_default() -> None:
    summary = pd.DataFrame({"scenario": ["a"] * 4 + ["b"] * 4,
                            "metric": ["system.sojourn_mean_h", "station.x.utilization", "queue.len", "system.arrived"] * 2})
    assert headline_metrics(["queue.len", "absent"], None, summary, ["a", "b"]) == ["queue.len"]
    assert headline_metrics({"queue.len": "queue"}, None, summary, ["a"]) == ["queue.len"]
    # declared names all absent, or none declared: system-level means first
    assert headline_metrics(["absent"], None, summary, ["a"]) == ["system.sojourn_mean_h"]
    comparisons = pd.DataFrame({"scenario": ["b", "b"], "metric": ["queue.len", "station.x.utilization"],
                                "rel_change": [-0.5, 0.01], "rel_ci_low": [-0.6, -0.02], "rel_ci_high": [-0.4, 0.04]})
    # topped up with metrics that changed clearly (queue.len), not with unclear ones
    assert headline_metrics(None, comparisons, summary, ["a", "b"]) == ["system.sojourn_mean_h", "queue.len"]


def test_entity_classes_first_matching_rule_wins() -> None:
    log = pd.DataFrame({
        "scenario": "s", "replication": [0, 0, 0, 0, 0, 0, 1],
        "entity": [1, 1, 2, 2, 3, 3, 1],
        "milestone": ["arrive", "inspected", "arrive", "reviewed", "arrive", "EME", "arrive"],
        "resource": [-1, -1, -1, -1, -1, 2, -1],
    })
    rules = (ClassRule("red", has="inspected"), ClassRule("yellow", has="reviewed"),
             ClassRule("held_not_reviewed", has="EME", lacks="reviewed"), ClassRule("green"))
    assert rule_milestones(rules) == ["inspected", "reviewed", "EME"]
    classes = entity_classes(log, rules).set_index(["replication", "entity"])["class"]
    assert classes.to_dict() == {(0, 1): "red", (0, 2): "yellow", (0, 3): "held_not_reviewed", (1, 1): "green"}
    # no default rule: "other"
    assert entity_classes(log, rules[:1]).set_index(["replication", "entity"])["class"][(1, 1)] == "other"
