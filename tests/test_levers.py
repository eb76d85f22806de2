"""Every lever moves the quantity it is meant to move, in the direction an economist expects.

Design (comparative statics under common random numbers): a short scenario 2019-2024 is run
R times at baseline and R times with one lever at its upper bound from 2020 (the year after
the start), replication r of both drawing from the same SeedSequence child
(growthpole.seeds.replication_seeds). For each expected effect in EXPECTED the paired
differences d_r = outcome(lever, r) - outcome(baseline, r) must have the expected sign in a
one-sided test: a Wilcoxon signed-rank test for whole replications (a firm agent exits or
moves as a whole, so pairs occasionally diverge by one large agent, and a rank test is robust
to that), a paired t test, sign * mean(d) / (sd(d) / sqrt(R)) >= t_{1-α,R-1}, for the coupled
one-year mechanism draws. Where the lever acts deterministically (all d_r equal and non-zero,
e.g. a shift of non-modelled GDP) the t statistic is infinite and only the sign is checked.

Multiplicity: the family of direction tests is run at a family-wise level of FAMILY_LEVEL
(5%) by Bonferroni, α = FAMILY_LEVEL / (number of tests), about 0.0007 for 71 tests: the
chance that any lever passes although its effect has no or the wrong sign is at most 5%. The
replications are sized for it: the smallest one-sided Wilcoxon p with R pairs is 2^-R, so R
must exceed log2(1/α) ≈ 10.5; coarse runs 16, fine 20, many 30, and the mechanism draws 800.
Effects that are small relative to the noise of the discrete draws (entry, exit) are tested
at a finer agent resolution and with more replications (configs "fine" and "many") instead
of being dropped.

Outcomes are read for Shaoxing (the sum of its six units) unless a unit is named, at the
last year ("level") or summed over 2020-2024 ("flow"). Platform outcomes ("platform:<kind>
capacity/used") come from the model's platform table at the last year.

The direction tests check mechanisms, so they run with the *gross* effect of each lever
(GROSS: every in_trend and competitor_share coefficient set to 0); the increments over the
trend and over competitors are tested separately below, with the records of
growthpole/levers.yaml (every coefficient has a prior and a source), the combination rules
(the full package cannot move a channel beyond its cap), a zero coefficient reproducing the
baseline bit for bit, the budget, and the union of the pillar scenarios.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from scipy import stats

from growthpole.levers import (
    CHANNEL_RULES,
    COEFFICIENTS,
    INCREMENT_ROLES,
    LEVERS,
    Prior,
    policy_for_year,
)
from growthpole.mechanisms import production
from growthpole.mechanisms.base import StepContext, region_sector_sum
from growthpole.mechanisms.platforms import KIND_NAMES
from growthpole.mechanisms.production import agglomeration_index
from growthpole.model import GrowthPoleModel
from growthpole.regions import EMERGING_SECTORS, N_SHAOXING, REGION_INDEX, SKILLED
from growthpole.scenario import build_scenario
from growthpole.schedule import SCHEDULE
from growthpole.seeds import replication_seeds

ROOT = Path(__file__).resolve().parent.parent
START, END, LEVER_YEAR = 2019, 2024, 2020
#: family-wise level of the direction tests (Bonferroni over CASES: SIGNIFICANCE below)
FAMILY_LEVEL = 0.05
#: name -> (people per agent, workers per firm agent, replications, root seed)
CONFIGS: dict[str, tuple[int, int, int, int]] = {
    "coarse": (20_000, 10, 16, 31),
    "fine": (4_000, 10, 20, 32),
    "many": (4_000, 10, 30, 33),
}
#: year seeds of the mechanism-level experiments (config "mechanism")
MECHANISM_DRAWS = 800
#: the gross effect of every lever: no share of it in the trend or with the competitors
GROSS = {name: 0.0 for name, c in COEFFICIENTS.items() if c.role in INCREMENT_ROLES}

# columns of city_year summed over the years after the lever starts (flows); others are
# read at the last year (levels)
FLOWS = {
    "firm_entries",
    "firm_exits",
    "relocations_in",
    "relocations_out",
    "migration_in",
    "migration_out",
}


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
    "integration.hangzhou_travel_time_cut": (
        Effect("market_access", UP),
        Effect("migration_in", UP, config="many"),
        Effect("skilled_inflow", UP, config="many"),
    ),
    "integration.ningbo_travel_time_cut": (
        Effect("market_access", UP),
        Effect("migration_in", UP, config="fine"),
    ),
    "integration.shanghai_travel_time_cut": (
        Effect("market_access", UP),
        Effect("migration_in", UP),
    ),
    "integration.trade_cost_cut": (Effect("market_access", UP),),
    "integration.keqiao_hangzhou_same_city": (Effect("market_access", UP, "keqiao"),),
    "integration.zhuji_hangzhou_same_city": (Effect("market_access", UP, "zhuji"),),
    "integration.shengxin_yiwu_ningbo_corridor": (
        Effect("market_access", UP, "shengzhou"),
        Effect("market_access", UP, "xinchang"),
    ),
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
    "platforms.characteristic_towns": (
        Effect("platform:characteristic_town used", UP, config="fine"),
    ),
    "platforms.zone_star_rating": (
        Effect("platform firm share", UP, config="many"),
        Effect("firm_exits", UP, config="mechanism"),
    ),
    # 链长制 scales the agglomeration elasticity: TFP rises where a Shaoxing sector's
    # employment grew since the base year, falls where it shrank (test below)
    "platforms.industrial_chain_chiefs": (Effect("agglomeration", UP, config="mechanism"),),
    "platforms.micro_enterprise_parks": (
        Effect("platform:micro_enterprise_park used", UP, config="fine"),
        Effect("firm_exits", DOWN, config="mechanism"),
    ),
    # industry: emerging sectors, digital transformation, land efficiency
    "industry.emerging_industries": (
        Effect(EMERGING_VA, UP, config="many"),
        Effect("firm_entries", UP, config="fine"),
    ),
    "industry.digital_economy_doubling": (Effect("digital_share", UP, config="fine"),),
    "industry.major_ic_projects": (Effect("va_electronics_ic", UP),),
    "industry.5g_coverage": (Effect("digital_share", UP, config="fine"),),
    "industry.industrial_internet": (Effect("digital_share", UP, config="fine"),),
    "industry.civil_military_fusion": (Effect("firm_entries", UP, config="mechanism"),),
    "industry.general_aviation": (Effect("firm_entries", UP, "xinchang", config="mechanism"),),
    "industry.manufacturing_services_fusion": (Effect("va_services", UP, config="fine"),),
    "industry.new_retail_night_economy": (Effect("population", UP, config="fine"),),
    "industry.traditional_upgrade_plan": (Effect("digital_share", UP),),
    "industry.dyeing_chemical_clusters": (
        Effect("relocations_in", UP, "keqiao"),
        Effect("emissions", DOWN, config="fine"),
    ),
    "industry.intelligent_transformation": (Effect("digital_share", UP),),
    "industry.mu_efficiency_reform": (Effect("firm_exits", UP),),
    "industry.prefab_steel_housing": (Effect("population", UP, config="fine"),),
    "industry.digital_agriculture": (Effect("nonmodelled_gdp", UP),),
    # innovation and talent: TFP growth, talent
    "innovation.xinchang_experience": (Effect("gdp_real", UP, config="fine"),),
    "innovation.industry_research_institutes": (Effect("gdp_real", UP, config="fine"),),
    "innovation.tech_firm_doubling": (Effect("firm_entries", UP, config="many"),),
    "innovation.tech_market": (Effect("gdp_real", UP, config="fine"),),
    "innovation.talent_enclaves": (Effect("employment", UP),),
    "innovation.talent_programmes": (Effect("talent_skilled", UP),),
    # green: compliance costs lower polluting output and emissions
    "green.air_pollution_control": (
        Effect("emissions", DOWN),
        Effect("va_textiles_dyeing", DOWN, config="fine"),
    ),
    "green.zero_discharge_zones": (
        Effect("emissions", DOWN),
        Effect("va_textiles_dyeing", DOWN, config="fine"),
    ),
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
    # relief lowers the exit hazard; under its saturating rule (cap 0.3) the drop is about a
    # quarter, measured on a common state (six coarse replications lack power for it)
    "business.covid_relief": (Effect("firm_exits", DOWN, config="mechanism"),),
    # the cut raises after-tax profit, once (it no longer also cuts the cost of capital)
    "business.tax_fee_cuts": (Effect("firm_exits", DOWN, config="mechanism"),),
    "business.financing_access": (Effect("capital", UP, config="fine"),),
    "business.phoenix_action": (Effect("capital", UP, config="fine"),),
    "business.eagle_action": (Effect("gdp_real", UP, config="fine"),),
    "business.fledgling_action": (Effect("firm_entries", UP, config="fine"),),
}


def scenario(config: str, levers: dict | None = None):
    people, workers, replications, seed = CONFIGS[config]
    return build_scenario(
        {
            "name": "lever-test",
            "start_year": START,
            "end_year": END,
            "replications": replications,
            "seed": seed,
            "scale": {"people_per_agent": people, "workers_per_firm_agent": workers},
            "levers": levers or {},
            "lever_coefficients": GROSS,
        }
    )


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


def shaoxing_arrivals(
    before: tuple[np.ndarray, np.ndarray], after: tuple[np.ndarray, np.ndarray]
) -> int:
    """Skilled agents living in Shaoxing after a step who lived outside it before the step
    or were not there at all (the declared inflow from the rest of China)."""
    ids_before, region_before = before
    ids_after, region_after = after
    position = np.clip(np.searchsorted(ids_before, ids_after), 0, max(len(ids_before) - 1, 0))
    known = (
        (ids_before[position] == ids_after)
        if len(ids_before)
        else np.zeros(len(ids_after), dtype=bool)
    )
    was_outside = ~known | (region_before[position] >= N_SHAOXING)
    return int(((region_after < N_SHAOXING) & was_outside).sum())


def outcome_value(frame: pd.DataFrame, extra: dict[str, float], name: str, region: str) -> float:
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


#: the year's steps run for a mechanism-level count: the flows reset, labour and production,
#: then the outcome's mechanisms (taken from the model's schedule, in its order)
MECHANISM_STEPS = {
    "firm_exits": SCHEDULE.select("reset_flows", "labour", "production", "land", "exit"),
    "firm_entries": SCHEDULE.select("reset_flows", "labour", "production", "entry"),
}


def mechanism_count(state, params, policy, year_seed, outcome: str, region: str) -> float:
    """Run the outcome's steps (MECHANISM_STEPS) on a copy of ``state`` under ``policy``
    with the year's random streams from ``year_seed``; count the flow."""
    state = copy.deepcopy(state)
    state.year = LEVER_YEAR + 1
    context = StepContext(state, params, policy, year_seed)
    MECHANISM_STEPS[outcome].run_year(context)
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
    with_lever = policy_for_year(
        {lever: {LEVER_YEAR: LEVERS[lever].upper}}, year, coefficients=GROSS
    )
    without = policy_for_year({}, year, coefficients=GROSS)
    differences = []
    for draw in range(MECHANISM_DRAWS):
        year_seed = np.random.SeedSequence(2024, spawn_key=(draw,))
        differences.append(
            mechanism_count(
                state, model.params, with_lever, year_seed, effect.outcome, effect.region
            )
            - mechanism_count(
                state, model.params, without, year_seed, effect.outcome, effect.region
            )
        )
    return np.array(differences)


def paired_differences(lever: str, effect: Effect) -> np.ndarray:
    if effect.config == "mechanism":
        return mechanism_differences(lever, effect)
    base = replications(effect.config, None)
    treated = replications(effect.config, lever)
    return np.array(
        [
            outcome_value(t[0], t[1], effect.outcome, effect.region)
            - outcome_value(b[0], b[1], effect.outcome, effect.region)
            for t, b in zip(treated, base, strict=True)
        ]
    )


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
        f"entries for unknown levers: {sorted(set(EXPECTED) - set(LEVERS))}"
    )


CASES = [
    (lever, effect)
    for lever in LEVERS
    for effect in EXPECTED.get(lever, ())
    if effect.outcome != "agglomeration"
]
#: the level of each direction test: the family-wise FAMILY_LEVEL over all of them
SIGNIFICANCE = FAMILY_LEVEL / len(CASES)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("lever", "effect"), CASES, ids=[f"{lever}->{e.region}.{e.outcome}" for lever, e in CASES]
)
def test_lever_moves_its_outcome_in_the_expected_direction(lever: str, effect: Effect):
    """One-sided test at SIGNIFICANCE (the Bonferroni share of the family-wise 5%). Coupled
    one-year mechanism draws: paired t test. Whole replications: Wilcoxon signed-rank test,
    because a firm agent exits or moves as a whole, so paired replications occasionally
    diverge by one large agent; a rank test is robust to such rare outliers while still
    requiring most pairs to move the right way."""
    differences = paired_differences(lever, effect)
    direction = "up" if effect.sign > 0 else "down"
    message = (
        f"{lever} at {LEVERS[lever].upper} should move {effect.region} "
        f"{effect.outcome} {direction}: paired differences "
        f"{np.round(differences[:30], 4).tolist()}"
    )
    if effect.config == "mechanism" or np.all(differences == differences[0]):
        critical = float(stats.t.ppf(1.0 - SIGNIFICANCE, len(differences) - 1))
        t_value = one_sided_t(differences, effect.sign)
        assert t_value >= critical, f"{message}, t = {t_value:.2f} < {critical:.2f}"
    else:
        alternative = "greater" if effect.sign > 0 else "less"
        p_value = float(
            stats.wilcoxon(differences, alternative=alternative, zero_method="zsplit").pvalue
        )
        assert p_value < SIGNIFICANCE, f"{message}, Wilcoxon p = {p_value:.2g}"


def test_chain_chiefs_amplify_agglomeration_where_clusters_grew():
    """链长制 scales the agglomeration elasticity γ of Shaoxing (ln Ã += γ ln G_rk, G_rk
    same-sector employment relative to the base year): on a common state, a Shaoxing firm's
    effective log TFP must rise exactly where its sector's employment in its unit grew since
    2019 and fall where it shrank, by (m - 1) x γ ln G with m the agglomeration multiplier,
    m - 1 = cap x tanh(coefficient x chains / cap) (the channel's saturating rule); firms
    outside Shaoxing are untouched."""
    lever = "platforms.industrial_chain_chiefs"
    model, state = mechanism_state()
    state = copy.deepcopy(state)
    year = LEVER_YEAR + 1
    seed = np.random.SeedSequence(7)
    chains = LEVERS[lever].upper
    policy = policy_for_year({lever: {LEVER_YEAR: chains}}, year, coefficients=GROSS)
    rule = CHANNEL_RULES["agglomeration_multiplier"]
    raise_ = COEFFICIENTS[f"{lever}.agglomeration"].value * chains
    assert policy.agglomeration_multiplier - 1.0 == pytest.approx(
        rule.cap * np.tanh(raise_ / rule.cap), rel=1e-12
    )
    base = production.effective_log_tfp(
        StepContext(state, model.params, policy_for_year({}, year), seed)
    )
    treated = production.effective_log_tfp(StepContext(state, model.params, policy, seed))
    table = state.firms
    region, sector = table.region.astype(np.int64), table.sector.astype(np.int64)
    employment = region_sector_sum(table.skilled + table.unskilled, region, sector, table.live)
    log_index = np.log(agglomeration_index(employment, state.regions_base_employment))
    expected = np.where(
        region < N_SHAOXING,
        (policy.agglomeration_multiplier - 1.0)
        * model.params.agglomeration_elasticity
        * log_index[region, sector],
        0.0,
    )
    live = table.live
    assert np.any(np.abs(expected[live]) > 1e-6), "no Shaoxing cluster changed size: no test"
    np.testing.assert_allclose((treated - base)[live], expected[live], rtol=1e-9, atol=1e-12)


# ---------------------------------------------------------------------------------------
# issue 17: priors and sources, combination rules, increments, zero coefficients, budget
# ---------------------------------------------------------------------------------------

LEVER_RECORDS = yaml.safe_load((ROOT / "growthpole" / "levers.yaml").read_text(encoding="utf-8"))
PRIOR_PARAMETERS = {
    "normal": {"mean", "sd"},
    "lognormal": {"median", "sigma"},
    "beta": {"a", "b"},
    "uniform": {"low", "high"},
}


def record_coefficients() -> list[tuple[str, dict, float]]:
    """(name, record, value) of every coefficient written in the data file, read directly
    (not through growthpole.levers): effects, increment shares and costs."""
    out = []
    for lever in LEVER_RECORDS["levers"]:
        key = lever["key"]
        for effect in lever["effects"]:
            out.append((f"{key}.{effect['name']}", effect, effect.get("coefficient")))
        for role in ("in_trend", "competitor_share"):
            if role in lever:
                out.append((f"{key}.{role}", lever[role], lever[role].get("value")))
        if lever.get("cost", {}).get("basis", "none") != "none":
            out.append((f"{key}.cost", lever["cost"], lever["cost"].get("coefficient")))
    return out


def check_source(name: str, source: object) -> None:
    references = LEVER_RECORDS["references"]
    assert isinstance(source, dict), f"{name}: no source"
    kind = source.get("kind")
    assert kind in ("paper", "evaluation", "record", "judgement"), f"{name}: source kind {kind}"
    if kind == "judgement":
        note = source.get("note") or ""
        assert note.strip() and "\n" not in note, f"{name}: a judgement needs one line"
    else:
        assert source.get("ref") in references, f"{name}: ref {source.get('ref')} not cited"
        assert source.get("estimate"), f"{name}: a {kind} source needs the estimate"
    if source.get("motivated_by") is not None:
        assert source["motivated_by"] in references, f"{name}: unknown motivated_by"


def test_every_coefficient_has_a_prior_and_a_source():
    """Each coefficient record in growthpole/levers.yaml has a prior (a known family with its
    parameters) whose central 99% holds the coefficient's value, and a source: a paper,
    evaluation or record with its estimate and a listed reference, or a one-line judgement.
    The package reads exactly these coefficients."""
    from scipy import stats

    records = record_coefficients()
    assert len(records) == len(COEFFICIENTS) and {n for n, _, _ in records} == set(COEFFICIENTS)
    for name, record, value in records:
        prior = record.get("prior")
        assert isinstance(prior, dict) and len(prior) == 1, f"{name}: no prior"
        family, params = next(iter(prior.items()))
        assert family in PRIOR_PARAMETERS and set(params) == PRIOR_PARAMETERS[family], (
            f"{name}: prior {prior}"
        )
        distribution = {
            "normal": lambda p: stats.norm(p["mean"], p["sd"]),
            "lognormal": lambda p: stats.lognorm(s=p["sigma"], scale=p["median"]),
            "beta": lambda p: stats.beta(p["a"], p["b"]),
            "uniform": lambda p: stats.uniform(p["low"], p["high"] - p["low"]),
        }[family](params)
        low, high = distribution.ppf([0.005, 0.995])
        assert isinstance(value, int | float) and low <= value <= high, (
            f"{name}: value {value} outside the central 99% [{low:.4g}, {high:.4g}] of {prior}"
        )
        check_source(name, record.get("source"))
    for channel, rule in LEVER_RECORDS["channels"].items():
        check_source(f"channels.{channel}", rule.get("source"))


def test_shared_and_old_measures_carry_their_increment_shares():
    """The measures every city got are national or provincial with a competitor share; the
    measures under way before the base year carry an in_trend share; and a channel moves by
    the gross contribution times (1 - in_trend)(1 - competitor_share)."""
    from growthpole.levers import BASE_YEAR, channel_contributions, default_coefficients

    for key in (
        "business.tax_fee_cuts",
        "business.license_separation",
        "business.most_one_trip",
        "industry.mu_efficiency_reform",
    ):
        assert LEVERS[key].scope != "local", key
        assert COEFFICIENTS[f"{key}.competitor_share"].value > 0, key
    for key, lever in LEVERS.items():
        if lever.scope != "local":
            assert f"{key}.competitor_share" in COEFFICIENTS, key
        if lever.since is not None and lever.since < BASE_YEAR:
            assert f"{key}.in_trend" in COEFFICIENTS, key
    values = default_coefficients()
    gross = {**values, **GROSS}
    key = "business.most_one_trip"
    factor = (1 - values[f"{key}.in_trend"]) * (1 - values[f"{key}.competitor_share"])
    net = channel_contributions({key: 1.0}, values)["regulation_cost_cut"]
    whole = channel_contributions({key: 1.0}, gross)["regulation_cost_cut"]
    np.testing.assert_allclose(net, whole * factor, rtol=1e-12)
    assert 0 < factor < 0.5


def test_tax_fee_cuts_count_once():
    """减税降费 raises after-tax profit by the cut, once: it no longer also cuts the cost of
    capital (the double count of the earlier catalogue)."""
    policy = policy_for_year({"business.tax_fee_cuts": 0.02}, 2020, coefficients=GROSS)
    assert np.all(policy.capital_cost_factor == 1.0)
    rule = CHANNEL_RULES["profit_tax_cut"]
    np.testing.assert_allclose(
        policy.profit_tax_cut[:N_SHAOXING], rule.cap * np.tanh(0.02 / rule.cap), rtol=1e-12
    )
    assert np.all(policy.profit_tax_cut[N_SHAOXING:] == 0.0)


def extreme_coefficients() -> dict[str, float]:
    """Every effect coefficient at the 97.5% quantile of its prior in the direction of its
    sign (the strongest plausible effect), no share in the trend or with competitors."""
    out = dict(GROSS)
    for name, c in COEFFICIENTS.items():
        if c.role == "effect":
            low, high = c.prior.interval(0.95)
            out[name] = high if c.value >= 0 else low
    return out


def test_the_full_package_cannot_move_a_channel_beyond_its_cap():
    """Every lever at its upper bound together, with the strongest plausible coefficients
    and no trend or competitor discount: each capped channel stays within its cap in every
    cell, although the plain sum of the contributions exceeds the cap on several channels
    (so the rule binds; without it the package would stack beyond the evidence)."""
    from growthpole.levers import channel_contributions
    from growthpole.policy import PolicyChannels

    values = {key: lever.upper for key, lever in LEVERS.items()}
    coefficients = {**{n: c.value for n, c in COEFFICIENTS.items()}, **extreme_coefficients()}
    policy = policy_for_year({}, 2020, coefficients=coefficients, values=values)
    sums = channel_contributions(values, coefficients)
    neutral = PolicyChannels()
    beyond = []
    for channel, rule in CHANNEL_RULES.items():
        if rule.cap is None or channel not in sums:
            continue
        moved = getattr(policy, channel)
        total = sums[channel]
        if isinstance(moved, dict):
            moves = np.array([moved[k] - neutral.platform_development.get(k, 0.0) for k in moved])
            totals = np.array(list(total.values()))
        else:
            moves = np.asarray(moved, dtype=float) - np.asarray(
                getattr(neutral, channel), dtype=float
            )
            totals = np.asarray(total, dtype=float)
        assert np.all(np.abs(moves) <= rule.cap * (1 + 1e-12)), (
            f"{channel} moves by {np.abs(moves).max():.4g}, beyond its cap {rule.cap}"
        )
        if np.any(np.abs(totals) > rule.cap):
            beyond.append(channel)
    for channel in ("capital_cost_factor", "digital_adoption_multiplier", "entry_multiplier"):
        assert channel in beyond, f"the package's plain sum on {channel} stays under its cap"


def test_saturating_rule_has_diminishing_returns():
    """cap x tanh(s / cap): about the sum for a small lever, concave, bounded by the cap."""
    from growthpole.policy import combine_total

    cap = 0.05
    totals = np.linspace(0.0, 0.5, 51)
    moved = combine_total(totals, "saturating", cap)
    assert combine_total(0.001, "saturating", cap) == pytest.approx(0.001, rel=1e-3)
    steps = np.diff(moved)
    assert np.all(steps > 0) and np.all(np.diff(steps) < 0) and np.all(moved < cap)
    assert combine_total(0.0, "saturating", cap) == 0.0
    assert combine_total(-0.3, "saturating", cap) == pytest.approx(-cap, rel=1e-4)


ZERO_CASES = (
    "integration.hangzhou_travel_time_cut",
    "platforms.binhai_new_area",
    "innovation.talent_programmes",
    "industry.major_ic_projects",
    "business.financing_access",
)
#: platform-capacity levers that move nothing before 2023 while their platform's base land
#: is still vacant (Binhai: 6,400-7,300 of 14,100 亩 occupied in 2020-2022 at this scale)
INERT_WHILE_VACANT = ("platforms.binhai_new_area",)


@pytest.mark.parametrize("lever", ZERO_CASES)
def test_a_lever_with_zero_coefficients_is_the_baseline_bit_for_bit(lever: str):
    """The lever at its upper bound from LEVER_YEAR with every effect coefficient set to 0
    gives the baseline's city-year table exactly (every column, every bit); with its
    catalogue coefficients (gross of the trend and competitor shares) the table differs, so
    the comparison can fail."""
    zero = {
        name: 0.0
        for name in LEVERS[lever].coefficient_names()
        if COEFFICIENTS[name].role == "effect"
    }
    schedule = {lever: {LEVER_YEAR: LEVERS[lever].upper}}

    def run(levers: dict, coefficients: dict) -> pd.DataFrame:
        spec = build_scenario(
            {
                "name": "zero-test",
                "start_year": START,
                "end_year": 2022,
                "replications": 1,
                "seed": 41,
                "scale": {"people_per_agent": 20_000, "workers_per_firm_agent": 10},
                "levers": levers,
                "lever_coefficients": coefficients,
            }
        )
        return GrowthPoleModel(spec, replication_seeds(spec.seed, 1)[0]).run()

    baseline = run({}, {})
    pd.testing.assert_frame_equal(run(schedule, zero), baseline, check_exact=True)
    if lever in INERT_WHILE_VACANT:
        # a known limitation (docs/model.md §11): the base-year platforms start without
        # firms, so extra capacity changes nothing until their base land is occupied; this
        # fails, as it should, once the limitation is removed (then drop the lever here)
        assert run(schedule, GROSS).equals(baseline)
        return
    assert not run(schedule, GROSS).equals(baseline)


def test_coefficients_are_set_in_scenarios_and_checked():
    """lever_coefficients override the catalogue; unknown names and values outside the
    prior's support are refused with the key named."""
    from growthpole.errors import ScenarioError

    base = {
        "name": "coefficient-test",
        "start_year": 2019,
        "end_year": 2021,
        "levers": {"business.financing_access": 0.1},
    }
    name = "business.financing_access.capital_cost"
    doubled = build_scenario({**base, "lever_coefficients": {name: -2.0}})
    default = build_scenario(base)
    a = policy_for_year(default.levers, 2020, coefficients=default.lever_coefficients)
    b = policy_for_year(doubled.levers, 2020, coefficients=doubled.lever_coefficients)
    assert np.all(b.capital_cost_factor[:N_SHAOXING] < a.capital_cost_factor[:N_SHAOXING])
    with pytest.raises(ScenarioError, match="unknown lever coefficient") as error:
        build_scenario({**base, "lever_coefficients": {"business.financing_access.x": 1.0}})
    assert "lever_coefficients.business.financing_access.x" in str(error.value)
    with pytest.raises(ScenarioError, match="support"):
        build_scenario({**base, "lever_coefficients": {"business.tax_fee_cuts.cost": 1.5}})
    assert (
        default.content_hash() == build_scenario({**base, "lever_coefficients": {}}).content_hash()
    )


def test_sweeps_vary_coefficients():
    """A sweep factor `coefficient:` sets the coefficient in each variant's scenario."""
    from growthpole.experiments.sweep import build_sweep

    name = "business.financing_access.capital_cost"
    sweep = build_sweep(
        {
            "name": "coefficient-sweep",
            "scenario": {
                "name": "s",
                "start_year": 2019,
                "end_year": 2021,
                "levers": {"business.financing_access": 0.1},
            },
            "design": {"method": "grid"},
            "factors": [{"coefficient": name, "values": [-0.5, -1.5]}],
        }
    )
    design = sweep.design_table()
    values = [
        sweep.variant_scenario(row, i).lever_coefficients[name]
        for i, row in enumerate(design[[name]].to_numpy())
    ]
    assert sorted(values) == [-1.5, -0.5]


def test_pillar_files_union_is_the_full_strategy():
    """scenarios/full_strategy.yaml sets exactly the union of the six pillar scenarios'
    levers with the same schedules; no lever is in two pillar files, and each pillar file
    holds only levers of its pillar."""
    from growthpole.levers import PILLARS
    from growthpole.scenario import load_scenario

    full = load_scenario(ROOT / "scenarios" / "full_strategy.yaml")
    union: dict[str, object] = {}
    for pillar in PILLARS:
        scenario = load_scenario(ROOT / "scenarios" / f"{pillar}.yaml")
        for key, schedule in scenario.levers.items():
            assert key not in union, f"{key} is in two pillar files"
            assert LEVERS[key].pillar == pillar, f"{key} in {pillar}.yaml is {LEVERS[key].pillar}"
            union[key] = schedule
    assert union == dict(full.levers)


def test_budget_costs_and_a_binding_budget():
    """Costs follow the cost records (capital on increases, per unit a year, share of value
    added), and a binding budget delivers the costly levers pro rata so that the year's
    cost equals the room; a lever without cost is delivered in full."""
    from growthpole.fiscal import BudgetTracker, Economy, lever_cost
    from growthpole.levers import coefficient_values
    from growthpole.regions import SECTORS

    economy = Economy(gdp=6000.0, value_added=tuple(100.0 for _ in SECTORS))
    values = coefficient_values()
    key = "platforms.binhai_new_area"
    unit = values[f"{key}.cost"] * (1 - values[f"{key}.in_trend"])
    assert lever_cost(key, 0.5, 0.2, economy, values) == pytest.approx(0.3 * unit)
    assert lever_cost(key, 0.2, 0.5, economy, values) == 0.0
    tax = "business.tax_fee_cuts"
    share = values[f"{tax}.cost"] * (1 - values[f"{tax}.in_trend"])
    assert lever_cost(tax, 0.02, 0.02, economy, values) == pytest.approx(
        0.02 * share * 100.0 * len(SECTORS)
    )
    assert lever_cost("business.most_one_trip", 1.0, 0.0, economy, values) == 0.0
    levers = {key: {2020: 1.0}, "business.most_one_trip": {2020: 1.0}}
    free = build_scenario({"name": "b", "start_year": 2019, "end_year": 2021, "levers": levers})
    tight = build_scenario(
        {
            "name": "b",
            "start_year": 2019,
            "end_year": 2021,
            "levers": levers,
            "budget": {"binding": True, "lever_share": 0.01},
        }
    )
    loose, bound = BudgetTracker(free), BudgetTracker(tight)
    delivered_free = loose.step(2020, economy)
    delivered = bound.step(2020, economy)
    year = bound.years[-1]
    assert delivered_free[key] == 1.0 and year.scale < 1.0
    assert delivered[key] == pytest.approx(year.scale)
    assert delivered["business.most_one_trip"] == 1.0
    assert sum(year.costs.values()) == pytest.approx(year.room)
    assert sum(loose.years[-1].costs.values()) > year.room


def test_a_binding_budget_run_reports_the_costs_it_paid():
    """A short run with a binding budget: the fiscal report replayed from city_year shows
    costs within the room every year, and the binding run differs from the free one."""
    from growthpole.fiscal import fiscal_summary

    def spec(budget: dict | None) -> object:
        data = {
            "name": "budget-run",
            "start_year": START,
            "end_year": 2022,
            "replications": 1,
            "seed": 43,
            "scale": {"people_per_agent": 20_000, "workers_per_firm_agent": 10},
            "levers": {
                "platforms.binhai_new_area": {2020: 0.5, 2021: 1.0},
                "business.financing_access": {2020: 0.15},
            },
        }
        if budget:
            data["budget"] = budget
        return build_scenario(data)

    tight = spec({"binding": True, "lever_share": 0.001})
    frame = GrowthPoleModel(tight, replication_seeds(tight.seed, 1)[0]).run()
    frame_free = GrowthPoleModel(spec(None), replication_seeds(43, 1)[0]).run()
    summary = fiscal_summary(tight, frame)
    room = 0.001 * summary.expenditure
    assert np.all(summary.cost_total <= room * (1 + 1e-9))
    assert np.any(summary.budget_scale < 1.0)
    assert not frame.equals(frame_free)


def test_prior_draws_are_valid_scenario_coefficients():
    """Draws from every prior (the calibration engine's proposals) pass the scenario checks,
    are reproducible from the seed, and have a finite prior density."""
    from growthpole.levers import log_prior, sample_coefficients

    draws = sample_coefficients(np.random.default_rng(5))
    assert draws == sample_coefficients(np.random.default_rng(5))
    assert set(draws) == set(COEFFICIENTS)
    scenario = build_scenario(
        {"name": "draw", "start_year": 2019, "end_year": 2021, "lever_coefficients": draws}
    )
    assert scenario.lever_coefficients == draws
    assert np.isfinite(log_prior(draws))


def test_the_direction_tests_can_reach_their_family_wise_level():
    """Each config has enough pairs for a one-sided Wilcoxon test to reach SIGNIFICANCE at
    all (smallest p = 2^-R when every pair moves the right way); else a test of that config
    could never pass and the family-wise level would be a fiction."""
    used = {effect.config for _, effect in CASES} - {"mechanism"}
    for config in used:
        pairs = CONFIGS[config][2]
        smallest = float(stats.wilcoxon(np.arange(1.0, pairs + 1), alternative="greater").pvalue)
        assert smallest < SIGNIFICANCE / 10, (config, pairs, smallest, SIGNIFICANCE)


EXTRA_PRIORS = (
    Prior("normal", (("mean", -0.3), ("sd", 0.7))),
    Prior("lognormal", (("median", 0.02), ("sigma", 0.9))),
    Prior("beta", (("a", 2.5), ("b", 7.0))),
    Prior("uniform", (("low", -1.0), ("high", 3.0))),
)


@pytest.mark.parametrize("size", [None, 5])
def test_prior_sampling_is_scipy_rvs_bit_for_bit(size: int | None):
    """Prior.sample draws what scipy.stats' rvs draws from the same generator: the same type,
    the same bytes and the same generator state afterwards, for every prior of the catalogue
    and one of each family (the fast sampler must not change any posterior draw)."""
    priors = [coefficient.prior for coefficient in COEFFICIENTS.values()] + list(EXTRA_PRIORS)
    assert {prior.family for prior in priors} == {"normal", "lognormal", "beta", "uniform"}
    ours, theirs = np.random.default_rng(11), np.random.default_rng(11)
    for prior in priors:
        mine = prior.sample(ours, size)
        reference = prior.distribution().rvs(size=size, random_state=theirs)
        assert type(mine) is type(reference), prior.describe()
        assert np.asarray(mine).tobytes() == np.asarray(reference).tobytes(), prior.describe()
        assert np.shape(mine) == np.shape(reference)
    assert ours.bit_generator.state == theirs.bit_generator.state
