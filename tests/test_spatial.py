"""The spatial core of issue 15: commuting constrained at both ends, productivity that
belongs to places, a base year that is an equilibrium for firms, the siphon effect, the
land quota and independence of the results from the agent resolution."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from growthpole.data import data_dir
from growthpole.mechanisms import labour, production, relocation
from growthpole.mechanisms.base import StepContext
from growthpole.model import GrowthPoleModel
from growthpole.regions import HANGZHOU, N_REGIONS, N_SHAOXING, REGION_INDEX
from growthpole.runner import simulate
from growthpole.seeds import replication_seeds

from .conftest import ROOT, tiny_scenario

#: Shaoxing's base-year net cross-city in-commuting, 万 workers: the range estimated in
#: docs/model.md §7.6 from the sourced corridor figures of data/commuting.csv (no direct
#: Hangzhou-Shaoxing count was found; two-way 1-6万, in/out ratio of Shanghai's 1.5-2)
NET_IN_COMMUTING_RANGE = (-3.0, 1.0)
#: Hangzhou<->Shaoxing two-way commuters, 万 (same estimate)
HANGZHOU_SHAOXING_RANGE = (1.0, 6.0)


def _context(model: GrowthPoleModel, switches: dict | None = None) -> StepContext:
    return StepContext(
        model.state, model.params, model.policy, np.random.SeedSequence(7), switches or {}
    )


@pytest.fixture(scope="module")
def base_model():
    return GrowthPoleModel(tiny_scenario(), np.random.SeedSequence(11))


def test_commuting_csv_rows_are_sourced():
    frame = pd.read_csv(data_dir() / "commuting.csv")
    assert list(frame.columns[:4]) == ["origin", "destination", "year", "commuters_10k"]
    assert frame.source.str.contains("http").all()
    assert (frame.commuters_10k.notna() | frame.share_of_workers.notna()).all()


def test_base_year_commuting_is_within_the_sourced_range(base_model):
    frame = base_model.city_year()
    shaoxing = frame[(frame.region == "shaoxing") & (frame.year == 2019)].iloc[0]
    net = shaoxing.city_commuters_in - shaoxing.city_commuters_out
    assert NET_IN_COMMUTING_RANGE[0] <= net <= NET_IN_COMMUTING_RANGE[1]
    context = _context(base_model)
    supply = labour.labour_supply(context)
    _workers, shares = labour.commuting_equilibrium(
        supply,
        labour.region_log_scale(context),
        base_model.state.regions.commuting_fundamental,
        base_model.state.regions.hours,
        base_model.params,
        np.zeros((N_REGIONS, N_REGIONS)),
    )
    flows = (supply[:, :, None] * shares).sum(axis=0) / 1e4
    two_way = flows[HANGZHOU, :N_SHAOXING].sum() + flows[:N_SHAOXING, HANGZHOU].sum()
    assert HANGZHOU_SHAOXING_RANGE[0] <= two_way <= HANGZHOU_SHAOXING_RANGE[1]


def test_commuting_is_constrained_at_both_ends(base_model):
    """Origin: every resident worker works somewhere. Destination: jobs at a workplace are
    the workers it receives, at the wage that equals their marginal product there."""
    context = _context(base_model)
    params = base_model.params
    supply = labour.labour_supply(context)
    log_scale = labour.region_log_scale(context)
    hours = base_model.state.regions.hours * 0.5  # off the calibrated point
    workers, shares = labour.commuting_equilibrium(
        supply,
        log_scale,
        base_model.state.regions.commuting_fundamental,
        hours,
        params,
        np.zeros((N_REGIONS, N_REGIONS)),
    )
    np.testing.assert_allclose(shares.sum(axis=2), 1.0, rtol=1e-12)
    np.testing.assert_allclose(workers, np.einsum("sr,srw->sw", supply, shares), rtol=1e-9)
    np.testing.assert_allclose(workers.sum(), supply.sum(), rtol=1e-12)
    # the wages the shares were formed with are the marginal products of these workers
    log_wage = labour.workplace_log_wages(workers, log_scale, params)
    again = labour.commuting_shares(
        log_wage,
        base_model.state.regions.commuting_fundamental,
        hours,
        params,
        np.zeros((N_REGIONS, N_REGIONS)),
    )
    np.testing.assert_allclose(again, shares, atol=1e-9)


@pytest.mark.parametrize("elasticity, skilled", [(7.0, 0.05), (4.0, 0.25), (2.0, 0.4)])
def test_commuting_fixed_point_converges_when_commuting_is_free(base_model, elasticity, skilled):
    """With no boundary costs and cheap travel, the undamped map's slope is about
    -ε (1 - β_s) (most workers commute): at ε (1 - β_s) > 3 a fixed step of 1/2 oscillated
    with a growing amplitude (residual 30 in ln L at the edge of PARAMETER_SPECS). The
    returned workers must solve [C1]-[C2] to the stated tolerance."""
    context = _context(base_model)
    params = base_model.params.__class__(
        **{
            **base_model.params.as_dict(),
            "commuting_wage_elasticity": elasticity,
            "skilled_labour_elasticity": skilled,
            "unskilled_labour_elasticity": 0.125,
            "capital_elasticity": 0.5,
            "commuting_city_cost": 0.0,
            "commuting_district_cost": 0.0,
            "commuting_time_cost": 1.0,
        }
    )
    supply = labour.labour_supply(context)
    log_scale = labour.region_log_scale(context)
    fundamental = np.zeros((2, N_REGIONS))
    hours = base_model.state.regions.hours
    zero = np.zeros((N_REGIONS, N_REGIONS))
    workers, _shares = labour.commuting_equilibrium(
        supply, log_scale, fundamental, hours, params, zero
    )
    log_wage = labour.workplace_log_wages(workers, log_scale, params)
    again = np.einsum(
        "sr,srw->sw", supply, labour.commuting_shares(log_wage, fundamental, hours, params, zero)
    )
    residual = np.abs(np.log(again) - np.log(workers)).max()
    assert residual < 1e-9, f"fixed point residual {residual:.3g} in ln L"
    np.testing.assert_allclose(workers.sum(), supply.sum(), rtol=1e-12)


def test_base_year_jobs_equal_resident_workers_and_wages_follow_output(base_model):
    context = _context(base_model)
    supply = labour.labour_supply(context)
    workers = labour.workers_by_workplace(context)
    np.testing.assert_allclose(workers, supply, rtol=1e-9)
    # Hangzhou/Shaoxing wage ratio = ratio of firm value added per resident worker
    regions = base_model.state.regions
    employment = supply.sum(axis=0)
    va = regions.firm_gdp_last
    expected = (va[HANGZHOU] / employment[HANGZHOU]) / (
        va[:N_SHAOXING].sum() / employment[:N_SHAOXING].sum()
    )
    wage = (regions.wages * supply).sum(axis=0) / employment
    ratio = wage[HANGZHOU] / (np.average(wage[:N_SHAOXING], weights=employment[:N_SHAOXING]))
    assert ratio == pytest.approx(expected, rel=0.02)
    assert 1.0 < ratio < 1.5


def test_faster_links_raise_commuting_and_the_same_city_lever_acts_on_its_pair(base_model):
    context = _context(base_model)
    params = base_model.params
    supply = labour.labour_supply(context)
    log_scale = labour.region_log_scale(context)
    fundamental = base_model.state.regions.commuting_fundamental
    hours = base_model.state.regions.hours
    keqiao = REGION_INDEX["keqiao"]

    def flow(hours, same_city):
        _w, shares = labour.commuting_equilibrium(
            supply, log_scale, fundamental, hours, params, same_city
        )
        flows = (supply[:, :, None] * shares).sum(axis=0)
        return flows[keqiao, HANGZHOU] + flows[HANGZHOU, keqiao]

    zero = np.zeros((N_REGIONS, N_REGIONS))
    faster = hours.copy()
    faster[keqiao, HANGZHOU] *= 0.5
    faster[HANGZHOU, keqiao] *= 0.5
    assert flow(faster, zero) > 1.5 * flow(hours, zero)
    same_city = zero.copy()
    same_city[keqiao, HANGZHOU] = same_city[HANGZHOU, keqiao] = 0.04
    gain = flow(hours, same_city) / flow(hours, zero)
    assert 1.1 < gain < 3.0  # a tenth of the boundary cost removed (docs/model.md §7.6)


def test_a_relocating_firm_keeps_its_own_tfp_and_takes_the_place_tfp_of_its_new_region():
    # no crowding term: it depends on the firm counts, which the move itself changes
    model = GrowthPoleModel(
        tiny_scenario(parameters={"entry_crowding": 0.0}), np.random.SeedSequence(3)
    )
    state = model.state
    firms = state.firms
    context = _context(model, {"agglomeration": False})
    row = int(
        np.flatnonzero(
            (firms.region == REGION_INDEX["zhuji"]) & (firms.platform < 0) & (firms.digital == 0)
        )[0]
    )
    # the location value of the relocation logit sees the place's TFP (base year: no
    # agglomeration gain anywhere yet)
    place = state.regions.place_log_tfp
    values = relocation.location_values(context, np.array([row]))[0]
    wages = np.log(state.regions.wages)
    params = model.params
    profit_index = (
        place
        + params.market_access_elasticity * np.log(state.regions.market_access)
        - params.skilled_labour_elasticity * wages[1]
        - params.unskilled_labour_elasticity * wages[0]
    ) / (1.0 - params.labour_elasticity)
    np.testing.assert_allclose(values - values[0], profit_index - profit_index[0], atol=1e-9)
    own = float(firms.log_tfp[row])
    before = production.effective_log_tfp(context)[row]
    firms.region[row] = HANGZHOU
    after = production.effective_log_tfp(context)[row]
    assert firms.log_tfp[row] == own
    expected = place[HANGZHOU] - place[REGION_INDEX["zhuji"]]
    assert after - before == pytest.approx(expected, abs=1e-12)


def test_relocation_prices_a_location_with_the_wedge_production_charges():
    """Production and relocation compute a firm's profit with one policy wedge: under
    compliance costs and cluster pressure, production's τ_i of a firm in Shaoxing is the
    region's subsidies and cuts less the firm's own costs (upgraded firms paying the share
    c_u), and two firms of one sector and region that differ in those costs differ in their
    relocation value exactly by ln(1 + τ) in every Shaoxing unit and not at all outside."""
    scenario = tiny_scenario(
        end_year=2024,
        levers={
            "green.air_pollution_control": 0.05,
            "green.zero_discharge_zones": 0.05,
            "industry.dyeing_chemical_clusters": 1.0,
        },
    )
    model = GrowthPoleModel(scenario, np.random.SeedSequence(4))
    for _ in range(4):
        model.step()
    state, firms = model.state, model.state.firms
    context = _context(model)
    rows = np.flatnonzero(
        firms.live
        & (firms.region < N_SHAOXING)
        & (firms.platform < 0)
        & state.polluting_sector[firms.sector.astype(np.int64)]
    )
    sector = firms.sector[rows].astype(np.int64)
    region = firms.region[rows].astype(np.int64)
    policy = model.policy
    base = (
        policy.sector_subsidy[region, sector]
        + policy.profit_tax_cut[region]
        + policy.regulation_cost_cut[region]
    )
    costs = production.shaoxing_policy_costs(context, rows)
    taus = production.policy_wedge(context)[rows]
    np.testing.assert_allclose(base - costs, taus, rtol=0, atol=1e-12)
    upgraded = production.upgraded_firms(context, rows)
    compliance = np.asarray(policy.compliance_cost)[sector]
    assert (compliance > 0).all()
    # a pair of firms, same sector and region, with different costs
    key = sector * N_REGIONS + region
    pair = next(
        (i, j)
        for i in range(len(rows))
        for j in range(i + 1, len(rows))
        if key[i] == key[j] and abs(costs[i] - costs[j]) > 1e-6
    )
    i, j = pair
    values = relocation.location_values(context, rows[[i, j]])
    beta = model.params.labour_elasticity
    gap = (values[0] - values[1]) * (1.0 - beta)
    cells = policy.sector_subsidy[:, sector[i]] + policy.profit_tax_cut + policy.regulation_cost_cut
    expected = np.log(np.maximum(1.0 + cells - costs[i], 1e-3)) - np.log(
        np.maximum(1.0 + cells - costs[j], 1e-3)
    )
    expected[N_SHAOXING:] = 0.0
    np.testing.assert_allclose(gap, expected, atol=1e-12)
    own = region[i]
    assert gap[own] == pytest.approx(np.log1p(taus[i]) - np.log1p(taus[j]), abs=1e-12)
    # the upgraded share applies: an upgraded firm's costs are below a non-upgraded one's
    # an upgraded firm pays the share c_u of the compliance cost (hand computation): make the
    # first candidate clean enough to count as upgraded, on the same state
    assert not upgraded[0]
    firms.emission_intensity[rows[0]] = 0.0
    assert production.upgraded_firms(context, rows[:1])[0]
    cluster = model.params.cluster_cost_share * policy.cluster_concentration
    expected_cost = model.params.upgraded_compliance_share * compliance[0] + (
        cluster if firms.clustered[rows[0]] == 0 else 0.0
    )
    assert production.shaoxing_policy_costs(context, rows[:1])[0] == pytest.approx(
        expected_cost, abs=1e-15
    )
    assert production.policy_wedge(context)[rows[0]] == pytest.approx(
        base[0] - expected_cost, abs=1e-12
    )


def test_base_year_is_an_equilibrium_for_firms(base_model):
    """With no policy change the expected relocation flows are zero in every region, and in
    seeded simulations with every firm reconsidering its location each year the realised
    net flows of the first year average zero (tolerance: 4 standard errors)."""
    context = _context(base_model)
    counts = np.bincount(base_model.state.firms.region.astype(np.int64), minlength=N_REGIONS)
    expected = relocation.expected_net_relocations(context)
    assert np.all(np.abs(expected) <= 1e-8 * counts)
    scenario = tiny_scenario(
        end_year=2020, replications=1, parameters={"relocation_consideration_rate": 0.2}
    )
    net = []
    for seed in replication_seeds(77, 16):
        model = GrowthPoleModel(scenario, seed)
        model.step()
        regions = model.state.regions
        net.append(
            regions.relocations_in[:N_SHAOXING].sum() - regions.relocations_out[:N_SHAOXING].sum()
        )
    net = np.array(net)
    standard_error = max(net.std(ddof=1), 1.0) / np.sqrt(len(net))
    assert abs(net.mean()) <= 4.0 * standard_error


def test_without_the_place_fix_firms_would_flow_into_shaoxing(base_model):
    """The check above has power: if place TFP is left out of the location value (firms
    carrying their home region's productivity, the old model), the expected flows are not
    zero."""
    context = _context(base_model)
    regions = base_model.state.regions
    saved = regions.place_log_tfp.copy()
    try:
        regions.place_log_tfp = np.zeros(N_REGIONS)
        expected = relocation.expected_net_relocations(context)
    finally:
        regions.place_log_tfp = saved
    counts = np.bincount(base_model.state.firms.region.astype(np.int64), minlength=N_REGIONS)
    assert np.max(np.abs(expected) / counts) > 1e-3


SIPHON = {
    "hangzhou_tfp_premium": 0.03,
    "market_access_elasticity": 0.0,
    "spillover_rate": 0.0,
    "relocation_consideration_rate": 0.2,
    "relocation_distance_cost": 3.0,
    "moving_cost_per_hour": 5.0,
}


@pytest.mark.slow
def test_better_access_to_hangzhou_can_pull_firms_and_talent_out_of_shaoxing():
    """The siphon effect (Qin 2017; Faber 2014): with a growing Hangzhou premium, no market
    access or knowledge gain, and location costs that rise with travel time, halving the
    Shaoxing-Hangzhou travel time leaves Shaoxing with fewer firm agents and residents."""
    base = tiny_scenario(end_year=2030, replications=1, parameters=SIPHON)
    cut = tiny_scenario(
        end_year=2030,
        replications=1,
        parameters=SIPHON,
        levers={"integration.hangzhou_travel_time_cut": 0.5},
    )
    firms, people = [], []
    for index, seed in enumerate(replication_seeds(5, 4)):
        a = simulate(base, seed, replication=index)
        b = simulate(cut, seed, replication=index)
        row = (a.region == "shaoxing") & (a.year == 2030)
        firms.append(float(b[row].firm_agents.iloc[0] - a[row].firm_agents.iloc[0]))
        people.append(float(b[row].population.iloc[0] - a[row].population.iloc[0]))
    assert np.mean(firms) < 0
    assert np.mean(people) < 0


def test_land_quota_binds_entry_and_platform_expansion():
    scenario = tiny_scenario(
        end_year=2021,
        parameters={"construction_land_headroom": 0.0, "construction_land_growth": 0.0},
    )
    model = GrowthPoleModel(scenario, np.random.SeedSequence(5))
    state = model.state
    quota = state.regions.land_quota_mu
    np.testing.assert_allclose(quota, state.regions.base_land_mu)
    context = _context(model)
    region = state.firms.region.astype(np.int64)
    sector = state.firms.sector.astype(np.int64)
    expected = np.ones((N_REGIONS, 9))
    from growthpole.mechanisms.firms import entry_land_factor

    factor = entry_land_factor(context, expected, region, sector, state.firms.live)
    # with no headroom the quota binds entry wherever no vacant platform land is left;
    # vacant base-year platform land (open platforms start at their base capacity) is land
    # entrants can take, so a unit with enough of it is not bound
    platforms = state.platforms
    vacant = np.bincount(
        platforms.region.astype(np.int64),
        weights=np.maximum(platforms.capacity_mu - platforms.used_mu, 0.0),
        minlength=N_REGIONS,
    )[:N_REGIONS]
    assert np.all(factor <= 1.0) and factor[:N_SHAOXING].min() < 1.0
    unbound = np.flatnonzero(factor[:N_SHAOXING] >= 1.0)
    assert np.all(vacant[unbound] > 0), (factor, vacant)
    loose = GrowthPoleModel(tiny_scenario(end_year=2021), np.random.SeedSequence(5))
    loose_factor = entry_land_factor(
        _context(loose), expected, region, sector, loose.state.firms.live
    )
    assert np.all(loose_factor >= factor)
    # platform expansion: with no free quota a full development lever adds no capacity,
    # with the default headroom it does
    levers = {"platforms.binhai_new_area": 1.0}

    def capacity(parameters):
        model = GrowthPoleModel(
            tiny_scenario(end_year=2021, levers=levers, parameters=parameters),
            np.random.SeedSequence(5),
        )
        before = model.state.platforms.capacity_mu.sum()
        model.step()
        return before, model.state.platforms.capacity_mu.sum()

    before, tight = capacity({"construction_land_headroom": 0.0, "construction_land_growth": 0.0})
    _, loose = capacity({})
    assert tight <= before * (1 + 1e-12)
    assert loose > tight


#: the shipped scale (scenarios/*.yaml: 2000 people per agent, 10 talent agents per firm
#: agent) and two finer ones: twice the people resolution, and twice the firm resolution
RESOLUTIONS = (
    {"people_per_agent": 2000, "workers_per_firm_agent": 10},
    {"people_per_agent": 1000, "workers_per_firm_agent": 10},
    {"people_per_agent": 2000, "workers_per_firm_agent": 5},
)
#: relative tolerance on the median 2030 GDP across resolutions; absolute tolerance on the
#: full-strategy effect (percentage points), about 3 Monte Carlo standard errors of the
#: difference of two resolutions' means at REPLICATIONS replications (measured standard
#: errors 0.3-0.5 pp at 48 replications), and the largest standard error a resolution may
#: have, relative to its mean effect, for the comparison to mean anything
GDP_TOLERANCE = 0.03
EFFECT_TOLERANCE = 1.5
EFFECT_MAX_RELATIVE_STANDARD_ERROR = 0.02
REPLICATIONS = 48


@pytest.mark.slow
def test_results_do_not_depend_on_the_resolution():
    """Shaoxing's 2030 median GDP and the full-strategy effect on it agree at the shipped
    scale and at two finer ones (the scenarios' calibration, point parameters, catalogue
    coefficients; the same 24 replication seeds at every resolution).

    Measured (2026-12-04, seeds 9, 48 replications, after the non-modelled part came from
    data): effect 33.4 ± 0.5 / 33.7 ± 0.3 / 33.2 ± 0.3 % and GDP 10,092 / 9,992 / 9,976
    亿元 (before it, at 24 replications: 17.8 ± 0.4 / 17.6 ± 0.3 / 17.4 ± 0.2 %, 8,269 /
    8,273 / 8,232; the larger effect has the larger spread, hence 48 replications and a
    relative bound on the standard error). Coarser than shipped, the model was not
    converged (previous core: at 4,000 people per agent the effect was 19.2 ± 0.7 %, at 20
    talent agents per firm agent 19.2 ± 0.6 %: fewer firm agents overstated it by ~1.5 pp),
    which is why the page runs at
    the CLI's scale (issue 19)."""
    from growthpole.scenario import load_scenario

    baseline = load_scenario(ROOT / "scenarios" / "baseline.yaml")
    strategy = load_scenario(ROOT / "scenarios" / "full_strategy.yaml")
    medians, means, errors = [], [], []
    for scale in RESOLUTIONS:
        base = baseline.with_changes(uncertainty=None, end_year=2030, scale=scale)
        full = strategy.with_changes(uncertainty=None, end_year=2030, scale=scale)
        gdp, effect = [], []
        for index, seed in enumerate(replication_seeds(9, REPLICATIONS)):
            a = simulate(base, seed, replication=index)
            b = simulate(full, seed, replication=index)
            row = (a.region == "shaoxing") & (a.year == 2030)
            gdp.append(float(a[row].gdp.iloc[0]))
            effect.append(100 * (float(b[row].gdp.iloc[0]) / float(a[row].gdp.iloc[0]) - 1))
        medians.append(float(np.median(gdp)))
        means.append(float(np.mean(effect)))
        errors.append(float(np.std(effect, ddof=1) / np.sqrt(REPLICATIONS)))
    assert max(medians) / min(medians) - 1 < GDP_TOLERANCE, medians
    relative = [error / abs(mean) for error, mean in zip(errors, means, strict=True)]
    assert max(relative) < EFFECT_MAX_RELATIVE_STANDARD_ERROR, (means, errors, medians)
    assert max(means) - min(means) < EFFECT_TOLERANCE, (means, errors)
