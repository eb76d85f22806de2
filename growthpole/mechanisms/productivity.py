"""TFP growth of firm agents: drift, R&D and research institutes, knowledge spillovers from
the corridor poles, idiosyncratic shocks.

For firm i of sector k in region r, each year

    Δ ln A_i   = g_A + ρ (R_r + ΔR_rk) + ρ_I I_k 1[r in Shaoxing]
               + λ a_r Σ_{p in poles, p≠r} exp(-t_rp f_r / τ_s) max(0, ln Ā_p - ln Ā_r)
               + b_L 1[i in the top decile of Shaoxing firms]
               + σ_ε ε_i - σ_ε² / (2 (1 - α - β)),                ε_i ~ N(0, 1)      [T1]
    Δ ln A^P_r = g_A^r                                                               [T3]

A_i is the firm's own TFP (it moves with the firm), A^P_r the place's (it stays). g_A^r is
the pole premium (Hangzhou, Ningbo, Shanghai; 0 in Shaoxing's units): each pole's own trend
growth beyond the common drift, which the model does not explain (headquarters, ports,
finance, state investment) and which history calibrates; it belongs to the place. The last
term of [T1] is the convexity correction of :func:`shock_convexity_correction` [T2].
Ā_r is the employment-weighted mean of ln A_i + ln A^P_r. R_r is the region's base R&D
intensity (R&D/GDP from data), ΔR_rk the policy's additional R&D intensity, I_k the number
of Shaoxing research institutes of sector k (one per industry,
一个产业一个研究院), Ā_r the employment-weighted mean TFP of region r, a_r the absorptive
capacity multiplier (tech market), f_r the spillover travel-time factor (R&D enclaves,
science cities) and b_L the leading-firm bonus (雄鹰行动). The R&D term follows the
R&D-capital literature's rate-of-return form (Griliches 1992), the catch-up term Nelson &
Phelps (1966) with distance decay (Keller 2002). Agglomeration acts on the *level* of TFP in
mechanisms/production.py.
"""

from __future__ import annotations

import numpy as np

from growthpole.mechanisms.base import StepContext, region_sum
from growthpole.parameters import ModelParameters
from growthpole.regions import HANGZHOU, N_REGIONS, N_SHAOXING, NINGBO, POLE_INDICES, SHANGHAI


def shock_convexity_correction(params: ModelParameters) -> float:
    """σ_ε² / (2 (1 - α - β)): subtracted from every agent's shock so that zero-mean noise
    does not raise aggregate output by itself.

    With capital adjusted, an agent's size is ∝ Ã_i^{1/(1-α-β)}, so a region's output is
    ∝ (Σ_i Ã_i^{1/(1-α-β)})^{1-α-β}. A log-normal shock of variance σ² multiplies the sum's
    expectation by exp(σ² / (2 (1-α-β)²)): aggregate log output would rise by
    σ² / (2 (1-α-β)) a year (≈ 0.45 pp at σ_ε = 0.03) from the variance alone, growth no
    source of growth explains. The correction makes the shocks mean-zero in these units, so
    that trend growth comes only from the drift, R&D, spillovers and policy [T2]."""
    return params.tfp_shock_sd**2 / (2.0 * (1.0 - params.returns_to_scale))


def drift_by_region(params: ModelParameters) -> np.ndarray:
    """(N_REGIONS,) exogenous log TFP growth g_A + g_A^r per year: the common drift plus the
    poles' premia (zero in Shaoxing's six units)."""
    drift = np.full(N_REGIONS, params.tfp_drift)
    drift[HANGZHOU] += params.hangzhou_tfp_premium
    drift[NINGBO] += params.ningbo_tfp_premium
    drift[SHANGHAI] += params.shanghai_tfp_premium
    return drift


def trend_tfp_growth(params: ModelParameters, rd_intensity: np.ndarray) -> np.ndarray:
    """(N_REGIONS,) trend log TFP growth per year at neutral policy, g_r = g_A + g_A^r + ρ R_r:
    the terms of Δ ln A that do not depend on the state (spillovers, shocks and policy are
    left out). initialisation.initial_state puts capital on the balanced growth path of this
    rate."""
    return drift_by_region(params) + params.rd_return * rd_intensity


def balanced_growth_capital_ratio(params: ModelParameters, rd_intensity: np.ndarray) -> np.ndarray:
    """(N_REGIONS,) capital relative to its desired level, q_r = K_r / K*_r, on the balanced
    growth path of trend TFP growth g_r (:func:`trend_tfp_growth`).

    With partial adjustment K_t = K_{t-1} + ψ (K*'_t − K_{t-1}), where K*'_t = α Y'_t / (r + δ)
    is set by the year's first production Y'_t = A_t K_{t-1}^α L^β (mechanisms/firms.py), and
    fixed labour, output grows at 1 + G = exp(g / (1 − α)) from the first year exactly when

        q = ψ e^g / (ψ + G),

    (Solow balanced growth: K and Y grow at G, K*'_t / K_{t-1} = 1 + G / ψ). For g <= 0 the
    ratio is 1: an economy with no trend growth starts at its desired capital.
    """
    growth = np.maximum(trend_tfp_growth(params, rd_intensity), 0.0)
    output_growth = np.expm1(growth / (1.0 - params.capital_elasticity))
    psi = params.investment_adjustment
    return psi * np.exp(growth) / (psi + output_growth)


def regional_mean_log_tfp(
    log_tfp: np.ndarray, region: np.ndarray, weight: np.ndarray, live: np.ndarray
) -> np.ndarray:
    """Employment-weighted mean log TFP by region."""
    total = region_sum(weight, region, live)
    weighted = region_sum(weight * log_tfp, region, live)
    return np.divide(weighted, total, out=np.zeros(N_REGIONS), where=total > 0)


def spillover_growth(
    mean_log_tfp: np.ndarray,
    hours: np.ndarray,
    rate: float,
    decay_hours: float,
    time_factor: np.ndarray,
    absorptive: np.ndarray,
) -> np.ndarray:
    """Catch-up growth of each region toward the poles (per year, log points)."""
    growth = np.zeros(N_REGIONS)
    for pole in POLE_INDICES:  # three poles: a loop over regions, not agents
        gap = np.maximum(0.0, mean_log_tfp[pole] - mean_log_tfp)
        weight = np.exp(-hours[:, pole] * time_factor / decay_hours)
        weight[pole] = 0.0
        growth += weight * gap
    return rate * absorptive * growth


def update_productivity(context: StepContext) -> None:
    state, params, policy = context.state, context.params, context.policy
    firms, regions = state.firms, state.regions
    live = firms.live
    region = firms.region.astype(np.int64)
    sector = firms.sector.astype(np.int64)

    # the pole premia are the places' own trend (headquarters, ports, finance): they raise
    # the place's TFP, which a relocating firm leaves behind; the common drift is the firms'
    premium = drift_by_region(params) - params.tfp_drift  # applied at the end (start-of-year
    growth = np.full(firms.size, params.tfp_drift)  # levels enter the spillover gaps)
    rd = regions.rd_intensity[region] + policy.rd_intensity_add[region, sector]
    growth += params.rd_return * rd
    in_shaoxing = region < N_SHAOXING
    growth += params.institute_tfp_effect * policy.research_institutes[sector] * in_shaoxing
    if context.on("spillovers"):
        employment = firms.skilled + firms.unskilled
        mean_tfp = regional_mean_log_tfp(firms.log_tfp, region, employment, live)
        mean_tfp = mean_tfp + regions.place_log_tfp  # total TFP level of the region
        growth += spillover_growth(
            mean_tfp,
            regions.hours,
            params.spillover_rate,
            params.spillover_decay_hours,
            policy.spillover_time_factor,
            policy.absorptive_capacity,
        )[region]
    if policy.leading_firm_tfp:
        shaoxing_live = live & in_shaoxing
        if shaoxing_live.any():
            threshold = np.quantile(firms.value_added[shaoxing_live], 0.9)
            growth += policy.leading_firm_tfp * (shaoxing_live & (firms.value_added >= threshold))
    if params.tfp_shock_sd > 0:
        shocks = context.keyed("productivity").normal(firms.ids[: firms.size])
        growth += params.tfp_shock_sd * shocks - shock_convexity_correction(params)
    firms.log_tfp[live] += growth[live]
    regions.place_log_tfp = regions.place_log_tfp + premium
