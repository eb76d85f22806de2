"""Attribution figures: the waterfall of the policy pillars' contributions (Shapley
values of growthpole.experiments.attribution, or any pillar/contribution table)."""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from growthpole.plots.theme import (
    COLOURS,
    PILLAR_LABELS,
    _new,
    _note,
    _signed,
    outcome_label,
    outcome_unit,
    styled,
)


def shapley_waterfall_table(shapley: pd.DataFrame, outcome: str | None = None) -> pd.DataFrame:
    """(pillar, contribution, low, high) rows plus a 'total' row from the Shapley table of
    growthpole.experiments.attribution.attribute (``growthpole attribute``'s attribution.csv):
    the ``outcome`` (default: the first GDP outcome, else the first) and its pillars."""
    if outcome is None:
        outcomes = list(dict.fromkeys(shapley.get("outcome", pd.Series(["all"]))))
        outcome = next((o for o in outcomes if str(o).startswith("gdp")), outcomes[0])
    rows = shapley[shapley.outcome == outcome] if "outcome" in shapley else shapley
    skip = {"baseline", "full_strategy", "total_effect"}
    parts = rows[~rows.component.isin(skip)]
    table = pd.DataFrame(
        {
            "pillar": parts.component.to_numpy(),
            "contribution": parts.value.to_numpy(dtype=float),
            "outcome": outcome,
        }
    )
    if {"ci_low", "ci_high"} <= set(parts.columns):
        table["low"] = parts.ci_low.to_numpy(dtype=float)
        table["high"] = parts.ci_high.to_numpy(dtype=float)
    total = rows[rows.component == "total_effect"]
    if len(total):
        table = pd.concat(
            [
                table,
                pd.DataFrame(
                    {
                        "pillar": ["total"],
                        "contribution": [float(total.value.iloc[0])],
                        "outcome": [outcome],
                    }
                ),
            ],
            ignore_index=True,
        )
    return table


@styled
def attribution_waterfall(
    table: pd.DataFrame,
    *,
    value_label: str | None = None,
    total_label: str = "full strategy",
    title: str | None = None,
) -> Figure:
    """Waterfall of the contributions of policy pillars to a gain.

    ``table``: columns ``pillar`` and ``contribution`` (optional ``low``/``high`` for an
    interval, e.g. a 95% confidence interval across replications, drawn as error bars).
    The last bar is their sum (or the ``total`` row). A Shapley table of
    growthpole.experiments.attribution (``component``, ``value``) is accepted as it is.

    The value axis always includes zero (bars are changes, drawn from a zero baseline), and
    its label carries the outcome's unit: ``value_label`` (default: the outcome's name) gets
    the unit appended when the table names its ``outcome`` and the label lacks the unit.
    """
    if {"component", "value"} <= set(table.columns) and "pillar" not in table.columns:
        table = shapley_waterfall_table(table)
    if not {"pillar", "contribution"} <= set(table.columns):
        raise ValueError(
            "attribution table needs columns 'pillar' and 'contribution' (or a "
            "Shapley table with 'component' and 'value')"
        )
    parts = table[table.pillar != "total"].reset_index(drop=True)
    total_rows = table[table.pillar == "total"]
    total = (
        float(total_rows.contribution.iloc[0])
        if len(total_rows)
        else float(parts.contribution.sum())
    )
    outcome = (
        str(table.outcome.dropna().iloc[0])
        if "outcome" in table.columns and table.outcome.notna().any()
        else None
    )
    if value_label is None:
        value_label = (
            f"change over the baseline: {outcome_label(outcome)}"
            if outcome
            else "contribution, outcome's unit"
        )
    elif outcome and outcome_unit(outcome) not in value_label:
        value_label = f"{value_label}, {outcome_unit(outcome)}"
    value_label = "\n".join(textwrap.wrap(value_label, 40, break_on_hyphens=False))
    fig, ax = _new(figsize=(8.8, 5.0))
    cumulative = np.cumsum(parts.contribution.to_numpy(dtype=float))
    span = max(float(np.abs(cumulative).max()) if len(cumulative) else 0.0, abs(total), 1e-12)
    running = 0.0
    labels = []
    for i, row in enumerate(parts.itertuples(index=False)):
        value = float(row.contribution)
        colour = COLOURS["gain"] if value >= 0 else COLOURS["loss"]
        ax.bar(i, value, bottom=running, color=colour, width=0.65, edgecolor="#333333", lw=0.5)
        if {"low", "high"} <= set(parts.columns):
            ax.errorbar(
                i,
                running + value,
                yerr=[[value - float(row.low)], [float(row.high) - value]],
                color="#333333",
                capsize=3,
                lw=1,
            )
        if {"low", "high"} <= set(parts.columns) and abs(value) >= 0.08 * span:
            # inside the bar, clear of the interval and of the connector lines
            ax.text(
                i,
                running + value / 2,
                _signed(value),
                ha="center",
                va="center",
                fontsize=8,
                color="white",
                fontweight="bold",
            )
        else:
            ax.text(
                i,
                running + value,
                _signed(value),
                ha="center",
                va="bottom" if value >= 0 else "top",
                fontsize=8,
            )
        if i:
            ax.plot([i - 1.325, i - 0.325], [running, running], color="#777777", lw=0.8)
        running += value
        labels.append(PILLAR_LABELS.get(str(row.pillar), str(row.pillar).replace("_", " ")))
    n = len(parts)
    ax.bar(n, total, color=COLOURS["median"], width=0.65, edgecolor="#333333", lw=0.5)
    ax.text(
        n,
        total,
        _signed(total),
        ha="center",
        va="bottom" if total >= 0 else "top",
        fontsize=8,
        fontweight="bold",
    )
    labels.append(total_label)
    # bars are changes: the axis runs from a zero baseline through every bar end and interval
    extents = [0.0, total, *np.concatenate([[0.0], cumulative])]
    if {"low", "high"} <= set(parts.columns):
        before = np.concatenate([[0.0], cumulative[:-1]])
        extents += [
            *(before + parts.low.to_numpy(dtype=float)),
            *(before + parts.high.to_numpy(dtype=float)),
        ]
    extents = [e for e in extents if np.isfinite(e)]
    low, high = min(extents), max(extents)
    pad = 0.12 * max(high - low, 1e-12)
    ax.set_ylim(low - (pad if low < 0 else 0.0), high + pad)
    ax.axhline(0, color="#333333", lw=0.8)
    ax.set_axisbelow(True)
    ax.set_xticks(range(n + 1), labels, rotation=25, ha="right", fontsize=8.5)
    ax.set_ylabel(value_label)
    ax.set_xlabel("policy pillar")
    ax.set_title(title or "Attribution of the gain to policy pillars")
    if {"low", "high"} <= set(parts.columns):
        _note(
            fig,
            "Error bars: 95% interval of each pillar's contribution across "
            "replications (common random numbers).",
        )
    if abs(running - total) > 1e-9 * max(1.0, abs(total)):
        ax.text(
            0.99,
            0.98,
            f"pillars sum to {_signed(running)}; the rest "
            f"({_signed(total - running)}) "
            "is interaction",
            transform=ax.transAxes,
            ha="right",
            va="top",
            fontsize=8,
            color="#555555",
        )
    return fig
