"""Sweeps: designs, run ids, serial == Dask, resumption, worker loss, bad sweep files."""

from __future__ import annotations

import functools
import os
import signal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from growthpole.cli import main
from growthpole.errors import OutputError, ScenarioError
from growthpole.experiments import store
from growthpole.experiments.base import SerialExecutor
from growthpole.experiments.design import FactorSpace, sample_design
from growthpole.experiments.execute import DaskExecutor, execute_run, run_sweep
from growthpole.experiments.sweep import build_sweep, load_sweep
from growthpole.runner import simulate
from growthpole.seeds import replication_seeds

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.xdist_group("sweeps")  # one LocalCluster at a time on 2 cores

TINY_SCENARIO = {
    "name": "tiny",
    "start_year": 2019,
    "end_year": 2023,
    "seed": 12345,
    "scale": {"people_per_agent": 20000, "workers_per_firm_agent": 10},
}


def sweep_data(**changes):
    data = {
        "name": "tiny-sweep",
        "scenario": dict(TINY_SCENARIO),
        "replications": 2,
        "seed": 99,
        "design": {"method": "grid", "levels": 3},
        "factors": [
            {
                "lever": "integration.hangzhou_travel_time_cut",
                "range": [0.0, 0.6],
                "from_year": 2020,
            },
            {"parameter": "rd_return", "range": [0.1, 0.4]},
        ],
        "outcomes": {"regions": ["shaoxing"], "columns": ["gdp", "population"], "years": "all"},
    }
    data.update(changes)
    return data


@pytest.fixture(scope="module")
def tiny_sweep():
    return build_sweep(sweep_data())  # 3 x 3 grid x 2 replications = 18 runs


@pytest.fixture(scope="module")
def reference(tiny_sweep, tmp_path_factory):
    """The serial result table of the tiny sweep."""
    directory = tmp_path_factory.mktemp("serial")
    report = run_sweep(tiny_sweep, directory, SerialExecutor())
    assert report.executed == tiny_sweep.run_count == 18
    return store.read_results(directory)


@pytest.fixture(scope="module")
def dask_client():
    from distributed import Client

    from growthpole.experiments.execute import local_cluster

    cluster = local_cluster(2)
    client = Client(cluster)
    yield client
    client.close()
    cluster.close()


def table_digest(frame: pd.DataFrame) -> bytes:
    """Bytes of the table's content (row hashes), sorted by run id as read_results does."""
    return pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes()


# --------------------------------------------------------------------------------------
# designs
# --------------------------------------------------------------------------------------


def test_latin_hypercube_puts_one_point_in_every_stratum():
    space = FactorSpace(("a", "b", "c"), (0.0, -1.0, 10.0), (1.0, 1.0, 20.0), (None, None, None))
    design = sample_design("latin_hypercube", space, samples=16, seed=3)
    assert design.shape == (16, 3)
    for j, (low, high) in enumerate(zip(space.lower, space.upper, strict=True)):
        strata = np.floor((design[:, j] - low) / (high - low) * 16).astype(int)
        assert sorted(strata) == list(range(16))  # exactly one point per 1/16 interval


def test_design_sizes_and_bounds_follow_the_method():
    space = FactorSpace(("a", "b"), (0.0, 0.0), (2.0, 5.0), (None, (1.0, 2.0, 4.0)))
    grid = sample_design("grid", space, levels=4)
    assert grid.shape == (12, 2)  # 4 levels x 3 listed values
    assert set(grid[:, 1]) == {1.0, 2.0, 4.0}
    assert len({tuple(row) for row in grid}) == 12
    ranged = FactorSpace(("a", "b"), (0.0, 0.0), (2.0, 5.0), (None, None))
    assert sample_design("saltelli", ranged, samples=8, seed=1).shape == (8 * (2 + 2), 2)
    assert sample_design("morris", ranged, samples=5, levels=4, seed=1).shape == (5 * 3, 2)
    for method in ("latin_hypercube", "sobol", "saltelli", "morris"):
        design = sample_design(method, ranged, samples=8, levels=4, seed=2)
        assert (design >= 0).all() and (design[:, 0] <= 2).all() and (design[:, 1] <= 5).all()
        again = sample_design(method, ranged, samples=8, levels=4, seed=2)
        assert np.array_equal(design, again)  # seeded: the same file gives the same design


# --------------------------------------------------------------------------------------
# run ids and common random numbers
# --------------------------------------------------------------------------------------


def test_run_ids_are_content_addressed(tiny_sweep):
    tasks = tiny_sweep.tasks()
    ids = [t.run_id for t in tasks]
    assert len(set(ids)) == len(ids) == 18
    assert ids == [t.run_id for t in build_sweep(sweep_data()).tasks()]  # same file, same ids
    other_seed = [t.run_id for t in build_sweep(sweep_data(seed=100)).tasks()]
    assert not set(ids) & set(other_seed)
    # one more replication keeps the ids of the first two (seed child r is the same)
    more = [t.run_id for t in build_sweep(sweep_data(replications=3)).tasks()]
    assert set(ids) < set(more)


def test_model_fingerprint_follows_the_data_files(tmp_path, monkeypatch):
    """Runs of an older model or data set are never mixed into a sweep: the fingerprint
    (part of every run id) changes with any data file."""
    import shutil

    from growthpole.data import data_dir
    from growthpole.experiments.sweep import model_fingerprint

    copy = tmp_path / "data"
    shutil.copytree(data_dir(), copy)
    monkeypatch.setenv("GROWTHPOLE_DATA_DIR", str(copy))
    before = model_fingerprint.__wrapped__()
    assert model_fingerprint.__wrapped__() == before
    with (copy / "regions.csv").open("a", encoding="utf-8") as handle:
        handle.write("\n")
    assert model_fingerprint.__wrapped__() != before


def test_replication_r_uses_seed_child_r_in_every_variant(tiny_sweep):
    """Common random numbers, and a run equals runner.simulate with the same child."""
    tasks = tiny_sweep.tasks()
    seeds = replication_seeds(99, 2)
    for task in tasks:
        seed = task.seed_sequence
        assert (seed.entropy, seed.spawn_key) == (
            seeds[task.replication].entropy,
            seeds[task.replication].spawn_key,
        )
    task = tasks[5]
    rows = execute_run(task)
    direct = simulate(task.scenario, seeds[task.replication], replication=task.replication)
    direct = direct[direct.region == "shaoxing"]
    assert np.array_equal(rows.gdp.to_numpy(), direct.gdp.to_numpy())
    values = dict(task.factor_values)
    lever = task.scenario.levers["integration.hangzhou_travel_time_cut"]
    assert lever == {2020: values["integration.hangzhou_travel_time_cut"]}
    assert task.parameters.rd_return == values["rd_return"]


# --------------------------------------------------------------------------------------
# serial == Dask; rerun; worker loss; interruption
# --------------------------------------------------------------------------------------


@pytest.mark.slow
def test_serial_and_two_dask_workers_give_identical_tables(
    tiny_sweep, reference, dask_client, tmp_path
):
    executor = DaskExecutor(dask_client, owns_client=False)
    assert executor.workers == 2
    report = run_sweep(tiny_sweep, tmp_path, executor)
    assert report.executed == 18
    parallel = store.read_results(tmp_path)
    pd.testing.assert_frame_equal(parallel, reference, check_exact=True)
    assert table_digest(parallel) == table_digest(reference)
    # rerun: nothing executes, nothing is written
    parts = store.part_files(tmp_path)
    again = run_sweep(tiny_sweep, tmp_path, executor)
    assert (again.executed, again.already_stored) == (0, 18)
    assert store.part_files(tmp_path) == parts
    assert store.read_manifest(tmp_path)["complete"] is True


def kill_worker_once(task, *, marker: str, victim: int):
    """Unit of work that SIGKILLs its own worker process the first time it meets ``victim``."""
    if task.variant == victim and task.replication == 1 and not os.path.exists(marker):
        Path(marker).write_text(str(os.getpid()))
        os.kill(os.getpid(), signal.SIGKILL)
    return execute_run(task)


@pytest.mark.slow
def test_killed_worker_loses_and_duplicates_nothing(tiny_sweep, reference, dask_client, tmp_path):
    marker = tmp_path / "killed"
    pids_before = set(dask_client.run(os.getpid).values())
    function = functools.partial(kill_worker_once, marker=str(marker), victim=4)
    executor = DaskExecutor(dask_client, owns_client=False, chunk_size=3)  # 6 tasks of 3 runs
    report = run_sweep(tiny_sweep, tmp_path / "out", executor, function=function, flush_seconds=0.0)
    assert marker.exists()  # the worker really died mid-sweep ...
    assert int(marker.read_text()) in pids_before
    assert int(marker.read_text()) not in set(dask_client.run(os.getpid).values())
    assert report.executed == 18
    raw = store.stored_run_ids(tmp_path / "out")
    assert raw.is_unique and set(raw) == {t.run_id for t in tiny_sweep.tasks()}
    assert len(store.part_files(tmp_path / "out")) == 18  # one part per run (flush 0 s)
    assert executor.chunk_size_for(18) == 3
    pd.testing.assert_frame_equal(store.read_results(tmp_path / "out"), reference, check_exact=True)


class Interrupted(Exception):
    pass


def interrupt_at(task, *, counter: list[int], at: int):
    counter[0] += 1
    if counter[0] == at:
        raise Interrupted
    return execute_run(task)


@pytest.mark.slow
def test_interrupted_sweep_resumes_with_only_the_missing_runs(tiny_sweep, reference, tmp_path):
    function = functools.partial(interrupt_at, counter=[0], at=8)
    with pytest.raises(Interrupted):
        run_sweep(tiny_sweep, tmp_path, SerialExecutor(), function=function, batch_runs=3)
    stored = store.stored_run_ids(tmp_path)
    assert len(stored) == 7  # every finished run was written on the way out
    assert store.read_manifest(tmp_path)["complete"] is False
    report = run_sweep(tiny_sweep, tmp_path, SerialExecutor())
    assert (report.already_stored, report.executed) == (7, 11)
    assert store.stored_run_ids(tmp_path).is_unique
    pd.testing.assert_frame_equal(store.read_results(tmp_path), reference, check_exact=True)


@pytest.mark.slow
def test_sweep_process_killed_midway_resumes(tmp_path):
    """SIGKILL a real `growthpole sweep` process mid-sweep: only whole runs remain on disk,
    and the same command finishes the sweep with every run exactly once."""
    import subprocess
    import sys
    import time

    path = write_sweep(tmp_path, sweep_data(replications=6))  # 3 x 3 x 6 = 54 runs
    out = tmp_path / "out"
    command = [
        sys.executable,
        "-m",
        "growthpole",
        "sweep",
        str(path),
        "--cluster",
        "serial",
        "--out",
        str(out),
        "--flush-seconds",
        "0",
    ]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while len(store.part_files(out)) < 5 and process.poll() is None:
        assert time.monotonic() < deadline
        time.sleep(0.02)
    process.kill()
    process.wait()
    assert process.returncode == -signal.SIGKILL, "the sweep finished before it was killed"
    stored = store.stored_run_ids(out)
    assert 5 <= len(stored) < 54 and stored.is_unique
    assert store.read_manifest(out)["complete"] is False
    sweep = load_sweep(path)
    report = run_sweep(sweep, out, SerialExecutor())
    assert report.already_stored == len(stored) and report.executed == 54 - len(stored)
    assert store.stored_run_ids(out).is_unique
    reference = tmp_path / "reference"
    run_sweep(sweep, reference, SerialExecutor())
    pd.testing.assert_frame_equal(
        store.read_results(out), store.read_results(reference), check_exact=True
    )


@pytest.mark.slow
def test_directory_of_another_sweep_is_refused_unless_resumed(tiny_sweep, tmp_path):
    run_sweep(tiny_sweep, tmp_path, SerialExecutor())
    more = build_sweep(sweep_data(replications=3))
    with pytest.raises(OutputError, match="different sweep"):
        run_sweep(more, tmp_path, SerialExecutor())
    report = run_sweep(more, tmp_path, SerialExecutor(), resume=True)
    assert (report.already_stored, report.executed) == (18, 9)  # only replication 2 runs
    assert len(store.read_results(tmp_path).run_id.unique()) == 27


# --------------------------------------------------------------------------------------
# the command line
# --------------------------------------------------------------------------------------


def write_sweep(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "sweep.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def test_sweep_command_runs_and_reruns_nothing(tmp_path, capsys):
    data = sweep_data(design={"method": "latin_hypercube", "samples": 3, "seed": 4})
    data["outcomes"]["years"] = [2021, 2023]
    path = write_sweep(tmp_path, data)
    out = tmp_path / "out"
    assert main(["sweep", str(path), "--cluster", "serial", "--out", str(out)]) == 0
    assert "6 executed" in capsys.readouterr().out
    assert main(["sweep", str(path), "--cluster", "serial", "--out", str(out)]) == 0
    assert "6 already stored, 0 executed" in capsys.readouterr().out
    results = store.read_results(out)
    assert sorted(results.year.unique()) == [2021, 2023]
    assert list(results.columns[:5]) == [
        "run_id",
        "variant",
        "replication",
        "integration.hangzhou_travel_time_cut",
        "rd_return",
    ]


BAD_SWEEPS = [
    (
        {"factors": [{"lever": "integration.no_such_lever", "range": [0, 1]}]},
        "factors.0.lever",
        "unknown lever",
    ),
    (
        {"factors": [{"lever": "integration.trade_cost_cut", "range": [0, 0.9]}]},
        "factors.0.range",
        "allowed range [0.0, 0.5]",
    ),
    (
        {"factors": [{"parameter": "rd_return", "range": [0.1, 0.2], "values": [0.1]}]},
        "factors.0",
        "exactly one of",
    ),
    ({"design": {"method": "sobol", "samples": 10}}, "design.samples", "power of two"),
    ({"design": {"method": "latin_hypercube"}}, "design.samples", "needs 'samples'"),
    ({"design": {"method": "taguchi", "samples": 4}}, "design.method", "morris"),
    ({"design": {"method": "grid", "levels": 2}, "colour": "red"}, "colour", "unknown key"),
    (
        {"outcomes": {"columns": ["gdp", "happiness"]}},
        "outcomes.columns.1",
        "unknown outcome column",
    ),
    ({"scenario": "no_such_base.yaml"}, "scenario", "does not exist"),
    ({"replications": 0}, "replications", "greater than or equal to 1"),
    (
        {"factors": [{"parameter": "rd_return", "range": [0.1]}]},
        "factors.0.range",
        "range must be [low, high]",
    ),
    ({"factors": ["rd_return"]}, "factors.0", "must be a mapping"),
    (
        {"factors": [{"pillar": "platforms", "range": [0, 1]}]},
        "factors.0.pillar",
        "sets no lever of pillar",
    ),
]


@pytest.mark.parametrize(("changes", "key", "message"), BAD_SWEEPS)
def test_bad_sweep_files_give_one_line_errors(tmp_path, capsys, changes, key, message):
    path = write_sweep(tmp_path, sweep_data(**changes))
    status = main(["sweep", str(path), "--cluster", "serial", "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert status == 2
    assert err.count("\n") == 1, err
    assert str(path) in err and f"key '{key}'" in err and message in err, err
    assert not (tmp_path / "o").exists()


def test_shipped_example_sweep_is_valid_and_about_100_runs():
    sweep = load_sweep(ROOT / "scenarios" / "sweeps" / "example.yaml")
    assert 80 <= sweep.run_count <= 120


# --------------------------------------------------------------------------------------
# sensitivity, attribution, discovery
# --------------------------------------------------------------------------------------


def inert_and_price_sweep(tmp_path: Path, design: dict) -> Path:
    """Two parameters: the GDP deflator's inflation moves nominal GDP only (gdp = gdp_real x
    price level); the emission intensity of polluting sectors moves neither GDP column."""
    sweep = build_sweep(
        sweep_data(
            replications=1,
            design=design,
            factors=[
                {"parameter": "gdp_deflator_inflation", "range": [-0.03, 0.03]},
                {"parameter": "emission_intensity_polluting", "range": [1.0, 10.0]},
            ],
            outcomes={"regions": ["shaoxing"], "columns": ["gdp", "gdp_real"], "years": [2023]},
        )
    )
    run_sweep(sweep, tmp_path, SerialExecutor())
    return tmp_path


def test_morris_finds_the_only_influential_factor(tmp_path):
    from growthpole.experiments.sensitivity import analyse

    directory = inert_and_price_sweep(
        tmp_path, {"method": "morris", "samples": 4, "levels": 4, "seed": 3}
    )
    table = analyse(directory, ["gdp:2023", "gdp_real:2023"], num_resamples=50)
    mu = table[table["index"] == "mu_star"].set_index(["outcome", "factor"]).estimate
    assert mu["gdp:2023", "gdp_deflator_inflation"] > 100  # 亿元 per factor range
    assert mu["gdp:2023", "emission_intensity_polluting"] == pytest.approx(0, abs=1e-9)
    # real GDP does not depend on either: the outcome is constant, no indices are claimed
    real = table[table.outcome == "gdp_real:2023"]
    assert set(real["index"]) == {"none"} and real.estimate.isna().all()


@pytest.mark.slow
def test_sobol_indices_on_a_saltelli_design(tmp_path):
    from growthpole import plots
    from growthpole.experiments.sensitivity import analyse

    directory = inert_and_price_sweep(tmp_path, {"method": "saltelli", "samples": 16, "seed": 5})
    table = analyse(directory, ["gdp:2023"], num_resamples=100)
    value = table.set_index(["index", "factor"]).estimate
    # only inflation matters: S1 = ST = 1 in theory; N = 16 base samples -> wide tolerance
    assert value["ST", "gdp_deflator_inflation"] == pytest.approx(1.0, abs=0.3)
    assert value["S1", "gdp_deflator_inflation"] == pytest.approx(1.0, abs=0.3)
    # the inert factor's total index is exactly 0 (f(A) == f(AB) run by run)
    assert value["ST", "emission_intensity_polluting"] == pytest.approx(0.0, abs=1e-12)
    ci = table[table["index"] == "ST"]
    assert (ci.conf_low <= ci.estimate).all() and (ci.estimate <= ci.conf_high).all()
    plots.save_figure(plots.sensitivity_indices(table), tmp_path / "s.png")
    assert (tmp_path / "s.png").stat().st_size > 1000


def test_shapley_values_axioms():
    from growthpole.experiments.attribution import shapley_values

    rng = np.random.default_rng(11)
    k = 4
    masks = np.arange(2**k)
    own = rng.normal(size=k)
    additive = np.array([sum(own[i] for i in range(k) if m >> i & 1) for m in masks])
    assert np.allclose(shapley_values(additive), own, atol=1e-12)  # additive game
    unanimity = (masks == 2**k - 1).astype(float)
    assert np.allclose(shapley_values(unanimity), 1 / k)  # pure interaction: split evenly
    game = rng.normal(size=(3, 2**k))
    phi = shapley_values(game)
    assert np.allclose(phi.sum(axis=1), game[:, -1] - game[:, 0])  # efficiency
    null = game.copy()
    null[:, masks >> 2 & 1 == 1] = null[:, masks[masks >> 2 & 1 == 1] & ~4]  # player 2 null
    assert np.allclose(shapley_values(null)[:, 2], 0)


@pytest.mark.slow
def test_attribution_splits_the_strategy_effect_over_its_pillars(tmp_path):
    from growthpole.experiments.attribution import attribute, make_plan, strategy_pillars
    from growthpole.scenario import build_scenario

    strategy = build_scenario(
        {
            **TINY_SCENARIO,
            "name": "strategy",
            "levers": {
                "integration.hangzhou_travel_time_cut": {2020: 0.5},
                "business.tax_fee_cuts": 0.03,
                "platforms.rd_enclaves": {2021: 5},  # catalogue pillar: innovation_talent
            },
        }
    )
    assert strategy_pillars(strategy) == (
        "integration",
        "innovation_talent",
        "business_environment",
    )
    plan = make_plan(strategy, replications=2)
    report = run_sweep(plan, tmp_path, SerialExecutor())
    assert report.executed == 8 * 2
    table, coalitions = attribute(tmp_path, year=2023)
    gdp = table[table.outcome == "gdp:2023"].set_index("component").value
    pillars = ["integration", "innovation_talent", "business_environment"]
    assert gdp[pillars].sum() == pytest.approx(gdp["full_strategy"] - gdp["baseline"], rel=1e-12)
    # reduction: the empty coalition is the baseline, the full one the strategy itself
    seeds = replication_seeds(strategy.seed, 2)
    for mask, scenario in ((0, strategy.with_changes(levers={})), (7, strategy)):
        direct = np.mean(
            [
                simulate(scenario, seeds[r], replication=r)
                .query("region == 'shaoxing' and year == 2023")
                .gdp.iloc[0]
                for r in range(2)
            ]
        )
        value = coalitions.query(f"outcome == 'gdp:2023' and coalition == {mask}")["mean"]
        assert value.iloc[0] == pytest.approx(direct, rel=1e-12)


def test_leaf_boxes_recover_a_planted_box():
    from sklearn.tree import DecisionTreeRegressor

    from growthpole.experiments.discovery import leaf_boxes

    rng = np.random.default_rng(4)
    X = rng.uniform(size=(400, 3))
    y = ((X[:, 0] > 0.6) & (X[:, 2] < 0.3)).astype(float)
    tree = DecisionTreeRegressor(max_depth=2, min_samples_leaf=10, random_state=0).fit(X, y)
    boxes = leaf_boxes(tree, ["a", "b", "c"], np.zeros(3), np.ones(3))
    leaves = tree.apply(X)
    best = max(boxes, key=lambda leaf: y[leaves == leaf].mean())
    assert set(boxes[best]) == {"a", "c"}  # b is irrelevant and never restricted
    assert boxes[best]["a"][0] == pytest.approx(0.6, abs=0.05) and boxes[best]["a"][1] == 1
    assert boxes[best]["c"][0] == 0 and boxes[best]["c"][1] == pytest.approx(0.3, abs=0.05)
    assert y[leaves == best].mean() == 1.0


@pytest.mark.slow
def test_sensitivity_and_discover_commands(tmp_path, capsys, saved_figures):
    directory = inert_and_price_sweep(
        tmp_path / "sweep", {"method": "latin_hypercube", "samples": 48, "seed": 8}
    )
    assert main(["sensitivity", str(directory), "--outcome", "gdp:2023", "--resamples", "50"]) == 0
    table = pd.read_csv(directory / "sensitivity" / "sensitivity.csv")
    assert set(table["index"]) == {"delta", "S1"}  # a space-filling design: Borgonovo delta
    s1 = table[table["index"] == "S1"].set_index("factor").estimate
    assert s1["gdp_deflator_inflation"] > 0.8 > 0.2 > abs(s1["emission_intensity_polluting"])
    assert (directory / "sensitivity" / "sensitivity.png").is_file()
    assert main(["discover", str(directory), "--outcome", "gdp:2023"]) == 0
    boxes = pd.read_csv(directory / "discovery" / "boxes.csv")
    best = boxes[boxes.box == 1]
    # high nominal GDP <=> high inflation: the best box bounds inflation from below only
    assert list(best.factor) == ["gdp_deflator_inflation"]
    assert best.lower.iloc[0] > -0.01 and best.upper.iloc[0] == pytest.approx(0.03)
    assert best.density.iloc[0] == 1.0
    # every chart the two commands wrote was checked for units (tests/conftest.py)
    assert saved_figures == ["sensitivity.png", "boxes.png"]
    assert main(["discover", str(directory), "--outcome", "happiness:2023"]) == 2
    assert "no stored column 'happiness'" in capsys.readouterr().err


def test_pillar_factor_scales_the_pillars_levers(tmp_path):
    """Intensity 1 is the base strategy, 0 the strategy without that pillar (reduction)."""
    levers = {
        "integration.hangzhou_travel_time_cut": {2020: 0.5},
        "business.tax_fee_cuts": 0.03,
        "platforms.rd_enclaves": {2021: 4},
    }
    sweep = build_sweep(
        sweep_data(
            scenario={**TINY_SCENARIO, "levers": levers},
            replications=1,
            design={"method": "grid"},
            factors=[{"pillar": "integration", "values": [0.0, 0.5, 1.0]}],
        )
    )
    scenarios = [sweep.variant_scenario(row) for row in sweep.design]
    assert [s.levers["integration.hangzhou_travel_time_cut"] for s in scenarios] == [
        {2020: 0.0},
        {2020: 0.25},
        {2020: 0.5},
    ]
    assert all(s.levers["business.tax_fee_cuts"] == 0.03 for s in scenarios)  # other pillars
    assert scenarios[2] == sweep.base
    seed = sweep.seeds()[0]
    without = sweep.base.with_changes(
        levers={k: v for k, v in levers.items() if not k.startswith("integration.")}
    )
    pd.testing.assert_frame_equal(simulate(scenarios[0], seed), simulate(without, seed))
    with pytest.raises(ScenarioError, match="sets no lever of pillar 'green'"):
        build_sweep(
            sweep_data(
                scenario={**TINY_SCENARIO, "levers": levers},
                factors=[{"pillar": "green", "range": [0, 1]}],
            )
        )


@pytest.mark.slow
def test_attribute_command_writes_table_and_waterfall(tmp_path, capsys):
    strategy = {
        **TINY_SCENARIO,
        "name": "two-pillars",
        "replications": 2,
        "levers": {
            "integration.hangzhou_travel_time_cut": {2020: 0.5},
            "business.tax_fee_cuts": 0.03,
        },
    }
    path = tmp_path / "strategy.yaml"
    path.write_text(yaml.safe_dump(strategy), encoding="utf-8")
    out = tmp_path / "out"
    args = ["attribute", str(path), "--year", "2023", "--cluster", "serial", "--out", str(out)]
    assert main(args) == 0
    assert "8 runs executed" in capsys.readouterr().out  # 2^2 coalitions x 2 replications
    table = pd.read_csv(out / "attribution.csv")
    gdp = table[table.outcome == "gdp:2023"].set_index("component")
    assert set(gdp.index) >= {
        "baseline",
        "integration",
        "business_environment",
        "full_strategy",
        "total_effect",
    }
    assert gdp.loc[["integration", "business_environment"], "share_of_effect"].sum() == (
        pytest.approx(1.0, abs=1e-9)
    )
    assert (out / "attribution.png").stat().st_size > 1000
    assert main(args) == 0 and "0 runs executed, 8 already stored" in capsys.readouterr().out
    assert main(["attribute", str(path), "--year", "2040", "--cluster", "serial"]) == 2
