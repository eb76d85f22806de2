"""Land efficiency: the 亩均论英雄 reform (judge firms by output per mu of land).

Each year, with pressure q = policy.land_efficiency_pressure in [0, 1+], Shaoxing firms are
ranked by value added per 亩 within their region; the bottom share s_L is flagged
``low_efficiency``. A flagged firm

  - upgrades with probability u_L q: its log TFP rises by g_L^u and it
    pays an outlay of k_u K (capital lost to the retrofit);
  - exits with probability x_L q (freeing its land);
  - otherwise considers relocating with extra probability (mechanisms/relocation.py).

Differential pricing of land, power and credit by 亩均 class is what the Zhejiang reform
uses (浙江省亩均论英雄改革, 2018); the rates are assumptions (docs/model.md).

Construction-land quota. Region r may hold at most

    Q_r(t) = (1 + h) L_r^0 (1 + g_L)^(t - t_0)                                         [L1]

亩 of land for firms, L_r^0 the base year's: firm land outside platforms plus platform
capacity. h is the base year's headroom and g_L the growth of the quota (judgement
parameters, flagged: the 国土空间规划 quotas by district are not in data/). Used land
U_r = Σ_{i outside platforms} ℓ K_i + Σ_p C_p. Firm entry is scaled by
min(1, (Q_r - U_r) / D_r), D_r the land the year's expected entrants would take
(mechanisms/firms.py), and platform expansion beyond base capacity takes at most the free
quota (mechanisms/platforms.py) [L2].
"""

from __future__ import annotations

import numpy as np

from growthpole.mechanisms.base import StepContext
from growthpole.mechanisms.platforms import recount_platform_land
from growthpole.regions import N_REGIONS, N_SHAOXING


def used_land(state, include_platform_capacity: bool = True) -> np.ndarray:
    """(N_REGIONS,) U_r of [L1]: land of live firms outside platforms plus (optionally) the
    capacity of every platform (亩)."""
    firms, platforms = state.firms, state.platforms
    outside = firms.live & (firms.platform < 0)
    used = np.bincount(
        firms.region[outside].astype(np.int64), weights=firms.land_mu[outside], minlength=N_REGIONS
    )[:N_REGIONS]
    if include_platform_capacity and platforms.size:
        used = (
            used
            + np.bincount(
                platforms.region.astype(np.int64),
                weights=platforms.capacity_mu,
                minlength=N_REGIONS,
            )[:N_REGIONS]
        )
    return used


def initialise_land(state, params) -> None:
    """Base-year land use L_r^0 and the quota of [L1] in the base year."""
    state.regions.base_land_mu = used_land(state)
    update_land_quota(state, params)


def update_land_quota(state, params) -> None:
    """Q_r(t) of [L1] for the state's year."""
    years = state.year - state.start_year
    state.regions.land_quota_mu = (
        (1.0 + params.construction_land_headroom)
        * state.regions.base_land_mu
        * (1.0 + params.construction_land_growth) ** years
    )


def free_land(state) -> np.ndarray:
    """(N_REGIONS,) Q_r - U_r, never negative (亩)."""
    return np.maximum(state.regions.land_quota_mu - used_land(state), 0.0)


def low_efficiency_flags(
    value_added: np.ndarray,
    land: np.ndarray,
    region: np.ndarray,
    eligible: np.ndarray,
    bottom_share: float,
) -> np.ndarray:
    """Bottom ``bottom_share`` by VA per mu within each region (vectorised by sorting)."""
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
    flags[rows[order[position < np.repeat(sizes, sizes) * bottom_share]]] = True
    return flags


def evaluate_land_efficiency(context: StepContext) -> None:
    state, params, policy = context.state, context.params, context.policy
    firms = state.firms
    update_land_quota(state, params)
    firms.low_efficiency[:] = 0
    pressure = policy.land_efficiency_pressure
    if pressure <= 0:
        return
    region = firms.region.astype(np.int64)
    eligible = firms.live & (region < N_SHAOXING)
    flags = low_efficiency_flags(
        firms.value_added, firms.land_mu, region, eligible, params.land_bottom_share
    )
    firms.low_efficiency[:] = flags
    draw = context.keyed("land").uniform(firms.ids[: firms.size])
    upgrade = flags & (draw < params.land_upgrade_rate * pressure)
    leave = (
        flags & ~upgrade & (draw < (params.land_upgrade_rate + params.land_exit_rate) * pressure)
    )
    firms.log_tfp[upgrade] += params.land_upgrade_tfp_gain
    firms.capital[upgrade] *= 1.0 - params.upgrade_capex_share
    rows = np.flatnonzero(leave)
    from growthpole.mechanisms.firms import salvage_capital

    salvage_capital(state, rows, params.capital_salvage_share)
    firms.remove(rows)
    np.add.at(state.regions.exits, region[rows], 1.0)
    recount_platform_land(state)
