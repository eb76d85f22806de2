"""An idiomatic Mesa implementation of growthpole's core annual step, for comparison.

What the design (docs/performance.md) compares the columnar core against: the same annual
step written the way a Mesa model is usually written, one Python object per agent
(``mesa.Agent``), agents activated through ``mesa.AgentSet.do``, per-agent random draws from
``self.random``, region totals gathered by looping over agents. It covers the four
mechanisms of the core step, with the equations of growthpole.mechanisms:

1. hiring (mechanisms/labour.py): labour supply counted from talent agents; commuting
   constrained at both ends ([C1]-[C2]: a logit over workplaces whose wages clear the
   workplace's labour market, solved at region level from the region's output scale
   Z_w = (Σ_i B_i^{1/(1-β)})^{1-β}, which is summed here over the firm agents); talent
   enclaves at region level; each firm's share θ_i = B_i^{1/(1-β)} / Σ_j B_j^{1/(1-β)}
   ([C3]);
2. production (mechanisms/production.py [P1]): Y_i = Ã_i K_i^α S_i^β_s U_i^β_u, with
   Ã_i including the firm's own TFP, the place's TFP ln A^P_r, market access, the
   agglomeration index, the platform bonus, crowding and the digital gain; wages =
   marginal products, profits with the policy wedge;
3. relocation (mechanisms/relocation.py [R1]-[R2]): each firm considers moving with
   probability ν (more under 亩均/cluster pressure) and picks the region maximising
   β_π (V_ik - V_ir) + a^F_k - a^F_r - f_0 1[k≠r] - c_d f_0 t_rk + Gumbel noise, V_ik
   including the place's TFP of k and the pull of the best platform with free land for it
   in k (the firm's own TFP moves with it and cancels);
4. migration (mechanisms/migration.py): each talent agent reconsiders with probability μ and
   picks the region maximising its systematic utility minus moving costs plus Gumbel noise;
   the declared inflow from the rest of China arrives as new agents.

Staged activation (the Mesa idiom for decisions that need everyone's previous stage):
``firms.do("hire")``, ``firms.do("produce")``, ``firms.do("step")`` (profit and location
choice), ``talent.do("step")`` (migration). Region-level quantities (9 numbers or a 9 x 9
matrix) reuse the small helpers of growthpole (the commuting equilibrium of
labour.commuting_equilibrium, moving costs, housing cost); everything done per agent is
plain Python here.

Differences from the vectorised step, stated so that comparisons are read correctly:
random draws come from a different stream (Python's ``random`` through ``self.random``), so
the two agree statistically, not draw by draw; a relocating firm leaves its platform and
does not settle into a new one this year, nor does a considering firm that stays (the
vectorised step also runs that platform settlement and the cluster concentration of
polluters, so it does strictly more work; neither changes this year's output, wages or
flows).
Production and hiring are deterministic and agree to rounding.
"""

from __future__ import annotations

import math

import mesa
import numpy as np

from growthpole.mechanisms.environment import STANDARD_PENALTY
from growthpole.mechanisms.labour import commuting_equilibrium
from growthpole.mechanisms.migration import housing_cost, moving_cost
from growthpole.mechanisms.production import AGGLOMERATION_OFFSET
from growthpole.mechanisms.relocation import PRESSURE_CONSIDERATION
from growthpole.parameters import ModelParameters
from growthpole.policy import PolicyChannels
from growthpole.regions import HANGZHOU, N_REGIONS, N_SECTORS, N_SHAOXING, SHANGHAI
from growthpole.state import WorldState

SKILL_LEVELS = (0, 1)  # unskilled, skilled


def gumbel(random) -> float:
    """One Gumbel(0, 1) draw from a ``random.Random``: -ln E with E ~ Exp(1)."""
    return -math.log(max(random.expovariate(1.0), 1e-300))


class ReferenceFirm(mesa.Agent):
    """A firm agent with its attributes as Python floats and ints (units as in
    growthpole.state.FirmTable)."""

    def __init__(self, model: ReferenceModel, **attributes) -> None:
        super().__init__(model)
        self.__dict__.update(attributes)

    # -- helpers ---------------------------------------------------------------------------
    def effective_log_tfp(self) -> float:
        """ln Ã_i = ln A_i + ln A^P_r + φ ln M_r + γ_r ln G_rk + b_P 1[match] - crowding_r
        + g_d D_i."""
        model = self.model
        value = (
            self.log_tfp
            + model.place_log_tfp[self.region]
            + model.phi * model.log_market_access[self.region]
        )
        if model.agglomeration_on:
            value += model.gamma[self.region] * model.log_agglomeration[self.region][self.sector]
        if self.platform_match:
            value += model.platform_bonus
        value -= model.crowding[self.region]
        return value + model.digital_gain[self.region] * self.digital

    # -- stages ----------------------------------------------------------------------------
    def hire(self) -> None:
        """Employ the firm's share θ_i of its workplace's skilled and unskilled workers."""
        model = self.model
        total = model.weight_total[self.region]
        theta = (
            math.exp(self.log_weight - model.weight_offset[self.region]) / total
            if total > 0
            else 0.0
        )
        self.skilled = theta * model.workers[1][self.region]
        self.unskilled = theta * model.workers[0][self.region]

    def produce(self) -> None:
        """Value added Y_i = Ã_i K_i^α S_i^β_s U_i^β_u (zero if an input is zero)."""
        model = self.model
        if self.capital > 0 and self.skilled > 0 and self.unskilled > 0:
            self.value_added = math.exp(
                self.effective_log_tfp()
                + model.alpha * math.log(self.capital)
                + model.beta_s * math.log(self.skilled)
                + model.beta_u * math.log(self.unskilled)
            )
        else:
            self.value_added = 0.0

    def step(self) -> None:
        """Profit at this year's wages, then the location choice."""
        model = self.model
        region = self.region
        self.profit = (
            self.value_added * (1.0 + self.wedge)
            - model.wages[1][region] * self.skilled
            - model.wages[0][region] * self.unskilled
            - model.capital_cost[region] * self.capital
            - model.land_rent[region] * self.land_mu
            - model.overhead[region]
        )
        probability = model.relocation_rate
        if self.pressure:
            probability += model.pressure_add
        if self.random.random() >= probability:
            return
        pull = model.platform_pull(self)
        values = [v + p for v, p in zip(model.location_values[self.sector], pull, strict=True)]
        own = values[region]
        hours = model.hours[region]
        fundamental = model.location_fundamental
        best, best_utility = region, gumbel(self.random)  # staying: utility 0 + noise
        for k in range(N_REGIONS):
            if k == region:
                continue
            utility = (
                model.profit_weight * (values[k] - own)
                + fundamental[k]
                - fundamental[region]
                - model.fixed_cost
                - model.distance_cost * model.fixed_cost * hours[k]
                + gumbel(self.random)
            )
            if utility > best_utility:
                best, best_utility = k, utility
        if best != region:
            model.relocations_out[region] += 1
            model.relocations_in[best] += 1
            self.region = best
            self.platform = -1
            self.platform_match = False


class ReferenceTalent(mesa.Agent):
    """A talent agent: ``people_per_agent`` residents of one skill in one region."""

    def __init__(self, model: ReferenceModel, region: int, skill: int, moves: int = 0) -> None:
        super().__init__(model)
        self.region = region
        self.skill = skill
        self.moves = moves

    def step(self) -> None:
        """Reconsider the region with probability μ; logit choice over the nine regions."""
        model = self.model
        if self.random.random() >= model.migration_rate:
            return
        base = model.migration_utility[self.skill]
        cost = model.moving_cost[self.region]
        best, best_utility = self.region, -math.inf
        for j in range(N_REGIONS):
            utility = base[j] - cost[j] + gumbel(self.random)
            if utility > best_utility:
                best, best_utility = j, utility
        if best != self.region:
            model.migration_out[self.region] += 1
            model.migration_in[best] += 1
            self.region = best
            self.moves += 1


class ReferenceModel(mesa.Model):
    """The core annual step on agents built from a :class:`WorldState` (same inputs as the
    vectorised step). ``seed`` seeds Mesa's ``random`` (per-agent draws) and ``rng``."""

    def __init__(
        self,
        state: WorldState,
        params: ModelParameters,
        policy: PolicyChannels,
        seed: int,
        switches: dict[str, bool] | None = None,
    ) -> None:
        super().__init__(seed=seed)
        self.state = state  # region-level inputs only; agents carry their own attributes
        self.params = params
        self.policy = policy
        switches = switches or {}
        self.agglomeration_on = switches.get("agglomeration", True)
        self.commuting_on = switches.get("commuting", True)
        self.people_per_agent = state.people_per_agent
        self.alpha = params.capital_elasticity
        self.beta_s = params.skilled_labour_elasticity
        self.beta_u = params.unskilled_labour_elasticity
        self.beta = params.labour_elasticity
        self.phi = params.market_access_elasticity
        self.platform_bonus = params.platform_tfp_bonus
        # digital transformation gain: the policy multiplier applies in Shaoxing's units
        self.digital_gain = [
            params.digital_tfp_gain * (policy.digital_gain_multiplier if r < N_SHAOXING else 1.0)
            for r in range(N_REGIONS)
        ]
        gamma = [params.agglomeration_elasticity] * N_REGIONS
        for r in range(N_SHAOXING):
            gamma[r] *= policy.agglomeration_multiplier
        self.gamma = gamma
        regions = state.regions
        self.log_market_access = [math.log(m) for m in regions.market_access]
        self.place_log_tfp = regions.place_log_tfp.tolist()
        self.location_fundamental = regions.firm_location_fundamental.tolist()
        self.commuting_fundamental = regions.commuting_fundamental
        self.commuters_in = [0.0] * N_REGIONS
        self.commuters_out = [0.0] * N_REGIONS
        self.hours = regions.hours.tolist()
        self.land_rent = state.land_rent_per_mu.tolist()
        self.capital_cost = [
            params.interest_rate * policy.capital_cost_factor[r] + params.depreciation_rate
            for r in range(N_REGIONS)
        ]
        self.base_employment = state.regions_base_employment.tolist()
        self.wages = regions.wages.tolist()
        self.relocation_rate = params.relocation_consideration_rate
        self.pressure_add = PRESSURE_CONSIDERATION * max(
            policy.land_efficiency_pressure, policy.cluster_concentration
        )
        self.profit_weight = params.relocation_profit_weight
        self.fixed_cost = params.relocation_fixed_cost
        self.distance_cost = params.relocation_distance_cost
        self.migration_rate = params.migration_consideration_rate
        self.moving_cost = moving_cost(
            regions.hours, params.moving_cost_per_hour, params.moving_fixed_cost
        ).tolist()
        self._build_agents(state)
        # Mesa 3 keeps one AgentSet per agent class; agents created later join it
        self.firms = self.agents_by_type[ReferenceFirm]
        self.talent = self.agents_by_type[ReferenceTalent]

    # -- construction ----------------------------------------------------------------------
    def _build_agents(self, state: WorldState) -> None:
        firms, talent, platforms = state.firms, state.talent, state.platforms
        policy = self.policy
        polluting = state.polluting_sector.tolist()
        base_intensity = state.base_emission_intensity.tolist()
        for row in np.flatnonzero(firms.live).tolist():
            region, sector = int(firms.region[row]), int(firms.sector[row])
            platform = int(firms.platform[row])
            match = platform >= 0 and bool((int(platforms.sector_mask[platform]) >> sector) & 1)
            clustered = int(firms.clustered[row])
            in_shaoxing = region < N_SHAOXING
            compliance = float(policy.compliance_cost[sector]) * in_shaoxing
            upgraded = (
                float(firms.emission_intensity[row])
                < base_intensity[sector] * self.params.upgraded_intensity_threshold
            )
            if upgraded:
                compliance *= self.params.upgraded_compliance_share
            wedge = (
                float(policy.sector_subsidy[region, sector])
                + float(policy.profit_tax_cut[region])
                + float(policy.regulation_cost_cut[region])
                - compliance
            )
            if polluting[sector] and in_shaoxing and not upgraded:
                wedge -= STANDARD_PENALTY * policy.emission_standard
            if polluting[sector] and in_shaoxing and clustered == 0:
                wedge -= self.params.cluster_cost_share * policy.cluster_concentration
            if platform >= 0:
                wedge += float(platforms.subsidy[platform])
            pressure = int(firms.low_efficiency[row]) == 1 or (
                polluting[sector]
                and clustered == 0
                and in_shaoxing
                and policy.cluster_concentration > 0
            )
            ReferenceFirm(
                self,
                region=region,
                sector=sector,
                log_tfp=float(firms.log_tfp[row]),
                capital=float(firms.capital[row]),
                land_mu=float(firms.land_mu[row]),
                digital=int(firms.digital[row]),
                platform=platform,
                platform_match=match,
                wedge=wedge,
                pressure=pressure,
                skilled=float(firms.skilled[row]),
                unskilled=float(firms.unskilled[row]),
                value_added=0.0,
                profit=0.0,
                log_weight=0.0,
            )
        for row in np.flatnonzero(talent.live).tolist():
            ReferenceTalent(
                self, int(talent.region[row]), int(talent.skill[row]), int(talent.moves[row])
            )

    # -- region totals by looping over agents ------------------------------------------------
    def _crowding(self) -> None:
        """ε_c (1 - α - β) ln(n_r / n_r^base) by region, n_r counted over the firm agents
        (production.crowding_log_index; zero where the model has no crowding term)."""
        strength = getattr(self.params, "entry_crowding", 0.0)
        base = getattr(self.state, "base_firm_counts", None)
        self.crowding = [0.0] * N_REGIONS
        if strength <= 0 or base is None:
            return
        counts = [0] * N_REGIONS
        for firm in self.firms:
            counts[firm.region] += 1
        for r in range(N_REGIONS):
            ratio = max(counts[r], 1) / max(float(base[r]), 1.0)
            self.crowding[r] = strength * (1.0 - self.params.returns_to_scale) * math.log(ratio)

    def _agglomeration(self) -> None:
        employment = [[0.0] * N_SECTORS for _ in range(N_REGIONS)]
        for firm in self.firms:
            employment[firm.region][firm.sector] += firm.skilled + firm.unskilled
        self.employment = employment
        self.log_agglomeration = [
            [
                math.log(
                    (employment[r][k] + AGGLOMERATION_OFFSET)
                    / (self.base_employment[r][k] + AGGLOMERATION_OFFSET)
                )
                for k in range(N_SECTORS)
            ]
            for r in range(N_REGIONS)
        ]

    def _workers(self) -> list[list[float]]:
        """(2, N_REGIONS) workers by skill and workplace (supply counted from agents)."""
        counts = [[0.0] * N_REGIONS for _ in SKILL_LEVELS]
        for person in self.talent:
            counts[person.skill][person.region] += 1.0
        self.population_10k = [
            (counts[0][r] + counts[1][r]) * self.people_per_agent / 1e4 for r in range(N_REGIONS)
        ]
        scale = self.people_per_agent * self.params.participation_rate
        supply = np.array(counts) * scale
        self.commuters_in = [0.0] * N_REGIONS
        self.commuters_out = [0.0] * N_REGIONS
        if self.commuting_on:
            # ln Z_w of [C2] from the hiring weights summed over the firm agents
            log_scale = np.array(
                [
                    (1.0 - self.beta)
                    * (self.weight_offset[r] + math.log(max(self.weight_total[r], 1e-300)))
                    for r in range(N_REGIONS)
                ]
            )
            workers, shares = commuting_equilibrium(
                supply,
                log_scale,
                self.commuting_fundamental,
                self.state.regions.hours,
                self.params,
                self.policy.same_city_commuting,
            )
            for skill in SKILL_LEVELS:
                for r in range(N_REGIONS):
                    for w in range(N_REGIONS):
                        if w != r:
                            flow = float(supply[skill, r] * shares[skill, r, w])
                            self.commuters_out[r] += flow
                            self.commuters_in[w] += flow
        else:
            workers = supply.copy()
        share = self.policy.enclave_share
        if share > 0:
            hosts = [SHANGHAI, HANGZHOU]
            moved = share * workers[1, hosts]
            shenzhen = share * self.params.enclave_shenzhen_pool_ratio * workers[1, hosts].sum()
            workers[1, hosts] -= moved
            weights = workers[1, :N_SHAOXING] / workers[1, :N_SHAOXING].sum()
            workers[1, :N_SHAOXING] += (moved.sum() + shenzhen) * weights
        return workers.tolist()

    def _hiring_weights(self) -> None:
        offset = [-math.inf] * N_REGIONS
        for firm in self.firms:
            log_b = firm.effective_log_tfp() + self.alpha * math.log(max(firm.capital, 1e-300))
            firm.log_weight = log_b / (1.0 - self.beta)
            offset[firm.region] = max(offset[firm.region], firm.log_weight)
        self.weight_offset = [o if math.isfinite(o) else 0.0 for o in offset]
        total = [0.0] * N_REGIONS
        for firm in self.firms:
            total[firm.region] += math.exp(firm.log_weight - self.weight_offset[firm.region])
        self.weight_total = total

    def _wages(self) -> None:
        output = [0.0] * N_REGIONS
        skilled = [0.0] * N_REGIONS
        unskilled = [0.0] * N_REGIONS
        for firm in self.firms:
            output[firm.region] += firm.value_added
            skilled[firm.region] += firm.skilled
            unskilled[firm.region] += firm.unskilled
        for r in range(N_REGIONS):
            if skilled[r] > 0:
                self.wages[1][r] = self.beta_s * output[r] / skilled[r]
            if unskilled[r] > 0:
                self.wages[0][r] = self.beta_u * output[r] / unskilled[r]
        self.output = output
        # overhead per firm agent, indexed to the local unskilled wage (production.overhead)
        base_wages = self.state.base_wages[0]
        self.overhead = [
            float(self.state.fixed_cost_base[r])
            * (self.wages[0][r] / float(base_wages[r]) if base_wages[r] > 0 else 1.0)
            for r in range(N_REGIONS)
        ]

    def _location_values(self) -> None:
        """V_k of [R1] for each sector (a firm's value depends on its sector only; its own
        TFP is the same everywhere and cancels)."""
        policy = self.policy
        log_wages = [[math.log(max(w, 1e-12)) for w in self.wages[s]] for s in SKILL_LEVELS]
        values = []
        for sector in range(N_SECTORS):
            row = []
            for k in range(N_REGIONS):
                wedge = (
                    float(policy.sector_subsidy[k, sector])
                    + float(policy.profit_tax_cut[k])
                    + float(policy.regulation_cost_cut[k])
                )
                if k < N_SHAOXING:
                    wedge -= float(policy.compliance_cost[sector])
                row.append(
                    (
                        self.place_log_tfp[k]
                        + self.phi * self.log_market_access[k]
                        + self.gamma[k] * self.log_agglomeration[k][sector]
                        + math.log(max(1.0 + wedge, 1e-3))
                        - self.beta_s * log_wages[1][k]
                        - self.beta_u * log_wages[0][k]
                    )
                    / (1.0 - self.beta)
                )
            values.append(row)
        self.location_values = values

    def _platforms(self) -> None:
        """The platform table as Python rows (region, sector mask, free land, gain)."""
        platforms = self.state.platforms
        rows = []
        for p in range(platforms.size):
            if platforms.capacity_mu[p] > 0:
                rows.append(
                    (
                        int(platforms.region[p]),
                        int(platforms.sector_mask[p]),
                        float(platforms.capacity_mu[p] - platforms.used_mu[p]),
                        self.platform_bonus + math.log1p(float(platforms.subsidy[p])),
                    )
                )
        self.open_platforms = rows

    def platform_pull(self, firm: ReferenceFirm) -> list[float]:
        """Per region: the log-profit gain (b_P + ln(1 + s_p)) / (1 - β) of the best open
        platform with the firm's sector in its focus and free land for it, else 0."""
        pull = [0.0] * N_REGIONS
        for region, mask, free, gain in self.open_platforms:
            if (mask >> firm.sector) & 1 and free >= firm.land_mu and gain > pull[region]:
                pull[region] = gain
        return [p / (1.0 - self.beta) for p in pull]

    def _migration_utilities(self) -> None:
        params, policy, regions = self.params, self.policy, self.state.regions
        population = np.array(self.population_10k)
        housing = housing_cost(
            population,
            regions.base_population,
            regions.housing_base,
            params.housing_supply_elasticity,
            policy.housing_cost_factor,
        )
        utilities = []
        for skill in SKILL_LEVELS:
            row = [
                params.migration_wage_weight * math.log(max(self.wages[skill][j], 1e-12))
                - params.migration_housing_weight * math.log(float(housing[j]))
                + float(regions.amenity[skill][j])
                + float(policy.amenity_add[j])
                + (
                    params.migration_wage_weight * float(policy.skilled_subsidy[j])
                    if skill == 1
                    else 0.0
                )
                for j in range(N_REGIONS)
            ]
            utilities.append(row)
        self.migration_utility = utilities

    def _external_inflow(self) -> None:
        expected = (
            self.params.external_inflow_rate
            * sum(self.population_10k)
            * 1e4
            / self.people_per_agent
        )
        n = int(self.rng.poisson(expected)) if expected > 0 else 0
        share = self.state.inflow_skilled_share
        for _ in range(n):
            skill = 1 if self.random.random() < share else 0
            base = self.migration_utility[skill]
            best, best_utility = 0, -math.inf
            for j in range(N_REGIONS):
                utility = base[j] + gumbel(self.random)
                if utility > best_utility:
                    best, best_utility = j, utility
            ReferenceTalent(self, best, skill)
            self.external_inflow[best] += 1

    # -- the annual step ---------------------------------------------------------------------
    def step(self) -> None:
        self.relocations_in = [0] * N_REGIONS
        self.relocations_out = [0] * N_REGIONS
        self.migration_in = [0] * N_REGIONS
        self.migration_out = [0] * N_REGIONS
        self.external_inflow = [0] * N_REGIONS
        # hiring
        self._crowding()
        self._agglomeration()
        self._hiring_weights()  # the weights also give the output scale Z_w of commuting
        self.workers = self._workers()
        self.firms.do("hire")
        # production (agglomeration from this year's employment)
        self._agglomeration()
        self.firms.do("produce")
        self._wages()
        # profits and relocation
        self._location_values()
        self._platforms()
        self.firms.do("step")
        # migration (utilities from the population before anyone moves)
        self._migration_utilities()
        self.talent.do("step")
        self._external_inflow()

    # -- outputs ---------------------------------------------------------------------------
    def summary(self) -> dict[str, np.ndarray]:
        """Region totals after the step, in the vectorised model's units (people, not
        agents)."""
        return summary_from_lists(
            output=self.output,
            wages=self.wages,
            people_per_agent=self.people_per_agent,
            migration_in=self.migration_in,
            migration_out=self.migration_out,
            external_inflow=self.external_inflow,
            relocations_in=self.relocations_in,
            relocations_out=self.relocations_out,
            profit=_region_total(self.firms, "profit"),
            employment=_region_total(self.firms, "skilled", "unskilled"),
            commuters_in=self.commuters_in,
            commuters_out=self.commuters_out,
        )


def _region_total(agents, *names: str) -> list[float]:
    totals = [0.0] * N_REGIONS
    for agent in agents:
        totals[agent.region] += sum(getattr(agent, name) for name in names)
    return totals


def summary_from_lists(
    *,
    output,
    wages,
    people_per_agent,
    migration_in,
    migration_out,
    external_inflow,
    relocations_in,
    relocations_out,
    profit,
    employment,
    commuters_in,
    commuters_out,
) -> dict[str, np.ndarray]:
    return {
        "output": np.asarray(output, dtype=float),
        "wage_skilled": np.asarray(wages[1], dtype=float),
        "wage_unskilled": np.asarray(wages[0], dtype=float),
        "migration_in": np.asarray(migration_in, dtype=float) * people_per_agent,
        "migration_out": np.asarray(migration_out, dtype=float) * people_per_agent,
        "external_inflow": np.asarray(external_inflow, dtype=float) * people_per_agent,
        "relocations_in": np.asarray(relocations_in, dtype=float),
        "relocations_out": np.asarray(relocations_out, dtype=float),
        "profit": np.asarray(profit, dtype=float),
        "employment": np.asarray(employment, dtype=float),
        "commuters_in": np.asarray(commuters_in, dtype=float),
        "commuters_out": np.asarray(commuters_out, dtype=float),
    }
