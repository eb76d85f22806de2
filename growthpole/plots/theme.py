"""The look shared by every figure: fonts (a CJK font when installed), place names,
units, outcome and factor labels, colours, the rcParams of :func:`style`, the
:func:`styled` decorator every figure function wears, :func:`save_figure`, and the small
axis helpers the subject modules share."""

from __future__ import annotations

import functools
import re
import textwrap
from collections.abc import Callable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, cast

import matplotlib.pyplot as plt
import matplotlib.ticker
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

from growthpole.regions import (
    REGION_NAMES_ZH,
)

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
    # every figure of this package is made by _new, with the constrained layout
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


#: what an outcome name of growthpole.experiments.sensitivity measures ({unit}: its unit)
OUTCOME_LABELS: dict[str, str] = {
    "gdp": "Shaoxing GDP in {year}, {unit}",
    "gdp_real": "Shaoxing real GDP in {year}, {unit}",
    "rank": "Shaoxing's national rank in {year}, {unit}",
    "p_top30": "P(rank ≤ 30 in {year}), {unit}",
    "p_top30_by": "P(rank ≤ 30 in some year up to {year}), {unit}",
    "population": "Shaoxing residents in {year}, {unit}",
}


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
    'pillar.X' the pillar's name, a structural parameter its meaning (growthpole.parameters,
    with its unit: 'dimensionless' for a pure number); wrapped at ``width``."""
    from growthpole.levers import LEVERS
    from growthpole.parameters import PARAMETER_SPECS

    name = str(name)
    pillar = name.removeprefix("pillar.").removeprefix("pillar:")
    parameter = name.removeprefix("parameter.").removeprefix("parameters.")
    if name in LEVERS:
        lever = LEVERS[name]
        title = lever.title if use_cjk() else latin_text(lever.title)
        text, suffix = title, f"({lever.unit})"
    elif pillar != name and pillar in PILLAR_LABELS:
        text, suffix = f"pillar: {PILLAR_LABELS[pillar]}", "(multiple of its levers' values)"
    elif parameter in PARAMETER_SPECS:
        spec = PARAMETER_SPECS[parameter]
        meaning = spec.meaning if len(spec.meaning) <= 2 * width else parameter
        text = f"{meaning.replace('_', ' ')} ({spec.symbol})"
        text = text if use_cjk() else latin_text(text)
        suffix = "(dimensionless)" if spec.unit == "1" else f"(unit: {spec.unit})"
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
