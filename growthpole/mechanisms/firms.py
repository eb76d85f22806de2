"""Firm dynamics: investment, exit and entry.

Investment (partial adjustment to the desired capital stock; Jorgenson 1963):

    K*_i = α Y_i / (r c_r + δ)
    K'_i = max((1 - δ) K_i,  K_i + ψ v_r (K*_i - K_i))

(gross investment δ K_i + ψ v_r (K*_i - K_i), never negative: capital is irreversible)

c_r is the cost-of-capital factor (financing access, credit system, tax and fee cuts) and v_r
the speed multiplier (standard land / commitment system, 凤凰行动). Revenue wedges (subsidies,
compliance costs) act on profits (exit, entry, relocation), not on K*.

Exit: a share s_K of an exiting agent's capital goes to the region's survivors
(:func:`salvage_capital`), the rest is lost. The probability rises with losses
(Brandt, Van Biesebroeck & Zhang 2012 report exit
rates of 5-10% in Chinese manufacturing):

    logit P_exit,i = logit(x) - ξ (m_i - m̄),      m_i = π_i / Y_i,
    m̄ the base year's VA-weighted mean margin

scaled by the region's exit multiplier (private-economy rules, COVID relief) and, for firms
younger than three years, the young-firm multiplier (雏鹰行动, micro-enterprise parks).

Entry: entrants in region r and sector k are Poisson (drawn by inverse CDF from one uniform
per cell, so that paired policies share their draws) with mean

    e · n_rk · E_rk · exp(ξ_e (m̄_rk - m̄)),      n_rk incumbents (at least 1),

with E_rk the policy's entry multiplier (最多跑一次, 证照分离, sector programmes). Entrants
draw log TFP from N(mean incumbent log TFP_rk - d_e, σ_A²) and start at the median capital of
their cell times ENTRANT_CAPITAL_SHARE.
"""

from __future__ import annotations

import numpy as np
from scipy.special import expit, logit
from scipy.stats import poisson

from growthpole.mechanisms.base import StepContext, region_sector_sum
from growthpole.regions import N_REGIONS, N_SECTORS, N_SHAOXING, REGION_INDEX, SECTOR_INDEX

ENTRANT_CAPITAL_SHARE = 0.3  # entrants' capital relative to the median incumbent (assumed)
ENTRY_PROFIT_SENSITIVITY = 5.0  # ξ_e (assumed)
YOUNG_FIRM_AGE = 3  # years
MAJOR_PROJECT_CAPITAL = 100.0  # 亿元 at base prices per major IC project (assumed)


def invest(context: StepContext) -> None:
    state, params, policy = context.state, context.params, context.policy
    firms = state.firms
    live = firms.live
    region = firms.region.astype(np.int64)
    user_cost = params.interest_rate * policy.capital_cost_factor[region] + params.depreciation_rate
    desired = params.capital_elasticity * firms.value_added / user_cost
    kept = (1.0 - params.depreciation_rate) * firms.capital
    speed = np.clip(params.investment_adjustment * policy.investment_speed[region], 0.0, 1.0)
    new_capital = np.maximum(kept, firms.capital + speed * (desired - firms.capital))
    firms.capital[live] = np.maximum(new_capital[live], 1e-6)
    firms.land_mu[live] = params.land_mu_per_capital * firms.capital[live]
    firms.age[live] += 1


def exit_probability(
    margin: np.ndarray, base_rate: float, sensitivity: float, reference_margin: float
) -> np.ndarray:
    """P_exit = expit(logit(x) - ξ (m - m̄))."""
    return expit(
        logit(np.clip(base_rate, 1e-9, 1 - 1e-9)) - sensitivity * (margin - reference_margin)
    )


def exit_firms(context: StepContext) -> np.ndarray:
    """Draw exits; returns the rows that exited."""
    state, params, policy = context.state, context.params, context.policy
    firms = state.firms
    live = firms.live
    region = firms.region.astype(np.int64)
    reference = state.reference_margin
    margin = np.divide(
        firms.profit, firms.value_added, out=np.full(firms.size, -1.0), where=firms.value_added > 0
    )
    prob = exit_probability(margin, params.exit_rate, params.exit_profit_sensitivity, reference)
    prob = prob * policy.exit_multiplier[region]
    young = firms.age < YOUNG_FIRM_AGE
    prob = np.where(young, prob * policy.young_firm_exit_multiplier[region], prob)
    draws = context.keyed("exit").uniform(firms.ids[: firms.size])
    exiting = np.flatnonzero(live & (draws < np.clip(prob, 0.0, 1.0)))
    salvage_capital(state, exiting, params.capital_salvage_share)
    firms.remove(exiting)
    _release_platform_land(context, exiting)
    np.add.at(state.regions.exits, region[exiting], 1.0)
    return exiting


def salvage_capital(state, rows: np.ndarray, share: float) -> None:
    """Reallocate the share ``share`` of exiting agents' capital to the surviving agents of
    the same region, in proportion to their capital (assets sold, plants taken over: the
    'vacate the cage, change the bird' 腾笼换鸟 of Zhejiang's land policy). The rest is lost.
    Call before the rows are removed."""
    firms = state.firms
    if share <= 0 or not len(rows):
        return
    region = firms.region.astype(np.int64)
    n = len(state.base_firm_counts)
    released = np.bincount(region[rows], weights=firms.capital[rows], minlength=n) * share
    survivors = firms.live.copy()
    survivors[rows] = False
    holding = np.bincount(region[survivors], weights=firms.capital[survivors], minlength=n)
    factor = 1.0 + np.divide(released, holding, out=np.zeros(n), where=holding > 0)
    firms.capital[survivors] *= factor[region[survivors]]
    firms.land_mu[survivors] *= factor[region[survivors]]


def _release_platform_land(context: StepContext, rows: np.ndarray) -> None:
    from growthpole.mechanisms.platforms import recount_platform_land

    recount_platform_land(context.state)


def enter_firms(context: StepContext) -> np.ndarray:
    """Draw entrants by region and sector; returns their rows."""
    state, params, policy = context.state, context.params, context.policy
    firms = state.firms
    live = firms.live
    region = firms.region.astype(np.int64)
    sector = firms.sector.astype(np.int64)
    rng = context.rng("entry")
    ones = np.ones(firms.size)
    counts = region_sector_sum(ones, region, sector, live)
    output = region_sector_sum(firms.value_added, region, sector, live)
    profits = region_sector_sum(firms.profit, region, sector, live)
    margin = np.divide(profits, output, out=np.zeros_like(output), where=output > 0)
    reference = state.reference_margin
    attractiveness = np.exp(ENTRY_PROFIT_SENSITIVITY * np.clip(margin - reference, -1, 1))
    expected = (
        params.entry_rate * np.maximum(counts, 1.0) * policy.entry_multiplier * attractiveness
    )
    expected = np.where(counts > 0, expected, expected * state.entry_seed_mask)
    expected = expected * entry_land_factor(context, expected, region, sector, live)[:, None]
    # inverse-CDF draws, one uniform per cell: the count is monotone in its mean, and a
    # change in one cell's mean leaves every other cell's draw as it was (common random
    # numbers across policies: numpy's Poisson consumes a variable number of uniforms, so a
    # lever in one cell would shift the draws of all cells after it)
    uniforms = rng.random(expected.shape)
    entrants = np.maximum(poisson.ppf(uniforms, expected), 0.0).astype(np.int64)
    if policy.major_projects:
        entrants_major = int(policy.major_projects)
    else:
        entrants_major = 0
    n = int(entrants.sum())
    rows = np.zeros(0, dtype=np.int64)
    # incumbents' cell means, taken before any entrant is added (the table grows below)
    mean_tfp = _cell_mean(firms.log_tfp, region, sector, live, state.fallback_log_tfp)
    if n:
        cell = np.repeat(np.arange(N_REGIONS * N_SECTORS), entrants.ravel())
        new_region, new_sector = np.divmod(cell, N_SECTORS)
        median_k = _cell_mean(
            np.log(np.maximum(firms.capital, 1e-9)),
            region,
            sector,
            live,
            np.log(state.fallback_capital),
        )
        # entrants draw around the cell mean; the variance correction keeps the expected
        # labour-weighted productivity of entrants at exp(mean - d_e)
        sigma = params.tfp_dispersion
        correction = 0.5 * sigma**2 / (1.0 - params.labour_elasticity)
        log_tfp = (
            mean_tfp[new_region, new_sector]
            - params.entrant_tfp_discount
            - correction
            + sigma * rng.standard_normal(n)
        )
        capital = ENTRANT_CAPITAL_SHARE * np.exp(median_k[new_region, new_sector])
        rows = _add_firms(context, new_region, new_sector, log_tfp, capital)
    if entrants_major:
        ic = SECTOR_INDEX["electronics_ic"]
        # the SMIC (中芯) Shaoxing project sits in Yuecheng (Binhai New Area)
        target = np.full(entrants_major, REGION_INDEX["yuecheng"])
        log_tfp = np.full(entrants_major, mean_tfp[:N_SHAOXING, ic].max())
        capital = np.full(entrants_major, MAJOR_PROJECT_CAPITAL)
        rows = np.concatenate(
            [rows, _add_firms(context, target, np.full(entrants_major, ic), log_tfp, capital)]
        )
    return rows


def entry_land_factor(
    context: StepContext,
    expected: np.ndarray,
    region: np.ndarray,
    sector: np.ndarray,
    live: np.ndarray,
) -> np.ndarray:
    """(N_REGIONS,) min(1, A_r / D_r) of mechanisms/land.py [L2]: A_r the free quota plus the
    free land of the region's platforms, D_r the land the expected entrants would take."""
    from growthpole.mechanisms.land import free_land

    state, params = context.state, context.params
    if not np.isfinite(state.regions.land_quota_mu).all():
        return np.ones(N_REGIONS)
    median_k = _cell_mean(
        np.log(np.maximum(state.firms.capital, 1e-9)),
        region,
        sector,
        live,
        np.log(state.fallback_capital),
    )
    demand = (expected * params.land_mu_per_capital * ENTRANT_CAPITAL_SHARE * np.exp(median_k)).sum(
        axis=1
    )
    available = free_land(state)
    platforms = state.platforms
    if platforms.size:
        available = (
            available
            + np.bincount(
                platforms.region.astype(np.int64),
                weights=np.maximum(platforms.capacity_mu - platforms.used_mu, 0.0),
                minlength=N_REGIONS,
            )[:N_REGIONS]
        )
    with np.errstate(over="ignore"):  # a vanishing demand gives inf, and min(1, inf) = 1
        return np.minimum(
            1.0, np.divide(available, demand, out=np.ones(N_REGIONS), where=demand > 0)
        )


def _cell_mean(
    values: np.ndarray,
    region: np.ndarray,
    sector: np.ndarray,
    live: np.ndarray,
    fallback: np.ndarray,
) -> np.ndarray:
    total = region_sector_sum(values, region, sector, live)
    count = region_sector_sum(np.ones_like(values), region, sector, live)
    return np.where(count > 0, total / np.maximum(count, 1), fallback)


def _add_firms(
    context: StepContext,
    region: np.ndarray,
    sector: np.ndarray,
    log_tfp: np.ndarray,
    capital: np.ndarray,
) -> np.ndarray:
    from growthpole.mechanisms.platforms import place_in_platforms

    state, params = context.state, context.params
    intensity = state.base_emission_intensity[sector]
    rows = state.firms.add(
        len(region),
        region=region,
        sector=sector,
        log_tfp=log_tfp,
        capital=capital,
        platform=-1,
        emission_intensity=intensity,
        land_mu=params.land_mu_per_capital * capital,
        digital=0,
        clustered=0,
        age=0,
    )
    np.add.at(state.regions.entries, region, 1.0)
    place_in_platforms(context, rows)
    return rows


def shaoxing_mask(region: np.ndarray) -> np.ndarray:
    return region < N_SHAOXING
