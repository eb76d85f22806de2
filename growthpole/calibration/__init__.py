"""Calibration against history (method of simulated moments) and hindcast validation.

One module per swappable part (black-it style):

* :mod:`~growthpole.calibration.base`: the small interfaces (moment kinds, search methods);
* :mod:`~growthpole.calibration.spec`: the calibration spec YAML, validated;
* :mod:`~growthpole.calibration.moments`: observed moments from data/ and simulated ones;
* :mod:`~growthpole.calibration.objective`: the loss, parallel evaluation under common
  random numbers, the cache and checkpoints;
* :mod:`~growthpole.calibration.optimise`: differential evolution, local polish, bootstrap
  and loss profiles;
* :mod:`~growthpole.calibration.report`: hindcast, report JSON and figures.

:func:`calibrate` runs them in order; ``growthpole calibrate`` is its command line.
docs/calibration.md describes the method and the shipped results.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

__all__ = ["calibrate", "checkpoint_path"]


def checkpoint_path(out: Path) -> Path:
    """Where the checkpoint of a calibration writing ``out`` lives (beside it)."""
    out = Path(out)
    return out.with_name(out.name + ".checkpoint.json")


def calibrate(
    spec: Any,
    out: str | Path,
    *,
    executor: Any = None,
    resume: bool = False,
    overwrite: bool = False,
    progress: bool = False,
    stop_after: int | None = None,
    write: bool = True,
    checkpoint_seconds: float = 20.0,
    problem: Any = None,
    plan: Any = None,
) -> dict[str, Any]:
    """Calibrate ``spec`` (a :class:`~growthpole.calibration.spec.CalibrationSpec`), write
    ``out`` (calibrated parameters) and its report; returns a summary dict.

    ``executor``: the :class:`~growthpole.experiments.base.Executor` that runs the
    simulations (:func:`~growthpole.experiments.execute.make_executor`, closed by the
    caller; None: serial, in this process); the result does not depend on it.
    ``resume``: continue from ``out``'s checkpoint (kept after completion: resuming a
    complete calibration replays it from the cache and rewrites the outputs).
    ``stop_after``: stop (raising
    :class:`~growthpole.calibration.objective.Interrupted`) after that many new
    evaluations, leaving a checkpoint (tests). ``write=False``: search only (tests).
    ``problem``: a prepared :class:`~growthpole.calibration.objective.Problem` (e.g. with a
    synthetic history for recovery tests); default the spec's, with targets from data/.
    ``plan``: the :class:`~growthpole.calibration.plan.CalibrationPlan` the command printed
    (recorded in the report; default the spec's own).
    """
    from growthpole.calibration.objective import EvaluationStore, Problem
    from growthpole.calibration.optimise import search
    from growthpole.calibration.plan import plan as plan_of
    from growthpole.calibration.report import write_outputs
    from growthpole.errors import OutputError

    out = Path(out)
    checkpoint = checkpoint_path(out)
    if write and out.exists() and not (overwrite or resume):
        raise OutputError(
            "calibrated file already exists; pass --overwrite to replace it", file=out
        )
    if checkpoint.exists() and not (resume or overwrite):
        raise OutputError(
            "a checkpoint of an earlier calibration exists; pass --resume to "
            "reuse its evaluations (an interrupted run continues, a complete "
            "one rewrites its outputs without new search) or --overwrite to "
            "start over",
            file=checkpoint,
        )
    if resume and not checkpoint.exists():
        raise OutputError("--resume: no checkpoint to resume from", file=checkpoint)
    if overwrite and not resume and checkpoint.exists():
        checkpoint.unlink()
    problem = problem or Problem.from_spec(spec)
    if not problem.moments.observations:
        from growthpole.errors import ScenarioError

        raise ScenarioError(
            f"no target has an observation in the window {spec.window}",
            file=spec.source_path,
            key="targets",
        )
    identity = {"spec_hash": _search_hash(spec), "window": spec.window}
    started = time.perf_counter()
    with EvaluationStore(
        problem,
        executor=executor,
        checkpoint=checkpoint,
        checkpoint_seconds=checkpoint_seconds,
        identity=identity,
        stop_after=stop_after,
        progress=progress,
    ) as store:
        resumed = store.load(checkpoint) if resume else 0
        estimate = search(spec, store)
        store.save()
        best = store.cache[tuple(float(v) for v in estimate.unit)]
        info = {
            "search": estimate.search_evaluations,
            "diagnostics": estimate.diagnostic_evaluations,
            "total": len(store.requested),
            "new_this_run": store.new_evaluations,
            "resumed_from_checkpoint": resumed,
            "workers": store.workers,
            "backend": store.executor.name if store.executor is not None else "serial",
            "replications_per_evaluation": store.replications,
            "simulation_seconds": store.simulation_seconds,
            "wall_seconds": time.perf_counter() - started,
            "evaluations_per_minute": store.rate(),
            "estimate_moments": best.moments,
            "plan": (plan or plan_of(spec)).as_dict(),
        }
    summary: dict[str, Any] = {
        "values": problem.values(estimate.unit),
        "loss": estimate.loss,
        "estimate": estimate,
        "problem": problem,
        "evaluations": info,
    }
    if write:
        report = write_outputs(out, spec, problem, estimate, dict(info))
        summary["report"] = report
    return summary


def _search_hash(spec: Any) -> str:
    """Hash of what determines the evaluations (not the budget: a resumed run may extend
    it, the cached evaluations stay valid)."""
    from growthpole.provenance import payload_sha256

    payload = spec.model_dump(mode="json", exclude={"source_path", "search", "diagnostics"})
    payload["search_seed"] = spec.search.seed
    return payload_sha256(payload)
