"""Talent migration: multinomial logit over the nine regions, plus a declared inflow.

A share μ of talent agents reconsiders its region each year. Agent i of skill s living in r
values region j at

    U_ij = β_w ln w^s_j - β_h ln h_j + a^s_j + ΔA_j + β_w σ^s_j - m t_rj - m_0 1[j ≠ r] + ε_ij

with w^s_j the wage (mechanisms/production.py), h_j = h_j^0 (N_j/N_j^0)^η H_j the housing
cost (η the inverse housing-supply elasticity, H_j the policy factor), a^s_j the amenity
calibrated at initialisation so that the base year is a spatial equilibrium with no expected
net flows (Roback 1982; the balancing is solved by matrix scaling, see
:func:`equilibrium_amenities`), ΔA_j the policy's amenity change (culture, tourism,
environment), β_w σ^s_j the talent subsidy in log-wage units (国千/省千 programmes, skilled
only) and m, m_0 the
moving costs (Sjaastad 1962; for China, Tombe & Zhu 2019).

Declared flow: each year ι times the corridor's population arrives from the rest of China,
allocated across regions by the same logit without moving costs. People are otherwise
conserved.
"""

from __future__ import annotations

import numpy as np

from growthpole.mechanisms.base import StepContext, gumbel_noise
from growthpole.regions import N_REGIONS


def housing_cost(
    population: np.ndarray,
    base_population: np.ndarray,
    base_cost: np.ndarray,
    elasticity: float,
    factor: np.ndarray,
) -> np.ndarray:
    return base_cost * (population / base_population) ** elasticity * factor


def systematic_utility(context: StepContext, skill: int, population: np.ndarray) -> np.ndarray:
    """(N_REGIONS,) β_w ln w - β_h ln h + a + ΔA + σ (without moving costs)."""
    state, params, policy = context.state, context.params, context.policy
    regions = state.regions
    housing = housing_cost(
        population,
        regions.base_population,
        regions.housing_base,
        params.housing_supply_elasticity,
        policy.housing_cost_factor,
    )
    utility = (
        params.migration_wage_weight * np.log(np.maximum(regions.wages[skill], 1e-12))
        - params.migration_housing_weight * np.log(housing)
        + regions.amenity[skill]
        + policy.amenity_add
    )
    if skill == 1:  # the subsidy is in log-wage units: weighted like the wage
        utility = utility + params.migration_wage_weight * policy.skilled_subsidy
    return utility


def moving_cost(hours: np.ndarray, per_hour: float, fixed: float) -> np.ndarray:
    cost = per_hour * hours + fixed
    np.fill_diagonal(cost, 0.0)
    return cost


def equilibrium_amenities(
    population: np.ndarray, base_utility: np.ndarray, cost: np.ndarray, iterations: int = 500
) -> np.ndarray:
    """Amenities a_j making the logit migration flows balanced at ``population``.

    Solves Σ_r N_r P(j|r) = N_j with P(j|r) ∝ exp(u_j + a_j - c_rj) by the fixed point
    x_j ← N_j / Σ_r N_r K_rj / D_r (a matrix-scaling problem, Sinkhorn 1964), and returns
    a_j = ln x_j - u_j normalised to mean zero.
    """
    kernel = np.exp(-cost)
    x = population / population.sum()
    for _ in range(iterations):
        denominator = kernel @ x
        x_new = population / (kernel.T @ (population / denominator))
        x_new /= x_new.sum()
        if np.max(np.abs(x_new - x)) < 1e-14:
            x = x_new
            break
        x = x_new
    amenity = np.log(x) - base_utility
    return amenity - amenity.mean()


def migrate(context: StepContext) -> None:
    state, params = context.state, context.params
    talent, regions = state.talent, state.regions
    keyed = context.keyed("migration")
    live = talent.live
    counts = context.talent_counts()  # (skill, region), counted once per step
    population = counts.sum(axis=0) * state.people_per_agent
    population_10k = population / 1e4
    cost = moving_cost(regions.hours, params.moving_cost_per_hour, params.moving_fixed_cost)
    # only the (few) considering rows are gathered; the draw is compared on its hashed bits
    # (KeyedStream.rows_below: the same rows as uniform < μ)
    considering = keyed.rows_below(
        talent.ids[: talent.size], params.migration_consideration_rate, None if live.all() else live
    )
    regions.migration_in[:] = 0.0
    regions.migration_out[:] = 0.0
    # (skill,) systematic utilities at this year's population: the same for movers and for
    # the declared inflow (a pure function of the state before anyone moves)
    utilities = [systematic_utility(context, s, population_10k) for s in (0, 1)]
    if len(considering):
        # both skill groups in one logit: a row's utility depends only on (skill, origin), so
        # the 18 possible rows U[s, r] = base_s - cost_r are formed once and gathered (the
        # same subtraction as base[None, :] - cost[origin] per skill group)
        skill = talent.skill[considering].astype(np.int64)
        origin = talent.region[considering].astype(np.int64)
        table = np.empty((2, N_REGIONS, N_REGIONS))
        for s in (0, 1):  # two skill groups: a loop over types, not agents
            table[s] = utilities[s][None, :] - cost
        code = skill * N_REGIONS + origin
        # (region chosen, row) layout: the choice passes run over contiguous rows
        utility = np.take(table.reshape(2 * N_REGIONS, N_REGIONS).T, code, axis=1)
        choice = keyed.choice_by_alternative(utility, talent.ids[considering])
        moved = choice != origin
        movers = considering[moved]
        to = choice[moved]
        # movers by (skill, origin) and (skill, destination): the flows are their sums over
        # skills, the talent counts change by their difference (integers: exact)
        leaving = np.bincount(code[moved], minlength=2 * N_REGIONS).reshape(2, N_REGIONS)
        arriving = np.bincount(skill[moved] * N_REGIONS + to, minlength=2 * N_REGIONS).reshape(
            2, N_REGIONS
        )
        regions.migration_out += leaving.sum(axis=0)
        regions.migration_in += arriving.sum(axis=0)
        talent.region[movers] = to
        talent.moves[movers] += 1
        counts -= leaving
        counts += arriving
    regions.migration_in *= state.people_per_agent
    regions.migration_out *= state.people_per_agent
    added = _external_inflow(context, population_10k, utilities)
    if added is not None:
        counts += added
    context.set_talent_counts(counts)


def _external_inflow(
    context: StepContext, population_10k: np.ndarray, utilities: list[np.ndarray] | None = None
) -> np.ndarray | None:
    """Declared inflow from the rest of China (new talent agents); returns the arrivals by
    (skill, region), or None if there were none. ``utilities``: systematic_utility by
    skill at ``population_10k``, if already computed."""
    state, params = context.state, context.params
    rng = context.rng("migration")
    regions = state.regions
    regions.external_inflow[:] = 0.0
    expected = params.external_inflow_rate * population_10k.sum() * 1e4 / state.people_per_agent
    n = int(rng.poisson(expected)) if expected > 0 else 0
    if not n:
        return None
    skilled_share = state.inflow_skilled_share
    skill = (rng.random(n) < skilled_share).astype(np.int8)
    region = np.empty(n, dtype=np.int64)
    for s in (0, 1):
        count = int((skill == s).sum())
        if count:
            utility = (
                systematic_utility(context, s, population_10k)
                if utilities is None
                else utilities[s]
            )
            # gumbel_choice of the utility repeated over ``count`` rows, without
            # np.broadcast_to (slow for small arrays): the same draws and sums
            noise = gumbel_noise(rng, (count, N_REGIONS))
            noise += utility
            region[skill == s] = np.argmax(noise, axis=1)
    state.talent.add(n, region=region, skill=skill, moves=0)
    arrivals = np.bincount(
        skill.astype(np.int64) * N_REGIONS + region, minlength=2 * N_REGIONS
    ).reshape(2, N_REGIONS)
    regions.external_inflow[:] = arrivals.sum(axis=0) * state.people_per_agent
    return arrivals
