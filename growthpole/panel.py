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

The ranking panel (one source per year)
    A national rank is only meaningful within one source and vintage for a given year
    (data/README.md §7: "do not mix vintages within one ranking year"). :func:`ranking_panel`
    therefore takes, **for each year, the rows of a single source**: the imported panel when
    it holds that year (it is a national cross-section of ~300 cities), otherwise the
    project's own data/city_gdp.csv (a sparse compilation of at most ~16 cities per year).
    A year is *national* (a rank can be computed from it) when its source holds at least
    :data:`MIN_NATIONAL_CITIES` cities.

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

#: CSMAR CRE_Gdpct export column -> tidy name (CRE_Gdpct[DES][csv].txt: Sgnyea [Year Sign],
#: Ctnm_en [Name Of City], Ctnm_id [City Code], Gdpct01 [Gdp] (unit: 100 million)).
#: ``Ctnm`` is the city-name field of CSMAR's Chinese-language exports.
CSMAR_COLUMNS = {"Sgnyea": "year", "Ctnm_id": "city_code", "Ctnm_en": "city", "Ctnm": "city",
                 "Gdpct01": "gdp_100m_cny"}

#: A year's source must hold at least this many cities for a national rank to be computed
#: from it (the reference CSMAR panel holds 197-337 cities a year; the project's own file at
#: most 16).
MIN_NATIONAL_CITIES = 100


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
        raise DataError(f"missing column(s) {', '.join(missing)}; expected the tidy format "
                        f"(year, city_code, gdp_100m_cny) or CSMAR CRE_Gdpct names "
                        f"(Sgnyea, Ctnm_id, Ctnm_en, Gdpct01)", file=path)
    frame = pd.DataFrame({
        "city_code": raw.city_code.astype(str).str.strip(),
        "city": raw.city.astype(str).str.strip(),
        "year": raw.year.astype(str).str.strip(),
        "gdp_100m_cny": raw.gdp_100m_cny.astype(str).str.strip(),
        "vintage": (raw["vintage"] if "vintage" in raw.columns
                    else pd.Series("yearbook", index=raw.index)),
        "source": (raw["source"] if "source" in raw.columns
                   else pd.Series(f"imported from {path.name}", index=raw.index)),
    })
    # empty GDP cells are gaps, not zeros: drop them (never fill)
    frame = frame[frame.gdp_100m_cny != ""]
    numeric = pd.to_numeric(frame.gdp_100m_cny, errors="coerce")
    frame = frame[~(numeric <= 0)]  # CSMAR codes some missing values as 0
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
        raise DataError("a panel was already imported; pass --overwrite to replace it",
                        file=target)
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
    """City GDP with one source per year (see the module docstring).

    Columns ``city_code`` (int), ``city``, ``year`` (int), ``gdp_100m_cny`` (亿元, current
    prices), ``vintage``, ``origin`` ('imported' or 'project'). A year the imported panel
    holds takes only imported rows; any other year takes only data/city_gdp.csv rows.
    """
    project = data_module.load(data_module.CITY_GDP).assign(origin="project")
    imported = imported_panel()
    frames = [project]
    if imported is not None:
        imported = imported.assign(origin="imported")
        covered = set(imported.year.astype(int))
        frames = [project[~project.year.astype(int).isin(covered)], imported]
    panel = pd.concat(frames, ignore_index=True)
    panel["city_code"] = panel.city_code.astype(np.int64)
    panel["year"] = panel.year.astype(np.int64)
    panel["gdp_100m_cny"] = panel.gdp_100m_cny.astype(float)
    return panel[["city_code", "city", "year", "gdp_100m_cny", "vintage", "origin"]]


def national_years(panel: pd.DataFrame) -> list[int]:
    """Years in which ``panel`` holds at least MIN_NATIONAL_CITIES cities."""
    counts = panel.groupby("year").city_code.nunique()
    return sorted(int(y) for y in counts[counts >= MIN_NATIONAL_CITIES].index)


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


def compare_panels(ours: pd.DataFrame, reference: pd.DataFrame, *,
                   tolerance: float = 0.01) -> Agreement:
    """Share of overlapping (city_code, year) values with |ours/reference - 1| <= tolerance."""
    left = ours[["city_code", "year", "gdp_100m_cny"]].astype(
        {"city_code": np.int64, "year": np.int64, "gdp_100m_cny": float})
    right = reference[["city_code", "year", "gdp_100m_cny"]].astype(
        {"city_code": np.int64, "year": np.int64, "gdp_100m_cny": float})
    merged = left.merge(right, on=["city_code", "year"], suffixes=("_ours", "_reference"))
    relative = merged.gdp_100m_cny_ours / merged.gdp_100m_cny_reference - 1.0
    merged = merged.assign(relative_difference=relative)
    worst = merged.reindex(relative.abs().sort_values(ascending=False).index).head(10)
    return Agreement(overlapping=len(merged), within=int((relative.abs() <= tolerance).sum()),
                     tolerance=tolerance, worst=worst.reset_index(drop=True))
