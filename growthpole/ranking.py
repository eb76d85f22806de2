"""The national competitor model and Shaoxing's national GDP rank as a distribution.

Cities outside the simulated corridor (Shaoxing 330600, Hangzhou 330100, Ningbo 330200,
Shanghai 310000 come from the agent-based model) are not agents: each follows a stochastic
log-GDP growth process estimated from its own history in the ranking panel
(:func:`growthpole.panel.ranking_panel`: one source per year, the imported national panel
where it covers the year). The process is a one-factor panel model with AR(1) dynamics
(cf. Stock & Watson 2002 for factor models of panels; Hamilton 1994 ch. 8 for AR(1) OLS):

    g_{i,t} = y_{i,t} - y_{i,t-1}                    log growth of nominal GDP (1/yr)
    f_t     = mean_i g_{i,t}                          national factor: cross-sectional mean
    f_t - m = phi (f_{t-1} - m) + sigma_f eta_t       factor AR(1), eta ~ N(0, 1)
    g_{i,t} = alpha_i + beta_i f_t + u_{i,t}          city trend alpha_i and loading beta_i
    u_{i,t} = rho_i u_{i,t-1} + sigma_i eps_{i,t}     city persistence rho_i, eps ~ N(0, 1)

estimated by ordinary least squares per equation (numpy ``lstsq``) on the national years of
the estimation window. The factor's long-run mean m is the mean of the factor over the last
:data:`FACTOR_ANCHOR_YEARS` years of the window rather than the window-wide intercept
c / (1 - phi): Chinese nominal growth fell from ~17%/yr (2003-2011) to ~6-9%/yr (2014-2021),
and a factor reverting to the window-wide mean projects the boom years forward (see
docs/ranking.md for the hindcast that measures both choices).

The competitor set is the cities ever ranked within the national top :data:`COMPETITOR_TOP`
in the estimation window (any city that could stand above Shaoxing, ranked 28-38 in
2000-2021; a city from below 60 overtaking Shaoxing within the horizon is outside the
model, a documented truncation).

Randomness: replication r draws all its competitor shocks from the sub-stream
``growthpole.seeds.COMPETITORS`` of its own SeedSequence, so the draws are common across
scenarios (common random numbers) and independent of the agent-based model's streams.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from growthpole import seeds as seeds_module
from growthpole.data import CENSUS_5_YEAR, census_5_revision, imported_panel_path
from growthpole.errors import DataError
from growthpole.panel import national_years, ranking_panel
from growthpole.regions import CORRIDOR_CITY_CODES

#: cities ever ranked within this national top in the estimation window are competitors
COMPETITOR_TOP = 60
#: first year of the default estimation window
FIT_FIRST_YEAR = 2000
#: the factor's long-run mean is its mean over the last this many years of the window
FACTOR_ANCHOR_YEARS = 5
#: a competitor needs at least this many growth observations in the window
MIN_GROWTH_OBSERVATIONS = 6
#: persistence estimates are clipped to this interval (stationarity of the simulation)
PERSISTENCE_BOUND = 0.95
#: rows of parameter draws at the top of each replication's shock block
PARAMETER_ROWS = 2
#: the ABM rows that enter the ranking, by region name in city_year
CORRIDOR_ROWS = {
    "shaoxing": CORRIDOR_CITY_CODES["shaoxing"],
    "hangzhou": CORRIDOR_CITY_CODES["hangzhou"],
    "ningbo": CORRIDOR_CITY_CODES["ningbo"],
    "shanghai": CORRIDOR_CITY_CODES["shanghai"],
}


@dataclass(frozen=True)
class CompetitorModel:
    """Fitted competitor process and the realised history it conditions on.

    Arrays over competitors (C,): ``city_codes``, ``alpha`` (1/yr), ``beta`` (1),
    ``rho`` (1), ``sigma`` (1/yr). History arrays over ``history_years`` (H,):
    ``log_gdp`` (H, C) realised log GDP (亿元), NaN where the panel holds no value;
    ``factor`` (H,) realised factor; ``residual`` (H, C) realised u_{i,t}.
    """

    city_codes: np.ndarray
    city_names: tuple[str, ...]
    alpha: np.ndarray
    beta: np.ndarray
    rho: np.ndarray
    sigma: np.ndarray
    factor_mean: float
    factor_persistence: float
    factor_sd: float
    factor_intercept_mean: float  # c / (1 - phi) of the factor regression (reported only)
    factor_mean_sd: float  # standard error of factor_mean (drawn once per replication)
    coefficient_cholesky: np.ndarray  # (C, 2, 2) Cholesky factor of cov(alpha_i, beta_i)
    corridor_beta: dict[int, float]  # factor loadings of the corridor cities (by city code)
    fit_years: tuple[int, int]
    history_years: np.ndarray
    log_gdp: np.ndarray
    factor: np.ndarray
    residual: np.ndarray
    #: log ratio of post- to pre-census GDP (5th economic census, 2023), the median over the
    #: cities that publish both; all levels inside the model are on the pre-census basis
    census_5_revision: float = 0.0
    #: the first year whose published figures are on the census basis (in history, the
    #: panel's own vintage of that year decides; every simulated year after is on it)
    census_5_first_year: int = CENSUS_5_YEAR + 1
    #: the factor on the national path, f_t = a + b n_t + e_t (n_t China's nominal log GDP
    #: growth, growthpole/national.py; OLS over the fit window): (a, b, sd of e)
    national_loading: tuple[float, float, float] | None = None

    def basis_shift(self, years: Sequence[int] | np.ndarray) -> np.ndarray:
        """Log shift from the model's pre-census basis to the published basis, by year."""
        years = np.asarray(years)
        return np.where(years >= self.census_5_first_year, self.census_5_revision, 0.0)

    @property
    def last_history_year(self) -> int:
        return int(self.history_years[-1])

    def describe(self) -> pd.DataFrame:
        """One row per competitor with its estimated parameters."""
        return pd.DataFrame(
            {
                "city_code": self.city_codes,
                "city": self.city_names,
                "alpha": self.alpha,
                "beta": self.beta,
                "rho": self.rho,
                "sigma": self.sigma,
            }
        )


# ---------------------------------------------------------------------------------------
# estimation
# ---------------------------------------------------------------------------------------


def estimate_ar1(series: np.ndarray, *, intercept: bool) -> tuple[float, float, float]:
    """OLS of x_t on x_{t-1} (and a constant): returns (constant, persistence, innovation sd).

    NaN pairs are skipped. The sd uses n - k degrees of freedom (k regressors).
    """
    x = np.asarray(series, dtype=float)
    previous, current = x[:-1], x[1:]
    ok = np.isfinite(previous) & np.isfinite(current)
    previous, current = previous[ok], current[ok]
    columns = [previous] if not intercept else [np.ones_like(previous), previous]
    design = np.column_stack(columns)
    k = design.shape[1]
    if len(current) <= k:
        return 0.0, 0.0, float(np.nanstd(x)) if np.isfinite(x).sum() > 1 else 0.0
    coef, *_ = np.linalg.lstsq(design, current, rcond=None)
    residual = current - design @ coef
    sd = float(np.sqrt(residual @ residual / (len(current) - k)))
    return (float(coef[0]), float(coef[1]), sd) if intercept else (0.0, float(coef[0]), sd)


def estimate_city(growth: np.ndarray, factor: np.ndarray) -> tuple[float, float, float, float]:
    """One city's (alpha, beta, rho, sigma) from its growth series and the factor (T,).

    alpha, beta: OLS of g_t on (1, f_t); rho: OLS (no constant) of the residual on its lag;
    sigma: sd of the AR(1) innovations. NaN entries are skipped.
    """
    ok = np.isfinite(growth) & np.isfinite(factor)
    design = np.column_stack([np.ones(ok.sum()), factor[ok]])
    (alpha, beta), *_ = np.linalg.lstsq(design, growth[ok], rcond=None)
    residual = np.full(growth.shape, np.nan)
    residual[ok] = growth[ok] - design @ np.array([alpha, beta])
    _, rho, sigma = estimate_ar1(residual, intercept=False)
    rho = float(np.clip(rho, -PERSISTENCE_BOUND, PERSISTENCE_BOUND))
    return float(alpha), float(beta), rho, sigma


def coefficient_covariance(
    growth: np.ndarray, factor: np.ndarray, rho: float, sigma: float
) -> np.ndarray:
    """2x2 sampling covariance of (alpha, beta) of :func:`estimate_city`.

    OLS covariance s^2 (X'X)^-1 with s the long-run sd of the AR(1) errors,
    sigma / (1 - rho) (the long-run variance correction for serially correlated errors,
    Hamilton 1994 eq. 10.5.15 for an AR(1); Newey & West 1987 in spirit).
    """
    ok = np.isfinite(growth) & np.isfinite(factor)
    design = np.column_stack([np.ones(ok.sum()), factor[ok]])
    long_run_sd = sigma / (1.0 - rho)
    return long_run_sd**2 * np.linalg.pinv(design.T @ design)


def _wide(panel: pd.DataFrame, years: Sequence[int]) -> pd.DataFrame:
    block = panel[panel.year.isin(list(years))]
    return block.pivot_table(
        index="year", columns="city_code", values="gdp_100m_cny", aggfunc="first"
    ).reindex(list(years))


def fit_competitor_model(
    panel: pd.DataFrame | None = None,
    *,
    fit_first_year: int = FIT_FIRST_YEAR,
    fit_last_year: int | None = None,
    history_last_year: int | None = None,
    top: int = COMPETITOR_TOP,
    anchor_years: int | None = FACTOR_ANCHOR_YEARS,
    parameter_uncertainty: bool = True,
    census_revision: float | None = None,
) -> CompetitorModel:
    """Estimate the competitor model on the national years of ``panel``.

    ``panel``: city GDP (columns city_code, year, gdp_100m_cny[, city]); default the ranking
    panel. Only years holding a national cross-section are used (see
    :func:`growthpole.panel.national_years`). ``fit_last_year`` defaults to the last such
    year; ``history_last_year`` (default: the panel's last year) is the last year of
    realised values the simulation may condition on: the years after the fit window are
    *partial* (realised where the panel holds a city, simulated for the others). A panel
    with the column ``census_5_basis`` has its post-census figures brought to the
    pre-census basis by ``census_revision`` (default
    :func:`growthpole.data.census_5_revision`). ``anchor_years=None`` makes the factor revert
    to the window-wide mean c / (1 - phi) instead of the mean of its last years.
    """
    panel = ranking_panel() if panel is None else panel
    available = national_years(panel)
    if fit_last_year is None:
        fit_last_year = available[-1] if available else fit_first_year
    window = [y for y in available if fit_first_year <= y <= fit_last_year]
    if len(window) < MIN_GROWTH_OBSERVATIONS + 1:
        raise DataError(
            f"the city GDP panel covers {len(window)} national years in "
            f"{fit_first_year}-{fit_last_year} (need >= {MIN_GROWTH_OBSERVATIONS + 1} years "
            f"with >= 60 cities) to estimate the competitor model; the shipped data/"
            f"city_gdp.csv holds 2000-2021 (check that it is intact: `growthpole data check`)",
            file=imported_panel_path(),
            key="year",
        )
    if history_last_year is None:  # every realised year, partial ones included
        history_last_year = max(fit_last_year, int(panel.year.max()))
    years = list(range(window[0], history_last_year + 1))
    # national years inside the window; after it, the partial years the panel holds
    usable = [y for y in years if y in set(available) or y > fit_last_year]
    wide = _wide(panel, usable).reindex(years)
    # levels on one basis: published post-census figures (5th economic census, 2023) are
    # brought to the pre-census basis by the median revision of the cities that publish both
    if "census_5_basis" in panel.columns and bool(panel.census_5_basis.any()):
        revision = census_5_revision()[0] if census_revision is None else census_revision
        basis = (
            panel[panel.year.isin(usable)]
            .pivot_table(
                index="year", columns="city_code", values="census_5_basis", aggfunc="first"
            )
            .reindex(index=years, columns=wide.columns)
        )
        on_census_basis = basis.fillna(False).to_numpy(dtype=bool)
        census_years = panel.loc[panel.census_5_basis.astype(bool), "year"]
        census_first_year = int(census_years.min())
    else:
        revision = 0.0 if census_revision is None else census_revision
        on_census_basis = np.zeros(wide.shape, dtype=bool)
        census_first_year = CENSUS_5_YEAR + 1
    fit_rows = np.array([y <= fit_last_year for y in years])
    ranks = wide[fit_rows].rank(axis=1, ascending=False, method="min")
    corridor = set(CORRIDOR_CITY_CODES.values())
    last_years = window[-3:]
    candidates = [
        c
        for c in wide.columns
        if c not in corridor and (ranks[c] <= top).any() and wide.loc[last_years, c].notna().any()
    ]
    columns = [wide.columns.get_loc(c) for c in candidates]
    log_gdp = (
        np.log(wide[candidates].to_numpy(dtype=float)) - revision * on_census_basis[:, columns]
    )
    growth = np.diff(log_gdp, axis=0, prepend=np.nan)
    enough = np.isfinite(growth[fit_rows]).sum(axis=0) >= MIN_GROWTH_OBSERVATIONS
    codes = np.array(candidates, dtype=np.int64)[enough]
    log_gdp, growth = log_gdp[:, enough], growth[:, enough]
    counts = np.isfinite(growth).sum(axis=1)
    sums = np.where(np.isfinite(growth), growth, 0.0).sum(axis=1)
    # the factor is defined in years where at least a third of the competitors grow on record
    factor = np.where(counts >= max(5, len(codes) // 3), sums / np.maximum(counts, 1), np.nan)
    params = np.array(
        [estimate_city(growth[fit_rows, i], factor[fit_rows]) for i in range(len(codes))]
    ).reshape(-1, 4)
    alpha, beta, rho, sigma = params.T
    cholesky = np.zeros((len(codes), 2, 2))
    if parameter_uncertainty:
        for i in range(len(codes)):
            covariance = coefficient_covariance(
                growth[fit_rows, i], factor[fit_rows], rho[i], sigma[i]
            )
            cholesky[i] = np.linalg.cholesky(covariance + 1e-12 * np.eye(2))
    residual = growth - (alpha + beta * factor[:, None])
    intercept, phi, factor_sd = estimate_ar1(factor[fit_rows], intercept=True)
    phi = float(np.clip(phi, -PERSISTENCE_BOUND, PERSISTENCE_BOUND))
    intercept_mean = intercept / (1.0 - phi)
    fit_factor = factor[fit_rows]
    fit_factor = fit_factor[np.isfinite(fit_factor)]
    factor_mean = float(np.mean(fit_factor[-anchor_years:])) if anchor_years else intercept_mean
    corridor_beta = {}
    for code in CORRIDOR_CITY_CODES.values():
        if code in wide.columns:
            own = np.diff(np.log(wide[code].to_numpy(dtype=float)), prepend=np.nan)[fit_rows]
            if (np.isfinite(own) & np.isfinite(factor[fit_rows])).sum() >= MIN_GROWTH_OBSERVATIONS:
                corridor_beta[int(code)] = estimate_city(own, factor[fit_rows])[1]
                continue
        corridor_beta[int(code)] = 1.0  # no history: the national average loading
    # standard error of an AR(1) sample mean over n years: sigma_f / ((1 - phi) sqrt(n))
    # (long-run variance of an AR(1), Hamilton 1994 eq. 7.2.8)
    anchor_n = min(anchor_years, len(fit_factor)) if anchor_years else len(fit_factor)
    factor_mean_sd = factor_sd / ((1.0 - phi) * np.sqrt(anchor_n)) if parameter_uncertainty else 0.0
    national_loading = _fit_national_loading(np.array(years)[fit_rows], factor[fit_rows])
    names = panel.drop_duplicates("city_code", keep="last").set_index("city_code")
    city_names = tuple(str(names.city.get(c, c)) if "city" in names else str(c) for c in codes)
    return CompetitorModel(
        city_codes=codes,
        city_names=city_names,
        alpha=alpha,
        beta=beta,
        rho=rho,
        sigma=sigma,
        factor_mean=factor_mean,
        factor_persistence=phi,
        factor_sd=factor_sd,
        factor_intercept_mean=float(intercept_mean),
        factor_mean_sd=float(factor_mean_sd),
        coefficient_cholesky=cholesky,
        corridor_beta=corridor_beta,
        fit_years=(window[0], fit_last_year),
        history_years=np.array(years),
        log_gdp=log_gdp,
        factor=factor,
        residual=residual,
        census_5_revision=float(revision),
        census_5_first_year=census_first_year,
        national_loading=national_loading,
    )


def _fit_national_loading(
    years: np.ndarray, factor: np.ndarray
) -> tuple[float, float, float] | None:
    """OLS of the competitors' factor on China's nominal log growth over the fit years
    (None when the national accounts do not cover at least MIN_GROWTH_OBSERVATIONS of
    them, e.g. a synthetic panel)."""
    from growthpole.national import national_history

    try:
        history = national_history(None)
    except DataError:
        return None
    nominal = dict(zip(history.years.astype(int), history.nominal, strict=True))
    pairs = [
        (nominal[int(y)], f)
        for y, f in zip(years, factor, strict=True)
        if int(y) in nominal and np.isfinite(f)
    ]
    if len(pairs) < MIN_GROWTH_OBSERVATIONS:
        return None
    x, y = np.array(pairs).T
    design = np.column_stack([np.ones_like(x), x])
    (a, b), *_ = np.linalg.lstsq(design, y, rcond=None)
    residual = y - design @ np.array([a, b])
    sd = float(np.sqrt(residual @ residual / max(len(y) - 2, 1)))
    return float(a), float(b), sd


@lru_cache(maxsize=4)
def _default_model(_path: str, _imported_mtime: int) -> CompetitorModel:
    return fit_competitor_model()


def default_model() -> CompetitorModel:
    """The competitor model fitted on the ranking panel (cached per imported-panel file)."""
    path = imported_panel_path()
    return _default_model(str(path), path.stat().st_mtime_ns if path.is_file() else 0)


# ---------------------------------------------------------------------------------------
# simulation
# ---------------------------------------------------------------------------------------


def draw_shocks(generators: Sequence[np.random.Generator], steps: int, cities: int) -> np.ndarray:
    """Standard normal shocks (R, PARAMETER_ROWS + steps, 1 + cities).

    Rows 0-1 are parameter draws (row 0: column 0 the factor's long-run mean, columns 1.. the
    cities' alpha; row 1: columns 1.. the cities' beta); row PARAMETER_ROWS + k - 1 holds
    year k's shocks (column 0 the factor, then the cities). Each replication draws its whole
    block from its own generator, so year k's shocks do not depend on the horizon."""
    return np.stack([g.standard_normal((PARAMETER_ROWS + steps, 1 + cities)) for g in generators])


def simulate_competitors(
    model: CompetitorModel,
    years: Sequence[int] | np.ndarray,
    generators: Sequence[np.random.Generator],
    *,
    history_until: int | None = None,
    national: Mapping[int, np.ndarray] | None = None,
) -> np.ndarray:
    """Competitor GDP (亿元, current prices), shape (replications, len(years), cities).

    The recursion starts at the first history year and runs to ``max(years)``. In every
    year up to ``history_until`` (default: the last history year, i.e. all realised data)
    a competitor's realised value, factor and residual replace the simulated ones where the
    panel holds them (history is history); after it, everything is simulated. In the
    realised years of the fit window (national years) a city the panel lacks is NaN (it does
    not count in a rank), so that historical ranks are the panel's own; in the partial years
    after it a city the panel lacks is simulated, conditional on the realised factor and on
    its own last realised residual. Values are on each year's published basis
    (:meth:`CompetitorModel.basis_shift`).

    ``national``: year -> (R,) China's nominal log growth of each replication (the national
    closure, growthpole/national.py). When given (and the model has a national loading), the
    factor of every year without a realised factor is a + b n_t + e_t (the competitors live
    in the same national economy as the corridor) instead of the factor's own AR(1).
    """
    years = np.asarray(list(years), dtype=np.int64)
    first = int(model.history_years[0])
    if years.min() < first:
        raise DataError(
            f"the competitor model's history starts in {first} (its estimation "
            f"window); cannot rank year {int(years.min())}: start the scenario in "
            f"{first} or later",
            file=imported_panel_path(),
            key="year",
        )
    last = int(max(years.max(), first))
    history_until = model.last_history_year if history_until is None else history_until
    history_until = min(history_until, model.last_history_year)
    steps = last - first
    n_cities = len(model.city_codes)
    n_reps = len(generators)
    shocks = draw_shocks(generators, steps, n_cities)
    out_index = {int(y): k for k, y in enumerate(years)}
    result = np.full((n_reps, len(years), n_cities), np.nan)
    level = np.broadcast_to(model.log_gdp[0], (n_reps, n_cities)).copy()
    mean = model.factor_mean + model.factor_mean_sd * shocks[:, 0, 0]  # (R,)
    # (alpha, beta) per replication and city from their sampling distribution
    coefficient = np.einsum("cij,rjc->rci", model.coefficient_cholesky, shocks[:, :2, 1:])
    alpha = model.alpha + coefficient[:, :, 0]  # (R, C)
    beta = model.beta + coefficient[:, :, 1]
    factor = mean.copy()  # f of the first year is not defined
    deviation = np.zeros((n_reps, n_cities))
    complete_until = model.fit_years[1]
    seen = np.isfinite(model.log_gdp[0])
    if first in out_index:
        result[:, out_index[first]] = np.exp(level + model.basis_shift([first])[0])
    phi, sd = model.factor_persistence, model.factor_sd
    for step in range(1, steps + 1):
        year = first + step
        if national is not None and model.national_loading is not None and year in national:
            a, b, loading_sd = model.national_loading
            factor = (
                a
                + b * np.asarray(national[year])
                + loading_sd * shocks[:, PARAMETER_ROWS + step - 1, 0]
            )
        else:
            factor = mean + phi * (factor - mean) + sd * shocks[:, PARAMETER_ROWS + step - 1, 0]
        deviation = model.rho * deviation + model.sigma * shocks[:, PARAMETER_ROWS + step - 1, 1:]
        realised = year <= history_until
        h = year - first
        if realised and np.isfinite(model.factor[h]):
            factor = np.full(n_reps, model.factor[h])
        growth = alpha + beta * factor[:, None] + deviation
        level = level + growth
        if realised:
            observed = np.isfinite(model.log_gdp[h])
            seen |= observed
            level[:, observed] = model.log_gdp[h, observed]
            known = np.isfinite(model.residual[h])
            # the realised growth less this replication's alpha and beta
            implied = (
                model.residual[h] + (model.alpha - alpha) + (model.beta - beta) * factor[:, None]
            )
            deviation[:, known] = implied[:, known]
        if year in out_index:
            # on the published basis of the year (post-census figures from 2023/2024 on)
            values = np.exp(level + model.basis_shift([year])[0])
            if realised and year <= complete_until:
                # a national year: a city the panel lacks does not count in the rank
                values[:, ~np.isfinite(model.log_gdp[h])] = np.nan
            elif realised:
                # a partial year: missing cities are simulated, except those never yet seen
                values[:, ~seen] = np.nan
            result[:, out_index[year]] = values
    return result


def rank_among(own: np.ndarray, others: np.ndarray) -> np.ndarray:
    """1 + number of ``others`` strictly above ``own``.

    ``own``: (...,) GDP; ``others``: (..., K) GDP with NaN for absent cities (never above).
    """
    above = np.where(np.isfinite(others), others > own[..., None], False)
    return 1 + above.sum(axis=-1)


# ---------------------------------------------------------------------------------------
# wiring into the runner
# ---------------------------------------------------------------------------------------


def attach_national_rank(
    city_year: pd.DataFrame,
    seeds: Sequence[np.random.SeedSequence] | Mapping[int, np.random.SeedSequence],
    start_year: int,
    *,
    use_history: bool = True,
    corridor_is_model_output: bool = True,
    national_information_year: int | None = None,
    model: CompetitorModel | None = None,
    competitor_draw: int = 0,
) -> pd.DataFrame:
    """``city_year`` with a ``national_rank`` column on the corridor-city rows.

    ``competitor_draw`` d > 0 redraws the competitors' own shocks (parameter rows,
    idiosyncratic residuals) from the sub-stream (COMPETITORS, d) of each replication, on
    the same national path: d = 0 is the run's own draw. growthpole.uncertainty averages
    P(top 30) over several d to separate competitor from agent uncertainty.

    Shaoxing's rank each replication-year is 1 + the number of competitors and of the
    simulated corridor cities (Hangzhou, Ningbo, Shanghai rows) with higher GDP; each
    corridor city gets its own rank the same way. Other rows (Shaoxing's units) get NA.
    ``seeds[r]`` is replication r's SeedSequence; the competitor shocks come from its
    COMPETITORS sub-stream and the national path from its NATIONAL sub-stream, the same
    path the agent-based model of that replication ran on (growthpole/national.py, with
    ``national_information_year`` its information date), so the corridor and its
    competitors share one national economy. ``use_history=False`` conditions on realised
    competitor values only up to ``start_year`` (a pure hindcast); True (default) uses
    every realised value.

    The model's levels are on the pre-census basis of its calibration data; in the years
    whose published figures are on the basis of the 5th economic census they are scaled by
    the census revision (:meth:`CompetitorModel.basis_shift`) before ranking
    (``corridor_is_model_output=False``: the rows are realised data, already on the
    published basis). The ``gdp`` column itself is left as the model produced it.
    """
    from growthpole.national import national_path

    model = default_model() if model is None else model
    frame = city_year.copy()
    years = np.sort(frame.year.unique()).astype(np.int64)
    replications = np.sort(frame.replication.unique()).astype(np.int64)
    if competitor_draw < 0:
        raise ValueError(f"competitor_draw must be >= 0, got {competitor_draw}")
    path = (seeds_module.COMPETITORS,) + ((competitor_draw,) if competitor_draw else ())
    generators = [seeds_module.generator(seeds[int(r)], *path) for r in replications]
    span = list(
        range(int(model.history_years[0]) + 1, int(max(years.max(), model.history_years[0])) + 1)
    )
    national = None
    if model.national_loading is not None and span:
        paths = np.stack(
            [
                national_path(seeds[int(r)], span, information_year=national_information_year)
                for r in replications
            ]
        )  # (R, len(span), 2)
        nominal = paths.sum(axis=2)
        national = {year: nominal[:, k] for k, year in enumerate(span)}
    competitors = simulate_competitors(
        model,
        years,
        generators,
        history_until=None if use_history else start_year,
        national=national,
    )
    corridor = list(CORRIDOR_ROWS)
    rows = frame[frame.region.isin(corridor)]
    table = rows.pivot_table(
        index=["replication", "year"], columns="region", values="gdp", aggfunc="first"
    )
    full_index = pd.MultiIndex.from_product([replications, years], names=["replication", "year"])
    missing = [r for r in corridor if r not in table.columns]
    if missing:
        raise DataError(
            f"city_year has no rows for region(s) {', '.join(missing)}; the "
            f"national rank needs all of {', '.join(corridor)}",
            key="region",
        )
    table = table.reindex(full_index)[corridor]
    gdp = table.to_numpy(dtype=float).reshape(len(replications), len(years), len(corridor))
    if corridor_is_model_output:
        gdp = gdp * np.exp(model.basis_shift(years))[None, :, None]
    ranks = np.empty_like(gdp, dtype=np.int64)
    for k in range(len(corridor)):
        others = np.concatenate([competitors, np.delete(gdp, k, axis=2)], axis=2)
        ranks[:, :, k] = rank_among(gdp[:, :, k], others)
    long = pd.DataFrame(
        {
            "replication": np.repeat(replications, len(years) * len(corridor)),
            "year": np.tile(np.repeat(years, len(corridor)), len(replications)),
            "region": np.tile(corridor, len(replications) * len(years)),
            "national_rank": ranks.reshape(-1),
        }
    )
    frame = frame.drop(columns=["national_rank"], errors="ignore")
    frame = frame.merge(long, on=["replication", "year", "region"], how="left")
    frame["national_rank"] = frame.national_rank.astype("Int64")
    return frame


def complete_partial_years(
    panel: pd.DataFrame,
    years: Sequence[int],
    city_code: int = CORRIDOR_CITY_CODES["shaoxing"],
    *,
    draws: int = 2000,
    seed: int = 20240101,
) -> pd.DataFrame:
    """The realised rank and 30th-city GDP of partial years (some cities unpublished).

    The competitor model fitted on ``panel`` (a ranking panel) keeps every published
    figure and draws the missing cities conditional on them (``draws`` replications); the
    published corridor cities other than ``city_code`` join them. Per year: the 30th
    largest GDP (亿元) and, where ``city_code`` published, its rank, as median and 90%
    band (columns year, own_gdp, rank_median/p05/p95, thirtieth_median/p05/p95). This is
    the "realised" rank and threshold of a year the panel does not cover completely."""
    from growthpole.national import national_path

    model = fit_competitor_model(panel)
    years = [int(y) for y in years if int(y) <= model.last_history_year]
    columns = [
        "year",
        "own_gdp",
        "rank_median",
        "rank_p05",
        "rank_p95",
        "thirtieth_median",
        "thirtieth_p05",
        "thirtieth_p95",
    ]
    if not years:
        return pd.DataFrame(columns=columns)
    root = np.random.SeedSequence(seed).spawn(draws)
    generators = [seeds_module.generator(s, seeds_module.COMPETITORS) for s in root]
    span = list(range(int(model.history_years[0]) + 1, max(years) + 1))
    nominal = np.stack([national_path(s, span).sum(axis=1) for s in root])
    paths = simulate_competitors(
        model, years, generators, national={y: nominal[:, k] for k, y in enumerate(span)}
    )
    others = [c for c in CORRIDOR_CITY_CODES.values() if c != city_code]
    rows = []
    for k, year in enumerate(years):
        block = panel[panel.year == year]
        corridor = block[block.city_code.isin(others)].gdp_100m_cny.to_numpy(dtype=float)
        everyone = np.concatenate(
            [paths[:, k, :], np.broadcast_to(corridor, (draws, len(corridor)))], axis=1
        )
        ordered = -np.sort(-np.where(np.isfinite(everyone), everyone, -np.inf), axis=1)
        thirtieth = np.quantile(ordered[:, 29], [0.5, 0.05, 0.95])
        own = block.loc[block.city_code == city_code, "gdp_100m_cny"]
        if len(own):
            ranks = rank_among(np.full(draws, float(own.iloc[0])), everyone)
            band = np.quantile(ranks, [0.5, 0.05, 0.95])
            own_gdp = float(own.iloc[0])
        else:
            band, own_gdp = np.full(3, np.nan), float("nan")
        rows.append((year, own_gdp, *band, *thirtieth))
    table = pd.DataFrame(rows, columns=columns)
    table.attrs.update(draws=draws, seed=seed)
    return table


# ---------------------------------------------------------------------------------------
# validation: out-of-sample band coverage
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BandCoverage:
    """Share of realised competitor values inside the simulated central bands."""

    fit_last_year: int
    years: tuple[int, ...]
    level: float
    inside: int
    total: int
    by_year: pd.DataFrame
    relative_inside: int  # the same count for levels relative to the competitors' mean

    @property
    def coverage(self) -> float:
        return self.inside / self.total if self.total else float("nan")

    @property
    def relative_coverage(self) -> float:
        """Coverage of log GDP relative to the year's mean log GDP of the realised
        competitors: the part of the forecast that decides ranks (the national factor,
        which the corridor shares, cancels)."""
        return self.relative_inside / self.total if self.total else float("nan")


def band_coverage(
    panel: pd.DataFrame | None = None,
    *,
    fit_last_year: int = 2015,
    last_year: int = 2021,
    level: float = 0.90,
    replications: int = 2000,
    seed: int = 20150101,
    anchor_years: int | None = FACTOR_ANCHOR_YEARS,
    parameter_uncertainty: bool = True,
) -> BandCoverage:
    """Hindcast: fit on years <= ``fit_last_year`` (history ends there too), simulate to
    ``last_year`` from the realised values of ``fit_last_year``, and count how many realised
    competitor values of the later years fall inside the central ``level`` band (per city
    and year, quantiles across replications)."""
    panel = ranking_panel() if panel is None else panel
    model = fit_competitor_model(
        panel[panel.year <= fit_last_year],
        fit_last_year=fit_last_year,
        anchor_years=anchor_years,
        parameter_uncertainty=parameter_uncertainty,
    )
    years = list(range(fit_last_year + 1, last_year + 1))
    root = np.random.SeedSequence(seed).spawn(replications)
    generators = [seeds_module.generator(s, seeds_module.COMPETITORS) for s in root]
    simulated = simulate_competitors(model, years, generators)
    low, high = np.quantile(simulated, [(1 - level) / 2, (1 + level) / 2], axis=0)
    realised = _wide(panel, years).reindex(columns=model.city_codes).to_numpy(dtype=float)
    present = np.isfinite(realised)
    inside = present & (realised >= low) & (realised <= high)
    # relative levels: log GDP minus the mean log GDP of the cities realised that year
    log_realised = np.where(present, np.log(np.where(present, realised, 1.0)), np.nan)
    relative_realised = log_realised - np.nanmean(log_realised, axis=1, keepdims=True)
    log_simulated = np.where(present, np.log(simulated), np.nan)
    relative_simulated = log_simulated - np.nanmean(log_simulated, axis=2, keepdims=True)
    rel_low, rel_high = np.quantile(relative_simulated, [(1 - level) / 2, (1 + level) / 2], axis=0)
    relative_inside = present & (relative_realised >= rel_low) & (relative_realised <= rel_high)
    by_year = pd.DataFrame(
        {
            "year": years,
            "realised": present.sum(axis=1),
            "inside": inside.sum(axis=1),
            "relative_inside": relative_inside.sum(axis=1),
        }
    )
    by_year["coverage"] = by_year.inside / by_year.realised
    by_year["relative_coverage"] = by_year.relative_inside / by_year.realised
    return BandCoverage(
        fit_last_year=fit_last_year,
        years=tuple(years),
        level=level,
        inside=int(inside.sum()),
        total=int(present.sum()),
        by_year=by_year,
        relative_inside=int(relative_inside.sum()),
    )
