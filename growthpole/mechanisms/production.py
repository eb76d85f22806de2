"""Production: firm value added from TFP, capital, skilled and unskilled labour.

    Y_i = Ã_i K_i^α S_i^{β_s} U_i^{β_u},       α + β_s + β_u < 1               (亿元/yr)
    ln Ã_i = ln A_i + ln A^P_r + φ ln M_r + γ_r ln G_{rk} + b_P 1[i in a matching platform]
             + g_d D_i - ε_c (1 - α - β) ln(n_r / n_r^base)                              [P1]
    G_{rk} = (E_{rk} + E_0) / (E_{rk}^{base} + E_0)

A_i is the firm's own TFP (mechanisms/productivity.py), which it keeps when it relocates;
A^P_r the productivity of the place (state.regions.place_log_tfp: the base-year level that
reproduces the region's GDP, plus the pole premia since), which it does not; M_r the
market-access index
(mechanisms/market_access.py), G_{rk} same-sector employment in the region relative to the
base year (Marshallian agglomeration, level effect with elasticity γ; Ciccone & Hall 1996),
D_i the digital-transformation flag (mechanisms/digital.py), n_r the number of live firm
agents in region r and ε_c the crowding parameter (:func:`crowding_log_index`).
Decreasing returns per firm
agent (Lucas 1978 span of control) make the labour allocation of mechanisms/labour.py
well defined and leave a profit share of 1 - α - β_s - β_u.

Profit (亿元/yr):
    π_i = Y_i (1 + τ_i) - w^s_r S_i - w^u_r U_i - (r c_r + δ) K_i - ρ^L_r L_i - F_r(t)
with τ_i the net policy wedge (subsidies, tax and red-tape cuts minus compliance costs and
the emission-standard penalty), ρ^L_r the land rent per mu and F_r(t) the overhead per firm
agent (:func:`overhead`).
"""

from __future__ import annotations

import numpy as np

from growthpole.mechanisms.base import StepContext, region_sum
from growthpole.mechanisms.environment import STANDARD_PENALTY
from growthpole.regions import N_REGIONS, N_SECTORS, N_SHAOXING, SKILLED, UNSKILLED

AGGLOMERATION_OFFSET = 1000.0  # E_0, persons: keeps G finite where a sector is new (assumed)


def agglomeration_index(employment: np.ndarray, base_employment: np.ndarray) -> np.ndarray:
    """(N_REGIONS, N_SECTORS) G_rk = (E + E_0) / (E_base + E_0)."""
    return (employment + AGGLOMERATION_OFFSET) / (base_employment + AGGLOMERATION_OFFSET)


def platform_match(context: StepContext) -> np.ndarray:
    """1 where a firm sits in a platform whose sector focus includes its sector."""
    firms, platforms = context.state.firms, context.state.platforms
    if not platforms.size:
        return np.zeros(firms.size, dtype=bool)
    # (platform + 1, sector) table of matches, row 0 for firms outside platforms
    table = np.zeros((platforms.size + 1, N_SECTORS), dtype=bool)
    table[1:] = (platforms.sector_mask[:, None] >> np.arange(N_SECTORS, dtype=np.int32)) & 1
    cell = np.maximum(firms.platform, -1).astype(np.int64)
    cell += 1
    cell *= N_SECTORS
    cell += firms.sector
    return table.ravel()[cell]


def effective_log_tfp(context: StepContext) -> np.ndarray:
    """ln Ã_i for every row (dead rows included; callers mask).

    Each term depends on the firm only through its region, (region, sector) or platform, so
    it is evaluated on the small table of those cells and gathered: the same operations on
    the same operands as term(x[region]) element by element (e.g. ln M[region] =
    (ln M)[region]), with the terms added to ln A_i in the same order, so the values are
    unchanged while a year makes a few firm-length passes instead of ~50
    (docs/performance.md)."""
    state, params, policy = context.state, context.params, context.policy
    firms, regions = state.firms, state.regions
    region = firms.region.astype(np.int64)
    sector = firms.sector.astype(np.int64)
    log_tfp = (
        firms.log_tfp
        + (regions.place_log_tfp + params.market_access_elasticity * np.log(regions.market_access))[
            region
        ]
    )
    if context.on("agglomeration"):
        cell = region * N_SECTORS
        cell += sector  # (region, sector) cell, as in region_sector_sum
        employment = np.bincount(
            cell,
            weights=np.where(firms.live, firms.skilled + firms.unskilled, 0.0),
            minlength=N_REGIONS * N_SECTORS,
        ).reshape(N_REGIONS, N_SECTORS)
        index = agglomeration_index(employment, state.regions_base_employment)
        gamma = np.full(len(regions.market_access), params.agglomeration_elasticity)
        gamma[:N_SHAOXING] *= policy.agglomeration_multiplier
        log_tfp = log_tfp + (gamma[:, None] * np.log(index)).ravel()[cell]
    log_tfp = log_tfp + params.platform_tfp_bonus * platform_match(context)
    if params.entry_crowding > 0:
        log_tfp = (
            log_tfp - (params.entry_crowding * crowding_log_index(state, params, region))[region]
        )
    multiplier = np.where(np.arange(N_REGIONS) < N_SHAOXING, policy.digital_gain_multiplier, 1.0)
    return log_tfp + (params.digital_tfp_gain * multiplier)[region] * firms.digital


def crowding_log_index(state, params, region: np.ndarray | None = None) -> np.ndarray:
    """(N_REGIONS,) (1 - α - β) ln(n_r / n_r^base), n_r the live firm agents of region r.

    With n identical agents sharing a region's workers and capital, output is
    n Ã (K/n)^α (L/n)^β = Ã K^α L^β n^{1-α-β}: the count of agents itself would be a factor
    of production (Lucas 1978 span of control). Subtracting ε_c times this index from every
    agent's log TFP removes that mechanical gain in proportion ε_c (``entry_crowding``): at
    ε_c = 1 entry and exit change output only through who enters and who leaves (selection,
    sector mix, location), which is the conservative reading of business stealing in a
    local market."""
    firms = state.firms
    live = firms.live
    if region is not None and live.all():  # ``region``: firms.region as int64, if at hand
        counts = np.bincount(region, minlength=len(state.base_firm_counts))
    else:
        counts = np.bincount(
            firms.region[live].astype(np.int64), minlength=len(state.base_firm_counts)
        )
    ratio = np.maximum(counts, 1) / np.maximum(state.base_firm_counts, 1)
    return (1.0 - params.returns_to_scale) * np.log(ratio)


def value_added(
    log_tfp_eff: np.ndarray,
    capital: np.ndarray,
    skilled: np.ndarray,
    unskilled: np.ndarray,
    alpha: float,
    beta_s: float,
    beta_u: float,
) -> np.ndarray:
    """Y = Ã K^α S^β_s U^β_u (zero inputs give zero output)."""
    with np.errstate(divide="ignore"):
        log_y = (
            log_tfp_eff
            + alpha * np.log(capital)
            + beta_s * np.log(skilled)
            + beta_u * np.log(unskilled)
        )
    return np.exp(log_y)


def _inactive(value: float) -> bool:
    """True if subtracting ``value`` (or a where() of it and 0.0) changes nothing: +0.0."""
    return value == 0.0 and not np.signbit(value)


def upgraded_firms(context: StepContext, rows: np.ndarray | slice) -> np.ndarray:
    """Firms (``rows`` of the firm table) whose emission intensity is below the upgrade
    threshold of their sector: they bear only the share c_u of compliance costs and no
    emission-standard penalty (τ_i, docs/model.md §7.7; the same rule in production and
    relocation)."""
    state, params, firms = context.state, context.params, context.state.firms
    sector = firms.sector[rows].astype(np.int64)
    threshold = (state.base_emission_intensity * params.upgraded_intensity_threshold)[sector]
    return np.asarray(firms.emission_intensity[rows] < threshold, dtype=bool)


def shaoxing_policy_costs(context: StepContext, rows: np.ndarray) -> np.ndarray:
    """(len(rows),) the policy costs, share of value added, that firm i would bear in a
    Shaoxing unit: compliance c_k (c_u c_k if upgraded), the emission-standard penalty if
    polluting and not upgraded, and the cluster cost if polluting outside a cluster. The
    terms :func:`policy_wedge` subtracts for a firm in Shaoxing, so that relocation
    (mechanisms/relocation.py [R1]) compares locations with the profit production pays."""
    state, policy, params = context.state, context.policy, context.params
    firms = state.firms
    sector = firms.sector[rows].astype(np.int64)
    compliance = np.asarray(policy.compliance_cost, dtype=float)[sector]
    upgraded = upgraded_firms(context, rows)
    costs = np.where(upgraded, params.upgraded_compliance_share * compliance, compliance)
    polluting = state.polluting_sector[sector]
    penalty = STANDARD_PENALTY * policy.emission_standard
    costs = costs + np.where(polluting & ~upgraded, penalty, 0.0)
    cluster = params.cluster_cost_share * policy.cluster_concentration
    return costs + np.where(polluting & (firms.clustered[rows] == 0), cluster, 0.0)


def policy_wedge(context: StepContext) -> np.ndarray:
    """τ_i: subsidies + tax cuts + red-tape cuts - compliance costs, share of VA.

    Region- and sector-level parts are formed on the (region, sector) table and gathered
    (the same operations on the same operands, in the same order, as element by element);
    a term that subtracts +0.0 from every firm (no compliance cost, no emission standard,
    no cluster policy) is skipped, which leaves every value unchanged."""
    state, policy, platforms = context.state, context.policy, context.state.platforms
    params = context.params
    firms = state.firms
    region = firms.region.astype(np.int64)
    cell = region * N_SECTORS
    cell += firms.sector
    shaoxing = np.arange(N_REGIONS) < N_SHAOXING
    wedge = (
        policy.sector_subsidy + policy.profit_tax_cut[:, None] + policy.regulation_cost_cut[:, None]
    ).ravel()[cell]
    compliance_cost = np.asarray(policy.compliance_cost, dtype=float)
    penalty = STANDARD_PENALTY * policy.emission_standard
    if compliance_cost.any() or np.signbit(compliance_cost).any() or not _inactive(penalty):
        # upgraded (low-intensity) polluting firms bear the share c_u of the compliance cost
        upgraded = upgraded_firms(context, slice(None))
        compliance = (compliance_cost[None, :] * shaoxing[:, None]).ravel()
        wedge -= np.where(
            upgraded, (params.upgraded_compliance_share * compliance)[cell], compliance[cell]
        )
        # emission standard: not-upgraded polluting Shaoxing firms pay a penalty per unit
        if not _inactive(penalty):
            polluting_here = (state.polluting_sector[None, :] & shaoxing[:, None]).ravel()[cell]
            polluting_here &= ~upgraded
            wedge -= np.where(polluting_here, penalty, 0.0)
    cluster = params.cluster_cost_share * policy.cluster_concentration
    if not _inactive(cluster):
        cluster_cost = (cluster * shaoxing)[region] * (firms.clustered == 0)
        polluting = state.polluting_sector[firms.sector.astype(np.int64)]
        wedge -= np.where(polluting, cluster_cost, 0.0)
    inside = firms.platform >= 0
    if inside.any() and platforms.size:
        wedge += np.where(inside, platforms.subsidy[np.maximum(firms.platform, 0)], 0.0)
    return wedge


def overhead(state) -> np.ndarray:
    """(N_REGIONS,) overhead per firm agent F_r(t) = F_r(0) w^u_r(t) / w^u_r(0) (亿元/yr): a
    fixed operating cost indexed to local wages. Because it does not scale with the agent's
    output, crowding (more agents sharing the region's workers) lowers margins, raising
    exits and damping entry: the free-entry force of Hopenhayn (1992)."""
    ratio = np.divide(
        state.regions.wages[UNSKILLED],
        state.base_wages[UNSKILLED],
        out=np.ones_like(state.fixed_cost_base),
        where=state.base_wages[UNSKILLED] > 0,
    )
    return state.fixed_cost_base * ratio


def produce(context: StepContext) -> None:
    """Compute value added, profits and wages given the labour allocation."""
    state, params = context.state, context.params
    firms, regions = state.firms, state.regions
    live = firms.live
    all_live = bool(live.all())  # masking every row with True changes no value: skipped
    region = firms.region.astype(np.int64)
    y = value_added(
        effective_log_tfp(context),
        firms.capital,
        firms.skilled,
        firms.unskilled,
        params.capital_elasticity,
        params.skilled_labour_elasticity,
        params.unskilled_labour_elasticity,
    )
    if not all_live:
        y = np.where(live, y, 0.0)
    firms.value_added[:] = y
    output = region_sum(y, region)
    skilled = region_sum(firms.skilled, region, None if all_live else live)
    unskilled = region_sum(firms.unskilled, region, None if all_live else live)
    # competitive wages = marginal products (亿元 per worker per year)
    regions.wages[SKILLED] = np.divide(
        params.skilled_labour_elasticity * output,
        skilled,
        out=regions.wages[SKILLED].copy(),
        where=skilled > 0,
    )
    regions.wages[UNSKILLED] = np.divide(
        params.unskilled_labour_elasticity * output,
        unskilled,
        out=regions.wages[UNSKILLED].copy(),
        where=unskilled > 0,
    )
    # the region-level prices, gathered for every firm in one pass (the same values as
    # gathering each: wage_s[region], wage_u[region], ...)
    prices = np.empty((len(regions.wages[SKILLED]), 5))
    prices[:, 0] = regions.wages[SKILLED]
    prices[:, 1] = regions.wages[UNSKILLED]
    prices[:, 2] = (
        params.interest_rate * context.policy.capital_cost_factor + params.depreciation_rate
    )
    prices[:, 3] = state.land_rent_per_mu
    prices[:, 4] = overhead(state)
    wage_s, wage_u, capital_cost, land_rent, fixed = np.take(prices, region, axis=0).T
    profit = (
        y * (1.0 + policy_wedge(context))
        - wage_s * firms.skilled
        - wage_u * firms.unskilled
        - capital_cost * firms.capital
        - land_rent * firms.land_mu
        - fixed
    )
    firms.profit[:] = profit if all_live else np.where(live, profit, 0.0)
    regions.firm_gdp_last = output
