"""Environment: compliance costs for dyeing and chemicals, an upgrade option, emissions.

Emissions of firm i are e_i Y_i (relative units: a non-polluting sector emits 1 per 亿元 of
value added at base; dyeing and chemicals ε_p). Green levers set a compliance cost c_k
(share of VA, mechanisms/production.py charges it) and an emission standard. A polluting
Shaoxing firm that has not upgraded compares the cost it would save with the annualised cost
of upgrading:

    upgrade if  0.7 c_k Y_i + STANDARD_PENALTY s Y_i  >  k_u K_i (r + δ)  (+ logistic noise)

Upgrading halves e_i (treatment plants, cleaner processes) and costs an outlay k_u K_i.
Firms that do not upgrade carry the cost, which lowers their margin and raises their exit
and relocation probabilities (mechanisms/firms.py, mechanisms/relocation.py).
"""

from __future__ import annotations

import numpy as np
from scipy.special import expit

from growthpole.mechanisms.base import StepContext, region_sum
from growthpole.regions import N_SHAOXING

UPGRADE_INTENSITY_CUT = 0.5
STANDARD_PENALTY = 0.002  # share of VA per unit of emission standard (assumed)
DECISION_NOISE = 0.005  # scale of the logistic noise in the upgrade comparison, share of VA


def upgrade_environment(context: StepContext) -> None:
    state, params, policy = context.state, context.params, context.policy
    firms = state.firms
    sector = firms.sector.astype(np.int64)
    polluting = state.polluting_sector[sector]
    not_upgraded = firms.emission_intensity >= (
        state.base_emission_intensity[sector] * params.upgraded_intensity_threshold
    )
    candidates = firms.live & polluting & not_upgraded & (firms.region < N_SHAOXING)
    pressure = policy.compliance_cost[sector] + STANDARD_PENALTY * policy.emission_standard
    if not candidates.any() or not np.any(pressure > 0):
        return
    y = np.maximum(firms.value_added, 1e-12)
    saving = (1.0 - params.upgraded_compliance_share) * policy.compliance_cost[
        sector
    ] + STANDARD_PENALTY * policy.emission_standard
    cost = (
        params.upgrade_capex_share
        * firms.capital
        * (params.interest_rate + params.depreciation_rate)
    ) / y
    prob = expit((saving - cost) / DECISION_NOISE)
    upgrade = candidates & (context.keyed("environment").uniform(firms.ids[: firms.size]) < prob)
    firms.emission_intensity[upgrade] *= 1.0 - UPGRADE_INTENSITY_CUT
    firms.capital[upgrade] *= 1.0 - params.upgrade_capex_share


def emissions(context: StepContext) -> np.ndarray:
    """(N_REGIONS,) emissions this year (relative units)."""
    firms = context.state.firms
    return region_sum(
        firms.emission_intensity * firms.value_added, firms.region.astype(np.int64), firms.live
    )
