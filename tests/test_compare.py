"""``growthpole compare``: common random numbers, the paired interval, outputs and errors."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from growthpole.compare import (
    compare_scenarios,
    format_comparison,
    paired_differences,
    paired_t_interval,
    side_by_side,
)
from growthpole.errors import ScenarioError

from .conftest import tiny_scenario
from .test_cli import cli, write_tiny


def test_paired_interval_matches_scipy_paired_t_test():
    rng = np.random.default_rng(5)
    a = rng.normal(100.0, 10.0, 12)
    b = a + rng.normal(2.0, 1.0, 12)
    mean, se, lower, upper = paired_t_interval(b - a)
    reference = stats.ttest_rel(b, a).confidence_interval(0.95)
    assert mean == pytest.approx(float(np.mean(b - a)))
    assert se == pytest.approx(float(np.std(b - a, ddof=1) / np.sqrt(12)))
    assert (lower, upper) == pytest.approx((reference.low, reference.high), rel=1e-12)


def test_same_policy_under_another_seed_is_identical_once_seeds_are_shared():
    """Common random numbers: B has A's levers but its own seed in the file; compare runs it
    with A's seed, so every paired difference is exactly zero (and says so in a note)."""
    a = tiny_scenario(end_year=2022, seed=11)
    b = tiny_scenario(end_year=2022, seed=99, name="other")
    comparison = compare_scenarios([a, b], replications=3)
    differences = paired_differences(comparison)
    assert (differences.gdp_difference_mean == 0).all()
    assert (differences.ci_lower == 0).all() and (differences.ci_upper == 0).all()
    assert any("seed 99 overridden" in note for note in comparison.notes)


def test_a_lever_that_raises_gdp_gives_an_interval_above_zero():
    """Digital agriculture adds to the real growth of non-firm GDP in Shaoxing from 2020; the
    paired difference must be positive in every later year, its interval above zero."""
    a = tiny_scenario(end_year=2023)
    b = tiny_scenario(
        end_year=2023, name="agri", levers={"industry.digital_agriculture": {2020: 1.0}}
    )
    differences = paired_differences(compare_scenarios([a, b], replications=3))
    later = differences[differences.year >= 2020]
    assert (later.ci_lower > 0).all(), later
    assert differences.loc[differences.year == 2019, "gdp_difference_mean"].item() == 0


def test_scenarios_with_different_horizons_are_refused():
    with pytest.raises(ScenarioError, match="end_year"):
        compare_scenarios([tiny_scenario(end_year=2022), tiny_scenario(end_year=2023)])


@pytest.mark.slow
def test_cli_compare_prints_side_by_side_and_writes_csvs(tmp_path):
    a = write_tiny(tmp_path / "a.yaml", name="a")
    b = write_tiny(
        tmp_path / "b.yaml",
        name="b",
        seed=8,
        levers={"innovation.industry_research_institutes": {2020: 1.0}},
    )
    out = tmp_path / "cmp"
    proc = cli("compare", a, b, "--replications", 3, "--out", out)
    assert proc.returncode == 0, proc.stderr
    assert "paired t interval" in proc.stdout and "seed 8 overridden" in proc.stdout
    table = pd.read_csv(out / "comparison.csv")
    assert set(table.scenario) == {"a", "b"} and "gdp_median" in table.columns
    differences = pd.read_csv(out / "difference.csv")
    assert set(differences.scenario_b) == {"b"}
    assert (differences.replications == 3).all()
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["root_seed"] == 7 and manifest["replications"] == 3
    again = cli("compare", a, b, "--replications", 3, "--out", out)
    assert again.returncode == 2 and "already holds results" in again.stderr


@pytest.mark.slow
@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (("ONE",), "at least two scenario files"),
        (("ONE", "TWO", "--replications", "1"), "--replications must be >= 2"),
        (("ONE", "LATE"), "key 'end_year'"),
    ],
)
def test_cli_compare_rejects_bad_arguments_with_one_line(tmp_path, arguments, message):
    files = {
        "ONE": write_tiny(tmp_path / "one.yaml"),
        "TWO": write_tiny(tmp_path / "two.yaml"),
        "LATE": write_tiny(tmp_path / "late.yaml", end_year=2024),
    }
    proc = cli("compare", *[files.get(arg, arg) for arg in arguments])
    assert proc.returncode == 2
    assert message in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def test_runs_without_national_rank_are_compared_on_gdp_alone():
    """Until the ranking is attached to a run, compare reports GDP and says rank is absent."""
    comparison = compare_scenarios(
        [tiny_scenario(end_year=2021), tiny_scenario(end_year=2021, name="b")], replications=2
    )
    for result in comparison.results:
        result.city_year = result.city_year.drop(columns=["national_rank"], errors="ignore")
    table = side_by_side(comparison)
    assert "rank_median" not in table.columns and "p_top30" not in table.columns
    text = format_comparison(comparison, table, paired_differences(comparison))
    assert "national rank not available" in text
