"""Entity classes for split stage-time tables, from the class rules of a stage flow.

Time Release Studies report stage times by channel or item class (green / yellow / red,
held / not held). A model's `sim.spec.StageFlow` lists `ClassRule`s in order: an entity
belongs to the first class whose rule fits it — it passed milestone `has` (None: any
entity) and did not pass milestone `lacks` (None: no condition). E.g.::

    (ClassRule("red", has="inspection_in"), ClassRule("yellow", has="review_in"), ClassRule("green"))

Entities no rule fits are of class "other".
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from sim.spec import ClassRule

KEYS = ["scenario", "replication", "entity"]
OTHER = "other"


def rule_milestones(rules: Sequence[ClassRule]) -> list[str]:
    """Milestones the rules read (to load from the log together with the stages)."""
    return list(dict.fromkeys(m for rule in rules for m in (rule.has, rule.lacks) if m is not None))


def entity_classes(log: pd.DataFrame, rules: Sequence[ClassRule]) -> pd.DataFrame:
    """One row per entity of `log` (columns scenario, replication, entity, milestone):
    scenario, replication, entity, class."""
    entities = log[KEYS].drop_duplicates().reset_index(drop=True)
    index = pd.MultiIndex.from_frame(entities)
    milestones = log["milestone"].astype(str)

    def passed(milestone: str) -> np.ndarray:
        return index.isin(pd.MultiIndex.from_frame(log.loc[milestones == milestone, KEYS].drop_duplicates()))

    classes = np.full(len(entities), None, dtype=object)
    for rule in rules:
        fits = np.ones(len(entities), dtype=bool) if rule.has is None else passed(rule.has)
        if rule.lacks is not None:
            fits &= ~passed(rule.lacks)
        hit = fits & pd.isna(classes)
        classes[hit] = rule.name
    classes[pd.isna(classes)] = OTHER
    return entities.assign(**{"class": classes})
