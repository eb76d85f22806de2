"""Invariants under random parameters and random policies (hypothesis property tests).

For structural parameters drawn within their PARAMETER_SPECS bounds (with decreasing returns,
α + β_s + β_u < 1, as make_parameters requires) and a random set of levers at random values
within their ranges, a short run (2019-2022, coarse agents) must

  - not raise ModelInvariantError (the model checks NaN, negative stocks and the head count
    of people every step);
  - report only finite numbers and no negative stock (GDP, value added, capital, people,
    employment, emissions, land, firm agents) in its city-year table;
  - conserve people: in every region and year, population_t - population_{t-1} =
    migration_in - migration_out + external_inflow (万人), with internal moves summing to
    zero over the regions (only the declared inflow from the rest of China adds people);
  - conserve firm agents: firm_agents_t - firm_agents_{t-1} = entries - exits +
    relocations_in - relocations_out in every region and year.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from growthpole.levers import LEVERS
from growthpole.model import GrowthPoleModel
from growthpole.parameters import PARAMETER_SPECS
from growthpole.scenario import build_scenario

START, END = 2019, 2022
STOCKS = (
    "gdp",
    "gdp_real",
    "firm_value_added",
    "nonmodelled_gdp",
    "population",
    "talent_skilled",
    "firm_agents",
    "employment",
    "capital",
    "wage_skilled",
    "wage_unskilled",
    "market_access",
    "emissions",
    "migration_in",
    "migration_out",
    "external_inflow",
    "firm_entries",
    "firm_exits",
    "relocations_in",
    "relocations_out",
    "platform_land_used_mu",
    "digital_share",
)
LEVER_KEYS = sorted(LEVERS)
# people are counted in whole agents; flows in 万人 are sums of people_per_agent / 1e4
TOLERANCE = 1e-6


@st.composite
def parameter_values(draw) -> dict[str, float]:
    values = {
        name: draw(st.floats(spec.lower, spec.upper, allow_nan=False))
        for name, spec in PARAMETER_SPECS.items()
    }
    returns = (
        values["capital_elasticity"]
        + values["skilled_labour_elasticity"]
        + values["unskilled_labour_elasticity"]
    )
    assume(returns < 0.97)
    return values


@st.composite
def lever_schedules(draw) -> dict[str, dict[int, float]]:
    keys = draw(st.lists(st.sampled_from(LEVER_KEYS), min_size=0, max_size=12, unique=True))
    schedules = {}
    for key in keys:
        lever = LEVERS[key]
        year = draw(st.integers(START, END))
        value = draw(st.floats(lever.lower, lever.upper, allow_nan=False))
        schedules[key] = {year: value}
    return schedules


@pytest.mark.slow
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow],
)
@given(parameters=parameter_values(), levers=lever_schedules(), seed=st.integers(0, 2**32 - 1))
def test_random_parameters_and_levers_keep_the_invariants(parameters, levers, seed):
    scenario = build_scenario(
        {
            "name": "invariants",
            "start_year": START,
            "end_year": END,
            "replications": 1,
            "seed": seed,
            "scale": {"people_per_agent": 20_000, "workers_per_firm_agent": 10},
            "parameters": parameters,
            "levers": levers,
        }
    )
    model = GrowthPoleModel(scenario, np.random.SeedSequence(seed))
    frame = model.run()  # ModelInvariantError would fail the test here

    numbers = frame[list(STOCKS) + [c for c in frame.columns if c.startswith("va_")]]
    values = numbers.to_numpy(dtype=float)
    assert np.isfinite(values).all(), (
        f"non-finite values in {numbers.columns[~np.isfinite(values).all(axis=0)].tolist()}"
    )
    assert (values >= 0).all(), (
        f"negative values in {numbers.columns[(values < 0).any(axis=0)].tolist()}"
    )

    regions = frame[frame.region != "shaoxing"].sort_values(["region", "year"])
    later = regions.year > START
    change = regions.groupby("region").population.diff()[later]
    flows = (regions.migration_in - regions.migration_out + regions.external_inflow)[later]
    np.testing.assert_allclose(
        change, flows, atol=TOLERANCE, err_msg="population change != migration + declared inflow"
    )
    internal = regions[later].groupby("year")[["migration_in", "migration_out"]].sum()
    np.testing.assert_allclose(
        internal.migration_in,
        internal.migration_out,
        atol=TOLERANCE,
        err_msg="internal moves create or destroy people",
    )

    firm_change = regions.groupby("region").firm_agents.diff()[later]
    firm_flows = (
        regions.firm_entries - regions.firm_exits + regions.relocations_in - regions.relocations_out
    )[later]
    np.testing.assert_allclose(
        firm_change,
        firm_flows,
        atol=TOLERANCE,
        err_msg="firm agents != entries - exits + net relocations",
    )


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["add", "remove", "compact"]), st.integers(0, 40)),
        min_size=1,
        max_size=30,
    )
)
def test_row_of_finds_every_row_by_binary_search(operations):
    """Under any sequence of add / remove / compact, ``ids[:size]`` stays sorted and
    :meth:`AgentTable.row_of` agrees with a linear scan for every id ever issued (a row for
    ids still in the table, KeyError for ids compacted away)."""
    from growthpole.state import AgentTable

    table = AgentTable(capacity=4)
    rng = np.random.default_rng(len(operations))
    for operation, n in operations:
        if operation == "add":
            table.add(n)
        elif operation == "remove" and table.size:
            table.remove(rng.choice(table.size, size=min(n, table.size), replace=False))
        else:
            table.compact()
        ids = table.ids[: table.size]
        assert np.all(np.diff(ids) > 0)
        for agent_id in range(table.next_id):
            scan = np.flatnonzero(ids == agent_id)
            if len(scan):
                assert table.row_of(agent_id) == scan[0]
            else:
                try:
                    table.row_of(agent_id)
                except KeyError:
                    continue
                raise AssertionError(f"row_of({agent_id}) found a row the scan did not")
