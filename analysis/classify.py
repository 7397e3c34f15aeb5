"""Entity classes for split stage-time tables, from rules a model declares.

Time Release Studies report stage times by channel or item class (green / yellow / red,
held / not held). A model declares how to tell the class of an entity from its milestones
with ``STAGE_CLASSES``: ordered rules ``(class, milestone, resource)``. An entity belongs to
the first class whose milestone it passed (with that resource code, when the rule gives
one); a rule whose milestone is None names the class of every other entity. E.g.::

    STAGE_CLASSES = (("red", "inspected", None), ("yellow", "reviewed", None), ("green", None, None))
    STAGE_CLASSES = (("inspection", "EME", 1), ("documents", "EME", 2), ("not_held", None, None))

Entities matching no rule (and no default) are of class "other".
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

Rule = tuple[str, str | None, int | None]
KEYS = ["scenario", "replication", "entity"]
OTHER = "other"


def rule_milestones(rules: Sequence[Rule]) -> list[str]:
    """Milestones the rules read (to load from the log together with the stages)."""
    return list(dict.fromkeys(milestone for _, milestone, _ in rules if milestone is not None))


def entity_classes(log: pd.DataFrame, rules: Sequence[Rule]) -> pd.DataFrame:
    """One row per entity of `log` (columns scenario, replication, entity, milestone,
    resource): scenario, replication, entity, class."""
    entities = log[KEYS].drop_duplicates().reset_index(drop=True)
    index = pd.MultiIndex.from_frame(entities)
    classes = np.full(len(entities), None, dtype=object)
    default = OTHER
    for name, milestone, resource in rules:
        if milestone is None:
            default = name
            continue
        mask = log["milestone"].astype(str) == milestone
        if resource is not None:
            mask &= log["resource"] == resource
        matched = pd.MultiIndex.from_frame(log.loc[mask, KEYS].drop_duplicates())
        hit = index.isin(matched) & pd.isna(classes)
        classes[hit] = name
    classes[pd.isna(classes)] = default
    return entities.assign(**{"class": classes})
