"""The EMA-style experiments API (growthpole.experiments.api) and scenario discovery by PRIM
and feature scoring (growthpole.experiments.discovery).

PRIM is checked against boxes known by construction (a planted box in uniform noise, and a
Morris-like design with few levels); the API against the sweep store it writes, and its
Dask run against the serial reference (identical tables).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from growthpole.errors import ScenarioError
from growthpole.experiments import discovery, store
from growthpole.experiments.api import (
    ExperimentModel,
    Lever,
    Uncertainty,
    outcome_columns,
    perform_experiments,
)
from growthpole.experiments.base import SerialExecutor
from tests.conftest import tiny_scenario


def tiny_model(**changes) -> ExperimentModel:
    """Inflation moves nominal GDP only; the Hangzhou link moves market access and GDP."""
    settings = {
        "scenario": tiny_scenario(end_year=2022),
        "uncertainties": [Uncertainty("gdp_deflator_inflation", -0.03, 0.03)],
        "levers": [Lever("integration.hangzhou_travel_time_cut", 0.0, 0.6, from_year=2020)],
        "outcomes": ["gdp:2022", "gdp_real:2022"],
        "replications": 2,
        "seed": 5,
    }
    settings.update(changes)
    return ExperimentModel(**settings)


@pytest.fixture(scope="module")
def serial(tmp_path_factory):
    directory = tmp_path_factory.mktemp("experiments")
    return perform_experiments(
        tiny_model(), samples=6, executor=SerialExecutor(), directory=directory
    )


def test_experiments_and_outcomes_are_one_row_per_run(serial):
    experiments, outcomes = serial
    assert len(experiments) == len(outcomes) == 6 * 2
    assert experiments.attrs["uncertainties"] == ["gdp_deflator_inflation"]
    assert experiments.attrs["levers"] == ["integration.hangzhou_travel_time_cut"]
    assert list(outcomes.columns) == ["gdp:2022", "gdp_real:2022"]
    assert experiments.gdp_deflator_inflation.between(-0.03, 0.03).all()
    assert experiments["integration.hangzhou_travel_time_cut"].between(0.0, 0.6).all()
    assert experiments.groupby("variant").size().eq(2).all()
    # the outcomes are the stored rows: GDP of Shaoxing in 2022 of each run
    results = store.read_results(experiments.attrs["directory"])
    stored = results.query("region == 'shaoxing' and year == 2022").set_index("run_id").gdp
    np.testing.assert_array_equal(
        outcomes["gdp:2022"].to_numpy(), stored.loc[experiments.run_id].to_numpy()
    )


def test_inflation_moves_nominal_not_real_gdp(serial):
    """Within a replication (common random numbers), nominal GDP rises with inflation and
    real GDP does not depend on it (it differs only through the lever)."""
    experiments, outcomes = serial
    table = pd.concat([experiments, outcomes], axis=1)
    for _, block in table.groupby("replication"):
        ratio = block["gdp:2022"] / block["gdp_real:2022"]
        # three years of deflator: the replication's national path (the same in every run
        # of the replication) times (1 + π)^3, π the corridor's gap to it
        national = ratio / (1 + block.gdp_deflator_inflation) ** 3
        np.testing.assert_allclose(national, national.iloc[0], rtol=1e-12)


@pytest.mark.slow
def test_dask_executor_gives_the_serial_tables(serial, tmp_path):
    from growthpole.experiments.execute import make_executor

    experiments, outcomes = serial
    with make_executor("local", workers=2) as executor:
        dask_experiments, dask_outcomes = perform_experiments(
            tiny_model(), samples=6, executor=executor, directory=tmp_path / "dask"
        )
    pd.testing.assert_frame_equal(dask_experiments, experiments, check_like=False)
    pd.testing.assert_frame_equal(dask_outcomes, outcomes)


def test_factors_are_checked_for_their_group():
    with pytest.raises(ScenarioError, match="is a policy lever: declare it as a Lever"):
        tiny_model(uncertainties=[Uncertainty("innovation.talent_programmes", 0, 1)]).sweep(
            samples=4
        )
    with pytest.raises(ScenarioError, match="unknown lever 'rd_return'"):
        tiny_model(levers=[Lever("rd_return", 0.1, 0.4)]).sweep(samples=4)
    with pytest.raises(ScenarioError, match="must be NAME:YEAR"):
        tiny_model(outcomes=["gdp"]).sweep(samples=4)
    with pytest.raises(ScenarioError, match="at least one uncertainty or lever"):
        tiny_model(uncertainties=[], levers=[]).sweep(samples=4)
    assert outcome_columns(["gdp:2030", "p_top30_by:2030"]) == (["gdp", "national_rank"], "all")


# ---- PRIM and feature scoring --------------------------------------------------------------


def planted(n: int = 1500, seed: int = 3) -> tuple[pd.DataFrame, np.ndarray]:
    """Uniform points in [0, 1]^3; the cases are those with a > 0.6 and b < 0.4."""
    rng = np.random.default_rng(seed)
    X = pd.DataFrame(rng.uniform(0, 1, (n, 3)), columns=["a", "b", "c"])
    return X, ((X.a > 0.6) & (X.b < 0.4)).to_numpy()


def test_prim_recovers_a_planted_box():
    X, cases = planted()
    result = discovery.prim(X, cases, lower=np.zeros(3), upper=np.ones(3), min_coverage=0.8)
    box = result.box()
    assert set(box) == {"a", "b"}  # c is noise: never restricted
    # tolerance: the peel stops within one 5% step of the planted edges
    assert box["a"][0] == pytest.approx(0.6, abs=0.05) and box["a"][1] == 1.0
    assert box["b"][1] == pytest.approx(0.4, abs=0.05) and box["b"][0] == 0.0
    chosen = result.trajectory.iloc[result.chosen]
    assert chosen.density > 0.9 and chosen.coverage >= 0.8
    trajectory = result.trajectory
    assert trajectory.density.iloc[0] == pytest.approx(cases.mean())
    assert trajectory.coverage.iloc[0] == 1.0
    assert (np.diff(trajectory.mass) < 0).all()  # every step peels something
    assert (np.diff(trajectory.coverage) <= 1e-12).all()  # coverage never grows
    table = result.box_table()
    assert set(table.factor) == {"a", "b"} and (table.density == chosen.density).all()


def test_prim_on_few_levels_peels_whole_levels_and_stops():
    levels = np.array([0.0, 1 / 3, 2 / 3, 1.0])
    rng = np.random.default_rng(8)
    X = pd.DataFrame({"a": rng.choice(levels, 400), "b": rng.choice(levels, 400)})
    cases = (X.a == 1.0).to_numpy()
    result = discovery.prim(X, cases, min_mass=0.05, min_coverage=0.9)
    assert result.box() == {"a": (1.0, 1.0)}
    assert result.trajectory.iloc[result.chosen].density == 1.0


def test_prim_without_any_case_returns_the_whole_space():
    X, _ = planted(200)
    result = discovery.prim(X, np.zeros(len(X), bool))
    assert result.chosen == 0 and result.box() == {}


def test_feature_scores_rank_the_factor_the_outcome_depends_on():
    X, cases = planted(800)
    scores = discovery.feature_scores(X, cases)
    assert scores.sum() == pytest.approx(1.0)
    assert scores.index[-1] == "c" and scores["c"] < 0.15 < min(scores["a"], scores["b"])
    continuous = discovery.feature_scores(X, 5 * X.b.to_numpy() + 0.01 * X.c.to_numpy())
    assert continuous.index[0] == "b" and continuous["b"] > 0.8


@pytest.mark.slow
def test_prim_discover_on_a_stored_sweep(tmp_path):
    from tests.test_sweeps import inert_and_price_sweep

    directory = inert_and_price_sweep(
        tmp_path, {"method": "latin_hypercube", "samples": 40, "seed": 8}
    )
    result, table, summary = discovery.prim_discover(directory, outcome="gdp:2023")
    # high nominal GDP <=> high inflation: the box bounds inflation from below only
    box = result.box()
    assert list(box) == ["gdp_deflator_inflation"]
    assert box["gdp_deflator_inflation"][0] > -0.01
    assert summary["density"] == 1.0 and summary["coverage"] >= 0.5
    _, _, cart = discovery.discover(directory, outcome="gdp:2023")
    scores = cart["feature_scores"]
    assert max(scores, key=scores.get) == "gdp_deflator_inflation"
    assert len(table) == 40


@pytest.mark.slow
def test_discover_method_prim_writes_the_box_trajectory_and_scores(tmp_path, capsys, saved_figures):
    """`growthpole discover DIR --method prim`: the box, trajectory and feature scores of
    discovery.prim_discover, written and printed; the trajectory chart carries units."""
    from growthpole.cli import main
    from tests.test_sweeps import inert_and_price_sweep

    directory = inert_and_price_sweep(
        tmp_path / "sweep", {"method": "latin_hypercube", "samples": 40, "seed": 8}
    )
    code = main(["discover", str(directory), "--method", "prim", "--outcome", "gdp:2023"])
    assert code == 0
    printed = capsys.readouterr().out
    out = directory / "prim"
    result, _, summary = discovery.prim_discover(directory, outcome="gdp:2023")
    box = pd.read_csv(out / "prim_box.csv")
    assert list(box.factor) == ["gdp_deflator_inflation"]
    assert box.lower.iloc[0] == pytest.approx(result.box()["gdp_deflator_inflation"][0])
    trajectory = pd.read_csv(out / "prim_trajectory.csv")
    np.testing.assert_allclose(trajectory.coverage, result.trajectory.coverage)
    np.testing.assert_allclose(trajectory.density, result.trajectory.density)
    assert saved_figures == ["prim_trajectory.png"]
    assert (out / "prim_trajectory.png").read_bytes()[:4] == b"\x89PNG"
    assert f"PRIM box (step {result.chosen} of {len(result.trajectory) - 1})" in printed
    assert "gdp_deflator_inflation in [" in printed
    scores = summary["feature_scores"]
    assert max(scores, key=scores.get) == "gdp_deflator_inflation"
    assert printed.index("feature scores: gdp_deflator_inflation") > 0
    # the CART boxes of the same sweep stay where they were: a separate directory
    assert not (directory / "discovery").exists()
