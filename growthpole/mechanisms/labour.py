"""Labour market: commuting, talent enclaves and the allocation of workers to firms.

Supply. Residents of region r of skill s supply L^s_r = p · N^s_r · people_per_agent workers
(p the participation rate, N^s_r talent agents). Workers commute from residence r to
workplace w ≠ r with share

    c_wr = c exp(-t_wr / τ_c) + z_wr        (same-city zones add z_wr, 融杭同城)

and work at home with share 1 - Σ_w c_wr. Talent enclaves (人才飞地) let Shaoxing firms
employ a share e of the skilled workers of the enclave hosts: Shanghai, Hangzhou and
Shenzhen (Shenzhen, not a region of the model, is represented by a pool equal to
SHENZHEN_POOL_RATIO times the skilled workers of Shanghai and Hangzhou together, an
assumption). Enclave workers keep their residence (and population count) in the host.

Allocation. Within workplace w, with Cobb-Douglas firms facing common wages, the
competitive allocation gives firm i the share

    θ_i = B_i^{1/(1-β)} / Σ_{j in w} B_j^{1/(1-β)},    B_i = Ã_i K_i^α,  β = β_s + β_u

of each skill's workers (first-order conditions equalise Y_i/S_i and Y_i/U_i across firms);
wages are the marginal products w^s_w = β_s Y_w / S_w (mechanisms/production.py).
"""

from __future__ import annotations

import numpy as np

from growthpole.mechanisms.base import StepContext, region_sum
from growthpole.mechanisms.production import effective_log_tfp
from growthpole.regions import HANGZHOU, N_REGIONS, N_SHAOXING, SHANGHAI, SKILLED

SHENZHEN_POOL_RATIO = 0.5  # Shenzhen's skilled pool relative to Shanghai+Hangzhou (assumed)
MAX_COMMUTING_OUT = 0.5  # at most half of a region's workers commute out (guard)


def commuting_matrix(hours: np.ndarray, rate: float, decay_hours: float,
                     same_city: np.ndarray) -> np.ndarray:
    """(workplace, residence) shares; every column sums to one (people conserved)."""
    share = rate * np.exp(-hours / decay_hours) + same_city
    np.fill_diagonal(share, 0.0)
    out = share.sum(axis=0)
    scale = np.where(out > MAX_COMMUTING_OUT, MAX_COMMUTING_OUT / np.maximum(out, 1e-12), 1.0)
    share = share * scale[None, :]
    np.fill_diagonal(share, 1.0 - share.sum(axis=0))
    return share


def labour_supply(context: StepContext) -> np.ndarray:
    """(2, N_REGIONS) workers by skill and residence."""
    state, params = context.state, context.params
    supply = context.talent_counts()  # counted once per step (StepContext.talent_counts)
    return supply * state.people_per_agent * params.participation_rate


def workers_by_workplace(context: StepContext) -> np.ndarray:
    """(2, N_REGIONS) workers by skill and workplace, after commuting and enclaves."""
    state, params, policy = context.state, context.params, context.policy
    supply = labour_supply(context)
    if context.on("commuting"):
        matrix = commuting_matrix(state.regions.hours, params.commuting_rate,
                                  params.commuting_decay_hours, policy.same_city_commuting)
        workers = supply @ matrix.T
    else:
        workers = supply.copy()
    state.regions.enclave_workers = 0.0
    if policy.enclave_share > 0:
        hosts = (SHANGHAI, HANGZHOU)
        moved = policy.enclave_share * workers[SKILLED, list(hosts)]
        shenzhen = policy.enclave_share * SHENZHEN_POOL_RATIO * workers[SKILLED, list(hosts)].sum()
        workers[SKILLED, list(hosts)] -= moved
        total = moved.sum() + shenzhen
        weights = workers[SKILLED, :N_SHAOXING] / workers[SKILLED, :N_SHAOXING].sum()
        workers[SKILLED, :N_SHAOXING] += total * weights
        state.regions.enclave_workers = float(total)
    return workers


def allocate_labour(context: StepContext) -> None:
    """Assign skilled and unskilled workers to firms in proportion to θ_i."""
    state, params = context.state, context.params
    firms = state.firms
    live = firms.live
    region = firms.region.astype(np.int64)
    beta = params.labour_elasticity
    log_b = effective_log_tfp(context) + params.capital_elasticity * np.log(
        np.maximum(firms.capital, 1e-300))
    log_weight = log_b / (1.0 - beta)
    all_live = bool(live.all())  # masks of all-True rows change no value: skipped
    # stabilise per region before exponentiating
    offset = np.full(N_REGIONS, -np.inf)
    if all_live:
        np.maximum.at(offset, region, log_weight)
    else:
        np.maximum.at(offset, region[live], log_weight[live])
    offset = np.where(np.isfinite(offset), offset, 0.0)
    weight = np.exp(log_weight - offset[region])
    if not all_live:
        weight = np.where(live, weight, 0.0)
    total = region_sum(weight, region)[region]
    theta = np.divide(weight, total, out=np.zeros_like(weight), where=total > 0)
    workers = workers_by_workplace(context)
    per_firm = np.take(workers.T, region, axis=0)  # (firms, skill): workers[s][region]
    firms.skilled[:] = theta * per_firm[:, 1]
    firms.unskilled[:] = theta * per_firm[:, 0]
