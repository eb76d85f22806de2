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

import mesa
import numpy as np
import pandas as pd

from growthpole import national as national_module
from growthpole.errors import ModelInvariantError, ScenarioError
from growthpole.initialisation import initial_state
from growthpole.levers import LEVERS, policy_for_year
from growthpole.mechanisms.base import (
    StepContext,
    region_sector_sum,
    region_sum,
    talent_counts,
)
from growthpole.outcomes import EMPLOYMENT_WEIGHTED
from growthpole.parameters import ModelParameters, on_national_path
from growthpole.regions import (
    N_REGIONS,
    N_SHAOXING,
    REGIONS,
    SECTORS,
    SKILLED,
    UNSKILLED,
)
from growthpole.scenario import LAST_YEAR, Scenario, load_scenario
from growthpole.schedule import SCHEDULE, SUB_TERM_SWITCHES, Schedule
from growthpole.seeds import INITIAL_STATE, YEARS, generator, replication_seeds, substream
from growthpole.state import RegionState


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
        a regime break as a parameter schedule (the calibration's ``name@YEAR`` values). A
        scenario declares its own in ``parameter_regimes:`` (year -> changes); a year given
        here replaces the declared one. Only parameters the mechanisms read every year may
        change (parameters.REGIME_PARAMETERS); the base year is built with ``parameters``.
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
        # regime breaks: the scenario's declared ones (cumulative changes of this
        # replication's parameters), then any given here (they replace a declared year)
        declared: dict[int, ModelParameters] = {}
        current = self.params
        for first_year, changes in sorted(scenario.parameter_regimes.items()):
            current = current.replace(**changes)
            declared[first_year] = current
        self.parameter_regimes = dict(sorted({**declared, **(parameter_regimes or {})}.items()))
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
