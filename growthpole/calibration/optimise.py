"""Search: global differential evolution, local polish, and the uncertainty diagnostics.

1. Global: :func:`scipy.optimize.differential_evolution` (Storn & Price 1997) on the unit
   cube, ``updating='deferred'`` so that each generation is one batch handed to the
   evaluation store (``workers=`` receives the store's map: all workers simulate the
   generation's (candidate, replication) pairs). Its generations are sized so that the
   global phase uses ``(1 - polish_share) × budget`` evaluations.
2. Local: :func:`scipy.optimize.minimize` (bounded Nelder-Mead or Powell) from the best
   point, with the rest of the budget.
3. Uncertainty: bootstrap over replications: B resamples (with replacement) of the R
   replication indices; for each, the loss re-weights the cached per-replication moments,
   the re-estimate starts at the best cached candidate under that loss (no simulation) and
   a cheap bounded Nelder-Mead (``bootstrap_evaluations``) polishes it. The spread of the
   B estimates measures the Monte Carlo (simulation) error of
   the estimator, not the sampling error of the historical data (one history exists).
4. Identification: each parameter's loss profile across its bounds with the others held at
   the estimate (a slice, not a re-optimised profile likelihood: P × K evaluations instead
   of P × K searches). A profile whose rise above its minimum stays within the Monte Carlo
   noise of the loss is flat: the parameter is *not identified* by these moments.

Everything is deterministic given the spec (seeds of the optimiser and of the bootstrap
come from ``search.seed``), which is what lets a resumed run replay through the cache.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import differential_evolution, minimize

from growthpole.calibration.base import BatchLoss, SearchMethod, SearchResult
from growthpole.calibration.objective import BudgetExhausted, EvaluationStore
from growthpole.calibration.spec import CalibrationSpec


class _BatchMap:
    """The ``workers=`` map of differential evolution: one call per generation."""

    def __init__(self, batch_loss: BatchLoss) -> None:
        self.batch_loss = batch_loss

    def __call__(self, _func, iterable):  # scipy passes its own wrapper as func; unused
        units = [np.asarray(u, dtype=float) for u in iterable]
        return list(self.batch_loss(units))


class DifferentialEvolution(SearchMethod):
    name = "differential_evolution"

    def __init__(self, population_per_parameter: int = 5) -> None:
        self.population_per_parameter = population_per_parameter

    def generations(self, dimension: int, budget: int) -> int:
        population = self.population_per_parameter * dimension
        return max(0, budget // population - 1)

    def minimise(
        self,
        batch_loss: BatchLoss,
        dimension: int,
        budget: int,
        *,
        start: np.ndarray | None = None,
        seed: int = 0,
    ) -> SearchResult:
        maxiter = self.generations(dimension, budget)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # "workers overrides updating"

            def objective(u: np.ndarray) -> float:
                return float(batch_loss([u])[0])

            result = differential_evolution(
                objective,
                # scipy-stubs allow only (lb, ub) or Bounds; scipy documents (min, max) pairs
                [(0.0, 1.0)] * dimension,  # type: ignore[arg-type]
                popsize=self.population_per_parameter,
                maxiter=maxiter,
                tol=0.0,
                atol=0.0,
                polish=False,
                init="latinhypercube",
                updating="deferred",
                workers=_BatchMap(batch_loss),
                rng=np.random.default_rng(seed),
                x0=start,
            )
        return SearchResult(
            np.asarray(result.x), float(result.fun), int(result.nfev), str(result.message)
        )


class LocalPolish(SearchMethod):
    name = "local"

    def __init__(self, method: str = "Nelder-Mead", step: float = 0.05) -> None:
        self.method = method
        self.step = step

    def minimise(
        self,
        batch_loss: BatchLoss,
        dimension: int,
        budget: int,
        *,
        start: np.ndarray | None = None,
        seed: int = 0,
    ) -> SearchResult:
        start = np.full(dimension, 0.5) if start is None else np.asarray(start, dtype=float)
        if budget <= 0:
            value = float(batch_loss([start])[0])
            return SearchResult(start, value, 1, "no polish budget")
        options: dict[str, object] = {"maxfev": budget}
        if self.method == "Nelder-Mead":
            simplex = [start]
            for j in range(dimension):
                vertex = start.copy()
                vertex[j] = (
                    vertex[j] + self.step if vertex[j] + self.step <= 1 else vertex[j] - self.step
                )
                simplex.append(vertex)
            options.update(initial_simplex=np.array(simplex), xatol=1e-4, fatol=1e-9)
        best: list = [start, np.inf]
        calls = [0]

        def loss(u) -> float:
            unit = np.clip(np.asarray(u, dtype=float), 0.0, 1.0)
            value = float(batch_loss([unit])[0])
            calls[0] += 1
            if value < best[1]:
                best[:] = [unit, value]
            return value

        try:
            # scipy-stubs type bounds as Bounds only (scipy documents (min, max) pairs), the
            # method as a Literal and the options as a TypedDict
            result = minimize(  # type: ignore[call-overload]
                loss, start, method=self.method, bounds=[(0.0, 1.0)] * dimension, options=options
            )
            unit = np.clip(np.asarray(result.x, dtype=float), 0.0, 1.0)
            return SearchResult(unit, loss(unit), int(result.nfev), str(result.message))
        except BudgetExhausted:  # the plan's ceiling (growthpole.calibration.plan)
            return SearchResult(
                np.asarray(best[0], dtype=float),
                float(best[1]),
                calls[0],
                "stopped at the planned number of evaluations",
            )


@dataclass
class Estimate:
    """Outcome of search, bootstrap and profiles (unit-cube coordinates)."""

    unit: np.ndarray
    loss: float
    global_result: SearchResult
    polish_result: SearchResult
    search_evaluations: int
    bootstrap_units: np.ndarray  # (B, P)
    bootstrap_losses_at_estimate: np.ndarray  # (B,)
    profile_grid: np.ndarray  # (K,) unit coordinates
    profile_losses: np.ndarray  # (P, K)
    diagnostic_evaluations: int
    notes: list[str] = field(default_factory=list)


def search(spec: CalibrationSpec, store: EvaluationStore) -> Estimate:
    """Global search, polish and diagnostics of ``spec`` using ``store``'s evaluations."""
    dimension = len(spec.names)
    budget = spec.search.budget
    global_budget = round(budget * (1.0 - spec.search.polish_share))
    start = store.problem.unit(
        {
            n: (p.default if p.default is not None else 0.5 * (p.lower + p.upper))
            for n, p in ((n, spec.free_parameter(n)) for n in spec.names)
        }
    )
    store.phase = "global"
    evolution = DifferentialEvolution(spec.search.population_per_parameter)
    notes = []
    if evolution.generations(dimension, global_budget) < 1:
        notes.append(
            f"budget {budget} is below two generations of differential evolution "
            f"({2 * spec.search.population_per_parameter * dimension} evaluations): "
            f"the global phase evaluated only the initial population"
        )
    global_result = evolution.minimise(
        store.losses, dimension, global_budget, start=start, seed=spec.search.seed
    )
    store.phase = "polish"
    used = len(store.requested)
    polish = LocalPolish(spec.search.polish_method)
    best_global = store.best(list(store.requested))
    polish_start = best_global.unit if best_global is not None else global_result.unit
    # the plan's bound (growthpole.calibration.plan): the rest of the budget and the end point
    store.ceiling = used + max(budget - used, 0) + 1
    polish_result = polish.minimise(
        store.losses, dimension, max(budget - used, 0), start=polish_start
    )
    search_keys = list(store.requested)
    best = store.best(search_keys)
    assert best is not None, "every candidate failed: the model broke its invariants"
    estimate_unit, estimate_loss = best.unit, best.loss
    search_evaluations = len(search_keys)

    # ---- bootstrap over replications -------------------------------------------------------
    store.phase = "bootstrap"
    rng = np.random.default_rng([spec.search.seed, 7])
    replications = store.replications
    boot_units, boot_at_estimate = [], []
    diagnostics = spec.diagnostics
    for _ in range(diagnostics.bootstrap_resamples):
        counts = np.bincount(rng.integers(0, replications, replications), minlength=replications)
        weights = counts / replications

        def resampled(units, weights=weights):
            return np.array(
                [
                    store.problem.moments.loss(e.moments, weights)
                    if e.moments is not None
                    else np.inf
                    for e in store.evaluate(units)
                ]
            )

        boot_at_estimate.append(resampled([estimate_unit])[0])
        # re-estimate: the best of every candidate evaluated so far under the resampled
        # loss (no new simulation), then a cheap local search from it
        evaluated = [store.cache[k] for k in search_keys if store.cache[k].moments is not None]
        losses = [
            store.problem.moments.loss(e.moments, weights)
            for e in evaluated
            if e.moments is not None  # all of them (evaluated holds those with moments)
        ]
        start_unit = evaluated[int(np.argmin(losses))].unit
        store.ceiling = len(store.requested) + diagnostics.bootstrap_evaluations + 1
        result = LocalPolish("Nelder-Mead").minimise(
            resampled, dimension, diagnostics.bootstrap_evaluations, start=start_unit
        )
        boot_units.append(result.unit)

    # ---- loss profiles ------------------------------------------------------------------------
    store.phase = "profiles"
    store.ceiling = None  # exactly D x profile_points evaluations
    grid = np.linspace(0.0, 1.0, diagnostics.profile_points)
    profile = np.full((dimension, len(grid)), np.nan)
    if len(grid):
        units = []
        for j in range(dimension):
            for value in grid:
                unit = estimate_unit.copy()
                unit[j] = value
                units.append(unit)
        profile = store.losses(units).reshape(dimension, len(grid))
    store.phase = "done"
    diagnostic_best = store.best(list(store.requested)[search_evaluations:])
    if diagnostic_best is not None and diagnostic_best.loss < estimate_loss:
        notes.append(
            f"a diagnostic evaluation (bootstrap or profile) reached loss "
            f"{diagnostic_best.loss:.5g} < the estimate's {estimate_loss:.5g}: the "
            f"search had not converged; a larger --budget would move the estimate"
        )
    return Estimate(
        unit=estimate_unit,
        loss=estimate_loss,
        global_result=global_result,
        polish_result=polish_result,
        search_evaluations=search_evaluations,
        bootstrap_units=np.array(boot_units).reshape(-1, dimension),
        bootstrap_losses_at_estimate=np.array(boot_at_estimate),
        profile_grid=grid,
        profile_losses=profile,
        diagnostic_evaluations=len(store.requested) - search_evaluations,
        notes=notes,
    )


def identification(estimate: Estimate, names: tuple[str, ...]) -> list[dict[str, object]]:
    """Per parameter: the profile's rise above its minimum compared with the Monte Carlo
    noise of the loss (sd of the loss at the estimate across bootstrap resamples). Flat
    (rise <= max(2 noise sd, 5% of the loss)) means not identified."""
    noise = (
        float(np.std(estimate.bootstrap_losses_at_estimate))
        if len(estimate.bootstrap_losses_at_estimate) > 1
        else 0.0
    )
    threshold = max(2.0 * noise, 0.05 * estimate.loss)
    out = []
    for j, name in enumerate(names):
        losses = estimate.profile_losses[j]
        finite = losses[np.isfinite(losses)]
        if not len(finite):
            out.append(
                {
                    "parameter": name,
                    "identified": False,
                    "rise": None,
                    "threshold": threshold,
                    "verdict": "not identified: every profile point failed",
                }
            )
            continue
        rise = float(finite.max() - finite.min())
        argmin = int(np.nanargmin(np.where(np.isfinite(losses), losses, np.nan)))
        at_bound = argmin in (0, len(losses) - 1)
        identified = rise > threshold
        verdict = (
            "identified"
            if identified
            else "not identified (flat profile: the moments do not pin it down)"
        )
        if identified and at_bound:
            verdict = "identified, but the profile minimum lies at a bound of the search range"
        out.append(
            {
                "parameter": name,
                "identified": identified,
                "rise": rise,
                "threshold": threshold,
                "minimum_at_bound": at_bound,
                "verdict": verdict,
            }
        )
    return out
