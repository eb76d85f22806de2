"""Firm relocation: multinomial logit over the nine regions.

A share ν of live firm agents reconsiders its location each year (more under pressure: low
亩均 efficiency, or polluting firms outside clusters). Firm i's utility of region k is its
log profit there with labour re-optimised (Cobb-Douglas profit function, given K_i):

    V_ik = [φ ln M_k + γ ln G_kk(i) + ln(1 + τ_ik) + b_P 1[platform available]
            - β_s ln w^s_k - β_u ln w^u_k] / (1 - β)  - ρ^L_k L_i / π̄
    U_ik = β_π (V_ik - V_ir) - f_0 1[k ≠ r] - f_0 t_rk / 2 + ε_ik,   ε ~ Gumbel

(McFadden 1974; for firm location choice Carlton 1983, Guimarães, Figueiredo & Woodward
2003). The chosen region replaces the firm's region; it settles into a platform there if one
fits (mechanisms/platforms.py).
"""

from __future__ import annotations

import numpy as np

from growthpole.mechanisms.base import StepContext, gumbel_choice, region_sector_sum
from growthpole.mechanisms.platforms import place_in_platforms, recount_platform_land
from growthpole.mechanisms.production import AGGLOMERATION_OFFSET
from growthpole.regions import N_REGIONS, N_SHAOXING, REGION_INDEX, SKILLED, UNSKILLED

PRESSURE_CONSIDERATION = 0.2  # extra consideration probability under 亩均/cluster pressure


def location_values(context: StepContext, rows: np.ndarray) -> np.ndarray:
    """(len(rows), N_REGIONS) log profit index V_ik of each candidate firm in each region."""
    state, params, policy = context.state, context.params, context.policy
    firms, regions = state.firms, state.regions
    beta = params.labour_elasticity
    sector = firms.sector[rows].astype(np.int64)
    employment = region_sector_sum(firms.skilled + firms.unskilled,
                                   firms.region.astype(np.int64),
                                   firms.sector.astype(np.int64), firms.live)
    agg = np.log((employment + AGGLOMERATION_OFFSET)
                 / (state.regions_base_employment + AGGLOMERATION_OFFSET))  # (N, S)
    gamma = np.full(N_REGIONS, params.agglomeration_elasticity)
    gamma[:N_SHAOXING] *= policy.agglomeration_multiplier
    wedge = (policy.sector_subsidy[:, sector].T + policy.profit_tax_cut[None, :]
             + policy.regulation_cost_cut[None, :])
    shaoxing = np.zeros(N_REGIONS)
    shaoxing[:N_SHAOXING] = 1.0
    wedge = wedge - policy.compliance_cost[sector][:, None] * shaoxing[None, :]
    wages = np.log(np.maximum(regions.wages, 1e-12))
    value = (params.market_access_elasticity * np.log(regions.market_access)[None, :]
             + gamma[None, :] * agg[:, sector].T
             + np.log(np.maximum(1.0 + wedge, 1e-3))
             - params.skilled_labour_elasticity * wages[SKILLED][None, :]
             - params.unskilled_labour_elasticity * wages[UNSKILLED][None, :]) / (1.0 - beta)
    return value


def relocate_firms(context: StepContext) -> np.ndarray:
    """Draw relocations; returns the rows that moved."""
    state, params, policy = context.state, context.params, context.policy
    firms = state.firms
    rng = context.rng("relocation")
    live = firms.live
    pressure = (firms.low_efficiency == 1) | (
        state.polluting_sector[firms.sector.astype(np.int64)] & (firms.clustered == 0)
        & (firms.region < N_SHAOXING) & (policy.cluster_concentration > 0))
    prob = params.relocation_consideration_rate + PRESSURE_CONSIDERATION * pressure * max(
        policy.land_efficiency_pressure, policy.cluster_concentration)
    considering = np.flatnonzero(live & (rng.random(firms.size) < prob))
    if not len(considering):
        return considering
    value = location_values(context, considering)
    current = firms.region[considering].astype(np.int64)
    own = value[np.arange(len(considering)), current]
    hours = state.regions.hours[current]
    utility = (params.relocation_profit_weight * (value - own[:, None])
               - params.relocation_fixed_cost * (np.arange(N_REGIONS)[None, :] != current[:, None])
               - 0.5 * params.relocation_fixed_cost * hours)
    utility[np.arange(len(considering)), current] = 0.0
    choice = gumbel_choice(utility, rng)
    # polluting firms pushed into clusters: dyeing to Keqiao, chemicals to Shangyu
    moved_mask = choice != current
    moved = considering[moved_mask]
    if len(moved):
        origin = current[moved_mask]
        np.add.at(state.regions.relocations_out, origin, 1.0)
        np.add.at(state.regions.relocations_in, choice[moved_mask], 1.0)
        firms.region[moved] = choice[moved_mask]
        firms.platform[moved] = -1
        recount_platform_land(state)
        place_in_platforms(context, moved)
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

    rng = context.rng("relocation")
    sector = firms.sector.astype(np.int64)
    candidates = firms.live & (firms.region < N_SHAOXING) & (firms.clustered == 0) & (
        state.polluting_sector[sector])
    move = candidates & (rng.random(firms.size) < 0.2 * policy.cluster_concentration)
    rows = np.flatnonzero(move)
    if not len(rows):
        return
    target = np.where(sector[rows] == SECTOR_INDEX["chemicals"], REGION_INDEX["shangyu"],
                      REGION_INDEX["keqiao"])
    changed = firms.region[rows] != target
    np.add.at(state.regions.relocations_out, firms.region[rows][changed].astype(np.int64), 1.0)
    np.add.at(state.regions.relocations_in, target[changed], 1.0)
    firms.region[rows] = target
    firms.clustered[rows] = 1
    firms.emission_intensity[rows] *= 1.0 - 0.2 * min(1.0, policy.cluster_concentration)
