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

Why not PRIM: the maintained implementation is EMA Workbench's (a large dependency);
the standalone ``prim`` package has had a single release. CART boxes need only
scikit-learn, already a dependency; they are coarser than PRIM's peeled boxes (Lempert et al.
2008 find CART boxes of somewhat lower density for equal coverage).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from growthpole.errors import GrowthpoleError
from growthpole.experiments import store
from growthpole.experiments.sensitivity import variant_outcomes


def leaf_boxes(tree, factors: list[str], lower: np.ndarray, upper: np.ndarray
               ) -> dict[int, dict[str, tuple[float, float]]]:
    """Leaf id -> {factor: (low, high)} for the factors restricted on the path to it."""
    structure = tree.tree_
    boxes: dict[int, dict[str, tuple[float, float]]] = {}

    def walk(node: int, low: np.ndarray, high: np.ndarray) -> None:
        left, right = structure.children_left[node], structure.children_right[node]
        if left == right:  # leaf
            boxes[node] = {factors[j]: (float(low[j]), float(high[j]))
                           for j in range(len(factors))
                           if low[j] > lower[j] or high[j] < upper[j]}
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


def discover(directory: str | Path, *, outcome: str = "p_top30_by:2030",
             threshold: float | None = None, max_depth: int = 3,
             min_leaf_share: float = 0.05, region: str = "shaoxing"
             ) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, object]]:
    """Boxes (one row per box and restricted factor), the per-variant table, and a summary."""
    from sklearn.tree import DecisionTreeRegressor

    directory = Path(directory)
    manifest = store.read_manifest(directory) or {}
    table, names = variant_outcomes(directory, [outcome], region=region)
    name = names[0]
    factors = [f["name"] for f in manifest.get("factors", [])]
    lower = np.array([f["lower"] for f in manifest.get("factors", [])], dtype=float)
    upper = np.array([f["upper"] for f in manifest.get("factors", [])], dtype=float)
    X = table[factors].to_numpy(dtype=float)
    y = table[name].to_numpy(dtype=float)
    lower_is_better = name.startswith("rank:")
    if threshold is None:
        if name.startswith("p_"):
            threshold = 0.5
        else:
            threshold = float(np.quantile(y, 0.25 if lower_is_better else 0.75))
    cases = y <= threshold if lower_is_better else y >= threshold
    summary = {"outcome": name, "threshold": threshold, "variants": len(y),
               "cases": int(cases.sum()), "direction": "<=" if lower_is_better else ">="}
    if len(y) < 4:
        raise GrowthpoleError(f"discovery needs at least 4 variants, the sweep has {len(y)}",
                              file=directory)
    min_leaf = max(2, int(np.ceil(min_leaf_share * len(y))))
    tree = DecisionTreeRegressor(max_depth=max_depth, min_samples_leaf=min_leaf,
                                 random_state=0).fit(X, y)
    leaves = tree.apply(X)
    boxes = leaf_boxes(tree, factors, lower, upper)
    rows = []
    total_cases = max(int(cases.sum()), 1)
    # boxes ordered best first (highest mean outcome; lowest for ranks)
    order = sorted(boxes, key=lambda b: float(y[leaves == b].mean()),
                   reverse=not lower_is_better)
    for rank, leaf in enumerate(order):
        inside = leaves == leaf
        stats = {"box": rank + 1, "variants": int(inside.sum()),
                 "mean": float(y[inside].mean()),
                 "density": float(cases[inside].mean()),
                 "coverage": float(cases[inside].sum() / total_cases)}
        restricted = boxes[leaf] or {"(none)": (np.nan, np.nan)}
        for factor, (low, high) in restricted.items():
            rows.append({**stats, "factor": factor, "lower": low, "upper": high})
    summary["feature_importance"] = dict(zip(factors, map(float, tree.feature_importances_),
                                             strict=True))
    frame = pd.DataFrame(rows)
    frame.insert(0, "outcome", name)
    table = table.assign(box=[order.index(leaf) + 1 for leaf in leaves])
    return frame, table, summary


def plot_boxes(boxes: pd.DataFrame, table: pd.DataFrame, summary: dict[str, object],
               path: str | Path) -> None:
    """Scatter of the two most important factors, coloured by the outcome; best box drawn."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import Rectangle

    from growthpole.io import atomic_path

    importance = summary["feature_importance"]
    ranked = sorted(importance, key=importance.get, reverse=True)
    name = str(summary["outcome"])
    fig, ax = plt.subplots(figsize=(6.5, 5))
    if len(ranked) >= 2:
        fx, fy = ranked[0], ranked[1]
        points = ax.scatter(table[fx], table[fy], c=table[name], cmap="viridis", s=25)
        fig.colorbar(points, ax=ax, label=name)
        best = boxes[boxes.box == 1].set_index("factor")
        x0, x1 = (best.loc[fx, ["lower", "upper"]] if fx in best.index
                  else (table[fx].min(), table[fx].max()))
        y0, y1 = (best.loc[fy, ["lower", "upper"]] if fy in best.index
                  else (table[fy].min(), table[fy].max()))
        ax.add_patch(Rectangle((x0, y0), x1 - x0, y1 - y0, fill=False, edgecolor="red",
                               linewidth=2, label="box 1"))
        ax.set_xlabel(fx)
        ax.set_ylabel(fy)
        ax.legend(loc="best", fontsize=8)
    else:
        fx = ranked[0]
        ax.scatter(table[fx], table[name], s=25)
        ax.set_xlabel(fx)
        ax.set_ylabel(name)
    ax.set_title(f"{name} {summary['direction']} {summary['threshold']:.3g}: "
                 f"{summary['cases']} of {summary['variants']} variants")
    fig.tight_layout()
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png", dpi=120)
    plt.close(fig)
