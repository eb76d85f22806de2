"""growthpole.uncertainty: the nested draw design, the variance components against hand
computations and a seeded simulation, and the draws' common random numbers."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from growthpole import uncertainty
from growthpole.errors import ScenarioError
from growthpole.model import GrowthPoleModel
from growthpole.ranking import attach_national_rank
from growthpole.runner import run_scenario
from growthpole.scenario import build_scenario
from growthpole.seeds import replication_seeds

ROOT = Path(__file__).resolve().parents[1]
CALIBRATION = str(ROOT / "scenarios" / "calibration" / "calibrated_2005_2019.yaml")


def scenario(tmp_path: Path | None = None, **changes):
    data = {
        "name": "u",
        "start_year": 2019,
        "end_year": 2021,
        "replications": 4,
        "seed": 11,
        "calibration": CALIBRATION,
        "scale": {"people_per_agent": 8000, "workers_per_firm_agent": 10},
    }
    data.update(changes)
    source = None if tmp_path is None else tmp_path / "u.yaml"
    return build_scenario(data, source=source)


def write_posterior(tmp_path: Path) -> Path:
    """A three-particle posterior in the format `growthpole posterior` writes."""
    particles = pd.DataFrame(
        {
            "particle": [0, 1, 2],
            "weight": [0.2, 0.3, 0.5],
            "distance": [0.01, 0.02, 0.03],
            "tfp_drift": [-0.03, -0.01, 0.01],
            "spillover_rate": [0.02, 0.03, 0.04],
        }
    )
    particles.to_csv(tmp_path / "post.particles.csv", index=False)
    summary = {
        "parameters": {"tfp_drift": {}, "spillover_rate": {}},
        "fixed": {"entry_rate": 0.07, "exit_rate": 0.07},
        "files": {"particles": "post.particles.csv"},
    }
    (tmp_path / "post.yaml").write_text(yaml.safe_dump(summary))
    return tmp_path / "post.yaml"


# --- the design ---------------------------------------------------------------------------


def test_cells_are_balanced_and_crossed():
    cells = [uncertainty.cell_of(r, 5, 2) for r in range(20)]
    counts = pd.Series(cells).value_counts()
    assert len(counts) == 10 and set(counts) == {2}
    assert cells[:6] == [(0, 0), (1, 0), (2, 0), (3, 0), (4, 0), (0, 1)]


def test_replications_must_fill_the_design_for_the_reports():
    # a scenario of 5 replications over 2 coefficient draws runs (a Mesa model, the page)...
    odd = scenario(
        replications=5, uncertainty={"lever_coefficients": "prior", "coefficient_draws": 2}
    )
    uncertainty.check_balanced(odd, 4)
    # ...but its variance decomposition needs every cell filled
    with pytest.raises(ScenarioError, match="multiple of parameter_draws") as info:
        uncertainty.check_balanced(odd, odd.replications)
    assert info.value.key == "replications"
    with pytest.raises(ScenarioError, match="needs a posterior"):
        scenario(uncertainty={"parameter_draws": 2})
    with pytest.raises(ScenarioError, match="needs lever_coefficients: prior"):
        scenario(uncertainty={"coefficient_draws": 2})
    with pytest.raises(ScenarioError, match="unknown key; allowed: posterior"):
        scenario(uncertainty={"draws": 2})


def test_catalogue_design_of_one_cell_is_the_plain_scenario_bit_for_bit():
    plain = scenario()
    declared = scenario(uncertainty={"lever_coefficients": "catalogue"})
    seed = replication_seeds(11, 1)[0]
    a = GrowthPoleModel(plain, seed).run()
    b = GrowthPoleModel(declared, seed).run()
    pd.testing.assert_frame_equal(a, b)


def test_parameter_draws_come_from_the_posterior_and_are_shared_across_scenarios(tmp_path):
    post = write_posterior(tmp_path)
    block = {"posterior": str(post), "parameter_draws": 4}
    a = scenario(tmp_path, uncertainty=block)
    b = scenario(tmp_path, uncertainty=block, levers={"integration.trade_cost_cut": 0.1})
    seeds = replication_seeds(11, 4)
    drift_a = [uncertainty.replication_input(a, seeds[r], r).parameters.tfp_drift for r in range(4)]
    drift_b = [uncertainty.replication_input(b, seeds[r], r).parameters.tfp_drift for r in range(4)]
    assert drift_a == drift_b  # replication r: the same θ_k in both scenarios
    assert set(drift_a) <= {-0.03, -0.01, 0.01}
    assert len(set(drift_a)) > 1  # four draws from three particles are not all one
    # a scenario's own parameter setting overrides the draw
    fixed = scenario(tmp_path, uncertainty=block, parameters={"tfp_drift": 0.005})
    assert uncertainty.replication_input(fixed, seeds[0], 0).parameters.tfp_drift == 0.005
    # the draw's resampling follows the weights: 4,000 draws, each particle within 3 s.e.
    posterior = uncertainty.posterior_of(a)
    from growthpole.calibration.posterior import draw_parameters

    draws = draw_parameters(posterior, np.random.default_rng(0), 4000)
    share = np.mean([d["tfp_drift"] == 0.01 for d in draws])
    assert abs(share - 0.5) < 3 * np.sqrt(0.25 / 4000)


def test_coefficient_draws_differ_by_j_and_respect_scenario_settings():
    block = {"lever_coefficients": "prior", "coefficient_draws": 2}
    s = scenario(uncertainty=block)
    seeds = replication_seeds(11, 4)
    inputs = [uncertainty.replication_input(s, seeds[r], r) for r in range(4)]
    assert [i.coefficient_draw for i in inputs] == [0, 1, 0, 1]
    assert inputs[0].lever_coefficients == inputs[2].lever_coefficients
    assert inputs[0].lever_coefficients != inputs[1].lever_coefficients
    assert not any(name.endswith(".cost") for name in inputs[0].lever_coefficients)
    name = next(iter(inputs[0].lever_coefficients))
    fixed = scenario(
        uncertainty=block, lever_coefficients={name: inputs[1].lever_coefficients[name]}
    )
    assert (
        uncertainty.replication_input(fixed, seeds[0], 0).lever_coefficients[name]
        == (inputs[1].lever_coefficients[name])
    )


# --- variance components --------------------------------------------------------------------


def test_components_reduce_to_hand_computations():
    a = np.array([0.0, 1.0, 3.0])  # parameter effects only, no noise
    y = np.broadcast_to(a[:, None, None, None], (3, 2, 2, 3))
    comp = uncertainty.variance_components(y)
    assert comp["parameters"] == pytest.approx(np.var(a, ddof=1))
    assert comp["coefficients"] == comp["interaction"] == comp["agents"] == 0.0
    assert comp["competitors"] == 0.0
    # competitor draws only: σ²_ε is the within-replication sample variance
    d = np.array([0.0, 1.0])
    y = np.broadcast_to(d, (2, 2, 3, 2))
    comp = uncertainty.variance_components(y)
    assert comp["competitors"] == pytest.approx(np.var(d, ddof=1))
    assert comp["parameters"] == comp["agents"] == 0.0
    assert uncertainty.shares(comp)["competitors"] == 1.0


def test_components_recover_known_variances_in_a_seeded_simulation():
    rng = np.random.default_rng(20261203)
    K, J, n, D = 60, 8, 6, 5
    sd = {"parameters": 1.0, "coefficients": 0.7, "interaction": 0.5, "agents": 0.8}
    y = (
        sd["parameters"] * rng.standard_normal((K, 1, 1, 1))
        + sd["coefficients"] * rng.standard_normal((1, J, 1, 1))
        + sd["interaction"] * rng.standard_normal((K, J, 1, 1))
        + sd["agents"] * rng.standard_normal((K, J, n, 1))
        + 0.6 * rng.standard_normal((K, J, n, D))
    )
    comp = uncertainty.variance_components(y)
    # tolerances ~3 standard errors of the ANOVA estimators at these sizes (J = 8 makes the
    # coefficient component the least precise: its s.e. is about 0.55 σ²_b)
    assert comp["competitors"] == pytest.approx(0.36, rel=0.1)
    assert comp["agents"] == pytest.approx(0.64, rel=0.15)
    assert comp["interaction"] == pytest.approx(0.25, rel=0.3)
    assert comp["parameters"] == pytest.approx(1.0, rel=0.4)
    assert 0.0 < comp["coefficients"] < 0.49 * 3


def test_cluster_bootstrap_is_degenerate_on_a_constant_and_covers_the_mean():
    rng = np.random.default_rng(1)
    boot = uncertainty.cluster_bootstrap(np.full((3, 2, 2, 2), 0.4), rng, 50)
    assert np.allclose(boot, 0.4, rtol=0, atol=1e-12)
    y = rng.random((10, 2, 4, 3)) < 0.3
    boot = uncertainty.cluster_bootstrap(y, rng, 400)
    low, high = np.quantile(boot, [0.05, 0.95])
    assert low < y.mean() < high and high - low > 0


# --- competitors and the reports -----------------------------------------------------------


def test_competitor_draw_zero_is_the_runs_own_and_others_redraw():
    s = scenario(end_year=2026, replications=2)
    result = run_scenario(s)
    seeds = result.seeds
    again = attach_national_rank(result.city_year, seeds, s.start_year, competitor_draw=0)
    pd.testing.assert_series_equal(again.national_rank, result.city_year.national_rank)
    redrawn = [
        attach_national_rank(result.city_year, seeds, s.start_year, competitor_draw=d)
        for d in (1, 2)
    ]
    pd.testing.assert_series_equal(redrawn[0].gdp, result.city_year.gdp)
    # redrawn competitors move some corridor rank after the last published competitor year
    moved = [(r.national_rank != result.city_year.national_rank).any() for r in redrawn]
    assert any(moved)


@pytest.mark.slow
def test_reports_have_intervals_that_contain_their_estimates():
    s = scenario(
        replications=4,
        uncertainty={"lever_coefficients": "prior", "coefficient_draws": 2, "competitor_draws": 2},
    )
    t = s.with_changes(name="t", levers={"integration.trade_cost_cut": 0.2})
    a, b = run_scenario(s), run_scenario(t)
    p = uncertainty.probability_report(a, [2021])
    row = p.iloc[0]
    assert row.p_low <= row.p_top30 <= row.p_high
    assert row.replications == 4 and row.competitor_draws == 2
    e = uncertainty.effect_report(a, b, [2021]).iloc[0]
    assert e.mean_low <= e.effect_percent <= e.mean_high
    assert e.band_p05 <= e.effect_percent <= e.band_p95
    shares = [e[f"share_{c}"] for c in uncertainty.COMPONENTS[:-1]]
    assert sum(shares) == pytest.approx(1.0)


def test_a_run_uses_each_replications_draw_and_reruns_byte_identical(tmp_path):
    """run_scenario hands no parameters to the replications of a posterior scenario, so each
    runs on its own θ_k (a regression: the runner once passed the point values to all), the
    manifest says which draw, and `rerun` reproduces the bytes from the manifest."""
    from growthpole.rerun import rerun, run_to_directory
    from growthpole.runner import simulate

    post = write_posterior(tmp_path)
    drawn = scenario(tmp_path, uncertainty={"posterior": str(post), "parameter_draws": 4})
    result = run_scenario(drawn)
    seeds = replication_seeds(drawn.seed, drawn.replications)
    for r in (0, 3):
        inputs = uncertainty.replication_input(drawn, seeds[r], r)
        alone = simulate(drawn, seeds[r], replication=r, parameters=inputs.parameters)
        ran = result.city_year[result.city_year.replication == r].drop(
            columns=[c for c in result.city_year.columns if c not in alone.columns]
        )
        pd.testing.assert_frame_equal(ran.reset_index(drop=True), alone, check_dtype=False)
    point = run_scenario(drawn, parameters=drawn.model_parameters())
    assert not result.city_year["gdp"].equals(point.city_year["gdp"])  # the draws act
    assert point.explicit_parameters and not result.explicit_parameters

    done = run_to_directory(
        drawn,
        tmp_path / "run",
        overwrite=False,
        resume=False,
        parameters=None,
        progress=False,
        command=["test"],
    )
    recorded = yaml.safe_load((tmp_path / "run" / "manifest.json").read_text())
    assert recorded["parameters_drawn"] is True
    assert recorded["replication_draws"] == [[r % 4, 0] for r in range(4)]
    report = rerun(done.directory)
    assert report.identical
