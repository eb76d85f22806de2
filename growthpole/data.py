"""Loading and schema checks of the files in data/.

Every file has a schema: required columns with types, units implied by the column name,
allowed ranges, unique keys and code lists. A failed check raises
:class:`~growthpole.errors.DataError` naming the file, the row (1-based, counting the header
as row 1) and the column. Nothing here fills, interpolates or invents a value: where the
model needs a number the data do not hold, the *derivation* is done in code, documented in
docs/model.md, and never written back to data/.

``GROWTHPOLE_DATA_DIR`` overrides the data directory (used by tests with broken files).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from growthpole.errors import DataError
from growthpole.regions import (
    CORRIDOR_CITY_CODES,
    REGION_INDEX,
    REGIONS,
    SECTORS,
    SHAOXING_CITY_CODE,
    SHAOXING_REGIONS,
)

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
#: vintages of a published figure: ``yearbook`` (statistical yearbook), ``bulletin-preliminary``
#: (the year's first release, 初步核算), ``final-verified`` (a later pre-census restatement,
#: 最终核实), ``census-revised`` (restated after a national economic census), ``census``
#: (a population-census count)
VINTAGES = (
    "yearbook",
    "bulletin-preliminary",
    "initial-verified",
    "final-verified",
    "census-revised",
    "census",
)
#: a year's national ranking uses one vintage (data/README.md: never mix vintages within a
#: ranking year): the vintage holding the most cities that year, ties broken in this order
RANKING_VINTAGE_PREFERENCE = (
    "yearbook",
    "census-revised",
    "final-verified",
    "bulletin-preliminary",
)
#: the 5th national economic census restated 2023 GDP; later years are published on its basis
CENSUS_5_YEAR = 2023


def data_dir() -> Path:
    """The data directory: ``$GROWTHPOLE_DATA_DIR`` or the repository's data/."""
    return Path(os.environ.get("GROWTHPOLE_DATA_DIR", PACKAGE_ROOT / "data"))


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # "int", "float", "str"
    required: bool = True  # may the cell be empty?
    lower: float | None = None
    upper: float | None = None
    allowed: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Schema:
    file: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]


CITY_GDP = Schema(
    "city_gdp.csv",
    (
        Column("city_code", "int", lower=100000, upper=999999),
        Column("city", "str"),
        Column("year", "int", lower=1949, upper=2100),
        Column("gdp_100m_cny", "float", lower=0.01, upper=1e6),
        Column("vintage", "str", allowed=VINTAGES),
        Column("source", "str"),
    ),
    ("city_code", "year", "vintage"),
)

CORRIDOR_INDICATORS = Schema(
    "corridor_indicators.csv",
    (
        Column("city_code", "int", allowed=tuple(str(c) for c in CORRIDOR_CITY_CODES.values())),
        Column("city", "str"),
        Column("year", "int", lower=1949, upper=2100),
        Column("indicator", "str"),
        Column("value", "float", lower=-1e7, upper=1e7),
        Column("unit", "str"),
        Column("vintage", "str", allowed=VINTAGES),
        Column("source", "str"),
    ),
    ("city_code", "year", "indicator"),
)

COUNTY_INDICATORS = Schema(
    "county_gdp.csv",
    (
        Column("region_code", "int", lower=330000, upper=339999),
        Column("region", "str"),
        Column("year", "int", lower=1949, upper=2100),
        Column("indicator", "str"),
        Column("value", "float", lower=-1e7, upper=1e7),
        Column("unit", "str"),
        Column("vintage", "str", allowed=VINTAGES),
        Column("source", "str"),
    ),
    ("region_code", "year", "indicator"),
)

NATIONAL_ACCOUNTS = Schema(
    "national_accounts.csv",
    (
        Column("geography", "str", allowed=("china", "zhejiang")),
        Column("year", "int", lower=1949, upper=2100),
        Column("indicator", "str", allowed=("gdp_100m_cny", "real_gdp_growth_pct")),
        Column("value", "float", lower=-50.0, upper=1e8),
        Column("unit", "str"),
        Column("vintage", "str", allowed=VINTAGES),
        Column("series", "str"),
        Column("source", "str"),
    ),
    ("geography", "year", "indicator", "series"),
)

REGIONS_SCHEMA = Schema(
    "regions.csv",
    (
        Column("region_id", "str", allowed=REGIONS),
        Column("name_zh", "str"),
        Column("name_en", "str"),
        Column("admin_code", "int", required=False, lower=100000, upper=999999),
        Column("parent_city_code", "int", required=False, lower=100000, upper=999999),
        Column("latitude", "float", required=False, lower=18.0, upper=54.0),
        Column("longitude", "float", required=False, lower=73.0, upper=135.0),
        Column("land_area_km2", "float", required=False, lower=1.0, upper=1e6),
        Column("source", "str"),
    ),
    ("region_id",),
)

TRAVEL_TIMES = Schema(
    "travel_times.csv",
    (
        Column("origin", "str", allowed=REGIONS),
        Column("destination", "str", allowed=REGIONS),
        Column("mode", "str", allowed=("road", "rail")),
        Column("minutes", "float", lower=1.0, upper=2000.0),
        Column("year", "int", required=False, lower=1990, upper=2100),
        Column("source", "str"),
    ),
    ("origin", "destination", "mode", "year"),
)

PLATFORMS = Schema(
    "platforms.csv",
    (
        Column("platform_id", "str"),
        Column("name_zh", "str"),
        Column("name_en", "str", required=False),
        Column("region_id", "str", required=False, allowed=REGIONS),
        Column("area_km2", "float", required=False, lower=0.0, upper=10_000.0),
        Column("opening_year", "int", required=False, lower=1980, upper=2100),
        Column("sector_focus", "str", required=False),
        Column("kind", "str", required=False),
        Column("source", "str"),
    ),
    ("platform_id",),
)


def read_table(
    schema: Schema, *, directory: Path | None = None, path: Path | None = None
) -> pd.DataFrame:
    """Read a CSV and check it against ``schema``; raise DataError on the first fault."""
    path = path or (directory or data_dir()) / schema.file
    if not path.is_file():
        raise DataError("data file is missing (see data/README.md for what it holds)", file=path)
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except UnicodeDecodeError:
        raise DataError("not UTF-8 text", file=path) from None
    except pd.errors.EmptyDataError:
        raise DataError(
            f"the file is empty; expected a header row {','.join(c.name for c in schema.columns)}",
            file=path,
        ) from None
    except (pd.errors.ParserError, ValueError) as exc:
        raise DataError(f"corrupt CSV: {str(exc).splitlines()[0]}", file=path) from None
    return check_frame(frame, schema, path)


def check_frame(frame: pd.DataFrame, schema: Schema, path: Path | str) -> pd.DataFrame:
    """Type, range, code and key checks of a string-typed frame; returns typed columns."""
    missing = [c.name for c in schema.columns if c.name not in frame.columns]
    if missing:
        raise DataError(
            f"missing column(s) {', '.join(missing)}; expected "
            f"{', '.join(c.name for c in schema.columns)}",
            file=path,
        )
    out = pd.DataFrame(index=frame.index)
    for column in schema.columns:
        raw = frame[column.name].astype(str).str.strip()
        empty = raw.eq("")
        if column.required and empty.any():
            row = int(np.flatnonzero(empty.to_numpy())[0]) + 2
            raise DataError(f"row {row}: empty value (required)", file=path, key=column.name)
        if column.kind == "str":
            values = raw
            if column.allowed is not None:
                bad = ~empty & ~raw.isin(column.allowed)
                if bad.any():
                    row = int(np.flatnonzero(bad.to_numpy())[0]) + 2
                    raise DataError(
                        f"row {row}: {raw[bad].iloc[0]!r} is not allowed; allowed: "
                        f"{', '.join(column.allowed)}",
                        file=path,
                        key=column.name,
                    )
        else:
            numeric = pd.to_numeric(raw.where(~empty, None), errors="coerce")
            bad = ~empty & (numeric.isna() | ~np.isfinite(numeric.fillna(0.0)))
            if bad.any():
                row = int(np.flatnonzero(bad.to_numpy())[0]) + 2
                raise DataError(
                    f"row {row}: {raw[bad].iloc[0]!r} is not a finite number",
                    file=path,
                    key=column.name,
                )
            if column.kind == "int":
                nonint = ~empty & (numeric != np.round(numeric))
                if nonint.any():
                    row = int(np.flatnonzero(nonint.to_numpy())[0]) + 2
                    raise DataError(
                        f"row {row}: {raw[nonint].iloc[0]!r} is not an integer",
                        file=path,
                        key=column.name,
                    )
            for bound, op in ((column.lower, "lt"), (column.upper, "gt")):
                if bound is None:
                    continue
                off = ~empty & getattr(numeric, op)(bound)
                if off.any():
                    row = int(np.flatnonzero(off.to_numpy())[0]) + 2
                    raise DataError(
                        f"row {row}: {numeric[off].iloc[0]} is outside "
                        f"[{column.lower}, {column.upper}]",
                        file=path,
                        key=column.name,
                    )
            if column.allowed is not None:
                bad = ~empty & ~raw.isin(column.allowed)
                if bad.any():
                    row = int(np.flatnonzero(bad.to_numpy())[0]) + 2
                    raise DataError(
                        f"row {row}: {raw[bad].iloc[0]!r} is not an allowed code; "
                        f"allowed: {', '.join(column.allowed)}",
                        file=path,
                        key=column.name,
                    )
            values = numeric.astype("Int64") if column.kind == "int" else numeric.astype(float)
        out[column.name] = values
    dup = out.duplicated(list(schema.key), keep="first")
    if dup.any():
        row = int(np.flatnonzero(dup.to_numpy())[0]) + 2
        raise DataError(
            f"row {row}: duplicate key ({', '.join(schema.key)}) = "
            f"{tuple(out.loc[dup, list(schema.key)].iloc[0])}",
            file=path,
            key=",".join(schema.key),
        )
    return out


@lru_cache(maxsize=8)
def _cached(schema_file: str, directory: str) -> pd.DataFrame:
    schema = next(s for s in ALL_SCHEMAS if s.file == schema_file)
    return read_table(schema, directory=Path(directory))


def load(schema: Schema) -> pd.DataFrame:
    """Cached, checked table (a copy: callers may modify it)."""
    return _cached(schema.file, str(data_dir())).copy()


ALL_SCHEMAS = (
    CITY_GDP,
    CORRIDOR_INDICATORS,
    COUNTY_INDICATORS,
    NATIONAL_ACCOUNTS,
    REGIONS_SCHEMA,
    TRAVEL_TIMES,
    PLATFORMS,
)


# ---------------------------------------------------------------------------------------
# base-year inputs of the model
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BaseYear:
    """Region-level initial conditions for a simulation starting in ``year``.

    ``gdp`` in 亿元 (current prices of ``year``), ``population`` in 万人 (resident), both
    indexed like :data:`growthpole.regions.REGIONS`. ``provenance`` says, per region, which
    data rows the numbers come from and what was derived.
    """

    year: int
    gdp: np.ndarray
    population: np.ndarray
    provenance: tuple[str, ...]


def imported_panel_path() -> Path:
    """Where ``growthpole data import`` stores a user's city panel (git-ignored: a licensed
    panel such as CSMAR's stays on the user's machine)."""
    return data_dir() / "imported" / "city_gdp_imported.csv"


def on_census_5_basis(year: int, vintage: str) -> bool:
    """Is a GDP figure of ``year`` in ``vintage`` on the basis of the 5th economic census?"""
    return year > CENSUS_5_YEAR or (year == CENSUS_5_YEAR and vintage == "census-revised")


def select_one_vintage_per_year(panel: pd.DataFrame) -> pd.DataFrame:
    """The rows of one vintage per year: the vintage with the most cities that year, ties
    broken by :data:`RANKING_VINTAGE_PREFERENCE`. Adds the boolean column ``census_5_basis``.
    """
    if panel.empty:
        return panel.assign(census_5_basis=pd.Series(dtype=bool))
    years = panel.year.astype(int)
    counts = panel.groupby([years, panel.vintage]).city_code.nunique().rename("cities")
    counts = counts.reset_index()
    order = {v: k for k, v in enumerate(RANKING_VINTAGE_PREFERENCE)}
    counts["preference"] = counts.vintage.map(order).fillna(len(order))
    chosen = (
        counts.sort_values(["year", "cities", "preference"], ascending=[True, False, True])
        .drop_duplicates("year")
        .set_index("year")
        .vintage
    )
    keep = panel.vintage.to_numpy() == years.map(chosen).to_numpy()
    out = panel[keep].reset_index(drop=True)
    basis = [on_census_5_basis(int(y), str(v)) for y, v in zip(out.year, out.vintage, strict=True)]
    return out.assign(census_5_basis=np.array(basis, dtype=bool))


def active_city_panel() -> pd.DataFrame:
    """The city GDP panel the model uses, one vintage per year.

    The shipped data/city_gdp.csv (the national top-60 union: yearbook figures 2000-2021,
    the cities' bulletins 2022-2024), where a user imported a panel with ``growthpole data
    import`` replaced by it year by year: a year the imported panel holds takes only its
    rows, other years keep the shipped rows. Within each year one vintage is kept
    (:func:`select_one_vintage_per_year`). Column ``origin`` says 'project' or 'imported'.
    """
    project = load(CITY_GDP).assign(origin="project")
    path = imported_panel_path()
    frames = [project]
    if path.is_file():
        imported = _cached_imported(str(path), path.stat().st_mtime_ns).assign(origin="imported")
        covered = set(imported.year.astype(int))
        frames = [project[~project.year.astype(int).isin(covered)], imported]
    return select_one_vintage_per_year(pd.concat(frames, ignore_index=True))


def census_5_revision() -> tuple[float, int]:
    """Median log ratio of census-revised to preliminary 2023 GDP over the cities that
    publish both, and their number: how far the 5th economic census moved city GDP. A
    derivation (docs/ranking.md), not data: it puts the levels of the model and of the
    competitors the panel lacks on the basis of the published post-census figures.
    (0.0, 0) when no city publishes both."""
    table = load(CITY_GDP)
    year = table[table.year.astype(int) == CENSUS_5_YEAR]
    wide = year.pivot_table(
        index="city_code", columns="vintage", values="gdp_100m_cny", aggfunc="first"
    )
    if not {"census-revised", "bulletin-preliminary"} <= set(wide.columns):
        return 0.0, 0
    pairs = wide[["census-revised", "bulletin-preliminary"]].dropna()
    if pairs.empty:
        return 0.0, 0
    ratio = np.log(
        pairs["census-revised"].astype(float) / pairs["bulletin-preliminary"].astype(float)
    )
    return float(np.median(ratio)), len(pairs)


@lru_cache(maxsize=2)
def _cached_imported(path: str, _mtime: int) -> pd.DataFrame:
    return read_table(CITY_GDP, path=Path(path))


def visible(frame: pd.DataFrame, information_year: int | None) -> pd.DataFrame:
    """The rows of ``frame`` published for years <= ``information_year`` (all rows when
    None). A run or calibration whose information date is T reads data of years <= T
    only (no look-ahead: the initial state, the shares and the targets alike)."""
    if information_year is None or "year" not in frame.columns:
        return frame
    years = pd.to_numeric(frame.year, errors="coerce")
    return frame[(years.isna() | (years <= int(information_year))).to_numpy(dtype=bool)]


def _city_value(year: int, city_code: int, indicator: str) -> tuple[float, int] | None:
    """Value of a corridor indicator in ``year`` or, failing that, None."""
    if indicator == "gdp":
        panel = active_city_panel()
        rows = panel[(panel.city_code == city_code) & (panel.year == year)]
        if len(rows):
            return float(rows.gdp_100m_cny.iloc[0]), year
    table = load(CORRIDOR_INDICATORS)
    rows = table[
        (table.city_code == city_code) & (table.indicator == indicator) & (table.year == year)
    ]
    if len(rows):
        return float(rows.value.iloc[0]), year
    return None


def _nearest_city_value(
    year: int, city_code: int, indicator: str, information_year: int | None = None
) -> tuple[float, int] | None:
    """The published value nearest to ``year`` among the years <= ``information_year``."""
    table = visible(load(CORRIDOR_INDICATORS), information_year)
    rows = table[(table.city_code == city_code) & (table.indicator == indicator)]
    if not len(rows):
        return None
    nearest = rows.iloc[(rows.year.astype(int) - year).abs().argsort()].iloc[0]
    return float(nearest.value), int(nearest.year)


def _county_table(indicator: str, information_year: int | None) -> pd.DataFrame:
    table = visible(load(COUNTY_INDICATORS), information_year)
    rows = table[table.indicator == indicator]
    return rows.assign(region_id=rows.region_code.astype(int).map(_county_region_of_code()))


def _county_shares(
    year: int, indicator: str, information_year: int | None = None
) -> tuple[np.ndarray, str]:
    """Shares of the six Shaoxing units in ``indicator`` and how they were obtained.

    From the published year nearest to ``year`` in which all six units are published,
    among the years <= ``information_year``. When no such year exists (GDP: all six are
    published only in 2024), :func:`_composite_county_shares` builds them from what was
    published by then."""
    rows = _county_table(indicator, information_year)
    complete = rows.groupby("year").region_id.nunique()
    years = complete[complete == len(SHAOXING_REGIONS)].index.astype(int)
    if len(years):
        best = int(years[np.argmin(np.abs(years - year))])
        block = rows[rows.year == best].set_index("region_id").value
        values = np.array([float(block[r]) for r in SHAOXING_REGIONS])
        return values / values.sum(), f"unit shares in {best}"
    if indicator != "gdp":
        raise DataError(
            f"no year <= {information_year} in which all six Shaoxing units publish '{indicator}'",
            file=data_dir() / COUNTY_INDICATORS.file,
            key="indicator",
        )
    return _composite_county_shares(year, information_year)


def _composite_county_shares(year: int, information_year: int | None) -> tuple[np.ndarray, str]:
    """GDP shares of the six units when no year <= ``information_year`` publishes all six
    (a derivation with a stated assumption, docs/model.md §5.2; never a later value).

    Each unit with a published GDP takes its value of the year nearest to ``year`` among
    those at or before the information date, carried to ``year`` at the growth of
    Shaoxing's total between the two years (assumption: a unit grows like the city); the
    units with no GDP published by then share the rest of Shaoxing's total equally
    (judgement: no data of that date tells them apart).
    """
    rows = _county_table("gdp", information_year)
    panel = active_city_panel()
    shaoxing = panel[panel.city_code.astype(int) == SHAOXING_CITY_CODE]
    total = dict(zip(shaoxing.year.astype(int), shaoxing.gdp_100m_cny.astype(float), strict=True))
    if year not in total:
        raise DataError(
            f"no Shaoxing GDP in {year} to split across its units",
            file=data_dir() / CITY_GDP.file,
            key="gdp_100m_cny",
        )
    values = np.full(len(SHAOXING_REGIONS), np.nan)
    used = []
    for i, region in enumerate(SHAOXING_REGIONS):
        own = rows[(rows.region_id == region) & rows.year.astype(int).isin(list(total))]
        if not len(own):
            continue
        nearest = own.iloc[int(np.argmin(np.abs(own.year.astype(int).to_numpy() - year)))]
        published = int(nearest.year)
        values[i] = float(nearest.value) * total[year] / total[published]
        used.append(f"{region} {published}")
    missing = np.isnan(values)
    rest = total[year] - np.nansum(values)
    if rest <= 0 or missing.all():
        raise DataError(
            f"cannot split Shaoxing's {year} GDP across its units from data "
            f"published by {information_year}",
            file=data_dir() / COUNTY_INDICATORS.file,
            key="indicator",
        )
    values[missing] = rest / missing.sum()
    absent = [r for r, m in zip(SHAOXING_REGIONS, missing, strict=True) if m]
    return values / values.sum(), (
        f"composite by {information_year}: {', '.join(used)} "
        f"carried at the city's growth; {', '.join(absent)} equal "
        f"shares of the rest (assumption)"
    )


def _county_region_of_code() -> dict[int, str]:
    return {
        330602: "yuecheng",
        330603: "keqiao",
        330621: "keqiao",
        330604: "shangyu",
        330682: "shangyu",
        330681: "zhuji",
        330683: "shengzhou",
        330624: "xinchang",
    }


def base_year(year: int, information_year: int | None = None) -> BaseYear:
    """Initial GDP and population of the nine regions in ``year``.

    Pole cities take their own published values for ``year`` (GDP must exist for that year;
    population falls back to the nearest published year, recorded in ``provenance``).
    Shaoxing's units take Shaoxing's published total for ``year`` split by the units' shares
    (:func:`_county_shares`; a derivation, not data). ``information_year``: read only data of
    years <= it (no look-ahead; None: all data).
    """
    if information_year is not None and year > information_year:
        raise DataError(
            f"the start year {year} is after the information date {information_year}",
            key="information_year",
        )
    gdp = np.zeros(len(REGIONS))
    pop = np.zeros(len(REGIONS))
    notes: list[str] = [""] * len(REGIONS)
    for name, code in CORRIDOR_CITY_CODES.items():
        value = _city_value(year, code, "gdp")
        if value is None:
            raise DataError(
                f"no GDP for city {code} ({name}) in {year}; the model cannot start "
                f"in {year} (choose a start_year the data cover)",
                file=data_dir() / CITY_GDP.file,
                key="gdp_100m_cny",
            )
        population = _nearest_city_value(year, code, "resident_population_10k", information_year)
        population_note = "" if population is None else f"{population[1]}"
        if population is None:
            # stated assumption (not data): no resident figure by the information date, so
            # the registered (户籍) population stands in; it understates in-migrant cities
            population = _nearest_city_value(
                year, code, "registered_population_10k", information_year
            )
            population_note = (
                ""
                if population is None
                else f"{population[1]} registered (assumption: no resident figure "
                f"by {information_year})"
            )
        if population is None:
            raise DataError(
                f"no resident_population_10k for city {code} ({name}) in any year"
                + ("" if information_year is None else f" <= {information_year}"),
                file=data_dir() / CORRIDOR_INDICATORS.file,
                key="indicator",
            )
        if name == "shaoxing":
            gdp_shares, gdp_note = _county_shares(year, "gdp", information_year)
            try:
                pop_shares, pop_note = _county_shares(
                    year, "resident_population_10k", information_year
                )
            except DataError:
                # derivation (not data): equal GDP per resident across the six units
                pop_shares = gdp_shares
                pop_note = "the GDP shares (no year with all six populations)"
            for i, region in enumerate(SHAOXING_REGIONS):
                idx = REGION_INDEX[region]
                gdp[idx] = value[0] * gdp_shares[i]
                pop[idx] = population[0] * pop_shares[i]
                notes[idx] = (
                    f"GDP: Shaoxing {year} x {gdp_note}; population: "
                    f"Shaoxing {population_note} x {pop_note}"
                )
        else:
            idx = REGION_INDEX[name]
            gdp[idx], pop[idx] = value[0], population[0]
            notes[idx] = f"GDP {year}; population {population_note}"
    return BaseYear(year=year, gdp=gdp, population=pop, provenance=tuple(notes))


def region_coordinates() -> np.ndarray:
    """(N_REGIONS, 2) latitude/longitude in degrees; DataError when one is missing."""
    table = load(REGIONS_SCHEMA).set_index("region_id")
    coords = np.zeros((len(REGIONS), 2))
    for i, region in enumerate(REGIONS):
        if region not in table.index:
            raise DataError(
                f"region '{region}' has no row", file=data_dir() / "regions.csv", key="region_id"
            )
        lat, lon = table.loc[region, "latitude"], table.loc[region, "longitude"]
        if pd.isna(lat) or pd.isna(lon):
            raise DataError(
                f"region '{region}' has no coordinates",
                file=data_dir() / "regions.csv",
                key="latitude",
            )
        coords[i] = (float(lat), float(lon))
    return coords


def published_travel_minutes() -> pd.DataFrame:
    """Published travel times (rows of data/travel_times.csv)."""
    return load(TRAVEL_TIMES)


def platforms_table() -> pd.DataFrame:
    """Named platforms with sector focus parsed into lists of sector ids."""
    table = load(PLATFORMS)
    path = data_dir() / PLATFORMS.file
    for row, focus in enumerate(table.sector_focus.fillna(""), start=2):
        for sector in filter(None, (s.strip() for s in str(focus).split(";"))):
            if sector not in SECTORS:
                raise DataError(
                    f"row {row}: unknown sector {sector!r}; allowed: {', '.join(SECTORS)}",
                    file=path,
                    key="sector_focus",
                )
    return table


def shaoxing_city_code() -> int:
    return SHAOXING_CITY_CODE
