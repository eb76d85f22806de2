"""The idiomatic Mesa reference (benchmarks/mesa_reference.py) and the vectorised core step
(growthpole.mechanisms via benchmarks/vectorised_core.py) compute the same annual step.

Both start from the same base-year state. Hiring (with the commuting equilibrium) and
production are deterministic: firm by firm value added, region wages and commuters in and
out must agree to rounding (rtol 1e-9). Relocation and
migration are random and the two use different random streams, so they must agree in
distribution: over SEEDS independent draws each, the mean of every region's flow must differ
by less than Z_LIMIT standard errors of the difference. A last test shows that the
comparison has power: a reference with a different moving cost fails it.

Small sizes (≈4,000 agents) keep the module under a few seconds; no timing is asserted
(speed is measured in benchmarks/run.py).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

from mesa_reference import ReferenceModel  # noqa: E402
from vectorised_core import (  # noqa: E402
    core_inputs,
    vectorised_core_step,
    vectorised_summary,
)

from .conftest import tiny_scenario  # noqa: E402

SEEDS = 24
# 4.5 standard errors: with ~60 compared means the chance that any exceeds it by luck is
# below 1e-3 (normal tails); the draws are seeded, so the outcome is fixed anyway
Z_LIMIT = 4.5
# consideration rates at the top of their documented ranges (parameters.py) so that a few
# thousand agents produce enough moves for the comparison to have power; on the spatial core
# (location fundamentals that make base-year flows zero in expectation, a distance cost)
# a considering firm rarely moves at f_0 = 4 (20 moves in 24 draws), so the relocation
# fixed cost is lowered to 2 (within its range 0-10) for both implementations alike
RATES = {
    "migration_consideration_rate": 0.2,
    "relocation_consideration_rate": 0.2,
    "relocation_fixed_cost": 2.0,
}
FLOWS = ("migration_in", "migration_out", "external_inflow", "relocations_in", "relocations_out")


def _inputs(years=0, **levers):
    scenario = tiny_scenario(
        scale={"people_per_agent": 15000, "workers_per_firm_agent": 10}, levers=levers
    )
    inputs = core_inputs(scenario, seed=5, years=years)
    inputs.params = inputs.params.replace(**RATES)
    return inputs


@pytest.fixture(scope="module")
def inputs():
    return _inputs(years=2)  # two simulated years on: not only the calibrated base year


def _vectorised(inputs, seed):
    state = inputs.fresh_state()
    vectorised_core_step(state, inputs.params, inputs.policy, inputs.year_seed(seed))
    return state, vectorised_summary(state)


def _reference(inputs, seed, params=None):
    model = ReferenceModel(inputs.fresh_state(), params or inputs.params, inputs.policy, seed=seed)
    model.step()
    return model, model.summary()


#: levers acting on the core step's channels (enclaves, tax cuts, sector subsidies,
#: same-city commuting, compliance costs and emission standards, cost of capital, talent
#: subsidies, digital gains), each at its upper bound
CORE_LEVERS = (
    "innovation.talent_enclaves",
    "business.tax_fee_cuts",
    "industry.emerging_industries",
    "integration.keqiao_hangzhou_same_city",
    "green.air_pollution_control",
    "green.zero_discharge_zones",
    "business.financing_access",
    "innovation.talent_programmes",
    "industry.digital_economy_doubling",
)


@pytest.mark.parametrize(
    ("with_levers", "years"),
    [(False, 0), (True, 0), (True, 3)],
    ids=["baseline", "levers", "levers-after-3-years"],
)
def test_hiring_and_production_agree_firm_by_firm(with_levers, years):
    """From the base year and from a state three simulated years on (entrants, exits,
    relocations, platform settlement and crowding all present)."""
    from growthpole.levers import LEVERS

    levers = {key: LEVERS[key].upper for key in CORE_LEVERS} if with_levers else {}
    inputs = _inputs(years=years, **levers)
    state, vectorised = _vectorised(inputs, 0)
    model, reference = _reference(inputs, 0)
    assert inputs.agents > 2000
    np.testing.assert_allclose(reference["output"], vectorised["output"], rtol=1e-9)
    np.testing.assert_allclose(reference["wage_skilled"], vectorised["wage_skilled"], rtol=1e-9)
    np.testing.assert_allclose(reference["wage_unskilled"], vectorised["wage_unskilled"], rtol=1e-9)
    # commuting constrained at both ends ([C1]-[C2]), from Z_w summed over the agents
    assert vectorised["commuters_in"].sum() > 0
    for name in ("commuters_in", "commuters_out"):
        np.testing.assert_allclose(reference[name], vectorised[name], rtol=1e-9, atol=1e-6)
    live = state.firms.live
    firms = list(model.firms)  # creation order = row order of the live firms
    assert len(firms) == int(live.sum())
    for name in ("value_added", "skilled", "unskilled"):
        np.testing.assert_allclose(
            [getattr(f, name) for f in firms],
            getattr(state.firms, name)[live],
            rtol=1e-9,
            atol=1e-12,
        )


def _flow_table(runs):
    return {name: np.array([summary[name] for summary in runs]) for name in FLOWS}


def _z_scores(first, second):
    """Per flow and region: (mean difference) / standard error of the difference."""
    scores = {}
    for name in FLOWS:
        a, b = first[name], second[name]
        error = np.sqrt(a.var(axis=0, ddof=1) / len(a) + b.var(axis=0, ddof=1) / len(b))
        difference = a.mean(axis=0) - b.mean(axis=0)
        # a region with no flow in either implementation agrees exactly
        scores[name] = np.where(
            error > 0,
            np.abs(difference) / np.where(error > 0, error, 1),
            np.where(difference == 0, 0.0, np.inf),
        )
    return scores


@pytest.fixture(scope="module")
def vectorised_flows(inputs):
    return _flow_table([_vectorised(inputs, seed)[1] for seed in range(SEEDS)])


@pytest.mark.slow
def test_migration_and_relocation_agree_in_distribution(inputs, vectorised_flows):
    reference = _flow_table([_reference(inputs, 100 + seed)[1] for seed in range(SEEDS)])
    # enough events for the comparison to mean something
    assert vectorised_flows["migration_out"].sum(axis=1).min() > 0
    assert reference["relocations_out"].sum() >= 40  # relocations over all draws
    scores = _z_scores(vectorised_flows, reference)
    worst = {name: float(score.max()) for name, score in scores.items()}
    assert max(worst.values()) < Z_LIMIT, worst
    # movers per year (≈ 85 agents a draw) agree within 10% on average (≈ 4.5 standard
    # errors: a coarser, readable check)
    ratio = (
        reference["migration_out"].sum(axis=1).mean()
        / vectorised_flows["migration_out"].sum(axis=1).mean()
    )
    assert 0.9 < ratio < 1.1, ratio
    # the declared inflow is Poisson with a known mean: both implementations match it
    expected = inputs.params.external_inflow_rate * inputs.state.talent.count  # agents
    for flows in (vectorised_flows, reference):
        agents = flows["external_inflow"].sum(axis=1) / inputs.state.people_per_agent
        assert abs(agents.mean() - expected) < Z_LIMIT * np.sqrt(expected / SEEDS)


@pytest.mark.slow
def test_the_comparison_detects_a_different_moving_cost(inputs, vectorised_flows):
    """Power: halving the fixed moving cost in the reference only must be detected."""
    params = inputs.params.replace(moving_fixed_cost=0.5 * inputs.params.moving_fixed_cost)
    reference = _flow_table([_reference(inputs, 200 + seed, params)[1] for seed in range(SEEDS)])
    scores = _z_scores(vectorised_flows, reference)
    assert scores["migration_out"].max() > Z_LIMIT


def test_talent_counts_equal_a_bincount_with_dead_rows():
    """growthpole.mechanisms.base.talent_counts (a hot-path rewrite, docs/performance.md)
    counts exactly what np.bincount counts, dead rows excluded."""
    from growthpole.mechanisms.base import talent_counts
    from growthpole.regions import N_REGIONS
    from growthpole.state import TalentTable

    rng = np.random.default_rng(3)
    table = TalentTable(capacity=5000)
    n = 4000
    table.add(
        n,
        region=np.sort(rng.integers(0, N_REGIONS, n)),
        skill=(rng.random(n) < 0.3).astype(np.int8),
    )
    table.remove(rng.choice(n, 500, replace=False))
    live = table.live
    expected = np.stack(
        [np.bincount(table.region[live & (table.skill == s)], minlength=N_REGIONS) for s in (0, 1)]
    )
    counts = talent_counts(table)
    np.testing.assert_array_equal(counts, expected)
    assert counts.sum() == n - 500
