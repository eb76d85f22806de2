"""Development platforms: land capacity, sector focus, opening years, subsidies, star rating.

Each platform p (data/platforms.csv and the kinds below) has a host region, a sector focus
(bit mask), an opening year, a land capacity in 亩 and a subsidy (share of value added).
Capacity available in year t is

    C_p(t) = C_p^base + d_p(t) (C_p^full - C_p^base)     if t >= opening year, else 0

with d_p(t) the development intensity the platform's lever sets (policy.platform_development
by kind). Firms enter a platform when they are born or relocate into its host region, if
their sector is in its focus and land is free (entrants are placed with probability
p_P, ``platform_placement_probability``). Expansion beyond the capacity a platform already
has takes at most the free construction-land quota of its region (mechanisms/land.py [L2]).
Firms in a matching
platform get the TFP bonus b_P (mechanisms/production.py) and the subsidy. used_mu is
recounted from the firms' land each year.

1 km² = 1,500 亩.
"""

from __future__ import annotations

import numpy as np

from growthpole.mechanisms.base import StepContext
from growthpole.state import WorldState

MU_PER_KM2 = 1500.0
#: kind -> (default subsidy share of VA, star rating) (assumed; documented in docs/model.md)
PLATFORM_KINDS: dict[str, tuple[float, float]] = {
    "binhai_new_area": (0.02, 4.0),
    "wanmu_qianyi": (0.03, 4.0),
    "science_city": (0.02, 3.0),
    "characteristic_town": (0.01, 2.0),
    "micro_enterprise_park": (0.01, 2.0),
    "development_zone": (0.01, 3.0),
    "open_platform": (0.01, 2.0),
}
KIND_NAMES: tuple[str, ...] = tuple(PLATFORM_KINDS)
#: weight of a platform's free-land share in its rank for an entrant: below the smallest
#: difference of star ratings and subsidy ranks, so it only breaks ties (assumed)
FREE_LAND_TIE_WEIGHT = 0.05


def recount_platform_land(state: WorldState) -> None:
    """used_mu = Σ land of live firms in each platform."""
    firms, platforms = state.firms, state.platforms
    if not platforms.size:
        return
    inside = firms.live & (firms.platform >= 0)
    used = np.bincount(
        firms.platform[inside].astype(np.int64),
        weights=firms.land_mu[inside],
        minlength=platforms.size,
    )
    platforms.used_mu[:] = used[: platforms.size]


def update_platforms(context: StepContext) -> None:
    """Open platforms and expand capacity with their levers, within the land quota."""
    from growthpole.mechanisms.land import free_land, update_land_quota

    state, policy, params = context.state, context.policy, context.params
    platforms = state.platforms
    update_land_quota(state, params)
    if not platforms.size:
        return
    development = np.array([policy.platform_development.get(kind, 0.0) for kind in KIND_NAMES])
    intensity = development[platforms.kind.astype(np.int64)]
    capacity = platforms.base_capacity_mu + intensity * (
        platforms.full_capacity_mu - platforms.base_capacity_mu
    )
    opened = platforms.opening_year <= state.year
    desired = np.where(opened, capacity, 0.0)
    # growth of capacity beyond what a platform has takes at most the region's free quota
    extra = np.maximum(desired - platforms.capacity_mu, 0.0)
    host = platforms.region.astype(np.int64)
    wanted = np.bincount(host, weights=extra, minlength=len(state.regions.land_quota_mu))
    allowed = np.minimum(
        1.0, np.divide(free_land(state), wanted, out=np.ones_like(wanted), where=wanted > 0)
    )
    platforms.capacity_mu[:] = np.where(
        desired > platforms.capacity_mu, platforms.capacity_mu + extra * allowed[host], desired
    )
    platforms.star[:] = np.array([PLATFORM_KINDS[k][1] for k in KIND_NAMES])[
        platforms.kind.astype(np.int64)
    ] + (params.platform_quality_star_gain * policy.platform_quality)
    recount_platform_land(state)


def eligible_platform(
    context: StepContext, region: np.ndarray, sector: np.ndarray, land: np.ndarray
) -> np.ndarray:
    """For each candidate, the open platform in its region with matching focus that can take
    it, or -1: the highest star rating and subsidy first (the named platforms before general
    zones), then the most free land."""
    platforms = context.state.platforms
    n = len(region)
    choice = np.full(n, -1, dtype=np.int64)
    if not platforms.size or not n:
        return choice
    free = platforms.capacity_mu - platforms.used_mu
    same_region = region[:, None] == platforms.region[None, :]
    focus = ((platforms.sector_mask[None, :] >> sector[:, None].astype(np.int32)) & 1) == 1
    fits = free[None, :] >= land[:, None]
    ok = same_region & focus & fits & (platforms.capacity_mu[None, :] > 0)
    rank = (
        platforms.star
        + context.params.platform_subsidy_rank_weight * platforms.subsidy
        + FREE_LAND_TIE_WEIGHT * free / (np.abs(free).max() + 1.0)
    )  # free land breaks ties
    score = np.where(ok, rank[None, :], -np.inf)
    best = np.argmax(score, axis=1)
    has = np.isfinite(score[np.arange(n), best])
    choice[has] = best[has]
    return choice


def place_in_platforms(
    context: StepContext, rows: np.ndarray, draws: np.ndarray | None = None
) -> None:
    """Settle new or relocating firms into eligible platforms (first come, first served
    within the year: capacity is checked against land before this batch). ``draws``: the
    firms' uniforms of the "platforms" keyed stream if already drawn (the same numbers)."""
    firms = context.state.firms
    if not len(rows):
        return
    candidates = eligible_platform(
        context, firms.region[rows], firms.sector[rows], firms.land_mu[rows]
    )
    # platform quality (star rating, zone integration: policy.platform_quality) raises the
    # share of eligible firms that settle in a platform
    probability = min(
        1.0, context.params.platform_placement_probability * (1.0 + context.policy.platform_quality)
    )
    if draws is None:
        draws = context.keyed("platforms").uniform(firms.ids[rows])
    draw = draws < probability
    chosen = np.where(draw, candidates, -1)
    # capacity guard for the batch: admit in order until each platform is full
    platforms = context.state.platforms
    if platforms.size and (chosen >= 0).any():
        free = platforms.capacity_mu - platforms.used_mu
        order = np.argsort(chosen, kind="stable")
        sorted_choice = chosen[order]
        sorted_land = firms.land_mu[rows][order]
        valid = sorted_choice >= 0
        cumulative = np.zeros(len(order))
        if valid.any():
            # cumulative land within each platform group
            groups = sorted_choice[valid]
            land = sorted_land[valid]
            csum = np.cumsum(land)
            # np.concatenate, not np.r_ (the same integers; np.r_ costs ~25 µs a call)
            starts = np.concatenate(([0], np.flatnonzero(np.diff(groups)) + 1))
            group_start = np.repeat(
                csum[starts] - land[starts], np.diff(np.concatenate((starts, [len(groups)])))
            )
            cumulative[valid] = csum - group_start
        admitted = valid & (cumulative <= free[np.maximum(sorted_choice, 0)])
        final = np.full(len(rows), -1, dtype=np.int64)
        final[order[admitted]] = sorted_choice[admitted]
        chosen = final
    firms.platform[rows] = chosen
    recount_platform_land(context.state)
