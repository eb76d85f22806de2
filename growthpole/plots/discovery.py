"""Scenario-discovery figures: the CART boxes in the plane of the two most important
factors and PRIM's peeling trajectory."""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from growthpole.plots.theme import (
    COLOURS,
    _new,
    factor_label,
    outcome_label,
    styled,
)


def _box_bounds(part: pd.DataFrame, factor: str, data: pd.Series) -> tuple[float, float, bool]:
    """(low, high, restricted) of a box on one factor; unrestricted: the data's range."""
    rows = part[part.factor == factor]
    if len(rows):
        return float(rows.lower.iloc[0]), float(rows.upper.iloc[0]), True
    return float(data.min()), float(data.max()), False


@styled
def discovery_boxes(
    boxes: pd.DataFrame,
    table: pd.DataFrame,
    summary: Mapping[str, Any],
    *,
    title: str | None = None,
) -> Figure:
    """Every box of a CART discovery (growthpole.experiments.discovery.discover), one panel
    each: the variants in the plane of the two most important factors, coloured by the
    outcome, the box's variants ringed, its bounds drawn (bounds on further factors written
    under the panel), and its density and coverage in the title."""
    from matplotlib.patches import Rectangle

    importance: dict[str, float] = dict(summary.get("feature_importance", {}))
    ranked = (
        sorted(importance, key=importance.__getitem__, reverse=True)
        or [str(c) for c in table.columns if c not in ("variant", "box")][:2]
    )
    name = str(summary["outcome"])
    numbers = sorted(int(b) for b in boxes.box.unique())
    ncols = min(3, len(numbers))
    nrows = math.ceil(len(numbers) / ncols)
    fig, axes = _new(nrows, ncols, figsize=(4.9 * ncols, 4.3 * nrows + 0.6), squeeze=False)
    values = table[name].astype(float)
    colour_range = (float(values.min()), float(values.max()))
    points = None
    for ax, number in zip(axes.flat, numbers, strict=False):
        part = boxes[boxes.box == number]
        first = part.iloc[0]
        inside = table.box == number if "box" in table else np.zeros(len(table), bool)
        fx = ranked[0]
        fy = ranked[1] if len(ranked) >= 2 else None
        if fy is not None:
            points = ax.scatter(
                table[fx],
                table[fy],
                c=values,
                cmap="viridis",
                s=22,
                vmin=colour_range[0],
                vmax=colour_range[1],
                zorder=2,
            )
            ax.scatter(
                table[fx][inside],
                table[fy][inside],
                s=60,
                facecolors="none",
                edgecolors="#c0392b",
                linewidths=1.1,
                zorder=3,
                label="variants in the box",
            )
            x0, x1, _ = _box_bounds(part, fx, table[fx])
            y0, y1, _ = _box_bounds(part, fy, table[fy])
            rectangle = Rectangle(
                (x0, y0),
                x1 - x0,
                y1 - y0,
                fill=False,
                edgecolor="#c0392b",
                linewidth=2,
                ls="--",
                zorder=4,
            )
            rectangle.set_gid(f"box:{number}")
            ax.add_patch(rectangle)
            ax.set_ylabel(factor_label(fy, width=40), fontsize=8)
        else:
            ax.scatter(table[fx], values, s=22, color=COLOURS["median"], zorder=2)
            x0, x1, _ = _box_bounds(part, fx, table[fx])
            span = ax.axvspan(x0, x1, color="#c0392b", alpha=0.15, zorder=1)
            span.set_gid(f"box:{number}")
            ax.set_ylabel(outcome_label(name), fontsize=8)
        ax.set_xlabel(factor_label(fx, width=40), fontsize=8)
        ax.set_title(
            f"box {number}: density {first.density:.2f}, coverage "
            f"{first.coverage:.2f}, {int(first.variants)} variants",
            fontsize=9,
        )
        others = [r for r in part.itertuples() if r.factor not in (fx, fy, "(none)")]
        if others:
            text = "; ".join(
                f"{factor_label(r.factor, unit=False, width=200)} in [{r.lower:.3g}, {r.upper:.3g}]"
                for r in others
            )
            ax.text(
                0.0,
                -0.32,
                "also: " + "\n".join(textwrap.wrap(text, 70)),
                transform=ax.transAxes,
                fontsize=7,
                va="top",
                color="#555555",
            )
        ax.tick_params(labelsize=7.5)
    for ax in list(axes.flat)[len(numbers) :]:
        ax.set_visible(False)
    if points is not None:
        fig.colorbar(points, ax=axes, label=outcome_label(name), shrink=0.8)
    fig.suptitle(
        title
        or f"Scenario discovery (CART boxes): {outcome_label(name)} "
        f"{summary['direction']} {float(summary['threshold']):.3g}, "
        f"{summary['cases']} of {summary['variants']} variants",
        fontweight="bold",
        fontsize=10,
    )
    return fig


@styled
def prim_trajectory(
    trajectory: pd.DataFrame, *, chosen: int | None = None, title: str | None = None
) -> Figure:
    """PRIM's peeling trajectory (growthpole.experiments.discovery.prim): coverage against
    density for every box along the peel, coloured by how many factors the box restricts,
    the chosen box marked."""
    fig, ax = _new(figsize=(7.2, 5.2))
    points = ax.scatter(
        trajectory.coverage,
        trajectory.density,
        c=trajectory.restricted,
        cmap="viridis",
        s=30,
        zorder=3,
    )
    ax.plot(trajectory.coverage, trajectory.density, color="#999999", lw=0.8, zorder=2)
    if chosen is not None:
        row = trajectory.iloc[chosen]
        ax.scatter(
            [row.coverage],
            [row.density],
            s=160,
            facecolors="none",
            edgecolors="#c0392b",
            linewidths=1.8,
            zorder=4,
            label=f"chosen box (step {chosen}: coverage {row.coverage:.2f}, "
            f"density {row.density:.2f})",
        )
        ax.legend(loc="lower left", fontsize=8)
    fig.colorbar(points, ax=ax, label="factors restricted by the box (count)")
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel("coverage: share of all cases of interest inside the box (0-1)")
    ax.set_ylabel("density: share of the box's variants that are cases (0-1)")
    ax.set_title(title or "PRIM peeling trajectory: coverage against density")
    return fig
