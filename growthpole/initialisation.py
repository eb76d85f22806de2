"""The base-year economy: talent, firm and platform agents built so that the start year
reproduces the data (docs/model.md §5), and the base-year fundamentals that make it a
spatial equilibrium (commuting, land, firm location).

:func:`initial_state` is called once per replication by
:class:`growthpole.model.GrowthPoleModel`, with the replication's INITIAL_STATE stream; the
data it reads come from growthpole.inputs.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from growthpole.geography import market_access
from growthpole.inputs import data_inputs, nonmodelled_component
from growthpole.mechanisms import (
    labour,
    land,
    migration,
    production,
    productivity,
    relocation,
)
from growthpole.mechanisms import platforms as platform_mechanism
from growthpole.mechanisms.base import (
    StepContext,
    region_sector_sum,
    region_sum,
)
from growthpole.parameters import ModelParameters
from growthpole.policy import PolicyChannels
from growthpole.regions import (
    N_REGIONS,
    N_SECTORS,
    POLLUTING_SECTORS,
    REGIONS,
    SECTOR_INDEX,
    SECTORS,
    SKILLED,
    UNSKILLED,
)
from growthpole.scenario import Scenario
from growthpole.seeds import INITIAL_STATE, generator, substream
from growthpole.state import FirmTable, PlatformTable, RegionState, TalentTable, WorldState

# Sector mix of firm agents by region at initialisation (shares of firm agents). ASSUMED, from
# the qualitative industry profiles of the units (Keqiao: textiles and dyeing; Shangyu:
# chemicals; Xinchang: pharmaceuticals and bearings; Zhuji: equipment, socks, pearls;
# Shengzhou: ties and motors; Yuecheng: services and the IC projects); the poles from their
# broad structure. Calibration adjusts levels, not this mix; see docs/model.md.
SECTOR_MIX: dict[str, dict[str, float]] = {
    "yuecheng": {
        "textiles_dyeing": 0.12,
        "chemicals": 0.05,
        "equipment": 0.12,
        "electronics_ic": 0.06,
        "biomedicine": 0.03,
        "new_materials": 0.04,
        "digital_economy": 0.04,
        "services": 0.44,
        "other": 0.10,
    },
    "keqiao": {
        "textiles_dyeing": 0.35,
        "chemicals": 0.06,
        "equipment": 0.07,
        "electronics_ic": 0.01,
        "biomedicine": 0.01,
        "new_materials": 0.04,
        "digital_economy": 0.02,
        "services": 0.36,
        "other": 0.08,
    },
    "shangyu": {
        "textiles_dyeing": 0.08,
        "chemicals": 0.22,
        "equipment": 0.12,
        "electronics_ic": 0.02,
        "biomedicine": 0.04,
        "new_materials": 0.08,
        "digital_economy": 0.02,
        "services": 0.32,
        "other": 0.10,
    },
    "zhuji": {
        "textiles_dyeing": 0.15,
        "chemicals": 0.03,
        "equipment": 0.20,
        "electronics_ic": 0.02,
        "biomedicine": 0.02,
        "new_materials": 0.06,
        "digital_economy": 0.02,
        "services": 0.35,
        "other": 0.15,
    },
    "shengzhou": {
        "textiles_dyeing": 0.18,
        "chemicals": 0.02,
        "equipment": 0.18,
        "electronics_ic": 0.02,
        "biomedicine": 0.02,
        "new_materials": 0.03,
        "digital_economy": 0.02,
        "services": 0.35,
        "other": 0.18,
    },
    "xinchang": {
        "textiles_dyeing": 0.05,
        "chemicals": 0.04,
        "equipment": 0.20,
        "electronics_ic": 0.02,
        "biomedicine": 0.15,
        "new_materials": 0.04,
        "digital_economy": 0.02,
        "services": 0.35,
        "other": 0.13,
    },
    "hangzhou": {
        "textiles_dyeing": 0.04,
        "chemicals": 0.03,
        "equipment": 0.09,
        "electronics_ic": 0.05,
        "biomedicine": 0.03,
        "new_materials": 0.03,
        "digital_economy": 0.12,
        "services": 0.55,
        "other": 0.06,
    },
    "ningbo": {
        "textiles_dyeing": 0.05,
        "chemicals": 0.08,
        "equipment": 0.15,
        "electronics_ic": 0.04,
        "biomedicine": 0.02,
        "new_materials": 0.06,
        "digital_economy": 0.04,
        "services": 0.48,
        "other": 0.08,
    },
    "shanghai": {
        "textiles_dyeing": 0.01,
        "chemicals": 0.04,
        "equipment": 0.08,
        "electronics_ic": 0.06,
        "biomedicine": 0.04,
        "new_materials": 0.03,
        "digital_economy": 0.08,
        "services": 0.62,
        "other": 0.04,
    },
}
EXTERNAL_DEMAND_SHARE = 0.5  # base-year share of market access from outside the corridor


def initial_state(
    scenario: Scenario,
    params: ModelParameters,
    seed_sequence: np.random.SeedSequence,
    switches: dict[str, bool] | None = None,
) -> WorldState:
    """Build the base-year economy so that it reproduces the data of ``start_year``.

    1. talent agents: resident population / people_per_agent per region, round(s_H n_r) of
       them skilled (stratified: at least one per region);
    2. firm agents: talent agents / workers_per_firm_agent per region, sectors by SECTOR_MIX,
       log TFP ~ N(0, σ_A²), capital on the balanced growth path of trend TFP growth:
       K_i ∝ Ã_i^{1/(1-α-β)} with Σ_r K_i = q_r α (1 - ω) GDP_r / (r + δ), q_r from
       :func:`growthpole.mechanisms.productivity.balanced_growth_capital_ratio` (1 when the
       productivity mechanism is switched off);
    3. labour allocated (θ rule), then a region-level TFP shift so that the firms' value added
       equals (1 - ω) GDP_r of the base year exactly; ω GDP_r is the non-modelled part;
    4. market access normalised to 1, external demand a share EXTERNAL_DEMAND_SHARE;
    5. amenities so that base-year migration flows balance (spatial equilibrium).
    """
    rng = generator(seed_sequence, INITIAL_STATE)
    base, hours, rd, platform_rows, hours_schedule = data_inputs(
        scenario.start_year, scenario.information_year
    )
    nonmodelled = nonmodelled_component(scenario.start_year, scenario.information_year)
    people_per_agent = scenario.scale.people_per_agent
    regions = RegionState(
        base_gdp=base.gdp,
        base_population=base.population,
        base_hours=hours,
        nonmodelled_gdp=nonmodelled.share * base.gdp,
        rd_intensity=rd,
        hours=hours.copy(),
        nonmodelled_trend=nonmodelled.growth,
    )
    regions.hours_schedule = hours_schedule

    talent = TalentTable(capacity=int(base.population.sum() * 1e4 / people_per_agent * 1.5))
    n_talent = np.maximum(np.round(base.population * 1e4 / people_per_agent).astype(int), 1)
    talent_region = np.repeat(np.arange(N_REGIONS), n_talent)
    # skilled agents stratified by region: the n_r s_H (rounded, at least one) agents with the
    # lowest uniforms of region r. A Bernoulli draw per agent could leave a county with no
    # skilled worker at a coarse scale, and then its firm value added (Cobb-Douglas in skilled
    # labour) and its share of GDP were zero (Xinchang, seed 123, 20,000 people per agent)
    uniforms = rng.random(len(talent_region))
    skilled_count = np.where(
        params.skilled_share > 0,
        np.maximum(np.round(params.skilled_share * n_talent), 1),
        0,
    ).astype(np.int64)
    order = np.lexsort((uniforms, talent_region))
    block_start = np.concatenate([[0], np.cumsum(n_talent)[:-1]])
    rank = np.empty(len(talent_region), dtype=np.int64)
    rank[order] = np.arange(len(talent_region)) - block_start[talent_region[order]]
    skill = (rank < skilled_count[talent_region]).astype(np.int8)
    talent.add(len(talent_region), region=talent_region, skill=skill, moves=0)

    n_firms = np.maximum(
        np.ceil(n_talent / scenario.scale.workers_per_firm_agent).astype(int), N_SECTORS
    )
    firm_region = np.repeat(np.arange(N_REGIONS), n_firms)
    mix = np.array([[SECTOR_MIX[r][s] for s in SECTORS] for r in REGIONS])
    mix /= mix.sum(axis=1, keepdims=True)
    cumulative = np.cumsum(mix, axis=1)[firm_region]
    firm_sector = (rng.random(len(firm_region))[:, None] > cumulative).sum(axis=1)
    firm_sector = np.minimum(firm_sector, N_SECTORS - 1)
    log_tfp = params.tfp_dispersion * rng.standard_normal(len(firm_region))
    target = (1.0 - nonmodelled.share) * base.gdp
    capital = np.ones(len(firm_region))  # placeholder until effective TFP is known (below)
    polluting = np.zeros(N_SECTORS, dtype=bool)
    polluting[[SECTOR_INDEX[s] for s in POLLUTING_SECTORS]] = True
    base_intensity = np.where(polluting, params.emission_intensity_polluting, 1.0)
    firm_table = FirmTable(capacity=int(len(firm_region) * 2))
    firm_table.add(
        len(firm_region),
        region=firm_region,
        sector=firm_sector,
        log_tfp=log_tfp,
        capital=capital,
        platform=-1,
        land_mu=params.land_mu_per_capital * capital,
        emission_intensity=base_intensity[firm_sector],
        digital=0,
        clustered=0,
        age=rng.integers(3, 30, len(firm_region)),
    )
    firm_table.digital[firm_table.sector == SECTOR_INDEX["digital_economy"]] = 1

    platforms = PlatformTable(capacity=64)
    for row in platform_rows:
        platforms.add(1, **row)

    state = WorldState(
        year=scenario.start_year,
        start_year=scenario.start_year,
        people_per_agent=people_per_agent,
        firms=firm_table,
        talent=talent,
        platforms=platforms,
        regions=regions,
        base_emission_intensity=base_intensity,
        polluting_sector=polluting,
        inflow_skilled_share=params.skilled_share,
    )
    state.base_firm_counts = np.bincount(firm_region, minlength=N_REGIONS).astype(float)

    neutral = PolicyChannels()
    # base-year sizing with commuting off (workers at their residence): the workplace
    # fundamentals set below make the commuting equilibrium reproduce exactly that
    context = StepContext(
        state,
        params,
        neutral,
        substream(seed_sequence, INITIAL_STATE, 1),
        {"agglomeration": False, "commuting": False},
    )
    platform_mechanism.update_platforms(context)

    # capital on the balanced growth path of trend TFP growth: K = q_r K* (q_r = 1 with no
    # trend growth, or with the productivity mechanism switched off)
    if switches is not None and switches.get("productivity") is False:
        growth_ratio = np.ones(N_REGIONS)
    else:
        growth_ratio = productivity.balanced_growth_capital_ratio(params, rd)

    def size_capital() -> None:
        # capital at q_r times its desired level K* = α Y / (r + δ) for every agent: K_i ∝
        # Ã_i^{1/(1-α-β)} makes Y_i / K_i equal across agents, and
        # Σ_r K_i = q_r α (1 - ω) GDP_r / (r + δ)
        log_eff = production.effective_log_tfp(context)
        size = np.exp((log_eff - log_eff.max()) / (1.0 - params.returns_to_scale))
        region_index = firm_table.region.astype(np.int64)
        size_total = np.bincount(region_index, weights=size, minlength=N_REGIONS)
        user_cost = params.interest_rate + params.depreciation_rate
        firm_table.capital[:] = (
            growth_ratio[region_index]
            * params.capital_elasticity
            * target[region_index]
            / user_cost
            * size
            / size_total[region_index]
        )
        firm_table.land_mu[:] = params.land_mu_per_capital * firm_table.capital

    size_capital()  # outside platforms, to know each firm's land
    # settle firms into platforms with the land they would have there (the bonus b_P raises
    # desired size by exp(b_P / (1 - α - β)); the final sizing only lowers it, so no
    # platform starts above its capacity), then size capital with the final membership
    firm_table.land_mu[:] *= np.exp(params.platform_tfp_bonus / (1.0 - params.returns_to_scale))
    platform_mechanism.place_in_platforms(context, np.arange(firm_table.size))
    size_capital()
    platform_mechanism.recount_platform_land(state)
    labour.allocate_labour(context)
    production.produce(context)
    # place TFP: firm value added = (1 - ω) GDP_r exactly. The shift belongs to the region
    # (ln A^P_r), not to the firms: a firm that relocates leaves it behind
    produced = region_sum(firm_table.value_added, firm_table.region.astype(np.int64))
    regions.place_log_tfp = np.log(target / np.maximum(produced, 1e-12))
    labour.allocate_labour(context)
    production.produce(context)
    state.regions_base_employment = region_sector_sum(
        firm_table.skilled + firm_table.unskilled,
        firm_table.region.astype(np.int64),
        firm_table.sector.astype(np.int64),
        firm_table.live,
    )
    state.fallback_log_tfp = np.zeros((N_REGIONS, N_SECTORS))  # own TFP: mean zero
    state.fallback_capital = np.full((N_REGIONS, N_SECTORS), float(np.median(firm_table.capital)))
    land_total = region_sum(firm_table.land_mu, firm_table.region.astype(np.int64))
    state.land_rent_per_mu = params.land_rent_share * target / np.maximum(land_total, 1e-9)
    # overhead per firm agent: a share F of the region's mean value added per agent
    agents = np.maximum(
        region_sum(np.ones(firm_table.size), firm_table.region.astype(np.int64)), 1.0
    )
    state.fixed_cost_base = params.fixed_cost_share * target / agents
    state.base_wages = regions.wages.copy()
    production.produce(context)  # profits with rents and overheads
    value_added = firm_table.value_added
    state.reference_margin = float(np.sum(firm_table.profit) / np.sum(value_added))

    corridor = market_access(
        regions.firm_gdp_last, hours, params.trade_cost_per_hour, np.zeros(N_REGIONS)
    )
    regions.base_firm_gdp = regions.firm_gdp_last.copy()
    regions.external_access = corridor * EXTERNAL_DEMAND_SHARE / (1 - EXTERNAL_DEMAND_SHARE)
    regions.base_market_access = corridor + regions.external_access
    regions.market_access = np.ones(N_REGIONS)

    calibrate_spatial_equilibrium(state, params, seed_sequence, switches)

    cost = migration.moving_cost(hours, params.moving_cost_per_hour, params.moving_fixed_cost)
    population_10k = n_talent * people_per_agent / 1e4
    regions.base_population = population_10k.copy()
    for skill_index in (UNSKILLED, SKILLED):
        utility = migration.systematic_utility(context, skill_index, population_10k)
        counts = (
            np.bincount(
                talent.region.astype(np.int64),
                weights=(talent.skill == skill_index).astype(float),
                minlength=N_REGIONS,
            )
            * people_per_agent
        )
        regions.amenity[skill_index] = migration.equilibrium_amenities(
            np.maximum(counts, 1.0), utility - regions.amenity[skill_index], cost
        )
    return state


def calibrate_spatial_equilibrium(
    state: WorldState,
    params: ModelParameters,
    seed_sequence: np.random.SeedSequence,
    switches: Mapping[str, bool] | None,
) -> None:
    """Base-year fundamentals that make the observed distribution an equilibrium.

    1. workplace fundamentals b^s_w of the commuting logit, so that jobs at every workplace
       equal its resident workers at the base-year wages (mechanisms/labour.py);
    2. land quotas of the base year (mechanisms/land.py);
    3. firm location fundamentals a^F_k, so that with no policy change the expected
       relocation flows are zero (mechanisms/relocation.py)."""
    switches = dict(switches or {})
    neutral = PolicyChannels()
    context = StepContext(
        state,
        params,
        neutral,
        substream(seed_sequence, INITIAL_STATE, 2),
        {**switches, "agglomeration": False},
    )
    regions = state.regions
    supply = labour.labour_supply(context)
    regions.commuting_fundamental = labour.calibrate_workplace_fundamentals(
        supply, labour.region_log_scale(context), regions.hours, params
    )
    labour.workers_by_workplace(context)  # records the base year's commuters
    land.initialise_land(state, params)
    if switches.get("relocation", True):
        regions.firm_location_fundamental = relocation.calibrate_location_fundamentals(context)
