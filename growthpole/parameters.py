"""Structural parameters of the model, with units and provenance.

Every parameter has a symbol (as in docs/model.md), a unit, a default, a plausible range
(used by validation and as default calibration bounds) and a *source*: a cited estimate
from the literature, "data" (computed from data/ at initialisation), "assumed" (a modelling
choice, stated as such) or "calibrated" (estimated by ``growthpole calibrate`` against
history; the default is then the shipped calibration's value or a starting guess).

Parameters are distinct from policy levers (:mod:`growthpole.levers`): parameters describe
the economy, levers describe the policy.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

import numpy as np

from growthpole.errors import ScenarioError


@dataclass(frozen=True)
class ParameterSpec:
    """Metadata of one structural parameter."""

    name: str
    symbol: str
    meaning: str
    unit: str
    default: float
    lower: float
    upper: float
    source: str


_SPECS: tuple[ParameterSpec, ...] = (
    # --- production (mechanisms/production.py) ---
    ParameterSpec(
        "capital_elasticity",
        "α",
        "output elasticity of capital",
        "1",
        0.40,
        0.2,
        0.6,
        "Bai, Hsieh & Qian (2006) capital share in China ≈ 0.4-0.5",
    ),
    ParameterSpec(
        "skilled_labour_elasticity",
        "β_s",
        "output elasticity of skilled labour",
        "1",
        0.20,
        0.05,
        0.4,
        "assumed: skilled share of labour income ~40% of 0.5",
    ),
    ParameterSpec(
        "unskilled_labour_elasticity",
        "β_u",
        "output elasticity of unskilled labour",
        "1",
        0.30,
        0.1,
        0.5,
        "assumed; α+β_s+β_u=0.9 (span of control, Lucas 1978)",
    ),
    ParameterSpec(
        "market_access_elasticity",
        "φ",
        "elasticity of firm revenue TFP to market access",
        "1",
        0.15,
        0.0,
        0.4,
        "Redding & Venables (2004): 0.1-0.3",
    ),
    ParameterSpec(
        "trade_cost_per_hour",
        "κ",
        "iceberg trade cost per hour of travel time",
        "1/h",
        0.30,
        0.05,
        1.0,
        "assumed; gravity distance decay (Head & Mayer 2014)",
    ),
    ParameterSpec(
        "nonmodelled_growth_deviation",
        "δ_ω",
        "proportional deviation of the non-modelled (primary-sector) GDP growth from its "
        "data trend: (1 + g^Z_r,t) = e^{g_t} (1 + ĝ_ω,r)(1 + δ_ω), g_t the national real "
        "log growth (growthpole/national.py), ĝ_ω,r the trend estimated from the yearbook "
        "primary shares (growthpole/inputs.py nonmodelled_component, docs/model.md §5.10)",
        "1/yr",
        0.0,
        -0.05,
        0.05,
        "data: 0 = the trend of the published primary shares (its standard error, ≈0.35 "
        "pp/yr for Shaoxing on 2005-2019, is reported by nonmodelled_component); a non-zero "
        "value is a sensitivity or regime, not an estimate",
    ),
    ParameterSpec(
        "gdp_deflator_inflation",
        "π",
        "inflation of the corridor's GDP deflator above "
        "the national deflator: (1 + π_t) = e^{p_t} (1 + π), p_t the national deflator "
        "log growth (growthpole/national.py)",
        "1/yr",
        0.0,
        -0.04,
        0.04,
        "calibrated (city deflators are not published; NBS national deflator from "
        "data/national_accounts.csv)",
    ),
    ParameterSpec(
        "tfp_dispersion",
        "σ_A",
        "std. dev. of log TFP across firm agents at start and entry",
        "1",
        0.10,
        0.0,
        0.5,
        "assumed: a firm agent aggregates many firms, so "
        "its dispersion is far below the firm-level 0.6-0.9 of Hsieh & Klenow (2009)",
    ),
    # --- TFP growth (mechanisms/productivity.py) ---
    ParameterSpec(
        "tfp_drift",
        "g_A",
        "exogenous log TFP growth common to every firm agent "
        "above the national path: g_A,t = g_A + (1 - α) g_t, g_t the national real "
        "log growth (growthpole/national.py), so that with g_A = 0 a firm sector on "
        "its balanced growth path grows with the nation",
        "1/yr",
        0.0,
        -0.06,
        0.04,
        "calibrated",
    ),
    ParameterSpec(
        "hangzhou_tfp_premium",
        "g_A^HZ",
        "log TFP growth of Hangzhou's firm agents above the common drift g_A",
        "1/yr",
        0.0,
        -0.03,
        0.05,
        "calibrated: the pole's own trend (headquarters, platform economy, state "
        "investment: not modelled); 2005-2019 Hangzhou's GDP grew ~5x against "
        "Shaoxing's ~4x",
    ),
    ParameterSpec(
        "ningbo_tfp_premium",
        "g_A^NB",
        "log TFP growth of Ningbo's firm agents above the common drift g_A",
        "1/yr",
        0.0,
        -0.03,
        0.05,
        "calibrated: the pole's own trend (port, petrochemicals: not modelled)",
    ),
    ParameterSpec(
        "shanghai_tfp_premium",
        "g_A^SH",
        "log TFP growth of Shanghai's firm agents above the common drift g_A",
        "1/yr",
        0.0,
        -0.03,
        0.05,
        "calibrated: the pole's own trend (finance, headquarters: not modelled)",
    ),
    ParameterSpec(
        "tfp_shock_sd",
        "σ_ε",
        "std. dev. of idiosyncratic annual log TFP shocks",
        "1",
        0.03,
        0.0,
        0.2,
        "assumed; below firm-level 0.05-0.15 since agents aggregate firms",
    ),
    ParameterSpec(
        "rd_return",
        "ρ",
        "return of R&D intensity on TFP growth",
        "1",
        0.25,
        0.0,
        0.6,
        "Griliches (1992); Hall, Mairesse & Mohnen (2010): 0.2-0.3",
    ),
    ParameterSpec(
        "agglomeration_elasticity",
        "γ",
        "elasticity of TFP to same-sector employment in the region",
        "1",
        0.04,
        0.0,
        0.1,
        "Ciccone & Hall (1996); Combes & Gobillon (2015): 0.02-0.06",
    ),
    ParameterSpec(
        "spillover_rate",
        "λ",
        "annual catch-up rate toward the corridor poles' TFP",
        "1/yr",
        0.03,
        0.0,
        0.15,
        "calibrated; Nelson-Phelps catch-up",
    ),
    ParameterSpec(
        "spillover_decay_hours",
        "τ_s",
        "travel time over which knowledge spillovers decay by 1/e",
        "h",
        1.0,
        0.25,
        4.0,
        "assumed; Keller (2002) distance decay",
    ),
    # --- labour and migration (mechanisms/labour.py, mechanisms/migration.py) ---
    ParameterSpec(
        "commuting_wage_elasticity",
        "ε",
        "elasticity of commuting flows to the "
        "workplace wage (logit / Fréchet shape of workplace preferences)",
        "1",
        4.0,
        2.0,
        7.0,
        "Ahlfeldt, Redding, Sturm & Wolf (2015): 6.69 (Berlin); Monte, "
        "Redding & Rossi-Hansberg (2018): 3.30 (US counties); midpoint",
    ),
    ParameterSpec(
        "commuting_time_cost",
        "ν",
        "semi-elasticity of commuting flows to travel time",
        "1/h",
        4.2,
        1.0,
        8.0,
        "Ahlfeldt et al. (2015): κε ≈ 0.07 per minute of travel time",
    ),
    ParameterSpec(
        "commuting_city_cost",
        "κ_c",
        "logit cost of commuting across a city boundary (hukou, social insurance, information)",
        "1",
        3.98,
        0.0,
        10.0,
        "calibrated to the sourced cross-city commuting of data/commuting.csv: "
        "Hangzhou-Shaoxing two-way ≈ 3万 (1-6万) in 2019 (docs/model.md §7.6); "
        "5.157 gave 0.92万 on the 2019 network (no look-ahead), so "
        "κ_c = 5.157 - ln(3 / 0.925)",
    ),
    ParameterSpec(
        "commuting_district_cost",
        "κ_d",
        "logit cost of commuting across a district boundary inside a city",
        "1",
        2.817,
        0.0,
        8.0,
        "calibrated to cross-district commuting of 1-6% of resident workers "
        "(Ningbo Planning Institute mobile-phone study, data/commuting.csv)",
    ),
    ParameterSpec(
        "same_city_full_share",
        "z̄",
        "same-city lever value z_rw at which the "
        "city-boundary commuting cost between the pair is removed entirely",
        "1",
        0.4,
        0.05,
        2.0,
        "judgement (flagged): the Keqiao lever at full strength (z = 0.04) "
        "removes a tenth of the boundary cost (about 1.6x the commuting)",
    ),
    ParameterSpec(
        "enclave_shenzhen_pool_ratio",
        "r_SZ",
        "skilled workers of Shenzhen reachable "
        "by talent enclaves, relative to Shanghai's and Hangzhou's together",
        "1",
        0.5,
        0.0,
        2.0,
        "assumed",
    ),
    ParameterSpec(
        "migration_consideration_rate",
        "μ",
        "share of people who reconsider their region each year",
        "1/yr",
        0.05,
        0.0,
        0.2,
        "assumed; China inter-city migration flows ≈ 2-5% of population per year",
    ),
    ParameterSpec(
        "migration_wage_weight",
        "β_w",
        "logit weight on log real wage",
        "1",
        2.0,
        0.0,
        6.0,
        "calibrated; spatial equilibrium literature 1-4",
    ),
    ParameterSpec(
        "migration_housing_weight",
        "β_h",
        "logit weight on log housing cost",
        "1",
        0.6,
        0.0,
        3.0,
        "assumed; housing share of spending ≈ 0.2-0.3 times β_w",
    ),
    ParameterSpec(
        "moving_cost_per_hour",
        "m",
        "logit moving cost per hour of travel time",
        "1/h",
        1.0,
        0.0,
        5.0,
        "assumed",
    ),
    ParameterSpec(
        "moving_fixed_cost",
        "m_0",
        "logit fixed cost of moving",
        "1",
        2.0,
        0.0,
        6.0,
        "assumed; hukou and social ties",
    ),
    ParameterSpec(
        "housing_supply_elasticity",
        "η",
        "elasticity of housing cost to population",
        "1",
        0.63,
        0.2,
        2.0,
        "Chow & Niu (2015, Pacific Economic Review 20(1)): urban "
        "China's "
        "housing-stock supply elasticity ≈ 0.5 and price elasticity of demand ≈ -1.1, "
        "so h ∝ N^(1/(0.5+1.1)); Saiz (2010) US metros: inverse supply elasticity "
        "0.3-1.5",
    ),
    ParameterSpec(
        "skilled_share",
        "s_H",
        "base-year share of skilled people in each region's "
        "labour force (overridden per region when data/ has it)",
        "1",
        0.20,
        0.05,
        0.5,
        "assumed: tertiary-educated share of Zhejiang's labour force ≈ 0.2",
    ),
    ParameterSpec(
        "participation_rate",
        "p",
        "employed people per resident",
        "1",
        0.60,
        0.4,
        0.8,
        "assumed: employment/resident population in Zhejiang ≈ 0.6",
    ),
    # --- firms (mechanisms/firms.py, mechanisms/relocation.py) ---
    ParameterSpec(
        "depreciation_rate",
        "δ",
        "capital depreciation",
        "1/yr",
        0.08,
        0.03,
        0.15,
        "Bai, Hsieh & Qian (2006); Zhang (2008): 0.06-0.10",
    ),
    ParameterSpec(
        "interest_rate",
        "r",
        "real cost of capital before policy",
        "1/yr",
        0.08,
        0.02,
        0.15,
        "assumed; with α and δ it implies K/Y = α/(r+δ) = 2.5, in line "
        "with Bai, Hsieh & Qian (2006) for China",
    ),
    ParameterSpec(
        "investment_adjustment",
        "ψ",
        "share of the gap to desired capital closed per year",
        "1/yr",
        0.3,
        0.05,
        1.0,
        "assumed; partial adjustment",
    ),
    ParameterSpec(
        "entry_rate",
        "e",
        "entrants per incumbent firm agent per year at neutral business environment",
        "1/yr",
        0.06,
        0.0,
        0.2,
        "calibrated",
    ),
    ParameterSpec(
        "exit_rate",
        "x",
        "base exit probability per year",
        "1/yr",
        0.05,
        0.0,
        0.2,
        "calibrated; Brandt, Van Biesebroeck & Zhang (2012) exit rates 5-10%",
    ),
    ParameterSpec(
        "exit_profit_sensitivity",
        "ξ",
        "rise of the exit log-odds per unit of negative profit margin",
        "1",
        4.0,
        0.0,
        20.0,
        "assumed",
    ),
    ParameterSpec(
        "relocation_consideration_rate",
        "ν",
        "share of firm agents that reconsider their location each year",
        "1/yr",
        0.02,
        0.0,
        0.2,
        "assumed: inter-city relocation of "
        "firms is rare; a firm agent moves as a whole, so rarer moves also keep the "
        "lumpiness of whole-agent moves in check",
    ),
    ParameterSpec(
        "relocation_profit_weight",
        "β_π",
        "logit weight on log expected profit",
        "1",
        3.0,
        0.0,
        10.0,
        "assumed",
    ),
    ParameterSpec(
        "relocation_fixed_cost",
        "f_0",
        "logit fixed cost of relocating",
        "1",
        4.0,
        0.0,
        10.0,
        "assumed",
    ),
    ParameterSpec(
        "relocation_distance_cost",
        "f_t",
        "relocation cost per hour of travel time between origin and destination, in units of f_0",
        "1/h",
        0.5,
        0.0,
        3.0,
        "assumed",
    ),
    ParameterSpec(
        "capital_salvage_share",
        "s_K",
        "share of an exiting firm agent's capital taken over by the surviving firms of its region",
        "1",
        0.5,
        0.0,
        1.0,
        "assumed; recovery rates of industrial assets in liquidation ≈ 0.3-0.6",
    ),
    ParameterSpec(
        "entry_crowding",
        "ε_c",
        "share of the mechanical output gain from more firm "
        "agents that is removed (business stealing in a local market); 1 = no gain",
        "1",
        1.0,
        0.0,
        1.0,
        "assumed: conservative; 0 gives the Lucas (1978) span-of-control gain n^(1-α-β)",
    ),
    ParameterSpec(
        "fixed_cost_share",
        "F",
        "overhead of a firm agent per year, share of its "
        "region's base-year mean value added per firm agent; indexed to wages",
        "1",
        0.05,
        0.0,
        0.2,
        "assumed; management expenses of Chinese industrial firms "
        "≈ 5% of value added. Makes crowding lower margins (free entry, Hopenhayn 1992)",
    ),
    ParameterSpec(
        "land_rent_share",
        "l",
        "base-year land rent as a share of value added",
        "1",
        0.03,
        0.0,
        0.1,
        "assumed; industrial land prices in Zhejiang",
    ),
    # --- land and platforms (mechanisms/land.py, mechanisms/platforms.py) ---
    ParameterSpec(
        "construction_land_headroom",
        "h",
        "construction land still free for firms "
        "in the base year, share of the land they and the platforms use",
        "1",
        0.10,
        0.0,
        1.0,
        "judgement (flagged): district 国土空间规划 quotas are not in data/",
    ),
    ParameterSpec(
        "construction_land_growth",
        "g_L",
        "annual growth of the construction-land quota for firms",
        "1/yr",
        0.015,
        0.0,
        0.06,
        "judgement (flagged): new "
        "construction land in Zhejiang is capped by the provincial quota system; "
        "about 1-2% of the stock a year",
    ),
    ParameterSpec(
        "land_bottom_share",
        "s_L",
        "share of Shaoxing firm agents flagged by the 亩均 evaluation in each region",
        "1",
        0.2,
        0.0,
        0.5,
        "assumed (a quintile)",
    ),
    ParameterSpec(
        "land_upgrade_rate",
        "u_L",
        "upgrade probability of a flagged firm per unit of 亩均 pressure",
        "1/yr",
        0.3,
        0.0,
        1.0,
        "assumed",
    ),
    ParameterSpec(
        "land_upgrade_tfp_gain",
        "g_L^u",
        "log TFP gain of a 亩均 upgrade",
        "1",
        0.03,
        0.0,
        0.2,
        "assumed",
    ),
    ParameterSpec(
        "land_exit_rate",
        "x_L",
        "exit probability of a flagged firm per unit of 亩均 pressure",
        "1/yr",
        0.1,
        0.0,
        0.5,
        "assumed",
    ),
    ParameterSpec(
        "platform_placement_probability",
        "p_P",
        "probability that an eligible entrant or relocating firm settles in a platform",
        "1",
        0.5,
        0.0,
        1.0,
        "assumed",
    ),
    ParameterSpec(
        "platform_quality_star_gain",
        "s_q",
        "star-rating points per unit of the platform-quality lever",
        "1",
        5.0,
        0.0,
        10.0,
        "assumed",
    ),
    ParameterSpec(
        "platform_subsidy_rank_weight",
        "w_s",
        "weight of the subsidy (share of VA) "
        "against star points when a firm ranks eligible platforms",
        "1",
        10.0,
        0.0,
        100.0,
        "assumed",
    ),
    # --- environment (mechanisms/production.py, mechanisms/environment.py) ---
    ParameterSpec(
        "upgraded_intensity_threshold",
        "θ_e",
        "emission intensity below which a "
        "polluting firm counts as upgraded, share of its sector's base intensity",
        "1",
        0.75,
        0.1,
        1.0,
        "assumed",
    ),
    ParameterSpec(
        "upgraded_compliance_share",
        "c_u",
        "share of the compliance cost an upgraded polluting firm still bears",
        "1",
        0.3,
        0.0,
        1.0,
        "assumed",
    ),
    ParameterSpec(
        "cluster_cost_share",
        "c_cl",
        "cost of staying outside the dyeing/chemical "
        "clusters per unit of the cluster lever, share of VA",
        "1",
        0.015,
        0.0,
        0.1,
        "assumed",
    ),
    # --- environment, digital ---
    ParameterSpec(
        "emission_intensity_polluting",
        "ε_p",
        "emissions per 亿元 of value added, "
        "textiles-dyeing and chemicals, relative to other industry",
        "1",
        4.0,
        1.0,
        10.0,
        "assumed; Zhejiang COD/VOCs intensity by sector, order of magnitude",
    ),
    ParameterSpec(
        "digital_tfp_gain",
        "g_d",
        "one-off log TFP gain from intelligent/digital transformation",
        "1",
        0.08,
        0.0,
        0.3,
        "assumed; Zhejiang 'machine for man' evaluations report 10-20% labour productivity gains",
    ),
    ParameterSpec(
        "digital_adoption_rate",
        "a_d",
        "base annual adoption probability of digital transformation",
        "1/yr",
        0.03,
        0.0,
        0.2,
        "assumed",
    ),
    ParameterSpec(
        "institute_tfp_effect",
        "ρ_I",
        "log TFP growth added per industry research "
        "institute to the firms of its sector in Shaoxing",
        "1/yr",
        0.003,
        0.0,
        0.02,
        "assumed; provincial evaluations of 一个产业一个研究院",
    ),
    ParameterSpec(
        "platform_tfp_bonus",
        "b_P",
        "log TFP bonus of firms located in a platform whose sector focus matches theirs",
        "1",
        0.05,
        0.0,
        0.2,
        "assumed; Zheng et al. (2017) Chinese industrial parks raise TFP ~5-10%",
    ),
    ParameterSpec(
        "external_inflow_rate",
        "ι",
        "declared net inflow of people into the corridor "
        "from the rest of China, share of its population per year",
        "1/yr",
        0.01,
        0.0,
        0.04,
        "calibrated; corridor resident population growth 2010-2019 ≈ 1-2%/yr",
    ),
    ParameterSpec(
        "land_mu_per_capital",
        "ℓ",
        "land used per 亿元 of capital",
        "mu/亿元",
        15.0,
        1.0,
        60.0,
        "assumed; Zhejiang industrial land output ≈ 100-200万元 tax per mu",
    ),
    ParameterSpec(
        "entrant_tfp_discount",
        "d_e",
        "log TFP gap of entrants to incumbents of their region and sector",
        "1",
        0.10,
        0.0,
        0.5,
        "assumed; Foster, Haltiwanger & Syverson (2008)",
    ),
    ParameterSpec(
        "upgrade_capex_share",
        "k_u",
        "capital outlay of an environmental or digital upgrade, share of the firm's capital",
        "1",
        0.10,
        0.0,
        0.5,
        "assumed",
    ),
)

PARAMETER_SPECS: dict[str, ParameterSpec] = {spec.name: spec for spec in _SPECS}


#: parameters read afresh by the mechanisms every year, which may therefore change value at a
#: regime break (the deflator too: the price level is cumulative, P_t = P_{t-1} (1 + π_t), in
#: growthpole/model.py; not migration_wage_weight: base-year amenities are solved for migration
#: equilibrium under it; not initial-condition parameters either)
REGIME_PARAMETERS = (
    "tfp_drift",
    "hangzhou_tfp_premium",
    "ningbo_tfp_premium",
    "shanghai_tfp_premium",
    "rd_return",
    "spillover_rate",
    "nonmodelled_growth_deviation",
    "entry_rate",
    "exit_rate",
    "external_inflow_rate",
    "tfp_shock_sd",
    "agglomeration_elasticity",
    "gdp_deflator_inflation",
)


@dataclass(frozen=True)
class ModelParameters:
    """Values of all structural parameters (see :data:`PARAMETER_SPECS` for meaning and units)."""

    capital_elasticity: float = PARAMETER_SPECS["capital_elasticity"].default
    skilled_labour_elasticity: float = PARAMETER_SPECS["skilled_labour_elasticity"].default
    unskilled_labour_elasticity: float = PARAMETER_SPECS["unskilled_labour_elasticity"].default
    market_access_elasticity: float = PARAMETER_SPECS["market_access_elasticity"].default
    trade_cost_per_hour: float = PARAMETER_SPECS["trade_cost_per_hour"].default
    nonmodelled_growth_deviation: float = PARAMETER_SPECS["nonmodelled_growth_deviation"].default
    gdp_deflator_inflation: float = PARAMETER_SPECS["gdp_deflator_inflation"].default
    tfp_dispersion: float = PARAMETER_SPECS["tfp_dispersion"].default
    tfp_drift: float = PARAMETER_SPECS["tfp_drift"].default
    hangzhou_tfp_premium: float = PARAMETER_SPECS["hangzhou_tfp_premium"].default
    ningbo_tfp_premium: float = PARAMETER_SPECS["ningbo_tfp_premium"].default
    shanghai_tfp_premium: float = PARAMETER_SPECS["shanghai_tfp_premium"].default
    tfp_shock_sd: float = PARAMETER_SPECS["tfp_shock_sd"].default
    rd_return: float = PARAMETER_SPECS["rd_return"].default
    agglomeration_elasticity: float = PARAMETER_SPECS["agglomeration_elasticity"].default
    spillover_rate: float = PARAMETER_SPECS["spillover_rate"].default
    spillover_decay_hours: float = PARAMETER_SPECS["spillover_decay_hours"].default
    commuting_wage_elasticity: float = PARAMETER_SPECS["commuting_wage_elasticity"].default
    commuting_time_cost: float = PARAMETER_SPECS["commuting_time_cost"].default
    commuting_city_cost: float = PARAMETER_SPECS["commuting_city_cost"].default
    commuting_district_cost: float = PARAMETER_SPECS["commuting_district_cost"].default
    same_city_full_share: float = PARAMETER_SPECS["same_city_full_share"].default
    enclave_shenzhen_pool_ratio: float = PARAMETER_SPECS["enclave_shenzhen_pool_ratio"].default
    migration_consideration_rate: float = PARAMETER_SPECS["migration_consideration_rate"].default
    migration_wage_weight: float = PARAMETER_SPECS["migration_wage_weight"].default
    migration_housing_weight: float = PARAMETER_SPECS["migration_housing_weight"].default
    moving_cost_per_hour: float = PARAMETER_SPECS["moving_cost_per_hour"].default
    moving_fixed_cost: float = PARAMETER_SPECS["moving_fixed_cost"].default
    housing_supply_elasticity: float = PARAMETER_SPECS["housing_supply_elasticity"].default
    skilled_share: float = PARAMETER_SPECS["skilled_share"].default
    participation_rate: float = PARAMETER_SPECS["participation_rate"].default
    depreciation_rate: float = PARAMETER_SPECS["depreciation_rate"].default
    interest_rate: float = PARAMETER_SPECS["interest_rate"].default
    investment_adjustment: float = PARAMETER_SPECS["investment_adjustment"].default
    entry_rate: float = PARAMETER_SPECS["entry_rate"].default
    exit_rate: float = PARAMETER_SPECS["exit_rate"].default
    exit_profit_sensitivity: float = PARAMETER_SPECS["exit_profit_sensitivity"].default
    relocation_consideration_rate: float = PARAMETER_SPECS["relocation_consideration_rate"].default
    relocation_profit_weight: float = PARAMETER_SPECS["relocation_profit_weight"].default
    relocation_fixed_cost: float = PARAMETER_SPECS["relocation_fixed_cost"].default
    relocation_distance_cost: float = PARAMETER_SPECS["relocation_distance_cost"].default
    capital_salvage_share: float = PARAMETER_SPECS["capital_salvage_share"].default
    entry_crowding: float = PARAMETER_SPECS["entry_crowding"].default
    fixed_cost_share: float = PARAMETER_SPECS["fixed_cost_share"].default
    land_rent_share: float = PARAMETER_SPECS["land_rent_share"].default
    construction_land_headroom: float = PARAMETER_SPECS["construction_land_headroom"].default
    construction_land_growth: float = PARAMETER_SPECS["construction_land_growth"].default
    land_bottom_share: float = PARAMETER_SPECS["land_bottom_share"].default
    land_upgrade_rate: float = PARAMETER_SPECS["land_upgrade_rate"].default
    land_upgrade_tfp_gain: float = PARAMETER_SPECS["land_upgrade_tfp_gain"].default
    land_exit_rate: float = PARAMETER_SPECS["land_exit_rate"].default
    platform_placement_probability: float = PARAMETER_SPECS[
        "platform_placement_probability"
    ].default
    platform_quality_star_gain: float = PARAMETER_SPECS["platform_quality_star_gain"].default
    platform_subsidy_rank_weight: float = PARAMETER_SPECS["platform_subsidy_rank_weight"].default
    upgraded_intensity_threshold: float = PARAMETER_SPECS["upgraded_intensity_threshold"].default
    upgraded_compliance_share: float = PARAMETER_SPECS["upgraded_compliance_share"].default
    cluster_cost_share: float = PARAMETER_SPECS["cluster_cost_share"].default
    emission_intensity_polluting: float = PARAMETER_SPECS["emission_intensity_polluting"].default
    digital_tfp_gain: float = PARAMETER_SPECS["digital_tfp_gain"].default
    digital_adoption_rate: float = PARAMETER_SPECS["digital_adoption_rate"].default
    institute_tfp_effect: float = PARAMETER_SPECS["institute_tfp_effect"].default
    platform_tfp_bonus: float = PARAMETER_SPECS["platform_tfp_bonus"].default
    external_inflow_rate: float = PARAMETER_SPECS["external_inflow_rate"].default
    land_mu_per_capital: float = PARAMETER_SPECS["land_mu_per_capital"].default
    entrant_tfp_discount: float = PARAMETER_SPECS["entrant_tfp_discount"].default
    upgrade_capex_share: float = PARAMETER_SPECS["upgrade_capex_share"].default

    @property
    def labour_elasticity(self) -> float:
        """β_s + β_u, total labour elasticity."""
        return self.skilled_labour_elasticity + self.unskilled_labour_elasticity

    @property
    def returns_to_scale(self) -> float:
        """α + β_s + β_u; must be below 1 (decreasing returns per firm agent)."""
        return self.capital_elasticity + self.labour_elasticity

    def replace(self, **changes: float) -> ModelParameters:
        """A copy with some values changed (validated)."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values.update(changes)
        return make_parameters(values)

    def as_dict(self) -> dict[str, float]:
        return {f.name: float(getattr(self, f.name)) for f in fields(self)}


def on_national_path(
    params: ModelParameters, real_log_growth: float, deflator_log_growth: float
) -> ModelParameters:
    """The parameters of one year given the national path (the national closure,
    docs/model.md §5.9): tfp_drift, nonmodelled_growth_deviation and gdp_deflator_inflation are
    declared relative to the nation; this returns their values for a year in which the
    national real and deflator log growth are ``real_log_growth`` and
    ``deflator_log_growth`` (1/yr)."""
    return replace(
        params,
        tfp_drift=params.tfp_drift + (1.0 - params.capital_elasticity) * real_log_growth,
        nonmodelled_growth_deviation=float(
            np.exp(real_log_growth) * (1.0 + params.nonmodelled_growth_deviation) - 1.0
        ),
        gdp_deflator_inflation=float(
            np.exp(deflator_log_growth) * (1.0 + params.gdp_deflator_inflation) - 1.0
        ),
    )


def make_parameters(
    values: dict[str, float], *, file: str | None = None, prefix: str = "parameters"
) -> ModelParameters:
    """Build validated :class:`ModelParameters` from a mapping; unknown names or values
    outside their range raise :class:`ScenarioError` naming the key and the allowed range."""
    checked: dict[str, float] = {}
    for name, value in values.items():
        spec = PARAMETER_SPECS.get(name)
        if spec is None:
            allowed = ", ".join(sorted(PARAMETER_SPECS))
            raise ScenarioError(
                f"unknown parameter; allowed: {allowed}", file=file, key=f"{prefix}.{name}"
            )
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ScenarioError(
                f"must be a number in [{spec.lower}, {spec.upper}] {spec.unit}, got {value!r}",
                file=file,
                key=f"{prefix}.{name}",
            )
        value = float(value)
        if not (spec.lower <= value <= spec.upper):
            raise ScenarioError(
                f"{value} is outside the allowed range [{spec.lower}, {spec.upper}] ({spec.unit})",
                file=file,
                key=f"{prefix}.{name}",
            )
        checked[name] = value
    params = ModelParameters(**checked)
    if params.returns_to_scale >= 1.0:
        raise ScenarioError(
            f"capital_elasticity + skilled_labour_elasticity + "
            f"unskilled_labour_elasticity must be < 1 (decreasing returns), got "
            f"{params.returns_to_scale:.3f}",
            file=file,
            key=prefix,
        )
    return params
