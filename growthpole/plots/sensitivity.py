"""Sensitivity figures of a sweep: Morris / Sobol' / delta indices with their bootstrap
intervals, the Morris μ*-σ chart, and each variant's outcome against each factor."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from growthpole.plots.theme import (
    COLOURS,
    _message,
    _new,
    _note,
    factor_label,
    outcome_label,
    outcome_unit,
    styled,
)

INDEX_LABELS: dict[str, str] = {
    "mu_star": "Morris μ*: mean |elementary effect|",
    "ST": "Sobol' total index",
    "S1": "Sobol' first-order index",
    "delta": "Borgonovo δ",
    "sigma": "Morris σ: standard deviation of the elementary effects",
}
#: indices bounded below by 0 (μ*, σ: means of absolute values and deviations) and those
#: that are shares of variance or of distribution (also bounded above by 1)
NON_NEGATIVE_INDICES = ("mu_star", "sigma", "ST", "S1", "delta")
SHARE_INDICES = ("ST", "S1", "delta")


def index_interval(block: pd.DataFrame, index: str) -> tuple[np.ndarray, np.ndarray, bool]:
    """(low, high, truncated) of the bootstrap interval, within the index's domain: μ*, σ
    and the Sobol'/δ shares cannot be negative, the shares cannot exceed 1 (a normal
    approximation can cross both); ``truncated`` says whether any end was moved."""
    low = block.conf_low.to_numpy(dtype=float)
    high = block.conf_high.to_numpy(dtype=float)
    bounded_low, bounded_high = low.copy(), high.copy()
    if index in NON_NEGATIVE_INDICES:
        bounded_low = np.maximum(bounded_low, 0.0)
        bounded_high = np.maximum(bounded_high, 0.0)
    if index in SHARE_INDICES:
        bounded_low = np.minimum(bounded_low, 1.0)
        bounded_high = np.minimum(bounded_high, 1.0)
    finite = np.isfinite(low) & np.isfinite(high)
    truncated = bool(np.any((bounded_low != low)[finite] | (bounded_high != high)[finite]))
    return bounded_low, bounded_high, truncated


def _index_axis_label(index: str, outcome: str) -> str:
    label = INDEX_LABELS.get(index, index)
    if index in ("mu_star", "sigma"):
        return f"{label},\n{outcome_unit(outcome)} per factor range"
    return (
        f"{label}, share of the outcome's variance (0-1)"
        if index in ("ST", "S1")
        else f"{label}, share (0-1)"
    )


@styled
def sensitivity_indices(
    table: pd.DataFrame, *, index: str | None = None, title: str | None = None
) -> Figure:
    """Sensitivity indices per outcome (growthpole.experiments.sensitivity.analyse table):
    one panel per outcome, one bar per factor with its bootstrap interval, largest first.

    ``index``: which index to draw (default: mu_star for Morris, ST for Sobol', delta for
    Borgonovo). Morris μ* is in the outcome's unit per factor range (the elementary effect of
    moving the factor across its range); Sobol' and δ are shares of the outcome's variance or
    distribution. Intervals are kept inside the index's domain (:func:`index_interval`).
    An outcome that is constant across the variants (``index`` 'none': no index can be
    claimed) gets a panel that says so, as does every outcome when none has an index.
    """
    if index is None:
        present = set(table["index"])
        index = next((i for i in ("mu_star", "ST", "delta", "S1") if i in present), "none")
    rows = table[table["index"] == index]
    outcomes = list(dict.fromkeys(table.outcome))
    width = max(6.0 * len(outcomes), 9.0)
    fig, axes = _new(
        1,
        max(len(outcomes), 1),
        figsize=(width, 0.75 * table.factor.nunique() + 2.4),
        squeeze=False,
    )
    truncated = False
    for ax, outcome in zip(axes.flat, outcomes, strict=True):
        block = rows[rows.outcome == outcome].sort_values("estimate")
        ax.set_title(outcome_label(outcome), fontsize=9.5)
        if block.empty or index == "none":
            _message(ax, "outcome constant across the variants:\nno sensitivity index")
            ax.set_axis_off()
            continue
        y = np.arange(len(block))
        estimate = block.estimate.to_numpy(dtype=float)
        low, high, cut = index_interval(block, index)
        truncated |= cut
        error = np.vstack([estimate - low, high - estimate])
        ax.barh(y, estimate, color=COLOURS["band50"], height=0.6)
        ax.errorbar(
            estimate,
            y,
            xerr=np.clip(np.nan_to_num(error), 0, None),
            fmt="none",
            ecolor="#333333",
            capsize=3,
            lw=1,
        )
        ax.set_yticks(y, [factor_label(f) for f in block.factor], fontsize=7.5)
        ax.set_xlabel(_index_axis_label(index, outcome))
        ax.set_ylabel("factor (lever or pillar)")
        ax.axvline(0, color="#333333", lw=0.8)
        if index in NON_NEGATIVE_INDICES:
            ax.set_xlim(left=0)
    if not outcomes:
        _message(axes.flat[0], "no outcome in the sensitivity table")
    conf = (
        round(100 * float(table.conf_level.iloc[0])) if "conf_level" in table and len(table) else 95
    )
    heading = title or f"Which factors matter: sensitivity indices with {conf}% bootstrap intervals"
    fig.suptitle("\n".join(textwrap.wrap(heading, int(9.5 * width))), fontweight="bold")
    notes = []
    if "variants" in table and len(table):
        notes.append(
            f"{int(table.variants.iloc[0])} variants x {int(table.replications.iloc[0])} "
            f"replications (common random numbers); method: {table.method.iloc[0]}."
        )
    if truncated:
        notes.append(
            "Intervals cut at the index's domain (the normal-approximation "
            "bootstrap interval crossed 0 or 1, which the index cannot)."
        )
    if notes:
        _note(fig, " ".join(notes))
    return fig


@styled
def morris_mu_sigma(table: pd.DataFrame, *, title: str | None = None) -> Figure:
    """The Morris μ*-σ chart (Morris 1991; Campolongo, Cariboni & Saltelli 2007): one panel
    per outcome, one point per factor at (μ*, σ), with μ*'s bootstrap interval (cut at 0).

    Far right: important factors; high σ relative to μ*: effects that vary over the
    design (non-linear or interacting). The dotted rays σ/μ* = 0.1, 0.5 and 1 separate
    almost linear, monotonic, almost monotonic and non-monotonic effects (Garcia Sanchez et
    al. 2014). Both axes are in the outcome's unit per factor range."""
    mu = table[table["index"] == "mu_star"]
    sigma = table[table["index"] == "sigma"]
    if mu.empty or sigma.empty:
        raise ValueError(
            "a Morris μ*-σ chart needs 'mu_star' and 'sigma' rows (a Morris sweep "
            "analysed by growthpole.experiments.sensitivity.analyse)"
        )
    outcomes = list(dict.fromkeys(mu.outcome))
    fig, axes = _new(1, len(outcomes), figsize=(7.0 * len(outcomes), 5.6), squeeze=False)
    for ax, outcome in zip(axes.flat, outcomes, strict=True):
        block = mu[mu.outcome == outcome].set_index("factor")
        spread = sigma[sigma.outcome == outcome].set_index("factor").estimate
        block = block.assign(sigma=spread.reindex(block.index).to_numpy(dtype=float))
        low, high, _cut = index_interval(block, "mu_star")
        x = block.estimate.to_numpy(dtype=float)
        y = block.sigma.to_numpy(dtype=float)
        ax.errorbar(
            x,
            y,
            xerr=np.clip(np.vstack([x - low, high - x]), 0, None),
            fmt="o",
            color=COLOURS["median"],
            ecolor="#777777",
            capsize=3,
            ms=6,
            lw=1,
            label="factor (μ* with 95% bootstrap interval)",
        )
        top = (
            max(
                float(np.nanmax(high)) if np.isfinite(high).any() else 0.0,
                float(np.nanmax(y)) if np.isfinite(y).any() else 0.0,
                1e-12,
            )
            * 1.15
        )
        for ratio in (0.1, 0.5, 1.0):
            ax.plot([0, top], [0, ratio * top], color="#999999", ls=":", lw=0.9)
            ax.annotate(
                f"σ/μ* = {ratio:g}",
                (top, min(ratio * top, top)),
                fontsize=7,
                color="#777777",
                ha="right",
                va="bottom",
            )
        for factor, xi, yi in zip(block.index, x, y, strict=True):
            ax.annotate(
                factor_label(factor, unit=False, width=26),
                (xi, yi),
                xytext=(5, 4),
                textcoords="offset points",
                fontsize=7.5,
            )
        ax.set_xlim(0, top)
        ax.set_ylim(0, top)
        unit = f"{outcome_unit(outcome)} per factor range"
        ax.set_xlabel(f"μ*: mean |elementary effect|,\n{unit}")
        ax.set_ylabel(f"σ: standard deviation of the elementary effects,\n{unit}")
        ax.set_title(outcome_label(outcome), fontsize=9.5)
        ax.legend(loc="upper left", fontsize=7.5)
    fig.suptitle(
        title
        or "Morris screening: importance μ* against σ\n(σ large relative to "
        "μ*: non-linear or interacting effects)",
        fontweight="bold",
        fontsize=10.5,
    )
    return fig


@styled
def outcome_by_factor(
    table: pd.DataFrame, factors: Sequence[str], outcome: str, *, title: str | None = None
) -> Figure:
    """Per variant of a sweep: ``outcome`` (mean over replications) against each factor,
    one panel per factor (the table of growthpole.experiments.sensitivity.variant_outcomes)."""
    factors = list(factors)
    columns = min(3, max(len(factors), 1))
    rows_count = -(-len(factors) // columns)
    fig, axes = _new(
        rows_count, columns, figsize=(3.6 * columns, 3.0 * rows_count + 0.8), squeeze=False
    )
    for i, ax in enumerate(axes.flat):
        if i >= len(factors):
            ax.set_visible(False)
            continue
        factor = factors[i]
        ax.scatter(table[factor], table[outcome], s=14, alpha=0.7)
        if str(outcome).startswith("p_"):  # a probability: its whole range
            ax.set_ylim(-0.03, 1.03)
        ax.set_xlabel(factor_label(factor), fontsize=8)
        # every panel has its own y scale, so each names the outcome and its unit
        ax.set_ylabel(outcome_label(outcome), fontsize=8)
    fig.suptitle(title or f"{outcome_label(outcome)}, by factor", fontsize=10, fontweight="bold")
    _note(
        fig,
        f"One point per design variant ({len(table)}): the outcome averaged over its "
        f"replications; the other factors vary at the same time.",
    )
    return fig
