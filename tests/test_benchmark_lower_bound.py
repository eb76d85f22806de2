"""The plain-NumPy lower bound of benchmarks/lower_bound.py computes what it says it does:
each pass updates the column as documented (``column * gathered``, plus the draw for a
stochastic step) and returns its region totals, checked against a plain Python loop; the
year makes the documented number of passes per table. No timing is asserted (speed is
measured in benchmarks/run.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import lower_bound  # noqa: E402


@pytest.mark.parametrize("stochastic", [False, True])
def test_pass_matches_a_loop(stochastic):
    table = lower_bound.AgentColumns.random(257, seed=5)
    region_values = np.linspace(0.5, 1.5, lower_bound.N_REGIONS)
    before = table.column.copy()
    draws = np.random.default_rng(9).random(257)
    totals = lower_bound.mechanism_pass(table, region_values, np.random.default_rng(9), stochastic)
    expected_column = np.empty(257)
    expected_totals = np.zeros(lower_bound.N_REGIONS)
    for i in range(257):
        value = before[i] * region_values[table.region[i]]
        if stochastic:
            value += draws[i]
        expected_column[i] = value
        expected_totals[table.region[i]] += value
    np.testing.assert_allclose(table.column, expected_column, rtol=1e-15)
    np.testing.assert_allclose(totals, expected_totals, rtol=1e-12)


def test_year_covers_every_schedule_step():
    from growthpole.schedule import SCHEDULE

    assert tuple(lower_bound.STEP_AGENTS) == SCHEDULE.names
    assert lower_bound.STOCHASTIC <= set(SCHEDULE.names)
    assert lower_bound.passes_per_year() == {"firms": 49, "talent": 11}


def test_year_updates_both_tables():
    firms = lower_bound.AgentColumns.random(100, seed=1)
    talent = lower_bound.AgentColumns.random(1000, seed=2)
    firm_before, talent_before = firms.column.copy(), talent.column.copy()
    totals = lower_bound.lower_bound_year(firms, talent, np.random.default_rng(3))
    assert not np.array_equal(firms.column, firm_before)
    assert not np.array_equal(talent.column, talent_before)
    # the last step (settle_production) acts on the firms: its totals are theirs
    np.testing.assert_allclose(
        totals, np.bincount(firms.region, weights=firms.column, minlength=9), rtol=1e-12
    )
