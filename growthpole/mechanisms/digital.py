"""Digital economy and intelligent transformation (智能化改造) as productivity upgrades.

Each year a firm that has not transformed does so with probability

    P_i = min(1, a_d M_k (1 + 2 σ_u))

with a_d the base adoption rate, M_k the sector's policy multiplier (digital-economy plan,
5G, industrial internet, the 13 traditional industries' transformation) and σ_u the share
of the adoption cost paid by government (新三年行动计划). Adoption raises ln Ã_i by
g_d (mechanisms/production.py) and costs an outlay k_u (1 - σ_u) K_i. Policy multipliers and
the subsidy apply to Shaoxing's firms only; elsewhere adoption runs at the base rate.
Digital-economy firms
are transformed from birth.
"""

from __future__ import annotations

import numpy as np

from growthpole.mechanisms.base import StepContext
from growthpole.regions import N_SHAOXING, SECTOR_INDEX


def adopt_digital(context: StepContext) -> None:
    state, params, policy = context.state, context.params, context.policy
    firms = state.firms
    sector = firms.sector.astype(np.int64)
    digital_native = sector == SECTOR_INDEX["digital_economy"]
    firms.digital[firms.live & digital_native] = 1
    candidates = firms.live & (firms.digital == 0)
    if not candidates.any():
        return
    multiplier = np.where(
        firms.region < N_SHAOXING, policy.digital_adoption_multiplier[sector], 1.0
    )
    subsidy = np.where(firms.region < N_SHAOXING, policy.upgrade_subsidy, 0.0)
    prob = np.minimum(1.0, params.digital_adoption_rate * multiplier * (1.0 + 2.0 * subsidy))
    adopt = candidates & (context.keyed("digital").uniform(firms.ids[: firms.size]) < prob)
    firms.digital[adopt] = 1
    firms.capital[adopt] *= 1.0 - params.upgrade_capex_share * (
        1.0 - np.minimum(subsidy[adopt], 1.0)
    )
