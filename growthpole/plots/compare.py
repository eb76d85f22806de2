"""Scenario comparisons (``growthpole compare``): GDP medians by scenario and paired
differences with their confidence intervals."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from growthpole.plots.theme import (
    _new,
    _note,
    _year_axis,
    gdp_unit,
    place_name,
    styled,
)


@styled
def scenario_gdp_medians(table: pd.DataFrame, *, title: str | None = None) -> Figure:
    """Shaoxing's GDP median by year, one line per scenario (``comparison.csv`` of
    ``growthpole compare``: columns year, scenario, gdp_median)."""
    fig, ax = _new()
    for name, rows in table.groupby("scenario", sort=False):
        rows = rows.sort_values("year")
        ax.plot(rows.year, rows.gdp_median, marker="o", ms=3, lw=1.8, label=str(name))
    _year_axis(ax)
    ax.set_ylabel(f"GDP, {gdp_unit()}, current prices")
    ax.set_title(title or f"{place_name('shaoxing')}: GDP median by scenario")
    ax.legend(title="scenario", fontsize=8, loc="best")
    _note(
        fig,
        "Median across replications; every scenario ran with the same root seed and "
        "replication count (common random numbers).",
    )
    return fig


@styled
def paired_difference(differences: pd.DataFrame, *, title: str | None = None) -> Figure:
    """GDP difference B − A by year with its paired t confidence interval, one line per
    scenario B (``difference.csv`` of ``growthpole compare``)."""
    fig, ax = _new()
    for (a, b), rows in differences.groupby(["scenario_a", "scenario_b"], sort=False):
        rows = rows.sort_values("year")
        line = ax.plot(
            rows.year, rows.gdp_difference_mean, marker="o", ms=3, lw=1.8, label=f"{b} − {a}"
        )[0]
        ax.fill_between(
            rows.year, rows.ci_lower, rows.ci_upper, alpha=0.2, lw=0, color=line.get_color()
        )
    ax.axhline(0.0, color="#555555", lw=0.8)
    _year_axis(ax)
    ax.set_ylabel(f"GDP difference B − A, {gdp_unit()}, current prices")
    ax.set_title(title or f"{place_name('shaoxing')}: GDP difference from the reference")
    ax.legend(title="scenario B − A", fontsize=8, loc="best")
    _note(
        fig,
        "Mean of the differences paired by replication (common random numbers); "
        "shaded: 95% paired t interval of the mean.",
    )
    return fig
