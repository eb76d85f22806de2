"""Figures of runs, sweeps and calibrations (matplotlib; never imported by the model).

Every function takes the project's tables (``city_year`` of a run, ``summary.csv``, sweep
and attribution tables, the published city panel) and returns a :class:`matplotlib.figure.
Figure`; nothing here runs the model. Axes carry units (GDP in 亿元 = 100 million yuan,
people in 万人 = 10,000 people). Place names are Chinese when a CJK font (Noto Sans CJK,
Debian's ``fonts-noto-cjk``) is found and English otherwise, so no label renders as empty
boxes (:func:`cjk_font`).

Figures:

- :func:`rank_fan`: Shaoxing's national GDP rank, published history and simulated bands,
  with the top-30 line;
- :func:`p_top30_by_year`: P(rank <= 30) by year, one line per scenario;
- :func:`gdp_fan`: Shaoxing GDP, published history against the simulated band;
- :func:`sector_shares`: composition of GDP by sector over time;
- :func:`corridor_map`: the nine regions at their coordinates with net flows of people and
  firms as arrows;
- :func:`attribution_waterfall`: the share of a gain owed to each policy pillar (Shapley
  values of growthpole.experiments.attribution, or any pillar/contribution table);
- :func:`calibration_fit`: published against simulated calibration moments;
- :func:`sensitivity_indices`: Morris / Sobol' / delta indices of a sweep.

Published history: :func:`rank_history` (national rank from growthpole.panel's ranking panel,
only years with a complete national panel) and :func:`published_gdp`. Nothing is
interpolated: a year without a published value is a gap in the line.
"""

from __future__ import annotations

import functools
import math
import re
import textwrap
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, cast

import matplotlib.pyplot as plt
import matplotlib.ticker
import numpy as np
import pandas as pd
from matplotlib import font_manager
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

from growthpole.regions import (
    REGION_NAMES_ZH,
    REGIONS,
    SECTORS,
    SHAOXING_CITY_CODE,
    SHAOXING_REGIONS,
)

TOP = 30  # the threshold of the research question: China's top 30 cities by GDP
GDP_UNIT = "亿元 (100 million yuan)"
PEOPLE_UNIT = "万人 (10,000 people)"
#: the units in Latin script, for a machine without a CJK font
LATIN_UNITS: dict[str, str] = {
    GDP_UNIT: "100 million yuan",
    PEOPLE_UNIT: "10,000 people",
    "亿元": "100 million yuan",
    "万人": "10,000 people",
}
_CJK = re.compile(r"[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]+")

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
PILLAR_LABELS: dict[str, str] = {
    "integration": "Integration (融杭联甬接沪)",
    "platforms": "Platforms",
    "industry_upgrade": "Industry upgrading",
    "innovation_talent": "Innovation & talent",
    "green": "Green development",
    "business_environment": "Business environment",
}
ENGLISH_NAMES: dict[str, str] = {
    "yuecheng": "Yuecheng",
    "keqiao": "Keqiao",
    "shangyu": "Shangyu",
    "zhuji": "Zhuji",
    "shengzhou": "Shengzhou",
    "xinchang": "Xinchang",
    "hangzhou": "Hangzhou",
    "ningbo": "Ningbo",
    "shanghai": "Shanghai",
    "shaoxing": "Shaoxing",
}
CHINESE_NAMES: dict[str, str] = {**REGION_NAMES_ZH, "shaoxing": "绍兴市"}
#: label placement on the corridor map: (longitude, latitude) offsets in degrees from the
#: region's seat, chosen so that labels stay clear of the vertical flow arrows and of each
#: other (the Shaoxing units sit close together); a leader line joins label and dot
LABEL_OFFSETS: dict[str, tuple[float, float]] = {
    "keqiao": (-0.42, 0.05),
    "yuecheng": (-0.45, -0.13),
    "shangyu": (0.2, 0.12),
    "zhuji": (-0.3, -0.12),
    "shengzhou": (0.25, -0.02),
    "xinchang": (0.2, -0.12),
    "hangzhou": (-0.2, 0.2),
    "ningbo": (0.15, -0.15),
    "shanghai": (0.15, -0.12),
}
COLOURS = {
    "history": "#222222",
    "median": "#1f5fa8",
    "band90": "#9ecae1",
    "band50": "#4f8fcf",
    "threshold": "#c0392b",
    "gain": "#2e8b57",
    "loss": "#c0392b",
    "inflow": "#6a3d9a",
}


# ---------------------------------------------------------------------------------------
# fonts and names
# ---------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """Family name of an installed CJK font (Noto Sans CJK preferred), or None.

    Fonts installed after matplotlib built its font cache are not in ``fontManager``; the
    system font directories are therefore scanned too and any Noto CJK file found is added.
    """

    def known() -> list[str]:
        names = sorted({f.name for f in font_manager.fontManager.ttflist})
        preferred = [n for n in names if n.startswith("Noto Sans CJK")]
        for wanted in ("Noto Sans CJK SC", "Noto Sans CJK JP"):
            if wanted in preferred:
                return [wanted]
        others = [
            n
            for n in names
            if "CJK" in n
            or n
            in (
                "WenQuanYi Zen Hei",
                "WenQuanYi Micro Hei",
                "SimHei",
                "Microsoft YaHei",
                "PingFang SC",
                "Source Han Sans SC",
                "AR PL UMing CN",
            )
        ]
        return preferred + others

    found = known()
    if not found:
        for path in font_manager.findSystemFonts():
            name = Path(path).name.lower()
            if "cjk" in name or "wqy" in name or "sourcehansans" in name:
                try:
                    font_manager.fontManager.addfont(path)
                except (OSError, RuntimeError, ValueError):  # pragma: no cover - broken file
                    continue
        found = known()
    return found[0] if found else None


def use_cjk() -> bool:
    """True when Chinese labels can be drawn (a CJK font is installed)."""
    return cjk_font() is not None


def place_name(region: str) -> str:
    """Label of a region: '柯桥区 Keqiao' with a CJK font, 'Keqiao' without."""
    english = ENGLISH_NAMES.get(region, region.replace("_", " ").title())
    if use_cjk() and region in CHINESE_NAMES:
        return f"{CHINESE_NAMES[region]} {english}"
    return english


def gdp_unit() -> str:
    """'亿元 (100 million yuan)', or '100 million yuan' without a CJK font."""
    return GDP_UNIT if use_cjk() else LATIN_UNITS[GDP_UNIT]


def people_unit() -> str:
    """'万人 (10,000 people)', or '10,000 people' without a CJK font."""
    return PEOPLE_UNIT if use_cjk() else LATIN_UNITS[PEOPLE_UNIT]


def latin_text(text: str) -> str:
    """``text`` without Chinese characters (units spelled out, CJK runs dropped, stray
    punctuation tidied): what a figure shows when no CJK font is installed."""
    for chinese, latin in LATIN_UNITS.items():
        text = text.replace(chinese, latin)
    if not _CJK.search(text):
        return text
    lines = []
    for line in text.split("\n"):
        line = _CJK.sub(" ", line).replace("“", "").replace("”", "")
        line = re.sub(r"\(\s*[/,;:]*\s*\)", "", line)
        line = re.sub(r"\s+([,;:)])", r"\1", re.sub(r"\s{2,}", " ", line))
        lines.append(line.strip(" :/;,-"))
    return "\n".join(lines)


def _latin_figure(fig: Figure) -> Figure:
    """Replace Chinese text in every text artist of ``fig`` (no CJK font: no empty boxes)."""
    from matplotlib.text import Text

    for artist in fig.findobj(Text):
        text = artist.get_text()
        if text and (_CJK.search(text)):
            artist.set_text(latin_text(text))
    for ax in fig.axes:  # tick labels given as names are re-made from the formatter at draw
        for axis in (ax.xaxis, ax.yaxis):
            labels = [t.get_text() for t in axis.get_ticklabels()]
            if any(_CJK.search(label) for label in labels):
                axis.set_ticks(axis.get_ticklocs(), [latin_text(label) for label in labels])
    return fig


def style() -> dict[RcKeyType, Any]:
    """rcParams for every figure: DejaVu Sans for Latin text, the CJK font as fallback."""
    family = ["DejaVu Sans"]
    if cjk_font():
        family.append(str(cjk_font()))
    return {
        "font.family": family,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "figure.dpi": 100,
        "savefig.dpi": 150,
        "legend.frameon": False,
        "axes.titleweight": "bold",
        "axes.titlesize": 11,
        "axes.labelsize": 10,
        "axes.unicode_minus": False,
    }


P = ParamSpec("P")


def styled(function: Callable[P, Figure]) -> Callable[P, Figure]:
    """Build the figure inside :func:`style` (text objects take their font when created)."""

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> Figure:
        with plt.rc_context(style()):
            fig = function(*args, **kwargs)
        return fig if use_cjk() else _latin_figure(fig)

    return wrapper


def _new(nrows: int = 1, ncols: int = 1, figsize=(8.0, 4.8), **kwargs):
    """A Figure (not registered with pyplot: no memory leak in loops) and its axes."""
    fig = Figure(figsize=figsize, layout="constrained")
    axes = fig.subplots(nrows, ncols, **kwargs)
    return fig, axes


def save_figure(fig: Figure, path: str | Path) -> Path:
    """Write a PNG atomically (temporary file renamed into place)."""
    from growthpole.io import atomic_path

    path = Path(path)
    with plt.rc_context(style()), atomic_path(path) as tmp:
        fig.savefig(tmp, format="png", dpi=150)
    return path


def _note(fig: Figure, text: str) -> None:
    """A source / caveat line under the axes."""
    fig.text(0.01, 0.01, text, ha="left", va="bottom", fontsize=7.5, color="#555555", wrap=True)
    # every figure of this module is made by _new, with the constrained layout
    cast(ConstrainedLayoutEngine, fig.get_layout_engine()).set(rect=(0, 0.07, 1, 0.93))


def _year_axis(ax) -> None:
    """Whole years on the x axis, labelled."""
    ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    ax.set_xlabel("year")


def _marks(ax, marks: Mapping[int, str] | None) -> None:
    """Dotted vertical lines at given years, labelled (e.g. the end of a fitting window)."""
    for year, label in (marks or {}).items():
        ax.axvline(year, color="#888888", lw=0.8, ls=":")
        ax.annotate(
            f" {label}",
            (year, 1.0),
            xycoords=("data", "axes fraction"),
            fontsize=8,
            va="top",
            color="#555555",
        )


def _message(ax, text: str) -> None:
    ax.text(
        0.5,
        0.5,
        text,
        ha="center",
        va="center",
        transform=ax.transAxes,
        fontsize=10,
        color="#7a1f1f",
        wrap=True,
        bbox={"boxstyle": "round", "facecolor": "#fff4f0", "edgecolor": "#d9a19a"},
    )


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


def net_flows(city_year: pd.DataFrame, years: tuple[int, int]) -> pd.DataFrame:
    """Per region (index: the nine regions): flows summed over the inclusive ``years`` and
    averaged across replications; ``people`` = migration in - out (万人), ``firms`` =
    relocations in - out (firm agents)."""
    columns = ["migration_in", "migration_out", "relocations_in", "relocations_out"]
    rows = city_year[city_year.region.isin(REGIONS) & city_year.year.between(*years)]
    if "replication" not in rows:
        rows = rows.assign(replication=0)
    flows = (
        rows.groupby(["replication", "region"])[columns]
        .sum()
        .groupby("region")
        .mean()
        .reindex(list(REGIONS))
        .fillna(0.0)
    )
    flows["people"] = flows.migration_in - flows.migration_out
    flows["firms"] = flows.relocations_in - flows.relocations_out
    return flows


def shaoxing_outline(coords: pd.DataFrame, pad: float = 0.09) -> np.ndarray:
    """A schematic outline of Shaoxing: the convex hull of its six units' seats, each vertex
    pushed ``pad`` degrees outward from the centroid ((n, 2) lon/lat, closed). Not the
    administrative boundary (the repository ships no boundary geometry)."""
    from scipy.spatial import ConvexHull

    points = coords.loc[list(SHAOXING_REGIONS), ["longitude", "latitude"]].to_numpy(float)
    hull = points[ConvexHull(points).vertices]
    centre = points.mean(axis=0)
    direction = hull - centre
    direction /= np.linalg.norm(direction, axis=1, keepdims=True)
    outline = hull + pad * direction
    return np.vstack([outline, outline[:1]])


def external_inflow(city_year: pd.DataFrame, years: tuple[int, int]) -> pd.Series:
    """Migration from outside the corridor (万人) summed over the inclusive ``years`` and
    averaged across replications: Shaoxing (its six units) and each pole."""
    rows = city_year[city_year.year.between(*years)]
    if "replication" not in rows:
        rows = rows.assign(replication=0)
    if "external_inflow" not in rows:
        return pd.Series(dtype=float)
    sums = rows.groupby(["replication", "region"]).external_inflow.sum().groupby("region").mean()
    return sums.reindex(["shaoxing", *(r for r in REGIONS if r not in SHAOXING_REGIONS)]).fillna(
        0.0
    )


@styled
def corridor_map(
    city_year: pd.DataFrame,
    *,
    coordinates: pd.DataFrame | None = None,
    years: tuple[int, int] | None = None,
    title: str | None = None,
) -> Figure:
    """The nine regions at their coordinates with *net* flows as arrows, on a schematic
    outline of Shaoxing.

    Left: people, 万人: each region's net migration within the corridor (vertical arrows:
    up = gain, green; down = loss, red) and the inflow from the rest of China (purple
    arrows from the west into Shaoxing and into each pole), all on one scale so the largest
    flow is the longest arrow. Right: net firm relocations (firm agents). Flows are summed
    over ``years`` (default: the whole run) and averaged across replications. The model
    records each region's gross in- and outflows, not an origin-destination matrix, so a
    vertical arrow is a region's net gain or loss, not a route. Marker area: GDP in the last
    year.
    """
    if coordinates is None:
        from growthpole.data import REGIONS_SCHEMA, load

        coordinates = load(REGIONS_SCHEMA)
    coords = coordinates.set_index("region_id")[["latitude", "longitude"]].astype(float)
    rows = city_year[city_year.region.isin(REGIONS)]
    first, last = years or (int(rows.year.min()) + 1, int(rows.year.max()))
    flows = net_flows(city_year, (first, last))
    inflow = external_inflow(city_year, (first, last))
    gdp_last = rows[rows.year == last].groupby("region").gdp.mean()
    outline = shaoxing_outline(coords)
    centre: np.ndarray = outline[:-1].mean(axis=0)

    fig, axes = _new(1, 2, figsize=(13.0, 6.2))
    lat0 = math.radians(float(coords.latitude.mean()))
    specs = (
        ("people", f"people: net migration and inflow {first}-{last}, {people_unit()}"),
        ("firms", f"firms: net relocations {first}-{last}, firm agents"),
    )
    lon_min, lon_max = float(coords.longitude.min()), float(coords.longitude.max())
    lat_min, lat_max = float(coords.latitude.min()), float(coords.latitude.max())
    longest = 0.32  # degrees of latitude: the arrow of the largest flow in a panel
    # inflows come from the west (the rest of China); into Shaoxing from the south-west, to
    # the edge of its outline between Zhuji and Shengzhou, clear of the units' labels
    from_west = np.array([-1.0, -0.35]) / math.hypot(1.0, 0.35)
    from_south_west = np.array([-0.45, -0.9]) / math.hypot(0.45, 0.9)
    for ax, (column, subtitle) in zip(axes, specs, strict=True):
        values = flows[column].reindex(REGIONS).fillna(0.0)
        extra = inflow if column == "people" else pd.Series(dtype=float)
        scale = max(
            float(values.abs().max()), float(extra.abs().max()) if len(extra) else 0.0, 1e-9
        )
        ax.fill(
            outline[:, 0],
            outline[:, 1],
            facecolor="#fbe8c8",
            edgecolor="#d08c1e",
            lw=1.0,
            ls="--",
            zorder=0,
            label="Shaoxing (schematic outline: hull of its six units' seats, not the boundary)",
        )
        for pole in ("hangzhou", "ningbo", "shanghai"):
            ax.plot(
                [centre[0], coords.loc[pole, "longitude"]],
                [centre[1], coords.loc[pole, "latitude"]],
                color="#bbbbbb",
                lw=1,
                ls=":",
                zorder=1,
            )
        ax.set_aspect(1.0 / math.cos(lat0))
        ax.set_xlim(lon_min - 0.95, lon_max + 0.55)
        ax.set_ylim(lat_min - 0.35, lat_max + 0.3)
        ax.apply_aspect()
        height_pt = ax.get_position().height * fig.get_figheight() * 72.0
        points_per_degree = height_pt / (ax.get_ylim()[1] - ax.get_ylim()[0])
        size = gdp_last.reindex(REGIONS).fillna(0.0)
        areas = 40 + 600 * np.sqrt(size / max(float(size.max()), 1e-9))  # points²
        ax.scatter(
            coords.loc[list(REGIONS), "longitude"],
            coords.loc[list(REGIONS), "latitude"],
            s=areas,
            c=["#e6a23c" if r in SHAOXING_REGIONS else "#7f8c8d" for r in REGIONS],
            alpha=0.75,
            edgecolors="#333333",
            linewidths=0.6,
            zorder=2,
        )
        for region in REGIONS:
            lon, lat = coords.loc[region, "longitude"], coords.loc[region, "latitude"]
            value = float(values[region])
            length = longest * abs(value) / scale
            radius_pt = math.sqrt(float(areas[region]) / math.pi)
            if abs(value) > 0.0 and length > 0.01:
                # the arrow starts at the marker's edge, its visible length ~ the net flow
                direction = 1.0 if value > 0 else -1.0
                tip = lat + direction * (length + radius_pt / points_per_degree)
                arrow = ax.annotate(
                    "",
                    xy=(lon, tip),
                    xytext=(lon, lat),
                    arrowprops={
                        "arrowstyle": "-|>",
                        "lw": 2.2,
                        "mutation_scale": 14,
                        "shrinkA": radius_pt,
                        "shrinkB": 0,
                        "color": COLOURS["gain"] if value > 0 else COLOURS["loss"],
                    },
                    zorder=3,
                )
                arrow.set_gid(f"flow:{column}:{region}")
            dx, dy = LABEL_OFFSETS[region]
            ax.annotate(
                f"{place_name(region)}\n{_signed(value)}",
                (lon, lat),
                xytext=(lon + dx, lat + dy),
                textcoords="data",
                fontsize=8,
                ha="right" if dx < 0 else "left",
                va="center",
                zorder=4,
                bbox={
                    "boxstyle": "round,pad=0.15",
                    "facecolor": "white",
                    "edgecolor": "none",
                    "alpha": 0.85,
                },
                arrowprops={
                    "arrowstyle": "-",
                    "color": "#888888",
                    "lw": 0.6,
                    "shrinkA": 0,
                    "shrinkB": radius_pt,
                },
            )
        for destination, value in extra.items():
            if value <= 0:
                continue
            if destination == "shaoxing":
                target, radius, heading = centre, 0.2, from_south_west
            else:
                target = coords.loc[destination, ["longitude", "latitude"]].to_numpy(float)
                radius = math.sqrt(float(areas[destination]) / math.pi) / points_per_degree
                heading = from_west
            length = longest * value / scale
            start = target + heading * (length + radius)
            end = target + heading * radius
            arrow = ax.annotate(
                "",
                xy=tuple(end),
                xytext=tuple(start),
                arrowprops={
                    "arrowstyle": "-|>",
                    "lw": 2.6,
                    "mutation_scale": 15,
                    "color": COLOURS["inflow"],
                    "shrinkA": 0,
                    "shrinkB": 0,
                },
                zorder=3,
            )
            arrow.set_gid(f"inflow:people:{destination}")
            into = "Shaoxing" if destination == "shaoxing" else place_name(destination)
            below = destination == "shaoxing"  # under the tail; the poles' above it
            ax.annotate(
                f"{_signed(value)} into {into}\nfrom the rest of China",
                tuple(start),
                xytext=(0, -3) if below else (-3, 3),
                textcoords="offset points",
                fontsize=7.5,
                ha="center" if below else "right",
                va="top" if below else "bottom",
                color=COLOURS["inflow"],
                zorder=4,
            )
        ax.xaxis.set_major_locator(matplotlib.ticker.MultipleLocator(0.5))
        ax.yaxis.set_major_locator(matplotlib.ticker.MultipleLocator(0.5))
        ax.set_xlabel("longitude, degrees east")
        ax.set_ylabel("latitude, degrees north")
        ax.set_title(subtitle, fontsize=10)
        ax.legend(loc="upper left", fontsize=7.5)
    fig.suptitle(title or "The corridor: where people and firms moved", fontweight="bold")
    _note(
        fig,
        "Vertical arrows: net gain (up, green) or loss (down, red) of each region within "
        "the corridor, mean across replications (the model records gross in/out flows "
        "per region, not routes). Purple: migration from the rest of China into Shaoxing "
        "(its six units together) and into each pole, on the same scale. Marker area ~ "
        f"GDP in {last}. Coordinates: data/regions.csv.",
    )
    return fig


def _signed(value: float) -> str:
    """+1,234 / +12.3 / +0.123: readable signed numbers for bar labels."""
    size = abs(value)
    if size == 0:
        return "0"
    if size >= 100:
        return f"{value:+,.0f}"
    if size >= 1:
        return f"{value:+.1f}"
    return f"{value:+.3f}"


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


#: what an outcome name of growthpole.experiments.sensitivity measures ({unit}: its unit)
OUTCOME_LABELS: dict[str, str] = {
    "gdp": "Shaoxing GDP in {year}, {unit}",
    "gdp_real": "Shaoxing real GDP in {year}, {unit}",
    "rank": "Shaoxing's national rank in {year}, {unit}",
    "p_top30": "P(rank ≤ 30 in {year}), {unit}",
    "p_top30_by": "P(rank ≤ 30 in some year up to {year}), {unit}",
    "population": "Shaoxing residents in {year}, {unit}",
}
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


def outcome_unit(outcome: str) -> str:
    """Unit of a sensitivity/attribution outcome name ('gdp:2035' -> 亿元, 'rank:2030' ->
    places)."""
    kind = str(outcome).partition(":")[0]
    if kind in ("gdp", "gdp_real"):
        return gdp_unit() + (", current prices" if kind == "gdp" else ", base-year prices")
    if kind == "population":
        return people_unit()
    if kind == "rank":
        return "places (1 = largest GDP)"
    if kind.startswith("p_"):
        return "probability, 0-1"
    return "outcome's unit"


def outcome_label(outcome: str) -> str:
    """'Shaoxing GDP in 2035, 亿元 (100 million yuan), current prices' for 'gdp:2035'."""
    kind, _, year = str(outcome).partition(":")
    template = OUTCOME_LABELS.get(kind, kind.replace("_", " ") + " in {year}, {unit}")
    return template.format(year=year or "the last year", unit=outcome_unit(outcome))


def factor_label(name: str, *, unit: bool = True, width: int = 34) -> str:
    """Readable label of a sweep factor: a lever key becomes its catalogue title (and unit),
    'pillar.X' the pillar's name, a parameter its name in words; wrapped at ``width``."""
    from growthpole.levers import LEVERS

    name = str(name)
    pillar = name.removeprefix("pillar.").removeprefix("pillar:")
    if name in LEVERS:
        lever = LEVERS[name]
        title = lever.title if use_cjk() else latin_text(lever.title)
        text, suffix = title, f"({lever.unit})"
    elif pillar != name and pillar in PILLAR_LABELS:
        text, suffix = f"pillar: {PILLAR_LABELS[pillar]}", "(multiple of its levers' values)"
    else:
        text, suffix = name.replace("_", " "), ""
    lines = textwrap.wrap(text, width, break_on_hyphens=False, max_lines=2, placeholder=" …") or [
        name
    ]
    if unit and suffix:
        lines += textwrap.wrap(
            suffix, width, break_on_hyphens=False, max_lines=2, placeholder=" …)"
        )
    return "\n".join(lines)


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
    """
    if index is None:
        present = set(table["index"])
        index = next((i for i in ("mu_star", "ST", "delta", "S1") if i in present), None)
        if index is None:
            raise ValueError("the table holds no sensitivity index (outcomes constant?)")
    rows = table[table["index"] == index]
    outcomes = list(dict.fromkeys(rows.outcome))
    fig, axes = _new(
        1,
        len(outcomes),
        figsize=(6.0 * len(outcomes), 0.75 * rows.factor.nunique() + 2.4),
        squeeze=False,
    )
    truncated = False
    for ax, outcome in zip(axes.flat, outcomes, strict=True):
        block = rows[rows.outcome == outcome].sort_values("estimate")
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
        ax.set_title(outcome_label(outcome), fontsize=9.5)
        ax.set_xlabel(_index_axis_label(index, outcome))
        ax.set_ylabel("factor (lever or pillar)")
        ax.axvline(0, color="#333333", lw=0.8)
        if index in NON_NEGATIVE_INDICES:
            ax.set_xlim(left=0)
    n = int(rows.variants.iloc[0]) if "variants" in rows else None
    fig.suptitle(
        title or "Which factors matter: sensitivity indices with 95% bootstrap intervals",
        fontweight="bold",
    )
    notes = []
    if n:
        notes.append(
            f"{n} variants x {int(rows.replications.iloc[0])} replications "
            f"(common random numbers); method: {rows.method.iloc[0]}."
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


# ---------------------------------------------------------------------------------------
# comparisons and sweeps (growthpole report COMPARE_DIR / SWEEP_DIR)
# ---------------------------------------------------------------------------------------


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
        if i % columns == 0:
            ax.set_ylabel(outcome_label(outcome), fontsize=8)
    fig.suptitle(title or f"{outcome_label(outcome)}, by factor", fontsize=10, fontweight="bold")
    _note(
        fig,
        f"One point per design variant ({len(table)}): the outcome averaged over its "
        f"replications; the other factors vary at the same time.",
    )
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
