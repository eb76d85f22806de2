"""Calibration and validation figures: the moment fit, the hindcast against history,
the loss profiles of the estimated parameters and the rolling-origin backtests."""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from growthpole.parameters import PARAMETER_SPECS
from growthpole.plots.theme import (
    COLOURS,
    GDP_UNIT,
    PEOPLE_UNIT,
    _message,
    _new,
    _note,
    _year_axis,
    factor_label,
    gdp_unit,
    place_name,
    styled,
)


def _pick(table: pd.DataFrame, names: tuple[str, ...], what: str, *, numeric: bool) -> str:
    for name in names:
        if name in table.columns and pd.api.types.is_numeric_dtype(table[name]) == numeric:
            return name
    raise ValueError(
        f"calibration table needs a {what} column (one of {', '.join(names)}); "
        f"it has {', '.join(map(str, table.columns))}"
    )


#: natural units of the calibration moment kinds (growthpole.calibration.moments)
MOMENT_UNITS: dict[str, str] = {
    "gdp": f"GDP, {GDP_UNIT}, current prices",
    "real_growth": "real GDP growth, % per year",
    "secondary_share": "secondary industry, % of GDP",
    "population": f"residents, {PEOPLE_UNIT}",
}
MOMENT_TITLES: dict[str, str] = {
    "gdp": "GDP",
    "real_growth": "Real growth",
    "secondary_share": "Secondary share",
    "population": "Population",
}


def _moment_title(label: str) -> tuple[str, str]:
    """('GDP · 绍兴市 Shaoxing', unit) for a label 'kind:city'; the label itself otherwise."""
    kind, _, city = str(label).partition(":")
    if kind in MOMENT_UNITS:
        return f"{MOMENT_TITLES[kind]} · {place_name(city)}", MOMENT_UNITS[kind]
    return str(label), ""


@styled
def calibration_fit(table: pd.DataFrame, *, title: str | None = None) -> Figure:
    """Published against simulated calibration moments.

    ``table``: one row per moment (and year) with a label column (``moment``, ``name``,
    ``label`` or ``target``), a numeric published column (``observed``, ``data``,
    ``history``, ``published`` or ``target``) and ``simulated`` (or ``model``); optional
    ``unit`` and ``year``. The rows of growthpole.calibration.report.moment_fit (and the
    ``moments`` of a calibration report JSON) fit as they are. With a ``year`` column every
    moment gets its own small panel over time; without, the figure shows each moment's
    deviation (%, simulated vs published) with both values written beside the bar.
    """
    moment = _pick(table, ("moment", "name", "label", "target"), "moment label", numeric=False)
    observed = _pick(
        table, ("observed", "data", "history", "published", "target"), "published", numeric=True
    )
    simulated = _pick(table, ("simulated", "model", "simulation"), "simulated", numeric=True)
    if "year" in table.columns and table.groupby(moment).year.nunique().max() > 1:
        moments = list(dict.fromkeys(table[moment]))
        ncols = min(3, len(moments))
        nrows = math.ceil(len(moments) / ncols)
        fig, axes = _new(nrows, ncols, figsize=(4.2 * ncols, 3.0 * nrows), squeeze=False)
        for ax, name in zip(axes.flat, moments, strict=False):
            rows = table[table[moment] == name].sort_values("year")
            # lines join consecutive years only: sparse observations stay separate points
            years = range(int(rows.year.min()), int(rows.year.max()) + 1)
            series = rows.set_index("year")[[observed, simulated]].reindex(years)
            ax.plot(
                series.index,
                series[observed],
                color=COLOURS["history"],
                marker="o",
                ms=3.5,
                label="published",
            )
            ax.plot(
                series.index,
                series[simulated],
                color=COLOURS["median"],
                marker="s",
                ms=3.5,
                label="simulated (mean of replications)",
            )
            panel_title, unit = _moment_title(name)
            if "unit" in rows:
                unit = str(rows["unit"].iloc[0])
            ax.set_title(panel_title, fontsize=9)
            _year_axis(ax)
            ax.set_ylabel(unit or "value", fontsize=8)
            ax.tick_params(labelsize=7.5)
        for ax in list(axes.flat)[len(moments) :]:
            ax.set_visible(False)
        axes.flat[0].legend(fontsize=7.5, loc="upper left")
        fig.suptitle(title or "Calibration fit: published against simulated", fontweight="bold")
        return fig
    rows = table.reset_index(drop=True)
    obs = rows[observed].astype(float).to_numpy()
    sim = rows[simulated].astype(float).to_numpy()
    deviation = np.where(obs != 0, (sim - obs) / np.abs(np.where(obs == 0, 1, obs)) * 100, np.nan)
    fig, ax = _new(figsize=(9.0, 0.45 * len(rows) + 1.8))
    y = np.arange(len(rows))[::-1]
    colours = [
        COLOURS["gain"] if abs(d) <= 10 else COLOURS["loss"] for d in np.nan_to_num(deviation)
    ]
    ax.barh(y, np.nan_to_num(deviation), color=colours, height=0.6)
    ax.axvline(0, color="#333333", lw=0.8)
    for k in (-10, 10):
        ax.axvline(k, color="#999999", lw=0.8, ls=":")
    units = rows["unit"].astype(str).tolist() if "unit" in rows else [""] * len(rows)
    labels = [f"{m}" for m in rows[moment]]
    ax.set_yticks(y, labels, fontsize=8.5)
    span = max(12.0, float(np.nanmax(np.abs(deviation))) if np.isfinite(deviation).any() else 12.0)
    ax.set_xlim(-span * 1.9, span * 1.9)
    for yi, o, s, d, u in zip(y, obs, sim, deviation, units, strict=True):
        anchor = max(0.0, float(np.nan_to_num(d))) + span * 0.05
        ax.text(
            anchor,
            yi,
            f"published {o:.4g}, simulated {s:.4g} {u}".rstrip(),
            va="center",
            fontsize=7.5,
            color="#333333",
        )
    ax.set_xlabel(
        "simulated minus published, % of published (green: within the dotted "
        "±10% lines, red: outside)"
    )
    ax.set_ylabel("calibration moment")
    ax.set_title(title or "Calibration fit by moment")
    return fig


@styled
def backtest_fans(backtests: Sequence[Mapping[str, Any]]) -> Figure:
    """Rolling-origin backtests (``growthpole backtest --json``'s ``backtests`` list, or
    several files' lists joined): one column per origin; top row Shaoxing's GDP (亿元, the
    model's pre-census basis) with the agent-based model's 90% band and median, the
    benchmarks' medians and the published values; bottom row the 30th-place GDP forecast
    and its published value. Unconditional runs solid, conditional dashed."""
    origins = sorted({int(b["origin"]) for b in backtests})
    if not origins:
        fig, ax = _new()
        _message(ax, "no backtest results")
        return fig
    fig, axes = _new(2, len(origins), figsize=(3.4 * len(origins), 6.4), squeeze=False)
    colours = {
        "abm": "#1f4e79",
        "random_walk_drift": "#b85c00",
        "ar1_growth": "#5b8c00",
        "factor_model": "#7a3e9d",
    }
    titles = {
        "abm": "agent-based model",
        "random_walk_drift": "random walk + drift",
        "ar1_growth": "AR(1) in growth",
        "factor_model": "factor model",
    }
    for column, origin in enumerate(origins):
        top, bottom = axes[0, column], axes[1, column]
        for result in (b for b in backtests if int(b["origin"]) == origin):
            conditional = bool(result["conditional"])
            dash = "--" if conditional else "-"
            mode = "conditional" if conditional else "unconditional"
            frame = pd.DataFrame(result["forecasts"])
            for method, rows in frame.groupby("method", sort=False):
                if method == "abm":
                    top.fill_between(
                        rows.year,
                        rows.gdp_p05,
                        rows.gdp_p95,
                        color=colours["abm"],
                        alpha=0.12 if conditional else 0.2,
                        linewidth=0,
                    )
                top.plot(
                    rows.year,
                    rows.gdp_median,
                    dash,
                    color=colours[str(method)],
                    linewidth=1.6 if method == "abm" else 0.9,
                    label=f"{titles[str(method)]} ({mode})" if column == 0 else None,
                )
            realised = frame[frame.method == "abm"].dropna(subset=["gdp_realised"])
            top.plot(realised.year, realised.gdp_realised, "o", color="black", markersize=3)
            threshold = pd.DataFrame(result.get("threshold") or [])
            if not threshold.empty:
                bottom.fill_between(
                    threshold.year,
                    threshold.thirtieth_p05,
                    threshold.thirtieth_p95,
                    color="#888888",
                    alpha=0.12 if conditional else 0.22,
                    linewidth=0,
                )
                bottom.plot(
                    threshold.year,
                    threshold.thirtieth_median,
                    dash,
                    color="#444444",
                    label=f"forecast ({mode})" if column == 0 else None,
                )
                known = threshold.dropna(subset=["thirtieth_realised"])
                bottom.plot(known.year, known.thirtieth_realised, "o", color="black", markersize=3)
        top.set_title(f"origin {origin}")
        _year_axis(top)
        _year_axis(bottom)
        if column == 0:
            top.set_ylabel(f"Shaoxing GDP ({gdp_unit()})")
            bottom.set_ylabel(f"30th-place GDP ({gdp_unit()})")
    axes[0, 0].legend(fontsize=6.5, loc="upper left")
    axes[1, 0].legend(fontsize=6.5, loc="upper left")
    _note(
        fig,
        "Dots: published values on the model's pre-census basis (2022 unpublished; 2022-24 "
        "30th place completed with model draws of unpublished cities). growthpole backtest; "
        "docs/calibration.md.",
    )
    return fig


@styled
def hindcast(
    city_year: pd.DataFrame,
    result: Mapping[str, object],
    *,
    window: tuple[int, int],
    observed: Mapping[str, pd.Series] | None = None,
    title: str | None = None,
) -> Figure:
    """The hindcast of a calibration (:func:`growthpole.calibration.report.hindcast`: its
    result and its city-year table): one panel per corridor city, GDP simulated (90% band and
    median across replications) against the published values, with the in-sample RMSPE and
    the out-of-sample MAPE in the title; and Shaoxing's national rank (simulated band and
    median, published rank) when the result has it. The fitting ``window`` (first, last
    year) is shaded. Each panel's gid is ``hindcast:<city>`` or ``hindcast:rank``.

    ``observed``: published GDP per city (series indexed by year); read from the active
    panel (:func:`growthpole.calibration.report.observed_gdp`) when None.
    """
    start, end = window
    last = int(result["last_year"])  # type: ignore[call-overload]
    errors: Mapping[str, Mapping[str, object]] = result["cities"]  # type: ignore[assignment]
    cities = list(errors)
    rank: Mapping[str, object] = result.get("national_rank") or {}  # type: ignore[assignment]
    panels = cities + (["rank"] if rank.get("available") else [])
    if observed is None:
        from growthpole.calibration.report import observed_gdp

        observed = {city: observed_gdp(city, start, last) for city in cities}
    ncols = min(3, len(panels))
    nrows = math.ceil(len(panels) / ncols)
    fig, axes = _new(nrows, ncols, figsize=(13.0, 3.75 * nrows + 0.3), squeeze=False)
    for ax, panel in zip(axes.flat, panels, strict=False):
        ax.set_gid(f"hindcast:{panel}")
        ax.axvspan(start, end, color="0.92", label=f"fitting window {start}-{end}")
        if panel == "rank":
            years_rows: list[Mapping[str, float]] = rank["years"]  # type: ignore[assignment]
            frame = pd.DataFrame(years_rows)
            ax.fill_between(
                frame.year,
                frame.simulated_p05,
                frame.simulated_p95,
                color=COLOURS["band90"],
                alpha=0.6,
                lw=0,
                label="simulated 90% band",
            )
            ax.plot(
                frame.year,
                frame.simulated_median,
                color=COLOURS["median"],
                label="simulated median",
            )
            ax.plot(
                frame.year,
                frame.historical,
                "o",
                color=COLOURS["history"],
                ms=4,
                label="published",
            )
            ax.invert_yaxis()
            ax.set_title(f"{place_name('shaoxing')}: national GDP rank", fontsize=9)
            ax.set_ylabel("national GDP rank (1 = largest)", fontsize=8)
        else:
            rows = city_year[city_year.region == panel].groupby("year").gdp
            years = np.array(sorted(rows.groups))
            ax.fill_between(
                years,
                rows.quantile(0.05).to_numpy(),
                rows.quantile(0.95).to_numpy(),
                color=COLOURS["band90"],
                alpha=0.6,
                lw=0,
                label="simulated 90% band",
            )
            ax.plot(
                years, rows.median().to_numpy(), color=COLOURS["median"], label="simulated median"
            )
            published = observed.get(panel, pd.Series(dtype=float))
            ax.plot(
                published.index,
                published.to_numpy(),
                "o",
                color=COLOURS["history"],
                ms=4,
                label="published",
            )
            fit = errors[panel]
            panel_title = f"{place_name(panel)}: GDP"
            if fit.get("in_sample_rmspe") is not None:
                panel_title += f"\nRMSPE in {100 * float(fit['in_sample_rmspe']):.1f}%"  # type: ignore[arg-type]
            if fit.get("out_of_sample_mape") is not None:
                panel_title += f", MAPE out {100 * float(fit['out_of_sample_mape']):.1f}%"  # type: ignore[arg-type]
            ax.set_title(panel_title, fontsize=9)
            ax.set_ylabel(f"GDP, {gdp_unit()}, current prices", fontsize=8)
        _year_axis(ax)
        ax.tick_params(labelsize=7.5)
    for ax in list(axes.flat)[len(panels) :]:
        ax.set_visible(False)
    axes.flat[0].legend(fontsize=7, loc="upper left")
    fig.suptitle(
        title
        or f"Hindcast {start}-{last}, fitted on {start}-{end} "
        f"({result['replications']} replications)",
        fontweight="bold",
    )
    return fig


@styled
def loss_profiles(profiles: pd.DataFrame, *, title: str | None = None) -> Figure:
    """Loss slices of a calibration across each parameter's search bounds, the others at the
    estimate (growthpole.calibration.report.profile_table): one panel per parameter, the
    estimate marked, the identification verdict in the title.

    ``profiles``: columns ``parameter``, ``value``, ``loss``, ``estimate``; optional
    ``verdict`` and ``unit``.
    """
    names = list(dict.fromkeys(profiles.parameter))
    if not names:
        fig, ax = _new()
        _message(ax, "no loss profiles")
        return fig
    ncols = min(3, len(names))
    nrows = math.ceil(len(names) / ncols)
    fig, axes = _new(nrows, ncols, figsize=(4.2 * ncols, 3.0 * nrows + 0.4), squeeze=False)
    for ax, name in zip(axes.flat, names, strict=False):
        rows = profiles[profiles.parameter == name]
        ax.plot(rows.value, rows.loss, "o-", ms=3, color=COLOURS["median"], label="loss")
        ax.axvline(float(rows.estimate.iloc[0]), color=COLOURS["threshold"], lw=1, label="estimate")
        verdict = str(rows.verdict.iloc[0]) if "verdict" in rows else ""
        lines = textwrap.wrap(verdict, 52, max_lines=2, placeholder=" …")
        ax.set_title("\n".join([name, *lines]), fontsize=8)
        unit = str(rows["unit"].iloc[0]) if "unit" in rows else ""
        if name in PARAMETER_SPECS:  # its meaning and unit, as a sweep factor is labelled
            xlabel = factor_label(name, width=44)
        elif unit and unit != "nan":
            xlabel = f"{name} ({'dimensionless' if unit == '1' else f'unit: {unit}'})"
        else:
            xlabel = name
        ax.set_xlabel(xlabel, fontsize=8)
        # moments are log levels, growth rates and shares, weighted: the loss has no unit
        ax.set_ylabel("MSM loss, weighted squared\nmoment errors (dimensionless)", fontsize=8)
        ax.tick_params(labelsize=7.5)
    for ax in list(axes.flat)[len(names) :]:
        ax.set_visible(False)
    axes.flat[0].legend(fontsize=7, loc="best")
    fig.suptitle(
        title or "Loss profiles across the search bounds (others at the estimate)",
        fontweight="bold",
    )
    return fig
