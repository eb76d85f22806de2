"""The calibration objective: parameter vector -> simulated moments -> loss, evaluated in
parallel on the shared executor, cached by parameter vector and checkpointed.

* Coordinates: the search works in the unit cube u ∈ [0, 1]^P; parameter j is
  ``lower_j + u_j (upper_j - lower_j)`` (bounds of the spec).
* Common random numbers: replication r of *every* candidate uses the same SeedSequence
  (spawned once in the parent from the spec's seed), so loss differences between candidates
  are not Monte Carlo noise.
* Work unit: one (candidate, replication) simulation, so that both a population of
  differential evolution and a single Nelder-Mead point use all workers. The units run on
  the executor ``sweep``, ``run --workers`` and ``posterior`` use
  (:mod:`growthpole.experiments.execute`: serial in this process, a Dask LocalCluster,
  a running scheduler, SLURM or PBS); the :class:`Problem` is sent to the workers once
  (:meth:`~growthpole.experiments.base.Executor.share`: scattered to every Dask worker),
  each task carries only its unit vector and replication number.
* Cache: every evaluated candidate's per-replication moments are kept by its exact vector;
  re-asking for a vector costs nothing. The checkpoint is the cache written atomically as
  JSON; a resumed calibration replays the (deterministic) search through the cache and
  continues where it stopped, with the same result as an uninterrupted run.
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from growthpole.calibration.moments import MomentSet, paths_from_records
from growthpole.calibration.spec import CalibrationSpec
from growthpole.errors import ModelInvariantError, OutputError
from growthpole.io import write_json
from growthpole.model import GrowthPoleModel
from growthpole.parameters import ModelParameters, make_parameters
from growthpole.scenario import Scale, Scenario, build_scenario, load_calibrated_parameters
from growthpole.seeds import replication_seeds

if TYPE_CHECKING:
    from tqdm import tqdm

    from growthpole.experiments.base import Executor

CHECKPOINT_VERSION = 1
#: times one batch may send the problem again after the workers holding it were all lost
SHARE_RETRIES = 3
PROGRESS_LINE_SECONDS = 30.0


@dataclass(frozen=True)
class Problem:
    """Everything a worker needs to simulate a candidate (picklable)."""

    names: tuple[str, ...]
    lower: np.ndarray
    upper: np.ndarray
    fixed: dict[str, float]
    scenario: Scenario
    moments: MomentSet
    seeds: tuple[np.random.SeedSequence, ...]
    break_year: int | None = None
    #: the free parameters that are lever coefficients (set in the scenario's
    #: ``lever_coefficients``, not in ModelParameters)
    coefficients: tuple[str, ...] = ()

    @classmethod
    def from_spec(
        cls,
        spec: CalibrationSpec,
        *,
        end: int | None = None,
        scale: Scale | None = None,
        replications: int | None = None,
        first_replication: int = 0,
    ) -> Problem:
        """The problem of ``spec``: simulate its window (or to ``end``) with no policy lever
        (the historical economy), at the spec's search scale unless ``scale`` is given.
        Replications are ``first_replication, ...`` of the spec's seed tree (all spawned in
        the parent): the search uses 0..R-1, the hindcast the next ones (fresh draws)."""
        scale = scale or spec.scale
        policy = spec.policy_scenario()
        scenario = build_scenario(
            {
                "name": f"calibration-{spec.name}",
                "start_year": spec.start,
                "end_year": end or spec.end,
                "replications": replications or spec.replications,
                "seed": spec.seed % 2**63,
                "scale": scale.model_dump(),
                # no policy lever (the historical economy), or the spec's policy scenario's
                "levers": {} if policy is None else dict(policy.levers),
                "lever_coefficients": {} if policy is None else dict(policy.lever_coefficients),
                "budget": None
                if policy is None or policy.budget is None
                else policy.budget.model_dump(),
                # the window's end is the information date: the initial state and shares read
                # nothing published after it, also when the run continues past it (hindcast)
                "information_year": spec.end,
            }
        )
        # beneath `fixed:`: the policy scenario's calibration file and parameters
        base: dict[str, float] = {}
        if policy is not None:
            if policy.calibration:
                base.update(
                    load_calibrated_parameters(
                        policy.resolve(policy.calibration), scenario_file=policy.source_path
                    )
                )
            base.update(policy.parameters)
        moments = MomentSet.build(spec.targets, spec.start, spec.end)
        count = replications or spec.replications
        seeds = tuple(replication_seeds(spec.seed, first_replication + count)[first_replication:])
        names = spec.names
        return cls(
            names=names,
            lower=np.array([spec.free_parameter(n).lower for n in names]),
            upper=np.array([spec.free_parameter(n).upper for n in names]),
            fixed={**base, **spec.fixed},
            scenario=scenario,
            moments=moments,
            seeds=seeds,
            break_year=spec.regimes.break_year if spec.regimes else None,
            coefficients=spec.coefficient_names,
        )

    def values(self, unit: np.ndarray) -> dict[str, float]:
        """Parameter values (their units) of a unit-cube vector."""
        unit = np.clip(np.asarray(unit, dtype=float), 0.0, 1.0)
        natural = np.clip(self.lower + unit * (self.upper - self.lower), self.lower, self.upper)
        return {n: float(v) for n, v in zip(self.names, natural, strict=True)}

    def unit(self, values: dict[str, float]) -> np.ndarray:
        natural = np.array([values[n] for n in self.names], dtype=float)
        return (natural - self.lower) / (self.upper - self.lower)

    def regime_values(
        self, values: dict[str, float]
    ) -> tuple[dict[str, float], dict[str, float] | None]:
        """(values before the break, values from the break year on or None): fixed ones,
        then the estimated ones; ``name@YEAR`` overrides ``name`` after the break."""
        values = {k: v for k, v in values.items() if k not in self.coefficients}
        before = {**self.fixed, **{k: v for k, v in values.items() if "@" not in k}}
        late = {k.split("@")[0]: v for k, v in values.items() if "@" in k}
        return before, ({**before, **late} if late else None)

    def parameters(self, unit: np.ndarray) -> ModelParameters:
        """Parameters of the (first) regime at ``unit``."""
        return make_parameters(self.regime_values(self.values(unit))[0])

    def run_model(self, values: dict[str, float], replication: int) -> GrowthPoleModel:
        """The model stepped to the scenario's end at ``values``, one replication (free
        lever coefficients go to the scenario's ``lever_coefficients``)."""
        scenario = self.scenario
        if self.coefficients:
            coefficients = {n: float(values[n]) for n in self.coefficients}
            scenario = scenario.model_copy(
                update={"lever_coefficients": {**scenario.lever_coefficients, **coefficients}}
            )
        return run_with_regimes(
            scenario,
            self.seeds[replication],
            replication,
            *self.regime_values(values),
            self.break_year,
        )

    def simulate_paths(self, unit: np.ndarray, replication: int):
        """One replication's :class:`SimulatedPaths` at ``unit`` (window start to end)."""
        model = self.run_model(self.values(unit), replication)
        return paths_from_records(model.records)

    def replication_moments(self, unit: np.ndarray, replication: int) -> np.ndarray | None:
        """Simulated moment vector of one replication; None when the model breaks one of its
        invariants at these parameters (the candidate then gets an infinite loss)."""
        try:
            paths = self.simulate_paths(unit, replication)
        except ModelInvariantError:
            return None
        return self.moments.simulate(paths)


def run_with_regimes(
    scenario: Scenario,
    seed: np.random.SeedSequence,
    replication: int,
    before: dict[str, float],
    after: dict[str, float] | None,
    break_year: int | None,
) -> GrowthPoleModel:
    """Step a :class:`GrowthPoleModel` to ``scenario.end_year``; from ``break_year`` on (the
    step that produces that year) it runs with the ``after`` parameters. Only parameters
    the mechanisms read every year may differ (spec.REGIME_PARAMETERS)."""
    regimes = (
        {break_year: make_parameters(after)}
        if after is not None and break_year is not None
        else None
    )
    model = GrowthPoleModel(
        scenario,
        seed,
        parameters=make_parameters(before),
        parameter_regimes=regimes,
        replication=replication,
    )
    while model.year < scenario.end_year:
        model.step()
    return model


# ---- the unit of work -------------------------------------------------------------------------
def _run_task(task: tuple[Problem, np.ndarray, int]) -> np.ndarray | None:
    """One (candidate, replication): the executor resolves the shared problem's handle."""
    problem, unit, replication = task
    return problem.replication_moments(unit, replication)


def _key(unit: np.ndarray) -> tuple[float, ...]:
    return tuple(float(v) for v in np.asarray(unit, dtype=float))


@dataclass
class Evaluation:
    unit: np.ndarray
    moments: np.ndarray | None  # (R, M), None if the model failed
    loss: float


@dataclass
class EvaluationStore:
    """Cache of evaluated candidates with parallel evaluation, checkpointing and progress.

    ``executor`` (a :class:`~growthpole.experiments.base.Executor`, made by
    :func:`~growthpole.experiments.execute.make_executor`; None: serial, in this process)
    evaluates the (candidate, replication) tasks; the caller closes it. Results are put
    back in task order, so any backend and any number of workers give the same bytes.
    ``checkpoint``: JSON path written atomically at most every ``checkpoint_seconds`` and
    by :meth:`save`. ``stop_after``: raise :class:`Interrupted` once that many *new*
    evaluations were made (tests use it to simulate an interruption).
    """

    problem: Problem
    executor: Executor | None = None
    checkpoint: Path | None = None
    checkpoint_seconds: float = 20.0
    identity: dict[str, object] = field(default_factory=dict)
    stop_after: int | None = None
    progress: bool = False
    cache: dict[tuple[float, ...], Evaluation] = field(default_factory=dict)
    #: keys requested in this run, in order of first request (a resumed run rebuilds the
    #: same order by replaying the search, whatever the checkpoint holds beyond it)
    requested: dict[tuple[float, ...], None] = field(default_factory=dict)
    new_evaluations: int = 0
    phase: str = "search"
    #: most keys :attr:`requested` may hold (None: no limit); a request beyond it raises
    #: :class:`BudgetExhausted` before anything is simulated (growthpole.calibration.plan)
    ceiling: int | None = None
    #: the problem as the executor's tasks carry it (:meth:`Executor.share`)
    _shared: object = None
    _last_save: float = 0.0
    _started: float = field(default_factory=time.perf_counter)
    _bar: tqdm | None = None
    _last_line: float = 0.0
    simulation_seconds: float = 0.0

    # ---- lifecycle ----------------------------------------------------------------------
    def __enter__(self) -> EvaluationStore:
        if self.executor is None:
            from growthpole.experiments.base import SerialExecutor

            self.executor = SerialExecutor()
        self._shared = self.executor.share(self.problem)  # once, not per task
        if self.progress and sys.stderr.isatty():
            from tqdm import tqdm

            self._bar = tqdm(
                total=None,
                unit="eval",
                file=sys.stderr,
                mininterval=1.0,
                dynamic_ncols=True,
                desc="calibrate",
            )
        self._last_line = time.perf_counter()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._shared = None  # Dask releases the scattered problem
        if self._bar is not None:
            self._bar.close()
            self._bar = None
        if self.checkpoint is not None and exc_info[0] is not None:
            self.save()

    # ---- evaluation ----------------------------------------------------------------------
    @property
    def replications(self) -> int:
        return len(self.problem.seeds)

    @property
    def workers(self) -> int:
        """Workers of the executor (1 before :meth:`__enter__` without one)."""
        return self.executor.workers if self.executor is not None else 1

    def evaluate(self, units: list[np.ndarray]) -> list[Evaluation]:
        """Evaluations of ``units`` (cached ones free; new ones in parallel)."""
        units = [np.clip(np.asarray(u, dtype=float), 0.0, 1.0) for u in units]
        if self.ceiling is not None:
            fresh = {_key(u) for u in units} - self.requested.keys()
            if len(self.requested) + len(fresh) > self.ceiling:
                raise BudgetExhausted(
                    f"phase {self.phase}: {len(fresh)} more evaluation(s) "
                    f"would pass the planned {self.ceiling}"
                )
        for unit in units:
            self.requested.setdefault(_key(unit), None)
        missing: dict[tuple[float, ...], np.ndarray] = {}
        for unit in units:
            key = _key(unit)
            if key not in self.cache and key not in missing:
                missing[key] = unit
        if missing:
            if self.stop_after is not None and self.new_evaluations >= self.stop_after:
                self.save()
                raise Interrupted(f"stopped after {self.new_evaluations} new evaluations")
            if self.stop_after is not None:
                keep = self.stop_after - self.new_evaluations
                missing = dict(list(missing.items())[:keep])
            self._compute(list(missing.values()))
            if any(_key(u) not in self.cache for u in units):
                self.save()
                raise Interrupted(f"stopped after {self.new_evaluations} new evaluations")
        return [self.cache[_key(u)] for u in units]

    def losses(self, units: list[np.ndarray]) -> np.ndarray:
        return np.array([e.loss for e in self.evaluate(units)])

    def _compute(self, units: list[np.ndarray]) -> None:
        work = [(u, r) for u in units for r in range(self.replications)]
        started = time.perf_counter()
        done = self._run(work)
        results = [done[i] for i in range(len(work))]  # in task order, whatever finished first
        self.simulation_seconds += time.perf_counter() - started
        for i, unit in enumerate(units):
            block = results[i * self.replications : (i + 1) * self.replications]
            complete = [b for b in block if b is not None]
            if len(complete) < len(block):
                evaluation = Evaluation(unit, None, float("inf"))
            else:
                moments = np.stack(complete)
                evaluation = Evaluation(unit, moments, self.problem.moments.loss(moments))
            self.cache[_key(unit)] = evaluation
        self.new_evaluations += len(units)
        self._report(len(units))
        if self.checkpoint is not None and (
            time.perf_counter() - self._last_save >= self.checkpoint_seconds
        ):
            self.save()

    def _run(self, work: list[tuple[np.ndarray, int]]) -> dict[int, np.ndarray | None]:
        """Moments of every (unit, replication) of ``work`` by position, on the executor.

        A killed Dask worker's tasks are rerun by the scheduler. Only if every worker that
        held the scattered problem is lost at once (one worker, or all of them killed) are
        the tasks that need it cancelled; the problem is then sent again and the unfinished
        tasks resubmitted, at most :data:`SHARE_RETRIES` times per batch."""
        assert self.executor is not None, "use the store as a context manager"
        done: dict[int, np.ndarray | None] = {}
        for attempt in range(SHARE_RETRIES + 1):
            if self._shared_lost():
                self._shared = self.executor.share(self.problem)
            todo = [i for i in range(len(work)) if i not in done]
            tasks = [(self._shared, *work[i]) for i in todo]
            try:
                for position, result in self.executor.map_unordered(_run_task, tasks):
                    done[todo[position]] = result
                return done
            except Exception:
                if attempt == SHARE_RETRIES or not self._shared_lost():
                    raise
                print(
                    f"growthpole: the Dask workers holding the calibration problem were lost; "
                    f"sending it again and resubmitting "
                    f"{len(work) - len(done)} unfinished task(s) "
                    f"({attempt + 1} of {SHARE_RETRIES})",
                    file=sys.stderr,
                    flush=True,
                )
        raise AssertionError("unreachable")

    def _shared_lost(self) -> bool:
        """Whether the scattered problem is gone from the cluster (a Dask Future no longer
        finished); in-process it never is."""
        return getattr(self._shared, "status", "finished") != "finished"

    def _report(self, count: int) -> None:
        """Progress on stderr: a tqdm bar on a terminal, else a plain line every 30 s."""
        if not self.progress:
            return
        best = self.best()
        if self._bar is None:
            now = time.perf_counter()
            if now - self._last_line >= PROGRESS_LINE_SECONDS:
                self._last_line = now
                loss = f"{best.loss:.5g}" if best else "n/a"
                print(
                    f"calibrate: {len(self.cache)} evaluations ({self.rate():.0f}/min), "
                    f"phase {self.phase}, best loss {loss}",
                    file=sys.stderr,
                    flush=True,
                )
            return
        self._bar.update(count)
        self._bar.set_postfix_str(
            f"{self.phase}, best loss {best.loss:.5g}" if best else self.phase, refresh=False
        )

    def best(self, keys: list[tuple[float, ...]] | None = None) -> Evaluation | None:
        """Lowest-loss evaluation among ``keys`` (default: every cached one)."""
        pool = (
            self.cache.values()
            if keys is None
            else (self.cache[k] for k in keys if k in self.cache)
        )
        finite = [e for e in pool if np.isfinite(e.loss)]
        return min(finite, key=lambda e: e.loss) if finite else None

    # ---- checkpoint ------------------------------------------------------------------------
    def save(self) -> None:
        if self.checkpoint is None:
            return
        best = self.best()
        payload = {
            "version": CHECKPOINT_VERSION,
            **self.identity,
            "names": list(self.problem.names),
            "replications": self.replications,
            "phase": self.phase,
            "evaluations": len(self.cache),
            "best": None
            if best is None
            else {
                "unit": best.unit.tolist(),
                "loss": best.loss,
                "values": self.problem.values(best.unit),
            },
            "cache": [
                {
                    "unit": e.unit.tolist(),
                    "moments": None if e.moments is None else e.moments.tolist(),
                }
                for e in self.cache.values()
            ],
        }
        write_json(self.checkpoint, payload)
        self._last_save = time.perf_counter()

    def load(self, path: Path) -> int:
        """Fill the cache from a checkpoint written by :meth:`save`; returns its size. The
        checkpoint must come from the same spec (hash), window and replications."""
        try:
            payload = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise OutputError(f"cannot read checkpoint: {exc}", file=path) from None
        from growthpole.calibration.spec import check_checkpoint

        if not isinstance(payload, dict):
            check_checkpoint(payload, path, dimension=0, replications=0, moments=0)
        for key, value in self.identity.items():
            if payload.get(key) != value:
                raise OutputError(
                    f"checkpoint was written for a different {key} "
                    f"({payload.get(key)!r}, now {value!r}); remove it or pass "
                    f"--overwrite to start over",
                    file=path,
                    key=key,
                )
        if (
            payload.get("names") != list(self.problem.names)
            or payload.get("replications") != self.replications
        ):
            raise OutputError(
                "checkpoint holds other free parameters or replications", file=path, key="names"
            )
        check_checkpoint(
            payload,
            path,
            dimension=len(self.problem.names),
            replications=self.replications,
            moments=len(self.problem.moments.observations),
        )
        for entry in payload.get("cache", []):
            unit = np.array(entry["unit"], dtype=float)
            if entry["moments"] is None:
                evaluation = Evaluation(unit, None, float("inf"))
            else:
                moments = np.array(entry["moments"], dtype=float)
                evaluation = Evaluation(unit, moments, self.problem.moments.loss(moments))
            self.cache[_key(unit)] = evaluation
        return len(self.cache)

    def rate(self) -> float:
        """New evaluations per minute of wall time so far."""
        elapsed = time.perf_counter() - self._started
        return 60.0 * self.new_evaluations / elapsed if elapsed > 0 else 0.0


class BudgetExhausted(Exception):
    """A phase asked for more evaluations than the plan allows (its search stops there)."""


class Interrupted(Exception):
    """Raised by :class:`EvaluationStore` when ``stop_after`` is reached (tests)."""
