"""What the model reads from data/ at initialisation, parsed and cached.

The base year (growthpole.data.base_year), the travel-time matrix of the start year and the
schedule of later openings, the R&D intensity of every region, the platform rows of
data/platforms.csv with their model kinds, and the non-modelled part of GDP (its base-year
share and trend, :func:`nonmodelled_component`) (docs/model.md §5.2, §5.7, §5.10). Nothing
here draws
random numbers or builds agents: growthpole.initialisation does that. :func:`data_inputs`
caches what it parsed per process, keyed by the data directory and the (path, mtime, size)
of its files (:func:`data_cache_key`, a cache key, not a provenance digest: provenance is
growthpole.provenance.data_fingerprint), because parsing them was most of a default-scale
run's start-up (docs/performance.md).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from growthpole import data as data_module
from growthpole.errors import DataError
from growthpole.geography import base_travel_hours
from growthpole.mechanisms import platforms as platform_mechanism
from growthpole.regions import (
    N_REGIONS,
    N_SECTORS,
    N_SHAOXING,
    REGION_INDEX,
    REGIONS,
    SECTOR_INDEX,
)
from growthpole.state import PlatformTable

DEFAULT_RD_INTENSITY = 0.02  # R&D/GDP where data/ has no value (assumed; Zhejiang ≈ 2.5%)


def base_rd_intensity(
    year: int, information_year: int | None = None
) -> tuple[np.ndarray, list[str]]:
    """R&D/GDP by region: latest published value at or before ``year`` (else nearest, among
    the years <= ``information_year``), Shaoxing's units take Shaoxing's;
    DEFAULT_RD_INTENSITY where none is published."""
    from growthpole.regions import CORRIDOR_CITY_CODES

    table = data_module.visible(data_module.load(data_module.CORRIDOR_INDICATORS), information_year)
    table = table[table.indicator == "rd_spending_share_pct"]
    values = np.full(N_REGIONS, DEFAULT_RD_INTENSITY)
    notes = []
    for name, code in CORRIDOR_CITY_CODES.items():
        rows = table[table.city_code == code]
        if not len(rows):
            notes.append(f"{name}: R&D intensity assumed {DEFAULT_RD_INTENSITY}")
            continue
        distance = (rows.year.astype(int) - year).abs() + 1000 * (rows.year.astype(int) > year)
        best = rows.iloc[int(np.argmin(distance.to_numpy()))]
        value = float(best.value) / 100.0
        targets = range(N_SHAOXING) if name == "shaoxing" else [REGION_INDEX[name]]
        for index in targets:
            values[index] = value
        notes.append(f"{name}: R&D intensity {value:.4f} from {int(best.year)}")
    return values, notes


#: years of data behind the non-modelled component's trend: the 15 years ending at the
#: information date (judgement: the length of the calibration window 2005-2019, long enough
#: for a trend through the 2008-09 and 2020 shocks, short enough to describe the recent past)
NONMODELLED_TREND_YEARS = 15


@dataclass(frozen=True)
class NonmodelledComponent:
    """The part of GDP no firm agent produces, read from data (docs/model.md §5.10).

    ``share`` (N_REGIONS,): ω_r, the primary sector's share of GDP in the start year
    (fraction); ``growth`` (N_REGIONS,): ĝ_ω,r, its real growth relative to the nation
    (1/yr, in 1 + g_t^Z = e^{g_t} (1 + ĝ_ω,r)); ``growth_standard_error`` (N_REGIONS,) its
    standard error (1/yr); ``window`` the years of Shaoxing's trend; ``provenance`` one line
    per city.
    """

    share: np.ndarray
    growth: np.ndarray
    growth_standard_error: np.ndarray
    window: tuple[int, int]
    provenance: tuple[str, ...]


def _ordinary_least_squares_slope(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Slope of y on x with its standard error (classical OLS, n - 2 degrees of freedom)."""
    x_centred = x - x.mean()
    slope = float(x_centred @ (y - y.mean()) / (x_centred @ x_centred))
    residuals = y - y.mean() - slope * x_centred
    variance = float(residuals @ residuals) / (len(x) - 2)
    return slope, float(np.sqrt(variance / (x_centred @ x_centred)))


def nonmodelled_component(
    start_year: int, information_year: int | None = None
) -> NonmodelledComponent:
    """:func:`estimate_nonmodelled_component`, cached per process while data/ is unchanged
    (like :func:`data_inputs`); returns copies of the arrays."""
    cached = _cached_nonmodelled(start_year, information_year, data_cache_key())
    return NonmodelledComponent(
        cached.share.copy(),
        cached.growth.copy(),
        cached.growth_standard_error.copy(),
        cached.window,
        cached.provenance,
    )


@lru_cache(maxsize=16)
def _cached_nonmodelled(
    start_year: int, information_year: int | None, _fingerprint: tuple
) -> NonmodelledComponent:
    return estimate_nonmodelled_component(start_year, information_year)


def _require_trend_years(
    rows: pd.DataFrame, indicator: str, code: int, name: str, window: tuple[int, int]
) -> None:
    """DataError naming the file and key unless ``rows`` hold >= 3 years (a slope and a
    standard error need them)."""
    if len(rows) < 3:
        raise DataError(
            f"{len(rows)} years of {indicator} for city {code} ({name}) in "
            f"{window[0]}-{window[1]}; the non-modelled trend needs >= 3",
            file=data_module.data_dir() / data_module.CORRIDOR_INDICATORS.file,
            key="indicator",
        )


def estimate_nonmodelled_component(
    start_year: int, information_year: int | None = None
) -> NonmodelledComponent:
    """ω_r and ĝ_ω,r of every region from data/corridor_indicators.csv (docs/model.md §5.10).

    The non-modelled part of GDP is the primary sector (agriculture, forestry, animal
    husbandry, fishery): the part of GDP the firm agents do not represent, with a share the
    yearbooks publish for every corridor city and year. Per corridor city c (Shaoxing's six
    units take Shaoxing's, for want of unit series):

    * ω_c = primary_share_pct / 100 of the start year, or of the published year nearest to
      it, earlier years preferred, among the years <= ``information_year``;
    * over the window W of :data:`NONMODELLED_TREND_YEARS` years ending at the city's
      latest share published by the information date, β_c = the OLS slope of ln ω_c,t on t
      and γ_c = the mean of ln(1 + g_c,t) - g_t (the city's real log growth less the
      nation's, growthpole.national), so that ln(1 + ĝ_ω,c) = β_c + γ_c: the component grows
      at the nation's rate plus what keeps its share on the path the data show, when the
      city grows as it did. Standard error sqrt(se_β² + se_γ²), se_γ = sd / sqrt(n).
    """
    from growthpole.national import national_history
    from growthpole.regions import CORRIDOR_CITY_CODES

    table = data_module.visible(data_module.load(data_module.CORRIDOR_INDICATORS), information_year)
    table = table.assign(year=table.year.astype(int))
    shares = table[table.indicator == "primary_share_pct"]
    growth_rows = table[table.indicator == "real_gdp_growth_pct"]
    nation = national_history(information_year)
    national_growth = dict(zip(nation.years.astype(int), nation.real, strict=True))
    path = data_module.data_dir() / data_module.CORRIDOR_INDICATORS.file
    share = np.zeros(N_REGIONS)
    growth = np.zeros(N_REGIONS)
    error = np.zeros(N_REGIONS)
    notes = []
    window = (0, 0)
    for name, code in CORRIDOR_CITY_CODES.items():
        own = shares[shares.city_code == code]
        if not len(own):
            raise DataError(
                f"no primary_share_pct for city {code} ({name})"
                + ("" if information_year is None else f" in a year <= {information_year}"),
                file=path,
                key="indicator",
            )
        years = own.year.to_numpy()
        end = int(years.max())  # the latest year published by the information date
        first = end - NONMODELLED_TREND_YEARS + 1
        if name == "shaoxing":
            window = (first, end)
        distance = np.abs(years - start_year) + 1000 * (years > start_year)
        base = own.iloc[int(np.argmin(distance))]
        trend = own[(own.year >= first) & (own.year <= end)]
        _require_trend_years(trend, "primary_share_pct", code, name, (first, end))
        beta, beta_error = _ordinary_least_squares_slope(
            trend.year.to_numpy(dtype=float), np.log(trend.value.to_numpy(dtype=float) / 100.0)
        )
        own_growth = growth_rows[
            (growth_rows.city_code == code)
            & (growth_rows.year >= first)
            & (growth_rows.year <= end)
            & growth_rows.year.isin(list(national_growth))
        ]
        _require_trend_years(
            own_growth, "real_gdp_growth_pct (with a national figure)", code, name, (first, end)
        )
        relative = np.log1p(own_growth.value.to_numpy(dtype=float) / 100.0) - np.array(
            [national_growth[int(y)] for y in own_growth.year]
        )
        gamma = float(relative.mean())
        gamma_error = float(relative.std(ddof=1) / np.sqrt(len(relative)))
        targets = range(N_SHAOXING) if name == "shaoxing" else [REGION_INDEX[name]]
        for index in targets:
            share[index] = float(base.value) / 100.0
            growth[index] = float(np.expm1(beta + gamma))
            error[index] = float(np.hypot(beta_error, gamma_error))
        notes.append(
            f"{name}: share {float(base.value):g}% ({int(base.year)}); trend {first}-{end}: "
            f"share slope {beta:+.4f}/yr ({len(trend)} years), growth over the nation "
            f"{gamma:+.4f}/yr ({len(relative)} years)"
        )
    return NonmodelledComponent(share, growth, error, window, tuple(notes))


#: data/platforms.csv describes each platform's kind in words; the model kind (its lever,
#: subsidy and star rating, mechanisms/platforms.py) is the first keyword found in it
PLATFORM_KIND_KEYWORDS: tuple[tuple[str, str], ...] = (
    ("start area", "binhai_new_area"),
    ("万亩千亿", "wanmu_qianyi"),
    ("sci-tech city", "science_city"),
    ("characteristic town", "characteristic_town"),
    ("micro-enterprise park", "micro_enterprise_park"),
    ("bonded", "open_platform"),
    ("pilot zone", "open_platform"),
    ("trade pilot", "open_platform"),
    ("open-cooperation", "open_platform"),
)
#: kinds the source text names for Shaoxing as a whole (no host unit in data/): one platform
#: of the kind's default area in each of the six units (ASSUMED: their count by unit is not
#: in data/), so that their levers act
SPREAD_KINDS = ("characteristic_town", "micro_enterprise_park")
#: rows of data/platforms.csv that are umbrellas over other rows: the Binhai New Area as a
#: whole (430 km²) contains its 47 km² start area and existing zones (Paojiang, the hi-tech
#: zone), which have rows of their own; counting it too would count land twice
UMBRELLA_PLATFORMS = ("binhai_new_area",)
#: share of a platform's land developed in the base year (assumed): the platforms the source
#: text announces as new (Binhai start area, 万亩千亿 platforms) were mostly still to be
#: built in 2019-2020; established zones about half. The levers develop the rest.
BASE_DEVELOPED_SHARE = {"binhai_new_area": 0.2, "wanmu_qianyi": 0.2}


def platform_kind(text: object) -> str:
    """Model kind of a data/platforms.csv row from its ``kind`` text (default
    development_zone)."""
    if isinstance(text, str):
        if text in platform_mechanism.KIND_NAMES:
            return text
        lowered = text.lower()
        for keyword, kind in PLATFORM_KIND_KEYWORDS:
            if keyword in lowered:
                return kind
    return "development_zone"


def initial_platforms(table: PlatformTable, start_year: int) -> None:
    """Platforms from data/platforms.csv; rows without a region or an area are skipped
    (documented), except the SPREAD_KINDS; UMBRELLA_PLATFORMS are skipped (their parts have
    rows). Base capacity is BASE_DEVELOPED_SHARE (default 0.5) of the full area.
    Default areas: a 万亩千亿 platform is 10,000 亩 by
    its name; a characteristic town 3 km² (Zhejiang's planning norm for 特色小镇, 浙政发
    〔2015〕8号: 'about 3 km²'); a micro-enterprise park 0.3 km² (assumed)."""
    frame = data_module.platforms_table()
    kinds = platform_mechanism.KIND_NAMES
    default_area = {
        "characteristic_town": 3.0,
        "micro_enterprise_park": 0.3,
        "wanmu_qianyi": 10_000.0 / platform_mechanism.MU_PER_KM2,
    }
    for row in frame.itertuples(index=False):
        if row.platform_id in UMBRELLA_PLATFORMS:
            continue
        kind = platform_kind(row.kind)
        if isinstance(row.region_id, str) and row.region_id:
            hosts = [row.region_id]
        elif kind in SPREAD_KINDS:
            hosts = list(REGIONS[:N_SHAOXING])
        else:
            continue
        area = row.area_km2 if pd.notna(row.area_km2) else default_area.get(kind)
        if area is None:
            continue
        mask = 0
        for sector in filter(None, str(row.sector_focus or "").split(";")):
            mask |= 1 << SECTOR_INDEX[sector.strip()]
        if mask == 0:
            mask = (1 << N_SECTORS) - 1
        full = float(area) * platform_mechanism.MU_PER_KM2
        opening = int(row.opening_year) if pd.notna(row.opening_year) else start_year
        subsidy, star = platform_mechanism.PLATFORM_KINDS[kind]
        base_capacity = BASE_DEVELOPED_SHARE.get(kind, 0.5) * full
        for host in hosts:
            # a platform open in the base year has its base capacity (base-year land, part of
            # the quota's L_r^0 in mechanisms/land.py [L1]); a later one starts empty and
            # expands within the free quota [L2]
            table.add(
                1,
                region=REGION_INDEX[host],
                kind=kinds.index(kind),
                capacity_mu=base_capacity if opening <= start_year else 0.0,
                used_mu=0.0,
                base_capacity_mu=base_capacity,
                full_capacity_mu=full,
                sector_mask=mask,
                opening_year=opening,
                subsidy=subsidy,
                star=star,
            )


def data_cache_key() -> tuple:
    """(data directory, (path, mtime, size) of every file in it and in its imported/): the
    key under which :func:`data_inputs` caches what it read."""
    directory = data_module.data_dir()
    entries = []
    for folder in (directory, directory / "imported"):
        try:
            with os.scandir(folder) as iterator:
                for entry in iterator:
                    if entry.is_file():
                        info = entry.stat()
                        entries.append((entry.path, info.st_mtime_ns, info.st_size))
        except FileNotFoundError:
            continue
    return str(directory), tuple(sorted(entries))


@lru_cache(maxsize=16)
def _cached_data_inputs(
    start_year: int, information_year: int | None, _fingerprint: tuple
) -> tuple:
    base = data_module.base_year(start_year, information_year)
    # travel times as they stood in the start year: a time published for a later year (a
    # link that opened later) is not part of the base year's geography (no look-ahead)
    hours, schedule = travel_hours_by_year(start_year, information_year)
    rd, _notes = base_rd_intensity(start_year, information_year)
    recorder = PlatformTable(capacity=64)
    initial_platforms(recorder, start_year)
    rows = [
        {name: column[row].item() for name, column in recorder.columns.items()}
        for row in range(recorder.size)
    ]
    return base, (hours, schedule), rd, rows


def travel_hours_by_year(
    start_year: int, information_year: int | None = None
) -> tuple[np.ndarray, tuple[tuple[int, np.ndarray], ...]]:
    """Base travel hours of ``start_year`` and the schedule of later openings.

    A time published for year y (data/travel_times.csv) belongs to the geography from y
    on: the base year's hours use the rows of years <= start_year (and rows without a
    year); each later year with rows gets the hours of all rows up to it. Rows of years
    after ``information_year`` are not read (no look-ahead)."""
    table = data_module.visible(data_module.published_travel_minutes(), information_year)
    years = table.year.astype("Int64")

    def hours_until(last: int) -> np.ndarray:
        valid = (years.isna() | (years.fillna(0) <= last)).to_numpy(dtype=bool)
        return base_travel_hours(
            published=[
                (o, d, float(m))
                for o, d, m in zip(
                    table.origin[valid], table.destination[valid], table.minutes[valid], strict=True
                )
            ]
        )

    later = sorted(int(y) for y in years.dropna().unique() if int(y) > start_year)
    return hours_until(start_year), tuple((y, hours_until(y)) for y in later)


def data_inputs(
    start_year: int, information_year: int | None = None
) -> tuple[
    data_module.BaseYear,
    np.ndarray,
    np.ndarray,
    list[dict[str, float]],
    tuple[tuple[int, np.ndarray], ...],
]:
    """Base year, travel hours, R&D intensity, platform rows and the schedule of later
    travel-time openings (:func:`travel_hours_by_year`) read from data/ for a run
    starting in ``start_year``; cached per process while no file in data/ (or its
    imported/ panel) changes, because parsing them was most of a default-scale run's
    start-up (docs/performance.md). Returns copies: callers may modify them."""
    base, (hours, schedule), rd, rows = _cached_data_inputs(
        start_year, information_year, data_cache_key()
    )
    base = data_module.BaseYear(
        year=base.year,
        gdp=base.gdp.copy(),
        population=base.population.copy(),
        provenance=base.provenance,
    )
    return (
        base,
        hours.copy(),
        rd.copy(),
        [dict(row) for row in rows],
        tuple((year, matrix.copy()) for year, matrix in schedule),
    )
