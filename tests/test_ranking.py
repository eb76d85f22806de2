"""The competitor model and the national rank (growthpole.ranking).

Tests that need the national panel use the shipped one (data/city_gdp.csv); none needs
anything outside the repository.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from growthpole import data as data_module
from growthpole import seeds as seeds_module
from growthpole.errors import DataError
from growthpole.panel import historical_rank, national_years, ranking_panel
from growthpole.ranking import (
    CompetitorModel,
    attach_national_rank,
    band_coverage,
    default_model,
    fit_competitor_model,
    rank_among,
    simulate_competitors,
)
from growthpole.regions import CORRIDOR_CITY_CODES

from .conftest import tiny_scenario

CORRIDOR = ("hangzhou", "ningbo", "shanghai", "shaoxing")


def deterministic_model(start_gdp, alpha, start_year=2000) -> CompetitorModel:
    """A competitor model without noise: GDP_t = GDP_start * exp(alpha * (t - start))."""
    n = len(start_gdp)
    log_gdp = np.log(np.asarray(start_gdp, dtype=float))[None, :]
    zeros = np.zeros(n)
    return CompetitorModel(
        city_codes=np.arange(n) + 100000,
        city_names=tuple(map(str, range(n))),
        alpha=np.asarray(alpha, dtype=float),
        beta=zeros,
        rho=zeros,
        sigma=zeros,
        factor_mean=0.0,
        factor_persistence=0.0,
        factor_sd=0.0,
        factor_intercept_mean=0.0,
        factor_mean_sd=0.0,
        coefficient_cholesky=np.zeros((n, 2, 2)),
        corridor_beta={c: 1.0 for c in CORRIDOR_CITY_CODES.values()},
        fit_years=(start_year, start_year),
        history_years=np.array([start_year]),
        log_gdp=log_gdp,
        factor=np.array([np.nan]),
        residual=np.full((1, n), np.nan),
    )


def corridor_city_year(gdp_by_region: dict[str, np.ndarray], years, replications=1):
    rows = []
    for r in range(replications):
        for k, year in enumerate(years):
            for region, values in gdp_by_region.items():
                rows.append(
                    {
                        "replication": r,
                        "year": year,
                        "region": region,
                        "gdp": float(
                            np.asarray(values)[r, k]
                            if np.ndim(values) == 2
                            else np.asarray(values)[k]
                        ),
                    }
                )
            rows.append({"replication": r, "year": year, "region": "zhuji", "gdp": 1.0})
    return pd.DataFrame(rows)


# ---- rank arithmetic --------------------------------------------------------------------


def test_rank_among_counts_strictly_higher_and_ignores_absent_cities():
    own = np.array([5.0, 5.0, 100.0])
    others = np.array([[6.0, 4.0, np.nan], [5.0, 7.0, 8.0], [1.0, 2.0, 3.0]])
    assert rank_among(own, others).tolist() == [2, 3, 1]


def test_historical_rank_on_a_hand_made_panel():
    panel = pd.DataFrame(
        {
            "city_code": [1, 2, 3, 1, 2, 3, 4],
            "year": [2000, 2000, 2000, 2001, 2001, 2001, 2001],
            "gdp_100m_cny": [10.0, 30.0, 20.0, 50.0, 40.0, 45.0, 60.0],
        }
    )
    ranks = historical_rank(panel, 3).set_index("year")
    assert ranks.loc[2000, "rank"] == 2 and ranks.loc[2001, "rank"] == 3
    assert ranks.loc[2001, "cities"] == 4


def test_reduction_without_noise_ranks_equal_a_hand_count():
    """All variances zero: competitors grow at fixed rates, so the rank is a hand count."""
    years = [2000, 2001, 2002, 2003]
    competitors = deterministic_model([100.0, 90.0, 50.0], alpha=[0.0, 0.10, 0.30])
    # competitor GDP: c0 = 100; c1 = 90 e^{0.1 t}: 90, 99.5, 109.9, 121.5;
    # c2 = 50 e^{0.3 t}: 50, 67.5, 91.1, 123.0
    shaoxing = np.array([95.0, 105.0, 105.0, 130.0])
    gdp = {
        "shaoxing": shaoxing,
        "hangzhou": np.full(4, 1000.0),
        "ningbo": np.full(4, 1.0),
        "shanghai": np.full(4, 98.0),
    }
    frame = attach_national_rank(
        corridor_city_year(gdp, years), np.random.SeedSequence(1).spawn(1), 2000, model=competitors
    )
    got = frame[frame.region == "shaoxing"].sort_values("year").national_rank.tolist()
    c1 = 90 * np.exp(0.10 * np.arange(4))
    c2 = 50 * np.exp(0.30 * np.arange(4))
    expected = [
        1 + int(s < 100) + int(s < a) + int(s < b) + 1 + int(s < 98)
        for s, a, b in zip(shaoxing, c1, c2, strict=True)
    ]
    assert got == expected
    assert frame[frame.region == "zhuji"].national_rank.isna().all()
    hangzhou = frame[frame.region == "hangzhou"].national_rank
    assert (hangzhou == 1).all()


# ---- estimator ----------------------------------------------------------------------------


def synthetic_panel(rng, cities=120, years=300, phi=0.6, mean=0.08, factor_sd=0.02):
    alpha = rng.normal(0.0, 0.02, cities)
    alpha -= alpha.mean()
    beta = rng.uniform(0.5, 1.5, cities)
    beta /= beta.mean()
    rho = rng.uniform(-0.3, 0.8, cities)
    sigma = rng.uniform(0.01, 0.05, cities)
    f = np.empty(years)
    f[0] = mean
    u = np.zeros(cities)
    log_gdp = np.empty((years, cities))
    log_gdp[0] = rng.normal(7.0, 1.0, cities)
    for t in range(1, years):
        f[t] = mean + phi * (f[t - 1] - mean) + factor_sd * rng.standard_normal()
        u = rho * u + sigma * rng.standard_normal(cities)
        log_gdp[t] = log_gdp[t - 1] + alpha + beta * f[t] + u
    year_index = np.arange(1700, 1700 + years)
    panel = pd.DataFrame(
        {
            "city_code": np.tile(np.arange(cities) + 100000, years),
            "year": np.repeat(year_index, cities),
            "gdp_100m_cny": np.exp(log_gdp).reshape(-1),
        }
    )
    return panel, {
        "alpha": alpha,
        "beta": beta,
        "rho": rho,
        "sigma": sigma,
        "phi": phi,
        "mean": mean,
        "factor_sd": factor_sd,
    }


def test_estimator_recovers_known_parameters_on_synthetic_data():
    """Simulate the model with known parameters (T = 300 years, 120 cities) and estimate.

    Tolerances are about 3 standard errors: AR(1) OLS se ~ sqrt((1 - rho^2) / T) ~ 0.05
    per city, so the mean error over 120 cities is held to 0.02 and each city to 0.25.
    """
    panel, truth = synthetic_panel(np.random.default_rng(11))
    model = fit_competitor_model(
        panel, fit_first_year=1700, top=200, anchor_years=None, parameter_uncertainty=False
    )
    order = np.argsort(model.city_codes)
    assert len(model.city_codes) == 120
    assert abs(model.factor_persistence - truth["phi"]) < 0.15
    assert abs(model.factor_intercept_mean - truth["mean"]) < 0.01
    assert abs(model.factor_sd / truth["factor_sd"] - 1) < 0.15
    rho_error = model.rho[order] - truth["rho"]
    assert abs(rho_error.mean()) < 0.02 and np.abs(rho_error).max() < 0.25
    # loadings: se_i ~ sd(u_i) / (sd(f) sqrt(T)), up to ~0.2 for the noisiest cities; the
    # per-city errors standardised by that se must have a root mean square below 2 (about 1
    # expected; the autocorrelation of u inflates it somewhat)
    beta_error = model.beta[order] - truth["beta"]
    sd_u = truth["sigma"] / np.sqrt(1 - truth["rho"] ** 2)
    sd_f = truth["factor_sd"] / np.sqrt(1 - truth["phi"] ** 2)
    se_beta = sd_u / (sd_f * np.sqrt(300))
    assert np.sqrt(np.mean((beta_error / se_beta) ** 2)) < 2.0
    assert np.corrcoef(model.alpha[order], truth["alpha"])[0, 1] > 0.8
    assert np.abs(model.sigma[order] / truth["sigma"] - 1).max() < 0.2


# ---- seeds --------------------------------------------------------------------------------


def test_same_seed_same_ranks_and_different_seed_different_ranks():
    scenario = tiny_scenario(start_year=2019, end_year=2030)
    from growthpole.runner import run_scenario

    first = run_scenario(scenario, replications=3, seed=5).shaoxing()
    again = run_scenario(scenario, replications=3, seed=5).shaoxing()
    other = run_scenario(scenario, replications=3, seed=6).shaoxing()
    assert first.national_rank.notna().all()
    assert first.national_rank.tolist() == again.national_rank.tolist()
    assert first.national_rank.tolist() != other.national_rank.tolist()


def test_common_random_numbers_a_richer_shaoxing_never_ranks_lower():
    """Same seeds, Shaoxing's GDP raised by 20% every year: under common random numbers the
    competitors are identical, so the rank can only improve, and it must improve somewhere."""
    years = list(range(2019, 2036))
    rng = np.random.default_rng(3)
    growth = np.exp(np.cumsum(rng.normal(0.07, 0.02, (8, len(years))), axis=1))
    base = {
        "shaoxing": 5780.0 * growth,
        "hangzhou": 15373.0 * growth,
        "ningbo": 11985.0 * growth,
        "shanghai": 38155.0 * growth,
    }
    seeds = seeds_module.replication_seeds(42, 8)
    low = attach_national_rank(corridor_city_year(base, years, 8), seeds, 2019)
    richer = dict(base, shaoxing=base["shaoxing"] * 1.2)
    high = attach_national_rank(corridor_city_year(richer, years, 8), seeds, 2019)
    low_rank = low[low.region == "shaoxing"].national_rank.to_numpy()
    high_rank = high[high.region == "shaoxing"].national_rank.to_numpy()
    assert (high_rank <= low_rank).all()
    assert (high_rank < low_rank).sum() > len(low_rank) // 4


def test_competitor_draws_come_from_the_competitors_substream():
    model = default_model()
    seeds = seeds_module.replication_seeds(9, 2)
    generators = [seeds_module.generator(s, seeds_module.COMPETITORS) for s in seeds]
    first = simulate_competitors(model, [2025, 2030], generators)
    generators = [seeds_module.generator(s, seeds_module.COMPETITORS) for s in seeds]
    assert np.array_equal(first, simulate_competitors(model, [2025, 2030], generators))
    other = [seeds_module.generator(s, seeds_module.YEARS) for s in seeds]
    assert not np.allclose(first, simulate_competitors(model, [2025, 2030], other))


# ---- history ------------------------------------------------------------------------------


def test_history_is_history_realised_corridor_values_reproduce_the_panel_rank():
    """Feed the realised corridor GDP of 2005-2021 as if simulated: with use_history every
    replication's rank equals the panel's own computed rank, year by year."""
    panel = ranking_panel()
    years = list(range(2005, 2022))
    wide = panel.pivot_table(index="year", columns="city_code", values="gdp_100m_cny")
    gdp = {
        region: wide.loc[years, code].to_numpy()
        for region, code in {r: CORRIDOR_CITY_CODES[r] for r in CORRIDOR}.items()
    }
    frame = attach_national_rank(
        corridor_city_year(gdp, years, 3),
        seeds_module.replication_seeds(1, 3),
        2005,
        corridor_is_model_output=False,
    )
    expected = historical_rank(panel, CORRIDOR_CITY_CODES["shaoxing"]).set_index("year")
    got = frame[frame.region == "shaoxing"]
    for year, block in got.groupby("year"):
        assert (block.national_rank == expected.loc[year, "rank"]).all(), year


def test_without_history_ranks_vary_after_the_start_year():
    panel = ranking_panel()
    years = list(range(2015, 2022))
    wide = panel.pivot_table(index="year", columns="city_code", values="gdp_100m_cny")
    gdp = {r: wide.loc[years, CORRIDOR_CITY_CODES[r]].to_numpy() for r in CORRIDOR}
    frame = attach_national_rank(
        corridor_city_year(gdp, years, 40),
        seeds_module.replication_seeds(1, 40),
        2015,
        use_history=False,
        corridor_is_model_output=False,
    )
    ranks = frame[frame.region == "shaoxing"].groupby("year").national_rank
    assert ranks.nunique().loc[2015] == 1  # the start year is realised
    assert ranks.nunique().loc[2021] > 1


def test_one_national_economy_a_shock_shared_by_everyone_leaves_ranks_unchanged():
    """All loadings 1, no idiosyncratic noise, the factor on the national path (a = 0,
    b = 1): competitors grow at alpha_i + n_t with n_t the replication's national nominal
    growth. A corridor that grows with the same national path keeps its rank in every
    replication; a corridor on a fixed path does not (the paths differ after 2024)."""
    from growthpole.national import national_path

    years = list(range(2024, 2040))
    model = deterministic_model(
        [100.0, 95.0, 80.0, 60.0], alpha=[0.0, 0.004, 0.012, 0.03], start_year=2024
    )
    model = dataclasses.replace(model, beta=np.ones(4), national_loading=(0.0, 1.0, 0.0))
    seeds = seeds_module.replication_seeds(4, 30)
    nominal = np.stack([national_path(s, years[1:]).sum(axis=1) for s in seeds])
    cumulated = np.concatenate([np.zeros((30, 1)), np.cumsum(nominal, axis=1)], axis=1)
    t = np.arange(len(years))
    shaoxing = 90.0 * np.exp(cumulated + 0.01 * t)  # the nation's path + its own trend
    fixed = np.broadcast_to(90.0 * np.exp(0.06 * t + 0.01 * t), shaoxing.shape)
    other = {
        "hangzhou": np.full(len(years), 1e6),
        "ningbo": np.full(len(years), 1.0),
        "shanghai": np.full(len(years), 2.0),
    }
    shared = attach_national_rank(
        corridor_city_year({"shaoxing": shaoxing, **other}, years, 30), seeds, 2024, model=model
    )
    alone = attach_national_rank(
        corridor_city_year({"shaoxing": fixed, **other}, years, 30), seeds, 2024, model=model
    )
    shared_ranks = shared[shared.region == "shaoxing"].groupby("year").national_rank
    alone_ranks = alone[alone.region == "shaoxing"].groupby("year").national_rank
    assert (shared_ranks.nunique() == 1).all()
    assert (alone_ranks.nunique() > 1).any()


def test_a_panel_without_national_years_raises_a_data_error(tmp_path, monkeypatch):
    shipped = pd.read_csv(data_module.PACKAGE_ROOT / "data" / "city_gdp.csv", dtype=str)
    # keep the corridor cities only: no year is a national cross-section any more
    corridor = shipped[shipped.city_code.astype(int).isin(CORRIDOR_CITY_CODES.values())]
    corridor.to_csv(tmp_path / "city_gdp.csv", index=False)
    monkeypatch.setenv("GROWTHPOLE_DATA_DIR", str(tmp_path))
    with pytest.raises(DataError, match="national years"):
        fit_competitor_model()


def test_partial_years_are_realised_where_published_and_simulated_elsewhere():
    """Years after the last national year: a city the panel holds keeps its published value
    in every replication; a city it lacks is simulated (finite, varying by replication)."""
    panel = ranking_panel()
    last_national = max(national_years(panel))
    model = fit_competitor_model(panel)
    partial = [y for y in model.history_years if y > last_national]
    assert partial, "the shipped panel has published years after the last national year"
    generators = [np.random.default_rng(s) for s in range(8)]
    paths = simulate_competitors(model, partial, generators)
    for k, year in enumerate(partial):
        h = int(year - model.history_years[0])
        observed = np.isfinite(model.log_gdp[h])
        published = np.exp(model.log_gdp[h, observed] + model.basis_shift([year])[0])
        assert np.allclose(paths[:, k, observed], published)
        missing = paths[:, k, ~observed]
        assert np.isfinite(missing).all()
        if (~observed).any():
            assert (missing.std(axis=0) > 0).all()


def test_the_census_basis_shift_scales_published_levels_only_after_the_census():
    panel = ranking_panel()
    model = fit_competitor_model(panel, census_revision=0.05)
    shift = model.basis_shift([2021, 2022, model.census_5_first_year, 2030])
    assert shift.tolist() == [0.0, 0.0, 0.05, 0.05]
    assert model.census_5_first_year in (2023, 2024)


# ---- validation ---------------------------------------------------------------------------


def test_out_of_sample_band_coverage_is_near_nominal():
    """Fit on <= 2015, simulate 2016-2021: the share of realised competitor values inside
    the 90% bands must lie in [0.80, 0.97] (docs/ranking.md reports the measured value)."""
    result = band_coverage(replications=1000)
    assert result.total > 300
    assert 0.80 <= result.coverage <= 0.97, result.by_year
