"""The national closure: one macro path of China's real GDP growth and GDP deflator that
drives both the agent-based corridor and the competitor cities (docs/model.md §5.9,
docs/ranking.md).

History (:func:`national_history`) comes from data/national_accounts.csv (NBS national
accounts; each row cites its publication). Levels are chained on a consistent basis:

* 2000-2019: NBS's historical series as revised after the 4th economic census (2018);
* 2020-2022: the final verified figures (最终核实, the same basis);
* 2023: the preliminary figure (still on the 4th-census basis) for the growth 2022-2023;
  the 5th-census revision of 2023 as the base of the growth 2023-2024;
* 2024 on: the preliminary figures (published on the 5th-census basis).

Real growth is the published growth at constant prices (same preference of series); the
deflator's log growth is the nominal log growth less the real one (a derivation: NBS
publishes no deflator).

Beyond the last published year (or the information date, whichever is earlier) the path is
simulated: each of x ∈ {real log growth, deflator log growth} follows an AR(1) around a
mean anchored on its last :data:`ANCHOR_YEARS` years,

    x_t - m_x = φ_x (x_{t-1} - m_x) + σ_x ε_{x,t},    corr(ε_real, ε_deflator) = ρ,

estimated by OLS on the years since :data:`FIT_FIRST_YEAR` up to the information date; each
replication also draws m_x from its sampling distribution (sd σ_x / ((1 - φ_x) √n),
Hamilton 1994 eq. 7.2.8), so the path carries parameter as well as shock uncertainty. The
anchor (rather than the window-wide mean) follows the competitor model's choice: China's
real growth fell from ~10% (2003-2011) to ~5% (2020-2024), and a process reverting to the
long mean would project the boom forward.

Randomness: replication r draws its national shocks from the sub-stream
:data:`growthpole.seeds.NATIONAL` of its own SeedSequence, so the ABM and the ranking of the
same replication see the same path, and the path is common across scenarios.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from growthpole import data as data_module
from growthpole import seeds as seeds_module
from growthpole.errors import DataError

#: the long-run means of the simulated processes are the means of their last this many years
ANCHOR_YEARS = 5
#: persistence estimates are clipped to this interval (stationarity of the simulation)
PERSISTENCE_BOUND = 0.9
#: first year of a growth rate in the estimation window: the "new normal" regime (NBS real
#: growth fell from ~10% to ~7% in 2012; Xi's "new normal" speech of May 2014 dates it), so
#: that the decline of the boom years does not masquerade as persistence
FIT_FIRST_YEAR = 2012
#: level series by preference, for years before the 5th economic census
LEVEL_SERIES = (
    "nbs-series-after-4th-census",
    "final-verified",
    "initial-verified",
    "bulletin-preliminary",
)
#: real-growth series by preference
GROWTH_SERIES = (
    "nbs-series-after-4th-census",
    "final-verified",
    "initial-verified",
    "bulletin-preliminary",
    "census-revised",
)


@dataclass(frozen=True)
class NationalHistory:
    """Realised national log growth rates by year (1/yr): ``years`` (T,), ``real`` (T,),
    ``deflator`` (T,); ``provenance`` one line per year (which series)."""

    years: np.ndarray
    real: np.ndarray
    deflator: np.ndarray
    provenance: tuple[str, ...]

    @property
    def nominal(self) -> np.ndarray:
        return self.real + self.deflator

    @property
    def last_year(self) -> int:
        return int(self.years[-1])

    def until(self, year: int | None) -> NationalHistory:
        if year is None:
            return self
        keep = self.years <= year
        return NationalHistory(
            self.years[keep],
            self.real[keep],
            self.deflator[keep],
            tuple(p for p, k in zip(self.provenance, keep, strict=True) if k),
        )


def _pick(
    table: pd.DataFrame, year: int, indicator: str, series: Sequence[str]
) -> tuple[float, str] | None:
    rows = table[(table.year == year) & (table.indicator == indicator)]
    for name in series:
        found = rows[rows.series == name]
        if len(found):
            return float(found.value.iloc[0]), name
    return None


def national_history(information_year: int | None = None) -> NationalHistory:
    """China's realised real and deflator log growth, years <= ``information_year``."""
    table = data_module.visible(data_module.load(data_module.NATIONAL_ACCOUNTS), information_year)
    table = table[table.geography == "china"]
    table = table.assign(year=table.year.astype(int))
    census = data_module.CENSUS_5_YEAR
    years, real, deflator, notes = [], [], [], []
    for year in sorted(set(table.year)):
        if year - 1 not in set(table.year):
            continue
        if year == census + 1:  # the first growth on the 5th-census basis
            previous = _pick(table, year - 1, "gdp_100m_cny", ("census-revised",))
            current = _pick(table, year, "gdp_100m_cny", ("bulletin-preliminary",))
        elif year > census + 1:
            previous = _pick(table, year - 1, "gdp_100m_cny", ("bulletin-preliminary",))
            current = _pick(table, year, "gdp_100m_cny", ("bulletin-preliminary",))
        else:  # one basis for both years: the most revised series holding both
            previous = current = None
            for name in LEVEL_SERIES:
                a = _pick(table, year - 1, "gdp_100m_cny", (name,))
                b = _pick(table, year, "gdp_100m_cny", (name,))
                if a is not None and b is not None:
                    previous, current = a, b
                    break
            if previous is None:  # the two years in different series (e.g. 2019 -> 2020)
                previous = _pick(table, year - 1, "gdp_100m_cny", LEVEL_SERIES)
                current = _pick(table, year, "gdp_100m_cny", LEVEL_SERIES)
        growth = _pick(table, year, "real_gdp_growth_pct", GROWTH_SERIES)
        if previous is None or current is None or growth is None:
            continue
        real_log = float(np.log1p(growth[0] / 100.0))
        years.append(year)
        real.append(real_log)
        deflator.append(float(np.log(current[0] / previous[0])) - real_log)
        notes.append(f"{year}: levels {previous[1]} -> {current[1]}, real growth {growth[1]}")
    if len(years) < 2 * ANCHOR_YEARS:
        raise DataError(
            f"national accounts hold {len(years)} years of growth up to "
            f"{information_year}; the national path needs >= {2 * ANCHOR_YEARS}",
            file=data_module.data_dir() / data_module.NATIONAL_ACCOUNTS.file,
            key="year",
        )
    return NationalHistory(np.array(years), np.array(real), np.array(deflator), tuple(notes))


@dataclass(frozen=True)
class NationalProcess:
    """AR(1) processes of real and deflator log growth (1/yr) with anchored means."""

    mean: np.ndarray  # (2,) m_real, m_deflator
    persistence: np.ndarray  # (2,) φ
    innovation_sd: np.ndarray  # (2,) σ
    correlation: float  # ρ of the two innovations
    mean_sd: np.ndarray  # (2,) sd of the anchored means
    fit_years: tuple[int, int]


def _ar1(series: np.ndarray) -> tuple[float, float, np.ndarray]:
    previous, current = series[:-1], series[1:]
    design = np.column_stack([np.ones_like(previous), previous])
    coef, *_ = np.linalg.lstsq(design, current, rcond=None)
    residual = current - design @ coef
    sd = float(np.sqrt(residual @ residual / max(len(current) - 2, 1)))
    return float(coef[1]), sd, residual


def fit_national_process(
    history: NationalHistory, *, anchor_years: int = ANCHOR_YEARS
) -> NationalProcess:
    """OLS AR(1) of each series on the years >= FIT_FIRST_YEAR of ``history`` (at least its
    last ten years: an information date before 2021 reaches back before the regime)."""
    keep = history.years >= min(FIT_FIRST_YEAR, history.last_year - 9)
    series = np.stack([history.real[keep], history.deflator[keep]])
    persistence, sds, residuals = [], [], []
    for x in series:
        phi, sd, residual = _ar1(x)
        persistence.append(float(np.clip(phi, -PERSISTENCE_BOUND, PERSISTENCE_BOUND)))
        sds.append(sd)
        residuals.append(residual)
    persistence_array, sd_array = np.array(persistence), np.array(sds)
    correlation = float(np.corrcoef(residuals[0], residuals[1])[0, 1])
    mean = series[:, -anchor_years:].mean(axis=1)
    mean_sd = sd_array / ((1.0 - persistence_array) * np.sqrt(anchor_years))
    years = history.years[keep]
    return NationalProcess(
        mean=mean,
        persistence=persistence_array,
        innovation_sd=sd_array,
        correlation=correlation,
        mean_sd=mean_sd,
        fit_years=(int(years[0]), int(years[-1])),
    )


@lru_cache(maxsize=16)
def _cached(information_year: int | None, _fingerprint: tuple) -> tuple:
    history = national_history(information_year)
    return history, fit_national_process(history)


def national_model(information_year: int | None = None) -> tuple[NationalHistory, NationalProcess]:
    """The realised history up to ``information_year`` and the process fitted on it
    (cached while data/national_accounts.csv is unchanged)."""
    path = data_module.data_dir() / data_module.NATIONAL_ACCOUNTS.file
    stat = path.stat() if path.is_file() else None
    fingerprint = (str(path), stat.st_mtime_ns if stat else 0, stat.st_size if stat else 0)
    return _cached(information_year, fingerprint)


def national_path(
    seed: np.random.SeedSequence, years: Sequence[int], *, information_year: int | None = None
) -> np.ndarray:
    """(len(years), 2) real and deflator log growth of one replication for ``years``.

    Years the history holds (up to ``information_year``) take the realised values; later
    years are simulated from the process, continuing from the last
    realised year, with this replication's draws of the means and shocks (sub-stream
    NATIONAL of ``seed``; year k's shock does not depend on the horizon)."""
    history, process = national_model(information_year)
    years = [int(y) for y in years]
    last = history.last_year
    out = np.empty((len(years), 2))
    rng = seeds_module.generator(seed, seeds_module.NATIONAL)
    horizon = max([y - last for y in years] + [0])
    draws = rng.standard_normal((1 + max(horizon, 0), 2))  # row 0: the means
    mean = process.mean + process.mean_sd * draws[0]
    cholesky = np.linalg.cholesky(
        np.array([[1.0, process.correlation], [process.correlation, 1.0]]) + 1e-12 * np.eye(2)
    )
    simulated = {}
    state = np.array([history.real[-1], history.deflator[-1]])
    for k in range(1, horizon + 1):
        shock = cholesky @ draws[k]
        state = mean + process.persistence * (state - mean) + process.innovation_sd * shock
        simulated[last + k] = state.copy()
    position = {int(y): i for i, y in enumerate(history.years)}
    for i, year in enumerate(years):
        if year in position:
            out[i] = (history.real[position[year]], history.deflator[position[year]])
        elif year in simulated:
            out[i] = simulated[year]
        else:  # before the history: the mean
            out[i] = mean
    return out


def expected_growth(information_year: int | None = None) -> np.ndarray:
    """(2,) the anchored means of real and deflator log growth (1/yr)."""
    return national_model(information_year)[1].mean.copy()


def trailing_growth(year: int) -> tuple[float, float]:
    """Mean real and deflator log growth of the :data:`ANCHOR_YEARS` years up to ``year``
    (data of years <= ``year`` only): the growth the base year's economy expects, which
    sets its balanced-growth capital (initialisation.initial_state)."""
    history = national_model(None)[0].until(year)
    keep = history.years > year - ANCHOR_YEARS
    return float(history.real[keep].mean()), float(history.deflator[keep].mean())
