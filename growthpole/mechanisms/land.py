"""Land efficiency: the 亩均论英雄 reform (judge firms by output per mu of land).

Each year, with pressure q = policy.land_efficiency_pressure in [0, 1+], Shaoxing firms are
ranked by value added per 亩 within their region; the bottom quintile is flagged
``low_efficiency``. A flagged firm

  - upgrades with probability UPGRADE_RATE q: its log TFP rises by UPGRADE_TFP_GAIN and it
    pays an outlay of k_u K (capital lost to the retrofit);
  - exits with probability EXIT_RATE q (freeing its land);
  - otherwise considers relocating with extra probability (mechanisms/relocation.py).

Differential pricing of land, power and credit by 亩均 class is what the Zhejiang reform
uses (浙江省亩均论英雄改革, 2018); the rates are assumptions (docs/model.md).
"""

from __future__ import annotations

import numpy as np

from growthpole.mechanisms.base import StepContext
from growthpole.mechanisms.platforms import recount_platform_land
from growthpole.regions import N_SHAOXING

BOTTOM_SHARE = 0.2
UPGRADE_RATE = 0.3
UPGRADE_TFP_GAIN = 0.03
EXIT_RATE = 0.1


def low_efficiency_flags(value_added: np.ndarray, land: np.ndarray, region: np.ndarray,
                         eligible: np.ndarray) -> np.ndarray:
    """Bottom BOTTOM_SHARE by VA per mu within each region (vectorised by sorting)."""
    flags = np.zeros(len(value_added), dtype=bool)
    rows = np.flatnonzero(eligible)
    if not len(rows):
        return flags
    per_mu = value_added[rows] / np.maximum(land[rows], 1e-9)
    order = np.lexsort((per_mu, region[rows]))
    sorted_region = region[rows][order]
    starts = np.r_[0, np.flatnonzero(np.diff(sorted_region)) + 1]
    sizes = np.diff(np.r_[starts, len(order)])
    position = np.arange(len(order)) - np.repeat(starts, sizes)
    flags[rows[order[position < np.repeat(sizes, sizes) * BOTTOM_SHARE]]] = True
    return flags


def evaluate_land_efficiency(context: StepContext) -> None:
    state, params, policy = context.state, context.params, context.policy
    firms = state.firms
    firms.low_efficiency[:] = 0
    pressure = policy.land_efficiency_pressure
    if pressure <= 0:
        return
    region = firms.region.astype(np.int64)
    eligible = firms.live & (region < N_SHAOXING)
    flags = low_efficiency_flags(firms.value_added, firms.land_mu, region, eligible)
    firms.low_efficiency[:] = flags
    draw = context.keyed("land").uniform(firms.ids[: firms.size])
    upgrade = flags & (draw < UPGRADE_RATE * pressure)
    leave = flags & ~upgrade & (draw < (UPGRADE_RATE + EXIT_RATE) * pressure)
    firms.log_tfp[upgrade] += UPGRADE_TFP_GAIN
    firms.capital[upgrade] *= 1.0 - params.upgrade_capex_share
    rows = np.flatnonzero(leave)
    from growthpole.mechanisms.firms import salvage_capital

    salvage_capital(state, rows, params.capital_salvage_share)
    firms.remove(rows)
    np.add.at(state.regions.exits, region[rows], 1.0)
    recount_platform_land(state)
