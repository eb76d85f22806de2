"""A plain-NumPy lower bound for one annual step over the agent columns.

The bound is the cost of the array passes an annual step cannot avoid if every mechanism
touches each agent it acts on at least once, done as cheaply as NumPy allows (preallocated
buffers, ``out=`` arguments, no temporaries, no masks, no Python per agent). For each step
of the schedule (growthpole/schedule.py) and each agent table the step acts on
(:data:`STEP_AGENTS`), :func:`mechanism_pass` makes these passes over the n agents:

* a **deterministic** step (platforms, labour, production, investment, land, entry and the
  two settle steps): 3 passes: one gather of a region-level value by the agent's region
  (``np.take(out=)``: wages, prices, policy wedges and location values reach every agent
  through its region), one in-place update of one float64 column, ``column *= gathered``
  (``np.multiply(out=)``: the state change), one reduction of that column to the regions
  (``np.bincount`` with weights: the region totals each step feeds into the next: labour
  demand, output, counts);
* a **stochastic** step (the ones that draw per agent: productivity's TFP shocks, digital
  adoption, environmental upgrading, exit, relocation's and migration's decision to
  reconsider): 5 passes: one uniform draw per agent (``Generator.random(out=)``), the
  gather, the update ``column = column * gathered + draw`` (two passes) and the reduction.

Steps that act on no agent table (market access, the reset of the region flows,
non-modelled growth, emissions, which the model computes from region sums) cost nothing in
the bound; entry's and relocation's choices for the few firms that enter or move,
migration's logit for the ≈5% of talent who reconsider, the model's checks, records and
build are not in it: it is a bound, not a model. Per year: 49 passes over the firm table
(13 steps) and 11 over the talent table (3 steps); :func:`passes_per_year`.

An agent-step is one agent (firm or talent) in one year, as in benchmarks/run.py.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

#: the schedule's steps (growthpole/schedule.py) and the agent tables each acts on
STEP_AGENTS: dict[str, tuple[str, ...]] = {
    "reset_flows": (),
    "platforms": ("firms",),
    "market_access": (),
    "productivity": ("firms",),
    "digital": ("firms",),
    "environment": ("firms",),
    "labour": ("firms", "talent"),
    "production": ("firms",),
    "investment": ("firms",),
    "land": ("firms",),
    "exit": ("firms",),
    "entry": ("firms",),
    "relocation": ("firms",),
    "migration": ("talent",),
    "settle_labour": ("firms", "talent"),
    "settle_production": ("firms",),
    "nonmodelled_growth": (),
    "emissions": (),
}
#: the steps that draw once per agent they act on (5 passes; the others make 3)
STOCHASTIC = frozenset(
    {"productivity", "digital", "environment", "exit", "relocation", "migration"}
)
N_REGIONS = 9


@dataclass
class AgentColumns:
    """One agent table for the bound: a region index, a float64 column and work buffers."""

    region: np.ndarray  # int64, values 0 .. N_REGIONS - 1
    column: np.ndarray  # float64, the column each pass updates
    draw: np.ndarray  # float64 work buffer
    gathered: np.ndarray  # float64 work buffer

    @classmethod
    def random(cls, count: int, seed: int) -> AgentColumns:
        rng = np.random.default_rng(seed)
        return cls(
            region=np.sort(rng.integers(0, N_REGIONS, count)).astype(np.int64),
            column=rng.random(count) + 0.5,
            draw=np.empty(count),
            gathered=np.empty(count),
        )


def mechanism_pass(
    table: AgentColumns,
    region_values: np.ndarray,
    rng: np.random.Generator,
    stochastic: bool,
) -> np.ndarray:
    """The passes of one step over one table (3, or 5 if ``stochastic``); returns the
    region totals of the updated column (N_REGIONS,). In place: ``table.column``."""
    np.take(region_values, table.region, out=table.gathered)
    np.multiply(table.column, table.gathered, out=table.column)
    if stochastic:
        rng.random(out=table.draw)
        np.add(table.column, table.draw, out=table.column)
    return np.bincount(table.region, weights=table.column, minlength=N_REGIONS)


def lower_bound_year(
    firms: AgentColumns, talent: AgentColumns, rng: np.random.Generator
) -> np.ndarray:
    """One year of the bound: every step of :data:`STEP_AGENTS` on its tables, in order;
    each step's region totals scale the next step's region values (so no pass can be
    skipped or reordered). Returns the last region totals."""
    tables = {"firms": firms, "talent": talent}
    region_values = np.full(N_REGIONS, 1.0)
    totals = region_values
    for step, agents in STEP_AGENTS.items():
        for name in agents:
            totals = mechanism_pass(tables[name], region_values, rng, step in STOCHASTIC)
            # keep the column bounded: region values near 1, from the totals
            region_values = 1.0 - 1e-3 * totals / max(float(totals.sum()), 1.0)
    return totals


def passes_per_year() -> dict[str, int]:
    """Passes over each agent table in one year of the bound."""
    counts = {"firms": 0, "talent": 0}
    for step, agents in STEP_AGENTS.items():
        for name in agents:
            counts[name] += 5 if step in STOCHASTIC else 3
    return counts


def measure(firm_agents: int, talent_agents: int, repeats: int = 20) -> dict[str, float]:
    """Seconds of one year of the bound at this size (best of ``repeats``, after a warm-up),
    and its agent-steps per second (wall and CPU)."""
    firms = AgentColumns.random(firm_agents, 1)
    talent = AgentColumns.random(talent_agents, 2)
    rng = np.random.default_rng(3)
    lower_bound_year(firms, talent, rng)
    best, best_cpu = float("inf"), float("inf")
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        lower_bound_year(firms, talent, rng)
        best = min(best, time.perf_counter() - wall)
        best_cpu = min(best_cpu, time.process_time() - cpu)
    agents = firm_agents + talent_agents
    return {
        "firm_agents": firm_agents,
        "talent_agents": talent_agents,
        "year_seconds": best,
        "year_cpu_seconds": best_cpu,
        "agent_steps_per_s": agents / best,
        "agent_steps_per_cpu_s": agents / best_cpu,
        "repeats": repeats,
    }
