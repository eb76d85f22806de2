"""Scenario discovery: which factor ranges make an outcome (e.g. top-30 by 2030) likely.

CART boxes (Breiman et al. 1984; as used for scenario discovery by Lempert, Bryant & Bankes
2008, who compare it with PRIM): a regression tree (scikit-learn
``DecisionTreeRegressor``) is fitted to the per-variant outcome (averaged over replications)
as a function of the factor values; every leaf is a box (an interval per factor, only the
factors the tree split on are restricted). For each box the table reports:

- ``variants``: design points inside the box; ``mean``: their mean outcome;
- ``density``: share of the box's variants that are *cases of interest* (outcome >= the
  threshold; <= for ranks);
- ``coverage``: share of all cases of interest that fall inside the box.

PRIM (Friedman & Fisher 1999) beside CART: :func:`prim` peels the factor space and returns
the whole peeling trajectory (coverage against density, the trade-off the analyst reads),
:func:`prim_discover` runs it on a stored sweep. It is a small implementation here because
the maintained one is EMA Workbench's (a large dependency) and the standalone ``prim``
package has had a single release; tests/test_experiments_api.py checks it against boxes
known by construction. CART boxes are coarser than PRIM's peeled boxes (Lempert et al. 2008
find CART boxes of somewhat lower density for equal coverage).

:func:`feature_scores`: EMA Workbench's feature scoring (extra-trees importances).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from growthpole.errors import GrowthpoleError
from growthpole.experiments import store
from growthpole.experiments.sensitivity import variant_outcomes


def leaf_boxes(
    tree, factors: list[str], lower: np.ndarray, upper: np.ndarray
) -> dict[int, dict[str, tuple[float, float]]]:
    """Leaf id -> {factor: (low, high)} for the factors restricted on the path to it."""
    structure = tree.tree_
    boxes: dict[int, dict[str, tuple[float, float]]] = {}

    def walk(node: int, low: np.ndarray, high: np.ndarray) -> None:
        left, right = structure.children_left[node], structure.children_right[node]
        if left == right:  # leaf
            boxes[node] = {
                factors[j]: (float(low[j]), float(high[j]))
                for j in range(len(factors))
                if low[j] > lower[j] or high[j] < upper[j]
            }
            return
        j, cut = structure.feature[node], structure.threshold[node]
        left_high = high.copy()
        left_high[j] = min(high[j], cut)
        walk(left, low, left_high)
        right_low = low.copy()
        right_low[j] = max(low[j], cut)
        walk(right, right_low, high)

    walk(0, lower.astype(float).copy(), upper.astype(float).copy())
    return boxes


def discover(
    directory: str | Path,
    *,
    outcome: str = "p_top30_by:2030",
    threshold: float | None = None,
    max_depth: int = 3,
    min_leaf_share: float = 0.05,
    region: str = "shaoxing",
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, object]]:
    """Boxes (one row per box and restricted factor), the per-variant table, and a summary."""
    from sklearn.tree import DecisionTreeRegressor

    table, factors, lower, upper, name, cases, summary = _cases(
        directory, outcome, threshold, region
    )
    X = table[factors].to_numpy(dtype=float)
    y = table[name].to_numpy(dtype=float)
    lower_is_better = summary["direction"] == "<="
    min_leaf = max(2, int(np.ceil(min_leaf_share * len(y))))
    tree = DecisionTreeRegressor(
        max_depth=max_depth, min_samples_leaf=min_leaf, random_state=0
    ).fit(X, y)
    leaves = tree.apply(X)
    boxes = leaf_boxes(tree, factors, lower, upper)
    rows = []
    total_cases = max(int(cases.sum()), 1)
    # boxes ordered best first (highest mean outcome; lowest for ranks)
    order = sorted(boxes, key=lambda b: float(y[leaves == b].mean()), reverse=not lower_is_better)
    for rank, leaf in enumerate(order):
        inside = leaves == leaf
        stats = {
            "box": rank + 1,
            "variants": int(inside.sum()),
            "mean": float(y[inside].mean()),
            "density": float(cases[inside].mean()),
            "coverage": float(cases[inside].sum() / total_cases),
        }
        restricted = boxes[leaf] or {"(none)": (np.nan, np.nan)}
        for factor, (low, high) in restricted.items():
            rows.append({**stats, "factor": factor, "lower": low, "upper": high})
    summary["feature_importance"] = dict(
        zip(factors, map(float, tree.feature_importances_), strict=True)
    )
    target = cases if 0 < cases.sum() < len(cases) else y  # all or no cases: the outcome
    summary["feature_scores"] = {
        k: float(v) for k, v in feature_scores(table[factors], target).items()
    }
    frame = pd.DataFrame(rows)
    frame.insert(0, "outcome", name)
    table = table.assign(box=[order.index(leaf) + 1 for leaf in leaves])
    return frame, table, summary


# ---------------------------------------------------------------------------------------
# PRIM (Friedman & Fisher 1999), as used for scenario discovery by Bryant & Lempert (2010)
# ---------------------------------------------------------------------------------------


@dataclass
class PrimResult:
    """The peeling trajectory and the box chosen on it.

    ``trajectory``: one row per peeling step (step 0 = the whole factor space) with
    ``coverage`` (share of all cases of interest inside the box), ``density`` (share of the
    box's points that are cases), ``mass`` (share of all points inside), ``restricted``
    (number of factors the box restricts) and ``<factor>_lower`` / ``<factor>_upper``.
    ``chosen``: the step of the selected box (:func:`select_box`)."""

    trajectory: pd.DataFrame
    factors: list[str]
    chosen: int

    def box(self, step: int | None = None) -> dict[str, tuple[float, float]]:
        """{factor: (lower, upper)} of the restricted factors of the box at ``step``."""
        row = self.trajectory.iloc[self.chosen if step is None else step]
        first = self.trajectory.iloc[0]
        return {
            f: (float(row[f"{f}_lower"]), float(row[f"{f}_upper"]))
            for f in self.factors
            if row[f"{f}_lower"] > first[f"{f}_lower"] or row[f"{f}_upper"] < first[f"{f}_upper"]
        }

    def box_table(self, step: int | None = None) -> pd.DataFrame:
        """One row per restricted factor of a box, with its coverage, density and mass."""
        step = self.chosen if step is None else step
        row = self.trajectory.iloc[step]
        restricted = self.box(step) or {"(none)": (np.nan, np.nan)}
        return pd.DataFrame(
            [
                {
                    "step": step,
                    "coverage": row.coverage,
                    "density": row.density,
                    "mass": row.mass,
                    "factor": f,
                    "lower": low,
                    "upper": high,
                }
                for f, (low, high) in restricted.items()
            ]
        )


def prim(
    X: pd.DataFrame,
    cases: np.ndarray,
    *,
    alpha: float = 0.05,
    min_mass: float = 0.05,
    lower: np.ndarray | None = None,
    upper: np.ndarray | None = None,
    min_coverage: float = 0.5,
) -> PrimResult:
    """Patient Rule Induction Method: peel a box off the factor space, ``alpha`` of the points
    at a time, always on the side and factor whose removal leaves the densest box.

    ``X``: factor values (one column per factor); ``cases``: boolean, the cases of interest;
    ``lower``/``upper``: the factor ranges (default: the data's). A peel removes the points
    below the ``alpha`` quantile (or above the 1 - ``alpha`` quantile) of one factor inside
    the box; where the quantile is a repeated value (a Morris design has few levels) the
    whole extreme level is removed. Peeling stops when the next box would hold less than
    ``min_mass`` of the points or the density reaches 1. No pasting step (the trajectory is
    the peeling one, as in Friedman & Fisher's figure of it)."""
    if not 0 < alpha < 0.5:
        raise ValueError(f"alpha must be in (0, 0.5), got {alpha}")
    values = X.to_numpy(dtype=float)
    cases = np.asarray(cases, dtype=bool)
    if len(cases) != len(values):
        raise ValueError("X and cases must have the same number of rows")
    factors = [str(c) for c in X.columns]
    low = np.array(lower, dtype=float) if lower is not None else values.min(axis=0)
    high = np.array(upper, dtype=float) if upper is not None else values.max(axis=0)
    inside = np.ones(len(values), dtype=bool)
    total_cases = max(int(cases.sum()), 1)
    n = len(values)

    def record(step: int) -> dict[str, float]:
        count = int(inside.sum())
        row = {
            "step": step,
            "coverage": float(cases[inside].sum() / total_cases),
            "density": float(cases[inside].mean()) if count else float("nan"),
            "mass": count / n,
            "points": count,
            "restricted": int(np.sum((low > lower_start) | (high < upper_start))),
        }
        for j, factor in enumerate(factors):
            row[f"{factor}_lower"], row[f"{factor}_upper"] = float(low[j]), float(high[j])
        return row

    lower_start, upper_start = low.copy(), high.copy()
    rows = [record(0)]
    step = 0
    while True:
        density = cases[inside].mean()
        if density >= 1.0:
            break
        best: tuple[float, int, np.ndarray, int, str] | None = None
        for j in range(len(factors)):
            column = values[inside, j]
            for side in ("lower", "upper"):
                if side == "lower":
                    cut = np.quantile(column, alpha)
                    remove = inside & (values[:, j] < cut)
                    if not remove.any():
                        remove = inside & (values[:, j] <= cut)
                else:
                    cut = np.quantile(column, 1 - alpha)
                    remove = inside & (values[:, j] > cut)
                    if not remove.any():
                        remove = inside & (values[:, j] >= cut)
                remaining = inside & ~remove
                if not remove.any() or remaining.sum() < max(min_mass * n, 1):
                    continue
                candidate = cases[remaining].mean()
                removed = int(remove.sum())
                # densest box first; on a tie, the peel that removes fewer points
                key = (candidate, -removed)
                if best is None or key > (best[0], -best[1]):
                    best = (candidate, removed, remaining, j, side)
        if best is None:
            break
        _, _, remaining, j, side = best
        inside = remaining
        if side == "lower":
            low[j] = values[inside, j].min()
        else:
            high[j] = values[inside, j].max()
        step += 1
        rows.append(record(step))
    trajectory = pd.DataFrame(rows)
    return PrimResult(trajectory, factors, select_box(trajectory, min_coverage))


def select_box(trajectory: pd.DataFrame, min_coverage: float = 0.5) -> int:
    """The step of the densest box that still covers ``min_coverage`` of the cases (the
    usual reading of the trajectory: give up coverage for density down to a floor); ties go
    to the earlier, larger box."""
    eligible = trajectory[trajectory.coverage >= min_coverage]
    if eligible.empty:
        return 0
    best = eligible.density.max()
    return int(eligible[eligible.density >= best - 1e-12].step.iloc[0])


def feature_scores(X: pd.DataFrame, y: np.ndarray, *, seed: int = 0, trees: int = 250) -> pd.Series:
    """EMA Workbench's feature scoring: impurity importances of an extra-trees ensemble
    (Geurts, Ernst & Wehenkel 2006) fitted to the outcome, normalised to sum to 1, largest
    first. A classifier for a boolean outcome (cases of interest), a regressor otherwise."""
    from sklearn.ensemble import ExtraTreesClassifier, ExtraTreesRegressor

    y = np.asarray(y)
    model_class = ExtraTreesClassifier if y.dtype == bool else ExtraTreesRegressor
    model = model_class(n_estimators=trees, random_state=seed, min_samples_leaf=2)
    model.fit(X.to_numpy(dtype=float), y)
    scores = pd.Series(model.feature_importances_, index=[str(c) for c in X.columns])
    total = scores.sum()
    return (scores / total if total > 0 else scores).sort_values(ascending=False)


def prim_discover(
    directory: str | Path,
    *,
    outcome: str = "p_top30_by:2030",
    threshold: float | None = None,
    alpha: float = 0.05,
    min_mass: float = 0.05,
    min_coverage: float = 0.5,
    region: str = "shaoxing",
) -> tuple[PrimResult, pd.DataFrame, dict[str, object]]:
    """PRIM on a stored sweep (same outcome, threshold and cases as :func:`discover`):
    the PRIM result, the per-variant table and a summary (the chosen box, its coverage and
    density, and the feature scores of the factors for the cases)."""
    table, factors, lower, upper, _name, cases, summary = _cases(
        directory, outcome, threshold, region
    )
    result = prim(
        table[factors],
        cases,
        alpha=alpha,
        min_mass=min_mass,
        lower=lower,
        upper=upper,
        min_coverage=min_coverage,
    )
    chosen = result.trajectory.iloc[result.chosen]
    summary.update(
        {
            "method": "PRIM (peeling)",
            "alpha": alpha,
            "min_mass": min_mass,
            "chosen_step": result.chosen,
            "coverage": float(chosen.coverage),
            "density": float(chosen.density),
            "box": result.box(),
            # EMA Workbench's feature scoring of the same cases (extra-trees importances)
            "feature_scores": {
                str(k): float(v) for k, v in feature_scores(table[factors], cases).items()
            },
        }
    )
    return result, table, summary


def _cases(directory: str | Path, outcome: str, threshold: float | None, region: str):
    """The per-variant table, factor names and ranges, outcome name, cases and summary."""
    directory = Path(directory)
    manifest = store.read_manifest(directory) or {}
    table, names = variant_outcomes(directory, [outcome], region=region)
    name = names[0]
    factors = [f["name"] for f in manifest.get("factors", [])]
    lower = np.array([f["lower"] for f in manifest.get("factors", [])], dtype=float)
    upper = np.array([f["upper"] for f in manifest.get("factors", [])], dtype=float)
    y = table[name].to_numpy(dtype=float)
    if len(y) < 4:
        raise GrowthpoleError(
            f"discovery needs at least 4 variants, the sweep has {len(y)}", file=directory
        )
    lower_is_better = name.startswith("rank:")
    if threshold is None:
        if name.startswith("p_"):
            threshold = 0.5
        else:
            threshold = float(np.quantile(y, 0.25 if lower_is_better else 0.75))
    cases = y <= threshold if lower_is_better else y >= threshold
    summary = {
        "outcome": name,
        "threshold": threshold,
        "variants": len(y),
        "cases": int(cases.sum()),
        "direction": "<=" if lower_is_better else ">=",
    }
    return table, factors, lower, upper, name, cases, summary
