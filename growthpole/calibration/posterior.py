"""A likelihood-free posterior over a calibration spec's free parameters (ABC-SMC).

Why pyabc's ABC-SMC (Toni et al. 2009; Klinger, Rickert & Hasenauer 2018, *Bioinformatics*
34:3591)
    * maintained (pyabc 0.13, 2024; ICB Munich), pure Python, on PyPI;
    * sequential Monte Carlo with adaptive tolerances (quantile of the previous
      generation's distances) and fitted multivariate-normal proposals: far fewer
      simulations than rejection ABC for 13 parameters;
    * adaptive distances are available (``AdaptivePNormDistance``) should the spec's weights
      ever be replaced;
    * every generation is committed to an SQLite database (``History``) as it completes:
      the run is checkpointed by construction, and ``ABCSMC.load`` + ``run`` resumes it.
    BOLFI/ELFI (Gaussian-process surrogates) would need fewer simulations but scale poorly
    beyond ~10 parameters and are less maintained; sbi (neural posterior estimation) needs
    torch and tens of thousands of simulations to train a density estimator.

The pieces
    * Coordinates: pyabc samples the unit cube u ∈ [0, 1]^P of :class:`Problem` (parameter
      j is ``lower_j + u_j (upper_j - lower_j)``); particles are written in natural units.
    * Priors (:class:`Prior`): uniform on the spec's bounds unless the posterior settings
      give a (truncated) normal prior for a parameter, e.g. from the literature.
    * Simulator: the mean over ``replications`` replications of the simulated moment vector
      (:meth:`MomentSet.simulate`), with common random numbers: replication r of every
      draw uses the same SeedSequence (the spec's seed tree), as the point calibration.
    * Distance: the MSM loss of the point calibration (:meth:`MomentSet.loss`, the spec's
      diagonal weights on moments in log / fraction units). Chosen over pyabc's adaptive
      p-norm because (i) the moments are already commensurable (~ relative errors), (ii)
      the spec's weights are deliberate (Shaoxing counts 8x a pole), and a MAD rescaling
      would instead up-weight the nearly deterministic population moments, (iii) the
      tolerance then has the unit of the point calibration's loss, so the noise floor below
      and the shipped loss (0.0127) are comparable, and (iv) a fixed distance keeps a
      resumed run identical to an uninterrupted one.
    * Tolerance: each generation's ε is the ``quantile`` of the previous generation's
      distances; the run stops at the *noise floor* (``tolerance: noise``): the expected
      loss at the true parameters, Σ_i w_i s_i² (1/H + 1/R), with s_i² the replication
      variance of moment i at the reference point, H the replications averaged in the
      history (1 for the real history, one realisation) and R the simulator's. Accepting
      every draw whose loss is within that floor is exact ABC under an error model of that
      size (Wilkinson 2013, *Stat. Appl. Genet. Mol. Biol.* 12:129); stopping earlier gives
      a wider (conservative) posterior, going further would fit the noise. It also stops at
      ``generations``, ``max_simulations`` or ``min_acceptance_rate``.

Reproducibility (:class:`OrderedSampler`)
    pyabc's own samplers reseed each job from the operating system
    (``np.random.seed()``) and keep the particles that finish first, so no two runs agree.
    The ordered sampler gives job k of generation t the seed
    ``SeedSequence(seed, spawn_key=(t + 1, k))``, and keeps the first n accepted *by job
    number*, waiting for earlier jobs and cancelling later ones. A generation is then a
    pure function of (seed, t, previous population): the same seed gives the same
    particles serially, on 1 or on any number of Dask workers, and a resumed run the
    same as an uninterrupted one. Not reproducible: wall times, and the number of jobs
    run beyond the n-th acceptance and discarded (``discarded_evaluations``; not counted
    in pyabc's simulation totals, so the stopping rules do not depend on them).

Identification (:func:`identification`)
    One-at-a-time loss profiles cannot see a ridge (issue 16: rd_return and tfp_drift trade
    off with the same loss). The report holds (i) the posterior correlation matrix, (ii) the
    eigenvalues and eigenvectors of the posterior covariance in unit-cube coordinates, each
    compared with the prior variance along the same direction, and (iii) the singular
    values of the weighted moment Jacobian W^{1/2} dm/du (central finite differences at the
    posterior median under common random numbers). A singular value s along direction v
    means that moving one prior sd along v raises the loss by about (s · sd)²: when that is
    below the noise floor, v is a direction the data cannot see (a ridge), and its largest
    loadings name the parameters that trade off. Each parameter is reported 'identified by
    data' when its posterior sd is below ``identified_share`` (default 0.5) of its prior
    sd, else 'held at its prior'.

Outputs (:func:`run_posterior`)
    ``OUT.yaml`` (summary: medians, 90% intervals, the diagnostics, the generations),
    ``OUT.particles.csv`` (the weighted particles of the last generation, natural units),
    ``OUT.db`` (pyabc's history: the checkpoint). :func:`load_posterior` reads the first
    two back and :func:`draw_parameters` gives each replication of a scenario its own draw.
"""

from __future__ import annotations

import logging
import math
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from growthpole.calibration.objective import Problem
from growthpole.calibration.spec import CalibrationSpec, load_spec
from growthpole.errors import OutputError, ScenarioError, input_error
from growthpole.provenance import bytes_sha256, payload_sha256

#: ε of generation 0: every prior draw whose model runs is accepted (failed runs have an
#: infinite distance and are rejected)
INITIAL_EPSILON = 1e12
#: |posterior correlation| above which a pair is listed as trading off
CORRELATION_FLAG = 0.7


# ---------------------------------------------------------------------------------------
# settings
# ---------------------------------------------------------------------------------------


class Prior(BaseModel):
    """Prior of one free parameter (natural units), truncated to the spec's bounds."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    distribution: Literal["uniform", "normal"] = "uniform"
    mean: float | None = None
    sd: float | None = Field(None, gt=0.0)
    source: str = Field("", description="literature reference of a non-uniform prior")


class PosteriorSettings(BaseModel):
    """The settings of a posterior run (a YAML file beside the calibration spec)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str = Field("posterior", min_length=1, max_length=100, pattern=r"^[A-Za-z0-9_.\-]+$")
    description: str = ""
    spec: str = Field("history.yaml", description="calibration spec, relative to this file")
    replications: int | None = Field(
        None, ge=1, le=200, description="replications averaged per draw (default: the spec's)"
    )
    population: int = Field(150, ge=4, le=100_000, description="particles per generation")
    generations: int = Field(20, ge=1, le=1000, description="most generations")
    max_simulations: int = Field(
        24_000,
        ge=1,
        description="most model runs of the ABC (draws x replications; diagnostics come on top)",
    )
    quantile: float = Field(
        0.5,
        gt=0.0,
        lt=1.0,
        description="ε of a generation: this quantile of the previous generation's distances",
    )
    min_acceptance_rate: float = Field(0.01, ge=0.0, lt=1.0)
    tolerance: Literal["noise"] | float = Field(
        "noise", description="stop once ε is below this loss; 'noise': the noise floor"
    )
    history_replications: int = Field(
        1,
        ge=1,
        description="replications averaged in the "
        "observed history (1: the real history; synthetic "
        "histories may average more)",
    )
    seed: int = Field(20050101, ge=0, lt=2**63, description="seed of the ABC's own draws")
    priors: dict[str, Prior] = Field(default_factory=dict)
    identified_share: float = Field(
        0.5,
        gt=0.0,
        le=1.0,
        description="a parameter is identified by data if posterior sd < this x prior sd",
    )
    jacobian_step: float = Field(
        0.05,
        gt=0.0,
        le=0.25,
        description="finite-difference step of the moment Jacobian, unit-cube coordinates",
    )
    source_path: str | None = Field(None, exclude=True)

    def content_hash(self, spec: CalibrationSpec) -> str:
        """SHA-256 of what determines the particles (not the stopping rules: a resumed run
        may extend them)."""
        payload = self.model_dump(
            mode="json",
            exclude={
                "source_path",
                "generations",
                "max_simulations",
                "tolerance",
                "min_acceptance_rate",
                "identified_share",
                "jacobian_step",
                "description",
            },
        )
        payload["spec_hash"] = spec.content_hash()
        return payload_sha256(payload)


def build_settings(
    data: Any, *, source: str | Path | None = None, spec: CalibrationSpec | None = None
) -> PosteriorSettings:
    """Validate a parsed mapping into :class:`PosteriorSettings` (one error line); with a
    ``spec``, also check that every prior names a free parameter and lies in its bounds."""
    file = str(source) if source is not None else None
    if not isinstance(data, dict):
        raise ScenarioError("top level must be a mapping of keys to values", file=file)
    try:
        settings = PosteriorSettings.model_validate({**data, "source_path": file})
    except ValidationError as exc:
        raise input_error(
            exc, PosteriorSettings, file=file, what="docs/calibration.md, posterior"
        ) from None
    if spec is not None:
        check_priors(settings, spec)
    return settings


def check_priors(settings: PosteriorSettings, spec: CalibrationSpec) -> None:
    file = settings.source_path
    for name, prior in settings.priors.items():
        key = f"priors.{name}"
        if name not in spec.names:
            raise ScenarioError(
                f"not a free parameter of the spec; allowed: {', '.join(spec.names)}",
                file=file,
                key=key,
            )
        if prior.distribution == "normal":
            bounds = spec.free_parameter(name)
            if prior.mean is None or prior.sd is None:
                raise ScenarioError("a normal prior needs mean and sd", file=file, key=key)
            if not bounds.lower <= prior.mean <= bounds.upper:
                raise ScenarioError(
                    f"mean {prior.mean} is outside the bounds [{bounds.lower}, {bounds.upper}]",
                    file=file,
                    key=f"{key}.mean",
                )
        elif prior.mean is not None or prior.sd is not None:
            raise ScenarioError(
                "a uniform prior spans the spec's bounds; mean and sd are not allowed",
                file=file,
                key=key,
            )
    if settings.tolerance == "noise" and _replications(settings, spec) < 2:
        raise ScenarioError(
            "tolerance 'noise' estimates the replication variance and needs replications >= 2",
            file=file,
            key="replications",
        )


def load_settings(
    path: str | Path, *, window: str | None = None
) -> tuple[PosteriorSettings, CalibrationSpec]:
    """Read posterior settings and the calibration spec they name (``window`` overrides the
    spec's)."""
    from growthpole.scenario import read_yaml

    path = Path(path)
    data = read_yaml(path, what="posterior settings")
    settings = build_settings(data, source=path)
    spec_path = path.parent / settings.spec
    if not spec_path.is_file():
        raise ScenarioError(f"calibration spec {spec_path} does not exist", file=path, key="spec")
    spec = load_spec(spec_path, window=window)
    check_priors(settings, spec)
    return settings, spec


def _replications(settings: PosteriorSettings, spec: CalibrationSpec) -> int:
    return settings.replications or spec.replications


# ---------------------------------------------------------------------------------------
# the simulator, the distance and the priors (picklable: they travel to Dask workers)
# ---------------------------------------------------------------------------------------


#: effective sample size below this share of the particles: the weights are degenerate
DEGENERATE_SHARE = 0.1


def parameter_keys(count: int) -> tuple[str, ...]:
    """pyabc's names of the unit-cube coordinates: p00, p01, ... (sorted = spec order, so
    that pyabc's alphabetical column order from its database matches the one in memory)."""
    return tuple(f"p{i:02d}" for i in range(count))


@dataclass(frozen=True)
class MeanMomentModel:
    """pyabc model: unit-cube parameters -> {"moments": replication-mean moment vector}
    (all NaN when the model breaks an invariant in any replication)."""

    problem: Problem
    keys: tuple[str, ...]

    def unit(self, parameters: Any) -> np.ndarray:
        return np.array([float(parameters[k]) for k in self.keys])

    def __call__(self, parameters: Any) -> dict[str, np.ndarray]:
        return {"moments": mean_moments(self.problem, self.unit(parameters))}


def mean_moments(problem: Problem, unit: np.ndarray) -> np.ndarray:
    """Mean simulated moment vector over the problem's replications (common random
    numbers); NaN everywhere if any replication fails."""
    rows = []
    for replication in range(len(problem.seeds)):
        moments = problem.replication_moments(unit, replication)
        if moments is None:
            return np.full(len(problem.moments.observations), np.nan)
        rows.append(moments)
    return np.mean(rows, axis=0)


@dataclass(frozen=True)
class MomentDistance:
    """The MSM loss Σ w_i (m_i - observed_i)², infinite for a failed simulation."""

    weights: np.ndarray

    def __call__(self, simulated: dict, observed: dict) -> float:
        error = np.asarray(simulated["moments"]) - np.asarray(observed["moments"])
        value = float(np.sum(self.weights * error**2))
        return value if np.isfinite(value) else math.inf


def _unit_prior(prior: Prior, lower: float, upper: float):
    """The prior of one parameter as a pyabc RV on the unit interval."""
    import pyabc

    if prior.distribution == "uniform":
        return pyabc.RV("uniform", 0.0, 1.0)
    assert prior.mean is not None and prior.sd is not None  # a normal prior has both (checked)
    width = upper - lower
    mean = (prior.mean - lower) / width
    sd = prior.sd / width
    return pyabc.RV("truncnorm", (0.0 - mean) / sd, (1.0 - mean) / sd, loc=mean, scale=sd)


def catalogue_unit_prior(name: str, lower: float, upper: float):
    """The catalogue prior of lever coefficient ``name`` (growthpole/levers.yaml: normal,
    lognormal, beta or uniform), truncated to [lower, upper] and mapped to the unit
    interval u = (x - lower) / (upper - lower), as a pyabc random variable."""
    from pyabc.random_variables import RVBase

    from growthpole.levers import COEFFICIENTS

    class CataloguePrior(RVBase):
        """Density f_u(u) = w f(x) / (F(upper) - F(lower)) on [0, 1], x = lower + w u,
        f and F the catalogue prior's density and cdf, w = upper - lower; drawn by inverse
        cdf from numpy's global stream (which the sampler seeds per job)."""

        def __init__(self) -> None:
            self.name, self.lower, self.upper = name, float(lower), float(upper)
            self.prior = COEFFICIENTS[name].prior.distribution()
            self.low_cdf = float(self.prior.cdf(self.lower))
            self.mass = float(self.prior.cdf(self.upper)) - self.low_cdf
            self.width = self.upper - self.lower

        def __reduce__(self):  # a closure class: rebuild it by name on a Dask worker
            return (catalogue_unit_prior, (self.name, self.lower, self.upper))

        def copy(self):
            return catalogue_unit_prior(self.name, self.lower, self.upper)

        def rvs(self, *args: Any, **kwargs: Any) -> float:
            # numpy's global stream, as pyabc's own RVs: the sampler seeds it per job
            draw = self.low_cdf + self.mass * np.random.random_sample()  # noqa: NPY002
            return float((self.prior.ppf(draw) - self.lower) / self.width)

        def pdf(self, x: Any, *args: Any, **kwargs: Any) -> Any:
            x = np.asarray(x, dtype=float)
            inside = (x >= 0.0) & (x <= 1.0)
            value = self.prior.pdf(self.lower + self.width * x) * self.width / self.mass
            return np.where(inside, value, 0.0)

        def pmf(self, x: Any, *args: Any, **kwargs: Any) -> Any:
            return self.pdf(x)

        def cdf(self, x: Any, *args: Any, **kwargs: Any) -> Any:
            x = np.clip(np.asarray(x, dtype=float), 0.0, 1.0)
            return (self.prior.cdf(self.lower + self.width * x) - self.low_cdf) / self.mass

        def std(self) -> float:
            """sd on the unit interval (numerical: the truncated catalogue prior)."""
            from scipy import integrate

            mean = integrate.quad(lambda u: u * float(self.pdf(u)), 0.0, 1.0)[0]
            second = integrate.quad(lambda u: u * u * float(self.pdf(u)), 0.0, 1.0)[0]
            return float(np.sqrt(max(second - mean**2, 0.0)))

    return CataloguePrior()


def prior_distribution(problem: Problem, priors: dict[str, Prior]):
    """pyabc Distribution over the unit cube and the prior sd of each coordinate. A free
    lever coefficient without a prior in the settings gets its catalogue prior."""
    import pyabc

    keys = parameter_keys(len(problem.names))
    rvs = {}
    sds = []
    for key, name, lower, upper in zip(
        keys, problem.names, problem.lower, problem.upper, strict=True
    ):
        if name in problem.coefficients and name not in priors:
            rv = catalogue_unit_prior(name, float(lower), float(upper))
            sds.append(rv.std())
        else:
            rv = _unit_prior(priors.get(name, Prior()), float(lower), float(upper))
            sds.append(float(rv.distribution.std()))
        rvs[key] = rv
    return pyabc.Distribution(**rvs), np.array(sds)


def resumable_quantile_epsilon(quantile: float):
    """pyabc's QuantileEpsilon (ε_t = weighted ``quantile`` of generation t-1's distances,
    ε_0 = :data:`INITIAL_EPSILON`), fixed for resumed runs: pyabc 0.13 sets a numeric
    initial ε for *whatever* generation a run starts at, so a resumed run would accept
    everything in its first generation; here a run starting at t > 0 takes the quantile of
    the stored generation t-1, as the uninterrupted run did."""
    import pyabc

    class _ResumableQuantileEpsilon(pyabc.QuantileEpsilon):
        def initialize(
            self, t, get_weighted_distances, get_all_records, max_nr_populations, acceptor_config
        ):
            if t > 0:
                self._update(t, get_weighted_distances())
                return
            super().initialize(
                t, get_weighted_distances, get_all_records, max_nr_populations, acceptor_config
            )

    return _ResumableQuantileEpsilon(initial_epsilon=INITIAL_EPSILON, alpha=quantile, weighted=True)


# ---------------------------------------------------------------------------------------
# the ordered (reproducible) sampler, serial or on Dask
# ---------------------------------------------------------------------------------------

_WORKER_FUNCTIONS: dict[str, Callable[[], Any]] = {}


def _job_state(seed: int, generation: int, job: int) -> np.ndarray:
    """32-bit words seeding the global RNGs for one job (pyabc draws from np.random)."""
    sequence = np.random.SeedSequence(seed, spawn_key=(generation + 1, job))
    return sequence.generate_state(4, dtype=np.uint32)


def _seed_globals(state: np.ndarray) -> None:
    np.random.seed(state)  # noqa: NPY002 (pyabc and scipy.stats draw from the global RNG)
    random.seed(int(state[0]) << 32 | int(state[1]))


def _run_job(payload: bytes, token: str, state: np.ndarray, job: int) -> tuple[int, Any, float]:
    """Worker side: one proposal + simulation + acceptance test of pyabc's simulate_one;
    returns (job, particle, CPU seconds)."""
    import cloudpickle

    function = _WORKER_FUNCTIONS.get(token)
    if function is None:
        _WORKER_FUNCTIONS.clear()  # one generation's function at a time
        function = cloudpickle.loads(payload)
        _WORKER_FUNCTIONS[token] = function
    _seed_globals(state)
    cpu = time.process_time()
    particle = function()
    return job, particle, time.process_time() - cpu


class OrderedSampler:
    """A pyabc sampler that keeps the first n accepted particles *in job order*, each job
    seeded from (seed, generation, job number): reproducible across worker counts and
    resumes (module docstring). ``client``: a ``distributed.Client`` (None: in process).

    Built lazily as a subclass of ``pyabc.sampler.Sampler`` by :func:`make_sampler`, so
    that importing this module does not import pyabc.
    """


def make_sampler(seed: int, client: Any | None = None, *, in_flight: int | None = None):
    """An :class:`OrderedSampler` (a ``pyabc.sampler.Sampler``)."""
    from pyabc.sampler import Sampler

    class _OrderedSampler(Sampler, OrderedSampler):
        def __init__(self) -> None:
            super().__init__()
            self.seed = int(seed)
            self.client = client
            self.in_flight = in_flight
            self.discarded_evaluations = 0
            self.evaluations_run = 0
            self.cpu_seconds = 0.0

        def __getstate__(self) -> dict[str, Any]:
            state = dict(self.__dict__)
            state["client"] = None
            return state

        def sample_until_n_accepted(
            self, n, simulate_one, t, *, max_eval=np.inf, all_accepted=False, ana_vars=None
        ):
            if self.client is None:
                results = self._serial(n, simulate_one, t)
            else:
                results = self._dask(n, simulate_one, t)
            sample = self._create_empty_sample()
            accepted = 0
            for job in sorted(results):
                particle = results[job]
                sample.append(particle)
                accepted += bool(particle.accepted)
                if accepted == n:
                    last = job
                    break
            self.nr_evaluations_ = last + 1
            self.discarded_evaluations += len(results) - (last + 1)
            self.evaluations_run += len(results)
            return sample

        def _serial(self, n, simulate_one, t) -> dict[int, Any]:
            saved_numpy = np.random.get_state()  # noqa: NPY002
            saved_random = random.getstate()
            results: dict[int, Any] = {}
            accepted = 0
            job = 0
            try:
                while accepted < n:
                    _seed_globals(_job_state(self.seed, t, job))
                    cpu = time.process_time()
                    particle = simulate_one()
                    self.cpu_seconds += time.process_time() - cpu
                    results[job] = particle
                    accepted += bool(particle.accepted)
                    job += 1
            finally:
                np.random.set_state(saved_numpy)  # noqa: NPY002
                random.setstate(saved_random)
            return results

        def _dask(self, n, simulate_one, t) -> dict[int, Any]:
            import cloudpickle
            from distributed import wait

            assert self.client is not None  # sample_until_n_accepted: with a client only
            payload = cloudpickle.dumps(simulate_one)
            token = bytes_sha256(payload)
            [shared] = self.client.scatter([payload], broadcast=True, hash=False)
            workers = max(1, sum(self.client.nthreads().values()))
            limit = self.in_flight or 2 * workers
            results: dict[int, Any] = {}
            running: dict[Any, int] = {}
            next_job = 0

            def enough() -> int | None:
                """The job number of the n-th acceptance once every earlier job is done."""
                count = 0
                for job in range(next_job):
                    if job not in results:
                        return None
                    count += bool(results[job].accepted)
                    if count == n:
                        return job
                return None

            try:
                while True:
                    accepted = sum(bool(p.accepted) for p in results.values())
                    while accepted < n and len(running) < limit:
                        future = self.client.submit(
                            _run_job,
                            shared,
                            token,
                            _job_state(self.seed, t, next_job),
                            next_job,
                            pure=False,
                            key=f"abc-{token[:12]}-{t}-{next_job}",
                        )
                        running[future] = next_job
                        next_job += 1
                    if enough() is not None:
                        break
                    done, _ = wait(list(running), return_when="FIRST_COMPLETED")
                    for future in done:
                        job, particle, cpu = future.result()
                        results[job] = particle
                        self.cpu_seconds += cpu
                        del running[future]
                    last = enough()
                    if last is not None:
                        for future, job in list(running.items()):
                            if job > last:
                                future.cancel()
                                del running[future]
            finally:
                for future in running:
                    future.cancel()
                shared.release()
            return results

    return _OrderedSampler()


# ---------------------------------------------------------------------------------------
# the run
# ---------------------------------------------------------------------------------------


def output_paths(out: str | Path) -> dict[str, Path]:
    """The summary YAML ``out`` and, beside it, the particles and pyabc's database."""
    out = Path(out)
    stem = out.name[:-5] if out.name.endswith(".yaml") else out.name
    return {
        "summary": out,
        "particles": out.with_name(stem + ".particles.csv"),
        "database": out.with_name(stem + ".db"),
    }


def check_outputs(
    out: str | Path, *, resume: bool = False, overwrite: bool = False, write: bool = True
) -> dict[str, Path]:
    """The output paths of ``out``; OutputError if they may not be used (nothing is
    touched)."""
    paths = output_paths(out)
    database = paths["database"]
    if write and paths["summary"].exists() and not (overwrite or resume):
        raise OutputError(
            "posterior file already exists; pass --overwrite to replace it", file=paths["summary"]
        )
    if database.exists() and not (resume or overwrite):
        raise OutputError(
            "the database of an earlier posterior run exists; pass --resume to "
            "continue it or --overwrite to start over",
            file=database,
        )
    if resume and not database.exists():
        raise OutputError("--resume: no posterior database to resume from", file=database)
    return paths


def noise_floor(
    problem: Problem, unit: np.ndarray, history_replications: int
) -> tuple[float, np.ndarray]:
    """Expected loss at the true parameters, Σ w_i s_i² (1/H + 1/R), with s_i² the sample
    variance over the problem's R replications at ``unit``; and the per-replication
    moments (R, M)."""
    rows = [problem.replication_moments(unit, r) for r in range(len(problem.seeds))]
    if any(r is None for r in rows):
        raise ScenarioError(
            "the model fails at the reference point of the noise floor; give a numeric tolerance",
            key="tolerance",
        )
    moments = np.stack([r for r in rows if r is not None])  # all of them (checked above)
    variance = moments.var(axis=0, ddof=1)
    replications = len(problem.seeds)
    weights = problem.moments.weights
    return float(
        np.sum(weights * variance * (1.0 / history_replications + 1.0 / replications))
    ), moments


def reference_unit(problem: Problem, spec: CalibrationSpec) -> np.ndarray:
    """The spec's defaults (centre of the bounds where none) in unit coordinates."""
    values = {}
    for name, lower, upper in zip(problem.names, problem.lower, problem.upper, strict=True):
        default = spec.free_parameter(name).default
        values[name] = default if default is not None else 0.5 * (lower + upper)
    return problem.unit(values)


@dataclass
class PosteriorRun:
    """What :func:`run_posterior` returns."""

    names: tuple[str, ...]
    unit: np.ndarray  # (N, P) last generation's particles, unit cube
    weights: np.ndarray  # (N,) summing to 1
    distances: np.ndarray  # (N,)
    values: np.ndarray  # (N, P) natural units
    generations: list[dict[str, Any]]
    summary: dict[str, Any]
    paths: dict[str, Path]
    discarded_evaluations: int = 0
    evaluations_run: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


def run_posterior(
    settings: PosteriorSettings,
    spec: CalibrationSpec,
    out: str | Path,
    *,
    client: Any | None = None,
    resume: bool = False,
    overwrite: bool = False,
    problem: Problem | None = None,
    stop_after_generations: int | None = None,
    diagnostics: bool = True,
    write: bool = True,
    progress: bool = False,
) -> PosteriorRun:
    """Run (or resume) the ABC-SMC posterior of ``spec`` and write its outputs.

    ``client``: a ``distributed.Client`` (None: serial, in this process). ``resume``:
    continue the run stored in ``OUT.db`` (same settings and spec). ``problem``: a prepared
    :class:`Problem` (e.g. a synthetic history); default the spec's with targets from data/.
    ``stop_after_generations``: stop after that many generations of this invocation,
    leaving the database to resume (tests; Ctrl-C does the same with the generation then
    running lost). ``diagnostics=False``: skip the Jacobian (tests). ``write=False``:
    write no summary or particles (the database is still the checkpoint).
    """
    import pyabc

    check_priors(settings, spec)
    paths = check_outputs(out, resume=resume, overwrite=overwrite, write=write)
    database = paths["database"]
    if overwrite and not resume and database.exists():
        database.unlink()
    replications = _replications(settings, spec)
    if problem is None:
        problem = Problem.from_spec(spec, replications=replications)
    elif len(problem.seeds) != replications:
        raise ValueError(
            f"problem has {len(problem.seeds)} replications, settings want {replications}"
        )
    if not problem.moments.observations:
        raise ScenarioError(
            f"no target has an observation in the window {spec.window}",
            file=spec.source_path,
            key="targets",
        )
    logging.getLogger("ABC").setLevel(logging.INFO if progress else logging.WARNING)
    logging.getLogger("pyabc").setLevel(logging.INFO if progress else logging.WARNING)
    started = time.perf_counter()
    keys = parameter_keys(len(problem.names))
    prior, prior_sd = prior_distribution(problem, settings.priors)
    floor_unit = reference_unit(problem, spec)
    floor, _ = (
        noise_floor(problem, floor_unit, settings.history_replications)
        if settings.tolerance == "noise"
        else (float(settings.tolerance), None)
    )
    sampler = make_sampler(settings.seed, client)
    abc = pyabc.ABCSMC(
        MeanMomentModel(problem, keys),
        prior,
        MomentDistance(problem.moments.weights),
        population_size=settings.population,
        sampler=sampler,
        eps=resumable_quantile_epsilon(settings.quantile),
    )
    identity = {
        "settings_hash": settings.content_hash(spec),
        "names": list(problem.names),
        "replications": replications,
        "observed_hash": bytes_sha256(problem.moments.observed.tobytes()),
    }
    database.parent.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{database.resolve()}"
    if resume:
        history = abc.load(url, 1)
        stored = history.get_abc().json_parameters
        if stored != str(identity):
            raise OutputError(
                "the database was written by other posterior settings, spec or "
                "targets; pass --overwrite to start over",
                file=database,
            )
    else:
        history = abc.new(url, {"moments": problem.moments.observed}, meta_info=identity)
    done = history.n_populations
    last_epsilon = _last_epsilon(history)
    evaluation_cap = max(1, settings.max_simulations // replications)
    remaining = settings.generations - done
    if stop_after_generations is not None:
        remaining = min(remaining, stop_after_generations)
    finished_before = (
        remaining <= 0
        or history.total_nr_simulations >= evaluation_cap
        or (last_epsilon is not None and last_epsilon <= floor)
    )
    abc_started = time.perf_counter()
    if not finished_before:
        abc.run(
            minimum_epsilon=floor,
            max_nr_populations=remaining,
            max_total_nr_simulations=evaluation_cap,
            min_acceptance_rate=settings.min_acceptance_rate,
        )
    history = abc.history
    run = _collect(history, problem, sampler)
    run.paths = paths
    abc_wall = time.perf_counter() - abc_started
    wall = time.perf_counter() - started
    stop = _stop_reason(run.generations, settings, floor, evaluation_cap)
    info = {
        "model_runs_abc": int(sum(g["evaluations"] for g in run.generations)) * replications,
        "evaluations_abc": int(sum(g["evaluations"] for g in run.generations)),
        "replications_per_evaluation": replications,
        "discarded_evaluations_this_run": sampler.discarded_evaluations,
        "model_runs_this_run": sampler.evaluations_run * replications,
        "wall_seconds_this_run": round(wall, 2),
        "workers": 1 if client is None else max(1, sum(client.nthreads().values())),
        "resumed_generations": done if resume else 0,
    }
    if sampler.evaluations_run and abc_wall > 0:
        info["abc_wall_seconds_this_run"] = round(abc_wall, 2)
        info["model_runs_per_second_this_run"] = round(
            sampler.evaluations_run * replications / abc_wall, 2
        )
        info["cpu_seconds_per_model_run"] = round(
            sampler.cpu_seconds / (sampler.evaluations_run * replications), 4
        )
    diagnostic = identification(
        problem,
        run.unit,
        run.weights,
        prior_sd,
        floor,
        share=settings.identified_share,
        step=settings.jacobian_step if diagnostics else None,
        client=client,
    )
    run.summary = _summary(
        settings, spec, problem, run, floor, floor_unit, stop, info, diagnostic, prior_sd
    )
    run.extra["identification"] = diagnostic
    if write:
        _write(run, paths)
    return run


def _last_epsilon(history) -> float | None:
    if history.n_populations == 0:
        return None
    frame = history.get_all_populations()
    frame = frame[frame.t >= 0]
    return float(frame.sort_values("t").epsilon.iloc[-1])


def _collect(history, problem: Problem, sampler) -> PosteriorRun:
    t = history.max_t
    keys = parameter_keys(len(problem.names))
    particles = history.get_population(t=t).particles
    unit = np.array([[float(p.parameter[k]) for k in keys] for p in particles])
    weights = np.array([float(p.weight) for p in particles])
    weights = weights / weights.sum()
    distances = np.array([float(p.distance) for p in particles])
    values = problem.lower + unit * (problem.upper - problem.lower)
    populations = history.get_all_populations()
    populations = populations[populations.t >= 0].sort_values("t")
    generations = [
        {
            "generation": int(row.t),
            "epsilon": float(row.epsilon),
            "evaluations": int(row.samples),
            "acceptance_rate": round(float(len(unit) / row.samples), 4) if row.samples else None,
        }
        for row in populations.itertuples()
    ]
    return PosteriorRun(
        problem.names,
        unit,
        weights,
        distances,
        values,
        generations,
        {},
        {},
        sampler.discarded_evaluations,
        sampler.evaluations_run,
    )


def _stop_reason(
    generations: list[dict[str, Any]], settings: PosteriorSettings, floor: float, cap: int
) -> str:
    last = generations[-1]
    if last["epsilon"] <= floor:
        return (
            "reached the noise floor" if settings.tolerance == "noise" else "reached the tolerance"
        )
    if sum(g["evaluations"] for g in generations) >= cap:
        return "max_simulations"
    if len(generations) >= settings.generations:
        return "generations"
    if (
        last["acceptance_rate"] is not None
        and last["acceptance_rate"] < settings.min_acceptance_rate
    ):
        return "min_acceptance_rate"
    return "stopped early (interrupted or stop_after_generations); resume to continue"


# ---------------------------------------------------------------------------------------
# weighted statistics and identification
# ---------------------------------------------------------------------------------------


def weighted_quantile(values: np.ndarray, weights: np.ndarray, q: float) -> float:
    """Quantile ``q`` of weighted ``values``: the smallest value whose cumulative weight
    share reaches ``q`` (the inverse of the weighted empirical cdf; a particle of weight 2
    counts as two of weight 1)."""
    order = np.argsort(values, kind="stable")
    values = np.asarray(values, dtype=float)[order]
    cumulative = np.cumsum(np.asarray(weights, dtype=float)[order])
    cumulative /= cumulative[-1]
    index = int(np.searchsorted(cumulative, q - 1e-12, side="left"))
    return float(values[min(index, len(values) - 1)])


def weighted_covariance(unit: np.ndarray, weights: np.ndarray) -> np.ndarray:
    weights = np.asarray(weights, dtype=float) / np.sum(weights)
    mean = weights @ unit
    centred = unit - mean
    return (centred * weights[:, None]).T @ centred


def moment_jacobian(
    problem: Problem, unit: np.ndarray, step: float, *, client: Any | None = None
) -> np.ndarray:
    """d mean moments / d unit coordinates (M, P): central differences of width ``step``
    (one-sided at a bound) under common random numbers; a column is NaN if the model
    fails on either side."""
    unit = np.asarray(unit, dtype=float)
    points = []
    for j in range(len(unit)):
        up, down = unit.copy(), unit.copy()
        up[j] = min(1.0, unit[j] + step)
        down[j] = max(0.0, unit[j] - step)
        points += [up, down]
    tasks = [(p, r) for p in points for r in range(len(problem.seeds))]
    if client is None:
        results = [problem.replication_moments(p, r) for p, r in tasks]
    else:
        shared = client.scatter(problem, broadcast=True, hash=False)
        futures = client.map(_replication_task, [shared] * len(tasks), tasks, pure=False)
        results = client.gather(futures)
    replications = len(problem.seeds)
    means: list[np.ndarray | None] = []
    for i in range(len(points)):
        block = results[i * replications : (i + 1) * replications]
        complete = [b for b in block if b is not None]
        means.append(np.mean(complete, axis=0) if len(complete) == len(block) else None)
    columns = []
    for j in range(len(unit)):
        high, low = means[2 * j], means[2 * j + 1]
        width = points[2 * j][j] - points[2 * j + 1][j]
        if high is None or low is None or width <= 0:
            columns.append(np.full(len(problem.moments.observations), np.nan))
        else:
            columns.append((high - low) / width)
    return np.stack(columns, axis=1)


def _replication_task(problem: Problem, task: tuple[np.ndarray, int]) -> np.ndarray | None:
    unit, replication = task
    return problem.replication_moments(unit, replication)


def _direction(names: Sequence[str], vector: np.ndarray, top: int = 3) -> dict[str, float]:
    """The largest loadings of a unit direction (sign fixed so the largest is positive)."""
    vector = np.asarray(vector, dtype=float)
    vector = vector * (1.0 if vector[np.argmax(np.abs(vector))] >= 0 else -1.0)
    order = np.argsort(-np.abs(vector))[:top]
    return {names[i]: round(float(vector[i]), 4) for i in order if abs(vector[i]) >= 0.1}


def identification(
    problem: Problem,
    unit: np.ndarray,
    weights: np.ndarray,
    prior_sd: np.ndarray,
    floor: float,
    *,
    share: float = 0.5,
    step: float | None = 0.05,
    client: Any | None = None,
    jacobian: np.ndarray | None = None,
) -> dict[str, Any]:
    """Identification diagnostics of a weighted posterior sample (unit-cube coordinates):
    per-parameter verdicts, correlations, posterior-covariance eigen-directions against the
    prior and, unless ``step`` is None, the weighted moment Jacobian's singular directions
    at the posterior median (module docstring). ``jacobian`` overrides the finite
    differences (tests)."""
    names = list(problem.names)
    covariance = weighted_covariance(unit, weights)
    sd = np.sqrt(np.clip(np.diag(covariance), 0.0, None))
    with np.errstate(invalid="ignore", divide="ignore"):
        correlation = covariance / np.outer(sd, sd)
    median = np.array([weighted_quantile(unit[:, j], weights, 0.5) for j in range(unit.shape[1])])
    parameters = {}
    for j, name in enumerate(names):
        ratio = float(sd[j] / prior_sd[j])
        parameters[name] = {
            "posterior_sd_over_prior_sd": round(ratio, 4),
            "verdict": "identified by data" if ratio < share else "held at its prior",
        }
    pairs = []
    for i in range(len(names)):
        for j in range(i + 1, len(names)):
            value = correlation[i, j]
            if np.isfinite(value) and abs(value) >= CORRELATION_FLAG:
                pairs.append({"pair": [names[i], names[j]], "correlation": round(float(value), 3)})
    prior_covariance = np.diag(prior_sd**2)
    eigenvalues, eigenvectors = np.linalg.eigh(covariance)
    directions = []
    for k in range(len(eigenvalues)):
        vector = eigenvectors[:, k]
        prior_variance = float(vector @ prior_covariance @ vector)
        ratio = math.sqrt(max(float(eigenvalues[k]), 0.0) / prior_variance)
        directions.append(
            {
                "posterior_variance": float(eigenvalues[k]),
                "sd_over_prior_sd": round(ratio, 4),
                "identified": ratio < share,
                "direction": _direction(names, vector),
            }
        )
    out: dict[str, Any] = {
        "coordinates": "unit cube of the spec's bounds",
        "identified_share": share,
        "parameters": parameters,
        "correlated_pairs": pairs,
        "correlation": [
            [round(float(v), 4) if np.isfinite(v) else None for v in row] for row in correlation
        ],
        "posterior_covariance_eigen": directions,
        "posterior_median_unit": [round(float(v), 6) for v in median],
    }
    if step is not None or jacobian is not None:
        if jacobian is None:
            assert step is not None  # one of the two is given
            jacobian = moment_jacobian(problem, median, step, client=client)
        out["jacobian"] = jacobian_directions(
            jacobian, problem.moments.weights, names, prior_sd, floor
        )
        # d moment / d unit coordinate: the change of each moment over a parameter's whole
        # prior range (its bounds), at the posterior median
        if "failed" not in out["jacobian"]:
            _visibility(out, jacobian, problem.moments.weights, names, prior_sd, floor, share)
        observations = getattr(problem.moments, "observations", None)
        if observations is not None and len(observations) == jacobian.shape[0]:
            out["jacobian"]["moments_by_parameter"] = {
                f"{problem.moments.targets[o.target].label}:{o.year}": {
                    name: round(float(jacobian[i, j]), 6) for j, name in enumerate(names)
                }
                for i, o in enumerate(observations)
            }
        if step is not None:
            out["jacobian"]["step_unit"] = step
    return out


def _visibility(
    out: dict[str, Any],
    jacobian: np.ndarray,
    weights: np.ndarray,
    names: Sequence[str],
    prior_sd: np.ndarray,
    floor: float,
    share: float,
) -> None:
    """Per parameter, the loss increase of a one-prior-sd move along its own axis,
    Σ_i w_i (J_ij sd_j)², against the noise floor. A posterior that narrowed (sd ratio below
    ``share``) along an axis the data cannot see (increase below the floor) narrowed on
    Monte Carlo noise of the common random numbers, not on evidence: its verdict says so."""
    for j, name in enumerate(names):
        increase = float(np.sum(np.asarray(weights) * (jacobian[:, j] * prior_sd[j]) ** 2))
        entry = out["parameters"][name]
        entry["loss_increase_one_prior_sd"] = increase
        entry["over_noise_floor"] = increase / floor if floor > 0 else math.inf
        visible = floor <= 0 or increase >= floor
        if entry["posterior_sd_over_prior_sd"] < share and not visible:
            entry["verdict"] = "narrowed without evidence"


def jacobian_directions(
    jacobian: np.ndarray,
    weights: np.ndarray,
    names: Sequence[str],
    prior_sd: np.ndarray,
    floor: float,
) -> dict[str, Any]:
    """Singular directions of the weighted Jacobian W^{1/2} J (M, P). For each: singular
    value s, the loss increase of a one-prior-sd move along it ((s sd_v)², sd_v the prior
    sd along v) and that increase over the noise floor; below 1 the data cannot see the
    direction ('ridge')."""
    failed = [names[j] for j in range(jacobian.shape[1]) if not np.all(np.isfinite(jacobian[:, j]))]
    if failed:
        return {"failed": failed, "note": "the model failed at a finite-difference point"}
    weighted = np.sqrt(np.asarray(weights))[:, None] * jacobian
    _, singular, right = np.linalg.svd(weighted, full_matrices=False)
    directions = []
    prior_covariance = np.diag(np.asarray(prior_sd) ** 2)
    for k, value in enumerate(singular):
        vector = right[k]
        move = math.sqrt(float(vector @ prior_covariance @ vector))
        increase = float((value * move) ** 2)
        directions.append(
            {
                "singular_value": float(value),
                "relative": float(value / singular[0]) if singular[0] > 0 else 0.0,
                "loss_increase_one_prior_sd": increase,
                "over_noise_floor": increase / floor if floor > 0 else math.inf,
                "ridge": bool(floor > 0 and increase < floor),
                "direction": _direction(names, vector),
            }
        )
    return {
        "noise_floor": floor,
        "condition_number": float(singular[0] / singular[-1]) if singular[-1] > 0 else math.inf,
        "directions": directions,
        "ridges": [d["direction"] for d in directions if d["ridge"]],
    }


# ---------------------------------------------------------------------------------------
# outputs
# ---------------------------------------------------------------------------------------


def _summary(
    settings: PosteriorSettings,
    spec: CalibrationSpec,
    problem: Problem,
    run: PosteriorRun,
    floor: float,
    floor_unit: np.ndarray,
    stop: str,
    info: dict[str, Any],
    diagnostic: dict[str, Any],
    prior_sd: np.ndarray,
) -> dict[str, Any]:
    from datetime import UTC, datetime

    parameters = {}
    for j, name in enumerate(run.names):
        column = run.values[:, j]
        bounds = spec.free_parameter(name)
        prior = settings.priors.get(name, Prior())
        width = float(problem.upper[j] - problem.lower[j])
        if name in problem.coefficients and name not in settings.priors:
            from growthpole.levers import COEFFICIENTS

            catalogue = COEFFICIENTS[name]
            prior_block: dict[str, Any] = {
                "distribution": f"catalogue {catalogue.prior.describe()}",
                "lower": round(float(problem.lower[j]), 6),
                "upper": round(float(problem.upper[j]), 6),
                "sd": round(float(prior_sd[j] * width), 6),
                "source": f"growthpole/levers.yaml ({catalogue.source.kind})",
            }
        else:
            prior_block = {
                "distribution": prior.distribution,
                "lower": bounds.lower,
                "upper": bounds.upper,
                "sd": round(float(prior_sd[j] * width), 6),
                **(
                    {"mean": prior.mean, "source": prior.source}
                    if prior.distribution == "normal"
                    else {}
                ),
            }
        parameters[name] = {
            "median": round(weighted_quantile(column, run.weights, 0.5), 6),
            "p05": round(weighted_quantile(column, run.weights, 0.05), 6),
            "p95": round(weighted_quantile(column, run.weights, 0.95), 6),
            "mean": round(float(run.weights @ column), 6),
            "sd": round(float(np.sqrt(run.weights @ (column - run.weights @ column) ** 2)), 6),
            "prior": prior_block,
            "identification": diagnostic["parameters"][name]["verdict"],
        }
    ess = float(1.0 / np.sum(run.weights**2))
    degenerate = ess < DEGENERATE_SHARE * len(run.weights)
    return {
        "name": settings.name,
        "date": datetime.now(UTC).date().isoformat(),
        "settings": Path(settings.source_path).name if settings.source_path else None,
        "spec": Path(spec.source_path).name if spec.source_path else None,
        "window": spec.window,
        "settings_hash": settings.content_hash(spec),
        "method": "ABC-SMC (pyabc), MSM distance, common random numbers",
        "particles": len(run.weights),
        "effective_sample_size": round(ess, 1),
        # below DEGENERATE_SHARE of the particles, weighted quantiles rest on a handful of
        # particles and the intervals are not reliable
        "weights_degenerate": bool(degenerate),
        "fixed": dict(problem.fixed),
        "regimes": None
        if spec.regimes is None
        else {
            "break_year": spec.regimes.break_year,
            "note": "name@YEAR holds the value from break_year on",
        },
        "parameters": parameters,
        "tolerance": {
            "rule": settings.tolerance if settings.tolerance == "noise" else "fixed",
            "noise_floor_or_tolerance": floor,
            "reference_point": problem.values(floor_unit),
            "history_replications": settings.history_replications,
            "final_epsilon": run.generations[-1]["epsilon"],
            "best_distance": float(np.min(run.distances)),
            "stopped_by": stop,
        },
        "generations": run.generations,
        "evaluations": info,
        "identification": diagnostic,
        "files": {"particles": run.paths["particles"].name, "database": run.paths["database"].name},
    }


def _write(run: PosteriorRun, paths: dict[str, Path]) -> None:
    import yaml

    from growthpole.io import write_csv, write_text

    frame = pd.DataFrame(run.values, columns=list(run.names))
    frame.insert(0, "distance", run.distances)
    frame.insert(0, "weight", run.weights)
    frame.insert(0, "particle", np.arange(len(run.weights)))
    write_csv(paths["particles"], frame)
    header = (
        "# Posterior written by `growthpole posterior` (docs/calibration.md). Do not edit "
        "by hand: re-run it.\n# The weighted particles are in "
        f"{paths['particles'].name}; {paths['database'].name} is pyabc's history "
        "(the checkpoint).\n"
    )
    write_text(
        paths["summary"],
        header
        + yaml.safe_dump(_plain(run.summary), sort_keys=False, allow_unicode=True, width=100),
    )


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    return value


# ---------------------------------------------------------------------------------------
# reading a posterior back, and drawing from it
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Posterior:
    """A posterior read back: weighted particles (natural units) and the fixed values."""

    names: tuple[str, ...]
    values: np.ndarray  # (N, P)
    weights: np.ndarray  # (N,) summing to 1
    fixed: dict[str, float]
    break_year: int | None = None
    source_path: str | None = None


def load_posterior(path: str | Path) -> Posterior:
    """Read a posterior summary YAML and its particles CSV (beside it)."""
    from growthpole.scenario import read_yaml

    path = Path(path)
    data = read_yaml(path, what="posterior")
    if not isinstance(data, dict) or not isinstance(data.get("parameters"), dict):
        raise ScenarioError(
            "posterior file must hold a 'parameters' mapping", file=path, key="parameters"
        )
    names = tuple(data["parameters"])
    particles = path.with_name(
        str((data.get("files") or {}).get("particles", output_paths(path)["particles"].name))
    )
    try:
        frame = pd.read_csv(particles)
    except (OSError, ValueError) as exc:
        raise ScenarioError(
            f"cannot read the posterior's particles: {exc}", file=particles, key="files.particles"
        ) from None
    missing = [n for n in (*names, "weight") if n not in frame.columns]
    if missing:
        raise ScenarioError(f"particles file lacks columns {', '.join(missing)}", file=particles)
    weights = frame.weight.to_numpy(dtype=float)
    if (
        len(weights) == 0
        or not np.all(np.isfinite(weights))
        or np.any(weights < 0)
        or weights.sum() <= 0
    ):
        raise ScenarioError(
            "particle weights must be finite, >= 0 and not all 0", file=particles, key="weight"
        )
    regimes = data.get("regimes") or {}
    return Posterior(
        names,
        frame[list(names)].to_numpy(dtype=float),
        weights / weights.sum(),
        {str(k): float(v) for k, v in (data.get("fixed") or {}).items()},
        regimes.get("break_year"),
        str(path),
    )


def draw_parameters(
    posterior: Posterior,
    rng: np.random.Generator,
    n: int,
    *,
    regime: Literal["latest", "all"] = "latest",
) -> list[dict[str, float]]:
    """``n`` parameter sets drawn from the posterior (particles resampled by weight, with
    replacement), one per replication: each the spec's fixed values plus one particle's
    free ones. ``regime="latest"`` (scenarios: projections continue the latest regime):
    ``name@YEAR`` replaces ``name``; ``"all"``: the names as estimated, ``name@YEAR``
    kept (to re-run the calibration window)."""
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    indices = rng.choice(len(posterior.weights), size=n, replace=True, p=posterior.weights)
    draws = []
    for index in indices:
        free = dict(zip(posterior.names, (float(v) for v in posterior.values[index]), strict=True))
        if regime == "latest":
            late = {k.split("@")[0]: v for k, v in free.items() if "@" in k}
            free = {**{k: v for k, v in free.items() if "@" not in k}, **late}
        draws.append({**posterior.fixed, **free})
    return draws
