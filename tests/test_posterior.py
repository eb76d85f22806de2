"""The ABC-SMC posterior: coverage of a known truth, ridge diagnostics, resume, workers,
drawing parameters, settings errors and the command line.

Small: short windows, 2-3 replications at 5,000 people per agent, populations of 16-30
particles and 2-5 generations (the machine's 2 cores are shared).
"""

from __future__ import annotations

import dataclasses
import itertools
from types import SimpleNamespace

import numpy as np
import pytest
import yaml

from growthpole.calibration.moments import MomentSet
from growthpole.calibration.objective import Problem
from growthpole.calibration.posterior import (
    build_settings,
    draw_parameters,
    identification,
    jacobian_directions,
    load_posterior,
    moment_jacobian,
    noise_floor,
    output_paths,
    prior_distribution,
    run_posterior,
    weighted_quantile,
)
from growthpole.calibration.spec import build_spec
from growthpole.cli import main
from growthpole.errors import OutputError, ScenarioError

from .test_calibration import synthetic_problem

TRUTH = {"tfp_drift": -0.01, "gdp_deflator_inflation": 0.01}
GDP = {"kind": "gdp", "city": "shaoxing"}
REAL_GROWTH = {"kind": "real_growth", "city": "shaoxing"}


def small_spec(**changes):
    data = {
        "name": "posterior-test",
        "window": "2012:2018",
        "replications": 3,
        "seed": 11,
        "scale": {"people_per_agent": 5000, "workers_per_firm_agent": 10},
        "parameters": {
            "tfp_drift": {"lower": -0.03, "upper": 0.01},
            "gdp_deflator_inflation": {"lower": -0.02, "upper": 0.04},
        },
        "fixed": {"tfp_shock_sd": 0.0},
        "targets": [GDP, REAL_GROWTH],
    }
    data.update(changes)
    return build_spec(data)


@pytest.fixture(scope="module")
def tiny():
    """A cheap synthetic problem (window 2012:2015, 2 replications) and its settings."""
    spec = small_spec(window="2012:2015", replications=2)
    problem = synthetic_problem(spec, TRUTH, replications=6)
    settings = build_settings(
        {"population": 16, "generations": 3, "seed": 5, "history_replications": 6}
    )
    return spec, problem, settings


@pytest.fixture(scope="module")
def tiny_uninterrupted(tiny, tmp_path_factory):
    spec, problem, settings = tiny
    out = tmp_path_factory.mktemp("uninterrupted") / "post.yaml"
    return run_posterior(settings, spec, out, problem=problem, diagnostics=False)


@pytest.mark.slow
def test_posterior_covers_the_truth(tmp_path):
    """Synthetic history at known (tfp_drift, deflator): each 90% interval of the posterior
    covers the truth, the posterior is narrower than the uniform prior (sd < 0.8 x prior sd:
    the data taught it something; seen 0.55-0.75 after 5 generations), ε falls every
    generation, and the files read back as the run's particles."""
    spec = small_spec()
    problem = synthetic_problem(spec, TRUTH)
    settings = build_settings(
        {"population": 30, "generations": 5, "seed": 3, "history_replications": 12}
    )
    out = tmp_path / "post.yaml"
    run = run_posterior(settings, spec, out, problem=problem, diagnostics=False)
    for name, true_value in TRUTH.items():
        row = run.summary["parameters"][name]
        assert row["p05"] <= true_value <= row["p95"], (name, row)
        assert row["sd"] < 0.8 * row["prior"]["sd"], (name, row)
    epsilons = [g["epsilon"] for g in run.summary["generations"]]
    assert len(epsilons) == 5 and all(b < a for a, b in itertools.pairwise(epsilons))
    assert np.isclose(run.weights.sum(), 1.0)
    posterior = load_posterior(out)
    assert posterior.names == problem.names
    assert np.allclose(posterior.values, run.values, rtol=0, atol=1e-12)
    summary = yaml.safe_load(out.read_text())
    assert summary["evaluations"]["model_runs_abc"] == 3 * sum(
        g["evaluations"] for g in summary["generations"]
    )


@pytest.mark.slow
def test_resume_gives_the_uninterrupted_result(tiny, tiny_uninterrupted, tmp_path):
    """Stop after 2 of 3 generations, resume: the same particles, weights and ε as an
    uninterrupted run; a database without --resume is refused."""
    spec, problem, settings = tiny
    out = tmp_path / "post.yaml"
    first = run_posterior(
        settings,
        spec,
        out,
        problem=problem,
        diagnostics=False,
        stop_after_generations=2,
        write=False,
    )
    assert len(first.generations) == 2
    with pytest.raises(OutputError, match="--resume"):
        run_posterior(settings, spec, out, problem=problem, diagnostics=False)
    resumed = run_posterior(settings, spec, out, problem=problem, diagnostics=False, resume=True)
    full = tiny_uninterrupted
    assert resumed.summary["evaluations"]["resumed_generations"] == 2
    assert np.array_equal(resumed.unit, full.unit)
    assert np.array_equal(resumed.weights, full.weights)
    assert [g["epsilon"] for g in resumed.generations] == [g["epsilon"] for g in full.generations]
    other = settings.model_copy(update={"seed": 6})
    with pytest.raises(OutputError, match="other posterior settings"):
        run_posterior(
            other, spec, out, problem=problem, diagnostics=False, resume=True, write=False
        )


@pytest.mark.slow
def test_two_dask_workers_give_the_serial_particles(tiny, tiny_uninterrupted, tmp_path):
    """The ordered sampler: 2 Dask worker processes (a LocalCluster on 127.0.0.1) give the
    serial run's particles exactly."""
    from distributed import Client

    from growthpole.experiments.execute import local_cluster

    spec, problem, settings = tiny
    cluster = local_cluster(2)
    try:
        with Client(cluster) as client:
            parallel = run_posterior(
                settings,
                spec,
                tmp_path / "post.yaml",
                problem=problem,
                diagnostics=False,
                client=client,
            )
    finally:
        cluster.close()
    assert parallel.summary["evaluations"]["workers"] == 2
    assert np.array_equal(parallel.unit, tiny_uninterrupted.unit)
    assert np.array_equal(parallel.weights, tiny_uninterrupted.weights)
    assert [g["evaluations"] for g in parallel.generations] == [
        g["evaluations"] for g in tiny_uninterrupted.generations
    ]


@pytest.mark.slow
def test_jacobian_finds_the_nominal_gdp_ridge():
    """A real ridge of the model: with nominal GDP as the only target, faster TFP growth and
    a lower deflator compensate. The weighted Jacobian's small singular direction loads on
    both with opposite signs and is flagged; adding real growth (which the deflator does
    not move) lifts the small singular value (relative to the largest) at least 5-fold
    (seen: 0.005 -> 0.1)."""
    relative = {}
    for label, targets in (("gdp", [GDP]), ("gdp+growth", [GDP, REAL_GROWTH])):
        spec = small_spec(window="2012:2016", targets=targets)
        template = MomentSet.every_year(spec.targets, spec.start, spec.end)
        problem = dataclasses.replace(Problem.from_spec(spec), moments=template)
        unit = np.array([0.5, 0.5])
        jacobian = moment_jacobian(problem, unit, 0.05)
        floor, _ = noise_floor(problem, unit, 1)
        _, prior_sd = prior_distribution(problem, {})
        result = jacobian_directions(
            jacobian, problem.moments.weights, problem.names, prior_sd, floor
        )
        smallest = result["directions"][-1]
        relative[label] = smallest["relative"]
        if label == "gdp":
            assert smallest["ridge"], result
            loadings = smallest["direction"]
            assert set(loadings) == {"tfp_drift", "gdp_deflator_inflation"}
            assert loadings["tfp_drift"] * loadings["gdp_deflator_inflation"] < 0
            assert result["condition_number"] > 50
    assert relative["gdp+growth"] > 5 * relative["gdp"], relative


def test_identification_of_an_exact_line():
    """Diagnostics on a known geometry: three parameters, the moments see u0 + u1 only (a
    line of equal fit) and u2 directly. The posterior sample is spread along u0 - u1 (as
    wide as the prior) and tight across. Correlations, posterior eigen-directions and the
    Jacobian all flag the (u0, -u1) direction; u2 is identified."""
    rng = np.random.default_rng(4)
    n = 4000
    along = rng.uniform(-0.4, 0.4, n)
    unit = np.column_stack(
        [
            0.5 + along + rng.normal(0, 0.01, n),
            0.5 - along + rng.normal(0, 0.01, n),
            rng.normal(0.3, 0.02, n),
        ]
    )
    weights = rng.uniform(0.5, 1.5, n)
    weights /= weights.sum()
    names = ("a", "b", "c")
    moments = SimpleNamespace(weights=np.full(6, 1.0))
    problem = SimpleNamespace(names=names, moments=moments)
    base = np.linspace(1.0, 2.0, 6)
    jacobian = np.column_stack([base, base, np.linspace(2.0, 0.5, 6)])
    prior_sd = np.full(3, np.sqrt(1 / 12))
    result = identification(
        problem, unit, weights, prior_sd, floor=1e-3, step=None, jacobian=jacobian
    )
    assert result["parameters"]["c"]["verdict"] == "identified by data"
    assert result["parameters"]["a"]["verdict"] == "held at its prior"
    assert result["correlated_pairs"][0]["pair"] == ["a", "b"]
    assert result["correlated_pairs"][0]["correlation"] < -0.95
    widest = result["posterior_covariance_eigen"][-1]
    assert not widest["identified"]
    assert set(widest["direction"]) == {"a", "b"}
    assert widest["direction"]["a"] * widest["direction"]["b"] < 0
    assert [d["identified"] for d in result["posterior_covariance_eigen"][:2]] == [True, True]
    ridges = result["jacobian"]["ridges"]
    assert len(ridges) == 1 and set(ridges[0]) == {"a", "b"}
    assert abs(ridges[0]["a"] + ridges[0]["b"]) < 1e-9


def test_weighted_quantile_matches_repetition():
    """A particle of weight 2 counts as two particles of weight 1."""
    values = np.array([3.0, 1.0, 2.0])
    weights = np.array([1.0, 2.0, 1.0])
    repeated = np.array([1.0, 1.0, 2.0, 3.0])
    for q in (0.1, 0.5, 0.9):
        assert weighted_quantile(values, weights, q) == pytest.approx(
            weighted_quantile(repeated, np.ones(4), q)
        )


def test_draw_parameters(tmp_path):
    """Draws resample particles by weight (a zero-weight particle never appears; shares
    within 0.03 of the weights over 4,000 draws, 4+ binomial sds), carry the fixed values,
    map name@YEAR onto name for scenarios, and repeat with the same generator seed."""
    out = tmp_path / "p.yaml"
    paths = output_paths(out)
    names = ["tfp_drift", "tfp_drift@2012", "rd_return"]
    out.write_text(
        yaml.safe_dump(
            {
                "parameters": {n: {} for n in names},
                "fixed": {"entry_rate": 0.07},
                "regimes": {"break_year": 2012},
                "files": {"particles": paths["particles"].name},
            }
        )
    )
    paths["particles"].write_text(
        "particle,weight,distance,tfp_drift,tfp_drift@2012,rd_return\n"
        "0,0.6,0.1,0.01,0.02,0.3\n1,0.4,0.2,0.03,0.04,0.1\n"
        "2,0.0,0.3,0.05,0.06,0.5\n"
    )
    posterior = load_posterior(out)
    draws = draw_parameters(posterior, np.random.default_rng(1), 4000)
    assert len(draws) == 4000
    assert all(d["entry_rate"] == 0.07 and "tfp_drift@2012" not in d for d in draws)
    latest = [d["tfp_drift"] for d in draws]
    assert 0.06 not in latest
    assert abs(latest.count(0.02) / 4000 - 0.6) < 0.03
    assert {(d["tfp_drift"], d["rd_return"]) for d in draws} <= {(0.02, 0.3), (0.04, 0.1)}
    assert draws[:50] == draw_parameters(posterior, np.random.default_rng(1), 50)
    every = draw_parameters(posterior, np.random.default_rng(1), 3, regime="all")
    assert {"tfp_drift", "tfp_drift@2012"} <= set(every[0])


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"populaton": 10}, "populaton"),
        ({"priors": {"rd_return": {"distribution": "normal", "mean": 0.2}}}, "priors.rd_return"),
        (
            {"priors": {"rd_return": {"distribution": "normal", "mean": 0.9, "sd": 0.1}}},
            "priors.rd_return.mean",
        ),
        ({"priors": {"spillover_rate": {"distribution": "uniform"}}}, "priors.spillover_rate"),
        ({"replications": 1}, "replications"),
    ],
)
def test_bad_settings_name_the_key(data, key):
    spec = build_spec(
        {
            **small_spec().model_dump(exclude={"source_path"}),
            "parameters": {
                "tfp_drift": {"lower": -0.03, "upper": 0.01},
                "rd_return": {"lower": 0.0, "upper": 0.6},
            },
        }
    )
    with pytest.raises(ScenarioError) as caught:
        build_settings(data, source="post.yaml", spec=spec)
    assert f"key '{key}'" in str(caught.value)


def test_command_line(tmp_path, capsys):
    """`growthpole posterior` on the real targets (one cheap generation): exit 0, the three
    files, and exit 2 with one line when run again without --overwrite."""
    spec = small_spec(window="2012:2014", replications=2)
    (tmp_path / "spec.yaml").write_text(
        yaml.safe_dump(spec.model_dump(mode="json", exclude={"source_path"}))
    )
    settings = tmp_path / "post.yaml"
    settings.write_text(
        yaml.safe_dump(
            {
                "spec": "spec.yaml",
                "population": 6,
                "generations": 1,
                "seed": 1,
                "jacobian_step": 0.1,
            }
        )
    )
    out = tmp_path / "result.yaml"
    assert main(["posterior", str(settings), "--out", str(out)]) == 0
    for path in output_paths(out).values():
        assert path.exists(), path
    summary = yaml.safe_load(out.read_text())
    assert "jacobian" in summary["identification"]
    assert set(summary["parameters"]) == {"tfp_drift", "gdp_deflator_inflation"}
    capsys.readouterr()
    assert main(["posterior", str(settings), "--out", str(out)]) == 2
    error = capsys.readouterr().err.strip().splitlines()
    assert len(error) == 1 and "--overwrite" in error[0]
