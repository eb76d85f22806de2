"""Every lever moves the quantity it is meant to move, in the direction an economist expects.

Design (comparative statics under common random numbers): a short scenario 2019-2024 is run
R times at baseline and R times with one lever at its upper bound from 2020 (the year after
the start), replication r of both drawing from the same SeedSequence child
(growthpole.seeds.replication_seeds). For each expected effect in EXPECTED the paired
differences d_r = outcome(lever, r) - outcome(baseline, r) must have the expected sign in a
one-sided paired t test at the 5% level: sign * mean(d) / (sd(d) / sqrt(R)) >= t_{0.95,R-1}.
Where the lever acts deterministically (all d_r equal and non-zero, e.g. a shift of
non-modelled GDP) the t statistic is infinite and only the sign is checked. Effects that are
small relative to the noise of the discrete draws (entry, exit) are tested at a finer agent
resolution and with more replications (config "fine") instead of being dropped.

Outcomes are read for Shaoxing (the sum of its six units) unless a unit is named, at the
last year ("level") or summed over 2020-2024 ("flow"). Platform outcomes ("platform:<kind>
capacity/used") come from the model's platform table at the last year.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from growthpole.levers import LEVERS, policy_for_year
from growthpole.mechanisms import firms, labour, land, production
from growthpole.mechanisms.base import StepContext, region_sector_sum
from growthpole.mechanisms.platforms import KIND_NAMES
from growthpole.mechanisms.production import agglomeration_index
from growthpole.model import GrowthPoleModel
from growthpole.regions import EMERGING_SECTORS, N_SHAOXING, REGION_INDEX, SKILLED
from growthpole.scenario import build_scenario
from growthpole.seeds import replication_seeds

START, END, LEVER_YEAR = 2019, 2024, 2020
SIGNIFICANCE = 0.05
#: name -> (people per agent, workers per firm agent, replications, root seed)
CONFIGS: dict[str, tuple[int, int, int, int]] = {
    "coarse": (20_000, 10, 6, 31),
    "fine": (4_000, 10, 12, 32),
    "many": (4_000, 10, 30, 33),
}
#: year seeds of the mechanism-level experiments (config "mechanism")
MECHANISM_DRAWS = 200

# columns of city_year summed over the years after the lever starts (flows); others are
# read at the last year (levels)
FLOWS = {"firm_entries", "firm_exits", "relocations_in", "relocations_out", "migration_in",
         "migration_out"}


@dataclass(frozen=True)
class Effect:
    """One expected effect: ``outcome`` in ``region`` moves with ``sign`` (+1 up, -1 down).

    config "coarse"/"fine"/"many": simulated runs (CONFIGS). config "mechanism": the lever's
    channel measured on one common state, see :func:`mechanism_differences`."""

    outcome: str
    sign: int
    region: str = "shaoxing"
    config: str = "coarse"


UP, DOWN = +1, -1
EMERGING_VA = "+".join(f"va_{s}" for s in EMERGING_SECTORS)

#: lever -> expected effects (outcome, direction, where); the reason is the lever's channel
EXPECTED: dict[str, tuple[Effect, ...]] = {
    # 融杭联甬接沪: travel time and trade costs raise market access (gravity) and pull people.
    # A faster Hangzhou link raises the gross inflow of skilled people into Shaoxing; it also
    # lowers the cost of leaving for Hangzhou, so the net skilled *stock* may fall (the
    # 'siphon effect' of a large pole; measured at the 0.6 upper bound over 2020-2024)
    "integration.hangzhou_travel_time_cut": (Effect("market_access", UP),
                                             Effect("migration_in", UP, config="many"),
                                             Effect("skilled_inflow", UP, config="many")),
    "integration.ningbo_travel_time_cut": (Effect("market_access", UP),
                                           Effect("migration_in", UP, config="fine")),
    "integration.shanghai_travel_time_cut": (Effect("market_access", UP),
                                             Effect("migration_in", UP)),
    "integration.trade_cost_cut": (Effect("market_access", UP),),
    "integration.keqiao_hangzhou_same_city": (Effect("market_access", UP, "keqiao"),),
    "integration.zhuji_hangzhou_same_city": (Effect("market_access", UP, "zhuji"),),
    "integration.shengxin_yiwu_ningbo_corridor": (Effect("market_access", UP, "shengzhou"),
                                                  Effect("market_access", UP, "xinchang")),
    "integration.airport_economy_extension": (Effect("market_access", UP, "keqiao"),),
    "integration.cross_border_ecommerce_zone": (Effect("market_access", UP),),
    "integration.comprehensive_bonded_zone": (Effect("market_access", UP),),
    "integration.market_procurement_trade": (Effect("market_access", UP, "keqiao"),),
    "integration.ftz_linkage_area": (Effect("market_access", UP),),
    # platforms: land opened to firms, quality, spillovers, amenities
    "platforms.binhai_new_area": (Effect("platform:binhai_new_area capacity", UP),),
    "platforms.binhai_administration": (Effect("firm_exits", DOWN, config="mechanism"),),
    "platforms.science_cities": (Effect("gdp_real", UP, config="fine"),),
    "platforms.rd_enclaves": (Effect("gdp_real", UP, config="fine"),),
    "platforms.cultural_corridor": (Effect("population", UP, config="fine"),),
    "platforms.tourism_resorts": (Effect("population", UP, config="fine"),),
    "platforms.ic_biomedicine_platforms": (Effect("platform:wanmu_qianyi capacity", UP),),
    "platforms.national_ic_innovation_centre": (Effect("va_electronics_ic", UP, config="fine"),),
    "platforms.characteristic_towns": (Effect("platform:characteristic_town used", UP,
                                              config="fine"),),
    "platforms.zone_star_rating": (Effect("platform firm share", UP, config="many"),
                                   Effect("firm_exits", UP, config="mechanism")),
    # 链长制 scales the agglomeration elasticity: TFP rises where a Shaoxing sector's
    # employment grew since the base year, falls where it shrank (test below)
    "platforms.industrial_chain_chiefs": (Effect("agglomeration", UP, config="mechanism"),),
    "platforms.micro_enterprise_parks": (Effect("platform:micro_enterprise_park used", UP,
                                                config="fine"),
                                         Effect("firm_exits", DOWN, config="mechanism")),
    # industry: emerging sectors, digital transformation, land efficiency
    "industry.emerging_industries": (Effect(EMERGING_VA, UP, config="many"),
                                     Effect("firm_entries", UP, config="fine")),
    "industry.digital_economy_doubling": (Effect("digital_share", UP, config="fine"),),
    "industry.major_ic_projects": (Effect("va_electronics_ic", UP),),
    "industry.5g_coverage": (Effect("digital_share", UP, config="fine"),),
    "industry.industrial_internet": (Effect("digital_share", UP, config="fine"),),
    "industry.civil_military_fusion": (Effect("firm_entries", UP, config="mechanism"),),
    "industry.general_aviation": (Effect("firm_entries", UP, "xinchang", config="mechanism"),),
    "industry.manufacturing_services_fusion": (Effect("va_services", UP, config="fine"),),
    "industry.new_retail_night_economy": (Effect("population", UP, config="fine"),),
    "industry.traditional_upgrade_plan": (Effect("digital_share", UP),),
    "industry.dyeing_chemical_clusters": (Effect("relocations_in", UP, "keqiao"),
                                          Effect("emissions", DOWN, config="fine")),
    "industry.intelligent_transformation": (Effect("digital_share", UP),),
    "industry.mu_efficiency_reform": (Effect("firm_exits", UP),),
    "industry.prefab_steel_housing": (Effect("population", UP, config="fine"),),
    "industry.digital_agriculture": (Effect("nonmodelled_gdp", UP),),
    # innovation and talent: TFP growth, talent
    "innovation.xinchang_experience": (Effect("gdp_real", UP, config="fine"),),
    "innovation.industry_research_institutes": (Effect("gdp_real", UP, config="fine"),),
    "innovation.tech_firm_doubling": (Effect("firm_entries", UP, config="fine"),),
    "innovation.tech_market": (Effect("gdp_real", UP, config="fine"),),
    "innovation.talent_enclaves": (Effect("employment", UP),),
    "innovation.talent_programmes": (Effect("talent_skilled", UP),),
    # green: compliance costs lower polluting output and emissions
    "green.air_pollution_control": (Effect("emissions", DOWN),
                                    Effect("va_textiles_dyeing", DOWN, config="fine")),
    "green.zero_discharge_zones": (Effect("emissions", DOWN),
                                   Effect("va_textiles_dyeing", DOWN, config="fine")),
    # a 2% cost on chemicals alone: its output effect is within the noise of 30 runs (one
    # diverging path dominates), so its channel is tested on a common state: more exits
    "green.soil_protection": (Effect("firm_exits", UP, config="mechanism"),),
    "green.no_waste_city": (Effect("emissions", DOWN, config="fine"),),
    # business environment: entry, exit, investment, leading firms
    "business.most_one_trip": (Effect("firm_entries", UP, config="fine"),),
    "business.online_services": (Effect("firm_exits", DOWN, config="mechanism"),),
    "business.standard_land_commitment": (Effect("capital", UP, config="fine"),),
    "business.license_separation": (Effect("firm_entries", UP, config="fine"),),
    "business.credit_system_531x": (Effect("capital", UP, config="fine"),),
    "business.private_economy_promotion": (Effect("firm_exits", DOWN, config="fine"),),
    "business.covid_relief": (Effect("firm_exits", DOWN),),
    "business.tax_fee_cuts": (Effect("firm_exits", DOWN, config="mechanism"),
                              Effect("capital", UP)),
    "business.financing_access": (Effect("capital", UP, config="fine"),),
    "business.phoenix_action": (Effect("capital", UP, config="fine"),),
    "business.eagle_action": (Effect("gdp_real", UP, config="fine"),),
    "business.fledgling_action": (Effect("firm_entries", UP, config="fine"),),
}


def scenario(config: str, levers: dict | None = None):
    people, workers, replications, seed = CONFIGS[config]
    return build_scenario({"name": "lever-test", "start_year": START, "end_year": END,
                           "replications": replications, "seed": seed,
                           "scale": {"people_per_agent": people,
                                     "workers_per_firm_agent": workers},
                           "levers": levers or {}})


def platform_outcomes(model: GrowthPoleModel) -> dict[str, float]:
    """Capacity and land used (亩) by platform kind, and the share of Shaoxing's live firm
    agents that sit in a platform, at the model's current year."""
    platforms, firms = model.state.platforms, model.state.firms
    kinds = platforms.kind.astype(np.int64)
    out = {}
    for index, kind in enumerate(KIND_NAMES):
        mask = kinds == index
        out[f"platform:{kind} capacity"] = float(platforms.capacity_mu[mask].sum())
        out[f"platform:{kind} used"] = float(platforms.used_mu[mask].sum())
    shaoxing = firms.live & (firms.region < N_SHAOXING)
    out["platform firm share"] = float((firms.platform[shaoxing] >= 0).mean())
    return out


def skilled_residents(model: GrowthPoleModel) -> tuple[np.ndarray, np.ndarray]:
    """(sorted ids, regions) of the live skilled talent agents."""
    talent = model.state.talent
    live = talent.live & (talent.skill == SKILLED)
    ids = talent.ids[: talent.size][live]
    order = np.argsort(ids)
    return ids[order], talent.region[live][order].astype(np.int64)


def shaoxing_arrivals(before: tuple[np.ndarray, np.ndarray],
                      after: tuple[np.ndarray, np.ndarray]) -> int:
    """Skilled agents living in Shaoxing after a step who lived outside it before the step
    or were not there at all (the declared inflow from the rest of China)."""
    ids_before, region_before = before
    ids_after, region_after = after
    position = np.clip(np.searchsorted(ids_before, ids_after), 0, max(len(ids_before) - 1, 0))
    known = (ids_before[position] == ids_after) if len(ids_before) else np.zeros(
        len(ids_after), dtype=bool)
    was_outside = ~known | (region_before[position] >= N_SHAOXING)
    return int(((region_after < N_SHAOXING) & was_outside).sum())


def outcome_value(frame: pd.DataFrame, extra: dict[str, float], name: str,
                  region: str) -> float:
    if name in extra:
        return extra[name]
    rows = frame[frame.region == region]
    total = 0.0
    for column in name.split("+"):
        if column in FLOWS:
            total += float(rows.loc[rows.year >= LEVER_YEAR, column].sum())
        else:
            total += float(rows.loc[rows.year == END, column].iloc[0])
    return total


@cache
def replications(config: str, lever: str | None) -> tuple[tuple[pd.DataFrame, dict], ...]:
    """(city_year, extra outcomes) per replication; the lever at its upper bound from
    LEVER_YEAR (None: baseline). Cached: the baseline is shared by every lever."""
    levers = {} if lever is None else {lever: {LEVER_YEAR: LEVERS[lever].upper}}
    spec = scenario(config, levers)
    seeds = replication_seeds(spec.seed, spec.replications)
    runs = []
    for r, seed in enumerate(seeds):
        model = GrowthPoleModel(spec, seed, replication=r)
        inflow = 0
        while model.year < END:
            before = skilled_residents(model)
            model.step()
            if model.year >= LEVER_YEAR:
                inflow += shaoxing_arrivals(before, skilled_residents(model))
        extra = platform_outcomes(model)
        extra["skilled_inflow"] = float(inflow)
        runs.append((model.city_year(), extra))
    return tuple(runs)


@cache
def mechanism_state() -> tuple[GrowthPoleModel, object]:
    """A baseline model stepped to LEVER_YEAR (fine resolution, one seed) and a copy of its
    state: the common state on which mechanism-level experiments compare policies."""
    spec = scenario("fine")
    model = GrowthPoleModel(spec, replication_seeds(spec.seed, 1)[0])
    while model.year < LEVER_YEAR:
        model.step()
    return model, copy.deepcopy(model.state)


#: mechanisms run, in STEP_ORDER, for a mechanism-level count (after labour and production)
MECHANISM_CHAINS = {
    "firm_exits": (land.evaluate_land_efficiency, firms.exit_firms),
    "firm_entries": (firms.enter_firms,),
}


def mechanism_count(state, params, policy, year_seed, outcome: str, region: str) -> float:
    """Run labour, production and the outcome's mechanisms on a copy of ``state`` under
    ``policy`` with the year's random streams from ``year_seed``; count the flow."""
    state = copy.deepcopy(state)
    state.year = LEVER_YEAR + 1
    context = StepContext(state, params, policy, year_seed)
    state.regions.entries[:] = 0.0
    state.regions.exits[:] = 0.0
    labour.allocate_labour(context)
    production.produce(context)
    for mechanism in MECHANISM_CHAINS[outcome]:
        mechanism(context)
    counts = getattr(state.regions, outcome.removeprefix("firm_"))
    if region == "shaoxing":
        return float(counts[:N_SHAOXING].sum())
    return float(counts[REGION_INDEX[region]])


def mechanism_differences(lever: str, effect: Effect) -> np.ndarray:
    """The lever's channel on one common state: the next year's mechanisms run with and
    without the lever, each pair sharing its random streams (MECHANISM_DRAWS year seeds), so
    the draws are coupled and the difference is the policy's alone."""
    model, state = mechanism_state()
    year = LEVER_YEAR + 1
    with_lever = policy_for_year({lever: {LEVER_YEAR: LEVERS[lever].upper}}, year)
    without = policy_for_year({}, year)
    differences = []
    for draw in range(MECHANISM_DRAWS):
        year_seed = np.random.SeedSequence(2024, spawn_key=(draw,))
        differences.append(
            mechanism_count(state, model.params, with_lever, year_seed, effect.outcome,
                            effect.region)
            - mechanism_count(state, model.params, without, year_seed, effect.outcome,
                              effect.region))
    return np.array(differences)


def paired_differences(lever: str, effect: Effect) -> np.ndarray:
    if effect.config == "mechanism":
        return mechanism_differences(lever, effect)
    base = replications(effect.config, None)
    treated = replications(effect.config, lever)
    return np.array([outcome_value(t[0], t[1], effect.outcome, effect.region)
                     - outcome_value(b[0], b[1], effect.outcome, effect.region)
                     for t, b in zip(treated, base, strict=True)])


def one_sided_t(differences: np.ndarray, sign: int) -> float:
    """sign * mean / standard error (inf when every difference is equal and non-zero)."""
    mean = float(differences.mean())
    se = float(differences.std(ddof=1) / np.sqrt(len(differences)))
    if se == 0.0:
        return np.inf if sign * mean > 0 else -np.inf
    return sign * mean / se


def test_every_lever_has_an_expected_effect():
    assert set(EXPECTED) == set(LEVERS), (
        f"levers without an expected effect: {sorted(set(LEVERS) - set(EXPECTED))}; "
        f"entries for unknown levers: {sorted(set(EXPECTED) - set(LEVERS))}")


CASES = [(lever, effect) for lever in LEVERS for effect in EXPECTED.get(lever, ())
         if effect.outcome != "agglomeration"]


@pytest.mark.parametrize(("lever", "effect"), CASES,
                         ids=[f"{lever}->{e.region}.{e.outcome}" for lever, e in CASES])
def test_lever_moves_its_outcome_in_the_expected_direction(lever: str, effect: Effect):
    """One-sided test at SIGNIFICANCE. Coupled one-year mechanism draws: paired t test.
    Whole replications: Wilcoxon signed-rank test, because a firm agent exits or moves as a
    whole, so paired replications occasionally diverge by one large agent; a rank test is
    robust to such rare outliers while still requiring most pairs to move the right way."""
    differences = paired_differences(lever, effect)
    direction = "up" if effect.sign > 0 else "down"
    message = (f"{lever} at {LEVERS[lever].upper} should move {effect.region} "
               f"{effect.outcome} {direction}: paired differences "
               f"{np.round(differences[:30], 4).tolist()}")
    if effect.config == "mechanism" or np.all(differences == differences[0]):
        critical = float(stats.t.ppf(1.0 - SIGNIFICANCE, len(differences) - 1))
        t_value = one_sided_t(differences, effect.sign)
        assert t_value >= critical, f"{message}, t = {t_value:.2f} < {critical:.2f}"
    else:
        alternative = "greater" if effect.sign > 0 else "less"
        p_value = float(stats.wilcoxon(differences, alternative=alternative,
                                       zero_method="zsplit").pvalue)
        assert p_value < SIGNIFICANCE, f"{message}, Wilcoxon p = {p_value:.3f}"


def test_chain_chiefs_amplify_agglomeration_where_clusters_grew():
    """链长制 scales the agglomeration elasticity γ of Shaoxing (ln Ã += γ ln G_rk, G_rk
    same-sector employment relative to the base year): on a common state, a Shaoxing firm's
    effective log TFP must rise exactly where its sector's employment in its unit grew since
    2019 and fall where it shrank, by 0.02 x chains x γ ln G; firms outside Shaoxing are
    untouched."""
    lever = "platforms.industrial_chain_chiefs"
    model, state = mechanism_state()
    state = copy.deepcopy(state)
    year = LEVER_YEAR + 1
    seed = np.random.SeedSequence(7)
    chains = LEVERS[lever].upper
    base = production.effective_log_tfp(StepContext(state, model.params,
                                                    policy_for_year({}, year), seed))
    treated = production.effective_log_tfp(StepContext(
        state, model.params, policy_for_year({lever: {LEVER_YEAR: chains}}, year), seed))
    table = state.firms
    region, sector = table.region.astype(np.int64), table.sector.astype(np.int64)
    employment = region_sector_sum(table.skilled + table.unskilled, region, sector, table.live)
    log_index = np.log(agglomeration_index(employment, state.regions_base_employment))
    expected = np.where(region < N_SHAOXING, 0.02 * chains * model.params.agglomeration_elasticity
                        * log_index[region, sector], 0.0)
    live = table.live
    assert np.any(np.abs(expected[live]) > 1e-6), "no Shaoxing cluster changed size: no test"
    np.testing.assert_allclose((treated - base)[live], expected[live], rtol=1e-9, atol=1e-12)
