"""City GDP panels: importing a user's panel, the per-year ranking panel, comparisons.

Importing
    ``growthpole data import PATH`` reads a city GDP panel (a licensed CSMAR export or a
    yearbook panel), checks it against the schema of data/city_gdp.csv and stores it in the
    git-ignored ``data/imported/`` (licensed data stay on the user's machine). Two input
    formats are accepted:

    * the tidy format of the reference panel: ``year, city_code, gdp_100m_cny`` and optionally
      ``city_en`` or ``city``, ``vintage``, ``source``;
    * CSMAR's own export of table CRE_Gdpct (China Regional Economy, city GDP): ``Sgnyea``
      (year), ``Ctnm_id`` (city code), ``Ctnm_en`` or ``Ctnm`` (city name), ``Gdpct01`` (GDP,
      亿元). Field names from CSMAR's description file ``CRE_Gdpct[DES][csv].txt``. CSMAR
      exports often carry one or two description rows under the header (field titles, units):
      leading rows whose year is not a number are dropped.

    Empty GDP cells and zeros (CSMAR codes some missing values as 0) are gaps: dropped, never
    filled.

The ranking panel (one source and one vintage per year)
    The shipped data/city_gdp.csv is a national panel for ranks: the yearbook figures of
    2000-2021 of every city ever in the national top 60 in those years (and the 2021 ranks
    61-72), and the cities' own bulletins for 2022-2024 where found (data/README.md lists the
    gaps). A national rank is only meaningful within one source and vintage for a given year
    (data/README.md: "do not mix vintages within one ranking year"). :func:`ranking_panel`
    therefore takes, for each year, the rows of a single source (an imported panel replaces
    the shipped rows year by year) and a single vintage
    (:func:`growthpole.data.select_one_vintage_per_year`).

    A year is *national* (:func:`national_years`: a complete cross-section for a rank to
    60) when it holds at least :data:`NATIONAL_TOP` cities and at least
    :data:`NATIONAL_COVERAGE` of the previous national year's top 60. Because every city
    above a city ranked <= 60 is itself in that year's top 60, a rank <= 60 computed from a
    national year of the top-60 union equals the rank in the full yearbook cross-section.
    Later years with fewer cities are *partial*: realised where published, and the
    competitor model simulates the missing cities (growthpole.ranking).

Comparison
    :func:`compare_panels` measures agreement of two panels on their overlapping (city, year)
    values (share within a relative tolerance, default 1%); :func:`historical_rank` computes a
    city's rank per year (1 + number of cities in the same year with strictly higher GDP).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from growthpole import data as data_module
from growthpole.errors import DataError
from growthpole.io import write_csv
from growthpole.outcomes import TOP

#: CSMAR CRE_Gdpct export column -> tidy name (CRE_Gdpct[DES][csv].txt: Sgnyea [Year Sign],
#: Ctnm_en [Name Of City], Ctnm_id [City Code], Gdpct01 [Gdp] (unit: 100 million)).
#: ``Ctnm`` is the city-name field of CSMAR's Chinese-language exports.
CSMAR_COLUMNS = {
    "Sgnyea": "year",
    "Ctnm_id": "city_code",
    "Ctnm_en": "city",
    "Ctnm": "city",
    "Gdpct01": "gdp_100m_cny",
}

#: a national year holds at least this many cities, and ranks are exact up to this rank
NATIONAL_TOP = 60
#: ... and at least this share of the previous national year's top NATIONAL_TOP cities
NATIONAL_COVERAGE = 0.95


def read_panel(path: Path) -> pd.DataFrame:
    """Read a panel in either accepted format into the city_gdp.csv schema (strings)."""
    if not path.is_file():
        raise DataError("panel file does not exist", file=path)
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise DataError("not UTF-8 text (save the export as UTF-8 CSV)", file=path) from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
        raise DataError(f"corrupt CSV: {str(exc).splitlines()[0]}", file=path) from None
    raw.columns = [str(c).strip() for c in raw.columns]
    csmar = [c for c in CSMAR_COLUMNS if c in raw.columns]
    if csmar:
        renames: dict[str, str] = {}
        for column in csmar:  # first matching CSMAR name wins (Ctnm_en before Ctnm)
            target = CSMAR_COLUMNS[column]
            if target not in renames.values() and target not in raw.columns:
                renames[column] = target
        raw = raw.rename(columns=renames)
        # CSMAR description rows (field titles, units) under the header
        if "year" in raw.columns:
            leading = 0
            years = raw["year"].astype(str).str.strip()
            while leading < min(2, len(raw)) and not years.iloc[leading].isdigit():
                leading += 1
            raw = raw.iloc[leading:].reset_index(drop=True)
    if "city" not in raw.columns:
        raw["city"] = raw["city_en"] if "city_en" in raw.columns else raw.get("city_code", "")
    needed = ("year", "city_code", "gdp_100m_cny")
    missing = [c for c in needed if c not in raw.columns]
    if missing:
        raise DataError(
            f"missing column(s) {', '.join(missing)}; expected the tidy format "
            f"(year, city_code, gdp_100m_cny) or CSMAR CRE_Gdpct names "
            f"(Sgnyea, Ctnm_id, Ctnm_en, Gdpct01)",
            file=path,
        )
    frame = pd.DataFrame(
        {
            "city_code": raw.city_code.astype(str).str.strip(),
            "city": raw.city.astype(str).str.strip(),
            "year": raw.year.astype(str).str.strip(),
            "gdp_100m_cny": raw.gdp_100m_cny.astype(str).str.strip(),
            "vintage": (
                raw["vintage"]
                if "vintage" in raw.columns
                else pd.Series("yearbook", index=raw.index)
            ),
            "source": (
                raw["source"]
                if "source" in raw.columns
                else pd.Series(f"imported from {path.name}", index=raw.index)
            ),
        }
    )
    # empty GDP cells are gaps, not zeros: drop them (never fill)
    frame = frame[frame.gdp_100m_cny != ""]
    numeric = pd.to_numeric(frame.gdp_100m_cny, errors="coerce")
    negative = numeric < 0
    if negative.any():
        row = int(np.flatnonzero(negative.to_numpy())[0])
        raise DataError(
            f"row {int(frame.index[row]) + 2}: GDP {numeric[negative].iloc[0]} is "
            f"negative; GDP must be positive (empty or 0 for a gap)",
            file=path,
            key="gdp_100m_cny",
        )
    frame = frame[~(numeric == 0)]  # CSMAR codes some missing values as 0
    if frame.empty:
        raise DataError(
            "the panel holds no (city, year) GDP value; expected one row per city and year",
            file=path,
            key="gdp_100m_cny",
        )
    return frame.reset_index(drop=True)


def load_panel(path: Path) -> pd.DataFrame:
    """Read and schema-check a panel file in either format (typed columns)."""
    frame = read_panel(Path(path))
    return data_module.check_frame(frame, data_module.CITY_GDP, path)


def import_panel(path: Path, *, overwrite: bool = False) -> tuple[Path, int]:
    frame = read_panel(path)
    checked = data_module.check_frame(frame, data_module.CITY_GDP, path)
    target = data_module.imported_panel_path()
    if target.exists() and not overwrite:
        raise DataError("a panel was already imported; pass --overwrite to replace it", file=target)
    write_csv(target, frame.loc[checked.index])
    return target, len(checked)


# ---------------------------------------------------------------------------------------
# the ranking panel: one source per year
# ---------------------------------------------------------------------------------------


def imported_panel() -> pd.DataFrame | None:
    """The user's imported panel (checked), or None when nothing was imported."""
    path = data_module.imported_panel_path()
    if not path.is_file():
        return None
    return data_module._cached_imported(str(path), path.stat().st_mtime_ns).copy()


def ranking_panel() -> pd.DataFrame:
    """City GDP with one source and one vintage per year (see the module docstring).

    Columns ``city_code`` (int), ``city``, ``year`` (int), ``gdp_100m_cny`` (亿元, current
    prices), ``vintage``, ``origin`` ('imported' or 'project'), ``census_5_basis`` (bool:
    the figure is on the basis of the 5th economic census, 2023).
    """
    panel = data_module.active_city_panel()
    panel["city_code"] = panel.city_code.astype(np.int64)
    panel["year"] = panel.year.astype(np.int64)
    panel["gdp_100m_cny"] = panel.gdp_100m_cny.astype(float)
    return panel[
        ["city_code", "city", "year", "gdp_100m_cny", "vintage", "origin", "census_5_basis"]
    ]


def national_years(
    panel: pd.DataFrame, *, top: int = NATIONAL_TOP, coverage: float = NATIONAL_COVERAGE
) -> list[int]:
    """Years in which ``panel`` is a complete cross-section for ranks up to ``top``.

    The first year holding at least ``top`` cities is national; a later year is national
    when it holds at least ``top`` cities and at least ``coverage`` of the top ``top``
    cities of the last national year before it.
    """
    national: list[int] = []
    leaders: set[int] | None = None
    for year, block in panel.groupby("year"):
        present = set(block.city_code.astype(np.int64))
        if len(present) < top:
            continue
        if leaders is None or len(leaders & present) >= coverage * len(leaders):
            national.append(int(year))
            leaders = set(block.nlargest(top, "gdp_100m_cny").city_code.astype(np.int64))
    return national


def historical_rank(panel: pd.DataFrame, city_code: int) -> pd.DataFrame:
    """Rank of ``city_code`` per year: 1 + number of cities that year with strictly higher
    GDP. Columns ``year``, ``rank``, ``cities`` (cities in the panel that year); years in
    which the city is absent are left out."""
    rows = []
    for year, block in panel.groupby("year"):
        own = block.loc[block.city_code == city_code, "gdp_100m_cny"]
        if not len(own):
            continue
        higher = int((block.gdp_100m_cny.to_numpy() > float(own.iloc[0])).sum())
        rows.append((int(year), 1 + higher, int(block.city_code.nunique())))
    return pd.DataFrame(rows, columns=["year", "rank", "cities"])


@dataclass(frozen=True)
class Agreement:
    """Agreement of a panel with a reference on their overlapping (city, year) values."""

    overlapping: int
    within: int
    tolerance: float
    worst: pd.DataFrame  # the largest relative differences (city_code, year, ours, theirs)

    @property
    def share(self) -> float:
        return self.within / self.overlapping if self.overlapping else float("nan")


def compare_panels(
    ours: pd.DataFrame, reference: pd.DataFrame, *, tolerance: float = 0.01
) -> Agreement:
    """Share of overlapping (city_code, year) values with |ours/reference - 1| <= tolerance."""
    left = ours[["city_code", "year", "gdp_100m_cny"]].astype(
        {"city_code": np.int64, "year": np.int64, "gdp_100m_cny": float}
    )
    right = reference[["city_code", "year", "gdp_100m_cny"]].astype(
        {"city_code": np.int64, "year": np.int64, "gdp_100m_cny": float}
    )
    merged = left.merge(right, on=["city_code", "year"], suffixes=("_ours", "_reference"))
    relative = merged.gdp_100m_cny_ours / merged.gdp_100m_cny_reference - 1.0
    merged = merged.assign(relative_difference=relative)
    worst = merged.reindex(relative.abs().sort_values(ascending=False).index).head(10)
    return Agreement(
        overlapping=len(merged),
        within=int((relative.abs() <= tolerance).sum()),
        tolerance=tolerance,
        worst=worst.reset_index(drop=True),
    )


# ---------------------------------------------------------------------------------------
# published ranks of partial years, with their coverage
# ---------------------------------------------------------------------------------------

#: a city whose GDP in the last national year was at least this share of Shaoxing's could
#: stand above Shaoxing within three years (Shaoxing's nominal growth would have to trail
#: its own by ~5 pp a year otherwise); judgement, stated in data/README.md
CONTENDER_SHARE = 0.85


@dataclass(frozen=True)
class PublishedRank:
    """Shaoxing's rank in one year among the cities the panel holds in one vintage.

    ``rank`` counts the cities present; ``rank_if_missing_above`` assumes every missing
    contender stands above Shaoxing (the worst case). ``thirtieth_gdp`` is the 30th largest
    GDP among the cities present (亿元): a lower bound of the national 30th, exact when
    ``exact_thirtieth`` (every city of the last national year's top 40 is present);
    ``thirtieth_gdp_upper`` is the bound with every missing contender above it.
    """

    year: int
    vintage: str
    cities: int
    shaoxing_gdp: float | None  # None: Shaoxing's figure of this vintage was not found
    rank: int | None
    rank_if_missing_above: int | None
    thirtieth_gdp: float
    thirtieth_gdp_upper: float  # the 30th if every missing contender stands above it
    exact_thirtieth: bool
    contenders_present: tuple[str, ...]
    contenders_missing: tuple[str, ...]


def published_rank(
    panel: pd.DataFrame, year: int, vintage: str, city_code: int = 330600
) -> PublishedRank | None:
    """Rank of ``city_code`` in ``year`` among the cities of ``panel`` (all vintages, as
    data/city_gdp.csv) in ``vintage`` (rank fields None when the city has no value there;
    None when there is no national year before ``year``). Contenders
    are the cities of the last national year before ``year`` with GDP >=
    :data:`CONTENDER_SHARE` x the city's."""
    table = panel.astype({"city_code": np.int64, "year": np.int64, "gdp_100m_cny": float})
    single = data_module.select_one_vintage_per_year(table)
    national = [y for y in national_years(single) if y < year]
    block = table[(table.year == year) & (table.vintage == vintage)]
    own = block.loc[block.city_code == city_code, "gdp_100m_cny"]
    if not national or block.empty:
        return None
    base = single[single.year == national[-1]]
    base_own = float(base.loc[base.city_code == city_code, "gdp_100m_cny"].iloc[0])
    contenders = base[
        (base.gdp_100m_cny >= CONTENDER_SHARE * base_own) & (base.city_code != city_code)
    ]
    names = dict(zip(base.city_code, base.city, strict=True))
    present = set(block.city_code)
    missing = [c for c in contenders.city_code if c not in present]
    value = float(own.iloc[0]) if len(own) else None
    rank = None if value is None else 1 + int((block.gdp_100m_cny > value).sum())
    leaders = set(base.nlargest(40, "gdp_100m_cny").city_code)
    ordered = np.sort(block.gdp_100m_cny.to_numpy())[::-1]
    thirtieth = float(ordered[TOP - 1]) if len(ordered) >= TOP else float("nan")
    upper_index = TOP - 1 - len(missing)
    upper = float(ordered[upper_index]) if 0 <= upper_index < len(ordered) else float("nan")
    return PublishedRank(
        year=year,
        vintage=vintage,
        cities=len(present),
        shaoxing_gdp=value,
        rank=rank,
        rank_if_missing_above=None if rank is None else rank + len(missing),
        thirtieth_gdp=thirtieth,
        thirtieth_gdp_upper=upper,
        exact_thirtieth=leaders <= present,
        contenders_present=tuple(sorted(names[c] for c in contenders.city_code if c in present)),
        contenders_missing=tuple(sorted(names[c] for c in missing)),
    )
