"""GrowthPoleModel: the Mesa model that owns the columnar state and steps it one year at a
time.

The model is a pure function of (scenario, replication seed): it never reads the clock, the
environment or global random state. Agents live in NumPy tables (growthpole.state); the
Mesa agents of growthpole.agents are views, registered in ``model.agents`` when it is read
(one per live agent, removed on exit), never on the hot path. The yearly order of mechanisms
is :data:`growthpole.schedule.SCHEDULE`; docs/model.md documents each.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from functools import lru_cache

import mesa
import numpy as np
import pandas as pd

from growthpole import data as data_module
from growthpole import national as national_module
from growthpole.errors import ModelInvariantError, ScenarioError
from growthpole.geography import base_travel_hours, market_access
from growthpole.levers import LEVERS, policy_for_year
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
    talent_counts,
)
from growthpole.outcomes import EMPLOYMENT_WEIGHTED
from growthpole.parameters import ModelParameters, on_national_path
from growthpole.policy import PolicyChannels
from growthpole.regions import (
    N_REGIONS,
    N_SECTORS,
    N_SHAOXING,
    POLLUTING_SECTORS,
    REGION_INDEX,
    REGIONS,
    SECTOR_INDEX,
    SECTORS,
    SKILLED,
    UNSKILLED,
)
from growthpole.scenario import LAST_YEAR, Scenario, load_scenario
from growthpole.schedule import SCHEDULE, SUB_TERM_SWITCHES, Schedule
from growthpole.seeds import INITIAL_STATE, YEARS, generator, replication_seeds, substream
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
DEFAULT_RD_INTENSITY = 0.02  # R&D/GDP where data/ has no value (assumed; Zhejiang ≈ 2.5%)


class GrowthPoleModel(mesa.Model):
    """Firms, talent and platforms in Shaoxing's six units and the corridor poles.

    Built as a Mesa user expects (Mesa 3.3 conventions)::

        model = GrowthPoleModel("scenarios/baseline.yaml", seed=1)
        while model.running:          # False once the scenario's end year is reached
            model.step()              # one year
        model.datacollector.get_model_vars_dataframe()

    and ``mesa.batch_run(GrowthPoleModel, {"scenario": path, "innovation.talent_programmes":
    [0, 0.5]}, iterations=3)`` runs it (a seedless model draws fresh entropy, so iterations
    differ, as in Mesa).

    Parameters
    ----------
    scenario:
        a validated :class:`~growthpole.scenario.Scenario`, or the path of a scenario YAML.
    seed_sequence:
        this replication's SeedSequence (from :func:`growthpole.seeds.replication_seeds`;
        what the runner passes).
    seed:
        Mesa-style root seed: the model is then replication ``replication`` of
        ``growthpole run --seed <seed>`` (the same child SeedSequence, hence the same
        city-year table).
    rng:
        Mesa-style alternative to ``seed``: an int (as ``seed``), a SeedSequence (used as
        the replication's), or a NumPy Generator/BitGenerator (entropy drawn from it).
        With none of seed_sequence, seed and rng the model draws fresh OS entropy, recorded
        in ``model.seed_sequence`` so that the run can be repeated.
    parameters:
        structural parameters; default: the scenario's (defaults, calibration, overrides).
    parameter_regimes:
        year -> structural parameters from that year on (the step that produces the year):
        a regime break as a parameter schedule (the calibration's ``name@YEAR`` values).
        Only parameters the mechanisms read every year may change (spec.REGIME_PARAMETERS);
        the base year is built with ``parameters``.
    switches:
        mechanism name -> False to switch it off (reduction tests;
        :data:`growthpole.schedule.SWITCHABLE`).
    schedule:
        the year's steps (default :data:`growthpole.schedule.SCHEDULE`; a schedule
        experiment or a test may pass one with a step added or removed).
    check_invariants:
        check NaN/negative stocks/people conservation every step (on by default).
    replication:
        replication index (written to the city-year table; selects the child of ``seed``).
    agent_reporters, agenttype_reporters:
        added to the built-in :attr:`datacollector` (Mesa DataCollector arguments); by
        default it has the model reporters of :data:`MODEL_REPORTERS` only, so collecting
        never builds agent views.
    **overrides:
        lever keys of the catalogue (``innovation.talent_programmes=0.5``, or with ``__``
        for the dot: ``innovation__talent_programmes=0.5``) with a value or a {year: value}
        schedule, and the scenario settings ``end_year``, ``people_per_agent`` and
        ``workers_per_firm_agent``; validated as a scenario file would be.
    """

    def __init__(
        self,
        scenario: Scenario | str | os.PathLike[str],
        seed_sequence: np.random.SeedSequence | None = None,
        *,
        seed: int | None = None,
        rng: object = None,
        parameters: ModelParameters | None = None,
        parameter_regimes: Mapping[int, ModelParameters] | None = None,
        switches: Mapping[str, bool] | None = None,
        schedule: Schedule = SCHEDULE,
        check_invariants: bool = True,
        replication: int = 0,
        agent_reporters: Mapping[str, object] | None = None,
        agenttype_reporters: Mapping[type, Mapping[str, object]] | None = None,
        **overrides: object,
    ) -> None:
        scenario = resolve_scenario(scenario, overrides)
        seed_sequence = resolve_seed_sequence(seed_sequence, seed, rng, replication)
        super().__init__(rng=generator(seed_sequence, INITIAL_STATE, 99))
        self.scenario = scenario
        # replication r's structural parameters and lever coefficients: the scenario's, or
        # its draws θ_k, β_j when it declares an `uncertainty:` block (growthpole.uncertainty)
        from growthpole.uncertainty import replication_input

        drawn = replication_input(scenario, seed_sequence, replication)
        self.params = parameters or drawn.parameters
        self.parameter_regimes = dict(sorted((parameter_regimes or {}).items()))
        for first_year, regime in self.parameter_regimes.items():
            if not (
                isinstance(first_year, int)
                and scenario.start_year < first_year <= scenario.end_year
                and isinstance(regime, ModelParameters)
            ):
                raise ValueError(
                    f"parameter_regimes: {first_year!r} -> {type(regime).__name__}; allowed: "
                    f"a year in {scenario.start_year + 1}..{scenario.end_year} (the first "
                    f"simulated year of the regime) -> ModelParameters"
                )
        self.lever_coefficients = drawn.lever_coefficients
        self.parameter_draw, self.coefficient_draw = drawn.parameter_draw, drawn.coefficient_draw
        self.seed_sequence = seed_sequence
        self.replication = replication
        self.schedule = schedule
        self.switches = dict(switches or {})
        allowed = (*schedule.switches, *SUB_TERM_SWITCHES)
        unknown = set(self.switches) - set(allowed)
        if unknown:
            raise ValueError(f"unknown mechanism switch(es) {sorted(unknown)}; allowed: {allowed}")
        self.check_invariants = check_invariants
        self.year = scenario.start_year
        # the national closure: one path of real and deflator growth per replication
        # (growthpole/national.py), realised through the information date, simulated after
        # (switch "national_path" off: zero national growth and inflation, so that the
        # relative parameters act as absolute ones: the reduction tests' hand computations)
        years = range(scenario.start_year + 1, scenario.end_year + 1)
        if self.switches.get("national_path", True):
            self.national = national_module.national_path(
                seed_sequence, years, information_year=scenario.national_information_year()
            )
            trailing = national_module.trailing_growth(scenario.start_year)
        else:
            self.national = np.zeros((len(years), 2))
            trailing = (0.0, 0.0)
        #: the parameters the base year was built with (on the trailing national growth)
        self.initial_parameters = on_national_path(self.params, *trailing)
        self.state = initial_state(scenario, self.initial_parameters, seed_sequence, self.switches)
        self.records: list[dict[str, np.ndarray]] = []
        self.budget = None  # a binding municipal budget (growthpole.fiscal), if any
        if scenario.budget is not None and scenario.budget.binding:
            from growthpole.fiscal import BudgetTracker

            self.budget = BudgetTracker(scenario)
        self.policy = policy_for_year(
            scenario.levers,
            self.year,
            scenario.start_year,
            coefficients=self.lever_coefficients,
        )
        self._record()
        from growthpole.agents import AgentViews

        self._views = AgentViews(self)
        self.running = self.year < scenario.end_year
        self.datacollector = mesa.DataCollector(
            model_reporters={name: reporter for name, (reporter, _unit) in MODEL_REPORTERS.items()},
            agent_reporters=dict(agent_reporters or {}),
            agenttype_reporters=dict(agenttype_reporters or {}),
        )
        self.datacollector.collect(self)

    # ---- stepping -----------------------------------------------------------------------
    def step(self) -> None:
        """Advance one year: policy, then the steps of the schedule, then accounting;
        then the datacollector collects, and ``running`` turns False at the end year."""
        if self.year >= self.scenario.end_year:
            raise ScenarioError(
                f"the scenario ends in {self.scenario.end_year}; the model does "
                f"not step past its end year (model.running is False); set a "
                f"later end_year (at most {LAST_YEAR}) to simulate further",
                file=self.scenario.source_path,
                key="end_year",
            )
        self._advance()
        self.running = self.year < self.scenario.end_year
        self.datacollector.collect(self)

    def _advance(self) -> None:
        """One year of the economy (the model's step proper)."""
        self.year += 1
        state = self.state
        state.year = self.year
        # cumulative GDP deflator: P_t = P_{t-1} (1 + π_t), so π may change over time
        params = self.year_parameters(self.year)
        state.price_level = state.price_level * (1.0 + params.gdp_deflator_inflation)
        values = None
        if self.budget is not None:
            from growthpole.fiscal import economy_from_record

            values = self.budget.step(self.year, economy_from_record(self.records[-1]))
        self.policy = policy_for_year(
            self.scenario.levers,
            self.year,
            self.scenario.start_year,
            coefficients=self.lever_coefficients,
            values=values,
        )
        year_seed = substream(self.seed_sequence, YEARS, self.year - state.start_year)
        context = StepContext(
            state, params, self.policy, year_seed, self.switches, self.schedule.streams
        )
        population_before = self._people_by_region()
        self.schedule.run_year(context)
        if self.check_invariants:
            self._check(population_before)
        state.firms.compact()
        self._record()

    def year_parameters(self, year: int) -> ModelParameters:
        """The structural parameters of ``year`` (``self.params``, or the regime of
        ``parameter_regimes`` in force; relative to the nation) on this
        replication's national path in ``year`` (:func:`growthpole.parameters.on_national_path`)."""
        real, deflator = self.national[year - self.scenario.start_year - 1]
        params = self.params
        for first_year, regime in self.parameter_regimes.items():
            if year >= first_year:
                params = regime
        return on_national_path(params, float(real), float(deflator))

    def run(self) -> pd.DataFrame:
        """Step to the scenario's end year; returns :meth:`city_year`."""
        while self.year < self.scenario.end_year:
            self.step()
        return self.city_year()

    # ---- outputs ------------------------------------------------------------------------
    def _record(self) -> None:
        state, regions = self.state, self.state.regions
        firms_table, talent = state.firms, state.talent
        live = firms_table.live
        region = firms_table.region.astype(np.int64)
        firm_va = region_sum(firms_table.value_added, region, live)
        gdp_real = firm_va + regions.nonmodelled_gdp
        firm_count = region_sum(np.ones(firms_table.size), region, live)
        talent_by_skill = talent_counts(talent)  # one bincount over all talent agents
        people = talent_by_skill.sum(axis=0) * state.people_per_agent
        skilled = talent_by_skill[SKILLED] * state.people_per_agent
        sector_va = region_sector_sum(
            firms_table.value_added, region, firms_table.sector.astype(np.int64), live
        )
        platform_used = np.zeros(N_REGIONS)
        if state.platforms.size:
            platform_used = region_sum(
                state.platforms.used_mu, state.platforms.region.astype(np.int64)
            )
        record = {
            "year": np.full(N_REGIONS, self.year),
            "region": np.array(REGIONS),
            "gdp": gdp_real * state.price_level,
            "gdp_real": gdp_real,
            "firm_value_added": firm_va,
            "nonmodelled_gdp": regions.nonmodelled_gdp.copy(),
            "population": people / 1e4,
            "talent_skilled": skilled / 1e4,
            "firm_agents": firm_count,
            "employment": region_sum(firms_table.skilled + firms_table.unskilled, region, live)
            / 1e4,
            "capital": region_sum(firms_table.capital, region, live),
            "wage_skilled": regions.wages[SKILLED] * 1e8,
            "wage_unskilled": regions.wages[UNSKILLED] * 1e8,
            "market_access": regions.market_access.copy(),
            "emissions": regions.emissions.copy(),
            "migration_in": regions.migration_in / 1e4,
            "migration_out": regions.migration_out / 1e4,
            "external_inflow": regions.external_inflow / 1e4,
            **commuting_record(regions),
            "firm_entries": regions.entries.copy(),
            "firm_exits": regions.exits.copy(),
            "relocations_in": regions.relocations_in.copy(),
            "relocations_out": regions.relocations_out.copy(),
            "platform_land_used_mu": platform_used,
            "digital_share": np.divide(
                region_sum(firms_table.digital.astype(float), region, live),
                np.maximum(firm_count, 1),
            ),
        }
        for k, sector in enumerate(SECTORS):
            record[f"va_{sector}"] = sector_va[:, k]
        self.records.append(record)

    def city_year(self) -> pd.DataFrame:
        """One row per (year, region), plus one 'shaoxing' row per year (sum of its six
        units; intensive quantities employment-weighted). Units: gdp, gdp_real, values added
        and capital in 亿元 (gdp current prices, others base-year prices); population,
        talent_skilled, employment and flows of people in 万人; wages in 元/yr; land in 亩."""
        # built in NumPy except one groupby-sum: a DataFrame per year, several groupbys and
        # sort_values were the costliest part of a default-scale run (docs/performance.md);
        # the Shaoxing sums stay pandas' groupby-sum so that values are unchanged
        names = list(self.records[0])
        n_years = len(self.records)
        columns = {name: np.concatenate([r[name] for r in self.records]) for name in names}
        intensive = EMPLOYMENT_WEIGHTED  # growthpole.outcomes: how the shaoxing row sums
        extensive = [n for n in names if n not in ("year", "region", *intensive)]

        def units(name: str) -> np.ndarray:  # (years, six Shaoxing units), flattened
            return columns[name].reshape(n_years, N_REGIONS)[:, :N_SHAOXING].ravel()

        employment = units("employment")
        parts = {name: units(name) for name in extensive}
        parts.update({f"weighted {name}": units(name) * employment for name in intensive})
        years = columns["year"].reshape(n_years, N_REGIONS)[:, 0]
        sums = pd.DataFrame(parts).groupby(np.repeat(years, N_SHAOXING), sort=True).sum()
        total = {name: sums[name].to_numpy() for name in extensive}
        for name in intensive:
            total[name] = (sums[f"weighted {name}"] / sums["employment"]).to_numpy()
        total["year"] = years
        total["region"] = np.full(n_years, "shaoxing")
        merged = {name: np.concatenate([columns[name], total[name]]) for name in names}
        order = np.lexsort((merged["region"], merged["year"]))
        return pd.DataFrame(
            {
                "replication": np.full(len(order), self.replication, np.int64),
                **{name: merged[name][order] for name in names},
            }
        )

    # ---- invariants ----------------------------------------------------------------------
    def _people_by_region(self) -> np.ndarray:
        """(N_REGIONS,) live talent agents by region of residence."""
        talent = self.state.talent
        return np.bincount(talent.region[talent.live].astype(np.int64), minlength=N_REGIONS)

    def _check(self, population_before: np.ndarray) -> None:
        state = self.state
        firms_table = state.firms
        live = firms_table.live
        for name in (
            "log_tfp",
            "capital",
            "skilled",
            "unskilled",
            "value_added",
            "profit",
            "land_mu",
            "emission_intensity",
        ):
            values = getattr(firms_table, name)
            bad = live & ~np.isfinite(values)
            if bad.any():
                region = REGIONS[int(firms_table.region[np.flatnonzero(bad)[0]])]
                raise ModelInvariantError(
                    f"year {self.year}, region {region}: firm {name} is "
                    f"not finite (NaN or infinity)"
                )
            if name in ("capital", "skilled", "unskilled", "value_added", "land_mu"):
                negative = live & (values < 0)
                if negative.any():
                    region = REGIONS[int(firms_table.region[np.flatnonzero(negative)[0]])]
                    raise ModelInvariantError(
                        f"year {self.year}, region {region}: negative firm {name}"
                    )
        for name in ("nonmodelled_gdp", "market_access", "emissions"):
            values = getattr(state.regions, name)
            bad = ~np.isfinite(values) | (values < 0)
            if bad.any():
                raise ModelInvariantError(
                    f"year {self.year}, region "
                    f"{REGIONS[int(np.flatnonzero(bad)[0])]}: {name} is "
                    f"negative or not finite"
                )
        # per region: after = before + migration in - out + declared inflow (agent units)
        regions = state.regions
        flows = np.rint(
            (regions.migration_in - regions.migration_out + regions.external_inflow)
            / state.people_per_agent
        ).astype(np.int64)
        after = self._people_by_region()
        broken = np.flatnonzero(after != population_before + flows)
        if len(broken):
            r = int(broken[0])
            raise ModelInvariantError(
                f"year {self.year}, region {REGIONS[r]}: people not conserved "
                f"({population_before[r]} + {flows[r]} migration and declared inflow != "
                f"{after[r]} talent agents)"
            )

    # ---- Mesa views ------------------------------------------------------------------------
    @property
    def agents(self) -> mesa.agent.AgentSet:
        """Mesa's AgentSet of one view per live agent (firms, talent, platforms), brought in
        line with the tables when read (growthpole.agents.AgentViews)."""
        self._views.sync()
        return super().agents

    @property
    def agents_by_type(self) -> dict[type, mesa.agent.AgentSet]:
        self._views.sync()
        return super().agents_by_type

    @property
    def agent_types(self) -> list[type]:
        self._views.sync()
        return super().agent_types

    def firm_agents(self, limit: int | None = None) -> list:
        """Live firm agents as Mesa views (the registered ones, in id order)."""
        from growthpole.agents import Firm

        return self._views.of_kind(Firm, limit)

    def talent_agents(self, limit: int | None = None) -> list:
        """Live talent agents as Mesa views (the registered ones, in id order)."""
        from growthpole.agents import Talent

        return self._views.of_kind(Talent, limit)

    def platform_agents(self) -> list:
        """Platforms as Mesa views (the registered ones, in id order)."""
        from growthpole.agents import Platform

        return self._views.of_kind(Platform)

    # ---- model reporters (the built-in datacollector) -----------------------------------
    def shaoxing_total(self, column: str) -> float:
        """Sum of a column of the latest yearly record over Shaoxing's six units (the
        city's total; units of the city-year column)."""
        return float(np.sum(self.records[-1][column][:N_SHAOXING]))


#: name -> (reporter, unit) of the built-in datacollector; each reads the latest yearly
#: record (no extra computation on the hot path)
MODEL_REPORTERS: dict[str, tuple[Callable[[GrowthPoleModel], float], str]] = {
    "year": (lambda m: m.year, "calendar year"),
    "shaoxing_gdp": (lambda m: m.shaoxing_total("gdp"), "亿元, current prices"),
    "shaoxing_gdp_real": (lambda m: m.shaoxing_total("gdp_real"), "亿元, base-year prices"),
    "shaoxing_population": (lambda m: m.shaoxing_total("population"), "万人"),
    "shaoxing_employment": (lambda m: m.shaoxing_total("employment"), "万人"),
    "shaoxing_firm_agents": (lambda m: m.shaoxing_total("firm_agents"), "firm agents"),
    "shaoxing_firm_entries": (lambda m: m.shaoxing_total("firm_entries"), "firm agents per year"),
    "shaoxing_firm_exits": (lambda m: m.shaoxing_total("firm_exits"), "firm agents per year"),
    "talent_agents": (lambda m: m.state.talent.count, "talent agents (all regions)"),
}


def resolve_scenario(
    scenario: Scenario | str | os.PathLike[str], overrides: Mapping[str, object]
) -> Scenario:
    """A Scenario from a Scenario or a YAML path, with keyword overrides (lever keys, with
    ``.`` or ``__``; ``end_year``; ``people_per_agent``, ``workers_per_firm_agent``)."""
    if isinstance(scenario, str | os.PathLike):
        scenario = load_scenario(scenario)
    elif not isinstance(scenario, Scenario):
        raise ScenarioError(
            f"scenario must be a Scenario or the path of a scenario YAML, got "
            f"{type(scenario).__name__}",
            key="scenario",
        )
    if not overrides:
        return scenario
    levers: dict[str, object] = dict(scenario.levers)  # validated by with_changes
    scale = scenario.scale.model_dump()
    changes: dict[str, object] = {}
    for name, value in overrides.items():
        key = name if name in LEVERS else name.replace("__", ".")
        if key in LEVERS:
            levers[key] = value
        elif name in scale:
            scale[name] = value
        elif name == "end_year":
            changes[name] = value
        else:
            raise ScenarioError(
                "unknown keyword argument of GrowthPoleModel; allowed: a lever key of "
                "`growthpole levers` (with '.' or '__'), end_year, people_per_agent, "
                "workers_per_firm_agent",
                file=scenario.source_path,
                key=name,
            )
    return scenario.with_changes(levers=levers, scale=scale, **changes)


def resolve_seed_sequence(
    seed_sequence: np.random.SeedSequence | None, seed: int | None, rng: object, replication: int
) -> np.random.SeedSequence:
    """The replication's SeedSequence from the runner's ``seed_sequence`` or Mesa's ``seed``
    / ``rng`` (see :class:`GrowthPoleModel`); fresh OS entropy when none is given."""
    given = [
        name
        for name, value in (("seed_sequence", seed_sequence), ("seed", seed), ("rng", rng))
        if value is not None
    ]
    if len(given) > 1:
        raise ValueError(f"pass one of seed_sequence, seed and rng, not {' and '.join(given)}")
    if seed_sequence is not None:
        return seed_sequence
    if isinstance(rng, np.random.SeedSequence):
        return rng
    if isinstance(rng, np.random.BitGenerator):
        rng = np.random.Generator(rng)
    if isinstance(rng, np.random.Generator):
        entropy = rng.integers(0, 2**63, size=2, dtype=np.int64)
        return np.random.SeedSequence([int(v) for v in entropy])
    value: object = seed if rng is None else rng  # rng: an int, as Mesa's rng=int
    if value is None:
        return np.random.SeedSequence()
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 0:
        raise ValueError(f"seed must be a non-negative integer, got {value!r}")
    return replication_seeds(int(value), replication + 1)[replication]


# ---------------------------------------------------------------------------------------
# initialisation
# ---------------------------------------------------------------------------------------


def base_rd_intensity(
    year: int, information_year: int | None = None
) -> tuple[np.ndarray, list[str]]:
    """R&D/GDP by region: latest published value at or before ``year`` (else nearest, among
    the years <= ``information_year``), Shaoxing's units take Shaoxing's;
    DEFAULT_RD_INTENSITY where none is published."""
    from growthpole.regions import CORRIDOR_CITY_CODES

    table = data_module.visible(data_module.load(data_module.CORRIDOR_INDICATORS), information_year)
    table = table[table.indicator == "rd_spending_share_pct"]
    values = np.full(N_REGIONS, DEFAULT_RD_INTENSITY)
    notes = []
    for name, code in CORRIDOR_CITY_CODES.items():
        rows = table[table.city_code == code]
        if not len(rows):
            notes.append(f"{name}: R&D intensity assumed {DEFAULT_RD_INTENSITY}")
            continue
        distance = (rows.year.astype(int) - year).abs() + 1000 * (rows.year.astype(int) > year)
        best = rows.iloc[int(np.argmin(distance.to_numpy()))]
        value = float(best.value) / 100.0
        targets = range(N_SHAOXING) if name == "shaoxing" else [REGION_INDEX[name]]
        for index in targets:
            values[index] = value
        notes.append(f"{name}: R&D intensity {value:.4f} from {int(best.year)}")
    return values, notes


#: data/platforms.csv describes each platform's kind in words; the model kind (its lever,
#: subsidy and star rating, mechanisms/platforms.py) is the first keyword found in it
PLATFORM_KIND_KEYWORDS: tuple[tuple[str, str], ...] = (
    ("start area", "binhai_new_area"),
    ("万亩千亿", "wanmu_qianyi"),
    ("sci-tech city", "science_city"),
    ("characteristic town", "characteristic_town"),
    ("micro-enterprise park", "micro_enterprise_park"),
    ("bonded", "open_platform"),
    ("pilot zone", "open_platform"),
    ("trade pilot", "open_platform"),
    ("open-cooperation", "open_platform"),
)
#: kinds the source text names for Shaoxing as a whole (no host unit in data/): one platform
#: of the kind's default area in each of the six units (ASSUMED: their count by unit is not
#: in data/), so that their levers act
SPREAD_KINDS = ("characteristic_town", "micro_enterprise_park")
#: rows of data/platforms.csv that are umbrellas over other rows: the Binhai New Area as a
#: whole (430 km²) contains its 47 km² start area and existing zones (Paojiang, the hi-tech
#: zone), which have rows of their own; counting it too would count land twice
UMBRELLA_PLATFORMS = ("binhai_new_area",)
#: share of a platform's land developed in the base year (assumed): the platforms the source
#: text announces as new (Binhai start area, 万亩千亿 platforms) were mostly still to be
#: built in 2019-2020; established zones about half. The levers develop the rest.
BASE_DEVELOPED_SHARE = {"binhai_new_area": 0.2, "wanmu_qianyi": 0.2}


def platform_kind(text: object) -> str:
    """Model kind of a data/platforms.csv row from its ``kind`` text (default
    development_zone)."""
    if isinstance(text, str):
        if text in platform_mechanism.KIND_NAMES:
            return text
        lowered = text.lower()
        for keyword, kind in PLATFORM_KIND_KEYWORDS:
            if keyword in lowered:
                return kind
    return "development_zone"


def initial_platforms(table: PlatformTable, start_year: int) -> None:
    """Platforms from data/platforms.csv; rows without a region or an area are skipped
    (documented), except the SPREAD_KINDS; UMBRELLA_PLATFORMS are skipped (their parts have
    rows). Base capacity is BASE_DEVELOPED_SHARE (default 0.5) of the full area.
    Default areas: a 万亩千亿 platform is 10,000 亩 by
    its name; a characteristic town 3 km² (Zhejiang's planning norm for 特色小镇, 浙政发
    〔2015〕8号: 'about 3 km²'); a micro-enterprise park 0.3 km² (assumed)."""
    frame = data_module.platforms_table()
    kinds = platform_mechanism.KIND_NAMES
    default_area = {
        "characteristic_town": 3.0,
        "micro_enterprise_park": 0.3,
        "wanmu_qianyi": 10_000.0 / platform_mechanism.MU_PER_KM2,
    }
    for row in frame.itertuples(index=False):
        if row.platform_id in UMBRELLA_PLATFORMS:
            continue
        kind = platform_kind(row.kind)
        if isinstance(row.region_id, str) and row.region_id:
            hosts = [row.region_id]
        elif kind in SPREAD_KINDS:
            hosts = list(REGIONS[:N_SHAOXING])
        else:
            continue
        area = row.area_km2 if pd.notna(row.area_km2) else default_area.get(kind)
        if area is None:
            continue
        mask = 0
        for sector in filter(None, str(row.sector_focus or "").split(";")):
            mask |= 1 << SECTOR_INDEX[sector.strip()]
        if mask == 0:
            mask = (1 << N_SECTORS) - 1
        full = float(area) * platform_mechanism.MU_PER_KM2
        opening = int(row.opening_year) if pd.notna(row.opening_year) else start_year
        subsidy, star = platform_mechanism.PLATFORM_KINDS[kind]
        base_capacity = BASE_DEVELOPED_SHARE.get(kind, 0.5) * full
        for host in hosts:
            # a platform open in the base year has its base capacity (base-year land, part of
            # the quota's L_r^0 in mechanisms/land.py [L1]); a later one starts empty and
            # expands within the free quota [L2]
            table.add(
                1,
                region=REGION_INDEX[host],
                kind=kinds.index(kind),
                capacity_mu=base_capacity if opening <= start_year else 0.0,
                used_mu=0.0,
                base_capacity_mu=base_capacity,
                full_capacity_mu=full,
                sector_mask=mask,
                opening_year=opening,
                subsidy=subsidy,
                star=star,
            )


def _data_fingerprint() -> tuple:
    """(data directory, (path, mtime, size) of every file in it and in its imported/): the
    key under which :func:`data_inputs` caches what it read."""
    directory = data_module.data_dir()
    entries = []
    for folder in (directory, directory / "imported"):
        try:
            with os.scandir(folder) as iterator:
                for entry in iterator:
                    if entry.is_file():
                        info = entry.stat()
                        entries.append((entry.path, info.st_mtime_ns, info.st_size))
        except FileNotFoundError:
            continue
    return str(directory), tuple(sorted(entries))


@lru_cache(maxsize=16)
def _cached_data_inputs(
    start_year: int, information_year: int | None, _fingerprint: tuple
) -> tuple:
    base = data_module.base_year(start_year, information_year)
    # travel times as they stood in the start year: a time published for a later year (a
    # link that opened later) is not part of the base year's geography (no look-ahead)
    hours, schedule = travel_hours_by_year(start_year, information_year)
    rd, _notes = base_rd_intensity(start_year, information_year)
    recorder = PlatformTable(capacity=64)
    initial_platforms(recorder, start_year)
    rows = [
        {name: column[row].item() for name, column in recorder.columns.items()}
        for row in range(recorder.size)
    ]
    return base, (hours, schedule), rd, rows


def travel_hours_by_year(
    start_year: int, information_year: int | None = None
) -> tuple[np.ndarray, tuple[tuple[int, np.ndarray], ...]]:
    """Base travel hours of ``start_year`` and the schedule of later openings.

    A time published for year y (data/travel_times.csv) belongs to the geography from y
    on: the base year's hours use the rows of years <= start_year (and rows without a
    year); each later year with rows gets the hours of all rows up to it. Rows of years
    after ``information_year`` are not read (no look-ahead)."""
    table = data_module.visible(data_module.published_travel_minutes(), information_year)
    years = table.year.astype("Int64")

    def hours_until(last: int) -> np.ndarray:
        valid = (years.isna() | (years.fillna(0) <= last)).to_numpy(dtype=bool)
        return base_travel_hours(
            published=[
                (o, d, float(m))
                for o, d, m in zip(
                    table.origin[valid], table.destination[valid], table.minutes[valid], strict=True
                )
            ]
        )

    later = sorted(int(y) for y in years.dropna().unique() if int(y) > start_year)
    return hours_until(start_year), tuple((y, hours_until(y)) for y in later)


def data_inputs(
    start_year: int, information_year: int | None = None
) -> tuple[
    data_module.BaseYear,
    np.ndarray,
    np.ndarray,
    list[dict[str, float]],
    tuple[tuple[int, np.ndarray], ...],
]:
    """Base year, travel hours, R&D intensity, platform rows and the schedule of later
    travel-time openings (:func:`travel_hours_by_year`) read from data/ for a run
    starting in ``start_year``; cached per process while no file in data/ (or its
    imported/ panel) changes, because parsing them was most of a default-scale run's
    start-up (docs/performance.md). Returns copies: callers may modify them."""
    base, (hours, schedule), rd, rows = _cached_data_inputs(
        start_year, information_year, _data_fingerprint()
    )
    base = data_module.BaseYear(
        year=base.year,
        gdp=base.gdp.copy(),
        population=base.population.copy(),
        provenance=base.provenance,
    )
    return (
        base,
        hours.copy(),
        rd.copy(),
        [dict(row) for row in rows],
        tuple((year, matrix.copy()) for year, matrix in schedule),
    )


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
    people_per_agent = scenario.scale.people_per_agent
    regions = RegionState(
        base_gdp=base.gdp,
        base_population=base.population,
        base_hours=hours,
        nonmodelled_gdp=params.nonmodelled_share * base.gdp,
        rd_intensity=rd,
        hours=hours.copy(),
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
    target = (1.0 - params.nonmodelled_share) * base.gdp
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


def commuting_record(regions: RegionState) -> dict[str, np.ndarray]:
    """city_year columns of commuting (万人): commuters into and out of every region from
    or to any other region, and across the city boundary only (so that the 'shaoxing' row,
    the sum of its units, counts Shaoxing's cross-city commuting exactly)."""
    return {
        "commuters_in": regions.commuters_in / 1e4,
        "commuters_out": regions.commuters_out / 1e4,
        "city_commuters_in": regions.city_commuters_in / 1e4,
        "city_commuters_out": regions.city_commuters_out / 1e4,
    }


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
