"""Scenario discovery: the assumptions that decide whether a finding holds, in words.

A shallow classification tree (scikit-learn's CART, `DecisionTreeClassifier`) is fitted to
"holds / fails" over the sampled points, as in CART scenario discovery (Lempert, Bryant &
Bankes 2008, "Comparing algorithms for scenario discovery", RAND WR-557-NSF; Kwakkel 2017,
EMA Workbench, Environmental Modelling & Software 96). A depth-1 tree (one threshold) is
preferred when it is as good as a depth-2 one (two thresholds), because a planner reads a
condition on one assumption most easily. The condition is *simple* when the tree classifies
at least `ACCURACY` of the points correctly and makes at most half the errors of "always
holds" / "always fails"; otherwise the finding has no simple condition.

Leaves are at least `leaf_size(n)` points, so a threshold never rests on one or two points.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

#: the share of points a condition must classify correctly to be stated
ACCURACY = 0.9


@dataclass(frozen=True)
class Variable:
    """A sampled assumption as a sentence names it."""

    path: str
    label: str
    unit: str = ""
    integer: bool = False


@dataclass(frozen=True)
class Split:
    path: str
    threshold: float


@dataclass(frozen=True)
class Discovery:
    simple: bool
    condition: str  # "" when not simple
    accuracy: float
    splits: tuple[Split, ...]  # the tree's thresholds, root first


def leaf_size(points: int) -> int:
    """The smallest leaf: 5% of the points, at least 3."""
    return max(3, math.ceil(0.05 * points))


def discover(values: np.ndarray, holds: np.ndarray, variables: Sequence[Variable]) -> Discovery:
    """The condition under which the finding holds, from `values` (points x variables) and
    `holds` (bool per point)."""
    holds = np.asarray(holds, dtype=bool)
    values = np.asarray(values, dtype=float).reshape(len(holds), len(variables))
    n = len(holds)
    majority_errors = min(int(holds.sum()), n - int(holds.sum()))
    if majority_errors == 0 or not variables:
        return Discovery(False, "", 1.0 if majority_errors == 0 else 0.0, ())
    from sklearn.tree import DecisionTreeClassifier  # imported here: scikit-learn is slow to import

    best = None
    for depth in (1, 2):
        tree = DecisionTreeClassifier(max_depth=depth, min_samples_leaf=leaf_size(n), random_state=0)
        tree.fit(values, holds)
        errors = int((tree.predict(values) != holds).sum())
        if best is None or errors < best[1]:
            best = (tree, errors)
        if errors <= (1 - ACCURACY) * n and errors <= 0.5 * majority_errors:
            break
    tree, errors = best
    accuracy = 1 - errors / n
    splits = _splits(tree, variables)
    if accuracy < ACCURACY or errors > 0.5 * majority_errors:
        return Discovery(False, "", accuracy, splits)
    return Discovery(True, _condition(tree, variables, holds.mean() >= 0.5), accuracy, splits)


def _splits(tree: object, variables: Sequence[Variable]) -> tuple[Split, ...]:
    structure = tree.tree_  # type: ignore[attr-defined]
    return tuple(Split(variables[structure.feature[node]].path, float(structure.threshold[node]))
                 for node in range(structure.node_count) if structure.children_left[node] != -1)


def _condition(tree: object, variables: Sequence[Variable], mostly_holds: bool) -> str:
    """"holds unless <region where it fails>" when it mostly holds, else "holds only when
    <region where it holds>"; regions are leaves, joined by "or"."""
    structure = tree.tree_  # type: ignore[attr-defined]
    classes = list(tree.classes_)  # type: ignore[attr-defined]
    wanted = not mostly_holds  # describe the smaller region
    regions = []
    stack: list[tuple[int, tuple[tuple[int, str, float], ...]]] = [(0, ())]
    while stack:
        node, path = stack.pop()
        left = structure.children_left[node]
        if left == -1:
            if bool(classes[int(np.argmax(structure.value[node][0]))]) == wanted:
                regions.append(_conjunction(path, variables))
            continue
        feature, threshold = int(structure.feature[node]), float(structure.threshold[node])
        stack.append((structure.children_right[node], (*path, (feature, ">", threshold))))
        stack.append((left, (*path, (feature, "<=", threshold))))
    joined = " or ".join(regions)
    return f"holds unless {joined}" if mostly_holds else f"holds only when {joined}"


def _conjunction(path: Sequence[tuple[int, str, float]], variables: Sequence[Variable]) -> str:
    bounds: dict[int, list[float]] = {}
    for feature, relation, threshold in path:
        low, high = bounds.setdefault(feature, [-math.inf, math.inf])
        if relation == ">":
            bounds[feature][0] = max(low, threshold)
        else:
            bounds[feature][1] = min(high, threshold)
    parts = []
    for feature, (low, high) in bounds.items():
        variable = variables[feature]
        if math.isfinite(low) and math.isfinite(high):
            parts.append(f"{variable.label} is between {_value(low, variable, '>')} and {_value(high, variable, '<')}")
        elif math.isfinite(low):
            parts.append(f"{variable.label} {'≥' if variable.integer else '>'} {_value(low, variable, '>')}")
        else:
            parts.append(f"{variable.label} {'≤' if variable.integer else '<'} {_value(high, variable, '<')}")
    return " and ".join(parts)


def _value(threshold: float, variable: Variable, side: str) -> str:
    """A threshold as a planner reads it: shares in percent, whole numbers for counts (a
    split at 3.5 reads "≥ 4" above and "≤ 3" below), three significant digits."""
    if variable.integer:
        return str(math.floor(threshold) + 1 if side == ">" else math.floor(threshold))
    if variable.unit == "share":
        return f"{threshold * 100:.3g}%"
    return f"{threshold:.3g} {variable.unit}".strip()
