"""Labour market: commuting, talent enclaves and the allocation of workers to firms.

Supply. Residents of region r of skill s supply O^s_r = p · N^s_r · people_per_agent workers
(p the participation rate, N^s_r talent agents).

Commuting (a logit over workplaces constrained at both ends, in the style of Ahlfeldt,
Redding, Sturm & Wolf 2015 and Redding & Rossi-Hansberg 2017). A resident of r of skill s
works in w with probability

    π^s_{w|r} = exp(V^s_rw) / Σ_k exp(V^s_rk),
    V^s_rw    = ε ln w^s_w + b^s_w - ν t_rw - κ_rw,                                   [C1]
    κ_rw      = κ_c 1[city(r) ≠ city(w)] (1 - min(1, z_rw / z̄)) + κ_d 1[r ≠ w, same city]

with w^s_w the workplace wage, t_rw the travel time (h), κ_c the cost of crossing a city
boundary (hukou, social insurance, information; calibrated to the sourced corridor
commuting of data/commuting.csv), κ_d the cost of crossing a district boundary inside a
city, z_rw the same-city lever (融杭同城) that removes the share z_rw / z̄ of the city-boundary
cost, and b^s_w a workplace fundamental. The origin constraint holds by construction
(Σ_w π^s_{w|r} = 1: every resident worker works somewhere). The destination constraint is
labour-market clearing: jobs at w are the workers firms hire at the wage

    L^s_w = Σ_r O^s_r π^s_{w|r},      w^s_w = β_s Y_w / L^s_w,
    Y_w   = Z_w S_w^{β_s} U_w^{β_u},  Z_w = (Σ_{i in w} B_i^{1/(1-β)})^{1-β}             [C2]

(Z_w is the region's output per unit of its labour aggregate when workers are allocated
by θ below), so wages play the role of the destination balancing factors of a doubly
constrained gravity model (Wilson 1967). [C1]-[C2] are solved by a damped fixed point in
log workers (:func:`commuting_equilibrium`). In the base year b^s_w is set so that jobs at
every workplace equal its resident workers (:func:`calibrate_workplace_fundamentals`):
net commuting is zero by region, within the sourced range for Shaoxing, and the base-year
wage ratios are those of GDP per resident worker.

Talent enclaves (人才飞地) let Shaoxing firms employ a share e of the skilled workers of the
enclave hosts: Shanghai, Hangzhou and Shenzhen (Shenzhen, not a region of the model, is
represented by a pool equal to ``enclave_shenzhen_pool_ratio`` times the skilled workers of
Shanghai and Hangzhou together, an assumption). Enclave workers keep their residence.

Allocation. Within workplace w, with Cobb-Douglas firms facing common wages, the
competitive allocation gives firm i the share

    θ_i = B_i^{1/(1-β)} / Σ_{j in w} B_j^{1/(1-β)},    B_i = Ã_i K_i^α,  β = β_s + β_u    [C3]

of each skill's workers (first-order conditions equalise Y_i/S_i and Y_i/U_i across firms);
wages are the marginal products w^s_w = β_s Y_w / S_w (mechanisms/production.py).
"""

from __future__ import annotations

import numpy as np

from growthpole.mechanisms.base import StepContext, region_sum
from growthpole.mechanisms.production import effective_log_tfp
from growthpole.regions import HANGZHOU, N_REGIONS, N_SHAOXING, SHANGHAI, SKILLED

#: city of each region: Shaoxing's six units are one city (0); the poles are one each
CITY = np.array([0] * N_SHAOXING + list(range(1, N_REGIONS - N_SHAOXING + 1)))
EQUILIBRIUM_TOLERANCE = 1e-12  # max |Δ ln L| at which the commuting fixed point stops
EQUILIBRIUM_ITERATIONS = 1000  # cap; the calibrated values converge in a few dozen
EQUILIBRIUM_DAMPING = 0.5  # initial weight of a fixed-point step in ln L
MIN_EQUILIBRIUM_DAMPING = 1e-3  # floor of the adaptive weight
MIN_WORKERS = 1e-6  # workers (persons): keeps log wages finite where a skill is absent


#: (residence, workplace) True where the two regions lie in different cities
DIFFERENT_CITY = CITY[:, None] != CITY[None, :]


def boundary_cost(params, same_city: np.ndarray) -> np.ndarray:
    """(residence, workplace) κ_rw of [C1]: city-boundary cost reduced by the same-city
    lever, district-boundary cost inside a city, 0 on the diagonal."""
    removed = np.minimum(1.0, np.maximum(same_city, 0.0) / params.same_city_full_share)
    cost = np.where(
        DIFFERENT_CITY,
        params.commuting_city_cost * (1.0 - removed),
        params.commuting_district_cost,
    )
    np.fill_diagonal(cost, 0.0)
    return cost


def commuting_cost(params, hours: np.ndarray, same_city: np.ndarray) -> np.ndarray:
    """(residence, workplace) ν t_rw + κ_rw of [C1], in units of utility."""
    return params.commuting_time_cost * hours + boundary_cost(params, same_city)


def _shares_at_cost(
    log_wage: np.ndarray, fundamental: np.ndarray, cost: np.ndarray, wage_elasticity: float
) -> np.ndarray:
    """π^s_{w|r} of [C1] given the (residence, workplace) cost of :func:`commuting_cost`
    (the kernel of :func:`commuting_shares`, for loops that hold the cost fixed)."""
    utility = (wage_elasticity * log_wage + fundamental)[:, None, :] - cost[None, :, :]
    # the ufuncs' own reductions (what ndarray.max and .sum call, without their Python
    # wrappers: the same operations in the same order)
    utility -= np.maximum.reduce(utility, axis=2, keepdims=True)
    share = np.exp(utility, out=utility)
    return np.divide(share, np.add.reduce(share, axis=2, keepdims=True), out=share)


def commuting_shares(
    log_wage: np.ndarray, fundamental: np.ndarray, hours: np.ndarray, params, same_city: np.ndarray
) -> np.ndarray:
    """(skill, residence, workplace) π^s_{w|r} of [C1]; every (s, r) row sums to one."""
    return _shares_at_cost(
        log_wage,
        fundamental,
        commuting_cost(params, hours, same_city),
        params.commuting_wage_elasticity,
    )


def _log_labour_elasticity(params) -> np.ndarray:
    """(skill, 1) ln β_s of [C2]."""
    elasticity = np.empty((2, 1))
    elasticity[SKILLED] = params.skilled_labour_elasticity
    elasticity[1 - SKILLED] = params.unskilled_labour_elasticity
    return np.log(elasticity)


def _log_wages_at_log_workers(
    labour: np.ndarray, log_scale: np.ndarray, params, log_elasticity: np.ndarray
) -> np.ndarray:
    """ln w^s_w of [C2] given ln max(L, MIN_WORKERS) ``labour`` (the kernel of
    :func:`workplace_log_wages`, for loops that already hold the log of the workers)."""
    log_output = (
        log_scale
        + params.skilled_labour_elasticity * labour[SKILLED]
        + params.unskilled_labour_elasticity * labour[1 - SKILLED]
    )
    return log_elasticity + log_output[None, :] - labour


def workplace_log_wages(workers: np.ndarray, log_scale: np.ndarray, params) -> np.ndarray:
    """(skill, workplace) ln w^s_w of [C2] at ``workers`` (2, N) and ln Z_w."""
    return _log_wages_at_log_workers(
        np.log(np.maximum(workers, MIN_WORKERS)), log_scale, params, _log_labour_elasticity(params)
    )


def commuting_equilibrium(
    supply: np.ndarray,
    log_scale: np.ndarray,
    fundamental: np.ndarray,
    hours: np.ndarray,
    params,
    same_city: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Workers by (skill, workplace) and shares π (skill, residence, workplace) solving
    [C1]-[C2] given resident workers ``supply`` (2, N) and ln Z_w ``log_scale`` (N,).

    Damped fixed point on ln L with adaptive damping. The wage falls with the workers a
    workplace receives (elasticity β_s - 1 < 0), so commuting is self-limiting, but the
    undamped map's slope is about -ε (1 - β_s) (1 - π_ww): near the calibrated values
    (few commuters, π_ww ≈ 1) the weight 1/2 contracts, while with cheap commuting (κ's
    near 0, π_ww small) and ε (1 - β_s) > 3 it oscillates with a growing amplitude (the
    residual reached 30 in ln L at edge parameters, which emptied whole regions of
    workers). The weight therefore starts at 1/2 and is halved whenever the residual
    grows, which the map's slope allows to converge for every slope of PARAMETER_SPECS
    (weight below 2 / (1 + ε (1 - β_s))).

    The cost, ln β_s and ln L of the current iterate are computed once and reused (the same
    floating-point operations as composing :func:`workplace_log_wages` and
    :func:`commuting_shares` in every iteration: the result is bit-identical)."""
    cost = commuting_cost(params, hours, same_city)
    wage_elasticity = params.commuting_wage_elasticity
    log_elasticity = _log_labour_elasticity(params)
    workers = supply.copy()
    log_workers = np.log(np.maximum(workers, MIN_WORKERS))
    shares = None
    weight = EQUILIBRIUM_DAMPING
    previous = np.inf
    for _ in range(EQUILIBRIUM_ITERATIONS):
        log_wage = _log_wages_at_log_workers(log_workers, log_scale, params, log_elasticity)
        shares = _shares_at_cost(log_wage, fundamental, cost, wage_elasticity)
        new = np.einsum("sr,srw->sw", supply, shares)
        change = np.log(np.maximum(new, MIN_WORKERS)) - log_workers
        residual = float(np.maximum.reduce(np.abs(change), axis=None))
        if residual < EQUILIBRIUM_TOLERANCE:
            workers = new
            break
        if residual > previous:  # oscillating: a shorter step
            weight = max(0.5 * weight, MIN_EQUILIBRIUM_DAMPING)
        previous = residual
        workers = np.exp(log_workers + weight * change)
        log_workers = np.log(np.maximum(workers, MIN_WORKERS))
    else:
        workers = new
    assert shares is not None  # EQUILIBRIUM_ITERATIONS >= 1: the loop ran
    return workers, shares


def calibrate_workplace_fundamentals(
    supply: np.ndarray, log_scale: np.ndarray, hours: np.ndarray, params, iterations: int = 2000
) -> np.ndarray:
    """b^s_w (2, N) such that, at the base year's wages, jobs at every workplace equal its
    resident workers: Σ_r O^s_r π^s_{w|r} = O^s_w (iterative proportional fitting on the
    destination balancing factors, Wilson 1967, solved by damped diagonal Newton steps).
    Normalised to mean zero per skill."""
    log_wage = workplace_log_wages(supply, log_scale, params)
    cost = commuting_cost(params, hours, np.zeros((N_REGIONS, N_REGIONS)))
    wage_elasticity = params.commuting_wage_elasticity
    fundamental = np.zeros((2, N_REGIONS))
    target = np.maximum(supply, MIN_WORKERS)
    for _ in range(iterations):
        shares = _shares_at_cost(log_wage, fundamental, cost, wage_elasticity)
        jobs = np.einsum("sr,srw->sw", supply, shares)
        gap = target - jobs
        if np.max(np.abs(gap) / target) < 1e-13:
            break
        # diagonal Newton step: ∂ jobs_w / ∂ b_w = Σ_r O_r π_rw (1 - π_rw); a plain
        # proportional step ln(target / jobs) would be ~1/(1 - π_ww) times too short
        slope = np.einsum("sr,srw->sw", supply, shares * (1.0 - shares))
        # (clipped: far from the solution the diagonal slope understates the cross effects)
        fundamental += np.clip(0.8 * gap / np.maximum(slope, MIN_WORKERS), -0.5, 0.5)
    return fundamental - fundamental.mean(axis=1, keepdims=True)


def labour_supply(context: StepContext) -> np.ndarray:
    """(2, N_REGIONS) workers by skill and residence."""
    state, params = context.state, context.params
    supply = context.talent_counts()  # counted once per step (StepContext.talent_counts)
    return supply * state.people_per_agent * params.participation_rate


def workers_by_workplace(context: StepContext, log_scale: np.ndarray | None = None) -> np.ndarray:
    """(2, N_REGIONS) workers by skill and workplace, after commuting and enclaves.

    ``log_scale``: ln Z_w of [C2] (computed from the firms if not given). Records the
    commuters into and out of every region (persons) in the region state."""
    state, params, policy = context.state, context.params, context.policy
    regions = state.regions
    supply = labour_supply(context)
    for flow in (
        regions.commuters_in,
        regions.commuters_out,
        regions.city_commuters_in,
        regions.city_commuters_out,
    ):
        flow[:] = 0.0
    if context.on("commuting"):
        if log_scale is None:
            log_scale = region_log_scale(context)
        workers, shares = commuting_equilibrium(
            supply,
            log_scale,
            regions.commuting_fundamental,
            regions.hours,
            params,
            policy.same_city_commuting,
        )
        flows = (supply[:, :, None] * shares).sum(axis=0)  # (residence, workplace), persons
        off_diagonal = flows - np.diag(np.diag(flows))
        regions.commuters_in[:] = off_diagonal.sum(axis=0)
        regions.commuters_out[:] = off_diagonal.sum(axis=1)
        across = np.where(CITY[:, None] != CITY[None, :], flows, 0.0)
        regions.city_commuters_in[:] = across.sum(axis=0)
        regions.city_commuters_out[:] = across.sum(axis=1)
    else:
        workers = supply.copy()
    regions.enclave_workers = 0.0
    if policy.enclave_share > 0:
        hosts = (SHANGHAI, HANGZHOU)
        moved = policy.enclave_share * workers[SKILLED, list(hosts)]
        shenzhen = (
            policy.enclave_share
            * params.enclave_shenzhen_pool_ratio
            * workers[SKILLED, list(hosts)].sum()
        )
        workers[SKILLED, list(hosts)] -= moved
        total = moved.sum() + shenzhen
        weights = workers[SKILLED, :N_SHAOXING] / workers[SKILLED, :N_SHAOXING].sum()
        workers[SKILLED, :N_SHAOXING] += total * weights
        regions.enclave_workers = float(total)
    return workers


def _log_weights(context: StepContext) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """ln B_i / (1 - β) for every row, the per-region maximum used to stabilise it, and the
    stabilised weights (0 for dead rows)."""
    state, params = context.state, context.params
    firms = state.firms
    live = firms.live
    region = firms.region.astype(np.int64)
    beta = params.labour_elasticity
    log_b = effective_log_tfp(context) + params.capital_elasticity * np.log(
        np.maximum(firms.capital, 1e-300)
    )
    log_weight = log_b / (1.0 - beta)
    all_live = bool(live.all())  # masks of all-True rows change no value: skipped
    offset = np.full(N_REGIONS, -np.inf)
    if all_live:
        np.maximum.at(offset, region, log_weight)
    else:
        np.maximum.at(offset, region[live], log_weight[live])
    offset = np.where(np.isfinite(offset), offset, 0.0)
    weight = np.exp(log_weight - offset[region])
    if not all_live:
        weight = np.where(live, weight, 0.0)
    return region, offset, weight


def region_log_scale(context: StepContext) -> np.ndarray:
    """(N_REGIONS,) ln Z_w of [C2] from the firms' current TFP and capital."""
    region, offset, weight = _log_weights(context)
    total = region_sum(weight, region)
    beta = context.params.labour_elasticity
    with np.errstate(divide="ignore"):
        return (1.0 - beta) * (offset + np.log(np.maximum(total, 1e-300)))


def allocate_labour(context: StepContext) -> None:
    """Assign skilled and unskilled workers to firms in proportion to θ_i ([C3])."""
    firms = context.state.firms
    region, offset, weight = _log_weights(context)
    total_by_region = region_sum(weight, region)
    total = total_by_region[region]
    theta = np.divide(weight, total, out=np.zeros_like(weight), where=total > 0)
    beta = context.params.labour_elasticity
    with np.errstate(divide="ignore"):
        log_scale = (1.0 - beta) * (offset + np.log(np.maximum(total_by_region, 1e-300)))
    workers = workers_by_workplace(context, log_scale)
    per_firm = np.take(workers.T, region, axis=0)  # (firms, skill): workers[s][region]
    firms.skilled[:] = theta * per_firm[:, 1]
    firms.unskilled[:] = theta * per_firm[:, 0]
