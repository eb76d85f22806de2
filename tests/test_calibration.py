"""Calibration: parameter recovery, spec validation, checkpoint resume, workers, CLI.

Small and fast: short windows, small budgets, 5,000 people per agent with 10 workers per
firm agent (a simulation costs about the same CPU at any scale since fixed costs dominate,
and this scale has a third of the replication noise of 20,000 people per agent).
"""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest
import yaml

from growthpole.calibration import calibrate, checkpoint_path
from growthpole.calibration.moments import MomentSet
from growthpole.calibration.objective import EvaluationStore, Interrupted, Problem
from growthpole.calibration.spec import build_spec, load_spec
from growthpole.cli import main
from growthpole.errors import OutputError, ScenarioError
from growthpole.scenario import load_calibrated_parameters, load_scenario

TRUTH = {"tfp_drift": 0.02, "gdp_deflator_inflation": 0.01}


def small_spec(**changes):
    data = {
        "name": "recovery",
        "window": "2012:2018",
        "replications": 3,
        "seed": 11,
        "scale": {"people_per_agent": 5000, "workers_per_firm_agent": 10},
        "parameters": {
            "tfp_drift": {"lower": 0.0, "upper": 0.04},
            "gdp_deflator_inflation": {"lower": -0.02, "upper": 0.04},
        },
        "fixed": {"tfp_shock_sd": 0.0},
        "targets": [
            {"kind": "gdp", "city": "shaoxing"},
            {"kind": "real_growth", "city": "shaoxing"},
        ],
        "search": {"budget": 80, "population_per_parameter": 5, "polish_share": 0.25},
        "diagnostics": {"profile_points": 0, "bootstrap_resamples": 0, "hindcast_replications": 2},
    }
    data.update(changes)
    return build_spec(data)


def synthetic_problem(spec, truth, *, replications=12, seed=999):
    """The spec's problem with a synthetic history: moments in every window year simulated
    at ``truth`` with replication seeds *different* from the calibration's (so the fit is
    not exact by construction), averaged over ``replications``."""
    template = MomentSet.every_year(spec.targets, spec.start, spec.end)
    generator = dataclasses.replace(
        Problem.from_spec(spec.with_changes(seed=seed, replications=replications)), moments=template
    )
    unit = generator.unit(truth)
    history = np.mean([generator.replication_moments(unit, r) for r in range(replications)], axis=0)
    return dataclasses.replace(Problem.from_spec(spec), moments=template.with_observed(history))


@pytest.mark.slow
def test_parameter_recovery(tmp_path):
    """Synthetic history at known (tfp_drift, gdp_deflator_inflation); the calibration must
    recover each within 0.006 (15% / 10% of their search ranges; errors seen with two
    seeds: <= 0.003; the residual error is the Monte Carlo noise of 3 replications at this
    scale, at 20,000 people per agent it biased tfp_drift up by 0.006-0.008), and the
    estimate's loss
    must not exceed the loss at the truth (the optimiser found the minimum it could)."""
    spec = small_spec()
    problem = synthetic_problem(spec, TRUTH)
    summary = calibrate(spec, tmp_path / "recovered.yaml", write=False, problem=problem)
    for name, true_value in TRUTH.items():
        assert abs(summary["values"][name] - true_value) <= 0.006, (name, summary["values"])
    with EvaluationStore(problem) as store:
        at_truth = store.losses([problem.unit(TRUTH)])[0]
    assert summary["loss"] <= at_truth + 1e-12


@pytest.mark.slow
def test_recovery_moves_with_truth(tmp_path):
    """Comparative static: a higher true tfp_drift must give a higher estimate."""
    spec = small_spec(search={"budget": 50, "population_per_parameter": 5, "polish_share": 0.2})
    estimates = []
    for drift in (0.005, 0.035):
        truth = {**TRUTH, "tfp_drift": drift}
        summary = calibrate(
            spec,
            tmp_path / f"r{drift}.yaml",
            write=False,
            problem=synthetic_problem(spec, truth, replications=6),
        )
        estimates.append(summary["values"]["tfp_drift"])
    assert estimates[1] - estimates[0] > 0.015, estimates


@pytest.mark.slow
def test_resume_gives_the_uninterrupted_result(tmp_path):
    """Interrupt after k new evaluations (in the search), resume and interrupt again (in
    the diagnostics), resume to the end: same estimate, loss, bootstrap and profiles as an
    uninterrupted run."""
    spec = small_spec(
        search={"budget": 40, "population_per_parameter": 4, "polish_share": 0.25},
        diagnostics={
            "profile_points": 3,
            "bootstrap_resamples": 2,
            "bootstrap_evaluations": 4,
            "hindcast_replications": 2,
        },
    )
    full = calibrate(spec, tmp_path / "full.yaml", write=False)
    out = tmp_path / "interrupted.yaml"
    with pytest.raises(Interrupted):
        calibrate(spec, out, write=False, stop_after=13, checkpoint_seconds=0.0)
    saved = json.loads(checkpoint_path(out).read_text())
    assert saved["evaluations"] == 13
    with pytest.raises(OutputError, match="--resume"):
        calibrate(spec, out, write=False)
    total = full["evaluations"]["total"]
    late = total - 4 - 13  # the second interruption falls in the diagnostics
    assert late > full["evaluations"]["search"] - 13
    with pytest.raises(Interrupted):
        calibrate(spec, out, write=False, resume=True, stop_after=late, checkpoint_seconds=0.0)
    resumed = calibrate(spec, out, write=False, resume=True)
    assert resumed["evaluations"]["resumed_from_checkpoint"] == 13 + late
    assert resumed["evaluations"]["new_this_run"] == 4
    assert resumed["evaluations"]["total"] == total
    assert resumed["values"] == full["values"]
    assert resumed["loss"] == full["loss"]
    assert np.array_equal(resumed["estimate"].profile_losses, full["estimate"].profile_losses)
    assert np.array_equal(resumed["estimate"].bootstrap_units, full["estimate"].bootstrap_units)


def test_checkpoint_of_another_spec_is_refused(tmp_path):
    spec = small_spec(search={"budget": 12, "population_per_parameter": 2})
    out = tmp_path / "c.yaml"
    with pytest.raises(Interrupted):
        calibrate(spec, out, write=False, stop_after=3, checkpoint_seconds=0.0)
    other = spec.with_changes(seed=12)
    with pytest.raises(OutputError, match="spec_hash"):
        calibrate(other, out, write=False, resume=True)


@pytest.fixture(scope="module")
def two_dask_workers():
    """The shared executor on an embedded LocalCluster of 2 workers (TLS, 127.0.0.1)."""
    from growthpole.experiments.execute import make_executor

    executor = make_executor("local", workers=2)
    yield executor
    executor.close()


@pytest.mark.slow
def test_one_and_two_workers_agree(two_dask_workers):
    """Seeds are drawn in the parent: the serial executor and 2 Dask workers give identical
    losses, and a repeated candidate (common random numbers) gives identical moments."""
    from growthpole.experiments.base import SerialExecutor

    problem = Problem.from_spec(small_spec())
    units = [np.array([0.2, 0.7]), np.array([0.6, 0.1]), np.array([0.9, 0.5])]
    with EvaluationStore(problem, executor=SerialExecutor()) as store:
        serial = store.losses(units)
        first = store.evaluate(units[:1])[0].moments
    assert two_dask_workers.workers == 2
    with EvaluationStore(problem, executor=two_dask_workers) as store:
        parallel = store.losses(units)
        again = store.evaluate(units[:1])[0].moments
    assert np.array_equal(serial, parallel)
    assert np.array_equal(first, again)
    assert len(set(serial.tolist())) == 3  # the candidates differ


@pytest.mark.slow
def test_calibration_is_byte_identical_serial_and_on_two_dask_workers(tmp_path, two_dask_workers):
    """A whole calibration (search, bootstrap, profiles) in this process and on 2 Dask
    workers: the same values, loss, diagnostics and checkpoint bytes."""
    spec = small_spec(
        search={"budget": 24, "population_per_parameter": 4, "polish_share": 0.25},
        diagnostics={
            "profile_points": 3,
            "bootstrap_resamples": 2,
            "bootstrap_evaluations": 4,
            "hindcast_replications": 2,
        },
    )
    serial = calibrate(spec, tmp_path / "serial.yaml", write=False)
    parallel = calibrate(spec, tmp_path / "dask.yaml", write=False, executor=two_dask_workers)
    assert parallel["evaluations"]["backend"] == "dask-local"
    assert parallel["evaluations"]["workers"] == 2
    assert serial["evaluations"]["backend"] == "serial"
    assert parallel["values"] == serial["values"]
    assert parallel["loss"] == serial["loss"]
    assert np.array_equal(parallel["estimate"].profile_losses, serial["estimate"].profile_losses)
    assert np.array_equal(parallel["estimate"].bootstrap_units, serial["estimate"].bootstrap_units)
    assert (
        checkpoint_path(tmp_path / "dask.yaml").read_bytes()
        == checkpoint_path(tmp_path / "serial.yaml").read_bytes()
    )


@pytest.mark.slow
def test_interrupted_on_dask_and_resumed_serially_is_the_uninterrupted_run(
    tmp_path, two_dask_workers
):
    """Stop a calibration on 2 Dask workers after 9 new evaluations, resume it in this
    process: the same values, loss and checkpoint bytes as an uninterrupted serial run."""
    spec = small_spec(search={"budget": 24, "population_per_parameter": 4, "polish_share": 0.25})
    full = calibrate(spec, tmp_path / "full.yaml", write=False)
    out = tmp_path / "interrupted.yaml"
    with pytest.raises(Interrupted):
        calibrate(
            spec, out, write=False, stop_after=9, checkpoint_seconds=0.0, executor=two_dask_workers
        )
    assert json.loads(checkpoint_path(out).read_text())["evaluations"] == 9
    resumed = calibrate(spec, out, write=False, resume=True)
    assert resumed["evaluations"]["resumed_from_checkpoint"] == 9
    assert resumed["values"] == full["values"]
    assert resumed["loss"] == full["loss"]
    assert checkpoint_path(out).read_bytes() == checkpoint_path(tmp_path / "full.yaml").read_bytes()


@dataclasses.dataclass(frozen=True)
class KillingProblem(Problem):
    """A Problem whose first simulation SIGKILLs the Dask worker running it (once: a marker
    file remembers), taking the only replica of the scattered problem with it."""

    marker: str = ""

    def replication_moments(self, unit, replication):
        import os
        import signal
        from pathlib import Path

        if not os.path.exists(self.marker):
            Path(self.marker).write_text(str(os.getpid()))
            os.kill(os.getpid(), signal.SIGKILL)
        return super().replication_moments(unit, replication)


@pytest.mark.slow
def test_losing_the_only_worker_holding_the_problem_sends_it_again(tmp_path, capsys):
    """One Dask worker, killed mid-batch: the scattered problem is lost with it (no replica
    left, its tasks are cancelled); the store sends it again when the nanny has started a
    new worker, resubmits the unfinished tasks, and the losses equal the serial ones."""
    from growthpole.experiments.execute import make_executor

    plain = Problem.from_spec(small_spec())
    fields = {f.name: getattr(plain, f.name) for f in dataclasses.fields(Problem)}
    marker = tmp_path / "killed"
    problem = KillingProblem(**fields, marker=str(marker))
    units = [np.array([0.2, 0.7]), np.array([0.6, 0.1])]
    with EvaluationStore(plain) as store:
        serial = store.losses(units)
    with make_executor("local", workers=1) as executor:
        with EvaluationStore(problem, executor=executor) as store:
            parallel = store.losses(units)
    assert marker.exists()
    assert np.array_equal(parallel, serial)
    assert "were lost; sending it again and resubmitting" in capsys.readouterr().err


@pytest.mark.slow
def test_problem_is_scattered_once_not_sent_with_every_task(two_dask_workers):
    """On Dask the Problem goes to every worker once (a broadcast Future); each task
    carries that Future, its unit vector and its replication, not a pickled Problem."""
    from distributed import Future

    problem = Problem.from_spec(small_spec())
    seen: list[list] = []
    original = two_dask_workers.map_unordered

    def recording(function, items, **kwargs):
        seen.append(list(items))
        return original(function, items, **kwargs)

    two_dask_workers.map_unordered = recording
    try:
        with EvaluationStore(problem, executor=two_dask_workers) as store:
            store.losses([np.array([0.2, 0.7]), np.array([0.6, 0.1])])
            store.losses([np.array([0.3, 0.3])])
            shared = store._shared
            assert isinstance(shared, Future)
            holders = two_dask_workers.client.who_has([shared])[shared.key]
            assert len(holders) == 2  # broadcast: on both workers
    finally:
        del two_dask_workers.map_unordered
    assert [len(batch) for batch in seen] == [2 * 3, 3]
    assert {id(task[0]) for batch in seen for task in batch} == {id(shared)}
    assert not any(isinstance(part, Problem) for batch in seen for task in batch for part in task)


def test_regime_break_reduces_to_one_regime():
    """Reduction test: a break whose later values equal the earlier ones reproduces the
    single-regime run exactly; a different later tfp_drift leaves every year before the
    break unchanged and raises real GDP from the break on."""
    regimes = {"break_year": 2015, "parameters": ["tfp_drift"]}
    plain = Problem.from_spec(small_spec())
    broken = Problem.from_spec(small_spec(regimes=regimes))
    assert broken.names == ("tfp_drift", "gdp_deflator_inflation", "tfp_drift@2015")
    same = {"tfp_drift": 0.02, "gdp_deflator_inflation": 0.01, "tfp_drift@2015": 0.02}
    base = plain.simulate_paths(plain.unit({k: same[k] for k in plain.names}), 0)
    equal = broken.simulate_paths(broken.unit(same), 0)
    assert np.array_equal(base.gdp, equal.gdp)
    faster = broken.simulate_paths(broken.unit({**same, "tfp_drift@2015": 0.04}), 0)
    before = base.years < 2015
    assert np.array_equal(base.gdp_real[before], faster.gdp_real[before])
    assert np.all(faster.gdp_real[~before] > base.gdp_real[~before])


def test_moments_come_from_data():
    """Observed GDP moments are the active panel's values (logs), only for years it holds,
    and only after the window's first year (the initial condition)."""
    from growthpole.data import CORRIDOR_INDICATORS, active_city_panel, load

    spec = small_spec(
        targets=[{"kind": "gdp", "city": "ningbo"}, {"kind": "population", "city": "shaoxing"}]
    )
    moments = MomentSet.build(spec.targets, spec.start, spec.end)
    panel = active_city_panel()
    ningbo = panel[
        (panel.city_code.astype(int) == 330200) & panel.year.astype(int).between(2013, 2018)
    ]
    gdp = [o for o in moments.observations if o.target == 0]
    assert [o.year for o in gdp] == sorted(ningbo.year.astype(int))
    values = dict(zip(ningbo.year.astype(int), ningbo.gdp_100m_cny.astype(float), strict=True))
    assert all(np.isclose(np.exp(o.value), values[o.year]) for o in gdp)
    table = load(CORRIDOR_INDICATORS)
    published = table[
        (table.city_code.astype(int) == 330600)
        & (table.indicator == "resident_population_10k")
        & table.year.astype(int).between(2013, 2018)
    ]
    assert moments.counts()["population:shaoxing"] == len(published)


@pytest.mark.parametrize(
    ("change", "key", "message"),
    [
        (
            {"parameters": {"tfp_drift": {"lower": -0.5, "upper": 0.04}}},
            "parameters.tfp_drift",
            "must satisfy",
        ),
        (
            {"parameters": {"no_such": {"lower": 0, "upper": 1}}},
            "parameters.no_such",
            "unknown parameter",
        ),
        (
            {"parameters": {"tfp_drift": {"lower": 0.0, "upper": 0.04, "default": 0.05}}},
            "parameters.tfp_drift.default",
            "outside the bounds",
        ),
        (
            {"targets": [{"kind": "gdp_per_capita", "city": "shaoxing"}]},
            "targets.0.kind",
            "got 'gdp_per_capita'; allowed: 'gdp', 'real_growth'",
        ),
        (
            {"targets": [{"kind": "gdp", "city": "wenzhou"}]},
            "targets.0.city",
            "allowed: 'shaoxing', 'hangzhou'",
        ),
        (
            {"targets": [{"kind": "gdp", "city": "shaoxing", "weigth": 1}]},
            "targets.0.weigth",
            "unknown key; allowed: kind, city, weight",
        ),
        (
            {"parameters": {"tfp_drift": {"lower": 0, "upper": 1, "dflt": 0}}},
            "parameters.tfp_drift.dflt",
            "unknown key; allowed: lower, upper, default",
        ),
        ({"window": "2019:2005"}, "window", "START < END"),
        ({"window": "2005-2019"}, "window", "START:END"),
        ({"replications": 0}, "replications", "greater than or equal"),
        ({"fixed": {"tfp_drift": 0.01}}, "fixed.tfp_drift", "both free and fixed"),
        ({"searchh": {}}, "searchh", "unknown key"),
        (
            {"regimes": {"break_year": 2030, "parameters": ["tfp_drift"]}},
            "regimes.break_year",
            "must lie in the window",
        ),
        (
            {"regimes": {"break_year": 2015, "parameters": ["migration_wage_weight"]}},
            "regimes.parameters",
            "cannot change at a break",
        ),
        (
            {"regimes": {"break_year": 2015, "parameters": ["spillover_rate"]}},
            "regimes.parameters",
            "must also be a free parameter",
        ),
    ],
)
def test_spec_errors_name_the_key(tmp_path, change, key, message):
    data = yaml.safe_load(
        yaml.safe_dump(small_spec().model_dump(mode="json", exclude={"source_path"}))
    )
    data.update(change)
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_spec(path)
    line = info.value.one_line()
    assert str(path) in line and f"key '{key}'" in line and message in line, line
    assert "\n" not in line


def test_cli_bad_spec_exits_2(tmp_path, capsys):
    path = tmp_path / "bad.yaml"
    path.write_text("name: x\nparameters: {}\ntargets: []\n", encoding="utf-8")
    assert main(["calibrate", str(path), "--budget", "8"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "key 'parameters'" in err[0]


@pytest.mark.slow
def test_cli_writes_a_calibration_scenarios_can_use(tmp_path, capsys):
    """End to end on a tiny budget: the calibrated YAML, its report and figures are written;
    a scenario referencing the file loads its values; a second run refuses to overwrite."""
    spec = small_spec(
        window="2016:2019",
        search={"budget": 8, "population_per_parameter": 2},
        diagnostics={
            "profile_points": 2,
            "bootstrap_resamples": 1,
            "bootstrap_evaluations": 2,
            "hindcast_replications": 2,
        },
    )
    spec_path = tmp_path / "spec.yaml"
    spec_path.write_text(
        yaml.safe_dump(spec.model_dump(mode="json", exclude={"source_path"})), encoding="utf-8"
    )
    out = tmp_path / "cal.yaml"
    assert main(["calibrate", str(spec_path), "--out", str(out), "--workers", "1"]) == 0
    report = json.loads((tmp_path / "cal.report.json").read_text())
    assert (tmp_path / "cal.hindcast.png").stat().st_size > 0
    assert (tmp_path / "cal.profiles.png").stat().st_size > 0
    assert checkpoint_path(out).exists()  # kept: --resume rewrites outputs without search
    shaoxing = report["hindcast"]["calibration_scale"]["cities"]["shaoxing"]
    assert shaoxing["in_sample_years"] == [2017, 2018, 2019]
    assert shaoxing["out_of_sample_years"] and min(shaoxing["out_of_sample_years"]) > 2019
    assert set(report["targets"]) == {
        "in_sample_shaoxing_rmspe",
        "out_of_sample_shaoxing_mape",
        "national_rank_within_2_every_window_year",
    }
    values = load_calibrated_parameters(out)
    assert set(values) == {"tfp_drift", "gdp_deflator_inflation", "tfp_shock_sd"}
    scenario_path = tmp_path / "s.yaml"
    scenario_path.write_text("name: s\ncalibration: cal.yaml\n", encoding="utf-8")
    scenario = load_scenario(scenario_path)
    assert scenario.model_parameters().tfp_drift == pytest.approx(values["tfp_drift"])
    assert main(["calibrate", str(spec_path), "--out", str(out)]) == 2
    assert "--overwrite" in capsys.readouterr().err


def test_hindcast_replications_are_fresh_draws_of_the_same_seed_tree():
    """The hindcast's replications continue the search's seed tree (spawned in the parent)
    without reusing the R replications the search fitted."""
    spec = small_spec()
    search = Problem.from_spec(spec).seeds
    hindcast = Problem.from_spec(spec, replications=4, first_replication=spec.replications).seeds
    tree = Problem.from_spec(spec, replications=spec.replications + 4).seeds
    assert [s.spawn_key for s in hindcast] == [s.spawn_key for s in tree[spec.replications :]]
    assert not {s.spawn_key for s in search} & {s.spawn_key for s in hindcast}
