"""The vectorised core annual step (growthpole.mechanisms) as a standalone harness, and the
shared inputs both it and the Mesa reference (benchmarks/mesa_reference.py) start from.

The core step is what the reference reimplements: hiring (labour.allocate_labour),
production (production.produce), relocation (relocation.relocate_firms, which also settles
movers into platforms) and migration (migration.migrate, with the declared inflow), in the
model's order. Inputs are the base-year state of a GrowthPoleModel scaled to a target number
of agents, and the policy of the first simulated year.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from growthpole.levers import policy_for_year
from growthpole.mechanisms.base import StepContext, region_sum
from growthpole.model import GrowthPoleModel
from growthpole.parameters import ModelParameters
from growthpole.policy import PolicyChannels
from growthpole.scenario import Scenario, load_scenario
from growthpole.schedule import SCHEDULE
from growthpole.seeds import YEARS, substream
from growthpole.state import WorldState

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "scenarios" / "baseline.yaml"


def baseline_scenario() -> Scenario:
    return load_scenario(BASELINE)


def with_people_per_agent(scenario: Scenario, people_per_agent: float) -> Scenario:
    scale = scenario.scale.model_copy(update={"people_per_agent": float(people_per_agent)})
    return scenario.model_copy(update={"scale": scale})


def initial_agents(scenario: Scenario) -> int:
    """Firm + talent agents of the base-year state (builds the state once)."""
    state = GrowthPoleModel(scenario, np.random.SeedSequence(0)).state
    return state.firms.count + state.talent.count


def scaled_scenario(scenario: Scenario, target_agents: int) -> Scenario:
    """``scenario`` with people_per_agent set so that the base year holds ≈ target_agents
    firm + talent agents (agents scale as 1/people_per_agent; one correction step)."""
    reference = scenario.scale.people_per_agent
    guess = reference * initial_agents(scenario) / target_agents
    guess *= initial_agents(with_people_per_agent(scenario, guess)) / target_agents
    return with_people_per_agent(scenario, guess)


@dataclass
class CoreInputs:
    """Everything one core step reads: copy ``state`` before stepping it."""

    state: WorldState
    params: ModelParameters
    policy: PolicyChannels
    seed_sequence: np.random.SeedSequence
    year: int

    @property
    def agents(self) -> int:
        return self.state.firms.count + self.state.talent.count

    def fresh_state(self) -> WorldState:
        return copy.deepcopy(self.state)

    def year_seed(self, replication: int = 0) -> np.random.SeedSequence:
        return substream(self.seed_sequence, YEARS, 1, 1000 + replication)


def core_inputs(scenario: Scenario, seed: int = 0, years: int = 0) -> CoreInputs:
    """State of ``scenario`` after ``years`` simulated years (0: the base year) and the
    policy of the next year."""
    sequence = np.random.SeedSequence(seed)
    model = GrowthPoleModel(scenario, sequence)
    for _ in range(years):
        model.step()
    year = model.year + 1
    state = model.state
    state.year = year
    return CoreInputs(
        state=state,
        params=model.params,
        policy=policy_for_year(scenario.levers, year),
        seed_sequence=sequence,
        year=year,
    )


#: the steps the reference reimplements, in the model's order
CORE_STEPS = SCHEDULE.select("reset_flows", "labour", "production", "relocation", "migration")


def vectorised_core_step(
    state: WorldState,
    params: ModelParameters,
    policy: PolicyChannels,
    year_seed: np.random.SeedSequence,
    switches: Mapping[str, bool] | None = None,
) -> None:
    """Hiring, production, relocation, migration on ``state`` in place."""
    context = StepContext(state, params, policy, year_seed, dict(switches or {}))
    CORE_STEPS.run_year(context)


def vectorised_summary(state: WorldState) -> dict[str, np.ndarray]:
    """Region totals after a core step, in the same units as ReferenceModel.summary()."""
    regions, firms = state.regions, state.firms
    # production ran before relocation: output and employment by the region firms produced in
    # are regions.firm_gdp_last; profit and employment here are by region after relocation,
    # as in the reference.
    region = firms.region.astype(np.int64)
    return {
        "output": regions.firm_gdp_last.copy(),
        "wage_skilled": regions.wages[1].copy(),
        "wage_unskilled": regions.wages[0].copy(),
        "migration_in": regions.migration_in.copy(),
        "migration_out": regions.migration_out.copy(),
        "external_inflow": regions.external_inflow.copy(),
        "relocations_in": regions.relocations_in.copy(),
        "relocations_out": regions.relocations_out.copy(),
        "profit": region_sum(firms.profit, region, firms.live),
        "employment": region_sum(firms.skilled + firms.unskilled, region, firms.live),
        "commuters_in": regions.commuters_in.copy(),
        "commuters_out": regions.commuters_out.copy(),
    }
