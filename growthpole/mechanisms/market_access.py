"""Market access: gravity over the corridor regions.

    t_rs   = t0_rs(t) * policy.travel_time_factor_rs                         (hours)
    κ_rs   = κ * policy.trade_cost_factor   if r or s in Shaoxing, else κ
    MA_r   = Σ_s Y_s exp(-κ_rs t_rs) + X_r * policy.external_market_access_r
    M_r    = (MA_r / Σ_s MA_s) / (MA_r(base) / Σ_s MA_s(base))                (index, base=1)

The index is *relative* market access: a region gains when it becomes more central in the
corridor (integration) or its neighbours grow faster than the corridor, not when the whole
corridor grows (which would be a scale effect feeding back on itself).

t0_rs(t) are the travel times as published for year t: the base year's, replaced in the
year a later-published link opens (data/travel_times.csv; no look-ahead at the start).
Y_s is last year's real firm value added of region s; X_r is the region's base-year access
to markets outside the corridor, set at initialisation so that the corridor term is the
base-year share of the total implied by gravity (see model.initialise). Firms' revenue TFP
scales with M_r^φ (mechanisms/production.py). (Harris 1954; Redding & Venables 2004.)
If the corridor has no firm value added at all, Σ_s MA_s = 0 and M_r keeps last year's value.
"""

from __future__ import annotations

import numpy as np

from growthpole.geography import effective_travel_hours, market_access
from growthpole.mechanisms.base import StepContext
from growthpole.regions import N_REGIONS, N_SHAOXING


def trade_cost_matrix(kappa: float, factor: float) -> np.ndarray:
    """Per-hour iceberg cost by pair: Shaoxing's pairs get the policy factor."""
    costs = np.full((N_REGIONS, N_REGIONS), kappa)
    costs[:N_SHAOXING, :] *= factor
    costs[:, :N_SHAOXING] = costs[:N_SHAOXING, :].T
    return costs


def update_market_access(context: StepContext) -> None:
    regions = context.state.regions
    policy = context.policy
    for year, hours in regions.hours_schedule:  # links published for a later year open
        if year == context.state.year:
            regions.base_hours = hours
    regions.hours = effective_travel_hours(regions.base_hours, policy.travel_time_factor)
    if not context.on("market_access"):
        regions.market_access = np.ones(N_REGIONS)
        return
    costs = trade_cost_matrix(context.params.trade_cost_per_hour, policy.trade_cost_factor)
    growth = regions.firm_gdp_last.sum() / regions.base_firm_gdp.sum()
    raw = market_access(
        regions.firm_gdp_last,
        regions.hours,
        costs,
        regions.external_access * growth * policy.external_market_access,
    )
    base = regions.base_market_access
    total = raw.sum()
    if not total > 0.0:
        # no firm value added anywhere in the corridor (so the external term, scaled by
        # the corridor's growth, is zero too): the relative index is 0/0. A region without
        # firms still has access through its neighbours (MA_r > 0 while any Y_s > 0), so
        # this happens only once the whole firm sector is gone; the index keeps last
        # year's value rather than turning NaN
        return
    regions.market_access = (raw / total) / (base / base.sum())
