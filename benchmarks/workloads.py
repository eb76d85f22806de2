"""What users wait for, timed through the project's own code paths: a calibration of N
simulations and a posterior predictive of two scenarios.

Calibration (:func:`calibration`): the spec scenarios/calibration/history.yaml (window
2005-2019, 8 replications per candidate under common random numbers, its own scale), a
fixed set of candidate parameter vectors (uniform in the unit cube, seeded) evaluated by
:class:`growthpole.calibration.objective.EvaluationStore` on the spec's
:class:`~growthpole.calibration.objective.Problem`, the code path of ``growthpole
calibrate`` (which feeds the same store from differential evolution): serially in this
process (``--workers 1``) and on a 2-worker Dask LocalCluster (``--workers 2``,
:func:`growthpole.experiments.execute.make_executor`). Simulations/s = candidates x
replications / wall seconds of ``store.evaluate``; the cluster's start-up is reported
separately (a calibration pays it once).

Posterior predictive (:func:`posterior_predictive`): scenarios/baseline.yaml and
scenarios/full_strategy.yaml, each replication drawing its structural parameters from the
scenarios' ``uncertainty.posterior`` and its lever coefficients from their priors.
Serially, through :func:`growthpole.compare.compare_scenarios` and
:func:`growthpole.compare.uncertainty_reports`, the path of ``growthpole compare
--replications N`` (which has no ``--workers``); on 2 workers, through
:func:`growthpole.runner.run_scenario` with the Dask executor (the path of ``growthpole run
--workers 2``) for both scenarios, then the same reports. Each is timed at two draw counts
per scenario (``small`` and ``large``) so that the cost splits into a fixed part (the
intercept: executor round trips, the reports' bootstrap set-up) and a per-draw part (the
slope: simulation, national rank, the draw's share of the reports); 1,000 draws are
projected as fixed + 1,000 x per draw, both reported.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "scenarios" / "calibration" / "history.yaml"
SCENARIOS = (ROOT / "scenarios" / "baseline.yaml", ROOT / "scenarios" / "full_strategy.yaml")


def _cpu_of_workers(executor) -> float:
    client = getattr(executor, "client", None)
    if client is None:
        return 0.0
    return float(sum(client.run(time.process_time).values()))


def calibration(candidates: int, workers: int, warm_candidates: int = 2) -> dict[str, object]:
    """Simulations/s of ``candidates`` fixed candidates (x the spec's replications) through
    EvaluationStore on ``workers`` (1: serial in this process; 2: Dask LocalCluster)."""
    from growthpole.calibration.objective import EvaluationStore, Problem
    from growthpole.calibration.spec import load_spec
    from growthpole.experiments.execute import make_executor

    spec = load_spec(SPEC)
    problem = Problem.from_spec(spec)
    rng = np.random.default_rng(20260101)
    dimension = len(problem.names)
    warm = [rng.random(dimension) for _ in range(warm_candidates)]
    units = [rng.random(dimension) for _ in range(candidates)]
    started = time.perf_counter()
    executor = None if workers == 1 else make_executor("local", workers=workers)
    startup = time.perf_counter() - started
    try:
        with EvaluationStore(problem, executor=executor) as store:
            store.evaluate(warm)  # imports and Numba cache on the workers, the shared problem
            workers_cpu = _cpu_of_workers(store.executor)
            wall, cpu = time.perf_counter(), time.process_time()
            evaluations = store.evaluate(units)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            workers_cpu = _cpu_of_workers(store.executor) - workers_cpu
    finally:
        if executor is not None:
            executor.close()
    simulations = candidates * problem.seeds.__len__()
    finite = sum(np.isfinite(e.loss) for e in evaluations)
    # CPU per simulation: the workers' (Dask) or this process's (serial)
    cpu_per_simulation = (workers_cpu if workers > 1 else cpu) / simulations
    return {
        "spec": "scenarios/calibration/history.yaml",
        "window": spec.window,
        "workers": workers,
        "backend": "serial" if workers == 1 else "dask-local",
        "candidates": candidates,
        "replications_per_candidate": len(problem.seeds),
        "simulations": simulations,
        "finite_losses": int(finite),
        "seconds": wall,
        "simulations_per_second": simulations / wall,
        "client_cpu_seconds": cpu,
        "cpu_seconds_per_simulation": cpu_per_simulation,
        "simulations_per_second_if_cores_free": workers / cpu_per_simulation,
        "executor_startup_seconds": startup,
        "projected_seconds_20000": 20_000 / (simulations / wall) + startup,
        "projected_seconds_20000_if_cores_free": 20_000 * cpu_per_simulation / workers + startup,
    }


def _predictive_once(draws: int, executor) -> dict[str, float]:
    """Seconds of one posterior predictive of ``draws`` replications per scenario."""
    from growthpole.compare import Comparison, compare_scenarios, uncertainty_reports
    from growthpole.runner import run_scenario
    from growthpole.scenario import load_scenario

    scenarios = [load_scenario(path) for path in SCENARIOS]
    workers_cpu = _cpu_of_workers(executor)
    wall, cpu = time.perf_counter(), time.process_time()
    if executor is None:
        comparison = compare_scenarios(scenarios, replications=draws)
    else:
        seed = scenarios[0].seed
        results = [
            run_scenario(s, replications=draws, seed=seed, executor=executor) for s in scenarios
        ]
        comparison = Comparison(results, seed, draws)
    simulated = time.perf_counter()
    probability, effect = uncertainty_reports(comparison)
    finished = time.perf_counter()
    cpu = time.process_time() - cpu
    workers_cpu = _cpu_of_workers(executor) - workers_cpu
    assert probability is not None and effect is not None
    return {
        "draws_per_scenario": draws,
        "seconds": finished - wall,
        "simulate_and_rank_seconds": simulated - wall,
        "reports_seconds": finished - simulated,
        "client_cpu_seconds": cpu,
        "workers_cpu_seconds": workers_cpu,
    }


def posterior_predictive(small: int, large: int, workers: int) -> dict[str, object]:
    """Fixed and per-draw cost of a two-scenario posterior predictive (``small`` and
    ``large`` draws per scenario; multiples of the design's 10 cells), projected to 1,000."""
    from growthpole.experiments.execute import make_executor

    started = time.perf_counter()
    executor = None if workers == 1 else make_executor("local", workers=workers)
    startup = time.perf_counter() - started
    try:
        _predictive_once(10, executor)  # warm: posterior file, Numba cache, workers' imports
        low = _predictive_once(small, executor)
        high = _predictive_once(large, executor)
    finally:
        if executor is not None:
            executor.close()
    per_draw = (high["seconds"] - low["seconds"]) / (large - small)
    fixed = max(0.0, low["seconds"] - small * per_draw)
    cpu_high = high["client_cpu_seconds"] + high["workers_cpu_seconds"]
    cpu_low = low["client_cpu_seconds"] + low["workers_cpu_seconds"]
    cpu_per_draw = (cpu_high - cpu_low) / (large - small)
    return {
        "scenarios": [str(path.relative_to(ROOT)) for path in SCENARIOS],
        "workers": workers,
        "path": "compare_scenarios + uncertainty_reports (growthpole compare)"
        if workers == 1
        else "run_scenario on the Dask executor (growthpole run --workers 2) + uncertainty_reports",
        "small": low,
        "large": high,
        "seconds_per_draw": per_draw,
        "fixed_seconds": fixed,
        "executor_startup_seconds": startup,
        "draws_per_second": large / high["seconds"],
        "projected_seconds_1000": fixed + 1_000 * per_draw,
        "projected_seconds_1000_with_startup": fixed + 1_000 * per_draw + startup,
        "cpu_seconds_per_draw": cpu_per_draw,
        "projected_seconds_1000_if_cores_free": fixed + 1_000 * cpu_per_draw / max(workers, 1),
        "note": "a draw = one replication of each of the two scenarios; per-draw cost is the "
        "slope between the two draw counts, fixed cost the intercept",
    }
