"""Firm relocation: multinomial logit over the nine regions.

A share ν of live firm agents reconsiders its location each year (more under pressure: low
亩均 efficiency, or polluting firms outside clusters). Firm i's utility of region k is its
log profit there with labour re-optimised (Cobb-Douglas profit function, given K_i):

    V_ik = [ln A^P_k + φ ln M_k + γ ln G_kk(i) + ln(1 + τ_ik) + P_ik
            - β_s ln w^s_k - β_u ln w^u_k] / (1 - β)                                    [R1]
    U_ik = β_π (V_ik - V_ir) + a^F_k - a^F_r - f_0 1[k ≠ r] - f_0 t_rk / 2 + ε_ik        [R2]

with ε ~ Gumbel. The firm's own TFP A_i is the same in every region (it moves with the
firm) and drops out of the comparison; the place's TFP A^P_k (region premium, pole premia
since the base year), agglomeration, market access and platforms are those of the
candidate region k (mechanisms/production.py [P1]). a^F_k is a location fundamental set in
the base year so that the observed distribution of firm agents is an equilibrium: with no
policy change the expected flows are zero (:func:`calibrate_location_fundamentals`; the
same device as the amenities of mechanisms/migration.py, Roback 1982, and the location
fundamentals of Ahlfeldt et al. 2015).

P_ik = max over open platforms p in k with i's sector in their focus and free land of
b_P + ln(1 + s_p) (:func:`platform_pull`); τ_ik the region's subsidies, tax and red-tape cuts
net of the compliance, emission-standard and cluster costs firm i would bear there: the
wedge production charges it (τ_i of mechanisms/production.py), so that a firm compares
locations by the profit it would earn in them. (McFadden 1974; for firm location choice
Carlton 1983, Guimarães, Figueiredo & Woodward 2003.) The chosen region replaces the firm's
region; it settles into a platform there if one fits (mechanisms/platforms.py). A
considering firm that stays and is not in a platform may settle into one of its own region.
"""

from __future__ import annotations

import numpy as np

from growthpole.mechanisms.base import StepContext, region_sector_sum
from growthpole.mechanisms.platforms import place_in_platforms, recount_platform_land
from growthpole.mechanisms.production import AGGLOMERATION_OFFSET, shaoxing_policy_costs
from growthpole.regions import (
    N_REGIONS,
    N_SECTORS,
    N_SHAOXING,
    REGION_INDEX,
    SKILLED,
    UNSKILLED,
)

PRESSURE_CONSIDERATION = 0.2  # extra consideration probability under 亩均/cluster pressure


def location_values(context: StepContext, rows: np.ndarray) -> np.ndarray:
    """(len(rows), N_REGIONS) log profit index V_ik of each candidate firm in each region.

    The wedge τ_ik is the one production charges (mechanisms/production.py
    :func:`~growthpole.mechanisms.production.policy_wedge`): the region's subsidies, tax and
    red-tape cuts for the firm's sector, less, in a Shaoxing unit, the costs the firm itself
    would bear there (:func:`~growthpole.mechanisms.production.shaoxing_policy_costs`:
    compliance at the share c_u if upgraded, the emission-standard penalty, the cluster
    cost). Platform subsidies enter through :func:`platform_pull`."""
    state, params, policy = context.state, context.params, context.policy
    firms, regions = state.firms, state.regions
    beta = params.labour_elasticity
    sector = np.arange(N_SECTORS)
    employment = region_sector_sum(
        firms.skilled + firms.unskilled,
        firms.region.astype(np.int64),
        firms.sector.astype(np.int64),
        firms.live,
    )
    agg = np.log(
        (employment + AGGLOMERATION_OFFSET) / (state.regions_base_employment + AGGLOMERATION_OFFSET)
    )  # (N, S)
    gamma = np.full(N_REGIONS, params.agglomeration_elasticity)
    gamma[:N_SHAOXING] *= policy.agglomeration_multiplier
    own_sector = firms.sector[rows].astype(np.int64)
    wedge = (
        policy.sector_subsidy[:, sector].T
        + policy.profit_tax_cut[None, :]
        + policy.regulation_cost_cut[None, :]
    )[own_sector]  # (rows, region)
    shaoxing = np.zeros(N_REGIONS)
    shaoxing[:N_SHAOXING] = 1.0
    wedge = wedge - shaoxing_policy_costs(context, rows)[:, None] * shaoxing[None, :]
    wages = np.log(np.maximum(regions.wages, 1e-12))
    return (
        regions.place_log_tfp[None, :]
        + params.market_access_elasticity * np.log(regions.market_access)[None, :]
        + gamma[None, :] * agg[:, sector].T[own_sector]
        + np.log(np.maximum(1.0 + wedge, 1e-3))
        - params.skilled_labour_elasticity * wages[SKILLED][None, :]
        - params.unskilled_labour_elasticity * wages[UNSKILLED][None, :]
    ) / (1.0 - beta)


def platform_pull(context: StepContext, rows: np.ndarray) -> np.ndarray:
    """(len(rows), N_REGIONS) log-profit gain of the best platform a firm could settle in,
    in each region: (b_P + ln(1 + s_p)) / (1 - β) where an open platform with the firm's
    sector in its focus has free land for it, else 0. This is what makes platform land and
    its levers pull firms (Binhai New Area, 万亩千亿 platforms, towns, parks)."""
    state, params = context.state, context.params
    firms, platforms = state.firms, state.platforms
    pull = np.zeros((len(rows), N_REGIONS))
    if not platforms.size or not len(rows):
        return pull
    sector = firms.sector[rows].astype(np.int32)
    free = platforms.capacity_mu - platforms.used_mu
    focus = ((platforms.sector_mask[None, :] >> sector[:, None]) & 1) == 1
    fits = (free[None, :] >= firms.land_mu[rows][:, None]) & (platforms.capacity_mu > 0)[None, :]
    gain = np.where(
        focus & fits, params.platform_tfp_bonus + np.log1p(platforms.subsidy)[None, :], 0.0
    )
    # the best platform of each host region: one maximum.reduceat over the platforms grouped
    # by region (a maximum does not depend on the order of its terms)
    host = platforms.region.astype(np.int64)
    order = np.argsort(host, kind="stable")
    grouped = host[order]
    starts = np.flatnonzero(np.concatenate(([True], grouped[1:] != grouped[:-1])))
    hosts = grouped[starts]
    best = np.maximum.reduceat(gain[:, order], starts, axis=1)
    modelled = (hosts >= 0) & (hosts < N_REGIONS)
    pull[:, hosts[modelled]] = best[:, modelled]
    return pull / (1.0 - params.labour_elasticity)


def relocation_utility(context: StepContext, rows: np.ndarray) -> np.ndarray:
    """(len(rows), N_REGIONS) systematic utility U_ik of [R2] (0 for staying)."""
    state, params = context.state, context.params
    firms = state.firms
    value = location_values(context, rows) + platform_pull(context, rows)
    current = firms.region[rows].astype(np.int64)
    index = np.arange(len(rows))
    own = value[index, current]
    hours = state.regions.hours[current]
    fundamental = state.regions.firm_location_fundamental
    utility = (
        params.relocation_profit_weight * (value - own[:, None])
        + fundamental[None, :]
        - fundamental[current][:, None]
        - params.relocation_fixed_cost * (np.arange(N_REGIONS)[None, :] != current[:, None])
        - params.relocation_distance_cost * params.relocation_fixed_cost * hours
    )
    utility[index, current] = 0.0
    return utility


def choice_probabilities(utility: np.ndarray) -> np.ndarray:
    """Logit probabilities of each row of ``utility``."""
    shifted = np.exp(utility - utility.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


def _probabilities_in_place(utility: np.ndarray) -> np.ndarray:
    """:func:`choice_probabilities` overwriting ``utility`` (the same operations)."""
    np.subtract(utility, np.maximum.reduce(utility, axis=1, keepdims=True), out=utility)
    np.exp(utility, out=utility)
    return np.divide(utility, np.add.reduce(utility, axis=1, keepdims=True), out=utility)


def expected_net_relocations(context: StepContext) -> np.ndarray:
    """(N_REGIONS,) expected net inflow of firm agents per considering firm agent,
    Σ_i [P_i(k) - 1(r_i = k)] over all live firm agents (the consideration rate ν scales
    the flows and is left out)."""
    firms = context.state.firms
    rows = np.flatnonzero(firms.live)
    probability = choice_probabilities(relocation_utility(context, rows))
    current = np.bincount(firms.region[rows].astype(np.int64), minlength=N_REGIONS)
    return probability.sum(axis=0) - current


def calibrate_location_fundamentals(context: StepContext, iterations: int = 500) -> np.ndarray:
    """a^F_k (N_REGIONS,) of [R2] such that expected relocation flows are zero in the base
    year: Σ_i P_i(k) = n_k for every region k (market shares inverted as in Berry
    1994) solved by damped diagonal Newton steps. Normalised to mean zero."""
    state = context.state
    firms = state.firms
    rows = np.flatnonzero(firms.live)
    counts = np.bincount(firms.region[rows].astype(np.int64), minlength=N_REGIONS).astype(float)
    present = counts > 0
    state.regions.firm_location_fundamental = np.zeros(N_REGIONS)
    base = relocation_utility(context, rows)
    current = firms.region[rows].astype(np.int64)
    fundamental = np.zeros(N_REGIONS)
    # the loop's arrays are allocated once; each line applies the same ufuncs in the same
    # order as the expressions of relocation_utility and choice_probabilities. The staying
    # entry needs no reset: it is 0 in ``base`` and (0 + a_r) - a_r is exactly 0.
    utility = np.empty_like(base)
    slope_terms = np.empty_like(base)
    counts_present = counts[present]
    for _ in range(iterations):
        np.add(base, fundamental[None, :], out=utility)
        np.subtract(utility, fundamental[current][:, None], out=utility)
        probability = _probabilities_in_place(utility)
        gap = counts - np.add.reduce(probability, axis=0)
        if np.maximum.reduce(np.abs(gap[present]) / counts_present, axis=None) < 1e-11:
            break
        # diagonal Newton step: ∂ Σ_i P_i(k) / ∂ a_k = Σ_i P_ik (1 - P_ik) (the stay option
        # of the firms of k gains with a_k exactly as every other firm's move to k)
        np.subtract(1.0, probability, out=slope_terms)
        np.multiply(probability, slope_terms, out=slope_terms)
        slope = np.add.reduce(slope_terms, axis=0)
        fundamental += np.where(
            present, np.clip(0.8 * gap / np.maximum(slope, 1e-300), -0.5, 0.5), 0.0
        )
    fundamental[~present] = fundamental[present].min() - 10.0 if present.any() else 0.0
    return fundamental - fundamental[present].mean()


def relocate_firms(context: StepContext) -> np.ndarray:
    """Draw relocations; returns the rows that moved."""
    state, params, policy = context.state, context.params, context.policy
    firms = state.firms
    live = firms.live
    keyed = context.keyed("relocation")
    push = max(policy.land_efficiency_pressure, policy.cluster_concentration)
    if push == 0.0:
        # no pressure lever: prob = ν + 0.2 · pressure · 0 = ν for every firm, so the rows
        # are those of keyed.rows_below (the same draws compared on their hashed bits)
        considering = keyed.rows_below(
            firms.ids[: firms.size],
            params.relocation_consideration_rate,
            None if live.all() else live,
        )
    else:
        pressure = (firms.low_efficiency == 1) | (
            state.polluting_sector[firms.sector.astype(np.int64)]
            & (firms.clustered == 0)
            & (firms.region < N_SHAOXING)
            & (policy.cluster_concentration > 0)
        )
        prob = params.relocation_consideration_rate + PRESSURE_CONSIDERATION * pressure * push
        considering = np.flatnonzero(live & (keyed.uniform(firms.ids[: firms.size]) < prob))
    if not len(considering):
        return considering
    utility = relocation_utility(context, considering)
    current = firms.region[considering].astype(np.int64)
    choice = keyed.choice(utility, firms.ids[considering])
    # polluting firms pushed into clusters: dyeing to Keqiao, chemicals to Shangyu
    moved_mask = choice != current
    moved = considering[moved_mask]
    # the platform-placement draws of all considering firms in one call (keyed by id: the
    # same numbers as drawing for movers and stayers separately)
    draws = context.keyed("platforms").uniform(firms.ids[considering])
    if len(moved):
        origin = current[moved_mask]
        # counts of firm agents (integers: the same sums as adding 1.0 per mover)
        state.regions.relocations_out += np.bincount(origin, minlength=N_REGIONS)
        state.regions.relocations_in += np.bincount(choice[moved_mask], minlength=N_REGIONS)
        firms.region[moved] = choice[moved_mask]
        firms.platform[moved] = -1
        recount_platform_land(state)
        place_in_platforms(context, moved, draws[moved_mask])
    # firms that stay may still move into a platform of their own region
    stayers = considering[~moved_mask]
    outside = firms.platform[stayers] < 0
    stayers = stayers[outside]
    if len(stayers):
        place_in_platforms(context, stayers, draws[~moved_mask][outside])
    _concentrate_polluters(context)
    return moved


def _concentrate_polluters(context: StepContext) -> None:
    """印染组团 / 化工集聚: a share of unclustered Shaoxing dyeing and chemical firms moves
    into the designated clusters each year (dyeing: Keqiao; chemicals: Shangyu)."""
    state, policy = context.state, context.policy
    if policy.cluster_concentration <= 0:
        return
    firms = state.firms
    from growthpole.regions import SECTOR_INDEX

    sector = firms.sector.astype(np.int64)
    candidates = (
        firms.live
        & (firms.region < N_SHAOXING)
        & (firms.clustered == 0)
        & (state.polluting_sector[sector])
    )
    move = candidates & (
        context.keyed("relocation").uniform(firms.ids[: firms.size], 99)
        < 0.2 * policy.cluster_concentration
    )
    rows = np.flatnonzero(move)
    if not len(rows):
        return
    target = np.where(
        sector[rows] == SECTOR_INDEX["chemicals"], REGION_INDEX["shangyu"], REGION_INDEX["keqiao"]
    )
    changed = firms.region[rows] != target
    np.add.at(state.regions.relocations_out, firms.region[rows][changed].astype(np.int64), 1.0)
    np.add.at(state.regions.relocations_in, target[changed], 1.0)
    firms.region[rows] = target
    firms.platform[rows[changed]] = -1
    recount_platform_land(state)
    firms.clustered[rows] = 1
    firms.emission_intensity[rows] *= 1.0 - 0.2 * min(1.0, policy.cluster_concentration)
