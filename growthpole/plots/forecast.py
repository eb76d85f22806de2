"""Forecast figures of a run: Shaoxing's GDP and national rank (published history
against the simulated bands), P(top 30) by year, and GDP by sector; with the published
history they draw (:func:`published_gdp`, :func:`rank_history`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import cast

import matplotlib.pyplot as plt
import matplotlib.ticker
import numpy as np
import pandas as pd
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure

from growthpole.outcomes import TOP
from growthpole.plots.theme import (
    COLOURS,
    _marks,
    _message,
    _new,
    _note,
    _year_axis,
    gdp_unit,
    place_name,
    styled,
)
from growthpole.regions import (
    SECTORS,
    SHAOXING_CITY_CODE,
)

SECTOR_LABELS: dict[str, str] = {
    "textiles_dyeing": "Textiles & dyeing",
    "chemicals": "Chemicals",
    "equipment": "Equipment",
    "electronics_ic": "Electronics & IC",
    "biomedicine": "Biomedicine",
    "new_materials": "New materials",
    "digital_economy": "Digital economy",
    "services": "Market services",
    "other": "Other manufacturing",
}


# ---------------------------------------------------------------------------------------
# helpers on tables
# ---------------------------------------------------------------------------------------


def _region_rows(city_year: pd.DataFrame, region: str = "shaoxing") -> pd.DataFrame:
    rows = city_year[city_year.region == region]
    if rows.empty:
        raise ValueError(f"city_year has no rows for region '{region}'")
    return rows


def _bands(rows: pd.DataFrame, column: str) -> pd.DataFrame:
    """Per year: quantiles 5, 25, 50, 75, 95 % of ``column`` across replications."""
    grouped = rows.groupby("year")[column]
    return pd.DataFrame(
        {f"q{int(q * 100):02d}": grouped.quantile(q) for q in (0.05, 0.25, 0.5, 0.75, 0.95)}
    ).reset_index()


def _fan(
    ax, bands: pd.DataFrame, *, label: str, replications: int, colour: str = COLOURS["median"]
) -> None:
    if replications > 1:
        ax.fill_between(
            bands.year,
            bands.q05,
            bands.q95,
            color=COLOURS["band90"],
            alpha=0.6,
            lw=0,
            label=f"simulated 90% band ({replications} replications)",
        )
        ax.fill_between(
            bands.year,
            bands.q25,
            bands.q75,
            color=COLOURS["band50"],
            alpha=0.5,
            lw=0,
            label="simulated 50% band",
        )
    ax.plot(
        bands.year,
        bands.q50,
        color=colour,
        lw=2,
        label=label if replications > 1 else f"{label} (1 replication)",
    )


def published_gdp(
    panel: pd.DataFrame | None = None, city_code: int = SHAOXING_CITY_CODE
) -> pd.DataFrame:
    """Published GDP of one city (year, gdp in 亿元, origin) from the active panel."""
    if panel is None:
        from growthpole.data import active_city_panel

        panel = active_city_panel()
    rows = panel[panel.city_code.astype(int) == int(city_code)]
    out = pd.DataFrame(
        {
            "year": rows.year.astype(int).to_numpy(),
            "gdp": rows.gdp_100m_cny.astype(float).to_numpy(),
            "origin": rows["origin"].to_numpy()
            if "origin" in rows
            else np.full(len(rows), "project"),
        }
    )
    return out.sort_values("year").reset_index(drop=True)


def rank_history(
    panel: pd.DataFrame | None = None, city_code: int = SHAOXING_CITY_CODE
) -> pd.DataFrame:
    """Published national GDP rank of ``city_code`` by year (1 = largest GDP).

    The rank counts the cities of the panel with a larger GDP in the same year, plus one.
    ``panel`` defaults to :func:`growthpole.panel.ranking_panel` (one source and one vintage
    per year). Only national years (:func:`growthpole.panel.national_years`) are kept: a rank
    among a partial list is not a national rank. Columns: year, rank, n_cities.
    """
    from growthpole import panel as panel_module

    if panel is None:
        panel = panel_module.ranking_panel()
    panel = panel.assign(
        year=panel.year.astype(int),
        city_code=panel.city_code.astype(int),
        gdp_100m_cny=panel.gdp_100m_cny.astype(float),
    )
    national = set(panel_module.national_years(panel))
    ranks = panel_module.historical_rank(panel[panel.year.isin(national)], int(city_code))
    return ranks.rename(columns={"cities": "n_cities"})


def _or_empty(loader: Callable[[], pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    """``loader()``, or an empty table when the published data cannot be read (the figure
    then shows the simulation alone; the data error itself is reported by the data
    commands, not by a figure)."""
    from growthpole.errors import GrowthpoleError

    try:
        return loader()
    except GrowthpoleError:
        return pd.DataFrame(columns=columns)


# ---------------------------------------------------------------------------------------
# figures
# ---------------------------------------------------------------------------------------


@styled
def rank_fan(
    city_year: pd.DataFrame,
    history: pd.DataFrame | None = None,
    *,
    top: int = TOP,
    title: str | None = None,
    marks: Mapping[int, str] | None = None,
) -> Figure:
    """Shaoxing's national GDP rank: published history and the simulated distribution.

    ``history``: a :func:`rank_history` table (computed from the active panel when None).
    Without a ``national_rank`` column in ``city_year`` (a run made before the ranking
    was wired in) the figure shows the history and says the simulated rank is missing.
    """
    if history is None:
        history = _or_empty(rank_history, ["year", "rank", "n_cities"])
    fig, ax = _new()
    rows = _region_rows(city_year)
    has_rank = "national_rank" in rows.columns and rows.national_rank.notna().any()
    if has_rank:
        bands = _bands(rows.dropna(subset=["national_rank"]), "national_rank")
        _fan(ax, bands, label="simulated median rank", replications=rows.replication.nunique())
    if len(history):
        ax.plot(
            history.year,
            history["rank"],
            color=COLOURS["history"],
            marker="o",
            ms=3,
            lw=1.5,
            label="published rank (city GDP panel)",
        )
    ax.axhline(top, color=COLOURS["threshold"], ls="--", lw=1.2, label=f"top-{top} threshold")
    ax.invert_yaxis()
    _marks(ax, marks)
    _year_axis(ax)
    ax.set_ylabel("national GDP rank among Chinese cities (1 = largest)")
    ax.set_title(title or f"{place_name('shaoxing')}: national GDP rank")
    if not has_rank:
        _message(
            ax,
            "simulated rank not available: this run's city_year has no\n"
            "'national_rank' column (run made without growthpole.ranking)",
        )
    ax.legend(loc="best", fontsize=8)
    low = min([top - 5, *(history["rank"].tolist() if len(history) else [])])
    high = max([top + 15, *(history["rank"].tolist() if len(history) else [])])
    if has_rank:
        low = min(low, float(bands.q05.min()))  # the drawn bands fit entirely
        high = max(high, float(bands.q95.max()))
    ax.set_ylim(high + 2, max(low - 2, 0.5))
    _note(
        fig,
        "History: rank within the national city GDP panel (one source per year: the "
        "imported panel where it covers the year; years with a partial panel left out). "
        "Simulated: competitor cities' growth model (growthpole.ranking); bands are "
        "quantiles across replications.",
    )
    return fig


def wilson_interval(
    successes: np.ndarray, trials: np.ndarray, z: float = 1.959964
) -> tuple[np.ndarray, np.ndarray]:
    """95% Wilson score interval of a binomial share (Wilson 1927, JASA 22:209); z is the
    standard normal 97.5% quantile."""
    successes = np.asarray(successes, dtype=float)
    trials = np.maximum(np.asarray(trials, dtype=float), 1.0)
    share = successes / trials
    denominator = 1.0 + z**2 / trials
    centre = (share + z**2 / (2 * trials)) / denominator
    half = z * np.sqrt(share * (1 - share) / trials + z**2 / (4 * trials**2)) / denominator
    return np.clip(centre - half, 0.0, 1.0), np.clip(centre + half, 0.0, 1.0)


@styled
def p_top30_by_year(
    tables: Mapping[str, pd.DataFrame], *, top: int = TOP, title: str | None = None
) -> Figure:
    """P(rank <= top) by year, one line per scenario.

    Each table is a run's ``summary`` (with ``p_top30``) or its ``city_year`` (with
    ``national_rank`` on the 'shaoxing' rows).
    """
    fig, ax = _new()
    drawn = bands = 0
    for name, table in tables.items():
        interval = None
        if "p_top30" in table.columns and top == TOP:
            series = table[["year", "p_top30"]].dropna()
            years, probability = series.year, series.p_top30
        elif "national_rank" in table.columns:
            rows = _region_rows(table).dropna(subset=["national_rank"])
            if rows.empty:  # a rank column without values (no national panel)
                continue
            grouped = rows.groupby("year").national_rank
            probability = grouped.apply(lambda r: float((r <= top).mean()))
            years = probability.index
            count = grouped.size().to_numpy()
            name = f"{name} ({rows.replication.nunique()} replications)"
            interval = wilson_interval(probability.to_numpy() * count, count)
        else:
            continue
        line = ax.plot(years, probability, marker="o", ms=3, lw=1.8, label=str(name))[0]
        if interval is not None:  # the share's Monte Carlo error, in the line's colour
            band = ax.fill_between(years, *interval, alpha=0.15, lw=0, color=line.get_color())
            band.set_gid(f"wilson:{name}")
            bands += 1
        drawn += 1
    ax.set_ylim(-0.03, 1.03)
    _year_axis(ax)
    ax.set_ylabel(f"P(national GDP rank ≤ {top}), probability 0-1")
    ax.set_title(title or f"{place_name('shaoxing')}: probability of a top-{top} rank")
    if drawn:
        ax.legend(title="scenario", fontsize=8, loc="best")
    else:
        _message(
            ax,
            "no scenario table has a national rank\n(p_top30 or national_rank "
            "columns): run with growthpole.ranking",
        )
    _note(
        fig,
        "Share of replications in which Shaoxing's simulated national GDP rank is "
        f"≤ {top}; common random numbers across scenarios."
        + (
            " Shaded: 95% Wilson interval for the share given the number of "
            "replications (Monte Carlo error only)."
            if bands
            else ""
        ),
    )
    return fig


@styled
def gdp_fan(
    city_year: pd.DataFrame,
    history: pd.DataFrame | None = None,
    *,
    region: str = "shaoxing",
    title: str | None = None,
    marks: Mapping[int, str] | None = None,
) -> Figure:
    """GDP (亿元, current prices): published history against the simulated band."""
    fig, ax = _new()
    rows = _region_rows(city_year, region)
    bands = _bands(rows, "gdp")
    _fan(ax, bands, label="simulated median", replications=rows.replication.nunique())
    if history is None and region == "shaoxing":
        history = _or_empty(published_gdp, ["year", "gdp", "origin"])
    if history is not None and len(history):
        start = int(bands.year.min())
        shown = history[history.year >= start - 15].set_index("year").gdp
        # missing years stay gaps in the line: nothing is interpolated
        shown = shown.reindex(range(int(shown.index.min()), int(shown.index.max()) + 1))
        ax.plot(
            shown.index,
            shown.to_numpy(),
            color=COLOURS["history"],
            marker="o",
            ms=3.5,
            lw=1.3,
            label="published GDP (gaps: year not published in the panel)",
        )
        _marks(ax, {start: "simulation starts"})
    _marks(ax, marks)
    _year_axis(ax)
    ax.set_ylabel(f"GDP, {gdp_unit()}, current prices")
    ax.set_title(title or f"{place_name(region)}: GDP, published and simulated")
    ax.legend(loc="upper left", fontsize=8)
    ax.yaxis.set_major_formatter(matplotlib.ticker.StrMethodFormatter("{x:,.0f}"))
    _note(
        fig,
        "Published: data/city_gdp.csv and the imported city panel (yearbook and "
        "bulletin vintages, data/README.md). Simulated: quantiles across replications.",
    )
    return fig


def sector_share_table(city_year: pd.DataFrame, region: str = "shaoxing") -> pd.DataFrame:
    """Per year (index): % of real GDP by sector (``va_<sector>``) and ``nonmodelled``; each
    replication's shares first, then their mean, so every row sums to 100."""
    rows = _region_rows(city_year, region)
    columns = [f"va_{s}" for s in SECTORS if f"va_{s}" in rows.columns]
    if not columns:
        raise ValueError("city_year has no va_<sector> columns")
    parts = rows[["year", *columns]].copy()
    parts["nonmodelled"] = rows["nonmodelled_gdp"] if "nonmodelled_gdp" in rows else 0.0
    total = parts[[*columns, "nonmodelled"]].sum(axis=1).replace(0.0, np.nan)
    shares = parts[[*columns, "nonmodelled"]].div(total, axis=0) * 100.0
    shares["year"] = parts.year
    return shares.groupby("year").mean()


@styled
def sector_shares(
    city_year: pd.DataFrame, *, region: str = "shaoxing", title: str | None = None
) -> Figure:
    """Composition of real GDP by sector (% of GDP, base-year prices), mean across
    replications; the non-modelled part (agriculture, public services, real estate) in grey.
    """
    mean = sector_share_table(city_year, region)
    columns = [c for c in mean.columns if c.startswith("va_")]
    fig, ax = _new(figsize=(8.8, 4.8))
    tab10 = cast(ListedColormap, plt.get_cmap("tab10"))  # a qualitative (listed) colour map
    # its colours: a tuple of RGB tuples (matplotlib types them as ArrayLike)
    tab10_colours = cast(Sequence[tuple[float, float, float]], tab10.colors)
    palette = [tab10_colours[i] for i in (0, 1, 2, 3, 4, 5, 6, 9, 8)]
    colours = [*palette[: len(columns)], (0.8, 0.8, 0.8)]  # grey only for the non-modelled
    labels = [SECTOR_LABELS.get(c[3:], c[3:]) for c in columns]
    labels.append("Non-modelled GDP (agriculture,\npublic services, real estate)")
    ax.stackplot(mean.index, mean.to_numpy().T, labels=labels, colors=colours, alpha=0.9)
    ax.set_xlim(mean.index.min(), mean.index.max())
    ax.set_ylim(0, 100)
    _year_axis(ax)
    ax.set_ylabel("share of real GDP, % (base-year prices)")
    ax.set_title(title or f"{place_name(region)}: GDP by sector")
    handles, legend_labels = ax.get_legend_handles_labels()
    ax.legend(
        handles[::-1],
        legend_labels[::-1],
        loc="center left",
        bbox_to_anchor=(1.01, 0.5),
        fontsize=8,
    )
    _note(
        fig,
        "Firms' value added by sector plus the non-modelled part of GDP; mean share "
        "across replications. Sector mix at the start is assumed (docs/model.md).",
    )
    return fig
