"""Target moments: observed values from data/ (read at run time, never hard-coded) and the
same quantities computed from simulated paths.

Moment space (errors are simulated minus observed in it, so all are ~ relative errors):

============== ======================================= ======================================
kind           observed (data/)                        simulated (model)
============== ======================================= ======================================
gdp            log GDP, 亿元 current prices, from      log Σ regions' ``gdp`` (current prices)
               :func:`growthpole.data.active_city_panel`
real_growth    real GDP growth, fraction/yr, from      gdp_real_t / gdp_real_{t-1} - 1
               corridor_indicators real_gdp_growth_pct
secondary_share share of the secondary sector in GDP,  industrial sectors' value added /
               fraction, corridor_indicators            gdp_real (ASSUMED mapping: the model's
               secondary_share_pct                      sectors other than services and digital
                                                        economy are industry; the non-modelled
                                                        component holds agriculture and public
                                                        services)
population     log resident population, 万人, from     log Σ regions' ``population``
               corridor_indicators resident_population_10k
============== ======================================= ======================================

Only observations that exist are used ("weight by availability": a sparse target enters the
loss with the observations it has, see :class:`MomentSet`). The window's first year is the
model's initial condition (matched exactly by construction), so GDP and population moments
start the year after it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

import numpy as np

from growthpole import data as data_module
from growthpole.calibration.base import CITIES, MomentKind, SimulatedPaths
from growthpole.calibration.spec import Target
from growthpole.regions import CORRIDOR_CITY_CODES, N_SHAOXING, REGION_INDEX, SECTORS

#: model sectors counted as industry (secondary sector) for the secondary_share moment
INDUSTRY_SECTORS = tuple(s for s in SECTORS if s not in ("services", "digital_economy"))


def _city_columns(values: np.ndarray) -> np.ndarray:
    """(T, N_REGIONS) -> (T, len(CITIES)): Shaoxing = sum of its units, poles as they are."""
    shaoxing = values[:, :N_SHAOXING].sum(axis=1, keepdims=True)
    poles = values[:, [REGION_INDEX[c] for c in CITIES[1:]]]
    return np.concatenate([shaoxing, poles], axis=1)


def paths_from_records(records: Sequence[dict[str, np.ndarray]]) -> SimulatedPaths:
    """:class:`SimulatedPaths` from a model's yearly records (``GrowthPoleModel.records``),
    without building the city-year DataFrame (faster inside the calibration loop)."""
    years = np.array([int(r["year"][0]) for r in records])

    def stack(column: str) -> np.ndarray:
        return np.stack([np.asarray(r[column], dtype=float) for r in records])

    # INDUSTRY_SECTORS is not empty: the sum is an array, not the start value 0
    industry = cast(np.ndarray, sum(stack(f"va_{s}") for s in INDUSTRY_SECTORS))
    return SimulatedPaths(
        years=years,
        gdp=_city_columns(stack("gdp")),
        gdp_real=_city_columns(stack("gdp_real")),
        population=_city_columns(stack("population")),
        industry_va=_city_columns(industry),
    )


def paths_from_city_year(city_year) -> list[SimulatedPaths]:
    """Per-replication :class:`SimulatedPaths` from a city-year table (runner output)."""
    out = []
    for _, block in city_year.groupby("replication", sort=True):
        years = np.sort(block.year.unique())
        cols = {}
        industry_cols = [f"va_{s}" for s in INDUSTRY_SECTORS]
        block = block.assign(industry_va=block[industry_cols].sum(axis=1))
        for column in ("gdp", "gdp_real", "population", "industry_va"):
            wide = block.pivot_table(
                index="year", columns="region", values=column, aggfunc="first"
            ).reindex(years)
            cols[column] = wide[list(CITIES)].to_numpy(dtype=float)
        out.append(SimulatedPaths(years=years, **cols))
    return out


def _index(paths: SimulatedPaths, years: Sequence[int]) -> np.ndarray:
    position = {int(y): i for i, y in enumerate(paths.years)}
    return np.array([position[int(y)] for y in years], dtype=np.int64)


class GdpLevel(MomentKind):
    name = "gdp"
    error_unit = "log points (≈ relative error of GDP, current prices)"

    def observed(self, city: str, years: Sequence[int]) -> dict[int, float]:
        """Published log GDP on the model's basis: figures published on the 5th economic
        census's basis (2024 on) are moved back by the census revision (a derivation,
        data.census_5_revision; the model's levels continue the pre-census basis)."""
        panel = data_module.active_city_panel()
        rows = panel[panel.city_code.astype(int) == CORRIDOR_CITY_CODES[city]]
        wanted = {int(y) for y in years}
        revision = 0.0
        if "census_5_basis" in rows and rows.census_5_basis.astype(bool).any():
            revision = data_module.census_5_revision()[0]
        basis = (
            rows.census_5_basis.astype(bool)
            if "census_5_basis" in rows
            else np.zeros(len(rows), bool)
        )
        return {
            int(y): float(np.log(v)) - (revision if on_census_5 else 0.0)
            for y, v, on_census_5 in zip(rows.year, rows.gdp_100m_cny, basis, strict=True)
            if int(y) in wanted
        }

    def simulated(self, paths: SimulatedPaths, city: str, years: Sequence[int]) -> np.ndarray:
        return np.log(paths.gdp[_index(paths, years), CITIES.index(city)])

    def to_natural(self, value: float) -> float:
        return float(np.exp(value))


class _Indicator(MomentKind):
    indicator = ""
    log = False
    percent = False

    def observed(self, city: str, years: Sequence[int]) -> dict[int, float]:
        table = data_module.load(data_module.CORRIDOR_INDICATORS)
        rows = table[
            (table.city_code.astype(int) == CORRIDOR_CITY_CODES[city])
            & (table.indicator == self.indicator)
        ]
        wanted = {int(y) for y in years}
        out = {}
        for year, value in zip(rows.year, rows.value, strict=True):
            if int(year) in wanted:
                value = float(value)
                out[int(year)] = (
                    float(np.log(value)) if self.log else (value / 100.0 if self.percent else value)
                )
        return out

    def to_natural(self, value: float) -> float:
        return float(np.exp(value)) if self.log else (100.0 * value if self.percent else value)


class RealGrowth(_Indicator):
    name = "real_growth"
    indicator = "real_gdp_growth_pct"
    percent = True
    error_unit = "fraction per year (0.01 = 1 percentage point)"

    def simulated(self, paths: SimulatedPaths, city: str, years: Sequence[int]) -> np.ndarray:
        column = CITIES.index(city)
        index = _index(paths, years)
        return paths.gdp_real[index, column] / paths.gdp_real[index - 1, column] - 1.0


class SecondaryShare(_Indicator):
    name = "secondary_share"
    indicator = "secondary_share_pct"
    percent = True
    error_unit = "fraction of GDP (0.01 = 1 percentage point)"

    def simulated(self, paths: SimulatedPaths, city: str, years: Sequence[int]) -> np.ndarray:
        column = CITIES.index(city)
        index = _index(paths, years)
        return paths.industry_va[index, column] / paths.gdp_real[index, column]


class Population(_Indicator):
    name = "population"
    indicator = "resident_population_10k"
    log = True
    error_unit = "log points (≈ relative error of resident population)"

    def simulated(self, paths: SimulatedPaths, city: str, years: Sequence[int]) -> np.ndarray:
        return np.log(paths.population[_index(paths, years), CITIES.index(city)])


MOMENT_KINDS: dict[str, MomentKind] = {
    k.name: k for k in (GdpLevel(), RealGrowth(), SecondaryShare(), Population())
}


@dataclass(frozen=True)
class Observation:
    target: int  # index into MomentSet.targets
    year: int
    value: float  # moment space
    weight: float


@dataclass(frozen=True)
class MomentSet:
    """The observed moments of a spec's targets over a window.

    Loss weights: target t with weight w_t contributes w_t / n_years per observation, where
    n_years is the number of years of the window after its first; a target with data in
    every year thus weighs w_t × its mean squared error, a sparse target proportionally
    less (weight by availability).
    """

    targets: tuple[Target, ...]
    observations: tuple[Observation, ...]
    start: int
    end: int

    @classmethod
    def build(cls, targets: Sequence[Target], start: int, end: int) -> MomentSet:
        years = list(range(start + 1, end + 1))
        observations = []
        for index, target in enumerate(targets):
            kind = MOMENT_KINDS[target.kind]
            for year, value in sorted(kind.observed(target.city, years).items()):
                observations.append(
                    Observation(index, year, value, target.weight / max(len(years), 1))
                )
        return cls(tuple(targets), tuple(observations), start, end)

    @classmethod
    def every_year(cls, targets: Sequence[Target], start: int, end: int) -> MomentSet:
        """Observations in every year of the window for every target, with value NaN: a
        template for synthetic histories (:meth:`with_observed`), e.g. parameter-recovery
        tests. Never used against real data (which are only what data/ holds)."""
        years = list(range(start + 1, end + 1))
        observations = [
            Observation(i, y, float("nan"), t.weight / len(years))
            for i, t in enumerate(targets)
            for y in years
        ]
        return cls(tuple(targets), tuple(observations), start, end)

    def with_observed(self, values: np.ndarray) -> MomentSet:
        """The same observations with other observed values (moment space)."""
        values = np.asarray(values, dtype=float)
        if values.shape != (len(self.observations),):
            raise ValueError(f"expected {len(self.observations)} values, got {values.shape}")
        observations = tuple(
            Observation(o.target, o.year, float(v), o.weight)
            for o, v in zip(self.observations, values, strict=True)
        )
        return MomentSet(self.targets, observations, self.start, self.end)

    @property
    def observed(self) -> np.ndarray:
        return np.array([o.value for o in self.observations])

    @property
    def weights(self) -> np.ndarray:
        return np.array([o.weight for o in self.observations])

    def counts(self) -> dict[str, int]:
        out = {t.label: 0 for t in self.targets}
        for o in self.observations:
            out[self.targets[o.target].label] += 1
        return out

    def simulate(self, paths: SimulatedPaths) -> np.ndarray:
        """The simulated moment vector of one replication (same order as observations)."""
        out = np.empty(len(self.observations))
        groups: dict[int, list[int]] = {}
        for i, o in enumerate(self.observations):
            groups.setdefault(o.target, []).append(i)
        for target_index, rows in groups.items():
            target = self.targets[target_index]
            years = [self.observations[i].year for i in rows]
            out[rows] = MOMENT_KINDS[target.kind].simulated(paths, target.city, years)
        return out

    def loss(self, simulated: np.ndarray, replication_weights: np.ndarray | None = None) -> float:
        """Weighted squared distance between the replication-mean simulated moments and the
        observed ones (method of simulated moments, diagonal weighting; McFadden 1989,
        Pakes & Pollard 1989). ``simulated``: (R, M); ``replication_weights``: (R,) summing
        to 1 (bootstrap resamples), default equal."""
        simulated = np.asarray(simulated, dtype=float)
        if replication_weights is None:
            mean = simulated.mean(axis=0)
        else:
            mean = np.tensordot(replication_weights, simulated, axes=1)
        error = mean - self.observed
        value = float(np.sum(self.weights * error**2))
        return value if np.isfinite(value) else float("inf")
